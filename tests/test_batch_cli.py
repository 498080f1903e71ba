"""`shopscribe batch` and `shopscribe jobs`: the JSON shapes, exit codes, and a Shopify file in, a
Shopify file out."""

from __future__ import annotations

import json

import fixtures_catalog as fx
import pytest
from click.testing import CliRunner
from test_jobs import assert_every_item_exactly_once, import_products, products_csv

from desktop.cli import main
from desktop.core.catalog import read_products
from desktop.core.jobs import create_job, list_items
from desktop.core.store import open_db

JOB_KEYS = {"id", "status", "total", "done", "failed"}


def cli(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.mark.model
def test_batch_a_shopify_file_then_list_show_export_and_resume(tmp_path):
    source = fx.shopify_new_csv(tmp_path)
    out = tmp_path / "shopify_out.csv"
    result = cli("batch", str(source), "--type", "product-title", "--lang", "en", "--max-tokens", "12",
                 "--retries", "1", "--seed", "4", "--out", str(out), "--json")
    assert result.exit_code == 0, result.stderr
    printed = json.loads(result.stdout)  # stdout holds the JSON document and nothing else
    assert JOB_KEYS <= set(printed["job"])
    job = printed["job"]
    assert (job["status"], job["total"], job["done"] + job["failed"]) == ("completed", 2, 2)
    assert printed["export"]["format"] == "shopify" and printed["export"]["rows"] == len(fx.SHOPIFY_NEW_ROWS)
    assert printed["products"]["read"] == 2
    assert "Wrote" in result.stderr and "2/2" in result.stderr

    again = read_products(out)
    assert again.format == "shopify-new"
    assert [p.handle for p in again.products] == fx.SHOPIFY_NEW_HANDLES
    assert [len(p.source_rows) for p in again.products] == [3, 2]
    db = open_db()
    try:
        assert_every_item_exactly_once(db, job["id"])
        items = list_items(db, job["id"])
        for item, product in zip(items, again.products, strict=True):
            if item["status"] == "done":  # a product-title job writes the Title
                assert product.name == item["text"]
        generations = db.execute("SELECT count(*) FROM generations").fetchone()[0]
    finally:
        db.close()

    listed = cli("jobs", "list", "--json")
    assert listed.exit_code == 0
    (entry,) = json.loads(listed.stdout)
    assert JOB_KEYS <= set(entry) and entry["id"] == job["id"] and entry["status"] == "completed"

    shown = json.loads(cli("jobs", "show", str(job["id"]), "--json").stdout)
    assert [i["id"] for i in shown["items"]] == [i["id"] for i in items]
    assert {"status", "text", "fields", "findings", "error", "product"} <= set(shown["items"][0])

    exported = cli("jobs", "export", str(job["id"]), "--out", str(tmp_path / "x.csv"), "--format", "csv",
                   "--encoding", "gb18030", "--json")
    assert exported.exit_code == 0, exported.stderr
    assert json.loads(exported.stdout)["encoding"] == "gb18030"
    (tmp_path / "x.csv").read_bytes().decode("gb18030")

    # Resuming a complete job only exports: nothing is generated again.
    resumed = cli("batch", "--resume", str(job["id"]), "--out", str(tmp_path / "r.xlsx"), "--format", "xlsx",
                  "--json")
    assert resumed.exit_code == 0, resumed.stderr
    assert json.loads(resumed.stdout)["export"]["format"] == "xlsx" and (tmp_path / "r.xlsx").exists()
    db = open_db()
    try:
        assert db.execute("SELECT count(*) FROM generations").fetchone()[0] == generations
    finally:
        db.close()

    refused = cli("jobs", "cancel", str(job["id"]))
    assert refused.exit_code == 1 and "already complete" in refused.stderr


def test_cancel_and_resume_of_a_cancelled_job(tmp_path):
    db = open_db()
    try:
        job = create_job(db, import_products(db, products_csv(tmp_path, 2)), "product-title")
    finally:
        db.close()
    cancelled = cli("jobs", "cancel", str(job.id), "--json")
    assert cancelled.exit_code == 0
    assert json.loads(cancelled.stdout)["status"] == "cancelled"
    refused = cli("jobs", "resume", str(job.id))
    assert refused.exit_code == 1 and "cancelled" in refused.stderr
    assert refused.stdout == ""


def test_usage_and_user_errors(tmp_path):
    missing_out = cli("batch", str(products_csv(tmp_path, 1)), "--type", "product-title")
    assert missing_out.exit_code == 2
    unknown = cli("jobs", "show", "999", "--json")
    assert unknown.exit_code == 1 and "999" in unknown.stderr and unknown.stdout == ""
    broken = cli("batch", str(fx.unterminated_quote_csv(tmp_path)), "--type", "product-title",
                 "--out", str(tmp_path / "o.csv"))
    assert broken.exit_code == 1 and "error:" in broken.stderr
    db = open_db()
    try:  # a file that cannot be read imports nothing and starts no job
        assert db.execute("SELECT count(*) FROM products").fetchone()[0] == 0
        assert db.execute("SELECT count(*) FROM jobs").fetchone()[0] == 0
    finally:
        db.close()
    assert json.loads(cli("jobs", "list", "--json").stdout) == []


@pytest.mark.model
def test_add_missing_facts_from_the_command_line(tmp_path):
    """--add-missing-facts with --require: every title the model writes carries the required fact, either
    in its own words or added after it (and then the history row says so)."""
    out = tmp_path / "titles.csv"
    result = cli("batch", str(products_csv(tmp_path, 2)), "--type", "product-title", "--lang", "en",
                 "--max-tokens", "24", "--retries", "1", "--seed", "4", "--require", "free shipping",
                 "--add-missing-facts", "--out", str(out), "--json")
    assert result.exit_code == 0, result.stderr
    job = json.loads(result.stdout)["job"]
    db = open_db()
    try:
        assert json.loads(db.execute("SELECT options FROM jobs WHERE id = ?",
                                     [job["id"]]).fetchone()[0])["add_facts"] is True
        done = [i for i in list_items(db, job["id"]) if i["status"] == "done"]
        assert done, "no title was written"
        for item in done:
            assert "free shipping" in item["text"].lower()
            assert not [f for f in item["findings"] or [] if f["category"] == "coverage"]
            sampling = json.loads(db.execute("SELECT sampling FROM generations WHERE id = ?",
                                             [item["generation_id"]]).fetchone()[0])
            added = sampling.get("details_added")
            if added is not None:  # the model left it out: added after a space (a title is one line)
                assert added == ["free shipping"] and item["text"].endswith(" free shipping")
    finally:
        db.close()
