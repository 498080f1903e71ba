"""Exports: generic CSV (UTF-8, UTF-8 with BOM, GB18030) and XLSX, written atomically, with every
cell a spreadsheet would run as a formula neutralised.

CSV (OWASP "CSV injection"): a CSV cell has no type, so a text cell starting with = + - @ tab or
carriage return gets a leading apostrophe, in every column. One exception, by design: a cell that is
exactly a plain number ("-5", "+3.20", "-1e3") is left alone. A number literal cannot carry a formula,
and Shopify files hold real negative numbers (an oversold "Variant Inventory Qty" of -3) that an
apostrophe would break on re-import. Anything else starting with those characters ("-2+3+cmd|...") is
prefixed.

XLSX: a cell has a type, so the merchant's exact text is kept. A text starting with those characters
is written as a string cell (never a formula) marked "quote prefix", which keeps it text when the
merchant edits it in Excel or LibreOffice: a product named -2+3 comes back as -2+3.
"""

from __future__ import annotations

import contextlib
import csv
import errno
import io
import itertools
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from desktop.core.catalog.errors import DiskFullError, ExportEncodingError, ExportError

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_FIRST = frozenset("=+-@\t\r")
_BATCH_ROWS = 2000
PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
CSV_ENCODINGS = ("utf-8", "utf-8-sig", "gb18030")
XLSX_CELL_MAX = 32767  # Excel's limit on characters in one cell
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # not allowed in XML, so not in XLSX


def neutralise(value: str) -> str:
    """The cell text a spreadsheet will show as text, never run as a formula."""
    if value.startswith(FORMULA_START) and not PLAIN_NUMBER.match(value):
        return "'" + value
    return value


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def columns_of(rows: Iterable[dict]) -> list[str]:
    """Every key of the rows, in the order keys first appear."""
    seen: dict[str, None] = {}
    for row in rows:
        for key in row:
            seen.setdefault(str(key), None)
    return list(seen)


def _os_error(exc: OSError, out_path: Path) -> ExportError:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return DiskFullError(
            f"Not enough disk space to write {out_path.name} (or the file is larger than this "
            "system allows). Nothing was written: free some space or choose another folder, then "
            "export again.",
            f"磁盘空间不足,无法写入 {out_path.name}(或文件超过了系统允许的大小)。未写入任何内容:"
            "请清理空间或选择其他文件夹后重新导出。",
        )
    if isinstance(exc, PermissionError):
        return ExportError(
            f"No permission to write {out_path.name} in that folder. Choose another folder.",
            f"没有权限在该文件夹写入 {out_path.name}。请选择其他文件夹。",
        )
    return ExportError(
        f"Could not write {out_path.name}: {exc.strerror or exc}. Nothing was written.",
        f"无法写入 {out_path.name}:{exc.strerror or exc}。未写入任何内容。",
    )


@contextlib.contextmanager
def atomic_output(out_path: str | Path) -> Iterator[IO[bytes]]:
    """A binary file that becomes `out_path` only when the block finishes: written to a temporary file
    in the same folder, synced, then renamed over the target. On any failure the temporary file is
    removed and an existing `out_path` is left as it was."""
    out_path = Path(out_path)
    folder = out_path.parent
    if not folder.is_dir():
        raise ExportError(
            f"The folder for {out_path.name} does not exist. Choose an existing folder.",
            f"{out_path.name} 所在的文件夹不存在。请选择一个已有的文件夹。",
        )
    try:
        fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=f".{out_path.name}.", suffix=".part")
    except OSError as exc:
        raise _os_error(exc, out_path) from exc
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        if out_path.exists():
            os.chmod(tmp, out_path.stat().st_mode & 0o777)  # an overwritten file keeps its permissions
        os.replace(tmp, out_path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise _os_error(exc, out_path) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _check_encoding(encoding: str) -> str:
    name = encoding.lower().replace("_", "-")
    if name not in CSV_ENCODINGS:
        raise ExportError(
            f"Unsupported export encoding {encoding!r}: choose utf-8, utf-8-sig (Excel) or gb18030.",
            f"不支持的导出编码 {encoding!r}:请选择 utf-8、utf-8-sig(Excel)或 gb18030。",
        )
    return name


def _safe_cells(row: Iterable[Any]) -> list[str]:
    """Cells as text, NUL characters dropped (never valid in a spreadsheet cell), then neutralised."""
    cells = [c if c.__class__ is str else _cell_text(c) for c in row]
    if "\x00" in "".join(cells):
        cells = [c.replace("\x00", "") for c in cells]
    return [neutralise(c) if c and c[0] in _FORMULA_FIRST else c for c in cells]


def _unencodable(cells: list[str], codec: str, encoding: str, row_number: int, header: list[str]) -> None:
    for i, cell in enumerate(cells):
        try:
            cell.encode(codec)
        except UnicodeEncodeError as exc:
            column = header[i] if i < len(header) else f"Column {i + 1}"
            bad = cell[exc.start : exc.end]
            raise ExportEncodingError(
                f"Row {row_number}, column {column}: the character {bad!r} cannot be written in {encoding}. "
                "Remove it, or export as UTF-8.",
                f"第 {row_number} 行“{column}”列:字符 {bad!r} 无法用 {encoding} 编码写入。"
                "请删除该字符,或改用 UTF-8 导出。",
                row=row_number,
                column=column,
            ) from exc


def write_csv_rows(
    out_path: str | Path,
    header: list[str],
    rows: Iterable[Iterable[Any]],
    encoding: str = "utf-8",
    quoting: int = csv.QUOTE_MINIMAL,
) -> int:
    """Header and rows as CSV, every cell neutralised, written atomically in batches.
    Returns the number of data rows written."""
    encoding = _check_encoding(encoding)
    codec = "utf-8" if encoding == "utf-8-sig" else encoding
    count = 0
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=quoting)
    batch: list[list[str]] = []

    def flush(fh: IO[bytes], first_row: int) -> None:
        try:
            data = buffer.getvalue().encode(codec)
        except UnicodeEncodeError:
            for offset, cells in enumerate(batch):
                _unencodable(cells, codec, encoding, first_row + offset, header)
            raise
        fh.write(data)
        buffer.seek(0)
        buffer.truncate()
        batch.clear()

    with atomic_output(out_path) as fh:
        if encoding == "utf-8-sig":
            fh.write(b"\xef\xbb\xbf")
        first = 1  # spreadsheet row of the batch's first row (the header is row 1)
        for cells in itertools.chain([_safe_cells(header)], (_safe_cells(r) for r in rows)):
            writer.writerow(cells)
            batch.append(cells)
            count += 1
            if len(batch) >= _BATCH_ROWS:
                flush(fh, first)
                first = count + 1
        flush(fh, first)
    return count - 1


def export_csv(
    rows: list[dict], out_path: str | Path, encoding: str = "utf-8", columns: list[str] | None = None
) -> int:
    """Rows of {column: value} as a CSV file. Every field is quoted, so no delimiter inside a value
    can be mistaken for another; `columns` fixes the order (default: keys in order of appearance).
    encoding: utf-8 (uploads), utf-8-sig (Excel), gb18030 (Chinese desktop tools)."""
    header = columns or columns_of(rows)
    body = ([row.get(c) for c in header] for row in rows)
    return write_csv_rows(out_path, header, body, encoding, quoting=csv.QUOTE_ALL)


def _xlsx_value(value: Any, row_number: int, column: str) -> Any:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    text = _XLSX_ILLEGAL.sub("", _cell_text(value))
    # XML parsers turn a raw carriage return into a line feed; say so ourselves, consistently.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if len(text) > XLSX_CELL_MAX:
        raise ExportError(
            f"Row {row_number}, column {column}: {len(text):,} characters; a spreadsheet cell holds at most "
            f"{XLSX_CELL_MAX:,}. Shorten the text or export as CSV.",
            f"第 {row_number} 行“{column}”列:共 {len(text):,} 个字符,表格单元格最多 {XLSX_CELL_MAX:,} 个。"
            "请缩短文字或改用 CSV 导出。",
            row=row_number,
            column=column,
        )
    return text if text else None


def _xlsx_cell(sheet: Any, value: Any) -> Any:
    """The value as openpyxl appends it; a text a spreadsheet would read as a formula (= + - @) becomes
    a string cell with the quote-prefix style: exactly the text, and text it stays."""
    if value.__class__ is str and value[:1] in _FORMULA_FIRST:
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"  # openpyxl reads a leading "=" as a formula; this is text
        cell.quotePrefix = True
        return cell
    return value


def _discard_sheet_buffer(sheet: Any) -> None:
    """After a failed export, close openpyxl's half-written sheet stream and delete its temporary
    file now, instead of leaving both to the garbage collector and the process exit."""
    writer = getattr(sheet, "_writer", None)
    if writer is None:
        return
    with contextlib.suppress(Exception):
        if getattr(sheet, "_rows", None) is not None:
            sheet._rows.close()
    with contextlib.suppress(Exception):
        writer.xf.close()
    with contextlib.suppress(Exception):
        writer.cleanup()


def export_xlsx(
    rows: list[dict], out_path: str | Path, columns: list[str] | None = None, sheet_title: str = "Products"
) -> int:
    """Rows of {column: value} as an XLSX workbook (streamed by openpyxl's write-only mode). Text stays
    text, exactly as given (codes keep their leading zeros; "=1+1" is a text cell, never a formula);
    numbers given as int/float stay numbers. Every cell is checked before anything is written."""
    from openpyxl import Workbook

    header = columns or columns_of(rows)
    table = [[_xlsx_value(h, 1, h) for h in header]]
    table += [
        [_xlsx_value(row.get(c), number, c) for c in header] for number, row in enumerate(rows, start=2)
    ]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    try:
        # openpyxl streams rows to a temporary file as they are appended, so a full disk can strike
        # here too: everything runs inside the atomic output, which maps OSError to a clear error.
        with atomic_output(out_path) as fh:
            for values in table:
                sheet.append([_xlsx_cell(sheet, v) for v in values])
            workbook.save(fh)
    except BaseException:
        _discard_sheet_buffer(sheet)
        raise
    return len(rows)
