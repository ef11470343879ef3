"""Institutions found without spaCy for Chinese, and jieba's dictionary read from SQLite, give exactly what
the spaCy pipeline over jieba's own in-memory dictionary gave: every clause of every sample and fixture,
and generated text built from the pieces the patterns care about (CJK words, the institutions, spaces).
"""

from __future__ import annotations

import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.analyse import nlp
from auditor.lexicon import LEXICON_DIR
from auditor.load import LoadError, load
from auditor.model import Lang
from auditor.text.normalise import detect_language
from auditor.text.segment import segment
from tests.conftest import FIXTURES, SAMPLES

spacy = pytest.importorskip("spacy")


@lru_cache(maxsize=1)
def _reference_jieba() -> Any:
    """The jieba tokenizer spaCy used: the whole dictionary in memory, the legal words added."""
    import jieba

    tokenizer = jieba.Tokenizer()
    tokenizer.tmp_dir = tempfile.mkdtemp()  # its pickled dictionary goes there, not into /tmp itself
    with (LEXICON_DIR / "legal_words.txt").open("rb") as words:
        tokenizer.load_userdict(words)
    return tokenizer


@lru_cache(maxsize=1)
def _reference_zh() -> Any:
    """The spaCy pipeline that found institutions in Chinese before (nlp.get_nlp over plain jieba)."""
    pipeline = spacy.blank("zh")
    pipeline.tokenizer.segmenter, pipeline.tokenizer.jieba_seg = "jieba", _reference_jieba()
    ruler = pipeline.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER"})
    ruler.add_patterns(nlp._entity_patterns("zh"))
    return pipeline


def _reference(text: str, lang: Lang) -> list[nlp.Span]:
    pipeline = _reference_zh() if lang == "zh" else nlp.get_nlp("en")
    return [(ent.start_char, ent.end_char, ent.ent_id_) for ent in pipeline(text).ents]


def _clauses() -> list[tuple[str, Lang]]:
    paths = [p for folder in (SAMPLES, FIXTURES / "files") for p in sorted(folder.iterdir())]
    out: list[tuple[str, Lang]] = []
    for path in paths:
        if path.suffix not in (".txt", ".docx", ".md"):
            continue
        try:
            doc = load(path)
        except LoadError:
            continue  # the damaged and refused files among the fixtures
        lang: Lang = "zh" if detect_language(doc.text) == "zh" else "en"
        out.extend((clause.norm, lang) for clause in segment(doc))
    return out


CLAUSES = _clauses()


def test_institutions_same_as_spacy_in_every_clause() -> None:
    assert len(CLAUSES) > 1000
    found = 0
    for text, lang in CLAUSES:
        expected = [_tie_as_phrase(text, span) for span in _reference(text, lang)]
        assert nlp.find_institutions(text, lang) == expected, text
        found += len(expected)
    assert found >= 10


def test_jieba_from_sqlite_cuts_as_jieba_in_memory() -> None:
    for text, lang in CLAUSES:
        if lang == "zh":
            assert nlp.segmenter().lcut(text) == _reference_jieba().lcut(text)


_WORDS = [
    "北京",
    "长沙",
    "仲裁委员会",
    "人民法院",
    "贸仲",
    "上海国际仲裁中心",
    "提交",
    "向",
    "所在地",
    "的",
    "甲方",
    "，",
    "CIETAC",
    "a",
]
_CJK = st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x4E40), max_size=3)
_PIECES = st.one_of(st.sampled_from([*_WORDS, " ", "  ", "\n"]), _CJK)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PIECES, max_size=12))
def test_institutions_same_as_spacy_in_generated_chinese(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert [_tie_as_phrase(text, span) for span in _reference(text, "zh")] == nlp.find_institutions(text, "zh")


def _tie_as_phrase(text: str, span: nlp.Span) -> nlp.Span:
    """A span that both a phrase and a sequence match (北京仲裁委员会) is labelled as the phrase now; spaCy
    labelled it by the iteration order of a set of hashes, one way or the other depending on the position.
    """
    start, end, label = span
    phrases = nlp.load_lexicon("analysis").values["org_phrases"]["zh"]
    return (start, end, nlp.PHRASE_ID) if text[start:end] in phrases else span


def test_english_triggers_are_the_tokens_spacy_makes_of_each_pattern() -> None:
    tokenizer = nlp.get_nlp("en").tokenizer
    phrases = nlp.load_lexicon("analysis").values["org_phrases"]["en"]
    assert [" ".join(t.text for t in tokenizer(p.lower())) for p in phrases] == list(nlp._en_triggers()[: len(phrases)])
    assert "" not in nlp._en_triggers()  # every sequence is of plain words, so the filter holds


def test_jieba_dictionary_built_in_the_cache_folder_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import jieba

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    frequencies, total = nlp._dictionary(jieba.Tokenizer())
    assert [p.name for p in (tmp_path / "cache" / "contract-auditor").iterdir()] == [
        f"jieba-{jieba.__version__}-{p.stat().st_size}-{int(p.stat().st_mtime)}.sqlite"
        for p in [Path(jieba.__file__).with_name("dict.txt")]
    ]
    assert not list((tmp_path / "tmp").iterdir())
    reference = jieba.Tokenizer.gen_pfdict(jieba.Tokenizer().get_dict_file())
    assert total == reference[1]
    assert all(frequencies.get(word) == freq for word, freq in list(reference[0].items())[::997])
    assert "合同xyz" not in frequencies


def test_jieba_dictionary_in_memory_without_a_home(monkeypatch: pytest.MonkeyPatch) -> None:
    import jieba

    monkeypatch.setattr(nlp, "cache_dir", lambda: None)
    frequencies, _ = nlp._dictionary(jieba.Tokenizer())
    assert isinstance(frequencies, dict) and frequencies["合同"] > 0
