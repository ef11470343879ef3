"""Measure the engine on a generated corpus (benchmarks/make_corpus.py) and print every figure in one run.

1. Issue #13's ratios, each side of a ratio a fresh process measured in the same run: the audit of a
   20-page text-layer PDF (zh, en) against pdfplumber's `extract_text` and pypdfium2's plain text of
   the same file; the cold start of a small TXT audit and of `--help`.
2. Warm analysis (after every sample of the language has been audited once): the corpus's 20-page DOCX
   and TXT contracts, and generated TXT contracts of 1, 10, 50, 150 and 300 pages, per page and slope.
3. Workers: how soon the first result of a 2-worker batch arrives, and 1 against 2 workers on 100
   one-page TXT files and on the mixed corpus (fresh CLI processes), the time per contract of a re-run
   served by the result store, contracts per second per core, peak memory of each worker.
4. `--dask` on a LocalCluster of 2 workers: the same mixed batch against the local pool, and the client's
   peak memory over 1,000 and 10,000 one-page files streamed into the store.

    .venv/bin/python benchmarks/run.py --page docs/benchmarks.md   # the whole page, from a fresh clone
    .venv/bin/python benchmarks/run.py --throughput 0              # sections 1-2 only, printed
    .venv/bin/python benchmarks/run.py --throughput 40 --dask 200  # a quicker run of sections 3-4

A missing corpus is generated first (500 files into $TMPDIR/contract-auditor-bench, about a minute).
Each figure is printed beside its target and beside its value before issue #13 (`BEFORE`, measured with
this script at commit c035b34, or at f62efa2 for the figures this script did not print then).

The code measured is this checkout's (`python -m auditor` run from it, and imported from it), so a copy
of this script in a worktree of an older commit measures that commit the same way.

It measures and prints; it asserts nothing. The machine's load average is printed with the figures,
because other work on a shared machine changes them.
"""

from __future__ import annotations

import argparse
import compileall
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
NOTES = Path(__file__).with_name("notes.md")  # the page's prose, after the measured sections

# Before issue #13 (c035b34; the per-page costs at f62efa2, after the loader and start-up work, before
# the analysis was made linear; the workers at 3ddf1f7, an idle machine), from the page's earlier versions.
BEFORE = {
    "pdf_plumber": {"zh": "4.08×", "en": "2.35×"},
    "pdf_pdfium": {"zh": "27.2×", "en": "51.2×"},
    "cold": {
        "zh_05_kol_promotion.txt": "3.48 s",
        "zh_22_livestream_commission.txt (names a court)": "10.4 s",
        "en_10_tiktok_creator.txt": "7.69 s",
    },
    "help": "0.37 s",
    "twenty": "0.29–0.45 s (idle)",
    "per_page": {"zh": (0.13, 0.54, 1.42, 3.52, 12.07, 38), "en": (0.14, 0.55, 3.32, 14.44, 53.85, 177)},
    "first": "0.50 s (1eb392c)",
    "speedup_pages": "0.78× (105 TXT)",
    "speedup_mixed": "1.91× (40 files, idle)",
    "per_core": "0.55 (1 worker, idle)",
    "worker_rss": "204, 205 MB (idle)",
    "dask": "5.00× on 20 one-page files (1eb392c)",
    "client_rss": "106 MB at 1,000 and 490 MB at 10,000 files (b6188cb)",
}


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
        "| PDF | pages | audit | pdfplumber `extract_text` | pypdfium2 text | audit / pdfplumber (before) "
        "| audit / pypdfium2 (before) |"
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
            f"| **{whole / plumber:.2f}×** (target ≤ 1.0×; {BEFORE['pdf_plumber'][row['lang']]}) "
            f"| **{whole / pdfium:.2f}×** (target ≤ 4×; {BEFORE['pdf_pdfium'][row['lang']]}) |",
            flush=True,
        )
    bare = _fresh([sys.executable, "-c", "pass"])
    cold = {name: _fresh([*audit, str(path)]) for name, path in COLD_FILES.items()}
    helped = _fresh([*AUDIT[:-1], "--help"])
    print(f"\nCold start, `contract-audit audit FILE --format json` (bare interpreter: {bare:.2f} s):\n")
    print("| file | bytes | wall s | target | before |")
    print("|---|---:|---:|---|---:|")
    for name, path in COLD_FILES.items():
        print(f"| {name} | {path.stat().st_size} | **{cold[name]:.2f}** | ≤ 1.0 s | {BEFORE['cold'][name]} |")
    print(f"| `contract-audit --help` | | **{helped:.2f}** | ≤ 0.3 s | {BEFORE['help']} |")


def _analysis_seconds(doc: Any, lang: str, repeat: int) -> float:
    """Best CPU time of the stages after loading, over `repeat` runs."""
    from auditor.pipeline import audit_document

    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        audit_document(doc, lang=lang)  # type: ignore[arg-type]
        best = min(best, time.process_time() - start)
    return best


def warm_analysis(corpus: Path, manifest: list[dict[str, Any]]) -> None:
    """Section 2: the stages after loading, warm (every sample of the language audited once first, so the
    cues it reads are compiled and its libraries imported): the corpus's 20-page DOCX and TXT contracts,
    then generated TXT contracts of 1 to 300 pages, per page.
    """
    import random

    from make_corpus import CHARS_PER_PAGE, FIXED_PAGES, _compose

    from auditor.load import load
    from auditor.pipeline import audit_document

    samples = sorted(p for p in (ROOT / "sample_contracts").glob("*.txt"))
    print("\n## 2. Warm analysis (CPU seconds of this process, best of 3; load not counted)\n")
    for lang in ("zh", "en"):
        for path in samples:
            if path.name.startswith(lang):
                audit_document(load(path))
    fixed = [r for r in manifest[:4] if r["pages"] == FIXED_PAGES]  # make_corpus writes these four first
    print("| 20-page contract | characters | seconds | target | before |")
    print("|---|---:|---:|---|---:|")
    for row in fixed:
        doc = load(corpus / row["file"])
        seconds = _analysis_seconds(doc, row["lang"], 3)
        print(f"| {row['file']} | {row['chars']:,} | **{seconds:.3f}** | ≤ 0.15 s | {BEFORE['twenty']} |", flush=True)
    print("\nGenerated TXT contracts, seconds (ms per page); before: f62efa2, the same script's cold-ish warm-up:\n")
    print(
        "| language | " + " | ".join(f"{n} p" for n in PAGES) + " | slope per page (before) | 300 p / 10 p per page |"
    )
    print("|---|" + "---:|" * len(PAGES) + "---:|---:|")
    for lang in ("zh", "en"):
        blocks = [[b.text for b in load(p).blocks] for p in samples if p.name.startswith(lang)]
        seconds = []
        for pages in PAGES:
            text = "\n".join(_compose(blocks[0], blocks[1:], pages * CHARS_PER_PAGE[lang], random.Random(pages)))
            doc = load(text.encode(), f"{lang}_{pages}p.txt")
            seconds.append(_analysis_seconds(doc, lang, 3 if pages <= 50 else 1))
        slope = statistics.linear_regression(PAGES, seconds).slope
        before = BEFORE["per_page"][lang]
        cells = " | ".join(
            f"{t:.2f} ({t / n * 1000:.0f} ms/p; {b:.2f})" for n, t, b in zip(PAGES, seconds, before, strict=False)
        )
        growth = (seconds[-1] / PAGES[-1]) / (seconds[1] / PAGES[1])
        print(
            f"| {lang} | {cells} | **{slope * 1000:.0f} ms** ({before[-1]} ms) | {growth:.2f}× (linear: 1×) |",
            flush=True,
        )


class _Run:
    """One `contract-audit` process: wall time, its own CPU time, its own peak RSS (sampled, without its
    workers), and the peak RSS of each worker process under it (sampled with psutil, which comes with
    dask.distributed).
    """

    def __init__(self, args: list[str]) -> None:
        import psutil

        start = time.perf_counter()
        proc = subprocess.Popen([CLI, *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        peaks: dict[int, int] = {}
        done = threading.Event()

        def sample() -> None:
            parent = psutil.Process(proc.pid)
            while not done.wait(0.1):
                with contextlib.suppress(psutil.Error):
                    for one in (parent, *parent.children(recursive=True)):
                        with contextlib.suppress(psutil.Error):
                            peaks[one.pid] = max(peaks.get(one.pid, 0), one.memory_info().rss)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        done.set()
        sampler.join()
        self.wall = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) not in (0, 2):  # 2: some file could not be read
            raise SystemExit(f"contract-audit {' '.join(args)} failed")
        self.cpu = usage.ru_utime + usage.ru_stime
        self.rss_mb = peaks.pop(proc.pid, 0) / 2**20
        # workers are forked from the command on Linux; elsewhere the forkserver (imports only) is the
        # smallest child and the others are workers
        forked = sys.platform.startswith("linux")
        self.worker_rss = sorted(peaks.values())[0 if forked else 1 :]


FIRST_RESULT = """import pathlib, sys, time
from auditor.batch.pool import Options, _run  # the engine the CLI drives, timed from the batch's start
paths = sorted(pathlib.Path(sys.argv[1]).iterdir())
start = time.perf_counter()
results = _run(paths, list(range(len(paths))), Options(workers=2))
next(results)
print(time.perf_counter() - start)
results.close()
"""


def _one_page_txts(folder: Path, n: int) -> None:
    """`n` one-page TXT contracts: the opening page of each sample in turn."""
    from make_corpus import CHARS_PER_PAGE, SAMPLES, _blocks

    folder.mkdir(parents=True, exist_ok=True)
    samples = sorted(SAMPLES.glob("*.txt"))
    pages = {p: _blocks(p) for p in samples}
    for i in range(n):
        path = samples[i % len(samples)]
        kept, size = [], 0
        for block in pages[path]:
            if size >= CHARS_PER_PAGE[path.name[:2]]:
                break
            kept.append(block)
            size += len(block)
        (folder / f"page_{i:05d}_{path.name}").write_text("\n\n".join(kept) + "\n", encoding="utf-8")


def _linked(folder: Path, corpus: Path, rows: list[dict[str, Any]]) -> Path:
    """A folder of links to the corpus files of `rows`."""
    folder.mkdir()
    for row in rows:
        (folder / row["file"]).symlink_to(corpus / row["file"])
    return folder


def _batch(folder: Path, *engine: str) -> _Run:
    """`contract-audit audit FOLDER --format jsonl` in a fresh process, without the store."""
    return _Run(["audit", str(folder), "--format", "jsonl", "--out", os.devnull, "--no-db", "--follow-links", *engine])


def _row(label: str, engine: str, files: int, run: _Run) -> None:
    print(f"| {label} | {engine} | {run.wall:.1f} | {files / run.wall:.2f} | {run.rss_mb:.0f} MB |", flush=True)


def throughput(corpus: Path, manifest: list[dict[str, Any]], mixed: Path) -> _Run:
    """Section 3: fresh CLI processes, so start-up counts as a user sees it; the store re-run in this
    process, with one Store, so that its fingerprints cannot change between the two runs while colleagues
    edit the engine. Returns the 2-worker run of the mixed batch, for section 4.
    """
    from auditor.batch.pool import Options, run_batch
    from auditor.batch.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        pages_folder = Path(tmp) / "one-page"
        _one_page_txts(pages_folder, 100)
        files = len(list(mixed.iterdir()))
        rows = [r for r in manifest if (mixed / r["file"]).exists()]
        pages = sum(r["pages"] for r in rows)
        kinds = {f: sum(r["format"] == f for r in rows) for f in ("pdf", "docx", "txt")}
        firsts = [
            float(
                subprocess.run(
                    _python(FIRST_RESULT, pages_folder), cwd=ROOT, capture_output=True, text=True, check=True
                ).stdout
            )
            for _ in range(3)
        ]
        print("\n## 3. Workers: `contract-audit audit FOLDER --format jsonl` in fresh processes\n")
        print(
            f"First result of a 2-worker batch of one-page TXT files, from the batch's start: best "
            f"**{min(firsts):.2f} s**, median {statistics.median(firsts):.2f} s (target ≤ 0.3 s; before "
            f"{BEFORE['first']})\n"
        )
        print("| files | workers | wall s | contracts/s | peak RSS of the CLI process |")
        print("|---|---|---:|---:|---:|")
        runs = {}
        for label, folder, count in (
            ("100 one-page TXT", pages_folder, 100),
            (f"{files} mixed ({kinds}, {pages:,} pages)", mixed, files),
        ):
            for workers in ("1", "2"):
                runs[folder, workers] = run = _batch(folder, "--workers", workers)
                _row(label, workers, count, run)
        stored = sorted(_linked(Path(tmp) / "stored", corpus, _spread(rows, 40)).iterdir())
        with Store(Path(tmp) / "audits.sqlite") as store:
            run_batch(stored, Options(workers=2), store=store)
            start = time.perf_counter()
            run_batch(stored, Options(workers=2), store=store)
            again = time.perf_counter() - start
    cores = min(os.cpu_count() or 1, 2)
    print()
    for name, folder, before in (
        ("100 one-page TXT", pages_folder, BEFORE["speedup_pages"]),
        ("mixed", mixed, BEFORE["speedup_mixed"]),
    ):
        ratio = runs[folder, "1"].wall / runs[folder, "2"].wall
        print(f"- speed-up 1 → 2 workers, {name}: **{ratio:.2f}×** (target ≥ 1.8×; before {before})")
    two = runs[mixed, "2"]
    print(
        f"- mixed corpus, 2 workers: **{files / two.wall / cores:.2f} contracts/s per core** "
        f"(target ≥ 2; before {BEFORE['per_core']})"
    )
    print(f"- re-run served by the store: {again / len(stored) * 1000:.1f} ms per contract ({len(stored)} files)")
    workers = ", ".join(f"{mb / 2**20:.0f}" for mb in two.worker_rss) or "not sampled"
    print(
        f"- peak RSS per worker process, mixed corpus, 2 workers: **{workers} MB** (target ≤ 200 MB; before "
        f"{BEFORE['worker_rss']})"
    )
    return two


def dask_cluster(mixed: Path, local: _Run, sizes: tuple[int, ...]) -> None:
    """Section 4: the CLI as a Dask client of a LocalCluster (2 worker processes, one thread each): the
    mixed batch of section 3 on a fresh cluster and again (its workers warm), against the local pool's
    run of section 3; then the client's own peak memory over growing batches of one-page TXT files.
    """
    from distributed import LocalCluster

    files = len(list(mixed.iterdir()))
    print("\n## 4. `--dask` on a LocalCluster of 2 workers (fresh CLI processes)\n")
    print("| files | engine | wall s | contracts/s | peak RSS of the CLI process |")
    print("|---|---|---:|---:|---:|")
    with (
        tempfile.TemporaryDirectory() as tmp,
        LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster,
    ):
        address = cluster.scheduler_address
        _row(f"{files} mixed", "local pool, 2 workers (section 3)", files, local)
        fresh = _batch(mixed, "--dask", address)
        _row(f"{files} mixed", "--dask, fresh cluster", files, fresh)
        warm = _batch(mixed, "--dask", address)
        _row(f"{files} mixed", "--dask, the next batch", files, warm)
        clients = {}
        for n in sizes:
            folder = Path(tmp) / f"f{n}"
            _one_page_txts(folder, n)
            db = Path(tmp) / f"{n}.db"  # results streamed into the store as they finish
            clients[n] = run = _Run(
                ["audit", str(folder), "--format", "jsonl", "--out", os.devnull, "--db", str(db), "--dask", address]
            )
            _row(f"{n:,} one-page TXT", "--dask, into the store", n, run)
    print(
        f"\n- `--dask` / local pool, mixed batch: **{fresh.wall / local.wall:.2f}×** the wall time on a fresh "
        f"cluster, **{warm.wall / local.wall:.2f}×** on the next batch (target within 10 %: ≤ 1.10×; before "
        f"{BEFORE['dask']})"
    )
    print(
        "- client peak RSS: "
        + ", ".join(f"{n:,} files {clients[n].rss_mb:.0f} MB" for n in sizes)
        + f" (target: flat; before {BEFORE['client_rss']})"
    )


class _Tee:
    """stdout that is also kept, for the page."""

    def __init__(self) -> None:
        self.kept: list[str] = []
        self.terminal = sys.stdout

    def write(self, text: str) -> int:
        self.kept.append(text)
        return self.terminal.write(text)

    def flush(self) -> None:
        self.terminal.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument(
        "--throughput", type=int, default=500, help="mixed files in the worker runs, spread over the corpus (0: none)"
    )
    parser.add_argument(
        "--dask",
        type=int,
        nargs="*",
        default=[1000, 10000],
        help="one-page file counts for the client's memory through --dask (none: skip section 4)",
    )
    parser.add_argument("--page", type=Path, help="also write the figures and benchmarks/notes.md as this page")
    args = parser.parse_args()
    if not (args.corpus / "manifest.json").exists():
        from make_corpus import make

        print(f"generating the corpus into {args.corpus} …", file=sys.stderr)
        make(500, args.corpus, seed=5)
    manifest = json.loads((args.corpus / "manifest.json").read_text(encoding="utf-8"))
    # as installing the wheel does: else, with PYTHONDONTWRITEBYTECODE set (CI images, containers), every
    # fresh process of a checkout compiles the engine's 90 modules again (0.1 s of each start)
    compileall.compile_dir(ROOT / "auditor", quiet=1)
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    tee = _Tee()
    load_start = os.getloadavg()[0]
    with contextlib.redirect_stdout(tee):  # type: ignore[type-var]
        ratios(args.corpus, manifest)
        warm_analysis(args.corpus, manifest)
        if args.throughput:
            with tempfile.TemporaryDirectory() as tmp:
                rows = sorted(_spread(manifest, args.throughput), key=lambda r: r["file"])
                mixed = _linked(Path(tmp) / "mixed", args.corpus, rows)
                local = throughput(args.corpus, manifest, mixed)
                if args.dask:
                    dask_cluster(mixed, local, tuple(args.dask))
    machine = (
        f"Measured at commit {commit} on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: "
        f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}, {len(manifest)}-file generated corpus. "
        f"**Machine load** (1-minute load average): {load_start:.1f} at the start, {os.getloadavg()[0]:.1f} "
        "at the end; on a shared machine absolute seconds grow with it, the ratios (both sides measured in "
        "the same minutes) much less."
    )
    print(f"\n{machine}")
    if args.page:
        command = ".venv/bin/python benchmarks/run.py --page docs/benchmarks.md"
        head = "# Speed, measured\n\nRegenerated, corpus included, by one command from a fresh clone:\n\n"
        notes = NOTES.read_text(encoding="utf-8")
        page = f"{head}```bash\n{command}\n```\n\n{machine}\n{''.join(tee.kept)}\n{notes}"
        args.page.write_text(page, encoding="utf-8")


if __name__ == "__main__":
    main()
