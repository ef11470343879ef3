"""Whose side the review takes, and what kind of contract it is.

Perspective: `client` (甲方, the default) runs the rubric's seven checks; `provider` (乙方) runs the
provider's checklist (`auditor/checks_provider/`) *instead of* them, so a report reads for one side only,
and keeps only the red flags that hurt both sides (an invalid forum clause, blanks). Running both lists
at once would put "pass: paid in full up front" beside "missing: full prepayment" for the same clause.

Contract type: the cues of `lexicons/contract_types.toml` are counted in the contract; the type with most
distinct cues proposes its playbook, and the cues that fired are the evidence for the guess.
"""

from __future__ import annotations

from collections.abc import Sequence

from auditor.checks import CHECKS
from auditor.checks._base import Check
from auditor.checks.provider import PROVIDER_CHECKS
from auditor.lexicon import load_lexicon
from auditor.model import ContractType, RedFlag
from auditor.review.playbook import Perspective
from auditor.rules.reading import CheckInput

PERSPECTIVES: tuple[Perspective, ...] = ("client", "provider")
# Red flags that hurt both sides, kept in a provider-side report.
SHARED_FLAGS = frozenset({"arbitration_or_litigation", "unfilled_blank"})
TYPES = ("short_video", "influencer_livestream", "software_development")


def all_checks() -> tuple[Check, ...]:
    """Every registered check, both sides: what a playbook may configure."""
    return CHECKS + PROVIDER_CHECKS


def checks_for(perspective: Perspective) -> tuple[Check, ...]:
    """The checklist read for one side."""
    return PROVIDER_CHECKS if perspective == "provider" else CHECKS


def flags_for(flags: Sequence[RedFlag], perspective: Perspective) -> tuple[RedFlag, ...]:
    """The red flags that matter to one side (all of them for the client)."""
    if perspective == "client":
        return tuple(flags)
    return tuple(f for f in flags if f.flag_id in SHARED_FLAGS)


def detect_contract_type(inp: CheckInput) -> ContractType:
    """The contract's type, the cues that fired for it, and the playbook it proposes."""
    lexicon = load_lexicon("contract_types")
    text = "\n".join(c.norm for c in inp.operative)
    fired: dict[str, tuple[str, ...]] = {}
    for kind in TYPES:
        found = (m.group(0) for rx in lexicon.each(kind, inp.lang) if (m := rx.search(text)))
        fired[kind] = tuple(dict.fromkeys(found))
    best = max(TYPES, key=lambda k: len(fired[k]))
    values = lexicon.values
    kind = best if len(fired[best]) >= int(values["min_cues"]) else "general"
    cues = fired.get(kind, ())
    title = values["titles"][inp.lang][kind]
    sep = "、" if inp.lang == "zh" else ", "
    reason = (lexicon.reason("detected", inp.lang, kind=title, cues=sep.join(cues)) if cues
              else lexicon.reason("general", inp.lang))
    return ContractType(kind=kind, playbook=values["playbooks"][inp.lang][kind], cues=cues, reason=reason)
