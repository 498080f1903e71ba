"""The curated catalog: instruct models good in Chinese and English, each with a fit label for this
machine, the one to recommend marked, and its files by quantization ready to download."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from desktop.ui.i18n import Retranslating, content_language
from desktop.ui.theme import colour
from desktop.ui.widgets.kit import (
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
    titled_pane,
)
from desktop.ui.workers import Op

N_CTX = 4096  # the context the fit labels assume (the catalog's own ram_ctx)


def load_catalog_view() -> dict:
    """Entries, per-file estimates for this machine, and the recommendation (worker thread)."""
    from desktop.core.models.catalog import load_catalog
    from desktop.core.models.fit import detect_machine, recommend

    machine = detect_machine()
    entries = load_catalog()
    estimates = {(e.id, f.filename): e.estimate(f, min(N_CTX, e.context_length), machine)
                 for e in entries for f in e.files}
    best = recommend(entries, machine, N_CTX)
    return {"entries": entries, "estimates": estimates, "recommended": best[0].id if best else None,
            "machine": machine}


class CatalogPanel(Retranslating, QWidget):
    downloadRequested = Signal(str, str, int)  # repo id, file name, size

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view: dict | None = None
        self.installed: set[str] = set()  # file names already in the models folder
        self.offline = False
        self.banner = QLabel()
        self.banner.setObjectName("recommendationLabel")
        self.banner.setProperty("role", "info")
        self.banner.setWordWrap(True)
        self.banner.hide()
        self.message = message_label("catalogMessage")
        self.entries = make_table("catalogTable", 6, stretch=4)
        self.entries.itemSelectionChanged.connect(self._show_files)
        self.files_title = QLabel()
        self.files_title.setProperty("role", "section")
        self.files = make_table("catalogFilesTable", 5, stretch=1)
        self.files.itemSelectionChanged.connect(self._update_button)
        self.download_button = make_button("catalogDownloadButton", "export",
                                           self.download_selected, primary=True)

        lower = titled_pane(self.files_title, self.download_button, self.files)
        splitter = make_splitter(self.entries, lower, vertical=True, stretch={0: 3, 1: 2})
        box = QVBoxLayout(self)
        box.setContentsMargins(12, 12, 12, 12)
        box.addWidget(self.banner)
        box.addWidget(self.message)
        box.addWidget(splitter, 1)
        self.retranslate()

    def refresh(self) -> None:
        Op(self, load_catalog_view).on_success(self._on_loaded).on_failure(in_banner(self.message)).run()

    def _on_loaded(self, view: dict) -> None:
        self.view = view
        self._fill()

    def set_installed(self, names: set[str]) -> None:
        self.installed = {n.lower() for n in names}
        self._show_files()

    def set_offline(self, offline: bool) -> None:
        was, self.offline = self.offline, offline
        if offline:
            show_message(self.message,
                         self.tr("Offline mode is on: downloads are off. Turn offline mode off on "
                                               "the Settings page to download a model."), "info")
        elif was:
            show_message(self.message, "")
        self._update_button()

    # ----- tables ------------------------------------------------------------------------------------
    def _fill(self) -> None:
        if self.view is None:
            return
        lang = content_language()
        keep = selected_data(self.entries)
        entries, estimates, best = self.view["entries"], self.view["estimates"], self.view["recommended"]
        self.entries.setRowCount(len(entries))
        for r, entry in enumerate(entries):
            name = text_item(entry.name, entry.id, f"{entry.repo_id} · {entry.publisher}")
            badge = text_item(self.tr("★ Recommended") if entry.id == best else "",
                              tooltip=self.tr("Recommended for this machine") if entry.id == best else "")
            if entry.id == best:
                font = QFont(name.font())
                font.setBold(True)
                name.setFont(font)
                badge.setForeground(colour("accent"))
            licence = text_item(entry.license if entry.commercial_use
                                else self.tr("%1 · non-commercial").replace("%1", entry.license),
                                tooltip="" if entry.commercial_use else self.tr("Its licence does not allow "
                                                                                "commercial use."))
            good_for = text_item(entry.good_for.get(lang) or entry.good_for.get("en", ""))
            good_for.setToolTip(good_for.text())
            cells = [name, badge, text_item(entry.parameters_label), licence, good_for,
                     fit_item(estimates.get((entry.id, entry.recommended_file().filename)), lang)]
            for c, item in enumerate(cells):
                self.entries.setItem(r, c, item)
        if best is not None:
            entry = next(e for e in entries if e.id == best)
            file = entry.recommended_file()
            self.banner.setText(self.tr("Recommended for this machine: %1 (%2, %3). It fits in the "
                                        "memory this computer has free and writes Chinese and English well.")
                                .replace("%1", entry.name).replace("%2", file.quantization)
                                .replace("%3", human_bytes(file.size_bytes)))
        else:
            self.banner.setText(self.tr("None of the catalog's models fits comfortably in the memory "
                                        "free right now. The built-in model keeps working; close other "
                                        "programs and look again."))
        self.banner.show()
        if not (keep and select_by_data(self.entries, keep)):
            select_by_data(self.entries, best or (entries[0].id if entries else None))

    def selected_entry(self):
        entry_id = selected_data(self.entries)
        if self.view is None or entry_id is None:
            return None
        return next((e for e in self.view["entries"] if e.id == entry_id), None)

    def _show_files(self) -> None:
        entry = self.selected_entry()
        if entry is None:
            self.files.setRowCount(0)
            self.files_title.clear()
            self._update_button()
            return
        lang = content_language()
        self.files_title.setText(self.tr("Files of %1").replace("%1", entry.name))
        keep = selected_data(self.files)
        self.files.setRowCount(len(entry.files))
        for r, file in enumerate(entry.files):
            have = file.filename.lower() in self.installed
            state = self.tr("Downloaded") if have else (self.tr("Recommended") if file.recommended else "")
            cells = [text_item(file.quantization, file.filename), text_item(file.filename),
                     text_item(human_bytes(file.size_bytes)),
                     fit_item(self.view["estimates"].get((entry.id, file.filename)), lang), text_item(state)]
            for c, item in enumerate(cells):
                self.files.setItem(r, c, item)
        if not (keep and select_by_data(self.files, keep)):
            select_by_data(self.files, entry.recommended_file().filename)
        self._update_button()

    def _update_button(self) -> None:
        filename = selected_data(self.files)
        have = filename is not None and filename.lower() in self.installed
        self.download_button.setEnabled(filename is not None and not have and not self.offline)
        self.download_button.setToolTip(
            self.tr("Offline mode is on: downloads are off.") if self.offline else ""
        )

    def download_selected(self) -> None:
        entry, filename = self.selected_entry(), selected_data(self.files)
        if entry is None or filename is None or self.offline:
            return
        file = entry.file(next(f.quantization for f in entry.files if f.filename == filename))
        self.downloadRequested.emit(entry.repo_id, file.filename, file.size_bytes)
        show_message(self.message, self.tr("Downloading %1: follow it on the Downloads tab.")
                     .replace("%1", file.filename), "info")

    # ----- language ----------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.entries.setHorizontalHeaderLabels([self.tr("Model"), "", self.tr("Parameters"),
                                                self.tr("Licence"),
                                                self.tr("Good for"), self.tr("Fit")])
        self.files.setHorizontalHeaderLabels([self.tr("Quantization"), self.tr("File"), self.tr("Size"),
                                              self.tr("Fit"), ""])
        self.download_button.setText(self.tr("Download"))
        self._fill()
