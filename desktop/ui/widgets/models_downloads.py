"""Model downloads that keep going while the merchant works on other pages.

`DownloadManager` (one per window, owned by the Models page) runs each download as an Op in a small
pool of its own, so long transfers never take the threads the rest of the window needs. Progress
arrives on the GUI thread (bytes, speed, ETA); each download's `Stop` token pauses it (the partial file
is kept, resumable after a restart) or cancels it (the partial file is deleted). `DownloadsPanel` shows
the list with a row per download."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QThreadPool, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.errors import error_message
from desktop.ui.i18n import Retranslating
from desktop.ui.widgets.kit import human_bytes, human_duration, make_button
from desktop.ui.workers import Op

QUEUED, DOWNLOADING, RETRYING, VERIFYING = "queued", "downloading", "retrying", "verifying"
PAUSED, FAILED, DONE = "paused", "failed", "done"
ACTIVE = (QUEUED, DOWNLOADING, RETRYING, VERIFYING)


@dataclass
class DownloadItem:
    repo_id: str
    filename: str
    state: str = QUEUED
    bytes_done: int = 0
    total_bytes: int = 0
    speed_bps: float = 0.0
    eta_s: float | None = None
    attempt: int = 0
    message: str = ""
    model_id: str | None = None
    token: str | None = field(default=None, repr=False)
    op: Op | None = field(default=None, repr=False)  # the transfer while it runs

    @property
    def key(self) -> tuple[str, str]:
        return (self.repo_id, self.filename)

    @property
    def active(self) -> bool:
        return self.state in ACTIVE


class DownloadManager(QObject):
    changed = Signal(object)  # DownloadItem (added or updated)
    removed = Signal(object)  # key
    modelDownloaded = Signal(str)  # model id, after the sha256 check and the rename

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.items: dict[tuple[str, str], DownloadItem] = {}
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(3)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.pause_all)  # a paused download resumes at the next start

    # ----- control (GUI thread) -----------------------------------------------------------------------
    def load_pending(self) -> None:
        """Downloads paused or interrupted in an earlier session, shown as resumable."""
        from desktop.core.models.download_state import pending_downloads

        Op(self, pending_downloads).on_success(self._on_pending).run(self.pool)

    def _on_pending(self, pending) -> None:
        for p in pending:
            if (p.repo_id, p.filename) in self.items:
                continue
            item = DownloadItem(p.repo_id, p.filename, PAUSED, p.bytes_done, p.total_bytes)
            self.items[item.key] = item
            self.changed.emit(item)

    def start(self, repo_id: str, filename: str, token: str | None = None,
              total_bytes: int = 0) -> DownloadItem:
        """Start (or resume) a download; returns its item. A running one is left alone."""
        from desktop.core.models.download import download_model

        key = (repo_id, filename)
        item = self.items.get(key)
        if item is not None and item.active:
            return item
        if item is None:
            item = self.items[key] = DownloadItem(repo_id, filename, total_bytes=total_bytes)
        item.state, item.message, item.attempt = QUEUED, "", 0
        item.token = token or item.token
        item.op = Op(self, download_model, repo_id, filename, token=item.token).with_stop() \
            .with_progress(lambda p: self._on_progress(key, p)) \
            .on_success(lambda model: self._on_done(key, model)) \
            .on_failure(lambda exc: self._on_error(key, exc))
        self.changed.emit(item)
        item.op.run(self.pool)
        return item

    def pause(self, key) -> None:
        item = self.items.get(tuple(key))
        if item is not None and item.active and item.op is not None:
            item.op.stop.pause()

    def resume(self, key) -> None:
        item = self.items.get(tuple(key))
        if item is not None and not item.active:
            self.start(item.repo_id, item.filename, item.token, item.total_bytes)

    def cancel(self, key) -> None:
        """Stop a running download (its partial file is deleted) or drop a paused or finished one."""
        key = tuple(key)
        item = self.items.get(key)
        if item is None:
            return
        if item.active and item.op is not None:
            item.op.stop.cancel()
            return
        if item.state == PAUSED:
            from desktop.core.models.download import cancel_pending

            Op(self, cancel_pending, item.repo_id, item.filename).on_done(lambda: self._drop(key)) \
                .run(self.pool)
        else:
            self._drop(key)

    def pause_all(self) -> None:
        for item in self.items.values():
            if item.active and item.op is not None:
                item.op.stop.pause()

    @property
    def running(self) -> int:
        return sum(1 for item in self.items.values() if item.active)

    # ----- worker reports --------------------------------------------------------------------------------
    def _on_progress(self, key, progress) -> None:
        item = self.items.get(key)
        if item is None or item.state in (PAUSED, FAILED, DONE):
            return
        item.state = progress.state if progress.state in (DOWNLOADING, RETRYING, VERIFYING) else item.state
        item.bytes_done, item.total_bytes = progress.bytes_done, progress.total_bytes
        item.speed_bps, item.eta_s, item.attempt = progress.speed_bps, progress.eta_s, progress.attempt
        self.changed.emit(item)

    def _on_done(self, key, model) -> None:
        item = self.items.get(key)
        if item is None:
            return
        item.state, item.model_id, item.op = DONE, model.id, None
        item.bytes_done = item.total_bytes = model.size_bytes
        self.changed.emit(item)
        self.modelDownloaded.emit(model.id)

    def _on_error(self, key, exc) -> None:
        from desktop.core.models.errors import DownloadCancelled, DownloadPaused

        item = self.items.get(key)
        if item is None:
            return
        item.op = None
        if isinstance(exc, DownloadCancelled):
            self._drop(key)
            return
        item.state = PAUSED if isinstance(exc, DownloadPaused) else FAILED
        item.message = "" if item.state == PAUSED else error_message(exc)
        self.changed.emit(item)

    def _drop(self, key) -> None:
        if self.items.pop(key, None) is not None:
            self.removed.emit(key)


def status_text(item: DownloadItem) -> str:
    done, total = human_bytes(item.bytes_done), human_bytes(item.total_bytes or None)
    if item.state == QUEUED:
        return QCoreApplication.translate("Models", "Starting…")
    if item.state == DOWNLOADING:
        speed = human_bytes(item.speed_bps) + "/s" if item.speed_bps else "…"
        eta = human_duration(item.eta_s) if item.eta_s is not None else "…"
        return (
            QCoreApplication.translate("Models", "%1 of %2 · %3 · %4 left")
            .replace("%1", done)
            .replace("%2", total)
            .replace("%3", speed)
            .replace("%4", eta)
        )
    if item.state == RETRYING:
        return QCoreApplication.translate("Models", "Connection lost; trying again (attempt %1)…").replace(
            "%1", str(item.attempt)
        )
    if item.state == VERIFYING:
        percent = int(100 * item.bytes_done / item.total_bytes) if item.total_bytes else 0
        return QCoreApplication.translate(
            "Models", "Checking the file against the Hub's sha256… %1%"
        ).replace("%1", str(percent))
    if item.state == PAUSED:
        return (
            QCoreApplication.translate("Models", "Paused at %1 of %2. Resume continues where it stopped.")
            .replace("%1", done)
            .replace("%2", total)
        )
    if item.state == DONE:
        return QCoreApplication.translate("Models", "Done and verified: %1 is in your models.").replace(
            "%1", item.model_id or item.filename
        )
    return item.message


class DownloadRow(QFrame):
    def __init__(self, manager: DownloadManager, item: DownloadItem, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.manager, self.key = manager, item.key
        self.setObjectName("downloadRow")
        self.setProperty("role", "card")
        self.title = QLabel()
        self.title.setProperty("role", "section")
        self.repo = QLabel(item.repo_id)
        self.repo.setProperty("role", "muted")
        self.bar = QProgressBar()
        self.bar.setObjectName("downloadProgress")
        self.bar.setRange(0, 1000)
        self.bar.setTextVisible(False)
        self.status = QLabel()
        self.status.setObjectName("downloadStatus")
        self.status.setWordWrap(True)
        self.toggle = make_button("pauseResumeButton", None, self._toggle)
        self.cancel = make_button("cancelDownloadButton", None, lambda: manager.cancel(self.key))
        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addWidget(self.repo, 1)
        top.addWidget(self.toggle)
        top.addWidget(self.cancel)
        box = QVBoxLayout(self)
        box.setContentsMargins(12, 10, 12, 10)
        box.addLayout(top)
        box.addWidget(self.bar)
        box.addWidget(self.status)
        self.update_item(item)

    def update_item(self, item: DownloadItem) -> None:
        self.item = item
        self.title.setText(item.filename.rsplit("/", 1)[-1])
        self.bar.setValue(int(1000 * item.bytes_done / item.total_bytes) if item.total_bytes else 0)
        self.status.setText(status_text(item))
        self.status.setProperty("role", "meter-over" if item.state == FAILED else "muted")
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)
        self.toggle.setVisible(item.state != DONE)
        self.toggle.setEnabled(item.state in (DOWNLOADING, RETRYING, PAUSED, FAILED))
        self.toggle.setText(self.tr("Pause") if item.active else self.tr("Resume") if item.state == PAUSED
                            else self.tr("Try again"))
        self.cancel.setText(self.tr("Remove from list") if item.state == DONE else self.tr("Cancel"))

    def _toggle(self) -> None:
        if self.item.active:
            self.manager.pause(self.key)
        else:
            self.manager.resume(self.key)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.update_item(self.item)
        super().changeEvent(event)


class DownloadsPanel(Retranslating, QWidget):
    def __init__(self, manager: DownloadManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.manager = manager
        self.rows: dict[tuple[str, str], DownloadRow] = {}
        self.empty = QLabel()
        self.empty.setObjectName("downloadsEmpty")
        self.empty.setProperty("role", "muted")
        self.empty.setWordWrap(True)
        host = QWidget()
        self.list = QVBoxLayout(host)
        self.list.setContentsMargins(0, 0, 0, 0)
        self.list.setSpacing(8)
        self.list.addStretch(1)
        scroll = QScrollArea()
        scroll.setObjectName("downloadsList")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(host)
        box = QVBoxLayout(self)
        box.setContentsMargins(12, 12, 12, 12)
        box.addWidget(self.empty)
        box.addWidget(scroll, 1)
        manager.changed.connect(self._on_changed)
        manager.removed.connect(self._on_removed)
        for item in manager.items.values():
            self._on_changed(item)
        self.retranslate()

    def _on_changed(self, item: DownloadItem) -> None:
        row = self.rows.get(item.key)
        if row is None:
            row = self.rows[item.key] = DownloadRow(self.manager, item)
            self.list.insertWidget(0, row)
        else:
            row.update_item(item)
        self.empty.setVisible(not self.rows)

    def _on_removed(self, key) -> None:
        row = self.rows.pop(key, None)
        if row is not None:
            row.deleteLater()
        self.empty.setVisible(not self.rows)

    def retranslate(self) -> None:
        self.empty.setText(self.tr("No downloads. Pick a model in the Catalog or search Hugging Face; "
                                   "downloads keep going while you work on other pages, and a paused "
                                   "download resumes where it stopped, even after Shopscribe was closed."))
