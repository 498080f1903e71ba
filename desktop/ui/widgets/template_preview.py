"""The template's live check and preview: the data is validated as a template, rendered in both languages
with the sample values (a missing variable, a syntax error or an unknown field is named), and the
rendered prompt of the chosen language is shown. Rendering is pure and takes a millisecond, so it runs
on a short debounce after each edit."""

from __future__ import annotations

import json

from PySide6.QtCore import Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from desktop.ui.errors import error_message
from desktop.ui.i18n import Retranslating, content_language
from desktop.ui.widgets.kit import set_role


def check_and_render(data: dict, lang: str):
    """(rendered prompt of `lang` or None, error text or "") for a template's data."""
    from desktop.core.content.render import render_preview
    from desktop.core.content.templates import template_from_dict
    from desktop.core.errors import ShopscribeError

    try:
        template = template_from_dict(data)
    except ShopscribeError as exc:
        return None, error_message(exc)
    rendered, error = None, ""
    for each in (lang, *[other for other in ("zh", "en") if other != lang]):
        if not template.system.get(each, "").strip() and not template.user.get(each, "").strip():
            continue  # a template may speak one language only
        try:
            prompt = render_preview(template, each)
        except ShopscribeError as exc:
            error = error or error_message(exc)
            continue
        if each == lang:
            rendered = prompt
    return rendered, error


class TemplatePreview(Retranslating, QWidget):
    validated = Signal(bool)  # True when the template is valid and renders

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data: dict | None = None
        self.valid = False
        self.title = QLabel()
        self.title.setProperty("role", "section")
        self.lang = QComboBox()
        self.lang.setObjectName("previewLangCombo")
        self.lang.addItem("中文", "zh")
        self.lang.addItem("English", "en")
        self.lang.setCurrentIndex(0 if content_language() == "zh" else 1)
        self.lang.currentIndexChanged.connect(lambda *_: self.refresh())
        self.status = QLabel()
        self.status.setObjectName("templateValidation")
        self.status.setWordWrap(True)
        self.status.setProperty("role", "info")
        self.view = QPlainTextEdit()
        self.view.setObjectName("templatePreviewView")
        self.view.setReadOnly(True)
        self.view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.hint = QLabel()
        self.hint.setProperty("role", "muted")
        self.hint.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.lang)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(top)
        box.addWidget(self.status)
        box.addWidget(self.view, 1)
        box.addWidget(self.hint)
        self.retranslate()

    def show_template(self, data: dict | None) -> None:
        self.data = data
        self.refresh()

    def refresh(self) -> None:
        if self.data is None:
            self.view.clear()
            self.status.clear()
            self.valid = False
            return
        prompt, error = check_and_render(self.data, self.lang.currentData())
        self.valid = not error
        if error:
            self.status.setText(error)
            set_role(self.status, "banner")
        else:
            self.status.setText("✓ " + self.tr("The template is valid. The preview uses the sample values."))
            set_role(self.status, "muted")
        if prompt is not None:
            text = f"# {self.tr('System')}\n{prompt.system}\n\n# {self.tr('User')}\n{prompt.user}"
            if prompt.json_schema:
                text += f"\n\n# {self.tr('Answer format (JSON schema)')}\n" + json.dumps(
                    prompt.json_schema, ensure_ascii=False, indent=2)
            if text != self.view.toPlainText():
                scroll = self.view.verticalScrollBar().value()
                self.view.setPlainText(text)
                self.view.verticalScrollBar().setValue(scroll)
            self.view.setEnabled(True)
        else:
            self.view.setEnabled(False)  # keep the last good preview, greyed
        self.validated.emit(self.valid)

    def retranslate(self) -> None:
        self.title.setText(self.tr("Prompt preview"))
        self.title.setToolTip(self.tr("The prompt the model reads, rendered with the sample values"))
        self.hint.setText(self.tr("Change the sample values in the Variables tab to see the prompt "
                                  "with other products. Variables: {{ product }} lists every product field; "
                                  "{{ rules }} adds the honesty rules; any variable name inserts its value."))
        if self.data is not None:
            self.refresh()
