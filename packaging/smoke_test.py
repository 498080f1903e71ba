"""Run the frozen app the way a merchant would, and fail loudly if it does not work (`make dist-test`).

    python packaging/smoke_test.py [dist/shopscribe]

Each check runs the bundle's own executable in a clean environment (no PYTHONPATH, no virtualenv,
a temporary working folder and data folder), so nothing from the source tree can stand in for a file
missing from the bundle:
  1. the bundle holds every desktop module (the CLI commands and window pages are imported by name);
  2. Linux: every shared library in the bundle finds the bundle's libraries it links to (ldd);
  3. `shopscribe --help` lists the same commands as the source tree's;
  4. `shopscribe selftest` offscreen: model, generation, database, window;
  5. `shopscribe generate ... --json` produces text, with the data in the default user data folder;
     `models search` and `models download` work through the Hub client (a local fake Hub, no internet);
  6. the same with stdout and stderr closed, as a windowed build starts: it must not crash, and its
     messages must reach logs/stderr.log;
  7. nothing was written inside the bundle.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINUX = sys.platform.startswith("linux")
# Libraries that must come from the bundle (a "not found" for these is a packaging bug). Anything else
# missing is a system library the user's desktop provides (X11/xcb, Wayland, OpenGL), reported only.
BUNDLED_LIBS = re.compile(r"^lib(Qt6|pyside6|shiboken6|icu|python3|llama|ggml|scipy_openblas|gfortran|quadmath)")


def executable(bundle: Path) -> Path:
    for name in ("shopscribe-cli.exe", "shopscribe"):  # Windows: the console twin of the windowed app
        if (bundle / name).exists():
            return bundle / name
    raise SystemExit(f"no shopscribe executable in {bundle}: run `make dist` first")


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "LD_LIBRARY_PATH", "QT_PLUGIN_PATH",
                        "SHOPSCRIBE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"}}
    env["QT_QPA_PLATFORM"] = "offscreen"
    env.update(extra)
    return env


def run(cmd: list[str], env: dict[str, str], cwd: Path, timeout: float = 900, **kw) -> subprocess.CompletedProcess:
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True, encoding="utf-8",
                          errors="replace", timeout=timeout, **kw)
    print(f"  $ {' '.join(Path(c).name if i == 0 else c for i, c in enumerate(cmd))}  "
          f"-> exit {proc.returncode} in {time.perf_counter() - start:.1f} s")
    return proc


def require(ok: bool, message: str, proc: subprocess.CompletedProcess | None = None) -> None:
    if ok:
        return
    if proc is not None:
        print("--- stdout ---\n" + proc.stdout[-4000:] + "\n--- stderr ---\n" + proc.stderr[-4000:])
    raise SystemExit(f"FAIL: {message}")


def snapshot(bundle: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(bundle)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in bundle.rglob("*") if p.is_file() and not p.is_symlink()}


def check_modules(exe: Path) -> None:
    """Every desktop/**/*.py is in the bundle's module archive."""
    from PyInstaller.archive.readers import CArchiveReader

    archive = CArchiveReader(str(exe))
    pyz = next(name for name in archive.toc if name.endswith(".pyz"))
    frozen = set(archive.open_embedded_archive(pyz).toc)
    wanted: dict[str, Path] = {}
    for path in (ROOT / "desktop").rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        wanted[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    missing = sorted(set(wanted) - frozen)
    stale = [name for name in missing if wanted[name].stat().st_mtime > exe.stat().st_mtime - 120]
    require(not stale, f"modules added since the bundle was built: {', '.join(stale)} (rebuild: make dist)")
    require(not missing, f"modules missing from the bundle: {', '.join(missing)}")
    print(f"ok   all {len(wanted)} desktop modules are in the bundle")


def check_libraries(bundle: Path) -> None:
    """ldd every ELF file; a bundled library that cannot be found is a packaging bug."""
    internal = bundle / "_internal"
    env = clean_env(LD_LIBRARY_PATH=str(internal))  # what the bootloader sets at start-up
    broken, system = [], set()
    for path in sorted(internal.rglob("*.so*")):
        if path.is_symlink() or not path.is_file() or path.read_bytes()[:4] != b"\x7fELF":
            continue
        out = subprocess.run(["ldd", str(path)], env=env, capture_output=True, text=True).stdout
        for name in re.findall(r"^\s*(\S+) => not found", out, re.MULTILINE):
            if BUNDLED_LIBS.match(name):
                broken.append(f"{path.relative_to(bundle)} needs {name}")
            else:
                system.add(name)
    require(not broken, "libraries missing from the bundle:\n  " + "\n  ".join(broken))
    print("ok   every bundled library finds the bundled libraries it links to")
    if system:
        print(f"note system libraries not on this machine (a desktop provides them): {', '.join(sorted(system))}")


def commands(help_text: str) -> set[str]:
    section = help_text.split("Commands:", 1)[-1]
    return {m.group(1) for m in re.finditer(r"^\s{2}(\S+)\s", section, re.MULTILINE)}


def check_hub(exe: Path, env: dict[str, str], data: Path, tmp: Path, bundle: Path) -> None:
    """Model search and download through huggingface_hub and its HTTP client, frozen, against the
    tests' local stand-in for the Hub on 127.0.0.1 (no internet): the code path a merchant takes to add
    a model, which nothing else in this test reaches."""
    sys.path.insert(0, str(ROOT))
    from desktop.core import embedded
    from tests.fakehub import FakeHub, FakeRepo

    gguf = next((bundle / "_internal" / "models").glob("*.gguf"), None) or embedded.embedded_model_path()
    hub = FakeHub()
    repo = hub.add(FakeRepo("acme/Tiny-GGUF", {gguf.name: gguf}, downloads=12, likes=3))
    repo._sha[gguf.name] = embedded.SHA256  # known: spares hashing 94 MB again
    hub.start()
    try:
        hub_env = {**env, "HF_ENDPOINT": hub.url}
        proc = run([str(exe), "models", "search", "tiny", "--json"], hub_env, tmp)
        require(proc.returncode == 0 and json.loads(proc.stdout)[0]["repo_id"] == "acme/Tiny-GGUF",
                "frozen `models search` failed", proc)
        proc = run([str(exe), "models", "download", "acme/Tiny-GGUF", gguf.name, "--json"], hub_env, tmp)
        require(proc.returncode == 0, "frozen `models download` failed", proc)
        path = Path(json.loads(proc.stdout)["path"])
        require(path.is_relative_to(data) and path.exists(), f"the download is not in the user data folder: {path}")
    finally:
        hub.stop()
    print(f"ok   models search and download through the Hub client (to {path.relative_to(data)})")


def main() -> int:
    bundle = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "dist" / "shopscribe").resolve()
    exe = executable(bundle)
    print(f"Frozen app: {exe}")
    before = snapshot(bundle)
    check_modules(exe)
    if LINUX and shutil.which("ldd"):
        check_libraries(bundle)

    with tempfile.TemporaryDirectory(prefix="shopscribe-dist-test-") as tmp_name:
        tmp = Path(tmp_name)

        proc = run([str(exe), "--help"], clean_env(SHOPSCRIBE_HOME=str(tmp / "help")), tmp, timeout=300)
        require(proc.returncode == 0, "shopscribe --help failed", proc)
        source = subprocess.run([sys.executable, "-m", "desktop", "--help"], cwd=ROOT, capture_output=True,
                                text=True, env={**os.environ, "SHOPSCRIBE_HOME": str(tmp / "help-src")})
        missing = commands(source.stdout) - commands(proc.stdout)
        require(source.returncode == 0 and not missing, f"commands missing from the frozen app: {missing}", proc)
        print(f"ok   --help lists all {len(commands(proc.stdout))} commands")

        home = tmp / "selftest-home"
        proc = run([str(exe), "selftest"], clean_env(SHOPSCRIBE_HOME=str(home)), tmp)
        print("     " + proc.stdout.strip().replace("\n", "\n     "))
        require(proc.returncode == 0 and "selftest passed" in proc.stdout, "the frozen selftest failed", proc)
        require((home / "shopscribe.db").exists(), "the selftest wrote no database in SHOPSCRIBE_HOME", proc)
        print("ok   selftest passed (model, generation, database, window)")
        # A portable build ships CPU variants: the self-test must name the one it loaded, from the bundle.
        variants = {p.name[len("libggml-cpu-"):].split(".")[0] for p in bundle.rglob("libggml-cpu-*")}
        if variants:
            named = re.search(r"llama\.cpp (?:[0-9.]+ )?CPU variant (\S+?)[,\s]", proc.stdout)
            require(named is not None and named.group(1) in variants,
                    f"the selftest names no CPU variant of the bundle's {sorted(variants)}", proc)
            print(f"ok   the bundle ships {len(variants)} CPU variants and loaded {named.group(1)}")

        # No SHOPSCRIBE_HOME: the app must use the platform's user data folder (on Linux, under
        # XDG_DATA_HOME, pointed at a temporary folder here).
        if LINUX:
            env, data = clean_env(XDG_DATA_HOME=str(tmp / "xdg"), XDG_CONFIG_HOME=str(tmp / "xdg-config")), \
                tmp / "xdg" / "Shopscribe"
        else:
            env, data = clean_env(SHOPSCRIBE_HOME=str(tmp / "home")), tmp / "home"
        cmd = [str(exe), "generate", "--type", "product-description", "--lang", "en",
               "--field", "name=Bamboo cutting board", "--field", "features=antibacterial, juice groove",
               "--max-tokens", "16", "--seed", "7", "--json"]
        proc = run(cmd, env, tmp)
        require(proc.returncode == 0, "frozen generate failed", proc)
        doc = json.loads(proc.stdout)
        require(bool(doc.get("text", "").strip()) and doc.get("completion_tokens", 0) > 0,
                "frozen generate produced no text", proc)
        require((data / "shopscribe.db").exists(), f"generate kept no database in the user data folder {data}", proc)
        print(f"ok   generate --json: {doc['completion_tokens']} tokens from {doc['model']}: {doc['text'][:60]!r}")

        check_hub(exe, env, data, tmp, bundle)

        if os.name == "posix":
            # A windowed build starts with no stdout/stderr: fds 1 and 2 closed, sys.std* None.
            closed = ["sh", "-c", 'exec "$@" >&- 2>&-', "sh"] + cmd
            proc = run(closed, env, tmp)
            require(proc.returncode == 0, "generate with stdout/stderr closed failed (windowed-build start-up)", proc)
            log = data / "logs" / "stderr.log"
            require(log.exists() and "loading the model" in log.read_text(encoding="utf-8"),
                    f"with stderr closed, progress messages did not reach {log}", proc)
            print("ok   with stdout/stderr closed (as a windowed build) it runs and logs to logs/stderr.log")

    changed = sorted(k for k, v in snapshot(bundle).items() if before.get(k) != v)
    require(not changed, f"the app wrote inside the bundle: {changed[:10]}")
    print("ok   nothing was written inside the bundle")
    print("dist-test passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
