"""Whose side the review takes.

`client` (甲方, the default) runs the rubric's checklist; `provider` (乙方) runs the provider's
checklist *instead of* them (`auditor.checks.checks_for`), so a report reads for one side only, and keeps
only the red flags that hurt both sides (an invalid forum clause, blanks). Running both lists at once would
put "pass: paid in full up front" beside "missing: full prepayment" for the same clause.
"""

from __future__ import annotations

from collections.abc import Sequence

from auditor.model import Perspective, RedFlag

PERSPECTIVES: tuple[Perspective, ...] = ("client", "provider")
# Red flags that hurt both sides, kept in a provider-side report.
SHARED_FLAGS = frozenset({"arbitration_or_litigation", "unfilled_blank"})


def flags_for(flags: Sequence[RedFlag], perspective: Perspective) -> tuple[RedFlag, ...]:
    """The red flags that matter to one side (all of them for the client)."""
    if perspective == "client":
        return tuple(flags)
    return tuple(f for f in flags if f.flag_id in SHARED_FLAGS)
