"""Length counters, one per way a platform counts (see DOMAIN.md). Pure functions of the text.

- characters: Unicode code points after NFC (Amazon, Instagram, email subjects ...);
- utf8_bytes: bytes of the UTF-8 encoding, of the text as it will be uploaded;
- width: CJK and full-width characters count 2, others 1, after NFC (Taobao/Tmall titles, Google Ads);
- x_weighted: twitter-text's parseTweet weighting (X posts).
"""

from __future__ import annotations

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


def _char_width(char: str) -> int:
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def count_width(text: str) -> int:
    """Display width after NFC: East Asian Wide and Fullwidth characters count 2, all others 1."""
    text = _nfc(text)
    if text.isascii():
        return len(text)
    return sum(_char_width(char) for char in text)


def _x_char_weight(code: int) -> int:
    for low, high in X_RANGES:
        if low <= code <= high:
            return 100
    return X_DEFAULT_WEIGHT


def count_x_weighted(text: str) -> int:
    """X's weighted length: NFC; each URL counts 23; each emoji (a whole ZWJ sequence, a flag, a
    keycap, a skin-toned emoji) counts 2; code points in the Latin and general punctuation ranges
    count 1; everything else (CJK ...) counts 2."""
    text = _nfc(text)
    total = 0
    # Spans that count as a whole, found in the order twitter-text applies them: URLs, then emoji.
    spans: list[tuple[int, int, int]] = [
        (m.start(), m.end(), X_URL_LENGTH * X_SCALE) for m in URL_RE.finditer(text)
    ]
    taken = spans[:]
    for m in EMOJI_RE.finditer(text):
        if not any(s <= m.start() < e for s, e, _ in taken):
            spans.append((m.start(), m.end(), X_EMOJI_WEIGHT))
    spans.sort()
    pos = 0
    for start, end, weight in spans:
        if start < pos:
            continue
        total += sum(_x_char_weight(ord(c)) for c in text[pos:start]) + weight
        pos = end
    total += sum(_x_char_weight(ord(c)) for c in text[pos:])
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


def cut_index(counter: str, text: str, limit: int) -> int:
    """The longest prefix length (in characters of `text`) whose count stays within `limit`: where a
    platform cuts the text. Binary search, since no counter is simply additive (NFC, URLs, emoji)."""
    func = COUNTERS[counter]
    if func(text) <= limit:
        return len(text)
    low, high = 0, len(text)  # func(text[:low]) <= limit < func(text[:high])
    while high - low > 1:
        mid = (low + high) // 2
        if func(text[:mid]) <= limit:
            low = mid
        else:
            high = mid
    return low
