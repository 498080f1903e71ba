"""The fact guard's vocabulary, read once from resources/facts (units.json, claims.json): units with
their dimension and conversion, currencies, and the words that make a number a price, a rating, a
review or sales figure or a count, and the certifications, awards, origins, marketplaces and brands a
text can claim. Everything here is data; this module only compiles it into regexes."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache

from desktop.core.checks.textmatch import fold_term, term_pattern
from desktop.core.paths import resource

_LATIN = re.compile(r"[a-z]")


@dataclass(frozen=True)
class Unit:
    dim: str
    factor: float
    system: str
    offset: float = 0.0
    alt: tuple[tuple[str, float], ...] = ()

    def base(self, value: float) -> float:
        return (value + self.offset) * self.factor


@dataclass(frozen=True)
class TermSet:
    """Literal terms (and optional regexes) of one key: a certification, an award, a brand ..."""

    key: str
    regex: re.Pattern
    upper: frozenset = frozenset()  # terms that count only when written in capitals (CE, UL)
    exempt: re.Pattern | None = None


def _load(name: str) -> dict:
    return json.loads(resource("facts", name).read_text(encoding="utf-8"))


def _alternation(words, *, edge: bool = True, lead: bool = True) -> str:
    """Longest first, Latin words bounded like the rule terms (a term never starts or ends inside a
    Latin word). `edge=False` leaves the end open (the caller refuses a unit glued to the next word);
    `lead=False` for words read right after a number ("500ml"), where a digit may touch them."""
    unique = sorted({fold_term(w) for w in words if w}, key=lambda w: (-len(w), w))
    parts = []
    for word in unique:
        pattern = term_pattern(word) if edge else re.escape(word)
        if lead and _LATIN.match(word[:1]):
            pattern = f"(?<![a-z0-9]){pattern}"
        parts.append(pattern)
    return "|".join(parts)


@dataclass(frozen=True)
class Vocabulary:
    units: dict[str, Unit]  # folded alias -> unit
    unit_regex: re.Pattern  # an alias at a position (match, not search)
    exact_case: frozenset  # aliases that must be written exactly so
    not_before: dict[str, tuple[str, ...]]
    dim_labels: dict[str, dict]
    currency_prefix: dict[str, str]
    currency_suffix: dict[str, str]
    currency_matches: dict[str, frozenset]
    prefix_regex: re.Pattern  # a currency sign or code right before a number
    suffix_currency_regex: re.Pattern
    price_label_regex: re.Pattern  # a price label shortly before a number ("Price: ", "售价")
    percent_regex: re.Pattern
    percent_prefix: tuple[str, ...]
    discount_suffix: tuple[str, ...]
    off_regex: re.Pattern
    rating_suffix_regex: re.Pattern
    rating_prefix_regex: re.Pattern
    out_of_regex: re.Pattern
    score_suffix: tuple[str, ...]
    review_suffix_regex: re.Pattern
    customer_suffix_regex: re.Pattern
    sales_suffix_regex: re.Pattern
    sales_prefix_regex: re.Pattern
    product_count_regex: re.Pattern
    generic_count_regex: re.Pattern
    certifications: tuple[TermSet, ...]
    awards: tuple[TermSet, ...]
    place_regex: re.Pattern  # a known place name
    origin_before: re.Pattern  # what before a place name claims an origin ("made in ", 产自), at the end
    origin_after: re.Pattern  # what after a place name claims an origin (制造, -made), at the start
    origin_standalone: tuple[TermSet, ...]
    origin_free: tuple[re.Pattern, ...]  # case-sensitive, on the original text; group 1 is the place
    places: dict[str, str]  # folded alias -> place id
    review_claims: tuple[TermSet, ...]  # keys: review, sales
    marketplaces: tuple[TermSet, ...]
    socials: tuple[TermSet, ...]
    platform_same_as: dict[str, frozenset]
    brands: TermSet
    skip_regex: re.Pattern
    zh_idiom_regex: re.Pattern
    stopwords: frozenset


def _term_sets(entries: list[dict]) -> tuple[TermSet, ...]:
    """Term regexes without a leading lookbehind (which costs the regex engine its fast scan): the
    caller refuses a match that starts inside a Latin word (textmatch.iter_matches)."""
    out = []
    for entry in entries:
        parts = [_alternation(entry.get("terms", []), lead=False)] if entry.get("terms") else []
        parts += [f"(?:{p})" for p in entry.get("patterns", [])]
        exempt = entry.get("exempt")
        out.append(TermSet(
            key=entry["key"], regex=re.compile("|".join(parts)),
            upper=frozenset(fold_term(t) for t in entry.get("upper", [])),
            exempt=re.compile(_alternation(exempt)) if exempt else None,
        ))
    return tuple(out)


def _keyed(table: dict) -> tuple[TermSet, ...]:
    return _term_sets([{"key": k, "terms": v} for k, v in table.items() if not k.startswith("_") and v])


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    units_data, claims = _load("units.json"), _load("claims.json")
    units: dict[str, Unit] = {}
    exact: set[str] = set()
    for raw in units_data["units"]:
        unit = Unit(raw["dim"], float(raw["factor"]), raw["system"], float(raw.get("offset", 0.0)),
                    tuple((a["dim"], float(a["factor"])) for a in raw.get("alt", [])))
        for alias in raw["aliases"]:
            units[fold_term(alias)] = unit
        exact.update(raw.get("exact_case", []))
    currencies = claims["currencies"]
    prefix = {fold_term(p): c["id"] for c in currencies for p in c["prefix"]}
    suffix = {fold_term(s): c["id"] for c in currencies for s in c["suffix"]}
    matches = {c["id"]: frozenset([c["id"], *c.get("matches", [])]) for c in currencies}
    for cid, group in list(matches.items()):  # symmetric: a ¥ price matches a 元 price and back
        for other in group:
            matches[other] = matches.get(other, frozenset([other])) | {cid}
    percent, rating, reviews, counts = (
        claims["percent"],
        claims["rating"],
        claims["reviews"],
        claims["counts"],
    )
    origins = claims["origins"]
    places = {fold_term(alias): pid for pid, aliases in origins["places"].items() for alias in aliases}
    platforms = claims["platforms"]
    brands = claims["brands"]
    skip = claims["skip"]
    return Vocabulary(
        units=units,
        unit_regex=re.compile(_alternation(units, edge=False, lead=False)),
        exact_case=frozenset(exact),
        not_before={
            k: tuple(v) for k, v in units_data.get("not_before", {}).items() if not k.startswith("_")
        },
        dim_labels={k: v["label"] for k, v in units_data["dimensions"].items()},
        currency_prefix=prefix,
        currency_suffix=suffix,
        currency_matches=matches,
        prefix_regex=re.compile(
            f"(?:{'|'.join(re.escape(p) for p in sorted(prefix, key=len, reverse=True))})\\s?$"
        ),
        suffix_currency_regex=re.compile(_alternation(suffix, lead=False)),
        price_label_regex=re.compile(
            f"(?:{_alternation(claims['price_labels'])})\\s*(?:[:：=]|is|of|为|是)?\\s*$"
        ),
        percent_regex=re.compile(_alternation(percent["suffix"], lead=False)),
        percent_prefix=tuple(percent["prefix"]),
        discount_suffix=tuple(percent["discount_suffix"]),
        off_regex=re.compile(f"\\s?(?:{_alternation(percent['off'], lead=False)})"),
        rating_suffix_regex=re.compile(f"[\\s-]?(?:{_alternation(rating['suffix'], lead=False)})"),
        rating_prefix_regex=re.compile(f"(?:{_alternation(rating['prefix'])})\\s*(?:[:：]|of|为)?\\s*$"),
        out_of_regex=re.compile(f"\\s?(?:{_alternation(rating['out_of'], lead=False)})"),
        score_suffix=tuple(rating["score_suffix"]),
        review_suffix_regex=re.compile(f"\\+?\\s?(?:{_alternation(reviews['review_suffix'], lead=False)})"),
        customer_suffix_regex=re.compile(
            f"\\+?\\s?(?:{_alternation(reviews['customer_suffix'], lead=False)})"
        ),
        sales_suffix_regex=re.compile(f"\\+?\\s?(?:{_alternation(reviews['sales_suffix'], lead=False)})"),
        sales_prefix_regex=re.compile(
            f"(?:{_alternation(reviews['sales_prefix'])})\\s*(?:[:：]|了|超|超过|达)?\\s*$"
        ),
        product_count_regex=re.compile(f"[\\s-]?(?:{_alternation(counts['product'], lead=False)})"),
        generic_count_regex=re.compile(f"\\s?(?:{_alternation(counts['generic'], lead=False)})"),
        certifications=_term_sets(claims["certifications"]),
        awards=_term_sets(claims["awards"]),
        place_regex=re.compile(_alternation(places, lead=False)),
        origin_before=re.compile(f"(?:{'|'.join(origins['before'])})$"),
        origin_after=re.compile("|".join(f"(?:{p})" for p in origins["after"])),
        origin_standalone=_keyed(origins.get("standalone", {})),
        origin_free=tuple(re.compile(p) for p in origins.get("free", [])),
        places=places,
        review_claims=_keyed({k: v for k, v in claims["review_claims"].items()}),
        marketplaces=_keyed(platforms["marketplace"]),
        socials=_keyed(platforms["social"]),
        platform_same_as={
            k: frozenset(v) for k, v in platforms.get("same_as", {}).items() if not k.startswith("_")
        },
        brands=TermSet(
            "brand",
            re.compile(_alternation(brands["names"], lead=False)),
            upper=frozenset(fold_term(t) for t in brands.get("upper", [])),
        ),
        skip_regex=re.compile(_alternation(skip["phrases"])),
        zh_idiom_regex=re.compile(_alternation(skip["zh_idioms"])),
        stopwords=frozenset(skip.get("stopwords", [])),
    )


def dimension_label(dim: str, ui_lang: str) -> str:
    label = vocabulary().dim_labels.get(dim, {})
    return label.get(ui_lang) or label.get("en") or dim
