"""The window, measured in separate offscreen processes (the core never imports Qt itself):

- start: process start (just before the launch) to the main window's first paint, on the real start
  path (`shopscribe` opens the window with the default model's load queued for after the first
  paint, so the engine host starts then); reference: a bare Python + Qt process showing an empty widget;
- stall: the longest gap of a 5 ms QTimer while the Compose page streams a plain template, and while
  it streams a structured one (JSON through the grammar); reference: the same timer with the window
  open and idle. Measured at each candidate thread count of the engine host, beside the decode speed
  it reached, since on 2 cores the host's threads compete with the GUI thread;
- memory: resident memory beyond the model file, the window and the engine host together, with the
  model loaded and text streamed; reported per process; reference: the bare Python + Qt process.

The window process is `desktop.cli.bench.window_probe`; it prints one JSON line. Its data folder is a
temporary one (the merchant's history is untouched), so it opens the default model of a fresh install
(the embedded one), with the engine settings pre-filled (SHOPSCRIBE_ENGINE_SETTINGS).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time

from desktop.core.bench import references
from desktop.core.bench.context import Bench
from desktop.core.bench.stats import Figure, Target, figure, median, not_measured

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


def _env(home: str, settings: dict | None = None) -> dict:
    from desktop.core.engine import tuning

    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["SHOPSCRIBE_HOME"] = home
    if settings is not None:
        env[tuning.ENV] = json.dumps(settings)
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


def window(env: dict, stream_tokens: int) -> dict:
    code = "import sys; from desktop.cli.bench import window_probe; sys.exit(window_probe(sys.argv[1:]))"
    return _run(["-c", code, str(stream_tokens)], env)


STALL = Target("value", "<=", 16, "ms")
START = Target("value", "<=", 1.0, "s")
MEMORY = Target("value", "<=", 250, "MB")
MEMORY_BOTH_PROCESSES = 300  # the engine host issue's bound, for the window and the host together


def probes(bench: Bench) -> dict:
    """The window processes, run once per benchmark (the window and memory groups share them):
    {"main": probes at the app's thread count, "runs": {threads: probes}, "bare": [...],
     "error": str|None}."""
    if "window" in bench.shared:
        return bench.shared["window"]
    reps, main_reps = bench.config.repetitions, bench.config.window_probes
    tokens = bench.config.window_tokens
    app_threads = int(bench.settings.get("n_threads") or max(references.thread_candidates()))
    preset = dict(bench.settings.get("preset") or {"flash_attn": "auto"})
    threads = sorted({app_threads, *references.thread_candidates()})
    wanted = {t: main_reps if t == app_threads else reps for t in threads}  # probes per thread count
    bench.say(f"window: {max(wanted.values())} x (a bare Qt process, then the window at {threads} engine "
              f"thread(s)); {main_reps} probes at the app's {app_threads}, {reps} at the others")
    runs: dict[int, list[dict]] = {t: [] for t in threads}
    bare: list[dict] = []
    error = None
    with tempfile.TemporaryDirectory() as home:
        try:
            for rep in range(max(wanted.values())):
                bare.append(bare_qt(_env(home)))
                for t in (t for t in threads if rep < wanted[t]):
                    probe = window(_env(home, {**preset, "n_threads": t}), tokens)
                    if probe.get("error"):
                        raise RuntimeError(probe["error"])
                    runs[t].append(probe)
        except (RuntimeError, subprocess.TimeoutExpired, ValueError) as exc:
            error = str(exc)
    result = {"main": [] if error else runs[app_threads], "runs": runs, "bare": bare, "error": error,
              "app_threads": app_threads}
    bench.shared["window"] = result
    return result


def measure_window(bench: Bench) -> list[Figure]:
    p = probes(bench)
    return _window_figures(p["main"], p["bare"], p["runs"], p["app_threads"], p["error"])


def measure_memory(bench: Bench) -> list[Figure]:
    from desktop.core.embedded import embedded_model_path

    p = probes(bench)
    return _memory_figures(p["main"], p["bare"], embedded_model_path().stat().st_size, p["error"])


def _tradeoff(runs: dict[int, list[dict]], app_threads: int) -> str:
    parts = []
    for t, probes in runs.items():
        if not probes:
            continue
        plain = median([p["plain_max_gap_ms"] for p in probes])
        structured = median([p["structured_max_gap_ms"] for p in probes])
        rate = median([p["streams"]["plain"]["pieces_per_s"] for p in probes])
        mark = " (the app's choice: the fastest whole request, as tuned)" if t == app_threads else ""
        parts.append(f"{t} thread(s): stall {plain:.0f} ms plain, {structured:.0f} ms structured, "
                     f"{rate:.0f} pieces/s{mark}")
    return "; ".join(parts)


def _click_note(main: list[dict], stream: str) -> str:
    """Where the longest gaps fell: between a click on Generate and its first piece of text (the page
    readies its result card), while the text flowed, and once the answer was in (the card shows the
    finished result and its review, until 0.3 s after the job ended); then each probe's longest gap,
    tagged click, flow or answer."""
    clicks = [p.get(f"{stream}_click_gap_ms") for p in main]
    flows = [p.get(f"{stream}_flow_gap_ms") for p in main]
    if any(c is None for c in clicks + flows):
        return "the click and the flow not measured apart"
    note = (f"longest gap from a click on Generate to its first piece of text {median(clicks):.0f} ms, "
            f"while the text flowed {median(flows):.0f} ms")
    finishes = [p.get(f"{stream}_finish_gap_ms") for p in main]
    if all(f is not None for f in finishes):
        note += f", once the answer was in {median(finishes):.0f} ms"
    longest = ", ".join(_longest_of(p, stream) for p in main)
    return f"{note} (each probe's longest, and where: {longest})"


def _longest_of(probe: dict, stream: str) -> str:
    """One probe's longest gap and the part it fell in: the median of each part hides an outlier's."""
    parts = {where: probe.get(f"{stream}_{part}_gap_ms")
             for where, part in (("click", "click"), ("flow", "flow"), ("answer", "finish"))}
    longest = probe[stream + "_max_gap_ms"]
    where = [w for w, gap in parts.items() if gap is not None and abs(gap - longest) < 0.5]
    return f"{longest:.0f} ms {where[0]}" if where else f"{longest:.0f} ms"


def _window_figures(main, bare, runs, app_threads, error) -> list[Figure]:
    if not main:
        why = error or "no window measured"
        return [not_measured("window_start", "s", "bare Python + Qt process, empty widget shown", START, why),
                not_measured("window_stall", "ms", "the same 5 ms timer, window idle", STALL, why),
                not_measured("window_stall_structured", "ms", "the same 5 ms timer, window idle", STALL, why)]
    host_after = [p["host_start_s"] - p["start_s"] for p in main if "host_start_s" in p]
    loaded = [p["loaded_s"] for p in main if "loaded_s" in p]
    start_note = ("offscreen; the real start (`shopscribe`: logging, the window, the default model's "
                  "load queued) from process start to the main window's first paint")
    if host_after:
        start_note += (f"; the engine host process started {median(host_after):.2f} s after the "
                       f"paint and the model was ready at {median(loaded):.2f} s")
    idle = [p["idle_max_gap_ms"] for p in main]
    tradeoff = _tradeoff(runs, app_threads)
    streamed = main[-1]["streams"]
    plain_note = (f"longest gap of a 5 ms QTimer while the Compose page streams generic-product-description; "
                  f"{streamed['plain']['chars']} characters at {streamed['plain']['pieces_per_s']:.0f} "
                  f"pieces/s; {_click_note(main, 'plain')}; by engine thread count: {tradeoff}")
    structured_note = (f"the same, streaming amazon-listing (JSON through the grammar); "
                       f"{streamed['structured']['chars']} characters at "
                       f"{streamed['structured']['pieces_per_s']:.0f} pieces/s; "
                       f"{_click_note(main, 'structured')}")
    return [
        figure("window_start", [p["start_s"] for p in main], "s",
               "bare Python + Qt process, empty widget shown",
               [b["start_s"] for b in bare], START, start_note),
        figure("window_stall", [p["plain_max_gap_ms"] for p in main], "ms",
               "the same 5 ms timer, window idle", idle,
               STALL, plain_note),
        figure("window_stall_structured", [p["structured_max_gap_ms"] for p in main], "ms",
               "the same 5 ms timer, window idle", idle, STALL, structured_note),
    ]


def _memory_figures(main, bare, model_size, error) -> list[Figure]:
    reference = "bare Python + Qt process RSS"
    if not main or not all("host_rss_bytes" in p for p in main):
        return [not_measured("memory_rss_beyond_model", "MB", reference, MEMORY,
                             error or "no engine host measured")]
    window_mb = [p["rss_bytes"] / MB for p in main]
    host_mb = [p["host_rss_bytes"] / MB for p in main]
    total = [w + h - model_size / MB for w, h in zip(window_mb, host_mb)]
    shown = [p["rss_shown_bytes"] / MB for p in main]
    both = median(total)
    note = (f"the window ({median(window_mb):.0f} MB, {median(shown):.0f} MB of it at the first paint) and "
            f"the engine host ({median(host_mb):.0f} MB, {median(host_mb) - model_size / MB:.0f} MB beyond "
            f"the model file of {model_size / MB:.0f} MB) after streaming, window open; the engine host "
            f"issue's bound for both processes, {MEMORY_BOTH_PROCESSES} MB: "
            f"{'met' if both <= MEMORY_BOTH_PROCESSES else 'NOT met'}")
    released = [(p.get("engine") or {}).get("released_bytes") or 0 for p in main]
    if any(released):
        most = median(released) / MB
        note += (f"; the engine host gave back {most:.0f} MB that llama.cpp had only cleared at load (the KV "
                 f"cache, resident again as its cells are written): a session that writes every cell would "
                 f"hold at most that much more, {both + most:.0f} MB")
    return [figure("memory_rss_beyond_model", total, "MB", reference,
                   [b["rss_bytes"] / MB for b in bare], MEMORY,
                   note)]
