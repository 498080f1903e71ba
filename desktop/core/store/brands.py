"""Brand voices in the database (one row per brand, names unique)."""

from __future__ import annotations

from desktop.core.content.brands import Brand, BrandError
from desktop.core.store.codec import from_json, now_iso, to_json
from desktop.core.store.sqlite import Database

LIST_COLUMNS = ("use_words", "banned_words", "must_use", "trademarks", "examples")


def _brand(row: dict) -> Brand:
    data = dict(row)
    for key in LIST_COLUMNS:
        data[key] = from_json(data.get(key), [])
    return Brand.from_dict(data)


def list_brands(db: Database) -> list[Brand]:
    return [_brand(r) for r in db.query("SELECT * FROM brands ORDER BY name COLLATE NOCASE")]


def find_brand(db: Database, name_or_id: str | int) -> Brand | None:
    if isinstance(name_or_id, int) or (isinstance(name_or_id, str) and name_or_id.isdigit()):
        row = next(db.query("SELECT * FROM brands WHERE id = ?", [int(name_or_id)]), None)
        if row is not None:
            return _brand(row)
    row = next(db.query("SELECT * FROM brands WHERE name = ?", [str(name_or_id).strip()]), None)
    if row is None:
        row = next(db.query("SELECT * FROM brands WHERE name = ? COLLATE NOCASE",
                            [str(name_or_id).strip()]), None)
    return _brand(row) if row else None


def get_brand(db: Database, name_or_id: str | int) -> Brand:
    brand = find_brand(db, name_or_id)
    if brand is None:
        raise BrandError(
            f"No brand named {name_or_id!r}: see `shopscribe brands list`, or add it with "
            f"`shopscribe brands add`.",
            f"没有名为 {name_or_id!r} 的品牌。"
        )
    return brand


def save_brand(db: Database, brand: Brand) -> Brand:
    """Insert a new brand, or update the one with the same id (or, without an id, the same name)."""
    now = now_iso()
    values = {
        "name": brand.name, "voice": brand.voice, "audience": brand.audience,
        **{key: to_json(getattr(brand, key)) for key in LIST_COLUMNS}, "updated_at": now,
    }
    existing = None
    if brand.id is not None:
        existing = next(db.query("SELECT id FROM brands WHERE id = ?", [brand.id]), None)
    if existing is None:
        existing = next(db.query("SELECT id FROM brands WHERE name = ?", [brand.name]), None)
    clash = next(db.query("SELECT id FROM brands WHERE name = ?", [brand.name]), None)
    if existing is not None and clash is not None and clash["id"] != existing["id"]:
        raise BrandError(f"Another brand is already named {brand.name!r}.", f"已有同名品牌 {brand.name!r}。")
    if existing is None:
        columns = [*values, "created_at"]
        params = [*values.values(), now]
        cursor = db.execute(
            f"INSERT INTO brands ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})", params
        )
        brand.id = int(cursor.lastrowid)
    else:
        assignments = ", ".join(f"{k} = ?" for k in values)
        db.execute(f"UPDATE brands SET {assignments} WHERE id = ?", [*values.values(), existing["id"]])
        brand.id = int(existing["id"])
    return brand


def delete_brand(db: Database, name_or_id: str | int) -> None:
    brand = get_brand(db, name_or_id)
    db.execute("DELETE FROM brands WHERE id = ?", [brand.id])
