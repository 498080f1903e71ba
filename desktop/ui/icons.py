"""Icons from resources/icons: line icons drawn in the theme's text colour (their SVG uses
`currentColor`, which we substitute, so they stay readable on light and dark), and the app icon."""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QByteArray, QSize, Qt
from PySide6.QtGui import QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from desktop.core.paths import resource

SIZES = (16, 20, 24, 32, 48)


@lru_cache(maxsize=256)
def _icon(name: str, colour: str, filled: bool) -> QIcon:
    path = resource("icons", f"{name}.svg")
    svg = path.read_text(encoding="utf-8").replace("currentColor", colour)
    if filled:
        svg = svg.replace('fill="none"', f'fill="{colour}"', 1)
    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    icon = QIcon()
    for size in SIZES:
        for scale in (1, 2):
            pixmap = QPixmap(QSize(size * scale, size * scale))
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            renderer.render(painter)
            painter.end()
            pixmap.setDevicePixelRatio(scale)
            icon.addPixmap(pixmap)
    return icon


def icon(name: str, colour: str | None = None, *, filled: bool = False) -> QIcon:
    """A line icon in `colour` (default: the active theme's text colour)."""
    if colour is None:
        from desktop.ui.theme import COLOURS, active_theme

        colour = COLOURS[active_theme()]["text"]
    return _icon(name, colour, filled)


def app_icon() -> QIcon:
    return QIcon(str(resource("icons", "shopscribe.svg")))
