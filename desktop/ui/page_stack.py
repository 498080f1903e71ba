"""The window's pages, each built the first time it is shown.

Building all seven pages before the first paint cost about two seconds of the start (mostly Qt laying
out and polishing a few hundred widgets under the style sheet). Until a page is asked for, an empty
placeholder holds its place in the stack, so the sidebar row and the stack index still agree.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from PySide6.QtWidgets import QStackedWidget, QWidget

from desktop.ui.pages import PageSpec, build_page


class LazyPages(Mapping[str, QWidget]):
    """Pages by key: `pages[key]` builds the page on first use; iterating lists every key, built or
    not; `built()` only the pages that exist (closing asks only those about unsaved edits)."""

    def __init__(self, specs: list[PageSpec], ctx, stack: QStackedWidget) -> None:
        self._specs = {spec.key: spec for spec in specs}
        self._ctx = ctx
        self._stack = stack
        self._built: dict[str, QWidget] = {}
        self._placeholders: dict[str, QWidget] = {}
        for spec in specs:
            placeholder = QWidget()
            placeholder.setObjectName(f"{spec.key}PagePending")
            stack.addWidget(placeholder)
            self._placeholders[spec.key] = placeholder

    def __getitem__(self, key: str) -> QWidget:
        page = self._built.get(key)
        if page is None:
            spec = self._specs[key]
            page = build_page(spec, self._ctx)
            placeholder = self._placeholders.pop(key)
            index = self._stack.indexOf(placeholder)
            self._stack.insertWidget(index, page)
            self._stack.removeWidget(placeholder)
            placeholder.deleteLater()
            self._built[key] = page
        return page

    def __iter__(self) -> Iterator[str]:
        return iter(self._specs)

    def __len__(self) -> int:
        return len(self._specs)

    def is_built(self, key: str) -> bool:
        return key in self._built

    def built(self) -> list[QWidget]:
        return list(self._built.values())
