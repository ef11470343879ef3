"""Measure `compare` on two generated 100-clause drafts, against the audit of one of them in the same run.

    .venv/bin/python benchmarks/compare.py

The second draft renumbers, moves, changes, adds and removes clauses. The figure the issue sets (under a
second for 100 clauses) is read two ways: the comparison alone, the two audits already made, against the
audit of one draft as the baseline; and the whole command's work, both audits and the comparison. It also
prints whether three more runs from the text give the same JSON. It measures and prints; it asserts
nothing.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from auditor.negotiate.compare import compare, to_dict  # noqa: E402
from auditor.pipeline import audit_text  # noqa: E402


def _drafts(clauses: int) -> tuple[str, str]:
    """A first draft of `clauses` numbered clauses and a revision of it."""
    first = [
        f"{n}. 乙方应于每月{n % 28 + 1}日前交付第{n}项成果，数量不少于{n * 3}件，"
        f"逾期每日按服务费的0.{n % 9 + 1}%支付违约金。"
        for n in range(1, clauses + 1)
    ]
    second = [line.replace("不少于", "约") if n % 10 == 0 else line for n, line in enumerate(first)]
    moved = second.pop(20)
    second.insert(60, moved)
    del second[80:83]
    second.insert(40, "40a. 乙方有权根据实际情况调整服务内容。")
    renumbered = [f"{n}. {line.split('. ', 1)[1]}" for n, line in enumerate(second, start=1)]
    return "服务合同\n" + "\n".join(first), "服务合同\n" + "\n".join(renumbered)


def main() -> None:
    """Print the audit baseline, the comparison time and their ratio (best of five CPU times)."""
    first_text, second_text = _drafts(100)

    def best(fn: Callable[[], object]) -> float:
        times = []
        for _ in range(5):
            start = time.process_time()
            fn()
            times.append(time.process_time() - start)
        return min(times)

    first, second = audit_text(first_text), audit_text(second_text)
    audit_seconds = best(lambda: audit_text(second_text))
    compare_seconds = best(lambda: compare(first, second))
    whole_seconds = best(lambda: compare(audit_text(first_text), audit_text(second_text)))
    result = compare(first, second)
    same = all(to_dict(compare(audit_text(first_text), audit_text(second_text))) == to_dict(result) for _ in range(3))
    print(f"load average {os.getloadavg()[0]:.2f}")
    counts = [len(report.contract.clauses) if report.contract else 0 for report in (first, second)]
    print(f"clauses: {counts[0]} and {counts[1]}")
    print(f"changes found: {len(result.changes)}, weakened: {len(result.weakened)}")
    print(f"audit of one draft (baseline): {audit_seconds * 1000:.0f} ms")
    ratio = compare_seconds / audit_seconds
    print(f"compare of the two audits:    {compare_seconds * 1000:.0f} ms ({ratio:.2f}× the audit)")
    print(f"both audits and the compare:  {whole_seconds * 1000:.0f} ms (the target: under 1000 ms)")
    print(f"three more runs from the text give the same JSON: {same}")


if __name__ == "__main__":
    main()
