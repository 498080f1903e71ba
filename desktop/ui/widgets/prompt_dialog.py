""""Show prompt": the system and user prompt the model reads, and the answer format it is held to."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPlainTextEdit, QVBoxLayout, QWidget


class PromptDialog(QDialog):
    def __init__(self, prompt, parent: QWidget | None = None) -> None:
        """`prompt`: a RenderedPrompt (desktop.core.content.render)."""
        super().__init__(parent)
        self.setObjectName("promptDialog")
        self.setWindowTitle(self.tr("The prompt the model reads"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.view = QPlainTextEdit()
        self.view.setObjectName("promptView")
        self.view.setReadOnly(True)
        system_title, user_title = self.tr("System"), self.tr("User")
        text = f"# {system_title}\n{prompt.system}\n\n# {user_title}\n{prompt.user}"
        if prompt.json_schema:
            schema_title = self.tr("Answer format (JSON schema)")
            text += f"\n\n# {schema_title}\n{json.dumps(prompt.json_schema, ensure_ascii=False, indent=2)}"
        self.view.setPlainText(text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addWidget(self.view)
        box.addWidget(buttons)
        self.resize(720, 560)
