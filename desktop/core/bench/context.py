"""What every measurement shares: the model, the engine, the threads, how much work to do."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop.core.bench.synthetic import LAPTOP, TINY, Shape


@dataclass
class BenchConfig:
    model: str | None = None  # a registry id or a .gguf path; None: the user's default model
    quick: bool = False  # tiny token counts and one repetition: checks the benchmark, measures little
    repetitions: int = 3  # the long ones: laptop batches, windows
    short_repetitions: int = 5  # decode, grammar, prefix, TTFT: short runs, more of them against the noise
    sweep_runs: int = 2  # runs of each reference setting while looking for the fastest
    sweep_tokens: int = 32  # enough to rank the settings; the figures themselves decode 128
    decode_tokens: int = 128
    grammar_tokens: int = 256  # the grammar run ends where its JSON does, at most this
    laptop_shape: Shape = LAPTOP
    laptop_tokens: int = 150  # what a product description writes
    catalog_size: int = 8
    catalog_products: int = 1000
    history_rows: int = 100_000
    check_chars: int = 10_000
    window_tokens: int = 256
    # the window at the app's thread count (other counts: `repetitions`): a probe's figure is its longest
    # gap, so one pause of the machine makes an outlier; the median of five outlasts two of them
    window_probes: int = 5
    progress: Callable[[str], None] = field(default=lambda message: print(message, file=sys.stderr))

    @classmethod
    def for_run(cls, model: str | None = None, quick: bool = False, progress=None) -> BenchConfig:
        config = cls(model=model, quick=quick)
        if quick:
            config.repetitions = 1
            config.short_repetitions = 1
            config.window_probes = 1
            config.sweep_runs = 1
            config.sweep_tokens = 4
            config.decode_tokens = 8
            config.grammar_tokens = 24
            config.laptop_shape = TINY
            config.laptop_tokens = 8
            config.history_rows = 2_000
            config.window_tokens = 32
        if progress is not None:
            config.progress = progress
        return config


@dataclass
class Bench:
    """`engine`: what merchants run (an engine host behind `HostEngine`), or None for the groups that
    need no model. `settings`: how the engine was set up and why (tuned, pre-filled)."""

    config: BenchConfig
    engine: Any = None
    settings: dict = field(default_factory=dict)
    shared: dict = field(default_factory=dict)  # a measurement that feeds two groups (window, memory), once

    @property
    def model_path(self) -> Path:
        return Path(self.engine.model_path)

    @property
    def n_threads(self) -> int:
        return int(self.engine.n_threads)

    @property
    def n_ctx(self) -> int:
        return int(self.engine.n_ctx)

    @property
    def n_batch(self) -> int:
        return int(getattr(self.engine, "n_batch", 512))

    @property
    def flash_attn(self) -> str:
        return str(self.engine.info().get("flash_attn", "auto"))

    def say(self, message: str) -> None:
        self.config.progress(message)
