"""One model's details and settings: context length, GPU layers, threads, flash attention and a chat
template override, with the fit estimate for the values being chosen (recomputed as they change), and
what the engine learnt about the model on this computer (safe mode, measured settings)."""

from __future__ import annotations

import os

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.i18n import Retranslating, content_language
from desktop.ui.widgets.kit import FIT_COLOURS, make_button, set_role


class ModelSettingsForm(Retranslating, QWidget):
    """Shows the selected model; `saveRequested(model_id, changes)` asks the page to store them."""

    saveRequested = Signal(str, dict)
    forgetRequested = Signal(str)  # forget safe mode and measured settings
    tuneRequested = Signal(str)  # measure the settings now

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.row = None  # models_local.LocalRow
        self.machine = None
        self.title = QLabel()
        self.title.setProperty("role", "section")
        self.details = QLabel()
        self.details.setObjectName("modelDetails")
        self.details.setProperty("role", "muted")
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.n_ctx = QSpinBox()
        self.n_ctx.setObjectName("contextSpin")
        self.n_ctx.setRange(256, 131_072)
        self.n_ctx.setSingleStep(1024)
        self.gpu_layers = QSpinBox()
        self.gpu_layers.setObjectName("gpuLayersSpin")
        self.gpu_layers.setRange(-1, 999)
        self.threads = QSpinBox()
        self.threads.setObjectName("threadsSpin")
        self.threads.setRange(0, max(1, os.cpu_count() or 1) * 2)
        for spin in (self.n_ctx, self.gpu_layers, self.threads):
            spin.setMaximumWidth(200)
        self.flash_attn = QComboBox()
        self.flash_attn.setObjectName("flashAttnCombo")
        for value in (None, "auto", "on", "off"):
            self.flash_attn.addItem("", value)
        self.flash_attn.setMaximumWidth(260)
        self.template = QPlainTextEdit()
        self.template.setObjectName("chatTemplateEdit")
        self.template.setMaximumHeight(90)
        self.fit_label = QLabel()
        self.fit_label.setObjectName("settingsFitLabel")
        self.fit_label.setWordWrap(True)
        self.devices_label = QLabel()  # what llama.cpp computes on, from its own device list
        self.devices_label.setObjectName("devicesLabel")
        self.devices_label.setProperty("role", "muted")
        self.devices_label.setWordWrap(True)
        self.save_button = make_button("saveModelSettingsButton", None, self._save)
        self.reset_button = make_button("resetModelSettingsButton", None, self._reset)
        self.machine_title = QLabel()
        self.machine_title.setProperty("role", "section")
        self.machine_notes = QLabel()
        self.machine_notes.setObjectName("engineMachineNotes")
        self.machine_notes.setWordWrap(True)
        self.machine_notes.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.forget_button = make_button("forgetSafeModeButton", None, self._forget)
        self.tune_button = make_button("tuneNowButton", None, self._tune)

        self.form = QFormLayout()
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self._labels = [QLabel() for _ in range(5)]
        for label, widget in zip(self._labels, (self.n_ctx, self.gpu_layers, self.threads, self.flash_attn,
                                                self.template)):
            self.form.addRow(label, widget)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.reset_button)
        buttons.addStretch(1)
        machine_buttons = QHBoxLayout()
        machine_buttons.addWidget(self.tune_button)
        machine_buttons.addWidget(self.forget_button)
        machine_buttons.addStretch(1)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.title)
        box.addWidget(self.details)
        box.addLayout(self.form)
        box.addWidget(self.fit_label)
        box.addWidget(self.devices_label)
        box.addLayout(buttons)
        box.addSpacing(8)
        box.addWidget(self.machine_title)
        box.addWidget(self.machine_notes)
        box.addLayout(machine_buttons)
        for spin in (self.n_ctx, self.gpu_layers):
            spin.valueChanged.connect(self._update_fit)
        self.retranslate()
        self.show_row(None)

    # ----- showing a model ---------------------------------------------------------------------------
    def show_row(self, row, machine=None) -> None:
        self.row = row
        if machine is not None:
            self.machine = machine
        enabled = row is not None and row.model.ok
        for widget in (self.n_ctx, self.gpu_layers, self.threads, self.flash_attn, self.template,
                       self.save_button, self.reset_button, self.tune_button):
            widget.setEnabled(enabled)
        self._show_machine_notes(row)
        if row is None:
            self.title.setText(self.tr("No model selected"))
            self.details.setText(self.tr("Choose a model in the list to see its details and settings."))
            self.fit_label.clear()
            return
        model = row.model
        self.title.setText(self.tr("Settings for %1").replace("%1", model.id))
        self.details.setText(self._details_text(model))
        if not model.ok:
            self.fit_label.clear()
            return
        settings = row.settings
        self.n_ctx.setMaximum(model.context_length or 131_072)
        self.n_ctx.setValue(int(settings.get("n_ctx") or 4096))
        self.gpu_layers.setValue(int(settings.get("n_gpu_layers") or 0))
        self.threads.setValue(int(settings.get("n_threads") or 0))
        self.flash_attn.setCurrentIndex(max(0, self.flash_attn.findData(settings.get("flash_attn"))))
        self.template.setPlainText(settings.get("chat_template") or "")
        self._update_fit()

    def _details_text(self, model) -> str:
        lang = content_language()
        if not model.ok:
            return self.tr("This file cannot be used: %1").replace(
                "%1", model.error_zh if lang == "zh" else model.error or ""
            )
        info = model.info
        source = {"embedded": self.tr("built in"), "local": self.tr("in the data folder"),
                  "reference": self.tr("used where it is")}.get(model.source, model.source)
        template = (
            self.tr("has its own chat template")
            if info.has_chat_template
            else self.tr("no chat template in the file")
        )
        return self.tr("%1 · %2 · %3\nFile: %4").replace("%1", info.name or model.id).replace("%2", source) \
            .replace("%3", template).replace("%4", str(model.path))

    def _show_machine_notes(self, row) -> None:
        notes = row.remembered if row is not None else None
        if not notes:
            self.machine_notes.setText(self.tr("Nothing learnt yet: the engine measures its settings "
                                               "the first time this model loads."))
            self.forget_button.setEnabled(False)
            return
        lang = content_language()
        safe, tuned = notes["safe_mode"], notes["tuned"]
        lines = [safe[lang] if safe["active"] else self.tr("Safe mode: off (no crash seen)")]
        lines.append(self.tr("Measured: %1").replace("%1", tuned[lang]) if tuned
                     else self.tr("Measured: not yet"))
        self.machine_notes.setText("\n".join(lines))
        self.forget_button.setEnabled(bool(safe["active"] or tuned))

    def _update_fit(self, *_args) -> None:
        row = self.row
        if row is None or not row.model.ok or self.machine is None:
            self.fit_label.clear()
            return
        from desktop.core.models.fit import estimate_for_info

        estimate = estimate_for_info(row.model.info, self.n_ctx.value(), self.machine,
                                     self.gpu_layers.value())
        lang = content_language()
        text = f"{estimate.label_text(lang)} — {estimate.text(lang)}"
        from desktop.core.engine.backend_files import cpu_only_notice, gpu_backends

        if self.gpu_layers.value() != 0 and not gpu_backends():  # GPU asked for, none in this build
            text += "\n" + cpu_only_notice(lang)
        self.fit_label.setText(text)
        self._show_devices(lang)
        set_role(self.fit_label, {"fits": "muted", "tight": "info", "wont_fit": "banner"}[estimate.label]
                 if estimate.label in FIT_COLOURS else "muted")

    def _show_devices(self, lang: str) -> None:
        from desktop.core.engine.device_list import describe

        devices = getattr(self.machine, "devices", ())
        self.devices_label.setText(self.tr("Devices (as llama.cpp sees them): %1").replace(
            "%1", "; ".join(describe(d, lang) for d in devices)) if devices else "")

    # ----- saving ------------------------------------------------------------------------------------
    def values(self) -> dict:
        return {
            "n_ctx": self.n_ctx.value(),
            "n_gpu_layers": self.gpu_layers.value(),
            "n_threads": self.threads.value() or None,
            "flash_attn": self.flash_attn.currentData(),
            "chat_template": self.template.toPlainText(),
        }

    def _save(self) -> None:
        if self.row is not None and self.row.model.ok:
            self.saveRequested.emit(self.row.model.id, self.values())

    def _reset(self) -> None:
        if self.row is not None and self.row.model.ok:
            self.saveRequested.emit(self.row.model.id,
                                    {"n_ctx": None, "n_gpu_layers": None, "n_threads": None,
                                                        "flash_attn": None, "chat_template": ""})

    def _forget(self) -> None:
        if self.row is not None and self.row.model.ok:
            self.forgetRequested.emit(self.row.model.id)

    def _tune(self) -> None:
        if self.row is not None and self.row.model.ok:
            self.tuneRequested.emit(self.row.model.id)

    # ----- language ----------------------------------------------------------------------------------
    def retranslate(self) -> None:
        for label, text in zip(self._labels, (self.tr("Context length (tokens)"), self.tr("GPU layers"),
                                              self.tr("Threads"), self.tr("Flash attention"),
                                              self.tr("Chat template override"))):
            label.setText(text)
        for index, text in enumerate((self.tr("Measured on this computer"), self.tr("llama.cpp decides"),
                                      self.tr("On"), self.tr("Off"))):
            self.flash_attn.setItemText(index, text)
        self.flash_attn.setToolTip(self.tr("Faster on some computers, slower on others: left at "
                                           "\"Measured\", Shopscribe times both on this computer and keeps "
                                           "the faster."))
        self.machine_title.setText(self.tr("On this computer"))
        self.tune_button.setText(self.tr("Measure again"))
        self.tune_button.setToolTip(self.tr("Time flash attention and thread counts with this model (a few "
                                            "seconds) and keep the fastest."))
        self.forget_button.setText(self.tr("Reset safe mode"))
        self.forget_button.setToolTip(self.tr("Forget the safe mode and the measured settings: the "
                                              "next start uses the normal settings and checks them again."))
        self.gpu_layers.setSpecialValueText(self.tr("Auto (as many as fit)"))
        self.gpu_layers.setToolTip(self.tr("How many layers run on the graphics card: 0 keeps "
                                           "everything on the CPU; Auto puts as many as fit in the GPU's "
                                           "free memory. If the GPU cannot take them, Shopscribe falls back "
                                           "to the CPU and says why."))
        self.threads.setSpecialValueText(self.tr("Automatic"))
        self.template.setPlaceholderText(self.tr("Empty: use the chat template inside the model file"))
        self.save_button.setText(self.tr("Save settings"))
        self.reset_button.setText(self.tr("Reset to defaults"))
        self.show_row(self.row)
