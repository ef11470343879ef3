"""Batch runs: the same results whatever the engine (in-process, worker processes, Dask), one bad or slow
file never stops a batch, and the summary outputs are valid files.
"""

from __future__ import annotations

import shutil
import signal
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest

from auditor.batch import pool as batch
from auditor.batch.pool import Options, run_batch
from auditor.cli import main
from auditor.model import AuditReport, Status
from auditor.pipeline import audit
from auditor.report import render, summary
from auditor.report.render import to_json
from auditor.report.words import report_word
from tests.conftest import SAMPLES

GARBAGE = b"\x00\x17not a pdf at all\xff" * 20


def _json(results: list[batch.Result]) -> list[str]:
    return [to_json(r) for r in results]


def _folder(tmp_path: Path, names: tuple[str, ...]) -> Path:
    """A copy of some sample contracts plus a corrupt PDF."""
    folder = tmp_path / "contracts"
    folder.mkdir()
    for name in names:
        shutil.copy(SAMPLES / name, folder / name)
    (folder / "x.pdf").write_bytes(GARBAGE)
    return folder


@lru_cache(maxsize=1)
def _serial_samples() -> tuple[list[Path], list[str]]:
    """The whole sample corpus audited in-process, shuffled first: the reference the other engines match."""
    files = sorted(p for p in SAMPLES.iterdir() if p.suffix != ".json")
    outcome = run_batch(files[::-1], Options(workers=1))
    return files, _json(outcome.results)


def test_batch_workers_match_serial_on_samples() -> None:
    files, serial = _serial_samples()
    parallel = run_batch(files, Options(workers=2)).results
    assert [r.file for r in parallel] == [p.name for p in files]  # sorted by path, whatever the input order
    assert _json(parallel) == serial


def test_batch_dask_local_cluster_matches_local() -> None:
    distributed = pytest.importorskip("distributed")
    files, serial = _serial_samples()
    some = [p for p in files if p.stem.startswith(("en_01", "en_02", "en_03", "zh_03", "zh_06", "zh_09"))]
    expected = [s for p, s in zip(files, serial, strict=True) if p in some]
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        by_path = run_batch(some, Options(dask=cluster.scheduler_address)).results
        by_bytes = run_batch(some, Options(dask=cluster.scheduler_address, dask_bytes=True)).results
    assert _json(by_path) == expected
    assert _json(by_bytes) == expected


def test_batch_dask_reads_relative_paths_from_the_clients_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker elsewhere resolves a relative path from its own folder: the client sends absolute ones,
    and still names a file that fails as the user named it.
    """
    distributed = pytest.importorskip("distributed")
    folder = _folder(tmp_path, ("en_03_influencer.txt",))
    monkeypatch.chdir(tmp_path)
    sent: list[str] = []
    submit = distributed.Client.submit

    def recording(client: Any, function: Any, path: str, *args: Any, **kwargs: Any) -> Any:
        sent.append(path)
        return submit(client, function, path, *args, **kwargs)

    monkeypatch.setattr(distributed.Client, "submit", recording)
    relative = sorted(p.relative_to(tmp_path) for p in folder.iterdir())
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        results = run_batch(relative, Options(dask=cluster.scheduler_address)).results
    assert sorted(sent) == sorted(str(tmp_path / p) for p in relative)
    assert isinstance(results[0], AuditReport) and results[1]["file"] == str(Path(folder.name) / "x.pdf")


def test_batch_corrupt_file_does_not_stop_the_others(tmp_path: Path) -> None:
    folder = _folder(tmp_path, ("zh_02_douyin_package.txt", "en_03_influencer.txt"))
    results = run_batch(list(folder.iterdir()), Options(workers=2)).results
    assert [isinstance(r, AuditReport) for r in results] == [True, False, True]  # en_03, x.pdf, zh_02
    assert results[1]["file"] == str(folder / "x.pdf")
    assert "not a valid PDF" in results[1]["error"]


def test_batch_timeout_kills_and_replaces_worker(tmp_path: Path) -> None:
    """A timeout far shorter than any audit: every worker is killed mid-file, and the third file still
    gets a (replacement) worker rather than hanging the batch.
    """
    folder = _folder(tmp_path, ("zh_02_douyin_package.txt", "zh_05_kol_promotion.txt", "zh_09_seo_service.txt"))
    results = run_batch(list(folder.glob("*.txt")), Options(workers=2, timeout=0.001)).results
    reasons = [r["error"].split(": ", 1)[1] for r in results]
    assert reasons == ["stopped after the per-file timeout of 0.001 s"] * 3


def test_cli_audit_writes_summary_and_charts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from openpyxl import load_workbook

    monkeypatch.setattr("auditor.batch.store.engine_fingerprint", lambda: "e")  # whatever is edited meanwhile
    monkeypatch.setattr("auditor.lexicon.lexicon_fingerprint", lambda: "l")

    folder = _folder(tmp_path, ("zh_02_douyin_package.txt", "en_03_influencer.txt"))
    shutil.copy(SAMPLES / "zh_09_seo_service.txt", folder / "合同_搜索优化.txt")  # a Chinese name to draw
    db, xlsx, png, html, csv = (tmp_path / n for n in ("a.sqlite", "s.xlsx", "h.png", "h.html", "s.csv"))
    args = [
        "audit",
        str(folder),
        "--db",
        str(db),
        "--workers",
        "1",
        "--format",
        "csv",
        "--out",
        str(tmp_path / "out.csv"),
    ]
    assert main([*args, "--summary", str(xlsx), "--chart", str(png)]) == 2  # the corrupt file
    assert main([*args, "--summary", str(csv), "--chart", str(html)]) == 2
    err = capsys.readouterr().err
    assert "4 contracts: 1 audited, 3 from the store, 1 error" in err  # the second run
    assert "dispute_forum" in err

    ws = load_workbook(xlsx).active
    assert [c.value for c in ws[1]][:3] == ["文件", "语言", "服务内容与数量"]  # two of three contracts are Chinese
    assert [ws.cell(r, 1).value for r in range(2, 6)] == [
        "en_03_influencer.txt",
        str(folder / "x.pdf"),
        "zh_02_douyin_package.txt",
        "合同_搜索优化.txt",
    ]
    assert ws.freeze_panes == "B2"
    assert ws.auto_filter.ref == "A1:L5"
    assert ws["C2"].fill.start_color.rgb.endswith(("C6EFCE", "FFEB9C", "FFC7CE"))
    assert ws["C3"].fill.start_color.rgb.endswith("D9D9D9")  # the error row
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    import matplotlib.image

    assert matplotlib.image.imread(png).shape[0] > 100
    page = html.read_text(encoding="utf-8")
    assert page.count("<tr>") == 5 and "合同_搜索优化.txt" in page
    assert "合同审查结论一览" in page and 'data-check="scope_volume"' in page and ">无法读取<" in page
    assert csv.read_text(encoding="utf-8-sig").count("\n") == 5


BAD_OPTIONS = [("--summary", "a.txt"), ("--chart", "a.svg"), ("--workers", "0"), ("--timeout", "0")]


@pytest.mark.parametrize(("option", "value"), BAD_OPTIONS)
def test_cli_audit_rejects_bad_batch_options(option: str, value: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", str(SAMPLES / "zh_02_douyin_package.txt"), "--no-db", option, value]) == 2
    assert option in capsys.readouterr().err


@pytest.mark.parametrize(
    ("lang", "title", "status"), [("zh", "服务内容与数量", "通过"), ("en", "Scope and volume", "pass")]
)
def test_summary_and_heatmap_speak_the_language_asked_for(tmp_path: Path, lang: str, title: str, status: str) -> None:
    from openpyxl import load_workbook

    reports = [summary.Row.of(audit(SAMPLES / name)) for name in ("zh_02_douyin_package.txt", "en_03_influencer.txt")]
    summary.write_summary(reports, tmp_path / "s.xlsx", lang)  # type: ignore[arg-type]
    summary.write_summary(reports, tmp_path / "s.csv", lang)  # type: ignore[arg-type]
    summary.write_chart(reports, tmp_path / "h.html", lang)  # type: ignore[arg-type]
    words = {report_word(s.value, lang) for s in Status}  # type: ignore[arg-type]
    ws = load_workbook(tmp_path / "s.xlsx").active
    assert ws["C1"].value == title and {ws.cell(r, c).value for r in (2, 3) for c in range(3, 10)} <= words
    assert title in (tmp_path / "s.csv").read_text(encoding="utf-8-sig")
    page = (tmp_path / "h.html").read_text(encoding="utf-8")
    assert f'<html lang="{lang}">' in page and report_word("heatmap_title", lang) in page  # type: ignore[arg-type]
    assert f">{status}<" in page


# --- streaming: results in path order as soon as every earlier file is done ---------------------------


def _entries(*names: str) -> list[batch.Entry]:
    return [render.error_entry(name, f"{name}: unreadable") for name in names]


def test_in_order_releases_each_entry_once_its_predecessors_are_out() -> None:
    a, b, c, d = _entries("a", "b", "c", "d")
    order = batch.InOrder()
    order.add(2, c)
    assert list(order.due()) == []  # 0 and 1 are still running
    order.add(0, a)
    assert list(order.due()) == [a]
    order.add(3, d)
    order.add(1, b)
    assert list(order.due()) == [b, c, d]
    assert list(order.rest()) == []


def test_in_order_on_interrupt_flushes_what_finished_in_order() -> None:
    a, b, c, d = _entries("a", "b", "c", "d")
    order = batch.InOrder()
    for i, entry in ((3, d), (1, b), (0, a)):
        order.add(i, entry)
    assert list(order.due()) == [a, b]
    order.add(5, c)
    assert list(order.rest()) == [d, c]  # 2 and 4 never finished


def _fake_engine(monkeypatch: pytest.MonkeyPatch, script: list[tuple[int, batch.Entry] | BaseException]) -> list[str]:
    """Replace the engines with one that plays `script`: (index, entry) to yield, or an exception to raise.
    Returns the log of what it yielded.
    """
    log: list[str] = []

    def run(paths: Any, todo: list[int], options: Options) -> Iterator[tuple[int, batch.Entry]]:
        for step in script:
            if isinstance(step, BaseException):
                raise step
            log.append(f"yield {step[0]}")
            yield step

    monkeypatch.setattr(batch, "_run", run)
    return log


def _paths(tmp_path: Path, n: int) -> list[Path]:
    paths = [tmp_path / f"c{i}.txt" for i in range(n)]
    for p in paths:
        p.write_text("x", encoding="utf-8")
    return paths


def test_batch_streams_in_path_order_with_reports_and_errors(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    paths = _paths(tmp_path, 3)
    report = audit(SAMPLES / "zh_02_douyin_package.txt").to_dict()
    bad0, bad2 = _entries(str(paths[0]), str(paths[2]))
    _fake_engine(monkeypatch, [(2, bad2), (1, report), (0, bad0)])
    run = batch.Batch(paths, Options(workers=1))
    results = list(run)
    assert [r["file"] if isinstance(r, dict) else r.file for r in results] == [
        str(paths[0]),
        report["file"],
        str(paths[2]),
    ]
    assert isinstance(results[1], AuditReport)
    assert (run.done, run.total, run.from_store, run.interrupted) == (3, 3, 0, None)


def test_batch_interrupted_in_the_engine_releases_what_finished(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    paths = _paths(tmp_path, 4)
    e0, _, e2, e3 = _entries(*map(str, paths))
    _fake_engine(monkeypatch, [(3, e3), (0, e0), (2, e2), KeyboardInterrupt()])
    run = batch.Batch(paths, Options(workers=1))
    assert list(run) == [e0, e2, e3]  # 1 never finished; those after it still come, in order
    assert (run.done, run.interrupted) == (3, signal.SIGINT)
    outcome = run_batch(paths, Options(workers=1))  # the list form says the same
    assert (outcome.results, outcome.interrupted, outcome.total) == ([e0, e2, e3], signal.SIGINT, 4)


def test_batch_interrupt_while_the_caller_writes_waits_for_it(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Ctrl-C while a result is being handled reaches the batch once the caller asks for the next one."""
    paths = _paths(tmp_path, 3)
    e0, e1, e2 = _entries(*map(str, paths))
    log = _fake_engine(monkeypatch, [(0, e0), (2, e2), (1, e1)])
    run = batch.Batch(paths, Options(workers=1))
    handled = []
    for result in run:
        signal.raise_signal(signal.SIGINT)  # held: no KeyboardInterrupt here, mid-"write"
        handled.append(result)
    assert handled == [e0]
    assert run.interrupted == signal.SIGINT
    assert log == ["yield 0"]  # the engine was stopped there
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_cli_writes_each_result_before_the_batch_ends(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = _paths(tmp_path, 3)
    e0, e1, e2 = _entries(*map(str, paths))
    out = tmp_path / "out.jsonl"
    seen: list[str] = []

    def run(paths: Any, todo: list[int], options: Options) -> Iterator[tuple[int, batch.Entry]]:
        yield 1, e1
        seen.append(out.read_text(encoding="utf-8"))  # 0 is not done: nothing may be out yet
        yield 0, e0
        seen.append(out.read_text(encoding="utf-8"))  # 0 and 1 are out, before 2 is done
        yield 2, e2

    monkeypatch.setattr(batch, "_run", run)
    assert main(["audit", str(tmp_path), "--no-db", "--format", "jsonl", "--out", str(out)]) == 2
    lines = [to_json(e, indent=None) + "\n" for e in (e0, e1, e2)]
    assert seen == ["", "".join(lines[:2])]
    assert out.read_text(encoding="utf-8") == "".join(lines)
    assert "3 contracts: 3 audited, 0 from the store, 3 errors" in capsys.readouterr().err
