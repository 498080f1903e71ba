"""Export of chosen history items to CSV (opens in Excel), Markdown (to read or paste) and JSON."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from desktop.core.catalog.writer import atomic_output
from desktop.core.errors import ShopscribeError
from desktop.core.store.history import get_generation, list_generations
from desktop.core.store.sqlite import Database

FORMATS = ("csv", "md", "json")
CSV_COLUMNS = (
    "id", "created_at", "content_type", "platform", "lang", "template_id", "template_version", "tone",
    "model_id", "text", "edited_text", "fields", "inputs", "rating", "favourite", "tags", "group_id",
    "variant_index",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value) -> str:
    """Text for a cell; a spreadsheet would run text starting with = + - @ as a formula, so quote it."""
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        value = json.dumps(value, ensure_ascii=False)
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def to_csv(items: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for item in items:
        writer.writerow([_csv_cell(item.get(c)) for c in CSV_COLUMNS])
    return buffer.getvalue()


def _md_value(value) -> str:
    if isinstance(value, list):
        return "\n".join(f"  - {v}" for v in value)
    return str(value)


def to_markdown(items: list[dict]) -> str:
    blocks = []
    for item in items:
        title = " · ".join(str(x) for x in (item.get("content_type"), item.get("platform"),
                                            item.get("lang")) if x)
        lines = [f"## #{item['id']} {title}", "",
                 f"*{item.get('created_at', '')}* · {item.get('model_id') or ''}", ""]
        inputs = item.get("inputs") or {}
        if inputs:
            lines += [f"- **{k}**: {v}" for k, v in inputs.items() if v not in (None, "")] + [""]
        lines += [item.get("edited_text") or item.get("text") or "", ""]
        blocks.append("\n".join(lines))
    return "\n".join(blocks)


def to_json_text(items: list[dict]) -> str:
    return json.dumps(items, ensure_ascii=False, indent=2, default=str)


def export_generations(db: Database, ids: list[int] | None, fmt: str, out: Path) -> int:
    """Write these items (all of them when `ids` is None or empty) to `out`; returns how many."""
    fmt = fmt.lower().removeprefix(".")
    if fmt == "markdown":
        fmt = "md"
    if fmt not in FORMATS:
        raise ShopscribeError(f"Unknown export format {fmt!r}: use csv, md or json.",
                              "未知导出格式,请用 csv、md 或 json。")
    items = [get_generation(db, i) for i in ids] if ids else list_generations(db, limit=None)
    if fmt == "csv":
        data = to_csv(items).encode("utf-8-sig")  # with a BOM, so Excel opens Chinese text correctly
    elif fmt == "md":
        data = to_markdown(items).encode("utf-8")
    else:
        data = to_json_text(items).encode("utf-8")
    # A temporary file renamed into place: a full disk raises DiskFullError (an ExportError) and leaves
    # no partial file, and an earlier export at `out` stays as it was.
    with atomic_output(Path(out)) as fh:
        fh.write(data)
    return len(items)
