"""The models on this computer: a table (name, architecture, parameters, quantization, context, size,
default, fit), import of a .gguf on a worker, remove, set as default, load now, and the settings form.

Every core call runs off the GUI thread; switching the active model goes through the engine worker."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.errors import error_message
from desktop.ui.i18n import Retranslating, content_language
from desktop.ui.theme import colour
from desktop.ui.widgets.kit import (
    ask,
    fit_item,
    human_bytes,
    in_banner,
    make_button,
    make_splitter,
    make_table,
    message_label,
    select_by_data,
    selected_data,
    show_message,
    text_item,
)
from desktop.ui.widgets.models_settings import ModelSettingsForm
from desktop.ui.workers import Op, StoreOp

COLUMNS = 8


@dataclass
class LocalRow:
    model: object  # desktop.core.models.registry.LocalModel
    settings: dict
    estimate: object | None  # FitEstimate at the model's own settings
    remembered: dict | None = None  # safe mode and tuned settings on this machine (engine/remembered.py)


def load_local_models() -> tuple[list[LocalRow], object]:
    """Every model on disk with its settings and fit (worker thread; its own connection)."""
    from desktop.core.engine import device_list
    from desktop.core.engine.options import known_sha256
    from desktop.core.engine.remembered import remembered
    from desktop.core.models import registry
    from desktop.core.models.fit import detect_machine, estimate_for_info
    from desktop.core.store import open_db

    if device_list.known() is None:  # llama.cpp has not listed its devices here yet: ask a host once
        from desktop.core.engine.host_process import list_backends

        try:
            list_backends()
        except Exception:  # noqa: BLE001 - without the list the estimate counts on the RAM alone
            pass
    machine = detect_machine()
    db = open_db()
    try:
        rows = []
        for model in registry.list_models(with_sha256=False, db=db):
            settings = registry.model_settings(model.id, db=db) if model.ok else {}
            estimate = (estimate_for_info(model.info, settings["n_ctx"], machine, settings["n_gpu_layers"])
                        if model.ok else None)
            sha = (model.sha256 or known_sha256(model.path)) if model.ok else None
            rows.append(LocalRow(model, settings, estimate, remembered(sha, db) if sha else None))
        return rows, machine
    finally:
        db.close()


class LocalModelsPanel(Retranslating, QWidget):
    modelsChanged = Signal()

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[LocalRow] = []
        self.machine = None
        self.importing: Op | None = None
        self._listing = False

        self.import_button = make_button("importModelButton", "folder", self.choose_import_file)
        self.reference_box = QCheckBox()
        self.reference_box.setObjectName("importByReferenceCheck")
        self.load_button = make_button("loadModelButton", None, self.load_selected)
        self.default_button = make_button("setDefaultModelButton", "star", self.set_default_selected)
        self.remove_button = make_button("removeModelButton", "delete", self.remove_selected)
        self.progress = QProgressBar()
        self.progress.setObjectName("importProgress")
        self.progress.hide()
        self.cancel_import_button = make_button("cancelImportButton", None, self.cancel_import)
        self.cancel_import_button.hide()
        self.message = message_label("localModelsMessage")

        self.table = make_table("localModelsTable", COLUMNS, stretch=0)
        self.table.itemSelectionChanged.connect(self._on_selection)
        self.settings_form = ModelSettingsForm()
        self.settings_form.saveRequested.connect(self.save_settings)
        self.settings_form.forgetRequested.connect(self.forget_engine_notes)
        self.settings_form.tuneRequested.connect(self.tune_model)

        tools = QHBoxLayout()
        tools.addWidget(self.import_button)
        tools.addWidget(self.reference_box)
        tools.addStretch(1)
        tools.addWidget(self.load_button)
        tools.addWidget(self.default_button)
        tools.addWidget(self.remove_button)
        progress_row = QHBoxLayout()
        progress_row.addWidget(self.progress, 1)
        progress_row.addWidget(self.cancel_import_button)
        settings_host = QWidget()
        settings_box = QVBoxLayout(settings_host)
        settings_box.setContentsMargins(0, 8, 0, 0)
        settings_box.addWidget(self.settings_form)
        settings_box.addStretch(1)
        splitter = make_splitter(self.table, settings_host, vertical=True, stretch={0: 3, 1: 2})
        box = QVBoxLayout(self)
        box.setContentsMargins(12, 12, 12, 12)
        box.addLayout(tools)
        box.addLayout(progress_row)
        box.addWidget(self.message)
        box.addWidget(splitter, 1)

        ctx.engine.modelLoaded.connect(self._on_model_loaded)
        self.retranslate()
        self._update_buttons()

    # ----- listing -------------------------------------------------------------------------------------
    def refresh(self) -> None:
        if self._listing:
            return
        self._listing = True
        Op(self, load_local_models).on_success(self._on_listed).on_failure(in_banner(self.message)) \
            .on_done(lambda: setattr(self, "_listing", False)).run()

    def _on_listed(self, result) -> None:
        self.rows, self.machine = result
        self._fill()
        self.modelsChanged.emit()

    def _on_model_loaded(self, _info) -> None:
        self._fill()  # the "(in use)" mark moves

    def row_for(self, model_id: str) -> LocalRow | None:
        return next((r for r in self.rows if r.model.id == model_id), None)

    def active_model_id(self) -> str | None:
        return (self.ctx.engine.model_info or {}).get("model_id")

    def _fill(self) -> None:
        keep = selected_data(self.table)
        lang = content_language()
        active = self.active_model_id()
        self.table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            model = row.model
            name = text_item(model.id + (self.tr(" (in use)") if model.id == active else ""), model.id,
                             str(model.path))
            if model.id == active:
                font = QFont(name.font())
                font.setBold(True)
                name.setFont(font)
            info = model.info
            cells = [
                name,
                text_item(info.architecture or "—" if info else "—"),
                text_item(info.parameters_label if info else "—"),
                text_item(model.quantization or "—"),
                text_item(f"{model.context_length:,}" if model.context_length else "—"),
                text_item(human_bytes(model.size_bytes)),
                text_item(self.tr("Default") if model.default else ""),
            ]
            if model.ok:
                cells.append(fit_item(row.estimate, lang))
            else:
                why = error_message(model.exception) if model.exception else (
                    model.error_zh if lang == "zh" else model.error) or ""
                broken = text_item(self.tr("Cannot be used"), tooltip=why)
                broken.setForeground(colour("danger"))
                cells.append(broken)
            for c, item in enumerate(cells):
                self.table.setItem(r, c, item)
        if not (keep and select_by_data(self.table, keep)) and self.rows:
            default = next((row.model.id for row in self.rows if row.model.default), self.rows[0].model.id)
            select_by_data(self.table, default)
        self._on_selection()

    def _on_selection(self) -> None:
        row = self.row_for(selected_data(self.table) or "")
        self.settings_form.show_row(row, self.machine)
        self._update_buttons()

    def selected_row(self) -> LocalRow | None:
        return self.row_for(selected_data(self.table) or "")

    def _update_buttons(self) -> None:
        row = self.selected_row()
        usable = row is not None and row.model.ok
        self.load_button.setEnabled(usable and row.model.id != self.active_model_id())
        self.default_button.setEnabled(usable and not row.model.default)
        self.remove_button.setEnabled(row is not None and row.model.source != "embedded")
        self.import_button.setEnabled(self.importing is None)

    # ----- import ----------------------------------------------------------------------------------------
    def choose_import_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Import a model file"), str(Path.home()),
                                              self.tr("GGUF models (*.gguf);;All files (*)"))
        if path:
            self.import_file(path, copy=not self.reference_box.isChecked())

    def import_file(self, path: str | Path, copy: bool = True) -> None:
        """Check the header, then copy (or reference) the file, on a worker with progress."""
        if self.importing is not None:
            return
        from desktop.core.models import registry

        show_message(self.message, "")
        self.importing = Op(self, registry.import_model, path, copy=copy).with_stop() \
            .with_progress(self._on_import_progress).on_success(self._on_imported) \
            .on_failure(self._on_import_failed).on_done(self._import_done)
        self.progress.setRange(0, 0)
        self.progress.show()
        self.cancel_import_button.show()
        self._update_buttons()
        self.importing.run()

    def cancel_import(self) -> None:
        if self.importing is not None:
            self.importing.cancel()  # the copy stops at its next block and deletes what it wrote

    def _on_import_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, 1000)
        self.progress.setValue(int(1000 * done / total) if total else 0)
        self.progress.setFormat(f"{human_bytes(done)} / {human_bytes(total)}")

    def _on_imported(self, model) -> None:
        show_message(self.message, self.tr("Imported %1.").replace("%1", model.id), "info")
        self.ctx.status(self.tr("Model %1 imported").replace("%1", model.id))
        self.refresh_then_select(model.id)

    def refresh_then_select(self, model_id: str) -> None:
        def listed(result) -> None:
            self._on_listed(result)
            select_by_data(self.table, model_id)

        Op(self, load_local_models).on_success(listed).on_failure(in_banner(self.message)).run()

    def _on_import_failed(self, exc) -> None:
        if isinstance(exc, InterruptedError):
            show_message(self.message, self.tr("Import cancelled."), "info")
            return
        show_message(self.message,
                     self.tr("This file was not imported. %1").replace("%1", error_message(exc)))

    def _import_done(self) -> None:
        self.importing = None
        self.progress.hide()
        self.cancel_import_button.hide()
        self._update_buttons()

    # ----- default, load, remove, settings ---------------------------------------------------------------
    def set_default_selected(self) -> None:
        row = self.selected_row()
        if row is None or not row.model.ok:
            return
        from desktop.core.models import registry

        model_id = row.model.id
        StoreOp(self, lambda db: registry.set_default(model_id, db=db)) \
            .on_success(lambda _m: self._after_default(model_id)).on_failure(in_banner(self.message)).run()

    def _after_default(self, model_id: str) -> None:
        show_message(self.message, self.tr("%1 is now the default model.").replace("%1", model_id), "info")
        self.ctx.bus.settingsChanged.emit("models.default")
        self.refresh_then_select(model_id)
        if model_id != self.active_model_id():
            self.load_model(model_id)

    def load_selected(self) -> None:
        row = self.selected_row()
        if row is not None and row.model.ok:
            self.load_model(row.model.id)

    def load_model(self, model_id: str) -> None:
        """Swap the engine to `model_id`; a model that won't fit asks first."""
        row = self.row_for(model_id)
        estimate = row.estimate if row else None

        def go() -> None:
            self.ctx.engine.load(model_id)
            self.ctx.status(self.tr("Loading %1…").replace("%1", model_id))

        if estimate is not None and estimate.label == "wont_fit":
            lang = content_language()
            ask(
                self,
                self.tr("This model may not fit"),
                self.tr("%1\n\nLoad it anyway? The computer may become very slow.").replace(
                    "%1", estimate.text(lang)
                ),
                go,
                self.tr("Load anyway"),
            )
        else:
            go()

    def remove_selected(self) -> None:
        row = self.selected_row()
        if row is None or row.model.source == "embedded":
            return
        model_id = row.model.id
        if model_id == self.active_model_id():
            show_message(self.message, self.tr("%1 is in use. Load another model first, then remove it.")
                         .replace("%1", model_id))
            return
        if row.model.source == "reference":
            text = self.tr("Forget %1? The file stays where it is.").replace("%1", model_id)
        else:
            text = (
                self.tr("Remove %1? Its file (%2) is deleted from the data folder.")
                .replace("%1", model_id)
                .replace("%2", human_bytes(row.model.size_bytes))
            )
        ask(self, self.tr("Remove model"), text, lambda: self.remove_model(model_id), self.tr("Remove"))

    def remove_model(self, model_id: str) -> None:
        from desktop.core.models import registry

        def removed(_model) -> None:
            show_message(self.message, self.tr("Removed %1.").replace("%1", model_id), "info")
            self.refresh()

        StoreOp(self, lambda db: registry.remove_model(model_id, db=db)).on_success(removed) \
            .on_failure(in_banner(self.message)).run()

    def save_settings(self, model_id: str, changes: dict) -> None:
        from desktop.core.models import registry

        def saved(_settings) -> None:
            show_message(self.message, self.tr("Settings saved for %1.").replace("%1", model_id), "info")
            self.refresh_then_select(model_id)
            if model_id == self.active_model_id():
                self.load_model(model_id)  # reload with the new context, threads and GPU layers

        StoreOp(self, lambda db: registry.set_model_settings(model_id, db=db, **changes)).on_success(saved) \
            .on_failure(in_banner(self.message)).run()

    def forget_engine_notes(self, model_id: str) -> None:
        """Reset safe mode and the measured settings; an active model restarts with the normal settings."""
        from desktop.core.engine.remembered import forget

        row = self.row_for(model_id)
        if row is None or not row.remembered:
            return
        sha = row.remembered["sha256"]

        def work(db):
            forget(sha, db)

        def done(_result) -> None:
            show_message(self.message, self.tr("Safe mode reset for %1.").replace("%1", model_id), "info")
            self.refresh_then_select(model_id)
            if model_id == self.active_model_id():
                self.load_model(model_id)

        StoreOp(self, work).on_success(done).on_failure(in_banner(self.message)).run()

    def tune_model(self, model_id: str) -> None:
        from desktop.ui.engine_tuning import tune_in_background

        show_message(self.message, self.tr("Measuring %1 on this computer…").replace("%1", model_id), "info")
        self.settings_form.tune_button.setEnabled(False)

        def done(record) -> None:
            self.settings_form.tune_button.setEnabled(True)
            if record is None:
                return
            show_message(self.message,
                         self.tr("Measured %1: the fastest settings are kept.").replace("%1", model_id),
                         "info")
            self.refresh_then_select(model_id)

        def failed(exc: BaseException) -> None:
            self.settings_form.tune_button.setEnabled(True)
            show_message(self.message, error_message(exc))

        tune_in_background(self.ctx, self, model_id, on_done=done, on_error=failed)

    # ----- language --------------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.import_button.setText(self.tr("Import a model file…"))
        self.reference_box.setText(self.tr("Use the file where it is (don't copy)"))
        self.load_button.setText(self.tr("Load now"))
        self.default_button.setText(self.tr("Set as default"))
        self.default_button.setToolTip(self.tr("Use this model from now on (it loads now and at "
                                               "every start)."))
        self.remove_button.setText(self.tr("Remove"))
        self.cancel_import_button.setText(self.tr("Cancel"))
        self.table.setHorizontalHeaderLabels([
            self.tr("Name"), self.tr("Architecture"), self.tr("Parameters"), self.tr("Quantization"),
            self.tr("Context"), self.tr("Size"), self.tr("Default"), self.tr("Fit"),
        ])
        if self.rows:
            self._fill()
