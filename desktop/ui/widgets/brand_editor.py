"""The brand editor: name, voice, audience, words to use, banned words, must-use phrases, trademarks and
examples, checked while typing, with the block the brand adds to every prompt shown live."""

from __future__ import annotations

import re

from PySide6.QtCore import Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.i18n import Retranslating, content_language
from desktop.ui.widgets.kit import set_role

LIST_FIELDS = ("use_words", "banned_words", "must_use", "trademarks")


def split_examples(text: str) -> list[str]:
    """Examples are separated by an empty line."""
    return [part.strip() for part in re.split(r"\n\s*\n", text) if part.strip()]


def brand_problems(brand_data: dict, lang: str) -> list[str]:
    """What would make this brand contradict itself (shown while typing; saving still works)."""
    problems = []
    banned = {w.lower() for w in brand_data["banned_words"]}
    for key in ("must_use", "use_words", "trademarks"):
        clash = [w for w in brand_data[key] if w.lower() in banned]
        if clash:
            sep = "、" if lang == "zh" else ", "
            problems.append(sep.join(clash))
    return problems


class BrandEditor(Retranslating, QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.brand_id: int | None = None
        self._filling = False
        self.name = QLineEdit()
        self.name.setObjectName("brandNameEdit")
        self.voice = QPlainTextEdit()
        self.voice.setObjectName("brandVoiceEdit")
        self.voice.setMaximumHeight(70)
        self.audience = QLineEdit()
        self.audience.setObjectName("brandAudienceEdit")
        self.words = {key: QLineEdit() for key in LIST_FIELDS}
        for key, edit in self.words.items():
            edit.setObjectName(f"brand_{key}_edit")
        self.examples = QPlainTextEdit()
        self.examples.setObjectName("brandExamplesEdit")
        self.examples.setMinimumHeight(80)
        self.examples.setMaximumHeight(130)
        self.status = QLabel()
        self.status.setObjectName("brandValidation")
        self.status.setWordWrap(True)

        self.preview_title = QLabel()
        self.preview_title.setProperty("role", "section")
        self.preview_lang = QComboBox()
        self.preview_lang.setObjectName("brandPreviewLang")
        self.preview_lang.addItem("中文", "zh")
        self.preview_lang.addItem("English", "en")
        self.preview_lang.setCurrentIndex(0 if content_language() == "zh" else 1)
        self.preview_lang.currentIndexChanged.connect(lambda *_: self.refresh_preview())
        self.preview = QPlainTextEdit()
        self.preview.setObjectName("brandPreviewView")
        self.preview.setReadOnly(True)
        self.preview.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.preview.setMinimumHeight(110)
        self.preview.setMaximumHeight(170)

        self.form = QFormLayout()
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self._labels = [QLabel() for _ in range(8)]
        widgets = [self.name, self.voice, self.audience, *self.words.values(), self.examples]
        for label, widget in zip(self._labels, widgets):
            label.setWordWrap(True)
            self.form.addRow(label, widget)
        preview_row = QHBoxLayout()
        preview_row.addWidget(self.preview_title, 1)
        preview_row.addWidget(self.preview_lang)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(self.form)
        box.addWidget(self.status)
        box.addLayout(preview_row)
        box.addWidget(self.preview)

        for edit in (self.name, self.audience, *self.words.values()):
            edit.textChanged.connect(self._on_change)
        for edit in (self.voice, self.examples):
            edit.textChanged.connect(self._on_change)
        self.retranslate()

    def _on_change(self, *_args) -> None:
        if not self._filling:
            self.refresh_preview()
            self.changed.emit()

    # ----- data -----------------------------------------------------------------------------------------
    def load(self, brand) -> None:
        """Show a Brand (or a new, empty one for None)."""
        self._filling = True
        self.brand_id = brand.id if brand else None
        self.name.setText(brand.name if brand else "")
        self.voice.setPlainText(brand.voice if brand else "")
        self.audience.setText(brand.audience if brand else "")
        sep = "、" if content_language() == "zh" else ", "
        for key, edit in self.words.items():
            edit.setText(sep.join(getattr(brand, key)) if brand else "")
        self.examples.setPlainText("\n\n".join(brand.examples) if brand else "")
        self._filling = False
        self.refresh_preview()

    def data(self) -> dict:
        from desktop.core.content.brands import split_words

        out = {"name": self.name.text().strip(), "voice": self.voice.toPlainText().strip(),
               "audience": self.audience.text().strip(),
               "examples": split_examples(self.examples.toPlainText()), "id": self.brand_id}
        for key, edit in self.words.items():
            out[key] = split_words(edit.text())
        return out

    def brand(self):
        """The Brand as typed; raises BrandError (no name)."""
        from desktop.core.content.brands import Brand

        return Brand.from_dict(self.data())

    def valid(self) -> bool:
        return bool(self.name.text().strip())

    def refresh_preview(self) -> None:
        from desktop.core.content.brands import brand_prompt_block

        lang = self.preview_lang.currentData()
        data = self.data()
        if not data["name"]:
            self.status.setText(self.tr("A brand needs a name: type one to save it."))
            set_role(self.status, "info")
            self.preview.clear()
            return
        problems = brand_problems(data, content_language())
        if problems:
            self.status.setText(self.tr("These words are banned and wanted at once: %1. Remove them "
                                        "from one of the lists.").replace("%1", "; ".join(problems)))
            set_role(self.status, "banner")
        else:
            self.status.setText("✓ " + self.tr("Every generation with this brand gets the block below."))
            set_role(self.status, "muted")
        self.preview.setPlainText(brand_prompt_block(self.brand(), lang))

    # ----- language -----------------------------------------------------------------------------------------
    def retranslate(self) -> None:
        texts = [self.tr("Name"), self.tr("Voice"), self.tr("Audience"), self.tr("Words to use"),
                 self.tr("Banned words"), self.tr("Must-use phrases"), self.tr("Trademarks"),
                 self.tr("Examples")]
        for label, text in zip(self._labels, texts):
            label.setText(text)
        self.voice.setPlaceholderText(self.tr("How the brand speaks, e.g. warm, plain, a little playful"))
        self.audience.setPlaceholderText(self.tr("Who buys, e.g. young parents in big cities"))
        hints = {"use_words": self.tr("Separate with commas, e.g. 匠心、天然"),
                 "banned_words": self.tr("Never written, and flagged by the checks"),
                 "must_use": self.tr("Phrases every text must contain"),
                 "trademarks": self.tr("Written exactly as given (and exempt from the ad-law check)")}
        for key, edit in self.words.items():
            edit.setPlaceholderText(hints[key])
        self.examples.setPlaceholderText(self.tr("A few texts in the brand's voice; separate them "
                                                 "with an empty line. The model copies the tone only."))
        self.preview_title.setText(self.tr("What the brand adds to every prompt"))
        self.refresh_preview()
