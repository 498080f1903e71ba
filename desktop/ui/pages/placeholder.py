"""A page whose capability is not in the window yet: it says so plainly and points to what exists."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from desktop.ui.i18n import Retranslating
from desktop.ui.pages import PageSpec, page_spec


class PlaceholderPage(Retranslating, QWidget):
    def __init__(self, spec: PageSpec, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec, self.ctx = spec, ctx
        self.setObjectName(f"{spec.key}Placeholder")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 28, 32, 28)
        layout.setSpacing(14)
        self.title = QLabel()
        self.title.setProperty("role", "title")
        self.body = QLabel()
        self.body.setObjectName("placeholderText")
        self.body.setWordWrap(True)
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.body.setMaximumWidth(640)
        self.button = QPushButton()
        self.button.setObjectName("placeholderButton")
        self.button.clicked.connect(lambda: ctx.navigate(spec.fallback))
        layout.addWidget(self.title)
        layout.addWidget(self.body)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.spec.translated_title())
        self.body.setText(QCoreApplication.translate("Pages", self.spec.missing))
        target = page_spec(self.spec.fallback).translated_title()
        self.button.setText(QCoreApplication.translate("Pages", "Open %1").replace("%1", target))
