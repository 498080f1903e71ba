"""Content types, tones, audiences, length presets and the prompt rules: data read from
`resources/content/`. Platform facts (fields, counters, limits) come from `desktop.core.platforms`."""

from __future__ import annotations

import json
from functools import cache

from desktop.core.errors import ShopscribeError
from desktop.core.paths import resource

LANGS = ("zh", "en")


@cache
def _load(name: str) -> dict:
    return json.loads(resource("content", f"{name}.json").read_text(encoding="utf-8"))


def _by_id(name: str, key: str) -> dict[str, dict]:
    return {item["id"]: item for item in _load(name)[key]}


def content_types() -> dict[str, dict]:
    """By id: name {zh,en}, description, default_template, platforms."""
    return _by_id("content_types", "content_types")


def content_type_ids() -> list[str]:
    return list(content_types())


def tones() -> dict[str, dict]:
    return _by_id("tones", "tones")


def audiences() -> dict[str, dict]:
    return _by_id("audiences", "audiences")


def lengths() -> dict[str, dict]:
    return _by_id("lengths", "lengths")


def default_length() -> str:
    return _load("lengths")["default"]


def rules(lang: str) -> str:
    """The honesty and data-not-instructions rules every system prompt carries."""
    return _load("rules")["rules"][lang if lang in LANGS else "en"]


def json_instruction(lang: str) -> str:
    return _load("rules")["json"][lang if lang in LANGS else "en"]


def localized(names: dict, lang: str) -> str:
    return names.get(lang) or names.get("en") or next(iter(names.values()), "")


def check_content_type(content_type: str) -> None:
    if content_type not in content_types():
        raise ShopscribeError(
            f"Unknown content type {content_type!r}: use one of {', '.join(content_type_ids())}.",
            f"未知的内容类型 {content_type!r}。"
        )


def _instruction(table: dict[str, dict], kind_en: str, kind_zh: str, value: str | None, lang: str) -> str:
    """The preset's instruction; a value that is not a preset id is the merchant's own words."""
    if not value:
        return ""
    item = table.get(value)
    if item is not None:
        return localized(item["instruction"], lang)
    return f"{kind_zh}:{value}" if lang == "zh" else f"{kind_en}: {value}"


def tone_instruction(tone: str | None, lang: str) -> str:
    return _instruction(tones(), "Tone", "语气", tone, lang)


def audience_instruction(audience: str | None, lang: str) -> str:
    return _instruction(audiences(), "Audience", "目标人群", audience, lang)


def length_instruction(length: str | None, lang: str) -> str:
    if not length:
        return ""
    item = lengths().get(length)
    if item is None:
        raise ShopscribeError(f"Unknown length {length!r}: use short, medium or long.",
                              "未知篇幅,请用 short、medium 或 long。")
    return localized(item["instruction"], lang)
