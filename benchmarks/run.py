"""Measure the engine on a generated corpus (benchmarks/make_corpus.py) and print every figure in one run.

1. Per file: audit time against pdfplumber's own `extract_text` on the same PDF (and against the
   pypdfium2 plain-text path, as a proposal for the loader); warm analysis time of 20-page DOCX/TXT.
2. Throughput of the `contract-audit` CLI with 1 and 2 workers, the speed-up, and the time per contract
   of a re-run served by the result store.
3. Peak memory of each worker and the CLI's cold start on a small TXT.

    .venv/bin/python benchmarks/run.py                       # corpus in $TMPDIR/contract-auditor-bench
    .venv/bin/python benchmarks/run.py --pdfs 6 --throughput 40   # quicker

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
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = Path(tempfile.gettempdir()) / "contract-auditor-bench"
CLI = str(Path(sys.executable).with_name("contract-audit"))
SMALL_TXT = ROOT / "sample_contracts" / "zh_05_kol_promotion.txt"


def _time(fn: Callable[[], Any], repeat: int = 1) -> float:
    """Best CPU time of this process over `repeat` calls. The work is single-threaded and in this process,
    so CPU time equals wall time on an idle machine, and unlike wall time it does not grow when other
    work on a shared machine competes for the cores.
    """
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return best


def _spread(rows: list[dict[str, Any]], k: int) -> list[dict[str, Any]]:
    """`k` rows evenly spread over the page counts."""
    rows = sorted(rows, key=lambda r: (r["pages"], r["file"]))
    if len(rows) <= k:
        return rows
    return [rows[round(i * (len(rows) - 1) / (k - 1))] for i in range(k)]


def _pdfplumber_text(path: Path) -> None:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()


def _pdfium_text(path: Path) -> None:
    import pypdfium2

    pdf = pypdfium2.PdfDocument(str(path))
    for page in pdf:
        page.get_textpage().get_text_range()
    pdf.close()


def _linear_dedupe() -> Callable[[], None]:
    """Swap pdfplumber's `dedupe_chars` for the same algorithm minus its last line, which restores
    document order with `sorted(..., key=chars.index)`: a linear search per character, quadratic per page.
    A dict of positions does the same in linear time. Returns the undo.
    """
    import itertools
    from operator import itemgetter

    import pdfplumber.utils
    from pdfplumber.utils.clustering import cluster_objects

    original = pdfplumber.utils.dedupe_chars

    def dedupe(
        chars: list[dict[str, Any]], tolerance: float = 1, extra_attrs: tuple[str, ...] | None = ("fontname", "size")
    ) -> list[dict[str, Any]]:
        key = itemgetter("upright", "text", *(extra_attrs or ()))
        position = {id(c): i for i, c in enumerate(chars)}
        kept = []
        for _, group in itertools.groupby(sorted(chars, key=key), key=key):
            for y_cluster in cluster_objects(list(group), itemgetter("doctop"), tolerance):
                for x_cluster in cluster_objects(y_cluster, itemgetter("x0"), tolerance):
                    kept.append(sorted(x_cluster, key=itemgetter("doctop", "x0"))[0])
        return sorted(kept, key=lambda c: position[id(c)])

    pdfplumber.utils.dedupe_chars = dedupe

    def undo() -> None:
        pdfplumber.utils.dedupe_chars = original

    return undo


def _pdf_times(path: Path) -> dict[str, float]:
    """One PDF: pdfplumber alone, the loader, the analysis, the whole audit, the loader with the linear
    dedupe, pypdfium2's text; and whether both loaders gave the same document.
    """
    from auditor.load import load
    from auditor.pipeline import audit, audit_document

    t: dict[str, float] = {"plumber": _time(lambda: _pdfplumber_text(path))}
    start = time.process_time()
    doc = load(path)
    t["loader"] = time.process_time() - start
    t["analysis"] = _time(lambda: audit_document(doc))
    t["audit"] = _time(lambda: audit(path))
    undo = _linear_dedupe()
    try:
        start = time.process_time()
        fast_doc = load(path)
        t["fast_loader"] = time.process_time() - start
    finally:
        undo()
    t["same"] = float(fast_doc == doc)
    t["pdfium"] = _time(lambda: _pdfium_text(path))
    return t


def per_file(corpus: Path, manifest: list[dict[str, Any]], n_pdfs: int) -> None:
    """Section 1, in this (warm) process."""
    from auditor.batch.pool import _warm
    from auditor.load import load
    from auditor.pipeline import audit, audit_document

    _warm()
    audit(SMALL_TXT)  # lexicons and regexes compiled
    print(f"\n## 1. Per file (warm process, CPU seconds)\n\n{n_pdfs} text-layer PDFs spread over the page counts.\n")
    print(
        "| file | pages | pdfplumber extract_text s | audit s | ratio | loader s | analysis s "
        "| loader, linear dedupe s | pypdfium2 text s |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    ratios, fixed_ratios, same = [], [], True
    for row in _spread([r for r in manifest if r["format"] == "pdf"], n_pdfs):
        t = _pdf_times(corpus / row["file"])
        ratios.append(t["audit"] / t["plumber"])
        fixed_ratios.append((t["fast_loader"] + t["analysis"]) / t["plumber"])
        same &= bool(t["same"])
        print(
            f"| {row['file']} | {row['pages']} | {t['plumber']:.2f} | {t['audit']:.2f} | {ratios[-1]:.2f} "
            f"| {t['loader']:.2f} | {t['analysis']:.2f} | {t['fast_loader']:.2f} | {t['pdfium']:.3f} |",
            flush=True,
        )
    print(
        f"\naudit / pdfplumber extract_text: median {statistics.median(ratios):.2f}×, "
        f"worst {max(ratios):.2f}× (target ≤ 1.5×)"
    )
    print(
        f"with the linear dedupe in the loader: median {statistics.median(fixed_ratios):.2f}×, "
        f"worst {max(fixed_ratios):.2f}× (loaded documents identical: {'yes' if same else 'NO'})"
    )

    print("\nDOCX/TXT of 20 pages, warm (best of 3):\n")
    print("| file | chars | audit s | of which analysis s |")
    print("|---|---:|---:|---:|")
    for row in manifest:
        if row["format"] in ("docx", "txt") and row["pages"] == 20:
            path = corpus / row["file"]
            doc = load(path)
            whole = _time(lambda p=path: audit(p), 3)
            analysis = _time(lambda d=doc: audit_document(d), 3)
            print(f"| {row['file']} | {row['chars']} | {whole:.3f} | {analysis:.3f} |", flush=True)
    print("(target < 0.3 s)")


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
        print(f"\n## 2. Throughput: `contract-audit audit` on {len(subset)} files ({kinds}, {pages} pages)\n")
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

    print("\n## 3. Memory and cold start\n")
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
    parser.add_argument("--pdfs", type=int, default=12, help="PDFs timed one by one (default 12)")
    parser.add_argument("--throughput", type=int, default=500, help="files in the throughput runs")
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
    per_file(args.corpus, manifest, args.pdfs)
    throughput(args.corpus, manifest, args.throughput)
    print(f"\nload average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
