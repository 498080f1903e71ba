"""`shopscribe selftest`: the smallest proof that this install works (also run on the frozen build).

Loads the default model, generates a few tokens, writes and reads the database, opens and closes the
window offscreen. Exit 0 when all is well, 1 with the failing step named otherwise.
"""

from __future__ import annotations

import os
import sys
import time

import click

from desktop.cli import main


def _step(name: str, func) -> bool:
    start = time.perf_counter()
    try:
        detail = func()
    except Exception as exc:  # a self-test reports every failure, whatever its type
        click.echo(f"FAIL {name}: {type(exc).__name__}: {exc}", err=True)
        return False
    click.echo(f"ok   {name} ({time.perf_counter() - start:.2f} s){': ' + detail if detail else ''}")
    return True


def _generate() -> str:
    from desktop.core.engine import GenerationRequest
    from desktop.core.session import open_engine

    engine = open_engine()
    try:
        final = engine.generate(
            GenerationRequest(messages=[{"role": "user", "content": "Say hello to a shop owner."}],
                              max_tokens=8, seed=1)
        )
        info = engine.info()
    finally:
        engine.close()
    if final.completion_tokens == 0:
        raise RuntimeError("the model generated no tokens")
    variant = info.get("cpu_variant")
    cpu = f"llama.cpp {info['llama_cpp']} CPU variant {variant}," if variant else \
        f"llama.cpp {info['llama_cpp']} CPU backend built in,"
    gpu = f" {info.get('n_gpu_layers')} layers on the GPU," if info.get("n_gpu_layers") else ""
    settings = (f"engine host pid {info['host_pid']}, {cpu}{gpu} {info['n_threads']} threads, "
                f"flash attention {info['flash_attn']}, weight repacking "
                f"{'on' if info['use_extra_bufts'] else 'off'}, {info['safe_mode'] or 'no safe mode'}")
    return (f"{engine.model_path.name}, {final.completion_tokens} tokens at {final.tokens_per_s:.0f} tok/s; "
            f"{settings}")


def _database() -> str:
    from desktop.core.paths import database_path
    from desktop.core.store.db import open_db

    db = open_db()
    result = db.execute("PRAGMA integrity_check").fetchone()[0]
    if result != "ok":
        raise RuntimeError(f"integrity check: {result}")
    return str(database_path())


def _window() -> str:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from desktop.ui.app import selftest_window

    if not selftest_window(timeout_s=120):
        raise RuntimeError("the window did not load the model and generate in time")
    return "opened, generated, closed"


@main.command()
@click.option("--no-window", is_flag=True,
              help="Skip the window check (for machines without Qt platform plugins).")
def selftest(no_window: bool) -> None:
    """Check this install: model, generation, database and window."""
    steps = [("generate with the default model", _generate), ("open the database", _database)]
    if not no_window:
        steps.append(("open and close the window", _window))
    ok = all([_step(name, func) for name, func in steps])
    click.echo("selftest passed" if ok else "selftest FAILED", err=not ok)
    sys.exit(0 if ok else 1)
