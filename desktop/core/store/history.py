"""The history: every generation with its inputs, prompt, model, sampling, output, stats and the
merchant's rating, favourite, tags and edits. Variants of one request share a `group_id`.

Search: FTS5 with the trigram tokenizer for terms of 3+ characters; trigram cannot match 1-2
characters, so those terms fall back to LIKE (保温 still finds 保温杯). Several terms all must match.
Lists are newest first by id (ids grow with time), so a search with LIMIT stops at the first matches
instead of sorting every hit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from desktop.core.errors import ShopscribeError
from desktop.core.store.codec import decode_row, now_iso, to_json
from desktop.core.store.sqlite import Database

JSON_COLUMNS = ("inputs", "sampling", "fields", "stats", "findings", "tags", "score")
COLUMNS = (
    "group_id", "variant_index", "content_type", "platform", "lang", "template_id", "template_version",
    "brand_id", "tone", "inputs", "prompt_system", "prompt_user", "model_id", "model_path", "model_sha256",
    "sampling", "text", "edited_text", "fields", "stats", "stop_reason", "findings", "rating", "favourite",
    "tags", "product_id", "job_id", "created_at", "score", "engine",
)
MIN_FTS_TERM = 3  # the trigram tokenizer indexes runs of three characters
PAGE_ROWS = 500  # what the History page fetches per search (and the benchmark times)


class HistoryNotFound(ShopscribeError):
    """No generation has that id."""


@dataclass
class HistoryFilter:
    content_type: str | None = None
    platform: str | None = None
    model: str | None = None  # model_id
    lang: str | None = None
    date_from: str | date | datetime | None = None  # inclusive; a date means from its start
    date_to: str | date | datetime | None = None  # inclusive; a date means to its end
    favourite: bool | None = None
    group_id: str | None = None
    job_id: int | None = None


def flatten_inputs(inputs: Any) -> str:
    """The input values as plain text, one per line: what search looks through (keys are left out,
    so searching "name" does not match every row)."""
    parts: list[str] = []

    def walk(value: Any) -> None:
        if value is None:
            return
        if isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, (list, tuple)):
            for item in value:
                walk(item)
        else:
            text = str(value).strip()
            if text:
                parts.append(text)

    walk(inputs)
    return "\n".join(parts)


def _row_for_insert(record: dict) -> dict:
    unknown = set(record) - set(COLUMNS) - {"id"}
    if unknown:
        raise ValueError(f"unknown generation fields: {sorted(unknown)}")
    row = {key: record.get(key) for key in COLUMNS if key in record}
    for key in JSON_COLUMNS:
        if key in row:
            row[key] = to_json(row[key])
    row["favourite"] = 1 if record.get("favourite") else 0
    row["created_at"] = record.get("created_at") or now_iso()
    row["inputs_text"] = flatten_inputs(record.get("inputs"))
    return row


def save_generation(db: Database, record: dict) -> int:
    """Store one generation (keys: the `generations` columns; JSON ones as Python values). Returns its id."""
    row = _row_for_insert(record)
    columns = list(row)
    cursor = db.execute(
        f"INSERT INTO generations ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})",
        [row[c] for c in columns],
    )
    return int(cursor.lastrowid)


def get_generation(db: Database, generation_id: int) -> dict:
    row = next(db.query("SELECT * FROM generations WHERE id = ?", [int(generation_id)]), None)
    if row is None:
        raise HistoryNotFound(
            f"No history item has id {generation_id}: list them with `shopscribe history list`.",
            f"历史记录中没有编号 {generation_id}。"
        )
    return decode_row(row, JSON_COLUMNS)


def get_group(db: Database, group_id: str) -> list[dict]:
    """The variants of one request, in order."""
    rows = db.query("SELECT * FROM generations WHERE group_id = ? ORDER BY variant_index, id", [group_id])
    return [decode_row(r, JSON_COLUMNS) for r in rows]


def _day_or_time(value: str | date | datetime) -> date | str:
    """A bare day (date, or "YYYY-MM-DD") as a date; anything else as ISO text."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    try:
        return date.fromisoformat(text) if len(text) == 10 else text
    except ValueError:
        return text


def _filter_sql(filters: HistoryFilter | dict | None) -> tuple[list[str], list[Any]]:
    if filters is None:
        return [], []
    if isinstance(filters, dict):
        filters = HistoryFilter(**filters)
    where: list[str] = []
    params: list[Any] = []
    for column, value in (("content_type", filters.content_type), ("platform", filters.platform),
                          ("model_id", filters.model), ("lang", filters.lang), ("group_id", filters.group_id),
                          ("job_id", filters.job_id)):
        if value is not None:
            where.append(f"g.{column} = ?")
            params.append(value)
    if filters.date_from is not None:
        start = _day_or_time(filters.date_from)
        where.append("g.created_at >= ?")
        params.append(start.isoformat() if isinstance(start, date) else start)
    if filters.date_to is not None:
        end = _day_or_time(filters.date_to)
        if isinstance(end, date):  # a whole day: everything before the next one
            where.append("g.created_at < ?")
            params.append((end + timedelta(days=1)).isoformat())
        else:
            where.append("g.created_at <= ?")
            params.append(end)
    if filters.favourite is not None:
        where.append("g.favourite = ?")
        params.append(1 if filters.favourite else 0)
    return where, params


def _select(db: Database, where: list[str], params: list[Any], limit: int | None, offset: int) -> list[dict]:
    sql = "SELECT g.* FROM generations g"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY g.id DESC"  # ids grow with time; walking the rowid lets LIMIT stop early
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        params = [*params, int(limit), int(offset)]
    return [decode_row(r, JSON_COLUMNS) for r in db.query(sql, params)]


def list_generations(
    db: Database, filters: HistoryFilter | dict | None = None, *, limit: int | None = 50, offset: int = 0
) -> list[dict]:
    """Newest first."""
    where, params = _filter_sql(filters)
    return _select(db, where, params, limit, offset)


def count_generations(db: Database, filters: HistoryFilter | dict | None = None) -> int:
    where, params = _filter_sql(filters)
    sql = "SELECT count(*) FROM generations g" + (" WHERE " + " AND ".join(where) if where else "")
    return int(db.execute(sql, params).fetchone()[0])


def _like_pattern(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_sql(query: str) -> tuple[list[str], list[Any]]:
    """WHERE clauses for a free-text query: every whitespace-separated term must match."""
    terms = [t for t in query.split() if t]
    where: list[str] = []
    params: list[Any] = []
    long_terms = [t for t in terms if len(t) >= MIN_FTS_TERM]
    if long_terms:
        match = " AND ".join('"' + t.replace('"', '""') + '"' for t in long_terms)
        where.append("g.id IN (SELECT rowid FROM generations_fts WHERE generations_fts MATCH ?)")
        params.append(match)
    for term in terms:
        if len(term) < MIN_FTS_TERM:
            where.append(
                "(g.inputs_text LIKE ? ESCAPE '\\' OR g.text LIKE ? ESCAPE '\\' OR g.edited_text LIKE ? "
                "ESCAPE '\\')"
            )
            params.extend([_like_pattern(term)] * 3)
    return where, params


def search(
    db: Database, query: str, filters: HistoryFilter | dict | None = None, *, limit: int | None = 50,
    offset: int = 0,
) -> list[dict]:
    """Generations whose inputs, text or edited text contain every term of `query`, newest first.
    An empty query lists everything that passes the filters."""
    where, params = search_sql(query or "")
    fwhere, fparams = _filter_sql(filters)
    return _select(db, where + fwhere, params + fparams, limit, offset)


def _update(db: Database, generation_id: int, column: str, value: Any) -> None:
    cursor = db.execute(f"UPDATE generations SET {column} = ? WHERE id = ?", [value, int(generation_id)])
    if cursor.rowcount == 0:
        get_generation(db, generation_id)  # raises HistoryNotFound


def set_rating(db: Database, generation_id: int, rating: int | None) -> None:
    """1 to 5 stars, or None to clear."""
    if rating is not None and not 1 <= int(rating) <= 5:
        raise ShopscribeError("A rating is 1 to 5 stars.", "评分为 1 到 5 星。")
    _update(db, generation_id, "rating", None if rating is None else int(rating))


def set_favourite(db: Database, generation_id: int, favourite: bool) -> None:
    _update(db, generation_id, "favourite", 1 if favourite else 0)


def set_edited_text(db: Database, generation_id: int, text: str | None) -> None:
    """The merchant's edited version (None to go back to the model's text)."""
    _update(db, generation_id, "edited_text", text)


def set_tags(db: Database, generation_id: int, tags: list[str]) -> None:
    clean = list(dict.fromkeys(t.strip() for t in tags if t and t.strip()))
    _update(db, generation_id, "tags", to_json(clean))


def set_findings(db: Database, generation_id: int, findings: list[dict], score: dict | None = None) -> None:
    """The findings of a re-checked text (and its new quality score, when given)."""
    _update(db, generation_id, "findings", to_json(findings))
    if score is not None:
        _update(db, generation_id, "score", to_json(score))


def delete_generations(db: Database, ids: list[int]) -> int:
    """Delete these items; returns how many existed."""
    ids = [int(i) for i in ids]
    if not ids:
        return 0
    with db.atomic():
        cursor = db.execute(f"DELETE FROM generations WHERE id IN ({', '.join('?' for _ in ids)})", ids)
    return cursor.rowcount


def get_generations(db: Database, ids: list[int]) -> list[dict]:
    """These items in the order given (unknown ids raise HistoryNotFound)."""
    return [get_generation(db, i) for i in ids]
