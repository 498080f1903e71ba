"""Compose: fill in a product, Generate (Ctrl+Enter), watch N variants stream in side by side, Stop
(Esc). Each result is saved to the history, checked, and can be copied, edited, rated and favourited."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.core import platforms
from desktop.ui import compose_bridge as bridge
from desktop.ui.engine_worker import FRAME_MS, EngineJob
from desktop.ui.i18n import Retranslating, content_language
from desktop.ui.widgets.compose_form import ComposeForm
from desktop.ui.widgets.findings_view import clear_layout
from desktop.ui.widgets.fix_flow import ModelFixer
from desktop.ui.widgets.kit import make_button, make_splitter, page_heading
from desktop.ui.widgets.prompt_dialog import PromptDialog
from desktop.ui.widgets.result_card import OutputLayout, ResultCard, debounce
from desktop.ui.workers import StoreOp


def create_page(ctx) -> QWidget:
    return ComposePage(ctx)


class ComposePage(Retranslating, QWidget):
    def __init__(self, ctx) -> None:
        super().__init__()
        self.ctx = ctx
        self.cards: list[ResultCard] = []
        self.job: EngineJob | None = None  # the generation running now
        self._request: bridge.ComposeRequest | None = None
        self._reviewer = None  # compose_review.ResultReviewer of the current request, once resolved
        self._platform: str | None = None
        self._on_done = None

        self.form = ComposeForm()
        self.title, self.subtitle = page_heading()
        self.generate_button = make_button("generateButton", "generate", self.generate, primary=True)
        self.stop_button = make_button("stopButton", "stop", self.stop)
        self.stop_button.setEnabled(False)
        self.fixer = ModelFixer(ctx, self, on_busy=self._set_running)  # "Fix with the model" on a card
        self.prompt_button = make_button("showPromptButton", "prompt", self.show_prompt)
        self.keys_hint = QLabel()
        self.keys_hint.setProperty("role", "muted")
        self.message = QLabel()
        self.message.setObjectName("composeMessage")
        self.message.setProperty("role", "banner")
        self.message.setWordWrap(True)
        self.message.hide()

        buttons = QHBoxLayout()
        buttons.addWidget(self.generate_button)
        buttons.addWidget(self.stop_button)
        buttons.addStretch(1)
        buttons.addWidget(self.prompt_button)
        left_inner = QWidget()
        left_box = QVBoxLayout(left_inner)
        left_box.setContentsMargins(20, 16, 12, 16)
        left_box.addWidget(self.title)
        left_box.addWidget(self.subtitle)
        left_box.addWidget(self.form)
        left_box.addStretch(1)
        left_scroll = QScrollArea()
        left_scroll.setWidgetResizable(True)
        left_scroll.setWidget(left_inner)
        left_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 12)
        left_layout.addWidget(left_scroll, 1)
        action_box = QVBoxLayout()
        action_box.setContentsMargins(20, 0, 12, 0)
        action_box.addWidget(self.message)
        action_box.addLayout(buttons)
        action_box.addWidget(self.keys_hint)
        left_layout.addLayout(action_box)

        self.results_title = QLabel()
        self.results_title.setProperty("role", "section")
        self.empty_hint = QLabel()
        self.empty_hint.setObjectName("resultsHint")
        self.empty_hint.setProperty("role", "muted")
        self.empty_hint.setWordWrap(True)
        self.empty_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.grid_host = QWidget()
        self.grid = QGridLayout(self.grid_host)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(12)
        results_scroll = QScrollArea()
        results_scroll.setWidgetResizable(True)
        results_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        results_scroll.setWidget(self.grid_host)
        results_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # Always on, as in the card's own editor: a finished answer's review often makes the results
        # taller than the area, and a scroll bar appearing then narrowed the card, so the whole text was
        # wrapped again in the same turn as the review's layout (the longest turn of that review).
        results_scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        right = QWidget()
        right_box = QVBoxLayout(right)
        right_box.setContentsMargins(12, 16, 20, 12)
        right_box.addWidget(self.results_title)
        right_box.addWidget(self.empty_hint, 1)
        right_box.addWidget(results_scroll, 1)
        self.results_scroll = results_scroll
        results_scroll.hide()

        splitter = make_splitter(left, right, stretch={1: 1}, sizes=[400, 760])
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(splitter)

        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.generate)
        stop_key = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        stop_key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        stop_key.activated.connect(self.stop)

        self.retranslate()
        self.refresh_choices()

    # ----- choices --------------------------------------------------------------------------------------
    def refresh_choices(self, then=None) -> None:
        def loaded(choices) -> None:
            self.form.set_choices(choices)
            if then is not None:
                then()

        StoreOp(self, bridge.load_choices).on_success(loaded).on_failure(self._show_error).run()

    def page_shown(self) -> None:
        if self.form.choices is not None and not self.running:
            self.refresh_choices()  # templates or brands may have changed on their pages

    # ----- generate / stop --------------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self.job is not None

    def generate(self) -> None:
        if self.running or self.fixer.running or self.form.choices is None:
            return
        missing = self.form.missing_required()
        if missing:
            sep = "、" if content_language() == "zh" else ", "
            self._say(self.tr("Please fill in: %1").replace("%1", sep.join(missing)))
            return
        self._say("")
        request = self.form.request()
        request.max_tokens = self.ctx.sampling.max_tokens
        request.seed = self.ctx.sampling.seed
        request.ui_lang = content_language()  # the findings' messages, as stored in the history
        self._request = request
        self._reviewer = None
        template = self.form.current_template()
        platform = request.platform or template.platform
        lang = request.lang or "zh"
        layout = OutputLayout(
            lang=lang, structured=template.structured, labels=bridge.output_labels(template, lang, platform),
            list_fields={o.name for o in template.outputs if o.type == "list"},
            single_field=template.outputs[0].limit_field if not template.structured else None,
        )
        self._platform = platform
        if len(self.cards) == request.variants:
            for card in self.cards:  # as many as last time: reuse the cards (see ResultCard.reset)
                timer = getattr(card, "_edit_timer", None)
                if timer is not None:
                    timer.stop()
                card.reset(layout)
        else:
            self._new_cards(request.variants, layout)
        job = self.job = self.ctx.engine.submit(bridge.compose_job(request), parent=self)
        job.started.connect(self._on_started)
        job.text.connect(self._on_text)
        job.event.connect(self._on_event)
        job.finished.connect(self._on_finished)
        job.failed.connect(self._on_failed)
        job.skipped.connect(self._on_skipped)
        job.ended.connect(self._job_ended)
        self.empty_hint.hide()
        self.results_scroll.show()
        self._set_running(True)

    def stop(self) -> None:
        self.fixer.stop()
        if self.job is not None:
            self.job.cancel()

    def _set_running(self, running: bool) -> None:
        self.generate_button.setEnabled(not running)
        self.stop_button.setEnabled(running)

    def _new_cards(self, count: int, layout: OutputLayout) -> None:
        self._clear_cards()
        columns = 1 if count == 1 else 2
        for index in range(count):
            card = ResultCard(index, layout)
            card.ratingChanged.connect(lambda rating, c=card: self._save(c, "rating", rating))
            card.favouriteToggled.connect(lambda on, c=card: self._save(c, "favourite", on))
            card.edited.connect(lambda c=card: self._edit_timer(c).start())
            card.fixRequested.connect(lambda c=card: self.fixer.start(c, self._request, self._platform))
            self.grid.addWidget(card, index // columns, index % columns)
            self.cards.append(card)

    def prepare_card(self) -> None:
        """Make the first result card ahead of the first click (the window calls this after its first
        paint): the first card of a session styles its widget kinds and draws its icons, about 50 ms
        here, that the click on Generate would otherwise wait for. generate() resets it for its
        request."""
        if self.cards or self.running:
            return
        self._new_cards(1, OutputLayout(lang=content_language()))
        self.cards[0].warm_up()

    def _clear_cards(self) -> None:
        clear_layout(self.grid)
        self.cards = []

    # ----- the job's reports ---------------------------------------------------------------------------
    def _on_started(self) -> None:
        if self.cards:
            self.cards[0].mark_started()

    def _on_text(self, index: int, text: str) -> None:
        if index < len(self.cards):
            self.cards[index].append(text)

    def _on_event(self, event) -> None:
        from desktop.core.compose import VariantRetry  # loaded by the job that sent the event

        result = getattr(event, "result", None)
        index = getattr(event, "index", None)
        if isinstance(event, VariantRetry) and index < len(self.cards):
            self.cards[index].restart(event.lang)
            return
        if result is None or index is None or index >= len(self.cards):
            return
        card = self.cards[index]
        card.finish(result)
        if index + 1 < len(self.cards):
            self.cards[index + 1].mark_started()
        self.ctx.bus.historyChanged.emit()
        for warning in result.warnings:
            self.ctx.status(warning, 8000)
        if result.text and card.text() == result.text:
            # compose() reviewed this very text and stored that review: show it, no second check (a
            # second check ran on a worker thread and held the GIL just as the card repainted)
            self._show_review(card, result.review(), result.text)
        else:
            self._check(card)

    def _on_finished(self, outcome) -> None:
        for warning in getattr(outcome, "warnings", []):
            self.ctx.status(warning, 8000)
        for card in self.cards:
            if not card.done:
                card.skip()

    def _on_failed(self, message: str) -> None:
        for card in self.cards:
            if not card.done:
                card.fail(message)
        self._say(message)
        self.ctx.show_error(self.tr("Generation failed"), message, self)

    def _on_skipped(self) -> None:
        for card in self.cards:
            card.skip()

    def _job_ended(self) -> None:
        self.job = None
        self._set_running(False)
        if self._on_done is not None:
            done, self._on_done = self._on_done, None
            done()

    # ----- checks, edits, rating ---------------------------------------------------------------------------
    def _check(self, card: ResultCard, edited: bool = False) -> None:
        """Check the card's text as it stands, as compose() checked it (the same sources): shown, and
        after an edit stored with the edited text."""
        request = self._request
        if request is None or card.result is None:
            return
        text, fields = card.text(), card.fields()
        history_id = card.result.history_id
        ui_lang = content_language()
        reviewer = self._reviewer

        def work(db):
            return bridge.review_result(db, request, reviewer, text, fields, ui_lang=ui_lang,
                                        history_id=history_id, edited=edited)

        def show(outcome) -> None:
            reviewer, review = outcome
            if request is self._request:
                self._reviewer = reviewer  # resolved once per generation
            self._show_review(card, review, text)

        StoreOp(self, work).on_success(show).on_failure(self._show_error).run()

    def _show_review(self, card: ResultCard, review, text: str) -> None:
        """Show `review` of `text` on the card, in stages a frame apart: a review that arrives just as the
        card repaints its finished text held the GUI thread for up to 50 ms with it."""
        ui_lang = content_language()
        field_labels = {
            limit.field: limit.label.get(ui_lang) or limit.field
            for limit in platforms.field_limits(self._platform)
        }

        def display() -> None:
            if card in self.cards:  # a newer generation may have replaced the card meanwhile
                card.set_review(review, text, field_labels, ui_lang, staged=True)

        QTimer.singleShot(FRAME_MS, self, display)

    def _edit_timer(self, card: ResultCard):
        timer = getattr(card, "_edit_timer", None)
        if timer is None:
            timer = card._edit_timer = debounce(card, 400, lambda: self._edited(card))
        return timer

    def _edited(self, card: ResultCard) -> None:
        self._check(card, edited=True)
        self.ctx.bus.historyChanged.emit()

    def _save(self, card: ResultCard, what: str, value) -> None:
        if card.result is None or card.result.history_id is None:
            return
        from desktop.core.store import history

        history_id = card.result.history_id
        if what == "rating":
            op = StoreOp(self, lambda db: history.set_rating(db, history_id, value or None))
        else:
            op = StoreOp(self, lambda db: history.set_favourite(db, history_id, bool(value)))
        op.on_success(lambda _: self.ctx.bus.historyChanged.emit()).on_failure(self._show_error).run()

    # ----- prompt, messages ---------------------------------------------------------------------------------
    def show_prompt(self) -> None:
        if self.form.choices is None:
            return
        request = self.form.request()
        StoreOp(self, bridge.render_prompt, request).on_success(self._prompt_dialog) \
            .on_failure(self._show_error).run()

    def _prompt_dialog(self, prompt) -> None:
        PromptDialog(prompt, self).open()

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _show_error(self, exc) -> None:
        from desktop.ui.errors import error_message

        self._say(error_message(exc))

    # ----- navigation from other pages, self-test -----------------------------------------------------------
    def open_with(self, generation: dict | None = None, run: bool = False, **_ignored) -> None:
        """Fill the form from a history item; with `run`, generate at once."""
        if generation is None:
            return
        if self.form.choices is None:
            self.refresh_choices(then=lambda: self.open_with(generation, run))
            return
        self.form.load_generation(generation)
        self.form.variants.setValue(1)
        if run:
            self.generate()

    def selftest_generate(self, callback) -> None:
        """Fill a sample product, generate (as short as the context's sampling says), report through
        `callback(ok, why)`."""
        def go() -> None:
            self.form.set_field("product_name", "保温杯 Thermos cup")
            self._on_done = lambda: callback(bool(self.cards and self.cards[0].result),
                                             "generation did not finish")
            self.generate()
            if not self.running:
                callback(False, self.message.text() or "generate did not start")

        if self.form.choices is None:
            self.refresh_choices(then=go)
        else:
            go()

    # ----- language -----------------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.title.setText(self.tr("Compose"))
        self.subtitle.setText(self.tr("Describe the product, pick where it will be published, and let "
                                      "the model write. Everything stays on this computer."))
        self.generate_button.setText(self.tr("Generate"))
        self.stop_button.setText(self.tr("Stop"))
        self.prompt_button.setText(self.tr("Show prompt"))
        self.keys_hint.setText(self.tr("Ctrl+Enter generates · Esc stops"))
        self.results_title.setText(self.tr("Results"))
        self.empty_hint.setText(self.tr("Your results appear here, each variant in its own card, "
                                        "saved to the History as they finish."))
