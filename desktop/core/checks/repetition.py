"""Repetition: the share of word 3-grams (English) or character 4-grams (Chinese) that repeat an
earlier one. A small model loops ("keeps drinks cold, keeps drinks cold ..."); above the threshold
in resources/facts/guards.json the text gets a warning at the most repeated sequence."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from desktop.core.checks.facts.coverage import settings
from desktop.core.checks.findings import NO_FIX, Finding
from desktop.core.checks.textmatch import detect_lang, fold

CATEGORY = "repetition"
_TAG = re.compile(r"<[^>]{0,200}>")
_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
_CJK = re.compile("[\u3400-\u9fff\uf900-\ufaff]")
MESSAGE = {
    "en": '{share}% of the {n}-word sequences repeat; "{text}" appears {count} times. Rewrite the '
        'repeated parts.',
    "zh": "{share}%的{n}字片段是重复的，“{text}”出现了{count}次。请改写重复的部分。",
}


@dataclass(frozen=True)
class Repetition:
    share: float  # repeated n-grams over all n-grams
    ngrams: int
    n: int
    top: tuple[int, int] | None  # the span of the most repeated n-gram's second occurrence
    top_count: int = 0


def _units(text: str, lang: str) -> list[tuple[str, int, int]]:
    """Words (en) or Han characters (zh) with their spans; tags are blanked out, not removed, so spans
    still point into `text`."""
    folded = fold(_TAG.sub(lambda m: " " * len(m.group(0)), text))
    if lang == "zh":
        return [(m.group(0), m.start(), m.end()) for m in _CJK.finditer(folded)]
    return [(m.group(0), m.start(), m.end()) for m in _WORD.finditer(folded)]


def repetition(text: str, lang: str | None = None) -> Repetition:
    lang = lang if lang in ("zh", "en") else detect_lang(text)
    n = int(settings()["repetition"]["ngram"][lang])
    units = _units(text, lang)
    grams = [tuple(u[0] for u in units[i:i + n]) for i in range(len(units) - n + 1)]
    if not grams:
        return Repetition(0.0, 0, n, None)
    counts = Counter(grams)
    repeated = len(grams) - len(counts)
    gram, count = counts.most_common(1)[0]
    top = None
    if count > 1:
        second = [i for i, g in enumerate(grams) if g == gram][1]
        top = (units[second][1], units[second + n - 1][2])
    return Repetition(repeated / len(grams), len(grams), n, top, count)


def repetition_findings(text: str, lang: str | None = None, ui_lang: str = "en") -> list[Finding]:
    lang = lang if lang in ("zh", "en") else detect_lang(text)
    result = repetition(text, lang)
    limits = settings()["repetition"]
    if (
        result.ngrams < int(limits["min_ngrams"])
        or result.share <= float(limits["max_share"][lang])
        or not result.top
    ):
        return []
    ui_lang = ui_lang if ui_lang in MESSAGE else "en"
    start, end = result.top
    message = (
        MESSAGE[ui_lang]
        .replace("{share}", str(round(result.share * 100)))
        .replace("{n}", str(result.n))
        .replace("{text}", text[start:end])
        .replace("{count}", str(result.top_count))
    )
    return [Finding(rule=f"repetition.{lang}", category=CATEGORY, severity="warn", start=start, end=end,
                    text=text[start:end], message=message, suggestion=NO_FIX)]
