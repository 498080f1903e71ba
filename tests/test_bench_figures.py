"""Each figure's measurement does the work it claims, on tiny sizes (no timing assertions: a figure's value
is checked to be a real measurement, never its speed)."""

from __future__ import annotations

import re
import sys
import threading
import time

import pytest

from desktop.core.bench import BenchConfig
from desktop.core.bench.context import Bench
from desktop.core.engine import Finished, GenerationRequest, TextDelta


def tiny(engine=None, **overrides) -> Bench:
    config = BenchConfig.for_run(quick=True, progress=lambda _m: None)
    for key, value in overrides.items():
        setattr(config, key, value)
    return Bench(config, engine)


# ----- consuming events as the window does ----------------------------------------------------------------
class PacedEngine:
    """Yields a piece every `every` seconds from its own thread's point of view (no model)."""

    def __init__(self, pieces: int, every: float) -> None:
        self.pieces, self.every = pieces, every

    def stream(self, request):
        for i in range(self.pieces):
            time.sleep(self.every)
            yield TextDelta(f"{i} ")
        yield Finished("".join(f"{i} " for i in range(self.pieces)), 5, self.pieces, 0.0, 0.0, "length")


def test_consume_delivers_every_event_in_order_at_most_once_per_frame():
    from desktop.core.bench.hostpath import FRAME_S, consume

    engine = PacedEngine(40, 0.002)
    run = consume(engine, GenerationRequest(prompt="x"))
    assert run.text == run.finished.text and run.deltas == 40
    span = run.finished_delivered - run.started
    assert 2 <= run.frames <= span / FRAME_S + 1  # drained in frames, not per event
    assert run.first_text_posted < run.last_text_posted <= run.finished_posted
    assert run.decode_rate == pytest.approx(39 / (run.finished_posted - run.first_text_posted))


def test_consume_streams_on_the_callers_thread_drains_on_another_and_passes_errors_on():
    """The engine side stays on the caller's thread, where the benchmark's references run: llama.cpp's
    OpenMP build slows down once two threads of one process have started its computations."""
    from desktop.core.bench.hostpath import consume

    seen = []

    class Failing:
        def stream(self, request):
            seen.append(threading.current_thread().name)
            yield TextDelta("a")
            raise RuntimeError("the engine broke")

    with pytest.raises(RuntimeError, match="the engine broke"):
        consume(Failing(), GenerationRequest(prompt="x"))
    assert seen == [threading.current_thread().name]
    assert not [t for t in threading.enumerate() if t.name == "bench-frames"]  # the drain ended too

    class Unfinished:
        def stream(self, request):
            yield TextDelta("a")

    with pytest.raises(RuntimeError, match="without its statistics"):
        consume(Unfinished(), GenerationRequest(prompt="x"))


# ----- references at their best settings --------------------------------------------------------------------
def test_the_sweep_keeps_the_fastest_setting_open_and_closes_the_others():
    from desktop.core.bench.references import settings_candidates, sweep

    candidates = [{"flash_attn": "on", "n_threads": 1}, {"flash_attn": "off", "n_threads": 2},
                  {"flash_attn": "on", "n_threads": 2}]
    speed = {("on", 1): 10.0, ("off", 2): 30.0, ("on", 2): 20.0}
    closed, calls = [], []

    def rate(runner):
        calls.append(runner)
        return speed[runner]

    result, kept = sweep(lambda c: (c["flash_attn"], c["n_threads"]), rate, candidates, runs=2,
                         close=closed.append)
    assert result.best == {"flash_attn": "off", "n_threads": 2} and kept == ("off", 2)
    assert sorted(closed) == [("on", 1), ("on", 2)]
    assert calls[:3] == [("on", 1), ("off", 2), ("on", 2)] and len(calls) == 6  # alternately, twice each
    assert "flash attention off, 2 thread(s) 30.0" in result.summary()
    assert {c["flash_attn"] for c in settings_candidates()} == {"on", "off"}
    assert 1 in {c["n_threads"] for c in settings_candidates()}


def test_the_engine_is_also_measured_at_each_reference_setting_that_is_not_its_own():
    from desktop.core.bench.references import differing

    ours = {"flash_attn": "off", "n_threads": 2}
    on2, off1 = {"flash_attn": "on", "n_threads": 2}, {"flash_attn": "off", "n_threads": 1}
    assert differing(ours, [dict(ours), {"flash_attn": "off", "n_threads": "2"}]) == []
    assert differing(ours, [on2, dict(on2)]) == [on2]  # both references at one other setting: once
    assert differing(ours, [off1, on2]) == [off1, on2]
    assert differing({"flash_attn": "auto", "n_threads": 2}, [ours]) == [ours]  # "auto" is not "off"


# ----- the synthetic laptop-class model ---------------------------------------------------------------------
def test_the_synthetic_model_has_the_shape_and_the_embedded_tokenizer_and_is_written_once(model_path):
    import gguf

    from desktop.core.bench import synthetic

    path = synthetic.ensure_model(synthetic.TINY)
    assert path.parent == synthetic.cache_dir() and synthetic.TINY.key() in path.name
    mtime = path.stat().st_mtime_ns
    assert synthetic.ensure_model(synthetic.TINY) == path and path.stat().st_mtime_ns == mtime  # cached
    reader = gguf.GGUFReader(str(path))
    fields = reader.fields
    assert fields["general.architecture"].contents() == "qwen2"
    assert fields["qwen2.block_count"].contents() == synthetic.TINY.n_layer
    assert fields["qwen2.attention.head_count_kv"].contents() == synthetic.TINY.n_head_kv
    embedded = gguf.GGUFReader(str(model_path)).fields
    assert fields["tokenizer.ggml.tokens"].contents() == embedded["tokenizer.ggml.tokens"].contents()
    assert fields["tokenizer.chat_template"].contents() == embedded["tokenizer.chat_template"].contents()
    weights = {t.name: t for t in reader.tensors}
    assert weights["blk.0.ffn_up.weight"].tensor_type == gguf.GGMLQuantizationType.Q4_0
    assert list(weights["blk.1.ffn_down.weight"].shape) == [synthetic.TINY.n_ff, synthetic.TINY.n_embd]
    assert (
        synthetic.LAPTOP.n_layer == 28 and synthetic.LAPTOP.n_embd == 1536 and synthetic.LAPTOP.n_ff == 8960
    )


@pytest.mark.model
def test_laptop_figures_run_the_catalog_through_the_engine_host_on_the_synthetic_model():
    from desktop.core.bench import laptop

    figures = {f.name: f for f in laptop.measure(tiny(catalog_size=3, laptop_tokens=5, catalog_products=30))}
    assert set(figures) == {"batch_catalog_3_laptop", "catalog_1000_laptop_min", "prompt_laptop",
                            "memory_rss_beyond_model_laptop"}
    batch = figures["batch_catalog_3_laptop"]
    assert batch.value > 0 and batch.reference_value > 0
    assert "differ" not in batch.note  # both sides wrote exactly 3 x 5 tokens
    took = re.search(r"the prompts took ([\d.]+) s of the parallel group's ([\d.]+) s and ([\d.]+) s of "
                     r"the ([\d.]+) s one after another, so with them the speed-up cannot pass ([\d.]+)x",
                     batch.note)
    assert took, batch.note
    batched_prompt, batched_all, seq_prompt, seq_all, bound = map(float, took.groups())
    assert 0 < batched_prompt <= batched_all and 0 < seq_prompt <= seq_all and bound > 0
    assert all("synthetic model" in f.note for f in figures.values())
    catalog = figures["catalog_1000_laptop_min"]
    assert catalog.value > 0 and catalog.reference_value > 0 and "10 groups of 3" in catalog.note
    assert figures["prompt_laptop"].value > 0 and figures["prompt_laptop"].met is None
    assert figures["memory_rss_beyond_model_laptop"].value > 0


def test_the_batch_bound_counts_the_prompts_on_both_sides():
    from desktop.core.bench.laptop import _prompt_bound

    # 8 products x 11 tokens: 10 decode steps each; 1 token a step 100 ms, 8 tokens 200 ms.
    note = _prompt_bound({"batched": [2.0, 4.0, 3.0], "sequential": [4.0]},
                         {"batched": [6.0], "sequential": [12.0]}, 8, 11, 100.0, 200.0)
    # (4 + 8 x 10 x 0.1) / (3 + 10 x 0.2) = 12 / 5
    assert note == ("the prompts took 3.00 s of the parallel group's 6.00 s and 4.00 s of the 12.00 s one "
                    "after another, so with them the speed-up cannot pass 2.40x")


def test_catalog_requests_render_the_templates_real_prompt_for_each_product():
    from desktop.core.bench.laptop import TEMPLATE, catalog_requests
    from desktop.core.bench.prompts import PRODUCT_FIELDS, template_messages

    requests = catalog_requests(10, 150)
    assert len({r.seed for r in requests}) == 10
    assert len({r.messages[1]["content"] for r in requests}) == 10  # ten different products
    assert len({r.messages[0]["content"] for r in requests}) == 1  # one template
    assert requests[0].messages == template_messages(TEMPLATE, PRODUCT_FIELDS[0])[0]
    assert all(r.ignore_eos and r.max_tokens == 150 for r in requests)


# ----- engine figures, through the engine host --------------------------------------------------------------
@pytest.mark.model
def test_prefix_figure_reuses_the_shared_template_prefix(engine):
    from desktop.core.bench import prefix

    (f,) = prefix.measure(tiny(engine))
    assert f.name == "prefix_reuse_ttft" and f.unit == "ms"
    assert f.value > 0 and f.reference_value > 0
    shared, reused = [int(x) for x in f.note.replace("-", " ").split() if x.isdigit()][:2]
    assert shared >= 300 and reused >= 300  # the second request really skipped the shared prefix


@pytest.mark.model
def test_grammar_figure_decodes_json_and_plain_text_of_the_same_length(engine):
    from desktop.core.bench import grammar

    (f,) = grammar.measure(tiny(engine, grammar_tokens=12))
    assert f.name == "decode_grammar" and f.value > 0 and f.reference_value > 0
    assert "12-12 tokens per run" in f.note and "one of 14 structured built-ins" in f.note


@pytest.mark.model
def test_host_overhead_compares_the_host_with_the_same_engine_in_process(engine):
    from desktop.core.bench import decode

    (f,) = decode.host_overhead(tiny(engine))
    assert f.name == "host_ttft_overhead" and f.unit == "ms"
    assert f.reference_value > 0 and len(f.samples) == 1
    assert f.target.bound == 10


# ----- the store and the checks -----------------------------------------------------------------------------
def test_history_figure_fetches_what_the_page_fetches_against_a_like_scan_of_the_same_rows():
    from desktop.core.bench import store_checks
    from desktop.core.store.history import PAGE_ROWS

    (f,) = store_checks.measure_history(tiny(history_rows=1_200, short_repetitions=2))
    assert f.name == "history_search" and f.unit == "ms"
    assert f.note.startswith("1,200 rows") and f"up to {PAGE_ROWS} rows" in f.note and "p95" in f.note
    assert "other rows" not in f.note  # the LIKE scan returned exactly the rows the search did
    assert f.value > 0 and f.reference_value > 0 and all(s > 0 for s in f.samples)
    assert len(f.samples) == 9 and f.target.on == "value" and f.target.bound == 50


def test_the_page_fetch_and_the_like_scan_return_the_same_rows(tmp_path):
    from desktop.core.bench.store_checks import like_fetch, page_fetch
    from desktop.core.store.bench_data import fill_history
    from desktop.core.store.db import open_db
    from desktop.core.store.history import PAGE_ROWS

    db = open_db(tmp_path / "h.db")
    fill_history(db, 1_500)
    for query in ("保温", "water", "户外 轻便", "无此"):
        found = page_fetch(db, query)
        assert [r["id"] for r in found] == [r["id"] for r in like_fetch(db, query)]
    assert len(page_fetch(db, "")) == PAGE_ROWS  # the page's limit, not a smaller one
    db.close()


def test_the_benchmark_fetches_as_many_rows_as_the_history_page():
    from desktop.core.store.history import PAGE_ROWS
    from desktop.ui.pages import history_page

    assert history_page.PAGE_ROWS == PAGE_ROWS


def test_check_figure_checks_10000_characters():
    from desktop.core.bench import store_checks

    (f,) = store_checks.measure_checks(tiny())
    assert f.name == "check_10k_chars"
    assert f.value > 0 and f.reference_value > 0
    assert f.note.startswith("10,000 characters")


# ----- the window -------------------------------------------------------------------------------------------
def test_bare_qt_reference_process_reports_start_and_memory(tmp_path):
    from desktop.core.bench import window

    result = window.bare_qt(window._env(str(tmp_path)))
    assert result["painted"] is True
    assert 0 < result["start_s"] < 60
    assert result["rss_bytes"] > 10 * 1024 * 1024


def test_window_figures_are_not_measured_with_a_reason_when_the_probe_fails(monkeypatch):
    from desktop.core.bench import window

    def broken(*_args, **_kwargs):
        raise RuntimeError("probe exited with 1: no display")

    monkeypatch.setattr(window, "bare_qt", broken)
    bench = tiny()
    figures = window.measure_window(bench) + window.measure_memory(bench)
    assert [f.name for f in figures] == ["window_start", "window_stall", "window_stall_structured",
                                         "memory_rss_beyond_model"]
    assert all(f.value is None and f.met is None and "no display" in f.note for f in figures)


def test_the_window_is_probed_five_times_at_the_apps_thread_count_and_less_at_the_others(monkeypatch):
    import json

    from desktop.core.bench import references, window
    from desktop.core.engine import tuning

    started = []

    def probe(env, _tokens):
        started.append(json.loads(env[tuning.ENV])["n_threads"])
        gaps = {f"{s}_{part}_gap_ms": 9.0 for s in ("plain", "structured")
                for part in ("click", "flow", "finish")}
        return {"start_s": 0.5, "idle_max_gap_ms": 7.0, "plain_max_gap_ms": 9.0, "structured_max_gap_ms": 9.0,
                "streams": {s: {"chars": 10, "pieces_per_s": 50.0} for s in ("plain", "structured")}, **gaps}

    monkeypatch.setattr(window, "window", probe)
    monkeypatch.setattr(window, "bare_qt", lambda _env: {"start_s": 0.2, "rss_bytes": 1})
    monkeypatch.setattr(references, "thread_candidates", lambda: [1, 2])
    bench = tiny(repetitions=3, window_probes=5)
    bench.settings = {"n_threads": 2}
    p = window.probes(bench)
    assert p["error"] is None and p["app_threads"] == 2
    assert started.count(2) == len(p["main"]) == 5 and started.count(1) == len(p["runs"][1]) == 3
    assert len(p["bare"]) == 5
    stall = window.measure_window(bench)[1]
    assert len(stall.samples) == 5


def test_memory_counts_both_processes_and_judges_both_bounds():
    from desktop.core.bench.window import MB, _memory_figures

    model = 100 * MB
    probe = {"rss_bytes": 150 * MB, "host_rss_bytes": 220 * MB, "rss_shown_bytes": 120 * MB}
    (f,) = _memory_figures([probe], [{"rss_bytes": 50 * MB}], model, None)
    assert f.value == pytest.approx(270)  # 150 + 220 - 100
    assert f.met is False  # 250 MB
    assert "window (150 MB" in f.note and "host (220 MB, 120 MB beyond" in f.note and "300 MB: met" in f.note
    assert "gave back" not in f.note
    probe["engine"] = {"released_bytes": 90 * MB}  # the KV cache llama.cpp only cleared at load
    (f,) = _memory_figures([probe], [{"rss_bytes": 50 * MB}], model, None)
    assert "gave back 90 MB" in f.note and "at most that much more, 360 MB" in f.note


@pytest.mark.model
@pytest.mark.slow
def test_window_probe_starts_for_real_streams_both_templates_and_reports(tmp_path, engine_settings):
    from desktop.core.bench import window

    result = window.window(window._env(str(tmp_path), {**engine_settings, "n_threads": 1}), 16)
    assert "error" not in result, result.get("error")
    assert result["start_s"] > 0
    # the engine host is started by the load queued after the first paint, never before it
    assert result["host_start_s"] > result["start_s"] - 0.02 and result["loaded_s"] > result["start_s"]
    assert result["engine"]["n_threads"] == 1
    if sys.platform.startswith("linux"):
        assert result["engine"]["released_bytes"] > 0  # the cleared KV cache, given back at load
    for stream in ("plain", "structured"):
        assert result[f"{stream}_max_gap_ms"] >= 5  # the ticks really ran while it streamed
        # the longest gap is the longest of its parts: the click to the first piece, the flow, then the
        # finished answer and its review, shown until after the job ends
        parts = [result[f"{stream}_{part}_gap_ms"] for part in ("click", "flow", "finish")]
        assert all(p > 0 for p in parts) and max(parts) == pytest.approx(result[f"{stream}_max_gap_ms"])
        assert result["streams"][stream]["chars"] > 0  # text really reached the window
    assert result["idle_max_gap_ms"] >= 5
    assert result["host_rss_bytes"] > window.MB * 50 and result["rss_bytes"] > result["rss_shown_bytes"] * 0.5


def test_the_stall_note_says_where_the_longest_gaps_fell_and_lists_each_probe():
    from desktop.core.bench import window

    probes = [{"structured_click_gap_ms": c, "structured_flow_gap_ms": f, "structured_finish_gap_ms": e,
               "structured_max_gap_ms": max(c, f, e)} for c, f, e in [(8, 14, 3), (9, 52, 20), (7, 12, 76)]]
    note = window._click_note(probes, "structured")
    assert "to its first piece of text 8 ms" in note and "while the text flowed 14 ms" in note
    assert "once the answer was in 20 ms" in note
    assert "(each probe's longest, and where: 14 ms flow, 52 ms flow, 76 ms answer)" in note
    # a probe from before the finish was measured apart: the note leaves that part out
    older = [{k: v for k, v in p.items() if "finish" not in k} for p in probes]
    note = window._click_note(older, "structured")
    assert "once the answer" not in note and note.endswith("14 ms flow, 52 ms flow, 76 ms)")  # not placed
