"""Length counters, one per way a platform counts (see DOMAIN.md). Pure functions of the text.

- characters: Unicode code points after NFC (Amazon, Instagram, email subjects ...);
- utf8_bytes: bytes of the UTF-8 encoding, of the text as it will be uploaded;
- width: CJK and full-width characters count 2, others 1, after NFC (Taobao/Tmall titles, Google Ads);
- x_weighted: twitter-text's parseTweet weighting (X posts).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from desktop.core.checks.textmatch import EMOJI_RE, URL_RE

# twitter-text v3 configuration: weights are in hundredths, a tweet holds 280 at scale 100.
X_SCALE = 100
X_DEFAULT_WEIGHT = 200
X_URL_LENGTH = 23
X_RANGES = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))  # weight 100 each
X_EMOJI_WEIGHT = 200


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def count_characters(text: str) -> int:
    """Code points after NFC: "e" + combining acute is one character, like the precomposed "é"."""
    return len(_nfc(text))


def count_utf8_bytes(text: str) -> int:
    """Bytes of the UTF-8 encoding (a CJK character is 3 bytes, most emoji 4)."""
    return len(text.encode("utf-8"))


class _WidthTable(dict):
    """Character -> display width, filled on first sight (a dict lookup per character is what keeps a
    10,000-character check within milliseconds)."""

    def __missing__(self, char: str) -> int:
        width = 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
        self[char] = width
        return width


_WIDTHS = _WidthTable()


def count_width(text: str) -> int:
    """Display width after NFC: East Asian Wide and Fullwidth characters count 2, all others 1."""
    text = _nfc(text)
    if text.isascii():
        return len(text)
    return sum(map(_WIDTHS.__getitem__, text))


_X_LIGHT = "".join(f"{chr(low)}-{chr(high)}" for low, high in X_RANGES)
_X_HEAVY_RE = re.compile(f"[^{_X_LIGHT}]")  # one character outside twitter-text's weight-1 ranges
_X_LIGHT_RUN_RE = re.compile(f"[{_X_LIGHT}]+")


def _x_plain_weight(segment: str) -> int:
    heavy = len(_X_LIGHT_RUN_RE.sub("", segment))  # what is left once the light runs are gone
    return len(segment) * 100 + heavy * (X_DEFAULT_WEIGHT - 100)


def _x_spans(text: str) -> list[tuple[int, int, int]]:
    """Sorted, non-overlapping spans that count as a whole: URLs first (as twitter-text applies them),
    then emoji outside them. Each is (start, end, weight in hundredths)."""
    # Every URL has a dot in its host: text without one (most Chinese copy) skips the URL scan.
    urls = (
        [(m.start(), m.end(), X_URL_LENGTH * X_SCALE) for m in URL_RE.finditer(text)] if "." in text else []
    )
    spans = urls[:]
    i = 0
    for m in EMOJI_RE.finditer(text):
        while i < len(urls) and urls[i][1] <= m.start():
            i += 1
        if i < len(urls) and urls[i][0] <= m.start():
            continue  # an emoji inside a URL is part of the URL
        spans.append((m.start(), m.end(), X_EMOJI_WEIGHT))
    spans.sort()
    return spans


def count_x_weighted(text: str) -> int:
    """X's weighted length: NFC; each URL counts 23; each emoji (a whole ZWJ sequence, a flag, a
    keycap, a skin-toned emoji) counts 2; code points in the Latin and general punctuation ranges
    count 1; everything else (CJK ...) counts 2."""
    text = _nfc(text)
    total = 0
    pos = 0
    for start, end, weight in _x_spans(text):
        if start < pos:
            continue
        total += _x_plain_weight(text[pos:start]) + weight
        pos = end
    total += _x_plain_weight(text[pos:])
    return total // X_SCALE


COUNTERS: dict[str, Callable[[str], int]] = {
    "characters": count_characters,
    "utf8_bytes": count_utf8_bytes,
    "width": count_width,
    "x_weighted": count_x_weighted,
}


def count(counter: str, text: str) -> int:
    try:
        func = COUNTERS[counter]
    except KeyError:
        raise ValueError(f"unknown counter {counter!r}: one of {', '.join(COUNTERS)}") from None
    return func(text)


def _scan_cut(counter: str, text: str, limit: int) -> int | None:
    """Where the count passes `limit`, found by walking from the start (so it costs about `limit`
    steps, not the whole text). Exact for NFC text; None when the text is not NFC."""
    if counter != "utf8_bytes" and not unicodedata.is_normalized("NFC", text):
        return None
    if counter == "characters":
        return min(limit, len(text))
    if counter in ("utf8_bytes", "width"):
        weigh = (lambda c: len(c.encode("utf-8"))) if counter == "utf8_bytes" else _WIDTHS.__getitem__
        total = 0
        for i, char in enumerate(text):
            total += weigh(char)
            if total > limit:
                return i
        return len(text)
    budget, total, pos = limit * X_SCALE, 0, 0
    spans = _x_spans(text) + [(len(text), len(text), 0)]
    for start, end, weight in spans:
        for i in range(pos, start):
            total += X_DEFAULT_WEIGHT if _X_HEAVY_RE.match(text, i) else 100
            if total > budget:
                return i
        if total + weight > budget:
            return start
        total += weight
        pos = end
    return len(text)


def cut_index(counter: str, text: str, limit: int) -> int:
    """Where a platform cuts the text: a prefix length (in characters of `text`) whose count stays
    within `limit`, the longest one for ordinary text. A walk from the start finds it; a binary search
    below that point covers what the walk cannot see (a URL that a cut would create, non-NFC text)."""
    func = COUNTERS[counter]
    if func(text) <= limit:
        return len(text)
    guess = _scan_cut(counter, text, limit)
    if guess is not None and func(text[:guess]) <= limit:
        return guess
    low, high = 0, len(text) if guess is None else guess  # func(text[:low]) <= limit < func(text[:high])
    while high - low > 1:
        mid = (low + high) // 2
        if func(text[:mid]) <= limit:
            low = mid
        else:
            high = mid
    return low
