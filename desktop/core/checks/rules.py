"""Check rules, all of them data: `resources/rules/*.json`, plus the user's own files in the data
folder's `rules/` (a rule with the same id replaces the shipped one; `"disabled": true` turns it off).

A rule file holds `{"version": 1, "defaults": {...}, "rules": [...]}`; `defaults` (applies_to,
exemptions, exempt_patterns) are merged into every rule of the file. A rule:

- `id`, `category`, `severity` (block / warn / info), `message` {zh, en} (`{term}` = the matched text);
- `source`: the law, regulation or platform policy the rule comes from (every shipped rule names one);
- `kind`: `terms` (default: `terms` literal phrases and/or `patterns` regexes, on folded text),
  `word_repeat` (a title word used more than `max_repeats` times), or `required` (`phrase` must
  appear; the finding is an empty span at `position` start/end, its suggestion the phrase to insert);
- `applies_to`: `langs`, `platforms`, `fields`, `categories` (only these product categories),
  `exclude_categories`; a missing key means "any";
- `suggestion` {zh, en}: the replacement in the checked text's language, or "remove";
  `replacements` {term: replacement} for a better word per term;
- `exemptions` (phrases) and `exempt_patterns` (regexes): a match inside one is not a finding;
- `confirmable`: a claim id; the rule is skipped when the brand lists it in `confirmed_claims`.

Patterns run on folded text (NFKC per character, lower case): write them in lower case. The token
`<EMOJI>` in a pattern stands for one emoji sequence, `<URL>` for one URL.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from desktop.core.checks.textmatch import EMOJI_PATTERN, URL_PATTERN, alternation, fold_term
from desktop.core.errors import ShopscribeError
from desktop.core.paths import data_home, resource

SEVERITIES = ("block", "warn", "info")
KINDS = ("terms", "word_repeat", "required")
CATEGORIES_FILE = "product_categories.json"


class RuleFileError(ShopscribeError):
    """A rule file cannot be read or holds a malformed rule."""


def _expand(pattern: str) -> str:
    return pattern.replace("<EMOJI>", EMOJI_PATTERN).replace("<URL>", URL_PATTERN)


def _compile(terms: list[str], patterns: list[str], where: str) -> re.Pattern | None:
    parts = [alternation(terms)] if terms else []
    parts += [f"(?:{_expand(p)})" for p in patterns]
    if not parts:
        return None
    try:
        return re.compile("|".join(parts))
    except re.error as exc:
        raise RuleFileError(
            f"A pattern in {where} is not a valid regular expression ({exc}). Fix or remove it."
        ) from exc


def _set(value) -> frozenset | None:
    return frozenset(value) if value else None


@dataclass(frozen=True, eq=False)
class Rule:
    id: str
    category: str
    severity: str
    message: dict
    kind: str = "terms"
    regex: re.Pattern | None = None
    exempt: re.Pattern | None = None
    suggestion: dict = field(default_factory=dict)
    replacements: dict = field(default_factory=dict)
    langs: frozenset | None = None
    platforms: frozenset | None = None
    fields: frozenset | None = None
    categories: frozenset | None = None
    exclude_categories: frozenset | None = None
    confirmable: str | None = None
    params: dict = field(default_factory=dict)
    source: str = ""

    def applies(
        self, platform: str | None, field_name: str | None, lang: str | None, category: str | None
    ) -> bool:
        if self.langs is not None and lang is not None and lang not in self.langs:
            return False
        if self.platforms is not None and platform not in self.platforms:
            return False
        if self.fields is not None and field_name not in self.fields:
            return False
        if self.categories is not None and category not in self.categories:
            return False
        return not (self.exclude_categories is not None and category in self.exclude_categories)

    def message_for(self, ui_lang: str, term: str) -> str:
        text = self.message.get(ui_lang) or self.message.get("en") or next(iter(self.message.values()))
        return text.replace("{term}", term)

    def suggestion_for(self, text_lang: str, matched_folded: str) -> str:
        if matched_folded in self.replacements:
            return self.replacements[matched_folded]
        return self.suggestion.get(text_lang) or self.suggestion.get("en") or "remove"


def _build_rule(raw: dict, defaults: dict, where: str) -> Rule:
    merged_applies = {**defaults.get("applies_to", {}), **raw.get("applies_to", {})}
    try:
        rule_id = raw["id"]
        kind = raw.get("kind", "terms")
        severity = raw["severity"]
        if severity not in SEVERITIES or kind not in KINDS:
            raise ValueError(f"severity {severity!r} / kind {kind!r}")
        exemptions = list(defaults.get("exemptions", [])) + list(raw.get("exemptions", []))
        exempt_patterns = list(defaults.get("exempt_patterns", [])) + list(raw.get("exempt_patterns", []))
        regex = _compile(raw.get("terms", []), raw.get("patterns", []), f"{where} rule {rule_id}")
        if kind == "terms" and regex is None:
            raise ValueError("a terms rule needs terms or patterns")
        if kind == "required" and not raw.get("phrase"):
            raise ValueError("a required rule needs a phrase")
        suggestion = raw.get("suggestion", raw.get("phrase") if kind == "required" else "remove")
        if isinstance(suggestion, str):
            suggestion = {"zh": suggestion, "en": suggestion}
        return Rule(
            id=rule_id,
            category=raw["category"],
            severity=severity,
            message=raw["message"],
            kind=kind,
            regex=regex,
            exempt=_compile(exemptions, exempt_patterns, f"{where} rule {rule_id} exemptions"),
            suggestion=suggestion,
            replacements={fold_term(k): v for k, v in raw.get("replacements", {}).items()},
            langs=_set(merged_applies.get("langs")),
            platforms=_set(merged_applies.get("platforms")),
            fields=_set(merged_applies.get("fields")),
            categories=_set(merged_applies.get("categories")),
            exclude_categories=_set(merged_applies.get("exclude_categories")),
            confirmable=raw.get("confirmable"),
            params={k: raw[k] for k in ("max_repeats", "ignore_words", "phrase", "position") if k in raw},
            source=str(raw.get("source") or ""),
        )
    except (KeyError, ValueError, TypeError, AttributeError) as exc:
        raise RuleFileError(
            f"The rule {raw.get('id', '?')} in {where} is malformed ({exc}). Fix the file or remove the rule."
        ) from exc


def _read_rule_files(folder: Path) -> list[tuple[dict, dict, str]]:
    out = []
    if not folder.is_dir():
        return out
    for path in sorted(folder.glob("*.json")):
        if path.name == CATEGORIES_FILE:
            continue
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise RuleFileError(f"Cannot read the rule file {path.name}: {exc}. Fix or remove it.") from exc
        for raw in data.get("rules", []):
            out.append((raw, data.get("defaults", {}), path.name))
    return out


@lru_cache(maxsize=8)
def _load(user_folder: Path) -> tuple[Rule, ...]:
    by_id: dict[str, tuple[dict, dict, str]] = {}
    for raw, defaults, where in _read_rule_files(resource("rules")) + _read_rule_files(user_folder):
        by_id[raw.get("id", f"{where}#{len(by_id)}")] = (raw, defaults, where)
    return tuple(_build_rule(raw, d, w) for raw, d, w in by_id.values() if not raw.get("disabled"))


@lru_cache(maxsize=8)
def _user_folder(home_env: str | None) -> Path:
    return data_home() / "rules"


def load_rules() -> tuple[Rule, ...]:
    """Every active rule (shipped, then the user's), compiled once and cached."""
    # Keyed on SHOPSCRIBE_HOME so a keystroke re-check does not ask the OS for the data folder.
    return _load(_user_folder(os.environ.get("SHOPSCRIBE_HOME")))


def reload() -> None:
    """Forget the cached rules (after the user edits a rule file)."""
    _load.cache_clear()
    _select.cache_clear()
    _user_folder.cache_clear()


@lru_cache(maxsize=256)
def _select(rules: tuple[Rule, ...], platform, field_name, lang, category) -> tuple[Rule, ...]:
    return tuple(r for r in rules if r.applies(platform, field_name, lang, category))


def select_rules(
    platform: str | None = None,
    field_name: str | None = None,
    lang: str | None = None,
    category: str | None = None,
) -> tuple[Rule, ...]:
    """The rules that apply to one check, cached per combination so a keystroke re-check is cheap."""
    return _select(load_rules(), platform, field_name, lang, category)


@lru_cache(maxsize=1)
def _categories() -> dict:
    return json.loads(resource("rules", CATEGORIES_FILE).read_text(encoding="utf-8"))["categories"]


def product_categories() -> dict[str, dict]:
    """Product category ids (`cosmetics`, `health-food` ...) with their zh/en names."""
    return _categories()
