"""The guards where results are made and shipped: one language resolver for Compose and the batch,
echoed scaffolding stripped from every field, the fact guard and score in review_output, and the safe
export that never writes flagged copy over the merchant's own text (no model needed: the items are
written as a run would write them)."""

from __future__ import annotations

import csv

import fixtures_catalog as fx
import pytest
from openpyxl import load_workbook

from desktop.core.catalog import read_products
from desktop.core.catalog.products import find_product_id, save_products
from desktop.core.content.checking import check_output, review_output
from desktop.core.content.language import LanguageError, resolve_lang
from desktop.core.content.sources import fact_sources
from desktop.core.content.structured import parse_output, strip_echo
from desktop.core.jobs import create_job, export_job, import_options, list_items
from desktop.core.jobs import store as job_store
from desktop.core.jobs.model import ITEM_ACCEPTED, ITEM_DONE, ITEM_PENDING, JobError
from desktop.core.jobs.pipeline import resolve_job
from desktop.core.store import open_db
from desktop.core.store.templates import TemplateLibrary


# --- the default language ------------------------------------------------------------------------
@pytest.mark.parametrize(("lang", "platform", "texts", "expected"), [
    (None, None, ["Camp mug"], "en"),
    (None, None, ["露营杯", "不锈钢"], "zh"),
    (None, "email", ["Camp mug", "enamel"], "en"),
    (None, "blog", ["保温杯"], "zh"),
    (None, "taobao", ["Camp mug"], "zh"),  # the platform's market decides before the input
    (None, "amazon", ["露营杯"], "en"),
    ("zh", "amazon", ["Camp mug"], "zh"),  # asked for wins
    (None, None, [], "zh"),
    (None, None, ["", "  ", "123"], "zh"),
])
def test_one_resolver_decides_the_language(lang, platform, texts, expected):
    assert resolve_lang(lang, platform, texts) == expected
    batch = resolve_job(None, template_id=None, content_type="product-description",
                        platform=platform, lang=lang,
                        texts=texts)
    assert batch.lang == expected  # the batch uses the same one


def test_an_unknown_language_is_a_bilingual_error():
    with pytest.raises(LanguageError) as err:
        resolve_lang("fr", None)
    assert "zh or en" in err.value.en and err.value.zh
    with pytest.raises(JobError):
        resolve_job(None, template_id=None, content_type="product-description", platform=None, lang="fr")


def test_a_batch_of_english_products_defaults_to_english(tmp_path):
    db = open_db()
    try:
        result = read_products(fx.shopify_old_csv(tmp_path))
        save_products(db, result)
        ids = [find_product_id(db, p) for p in result.products]
        job = create_job(db, ids, "product-description", template_id="generic-product-description")
        assert job.platform is None and job.lang == "en"
    finally:
        db.close()


# --- echoed scaffolding ----------------------------------------------------------------------------
SHOPIFY = TemplateLibrary().get("shopify-product")


@pytest.mark.parametrize(("answer", "expected"), [
    ("<product>\nProduct name: Wool socks\n</product>\nSoft merino socks.", "Soft merino socks."),
    ("Product name: Wool socks\nBrand: Acme\nSoft merino socks.", "Soft merino socks."),
    ("商品名称：羊毛袜\n品牌：暖山\n柔软保暖的羊毛袜。", "柔软保暖的羊毛袜。"),
    ("Title: Merino Hiking Socks", "Merino Hiking Socks"),
    ("标题：美利奴羊毛袜", "美利奴羊毛袜"),
    ("**Title:** Merino Hiking Socks", "Merino Hiking Socks"),
    ("Price: 24.00 | ItemPrice: $159.68\nSoft merino socks.", "Soft merino socks."),
    ("Soft merino socks.</product>", "Soft merino socks."),
    ("Features: warm, soft", "Features: warm, soft"),  # a lone label line may be the answer itself: kept
])
def test_echoed_scaffolding_never_reaches_a_result(answer, expected):
    assert strip_echo(answer, SHOPIFY) == expected


def test_structured_fields_are_stripped_too():
    answer = ('{"body_html": "<product>Price: 24.00 | ItemPrice: $159.68\\n<p>Soft merino blend.</p>", '
              '"seo_title": "SEO title: Merino socks", "seo_description": "Warm socks for cold trails."}')
    fields, _ = parse_output(answer, SHOPIFY)
    assert fields == {"body_html": "<p>Soft merino blend.</p>", "seo_title": "Merino socks",
                      "seo_description": "Warm socks for cold trails."}


# --- review_output: the fact guard, coverage, language, category and score in one place -------------------
SOCKS = {"product_name": "Merino hiking socks", "features": "Soft merino blend, cushioned heel",
         "price": "$19.99"}


def test_the_reported_shopify_export_is_flagged_and_scored():
    sources = fact_sources(SHOPIFY, SOCKS, lang="en")
    fields = {"body_html": "<p>Soft merino blend with a cushioned heel. Only $24.00!</p>",
              "seo_title": "Amazon Best Selling Merino Socks",
              "seo_description": "Rated 4.9 by 3,000 buyers."}
    review = review_output(SHOPIFY, fields, "", platform="shopify", lang="en", sources=sources)
    flagged = {(f["field"], f["text"],
                f["severity"]) for f in review.findings if f["category"] == "unsupported-fact"}
    assert flagged == {("body_html", "$24.00", "block"), ("seo_title", "Amazon", "block"),
                       ("seo_title", "Best Selling", "block"), ("seo_description", "Rated 4.9", "block"),
                       ("seo_description", "3,000 buyers", "block")}
    assert review.coverage["share"] == 1.0 and review.category == {"id": "apparel", "inferred": True,
                                                                   "from": "socks"}
    assert review.score["value"] < 60 and review.score["parts"][0]["points"] == -45


def test_a_faithful_result_keeps_its_provenance_and_a_high_score():
    sources = fact_sources(SHOPIFY, {**SOCKS, "specs": "Pack of 2; sizes S-L"}, lang="en", ui_lang="zh")
    fields = {"body_html": "<p>Soft merino blend, cushioned heel, 2 pairs in a pack.</p>",
              "seo_title": "Merino Hiking Socks, 2 Pack", "seo_description": "Soft merino socks, $19.99."}
    review = review_output(SHOPIFY, fields, "", platform="shopify", lang="en", sources=sources, ui_lang="zh")
    assert [f for f in review.findings if f["category"] == "unsupported-fact"] == []
    assert {(f["field"], f["text"], f["source"]) for f in review.facts} == {
        ("body_html", "2 pairs", "规格参数"), ("seo_title", "2 Pack", "规格参数"),
        ("seo_description", "$19.99", "价格")}
    assert review.score["value"] >= 90


def test_missing_facts_are_offered_at_the_end_of_the_text_that_carries_them():
    """A structured result's key facts belong in its main text (the body), not in its title: each
    missing one is an insert at the body's end, and applying them all covers every fact."""
    sources = fact_sources(SHOPIFY, {**SOCKS, "specs": "Pack of 2; sizes S-L"}, lang="en")
    fields = {"body_html": "<p>Warm merino socks for the trail.</p>", "seo_title": "Merino Hiking Socks",
              "seo_description": "Socks for hikers."}
    review = review_output(SHOPIFY, fields, "", platform="shopify", lang="en", sources=sources)
    missing = [f for f in review.findings if f["category"] == "coverage"]
    assert missing and {f["field"] for f in missing} == {"body_html"}
    end = len(fields["body_html"])
    # an HTML body gets a paragraph per fact (a bare line break would run into the text before it)
    assert all(f["start"] == f["end"] == end for f in missing)
    assert [f["suggestion"] for f in missing] == ["\n<p>· Soft merino blend</p>", "\n<p>· cushioned heel</p>",
                                                  "\n<p>· Pack of 2</p>", "\n<p>· sizes S-L</p>"]
    added = dict(fields, body_html=fields["body_html"] + "".join(f["suggestion"] for f in missing))
    again = review_output(SHOPIFY, added, "", platform="shopify", lang="en", sources=sources)
    assert [f for f in again.findings if f["category"] == "coverage"] == []
    assert again.coverage["share"] == 1.0 and review.coverage["share"] < 1.0


def test_wrong_language_is_found_in_each_field():
    template = TemplateLibrary().get("generic-product-description")
    findings = check_output(template, None, "This bottle keeps drinks hot for twelve hours, all day long.",
                            platform=None, lang="zh")
    assert [(f["category"], f["severity"]) for f in findings] == [("language", "block")]


def test_without_sources_the_existing_checks_are_unchanged():
    template = TemplateLibrary().get("taobao-title")
    name = template.outputs[0].name
    findings = check_output(template, {name: "全网第一保温杯 500ml 24小时"}, "", platform="taobao", lang="zh")
    assert not [f for f in findings if f["category"] in ("unsupported-fact", "coverage")]


# --- safe export ---------------------------------------------------------------------------------------
BLOCK = {"rule": "facts.unsupported.price", "category": "unsupported-fact", "severity": "block",
         "start": 0, "end": 6,
         "text": "$24.00", "message": "invented price", "suggestion": "remove", "field": "body_html"}
INFO = dict(BLOCK, severity="info", rule="facts.unsupported.number", category="unsupported-fact")


@pytest.fixture
def shopify_job(tmp_path):
    db = open_db()
    path = fx.shopify_old_csv(tmp_path)
    result = read_products(path)
    save_products(db, result)
    ids = [find_product_id(db, p) for p in result.products]
    job = create_job(db, ids, "product-description", platform="shopify", template_id="shopify-product",
                     options={"import": import_options(result)}, input_path=str(path),
                     output_path=str(tmp_path / "out.csv"), format="shopify")
    yield db, job, tmp_path
    db.close()


def _finish(db, item: dict, status: str, findings: list[dict], body: str) -> None:
    fields = {"body_html": body, "seo_title": "New SEO", "seo_description": "New description"}
    assert job_store.finish_item(db, item["id"], status=status, attempts=1, text=body, fields=fields,
                                 findings=findings, expect=(ITEM_PENDING,))


def test_flagged_items_are_held_back_and_the_original_stays(shopify_job):
    db, job, tmp_path = shopify_job
    tee, bottle = list_items(db, job.id)
    _finish(db, tee, ITEM_DONE, [BLOCK], "<p>Invented $24.00 tee</p>")
    _finish(db, bottle, ITEM_DONE, [INFO], "<p>A faithful bottle text</p>")
    report = export_job(db, job.id, tmp_path / "safe.csv", format="shopify")
    assert (report["filled"], report["held_back"]) == (1, 1)
    assert report["held_back_reasons"] == {"unsupported-fact": 1} and report["held_back_items"] == [tee["id"]]
    back = {p.handle: p for p in read_products(tmp_path / "safe.csv").products}
    assert (
        back["organic-tee"].fields["description"]
        == fx.SHOPIFY_OLD_ROWS[0][fx.SHOPIFY_OLD_HEADER.index("Body (HTML)")]
    )
    # info does not hold back
    assert back["steel-bottle"].fields["description"] == "<p>A faithful bottle text</p>"

    forced = export_job(db, job.id, tmp_path / "forced.csv", format="shopify", include_flagged=True)
    assert (forced["filled"], forced["held_back"]) == (2, 0)
    again = {p.handle: p for p in read_products(tmp_path / "forced.csv").products}
    assert again["organic-tee"].fields["description"] == "<p>Invented $24.00 tee</p>"


def test_an_accepted_item_was_reviewed_and_is_written(shopify_job):
    db, job, tmp_path = shopify_job
    tee, bottle = list_items(db, job.id)
    _finish(db, tee, ITEM_ACCEPTED, [BLOCK], "<p>Reviewed tee</p>")
    _finish(db, bottle, ITEM_DONE, [BLOCK], "<p>Unreviewed bottle</p>")
    report = export_job(db, job.id, tmp_path / "out.csv", format="shopify")
    assert (report["filled"], report["held_back"], report["held_back_items"]) == (1, 1, [bottle["id"]])


def test_generic_exports_say_why_an_item_was_held_back(shopify_job):
    db, job, tmp_path = shopify_job
    tee, bottle = list_items(db, job.id)
    _finish(db, tee, ITEM_DONE, [BLOCK], "<p>Invented $24.00 tee</p>")
    _finish(db, bottle, ITEM_DONE, [], "=1+1 is not a formula")
    report = export_job(db, job.id, tmp_path / "out.csv", format="csv")
    assert (report["filled"], report["held_back"]) == (1, 1)
    with open(tmp_path / "out.csv", encoding="utf-8", newline="") as fh:
        rows = {r["handle"]: r for r in csv.DictReader(fh)}
    assert (
        rows["organic-tee"]["generated_body_html"] == ""
        and "invented price" in rows["organic-tee"]["held_back"]
    )
    # CSV keeps the quote guard
    assert rows["steel-bottle"]["generated_body_html"] == "'=1+1 is not a formula"
    assert rows["steel-bottle"]["held_back"] == ""

    export_job(db, job.id, tmp_path / "out.xlsx", format="xlsx")
    sheet = load_workbook(tmp_path / "out.xlsx").active
    header = [c.value for c in sheet[1]]
    body = sheet.cell(row=3, column=header.index("generated_body_html") + 1)
    assert (body.value, body.data_type, body.quotePrefix) == ("=1+1 is not a formula", "s", True)
    held = sheet.cell(row=2, column=header.index("held_back") + 1).value
    assert held.startswith("[unsupported-fact] body_html: invented price")


def test_the_export_command_holds_back_and_says_why_unless_told_otherwise(shopify_job):
    import json

    from click.testing import CliRunner

    from desktop.cli import main

    db, job, tmp_path = shopify_job
    tee, bottle = list_items(db, job.id)
    _finish(db, tee, ITEM_DONE, [BLOCK], "<p>Invented $24.00 tee</p>")
    _finish(db, bottle, ITEM_DONE, [], "<p>Faithful bottle</p>")
    out = str(tmp_path / "cli.csv")
    said = CliRunner().invoke(main, ["jobs", "export", str(job.id), "--out", out, "--format", "shopify"])
    assert said.exit_code == 0, said.output
    assert "Held back 1 item(s) with blocking findings (unsupported-fact: 1)" in said.stderr
    forced = CliRunner().invoke(main, ["jobs", "export", str(job.id), "--out", out, "--format", "shopify",
                                       "--include-flagged", "--json"])
    assert forced.exit_code == 0, forced.output
    report = json.loads(forced.stdout)
    assert (report["filled"], report["held_back"], report["held_back_reasons"]) == (2, 0, {})
