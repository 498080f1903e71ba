"""JSON columns and timestamps, written the same way by every store module."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any


def to_json(value: Any) -> str | None:
    """UTF-8 JSON text (Chinese kept as is, so it stays readable and searchable); None stays NULL."""
    return None if value is None else json.dumps(value, ensure_ascii=False, default=str)


def from_json(text: str | None, default: Any = None) -> Any:
    if text is None or text == "":
        return default
    try:
        return json.loads(text)
    except (TypeError, ValueError):
        return default


def now_iso() -> str:
    """UTC, to the microsecond, ISO 8601 (sorts as text)."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def decode_row(row: dict | None, json_columns: tuple[str, ...]) -> dict | None:
    if row is None:
        return None
    out = dict(row)
    for column in json_columns:
        if column in out:
            out[column] = from_json(out[column])
    return out
