"""The main window: a sidebar of pages, the pages in a stack, and a status bar that always says which
model is active, what it is doing, and where the data lives."""

from __future__ import annotations

import time
from pathlib import Path

import shiboken6
from PySide6.QtCore import QByteArray, QSize, Qt, QUrl
from PySide6.QtGui import QCloseEvent, QDesktopServices
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.core.paths import data_home
from desktop.ui import engine_worker as ew
from desktop.ui import prefs
from desktop.ui.context import AppContext
from desktop.ui.i18n import Retranslating, content_language
from desktop.ui.icons import app_icon, icon
from desktop.ui.page_stack import LazyPages
from desktop.ui.pages import PAGES, PageSpec

RATE_REFRESH_S = 0.5  # the status bar's "Generating at N tok/s": readable, and no relayout per flush


class MainWindow(Retranslating, QMainWindow):
    def __init__(self, ctx: AppContext, pages: list[PageSpec] | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        ctx.window = self
        self.setObjectName("mainWindow")
        self.setWindowIcon(app_icon())
        self.specs = list(pages or PAGES)
        self._rate = 0.0
        self._rate_shown_at = 0.0
        self._load_error = ""
        self.tuner = None  # engine_tuning.IdleTuner while the first load's measuring is pending

        self.sidebar = QListWidget()
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setIconSize(QSize(20, 20))
        self.sidebar.setFixedWidth(184)
        self.sidebar.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.stack = QStackedWidget()
        self.stack.setObjectName("pageStack")
        for spec in self.specs:
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, spec.key)
            self.sidebar.addItem(item)
        self.pages = LazyPages(self.specs, ctx, self.stack)  # each page is built when first shown
        self.sidebar.currentRowChanged.connect(self._on_row)

        self.banner = QLabel()
        self.banner.setObjectName("engineBanner")
        self.banner.setProperty("role", "banner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        self.retry_button = QPushButton()
        self.retry_button.setObjectName("retryLoadButton")
        self.retry_button.clicked.connect(self.load_model)
        self.retry_button.hide()
        banner_row = QHBoxLayout()
        banner_row.addWidget(self.banner, 1)
        banner_row.addWidget(self.retry_button)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addLayout(banner_row)
        right_layout.addWidget(self.stack, 1)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.sidebar)
        layout.addWidget(right, 1)
        self.setCentralWidget(central)

        self.model_label = QLabel()
        self.model_label.setObjectName("modelStatus")
        self.state_label = QLabel()
        self.state_label.setObjectName("engineStatus")
        self.data_label = QLabel()
        self.data_label.setObjectName("dataFolderStatus")
        self.data_label.setTextFormat(Qt.TextFormat.RichText)
        self.data_label.linkActivated.connect(self._open_data_folder)
        status = self.statusBar()
        status.addWidget(self.model_label)
        status.addWidget(self.state_label)
        status.addPermanentWidget(self.data_label)

        engine = ctx.engine
        engine.stateChanged.connect(self._update_status)
        engine.modelLoaded.connect(self._on_loaded)
        engine.loadFailed.connect(self._on_load_failed)
        engine.generationRate.connect(self._on_rate)
        ctx.bus.navigate.connect(self._on_navigate)
        ctx.bus.statusMessage.connect(self._show_status_message)
        ctx.bus.themeChanged.connect(self._refresh_icons)

        self.retranslate()
        self._restore()

    # ----- pages -------------------------------------------------------------------------------
    def show_page(self, key: str) -> QWidget:
        index = [s.key for s in self.specs].index(key)
        self.sidebar.setCurrentRow(index)
        return self.pages[key]

    def current_page_key(self) -> str:
        return self.specs[max(0, self.stack.currentIndex())].key

    def _on_row(self, row: int) -> None:
        if row < 0:
            return
        page = self.pages[self.specs[row].key]
        self.stack.setCurrentWidget(page)
        if hasattr(page, "page_shown"):
            page.page_shown()

    def _on_navigate(self, key: str, payload: dict) -> None:
        page = self.show_page(key)
        if payload and hasattr(page, "open_with"):
            page.open_with(**payload)

    # ----- the model ----------------------------------------------------------------------------
    def load_model(self) -> None:
        """Load the user's default model in the background (the window is already usable)."""
        self.banner.hide()
        self.retry_button.hide()
        self._load_error = ""
        self.ctx.engine.load()

    def _on_loaded(self, info: dict) -> None:
        from desktop.ui.engine_tuning import tune_after_first_load

        self._update_status()
        if info.get("notice"):
            self.ctx.status(info["notice"], 10_000)
        lang = content_language()
        if info.get("safe_mode"):
            self.ctx.status(info["safe_mode_zh"] if lang == "zh" else info["safe_mode"], 10_000)
        tuner = tune_after_first_load(self.ctx, self, info, on_done=self._on_tuned,
                                      on_error=self._on_tuning_failed)
        self.tuner = tuner or self.tuner

    def stop_tuning(self) -> None:
        """End a measuring in progress (closing: its throwaway host must not outlive the window)."""
        if self.tuner is not None and shiboken6.isValid(self.tuner) and self.tuner.stop is not None:
            self.tuner.stop.cancel()

    def _on_tuned(self, record: dict) -> None:
        from desktop.core.engine.tuning import describe

        self.ctx.status(self.tr("Engine settings measured for this computer: %1")
                        .replace("%1", describe(record, content_language())), 8000)

    def _on_tuning_failed(self, exc: BaseException) -> None:
        from desktop.ui.errors import error_message

        self.ctx.status(self.tr("The engine settings could not be measured; the usual ones stay. %1")
                        .replace("%1", error_message(exc)), 10_000)

    def _on_load_failed(self, message: str) -> None:
        self._load_error = message
        self.banner.setText(self.tr("The model could not be loaded. %1").replace("%1", message))
        self.banner.show()
        self.retry_button.show()
        self._update_status()
        self.ctx.show_error(self.tr("The model could not be loaded"), message, self)

    def _on_rate(self, rate: float) -> None:
        self._rate = rate
        now = time.monotonic()
        if now - self._rate_shown_at >= RATE_REFRESH_S:  # every text flush would relayout the status bar
            self._rate_shown_at = now
            self._update_status()

    def _update_status(self, *_args) -> None:
        engine = self.ctx.engine
        info = engine.model_info or {}
        model = info.get("model_id") or self.tr("none")
        if info.get("remote"):
            model = f"{model} @ {info.get('name') or info.get('engine')}"
        self.model_label.setText(self.tr("Model: %1").replace("%1", model))
        state = engine.state
        if state == ew.LOADING:
            text, role = self.tr("Loading the model…"), "state-busy"
        elif state == ew.GENERATING:
            text = self.tr("Generating at %1 tok/s").replace("%1", f"{self._rate:.1f}")
            role = "state-busy"
        elif state == ew.READY:
            self._rate = 0.0
            text, role = self.tr("Ready"), "state-ready"
        elif state == ew.FAILED:
            text, role = self.tr("Model not loaded"), "state-failed"
        else:
            text, role = self.tr("No model yet"), "state-busy"
        self.state_label.setText(text)
        if self.state_label.property("role") != role:
            self.state_label.setProperty("role", role)
            self.state_label.style().unpolish(self.state_label)
            self.state_label.style().polish(self.state_label)

    def _show_status_message(self, text: str, ms: int) -> None:
        self.statusBar().showMessage(text, ms)

    def _open_data_folder(self, *_args) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(data_home())))

    # ----- language, theme, persistence ---------------------------------------------------------------
    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Shopscribe — marketing copy written on your computer"))
        for row, spec in enumerate(self.specs):
            self.sidebar.item(row).setText(spec.translated_title())
        self._refresh_icons()
        self.retry_button.setText(self.tr("Try again"))
        if self._load_error:
            self.banner.setText(self.tr("The model could not be loaded. %1").replace("%1", self._load_error))
        home = data_home()
        self.data_label.setText(
            self.tr("Data: %1").replace("%1", f'<a href="open">{short_path(home)}</a>')
        )
        self.data_label.setToolTip(self.tr("Open the data folder: %1").replace("%1", str(home)))
        self._update_status()

    def _refresh_icons(self, *_args) -> None:
        for row, spec in enumerate(self.specs):
            self.sidebar.item(row).setIcon(icon(spec.icon))

    def _restore(self) -> None:
        settings = prefs.ui_settings()
        geometry = settings.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1180, 760)
        key = prefs.get("window/page")
        keys = [s.key for s in self.specs]
        self.show_page(key if key in keys else keys[0])

    def save_state(self) -> None:
        settings = prefs.ui_settings()
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/page", self.current_page_key())
        settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        for page in self.pages.built():
            if hasattr(page, "can_close") and not page.can_close():
                event.ignore()
                return
        self.save_state()
        self.ctx.engine.stop_all()
        super().closeEvent(event)


def short_path(path: Path, limit: int = 48) -> str:
    """The path with the home folder as "~", cut from the left past `limit` characters."""
    text = str(path)
    home = str(Path.home())
    if text.startswith(home):
        text = "~" + text[len(home):]
    return text if len(text) <= limit else "…" + text[-(limit - 2):]
