"""Facts in a text: every number with what it measures (a price, a capacity, a duration, a percentage,
a rating, a review or sales figure, a count, a date) and every certification, award, origin,
marketplace and brand it names, each with its span in the text and its normalised readings, so that
750 ml, 750ml and 0.75 L read the same, and so do 24 h, 24小时 and 一天, or ¥29, 29元 and 29.00.

Two modes. `strict` (the model's output) reads every number: one that states a fact as that fact; one
inside a code, a time of day, an ordinal or a long digit string (XR-500, 9:00, #1, an order number) as
a `code` fact spanning the whole token, and so is a set phrase with digits (24/7, 3合1, 4K); a link
as a `link` fact. Only a list marker and a phrase in words (一年四季, one day) are no fact. `lenient`
(the merchant's input) also keeps every number as a bare value, so that nothing the merchant wrote is
ever missing from the support: the input is read generously, the output strictly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from desktop.core.checks.facts import numbers as num
from desktop.core.checks.facts.vocab import TermSet, Vocabulary, vocabulary
from desktop.core.checks.textmatch import fold, iter_matches

# Kinds of facts. A product fact states something about what the buyer gets.
PRODUCT_KINDS = frozenset({
    "price", "quantity", "percent", "rating", "review", "sales", "product-count", "certification", "award",
    "origin", "platform", "review-claim", "sales-claim",
})
NUMERIC_KINDS = frozenset({"price", "quantity", "percent", "rating", "review", "sales",
                           "product-count", "count",
                           "number", "date"})

_RANGE_SEP = re.compile(r"\s?(?:-|–|—|~|～|to|至|到)\s?")
_TIMES_SEP = re.compile(r"\s?[x×*]\s?")
_SIZE_NEXT = re.compile(r"\s?[x×*]\s?\d")  # after a number: another side of a size follows
_SIZE_BEFORE = re.compile(r"\d\s?[x×*]\s?$")  # before a number: it is a size's next side
_LATIN_WORD = re.compile(r"\s?([a-z][a-z'-]*)")
_LINE_START = re.compile(r"[ \t]*(?:[-*•·●▪]\s*)?$")  # only a bullet between a line's start and the number
_LIST_MARK = re.compile(r"[.)、]\s|[.)、]$|\)")
_CJK = re.compile("[\u3400-\u9fff]")
_CODE_CHAR = re.compile(r"[0-9a-z_\-./#@&:+=?%~]")  # what a code, a version or a link's tail is made of
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'\u3000-\u9fff\uff00-\uffef]+")
_TM = re.compile(r"([A-Za-z][A-Za-z0-9&'-]*(?:\s[A-Z][A-Za-z0-9&'-]*){0,2})\s?[™®]")
_YEAR_MIN, _YEAR_MAX = 1900, 2099

_MONTHS = ("jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
           "oct(?:ober)?|nov(?:ember)?|dec(?:ember)?")
_MONTH_NUMBER = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)}
_YEAR = r"(?:19|20)\d{2}"
_DATE_PATTERNS = [
    re.compile(rf"(?<!\d)(?P<y>{_YEAR})\s?年(?:\s?(?P<m>1[0-2]|0?[1-9])\s?月(?:\s?(?P<d>[0-3]?\d)\s?[日号])?)?"),
    re.compile(r"(?<![\d个])(?P<m>1[0-2]|0?[1-9])\s?月\s?(?P<d>[0-3]?\d)\s?[日号]"),
    re.compile(rf"(?<!\d)(?P<y>{_YEAR})[-/.](?P<m>1[0-2]|0?[1-9])[-/.](?P<d>[0-3]?\d)(?!\d)"),
    re.compile(rf"(?<!\d)(?P<m>1[0-2]|0?[1-9])/(?P<d>[0-3]?\d)/(?P<y>{_YEAR})(?!\d)"),
    re.compile(rf"(?<![a-z])(?P<mn>{_MONTHS})\.?\s(?P<d>[0-3]?\d)(?:st|nd|rd|th)?(?:,?\s(?P<y>{_YEAR}))?(?![\d])"),
    re.compile(rf"(?<![a-z])(?P<mn>{_MONTHS})\.?,?\s(?P<y>{_YEAR})(?!\d)"),
    re.compile(rf"(?<!\d)(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\s(?:of\s)?(?P<mn>{_MONTHS})(?![a-z])\.?(?:,?\s(?P<y>{_YEAR}))?"),
    re.compile(r"(?<![\d个第])(?P<m>1[0-2]|0?[1-9])\s?月份?(?!\s?\d)"),
    re.compile("(?<![一二三四五六七八九十个第每])(?P<mzh>十[一二]?|[一二三四五六七八九])月份?(?![份饼光亮])"),
]
_ZH_MONTHS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
              "十": 10, "十一": 11,
              "十二": 12}


@dataclass(frozen=True)
class Reading:
    """One way to read a value: `dim` (volume, mass ... or price, percent, paid, rating, review, sales,
    count, number, year) and the value in its base unit; `system` is the unit system (metric, us) or,
    for a price, its currency."""

    dim: str
    base: float
    system: str = ""


@dataclass(frozen=True)
class Value:
    number: float  # as written, multipliers applied (1.5万 -> 15000)
    readings: tuple[Reading, ...]


@dataclass(frozen=True)
class Fact:
    kind: str
    start: int
    end: int
    text: str
    values: tuple[Value, ...] = ()
    key: str = ""  # term facts: certification, award, origin, platform ... key; dates: y-m-d
    detail: str = ""  # the dimension or the counted noun, for messages

    @property
    def numeric(self) -> bool:
        return self.kind in NUMERIC_KINDS


@dataclass
class _Scan:
    text: str
    folded: str
    strict: bool
    vocab: Vocabulary
    facts: list[Fact] = field(default_factory=list)
    taken: bytearray = field(default_factory=bytearray)  # 1 where a fact already stands

    def __post_init__(self) -> None:
        self.taken = bytearray(len(self.text) + 1)

    def free(self, start: int, end: int) -> bool:
        return self.taken.find(1, start, max(end, start + 1)) < 0

    def add(self, fact: Fact) -> None:
        self.facts.append(fact)
        self.taken[fact.start:fact.end] = b"\x01" * (fact.end - fact.start)


# ----- terms --------------------------------------------------------------------------------------
def _term_hits(scan: _Scan, sets: tuple[TermSet, ...], kind: str) -> list[Fact]:
    out = []
    for term_set in sets:
        exempt = [m.span() for m in term_set.exempt.finditer(scan.folded)] if term_set.exempt else []
        for m in iter_matches(term_set.regex, scan.folded):
            start, end = m.span()
            if start == end or any(s <= start and end <= e for s, e in exempt):
                continue
            if m.group(0) in term_set.upper and not scan.text[start:end].isupper():
                continue
            out.append(Fact(kind, start, end, scan.text[start:end], key=term_set.key))
    return out


def _origin_hits(scan: _Scan) -> list[Fact]:
    vocab = scan.vocab
    out = []
    folded = scan.folded
    for m in iter_matches(vocab.place_regex, folded):
        start, end = m.span()
        before = vocab.origin_before.search(folded, max(0, start - 24), start)
        after = vocab.origin_after.match(folded, end)
        if before is None and (after is None or re.match(r"[a-z]", folded[after.end():after.end() + 1])):
            continue
        start, end = (before.start() if before else start), (after.end() if after and not before else end)
        out.append(Fact("origin", start, end, scan.text[start:end], key="origin:" + vocab.places[m.group(0)]))
    for hit in _term_hits(scan, vocab.origin_standalone, "origin"):
        out.append(Fact("origin", hit.start, hit.end, hit.text, key="origin:" + hit.key))
    for pattern in vocab.origin_free:
        for m in pattern.finditer(scan.text):
            name = fold(m.group(1)).strip()
            key = "origin:" + vocab.places[name] if name in vocab.places else "place:" + name
            out.append(Fact("origin", m.start(), m.end(), m.group(0), key=key))
    return out


def _brand_hits(scan: _Scan) -> list[Fact]:
    out = _term_hits(scan, (scan.vocab.brands,), "brand")
    out = [Fact("brand", f.start, f.end, f.text, key="brand:" + scan.folded[f.start:f.end]) for f in out]
    for m in _TM.finditer(scan.text):
        out.append(Fact("brand", m.start(), m.end(), m.group(0), key="brand:" + fold(m.group(1)).strip()))
    return out


def _longest_first(facts: list[Fact]) -> list[Fact]:
    return sorted(facts, key=lambda f: (-(f.end - f.start), f.start))


def _scan_terms(scan: _Scan) -> None:
    vocab = scan.vocab
    found = (
        _origin_hits(scan)
        + _term_hits(scan, vocab.certifications, "certification")
        + _term_hits(scan, vocab.awards, "award")
        + _term_hits(scan, vocab.marketplaces, "platform")
        + _term_hits(scan, vocab.socials, "social")
        + _brand_hits(scan)
    )
    for fact in _longest_first(found):
        if scan.free(fact.start, fact.end):
            scan.add(fact)


_FIGURE_KINDS = ("review", "sales", "rating")
_CLAIM_REACH = 12  # characters: "Loved by 10,000+ customers" is one claim, its figure


def _scan_claims(scan: _Scan) -> None:
    """Review and sales claims without a number, after the numbers ("5-star reviews" is a rating), and
    not beside a figure of their own (that figure is the fact)."""
    figures = [f for f in scan.facts if f.kind in _FIGURE_KINDS]
    for fact in _longest_first(_term_hits(scan, scan.vocab.review_claims, "claim")):
        own = ("sales",) if fact.key == "sales" else ("review", "rating")
        near = any(f.kind in own and f.start - _CLAIM_REACH <= fact.end and fact.start <= f.end + _CLAIM_REACH
                   for f in figures)
        if scan.free(fact.start, fact.end) and not near:
            scan.add(Fact(f"{fact.key}-claim", fact.start, fact.end, fact.text, key=fact.key))


# ----- dates --------------------------------------------------------------------------------------
def _scan_dates(scan: _Scan) -> None:
    for pattern in _DATE_PATTERNS:
        for m in pattern.finditer(scan.folded):
            if not scan.free(*m.span()):
                continue
            parts = m.groupdict()
            month = (parts.get("m") or (_MONTH_NUMBER.get(parts["mn"][:3]) if parts.get("mn") else None)
                     or _ZH_MONTHS.get(parts.get("mzh") or ""))
            year, day = parts.get("y"), parts.get("d")
            if day is not None and not 1 <= int(day) <= 31:
                continue
            key = f"{int(year) if year else ''}-{int(month) if month else ''}-{int(day) if day else ''}"
            values = (Value(float(year), (Reading("year", float(year)),)),) if year else ()
            scan.add(Fact("date", m.start(), m.end(), scan.text[m.start():m.end()], values, key=key))


# ----- numbers ------------------------------------------------------------------------------------
@dataclass
class _Atom:
    start: int
    end: int
    value: float
    source: str  # digits | zh | en


def _atoms(scan: _Scan) -> list[_Atom]:
    folded = scan.folded
    out = [_Atom(m.start(), m.end(), v, "digits") for m in num.DIGITS_RE.finditer(folded)
           if (v := num.parse_digits(m.group(0))) is not None]
    for m in num.ZH_NUMERAL_RE.finditer(folded):
        value = num.parse_zh_numeral(m.group(0))
        if value is not None:
            out.append(_Atom(m.start(), m.end(), value, "zh"))
    for m in num.EN_WORD_RE.finditer(folded):
        value = num.parse_en_words(m.group(0))
        if value is not None:
            out.append(_Atom(m.start(), m.end(), value, "en"))
    out.sort(key=lambda a: a.start)
    return out


def _atom_at(scan: _Scan, pos: int, like: _Atom) -> _Atom | None:
    if like.source == "digits":
        m = num.DIGITS_RE.match(scan.folded, pos)
        value = num.parse_digits(m.group(0)) if m else None
    elif like.source == "zh":
        m = num.ZH_NUMERAL_RE.match(scan.folded, pos)
        value = num.parse_zh_numeral(m.group(0)) if m else None
    else:
        m = num.EN_WORD_RE.match(scan.folded, pos)
        value = num.parse_en_words(m.group(0)) if m else None
    return _Atom(m.start(), m.end(), value, like.source) if m and value is not None else None


def _unit_at(scan: _Scan, pos: int, after_zh: bool):
    """(unit, end) of a unit written at `pos` (a space allowed before a Latin one), else (None, pos)."""
    folded, vocab = scan.folded, scan.vocab
    start = pos + 1 if folded[pos:pos + 1] in (" ", "-") else pos
    m = vocab.unit_regex.match(folded, start)
    if m is None:
        return None, pos
    alias, end = m.group(0), m.end()
    unit = vocab.units[alias]
    latin = alias[:1].isascii() and alias[:1].isalpha()
    if latin and re.match(r"[a-z0-9]", folded[end:end + 1]):
        return None, pos  # "5 lights", "3 inside": a word, not a unit
    if alias in vocab.exact_case and scan.text[start:end] != alias:
        return None, pos
    if any(folded.startswith(word, end) for word in vocab.not_before.get(alias, ())):
        return None, pos
    if (after_zh and latin) or (folded[pos:pos + 1] == "-" and not latin):
        return None, pos  # 三ml, 5-天: not how anyone writes a quantity
    return unit, end


def _code_like(scan: _Scan, atom: _Atom) -> bool:
    """A number that is part of a code, a list marker, a time of day or an ordinal: no fact."""
    folded = scan.folded
    before = folded[atom.start - 1:atom.start] if atom.start else ""
    after = folded[atom.end:atom.end + 2]
    if atom.source != "digits":
        return False
    if scan.vocab.prefix_regex.search(_before(scan, atom.start, 6)):
        return False  # RMB29, USD 5: a price
    if before == "/" and atom.start >= 2 and folded[atom.start - 2].isdigit() and _unit_follows(scan, atom):
        return False  # "8/9 年", "1/2 cup": the unit reads the number (24/7 is a set phrase, read before)
    if _SIZE_NEXT.match(folded, atom.end) or _SIZE_BEFORE.search(folded, 0, atom.start):
        return False  # 70x140cm: a size, read as one (RTX3080, 4x zoom are not)
    if before and (before.isascii() and before.isalpha() or before in "#_/\\@"):
        return True
    if before in "-." and atom.start >= 2 and re.match(r"[a-z0-9]", folded[atom.start - 2]):
        return not _range_end(scan, atom)  # XR-500, v2.1: part of a code
    if before == "第" or re.match(r"(?:st|nd|rd|th)(?![a-z])", after):
        return True
    if re.match(r":\d", after) or (atom.start >= 2 and re.match(r"\d:", folded[atom.start - 2:atom.start])):
        return True
    digits = folded[atom.start:atom.end]
    if len(digits) >= 7 and digits.isdigit():
        return True  # a phone number, a barcode, an order number
    if _list_marker(scan, atom):
        return True
    if after[:1].isalpha() and after[:1].isascii():
        return not _suffix_reads(scan, atom)  # 4K, 5G, 3D are codes; 500ml, 10k+, 2pcs are not
    return False


def _list_marker(scan: _Scan, atom: _Atom) -> bool:
    """"1." or "2)" opening a line (after a bullet at most): a list's numbering, not a number in it."""
    folded = scan.folded
    line = folded.rfind("\n", 0, atom.start) + 1
    return bool(_LINE_START.match(folded, line, atom.start) and _LIST_MARK.match(folded, atom.end))


def _code_fact(scan: _Scan, atom: _Atom) -> Fact:
    """The whole token a code-like number stands in (XR-700, v2.1, 9:00, nbsp235), as one `code` fact."""
    folded = scan.folded
    start, end = atom.start, atom.end
    while start > 0 and _CODE_CHAR.match(folded[start - 1]) and scan.free(start - 1, start):
        start -= 1
    while end < len(folded) and _CODE_CHAR.match(folded[end]) and scan.free(end, end + 1):
        end += 1
    while end > atom.end and folded[end - 1] in ".:-/?&=+,~":
        end -= 1  # the sentence's punctuation, not the code's
    while start < atom.start and folded[start] in ".:-/?&=+,~":
        start += 1
    value = Value(atom.value, (Reading("code", atom.value),))
    return Fact("code", start, end, scan.text[start:end], (value,), key=folded[start:end], detail="code")


def _scan_links(scan: _Scan) -> None:
    for m in _URL.finditer(scan.folded):
        start, end = m.span()
        while end > start and scan.folded[end - 1] in ".,;:!?)]}":
            end -= 1
        if scan.free(start, end):
            scan.add(Fact("link", start, end, scan.text[start:end], key=scan.folded[start:end]))


def _range_end(scan: _Scan, atom: _Atom) -> bool:
    """The second number of a range written with a hyphen (3-5): not a code."""
    m = re.search(r"(\d+(?:\.\d+)?)-$", scan.folded[max(0, atom.start - 12):atom.start])
    return m is not None


def _unit_follows(scan: _Scan, atom: _Atom) -> bool:
    """Whether a unit of measure follows the number (after a space at most)."""
    pos = atom.end + (scan.folded[atom.end:atom.end + 1] == " ")
    zh = "\u3400" <= scan.folded[pos:pos + 1] <= "\u9fff"  # 年 after the number; else a Latin unit, whole
    return _unit_at(scan, pos, zh)[0] is not None


def _suffix_reads(scan: _Scan, atom: _Atom) -> bool:
    """Whether a unit, a multiplier or a counted word reads the letters glued to the number."""
    factor, pos = num.multiplier(scan.folded, atom.end)
    kind = _classify(scan, atom, pos, False)[0]
    return factor != 1.0 or kind not in ("", "count")


def _skipped(scan: _Scan, atom: _Atom) -> tuple[int, int] | None:
    """The span of the set phrase (24/7, 3合1, 4K, 一年四季) the number stands in, or None."""
    folded = scan.folded
    for regex in (scan.vocab.skip_regex, scan.vocab.zh_idiom_regex):
        for m in regex.finditer(folded, max(0, atom.start - 12), min(len(folded), atom.end + 12)):
            if m.start() <= atom.start and atom.end <= m.end():
                return m.span()
    return None


def _before(scan: _Scan, start: int, width: int = 24) -> str:
    return scan.folded[max(0, start - width):start]


def _readings(kind: str, value: float, unit=None, currency: str = "",
              off: bool = False) -> tuple[Reading, ...]:
    if kind == "quantity" and unit is not None:
        out = [Reading(unit.dim, unit.base(value), unit.system)]
        out += [Reading(dim, value * factor, unit.system) for dim, factor in unit.alt]
        return tuple(out)
    if kind == "price":
        return (Reading("price", round(value, 2), currency),)
    if kind == "percent":
        return (Reading("percent", value),
                Reading("paid", 100 - value)) if off else (Reading("percent", value),)
    if kind == "discount":
        return (Reading("paid", value * 10 if value < 10 else value),)
    if kind in ("product-count", "count"):
        return (Reading("count", value),)
    return (Reading(kind, value),)


def _classify(scan: _Scan, first: _Atom, pos: int, after_zh: bool) -> tuple[str, int, object, str, bool, str]:
    """(kind, end, unit, currency, off, detail) from what follows the number at `pos`."""
    folded, vocab = scan.folded, scan.vocab
    m = vocab.percent_regex.match(folded, pos + (folded[pos:pos + 1] == " "))
    if m and not after_zh:
        off = vocab.off_regex.match(folded, m.end())
        return "percent", (off.end() if off else m.end()), None, "", bool(off), ""
    for suffix in vocab.discount_suffix:
        if folded.startswith(suffix, pos) and first.value < 100:
            return "discount", pos + len(suffix), None, "", False, ""
    if first.source == "zh" and folded.startswith("成", pos) and first.value >= 2 and first.value < 10:
        return "percent", pos + 1, None, "", False, ""
    if not after_zh:
        m = vocab.suffix_currency_regex.match(folded, pos + (folded[pos:pos + 1] == " "))
        if m:
            return "price", m.end(), None, vocab.currency_suffix[m.group(0)], False, ""
        m = vocab.out_of_regex.match(folded, pos)
        if m:
            return "rating", m.end(), None, "", False, ""
    m = vocab.rating_suffix_regex.match(folded, pos)
    if m and first.value <= 10:
        return "rating", m.end(), None, "", False, ""
    for regex, kind in ((vocab.review_suffix_regex, "review"), (vocab.customer_suffix_regex, "review"),
                        (vocab.sales_suffix_regex, "sales")):
        m = regex.match(folded, pos)
        if m and not after_zh:
            return kind, m.end(), None, "", False, ""
    unit, end = _unit_at(scan, pos, after_zh)
    if unit is not None:
        return "quantity", end, unit, "", False, unit.dim
    if not after_zh:
        if any(folded.startswith(s, pos) for s in vocab.score_suffix) and first.value <= 10:
            if vocab.rating_prefix_regex.search(_before(scan, first.start)):
                return "rating", pos + 1, None, "", False, ""
        m = vocab.product_count_regex.match(folded, pos)
        if m and not re.match(r"[a-z]", folded[m.end():m.end() + 1]):
            return "product-count", m.end(), None, "", False, m.group(0).strip(" -")
        m = vocab.generic_count_regex.match(folded, pos)
        if m and not re.match(r"[a-z]", folded[m.end():m.end() + 1]):
            return "count", m.end(), None, "", False, m.group(0).strip()
        m = _LATIN_WORD.match(folded, pos)
        if m and first.source != "zh" and m.group(1) not in vocab.stopwords:
            return "count", pos, None, "", False, m.group(1)
    return "", pos, None, "", False, ""


def _number_fact(scan: _Scan, first: _Atom) -> Fact | None:
    folded, vocab = scan.folded, scan.vocab
    after_zh = first.source == "zh"
    factor, pos = (num.multiplier(folded, first.end) if first.source == "digits" else (1.0, first.end))
    values = [first.value * factor]
    # A range (3-5天, 10 to 15 cm) or a size (30 x 20 x 10 cm): one fact with several values.
    for sep in (_RANGE_SEP, _TIMES_SEP):
        m = sep.match(folded, pos)
        nxt = _atom_at(scan, m.end(), first) if m else None
        if nxt is None or (sep is _RANGE_SEP and nxt.value * factor <= values[0]):
            continue
        values.append(nxt.value * factor)
        pos = nxt.end
        if sep is _TIMES_SEP:
            while (m := sep.match(folded, pos)) and (more := _atom_at(scan, m.end(), first)):
                values.append(more.value * factor)
                pos = more.end
        break
    start = first.start
    kind, end, unit, currency, off, detail = _classify(scan, first, pos, after_zh)
    prefix = vocab.prefix_regex.search(_before(scan, start, 6)) if not after_zh else None
    if prefix and kind in ("", "count", "price"):
        currency = currency or vocab.currency_prefix[prefix.group(0).strip()]
        start -= len(prefix.group(0))
        kind = "price"
        end = max(end, pos)
    if not kind:
        before = _before(scan, start)
        if first.source == "zh" and any(before.endswith(p) for p in vocab.percent_prefix):
            kind, start = "percent", start - len(next(p for p in vocab.percent_prefix if before.endswith(p)))
        elif vocab.price_label_regex.search(before):
            kind = "price"
        elif (m := vocab.rating_prefix_regex.search(before)) and values[0] <= 10:
            kind, start = "rating", start - (len(before) - m.start())
        elif m := vocab.sales_prefix_regex.search(before):
            kind, start = "sales", start - (len(before) - m.start())
        elif len(values) == 1 and values[0].is_integer() and _YEAR_MIN <= values[0] <= _YEAR_MAX:
            kind = "date"
        else:
            kind = "number"
        end = pos
    if scan.strict and first.source != "digits" and kind in ("number", "count", "date", "price",
                                                             "review", "sales"):
        return None  # "one of", "两个人", "千万": words, not figures
    if scan.strict and first.source == "en" and kind == "product-count" and values == [1.0]:
        return None  # "one pack", "a single set": one is what a listing sells unless it says otherwise
    if kind == "discount":
        readings = [Value(v, _readings("discount", v)) for v in values]
        kind = "percent"
    elif kind == "date":
        readings = [Value(v, (Reading("year", v), Reading("number", v))) for v in values]
    else:
        readings = [Value(v, _readings(kind, v, unit, currency, off)) for v in values]
    if kind == "quantity" and len(values) > 1 and _TIMES_SEP.match(folded, first.end):
        detail = unit.dim
    if kind == "number" and first.source != "digits":
        detail = "words"  # "one", "两": the input's words, too common to support a figure by themselves
    key = str(int(values[0])) if kind == "date" else ""
    return Fact(kind, start, end, scan.text[start:end], tuple(readings), key=key, detail=detail)


def _scan_numbers(scan: _Scan) -> None:
    for atom in _atoms(scan):
        if not scan.free(atom.start, atom.end):
            if not scan.strict and atom.source == "digits":  # ISO 9001, a date: keep the bare value
                scan.facts.append(Fact("number", atom.start, atom.end, scan.text[atom.start:atom.end],
                                       (Value(atom.value, (Reading("number", atom.value),)),)))
            continue
        if scan.strict and _list_marker(scan, atom):
            continue
        phrase = _skipped(scan, atom) if scan.strict else None
        if phrase is not None:
            # A set phrase with digits (4K, 3-in-1, USB 3.0, 24/7) still says something of the product:
            # one code fact, information when the input lacks it. Without digits (一年四季) it is no fact.
            if atom.source == "digits" and scan.free(*phrase):
                start, end = phrase
                value = Value(atom.value, (Reading("code", atom.value),))
                scan.add(Fact("code", start, end, scan.text[start:end], (value,), key=scan.folded[start:end],
                              detail="code"))
            continue
        if scan.strict and _code_like(scan, atom):
            if atom.source == "digits":
                code = _code_fact(scan, atom)
                if scan.free(code.start, code.end):
                    scan.add(code)
            continue
        if not scan.strict and atom.source == "digits" and _code_like(scan, atom):
            fact = Fact("number", atom.start, atom.end, scan.text[atom.start:atom.end],
                        (Value(atom.value, (Reading("code", atom.value),)),), detail="code")
        else:
            fact = _number_fact(scan, atom)
        if fact is not None and fact.end > fact.start and scan.free(fact.start, fact.end):
            scan.add(fact)


def extract_facts(text: str, *, strict: bool = True) -> list[Fact]:
    """Every fact in `text`, in order of position. `strict` for the model's output, `strict=False`
    for the merchant's input (see the module's docstring)."""
    scan = _Scan(text=text, folded=fold(text), strict=strict, vocab=vocabulary())
    if strict:
        _scan_links(scan)  # before anything else: the numbers and names inside a link are the link's
    _scan_terms(scan)
    _scan_dates(scan)
    _scan_numbers(scan)
    _scan_claims(scan)
    return sorted(scan.facts, key=lambda f: (f.start, f.end))
