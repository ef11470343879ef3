"""Key facts on a labelled corpus whose labels carry no fact labels (shared/dev-corpus): measured as far as
the labels' reasons state them.

A reason that names a governing law ("9.07: Minnesota law and …", "'受纽约州法律管辖'") is read with the
jurisdiction cues (`lexicons/jurisdictions.toml`) and compared with the law the audit read; a reason that
quotes a total ("total fee of USD 48,000", "总价 ¥120,000") is compared with the value the audit read; the
currency of the first amount the payment reason quotes ("$7.50 per note", "¥95,800") is compared with the
currency the audit read, with the same currency cues (`lexicons/analysis.toml`). Files whose reasons state
none of these are counted, not scored. The reasons do not name the parties or the contract type, so those
are not scored here: the types read are listed. With fact labels (`facts` in labels.json, as the
bundled samples have) `contract-audit eval` measures directly; this is for corpora without them.

    .venv/bin/python benchmarks/facts.py ../shared/dev-corpus

It measures and prints; it asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from pathlib import Path

from auditor.lexicon import load_lexicon
from auditor.load import LoadError
from auditor.model import Lang
from auditor.pipeline import audit
from auditor.text.normalise import normalise

LAW_WORDS = re.compile(r"\blaw\b|法律|准据法|管辖")
TOTAL = re.compile(
    r"(?:\btotal\b|\bprice\b|总价|总额|合计|共计|价款)[^.;。；]{0,40}?(?:[¥$€£]|rmb|usd|sgd|hkd|aud|cad|eur|gbp)\s?"
    r"(?P<n>\d[\d,]*(?:\.\d+)?)(?!\s*(?:a|per|/)\s*(?:month|year|week))"
)
AMOUNT = re.compile(r"\d[\d,]*(?:\.\d+)?")
LANGS: tuple[Lang, ...] = ("zh", "en")
DOLLARS = ("USD", "CAD", "AUD", "SGD", "HKD", "TWD", "NZD")
EXPLICIT_USD = re.compile(r"us\$|\busd\b|u\.s\. dollar|美元")
TOTAL_BLANK = re.compile(r"\btotal\b[^.;]{0,6}(?:'?¥\s*[_＿]|¥ blank|blank)")  # "total '¥＿元'", "total ¥ blank"


def stated_law(reason: str) -> str | None:
    """The jurisdiction a reason says governs, if it speaks of a law at all."""
    norm = normalise(reason)
    if not LAW_WORDS.search(norm):
        return None
    lexicon = load_lexicon("jurisdictions")
    found: list[tuple[int, str]] = []
    for key in lexicon.cues:
        for lang in LANGS:
            m = lexicon.cue(key, lang).search(norm)
            if m:
                found.append((m.start(), key.replace("_", "-").upper()))
    return min(found)[1] if found else None


def stated_total(reason: str) -> float | None | str:
    """A total a reason quotes, "blank" when it says the total is left blank, else None."""
    norm = normalise(reason)
    m = TOTAL.search(norm)
    if m:
        return float(m.group("n").replace(",", ""))
    return "blank" if TOTAL_BLANK.search(norm) else None


def stated_currency(reason: str) -> str | None:
    """The ISO code of the first amount a reason quotes with a currency sign or word beside it; a bare "$"
    says "dollar" (a Canadian contract writes "$55 CAD" once and "$175" after), which any dollar matches.
    """
    norm = normalise(reason)
    lexicon = load_lexicon("analysis")
    for m in AMOUNT.finditer(norm):
        window = norm[max(0, m.start() - 8) : m.end() + 4]
        for code in lexicon.values["currencies"]:
            if any(lexicon.cue(f"currency_{code.lower()}", lang).search(window) for lang in LANGS):
                return "dollar" if code == "USD" and not EXPLICIT_USD.search(window) else str(code)
    return None


def main() -> None:
    """Audit every labelled file and compare its facts with what the reasons state."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    corpus = parser.parse_args().corpus
    labels = json.loads((corpus / "labels.json").read_text(encoding="utf-8"))["files"]
    score: Counter[str] = Counter()
    types: Counter[str] = Counter()
    for name, gold in sorted(labels.items()):
        try:
            facts = audit(corpus / name, lang=gold.get("lang")).key_facts
        except LoadError:
            score["unreadable"] += 1
            continue
        assert facts is not None
        types[facts.type or "-"] += 1
        why = gold.get("why", {})
        law = stated_law(why.get("dispute_forum", ""))
        if law is not None:
            score["law stated"] += 1
            score["law agrees"] += facts.governing_law == law
            if facts.governing_law != law:
                print(f"  {name}: law {law} stated, read {facts.governing_law}")
        total = stated_total(why.get("staged_payment", ""))
        if total is not None:
            want = None if total == "blank" else total
            score["total stated"] += 1
            score["total agrees"] += facts.value == want
            if facts.value != want:
                print(f"  {name}: total {total} stated, read {facts.value}")
        currency = stated_currency(why.get("staged_payment", ""))
        if currency is not None:
            score["currency stated"] += 1
            agrees = facts.currency == currency or (currency == "dollar" and facts.currency in DOLLARS)
            score["currency agrees"] += agrees
            if not agrees:
                print(f"  {name}: currency {currency} stated, read {facts.currency}")
    print(f"files: {len(labels)}")
    for what in ("law", "total", "currency"):
        stated = score[f"{what} stated"]
        share = score[f"{what} agrees"] / stated if stated else 0.0
        print(f"{what:8} stated in {stated:3} reasons, read as stated: {score[f'{what} agrees']:3} ({share:.3f})")
    print("types read:", ", ".join(f"{kind} {n}" for kind, n in types.most_common()))


if __name__ == "__main__":
    main()
