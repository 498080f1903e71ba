"""The Templates page, offscreen, over the real built-ins, the real store and the real renderer."""

from __future__ import annotations

import json

import pytest
from PySide6.QtWidgets import QMessageBox

from desktop.core.store import open_db
from desktop.core.store.templates import TemplateLibrary
from tests.ui_helpers import row_of, show_page, ui_context

pytestmark = pytest.mark.usefixtures("qapp")
SOURCE = "generic-product-description"


@pytest.fixture
def ctx(qtbot):
    yield from ui_context()


@pytest.fixture
def page(qtbot, ctx):
    from desktop.ui.pages.templates_page import TemplatesPage

    widget = show_page(qtbot, TemplatesPage(ctx))
    widget.page_shown()
    qtbot.waitUntil(lambda: widget.table.rowCount() > 10, timeout=10_000)
    yield widget
    widget.dirty = False


def select(page, template_id: str) -> None:
    row = row_of(page.table, template_id)
    assert row >= 0, f"{template_id} is not listed"
    page.table.selectRow(row)


def db_template(template_id: str):
    db = open_db()
    try:
        return TemplateLibrary(db).get(template_id)
    finally:
        db.close()


def duplicate_source(page, qtbot) -> str:
    select(page, SOURCE)
    page.duplicate_button.click()
    qtbot.waitUntil(lambda: page.current is not None and not page.current.builtin, timeout=10_000)
    return page.current.id


def test_builtins_are_read_only_until_duplicated(page, qtbot):
    select(page, SOURCE)
    assert page.current.id == SOURCE and page.editor.prompts["en"].user.isReadOnly()
    assert not page.readonly_note.isHidden() and not page.delete_button.isEnabled()
    assert not page.save_button.isEnabled()
    copy_id = duplicate_source(page, qtbot)
    assert copy_id != SOURCE and copy_id.startswith(SOURCE)
    assert not page.editor.prompts["en"].user.isReadOnly() and page.readonly_note.isHidden()
    assert page.editor.name_en.text().endswith("(copy)")


def test_edit_a_template_and_see_the_preview_change(page, qtbot):
    copy_id = duplicate_source(page, qtbot)
    page.preview.lang.setCurrentIndex(page.preview.lang.findData("en"))
    assert "Write the product description." in page.preview.view.toPlainText()
    user = page.editor.prompts["en"].user
    user.setPlainText(user.toPlainText() + "\nMention that it ships from {{ brand_name }}'s own warehouse.")
    qtbot.waitUntil(lambda: "ships from Warmhill's own warehouse" in page.preview.view.toPlainText(),
                    timeout=5000)
    assert page.preview.valid and page.save_button.isEnabled()
    page.save_button.click()
    qtbot.waitUntil(lambda: not page.dirty, timeout=10_000)
    saved = db_template(copy_id)
    assert "{{ brand_name }}'s own warehouse" in saved.user["en"] and saved.version == 2


def test_sample_values_drive_the_preview(page, qtbot):
    duplicate_source(page, qtbot)
    page.preview.lang.setCurrentIndex(page.preview.lang.findData("en"))
    table = page.editor.variables.table
    row = next(r for r in range(table.rowCount()) if table.item(r, 0).text() == "product_name")
    table.item(row, 4).setText("Bamboo cutting board")
    qtbot.waitUntil(lambda: "Bamboo cutting board" in page.preview.view.toPlainText(), timeout=5000)


def test_a_missing_variable_shows_a_validation_message(page, qtbot):
    duplicate_source(page, qtbot)
    page.preview.lang.setCurrentIndex(page.preview.lang.findData("en"))
    user = page.editor.prompts["zh"].user
    user.setPlainText(user.toPlainText() + "\n颜色:{{ colour_name }}")
    qtbot.waitUntil(lambda: "colour_name" in page.preview.status.text(), timeout=5000)
    assert "needs the variable 'colour_name'" in page.preview.status.text()
    assert not page.preview.valid and not page.save_button.isEnabled()
    page.editor.variables.add_row()  # declare it: the message goes away
    table = page.editor.variables.table
    table.item(table.rowCount() - 1, 0).setText("colour_name")
    qtbot.waitUntil(lambda: page.preview.valid, timeout=5000)
    assert page.save_button.isEnabled()


def test_a_syntax_error_is_named_while_typing(page, qtbot):
    duplicate_source(page, qtbot)
    page.editor.prompts["en"].system.setPlainText("You write copy. {% if %}")
    qtbot.waitUntil(lambda: "syntax error" in page.preview.status.text(), timeout=5000)
    assert not page.save_button.isEnabled()


def test_new_template_saved_and_listed(page, qtbot):
    page.new_button.click()
    page.editor.name_en.setText("Gift card note")
    page.editor.name_en.textEdited.emit("Gift card note")
    qtbot.waitUntil(lambda: page.preview.valid, timeout=5000)
    page.save_button.click()
    qtbot.waitUntil(lambda: page.current is not None and page.current.id == "gift-card-note", timeout=10_000)
    assert db_template("gift-card-note").label("en") == "Gift card note"


def test_hide_a_builtin_and_delete_a_copy(page, qtbot):
    select(page, SOURCE)
    page.hide_button.click()
    qtbot.waitUntil(lambda: page.current is not None and page.current.hidden, timeout=10_000)
    db = open_db()
    assert SOURCE not in {t.id for t in TemplateLibrary(db).list()}
    db.close()
    assert page.hide_button.text() == "Show in lists"
    page.hide_button.click()
    qtbot.waitUntil(lambda: page.current is not None and not page.current.hidden, timeout=10_000)
    copy_id = duplicate_source(page, qtbot)
    page.delete_button.click()
    box = page.findChild(QMessageBox, "confirmBox")
    box.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: copy_id not in {t.id for t in page.templates}, timeout=10_000)


def test_export_and_import_a_template_file(page, qtbot, tmp_path):
    copy_id = duplicate_source(page, qtbot)
    out = tmp_path / "mine.json"
    page.export_file(out)
    qtbot.waitUntil(lambda: "Exported to" in page.message.text(), timeout=10_000)  # written, not begun
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["templates"][0]["id"] == copy_id
    document["templates"][0]["id"] = "imported-one"
    out.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    page.import_file(out)
    qtbot.waitUntil(lambda: page.current is not None and page.current.id == "imported-one", timeout=10_000)
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    page.import_file(bad)
    qtbot.waitUntil(lambda: "not valid JSON" in page.message.text(), timeout=10_000)


def test_switching_the_language_retranslates_the_page(page, qtbot):
    from desktop.ui import i18n

    try:
        i18n.install_language("zh_CN")
        qtbot.waitUntil(lambda: page.title.text() == "模板", timeout=5000)
        assert page.duplicate_button.text() == "复制" and page.editor.tabs.tabText(2) == "变量"
        assert page.table.item(0, 1).text() in ("内置", "自定义")
    finally:
        i18n.install_language("en")
    qtbot.waitUntil(lambda: page.title.text() == "Templates", timeout=5000)
