"""The PDF loader's shortcut past pdfplumber's duplicate search: a page `_may_repeat` clears has nothing
the full search would drop, so skipping it changes no document.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.load.pdf import _deduplicated, _may_repeat, _without_duplicates
from auditor.load.pdf_layout import Char

# coarse coordinates and few letters, so look-alike characters often fall within a point of each other
_coordinate = st.integers(0, 40).map(lambda n: n * 0.25)
_char = st.tuples(st.sampled_from("ab "), _coordinate, _coordinate, st.sampled_from([10.0, 12.0]), _coordinate).map(
    lambda c: (c[0], c[1], c[1] + 0.5, c[3], c[4], c[4] + c[3], True, True, b"F")
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_char, max_size=40))
def test_a_page_cleared_by_the_shortcut_has_no_duplicate(chars: list[Char]) -> None:
    if not _may_repeat(chars):
        assert _without_duplicates(chars) == chars
    assert _deduplicated(chars) == _without_duplicates(chars)


def test_fake_bold_is_found() -> None:
    chars: list[Char] = [("a", x, x + 5.0, 10.0, 700.0, 710.0, True, True, b"F") for x in (72.0, 72.3)]
    assert _may_repeat(chars)
    assert _deduplicated(chars) == chars[:1]
