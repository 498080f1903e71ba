"""The Templates page's list and its store calls: built-ins and the merchant's own, hidden ones greyed."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QTableWidget

from desktop.ui.theme import colour
from desktop.ui.widgets.kit import text_item
from desktop.ui.widgets.template_editor import _loc


def list_all(db) -> list:
    """Every template, hidden ones included (store thread)."""
    from desktop.core.store.templates import TemplateLibrary

    return TemplateLibrary(db).list(include_hidden=True)


def save_template(db, data: dict, new: bool):
    """Save the editor's data as the merchant's template; a new one gets a free id from its name."""
    from desktop.core.content.templates import template_from_dict
    from desktop.core.store import templates as store

    if new:
        name = data.get("name", {})
        data = dict(data, id=store.free_id(db, name.get("en") or name.get("zh") or "my-template"))
    return store.save_user_template(db, template_from_dict(data))


def fill_template_table(table: QTableWidget, templates: list, lang: str) -> None:
    """One row per template: its name (platform, id and description in the tooltip) and its source."""
    from desktop.core import platforms

    facts = platforms.platforms()
    table.blockSignals(True)
    table.setRowCount(len(templates))
    for r, template in enumerate(templates):
        description = _loc(template.description, lang)
        name = text_item(template.label(lang), template.id)
        where = (_loc(facts[template.platform].name, lang) if template.platform in facts
                 else QCoreApplication.translate("TemplateList", "Any platform"))
        name.setToolTip(f"{where} · {template.id}\n{description}".strip())
        source = (QCoreApplication.translate("TemplateList", "Built-in") if template.builtin
                  else QCoreApplication.translate("TemplateList", "Yours"))
        if template.hidden:
            source += QCoreApplication.translate("TemplateList", " · hidden")
        kind = text_item(source)
        if template.hidden:
            for item in (name, kind):
                item.setForeground(colour("muted"))
        table.setItem(r, 0, name)
        table.setItem(r, 1, kind)
    table.setHorizontalHeaderLabels([QCoreApplication.translate("TemplateList", "Template"),
                                     QCoreApplication.translate("TemplateList", "Source")])
    table.blockSignals(False)
