"""Templates: the list (built-ins read-only until duplicated, the merchant's own editable), an editor
validated while typing, and a live preview of the rendered prompt for sample values. Import and export
template files; hide built-ins the shop never uses."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.errors import error_message
from desktop.ui.i18n import Retranslating, content_language
from desktop.ui.widgets.kit import (
    ask,
    make_button,
    make_splitter,
    make_table,
    message_label,
    page_heading,
    select_by_data,
    selected_data,
    show_message,
)
from desktop.ui.widgets.template_editor import TemplateEditor, blank_template
from desktop.ui.widgets.template_list import fill_template_table, list_all, save_template
from desktop.ui.widgets.template_preview import TemplatePreview
from desktop.ui.workers import StoreOp

PREVIEW_DEBOUNCE_MS = 250


def create_page(ctx) -> QWidget:
    return TemplatesPage(ctx)


class TemplatesPage(Retranslating, QWidget):
    def __init__(self, ctx) -> None:
        super().__init__()
        self.ctx = ctx
        self.templates: list = []
        self.current = None  # the Template being shown (None for a new, unsaved one)
        self.dirty = False
        self._new = False
        self._loaded = False

        self.title, self.subtitle = page_heading()
        self.message = message_label("templatesMessage")

        self.table = make_table("templatesTable", 2, stretch=0)
        self.table.itemSelectionChanged.connect(self._on_selection)
        self.show_hidden = QCheckBox()
        self.show_hidden.setObjectName("showHiddenCheck")
        self.show_hidden.toggled.connect(lambda *_: self._fill())
        self.new_button = make_button("newTemplateButton", "edit", self.new_template)
        self.duplicate_button = make_button("duplicateTemplateButton", "copy", self.duplicate)
        self.hide_button = make_button("hideTemplateButton", None, self.toggle_hidden)
        self.delete_button = make_button("deleteTemplateButton", "delete", self.delete)
        self.import_button = make_button("importTemplatesButton", "folder", self.choose_import)
        self.export_button = make_button("exportTemplateButton", "export", self.choose_export)

        self.readonly_note = QLabel()
        self.readonly_note.setObjectName("builtinNote")
        self.readonly_note.setProperty("role", "info")
        self.readonly_note.setWordWrap(True)
        self.editor = TemplateEditor()
        self.editor.changed.connect(self._on_edited)
        self.save_button = make_button("saveTemplateButton", None, self.save, primary=True)
        self.revert_button = make_button("revertTemplateButton", None, self.revert)
        self.preview = TemplatePreview()
        self.preview.validated.connect(lambda _ok: self._update_buttons())
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(PREVIEW_DEBOUNCE_MS)
        self.timer.timeout.connect(self._refresh_preview)

        left = QWidget()
        left_box = QVBoxLayout(left)
        left_box.setContentsMargins(0, 0, 6, 0)
        row1, row2 = QHBoxLayout(), QHBoxLayout()
        for button in (self.new_button, self.duplicate_button, self.delete_button):
            row1.addWidget(button)
        for button in (self.hide_button, self.import_button, self.export_button):
            row2.addWidget(button)
        left_box.addLayout(row1)
        left_box.addLayout(row2)
        left_box.addWidget(self.table, 1)
        left_box.addWidget(self.show_hidden)
        middle = QWidget()
        middle_box = QVBoxLayout(middle)
        middle_box.setContentsMargins(6, 0, 6, 0)
        middle_box.addWidget(self.readonly_note)
        middle_box.addWidget(self.editor, 1)
        actions = QHBoxLayout()
        actions.addWidget(self.save_button)
        actions.addWidget(self.revert_button)
        actions.addStretch(1)
        middle_box.addLayout(actions)
        right = QWidget()
        right_box = QVBoxLayout(right)
        right_box.setContentsMargins(6, 0, 0, 0)
        right_box.addWidget(self.preview)
        splitter = make_splitter(left, middle, right, stretch={1: 3, 2: 2}, sizes=[240, 400, 340])
        box = QVBoxLayout(self)
        box.setContentsMargins(16, 16, 16, 12)
        box.addWidget(self.title)
        box.addWidget(self.subtitle)
        box.addWidget(self.message)
        box.addWidget(splitter, 1)
        self.retranslate()
        self._update_buttons()

    # ----- the list --------------------------------------------------------------------------------------
    def page_shown(self) -> None:
        if not self._loaded:
            self._loaded = True
            self.reload()

    def reload(self, select: str | None = None) -> None:
        def listed(templates) -> None:
            self.templates = templates
            self._fill(select)

        StoreOp(self, list_all).on_success(listed).on_failure(self._error).run()

    def _fill(self, select: str | None = None) -> None:
        keep = select or selected_data(self.table) or (self.current.id if self.current else None)
        shown = [t for t in self.templates if self.show_hidden.isChecked() or not t.hidden]
        fill_template_table(self.table, shown, content_language())
        if not (keep and select_by_data(self.table, keep)) and shown and not self._new:
            self.table.selectRow(0)
        self._on_selection()

    def template_by_id(self, template_id: str | None):
        return next((t for t in self.templates if t.id == template_id), None)

    def _on_selection(self) -> None:
        template = self.template_by_id(selected_data(self.table))
        if template is None or (
            self.current is not None and template.id == self.current.id and not self._new
        ):
            self._update_buttons()
            return
        if self.dirty:
            previous = self.current.id if self.current else None
            self.table.blockSignals(True)
            if previous:
                select_by_data(self.table, previous)
            else:
                self.table.clearSelection()
            self.table.blockSignals(False)
            ask(self, self.tr("Unsaved changes"), self.tr("Discard your changes to this template?"),
                lambda: self._discard_and_open(template.id), self.tr("Discard"))
            return
        self.open_template(template)

    def _discard_and_open(self, template_id: str) -> None:
        self.dirty = False
        self._new = False
        select_by_data(self.table, template_id)
        self.open_template(self.template_by_id(template_id))

    def open_template(self, template) -> None:
        self.current, self._new, self.dirty = template, False, False
        self.editor.load(template.to_dict(), read_only=template.builtin)
        self.readonly_note.setVisible(template.builtin)
        self.preview.show_template(self.editor.to_dict())
        self._update_buttons()

    # ----- editing -----------------------------------------------------------------------------------------
    def _on_edited(self) -> None:
        self.dirty = True
        self.timer.start()
        self._update_buttons()

    def _refresh_preview(self) -> None:
        self.preview.show_template(self.editor.to_dict())

    def _update_buttons(self) -> None:
        template = self.current
        editable = self._new or (template is not None and not template.builtin)
        self.save_button.setEnabled(editable and self.dirty and self.preview.valid)
        self.revert_button.setEnabled(editable and self.dirty)
        self.duplicate_button.setEnabled(template is not None and not self._new)
        self.delete_button.setEnabled(template is not None and not template.builtin and not self._new)
        self.export_button.setEnabled(template is not None and not self._new)
        self.hide_button.setEnabled(template is not None and not self._new)
        hidden = template is not None and template.hidden
        self.hide_button.setText(self.tr("Show in lists") if hidden else self.tr("Hide"))

    def new_template(self) -> None:
        def go() -> None:
            content_type = self.current.content_type if self.current else "product-description"
            self.current, self._new = None, True
            self.table.clearSelection()
            self.editor.load(blank_template(content_type), read_only=False)
            self.readonly_note.hide()
            self.dirty = True
            self.preview.show_template(self.editor.to_dict())
            self._update_buttons()

        if self.dirty:
            ask(self, self.tr("Unsaved changes"), self.tr("Discard your changes to this template?"), go,
                self.tr("Discard"))
        else:
            go()

    def save(self) -> None:
        self.timer.stop()
        self._refresh_preview()
        if not self.preview.valid:
            show_message(self.message, self.preview.status.text())
            return
        data, new = self.editor.to_dict(), self._new

        def saved(template) -> None:
            self.dirty, self._new, self.current = False, False, template
            show_message(self.message,
                         self.tr("Saved “%1”.").replace("%1", template.label(content_language())),
                         "info")
            self.reload(select=template.id)

        StoreOp(self, save_template, data, new).on_success(saved).on_failure(self._error).run()

    def revert(self) -> None:
        if self._new:
            self.dirty, self._new, self.current = False, False, None
            self._fill()
        elif self.current is not None:
            self.open_template(self.current)

    def duplicate(self) -> None:
        if self.current is None:
            return
        from desktop.core.store.templates import duplicate_template

        source = self.current.id
        def duplicated(template) -> None:
            show_message(self.message, self.tr("Duplicated as “%1”: edit it and save.")
                         .replace("%1", template.label(content_language())), "info")
            self.reload(select=template.id)

        StoreOp(self, lambda db: duplicate_template(db, source)).on_success(duplicated) \
            .on_failure(self._error).run()

    def toggle_hidden(self) -> None:
        if self.current is None:
            return
        from desktop.core.store.templates import set_hidden

        template_id, hide = self.current.id, not self.current.hidden
        if hide:
            self.show_hidden.setChecked(True)  # keep it in view, greyed, so it can be shown again
        StoreOp(self, lambda db: set_hidden(db, template_id, hide)) \
            .on_success(lambda _r: self._after_hidden(template_id)).on_failure(self._error).run()

    def _after_hidden(self, template_id: str) -> None:
        self.current = None
        self.reload(select=template_id)

    def delete(self) -> None:
        template = self.current
        if template is None or template.builtin:
            return
        from desktop.core.store.templates import delete_user_template

        def go() -> None:
            self.dirty, self.current = False, None
            StoreOp(self, lambda db: delete_user_template(db, template.id)) \
                .on_success(lambda _r: self.reload()).on_failure(self._error).run()

        ask(self, self.tr("Delete template"), self.tr("Delete “%1”? This cannot be undone.")
            .replace("%1", template.label(content_language())), go, self.tr("Delete"))

    # ----- files --------------------------------------------------------------------------------------------
    def choose_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Import templates"), str(Path.home()),
                                              self.tr("Template files (*.json)"))
        if path:
            self.import_file(path)

    def import_file(self, path: str | Path) -> None:
        from desktop.core.store.templates_io import import_templates

        def done(ids: list[str]) -> None:
            show_message(self.message,
                         self.tr("Imported %1 template(s).").replace("%1", str(len(ids))), "info")
            self.reload(select=ids[0] if ids else None)

        StoreOp(self, lambda db: import_templates(db, Path(path))).on_success(done) \
            .on_failure(self._error).run()

    def choose_export(self) -> None:
        if self.current is None:
            return
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export template"),
                                              str(Path.home() / f"{self.current.id}.json"),
                                              self.tr("Template files (*.json)"))
        if path:
            self.export_file(path)

    def export_file(self, path: str | Path) -> None:
        from desktop.core.store.templates_io import export_templates

        template_id = self.current.id
        def exported(_count) -> None:
            show_message(self.message, self.tr("Exported to %1.").replace("%1", str(path)), "info")

        StoreOp(self, lambda db: export_templates(db, [template_id], Path(path))).on_success(exported) \
            .on_failure(self._error).run()

    def _error(self, exc) -> None:
        show_message(self.message, error_message(exc))

    # ----- window -------------------------------------------------------------------------------------------
    def can_close(self) -> bool:
        if not self.dirty:
            return True
        answer = QMessageBox.question(self, self.tr("Unsaved changes"),
                                      self.tr("A template has unsaved changes. Close anyway?"))
        return answer == QMessageBox.StandardButton.Yes

    def retranslate(self) -> None:
        self.title.setText(self.tr("Templates"))
        self.subtitle.setText(self.tr("A template is the prompt behind each kind of copy. Built-in "
                                      "templates are read-only: duplicate one to change it. The preview "
                                      "shows what the model reads."))
        self.show_hidden.setText(self.tr("Show hidden templates"))
        self.new_button.setText(self.tr("New"))
        self.duplicate_button.setText(self.tr("Duplicate"))
        self.delete_button.setText(self.tr("Delete"))
        self.import_button.setText(self.tr("Import…"))
        self.export_button.setText(self.tr("Export…"))
        self.readonly_note.setText(self.tr("This built-in template is read-only. Duplicate it to "
                                           "make your own version to edit."))
        self.save_button.setText(self.tr("Save"))
        self.revert_button.setText(self.tr("Revert"))
        self._update_buttons()
        self._fill()  # names and headers in the new language
