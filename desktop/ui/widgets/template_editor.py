"""The template editor: name (zh/en), content type, platform, the prompts per language, variables and
outputs. It holds the template's data as a dict (the portable form of `Template.to_dict()`), so what the
form does not show (version, max tokens, descriptions) survives an edit."""

from __future__ import annotations

import copy

from PySide6.QtCore import Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.i18n import Retranslating, content_language
from desktop.ui.widgets.template_tables import OutputsTable, VariablesTable

LANG_NAMES = {"zh": "中文", "en": "English"}


def _loc(names: dict, lang: str) -> str:
    return names.get(lang) or names.get("en") or next(iter(names.values()), "")


def blank_template(content_type: str = "product-description") -> dict:
    """A new template to start from: one required variable, one text output, prompts in both languages."""
    return {
        "id": "my-template", "version": 1, "content_type": content_type, "platform": None,
        "name": {"zh": "我的模板", "en": "My template"}, "description": {},
        "variables": [{"name": "product_name", "label": {"zh": "商品名称", "en": "Product name"},
                       "required": True}],
        "system": {"zh": "你是电商文案。\n{{ rules }}",
                   "en": "You are an e-commerce copywriter.\n{{ rules }}"},
        "user": {"zh": "<product>\n{{ product }}\n</product>\n为这个商品写一段文案。",
                 "en": "<product>\n{{ product }}\n</product>\nWrite the copy for this product."},
        "outputs": [{"name": "text", "type": "string", "description": {}}],
        "samples": {"product_name": "保温杯 500ml"},
    }


class PromptPair(Retranslating, QWidget):
    """System and user prompt of one language."""

    def __init__(self, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.system_label, self.user_label = QLabel(), QLabel()
        for label in (self.system_label, self.user_label):
            label.setProperty("role", "section")
            label.setWordWrap(True)
        self.system = QPlainTextEdit()
        self.system.setObjectName(f"systemPromptEdit_{lang}")
        self.user = QPlainTextEdit()
        self.user.setObjectName(f"userPromptEdit_{lang}")
        for edit in (self.system, self.user):
            edit.setFont(mono)
            edit.setTabChangesFocus(True)
        box = QVBoxLayout(self)
        box.setContentsMargins(8, 8, 8, 8)
        box.addWidget(self.system_label)
        box.addWidget(self.system, 1)
        box.addWidget(self.user_label)
        box.addWidget(self.user, 1)
        self.retranslate()

    def retranslate(self) -> None:
        self.system_label.setText(self.tr("System prompt: who the model is and the rules it follows"))
        self.user_label.setText(self.tr("User prompt: the request, with {{ product }} and other variables"))


class TemplateEditor(Retranslating, QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from desktop.core import platforms
        from desktop.core.content.presets import content_types

        self._types = content_types()
        self._platforms = platforms.platforms()
        self.data: dict = {}
        self.read_only = False
        self._filling = False

        self.name_zh = QLineEdit()
        self.name_zh.setObjectName("templateNameZh")
        self.name_en = QLineEdit()
        self.name_en.setObjectName("templateNameEn")
        self.id_label = QLabel()
        self.id_label.setObjectName("templateIdLabel")
        self.id_label.setProperty("role", "muted")
        self.content_type = QComboBox()
        self.content_type.setObjectName("templateContentType")
        self.platform = QComboBox()
        self.platform.setObjectName("templatePlatform")
        for combo in (self.content_type, self.platform):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(8)
        self.prompts = {lang: PromptPair(lang) for lang in ("zh", "en")}
        self.variables = VariablesTable("variablesTable")
        self.outputs = OutputsTable("outputsTable")
        self.tabs = QTabWidget()
        self.tabs.setObjectName("templateEditorTabs")
        self.tabs.addTab(self.prompts["zh"], "")
        self.tabs.addTab(self.prompts["en"], "")
        self.tabs.addTab(self.variables, "")
        self.tabs.addTab(self.outputs, "")

        names = QHBoxLayout()
        names.addWidget(self.name_zh)
        names.addWidget(self.name_en)
        kind = QHBoxLayout()
        kind.addWidget(self.content_type, 1)
        kind.addWidget(self.platform, 1)
        self.form = QFormLayout()
        self._labels = [QLabel() for _ in range(3)]
        self.form.addRow(self._labels[0], names)
        self.form.addRow(self._labels[1], kind)
        self.form.addRow(self._labels[2], self.id_label)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(self.form)
        box.addWidget(self.tabs, 1)

        for edit in (self.name_zh, self.name_en):
            edit.textEdited.connect(self._emit)
        for pair in self.prompts.values():
            pair.system.textChanged.connect(self._emit)
            pair.user.textChanged.connect(self._emit)
        self.content_type.currentIndexChanged.connect(self._on_type)
        self.platform.currentIndexChanged.connect(self._emit)
        self.variables.changed.connect(self._emit)
        self.outputs.changed.connect(self._emit)
        self.retranslate()

    def _emit(self, *_args) -> None:
        if not self._filling:
            self.changed.emit()

    # ----- loading and reading back ------------------------------------------------------------------
    def load(self, data: dict, read_only: bool) -> None:
        self._filling = True
        self.data = copy.deepcopy(data)
        self.name_zh.setText(data.get("name", {}).get("zh", ""))
        self.name_en.setText(data.get("name", {}).get("en", ""))
        self.id_label.setText(data.get("id", ""))
        self._fill_types(data.get("content_type"))
        self._fill_platforms(data.get("platform"))
        for lang, pair in self.prompts.items():
            pair.system.setPlainText(data.get("system", {}).get(lang, ""))
            pair.user.setPlainText(data.get("user", {}).get(lang, ""))
        self.variables.set_variables(data.get("variables") or [], data.get("samples") or {})
        self.outputs.set_outputs(data.get("outputs") or [])
        self.set_read_only(read_only)
        self._filling = False

    def to_dict(self) -> dict:
        data = copy.deepcopy(self.data)
        data["name"] = {k: v for k,
                        v in (("zh", self.name_zh.text().strip()), ("en", self.name_en.text().strip())) if v}
        data["content_type"] = self.content_type.currentData()
        platform = self.platform.currentData()
        data["platform"] = platform
        was = self.data.get("platform")
        served = [p for p in data.get("platforms") or [] if p not in (platform, was)]
        data["platforms"] = ([platform] if platform else []) + served
        for part in ("system", "user"):
            data[part] = {lang: getattr(pair, part).toPlainText() for lang, pair in self.prompts.items()
                          if getattr(pair, part).toPlainText().strip()}
        data["variables"] = self.variables.variables()
        samples = dict(data.get("samples") or {})
        names = set(self.variables.names())
        samples = {k: v for k, v in samples.items() if k not in names}
        samples.update(self.variables.samples())
        data["samples"] = samples
        data["outputs"] = self.outputs.outputs()
        return data

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        for edit in (self.name_zh, self.name_en):
            edit.setReadOnly(read_only)
        for pair in self.prompts.values():
            pair.system.setReadOnly(read_only)
            pair.user.setReadOnly(read_only)
        self.content_type.setEnabled(not read_only)
        self.platform.setEnabled(not read_only)
        self.variables.set_read_only(read_only)
        self.outputs.set_read_only(read_only)

    # ----- pickers ------------------------------------------------------------------------------------
    def _fill_types(self, current: str | None) -> None:
        lang = content_language()
        was = self._filling
        self._filling = True
        self.content_type.clear()
        for type_id, spec in self._types.items():
            self.content_type.addItem(_loc(spec["name"], lang), type_id)
        index = self.content_type.findData(current)
        self.content_type.setCurrentIndex(max(0, index))
        self._filling = was

    def _fill_platforms(self, current: str | None) -> None:
        lang = content_language()
        was = self._filling
        self._filling = True
        self.platform.clear()
        self.platform.addItem(self.tr("Any platform"), None)
        spec = self._types.get(self.content_type.currentData(), {})
        ids = list(spec.get("platforms") or self._platforms)
        if current and current not in ids:
            ids.append(current)
        for pid in ids:
            self.platform.addItem(
                _loc(self._platforms[pid].name if pid in self._platforms else {"en": pid}, lang), pid
            )
        self.platform.setCurrentIndex(max(0, self.platform.findData(current)))
        self._filling = was

    def _on_type(self, *_args) -> None:
        if self._filling:
            return
        self._fill_platforms(self.platform.currentData())
        self.changed.emit()

    # ----- language -------------------------------------------------------------------------------------
    def retranslate(self) -> None:
        for label, text in zip(self._labels,
                               (self.tr("Name (中文 / English)"), self.tr("Content type, platform"),
                                              self.tr("Id"))):
            label.setText(text)
        self.name_zh.setPlaceholderText(self.tr("Name in Chinese"))
        self.name_en.setPlaceholderText(self.tr("Name in English"))
        self.tabs.setTabText(0, self.tr("Prompts · 中文"))
        self.tabs.setTabText(1, self.tr("Prompts · English"))
        self.tabs.setTabText(2, self.tr("Variables"))
        self.tabs.setTabText(3, self.tr("Outputs"))
        if self.data:
            self._fill_types(self.content_type.currentData())
            self._fill_platforms(self.platform.currentData())
