"""The merchant's own rules: a brand's banned words, must-use phrases and declared trademarks, and
SEO keyword coverage. A brand is a plain dict (as stored): `banned_words` (a list, or a dict
{word: replacement}), `must_use`, `trademarks`, and optionally `confirmed_claims` (e.g.
["made_in_usa"]). Values may also be JSON text or one item per line, as they come from the store."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache

from desktop.core.checks.findings import REMOVE, Finding
from desktop.core.checks.textmatch import alternation, fold_term, iter_matches

MESSAGES = {
    "banned": {"zh": "“{term}”在品牌禁用词列表中。", "en": '"{term}" is on the brand\'s banned-word list.'},
    "must_use": {"zh": "缺少品牌必用语“{term}”。", "en": 'The brand\'s must-use phrase "{term}" is missing.'},
    "keyword": {"zh": "未覆盖SEO关键词“{term}”。", "en": 'The SEO keyword "{term}" does not appear.'},
}


def _as_list(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        stripped = value.strip()
        if not stripped:
            return []
        try:
            value = json.loads(stripped)
        except ValueError:
            return [line.strip() for line in re.split(r"[\n,，;；]", stripped) if line.strip()]
        if isinstance(value, str):
            return [value]
    if isinstance(value, dict):
        return [str(k) for k in value]
    return [str(v).strip() for v in value if str(v).strip()]


def _as_replacements(value) -> dict[str, str]:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return {}
    return {fold_term(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}


@dataclass(frozen=True)
class BrandRules:
    banned: tuple[str, ...] = ()
    replacements: tuple[tuple[str, str], ...] = ()
    must_use: tuple[str, ...] = ()
    trademarks: tuple[str, ...] = ()
    confirmed: frozenset = frozenset()

    @classmethod
    def from_dict(cls, brand: dict | None) -> BrandRules:
        if not brand:
            return cls()
        return cls(
            banned=tuple(_as_list(brand.get("banned_words"))),
            replacements=tuple(_as_replacements(brand.get("banned_words")).items()),
            must_use=tuple(_as_list(brand.get("must_use"))),
            trademarks=tuple(_as_list(brand.get("trademarks"))),
            confirmed=frozenset(_as_list(brand.get("confirmed_claims"))),
        )


@lru_cache(maxsize=64)
def _regex(terms: tuple[str, ...]) -> re.Pattern | None:
    return re.compile(alternation(list(terms))) if terms else None


def trademark_spans(brand: BrandRules, folded: str) -> list[tuple[int, int]]:
    """Where the merchant's declared trademarks occur: rule matches inside them are not findings."""
    regex = _regex(brand.trademarks)
    return [m.span() for m in iter_matches(regex, folded)] if regex else []


def banned_findings(brand: BrandRules, text: str, folded: str, ui_lang: str) -> list[Finding]:
    regex = _regex(brand.banned)
    if regex is None:
        return []
    replacements = dict(brand.replacements)
    out = []
    for m in iter_matches(regex, folded):
        term = text[m.start() : m.end()]
        out.append(
            Finding(
                rule="brand.banned",
                category="brand",
                severity="block",
                start=m.start(),
                end=m.end(),
                text=term,
                message=MESSAGES["banned"][ui_lang].replace("{term}", term),
                suggestion=replacements.get(m.group(0), REMOVE),
            )
        )
    return out


def coverage_findings(phrases: list[str], folded: str, kind: str, ui_lang: str) -> list[Finding]:
    """An info finding at the start of the text for each phrase that does not appear; applying it
    puts the phrase in front (where titles and search engines weigh words most)."""
    rule, category = ("brand.must-use", "brand") if kind == "must_use" else ("seo.keyword-missing", "seo")
    out = []
    for phrase in phrases:
        regex = _regex((phrase,))
        if regex is not None and next(iter_matches(regex, folded), None) is None:
            out.append(
                Finding(
                    rule=rule,
                    category=category,
                    severity="info",
                    start=0,
                    end=0,
                    text="",
                    message=MESSAGES[kind][ui_lang].replace("{term}", phrase),
                    suggestion=phrase + " ",
                )
            )
    return out
