"""Institutions named in a clause (arbitration commissions, courts), and the only place jieba and spaCy are set up.

The ORG patterns come from `lexicons/analysis.toml`: whole phrases and sequences of token regexes, matched
on lower-cased tokens, longest match first, as spaCy's EntityRuler does. Chinese tokens are jieba's, taught
the legal vocabulary in `lexicons/legal_words.txt` so terms such as 仲裁委员会 or 违约金 stay whole; they
are matched here directly, because importing spaCy costs more than a whole audit of a short contract.
English tokens are spaCy's rule-based tokenizer's, and spaCy is only imported for a text that contains some
pattern's words: no other text can hold a match.

jieba's dictionary (350,000 words) is read from an SQLite copy in the package's cache folder, built once,
so a process looks up only the words its clauses contain instead of unpickling all of them (0.9 s).
"""

from __future__ import annotations

import os
import re
import sqlite3
import sys
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from auditor.lexicon import LEXICON_DIR, load_lexicon
from auditor.model import Lang
from auditor.resources import cache_dir

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = ["find_institutions", "get_nlp", "segmenter", "warm"]

_ZH_PUNCT = ["。", "；", ";", "！", "!", "？", "?", "\n"]
PHRASE_ID = "institution"  # the Fact label of an institution named by a phrase
SEQUENCE_ID = "institution_pattern"  # … and of one matched by a sequence of token regexes

Span = tuple[int, int, str]  # (start, end, pattern id), character offsets into the text


def find_institutions(text: str, lang: Lang) -> list[Span]:
    """The institutions named in `text`, in order, as spaCy's EntityRuler would find them."""
    if lang == "zh":
        return _ruled(_zh_tokens(text), text)
    if not any(trigger in text.lower() for trigger in _en_triggers()):
        return []
    return [(ent.start_char, ent.end_char, ent.ent_id_) for ent in get_nlp("en")(text).ents]


def warm(*, english: bool = True) -> None:
    """Build what an audit of either language needs, for a long-lived process (the desk, a worker);
    spaCy's English pipeline only with `english` (2 s, and most English clauses never need it).
    """
    find_institutions("提交北京仲裁委员会仲裁", "zh")
    if english:
        get_nlp("en")


# --- the matching, for jieba's tokens --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Patterns:
    """The lexicon's ORG patterns for Chinese, tokenised as the text will be."""

    phrases: tuple[tuple[str, ...], ...]  # lower-cased tokens of each phrase
    sequences: tuple[tuple[re.Pattern[str], ...], ...]  # one regex per token


@lru_cache(maxsize=1)
def _zh_patterns() -> _Patterns:
    values = load_lexicon("analysis").values
    phrases = tuple(tuple(token.lower() for token in _words(phrase)) for phrase in values["org_phrases"]["zh"])
    sequences = tuple(tuple(re.compile(r) for r in regexes) for regexes in values["org_token_patterns"]["zh"])
    return _Patterns(phrases, sequences)


def _words(text: str) -> list[str]:
    return [text[start:end] for start, end in _zh_tokens(text)]


def _ruled(tokens: list[tuple[int, int]], text: str) -> list[Span]:
    """The EntityRuler's choice among all matches: longest first, then leftmost; a match touching a
    chosen one is dropped. A phrase and a sequence matching the same tokens count once, as the phrase.
    """
    lower = [text[start:end].lower() for start, end in tokens]
    patterns = _zh_patterns()
    matches: dict[tuple[int, int], str] = {}
    for i in range(len(lower)):
        for sequence in patterns.sequences:
            end = i + len(sequence)
            if end <= len(lower) and all(rx.search(word) for rx, word in zip(sequence, lower[i:end], strict=True)):
                matches[i, end] = SEQUENCE_ID
        for phrase in patterns.phrases:
            if tuple(lower[i : i + len(phrase)]) == phrase:
                matches[i, i + len(phrase)] = PHRASE_ID
    taken: set[int] = set()
    chosen: list[tuple[int, int, str]] = []
    for (start, end), pattern in sorted(matches.items(), key=lambda m: (m[0][0] - m[0][1], m[0][0])):
        if start not in taken and end - 1 not in taken:
            chosen.append((start, end, pattern))
            taken.update(range(start, end))
    return [(tokens[start][0], tokens[end - 1][1], pattern) for start, end, pattern in sorted(chosen)]


def _zh_tokens(text: str) -> list[tuple[int, int]]:
    """(start, end) of each token spaCy's Chinese tokenizer makes of jieba's words: whitespace words are
    dropped, a single space after a word is part of it, and any other run of whitespace is a token.
    """
    tokens: list[tuple[int, int]] = []
    position = 0
    for word in segmenter().cut(text, cut_all=False):
        if not word or word.isspace():
            continue
        start = text.index(word, position)
        if start > position:
            tokens.append((position, start))
        tokens.append((start, start + len(word)))
        position = start + len(word)
        if text[position : position + 1] == " ":
            position += 1
    if position < len(text):
        tokens.append((position, len(text)))
    return tokens


# --- English, through spaCy ------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _en_triggers() -> tuple[str, ...]:
    """Every English pattern as lower-case words joined by single spaces: a text without any of them
    cannot hold a match, as a match is the pattern's tokens with at most one space between them.

    A sequence of token regexes that are not all plain words could match anything: its trigger is "".
    """
    values = load_lexicon("analysis").values
    triggers = [" ".join(phrase.lower().split()) for phrase in values["org_phrases"]["en"]]
    for regexes in values["org_token_patterns"]["en"]:
        words = [re.fullmatch(r"\^([a-z]+)\$", r) for r in regexes]
        triggers.append(" ".join(w.group(1) for w in words if w) if all(words) else "")
    return tuple(dict.fromkeys(triggers))


def _entity_patterns(lang: Lang) -> list[dict[str, object]]:
    values = load_lexicon("analysis").values
    patterns: list[dict[str, object]] = [
        {"label": "ORG", "pattern": phrase, "id": PHRASE_ID} for phrase in values["org_phrases"][lang]
    ]
    for token_regex in values["org_token_patterns"][lang]:
        patterns.append({"label": "ORG", "pattern": [{"LOWER": {"REGEX": r}} for r in token_regex], "id": SEQUENCE_ID})
    return patterns


@lru_cache(maxsize=2)
def get_nlp(lang: Lang) -> Language:
    """The spaCy pipeline for `lang`, built once: a sentencizer and the EntityRuler of the ORG patterns.

    Chinese uses the same jieba segmenter as `find_institutions`.
    """
    import spacy

    if lang == "zh":
        nlp = spacy.blank("zh")  # asked for jieba, spaCy would load jieba's global dictionary from a temp file
        tokenizer: Any = nlp.tokenizer
        tokenizer.segmenter, tokenizer.jieba_seg = "jieba", segmenter()
        nlp.add_pipe("sentencizer", config={"punct_chars": _ZH_PUNCT})
    else:
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER"})
    ruler.add_patterns(_entity_patterns(lang))  # type: ignore[attr-defined]
    return nlp


# --- jieba ------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def segmenter() -> Any:
    """A jieba tokenizer with the legal vocabulary, its dictionary looked up in SQLite, word by word."""
    jieba = _import_jieba()
    tokenizer = jieba.Tokenizer()
    tokenizer.FREQ, tokenizer.total = _dictionary(tokenizer)
    tokenizer.initialized = True  # jieba would otherwise unpickle its whole dictionary from a temp file
    with (LEXICON_DIR / "legal_words.txt").open("rb") as words:
        tokenizer.load_userdict(words)
    return tokenizer


def _import_jieba() -> Any:
    """jieba, imported without pkg_resources (0.13 s), which it only uses to open its own files and
    replaces by a plain open() when that import fails.
    """
    if "jieba" in sys.modules or "pkg_resources" in sys.modules:
        import jieba

        return jieba
    sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # makes `import pkg_resources` fail
    try:
        import jieba
    finally:
        del sys.modules["pkg_resources"]
    return jieba


class _Frequencies:
    """jieba's prefix dictionary (word → frequency, 0 for a prefix of a word) in an SQLite file, read as
    jieba reads a dict; the words a process adds (the user dictionary) are kept in memory.
    """

    def __init__(self, path: Path) -> None:
        self._db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        self._lock = threading.Lock()
        self._known: dict[str, int | None] = {}

    def get(self, word: str, default: int | None = None) -> int | None:
        if word not in self._known:
            with self._lock:
                row = self._db.execute("SELECT freq FROM freq WHERE word = ?", (word,)).fetchone()
            self._known[word] = row[0] if row else None
        found = self._known[word]
        return default if found is None else found

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self.get(word) is not None

    def __getitem__(self, word: str) -> int:
        found = self.get(word)
        if found is None:
            raise KeyError(word)
        return found

    def __setitem__(self, word: str, freq: int) -> None:
        self._known[word] = freq


def _dictionary(tokenizer: Any) -> tuple[Any, int]:
    """(frequencies, total) of jieba's main dictionary: from the cached SQLite copy, built on first use.

    Without a writable cache folder the dictionary is read into memory, as jieba itself would.
    """
    jieba = _import_jieba()
    source = Path(jieba.__file__).with_name("dict.txt")
    stat = source.stat()
    folder = cache_dir()
    if folder is None:
        return _in_memory(tokenizer)
    path = folder / f"jieba-{jieba.__version__}-{stat.st_size}-{int(stat.st_mtime)}.sqlite"
    try:
        if not path.exists():
            _build(path, *_in_memory(tokenizer))
        frequencies = _Frequencies(path)
        total = frequencies.get("\0total")
    except (OSError, sqlite3.Error):
        total = None
    if total is None:
        return _in_memory(tokenizer)
    return frequencies, total


def _in_memory(tokenizer: Any) -> tuple[dict[str, int], int]:
    """The dictionary as jieba itself reads it: every word and every prefix of one, and the total count."""
    frequencies, total = tokenizer.gen_pfdict(tokenizer.get_dict_file())
    return frequencies, int(total)


def _build(path: Path, frequencies: dict[str, int], total: int) -> None:
    """Write the SQLite copy beside its final name and move it into place, so that no reader sees half
    a file and a failure leaves nothing behind.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=".tmp")
    os.close(fd)
    try:
        with sqlite3.connect(temporary) as db:
            db.execute("CREATE TABLE freq (word TEXT PRIMARY KEY, freq INTEGER NOT NULL) WITHOUT ROWID")
            db.executemany("INSERT INTO freq VALUES (?, ?)", _rows(frequencies, total))
        db.close()
        Path(temporary).replace(path)
    finally:
        Path(temporary).unlink(missing_ok=True)


def _rows(frequencies: dict[str, int], total: int) -> Iterator[tuple[str, int]]:
    yield "\0total", total  # no dictionary word holds a NUL
    yield from frequencies.items()
