"""Institutions found without spaCy, and jieba's dictionary read from SQLite, give exactly what spaCy's
EntityRuler gave (in Chinese over jieba's own in-memory dictionary): every clause of every sample and
fixture, and generated text built from the pieces the patterns care about (the institutions' words, other
words, punctuation, spaces). English is cut by spaCy's tokenizer rules, run in nlp.py: its tokens are
compared with spaCy's own.
"""

from __future__ import annotations

import string
import subprocess
import sys
import tempfile
from collections.abc import Callable
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


def _entity_patterns(lang: Lang) -> list[dict[str, object]]:
    """The lexicon's ORG patterns as spaCy's EntityRuler takes them."""
    values = nlp.load_lexicon("analysis").values
    patterns: list[dict[str, object]] = [
        {"label": "ORG", "pattern": phrase, "id": nlp.PHRASE_ID} for phrase in values["org_phrases"][lang]
    ]
    for token_regex in values["org_token_patterns"][lang]:
        patterns.append(
            {"label": "ORG", "pattern": [{"LOWER": {"REGEX": r}} for r in token_regex], "id": nlp.SEQUENCE_ID}
        )
    return patterns


@lru_cache(maxsize=2)
def _reference_pipeline(lang: Lang) -> Any:
    """The spaCy pipeline that found institutions before (in Chinese over plain jieba)."""
    pipeline = spacy.blank(lang)
    if lang == "zh":
        pipeline.tokenizer.segmenter, pipeline.tokenizer.jieba_seg = "jieba", _reference_jieba()
    ruler = pipeline.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER"})
    ruler.add_patterns(_entity_patterns(lang))
    return pipeline


def _reference(text: str, lang: Lang) -> list[nlp.Span]:
    return [(ent.start_char, ent.end_char, ent.ent_id_) for ent in _reference_pipeline(lang)(text).ents]


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
    """A span that both a phrase and a sequence match (北京仲裁委员会, American Arbitration Association) is
    labelled as the phrase now; spaCy labelled it by the iteration order of a set of hashes, one way or the
    other depending on the position.
    """
    start, end, label = span
    values = nlp.load_lexicon("analysis").values["org_phrases"]
    phrases = {" ".join(p.lower().split()) for lang in ("zh", "en") for p in values[lang]}
    return (start, end, nlp.PHRASE_ID) if " ".join(text[start:end].lower().split()) in phrases else span


# English: the institutions' words in several cases, other words, and what spaCy's rules cut at (quotes,
# brackets, hyphens, dots, slashes, apostrophes, special cases, URLs, numbers and units)
_EN_WORDS = [
    *(w for p in nlp.load_lexicon("analysis").values["org_phrases"]["en"] for w in p.split()),
    *("icc", "Icc", "jams", "american", "ARBITRATION", "the", "and/or", "Inc.", "U.S.", "e.g.", "a.m.", "'s"),
    *("n't", "Prof.", ":)", "www.", "http://", ".org", ".com", "@", "10", "3.5", "km", "$", "US$", "A", "x"),
]
_EN_PIECES = st.one_of(
    st.sampled_from([*_EN_WORDS, " ", " ", " ", "  ", "\n", "\t", " \n", "...", "--", "—", "“", "”", "’", "«"]),
    st.sampled_from(list(string.punctuation)),
    st.text(st.sampled_from("abcXYZ09.-/'()"), min_size=1, max_size=3),
)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_EN_PIECES, max_size=14))
def test_institutions_same_as_spacy_in_generated_english(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert [_tie_as_phrase(text, span) for span in _reference(text, "en")] == nlp.find_institutions(text, "en")


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_EN_PIECES, max_size=14))
def test_english_tokens_are_spacys(pieces: list[str]) -> None:
    _assert_same_tokens("".join(pieces))


def test_english_tokens_of_every_clause_are_spacys() -> None:
    clauses = [text for text, lang in CLAUSES if lang == "en"]
    assert len(clauses) > 250
    for text in clauses:
        _assert_same_tokens(text)


def _assert_same_tokens(text: str) -> None:
    """Token for token as spaCy, but for runs of whitespace, which nlp.py keeps whole (no match spans
    one), and for the special cases spaCy's second pass cuts again (":" and ")" rejoined as ":)", "10a.m"
    and "." recut as "10" and "a.m."), which nlp.py leaves as the first pass cut them.
    """
    ours = [(a, b) for a, b in nlp._en_tokens(text) if not text[a:b].isspace()]
    theirs = [(t.idx, t.idx + len(t.text)) for t in _reference_pipeline("en").tokenizer(text) if not t.is_space]
    recut = _recut_specials(text, ours)
    assert [t for t in theirs if not recut(t)] == [t for t in ours if not recut(t)], text


def _recut_specials(text: str, tokens: list[tuple[int, int]]) -> Callable[[tuple[int, int]], bool]:
    """Whether a token lies where spaCy's second pass may cut again: an occurrence of a special case that
    affixes cut apart (the only ones it looks for) which `tokens` do not already cut as the special's pieces.
    """
    regions: list[tuple[int, int]] = []
    for special, pieces in _affixed_specials():
        start = text.find(special)
        while start >= 0:
            end = start + len(special)
            if [text[a:b] for a, b in tokens if start <= a < end] != list(pieces):
                regions.append((start, end))
            start = text.find(special, start + 1)
    return lambda token: any(a <= token[0] and token[1] <= b for a, b in regions)


@lru_cache(maxsize=1)
def _affixed_specials() -> list[tuple[str, tuple[str, ...]]]:
    rules = nlp._en_rules()
    return [
        (special, pieces)
        for special, pieces in rules.specials.items()
        if rules.prefix.search(special) or rules.suffix.search(special) or rules.infix.search(special)
    ]


def test_special_cases_rejoined_by_spacy_never_touch_a_pattern() -> None:
    """The special cases spaCy's second pass rejoins (":)" that affixes had cut apart), nlp.py leaves
    cut. That changes no match while no special case's pieces hold a pattern's word, and no special cut
    by the affixes alone lines up with any part of a pattern (its pieces could be a match's).
    """
    from spacy.tokenizer import Tokenizer

    english = _reference_pipeline("en").tokenizer
    affixes_only = Tokenizer(
        english.vocab,
        prefix_search=english.prefix_search,
        suffix_search=english.suffix_search,
        infix_finditer=english.infix_finditer,
        url_match=english.url_match,
    )
    patterns = [tuple(trigger.split()) for trigger in nlp._en_triggers()]
    words = {w for p in patterns for w in p}
    specials = nlp._en_rules().specials
    assert len(specials) > 1000
    for special, pieces in specials.items():
        assert not words & {p.lower() for p in pieces}, special
        cut = tuple(t.lower_ for t in affixes_only(special))
        assert not any(_lined_up(cut, pattern) for pattern in patterns), special


def _lined_up(cut: tuple[str, ...], pattern: tuple[str, ...]) -> bool:
    """Whether some shift of `cut` against `pattern` overlaps it with equal tokens wherever both have one."""
    for shift in range(1 - len(cut), len(pattern)):
        pairs = [(token, pattern[i + shift]) for i, token in enumerate(cut) if 0 <= i + shift < len(pattern)]
        if pairs and all(a == b for a, b in pairs):
            return True
    return False


def test_english_rules_cached_and_read_without_spacy(tmp_path: Path) -> None:
    """Exported once into the cache folder; a later process reads them there and never imports spaCy."""
    script = (
        "import sys\nfrom auditor.analyse import nlp\n"
        "print(nlp.find_institutions('Disputes go to the ICC (Paris).', 'en'), 'spacy' in sys.modules)"
    )
    env = {"XDG_CACHE_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    runs = [
        subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
        for _ in "ab"
    ]
    assert [r.stdout.strip() for r in runs] == ["[(19, 22, 'institution')] True", "[(19, 22, 'institution')] False"]
    assert [p.name for p in (tmp_path / "contract-auditor").glob("spacy-*")] == [
        f"spacy-{spacy.__version__}-en-tokenizer.json"
    ]
    for damaged in ("{not json", "{}", '{"prefix": 1}'):  # cut short, or edited: exported again
        (tmp_path / "contract-auditor" / f"spacy-{spacy.__version__}-en-tokenizer.json").write_text(damaged)
        again = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
        assert again.stdout.strip() == "[(19, 22, 'institution')] True", damaged


def test_english_triggers_are_the_tokens_spacy_makes_of_each_pattern() -> None:
    tokenizer = _reference_pipeline("en").tokenizer
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
        f"jieba-{jieba.__version__}-{p.stat().st_size}.sqlite" for p in [Path(jieba.__file__).with_name("dict.txt")]
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
