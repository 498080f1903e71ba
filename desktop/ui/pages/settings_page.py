"""Settings: UI language and theme (both apply at once), the default model's context length, threads
and GPU layers (saved for that model, then the model reloads), writing (learning from the kept copy, the
repetition guard's strength), the engines (this computer or a team's
server, and serving this computer's model), offline mode, and the data folder."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.core.paths import data_home
from desktop.ui import i18n, prefs, theme
from desktop.ui.i18n import Retranslating
from desktop.ui.main_window import short_path
from desktop.ui.widgets.engines_settings import EnginesPanel
from desktop.ui.widgets.kit import make_button
from desktop.ui.workers import StoreOp


def create_page(ctx) -> QWidget:
    return SettingsPage(ctx)


def _load_store_settings(db) -> dict:
    from desktop.core.engine.interface import GenerationRequest
    from desktop.core.models import registry
    from desktop.core.store.examples import SETTING as FEW_SHOT
    from desktop.core.store.settings import get_setting, stored_dry

    out = {"offline": bool(get_setting(db, "offline", False)), "model_id": None, "model": {}}
    out["few_shot"] = bool(get_setting(db, FEW_SHOT, True))
    dry = stored_dry(db)
    out["dry"] = GenerationRequest.dry_multiplier if dry is None else dry
    model = registry.default_model(db)
    out["model_id"] = model.id
    out["model"] = registry.model_settings(model.id, db)
    out["max_ctx"] = model.context_length
    return out


def _save_model_settings(db, model_id: str, changes: dict) -> dict:
    from desktop.core.models import registry

    return registry.set_model_settings(model_id, db, **changes)


def _save_offline(db, on: bool) -> None:
    from desktop.core.store.settings import set_setting

    set_setting(db, "offline", bool(on))


def _save_writing(db, key: str, value) -> None:
    from desktop.core.store.examples import SETTING as FEW_SHOT
    from desktop.core.store.settings import DRY_SETTING, set_setting

    set_setting(db, {"few_shot": FEW_SHOT, "dry": DRY_SETTING}[key], value)


def _select(combo: QComboBox, data) -> None:
    index = combo.findData(data)
    combo.setCurrentIndex(index if index >= 0 else 0)


class SettingsPage(Retranslating, QWidget):
    def __init__(self, ctx) -> None:
        super().__init__()
        self.ctx = ctx
        self._model_id: str | None = None
        self._loading = False

        self.title = QLabel()
        self.title.setProperty("role", "title")
        self.sections = [QLabel() for _ in range(6)]
        for label in self.sections:
            label.setProperty("role", "section")

        self.language = QComboBox()
        self.language.setObjectName("languageCombo")
        for data in ("system", "zh_CN", "en"):
            self.language.addItem("", data)
        self.language_note = QLabel()
        self.language_note.setProperty("role", "muted")
        self.theme = QComboBox()
        self.theme.setObjectName("themeCombo")
        for data in theme.THEMES:
            self.theme.addItem("", data)

        self.model_name = QLabel()
        self.model_name.setObjectName("settingsModelName")
        self.context = QSpinBox()
        self.context.setObjectName("contextSpin")
        self.context.setRange(256, 131072)
        self.context.setSingleStep(512)
        self.threads = QSpinBox()
        self.threads.setObjectName("threadsSpin")
        self.threads.setRange(0, 512)
        self.gpu_layers = QSpinBox()
        self.gpu_layers.setObjectName("gpuLayersSpin")
        self.gpu_layers.setRange(-1, 10000)
        self.apply_model = make_button("applyModelButton", None, self.apply_model_settings)
        self.model_note = QLabel()
        self.model_note.setProperty("role", "muted")
        self.model_note.setWordWrap(True)

        self.few_shot = QCheckBox()
        self.few_shot.setObjectName("fewShotCheck")
        self.few_shot_note = QLabel()
        self.few_shot_note.setProperty("role", "muted")
        self.few_shot_note.setWordWrap(True)
        self.dry = QDoubleSpinBox()
        self.dry.setObjectName("dryStrengthSpin")
        self.dry.setRange(0.0, 3.0)
        self.dry.setSingleStep(0.1)
        self.dry.setDecimals(1)
        self.dry_note = QLabel()
        self.dry_note.setProperty("role", "muted")
        self.dry_note.setWordWrap(True)

        self.offline = QCheckBox()
        self.offline.setObjectName("offlineCheck")
        self.offline_note = QLabel()
        self.offline_note.setProperty("role", "muted")
        self.offline_note.setWordWrap(True)

        self.folder = QLineEdit(short_path(data_home(), limit=400))
        self.folder.setObjectName("dataFolderEdit")
        self.folder.setReadOnly(True)
        self.open_folder = make_button("openDataFolderButton", "folder",
                                       lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(data_home()))))

        self.forms = [QFormLayout() for _ in range(3)]
        self.form_labels = [QLabel() for _ in range(7)]
        self.forms[0].addRow(self.form_labels[0], self.language)
        self.forms[0].addRow("", self.language_note)
        self.forms[0].addRow(self.form_labels[1], self.theme)
        self.forms[1].addRow(self.form_labels[2], self.model_name)
        self.forms[1].addRow(self.form_labels[3], self.context)
        self.forms[1].addRow(self.form_labels[4], self.threads)
        self.forms[1].addRow(self.form_labels[5], self.gpu_layers)
        self.forms[1].addRow("", self.apply_model)
        self.forms[1].addRow("", self.model_note)
        self.forms[2].addRow(self.few_shot)
        self.forms[2].addRow(self.few_shot_note)
        self.forms[2].addRow(self.form_labels[6], self.dry)
        self.forms[2].addRow("", self.dry_note)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(self.open_folder)

        inner = QWidget()
        box = QVBoxLayout(inner)
        box.setContentsMargins(28, 18, 28, 18)
        box.setSpacing(8)
        box.addWidget(self.title)
        self.engines = EnginesPanel(ctx)
        for section, content in zip(self.sections,
                                    (self.forms[0], self.forms[1], self.forms[2], "engines", None,
                                     folder_row)):
            box.addSpacing(6)
            box.addWidget(section)
            if content == "engines":
                box.addWidget(self.engines)
            elif content is None:
                box.addWidget(self.offline)
                box.addWidget(self.offline_note)
            else:
                box.addLayout(content)
        box.addStretch(1)
        inner.setMaximumWidth(760)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(inner)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

        _select(self.language, prefs.get("ui/language"))
        _select(self.theme, prefs.get("ui/theme"))
        self.language.currentIndexChanged.connect(self._language_changed)
        self.theme.currentIndexChanged.connect(self._theme_changed)
        self.offline.toggled.connect(self._offline_changed)
        self.few_shot.toggled.connect(lambda on: self._writing_changed("few_shot", bool(on)))
        self.dry.valueChanged.connect(lambda value: self._writing_changed("dry", round(float(value), 2)))
        ctx.engine.modelLoaded.connect(lambda _info: self.load())
        self.retranslate()
        self.load()

    # ----- loading and saving ---------------------------------------------------------------------------
    def load(self) -> None:
        StoreOp(self, _load_store_settings).on_success(self._loaded).on_failure(self._error).run()

    def _loaded(self, values: dict) -> None:
        self._loading = True
        self.offline.setChecked(values["offline"])
        self.few_shot.setChecked(values.get("few_shot", True))
        self.dry.setValue(float(values.get("dry", 0.0)))
        self._model_id = values.get("model_id")
        model = values.get("model") or {}
        self.model_name.setText(self._model_id or self.tr("the embedded model"))
        if values.get("max_ctx"):
            self.context.setMaximum(int(values["max_ctx"]))
        self.context.setValue(int(model.get("n_ctx") or prefs.get("engine/n_ctx")))
        self.threads.setValue(int(model.get("n_threads") or 0))
        self.gpu_layers.setValue(int(model.get("n_gpu_layers") or 0))
        self.apply_model.setEnabled(self._model_id is not None)
        self._loading = False

    def _language_changed(self) -> None:
        choice = self.language.currentData()
        prefs.put("ui/language", choice)
        used = i18n.install_language(choice)
        self.ctx.bus.languageChanged.emit(used)

    def _theme_changed(self) -> None:
        choice = self.theme.currentData()
        prefs.put("ui/theme", choice)
        self.ctx.bus.themeChanged.emit(theme.apply_theme(choice))

    def _offline_changed(self, on: bool) -> None:
        if not self._loading:
            StoreOp(self, _save_offline, on).on_failure(self._error) \
                .on_success(lambda _r: self.ctx.bus.settingsChanged.emit("offline")).run()

    def _writing_changed(self, key: str, value) -> None:
        if not self._loading:
            StoreOp(self, _save_writing, key, value).on_failure(self._error).run()

    def apply_model_settings(self) -> None:
        """Save context length, threads and GPU layers for the default model, then reload it."""
        if self._model_id is None:
            return
        changes = {"n_ctx": self.context.value(), "n_threads": self.threads.value() or None,
                   "n_gpu_layers": self.gpu_layers.value()}

        def saved(_values) -> None:
            self.ctx.bus.settingsChanged.emit("model")
            self.ctx.engine.load()

        StoreOp(self, _save_model_settings, self._model_id, changes).on_success(saved) \
            .on_failure(self._error).run()

    def _error(self, exc) -> None:
        self.ctx.show_error(self.tr("Settings"), exc, self)

    # ----- language ---------------------------------------------------------------------------------------
    def _align_labels(self) -> None:
        """One label column for every section: each QFormLayout sizes its own, so the sections' fields
        would start at different places."""
        for label in self.form_labels:
            label.setMinimumWidth(0)
        width = max(label.sizeHint().width() for label in self.form_labels)
        for label in self.form_labels:
            label.setMinimumWidth(width)

    def retranslate(self) -> None:
        self.title.setText(self.tr("Settings"))
        for label, text in zip(self.sections,
                               (self.tr("Appearance"), self.tr("Default model"), self.tr("Writing"),
                                self.tr("Engines"), self.tr("Network"), self.tr("Data folder"))):
            label.setText(text)
        for label, text in zip(self.form_labels, (self.tr("Language"), self.tr("Theme"), self.tr("Model"),
                                                  self.tr("Context length (tokens)"), self.tr("Threads"),
                                                  self.tr("GPU layers"), self.tr("Repetition guard"))):
            label.setText(text)
        system_name = "中文" if i18n.system_language() == "zh_CN" else "English"
        for index, text in enumerate((self.tr("Follow the system (%1)").replace("%1", system_name),
                                      "中文", "English")):
            self.language.setItemText(index, text)
        self.language_note.setText(self.tr("A new language applies at once, no restart needed."))
        for index, text in enumerate((self.tr("Follow the system"), self.tr("Light"), self.tr("Dark"))):
            self.theme.setItemText(index, text)
        self.threads.setSpecialValueText(self.tr("Automatic"))
        self.gpu_layers.setToolTip(self.tr("0 runs on the CPU; Auto puts as many layers on the GPU as fit."))
        self.gpu_layers.setSpecialValueText(self.tr("Auto (as many as fit)"))
        self.apply_model.setText(self.tr("Save and reload the model"))
        self.model_note.setText(self.tr("A longer context lets longer product data in but needs more memory. "
                                        "If the GPU cannot be used, the model runs on the CPU."))
        self.few_shot.setText(self.tr("Learn from the copy I keep"))
        self.few_shot_note.setText(self.tr(
            "Results you favourite, accept or edit for a template and platform are shown to the model as "
            "examples (your edited version wins), within a small budget. Nothing is trained and nothing "
            "leaves this computer."))
        self.dry.setSpecialValueText(self.tr("Off"))
        self.dry_note.setText(self.tr(
            "llama.cpp's DRY sampler: the higher, the harder the model is kept from repeating a phrase it "
            "has already written. 0 turns it off."))
        self.offline.setText(self.tr("Offline mode"))
        self.offline_note.setText(self.tr("Shopscribe never goes online unless you search for or download a "
                                          "model. Offline mode refuses even that."))
        self.open_folder.setText(self.tr("Open"))
        self._align_labels()
        self.folder.setToolTip(self.tr("Your history, templates, brands and downloaded models live here.")
                               + f"\n{data_home()}")
