"""The words, marks and money every rendering shares: the report's and the desk's vocabulary (from
`lexicons/report.toml` and `lexicons/ui.toml`), the status marks, the colon of each language, and amounts
as a reader writes them. One place, so a text report, a Word file and the desk say the same thing.
"""

from __future__ import annotations

import re

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


_ARTICLE = re.compile(r"第\S+[条條]")
_CHINESE_NUMBER = re.compile(r"[零〇一二三四五六七八九十百两壹贰叁肆伍陆柒捌玖拾貳參陸]+")
_ITEM_NUMBER = re.compile(r"\d+|[零〇一二三四五六七八九十百两]+")


def clause_label(label: str, lang: Lang) -> str:
    """A clause's reference as the contract numbers it: "第五条 2" → "第五条第2款", "七 1" → "七、1",
    "2.1 （2）" → "2.1（2）", "Section 3 (a)" → "Section 3(a)"; "¶6" (a paragraph without a number) →
    "第6段" / "para. 6".
    """
    if label.startswith("¶") and label[1:].isdigit():
        return report_word("paragraph", lang, n=label[1:])
    head, _, item = label.rpartition(" ")
    if not head or not item:
        return label
    if item.startswith(("(", "（")):
        return head + item
    if lang == "en":
        return label
    if _ARTICLE.fullmatch(head) and _ITEM_NUMBER.fullmatch(item):
        return f"{head}第{item}款"
    if _CHINESE_NUMBER.fullmatch(head):
        return f"{head}、{item}"
    return f"{head}.{item}" if head.isdigit() else label


def where(clause: str | None, page: int | None, lang: Lang) -> str:
    """Where a quote sits: its clause as the contract numbers it, and its page when the file has pages."""
    parts = [clause_label(clause, lang) if clause else "", report_word("page", lang, page=page) if page else ""]
    return " ".join(p for p in parts if p)


def colon(lang: Lang) -> str:
    """The colon after a label: full-width after Chinese, ": " after English."""
    return "：" if lang == "zh" else ": "


def money(value: float, currency: str = "") -> str:
    """36000 → "36,000"; 1234.5 → "1,234.50"; with a currency sign or code in front when given."""
    return f"{currency}{format_number(value)}"


# --- contract text in other people's formats ----------------------------------------------------------
# A contract and its file name are written by whoever sent them. Everything they say is shown as text:
# a terminal must not obey it, a spreadsheet must not compute it, Markdown must not link or embed it.

_TERMINAL_ESCAPE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"  # CSI: colours, cursor moves, erasing
    r"|(?:\x1b[]PX^_]|[\x90\x98\x9d-\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"  # OSC, DCS, PM, APC strings
    r"|\x1b[ -/]*[0-~]?"  # any other escape sequence
    r"|[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"  # controls, bidi marks
)
_SPREADSHEET_FORMULA = ("=", "+", "-", "@", "\t", "\r")  # OWASP's CSV injection rule
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>!|~:@$&])")  # inline markup, links, HTML, LaTeX, icons
_MARKDOWN_LINE_START = re.compile(r"^(\d*)([.)]|(?<!\d)[#+\-=])")  # a heading, list item, setext underline
# GFM (remark, in the desk) also links bare addresses found in the text once parsed, escaped or not: an
# invisible word joiner after the scheme, "www" or an address's name keeps them plain text.
_BARE_LINK = re.compile(r"(?i)(\b(?:https?|ftp|mailto|xmpp)(?=\\:)|\bwww(?=\\?\.)|[\w.+-](?=\\@))")
_WORD_JOINER = "\u2060"


def terminal_safe(text: str) -> str:
    """`text` without what a terminal obeys: escape sequences, C0/C1 controls except newline and tab,
    and the bidirectional overrides that reorder what is seen (a crafted contract could repaint a line).
    """
    return _TERMINAL_ESCAPE.sub("", text)


def one_line(text: str) -> str:
    """`text` safe for a terminal and on one line: a file name with a newline cannot fake a report line."""
    return " ".join(terminal_safe(text).split())


def spreadsheet_safe(value: object) -> object:
    """A cell value Excel, LibreOffice and Sheets show as text: a string that would start a formula gets
    a leading apostrophe (OWASP), controls are dropped; numbers and None are kept.
    """
    if not isinstance(value, str):
        return value
    text = terminal_safe(value)
    return f"'{text}" if text.startswith(_SPREADSHEET_FORMULA) else text


def markdown_safe(text: str) -> str:
    """`text` as literal Markdown text: no emphasis, heading, list, table cell, link, image, raw HTML,
    autolink, LaTeX or Streamlit icon survives, since every markup character is backslash-escaped and
    bare addresses are broken by an invisible word joiner.
    """
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", one_line(text))
    escaped = _MARKDOWN_LINE_START.sub(r"\1\\\2", escaped)
    return _BARE_LINK.sub(lambda m: m.group(0) + _WORD_JOINER, escaped)


def markdown_code(text: str, info: str = "text") -> list[str]:
    """A fenced code block holding `text` verbatim: the fence is longer than any run of backticks inside."""
    runs = [len(run) for run in re.findall(r"`+", text)]
    fence = "`" * max(3, max(runs, default=0) + 1)
    return [f"{fence}{info}", terminal_safe(text), fence]
