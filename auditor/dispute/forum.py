"""Where a claim goes (the named forum, or the statutory court and why) and the escalation steps up to it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from auditor.dispute.model import Forum, Point, Roles, Term
from auditor.dispute.reading import Reading, hit_labels
from auditor.model import Evidence, Finding

# --- forum and escalation -------------------------------------------------------------------------


def read_forum(r: Reading) -> Forum:
    """The forum path from the dispute_forum finding: the named forum, or the statutory court and why."""
    evidence = _forum_finding(r).evidence
    invalid = any(f.flag_id == "arbitration_or_litigation" for f in r.report.red_flags)
    decided_by = evidence[0].matched if evidence else ""
    kind = "invalid" if invalid else r.values["forum_kinds"].get(decided_by, "missing")
    labels = tuple(dict.fromkeys(e.clause for e in evidence if e.clause)) if kind != "missing" else ()
    name = _forum_name(r, kind, evidence)
    text = r.say(f"forum_{kind}", clauses=r.refs(labels), name=name or "")
    if kind == "invalid" and name:
        text += r.say("forum_invalid_court", name=name)
    if r.foreign_law:
        return Forum(kind, name, labels, text + r.say("forum_foreign", law=r.foreign_law))
    return Forum(kind, name, labels, text, tuple(r.values["forum_law"][kind]))


def _forum_finding(r: Reading) -> Finding:
    """The report's dispute_forum finding; when a playbook turned that check off, the check is run here (through
    the registry) on the report's own clauses: where a claim goes does not depend on the team's positions.
    """
    found = next((f for f in r.report.findings if f.check_id == "dispute_forum"), None)
    if found is not None:
        return found
    from auditor.checks import get_check

    check = get_check("dispute_forum")
    return check.run(r.inp.bind(check.lexicon))


def forum_evidence(r: Reading, forum: Forum) -> tuple[Evidence, ...]:
    """The forum finding's evidence that sits in the clauses the forum path cites."""
    return tuple(e for e in _forum_finding(r).evidence if e.clause in forum.clauses)


def _forum_name(r: Reading, kind: str, evidence: Sequence[Evidence]) -> str | None:
    """The arbitration institution (an ORG fact where one was found) or the court the clause names."""
    if kind == "arbitration":
        word = r.rx("dispute.institution_word")
        orgs = (
            f.text
            for f in r.report.facts
            if f.kind == "org" and word.search(f.text.lower()) and any(e.start <= f.start < e.end for e in evidence)
        )
        return next(orgs, None) or _forum_match(r, evidence, ("named_commission",))
    if kind in ("agreed_court", "provider_court", "invalid"):
        return _forum_match(r, evidence, ("client_court", "provider_court", "named_court"))
    return None


def _forum_match(r: Reading, evidence: Sequence[Evidence], keys: Sequence[str]) -> str | None:
    """The name a forum cue matched, quoted from the original without its lead verb or the words after it."""
    lead, tail = r.rx("dispute.forum_lead"), r.rx("dispute.forum_tail")
    for key in keys:
        rx = r.rx(f"dispute_forum.{key}")
        for ev in evidence:
            m = rx.search(r.norm((ev.start, ev.end)))
            if not m:
                continue
            cut = lead.search(m.group())
            start = cut.end() if cut and cut.end() < len(m.group()) else 0
            stop = tail.search(m.group(), start + 1)
            name = m.group()[start : stop.start() if stop else None]
            begin = ev.start + m.start() + start
            return r.text((begin, begin + len(name))).strip(" .,，。;；")
    return None


@dataclass(frozen=True)
class _Path:
    """What the escalation steps are built from."""

    r: Reading
    roles: Roles
    terms: Sequence[Term]
    forum: Forum

    def term(self, kind: str, clauses: Sequence[str | None]) -> Term | None:
        """The first term of a kind in one of the clauses."""
        return next((t for t in self.terms if t.kind == kind and t.clause in clauses), None)


def escalation_steps(r: Reading, roles: Roles, terms: Sequence[Term], forum: Forum) -> tuple[Point, ...]:
    """Written notice with a deadline → complaint where it fits → the forum (after any agreed negotiation)."""
    path = _Path(r, roles, terms, forum)
    build: dict[str, Callable[[_Path], list[Point]]] = {
        "notice": _notice_step,
        "complaint": _complaint_step,
        "exit_notice": _exit_step,
        "forum": _forum_steps,
    }
    return tuple(p for step in r.spec["steps"] for p in build[step](path))


def _notice_step(path: _Path) -> list[Point]:
    r, served = path.r, path.roles["notice_address"]
    cure = path.term("cure", hit_labels(path.roles["termination"]))  # the cure period before termination
    text = r.say("step_notice", period=cure.figure if cure else r.say("cure_default"))
    labels: tuple[str, ...] = (cure.clause,) if cure and cure.clause else ()
    if served:
        text += r.say("step_notice_served", clauses=r.refs(hit_labels(served)))
        labels += hit_labels(served)
    if r.scenario == "provider_gone":
        text += r.say("step_notice_gone")
    return [Point("step_notice", text, labels)]


def _complaint_step(path: _Path) -> list[Point]:
    r, platform = path.r, path.roles["platform"]
    if not platform:
        return [Point("step_complaint", r.say("step_complaint"))]
    labels = hit_labels(platform)
    text = r.say("step_complaint_platform", clauses=r.refs(labels))
    return [Point("step_complaint_platform", text, labels)]


def _exit_step(path: _Path) -> list[Point]:
    r, exits = path.r, path.roles["client_exit"]
    if not exits:
        return [Point("step_exit_agree", r.say("step_exit_agree"))]
    labels = hit_labels(exits)
    notice = path.term("notice", labels)
    period = notice.figure if notice else r.say("notice_default")
    text = r.say("step_exit_notice", clauses=r.refs(labels), period=period)
    return [Point("step_exit_notice", text, labels)]


def _forum_steps(path: _Path) -> list[Point]:
    r, forum = path.r, path.forum
    talk = path.term("negotiation", forum.clauses) if forum.clauses else None
    steps = [Point(f"forum_{forum.kind}", forum.text, forum.clauses, forum.law)]
    if talk and talk.clause:
        text = r.say("step_negotiate", clauses=r.ref(talk.clause), period=talk.figure)
        steps.insert(0, Point("step_negotiate", text, (talk.clause,)))
    return steps
