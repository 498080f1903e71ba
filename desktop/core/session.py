"""Opening the engine the way the user configured it: which model, which context, threads and GPU layers.

The GUI's engine worker, the CLI and the batch runner all start the engine through `open_engine`.
"""

from __future__ import annotations

from pathlib import Path

from desktop.core.engine import DEFAULT_N_CTX, Engine


def resolve_model(model: str | None = None) -> tuple[str, Path, dict]:
    """(model id, path, per-model settings) for an id, a path, or the user's default."""
    from desktop.core.models import registry

    if model and Path(model).suffix.lower() == ".gguf" and Path(model).exists():
        return Path(model).stem, Path(model), {}
    entry = registry.get_model(model) if model else registry.default_model()
    try:
        settings = registry.model_settings(entry.id)
    except Exception:  # settings are optional; a broken settings row must not stop generation
        settings = {}
    return entry.id, Path(entry.path), settings


def open_engine(model: str | None = None, *, load: bool = True, **overrides) -> Engine:
    """An Engine for `model` (id or path; the default model when None), loaded unless load=False."""
    model_id, path, settings = resolve_model(model)
    settings = {k: v for k, v in (settings or {}).items() if v is not None}
    settings.update({k: v for k, v in overrides.items() if v is not None})
    engine = Engine(
        path,
        model_id=model_id,
        n_ctx=int(settings.get("context_length") or settings.get("n_ctx") or DEFAULT_N_CTX),
        n_threads=settings.get("threads") or settings.get("n_threads"),
        n_gpu_layers=int(settings.get("gpu_layers") or settings.get("n_gpu_layers") or 0),
        chat_template=settings.get("chat_template"),
    )
    engine.notice = None
    if load:
        try:
            engine.load()
        except Exception as exc:
            if engine.n_gpu_layers <= 0:
                raise
            # GPU offload failed (no device, not enough VRAM, a CPU-only build): run on the CPU.
            engine.close()
            engine.n_gpu_layers = 0
            engine.load()
            engine.notice = f"GPU offload failed ({exc}); running on the CPU instead."
    return engine
