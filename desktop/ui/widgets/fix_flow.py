""""Fix with the model" on the Compose page: one engine job runs `fix_result` for a card (never on the
GUI thread; Stop ends it), the dialog shows the diff, and an accepted fix replaces the card's text
(undoable), which re-runs its checks, and is saved as the history item's edited text."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import QObject
from PySide6.QtGui import QTextCursor

from desktop.core.stop import Stop
from desktop.ui.engine_worker import EngineJob
from desktop.ui.i18n import content_language
from desktop.ui.widgets.fix_dialog import FixDialog
from desktop.ui.workers import StoreOp

MAX_ROUNDS = 2


@dataclass
class FixProgress:
    """Emitted from the engine thread when a model round starts."""

    round: int
    of: int


@dataclass
class FixOutcome:
    result: object  # desktop.core.fixing.FixResult
    fields: dict | None


def fix_job(request, platform: str | None, lang: str, text: str, fields: dict | None, ui_lang: str,
            stop: Stop, max_rounds: int = MAX_ROUNDS) -> Callable:
    """The engine-thread work: resolve what the result was written and checked with, then fix (the
    fact guard's findings included: an unbacked claim is rewritten away)."""

    def work(engine, emit):
        from desktop.core.compose_review import reviewer_for
        from desktop.core.fixing import fix_result
        from desktop.core.store import open_db

        db = open_db()
        try:  # the template, brand and sources the result was written and checked with
            reviewer = reviewer_for(request, db)
        finally:
            db.close()
        emit(FixProgress(0, max_rounds))
        result, fixed_fields = fix_result(
            engine, text, fields, template=reviewer.template, platform=platform, lang=lang,
            brand=reviewer.brand, ui_lang=ui_lang, max_rounds=max_rounds, max_tokens=request.max_tokens,
            seed=request.seed, on_round=lambda n: emit(FixProgress(n, max_rounds)), stop=stop,
            sources=reviewer.sources,
        )
        return FixOutcome(result, fixed_fields)

    return work


class ModelFixer(QObject):
    """One fix at a time for the page that owns it. `on_busy(bool)` lets the page offer Stop meanwhile."""

    def __init__(self, ctx, parent: QObject, on_busy: Callable[[bool], None] | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.on_busy = on_busy
        self.job: EngineJob | None = None
        self._card = None
        self._text = ""

    @property
    def running(self) -> bool:
        return self.job is not None

    def start(self, card, request, platform: str | None) -> bool:
        """Fix `card`'s text (a ResultCard that finished). False when it cannot start now."""
        if self.running or request is None or card.result is None:
            return False
        if self.ctx.engine.busy:
            self.ctx.status(self.tr("The model is busy: fix when the generation has finished."), 6000)
            return False
        self._card, self._text = card, card.text()
        stop = Stop()
        work = fix_job(request, platform, card.layout_spec.lang, self._text, card.fields(),
                       content_language(),
                       stop)
        job = self.job = self.ctx.engine.submit(work, stop=stop, parent=self)
        job.event.connect(self._on_event)
        job.finished.connect(self._on_finished)
        job.failed.connect(self._on_failed)
        job.skipped.connect(self._end)
        card.fix_button.set_working(0, MAX_ROUNDS)
        if self.on_busy:
            self.on_busy(True)
        return True

    def stop(self) -> None:
        if self.job is not None:
            self.job.cancel()

    # ----- the job's reports -----------------------------------------------------------------------------
    def _card_alive(self) -> bool:
        return self._card is not None and shiboken6.isValid(self._card)

    def _on_event(self, event) -> None:
        if isinstance(event, FixProgress) and self._card_alive():
            self._card.fix_button.set_working(event.round, event.of)

    def _end(self):
        card = self._card if self._card_alive() else None
        stopped = self.job is not None and self.job.stop.is_set
        self.job, self._card = None, None
        if card is not None:
            card.fix_button.set_working(None)
        if self.on_busy:
            self.on_busy(False)
        return card, stopped

    def _on_finished(self, outcome) -> None:
        text = self._text
        card, stopped = self._end()
        if card is None or not isinstance(outcome, FixOutcome):
            return
        result = outcome.result
        if stopped or result.stop_reason == "cancelled":
            self.ctx.status(self.tr("Fixing stopped: your text is unchanged."), 6000)
            return
        if result.stop_reason == "nothing_to_fix":
            self.ctx.status(self.tr("Nothing to fix: the checks found nothing."), 6000)
            return
        if card.text() != text:
            self.ctx.status(self.tr("The text changed while the model worked: its version was "
                                    "set aside."), 8000)
            return
        dialog = FixDialog(result, card.window())
        dialog.accepted.connect(lambda: self.apply(card, text, dialog.fixed_text))
        dialog.open()

    def _on_failed(self, message: str) -> None:
        card, _stopped = self._end()
        self.ctx.show_error(self.tr("Fixing failed"), message, card.window() if card is not None else None)

    # ----- the merchant's choice ---------------------------------------------------------------------------
    def apply(self, card, expected: str, fixed: str) -> bool:
        """Put `fixed` in the card (one undo step) and save it as the history item's edited text. The
        card's own edit handling re-runs the checks. False when the card's text changed meanwhile."""
        if not shiboken6.isValid(card) or card.text() != expected:
            return False
        cursor = QTextCursor(card.editor.document())
        cursor.beginEditBlock()
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.insertText(fixed)
        cursor.endEditBlock()
        history_id = getattr(card.result, "history_id", None)
        if history_id is not None:
            from desktop.core.store.history import set_edited_text

            StoreOp(self, lambda db: set_edited_text(db, history_id, fixed)) \
                .on_success(lambda _: self.ctx.bus.historyChanged.emit()) \
                .on_failure(lambda exc: self.ctx.show_error(self.tr("Saving failed"), exc)).run()
        self.ctx.status(self.tr("The fixed text is in place (Ctrl+Z undoes it)."), 6000)
        return True
