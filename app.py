"""The review desk, for `streamlit run app.py` in the repository; `contract-audit ui` starts the same desk
from any folder with the offline settings (auditor/ui/launch.py).
"""

from auditor.ui.desk import main

main()
