"""Checks shown where the merchant writes: findings underlined in the editor (with a tooltip), length
meters that turn red past the limit, and a list of findings with a one-click fix."""

from __future__ import annotations

import html
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTextEdit,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.theme import colour

REMOVE = "remove"


def qt_pos(text: str, offset: int) -> int:
    """A code-point offset as a QTextDocument position (UTF-16 units: an emoji counts 2)."""
    return len(text[:offset].encode("utf-16-le")) // 2


def clear_layout(layout) -> None:
    """Remove every item; widgets leave their parent at once (so findChild no longer sees them)."""
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget()
        if widget is not None:
            widget.hide()
            widget.setParent(None)
            widget.deleteLater()


@dataclass
class PlacedFinding:
    """A finding with its place in the editor's whole text (code points), or None when it has none."""

    finding: object  # desktop.core.checks.Finding
    start: int | None
    end: int | None


class FindingHighlighter(QObject):
    """Underlines placed findings in a QPlainTextEdit and shows their message on hover."""

    def __init__(self, editor: QPlainTextEdit) -> None:
        super().__init__(editor)
        self.editor = editor
        self.placed: list[PlacedFinding] = []
        editor.viewport().installEventFilter(self)

    def show(self, placed: list[PlacedFinding]) -> None:
        self.placed = [p for p in placed if p.start is not None]
        text = self.editor.toPlainText()
        selections = []
        for p in self.placed:
            fmt = QTextCharFormat()
            severe = getattr(p.finding, "severity", "") in ("block", "error")
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
            fmt.setUnderlineColor(colour("underline" if severe else "accent"))
            cursor = QTextCursor(self.editor.document())
            start, end = qt_pos(text, p.start), qt_pos(text, p.end)
            if start == end:  # an insertion point: mark the character before it
                start = max(0, start - 1)
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            selection = QTextEdit.ExtraSelection()
            selection.cursor = cursor
            selection.format = fmt
            selections.append(selection)
        self.editor.setExtraSelections(selections)

    def clear(self) -> None:
        self.placed = []
        self.editor.setExtraSelections([])

    def finding_at(self, position: int) -> object | None:
        text = self.editor.toPlainText()
        for p in self.placed:
            if qt_pos(text, p.start) <= position <= qt_pos(text, p.end):
                return p.finding
        return None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and self.placed:
            position = self.editor.cursorForPosition(event.pos()).position()
            finding = self.finding_at(position)
            if finding is not None:
                QToolTip.showText(event.globalPos(), finding.message, self.editor.viewport())
            else:
                QToolTip.hideText()
            return True
        return super().eventFilter(watched, event)


class MetersBar(QLabel):
    """The measured lengths in one wrapping line: "Title 18 / 30 · Body 120 / 1000", red when over."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lengthMeters")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.meters: list[tuple[str, int, int | None, bool]] = []  # (label, value, limit, over)

    def set_meters(self, meters: list[tuple[str, int, int | None, str]]) -> None:
        """meters: (label, value, limit or None, counter)."""
        self.meters = []
        parts = []
        muted, danger = colour("muted").name(), colour("danger").name()
        for name, value, limit, _counter in meters:
            over = limit is not None and value > limit
            self.meters.append((name, value, limit, over))
            text = html.escape(f"{name} {value} / {limit}" if limit is not None else f"{name} {value}")
            style = f"color:{danger};font-weight:600" if over else f"color:{muted}"
            parts.append(f'<span style="{style}">{text}</span>')
        self.setText(f' <span style="color:{muted}">·</span> '.join(parts))

    @property
    def any_over(self) -> bool:
        return any(m[3] for m in self.meters)


class FindingsList(QWidget):
    """The findings, each with its message and (when it has one) a button that applies the fix."""

    applyRequested = Signal(object)  # PlacedFinding

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("findingsList")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(4)
        self.rows: list[QWidget] = []

    def set_findings(self, placed: list[PlacedFinding]) -> None:
        clear_layout(self._layout)
        self.rows = []
        for p in placed:
            self._add_row(p)
        self.setVisible(bool(placed))

    def _add_row(self, placed: PlacedFinding) -> None:
        finding = placed.finding
        row = QWidget()
        row.setObjectName("findingRow")
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        severe = finding.severity in ("block", "error")
        dot = QLabel("●")
        dot.setStyleSheet(f"color: {colour('underline' if severe else 'accent').name()};")
        message = QLabel(finding.message)
        message.setWordWrap(True)
        message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(dot, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(message, 1)
        fixable = finding.suggestion not in ("", None) and placed.start is not None
        if fixable:
            button = QPushButton(_apply_text(finding))
            button.setObjectName("applySuggestionButton")
            button.clicked.connect(lambda _=False, p=placed: self.applyRequested.emit(p))
            layout.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        self._layout.addWidget(row)
        self.rows.append(row)


def _apply_text(finding) -> str:
    from PySide6.QtCore import QCoreApplication

    if finding.suggestion == REMOVE:
        return QCoreApplication.translate("FindingsList", "Remove “%1”").replace("%1", finding.text)
    if finding.start == finding.end:
        return QCoreApplication.translate("FindingsList", "Add “%1”").replace(
            "%1", finding.suggestion.strip()
        )
    return QCoreApplication.translate("FindingsList", "Use “%1”").replace("%1", finding.suggestion.strip())


def apply_placed(editor: QPlainTextEdit, placed: PlacedFinding) -> bool:
    """Replace the finding's words in the editor by its suggestion (undoable). False when the text
    changed since the check (the words are no longer there)."""
    finding = placed.finding
    text = editor.toPlainText()
    if placed.start is None or text[placed.start : placed.end] != finding.text:
        return False
    start, end = placed.start, placed.end
    replacement = "" if finding.suggestion == REMOVE else finding.suggestion
    if replacement == "" and start > 0 and text[start - 1] == " " and end < len(text) and text[end] == " ":
        end += 1  # "a best seller item" -> "a item", not "a  item"
    cursor = QTextCursor(editor.document())
    cursor.setPosition(qt_pos(text, start))
    cursor.setPosition(qt_pos(text, end), QTextCursor.MoveMode.KeepAnchor)
    cursor.insertText(replacement)
    return True
