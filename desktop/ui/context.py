"""What every page is given: the engine worker, a bus of app-wide signals, how generations are sampled
when the window is driven by a program, and a few helpers.

Pages never import each other: they talk through the bus (`navigate`, `historyChanged`, ...), so a
page can be added or replaced on its own."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from desktop.ui.engine_worker import EngineWorker
from desktop.ui.errors import error_message


class AppBus(QObject):
    navigate = Signal(str, object)  # page key, payload dict handed to the page's open_with()
    historyChanged = Signal()  # a generation was saved, rated, edited or deleted
    languageChanged = Signal(str)  # zh_CN | en
    themeChanged = Signal(str)  # light | dark
    settingsChanged = Signal(str)  # a settings key (offline, model settings, ...)
    statusMessage = Signal(str, int)  # text, milliseconds


@dataclass(frozen=True)
class SamplingOverrides:
    """What a program driving the window fixes for every Compose generation: `shopscribe screenshots`
    keeps answers short and the same on every machine (a seed), the self-test keeps them short. None
    leaves the merchant's choice (the length they picked, a fresh seed)."""

    max_tokens: int | None = None
    seed: int | None = None


class AppContext:
    def __init__(self, engine: EngineWorker, bus: AppBus | None = None,
                 sampling: SamplingOverrides | None = None) -> None:
        self.engine = engine
        self.bus = bus or AppBus()
        self.sampling = sampling or SamplingOverrides()
        self.window: QWidget | None = None

    def navigate(self, page: str, **payload: Any) -> None:
        self.bus.navigate.emit(page, payload)

    def status(self, text: str, ms: int = 4000) -> None:
        self.bus.statusMessage.emit(text, ms)

    def show_error(self, title: str, error: BaseException | str,
                   parent: QWidget | None = None) -> QMessageBox:
        """A message the merchant can act on; window-modal but never blocks the event loop."""
        text = error if isinstance(error, str) else error_message(error)
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok,
                          parent or self.window)
        box.setObjectName("errorBox")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        return box
