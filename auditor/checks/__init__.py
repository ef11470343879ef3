"""The checklist: the one place checks are registered, in the rubric's order, for both sides.

An explicit tuple (as ruff's `codes.rs` and spaCy's factories do) rather than directory scanning: the
order is visible here, nothing registers itself on import, and a half-written module is never picked up
silently. Everything else a check needs is found from its id: `lexicons/<id>.toml`,
`tests/fixtures/checks/<id>/`, and the module docstring. Every consumer (reports, CSV/XLSX summaries,
heatmaps, the desk, `report --check`, playbooks, the eval) takes its columns from here or from the
findings a report carries, never from a copy of the list.
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
from auditor.checks.provider import (
    provider_client_cooperation,
    provider_client_termination,
    provider_liability_cap,
    provider_payment_terms,
)
from auditor.model import Perspective

# The rubric's checklist, read for the client (甲方): what `audit()` runs by default.
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

# The provider's checklist (乙方视角), run instead of the client's for `perspective="provider"`.
PROVIDER_CHECKS: tuple[Check, ...] = tuple(
    m.CHECK
    for m in (
        provider_liability_cap,
        provider_payment_terms,
        provider_client_cooperation,
        provider_client_termination,
    )
)


def all_checks() -> tuple[Check, ...]:
    """Every registered check, both sides: what a playbook may configure and `report --check` may name."""
    return CHECKS + PROVIDER_CHECKS


def checks_for(perspective: Perspective) -> tuple[Check, ...]:
    """The checklist read for one side."""
    return PROVIDER_CHECKS if perspective == "provider" else CHECKS


def get_check(check_id: str) -> Check:
    """The registered check with this id (either side)."""
    for check in all_checks():
        if check.id == check_id:
            return check
    raise KeyError(check_id)
