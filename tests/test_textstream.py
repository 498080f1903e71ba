"""The UTF-8 boundary logic, fed byte streams split inside multibyte characters."""

from hypothesis import given
from hypothesis import strategies as st

from desktop.core.textstream import StopMatcher, Utf8Assembler


def feed_all(chunks: list[bytes]) -> list[str]:
    asm = Utf8Assembler()
    out = [asm.feed(c) for c in chunks]
    out.append(asm.flush())
    return out


def test_chinese_split_inside_a_character_is_held_back():
    data = "保温杯".encode()  # 9 bytes, 3 per character
    parts = feed_all([data[:1], data[1:4], data[4:8], data[8:]])
    assert parts == ["", "保", "温", "杯", ""]
    assert "\ufffd" not in "".join(parts)


def test_emoji_split_across_four_chunks():
    data = "好👍".encode()
    parts = feed_all([data[i : i + 1] for i in range(len(data))])
    assert "".join(parts) == "好👍"
    assert all("\ufffd" not in p for p in parts)
    assert parts[3] == "" and parts[6] == "👍"


def test_an_unfinished_character_at_the_end_is_dropped_not_replaced():
    asm = Utf8Assembler()
    assert asm.feed("英雄".encode()[:4]) == "英"
    assert asm.flush() == ""


def test_pending_reports_an_incomplete_character():
    asm = Utf8Assembler()
    asm.feed("杯".encode()[:2])
    assert asm.pending
    assert asm.feed("杯".encode()[2:]) == "杯"
    assert not asm.pending


@given(st.text(), st.lists(st.integers(min_value=0, max_value=64), max_size=20))
def test_any_split_reassembles_exactly_and_never_emits_replacement(text, cuts):
    data = text.encode()
    points = sorted({min(c, len(data)) for c in cuts} | {0, len(data)})
    chunks = [data[a:b] for a, b in zip(points, points[1:])]
    parts = feed_all(chunks)
    assert "".join(parts) == text
    if "\ufffd" not in text:
        assert all("\ufffd" not in p for p in parts)


def test_stop_matcher_never_emits_part_of_a_stop_string():
    m = StopMatcher(["<END>"])
    emitted = [m.feed("Hello <E"), m.feed("N"), m.feed("D> tail")]
    assert "".join(emitted) == "Hello "
    assert m.stopped


def test_stop_matcher_releases_a_false_alarm():
    m = StopMatcher(["<END>"])
    out = m.feed("a <E") + m.feed("ND? no") + m.flush()
    assert out == "a <END? no"
    assert not m.stopped
