"""The one stop token (desktop/core/stop.py): what was asked, that a cancel is final, that an abort
reaches the engine in use (also when asked before the work began), and that waiting wakes at once."""

from __future__ import annotations

import threading
import time

from desktop.core.stop import Stop


class CountingEngine:
    def __init__(self) -> None:
        self.cancels = 0

    def cancel(self) -> None:
        self.cancels += 1


def test_pause_then_cancel_is_final():
    stop = Stop()
    assert (stop.requested, stop.is_set, stop.abort) == (None, False, False)
    stop.pause()
    assert (stop.requested, stop.is_set, stop.abort, stop.cancelled) == ("pause", True, False, False)
    stop.cancel()
    assert (stop.requested, stop.abort, stop.cancelled) == ("cancel", True, True)
    stop.pause()  # a cancel is never downgraded to a pause
    assert stop.requested == "cancel"
    stop.reset()  # ... nor cleared
    assert stop.cancelled and stop.is_set


def test_reset_clears_a_pause_for_the_resumed_work():
    stop = Stop()
    stop.pause(abort=True)
    stop.reset()
    assert (stop.requested, stop.is_set, stop.abort) == (None, False, False)


def test_an_abort_cancels_the_engine_in_use_and_only_that_one():
    stop, engine = Stop(), CountingEngine()
    stop.pause()  # no abort: the step in progress finishes
    with stop.interrupts(engine):
        assert engine.cancels == 0
        stop.pause(abort=True)
        assert engine.cancels == 1
    stop.cancel()  # the work left: the engine is no longer interrupted
    assert engine.cancels == 1


def test_an_abort_asked_before_the_work_began_cancels_at_once():
    stop, engine = Stop(), CountingEngine()
    stop.cancel()
    with stop.interrupts(engine):
        assert engine.cancels == 1


def test_nested_work_gives_the_outer_engine_back():
    stop, outer, inner = Stop(), CountingEngine(), CountingEngine()
    with stop.interrupts(outer):
        with stop.interrupts(inner):
            pass
        stop.pause(abort=True)
    assert (outer.cancels, inner.cancels) == (1, 0)


def test_wait_wakes_as_soon_as_a_stop_is_asked():
    stop = Stop()
    assert stop.wait(0.01) is False
    threading.Timer(0.05, stop.pause).start()
    started = time.monotonic()
    assert stop.wait(10) is True
    assert time.monotonic() - started < 5
