"""Write generated copy back into a Shopify product CSV the shop can import.

For a Shopify export, the merchant's own header set, column order, variant rows and image rows are
kept exactly; only Title (when given), Body (HTML) / Description, SEO title, SEO description and Tags
of each product's first row change. Other files become a new-format Shopify CSV, one row per product.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from desktop.core.catalog.mapping import SHOPIFY_OUTPUT_COLUMNS, normalise
from desktop.core.catalog.model import ImportResult, ProductRecord
from desktop.core.catalog.writer import write_csv_rows

# Keys accepted in `generated[handle]`, and the product field each one fills.
GENERATED_KEYS = {
    "name": "name",
    "title": "name",
    "product_title": "name",
    "description": "description",
    "body_html": "description",
    "body": "description",
    "seo_title": "seo_title",
    "seo_description": "seo_description",
    "meta_description": "seo_description",
    "tags": "tags",
}

NEW_FORMAT_COLUMNS = (
    ("Title", "name"),
    ("URL handle", "handle"),
    ("Description", "description"),
    ("Vendor", "vendor"),
    ("Type", "category"),
    ("Tags", "tags"),
    ("Published on online store", None),
    ("Status", None),
    ("SKU", "sku"),
    ("Barcode", "barcode"),
    ("Price", "price"),
    ("Product image URL", "image"),
    ("SEO title", "seo_title"),
    ("SEO description", "seo_description"),
)

_HTML_TAG = re.compile(r"<(p|br|ul|ol|li|div|h[1-6]|strong|em|b|i|span|table|img|a)\b", re.IGNORECASE)
_BULLET = re.compile(r"^\s*(?:[-*•·●▪]|\d+[.)、])\s+")


def text_to_html(text: str) -> str:
    """Plain generated text as simple HTML: paragraphs, line breaks, bullet lists. Text that already
    contains HTML tags is kept as it is."""
    if _HTML_TAG.search(text):
        return text
    parts = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if not lines:
            continue
        if len(lines) > 1 and all(_BULLET.match(line) for line in lines):
            items = "".join(f"<li>{html.escape(_BULLET.sub('', line), quote=False)}</li>" for line in lines)
            parts.append(f"<ul>{items}</ul>")
        else:
            parts.append("<p>" + "<br>".join(html.escape(line, quote=False) for line in lines) + "</p>")
    return "".join(parts)


def slugify(text: str) -> str:
    """A Shopify handle: lower-case ASCII letters, digits and dashes. Empty when most of the text is
    not Latin (a Chinese title would leave only stray letters such as "t" from "T恤")."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    kept = sum(ch.isalnum() for ch in ascii_text)
    total = sum(ch.isalnum() for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    if total and kept < 0.7 * total:
        return ""
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _generated_fields(values: dict[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in values.items():
        field = GENERATED_KEYS.get(key)
        if field is None or value is None:
            continue
        if isinstance(value, list | tuple):
            value = ", ".join(str(v).strip() for v in value if str(v).strip())
        text = str(value)
        out[field] = text_to_html(text) if field == "description" else text.strip()
    return out


def product_handles(result: ImportResult) -> list[str]:
    """Each product's handle as the export writes it: its own, else one made from its name or SKU,
    made unique. Use these as the keys of `generated` for files without handles."""
    used: set[str] = set()
    out = []
    for n, product in enumerate(result.products, start=1):
        handle = product.handle or slugify(product.name) or slugify(product.sku) or f"product-{n}"
        base, i = handle, 2
        while handle in used and not product.handle:
            handle = f"{base}-{i}"
            i += 1
        used.add(handle)
        out.append(handle)
    return out


def _column_index(header: list[str], wanted: str) -> int | None:
    key = normalise(wanted)
    return next((i for i, h in enumerate(header) if normalise(h) == key), None)


def _fill_shopify(
    result: ImportResult, generated: dict[str, dict[str, Any]]
) -> tuple[list[str], Iterator[list[str]], int]:
    header = list(result.raw_header)
    targets = SHOPIFY_OUTPUT_COLUMNS[result.format]
    index: dict[str, int] = {}
    for field, column in targets.items():
        i = _column_index(header, column)
        if i is None and field != "name":
            header.append(column)  # a hand-made file without SEO columns gets them at the end
            i = len(header) - 1
        if i is not None:
            index[field] = i
    changes: dict[int, dict[int, str]] = {}  # row index -> {column index: new text}
    for product, handle in zip(result.products, product_handles(result), strict=True):
        values = _generated_fields(generated.get(handle, {}))
        cells = {index[field]: text for field, text in values.items() if field in index}
        if cells:
            changes[product.row_indexes[0]] = cells  # product-level columns live on its first row
    width = len(header)

    def rows() -> Iterator[list[str]]:
        for i, row in enumerate(result.rows):
            if len(row) < width:
                row = row + [""] * (width - len(row))
            if i in changes:
                row = list(row)
                for col, text in changes[i].items():
                    row[col] = text
            yield row

    return header, rows(), len(changes)


def _new_format(
    result: ImportResult, generated: dict[str, dict[str, Any]]
) -> tuple[list[str], list[list[str]], int]:
    header = [column for column, _ in NEW_FORMAT_COLUMNS]
    rows, filled = [], 0
    for product, handle in zip(result.products, product_handles(result), strict=True):
        values: dict[str, str] = dict(product.fields)
        values["handle"] = handle
        if "description" in values:
            values["description"] = text_to_html(values["description"])
        gen = _generated_fields(generated.get(handle, {}))
        filled += bool(gen)
        values.update(gen)
        row = [values.get(field, "") if field else "" for _, field in NEW_FORMAT_COLUMNS]
        row[header.index("Published on online store")] = "FALSE"  # the merchant reviews before publishing
        row[header.index("Status")] = "draft"
        rows.append(row)
    return header, rows, filled


def export_shopify(
    import_result: ImportResult, generated: dict[str, dict[str, Any]], out_path: str | Path
) -> dict[str, Any]:
    """Write a Shopify product CSV (UTF-8, commas) with the generated fields filled in.

    generated: {handle: {"description" | "body_html": ..., "seo_title": ..., "seo_description": ...,
    "tags": str or list, "title": ... (optional)}}; plain-text descriptions become simple HTML.
    Returns {"rows", "products", "filled", "unmatched": [handles in `generated` not in the file]}.
    """
    if import_result.format in SHOPIFY_OUTPUT_COLUMNS:
        header, rows, filled = _fill_shopify(import_result, generated)
    else:
        header, rows, filled = _new_format(import_result, generated)
    written = write_csv_rows(out_path, header, rows, "utf-8")
    known = set(product_handles(import_result))
    return {
        "rows": written,
        "products": len(import_result.products),
        "filled": filled,
        "unmatched": sorted(h for h in generated if h not in known),
    }


def product_row(product: ProductRecord) -> dict[str, str]:
    """One product as a flat row for generic CSV/XLSX exports: fields, then extra columns."""
    return {**product.fields, **{k: v for k, v in product.extra.items() if k not in product.fields}}
