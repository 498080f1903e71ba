"""Turning any error into one message a merchant can act on, in the UI language, never a traceback.

Our own errors carry their words (`exc.text(lang)`, or "English / 中文" in one string, as a failed
job's message does); a full disk
and a locked or damaged database get a plain explanation; anything else is named briefly with what
to do next (the details go to the log)."""

from __future__ import annotations

import errno
import sqlite3

from PySide6.QtCore import QCoreApplication

from desktop.core.errors import ShopscribeError, split_bilingual


def pick_language(text: str, lang: str) -> str:
    """"English … / 中文…" -> the part in `lang` (the whole text when it is not such a pair)."""
    pair = split_bilingual(text)
    if pair is None:
        return text
    return pair[1] if lang == "zh" else pair[0]


def _pick_each(text: str, lang: str) -> str:
    pieces = [split_bilingual(piece) for piece in text.split("; ")]
    if len(pieces) > 1 and all(pieces):
        return ("；" if lang == "zh" else "; ").join(p[1] if lang == "zh" else p[0] for p in pieces)
    return pick_language(text, lang)


def _tr(text: str) -> str:
    return QCoreApplication.translate("Errors", text)


def error_message(exc: BaseException | str, lang: str | None = None) -> str:
    """What the merchant reads, in the UI language. A string is a message already (a failed job's, or a
    batch item's reasons joined by "; "): the part in `lang` is picked from each of its pairs."""
    if lang is None:
        from desktop.ui.i18n import content_language

        lang = content_language()
    if isinstance(exc, str):
        return _pick_each(exc, lang)
    if isinstance(exc, ShopscribeError):
        return exc.text(lang)
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC or "disk is full" in str(exc).lower():
        return _tr("The disk is full, so nothing could be saved. Free some space on the disk that holds "
                   "the data folder, then try again.")
    if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc).lower():
        return _tr("The database is busy (another Shopscribe window may be writing). Wait a moment and try "
                   "again.")
    if isinstance(exc, sqlite3.DatabaseError):
        return _tr(
            "The database could not be read or written (%1). Close other Shopscribe windows; if it "
            "happens again, move shopscribe.db out of the data folder to start fresh."
        ).replace("%1", str(exc))
    if isinstance(exc, PermissionError):
        return _tr("Shopscribe may not write to %1. Choose another place or check the folder's permissions."
                   ).replace("%1", str(exc.filename or ""))
    return _tr("Something went wrong: %1. Try again; if it keeps happening, the log in the data folder "
               "has the details.").replace("%1", f"{type(exc).__name__}: {exc}")
