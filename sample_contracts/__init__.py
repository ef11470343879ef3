"""Data package: the bundled, labelled sample contracts, read through auditor.resources."""
