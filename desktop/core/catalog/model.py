"""What an import produces: products, the mapping used, warnings, and the raw table for export."""

from __future__ import annotations

from dataclasses import dataclass, field

# Canonical product fields, in the order the UI lists them. seo_title / seo_description exist so a
# Shopify file's own SEO columns are recognised (and written back by the export).
FIELDS: tuple[str, ...] = (
    "handle",
    "sku",
    "name",
    "description",
    "features",
    "price",
    "material",
    "color",
    "size",
    "brand",
    "category",
    "keywords",
    "audience",
    "vendor",
    "tags",
    "barcode",
    "image",
    "seo_title",
    "seo_description",
)

FORMATS: tuple[str, ...] = ("shopify-old", "shopify-new", "taobao", "generic")


@dataclass
class ImportWarning:
    """Something that imported but deserves a look (not a Python `Warning`: plain data for the UI).

    code: `sci-notation`, `leading-zeros`, `float-suffix`, `precision-lost`, `ragged-row`,
    `duplicate-column`, `skipped-rows`, `orphan-row`, `duplicate-key`, `no-name`, `other-sheets`,
    `more-warnings`.
    """

    code: str
    en: str
    zh: str
    row: int | None = None
    column: str | None = None
    value: str | None = None

    def text(self, lang: str = "en") -> str:
        return self.zh if lang == "zh" else self.en

    def to_dict(self) -> dict:
        return {
            "code": self.code,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "message": self.en,
            "message_zh": self.zh,
        }


@dataclass
class ProductRecord:
    """One product: canonical `fields`, unmapped columns in `extra`, and every source row it came from
    (a Shopify handle's variant and image rows), so an export can write them back.

    The rows are shared with ImportResult.rows, not copied; `source_rows` gives them as dicts.
    """

    fields: dict[str, str]
    extra: dict[str, str] = field(default_factory=dict)
    row_numbers: list[int] = field(default_factory=list)  # spreadsheet row of each source row
    row_indexes: list[int] = field(default_factory=list)  # index of each source row in ImportResult.rows
    columns: list[str] = field(default_factory=list, repr=False)  # the file's (unique) header
    values: list[list[str]] = field(default_factory=list, repr=False)  # the source rows as lists

    @property
    def source_rows(self) -> list[dict[str, str]]:
        """Each source row as {column: value}, every column of the file included."""
        return [dict(zip(self.columns, row, strict=False)) for row in self.values]

    @property
    def handle(self) -> str:
        return self.fields.get("handle", "")

    @property
    def sku(self) -> str:
        return self.fields.get("sku", "")

    @property
    def name(self) -> str:
        return self.fields.get("name", "")

    def key(self) -> tuple[str, str]:
        """The identity used to recognise the same product again: handle, else SKU, else name."""
        for kind in ("handle", "sku", "name"):
            value = self.fields.get(kind, "").strip()
            if value:
                return kind, value
        return "row", str(self.row_numbers[0] if self.row_numbers else 0)


@dataclass
class ImportResult:
    """Everything read from one file. Nothing is stored until the caller decides to save it."""

    products: list[ProductRecord]
    mapping: dict[str, str | None]  # column -> canonical field (None: kept in `extra`)
    warnings: list[ImportWarning]
    encoding: str | None  # None for XLSX
    delimiter: str | None  # None for XLSX
    format: str
    header: list[str]  # unique, non-empty column names (duplicates get " (2)", blanks "Column N")
    rows: list[list[str]]  # data rows as read (padded to the header width), blank rows included
    row_numbers: list[int] = field(default_factory=list)  # spreadsheet row of each entry in `rows`
    raw_header: list[str] = field(default_factory=list)  # the header exactly as in the file
    source_file: str = ""
    file_type: str = "csv"  # csv | xlsx
    numeric_cells: list[dict] = field(
        default_factory=list, repr=False
    )  # XLSX number cells, for damage checks

    def summary(self) -> dict:
        """A JSON-ready description for the UI and `--json` output (no row data)."""
        return {
            "source_file": self.source_file,
            "format": self.format,
            "file_type": self.file_type,
            "encoding": self.encoding,
            "delimiter": self.delimiter,
            "rows": len(self.rows),
            "products": len(self.products),
            "header": self.header,
            "mapping": self.mapping,
            "warnings": [w.to_dict() for w in self.warnings],
        }

    def column_values(self, column: str) -> list[str]:
        i = self.header.index(column)
        return [row[i] if i < len(row) else "" for row in self.rows]
