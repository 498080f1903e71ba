"""The benchmark measures what it says it measures (never how fast: no timing assertions here)."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from desktop.core.bench import GROUPS, prompts
from desktop.core.bench.stats import (
    NO_TARGET,
    Figure,
    Target,
    figure,
    interleaved,
    median,
    not_measured,
    percentile,
    ratio,
)

FIGURE_KEYS = {"name", "value", "unit", "reference", "reference_value", "ratio", "target", "met"}


# ----- arithmetic -------------------------------------------------------------------------------------
def test_median_takes_the_middle_or_the_mean_of_the_two_middles():
    assert median([5.0, 1.0, 3.0]) == 3.0
    assert median([4.0, 1.0, 3.0, 2.0]) == 2.5
    with pytest.raises(ValueError):
        median([])


def test_ratio_is_value_over_reference_and_none_when_undefined():
    assert ratio(3.0, 4.0) == 0.75
    assert ratio(None, 4.0) is None
    assert ratio(3.0, None) is None
    assert ratio(3.0, 0.0) is None


@pytest.mark.parametrize(
    "target, value, reference, met",
    [
        (Target("ratio", ">=", 0.95), 96.0, 100.0, True),
        (Target("ratio", ">=", 0.95), 94.0, 100.0, False),
        (Target("ratio", "<=", 0.3), 30.0, 100.0, True),
        (Target("ratio", "<=", 0.3), 31.0, 100.0, False),
        (Target("value", "<=", 50, "ms"), 50.0, 0.1, True),
        (Target("value", "<=", 50, "ms"), 50.5, 1000.0, False),
    ],
)
def test_a_target_judges_the_ratio_or_the_value(target, value, reference, met):
    assert Figure("x", value, "u", "ref", reference, target).met is met


def test_figure_uses_the_medians_of_both_sides_and_serialises_the_required_keys():
    f = figure("decode", [10.0, 30.0, 20.0], "tok/s", "raw", [40.0, 20.0, 30.0], Target("ratio", ">=", 0.95))
    assert (f.value, f.reference_value, f.ratio, f.met) == (20.0, 30.0, 20.0 / 30.0, False)
    data = f.as_json()
    assert FIGURE_KEYS <= set(data)
    assert data["target"] == "ratio >= 0.95"
    json.dumps(data)


def test_a_figure_not_measured_says_why_and_is_neither_met_nor_failed():
    f = not_measured("window_stall", "ms", "idle", Target("value", "<=", 30, "ms"), "no display")
    data = f.as_json()
    assert data["value"] is None and data["ratio"] is None and data["met"] is None
    assert "no display" in data["note"]


def test_interleaved_alternates_the_sides():
    order = []
    runs = {"a": lambda: order.append("a") or 1.0, "b": lambda: order.append("b") or 2.0}
    result = interleaved(runs, 3)
    assert order == ["a", "b"] * 3
    assert result == {"a": [1.0] * 3, "b": [2.0] * 3}


# ----- the work ---------------------------------------------------------------------------------------
@pytest.mark.model
def test_the_template_shares_at_least_300_tokens_between_products(local_engine):
    from desktop.core.bench.prefix import shared_prefix_tokens

    class Shim:
        pass

    shim = Shim()
    shim.engine = local_engine
    a = local_engine.format_messages(prompts.messages(prompts.PRODUCTS[0]))
    b = local_engine.format_messages(prompts.messages(prompts.PRODUCTS[1]))
    assert shared_prefix_tokens(shim, a, b) >= 300


@pytest.mark.model
def test_raw_loop_generates_exactly_the_requested_tokens_and_the_same_text_as_the_engine(
    local_engine, model_path
):
    from desktop.core.bench.decode import request_for
    from desktop.core.bench.rawloop import RawLoop, Sampling

    prompt = local_engine.format_messages(prompts.messages(prompts.PRODUCTS[1]))
    s = Sampling(seed=5)
    with RawLoop(model_path, n_ctx=local_engine.n_ctx, n_threads=local_engine.n_threads) as raw:
        tokens = raw.tokenize(prompt)
        assert tokens == local_engine.tokenize(prompt)
        run = raw.generate(tokens, 12, s)
        assert len(run.tokens) == 12
        assert not set(run.tokens) & set(local_engine.eog_tokens())
        assert run.tokens_per_s > 0
    # From an empty cache, as the loop starts: a prefix cached by an earlier test would split the prompt's
    # evaluation differently and change the logits' last bits.
    local_engine.decoder.rollback()
    final = local_engine.generate(request_for(prompt, 12, s))
    # the same sampler chain and seed on the same prompt: the local_engine does exactly the same work
    assert final.completion_tokens == 12
    assert final.text == run.text.decode("utf-8", "replace")


@pytest.mark.model
def test_ignore_eos_reaches_max_tokens_on_both_engine_paths(local_engine):
    from desktop.core.engine import GenerationRequest

    # "Say only OK" ends almost at once without the ban
    messages = [{"role": "user", "content": "Reply with the single word OK."}]
    one = local_engine.generate(GenerationRequest(messages=messages, max_tokens=20, seed=1, ignore_eos=True))
    assert (one.completion_tokens, one.stop_reason) == (20, "length")
    many = local_engine.generate_batch(
        [GenerationRequest(messages=messages, max_tokens=20, seed=s, ignore_eos=True) for s in range(3)]
    )
    assert [(r.completion_tokens, r.stop_reason) for r in many] == [(20, "length")] * 3


@pytest.mark.model
def test_high_level_reference_generates_n_tokens_with_the_end_tokens_banned(local_engine, model_path):
    from desktop.core.bench.decode import _LlamaIgnoringEos, high_level_rate
    from desktop.core.bench.rawloop import Sampling

    _LlamaIgnoringEos.eog = local_engine.eog_tokens()
    llm = _LlamaIgnoringEos(model_path=str(model_path), n_ctx=512, n_threads=local_engine.n_threads,
                            verbose=False)
    try:
        tokens = llm.tokenize(local_engine.format_messages([{"role": "user",
                                                             "content": "Reply OK."}]).encode(),
                              add_bos=False, special=True)
        rate, count = high_level_rate(llm, tokens, 10, Sampling())
        assert count == 10 and rate > 0
        chain = llm._init_sampler()
        assert chain.sampler is not None
        import llama_cpp

        first = llama_cpp.llama_sampler_chain_get(chain.sampler, 0)
        assert llama_cpp.llama_sampler_name(first) == b"logit-bias"
    finally:
        llm.close()


# ----- the command --------------------------------------------------------------------------------------
@pytest.mark.model
def test_quick_decode_runs_end_to_end_with_the_json_shape():
    from desktop.cli import main

    result = CliRunner().invoke(main, ["bench", "--quick", "--only", "decode", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert set(report) == {"machine", "engine", "figures"}
    assert {"cpu", "cores", "ram_gb", "python", "llama_cpp", "model",
            "load_average_start"} <= set(report["machine"])
    assert report["engine"]["how"].startswith("pre-filled")  # the tests pre-fill the engine's settings
    figures = {f["name"]: f for f in report["figures"]}
    assert list(figures) == ["decode_vs_llama_cpp", "decode_vs_llama_cpp_python", "host_ttft_overhead"]
    for f in figures.values():
        assert FIGURE_KEYS <= set(f)
        assert f["value"] != 0 and f["reference_value"] > 0
        assert f["ratio"] == pytest.approx(f["value"] / f["reference_value"], rel=1e-3, abs=1e-4)
        assert isinstance(f["met"], bool)
    for name in ("decode_vs_llama_cpp", "decode_vs_llama_cpp_python"):
        note = figures[name]["note"]
        assert figures[name]["value"] > 0 and "token counts differ" not in note
        assert "fastest: flash attention" in note and "tried:" in note  # the reference's settings were swept
        assert "engine host consumed as the window does" in note
        assert re.search(r"the same engine in this process, consumed the same way: [1-9][\d.]* tok/s", note)
        assert re.search(r"the same engine host at normal priority \(SHOPSCRIBE_ENGINE_PRIORITY=normal\): "
                         r"[1-9][\d.]* tok/s, [\d.]+x the loop and [\d.]+x Llama", note)
    # Where the references' fastest setting is not the engine's, the engine was measured at it too.
    ours = report["engine"]
    for name in ("decode_vs_llama_cpp", "decode_vs_llama_cpp_python"):
        note = figures[name]["note"]
        fa, threads = re.search(r"fastest: flash attention (\w+), (\d+) thread", note).groups()
        at_theirs = re.search(rf"at this reference's fastest setting \(flash attention {fa}, {threads} "
                              r"thread\(s\)\): [1-9][\d.]* tok/s, [\d.]+x the loop and [\d.]+x Llama", note)
        assert (at_theirs is None) == (fa == ours["flash_attn"] and int(threads) == ours["n_threads"])


@pytest.mark.model
def test_quick_serve_measures_the_server_beside_its_engine_host():
    from desktop.cli import main

    result = CliRunner().invoke(main, ["bench", "--quick", "--only", "serve", "--json"])
    assert result.exit_code == 0, result.output
    figures = {f["name"]: f for f in json.loads(result.stdout)["figures"]}
    assert list(figures) == ["serve_ttft_overhead", "serve_decode_ratio", "serve_batch_8"]
    assert (
        figures["serve_ttft_overhead"]["unit"] == "ms"
        and figures["serve_ttft_overhead"]["reference_value"] > 0
    )
    for name in ("serve_decode_ratio", "serve_batch_8"):
        assert figures[name]["value"] > 0 and figures[name]["reference_value"] > 0
        assert isinstance(figures[name]["met"], bool)


def test_unknown_group_is_a_usage_error():
    from desktop.cli import main

    result = CliRunner().invoke(main, ["bench", "--only", "nonsense"])
    assert result.exit_code == 2
    assert "nonsense" in result.output


def test_the_table_lists_every_figure_with_its_reference():
    from desktop.cli.bench import render_table

    figures = [figure("batch_catalog_8", [50.0], "tok/s", "one after another", [20.0],
                      Target("ratio", ">=", 2.5)),
               not_measured("window_stall", "ms", "idle timer", Target("value", "<=", 30, "ms"), "no UI"),
               figure("prompt_laptop", [40.0], "tok/s", "", [], NO_TARGET, "synthetic model")]
    report = {"machine": {"cpu": "cpu", "cores": 2, "load_average_start": [5.1, 5.0, 4.9]},
              "engine": {"describe": "flash attention off, 2 thread(s) (tuned in this run)"},
              "figures": [f.as_json() for f in figures]}
    table = render_table(report)
    assert "batch_catalog_8" in table and "one after another" in table and "2.5" in table
    assert "window_stall" in table and "not measured: no UI" in table
    assert "prompt_laptop" in table and "n/a" in table and "load average [5.1, 5.0, 4.9]" in table
    assert "engine: flash attention off, 2 thread(s) (tuned in this run)" in table
    assert GROUPS == ("decode", "grammar", "prefix", "serve", "quality", "window", "memory", "history",
                      "check", "laptop")


def test_a_figure_with_no_target_is_neither_met_nor_missed_and_has_no_reference():
    f = figure("memory_rss_beyond_model_laptop", [120.0, 130.0], "MB", "", [], NO_TARGET)
    data = f.as_json()
    assert data["met"] is None and data["target"] == "none" and data["reference_value"] is None
    assert data["value"] == 125.0


def test_percentile_is_the_nearest_rank():
    assert percentile([5.0, 1.0, 3.0, 2.0, 4.0], 95) == 5.0
    assert percentile([1.0, 2.0, 3.0, 4.0], 50) == 2.0
    assert percentile(list(map(float, range(1, 101))), 95) == 95.0


def test_another_module_can_register_a_group_of_figures(monkeypatch):
    from desktop.core import bench

    monkeypatch.setattr(bench, "_GROUPS", dict(bench._GROUPS))
    bench.register("extra",
                   lambda b: [figure("extra_x", [1.0], "ms", "ref", [2.0], Target("value", "<=", 5))],
                   about="an OpenAI-compatible server")
    assert list(bench.groups())[-1] == "extra"
    report = bench.run_bench(only=["extra"], quick=True, progress=lambda _m: None)
    assert [f["name"] for f in report["figures"]] == ["extra_x"] and report["figures"][0]["met"] is True


def test_a_saved_report_is_shown_again_as_markdown_without_measuring(tmp_path):
    from desktop.cli import main

    figures = [figure("history_search", [1.5], "ms", "a LIKE scan", [30.0],
                      Target("value", "<=", 50, "ms"), "p95 2 ms")]
    report = {"machine": {"cpu": "AMD EPYC", "cores": 2, "load_average_start": [5.5, 5.0, 4.0]},
              "engine": {"describe": "flash attention on, 2 thread(s) (tuned in this run)"},
              "figures": [f.as_json() for f in figures]}
    saved = tmp_path / "run.json"
    saved.write_text(json.dumps(report))
    result = CliRunner().invoke(main, ["bench", "--report", str(saved), "--markdown"])
    assert result.exit_code == 0, result.output
    assert "| `history_search` | 1.5 | ms | a LIKE scan | 30 | 0.05 | <= 50 ms | yes |" in result.output
    assert "- `history_search`: p95 2 ms" in result.output and "[5.5, 5.0, 4.0] at the start" in result.output


def test_an_interrupted_run_reports_the_groups_it_finished(monkeypatch):
    from desktop.core import bench

    def stop(_bench):
        raise KeyboardInterrupt

    monkeypatch.setattr(bench, "_GROUPS", dict(bench._GROUPS))
    bench.register("first",
                   lambda b: [figure("first_x", [1.0], "ms", "ref", [2.0], Target("value", "<=", 5))],
                   about="finishes")
    bench.register("second", stop, about="is stopped")
    report = bench.run_bench(only=["first", "second"], quick=True, progress=lambda _m: None)
    assert [f["name"] for f in report["figures"]] == ["first_x"]
    assert report["interrupted"].startswith("stopped during second")
    assert [g["group"] for g in report["machine"]["groups"]] == ["first"]
