"""Brands: the shop's brand voices (list + editor). A brand chosen on Compose or Batch adds its voice,
words and examples to the prompt, and its banned and must-use words to the checks."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.errors import error_message
from desktop.ui.i18n import Retranslating
from desktop.ui.widgets.brand_editor import BrandEditor
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
    text_item,
)
from desktop.ui.workers import StoreOp


def create_page(ctx) -> QWidget:
    return BrandsPage(ctx)


def _list(db) -> list:
    from desktop.core.store.brands import list_brands

    return list_brands(db)


def _save(db, brand):
    from desktop.core.content.brands import BrandError
    from desktop.core.store.brands import find_brand, save_brand

    if brand.id is None and find_brand(db, brand.name) is not None:  # a new brand never overwrites another
        raise BrandError(f"A brand named {brand.name!r} exists already: choose it in the list to edit it, or "
                         f"give this one another name.",
        f"已有名为 {brand.name!r} 的品牌:请在列表中选择它进行编辑,"
                         "或为新品牌换一个名称。")
    return save_brand(db, brand)


class BrandsPage(Retranslating, QWidget):
    def __init__(self, ctx) -> None:
        super().__init__()
        self.ctx = ctx
        self.brands: list = []
        self.current = None  # the saved Brand shown (None: a new one)
        self.dirty = False
        self._loaded = False

        self.title, self.subtitle = page_heading()
        self.message = message_label("brandsMessage")
        self.table = make_table("brandsTable", 2, stretch=0)
        self.table.itemSelectionChanged.connect(self._on_selection)
        self.empty = QLabel()
        self.empty.setObjectName("brandsEmpty")
        self.empty.setProperty("role", "muted")
        self.empty.setWordWrap(True)
        self.new_button = make_button("newBrandButton", "edit", self.new_brand)
        self.delete_button = make_button("deleteBrandButton", "delete", self.delete)
        self.editor = BrandEditor()
        self.editor.changed.connect(self._on_edited)
        self.save_button = make_button("saveBrandButton", None, self.save, primary=True)
        self.revert_button = make_button("revertBrandButton", None, self.revert)

        left = QWidget()
        left_box = QVBoxLayout(left)
        left_box.setContentsMargins(0, 0, 8, 0)
        tools = QHBoxLayout()
        tools.addWidget(self.new_button)
        tools.addWidget(self.delete_button)
        tools.addStretch(1)
        left_box.addLayout(tools)
        left_box.addWidget(self.table, 1)
        left_box.addWidget(self.empty)
        editor_host = QWidget()
        editor_box = QVBoxLayout(editor_host)
        editor_box.setContentsMargins(8, 0, 8, 0)
        editor_box.addWidget(self.editor)
        editor_box.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(editor_host)
        right = QWidget()
        right_box = QVBoxLayout(right)
        right_box.setContentsMargins(0, 0, 0, 0)
        right_box.addWidget(scroll, 1)
        actions = QHBoxLayout()
        actions.setContentsMargins(8, 0, 8, 0)
        actions.addWidget(self.save_button)
        actions.addWidget(self.revert_button)
        actions.addStretch(1)
        right_box.addLayout(actions)
        splitter = make_splitter(left, right, stretch={1: 1}, sizes=[260, 700])
        box = QVBoxLayout(self)
        box.setContentsMargins(20, 16, 20, 12)
        box.addWidget(self.title)
        box.addWidget(self.subtitle)
        box.addWidget(self.message)
        box.addWidget(splitter, 1)
        self.retranslate()
        self.editor.load(None)
        self._update_buttons()

    # ----- the list ----------------------------------------------------------------------------------
    def page_shown(self) -> None:
        if not self._loaded:
            self._loaded = True
            self.reload()

    def reload(self, select: int | None = None) -> None:
        def listed(brands) -> None:
            self.brands = brands
            self._fill(select)

        StoreOp(self, _list).on_success(listed).on_failure(self._error).run()

    def _fill(self, select: int | None = None) -> None:
        keep = select if select is not None else (self.current.id if self.current else None)
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.brands))
        for r, brand in enumerate(self.brands):
            words = len(brand.banned_words)
            self.table.setItem(r, 0, text_item(brand.name, brand.id, brand.voice))
            self.table.setItem(r, 1,
                               text_item(self.tr("%1 banned").replace("%1", str(words)) if words else ""))
        self.table.blockSignals(False)
        self.empty.setVisible(not self.brands)
        if keep is not None and select_by_data(self.table, keep):
            self._on_selection()
        elif self.brands and self.current is None and not self.dirty:
            self.table.selectRow(0)
        elif not self.brands and not self.dirty:
            self.new_brand()

    def brand_by_id(self, brand_id):
        return next((b for b in self.brands if b.id == brand_id), None)

    def _on_selection(self) -> None:
        brand = self.brand_by_id(selected_data(self.table))
        if brand is None or (self.current is not None and brand.id == self.current.id and not self.dirty):
            if brand is not None and self.current is not None and brand.id == self.current.id:
                self.current = brand  # the saved version (after a reload)
            self._update_buttons()
            return
        if self.dirty:
            self.table.blockSignals(True)
            if self.current is not None:
                select_by_data(self.table, self.current.id)
            else:
                self.table.clearSelection()
            self.table.blockSignals(False)
            ask(self, self.tr("Unsaved changes"), self.tr("Discard your changes to this brand?"),
                lambda: self._discard_and_open(brand), self.tr("Discard"))
            return
        self.open_brand(brand)

    def _discard_and_open(self, brand) -> None:
        self.dirty = False
        self.table.blockSignals(True)
        select_by_data(self.table, brand.id)
        self.table.blockSignals(False)
        self.open_brand(brand)

    def open_brand(self, brand) -> None:
        self.current, self.dirty = brand, False
        self.editor.load(brand)
        self._update_buttons()

    # ----- editing -------------------------------------------------------------------------------------
    def _on_edited(self) -> None:
        self.dirty = True
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.save_button.setEnabled(self.dirty and self.editor.valid())
        self.revert_button.setEnabled(self.dirty)
        self.delete_button.setEnabled(self.current is not None)

    def new_brand(self) -> None:
        def go() -> None:
            self.current, self.dirty = None, False
            self.table.clearSelection()
            self.editor.load(None)
            self.editor.name.setFocus()
            self._update_buttons()

        if self.dirty:
            ask(self, self.tr("Unsaved changes"), self.tr("Discard your changes to this brand?"), go,
                self.tr("Discard"))
        else:
            go()

    def save(self) -> None:
        try:
            brand = self.editor.brand()
        except Exception as exc:  # noqa: BLE001 - BrandError: shown, never raised
            self._error(exc)
            return

        def saved(result) -> None:
            self.dirty, self.current = False, result
            self.editor.brand_id = result.id
            show_message(self.message, self.tr("Saved “%1”.").replace("%1", result.name), "info")
            self.reload(select=result.id)

        StoreOp(self, _save, brand).on_success(saved).on_failure(self._error).run()

    def revert(self) -> None:
        self.dirty = False
        self.editor.load(self.current)
        self._update_buttons()

    def delete(self) -> None:
        brand = self.current
        if brand is None:
            return
        from desktop.core.store.brands import delete_brand

        def go() -> None:
            self.current, self.dirty = None, False

            def deleted(_result) -> None:
                show_message(self.message, self.tr("Deleted “%1”.").replace("%1", brand.name), "info")
                self.reload()

            StoreOp(self, lambda db: delete_brand(db, brand.id)).on_success(deleted) \
                .on_failure(self._error).run()

        ask(self, self.tr("Delete brand"), self.tr("Delete the brand “%1”? Past texts keep their words.")
            .replace("%1", brand.name), go, self.tr("Delete"))

    def _error(self, exc) -> None:
        show_message(self.message, error_message(exc))

    # ----- window ----------------------------------------------------------------------------------------
    def can_close(self) -> bool:
        if not self.dirty:
            return True
        answer = QMessageBox.question(self, self.tr("Unsaved changes"),
                                      self.tr("A brand has unsaved changes. Close anyway?"))
        return answer == QMessageBox.StandardButton.Yes

    def retranslate(self) -> None:
        self.title.setText(self.tr("Brands"))
        self.subtitle.setText(self.tr("A brand profile tells the model how your shop speaks. Choose it on "
                                      "Compose or Batch: its voice and examples shape the copy, and "
                                      "its banned and must-use words are checked in every result."))
        self.table.setHorizontalHeaderLabels([self.tr("Brand"), self.tr("Banned words")])
        self.empty.setText(self.tr("No brands yet. Fill in the form and save to add your first one."))
        self.new_button.setText(self.tr("New brand"))
        self.delete_button.setText(self.tr("Delete"))
        self.save_button.setText(self.tr("Save"))
        self.revert_button.setText(self.tr("Revert"))
        if self.brands:
            self._fill()
