"""The language of the copy, decided in one place for Compose, the batch and the command line.

In order: the language asked for (--lang, the window's choice); else the platform's market language
(Taobao writes Chinese, Amazon English); else the language of the merchant's own input (English
fields give English copy); else Chinese, the default market.
"""

from __future__ import annotations

from collections.abc import Iterable

from desktop.core import platforms as platform_facts
from desktop.core.checks.textmatch import detect_lang
from desktop.core.errors import ShopscribeError

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"


class LanguageError(ShopscribeError):
    """A language other than zh or en was asked for."""


def platform_lang(platform: str | None) -> str | None:
    """The platform's market language, or None when it serves both (email, blog) or is unknown."""
    found = platform_facts.get(platform)
    return found.market_lang if found is not None else None


def input_lang(texts: Iterable[object]) -> str | None:
    """The language of the merchant's input, or None when it holds no letters at all."""
    joined = "\n".join(str(t) for t in texts if t is not None and str(t).strip())
    if not any(ch.isalpha() for ch in joined):
        return None
    return detect_lang(joined)


def resolve_lang(lang: str | None, platform: str | None, texts: Iterable[object] = ()) -> str:
    """zh or en for this request (see the module's docstring); an unknown `lang` is an error."""
    if lang:
        if lang not in LANGS:
            raise LanguageError(f"Unknown language {lang!r}: use zh or en.",
                                f"未知语言 {lang!r},请用 zh 或 en。")
        return lang
    return platform_lang(platform) or input_lang(texts) or DEFAULT_LANG
