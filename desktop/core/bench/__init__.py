"""The benchmark behind `shopscribe bench`: every figure measured beside its reference, in the same
run, on the same model and threads, a few repetitions, medians (see docs/performance.md).

Groups (`only=`): decode, prefix, batch, window, memory, history, check, serve.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable

from desktop.core.bench.context import Bench, BenchConfig
from desktop.core.bench.stats import Figure, Target, figure, median, not_measured, ratio

GROUPS = ("decode", "prefix", "batch", "window", "memory", "history", "check", "serve")

__all__ = ["GROUPS", "Bench", "BenchConfig", "Figure", "Target", "figure", "median", "not_measured", "ratio",
           "run_bench"]


def run_bench(model: str | None = None, *, quick: bool = False, only: list[str] | None = None,
              threads: int | None = None, progress: Callable[[str], None] | None = None) -> dict:
    """{"machine": {...}, "figures": [figure JSON, ...]} for the selected groups (all by default)."""
    from desktop.core.bench import batch, decode, prefix, store_checks, window
    from desktop.core.bench.machine import machine_info
    from desktop.core.engine.options import resolve_options

    selected = [g for g in GROUPS if not only or g in only]
    config = BenchConfig.for_run(model=model, quick=quick, progress=progress)
    needs_engine = any(g in selected for g in ("decode", "prefix", "batch", "window", "memory", "serve"))
    engine = _local_engine(model, threads) if needs_engine else None
    try:
        if engine is None:
            options = resolve_options(model)
            model_id, model_path, n_threads = options["model_id"], options["model_path"], threads or 0
        else:
            model_id, model_path, n_threads = engine.model_id, engine.model_path, engine.n_threads
        bench = Bench(config, engine)
        figures: list[Figure] = []
        if "decode" in selected:
            figures += decode.measure(bench)
        if "prefix" in selected:
            figures += prefix.measure(bench)
        if "batch" in selected:
            figures += batch.measure(bench)
        if engine is not None:
            engine.close()  # the window processes load their own; keep this one's memory out of their way
            engine = None
            gc.collect()
        if "serve" in selected:
            from desktop.core.bench import serve

            figures += serve.measure(bench)
        window_groups = {g for g in ("window", "memory") if g in selected}
        if window_groups:
            figures += window.measure(bench, window_groups)
        if "history" in selected:
            figures += store_checks.measure_history(bench)
        if "check" in selected:
            figures += store_checks.measure_checks(bench)
    finally:
        if engine is not None:
            engine.close()
    info = machine_info(model_id, model_path, n_threads or (os.cpu_count() or 1))
    return {"machine": info, "figures": [f.as_json() for f in figures]}


def _local_engine(model: str | None, threads: int | None):
    """The benchmark measures llama.cpp in its own process, beside the references it runs there."""
    from desktop.core.engine.backends import ensure_cpu_backend
    from desktop.core.engine.local import LocalEngine
    from desktop.core.engine.options import resolve_options
    from desktop.core.engine.tuning import preset

    options = resolve_options(model, {"n_threads": threads})
    forced = dict(preset() or {})
    ensure_cpu_backend(forced.pop("cpu_variant", None))
    engine = LocalEngine(**{**options, **forced})
    engine.load()
    return engine
