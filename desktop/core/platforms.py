"""Platform facts (names, markets, field counters and limits), read once from `resources/platforms.json`
with the user's overrides (`platforms.json` in the data folder) merged on top, into frozen dataclasses.

The file is validated as it loads: a malformed fact fails there, naming the file it came from (the
override when the built-in file alone is valid), never later as a KeyError in a caller.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from desktop.core.errors import ShopscribeError
from desktop.core.paths import data_home, resource

LANGS = ("zh", "en", "any")  # a platform's market language; "any": it serves both (email, blog)
_LIMIT_KEYS = ("min", "recommended", "count_min", "count_max")


class PlatformFactsError(ShopscribeError):
    """platforms.json (built in, or the user's override) is not usable."""


@dataclass(frozen=True)
class FieldLimit:
    platform: str
    field: str
    counter: str
    max: int
    label: dict
    min: int | None = None
    recommended: int | None = None
    count_min: int | None = None
    count_max: int | None = None

    def name(self, lang: str) -> str:
        return self.label.get(lang) or self.label.get("en") or self.field


@dataclass(frozen=True)
class Platform:
    id: str
    name: dict  # {"en": ..., "zh": ...}
    market: str  # "cn", "us", "any"
    lang: str  # one of LANGS
    fields: dict  # field name -> FieldLimit, in the file's order

    def label(self, lang: str = "en") -> str:
        return self.name.get(lang) or self.name["en"]

    @property
    def market_lang(self) -> str | None:
        """zh or en, or None when the platform serves both."""
        return None if self.lang == "any" else self.lang


def _merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for key, value in over.items():
        out[key] = (
            _merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
        )
    return out


def _read(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PlatformFactsError(f"{path} cannot be read as JSON: {exc}.",
                                 f"{path} 不是可读的 JSON:{exc}。") \
            from exc
    if not isinstance(data, dict) or not isinstance(data.get("platforms", {}), dict):
        raise PlatformFactsError(f"{path}: 'platforms' must be an object.",
                                 f"{path}:'platforms' 必须是对象。")
    return data.get("platforms", {})


def _whole(value: object, least: int = 0) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= least


def _field(pid: str, name: str, spec: object) -> FieldLimit:
    where = f"{pid}.fields.{name}"
    if not isinstance(spec, dict):
        raise ValueError(f"{where} must be an object")
    if not isinstance(spec.get("counter"), str) or not spec["counter"]:
        raise ValueError(f"{where}.counter must be a counter's name")
    if not _whole(spec.get("max"), 1):
        raise ValueError(f"{where}.max must be a whole number above 0")
    for key in _LIMIT_KEYS:
        if spec.get(key) is not None and not _whole(spec[key]):
            raise ValueError(f"{where}.{key} must be a whole number")
    if spec.get("count_min") is not None and spec.get("count_max") is not None \
            and spec["count_min"] > spec["count_max"]:
        raise ValueError(f"{where}.count_min is above its count_max")
    label = spec.get("label", {})
    if not isinstance(label, dict) or not all(isinstance(v, str) for v in label.values()):
        raise ValueError(f"{where}.label must map languages to text")
    return FieldLimit(platform=pid, field=name, counter=spec["counter"], max=spec["max"], label=dict(label),
                      **{key: spec.get(key) for key in _LIMIT_KEYS})


def _platform(pid: str, spec: object) -> Platform:
    if not isinstance(spec, dict):
        raise ValueError(f"{pid} must be an object")
    name = spec.get("name")
    if not isinstance(name, dict) or not isinstance(name.get("en"), str) or \
            not all(isinstance(v, str) for v in name.values()):
        raise ValueError(f"{pid}.name must map languages to text, English included")
    if spec.get("lang") not in LANGS:
        raise ValueError(f"{pid}.lang must be one of {', '.join(LANGS)}")
    if not isinstance(spec.get("market"), str):
        raise ValueError(f"{pid}.market must be text")
    fields = spec.get("fields", {})
    if not isinstance(fields, dict):
        raise ValueError(f"{pid}.fields must be an object")
    return Platform(id=pid, name=dict(name), market=spec["market"], lang=spec["lang"],
                    fields={fname: _field(pid, fname, fspec) for fname, fspec in fields.items()})


def parse(raw: dict, source: Path) -> dict[str, Platform]:
    """Typed platforms from the file's "platforms" object; `source` is named in any error."""
    try:
        return {pid: _platform(pid, spec) for pid, spec in raw.items()}
    except ValueError as exc:
        raise PlatformFactsError(f"{source}: {exc}. Correct or remove the file.",
                                 f"{source}:{exc}。请修正或删除该文件。") \
            from exc


@lru_cache(maxsize=1)
def _load(override_path: Path | None) -> dict[str, Platform]:
    builtin_path = resource("platforms.json")
    data = _read(builtin_path)
    parsed = parse(data, builtin_path)
    if override_path is not None and override_path.exists():
        parsed = parse(_merge(data, _read(override_path)), override_path)  # the built-in file was valid
    return parsed


def platforms() -> dict[str, Platform]:
    """All platforms by identifier (`taobao`, `amazon`, ...)."""
    return _load(data_home() / "platforms.json")


def reload() -> None:
    _load.cache_clear()


def get(platform: str | None) -> Platform | None:
    return platforms().get(platform or "")


def platform_ids() -> list[str]:
    return list(platforms())


def platform_name(platform: str, lang: str = "en") -> str:
    return platforms()[platform].label(lang)


def field_limit(platform: str | None, field: str) -> FieldLimit | None:
    found = get(platform)
    return found.fields.get(field) if found is not None else None


def field_limits(platform: str | None) -> list[FieldLimit]:
    found = get(platform)
    return list(found.fields.values()) if found is not None else []
