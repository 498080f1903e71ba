"""Ctrl-C in the command line: the first asks the work to stop, from a thread of its own; the second
stops at once. Python runs a signal handler on the main thread between two bytecodes, perhaps while
that thread holds a lock; asking the engine to cancel from the handler once hung `shopscribe batch`
for good when Ctrl-C came while the main thread was sending the engine host a request."""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest

from desktop.cli.common import on_ctrl_c

pytestmark = pytest.mark.skipif(os.name != "posix", reason="sends itself SIGINT with os.kill")


def press_ctrl_c(pressed: threading.Event) -> None:
    os.kill(os.getpid(), signal.SIGINT)
    deadline = time.monotonic() + 5
    while not pressed.is_set() and time.monotonic() < deadline:
        time.sleep(0.001)  # the handler runs at this thread's next bytecode; the action's thread follows


def test_ctrl_c_runs_the_action_even_while_the_main_thread_holds_a_lock_it_needs():
    lock = threading.Lock()  # as the engine pipe's send lock
    took: list[bool] = []

    def action() -> None:
        took.append(lock.acquire(timeout=5))  # run inside the handler, it would wait for this very thread
        if took[-1]:
            lock.release()

    with on_ctrl_c(action) as pressed:
        with lock:
            press_ctrl_c(pressed)
            assert pressed.is_set()
    assert took == [True]


def test_a_second_ctrl_c_stops_at_once():
    ran = threading.Event()
    with pytest.raises(KeyboardInterrupt):
        with on_ctrl_c(ran.set) as pressed:
            press_ctrl_c(pressed)
            assert ran.wait(5)
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(5)  # KeyboardInterrupt comes first
    assert pressed.is_set()


def test_without_ctrl_c_nothing_runs_and_everything_is_put_back():
    before = signal.getsignal(signal.SIGINT)
    ran: list[int] = []
    with on_ctrl_c(lambda: ran.append(1)) as pressed:
        pass
    assert not pressed.is_set() and ran == []
    assert signal.getsignal(signal.SIGINT) is before
    assert not [t for t in threading.enumerate() if t.name == "ctrl-c"]
