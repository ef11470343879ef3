"""A brief as JSON data, Markdown and a Word document."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict
from typing import Any

from auditor.dispute.model import DisputeBrief, Point, Quote
from auditor.dispute.reading import dispute_lexicon
from auditor.report.docx import new_document, table, to_bytes
from auditor.report.words import clause_label, markdown_safe

# --- output ---------------------------------------------------------------------------------------


def to_dict(brief: DisputeBrief) -> dict[str, Any]:
    """The brief as plain JSON data, field for field."""
    return asdict(brief)


Line = tuple[str, str]  # (style, text): style is item, number, quote, para, or table (text = which table)


def _sections(brief: DisputeBrief) -> list[tuple[str, list[Line]]]:
    """The brief as (heading, lines) blocks, shared by the Markdown and the DOCX output."""

    def w(key: str, **values: object) -> str:
        return dispute_lexicon().reason(key, brief.lang, **values)

    def roles(quote: Quote) -> str:
        return w("clause_sep").join(w(f"role_{x}") for x in quote.roles)

    price = f"{brief.currency}{brief.contract_value:,.0f}" if brief.contract_value else w("price_unknown")
    fields = (("contract", brief.file), ("client", brief.client), ("provider", brief.provider), ("price", price))
    quotes: list[Line] = [
        ("quote", w("quote_head", clause=clause_label(q.clause, brief.lang), roles=roles(q)) + "\n" + q.text)
        for q in brief.quotes
    ]
    exposure: list[Line] = []
    if brief.exposure:
        exposure = [
            ("para", brief.exposure.text),
            *([("table", "stages")] if brief.exposure.stages else []),
            *_lines(brief.exposure.notes),
        ]
    sections = [
        ("", [("item", w("field", label=w(k), value=v)) for k, v in fields if v]),
        (w("sec_quotes"), quotes or [("para", w("none_found"))]),
        (w("sec_terms"), [("table", "terms")] if brief.terms else []),
        (w("sec_claims"), _lines(brief.claims)),
        (w("sec_against_client"), _lines(brief.against_client)),
        (w("sec_gaps"), _lines(brief.gaps)),
        (w("sec_exposure"), exposure),
        (w("sec_evidence"), _lines(brief.evidence, "number")),
        (w("sec_steps"), _lines(brief.steps, "number")),
        (w("sec_warnings"), _lines(brief.warnings)),
        (w("sec_law"), _lines(brief.law)),
    ]
    return [(heading, lines) for heading, lines in sections if lines]


def _lines(points: Iterable[Point], style: str = "item") -> list[Line]:
    return [(style, p.text) for p in points]


def _table(brief: DisputeBrief, which: str) -> tuple[list[str], list[list[str]]]:
    """The terms table or the stages table: a header and one row per term."""

    def w(key: str) -> str:
        return dispute_lexicon().reason(key, brief.lang)

    terms = brief.terms if which == "terms" else brief.exposure.stages if brief.exposure else ()
    header = [w(k) for k in ("col_term", "term_amount", "col_text", "col_clause", "col_money")]
    return header, [
        [w(f"term_{t.kind}"), t.figure, t.text, clause_label(t.clause, brief.lang) if t.clause else "", t.working or ""]
        for t in terms
    ]


def to_markdown(brief: DisputeBrief) -> str:
    """The brief as Markdown: headings, quoted clauses, tables of terms, numbered evidence and steps.

    Every text is plain (the Word brief shows the same strings as they are), so all of it goes through
    `markdown_safe`: a contract's own markup, links and images are shown as text, never followed.
    """
    md = markdown_safe
    out = [f"# {md(brief.title)}", ""]
    for heading, lines in _sections(brief):
        out += [f"## {md(heading)}", ""] if heading else []
        number = 0
        for style, text in lines:
            if style == "table":
                out += [*_md_table(*_table(brief, text)), ""]
            elif style == "quote":
                head, _, body = text.partition("\n")
                out += [f"> **{md(head)}**", ">", *(f"> {md(line)}" for line in body.splitlines()), ""]
            elif style == "number":
                number += 1
                out.append(f"{number}. {md(text)}")
            else:
                out.append(f"- {md(text)}" if style == "item" else md(text))
        out.append("")
    return "\n".join([*out, "---", "", f"*{dispute_lexicon().reason('disclaimer', brief.lang)}*", ""])


def _md_table(header: list[str], rows: list[list[str]]) -> list[str]:
    def row(cells: list[str]) -> str:
        return "| " + " | ".join(markdown_safe(c) for c in cells) + " |"

    return [row(header), "|" + "---|" * len(header), *(row(r) for r in rows)]


def to_docx(brief: DisputeBrief) -> bytes:
    """The brief as a Word document, with the same sections as the Markdown."""
    doc = new_document(brief.lang, brief.title)
    doc.add_heading(brief.title, level=0)
    styles = {"item": "List Bullet", "number": "List Number", "quote": "Quote", "para": None}
    for title, lines in _sections(brief):
        if title:
            doc.add_heading(title, level=1)
        for style, text in lines:
            if style == "table":
                table(doc, *_table(brief, text))
            else:
                doc.add_paragraph(text, style=styles[style])
    doc.add_paragraph().add_run(dispute_lexicon().reason("disclaimer", brief.lang)).italic = True
    return to_bytes(doc)
