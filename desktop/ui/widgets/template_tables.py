"""The template editor's two tables: variables (name, labels, required, sample value) and outputs (name,
type, platform field for the limit, descriptions). Each row keeps the data the table does not show
(a variable's default or multiline flag, a list's item bounds), so editing never loses it."""

from __future__ import annotations

import copy

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.i18n import Retranslating
from desktop.ui.widgets.kit import make_button

EXTRA = Qt.ItemDataRole.UserRole


class _EditableTable(Retranslating, QWidget):
    """A table with Add / Remove buttons; `changed` on every edit."""

    changed = Signal()
    COLUMNS = 0

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.read_only = False
        self._filling = False
        self.table = QTableWidget(0, self.COLUMNS)
        self.table.setObjectName(name)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setMinimumHeight(120)
        self.table.itemChanged.connect(self._on_item_changed)
        self.add_button = make_button(name + "AddButton", None, self.add_row)
        self.remove_button = make_button(name + "RemoveButton", "delete", self.remove_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.table)
        box.addLayout(buttons)
        self.retranslate()

    def _on_item_changed(self, _item) -> None:
        if not self._filling:
            self.changed.emit()

    def _text(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text().strip() if item else ""

    def _item(self, text: str, extra=None) -> QTableWidgetItem:
        item = QTableWidgetItem(text)
        if extra is not None:
            item.setData(EXTRA, extra)
        return item

    def _check(self, on: bool) -> QTableWidgetItem:
        item = QTableWidgetItem()
        item.setFlags(
            Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        )
        item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
        return item

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers if read_only
                                   else QAbstractItemView.EditTrigger.AllEditTriggers)
        self.add_button.setEnabled(not read_only)
        self.remove_button.setEnabled(not read_only)
        for row in range(self.table.rowCount()):
            for column in range(self.COLUMNS):
                item = self.table.item(row, column)
                if item is not None and item.flags() & Qt.ItemFlag.ItemIsUserCheckable:
                    flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                    item.setFlags(flags if read_only else flags | Qt.ItemFlag.ItemIsUserCheckable)
                widget = self.table.cellWidget(row, column)
                if widget is not None:
                    widget.setEnabled(not read_only)

    def remove_selected(self) -> None:
        rows = sorted({index.row() for index in self.table.selectedIndexes()}, reverse=True)
        for row in rows:
            self.table.removeRow(row)
        if rows:
            self.changed.emit()

    def add_row(self) -> None:
        raise NotImplementedError

    def retranslate(self) -> None:
        # Explicit context: this base method runs for both subclasses.
        self.add_button.setText(QCoreApplication.translate("TemplateTables", "Add"))
        self.remove_button.setText(QCoreApplication.translate("TemplateTables", "Remove"))


class VariablesTable(_EditableTable):
    COLUMNS = 5  # name, label zh, label en, required, sample value

    def set_variables(self, variables: list[dict], samples: dict) -> None:
        self._filling = True
        self.table.setRowCount(0)
        for variable in variables:
            self._append(variable, samples.get(variable["name"]) or variable.get("example") or "")
        self._filling = False
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)

    def _append(self, variable: dict, sample: str) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        label = variable.get("label") or {}
        self.table.setItem(row, 0, self._item(variable.get("name", ""), copy.deepcopy(variable)))
        self.table.setItem(row, 1, self._item(label.get("zh", "")))
        self.table.setItem(row, 2, self._item(label.get("en", "")))
        self.table.setItem(row, 3, self._check(bool(variable.get("required"))))
        self.table.setItem(row, 4, self._item(sample))

    def add_row(self) -> None:
        taken = set(self.names())
        n = 1
        while f"field_{n}" in taken:
            n += 1
        self._filling = True
        self._append({"name": f"field_{n}", "label": {}, "required": False}, "")
        self._filling = False
        self.table.setCurrentCell(self.table.rowCount() - 1, 0)
        self.changed.emit()

    def names(self) -> list[str]:
        return [self._text(r, 0) for r in range(self.table.rowCount())]

    def variables(self) -> list[dict]:
        out = []
        for r in range(self.table.rowCount()):
            base = dict(self.table.item(r, 0).data(EXTRA) or {}) if self.table.item(r, 0) else {}
            base["name"] = self._text(r, 0)
            base["label"] = {k: v for k, v in (("zh", self._text(r, 1)), ("en", self._text(r, 2))) if v}
            base["required"] = self.table.item(r, 3).checkState() == Qt.CheckState.Checked
            out.append(base)
        return out

    def samples(self) -> dict:
        return {self._text(r, 0): self._text(r, 4) for r in range(self.table.rowCount()) if self._text(r, 4)}

    def retranslate(self) -> None:
        super().retranslate()
        self.add_button.setText(self.tr("Add variable"))
        self.table.setHorizontalHeaderLabels([self.tr("Name"), self.tr("Label (中文)"),
                                              self.tr("Label (English)"),
                                              self.tr("Required"), self.tr("Sample value (for the preview)")])


class OutputsTable(_EditableTable):
    COLUMNS = 5  # name, type, limit field, description zh, description en

    def set_outputs(self, outputs: list[dict]) -> None:
        self._filling = True
        self.table.setRowCount(0)
        for output in outputs:
            self._append(output)
        self._filling = False
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)

    def _append(self, output: dict) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        description = output.get("description") or {}
        self.table.setItem(row, 0, self._item(output.get("name", ""), copy.deepcopy(output)))
        kind = QComboBox()
        kind.setObjectName("outputTypeCombo")
        kind.addItem(self.tr("Text"), "string")
        kind.addItem(self.tr("List"), "list")
        kind.setCurrentIndex(1 if output.get("type") == "list" else 0)
        kind.currentIndexChanged.connect(lambda *_: self.changed.emit())
        kind.setEnabled(not self.read_only)
        self.table.setCellWidget(row, 1, kind)
        self.table.setItem(row, 2, self._item(output.get("limit_field") or ""))
        self.table.setItem(row, 3, self._item(description.get("zh", "")))
        self.table.setItem(row, 4, self._item(description.get("en", "")))

    def add_row(self) -> None:
        taken = {self._text(r, 0) for r in range(self.table.rowCount())}
        n = 1
        while f"output_{n}" in taken:
            n += 1
        self._filling = True
        self._append({"name": f"output_{n}", "type": "string"})
        self._filling = False
        self.changed.emit()

    def outputs(self) -> list[dict]:
        out = []
        for r in range(self.table.rowCount()):
            base = dict(self.table.item(r, 0).data(EXTRA) or {}) if self.table.item(r, 0) else {}
            base["name"] = self._text(r, 0)
            kind = self.table.cellWidget(r, 1)
            base["type"] = kind.currentData() if kind is not None else "string"
            base["limit_field"] = self._text(r, 2) or None
            base["description"] = {k: v for k, v in (("zh", self._text(r, 3)), ("en", self._text(r, 4))) if v}
            out.append(base)
        return out

    def retranslate(self) -> None:
        super().retranslate()
        self.add_button.setText(self.tr("Add output"))
        self.table.setHorizontalHeaderLabels([self.tr("Name"), self.tr("Type"),
                                              self.tr("Platform field (limit)"),
                                              self.tr("Description (中文)"),
                                              self.tr("Description (English)")])
        for r in range(self.table.rowCount()):
            kind = self.table.cellWidget(r, 1)
            if kind is not None:
                kind.setItemText(0, self.tr("Text"))
                kind.setItemText(1, self.tr("List"))
