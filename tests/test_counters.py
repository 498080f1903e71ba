"""Length counters against hand-counted examples, plus properties that must hold for any text."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.core.checks.counters import (
    COUNTERS,
    count,
    count_characters,
    count_utf8_bytes,
    count_width,
    count_x_weighted,
    cut_index,
)

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466"  # 👨‍👩‍👧‍👦: 7 code points
THUMB_MEDIUM = "\U0001f44d\U0001f3fd"  # 👍🏽: 2 code points
FLAG_CN = "\U0001f1e8\U0001f1f3"  # 🇨🇳: 2 regional indicators
KEYCAP_ONE = "1\ufe0f\u20e3"  # 1️⃣: 3 code points
E_COMBINING = "e\u0301"  # e + COMBINING ACUTE ACCENT, NFC gives é (U+00E9)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", 0),
        ("hello", 5),
        ("你好，世界", 5),  # 你 好 ， 世 界
        ("Caf" + E_COMBINING, 4),  # NFC folds e + accent into one code point
        ("Café", 4),
        (THUMB_MEDIUM, 2),
        (FAMILY, 7),  # characters count code points, not what the eye sees
        ("T恤 100%纯棉", 9),  # T 恤 space 1 0 0 % 纯 棉
    ],
)
def test_count_characters(text, expected):
    assert count_characters(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hello", 5),
        ("你好", 6),  # 3 bytes each
        ("é", 2),  # U+00E9
        (E_COMBINING, 3),  # 1 + 2: bytes of the text as uploaded, no NFC
        ("€", 3),
        ("\U0001f600", 4),  # 😀
        ("a你😀", 1 + 3 + 4),
    ],
)
def test_count_utf8_bytes(text, expected):
    assert count_utf8_bytes(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("abc", 3),
        ("你好", 4),
        ("ＡＢＣ", 6),  # full-width Latin letters
        ("，。", 4),  # full-width punctuation
        ("ｶﾀｶﾅ", 4),  # half-width katakana count 1
        ("한글", 4),  # Hangul is East Asian Wide
        (E_COMBINING, 1),  # after NFC: one é
        ("淘宝 T恤", 8),  # 2 + 2 + 1 + 1 + 2
        ("春夏新款" * 7 + "女装", 60),  # 30 CJK characters: exactly a Taobao title
    ],
)
def test_count_width(text, expected):
    assert count_width(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hello", 5),
        ("你好", 4),
        ("\U0001f600", 2),
        (FAMILY, 2),  # a ZWJ sequence counts 2 as a whole (code point by code point it would be 11)
        (THUMB_MEDIUM, 2),  # skin tone modifier belongs to the emoji
        (FLAG_CN, 2),
        (KEYCAP_ONE, 2),  # keycap: digit + FE0F + U+20E3 count 2 together
        ("©", 1),  # text copyright sign: Latin-1 range
        ("©\ufe0f", 2),  # emoji presentation: an emoji
        ("\u201cquoted\u201d", 8),  # curly quotes U+201C/U+201D are in the 8208-8223 range
        ("\u2026", 2),  # … U+2026 is outside the light ranges
        ("\u2032", 1),  # ′ U+2032 is in 8242-8247
        ("https://example.com/a/very/long/path?with=query&and=more", 23),
        ("see example.com", 4 + 23),
        ("访问 https://shop.example.cn/item/123 看看", 4 + 1 + 23 + 1 + 4),
        ("Go to www.example.org.", 6 + 23 + 1),  # the final full stop is not part of the URL
        (E_COMBINING, 1),
        ("测" * 140, 280),
        ("a" * 280, 280),
        ("新品 " + FAMILY + " https://a.co/x", 4 + 1 + 2 + 1 + 23),
    ],
)
def test_count_x_weighted(text, expected):
    assert count_x_weighted(text) == expected


def test_registry_names_every_counter_used_by_platforms():
    from desktop.core.platforms import platforms

    used = {limit.counter for p in platforms().values() for limit in p.fields.values()}
    assert used <= set(COUNTERS)
    assert set(COUNTERS) == {"characters", "utf8_bytes", "width", "x_weighted"}
    with pytest.raises(ValueError):
        count("words", "x")


def test_cut_index_is_where_the_platform_cuts():
    title = "春夏新款" * 8  # 32 CJK characters, width 64
    assert cut_index("width", title, 60) == 30
    assert cut_index("characters", "abcdef", 4) == 4
    assert cut_index("x_weighted", "测" * 141, 280) == 140
    assert cut_index("utf8_bytes", "你好吗", 7) == 2
    assert cut_index("characters", "short", 10) == 5


# Properties -------------------------------------------------------------------------------------

CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
LATIN = st.sampled_from("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ")


@given(st.text())
def test_width_lies_between_one_and_two_per_character(text):
    assert count_characters(text) <= count_width(text) <= 2 * count_characters(text)


@given(st.text())
def test_bytes_bound_characters(text):
    assert len(text) <= count_utf8_bytes(text) <= 4 * len(text)


@given(st.text())
def test_characters_count_the_nfc_form(text):
    assert count_characters(text) == len(unicodedata.normalize("NFC", text))


@given(st.lists(st.one_of(CJK, LATIN)).map("".join))
def test_x_weighted_without_urls_or_emoji_is_latin_plus_twice_cjk(text):
    cjk = sum(1 for c in text if "\u4e00" <= c <= "\u9fff")
    assert count_x_weighted(text) == (len(text) - cjk) + 2 * cjk


@given(st.text(), st.sampled_from(sorted(COUNTERS)), st.integers(min_value=0, max_value=60))
def test_cut_prefix_fits_the_limit(text, counter, limit):
    cut = cut_index(counter, text, limit)
    assert 0 <= cut <= len(text)
    assert count(counter, text[:cut]) <= limit
