"""The one worker pattern and the engine thread: results on the GUI thread, cooperative abort, tokens
batched per frame in order, cancel, and errors as signals (never exceptions)."""

from __future__ import annotations

import sys
import threading

import pytest
from PySide6.QtCore import QObject, Signal

from desktop.core.engine import Finished, GenerationRequest
from desktop.core.errors import ShopscribeError
from desktop.ui import engine_worker as ew
from desktop.ui.engine_worker import EngineWorker
from desktop.ui.workers import create_worker, store_pool, submit_store

MESSAGES = [{"role": "user", "content": "Write one sentence about a steel water bottle."}]


def test_function_result_arrives_on_the_gui_thread(qtbot):
    gui = threading.get_ident()
    seen = {}
    worker = create_worker(lambda: (threading.get_ident(), 42))
    worker.returned.connect(lambda value: seen.update(value=value, slot_thread=threading.get_ident()))
    with qtbot.waitSignal(worker.finished, timeout=10_000):
        worker.start()
    worker_thread, value = seen["value"]
    assert value == 42
    assert worker_thread != gui  # the work ran off the GUI thread
    assert seen["slot_thread"] == gui  # the result was delivered on it


def test_errors_become_a_signal(qtbot):
    def fail():
        raise ShopscribeError("the disk is full: free some space")

    worker = create_worker(fail)
    errors = []
    worker.errored.connect(errors.append)
    with qtbot.waitSignal(worker.finished, timeout=10_000):
        worker.start()
    assert [str(e) for e in errors] == ["the disk is full: free some space"]


def test_generator_abort_is_cooperative_and_closes_the_generator(qtbot):
    release = threading.Event()
    cleaned = threading.Event()

    def steps():
        try:
            for i in range(1000):
                yield i
                release.wait(5)
        finally:
            cleaned.set()

    worker = create_worker(steps)
    got, returned = [], []
    worker.yielded.connect(got.append)
    worker.returned.connect(returned.append)
    worker.yielded.connect(lambda _v: (worker.quit(), release.set()))
    with qtbot.waitSignals([worker.aborted, worker.finished], timeout=10_000):
        worker.start()
    assert cleaned.is_set()
    assert returned == []
    assert 1 <= len(got) < 1000


def test_store_work_runs_in_order_on_one_thread(qtbot):
    threads, order = [], []

    def record(db, n):
        threads.append(threading.get_ident())
        db.execute("SELECT 1")
        return n

    workers = [submit_store(record, n, on_result=order.append) for n in range(5)]
    qtbot.waitUntil(lambda: len(order) == 5, timeout=10_000)
    assert order == [0, 1, 2, 3, 4]
    assert len(set(threads)) == 1
    assert store_pool().maxThreadCount() == 1
    assert all(w.is_done for w in workers)


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


@pytest.fixture
def engine_worker(qtbot):
    worker = EngineWorker()
    yield worker
    worker.shutdown()


@pytest.mark.model
def test_tokens_are_batched_in_order_and_add_up(qtbot, engine_worker, model_path):
    with qtbot.waitSignal(engine_worker.modelLoaded, timeout=120_000):
        engine_worker.load(str(model_path))
    pieces, finished = [], []
    engine_worker.textReady.connect(lambda job, stream, text: pieces.append((job, stream, text)))
    engine_worker.jobFinished.connect(lambda job, result: finished.append((job, result, len(pieces))))
    job = engine_worker.submit(GenerationRequest(messages=MESSAGES, max_tokens=32, seed=3))
    qtbot.waitUntil(lambda: bool(finished), timeout=120_000)
    job_id, result, pieces_before_finish = finished[0]
    assert job_id == job and isinstance(result, Finished)
    assert pieces_before_finish == len(pieces)  # all text arrived before the job finished
    assert "".join(text for _, _, text in pieces) == result.text
    assert len(pieces) <= max(1, result.completion_tokens)  # never more signals than tokens
    assert engine_worker.state == ew.READY


@pytest.mark.model
def test_cancel_stops_running_and_skips_queued_jobs(qtbot, engine_worker, model_path):
    engine_worker.load(str(model_path))
    progress, finished, skipped = [], [], []
    engine_worker.jobProgress.connect(lambda job, n, rate: progress.append(n))
    engine_worker.jobFinished.connect(lambda job, result: finished.append(result))
    engine_worker.jobSkipped.connect(skipped.append)
    first = engine_worker.submit(GenerationRequest(messages=MESSAGES, max_tokens=400, seed=1))
    second = engine_worker.submit(GenerationRequest(messages=MESSAGES, max_tokens=400, seed=2))
    qtbot.waitUntil(lambda: bool(progress) and progress[-1] >= 3, timeout=120_000)
    seen_at_cancel = progress[-1]
    engine_worker.cancel()
    qtbot.waitUntil(lambda: bool(finished and skipped), timeout=60_000)
    assert finished[0].stop_reason == "cancelled"
    assert finished[0].completion_tokens - seen_at_cancel <= 10  # within a few tokens
    assert skipped == [second] and first != second


def test_a_bad_model_is_a_message_not_an_exception(qtbot, engine_worker, tmp_path):
    bad = tmp_path / "broken.gguf"
    bad.write_bytes(b"<html>not a model</html>")
    with qtbot.waitSignal(engine_worker.loadFailed, timeout=30_000) as failed:
        engine_worker.load(str(bad))
    message = failed.args[0]
    assert "broken.gguf" in message and "Traceback" not in message
    qtbot.waitUntil(lambda: engine_worker.state == ew.FAILED, timeout=5_000)
    errors = []
    engine_worker.jobFailed.connect(lambda job, text: errors.append(text))
    engine_worker.submit(GenerationRequest(messages=MESSAGES, max_tokens=4))
    qtbot.waitUntil(lambda: bool(errors), timeout=10_000)
    assert "model" in errors[0].lower()


def test_error_messages_are_for_merchants(qapp):
    import errno
    import sqlite3

    from desktop.ui.errors import error_message, pick_language

    pair = "The template needs a product name. / 模板缺少商品名称。"
    assert error_message(ShopscribeError(pair), "zh") == "模板缺少商品名称。"
    assert error_message(ShopscribeError(pair), "en") == "The template needs a product name."
    assert pick_language("either / or", "zh") == "either / or"
    full = error_message(OSError(errno.ENOSPC, "No space left on device"), "en")
    assert "disk is full" in full and "Free some space" in full
    assert "disk is full" in error_message(sqlite3.OperationalError("database or disk is full"), "en")
    odd = error_message(KeyError("x"), "en")
    assert "KeyError" in odd and "Traceback" not in odd
