"""Batch jobs with the real model: persisted before work, every item exactly once, structured answers
parsed (or failed with a reason), bounded retries, pause, resume, cancel, and the review actions."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from desktop.core.catalog import read_products
from desktop.core.catalog.products import find_product_id, save_products
from desktop.core.content.structured import repair_json
from desktop.core.jobs import (
    JobError,
    cancel_job,
    create_job,
    edit_item,
    get_item,
    get_job,
    list_items,
    regenerate_item,
    run_job,
    set_item_review,
)
from desktop.core.jobs.pipeline import JobPlan
from desktop.core.jobs.store import claim_items, start_run
from desktop.core.stop import Stop
from desktop.core.store import open_db

PRODUCTS = [
    ("Steel water bottle", "Keeps drinks cold for 24 hours", "BTL-1"),
    ("Linen apron", "Adjustable straps, two pockets", "APR-2"),
    ("Wool scarf", "Hand-knitted merino wool", "SCF-3"),
    ("Bamboo toothbrush", "Biodegradable handle", "TB-4"),
    ("Ceramic mug", "Dishwasher safe, 350 ml", "MUG-5"),
]


def products_csv(folder: Path, n: int = 3) -> Path:
    path = folder / f"products_{n}.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["name", "features", "sku"])
        writer.writerows(PRODUCTS[:n])
    return path


def import_products(db, path: Path) -> list[int]:
    result = read_products(path)
    save_products(db, result)
    return [find_product_id(db, p) for p in result.products]


def generations_per_item(db, job_id: int) -> dict[int, int]:
    rows = db.execute(
        "SELECT i.id, (SELECT count(*) FROM generations g WHERE g.job_id = i.job_id AND g.product_id = "
        "i.product_id) FROM job_items i WHERE i.job_id = ?", [job_id]).fetchall()
    return dict(rows)


def assert_every_item_exactly_once(db, job_id: int) -> None:
    """Done items have one history row (the one they point at); failed ones none, and a reason."""
    counts = generations_per_item(db, job_id)
    for item in list_items(db, job_id):
        assert item["status"] in ("done", "failed", "accepted", "rejected"), item
        if item["status"] == "failed":
            assert item["error"], item
            assert counts[item["id"]] == 0
        else:
            assert counts[item["id"]] == 1, item
            row = db.execute("SELECT job_id, product_id FROM generations WHERE id = ?",
                             [item["generation_id"]]).fetchone()
            assert row == (job_id, item["product_id"])
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@pytest.fixture
def db():
    database = open_db()
    yield database
    database.close()


# ----- no model ------------------------------------------------------------------------------------
def test_create_job_persists_the_job_and_every_item_before_work(db, tmp_path):
    ids = import_products(db, products_csv(tmp_path, 3))
    job = create_job(db, ids + ids[:1], "product-title", lang="en", options={"max_tokens": 16},
                     input_path=str(tmp_path / "in.csv"), output_path=str(tmp_path / "out.csv"), format="csv")
    assert (job.status, job.total, job.template_id, job.lang) == ("pending", 3, "generic-product-title", "en")
    assert isinstance(job.options["seed"], int)  # stored: a resumed job draws the same seeds
    items = list_items(db, job.id)
    assert [i["product_id"] for i in items] == ids  # de-duplicated, in order
    assert {i["status"] for i in items} == {"pending"}
    assert [i["product_name"] for i in items] == [p[0] for p in PRODUCTS[:3]]


def test_create_job_refuses_bad_choices_and_writes_nothing(db, tmp_path):
    ids = import_products(db, products_csv(tmp_path, 2))
    with pytest.raises(JobError):
        create_job(db, [], "product-title")
    with pytest.raises(JobError, match="Unknown product"):
        create_job(db, [*ids, 999], "product-title")
    with pytest.raises(JobError, match="format"):
        create_job(db, ids, "product-title", format="pdf")
    with pytest.raises(JobError, match="not product-title"):
        create_job(db, ids, "product-title", template_id="shopify-product")
    assert db.execute("SELECT count(*) FROM jobs").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM job_items").fetchone()[0] == 0


def test_validation_parses_counts_lengths_and_truncation(db, tmp_path):
    ids = import_products(db, products_csv(tmp_path, 1))
    note = JobPlan.load(db, create_job(db, ids, "social-post", platform="xiaohongshu", lang="zh"))
    good = {"title": "夏日随身水杯", "body": "一整天都是冰的。", "hashtags": ["水杯", "夏日", "好物"]}
    assert note.judge(json.dumps(good, ensure_ascii=False), "end").valid
    assert "not the JSON" in note.judge("a bottle that keeps drinks cold", "end").reason
    assert "cut short" in note.judge(json.dumps(good, ensure_ascii=False), "length").reason
    too_few = note.judge(json.dumps({**good, "hashtags": ["水杯"]}, ensure_ascii=False), "end")
    assert "hashtags has 1 items, needs 3-8" in too_few.reason
    missing = note.judge(json.dumps({"title": "水杯", "hashtags": good["hashtags"]},
                                    ensure_ascii=False), "end")
    assert "body is empty" in missing.reason

    title = JobPlan.load(db, create_job(db, ids, "product-title", platform="taobao", lang="zh"))
    long_title = title.judge("保温杯" * 14, "stop")  # 42 CJK characters: width 84 > 60
    assert not long_title.valid and any(f["category"] == "length" for f in long_title.findings)
    # A compliance finding is kept for review but does not fail the item.
    claim = title.judge("最佳保温杯 不锈钢 大容量", "stop")
    assert claim.valid and any(f["severity"] in ("block", "warn") and f["category"] != "length"
                               for f in claim.findings)


def test_start_puts_items_of_a_killed_run_back_to_pending(db, tmp_path):
    job = create_job(db, import_products(db, products_csv(tmp_path, 3)), "product-title")
    claimed = claim_items(db, job.id, 2)
    assert [i["status"] for i in claimed] == ["running", "running"]
    assert start_run(db, job.id) == 2
    assert {i["status"] for i in list_items(db, job.id)} == {"pending"}


def test_cancel_a_pending_job(db, tmp_path):
    job = create_job(db, import_products(db, products_csv(tmp_path, 2)), "product-title")
    assert cancel_job(db, job.id).status == "cancelled"
    assert {i["status"] for i in list_items(db, job.id)} == {"cancelled"}
    with pytest.raises(JobError, match="cancelled"):
        run_job(db, None, job.id)


# ----- with the model --------------------------------------------------------------------------------
@pytest.mark.model
def test_job_completes_with_every_item_exactly_once(db, engine, tmp_path):
    ids = import_products(db, products_csv(tmp_path, 3))
    job = create_job(db, ids, "product-title", lang="en", options={"max_tokens": 16, "retries": 1, "seed": 7})
    reports = []
    finished = run_job(db, engine, job.id, on_progress=reports.append)
    assert finished.status == "completed" and finished.done + finished.failed == 3
    assert_every_item_exactly_once(db, job.id)
    assert reports[-1].status == "completed" and reports[-1].finished == 3 and reports[-1].pending == 0
    written = [r for r in reports if r.item is not None]
    assert len(written) == 3
    assert [r.finished for r in written] == [1, 2, 3]
    assert all(r.eta_s is not None for r in written)
    for item in list_items(db, job.id, status="done"):
        assert item["text"] and "\n" not in item["text"]  # a title stops at its line


@pytest.mark.model
def test_structured_answers_parse_every_time_or_fail_with_reason(db, engine, tmp_path):
    ids = import_products(db, products_csv(tmp_path, 2))
    job = create_job(db, ids, "product-description", platform="shopify", lang="en",
                     options={"max_tokens": 48, "retries": 0, "seed": 11})
    raw: dict[int, str] = {}
    run_job(db, engine, job.id, on_text=lambda item_id,
            delta: raw.__setitem__(item_id, raw.get(item_id, "") + delta))
    assert set(raw) == {i["id"] for i in list_items(db, job.id)}
    for item in list_items(db, job.id):
        value, _cut = repair_json(raw[item["id"]])
        assert isinstance(value, dict), raw[item["id"]]  # the grammar holds the model to JSON
        if item["status"] == "done":
            assert set(item["fields"]) == {"body_html", "seo_title", "seo_description"}
            assert all(item["fields"].values())
        else:
            assert item["error"] and "not the JSON" not in item["error"]
    assert_every_item_exactly_once(db, job.id)


@pytest.mark.model
def test_retries_are_bounded_and_a_failure_says_why(db, engine, tmp_path):
    ids = import_products(db, products_csv(tmp_path, 1))
    job = create_job(db, ids, "product-description", platform="shopify", lang="en",
                     options={"max_tokens": 2, "retries": 2})
    run_job(db, engine, job.id)
    (item,) = list_items(db, job.id)
    assert item["status"] == "failed" and item["attempts"] == 3
    assert "cut short" in item["error"]
    assert generations_per_item(db, job.id)[item["id"]] == 0


@pytest.mark.model
def test_pause_then_resume_ends_complete(db, engine, tmp_path):
    ids = import_products(db, products_csv(tmp_path, 3))
    job = create_job(db, ids, "product-title", lang="en",
                     options={"max_tokens": 12, "retries": 0, "group_size": 1})
    stop = Stop()

    def pause_after_first(report):
        if report.item is not None:
            stop.pause()

    paused = run_job(db, engine, job.id, on_progress=pause_after_first, stop=stop)
    assert paused.status == "paused" and paused.done + paused.failed == 1 and paused.remaining == 2
    first = list_items(db, job.id)[0]

    # A pause that aborts mid-answer keeps nothing half-made: the item goes back to pending.
    abort = Stop()
    again = run_job(db, engine, job.id, stop=abort, on_text=lambda *_: abort.pause(abort=True))
    assert again.status == "paused" and again.remaining == 2
    assert {i["status"] for i in list_items(db, job.id)[1:]} == {"pending"}

    done = run_job(db, engine, job.id)
    assert done.status == "completed"
    assert list_items(db, job.id)[0]["generation_id"] == first["generation_id"]  # never generated twice
    assert_every_item_exactly_once(db, job.id)


@pytest.mark.model
def test_cancel_while_running_keeps_finished_items(db, engine, tmp_path):
    ids = import_products(db, products_csv(tmp_path, 3))
    job = create_job(db, ids, "product-title", lang="en",
                     options={"max_tokens": 12, "retries": 0, "group_size": 1})
    stop = Stop()
    ended = run_job(db, engine, job.id, stop=stop,
                    on_progress=lambda r: stop.cancel() if r.item is not None else None)
    assert ended.status == "cancelled"
    statuses = [i["status"] for i in list_items(db, job.id)]
    assert statuses[0] in ("done", "failed") and statuses[1:] == ["cancelled", "cancelled"]
    with pytest.raises(JobError, match="cancelled"):
        run_job(db, engine, job.id)


@pytest.mark.model
def test_review_edit_regenerate_and_filters(db, engine, tmp_path):
    ids = import_products(db, products_csv(tmp_path, 2))
    job = create_job(db, ids, "product-title", platform="taobao", lang="zh",
                     options={"max_tokens": 2, "retries": 0})
    run_job(db, engine, job.id)
    first, second = list_items(db, job.id)
    assert first["status"] == second["status"] == "failed"  # two tokens: cut short
    with pytest.raises(JobError):
        set_item_review(db, first["id"], "accepted")

    fixed = edit_item(db, first["id"], {"title": "不锈钢保温杯 大容量 便携"})
    assert fixed["status"] == "done" and fixed["error"] is None
    assert set_item_review(db, first["id"], "accepted")["status"] == "accepted"
    flagged = edit_item(db, second["id"], {"title": "最佳亚麻围裙"})
    assert flagged["status"] == "done" and flagged["findings"]
    too_long = edit_item(db, first["id"], {"title": "保温杯" * 14})
    assert too_long["status"] == "failed" and "60" in too_long["error"]
    edit_item(db, first["id"], {"title": "不锈钢保温杯"})
    assert get_item(db, first["id"])["status"] == "done"
    set_item_review(db, first["id"], "accepted")

    assert [i["id"] for i in list_items(db, job.id, filter="accepted")] == [first["id"]]
    assert [i["id"] for i in list_items(db, job.id, filter="findings")] == [second["id"]]
    set_item_review(db, second["id"], "rejected")
    assert [i["id"] for i in list_items(db, job.id, filter="rejected")] == [second["id"]]
    assert list_items(db, job.id, filter="failed") == []

    before = db.execute("SELECT count(*) FROM generations WHERE job_id = ?", [job.id]).fetchone()[0]
    again = regenerate_item(db, engine, first["id"], seed=3)
    assert again["status"] in ("done", "failed") and again["attempts"] >= 1
    after = db.execute("SELECT count(*) FROM generations WHERE job_id = ?", [job.id]).fetchone()[0]
    assert after == before + (1 if again["status"] == "done" else 0)
    assert get_job(db, job.id).status == "completed"


@pytest.mark.model
def test_a_product_field_longer_than_the_context_is_cut_to_fit_not_failed(db, engine, tmp_path):
    path = tmp_path / "long.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["name", "features", "sku"])
        writer.writerow(["Steel water bottle", "durable, light, easy to clean. " * 3300, "LONG-1"])
    ids = import_products(db, path)
    job = create_job(db, ids, "product-title", lang="en", options={"max_tokens": 12, "retries": 0, "seed": 1})
    run_job(db, engine, job.id)
    (item,) = list_items(db, job.id)
    assert item["status"] in {"done", "failed"}
    assert "context" not in (item["error"] or "")  # the prompt fitted: no "too long for the context" failure
    rendered = JobPlan.load(db,
                            get_job(db, job.id)).prompt({"fields": {"name": "x",
                                                                    "features": "y " * 60000}}, engine)
    assert rendered.warnings  # the merchant is told the field was cut


def test_add_missing_facts_puts_what_an_answer_leaves_out_at_its_end(db, tmp_path):
    """Job option add_facts (`--add-missing-facts`, the batch setup's "Key facts left out"): the key fact
    an answer leaves out is added to its main text as a line in the product's words, the history row says
    so, and a merchant's edit that takes it out again is left as edited. Without the option the answer
    stays as written, with its coverage finding."""
    from tests.fake_engine import FakeEngine

    ids = import_products(db, products_csv(tmp_path, 1))  # the bottle: "Keeps drinks cold for 24 hours"
    written = "A handy steel bottle for your trips."
    texts = {}
    for add in (True, False):
        job = create_job(db, ids, "product-description", lang="en",
                         options={"retries": 0, "seed": 1, **({"add_facts": True} if add else {})})
        plan = JobPlan.load(db, job)
        fake = FakeEngine()
        name = plan.template.outputs[0].name
        if plan.template.structured:
            fake.enqueue_json({name: written})
        else:
            fake.enqueue(written)
        run_job(db, fake, job.id)
        (item,) = list_items(db, job.id)
        assert item["status"] == "done", item
        texts[add] = item
    added, plain = texts[True], texts[False]
    assert added["fields"][name] == written + "\n· Keeps drinks cold for 24 hours"
    assert not [f for f in added["findings"] if f["category"] == "coverage"]
    assert plain["fields"][name] == written
    assert [f["suggestion"] for f in plain["findings"] if f["category"] == "coverage"] == [
        "\n· Keeps drinks cold for 24 hours"]
    row = db.execute("SELECT text, sampling FROM generations WHERE id = ?",
                     [added["generation_id"]]).fetchone()
    assert row[0].endswith("· Keeps drinks cold for 24 hours")
    assert json.loads(row[1])["details_added"] == ["Keeps drinks cold for 24 hours"]

    edited = edit_item(db, added["id"], {name: written})  # the merchant takes the line out: it stays out
    assert edited["fields"][name] == written
    assert [f["category"] for f in edited["findings"]].count("coverage") == 1
