"""What a registered check is: its id (= module stem = lexicon stem) and its pure `run` function."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass

from auditor.lexicon import Lexicon, load_lexicon
from auditor.model import Finding
from auditor.rules.reading import CheckInput

__all__ = ["Check", "CheckInput"]


@dataclass(frozen=True, slots=True)
class Check:
    """A registered check: its id (= module stem = lexicon stem) and its pure `run` function."""

    id: str
    run: Callable[[CheckInput], Finding]

    @property
    def lexicon(self) -> Lexicon:
        """This check's lexicon, loaded once."""
        return load_lexicon(self.id)

    @property
    def doc(self) -> str:
        """The module docstring: what it checks, why it matters, pass / weak / missing."""
        return sys.modules[self.run.__module__].__doc__ or ""
