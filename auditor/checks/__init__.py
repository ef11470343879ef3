"""The checklist: the one place checks are registered, in the rubric's order.

An explicit tuple (as ruff's `codes.rs` and spaCy's factories do) rather than directory scanning: the
order is visible here, nothing registers itself on import, and a half-written module is never picked up
silently. Everything else a check needs is found from its id: `lexicons/<id>.toml`,
`tests/fixtures/checks/<id>/`, and the module docstring.
"""

from __future__ import annotations

from auditor.checks import (
    breach_liability,
    dispute_forum,
    kpi_remedies,
    quality_standards,
    scope_volume,
    staged_payment,
    termination_penalties,
)
from auditor.checks._base import Check

CHECKS: tuple[Check, ...] = tuple(
    m.CHECK
    for m in (
        scope_volume,
        quality_standards,
        kpi_remedies,
        staged_payment,
        breach_liability,
        dispute_forum,
        termination_penalties,
    )
)


def get_check(check_id: str) -> Check:
    """The registered check with this id."""
    for check in CHECKS:
        if check.id == check_id:
            return check
    raise KeyError(check_id)
