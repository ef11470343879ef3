"""What kind of contract it is, and the playbook that kind proposes.

The cues of `lexicons/contract_types.toml` are counted in the contract; the type with most distinct cues
proposes its playbook, and the cues that fired are the evidence for the guess.
"""

from __future__ import annotations

from auditor.analyse.match import first_match
from auditor.lexicon import load_lexicon
from auditor.model import ContractType
from auditor.rules.reading import CheckInput

TYPES = (
    "short_video",
    "influencer_livestream",
    "influencer_promotion",
    "software_development",
    "saas",
    "design",
    "marketing",
    "consulting",
    "outsourcing",
    "training",
)


def detect_contract_type(inp: CheckInput, kind: str | None = None) -> ContractType:
    """The contract's type, the cues that fired for it, and the playbook it proposes; `kind` when the user
    has said what type it is (`--fact type=design`), else the type with most distinct cues.
    """
    lexicon = load_lexicon("contract_types")
    text = "\n".join(c.norm for c in inp.operative)
    fired: dict[str, tuple[str, ...]] = {}
    for candidate in TYPES:
        found = (m.group(0) for rx in lexicon.each(candidate, inp.lang) if (m := first_match(rx, text)))
        fired[candidate] = tuple(dict.fromkeys(found))
    values = lexicon.values
    if kind is None:
        best = max(TYPES, key=lambda k: len(fired[k]))
        kind = best if len(fired[best]) >= int(values["min_cues"]) else "general"
    cues = fired.get(kind, ())
    title = values["titles"][inp.lang][kind]
    sep = "、" if inp.lang == "zh" else ", "
    reason = (
        lexicon.reason("detected", inp.lang, kind=title, cues=sep.join(cues))
        if cues
        else lexicon.reason("general", inp.lang)
    )
    return ContractType(kind=kind, playbook=values["playbooks"][inp.lang][kind], cues=cues, reason=reason)
