"""Hostile contracts and Word files, built at test time: what an attacker puts in a contract to reach the
terminal, a spreadsheet, a page or Word, and the Word packages that lie about themselves.

Every builder starts from the small fixtures in tests/fixtures/files, so nothing here is large on disk.
"""

from __future__ import annotations

import io
import re
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

FILES = Path(__file__).parent / "fixtures" / "files"
ZH_TEXT = (FILES / "contract_zh.txt").read_text(encoding="utf-8")

# Moves the cursor up, erases the line, and paints a green pass where the report's red line was.
REPAINT = "\x1b[1A\x1b[2K\r\x1b[32m ✔ 违约责任 [通过]\x1b[0m"
TERMINAL_PAYLOAD = f"{REPAINT}\x9b2J\x1b]0;pwned\x07\u202e\u2066"
CITED = ("3.1", "7.1")  # the payment and the breach clauses: quoted by a finding whatever its status
# A pixel on a documentation address (RFC 5737): fetched by any renderer that follows the image.
PIXEL = "http://198.51.100.7/pixel.png"
MARKUP_PAYLOAD = (
    f"![logo]({PIXEL}) [点此](javascript:alert(1)) <img src={PIXEL}> <script>alert(1)</script> "
    f"<{PIXEL}> www.example.com/track **粗体** $\\href{{{PIXEL}}}{{x}}$ :material/home: | 表格 |"
)
FORMULA_NAMES = ('=HYPERLINK("http:198.51.100.7","x").txt', "+1+1.txt", "-2+3.txt", "@SUM(A1).txt")

# What must never reach a terminal: escape, C0 controls but newline and tab, C1 controls, bidi marks.
TERMINAL_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def injected_contract(payload: str, clauses: tuple[str, ...] = tuple("0123456789"), text: str = ZH_TEXT) -> str:
    """The Chinese fixture contract with `payload` after each clause whose number starts with one of
    `clauses` (by default every numbered clause, so every quote holds it). A text file with many
    control characters is refused as binary, so terminal payloads go into a few cited clauses only.
    """
    lines = text.splitlines()
    return "\n".join(f"{line}{payload}" if line.startswith(clauses) else line for line in lines) + "\n"


# --- Word packages ---------------------------------------------------------------------------------------


def docx_members(data: bytes) -> dict[str, bytes]:
    """The parts of a .docx by name."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def zipped(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A ZIP of `members`, in order (deflated unless `method` says otherwise)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def lying_zip(members: dict[str, bytes], liar: str, inflated: int, claimed: int = 1024) -> bytes:
    """A ZIP whose member `liar` inflates to `inflated` zero bytes while both its headers claim `claimed`
    bytes, with the CRC of the first `claimed` bytes, so a reader that stops at the claimed size finds
    nothing wrong and one that trusts it to size its buffer inflates everything.
    """
    plan = {**members, liar: b""}
    out = io.BytesIO()
    central: list[bytes] = []
    for name, data in plan.items():
        encoded = name.encode()
        if name == liar:
            compressor = zlib.compressobj(1, zlib.DEFLATED, -15)
            chunk = bytes(2**20)
            body = b"".join(compressor.compress(chunk) for _ in range(inflated // len(chunk)))
            body += compressor.flush()
            crc, size = zlib.crc32(bytes(claimed)), claimed
        else:
            compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
            body = compressor.compress(data) + compressor.flush()
            crc, size = zlib.crc32(data), len(data)
        offset = out.tell()
        fields = (20, 0, 8, 0, 0, crc, len(body), size, len(encoded), 0)
        out.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", *fields) + encoded + body)
        central.append(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, *fields, 0, 0, 0, 0, offset) + encoded)
    start = out.tell()
    directory = b"".join(central)
    out.write(directory)
    out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(central), len(central), len(directory), start, 0))
    return out.getvalue()


# --- running the command as a user does, measured ----------------------------------------------------

_MEASURED = (
    "import resource, subprocess, sys\n"
    "done = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
    "sys.stdout.write(done.stdout)\n"
    "sys.stderr.write(done.stderr)\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)\n"
    "sys.exit(done.returncode)\n"
)


def run_measured(*args: str, timeout: float = 300) -> tuple[int, str, str, float]:
    """`contract-audit ARGS` in a fresh process: (exit code, stdout, stderr, peak resident MB).

    A small parent runs the command and reports its children's peak (getrusage), so the figure is the
    command's own, not the test runner's.
    """
    command = [sys.executable, "-c", _MEASURED, sys.executable, "-m", "auditor", *args]
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    *lines, peak = done.stderr.splitlines()
    return done.returncode, done.stdout, "\n".join(lines), int(peak) / 1024


def with_foreign_comments(data: bytes, ids: tuple[str, ...]) -> bytes:
    """`data` (a .docx) with a reviewer's comment on each of its first paragraphs, the comments carrying
    `ids` as written by tools other than Word ("c1", huge numbers, nothing at all).
    """
    import docx

    document = docx.Document(io.BytesIO(data))
    paragraphs = [p for p in document.paragraphs if p.runs][: len(ids)]
    for paragraph in paragraphs:
        document.add_comment(paragraph.runs, text="请法务确认", author="Alice", initials="A")
    buffer = io.BytesIO()
    document.save(buffer)
    return with_comment_ids(buffer.getvalue(), ids)


def with_comment_ids(data: bytes, ids: tuple[str, ...]) -> bytes:
    """`data` (a .docx whose comments python-docx numbered 0, 1, …) with comment n and its anchors
    carrying `ids[n]` instead.
    """
    members = docx_members(data)
    for number, new in enumerate(ids):
        for part in ("word/comments.xml", "word/document.xml"):
            members[part] = members[part].replace(f'w:id="{number}"'.encode(), f'w:id="{new}"'.encode())
    return zipped(members)


def with_alt_chunks(data: bytes, chunks: dict[str, tuple[str, bytes]]) -> bytes:
    """`data` (a .docx) with documents embedded whole at the end of its body (w:altChunk), as mail-merge
    and web tools write them: part name -> (content type, bytes).
    """
    members = docx_members(data)
    rels, types, body = (
        members[k].decode() for k in ("word/_rels/document.xml.rels", "[Content_Types].xml", "word/document.xml")
    )
    refs = ""
    for number, (name, (content_type, blob)) in enumerate(chunks.items()):
        rid = f"rIdChunk{number}"
        members[f"word/{name}"] = blob
        rels = rels.replace(
            "</Relationships>",
            f'<Relationship Id="{rid}" Target="{name}" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/aFChunk"/></Relationships>',
        )
        types = types.replace("</Types>", f'<Override PartName="/word/{name}" ContentType="{content_type}"/></Types>')
        refs += (
            f'<w:altChunk xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:id="{rid}"/>'
        )
    body = (
        re.sub(r"(<w:sectPr[ >])", lambda m: refs + m.group(1), body, count=1)
        if "<w:sectPr" in body
        else body.replace("</w:body>", refs + "</w:body>")
    )
    members.update(
        {
            "word/_rels/document.xml.rels": rels.encode(),
            "[Content_Types].xml": types.encode(),
            "word/document.xml": body.encode(),
        }
    )
    return zipped(members)
