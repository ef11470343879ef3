"""Hostile PDFs, built at test time from a few bytes: many pages, millions of characters on one page or in
all, a page the size of a billboard. Each compresses its content (FlateDecode), so the file stays small
however much it makes a reader do.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence

A4 = (595, 842)


def pdf_bytes(contents: Sequence[bytes], size: tuple[int, int] = A4) -> bytes:
    """A PDF of one page per content stream (Helvetica as F1); equal streams are stored once."""
    objects: list[bytes] = [b"", b""]  # the catalog and the page tree, written last
    streams: dict[bytes, int] = {}
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    kids = []
    for content in contents:
        if content not in streams:
            packed = zlib.compress(content, 9)
            objects.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(packed), packed))
            streams[content] = len(objects)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Resources << /Font << /F1 3 0 R >> >> "
            b"/Contents %d 0 R >>" % (*size, streams[content])
        )
        kids.append(b"%d 0 R" % len(objects))
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(kids))
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def text_page(chars: int, per_string: int = 10_000) -> bytes:
    """A page's content drawing `chars` letters at 1 pt, in strings of `per_string`."""
    strings = [b"(%s) Tj" % (b"A" * min(per_string, chars - start)) for start in range(0, chars, per_string)]
    return b"BT /F1 1 Tf 10 10 Td " + b" ".join(strings) + b" ET"


RECTANGLE = b"0 0 100 100 re f"  # something drawn, no text: a page only OCR could read
