"""Helpers for the window's tests (pytest-qt): open a window in the test's data folder, wait for the
model, fill the Compose form, generate and wait. They wait on signals and conditions, never sleep."""

from __future__ import annotations

from desktop.ui import engine_worker as ew
from desktop.ui.app import create_main_window, shutdown
from desktop.ui.main_window import MainWindow

LOAD_TIMEOUT_MS = 120_000
GENERATE_TIMEOUT_MS = 240_000


def open_window(qtbot, *, language: str = "en", theme: str = "light", load: bool = True) -> MainWindow:
    window = create_main_window(load_model=load, language=language, theme_name=theme)
    qtbot.addWidget(window, before_close_func=close_window)
    window.show()
    return window


def close_window(window: MainWindow) -> None:
    if getattr(window, "_test_closed", False):
        return
    window._test_closed = True
    window.close()
    shutdown(window)


def wait_ready(qtbot, window: MainWindow) -> None:
    engine = window.ctx.engine
    qtbot.waitUntil(lambda: engine.state in (ew.READY, ew.FAILED), timeout=LOAD_TIMEOUT_MS)
    assert engine.state == ew.READY, "the model did not load"


def compose_page(qtbot, window: MainWindow):
    page = window.show_page("compose")
    qtbot.waitUntil(lambda: page.form.choices is not None, timeout=30_000)
    return page


def fill_product(page, name: str = "不锈钢保温杯 500ml", features: str = "316 不锈钢, 12 小时保温",
                 max_tokens: int = 16, variants: int = 1) -> None:
    page.form.set_field("product_name", name)
    page.form.set_field("features", features)
    page.form.variants.setValue(variants)
    page.max_tokens_override = max_tokens
    page.seed_override = 1


def wait_generated(qtbot, page) -> None:
    qtbot.waitUntil(lambda: not page.running, timeout=GENERATE_TIMEOUT_MS)
