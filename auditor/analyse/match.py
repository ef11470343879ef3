"""Finding lexicon cues in clauses; every hit records which cue fired (Presidio's `pattern_name`).

Shared by the checks and the red flags so none of them re-implements negation, definitions sections,
sentence quoting or tolerant heading matching.
"""

from __future__ import annotations

import bisect
import functools
import importlib
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz

from auditor.model import Clause, Evidence


@dataclass(frozen=True, slots=True)
class Hit:
    """One cue match: where it is (document offsets) and which cue fired."""

    clause: Clause
    start: int
    end: int
    key: str
    negated: bool = False

    @property
    def matched(self) -> str:
        """The normalised text that matched."""
        offset = self.clause.start
        return self.clause.norm[self.start - offset : self.end - offset]


def find(
    clauses: Iterable[Clause],
    rx: re.Pattern[str],
    key: str,
    negation: re.Pattern[str] | None = None,
    sentences: Sentences | None = None,
) -> tuple[Hit, ...]:
    """Every match of `rx` in the clauses; a hit is negated when a negation cue ends just before it."""
    hits: list[Hit] = []
    for clause, m in clause_matches(tuple(clauses), rx):
        if m.end() > m.start():
            start, end = clause.start + m.start(), clause.start + m.end()
            negated = False
            if negation is not None:
                lead_from = sentences.start_of(start) if sentences else clause.start
                lead = clause.norm[max(lead_from - clause.start, 0) : m.start()]
                negated = bool(negation.search(lead[-60:]))
            hits.append(Hit(clause, start, end, key, negated))
    return tuple(hits)


def clause_matches(clauses: tuple[Clause, ...], rx: re.Pattern[str]) -> Iterator[tuple[Clause, re.Match[str]]]:
    """Each clause's `rx.finditer(clause.norm)`, in order. A pattern with opening literals is tried only
    where one of them (or, for a digit class, a digit) stands, found by `str.find` over the clauses' text
    joined once (a C search per literal, not a regex search per clause); no literal can span the separator.
    """
    literals = _opening_literals(rx)
    if literals is None:
        matches = scanner(rx)
        for clause in clauses:
            for m in matches(clause.norm):
                yield clause, m
        return
    joined = _joined(clauses)
    pos = 0
    for at in joined.openings(literals):
        if at < pos:
            continue  # inside the last match: finditer goes on from its end
        k = bisect.bisect_right(joined.starts, at) - 1
        found = rx.match(clauses[k].norm, at - joined.starts[k])
        if found is not None:
            yield clauses[k], found
            pos = joined.starts[k] + found.end()


_SEPARATOR = "\x00"  # in no literal of a lexicon: an occurrence found is inside one clause
_DIGIT = "\x00\\d"  # an opening that is any digit (`\d`), not a literal; the separator keeps it apart
_ANY_DIGIT = re.compile(r"\d")


def _openings_in(text: str, literals: tuple[str, ...], digits: list[int] | None = None) -> list[int]:
    """Every offset of `text` where one of `literals` stands (`_DIGIT`: a digit; `digits` when known),
    overlapping ones included, in order: a C `str.find` per occurrence, not a regex search.
    """
    found: set[int] = set()
    for literal in literals:
        if literal == _DIGIT:
            found.update(digits if digits is not None else (m.start() for m in _ANY_DIGIT.finditer(text)))
            continue
        at = text.find(literal)
        while at >= 0:
            found.add(at)
            at = text.find(literal, at + 1)
    return sorted(found)


class _Joined:
    """The normalised text of a set of clauses joined by `_SEPARATOR`, where each clause starts in it,
    and (once asked) where its digits are.
    """

    def __init__(self, clauses: tuple[Clause, ...]) -> None:
        self.clauses = clauses
        self.text = _SEPARATOR.join(c.norm for c in clauses)
        self.starts: list[int] = []
        at = 0
        for clause in clauses:
            self.starts.append(at)
            at += len(clause.norm) + 1
        self._digits: list[int] | None = None

    def openings(self, literals: tuple[str, ...]) -> list[int]:
        """`_openings_in` the joined text, its digits found once for every cue that opens with one."""
        if _DIGIT in literals and self._digits is None:
            self._digits = [m.start() for m in _ANY_DIGIT.finditer(self.text)]
        return _openings_in(self.text, literals, self._digits)


_JOINED: dict[int, _Joined] = {}  # by id(clauses), the last few


def _joined(clauses: tuple[Clause, ...]) -> _Joined:
    """The clauses joined, kept for the last few clause sets by identity (hashing them would read every
    clause): every cue of an audit is searched in the same operative clauses.
    """
    kept = _JOINED.get(id(clauses))
    if kept is not None and kept.clauses is clauses:
        return kept
    if len(_JOINED) >= 8:
        del _JOINED[next(iter(_JOINED))]
    kept = _JOINED[id(clauses)] = _Joined(clauses)
    return kept


@functools.lru_cache(maxsize=4096)
def scanner(rx: re.Pattern[str]) -> Callable[[str], Iterator[re.Match[str]]]:
    """`rx.finditer`, or the same matches with the regex engine spared what cannot match: tried only where
    one of the literals every match opens with stands (`_opening_literals`), else not at all in a text
    without one of the pieces every match holds (`_required`). Chosen once per pattern.
    """
    literals = _opening_literals(rx)
    if literals is not None:
        return functools.partial(_matches_at, rx, literals)
    required = _required(rx)
    if required is not None:
        return functools.partial(_matches_holding, rx, required)
    return rx.finditer


def first_match(rx: re.Pattern[str], text: str) -> re.Match[str] | None:
    """`rx.search(text)` through the pattern's scanner: a long text without a match is read once, fast."""
    return next(scanner(rx)(text), None)


def _matches_holding(rx: re.Pattern[str], required: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """`rx.finditer(text)`, where a text without a match of `required` has none."""
    return rx.finditer(text) if required.search(text) else iter(())


def _matches_at(rx: re.Pattern[str], literals: tuple[str, ...], text: str) -> Iterator[re.Match[str]]:
    r"""`rx.finditer(text)`, trying `rx` only where one of its opening literals stands: every match opens
    with one, so no position skipped could start a match, and after a match the search goes on from its
    end as `finditer` does. Lookbehinds and word boundaries still see the text before each position
    (`match` with a position is not a slice).

    A cue such as `\bfollowers?\b|\bviews?\b|…` opens with a word boundary, so the regex engine
    cannot skip ahead to a literal and tries every alternative at every character (60 ms over a 20-page
    English contract); an alternation of many literals is tried, alternative by alternative, at every
    character that opens one.
    """
    pos = 0
    for at in _openings_in(text, literals):
        if at < pos:
            continue
        found = rx.match(text, at)
        if found is not None:
            yield found
            pos = found.end()


@functools.lru_cache(maxsize=4096)
def _opening_literals(rx: re.Pattern[str]) -> tuple[str, ...] | None:
    """The literals every match of `rx` opens with (`_openings`), longest first, or None."""
    parsed = _parsed(rx)
    heads = None if parsed is None else _openings(parsed)
    if heads is None or any(_SEPARATOR in h for h in heads if h != _DIGIT):
        return None
    return tuple(sorted(set(heads), key=lambda h: (-len(h), h)))


@functools.lru_cache(maxsize=4096)
def _required(rx: re.Pattern[str]) -> re.Pattern[str] | None:
    r"""A regex one of whose matches every match of `rx` holds, or None when the pattern does not say.

    A cue or fact pattern that opens with a digit or an optional word (`\d+\s*dpi`, `(?:[a-z]+\s*\()?
    (?P<num>…)…(?P<unit>days?|weeks?)`) gives no opening literal, but it cannot match in a clause
    without the piece it must hold ("dpi"; "day" or "week"), and most clauses have none.
    """
    parsed = _parsed(rx)
    found = None if parsed is None else _pieces(parsed)
    return None if found is None else re.compile("|".join(found[1]))


def _parsed(rx: re.Pattern[str]) -> list[tuple[Any, Any]] | None:
    """The parsed items of a pattern, or None where its literals cannot be read as written (case
    folded, or no parser).
    """
    if sre is None or rx.flags & re.IGNORECASE:
        return None
    try:
        parsed = _parser.parse(rx.pattern, rx.flags)
    except (re.error, RecursionError):  # a compiled pattern parses; should it not, no shortcut is taken
        return None
    return None if parsed.state.flags & re.IGNORECASE else list(parsed)


def _pieces(items: list[tuple[Any, Any]]) -> tuple[int, list[str]] | None:
    """The most telling thing every match of a parsed sequence holds: regex pieces (escaped literals, or
    a digit class), one of which is in every match, and the shortest literal's length; None when the
    sequence holds nothing for certain.
    """
    best: tuple[int, list[str]] | None = None
    run = ""
    for op, av in [*items, (None, None)]:  # the sentinel ends the last run of literals
        if op is sre.LITERAL:
            run += chr(av)
            continue
        found: list[tuple[int, list[str]] | None] = [(len(run), [re.escape(run)])] if run else []
        run = ""
        if op is sre.SUBPATTERN and not av[1] & re.IGNORECASE:
            found.append(_pieces(list(av[3])))
        elif op is sre.BRANCH:
            ways = [_pieces(list(alt)) for alt in av[1]]
            if all(ways):
                found.append((min(w[0] for w in ways if w), [p for w in ways if w for p in w[1]]))
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT) and av[0] >= 1:
            found.append(_pieces(list(av[2])))
        elif op is sre.IN and av == [(sre.CATEGORY, sre.CATEGORY_DIGIT)]:
            found.append((1, [r"\d"]))
        elif op is sre.IN and (chars := _literal_set(av)):
            found.append((1, [re.escape(ch) for ch in chars]))
        for piece in found:
            if piece is not None and (best is None or piece[0] > best[0]):
                best = piece
    return best


def _openings(items: list[tuple[Any, Any]]) -> list[str] | None:
    """The literal text that opens every match of a parsed sequence (past zero-width assertions), one
    string per way it can open (`_DIGIT` for a way that opens with any digit); None when some way opens
    with neither.
    """
    heads = [""]
    for at, (op, av) in enumerate(items):
        if heads == [""] and op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
            continue
        if op is sre.LITERAL:
            heads = [h + chr(av) for h in heads]
            continue
        if op is sre.IN and (chars := _literal_set(av)) and len(heads) * len(chars) <= _MAX_HEADS:
            heads = [h + ch for h in heads for ch in chars]
            continue
        if heads != [""]:
            break
        if op is sre.IN and av == [(sre.CATEGORY, sre.CATEGORY_DIGIT)]:
            return [_DIGIT]  # whatever follows, the match opens at a digit
        if op is sre.SUBPATTERN:
            _, add_flags, _, sub = av
            return None if add_flags & re.IGNORECASE else _openings(list(sub))
        if op is sre.BRANCH:
            ways = [_openings(list(alt)) for alt in av[1]]
            return None if any(w is None for w in ways) else [h for w in ways for h in w or ()]
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            low, _, item = av
            inner = _openings(list(item))
            rest = _openings(items[at + 1 :]) if low == 0 else []
            return None if inner is None or rest is None else inner + rest
        return None
    return heads if all(heads) else None


_MAX_HEADS = 16
try:  # the standard library's own regex parser, private: where it is missing, no shortcut is taken
    _parser: Any = importlib.import_module("re._parser")
    sre: Any = importlib.import_module("re._constants")
except ImportError:
    _parser = sre = None


def _literal_set(av: list[tuple[Any, Any]]) -> list[str]:
    """The characters of a class made only of literals (`[up]`), else an empty list."""
    if any(op is not sre.LITERAL for op, _ in av):
        return []
    return [chr(code) for _, code in av]


def heading_matches(clause: Clause, headings: Iterable[str], threshold: float = 85.0) -> bool:
    """True when the clause's title or an enclosing heading reads like one of `headings` (rapidfuzz)."""
    titles = tuple(t.lower() for t in (*clause.section, clause.title or "") if t)
    return bool(titles) and _titles_match(titles, tuple(headings), threshold)


@functools.lru_cache(maxsize=8192)
def _titles_match(titles: tuple[str, ...], headings: tuple[str, ...], threshold: float) -> bool:
    """Cached: every clause of a section has the same titles, and every check asks about its headings
    for every clause (a 20-page contract asked 40,000 times, 1 s of fuzzy matching).
    """
    return any(_heading_score(h, t) >= threshold for t in titles for h in headings)


def _heading_score(heading: str, title: str) -> float:
    """How well a title reads as `heading`: the heading may sit inside a longer title, not the reverse."""
    if len(title) >= len(heading):
        return fuzz.partial_ratio(heading, title)
    return fuzz.ratio(heading, title)


class Sentences:
    """Sentence spans of a document, for quoting the sentence a hit sits in."""

    def __init__(self, spans: tuple[tuple[int, int], ...]) -> None:
        self._spans = spans
        self._starts = [s for s, _ in spans]

    def around(self, start: int, end: int) -> tuple[int, int]:
        """The sentence (or run of sentences) that contains [start, end)."""
        i = bisect.bisect_right(self._starts, start) - 1
        if i < 0:
            return start, end
        s0, e0 = self._spans[i]
        j = i
        while e0 < end and j + 1 < len(self._spans):
            j += 1
            e0 = self._spans[j][1]
        return s0, max(e0, end)

    def start_of(self, offset: int) -> int:
        """Start of the sentence holding `offset`."""
        i = bisect.bisect_right(self._starts, offset) - 1
        return self._spans[i][0] if i >= 0 else 0


def evidence_for(hit: Hit, text: str, sentences: Sentences, whole_clause: bool = False) -> Evidence:
    """Quote the sentence around a hit (or its clause) exactly as the original has it."""
    if whole_clause:
        start, end = hit.clause.start, hit.clause.end
    else:
        start, end = sentences.around(hit.start, hit.end)
        start, end = max(start, hit.clause.start), min(end, hit.clause.end) if end <= hit.clause.end else end
    quote = text[start:end]
    stripped = quote.strip(" \n，,；;")
    lead = quote.find(stripped) if stripped else 0
    start += lead
    end = start + len(stripped)
    return Evidence(
        clause=hit.clause.label,
        start=start,
        end=end,
        text=text[start:end],
        page=hit.clause.page,
        matched=hit.key,
    )


def dedupe(evidence: Iterable[Evidence], limit: int = 4) -> tuple[Evidence, ...]:
    """Evidence in document order, without repeats of the same span, at most `limit` items."""
    seen: set[tuple[int, int]] = set()
    out: list[Evidence] = []
    for ev in sorted(evidence, key=lambda e: e.start):
        if 0 < limit <= len(out):  # the rest cannot be kept: stop before comparing it with every span seen
            break
        if any(s <= ev.start and ev.end <= e for s, e in seen):
            continue
        seen.add((ev.start, ev.end))
        out.append(ev)
    return tuple(out[:limit])


def longest_matches(norm: str, patterns: tuple[re.Pattern[str], ...]) -> list[re.Match[str]]:
    """Matches of all alternatives, the longest kept where two overlap."""
    return longest_of([m for rx in patterns for m in scanner(rx)(norm)])


def longest_in_clauses(
    clauses: tuple[Clause, ...], patterns: tuple[re.Pattern[str], ...]
) -> Iterator[tuple[Clause, list[re.Match[str]]]]:
    """`longest_matches` of each clause that has any, in clause order; each pattern searched over all the
    clauses at once (`clause_matches`).
    """
    found: dict[int, list[re.Match[str]]] = {}  # by id(clause): clause objects are compared by value
    for rx in patterns:
        for clause, m in clause_matches(clauses, rx):
            found.setdefault(id(clause), []).append(m)
    for clause in clauses:
        if (matches := found.get(id(clause))) is not None:
            yield clause, longest_of(matches)


def longest_of(matches: list[re.Match[str]]) -> list[re.Match[str]]:
    """The matches in order, the longest kept where two overlap."""
    found = sorted(matches, key=lambda m: (m.start(), -m.end()))
    kept: list[re.Match[str]] = []
    for m in found:
        if kept and m.start() < kept[-1].end():
            continue
        kept.append(m)
    return kept
