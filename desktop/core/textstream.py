"""Turning a stream of token bytes into safe text.

llama.cpp hands us each token as raw bytes; a Chinese character (3 bytes in UTF-8) or an emoji (4)
is often split across two or three tokens. `Utf8Assembler` holds back an incomplete character until
its last byte arrives, so the UI never shows broken bytes or replacement characters mid-stream.
`StopMatcher` holds back text that might be the start of a stop string.
"""

from __future__ import annotations

import codecs


class Utf8Assembler:
    """Feed bytes, get only complete characters back. The engine asks `accepts(piece)` before it
    keeps a sampled token, so nothing fed here is ever invalid UTF-8 and no U+FFFD is ever made."""

    def __init__(self) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="strict")

    def accepts(self, piece: bytes) -> bool:
        """Would `piece` keep the text valid UTF-8 (complete characters, then at most the valid start of
        one more)? Pure ASCII after a complete character, the common case, is decided at once."""
        pending = self._decoder.getstate()[0]
        if not pending and piece.isascii():
            return True
        probe = codecs.getincrementaldecoder("utf-8")(errors="strict")
        try:
            probe.decode(pending + piece, final=False)
        except UnicodeDecodeError:
            return False
        return _could_complete(probe.getstate()[0])

    def feed(self, data: bytes) -> str:
        try:
            return self._decoder.decode(data, final=False)
        except UnicodeDecodeError:  # only when a caller skipped accepts(): drop the bad bytes, never U+FFFD
            self._decoder.reset()
            return ""

    def flush(self) -> str:
        """End of stream. A character whose last bytes never came (generation stopped at the token
        limit mid-character) is dropped: a shop text must not end in U+FFFD."""
        self._decoder.reset()
        return ""

    @property
    def pending(self) -> bool:
        return bool(self._decoder.getstate()[0])


# The second byte's range for each lead byte (RFC 3629): what rules out overlong forms and surrogates,
# which Python's incremental decoder only notices once the character is complete.
_SECOND_BYTE = {0xE0: (0xA0, 0xBF), 0xED: (0x80, 0x9F), 0xF0: (0x90, 0xBF), 0xF4: (0x80, 0x8F)}


def _could_complete(tail: bytes) -> bool:
    """Is `tail` (an unfinished character's first bytes) the start of some valid character?"""
    if not tail:
        return True
    lead = tail[0]
    if not (0xC2 <= lead <= 0xF4):
        return False
    if len(tail) > 1:
        low, high = _SECOND_BYTE.get(lead, (0x80, 0xBF))
        if not low <= tail[1] <= high:
            return False
    return all(0x80 <= b <= 0xBF for b in tail[2:])


class StopMatcher:
    """Finds stop strings in streamed text without ever emitting a part of one."""

    def __init__(self, stops: tuple[str, ...] | list[str] = ()) -> None:
        self._stops = tuple(s for s in stops if s)
        self._held = ""
        self.stopped = False

    def feed(self, text: str) -> str:
        """Returns the text that is safe to emit now; sets `stopped` when a stop string completed."""
        if not self._stops:
            return text
        buf = self._held + text
        cut = min((i for i in (buf.find(s) for s in self._stops) if i >= 0), default=-1)
        if cut >= 0:
            self._held = ""
            self.stopped = True
            return buf[:cut]
        hold = 0
        for stop in self._stops:
            for n in range(min(len(stop) - 1, len(buf)), 0, -1):
                if buf.endswith(stop[:n]):
                    hold = max(hold, n)
                    break
        self._held = buf[len(buf) - hold :] if hold else ""
        return buf[: len(buf) - hold]

    def flush(self) -> str:
        held, self._held = self._held, ""
        return held
