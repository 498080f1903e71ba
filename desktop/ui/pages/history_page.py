"""History: every result, searchable as you type (Chinese and English), filtered, with a detail view,
re-run, delete and export. Searches run on the store thread; a newer search makes older answers moot."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.i18n import Retranslating, content_language
from desktop.ui.icons import icon
from desktop.ui.widgets.findings_view import FindingsList, PlacedFinding, ScoreLine
from desktop.ui.widgets.history_model import HistoryModel
from desktop.ui.widgets.kit import make_button
from desktop.ui.workers import StoreOp

SEARCH_DELAY_MS = 150
PAGE_ROWS = 500
EXPORT_FORMATS = (("csv", "CSV (*.csv)"), ("md", "Markdown (*.md)"), ("json", "JSON (*.json)"))


def create_page(ctx) -> QWidget:
    return HistoryPage(ctx)


def _query(db, text: str, filters: dict) -> dict:
    from desktop.core import platforms
    from desktop.core.content import presets
    from desktop.core.store.history import search

    rows = search(db, text, filters, limit=PAGE_ROWS)
    return {
        "rows": rows,
        "types": {k: v["name"] for k, v in presets.content_types().items()},
        "platforms": {k: p.name for k, p in platforms.platforms().items()},
    }


class HistoryPage(Retranslating, QWidget):
    def __init__(self, ctx) -> None:
        super().__init__()
        self.ctx = ctx
        self._search_seq = 0
        self.answered_seq = 0  # the search whose rows are shown
        self._dirty = True
        self.last_rows: list[dict] = []

        self.title = QLabel()
        self.title.setProperty("role", "title")
        self.search = QLineEdit()
        self.search.setObjectName("historySearch")
        self.search.setClearButtonEnabled(True)
        self.search.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.type_filter = QComboBox()
        self.type_filter.setObjectName("historyTypeFilter")
        self.platform_filter = QComboBox()
        self.platform_filter.setObjectName("historyPlatformFilter")
        self.favourites = QCheckBox()
        self.favourites.setObjectName("favouritesOnly")
        self.count_label = QLabel()
        self.count_label.setObjectName("historyCount")
        self.count_label.setProperty("role", "muted")

        self.model = HistoryModel(self)
        self.table = QTableView()
        self.table.setObjectName("historyTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().selectionChanged.connect(self._show_detail)
        self.table.doubleClicked.connect(lambda _index: self.rerun())

        self.meta = QLabel()
        self.meta.setObjectName("historyMeta")
        self.meta.setProperty("role", "muted")
        self.meta.setWordWrap(True)
        self.meta.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail = QPlainTextEdit()
        self.detail.setObjectName("historyDetail")
        self.detail.setReadOnly(True)
        self.score = ScoreLine()  # the stored review of the text shown (the edit's, once edited)
        self.findings = FindingsList()
        self.findings_scroll = QScrollArea()
        self.findings_scroll.setObjectName("historyFindings")
        self.findings_scroll.setWidgetResizable(True)
        self.findings_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.findings_scroll.setWidget(self.findings)
        self.findings_scroll.setMaximumHeight(110)
        self.findings_scroll.hide()
        self.rerun_button = make_button("rerunButton", "rerun", self.rerun)
        self.delete_button = make_button("deleteButton", "delete", self.delete_selected)
        self.export_button = make_button("exportButton", "export")
        self.export_menu = QMenu(self)
        self.export_button.setMenu(self.export_menu)

        filters = QHBoxLayout()
        filters.addWidget(self.search, 2)
        filters.addWidget(self.type_filter, 1)
        filters.addWidget(self.platform_filter, 1)
        filters.addWidget(self.favourites)
        actions = QHBoxLayout()
        actions.addWidget(self.rerun_button)
        actions.addWidget(self.delete_button)
        actions.addStretch(1)
        actions.addWidget(self.export_button)
        detail_box = QWidget()
        detail_layout = QVBoxLayout(detail_box)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.addWidget(self.meta)
        detail_layout.addWidget(self.detail, 1)
        detail_layout.addWidget(self.score)
        detail_layout.addWidget(self.findings_scroll)
        detail_layout.addLayout(actions)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(detail_box)
        splitter.setSizes([340, 380])  # the detail holds the text, its score and its findings
        outer = QVBoxLayout(self)
        outer.setContentsMargins(20, 16, 20, 12)
        outer.addWidget(self.title)
        outer.addLayout(filters)
        outer.addWidget(self.count_label)
        outer.addWidget(splitter, 1)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.run_search)
        self.search.textChanged.connect(lambda _text: self._timer.start())
        self.type_filter.currentIndexChanged.connect(lambda _i: self.run_search())
        self.platform_filter.currentIndexChanged.connect(lambda _i: self.run_search())
        self.favourites.toggled.connect(lambda _on: self.run_search())
        ctx.bus.historyChanged.connect(self._on_history_changed)
        self.retranslate()
        self._update_buttons()
        self.run_search()

    # ----- searching -------------------------------------------------------------------------------------
    def filters(self) -> dict:
        out = {}
        if self.type_filter.currentData():
            out["content_type"] = self.type_filter.currentData()
        if self.platform_filter.currentData():
            out["platform"] = self.platform_filter.currentData()
        if self.favourites.isChecked():
            out["favourite"] = True
        return out

    @property
    def search_pending(self) -> bool:
        return self._timer.isActive() or self.answered_seq != self._search_seq

    def run_search(self) -> None:
        """Search now (the box waits SEARCH_DELAY_MS after the last key before calling this)."""
        self._timer.stop()
        self._search_seq += 1
        seq = self._search_seq
        self._dirty = False
        StoreOp(self, _query, self.search.text().strip(), self.filters()) \
            .on_success(lambda answer: self._show_rows(seq, answer)).on_failure(self._show_error).run()

    def _show_rows(self, seq: int, answer: dict) -> None:
        if seq != self._search_seq:
            return  # an older search: a newer one is on its way
        self.answered_seq = seq
        selected = set(self.selected_ids())
        self.model.type_names, self.model.platform_names = answer["types"], answer["platforms"]
        self._fill_filters(answer["types"], answer["platforms"])
        self.last_rows = answer["rows"]
        self.model.set_rows(answer["rows"])
        shown = len(answer["rows"])
        if not shown:
            self.count_label.setText(self.tr("Nothing found.") if self.search.text().strip() or self.filters()
                                     else self.tr("No results yet: what you generate on Compose "
                                                  "appears here."))
        else:
            self.count_label.setText(self.tr("%n result(s)", "", shown))
        for row, item in enumerate(answer["rows"]):
            if item["id"] in selected:
                self.table.selectRow(row)
        self._show_detail()

    def _fill_filters(self, types: dict, platform_names: dict) -> None:
        lang = content_language()
        for combo, names, everything in ((self.type_filter, types, self.tr("All content types")),
                                         (self.platform_filter, platform_names, self.tr("All platforms"))):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(everything, None)
            for key, name in names.items():
                combo.addItem(name.get(lang) or name.get("en") or key, key)
            index = combo.findData(current) if current else 0
            combo.setCurrentIndex(max(0, index))
            combo.blockSignals(False)

    def _on_history_changed(self) -> None:
        self._dirty = True
        if self.isVisible():
            self._timer.start()

    def page_shown(self) -> None:
        if self._dirty:
            self.run_search()

    # ----- selection, detail --------------------------------------------------------------------------------
    def selected_ids(self) -> list[int]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.model.row_at(r)["id"] for r in rows if r < len(self.model.rows)]

    def selected_items(self) -> list[dict]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.model.row_at(r) for r in rows if r < len(self.model.rows)]

    def _show_detail(self, *_args) -> None:
        items = self.selected_items()
        self._update_buttons()
        if len(items) != 1:
            self._show_review(None)
            self.detail.setPlainText("")
            self.meta.setText(self.tr("%n selected",
                                      "", len(items)) if items else self.tr("Select a result to see it."))
            return
        item = items[0]
        stats = item.get("stats") or {}
        self.detail.setPlainText(item.get("edited_text") or item.get("text") or "")
        self._show_review(item)
        inputs = "; ".join(f"{k}: {v}" for k, v in (item.get("inputs") or {}).items() if v)
        self.meta.setText(
            self.tr("Model %1 · template %2 · %3 tokens at %4 tok/s · edited: %5")
            .replace("%1", item.get("model_id") or "?")
            .replace("%2", item.get("template_id") or "?")
            .replace("%3", str(stats.get("completion_tokens", "?")))
            .replace("%4", f"{float(stats.get('tokens_per_s') or 0):.1f}")
            .replace("%5", self.tr("yes") if item.get("edited_text") else self.tr("no"))
            + ("\n" + self.tr("Inputs: %1").replace("%1", inputs) if inputs else "")
        )

    def _show_review(self, item: dict | None) -> None:
        """The score and findings stored with the item (listed: the text here is read-only)."""
        from desktop.core.checks.findings import Finding

        stored = (item or {}).get("findings") or []
        findings = [PlacedFinding(Finding.from_dict(f), None, None) for f in stored if isinstance(f, dict)]
        score = (item or {}).get("score")
        self.score.set_score(score if isinstance(score, dict) else None, content_language())
        self.findings.set_findings(findings)
        self.findings_scroll.setVisible(bool(findings))

    def _update_buttons(self) -> None:
        count = len(self.selected_ids())
        self.rerun_button.setEnabled(count == 1)
        self.delete_button.setEnabled(count > 0)
        self.export_button.setEnabled(bool(self.model.rows))

    # ----- actions ------------------------------------------------------------------------------------------
    def rerun(self) -> None:
        items = self.selected_items()
        if len(items) == 1:
            self.ctx.navigate("compose", generation=items[0], run=True)

    def delete_selected(self, confirm: bool = True) -> QMessageBox | None:
        ids = self.selected_ids()
        if not ids:
            return None
        if not confirm:
            self._delete(ids)
            return None
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Delete results"),
                          self.tr("Delete %n result(s) from the history? This cannot be undone.",
                                  "", len(ids)),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, self)
        box.setObjectName("confirmDeleteBox")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.accepted.connect(lambda: self._delete(ids))
        box.open()
        return box

    def _delete(self, ids: list[int]) -> None:
        from desktop.core.store.history import delete_generations

        StoreOp(self, delete_generations, ids).on_success(lambda _n: self.ctx.bus.historyChanged.emit()) \
            .on_failure(self._show_error).run()

    def _choose_export(self, fmt: str, filter_text: str) -> None:
        name = f"shopscribe-history.{fmt}"
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export history"),
                                              str(Path.home() / name), filter_text)
        if path:
            self.export(Path(path), fmt)

    def export(self, path: Path, fmt: str) -> StoreOp:
        """Export the selection (everything shown when nothing is selected); runs on the store thread."""
        from desktop.core.history_export import export_generations

        def exported(count: int) -> None:
            self.ctx.status(self.tr("Exported %n result(s) to %1", "", count).replace("%1", str(path)))

        ids = self.selected_ids() or [row["id"] for row in self.model.rows]
        return StoreOp(self, export_generations, ids, fmt, path).on_success(exported) \
            .on_failure(self._show_error).run()

    def _show_error(self, exc) -> None:
        self.ctx.show_error(self.tr("History"), exc, self)

    # ----- language -----------------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.title.setText(self.tr("History"))
        self.search.setPlaceholderText(self.tr("Search products and texts (中文 or English)…"))
        self.favourites.setText(self.tr("Favourites only"))
        self.rerun_button.setText(self.tr("Re-run"))
        self.rerun_button.setToolTip(self.tr("Open on Compose with the same inputs and generate again"))
        self.delete_button.setText(self.tr("Delete"))
        self.export_button.setText(self.tr("Export"))
        self.export_menu.clear()
        for fmt, filter_text in EXPORT_FORMATS:
            action = self.export_menu.addAction(
                self.tr("Export as %1").replace("%1", filter_text.split(" ")[0])
            )
            action.triggered.connect(lambda _=False, f=fmt, t=filter_text: self._choose_export(f, t))
        self.model.refresh_names()
        if self.model.type_names:
            self._fill_filters(self.model.type_names, self.model.platform_names)
        self._show_detail()
