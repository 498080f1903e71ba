"""Consuming an engine's events the way the window does, without Qt (the core never imports it).

The window's `EngineWorker` (desktop/ui/engine_worker.py) runs `engine.stream()` on a thread of its own
and posts every event into an outbox under a lock; the GUI thread drains the outbox at most once per
frame (16 ms), merging text. `consume()` does the same with two plain threads and a condition
variable, so a figure measured through it pays for the same hops: the engine host's pipe, the
client's reader thread, the engine thread, the outbox, the frame-paced drain.

Times are taken where each event enters the outbox (`posted`), so frame pacing, which only delays the
paint, does not blur rates; `delivered` says when the consumer had it.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from desktop.core.engine.interface import Finished, GenerationRequest, TextDelta

FRAME_S = 0.016  # the window's FRAME_MS


@dataclass
class Consumed:
    started: float  # perf_counter() when the request was handed to the engine thread
    finished: Finished
    text: str
    first_text_posted: float | None = None
    last_text_posted: float | None = None
    finished_posted: float = 0.0
    finished_delivered: float = 0.0
    frames: int = 0  # drains that delivered something
    deltas: int = 0

    @property
    def ttft_s(self) -> float:
        """Request handed over to the first text in the outbox."""
        return (self.first_text_posted or self.finished_posted) - self.started

    @property
    def decode_rate(self) -> float:
        """(n - 1) tokens over the time from the first text to the end: the decode steps only."""
        steps = self.finished.completion_tokens - 1
        span = self.finished_posted - (self.first_text_posted or self.finished_posted)
        return steps / span if steps > 0 and span > 0 else 0.0


@dataclass
class _Outbox:
    entries: list = field(default_factory=list)
    cond: threading.Condition = field(default_factory=threading.Condition)
    closed: bool = False  # the engine side has ended (set under `cond`)


def consume(engine, request: GenerationRequest, frame_s: float = FRAME_S) -> Consumed:
    """Stream `request` through `engine` on this thread; drain its events once per frame on another.

    The engine side stays on the caller's thread because every llama.cpp computation in one process
    must start from one thread: llama.cpp's OpenMP build keeps a team of threads per thread that ever
    started a computation, and once the process holds more of them than it has cores, every team stops
    spinning at its barriers and waits on the kernel instead (the engine host does all of its work on
    one thread for the same reason). The benchmark's references run on its main thread, so an engine in
    this process, streamed from a thread of its own, would measure that slowdown, not the engine."""
    box = _Outbox()
    out: dict = {"frames": 0, "deltas": 0, "first": None, "last": None, "final": None, "final_posted": 0.0,
                 "delivered": 0.0}
    parts: list[str] = []

    def drain() -> None:  # the window's GUI thread: at most once per frame
        last_flush = 0.0
        while out["final"] is None:
            with box.cond:
                while not box.entries and not box.closed:
                    box.cond.wait()
                if not box.entries:
                    return  # the engine side ended without a Finished (it raised)
            wait = frame_s - (time.perf_counter() - last_flush)
            if wait > 0:
                time.sleep(wait)
            with box.cond:
                entries, box.entries = box.entries, []
            last_flush = time.perf_counter()
            out["frames"] += 1
            for posted, event in entries:
                if isinstance(event, TextDelta):
                    out["deltas"] += 1
                    parts.append(event.text)
                    if event.text:
                        out["first"] = out["first"] or posted
                        out["last"] = posted
                elif isinstance(event, Finished):
                    out["final"], out["final_posted"] = event, posted
        out["delivered"] = time.perf_counter()

    drainer = threading.Thread(target=drain, name="bench-frames", daemon=True)
    drainer.start()
    started = time.perf_counter()
    try:
        for event in engine.stream(request):
            with box.cond:
                box.entries.append((time.perf_counter(), event))
                box.cond.notify()
    finally:
        with box.cond:
            box.closed = True
            box.cond.notify()
        drainer.join()
    if out["final"] is None:
        raise RuntimeError("the engine's stream ended without its statistics")
    return Consumed(started, out["final"], "".join(parts), out["first"], out["last"], out["final_posted"],
                    out["delivered"], out["frames"], out["deltas"])
