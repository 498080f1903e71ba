"""The window, measured in separate offscreen processes (the core never imports Qt itself):

- start: process start (just before the launch) to the main window's first paint; reference: the
  same for a bare Python + Qt process that shows an empty widget;
- stall: the longest gap of a 5 ms QTimer while a generation streams into the Compose page at full
  speed; reference: the same timer's longest gap with the window open and idle;
- memory: resident memory beyond the model file with the window open and the model loaded;
  reference: the resident memory of the bare Python + Qt process.

The window process is `desktop.cli.bench.window_probe` (the real start path: the CLI package, then
the window); it prints one JSON line. Its data folder is a temporary one, so the merchant's history
is untouched.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from desktop.core.bench.context import Bench
from desktop.core.bench.stats import Figure, Target, figure, not_measured

TIMEOUT_S = 180
MB = 1024 * 1024

# A separate process: Qt is imported there, never in the core.
BARE_QT = """
import json, sys, time, importlib
t0 = float(sys.argv[1])
widgets = importlib.import_module("PySide6.QtWidgets")
core = importlib.import_module("PySide6.QtCore")
import psutil
app = widgets.QApplication(["bare"])
shown = {}
class Probe(core.QObject):
    def eventFilter(self, obj, event):
        if event.type() == core.QEvent.Type.Paint and "t" not in shown:
            shown["t"] = time.time()
            core.QTimer.singleShot(200, app.quit)
        return False
w = widgets.QWidget(); w.resize(1100, 720)
probe = Probe(); w.installEventFilter(probe)
w.show()
core.QTimer.singleShot(10000, app.quit)
app.exec()
print(json.dumps({"start_s": shown.get("t", time.time()) - t0, "painted": "t" in shown,
                  "rss_bytes": psutil.Process().memory_info().rss}))
"""


def _env(home: str) -> dict:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["SHOPSCRIBE_HOME"] = home
    return env


def _run(args: list[str], env: dict) -> dict:
    t0 = time.time()
    proc = subprocess.run([sys.executable, *args, repr(t0)], env=env, capture_output=True, text=True,
                          timeout=TIMEOUT_S)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        raise RuntimeError(f"probe exited with {proc.returncode}: {tail}")
    return json.loads(lines[-1])


def bare_qt(env: dict) -> dict:
    return _run(["-c", BARE_QT], env)


def window(env: dict, model_path: Path, stream_tokens: int, threads: int) -> dict:
    code = "import sys; from desktop.cli.bench import window_probe; sys.exit(window_probe(sys.argv[1:]))"
    return _run(["-c", code, str(model_path), str(stream_tokens), str(threads)], env)


def measure(bench: Bench, which: set[str]) -> list[Figure]:
    """`which`: any of "window" (start and stall) and "memory"."""
    reps = bench.config.repetitions
    tokens = 48 if bench.config.quick else 256
    bench.say(f"window: {reps} offscreen window processes and {reps} bare Qt processes")
    starts, bare_starts, idle, stream, rss, bare_rss, notes, ui = [], [], [], [], [], [], [], []
    model_size = bench.model_path.stat().st_size
    error = None
    with tempfile.TemporaryDirectory() as home:
        env = _env(home)
        for _ in range(reps):
            try:
                bare = bare_qt(env)
                probe = window(env, bench.model_path, tokens, bench.n_threads)
            except (RuntimeError, subprocess.TimeoutExpired, ValueError) as exc:
                error = str(exc)
                break
            if probe.get("error"):
                error = probe["error"]
                break
            bare_starts.append(bare["start_s"])
            bare_rss.append(bare["rss_bytes"] / MB)
            starts.append(probe["start_s"])
            idle.append(probe["idle_max_gap_ms"])
            stream.append(probe["stream_max_gap_ms"])
            rss.append((probe["rss_bytes"] - model_size) / MB)
            notes.append(probe.get("streamed", ""))
            ui.append(probe.get("rss_shown_bytes", 0) / MB)
    figures = []
    if "window" in which:
        if starts and stream:
            figures.append(figure("window_start", starts, "s", "bare Python + Qt process, empty widget shown",
                                  bare_starts, Target("value", "<=", 1.0, "s"),
                                  "offscreen; process start to the main window's first paint (model loads after)"))
            figures.append(figure("window_stall", stream, "ms", "the same 5 ms timer, window idle", idle,
                                  Target("value", "<=", 30, "ms"),
                                  f"longest gap of a 5 ms QTimer while the Compose page streams; {notes[-1]}"))
        else:
            why = error or "no window measured"
            figures.append(not_measured("window_start", "s", "bare Python + Qt process, empty widget shown",
                                        Target("value", "<=", 1.0, "s"), why))
            figures.append(not_measured("window_stall", "ms", "the same 5 ms timer, window idle",
                                        Target("value", "<=", 30, "ms"), why))
    if "memory" in which:
        if rss:
            figures.append(figure("memory_rss_beyond_model", rss, "MB", "bare Python + Qt process RSS", bare_rss,
                                  Target("value", "<=", 250, "MB"),
                                  f"RSS after streaming, window open, minus the model file ({model_size / MB:.0f} MB); "
                                  f"{max(ui):.0f} MB of it before the model loaded"))
        else:
            figures.append(not_measured("memory_rss_beyond_model", "MB", "bare Python + Qt process RSS",
                                        Target("value", "<=", 250, "MB"), error or "no window measured"))
    return figures
