"""XLSX import, streamed with openpyxl's read-only mode (rows are parsed as they are read)."""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from desktop.core.catalog.errors import CatalogImportError, TooManyRowsError
from desktop.core.catalog.model import ImportWarning

XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def cell_text(value: object) -> str:
    """A cell as the text a merchant sees: whole numbers without ".0", dates in ISO form."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ") if value.time() != dt.time() else value.date().isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def read_xlsx(
    path: Path, max_rows: int, progress: Callable[[str, int], None] | None = None
) -> tuple[list[list[str]], list[int], list[ImportWarning], list[dict]]:
    """Rows of the first worksheet as text, their row numbers, warnings, and per-cell number hints
    ({"row", "col", "value", "scientific"} for numeric cells) for the Excel-damage checks."""
    import openpyxl  # imported here: only XLSX imports pay for it
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise CatalogImportError(
            f"{path.name} is not a readable XLSX workbook ({exc}). Open it in your spreadsheet "
            "program and save it again as .xlsx or CSV.",
            f"{path.name} 不是可读取的 XLSX 工作簿({exc})。请用表格软件打开,重新另存为 .xlsx 或 CSV。",
        ) from exc
    warnings: list[ImportWarning] = []
    numeric: list[dict] = []
    rows: list[list[str]] = []
    numbers: list[int] = []
    try:
        sheets = workbook.worksheets
        if not sheets:
            raise CatalogImportError(f"{path.name} has no worksheet.", f"{path.name} 没有工作表。")
        sheet = sheets[0]
        if len(sheets) > 1:
            others = ", ".join(ws.title for ws in sheets[1:])
            warnings.append(
                ImportWarning(
                    "other-sheets",
                    f"Only the first sheet ({sheet.title}) was read; other sheets ignored: {others}.",
                    f"只读取了第一个工作表({sheet.title});其他工作表未读取:{others}。",
                )
            )
        sheet.reset_dimensions()  # stored dimensions are often wrong; read what is there
        data_rows = 0
        blanks: list[int] = []  # blank rows are kept only when data follows (formatted empty tails are not)
        for number, cells in enumerate(sheet.iter_rows(), start=1):
            row = []
            for col, cell in enumerate(cells):
                value = getattr(cell, "value", None)
                if isinstance(value, int | float) and not isinstance(value, bool):
                    fmt = getattr(cell, "number_format", "") or ""
                    numeric.append(
                        {"row": number, "col": col, "value": value, "scientific": "E+" in fmt.upper()}
                    )
                row.append(cell_text(value))
            while row and row[-1] == "":
                row.pop()
            if not row:
                blanks.append(number)
                continue
            data_rows += 1
            if progress is not None and data_rows % 10_000 == 0:
                progress("reading", number)
            if data_rows - 1 > max_rows:
                raise TooManyRowsError(
                    f"{path.name} has more than {max_rows:,} rows, the most one import takes. Split the "
                    "file into smaller files and import them one after another.",
                    f"{path.name} 超过 {max_rows:,} 行,超出单次导入的上限。请把文件拆分成较"
                    "小的文件,逐个导入。",
                    row=number,
                )
            for blank in blanks:
                rows.append([])
                numbers.append(blank)
            blanks.clear()
            rows.append(row)
            numbers.append(number)
    finally:
        workbook.close()
    return rows, numbers, warnings, numeric
