"""The fact guard: each fact in the model's output is matched against the merchant's input (the
product fields, the brand profile, the template's own text). A fact with support carries its source,
so the window can show where it came from ("from: Key features"); a fact without is a finding of
category `unsupported-fact`: `block` for a fact about the product (a price, a size, a duration, a
percentage, a certification, an award, an origin, a rating or review, another marketplace), `warn` for
a brand the input never names, `info` for any other number ("5 tips").

False alarms matter as much as misses: the input is read leniently (see extract.py), units convert
(750 ml = 0.75 L, 17 oz ~ 500 ml), and a bare number in the input supports the same number in any
form in the output.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from desktop.core.checks.facts.extract import Fact, Reading, extract_facts
from desktop.core.checks.facts.numbers import same_value
from desktop.core.checks.facts.vocab import dimension_label, vocabulary
from desktop.core.checks.findings import REMOVE, Finding
from desktop.core.checks.textmatch import fold

CATEGORY = "unsupported-fact"
SAME_SYSTEM_TOLERANCE = 0.001  # 750 ml = 0.75 L exactly, give or take float rounding
CROSS_SYSTEM_TOLERANCE = 0.02  # 17 oz for 500 ml, 12 in for 30 cm, 30 days for a month: rounded conversions
_EQUIVALENT_DIMS = {"review": ("review", "sales"), "sales": ("review", "sales")}
_COUNTED = ("count", "number", "code")  # a count, a bare number or a code's number supports a count

KIND_LABELS = {
    "price": {"en": "price", "zh": "价格"},
    "percent": {"en": "percentage", "zh": "百分比"},
    "rating": {"en": "rating", "zh": "评分"},
    "review": {"en": "review figure", "zh": "评价数据"},
    "sales": {"en": "sales figure", "zh": "销量数据"},
    "product-count": {"en": "quantity", "zh": "数量"},
    "count": {"en": "number", "zh": "数字"},
    "number": {"en": "number", "zh": "数字"},
    "date": {"en": "date", "zh": "日期"},
    "certification": {"en": "certification", "zh": "认证"},
    "award": {"en": "award", "zh": "奖项"},
    "origin": {"en": "origin", "zh": "产地"},
    "platform": {"en": "marketplace", "zh": "销售平台"},
    "social": {"en": "social network", "zh": "社交平台"},
    "brand": {"en": "brand", "zh": "品牌"},
    "review-claim": {"en": "review claim", "zh": "评价宣称"},
    "sales-claim": {"en": "sales claim", "zh": "销量宣称"},
    "code": {"en": "code or number", "zh": "编号或数字"},
    "link": {"en": "link", "zh": "链接"},
}
WARN_KINDS = frozenset({"brand"})
INFO_KINDS = frozenset({"count", "number", "date", "social", "code"})  # a link is `block`: shops ban
# outside links, and one the merchant never gave leads buyers somewhere unknown
MESSAGE = {
    "en": '"{text}" ({what}) is not in your product data. Remove it, or add it to the product if it is true.',
    "zh": "“{text}”（{what}）在商品资料中找不到依据：请删除；如属实，请补充到商品资料中。",
}


def severity_of(kind: str) -> str:
    if kind in WARN_KINDS:
        return "warn"
    return "info" if kind in INFO_KINDS else "block"


@dataclass(frozen=True)
class Support:
    source: str  # the source's name: a field label, "Brand profile", "Template"
    text: str  # the words there that state the fact


@dataclass
class SourceIndex:
    """Every fact of the merchant's input, by what it measures, for quick matching."""

    readings: dict[str, list[tuple[Reading, Support]]] = field(default_factory=lambda: defaultdict(list))
    bare: dict[float, Support] = field(default_factory=dict)  # numbers the input states without a unit
    values: dict[float, Support] = field(default_factory=dict)  # every number the input states, in any form
    keys: dict[str, Support] = field(default_factory=dict)  # certification:ce, origin:us, platform:amazon ...
    kinds: dict[str, Support] = field(default_factory=dict)  # the first fact of each kind
    dates: list[tuple[str, Support]] = field(default_factory=list)
    texts: list[tuple[str, str]] = field(default_factory=list)  # (source, folded text)
    tokens: list[tuple[str, frozenset[str]]] = field(default_factory=list)  # (source, its bare tokens)

    def add(self, source: str, text: str) -> None:
        folded = fold(text)
        self.texts.append((source, folded))
        self.tokens.append((source, _bare_tokens(folded)))
        for fact in extract_facts(text, strict=False):
            support = Support(source, fact.text)
            self.kinds.setdefault(fact.kind, support)
            if fact.key:
                self.keys.setdefault(f"{fact.kind}:{fact.key}", support)
            if fact.kind == "date":
                self.dates.append((fact.key, support))
            for value in fact.values:
                if fact.kind == "number" and fact.detail not in ("words", "code"):
                    self.bare.setdefault(round(value.number, 6), support)
                if fact.detail != "words":
                    self.values.setdefault(round(value.number, 6), support)
                for reading in value.readings:
                    if fact.detail != "words":
                        self.readings[reading.dim].append((reading, support))
        self._add_places(source, fold(text))

    def _add_places(self, source: str, folded: str) -> None:
        """A place the input names in any way ("Origin: Japan", "Italian leather") supports an origin
        claim about it: a missed claim costs less here than a false alarm on the merchant's own words."""
        vocab = vocabulary()
        for alias, place in vocab.places.items():
            if len(alias) < 3 and alias.isascii():
                continue  # "us", "uk": too common as words
            if re.search(rf"(?<![a-z]){re.escape(alias)}(?![a-z])", folded):
                self.keys.setdefault(f"origin:origin:{place}", Support(source, alias))


@lru_cache(maxsize=64)
def _index(items: tuple[tuple[str, str], ...]) -> SourceIndex:
    index = SourceIndex()
    for name, text in items:
        if text and str(text).strip():
            index.add(name, str(text))
    return index


def source_index(sources: dict[str, str] | None) -> SourceIndex:
    """The index of `sources` (name -> text), cached: the editor re-checks on every keystroke."""
    return _index(tuple((str(k), str(v)) for k, v in (sources or {}).items()))


# ----- matching -----------------------------------------------------------------------------------
def _currency_ok(ours: str, theirs: str) -> bool:
    if not ours or not theirs:
        return True
    matches = vocabulary().currency_matches
    return theirs in matches.get(ours, {ours}) or ours in matches.get(theirs, {theirs})


def _reading_support(reading: Reading, index: SourceIndex) -> Support | None:
    dims = _EQUIVALENT_DIMS.get(reading.dim, (reading.dim,))
    if reading.dim in _COUNTED:
        dims = _COUNTED
    for dim in dims:
        for theirs, support in index.readings.get(dim, ()):
            if reading.dim == "price":
                if _currency_ok(reading.system, theirs.system) and abs(reading.base - theirs.base) < 0.005:
                    return support
                continue
            tolerance = SAME_SYSTEM_TOLERANCE if reading.system == theirs.system else CROSS_SYSTEM_TOLERANCE
            if same_value(reading.base, theirs.base, tolerance):
                return support
    return None


def _value_support(value, index: SourceIndex) -> Support | None:
    for reading in value.readings:
        support = _reading_support(reading, index)
        if support is not None:
            return support
        if reading.dim in _COUNTED:  # a bare number or a count: the input states it in any form ("40厘米")
            support = index.values.get(round(value.number, 6))
            if support is not None:
                return support
    return index.bare.get(round(value.number, 6))


def _date_support(fact: Fact, index: SourceIndex) -> Support | None:
    ours = fact.key.split("-")
    for key, support in index.dates:
        theirs = key.split("-")
        if all(not a or a == b for a, b in zip(ours, theirs, strict=False)):
            return support
    year = ours[0]
    return index.values.get(float(year)) if year else None  # "2000" may be a year or 2000毫安


def _term_support(fact: Fact, index: SourceIndex, platform: str | None) -> Support | None:
    exact = index.keys.get(f"{fact.kind}:{fact.key}")
    if exact is not None:
        return exact
    if fact.kind in ("platform", "social"):
        same = vocabulary().platform_same_as.get(platform or "", frozenset())
        if fact.key == platform or fact.key in same:
            return Support("Platform", platform or "")
    if fact.kind == "award" and fact.key == "award":
        return index.kinds.get("award")
    if fact.kind == "certification" and fact.key == "certified":
        return index.kinds.get("certification")
    if fact.kind in ("review-claim", "sales-claim"):
        for kind in ("review-claim", "sales-claim", "review", "sales", "rating"):
            if kind in index.kinds:
                return index.kinds[kind]
    if fact.kind == "origin" and fact.key.startswith("place:"):
        name = fact.key.split(":", 1)[1]
        return next((Support(s, name) for s, text in index.texts if name and name in text), None)
    if fact.kind == "brand":
        name = fact.key.split(":", 1)[1]
        return next((Support(s, name) for s, text in index.texts if name and name in text), None)
    return None


def _text_support(key: str, index: SourceIndex) -> Support | None:
    return next((Support(source, key) for source, text in index.texts if key and key in text), None)


_NOT_BARE = re.compile(r"[^0-9a-z\u3400-\u9fff]")
_TOKEN_SEPARATORS = re.compile(r"[\s,;:()\[\]<>，。；：、（）]+")


def _bare(text: str) -> str:
    return _NOT_BARE.sub("", text)


def _bare_tokens(text: str) -> frozenset[str]:
    """The tokens of a (folded) text without their dashes and dots, each side of a slash as well."""
    return frozenset(_bare(part) for token in _TOKEN_SEPARATORS.split(text)
                     for part in (token, *token.split("/")))


def _token_support(key: str, index: SourceIndex) -> Support | None:
    """`key` as a whole token of the input, dashes and dots aside (XR500 for XR-500): the code "9" is not
    in "69元", nor "XR-7" in "XR-700", nor "Feature1" in a template's "1"."""
    bare = _bare(key)
    if not bare:
        return None
    return next((Support(source, key) for source, tokens in index.tokens if bare in tokens), None)


def _link_support(fact: Fact, index: SourceIndex) -> Support | None:
    """The same link, or any link to the same site, in the input."""
    host = re.sub(r"^(?:https?://)?(?:www\.)?", "", fact.key).split("/", 1)[0]
    return _text_support(fact.key, index) or (_text_support(host, index) if "." in host else None)


def support_for(fact: Fact, index: SourceIndex, platform: str | None = None) -> Support | None:
    """Where the input states `fact`, or None."""
    if fact.kind == "link":
        return _link_support(fact, index)
    if fact.kind == "code":  # the same token, written with or without its dashes and dots (XR500, XR-500)
        return _token_support(fact.key, index)
    if fact.kind == "date":
        return _date_support(fact, index)
    if fact.values:
        supports = [_value_support(v, index) for v in fact.values]
        return supports[0] if all(supports) else None
    return _term_support(fact, index, platform)


# ----- findings -----------------------------------------------------------------------------------
def _what(fact: Fact, ui_lang: str) -> str:
    if fact.kind == "quantity" and fact.detail:
        return dimension_label(fact.detail, ui_lang)
    return KIND_LABELS.get(fact.kind, {}).get(ui_lang, fact.kind)


@dataclass
class FactCheck:
    findings: list[Finding]
    supported: list[dict]  # {"start", "end", "text", "kind", "source", "source_text"}


def check_facts(text: str, index: SourceIndex, *, platform: str | None = None,
                ui_lang: str = "en") -> FactCheck:
    """The facts of `text` matched against `index`: findings for the unsupported ones, provenance for
    the rest."""
    ui_lang = ui_lang if ui_lang in MESSAGE else "en"
    findings, supported = [], []
    for fact in extract_facts(text, strict=True):
        support = support_for(fact, index, platform)
        if support is not None:
            supported.append({"start": fact.start, "end": fact.end, "text": fact.text, "kind": fact.kind,
                              "source": support.source, "source_text": support.text})
            continue
        message = MESSAGE[ui_lang].replace("{text}", fact.text).replace("{what}", _what(fact, ui_lang))
        findings.append(Finding(rule=f"facts.unsupported.{fact.kind}", category=CATEGORY,
                                severity=severity_of(fact.kind), start=fact.start, end=fact.end,
                                text=fact.text,
                                message=message, suggestion=REMOVE))
    return FactCheck(findings, supported)
