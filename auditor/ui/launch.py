"""`contract-audit ui`: start the review desk on this machine, wherever the package is installed.

The server's settings are given here, on Streamlit's command line, rather than by a `.streamlit/config.toml`
in the working folder, which applies only when the desk is started from the repository: the desk listens
on localhost only (contracts are confidential), sends no usage statistics, opens no browser tab and
watches no files, from any folder.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

MAX_UPLOAD_MB = 20  # also stated to the user by the desk (desk.MAX_MB)

SERVER_OPTIONS: dict[str, str] = {
    "browser.gatherUsageStats": "false",
    "browser.serverAddress": "localhost",  # also spares Streamlit its look-up of the external IP
    "server.headless": "true",
    "server.address": "localhost",
    "server.fileWatcherType": "none",
    "server.maxUploadSize": str(MAX_UPLOAD_MB),
    "client.toolbarMode": "minimal",
    "client.showErrorLinks": "false",  # an error's "Ask Google / ChatGPT" links would carry its text off the machine
    "global.developmentMode": "false",
    "theme.base": "light",
    "theme.primaryColor": "#1f4e79",
}


def desk_script() -> Path:
    """The desk's Streamlit script inside the installed package."""
    return Path(__file__).with_name("desk.py")


def command(port: int = 8501, address: str = "localhost") -> list[str]:
    """The `streamlit run` command line that serves the desk with the settings above."""
    options = {**SERVER_OPTIONS, "server.port": str(port), "server.address": address}
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(desk_script()),
        *(f"--{key}={value}" for key, value in options.items()),
    ]


def run(port: int = 8501, address: str = "localhost") -> int:
    """Serve the desk until interrupted, in this process (Streamlit replaces it, so a signal sent to
    `contract-audit ui` reaches the server and leaves nothing behind); returns only if it cannot start.
    """
    env = {**os.environ, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    print(f"Contract Auditor review desk: http://{address}:{port} (Ctrl+C to stop)", file=sys.stderr, flush=True)
    args = command(port, address)
    try:
        os.execve(args[0], args, env)
    except OSError as err:
        print(f"contract-audit: cannot start the review desk ({err.strerror or err})", file=sys.stderr)
    return 2
