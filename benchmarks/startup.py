"""Import time and first-audit time, each in a fresh interpreter, against a bare interpreter as baseline.

    .venv/bin/python benchmarks/startup.py [--repeat 3]

Prints the best of `repeat` runs; asserts nothing (speed targets live here, not in timed tests).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_contracts" / "zh_02_douyin_package.txt"

STEPS = {
    "bare interpreter (baseline)": "pass",
    "import auditor": "import auditor",
    "import auditor.pipeline": "import auditor.pipeline",
    "first audit (cold: spaCy + jieba + lexicons)": f"from auditor import audit; audit({str(SAMPLE)!r})",
    "first + second audit (second is warm)": (
        f"from auditor import audit; audit({str(SAMPLE)!r}); audit({str(SAMPLE)!r})"
    ),
}


def _best(code: str, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    """Print each step's wall time and its ratio to the bare interpreter."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    results = {name: _best(code, args.repeat) for name, code in STEPS.items()}
    base = results["bare interpreter (baseline)"]
    warm = results["first + second audit (second is warm)"] - results["first audit (cold: spaCy + jieba + lexicons)"]
    print(f"{'step':48} {'seconds':>8} {'× baseline':>11}")
    for name, seconds in results.items():
        print(f"{name:48} {seconds:8.3f} {seconds / base:11.1f}")
    print(f"{'→ one warm audit of ' + SAMPLE.name:48} {warm:8.3f}")


if __name__ == "__main__":
    main()
