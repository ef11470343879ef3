"""What every reader receives (`Source`), reports progress through, and raises (`LoadError`)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from auditor.load.limits import Limits

Progress = Callable[[int, int], None]  # (pages done, pages to do), called as OCR reads each page


class LoadError(Exception):
    """A file cannot be loaded; `str(err)` is one line meant for the user, e.g. "x.pdf: the file is empty"."""

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(message.split()))


def _default_limits() -> Limits:
    from auditor.load.limits import Limits  # it raises LoadError, so it imports this module: not at the top

    return Limits()


@dataclass(frozen=True, slots=True)
class Source:
    """The raw bytes of one input and what the readers need to know about it."""

    data: bytes
    name: str
    password: str | None = None
    progress: Progress | None = None
    limits: Limits = field(default_factory=_default_limits)


_OBJECT_REPR = re.compile(r"\s*'?<[\w.]+ object at 0x[0-9a-fA-F]+>'?")  # e.g. <_io.BytesIO object at 0x7f…>


def reason(exc: BaseException) -> str:
    """A short, single-line description of a library error, for the end of a LoadError message; an
    object's repr (PIL names the in-memory file `<_io.BytesIO object at 0x…>`) says nothing and is dropped.
    """
    detail = " ".join(_OBJECT_REPR.sub("", str(exc)).split())[:120]
    return f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
