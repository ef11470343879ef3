"""The registry snapshot (spaCy's registry test, ruff's `codes.rs`): every check id is wired the same way to
its module, its lexicon, its fixtures and its docstring, and nothing is left over on either side.
"""

from __future__ import annotations

import importlib
import re

import pytest

from auditor.checks import CHECKS, PROVIDER_CHECKS, all_checks, get_check
from auditor.lexicon import LANGS, LEXICON_DIR, load_lexicon
from auditor.rules.wording import fill
from tests.conftest import FIXTURES, ROOT

RUBRIC_ORDER = (
    "scope_volume",
    "quality_standards",
    "kpi_remedies",
    "staged_payment",
    "breach_liability",
    "dispute_forum",
    "termination_penalties",
)

# Lexicons that are not checks, and who reads them. A new non-check lexicon must be added here on purpose.
NON_CHECK_LEXICONS = {
    "_common": "shared cues: negation, blanks, redactions, signature lines (checks/_base.py)",
    "analysis": "money, percent, duration, quantity and party recognisers (analyse.py, nlp.py)",
    "red_flags": "red-flag cues and messages (red_flags.py)",
    "report": "words of the rendered reports (report.py)",
    "ui": "words of the review desk (ui/desk.py, report/annotate.py)",
    "dispute": "dispute-scenario view (dispute.py)",
    "contract_types": "contract-type cues and the playbook each proposes (perspective.py)",
    "playbook": "reasons of playbook-defined required items (playbook.py)",
    "jurisdictions": "places a governing-law clause may name, by ISO code (rules/law.py)",
    "adverse": "clauses that work against the client (rules/adverse.py: kpi_remedies, dispute brief)",
    "wording": "blanks, currencies, dates and per-contract-type suggested wording (rules/wording.py)",
    "negotiate": "words of the redline and the two-draft comparison (negotiate/redline.py, compare.py)",
    "clause_tags": "clause-type recognisers (analyse/clause_tags.py), measured by `eval-clauses` on LegalBench",
}
NON_CHECK_PREFIXES = ("playbook",)  # playbook*.toml
REGISTERED = tuple(c.id for c in all_checks())
PROVIDER_ORDER = tuple(c.id for c in PROVIDER_CHECKS)

DOC_HEADINGS = ("What it checks:", "Why it matters:", "Pass / weak / missing:")
LEFTOVER_PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def _lexicon_stems() -> set[str]:
    return {p.name.removesuffix(".toml") for p in LEXICON_DIR.iterdir() if p.name.endswith(".toml")}


def _check_modules() -> set[str]:
    folder = ROOT / "auditor" / "checks"
    return {p.stem for p in (*folder.glob("*.py"), *(folder / "provider").glob("*.py")) if not p.stem.startswith("_")}


def _module_of(check_id: str) -> str:
    side = "provider." if check_id in PROVIDER_ORDER else ""
    return f"auditor.checks.{side}{check_id}"


def test_registry_checks_in_rubric_order() -> None:
    assert tuple(c.id for c in CHECKS) == RUBRIC_ORDER


def test_registry_ids_unique() -> None:
    ids = list(REGISTERED)
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("check_id", REGISTERED)
def test_registry_module_stem_is_check_id(check_id: str) -> None:
    module = importlib.import_module(_module_of(check_id))
    assert module.CHECK.id == check_id
    assert get_check(check_id) is module.CHECK
    assert module.CHECK.run.__module__ == _module_of(check_id)


def test_registry_every_check_module_is_registered() -> None:
    assert _check_modules() == set(REGISTERED)


@pytest.mark.parametrize("check_id", REGISTERED)
def test_registry_check_has_lexicon(check_id: str) -> None:
    assert (LEXICON_DIR / f"{check_id}.toml").is_file()
    assert load_lexicon(check_id).name == check_id


def test_registry_no_orphan_lexicon() -> None:
    others = _lexicon_stems() - set(REGISTERED)
    unknown = {n for n in others if n not in NON_CHECK_LEXICONS and not n.startswith(NON_CHECK_PREFIXES)}
    assert not unknown, (
        f"lexicons {sorted(unknown)} match no check: add each to NON_CHECK_LEXICONS here, saying who reads it"
    )


@pytest.mark.parametrize("check_id", RUBRIC_ORDER)
@pytest.mark.parametrize("prefix", ["pass_", "weak_", "missing_"])
def test_registry_check_has_fixture_per_status(check_id: str, prefix: str) -> None:
    folder = FIXTURES / "checks" / check_id
    assert sorted(folder.glob(f"{prefix}*.txt")), f"no {prefix}* fixture in {folder}"


@pytest.mark.parametrize("check_id", PROVIDER_ORDER)
def test_registry_provider_check_has_a_passing_and_a_failing_fixture(check_id: str) -> None:
    statuses = {p.name.split("_", 1)[0] for p in (FIXTURES / "checks" / check_id).glob("*.txt")}
    assert "pass" in statuses and statuses & {"weak", "missing"}, statuses


@pytest.mark.parametrize("check_id", REGISTERED)
def test_registry_check_has_tricky_fixture(check_id: str) -> None:
    folder = FIXTURES / "checks" / check_id
    assert [p for p in folder.glob("*.txt") if re.match(r"(?:pass|weak|missing)_tricky_", p.name)]


def test_registry_no_fixture_folder_without_check() -> None:
    folders = {p.name for p in (FIXTURES / "checks").iterdir() if p.is_dir()}
    assert folders == set(REGISTERED)


@pytest.mark.parametrize("check_id", REGISTERED)
@pytest.mark.parametrize("heading", DOC_HEADINGS)
def test_registry_docstring_has_heading(check_id: str, heading: str) -> None:
    assert heading in get_check(check_id).doc


@pytest.mark.parametrize("check_id", REGISTERED)
@pytest.mark.parametrize("lang", LANGS)
def test_registry_suggestion_templates_fill_completely(check_id: str, lang: str) -> None:
    suggestions = load_lexicon(check_id).suggestion
    assert "default" in suggestions
    for variant, templates in suggestions.items():
        for facts in ({}, {"client": "甲方公司", "provider": "乙方公司", "amount": "人民币36,000元"}):
            text = fill(templates[lang], facts, lang)  # type: ignore[arg-type]
            assert text.strip()
            assert not LEFTOVER_PLACEHOLDER.search(text), f"{check_id} [{variant}] {lang}: {text}"
