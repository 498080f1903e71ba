"""The main window with the real model: it opens before the model loads, generates and stops by clicks
and by keyboard, shows variants side by side, switches language live, shows a load error as a
message, and remembers its page and geometry."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QLabel, QListWidget, QMessageBox, QPlainTextEdit, QPushButton

from desktop.core.store import open_db
from desktop.core.store.history import get_generation, list_generations
from desktop.ui import engine_worker as ew
from desktop.ui import i18n, prefs
from desktop.ui.testing import compose_page, fill_product, open_window, wait_generated, wait_ready

pytestmark = pytest.mark.model


def _history() -> list[dict]:
    db = open_db()
    try:
        return list_generations(db, limit=None)
    finally:
        db.close()


def test_window_is_shown_before_the_model_loads(qtbot):
    visible_when_loaded = []
    window = open_window(qtbot)
    window.ctx.engine.modelLoaded.connect(lambda _info: visible_when_loaded.append(window.isVisible()))
    assert window.isVisible()
    assert window.ctx.engine.state in (ew.UNLOADED, ew.LOADING)
    wait_ready(qtbot, window)
    assert visible_when_loaded == [True]
    status = window.findChild(QLabel, "modelStatus").text()
    assert window.ctx.engine.model_info["model_id"] in status
    assert window.findChild(QLabel, "engineStatus").text() == "Ready"


def test_generate_and_stop_by_clicks(qtbot):
    window = open_window(qtbot)
    page = compose_page(qtbot, window)
    wait_ready(qtbot, window)
    fill_product(page, max_tokens=12)
    generate = window.findChild(QPushButton, "generateButton")
    stop = window.findChild(QPushButton, "stopButton")
    qtbot.mouseClick(generate, Qt.MouseButton.LeftButton)
    assert page.running and stop.isEnabled() and not generate.isEnabled()
    wait_generated(qtbot, page)
    output = window.findChild(QPlainTextEdit, "outputEdit")
    result = page.cards[0].result
    assert result.completion_tokens > 0 and output.toPlainText() == result.text
    saved = get_generation(open_db(), result.history_id)
    assert saved["text"] == result.text and saved["inputs"]["product_name"] == "不锈钢保温杯 500ml"

    page.max_tokens_override = 400
    progress = []
    window.ctx.engine.jobProgress.connect(lambda _job, pieces, _rate: progress.append(pieces))
    qtbot.mouseClick(generate, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(progress) and progress[-1] >= 3, timeout=120_000)
    seen = progress[-1]
    qtbot.mouseClick(stop, Qt.MouseButton.LeftButton)
    wait_generated(qtbot, page)
    stopped = page.cards[0].result
    assert stopped.stop_reason == "cancelled"
    assert stopped.completion_tokens - seen <= 10
    assert generate.isEnabled() and not stop.isEnabled()


def test_generate_and_stop_by_keyboard(qtbot):
    window = open_window(qtbot)
    page = compose_page(qtbot, window)
    wait_ready(qtbot, window)
    fill_product(page, max_tokens=400)
    window.activateWindow()
    field = window.findChild(object, "field_product_name")
    field.setFocus()
    progress = []
    window.ctx.engine.jobProgress.connect(lambda _job, pieces, _rate: progress.append(pieces))
    qtbot.keyClick(field, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert page.running
    qtbot.waitUntil(lambda: bool(progress) and progress[-1] >= 3, timeout=120_000)
    qtbot.keyClick(field, Qt.Key.Key_Escape)
    wait_generated(qtbot, page)
    assert page.cards[0].result.stop_reason == "cancelled"


def test_variants_side_by_side_saved_as_one_group(qtbot):
    window = open_window(qtbot)
    page = compose_page(qtbot, window)
    wait_ready(qtbot, window)
    fill_product(page, max_tokens=8, variants=2)
    page.generate()
    assert len(page.cards) == 2
    first, second = page.cards
    assert window.findChild(QPlainTextEdit, "outputEdit2") is second.editor
    wait_generated(qtbot, page)
    assert first.result and second.result
    assert first.result.history_id != second.result.history_id
    rows = _history()
    assert len(rows) == 2 and len({row["group_id"] for row in rows}) == 1
    assert {row["variant_index"] for row in rows} == {0, 1}
    # side by side: the second card sits to the right of the first
    assert second.geometry().left() > first.geometry().right()


def test_missing_required_field_is_said_not_raised(qtbot):
    window = open_window(qtbot, load=False)
    page = compose_page(qtbot, window)
    page.form.set_field("product_name", "")
    qtbot.mouseClick(window.findChild(QPushButton, "generateButton"), Qt.MouseButton.LeftButton)
    assert not page.running
    message = window.findChild(QLabel, "composeMessage")
    assert message.isVisible() and "Product name" in message.text()


def test_language_switches_at_once(qtbot):
    window = open_window(qtbot, load=False)
    settings = window.show_page("settings")
    combo = settings.findChild(object, "languageCombo")
    sidebar = window.findChild(QListWidget, "sidebar")
    generate = window.findChild(QPushButton, "generateButton")
    assert sidebar.item(0).text() == "Compose" and generate.text() == "Generate"
    try:
        combo.setCurrentIndex(combo.findData("zh_CN"))
        qtbot.waitUntil(lambda: sidebar.item(0).text() == "写文案", timeout=5_000)  # the next event loop turn
        assert generate.text() == "生成"
        assert window.findChild(QLabel, "engineStatus").text() in ("尚无模型", "正在加载模型…")
        assert prefs.get("ui/language") == "zh_CN"
        combo.setCurrentIndex(combo.findData("en"))
        qtbot.waitUntil(lambda: sidebar.item(0).text() == "Compose", timeout=5_000)
        assert generate.text() == "Generate"
    finally:
        i18n.install_language("en")


def test_a_loading_error_is_shown_as_a_message(qtbot, tmp_path):
    window = open_window(qtbot, load=False)
    bad = tmp_path / "damaged.gguf"
    bad.write_bytes(b"GGUF" + b"\x00" * 12)
    with qtbot.waitSignal(window.ctx.engine.loadFailed, timeout=60_000):
        window.ctx.engine.load(str(bad))
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "errorBox") is not None, timeout=5_000)
    box = window.findChild(QMessageBox, "errorBox")
    assert "damaged.gguf" in box.text()
    banner = window.findChild(QLabel, "engineBanner")
    assert banner.isVisible() and "damaged.gguf" in banner.text()
    assert window.findChild(QPushButton, "retryLoadButton").isVisible()
    assert window.findChild(QLabel, "engineStatus").text() == "Model not loaded"
    box.close()


def test_page_and_geometry_are_remembered_in_the_data_folder(qtbot, shopscribe_home):
    window = open_window(qtbot, load=False)
    window.show_page("history")
    window.resize(1111, 705)
    size = window.size()
    window.close()
    path = shopscribe_home / prefs.FILENAME
    assert path.exists()
    assert QSettings(str(path), QSettings.Format.IniFormat).value("window/page") == "history"
    again = open_window(qtbot, load=False)
    assert again.current_page_key() == "history"
    assert settings_has_geometry(path)
    # the offscreen screen is 800 px wide, so only the height comes back unclamped
    assert again.height() == size.height() == 705


def settings_has_geometry(path) -> bool:
    return not QSettings(str(path), QSettings.Format.IniFormat).value("window/geometry").isEmpty()


def test_selftest_window(qtbot):
    from desktop.ui.app import selftest_window

    assert selftest_window(timeout_s=180) is True
    assert len(_history()) == 1


def test_show_prompt_displays_the_rendered_prompt(qtbot):
    window = open_window(qtbot, load=False)
    page = compose_page(qtbot, window)
    platform = page.form.findChild(object, "platformCombo")
    platform.setCurrentIndex(platform.findData("taobao"))
    assert page.form.current_template().id == "taobao-detail"
    page.form.set_field("product_name", "竹纤维毛巾")
    qtbot.mouseClick(window.findChild(QPushButton, "showPromptButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.findChild(QPlainTextEdit, "promptView") is not None, timeout=10_000)
    text = window.findChild(QPlainTextEdit, "promptView").toPlainText()
    assert "竹纤维毛巾" in text and "JSON" in text  # the product, and the answer format of a structured template
    assert page.form.findChild(object, "langCombo").currentData() == "zh"  # Taobao writes Chinese


def test_settings_offline_mode_and_theme(qtbot):
    from PySide6.QtWidgets import QApplication, QCheckBox

    from desktop.core.store.settings import get_setting
    from desktop.ui import theme

    window = open_window(qtbot, load=False)
    settings = window.show_page("settings")
    offline = settings.findChild(QCheckBox, "offlineCheck")
    qtbot.waitUntil(lambda: settings._model_id is not None, timeout=30_000)  # loaded from the store
    offline.setChecked(True)
    qtbot.waitUntil(lambda: get_setting(open_db(), "offline", False) is True, timeout=10_000)
    combo = settings.findChild(object, "themeCombo")
    try:
        combo.setCurrentIndex(combo.findData("dark"))
        assert theme.active_theme() == "dark"
        assert QApplication.instance().palette().window().color().lightness() < 80
        combo.setCurrentIndex(combo.findData("light"))
        assert QApplication.instance().palette().window().color().lightness() > 200
    finally:
        theme.apply_theme("light")
