"""Measuring the engine's settings on this computer without holding anyone up: a throwaway engine host
runs the measurements (desktop/core/engine/tuning.py) in an Op, while the window and the real engine
host carry on. The first time a model loads on a computer this runs by itself, in the engine's idle
time; the Models page can run it again at once."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QElapsedTimer, QObject, QTimer

from desktop.core.stop import Stop
from desktop.ui.workers import Op

IDLE_MS = 4000  # the engine must have been idle this long before the measuring starts
POLL_MS = 500
MAX_TRIES = 5  # interrupted by generations this often: give up for this session


def tune_in_background(ctx, parent: QObject, model: str, on_done: Callable | None = None,
                       on_error: Callable | None = None, stop: Stop | None = None) -> Op:
    """Measure `model` (a registry id or a .gguf path) for `parent` (whose lifetime bounds the answer);
    when the model is the one loaded and the engine is idle, it is loaded again so the faster settings
    apply at once. Without `on_error`, a failure is shown in a message box. `stop`: cancelling it ends
    the measuring at once (tuning.Interrupted reaches `on_error`)."""

    def work() -> dict:
        from desktop.core.engine.client import HostEngine

        return HostEngine(model).tune(stop=stop)

    def finished(record: dict) -> None:
        info = ctx.engine.model_info or {}
        before = (info.get("flash_attn"), info.get("n_threads"))
        changed = before != (record["flash_attn"], record["n_threads"])
        if changed and model in (info.get("model_id"), info.get("path")) and not ctx.engine.busy:
            ctx.engine.reload()
        if on_done is not None:
            on_done(record)

    op = Op(parent, work).on_success(finished)
    if on_error is not None:
        op.on_failure(on_error)
    return op.run()


class IdleTuner(QObject):
    """Measures a model's settings while the engine is idle. On two cores a measurement beside a
    generation slows the generation and measures the contention instead of the settings, so it starts
    only after IDLE_MS without a job, and a job that starts meanwhile stops it (its throwaway host is
    killed); it starts over after the next idle spell."""

    def __init__(self, ctx, parent: QObject, model: str, on_done: Callable | None = None,
                 on_error: Callable | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.model = ctx, model
        self.on_done, self.on_error = on_done, on_error
        self.tries = 0
        self.stop: Stop | None = None  # set while measuring
        self._idle = QElapsedTimer()
        self._idle.start()
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)
        self._timer.start()

    @property
    def measuring(self) -> bool:
        return self.stop is not None

    def _poll(self) -> None:
        from desktop.ui.engine_worker import READY

        idle = self.ctx.engine.state == READY and not self.ctx.engine.busy
        if not idle:
            self._idle.restart()
            if self.stop is not None and not self.stop.is_set:
                self.stop.cancel()  # a generation started: it has the cores
            return
        if self.stop is None and self._idle.elapsed() >= IDLE_MS:
            self.tries += 1
            self.stop = Stop()
            tune_in_background(self.ctx, self, self.model, on_done=self._done, on_error=self._failed,
                               stop=self.stop)

    def _done(self, record: dict) -> None:
        self._finish()
        if self.on_done is not None:
            self.on_done(record)

    def _failed(self, exc: BaseException) -> None:
        from desktop.core.engine.tuning import Interrupted

        self.stop = None
        self._idle.restart()
        if isinstance(exc, Interrupted) and self.tries < MAX_TRIES:
            return  # again after the next idle spell
        self._finish()
        if self.on_error is not None and not isinstance(exc, Interrupted):
            self.on_error(exc)

    def _finish(self) -> None:
        self.stop = None
        self._timer.stop()
        self.deleteLater()


def tune_after_first_load(ctx, parent: QObject, info: dict, on_done: Callable | None = None,
                          on_error: Callable | None = None) -> IdleTuner | None:
    """After a load: measure the model's settings, in the engine's idle time, if this computer never
    did (not where they are pre-filled: tests and the benchmark). Returns the tuner when it started."""
    from desktop.core.engine import tuning

    if info.get("remote") or info.get("tuned") is not None or tuning.preset() is not None:
        return None  # a remote server tunes itself
    if getattr(ctx, "tuning_started_for", None) == info.get("path"):
        return None
    ctx.tuning_started_for = info.get("path")
    return IdleTuner(ctx, parent, info["path"], on_done=on_done, on_error=on_error)
