"""Step 2 of a batch: what to write (content type, platform, template), how (brand, tone, language,
variants, length budget), then Start, with a progress bar, ETA, pause/resume and cancel."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.core.compose_request import split_facts
from desktop.ui.i18n import Retranslating, content_language
from desktop.ui.icons import icon
from desktop.ui.widgets.kit import human_duration, make_button

IDLE, RUNNING, PAUSING, PAUSED = "idle", "running", "pausing", "paused"


def _loc(names: dict, lang: str) -> str:
    return names.get(lang) or names.get("en") or next(iter(names.values()), "")


def _fill(combo: QComboBox, items: list[tuple], keep=None) -> None:
    combo.blockSignals(True)
    combo.clear()
    for data, text in items:
        combo.addItem(text, data)
    index = combo.findData(keep) if keep is not None else -1
    combo.setCurrentIndex(index if index >= 0 else 0)
    combo.blockSignals(False)


class SetupPanel(Retranslating, QWidget):
    startRequested = Signal(dict)
    pauseRequested = Signal()
    resumeRequested = Signal()
    cancelRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.choices = None
        self.state = IDLE
        self.can_start = False
        self.content_type = self._combo("batchContentType")
        self.platform = self._combo("batchPlatform")
        self.template = self._combo("batchTemplate")
        self.brand = self._combo("batchBrand")
        self.tone = self._combo("batchTone")
        self.lang = self._combo("batchLang")
        self.variants = QSpinBox()
        self.variants.setObjectName("batchVariants")
        self.variants.setRange(1, 4)
        self.best_of = QSpinBox()  # candidates per answer in one parallel pass; 1 by default (N x the work)
        self.best_of.setObjectName("batchBestOf")
        self.best_of.setRange(1, 4)
        self.max_tokens = QSpinBox()
        self.max_tokens.setObjectName("batchMaxTokens")
        self.max_tokens.setRange(0, 4096)
        self.max_tokens.setSingleStep(64)
        self.must_mention = QLineEdit()  # facts every product's copy must carry (coverage)
        self.must_mention.setObjectName("batchMustMention")
        self.must_mention.setClearButtonEnabled(True)
        self.add_facts = QCheckBox()  # key facts an answer leaves out: added as lines (job option add_facts)
        self.add_facts.setObjectName("batchAddFacts")
        self.form = QFormLayout()
        self._labels = [QLabel() for _ in range(11)]
        for label, widget in zip(self._labels, (self.content_type, self.platform, self.template, self.brand,
                                                self.tone, self.lang, self.variants, self.best_of,
                                                self.max_tokens, self.must_mention, self.add_facts)):
            self.form.addRow(label, widget)

        self.start_button = make_button("startBatchButton", "generate", self._start, primary=True)
        self.pause_button = make_button("pauseBatchButton", None, self._pause_or_resume)
        self.cancel_button = make_button("cancelBatchButton", "stop", self.cancelRequested.emit)
        self.hint = QLabel()
        self.hint.setObjectName("batchStartHint")
        self.hint.setProperty("role", "muted")
        self.hint.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setObjectName("batchProgress")
        self.progress.setRange(0, 1000)
        self.progress_label = QLabel()
        self.progress_label.setObjectName("batchProgressLabel")
        self.live = QLabel()
        self.live.setObjectName("batchLiveText")
        self.live.setProperty("role", "muted")
        self.live.setWordWrap(True)
        self.live.setMaximumHeight(60)
        for widget in (self.hint, self.progress, self.progress_label, self.live):
            widget.setMaximumWidth(640)

        buttons = QHBoxLayout()
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.pause_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        form_host = QWidget()
        form_host.setLayout(self.form)
        form_host.setMaximumWidth(640)
        box = QVBoxLayout(self)
        box.setContentsMargins(12, 12, 12, 12)
        box.addWidget(form_host)
        box.addWidget(self.hint)
        box.addLayout(buttons)
        box.addWidget(self.progress)
        box.addWidget(self.progress_label)
        box.addWidget(self.live)
        box.addStretch(1)
        self.content_type.currentIndexChanged.connect(self._on_content_type)
        self.platform.currentIndexChanged.connect(self._on_platform)
        self.retranslate()
        self.set_state(IDLE)

    def _combo(self, name: str) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(18)
        return combo

    # ----- choices ----------------------------------------------------------------------------------------
    def set_choices(self, choices) -> None:
        keep = self.setup() if self.choices is not None else {}
        self.choices = choices
        lang = content_language()
        _fill(self.content_type, [(cid, _loc(s["name"], lang)) for cid, s in choices.content_types.items()],
              keep.get("content_type") or "product-description")
        _fill(self.brand, [(None, self.tr("No brand"))] + [(b.id, b.name) for b in choices.brands],
              keep.get("brand"))
        _fill(self.tone,
              [(None, self.tr("Default"))] + [(t, _loc(s["name"], lang)) for t, s in choices.tones.items()],
              keep.get("tone"))
        _fill(self.lang, [(None, self.tr("The platform's language")), ("zh", "中文"), ("en", "English")],
              keep.get("lang"))
        self._on_content_type(keep=keep)

    def _on_content_type(self, *_args, keep: dict | None = None) -> None:
        if self.choices is None:
            return
        lang = content_language()
        spec = self.choices.content_types.get(self.content_type.currentData(), {})
        names = self.choices.platform_names
        _fill(self.platform, [(None, self.tr("Any platform"))] +
              [(p, _loc(names.get(p, {"en": p}), lang)) for p in spec.get("platforms", [])],
              (keep or {}).get("platform") or self.platform.currentData())
        self._on_platform(keep=keep)

    def _on_platform(self, *_args, keep: dict | None = None) -> None:
        if self.choices is None:
            return
        lang = content_language()
        kind, platform = self.content_type.currentData(), self.platform.currentData()
        templates = [t for t in self.choices.templates if t.content_type == kind and t.serves(platform)]
        default = self.choices.content_types.get(kind, {}).get("default_template")
        templates.sort(key=lambda t: (t.platform != platform if platform else t.id != default, not t.builtin))
        _fill(self.template, [(t.id, t.label(lang)) for t in templates], (keep or {}).get("template_id"))

    def setup(self) -> dict:
        return {
            "content_type": self.content_type.currentData(), "platform": self.platform.currentData(),
            "template_id": self.template.currentData(), "brand": self.brand.currentData(),
            "tone": self.tone.currentData(), "lang": self.lang.currentData(),
            "variants": self.variants.value(), "best_of": self.best_of.value(),
            "max_tokens": self.max_tokens.value() or None, "ui_lang": content_language(),
            "required": split_facts(self.must_mention.text()) or None,
            "add_facts": self.add_facts.isChecked() or None,
        }

    # ----- running -----------------------------------------------------------------------------------------
    def set_startable(self, ok: bool, why: str = "") -> None:
        self.can_start = ok
        self.hint.setText(why)
        self._update_buttons()

    def _start(self) -> None:
        if self.can_start and self.state == IDLE and self.template.currentData():
            self.startRequested.emit(self.setup())

    def _pause_or_resume(self) -> None:
        if self.state == RUNNING:
            self.pauseRequested.emit()
        elif self.state == PAUSED:
            self.resumeRequested.emit()

    def set_state(self, state: str) -> None:
        self.state = state
        self._update_buttons()

    def _update_buttons(self) -> None:
        state = self.state
        self.start_button.setEnabled(state == IDLE and self.can_start)
        self.pause_button.setEnabled(state in (RUNNING, PAUSED))
        self.pause_button.setText(self.tr("Resume") if state == PAUSED else self.tr("Pause"))
        self.pause_button.setIcon(icon("generate" if state == PAUSED else "stop"))
        self.cancel_button.setEnabled(state in (RUNNING, PAUSED, PAUSING))
        for widget in (self.content_type, self.platform, self.template, self.brand, self.tone, self.lang,
                       self.variants, self.best_of, self.max_tokens, self.must_mention, self.add_facts):
            widget.setEnabled(state == IDLE)
        self.progress.setVisible(state != IDLE or self.progress.value() > 0)

    def show_progress(self, progress) -> None:
        self.progress.setValue(int(1000 * progress.fraction))
        text = self.tr("%1 of %2 finished · %3 failed").replace("%1", str(progress.finished)) \
            .replace("%2", str(progress.total)).replace("%3", str(progress.failed))
        if progress.pending and progress.eta_s is not None and self.state == RUNNING:
            text += " · " + self.tr("about %1 left").replace("%1", human_duration(progress.eta_s))
        self.progress_label.setText(text)
        self.progress.setVisible(True)

    def show_live(self, text: str) -> None:
        self.live.setText(text[-220:].replace("\n", " "))

    # ----- language -----------------------------------------------------------------------------------------
    def retranslate(self) -> None:
        texts = (self.tr("Content type"), self.tr("Platform"), self.tr("Template"), self.tr("Brand"),
                 self.tr("Tone"), self.tr("Language"), self.tr("Answers per product"),
                 self.tr("Best of (keep the best-scoring)"), self.tr("Max tokens"), self.tr("Must mention"),
                 self.tr("Key facts left out"))
        for label, text in zip(self._labels, texts):
            label.setText(text)
        self.max_tokens.setSpecialValueText(self.tr("Template default"))
        self.variants.setToolTip(self.tr("Several answers per product: the first valid one is used."))
        self.best_of.setToolTip(self.tr("Write this many candidates for each answer in one pass and keep the "
                                        "one with the best quality score. Each extra candidate adds work."))
        self.must_mention.setPlaceholderText(self.tr("e.g. free shipping, 2-year warranty"))
        self.must_mention.setToolTip(self.tr("Facts every product's copy must carry, separated by commas. "
                                             "An answer that leaves one out is flagged and scores lower."))
        self.add_facts.setText(self.tr("Add them at the end, a line each"))
        self.add_facts.setToolTip(self.tr("Small models often leave a product's sizes, durations or features "
                                          "out. With this on, each one an answer leaves out is added at the "
                                          "end of its main text, in the product's own words."))
        self.start_button.setText(self.tr("Start"))
        self.cancel_button.setText(self.tr("Cancel job"))
        self._update_buttons()
        if self.choices is not None:
            self.set_choices(self.choices)
