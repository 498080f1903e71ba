"""The history table's model: rows of generations (dicts from the store), a few columns."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from desktop.ui.i18n import content_language


def _loc(names: dict | None, fallback: str) -> str:
    if not names:
        return fallback or ""
    return names.get(content_language()) or names.get("en") or fallback


class HistoryModel(QAbstractTableModel):
    COLUMNS = ("favourite", "created_at", "content_type", "platform", "text", "rating")

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.rows: list[dict] = []
        self.type_names: dict[str, dict] = {}
        self.platform_names: dict[str, dict] = {}

    def set_rows(self, rows: list[dict]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def row_at(self, row: int) -> dict:
        return self.rows[row]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return [
            "♥", self.tr("Date"), self.tr("Content type"), self.tr("Platform"), self.tr("Text"),
            self.tr("Rating"),
        ][section]

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        item = self.rows[index.row()]
        column = self.COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            if column == "favourite":
                return "♥" if item.get("favourite") else ""
            if column == "created_at":
                return (item.get("created_at") or "").replace("T", " ")[:16]
            if column == "content_type":
                return _loc(self.type_names.get(item.get("content_type") or ""),
                            item.get("content_type") or "")
            if column == "platform":
                return _loc(self.platform_names.get(item.get("platform") or ""), item.get("platform") or "")
            if column == "text":
                text = item.get("edited_text") or item.get("text") or ""
                return " ".join(text.split())[:160]
            if column == "rating":
                return "★" * int(item.get("rating") or 0)
        if role == Qt.ItemDataRole.ToolTipRole and column == "text":
            return (item.get("edited_text") or item.get("text") or "")[:600]
        if role == Qt.ItemDataRole.UserRole:
            return item.get("id")
        return None

    def refresh_names(self) -> None:
        """After a language change: the same rows, new labels."""
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, len(self.COLUMNS) - 1))
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.COLUMNS) - 1)
