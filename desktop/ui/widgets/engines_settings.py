"""Settings > Engines: which engine writes (this computer, or a server the team runs), the list of
servers the user added by hand (name, address, model, API key) with a Test connection button, and
"Serve on this computer" (`shopscribe serve` in its own process) with its address and a Copy button."""

from __future__ import annotations

import subprocess
import sys

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QStyledItemDelegate,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.errors import error_message
from desktop.ui.i18n import Retranslating
from desktop.ui.widgets.kit import make_button, make_table, message_label, show_message
from desktop.ui.workers import Op, StoreOp

NAME, URL, MODEL, KEY = range(4)
SERVE_PORT = 8765


class _SecretDelegate(QStyledItemDelegate):
    """The API key column: dots on screen (a shared screen shows no key), a password field to edit."""

    def displayText(self, value, locale) -> str:  # noqa: N802 - Qt's name
        return "•" * min(len(str(value or "")), 12)

    def createEditor(self, parent, option, index):  # noqa: N802
        editor = QLineEdit(parent)
        editor.setEchoMode(QLineEdit.EchoMode.Password)
        return editor


def _load(db) -> dict:
    from desktop.core.engine import servers

    active = servers.active_server(db)
    return {"servers": servers.list_servers(db), "active": active.name if active else None}


def _save(db, rows: list[dict], active: str | None) -> None:
    from desktop.core.engine import servers

    servers.save_servers([servers.Server(**row) for row in rows], db)
    servers.set_active(active if active in {r["name"] for r in rows} else None, db)


def _test(row: dict) -> dict:
    """Reach the server as generation would (Offline mode's rules apply); what it serves."""
    from desktop.core.engine import servers

    engine = servers.open_remote(servers.Server(**row))
    try:
        return engine.info()
    finally:
        engine.close()


def serve_command(port: int) -> list[str]:
    if getattr(sys, "frozen", False):
        return [sys.executable, "serve", "--port", str(port)]
    return [sys.executable, "-m", "desktop", "serve", "--port", str(port)]


class EnginesPanel(Retranslating, QWidget):
    def __init__(self, ctx) -> None:
        super().__init__()
        self.ctx = ctx
        self._serving: subprocess.Popen | None = None
        self.loaded = False  # the saved list has arrived from the store
        self.choice = QComboBox()
        self.choice.setObjectName("engineChoiceCombo")
        self.choice_label = QLabel()
        self.table = make_table("enginesTable", 4, stretch=URL)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.table.setItemDelegateForColumn(KEY, _SecretDelegate(self.table))
        self.add = make_button("addEngineButton", None, self.add_row)
        self.remove = make_button("removeEngineButton", None, self.remove_row)
        self.test = make_button("testEngineButton", None, self.test_connection)
        self.save = make_button("saveEnginesButton", None, self.save_all, primary=True)
        self.message = message_label("enginesMessage")
        self.note = QLabel()
        self.note.setProperty("role", "muted")
        self.note.setWordWrap(True)

        self.serve = QCheckBox()
        self.serve.setObjectName("serveCheck")
        self.serve_port = QSpinBox()
        self.serve_port.setObjectName("servePortSpin")
        self.serve_port.setRange(1024, 65535)
        self.serve_port.setValue(SERVE_PORT)
        self.serve_address = QLineEdit()
        self.serve_address.setObjectName("serveAddressEdit")
        self.serve_address.setReadOnly(True)
        self.copy = make_button("copyServeAddressButton", None, self.copy_address)
        self.serve_note = QLabel()
        self.serve_note.setProperty("role", "muted")
        self.serve_note.setWordWrap(True)

        choice_row = QHBoxLayout()
        choice_row.addWidget(self.choice_label)
        choice_row.addWidget(self.choice, 1)
        buttons = QHBoxLayout()
        for button in (self.add, self.remove, self.test):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.save)
        serve_row = QHBoxLayout()
        serve_row.addWidget(self.serve)
        serve_row.addWidget(self.serve_port)
        serve_row.addWidget(self.serve_address, 1)
        serve_row.addWidget(self.copy)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(choice_row)
        box.addWidget(self.table)
        box.addLayout(buttons)
        box.addWidget(self.message)
        box.addWidget(self.note)
        box.addSpacing(8)
        box.addLayout(serve_row)
        box.addWidget(self.serve_note)
        self.table.setMinimumHeight(120)
        self.serve.toggled.connect(self._serve_toggled)
        app = QCoreApplication.instance()
        if app is not None:  # the server never outlives the window
            app.aboutToQuit.connect(self.stop_serving)
        self.retranslate()
        self.load()

    # ----- the list ---------------------------------------------------------------------------------------
    def load(self) -> None:
        StoreOp(self, _load).on_success(self._loaded).on_failure(self._error).run()

    def _loaded(self, values: dict) -> None:
        self.loaded = True
        self.table.setRowCount(0)
        for server in values["servers"]:
            self._append(server.name, server.url, server.model or "", server.api_key or "")
        self._fill_choice(values["active"])

    def _append(self, name: str = "", url: str = "", model: str = "", key: str = "") -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        for column, text in zip((NAME, URL, MODEL, KEY), (name, url, model, key)):
            self.table.setItem(row, column, QTableWidgetItem(text))
        return row

    def _fill_choice(self, active: str | None) -> None:
        self.choice.blockSignals(True)
        self.choice.clear()
        self.choice.addItem(self.tr("This computer"), None)
        for row in self.rows():
            self.choice.addItem(row["name"], row["name"])
        index = self.choice.findData(active)
        self.choice.setCurrentIndex(index if index >= 0 else 0)
        self.choice.blockSignals(False)

    def rows(self) -> list[dict]:
        out = []
        for row in range(self.table.rowCount()):
            cells = [
                (self.table.item(row, c).text() if self.table.item(row, c) else "").strip() for c in range(4)
            ]
            if cells[URL]:
                out.append({"name": cells[NAME] or cells[URL], "url": cells[URL],
                            "model": cells[MODEL] or None,
                            "api_key": cells[KEY] or None})
        return out

    def add_row(self) -> None:
        row = self._append(self.tr("Team server"), "http://192.168.1.10:8080")
        self.table.setCurrentCell(row, URL)
        self.table.editItem(self.table.item(row, URL))

    def remove_row(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)

    def save_all(self) -> None:
        rows, active = self.rows(), self.choice.currentData()

        def saved(_result) -> None:
            show_message(self.message, self.tr("Saved."), "info")
            self._fill_choice(active)
            self.ctx.bus.settingsChanged.emit("engine")
            self.ctx.engine.load()  # the window now writes with the chosen engine

        StoreOp(self, _save, rows, active).on_success(saved).on_failure(self._error).run()

    def test_connection(self) -> None:
        rows = self.rows()
        row = self.table.currentRow()
        if not rows:
            show_message(self.message, self.tr("Add a server first."))
            return
        chosen = rows[min(max(row, 0), len(rows) - 1)]
        show_message(self.message, self.tr("Connecting to %1…").replace("%1", chosen["url"]), "info")
        self.test.setEnabled(False)
        Op(self, _test, chosen).on_success(self._tested).on_failure(self._error) \
            .on_done(lambda: self.test.setEnabled(True)).run()

    def _tested(self, info: dict) -> None:
        text = self.tr("Connected. Model: %1. The server offers: %2.")
        show_message(self.message,
                     text.replace("%1", info["model_id"]).replace("%2", ", ".join(info["models"])),
                     "info")

    def _error(self, exc) -> None:
        show_message(self.message, error_message(exc))

    # ----- serving ----------------------------------------------------------------------------------------
    def _serve_toggled(self, on: bool) -> None:
        if on:
            port = self.serve_port.value()
            self._serving = subprocess.Popen(serve_command(port), stdin=subprocess.DEVNULL,
                                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            self.serve_address.setText(f"http://127.0.0.1:{port}/v1")
        else:
            self.stop_serving()
        self.serve_port.setEnabled(not on)

    def stop_serving(self) -> None:
        process, self._serving = self._serving, None
        if process is not None and process.poll() is None:
            # A process, not a thread: `shopscribe serve` stops on SIGTERM (uvicorn's graceful shutdown)
            # and then closes its engine host, which cancels the work in flight at its next step and
            # exits by itself; llama.cpp is never interrupted mid-call from outside.
            process.terminate()
            try:
                process.wait(5)
            except subprocess.TimeoutExpired:
                process.kill()
        self.serve_address.clear()

    def copy_address(self) -> None:
        if self.serve_address.text():
            QGuiApplication.clipboard().setText(self.serve_address.text())

    # ----- language ---------------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.choice_label.setText(self.tr("Generate with"))
        if self.choice.count():
            self.choice.setItemText(0, self.tr("This computer"))
        self.table.setHorizontalHeaderLabels([self.tr("Name"), self.tr("Address"), self.tr("Model"),
                                              self.tr("API key")])
        self.add.setText(self.tr("Add"))
        self.remove.setText(self.tr("Remove"))
        self.test.setText(self.tr("Test connection"))
        self.save.setText(self.tr("Save"))
        self.note.setText(self.tr("An OpenAI-compatible server your team runs (llama-server, vLLM, "
                                  "Ollama, another Shopscribe). Only the prompts go to it; your history "
                                  "stays here. Leave Model empty for the server's first model. With Offline "
                                  "mode on, servers on your local network that you add here still work; "
                                  "internet addresses do not."))
        self.serve.setText(self.tr("Serve on this computer"))
        self.copy.setText(self.tr("Copy"))
        self.serve_note.setText(self.tr("Scripts and other tools on this computer can then use the model "
                                        "through the OpenAI API at this address. What they ask is not stored "
                                        "in your history."))
        self.serve_address.setPlaceholderText(self.tr("Not serving"))
        self.table.viewport().update()
