"""Each figure's measurement does the work it claims, on tiny sizes (no timing assertions)."""

from __future__ import annotations

import pytest

from desktop.core.bench import BenchConfig
from desktop.core.bench.context import Bench


def tiny(engine=None, **overrides) -> Bench:
    config = BenchConfig.for_run(quick=True, progress=lambda _m: None)
    for key, value in overrides.items():
        setattr(config, key, value)
    return Bench(config, engine)


@pytest.mark.model
def test_prefix_figure_reuses_the_shared_template_prefix(engine):
    from desktop.core.bench import prefix

    (f,) = prefix.measure(tiny(engine))
    assert f.name == "prefix_reuse_ttft" and f.unit == "ms"
    assert f.value > 0 and f.reference_value > 0
    shared, reused = [int(x) for x in f.note.replace("-", " ").split() if x.isdigit()][:2]
    assert shared >= 300 and reused >= 300  # the second request really skipped the shared prefix


@pytest.mark.model
def test_batch_figure_compares_equal_work(local_engine):
    from desktop.core.bench import batch

    (f,) = batch.measure(tiny(local_engine, batch_size=3, batch_tokens=5))
    assert f.name == "batch_catalog_3" and f.unit == "tok/s"
    assert f.value > 0 and f.reference_value > 0
    assert "differ" not in f.note  # both sides generated exactly 3 x 5 tokens


@pytest.mark.model
def test_batch_requests_share_a_template_and_differ_in_product_and_seed(engine):
    from desktop.core.bench.batch import catalog_requests

    requests = catalog_requests(8, 16)
    assert len({r.seed for r in requests}) == 8
    assert len({r.messages[1]["content"] for r in requests}) == 8
    assert len({r.messages[0]["content"] for r in requests}) == 1
    assert all(r.ignore_eos and r.max_tokens == 16 for r in requests)


def test_history_figure_searches_the_rows_it_filled():
    from desktop.core.bench import store_checks

    (f,) = store_checks.measure_history(tiny(history_rows=300))
    assert f.name == "history_search" and f.unit == "ms"
    assert f.note.startswith("300 rows")
    assert f.value >= 0 and f.reference_value > 0
    assert f.target.on == "value" and f.target.bound == 50


def test_check_figure_checks_10000_characters():
    from desktop.core.bench import store_checks

    (f,) = store_checks.measure_checks(tiny())
    assert f.name == "check_10k_chars"
    assert f.value > 0 and f.reference_value > 0
    assert f.note.startswith("10,000 characters")


def test_bare_qt_reference_process_reports_start_and_memory(tmp_path):
    from desktop.core.bench import window

    result = window.bare_qt(window._env(str(tmp_path)))
    assert result["painted"] is True
    assert 0 < result["start_s"] < 60
    assert result["rss_bytes"] > 10 * 1024 * 1024


def test_window_figures_are_not_measured_with_a_reason_when_the_probe_fails(monkeypatch, model_path):
    from desktop.core.bench import window

    class Shim:
        pass

    shim = Shim()
    shim.model_path = model_path
    shim.n_threads = 1
    bench = tiny()
    bench.engine = shim

    def broken(*_args, **_kwargs):
        raise RuntimeError("probe exited with 1: no display")

    monkeypatch.setattr(window, "bare_qt", broken)
    figures = window.measure(bench, {"window", "memory"})
    assert [f.name for f in figures] == ["window_start", "window_stall", "memory_rss_beyond_model"]
    assert all(f.value is None and f.met is None and "no display" in f.note for f in figures)


@pytest.mark.model
@pytest.mark.slow
def test_window_probe_opens_the_window_streams_and_reports(tmp_path, model_path):
    from desktop.core.bench import window

    result = window.window(window._env(str(tmp_path)), model_path, 16, 1)
    assert "error" not in result, result.get("error")
    assert result["start_s"] > 0
    assert result["stream_max_gap_ms"] >= 5 and result["idle_max_gap_ms"] >= 5  # the ticks really ran
    assert result["rss_bytes"] > model_path.stat().st_size
    assert result["chars"] > 0 and result["rounds"] >= 1  # text really streamed into the window
