"""The contract marked up for the review desk: evidence spans highlighted (a red flag over a weak finding
over a pass), and inside them the words the cue matched. The checks decide; this only points back into the
contract, whose text is always escaped.
"""

from __future__ import annotations

import bisect
import html
import re
from dataclasses import dataclass

from auditor.checks import CHECKS
from auditor.lexicon import Lexicon, LexiconError, lexicon_names, load_lexicon
from auditor.model import AuditReport, Clause, Evidence, Status
from auditor.report.words import report_word
from auditor.text.normalise import normalise

# How strongly a span is marked in HTML: a red flag outranks a weak/missing finding, which outranks a pass.
_LEVEL_PASS, _LEVEL_WEAK, _LEVEL_FLAG = 1, 2, 3
_LEVEL_CLASS = {_LEVEL_PASS: "ca-ok", _LEVEL_WEAK: "ca-weak", _LEVEL_FLAG: "ca-flag"}
_CONTEXT = 160  # characters of clause text kept either side of a quoted span in an evidence card


@dataclass(frozen=True, slots=True)
class Citation:
    """One evidence span and what cites it (a finding or a red flag), with how strongly to mark it."""

    evidence: Evidence
    lexicon: str  # where the cue named by `evidence.matched` is looked up first
    level: int
    label: str  # "违约责任 · 薄弱" or the red flag's message


def _level(status: Status | None) -> int:
    """How strongly to mark evidence of a finding with `status` (None: of a red flag)."""
    if status is None:
        return _LEVEL_FLAG
    return _LEVEL_PASS if status is Status.PASS else _LEVEL_WEAK


def citations(report: AuditReport) -> tuple[Citation, ...]:
    """Every evidence span the findings and red flags cite, findings first, in report order."""
    lang = report.language
    out = [
        Citation(ev, f.check_id, _level(f.status), f"{f.title} · {report_word(f.status.value, lang)}")
        for f in report.findings
        for ev in f.evidence
    ]
    out += [Citation(ev, "red_flags", _level(None), flag.message) for flag in report.red_flags for ev in flag.evidence]
    return tuple(out)


# --- where the cue matched ---------------------------------------------------------------------------


def _cue_patterns(lex: Lexicon, key: str, report: AuditReport) -> tuple[re.Pattern[str], ...]:
    """The cue's regexes with the contract's own party names; one by one if they cannot be joined."""
    try:
        return (lex.cue(key, report.language, report.parties.client_alias, report.parties.provider_alias),)
    except LexiconError:  # alternatives that share group names compile only one by one
        return lex.each(key, report.language)


def cue_span(report: AuditReport, ev: Evidence, lexicon: str) -> tuple[int, int] | None:
    """Where inside `ev.text` the cue named by `ev.matched` matches, or the fact it names; None if neither.

    The cue is looked up in `lexicon` first, then in red_flags, every check's lexicon and _common (red
    flags reuse checks' cues); a name that is no cue is a fact kind or label (count, money, percent).
    """
    norm = normalise(ev.text)
    for name in dict.fromkeys((lexicon, "red_flags", *(c.id for c in CHECKS), "_common")):
        if name not in lexicon_names():  # a playbook's required item: its cues live in the playbook
            continue
        lex = load_lexicon(name)
        if ev.matched not in lex.cues:
            continue
        for rx in _cue_patterns(lex, ev.matched, report):
            m = rx.search(norm)
            if m and m.end() > m.start():
                return m.span()
    for fact in report.facts:
        if ev.matched in (fact.kind, fact.label) and ev.start <= fact.start and fact.end <= ev.end:
            return fact.start - ev.start, fact.end - ev.start
    return None


# --- HTML -----------------------------------------------------------------------------------------------


def clause_at(report: AuditReport, offset: int) -> Clause | None:
    """The clause that holds `offset` in the contract text."""
    starts = [c.start for c in report.clauses]
    i = bisect.bisect_right(starts, offset) - 1
    return report.clauses[i] if i >= 0 and offset <= report.clauses[i].end else None


def anchor(clause: Clause) -> str:
    """The HTML id of a clause in the contract viewer."""
    return f"ca-c{clause.index}"


def _runs(text: str, levels: list[int], cues: list[bool]) -> str:
    """Escaped `text` with each stretch of equal (level, cue) wrapped in one <mark>/<b>."""
    out: list[str] = []
    i = 0
    while i < len(text):
        j = i + 1
        while j < len(text) and (levels[j], cues[j]) == (levels[i], cues[i]):
            j += 1
        piece = html.escape(text[i:j])
        if cues[i]:
            piece = f"<b class='ca-cue'>{piece}</b>"
        if levels[i]:
            piece = f"<mark class='{_LEVEL_CLASS[levels[i]]}'>{piece}</mark>"
        out.append(piece)
        i = j
    return "".join(out)


def _paint(report: AuditReport, start: int, end: int, cited: tuple[Citation, ...]) -> tuple[list[int], list[bool]]:
    """Per character of text[start:end]: the strongest citation covering it, and whether a cue matched it."""
    levels = [0] * (end - start)
    cues = [False] * (end - start)
    for c in cited:
        ev = c.evidence
        for k in range(max(ev.start, start), min(ev.end, end)):
            levels[k - start] = max(levels[k - start], c.level)
        span = cue_span(report, ev, c.lexicon)
        if span:
            for k in range(max(ev.start + span[0], start), min(ev.start + span[1], end)):
                cues[k - start] = True
    return levels, cues


def evidence_html(report: AuditReport, ev: Evidence, lexicon: str, status: Status | None = None) -> str:
    """The clause around `ev`, the quoted span marked and the cue's words in bold; long clauses clipped.

    `status` is that of the finding quoting `ev`; None for a red flag.
    """
    clause = clause_at(report, ev.start)
    start, end = (clause.start, clause.end) if clause else (ev.start, ev.end)
    start, end = max(start, ev.start - _CONTEXT), min(end, ev.end + _CONTEXT)
    levels, cues = _paint(report, start, end, (Citation(ev, lexicon, _level(status), ""),))
    body = _runs(report.text[start:end], levels, cues)
    before = "…" if clause and start > clause.start else ""
    after = "…" if clause and end < clause.end else ""
    return f"<div class='ca-evidence'>{before}{body}{after}</div>"


def contract_html(report: AuditReport, *, cited_only: bool = False, focus: int | None = None) -> str:
    """The whole contract, one block per clause, cited clauses marked and labelled with what cites them."""
    starts = [c.start for c in report.clauses]
    by_clause: dict[int, list[Citation]] = {}
    for c in citations(report):
        i = max(bisect.bisect_right(starts, c.evidence.start) - 1, 0)
        while i < len(report.clauses) and report.clauses[i].start < c.evidence.end:
            if c.evidence.start < report.clauses[i].end:
                by_clause.setdefault(report.clauses[i].index, []).append(c)
            i += 1
    parts = []
    page_shown: int | None = None
    for clause in report.clauses:
        cited = tuple(by_clause.get(clause.index, ()))
        if cited_only and not cited:
            continue
        levels, cues = _paint(report, clause.start, clause.end, cited)
        classes = ["ca-clause", f"ca-{clause.kind}"]
        if cited:
            classes.append(_LEVEL_CLASS[max(c.level for c in cited)] + "-clause")
        if clause.index == focus:
            classes.append("ca-focus")
        chips = "".join(
            f"<span class='ca-chip {_LEVEL_CLASS[c.level]}'>{html.escape(c.label)}</span>"
            for c in {c.label: c for c in cited}.values()
        )
        page = f"<span class='ca-page'>p.{clause.page}</span>" if clause.page != page_shown else ""
        page_shown = clause.page  # the page number only where a new page starts
        parts.append(
            f"<div class='{' '.join(classes)}' id='{anchor(clause)}'>{page}"
            f"{_runs(clause.text, levels, cues)}{f'<div>{chips}</div>' if chips else ''}</div>"
        )
    return f"<div class='ca-contract'>{''.join(parts)}</div>"
