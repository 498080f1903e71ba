"""The window's pages, in sidebar order: the one list to add a page to.

A page is a module `desktop.ui.pages.<module>` with `create_page(ctx: AppContext) -> QWidget`. The
widget may also define:
  - `retranslate()`: called on a language change (or handle `changeEvent(LanguageChange)` itself);
  - `page_shown()`: called each time the page comes to the front;
  - `open_with(**payload)`: called by `ctx.navigate(key, **payload)` (e.g. History -> Compose re-run);
  - `can_close() -> bool`: asked before the window closes (unsaved edits).
Until a page's module exists, the window shows a placeholder that says so and points to what exists.
"""

from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import QWidget

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PageSpec:
    key: str
    title: str  # source text, translated in the "Pages" context
    icon: str  # resources/icons/<icon>.svg
    module: str
    missing: str = ""  # what the placeholder says while the module is absent
    fallback: str = "compose"  # the page the placeholder's button opens

    def translated_title(self) -> str:
        return QCoreApplication.translate("Pages", self.title)


PAGES: list[PageSpec] = [
    PageSpec("compose", QT_TRANSLATE_NOOP("Pages", "Compose"), "compose", "compose_page"),
    PageSpec(
        "batch", QT_TRANSLATE_NOOP("Pages", "Batch"), "batch", "batch_page",
        QT_TRANSLATE_NOOP(
            "Pages",
            "Writing a whole product catalog at once is not in the window yet. Meanwhile the command line "
            "does it: shopscribe batch products.csv --type product-description --out results.csv. "
            "In the window, write one product at a time on the Compose page.",
        ),
    ),
    PageSpec("history", QT_TRANSLATE_NOOP("Pages", "History"), "history", "history_page"),
    PageSpec(
        "templates", QT_TRANSLATE_NOOP("Pages", "Templates"), "templates", "templates_page",
        QT_TRANSLATE_NOOP(
            "Pages",
            "Editing templates in the window is not built yet. The built-in templates already work: pick a "
            "content type and platform on the Compose page; \"Show prompt\" there shows the prompt they build.",
        ),
    ),
    PageSpec(
        "brands", QT_TRANSLATE_NOOP("Pages", "Brands"), "brands", "brands_page",
        QT_TRANSLATE_NOOP(
            "Pages",
            "Managing brand profiles in the window is not built yet. Meanwhile use the command line: "
            "shopscribe brands add NAME. Saved brands appear in the Brand list on the Compose page.",
        ),
    ),
    PageSpec(
        "models", QT_TRANSLATE_NOOP("Pages", "Models"), "models", "models_page",
        QT_TRANSLATE_NOOP(
            "Pages",
            "Downloading and switching models in the window is not built yet. The embedded model works "
            "now; context length, threads and GPU layers are on the Settings page. To add a model, use "
            "shopscribe models import PATH.",
        ),
        fallback="settings",
    ),
    PageSpec("settings", QT_TRANSLATE_NOOP("Pages", "Settings"), "settings", "settings_page"),
]


def page_spec(key: str) -> PageSpec:
    for spec in PAGES:
        if spec.key == key:
            return spec
    raise KeyError(key)


def build_page(spec: PageSpec, ctx) -> QWidget:
    """The page's widget, or a placeholder when its module is not there yet."""
    name = f"desktop.ui.pages.{spec.module}"
    try:
        module = importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name != name:  # a real missing dependency inside the page: surface it
            raise
        from desktop.ui.pages.placeholder import PlaceholderPage

        return PlaceholderPage(spec, ctx)
    page = module.create_page(ctx)
    page.setObjectName(f"{spec.key}Page")
    return page
