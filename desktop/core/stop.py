"""One way to ask running work to stop: a `Stop` token, held by the work and set from anywhere (the GUI
thread, a signal handler, another worker). Batch jobs, downloads, model imports, "Fix with the model"
and every engine job take one.

    stop = Stop()
    run_job(db, engine, job_id, stop=stop)   # on the engine's thread
    stop.pause()                             # from the GUI: stop after the current group
    stop.cancel()                            # ... or for good, interrupting the generation now

What was asked is `requested`: None, "pause" (the work can be resumed: a paused job, a paused download
keeps its partial file) or "cancel" (final: a cancelled download deletes its partial file). A cancel is
never downgraded to a pause. `abort` says whether the step in progress is interrupted too: a cancel
always is, a pause only when asked (`pause(abort=True)`).

Work that drives an engine says so with `with stop.interrupts(engine):`; while inside, an abort calls
`engine.cancel()` (the engine's one thread-safe call), which takes effect within a token.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from typing import Protocol

PAUSE, CANCEL = "pause", "cancel"


class Cancellable(Protocol):
    def cancel(self) -> None: ...


class Stop:
    def __init__(self) -> None:
        self._event = threading.Event()
        self._lock = threading.Lock()
        self._requested: str | None = None
        self._abort = False
        self._engine: Cancellable | None = None

    # ----- asking (any thread) -------------------------------------------------------------------
    def pause(self, *, abort: bool = False) -> None:
        """Stop at the next safe point and stay resumable; with `abort`, interrupt the step in progress."""
        self._ask(PAUSE, abort)

    def cancel(self) -> None:
        """Stop for good, interrupting the step in progress."""
        self._ask(CANCEL, True)

    def _ask(self, what: str, abort: bool) -> None:
        with self._lock:
            if self._requested != CANCEL:
                self._requested = what
            self._abort = self._abort or abort
            self._event.set()
            engine = self._engine if self._abort else None
        if engine is not None:
            engine.cancel()

    def reset(self) -> None:
        """Clear a pause, so the same token drives the resumed work. A cancel stays."""
        with self._lock:
            if self._requested == CANCEL:
                return
            self._requested, self._abort = None, False
            self._event.clear()

    # ----- checking (the work's thread) --------------------------------------------------------------
    @property
    def requested(self) -> str | None:
        """None, "pause" or "cancel"."""
        return self._requested

    @property
    def is_set(self) -> bool:
        return self._event.is_set()

    @property
    def cancelled(self) -> bool:
        return self._requested == CANCEL

    @property
    def abort(self) -> bool:
        """The step in progress is to be interrupted, not finished."""
        return self._abort

    def wait(self, timeout: float | None = None) -> bool:
        """Sleep up to `timeout` seconds, returning early (True) once a stop is asked."""
        return self._event.wait(timeout)

    @contextlib.contextmanager
    def interrupts(self, engine: Cancellable | None) -> Iterator[Stop]:
        """While inside, an abort cancels `engine` (at once when one was asked already). Nested uses
        restore the outer engine on the way out."""
        with self._lock:
            outer, self._engine = self._engine, engine
            cancel_now = engine is not None and self._abort
        if cancel_now:
            engine.cancel()
        try:
            yield self
        finally:
            with self._lock:
                self._engine = outer

    def __repr__(self) -> str:
        return f"Stop(requested={self._requested!r}, abort={self._abort})"
