"""Institutions named in a clause (arbitration commissions, courts), and the only place jieba and spaCy are set up.

The ORG patterns come from `lexicons/analysis.toml`: whole phrases and sequences of token regexes, matched
on lower-cased tokens, longest match first, as spaCy's EntityRuler does, here directly: importing spaCy
costs more than a whole audit of a short contract, and 60 MB of memory. Chinese tokens are jieba's, taught
the legal vocabulary in `lexicons/legal_words.txt` so terms such as 仲裁委员会 or 违约金 stay whole.
English tokens are spaCy's rule-based tokenizer's: its algorithm, run here on its rules (affix and URL
patterns, special cases), which are exported from the installed spaCy once per version into the package's
cache folder; and only for a text that contains some pattern's words, as no other text can hold a match.

jieba's dictionary (350,000 words) is read from an SQLite copy in the same folder, built once, so a process
looks up only the words its clauses contain instead of unpickling all of them (0.9 s).
"""

from __future__ import annotations

import contextlib
import json
import re
import sqlite3
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from auditor.lexicon import LEXICON_DIR, load_lexicon
from auditor.model import Lang
from auditor.resources import cache_dir, write_atomically

__all__ = ["find_institutions", "segmenter", "warm"]

PHRASE_ID = "institution"  # the Fact label of an institution named by a phrase
SEQUENCE_ID = "institution_pattern"  # … and of one matched by a sequence of token regexes

Span = tuple[int, int, str]  # (start, end, pattern id), character offsets into the text


def find_institutions(text: str, lang: Lang) -> list[Span]:
    """The institutions named in `text`, in order, as spaCy's EntityRuler would find them."""
    if lang == "en" and not any(trigger in text.lower() for trigger in _en_triggers()):
        return []
    return _ruled(_TOKENS[lang](text), text, _patterns(lang))


def warm() -> None:
    """Build what an audit of either language needs, for a long-lived process (the desk, a worker):
    jieba's dictionary and spaCy's English tokenizer rules.
    """
    find_institutions("提交北京仲裁委员会仲裁", "zh")
    find_institutions("the ICC", "en")


# --- the matching, on either language's tokens ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Patterns:
    """The lexicon's ORG patterns for one language, tokenised as the text will be."""

    phrases: tuple[tuple[str, ...], ...]  # lower-cased tokens of each phrase
    sequences: tuple[tuple[re.Pattern[str], ...], ...]  # one regex per token


@lru_cache(maxsize=2)
def _patterns(lang: Lang) -> _Patterns:
    values = load_lexicon("analysis").values
    tokens = _TOKENS[lang]
    phrases = tuple(
        tuple(phrase[start:end].lower() for start, end in tokens(phrase)) for phrase in values["org_phrases"][lang]
    )
    sequences = tuple(tuple(re.compile(r) for r in regexes) for regexes in values["org_token_patterns"][lang])
    return _Patterns(phrases, sequences)


def _ruled(tokens: list[tuple[int, int]], text: str, patterns: _Patterns) -> list[Span]:
    """The EntityRuler's choice among all matches: longest first, then leftmost; a match touching a
    chosen one is dropped. A phrase and a sequence matching the same tokens count once, as the phrase.
    """
    lower = [text[start:end].lower() for start, end in tokens]
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


# --- English: spaCy's tokenizer, run here on its rules ------------------------------------------------


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


@dataclass(frozen=True, slots=True)
class _TokenizerRules:
    """spaCy's English tokenizer as data: its affix patterns, its URL pattern and its special cases (each
    string and the pieces it is cut into). Running its algorithm on them here (`_en_tokens`) spares a
    process spaCy's import: 60 MB of every worker that meets an arbitration clause, and half a second.
    """

    prefix: re.Pattern[str]
    suffix: re.Pattern[str]
    infix: re.Pattern[str]
    url: re.Pattern[str] | None
    token_match: re.Pattern[str] | None
    specials: dict[str, tuple[str, ...]]


@lru_cache(maxsize=1)
def _en_rules() -> _TokenizerRules:
    """The rules from the cache folder, exported from the installed spaCy on first use (per version), and
    again when the copy there is damaged.
    """
    from importlib.metadata import version

    folder = cache_dir()
    path = None if folder is None else folder / f"spacy-{version('spacy')}-en-tokenizer.json"
    try:
        kept = _rules_from(json.loads(path.read_text(encoding="utf-8"))) if path else None
    except (OSError, ValueError):
        kept = None
    if kept is not None:
        return kept
    data = _export_rules()
    if path:
        with contextlib.suppress(OSError):
            write_atomically(path, lambda temporary: temporary.write_text(json.dumps(data), encoding="utf-8"))
    rules = _rules_from(data)
    assert rules is not None  # what spaCy gave was just checked by _export_rules
    return rules


def _rules_from(data: Any) -> _TokenizerRules | None:
    """The rules `_export_rules` wrote, or None for anything else (a copy cut short or edited)."""

    def compiled(pattern: list[Any] | None) -> re.Pattern[str] | None:
        return None if pattern is None else re.compile(pattern[0], pattern[1])

    try:
        prefix, suffix, infix = (compiled(data[key]) for key in ("prefix", "suffix", "infix"))
        specials = {str(string): tuple(map(str, pieces)) for string, pieces in data["specials"].items()}
        url, token_match = compiled(data["url"]), compiled(data["token_match"])
    except (KeyError, IndexError, TypeError, AttributeError, ValueError, re.error):
        return None
    if prefix is None or suffix is None or infix is None:  # English has all three
        return None
    return _TokenizerRules(prefix, suffix, infix, url, token_match, specials)


def _export_rules() -> dict[str, Any]:
    """The patterns (source and flags) and special cases of spaCy's English tokenizer, for JSON."""
    import spacy
    from spacy.attrs import ORTH

    tokenizer: Any = spacy.blank("en").tokenizer

    def pattern(method: Any) -> list[Any] | None:  # a bound method of a compiled pattern, or None
        return None if method is None else [method.__self__.pattern, method.__self__.flags]

    specials = {string: [piece[ORTH] for piece in pieces] for string, pieces in tokenizer.rules.items()}
    if any("".join(pieces) != string for string, pieces in specials.items()):
        raise ValueError("a special case of spaCy's English tokenizer does not cut its own text")
    return {
        "prefix": pattern(tokenizer.prefix_search),
        "suffix": pattern(tokenizer.suffix_search),
        "infix": pattern(tokenizer.infix_finditer),
        "url": pattern(tokenizer.url_match),
        "token_match": pattern(tokenizer.token_match),
        "specials": specials,
    }


def _en_tokens(text: str) -> list[tuple[int, int]]:
    """(start, end) of each token spaCy's English tokenizer makes of `text`, by its own algorithm
    (`Tokenizer._tokenize_affixes`): runs of spaces and of other characters, a single space after a word
    being part of it; each run cut by `_cut`. A run of whitespace is kept as one token: spaCy may cut it
    further, but no pattern matches across whitespace other than one space, so the matches are the same.

    Its second pass, which rejoins special cases split by affixes (":)" in "(:)"), is left out: it only
    ever joins and cuts pieces that are no pattern's words (`tests/test_nlp.py` checks this), so it never
    changes a match.
    """
    rules = _en_rules()
    tokens: list[tuple[int, int]] = []
    for run in _RUNS.finditer(text):
        start, end = run.span()
        if text[start] == " " and start > 0 and not text[start - 1].isspace():
            start += 1  # the single space that belongs to the word before
        if start == end:
            continue
        if text[start].isspace():
            tokens.append((start, end))
            continue
        for piece in _cut(text[start:end], rules):
            tokens.append((start, start + len(piece)))
            start += len(piece)
    return tokens


_RUNS = re.compile(r"\s+|\S+")


def _cut(chunk: str, rules: _TokenizerRules) -> list[str]:
    """The tokens of a run without whitespace: a special case as its pieces; else prefixes and suffixes
    taken off its ends in turn (`_split_affixes`), and what is left cut at infixes (`_attach_tokens`).
    """
    specials = rules.specials
    if chunk in specials:
        return list(specials[chunk])
    prefixes: list[str] = []
    suffixes: list[str] = []
    string, last_size = chunk, 0
    while string and len(string) != last_size:
        if (rules.token_match and rules.token_match.match(string)) or string in specials:
            break
        last_size = len(string)
        pre = _length(rules.prefix.search(string))
        if pre and string[pre:] in specials:
            prefixes.append(string[:pre])
            string = string[pre:]
            break
        suf = _length(rules.suffix.search(string[pre:]))
        if suf and string[:-suf] in specials:
            suffixes.append(string[-suf:])
            string = string[:-suf]
            break
        if pre and suf and pre + suf <= len(string):
            prefixes.append(string[:pre])
            suffixes.append(string[-suf:])
            string = string[pre:-suf]
        elif pre:
            prefixes.append(string[:pre])
            string = string[pre:]
        elif suf:
            suffixes.append(string[-suf:])
            string = string[:-suf]
    return [*prefixes, *_infixed(string, rules), *reversed(suffixes)]


def _infixed(string: str, rules: _TokenizerRules) -> list[str]:
    """What is left of a run after its affixes: a special case, a URL, or the pieces between infixes
    (an infix at the very start does not cut).
    """
    if not string:
        return []
    if string in rules.specials:
        return list(rules.specials[string])
    if (rules.token_match and rules.token_match.match(string)) or (rules.url and rules.url.match(string)):
        return [string]
    pieces: list[str] = []
    start = 0
    for match in rules.infix.finditer(string):
        if match.start() == 0:
            continue
        if match.start() != start:
            pieces.append(string[start : match.start()])
        if match.start() != match.end():
            pieces.append(match.group())
        start = match.end()
    if string[start:]:
        pieces.append(string[start:])
    return pieces


def _length(match: re.Match[str] | None) -> int:
    return 0 if match is None else match.end() - match.start()


_TOKENS: dict[Lang, Callable[[str], list[tuple[int, int]]]] = {"zh": _zh_tokens, "en": _en_tokens}

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

    The copy is named by jieba's version and the size of its dictionary, not the file's time, so every
    environment with the same jieba shares one copy (8.7 MB) instead of adding its own. Without a
    writable cache folder the dictionary is read into memory, as jieba itself would.
    """
    jieba = _import_jieba()
    size = Path(jieba.__file__).with_name("dict.txt").stat().st_size
    folder = cache_dir()
    if folder is None:
        return _in_memory(tokenizer)
    path = folder / f"jieba-{jieba.__version__}-{size}.sqlite"
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
    """Write the SQLite copy of the dictionary."""

    def write(temporary: Path) -> None:
        with sqlite3.connect(temporary) as db:
            db.execute("CREATE TABLE freq (word TEXT PRIMARY KEY, freq INTEGER NOT NULL) WITHOUT ROWID")
            db.executemany("INSERT INTO freq VALUES (?, ?)", _rows(frequencies, total))
        db.close()

    write_atomically(path, write)


def _rows(frequencies: dict[str, int], total: int) -> Iterator[tuple[str, int]]:
    yield "\0total", total  # no dictionary word holds a NUL
    yield from frequencies.items()
