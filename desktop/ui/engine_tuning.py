"""Measuring the engine's settings on this computer without holding anyone up: a throwaway engine host
runs the measurements (desktop/core/engine/tuning.py) in an Op, while the window and the real engine
host carry on. The first time a model loads on a computer this runs by itself; the Models page can run
it again."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject

from desktop.ui.workers import Op


def tune_in_background(ctx, parent: QObject, model: str, on_done: Callable | None = None,
                       on_error: Callable | None = None) -> Op:
    """Measure `model` (a registry id or a .gguf path) for `parent` (whose lifetime bounds the answer);
    when the model is the one loaded and the engine is idle, it is loaded again so the faster settings
    apply at once. Without `on_error`, a failure is shown in a message box."""

    def work() -> dict:
        from desktop.core.engine.client import HostEngine

        return HostEngine(model).tune()

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


def tune_after_first_load(ctx, parent: QObject, info: dict, on_done: Callable | None = None,
                          on_error: Callable | None = None) -> bool:
    """After a load: measure the model's settings if this computer never did (not where they are
    pre-filled: tests and the benchmark). Returns whether it started."""
    from desktop.core.engine import tuning

    if info.get("remote") or info.get("tuned") is not None or tuning.preset() is not None:
        return False  # a remote server tunes itself
    if getattr(ctx, "tuning_started_for", None) == info.get("path"):
        return False
    ctx.tuning_started_for = info.get("path")
    tune_in_background(ctx, parent, info["path"], on_done=on_done, on_error=on_error)
    return True
