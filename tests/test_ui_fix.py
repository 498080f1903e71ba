""""Fix with the model" in the window, with the real model: a Compose result with findings, the card's
button, the job on the engine thread, the dialog with the diff, and the merchant's choice (use it: the
card's text changes, the checks run again and the history keeps the edit; Stop: nothing changes)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton

from desktop.core.content.fixing import fix_with_model
from desktop.core.content.templates import load_builtin_templates
from desktop.core.store import open_db
from desktop.core.store.history import get_generation
from desktop.ui import i18n
from desktop.ui.testing import (
    GENERATE_TIMEOUT_MS,
    compose_page,
    fill_product,
    open_window,
    wait_generated,
    wait_ready,
)
from desktop.ui.widgets.fix_dialog import FixDialog, compare
from desktop.ui.widgets.fix_flow import FixProgress

pytestmark = pytest.mark.model

# Absolute terms (全网第一, 最好, 顶级) and 102 width units for Taobao's 60.
ZH = "全网第一的真空不锈钢保温杯 最好的保温杯 顶级品质 316不锈钢内胆 保温12小时 一键弹盖 单手可开 大容量便携"


def _choose(combo, data) -> None:
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)


def _edited_text(history_id: int):
    db = open_db()
    try:
        return get_generation(db, history_id)["edited_text"]
    finally:
        db.close()


def _fix_dialog() -> FixDialog | None:
    return next((w for w in QApplication.topLevelWidgets() if w.objectName() == "fixDialog" and w.isVisible()), None)


def _card_with_findings(qtbot, window, max_tokens: int):
    """A Taobao title generated for real, then typed over by the merchant with ZH (checked on the fly)."""
    page = compose_page(qtbot, window)
    wait_ready(qtbot, window)
    form = page.form
    _choose(form.content_type, "product-title")
    _choose(form.platform, "taobao")
    _choose(form.template, "taobao-title")
    _choose(form.lang, "zh")
    fill_product(page, max_tokens=8)
    page.generate()
    wait_generated(qtbot, page)
    card = page.cards[0]
    assert card.result is not None and card.result.history_id is not None
    assert not card.fix_button.isEnabled() or card._placed  # enabled only with findings
    page.max_tokens_override = max_tokens  # the fix rounds answer in as many tokens (kept short)
    page._request.max_tokens = max_tokens
    card.editor.setPlainText(ZH)
    qtbot.waitUntil(lambda: card.fix_button.isEnabled(), timeout=30_000)  # checked: findings found
    assert any(p.finding.text == "全网第一" for p in card._placed)
    return page, card


def test_fix_with_the_model_then_use_the_fixed_text(qtbot):
    window = open_window(qtbot)
    page, card = _card_with_findings(qtbot, window, max_tokens=16)
    history_id = card.result.history_id
    qtbot.waitUntil(lambda: _edited_text(history_id) == ZH, timeout=30_000)  # the merchant's edit is saved
    rounds = []
    window.ctx.engine.jobEvent.connect(lambda _job, event: isinstance(event, FixProgress) and rounds.append(event))

    button = card.findChild(QPushButton, "fixWithModelButton")
    assert button is card.fix_button
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert page.fixer.running and page.stop_button.isEnabled() and not page.generate_button.isEnabled()
    assert not button.isEnabled()
    qtbot.waitUntil(lambda: _fix_dialog() is not None, timeout=GENERATE_TIMEOUT_MS)
    dialog = _fix_dialog()
    assert not page.fixer.running and page.generate_button.isEnabled()
    assert [r.round for r in rounds][0] == 0 and max(r.round for r in rounds) <= 2  # bounded rounds

    fixed = dialog.fixed_text
    assert fixed != ZH and "全网第一" not in fixed
    shown = dialog.diff.toPlainText()
    assert "全网第一" in shown and "保温杯" in shown  # the removed words are shown (struck through)
    assert "<del" in dialog.diff.toHtml() or "line-through" in dialog.diff.toHtml()
    assert "Blocking findings: " in dialog.summary.text()
    fixed_findings, _kept, _new = compare(dialog.result.findings_before, dialog.result.findings_after)
    assert any(f["text"] == "全网第一" for f in fixed_findings)
    assert "全网第一" in dialog.findings.toPlainText()

    qtbot.mouseClick(dialog.findChild(QPushButton, "useFixedButton"), Qt.MouseButton.LeftButton)
    assert card.text() == fixed
    qtbot.waitUntil(lambda: _edited_text(history_id) == fixed, timeout=30_000)
    # the checks ran again on the new text: the removed term is no longer underlined
    qtbot.waitUntil(lambda: not any(p.finding.text == "全网第一" for p in card._placed), timeout=30_000)
    assert not any(card.text()[p.start : p.end] == "全网第一" for p in card.highlighter.placed)
    card.editor.undo()  # one undo step brings the merchant's text back
    assert card.text() == ZH


def test_stop_ends_the_fix_and_keeps_the_text(qtbot):
    window = open_window(qtbot)
    page, card = _card_with_findings(qtbot, window, max_tokens=400)
    started = []
    window.ctx.engine.jobEvent.connect(
        lambda _job, event: isinstance(event, FixProgress) and event.round >= 1 and started.append(event))
    qtbot.mouseClick(card.fix_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(started), timeout=GENERATE_TIMEOUT_MS)  # a model round is running
    assert "1" in card.fix_button.text()  # "Fixing… round 1 of 2"
    qtbot.mouseClick(page.stop_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.fixer.running, timeout=GENERATE_TIMEOUT_MS)
    assert _fix_dialog() is None and card.text() == ZH
    assert card.fix_button.isEnabled() and card.fix_button.text() == "Fix with the model"
    assert page.generate_button.isEnabled() and not page.stop_button.isEnabled()


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_the_dialog_in_both_languages(qtbot, engine, tmp_path, language):
    template = load_builtin_templates()["taobao-title"]
    result = fix_with_model(engine, ZH, None, template=template, platform="taobao", lang="zh",
                            ui_lang="zh" if language == "zh_CN" else "en", max_rounds=0)
    try:
        i18n.install_language(language)
        dialog = FixDialog(result)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        path = tmp_path / f"fix_dialog_{language}.png"
        assert dialog.grab().save(str(path)) and path.stat().st_size > 10_000
        use = dialog.findChild(QPushButton, "useFixedButton")
        if language == "zh_CN":
            assert dialog.windowTitle() == "用模型修改" and use.text() == "使用修改后的文本"
            assert "必须修改" in dialog.summary.text() and "广告法" in dialog.findings.toPlainText()
        else:
            assert dialog.windowTitle() == "Fix with the model" and use.text() == "Use the fixed text"
        assert use.isEnabled() and dialog.note.isVisible()  # the length is still over: said so
    finally:
        i18n.install_language("en")
