"""The words, marks and money every rendering shares: the report's and the desk's vocabulary (from
`lexicons/report.toml` and `lexicons/ui.toml`), the status marks, the colon of each language, and amounts
as a reader writes them. One place, so a text report, a Word file and the desk say the same thing.
"""

from __future__ import annotations

from auditor.lexicon import load_lexicon
from auditor.model import Lang, Status
from auditor.rules.wording import format_number

MARK: dict[str, str] = {Status.PASS: "✔", Status.WEAK: "▲", Status.MISSING: "✖"}


def report_word(key: str, lang: Lang, **values: object) -> str:
    """A word or sentence of the rendered reports (`lexicons/report.toml`)."""
    return load_lexicon("report").reason(key, lang, **values)


def ui_word(key: str, lang: Lang, **values: object) -> str:
    """A word or sentence of the review desk and the Word export (`lexicons/ui.toml`)."""
    return load_lexicon("ui").reason(key, lang, **values)


def colon(lang: Lang) -> str:
    """The colon after a label: full-width after Chinese, ": " after English."""
    return "：" if lang == "zh" else ": "


def money(value: float, currency: str = "") -> str:
    """36000 → "36,000"; 1234.5 → "1,234.50"; with a currency sign or code in front when given."""
    return f"{currency}{format_number(value)}"
