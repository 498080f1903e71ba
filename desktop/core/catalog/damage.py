"""What Excel does to SKUs and barcodes: scientific notation (6.90123E+12), lost leading zeros,
a trailing ".0", digits past the 15th replaced by zeros. Each finding names its row and column."""

from __future__ import annotations

import re
from collections import Counter

from desktop.core.catalog.mapping import normalise
from desktop.core.catalog.model import ImportWarning

SCIENTIFIC = re.compile(r"^\s*[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d+\s*$")
FLOAT_SUFFIX = re.compile(r"^\s*\d+\.0+\s*$")
DIGITS = re.compile(r"^\d+$")
ID_HINTS = ("sku", "barcode", "ean", "upc", "gtin", "条码", "条形码", "编码", "货号", "款号")
MAX_PER_COLUMN = 20  # details per (problem, column); the rest are counted in one summary warning


def id_columns(header: list[str], mapping: dict[str, str | None]) -> list[str]:
    """Columns holding identifiers: mapped to sku/barcode, or named like one."""
    return [
        c for c in header if mapping.get(c) in ("sku", "barcode") or any(h in normalise(c) for h in ID_HINTS)
    ]


def _is_barcode(column: str, mapping: dict[str, str | None]) -> bool:
    name = normalise(column)
    return mapping.get(column) == "barcode" or any(
        h in name for h in ("barcode", "ean", "upc", "gtin", "条码")
    )


def excel_damage(
    header: list[str],
    rows: list[list[str]],
    row_numbers: list[int],
    mapping: dict[str, str | None],
    numeric_cells: list[dict] | None = None,
) -> list[ImportWarning]:
    out: list[ImportWarning] = []
    for column in id_columns(header, mapping):
        col = header.index(column)
        values = [
            (n, r[col].strip())
            for n, r in zip(row_numbers, rows, strict=True)
            if col < len(r) and r[col].strip()
        ]
        digit_lengths = Counter(len(v) for _, v in values if DIGITS.match(v))
        usual = None
        if digit_lengths and sum(digit_lengths.values()) >= 3:
            length, count = digit_lengths.most_common(1)[0]
            if count >= 0.5 * sum(digit_lengths.values()):
                usual = length
        barcode = _is_barcode(column, mapping)
        for number, value in values:
            if SCIENTIFIC.match(value):
                out.append(
                    ImportWarning(
                        "sci-notation",
                        f"Row {number}, column {column}: {value} is in scientific notation, as Excel shows "
                        "long numbers; its real digits are lost. Format the column as Text in Excel, fix the "
                        "value and import again.",
                        f"第 {number} 行“{column}”列:{value} 是科学计数法(Excel 对长数字的显示方"
                        "式),真实数字已丢失。请在 Excel 中把该列设为“文本”格式,改正后重新导入。",
                        row=number,
                        column=column,
                        value=value,
                    )
                )
            elif FLOAT_SUFFIX.match(value):
                out.append(
                    ImportWarning(
                        "float-suffix",
                        f'Row {number}, column {column}: {value} ends in ".0", a sign it went '
                        'through a number '
                        "format; check that the code is right.",
                        f"第 {number} 行“{column}”列:{value} 末尾带“.0”,说明曾被当作数字处"
                        "理;请核对编码是否正确。",
                        row=number,
                        column=column,
                        value=value,
                    )
                )
            elif DIGITS.match(value) and (
                (usual and 0 < usual - len(value) <= 3) or (barcode and len(value) in (7, 11))
            ):
                out.append(
                    ImportWarning(
                        "leading-zeros",
                        f"Row {number}, column {column}: {value} has {len(value)} digits where this column "
                        f"usually has {usual or len(value) + 1}; Excel may have dropped leading zeros. Check "
                        "the value.",
                        f"第 {number} 行“{column}”列:{value} 只有 {len(value)} 位,该列通常为 "
                        f"{usual or len(value) + 1} 位;Excel 可能去掉了开头的 0。请核对。",
                        row=number,
                        column=column,
                        value=value,
                    )
                )
    id_indexes = {header.index(c): c for c in id_columns(header, mapping)}
    for cell in numeric_cells or []:
        column = id_indexes.get(cell["col"])
        if column is None:
            continue
        value = cell["value"]
        if isinstance(value, float) and abs(value) >= 1e15:
            out.append(
                ImportWarning(
                    "precision-lost",
                    f"Row {cell['row']}, column {column}: the code is stored as a number with more than "
                    "15 digits; Excel keeps only 15, so the last digits may be zeros. Store codes as Text.",
                    f"第 {cell['row']} 行“{column}”列:编码以超过 15 位的数字保存,Excel 只保留 15 位有效数字,"
                    "末尾几位可能已变成 0。请以文本格式保存编码。",
                    row=cell["row"],
                    column=column,
                    value=repr(value),
                )
            )
        elif cell["scientific"]:
            out.append(
                ImportWarning(
                    "sci-notation",
                    f"Row {cell['row']}, column {column}: the code is a number shown in scientific "
                    "notation; check that it is complete and store codes as Text.",
                    f"第 {cell['row']} 行“{column}”列:编码是以科学计数法显示的数字;请核对是否完整,并"
                    "以文本格式保存编码。",
                    row=cell["row"],
                    column=column,
                    value=repr(value),
                )
            )
    return out


def cap_warnings(warnings: list[ImportWarning], limit: int = MAX_PER_COLUMN) -> list[ImportWarning]:
    """At most `limit` warnings per (code, column), then one that counts the rest."""
    seen: Counter = Counter()
    kept: list[ImportWarning] = []
    for warning in warnings:
        key = (warning.code, warning.column)
        seen[key] += 1
        if seen[key] <= limit:
            kept.append(warning)
    for (code, column), count in seen.items():
        if count > limit:
            where_en = f" in column {column}" if column else ""
            where_zh = f"“{column}”列中" if column else ""
            kept.append(
                ImportWarning(
                    "more-warnings",
                    f"{count - limit} more {code} warnings{where_en} (showing the first {limit}).",
                    f"{where_zh}还有 {count - limit} 条 {code} 提示(仅显示前 {limit} 条)。",
                    column=column,
                )
            )
    return kept
