"""The main window: it opens before the model loads, generates and stops by clicks and by keyboard, shows
variants side by side, switches language live, shows a load error as a message, remembers its page and
geometry, and says in one line that it needs a desktop session where there is none.

The model's words come from the scripted engine (tests/fake_engine.py); the real model proves the
generation end to end in the tests marked `model`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QLabel, QListWidget, QMessageBox, QPlainTextEdit, QPushButton

from desktop.core.store import open_db
from desktop.core.store.history import get_generation, list_generations
from desktop.ui import engine_worker as ew
from desktop.ui import i18n, prefs
from desktop.ui.context import SamplingOverrides
from tests.fake_engine import FakeEngine
from tests.ui_helpers import (
    FAKE_TIMEOUT_MS,
    compose_page,
    fill_product,
    open_window,
    wait_generated,
    wait_ready,
)

ROOT = Path(__file__).resolve().parent.parent
WORDS = ["真空", "不锈钢", "保温杯，", "12 小时", "保温。"]


def _history() -> list[dict]:
    db = open_db()
    try:
        return list_generations(db, limit=None)
    finally:
        db.close()


@pytest.fixture
def fake() -> FakeEngine:
    return FakeEngine()


def _ready_compose(qtbot, fake, **options):
    window = open_window(qtbot, fake, **options)
    page = compose_page(qtbot, window)
    wait_ready(qtbot, window, FAKE_TIMEOUT_MS)
    fill_product(page)
    return window, page


def test_window_is_shown_before_the_model_loads(qtbot, fake):
    visible_when_loaded = []
    window = open_window(qtbot, fake)
    window.ctx.engine.modelLoaded.connect(lambda _info: visible_when_loaded.append(window.isVisible()))
    assert window.isVisible()
    assert window.ctx.engine.state in (ew.UNLOADED, ew.LOADING) and fake.loads == 0  # after the first paint
    wait_ready(qtbot, window, FAKE_TIMEOUT_MS)
    assert visible_when_loaded == [True]
    assert "fake-writer" in window.findChild(QLabel, "modelStatus").text()
    assert window.findChild(QLabel, "engineStatus").text() == "Ready"


def test_the_window_hands_the_gil_to_its_gui_thread_quickly(qtbot, fake):
    """Its other threads take the GIL in turns with the GUI thread: a short switch interval keeps the GUI
    thread's waits for it short (Python's default, 5 ms, made the longest pauses while text streamed)."""
    from desktop.ui.app import GUI_SWITCH_INTERVAL_S

    sys.setswitchinterval(0.005)
    open_window(qtbot, fake)
    assert sys.getswitchinterval() == pytest.approx(GUI_SWITCH_INTERVAL_S) and GUI_SWITCH_INTERVAL_S <= 0.001


def test_generate_and_stop_by_clicks(qtbot, fake):
    window, page = _ready_compose(qtbot, fake, sampling=SamplingOverrides(max_tokens=12, seed=1))
    generate = window.findChild(QPushButton, "generateButton")
    stop = window.findChild(QPushButton, "stopButton")
    fake.enqueue(WORDS)
    qtbot.mouseClick(generate, Qt.MouseButton.LeftButton)
    assert page.running and stop.isEnabled() and not generate.isEnabled()
    wait_generated(qtbot, page, FAKE_TIMEOUT_MS)
    output = window.findChild(QPlainTextEdit, "outputEdit")
    result = page.cards[0].result
    assert result.text == "".join(WORDS) == output.toPlainText()
    assert (fake.requests[-1].max_tokens, fake.requests[-1].seed) == (12, 1)  # the overrides reached it
    saved = get_generation(open_db(), result.history_id)
    assert saved["text"] == result.text and saved["inputs"]["product_name"] == "不锈钢保温杯 500ml"

    fake.enqueue(["保温杯", "，一键", "弹盖"], hold=True)  # writes, then waits: Stop lands mid-answer
    qtbot.mouseClick(generate, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(fake.holding.is_set, timeout=FAKE_TIMEOUT_MS)
    qtbot.mouseClick(stop, Qt.MouseButton.LeftButton)
    wait_generated(qtbot, page, FAKE_TIMEOUT_MS)
    stopped = page.cards[0].result
    assert stopped.stop_reason == "cancelled" and stopped.text == "保温杯，一键弹盖"  # the words are kept
    assert generate.isEnabled() and not stop.isEnabled()
    assert len(_history()) == 2


def test_generate_and_stop_by_keyboard(qtbot, fake):
    window, page = _ready_compose(qtbot, fake)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=FAKE_TIMEOUT_MS)  # a shortcut needs an active window
    field = window.findChild(object, "field_product_name")
    field.setFocus()
    qtbot.waitUntil(field.hasFocus, timeout=FAKE_TIMEOUT_MS)
    fake.enqueue(["Camp", " mug"], hold=True)
    qtbot.keyClick(field, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert page.running
    qtbot.waitUntil(fake.holding.is_set, timeout=FAKE_TIMEOUT_MS)
    qtbot.keyClick(field, Qt.Key.Key_Escape)
    wait_generated(qtbot, page, FAKE_TIMEOUT_MS)
    assert page.cards[0].result.stop_reason == "cancelled"


def test_the_first_result_card_is_made_before_the_first_click(qtbot, fake):
    """Made after the start (while the merchant fills the form), shown only when a generation starts,
    and used by it: the click on Generate does not wait for a new card."""
    from desktop.ui.widgets.findings_view import FindingsList

    window, page = _ready_compose(qtbot, fake)
    qtbot.waitUntil(lambda: len(page.cards) == 1, timeout=FAKE_TIMEOUT_MS)
    prepared = page.cards[0]
    assert len(prepared.findings._pool) == FindingsList.SHOWN
    assert page.empty_hint.isVisible() and not page.results_scroll.isVisible()  # nothing shown yet
    # its warm-up review is gone again: an empty card
    assert prepared.text() == "" and prepared.findings.rows == [] and prepared.score.value is None
    assert not prepared.highlighter.underlined() and prepared.sources.isHidden()
    fake.enqueue(["Camp", " mug"])
    page.generate()
    assert page.cards == [prepared] and page.results_scroll.isVisible()
    wait_generated(qtbot, page, FAKE_TIMEOUT_MS)
    assert prepared.text() == prepared.result.text == "Camp mug"


def test_variants_side_by_side_saved_as_one_group(qtbot, fake):
    window, page = _ready_compose(qtbot, fake)
    fill_product(page, variants=2)
    fake.enqueue(["第一版"])
    fake.enqueue(["第二版"])
    page.generate()
    assert len(page.cards) == 2
    first, second = page.cards
    assert window.findChild(QPlainTextEdit, "outputEdit2") is second.editor
    wait_generated(qtbot, page, FAKE_TIMEOUT_MS)
    assert (first.result.text, second.result.text) == ("第一版", "第二版")
    assert first.result.history_id != second.result.history_id
    rows = _history()
    assert len(rows) == 2 and len({row["group_id"] for row in rows}) == 1
    assert {row["variant_index"] for row in rows} == {0, 1}
    # side by side: the second card sits to the right of the first
    assert second.geometry().left() > first.geometry().right()


def test_best_of_keeps_the_best_scoring_candidate_in_the_card(qtbot, fake):
    """Best of 2: the first candidate invents a price (a block finding); the card ends on the second."""
    window, page = _ready_compose(qtbot, fake)
    page.form.best_of.setValue(2)
    fake.enqueue(["真空不锈钢保温杯，", "原价999元，今天只要9元"])
    fake.enqueue(["真空不锈钢保温杯，316 不锈钢，12 小时保温"])
    page.generate()
    assert len(page.cards) == 1
    wait_generated(qtbot, page, FAKE_TIMEOUT_MS)
    card = page.cards[0]
    assert card.text() == card.result.text == "真空不锈钢保温杯，316 不锈钢，12 小时保温"
    assert [c["chosen"] for c in card.result.candidates] == [False, True]
    rows = _history()
    assert len(rows) == 1 and rows[0]["sampling"]["best_of"] == 2


def test_a_failed_generation_keeps_the_text_and_says_why(qtbot, fake, monkeypatch):
    monkeypatch.setattr(QMessageBox, "open", lambda self: None)  # the error dialog: checked through the page
    window, page = _ready_compose(qtbot, fake)
    page.generate()  # nothing queued: the engine refuses, as a crashed one would
    wait_generated(qtbot, page, FAKE_TIMEOUT_MS)
    assert page.cards[0].result is None and page.cards[0].stats.text() == "Failed"
    assert "no answer queued" in window.findChild(QLabel, "composeMessage").text()
    assert window.findChild(QPushButton, "generateButton").isEnabled()


def test_missing_required_field_is_said_not_raised(qtbot):
    window = open_window(qtbot, FakeEngine(), load=False)
    page = compose_page(qtbot, window)
    page.form.set_field("product_name", "")
    qtbot.mouseClick(window.findChild(QPushButton, "generateButton"), Qt.MouseButton.LeftButton)
    assert not page.running
    message = window.findChild(QLabel, "composeMessage")
    assert message.isVisible() and "Product name" in message.text()


def test_language_switches_at_once(qtbot):
    window = open_window(qtbot, FakeEngine(), load=False)
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
    window = open_window(qtbot, load=False)  # the real engine worker refuses the file before a host starts
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
    window = open_window(qtbot, FakeEngine(), load=False)
    window.show_page("history")
    window.resize(1111, 705)
    size = window.size()
    window.close()
    path = shopscribe_home / prefs.FILENAME
    assert path.exists()
    assert QSettings(str(path), QSettings.Format.IniFormat).value("window/page") == "history"
    again = open_window(qtbot, FakeEngine(), load=False)
    assert again.current_page_key() == "history"
    assert not QSettings(str(path), QSettings.Format.IniFormat).value("window/geometry").isEmpty()
    # the offscreen screen is 800 px wide, so only the height comes back unclamped
    assert again.height() == size.height() == 705


def test_show_prompt_displays_the_rendered_prompt(qtbot):
    window = open_window(qtbot, FakeEngine(), load=False)
    page = compose_page(qtbot, window)
    platform = page.form.findChild(object, "platformCombo")
    platform.setCurrentIndex(platform.findData("taobao"))
    assert page.form.current_template().id == "taobao-detail"
    page.form.set_field("product_name", "竹纤维毛巾")
    qtbot.mouseClick(window.findChild(QPushButton, "showPromptButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.findChild(QPlainTextEdit, "promptView") is not None, timeout=10_000)
    text = window.findChild(QPlainTextEdit, "promptView").toPlainText()
    # the product, and the answer format of a structured template
    assert "竹纤维毛巾" in text and "JSON" in text
    assert page.form.findChild(object, "langCombo").currentData() == "zh"  # Taobao writes Chinese


def test_settings_offline_mode_and_theme(qtbot):
    from PySide6.QtWidgets import QApplication, QCheckBox

    from desktop.core.store.settings import get_setting
    from desktop.ui import theme

    window = open_window(qtbot, FakeEngine(), load=False)
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


# ----- without a display ---------------------------------------------------------------------------------
def _window_without(env_changes: dict) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    env.update(env_changes)
    return subprocess.run([sys.executable, "-m", "desktop"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the display variables are Linux's")
def test_no_display_says_so_in_one_line_and_exits_1():
    done = _window_without({})
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 1, done.stderr[-2000:]  # not 134: Qt never got to abort
    assert len(lines) == 1 and "needs a desktop session" in lines[0] and "shopscribe --help" in lines[0]
    assert "桌面会话" in lines[0] and done.stdout == ""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the display variables are Linux's")
def test_a_display_that_cannot_be_opened_says_so_too(tmp_path):
    done = _window_without({"DISPLAY": ":987", "XDG_RUNTIME_DIR": str(tmp_path)})  # no such X server
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 1, done.stderr[-2000:]
    assert len(lines) == 1 and "the display could not be opened" in lines[0]
    assert "shopscribe --help" in lines[0]


# ----- the real model ------------------------------------------------------------------------------------
@pytest.mark.model
def test_real_model_generates_and_stops_within_tokens(qtbot):
    window = open_window(qtbot, sampling=SamplingOverrides(max_tokens=12, seed=1))
    page = compose_page(qtbot, window)
    wait_ready(qtbot, window)
    fill_product(page)
    generate = window.findChild(QPushButton, "generateButton")
    qtbot.mouseClick(generate, Qt.MouseButton.LeftButton)
    wait_generated(qtbot, page)
    result = page.cards[0].result
    assert result.completion_tokens > 0
    assert window.findChild(QPlainTextEdit, "outputEdit").toPlainText() == result.text
    assert get_generation(open_db(), result.history_id)["text"] == result.text

    window.ctx.sampling = SamplingOverrides(max_tokens=400, seed=1)
    qtbot.mouseClick(generate, Qt.MouseButton.LeftButton)
    progress = []
    page.job.progress.connect(lambda pieces, _rate: progress.append(pieces))
    qtbot.waitUntil(lambda: bool(progress) and progress[-1] >= 3, timeout=120_000)
    seen = progress[-1]
    qtbot.mouseClick(window.findChild(QPushButton, "stopButton"), Qt.MouseButton.LeftButton)
    wait_generated(qtbot, page)
    stopped = page.cards[0].result
    assert stopped.stop_reason == "cancelled"
    assert stopped.completion_tokens - seen <= 10  # within a few tokens


@pytest.mark.model
def test_selftest_window(qtbot):
    from desktop.ui.app import selftest_window

    assert selftest_window(timeout_s=180) is True
    assert len(_history()) == 1


def _stored(key: str, default=None):
    from desktop.core.store.settings import get_setting

    db = open_db()
    try:
        return get_setting(db, key, default)
    finally:
        db.close()


def test_writing_settings_are_saved_and_the_next_generation_uses_them(qtbot, fake):
    window, page = _ready_compose(qtbot, fake)
    settings = window.show_page("settings")
    few_shot = settings.findChild(object, "fewShotCheck")
    dry = settings.findChild(object, "dryStrengthSpin")
    qtbot.waitUntil(lambda: few_shot.isChecked(), timeout=FAKE_TIMEOUT_MS)  # on by default
    assert len({label.minimumWidth() for label in settings.form_labels}) == 1  # one label column
    assert settings.dry.mapTo(settings, settings.dry.rect().topLeft()).x() == \
        settings.theme.mapTo(settings, settings.theme.rect().topLeft()).x()  # fields start in line
    assert dry.value() == pytest.approx(0.8)  # the engine's default strength
    few_shot.setChecked(False)
    dry.setValue(0.0)
    assert dry.text() == "Off"
    qtbot.waitUntil(lambda: _stored("few_shot", True) is False and _stored("dry_multiplier") == 0.0,
                    timeout=FAKE_TIMEOUT_MS)
    window.show_page("compose")
    fake.enqueue(["Camp", " mug"])
    qtbot.mouseClick(window.findChild(QPushButton, "generateButton"), Qt.MouseButton.LeftButton)
    wait_generated(qtbot, page, FAKE_TIMEOUT_MS)
    assert fake.requests[-1].dry_multiplier == 0.0  # Off reached the sampler
    dry.setValue(1.5)
    qtbot.waitUntil(lambda: _stored("dry_multiplier") == 1.5, timeout=FAKE_TIMEOUT_MS)
    fake.enqueue(["Camp", " mug"])
    qtbot.mouseClick(window.findChild(QPushButton, "generateButton"), Qt.MouseButton.LeftButton)
    wait_generated(qtbot, page, FAKE_TIMEOUT_MS)
    assert fake.requests[-1].dry_multiplier == 1.5


def _stored_generation(history_id: int) -> dict:
    db = open_db()
    try:
        return get_generation(db, history_id)
    finally:
        db.close()


def test_the_card_shows_the_fact_guard_score_and_sources_and_an_edit_is_checked_the_same_way(qtbot, fake,
                                                                                              monkeypatch):
    from desktop.ui import compose_bridge

    checks = []
    review_result = compose_bridge.review_result

    def counted(*args, **kwargs):
        checks.append(1)
        return review_result(*args, **kwargs)

    monkeypatch.setattr(compose_bridge, "review_result", counted)
    window, page = _ready_compose(qtbot, fake)
    fake.enqueue(["保温杯 500ml，", "只要¥19"])  # 500ml is the merchant's; the price is not
    qtbot.mouseClick(window.findChild(QPushButton, "generateButton"), Qt.MouseButton.LeftButton)
    wait_generated(qtbot, page, FAKE_TIMEOUT_MS)
    card = page.cards[0]
    qtbot.waitUntil(lambda: card.score.value is not None, timeout=FAKE_TIMEOUT_MS)  # the review is shown
    stored = _stored_generation(card.result.history_id)
    assert any(f.get("category") == "unsupported-fact" and f.get("text") == "¥19" for f in stored["findings"])
    assert stored["edited_text"] is None  # showing the checks is not an edit

    text = card.text()
    price = [p for p in card._placed if p.finding.category == "unsupported-fact"]
    assert [text[p.start:p.end] for p in price] == ["¥19"] and price[0].finding.severity == "block"
    assert card.highlighter.finding_at(text.index("¥19") + 1) is price[0].finding  # underlined, with a tip
    assert "500ml" in card.sources.text() and card.sources.isVisible()  # backed, with its source's name
    assert card.highlighter.tip_at(text.index("500ml") + 1).startswith("From: ")
    assert card.score.value == stored["score"]["value"] < 100
    assert "Unsupported facts \u221220: 1 unsupported fact" in card.score.text()  # what took points off
    assert checks == []  # the card shows compose()'s own review: no second check of the same text
    first_score = card.score.value

    card.editor.setPlainText(text.replace("只要¥19", "很好用"))  # the merchant removes the claim
    qtbot.waitUntil(lambda: _stored_generation(card.result.history_id)["edited_text"] is not None,
                    timeout=FAKE_TIMEOUT_MS)
    qtbot.waitUntil(lambda: not any(p.finding.category == "unsupported-fact" for p in card._placed),
                    timeout=FAKE_TIMEOUT_MS)
    qtbot.waitUntil(lambda: card.score.value != first_score, timeout=FAKE_TIMEOUT_MS)  # its stage, a frame on
    assert card.score.value > first_score
    stored = _stored_generation(card.result.history_id)
    assert not any(f.get("category") == "unsupported-fact" for f in stored["findings"])
    assert stored["score"]["value"] == card.score.value  # the history holds the edited text's review
    assert checks  # the edit was checked


def test_a_review_that_makes_the_results_taller_than_their_area_leaves_the_text_its_width(qtbot, fake):
    """The results' scroll bar is always there: one that appeared with a long review narrowed the card,
    and its whole text was wrapped again in the same turn as the review (the longest turn of a
    generation's end)."""
    window, page = _ready_compose(qtbot, fake)
    window.resize(1000, 560)  # a small laptop window: the card and its review do not fit
    text = ("The best bottle in the world, now only $19 (was $49). It keeps drinks cold for 24 hours and hot "
            "for 48 hours, and 10,000 campers already love it. Choose from 7 colours, each with a 2 year "
            "warranty. It fits 99% of cup holders, weighs 280 g and holds 750 ml. Order 3 and save 15%. "
            "Ships in 1 day from our 2 warehouses, with 30 days to return it.")
    fake.enqueue([text[i:i + 6] for i in range(0, len(text), 6)])
    qtbot.mouseClick(window.findChild(QPushButton, "generateButton"), Qt.MouseButton.LeftButton)
    card = page.cards[0]
    qtbot.waitUntil(lambda: card.text() != "", timeout=FAKE_TIMEOUT_MS)
    width = card.editor.viewport().width()
    wait_generated(qtbot, page, FAKE_TIMEOUT_MS)
    listed = card.findings
    qtbot.waitUntil(lambda: listed.isVisible() and not listed.revealing, timeout=FAKE_TIMEOUT_MS)
    area = page.results_scroll
    qtbot.waitUntil(lambda: area.widget().height() > area.viewport().height(), timeout=FAKE_TIMEOUT_MS)
    assert len(listed.rows) == listed.SHOWN  # a long review
    assert card.editor.viewport().width() == width


def test_must_mention_makes_a_fact_required_and_a_result_without_it_is_flagged(qtbot, fake):
    window, page = _ready_compose(qtbot, fake)
    page.form.must_mention.setText("顺丰包邮、 12 小时保温")
    fake.enqueue(["316 不锈钢保温杯，12 小时保温"])
    qtbot.mouseClick(window.findChild(QPushButton, "generateButton"), Qt.MouseButton.LeftButton)
    wait_generated(qtbot, page, FAKE_TIMEOUT_MS)
    assert page._request.required == ["顺丰包邮", "12 小时保温"]
    card = page.cards[0]
    qtbot.waitUntil(lambda: card.score.value is not None, timeout=FAKE_TIMEOUT_MS)
    required = [p.finding for p in card._placed if p.finding.rule == "coverage.required"]
    assert len(required) == 1 and "顺丰包邮" in required[0].message  # the one left out, and only that one
    qtbot.waitUntil(card.findings.isVisible, timeout=FAKE_TIMEOUT_MS)  # its rows come a frame after the score
    assert any(row.placed.finding is required[0] for row in card.findings.rows)


def test_a_wrong_language_answer_is_written_again_in_the_card(qtbot, fake, monkeypatch):
    from desktop.ui.widgets.result_card import ResultCard

    restarts = []
    restart = ResultCard.restart

    def spy(card, lang):
        restart(card, lang)
        restarts.append((lang, card.text(), card.stats.text()))

    monkeypatch.setattr(ResultCard, "restart", spy)
    window, page = _ready_compose(qtbot, fake)
    page.form.lang.setCurrentIndex(page.form.lang.findData("zh"))
    fake.enqueue(["Insulated steel bottle ", "keeps drinks cold all day long"])
    fake.enqueue(["316 不锈钢保温杯，", "12 小时保温"])
    qtbot.mouseClick(window.findChild(QPushButton, "generateButton"), Qt.MouseButton.LeftButton)
    wait_generated(qtbot, page, FAKE_TIMEOUT_MS)
    card = page.cards[0]
    assert len(fake.requests) == 2 and fake.requests[1].grammar  # the retry, held to the script
    assert restarts == [("zh", "", "Not in Chinese: writing it again in Chinese only…")]  # cleared, said why
    assert card.text() == "316 不锈钢保温杯，12 小时保温"
