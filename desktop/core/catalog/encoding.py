"""Which text encoding a product file uses, decided from its bytes without loading it whole.

Order (DOMAIN.md): a BOM (UTF-8, UTF-16 LE/BE), strict UTF-8, then GB18030 (a superset of GBK, what
Chinese Excel saves as "CSV"). Anything else is the user's choice, helped by a preview.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from desktop.core.catalog.errors import CatalogImportError, UnknownEncodingError

SAMPLE_BYTES = 128 * 1024
CHUNK_BYTES = 1024 * 1024

BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# What the UI offers when nothing fits; the preview shows the first lines in each.
PREVIEW_ENCODINGS: tuple[str, ...] = ("gb18030", "big5", "shift_jis", "cp1252", "latin-1")
PREVIEW_LINES = 8


def read_head(path: Path, size: int = SAMPLE_BYTES) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(size)


def bom_encoding(head: bytes) -> tuple[str, int] | None:
    """(encoding, BOM length) when the file starts with a byte order mark."""
    for bom, name in BOMS:
        if head.startswith(bom):
            return name, len(bom)
    return None


def utf16_without_bom(head: bytes) -> str | None:
    """UTF-16 text without a BOM shows NUL in every other byte of its ASCII characters."""
    if len(head) < 8:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def normalise_encoding(name: str) -> str:
    """A codec name Python knows, in its canonical spelling; GBK/GB2312 are read as GB18030 (their
    superset), so a file with a few rarer characters still opens."""
    try:
        canonical = codecs.lookup(name).name
    except LookupError as exc:
        raise CatalogImportError(
            f"Unknown text encoding {name!r}. Choose one of: utf-8, utf-8-sig, utf-16, gb18030, "
            "big5, cp1252.",
            f"未知的文字编码 {name!r}。请选择:utf-8、utf-8-sig、utf-16、gb18030、big5、cp1252。",
        ) from exc
    return "gb18030" if canonical in ("gbk", "gb2312", "cp936") else canonical


def decodes_fully(path: Path, encoding: str, skip: int = 0) -> bool:
    """True when the whole file decodes strictly, read in chunks (never whole)."""
    return locate_decode_error(path, encoding, skip) is None


def locate_decode_error(path: Path, encoding: str, skip: int = 0) -> tuple[int, int] | None:
    """(byte offset, line number) of the first byte that does not decode, or None."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    offset = skip
    newlines = 0
    with open(path, "rb") as fh:
        fh.seek(skip)
        while True:
            chunk = fh.read(CHUNK_BYTES)
            try:
                decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as exc:
                # The error's start is relative to the decoder's buffered input plus this chunk.
                pending = len(decoder.getstate()[0]) if hasattr(decoder, "getstate") else 0
                bad = max(0, exc.start - pending)
                newlines += chunk[:bad].count(b"\n")
                return offset + bad, newlines + 1
            if not chunk:
                return None
            newlines += chunk.count(b"\n")
            offset += len(chunk)


def decode_head(head: bytes, encoding: str, skip: int = 0, whole_file: bool = False) -> str | None:
    """The sample decoded, tolerating a character cut at the sample's end; None if it does not decode."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        return decoder.decode(head[skip:], final=whole_file)
    except UnicodeDecodeError:
        return None


def looks_like_chinese(text: str) -> bool:
    """GB18030 decodes most byte soup; real GBK text is mostly GB2312 characters. Latin-1 accents
    decoded as GBK land in the GBK extension areas instead, so they fail this test."""
    non_ascii = [ch for ch in text[:SAMPLE_BYTES] if ord(ch) > 127][:20000]
    if not non_ascii:
        return True
    common = 0
    for ch in non_ascii:
        try:
            ch.encode("gb2312")
            common += 1
        except UnicodeEncodeError:
            pass
    return common >= 0.8 * len(non_ascii)


def previews(head: bytes) -> dict[str, str]:
    """The first lines of the file in each candidate encoding, undecodable bytes shown as �."""
    out = {}
    for name in ("utf-8", *PREVIEW_ENCODINGS):
        text = head.decode(name, errors="replace")
        out[name] = "\n".join(text.splitlines()[:PREVIEW_LINES])
    return out


def unknown_encoding(path: Path, head: bytes) -> UnknownEncodingError:
    where = locate_decode_error(path, "utf-8")
    line = where[1] if where else None
    at_en = f" (first unreadable byte on line {line})" if line else ""
    at_zh = f"(第 {line} 行起无法识别)" if line else ""
    return UnknownEncodingError(
        f"{path.name}: the text encoding is not UTF-8, UTF-16 or GB18030/GBK{at_en}. Look at the preview "
        "and choose the encoding in which the text reads correctly.",
        f"{path.name}:文字编码不是 UTF-8、UTF-16 或 GB18030/GBK{at_zh}。请查看预览,选择文字显示正确的编码。",
        previews=previews(head),
        preview=head.decode("utf-8", errors="replace"),
        line=line,
    )


def candidate_encodings(path: Path, head: bytes, forced: str | None) -> list[tuple[str, int]]:
    """(encoding, bytes to skip) to try in order. A BOM or a forced encoding gives one candidate."""
    if forced:
        name = normalise_encoding(forced)
        bom = bom_encoding(head)
        # Forcing "utf-8" or "utf-16" on a file with a BOM still skips the BOM.
        if bom and (name == bom[0] or name in ("utf-8", "utf-16") and bom[0].startswith(name)):
            return [bom]
        if name == "utf-16":
            return [(utf16_without_bom(head) or "utf-16-le", 0)]
        return [(name, 0)]
    bom = bom_encoding(head)
    if bom:
        return [bom]
    utf16 = utf16_without_bom(head)
    if utf16:
        return [(utf16, 0)]
    return [("utf-8", 0), ("gb18030", 0)]
