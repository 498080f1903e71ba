"""PyInstaller runtime hook, run before the app: make sure stdout and stderr exist.

A windowed build (Shopscribe.exe on Windows) starts with no console: sys.stdout and sys.stderr are
None, and file descriptors 1 and 2 are not open. click and print() then write nowhere or crash
(`sys.stderr.isatty()`, `sys.stdout.flush()`), and C code (llama.cpp, ggml, Qt) writing to fd 2 could
land in whatever file happens to get that number next. So: stdout goes to the null device, stderr to
logs/stderr.log in the user's data folder (never inside the bundle), at both the Python and the
descriptor level, so a crash message from native code is kept too.
"""

import os
import sys

LOG_LIMIT = 1_000_000  # bytes; a longer log starts over


def _fd_open(fd: int) -> bool:
    try:
        os.fstat(fd)
        return True
    except OSError:
        return False


def _stderr_log():
    try:
        from desktop.core.paths import logs_dir

        path = logs_dir() / "stderr.log"
        mode = "w" if path.exists() and path.stat().st_size > LOG_LIMIT else "a"
        return open(path, mode, encoding="utf-8", errors="replace", buffering=1)
    except Exception:  # no writable data folder: losing the messages beats not starting
        return open(os.devnull, "w", encoding="utf-8")


def _install() -> None:
    if sys.stdout is None:
        sys.stdout = open(os.devnull, "w", encoding="utf-8")
        if not _fd_open(1):
            os.dup2(sys.stdout.fileno(), 1)
    if sys.stderr is None:
        sys.stderr = _stderr_log()
        if not _fd_open(2):
            os.dup2(sys.stderr.fileno(), 2)


try:
    _install()
except OSError:  # never keep the app from starting over a log file
    pass
