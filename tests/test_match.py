"""Cue matching (auditor/match.py): negation, tolerant heading matching, sentence quoting and evidence that
is always the original text.
"""

from __future__ import annotations

import re

import pytest

from auditor.analyse.facts import sentence_spans
from auditor.analyse.match import (
    _DIGIT,
    Hit,
    Sentences,
    _matches_at,
    _opening_literals,
    _required,
    dedupe,
    evidence_for,
    find,
    heading_matches,
    scanner,
)
from auditor.lexicon import load_lexicon
from auditor.load import load_text
from auditor.model import Clause, Evidence, RawDocument
from auditor.text.segment import segment


def _read(text: str, lang: str) -> tuple[RawDocument, tuple[Clause, ...], Sentences]:
    doc = load_text(text, "t.txt")
    clauses = segment(doc)
    return doc, clauses, Sentences(sentence_spans(clauses, lang))  # type: ignore[arg-type]


def _hits(text: str, cue: str, lang: str) -> tuple[Hit, ...]:
    _, clauses, sentences = _read(text, lang)
    negation = load_lexicon("_common").cue("negation", lang)  # type: ignore[arg-type]
    return find(clauses, re.compile(cue), "cue", negation, sentences)


def _clause(title: str | None = None, section: tuple[str, ...] = ()) -> Clause:
    return Clause(
        index=0, number="1", title=title, level=0, start=0, end=1, text="x", norm="x", page=None, section=section
    )


# (text, cue on the normalised text, lang, negated?)
NEGATION = [
    ("本合同不设违约金。", "违约金", "zh", True),
    ("甲方无需支付违约金。", "违约金", "zh", True),
    ("乙方不承诺任何播放量。", "播放量", "zh", True),
    ("乙方未按约定数量发布的，应支付违约金。", "违约金", "zh", False),
    ("乙方未按约定发布视频。", "发布", "zh", False),
    ("乙方不得擅自调整服务内容。", "调整服务内容", "zh", False),
    ("本合同不设违约金。乙方逾期交付的，应退还服务费。", "退还", "zh", False),
    ("Nothing in this Agreement renews automatically.", "renews automatically", "en", True),
    ("No liquidated damages apply.", "liquidated damages", "en", True),
    ("This Agreement renews automatically for successive terms.", "renews automatically", "en", False),
    ("The Client may claim liquidated damages of $500.", "liquidated damages", "en", False),
]


@pytest.mark.parametrize(("text", "cue", "lang", "negated"), NEGATION, ids=[n[0] for n in NEGATION])
def test_match_negation(text: str, cue: str, lang: str, negated: bool) -> None:
    hits = _hits(text, cue, lang)
    assert [h.negated for h in hits] == [negated]


def test_match_negation_stays_in_its_sentence() -> None:
    hits = _hits("No refunds are due on expiry. On breach the Agency shall refund the fees.", "refund", "en")
    assert [h.negated for h in hits] == [True, False]


def test_match_without_negation_cue_nothing_is_negated() -> None:
    _, clauses, _ = _read("本合同不设违约金。", "zh")
    assert [h.negated for h in find(clauses, re.compile("违约金"), "cue")] == [False]


def test_match_hit_records_key_and_normalised_text() -> None:
    _, clauses, _ = _read("第五條 違約責任：乙方應支付違約金。", "zh")
    hit = find(clauses, re.compile("违约金"), "penalty")[0]
    assert (hit.key, hit.matched) == ("penalty", "违约金")


def test_match_empty_matches_skipped() -> None:
    _, clauses, _ = _read("甲方按月付款。", "zh")
    assert find(clauses, re.compile("x*"), "cue") == ()


# (clause title or enclosing heading, lexicon headings, matches?)
HEADINGS = [
    ("Term", ["defined terms"], False),  # a short title must not match a longer heading it sits in
    ("TERM", ["defined terms"], False),
    ("Terms of Payment", ["defined terms"], False),
    ("Definitions", ["definitions"], True),
    ("Definition", ["definitions"], True),  # near spelling
    ("Governing Law and Dispute Resolution", ["dispute resolution"], True),  # heading inside a longer title
    ("争议解决", ["争议解决"], True),
    ("法律适用及争议解决", ["争议解决"], True),
    ("争议", ["争议解决"], False),
    ("Payment", ["dispute resolution", "jurisdiction"], False),
]


@pytest.mark.parametrize(("title", "headings", "expected"), HEADINGS, ids=[h[0] for h in HEADINGS])
def test_match_heading_matches_title(title: str, headings: list[str], expected: bool) -> None:
    assert heading_matches(_clause(title=title), headings) is expected


@pytest.mark.parametrize(("title", "headings", "expected"), HEADINGS, ids=[h[0] for h in HEADINGS])
def test_match_heading_matches_enclosing_section(title: str, headings: list[str], expected: bool) -> None:
    assert heading_matches(_clause(section=("Agreement", title)), headings) is expected


def test_match_heading_untitled_clause_never_matches() -> None:
    assert heading_matches(_clause(), ["definitions"]) is False


SPANS = ((0, 10), (10, 25), (25, 40))

# (hit start, hit end, sentence span quoted)
AROUND = [
    (0, 3, (0, 10)),
    (12, 20, (10, 25)),
    (10, 10, (10, 25)),
    (8, 12, (0, 25)),  # a hit across a boundary takes both sentences
    (5, 38, (0, 40)),
    (39, 45, (25, 45)),  # past the last sentence: the hit's own end
]


@pytest.mark.parametrize(("start", "end", "expected"), AROUND)
def test_match_sentences_around(start: int, end: int, expected: tuple[int, int]) -> None:
    assert Sentences(SPANS).around(start, end) == expected


def test_match_sentences_around_before_first_sentence() -> None:
    assert Sentences(((5, 10),)).around(1, 3) == (1, 3)


@pytest.mark.parametrize(("offset", "start"), [(0, 0), (9, 0), (10, 10), (30, 25)])
def test_match_sentences_start_of(offset: int, start: int) -> None:
    assert Sentences(SPANS).start_of(offset) == start


# (document, cue, the exact original sentence quoted)
EVIDENCE = [
    (
        "第五條 違約責任\n乙方未按約定發佈的，應退還當月服務費。甲方逾期付款的，應支付滯納金。",
        "退还",
        "乙方未按約定發佈的，應退還當月服務費。",
    ),
    ("第五条 违约责任\n乙方每周发布３条视频；未达标的，按比例退还服务费。", "退还", "未达标的，按比例退还服务费。"),
    (
        "7. Refunds.\nIf the Agency misses a post, it SHALL REFUND the monthly fee. Other text.",
        "shall refund",
        "If the Agency misses a post, it SHALL REFUND the monthly fee.",
    ),
]


@pytest.mark.parametrize(("text", "cue", "quote"), EVIDENCE, ids=["traditional", "fullwidth", "case"])
def test_match_evidence_quotes_original_exactly(text: str, cue: str, quote: str) -> None:
    lang = "en" if text.isascii() else "zh"
    doc, clauses, sentences = _read(text, lang)
    hit = find(clauses, re.compile(cue), "cue")[0]
    ev = evidence_for(hit, doc.text, sentences)
    assert ev.text == quote
    assert doc.text[ev.start : ev.end] == ev.text


def test_match_evidence_names_clause_and_cue() -> None:
    doc, clauses, sentences = _read("第五条 违约责任\n1. 乙方未按约定发布的，应退还服务费。", "zh")
    hit = find(clauses, re.compile("退还"), "refund")[0]
    ev = evidence_for(hit, doc.text, sentences)
    assert (ev.clause, ev.matched, ev.page) == ("第五条 1", "refund", None)


def test_match_evidence_whole_clause() -> None:
    text = "第五条 违约责任\n乙方未按约定发布的，应退还服务费。甲方逾期的，付滞纳金。"
    doc, clauses, sentences = _read(text, "zh")
    hit = find(clauses, re.compile("退还"), "refund")[0]
    ev = evidence_for(hit, doc.text, sentences, whole_clause=True)
    assert ev.text == clauses[1].text


def _ev(start: int, end: int) -> Evidence:
    return Evidence(clause=None, start=start, end=end, text="x" * (end - start), page=None, matched="k")


def test_match_dedupe_orders_and_drops_contained_spans() -> None:
    found = dedupe([_ev(20, 30), _ev(0, 10), _ev(22, 25), _ev(0, 10)])
    assert [(e.start, e.end) for e in found] == [(0, 10), (20, 30)]


def test_match_dedupe_limit() -> None:
    assert len(dedupe([_ev(i * 10, i * 10 + 5) for i in range(9)], limit=4)) == 4


OPENERS = [
    (r"\bfollowers?\b|\bviews?\b", ("follower", "view")),
    (r"(?<!crash-free )\bsessions\b", ("sessions",)),
    (r"(?<![a-z])[up]v(?![a-z])", ("pv", "uv")),
    (r"涨粉|(?<![a-z])gmv", ("gmv", "涨粉")),
    (r"(?:获客|单次)成本", ("单次", "获客")),
    (r"\b(?:customer )?satisfaction", ("customer ", "satisfaction")),  # an optional opening, or what follows
    (r"(?:ab)+c", ("ab",)),
    (r"\d+\s*dpi", (_DIGIT,)),  # opens with a digit class: tried at each digit
    (r"(?i)refund", None),  # case folded: a literal would miss "Refund"
    (r"refund|", None),  # may match nothing
    (r"(?:foo)?", None),
    (r"[^a]bc", None),
]


@pytest.mark.parametrize(("pattern", "openers"), OPENERS, ids=[n[0] for n in OPENERS])
def test_match_openers_every_match_opens_with_one(pattern: str, openers: tuple[str, ...] | None) -> None:
    found = _opening_literals(re.compile(pattern))
    literals = None if found is None else tuple(sorted(found))
    assert literals == openers


REQUIRED = [
    (r"\d+\s*dpi", "dpi"),
    (r"(?:[a-z]+\s*\()?(?P<num>\d+)\s*(?P<unit>days?|weeks?)", "day|week"),  # the longest sure piece
    (r"\d{3,4}p\b|cmyk", "\\d|cmyk"),
    (r"(?:foo)?\d", "\\d"),
    (r"[^a]+(?=abc)", None),  # what a lookahead sees is not in the match
    (r"(?:ab)?c?", None),
]


@pytest.mark.parametrize(("pattern", "required"), REQUIRED, ids=[r[0] for r in REQUIRED])
def test_match_required_is_in_every_match(pattern: str, required: str | None) -> None:
    found = _required(re.compile(pattern))
    assert (None if found is None else found.pattern) == required


def test_match_scan_skips_a_text_without_the_required_piece() -> None:
    rx = re.compile(r"(?:[a-z]+\s*\()?(?P<num>\d+)\)?\s*days?")
    assert list(scanner(rx)("within thirty (30) weeks")) == []
    assert [m.group() for m in scanner(rx)("within thirty (30) days")] == ["thirty (30) days"]


# Each trap: a lookbehind that sees text before the position tried, openers that overlap, an opener
# inside a failed attempt at another, a match that swallows the next opener.
TRAPS = [
    (r"(?<!crash-free )\bsessions\b", "crash-free sessions; sessions; subsessions"),
    (r"abc|bcd", "abcd bcd"),
    (r"ab[^x]{0,3}z|bz", "abyyy bz abz"),
    (r"\bviews?\b[^.]*|\bfollowers\b", "views and followers. followers"),
    (r"(?:customer )?satisfaction rates?", "customer satisfaction rate and satisfaction rates"),
]


@pytest.mark.parametrize(("pattern", "text"), TRAPS, ids=[t[0] for t in TRAPS])
def test_match_matches_at_openers_equals_finditer(pattern: str, text: str) -> None:
    rx = re.compile(pattern)
    openers = _opening_literals(rx)
    assert openers is not None
    assert [m.span() for m in _matches_at(rx, openers, text)] == [m.span() for m in rx.finditer(text)]


def test_match_find_tries_only_where_an_opener_stands() -> None:
    text = "The Agency shall deliver 10,000 followers.\n\nFees are due monthly.\n\nViews are counted by the platform."
    _, clauses, sentences = _read(text, "en")
    rx = load_lexicon("kpi_remedies").cue("metric", "en")
    found = find(clauses, rx, "metric", None, sentences)
    assert [h.matched for h in found] == [m.group() for c in clauses for m in rx.finditer(c.norm)]
    assert [h.matched for h in found] == ["followers", "views"]


# Clause sets where a search over the joined text could go wrong: a lookbehind at a clause's start, a
# literal that would run on into the next clause, a match ending where the next clause's literal starts.
CLAUSE_TRAPS = [
    (r"(?<![a-z])fee", "1. Service fee.\n\n2. fee due monthly.\n\n3. coffee fees."),
    (r"ab", "1. The a\n\n2. b and ab."),
    (r"\bterm\b[^.]*", "1. The term ends.\n\n2. term renewal; term two."),
    (r"^fees?", "Fees\n\nfee\n\nno fee"),
    (r"\d{3,4}p\b|\bcmyk", "1. Video in 1080p.\n\n2. 12345p and 720p; cmyk 300dpi."),  # a digit opens, mid-number too
]


@pytest.mark.parametrize(("pattern", "text"), CLAUSE_TRAPS, ids=[t[0] for t in CLAUSE_TRAPS])
def test_match_find_over_clauses_equals_finditer_per_clause(pattern: str, text: str) -> None:
    _, clauses, _ = _read(text, "en")
    rx = re.compile(pattern)
    expected = [(c.start + m.start(), c.start + m.end()) for c in clauses for m in rx.finditer(c.norm)]
    assert expected
    assert [(h.start, h.end) for h in find(clauses, rx, "k")] == expected
