"""What keeps the window and the engine host small: no numpy in the window, no source lines kept for
PySide6's import hook, the host's freed heap given back, small micro-batches on a CPU.

The memory these save is measured by `shopscribe bench --only memory`, not here: these tests check that
each mechanism works and changes nothing else."""

from __future__ import annotations

import ctypes
import importlib.util
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _run(code: str, **env) -> dict:
    """Run `code` in a fresh interpreter (imports are per process) and return the JSON it prints."""
    proc = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, env={**_base_env(), **env})
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _base_env() -> dict:
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen"}


def test_the_window_and_the_store_load_without_numpy_which_still_imports_afterwards():
    assert importlib.util.find_spec("numpy") is not None  # installed (llama-cpp-python needs it)
    out = _run("""
        import json, sys
        import desktop.ui.app
        from desktop.core.store import open_db
        db = open_db()
        db["probe"].insert({"n": 1})  # sqlite-utils works without numpy's types
        before = "numpy" in sys.modules
        import numpy  # hidden only while sqlite-utils loaded
        print(json.dumps({"before": before, "after": "numpy" in sys.modules,
                          "rows": db["probe"].count}))
    """)
    assert out == {"before": False, "after": True, "rows": 1}


def test_only_the_store_module_imports_sqlite_utils():
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "desktop").rglob("*.py")
        if path.name != "sqlite.py"
        and any(line.startswith(("import sqlite_utils", "from sqlite_utils"))
                for line in path.read_text(encoding="utf-8").splitlines())
    ]
    assert offenders == []  # each would be a way for sqlite-utils to load numpy in the window


def test_pyside_keeps_no_source_lines_and_its_feature_answer_is_unchanged(tmp_path):
    (tmp_path / "uses_qt.py").write_text("import PySide6.QtCore\nX = 1\n", encoding="utf-8")
    (tmp_path / "plain_module.py").write_text("Y = 2\n", encoding="utf-8")
    out = _run("""
        import json, linecache, sys
        import desktop.ui
        import uses_qt, plain_module
        feature = sys.modules["PySide6.support.feature"]
        print(json.dumps({
            "cached": sorted(name for name in linecache.cache if "uses_qt" in name or "plain_module" in name),
            "uses_qt": feature.pyside_feature_dict.get("uses_qt"),
            "plain": feature.pyside_feature_dict.get("plain_module"),
        }))
    """, PYTHONPATH=f"{tmp_path}:{ROOT}")
    # shiboken's own answers: 0 for a module that uses PySide6, -1 ("ignore") for one that does not
    assert out == {"cached": [], "uses_qt": 0, "plain": -1}


def _glibc():
    try:
        libc = ctypes.CDLL(None)
        libc.malloc_trim  # noqa: B018 - glibc has it, musl and others do not
        libc.gnu_get_libc_version  # noqa: B018
    except (OSError, AttributeError):
        return None
    return libc


@pytest.mark.skipif(not sys.platform.startswith("linux") or _glibc() is None, reason="glibc only")
def test_the_hosts_freed_heap_goes_back_to_the_system():
    import psutil

    from desktop.core.engine.host import give_back_freed_memory

    libc = _glibc()
    libc.malloc.restype = ctypes.c_void_p
    libc.malloc.argtypes = [ctypes.c_size_t]
    libc.free.argtypes = [ctypes.c_void_p]
    block, count = 64 * 1024, 800  # 50 MB of blocks below the mmap threshold: they come from the heap
    blocks = [libc.malloc(block) for _ in range(count)]
    for address in blocks:
        ctypes.memset(address, 1, block)  # resident now
    pin = libc.malloc(block)  # from the heap's top, after the blocks: free() alone cannot shrink it
    for address in blocks:
        libc.free(address)
    held = psutil.Process().memory_info().rss
    give_back_freed_memory()
    after = psutil.Process().memory_info().rss
    libc.free(pin)
    assert held - after > 0.5 * block * count


def test_a_cpu_engine_reads_prompts_in_small_micro_batches_and_a_gpu_in_whole_batches():
    from desktop.core.engine.local import CPU_UBATCH, LocalEngine

    cpu = LocalEngine("unused.gguf", n_batch=512)
    gpu = LocalEngine("unused.gguf", n_batch=512, n_gpu_layers=99)
    small = LocalEngine("unused.gguf", n_batch=64)
    assert (cpu.n_ubatch, gpu.n_ubatch, small.n_ubatch) == (CPU_UBATCH, 512, 64)


@pytest.mark.model
def test_the_loaded_context_uses_the_cpu_micro_batch(local_engine):
    import llama_cpp

    from desktop.core.engine.local import CPU_UBATCH

    assert local_engine.info()["n_ubatch"] == CPU_UBATCH

    assert llama_cpp.llama_n_ubatch(local_engine._ctx.ctx) == CPU_UBATCH


def test_the_host_gives_memory_back_once_each_time_it_goes_idle(monkeypatch):
    import queue
    import threading

    from desktop.core.engine import host as host_module

    idle = queue.Queue()
    monkeypatch.setattr(host_module, "give_back_freed_memory", lambda: idle.put("trimmed"))

    class Wire:  # the host's replies, without a pipe
        def __init__(self):
            self.sent = queue.Queue()

        def send(self, *message):
            self.sent.put(message)

    wire = Wire()
    host = host_module.Host(wire)
    worker = threading.Thread(target=host._work, daemon=True)
    worker.start()
    try:
        assert idle.empty()  # nothing done yet: nothing to give back
        host.work.put(("call", 1, "stats", ()))
        assert wire.sent.get(timeout=30)[:2] == ("result", 1)
        assert idle.get(timeout=30) == "trimmed"
        host.work.put(("call", 2, "stats", ()))
        assert wire.sent.get(timeout=30)[:2] == ("result", 2)
        assert idle.get(timeout=30) == "trimmed"
        assert idle.empty()  # once per idle spell, not in a loop
    finally:
        host.work.put(None)
        worker.join(timeout=30)
    assert not worker.is_alive()
