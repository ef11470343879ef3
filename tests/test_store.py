"""The result store: a re-run skips unchanged files, a new engine or lexicon invalidates, reports rebuild
exactly from their stored JSON, and `contract-audit report` filters what is stored.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from auditor.batch import pool as batch
from auditor.batch.pool import Options, run_batch
from auditor.batch.store import Store, default_path, from_dict
from auditor.cli import main
from auditor.model import AuditReport
from auditor.pipeline import audit
from auditor.report.render import to_json, to_markdown, to_text
from tests.conftest import SAMPLES

# zh_05: dispute forum missing, no full prepayment; zh_02: dispute forum weak, full prepayment flagged.
NAMES = ("zh_02_douyin_package.txt", "zh_05_kol_promotion.txt", "en_03_influencer.txt")


def _pin(monkeypatch: pytest.MonkeyPatch, engine: str = "e", lexicon: str = "l") -> None:
    """Fix both fingerprints, so that colleagues editing the engine meanwhile cannot change them."""
    monkeypatch.setattr("auditor.batch.store.engine_fingerprint", lambda: engine)
    monkeypatch.setattr("auditor.lexicon.lexicon_fingerprint", lambda: lexicon)


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "contracts"
    folder.mkdir()
    for name in NAMES:
        shutil.copy(SAMPLES / name, folder / name)
    return folder


def _run(folder: Path, db: Path) -> batch.Outcome:
    with Store(db) as store:
        return run_batch(sorted(folder.iterdir()), Options(workers=1), store=store)


def _no_audits(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(path: str, *args: object) -> batch.Entry:
        raise AssertionError(f"{path} was audited again")

    monkeypatch.setattr(batch, "audit_entry", fail)


@pytest.mark.parametrize("name", ["zh_06_ad_agency.docx", "zh_07_brand_design.pdf", "en_03_influencer.txt"])
def test_store_from_dict_rebuilds_what_renderers_show(name: str) -> None:
    report = audit(SAMPLES / name)
    rebuilt = from_dict(json.loads(to_json(report)))
    assert rebuilt.to_dict() == report.to_dict()
    assert to_text(rebuilt) == to_text(report)
    assert to_markdown(rebuilt) == to_markdown(report)


def test_store_rerun_skips_unchanged_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _pin(monkeypatch)
    folder, db = _folder(tmp_path), tmp_path / "a.sqlite"
    first = _run(folder, db)
    _no_audits(monkeypatch)
    again = _run(folder, db)
    assert (first.from_store, again.from_store) == (0, 3)
    assert [to_json(r) for r in again.results] == [to_json(r) for r in first.results]


def test_store_rerun_reads_each_stored_result_when_its_turn_comes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A re-run of a large folder must not hold every stored report from the start: the batch keeps only
    the index of each, and reads it from the store as it releases it.
    """
    _pin(monkeypatch)
    folder, db = _folder(tmp_path), tmp_path / "a.sqlite"
    first = _run(folder, db)
    _no_audits(monkeypatch)
    with Store(db) as store:
        again = batch.Batch(sorted(folder.iterdir()), Options(workers=1), store=store)
        assert again._order._waiting == {0: 0, 1: 1, 2: 2}
        results = list(again)
    assert [to_json(r) for r in results] == [to_json(r) for r in first.results]


def test_store_result_gone_during_the_batch_is_one_error_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _pin(monkeypatch)
    folder, db = _folder(tmp_path), tmp_path / "a.sqlite"
    _run(folder, db)
    _no_audits(monkeypatch)
    with Store(db) as store:
        again = batch.Batch(sorted(folder.iterdir()), Options(workers=1), store=store)
        store._db.execute("DELETE FROM reports")  # another process pruned the store meanwhile
        results = list(again)
    assert [isinstance(r, AuditReport) for r in results] == [False, False, False]
    assert results[0] == {
        "file": str(folder / NAMES[2]),
        "error": f"{NAMES[2]}: its stored result changed during the batch; run the batch again",
    }


def test_store_reuses_a_renamed_file_under_its_new_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _pin(monkeypatch)
    folder, db = _folder(tmp_path), tmp_path / "a.sqlite"
    _run(folder, db)
    (folder / NAMES[0]).rename(folder / "renamed.txt")
    _no_audits(monkeypatch)
    again = _run(folder, db)
    assert again.from_store == 3
    assert "renamed.txt" in [r.file for r in again.results if isinstance(r, AuditReport)]


@pytest.mark.parametrize("change", ["lexicon", "engine", "content"])
def test_store_invalidates(change: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _pin(monkeypatch)
    folder, db = _folder(tmp_path), tmp_path / "a.sqlite"
    _run(folder, db)
    if change == "content":
        with (folder / NAMES[1]).open("a", encoding="utf-8") as fh:
            fh.write("\n第十条 本合同一式两份。\n")
    else:
        _pin(monkeypatch, **{change: "changed"})
    assert _run(folder, db).from_store == (2 if change == "content" else 0)


def _names(results: list[AuditReport], keep: Callable[[AuditReport], bool]) -> list[str]:
    return [Path(r.file).name for r in results if keep(r)]


def _forum_missing(r: AuditReport) -> bool:
    return r.finding("dispute_forum").status == "missing"


def test_store_select_filters_by_check_status_and_flag(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _pin(monkeypatch)
    folder, db = _folder(tmp_path), tmp_path / "a.sqlite"
    audited = [r for r in _run(folder, db).results if isinstance(r, AuditReport)]
    with Store(db) as store:
        assert [r.file for r in store.select()] == [str(folder / n) for n in sorted(NAMES)]  # full paths
        missing_forum = store.select(check="dispute_forum", status="missing")
        any_missing = store.select(status="missing")
        prepaid = store.select(flag="full_prepayment")
    assert _names(missing_forum, bool) == _names(audited, _forum_missing) != []  # en_03, zh_05 (labels)
    assert _names(any_missing, bool) == _names(audited, lambda r: any(f.status == "missing" for f in r.findings))
    assert (
        _names(prepaid, bool)
        == _names(audited, lambda r: any(f.flag_id == "full_prepayment" for f in r.red_flags))
        != []
    )


def test_cli_report_lists_filtered_results(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _pin(monkeypatch)
    folder, db = _folder(tmp_path), tmp_path / "a.sqlite"
    audited = [r for r in _run(folder, db).results if isinstance(r, AuditReport)]
    assert main(["report", "--db", str(db), "--check", "dispute_forum", "--status", "missing", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [Path(r["file"]).name for r in listed] == _names(audited, _forum_missing)
    assert main(["report", "--db", str(db), "--format", "csv"]) == 0
    assert capsys.readouterr().out.count("\n") == 4
    assert main(["report", "--db", str(db)]) == 0
    assert "3 contracts" in capsys.readouterr().out
    _pin(monkeypatch, lexicon="changed")
    assert main(["report", "--db", str(db)]) == 0
    out, err = capsys.readouterr()
    assert "0 contracts" in out and "3 stored results are out of date" in err


@pytest.mark.parametrize(
    "args", [["--check", "dispute_forum"], ["--flag", "no_such_flag"], ["--check", "no_such_check", "--status", "weak"]]
)
def test_cli_report_rejects_bad_filters(args: list[str], tmp_path: Path) -> None:
    assert main(["report", "--db", str(tmp_path / "a.sqlite"), *args]) == 2


def test_store_default_path_honours_xdg_cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert default_path() == tmp_path / "contract-auditor" / "audits.sqlite"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert default_path() == Path.home() / ".cache" / "contract-auditor" / "audits.sqlite"
