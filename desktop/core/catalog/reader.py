"""Read a product file (CSV, TSV, XLSX) into an ImportResult, all or nothing.

    result = read_products("products_export.csv")            # detect everything
    result = read_products(path, encoding="gb18030")          # after UnknownEncodingError
    result = remap(result, {"宝贝标题": "name"})                # the user corrects the mapping

The whole file is parsed and checked before a single product is returned, so a broken file imports
nothing. Detection looks at the first 128 KB; validation streams the file, never holding it twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from desktop.core.catalog import csvfile
from desktop.core.catalog import encoding as enc
from desktop.core.catalog.build import build_products
from desktop.core.catalog.csvfile import Progress
from desktop.core.catalog.damage import cap_warnings, excel_damage
from desktop.core.catalog.errors import CatalogImportError, FileTooLargeError
from desktop.core.catalog.mapping import auto_mapping, merge_mapping
from desktop.core.catalog.model import ImportResult, ImportWarning
from desktop.core.catalog.xlsx import XLS_MAGIC, XLSX_MAGIC, read_xlsx

DEFAULT_MAX_BYTES = 200 * 1024 * 1024
DEFAULT_MAX_ROWS = 200_000
TITLE_ROW_LOOKAHEAD = 10


@dataclass
class Table:
    """A file's grid before mapping: header, data rows, and how it was read."""

    header: list[str]
    raw_header: list[str]
    rows: list[list[str]]
    row_numbers: list[int]
    encoding: str | None
    delimiter: str | None
    file_type: str
    warnings: list[ImportWarning] = field(default_factory=list)
    numeric_cells: list[dict] = field(default_factory=list)


def _check_file(path: Path, max_bytes: int) -> int:
    if not path.exists():
        raise CatalogImportError(f"The file {path.name} does not exist.", f"文件 {path.name} 不存在。")
    if not path.is_file():
        raise CatalogImportError(f"{path.name} is not a file.", f"{path.name} 不是文件。")
    size = path.stat().st_size
    if size > max_bytes:
        raise FileTooLargeError(
            f"{path.name} is {size / 1e6:,.0f} MB; one import takes at most {max_bytes / 1e6:,.0f} MB. "
            "Split it into smaller files and import them one after another.",
            f"{path.name} 大小为 {size / 1e6:,.0f} MB,单次导入最多 {max_bytes / 1e6:,.0f} MB。"
            "请拆分成较小的文件,逐个导入。",
        )
    if size == 0:
        raise CatalogImportError(f"{path.name} is empty.", f"{path.name} 是空文件。")
    return size


def _refuse_other_formats(path: Path, head: bytes) -> None:
    if head.startswith(XLS_MAGIC):
        raise CatalogImportError(
            f"{path.name} is an old Excel 97-2003 workbook (.xls). Open it in Excel or WPS and save it as "
            ".xlsx or CSV.",
            f"{path.name} 是旧版 Excel 97-2003 工作簿(.xls)。请用 Excel 或 WPS 打开,另存为 .xlsx 或 CSV。",
        )
    start = head[:512].lstrip().lower()
    if start.startswith((b"<html", b"<!doctype", b"<table", b"<?xml")):
        raise CatalogImportError(
            f"{path.name} is a web page or XML file saved under a spreadsheet name. Open it in Excel "
            "or WPS and save it as .xlsx or CSV.",
            f"{path.name} 实际是网页或 XML 文件。请用 Excel 或 WPS 打开,另存为 .xlsx 或 CSV。",
        )


def _read_csv(
    path: Path,
    size: int,
    head: bytes,
    encoding: str | None,
    delimiter: str | None,
    max_rows: int,
    progress: Progress | None,
) -> Table:
    whole = size <= len(head)
    candidates = enc.candidate_encodings(path, head, encoding)
    for name, skip in candidates:
        sample = enc.decode_head(head, name, skip, whole)
        if sample is None:
            if len(candidates) == 1:
                where = enc.locate_decode_error(path, name, skip)
                raise csvfile.decode_failure(path, name, where[1] if where else None)
            continue
        if name == "gb18030" and not encoding and not enc.looks_like_chinese(sample):
            continue  # decodes, but as nonsense: let the user choose
        prefer_tab = name.startswith("utf-16") or path.suffix.lower() in (".tsv", ".tab", ".txt")
        delim = delimiter or csvfile.detect_delimiter(sample, whole, prefer_tab=prefer_tab)
        try:
            csvfile.count_records(path, name, skip, delim, max_rows, progress)
        except UnicodeDecodeError:
            if len(candidates) == 1:
                where = enc.locate_decode_error(path, name, skip)
                raise csvfile.decode_failure(path, name, where[1] if where else None) from None
            continue
        rows, numbers = csvfile.read_records(path, name, skip, delim, progress)
        return Table([], [], rows, numbers, name, delim, "csv")
    raise enc.unknown_encoding(path, head)


def _non_empty(row: list[str]) -> int:
    return sum(1 for cell in row if cell.strip())


def _split_header(table: Table) -> Table:
    """Find the header row (skipping blank rows and one-cell title lines above a wider table), make
    its names unique, and pad the data rows to its width."""
    rows, numbers = table.rows, table.row_numbers
    start = 0
    while start < len(rows) and _non_empty(rows[start]) == 0:
        start += 1
    skipped = []
    while start < len(rows) and _non_empty(rows[start]) == 1:
        ahead = rows[start + 1 : start + 1 + TITLE_ROW_LOOKAHEAD]
        if not any(_non_empty(r) >= 2 for r in ahead):
            break
        skipped.append(numbers[start])
        start += 1
        while start < len(rows) and _non_empty(rows[start]) == 0:
            start += 1
    if start >= len(rows):
        raise CatalogImportError("The file has no header row and no data.", "文件没有表头,也没有数据。")
    raw_header = list(rows[start])
    if raw_header:
        raw_header[0] = raw_header[0].lstrip("\ufeff")
    header: list[str] = []
    warnings = list(table.warnings)
    for i, raw in enumerate(raw_header):
        name = raw if raw.strip() else f"Column {i + 1}"
        base, n = name, 2
        while name in header:
            name = f"{base} ({n})"
            n += 1
        if name != raw and raw.strip():
            warnings.append(
                ImportWarning(
                    "duplicate-column",
                    f"The column {raw!r} appears more than once; this one is called {name!r}.",
                    f"列 {raw!r} 出现了多次;这一列称为 {name!r}。",
                    column=name,
                )
            )
        header.append(name)
    if skipped:
        warnings.append(
            ImportWarning(
                "skipped-rows",
                f"Rows {', '.join(map(str, skipped))} above the header were skipped (a title, not data).",
                f"表头上方的第 {'、'.join(map(str, skipped))} 行为标题而非数据,已跳过。",
                row=skipped[0],
            )
        )
    width = len(header)
    data, data_numbers = [], []
    for row, number in zip(rows[start + 1 :], numbers[start + 1 :], strict=True):
        if len(row) < width:
            row = row + [""] * (width - len(row))
        elif len(row) > width and any(cell.strip() for cell in row[width:]):
            warnings.append(
                ImportWarning(
                    "ragged-row",
                    f"Row {number} has {len(row)} cells but the header has {width}; the extra cells "
                    "are kept in exports but not read as product fields.",
                    f"第 {number} 行有 {len(row)} 个单元格,但表头只有 {width} 列;多出的单元格会在导出时保"
                    "留,但不作为商品字段读取。",
                    row=number,
                )
            )
        data.append(row)
        data_numbers.append(number)
    return replace(
        table, header=header, raw_header=raw_header, rows=data, row_numbers=data_numbers, warnings=warnings
    )


def read_table(
    path: str | Path,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_rows: int = DEFAULT_MAX_ROWS,
    progress: Progress | None = None,
) -> Table:
    """The file's header and rows, unmapped. Raises a CatalogImportError subclass naming the problem."""
    path = Path(path)
    if delimiter is not None and len(delimiter) != 1:
        raise CatalogImportError("The delimiter must be one character.", "分隔符必须是一个字符。")
    size = _check_file(path, max_bytes)
    head = enc.read_head(path)
    if head.startswith(XLSX_MAGIC):
        rows, numbers, warnings, numeric = read_xlsx(path, max_rows, progress)
        table = Table([], [], rows, numbers, None, None, "xlsx", warnings, numeric)
    else:
        _refuse_other_formats(path, head)
        table = _read_csv(path, size, head, encoding, delimiter, max_rows, progress)
    return _split_header(table)


def _result(table: Table, mapping: dict[str, str | None], fmt: str, source: str) -> ImportResult:
    products, warnings = build_products(table.header, table.rows, table.row_numbers, mapping)
    damage = excel_damage(table.header, table.rows, table.row_numbers, mapping, table.numeric_cells)
    return ImportResult(
        products=products,
        mapping=mapping,
        warnings=cap_warnings(table.warnings + damage + warnings),
        encoding=table.encoding,
        delimiter=table.delimiter,
        format=fmt,
        header=table.header,
        rows=table.rows,
        row_numbers=table.row_numbers,
        raw_header=table.raw_header,
        source_file=source,
        file_type=table.file_type,
        numeric_cells=table.numeric_cells,
    )


def read_products(
    path: str | Path,
    mapping: dict[str, str | None] | None = None,
    encoding: str | None = None,
    *,
    delimiter: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_rows: int = DEFAULT_MAX_ROWS,
    progress: Progress | None = None,
) -> ImportResult:
    """Read and map a product file. `mapping` corrects the automatic mapping column by column
    (a column mapped to None goes to `extra`); `encoding` forces a text encoding; `progress(stage,
    rows)` is called every 10,000 rows (raise from it to cancel: nothing is kept)."""
    table = read_table(
        path,
        encoding=encoding,
        delimiter=delimiter,
        max_bytes=max_bytes,
        max_rows=max_rows,
        progress=progress,
    )
    auto, fmt = auto_mapping(table.header)
    return _result(table, merge_mapping(auto, mapping), fmt, str(Path(path).name))


def remap(result: ImportResult, mapping: dict[str, str | None]) -> ImportResult:
    """The same file with a corrected mapping, without reading it again."""
    table = Table(
        result.header,
        result.raw_header,
        result.rows,
        result.row_numbers,
        result.encoding,
        result.delimiter,
        result.file_type,
        numeric_cells=result.numeric_cells,
    )
    table.warnings = [
        w
        for w in result.warnings
        if w.code in ("duplicate-column", "skipped-rows", "ragged-row", "other-sheets")
    ]
    return _result(table, merge_mapping(result.mapping, mapping), result.format, result.source_file)
