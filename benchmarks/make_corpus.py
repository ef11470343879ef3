"""Generate a benchmark corpus from `sample_contracts/`: N contracts mixing PDF, DOCX and TXT, 2 to 60 pages.

Each generated contract is one sample contract followed by clauses of the other samples in the same
language, repeated until it reaches its page count, so the engine sees real contract wording at every
length. PDFs are drawn with reportlab's CID font STSong-Light (Chinese, no font file needed) and carry a
text layer, like a contract exported from Word. A `manifest.json` records each file's format, language
and pages. Generation is deterministic for a given --seed.

    .venv/bin/python benchmarks/make_corpus.py             # 500 files into $TMPDIR/contract-auditor-bench
    .venv/bin/python benchmarks/make_corpus.py --n 60      # a quick corpus
"""

from __future__ import annotations

import argparse
import functools
import json
import random
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_contracts"
DEFAULT_OUT = Path(tempfile.gettempdir()) / "contract-auditor-bench"
FORMATS = ("pdf", "docx", "txt")
WEIGHTS = (0.4, 0.3, 0.3)
CHARS_PER_PAGE = {"zh": 1100, "en": 2800}  # a printed A4 page of 10.5 pt text, roughly
FIXED_PAGES = 20  # every corpus holds one 20-page DOCX and TXT per language, for the warm-analysis figure

# PDF layout: A4, 10.5 pt, 14.5 pt leading; a line is at most 460 pt wide.
PAGE_W, PAGE_H, MARGIN, SIZE, LEADING = 595.0, 842.0, 67.0, 10.5, 14.5


def _blocks(path: Path) -> list[str]:
    """The sample's paragraphs, as the engine itself reads them."""
    from auditor.load import load

    return [b.text for b in load(path).blocks if b.text.strip()]


def _compose(base: list[str], others: list[list[str]], chars: int, rng: random.Random) -> list[str]:
    """The base contract, then other contracts' clauses in random runs, until `chars` characters."""
    out, size = list(base), sum(map(len, base))
    while size < chars:
        donor = rng.choice(others)
        start = rng.randrange(len(donor))
        for block in donor[start : start + rng.randint(3, 12)]:
            out.append(block)
            size += len(block)
    return out


@functools.cache
def _width(ch: str, font: str) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return stringWidth(ch, font, SIZE)


def _wrap(text: str, width: float, font: str) -> list[str]:
    """Greedy line breaking by measured width; Chinese breaks anywhere, English at spaces when it can."""
    lines, line, used = [], "", 0.0
    for ch in text:
        if used + _width(ch, font) <= width:
            line, used = line + ch, used + _width(ch, font)
            continue
        cut = line.rfind(" ") if ch != " " and line.isascii() else -1
        lines.append(line[:cut] if cut > 0 else line)
        line = (line[cut + 1 :] if cut > 0 else "") + ch
        used = sum(_width(c, font) for c in line)
    return [*lines, line]


def _write_pdf(blocks: list[str], path: Path) -> int:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    pdf = canvas.Canvas(str(path), pagesize=(PAGE_W, PAGE_H), invariant=True)
    pdf.setFont("STSong-Light", SIZE)
    y, pages = PAGE_H - MARGIN, 1
    for block in blocks:
        for line in _wrap(block, PAGE_W - 2 * MARGIN, "STSong-Light"):
            if y < MARGIN:
                pdf.showPage()
                pdf.setFont("STSong-Light", SIZE)
                y, pages = PAGE_H - MARGIN, pages + 1
            pdf.drawString(MARGIN, y, line)
            y -= LEADING
        y -= LEADING * 0.6  # paragraph spacing
    pdf.save()
    return pages


def _write_docx(blocks: list[str], path: Path) -> None:
    import docx

    document = docx.Document()
    for block in blocks:
        document.add_paragraph(block)
    document.save(str(path))


def make(n: int, out: Path, seed: int) -> list[dict[str, object]]:
    """Write `n` contracts and the manifest into `out`; returns the manifest rows."""
    rng = random.Random(seed)
    samples = sorted(p for p in SAMPLES.iterdir() if p.suffix in (".pdf", ".docx", ".txt"))
    texts = {p: _blocks(p) for p in samples}
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("bench_*"):
        old.unlink()
    fixed = [(fmt, lang) for lang in ("zh", "en") for fmt in ("docx", "txt")]
    rows = []
    for i in range(n):
        if i < len(fixed):
            fmt, lang = fixed[i]
            base = rng.choice([p for p in samples if p.name.startswith(lang)])
            pages = FIXED_PAGES
        else:
            fmt = rng.choices(FORMATS, WEIGHTS)[0]
            base = rng.choice(samples)
            lang = base.name[:2]
            pages = rng.randint(2, 60)
        others = [texts[p] for p in samples if p.name[:2] == lang and p != base]
        blocks = _compose(texts[base], others, pages * CHARS_PER_PAGE[lang], rng)
        path = out / f"bench_{i:04d}_{lang}_{pages:02d}p.{fmt}"
        if fmt == "pdf":
            pages = _write_pdf(blocks, path)
        elif fmt == "docx":
            _write_docx(blocks, path)
        else:
            path.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")
        rows.append(
            {
                "file": path.name,
                "format": fmt,
                "lang": lang,
                "pages": pages,
                "chars": sum(map(len, blocks)),
                "from": base.name,
            }
        )
    (out / "manifest.json").write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=500, help="number of contracts (default 500)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"folder (default {DEFAULT_OUT})")
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    start = time.perf_counter()
    rows = make(args.n, args.out, args.seed)
    by_format = {f: sum(r["format"] == f for r in rows) for f in FORMATS}
    pages = sum(int(r["pages"]) for r in rows)  # type: ignore[call-overload]
    print(f"{len(rows)} contracts ({by_format}), {pages} pages, into {args.out} in {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
