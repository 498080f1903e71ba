"""The benchmark measures what it says it measures (never how fast: no timing assertions here)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from desktop.core.bench import GROUPS, prompts
from desktop.core.bench.stats import Figure, Target, figure, interleaved, median, not_measured, ratio

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
def test_raw_loop_generates_exactly_the_requested_tokens_and_the_same_text_as_the_engine(local_engine, model_path):
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
    llm = _LlamaIgnoringEos(model_path=str(model_path), n_ctx=512, n_threads=local_engine.n_threads, verbose=False)
    try:
        tokens = llm.tokenize(local_engine.format_messages([{"role": "user", "content": "Reply OK."}]).encode(),
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
    assert set(report) == {"machine", "figures"}
    assert {"cpu", "cores", "ram_gb", "python", "llama_cpp", "model"} <= set(report["machine"])
    names = [f["name"] for f in report["figures"]]
    assert names == ["decode_vs_llama_cpp", "decode_vs_llama_cpp_python"]
    for f in report["figures"]:
        assert FIGURE_KEYS <= set(f)
        assert f["value"] > 0 and f["reference_value"] > 0
        assert f["ratio"] == pytest.approx(f["value"] / f["reference_value"], rel=1e-3)
        assert isinstance(f["met"], bool)
        assert "token counts differ" not in f.get("note", "")


@pytest.mark.model
def test_quick_serve_measures_the_server_beside_its_engine_host():
    from desktop.cli import main

    result = CliRunner().invoke(main, ["bench", "--quick", "--only", "serve", "--json"])
    assert result.exit_code == 0, result.output
    figures = {f["name"]: f for f in json.loads(result.stdout)["figures"]}
    assert list(figures) == ["serve_ttft_overhead", "serve_decode_ratio", "serve_batch_8"]
    assert figures["serve_ttft_overhead"]["unit"] == "ms" and figures["serve_ttft_overhead"]["reference_value"] > 0
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

    figures = [figure("batch_catalog_8", [50.0], "tok/s", "one after another", [20.0], Target("ratio", ">=", 2.5)),
               not_measured("window_stall", "ms", "idle timer", Target("value", "<=", 30, "ms"), "no UI")]
    report = {"machine": {"cpu": "cpu", "cores": 2}, "figures": [f.as_json() for f in figures]}
    table = render_table(report)
    assert "batch_catalog_8" in table and "one after another" in table and "2.5" in table
    assert "window_stall" in table and "not measured: no UI" in table
    assert set(GROUPS) == {"decode", "prefix", "batch", "window", "memory", "history", "check", "serve"}
