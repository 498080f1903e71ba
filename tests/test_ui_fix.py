""""Fix with the model" in the window: a Compose result with findings, the card's button, the job on the
engine thread, the dialog with the diff, and the merchant's choice (use it: the card's text changes, the
checks run again and the history keeps the edit; Stop: nothing changes).

The scripted engine writes the rewrite, so the test knows the model's version word for word: the dialog
must offer exactly it. (Were every model rewrite thrown away, the rules' own edit would be offered
instead, and these tests fail.)"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton

from desktop.core.content.templates import load_builtin_templates
from desktop.core.fixing import fix_with_model
from desktop.core.store import open_db
from desktop.core.store.history import get_generation
from desktop.ui import i18n
from desktop.ui.widgets.fix_dialog import FixDialog, compare
from desktop.ui.widgets.fix_flow import FixProgress
from tests.fake_engine import FakeEngine
from tests.ui_helpers import (
    FAKE_TIMEOUT_MS,
    compose_page,
    fill_product,
    open_window,
    wait_generated,
    wait_ready,
)

# Absolute terms (全网第一, 最好, 顶级) and 102 width units for Taobao's 60.
ZH = "全网第一的真空不锈钢保温杯 最好的保温杯 顶级品质 316不锈钢内胆 保温12小时 一键弹盖 单手可开 大容量便携"
# The model's rewrite: no absolute term, 59 width units. The rules alone would only swap the terms.
REWRITE = "真空不锈钢保温杯 316不锈钢内胆 保温12小时 一键弹盖 单手可开"


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
    return next(
        (w for w in QApplication.topLevelWidgets() if w.objectName() == "fixDialog" and w.isVisible()), None
    )


@pytest.fixture
def fake() -> FakeEngine:
    return FakeEngine()


def _card_with_findings(qtbot, window, fake):
    """A Taobao title generated, then typed over by the merchant with ZH (checked on the fly)."""
    page = compose_page(qtbot, window)
    wait_ready(qtbot, window, FAKE_TIMEOUT_MS)
    form = page.form
    _choose(form.content_type, "product-title")
    _choose(form.platform, "taobao")
    _choose(form.template, "taobao-title")
    _choose(form.lang, "zh")
    fill_product(page)
    fake.enqueue(["不锈钢", "保温杯"])
    page.generate()
    wait_generated(qtbot, page, FAKE_TIMEOUT_MS)
    card = page.cards[0]
    assert card.result is not None and card.result.history_id is not None
    assert not card.fix_button.isEnabled()  # "不锈钢保温杯" has no findings: nothing to fix
    card.editor.setPlainText(ZH)
    qtbot.waitUntil(lambda: card.fix_button.isEnabled(), timeout=30_000)  # checked: findings found
    assert any(p.finding.text == "全网第一" for p in card._placed)
    return page, card


def test_fix_with_the_model_then_use_the_fixed_text(qtbot, fake):
    window = open_window(qtbot, fake)
    page, card = _card_with_findings(qtbot, window, fake)
    history_id = card.result.history_id
    qtbot.waitUntil(lambda: _edited_text(history_id) == ZH, timeout=30_000)  # the merchant's edit is saved
    for _round in range(2):  # as many answers as rounds allowed: the first must be taken
        fake.enqueue(["<text>", REWRITE[:9], REWRITE[9:], "</text>"])

    button = card.findChild(QPushButton, "fixWithModelButton")
    assert button is card.fix_button
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert page.fixer.running and page.stop_button.isEnabled() and not page.generate_button.isEnabled()
    assert not button.isEnabled()
    rounds = []
    page.fixer.job.event.connect(lambda event: isinstance(event, FixProgress) and rounds.append(event.round))
    qtbot.waitUntil(lambda: _fix_dialog() is not None, timeout=FAKE_TIMEOUT_MS)
    dialog = _fix_dialog()
    assert not page.fixer.running and page.generate_button.isEnabled()
    asked = fake.requests[-1].messages[-1]["content"]  # the best text so far, with what is left to fix
    assert "316不锈钢内胆" in asked and "60" in asked and "全网第一" not in asked

    assert dialog.fixed_text == REWRITE  # the model's version, not the rules' word swap
    assert fake.queued == 1  # the second answer was never asked for
    assert dialog.result.rounds == 1 and dialog.result.stop_reason == "clean"
    assert rounds == [0, 1]  # one model round was enough: its answer has no findings left
    shown = dialog.diff.toPlainText()
    assert "全网第一" in shown and "保温杯" in shown  # the removed words are shown (struck through)
    assert "<del" in dialog.diff.toHtml() or "line-through" in dialog.diff.toHtml()
    assert "Blocking findings: " in dialog.summary.text() and "→ 0" in dialog.summary.text()
    fixed_findings, kept, new = compare(dialog.result.findings_before, dialog.result.findings_after)
    assert any(f["text"] == "全网第一" for f in fixed_findings) and kept == [] and new == []
    assert "全网第一" in dialog.findings.toPlainText()

    qtbot.mouseClick(dialog.findChild(QPushButton, "useFixedButton"), Qt.MouseButton.LeftButton)
    assert card.text() == REWRITE
    qtbot.waitUntil(lambda: _edited_text(history_id) == REWRITE, timeout=30_000)
    # the checks ran again on the new text: nothing is underlined any more
    qtbot.waitUntil(lambda: not card._placed, timeout=30_000)
    assert not card.highlighter.placed
    card.editor.undo()  # one undo step brings the merchant's text back
    assert card.text() == ZH


def test_stop_ends_the_fix_and_keeps_the_text(qtbot, fake):
    window = open_window(qtbot, fake)
    page, card = _card_with_findings(qtbot, window, fake)
    fake.enqueue(["<text>", "真空不锈钢"], hold=True)  # the model is mid-rewrite when Stop comes
    qtbot.mouseClick(card.fix_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(fake.holding.is_set, timeout=FAKE_TIMEOUT_MS)
    qtbot.waitUntil(lambda: "1" in card.fix_button.text(), timeout=FAKE_TIMEOUT_MS)  # "Fixing… round 1 of 2"
    qtbot.mouseClick(page.stop_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.fixer.running, timeout=FAKE_TIMEOUT_MS)
    assert _fix_dialog() is None and card.text() == ZH
    assert card.fix_button.isEnabled() and card.fix_button.text() == "Fix with the model"
    assert page.generate_button.isEnabled() and not page.stop_button.isEnabled()
    assert fake.queued == 0 and len(fake.requests) == 2  # no second round after Stop


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_the_dialog_in_both_languages(qtbot, tmp_path, language):
    template = load_builtin_templates()["taobao-title"]
    result = fix_with_model(FakeEngine(), ZH, None, template=template, platform="taobao", lang="zh",
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


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_the_dialog_says_which_key_facts_were_added_as_details(qtbot, language):
    """The model's rewrite leaves the key facts out: the fixed text gets them as lines at its end, the
    diff shows them added, and the note says they are the merchant's words, not the model's."""
    template = load_builtin_templates()["generic-product-description"]
    sources = {"features": "保温12小时；一键弹盖"}
    result = fix_with_model(FakeEngine(), "一只好看的杯子。", None, template=template, platform=None,
                            lang="zh", ui_lang="zh", max_rounds=0, sources=sources)
    assert result.details == ["保温12小时", "一键弹盖"]
    try:
        i18n.install_language(language)
        dialog = FixDialog(result)
        qtbot.addWidget(dialog)
        dialog.show()
        assert dialog.note.isVisible()
        expected = "2 条关键信息" if language == "zh_CN" else "left out 2 key facts"
        assert expected in dialog.note.text()
        assert "· 保温12小时" in result.text and result.text.startswith("一只好看的杯子。")
    finally:
        i18n.install_language("en")
