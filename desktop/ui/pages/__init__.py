"""The window's pages, in sidebar order: the one list to add a page to.

A page is a module `desktop.ui.pages.<module>` with `create_page(ctx: AppContext) -> QWidget`. The
widget may also define:
  - `retranslate()`: called on a language change (or handle `changeEvent(LanguageChange)` itself);
  - `page_shown()`: called each time the page comes to the front;
  - `open_with(**payload)`: called by `ctx.navigate(key, **payload)` (e.g. History -> Compose re-run);
  - `can_close() -> bool`: asked before the window closes (unsaved edits);
  - `prepare_screenshot()`: called by `shopscribe screenshots` to show a representative state.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import QWidget


@dataclass(frozen=True)
class PageSpec:
    key: str
    title: str  # source text, translated in the "Pages" context
    icon: str  # resources/icons/<icon>.svg
    module: str

    def translated_title(self) -> str:
        return QCoreApplication.translate("Pages", self.title)


PAGES: list[PageSpec] = [
    PageSpec("compose", QT_TRANSLATE_NOOP("Pages", "Compose"), "compose", "compose_page"),
    PageSpec("batch", QT_TRANSLATE_NOOP("Pages", "Batch"), "batch", "batch_page"),
    PageSpec("history", QT_TRANSLATE_NOOP("Pages", "History"), "history", "history_page"),
    PageSpec("templates", QT_TRANSLATE_NOOP("Pages", "Templates"), "templates", "templates_page"),
    PageSpec("brands", QT_TRANSLATE_NOOP("Pages", "Brands"), "brands", "brands_page"),
    PageSpec("models", QT_TRANSLATE_NOOP("Pages", "Models"), "models", "models_page"),
    PageSpec("settings", QT_TRANSLATE_NOOP("Pages", "Settings"), "settings", "settings_page"),
]


def build_page(spec: PageSpec, ctx) -> QWidget:
    """The page's widget, named `<key>Page`."""
    module = importlib.import_module(f"desktop.ui.pages.{spec.module}")
    page = module.create_page(ctx)
    page.setObjectName(f"{spec.key}Page")
    return page
