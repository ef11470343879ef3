"""The contract annotated with what the audit found: Word comments on the cited paragraphs, HTML highlights.

The checks decide; this module only points back into the contract. `annotated_docx` returns a Word file
(the user's own .docx with comments, or a new one built from the contract text) with an appendix of
suggested clauses, for the app's download and, later, the CLI. `evidence_html` and `contract_html` mark the
evidence spans, and inside them the words the cue matched, for the app's viewer. Words come from
`lexicons/report.toml` and `lexicons/ui.toml` in the contract's language; contract text is always escaped.
"""

from __future__ import annotations

import bisect
import html
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass

import docx
from docx.document import Document as DocxDocument
from docx.enum.section import WD_SECTION
from docx.oxml.ns import qn
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from auditor.checks import CHECKS
from auditor.lexicon import Lexicon, LexiconError, lexicon_names, load_lexicon
from auditor.model import AuditReport, Clause, Evidence, Finding, Lang, RedFlag, Status
from auditor.report.render import summary_line
from auditor.text.normalise import normalise

AUTHOR = "合同条款审计"
INITIALS = "CA"
MARK = {Status.PASS: "✔", Status.WEAK: "▲", Status.MISSING: "✖"}

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


def _word(key: str, lang: Lang, **values: object) -> str:
    return load_lexicon("report").reason(key, lang, **values)


def _ui(key: str, lang: Lang, **values: object) -> str:
    return load_lexicon("ui").reason(key, lang, **values)


def _colon(lang: Lang) -> str:
    return "：" if lang == "zh" else ": "


def citations(report: AuditReport) -> tuple[Citation, ...]:
    """Every evidence span the findings and red flags cite, findings first, in report order."""
    lang = report.language
    out = [
        Citation(ev, f.check_id, _level(f.status), f"{f.title} · {_word(f.status.value, lang)}")
        for f in report.findings
        for ev in f.evidence
    ]
    out += [
        Citation(ev, "red_flags", _level(None), flag.message)
        for flag in report.red_flags
        for ev in flag.evidence
    ]
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


def _paint(
    report: AuditReport, start: int, end: int, cited: tuple[Citation, ...]
) -> tuple[list[int], list[bool]]:
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


# --- Word ----------------------------------------------------------------------------------------------


def _squash(text: str) -> str:
    """Text without any whitespace: Word runs, PDF lines and table cells space things differently."""
    return "".join(text.split())


def _paragraphs(container: DocxDocument | _Cell) -> Iterator[Paragraph]:
    """Body paragraphs in document order, table cell paragraphs included (a merged cell once)."""
    for item in container.iter_inner_content():
        if isinstance(item, Paragraph):
            yield item
        elif isinstance(item, Table):
            seen: set[int] = set()
            for row in item.rows:
                for cell in row.cells:
                    if id(cell._tc) not in seen:
                        seen.add(id(cell._tc))
                        yield from _paragraphs(cell)


def _locate(ev: Evidence, lines: list[str], line_starts: list[int], keys: list[str]) -> int | None:
    """Index of the paragraph that holds `ev`, matched by text.

    The longest piece of the evidence (split at line breaks and table cell borders) is looked for in
    each paragraph; a paragraph whose text is most of the piece counts too (Word's automatic list
    number is in the loaded text, not in the paragraph). When several paragraphs match, the one in the
    same position among them as the evidence's line among the contract's matching lines is chosen.
    """
    pieces = sorted((_squash(p) for p in re.split(r"\n| \| ", ev.text)), key=len, reverse=True)
    piece = pieces[0] if pieces else ""
    if not piece:
        return None
    hits = [
        i
        for i, key in enumerate(keys)
        if key and (piece in key or (key in piece and 2 * len(key) >= len(piece)))
    ]
    if not hits:
        return None
    line_no = bisect.bisect_right(line_starts, ev.start) - 1
    before = sum(piece in line for line in lines[:line_no])
    return hits[min(before, len(hits) - 1)]


def _comment_text(report: AuditReport, items: list[Finding | RedFlag]) -> str:
    """One comment for a paragraph: each finding's status and reasons, each red flag's message."""
    lang = report.language
    out: list[str] = []
    for item in items:
        if isinstance(item, RedFlag):
            out.append(f"⚠ {_word('red_flags', lang)}{_colon(lang)}{item.message}")
            continue
        out.append(f"{MARK[item.status]} {item.title}{_colon(lang)}{_word(item.status.value, lang)}")
        if item.status is not Status.PASS:
            out += [f"- {r}" for r in item.reasons]
            if item.suggestion:
                out.append(_ui("docx_see_appendix", lang))
    return "\n".join(out)


def _add_comments(document: DocxDocument, report: AuditReport) -> int:
    """Comment on each paragraph a finding or red flag cites; returns how many comments were added."""
    targets = list(_paragraphs(document))
    keys = [_squash(p.text) for p in targets]
    lines = report.text.split("\n")
    line_starts = [0]
    for line in lines[:-1]:
        line_starts.append(line_starts[-1] + len(line) + 1)
    squashed_lines = [_squash(line) for line in lines]
    cited: dict[int, list[Finding | RedFlag]] = {}
    items: tuple[Finding | RedFlag, ...] = (*report.findings, *report.red_flags)
    for item in items:
        for ev in item.evidence:
            at = _locate(ev, squashed_lines, line_starts, keys)
            if at is not None and item not in cited.setdefault(at, []):
                cited[at].append(item)
    for at in sorted(cited):
        paragraph = targets[at]
        runs = paragraph.runs or [paragraph.add_run("")]
        document.add_comment(runs, text=_comment_text(report, cited[at]), author=AUTHOR, initials=INITIALS)
    return len(cited)


def _heading(document: DocxDocument, text: str, level: int) -> None:
    """A heading; a bold paragraph when the user's document has no heading styles."""
    try:
        document.add_heading(text, level)
    except KeyError:
        document.add_paragraph().add_run(text).bold = True


def _add_appendix(document: DocxDocument, report: AuditReport) -> None:
    """A new section at the end: summary, suggested clauses for every weak/missing check, red flags."""
    lang = report.language
    document.add_section(WD_SECTION.NEW_PAGE)
    _heading(document, _ui("docx_appendix", lang), 1)
    document.add_paragraph(summary_line(report))
    for f in report.findings:
        if f.status is Status.PASS:
            continue
        _heading(document, f"{MARK[f.status]} {f.title}{_colon(lang)}{_word(f.status.value, lang)}", 2)
        for reason in f.reasons:
            document.add_paragraph(f"• {reason}")
        if f.suggestion:
            document.add_paragraph().add_run(f"{_word('suggestion', lang)}{_colon(lang)}").bold = True
            document.add_paragraph(f.suggestion)
    if report.red_flags:
        _heading(document, _word("red_flags", lang), 2)
        for flag in report.red_flags:
            where = ", ".join(dict.fromkeys(e.clause for e in flag.evidence if e.clause))
            document.add_paragraph(f"• {flag.message}" + (f" ({where})" if where else ""))
    document.add_paragraph().add_run(_word("disclaimer", lang)).italic = True


def _new_document(report: AuditReport) -> DocxDocument:
    """A Word file holding the contract text, one paragraph per line, for PDF, text and pasted input."""
    document = docx.Document()
    fonts = document.styles["Normal"].element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), "宋体")
    lang = report.language
    _heading(document, f"{load_lexicon('report').title[lang]}{_colon(lang)}{report.file}", 0)
    document.add_paragraph(_ui("docx_intro", lang)).runs[0].italic = True
    for line in report.text.split("\n"):
        if line.strip():
            document.add_paragraph(line)
    return document


def annotated_docx(report: AuditReport, original_docx: bytes | None = None) -> bytes:
    """The contract as Word with a comment on each cited paragraph and an appendix of suggested clauses.

    With `original_docx` (the uploaded .docx), a copy of the user's own document is annotated; without
    it (PDF, text, pasted), a new document holding the contract text is built and annotated the same way.
    """
    document = docx.Document(io.BytesIO(original_docx)) if original_docx else _new_document(report)
    _add_comments(document, report)
    _add_appendix(document, report)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
