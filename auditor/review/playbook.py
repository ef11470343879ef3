"""Playbooks: a team's own review positions as YAML data, so a firm can adapt the checklist without code.

A playbook chooses which checks apply and how severe each is, overrides the thresholds the checks read
from their lexicons (`values`), replaces reasons and suggested wording per check, and adds required items:
named zh/en regex cues that must appear, each reported as one more finding (pass / missing).

The checks never see a playbook. `effective_lexicon()` merges a check's lexicon with the playbook's
overrides and the pipeline binds the check to that lexicon, so every check keeps reading
`inp.lexicon.values[...]` exactly as it does with no playbook. Red flags keep the rubric's own
thresholds: they are the same for every team.

Files are validated on load with pydantic; an error names the YAML line and the field path
(`line 12: checks.staged_payment.values.max_upfront_percent: ...`), found by composing the YAML node
tree and walking it along pydantic's error location.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from auditor.lexicon import Lexicon, load_lexicon
from auditor.resources import playbook_dir

PLAYBOOK_DIR: Traversable = playbook_dir()
Severity = Literal["high", "medium", "low"]
ID_PATTERN = r"^[a-z][a-z0-9_]*$"

# Friendly threshold names → (check id, lexicon `values` key). A playbook may also set any value directly
# under `checks.<id>.values`.
THRESHOLDS: dict[str, tuple[str, str]] = {
    "max_upfront_percent": ("staged_payment", "max_upfront_percent"),
    "max_deposit_percent": ("staged_payment", "max_deposit_percent"),
    "deemed_acceptance_max_days": ("quality_standards", "deemed_acceptance_max_days"),
    "low_cap_percent": ("breach_liability", "low_cap_percent"),
    "high_penalty_percent": ("breach_liability", "high_penalty_percent"),
}


class PlaybookError(ValueError):
    """A playbook cannot be used; `errors` lists each problem as "line N: field.path: message"."""

    def __init__(self, source: str, errors: Sequence[str]) -> None:
        self.source = source
        self.errors = tuple(errors)
        super().__init__(f"{source}: " + "; ".join(self.errors))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(_Strict):
    """A sentence in both languages."""

    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)


class Cues(_Strict):
    """Regexes, per language, run on normalised (lower-case, Simplified) text; at least one per language."""

    zh: list[str] = Field(min_length=1)
    en: list[str] = Field(min_length=1)

    @field_validator("zh", "en")
    @classmethod
    def _compiles(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            try:
                re.compile(pattern)
            except re.error as err:
                raise ValueError(f"regex {pattern!r} does not compile: {err}") from err
        return patterns


class CheckRule(_Strict):
    """How one check is used: on or off, how serious, its thresholds and its wording."""

    enabled: bool = True
    severity: Severity | None = None
    values: dict[str, Any] = Field(default_factory=dict)
    reasons: dict[str, Text] = Field(default_factory=dict)
    suggestion: Text | None = None


class RequiredItem(_Strict):
    """A term the team insists on (account ownership, confidentiality, data access): present or missing."""

    id: str = Field(pattern=ID_PATTERN)
    title: Text
    cues: Cues
    suggestion: Text
    severity: Severity = "medium"


class Thresholds(_Strict):
    """The numbers a team most often changes, by a readable name (see THRESHOLDS)."""

    max_upfront_percent: float | None = Field(default=None, ge=0, le=100)
    max_deposit_percent: float | None = Field(default=None, ge=0, le=100)
    deemed_acceptance_max_days: float | None = Field(default=None, ge=0)
    low_cap_percent: float | None = Field(default=None, ge=0, le=100)
    high_penalty_percent: float | None = Field(default=None, ge=0)


class Playbook(_Strict):
    """One team's checklist: see docs/playbooks.md for every field."""

    name: str = Field(pattern=ID_PATTERN)
    title: Text
    description: Text | None = None
    contract_types: list[str] = Field(default_factory=list)
    thresholds: Thresholds = Thresholds()
    checks: dict[str, CheckRule] = Field(default_factory=dict)
    required_items: list[RequiredItem] = Field(default_factory=list)

    def rule(self, check_id: str) -> CheckRule:
        """The rule for a check; a check the playbook does not mention runs as the rubric says."""
        return self.checks.get(check_id, CheckRule())

    def values_for(self, check_id: str) -> dict[str, Any]:
        """The `values` this playbook overrides for one check: named thresholds first, then `checks.*`."""
        named = {
            key: getattr(self.thresholds, name)
            for name, (cid, key) in THRESHOLDS.items()
            if cid == check_id and getattr(self.thresholds, name) is not None
        }
        return {**named, **self.rule(check_id).values}


def effective_lexicon(lexicon: Lexicon, playbook: Playbook | None) -> Lexicon:
    """The check's lexicon with the playbook's values, reasons and default wording laid over it."""
    if playbook is None:
        return lexicon
    rule = playbook.rule(lexicon.name)
    values = playbook.values_for(lexicon.name)
    if not (values or rule.reasons or rule.suggestion):
        return lexicon
    suggestion = dict(lexicon.suggestion)
    if rule.suggestion:
        suggestion["default"] = rule.suggestion.model_dump()
    reasons = {**lexicon.reasons, **{k: v.model_dump() for k, v in rule.reasons.items()}}
    return dataclasses.replace(lexicon, values={**lexicon.values, **values}, reasons=reasons, suggestion=suggestion)


def required_item_lexicon(item: RequiredItem) -> Lexicon:
    """A required item seen as a one-cue lexicon, so the checks' own matching helpers can read it."""
    words = load_lexicon("playbook")
    return Lexicon(
        name=item.id,
        title=item.title.model_dump(),
        cues={"present": {"zh": tuple(item.cues.zh), "en": tuple(item.cues.en)}},
        reasons=words.reasons,
        suggestion={"default": item.suggestion.model_dump()},
    )


# --- loading and validation ------------------------------------------------------------------------------


def bundled_names() -> tuple[str, ...]:
    """The playbooks shipped in `playbooks/`, by name."""
    return tuple(sorted(p.name.removesuffix(".yaml") for p in PLAYBOOK_DIR.iterdir() if p.name.endswith(".yaml")))


def required_item_ids() -> tuple[str, ...]:
    """The ids of the bundled playbooks' required items: stored results may hold findings under them."""
    return tuple(dict.fromkeys(item.id for name in bundled_names() for item in load_playbook(name).required_items))


def bundled_path(name: str) -> Traversable:
    """Where a bundled playbook lives."""
    return PLAYBOOK_DIR / f"{name}.yaml"


def load_playbook(ref: str | Path) -> Playbook:
    """A bundled playbook by name, or a YAML file by path; raises PlaybookError naming line and field."""
    path = Path(ref)
    if path.suffix.lower() not in (".yaml", ".yml"):
        if str(ref) not in bundled_names():
            raise PlaybookError(
                str(ref),
                [
                    f"no bundled playbook named {str(ref)!r}; bundled: "
                    f"{', '.join(bundled_names())} (or give a .yaml file)"
                ],
            )
        return _load_bundled(str(ref))
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise PlaybookError(str(ref), [f"cannot read the file: {err.strerror or err}"]) from err
    return parse_playbook(text, path.name)


@lru_cache(maxsize=16)
def _load_bundled(name: str) -> Playbook:
    return parse_playbook(bundled_path(name).read_text(encoding="utf-8"), f"{name}.yaml")


MAX_NESTING = 32  # mappings and lists inside one another; a playbook needs 5, PyYAML recurses per level


def _nesting_problem(text: str) -> str | None:
    """Where the YAML nests deeper than `MAX_NESTING`, read from the event stream (which does not recurse),
    before PyYAML's composer would exhaust Python's stack on it.
    """
    depth = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_NESTING:
                return f"line {event.start_mark.line + 1}: nested more than {MAX_NESTING} levels deep"
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return None


def parse_playbook(text: str, source: str = "<playbook>") -> Playbook:
    """Validate YAML text as a playbook: shape (pydantic), then the check ids and value keys it names."""
    try:
        if problem := _nesting_problem(text):
            raise PlaybookError(source, [problem])
        data = yaml.safe_load(text)
        root = yaml.compose(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark else ""
        raise PlaybookError(source, [f"{where}not valid YAML: {getattr(err, 'problem', None) or err}"]) from err
    if not isinstance(data, dict):
        raise PlaybookError(source, ["line 1: a playbook is a mapping of fields (name, title, checks, ...)"])
    try:
        playbook = Playbook.model_validate(data)
    except ValidationError as err:
        problems = [_located(root, tuple(e["loc"]), e["msg"]) for e in err.errors()]
        raise PlaybookError(source, problems) from err
    problems = [_located(root, loc, msg) for loc, msg in _semantic_problems(playbook)]
    if problems:
        raise PlaybookError(source, problems)
    return playbook


def _semantic_problems(playbook: Playbook) -> Iterable[tuple[tuple[str | int, ...], str]]:
    """What pydantic cannot know: the check ids, value keys and reason keys must exist in the engine."""
    from auditor.checks import all_checks

    known = {c.id: c for c in all_checks()}
    for check_id, rule in playbook.checks.items():
        if check_id not in known:
            yield ("checks", check_id), f"unknown check; known: {', '.join(known)}"
            continue
        lexicon = known[check_id].lexicon
        for key, value in rule.values.items():
            if key not in lexicon.values or key == "headings":
                settable = ", ".join(k for k in lexicon.values if k != "headings") or "none"
                yield ("checks", check_id, "values", key), f"unknown value; this check reads: {settable}"
            elif not isinstance(value, type(lexicon.values[key])) and not (
                isinstance(value, int | float) and isinstance(lexicon.values[key], int | float)
            ):
                yield (
                    ("checks", check_id, "values", key),
                    (f"expected {type(lexicon.values[key]).__name__}, got {type(value).__name__}"),
                )
        for key in rule.reasons:
            if key not in lexicon.reasons:
                yield ("checks", check_id, "reasons", key), f"unknown reason; known: {', '.join(lexicon.reasons)}"
    ids = [item.id for item in playbook.required_items]
    for i, item in enumerate(playbook.required_items):
        if ids.count(item.id) > 1 or item.id in known:
            yield ("required_items", i, "id"), f"id {item.id!r} is used twice or is a check's id"


def _located(root: yaml.Node | None, loc: tuple[str | int, ...], msg: str) -> str:
    """An error as "line N: a.b.c: message", the line being that of the deepest part of `loc` present in the YAML."""
    line, node = 1, root
    for part in loc:
        if node is None:
            break
        line = node.start_mark.line + 1
        node, key_line = _child(node, part)
        if key_line is not None:
            line = key_line
    if node is not None:
        line = node.start_mark.line + 1 if not isinstance(node, yaml.MappingNode | yaml.SequenceNode) else line
    field = ".".join(str(p) for p in loc) or "(top level)"
    return f"line {line}: {field}: {msg}"


def _child(node: yaml.Node, part: str | int) -> tuple[yaml.Node | None, int | None]:
    """The child of a mapping (by key) or sequence (by index), and the line of its key."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == str(part):
                return value, key.start_mark.line + 1
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
        item = node.value[part]
        return item, item.start_mark.line + 1
    return None, None


def dump_bundled(name: str) -> str:
    """The text of a bundled playbook, comments included: a starting point for a team's own."""
    load_playbook(name)
    return bundled_path(name).read_text(encoding="utf-8")
