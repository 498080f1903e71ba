"""The decode references at their best on this machine, found in the same run.

llama.cpp's defaults are not best everywhere (flash attention sped decoding up on one CPU and slowed it
by a third on another), so a reference run at its defaults proves nothing about our engine. Each
reference (the C-API loop and llama-cpp-python's `Llama`) is measured at every candidate setting,
flash attention on and off times the thread counts worth trying, alternately, and the fastest
decode is the one our engine is held to.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from dataclasses import dataclass, field

from desktop.core.bench.stats import interleaved, median


def thread_candidates() -> list[int]:
    """One thread, the physical cores, all logical cores: on a busy 2-core machine one can win."""
    from desktop.core.engine.tuning import thread_candidates as engine_candidates

    return sorted({1, *engine_candidates()})


def settings_candidates() -> list[dict]:
    return [{"flash_attn": fa, "n_threads": n} for fa in ("on", "off") for n in thread_candidates()]


def same(a: dict, b: dict) -> bool:
    return a["flash_attn"] == b["flash_attn"] and int(a["n_threads"]) == int(b["n_threads"])


def differing(ours: dict, bests: list[dict]) -> list[dict]:
    """The references' fastest settings that are not ours, each once: the engine is also measured at
    these, so a note can tell the cost of a setting from the cost of the engine."""
    out: list[dict] = []
    for best in bests:
        if not same(best, ours) and not any(same(best, o) for o in out):
            out.append({"flash_attn": best["flash_attn"], "n_threads": int(best["n_threads"])})
    return out


def describe(settings: dict) -> str:
    return f"flash attention {settings['flash_attn']}, {settings['n_threads']} thread(s)"


@dataclass
class Sweep:
    """What each candidate setting decoded (tok/s, median of `runs`), and the fastest."""

    best: dict
    rates: list[tuple[dict, float]] = field(default_factory=list)

    def summary(self) -> str:
        return "; ".join(f"{describe(s)} {r:.1f}" for s, r in self.rates)


def sweep(make: Callable[[dict], object], rate: Callable[[object], float], candidates: list[dict],
          runs: int = 2, close: Callable[[object], None] | None = None) -> tuple[Sweep, object]:
    """Build a runner per candidate (`make(settings)`), measure `rate(runner)` `runs` times alternately,
    keep the fastest runner open and close the others; returns (the sweep, the fastest runner)."""
    runners = {i: make(c) for i, c in enumerate(candidates)}
    try:
        samples = interleaved({i: (lambda r=r: rate(r)) for i, r in runners.items()}, runs)
    except BaseException:
        for runner in runners.values():
            if close is not None:
                close(runner)
        raise
    rates = [(candidates[i], median(v)) for i, v in samples.items()]
    best_i = max(samples, key=lambda i: median(samples[i]))
    for i, runner in runners.items():
        if i != best_i and close is not None:
            close(runner)
    gc.collect()
    return Sweep(candidates[best_i], rates), runners[best_i]
