"""Clause tags: small, explainable recognisers that say which of eleven clause types a clause is.

Why: the checks ask "is there a liability cap?", "can the client walk away?", "does the contract renew on
its own?" of whole contracts. Those questions start from knowing what each clause *is*, and the answer has
to be explainable (which phrasing fired) and cheap (milliseconds, no model, no network). So each tag is a
handful of lawyer phrasing families kept as regexes in `lexicons/clause_tags.toml`, combined by a rule
that is data too:

    [values.rules.<tag>]
    strong = [[cue, ...], ...]   each group fires when all its cues match; vetoes do not apply
    weak   = [[cue, ...], ...]   each group fires when all its cues match and no veto cue matches
    veto   = [cue, ...]          near-misses of another clause type (a non-compete, a renewal notice...)
    block  = [cue, ...]          clauses that are plainly another subject (an insurance clause): no tag

The tag ids and their order follow the CUAD clause types (LegalBench `CUAD_<type>` tasks), so the
recognisers can be measured with `evaluate_folder` on any folder of `label<TAB>text` files named by tag.
Matching runs on `normalise(text)` (half-width, Simplified, lower-case), which keeps the length of the
text, so every offset points into the original clause. One more length-keeping step is ours: a dot
between two letters or digits ("Section 11.5", "U.S.") becomes a middle dot, so that `[^.;]`, the
patterns' "same sentence" window, does not stop inside a section number.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TypedDict

from auditor.lexicon import LexiconError, load_lexicon
from auditor.model import Lang
from auditor.text.normalise import normalise

LEXICON_ID = "clause_tags"

# The one registry of tags, in the order of the benchmark README (CUAD clause types).
TAG_IDS: tuple[str, ...] = (
    "cap_on_liability",
    "uncapped_liability",
    "liquidated_damages",
    "termination_for_convenience",
    "renewal_term",
    "notice_period_to_terminate_renewal",
    "governing_law",
    "minimum_commitment",
    "post_termination_services",
    "warranty_duration",
    "ip_ownership_assignment",
)

_LABELS = {"yes": True, "no": False}
_INNER_DOT = re.compile(r"(?<=\w)\.(?=\w)")


@dataclass(frozen=True, slots=True)
class ClauseTag:
    """One recogniser that fired: which tag, where in the clause, and which cue group fired it.

    `matched` names the lexicon cue keys of the group that fired, joined by "+" (explainability);
    `start`/`end` span those cues' matches in the original text.
    """

    tag: str
    start: int
    end: int
    matched: str


class TaskScore(TypedDict):
    """Figures for one task file; precision and recall are of the Yes class."""

    balanced_accuracy: float
    precision: float
    recall: float
    n: int


class FolderScore(TypedDict):
    """What `evaluate_folder` returns."""

    tasks: dict[str, TaskScore]
    mean_balanced_accuracy: float


@dataclass(frozen=True, slots=True)
class _Rule:
    strong: tuple[tuple[str, ...], ...]
    weak: tuple[tuple[str, ...], ...]
    veto: tuple[str, ...]
    block: tuple[str, ...]


def _cue_keys(tag: str, field: str, raw: object) -> tuple[str, ...]:
    if not isinstance(raw, list):
        raise LexiconError(f"{LEXICON_ID}: rules.{tag}.{field} must be a list of cue keys")
    return tuple(str(key) for key in raw)


def _groups(tag: str, raw: object) -> tuple[tuple[str, ...], ...]:
    if not isinstance(raw, list) or not all(isinstance(g, list) and g for g in raw):
        raise LexiconError(f"{LEXICON_ID}: rules.{tag}: groups must be non-empty lists of cue keys")
    return tuple(tuple(str(key) for key in group) for group in raw)


@lru_cache(maxsize=1)
def _rules() -> dict[str, _Rule]:
    """Every tag's rule from the lexicon, checked once: all tags present, every cue key defined."""
    lex = load_lexicon(LEXICON_ID)
    raw_rules = lex.values.get("rules", {})
    rules: dict[str, _Rule] = {}
    for tag in TAG_IDS:
        raw = raw_rules.get(tag)
        if not isinstance(raw, dict):
            raise LexiconError(f"{LEXICON_ID}: no [values.rules.{tag}] table")
        rule = _Rule(
            _groups(tag, raw.get("strong", [])),
            _groups(tag, raw.get("weak", [])),
            _cue_keys(tag, "veto", raw.get("veto", [])),
            _cue_keys(tag, "block", raw.get("block", [])),
        )
        keys = {k for group in rule.strong + rule.weak for k in group} | set(rule.veto) | set(rule.block)
        missing = sorted(keys - set(lex.cues))
        if missing:
            raise LexiconError(f"{LEXICON_ID}: rules.{tag} names undefined cues {missing}")
        rules[tag] = rule
    unknown = sorted(set(raw_rules) - set(TAG_IDS))
    if unknown:
        raise LexiconError(f"{LEXICON_ID}: rules for unknown tags {unknown}")
    return rules


@lru_cache(maxsize=512)
def _pattern(key: str, lang: Lang) -> re.Pattern[str]:
    return load_lexicon(LEXICON_ID).cue(key, lang)


def _group_span(group: tuple[str, ...], norm: str, lang: Lang) -> tuple[int, int] | None:
    """The span covering one match of every cue in `group`, or None when one cue does not match."""
    start, end = len(norm), 0
    for key in group:
        hit = _pattern(key, lang).search(norm)
        if hit is None:
            return None
        start, end = min(start, hit.start()), max(end, hit.end())
    return start, end


def _any_match(keys: tuple[str, ...], norm: str, lang: Lang) -> bool:
    return any(_pattern(key, lang).search(norm) for key in keys)


def _matching_form(text: str) -> str:
    """`normalise(text)` with dots inside numbers and abbreviations masked; same length as `text`."""
    return _INNER_DOT.sub("\u00b7", normalise(text))


def _recognise(tag: str, norm: str, lang: Lang) -> ClauseTag | None:
    rule = _rules()[tag]
    if _any_match(rule.block, norm, lang):
        return None
    for group in rule.strong:
        span = _group_span(group, norm, lang)
        if span:
            return ClauseTag(tag, span[0], span[1], "+".join(group))
    if not rule.weak or _any_match(rule.veto, norm, lang):
        return None
    for group in rule.weak:
        span = _group_span(group, norm, lang)
        if span:
            return ClauseTag(tag, span[0], span[1], "+".join(group))
    return None


def tag_clause(text: str, lang: Lang = "en") -> tuple[ClauseTag, ...]:
    """Every tag whose recogniser fires on one clause, in `TAG_IDS` order.

    Args:
        text: the clause as written; offsets in the result index this string.
        lang: which language's cues to use ("en" or "zh").
    """
    norm = _matching_form(text)
    return tuple(t for tag in TAG_IDS if (t := _recognise(tag, norm, lang)) is not None)


def has_tag(text: str, tag: str, lang: Lang = "en") -> bool:
    """Whether the recogniser for `tag` fires on `text` (raises KeyError for an unknown tag)."""
    if tag not in TAG_IDS:
        raise KeyError(f"unknown clause tag {tag!r}; known: {', '.join(TAG_IDS)}")
    return _recognise(tag, _matching_form(text), lang) is not None


def read_rows(path: Path) -> list[tuple[bool, str]]:
    """The (label, text) rows of a `label<TAB>text` file: lines whose label is not Yes/No (a header) skipped."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        label, sep, text = line.partition("\t")
        if sep and label.strip().lower() in _LABELS:
            rows.append((_LABELS[label.strip().lower()], text))
    return rows


def score(gold: list[bool], predicted: list[bool]) -> TaskScore:
    """Balanced accuracy, and precision/recall of the Yes class (0.0 where undefined)."""
    tp = sum(g and p for g, p in zip(gold, predicted, strict=True))
    fp = sum(p and not g for g, p in zip(gold, predicted, strict=True))
    positives, negatives = sum(gold), len(gold) - sum(gold)
    tn = negatives - fp
    recall = tp / positives if positives else 0.0
    specificity = tn / negatives if negatives else 0.0
    halves = [r for r, n in ((recall, positives), (specificity, negatives)) if n]
    return TaskScore(
        balanced_accuracy=sum(halves) / len(halves) if halves else 0.0,
        precision=tp / (tp + fp) if tp + fp else 0.0,
        recall=recall,
        n=len(gold),
    )


def evaluate_folder(folder: Path, lang: Lang = "en") -> FolderScore:
    """Score every `<tag>.tsv` in `folder` (rows `label<TAB>text`, label Yes/No, optional header line).

    Tasks come out in `TAG_IDS` order. Files whose stem is not a tag id are ignored, with a `UserWarning`
    naming them; they are not part of the result, which has exactly the keys `tasks` and
    `mean_balanced_accuracy` (the unweighted mean over the tasks found).
    """
    paths = {path.stem: path for path in folder.glob("*.tsv")}
    for stem in sorted(set(paths) - set(TAG_IDS)):
        warnings.warn(f"{paths[stem].name}: not a clause tag id, skipped", UserWarning, stacklevel=2)
    tasks: dict[str, TaskScore] = {}
    for tag in (t for t in TAG_IDS if t in paths):
        rows = read_rows(paths[tag])
        tasks[tag] = score([gold for gold, _ in rows], [has_tag(text, tag, lang) for _, text in rows])
    mean = sum(t["balanced_accuracy"] for t in tasks.values()) / len(tasks) if tasks else 0.0
    return FolderScore(tasks=tasks, mean_balanced_accuracy=mean)


def format_table(result: FolderScore) -> str:
    """The figures of `evaluate_folder` as a plain-text table, one task a line, then the mean."""
    lines = [f"{'task':36} {'n':>5} {'bal.acc':>8} {'prec':>6} {'recall':>6}"]
    for task, s in result["tasks"].items():
        lines.append(f"{task:36} {s['n']:5d} {s['balanced_accuracy']:8.3f} {s['precision']:6.3f} {s['recall']:6.3f}")
    lines.append(f"{'mean':36} {'':5} {result['mean_balanced_accuracy']:8.3f}")
    return "\n".join(lines) + "\n"
