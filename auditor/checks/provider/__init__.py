"""The provider's checklist (乙方视角): what hurts the party that performs the service.

Registered for the provider perspective only, in one explicit tuple as the client checks are
(`auditor/checks/__init__.py`). Each check is a small pure function over the same `CheckInput`, with its
own lexicon `lexicons/<id>.toml`; where a cue means the same from either side (a liability cap, a payment
deadline, a KPI) the check reads the client check's lexicon rather than a copy of it.
"""

from __future__ import annotations

from auditor.checks._base import Check
from auditor.checks.provider import (
    provider_client_cooperation,
    provider_client_termination,
    provider_liability_cap,
    provider_payment_terms,
)

PROVIDER_CHECKS: tuple[Check, ...] = tuple(
    m.CHECK
    for m in (
        provider_liability_cap,
        provider_payment_terms,
        provider_client_cooperation,
        provider_client_termination,
    )
)
