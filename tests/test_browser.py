"""The review desk in a real browser: `contract-audit ui` driven through Debian's Chromium with Playwright.

Uploads a PDF and a DOCX from sample_contracts/, checks the scorecard, a suggestion, the jump to a clause,
the English interface, the annotated Word download and a damaged upload. Screenshots go to
test-artifacts/ (gitignored); with CA_SCREENSHOTS=docs the main screens also go to docs/screenshots/.
Skipped, with the reason, only when `chromium` is not on PATH.
"""

from __future__ import annotations

import io
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import docx
import pytest
from playwright.sync_api import Locator, Page, expect, sync_playwright

from auditor.checks import CHECKS
from auditor.dispute.model import SCENARIOS
from auditor.dispute.reading import scenario_title
from auditor.model import Status
from auditor.pipeline import audit
from tests.hostile_content import MARKUP_PAYLOAD, PIXEL, injected_contract

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_contracts"
ARTIFACTS = ROOT / "test-artifacts"
DOCS = ROOT / "docs" / "screenshots"
PDF = "zh_03_xiaohongshu_operation.pdf"
DOCX = "zh_06_ad_agency.docx"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1", "[::1]")
PIXEL_HOST = urlsplit(PIXEL).hostname
WAIT_MS = 60_000  # the first audit builds the spaCy/jieba pipelines


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def _streamlit() -> Iterator[str]:
    """`contract-audit ui` (as `python -m auditor ui`) on a free port, stopped afterwards; yields its URL once
    it answers.
    """
    port = _free_port()
    command = [sys.executable, "-m", "auditor", "ui", "--port", str(port)]
    log = ARTIFACTS / "streamlit.log"
    with log.open("wb") as out:
        server = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
        try:
            url = f"http://localhost:{port}"
            deadline = time.monotonic() + 30
            while True:
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1):
                        break
                except OSError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(f"streamlit did not start; see {log}") from None
                    time.sleep(0.2)
            yield url
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def _shot(page: Page, name: str, *, docs: bool = False) -> None:
    """Screenshot to test-artifacts/, and to docs/screenshots/ when asked to refresh them."""
    page.mouse.move(1360, 890)  # an empty corner: no hover effects in the picture
    page.wait_for_timeout(400)  # let highlights and fonts settle
    page.screenshot(path=ARTIFACTS / name)
    if docs and os.environ.get("CA_SCREENSHOTS") == "docs":
        DOCS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ARTIFACTS / name, DOCS / name)


def _upload(page: Page, path: Path) -> None:
    """Upload a file and wait until its audit is on screen."""
    page.locator("[data-testid=stSidebar] input[type=file]").set_input_files(path)
    expect(page.get_by_text(path.name, exact=False).first).to_be_visible(timeout=WAIT_MS)


def _first_suggestion(name: str) -> str:
    findings = audit(SAMPLES / name).findings
    return next(f.suggestion for f in findings if f.status is not Status.PASS and f.suggestion)


def _check_review(page: Page, name: str) -> None:
    """Scorecard, summary and the first suggested clause are on screen."""
    expect(page.get_by_role("heading", name="审查概览")).to_be_visible(timeout=WAIT_MS)
    expect(page.get_by_text(f"共 {len(CHECKS)} 项").first).to_be_visible()
    expect(page.locator(".ca-card")).to_have_count(len(CHECKS))
    code = page.locator("[data-testid=stCode]").first
    expect(code).to_contain_text(_first_suggestion(name)[:20])


def _to_top(locator: Locator) -> None:
    """Scroll the page so that `locator` starts at the top of the view (for screenshots)."""
    locator.evaluate("e => e.scrollIntoView({block: 'start'})")


def _launch(playwright):  # type: ignore[no-untyped-def]
    return playwright.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)


def _skip_without_chromium() -> None:
    if shutil.which("chromium") is None:
        pytest.skip("chromium is not on PATH; install it with: apt-get install -y chromium fonts-noto-cjk")


@pytest.mark.browser
def test_browser_uploads_review_jump_language_and_word_download(tmp_path: Path) -> None:
    _skip_without_chromium()
    ARTIFACTS.mkdir(exist_ok=True)
    with _streamlit() as url, sync_playwright() as playwright:
        browser = _launch(playwright)
        page = browser.new_page(viewport={"width": 1366, "height": 900}, accept_downloads=True)
        page.goto(url)
        expect(page.get_by_text("合同来源")).to_be_visible(timeout=WAIT_MS)

        _upload(page, SAMPLES / PDF)
        _check_review(page, PDF)
        _shot(page, "scorecard.png", docs=True)

        with_code = page.locator("[data-testid=stCode]")
        opened = page.locator("[data-testid=stExpander]").filter(has=with_code).first
        _to_top(opened)
        expect(opened.locator("mark").first).to_be_visible()
        _shot(page, "finding.png", docs=True)

        opened.get_by_role("button", name="在原文中查看").first.click()
        expect(page.get_by_text("已定位到")).to_be_visible(timeout=WAIT_MS)
        expect(page.locator(".ca-focus")).to_be_in_viewport()
        _to_top(page.get_by_role("tablist"))
        expect(page.locator(".ca-focus")).to_be_in_viewport()
        _shot(page, "contract.png", docs=True)

        _upload(page, SAMPLES / DOCX)
        _check_review(page, DOCX)
        page.get_by_role("tab", name="下载").click()
        with page.expect_download() as download:
            page.get_by_role("button", name="Word 批注版").click()
        annotated = docx.Document(io.BytesIO(Path(download.value.path()).read_bytes()))
        assert len(annotated.comments) > 0
        assert "附录：审查意见与建议条款" in [p.text for p in annotated.paragraphs]
        with page.expect_download() as download:
            page.get_by_role("button", name="Word 修订版").click()
        redline = Path(download.value.path()).read_bytes()
        with zipfile.ZipFile(io.BytesIO(redline)) as archive:
            assert 'w:author="合同条款审计"' in archive.read("word/document.xml").decode()

        page.get_by_role("tab", name="对比两版").click()
        revised = tmp_path / "revised.txt"
        revised.write_text(audit(SAMPLES / DOCX).text.replace("。", "。本条自动续约。", 1), encoding="utf-8")
        page.get_by_role("tabpanel").locator("input[type=file]").set_input_files(revised)
        expect(page.get_by_role("heading", name="审查结论变化")).to_be_visible(timeout=WAIT_MS)
        expect(page.get_by_role("heading", name="条款变化")).to_be_visible()
        _shot(page, "compare.png")
        _shot(page, "downloads.png")

        page.get_by_role("tab", name="纠纷应对").click()
        page.locator("[data-testid=stRadio] label").filter(has_text="效果未达约定指标").click()
        brief = page.get_by_role("heading", name="争议应对简报：效果未达约定指标")
        expect(brief).to_be_visible(timeout=WAIT_MS)
        _to_top(page.locator("[data-testid=stRadio]").filter(has_text="效果未达约定指标"))
        _shot(page, "dispute.png", docs=True)

        page.get_by_role("tab", name="审查结果").click()
        page.get_by_text("English", exact=True).click()
        expect(page.get_by_role("heading", name="Scorecard")).to_be_visible(timeout=WAIT_MS)
        expect(page.get_by_role("tab", name="Findings")).to_be_visible()
        _shot(page, "english.png", docs=True)
        browser.close()


@pytest.mark.browser
def test_browser_damaged_upload_shows_a_message(tmp_path: Path) -> None:
    _skip_without_chromium()
    ARTIFACTS.mkdir(exist_ok=True)
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog")
    with _streamlit() as url, sync_playwright() as playwright:
        browser = _launch(playwright)
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        page.goto(url)
        page.locator("input[type=file]").set_input_files(broken)
        alert = page.get_by_text("无法读取该合同")
        expect(alert).to_be_visible(timeout=WAIT_MS)
        expect(alert).to_contain_text("broken.pdf")
        expect(page.get_by_text("Traceback")).to_have_count(0)
        _shot(page, "bad_upload.png")
        browser.close()


@pytest.mark.browser
def test_browser_makes_no_request_off_the_machine(tmp_path: Path) -> None:
    """Every request the page makes, through every tab, goes to the desk on localhost: no icon font, no
    tab icon, and none of the images, links or scripts a hostile contract carries (tests/hostile_content.py).
    Requests elsewhere are recorded and aborted, so the test itself sends nothing out.
    """
    _skip_without_chromium()
    ARTIFACTS.mkdir(exist_ok=True)
    contract = tmp_path / "hostile.txt"
    contract.write_text(injected_contract(MARKUP_PAYLOAD), encoding="utf-8")
    requested: list[str] = []
    with _streamlit() as url, sync_playwright() as playwright:
        browser = _launch(playwright)
        context = browser.new_context(viewport={"width": 1366, "height": 900})
        context.on("request", lambda request: requested.append(request.url))
        context.route(lambda address: not _on_this_machine(address), lambda route: route.abort())
        page = context.new_page()
        page.goto(url)
        _upload(page, contract)
        expect(page.get_by_role("heading", name="审查概览")).to_be_visible(timeout=WAIT_MS)
        for tab in ("合同原文", "纠纷应对", "下载", "审查结果"):
            page.get_by_role("tab", name=tab).click()
            page.wait_for_load_state("networkidle")
        page.get_by_role("tab", name="纠纷应对").click()
        for scenario in SCENARIOS:
            title = scenario_title(scenario, "zh")
            page.locator("[data-testid=stRadio] label").filter(has_text=title).click()
            expect(page.get_by_role("heading", name=f"争议应对简报：{title}")).to_be_visible(timeout=WAIT_MS)
            page.wait_for_load_state("networkidle")
        expect(page.get_by_text("pixel.png").first).to_be_attached()  # the contract's words, as text
        assert page.locator(f"img[src*='{PIXEL_HOST}'], a[href*='{PIXEL_HOST}'], a[href^='javascript']").count() == 0
        _shot(page, "offline.png")
        browser.close()
    elsewhere = [address for address in requested if not _on_this_machine(address)]
    assert requested and not elsewhere, elsewhere


def _on_this_machine(address: str) -> bool:
    """A request the page may make: to the desk itself, or to data the page already holds."""
    parts = urlsplit(address)
    return parts.scheme in ("data", "blob") or parts.hostname in LOCAL_HOSTS
