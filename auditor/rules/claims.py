"""What a reason asserts about the contract, checked against the contract before the reason is shown.

A check decides a status from what it found; its reasons and notes then say why, in sentences that claim
something: "未写明是否包含在服务费内" says the contract is silent, "分期付款但没有付款条件" says there are
instalments. A reason that makes such a claim declares it in its check's lexicon, `[claims.<reason>]`:

    absent  = cues: a hit of any of them states what the reason says is missing
    known   = key facts (start, end, governing_law…): all of them read means the contract states it
    unless  = reasons of the same finding that say the opposite ("只有一笔付款" beside "分期付款…")
    instead = the reason shown in its place (checked the same way, its placeholders filled as the first
              one's were); without it the reason is dropped

`[claims.evidence] foreign = cues` names what a sentence is about when it does not do the check's job (a
force-majeure clause quoted for quality, a KPI deduction for payment): such quotes are left out, unless the
cue is what the quote was found by; no quote is better than one that says something else. A finding keeps
its last reason whatever happens, so a status is never left unexplained; the test over every sample and
fixture fails on that instead.
"""

from __future__ import annotations

import dataclasses
import re
import string
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from auditor.model import Evidence, Finding
from auditor.rules.reading import CheckInput
from auditor.text.normalise import normalise


def checked(finding: Finding, inp: CheckInput) -> Finding:
    """`finding` with each contradicted reason or note replaced or dropped, and off-topic quotes left out."""
    claims = inp.lexicon.claims
    if not claims:
        return finding
    given = _given(finding, inp)
    reasons = _kept(finding.reasons, inp, given) or finding.reasons[:1]
    notes = _kept(finding.notes, inp, given)
    evidence = tuple(e for e in finding.evidence if not _foreign(e, inp))
    return dataclasses.replace(finding, reasons=reasons, notes=notes, evidence=evidence)


def contradictions(finding: Finding, inp: CheckInput) -> list[str]:
    """The reasons and notes of `finding` that the contract or another of its reasons contradicts."""
    given = _given(finding, inp)
    return [
        text
        for text in (*finding.reasons, *finding.notes)
        if (key := reason_key(inp, text)) and _contradicted(key, inp, given)
    ]


def foreign_quotes(finding: Finding, inp: CheckInput) -> list[Evidence]:
    """The quotes of `finding` about another subject than its check's."""
    return [e for e in finding.evidence if _foreign(e, inp)]


def reason_key(inp: CheckInput, text: str) -> str | None:
    """Which of the lexicon's reasons `text` was written from (its placeholders filled with anything)."""
    for key, template in _by_length(inp):
        if _pattern(template).fullmatch(text):
            return key
    return None


def _given(finding: Finding, inp: CheckInput) -> set[str]:
    """The reasons a finding was given, by key, before any is checked."""
    return {key for text in (*finding.reasons, *finding.notes) if (key := reason_key(inp, text))}


def _kept(texts: Iterable[str], inp: CheckInput, given: set[str]) -> tuple[str, ...]:
    kept: list[str] = []
    for text in texts:
        key = reason_key(inp, text)
        seen: set[str] = set()
        while key is not None and key not in seen and _contradicted(key, inp, given):
            seen.add(key)
            instead = inp.lexicon.claims[key].get("instead")
            text, key = (_rewritten(text, key, instead, inp), instead) if instead else ("", None)
        if text and text not in kept:
            kept.append(text)
    return tuple(kept)


def _contradicted(key: str, inp: CheckInput, given: set[str]) -> bool:
    claim: dict[str, Any] = inp.lexicon.claims.get(key, {})
    if any(other in given for other in claim.get("unless", ())):
        return True
    if any(inp.hits(cue) for cue in claim.get("absent", ())):
        return True
    known = claim.get("known", ())
    facts = inp.contract.key_facts
    return bool(known) and all(getattr(facts, name) is not None for name in known)


def _rewritten(text: str, key: str, instead: str, inp: CheckInput) -> str:
    """The `instead` reason, with the placeholders the first reason was filled with."""
    m = _pattern(inp.lexicon.reasons[key][inp.lang]).fullmatch(text)
    values = m.groupdict() if m else {}
    return inp.lexicon.reason(instead, inp.lang, **values)


def _foreign(ev: Evidence, inp: CheckInput) -> bool:
    cues = inp.lexicon.claims.get("evidence", {}).get("foreign", ())
    quote = normalise(ev.text)
    return any(cue != ev.matched and inp.rx(cue).search(quote) for cue in cues)


def _by_length(inp: CheckInput) -> list[tuple[str, str]]:
    """The reasons' templates, those with more fixed words first: a template that is all placeholder
    matches anything, so it is tried last.
    """
    templates = [(key, texts[inp.lang]) for key, texts in inp.lexicon.reasons.items()]
    return sorted(templates, key=lambda kt: -len(_fixed(kt[1])))


def _fixed(template: str) -> str:
    return "".join(literal for literal, *_ in string.Formatter().parse(template))


@lru_cache(maxsize=1024)
def _pattern(template: str) -> re.Pattern[str]:
    """A template as a pattern: its words literal, each placeholder a named group."""
    parts: list[str] = []
    for literal, name, _, _ in string.Formatter().parse(template):
        parts.append(re.escape(literal))
        if name is not None:
            group = name if name.isidentifier() and f"(?P<{name}>" not in "".join(parts) else None
            parts.append(f"(?P<{group}>.+?)" if group else "(?:.+?)")
    return re.compile("".join(parts), re.S)
