"""Starting the window: the QApplication, language, theme, the engine worker, the main window.

The window paints first; only then does the engine host start and load the model (on 2 cores the
host's start-up would otherwise compete with the first paint)."""

from __future__ import annotations

import logging
import sys

from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer
from PySide6.QtWidgets import QApplication

from desktop.ui import i18n, prefs, theme
from desktop.ui.context import AppContext, SamplingOverrides
from desktop.ui.engine_worker import EngineWorker
from desktop.ui.gui_gc import GuiThreadCollector
from desktop.ui.icons import app_icon
from desktop.ui.main_window import MainWindow
from desktop.ui.workers import wait_for_workers

log = logging.getLogger(__name__)


GUI_SWITCH_INTERVAL_S = 0.0005  # see ensure_app


def ensure_app(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if app is None:
        from desktop.ui.display import guard_platform_start

        with guard_platform_start():  # no usable display: one line and exit 1, never Qt's abort
            app = QApplication(list(argv) if argv is not None else sys.argv[:1])
    # The window's other threads (the engine thread, the engine host's reader, the checks) take the GIL in
    # turns with the GUI thread. Python's default switch interval (5 ms) let each keep it that long while
    # the GUI thread waited to run a timer or a paint, and while text streamed those waits joined into
    # the longest pauses of the window. A short interval keeps the GUI thread's waits short.
    sys.setswitchinterval(GUI_SWITCH_INTERVAL_S)
    app.setApplicationName("Shopscribe")
    app.setOrganizationName("Shopscribe")
    app.setApplicationDisplayName("Shopscribe")
    app.setWindowIcon(app_icon())
    return app


def _follow_system_scheme(app: QApplication, bus) -> None:
    hints = app.styleHints()
    if not hasattr(hints, "colorSchemeChanged") or getattr(app, "_shopscribe_follows_scheme", False):
        return

    def changed(*_args) -> None:
        if prefs.get("ui/theme") == "system":
            bus.themeChanged.emit(theme.apply_theme("system"))

    hints.colorSchemeChanged.connect(changed)
    app._shopscribe_follows_scheme = True


class AfterFirstPaint(QObject):
    """Calls `callback` once, right after the first paint of `window` (or after `fallback_ms` when the
    window is never painted, e.g. started minimised)."""

    def __init__(self, window, callback, fallback_ms: int = 3000) -> None:
        super().__init__(window)
        self._window, self._callback, self._done = window, callback, False
        QApplication.instance().installEventFilter(self)
        QTimer.singleShot(fallback_ms, self._fire)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt's name
        if (not self._done and event.type() == QEvent.Type.Paint and hasattr(obj, "window")
                and obj.window() is self._window):
            QTimer.singleShot(0, self._fire)  # after this paint has reached the screen
        return False

    def _fire(self) -> None:
        if self._done:
            return
        self._done = True
        QApplication.instance().removeEventFilter(self)
        self._callback()


def create_main_window(
    *, load_model: bool = True, engine: EngineWorker | None = None,
    language: str | None = None, theme_name: str | None = None, sampling: SamplingOverrides | None = None,
) -> MainWindow:
    """The main window with its engine worker (not shown). With `load_model`, the default model starts
    loading right after the window's first paint. `sampling` fixes the length and seed of every Compose
    generation, for a program that drives the window (screenshots, the self-test)."""
    app = ensure_app()
    i18n.install_language(language or prefs.get("ui/language"))
    theme.apply_theme(theme_name or prefs.get("ui/theme"))
    engine = engine or EngineWorker()
    ctx = AppContext(engine, sampling=sampling)
    window = MainWindow(ctx)
    window.collector = GuiThreadCollector(window)  # Qt objects are only ever collected on this thread
    _follow_system_scheme(app, ctx.bus)
    if load_model:
        window._first_paint = AfterFirstPaint(window, lambda: (window.load_model(), _warm_up(window)))
    return window


def _warm_up(window: MainWindow) -> None:
    """The compose code and the checks' rules, imported and loaded off the GUI thread while the model loads
    (see compose.warm_up_checks): importing them on the GUI thread held it for about a second. And the
    Compose page's first result card, made before the first click. Then what the start made is frozen out
    of the garbage collector's later passes (GuiThreadCollector.settle)."""
    from desktop.ui.workers import Op

    def work() -> None:
        from desktop.core.compose import warm_up_checks

        warm_up_checks()

    def done() -> None:  # each in a turn of the event loop of its own
        if window.pages.is_built("compose"):  # the page shown at start (a page is built when first shown)
            QTimer.singleShot(0, window.pages["compose"].prepare_card)
        QTimer.singleShot(0, window.collector.settle)

    def failed(exc) -> None:
        log.warning("warming up the checks failed: %s", exc)
        done()

    # After the imports: they hold the GIL on the worker, which slowed the GUI thread's part severalfold.
    Op(window, work).on_success(lambda _result: done()).on_failure(failed).run()


def shutdown(window: MainWindow) -> None:
    """Stop the engine thread and pool workers (cancels what runs)."""
    window.stop_tuning()
    window.ctx.engine.shutdown()
    wait_for_workers()
    window.collector.stop()  # after the workers: none of them may collect a Qt object


def run_app(argv: list[str] | None = None) -> int:
    app = ensure_app(argv)
    window = create_main_window()
    window.show()
    try:
        return app.exec()
    finally:
        shutdown(window)


SELFTEST_TOKENS = 8


def selftest_window(timeout_s: float = 120) -> bool:
    """Open the window offscreen, wait for the model, generate a few tokens from the Compose page,
    close. True when all of that happened in time."""
    app = ensure_app(["shopscribe"])
    window = create_main_window(load_model=True, sampling=SamplingOverrides(max_tokens=SELFTEST_TOKENS))
    window.show()
    loop = QEventLoop()
    outcome: dict[str, object] = {}

    def finish(ok: bool, why: str = "") -> None:
        outcome.setdefault("ok", ok)
        outcome.setdefault("why", why)
        loop.quit()

    def loaded(_info: dict) -> None:
        compose = window.pages.get("compose")
        if compose is not None and hasattr(compose, "selftest_generate"):
            compose.selftest_generate(lambda ok, why="": finish(ok, why))
        else:
            finish(False, "no compose page")

    engine = window.ctx.engine
    engine.modelLoaded.connect(loaded)
    engine.loadFailed.connect(lambda message: finish(False, message))
    QTimer.singleShot(int(timeout_s * 1000), lambda: finish(False, "timed out"))
    loop.exec()
    window.close()
    shutdown(window)
    app.processEvents()
    if not outcome.get("ok"):
        log.error("window selftest failed: %s", outcome.get("why"))
        print(f"window selftest: {outcome.get('why')}", file=sys.stderr)
    return bool(outcome.get("ok"))
