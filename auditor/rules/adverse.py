"""Clauses that work against the client: they take a claim, a refund or a remedy away from the party that
pays (甲方不得以效果未达预期为由拒付, "fees are non-refundable", waivers of the client's claims).

Shared by the KPI check (such a sentence is never a remedy) and the dispute brief (it is shown under its
own heading, never as a claim). The cues live in `lexicons/adverse.toml`, one key per kind.
"""

from __future__ import annotations

from functools import cached_property

from auditor.analyse.match import Hit
from auditor.lexicon import load_lexicon
from auditor.rules.reading import CheckInput

KINDS = ("no_withholding", "no_refund", "waiver")


class Adverse:
    """The contract read for clauses against the client, once per reader."""

    def __init__(self, inp: CheckInput) -> None:
        self.inp = inp.bind(load_lexicon("adverse"))

    @cached_property
    def hits(self) -> tuple[tuple[str, Hit], ...]:
        """Each clause against the client with its kind, in document order."""
        found = [(kind, h) for kind in KINDS for h in self.inp.hits(kind, negatable=False)]
        return tuple(sorted(found, key=lambda pair: pair[1].start))

    @cached_property
    def _sentences(self) -> frozenset[tuple[int, int]]:
        return frozenset(self.inp.sentences.around(h.start, h.end) for _, h in self.hits)

    def against_client(self, hit: Hit) -> bool:
        """True when `hit` sits in a sentence that works against the client."""
        return self.inp.sentences.around(hit.start, hit.end) in self._sentences
