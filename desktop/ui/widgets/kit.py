"""The window's widget kit: the small pieces every page builds with. Sizes and durations a merchant reads,
fit labels in the theme's colours, read-only tables, named buttons, splitters, page headings, banners and
a Yes/No question that never blocks. (Running work off the GUI thread is desktop/ui/workers.py; an
error's words are desktop/ui/errors.py.)"""

from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.errors import error_message
from desktop.ui.i18n import content_language
from desktop.ui.icons import icon
from desktop.ui.theme import colour


def human_bytes(n: int | float | None) -> str:
    if n is None:
        return "—"
    n = float(n)
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if abs(n) < 1024 or unit == "TB":
            return f"{n:.0f} {unit}" if unit in ("B", "KB") else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} TB"


def human_duration(seconds: float | None) -> str:
    """A short, translated duration ("3 min 20 s left" uses it)."""
    if seconds is None or seconds < 0:
        return "—"
    seconds = int(round(seconds))
    if seconds < 60:
        return QCoreApplication.translate("Models", "%1 s").replace("%1", str(seconds))
    if seconds < 3600:
        return (
            QCoreApplication.translate("Models", "%1 min %2 s")
            .replace("%1", str(seconds // 60))
            .replace("%2", str(seconds % 60))
        )
    return (
        QCoreApplication.translate("Models", "%1 h %2 min")
        .replace("%1", str(seconds // 3600))
        .replace("%2", str(seconds % 3600 // 60))
    )


def human_count(n: int | None) -> str:
    if n is None:
        return "—"
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f}M"
    if n >= 10_000:
        return f"{n / 1000:.0f}k"
    return f"{n:,}"


FIT_COLOURS = {"fits": "ok", "tight": "accent", "wont_fit": "danger"}


def fit_item(estimate, lang: str | None = None) -> QTableWidgetItem:
    """A table cell with the fit label in its colour and the numbers in the tooltip."""
    lang = lang or content_language()
    if estimate is None:
        return text_item("—")
    item = text_item(estimate.label_text(lang))
    item.setForeground(colour(FIT_COLOURS.get(estimate.label, "muted")))
    item.setToolTip(estimate.text(lang))
    item.setData(Qt.ItemDataRole.UserRole + 1, estimate.label)
    return item


def text_item(text: str, data=None, tooltip: str = "") -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled)
    if data is not None:
        item.setData(Qt.ItemDataRole.UserRole, data)
    if tooltip:
        item.setToolTip(tooltip)
    return item


def make_table(name: str, columns: int, stretch: int | None = None,
               parent: QWidget | None = None) -> QTableWidget:
    """A read-only table with whole-row selection (column `stretch` takes the spare width)."""
    table = QTableWidget(0, columns, parent)
    table.setObjectName(name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.verticalHeader().hide()
    table.setWordWrap(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setHighlightSections(False)
    if stretch is not None:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table


def set_headers(table: QTableWidget, labels: list[str]) -> None:
    table.setHorizontalHeaderLabels(labels)


def selected_data(table: QTableWidget, column: int = 0):
    rows = table.selectionModel().selectedRows(column) if table.selectionModel() else []
    if not rows:
        return None
    return rows[0].data(Qt.ItemDataRole.UserRole)


def select_by_data(table: QTableWidget, value, column: int = 0) -> bool:
    for row in range(table.rowCount()):
        item = table.item(row, column)
        if item is not None and item.data(Qt.ItemDataRole.UserRole) == value:
            table.selectRow(row)
            return True
    return False


def set_role(widget: QWidget, role: str) -> None:
    """Change a widget's style role and re-apply the style sheet."""
    if widget.property("role") != role:
        widget.setProperty("role", role)
        widget.style().unpolish(widget)
        widget.style().polish(widget)


def make_button(name: str, icon_name: str | None = None, slot=None, *, primary: bool = False) -> QPushButton:
    """A push button with its objectName; a primary one takes the accent colour, so its icon is white.
    The text is set by the owner's retranslate()."""
    button = QPushButton()
    button.setObjectName(name)
    if primary:
        button.setProperty("role", "primary")
    if icon_name:
        button.setIcon(icon(icon_name, "#ffffff") if primary else icon(icon_name))
    if slot is not None:
        button.clicked.connect(slot)
    return button


def make_splitter(*panes: QWidget, vertical: bool = False, stretch: dict[int, int] | None = None,
                  sizes: list[int] | None = None) -> QSplitter:
    """Panes side by side (or stacked) that the merchant can resize but never collapse to nothing;
    `stretch` maps a pane's index to its share of spare room."""
    splitter = QSplitter(Qt.Orientation.Vertical if vertical else Qt.Orientation.Horizontal)
    for pane in panes:
        splitter.addWidget(pane)
    for index, factor in (stretch or {}).items():
        splitter.setStretchFactor(index, factor)
    if sizes:
        splitter.setSizes(sizes)
    splitter.setChildrenCollapsible(False)
    return splitter


def titled_pane(title: QLabel, button: QPushButton, view: QWidget) -> QWidget:
    """A section under a splitter: its title with one action on the right, and the view below it."""
    pane = QWidget()
    box = QVBoxLayout(pane)
    box.setContentsMargins(0, 6, 0, 0)
    row = QHBoxLayout()
    row.addWidget(title, 1)
    row.addWidget(button)
    box.addLayout(row)
    box.addWidget(view, 1)
    return pane


def page_heading() -> tuple[QLabel, QLabel]:
    """A page's title and its word-wrapped subtitle (the texts are set by the page's retranslate())."""
    title = QLabel()
    title.setProperty("role", "title")
    subtitle = QLabel()
    subtitle.setProperty("role", "subtitle")
    subtitle.setWordWrap(True)
    return title, subtitle


def message_label(name: str) -> QLabel:
    """A banner for a page's messages (hidden while empty); `show_message(label, text, kind)`."""
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setProperty("role", "banner")
    label.hide()
    return label


def show_message(label: QLabel, text: str, kind: str = "error") -> None:
    if not shiboken6.isValid(label):  # a worker's answer arriving after its page was closed
        return
    set_role(label, "banner" if kind == "error" else "info")
    label.setText(text)
    label.setVisible(bool(text))


def in_banner(label: QLabel) -> Callable[[BaseException | str], None]:
    """An Op's `on_failure` that says the error in a page's banner (instead of a message box)."""
    return lambda exc: show_message(label, error_message(exc))


def ask(parent: QWidget, title: str, text: str, on_yes, yes_text: str = "") -> QMessageBox:
    """A Yes/No question that never blocks the event loop; `on_yes()` runs when the merchant agrees."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text,
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent)
    box.setObjectName("confirmBox")
    box.setDefaultButton(QMessageBox.StandardButton.No)
    if yes_text:
        box.button(QMessageBox.StandardButton.Yes).setText(yes_text)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def clicked(button) -> None:
        if box.standardButton(button) == QMessageBox.StandardButton.Yes:
            on_yes()

    box.buttonClicked.connect(clicked)
    box.open()
    return box
