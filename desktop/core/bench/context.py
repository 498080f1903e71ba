"""What every measurement shares: the model, the engine, the threads, how much work to do."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from desktop.core.engine.local import LocalEngine as Engine


@dataclass
class BenchConfig:
    model: str | None = None  # a registry id or a .gguf path; None: the user's default model
    quick: bool = False  # tiny token counts and one repetition: checks the benchmark, measures little
    repetitions: int = 3  # batch and window: the long ones
    short_repetitions: int = 5  # decode and prefix: short runs, more of them against the noise
    decode_tokens: int = 128
    batch_size: int = 8
    batch_tokens: int = 128
    history_rows: int = 100_000
    check_chars: int = 10_000
    progress: Callable[[str], None] = field(default=lambda message: print(message, file=sys.stderr))

    @classmethod
    def for_run(cls, model: str | None = None, quick: bool = False, progress=None) -> BenchConfig:
        config = cls(model=model, quick=quick)
        if quick:
            config.repetitions = 1
            config.short_repetitions = 1
            config.decode_tokens = 8
            config.batch_tokens = 8
            config.history_rows = 2_000
        if progress is not None:
            config.progress = progress
        return config


@dataclass
class Bench:
    config: BenchConfig
    engine: Engine

    @property
    def model_path(self) -> Path:
        return self.engine.model_path

    @property
    def n_threads(self) -> int:
        return self.engine.n_threads

    @property
    def n_ctx(self) -> int:
        return self.engine.n_ctx

    def say(self, message: str) -> None:
        self.config.progress(message)
