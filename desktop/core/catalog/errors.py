"""Errors of the catalog import and export, each in English and Chinese.

`str(error)` is "English / 中文" (the CLI prints it as one line); `error.text(lang)` (ShopscribeError's)
gives one language for the UI. Row numbers are what a spreadsheet shows: the header is row 1.
"""

from __future__ import annotations

from desktop.core.errors import ImportFileError, ShopscribeError


class _Bilingual:
    """Mixin: an English and a Chinese message, plus where in the file the problem is."""

    def __init__(self, en: str, zh: str, *, row: int | None = None, column: str | None = None) -> None:
        self.row = row
        self.column = column
        super().__init__(en, zh)


class CatalogImportError(_Bilingual, ImportFileError):
    """A product file cannot be read; nothing was imported."""


class FileTooLargeError(CatalogImportError):
    """The file is bigger than the import size limit."""


class TooManyRowsError(CatalogImportError):
    """The file has more data rows than the import row limit."""


class MalformedFileError(CatalogImportError):
    """Broken CSV structure: an unterminated quote, a NUL byte, a field that never ends."""


class UnknownEncodingError(CatalogImportError):
    """The text encoding could not be recognised. `previews` maps candidate encodings to the first
    lines decoded with them, so the UI can show them and ask; then call again with `encoding=`."""

    def __init__(self, en: str, zh: str, *, previews: dict[str, str], preview: str, line: int | None = None):
        super().__init__(en, zh)
        self.previews = previews
        self.preview = preview
        self.line = line


class MappingError(CatalogImportError):
    """A user-given column mapping names a column or a field that does not exist."""


class ExportError(_Bilingual, ShopscribeError):
    """An export could not be written; the destination was left as it was."""


class DiskFullError(ExportError):
    """The disk (or the file size limit) ran out while writing an export."""


class ExportEncodingError(ExportError):
    """A cell holds characters the chosen export encoding cannot represent."""
