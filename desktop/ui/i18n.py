"""UI language: Qt translators for our strings and Qt's own (dialog buttons), switched live.

Installing a translator sends every widget a LanguageChange event; our widgets answer it with
`retranslate()`, so a switch takes effect at once, without a restart."""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from desktop.core.paths import resource

log = logging.getLogger(__name__)

LANGUAGES = ("zh_CN", "en")
_installed: list[QTranslator] = []
_current = "en"


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


def qm_path(lang: str):
    return resource("i18n", f"shopscribe_{lang}.qm")


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
