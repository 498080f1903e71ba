"""Numbers as merchants write them, read into values: ASCII and full-width digits (the caller folds
full-width forms first), thousands separators, decimals, 万/千/亿 and k/thousand/million multipliers,
Chinese numerals (二十四, 两, 一百五十, 三千) and English number words (twelve, twenty-four)."""

from __future__ import annotations

import re

DIGITS_RE = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|(?<!\d)\.\d+")
ZH_NUMERAL_RE = re.compile("[零〇一二两三四五六七八九十百千万亿]+(?:点[零〇一二三四五六七八九]+)?半?|半")
_ZH_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
             "八": 8, "九": 9}
_ZH_UNIT = {"十": 10, "百": 100, "千": 1000}
_ZH_BIG = {"万": 10_000, "亿": 100_000_000}

EN_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "a hundred": 100, "dozen": 12,
    "a dozen": 12, "half": 0.5, "a half": 0.5, "single": 1, "double": 2, "triple": 3,
}
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_ONES = "one|two|three|four|five|six|seven|eight|nine"
EN_WORD_RE = re.compile(
    rf"(?<![a-z])(?:(?:{_TENS})[- ](?:{_ONES})|a hundred|a dozen|a half|"
    + "|".join(sorted((w for w in EN_WORDS if " " not in w), key=len, reverse=True))
    + r")(?![a-z])"
)
# A multiplier right after the digits: 1.5万, 10k+, 2 million. "k" only where it cannot be 4K video.
MULTIPLIER_RE = re.compile(r"\s?(?:(万|千|亿|百万|千万)(?![克米瓦"
                           r"卡])|(thousand|million|billion)\b|(k)(?=\+|\s?(?:[a-z]+\s)?"
                           r"(?:reviews|ratings|sold|customers|buyers|users|followers|orders|sales|downloads|happy)))")
_MULTIPLIERS = {"万": 1e4, "千": 1e3, "亿": 1e8, "百万": 1e6, "千万": 1e7, "thousand": 1e3, "million": 1e6,
                "billion": 1e9, "k": 1e3}


def parse_digits(text: str) -> float | None:
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return None


def _zh_section(text: str) -> int | None:
    """A numeral below 10,000: 二十四, 一百五十, 三千零五, 十二."""
    total, digit = 0, None
    for char in text:
        if char in _ZH_DIGIT:
            digit = _ZH_DIGIT[char]
        elif char in _ZH_UNIT:
            total += (1 if digit is None else digit) * _ZH_UNIT[char]
            digit = None
        else:
            return None
    return total + (digit or 0)


def parse_zh_numeral(text: str) -> float | None:
    """二十四 -> 24, 两 -> 2, 一万五千 -> 15000, 三点五 -> 3.5, 一个半 is read by the caller; None
    when the characters are not a number."""
    if not text:
        return None
    half = 0.0
    if text.endswith("半"):
        half, text = 0.5, text[:-1]
        if not text:
            return 0.5
    fraction = 0.0
    if "点" in text:
        text, _, decimals = text.partition("点")
        digits = "".join(str(_ZH_DIGIT.get(c, "")) for c in decimals)
        if len(digits) != len(decimals):
            return None
        fraction = float("0." + digits) if digits else 0.0
    total = 0.0
    rest = text
    for big in ("亿", "万"):
        if big in rest:
            head, _, rest = rest.partition(big)
            value = _zh_section(head) if head else 1
            if value is None:
                return None
            total += value * _ZH_BIG[big]
    if rest:
        section = _zh_section(rest)
        if section is None:
            return None
        total += section
    elif total == 0:
        return None
    return total + fraction + half


def parse_en_words(text: str) -> float | None:
    text = text.strip()
    if text in EN_WORDS:
        return float(EN_WORDS[text])
    tens, _, ones = text.replace(" ", "-").partition("-")
    if tens in EN_WORDS and ones in EN_WORDS:
        return float(EN_WORDS[tens] + EN_WORDS[ones])
    return None


def multiplier(folded: str, pos: int) -> tuple[float, int]:
    """(factor, end) of a multiplier at `pos` (1.0, pos when there is none)."""
    m = MULTIPLIER_RE.match(folded, pos)
    if m is None:
        return 1.0, pos
    word = m.group(1) or m.group(2) or m.group(3)
    return _MULTIPLIERS[word], m.end()


def same_value(a: float, b: float, tolerance: float = 1e-6) -> bool:
    return abs(a - b) <= tolerance * max(abs(a), abs(b)) + 1e-9
