"""llama.cpp's backend libraries by file name: which CPU variants and GPU backends this install ships.
Any process may ask, the window's included: nothing here loads llama.cpp (backends.py, in the engine
host, does)."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

WINDOWS = sys.platform == "win32"
PREFIX, SUFFIX = ("ggml-", ".dll") if WINDOWS else ("libggml-", ".so")  # ggml's own naming, every platform
CPU_PREFIX = f"{PREFIX}cpu-"
GPU_BACKENDS = ("cuda", "hip", "vulkan", "metal", "sycl", "opencl", "musa", "cann")


def library_dirs() -> list[Path]:
    """Where llama.cpp's libraries may be, in the order llama_cpp itself looks: LLAMA_CPP_LIB_PATH,
    the llama_cpp package's lib/ (the bundle keeps every library there), then the wheel's top-level
    bin/ (site-packages/bin), where a portable wheel installs its backend libraries."""
    dirs: list[Path] = []
    if override := os.environ.get("LLAMA_CPP_LIB_PATH"):
        dirs.append(Path(override))
    package = _llama_cpp_package_dir()
    if package is not None:
        dirs += [package / "lib", package.parent / "bin"]
    return [d for d in dirs if d.is_dir()]


def _llama_cpp_package_dir() -> Path | None:
    if getattr(sys, "frozen", False):
        return Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent)) / "llama_cpp"
    try:
        spec = importlib.util.find_spec("llama_cpp")  # finds the package without importing it
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0])


def variant_files() -> dict[str, Path]:
    """{"haswell": .../libggml-cpu-haswell.so, ...} from the first folder that has any."""
    for folder in library_dirs():
        found = {p.name[len(CPU_PREFIX):-len(SUFFIX)]: p for p in folder.iterdir()
                 if p.name.startswith(CPU_PREFIX) and p.name.endswith(SUFFIX)}
        if found:
            return dict(sorted(found.items()))
    return {}


def variant_names() -> list[str]:
    """The CPU variants this install ships, by file name (empty for a build tuned to one CPU)."""
    return list(variant_files())


def gpu_backends() -> list[str]:
    """The GPU backends this build has ("cuda", "vulkan", ...), by file name: linked (libggml-cuda.so.0)
    or loadable (libggml-cuda.so)."""
    found = set()
    for folder in library_dirs():
        for path in folder.iterdir():
            name = path.name.removeprefix("lib")
            for backend in GPU_BACKENDS:
                if name.startswith(f"ggml-{backend}.") or name.startswith(f"ggml-{backend}-"):
                    found.add(backend)
    return sorted(found)


def cpu_only_notice(lang: str = "en") -> str:
    """What a user who asked for GPU layers is told when this build has no GPU backend."""
    verb = "dist" if getattr(sys, "frozen", False) else "run"  # the app is rebuilt, a checkout reinstalled
    if sys.platform == "darwin":
        if lang == "zh":
            return (f"此版本只在 CPU 上运行；要使用 GPU，请改用 Metal 版本：make {verb} GPU=metal"
                    "（见 README 的“GPU builds”一节）。")
        return (f"This build runs on the CPU only; to use your GPU, use the Metal build: make {verb} "
                "GPU=metal (see the README, \"GPU builds\").")
    if lang == "zh":
        return (f"此版本只在 CPU 上运行；要使用 GPU，请改用 GPU 版本：NVIDIA 显卡用 make {verb} GPU=cuda，"
                f"AMD 显卡用 make {verb} GPU=hip，其他显卡用 make {verb} GPU=vulkan（见 README 的“GPU "
                "builds”一节）。")
    return (f"This build runs on the CPU only; to use your GPU, use a GPU build: make {verb} GPU=cuda "
            f"(NVIDIA), make {verb} GPU=hip (AMD) or make {verb} GPU=vulkan (any other); see the README, "
            "\"GPU builds\".")
