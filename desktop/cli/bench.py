"""`shopscribe bench`: performance figures, each measured beside its reference in the same run.

Also home to the window probe, the offscreen process the benchmark launches to time the window
(the Qt side of the benchmark lives here, since the core never imports Qt).
"""

from __future__ import annotations

import json
import sys
import time

import click

from desktop.cli import main
from desktop.cli.common import print_json, progress, user_errors


def _fmt(x, digits: int = 3) -> str:
    if x is None:
        return "-"
    if isinstance(x, bool):
        return "yes" if x else "NO"
    if abs(x) >= 100:
        return f"{x:.0f}"
    return f"{x:.{digits}g}"


def render_table(report: dict) -> str:
    head = ("figure", "value", "unit", "reference", "ref value", "ratio", "target", "met")
    rows = [head]
    for f in report["figures"]:
        met = "n/a" if f["met"] is None else _fmt(f["met"])
        rows.append((f["name"], _fmt(f["value"]), f["unit"], f["reference"], _fmt(f["reference_value"]),
                     _fmt(f["ratio"]), f["target"], met))
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(head))]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    m = report["machine"]
    lines.insert(0, f"{m.get('cpu')} · {m.get('cores')} cores · {m.get('ram_gb')} GB · Python {m.get('python')} · "
                    f"llama-cpp-python {m.get('llama_cpp')} · {m.get('model')} · {m.get('threads')} threads\n")
    notes = [f"  {f['name']}: {f['note']}" for f in report["figures"] if f.get("note")]
    if notes:
        lines += ["", "notes:", *notes]
    return "\n".join(lines)


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@click.option("--model", default=None, help="A model id or a .gguf path (default: the default model).")
@click.option("--quick", is_flag=True, help="Tiny token counts, one repetition: checks the benchmark runs.")
@click.option("--only", "only", multiple=True, metavar="NAME",
              help="Only these groups: decode, prefix, batch, window, memory, history, check, serve (repeatable).")
@click.option("--threads", type=int, default=None, help="Threads for every side (default: the engine's).")
@user_errors
def bench(as_json: bool, model: str | None, quick: bool, only: tuple[str, ...], threads: int | None) -> None:
    """Performance figures, each beside its reference measured in the same run."""
    from desktop.core.bench import GROUPS, run_bench

    names: list[str] = []
    for item in only:
        names += [n for n in item.replace(",", " ").split() if n]
    unknown = [n for n in names if n not in GROUPS]
    if unknown:
        raise click.BadParameter(f"unknown {', '.join(unknown)}; choose from {', '.join(GROUPS)}", param_hint="--only")
    report = run_bench(model=model, quick=quick, only=names or None, threads=threads, progress=progress)
    if as_json:
        print_json(report)
    else:
        click.echo(render_table(report))


# ----- the window probe (runs in its own offscreen process) ----------------------------------------------
IDLE_S = 1.5
MAX_ROUNDS = 4


def window_probe(argv: list[str]) -> int:
    """argv: model path, tokens to stream, threads, the launch time (time.time()). Prints one JSON line."""
    model_path, want, threads, t0 = argv[0], int(argv[1]), int(argv[2]), float(argv[3])
    try:
        result = _probe(model_path, want, threads, t0)
    except Exception as exc:  # the parent reports it as "not measured", with this reason
        result = {"error": f"{type(exc).__name__}: {exc}"}
    sys.stdout.write(json.dumps(result) + "\n")
    sys.stdout.flush()
    return 0


def _probe(model_path: str, want: int, threads: int, t0: float) -> dict:
    import psutil
    from PySide6.QtCore import QEvent, QObject, Qt, QTimer

    from desktop.ui.app import create_main_window, ensure_app, shutdown

    app = ensure_app(["shopscribe"])
    window = create_main_window(load_model=False)
    out: dict = {}
    state = {"phase": "showing", "last": 0.0, "gap": {"idle": 0.0, "stream": 0.0}, "rounds": 0,
             "chars": 0, "pieces": 0, "rate": 0.0, "phase_t": 0.0, "stream_s": 0.0}

    class PaintWatch(QObject):
        def eventFilter(self, obj, event):  # noqa: N802 - Qt's name
            if event.type() == QEvent.Type.Paint and "start_s" not in out:
                out["start_s"] = time.time() - t0
                out["rss_shown_bytes"] = psutil.Process().memory_info().rss  # before the model loads
                QTimer.singleShot(0, loaded_next)
            return False

    watch = PaintWatch()
    window.installEventFilter(watch)
    engine = window.ctx.engine
    page = None

    def fail(why: str) -> None:
        out["error"] = why
        app.quit()

    def loaded_next() -> None:
        state["phase"] = "loading"
        engine.load(model_path, n_threads=threads)

    def on_loaded(_info) -> None:
        nonlocal page
        page = window.show_page("compose")
        state["phase"] = "choices"

    def on_text(_job, _stream, text) -> None:
        state["chars"] += len(text)

    def on_progress(_job, pieces, rate) -> None:
        state["pieces"], state["rate"] = pieces, rate

    engine.modelLoaded.connect(on_loaded)
    engine.loadFailed.connect(lambda message: fail(f"model load failed: {message}"))
    engine.textReady.connect(on_text)
    engine.jobProgress.connect(on_progress)

    def start_round() -> None:
        state["rounds"] += 1
        page.form.set_field("product_name", "Stainless steel water bottle 750 ml, double wall, keeps cold 24 h")
        page.max_tokens_override = want
        page.generate()
        if not page.running:
            fail(page.message.text() or "the Compose page did not start a generation")

    def tick() -> None:
        now = time.perf_counter()
        gap = (now - state["last"]) * 1000 if state["last"] else 0.0
        state["last"] = now
        phase = state["phase"]
        if phase in state["gap"]:
            state["gap"][phase] = max(state["gap"][phase], gap)
        if phase == "choices" and page is not None and page.form.choices is not None:
            state["phase"], state["phase_t"] = "idle", now
        elif phase == "idle" and now - state["phase_t"] >= IDLE_S:
            state["phase"], state["phase_t"] = "stream", now
            start_round()
        elif phase == "stream" and not page.running:
            if state["pieces"] < want and state["rounds"] < MAX_ROUNDS and "error" not in out:
                start_round()  # the model ended early: stream more
            else:
                state["stream_s"] = now - state["phase_t"]
                state["phase"] = "done"
                # now, while the window is open and the model loaded (quitting may unload it)
                out["rss_bytes"] = psutil.Process().memory_info().rss
                app.quit()

    ticker = QTimer()
    ticker.setTimerType(Qt.TimerType.PreciseTimer)
    ticker.setInterval(5)
    ticker.timeout.connect(tick)
    ticker.start()
    QTimer.singleShot(150_000, lambda: fail(f"timed out in phase {state['phase']}"))
    window.show()
    app.exec()
    ticker.stop()
    window.close()
    shutdown(window)
    if "error" in out:
        return out
    out.update({
        "idle_max_gap_ms": state["gap"]["idle"], "stream_max_gap_ms": state["gap"]["stream"],
        "chars": state["chars"], "rounds": state["rounds"], "stream_s": state["stream_s"],
        "streamed": f"{state['rounds']} generation(s), {state['chars']} characters in {state['stream_s']:.1f} s "
                    f"(last at {state['rate']:.0f} pieces/s)",
    })
    return out
