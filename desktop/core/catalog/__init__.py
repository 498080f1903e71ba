"""Product files in and out: CSV/TSV/XLSX import with encoding, delimiter and column detection;
Shopify CSV, generic CSV and XLSX export with spreadsheet formulas neutralised. Qt-free.

Storing products in SQLite lives in `desktop.core.catalog.products` (it needs the store).
"""

from desktop.core.catalog.errors import (
    CatalogImportError,
    DiskFullError,
    ExportEncodingError,
    ExportError,
    FileTooLargeError,
    MalformedFileError,
    MappingError,
    TooManyRowsError,
    UnknownEncodingError,
)
from desktop.core.catalog.mapping import auto_mapping, detect_format
from desktop.core.catalog.model import FIELDS, FORMATS, ImportResult, ImportWarning, ProductRecord
from desktop.core.catalog.reader import DEFAULT_MAX_BYTES, DEFAULT_MAX_ROWS, read_products, read_table, remap
from desktop.core.catalog.shopify import export_shopify, product_handles, product_row, text_to_html
from desktop.core.catalog.writer import export_csv, export_xlsx, neutralise

__all__ = [
    "CatalogImportError",
    "DiskFullError",
    "ExportEncodingError",
    "ExportError",
    "FileTooLargeError",
    "MalformedFileError",
    "MappingError",
    "TooManyRowsError",
    "UnknownEncodingError",
    "auto_mapping",
    "detect_format",
    "FIELDS",
    "FORMATS",
    "ImportResult",
    "ImportWarning",
    "ProductRecord",
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_ROWS",
    "read_products",
    "read_table",
    "remap",
    "export_shopify",
    "product_handles",
    "product_row",
    "text_to_html",
    "export_csv",
    "export_xlsx",
    "neutralise",
]
