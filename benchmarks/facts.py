"""Key facts on a labelled corpus whose labels carry no fact labels (shared/dev-corpus): measured as far as
the labels' reasons state them.

A reason that names a governing law ("9.07: Minnesota law and …", "'受纽约州法律管辖'") is read with the
jurisdiction cues (`lexicons/jurisdictions.toml`) and compared with the law the audit read; a reason that
quotes a total ("total fee of USD 48,000", "总价 ¥120,000") is compared with the value the audit read. Files
whose reasons state neither are counted, not scored. With fact labels (`facts` in labels.json, as the
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
TOTAL_BLANK = re.compile(r"\btotal\b[^.;]{0,6}(?:'?¥\s*[_＿]|¥ blank|blank)")  # "total '¥＿元'", "total ¥ blank"


def stated_law(reason: str) -> str | None:
    """The jurisdiction a reason says governs, if it speaks of a law at all."""
    norm = normalise(reason)
    if not LAW_WORDS.search(norm):
        return None
    lexicon = load_lexicon("jurisdictions")
    found: list[tuple[int, str]] = []
    for key in lexicon.cues:
        for lang in ("zh", "en"):
            lang_key: Lang = lang  # type: ignore[assignment]
            m = lexicon.cue(key, lang_key).search(norm)
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
    print(f"files: {len(labels)}")
    for what in ("law", "total"):
        stated = score[f"{what} stated"]
        share = score[f"{what} agrees"] / stated if stated else 0.0
        print(f"{what:6} stated in {stated:3} reasons, read as stated: {score[f'{what} agrees']:3} ({share:.3f})")
    print("types read:", ", ".join(f"{kind} {n}" for kind, n in types.most_common()))


if __name__ == "__main__":
    main()
