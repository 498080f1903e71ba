"""The engine host with real faults: its real process dies by SIGSEGV or SIGKILL (the fault switch, or a
kill from outside) while loading, reading a prompt, generating and mid-batch. Every time the request
ends with a clear error, the text streamed so far has arrived, and the next request starts a new host.
The safe-mode ladder climbs on crashes at load and in the first request, and is remembered."""

from __future__ import annotations

import datetime as dt
import os
import signal
import threading

import psutil
import pytest

from desktop.core.engine import GenerationRequest, TextDelta, priority, safe_mode, tuning
from desktop.core.engine.client import HostEngine
from desktop.core.engine.machine import has_amx
from desktop.core.errors import EngineCrashed

pytestmark = pytest.mark.model

MESSAGES = [{"role": "user", "content": "Write three sentences about a stainless steel camp mug."}]


def request(max_tokens: int = 40, **kw) -> GenerationRequest:
    return GenerationRequest(messages=MESSAGES, max_tokens=max_tokens, seed=3, **kw)


@pytest.fixture
def host(model_path):
    engine = HostEngine(model_path, n_ctx=1024)
    yield engine
    engine.close()


@pytest.fixture
def fault(monkeypatch):
    """fault("segv@decode#3") arms the switch for hosts started from now on; fault(None) disarms it."""

    def arm(spec: str | None) -> None:
        if spec is None:
            monkeypatch.delenv("SHOPSCRIBE_ENGINE_FAULT", raising=False)
        else:
            monkeypatch.setenv("SHOPSCRIBE_ENGINE_FAULT", spec)

    return arm


@pytest.fixture
def ladder(monkeypatch):
    """No pre-filled settings: the engine learns from crashes as it does on a merchant's computer."""
    monkeypatch.delenv(tuning.ENV, raising=False)
    monkeypatch.setenv("SHOPSCRIBE_ENGINE_PROBE", "skip")


def stream_until_crash(engine, req) -> tuple[list[str], EngineCrashed]:
    deltas: list[str] = []
    with pytest.raises(EngineCrashed) as info:
        for event in engine.stream(req):
            if isinstance(event, TextDelta):
                deltas.append(event.text)
    return deltas, info.value


# ----- the host is another process --------------------------------------------------------------------------
def test_the_engine_runs_in_another_process_and_reports_itself(engine):
    info = engine.info()
    assert info["host_pid"] and info["host_pid"] != os.getpid()
    stats = engine.stats()
    assert stats["pid"] == info["host_pid"] and stats["rss_bytes"] > 50 * 1024**2
    assert {"n_ctx", "n_threads", "flash_attn", "use_extra_bufts", "llama_cpp"} <= set(info)


@pytest.mark.skipif(not hasattr(os, "getsid"), reason="POSIX priorities")
def test_the_host_runs_below_the_window_and_leaves_the_window_as_it_was(engine):
    """On 2 cores the host's threads take both; the window must win a core the moment it wakes."""
    window_nice, window_group = os.nice(0), priority.group_nice(os.getpid())
    pid = engine.info()["host_pid"]
    assert psutil.Process(pid).nice() == priority.BACKGROUND_NICE
    assert os.getsid(pid) == pid  # its own session, so its own scheduling group...
    if window_group is not None:  # ...whose weight is what the window's group is weighed against
        assert priority.group_nice(pid) == priority.BACKGROUND_NICE
        assert priority.group_nice(os.getpid()) == window_group
    assert os.nice(0) == window_nice


@pytest.mark.skipif(not hasattr(os, "getsid"), reason="POSIX priorities")
def test_a_dedicated_server_can_keep_the_host_at_normal_priority(model_path, monkeypatch):
    monkeypatch.setenv(priority.ENV, "normal")
    engine = HostEngine(model_path, n_ctx=512)
    try:
        engine.load()
        pid = engine.info()["host_pid"]
        assert pid not in (None, os.getpid())  # psutil.Process(None) would be this process
        assert psutil.Process(pid).nice() == os.nice(0)
        if priority.group_nice(pid) is not None:
            assert priority.group_nice(pid) == 0  # a new session's group starts at 0
    finally:
        engine.close()


@pytest.mark.skipif(not hasattr(os, "getsid"), reason="POSIX priorities")
def test_an_engine_can_give_its_hosts_their_own_environment(model_path, monkeypatch):
    """The benchmark runs one host at normal priority beside the default one, in the same process."""
    monkeypatch.delenv(priority.ENV, raising=False)
    normal = HostEngine(model_path, n_ctx=512, host_env={priority.ENV: "normal"})
    default = HostEngine(model_path, n_ctx=512)
    try:
        normal.load()
        default.load()
        normal_pid, default_pid = normal.info()["host_pid"], default.info()["host_pid"]
        assert None not in (normal_pid, default_pid) and os.getpid() not in (normal_pid, default_pid)
        assert psutil.Process(normal_pid).nice() == os.nice(0)
        assert psutil.Process(default_pid).nice() == priority.BACKGROUND_NICE
        assert priority.ENV not in os.environ  # the benchmark's own environment is left as it was
    finally:
        normal.close()
        default.close()


# ----- crashes are errors -----------------------------------------------------------------------------------
def test_a_crash_while_reading_the_prompt_is_an_error_and_the_next_request_starts_a_new_host(host, fault):
    fault("segv@prompt")
    host.load()
    first_pid = host.host_pid
    deltas, crash = stream_until_crash(host, request())
    assert deltas == []
    assert crash.signal == signal.SIGSEGV and crash.phase == "prompt"
    assert "signal 11, segmentation fault" in crash.text("en") and "while reading the prompt" in crash.text(
        "en"
    )
    assert "段错误" in crash.text("zh")
    assert not host.loaded
    fault(None)
    final = host.generate(request(8))
    assert final.completion_tokens > 0
    assert host.host_pid not in (None, first_pid)


def test_a_kill_while_generating_keeps_the_text_streamed_so_far(host, fault):
    fault("kill@decode#6")
    deltas, crash = stream_until_crash(host, request(60))
    assert len(deltas) >= 3 and "".join(deltas).strip()  # what arrived before the kill is the caller's
    assert crash.signal == signal.SIGKILL and crash.phase == "decode"
    assert "signal 9" in str(crash) and "while generating" in str(crash)
    fault(None)
    assert host.generate(request(6)).completion_tokens > 0


def test_a_kill_from_outside_mid_stream_is_an_error_too(host):
    host.load()
    deltas: list[str] = []
    with pytest.raises(EngineCrashed) as info:
        for event in host.stream(request(300, ignore_eos=True)):
            if isinstance(event, TextDelta):
                deltas.append(event.text)
                if len(deltas) == 2:
                    os.kill(host.host_pid, signal.SIGKILL)
    assert info.value.signal == signal.SIGKILL and len(deltas) >= 2
    assert host.generate(request(6)).completion_tokens > 0


def test_a_crash_mid_batch_ends_the_batch_with_the_error(host, fault):
    fault("segv@decode#3")
    seen = []
    with pytest.raises(EngineCrashed) as info:
        host.generate_batch([request(30), request(30, temperature=0.9)], on_event=seen.append)
    assert info.value.signal == signal.SIGSEGV
    fault(None)
    results = host.generate_batch([request(6), request(6)])
    assert [r.completion_tokens > 0 for r in results] == [True, True]


def test_a_host_that_ignores_a_cancel_is_killed_so_stop_always_stops(host, fault):
    fault("hang@decode#3")  # stops answering right after its third token, as a deadlock would
    watchdog = threading.Timer(60, lambda: os.kill(host.host_pid, signal.SIGKILL) if host.host_pid else None)
    watchdog.start()
    seen = 0
    try:
        with pytest.raises(EngineCrashed):
            for event in host.stream(request(100, ignore_eos=True)):
                seen += isinstance(event, TextDelta)
                if seen == 3:
                    host.cancel()
    finally:
        watchdog.cancel()
    fault(None)
    assert host.generate(request(4)).completion_tokens > 0


# ----- the safe-mode ladder ---------------------------------------------------------------------------------
def test_a_load_crash_climbs_the_ladder_and_the_next_start_remembers(model_path, fault, ladder):
    fault("segv@load?extra_bufts")  # a crash like llama.cpp's AMX repacking, only while repacking is on
    engine = HostEngine(model_path, n_ctx=1024)
    try:
        engine.load()
        assert engine.safe_mode.steps[-1] == "no-repack"
        assert engine.info()["use_extra_bufts"] is False
        assert "signal 11" in engine.safe_mode.reason and "loading the model" in engine.safe_mode.reason
        assert engine.generate(request(6)).completion_tokens > 0
    finally:
        engine.close()
    remembered = safe_mode.load(engine.model_sha256)
    assert remembered.steps == engine.safe_mode.steps
    assert remembered.describe(
        "en"
    ) == f"Safe mode: weight repacking off after a crash on {dt.date.today()}" or remembered.describe(
        "en"
    ).startswith("Safe mode: AMX off, weight repacking off")
    # the switch is still armed: only the remembered step avoids it
    again = HostEngine(model_path, n_ctx=1024)
    try:
        again.load()
        assert again.safe_mode.steps == remembered.steps
    finally:
        again.close()
    safe_mode.reset(engine.model_sha256)
    assert not safe_mode.load(engine.model_sha256).active


def test_a_load_that_crashes_at_every_step_is_a_clear_error(model_path, fault, ladder):
    fault("segv@load")
    with pytest.raises(EngineCrashed) as info:
        HostEngine(model_path, n_ctx=4096).load()
    assert "while loading the model" in str(info.value)
    state = safe_mode.load(HostEngine(model_path).model_sha256)
    assert "no-repack" in state.steps and "small-context" in state.steps  # every step was tried


def test_a_crash_in_the_first_request_makes_the_next_start_safer(model_path, fault, ladder):
    fault("segv@decode?extra_bufts")
    engine = HostEngine(model_path, n_ctx=1024)
    try:
        engine.load()
        assert engine.safe_mode.steps == []
        stream_until_crash(engine, request())
        assert len(engine.safe_mode.steps) == 1  # one crash, one step
        if engine.safe_mode.steps == ["avoid-amx"]:  # a CPU with AMX climbs that first; it keeps repacking,
            stream_until_crash(engine, request())    # which the switch crashes again
        assert engine.safe_mode.steps[-1] == "no-repack"
        assert engine.generate(request(8)).completion_tokens > 0  # a new host, without repacking
    finally:
        engine.close()


def test_the_probe_finds_safe_settings_before_the_first_real_request(model_path, fault, ladder, monkeypatch):
    monkeypatch.setenv("SHOPSCRIBE_ENGINE_PROBE", "always")
    fault("segv@decode?extra_bufts")
    engine = HostEngine(model_path, n_ctx=1024)
    try:
        engine.load()
        assert engine.safe_mode.probed and engine.safe_mode.steps[-1] == "no-repack"
        assert engine.generate(request(8)).completion_tokens > 0  # the first real request does not crash
    finally:
        engine.close()
    assert safe_mode.load(engine.model_sha256).probed


@pytest.mark.skipif(not has_amx(),
                    reason="this CPU has no AMX: the fault switch stands in for its crash above")
def test_on_a_cpu_with_amx_the_real_repacking_crash_is_probed_and_avoided(model_path, monkeypatch):
    monkeypatch.delenv(tuning.ENV, raising=False)
    monkeypatch.setenv("SHOPSCRIBE_ENGINE_PROBE", "auto")
    engine = HostEngine(model_path, n_ctx=1024)
    try:
        engine.load()
        assert engine.safe_mode.probed
        assert engine.generate(request(8)).completion_tokens > 0
        print("AMX probe:", engine.safe_mode.steps or "no crash", engine.safe_mode.reason)
    finally:
        engine.close()


# ----- tuning -----------------------------------------------------------------------------------------------
def _product(name: str) -> GenerationRequest:
    return GenerationRequest(messages=[
        {"role": "system", "content": "You write product descriptions for an online shop. Be concrete."},
        {"role": "user", "content": f"Describe this product in three sentences: {name}."}], max_tokens=8)


@pytest.fixture
def probed(ladder, monkeypatch):
    """As a merchant's first tuning: no pre-filled settings, and the probe where this CPU needs it (on a
    CPU with AMX a tuning without it meets llama.cpp's real crash)."""
    monkeypatch.setenv("SHOPSCRIBE_ENGINE_PROBE", "auto")


def test_tuning_measures_each_candidate_and_the_next_start_uses_the_fastest(model_path, probed):
    engine = HostEngine(model_path, n_ctx=1024)
    record = engine.tune([_product("a stainless steel camp mug"), _product("a cotton duvet cover")])
    assert {(m["flash_attn"], m["n_threads"]) for m in record["measurements"]} == \
        {(c["flash_attn"], c["n_threads"]) for c in tuning.candidates()}
    assert all(m["prompt_s"] > 0 and m["decode_tps"] > 0 for m in record["measurements"])
    # The second product is timed with the prefix it shares with the first cached, as the app caches it.
    assert all(0 < m["cached_tokens"] < m["prompt_tokens"] for m in record["measurements"])
    fastest = tuning.best(record["measurements"])
    assert (record["flash_attn"], record["n_threads"]) == (fastest["flash_attn"], fastest["n_threads"])
    try:
        engine.load()
        info = engine.info()
        assert (info["flash_attn"], info["n_threads"]) == (record["flash_attn"], record["n_threads"])
    finally:
        engine.close()
    chosen = "off" if record["flash_attn"] == "on" else "on"
    mine = HostEngine(model_path, n_ctx=1024, flash_attn=chosen)  # the user's choice wins
    try:
        mine.load()
        assert mine.info()["flash_attn"] == chosen
    finally:
        mine.close()


def test_a_tuning_before_any_load_probes_first_and_measures_with_the_safe_settings(model_path, fault, ladder,
                                                                                     monkeypatch):
    """On a CPU whose repacking crashes (as llama.cpp's AMX path does on some), the tuning's throwaway
    host must not meet the crash: where nobody has probed the machine, the probe runs first, and the
    candidates are measured with what it found."""
    monkeypatch.setenv("SHOPSCRIBE_ENGINE_PROBE", "always")
    fault("segv@load?extra_bufts")
    engine = HostEngine(model_path, n_ctx=1024)
    record = engine.tune([_product("a stainless steel camp mug"), _product("a cotton duvet cover")])
    assert len(record["measurements"]) == len(tuning.candidates())
    state = safe_mode.load(engine.model_sha256)
    assert state.probed and state.steps[-1] == "no-repack"


def test_a_stopped_tuning_kills_its_host_at_once_and_remembers_nothing(model_path, probed):
    import time

    from desktop.core.stop import Stop

    engine = HostEngine(model_path, n_ctx=1024)
    stop = Stop()
    outcome: dict = {}

    def run() -> None:
        try:
            outcome["record"] = engine.tune([GenerationRequest(messages=MESSAGES, max_tokens=8)], stop=stop)
        except Exception as exc:  # noqa: BLE001 - the test reads it
            outcome["error"] = exc

    worker = threading.Thread(target=run)
    worker.start()
    time.sleep(1.5)  # the throwaway host is loading or measuring
    stopped_at = time.monotonic()
    stop.cancel()
    worker.join(30)
    assert not worker.is_alive() and time.monotonic() - stopped_at < 10
    assert isinstance(outcome.get("error"), tuning.Interrupted), outcome
    assert tuning.load(engine.model_sha256) is None  # nothing half-measured is kept


def test_tuning_keeps_each_candidates_shortest_prompt_and_fastest_decode(monkeypatch):
    """Rounds alternate over the candidates; a pause that slows one round's prompt or decode must not
    decide, so each part keeps its best over the rounds."""
    from desktop.core.engine import local
    from desktop.core.engine.interface import Finished

    timings = {"on": [(0.30, 60.0), (0.20, 50.0), (0.25, 55.0)],
               "off": [(0.40, 70.0), (0.35, 40.0), (0.50, 65.0)]}
    timed: list[str] = []

    class Scripted:
        def __init__(self, **options):
            self.fa = options["flash_attn"]
            self.decoder = type("D", (), {"rollback": lambda _self: None})()

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def generate(self, req):
            if req.max_tokens != tuning.DECODE_TOKENS:  # the warm-up and the first product
                return Finished("", 10, req.max_tokens, 0.01, 100.0, "length")
            timed.append(req.messages[-1]["content"])
            prompt_s, tps = timings[self.fa].pop(0)
            return Finished("x", 40, req.max_tokens, prompt_s, tps, "length", cached_tokens=30)

    monkeypatch.setattr(local, "LocalEngine", Scripted)
    cands = [{"flash_attn": "on", "n_threads": 2}, {"flash_attn": "off", "n_threads": 2}]
    runs = tuning.measure_in_engine({}, [_product("mug"), _product("duvet")], cands, rounds=3)
    assert [(r["flash_attn"], r["prompt_s"], r["decode_tps"], r["cached_tokens"]) for r in runs] == \
        [("on", 0.20, 60.0, 30), ("off", 0.35, 70.0, 30)]
    # every round of every candidate timed the second product, never the first or the warm-up
    assert timings == {"on": [], "off": []} and timed == [_product("duvet").messages[-1]["content"]] * 6
    assert tuning.best(runs)["flash_attn"] == "off"  # 0.35 + 150/70 < 0.20 + 150/60


def test_the_fastest_is_the_shortest_whole_request():
    slow_decode = {"flash_attn": "on", "n_threads": 2, "prompt_s": 0.10, "decode_tps": 50.0}
    slow_prompt = {"flash_attn": "off", "n_threads": 2, "prompt_s": 0.50, "decode_tps": 75.0}
    assert tuning.best([slow_decode, slow_prompt]) is slow_prompt  # 0.5 + 150/75 < 0.1 + 150/50
    assert tuning.best([slow_decode, slow_prompt], answer_tokens=10) is slow_decode


def test_closing_the_engine_cancels_its_work_and_the_host_exits_by_itself(model_path):
    """Closing never relies on the kill: a batch in flight (which reads no message until it ends) is
    cancelled, and the host closes its model and exits on its own."""
    engine = HostEngine(model_path)
    engine.load()
    process = engine._host
    decoding = threading.Event()
    outcome: list = []

    def run() -> None:
        try:
            requests = [GenerationRequest(messages=MESSAGES, max_tokens=800, ignore_eos=True, seed=s)
                        for s in range(4)]  # about a minute of work
            outcome.append(engine.generate_batch(
                requests, lambda event: isinstance(event, TextDelta) and decoding.set()))
        except Exception as exc:  # noqa: BLE001 - reported below
            outcome.append(exc)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    assert decoding.wait(120)
    engine.close()
    worker.join(30)
    assert not process.killed
    assert process.proc.returncode == 0
    assert outcome and not isinstance(outcome[0], Exception)
    assert {f.stop_reason for f in outcome[0]} == {"cancelled"}
