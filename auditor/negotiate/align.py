"""Two drafts' clauses matched one to one: the same text first, then the same number and heading, then the
most similar text (rapidfuzz), so a renumbered or moved clause is found where it went; and the words that
changed inside a matched pair.
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from auditor.model import Clause
from auditor.text.numbering import match_number

Kind = Literal["added", "removed", "moved", "changed"]
Op = Literal["equal", "delete", "insert"]
_TOKEN = re.compile(r"[A-Za-z]+(?:['’-][A-Za-z]+)*|\d+(?:[.,]\d+)*%?|\s+|.", re.DOTALL)


@dataclass(frozen=True, slots=True)
class Pair:
    """A clause of the first draft and its counterpart in the second (None: removed or added)."""

    before: Clause | None
    after: Clause | None
    kind: Kind | None  # None: the same clause, unchanged and in place


def body(clause: Clause) -> str:
    """A clause's text without its number, whitespace squashed: what stays when a clause is renumbered."""
    found = match_number(clause.text)
    text = clause.norm[found.end :] if found else clause.norm
    return " ".join(text.split())


def align(before: Sequence[Clause], after: Sequence[Clause], threshold: float) -> list[Pair]:
    """Every clause of both drafts in one pair, in the second draft's order (removed ones where they stood).

    `threshold` is the rapidfuzz ratio (0–100) at which two differently numbered clauses are the same one.
    """
    from rapidfuzz import fuzz, process

    left = [c for c in before if body(c)]
    right = [c for c in after if body(c)]
    matched: dict[int, int] = {}  # index in left -> index in right
    taken: set[int] = set()

    by_text: dict[str, list[int]] = {}
    for j, clause in enumerate(right):
        by_text.setdefault(body(clause), []).append(j)
    for i, clause in enumerate(left):
        free = [j for j in by_text.get(body(clause), []) if j not in taken]
        if free:
            matched[i] = free[0]
            taken.add(free[0])
    by_label: dict[tuple[str | None, str | None], list[int]] = {}
    for j, clause in enumerate(right):
        if j not in taken and (clause.number or clause.title):
            by_label.setdefault((clause.number, clause.title), []).append(j)
    for i, clause in enumerate(left):
        if i in matched or not (clause.number or clause.title):
            continue
        free = [j for j in by_label.get((clause.number, clause.title), []) if j not in taken]
        if free and fuzz.ratio(body(clause), body(right[free[0]])) >= threshold / 2:
            matched[i] = free[0]
            taken.add(free[0])
    rest_left = [i for i in range(len(left)) if i not in matched]
    rest_right = [j for j in range(len(right)) if j not in taken]
    if rest_left and rest_right:
        scores = process.cdist(
            [body(left[i]) for i in rest_left], [body(right[j]) for j in rest_right], scorer=fuzz.ratio
        )
        candidates = sorted(
            ((float(scores[a][b]), a, b) for a in range(len(rest_left)) for b in range(len(rest_right))),
            key=lambda s: (-s[0], s[1], s[2]),
        )
        for score, a, b in candidates:
            if score < threshold:
                break
            i, j = rest_left[a], rest_right[b]
            if i not in matched and j not in taken:
                matched[i] = j
                taken.add(j)
    in_place = _longest_increasing(sorted(matched.items()))
    pairs: list[tuple[float, Pair]] = []
    for i, j in sorted(matched.items()):
        same = body(left[i]) == body(right[j])
        kind: Kind | None = None if same and (i, j) in in_place else "moved" if same else "changed"
        pairs.append((j, Pair(left[i], right[j], kind)))
    for j in rest_right:
        if j not in taken:
            pairs.append((j, Pair(None, right[j], "added")))
    for i in range(len(left)):
        if i not in matched:
            earlier = [matched[k] for k in matched if k < i]
            pairs.append((max(earlier, default=-1) + 0.5, Pair(left[i], None, "removed")))
    return [pair for _, pair in sorted(pairs, key=lambda p: p[0])]


def _longest_increasing(items: list[tuple[int, int]]) -> set[tuple[int, int]]:
    """The largest set of matches whose order is the same in both drafts: the clauses that did not move."""
    tails: list[int] = []
    tail_at: list[int] = []
    parent = [-1] * len(items)
    for k, (_, j) in enumerate(items):
        at = bisect.bisect_left(tails, j)
        if at == len(tails):
            tails.append(j)
            tail_at.append(k)
        else:
            tails[at] = j
            tail_at[at] = k
        parent[k] = tail_at[at - 1] if at else -1
    keep: set[tuple[int, int]] = set()
    k = tail_at[-1] if tail_at else -1
    while k >= 0:
        keep.add(items[k])
        k = parent[k]
    return keep


def word_diff(before: str, after: str) -> list[tuple[Op, str]]:
    """The changed words of two texts: runs of equal, deleted and inserted tokens (a word, a number, a
    Chinese character), merged into pieces.
    """
    a, b = _TOKEN.findall(before), _TOKEN.findall(after)
    out: list[tuple[Op, str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            out.append(("equal", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(("delete", "".join(a[i1:i2])))
        if j2 > j1:
            out.append(("insert", "".join(b[j1:j2])))
    return out
