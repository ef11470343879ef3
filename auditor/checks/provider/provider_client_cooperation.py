"""Client cooperation behind KPIs, for the provider (甲方配合与数据权限义务).

What it checks: when the provider promises numeric results, the client is bound to give what those
results depend on: account back-end access, data, materials, timely approvals.
Why it matters: a KPI the provider cannot influence or even measure is a penalty waiting to happen; the
client's failure to cooperate should excuse it.
Pass / weak / missing: pass when no KPI is promised or a cooperation duty is stated; weak when a KPI is
promised with no such duty.
"""

from __future__ import annotations

from auditor.checks._base import Check, CheckInput
from auditor.lexicon import load_lexicon
from auditor.model import Finding, Status


def run(inp: CheckInput) -> Finding:
    """No KPI → pass; KPI with a client duty → pass; KPI without one → weak."""
    kpi = inp.bind(load_lexicon("kpi_remedies"))
    promises = kpi.sentence_hits("metric", "kpi_number")
    if not promises:
        return inp.finding(Status.PASS, [inp.reason("no_kpi")])
    duty = inp.hits("client_duty")
    if duty:
        return inp.finding(Status.PASS, [inp.reason("pass")], inp.evidence(duty))
    return inp.finding(Status.WEAK, [inp.reason("no_duty")], inp.evidence(promises))


CHECK = Check(id="provider_client_cooperation", run=run)
