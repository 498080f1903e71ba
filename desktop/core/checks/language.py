"""The language guard: how much of a text is written in the requested language's script.

Chinese is counted in Han characters, English in Latin letters; words that also appear in the
merchant's input (a brand name, a model name, "USB-C") and HTML tags do not count, so a Chinese
description of a "Warmhill" bottle is still all Chinese. Below the threshold in resources/facts/
guards.json the text is a `block` finding: the merchant asked for one language and got another.
"""

from __future__ import annotations

import re
from functools import lru_cache

from desktop.core.checks.facts.coverage import settings
from desktop.core.checks.findings import NO_FIX, Finding
from desktop.core.checks.textmatch import URL_RE, fold

CATEGORY = "language"
_TAG = re.compile(r"<[^>]{0,200}>")
_LATIN_WORD = re.compile(r"[a-z]+(?:['’-][a-z]+)*")
_CJK_RUN = re.compile("[\u3400-\u9fff\uf900-\ufaff]+")
_HASHTAG = re.compile(r"[#＃]\S+")
NAMES = {"zh": {"zh": "中文", "en": "Chinese"}, "en": {"zh": "英文", "en": "English"}}
MESSAGE = {
    "en": "Only {share}% of this text is in {lang}, the language you asked for. Generate it again, or "
        "rewrite it in {lang}.",
    "zh": "这段文字只有{share}%是{lang}，与要求的语言不符。请重新生成，或改写为{lang}。",
}


def _clean(text: str) -> str:
    text = _TAG.sub(" ", text)
    text = URL_RE.sub(" ", text)
    return _HASHTAG.sub(" ", text)


def script_counts(text: str, known: str = "") -> tuple[int, int]:
    """(Han characters, Latin letters) of `text`, leaving out words found in `known` (folded)."""
    folded = fold(_clean(text))
    known_words = _known_words(known)
    han = sum(len(run) for run in _CJK_RUN.findall(folded) if not (len(run) >= 2 and run in known))
    latin = sum(len(w) for w in _LATIN_WORD.findall(folded) if w not in known_words)
    return han, latin


@lru_cache(maxsize=32)
def _known_words(known: str) -> frozenset:
    return frozenset(_LATIN_WORD.findall(known))


def language_share(text: str, lang: str, known: str = "") -> tuple[float | None, int]:
    """(share of the text in `lang`'s script, letters counted); share None when too few letters count."""
    han, latin = script_counts(text, known)
    total = han + latin
    if total < int(settings()["language"]["min_letters"]):
        return None, total
    return (han if lang == "zh" else latin) / total, total


def language_findings(text: str, lang: str | None, known: str = "", ui_lang: str = "en") -> list[Finding]:
    """A block finding over the whole text when too little of it is in `lang` (zh or en)."""
    if lang not in NAMES or not text.strip():
        return []
    share, _ = language_share(text, lang, known)
    minimum = float(settings()["language"]["min_share"][lang])
    if share is None or share >= minimum:
        return []
    ui_lang = ui_lang if ui_lang in MESSAGE else "en"
    message = (
        MESSAGE[ui_lang].replace("{share}", str(round(share * 100))).replace("{lang}", NAMES[lang][ui_lang])
    )
    return [Finding(rule=f"language.{lang}", category=CATEGORY, severity="block", start=0, end=len(text),
                    text=text, message=message, suggestion=NO_FIX)]
