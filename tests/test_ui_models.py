"""The Models page, offscreen, over the real registry, real GGUF files, a local fake Hub and the scripted
engine (loading a model is the engine worker's job: the page only asks for it)."""

from __future__ import annotations

import dataclasses
import shutil

import pytest
from PySide6.QtWidgets import QMessageBox

from desktop.core import embedded
from desktop.core.models import registry
from desktop.core.models.errors import GGUFFileError
from desktop.core.models.gguf_header import read_gguf_info
from tests.fake_engine import FakeEngine
from tests.fakehub import FakeHub, FakeRepo
from tests.ui_helpers import row_of, show_page, ui_context

pytestmark = pytest.mark.usefixtures("qapp")


@pytest.fixture
def fake() -> FakeEngine:
    return FakeEngine()


@pytest.fixture
def ctx(qtbot, fake):
    yield from ui_context(fake)


@pytest.fixture
def page(qtbot, ctx):
    from desktop.ui.pages.models_page import ModelsPage

    widget = show_page(qtbot, ModelsPage(ctx), 1100, 720)
    widget.page_shown()
    # Listing reads every model's header on a worker; say what the panel shows if it never arrives.
    try:
        qtbot.waitUntil(lambda: bool(widget.local.rows), timeout=60_000)
    except Exception as exc:
        raise AssertionError("local models never listed; panel says: "
                             f"{widget.local.message.text()!r}") from exc
    yield widget
    widget.downloads.pause_all()
    widget.downloads.pool.waitForDone(10_000)


def cell(table, row: int, column: int) -> str:
    item = table.item(row, column)
    return item.text() if item else ""


def test_lists_the_embedded_model_with_its_header(page):
    table = page.local.table
    r = row_of(table, embedded.MODEL_ID)
    assert r >= 0
    info = read_gguf_info(embedded.embedded_model_path())
    assert cell(table, r, 1) == info.architecture
    assert cell(table, r, 3) == info.quantization == "Q4_1"
    assert cell(table, r, 4) == f"{info.context_length:,}"
    assert cell(table, r, 6) == "Default"
    assert cell(table, r, 7) in ("Fits", "Tight (may be slow)", "Won't fit")
    assert not page.local.remove_button.isEnabled()  # the embedded model cannot be removed


def test_import_a_copy_and_see_it_listed(page, qtbot, tmp_path, model_path):
    source = tmp_path / "MyShop-Writer.gguf"
    shutil.copyfile(model_path, source)
    page.local.import_file(source)
    qtbot.waitUntil(lambda: row_of(page.local.table, "myshop-writer") >= 0, timeout=30_000)
    r = row_of(page.local.table, "myshop-writer")
    assert cell(page.local.table, r, 3) == "Q4_1"
    assert "Imported myshop-writer" in page.local.message.text()
    assert registry.get_model("myshop-writer").source == "local"
    assert source.exists()  # a copy: the original stays


@pytest.mark.parametrize("content", [
    b"<!DOCTYPE html><html><body>404 Not Found</body></html>" * 10,
    b"version https://git-lfs.github.com/spec/v1\noid sha256:" + b"a" * 64 + b"\nsize 123456\n",
    b"",
], ids=["html", "lfs-pointer", "empty"])
def test_a_broken_file_shows_its_specific_message(page, qtbot, tmp_path, content):
    broken = tmp_path / "broken.gguf"
    broken.write_bytes(content)
    with pytest.raises(GGUFFileError) as expected:
        read_gguf_info(broken)
    page.local.import_file(broken)
    qtbot.waitUntil(lambda: page.local.message.isVisible() and page.local.importing is None, timeout=20_000)
    assert expected.value.en in page.local.message.text()
    assert "broken" not in {row.model.id for row in page.local.rows}


def test_truncated_copy_is_refused(page, qtbot, tmp_path, model_path):
    cut = tmp_path / "cut.gguf"
    cut.write_bytes(model_path.read_bytes()[:5000])
    with pytest.raises(GGUFFileError) as expected:
        read_gguf_info(cut)
    page.local.import_file(cut)
    qtbot.waitUntil(lambda: page.local.message.isVisible() and page.local.importing is None, timeout=20_000)
    assert expected.value.en in page.local.message.text()


def test_set_default_loads_it_through_the_engine(page, qtbot, ctx, fake, tmp_path, model_path):
    source = tmp_path / "second.gguf"
    shutil.copyfile(model_path, source)
    page.local.import_file(source)
    qtbot.waitUntil(lambda: row_of(page.local.table, "second") >= 0, timeout=30_000)
    page.local.table.selectRow(row_of(page.local.table, "second"))
    assert page.local.default_button.isEnabled()
    with qtbot.waitSignal(ctx.engine.modelLoaded, timeout=60_000) as loaded:
        page.local.default_button.click()
    assert loaded.args[0]["model_id"] == "second" and fake.opened[-1][0] == "second"
    assert registry.default_model().id == "second"
    qtbot.waitUntil(lambda: cell(page.local.table, row_of(page.local.table, "second"), 6) == "Default")
    assert cell(page.local.table, row_of(page.local.table, embedded.MODEL_ID), 6) == ""
    assert "(in use)" in cell(page.local.table, row_of(page.local.table, "second"), 0)


def test_per_model_settings_are_saved(page, qtbot):
    page.local.table.selectRow(row_of(page.local.table, embedded.MODEL_ID))
    form = page.local.settings_form
    form.n_ctx.setValue(1536)
    form.threads.setValue(1)
    form.template.setPlainText("{% for m in messages %}{{ m.content }}{% endfor %}")
    form.save_button.click()
    qtbot.waitUntil(lambda: registry.model_settings(embedded.MODEL_ID)["n_ctx"] == 1536, timeout=10_000)
    saved = registry.model_settings(embedded.MODEL_ID)
    assert saved["n_threads"] == 1 and saved["chat_template"].startswith("{% for")
    form.template.setPlainText("{% for m in messages %}")  # not closed: refused with the line
    form.save_button.click()
    qtbot.waitUntil(lambda: "syntax error" in page.local.message.text(), timeout=10_000)


def test_a_model_that_wont_fit_asks_before_loading(page, qtbot, ctx, monkeypatch):
    from desktop.core.models.fit import WONT_FIT

    row = page.local.row_for(embedded.MODEL_ID)
    row.estimate = dataclasses.replace(row.estimate, label=WONT_FIT)  # as on a machine with little memory
    loads = []
    monkeypatch.setattr(ctx.engine, "load", lambda *a, **k: loads.append(a))
    page.local.load_model(embedded.MODEL_ID)
    box = page.local.findChild(QMessageBox, "confirmBox")
    assert box is not None and box.isVisible() and not loads
    box.button(QMessageBox.StandardButton.Yes).click()
    assert loads == [(embedded.MODEL_ID,)]


def test_catalog_recommends_and_labels_fit(page, qtbot):
    catalog = page.catalog
    qtbot.waitUntil(lambda: catalog.entries.rowCount() >= 8, timeout=20_000)
    fits = {catalog.entries.item(r, 5).text() for r in range(catalog.entries.rowCount())}
    assert fits <= {"Fits", "Tight (may be slow)", "Won't fit"}
    best = catalog.view["recommended"]
    badges = [catalog.entries.item(r, 1).text() for r in range(catalog.entries.rowCount())]
    if best is not None:
        assert badges.count("★ Recommended") == 1
        assert catalog.selected_entry().id == best
    assert catalog.files.rowCount() >= 1 and catalog.download_button.isEnabled()


@pytest.fixture
def fake_hub(monkeypatch, model_path):
    server = FakeHub()
    repo = server.add(FakeRepo("acme/Tiny-Writer-GGUF", {"tiny-writer-Q4_1.gguf": model_path}, downloads=1234,
                               likes=56))
    repo._sha["tiny-writer-Q4_1.gguf"] = embedded.SHA256
    server.start()
    monkeypatch.setenv("HF_ENDPOINT", server.url)
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    yield server
    server.release.set()
    server.stop()


def test_search_and_download_in_the_background(page, qtbot, fake_hub):
    search = page.search
    search.query.setText("tiny")
    search.search_button.click()
    qtbot.waitUntil(lambda: search.table.rowCount() == 1, timeout=20_000)
    assert cell(search.table, 0, 0) == "acme/Tiny-Writer-GGUF"
    assert cell(search.table, 0, 1) == "1,234" and cell(search.table, 0, 2) == "56"
    qtbot.waitUntil(lambda: search.tree.topLevelItemCount() == 1, timeout=20_000)
    group = search.tree.topLevelItem(0)
    assert group.text(0) == "Q4_1" and group.child(0).text(0) == "tiny-writer-Q4_1.gguf"
    assert group.child(0).text(2) in ("Fits", "Tight (may be slow)", "Won't fit")
    search.tree.setCurrentItem(group.child(0))
    assert search.download_button.isEnabled()
    with qtbot.waitSignal(page.downloads.modelDownloaded, timeout=60_000) as done:
        search.download_button.click()
    assert done.args == ["tiny-writer-q4_1"]
    row = page.downloads_panel.rows[("acme/Tiny-Writer-GGUF", "tiny-writer-Q4_1.gguf")]
    assert row.bar.value() == 1000 and "verified" in row.status.text()
    qtbot.waitUntil(lambda: row_of(page.local.table, "tiny-writer-q4_1") >= 0, timeout=20_000)


def test_pause_and_resume_a_download(page, qtbot, fake_hub, model_path):
    key = ("acme/Tiny-Writer-GGUF", "tiny-writer-Q4_1.gguf")
    fake_hub.stall_once["tiny-writer-Q4_1.gguf"] = 2 * 1024 * 1024  # holds the transfer half-way
    item = page.downloads.start(*key)
    qtbot.waitUntil(lambda: item.bytes_done > 0, timeout=20_000)
    page.downloads_panel.rows[key].toggle.click()  # Pause
    fake_hub.release.set()
    qtbot.waitUntil(lambda: item.state == "paused", timeout=30_000)
    assert "Paused" in page.downloads_panel.rows[key].status.text()
    fake_hub.release.clear()
    with qtbot.waitSignal(page.downloads.modelDownloaded, timeout=60_000):
        page.downloads_panel.rows[key].toggle.click()  # Resume
    assert item.state == "done" and item.bytes_done == model_path.stat().st_size


def test_offline_mode_turns_search_and_download_off(page, qtbot, ctx):
    from desktop.core.store import open_db

    db = open_db()
    with db.conn:
        db.execute("INSERT OR REPLACE INTO settings (key, value) VALUES ('offline', 'true')")
    db.close()
    ctx.bus.settingsChanged.emit("offline")
    qtbot.waitUntil(lambda: page.offline, timeout=10_000)
    assert not page.search.offline_label.isHidden()
    assert not page.search.search_button.isEnabled() and not page.search.query.isEnabled()
    qtbot.waitUntil(lambda: page.catalog.files.rowCount() > 0, timeout=20_000)
    assert not page.catalog.download_button.isEnabled()
    assert "Offline" in page.catalog.download_button.toolTip()
    assert "downloads are off" in page.catalog.message.text()


def test_switching_the_language_retranslates_the_page(page, qtbot):
    from desktop.ui import i18n

    try:
        i18n.install_language("zh_CN")
        qtbot.waitUntil(lambda: page.tabs.tabText(0) == "本机模型", timeout=5000)
        assert page.local.table.horizontalHeaderItem(0).text() == "名称"
        assert page.local.default_button.text() == "设为默认"
        assert page.search.search_button.text() == "搜索"
    finally:
        i18n.install_language("en")
    qtbot.waitUntil(lambda: page.tabs.tabText(0) == "On this computer", timeout=5000)
