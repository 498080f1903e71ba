"""Build llama-cpp-python for one flavour into a cache of our own, and print the wheel's path.

    python packaging/llama_wheel.py [--gpu none|cuda|vulkan|metal|hip] [--print-key]

Why not let pip build it: pip's wheel cache is keyed by the package and version only, never by
CMAKE_ARGS, so a wheel built for one machine's CPU (or without a GPU) would be reused for every other
build. Here the key is the version, the CMake flags, the Python tag and the platform; the wheels live
in the user cache folder (outside any clone, so CI and every worktree share them), one folder per key.

Flavours (one fact: FLAGS below):
- every build is portable: `GGML_NATIVE=OFF`. On x86-64 also `GGML_BACKEND_DL=ON` and
  `GGML_CPU_ALL_VARIANTS=ON`: ggml ships one CPU library per instruction-set level (x64, sse42, ...,
  haswell, ..., zen4, sapphirerapids) and the engine loads the best one for the CPU it runs on
  (desktop/core/engine/backends.py). The same build serves `make run`, `make test` and `make dist`
  (docs/packaging.md has the measurements);
- `--gpu` adds that backend: cuda, vulkan, hip (ROCm), metal (macOS, where llama-cpp-python turns it
  on by itself).

Only the standard library: this runs before the virtualenv has anything installed.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PORTABLE_X86 = ["-DGGML_NATIVE=OFF", "-DGGML_BACKEND_DL=ON", "-DGGML_CPU_ALL_VARIANTS=ON"]
GPU_FLAGS = {
    "none": [],
    "cuda": ["-DGGML_CUDA=ON"],
    "vulkan": ["-DGGML_VULKAN=ON"],
    "hip": ["-DGGML_HIP=ON"],
    "metal": ["-DGGML_METAL=ON"],
}


def pinned_version() -> str:
    """The llama-cpp-python version pinned in pyproject.toml (the one place it is written)."""
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    match = re.search(r'"llama-cpp-python==([^"\s;]+)"', text)
    if not match:
        raise SystemExit("pyproject.toml does not pin llama-cpp-python==<version>")
    return match.group(1)


def cmake_flags(gpu: str, machine: str | None = None, cpu_variants: bool = True) -> list[str]:
    """`cpu_variants=False`: one baseline CPU backend instead of all (a shorter build for tests of a GPU
    backend, `make test-vulkan`); still loaded at run time like the variants."""
    machine = (machine or platform.machine()).lower()
    x86 = machine in ("x86_64", "amd64")
    base = PORTABLE_X86 if x86 else ["-DGGML_NATIVE=OFF"]
    if not cpu_variants:
        base = [flag for flag in base if "ALL_VARIANTS" not in flag]
    return base + GPU_FLAGS[gpu]


def cache_root() -> Path:
    """The user cache folder, as platformdirs would name it (not installed yet when this runs)."""
    if override := os.environ.get("SHOPSCRIBE_BUILD_CACHE"):
        return Path(override)
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
        return base / "shopscribe" / "Cache" / "llama-wheels"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "shopscribe" / "llama-wheels"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "shopscribe" / "llama-wheels"


def cache_key(version: str, flags: list[str]) -> str:
    python = f"cp{sys.version_info.major}{sys.version_info.minor}"
    plat = f"{sys.platform}-{platform.machine().lower()}"
    digest = hashlib.sha256(" ".join([version, python, plat, *flags]).encode()).hexdigest()[:12]
    return f"{version}-{python}-{plat}-{digest}"


def build(version: str, flags: list[str], out_dir: Path) -> Path:
    env = dict(os.environ)
    env["CMAKE_ARGS"] = " ".join(flags)
    env.setdefault("CMAKE_BUILD_PARALLEL_LEVEL", str(os.cpu_count() or 2))
    with tempfile.TemporaryDirectory(prefix="llama-wheel-") as tmp:
        cmd = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-cache-dir", "--no-binary",
               "llama-cpp-python", "--wheel-dir", tmp, f"llama-cpp-python=={version}"]
        print(f"building llama-cpp-python {version} with CMAKE_ARGS={env['CMAKE_ARGS']!r} "
              "(several minutes; cached afterwards)", file=sys.stderr, flush=True)
        start = time.monotonic()
        subprocess.run(cmd, env=env, check=True, stdout=sys.stderr)
        wheels = list(Path(tmp).glob("llama_cpp_python-*.whl"))
        if len(wheels) != 1:
            raise SystemExit(f"expected one llama-cpp-python wheel, pip made {len(wheels)}")
        out_dir.mkdir(parents=True, exist_ok=True)
        staging = out_dir / (wheels[0].name + ".part")
        shutil.copyfile(wheels[0], staging)
        target = out_dir / wheels[0].name
        os.replace(staging, target)  # a build interrupted half-way never looks finished
        (out_dir / "build.txt").write_text(
            f"version {version}\nCMAKE_ARGS {env['CMAKE_ARGS']}\nseconds {time.monotonic() - start:.0f}\n",
            encoding="utf-8")
        print(f"built in {time.monotonic() - start:.0f} s", file=sys.stderr)
        return target


def wheel_for(gpu: str, extra: list[str] | None = None, cpu_variants: bool = True) -> Path:
    version = pinned_version()
    flags = cmake_flags(gpu, cpu_variants=cpu_variants) + list(extra or [])
    folder = cache_root() / cache_key(version, flags)
    found = sorted(folder.glob("llama_cpp_python-*.whl"))
    return found[0] if found else build(version, flags, folder)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gpu", default="none", choices=sorted(GPU_FLAGS))
    parser.add_argument("--cmake-arg", action="append", default=[],
                        help="one more CMake flag, part of the cache key (--cmake-arg=-DVulkan_INCLUDE_DIR=...)")
    parser.add_argument("--single-cpu", action="store_true",
                        help="one baseline CPU backend, not every variant (shorter; for GPU backend tests)")
    parser.add_argument("--print-key", action="store_true", help="print the cache key and flags, build nothing")
    args = parser.parse_args(argv)
    if args.print_key:
        flags = cmake_flags(args.gpu, cpu_variants=not args.single_cpu) + args.cmake_arg
        print(cache_key(pinned_version(), flags), " ".join(flags))
        return 0
    print(wheel_for(args.gpu, args.cmake_arg, cpu_variants=not args.single_cpu))
    return 0


if __name__ == "__main__":
    sys.exit(main())
