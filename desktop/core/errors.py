"""Errors a merchant can act on: each says what happened and what to do, in English and Chinese.

`ShopscribeError(en, zh)` carries both texts; `text(lang)` picks one (the window shows the UI's
language), `str()` gives "English / 中文" (the command line shows both). An error raised with one
string only is shown as it is in both languages.
"""

from __future__ import annotations

import re

# "English text / 中文": split at the " / " after which the text turns Chinese.
_SLASH = re.compile(r"\s/\s")
_CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


def _cjk_share(text: str) -> float:
    return sum(1 for c in text if _CJK.match(c)) / max(1, len(text))


def split_bilingual(text: str) -> tuple[str, str] | None:
    """("English", "中文") of a "English / 中文" message: the " / " after which the text turns Chinese
    (the Chinese half may start with a field name, the English one may quote a Chinese word)."""
    best, best_score = None, 0.2
    for match in _SLASH.finditer(text):
        left, right = text[: match.start()], text[match.end() :]
        score = _cjk_share(right) - _cjk_share(left)
        if score > best_score:
            best, best_score = (left.strip(), right.strip()), score
    return best


class ShopscribeError(Exception):
    """Base for every error the UI and CLI show as a one-line message (never a traceback)."""

    def __init__(self, en: str = "", zh: str | None = None) -> None:
        whole = en if zh is None else f"{en} / {zh}"
        if zh is None and (pair := split_bilingual(en)):
            en, zh = pair
        self.en = en
        self.zh = zh
        super().__init__(whole)

    def text(self, lang: str = "en") -> str:
        if lang == "zh" and self.zh:
            return self.zh
        return self.en

    def __reduce__(self):  # picklable across the engine host's pipe, subclasses included
        return (_rebuild, (type(self), self.en, self.zh, dict(self.__dict__)))


def _rebuild(cls, en, zh, state):
    error = cls.__new__(cls)
    ShopscribeError.__init__(error, en, zh)
    error.__dict__.update(state)
    return error


class ModelFileError(ShopscribeError):
    """A model file is missing, unreadable or not a usable GGUF."""


class PromptTooLongError(ShopscribeError):
    """The rendered prompt does not fit in the model's context."""


class TemplateError(ShopscribeError):
    """A template is malformed, unsafe, or a variable it needs is missing."""


class ImportFileError(ShopscribeError):
    """A product file cannot be read; nothing was imported."""


class OfflineError(ShopscribeError):
    """The network was needed but offline mode is on."""


class EngineError(ShopscribeError):
    """The engine could not do what was asked (it is still running)."""


class EngineCrashed(EngineError):
    """The engine host process died (a crash in llama.cpp, a kill, out of memory). The request that
    was running ends with this error; the next request starts a fresh host."""

    def __init__(self, en: str = "", zh: str | None = None, *, signal: int | None = None,
                 exit_code: int | None = None, phase: str = "") -> None:
        super().__init__(en, zh)
        self.signal = signal
        self.exit_code = exit_code
        self.phase = phase
