"""The Batch page, offscreen: a real product file and the real store. The scripted engine writes the
answers (pause, resume and cancel land exactly where a test says); the real model runs one short job."""

from __future__ import annotations

import csv

import pytest

from desktop.core.jobs import create_job, get_job, list_items
from desktop.core.jobs.store import start_run
from desktop.core.store import open_db
from tests import fixtures_catalog as fx
from tests.fake_engine import FakeEngine
from tests.ui_helpers import FAKE_TIMEOUT_MS, show_page, ui_context

pytestmark = pytest.mark.usefixtures("qapp")


@pytest.fixture
def fake() -> FakeEngine:
    return FakeEngine(n_seq_max=4)


@pytest.fixture
def ctx(qtbot, fake):
    yield from ui_context(fake)


@pytest.fixture
def real_ctx(qtbot):
    yield from ui_context(real_model=True)


def _batch_page(qtbot, ctx):
    from desktop.ui.pages.batch_page import BatchPage

    widget = show_page(qtbot, BatchPage(ctx))
    widget.page_shown()
    qtbot.waitUntil(lambda: widget.setup.choices is not None, timeout=10_000)
    yield widget
    ctx.engine.stop_all()  # a job still running pauses (the page may be closed already: ask the worker)
    qtbot.waitUntil(lambda: not ctx.engine.busy, timeout=60_000)


@pytest.fixture
def page(qtbot, ctx, fake):
    with qtbot.waitSignal(ctx.engine.modelLoaded, timeout=FAKE_TIMEOUT_MS):
        ctx.engine.load()
    yield from _batch_page(qtbot, ctx)


@pytest.fixture
def real_page(qtbot, real_ctx):
    yield from _batch_page(qtbot, real_ctx)


def products_csv(folder):
    path = folder / "shop.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["商品名称", "价格", "材质", "商家编码"])
        writer.writerow(["不锈钢保温杯 500ml", "89", "304不锈钢", "CUP-500"])
        writer.writerow(["纯棉短袖T恤", "59", "新疆长绒棉", "TEE-01"])
    return path


def open_products(page, qtbot, path) -> None:
    page.importer.open_file(path)
    qtbot.waitUntil(lambda: page.importer.result is not None, timeout=10_000)


def test_import_shows_mapping_and_products(page, qtbot, tmp_path):
    assert not page.setup.start_button.isEnabled()
    open_products(page, qtbot, products_csv(tmp_path))
    mapping = page.importer.mapping
    columns = {
        mapping.item(r, 0).text(): mapping.cellWidget(r, 2).currentData() for r in range(mapping.rowCount())
    }
    assert columns == {"商品名称": "name", "价格": "price", "材质": "material", "商家编码": "sku"}
    assert page.importer.products.rowCount() == 2
    assert page.importer.products.item(0, 1).text() == "不锈钢保温杯 500ml"
    assert page.setup.start_button.isEnabled()
    # the merchant corrects a column: 材质 is kept as an extra column instead
    row = next(r for r in range(mapping.rowCount()) if mapping.item(r, 0).text() == "材质")
    combo = mapping.cellWidget(row, 2)
    combo.setCurrentIndex(combo.findData(None))
    qtbot.waitUntil(lambda: page.importer.result.mapping["材质"] is None, timeout=10_000)
    assert "material" not in page.importer.result.products[0].fields
    page.importer.check_all(False)
    assert not page.setup.start_button.isEnabled()


def test_unknown_encoding_shows_a_preview_and_lets_the_user_pick(page, qtbot, tmp_path):
    page.importer.open_file(fx.undecodable_csv(tmp_path))
    qtbot.waitUntil(lambda: not page.importer.encoding_box.isHidden(), timeout=10_000)
    combo = page.importer.encoding
    combo.setCurrentIndex(combo.findData("cp1252"))
    assert "Crème brûlée set" in page.importer.encoding_preview.toPlainText()
    page.importer.encoding_button.click()
    qtbot.waitUntil(lambda: page.importer.result is not None, timeout=10_000)
    assert page.importer.products.item(0, 1).text() == "Crème brûlée set"
    assert page.importer.encoding_box.isHidden()


def test_a_broken_file_imports_nothing_and_says_why(page, qtbot, tmp_path):
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    page.importer.open_file(path)
    qtbot.waitUntil(lambda: page.importer.message.isVisible(), timeout=10_000)
    assert "Excel 97-2003" in page.importer.message.text() and page.importer.result is None


def test_an_interrupted_job_is_offered_for_resuming(ctx, qtbot, tmp_path):
    from desktop.core.catalog import read_products
    from desktop.core.catalog.products import save_products
    from desktop.ui.pages.batch_page import BatchPage

    db = open_db()
    save_products(db, read_products(products_csv(tmp_path)))
    ids = [r[0] for r in db.execute("SELECT id FROM products ORDER BY id").fetchall()]
    job = create_job(db, ids, "product-title")
    start_run(db, job.id)  # as if this process had been running it...
    db.execute("UPDATE settings SET value = ? WHERE key = ?",
               ['{"pid": 1, "started": 0}', f"jobs.runner.{job.id}"])
    db.conn.commit()  # ...and then died (the runner recorded is not alive)
    db.close()
    page = BatchPage(ctx)
    qtbot.addWidget(page)
    page.show()
    page.page_shown()
    qtbot.waitUntil(lambda: not page.resume_box.isHidden(), timeout=10_000)
    assert f"Job {job.id} stopped before it finished: 0 of 2" in page.resume_label.text()


def _start_titles(page, qtbot, path, lang: str = "en") -> None:
    open_products(page, qtbot, path)
    setup = page.setup
    setup.content_type.setCurrentIndex(setup.content_type.findData("product-title"))
    setup.lang.setCurrentIndex(setup.lang.findData(lang))
    setup.max_tokens.setValue(32)
    assert setup.template.currentData()
    assert page.job_id is None
    setup.start_button.click()
    # The job is saved, then submitted in the same call. Not `page.running`: a scripted engine can
    # finish the whole job between two polls, and the test would wait for a moment that has passed.
    qtbot.waitUntil(lambda: page.job_id is not None, timeout=FAKE_TIMEOUT_MS)


def _job(page):
    db = open_db()
    try:
        return get_job(db, page.job_id), list_items(db, page.job_id)
    finally:
        db.close()


def test_run_a_two_product_batch_review_regenerate_and_export(page, fake, qtbot, tmp_path):
    fake.enqueue(["Insulated steel bottle ", "500 ml"])
    fake.enqueue(["Soft cotton ", "T-shirt"])
    _start_titles(page, qtbot, products_csv(tmp_path))
    qtbot.waitUntil(lambda: not page.running, timeout=FAKE_TIMEOUT_MS)
    job, items = _job(page)
    assert job.status == "completed" and job.total == 2 and job.done == 2 and job.failed == 0
    assert {i["product_name"]: i["fields"]["title"] for i in items} == {
        "不锈钢保温杯 500ml": "Insulated steel bottle 500 ml", "纯棉短袖T恤": "Soft cotton T-shirt"}
    setup = page.setup
    assert setup.progress.value() == 1000 and "2 of 2 finished" in setup.progress_label.text()
    review = page.review

    def shown_statuses() -> set[str]:
        return {review.table.item(r, 2).text() for r in range(review.table.rowCount())}

    qtbot.waitUntil(
        lambda: (
            review.job is not None
            and review.job.id == job.id
            and review.table.rowCount() == 2
            and shown_statuses() == {"Done"}
        ),
        timeout=FAKE_TIMEOUT_MS,
    )
    assert page.tabs.currentIndex() == page.REVIEW

    # regenerate the first item: a new answer with its own history row
    review.table.selectRow(0)
    first = review.selected_item()
    fake.enqueue(["Vacuum bottle, ", "keeps tea hot"])
    review.editor.regenerate_button.click()
    qtbot.waitUntil(lambda: not page.regenerating, timeout=FAKE_TIMEOUT_MS)
    again = next(i for i in _job(page)[1] if i["id"] == first["id"])
    assert again["fields"]["title"] == "Vacuum bottle, keeps tea hot" and again["status"] == "done"
    assert again["generation_id"] != first["generation_id"]

    # edit it by hand, accept it, and find it under the Accepted filter
    qtbot.waitUntil(
        lambda: review.selected_item() is not None and review.selected_item()["id"] == first["id"],
        timeout=FAKE_TIMEOUT_MS,
    )
    title = next(iter(review.editor.edits.values()))
    title.setPlainText("保温杯 500ml 不锈钢 长效保温")
    review.editor.save_button.click()
    qtbot.waitUntil(lambda: review.selected_item()["fields"]["title"] == "保温杯 500ml 不锈钢 长效保温",
                    timeout=FAKE_TIMEOUT_MS)
    review.editor.accept_button.click()
    qtbot.waitUntil(lambda: review.selected_item()["status"] == "accepted", timeout=FAKE_TIMEOUT_MS)
    review.filters.setCurrentIndex(4)  # Accepted
    qtbot.waitUntil(lambda: review.table.rowCount() == 1, timeout=FAKE_TIMEOUT_MS)

    # export a CSV with the generated title column
    review.export_choice.setCurrentIndex(1)  # CSV · UTF-8
    out = tmp_path / "out.csv"
    review.export_to(out)
    qtbot.waitUntil(lambda: "Exported" in review.message.text(), timeout=20_000)
    with open(out, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 2
    assert rows[0]["generated_title"] == "保温杯 500ml 不锈钢 长效保温" and rows[0]["status"] == "accepted"
    assert rows[1]["generated_title"] == "Soft cotton T-shirt"
    review.export_choice.setCurrentIndex(4)  # XLSX
    workbook_path = tmp_path / "out.xlsx"
    review.message.clear()
    review.export_to(workbook_path)
    qtbot.waitUntil(lambda: "Exported" in review.message.text(), timeout=20_000)
    from openpyxl import load_workbook

    sheet = load_workbook(workbook_path).active
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    first = [c.value for c in next(sheet.iter_rows(min_row=2, max_row=2))]
    assert first[header.index("generated_title")] == "保温杯 500ml 不锈钢 长效保温"


def many_products(folder, count: int = 40):
    path = folder / "many.csv"
    path.write_text("name,price\n" + "".join(f"Mug number {n},{n}\n" for n in range(count)), encoding="utf-8")
    return path


def test_pause_resume_and_cancel_a_running_batch(page, fake, qtbot, tmp_path):
    from PySide6.QtWidgets import QMessageBox

    setup = page.setup
    for n in range(4):  # the first group (4 sequences) is written; the second stops mid-answer
        fake.enqueue([f"Steel mug {n}"])
    fake.enqueue(["Steel mug ", "4"], hold=True)
    _start_titles(page, qtbot, many_products(tmp_path))
    qtbot.waitUntil(fake.holding.is_set, timeout=FAKE_TIMEOUT_MS)
    qtbot.waitUntil(lambda: "Steel mug 4" in setup.live.text(), timeout=FAKE_TIMEOUT_MS)  # streamed live
    setup.pause_button.click()  # interrupts the group in flight: it goes back to pending
    qtbot.waitUntil(lambda: not page.running, timeout=FAKE_TIMEOUT_MS)
    paused, items = _job(page)
    assert paused.status == "paused" and paused.done == 4 and paused.remaining == 36
    written = sorted(i["fields"]["title"] for i in items if i["status"] == "done")
    assert written == [f"Steel mug {n}" for n in range(4)]
    assert setup.pause_button.text() == "Resume" and setup.pause_button.isEnabled()

    fake.enqueue(["Steel mug 4 again"])
    fake.enqueue(["Steel mug ", "5"], hold=True)
    setup.pause_button.click()  # Resume: the interrupted items are written now, nothing twice
    qtbot.waitUntil(lambda: page.running, timeout=FAKE_TIMEOUT_MS)
    qtbot.waitUntil(fake.holding.is_set, timeout=FAKE_TIMEOUT_MS)
    setup.cancel_button.click()
    page.findChild(QMessageBox, "confirmBox").button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: not page.running, timeout=FAKE_TIMEOUT_MS)
    job, items = _job(page)
    assert job.status == "cancelled" and len(items) == 40
    statuses = [i["status"] for i in items]
    assert statuses.count("done") == 5 and statuses.count("cancelled") == 35
    assert [i["fields"]["title"] for i in items if i["status"] == "done"][-1] == "Steel mug 4 again"
    assert not setup.cancel_button.isEnabled() and setup.start_button.isEnabled()


def test_cancelling_every_engine_job_pauses_the_batch(page, ctx, fake, qtbot, tmp_path):
    """The window stops all engine work on close: a running batch must stop paused, resumable."""
    fake.enqueue(["Teapot ", "0"], hold=True)
    _start_titles(page, qtbot, many_products(tmp_path, 6))
    qtbot.waitUntil(fake.holding.is_set, timeout=FAKE_TIMEOUT_MS)
    ctx.engine.stop_all()
    qtbot.waitUntil(lambda: not page.running, timeout=FAKE_TIMEOUT_MS)
    job, _items = _job(page)
    assert job.status == "paused" and job.remaining == 6 and job.counts.get("running", 0) == 0
    assert page.setup.pause_button.text() == "Resume"


def test_switching_the_language_retranslates_the_page(page, qtbot, tmp_path):
    from desktop.ui import i18n

    open_products(page, qtbot, products_csv(tmp_path))
    try:
        i18n.install_language("zh_CN")
        qtbot.waitUntil(lambda: page.tabs.tabText(0) == "1 · 商品", timeout=5000)
        assert page.setup.start_button.text() == "开始"
        assert page.importer.mapping.cellWidget(0, 2).currentText() == "商品名称"
        assert page.review.filters.tabText(2) == "失败"
    finally:
        i18n.install_language("en")
    qtbot.waitUntil(lambda: page.tabs.tabText(0) == "1 · Products", timeout=5000)


@pytest.mark.model
@pytest.mark.slow
def test_real_model_writes_a_two_product_batch(real_page, real_ctx, qtbot, tmp_path, model_path):
    with qtbot.waitSignal(real_ctx.engine.modelLoaded, timeout=60_000):
        real_ctx.engine.load(str(model_path), n_ctx=2048)
    _start_titles(real_page, qtbot, products_csv(tmp_path))  # English: the tiny model writes it reliably
    qtbot.waitUntil(lambda: not real_page.running, timeout=240_000)
    job, items = _job(real_page)
    assert job.status == "completed" and job.total == 2 and job.done + job.failed == 2 and job.done >= 1
    assert {i["product_name"] for i in items} == {"不锈钢保温杯 500ml", "纯棉短袖T恤"}
    assert all(i["fields"]["title"].strip() for i in items if i["status"] == "done")


def test_flagged_items_come_first_are_held_back_and_need_an_explicit_accept(page, fake, qtbot, tmp_path):
    """An invented price is a block finding: the item scores lowest, so it is listed first; it shows as
    held back, the export keeps the merchant's text for it, and "Accept anyway" lets it through."""
    fake.enqueue(["Insulated steel bottle 500 ml"])
    fake.enqueue(["Soft cotton T-shirt, now only $19.99"])  # the product costs 59: the price is made up
    _start_titles(page, qtbot, products_csv(tmp_path))
    qtbot.waitUntil(lambda: not page.running, timeout=FAKE_TIMEOUT_MS)
    review = page.review
    qtbot.waitUntil(lambda: review.job is not None and review.table.rowCount() == 2
                    and all(review.table.item(r, 5).text() for r in range(2)), timeout=FAKE_TIMEOUT_MS)
    assert review.current_sort() == "score"
    scores = [int(review.table.item(r, 5).text()) for r in range(2)]
    assert scores[0] < scores[1]  # worst first
    assert review.table.item(0, 1).text() == "纯棉短袖T恤"
    assert review.table.item(0, 2).text() == "Held back" and review.table.item(1, 2).text() == "Done"
    review.sort_choice.setCurrentIndex(1)  # file order
    assert review.table.item(0, 1).text() == "不锈钢保温杯 500ml"
    review.sort_choice.setCurrentIndex(0)

    review.export_choice.setCurrentIndex(1)  # CSV · UTF-8
    out = tmp_path / "held.csv"
    review.export_to(out)
    qtbot.waitUntil(lambda: "Exported" in review.message.text(), timeout=20_000)
    assert "1 held back" in review.message.text()
    with open(out, encoding="utf-8") as handle:
        rows = {r["name"]: r for r in csv.DictReader(handle)}
    held = rows["纯棉短袖T恤"]
    assert held["generated_title"] == "" and "unsupported-fact" in held["held_back"]

    review.table.selectRow(0)
    qtbot.waitUntil(lambda: review.selected_item()["product_name"] == "纯棉短袖T恤", timeout=FAKE_TIMEOUT_MS)
    assert review.editor.accept_button.text() == "Accept anyway"
    assert "Held back" in review.editor.findings.text()
    held_score = review.selected_item()["score"]
    assert review.editor.score.value == held_score["value"] < 100  # its score, with what took points off
    assert "Unsupported facts \u2212" in review.editor.score.text()
    review.editor.accept_button.click()
    qtbot.waitUntil(lambda: review.selected_item()["status"] == "accepted", timeout=FAKE_TIMEOUT_MS)
    assert review.editor.accept_button.text() == "Accept"
    review.message.clear()
    review.export_to(out)
    qtbot.waitUntil(lambda: "Exported" in review.message.text(), timeout=20_000)
    with open(out, encoding="utf-8") as handle:
        rows = {r["name"]: r for r in csv.DictReader(handle)}
    assert rows["纯棉短袖T恤"]["generated_title"] == "Soft cotton T-shirt, now only $19.99"
    assert rows["纯棉短袖T恤"]["status"] == "accepted"


def test_best_of_set_in_the_batch_setup_writes_that_many_candidates_per_product(page, fake, qtbot, tmp_path):
    for text in ("Steel bottle", "Steel bottle 500 ml", "Cotton tee", "Soft cotton tee"):
        fake.enqueue([text])
    assert page.setup.best_of.value() == 1  # the default in a batch: N multiplies the work
    page.setup.best_of.setValue(2)
    _start_titles(page, qtbot, products_csv(tmp_path))
    qtbot.waitUntil(lambda: not page.running, timeout=FAKE_TIMEOUT_MS)
    job, items = _job(page)
    assert job.status == "completed" and job.options["best_of"] == 2
    assert len(fake.requests) == 4 and fake.queued == 0  # two candidates for each of the two products
    assert all(i["status"] == "done" for i in items)


def test_key_facts_left_out_are_added_when_the_setup_asks(page, fake, qtbot, tmp_path):
    fake.enqueue(["Steel bottle, free shipping"])
    fake.enqueue(["Cotton tee"])  # leaves the required fact out: added after a space (a title is one line)
    assert not page.setup.add_facts.isChecked()  # off by default: the answers stay as written
    page.setup.must_mention.setText("free shipping")
    page.setup.add_facts.setChecked(True)
    _start_titles(page, qtbot, products_csv(tmp_path))
    qtbot.waitUntil(lambda: not page.running, timeout=FAKE_TIMEOUT_MS)
    job, items = _job(page)
    assert job.options["add_facts"] is True
    titles = {i["product_name"]: i["text"] for i in items}
    assert titles == {"不锈钢保温杯 500ml": "Steel bottle, free shipping",
                      "纯棉短袖T恤": "Cotton tee free shipping"}
    assert not [f for i in items for f in i["findings"] or [] if f["category"] == "coverage"]


def test_must_mention_in_the_batch_setup_is_required_of_every_product(page, fake, qtbot, tmp_path):
    fake.enqueue(["Steel bottle 500ml, free shipping"])
    fake.enqueue(["Cotton tee"])  # leaves the required fact out
    page.setup.must_mention.setText("free shipping，")
    _start_titles(page, qtbot, products_csv(tmp_path))
    qtbot.waitUntil(lambda: not page.running, timeout=FAKE_TIMEOUT_MS)
    job, items = _job(page)
    assert job.options["required"] == ["free shipping"]
    rules = {i["product_name"]: [f["rule"] for f in i["findings"] or []] for i in items}
    assert "coverage.required" not in rules["不锈钢保温杯 500ml"]
    assert "coverage.required" in rules["纯棉短袖T恤"]
