"""The Brands page, offscreen, over the real store."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

from desktop.core.content.brands import Brand
from desktop.core.store import open_db
from desktop.core.store.brands import find_brand, list_brands, save_brand
from tests.ui_helpers import show_page, ui_context

pytestmark = pytest.mark.usefixtures("qapp")


@pytest.fixture
def ctx(qtbot):
    yield from ui_context()


@pytest.fixture
def page(qtbot, ctx):
    from desktop.ui.pages.brands_page import BrandsPage

    widget = show_page(qtbot, BrandsPage(ctx))
    yield widget
    widget.dirty = False


def stored(name: str):
    db = open_db()
    try:
        return find_brand(db, name)
    finally:
        db.close()


def test_add_a_brand(page, qtbot):
    page.page_shown()
    qtbot.waitUntil(lambda: page._loaded and not page.empty.isHidden(), timeout=10_000)
    editor = page.editor
    assert not page.save_button.isEnabled()
    editor.name.setText("暖山 Warmhill")
    editor.voice.setPlainText("温暖、朴实")
    editor.words["banned_words"].setText("最好，第一、 顶级")
    editor.words["must_use"].setText("匠心")
    editor.examples.setPlainText("一杯热水，陪你一整天。\n\n冬天的早晨，从一杯热茶开始。")
    editor.preview_lang.setCurrentIndex(editor.preview_lang.findData("en"))
    assert "Never use these words: 最好, 第一, 顶级" in editor.preview.toPlainText()
    editor.preview_lang.setCurrentIndex(editor.preview_lang.findData("zh"))
    assert "绝对不要使用这些词语: 最好、第一、顶级" in editor.preview.toPlainText()
    assert page.save_button.isEnabled()
    page.save_button.click()
    qtbot.waitUntil(lambda: page.table.rowCount() == 1 and not page.dirty, timeout=10_000)
    assert page.table.item(0, 0).text() == "暖山 Warmhill" and page.table.item(0, 1).text() == "3 banned"
    brand = stored("暖山 Warmhill")
    assert brand.banned_words == ["最好", "第一", "顶级"] and brand.must_use == ["匠心"]
    assert brand.examples == ["一杯热水，陪你一整天。", "冬天的早晨，从一杯热茶开始。"]
    assert brand.voice == "温暖、朴实"


def test_edit_and_delete_a_brand(page, qtbot):
    db = open_db()
    save_brand(db, Brand(name="Acme", banned_words=["cheap"]))
    save_brand(db, Brand(name="Zen Tea"))
    db.close()
    page.page_shown()
    qtbot.waitUntil(lambda: page.table.rowCount() == 2, timeout=10_000)
    page.table.selectRow(0)
    assert page.editor.name.text() == "Acme"
    page.editor.audience.setText("Busy parents")
    page.save_button.click()
    qtbot.waitUntil(lambda: stored("Acme").audience == "Busy parents", timeout=10_000)
    db = open_db()
    assert len(list_brands(db)) == 2  # edited in place, not added
    db.close()
    page.delete_button.click()
    page.findChild(QMessageBox, "confirmBox").button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: page.table.rowCount() == 1, timeout=10_000)
    assert stored("Acme") is None and stored("Zen Tea") is not None


def test_contradictions_and_duplicate_names_are_explained(page, qtbot):
    db = open_db()
    save_brand(db, Brand(name="Acme"))
    db.close()
    page.page_shown()
    qtbot.waitUntil(lambda: page.table.rowCount() == 1, timeout=10_000)
    page.new_button.click()
    editor = page.editor
    editor.name.setText("Acme")
    editor.words["banned_words"].setText("cheap, best")
    editor.words["must_use"].setText("Best")
    assert "banned and wanted at once: Best" in editor.status.text()
    page.save_button.click()
    qtbot.waitUntil(lambda: page.message.isVisible(), timeout=10_000)
    assert "A brand named 'Acme' exists already" in page.message.text()
    assert stored("Acme").banned_words == []  # the existing brand was not overwritten


def test_switching_the_language_retranslates_the_page(page, qtbot):
    from desktop.ui import i18n

    try:
        i18n.install_language("zh_CN")
        qtbot.waitUntil(lambda: page.title.text() == "品牌", timeout=5000)
        assert (
            page.new_button.text() == "新建品牌"
            and page.editor.form.labelForField(page.editor.name).text() == "名称"
        )
    finally:
        i18n.install_language("en")
    qtbot.waitUntil(lambda: page.title.text() == "Brands", timeout=5000)
