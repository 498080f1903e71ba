"""What the page tests (Batch, Brands, Models, Templates) share: an application context over a real
engine worker that is shut down cleanly, a page shown at a given size, and finding a table row by the
id it carries. Whole-window helpers are in desktop/ui/testing.py."""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtCore import QCoreApplication, Qt

from desktop.ui.context import AppContext
from desktop.ui.engine_worker import EngineWorker
from desktop.ui.workers import wait_for_workers


def ui_context() -> Iterator[AppContext]:
    """The body of a `ctx` fixture (`yield from ui_context()`): an AppContext whose engine worker is
    shut down afterwards, once the store workers' answers still queued for the page have arrived."""
    engine = EngineWorker()
    yield AppContext(engine)
    engine.shutdown()
    wait_for_workers()
    for _ in range(5):  # answers already queued for the page arrive while it still exists
        QCoreApplication.processEvents()
        wait_for_workers()


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
