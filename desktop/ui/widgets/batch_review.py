"""Step 3 of a batch: the review table (status, result, findings per item), filters, the selected item's
fields to edit, accept / reject / regenerate, and the export (Shopify CSV, CSV in an encoding, XLSX)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QTabBar,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.errors import error_message
from desktop.ui.i18n import Retranslating, content_language
from desktop.ui.theme import colour
from desktop.ui.widgets import batch_work as work
from desktop.ui.widgets.batch_item import ItemEditor, held_back
from desktop.ui.widgets.kit import (
    in_banner,
    make_button,
    make_splitter,
    make_table,
    message_label,
    select_by_data,
    selected_data,
    show_message,
    text_item,
)
from desktop.ui.workers import Op, StoreOp

STATUS_NAMES = {
    "pending": QT_TRANSLATE_NOOP("BatchStatus", "Waiting"),
    "running": QT_TRANSLATE_NOOP("BatchStatus", "Writing"),
    "done": QT_TRANSLATE_NOOP("BatchStatus", "Done"), "failed": QT_TRANSLATE_NOOP("BatchStatus", "Failed"),
    "accepted": QT_TRANSLATE_NOOP("BatchStatus", "Accepted"),
    "rejected": QT_TRANSLATE_NOOP("BatchStatus", "Rejected"),
    "cancelled": QT_TRANSLATE_NOOP("BatchStatus", "Cancelled"),
    "completed": QT_TRANSLATE_NOOP("BatchStatus", "Complete"),
    "paused": QT_TRANSLATE_NOOP("BatchStatus", "Paused"),
}
STATUS_COLOURS = {"failed": "danger", "accepted": "ok", "rejected": "muted", "cancelled": "muted",
                  "held": "danger"}
# done, but a block finding keeps it out of the export until the merchant accepts it
HELD_BACK = QT_TRANSLATE_NOOP("BatchStatus", "Held back")
SORTS = ("score", "position")  # worst score first (the default: review the worst first), or the file's order
FILTERS = (None, "review", "failed", "findings", "accepted")
EXPORTS = (("shopify", None), ("csv", "utf-8"), ("csv", "utf-8-sig"), ("csv", "gb18030"), ("xlsx", None))


def status_name(status: str) -> str:
    return QCoreApplication.translate("BatchStatus", STATUS_NAMES.get(status, status))


def serious(findings: list[dict] | None) -> list[dict]:
    return [f for f in findings or [] if f.get("severity") in ("block", "warn")]


def score_value(item: dict) -> int | None:
    score = item.get("score")
    return score.get("value") if isinstance(score, dict) else None


def sort_items(items: list[dict], by: str) -> list[dict]:
    """`score`: lowest quality score first, items without a score (not generated) last; else job order."""
    if by != "score":
        return sorted(items, key=lambda i: i["position"])
    return sorted(items, key=lambda i: (score_value(i) is None, score_value(i) or 0, i["position"]))


class ReviewPanel(Retranslating, QWidget):
    regenerateRequested = Signal(int)  # item id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.job = None
        self.items: list[dict] = []
        self.outputs: list[str] = []
        self.labels: dict[str, str] = {}
        self.jobs: list[tuple] = []
        self.busy = False  # a job or a regeneration holds the engine
        self.job_combo = QComboBox()
        self.job_combo.setObjectName("jobCombo")
        self.job_combo.setMinimumContentsLength(30)
        self.job_combo.currentIndexChanged.connect(lambda *_: self.reload())
        self.filters = QTabBar()
        self.filters.setObjectName("itemFilters")
        self.filters.setDrawBase(False)
        self.filters.setExpanding(False)
        for _name in FILTERS:
            self.filters.addTab("")
        self.filters.currentChanged.connect(lambda *_: self.reload())
        filters = QHBoxLayout()
        filters.addWidget(self.filters)
        filters.addStretch(1)
        self.sort_choice = QComboBox()
        self.sort_choice.setObjectName("reviewSortCombo")
        self.sort_choice.currentIndexChanged.connect(lambda *_: self._fill())
        filters.addWidget(self.sort_choice)
        self.message = message_label("reviewMessage")
        self.table = make_table("itemsTable", 6, stretch=3)
        self.table.itemSelectionChanged.connect(self._on_selection)
        self.editor = ItemEditor()
        self.editor.saveRequested.connect(self.save_edit)
        self.editor.reviewRequested.connect(self.review)
        self.editor.regenerateRequested.connect(self.regenerateRequested.emit)
        self.export_choice = QComboBox()
        self.export_choice.setObjectName("exportFormatCombo")
        self.export_button = make_button("exportBatchButton", "export", self.choose_export, primary=True)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(300)
        self._timer.timeout.connect(self.reload)

        top = QHBoxLayout()
        top.addWidget(self.job_combo, 1)
        top.addSpacing(12)
        top.addWidget(self.export_choice)
        top.addWidget(self.export_button)
        splitter = make_splitter(self.table, self.editor, sizes=[560, 400])
        box = QVBoxLayout(self)
        box.setContentsMargins(12, 12, 12, 12)
        box.addLayout(top)
        box.addLayout(filters)
        box.addWidget(self.message)
        box.addWidget(splitter, 1)
        self.retranslate()

    # ----- jobs and items ---------------------------------------------------------------------------------
    def set_jobs(self, jobs: list[tuple], select: int | None = None) -> None:
        """`jobs`: (Job, template name by language) pairs, newest first."""
        keep = select if select is not None else self.job_combo.currentData()
        lang = content_language()
        self.jobs = jobs
        self.job_combo.blockSignals(True)
        self.job_combo.clear()
        for job, names in jobs:
            template = names.get(lang) or names.get("en") or job.template_id or job.content_type or ""
            label = self.tr("Job %1 · %2 · %3 of %4 · %5").replace("%1", str(job.id)) \
                .replace("%2", template).replace("%3", str(job.done + job.failed)) \
                .replace("%4", str(job.total)).replace("%5", status_name(job.status))
            self.job_combo.addItem(label, job.id)
        index = self.job_combo.findData(keep)
        self.job_combo.setCurrentIndex(index if index >= 0 else 0)
        self.job_combo.blockSignals(False)
        self.reload()

    def current_filter(self) -> str | None:
        return FILTERS[max(0, self.filters.currentIndex())]

    def reload(self) -> None:
        job_id = self.job_combo.currentData()
        if job_id is None:
            self.job, self.items = None, []
            self._fill()
            return
        StoreOp(self, work.job_view, job_id, self.current_filter(), content_language()) \
            .on_success(self._on_view).on_failure(in_banner(self.message)).run()

    def reload_soon(self) -> None:
        self._timer.start()

    def _on_view(self, view) -> None:
        job, items, outputs, labels = view
        if job.id != self.job_combo.currentData():
            return
        self.job, self.items, self.outputs, self.labels = job, items, outputs, labels
        self._fill()

    def current_sort(self) -> str:
        return SORTS[max(0, self.sort_choice.currentIndex())]

    def _fill(self) -> None:
        keep = selected_data(self.table)
        self.items = sort_items(self.items, self.current_sort())
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.items))
        for r, item in enumerate(self.items):
            fields = item.get("fields") or {}
            first = next((fields.get(name) for name in self.outputs if fields.get(name)), None)
            reason = error_message(item.get("error") or "")
            preview = "; ".join(first) if isinstance(first, list) else str(first or reason)
            held = held_back(item)
            shown = "held" if held else item["status"]
            why = "; ".join(sorted({f.get("category", "") for f in held}))
            status = text_item(QCoreApplication.translate("BatchStatus", HELD_BACK) if held
                               else status_name(item["status"]),
                               tooltip=self.tr("Not exported until you accept it: %1").replace("%1", why)
                               if held else "")
            if shown in STATUS_COLOURS:
                status.setForeground(colour(STATUS_COLOURS[shown]))
            found = serious(item.get("findings"))
            findings = text_item(str(len(found)) if found else "",
                                 tooltip="\n".join(f"{f.get('field')}: {f.get('message')}" for f in found))
            if found:
                findings.setForeground(
                    colour("danger" if any(f["severity"] == "block" for f in found) else "accent"))
            cells = [text_item(str(item["position"] + 1), item["id"]),
                     text_item(item.get("product_name") or ""),
                     status, text_item(preview.replace("\n", " ")[:200], tooltip=preview[:1000]), findings,
                     text_item("" if score_value(item) is None else str(score_value(item)))]
            for c, cell in enumerate(cells):
                self.table.setItem(r, c, cell)
        self.table.blockSignals(False)
        if not (keep is not None and select_by_data(self.table, keep)) and self.items:
            self.table.selectRow(0)
        self._on_selection()
        self.export_button.setEnabled(self.job is not None)

    def selected_item(self) -> dict | None:
        item_id = selected_data(self.table)
        return next((i for i in self.items if i["id"] == item_id), None)

    def _on_selection(self) -> None:
        self.editor.show_item(self.selected_item(), self.outputs, self.busy, self.labels)

    def set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.editor.set_busy(busy)

    def item_updated(self, item: dict) -> None:
        """A fresh copy of one item (after an edit, a review or a regeneration)."""
        for n, existing in enumerate(self.items):
            if existing["id"] == item["id"]:
                self.items[n] = item
        self._fill()
        self.reload_soon()  # the filter may no longer match; the job's counts changed

    # ----- actions ------------------------------------------------------------------------------------------
    def save_edit(self, item_id: int, fields: dict) -> None:
        from desktop.core.jobs import edit_item

        StoreOp(self, edit_item, item_id, fields).on_success(self._after_edit) \
            .on_failure(in_banner(self.message)).run()

    def _after_edit(self, item: dict) -> None:
        if item["status"] == "failed":
            show_message(self.message, self.tr("Saved, but the text does not pass yet: %1")
                         .replace("%1", error_message(item.get("error") or "")))
        else:
            show_message(self.message, self.tr("Saved your edit."), "info")
        self.item_updated(item)

    def review(self, item_id: int, verdict: str | None) -> None:
        from desktop.core.jobs import set_item_review

        StoreOp(self, set_item_review, item_id, verdict).on_success(self.item_updated) \
            .on_failure(in_banner(self.message)).run()

    # ----- export -------------------------------------------------------------------------------------------
    def choose_export(self) -> None:
        if self.job is None:
            return
        fmt, _encoding = EXPORTS[self.export_choice.currentIndex()]
        suffix = ".xlsx" if fmt == "xlsx" else ".csv"
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export the results"),
                                              str(Path.home() / f"shopscribe-job-{self.job.id}{suffix}"),
                                              self.tr("Spreadsheets (*%1)").replace("%1", suffix))
        if path:
            self.export_to(path)

    def export_to(self, path: str | Path) -> None:
        fmt, encoding = EXPORTS[self.export_choice.currentIndex()]
        self.export_button.setEnabled(False)
        Op(self, work.export, self.job.id, path, fmt, encoding).on_success(self._exported) \
            .on_failure(in_banner(self.message)).on_done(lambda: self.export_button.setEnabled(True)).run()

    def _exported(self, report: dict) -> None:
        self.last_export = report
        text = self.tr("Exported %1 of %2 products to %3.").replace("%1", str(report["filled"])) \
            .replace("%2", str(report["products"])).replace("%3", report["path"])
        if report.get("held_back"):
            text += " " + self.tr("%1 held back (their original text stays): accept them to export them.") \
                .replace("%1", str(report["held_back"]))
        show_message(self.message, text, "info")

    # ----- language -----------------------------------------------------------------------------------------
    def retranslate(self) -> None:
        names = (self.tr("All"), self.tr("To review"), self.tr("Failed"), self.tr("With findings"),
                 self.tr("Accepted"))
        for index, name in enumerate(names):
            self.filters.setTabText(index, name)
        self.table.setHorizontalHeaderLabels(["#", self.tr("Product"), self.tr("Status"), self.tr("Result"),
                                              self.tr("Findings"), self.tr("Score")])
        sort = self.sort_choice.currentIndex()
        self.sort_choice.blockSignals(True)
        self.sort_choice.clear()
        self.sort_choice.addItems([self.tr("Worst score first"), self.tr("File order")])
        self.sort_choice.setCurrentIndex(max(0, sort))
        self.sort_choice.blockSignals(False)
        labels = (self.tr("Shopify CSV (your file, filled in)"), self.tr("CSV · UTF-8"),
                  self.tr("CSV · UTF-8 with BOM (Excel)"), self.tr("CSV · GB18030 (Chinese Excel)"),
                  self.tr("XLSX"))
        index = self.export_choice.currentIndex()
        self.export_choice.clear()
        self.export_choice.addItems(list(labels))
        self.export_choice.setCurrentIndex(max(0, index))
        self.export_button.setText(self.tr("Export…"))
        if self.jobs:
            self.set_jobs(self.jobs)
        elif self.items:
            self._fill()
