"""One batch item under review: its fields to edit (a list field one item per line), why it failed,
its findings, and the buttons to save an edit, accept, reject or regenerate it."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.errors import error_message
from desktop.ui.i18n import Retranslating, content_language
from desktop.ui.widgets.findings_view import ScoreLine, clear_layout
from desktop.ui.widgets.kit import make_button, set_role


def held_back(item: dict | None) -> list[dict]:
    """The block findings that keep a done item out of the export until it is accepted (the export's rule)."""
    from desktop.core.jobs.export import blocking_findings

    return blocking_findings(item) if item else []


class ItemEditor(Retranslating, QWidget):
    saveRequested = Signal(int, dict)  # item id, fields
    reviewRequested = Signal(int, object)  # item id, "accepted" | "rejected" | None
    regenerateRequested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item: dict | None = None
        self.outputs: list[str] = []
        self.labels: dict[str, str] = {}
        self.busy = False
        self.edits: dict[str, QPlainTextEdit] = {}
        self._filling = False
        self.title = QLabel()
        self.title.setObjectName("itemTitle")
        self.title.setProperty("role", "section")
        self.title.setWordWrap(True)
        self.error = QLabel()
        self.error.setObjectName("itemError")
        self.error.setProperty("role", "banner")
        self.error.setWordWrap(True)
        self.error.hide()
        self.findings = QLabel()
        self.findings.setObjectName("itemFindings")
        self.findings.setWordWrap(True)
        self.findings.hide()
        self.score = ScoreLine()  # the item's quality score and what took points off
        self.fields_host = QWidget()
        self.form = QFormLayout(self.fields_host)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        self.form.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self.fields_host)
        self.save_button = make_button("saveItemButton", None, self._save)
        self.accept_button = make_button("acceptItemButton", "star", lambda: self._review("accepted"))
        self.reject_button = make_button("rejectItemButton", "delete", lambda: self._review("rejected"))
        self.undo_button = make_button("undoReviewButton", None, lambda: self._review(None))
        self.regenerate_button = make_button(
            "regenerateItemButton", "rerun",
            lambda: self.item and self.regenerateRequested.emit(self.item["id"]))
        row1, row2 = QHBoxLayout(), QHBoxLayout()
        for button in (self.accept_button, self.reject_button, self.undo_button):
            row1.addWidget(button)
        row1.addStretch(1)
        for button in (self.save_button, self.regenerate_button):
            row2.addWidget(button)
        row2.addStretch(1)
        box = QVBoxLayout(self)
        box.setContentsMargins(8, 0, 0, 0)
        box.addWidget(self.title)
        box.addLayout(row1)
        box.addWidget(self.error)
        box.addWidget(scroll, 1)
        box.addWidget(self.score)
        box.addWidget(self.findings)
        box.addLayout(row2)
        self.retranslate()
        self.show_item(None, [], False)

    def show_item(self, item: dict | None, outputs: list[str], busy: bool,
                  labels: dict | None = None) -> None:
        same = item is not None and self.item is not None and item["id"] == self.item["id"] and \
            item.get("fields") == self.item.get("fields") and outputs == self.outputs
        self.item, self.outputs, self.busy = item, outputs, busy
        self.labels = labels or {}
        if not same:
            self._build_fields()
        self._update()

    def _build_fields(self) -> None:
        clear_layout(self.form)
        self.edits = {}
        item = self.item
        if item is None:
            return
        fields = item.get("fields") or {}
        self._filling = True
        for name in self.outputs:
            value = fields.get(name)
            edit = QPlainTextEdit("\n".join(value) if isinstance(value, list) else str(value or ""))
            edit.setObjectName(f"itemField_{name}")
            long = isinstance(value, list) or len(str(value or "")) > 80
            edit.setMinimumHeight(90 if long else 48)
            edit.setMaximumHeight(220 if long else 72)
            edit.textChanged.connect(self._update)
            label = QLabel(self.labels.get(name, name))
            label.setProperty("role", "muted")
            self.form.addRow(label, edit)
            self.edits[name] = edit
        self._filling = False

    def edited_fields(self) -> dict:
        fields = (self.item or {}).get("fields") or {}
        out = {}
        for name, edit in self.edits.items():
            text = edit.toPlainText()
            out[name] = [line for line in text.split("\n") if line.strip()] \
                if isinstance(fields.get(name), list) else text
        return out

    def dirty(self) -> bool:
        if self.item is None:
            return False
        fields = self.item.get("fields") or {}
        return any(self.edited_fields().get(k) != (fields.get(k) if fields.get(k) is not None else "")
                   for k in self.edits)

    def _update(self, *_args) -> None:
        item = self.item
        has = item is not None
        status = item["status"] if has else ""
        self.title.setText((item.get("product_name") or "") if has
                           else self.tr("Choose an item in the table."))
        self.error.setVisible(bool(has and item.get("error")))
        if has and item.get("error"):
            self.error.setText(self.tr("Why it failed: %1").replace("%1", error_message(item["error"])))
        score = item.get("score") if has else None
        self.score.set_score(score if isinstance(score, dict) else None, content_language())
        findings = [f for f in (item.get("findings") or [])
                    if f.get("severity") in ("block", "warn", "info")] if has else []
        self.findings.setVisible(bool(findings))
        self.findings.setText("\n".join(f"• {self._label(f.get('field') or '')}: {f.get('message')}" +
                                        self._suggestion(f) for f in findings))
        set_role(self.findings, "banner" if any(f.get("severity") == "block" for f in findings) else "info")
        generated = status in ("done", "failed", "accepted", "rejected")
        self.save_button.setEnabled(generated and self.dirty())
        self.accept_button.setEnabled(status == "done" or (status == "rejected" and not item.get("error")))
        # A done item with a block finding is held back from the export until the merchant accepts it.
        self.held = bool(has and held_back(item))
        self.accept_button.setText(self.tr("Accept anyway") if self.held else self.tr("Accept"))
        if self.held:
            self.findings.setText(self.tr("Held back from the export until you accept it:") + "\n"
                                  + self.findings.text())
        self.reject_button.setEnabled(status in ("done", "failed", "accepted"))
        self.undo_button.setEnabled(status in ("accepted", "rejected"))
        self.regenerate_button.setEnabled(generated and not self.busy)
        for edit in self.edits.values():
            edit.setReadOnly(not generated)

    def _suggestion(self, finding: dict) -> str:
        suggestion = (finding.get("suggestion") or "").strip()
        if not suggestion:
            return ""
        if suggestion == "remove":
            return " → " + self.tr("remove it")
        if finding.get("start") == finding.get("end"):  # a place to insert: a missing phrase or fact
            from desktop.core.checks.facts.coverage import detail_text  # loaded with the job, on a worker

            return " → " + self.tr("add “%1”").replace("%1", detail_text(suggestion))
        return " → " + self.tr("write “%1” instead").replace("%1", suggestion)

    def _label(self, field: str) -> str:
        base, bracket, rest = field.partition("[")
        return self.labels.get(base, base) + (f" {int(rest.rstrip(']')) + 1}"
                                              if bracket and rest[:-1].isdigit() else "")

    def set_busy(self, busy: bool) -> None:
        self.busy = busy
        self._update()

    def _save(self) -> None:
        if self.item is not None:
            self.saveRequested.emit(self.item["id"], self.edited_fields())

    def _review(self, verdict) -> None:
        if self.item is not None:
            self.reviewRequested.emit(self.item["id"], verdict)

    def retranslate(self) -> None:
        self.save_button.setText(self.tr("Save edit"))
        self.reject_button.setText(self.tr("Reject"))
        self.undo_button.setText(self.tr("Undo review"))
        self.regenerate_button.setText(self.tr("Regenerate"))
        self._update()
