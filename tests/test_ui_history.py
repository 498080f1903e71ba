"""History page: a generated result is found by a Chinese search typed into the box, filtered,
re-run on Compose with the same inputs, exported and deleted (the scripted engine writes the results)."""

from __future__ import annotations

import json

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QLabel, QLineEdit, QPlainTextEdit, QPushButton, QTableView

from tests.fake_engine import FakeEngine
from tests.ui_helpers import (
    FAKE_TIMEOUT_MS,
    compose_page,
    fill_product,
    open_window,
    wait_generated,
    wait_ready,
)


def _type(widget, text: str) -> None:
    """Type as a Chinese input method does: the IME commits the composed text to the widget
    (QTest's key clicks know Latin-1 keys only)."""
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QCoreApplication.sendEvent(widget, event)


def _search(qtbot, page, text: str) -> int:
    box = page.findChild(QLineEdit, "historySearch")
    box.clear()
    _type(box, text)
    assert box.text() == text
    qtbot.waitUntil(lambda: not page.search_pending, timeout=10_000)
    return page.model.rowCount()


def test_found_by_chinese_search_rerun_export_delete(qtbot, tmp_path):
    fake = FakeEngine()
    window = open_window(qtbot, fake)
    compose = compose_page(qtbot, window)
    wait_ready(qtbot, window, FAKE_TIMEOUT_MS)
    fill_product(compose, name="竹纤维毛巾 三条装", features="柔软吸水")
    compose.form.lang.setCurrentIndex(compose.form.lang.findData("zh"))  # a Chinese product, in Chinese
    fake.enqueue(["柔软吸水的", "竹纤维毛巾，仅售¥9"])  # a price never given: a stored finding
    compose.generate()
    wait_generated(qtbot, compose, FAKE_TIMEOUT_MS)
    fill_product(compose, name="Ceramic pour-over coffee dripper", features="keeps heat")
    compose.form.lang.setCurrentIndex(compose.form.lang.findData("en"))
    fake.enqueue(["A dripper that ", "keeps heat"])
    compose.generate()
    wait_generated(qtbot, compose, FAKE_TIMEOUT_MS)

    history = window.show_page("history")
    table = history.findChild(QTableView, "historyTable")
    qtbot.waitUntil(lambda: not history.search_pending and history.model.rowCount() == 2, timeout=10_000)
    assert _search(qtbot, history, "竹纤维") == 1  # three characters: the trigram index
    assert history.model.row_at(0)["inputs"]["product_name"] == "竹纤维毛巾 三条装"
    assert _search(qtbot, history, "毛巾") == 1  # two characters: the LIKE fallback
    assert _search(qtbot, history, "coffee") == 1
    assert _search(qtbot, history, "不存在的商品") == 0
    assert _search(qtbot, history, "") == 2

    history.favourites.setChecked(True)
    qtbot.waitUntil(lambda: not history.search_pending, timeout=10_000)
    assert history.model.rowCount() == 0
    history.favourites.setChecked(False)
    qtbot.waitUntil(lambda: not history.search_pending and history.model.rowCount() == 2, timeout=10_000)

    _search(qtbot, history, "竹纤维")
    table.selectRow(0)
    detail = history.findChild(QPlainTextEdit, "historyDetail")
    assert detail.toPlainText() == history.model.row_at(0)["text"]
    stored = history.model.row_at(0)
    assert history.score.isVisible() and history.score.value == stored["score"]["value"] < 100
    shown = [w.text() for row in history.findings.rows for w in row.findChildren(QLabel)]
    assert any("¥9" in text for text in shown)  # the stored findings, listed
    assert not history.findings.findChildren(QPushButton, "applySuggestionButton")  # read-only: no fixes

    out = tmp_path / "history.json"
    op = history.export(out, "json")
    qtbot.waitUntil(lambda: op.done and out.exists(), timeout=10_000)
    exported = json.loads(out.read_text(encoding="utf-8"))
    assert [item["inputs"]["product_name"] for item in exported] == ["竹纤维毛巾 三条装"]

    fake.enqueue(["竹纤维毛巾，", "再写一遍"])
    qtbot.mouseClick(history.findChild(QPushButton, "rerunButton"), Qt.MouseButton.LeftButton)
    assert window.current_page_key() == "compose"
    field = compose.findChild(QLineEdit, "field_product_name")
    assert field.text() == "竹纤维毛巾 三条装"
    assert compose.running  # re-run generates at once
    wait_generated(qtbot, compose, FAKE_TIMEOUT_MS)
    assert compose.cards[0].result.text == "竹纤维毛巾，再写一遍"
    history = window.show_page("history")
    assert _search(qtbot, history, "竹纤维") == 2

    table.selectAll()
    history.delete_selected(confirm=False)
    qtbot.waitUntil(lambda: not history.search_pending and history.model.rowCount() == 0, timeout=10_000)
    assert _search(qtbot, history, "") == 1  # only the coffee dripper is left
