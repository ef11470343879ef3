"""The accuracy floor on the bundled labelled corpus (the issue's floor): every check agrees with the labels
on at least 90% of the contracts, and red flags reach 0.8 precision and recall. It measures the engine as
it is when CI runs; `python -m auditor eval sample_contracts` prints the figures and the disagreements.
"""

from __future__ import annotations

from pathlib import Path

from auditor.checks import CHECKS
from auditor.evaluate import evaluate, render

CHECK_ACCURACY_FLOOR = 0.9
FLAG_PRECISION_FLOOR = 0.8
FLAG_RECALL_FLOOR = 0.8


def test_evaluate_accuracy_floor_on_samples(samples_dir: Path) -> None:
    ev = evaluate(samples_dir)
    table = render(ev)
    assert ev.files["all"] > 0 and not ev.errors, table
    below = {c.id: round(ev.accuracy(c.id), 3) for c in CHECKS if ev.accuracy(c.id) < CHECK_ACCURACY_FLOOR}
    assert not below, table
    precision, recall, _ = ev.flag_scores()
    assert precision >= FLAG_PRECISION_FLOOR and recall >= FLAG_RECALL_FLOOR, table
