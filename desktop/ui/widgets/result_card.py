"""One variant's result: the text streaming in, then copy, edit, rate, favourite, its speed, its length
meters, its quality score, the facts its input backs and its findings."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QTextCursor
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.engine_worker import FRAME_MS
from desktop.ui.i18n import Retranslating
from desktop.ui.icons import icon
from desktop.ui.readable import ReadableJsonStream, section_spans, sections_to_fields
from desktop.ui.theme import COLOURS, active_theme
from desktop.ui.widgets.findings_view import (
    FindingHighlighter,
    FindingsList,
    MetersBar,
    PlacedFact,
    PlacedFinding,
    ScoreLine,
    SourcesLine,
    apply_placed,
)
from desktop.ui.widgets.fix_dialog import FixButton


@dataclass
class OutputLayout:
    """How a template's answer is shown: one text, or labelled fields (structured templates)."""

    lang: str
    structured: bool = False
    labels: dict[str, str] = field(default_factory=dict)  # output name -> label
    list_fields: set[str] = field(default_factory=set)
    single_field: str | None = None  # the platform field an unstructured text is measured as


class ResultCard(Retranslating, QFrame):
    ratingChanged = Signal(int)  # 0 clears
    favouriteToggled = Signal(bool)
    edited = Signal()  # the merchant changed the text (after generation)
    fixRequested = Signal()  # "Fix with the model" (desktop/ui/widgets/fix_flow.py does it)

    def __init__(self, index: int, layout: OutputLayout, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.index, self.layout_spec = index, layout
        self.setProperty("role", "card")
        self.setObjectName(f"resultCard{index + 1}")
        self.result = None
        self.done = False
        self._stream = ReadableJsonStream(layout.labels, layout.lang) if layout.structured else None
        self._rating = 0

        self.title = QLabel()
        self.title.setProperty("role", "section")
        self.stats = QLabel()
        self.stats.setObjectName("statsLabel")
        self.stats.setProperty("role", "muted")
        self.editor = QPlainTextEdit()
        self.editor.setObjectName("outputEdit" if index == 0 else f"outputEdit{index + 1}")
        self.editor.setReadOnly(True)
        self.editor.setMinimumHeight(160)
        # A scroll bar that came and went as the card's review grew and shrank changed the text's width:
        # each time the whole text was wrapped again (17-26 ms on the GUI thread for 2,000 characters).
        self.editor.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.editor.textChanged.connect(self._on_text_changed)
        self.highlighter = FindingHighlighter(self.editor)

        self.copy_button = self._tool("copyButton", "copy")
        self.copy_button.clicked.connect(self.copy)
        self.favourite_button = self._tool("favouriteButton", "heart")
        self.favourite_button.setCheckable(True)
        self.favourite_button.toggled.connect(self._on_favourite)
        self.star_buttons = []
        for stars in range(1, 6):
            button = self._tool(f"rateButton{stars}", "star")
            button.clicked.connect(lambda _=False,
                                   n=stars: self.set_rating(0 if n == self._rating else n, emit=True))
            self.star_buttons.append(button)
        for button in [self.copy_button, self.favourite_button, *self.star_buttons]:
            button.setEnabled(False)

        head = QHBoxLayout()
        head.setSpacing(0)
        head.addWidget(self.title)
        head.addStretch(1)
        for button in self.star_buttons:
            head.addWidget(button)
        head.addSpacing(8)
        head.addWidget(self.copy_button)
        head.addWidget(self.favourite_button)
        self.stats.setWordWrap(True)
        self.meters = MetersBar()
        self.fix_button = FixButton()
        self.fix_button.clicked.connect(lambda _=False: self.fixRequested.emit())
        meters_row = QHBoxLayout()
        meters_row.addWidget(self.meters, 1)
        meters_row.addWidget(self.fix_button, 0, Qt.AlignmentFlag.AlignTop)
        self.findings = FindingsList()
        self.findings.hide()
        self.findings.applyRequested.connect(self._apply)
        self.score = ScoreLine()
        self.sources = SourcesLine()
        box = QVBoxLayout(self)
        box.setContentsMargins(12, 10, 12, 10)
        box.addLayout(head)
        box.addWidget(self.editor, 1)
        box.addLayout(meters_row)
        # the review (score, findings, backed facts) in one box: it is hidden while it is refilled and
        # shown once, so its parts do not each lay out the card again
        self.review_box = QWidget()
        review = QVBoxLayout(self.review_box)
        review.setContentsMargins(0, 0, 0, 0)
        review.addWidget(self.score)
        review.addWidget(self.findings)
        review.addWidget(self.sources)
        box.addWidget(self.review_box)
        box.addWidget(self.stats)
        self._placed: list[PlacedFinding] = []
        self.retranslate()
        self.stats.setText(self.tr("Waiting…"))

    def reset(self, layout: OutputLayout) -> None:
        """Empty again, for a new generation (its output layout may differ: only the parsing and the
        checks read it). Compose reuses its cards: laying out and styling a new card took the GUI thread
        50-70 ms, just as the first tokens arrive."""
        spec = self.layout_spec = layout
        self.result = None
        self.done = False
        self._fin_stats = None
        self._stream = ReadableJsonStream(spec.labels, spec.lang) if spec.structured else None
        self._placed = []
        self.editor.setReadOnly(True)
        self.highlighter.clear()
        self.editor.clear()
        self.findings.clear()
        self.score.set_score(None, spec.lang)
        self.sources.set_facts([])
        self.fix_button.set_findings(False)
        self.meters.set_meters([])
        self.meters.clear()
        self.favourite_button.blockSignals(True)
        self.favourite_button.setChecked(False)
        self.favourite_button.setIcon(icon("heart"))
        self.favourite_button.blockSignals(False)
        self.set_rating(0)
        for button in [self.copy_button, self.favourite_button, *self.star_buttons]:
            button.setEnabled(False)
        self.stats.setToolTip("")
        self.stats.setText(self.tr("Waiting…"))

    def _tool(self, name: str, icon_name: str) -> QToolButton:
        button = QToolButton()
        button.setObjectName(name)
        button.setProperty("role", "flat")
        button.setIcon(icon(icon_name))
        button.setAutoRaise(True)
        return button

    # ----- streaming ---------------------------------------------------------------------------------
    def mark_started(self) -> None:
        self.stats.setText(self.tr("Writing…"))

    def restart(self, lang: str) -> None:
        """The answer came back in another language: compose writes it again, held to `lang`'s script.
        The text so far goes (the finished result shows whichever of the two scored better)."""
        spec = self.layout_spec
        self._stream = ReadableJsonStream(spec.labels, spec.lang) if spec.structured else None
        self.editor.clear()
        self.stats.setText(self.tr("Not in Chinese: writing it again in Chinese only…") if lang == "zh"
                           else self.tr("Not in English: writing it again in English only…"))

    def append(self, text: str) -> None:
        """Add streamed text at the end (no re-set of the whole text: no flicker, cheap)."""
        if self._stream is not None:
            text = self._stream.feed(text)
        if not text:
            return
        bar = self.editor.verticalScrollBar()
        at_bottom = bar.value() >= bar.maximum() - 4
        cursor = QTextCursor(self.editor.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertText(text)
        if at_bottom:
            bar.setValue(bar.maximum())

    def finish(self, result) -> None:
        """`result`: compose's VariantResult. Its text is what the history holds; show exactly that."""
        self.result = result
        self._fin_stats = (result.ttft_s, result.tokens_per_s, result.completion_tokens, result.stop_reason)
        self._show_stats()
        if result.text and result.text != self.text():
            self.editor.setPlainText(result.text)  # once, at the end: the parsed, tidied fields
        self.done = True
        self.editor.setReadOnly(False)
        for button in [self.copy_button, self.favourite_button, *self.star_buttons]:
            button.setEnabled(True)

    def fail(self, message: str) -> None:
        """The text written so far stays, and can be copied; the reason is in the card's status."""
        self.done = True
        self._fin_stats = None
        self.stats.setText(self.tr("Failed"))
        self.stats.setToolTip(message)
        if not self.editor.toPlainText():
            self.editor.setPlainText(message)
        else:
            self.editor.setReadOnly(False)
            self.copy_button.setEnabled(True)

    def skip(self) -> None:
        self.done = True
        self._fin_stats = None
        self.stats.setText(self.tr("Stopped before it started"))

    def _show_stats(self) -> None:
        stats = getattr(self, "_fin_stats", None)
        if not stats:
            return
        ttft, rate, tokens, reason = stats
        reasons = {
            "cancelled": self.tr("stopped"), "length": self.tr("length limit"),
            "end": self.tr("complete"), "stop": self.tr("complete"),
        }
        self.stats.setToolTip(self.tr("Time to the first token · speed · tokens written · why it stopped"))
        self.stats.setText(
            self.tr("First token %1 s · %2 tok/s · %3 tokens · %4")
            .replace("%1", f"{ttft:.2f}").replace("%2", f"{rate:.1f}").replace("%3", str(tokens))
            .replace("%4", reasons.get(reason, reason))
        )

    # ----- the merchant's actions ---------------------------------------------------------------------
    def text(self) -> str:
        return self.editor.toPlainText()

    def fields(self) -> dict | None:
        spec = self.layout_spec
        if not spec.structured:
            return None
        return sections_to_fields(self.text(), spec.labels, spec.lang, spec.list_fields)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.text())

    def set_rating(self, rating: int, emit: bool = False) -> None:
        self._rating = rating
        on = COLOURS[active_theme()]["accent"]
        for stars, button in enumerate(self.star_buttons, start=1):
            button.setIcon(icon("star", on, filled=True) if stars <= rating else icon("star"))
        if emit:
            self.ratingChanged.emit(rating)

    def rating(self) -> int:
        return self._rating

    def _on_favourite(self, checked: bool) -> None:
        on = COLOURS[active_theme()]["accent"]
        self.favourite_button.setIcon(icon("heart", on, filled=True) if checked else icon("heart"))
        self.favouriteToggled.emit(checked)

    def _on_text_changed(self) -> None:
        if self.done and not self.highlighter.restyling:
            self.highlighter.clear()
            self.edited.emit()

    # ----- checks ----------------------------------------------------------------------------------------
    def set_review(self, review, checked_text: str, meter_labels: dict[str, str], lang: str,
                   staged: bool = False) -> None:
        """Show a review of `checked_text` (content.checking.OutputReview: findings, backed facts, score,
        lengths, each with the output `field` it belongs to), if the text is still the same.
        `meter_labels`: platform field -> its label; `lang`: the language of the score's words.
        `staged`: the underlines now; the score, sources and meters a frame later; then the findings' rows,
        one a frame. Each step has its own layout and paint, so that no one turn of the GUI thread lays
        out the whole review (with six findings that turn was the longest of a generation)."""
        from desktop.core.checks.findings import Finding  # loaded by the review, on a worker

        if checked_text != self.text():
            return  # the merchant typed since: a newer check follows
        spec = self.layout_spec
        spans = {}
        if spec.structured:
            for span in section_spans(checked_text, spec.labels, spec.lang, spec.list_fields):
                key = span.field if span.item is None else f"{span.field}[{span.item}]"
                spans[key] = span.start

        def base_of(key: str) -> int | None:
            return spans.get(key) if spec.structured else 0

        placed: list[PlacedFinding] = []
        for data in review.findings:
            finding, base = Finding.from_dict(data), base_of(data.get("field", ""))
            empty = finding.start == finding.end
            whole = empty and (not finding.suggestion or (data.get("field") in spec.list_fields
                                                          and finding.start == 0))  # a key fact missing, ...
            if base is None or whole:
                placed.append(PlacedFinding(finding, None, None))  # about the whole text: listed only
            else:
                placed.append(PlacedFinding(finding, base + finding.start, base + finding.end))
        facts = []
        for fact in review.facts:
            base = base_of(fact.get("field", ""))
            if base is not None:
                start, end = base + fact["start"], base + fact["end"]
                facts.append(PlacedFact(fact["text"], fact["source"], start, end))
        meters = []
        for report in review.lengths:
            if spec.structured and "[" in report.get("field", ""):
                continue  # list items: the list's count meter and item findings say enough
            field_name = report.get("platform_field") or report.get("field", "")
            meters.append((meter_labels.get(field_name, field_name), report["value"], report["limit"],
                           report["counter"]))
        self._placed = placed
        self.highlighter.show(placed, facts)
        if staged:
            score = review.score
            QTimer.singleShot(FRAME_MS, self,
                              lambda: self._show_box(placed, facts, meters, score, lang, checked_text, True))
        else:
            self._show_box(placed, facts, meters, review.score, lang, checked_text)

    def _current(self, placed: list[PlacedFinding], checked_text: str) -> bool:
        """False once a newer review, or an edit, came in after `placed` was made."""
        return placed is self._placed and checked_text == self.text()

    def _show_box(self, placed: list[PlacedFinding], facts: list[PlacedFact], meters: list, score: dict,
                  lang: str, checked_text: str, staged: bool = False) -> None:
        if not self._current(placed, checked_text):
            return
        self.review_box.hide()
        self.findings.set_findings(placed, rows=0 if staged else None)
        self.score.set_score(score, lang)
        self.sources.set_facts(facts)
        self.review_box.show()
        self.fix_button.set_findings(bool(placed))
        if not meters:
            meters = [(self.tr("Characters"), len(checked_text), None, "")]
        self.meters.set_meters(meters)
        if staged:
            self._reveal_rows(placed, checked_text)

    def _reveal_rows(self, placed: list[PlacedFinding], checked_text: str) -> None:
        def step() -> None:
            if self._current(placed, checked_text) and self.findings.reveal_row():
                QTimer.singleShot(FRAME_MS, self, step)

        QTimer.singleShot(FRAME_MS, self, step)

    def warm_up(self) -> None:
        """Make the finding rows, show a sample review once while the card is hidden, draw it off screen,
        and empty the card again: the first real review then finds its labels and buttons styled and laid
        out, and its fonts cached (it took the GUI thread about twice as long otherwise)."""
        from desktop.core.content.checking import OutputReview  # loaded with the checks, before this

        sample = "Sample text, 750 ml, best seller."
        findings = [
            {"rule": "sample", "category": "unsupported-fact", "severity": "block", "start": 20, "end": 31,
             "text": "best seller", "message": "Sample finding", "suggestion": "remove", "field": ""},
            {"rule": "sample", "category": "coverage", "severity": "info", "start": 0, "end": 0, "text": "",
             "message": "Sample finding", "suggestion": "", "field": ""},
        ]
        part = {"id": "sample", "label": {"en": "Sample"}, "detail": {"en": "sample"}, "points": -40}
        score = {"value": 60, "parts": [part]}
        facts = [{"text": "750 ml", "source": "Sample", "start": 13, "end": 19, "field": ""}]
        self.findings.reserve(FindingsList.SHOWN)  # as many rows as a review lists before "Show all"
        self.append(sample)
        self.set_review(OutputReview(findings, facts=facts, score=score), sample, {}, self.layout_spec.lang)
        self.grab()  # lays out and draws the hidden card, off screen
        self.reset(self.layout_spec)

    def _apply(self, placed: PlacedFinding) -> None:
        if not apply_placed(self.editor, placed):
            self.stats.setToolTip(self.tr("The text changed: checking again."))

    # ----- language ---------------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.title.setText(self.tr("Variant %1").replace("%1", str(self.index + 1)))
        self.copy_button.setToolTip(self.tr("Copy the text"))
        self.favourite_button.setToolTip(self.tr("Favourite"))
        for stars, button in enumerate(self.star_buttons, start=1):
            button.setToolTip(self.tr("Rate %n star(s)", "", stars))
        self._show_stats()


def debounce(parent: QWidget, ms: int, slot) -> QTimer:
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.setInterval(ms)
    timer.timeout.connect(slot)
    return timer
