"""The Compose form: what to write (content type, platform, template), the product (a form built from
the template's variables, required ones marked), and how (brand, tone, length, language, variants)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.core.compose_request import split_facts
from desktop.ui.compose_bridge import Choices, ComposeRequest
from desktop.ui.i18n import Retranslating, content_language
from desktop.ui.widgets.findings_view import clear_layout


def _loc(names: dict, lang: str) -> str:
    return names.get(lang) or names.get("en") or next(iter(names.values()), "")


class ComposeForm(Retranslating, QWidget):
    templateChanged = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.choices: Choices | None = None
        self._values: dict[str, str] = {}  # kept across template switches
        self._inputs: dict[str, QLineEdit | QPlainTextEdit] = {}
        self._filling = False

        self.content_type = self._combo("contentTypeCombo")
        self.platform = self._combo("platformCombo")
        self.template = self._combo("templateCombo")
        self.brand = self._combo("brandCombo")
        self.tone = self._combo("toneCombo")
        self.length = self._combo("lengthCombo")
        self.lang = self._combo("langCombo")
        self.variants = QSpinBox()
        self.variants.setObjectName("variantsSpin")
        self.variants.setRange(1, 4)
        self.best_of = QSpinBox()  # candidates per variant in one parallel pass; the best by score is kept
        self.best_of.setObjectName("bestOfSpin")
        self.best_of.setRange(1, 4)
        self.must_mention = QLineEdit()  # required facts: a result without one gets a coverage finding
        self.must_mention.setObjectName("mustMentionEdit")
        self.must_mention.setClearButtonEnabled(True)

        self.what_title, self.product_title, self.style_title = QLabel(), QLabel(), QLabel()
        for label in (self.what_title, self.product_title, self.style_title):
            label.setProperty("role", "section")
        self.required_hint = QLabel()
        self.required_hint.setProperty("role", "muted")
        self.what = QFormLayout()
        self.fields = QFormLayout()
        self.style = QFormLayout()
        self.must_label = QLabel()
        self.fields.addRow(self.must_label, self.must_mention)
        for form in (self.what, self.fields, self.style):
            form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self._what_labels = [QLabel() for _ in range(3)]
        for label, combo in zip(self._what_labels, (self.content_type, self.platform, self.template)):
            self.what.addRow(label, combo)
        self._style_labels = [QLabel() for _ in range(6)]
        styles = (self.brand, self.tone, self.length, self.lang, self.variants, self.best_of)
        for label, widget in zip(self._style_labels, styles):
            self.style.addRow(label, widget)

        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.what_title)
        box.addLayout(self.what)
        box.addWidget(self.product_title)
        box.addWidget(self.required_hint)
        box.addLayout(self.fields)
        box.addWidget(self.style_title)
        box.addLayout(self.style)

        self.content_type.currentIndexChanged.connect(self._on_content_type)
        self.platform.currentIndexChanged.connect(self._on_platform)
        self.template.currentIndexChanged.connect(self._on_template)
        self.retranslate()

    def _combo(self, name: str) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(14)
        return combo

    # ----- filling the pickers --------------------------------------------------------------------------
    def set_choices(self, choices: Choices) -> None:
        keep = self.snapshot() if self.choices else None
        self.choices = choices
        self._fill_all(keep)

    def _fill_all(self, keep: dict | None) -> None:
        lang = content_language()
        c = self.choices
        self._filling = True
        _fill(self.content_type, [(cid, _loc(spec["name"], lang)) for cid, spec in c.content_types.items()],
              keep and keep["content_type"])
        self._filling = False
        _fill(self.brand, [(None, self.tr("No brand"))] + [(b.id, b.name) for b in c.brands],
              keep and keep["brand"])
        _fill(self.tone,
              [(None, self.tr("Default"))] + [(t, _loc(s["name"], lang)) for t, s in c.tones.items()],
              keep and keep["tone"])
        _fill(self.length, [(k, _loc(s["name"], lang)) for k, s in c.lengths.items()],
              (keep and keep["length"]) or c.default_length)
        _fill(self.lang, [("zh", "中文"), ("en", "English")], (keep and keep["lang"]) or lang)
        self._on_content_type(keep=keep)

    def _on_content_type(self, *_args, keep: dict | None = None) -> None:
        if self._filling or self.choices is None:
            return
        lang = content_language()
        spec = self.choices.content_types.get(self.content_type.currentData(), {})
        names = self.choices.platform_names
        items = [(None, self.tr("Any platform"))] + [
            (p, _loc(names.get(p, {"en": p}), lang)) for p in spec.get("platforms", [])
        ]
        self._filling = True
        _fill(self.platform, items, keep and keep["platform"])
        self._filling = False
        self._on_platform(keep=keep)

    def _on_platform(self, *_args, keep: dict | None = None) -> None:
        if self._filling or self.choices is None:
            return
        lang = content_language()
        ctype, platform = self.content_type.currentData(), self.platform.currentData()
        candidates = [t for t in self.choices.templates if t.content_type == ctype]
        if platform:
            serving = [t for t in candidates if platform in t.platforms]
            serving.sort(key=lambda t: (not t.builtin, t.platform != platform))
            generic = [t for t in candidates if not t.platforms]
            candidates = serving + generic
        else:
            candidates.sort(key=lambda t: (bool(t.platforms), not t.builtin))
        self._filling = True
        _fill(self.template, [(t.id, t.label(lang)) for t in candidates], keep and keep["template_id"])
        self._filling = False
        if platform and keep is None:
            market_lang = self.choices.platform_langs.get(platform)
            if market_lang:
                _select(self.lang, market_lang)
        self._on_template()

    def current_template(self):
        tid = self.template.currentData()
        return next((t for t in (self.choices.templates if self.choices else []) if t.id == tid), None)

    def _on_template(self, *_args) -> None:
        if self._filling:
            return
        self._remember_values()
        if self.fields.rowCount():  # "Must mention" stays (it is the last row): keep it out of the clearing
            self.fields.takeRow(self.fields.rowCount() - 1)
        clear_layout(self.fields)
        self._inputs = {}
        template = self.current_template()
        if template is None:
            self.fields.addRow(self.must_label, self.must_mention)
            return
        lang = content_language()
        for var in template.variables:
            label_text = _loc(var.label, lang) or var.name
            label = QLabel(f"{label_text} *" if var.required else label_text)
            if var.required:
                label.setProperty("role", "required")
                label.setToolTip(self.tr("Required"))
            if var.multiline or var.name in ("features", "specs", "notes"):
                widget = QPlainTextEdit()
                widget.setTabChangesFocus(True)
                widget.setFixedHeight(64)
                widget.setPlainText(self._values.get(var.name, var.default))
            else:
                widget = QLineEdit(self._values.get(var.name, var.default))
                widget.setCursorPosition(0)  # show the start of a long value, not its end
            widget.setObjectName(f"field_{var.name}")
            if var.example:
                widget.setPlaceholderText(var.example)
            self._inputs[var.name] = widget
            self.fields.addRow(label, widget)
        self.fields.addRow(self.must_label, self.must_mention)  # one label column with the fields
        self.templateChanged.emit()

    def _remember_values(self) -> None:
        for name, widget in self._inputs.items():
            self._values[name] = _text(widget)

    # ----- reading and setting ----------------------------------------------------------------------------
    def variables(self) -> dict[str, str]:
        return {name: _text(widget).strip() for name, widget in self._inputs.items()}

    def missing_required(self) -> list[str]:
        template = self.current_template()
        values = self.variables()
        lang = content_language()
        return [_loc(v.label, lang) or v.name for v in (template.variables if template else [])
                if v.required and not values.get(v.name)]

    def set_field(self, name: str, value: str) -> None:
        widget = self._inputs.get(name)
        self._values[name] = value
        if isinstance(widget, QPlainTextEdit):
            widget.setPlainText(value)
        elif widget is not None:
            widget.setText(value)
            widget.setCursorPosition(0)

    def snapshot(self) -> dict:
        return {
            "content_type": self.content_type.currentData(), "platform": self.platform.currentData(),
            "template_id": self.template.currentData(), "brand": self.brand.currentData(),
            "tone": self.tone.currentData(), "length": self.length.currentData(),
            "lang": self.lang.currentData(),
        }

    def request(self) -> ComposeRequest:
        s = self.snapshot()
        return ComposeRequest(
            content_type=s["content_type"], platform=s["platform"], lang=s["lang"], fields=self.variables(),
            template_id=s["template_id"], brand=s["brand"], tone=s["tone"], length=s["length"],
            variants=self.variants.value(), best_of=self.best_of.value(),
            required=split_facts(self.must_mention.text()),
        )

    def load_generation(self, item: dict) -> None:
        """Fill the form from a history item (re-run with the same inputs)."""
        sampling = item.get("sampling") or {}
        keep = {
            "content_type": item.get("content_type"), "platform": item.get("platform"),
            "template_id": item.get("template_id"), "brand": item.get("brand_id"),
            "tone": item.get("tone"), "length": sampling.get("length"), "lang": item.get("lang"),
        }
        self._values.update({k: str(v) for k,
                             v in (item.get("inputs") or {}).items() if isinstance(v, str | int | float)})
        self._inputs = {}
        self._fill_all(keep)

    # ----- language -------------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.what_title.setText(self.tr("What to write"))
        self.product_title.setText(self.tr("Product"))
        self.style_title.setText(self.tr("Style"))
        self.required_hint.setText(self.tr("Fields marked * are required."))
        self.must_label.setText(self.tr("Must mention"))
        self.must_mention.setPlaceholderText(self.tr("e.g. 316 stainless steel, 12 h cold"))
        self.must_mention.setToolTip(self.tr("Facts every result must carry, separated by commas. A result "
                                             "that leaves one out is flagged and scores lower."))
        for label, text in zip(self._what_labels,
                               (self.tr("Content type"), self.tr("Platform"), self.tr("Template"))):
            label.setText(text)
        for label, text in zip(self._style_labels,
                               (self.tr("Brand profile"), self.tr("Tone"), self.tr("Length"),
                                self.tr("Output language"), self.tr("Variants"),
                                self.tr("Best of (keep the best-scoring)"))):
            label.setText(text)
        if self.choices is not None:
            self._remember_values()
            self._fill_all(self.snapshot())


def _text(widget) -> str:
    return widget.toPlainText() if isinstance(widget, QPlainTextEdit) else widget.text()


def _select(combo: QComboBox, data) -> bool:
    for i in range(combo.count()):
        if combo.itemData(i) == data:
            combo.setCurrentIndex(i)
            return True
    return False


def _fill(combo: QComboBox, items: list[tuple], selected=None) -> None:
    """Replace a combo's items (data, text), selecting `selected` when present."""
    previous = combo.blockSignals(True)
    combo.clear()
    for data, text in items:
        combo.addItem(text, data)
    if selected is None or not _select(combo, selected):
        combo.setCurrentIndex(0 if items else -1)
    combo.blockSignals(previous)
