"""Products in the real SQLite store: saved in one transaction, de-duplicated by handle, then SKU,
then name; listed, searched, edited and deleted."""

from __future__ import annotations

import sqlite3

import fixtures_catalog as fx
import pytest

from desktop.core.catalog import read_products
from desktop.core.catalog.products import (
    ProductError,
    ProductNotFoundError,
    delete_product,
    get_product,
    list_products,
    save_products,
    update_product,
)
from desktop.core.store import open_db


@pytest.fixture
def db(tmp_path):
    database = open_db(tmp_path / "shop.db")
    yield database
    database.close()


def test_save_shopify_import_and_reimport_updates(db, tmp_path):
    result = read_products(fx.shopify_old_csv(tmp_path))
    assert save_products(db, result) == (2, 0)
    assert save_products(db, result) == (0, 2)  # the same file again: no duplicates
    products = list_products(db)
    assert [p["handle"] for p in products] == fx.SHOPIFY_OLD_HANDLES
    tee = get_product(db, products[0]["id"])
    assert tee["name"] == "Organic Cotton Tee"
    assert tee["fields"]["color"] == "White, Black"
    assert tee["source_file"] == "products_export_old.csv"
    assert len(tee["source_rows"]) == 4
    assert tee["source_rows"][1]["Variant SKU"] == "TEE-M-W"
    assert "source_rows" not in products[0]  # the list stays light


def test_dedup_by_sku_then_name(db, tmp_path):
    assert save_products(db, read_products(fx.gbk_chinese_csv(tmp_path))) == (3, 0)
    # a later sheet: one known SKU with a new price, one new product
    path = tmp_path / "update.csv"
    path.write_text("标题,价格,货号\n陶瓷马克杯 新款,45.00,MUG-02\n竹筷,12.00,CH-1\n", encoding="utf-8")
    assert save_products(db, read_products(path)) == (1, 1)
    mug = [p for p in list_products(db) if p["sku"] == "MUG-02"]
    assert len(mug) == 1 and mug[0]["fields"]["price"] == "45.00" and mug[0]["name"] == "陶瓷马克杯 新款"
    # without handle or SKU, the name identifies the product
    names = tmp_path / "names.csv"
    names.write_text("name,price\nLinen bag,10\n", encoding="utf-8")
    assert save_products(db, read_products(names)) == (1, 0)
    names.write_text("name,price\nLinen bag,12\n", encoding="utf-8")
    assert save_products(db, read_products(names)) == (0, 1)
    assert len(list_products(db)) == 5


def test_handle_products_never_swallow_another_handle(db, tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("Handle,Title,Variant SKU,Variant Price\nred-mug,Red mug,MUG,9\n", encoding="utf-8")
    save_products(db, read_products(path))
    path.write_text("Handle,Title,Variant SKU,Variant Price\nblue-mug,Blue mug,MUG,9\n", encoding="utf-8")
    assert save_products(db, read_products(path)) == (1, 0)  # same SKU, different handle: a new product


def test_save_is_all_or_nothing(db, tmp_path):
    # SQLite itself refuses the third product half-way through the save
    db.execute(
        "CREATE TRIGGER refuse_eye BEFORE INSERT ON products WHEN NEW.sku = 'EYE-7' "
        "BEGIN SELECT RAISE(ABORT, 'refused for the test'); END"
    )
    result = read_products(fx.gbk_chinese_csv(tmp_path))
    with pytest.raises(sqlite3.IntegrityError):
        save_products(db, result)
    assert list_products(db) == []  # the first two were rolled back with it
    db.execute("DROP TRIGGER refuse_eye")
    assert save_products(db, result) == (3, 0)


def test_search_edit_delete(db, tmp_path):
    save_products(db, read_products(fx.gbk_chinese_csv(tmp_path)))
    assert [p["sku"] for p in list_products(db, "马克杯")] == ["MUG-02"]
    assert [p["sku"] for p in list_products(db, "eye")] == ["EYE-7"]
    assert [p["sku"] for p in list_products(db, "桑蚕丝")] == ["EYE-7"]  # any field value
    assert list_products(db, "100%_") == []  # LIKE wildcards are literal
    assert len(list_products(db, limit=2)) == 2
    product_id = list_products(db, "MUG-02")[0]["id"]
    updated = update_product(db, product_id, {"name": "陶瓷杯", "audience": "上班族", "keywords": ""})
    assert updated["name"] == "陶瓷杯"
    assert updated["fields"]["audience"] == "上班族"
    assert "keywords" not in updated["fields"]
    assert updated["fields"]["material"] == "陶瓷"  # untouched fields stay
    with pytest.raises(ProductError):
        update_product(db, product_id, {"colour_of_sky": "blue"})
    assert delete_product(db, product_id) is True
    assert delete_product(db, product_id) is False
    assert get_product(db, product_id) is None
    with pytest.raises(ProductNotFoundError):
        update_product(db, product_id, {"name": "x"})
