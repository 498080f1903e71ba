"""The bundle on older CPUs: its llama.cpp picks a CPU variant the CPU can run, loads the embedded model
and writes text, under qemu-user emulating an SSE4.2-only CPU (Nehalem) and an AVX2 CPU without
AVX-512 (Haswell), and natively (`make dist-qemu`, run by .ci/run after `make dist`).

    python packaging/qemu_check.py [dist/shopscribe] [--cpu Nehalem --cpu Haswell] [--json out.json]

What runs under the emulated CPU, and how:
1. The bundle's llama.cpp libraries (its llama_cpp/lib: libllama, libggml, the CPU variants), from a
   Python that qemu runs directly: `LLAMA_CPP_LIB_PATH` points llama-cpp-python at them, and the source
   tree's engine host (`python -m desktop.core.engine.host`) runs under qemu-x86_64, driven over its
   pipe by this native Python with the app's own client code: it scores and loads the variant, lists
   llama.cpp's devices, loads the bundle's embedded model and decodes.
2. Qt: the same Python under qemu opens a widget offscreen and renders it with PySide6, whose Qt
   libraries are checked to be byte-identical to the ones in the bundle.
3. Natively, the bundle's own executable as the engine host (`shopscribe --engine-host`).

Not proven under emulation: the frozen executable itself. Its PyInstaller bootloader starts the app
again in a new process, and qemu-user does not follow it (the new process runs on the real CPU, which
this script detects: a variant the emulated CPU cannot run). So the frozen Python and the bundle's
own copy of the Python modules run natively only (`make dist-test`).

Exit 1 when a variant is wrong for a CPU or a step fails; qemu missing is a failure too (CI installs
Debian's qemu-user).
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# What each emulated CPU may run: ggml's variants ordered by the instructions they need.
ALLOWED = {
    "Nehalem": {"sse42"},  # SSE4.2, no AVX: exactly the sse42 variant is the best it can run
    "Haswell": {"x64", "sse42", "sandybridge", "ivybridge", "piledriver", "haswell"},  # AVX2, no AVX-512
}
EXPECTED = {"Nehalem": "sse42", "Haswell": "haswell"}
PROMPT = "The camp mug is"
TOKENS = 12


def internal_dir(bundle: Path) -> Path:
    return bundle / "_internal" if (bundle / "_internal").is_dir() else bundle


def drive_host(command: list[str], model: Path, env: dict[str, str], cpu_variant: str | None = None) -> dict:
    """Start an engine host with `command`, then: backends, load, generate; what it reported.
    `cpu_variant`: "avoid-amx" natively on a CPU with AMX, as the app's safe-mode ladder would."""
    from desktop.core.engine.host_process import HostProcess, crash_error
    from desktop.core.engine.interface import GenerationRequest

    saved_env = dict(os.environ)
    os.environ.update(env)
    start = time.perf_counter()
    try:
        host = HostProcess(command=command)
        try:
            backends = host.request("call", "backends", (cpu_variant,))
            options = {"model_path": str(model), "model_id": model.stem, "n_ctx": 512, "n_threads": 2,
                       "n_batch": 64, "n_seq_max": 1, "flash_attn": "off", "cpu_variant": cpu_variant}
            loaded = host.request("load", options, phase="load")
            rid, box = host.submit("stream", GenerationRequest(prompt=PROMPT, max_tokens=TOKENS, temperature=0))
            text = []
            while True:
                message = box.get(timeout=1800)
                if message[0] == "delta":
                    text.append(message[3])
                elif message[0] == "finished":
                    final = message[2]
                    break
                elif message[0] == "error":
                    raise message[2]
                elif message[0] == "crashed":
                    raise crash_error(message[2], "decode")
            host.release(rid)
        finally:
            host.close(timeout=30)
    except queue.Empty:
        return {"ok": False, "error": "no answer within 30 minutes"}
    except Exception as exc:  # noqa: BLE001 - reported, and the check fails
        return {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
    finally:
        os.environ.clear()
        os.environ.update(saved_env)
    return {"ok": final.completion_tokens > 0, "cpu_variant": loaded.get("cpu_variant"),
            "variant_listed": backends.get("cpu_variant"), "devices": [d["description"] for d in backends["devices"]],
            "tokens": final.completion_tokens, "text": "".join(text), "tok_s": round(final.tokens_per_s, 2),
            "seconds": round(time.perf_counter() - start, 1)}


QT_CHECK = (
    "from PySide6.QtWidgets import QApplication, QLabel\n"
    "app = QApplication([])\n"
    "label = QLabel('Shopscribe 文案')\n"
    "label.show(); app.processEvents()\n"
    "image = label.grab().toImage()\n"
    "assert image.width() > 0 and image.height() > 0\n"
    "print('rendered', image.width(), 'x', image.height())\n"
)


def same_qt_libraries(internal: Path) -> list[str]:
    """The Qt libraries the bundle ships that are byte-identical to this Python's PySide6 (the ones
    the Qt check runs); empty when any differs."""
    import filecmp

    import PySide6

    ours = Path(PySide6.__file__).parent / "Qt" / "lib"
    names = ["libQt6Core.so.6", "libQt6Gui.so.6", "libQt6Widgets.so.6"]
    bundled = [internal / "PySide6" / "Qt" / "lib" / n for n in names]
    if not all(p.exists() and (ours / p.name).exists() and filecmp.cmp(p, ours / p.name, shallow=False)
               for p in bundled):
        return []
    return names


def run_app(command: list[str], env: dict[str, str], timeout: float) -> dict:
    start = time.perf_counter()
    try:
        proc = subprocess.run(command, env=env, capture_output=True, text=True, timeout=timeout,
                              stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return {"ok": False, "error": f"timed out after {timeout:.0f} s"}
    out = (proc.stdout + proc.stderr).strip().splitlines()
    return {"ok": proc.returncode == 0, "exit": proc.returncode, "tail": out[-6:],
            "seconds": round(time.perf_counter() - start, 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bundle", nargs="?", default=str(ROOT / "dist" / "shopscribe"))
    parser.add_argument("--cpu", action="append", help="qemu CPU models (default: Nehalem and Haswell)")
    parser.add_argument("--skip-app", action="store_true", help="only llama.cpp, no Qt check")
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args(argv)
    bundle = Path(args.bundle).resolve()
    exe = bundle / "shopscribe"
    internal = internal_dir(bundle)
    lib_dir = internal / "llama_cpp" / "lib"
    model = next((internal / "models").glob("*.gguf"), None)
    if not exe.exists() or model is None:
        print(f"FAIL: no bundle at {bundle}: run `make dist` first")
        return 1
    qemu = shutil.which("qemu-x86_64")
    if qemu is None:
        print("FAIL: qemu-x86_64 is missing (Debian: apt-get install qemu-user)")
        return 1
    cpus = args.cpu or ["Nehalem", "Haswell"]
    home = Path(tempfile.mkdtemp(prefix="shopscribe-qemu-"))
    env = {"SHOPSCRIBE_HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
    results: dict = {"bundle_variants": sorted(p.name for p in lib_dir.glob("libggml-cpu-*"))}
    failures = []

    def record(name: str, result: dict, cpu: str | None = None) -> None:
        results[name] = result
        variant = result.get("cpu_variant")
        ok = result.get("ok", False)
        if ok and cpu in ALLOWED and variant is None:
            ok, result["error"] = False, "no CPU variants: a llama.cpp built for one CPU, not the portable build"
        elif ok and cpu in ALLOWED and variant not in ALLOWED[cpu]:
            ok, result["error"] = False, f"picked {variant}, which {cpu} cannot run"
        status = "ok  " if ok else "FAIL"
        detail = result.get("error") or ", ".join(f"{k} {v}" for k, v in result.items()
                                                   if k in ("cpu_variant", "tokens", "tok_s", "seconds", "exit"))
        print(f"{status} {name}: {detail}", flush=True)
        if result.get("text"):
            print(f"       text: {result['text']!r}")
        if not ok:
            failures.append(name)
            for line in result.get("tail", []):
                print(f"       | {line}")

    from desktop.core.engine.machine import has_amx

    native_choice = "avoid-amx" if has_amx() else None
    record("native: bundle engine host", drive_host([str(exe), "--engine-host"], model, env, native_choice))
    identical = same_qt_libraries(internal)
    for cpu in cpus:
        emulate = [qemu, "-cpu", cpu]
        lib_env = {**env, "LLAMA_CPP_LIB_PATH": str(lib_dir), "PYTHONPATH": str(ROOT)}
        record(f"{cpu}: bundle llama.cpp from a Python under qemu",
               drive_host(emulate + [sys.executable, "-m", "desktop.core.engine.host"], model, lib_env), cpu)
        if not args.skip_app:
            result = run_app(emulate + [sys.executable, "-c", QT_CHECK], {**os.environ, **env}, 900)
            result["ok"] = result["ok"] and bool(identical)
            result.setdefault("tail", []).append(f"Qt libraries identical to the bundle's: {', '.join(identical)}")
            record(f"{cpu}: Qt widgets offscreen under qemu (the bundle's Qt libraries)", result)
    shutil.rmtree(home, ignore_errors=True)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    print("qemu check passed" if not failures else f"qemu check FAILED: {', '.join(failures)}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
