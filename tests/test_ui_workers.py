"""The one work runner (Op, StoreOp) and the engine thread: answers on the GUI thread and only while the
asker exists, failures shown by default, progress and stop, store work in order on one thread; engine
jobs with their own signals, text batched per frame in order, cancel and skip, errors as messages."""

from __future__ import annotations

import sys
import threading

import pytest
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from desktop.core.engine import Finished, GenerationRequest
from desktop.core.errors import ShopscribeError
from desktop.ui import engine_worker as ew
from desktop.ui.engine_worker import EngineWorker
from desktop.ui.workers import Op, StoreOp, store_pool
from tests.fake_engine import FakeEngine

MESSAGES = [{"role": "user", "content": "Write one sentence about a steel water bottle."}]
QUICK = 10_000


@pytest.fixture
def owner(qtbot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def test_the_answer_arrives_on_the_gui_thread(qtbot, owner):
    gui = threading.get_ident()
    seen = {}
    op = Op(owner, lambda: (threading.get_ident(), 42))
    op.on_success(lambda value: seen.update(value=value, slot_thread=threading.get_ident()))
    op.on_done(lambda: seen.update(done=True)).run()
    qtbot.waitUntil(lambda: "done" in seen, timeout=QUICK)
    worker_thread, value = seen["value"]
    assert value == 42
    assert worker_thread != gui  # the work ran off the GUI thread
    assert seen["slot_thread"] == gui  # the result was delivered on it
    assert op.done


def test_a_failure_goes_to_on_failure(qtbot, owner):
    def fail():
        raise ShopscribeError("the disk is full: free some space")

    errors, done = [], []
    Op(owner, fail).on_success(lambda _r: pytest.fail("no success")).on_failure(errors.append) \
        .on_done(lambda: done.append(True)).run()
    qtbot.waitUntil(lambda: bool(done), timeout=QUICK)
    assert [str(e) for e in errors] == ["the disk is full: free some space"]


def test_an_unhandled_failure_is_shown_never_silent(qtbot, owner):
    def fail():
        raise ShopscribeError("The template needs a product name. / 模板缺少商品名称。")

    owner.show()
    Op(owner, fail).run()
    qtbot.waitUntil(lambda: owner.findChild(QMessageBox, "errorBox") is not None, timeout=QUICK)
    box = owner.findChild(QMessageBox, "errorBox")
    assert box.text() == "The template needs a product name."  # in the UI language, never a traceback
    box.close()


def test_no_answer_reaches_a_deleted_widget(qtbot):
    widget = QWidget()
    release, answered = threading.Event(), []

    def slow():
        release.wait(5)
        return "late"

    op = Op(widget, slow).on_success(answered.append).on_failure(answered.append)
    op.on_done(lambda: answered.append("done")).run()
    widget.deleteLater()
    qtbot.waitUntil(lambda: not _alive(widget), timeout=QUICK)
    release.set()
    qtbot.waitUntil(lambda: op.done, timeout=QUICK)
    for _ in range(5):
        qtbot.wait(10)  # any answer already queued would be delivered by now
    assert answered == []


def _alive(widget) -> bool:
    import shiboken6

    return shiboken6.isValid(widget)


def test_progress_and_stop_reach_the_work(qtbot, owner):
    reports, outcome = [], {}

    def copy(steps: int, progress, stop):
        for n in range(steps):
            if stop.is_set:
                raise InterruptedError(f"stopped after {n}")
            progress(n, steps)
            stop.wait(0.01)
        return "copied"

    op = Op(owner, copy, 1000).with_progress(lambda n, total: reports.append((n, total))).with_stop()
    op.on_success(lambda r: outcome.update(result=r)).on_failure(lambda exc: outcome.update(error=exc)).run()
    qtbot.waitUntil(lambda: len(reports) >= 3, timeout=QUICK)
    op.cancel()
    qtbot.waitUntil(lambda: bool(outcome), timeout=QUICK)
    assert isinstance(outcome.get("error"), InterruptedError)  # the work said how it ended
    assert reports[:3] == [(0, 1000), (1, 1000), (2, 1000)] and len(reports) < 1000


def test_a_cancelled_op_without_a_stop_drops_its_answer(qtbot, owner):
    release, answered, done = threading.Event(), [], []
    op = Op(owner, lambda: release.wait(5)).on_success(answered.append)
    op.on_done(lambda: done.append(True)).run()
    op.cancel()
    release.set()
    qtbot.waitUntil(lambda: bool(done), timeout=QUICK)
    assert answered == []


def test_store_work_runs_in_order_on_one_thread(qtbot, owner):
    threads, order = [], []

    def record(db, n):
        threads.append(threading.get_ident())
        db.execute("SELECT 1")
        return n

    ops = [StoreOp(owner, record, n).on_success(order.append).run() for n in range(5)]
    qtbot.waitUntil(lambda: len(order) == 5, timeout=QUICK)
    assert order == [0, 1, 2, 3, 4]
    assert len(set(threads)) == 1
    assert store_pool().maxThreadCount() == 1
    assert all(op.done for op in ops)


def test_signals_do_not_leak_references(qapp):
    """PySide6 6.12.0 dropped a reference to True on every emit and crashed long sessions."""

    class Emitter(QObject):
        ping = Signal(int, str)

    emitter = Emitter()
    emitter.ping.connect(lambda *_: None)
    before = sys.getrefcount(True)
    for i in range(3000):
        emitter.ping.emit(i, "x")
    assert abs(sys.getrefcount(True) - before) < 50


# ----- the engine thread, over the scripted engine -------------------------------------------------------
@pytest.fixture
def fake() -> FakeEngine:
    return FakeEngine()


@pytest.fixture
def fake_worker(qtbot, fake):
    worker = EngineWorker(open_engine=fake.open)
    with qtbot.waitSignal(worker.modelLoaded, timeout=QUICK):
        worker.load()
    yield worker
    worker.shutdown()


def _record(job) -> dict:
    seen: dict = {"text": [], "finished": [], "failed": [], "skipped": 0, "ended": 0, "events": []}
    job.text.connect(lambda stream, text: seen["text"].append((stream, text)))
    job.finished.connect(lambda result: seen["finished"].append((result, len(seen["text"]))))
    job.failed.connect(seen["failed"].append)
    job.skipped.connect(lambda: seen.update(skipped=seen["skipped"] + 1))
    job.ended.connect(lambda: seen.update(ended=seen["ended"] + 1))
    job.event.connect(seen["events"].append)
    return seen


def test_each_job_hears_only_its_own_text(qtbot, fake, fake_worker):
    fake.enqueue(["标题：", "保温杯", " 500ml"])
    fake.enqueue(["Camp", " mug"])
    first = fake_worker.submit(GenerationRequest(messages=MESSAGES))
    second = fake_worker.submit(GenerationRequest(messages=MESSAGES))
    one, two = _record(first), _record(second)
    qtbot.waitUntil(lambda: one["ended"] and two["ended"], timeout=QUICK)
    assert "".join(t for _, t in one["text"]) == "标题：保温杯 500ml"
    assert "".join(t for _, t in two["text"]) == "Camp mug"
    (result, text_before_finish), = one["finished"]
    assert isinstance(result, Finished) and result.text == "标题：保温杯 500ml"
    assert text_before_finish == len(one["text"])  # all text arrived before the job finished
    assert len(one["text"]) <= 3  # never more signals than pieces: merged per frame
    assert first.is_done and second.is_done and fake_worker.state == ew.READY and not fake_worker.busy


def test_variant_text_and_other_events_reach_their_job(qtbot, fake_worker):
    from dataclasses import dataclass

    @dataclass
    class Delta:
        index: int
        text: str

    def work(engine, emit):
        emit(Delta(0, "a"))
        emit(Delta(1, "b"))
        emit(Delta(1, "c"))
        emit({"note": "halfway"})
        return "done"

    job = fake_worker.submit(work)
    seen = _record(job)
    qtbot.waitUntil(lambda: seen["ended"], timeout=QUICK)
    streams: dict[int, str] = {}
    for stream, text in seen["text"]:
        streams[stream] = streams.get(stream, "") + text
    assert streams == {0: "a", 1: "bc"}
    assert seen["events"] == [{"note": "halfway"}] and seen["finished"][0][0] == "done"


def test_cancel_stops_the_running_job_and_skips_the_queued_one(qtbot, fake, fake_worker):
    fake.enqueue(["Mug", " number", " one"], hold=True)
    fake.enqueue(["never written"])
    running = fake_worker.submit(GenerationRequest(messages=MESSAGES))
    queued = fake_worker.submit(GenerationRequest(messages=MESSAGES))
    first, second = _record(running), _record(queued)
    qtbot.waitUntil(fake.holding.is_set, timeout=QUICK)  # mid-answer
    queued.cancel()
    running.cancel()
    qtbot.waitUntil(lambda: first["ended"] and second["ended"], timeout=QUICK)
    assert first["finished"][0][0].stop_reason == "cancelled"
    assert first["finished"][0][0].text == "Mug number one"  # what was written so far is kept
    assert second["skipped"] == 1 and second["finished"] == [] and fake.queued == 1


def test_stop_all_interrupts_every_job(qtbot, fake, fake_worker):
    fake.enqueue(["Teapot"], hold=True)
    running = fake_worker.submit(GenerationRequest(messages=MESSAGES))
    queued = fake_worker.submit(GenerationRequest(messages=MESSAGES))
    first, second = _record(running), _record(queued)
    qtbot.waitUntil(fake.holding.is_set, timeout=QUICK)
    fake_worker.stop_all()
    qtbot.waitUntil(lambda: first["ended"] and second["ended"], timeout=QUICK)
    assert first["finished"][0][0].stop_reason == "cancelled" and second["skipped"] == 1
    assert running.stop.requested == "pause" and running.stop.abort  # a batch job on this token pauses


def test_a_failing_job_is_a_message(qtbot, fake, fake_worker):
    job = fake_worker.submit(GenerationRequest(messages=MESSAGES))  # nothing queued: the fake refuses
    seen = _record(job)
    qtbot.waitUntil(lambda: seen["ended"], timeout=QUICK)
    assert len(seen["failed"]) == 1 and "no answer queued" in seen["failed"][0]
    assert "Traceback" not in seen["failed"][0] and fake_worker.state == ew.READY


def test_answers_for_a_deleted_parent_are_dropped(qtbot, fake, fake_worker):
    page = QWidget()
    fake.enqueue(["lost"], hold=True)
    job = fake_worker.submit(GenerationRequest(messages=MESSAGES), parent=page)
    heard = []
    job.text.connect(lambda *_: heard.append("text"))
    qtbot.waitUntil(fake.holding.is_set, timeout=QUICK)
    page.deleteLater()
    qtbot.waitUntil(lambda: not _alive(page), timeout=QUICK)
    fake.release()
    qtbot.waitUntil(lambda: not fake_worker.busy, timeout=QUICK)  # the worker forgot the job cleanly
    assert fake_worker.state == ew.READY


# ----- the real engine ---------------------------------------------------------------------------------
@pytest.fixture
def engine_worker(qtbot):
    worker = EngineWorker()
    yield worker
    worker.shutdown()


@pytest.mark.model
def test_real_tokens_are_batched_in_order_and_add_up(qtbot, engine_worker, model_path):
    with qtbot.waitSignal(engine_worker.modelLoaded, timeout=120_000):
        engine_worker.load(str(model_path))
    job = engine_worker.submit(GenerationRequest(messages=MESSAGES, max_tokens=32, seed=3))
    seen = _record(job)
    qtbot.waitUntil(lambda: seen["ended"], timeout=120_000)
    (result, pieces_before_finish), = seen["finished"]
    assert isinstance(result, Finished)
    assert pieces_before_finish == len(seen["text"])  # all text arrived before the job finished
    assert "".join(text for _, text in seen["text"]) == result.text
    assert len(seen["text"]) <= max(1, result.completion_tokens)  # never more signals than tokens
    assert engine_worker.state == ew.READY


def test_a_bad_model_is_a_message_not_an_exception(qtbot, engine_worker, tmp_path):
    bad = tmp_path / "broken.gguf"
    bad.write_bytes(b"<html>not a model</html>")
    with qtbot.waitSignal(engine_worker.loadFailed, timeout=30_000) as failed:
        engine_worker.load(str(bad))
    message = failed.args[0]
    assert "broken.gguf" in message and "Traceback" not in message
    qtbot.waitUntil(lambda: engine_worker.state == ew.FAILED, timeout=5_000)
    job = engine_worker.submit(GenerationRequest(messages=MESSAGES, max_tokens=4))
    seen = _record(job)
    qtbot.waitUntil(lambda: bool(seen["failed"]), timeout=QUICK)
    assert "model" in seen["failed"][0].lower()


def test_error_messages_are_for_merchants(qapp):
    import errno
    import sqlite3

    from desktop.ui.errors import error_message, pick_language

    pair = "The template needs a product name. / 模板缺少商品名称。"
    assert error_message(ShopscribeError(pair), "zh") == "模板缺少商品名称。"
    assert error_message(ShopscribeError(pair), "en") == "The template needs a product name."
    assert error_message(pair, "zh") == "模板缺少商品名称。"  # a message already in words
    joined = "Too long. / 太长。; No title. / 缺少标题。"  # a batch item's reasons
    assert error_message(joined, "zh") == "太长。；缺少标题。"
    assert error_message(joined, "en") == "Too long.; No title."
    assert pick_language("either / or", "zh") == "either / or"
    full = error_message(OSError(errno.ENOSPC, "No space left on device"), "en")
    assert "disk is full" in full and "Free some space" in full
    assert "disk is full" in error_message(sqlite3.OperationalError("database or disk is full"), "en")
    odd = error_message(KeyError("x"), "en")
    assert "KeyError" in odd and "Traceback" not in odd


def test_while_a_window_is_open_garbage_is_collected_on_the_gui_thread_only(qtbot):
    import gc
    import threading

    from desktop.ui.gui_gc import GuiThreadCollector

    assert gc.isenabled()
    collector = GuiThreadCollector()
    collected_on: list[str] = []

    class Cycle:
        def __del__(self):
            collected_on.append(threading.current_thread().name)

    try:
        assert not gc.isenabled()  # no collection in whatever thread allocates next
        for _ in range(gc.get_threshold()[0] + 10):
            a, b = Cycle(), Cycle()
            a.other, b.other = b, a  # only the cyclic collector can free these
            del a, b
        worker = threading.Thread(target=lambda: [object() for _ in range(5_000)], name="worker")
        worker.start()
        worker.join()
        qtbot.waitUntil(lambda: len(collected_on) > 0, timeout=5_000)  # the timer collected them
        assert set(collected_on) == {threading.main_thread().name}

        # settled: what exists now is left out of later passes; cycles made after are still collected
        collector.settle()
        assert gc.get_freeze_count() > 0
        collected_on.clear()
        for _ in range(gc.get_threshold()[0] + 10):
            a, b = Cycle(), Cycle()
            a.other, b.other = b, a
            del a, b
        qtbot.waitUntil(lambda: len(collected_on) > 0, timeout=5_000)
        assert set(collected_on) == {threading.main_thread().name}
    finally:
        collector.stop()
    assert gc.isenabled() and gc.get_freeze_count() == 0  # frozen objects are collectable again


# ----- the first load's tuning, in the engine's idle time ---------------------------------------------------
class _Engine:
    """What IdleTuner reads of the engine worker: its state and whether a job runs."""

    def __init__(self) -> None:
        self.state, self.busy, self.reloads = ew.READY, False, 0
        self.model_info = {"path": "model.gguf", "flash_attn": "on", "n_threads": 2}

    def reload(self) -> None:
        self.reloads += 1


class _TuneStub:
    """HostEngine(model).tune(stop=...) as the tuner calls it: waits to be released or stopped."""

    started: list = []
    release = threading.Event()

    def __init__(self, model) -> None:
        self.model = model

    def tune(self, stop=None) -> dict:
        from desktop.core.engine.tuning import Interrupted

        _TuneStub.started.append(stop)
        while not _TuneStub.release.wait(0.02):
            if stop is not None and stop.is_set:
                raise Interrupted()
        return {"flash_attn": "off", "n_threads": 2}


def test_the_first_tuning_waits_for_an_idle_engine_and_gives_way_to_a_generation(qtbot, owner, monkeypatch):
    from types import SimpleNamespace

    from desktop.core.engine import client
    from desktop.ui import engine_tuning

    monkeypatch.setattr(client, "HostEngine", _TuneStub)
    monkeypatch.setattr(engine_tuning, "IDLE_MS", 300)
    monkeypatch.setattr(engine_tuning, "POLL_MS", 50)
    _TuneStub.started, _TuneStub.release = [], threading.Event()
    engine = _Engine()
    engine.busy = True  # a generation runs: no measuring beside it
    done = []
    tuner = engine_tuning.IdleTuner(SimpleNamespace(engine=engine), owner, "model.gguf", on_done=done.append)
    qtbot.wait(600)
    assert _TuneStub.started == [] and not tuner.measuring
    engine.busy = False
    qtbot.waitUntil(lambda: len(_TuneStub.started) == 1, timeout=QUICK)  # idle long enough: it starts
    engine.busy = True  # the merchant clicks Generate
    qtbot.waitUntil(lambda: _TuneStub.started[0].cancelled and not tuner.measuring, timeout=QUICK)
    engine.busy = False
    qtbot.waitUntil(lambda: len(_TuneStub.started) == 2, timeout=QUICK)  # again, after the next idle spell
    _TuneStub.release.set()
    qtbot.waitUntil(lambda: bool(done), timeout=QUICK)
    assert done == [{"flash_attn": "off", "n_threads": 2}] and tuner.tries == 2
    assert engine.reloads == 1  # the measured settings differ from the loaded ones: applied at once
