"""Opening the engine the way the user configured it: which model, which context, threads and GPU layers,
or which remote server.

The window's engine worker, the command line and batch jobs all start the engine through `open_engine`:
an engine host process (engine/client.py), so a crash in llama.cpp never takes them down; or, with
`engine` (or SHOPSCRIBE_ENGINE), an OpenAI-compatible server (engine/remote.py).
"""

from __future__ import annotations

from pathlib import Path


def open_engine(model: str | Path | None = None, *, load: bool = True, engine: str | None = None,
                engine_key: str | None = None, **overrides):
    """The engine for `model` (a registry id, a .gguf path, or None for the default model), in its own
    process, loaded unless load=False. `overrides` are load options (n_ctx, n_threads, n_gpu_layers ...).

    With `engine` (a URL or a saved server's name; else SHOPSCRIBE_ENGINE), a remote engine instead:
    `model` then names the server's model (default: its first). Several, separated by commas, make a
    pool: a batch fans out over all of them."""
    from desktop.core.engine import servers

    remote = servers.resolve_all(engine, engine_key, str(model) if model is not None else None)
    if remote:
        return servers.open_remotes(remote, load=load)
    from desktop.core.engine.client import HostEngine

    host = HostEngine(model, **overrides)
    if load:
        host.load()
    return host
