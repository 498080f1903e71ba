"""The engine's own thread: the one place the window drives the engine from.

The engine itself runs in an engine host process (desktop/core/engine/client.py): llama.cpp is never
loaded in the window's process, so a crash there is an error message, never a closed window.
`EngineWorker` lives in the GUI thread and is the only handle the UI has. Its dedicated thread takes
commands from a queue, in order: load or swap a model, run a generation. Which engine it opens is its
`open_engine` (the user's model in its host by default; the tests hand it a scripted fake).

`submit(work)` returns an `EngineJob`: the job's own signals (text, progress, event, finished, failed,
skipped, ended), so a page listens to its job and nobody else's. Every job carries a `Stop` token
(desktop/core/stop.py): `job.cancel()` from the GUI thread reaches the engine directly (the engine's
`cancel()` is its one thread-safe call) and takes effect within a token.

Tokens are not sent one signal each. The thread appends every event to an outbox; the GUI drains it
at most once per frame (~16 ms), merging consecutive text of a job into one `text`, so a fast model
never floods the event loop. Events keep their order: a job's text always arrives before its
`finished`.

A job is either a `GenerationRequest`, or a callable `work(engine, emit)` run on the engine thread.
`emit(event)` reports progress from inside it: `emit(TextDelta)` streams text (stream 0), an event with
`index` and `text` attributes (compose's `VariantDelta`) streams text of variant `index`, and anything
else arrives as `event`. `work` may instead return a generator of engine events. `finished` carries
its return value (for a request: the `Finished`). That is how compose renders, generates and saves
every variant in one job.
"""

from __future__ import annotations

import itertools
import logging
import queue
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QElapsedTimer, QObject, QThread, QTimer, Signal

from desktop.core.engine import Finished, GenerationRequest, TextDelta
from desktop.core.errors import ShopscribeError
from desktop.core.stop import Stop
from desktop.ui.errors import error_message

if TYPE_CHECKING:
    from desktop.core.engine import Engine

log = logging.getLogger(__name__)

FRAME_MS = 16

# Engine states, as shown in the status bar.
UNLOADED, LOADING, READY, GENERATING, FAILED = "unloaded", "loading", "ready", "generating", "failed"


class EngineJob(QObject):
    """One job on the engine thread, as the page that submitted it sees it. Its signals arrive on the GUI
    thread, batched per frame, and only while the job's `parent` (when given) still exists."""

    started = Signal()
    text = Signal(int, str)  # stream (variant index), text since the last frame
    progress = Signal(int, float)  # pieces so far, pieces per second
    event = Signal(object)  # any other event the work emitted
    finished = Signal(object)  # Finished, or the work's return value
    failed = Signal(str)  # what went wrong, in the UI language
    skipped = Signal()  # stopped before it started
    ended = Signal()  # last, after finished, failed or skipped

    def __init__(self, job_id: int, work: GenerationRequest | Callable, stop: Stop,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.id, self.work, self.stop = job_id, work, stop
        self.is_done = False

    def cancel(self) -> None:
        """Stop this job: skipped if it has not started, interrupted within a token if it runs."""
        self.stop.cancel()


def open_engine_for(model: str | Path | None, overrides: dict) -> Engine:
    """The engine the user configured: the server chosen in Settings > Engines, else the model (registry
    and per-model settings) in its host process on this computer."""
    from desktop.core.engine import servers
    from desktop.core.session import open_engine

    active = servers.active_server()
    if active is not None:
        return servers.open_remotes([active])
    return open_engine(str(model) if model is not None else None, **overrides)


EngineOpener = Callable[[str | Path | None, dict], "Engine"]


class EngineWorker(QObject):
    stateChanged = Signal(str)
    modelLoaded = Signal(object)  # dict: model_id, path, seconds, n_ctx, n_threads, n_gpu_layers
    loadFailed = Signal(str)
    generationRate = Signal(float)  # pieces per second of the job running now (the status bar)
    _wake = Signal()

    def __init__(self, parent: QObject | None = None, open_engine: EngineOpener | None = None) -> None:
        super().__init__(parent)
        self._open_engine = open_engine or open_engine_for
        self._queue: queue.Queue = queue.Queue()
        self._outbox: list[tuple] = []
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._jobs: dict[int, EngineJob] = {}
        self._engine: Engine | None = None
        self._state = UNLOADED
        self.model_info: dict | None = None
        self._since_flush = QElapsedTimer()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.flush)
        self._wake.connect(self._on_wake)
        self._thread = _EngineThread(self)
        self._thread.start()
        app = QCoreApplication.instance()
        if app is not None:  # never leave the thread running into interpreter shutdown
            app.aboutToQuit.connect(self.shutdown)

    # ----- GUI-thread API ------------------------------------------------------------------------
    @property
    def state(self) -> str:
        return self._state

    @property
    def busy(self) -> bool:
        return bool(self._jobs)

    def load(self, model: str | Path | None = None, **overrides: Any) -> None:
        """Load (or swap to) a model in the background: an id, a .gguf path, or None for the user's
        default. `overrides` are Engine options (n_ctx, n_threads, n_gpu_layers). `modelLoaded` or
        `loadFailed` follows."""
        self._set_state(LOADING)
        self._last_load = (model, overrides)
        self._queue.put(("load", (model, overrides)))

    def reload(self) -> None:
        """Load the current model again (new settings apply: a reset safe mode, measured settings)."""
        model, overrides = getattr(self, "_last_load", (None, {}))
        self.load(model, **overrides)

    def submit(self, work: GenerationRequest | Callable[[Engine, Callable], Any], *, stop: Stop | None = None,
               parent: QObject | None = None) -> EngineJob:
        """Queue a generation; jobs run one at a time, in order. `stop`: the token the work itself
        watches (a batch job's), when it has one; `parent`: the object whose lifetime bounds the answers.
        Connect the job's signals before control returns to the event loop."""
        job = EngineJob(next(self._ids), work, stop or Stop(), parent)
        self._jobs[job.id] = job
        self._queue.put(("job", job))
        return job

    def stop_all(self) -> None:
        """Interrupt every queued and running job (closing the window): a batch job pauses, to be
        resumed later; any other job ends as if stopped. Takes effect within a token."""
        for job in list(self._jobs.values()):
            job.stop.pause(abort=True)

    def shutdown(self, timeout_ms: int = 10_000) -> None:
        """Stop every job, stop the thread (closing the model). Safe to call twice."""
        if not self._thread.isRunning():
            return
        self.stop_all()
        self._queue.put(("stop", None))
        self._thread.wait(timeout_ms)
        self.flush()

    # ----- outbox: thread -> GUI, batched per frame -------------------------------------------------
    def _post(self, *entry: Any) -> None:
        self._post_all(entry)

    def _post_all(self, *entries: tuple) -> None:
        """Entries that must reach the GUI in one flush (a load's outcome with its state: whoever
        reacts to the one finds the other already delivered)."""
        with self._lock:
            was_empty = not self._outbox
            self._outbox.extend(entries)
        if was_empty:
            self._wake.emit()

    def _on_wake(self) -> None:
        if self._timer.isActive():
            return
        elapsed = self._since_flush.elapsed() if self._since_flush.isValid() else FRAME_MS
        if elapsed >= FRAME_MS:
            self.flush()
        else:
            self._timer.start(FRAME_MS - elapsed)

    def flush(self) -> None:
        """Deliver everything the thread has posted (merging text per job and stream)."""
        with self._lock:
            entries, self._outbox = self._outbox, []
        self._since_flush.start()
        merged: list[list] = []
        for entry in entries:
            last = merged[-1] if merged else None
            if (entry[0] == "text" and last and last[0] == "text"
                    and last[1] is entry[1] and last[2] == entry[2]):  # same job, same stream
                last[3] += entry[3]
                last[4:] = entry[4:]
            else:
                merged.append(list(entry))
        for kind, *args in merged:
            self._deliver(kind, args)

    def _deliver(self, kind: str, args: list) -> None:
        if kind == "state":
            self._set_state(args[0])
        elif kind == "loaded":
            self.model_info = args[0]
            self.modelLoaded.emit(args[0])
        elif kind == "load_failed":
            self.loadFailed.emit(error_message(args[0]))
        else:
            job: EngineJob = args[0]
            if kind in ("finished", "failed", "skipped"):
                self._jobs.pop(job.id, None)
            if kind == "text":
                self.generationRate.emit(args[4])
            if not shiboken6.isValid(job):  # its parent is gone: nobody is left to tell
                return
            if kind == "text":
                _job, stream, text, pieces, rate = args
                job.text.emit(stream, text)
                job.progress.emit(pieces, rate)
            elif kind == "event":
                job.event.emit(args[1])
            elif kind == "started":
                job.started.emit()
            else:
                job.is_done = True
                if kind == "finished":
                    job.finished.emit(args[1])
                elif kind == "failed":
                    job.failed.emit(args[1] if isinstance(args[1], str) else error_message(args[1]))
                else:
                    job.skipped.emit()
                job.ended.emit()
                job.setParent(None)  # every answer is delivered: it lives as long as someone holds it

    def _set_state(self, state: str) -> None:
        if state != self._state:
            self._state = state
            self.stateChanged.emit(state)

    # ----- the engine thread ------------------------------------------------------------------------
    def _serve(self) -> None:
        try:
            while True:
                kind, payload = self._queue.get()
                if kind == "stop":
                    return
                if kind == "load":
                    self._do_load(payload)
                else:
                    self._do_job(payload)
        finally:
            if self._engine is not None:
                self._engine.close()
                self._engine = None

    def _do_load(self, request: tuple) -> None:
        model, overrides = request
        self._post("state", LOADING)
        if self._engine is not None:
            self._engine.close()
            self._engine = None
        try:
            engine = self._open_engine(model, overrides)
        except Exception as exc:  # noqa: BLE001 - the UI shows it; nothing may escape this thread
            if not isinstance(exc, ShopscribeError):
                log.exception("model load failed")
            self._post_all(("state", FAILED), ("load_failed", exc))
            return
        self._engine = engine
        self._post_all(("loaded", engine.info()), ("state", READY))  # model_info first: the state reads it

    def _do_job(self, job: EngineJob) -> None:
        if job.stop.is_set:
            self._post("skipped", job)
            return
        if self._engine is None:
            self._post("failed", job, self.tr("No model is loaded. Choose a model on the Models page."))
            return
        if not self._engine.loaded:  # the engine host stopped (a crash): start a new one first
            self._post("state", LOADING)
            try:
                self._engine.load()
            except Exception as exc:  # noqa: BLE001
                self._post_all(("state", FAILED), ("failed", job, exc))
                return
            self._post("loaded", self._engine.info())
        self._post("state", GENERATING)
        self._post("started", job)
        try:
            with job.stop.interrupts(self._engine):
                outcome: tuple = ("finished", job, self._run(job))
        except Exception as exc:  # noqa: BLE001
            if not isinstance(exc, ShopscribeError):
                log.exception("generation failed")
            outcome = ("failed", job, exc)
        self._post_all(("state", READY), outcome)  # the state first: whoever reacts finds the engine free

    def _run(self, job: EngineJob) -> Any:
        engine = self._engine
        meter = _Meter()

        def emit(event: Any) -> None:
            if job.stop.abort:
                engine.cancel()  # again: a cancel that raced the start of a stream() was cleared
            if isinstance(event, TextDelta):
                self._post("text", job, 0, event.text, *meter.tick())
            elif _variant_text(event):
                self._post("text", job, event.index, event.text, *meter.tick(event.index))
            elif not isinstance(event, Finished):
                self._post("event", job, event)

        if isinstance(job.work, GenerationRequest):
            events = engine.stream(job.work)
        else:
            events = job.work(engine, emit)
            if not hasattr(events, "__next__"):
                return events
        last_finished = None
        try:
            while True:
                try:
                    event = next(events)
                except StopIteration as stop:
                    return stop.value if stop.value is not None else last_finished
                if isinstance(event, Finished):
                    last_finished = event
                emit(event)
        finally:
            events.close()


def _variant_text(event: Any) -> bool:
    """Text of variant `index` (compose's VariantDelta, a batch item's ItemText)."""
    return isinstance(getattr(event, "text", None), str) and isinstance(getattr(event, "index", None), int)


class _Meter:
    """Pieces of text per second for the status bar, per stream (a new variant starts a new count)."""

    def __init__(self) -> None:
        self.stream, self.pieces, self.t_first = None, 0, 0.0

    def tick(self, stream: int = 0) -> tuple[int, float]:
        now = time.perf_counter()
        if stream != self.stream:
            self.stream, self.pieces, self.t_first = stream, 0, now
        self.pieces += 1
        elapsed = now - self.t_first
        return self.pieces, (self.pieces - 1) / elapsed if elapsed > 0 else 0.0


class _EngineThread(QThread):
    def __init__(self, owner: EngineWorker) -> None:
        super().__init__()
        self.setObjectName("shopscribe-engine")
        self._owner = owner

    def run(self) -> None:
        self._owner._serve()
