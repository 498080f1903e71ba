"""Opening the engine the way the user configured it: which model, which context, threads and GPU layers.

The window's engine worker, the command line and batch jobs all start the engine through `open_engine`:
an engine host process (engine/client.py), so a crash in llama.cpp never takes them down.
"""

from __future__ import annotations

from pathlib import Path

from desktop.core.engine.client import HostEngine


def open_engine(model: str | Path | None = None, *, load: bool = True, **overrides) -> HostEngine:
    """The engine for `model` (a registry id, a .gguf path, or None for the default model), in its own
    process, loaded unless load=False. `overrides` are load options (n_ctx, n_threads, n_gpu_layers ...)."""
    engine = HostEngine(model, **overrides)
    if load:
        engine.load()
    return engine
