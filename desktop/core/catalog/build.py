"""Turn a table (header + rows) and a mapping into products: rows sharing a handle are one product
(Shopify's variant and image rows); otherwise each non-blank row is a product."""

from __future__ import annotations

from collections import Counter

from desktop.core.catalog.mapping import option_columns, option_field
from desktop.core.catalog.model import FIELDS, ImportWarning, ProductRecord


def _group_rows(
    header: list[str], rows: list[list[str]], row_numbers: list[int], mapping: dict[str, str | None]
) -> tuple[list[list[int]], list[ImportWarning]]:
    """Lists of row indexes, one per product, in the order products first appear."""
    warnings: list[ImportWarning] = []
    handle_cols = [header.index(c) for c in header if mapping.get(c) == "handle"]
    name_cols = [header.index(c) for c in header if mapping.get(c) == "name"]
    groups: list[list[int]] = []
    by_handle: dict[str, int] = {}
    for i, row in enumerate(rows):
        if not "".join(row).strip():
            continue
        if not handle_cols:
            groups.append([i])
            continue
        handle = next((row[c].strip() for c in handle_cols if row[c].strip()), "")
        if handle:
            if handle in by_handle:
                groups[by_handle[handle]].append(i)
            else:
                by_handle[handle] = len(groups)
                groups.append([i])
        elif any(row[c].strip() for c in name_cols) or not groups:
            groups.append([i])  # a new product without a handle (Shopify makes one from the title)
        else:
            groups[-1].append(i)
            warnings.append(
                ImportWarning(
                    "orphan-row",
                    f"Row {row_numbers[i]} has no handle and no title; it was added to the product above it.",
                    f"第 {row_numbers[i]} 行没有 handle 也没有标题,已并入上一行的商品。",
                    row=row_numbers[i],
                )
            )
    return groups, warnings


def _first(values: tuple[str, ...] | list[str]) -> str:
    for value in values:
        if value and not value.isspace():
            return value
    return ""


def _product(
    header: list[str],
    rows: list[list[str]],
    row_numbers: list[int],
    indexes: list[int],
    mapping: dict[str, str | None],
    options: dict[int, dict[str, int]],
) -> ProductRecord:
    group = [rows[i] for i in indexes]
    width = len(header)
    # Each column's first non-empty value across the group (one row: the row itself).
    if len(group) == 1:
        firsts = group[0][:width]
    else:
        firsts = [_first(column) for column in zip(*(r[:width] for r in group), strict=True)]
    fields: dict[str, str] = {}
    extra: dict[str, str] = {}
    for column, value in zip(header, firsts, strict=True):
        if not value or value.isspace():
            continue
        field = mapping.get(column)
        if field:
            if not fields.get(field):
                fields[field] = value.strip() if field in ("handle", "sku", "barcode", "price") else value
        else:
            extra[column] = value
    # Variant options named Color / 颜色 / Size / 尺码 / Material fill those fields with every value.
    for cols in options.values():
        if "name" not in cols or "value" not in cols:
            continue
        name = firsts[cols["name"]]
        field = option_field(name.strip()) if name else None
        if field and not fields.get(field):
            unique = list(dict.fromkeys(v for v in (r[cols["value"]].strip() for r in group) if v))
            if unique:
                fields[field] = ", ".join(unique)
    ordered = {f: fields[f] for f in FIELDS if f in fields}
    return ProductRecord(
        fields=ordered,
        extra=extra,
        row_numbers=[row_numbers[i] for i in indexes],
        row_indexes=list(indexes),
        columns=header,
        values=group,
    )


def build_products(
    header: list[str], rows: list[list[str]], row_numbers: list[int], mapping: dict[str, str | None]
) -> tuple[list[ProductRecord], list[ImportWarning]]:
    groups, warnings = _group_rows(header, rows, row_numbers, mapping)
    options = {n: {k: header.index(c) for k, c in cols.items()} for n, cols in option_columns(header).items()}
    products = [_product(header, rows, row_numbers, g, mapping, options) for g in groups]
    mapped = set(mapping.values())
    if "name" not in mapped:
        warnings.append(
            ImportWarning(
                "no-name",
                "No column was recognised as the product name. Choose it in the column mapping.",
                "没有识别到商品名称列。请在列映射中指定。",
            )
        )
    else:
        for product in products:
            if not product.name:
                warnings.append(
                    ImportWarning(
                        "no-name",
                        f"Row {product.row_numbers[0]}: the product has no name.",
                        f"第 {product.row_numbers[0]} 行:商品没有名称。",
                        row=product.row_numbers[0],
                    )
                )
    if "handle" not in mapped:
        # Without handles, two rows with the same SKU would become the same product when saved.
        counts = Counter(p.sku for p in products if p.sku)
        for product in products:
            if product.sku and counts[product.sku] > 1:
                warnings.append(
                    ImportWarning(
                        "duplicate-key",
                        f"Row {product.row_numbers[0]}: SKU {product.sku} appears in "
                        f"{counts[product.sku]} rows; when saved they are one product (the last row wins).",
                        f"第 {product.row_numbers[0]} 行:SKU {product.sku} 出现在 {counts[product.sku]} 行中;"
                        "保存时会合并为同一个商品(以最后一行为准)。",
                        row=product.row_numbers[0],
                        column=None,
                        value=product.sku,
                    )
                )
    return products, warnings
