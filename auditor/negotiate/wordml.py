"""Tracked changes and their comments, written into a Word document's XML, and the package saved so that
every part the changes did not touch keeps the user's bytes.

Written by hand on python-docx's XML: python-docx has no revisions, and the revision libraries on PyPI
either drop a run's formatting when they split it (docx-revisions rebuilds the text around a change as
plain runs) or need a .NET runtime (python-redlines). A change here splits runs with a copy of their
properties, and never touches text inside another author's tracked change.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from typing import Any

from docx.document import Document as DocxDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

from auditor.load.limits import inflated_members
from auditor.load.source import Source
from auditor.report.docx import to_bytes

_ID = qn("w:id")
_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
# Subtrees whose runs are not the paragraph's own editable text: another author's revisions, moves,
# text boxes, fields' codes.
_FOREIGN = frozenset(qn(f"w:{t}") for t in ("ins", "del", "moveFrom", "moveTo", "txbxContent", "fldSimple"))
_CONTENT: dict[str, str | None] = {
    qn("w:t"): None,
    qn("w:tab"): "\t",
    qn("w:br"): "\n",
    qn("w:cr"): "\n",
    qn("w:noBreakHyphen"): "-",
}


class Revisions:
    """The stamp of one redline on a document: author, date, fresh revision ids, and the comments."""

    def __init__(self, document: DocxDocument, author: str, initials: str, when: dt.datetime) -> None:
        """Revision ids continue after every id the body uses, so no existing change is shadowed."""
        self.document = document
        self.author = author
        self.initials = initials
        self.date = when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        used = [int(v) for v in document.element.body.xpath(".//@w:id") if str(v).isdecimal()]
        self._next = max((i for i in used if i < 2**31 - 1), default=0) + 1
        self.changes = 0

    def _stamp(self, tag: str) -> Any:
        element = OxmlElement(tag, attrs={_ID: str(self._next), qn("w:author"): self.author, qn("w:date"): self.date})
        self._next += 1
        return element

    def insert_paragraph_after(self, anchor: Any, text: str, like: Any | None, move: str | None = None) -> Any:
        """A new paragraph after the body element `anchor`, in the style (and Word list numbering) of the
        paragraph `like`, wholly a tracked insertion: its text and its paragraph mark. With `move` (a name
        from `move_from`), the destination of that move instead: Word shows one moved clause, not a
        deletion and an unrelated insertion.
        """
        tag = "w:moveTo" if move else "w:ins"
        paragraph = OxmlElement("w:p")
        properties = copy.deepcopy(like.find(qn("w:pPr"))) if like is not None else None
        if properties is None:
            properties = OxmlElement("w:pPr")
        for own in properties.findall(qn("w:sectPr")) + properties.findall(qn("w:pPrChange")):
            properties.remove(own)  # a section break or a revision of the template is not the new clause's
        _mark_paragraph(properties, self._stamp(tag))
        paragraph.append(properties)
        inserted = self._stamp(tag)
        inserted.append(_run(text, _first_run_properties(like)))
        paragraph.append(inserted)
        if move:
            self._move_range(inserted, inserted, "w:moveTo", move)
        anchor.addnext(paragraph)
        self.changes += 1
        return inserted

    def move_from(self, paragraph: Any) -> str | None:
        """Mark the paragraph's own text and its mark as moved away, and return the move's name for its
        destination (`insert_paragraph_after(..., move=name)`); None when it has no own text to move.
        """
        runs = _split_runs(paragraph, 0, len(own_text(paragraph)))
        if not runs:
            return None
        moved = []
        for run in runs:
            wrapper = self._stamp("w:moveFrom")
            run.addprevious(wrapper)
            wrapper.append(run)
            moved.append(wrapper)
        _mark_paragraph(_paragraph_properties(paragraph), self._stamp("w:moveFrom"))
        name = f"move{self._next}"
        self._move_range(moved[0], moved[-1], "w:moveFrom", name)
        self.changes += 1
        return name

    def remove_paragraph(self, paragraph: Any) -> None:
        """Delete a whole paragraph as a tracked change: its own text and its mark, so accepting it leaves
        no empty line.
        """
        if self.replace(paragraph, 0, len(own_text(paragraph)), "") is None:
            return
        _mark_paragraph(_paragraph_properties(paragraph), self._stamp("w:del"))

    def _move_range(self, first: Any, last: Any, tag: str, name: str) -> None:
        """The named range around a move's source or destination, which pairs the two."""
        start = self._stamp(f"{tag}RangeStart")
        start.set(qn("w:name"), name)
        first.addprevious(start)
        last.addnext(OxmlElement(f"{tag}RangeEnd", attrs={_ID: start.get(_ID)}))

    def replace(self, paragraph: Any, start: int, end: int, new_text: str) -> tuple[Any, Any] | None:
        """Replace characters `start`–`end` of the paragraph's own text (`own_text`) by a tracked deletion
        and a tracked insertion of `new_text` (none when empty); returns the first and last element of the
        change, or None when the span is not wholly the paragraph's own editable text.
        """
        runs = _split_runs(paragraph, start, end)
        if not runs:
            return None
        properties = runs[0].find(qn("w:rPr"))
        deletions = []
        for run in runs:
            for t in run.findall(qn("w:t")):
                t.tag = qn("w:delText")
            deletion = self._stamp("w:del")
            run.addprevious(deletion)
            deletion.append(run)
            deletions.append(deletion)
        self.changes += 1
        if not new_text:
            return deletions[0], deletions[-1]
        insertion = self._stamp("w:ins")
        insertion.append(_run(new_text, properties))
        deletions[-1].addnext(insertion)
        return deletions[0], insertion

    def insert_text(self, paragraph: Any, offset: int, text: str) -> Any | None:
        """Insert `text` at `offset` of the paragraph's own text as a tracked insertion, in the formatting
        of the character before it (after it, at the start); None when the offset is not in its own text.
        """
        at_start = offset == 0
        runs = _split_runs(paragraph, offset, offset + 1) if at_start else _split_runs(paragraph, offset - 1, offset)
        if not runs:
            return None
        insertion = self._stamp("w:ins")
        insertion.append(_run(text, runs[0].find(qn("w:rPr"))))
        (runs[0].addprevious if at_start else runs[-1].addnext)(insertion)
        self.changes += 1
        return insertion

    def comment(self, first: Any, last: Any, text: str) -> None:
        """A comment by the redline's author on the content from `first` to `last` (siblings or not)."""
        comment_id = str(
            self.document.comments.add_comment(text, author=self.author, initials=self.initials).comment_id
        )
        first.addprevious(OxmlElement("w:commentRangeStart", attrs={_ID: comment_id}))
        end = OxmlElement("w:commentRangeEnd", attrs={_ID: comment_id})
        last.addnext(end)
        reference = OxmlElement("w:r")
        reference.append(OxmlElement("w:commentReference", attrs={_ID: comment_id}))
        end.addnext(reference)


def _paragraph_properties(paragraph: Any) -> Any:
    """A paragraph's `w:pPr`, made when it has none."""
    properties = paragraph.find(qn("w:pPr"))
    if properties is None:
        properties = OxmlElement("w:pPr")
        paragraph.insert(0, properties)
    return properties


def _mark_paragraph(properties: Any, revision: Any) -> None:
    """Put a revision on a paragraph's mark (its `w:pPr/w:rPr`), so accepting it takes the paragraph too;
    not on the mark that ends a section, which would take the section's layout with it.
    """
    if properties.find(qn("w:sectPr")) is not None:
        return
    mark = properties.find(qn("w:rPr"))
    if mark is None:
        mark = OxmlElement("w:rPr")
        change = properties.find(qn("w:pPrChange"))
        (change.addprevious if change is not None else properties.append)(mark)  # the schema's order
    mark.insert(0, revision)


def own_runs(paragraph: Any) -> Iterator[Any]:
    """The runs of a paragraph that are its own text: not inside another revision, text box or field."""
    for run in paragraph.iter(qn("w:r")):
        node = run.getparent()
        while node is not None and node is not paragraph and node.tag not in _FOREIGN:
            node = node.getparent()
        if node is paragraph:
            yield run


def own_text(paragraph: Any) -> str:
    """The paragraph's own text (`own_runs`), as Word shows it: tabs, breaks and hyphens included."""
    return "".join(_run_text(run) for run in own_runs(paragraph))


def _run_text(run: Any) -> str:
    return "".join(_CONTENT[child.tag] or child.text or "" for child in _content(run))


def _content(run: Any) -> list[Any]:
    return [child for child in run if child.tag in _CONTENT]


def _split_runs(paragraph: Any, start: int, end: int) -> list[Any]:
    """The paragraph's own runs that hold exactly characters `start`–`end`, split where needed (each piece
    keeping a copy of the run's properties); empty when the span reaches outside them.
    """
    covered: list[Any] = []
    position = 0
    for run in list(own_runs(paragraph)):
        for piece in _one_content_each(run):
            text = _run_text(piece)
            piece_start, piece_end = position, position + len(text)
            position = piece_end
            if piece_end <= start or piece_start >= end or not text:
                continue
            if piece_start < start:
                piece = _split_at(piece, start - piece_start)
                piece_start = start
            if piece_end > end:
                _split_at(piece, end - piece_start)
            covered.append(piece)
    if not covered or "".join(_run_text(r) for r in covered) != own_text(paragraph)[start:end]:
        return []
    return covered


def _one_content_each(run: Any) -> list[Any]:
    """A run holding several texts, tabs or breaks becomes one run per piece, so a change can take some."""
    pieces = _content(run)
    if len(pieces) <= 1:
        return [run]
    runs = [run]
    for piece in pieces[1:]:
        twin = _bare_copy(run)
        twin.append(piece)
        runs[-1].addnext(twin)
        runs.append(twin)
    return runs


def _split_at(run: Any, offset: int) -> Any:
    """Cut a one-text run at `offset`; returns the second half (a new run after it)."""
    t = run.find(qn("w:t"))
    if t is None or not 0 < offset < len(t.text or ""):
        return run
    second = _bare_copy(run)
    tail = OxmlElement("w:t")
    tail.text = (t.text or "")[offset:]
    tail.set(_SPACE, "preserve")
    second.append(tail)
    t.text = (t.text or "")[:offset]
    t.set(_SPACE, "preserve")
    run.addnext(second)
    return second


def _bare_copy(run: Any) -> Any:
    """A run with the same properties and no content."""
    twin = OxmlElement("w:r")
    for name, value in run.attrib.items():
        twin.set(name, value)
    properties = run.find(qn("w:rPr"))
    if properties is not None:
        twin.append(copy.deepcopy(properties))
    return twin


def _run(text: str, properties: Any | None) -> Any:
    run = OxmlElement("w:r")
    if properties is not None:
        own = copy.deepcopy(properties)
        for change in own.findall(qn("w:rPrChange")):
            own.remove(change)
        run.append(own)
    t = OxmlElement("w:t")
    t.text = text
    t.set(_SPACE, "preserve")
    run.append(t)
    return run


def _first_run_properties(paragraph: Any | None) -> Any | None:
    """The character formatting of a paragraph's first own text run (its font, size), if any."""
    if paragraph is None:
        return None
    for run in own_runs(paragraph):
        if run.find(qn("w:t")) is not None:
            return run.find(qn("w:rPr"))
    return None


def body_level(element: Any) -> Any:
    """The child of the document body that holds `element` (the table, for a paragraph in a cell)."""
    while element.getparent() is not None and element.getparent().tag != qn("w:body"):
        element = element.getparent()
    return element


def package_bytes(document: DocxDocument, original: bytes | None, name: str) -> bytes:
    """The document as .docx bytes; with the `original` package, each part whose XML the changes left
    as it was keeps the original's bytes (python-docx would rewrite every part it parsed), in the
    original's order.
    """
    saved = to_bytes(document)
    if original is None:
        return saved
    before = inflated_members(Source(original, name))
    with zipfile.ZipFile(io.BytesIO(saved)) as archive:
        after = {info.filename: archive.read(info) for info in archive.infolist()}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for member in [*before, *(m for m in after if m not in before)]:
            if member not in after:
                continue
            kept = before.get(member)
            out.writestr(member, kept if kept is not None and _same(kept, after[member], member) else after[member])
    return buffer.getvalue()


def _same(old: bytes, new: bytes, member: str) -> bool:
    """True when two versions of a part say the same: equal bytes, or equal canonical XML."""
    if old == new:
        return True
    if not member.endswith((".xml", ".rels")):
        return False
    try:
        parser = etree.XMLParser(resolve_entities=False, no_network=True)
        return bool(
            etree.tostring(etree.fromstring(old, parser), method="c14n")
            == etree.tostring(etree.fromstring(new, parser), method="c14n")
        )
    except etree.XMLSyntaxError:
        return False
