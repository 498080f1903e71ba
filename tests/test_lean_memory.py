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


@pytest.mark.skipif(not sys.platform.startswith("linux") or _glibc() is None, reason="glibc on Linux only")
def test_only_the_logged_cache_buffer_is_released_and_every_byte_reads_as_before():
    # Buffers allocated as ggml allocates them (posix_memalign, 64): one whose size llama.cpp's log
    # names as the KV cache, one it does not (say, the compute buffer). A fresh interpreter, so that
    # its memory is all its own.
    out = _run("""
        import ctypes, json, mmap
        import psutil
        from desktop.core.engine import cleared_kv

        libc = ctypes.CDLL(None)
        libc.posix_memalign.argtypes = [ctypes.POINTER(ctypes.c_void_p), ctypes.c_size_t, ctypes.c_size_t]
        page, mib = mmap.PAGESIZE, 1024 * 1024
        def allocate(size):
            address = ctypes.c_void_p()
            assert libc.posix_memalign(ctypes.byref(address), 64, size) == 0
            ctypes.memset(address.value, 0, size)  # resident zeros, as llama.cpp's clear leaves them
            return address.value
        before = cleared_kv.mapped_ranges()
        other = allocate(24 * mib)
        cache = allocate(32 * mib)
        ctypes.memset(other + 5 * page, 7, 10)  # not every page of the other buffer is zero
        marks = {3: b"kv cells", 4000: b"\\x01", 32 * mib // page - 2: b"last page"}
        for index, data in marks.items():
            ctypes.memmove(cache + index * page + 100, data, len(data))
        resident = psutil.Process().memory_info().rss
        log = ["llama_context:        CPU  output buffer size =     1.50 MiB",
               "llama_kv_cache:        CPU KV buffer size =    32.00 MiB",
               "llama_kv_cache: size =   32.00 MiB (  4096 cells, ...)"]
        released = cleared_kv.release_cleared_kv(before, log)
        dropped = resident - psutil.Process().memory_info().rss
        kept = all(ctypes.string_at(cache + i * page + 100, len(d)) == d for i, d in marks.items())
        zeros = ctypes.string_at(cache, 3 * page) == bytes(3 * page)
        other_kept = ctypes.string_at(other + 5 * page, 10) == bytes([7]) * 10
        print(json.dumps({"released": released, "dropped": dropped, "kept": kept, "zeros": zeros,
                          "other_kept": other_kept, "mib": mib, "page": page}))
    """)
    mib = out["mib"]
    assert out["kept"] and out["zeros"] and out["other_kept"]  # every byte reads as before
    assert 31 * mib <= out["released"] <= 32 * mib  # the cache's zero pages, nothing more
    assert 0.9 * out["released"] <= out["dropped"] < 33 * mib  # and they left the resident set


@pytest.mark.skipif(not sys.platform.startswith("linux") or _glibc() is None, reason="glibc on Linux only")
def test_without_a_logged_cache_size_nothing_is_released():
    out = _run("""
        import ctypes, json
        from desktop.core.engine import cleared_kv

        libc = ctypes.CDLL(None)
        libc.posix_memalign.argtypes = [ctypes.POINTER(ctypes.c_void_p), ctypes.c_size_t, ctypes.c_size_t]
        before = cleared_kv.mapped_ranges()
        address = ctypes.c_void_p()
        libc.posix_memalign(ctypes.byref(address), 64, 16 * 1024 * 1024)
        ctypes.memset(address.value, 0, 16 * 1024 * 1024)
        wrong = ["llama_kv_cache:        CPU KV buffer size =    64.00 MiB"]  # another size
        print(json.dumps([cleared_kv.release_cleared_kv(before, []),
                          cleared_kv.release_cleared_kv(before, wrong)]))
    """)
    assert out == [0, 0]


def test_new_addresses_are_told_from_a_mapping_the_kernel_merged_with_an_older_one():
    from desktop.core.engine.cleared_kv import kv_buffer_sizes, new_anonymous_ranges, parse_maps

    now = parse_maps([
        "7f0000000000-7f0000c00000 rw-p 00000000 00:00 0 \n",  # an old 4 MB mapping grown by 8 MB
        "7f0000c00000-7f0001000000 rw-p 00000000 08:01 99 /data/model.gguf\n",  # file-backed
        "7f0001000000-7f0001400000 r--p 00000000 00:00 0 \n",  # read-only
        "7f0001400000-7f0001800000 rw-s 00000000 00:01 12 /dev/zero (deleted)\n",  # shared
        "55d000000000-55d000400000 rw-p 00000000 00:00 0 [heap]\n",
        "7f0002000000-7f0002100000 rw-p 00000000 00:00 0 \n",  # new, 1 MB
    ])
    before = [(0x7F0000400000, 0x7F0000800000), (0x55D000000000, 0x55D000200000)]
    assert new_anonymous_ranges(before, now) == [
        (0x7F0000000000, 0x7F0000400000), (0x7F0000800000, 0x7F0000C00000),
        (0x7F0002000000, 0x7F0002100000)]
    lines = ["llama_kv_cache:        CPU KV buffer size =    90.00 MiB",
             "llama_kv_cache:      CUDA0 KV buffer size =   224.00 MiB",  # on the device: not ours
             "llama_kv_cache: size =   90.00 MiB (  4096 cells,  30 layers,  8/1 seqs)"]
    assert kv_buffer_sizes(lines) == [90 * 1024 * 1024]


@pytest.mark.model
@pytest.mark.skipif(not sys.platform.startswith("linux") or _glibc() is None, reason="glibc on Linux only")
def test_the_engine_host_releases_its_cleared_kv_cache_and_writes_the_same_text(model_path, engine_settings):
    """Fresh engines on both sides, so that each starts from a new context."""
    from desktop.core.engine import GenerationRequest
    from desktop.core.engine.backends import ensure_cpu_backend
    from desktop.core.engine.client import HostEngine
    from desktop.core.engine.local import LocalEngine
    from desktop.core.models.files import header_of

    options = {k: v for k, v in engine_settings.items() if k != "cpu_variant"}
    ensure_cpu_backend(engine_settings.get("cpu_variant"))
    host = HostEngine(model_path, n_ctx=1024)
    local = LocalEngine(model_path, n_ctx=1024, **options)
    try:
        host.load()
        local.load()
        info = host.info()
        kv_bytes = header_of(model_path).kv_cache_bytes(info["n_ctx"])  # f16 keys and values
        assert kv_bytes and 0.9 * kv_bytes <= info["released_bytes"] <= kv_bytes + 8192
        assert local.info()["released_bytes"] == 0  # in-process engines leave their memory alone
        for text, seed in (("Describe a ceramic mug.", 7), ("Write an ad for green tea.", 3),
                           ("Describe a ceramic mug.", 7)):
            request = GenerationRequest(messages=[{"role": "user", "content": text}], max_tokens=48,
                                        seed=seed, ignore_eos=True)
            released, kept = host.generate(request), local.generate(request)
            assert released.completion_tokens == 48
            assert released.text == kept.text
    finally:
        host.close()
        local.close()
