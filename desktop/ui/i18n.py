"""UI language: Qt translators for our strings and Qt's own (dialog buttons), switched live.

Installing a translator sends every widget a LanguageChange event; our widgets answer it with
`retranslate()`, so a switch takes effect at once, without a restart."""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QLibraryInfo, QLocale, QTranslator

from desktop.core.paths import data_home, resource

log = logging.getLogger(__name__)

LANGUAGES = ("zh_CN", "en")
_installed: list[QTranslator] = []
_current = "en"


class Retranslating:
    """Mixin for a widget with a `retranslate()` (list it before the Qt base class): a LanguageChange
    event calls it, so the widget's texts follow a live language switch."""

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


def system_language() -> str:
    """zh_CN for any Chinese system locale, else English."""
    for name in QLocale.system().uiLanguages() or [QLocale.system().name()]:
        if name.lower().replace("-", "_").startswith("zh"):
            return "zh_CN"
        if name.lower().startswith("en"):
            return "en"
    return "en"


def resolve_language(setting: str | None) -> str:
    return setting if setting in LANGUAGES else system_language()


def qm_path(lang: str) -> Path:
    """The compiled translation: the shipped .qm when it is up to date with its .ts; in a source
    checkout where `make` has not compiled it (or the .ts is newer), a fresh one compiled into the
    data folder's cache with pyside6-lrelease."""
    shipped = resource("i18n", f"shopscribe_{lang}.qm")
    source = shipped.with_suffix(".ts")
    if not source.exists() or (shipped.exists() and shipped.stat().st_mtime >= source.stat().st_mtime):
        return shipped
    lrelease = shutil.which("pyside6-lrelease", path=str(Path(sys.executable).parent)) or shutil.which(
        "pyside6-lrelease"
    )
    if lrelease is None:
        return shipped
    cached = data_home() / "cache" / "i18n" / shipped.name
    if cached.exists() and cached.stat().st_mtime >= source.stat().st_mtime:
        return cached
    cached.parent.mkdir(parents=True, exist_ok=True)
    try:
        subprocess.run([lrelease, "-silent", str(source), "-qm", str(cached)], check=True, timeout=60,
                       capture_output=True)
    except (OSError, subprocess.SubprocessError) as exc:
        log.warning("could not compile %s: %s", source.name, exc)
        return shipped
    return cached


def install_language(lang: str) -> str:
    """Replace the installed translators with `lang`'s; returns the language now in use."""
    global _current
    app = QCoreApplication.instance()
    lang = resolve_language(lang)
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    ours = QTranslator(app)
    if ours.load(str(qm_path(lang))):
        _installed.append(ours)
    elif lang != "en":
        log.warning("translation %s not found; run `make` to compile resources/i18n", qm_path(lang))
    qt_own = QTranslator(app)
    if qt_own.load(f"qtbase_{lang}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        _installed.append(qt_own)
    for translator in _installed:
        app.installTranslator(translator)
    QLocale.setDefault(QLocale(QLocale.Language.Chinese if lang == "zh_CN" else QLocale.Language.English))
    _current = lang
    return lang


def current_language() -> str:
    return _current


def content_language() -> str:
    """The language code the core uses (`zh` / `en`) for the current UI language."""
    return "zh" if _current == "zh_CN" else "en"
