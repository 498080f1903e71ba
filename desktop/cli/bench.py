"""`shopscribe bench`: performance figures, each measured beside its reference in the same run.

Also home to the window probe, the offscreen process the benchmark launches to time the window
(the Qt side of the benchmark lives here, since the core never imports Qt).
"""

from __future__ import annotations

import json
import signal
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
        rows.append((f["name"], _fmt(f["value"]), f["unit"], f["reference"] or "-",
                     _fmt(f["reference_value"]),
                     _fmt(f["ratio"]), f["target"], met))
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(head))]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    m = report["machine"]
    engine = report.get("engine") or {}
    lines.insert(0,
                 f"{m.get('cpu')} · {m.get('cores')} cores · {m.get('ram_gb')} GB · Python "
                    f"{m.get('python')} · llama-cpp-python {m.get('llama_cpp')} · {m.get('model')} · "
                    f"{m.get('threads')} threads · load average {m.get('load_average_start')} at the start, "
                    f"{m.get('load_average')} at the end"
                    + (f"\nengine: {engine['describe']}" if engine.get("describe") else "") + "\n")
    notes = [f"  {f['name']}: {f['note']}" for f in report["figures"] if f.get("note")]
    if notes:
        lines += ["", "notes:", *notes]
    return "\n".join(lines)


def render_markdown(report: dict) -> str:
    """The figures as a Markdown table, then the notes and the machine (what docs/performance.md shows)."""
    rows = ["| figure | value | unit | reference | reference value | ratio | target | met |",
            "|---|---|---|---|---|---|---|---|"]
    for f in report["figures"]:
        met = "n/a" if f["met"] is None else ("yes" if f["met"] else "**no**")
        rows.append(f"| `{f['name']}` | {_fmt(f['value'])} | {f['unit']} | {f['reference'] or '-'} | "
                    f"{_fmt(f['reference_value'])} | {_fmt(f['ratio'])} | {f['target']} | {met} |")
    notes = [f"- `{f['name']}`: {f['note']}" for f in report["figures"] if f.get("note")]
    m, engine = report["machine"], report.get("engine") or {}
    machine = (f"{m.get('cpu')}, {m.get('cores')} logical cores ({m.get('physical_cores')} physical), "
               f"{m.get('ram_gb')} GB RAM, {m.get('os')}, Python {m.get('python')}, llama-cpp-python "
               f"{m.get('llama_cpp')}, model `{m.get('model')}` ({m.get('model_file')}), load average "
               f"{m.get('load_average_start')} at the start and {m.get('load_average')} at the end (1, 5, "
               "15 minutes)")
    if engine.get("describe"):
        machine += f"; engine: {engine['describe']}"
    timeline = ", ".join(
        f"{g['group']} {g['seconds']:.0f} s (load {g['load'][0]})"
        for g in m.get("groups") or []
        if g.get("load")
    )
    lines = [*rows, "", "Notes printed by the run:", "", *notes, "", f"Machine: {machine}."]
    if timeline:
        lines.append(f"Groups, their duration and the 1-minute load average after each: {timeline}.")
    return "\n".join(lines)


def _interrupt(_signum, _frame) -> None:
    raise KeyboardInterrupt


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@click.option("--markdown", is_flag=True,
              help="Print the figures as Markdown (as docs/performance.md shows them).")
@click.option("--report", "report_file", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Measure nothing: show a report saved with --json.")
@click.option("--model", default=None, help="A model id or a .gguf path (default: the default model).")
@click.option("--quick", is_flag=True, help="Tiny token counts, one repetition: checks the benchmark runs.")
@click.option("--only", "only", multiple=True, metavar="NAME",
              help="Only these groups (repeatable): decode, grammar, prefix, serve, quality, window, memory, "
                   "history, check, laptop.")
@click.option("--threads", type=int, default=None, help="Threads for every side (default: the engine's).")
@click.option("--repetitions", type=click.IntRange(1, 20), default=None,
              help="Repetitions of the long figures (laptop batches, windows; default 3): fewer on a "
              "busy machine.")
@user_errors
def bench(as_json: bool, markdown: bool, report_file: str | None, model: str | None, quick: bool,
          only: tuple[str, ...], threads: int | None, repetitions: int | None) -> None:
    """Performance figures, each beside its reference measured in the same run."""
    from desktop.core.bench import groups, run_bench

    if report_file:
        with open(report_file, encoding="utf-8") as fh:
            saved = json.load(fh)
        click.echo(render_markdown(saved) if markdown else json.dumps(saved, ensure_ascii=False, indent=2)
                   if as_json else render_table(saved))
        return

    names: list[str] = []
    for item in only:
        names += [n for n in item.replace(",", " ").split() if n]
    known = list(groups())
    unknown = [n for n in names if n not in known]
    if unknown:
        raise click.BadParameter(f"unknown {', '.join(unknown)}; choose from {', '.join(known)}",
                                 param_hint="--only")
    previous = signal.signal(signal.SIGTERM, _interrupt)  # a stopped run still reports the groups it finished
    try:
        report = run_bench(model=model, quick=quick, only=names or None, threads=threads, progress=progress,
                           repetitions=repetitions)
    finally:
        signal.signal(signal.SIGTERM, previous)
    if report.get("interrupted"):
        progress(f"interrupted: {report['interrupted']}")
    if as_json:
        print_json(report)
    elif markdown:
        click.echo(render_markdown(report))
    else:
        click.echo(render_table(report))


# ----- the window probe (runs in its own offscreen process) ----------------------------------------------
IDLE_S = 1.5
SETTLE_MS = 300
SHOWN_S = 0.3  # after the job ends, its review is still being shown (frame-staged, or checked on a worker)
MAX_ROUNDS = 4
PLAIN = {"content_type": "product-description", "platform": None,
         "template_id": "generic-product-description",
         "lang": "en"}
STRUCTURED = {"content_type": "product-description", "platform": "amazon", "template_id": "amazon-listing",
              "lang": "en"}
PRODUCT = {"product_name": "Stainless steel water bottle 750 ml", "features": "double wall, keeps cold 24 h",
           "specs": "18/8 steel, leak-proof lid"}


def window_probe(argv: list[str]) -> int:
    """argv: tokens to stream per template, the launch time (time.time()). Prints one JSON line.

    The real start: the command's package, logging, then the window exactly as `shopscribe` opens it,
    with the default model's load queued to start after the first paint. Then, with the model loaded:
    the Compose page idle, then streaming a plain template and a structured one (JSON through the
    grammar), while a 5 ms timer records the longest gap of the GUI thread."""
    want, t0 = int(argv[0]), float(argv[1])
    try:
        result = _probe(want, t0)
    except Exception as exc:  # the parent reports it as "not measured", with this reason
        result = {"error": f"{type(exc).__name__}: {exc}"}
    sys.stdout.write(json.dumps(result) + "\n")
    sys.stdout.flush()
    return 0


def _started_at(pid: int) -> float:
    """When a process started (time.time() scale). psutil's create_time() counts from the boot time in
    whole seconds; on Linux the clock ticks since boot, against /proc/uptime, are good to 10 ms."""
    import os

    try:
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()  # noqa: SIM115 - read at once
        ticks = int(fields[19])  # starttime: the 22nd field, the 20th after "pid (comm)"
        uptime = float(open("/proc/uptime").read().split()[0])  # noqa: SIM115
        return time.time() - uptime + ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        import psutil

        return psutil.Process(pid).create_time()


def _probe(want: int, t0: float) -> dict:
    from desktop.core.logs import setup_logging

    setup_logging(False)  # as `shopscribe` does before it opens the window
    import psutil
    from PySide6.QtCore import QEvent, QObject, Qt, QTimer

    from desktop.ui.app import create_main_window, ensure_app, shutdown
    from desktop.ui.context import SamplingOverrides

    app = ensure_app(["shopscribe"])
    # the real start: the model load is queued for after the first paint
    window = create_main_window(sampling=SamplingOverrides(max_tokens=want))
    out: dict = {}
    streams = [("plain", PLAIN), ("structured", STRUCTURED)]
    state = {"phase": "showing", "last": 0.0,
             "gap": {"idle": 0.0, "plain": 0.0, "structured": 0.0}, "rounds": 0,
             "click_gap": {"plain": 0.0, "structured": 0.0}, "flow_gap": {"plain": 0.0, "structured": 0.0},
             "finish_gap": {"plain": 0.0, "structured": 0.0},
             "flowing": False, "finishing": False, "ended_t": 0.0, "settling": False,
             "chars": 0, "pieces": 0, "rate": 0.0, "phase_t": 0.0, "stream": 0, "report": {}}

    class PaintWatch(QObject):
        """The first paint of anything in the window: the moment the app's own AfterFirstPaint waits for."""

        def eventFilter(self, obj, event):  # noqa: N802 - Qt's name
            if (event.type() == QEvent.Type.Paint and "start_s" not in out and hasattr(obj, "window")
                    and obj.window() is window):
                out["start_s"] = time.time() - t0
                out["rss_shown_bytes"] = psutil.Process().memory_info().rss  # before the model loads
            return False

    watch = PaintWatch()
    app.installEventFilter(watch)  # before the app's own filter, so it sees each paint first
    engine = window.ctx.engine
    page = None

    def fail(why: str) -> None:
        out["error"] = why
        app.quit()

    def on_loaded(info) -> None:
        nonlocal page
        out["loaded_s"] = time.time() - t0
        pid = info.get("host_pid")
        if pid:
            out["host_pid"] = pid
            out["host_start_s"] = _started_at(pid) - t0
        out["engine"] = {k: info.get(k) for k in ("flash_attn", "n_threads", "n_ctx", "model_id",
                                                  "released_bytes")}
        page = window.show_page("compose")
        state["phase"] = "choices"

    def on_text(_stream, text) -> None:
        state["chars"] += len(text)
        state["flowing"] = True

    def on_event(event) -> None:
        if getattr(event, "result", None) is not None:  # the answer is in: the card shows the result
            state["finishing"] = True

    def on_progress(pieces, rate) -> None:
        state["pieces"], state["rate"] = pieces, rate

    engine.modelLoaded.connect(on_loaded)
    engine.loadFailed.connect(lambda message: fail(f"model load failed: {message}"))

    def start_round() -> None:
        # The probe fills the form, lets the window settle, then clicks: a merchant's typing and the
        # click are moments apart, and the form's own layout and paint are not the click's time.
        state["rounds"] += 1
        state["settling"] = True
        page.form.load_generation({**streams[state["stream"]][1], "inputs": PRODUCT})
        page.form.variants.setValue(1)
        QTimer.singleShot(SETTLE_MS, click)

    def click() -> None:
        state["settling"] = False
        state["last"] = time.perf_counter()
        state["flowing"] = state["finishing"] = False
        state["ended_t"] = 0.0
        page.generate()
        if not page.running:
            fail(page.message.text() or "the Compose page did not start a generation")
            return
        page.job.text.connect(on_text)
        page.job.progress.connect(on_progress)
        page.job.event.connect(on_event)

    def next_stream(now: float) -> None:
        name = streams[state["stream"]][0]
        state["report"][name] = {"rounds": state["rounds"], "chars": state["chars"],
                                 "s": now - state["phase_t"],
                                 "pieces_per_s": state["rate"]}
        state["stream"] += 1
        state["rounds"], state["chars"], state["pieces"], state["rate"] = 0, 0, 0, 0.0
        if state["stream"] < len(streams):
            state["phase"], state["phase_t"] = streams[state["stream"]][0], now
            start_round()
        else:
            state["phase"] = "done"
            # now, while the window is open and the model loaded (quitting unloads it)
            out["rss_bytes"] = psutil.Process().memory_info().rss
            if out.get("host_pid"):
                out["host_rss_bytes"] = psutil.Process(out["host_pid"]).memory_info().rss
            app.quit()

    def tick() -> None:
        now = time.perf_counter()
        gap = (now - state["last"]) * 1000 if state["last"] else 0.0
        state["last"] = now
        phase = state["phase"]
        if state["settling"]:
            return
        if phase in state["gap"]:
            state["gap"][phase] = max(state["gap"][phase], gap)
        if phase in state["click_gap"]:  # the click to the first piece, the flow, the finished result
            part = "finish_gap" if state["finishing"] else "flow_gap" if state["flowing"] else "click_gap"
            state[part][phase] = max(state[part][phase], gap)
        if phase == "choices" and page is not None and page.form.choices is not None:
            state["phase"], state["phase_t"] = "idle", now
        elif phase == "idle" and now - state["phase_t"] >= IDLE_S:
            state["phase"], state["phase_t"] = streams[0][0], now
            start_round()
        elif phase in ("plain", "structured") and not page.running:
            # the answer's review is shown after the job ends: those gaps count too (as "finish")
            state["finishing"] = True
            state["ended_t"] = state["ended_t"] or now
            if now - state["ended_t"] < SHOWN_S:
                return
            if state["pieces"] < want and state["rounds"] < MAX_ROUNDS and "error" not in out:
                start_round()  # the model ended early: stream more
            else:
                next_stream(now)

    ticker = QTimer()
    ticker.setTimerType(Qt.TimerType.PreciseTimer)
    ticker.setInterval(5)
    ticker.timeout.connect(tick)
    ticker.start()
    QTimer.singleShot(240_000, lambda: fail(f"timed out in phase {state['phase']}"))
    window.show()
    app.exec()
    ticker.stop()
    window.close()
    shutdown(window)
    if "error" in out:
        return out
    out.update({"idle_max_gap_ms": state["gap"]["idle"], "plain_max_gap_ms": state["gap"]["plain"],
                "structured_max_gap_ms": state["gap"]["structured"], "streams": state["report"],
                **{f"{stream}_{part}_ms": state[part][stream] for stream in ("plain", "structured")
                   for part in ("click_gap", "flow_gap", "finish_gap")}})
    return out
