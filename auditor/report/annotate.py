"""The contract annotated in Word: a comment on each paragraph a finding or red flag cites, and an appendix
of suggested clauses; the user's own .docx when there is one, else a new document of the contract text.

What the export adds is its own and marked as such: comments by `AUTHOR`, the appendix (and the heading of
a document it built) inside `TOOL_BOOKMARK` bookmarks. Annotating an annotated file replaces them rather
than stacking them, and the loader skips the marked text, so the file audits like the original.
"""

from __future__ import annotations

import bisect
import io
import re
from collections.abc import Callable, Iterator
from typing import Any

import docx
from docx.document import Document as DocxDocument
from docx.enum.section import WD_SECTION
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from auditor.lexicon import load_lexicon
from auditor.load.docx import TOOL_BOOKMARK
from auditor.load.limits import safe_package
from auditor.load.source import Source
from auditor.model import AuditReport, Evidence, Finding, RedFlag, Status
from auditor.report.docx import heading, new_document, to_bytes
from auditor.report.render import summary_line
from auditor.report.words import MARK, clause_label, colon, report_word, ui_word

AUTHOR = "合同条款审计"
INITIALS = "CA"
APPENDIX = f"{TOOL_BOOKMARK}Appendix"
HEADING = f"{TOOL_BOOKMARK}Heading"
_ID = qn("w:id")
_MAX_ID = 2**31 - 1  # Word's comment and bookmark ids are 32-bit signed integers


def squash(text: str) -> str:
    """Text without any whitespace: Word runs, PDF lines and table cells space things differently."""
    return "".join(text.split())


def body_paragraphs(container: DocxDocument | _Cell) -> Iterator[Paragraph]:
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
                        yield from body_paragraphs(cell)


def locate(ev: Evidence, lines: list[str], line_starts: list[int], keys: list[str]) -> int | None:
    """Index of the paragraph that holds `ev`, matched by text.

    The longest piece of the evidence (split at line breaks and table cell borders) is looked for in
    each paragraph; a paragraph whose text is most of the piece counts too (Word's automatic list
    number is in the loaded text, not in the paragraph). When several paragraphs match, the one in the
    same position among them as the evidence's line among the contract's matching lines is chosen.
    """
    pieces = sorted((squash(p) for p in re.split(r"\n| \| ", ev.text)), key=len, reverse=True)
    piece = pieces[0] if pieces else ""
    if not piece:
        return None
    hits = [i for i, key in enumerate(keys) if key and (piece in key or (key in piece and 2 * len(key) >= len(piece)))]
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
            out.append(f"⚠ {report_word('red_flags', lang)}{colon(lang)}{item.message}")
            continue
        out.append(f"{MARK[item.status]} {item.title}{colon(lang)}{report_word(item.status.value, lang)}")
        if item.status is not Status.PASS:
            out += [f"- {r}" for r in item.reasons]
            if item.suggestion:
                out.append(ui_word("docx_see_appendix", lang))
    return "\n".join(out)


def paragraph_locator(document: DocxDocument, text: str) -> tuple[list[Paragraph], Callable[[Evidence], int | None]]:
    """The document's paragraphs in order, and a function giving the index of the one that holds a
    span of `text` (the contract text the document was audited as), for the comments and the redline.
    """
    targets = list(body_paragraphs(document))
    keys = [squash(p.text) for p in targets]
    lines = text.split("\n")
    line_starts = [0]
    for line in lines[:-1]:
        line_starts.append(line_starts[-1] + len(line) + 1)
    squashed_lines = [squash(line) for line in lines]
    return targets, lambda ev: locate(ev, squashed_lines, line_starts, keys)


def _add_comments(document: DocxDocument, report: AuditReport) -> int:
    """Comment on each paragraph a finding or red flag cites; returns how many comments were added."""
    targets, paragraph_of = paragraph_locator(document, report.text)
    cited: dict[int, list[Finding | RedFlag]] = {}
    items: tuple[Finding | RedFlag, ...] = (*report.findings, *report.red_flags)
    for item in items:
        for ev in item.evidence:
            at = paragraph_of(ev)
            if at is not None and item not in cited.setdefault(at, []):
                cited[at].append(item)
    for at in sorted(cited):
        paragraph = targets[at]
        runs = paragraph.runs or [paragraph.add_run("")]
        document.add_comment(runs, text=_comment_text(report, cited[at]), author=AUTHOR, initials=INITIALS)
    return len(cited)


def _add_appendix(document: DocxDocument, report: AuditReport) -> None:
    """A new section at the end: summary, suggested clauses for every weak/missing check, red flags;
    bookmarked from the section break (which keeps the contract's own last section) to the disclaimer.
    """
    lang = report.language
    document.add_section(WD_SECTION.NEW_PAGE)
    section_break = document.element.body.xpath("./w:p")[-1]
    heading(document, ui_word("docx_appendix", lang), 1)
    document.add_paragraph(summary_line(report))
    for f in report.findings:
        if f.status is Status.PASS:
            continue
        heading(document, f"{MARK[f.status]} {f.title}{colon(lang)}{report_word(f.status.value, lang)}", 2)
        for reason in f.reasons:
            document.add_paragraph(f"• {reason}")
        if f.suggestion:
            document.add_paragraph().add_run(f"{report_word('suggestion', lang)}{colon(lang)}").bold = True
            document.add_paragraph(f.suggestion)
    if report.red_flags:
        heading(document, report_word("red_flags", lang), 2)
        for flag in report.red_flags:
            where = ", ".join(dict.fromkeys(clause_label(e.clause, lang) for e in flag.evidence if e.clause))
            document.add_paragraph(f"• {flag.message}" + (f" ({where})" if where else ""))
    disclaimer = document.add_paragraph()
    disclaimer.add_run(report_word("disclaimer", lang)).italic = True
    _bookmark(document, section_break, disclaimer._p, APPENDIX)


def _bookmark(document: DocxDocument, first: Any, last: Any, name: str) -> None:
    """Enclose the body paragraphs `first` to `last` in a bookmark called `name` (hidden: it starts
    with "_"), with an id no other bookmark of the document uses.
    """
    used = [int(v) for v in document.element.body.xpath(".//w:bookmarkStart/@w:id") if v.isdecimal()]
    bookmark_id = str(max((i for i in used if i < _MAX_ID), default=0) + 1)
    first.get_or_add_pPr().addnext(OxmlElement("w:bookmarkStart", attrs={_ID: bookmark_id, qn("w:name"): name}))
    last.append(OxmlElement("w:bookmarkEnd", attrs={_ID: bookmark_id}))


def _remove_appendix(document: DocxDocument) -> None:
    """Take out the appendix an earlier export added, giving the contract back its own last section."""
    body = document.element.body
    for start in body.xpath(f"./w:p/w:bookmarkStart[@w:name='{APPENDIX}']"):
        first = start.getparent()
        doomed = []
        node = first
        while node is not None and node.tag != qn("w:sectPr"):
            doomed.append(node)
            if any(end.get(_ID) == start.get(_ID) for end in node.iter(qn("w:bookmarkEnd"))):
                break
            node = node.getnext()
        after = doomed[-1].getnext()
        own_section = first.find(f"{qn('w:pPr')}/{qn('w:sectPr')}")
        final = body.find(qn("w:sectPr"))
        if own_section is not None and final is not None and (after is None or after is final):
            body.replace(final, own_section)
        for node in doomed:
            body.remove(node)


def remove_own_comments(document: DocxDocument) -> None:
    """Take out the comments an earlier export wrote (by `AUTHOR`) and their anchors in the text."""
    comments = document.part._comments_part.element
    own = [c for c in comments.xpath("./w:comment") if c.get(qn("w:author")) == AUTHOR]
    ids = {c.get(_ID) for c in own}
    for comment in own:
        comments.remove(comment)
    body = document.element.body
    anchors = body.xpath(".//w:commentRangeStart | .//w:commentRangeEnd | .//w:r[w:commentReference]")
    for anchor in anchors:
        reference = anchor.find(qn("w:commentReference"))
        if (reference if reference is not None else anchor).get(_ID) in ids:
            anchor.getparent().remove(anchor)


def numeric_comment_ids(document: DocxDocument) -> None:
    """Renumber comments whose id is not a 32-bit decimal (other tools write "c1" or huge numbers, which
    python-docx cannot count from), and their anchors in the text with them.
    """
    comments = document.part._comments_part.element
    elements = comments.xpath("./w:comment")
    valid = {v for c in elements if (v := c.get(_ID) or "").isdecimal() and int(v) <= _MAX_ID}
    fresh = (str(i) for i in range(max((int(v) for v in valid), default=-1) + 1, _MAX_ID))
    renamed: dict[str, str] = {}
    for comment in elements:
        old = comment.get(_ID) or ""
        if old not in valid:
            comment.set(_ID, renamed.setdefault(old, next(fresh)))
    if not renamed:
        return
    for anchor in document.element.body.xpath(".//w:commentRangeStart | .//w:commentRangeEnd | .//w:commentReference"):
        if anchor.get(_ID) in renamed:
            anchor.set(_ID, renamed[anchor.get(_ID)])


def contract_document(report: AuditReport) -> DocxDocument:
    """A Word file holding the contract text, one paragraph per line, for PDF, text and pasted input."""
    lang = report.language
    document = new_document(lang)
    heading(document, f"{load_lexicon('report').title[lang]}{colon(lang)}{report.file}", 0)
    intro = document.add_paragraph(ui_word("docx_intro", lang))
    intro.runs[0].italic = True
    _bookmark(document, document.element.body.xpath("./w:p")[0], intro._p, HEADING)
    for line in report.text.split("\n"):
        if line.strip():
            document.add_paragraph(line)
    return document


def annotated_docx(report: AuditReport, original_docx: bytes | None = None) -> bytes:
    """The contract as Word with a comment on each cited paragraph and an appendix of suggested clauses.

    With `original_docx` (the uploaded .docx), a copy of the user's own document is annotated; without
    it (PDF, text, pasted), a new document holding the contract text is built and annotated the same way.
    """
    if original_docx:
        document = docx.Document(io.BytesIO(safe_package(Source(original_docx, report.file))))
        remove_own_comments(document)
        _remove_appendix(document)
        numeric_comment_ids(document)
    else:
        document = contract_document(report)
    _add_comments(document, report)
    _add_appendix(document, report)
    return to_bytes(document)
