"""Hugging Face search (only when the merchant asks): GGUF repositories with downloads and likes, and a
repository's GGUF files grouped by quantization, with sizes and a fit label for this machine."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.errors import error_message
from desktop.ui.i18n import Retranslating, content_language
from desktop.ui.theme import colour
from desktop.ui.widgets.kit import (
    FIT_COLOURS,
    human_bytes,
    human_count,
    make_button,
    make_splitter,
    make_table,
    message_label,
    selected_data,
    show_message,
    text_item,
    titled_pane,
)
from desktop.ui.workers import Op


def repo_files_here(repo_id: str, token: str | None):
    from desktop.core.models import hub

    return hub.repo_files(repo_id, token=token or None)


class HubSearchPanel(Retranslating, QWidget):
    downloadRequested = Signal(str, str, int, str)  # repo id, file name, size, token

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.offline = False
        self.results = []
        self.repo = None  # hub.RepoFiles on show
        self._search: Op | None = None

        self.query = QLineEdit()
        self.query.setObjectName("hubSearchEdit")
        self.query.returnPressed.connect(self.search)
        self.search_button = make_button("hubSearchButton", "search", self.search)
        self.token = QLineEdit()
        self.token.setObjectName("hubTokenEdit")
        self.token.setEchoMode(QLineEdit.EchoMode.Password)
        self.token.setMinimumWidth(240)
        self.offline_label = QLabel()
        self.offline_label.setObjectName("offlineLabel")
        self.offline_label.setProperty("role", "info")
        self.offline_label.setWordWrap(True)
        self.offline_label.hide()
        self.message = message_label("hubMessage")
        self.status = QLabel()
        self.status.setObjectName("hubStatus")
        self.status.setProperty("role", "muted")

        self.table = make_table("hubResultsTable", 5, stretch=0)
        self.table.itemSelectionChanged.connect(self._on_repo)
        self.files_title = QLabel()
        self.files_title.setProperty("role", "section")
        self.tree = QTreeWidget()
        self.tree.setObjectName("hubFilesTree")
        self.tree.setColumnCount(4)
        self.tree.setAlternatingRowColors(True)
        self.tree.itemSelectionChanged.connect(self._update_button)
        self.download_button = make_button("hubDownloadButton", "export",
                                           self.download_selected, primary=True)

        search_row = QHBoxLayout()
        search_row.addWidget(self.query, 1)
        search_row.addWidget(self.search_button)
        search_row.addSpacing(12)
        search_row.addWidget(self.token)
        lower = titled_pane(self.files_title, self.download_button, self.tree)
        splitter = make_splitter(self.table, lower, vertical=True)
        box = QVBoxLayout(self)
        box.setContentsMargins(12, 12, 12, 12)
        box.addWidget(self.offline_label)
        box.addLayout(search_row)
        box.addWidget(self.status)
        box.addWidget(self.message)
        box.addWidget(splitter, 1)
        self.retranslate()
        self._update_button()

    def set_offline(self, offline: bool) -> None:
        self.offline = offline
        self.offline_label.setVisible(offline)
        for widget in (self.query, self.search_button, self.token):
            widget.setEnabled(not offline)
        self._update_button()

    # ----- search ----------------------------------------------------------------------------------------
    def search(self) -> None:
        if self.offline or self._search is not None:
            return
        from desktop.core.models import hub

        query, token = self.query.text().strip(), self.token.text().strip() or None
        show_message(self.message, "")
        self.status.setText(self.tr("Searching Hugging Face for “%1”…").replace("%1", query))
        def failed(exc: BaseException) -> None:
            show_message(self.message, error_message(exc))
            self.status.clear()

        self._search = Op(self, hub.search, query, token=token).on_success(self._on_results) \
            .on_failure(failed).on_done(lambda: setattr(self, "_search", None)).run()

    def _on_results(self, repos) -> None:
        self.results = repos
        self.status.setText(self.tr("%1 repositories with GGUF files").replace("%1", str(len(repos))))
        self.table.setRowCount(len(repos))
        for r, repo in enumerate(repos):
            cells = [text_item(repo.repo_id, repo.repo_id), text_item(human_count(repo.downloads)),
                     text_item(human_count(repo.likes)),
                     text_item(self.tr("Gated: needs a token") if repo.gated else ""),
                     text_item((repo.last_modified or "")[:10])]
            for c, item in enumerate(cells):
                self.table.setItem(r, c, item)
        self.tree.clear()
        self.files_title.clear()
        if repos:
            self.table.selectRow(0)

    def _on_repo(self) -> None:
        repo_id = selected_data(self.table)
        if repo_id is None or self.offline:
            return
        self.tree.clear()
        self.repo = None
        self.files_title.setText(self.tr("Reading the files of %1…").replace("%1", repo_id))
        def failed(exc: BaseException) -> None:
            show_message(self.message, error_message(exc))
            self.files_title.clear()

        Op(self, repo_files_here, repo_id, self.token.text().strip()).on_success(self._on_files) \
            .on_failure(failed).run()

    def _on_files(self, repo) -> None:
        if repo.repo_id != selected_data(self.table):
            return  # the merchant moved on to another repository meanwhile
        self.repo = repo
        lang = content_language()
        groups = repo.groups
        self.files_title.setText(self.tr("%1: %2 GGUF files").replace("%1", repo.repo_id)
                                 .replace("%2", str(len(repo.files))))
        self.tree.clear()
        for quant, files in groups.items():
            group = QTreeWidgetItem([quant, "", "", ""])
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.tree.addTopLevelItem(group)
            for file in files:
                note = ""
                if file.split:
                    note = self.tr("Split into several files: not supported")
                elif not file.downloadable:
                    note = self.tr("No checksum on the Hub: cannot be verified")
                fit_text = file.fit.label_text(lang) if file.fit else "—"
                child = QTreeWidgetItem([file.filename, human_bytes(file.size_bytes), fit_text, note])
                child.setData(0, Qt.ItemDataRole.UserRole, file.filename)
                if file.fit:
                    child.setForeground(2, colour(FIT_COLOURS.get(file.fit.label, "muted")))
                    child.setToolTip(2, file.fit.text(lang))
                if not file.downloadable:
                    child.setForeground(0, colour("muted"))
                group.addChild(child)
            group.setExpanded(True)
        for column in range(3):
            self.tree.resizeColumnToContents(column)
        self._update_button()

    def selected_file(self):
        items = self.tree.selectedItems()
        if not items or self.repo is None:
            return None
        name = items[0].data(0, Qt.ItemDataRole.UserRole)
        return next((f for f in self.repo.files if f.filename == name), None)

    def _update_button(self) -> None:
        file = self.selected_file()
        self.download_button.setEnabled(file is not None and file.downloadable and not self.offline)

    def download_selected(self) -> None:
        file = self.selected_file()
        if file is None or not file.downloadable or self.offline:
            return
        self.downloadRequested.emit(self.repo.repo_id, file.filename, file.size_bytes or 0,
                                    self.token.text().strip())
        show_message(self.message, self.tr("Downloading %1: follow it on the Downloads tab.")
                     .replace("%1", file.filename), "info")

    # ----- language --------------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.query.setPlaceholderText(self.tr("Search GGUF models, e.g. Qwen2.5 instruct"))
        self.search_button.setText(self.tr("Search"))
        self.token.setPlaceholderText(self.tr("Access token (gated models only)"))
        self.token.setToolTip(self.tr("Some models need you to accept their licence on Hugging Face "
                                      "and use an access token. It is used for this session only and "
                                      "never saved."))
        self.offline_label.setText(self.tr("Offline mode is on, so search and download are off: "
                                           "nothing goes to the network. Turn offline mode off on the "
                                           "Settings page to use them."))
        self.table.setHorizontalHeaderLabels([self.tr("Repository"), self.tr("Downloads"), self.tr("Likes"),
                                              self.tr("Access"), self.tr("Updated")])
        self.tree.setHeaderLabels([self.tr("Quantization / file"), self.tr("Size"), self.tr("Fit"), ""])
        self.download_button.setText(self.tr("Download"))
        if not self.results:
            self.status.setText(self.tr("Nothing goes online until you press Search."))
