"""Chinese numbers in their standard written form (三十, 一万零五百, 壹万贰仟, 零点五), read without cn2an.

cn2an reads every form (speaking forms such as 二百五, decimals, mixed digits), but importing it compiles
regexes for 0.15–0.3 s, more than a short contract's whole audit. Nearly every number a contract spells
out is an integer in the standard form, so that form is read here and anything else is left to cn2an:
a string is accepted only when it is exactly how the number it denotes is written in full, so it cannot
be read differently (tests/test_numerals.py compares both on every such number below 200,000).
"""

from __future__ import annotations

_STYLES = (("零一二三四五六七八九", "十百千"), ("零壹贰叁肆伍陆柒捌玖", "拾佰仟"))
# Other spellings of a digit: 两 for 二, and the Traditional banking 參 that Simplified folding turns into
# 参 (not the banking 叁), so 參拾陸萬 reads as 叁拾陆万 does.
_VARIANTS = (str.maketrans({"两": "二"}), str.maketrans({"参": "叁"}))
_BIG = "万亿"
_LIMIT = 10**12  # 万亿 and above are not written this way


def chinese_integer(text: str) -> int | None:
    """The integer `text` spells in the standard form (两 for 二, 参 for 叁 allowed), or None for anything else."""
    for (digits, units), variants in zip(_STYLES, _VARIANTS, strict=True):
        plain = text.translate(variants)
        if plain and all(ch in digits or ch in units or ch in _BIG for ch in plain):
            value = _evaluate(plain, digits, units)
            written = _write(value, digits, units)
            if value < _LIMIT and (written == plain or written == digits[1] + plain and plain[0] == units[0]):
                return value  # the second: 拾贰万 for 壹拾贰万, as 十二万 is written for 一十二万
    return None


def chinese_decimal(text: str) -> float | None:
    """The number `text` spells as a standard-form integer, 点 and digits (三点五, 零点零五), or None."""
    whole, point, fraction = text.partition("点")
    integer = chinese_integer(whole) if point and fraction else None
    if integer is None:
        return None
    for (digits, _), variants in zip(_STYLES, _VARIANTS, strict=True):
        plain = fraction.translate(variants)
        if all(ch in digits for ch in plain):
            return float(f"{integer}.{''.join(str(digits.index(ch)) for ch in plain)}")
    return None


def _evaluate(text: str, digits: str, units: str) -> int:
    """The value of a string of digits and units, however oddly written; `_write` judges the form."""
    total = section = number = 0
    for ch in text:
        if ch in digits:
            number = digits.index(ch)
        elif ch in units:
            section += (number or 1) * 10 ** (units.index(ch) + 1)
            number = 0
        else:
            total += (section + number) * 10 ** (4 * (_BIG.index(ch) + 1))
            section = number = 0
    return total + section + number


def _write(value: int, digits: str, units: str) -> str:
    """`value` written in full: groups of four digits with 万/亿, one 零 for each run of zeros inside,
    and a leading 一十 shortened to 十 in everyday (not banking) numerals.
    """
    if value == 0:
        return digits[0]
    groups = [(value // 10 ** (4 * i)) % 10**4 for i in range(2, -1, -1)]
    out, gap = "", False
    for index, group in enumerate(groups):
        if group == 0:
            gap = gap or bool(out)
            continue
        if out and (gap or group < 1000):
            out += digits[0]
        out += _write_group(group, digits, units) + ("亿", "万", "")[index]
        gap = False
    return out[1:] if digits[1] == "一" and out.startswith("一十") else out


def _write_group(group: int, digits: str, units: str) -> str:
    out, zero = "", False
    for power in range(3, -1, -1):
        digit = group // 10**power % 10
        if digit == 0:
            zero = zero or bool(out)
            continue
        out += (digits[0] if zero else "") + digits[digit] + (units[power - 1] if power else "")
        zero = False
    return out


def chinese_numeral(value: int) -> str:
    """`value` written in everyday Chinese numerals (三十, 一万零五百): the next clause number of a
    contract numbered 第二十九条 or （四）.
    """
    digits, units = _STYLES[0]
    return _write(value, digits, units)
