"""Red flags: risky terms reported beside the checks, each with the clause that carries it.

One small predicate per flag in `FLAGS`, most serious first. A flag that is the same finding as a
check's (full prepayment, arbitration-or-litigation, deemed acceptance, an excessive deposit) reuses that
check's cues and helpers rather than a copy of them; wording lives in `lexicons/red_flags.toml`.
"""

from __future__ import annotations

from collections.abc import Callable

from auditor.analyse.match import Hit
from auditor.lexicon import load_lexicon
from auditor.model import RedFlag
from auditor.rules.acceptance import accepted_on_delivery, days_text, short_deemed_acceptance
from auditor.rules.forum import both_routes
from auditor.rules.payment import deposit_share, full_prepayment, periodic_prepayment
from auditor.rules.reading import CheckInput
from auditor.rules.sides import breaching_party, needs_client_consent

Detector = Callable[[CheckInput], tuple[tuple[Hit, ...], dict[str, str]]]


def _via(check_id: str, key: str) -> Detector:
    """A flag that is a check's own cue seen from the red-flag side."""

    def detect(inp: CheckInput) -> tuple[tuple[Hit, ...], dict[str, str]]:
        return inp.bind(load_lexicon(check_id)).hits(key, negatable=False), {}

    return detect


def _own(key: str, *, negatable: bool = False) -> Detector:
    def detect(inp: CheckInput) -> tuple[tuple[Hit, ...], dict[str, str]]:
        return inp.hits(key, negatable=negatable), {}

    return detect


def _full_prepayment(inp: CheckInput) -> tuple[tuple[Hit, ...], dict[str, str]]:
    """The whole price up front, or each period's whole fee before the period: both leave the client no
    leverage for what it has paid (rubric, staged_payment).
    """
    staged = inp.bind(load_lexicon("staged_payment"))
    if whole := full_prepayment(staged):
        return whole, {"what": inp.reason("prepaid_whole")}
    if periodic := periodic_prepayment(staged):
        return periodic, {"what": inp.reason("prepaid_periodic")}
    return (), {}


def _both_routes(inp: CheckInput) -> tuple[tuple[Hit, ...], dict[str, str]]:
    return both_routes(inp), {}


def _deemed_acceptance(inp: CheckInput) -> tuple[tuple[Hit, ...], dict[str, str]]:
    quality = inp.bind(load_lexicon("quality_standards"))
    found = short_deemed_acceptance(quality) or [(h, 0.0) for h in accepted_on_delivery(quality)]
    if not found:
        return (), {}
    return tuple(h for h, _ in found), {"days": days_text(found[0][1], inp.lang)}


def _unilateral(inp: CheckInput) -> tuple[tuple[Hit, ...], dict[str, str]]:
    """The provider's own power to change or end the deal: not a right both sides hold, one that answers
    the client's failure or a listed cause, or one the client must consent to first.
    """
    scope = inp.bind(load_lexicon("scope_volume")).hits("unilateral_change", negatable=False)
    hits = scope + inp.hits("provider_unilateral", negatable=False)
    return tuple(
        h
        for h in hits
        if not any(inp.in_sentence(h, key) for key in ("either_side_right", "right_on_condition"))
        and not needs_client_consent(inp, h)
    ), {}


def _auto_renewal(inp: CheckInput) -> tuple[tuple[Hit, ...], dict[str, str]]:
    hits = inp.hits("auto_renewal", negatable=True)
    if inp.hits("renewal_reminder", negatable=False):
        return (), {}
    return hits, {}


def _account_ownership(inp: CheckInput) -> tuple[tuple[Hit, ...], dict[str, str]]:
    to_provider = tuple(
        h
        for h in inp.hits("ownership_to_provider", negatable=True)
        if not (inp.in_sentence(h, "rejected_work") or inp.in_sentence(h, "provider_own_materials"))
    )
    if to_provider:
        return to_provider, {}
    work = tuple(h for h in inp.hits("account_or_content") if not inp.in_sentence(h, "money_account"))
    if work and not inp.hits("ownership_stated"):
        return work[:1], {}
    return (), {}


def _excessive_deposit(inp: CheckInput) -> tuple[tuple[Hit, ...], dict[str, str]]:
    staged = inp.bind(load_lexicon("staged_payment"))
    share, hits = deposit_share(staged)
    limit = float(staged.lexicon.values["max_deposit_percent"])
    if share is None or share <= limit:
        return (), {}
    return hits, {"share": f"{share:.0f}%"}


def _one_sided_penalty(inp: CheckInput) -> tuple[tuple[Hit, ...], dict[str, str]]:
    """Penalties on the client and no consequence (penalty, refund, damages) of a breach by the provider alone
    (money returned when it simply walks away is not a sanction): one for
    either side ("一方违约的…") does not balance a heavier one only the client bears. An indemnity is
    protection against others' claims, not a penalty.
    """
    breach = inp.bind(load_lexicon("breach_liability"))
    on_client = tuple(h for h in _penalty_like(inp.hits("penalty"), breach) if breaching_party(breach, h) == "client")
    on_provider = any(
        breaching_party(breach, h) == "provider"
        and not (inp.rx("money_returned").search(h.matched) and not breach.in_sentence(h, "breach"))
        for h in _penalty_like(breach.hits("consequence"), breach)
    )
    if on_client and not on_provider:
        return on_client, {}
    return (), {}


def _penalty_like(hits: tuple[Hit, ...], breach: CheckInput) -> list[Hit]:
    return [h for h in hits if not breach.in_sentence(h, "indemnity")]


def _unfilled_blank(inp: CheckInput) -> tuple[tuple[Hit, ...], dict[str, str]]:
    # a line of nothing but underscores is a rule or a signature line, not a term left open
    hits = tuple(h for h in inp.bind(inp.common).hits("blank", negatable=False) if h.clause.norm.strip(" _\n"))
    if not hits:
        return (), {}
    what = (
        "、".join(dict.fromkeys(h.clause.label for h in hits[:4]))
        if inp.lang == "zh"
        else ", ".join(dict.fromkeys(h.clause.label for h in hits[:4]))
    )
    return hits, {"what": what}


# id → (detector, severity 1–3), most serious first.
FLAGS: dict[str, tuple[Detector, int]] = {
    "full_prepayment": (_full_prepayment, 3),
    "arbitration_or_litigation": (_both_routes, 3),
    "effect_disclaimer": (_via("kpi_remedies", "disclaimer"), 3),
    "account_ownership": (_account_ownership, 3),
    "unilateral_change": (_unilateral, 3),
    "one_sided_penalty": (_one_sided_penalty, 2),
    "excessive_deposit": (_excessive_deposit, 2),
    "deemed_acceptance": (_deemed_acceptance, 2),
    "auto_renewal": (_auto_renewal, 2),
    "final_interpretation": (_own("final_interpretation"), 1),
    "unfilled_blank": (_unfilled_blank, 1),
}


def find_red_flags(inp: CheckInput) -> tuple[RedFlag, ...]:
    """Every red flag the contract raises, most serious first, each with its evidence."""
    flags_inp = inp.bind(load_lexicon("red_flags"))
    flags = []
    for flag_id, (detect, severity) in FLAGS.items():
        hits, values = detect(flags_inp)
        if hits:
            flags.append(RedFlag(flag_id, flags_inp.reason(flag_id, **values), flags_inp.evidence(hits), severity))
    return tuple(sorted(flags, key=lambda f: -f.severity))
