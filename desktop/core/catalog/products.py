"""Products in the local database: save an import (de-duplicated, in one transaction), list, edit,
delete. Every function takes an open sqlite-utils Database (desktop.core.store.open_db()).

A product is recognised again by its handle; without one, by its SKU; without either, by its name.
Re-importing a file therefore updates the products it already brought in instead of doubling them.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from desktop.core.catalog.errors import _Bilingual
from desktop.core.catalog.model import FIELDS, ImportResult, ProductRecord
from desktop.core.errors import ShopscribeError
from desktop.core.store.codec import decode_row, now_iso, to_json
from desktop.core.store.sqlite import Database

JSON_COLUMNS = ("fields", "extra", "source_rows")
LIST_COLUMNS = "id, handle, sku, name, fields, extra, source_file, created_at, updated_at"


class ProductError(_Bilingual, ShopscribeError):
    """A product edit cannot be done as asked."""


class ProductNotFoundError(ProductError):
    """No product has that id (it may have been deleted)."""


def _find_existing(db: Database, product: ProductRecord) -> int | None:
    handle = product.handle.strip()
    sku = product.sku.strip()
    name = product.name.strip()
    if handle:
        row = db.execute("SELECT id FROM products WHERE handle = ? ORDER BY id LIMIT 1", [handle]).fetchone()
        if row:
            return row[0]
    if sku:
        # A product with a handle may match an older handle-less import of the same SKU, never
        # another handle's product.
        row = db.execute(
            "SELECT id FROM products WHERE sku = ? AND (? = '' OR handle IS NULL OR handle = '') ORDER BY "
            "id LIMIT 1",
            [sku, handle],
        ).fetchone()
        if row:
            return row[0]
        return None
    if name and not handle:
        row = db.execute(
            "SELECT id FROM products WHERE name = ? AND COALESCE(handle, '') = '' AND COALESCE(sku, '') = '' "
            "ORDER BY id LIMIT 1",
            [name],
        ).fetchone()
        if row:
            return row[0]
    return None


def find_product_id(db: Database, product: ProductRecord) -> int | None:
    """The id of the stored product an imported one is (the row save_products updates), or None."""
    return _find_existing(db, product)


def save_products(db: Database, import_result: ImportResult) -> tuple[int, int]:
    """Store every product of an import, updating those already known. All or nothing: one
    transaction. Returns (inserted, updated)."""
    inserted = updated = 0
    now = now_iso()
    conn = db.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        for product in import_result.products:
            values = [
                product.handle.strip() or None,
                product.sku.strip() or None,
                product.name or None,
                to_json(product.fields),
                to_json(product.extra),
                import_result.source_file or None,
                to_json(product.source_rows),
                now,
            ]
            existing = _find_existing(db, product)
            if existing is None:
                conn.execute(
                    "INSERT INTO products (handle, sku, name, fields, extra, source_file, source_rows, "
                    "updated_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [*values, now],
                )
                inserted += 1
            else:
                conn.execute(
                    "UPDATE products SET handle = ?, sku = ?, name = ?, fields = ?, extra = ?, "
                    "source_file = ?, source_rows = ?, updated_at = ? WHERE id = ?",
                    [*values, existing],
                )
                updated += 1
        conn.commit()
    except BaseException:
        conn.rollback()
        raise
    return inserted, updated


def _rows(cursor: sqlite3.Cursor) -> list[dict[str, Any]]:
    names = [d[0] for d in cursor.description]
    return [decode_row(dict(zip(names, r, strict=True)), JSON_COLUMNS) for r in cursor.fetchall()]


def list_products(
    db: Database, query: str | None = None, limit: int | None = None, offset: int = 0
) -> list[dict[str, Any]]:
    """Products in the order they were first imported; `query` matches name, SKU, handle or any field
    value (substring, case-insensitive for ASCII). Source rows are left out: see get_product."""
    sql = f"SELECT {LIST_COLUMNS} FROM products"
    params: list[Any] = []
    if query and query.strip():
        pattern = "%" + query.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        sql += (
            " WHERE name LIKE ? ESCAPE '\\' OR sku LIKE ? ESCAPE '\\' OR handle LIKE ? ESCAPE '\\'"
            " OR fields LIKE ? ESCAPE '\\'"
        )
        params += [pattern] * 4
    sql += " ORDER BY id"
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        params += [limit, offset]
    return _rows(db.execute(sql, params))


def get_product(db: Database, product_id: int) -> dict[str, Any] | None:
    """One product with its source rows, or None."""
    rows = _rows(db.execute("SELECT * FROM products WHERE id = ?", [product_id]))
    return rows[0] if rows else None


def update_product(db: Database, product_id: int, fields: dict[str, str]) -> dict[str, Any]:
    """Change some fields of a product (the others stay); a field set to "" or None is removed.
    The handle, SKU and name columns follow the fields."""
    unknown = sorted(k for k in fields if k not in FIELDS)
    if unknown:
        raise ProductError(
            f"Unknown product fields: {', '.join(unknown)}. Known: {', '.join(FIELDS)}.",
            f"未知的商品字段:{'、'.join(unknown)}。可用字段:{'、'.join(FIELDS)}。",
        )
    current = get_product(db, product_id)
    if current is None:
        raise ProductNotFoundError(
            f"Product {product_id} does not exist (it may have been deleted).",
            f"商品 {product_id} 不存在(可能已被删除)。",
        )
    merged = dict(current.get("fields") or {})
    for key, value in fields.items():
        if value is None or value == "":
            merged.pop(key, None)
        else:
            merged[key] = str(value)
    with db.conn:
        db.execute(
            "UPDATE products SET fields = ?, handle = ?, sku = ?, name = ?, updated_at = ? WHERE id = ?",
            [
                to_json(merged),
                merged.get("handle") or None,
                merged.get("sku") or None,
                merged.get("name") or None,
                now_iso(),
                product_id,
            ],
        )
    return get_product(db, product_id)


def delete_product(db: Database, product_id: int) -> bool:
    """Remove a product; True if it existed."""
    with db.conn:
        cursor = db.execute("DELETE FROM products WHERE id = ?", [product_id])
    return cursor.rowcount > 0
