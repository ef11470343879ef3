"""The redline: the user's own contract with the audit's suggested clauses as tracked changes, the way
lawyers exchange drafts, each change carrying a comment that says why.

A suggestion is inserted as a new clause after the last clause of the section it completes, numbered as
the next of that section's clauses (3.4 → 3.5, 第七条 → 第七条之一 for a new article); vague or one-sided
wording the lexicon names (`lexicons/negotiate.toml`) is replaced as a tracked deletion and insertion,
but only while the check or red flag it answers is not satisfied, so a contract that needs nothing gets
nothing. Everything else is the user's: the package is written back part by part (`wordml`).
"""

from __future__ import annotations

import bisect
import datetime as dt
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

import docx
from docx.document import Document as DocxDocument

from auditor.analyse.numerals import chinese_integer, chinese_numeral
from auditor.lexicon import Lexicon, load_lexicon
from auditor.load.limits import safe_package
from auditor.load.source import Source
from auditor.model import AuditReport, Clause, Evidence, Finding, Perspective, Status
from auditor.negotiate.wordml import Revisions, body_level, own_text, package_bytes
from auditor.report.annotate import contract_document, numeric_comment_ids, paragraph_locator
from auditor.report.words import report_word
from auditor.rules.acceptance import short_deemed_acceptance
from auditor.rules.reading import CheckInput
from auditor.rules.wording import fill
from auditor.text.normalise import normalise
from auditor.text.numbering import match_number

LEXICON = "negotiate"


@dataclass(frozen=True, slots=True)
class Replacement:
    """Contract text `start`–`end` (document offsets) to become `new`, and the comment saying why."""

    start: int
    end: int
    old: str
    new: str
    why: str


@dataclass(frozen=True, slots=True)
class Insertion:
    """A new clause after clause `after` (its last line), and the comment saying why."""

    after: Clause
    prefix: str  # the clause number as the document types it ("3.5 "), empty when it has none
    text: str
    why: str
    check_id: str


@dataclass(frozen=True, slots=True)
class Plan:
    """Every change the redline makes to one contract."""

    replacements: tuple[Replacement, ...]
    insertions: tuple[Insertion, ...]

    @property
    def empty(self) -> bool:
        """True for a contract that needs no change."""
        return not (self.replacements or self.insertions)


def redline_docx(report: AuditReport, original_docx: bytes | None = None, when: dt.datetime | None = None) -> bytes:
    """The contract as Word with the plan's tracked changes and comments: the user's own .docx when given,
    else a new document of the contract text (PDF, text, pasted) carrying the same changes.
    """
    plan = plan_changes(report)
    document, revisions = open_for_revision(report, original_docx, when)
    paragraphs, paragraph_of = paragraph_locator(document, report.text)
    for change in plan.replacements:
        at = paragraph_of(line_evidence(report.text, change.start, change.end))
        if at is None:
            continue
        element = paragraphs[at]._p
        line_start, line = _line_at(report.text, change.start)
        offset = _occurrence(own_text(element), change.old, line[: change.start - line_start].count(change.old))
        span = revisions.replace(element, offset, offset + len(change.old), change.new) if offset >= 0 else None
        if span is not None:
            revisions.comment(*span, change.why)
    last_inserted: dict[int, object] = {}
    for insertion in plan.insertions:
        at = paragraph_of(line_evidence(report.text, insertion.after.end - 1, insertion.after.end))
        if at is None:
            continue
        element = paragraphs[at]._p
        like = element if body_level(element) is element else None  # a clause in a table cell: a plain paragraph
        numbered = like is not None and bool(like.xpath("./w:pPr/w:numPr"))  # Word numbers it: no typed number
        text = insertion.text if numbered else insertion.prefix + insertion.text
        inserted = revisions.insert_paragraph_after(body_level(last_inserted.get(at, element)), text, like)
        revisions.comment(inserted, inserted, insertion.why)
        last_inserted[at] = inserted.getparent()
    if revisions.changes == 0 and original_docx:
        return original_docx
    return package_bytes(document, original_docx, report.file)


def open_for_revision(
    report: AuditReport, original_docx: bytes | None, when: dt.datetime | None
) -> tuple[DocxDocument, Revisions]:
    """The user's own .docx (or a new document of the contract text) and the stamp its changes will carry:
    the tool's author in the contract's language, the time of the run.
    """
    lexicon = load_lexicon(LEXICON)
    if original_docx:
        document = docx.Document(io.BytesIO(safe_package(Source(original_docx, report.file))))
        numeric_comment_ids(document)
    else:
        document = contract_document(report)
    author = lexicon.values["author"][report.language]
    return document, Revisions(document, author, lexicon.values["initials"], when or dt.datetime.now(dt.UTC))


def plan_changes(report: AuditReport) -> Plan:
    """What the redline changes: the replacements of wording the lexicon names, and one new clause per
    suggestion of a check that did not pass.
    """
    if report.contract is None:
        raise ValueError(f"{report.file}: a report read back from JSON has no contract text to redline")
    inp = CheckInput(report.contract, load_lexicon(LEXICON))
    plan = Plan(_replacements(report, inp), _insertions(report, inp))
    return _second_look(report, inp, plan)


def _second_look(report: AuditReport, inp: CheckInput, plan: Plan) -> Plan:
    """The plan with what an audit of the accepted contract still quotes against the client deleted too.

    A check quotes the first thing that fails it: once the suggested clause gives the client an exit, the
    same check reads the sentence that forfeits everything paid, which it never quoted before. So the
    contract as it reads with every change accepted is audited once more, and the sentences of the
    original that a check the plan answered still holds against the client are superseded as well. (The
    second audit reads as the first for the same side, without a playbook's thresholds: it only says what
    is still quoted.)
    """
    if plan.empty:
        return plan
    from auditor.load import load_text
    from auditor.pipeline import audit_document

    text, original_offset = _accepted_text(report.text, plan)
    side: Perspective = "provider" if report.perspective == "provider" else "client"
    again = audit_document(load_text(text, report.file), lang=report.language, perspective=side)
    answered = {i.check_id: i for i in plan.insertions}
    before = {f.check_id: f for f in report.findings}
    still: dict[str, Finding | str] = {}
    for finding in again.findings:
        if finding.check_id not in answered or finding.status.rank < before[finding.check_id].status.rank:
            continue
        evidence = []
        for ev in finding.evidence:
            start, end = original_offset(ev.start), original_offset(ev.end - 1)
            if start is not None and end is not None:
                evidence.append(replace(ev, start=start, end=end + 1))
        still[finding.check_id] = replace(finding, evidence=tuple(evidence))
    kept = list(plan.replacements)
    for change in _superseded(report, inp, still):
        if all(change.end <= other.start or change.start >= other.end for other in kept):
            kept.append(change)
    return Plan(tuple(sorted(kept, key=lambda c: c.start)), plan.insertions)


def _accepted_text(text: str, plan: Plan) -> tuple[str, Callable[[int], int | None]]:
    """The contract text with the plan's changes accepted, and where each of its characters stood in the
    original (None for the words the plan put in).
    """
    edits = [(c.start, c.end, c.new) for c in plan.replacements]
    for insertion in plan.insertions:
        line_end = text.find("\n", insertion.after.end - 1)
        at = line_end if line_end >= 0 else len(text)
        edits.append((at, at, f"\n{insertion.prefix}{insertion.text}"))
    pieces: list[str] = []
    copied: list[tuple[int, int, int]] = []  # (start in the new text, start in the original, length)
    length = position = 0
    for start, end, new in sorted(edits, key=lambda e: (e[0], e[1])):
        copied.append((length, position, start - position))
        pieces += [text[position:start], new]
        length += start - position + len(new)
        position = max(position, end)
    copied.append((length, position, len(text) - position))
    pieces.append(text[position:])

    def original_offset(offset: int) -> int | None:
        at = bisect.bisect_right([c[0] for c in copied], offset) - 1
        new_start, old_start, size = copied[at]
        return old_start + offset - new_start if 0 <= offset - new_start < size else None

    return "".join(pieces), original_offset


def _unsatisfied(report: AuditReport) -> dict[str, Finding | str]:
    """The checks that did not pass (their findings) and the red flags raised (their messages), by id."""
    out: dict[str, Finding | str] = {f.check_id: f for f in report.findings if f.status is not Status.PASS}
    out.update({flag.flag_id: flag.message for flag in report.red_flags})
    return out


def _why(report: AuditReport, lexicon: Lexicon, answered: Finding | str, key: str, **values: str) -> str:
    """The comment on a change: the check, its status and reasons and the rubric's point, or the red flag."""
    lang = report.language
    if isinstance(answered, str):
        return lexicon.reason("flag_replaced", lang, message=answered, **values)
    reasons = " ".join(answered.reasons)
    status = report_word(answered.status.value, lang)
    text = lexicon.reason(key, lang, title=answered.title, status=status, reasons=reasons, **values)
    point = f"point_{answered.check_id}"
    return f"{text}\n{lexicon.reason(point, lang)}" if point in lexicon.reasons else text


def _replacements(report: AuditReport, inp: CheckInput) -> tuple[Replacement, ...]:
    """Each phrase of a replacement cue whose check or red flag is unsatisfied, and each deemed-acceptance
    period the rubric finds too short, then the sentences weak checks' clauses supersede; a span that
    overlaps one already kept is dropped.
    """
    lexicon, lang = inp.lexicon, report.language
    unsatisfied = _unsatisfied(report)
    found: list[Replacement] = []
    for key, rule in lexicon.values["replacements"].items():
        answered = next((unsatisfied[i] for i in rule["when"] if i in unsatisfied), None)
        if answered is None:
            continue
        for hit in inp.hits(key, negatable=False):
            old = report.text[hit.start : hit.end]
            why = _why(report, lexicon, answered, "replaced", old=old, new=rule[lang])
            found.append(Replacement(hit.start, hit.end, old, rule[lang], why))
    deemed = lexicon.values["deemed_acceptance"]
    answered = next((unsatisfied[i] for i in deemed["when"] if i in unsatisfied), None)
    if answered is not None:
        quality = inp.bind(load_lexicon("quality_standards"))
        for hit, days in short_deemed_acceptance(quality):
            for fact in quality.facts_near(hit, "duration"):
                if fact.value == days:
                    why = _why(report, lexicon, answered, "replaced", old=fact.text, new=deemed[lang])
                    found.append(Replacement(fact.start, fact.end, fact.text, deemed[lang], why))
    kept: list[Replacement] = []
    for change in [*sorted(found, key=lambda c: (c.start, -c.end)), *_superseded(report, inp, unsatisfied)]:
        if all(change.end <= other.start or change.start >= other.end for other in kept):
            kept.append(change)
    return tuple(sorted(kept, key=lambda c: c.start))


def _superseded(report: AuditReport, inp: CheckInput, unsatisfied: dict[str, Finding | str]) -> list[Replacement]:
    """The sentences a failed check quotes against the client, deleted: its suggested clause, inserted
    beside them, replaces them. A heading stays, and so does evidence that speaks for the client
    (`kept_evidence`) and any sentence a passing check rests on.
    """
    relied_on = [(e.start, e.end) for f in report.findings if f.status is Status.PASS for e in f.evidence]
    found = []
    for finding in unsatisfied.values():
        if isinstance(finding, str) or not finding.suggestion:
            continue
        for ev in finding.evidence:
            if ev.matched in inp.lexicon.values["kept_evidence"]:
                continue
            start, end = inp.sentences.around(ev.start, ev.end)
            line_start, line = _line_at(report.text, start)
            start, end = max(start, line_start), min(end, line_start + len(line))
            number = match_number(report.text[start:end]) if start == line_start else None
            if number:  # the clause number stays with the clause
                start += number.end
            sentence = report.text[start:end]
            if len(sentence.strip()) < 2 or _is_heading(inp, start):
                continue
            if any(a < end and start < b for a, b in relied_on):
                continue
            found.append(Replacement(start, end, sentence, "", _why(report, inp.lexicon, finding, "superseded")))
    return found


def _is_heading(inp: CheckInput, offset: int) -> bool:
    """True when `offset` is in a clause that is only a heading."""
    clause = inp.clauses[max(0, bisect.bisect_right([c.start for c in inp.clauses], offset) - 1)]
    return clause.kind == "heading" or bool(clause.title and clause.text.strip().endswith(clause.title))


def _insertions(report: AuditReport, inp: CheckInput) -> tuple[Insertion, ...]:
    """One new clause per suggestion, after the section it completes, numbered as that section is."""
    clauses = inp.clauses
    numbers: dict[int, str | None] = {}  # last number given after each clause, so two insertions count on
    out = []
    for finding in report.findings:
        if finding.status is Status.PASS or not finding.suggestion:
            continue
        anchor, new_article = _anchor(finding, inp)
        last = _section_end(clauses, anchor) if anchor is not None else _last_operative(inp)
        numbered = anchor if new_article and anchor is not None else last  # a new article: after the article's
        previous = numbers.get(last.index, _own_number(numbered))
        number = _next_number(previous, new_article=new_article) if previous else None
        numbers[last.index] = number
        prefix = _prefix(numbered, previous, number) if number else ""
        proposal, aside = _complete(inp, finding)
        text, notes = _clause_wording(inp, proposal)
        why = "\n".join([_why(report, inp.lexicon, finding, "inserted"), *notes, *aside])
        out.append(Insertion(last, prefix, text, why, finding.check_id))
    return tuple(out)


def _complete(inp: CheckInput, finding: Finding) -> tuple[str, list[str]]:
    """The wording the redline proposes for a finding, and what its comment adds. Where the check's own
    wording still holds a blank the contract gives no ground to fill (`complete_instead`: an arbitration
    institution, when the contract names neither one nor the client's city), a complete wording the rubric
    accepts as well (the client's own courts) is proposed instead, and the comment keeps the check's
    wording for a client who prefers it.
    """
    suggestion = finding.suggestion or ""
    instead = inp.lexicon.values["complete_instead"].get(finding.check_id)
    if instead is None or not any(normalise(blank) in normalise(suggestion) for blank in instead["blanks"]):
        return suggestion, []
    own, _ = _clause_wording(inp, suggestion)
    proposal = fill(instead[inp.lang], inp.wording_facts(), inp.lang, inp.contract.key_facts)
    return proposal, [inp.lexicon.reason(instead["reason"], inp.lang, wording=own)]


def _clause_wording(inp: CheckInput, suggestion: str) -> tuple[str, list[str]]:
    """A suggestion as contract text, and what the comment on it adds. The report's wording speaks to the
    user, the redline to the other side: a drafting note ("（如选择诉讼，可改为…）") is advice, not a term,
    so it goes to the comment; a figure offered in brackets (【3】条, [30%]) is the client's proposal, so it
    is written as a figure and the comment names the figures to adjust. Named blanks (【服务项目】) stay.
    """
    lexicon, lang = inp.lexicon, inp.lang
    text, notes = _rewrite(suggestion, inp.rx("drafting_note"), lambda note: "")
    text, figures = _rewrite(text, inp.rx("proposed_figure"), lambda figure: figure[1:-1])
    said = [lexicon.reason("drafting_note", lang, note=note.strip()) for note in notes]
    if figures:
        listed = ("、" if lang == "zh" else ", ").join(figure[1:-1] for figure in figures)
        said.append(lexicon.reason("proposed_figures", lang, figures=listed))
    return text.strip(), said


def _rewrite(text: str, pattern: re.Pattern[str], change: Callable[[str], str]) -> tuple[str, list[str]]:
    """`text` with each match of `pattern` (run on the normalised text) replaced by `change(match)`, and
    the matches, as `text` writes them.
    """
    pieces: list[str] = []
    found: list[str] = []
    at = 0
    for m in pattern.finditer(normalise(text)):
        found.append(text[m.start() : m.end()])
        pieces += [text[at : m.start()], change(found[-1])]
        at = m.end()
    return "".join(pieces) + text[at:], found


def _anchor(finding: Finding, inp: CheckInput) -> tuple[Clause | None, bool]:
    """The clause a suggestion completes: where its evidence is in a section on its topic, else the section
    whose heading names the topic, else where its evidence is (a KPI check citing a commission in the
    payment article still belongs with the KPIs, when there are any), else (a new article, flagged True)
    the article before the contract's closing general terms.
    """
    clauses = inp.clauses
    starts = [c.start for c in clauses]
    cue = f"section_{finding.check_id}"
    topic = inp.rx(cue) if cue in inp.lexicon.cues else None
    cited = [clauses[max(0, bisect.bisect_right(starts, e.start) - 1)] for e in finding.evidence]
    on_topic = [c for c in cited if topic is not None and topic.search(normalise(c.context))]
    if on_topic:
        return on_topic[0], False
    heads = [c for c in inp.operative if c.level > 0 and c.title and _children(clauses, c)]
    for head in heads if topic is not None else ():
        if topic is not None and topic.search(normalise(head.title or "")):
            return head, False
    if cited:
        return cited[0], False
    closing = inp.rx("closing_section")
    articles = [h for h in heads if h.level == min(x.level for x in heads)]
    while articles and closing.search(normalise(articles[-1].title or "")):
        articles.pop()
    return (articles[-1] if articles else None), True


def _last_operative(inp: CheckInput) -> Clause:
    """The last clause that reads as a sentence: before the signature lines of a contract without articles."""
    sentences = [c for c in inp.operative if len(c.text) >= 40 and c.text.rstrip()[-1:] in "。.；;！!"]
    return (sentences or list(inp.operative) or list(inp.clauses))[-1]


def _children(clauses: tuple[Clause, ...], head: Clause) -> bool:
    """True when the clause after `head` sits in its section (head is a heading with clauses under it)."""
    scope = (*head.section, head.title)
    following = clauses[head.index + 1] if head.index + 1 < len(clauses) else None
    return following is not None and following.section[: len(scope)] == scope


def _section_end(clauses: tuple[Clause, ...], anchor: Clause) -> Clause:
    """The last clause of the anchor's section at the anchor's own depth (a heading: of the clauses under
    it), when that section is numbered; else the anchor itself, which the suggestion then follows.
    """
    scope = (*anchor.section, anchor.title) if anchor.title and _children(clauses, anchor) else anchor.section
    members = [anchor] if scope == anchor.section else []
    for clause in clauses[anchor.index + 1 :]:
        if clause.section[: len(scope)] != scope:
            break
        if len(clause.section) == len(scope):
            members.append(clause)
    numbered = [c for c in members if _own_number(c)]
    if not numbered:  # a section under a heading ends with its last clause; a contract without any, here
        return members[-1] if members and len(scope) > 1 else anchor
    return members[-1] if _own_number(members[-1]) else numbered[-1]


def _own_number(clause: Clause) -> str | None:
    """The clause's number when its text opens with it (not one inherited from the clause above)."""
    found = match_number(clause.text)
    return found.number if found and found.number == clause.number else None


def _prefix(last: Clause, previous: str | None, number: str) -> str:
    """How the new clause opens: the last clause's own opening (number, punctuation, space), renumbered."""
    found = match_number(last.text)
    if not found or not previous:
        return f"{number} "
    opening = last.text[: found.end]
    spacing = re.match(r"\s*", last.text[found.end :])
    return opening.replace(found.number, number, 1) + (spacing.group(0) if spacing and spacing.group(0) else " ")


_ARTICLE_ZH = re.compile(r"^第(?P<n>.+?)(?P<kind>[条條款章])(?:之(?P<sub>.+))?$")
_WORDED = re.compile(r"^(?P<word>(?i:article|section|clause)\s+)(?P<n>\d+)(?P<sub>[A-Z]?)$")
_DOTTED = re.compile(r"^(?P<head>(?:\d+\.)*)(?P<n>\d+)$")
_PAREN = re.compile(r"^(?P<open>[（(]?)(?P<n>[^）)]+)(?P<close>[）)]?)$")


def _next_number(number: str, *, new_article: bool = False) -> str | None:
    """The number after `number` in its own style (5.2 → 5.3, 第九条 → 第十条, （三） → （四）, (c) → (d));
    `new_article`: a number between this article and the next (第九条之一, Section 9A). None when the
    style cannot be counted on.
    """
    if m := _ARTICLE_ZH.match(number):
        if new_article or m["sub"]:
            sub = chinese_integer(m["sub"]) if m["sub"] else 0
            return f"第{m['n']}{m['kind']}之{chinese_numeral((sub or 0) + 1)}" if sub is not None else None
        value = int(m["n"]) if m["n"].isdecimal() else chinese_integer(m["n"])
        return f"第{value + 1 if m['n'].isdecimal() else chinese_numeral(value + 1)}{m['kind']}" if value else None
    if m := _WORDED.match(number):
        if new_article or m["sub"]:
            return f"{m['word']}{m['n']}{chr(ord(m['sub']) + 1) if m['sub'] else 'A'}"
        return f"{m['word']}{int(m['n']) + 1}"
    if m := _DOTTED.match(number):
        return f"{m['head']}{int(m['n']) + 1}"
    if len(number) == 1 and "①" <= number < "⑳":
        return chr(ord(number) + 1)
    if m := _PAREN.match(number):
        inner = m["n"]
        if inner.isdecimal():
            following = str(int(inner) + 1)
        elif (value := chinese_integer(inner)) is not None:
            following = chinese_numeral(value + 1)
        elif len(inner) == 1 and "a" <= inner <= "y":
            following = chr(ord(inner) + 1)
        else:
            return None
        return f"{m['open']}{following}{m['close']}"
    return None


def _line_at(text: str, offset: int) -> tuple[int, str]:
    """Start and text of the line of `text` holding `offset`."""
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return start, text[start : end if end >= 0 else len(text)]


def line_evidence(text: str, start: int, end: int) -> Evidence:
    """The line holding a span, as evidence the paragraph locator can place."""
    line_start, line = _line_at(text, start)
    return Evidence(None, line_start, line_start + len(line), line, None, "redline")


def _occurrence(text: str, needle: str, index: int) -> int:
    """Offset of the `index`-th occurrence of `needle` in `text` (the last one if fewer), -1 if none."""
    found = [m.start() for m in re.finditer(re.escape(needle), text)] if needle else []
    return found[min(index, len(found) - 1)] if found else -1
