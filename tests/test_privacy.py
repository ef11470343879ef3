"""Contracts are confidential: an audit makes no network connection, leaves no file behind and logs no
contract text; the UI sends no usage statistics.

The network is blocked two ways: in-process (socket connects to anything but this machine raise), and,
where the machine allows it, by running an audit with OCR inside `unshare -n`, a network namespace with
no interfaces at all.
"""

from __future__ import annotations

import functools
import importlib.util
import logging
import os
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from auditor.checks import CHECKS
from auditor.load import load
from auditor.pipeline import audit

ROOT = Path(__file__).resolve().parent.parent
FILES = ROOT / "tests" / "fixtures" / "files"
HAS_OCR = importlib.util.find_spec("rapidocr_onnxruntime") is not None
UPLOADS = ["contract_zh.txt", "contract_zh.docx", "contract_zh.pdf", "contract_en.pdf", "contract_zh_bom.txt"]
if HAS_OCR:
    UPLOADS.append("photo_zh.jpg")  # OCR: its engine must not fetch models either
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}


class NetworkBlockedError(AssertionError):
    """Raised instead of connecting anywhere but this machine."""


def _host(address: Any) -> str:
    return str(address[0] if isinstance(address, tuple) else address)


@pytest.fixture()
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Outbound connections raise; local ones (Streamlit's own) go through. Yields the refused hosts."""
    refused: list[str] = []
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex

    def guard(address: Any) -> None:
        if _host(address) not in LOCAL_HOSTS and not str(_host(address)).startswith("/"):
            refused.append(_host(address))
            raise NetworkBlockedError(f"network access to {address}")

    def connect(self: socket.socket, address: Any) -> None:
        guard(address)
        real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        guard(address)
        return real_connect_ex(self, address)

    def create_connection(address: Any, *args: Any, **kwargs: Any) -> socket.socket:
        guard(address)
        raise NetworkBlockedError(f"unexpected local connection to {address}")

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "create_connection", create_connection)
    yield refused
    assert refused == []


@functools.cache
def contract_sentences(name: str) -> list[str]:
    """Sentences of a fixture contract that must never appear in a log."""
    return [block.text for block in load(FILES / name).blocks if len(block.text.strip()) >= 8]


# --- network -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", UPLOADS)
def test_privacy_audit_needs_no_network(name: str, no_network: list[str]) -> None:
    report = audit((FILES / name).read_bytes(), filename=name)
    assert len(report.findings) == len(CHECKS)


def test_privacy_ui_runs_without_network(no_network: list[str]) -> None:
    app = ROOT / "app.py"
    if not app.exists():
        pytest.skip("no app.py yet")
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(app), default_timeout=90).run()
    at.sidebar.file_uploader[0].upload("contract_zh.docx", (FILES / "contract_zh.docx").read_bytes()).run()
    assert not at.exception


def test_privacy_audit_in_a_namespace_without_network() -> None:
    """The honest proof: no network interface exists at all, not even a blocked one."""
    if sys.platform != "linux" or os.geteuid() != 0:
        pytest.skip("unshare -n needs Linux and root")
    try:
        subprocess.run(["unshare", "-n", "true"], check=True, capture_output=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        pytest.skip("this machine does not allow network namespaces")
    names = ["contract_zh.pdf", *(["photo_zh.jpg"] if HAS_OCR else [])]
    code = (
        "import sys; from auditor.pipeline import audit\n"
        "for path in sys.argv[1:]:\n"
        "    r = audit(path); print(r.file, len(r.findings), r.warnings)\n"
    )
    done = subprocess.run(
        ["unshare", "-n", sys.executable, "-c", code, *(str(FILES / n) for n in names)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert [line.split()[:2] for line in done.stdout.splitlines()] == [[n, str(len(CHECKS))] for n in names]


# --- telemetry ---------------------------------------------------------------------------------


def test_privacy_streamlit_sends_no_usage_statistics() -> None:
    """`contract-audit ui` gives the offline settings on the command line, whatever the working folder."""
    from auditor.ui.launch import command

    args = command(port=8765)
    assert "--browser.gatherUsageStats=false" in args
    assert "--server.address=localhost" in args
    assert "--server.headless=true" in args
    assert not (ROOT / ".streamlit").exists()  # no settings that only apply inside the repository


# --- files left on disk ------------------------------------------------------------------------


def fake_libreoffice(folder: Path) -> Path:
    """A stand-in `soffice` that "converts" any input by copying the Chinese fixture .docx."""
    folder.mkdir()
    fake = folder / "soffice"
    fake.write_text(
        f"#!{sys.executable}\n"
        "import shutil, sys\nfrom pathlib import Path\n"
        "args = sys.argv[1:]\n"
        "out = Path(args[args.index('--outdir') + 1]) / (Path(args[-1]).stem + '.docx')\n"
        f"shutil.copy({str(FILES / 'contract_zh.docx')!r}, out)\n"
    )
    fake.chmod(0o755)
    return folder


def test_privacy_no_file_left_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    scratch, work = tmp_path / "tmp", tmp_path / "cwd"
    scratch.mkdir()
    work.mkdir()
    bin_dir = fake_libreoffice(tmp_path / "bin")
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    monkeypatch.setenv("TMPDIR", str(scratch))
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    monkeypatch.chdir(work)
    uploads = [(name, (FILES / name).read_bytes()) for name in UPLOADS]
    uploads.append(("合同.wps", bytes.fromhex("D0CF11E0A1B11AE1") + bytes(1024)))  # through LibreOffice
    for name, data in uploads:
        report = audit(data, filename=name)
        assert len(report.findings) == len(CHECKS)
        assert list(scratch.iterdir()) == [] and list(work.iterdir()) == [], f"{name} left files behind"


# --- logs --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", UPLOADS)
def test_privacy_no_contract_text_in_logs(
    name: str, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    """Captured at INFO, which holds the WARNING records too; printed output is checked as well."""
    sentences = contract_sentences(name)
    capfd.readouterr()
    with caplog.at_level(logging.INFO):
        audit((FILES / name).read_bytes(), filename=name)
    out, err = capfd.readouterr()
    logged = caplog.text + out + err
    assert [s for s in sentences if s in logged or s[:12] in logged] == []
