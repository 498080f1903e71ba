"""Exporting a job: the merchant's Shopify CSV with the copy filled in (re-imports with the same
handles and variant rows), generic CSV in three encodings with a findings column, and XLSX."""

from __future__ import annotations

import csv
from pathlib import Path

import fixtures_catalog as fx
import pytest

from desktop.core.catalog import read_products
from desktop.core.catalog.products import find_product_id, save_products
from desktop.core.jobs import (
    create_job,
    edit_item,
    export_job,
    import_options,
    list_items,
    run_job,
    shopify_fields,
)
from desktop.core.store import open_db


@pytest.fixture
def db():
    database = open_db()
    yield database
    database.close()


def job_from_file(db, engine, path: Path, content_type: str, platform: str, lang: str, out: Path, fmt: str,
                  encoding: str = "utf-8"):
    """A finished job from a product file: two tokens per answer, so every item fails as cut short
    (fast, and real) and the test then writes each item's fields as a merchant's edit."""
    result = read_products(path)
    save_products(db, result)
    ids = [find_product_id(db, p) for p in result.products]
    job = create_job(db, ids, content_type, platform=platform, lang=lang,
                     options={"max_tokens": 2, "retries": 0, "import": import_options(result)},
                     input_path=str(path), output_path=str(out), format=fmt, encoding=encoding)
    run_job(db, engine, job.id)
    assert {i["status"] for i in list_items(db, job.id)} == {"failed"}
    return job, result


def rows_of(path: Path, encoding: str = "utf-8") -> list[dict]:
    with open(path, encoding=encoding, newline="") as fh:
        return list(csv.DictReader(fh))


def test_template_fields_map_to_shopify_columns():
    mapped = shopify_fields({"description": "Warm.\n\nSoft.", "bullets": ["Merino", "Hand-knitted"],
                             "meta_description": "A warm scarf.", "hashtags": ["#wool", "#winter"],
                             "title": "Wool scarf"})
    assert mapped == {"body_html": "<p>Warm.</p><p>Soft.</p><ul><li>Merino</li><li>Hand-knitted</li></ul>",
                      "seo_description": "A warm scarf.", "tags": "wool, winter"}
    assert shopify_fields({"title": "Wool scarf"}, with_title=True) == {"title": "Wool scarf"}
    assert shopify_fields({"body_html": "<p>Hi</p>", "seo_title": "S", "tags": "a\nb"}) == {
        "body_html": "<p>Hi</p>", "seo_title": "S", "tags": "a, b"}


@pytest.mark.model
def test_shopify_export_reimports_with_same_handles_and_variant_rows(db, engine, tmp_path):
    source = fx.shopify_old_csv(tmp_path)
    out = tmp_path / "shopify_out.csv"
    job, before = job_from_file(db, engine, source, "product-description", "shopify", "en", out, "shopify")
    tee, bottle = list_items(db, job.id)
    edit_item(db, tee["id"], {"body_html": "<p>Organic cotton, soft and breathable.</p>",
                              "seo_title": "Organic Cotton Tee",
                              "seo_description": "A soft organic cotton tee."})
    # The bottle stays failed: its cells keep the merchant's own text.

    report = export_job(db, job.id)
    assert report == {"path": str(out), "format": "shopify", "encoding": "utf-8", "rows": 5, "products": 2,
                      "filled": 1, "held_back": 0, "held_back_reasons": {}, "held_back_items": []}
    after = read_products(out)
    assert after.format == before.format == "shopify-old"
    assert [p.handle for p in after.products] == fx.SHOPIFY_OLD_HANDLES
    assert [len(p.source_rows) for p in after.products] == [len(p.source_rows) for p in before.products]
    rows = rows_of(out)
    assert len(rows) == len(fx.SHOPIFY_OLD_ROWS)
    assert [r["Variant SKU"] for r in rows] == [r[fx.SHOPIFY_OLD_HEADER.index("Variant SKU")]
                                                 for r in fx.SHOPIFY_OLD_ROWS]
    assert list(rows[0]) == fx.SHOPIFY_OLD_HEADER  # the merchant's own header set
    assert rows[0]["Body (HTML)"] == "<p>Organic cotton, soft and breathable.</p>"
    assert (rows[0]["SEO Title"], rows[0]["SEO Description"]) == ("Organic Cotton Tee",
                                                                  "A soft organic cotton tee.")
    assert rows[1]["Body (HTML)"] == "" and rows[1]["Variant Inventory Qty"] == "-3"
    assert rows[4]["SEO Title"] == "Old SEO title"  # not filled: the item failed
    assert rows[4]["Tags"].startswith("'=HYPERLINK")  # neutralised


@pytest.mark.model
def test_generic_csv_export_in_each_encoding(db, engine, tmp_path):
    job, _ = job_from_file(db, engine, fx.gbk_chinese_csv(tmp_path), "product-title", "taobao", "zh",
                           tmp_path / "out.csv", "csv")
    first, second, third = list_items(db, job.id)
    edit_item(db, first["id"], {"title": "纯棉短袖T恤 男士 夏季 透气"})
    edit_item(db, second["id"], {"title": "=最佳陶瓷马克杯"})  # a formula and an absolute term

    # The second title has a blocking finding (最佳): by default it is held back, its cell left empty.
    held = export_job(db, job.id, tmp_path / "held.csv")
    assert (held["filled"], held["held_back"], held["held_back_reasons"]) == (1, 1, {"ad-law-superlative": 1})
    rows = rows_of(tmp_path / "held.csv")
    assert [r["generated_title"] for r in rows] == ["纯棉短袖T恤 男士 夏季 透气", "", ""]
    assert "最佳" in rows[1]["held_back"] and rows[0]["held_back"] == ""

    for encoding in ("utf-8", "utf-8-sig", "gb18030"):
        out = tmp_path / f"out_{encoding}.csv"
        report = export_job(db, job.id, out, encoding=encoding, include_flagged=True)
        assert (report["format"], report["encoding"], report["rows"], report["filled"]) == (
            "csv",
            encoding,
            3,
            2,
        )
        raw = out.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf") == (encoding == "utf-8-sig")
        rows = rows_of(out, encoding)
        assert [r["name"] for r in rows] == [r[0] for r in fx.GBK_ROWS]
        assert [r["generated_title"] for r in rows] == ["纯棉短袖T恤 男士 夏季 透气", "'=最佳陶瓷马克杯", ""]
        assert [r["status"] for r in rows] == ["done", "done", "failed"]
        assert "最佳" in rows[1]["findings"] and rows[0]["findings"] == ""
        assert "cut short" in rows[2]["error"]
        assert rows[0]["sku"] == "TS-001" and rows[0]["库存"] == "120"  # product and extra columns kept


@pytest.mark.model
def test_xlsx_export(db, engine, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "out.xlsx"
    job, _ = job_from_file(db, engine, fx.gbk_chinese_csv(tmp_path), "product-title", "taobao",
                           "zh", out, "xlsx")
    first = list_items(db, job.id)[0]
    edit_item(db, first["id"], {"title": "纯棉短袖T恤 男士夏季"})
    report = export_job(db, job.id, include_findings=False)
    assert (report["format"], report["rows"], report["filled"]) == ("xlsx", 3, 1)
    sheet = load_workbook(out, read_only=True).active
    table = [list(r) for r in sheet.iter_rows(values_only=True)]
    header = table[0]
    assert header[-3:] == ["generated_title", "status", "error"]  # no findings column when left out
    assert table[1][header.index("generated_title")] == "纯棉短袖T恤 男士夏季"
    assert [r[header.index("status")] for r in table[1:]] == ["done", "failed", "failed"]
