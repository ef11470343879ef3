"""Two drafts of a contract compared: the clauses added, removed, moved and changed (with the changed words
marked), the audit of each draft side by side, the red flags that came or went, and first of all the
changes that weaken the client, each quoting both versions.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from auditor.lexicon import Lexicon, load_lexicon
from auditor.model import AuditReport, Clause, Contract, Lang, Status
from auditor.negotiate.align import Pair, align, word_diff
from auditor.negotiate.redline import line_evidence, open_for_revision
from auditor.negotiate.wordml import Revisions, body_level, own_text, package_bytes
from auditor.report.annotate import paragraph_locator
from auditor.report.words import MARK, report_word
from auditor.rules.reading import CheckInput
from auditor.text.normalise import normalise
from auditor.text.numbering import match_number

LEXICON = "negotiate"


@dataclass(frozen=True, slots=True)
class CheckDelta:
    """One check in both drafts (None: not run on that draft) and why its status moved."""

    check_id: str
    title: str
    before: Status | None
    after: Status | None
    why: str


@dataclass(frozen=True, slots=True)
class Weakening:
    """A revision that takes something from the client: what, the two versions, and why it matters."""

    what: str
    before: str
    after: str
    why: str


@dataclass(frozen=True, slots=True)
class Comparison:
    """Everything `compare` found, in the order a reader needs it."""

    lang: Lang
    pairs: tuple[Pair, ...]
    checks: tuple[CheckDelta, ...]
    flags_added: tuple[str, ...]
    flags_removed: tuple[str, ...]
    weakened: tuple[Weakening, ...]

    @property
    def changes(self) -> tuple[Pair, ...]:
        """The pairs that differ: added, removed, moved or changed clauses."""
        return tuple(p for p in self.pairs if p.kind is not None)

    @property
    def unchanged(self) -> bool:
        """True when no clause differs and both audits agree."""
        same_checks = all(c.before == c.after for c in self.checks)
        return not (self.changes or self.flags_added or self.flags_removed) and same_checks


def compare(before: AuditReport, after: AuditReport) -> Comparison:
    """The comparison of two audited drafts, the first one the earlier."""
    if before.contract is None or after.contract is None:
        raise ValueError("a report read back from JSON has no contract text to compare")
    lexicon = load_lexicon(LEXICON)
    pairs = tuple(align(before.contract.clauses, after.contract.clauses, float(lexicon.values["same_clause"])))
    flags_before = {f.flag_id: f.message for f in before.red_flags}
    flags_after = {f.flag_id: f.message for f in after.red_flags}
    return Comparison(
        lang=after.language,
        pairs=pairs,
        checks=_check_deltas(before, after, lexicon),
        flags_added=tuple(m for i, m in flags_after.items() if i not in flags_before),
        flags_removed=tuple(m for i, m in flags_before.items() if i not in flags_after),
        weakened=_weakened(before, after, pairs, lexicon),
    )


def _check_deltas(before: AuditReport, after: AuditReport, lexicon: Lexicon) -> tuple[CheckDelta, ...]:
    """Every check of either audit: both statuses and, when it moved, the reasons of the later draft."""
    lang = after.language
    first = {f.check_id: f for f in before.findings}
    second = {f.check_id: f for f in after.findings}
    out = []
    for check_id in dict.fromkeys([*first, *second]):
        old, new = first.get(check_id), second.get(check_id)
        finding = new or old
        if finding is None:
            continue
        if old is not None and new is not None and old.status == new.status:
            why = lexicon.reason("status_same", lang)
        else:
            why = lexicon.reason(
                "status_moved",
                lang,
                before=report_word(old.status.value, lang) if old else "—",
                after=report_word(new.status.value, lang) if new else "—",
                reasons=" ".join(finding.reasons),
            )
        out.append(CheckDelta(check_id, finding.title, old.status if old else None, new.status if new else None, why))
    return tuple(out)


def _weakened(
    before: AuditReport, after: AuditReport, pairs: tuple[Pair, ...], lexicon: Lexicon
) -> tuple[Weakening, ...]:
    """The revisions that weaken the client, each judged on one clause pair by the lexicon's cues and the
    figures of each version (amounts, percentages, periods, counts).
    """
    assert before.contract is not None and after.contract is not None  # compare() checked
    sides = (CheckInput(before.contract, lexicon), CheckInput(after.contract, lexicon))

    def has(side: int, pair: Pair, key: str) -> bool:
        clause = (pair.before, pair.after)[side]
        return clause is not None and bool(sides[side].rx(key).search(normalise(clause.text)))

    def both(pair: Pair, key: str) -> bool:
        return has(0, pair, key) and has(1, pair, key)

    def dropped(pair: Pair, key: str) -> bool:
        return has(0, pair, key) and not has(1, pair, key)

    def came(pair: Pair, key: str) -> bool:
        return has(1, pair, key) and not has(0, pair, key)

    def moved(pair: Pair, kinds: tuple[str, ...], sign: int) -> bool:
        old = _values(sides[0].contract, pair.before, kinds)
        new = _values(sides[1].contract, pair.after, kinds)
        return any((new[k] - old[k]) * sign > 0 for k in old.keys() & new.keys())

    forum_worse = _rank(after, "dispute_forum") > _rank(before, "dispute_forum")
    rules: dict[str, Callable[[Pair], bool]] = {
        "remedy_removed": lambda p: dropped(p, "remedy"),
        "cap_lowered": lambda p: both(p, "cap") and moved(p, _CAP, -1),
        "kpi_lowered": lambda p: both(p, "kpi") and moved(p, _KPI, -1),
        "data_source_dropped": lambda p: dropped(p, "data_source"),
        "payment_up_front": lambda p: came(p, "up_front") or both(p, "up_front") and moved(p, ("percent",), 1),
        "forum_moved": lambda p: forum_worse and both(p, "forum"),
        "acceptance_shortened": lambda p: both(p, "deemed_acceptance") and moved(p, ("duration",), -1),
        "auto_renewal_added": lambda p: came(p, "auto_renewal"),
    }
    found = []
    for pair in pairs:
        if pair.kind in (None, "moved"):
            continue
        for key, applies in rules.items():
            if applies(pair):
                old, new = (clause.text if clause else "—" for clause in (pair.before, pair.after))
                found.append(Weakening(key, old, new, lexicon.reason(key, after.language)))
    return tuple(found)


_CAP = ("money", "percent")
_KPI = ("quantity", "count", "percent")


_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def _values(contract: Contract, clause: Clause | None, kinds: tuple[str, ...]) -> dict[str, float]:
    """The largest value of each kind of fact in a clause, and of any figure written in digits (a count
    the fact reader did not type still shows a target lowered from 15,000 to 5,000).
    """
    out: dict[str, float] = {}
    if clause is None:
        return out
    number = match_number(clause.text)
    figures = [float(m.group(0).replace(",", "")) for m in _NUMBER.finditer(clause.text[number.end if number else 0 :])]
    if figures:
        out["figure"] = max(figures)
    for fact in contract.facts:
        if fact.clause == clause.index and fact.kind in kinds and fact.value is not None:
            out[fact.kind] = max(out.get(fact.kind, fact.value), fact.value)
    return out


def _rank(report: AuditReport, check_id: str) -> int:
    return next((f.status.rank for f in report.findings if f.check_id == check_id), 0)


# --- rendering ------------------------------------------------------------------------------------------


def marked(pair: Pair) -> str:
    """A clause with its changed words marked: [-deleted-]{+inserted+}; an added or removed one as it is."""
    if pair.before is None or pair.after is None:
        only = pair.after or pair.before
        return only.text if only else ""
    marks = {"equal": "{}", "delete": "[-{}-]", "insert": "{{+{}+}}"}
    return "".join(marks[op].format(text) for op, text in word_diff(pair.before.text, pair.after.text))


def pair_label(pair: Pair) -> str:
    """Where a changed clause stands: its label in each draft that has it ("5.2 → 6.1")."""
    return " → ".join(c.label for c in (pair.before, pair.after) if c is not None)


def to_dict(result: Comparison) -> dict[str, Any]:
    """The JSON other tools read: changes, checks (every check of both audits), red flags, weakened."""

    def side(clause: Clause | None) -> dict[str, Any] | None:
        return {"clause": clause.label, "text": clause.text} if clause else None

    return {
        "changes": [
            {"kind": p.kind, "before": side(p.before), "after": side(p.after), "marked": marked(p)}
            for p in result.changes
        ],
        "checks": [
            {
                "id": c.check_id,
                "before": c.before.value if c.before else None,
                "after": c.after.value if c.after else None,
                "why": c.why,
            }
            for c in result.checks
        ],
        "red_flags": {"added": list(result.flags_added), "removed": list(result.flags_removed)},
        "weakened": [{"what": w.what, "before": w.before, "after": w.after, "why": w.why} for w in result.weakened],
    }


def to_text(result: Comparison, *, markdown: bool = False) -> str:
    """The comparison for a reader: the weakening changes first, then the audit delta, the red flags
    and the clause changes; one line when nothing changed.
    """
    lexicon = load_lexicon(LEXICON)

    def word(key: str) -> str:
        return lexicon.reason(key, result.lang)

    if result.unchanged:
        return word("unchanged") + "\n"
    head = "## " if markdown else ""
    bullet = "- " if markdown else "  "
    lines: list[str] = []
    if result.weakened:
        lines.append(f"{head}{word('heading_weakened')}")
        for w in result.weakened:
            lines += [
                f"{bullet}⚠ {w.why}",
                f"{bullet}  {word('before')}: {w.before}",
                f"{bullet}  {word('after')}: {w.after}",
            ]
        lines.append("")
    lines.append(f"{head}{word('heading_checks')}")
    for c in result.checks:
        marks = " → ".join(MARK[s] if s else "—" for s in (c.before, c.after))
        lines.append(f"{bullet}{marks} {c.title}: {c.why}")
    lines.append("")
    if result.flags_added or result.flags_removed:
        lines.append(f"{head}{word('heading_flags')}")
        lines += [f"{bullet}+ {word('flag_came')}: {m}" for m in result.flags_added]
        lines += [f"{bullet}- {word('flag_went')}: {m}" for m in result.flags_removed]
        lines.append("")
    lines.append(f"{head}{word('heading_changes')}")
    lines += [f"{bullet}[{word('kind_' + str(p.kind))}] {pair_label(p)}: {marked(p)}" for p in result.changes]
    return "\n".join(lines) + "\n"


def tracked_docx(
    result: Comparison, first: AuditReport, original_docx: bytes | None = None, when: dt.datetime | None = None
) -> bytes:
    """The first draft as Word with the second draft's differences as tracked changes: removed clauses
    deleted, added ones inserted where the second draft has them, moved ones as Word's moves (moved from
    here, moved to there), changed ones with just their changed words deleted and inserted.
    """
    document, revisions = open_for_revision(first, original_docx, when)
    paragraphs, paragraph_of = paragraph_locator(document, first.text)

    def element(clause: Clause) -> Any | None:
        at = paragraph_of(line_evidence(first.text, clause.end - 1, clause.end))
        return paragraphs[at]._p if at is not None else None

    anchor: Any | None = None
    for pair in result.pairs:
        old = element(pair.before) if pair.before is not None else None
        move = None
        if pair.kind == "removed" and old is not None:
            revisions.remove_paragraph(old)
        if pair.kind == "moved" and old is not None:
            move = revisions.move_from(old)
        if pair.kind in ("added", "moved") and pair.after is not None:
            where = anchor if anchor is not None else old
            if where is not None:
                inserted = revisions.insert_paragraph_after(body_level(where), pair.after.text, where, move)
                anchor = inserted.getparent()
            continue
        if pair.kind == "changed" and old is not None and pair.before is not None and pair.after is not None:
            _mark_words(revisions, old, pair.before.text, pair.after.text)
        anchor = old if old is not None else anchor
    return package_bytes(document, original_docx, first.file)


def _mark_words(revisions: Revisions, paragraph: Any, before: str, after: str) -> None:
    """The changed words of a clause as tracked changes in its paragraph, last first so offsets hold; a
    paragraph whose text is not the end of the clause's (a clause over several paragraphs) is replaced whole.
    """
    own = own_text(paragraph)
    if not own or not before.endswith(own):
        if own:
            revisions.replace(paragraph, 0, len(own), after)
        return
    position = -(len(before) - len(own))
    edits: list[tuple[int, int, str]] = []
    for op, text in word_diff(before, after):
        if op == "insert" and edits and edits[-1][1] == position:
            edits[-1] = (edits[-1][0], edits[-1][1], edits[-1][2] + text)
        elif op == "insert":
            edits.append((position, position, text))
        elif op == "delete":
            edits.append((position, position + len(text), ""))
        if op != "insert":
            position += len(text)
    for start, end, text in reversed(edits):
        if start < 0:
            continue
        if start == end:
            revisions.insert_text(paragraph, start, text)
        else:
            revisions.replace(paragraph, start, end, text)
