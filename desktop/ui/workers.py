"""The one way the window runs slow work: an `Op` runs a function off the GUI thread, then hands its
answer to the widget that asked, on the GUI thread (after Anki's QueryOp and superqt's workers).

    Op(self, hub.search, query).on_success(self._show_results).run()
    StoreOp(self, list_brands).on_success(self._fill).run()         # list_brands(db) on the store thread

Which thread: `StoreOp` runs `fn(db, *args, **kwargs)` on the store's one serial thread with that
thread's own SQLite connection, so the window never races itself on the database (one road to it, as
Anki has). `Op` runs `fn(*args, **kwargs)` on the general pool (files, the network, hashing).

What comes back:
- `on_success(result)` and `on_failure(exception)` run on the GUI thread, and only while `parent` (the
  widget or QObject that asked) still exists: an answer never reaches a closed page.
- Without `on_failure`, a failure is shown to the merchant in a message box: never silent.
- `on_done()` runs last, whatever happened.
- `with_progress(callback)` hands `fn` a `progress=` callable it may call from its thread, as often as
  it likes; `callback(*args)` runs on the GUI thread.
- `with_stop()` hands `fn` the op's `stop=` token (desktop/core/stop.py): `op.stop.pause()` or
  `op.cancel()` asks it to stop, and `fn` says how it ended (a download raises DownloadPaused). An op
  cancelled without `with_stop()` drops its answer instead: neither success nor failure is delivered.
  `on_done` runs in every case.

A started Op keeps itself alive until it has delivered; nothing needs to hold it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QRunnable, Qt, QThreadPool, Signal

from desktop.core.stop import Stop

log = logging.getLogger(__name__)

_ACTIVE: set[Op] = set()  # started ops, kept alive until they have delivered
_ACTIVE_LOCK = threading.Lock()


class Op(QObject):
    # Emitted on the pool thread; the Op lives in the GUI thread, so its slots run there, queued.
    _succeeded = Signal(object)
    _failed = Signal(object)
    _progressed = Signal(object)
    _ended = Signal()

    def __init__(self, parent: QObject | None, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        super().__init__()  # no Qt parent: the pool thread may still emit on it after `parent` is gone
        self._owner = parent
        self._fn, self._args, self._kwargs = fn, args, kwargs
        self._success: Callable[[Any], None] | None = None
        self._failure: Callable[[BaseException], None] | None = None
        self._progress: Callable[..., None] | None = None
        self._done_callback: Callable[[], None] | None = None
        self._progress_keyword: str | None = None
        self._stop_keyword: str | None = None
        self.stop = Stop()
        self._finished = threading.Event()
        self._succeeded.connect(self._deliver_success)
        self._failed.connect(self._deliver_failure)
        self._progressed.connect(self._deliver_progress)
        self._ended.connect(self._deliver_end)

    # ----- building (GUI thread) ---------------------------------------------------------------
    def on_success(self, callback: Callable[[Any], None]) -> Op:
        self._success = callback
        return self

    def on_failure(self, callback: Callable[[BaseException], None]) -> Op:
        """Handle a failure yourself (the default shows it in a message box)."""
        self._failure = callback
        return self

    def on_done(self, callback: Callable[[], None]) -> Op:
        self._done_callback = callback
        return self

    def with_progress(self, callback: Callable[..., None], keyword: str = "progress") -> Op:
        self._progress, self._progress_keyword = callback, keyword
        return self

    def with_stop(self, keyword: str = "stop") -> Op:
        self._stop_keyword = keyword
        return self

    def run(self, pool: QThreadPool | None = None) -> Op:
        with _ACTIVE_LOCK:
            _ACTIVE.add(self)
        (pool or self._pool()).start(_Runnable(self))
        return self

    # ----- control -----------------------------------------------------------------------------------
    def cancel(self) -> None:
        self.stop.cancel()

    @property
    def done(self) -> bool:
        """The work has ended (its answer may still be on its way to the GUI thread)."""
        return self._finished.is_set()

    # ----- the work (pool thread) ----------------------------------------------------------------
    def _pool(self) -> QThreadPool:
        return general_pool()

    def _call(self) -> Any:
        kwargs = dict(self._kwargs)
        if self._progress_keyword:
            kwargs[self._progress_keyword] = lambda *values: self._progressed.emit(values)
        if self._stop_keyword:
            kwargs[self._stop_keyword] = self.stop
        return self._invoke(kwargs)

    def _invoke(self, kwargs: dict) -> Any:
        return self._fn(*self._args, **kwargs)

    def _dropped(self) -> bool:
        return self.stop.cancelled and self._stop_keyword is None

    def _work(self) -> None:
        answer: tuple[Signal, Any] | None = None
        try:
            answer = (self._succeeded, self._call())
        except Exception as exc:  # every error reaches the GUI as a message, never a crash
            if not isinstance(exc, _expected_errors()):
                log.exception("background work %s failed", getattr(self._fn, "__name__", self._fn))
            answer = (self._failed, exc)
        finally:
            self._finished.set()  # before the answer: whoever it reaches finds the op done
            try:
                if answer is not None and not self._dropped():
                    answer[0].emit(answer[1])
                self._ended.emit()
            except RuntimeError:  # the app is shutting down and took this op with it: nobody to answer
                log.debug("background work %s ended after the app closed",
                          getattr(self._fn, "__name__", self._fn))

    # ----- answers (GUI thread) ------------------------------------------------------------------
    def _owner_alive(self) -> bool:
        return self._owner is None or shiboken6.isValid(self._owner)

    def _deliver_success(self, result: Any) -> None:
        if self._success is not None and self._owner_alive():
            self._success(result)

    def _deliver_failure(self, exc: BaseException) -> None:
        if not self._owner_alive():
            return
        if self._failure is not None:
            self._failure(exc)
        else:
            show_failure(self._owner, exc)

    def _deliver_progress(self, values: tuple) -> None:
        if self._progress is not None and self._owner_alive():
            self._progress(*values)

    def _deliver_end(self) -> None:
        try:
            if self._done_callback is not None and self._owner_alive():
                self._done_callback()
        finally:
            with _ACTIVE_LOCK:
                _ACTIVE.discard(self)


class StoreOp(Op):
    """An Op whose `fn(db, *args, **kwargs)` runs on the store's serial thread with its connection."""

    def _pool(self) -> QThreadPool:
        return store_pool()

    def _invoke(self, kwargs: dict) -> Any:
        return self._fn(thread_db(), *self._args, **kwargs)


class _Runnable(QRunnable):
    def __init__(self, op: Op) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._op = op

    def run(self) -> None:
        self._op._work()


def _expected_errors() -> tuple[type[BaseException], ...]:
    from desktop.core.errors import ShopscribeError

    return (ShopscribeError,)


def show_failure(parent: QObject | None, exc: BaseException) -> None:
    """An Op's failure nobody handled: a message box over the window that asked (never blocking)."""
    from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

    from desktop.ui.errors import error_message

    window = parent.window() if isinstance(parent, QWidget) else QApplication.activeWindow()
    box = QMessageBox(QMessageBox.Icon.Warning, QCoreApplication.translate("Work", "This did not work"),
                      error_message(exc), QMessageBox.StandardButton.Ok, window)
    box.setObjectName("errorBox")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()


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


def pools_busy() -> bool:
    """Some Op is running right now (screenshots wait for a page to settle)."""
    return bool(QThreadPool.globalInstance().activeThreadCount()
                or (_STORE_POOL is not None and _STORE_POOL.activeThreadCount()))


def wait_for_workers(timeout_ms: int = 5000) -> bool:
    """Block until pool work is done (used at shutdown and by tests that tear down the app)."""
    ok = QThreadPool.globalInstance().waitForDone(timeout_ms)
    if _STORE_POOL is not None:
        ok = _STORE_POOL.waitForDone(timeout_ms) and ok
    return ok
