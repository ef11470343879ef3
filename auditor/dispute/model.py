"""What a dispute brief says, as typed data: quotes, terms, points, the forum, the cost of leaving."""

from __future__ import annotations

from dataclasses import dataclass

from auditor.analyse.match import Hit
from auditor.model import Lang

SCENARIOS: tuple[str, ...] = ("non_delivery", "kpi_missed", "poor_quality", "provider_gone", "early_exit")

Span = tuple[int, int]
Roles = dict[str, tuple[Hit, ...]]


@dataclass(frozen=True, slots=True)
class Quote:
    """A governing clause as the contract has it, with the roles it plays in this scenario."""

    roles: tuple[str, ...]
    clause: str
    text: str
    page: int | None
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Term:
    """A value the contract fixes: `figure` as written, `text` the phrase it sits in, money when computed."""

    kind: str
    figure: str
    text: str
    clause: str | None
    value: float | None = None
    amount: float | None = None
    working: str | None = None  # "20% × ¥60,000 = ¥12,000"
    law: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Point:
    """One line of the brief (a claim, a gap, an evidence item, a step); `key` names its lexicon sentence."""

    key: str
    text: str
    clauses: tuple[str, ...] = ()
    law: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Forum:
    """Where a claim goes: arbitration, an agreed court, or (any other kind) the statutory court and why."""

    kind: str
    name: str | None
    clauses: tuple[str, ...]
    text: str
    law: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Exposure:
    """What the client's own early exit costs.

    `kind` is forfeit, stages, remaining, settled, unsettled or no_right (no early exit at all).
    """

    kind: str
    text: str
    clauses: tuple[str, ...]
    stages: tuple[Term, ...] = ()
    notes: tuple[Point, ...] = ()
    law: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DisputeBrief:
    """Everything the brief says, in the output language; quotes stay in the contract's own words."""

    scenario: str
    title: str
    lang: Lang
    file: str
    client: str | None
    provider: str | None
    contract_value: float | None
    currency: str
    quotes: tuple[Quote, ...]
    terms: tuple[Term, ...]
    claims: tuple[Point, ...]
    gaps: tuple[Point, ...]
    evidence: tuple[Point, ...]
    steps: tuple[Point, ...]
    forum: Forum
    exposure: Exposure | None
    warnings: tuple[Point, ...]
    law: tuple[Point, ...]
    against_client: tuple[Point, ...] = ()  # clauses that take a claim away: shown as such, never as a claim
