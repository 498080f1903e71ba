"""llama.cpp's compute backends: which CPU variant to load (portable builds ship several), which GPU
backends the build has, and which devices llama.cpp sees.

A portable build (`GGML_BACKEND_DL`, `GGML_CPU_ALL_VARIANTS`: what `make` builds, see
packaging/llama_wheel.py) has no CPU backend until someone loads one, and llama-cpp-python never does:
`ensure_cpu_backend()` scores the variant libraries (libggml-cpu-x64 ... -haswell ... -sapphirerapids)
the way ggml does, loads the chosen one into the libggml that llama.cpp itself loaded, and loads the GPU
backend libraries of a GPU build. A build tuned to one CPU has its backends built in: nothing to load.

Two sides, two modules:
- the window and the command line only look at file names (backend_files.py: `variant_names`,
  `gpu_backends`, `cpu_only_notice`): the process that shows the window never maps llama.cpp;
- the engine host loads and asks llama.cpp (this module: `ensure_cpu_backend`, `devices`,
  `resolve_gpu_layers`). The window's modules never import it (a contract in pyproject.toml).
"""

from __future__ import annotations

import ctypes
import logging
import os
import sys
import threading
from pathlib import Path
from typing import Any

from desktop.core.engine.backend_files import (
    GPU_BACKENDS,
    PREFIX,
    SUFFIX,
    WINDOWS,
    cpu_only_notice,
    gpu_backends,
    library_dirs,
    variant_files,
    variant_names,
)
from desktop.core.errors import EngineError

log = logging.getLogger(__name__)

AMX_VARIANTS = ("sapphirerapids",)  # the only variants ggml builds with AMX (ggml/src/CMakeLists.txt)
DEVICE_TYPES = {0: "cpu", 1: "gpu", 2: "igpu", 3: "accel", 4: "meta"}

_lock = threading.Lock()
_loaded: dict[str, Any] = {}  # "done": True once this process chose; "variant": the name or None


class BackendError(EngineError):
    """llama.cpp's CPU backend cannot be loaded as asked."""


# ----- in the engine host: load and ask llama.cpp ----------------------------------------------------
class _Ggml:
    """The libggml that llama.cpp loaded, through ctypes. It must be that very copy: the wheel holds
    libggml.so, libggml.so.0 and libggml.so.0.x as three files, and opening another name maps a second
    libggml with an empty backend registry (llama.cpp then finds "no backends are loaded")."""

    def __init__(self) -> None:
        import llama_cpp  # loads libllama, which links the libggml llama.cpp will use

        lib_dir = Path(llama_cpp.llama_cpp._base_path)
        self.lib = _open_loaded_ggml(lib_dir)
        vp, sz = ctypes.c_void_p, ctypes.c_size_t
        for name, res, args in (
            ("ggml_backend_load", vp, [ctypes.c_char_p]),
            ("ggml_backend_reg_by_name", vp, [ctypes.c_char_p]),
            ("ggml_backend_reg_name", ctypes.c_char_p, [vp]),
            ("ggml_backend_dev_count", sz, []),
            ("ggml_backend_dev_get", vp, [sz]),
            ("ggml_backend_dev_name", ctypes.c_char_p, [vp]),
            ("ggml_backend_dev_description", ctypes.c_char_p, [vp]),
            ("ggml_backend_dev_type", ctypes.c_int, [vp]),
            ("ggml_backend_dev_memory", None, [vp, ctypes.POINTER(sz), ctypes.POINTER(sz)]),
            ("ggml_backend_dev_backend_reg", vp, [vp]),
        ):
            fn = getattr(self.lib, name)
            fn.restype, fn.argtypes = res, args

    def has_cpu(self) -> bool:
        return bool(self.lib.ggml_backend_reg_by_name(b"CPU"))

    def load(self, path: Path) -> bool:
        return bool(self.lib.ggml_backend_load(os.fsencode(path)))


def _open_loaded_ggml(lib_dir: Path) -> ctypes.CDLL:
    if WINDOWS:
        return ctypes.CDLL(str(lib_dir / "ggml.dll"))  # Windows returns the module already loaded by name
    names = ["libggml.0.dylib", "libggml.dylib"] if sys.platform == "darwin" else ["libggml.so.0"]
    for name in names:
        try:  # by soname, only if already loaded: certainly the copy libllama linked
            return ctypes.CDLL(name, mode=getattr(os, "RTLD_NOLOAD", 0) | ctypes.RTLD_GLOBAL)
        except OSError:
            pass
    for name in names:
        if (lib_dir / name).exists():
            return ctypes.CDLL(str(lib_dir / name), mode=ctypes.RTLD_GLOBAL)
    raise BackendError(f"llama.cpp's libggml is not loaded from {lib_dir}.",
                       f"llama.cpp 的 libggml 未从 {lib_dir} 加载。")


def variant_scores(files: dict[str, Path] | None = None) -> dict[str, int]:
    """ggml's own score of each CPU variant for this CPU (0: it cannot run here), read from each
    library's `ggml_backend_score()` as ggml_backend_load_best does; the libraries are closed again."""
    import llama_cpp  # noqa: F401 - loads libggml-base, which the variants link (from bin/ they cannot find it)

    scores = {}
    for name, path in (files or variant_files()).items():
        try:
            handle = ctypes.CDLL(str(path), mode=getattr(os, "RTLD_LOCAL", 0))
        except OSError as exc:
            log.warning("cannot open %s: %s", path.name, exc)
            scores[name] = 0
            continue
        try:
            score = handle.ggml_backend_score
            score.restype, score.argtypes = ctypes.c_int, []
            scores[name] = int(score())
        except AttributeError:
            scores[name] = 0
        finally:
            _close(handle)
    return scores


def _close(handle: ctypes.CDLL) -> None:
    try:
        import _ctypes

        (_ctypes.FreeLibrary if WINDOWS else _ctypes.dlclose)(handle._handle)
    except (ImportError, AttributeError, OSError):
        pass


def choose_variant(scores: dict[str, int], choice: str | None) -> str:
    """The variant to load: the best score (choice None), the best without AMX ("avoid-amx"), or a
    named one, which must run on this CPU."""
    runnable = {name: s for name, s in scores.items() if s > 0}
    if choice in (None, "", "best"):
        pool = runnable
    elif choice == "avoid-amx":
        pool = {n: s for n, s in runnable.items() if n not in AMX_VARIANTS}
    elif choice in runnable:
        return choice
    elif choice in scores:
        raise BackendError(f"The llama.cpp CPU variant {choice!r} needs instructions this CPU lacks.",
                           f"llama.cpp 的 CPU 版本 {choice!r} 需要此 CPU 不支持的指令。")
    else:
        shipped = ", ".join(scores) or "none"
        raise BackendError(f"This build has no llama.cpp CPU variant {choice!r} (it has: {shipped}).",
                           f"此版本没有 llama.cpp 的 CPU 版本 {choice!r}（现有：{shipped}）。")
    if not pool:
        raise BackendError("No llama.cpp CPU variant of this build runs on this CPU.",
                           "此版本中没有能在此 CPU 上运行的 llama.cpp CPU 版本。")
    return max(pool, key=lambda n: (pool[n], n))


def ensure_cpu_backend(choice: str | None = None) -> str | None:
    """Load the CPU backend llama.cpp will use, once per process; returns the variant's name, or None
    when the backend is built in. `choice`: None for the best this CPU runs, "avoid-amx" for the best
    without AMX, or a variant's name. A GPU build's GPU backends are loaded with it."""
    with _lock:
        if _loaded.get("done"):
            if choice not in (None, "avoid-amx", _loaded["variant"]) and _loaded["variant"] is not None:
                log.warning("CPU variant %s asked for, but %s is loaded already", choice, _loaded["variant"])
            return _loaded["variant"]
        ggml = _Ggml()
        variant = None
        if not ggml.has_cpu():  # dynamically loaded backends: nothing is there until we load it
            files = variant_files()
            if files:
                variant = choose_variant(variant_scores(files), choice)
                path = files[variant]
            else:  # GGML_BACKEND_DL without the variants: one libggml-cpu to load
                path = _first_existing(f"{PREFIX}cpu{SUFFIX}")
                variant = "cpu"
            if path is None or not ggml.load(path):
                raise BackendError(f"llama.cpp could not load its CPU backend ({variant}).",
                                   f"llama.cpp 无法加载其 CPU 后端（{variant}）。")
            for gpu_path in _loadable_gpu_backends():
                if not ggml.load(gpu_path):
                    log.warning("the GPU backend %s did not load (no device or driver)", gpu_path.name)
            log.info("llama.cpp CPU variant: %s", variant)
        _loaded.update(done=True, variant=variant, ggml=ggml)
        return variant


def _first_existing(name: str) -> Path | None:
    for folder in library_dirs():
        if (folder / name).exists():
            return folder / name
    return None


def _loadable_gpu_backends() -> list[Path]:
    """A portable GPU build's backend modules (libggml-cuda.so ...): loaded like the CPU variant."""
    paths = []
    for backend in GPU_BACKENDS:
        path = _first_existing(f"{PREFIX}{backend}{SUFFIX}")
        if path is not None:
            paths.append(path)
    return paths


def devices() -> list[dict[str, Any]]:
    """The devices in ggml's backend registry: name, description, type (cpu, gpu, igpu, accel), free and
    total memory in bytes, and the backend that drives it. Engine host only (loads llama.cpp)."""
    ensure_cpu_backend(None)
    lib = _loaded["ggml"].lib
    found = []
    for i in range(lib.ggml_backend_dev_count()):
        dev = lib.ggml_backend_dev_get(i)
        free, total = ctypes.c_size_t(0), ctypes.c_size_t(0)
        lib.ggml_backend_dev_memory(dev, ctypes.byref(free), ctypes.byref(total))
        reg = lib.ggml_backend_dev_backend_reg(dev)
        found.append({
            "name": (lib.ggml_backend_dev_name(dev) or b"").decode(errors="replace"),
            "description": (lib.ggml_backend_dev_description(dev) or b"").decode(errors="replace"),
            "type": DEVICE_TYPES.get(lib.ggml_backend_dev_type(dev), "other"),
            "free_bytes": int(free.value), "total_bytes": int(total.value),
            "backend": (lib.ggml_backend_reg_name(reg) or b"").decode(errors="replace") if reg else "",
        })
    return found


def loaded_variant() -> str | None:
    return _loaded.get("variant")


def resolve_gpu_layers(options: dict) -> tuple[dict, str | None]:
    """The host's load options with "GPU layers: auto" (-1) turned into as many layers as fit in the
    GPUs' free memory, and a notice when GPU layers were asked for but no GPU is there."""
    asked = int(options.get("n_gpu_layers") or 0)
    if asked == 0:
        return options, None
    gpus = [d for d in devices() if d["type"] in ("gpu", "igpu")]
    if not gpus:
        notice = cpu_only_notice("en") if not gpu_backends() else \
            "No GPU was found by llama.cpp (driver missing?); running on the CPU."
        return {**options, "n_gpu_layers": 0}, notice
    if asked > 0 or any(d["type"] == "igpu" for d in gpus) and len(gpus) == 1:
        return options, None  # a number the user chose; an integrated GPU shares the RAM: all layers
    from desktop.core.models.files import header_of
    from desktop.core.models.fit import gpu_layers_that_fit

    info = header_of(Path(options["model_path"]))
    n_ctx = int(options.get("n_ctx") or 4096)
    layers = gpu_layers_that_fit(info.file_size, info.kv_cache_bytes(n_ctx) or 0, info.n_layers or 0,
                                 sum(d["free_bytes"] for d in gpus))
    log.info("GPU layers auto: %s of %s fit in %.1f GB free", layers, info.n_layers,
             sum(d["free_bytes"] for d in gpus) / 1024**3)
    return {**options, "n_gpu_layers": layers}, None


def report(cpu_variant: str | None = None) -> dict[str, Any]:
    """What the engine host runs on: {"cpu_variant", "cpu_variants", "gpu_backends", "devices"}."""
    variant = ensure_cpu_backend(cpu_variant)
    return {"cpu_variant": variant, "cpu_variants": variant_names(), "gpu_backends": gpu_backends(),
            "devices": devices()}
