"""Turning a stream of token bytes into safe text.

llama.cpp hands us each token as raw bytes; a Chinese character (3 bytes in UTF-8) or an emoji (4)
is often split across two or three tokens. `Utf8Assembler` holds back an incomplete character until
its last byte arrives, so the UI never shows broken bytes or replacement characters mid-stream.
`StopMatcher` holds back text that might be the start of a stop string.
"""

from __future__ import annotations

import codecs


class Utf8Assembler:
    """Feed bytes, get only complete characters back."""

    def __init__(self) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")

    def feed(self, data: bytes) -> str:
        return self._decoder.decode(data, final=False)

    def flush(self) -> str:
        """End of stream. A character whose last bytes never came (generation stopped at the token
        limit mid-character) is dropped: a shop text must not end in U+FFFD."""
        if self.pending:
            self._decoder.reset()
            return ""
        return self._decoder.decode(b"", final=True)

    @property
    def pending(self) -> bool:
        return bool(self._decoder.getstate()[0])


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
