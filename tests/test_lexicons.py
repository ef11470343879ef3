"""Every lexicon file has the documented shape (auditor/lexicon.py), read both through the loader and as raw
TOML so the loader's own validation is checked too; a malformed file fails loudly, naming file and key.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

from auditor import lexicon
from auditor.lexicon import LANGS, LEXICON_DIR, LexiconError, load_lexicon

FILES = sorted(LEXICON_DIR.glob("*.toml"))
NAMES = [p.stem for p in FILES]

# What a cue's {placeholder} stands for when a check compiles it (lexicon.py, analyse.py).
PLACEHOLDERS = {"{client}": "(?:甲方)", "{provider}": "(?:乙方)", "{alias}": "(?:甲方)"}


def _raw(name: str) -> dict[str, Any]:
    return tomllib.loads((LEXICON_DIR / f"{name}.toml").read_text(encoding="utf-8"))


def _patterns(entry: dict[str, Any], lang: str) -> list[str]:
    value = entry[lang]
    return list(value) if isinstance(value, list) else [value]


def _cue_table(names: list[str]) -> list[tuple[str, str, str]]:
    return [(name, key, lang) for name in names for key in _raw(name).get("cues", {}) for lang in LANGS]


def _reason_table(names: list[str]) -> list[tuple[str, str]]:
    return [(name, key) for name in names for key in _raw(name).get("reasons", {})]


CUES = _cue_table(NAMES)
REASONS = _reason_table(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_lexicons_load_and_validate(name: str) -> None:
    lex = load_lexicon(name)
    assert lex.name == name


@pytest.mark.parametrize(("name", "key", "lang"), CUES, ids=[f"{n}.{k}.{lang}" for n, k, lang in CUES])
def test_lexicons_cue_regex_compiles(name: str, key: str, lang: str) -> None:
    patterns = _patterns(_raw(name)["cues"][key], lang)
    for pattern in patterns:
        for placeholder, value in PLACEHOLDERS.items():
            pattern = pattern.replace(placeholder, value)
        re.compile(pattern)
    fresh = load_lexicon.__wrapped__(name)  # the file as it is now, not as first cached in this process
    assert len(fresh.each(key, lang)) == len(patterns)


# Duplicates found by the test below and not yet removed from the lexicon (remove the entry once fixed).
KNOWN_DUPLICATES: dict[tuple[str, str, str], str] = {}
DUPLICATE_CASES = [
    pytest.param(
        n,
        k,
        lang,
        id=f"{n}.{k}.{lang}",
        marks=[pytest.mark.xfail(strict=True, reason=KNOWN_DUPLICATES[(n, k, lang)])]
        if (n, k, lang) in KNOWN_DUPLICATES
        else [],
    )
    for n, k, lang in CUES
]


@pytest.mark.parametrize(("name", "key", "lang"), DUPLICATE_CASES)
def test_lexicons_cue_has_no_duplicate_pattern(name: str, key: str, lang: str) -> None:
    patterns = _patterns(_raw(name)["cues"][key], lang)
    assert len(patterns) == len(set(patterns)), [p for p in patterns if patterns.count(p) > 1]


@pytest.mark.parametrize(("name", "key"), REASONS, ids=[f"{n}.{k}" for n, k in REASONS])
def test_lexicons_reason_has_zh_and_en(name: str, key: str) -> None:
    reason = _raw(name)["reasons"][key]
    assert all(isinstance(reason.get(lang), str) and reason[lang].strip() for lang in LANGS), reason


@pytest.mark.parametrize("name", NAMES)
def test_lexicons_meta_title_has_zh_and_en(name: str) -> None:
    title = _raw(name).get("meta", {}).get("title", {})
    assert all(isinstance(title.get(lang), str) and title[lang].strip() for lang in LANGS), title


# (what is wrong, file body, words the error must contain besides the file name)
MALFORMED = [
    ("bad_regex", '[cues.broken_cue]\nzh = ["(unclosed"]\nen = ["ok"]\n', "broken_cue"),
    ("cue_without_en", '[cues.half_cue]\nzh = ["ok"]\n', "half_cue"),
    ("reason_without_zh", '[reasons.lonely]\nen = "Only English."\n', "lonely"),
    ("title_without_en", '[meta]\ntitle = { zh = "标题" }\n', "title"),
    ("suggestion_variant_without_en", '[suggestion.short]\nzh = "建议"\n', "short"),
    ("toml_syntax", "[cues.x\nzh = 1\n", ""),
]


@pytest.mark.parametrize(("case", "body", "key"), MALFORMED, ids=[m[0] for m in MALFORMED])
def test_lexicons_malformed_file_names_file_and_key(
    case: str, body: str, key: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = f"broken_{case}"
    (tmp_path / f"{name}.toml").write_text(body, encoding="utf-8")
    monkeypatch.setattr(lexicon, "LEXICON_DIR", tmp_path)
    with pytest.raises(LexiconError) as err:
        load_lexicon.__wrapped__(name)  # bypass the process cache: nothing of this file may linger
    assert name in str(err.value)
    assert key in str(err.value)


def test_lexicons_malformed_data_rejected_by_parser() -> None:
    data = {"cues": {"bad": {"zh": ["[unclosed"], "en": ["fine"]}}}
    with pytest.raises(LexiconError, match=r"inline_case: cue 'bad' does not compile"):
        lexicon._parse("inline_case", data)


def test_lexicons_missing_file_raises() -> None:
    with pytest.raises(LexiconError, match=r"no_such_lexicon\.toml"):
        load_lexicon.__wrapped__("no_such_lexicon")


def test_lexicon_parsed_once_per_text_then_read_from_the_cache_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A later process reads the parsed copy instead of the TOML; a copy that is not whole is parsed and
    written again; without a cache folder every process parses.
    """
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    load_lexicon.cache_clear()
    try:
        first = load_lexicon("scope_volume")
        copies = list((tmp_path / "contract-auditor" / "lexicons-valid").glob("*.marshal"))
        assert len(copies) == 1
        load_lexicon.cache_clear()

        def unparsed(text: str) -> dict[str, Any]:
            raise AssertionError("parsed again")

        with monkeypatch.context() as patched:
            patched.setattr(lexicon.tomllib, "loads", unparsed)
            assert load_lexicon("scope_volume") == first
        copies[0].write_bytes(b"\x00cut short")
        load_lexicon.cache_clear()
        assert load_lexicon("scope_volume") == first
        assert lexicon._read_copy(copies[0]) == tomllib.loads((LEXICON_DIR / "scope_volume.toml").read_text("utf-8"))
        monkeypatch.setattr(lexicon, "cache_dir", lambda: None)
        load_lexicon.cache_clear()
        assert load_lexicon("scope_volume") == first
    finally:
        load_lexicon.cache_clear()
