"""Which law governs the contract, as an ISO 3166 code (CN, HK, GB, US-DE…), from its governing-law clause.

The clause is found by the same recogniser `eval-clauses` measures (analyse/clause_tags.py, tag
governing_law); the place it names is looked up in `lexicons/jurisdictions.toml`. Reasons and briefs cite
PRC statutes only when the law is CN: a Delaware-law contract is not judged by the Civil Code. A Chinese
contract that names no law is read under PRC law; an English one that names none has no known law.
"""

from __future__ import annotations

import re
from functools import lru_cache

from auditor.analyse.clause_tags import has_tag
from auditor.lexicon import load_lexicon
from auditor.model import Clause, Lang
from auditor.rules.reading import CheckInput

PRC = "CN"


def governing_law(inp: CheckInput) -> str | None:
    """The code of the law the contract names, the PRC's for a Chinese contract naming none, else None."""
    named = named_law(inp)
    if named is not None:
        return named
    return PRC if inp.lang == "zh" else None


def named_law(inp: CheckInput) -> str | None:
    """The code of the law the contract's governing-law clause names; None when it names none."""
    return _named_law(inp.operative, inp.lang)


def law_name(code: str, lang: Lang) -> str:
    """How a reason names a law: "中华人民共和国法律", "the law of Delaware (US-DE)"."""
    names = load_lexicon("jurisdictions").values["names"]
    entry = names.get(code)
    if entry:
        return str(entry[lang])
    return code


def _named_law(clauses: tuple[Clause, ...], lang: Lang) -> str | None:
    for clause in clauses:
        if not has_tag(clause.text, "governing_law", lang):
            continue
        code = _jurisdiction(clause.norm, lang)
        if code:
            return code
    return None


def _jurisdiction(norm: str, lang: Lang) -> str | None:
    """The first jurisdiction the clause names after its governing-law words; a subdivision of it named
    as well is the more precise answer ("the laws of the United States and of Pennsylvania" → US-PA).
    """
    found = sorted((m.start(), code) for code, rx in _patterns(lang) if (m := rx.search(norm)))
    if not found:
        return None
    first = found[0][1]
    return next((code for _, code in found if code.startswith(f"{first}-")), first)


@lru_cache(maxsize=2)
def _patterns(lang: Lang) -> tuple[tuple[str, re.Pattern[str]], ...]:
    lexicon = load_lexicon("jurisdictions")
    return tuple((key.replace("_", "-").upper(), lexicon.cue(key, lang)) for key in lexicon.cues)
