"""The engine host's wire: length-prefixed pickled tuples over the host's stdin and stdout pipes.

Never a TCP socket (nothing here touches the network), and the same on Linux, macOS and Windows.
Both ends are our own processes from the same install, so pickle carries the requests, events and
errors as they are.

Client -> host, each `(op, request id, ...)`:
    ("load", rid, options)          -> ("loaded", rid, info)
    ("stream", rid, request)        -> ("phase", rid, "decode"), ("delta", rid, seq, text)*,
                                       ("finished", rid, Finished)
    ("batch", rid, [requests])      -> ("delta", rid, seq, text)*, ("finished", rid, Finished)*,
                                       ("done", rid, [Finished])
    ("call", rid, method, args)     -> ("result", rid, value)   count_tokens, count_prompt_tokens, tokenize,
                                                                 format_messages, info, stats
    ("tune", rid, options, [requests], candidates)
                                    -> ("result", rid, [measurement])   in a throwaway host (tuning.py)
    ("cancel", rid or None)         -> nothing: the running (or queued) request ends as "cancelled"
    ("exit",)                       -> the host closes the model and exits
Any request may instead end with ("error", rid, ShopscribeError).
"""

from __future__ import annotations

import pickle
import struct
import threading
from typing import BinaryIO

_HEADER = struct.Struct(">I")
MAX_MESSAGE = 256 * 1024 * 1024  # a batch of long prompts is well under this; anything larger is corruption


class Channel:
    """Send and receive whole messages. `send` is thread-safe; one thread receives."""

    def __init__(self, reader: BinaryIO, writer: BinaryIO) -> None:
        self._reader = reader
        self._writer = writer
        self._lock = threading.Lock()

    def send(self, *message) -> None:
        data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        with self._lock:
            self._writer.write(_HEADER.pack(len(data)) + data)
            self._writer.flush()

    def recv(self) -> tuple:
        """The next message; EOFError when the other end has gone."""
        header = self._read_exactly(_HEADER.size)
        (size,) = _HEADER.unpack(header)
        if size > MAX_MESSAGE:
            raise EOFError(f"message of {size} bytes: the stream is corrupt")
        return pickle.loads(self._read_exactly(size))

    def _read_exactly(self, n: int) -> bytes:
        parts, left = [], n
        while left:
            chunk = self._reader.read(left)
            if not chunk:
                raise EOFError("the other end closed the pipe")
            parts.append(chunk)
            left -= len(chunk)
        return b"".join(parts)

    def close(self) -> None:
        for stream in (self._writer, self._reader):
            try:
                stream.close()
            except OSError:
                pass
