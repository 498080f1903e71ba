"""CSV and TSV: delimiter detection on a sample, then a streamed, strict parse into rows.

The parse is strict (a quote must close before the next delimiter) so a broken file is refused with
its row and line, never read half-way. A first pass only counts and validates, so a file over the
row limit is refused without holding its rows in memory.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

from desktop.core.catalog.errors import CatalogImportError, MalformedFileError, TooManyRowsError

DELIMITERS: tuple[str, ...] = (",", "\t", ";")
DELIMITER_NAMES = {",": "comma", "\t": "tab", ";": "semicolon"}
SNIFF_RECORDS = 50
# No product field is megabytes long: a field this size means a quote that never closes. The limit
# also bounds the memory such a file can take.
FIELD_LIMIT = 4 * 1024 * 1024
PROGRESS_EVERY = 10_000

# progress(stage, rows so far): stage is "checking" (first pass) or "reading". A callback may raise
# to cancel; nothing has been kept at that point.
Progress = Callable[[str, int], None]


def _ensure_field_limit() -> None:
    # csv's limit is process-wide; only ever raise it (to our bound), never lower someone's higher one.
    if csv.field_size_limit() < FIELD_LIMIT:
        csv.field_size_limit(FIELD_LIMIT)


def detect_delimiter(sample: str, whole_file: bool, prefer_tab: bool = False) -> str:
    """The delimiter that splits the sample's first records into the most consistent, widest rows.

    Quotes are respected, so a value like "a;b" does not vote for semicolons. A candidate that makes
    the strict parser fail (a quote followed by something other than that delimiter) is out.
    """
    _ensure_field_limit()
    order = ("\t", ",", ";") if prefer_tab else DELIMITERS
    best: tuple[tuple[float, int, int], str] | None = None
    for rank, delim in enumerate(order):
        widths = []
        try:
            reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delim, strict=True)
            for record in reader:
                if len(record) > 1 or any(cell.strip() for cell in record):  # ",," is evidence of commas
                    widths.append(len(record))
                if len(widths) > SNIFF_RECORDS:
                    break
        except csv.Error:
            if whole_file or reader.line_num < sample.count("\n"):
                continue  # a real quoting error under this delimiter
        if not whole_file and len(widths) > 1:
            widths.pop()  # the sample may have cut the last record
        if not widths:
            continue
        mode, count = Counter(widths).most_common(1)[0]
        consistency = count / len(widths)
        score = (consistency if mode > 1 else 0.0, mode, -rank)
        if best is None or score > best[0]:
            best = (score, delim)
    return best[1] if best else order[0]


def _text_stream(path: Path, encoding: str, skip: int) -> io.TextIOWrapper:
    raw = open(path, "rb")  # noqa: SIM115 - closed through the wrapper
    raw.seek(skip)
    return io.TextIOWrapper(raw, encoding=encoding, errors="strict", newline="")


class _NulByte(Exception):
    pass


def _lines_without_nul(text: io.TextIOWrapper) -> Iterator[str]:
    # One C-level search per line, instead of one per field.
    for line in text:
        if "\x00" in line:
            raise _NulByte
        yield line


def _records(path: Path, encoding: str, skip: int, delimiter: str) -> Iterator[tuple[int, int, list[str]]]:
    """(record number from 1, first line of the record, fields). Raises MalformedFileError with the
    place for quoting errors and NUL bytes; UnicodeDecodeError passes through to the caller."""
    _ensure_field_limit()
    with _text_stream(path, encoding, skip) as text:
        reader = csv.reader(_lines_without_nul(text), delimiter=delimiter, strict=True)
        number = 0
        start_line = 1
        while True:
            try:
                record = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise _quoting_error(path, number + 1, start_line, reader.line_num, str(exc)) from exc
            except _NulByte:
                row, line = number + 1, reader.line_num + 1
                raise MalformedFileError(
                    f"{path.name}, row {row} (line {line}): the file contains a NUL byte, so it is "
                    "damaged or not a text file. Open it in your spreadsheet program and save it "
                    "again as CSV.",
                    f"{path.name} 第 {row} 行(文本第 {line} 行):文件含有 NUL 空字节,已损坏或不是文本文件。"
                    "请用表格软件打开并重新另存为 CSV。",
                    row=row,
                ) from None
            number += 1
            yield number, start_line, record
            start_line = reader.line_num + 1


def _quoting_error(path: Path, row: int, line: int, last_line: int, detail: str) -> MalformedFileError:
    if "field larger than field limit" in detail or "unexpected end of data" in detail:
        return MalformedFileError(
            f'{path.name}, row {row} (line {line}): a quoted field opened here never closes (a missing "). '
            "Fix the quote in that row, or save the file again from your spreadsheet program.",
            f'{path.name} 第 {row} 行(文本第 {line} 行):此处开始的引号字段没有闭合(缺少 ")。'
            "请修正该行的引号,或用表格软件重新保存文件。",
            row=row,
        )
    return MalformedFileError(
        f"{path.name}, row {row} (line {last_line}): broken quoting ({detail}): text follows a "
        "closing quote. Fix the quotes in that row, or save the file again from your spreadsheet program.",
        f"{path.name} 第 {row} 行(文本第 {last_line} 行):引号格式错误,闭合引号后仍有文字。"
        "请修正该行的引号,或用表格软件重新保存文件。",
        row=row,
    )


def count_records(
    path: Path, encoding: str, skip: int, delimiter: str, max_rows: int, progress: Progress | None = None
) -> int:
    """Validate the whole file (decoding, quoting, NUL) and count its records, keeping none of them.
    Refuses as soon as the non-blank data rows (after the header) exceed max_rows."""
    count = 0
    data = 0  # non-blank records: Excel writes rows of empty cells for formatted but empty ranges
    for count, _line, record in _records(path, encoding, skip, delimiter):
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress("checking", count)
        if any(record):
            data += 1
        if data - 1 > max_rows:
            raise TooManyRowsError(
                f"{path.name} has more than {max_rows:,} rows, the most one import takes. Split the "
                "file into smaller files and import them one after another.",
                f"{path.name} 超过 {max_rows:,} 行,超出单次导入的上限。请把文件拆分成较小的文件,逐个导入。",
                row=count,
            )
    return count


def read_records(
    path: Path, encoding: str, skip: int, delimiter: str, progress: Progress | None = None
) -> tuple[list[list[str]], list[int]]:
    """All records and their record numbers (run count_records first: this one keeps them)."""
    rows: list[list[str]] = []
    numbers: list[int] = []
    for number, _line, record in _records(path, encoding, skip, delimiter):
        if progress is not None and number % PROGRESS_EVERY == 0:
            progress("reading", number)
        rows.append(record)
        numbers.append(number)
    return rows, numbers


def decode_failure(path: Path, encoding: str, line: int | None) -> CatalogImportError:
    where_en = f" on line {line}" if line else ""
    where_zh = f"第 {line} 行" if line else ""
    return CatalogImportError(
        f"{path.name}: the text cannot be read as {encoding}{where_en}. Choose another encoding.",
        f"{path.name}:{where_zh}的文字无法按 {encoding} 读取。请选择其他编码。",
    )
