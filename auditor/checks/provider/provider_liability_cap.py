"""Liability cap, for the provider (责任上限).

What it checks: the provider's total liability is capped (累计赔偿总额不超过已收服务费, aggregate liability
shall not exceed the fees paid).
Why it matters: without a cap, one missed KPI or one banned account can cost the provider more than the
whole contract earns (民法典第584条 damages are otherwise open-ended).
Pass / weak / missing: pass with a cap; missing with none (the reason quotes the uncapped exposure).
"""

from __future__ import annotations

from auditor.checks._base import Check, CheckInput
from auditor.lexicon import load_lexicon
from auditor.model import Finding, Status


def run(inp: CheckInput) -> Finding:
    """A cap anywhere → pass; penalties or damages with no cap → missing, quoting them."""
    breach = inp.bind(load_lexicon("breach_liability"))
    caps = breach.hits("cap") + breach.hits("low_cap")
    if caps:
        return inp.finding(Status.PASS, [inp.reason("pass")], inp.evidence(caps))
    exposure = breach.hits("consequence")
    if exposure:
        return inp.finding(Status.MISSING, [inp.reason("uncapped")], inp.evidence(exposure))
    return inp.finding(Status.MISSING, [inp.reason("no_cap")])


CHECK = Check(id="provider_liability_cap", run=run)
