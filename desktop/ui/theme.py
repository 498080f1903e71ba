"""Light and dark themes: Qt's Fusion style, a palette, and one style sheet filled with the theme's
colours. "System" follows the desktop's colour scheme and switches with it."""

from __future__ import annotations

from string import Template

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

from desktop.core.paths import resource

THEMES = ("system", "light", "dark")

COLOURS = {
    "light": {
        "window": "#f6f7f9", "base": "#ffffff", "alt": "#f9fafb", "sidebar": "#eef0f3", "button": "#ffffff",
        "text": "#1f2328", "muted": "#646b75", "border": "#d5d9df", "hover": "#e3e6ea",
        "accent": "#e4572e", "accent_hover": "#c94620", "accent_soft": "#fde6dd", "accent_text": "#a8391a",
        "danger": "#c62828", "danger_soft": "#fdecea", "ok": "#2e7d32", "underline": "#d32f2f",
    },
    "dark": {
        "window": "#1d1f23", "base": "#25282d", "alt": "#2a2d33", "sidebar": "#18191c", "button": "#2f3238",
        "text": "#e6e8eb", "muted": "#9aa1ab", "border": "#3a3e45", "hover": "#2e3137",
        "accent": "#ff7a4d", "accent_hover": "#ff9068", "accent_soft": "#4a2c22", "accent_text": "#ffb59a",
        "danger": "#ef6b6b", "danger_soft": "#3d2526", "ok": "#7bc67e", "underline": "#ff6b6b",
    },
}

_active = "light"


def system_scheme() -> str:
    hints = QGuiApplication.styleHints()
    scheme = hints.colorScheme() if hasattr(hints, "colorScheme") else Qt.ColorScheme.Unknown
    return "dark" if scheme == Qt.ColorScheme.Dark else "light"


def resolve_theme(setting: str | None) -> str:
    return setting if setting in ("light", "dark") else system_scheme()


def colour(name: str) -> QColor:
    """A colour of the active theme (widgets drawing by hand use it: meters, underlines)."""
    return QColor(COLOURS[_active][name])


def active_theme() -> str:
    return _active


def _palette(c: dict[str, str]) -> QPalette:
    pal = QPalette()
    role = QPalette.ColorRole
    for r, key in [
        (role.Window, "window"), (role.WindowText, "text"), (role.Base, "base"), (role.AlternateBase, "alt"),
        (role.Text, "text"), (role.Button, "button"), (role.ButtonText, "text"), (role.ToolTipBase, "base"),
        (role.ToolTipText, "text"), (role.Highlight, "accent"), (role.Link, "accent"),
        (role.PlaceholderText, "muted"), (role.Mid, "border"),
    ]:
        pal.setColor(r, QColor(c[key]))
    pal.setColor(role.HighlightedText, QColor("#ffffff"))
    pal.setColor(role.BrightText, QColor(c["danger"]))
    for r in (role.Text, role.WindowText, role.ButtonText):
        pal.setColor(QPalette.ColorGroup.Disabled, r, QColor(c["muted"]))
    return pal


def apply_theme(setting: str | None) -> str:
    """Apply `system`, `light` or `dark`; returns the theme in effect."""
    global _active
    app = QApplication.instance()
    _active = resolve_theme(setting)
    colours = COLOURS[_active]
    app.setStyle(QStyleFactory.create("Fusion"))
    app.setPalette(_palette(colours))
    sheet = resource("styles", "shopscribe.qss").read_text(encoding="utf-8")
    images = {
        f"chevron_{way}": resource("icons",
                                   f"chevron-{way}-{_active}.svg").as_posix() for way in ("down", "up")
    }
    app.setStyleSheet(Template(sheet).safe_substitute(colours, **images))
    return _active
