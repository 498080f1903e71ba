"""One pattern for everything slow: a `Worker` runs a function or a generator off the GUI thread and
reports through signals (after napari/superqt's generator workers).

    worker = create_worker(search_history, "茶叶")
    worker.returned.connect(self._show_rows)
    worker.errored.connect(self._show_error)
    worker.start()

Signals: `started`, `yielded(value)` (generators), `returned(value)`, `errored(exception)`,
`aborted` (after `quit()`), and `finished` last in every case. Cancel is cooperative: `quit()` sets a
flag that is checked between generator steps, and the generator is closed in a `finally`, so its own
clean-up runs. Nothing is ever terminated mid-step.

Signals are emitted from the pool thread on a QObject that lives in the GUI thread, so connected
slots (methods, functions, lambdas) run queued on the GUI thread. Connect before `start()`: a signal
emitted before a connection exists reaches nobody.

Store operations go through `store_pool()`, one thread, so the UI never races itself on SQLite (one
road to the database, as Anki does); `thread_db()` gives that thread its own connection.
"""

from __future__ import annotations

import inspect
import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)

# Workers in flight: a started Worker must outlive its Python references until it finishes.
_ACTIVE: set[Worker] = set()
_ACTIVE_LOCK = threading.Lock()


class Worker(QObject):
    started = Signal()
    yielded = Signal(object)
    returned = Signal(object)
    errored = Signal(object)
    aborted = Signal()
    finished = Signal()

    def __init__(self, func: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        super().__init__()
        self._func = func
        self._args = args
        self._kwargs = kwargs
        self._abort = threading.Event()
        self._done = threading.Event()
        self._runnable: _Runnable | None = None

    # ----- control (GUI thread) ----------------------------------------------------------------
    def start(self, pool: QThreadPool | None = None) -> Worker:
        with _ACTIVE_LOCK:
            _ACTIVE.add(self)
        self.finished.connect(self._forget)
        self._runnable = _Runnable(self)
        (pool or general_pool()).start(self._runnable)
        return self

    def quit(self) -> None:
        """Ask the work to stop at its next step (generators) or to drop its result (functions)."""
        self._abort.set()

    @property
    def abort_requested(self) -> bool:
        return self._abort.is_set()

    @property
    def is_done(self) -> bool:
        return self._done.is_set()

    def _forget(self) -> None:
        with _ACTIVE_LOCK:
            _ACTIVE.discard(self)

    # ----- the work (pool thread) --------------------------------------------------------------
    def run(self) -> None:
        self.started.emit()
        try:
            result = self._func(*self._args, **self._kwargs)
            if inspect.isgenerator(result):
                result = self._drive(result)
            if self._abort.is_set():
                self.aborted.emit()
            else:
                self.returned.emit(result)
        except _Aborted:
            self.aborted.emit()
        except Exception as exc:  # every error reaches the GUI as a signal, never a crash
            if not isinstance(exc, _expected_errors()):
                log.exception("worker %s failed", getattr(self._func, "__name__", self._func))
            self.errored.emit(exc)
        finally:
            self._done.set()
            self.finished.emit()

    def _drive(self, gen) -> Any:
        try:
            while True:
                if self._abort.is_set():
                    raise _Aborted()
                try:
                    value = next(gen)
                except StopIteration as stop:
                    return stop.value
                self.yielded.emit(value)
        finally:
            gen.close()  # runs the generator's own finally blocks, also on abort


class _Runnable(QRunnable):
    def __init__(self, worker: Worker) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._worker = worker

    def run(self) -> None:
        self._worker.run()


class _Aborted(Exception):
    pass


def _expected_errors() -> tuple[type[BaseException], ...]:
    from desktop.core.errors import ShopscribeError

    return (ShopscribeError,)


def create_worker(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Worker:
    """A Worker for `func(*args, **kwargs)`; call `.start()` after connecting its signals."""
    return Worker(func, *args, **kwargs)


# ----- the general pool ----------------------------------------------------------------------------
GENERAL_THREADS = 8


def general_pool() -> QThreadPool:
    """Qt's global pool, widened: its default (one thread per core, 2 on many laptops) lets a long
    import and an export starve short work such as listing models. The work here mostly waits on
    files or the network; the engine has its own thread and the store its own pool."""
    pool = QThreadPool.globalInstance()
    if pool.maxThreadCount() < GENERAL_THREADS:
        pool.setMaxThreadCount(GENERAL_THREADS)
    return pool


# ----- the store's serial road ---------------------------------------------------------------------
_STORE_POOL: QThreadPool | None = None
_LOCAL = threading.local()


def store_pool() -> QThreadPool:
    """A one-thread pool: store work runs in submission order, never two at once."""
    global _STORE_POOL
    if _STORE_POOL is None:
        _STORE_POOL = QThreadPool()
        _STORE_POOL.setMaxThreadCount(1)
        _STORE_POOL.setExpiryTimeout(-1)  # keep the thread, and with it its SQLite connection
    return _STORE_POOL


def thread_db():
    """This thread's own connection to the current database (reopened if SHOPSCRIBE_HOME moved)."""
    from desktop.core.paths import database_path
    from desktop.core.store import open_db

    path = database_path()
    cached = getattr(_LOCAL, "db", None)
    if cached is not None and getattr(_LOCAL, "path", None) == path:
        return cached
    if cached is not None:
        cached.close()
    _LOCAL.db, _LOCAL.path = open_db(path), path
    return _LOCAL.db


def run_store(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Worker:
    """A Worker (not started) that runs `func(db, *args, **kwargs)` on the store thread with that
    thread's connection. Connect its signals, then `.start(store_pool())`, or use `submit_store`."""
    return Worker(lambda: func(thread_db(), *args, **kwargs))


def submit_store(
    func: Callable[..., Any],
    *args: Any,
    on_result: Callable[[Any], None] | None = None,
    on_error: Callable[[BaseException], None] | None = None,
    **kwargs: Any,
) -> Worker:
    """Run `func(db, ...)` on the store thread; `on_result` / `on_error` run on the GUI thread."""
    worker = run_store(func, *args, **kwargs)
    if on_result is not None:
        worker.returned.connect(on_result)
    if on_error is not None:
        worker.errored.connect(on_error)
    return worker.start(store_pool())


def wait_for_workers(timeout_ms: int = 5000) -> bool:
    """Block until pool work is done (used at shutdown and by tests that tear down the app)."""
    ok = QThreadPool.globalInstance().waitForDone(timeout_ms)
    if _STORE_POOL is not None:
        ok = _STORE_POOL.waitForDone(timeout_ms) and ok
    return ok
