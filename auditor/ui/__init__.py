"""The review desk (Streamlit) and the launcher behind `contract-audit ui`."""
