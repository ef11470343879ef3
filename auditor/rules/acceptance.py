"""Deemed acceptance: the silence after which the client is taken to have accepted the work, and whether
it is short enough to be a trap (the rubric: 7 days or less). Shared by the quality check and the red flag;
reads the `quality_standards` lexicon (or a playbook's version of it).
"""

from __future__ import annotations

from auditor.analyse.match import Hit
from auditor.lexicon import load_lexicon
from auditor.rules.reading import CheckInput

LEXICON = "quality_standards"


def _read(inp: CheckInput) -> CheckInput:
    return inp if inp.lexicon.name == LEXICON else inp.bind(load_lexicon(LEXICON))


def short_deemed_acceptance(inp: CheckInput) -> list[tuple[Hit, float]]:
    """Deemed-acceptance clauses whose silence period is at most the rubric's limit (7 days)."""
    inp = _read(inp)
    limit = float(inp.lexicon.values["deemed_acceptance_max_days"])
    found = []
    for hit in inp.hits("deemed_acceptance", negatable=False):
        if not inp.in_sentence(hit, "silence"):
            continue
        days = _silence_days(inp, hit)
        if days and min(days) <= limit:
            found.append((hit, min(days)))
    return found


def accepted_on_delivery(inp: CheckInput) -> tuple[Hit, ...]:
    """Delivery itself counts as acceptance ("deemed accepted upon receipt", "交付即视为验收合格"): a silence of
    no time at all. "发布即视为完成" says the work is done, not accepted, and stays out.
    """
    inp = _read(inp)
    accepts = inp.rx("acceptance_word")
    return tuple(h for h in inp.hits("delivery_is_acceptance", negatable=False) if accepts.search(h.matched))


def _silence_days(inp: CheckInput, hit: Hit) -> list[float]:
    """The review period the silence runs from: in the deeming sentence, else the client's review sentence."""
    near = [f.value for f in inp.facts_near(hit, "duration") if f.value is not None]
    if near:
        return near
    review = inp.hits("review_period", (hit.clause,), negatable=False)
    return [f.value for r in review for f in inp.facts_near(r, "duration") if f.value is not None]


def days_text(days: float, lang: str) -> str:
    """A silence period as a reader says it: 24小时 rather than 1日, 5日, 48 hours."""
    if days == 0:
        return "0小时，交付即视为验收" if lang == "zh" else "0 hours: delivery itself is acceptance"
    if days <= 2 and round(days * 24) % 24 == 0 or days < 1:
        hours = round(days * 24)
        return f"{hours}小时" if lang == "zh" else f"{hours} hours"
    return f"{days:g}日" if lang == "zh" else f"{days:g} days"
