"""Models: what is on this computer (import, remove, default, settings, load), the curated catalog with a
recommendation for this machine, Hugging Face search, and downloads that continue in the background."""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from desktop.ui.i18n import Retranslating
from desktop.ui.widgets.kit import page_heading
from desktop.ui.widgets.models_catalog import CatalogPanel
from desktop.ui.widgets.models_downloads import DownloadManager, DownloadsPanel
from desktop.ui.widgets.models_local import LocalModelsPanel
from desktop.ui.widgets.models_search import HubSearchPanel
from desktop.ui.workers import StoreOp


def create_page(ctx) -> QWidget:
    return ModelsPage(ctx)


class ModelsPage(Retranslating, QWidget):
    LOCAL, CATALOG, SEARCH, DOWNLOADS = range(4)

    def __init__(self, ctx) -> None:
        super().__init__()
        self.ctx = ctx
        self.offline = False
        self._loaded = False
        self.title, self.subtitle = page_heading()

        self.downloads = DownloadManager(self)
        self.local = LocalModelsPanel(ctx)
        self.catalog = CatalogPanel()
        self.search = HubSearchPanel()
        self.downloads_panel = DownloadsPanel(self.downloads)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("modelsTabs")
        for panel in (self.local, self.catalog, self.search, self.downloads_panel):
            self.tabs.addTab(panel, "")

        box = QVBoxLayout(self)
        box.setContentsMargins(20, 16, 20, 12)
        box.addWidget(self.title)
        box.addWidget(self.subtitle)
        box.addWidget(self.tabs, 1)

        self.catalog.downloadRequested.connect(lambda repo, name,
                                               size: self.downloads.start(repo, name, None, size))
        self.search.downloadRequested.connect(
            lambda repo, name, size, token: self.downloads.start(repo, name, token or None, size))
        self.downloads.changed.connect(lambda _item: self._update_tab_titles())
        self.downloads.removed.connect(lambda _key: self._update_tab_titles())
        self.downloads.modelDownloaded.connect(self._on_downloaded)
        self.local.modelsChanged.connect(self._on_models_changed)
        ctx.bus.settingsChanged.connect(self._on_setting)
        self.retranslate()

    # ----- lifecycle ---------------------------------------------------------------------------------
    def page_shown(self) -> None:
        """Read everything the first time the page is opened (nothing touches the network)."""
        self.check_offline()
        if not self._loaded:
            self._loaded = True
            self.local.refresh()
            self.catalog.refresh()
            self.downloads.load_pending()

    def open_with(self, tab: str | None = None, **_ignored) -> None:
        index = {"local": self.LOCAL, "catalog": self.CATALOG, "search": self.SEARCH,
                 "downloads": self.DOWNLOADS}.get(tab or "")
        if index is not None:
            self.tabs.setCurrentIndex(index)

    def check_offline(self) -> None:
        from desktop.core.models.hub_http import offline_reason

        StoreOp(self, lambda db: offline_reason(db) is not None).on_success(self._set_offline).run()

    def _set_offline(self, offline: bool) -> None:
        self.offline = offline
        self.catalog.set_offline(offline)
        self.search.set_offline(offline)

    def _on_setting(self, key: str) -> None:
        if key in ("offline", "model", "models.default"):
            self.check_offline()
            if key != "offline" and self._loaded:
                self.local.refresh()

    def _on_downloaded(self, model_id: str) -> None:
        self.ctx.status(self.tr("Model %1 downloaded and verified").replace("%1", model_id), 8000)
        self.local.refresh()

    def _on_models_changed(self) -> None:
        names = {row.model.path.name for row in self.local.rows}
        names |= {(row.model.origin or {}).get("filename", "").rsplit("/", 1)[-1] for row in self.local.rows}
        self.catalog.set_installed({n for n in names if n})

    # ----- language ----------------------------------------------------------------------------------
    def _update_tab_titles(self) -> None:
        running = self.downloads.running
        self.tabs.setTabText(self.DOWNLOADS, self.tr("Downloads (%1)").replace("%1", str(running)) if running
                             else self.tr("Downloads"))

    def retranslate(self) -> None:
        self.title.setText(self.tr("Models"))
        self.subtitle.setText(self.tr("The model writes your copy, on this computer. The built-in "
                                      "model works at once; a larger one writes better Chinese and English. "
                                      "Each model shows whether it fits this machine's memory."))
        self.tabs.setTabText(self.LOCAL, self.tr("On this computer"))
        self.tabs.setTabText(self.CATALOG, self.tr("Catalog"))
        self.tabs.setTabText(self.SEARCH, self.tr("Search Hugging Face"))
        self._update_tab_titles()
