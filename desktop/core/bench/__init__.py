"""The benchmark behind `shopscribe bench`: every figure measured beside its reference, in the same
run, a few repetitions, medians (see docs/performance.md). Figures about what merchants get run through
the engine host (`HostEngine`, the engine the window and the command line use), with the settings the
app uses on this machine; llama.cpp references run in this process, where that is their point.

Groups (`only=`) are registered in order; another module adds its own with `register()`. A group that
needs the engine gets `bench.engine`.
"""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Callable
from dataclasses import dataclass

from desktop.core.bench.context import Bench, BenchConfig
from desktop.core.bench.stats import Figure, Target, figure, median, not_measured, ratio

__all__ = ["GROUPS", "Bench", "BenchConfig", "Figure", "Group", "Target", "figure", "groups", "median",
           "not_measured", "ratio", "register", "run_bench"]


@dataclass(frozen=True)
class Group:
    name: str
    measure: Callable[[Bench], list[Figure]]
    needs: str  # "engine": the engine host on the benchmarked model; "settings": only how it is set up; ""
    about: str


_GROUPS: dict[str, Group] = {}


def register(name: str, measure: Callable[[Bench], list[Figure]], *, needs: str = "", about: str) -> None:
    """Add a group of figures (run in the order registered). `needs`: "engine" for `bench.engine` (the
    engine host, loaded), "settings" for `bench.settings` only (the engine is closed by then)."""
    if needs not in ("engine", "settings", ""):
        raise ValueError(f"needs must be 'engine', 'settings' or '', not {needs!r}")
    _GROUPS[name] = Group(name, measure, needs, about)


def groups() -> dict[str, Group]:
    return dict(_GROUPS)


def _decode(bench: Bench) -> list[Figure]:
    from desktop.core.bench import decode

    return decode.measure(bench)


def _grammar(bench: Bench) -> list[Figure]:
    from desktop.core.bench import grammar

    return grammar.measure(bench)


def _prefix(bench: Bench) -> list[Figure]:
    from desktop.core.bench import prefix

    return prefix.measure(bench)


def _laptop(bench: Bench) -> list[Figure]:
    from desktop.core.bench import laptop

    return laptop.measure(bench)


def _serve(bench: Bench) -> list[Figure]:
    from desktop.core.bench import serve

    return serve.measure(bench)


def _quality(bench: Bench) -> list[Figure]:
    from desktop.core.bench import quality

    return quality.measure(bench)


def _window(bench: Bench) -> list[Figure]:
    from desktop.core.bench import window

    return window.measure_window(bench)


def _memory(bench: Bench) -> list[Figure]:
    from desktop.core.bench import window

    return window.measure_memory(bench)


def _history(bench: Bench) -> list[Figure]:
    from desktop.core.bench import store_checks

    return store_checks.measure_history(bench)


def _check(bench: Bench) -> list[Figure]:
    from desktop.core.bench import store_checks

    return store_checks.measure_checks(bench)


register("decode", _decode, needs="engine",
         about="decode through the engine host vs the C-API loop and Llama at their best; host TTFT overhead")
register("grammar", _grammar, needs="engine",
         about="a structured template through the grammar vs plain decode")
register("prefix", _prefix, needs="engine", about="time to first token with the template's prefix reused")
register("serve", _serve, needs="engine",
         about="shopscribe serve through the openai client vs the engine host it serves")
register("quality", _quality, needs="engine",
         about="coverage, language, repetition, unsupported facts, score: guards off vs on, best-of 1 and 4")
register("window", _window, needs="settings", about="window start and GUI stalls while streaming")
register("memory", _memory, needs="settings", about="memory beyond the model, window and engine host")
register("history", _history, about="what the History page fetches for a search")
register("check", _check, about="a compliance check of 10,000 characters")


# the longest (minutes of a 1.5B-shaped model on a CPU): last, so an interrupted run keeps the rest
register("laptop", _laptop,
         about="catalog batches, prompt speed and memory on a synthetic laptop-class model")

GROUPS = tuple(_GROUPS)  # the built-in groups; groups() includes any registered later


def run_bench(model: str | None = None, *, quick: bool = False, only: list[str] | None = None,
              threads: int | None = None, progress: Callable[[str], None] | None = None,
              repetitions: int | None = None) -> dict:
    """{"machine": {...}, "engine": {...}, "figures": [figure JSON, ...]} for the selected groups (all by
    default). Interrupted (KeyboardInterrupt), it returns what it measured, with "interrupted" saying
    where."""
    from desktop.core.bench.machine import machine_info
    from desktop.core.engine.options import resolve_options

    selected = [g for g in groups().values() if not only or g.name in only]
    config = BenchConfig.for_run(model=model, quick=quick, progress=progress)
    if repetitions:
        config.repetitions = repetitions
    bench = Bench(config)
    load_start = _load()
    last_live = max((i for i, g in enumerate(selected) if g.needs == "engine"), default=-1)
    figures: list[Figure] = []
    timeline: list[dict] = []  # how long each group took, and the load average after it (a shared machine)
    interrupted = None
    try:
        for i, group in enumerate(selected):
            if group.needs and not bench.settings:
                bench.engine, bench.settings = open_engine(bench, model, threads)
            if bench.engine is not None and i > last_live:
                bench.engine.close()  # what follows loads its own models: keep this one out of their way
                bench.engine = None
                gc.collect()
            t0 = time.perf_counter()
            try:
                figures += group.measure(bench)
            except KeyboardInterrupt:  # Ctrl-C or SIGTERM: report what was measured before this group
                interrupted = group.name
                break
            timeline.append({"group": group.name, "seconds": round(time.perf_counter() - t0, 1),
                             "load": _load()})
    finally:
        if bench.engine is not None:
            bench.engine.close()
    options = resolve_options(model)
    n_threads = bench.settings.get("n_threads") or threads or (os.cpu_count() or 1)
    info = machine_info(options["model_id"], options["model_path"], n_threads)
    info["load_average_start"], info["load_average"] = load_start, _load()
    info["groups"] = timeline
    report = {"machine": info, "engine": bench.settings, "figures": [f.as_json() for f in figures]}
    if interrupted:
        report["interrupted"] = (
            f"stopped during {interrupted}: its figures and those after it were not measured"
        )
    return report


def open_engine(bench: Bench, model: str | None, threads: int | None):
    """The engine host on the benchmarked model, set up as the app sets it up on this machine: the
    settings measured for it (measured now, in a throwaway host, as on a first load), unless the
    environment pre-fills them (tests) or this is a quick run (then whatever is remembered)."""
    from desktop.core.bench.references import describe
    from desktop.core.engine import tuning
    from desktop.core.engine.client import HostEngine

    engine = HostEngine(model, **({"n_threads": threads} if threads else {}))
    if tuning.preset() is not None:
        how = f"pre-filled by {tuning.ENV}"
    elif bench.config.quick:
        how = (
            "remembered" if tuning.load(engine.model_sha256) else "llama.cpp defaults (quick run: not tuned)"
        )
    else:
        bench.say("engine: measuring flash attention and threads in a throwaway host, as on a first load")
        engine.tune()
        how = "tuned in this run"
    engine.load()
    info = engine.info()
    settings = {"flash_attn": info.get("flash_attn"), "n_threads": info.get("n_threads"),
                "n_ctx": info.get("n_ctx"),
                "how": how, "tuning": (info.get("tuned") or {}).get("measurements")}
    settings["describe"] = f"{describe(settings)} ({how})"
    # what a window started by the benchmark is given (SHOPSCRIBE_ENGINE_SETTINGS), safe-mode steps included
    settings["preset"] = {k: info[k] for k in ("flash_attn", "n_threads", "use_extra_bufts", "n_gpu_layers")
                          if info.get(k) is not None}
    if info.get("cpu_variant"):
        settings["preset"]["cpu_variant"] = info["cpu_variant"]
    return engine, settings


def _load() -> list[float] | None:
    return [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None
