"""Typed data passed between the pipeline stages: load → normalise → segment → analyse → checks → report.

Every value is frozen so a stage cannot change what an earlier stage produced; tuples, not lists.
Offsets (`start`, `end`) always index the *original* document text (`RawDocument.text`), so evidence
can be quoted exactly and pointed back to its page.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any, Literal

Lang = Literal["zh", "en"]
Script = Literal["zh-Hans", "zh-Hant", "en"]  # how the contract is written: what its suggested wording follows
Perspective = Literal["client", "provider"]  # whose side a review takes: 甲方 (client) or 乙方 (provider)


class Status(StrEnum):
    """Outcome of one check, ordered from best to worst."""

    PASS = "pass"
    WEAK = "weak"
    MISSING = "missing"

    @property
    def rank(self) -> int:
        """0 for pass, 1 for weak, 2 for missing: lets callers compare severities."""
        return ("pass", "weak", "missing").index(self.value)


BlockKind = Literal["paragraph", "heading", "table_row", "line"]


@dataclass(frozen=True, slots=True)
class Block:
    """One piece of source text as the file holds it (a paragraph, a heading, a table row).

    `level` is the Word heading level (1 = Heading 1) when the source marks one, else None.
    `page` is 1-based for PDFs and None for formats without pages.
    """

    text: str
    kind: BlockKind = "paragraph"
    page: int | None = None
    level: int | None = None


@dataclass(frozen=True, slots=True)
class RawDocument:
    """A loaded file: its blocks in document order and what the loader noticed on the way."""

    name: str
    format: str  # "txt" | "md" | "docx" | "pdf" | "image" | "text" (pasted)
    blocks: tuple[Block, ...]
    pages: int | None = None
    warnings: tuple[str, ...] = ()
    ocr_pages: tuple[int, ...] = ()  # pages read by OCR, whose text may hold recognition errors

    @property
    def text(self) -> str:
        """The document text every offset refers to: blocks joined by newlines."""
        return "\n".join(b.text for b in self.blocks)

    def block_starts(self) -> tuple[int, ...]:
        """Offset of each block in `text`."""
        starts, pos = [], 0
        for b in self.blocks:
            starts.append(pos)
            pos += len(b.text) + 1
        return tuple(starts)


@dataclass(frozen=True, slots=True)
class Clause:
    """A numbered (or, failing numbers, paragraph) unit of the contract.

    `number` is printed as in the contract ("第五条", "5.2", "（一）", "Article 7"); `title` is the
    heading words after the number, if any. `section` holds the titles of the enclosing clauses, outermost
    first, so a sentence can be read in the context of its heading ("违约责任" › "1.").
    `norm` is the normalised text (same length as `text`, see normalise.py) used for matching only.
    """

    index: int
    number: str | None
    title: str | None
    level: int
    start: int
    end: int
    text: str
    norm: str
    page: int | None
    section: tuple[str, ...] = ()
    kind: BlockKind = "paragraph"
    ref: str | None = None  # the full reference a reader would cite: "第五条 2", "Section 3 (a)"

    @property
    def label(self) -> str:
        """How the clause is named in evidence: its reference, else its title, else its position."""
        return self.ref or self.number or self.title or f"¶{self.index + 1}"

    @property
    def context(self) -> str:
        """Normalised heading titles around and of this clause, for matching by section."""
        return " ".join((*self.section, self.title or ""))


FactKind = Literal["money", "percent", "duration", "quantity", "count", "date", "org", "party"]


@dataclass(frozen=True, slots=True)
class Fact:
    """A value recognised once in the text (an amount, a percentage, a period, a per-period quantity…).

    `value` is numeric where it has one (yuan for money, 0–100 for percent, days for durations, the
    count for quantities); `unit` carries the rest (currency, "day"/"month", the per-period unit).
    """

    kind: FactKind
    start: int
    end: int
    text: str
    value: float | None = None
    unit: str | None = None
    clause: int | None = None  # index of the clause that holds it
    label: str | None = None  # pattern name that fired, for explainability


@dataclass(frozen=True, slots=True)
class Evidence:
    """A quoted span of the original contract that a finding rests on."""

    clause: str | None
    start: int
    end: int
    text: str
    page: int | None
    matched: str  # the lexicon key or pattern name that fired

    def to_dict(self) -> dict[str, Any]:
        """The public JSON shape (clause, text, page) plus the explanation and offsets."""
        return {
            "clause": self.clause,
            "text": self.text,
            "page": self.page,
            "matched": self.matched,
            "start": self.start,
            "end": self.end,
        }


@dataclass(frozen=True, slots=True)
class Finding:
    """The result of one check: status, why, what in the contract supports it, and wording to fix it."""

    check_id: str
    status: Status
    reasons: tuple[str, ...]
    evidence: tuple[Evidence, ...]
    suggestion: str | None
    title: str = ""
    notes: tuple[str, ...] = ()  # worth reporting, but not what decided the status
    severity: str | None = None  # "high" | "medium" | "low", set by a playbook; None without one
    to_fill: tuple[str, ...] = ()  # the blanks the suggestion still holds for the user (【10%】, [start date])

    def to_dict(self) -> dict[str, Any]:
        """The public JSON shape of a check result ("severity" only when a playbook set one)."""
        out: dict[str, Any] = {
            "id": self.check_id,
            "title": self.title,
            "status": self.status.value,
            "reasons": list(self.reasons),
            "notes": list(self.notes),
            "evidence": [e.to_dict() for e in self.evidence],
            "suggestion": self.suggestion,
            "to_fill": list(self.to_fill),
        }
        if self.severity is not None:
            out["severity"] = self.severity
        return out


@dataclass(frozen=True, slots=True)
class RedFlag:
    """A risky term reported beside the checks, with the clause that carries it."""

    flag_id: str
    message: str
    evidence: tuple[Evidence, ...]
    severity: int = 2  # 3 = most serious; used to sort in the UI

    def to_dict(self) -> dict[str, Any]:
        """The public JSON shape of a red flag."""
        return {
            "id": self.flag_id,
            "message": self.message,
            "severity": self.severity,
            "evidence": [e.to_dict() for e in self.evidence],
        }


@dataclass(frozen=True, slots=True)
class Parties:
    """Who is who: the client pays for the service, the provider performs it."""

    client: str | None = None  # the client's name ("上海某某商贸有限公司")
    provider: str | None = None
    client_alias: str | None = None  # how the contract refers to it ("甲方", "the Company")
    provider_alias: str | None = None
    client_place: str | None = None  # where the party is (its address line or "a Texas LLC located at …")
    provider_place: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain dict for JSON."""
        return asdict(self)


@dataclass(frozen=True, slots=True)
class KeyFacts:
    """The contract's own facts that every suggestion and brief is filled with, extracted once and shown
    at the head of each report so the user can see them and correct them (`--fact value=90000`).

    `value` is the total price (not a remainder, a monthly rate or a penalty), `currency` its ISO 4217 code
    as written (CNY, TWD, HKD, USD, EUR…), `start`/`end` ISO dates of the term, `governing_law` the ISO 3166
    code of the law the contract names (CN, US-DE, GB…; None when it names none), `type` the detected
    contract type id.
    """

    value: float | None = None
    currency: str | None = None
    start: str | None = None
    end: str | None = None
    governing_law: str | None = None
    type: str | None = None
    script: Script = "en"

    def to_dict(self) -> dict[str, Any]:
        """Plain dict for JSON, field for field."""
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Contract:
    """The analysed contract, built once by the pipeline: what every check, red flag, brief and Word file
    reads, so none of them re-splits or re-matches the text. `value` is the contract price, when stated.
    """

    text: str
    lang: Lang
    clauses: tuple[Clause, ...]
    facts: tuple[Fact, ...]
    sentence_spans: tuple[tuple[int, int], ...]
    parties: Parties
    value: float | None = None
    key_facts: KeyFacts = KeyFacts()


@dataclass(frozen=True, slots=True)
class ContractType:
    """The guessed kind of contract, the cues that fired for the guess, and the playbook it proposes."""

    kind: str  # "short_video" | "influencer_livestream" | "software_development" | "general"
    playbook: str
    cues: tuple[str, ...] = ()
    reason: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Plain dict for JSON."""
        return {"kind": self.kind, "playbook": self.playbook, "cues": list(self.cues), "reason": self.reason}


@dataclass(frozen=True, slots=True)
class AuditReport:
    """Everything one audit found. Rendering lives in report.py, not here."""

    file: str
    language: Lang
    format: str
    pages: int | None
    parties: Parties
    findings: tuple[Finding, ...]
    red_flags: tuple[RedFlag, ...]
    contract: Contract | None = field(repr=False, default=None)  # None for a report read back from JSON
    warnings: tuple[str, ...] = ()
    contract_value: float | None = None
    playbook: str | None = None  # the playbook applied; None: the rubric as bundled (no playbook)
    perspective: str = "client"  # whose side the review takes: "client" (甲方) or "provider" (乙方)
    contract_type: ContractType | None = None  # detected when a playbook or the provider side is asked for
    key_facts: KeyFacts | None = None  # what the advice was filled with; None for a report stored before them

    @property
    def text(self) -> str:
        """The document text every evidence offset refers to ("" for a report read back from JSON)."""
        return self.contract.text if self.contract else ""

    @property
    def clauses(self) -> tuple[Clause, ...]:
        """The contract's clauses, as segmented."""
        return self.contract.clauses if self.contract else ()

    @property
    def facts(self) -> tuple[Fact, ...]:
        """The values recognised in the contract."""
        return self.contract.facts if self.contract else ()

    def finding(self, check_id: str) -> Finding:
        """The finding for one check id."""
        for f in self.findings:
            if f.check_id == check_id:
                return f
        raise KeyError(check_id)

    def to_dict(self) -> dict[str, Any]:
        """The public JSON shape documented in the README; playbook fields only when one was used."""
        out: dict[str, Any] = {
            "file": self.file,
            "language": self.language,
            "format": self.format,
            "pages": self.pages,
            "parties": self.parties.to_dict(),
            **({"facts": self.key_facts.to_dict()} if self.key_facts is not None else {}),
            "contract_value": self.contract_value,
            "checks": [f.to_dict() for f in self.findings],
            "red_flags": [r.to_dict() for r in self.red_flags],
            "warnings": list(self.warnings),
        }
        if self.playbook is not None or self.perspective != "client":
            out["playbook"] = self.playbook
            out["perspective"] = self.perspective
        if self.contract_type is not None:
            out["contract_type"] = self.contract_type.to_dict()
        return out
