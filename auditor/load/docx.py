"""Word .docx: body paragraphs and table rows in document order, headings from styles, list numbers."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

import docx
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import Part, PartFactory

from auditor.load.docx_numbering import MC, W_VAL, ListNumbers, W, xml_int_val, xml_val
from auditor.load.limits import safe_package
from auditor.load.source import LoadError, Source, reason
from auditor.load.text import decode_text, text_blocks
from auditor.model import Block, RawDocument

# Subtrees whose text is not part of the visible body: deleted revisions, text boxes (also present in
# the Fallback copy), field codes and formatting properties (whose w:tab elements are tab stops).
_SKIP_TAGS = frozenset(
    f"{W}{t}" for t in ("del", "moveFrom", "txbxContent", "instrText", "delText", "pPr", "rPr", "fldData")
) | {f"{MC}Fallback"}
_TRANSPARENT_TAGS = frozenset({f"{W}sdt", f"{W}sdtContent", f"{W}customXml"})
# Bookmarks whose names start so enclose what the Word export added (its appendix of suggestions, the
# heading of a document it built): not the contract, so never read back as contract text.
TOOL_BOOKMARK = "_ContractAuditor"
_ALT_CHUNK = f"{W}altChunk"
_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_HTML_BLOCK_TAGS = frozenset(
    {"p", "div", "li", "tr", "br", "table", "ul", "ol", "section", "article", "blockquote", "pre", "dd", "dt"}
    | {f"h{level}" for level in range(1, 7)}
)


def _part_class(content_type: str, reltype: str) -> type[Part] | None:
    """python-docx's choice of class for a package part, except that an embedded document (altChunk)
    stays bytes: an embedded .docx has the main document's content type, which python-docx would parse
    as XML and fail on, taking the whole file down with it.
    """
    return Part if reltype == RT.A_F_CHUNK else _DOCX_PART_CLASS(content_type, reltype)


_DOCX_PART_CLASS = PartFactory.part_class_selector or (lambda content_type, reltype: None)
PartFactory.part_class_selector = _part_class  # python-docx's hook for this (it sets one itself)

_HEADING_STYLE = re.compile(r"^(?:heading|标题|標題)\s*([1-9])$", re.IGNORECASE)
_TITLE_STYLE = re.compile(r"^(?:title|标题|標題)$", re.IGNORECASE)


def read_docx(src: Source, *, embedded: bool = False) -> RawDocument:
    """Body paragraphs and table rows of a Word file in document order (headers and footers excluded),
    with the text of documents embedded whole (altChunk); `embedded` reads one such inner document.
    """
    try:
        document = docx.Document(io.BytesIO(safe_package(src)))
    except ValueError as exc:  # python-docx refuses .docm/.dotx and other non-document packages
        raise LoadError(f"{src.name}: not a Word .docx document ({reason(exc)}); save it as .docx") from exc
    levels = _style_heading_levels(document)
    numbers = ListNumbers(document)
    blocks: list[Block] = []
    warnings: list[str] = []
    for element in _without_tool_text(_children(document.element.body, {f"{W}p", f"{W}tbl", _ALT_CHUNK})):
        if element.tag == _ALT_CHUNK:
            blocks.extend(_alt_chunk_blocks(document, element, src, warnings, embedded=embedded))
            continue
        if element.tag == f"{W}tbl":
            blocks.extend(Block(row, kind="table_row") for row in _table_rows(element))
            continue
        text = _paragraph_text(element)
        label = numbers.label(element)
        if label and text.strip():
            text = f"{label}{text}"
        level = _paragraph_level(element, levels)
        if level is not None:
            heading = " ".join(text.split())
            if heading:
                blocks.append(Block(heading, kind="heading", level=level))
            continue
        blocks.extend(Block(line) for line in (part.strip() for part in text.split("\n")) if line)
    if not blocks:
        raise LoadError(f"{src.name}: the document body has no text (only images or empty pages?)")
    return RawDocument(name=src.name, format="docx", blocks=tuple(blocks), warnings=tuple(dict.fromkeys(warnings)))


def _alt_chunk_blocks(
    document: DocxDocument, chunk: Any, src: Source, warnings: list[str], *, embedded: bool
) -> list[Block]:
    """The text of a document embedded whole (w:altChunk), which Word merges in when it opens the file:
    HTML, plain text or a .docx (one level deep). Any other kind is named in a warning, never dropped
    silently.
    """
    part = document.part.related_parts.get(chunk.get(_REL_ID))
    kind = part.content_type if part is not None else "a missing part"
    if part is not None and kind in _HTML_TYPES and (decoded := decode_text(part.blob)) is not None:
        return _html_blocks(decoded[0])
    if part is not None and kind == "text/plain" and (decoded := decode_text(part.blob)) is not None:
        return text_blocks(decoded[0], markdown=False)
    if part is not None and kind == _DOCX_MAIN and not embedded:
        inner = read_docx(Source(part.blob, src.name, limits=src.limits), embedded=True)
        warnings.extend(inner.warnings)
        return list(inner.blocks)
    warnings.append(
        f"Part of the document is embedded as {kind} (altChunk) and was not read; open the file in Word "
        "and save it again so that Word merges it into the text."
    )
    return []


def _html_blocks(html: str) -> list[Block]:
    """One block per line of an embedded HTML document's visible text (scripts and styles dropped)."""
    import lxml.html
    from lxml.etree import ParserError

    try:
        root = lxml.html.fromstring(re.sub(r"^\s*<\?xml[^>]*\?>", "", html))  # lxml refuses a str declaring bytes
    except ParserError:  # an empty document
        return []
    for hidden in root.xpath("//script | //style | //head"):
        hidden.drop_tree()
    for element in root.iter():
        if element.tag in _HTML_BLOCK_TAGS:
            element.tail = "\n" + (element.tail or "")
    lines = (" ".join(line.split()) for line in root.text_content().splitlines())
    return [Block(line) for line in lines if line]


def _children(parent: Any, tags: set[str]) -> Iterator[Any]:
    """Child elements with one of `tags`, looking through content controls (w:sdt) and custom XML."""
    for child in parent:
        if child.tag in _TRANSPARENT_TAGS:
            yield from _children(child, tags)
        elif child.tag in tags:
            yield child


def _without_tool_text(elements: Iterator[Any]) -> Iterator[Any]:
    """The elements outside the ranges the Word export marked as its own (`TOOL_BOOKMARK`), so a file it
    annotated audits like the original; a range whose end is gone runs to the end of the body.
    """
    open_id: str | None = None
    for element in elements:
        if open_id is None:
            start = next((b for b in element.iter(f"{W}bookmarkStart") if _is_tool_bookmark(b)), None)
            if start is None:
                yield element
                continue
            open_id = start.get(f"{W}id")
        if any(end.get(f"{W}id") == open_id for end in element.iter(f"{W}bookmarkEnd")):
            open_id = None


def _is_tool_bookmark(bookmark: Any) -> bool:
    return str(bookmark.get(f"{W}name") or "").startswith(TOOL_BOOKMARK)


def _paragraph_text(p: Any) -> str:
    """The visible text of a w:p, including tracked insertions and hyperlinks, without deleted text."""
    parts: list[str] = []

    def walk(element: Any) -> None:
        for child in element:
            tag = child.tag
            if tag in _SKIP_TAGS:
                continue
            if tag == f"{W}t":
                parts.append(child.text or "")
            elif tag in {f"{W}tab", f"{W}ptab"}:
                parts.append(" ")
            elif tag in {f"{W}br", f"{W}cr"}:
                parts.append("\n")
            elif tag == f"{W}noBreakHyphen":
                parts.append("-")
            else:
                walk(child)

    walk(p)
    return "".join(parts)


def _table_rows(tbl: Any) -> Iterator[str]:
    """Each row's cell texts joined by " | "; a merged cell counts once per row it spans vertically."""
    above: dict[int, str] = {}  # grid column -> text of the cell that starts a vertical merge there
    for tr in _children(tbl, {f"{W}tr"}):
        column = xml_int_val(tr, "trPr/gridBefore", 0)
        cells: list[str] = []
        for tc in _children(tr, {f"{W}tc"}):
            merge = tc.find(f"{W}tcPr/{W}vMerge")
            if merge is not None and merge.get(W_VAL, "continue") == "continue":
                text = above.get(column, "")
            else:
                paragraphs = (_paragraph_text(p) for p in tc.iter(f"{W}p") if not _in_text_box(p, tc))
                text = " ".join(" ".join(t.split()) for t in paragraphs if t.strip())
                above[column] = text
            if text:
                cells.append(text)
            column += xml_int_val(tc, "tcPr/gridSpan", 1)
        if cells:
            yield " | ".join(cells)


def _in_text_box(p: Any, stop: Any) -> bool:
    """True when `p` sits inside a text box (or its Fallback copy) below `stop`."""
    node = p.getparent()
    while node is not None and node is not stop:
        if node.tag in _SKIP_TAGS:
            return True
        node = node.getparent()
    return False


def _style_heading_levels(document: DocxDocument) -> dict[str, int]:
    """Heading level by paragraph style id: Title is 0, "Heading N"/"标题 N" or outline level N-1 is N."""
    by_id = {s.style_id: s for s in document.styles if s.type == WD_STYLE_TYPE.PARAGRAPH}
    levels: dict[str, int] = {}

    def level_of(style: Any, depth: int = 0) -> int | None:
        name = (style.name or "").strip()
        if m := _HEADING_STYLE.match(name):
            return int(m.group(1))
        if _TITLE_STYLE.match(name):
            return 0
        outline = xml_int_val(style.element, "pPr/outlineLvl", 9)
        if outline < 9:
            return outline + 1
        base = style.base_style
        return level_of(base, depth + 1) if base is not None and depth < 10 else None

    for style_id, style in by_id.items():
        level = level_of(style)
        if level is not None:
            levels[style_id] = level
    return levels


def _paragraph_level(p: Any, levels: dict[str, int]) -> int | None:
    """The heading level of a paragraph: its own outline level, else its style's."""
    outline = xml_int_val(p, "pPr/outlineLvl", 9)
    if outline < 9:
        return outline + 1
    style_id = xml_val(p, "pPr/pStyle")
    return levels.get(style_id) if style_id else None
