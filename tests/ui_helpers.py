"""What the window's tests share. Pages and windows run over a scripted engine (tests/fake_engine.py)
unless a test says otherwise: the real model is for the few tests that prove generation itself.

- `ui_context(fake)`: the body of a `ctx` fixture for one page: an AppContext whose engine worker
  drives `fake` (a fresh scripted engine by default, the real model with `real_model=True`) and is shut
  down afterwards, once the answers still queued for the page have arrived.
- `open_window(qtbot, fake)`: the whole window over `fake` (or the real model when `fake` is None).
- `compose_page`, `fill_product`, `wait_ready`, `wait_generated`: drive the Compose page.
- `show_page`, `row_of`: a page at a given size; a table row by the id it carries.
They wait on signals and conditions, never sleep."""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtCore import QCoreApplication, Qt

from desktop.ui import engine_worker as ew
from desktop.ui.app import create_main_window, shutdown
from desktop.ui.context import AppContext, SamplingOverrides
from desktop.ui.engine_worker import EngineWorker
from desktop.ui.gui_gc import GuiThreadCollector
from desktop.ui.main_window import MainWindow
from desktop.ui.workers import wait_for_workers
from tests.fake_engine import FakeEngine

LOAD_TIMEOUT_MS = 120_000
GENERATE_TIMEOUT_MS = 240_000
FAKE_TIMEOUT_MS = 10_000  # a scripted engine answers at once: waiting longer means something is wrong


def engine_worker(fake: FakeEngine | None) -> EngineWorker:
    """The window's engine thread over `fake` (the real model in its host when None)."""
    return EngineWorker(open_engine=fake.open) if fake is not None else EngineWorker()


def ui_context(fake: FakeEngine | None = None, *, real_model: bool = False) -> Iterator[AppContext]:
    """The body of a `ctx` fixture (`yield from ui_context(fake)`)."""
    engine = engine_worker(None if real_model else fake or FakeEngine())
    collector = GuiThreadCollector()  # as the window does: Qt objects are collected on this thread only
    yield AppContext(engine)
    engine.shutdown()
    wait_for_workers()
    for _ in range(5):  # answers already queued for the page arrive while it still exists
        QCoreApplication.processEvents()
        wait_for_workers()
    collector.stop()


def open_window(qtbot, fake: FakeEngine | None = None, *, language: str = "en", theme: str = "light",
                load: bool = True, sampling: SamplingOverrides | None = None) -> MainWindow:
    window = create_main_window(load_model=load, engine=engine_worker(fake), language=language,
                                theme_name=theme, sampling=sampling)
    qtbot.addWidget(window, before_close_func=close_window)
    window.show()
    return window


def close_window(window: MainWindow) -> None:
    window.close()
    shutdown(window)


def wait_ready(qtbot, window: MainWindow, timeout: int = LOAD_TIMEOUT_MS) -> None:
    engine = window.ctx.engine
    qtbot.waitUntil(lambda: engine.state in (ew.READY, ew.FAILED), timeout=timeout)
    assert engine.state == ew.READY, "the model did not load"


def compose_page(qtbot, window: MainWindow):
    page = window.show_page("compose")
    qtbot.waitUntil(lambda: page.form.choices is not None, timeout=30_000)
    return page


def fill_product(page, name: str = "不锈钢保温杯 500ml", features: str = "316 不锈钢, 12 小时保温",
                 variants: int = 1) -> None:
    page.form.set_field("product_name", name)
    page.form.set_field("features", features)
    page.form.variants.setValue(variants)


def wait_generated(qtbot, page, timeout: int = GENERATE_TIMEOUT_MS) -> None:
    qtbot.waitUntil(lambda: not page.running, timeout=timeout)


def show_page(qtbot, widget, width: int = 1000, height: int = 700):
    """`widget`, owned by qtbot (closed after the test), resized and shown."""
    qtbot.addWidget(widget)
    widget.resize(width, height)
    widget.show()
    return widget


def row_of(table, value) -> int:
    """The row whose first cell carries `value` as its data (-1 when none does)."""
    for r in range(table.rowCount()):
        if table.item(r, 0).data(Qt.ItemDataRole.UserRole) == value:
            return r
    return -1
