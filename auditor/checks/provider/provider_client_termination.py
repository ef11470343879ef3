"""Client's termination for convenience, for the provider (甲方任意解除的补偿).

What it checks: if the client may end the contract at will, the provider is paid for the work done and
compensated for the exit.
Why it matters: a provider that has staffed and planned a year of work can be dismissed the next day with
nothing, and the client keeps what was delivered.
Pass / weak / missing: pass when the client has no such right, or it carries payment or compensation;
weak when the client may leave at will with nothing owed.
"""

from __future__ import annotations

from auditor.checks._base import Check, CheckInput
from auditor.lexicon import load_lexicon
from auditor.model import Finding, Status


def run(inp: CheckInput) -> Finding:
    """No convenience exit → pass; one that pays the provider → pass; one that pays nothing → weak."""
    exits = inp.hits("client_convenience")
    if not exits:
        return inp.finding(Status.PASS, [inp.reason("no_convenience")])
    term = inp.bind(load_lexicon("termination_penalties"))
    paid = [
        h
        for h in exits
        if term.in_sentence(h, "compensation")
        or term.in_sentence(h, "forfeit_all")
        or inp.in_sentence(h, "paid_for_work")
    ]
    if paid:
        return inp.finding(Status.PASS, [inp.reason("pass")], inp.evidence(paid))
    return inp.finding(Status.WEAK, [inp.reason("unpaid_exit")], inp.evidence(exits))


CHECK = Check(id="provider_client_termination", run=run)
