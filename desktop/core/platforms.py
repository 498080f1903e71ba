"""Platform facts (names, markets, field counters and limits), read from `resources/platforms.json`
with the user's overrides (`platforms.json` in the data folder) merged on top."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from desktop.core.paths import data_home, resource


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


def _merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for key, value in over.items():
        out[key] = _merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


@lru_cache(maxsize=1)
def _load(override_path: Path | None) -> dict:
    data = json.loads(resource("platforms.json").read_text(encoding="utf-8"))["platforms"]
    if override_path is not None and override_path.exists():
        data = _merge(data, json.loads(override_path.read_text(encoding="utf-8")).get("platforms", {}))
    return data


def platforms() -> dict:
    """All platforms by identifier (`taobao`, `amazon`, ...)."""
    return _load(data_home() / "platforms.json")


def reload() -> None:
    _load.cache_clear()


def platform_ids() -> list[str]:
    return list(platforms())


def platform_name(platform: str, lang: str = "en") -> str:
    names = platforms()[platform]["name"]
    return names.get(lang) or names["en"]


def field_limit(platform: str, field: str) -> FieldLimit | None:
    spec = platforms().get(platform, {}).get("fields", {}).get(field)
    if spec is None:
        return None
    return FieldLimit(
        platform=platform, field=field, counter=spec["counter"], max=int(spec["max"]), label=spec.get("label", {}),
        min=spec.get("min"), recommended=spec.get("recommended"),
        count_min=spec.get("count_min"), count_max=spec.get("count_max"),
    )


def field_limits(platform: str) -> list[FieldLimit]:
    return [field_limit(platform, name) for name in platforms().get(platform, {}).get("fields", {})]
