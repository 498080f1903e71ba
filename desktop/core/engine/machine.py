"""What this machine is, as far as the engine cares: the CPU (model and instruction-set flags), and the
llama.cpp build. Read without loading llama.cpp, so the window can ask too.

What worked on a machine (the safe-mode ladder, the tuned settings) is remembered per model file,
llama.cpp version and CPU: `machine_key()` names the last two.
"""

from __future__ import annotations

import functools
import hashlib
import os
import platform
from pathlib import Path


@functools.lru_cache(maxsize=1)
def cpu_info() -> dict:
    """{"model": "...", "flags": {...}, "logical": n, "physical": n} (flags empty where unknown)."""
    model, flags = platform.processor() or platform.machine(), set()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        try:
            for line in cpuinfo.read_text(errors="replace").splitlines():
                key, _, value = line.partition(":")
                key = key.strip()
                if key == "model name" and value.strip():
                    model = value.strip()
                elif key == "flags" and not flags:
                    flags = set(value.split())
        except OSError:
            pass
    logical = os.cpu_count() or 1
    try:
        import psutil

        physical = psutil.cpu_count(logical=False) or logical
    except Exception:  # psutil may not know on this platform
        physical = logical
    return {"model": model, "flags": flags, "logical": logical, "physical": physical}


def has_amx() -> bool:
    """Intel AMX tiles: llama.cpp's AMX weight repacking crashes on some of these CPUs."""
    flags = cpu_info()["flags"]
    return "amx_tile" in flags or "amx_int8" in flags


@functools.lru_cache(maxsize=1)
def llama_cpp_version() -> str:
    try:
        from importlib.metadata import version

        return version("llama_cpp_python")
    except Exception:  # a frozen build without package metadata
        try:
            from desktop.core.paths import app_root

            init = app_root() / "llama_cpp" / "__init__.py"
            for line in init.read_text().splitlines():
                if line.startswith("__version__"):
                    return line.split("=", 1)[1].strip().strip("\"'")
        except OSError:
            pass
    return "unknown"


def machine_key() -> str:
    """llama.cpp version and CPU (model and flags), short and stable."""
    cpu = cpu_info()
    digest = hashlib.sha1(" ".join(sorted(cpu["flags"])).encode()).hexdigest()[:8]
    return f"{llama_cpp_version()}|{cpu['model']}|{digest}"
