"""Clause tags (auditor/clause_tags.py): one parametrized table over the fixture rows, the shape of
`evaluate_folder`, and offsets that point into the original text.

The fixtures in tests/fixtures/clause_tags/ (English) and tests/fixtures/clause_tags/zh/ (Chinese) are
written for these tests: a few Yes and No clauses per tag, the No rows mostly near-misses of another
clause type. They have the benchmark's `label<TAB>text` shape, but nothing here reads /work/shared.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from auditor.analyse.clause_tags import (
    TAG_IDS,
    ClauseTag,
    evaluate_folder,
    format_table,
    has_tag,
    read_rows,
    tag_clause,
)
from auditor.lexicon import load_lexicon
from auditor.model import Lang
from tests.conftest import FIXTURES

FIXTURE_DIRS: tuple[tuple[Path, Lang], ...] = (
    (FIXTURES / "clause_tags", "en"),
    (FIXTURES / "clause_tags" / "zh", "zh"),
)


Row = tuple[str, Lang, bool, str]  # tag, language, expected label, clause


def _fixture_rows() -> dict[str, Row]:
    rows: dict[str, Row] = {}
    for folder, lang in FIXTURE_DIRS:
        for path in sorted(folder.glob("*.tsv")):
            for i, (label, text) in enumerate(read_rows(path), start=1):
                rows[f"{lang}-{path.stem}-{i}-{'yes' if label else 'no'}"] = (path.stem, lang, label, text)
    return rows


ROWS = _fixture_rows()
YES_ROWS = {key: row for key, row in ROWS.items() if row[2]}


@pytest.mark.parametrize(("tag", "lang", "expected", "text"), list(ROWS.values()), ids=list(ROWS))
def test_clause_tags_fixture_row(tag: str, lang: Lang, expected: bool, text: str) -> None:
    assert has_tag(text, tag, lang) is expected


@pytest.mark.parametrize(("folder", "lang"), FIXTURE_DIRS, ids=[lang for _, lang in FIXTURE_DIRS])
def test_clause_tags_every_tag_has_yes_and_no_fixtures(folder: Path, lang: Lang) -> None:
    for tag in TAG_IDS:
        labels = {label for label, _ in read_rows(folder / f"{tag}.tsv")}
        assert labels == {True, False}, f"{lang} {tag}"


def test_clause_tags_registry_matches_lexicon() -> None:
    lex = load_lexicon("clause_tags")
    assert len(set(TAG_IDS)) == len(TAG_IDS) == 11
    assert set(lex.values["rules"]) == set(TAG_IDS)
    for tag in TAG_IDS:
        assert lex.reasons[f"{tag}_title"]["en"] and lex.reasons[f"{tag}_title"]["zh"]
        assert lex.reasons[tag]["en"] and lex.reasons[tag]["zh"]


@pytest.mark.parametrize(("folder", "lang"), FIXTURE_DIRS, ids=[lang for _, lang in FIXTURE_DIRS])
def test_clause_tags_evaluate_folder_shape(folder: Path, lang: Lang) -> None:
    result = evaluate_folder(folder, lang)
    assert set(result) == {"tasks", "mean_balanced_accuracy"}
    assert list(result["tasks"]) == list(TAG_IDS)
    for stem, task in result["tasks"].items():
        assert set(task) == {"balanced_accuracy", "precision", "recall", "n"}
        assert task["n"] == len(read_rows(folder / f"{stem}.tsv"))
        assert 0.0 <= task["balanced_accuracy"] <= 1.0
        assert 0.0 <= task["precision"] <= 1.0
        assert 0.0 <= task["recall"] <= 1.0
    mean = sum(t["balanced_accuracy"] for t in result["tasks"].values()) / len(result["tasks"])
    assert result["mean_balanced_accuracy"] == pytest.approx(mean)
    assert json.loads(json.dumps(result)) == result


def test_clause_tags_evaluate_folder_skips_unknown_stems(tmp_path: Path) -> None:
    (tmp_path / "governing_law.tsv").write_text(
        "label\ttext\nYes\tThis Agreement is governed by the laws of Ontario.\nNo\tPayment is due in 30 days.\n",
        encoding="utf-8",
    )
    (tmp_path / "not_a_tag.tsv").write_text("label\ttext\nYes\tanything\n", encoding="utf-8")
    with pytest.warns(UserWarning, match="not_a_tag"):
        result = evaluate_folder(tmp_path)
    assert list(result["tasks"]) == ["governing_law"]
    assert result["tasks"]["governing_law"] == {"balanced_accuracy": 1.0, "precision": 1.0, "recall": 1.0, "n": 2}
    table = format_table(result)
    assert "governing_law" in table
    assert "mean" in table


def test_clause_tags_format_table_lists_every_task() -> None:
    result = evaluate_folder(FIXTURES / "clause_tags")
    lines = format_table(result).splitlines()
    assert len(lines) == 1 + len(TAG_IDS) + 1
    assert all(any(line.startswith(tag) for line in lines) for tag in TAG_IDS)


@pytest.mark.parametrize(("tag", "lang", "expected", "text"), list(YES_ROWS.values()), ids=list(YES_ROWS))
def test_clause_tags_offsets_point_into_text(tag: str, lang: Lang, expected: bool, text: str) -> None:
    assert expected
    hits = [t for t in tag_clause(text, lang) if t.tag == tag]
    assert len(hits) == 1
    hit = hits[0]
    assert isinstance(hit, ClauseTag)
    assert 0 <= hit.start < hit.end <= len(text)
    assert text[hit.start : hit.end].strip()
    lex = load_lexicon("clause_tags")
    assert all(key in lex.cues for key in hit.matched.split("+"))


def test_clause_tags_offsets_survive_padding_width_and_script() -> None:
    prefix = "第十二條　（其他約定）"  # Traditional characters, a full-width space and full-width brackets
    text = prefix + "本協議受香港特別行政區法律管轄。"
    (hit,) = [t for t in tag_clause(text, "zh") if t.tag == "governing_law"]
    assert hit.start >= len(prefix)
    assert text[hit.start : hit.end].startswith("受")
    assert text[hit.start : hit.end].endswith("管轄")


def test_clause_tags_offsets_skip_leading_text_en() -> None:
    prefix = "Section 14.2 Miscellaneous. "
    text = prefix + "This Agreement shall be governed by the laws of the State of Ohio."
    (hit,) = [t for t in tag_clause(text) if t.tag == "governing_law"]
    assert hit.start >= len(prefix)
    assert text[hit.start : hit.end].lower().startswith("governed")


def test_clause_tags_tag_clause_keeps_registry_order() -> None:
    text = (
        "Either party may terminate this Agreement without cause on thirty days' notice. "
        "This Agreement is governed by the laws of Oregon."
    )
    tags = [t.tag for t in tag_clause(text)]
    assert tags == [t for t in TAG_IDS if t in tags]
    assert {"termination_for_convenience", "governing_law"} <= set(tags)


def test_clause_tags_unknown_tag_raises() -> None:
    with pytest.raises(KeyError, match="no_such_tag"):
        has_tag("any text", "no_such_tag")


def test_clause_tags_empty_text_has_no_tag() -> None:
    assert tag_clause("") == ()
