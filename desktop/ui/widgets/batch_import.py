"""Step 1 of a batch: open a product file (on a worker), choose an encoding when it cannot be detected
(with a preview of each), correct the column mapping, read the warnings, and pick the products."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.errors import error_message
from desktop.ui.i18n import Retranslating, content_language
from desktop.ui.widgets import batch_work as work
from desktop.ui.widgets.kit import (
    in_banner,
    make_button,
    make_splitter,
    make_table,
    message_label,
    show_message,
    text_item,
)
from desktop.ui.workers import Op

# Product fields as the merchant reads them (the keys are desktop.core.catalog.FIELDS).
FIELD_LABELS = {
    "handle": QT_TRANSLATE_NOOP("BatchFields", "Handle"),
    "sku": QT_TRANSLATE_NOOP("BatchFields", "SKU"),
    "name": QT_TRANSLATE_NOOP("BatchFields", "Product name"),
    "description": QT_TRANSLATE_NOOP("BatchFields", "Description"),
    "features": QT_TRANSLATE_NOOP("BatchFields", "Features"),
    "price": QT_TRANSLATE_NOOP("BatchFields", "Price"),
    "material": QT_TRANSLATE_NOOP("BatchFields", "Material"),
    "color": QT_TRANSLATE_NOOP("BatchFields", "Colour"),
    "size": QT_TRANSLATE_NOOP("BatchFields", "Size"),
    "brand": QT_TRANSLATE_NOOP("BatchFields", "Brand"),
    "category": QT_TRANSLATE_NOOP("BatchFields", "Category"),
    "keywords": QT_TRANSLATE_NOOP("BatchFields", "Keywords"),
    "audience": QT_TRANSLATE_NOOP("BatchFields", "Audience"),
    "vendor": QT_TRANSLATE_NOOP("BatchFields", "Vendor"),
    "tags": QT_TRANSLATE_NOOP("BatchFields", "Tags"),
    "barcode": QT_TRANSLATE_NOOP("BatchFields", "Barcode"),
    "image": QT_TRANSLATE_NOOP("BatchFields", "Image"),
    "seo_title": QT_TRANSLATE_NOOP("BatchFields", "SEO title"),
    "seo_description": QT_TRANSLATE_NOOP("BatchFields", "SEO description"),
}


def field_label(key: str) -> str:
    return QCoreApplication.translate("BatchFields", FIELD_LABELS.get(key, key))


class ImportPanel(Retranslating, QWidget):
    changed = Signal()  # a file was read, remapped, or the product choice changed

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path: str | None = None
        self.result = None
        self._encoding_error = None
        self._filling = False

        self.open_button = make_button("openProductFileButton", "folder", self.choose_file, primary=True)
        self.file_label = QLabel()
        self.file_label.setObjectName("productFileLabel")
        self.file_label.setProperty("role", "muted")
        self.file_label.setWordWrap(True)
        self.message = message_label("importMessage")

        self.encoding_box = QFrame()
        self.encoding_box.setObjectName("encodingChooser")
        self.encoding_box.setProperty("role", "card")
        self.encoding_title = QLabel()
        self.encoding_title.setWordWrap(True)
        self.encoding = QComboBox()
        self.encoding.setObjectName("encodingCombo")
        self.encoding.currentIndexChanged.connect(self._show_preview)
        self.encoding_preview = QPlainTextEdit()
        self.encoding_preview.setObjectName("encodingPreview")
        self.encoding_preview.setReadOnly(True)
        self.encoding_preview.setMaximumHeight(140)
        self.encoding_button = make_button("readWithEncodingButton", None, self.read_with_encoding)
        enc_row = QHBoxLayout()
        enc_row.addWidget(self.encoding)
        enc_row.addWidget(self.encoding_button)
        enc_row.addStretch(1)
        enc_box = QVBoxLayout(self.encoding_box)
        enc_box.addWidget(self.encoding_title)
        enc_box.addLayout(enc_row)
        enc_box.addWidget(self.encoding_preview)
        self.encoding_box.hide()

        self.warnings = QLabel()
        self.warnings.setObjectName("importWarnings")
        self.warnings.setProperty("role", "info")
        self.warnings.setWordWrap(True)
        self.warnings.hide()
        self.mapping_title = QLabel()
        self.mapping_title.setProperty("role", "section")
        self.mapping = make_table("mappingTable", 3, stretch=1)
        self.products_title = QLabel()
        self.products_title.setProperty("role", "section")
        self.products = make_table("productsTable", 4, stretch=1)
        self.products.itemChanged.connect(self._on_product_checked)
        self.all_button = make_button("selectAllProductsButton", None, lambda: self.check_all(True))
        self.none_button = make_button("selectNoProductsButton", None, lambda: self.check_all(False))

        top = QHBoxLayout()
        top.addWidget(self.open_button)
        top.addWidget(self.file_label, 1)
        left = QWidget()
        left_box = QVBoxLayout(left)
        left_box.setContentsMargins(0, 0, 6, 0)
        left_box.addWidget(self.mapping_title)
        left_box.addWidget(self.mapping, 1)
        right = QWidget()
        right_box = QVBoxLayout(right)
        right_box.setContentsMargins(6, 0, 0, 0)
        head = QHBoxLayout()
        head.addWidget(self.products_title, 1)
        head.addWidget(self.all_button)
        head.addWidget(self.none_button)
        right_box.addLayout(head)
        right_box.addWidget(self.products, 1)
        splitter = make_splitter(left, right, sizes=[380, 560])
        self.splitter = splitter
        box = QVBoxLayout(self)
        box.setContentsMargins(12, 12, 12, 12)
        box.addLayout(top)
        box.addWidget(self.message)
        box.addWidget(self.encoding_box)
        box.addWidget(self.warnings)
        box.addWidget(splitter, 1)
        self.retranslate()
        self._show_tables(False)

    def _show_tables(self, on: bool) -> None:
        self.splitter.setVisible(on)

    # ----- reading ------------------------------------------------------------------------------------
    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Open a product file"), str(Path.home()),
            self.tr("Product files (*.csv *.tsv *.txt *.xlsx);;All files (*)"))
        if path:
            self.open_file(path)

    def open_file(self, path: str | Path, encoding: str | None = None) -> None:
        self.path = str(path)
        show_message(self.message, "")
        self.encoding_box.hide()
        self.file_label.setText(self.tr("Reading %1…").replace("%1", Path(path).name))
        self.open_button.setEnabled(False)
        Op(self, work.read_file, path, encoding).on_success(self._on_read).on_failure(self._on_read_error) \
            .on_done(lambda: self.open_button.setEnabled(True)).run()

    def _on_read_error(self, exc) -> None:
        from desktop.core.catalog import UnknownEncodingError

        self.file_label.setText(Path(self.path or "").name)
        if isinstance(exc, UnknownEncodingError):
            self._encoding_error = exc
            self.encoding_title.setText(error_message(exc))
            self.encoding.blockSignals(True)
            self.encoding.clear()
            for name in exc.previews:
                self.encoding.addItem(name, name)
            self.encoding.blockSignals(False)
            self._show_preview()
            self.encoding_box.show()
            return
        show_message(self.message, self.tr("Nothing was imported. %1").replace("%1", error_message(exc)))

    def _show_preview(self, *_args) -> None:
        exc = self._encoding_error
        if exc is not None:
            self.encoding_preview.setPlainText(exc.previews.get(self.encoding.currentData(), exc.preview))

    def read_with_encoding(self) -> None:
        if self.path and self.encoding.currentData():
            self.open_file(self.path, self.encoding.currentData())

    def _on_read(self, result) -> None:
        self.result = result
        self._encoding_error = None
        self.encoding_box.hide()
        how = result.encoding or "XLSX"
        self.file_label.setText(self.tr("%1 · %2 products · %3").replace("%1", Path(self.path).name)
                                .replace("%2", str(len(result.products))).replace("%3", how))
        self._fill_mapping()
        self._fill_products()
        self._show_warnings()
        self._show_tables(True)
        self.changed.emit()

    # ----- mapping --------------------------------------------------------------------------------------
    def _fill_mapping(self) -> None:
        from desktop.core.catalog import FIELDS

        result = self.result
        self.mapping.setRowCount(len(result.header))
        for r, column in enumerate(result.header):
            values = [v for v in result.column_values(column)[:20] if v.strip()]
            self.mapping.setItem(r, 0, text_item(column, column))
            self.mapping.setItem(r, 1, text_item(values[0][:60] if values else "",
                                                 tooltip="\n".join(values[:5])))
            combo = QComboBox()
            combo.setObjectName("mappingCombo")
            combo.addItem(self.tr("— keep as extra column"), None)
            for key in FIELDS:
                combo.addItem(field_label(key), key)
            combo.setCurrentIndex(max(0, combo.findData(result.mapping.get(column))))
            combo.currentIndexChanged.connect(
                lambda *_a, c=column, w=combo: self.set_mapping(c, w.currentData()))
            self.mapping.setCellWidget(r, 2, combo)

    def set_mapping(self, column: str, field: str | None) -> None:
        """Correct one column's field and rebuild the products (on a worker)."""
        if self.result is None:
            return
        mapping = dict(self.result.mapping)
        mapping[column] = field
        Op(self, work.remap_result, self.result, mapping).on_success(self._on_remapped) \
            .on_failure(in_banner(self.message)).run()

    def _on_remapped(self, result) -> None:
        self.result = result
        self._fill_products()
        self._show_warnings()
        self.changed.emit()

    def _show_warnings(self) -> None:
        lang = content_language()
        warnings = self.result.warnings
        lines = [("• " + w.text(lang)) for w in warnings[:6]]
        if len(warnings) > 6:
            lines.append(self.tr("… and %1 more.").replace("%1", str(len(warnings) - 6)))
        self.warnings.setText("\n".join(lines))
        self.warnings.setVisible(bool(lines))

    # ----- products -------------------------------------------------------------------------------------
    def _fill_products(self) -> None:
        products = self.result.products
        self._filling = True
        self.products.setRowCount(len(products))
        for r, product in enumerate(products):
            check = text_item("", r)
            check.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled
                           | Qt.ItemFlag.ItemIsSelectable)
            check.setCheckState(Qt.CheckState.Checked)
            fields = product.fields
            self.products.setItem(r, 0, check)
            self.products.setItem(r, 1, text_item(product.name or self.tr("(no name)")))
            self.products.setItem(r, 2, text_item(fields.get("sku") or fields.get("handle") or ""))
            self.products.setItem(r, 3, text_item(fields.get("price", "")))
        self._filling = False
        self._update_count()

    def _on_product_checked(self, _item) -> None:
        if not self._filling:
            self._update_count()
            self.changed.emit()

    def check_all(self, on: bool) -> None:
        self._filling = True
        for r in range(self.products.rowCount()):
            self.products.item(r, 0).setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
        self._filling = False
        self._update_count()
        self.changed.emit()

    def selected(self) -> list[int]:
        table: QTableWidget = self.products
        return [r for r in range(table.rowCount()) if table.item(r, 0).checkState() == Qt.CheckState.Checked]

    def _update_count(self) -> None:
        total = self.products.rowCount()
        self.products_title.setText(self.tr("Products: %1 of %2 chosen")
                                    .replace("%1", str(len(self.selected())))
                                    .replace("%2", str(total)))

    # ----- language ---------------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.open_button.setText(self.tr("Open a product file…"))
        if self.path is None:
            self.file_label.setText(self.tr("CSV, TSV or XLSX: a Shopify export, a Taobao or JD sheet, or "
                                            "your own. Nothing is stored until you start."))
        self.encoding_button.setText(self.tr("Read with this encoding"))
        self.mapping_title.setText(self.tr("Columns: correct what each one is"))
        self.mapping.setHorizontalHeaderLabels([self.tr("Column"), self.tr("Example"),
                                                self.tr("Product field")])
        self.products.setHorizontalHeaderLabels(["", self.tr("Product"), self.tr("SKU / handle"),
                                                 self.tr("Price")])
        self.all_button.setText(self.tr("All"))
        self.none_button.setText(self.tr("None"))
        if self.result is not None:
            self._fill_mapping()
            self._update_count()
            self._show_warnings()
