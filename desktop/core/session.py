"""Opening the engine the way the user configured it: which model, which context, threads and GPU layers.

The GUI's engine worker, the CLI and the batch runner all start the engine through `open_engine`.
"""

from __future__ import annotations

from pathlib import Path

from desktop.core.engine import Engine


def engine_options(model: str | None = None) -> dict:
    """Engine keyword arguments for a registry id, a .gguf path, or (None) the user's default model."""
    from desktop.core.models import registry

    if model and Path(model).suffix.lower() == ".gguf" and Path(model).exists():
        return {"model_path": Path(model), "model_id": Path(model).stem}
    return registry.engine_options(model)


def open_engine(model: str | None = None, *, load: bool = True, **overrides) -> Engine:
    """An Engine for `model` (the default model when None), loaded unless load=False.

    When GPU offload fails to load, the model is loaded on the CPU and `engine.notice` says why."""
    options = engine_options(model)
    options.update({k: v for k, v in overrides.items() if v is not None})
    options = {k: v for k, v in options.items() if v is not None}
    engine = Engine(**options)
    engine.notice = None
    if not load:
        return engine
    try:
        engine.load()
    except Exception as exc:
        if engine.n_gpu_layers == 0:
            raise
        engine.close()
        engine.n_gpu_layers = 0
        engine.load()
        engine.notice = f"GPU offload failed ({exc}); running on the CPU instead."
    return engine
