"""Measure the engine on a generated corpus (benchmarks/make_corpus.py) and print every figure in one run.

1. Issue #13's ratios, each side of a ratio a fresh process measured in the same run: the audit of a
   20-page text-layer PDF (zh, en) against pdfplumber's `extract_text` and pypdfium2's plain text of
   the same file; the cold start of a small TXT audit and of `--help`.
2. Warm analysis of generated TXT contracts of 1, 10, 50, 150 and 300 pages: seconds per page, slope.
3. Throughput of the `contract-audit` CLI with 1 and 2 workers, the speed-up, and the time per contract
   of a re-run served by the result store; peak memory of each worker.

    .venv/bin/python benchmarks/run.py                       # corpus in $TMPDIR/contract-auditor-bench
    .venv/bin/python benchmarks/run.py --throughput 0        # sections 1-2 only

The code measured is this checkout's (`python -m auditor` run from it, and imported from it), so a copy
of this script in a worktree of an older commit measures that commit the same way.

It measures and prints; it asserts nothing. The machine's load average is printed with the figures,
because other work on a shared machine changes them.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # this checkout's engine, not whichever one is installed
DEFAULT_CORPUS = Path(tempfile.gettempdir()) / "contract-auditor-bench"
CLI = str(Path(sys.executable).with_name("contract-audit"))
SMALL_TXT = ROOT / "sample_contracts" / "zh_05_kol_promotion.txt"
# `python -m auditor` from this checkout (PYTHONPATH), so the same script can time an older commit too
AUDIT = [sys.executable, "-m", "auditor", "audit"]
COLD_FILES = {
    "zh_05_kol_promotion.txt": SMALL_TXT,
    "zh_22_livestream_commission.txt (names a court)": ROOT / "sample_contracts" / "zh_22_livestream_commission.txt",
    "en_10_tiktok_creator.txt": ROOT / "sample_contracts" / "en_10_tiktok_creator.txt",
}
PAGES = (1, 10, 50, 150, 300)


def _fresh(command: list[str], repeat: int = 3) -> float:
    """Best wall time of `command` in a fresh process (start-up included, as a user waits for it)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        best = min(best, time.perf_counter() - start)
    return best


def _spread(rows: list[dict[str, Any]], k: int) -> list[dict[str, Any]]:
    """`k` rows evenly spread over the page counts."""
    rows = sorted(rows, key=lambda r: (r["pages"], r["file"]))
    if len(rows) <= k:
        return rows
    return [rows[round(i * (len(rows) - 1) / (k - 1))] for i in range(k)]


def _python(code: str, path: Path) -> list[str]:
    return [sys.executable, "-c", code, str(path)]


PLUMBER = "import pdfplumber, sys\nwith pdfplumber.open(sys.argv[1]) as pdf:\n    [p.extract_text() for p in pdf.pages]"
PDFIUM = (
    "import pypdfium2, sys\npdf = pypdfium2.PdfDocument(sys.argv[1])\n[p.get_textpage().get_text_range() for p in pdf]"
)


def _twenty_page_pdfs(manifest: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per language, the text-layer PDF closest to 20 pages."""
    pdfs = [r for r in manifest if r["format"] == "pdf"]
    return [min((r for r in pdfs if r["lang"] == lang), key=lambda r: abs(r["pages"] - 20)) for lang in ("zh", "en")]


def ratios(corpus: Path, manifest: list[dict[str, Any]]) -> None:
    """Section 1: the issue #13 figures, each a fresh process (best of 3 wall), side by side."""
    audit = [*AUDIT, "--format", "json", "--no-db"]
    print("\n## 1. Issue #13: fresh processes, best of 3 (wall seconds)\n")
    print(
        "| PDF | pages | audit | pdfplumber `extract_text` | pypdfium2 text | audit / pdfplumber | audit / pypdfium2 |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for row in _twenty_page_pdfs(manifest):
        path = corpus / row["file"]
        whole, plumber, pdfium = (
            _fresh([*audit, str(path)]),
            _fresh(_python(PLUMBER, path)),
            _fresh(_python(PDFIUM, path)),
        )
        print(
            f"| {row['file']} | {row['pages']} | {whole:.2f} | {plumber:.2f} | {pdfium:.2f} "
            f"| **{whole / plumber:.2f}×** (target ≤ 1.0×) | **{whole / pdfium:.2f}×** (target ≤ 4×) |",
            flush=True,
        )
    bare = _fresh([sys.executable, "-c", "pass"])
    cold = {name: _fresh([*audit, str(path)]) for name, path in COLD_FILES.items()}
    helped = _fresh([*AUDIT[:-1], "--help"])
    print(f"\nCold start, `contract-audit audit FILE --format json` (bare interpreter: {bare:.2f} s):\n")
    print("| file | bytes | wall s | target |")
    print("|---|---:|---:|---|")
    for name, path in COLD_FILES.items():
        print(f"| {name} | {path.stat().st_size} | **{cold[name]:.2f}** | ≤ 1.0 s |")
    print(f"| `contract-audit --help` | | **{helped:.2f}** | ≤ 0.3 s |")


def warm_analysis() -> None:
    """Section 2: the stages after loading, warm, per page of TXT contracts of 1 to 300 pages."""
    import random

    from make_corpus import CHARS_PER_PAGE, _compose

    from auditor.load import load
    from auditor.pipeline import audit_document, audit_text

    samples = sorted(p for p in (ROOT / "sample_contracts").glob("*.txt"))
    print("\n## 2. Warm analysis (CPU seconds of this process; pages of generated TXT contracts)\n")
    print("| language | " + " | ".join(f"{n} p" for n in PAGES) + " | s per page, slope | target |")
    print("|---|" + "---:|" * len(PAGES) + "---:|---|")
    for lang in ("zh", "en"):
        blocks = [[b.text for b in load(p).blocks] for p in samples if p.name.startswith(lang)]
        audit_text(" ".join(blocks[0][:3]), lang=lang)  # lexicons compiled, libraries imported
        seconds = []
        for pages in PAGES:
            text = "\n".join(_compose(blocks[0], blocks[1:], pages * CHARS_PER_PAGE[lang], random.Random(pages)))
            doc = load(text.encode(), f"{lang}_{pages}p.txt")
            start = time.process_time()
            audit_document(doc, lang=lang)  # type: ignore[arg-type]
            seconds.append(time.process_time() - start)
        slope = statistics.linear_regression(PAGES, seconds).slope
        cells = " | ".join(f"{t:.2f} ({t / n * 1000:.0f} ms/p)" for n, t in zip(PAGES, seconds, strict=True))
        print(f"| {lang} | {cells} | **{slope * 1000:.0f} ms** | 20 pages ≤ 0.15 s, linear |", flush=True)


class _Run:
    """One `contract-audit` process: wall time, its own CPU time and peak RSS (wait4), and the peak RSS
    of each worker process under it (sampled with psutil, which comes with dask.distributed).
    """

    def __init__(self, args: list[str]) -> None:
        import psutil

        start = time.perf_counter()
        proc = subprocess.Popen([CLI, *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        peaks: dict[int, int] = {}
        done = threading.Event()

        def sample() -> None:
            parent = psutil.Process(proc.pid)
            while not done.wait(0.2):
                with contextlib.suppress(psutil.Error):
                    for child in parent.children(recursive=True):
                        with contextlib.suppress(psutil.Error):
                            peaks[child.pid] = max(peaks.get(child.pid, 0), child.memory_info().rss)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        done.set()
        sampler.join()
        self.wall = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) not in (0, 2):  # 2: some file could not be read
            raise SystemExit(f"contract-audit {' '.join(args)} failed")
        self.cpu = usage.ru_utime + usage.ru_stime
        self.rss_mb = usage.ru_maxrss / 1024
        # the forkserver (imports only) is the smallest child; the others are workers
        self.worker_rss = sorted(peaks.values())[1:] if len(peaks) > 1 else []


def throughput(corpus: Path, manifest: list[dict[str, Any]], n: int) -> None:
    """Section 2 and the memory of section 3: fresh CLI processes, so start-up counts as a user sees it;
    the store re-run in this process, with one Store, so that its fingerprints cannot change between the
    two runs while colleagues edit the engine.
    """
    from auditor.batch.pool import Options, run_batch
    from auditor.batch.store import Store

    subset = sorted(_spread(manifest, n), key=lambda r: r["file"]) if n < len(manifest) else manifest
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "subset"
        folder.mkdir()
        for row in subset:
            (folder / row["file"]).symlink_to(corpus / row["file"])
        pages = sum(r["pages"] for r in subset)
        kinds = {f: sum(r["format"] == f for r in subset) for f in ("pdf", "docx", "txt")}
        print(f"\n## 3. Throughput: `contract-audit audit` on {len(subset)} files ({kinds}, {pages} pages)\n")
        base = ["audit", str(folder), "--format", "jsonl", "--out", os.devnull, "--no-db"]
        one, two = _Run([*base, "--workers", "1"]), _Run([*base, "--workers", "2"])
        files = sorted(folder.iterdir())
        with Store(Path(tmp) / "audits.sqlite") as store:
            start = time.perf_counter()
            run_batch(files, Options(workers=2), store=store)
            fill = time.perf_counter() - start
            start = time.perf_counter()
            run_batch(files, Options(workers=2), store=store)
            again = time.perf_counter() - start
        print("| run | wall s | contracts/s | wall s per contract | CPU s of the CLI process |")
        print("|---|---:|---:|---:|---:|")
        print(
            f"| 1 worker (in-process) | {one.wall:.1f} | {len(subset) / one.wall:.2f} "
            f"| {one.wall / len(subset):.3f} | {one.cpu:.1f} |"
        )
        print(
            f"| 2 workers | {two.wall:.1f} | {len(subset) / two.wall:.2f} | {two.wall / len(subset):.3f} "
            "| (in the workers) |"
        )
        print(
            f"| 2 workers, filling the store (in-process API) | {fill:.1f} | {len(subset) / fill:.2f} "
            f"| {fill / len(subset):.3f} | |"
        )
        print(
            f"| re-run, every file from the store | {again:.2f} | {len(subset) / again:.0f} "
            f"| {again / len(subset):.4f} | |"
        )
        print(f"\nspeed-up 1 → 2 workers: {one.wall / two.wall:.2f}× (target ≥ 1.7× on 2 cores)")

    print("\n### Memory and cold start of the batch\n")
    workers = ", ".join(f"{mb / 2**20:.0f}" for mb in two.worker_rss) or "not sampled"
    print(
        f"peak RSS per worker process in the 2-worker run: {workers} MB; the 1-worker run (parent and "
        f"worker in one process): {one.rss_mb:.0f} MB (target ≤ 300 MB)"
    )
    starts = [_Run(["audit", str(SMALL_TXT), "--no-db", "--format", "json"]) for _ in range(3)]
    walls = [r.wall for r in starts]
    print(
        f"CLI cold start to the result of a small TXT ({SMALL_TXT.name}, {SMALL_TXT.stat().st_size} B): "
        f"wall best {min(walls):.2f} s, median {statistics.median(walls):.2f} s; CPU "
        f"{min(r.cpu for r in starts):.2f} s (target ≤ 2.5 s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--throughput", type=int, default=500, help="files in the throughput runs (0: none)")
    args = parser.parse_args()
    manifest = json.loads((args.corpus / "manifest.json").read_text(encoding="utf-8"))
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    print(
        f"# Benchmark: {len(manifest)}-file corpus in {args.corpus}, commit {commit}, "
        f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}, load average at start "
        f"{os.getloadavg()[0]:.1f}"
    )
    ratios(args.corpus, manifest)
    warm_analysis()
    if args.throughput:
        throughput(args.corpus, manifest, args.throughput)
    print(f"\nload average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
