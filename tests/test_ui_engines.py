"""Settings > Engines with a real third-party server (llama-cpp-python's, on 127.0.0.1): add a server,
test the connection, generate with it from Compose (streaming, Stop, the history naming the server),
and serve this computer's model with its address ready to copy."""

from __future__ import annotations

import httpx2 as httpx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QPushButton, QTableWidgetItem
from servers import free_port, llama_cpp_server

from desktop.core.engine.remote import api_base
from desktop.core.store import open_db
from desktop.core.store.history import get_generation
from desktop.ui.context import SamplingOverrides
from tests.ui_helpers import compose_page, fill_product, open_window, wait_generated, wait_ready

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def remote(model_path, tmp_path_factory):
    with llama_cpp_server(model_path, tmp_path_factory.mktemp("ui-servers")) as server:
        yield server


def test_a_team_server_added_in_settings_writes_in_compose_and_stop_stops_it(qtbot, remote):
    # A fixed seed: with a fresh one the small model now and then closes the JSON at once (an empty
    # description), and the test would fail on the model's draw, not on the window.
    window = open_window(qtbot, load=False, sampling=SamplingOverrides(max_tokens=12, seed=1))
    settings = window.show_page("settings")
    panel = settings.engines
    qtbot.waitUntil(lambda: panel.loaded, timeout=30_000)  # the saved list (empty) has arrived
    panel.add_row()
    row = panel.table.rowCount() - 1
    panel.table.setItem(row, 0, QTableWidgetItem("Team"))
    panel.table.setItem(row, 1, QTableWidgetItem(remote.url))
    panel.table.setCurrentCell(row, 1)
    qtbot.mouseClick(panel.test, Qt.MouseButton.LeftButton)
    message = panel.findChild(QLabel, "enginesMessage")
    qtbot.waitUntil(lambda: "Connected" in message.text(), timeout=60_000)
    assert "smol" in message.text()

    panel._fill_choice(None)
    panel.choice.setCurrentIndex(panel.choice.findData("Team"))
    failures = []
    window.ctx.engine.loadFailed.connect(failures.append)
    loaded = []
    window.ctx.engine.modelLoaded.connect(loaded.append)
    qtbot.mouseClick(panel.save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: failures or any(info.get("remote") for info in loaded), timeout=60_000)
    assert not failures, (failures, message.text())
    wait_ready(qtbot, window)
    assert "smol @ Team" in window.findChild(QLabel, "modelStatus").text()

    page = compose_page(qtbot, window)
    fill_product(page)
    qtbot.mouseClick(window.findChild(QPushButton, "generateButton"), Qt.MouseButton.LeftButton)
    wait_generated(qtbot, page)
    result = page.cards[0].result
    assert result.text and result.completion_tokens > 0
    saved = get_generation(open_db(), result.history_id)
    assert (saved["engine"], saved["model_id"]) == (api_base(remote.url), "smol")

    window.ctx.sampling = SamplingOverrides(max_tokens=400, seed=1)
    progress = []
    qtbot.mouseClick(window.findChild(QPushButton, "generateButton"), Qt.MouseButton.LeftButton)
    page.job.progress.connect(lambda pieces, _rate: progress.append(pieces))
    qtbot.waitUntil(lambda: bool(progress) and progress[-1] >= 3, timeout=120_000)
    qtbot.mouseClick(window.findChild(QPushButton, "stopButton"), Qt.MouseButton.LeftButton)
    wait_generated(qtbot, page)
    assert page.cards[0].result.stop_reason == "cancelled"


def test_serve_on_this_computer_shows_an_address_to_copy_and_stops_with_the_switch(qtbot):
    window = open_window(qtbot, load=False)
    panel = window.show_page("settings").engines
    port = free_port()
    panel.serve_port.setValue(port)
    panel.serve.setChecked(True)
    try:
        assert panel.serve_address.text() == f"http://127.0.0.1:{port}/v1"

        def answers() -> bool:
            try:
                return httpx.get(panel.serve_address.text() + "/models",
                                 trust_env=False, timeout=2).status_code == 200
            except httpx.HTTPError:
                return False

        qtbot.waitUntil(answers, timeout=180_000)
        qtbot.mouseClick(panel.copy, Qt.MouseButton.LeftButton)
        assert QGuiApplication.clipboard().text() == f"http://127.0.0.1:{port}/v1"
        process = panel._serving
    finally:
        panel.serve.setChecked(False)
    assert process.poll() is not None and panel.serve_address.text() == ""
