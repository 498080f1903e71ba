"""Text scanning shared by the counters and the rules: emoji sequences, URLs, and a same-length fold
(NFKC per character + lower case) so that "ＮＯ．１", "No.1" and "no.1" match one term while every
offset still points into the merchant's own text."""

from __future__ import annotations

import re
import unicodedata

# Emoji that are pictographs by default (presentation or not, they weigh 2 and are "emoji" for the
# marketplaces), roughly Unicode's Extended_Pictographic.
_PICTO = (
    "\u231a\u231b\u2328\u23cf\u23e9-\u23f3\u23f8-\u23fa\u25aa\u25ab\u25b6\u25c0\u25fb-\u25fe"
    "\u2600-\u27bf\u2934\u2935\u2b05-\u2b07\u2b1b\u2b1c\u2b50\u2b55\U0001f000-\U0001faff"
)
# Symbols that are ordinary text unless followed by the emoji variation selector U+FE0F
# (© ® ™ ‼ arrows ...): "©" is a copyright sign, "©️" is an emoji.
_TEXT_DEFAULT = "\u00a9\u00ae\u203c\u2049\u2122\u2139\u2194-\u2199\u21a9\u21aa\u24c2\u3030\u303d\u3297\u3299"
_SKIN = "\U0001f3fb-\U0001f3ff"
_ELEMENT = f"(?:[{_PICTO}]\ufe0f?[{_SKIN}]?|[{_TEXT_DEFAULT}]\ufe0f[{_SKIN}]?)"

EMOJI_PATTERN = (
    # The lookahead names every possible first character, which lets the regex engine skip plain
    # text (Chinese in particular) five times faster.
    f"(?=[0-9#*{_PICTO}{_TEXT_DEFAULT}])"
    "(?:"
    "\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f"  # subdivision flags (England, Scotland ...)
    "|[0-9#*]\ufe0f?\u20e3"  # keycaps 1️⃣ #️⃣
    "|[\U0001f1e6-\U0001f1ff]{2}"  # national flags: two regional indicators
    f"|{_ELEMENT}(?:\u200d{_ELEMENT})*"  # one pictograph, its skin tone, joined by ZWJ
    ")"
)
EMOJI_RE = re.compile(EMOJI_PATTERN)

# twitter-text counts any URL as 23. It validates hosts against the full IANA TLD list; we accept a
# scheme URL, a www. host, or a bare host with a common TLD. A URL ends at whitespace or CJK text.
_TLDS = (
    "com|net|org|edu|gov|info|biz|io|co|ai|app|dev|me|tv|ly|gl|gg|shop|store|xyz|top|online|site|"
    "cn|hk|tw|jp|kr|sg|us|uk|ca|au|de|fr|it|es|nl|eu|in|ru|br|mx"
)
_URL_CHAR = '[^\\s<>"\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]'
_URL_END = "[^\\s<>\"\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef.,;:!?'()\\[\\]{}]"
URL_PATTERN = (
    "(?<![A-Za-z0-9@＠$#＃/._-])"
    "(?:"
    f"https?://{_URL_CHAR}*\\.{_URL_CHAR}*{_URL_END}"  # a host has a dot (twitter-text needs a TLD)
    f"|(?:www\\.)?(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\\.)+(?:{_TLDS})(?![A-Za-z0-9-])"
    f"(?:[/?#](?:{_URL_CHAR}*{_URL_END})?)?"
    ")"
)
URL_RE = re.compile(URL_PATTERN, re.IGNORECASE)

_CJK_RE = re.compile("[\u3400-\u9fff\uf900-\ufaff]")
_LATIN_WORD_RE = re.compile("[A-Za-z]+")


class _FoldTable(dict):
    """str.translate table filled on demand: each character maps to its NFKC + lower-case form when
    that is one character (so lengths and offsets never change), else to itself."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        folded = unicodedata.normalize("NFKC", char).lower()
        if len(folded) != 1:
            folded = char.lower() if len(char.lower()) == 1 else char
        self[code] = folded
        return folded


_FOLD = _FoldTable()


def fold(text: str) -> str:
    """The text for matching: same length as `text`, full-width forms made ASCII, lower case."""
    if text.isascii():
        return text.lower()
    return text.translate(_FOLD)


def fold_term(term: str) -> str:
    return unicodedata.normalize("NFKC", term).lower()


_SEPARATORS_RE = re.compile(r"[\s\-]+")


def term_key(text: str) -> str:
    """The same key for a term and for any text its `term_pattern` matches ("water bottle",
    "water-bottle", "waterbottle"): folded, spaces and hyphens left out."""
    return _SEPARATORS_RE.sub("", fold_term(text))


# Latin letters and digits: an English term must not touch them on either side. CJK text may touch
# a term ("销量NO.1", "特价sale"), which Python's Unicode-aware \b would refuse.
_WORD_CLASS = "0-9a-z\u00c0-\u024f"
_WORD_CHAR_RE = re.compile(f"[{_WORD_CLASS}]")


def term_pattern(term: str) -> str:
    """A regex for one literal term on folded text: substring for Chinese, word-bounded for Latin
    words; a space in a term matches any run of spaces or hyphens, a hyphen matches one or none.

    The edge before the term is checked by `iter_matches`, not by a lookbehind: a pattern that starts
    with a lookbehind loses the regex engine's fast scan for its first characters (10x slower)."""
    term = fold_term(term)
    parts = []
    for char in term:
        if char == " ":
            parts.append("[\\s\\-]+")
        elif char == "-":
            parts.append("[\\s\\-]?")
        else:
            parts.append(re.escape(char))
    body = "".join(parts)
    if _WORD_CHAR_RE.match(term[-1:]):
        body += f"(?![{_WORD_CLASS}])"
    return body


def iter_matches(regex: re.Pattern, folded: str):
    """Non-empty matches of `regex` in folded text that do not start inside a Latin word ("cure" in
    "secure" is no match), searching on after a refused start so no later match is lost."""
    pos, size = 0, len(folded)
    search = regex.search
    while pos <= size:
        m = search(folded, pos)
        if m is None:
            return
        start, end = m.span()
        if start == end:
            pos = start + 1
            continue
        if start > 0 and _WORD_CHAR_RE.match(folded, start) and _WORD_CHAR_RE.match(folded, start - 1):
            pos = start + 1
            continue
        yield m
        pos = end


def alternation(terms: list[str]) -> str:
    """One regex matching any of the terms, the longest first so "全网第一" wins over "第一"."""
    unique = sorted({fold_term(t) for t in terms if t}, key=lambda t: (-len(t), t))
    return "|".join(term_pattern(t) for t in unique)


def detect_lang(text: str) -> str:
    """`zh` when Chinese characters outnumber Latin words, else `en`."""
    cjk = len(_CJK_RE.findall(text))
    return "zh" if cjk and cjk >= len(_LATIN_WORD_RE.findall(text)) else "en"
