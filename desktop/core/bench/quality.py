"""`shopscribe bench --only quality`: what the guards do for the copy, on a fixed set of products
(resources/bench/quality_products.json: 10 per language, the 5 content types), in one run:

- guards off (the reference): best-of 1, DRY off;
- guards on, best-of 1 and best-of 4 (DRY on, the best candidate by quality score kept);
- best-of 4, then "Fix with the model" (two rounds), as the merchant gets it after one click: the
  model is asked to work the findings away, and key facts it still leaves out are added as lines of
  details (fixing.py). The note says how many facts came from those lines, not from the model.

Per language it reports coverage of key facts, the share of outputs in the requested language, repeated
n-grams (3-grams English, 4-grams Chinese), unsupported numbers (flagged, left unflagged, false alarms),
findings per 1,000 characters and the mean score.

Unflagged and false alarms need a judge that is not the fact guard itself. It reads every number of a
text with what is written right beside it (full-width folded, separators dropped: "$29", "12%",
"750 ml", "24小"), leaving out a list's numbering ("1." opening a line). A Chinese comma ends a
clause: "3:47，60分钟" holds 47 and 60, not 4,760. Letters written onto a number make a code, read
with the letters as its unit ("IPX5" is 5 "ipx": the same as the input's "IPX5防水", not "IPX7").
A number of the output is supported when the product's fields hold the same value with the same unit
(one unit word may be the other's prefix: "h", "hours"), or the same value with no unit on one side
(the word after a number is not always its unit: "$19 with"). An unsupported number that no
`unsupported-fact` finding covers is left unflagged; a finding whose numbers are all supported is a
false alarm. The judge converts no units (a "0.75 L" for "750 ml" counts as unsupported), so it errs
towards "unflagged" and away from "false alarm": it never flatters the guard. Each miss and false
alarm is quoted in its figure's note. The few-shot examples are not part of this run; Compose's
constrained language retry is.
"""

from __future__ import annotations

import json
import re
import statistics
import unicodedata
from dataclasses import dataclass, field

from desktop.core.bench.context import Bench
from desktop.core.bench.stats import NO_TARGET, Figure, Target

DATA = ("bench", "quality_products.json")
CONFIGS = (("off", 1, False), ("on", 1, False), ("on", 4, False), ("on", 4, True))  # (guards, best-of, fix)
FIX_ROUNDS, QUICK_FIX_ROUNDS = 2, 1
MAX_TOKENS, QUICK_TOKENS = 320, 40
QUICK_PER_LANG = 2
# A unit is a word, a CJK character, % or a temperature (260°C); the "x" of "183 x 61 cm" is no unit.
_QUANTITY = re.compile(r"([$¥€£])?\s?(?:(?<![a-z\d])([a-z]+))?(\d+(?:[.,]\d+)*)\s?"
                       r"(%|°[cf]?|(?!x\s?\d)[a-z]+|[\u3400-\u9fff])?")
_LIST_NUMBER = re.compile(r"(?m)^[ \t]*(?:[-*•·]\s*)?\d+[.)、](?=\s|$)")
TARGETS = {  # the targets with the embedded model
    ("coverage", "en"): Target("value", ">=", 0.9), ("coverage", "zh"): Target("value", ">=", 0.6),
    ("language", "en"): Target("value", ">=", 0.95), ("language", "zh"): Target("value", ">=", 0.95),
    ("repetition", "en"): Target("value", "<=", 0.05), ("repetition", "zh"): Target("value", "<=", 0.10),
    ("unflagged", "en"): Target("value", "<=", 0), ("unflagged", "zh"): Target("value", "<=", 0),
    ("false_alarms", "en"): Target("value", "<=", 0.02), ("false_alarms", "zh"): Target("value", "<=", 0.02),
}


def products() -> list[dict]:
    from desktop.core.paths import resource

    return json.loads(resource(*DATA).read_text(encoding="utf-8"))["products"]


def quantities(text: str) -> list[tuple[str, str, str]]:
    """(currency, value, unit) of every number in `text` but a list's numbering (see the module's note)."""
    out = []
    for match in _QUANTITY.finditer(_folded(text)):
        reading = _reading(match)
        if reading is not None:
            out.append(reading)
    return out


def _folded(text: str) -> str:
    """`text` as the judge reads it, each character where it was (list numbering blanked)."""
    text = text.replace("\uff0c", "\u3001")  # NFKC would make the Chinese comma a thousands separator
    return _LIST_NUMBER.sub(lambda m: " " * len(m.group(0)), unicodedata.normalize("NFKC", text).lower())


def _reading(match: re.Match) -> tuple[str, str, str] | None:
    currency, code, digits, unit = match.groups()
    try:
        value = float(digits.replace(",", ""))
    except ValueError:
        return None
    return currency or "", f"{value:g}", code or unit or ""


def _supports(given: tuple[str, str, str], said: tuple[str, str, str]) -> bool:
    """Same value, no clash of currencies, and units that agree where both are written: the same, a
    plural, or a word and its abbreviation ("hours", "h"; not "gsm" and "g", or "mm" and "m")."""
    (cur_a, value_a, unit_a), (cur_b, value_b, unit_b) = given, said
    if value_a != value_b or (cur_a and cur_b and cur_a != cur_b):
        return False
    if not unit_a or not unit_b or unit_a == unit_b:
        return True
    short, long = sorted((unit_a, unit_b), key=len)
    return long == short + "s" or (len(long) >= 4 and long.startswith(short))


def _supported(said: tuple[str, str, str], given: list[tuple[str, str, str]]) -> bool:
    return any(_supports(g, said) for g in given)


@dataclass
class Outcome:
    lang: str
    chars: int
    coverage: float | None
    in_language: bool
    repetition: float
    findings: int
    score: int
    fact_findings: int  # unsupported-fact findings
    unflagged: int  # numbers absent from the input that no finding names
    supported: int  # numbers of the output found in the input
    false_alarms: int  # findings whose numbers are all in the input
    details: int = 0  # key facts the fix added as lines of details (not written by the model)
    # what the two error counts were, quoted from the text with a little context, so a run names them
    misses: list[str] = field(default_factory=list)
    alarms: list[str] = field(default_factory=list)
    uncovered: list[str] = field(default_factory=list)  # the key facts still missing
    refused: list[str] = field(default_factory=list)  # what a fix's lines of details would have broken


_NUMBER_WORDS = {w: n for n, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split())}


def judge(result, fields: dict, lang: str) -> Outcome:
    from desktop.core.checks.repetition import repetition

    text = result.text
    written = " ".join(str(v) for v in fields.values())
    given = quantities(written) + [("", str(_NUMBER_WORDS[w]), "")  # "one size" gives the number 1
                                   for w in re.findall(r"[a-z]+", written.lower()) if w in _NUMBER_WORDS]
    said = quantities(text)
    facts = [f for f in result.findings if f.get("category") == "unsupported-fact"]
    flagged = [quantities(f.get("text", "")) for f in facts]
    named = [q for found in flagged for q in found]
    unsupported = [q for q in said if not _supported(q, given)]
    alarmed = [f for f, found in zip(facts, flagged, strict=True)
               if found and all(_supported(q, given) for q in found)]
    false_alarms = len(alarmed)
    missed = {q for q in unsupported if not _supported(q, named)}
    coverage = result.coverage or {}
    covered = coverage.get("covered", 0) / coverage["key_facts"] if coverage.get("key_facts") else None
    return Outcome(
        lang=lang, chars=len(text), coverage=covered,
        in_language=not any(f.get("category") == "language" for f in result.findings),
        repetition=repetition(text, lang).share, findings=len(result.findings),
        score=int((result.score or {}).get("value", 0)), fact_findings=len(facts),
        unflagged=len(missed), supported=sum(1 for q in said if _supported(q, given)),
        false_alarms=false_alarms,
        misses=[_quote(text, q) for q in sorted(missed)],
        alarms=[_around(text, f.get("start"), f.get("end"), f.get("text", "")) for f in alarmed],
        uncovered=[m.get("text", "") for m in coverage.get("missing", [])],
    )


def _around(text: str, start, end, fallback: str, width: int = 18) -> str:
    """`text[start:end]` in «» with a little context either side, on one line."""
    if not isinstance(start, int) or not isinstance(end, int) or text[start:end] != fallback:
        start = text.find(fallback)
        end = start + len(fallback)
        if start < 0:
            return f"«{fallback}»"
    before = text[max(0, start - width):start].split("\n")[-1]
    after = text[end:end + width].split("\n")[0]
    if start > width and " " in before.strip():
        before = before.split(" ", 1)[1]  # whole words only
    if end + width < len(text) and " " in after.strip():
        after = after.rsplit(" ", 1)[0]
    return f"{before}«{text[start:end]}»{after}".strip()


def _quote(text: str, quantity: tuple[str, str, str]) -> str:
    """Where a judged quantity is in `text` (its first occurrence, read as the judge reads)."""
    folded = _folded(text)
    currency, value, unit = quantity
    for match in _QUANTITY.finditer(folded):
        if _reading(match) == quantity:
            start = next(match.start(g) for g in (1, 2, 3) if match.group(g))
            end = match.end()
            shown = text if len(folded) == len(text) else folded  # the original characters when it can
            return _around(shown, start, end, shown[start:end])
    return f"«{currency}{value}{unit}»"


def run_config(engine, items: list[dict], guards: str, best_of: int, fix: bool, max_tokens: int,
               fix_rounds: int = FIX_ROUNDS) -> list[Outcome]:
    from desktop.core.compose import ComposeRequest, compose

    outcomes = []
    for n, product in enumerate(items):
        request = ComposeRequest(content_type=product["content_type"], platform=product.get("platform"),
                                 lang=product["lang"], fields=dict(product["fields"]), max_tokens=max_tokens,
                                 seed=1000 + n, best_of=best_of, examples=False,
                                 dry_multiplier=0.0 if guards == "off" else None)
        result = compose(request, engine, None, save=False).results[0]
        added, refused = 0, []
        if fix:
            result, added, refused = fixed(engine, request, result, fix_rounds)
        outcomes.append(judge(result, product["fields"], product["lang"]))
        outcomes[-1].details, outcomes[-1].refused = added, refused
    return outcomes


def fixed(engine, request, result, rounds: int):
    """`result` after "Fix with the model", checked again as the window checks it; how many key facts
    the fix added as lines of details; and, where it kept such lines out, the blocking findings they
    would have brought (a platform's length limit, say): the fix never trades a block for a fact."""
    from dataclasses import replace

    from desktop.core.compose_review import reviewer_for
    from desktop.core.fixing import fix_result

    reviewer = reviewer_for(request, None)
    fix, fields = fix_result(engine, result.text, result.fields, template=reviewer.template,
                             platform=reviewer.platform, lang=reviewer.lang, brand=reviewer.brand,
                             ui_lang=request.lang, max_rounds=rounds, max_tokens=request.max_tokens, seed=7,
                             sources=reviewer.sources)
    review = reviewer.review(fix.text, fields, request.lang)
    refused = sorted({f.get("category", "") for c in fix.candidates
                      if c.source == "details" and c.text not in fix.text
                      for f in c.findings if f.get("severity") == "block"})
    return replace(result, text=fix.text, fields=fields, findings=review.findings, facts=review.facts,
                   score=review.score, coverage=review.coverage), len(fix.details), refused


def summary(outcomes: list[Outcome]) -> dict[str, float | None]:
    if not outcomes:
        return {}
    covered = [o.coverage for o in outcomes if o.coverage is not None]
    chars = sum(o.chars for o in outcomes)
    supported = sum(o.supported for o in outcomes)
    return {
        "coverage": statistics.mean(covered) if covered else None,
        "language": sum(o.in_language for o in outcomes) / len(outcomes),
        "repetition": statistics.mean(o.repetition for o in outcomes),
        "found": float(sum(o.fact_findings for o in outcomes)),
        "unflagged": float(sum(o.unflagged for o in outcomes)),
        "false_alarms": sum(o.false_alarms for o in outcomes) / supported if supported else 0.0,
        "per_1000": 1000 * sum(o.findings for o in outcomes) / chars if chars else None,
        "score": statistics.mean(o.score for o in outcomes),
    }


def _named(outcomes: list[Outcome], lang: str, key: str) -> str:
    """What is behind an error count or a coverage short of 1, each with its product's number in the
    set ("#3: ...")."""
    if key == "coverage":
        missing = [f"#{n + 1}: {', '.join(o.uncovered)}"
                   + (f" (its lines of details would break: {', '.join(o.refused)})" if o.refused else "")
                   for n, o in enumerate(outcomes) if o.lang == lang and o.uncovered]
        return f"key facts still missing: {' | '.join(missing)}" if missing else ""
    attribute = {"unflagged": "misses", "false_alarms": "alarms"}.get(key)
    if attribute is None:
        return ""
    quoted = [f"#{n + 1}: {q}" for n, o in enumerate(outcomes) if o.lang == lang
              for q in getattr(o, attribute)]
    if not quoted:
        return ""
    what = "left unflagged" if key == "unflagged" else "flagged though supported"
    return f"{what}: {' | '.join(quoted)}"


UNITS = {"coverage": ("share", "coverage of key facts"),
         "language": ("share", "outputs in the requested language"),
         "repetition": ("share", "repeated n-grams (3 en, 4 zh)"),
         "found": ("findings", "unsupported facts flagged"),
         "unflagged": ("numbers", "unsupported numbers left unflagged"),
         "false_alarms": ("share", "false alarms on supported numbers"),
         "per_1000": ("per 1k chars", "findings per 1,000 characters"),
         "score": ("points", "mean quality score")}


def measure(bench: Bench, items: list[dict] | None = None) -> list[Figure]:
    quick = bench.config.quick
    if items is None:
        items = products()
        if quick:
            items = [p for lang in ("en", "zh")
                     for p in [q for q in items if q["lang"] == lang][:QUICK_PER_LANG]]
    max_tokens = QUICK_TOKENS if quick else MAX_TOKENS
    rounds = QUICK_FIX_ROUNDS if quick else FIX_ROUNDS
    bench.say(f"quality: {len(items)} products, guards off vs on, best-of 1 and 4, best-of 4 then Fix, up to "
              f"{max_tokens} tokens")
    results = {config: run_config(bench.engine, items, *config, max_tokens, rounds) for config in CONFIGS}
    figures = []
    for lang in sorted({p["lang"] for p in items}):
        reference = summary([o for o in results[CONFIGS[0]] if o.lang == lang])
        for config in CONFIGS[1:]:
            _guards, best_of, fix = config
            mine = [o for o in results[config] if o.lang == lang]
            measured = summary(mine)
            label = f"best-of {best_of}, then Fix" if fix else f"best-of {best_of}"
            for key, (unit, about) in UNITS.items():
                note = f"{len(mine)} products, {max_tokens} tokens at most"
                if fix:
                    added = sum(o.details for o in mine)
                    note += (f"; Fix with the model, {rounds} round(s) at most: {added} key fact(s) added "
                             f"as lines of details, in {sum(o.details > 0 for o in mine)} result(s); the "
                             "model wrote the other covered facts")
                named = _named(results[config], lang, key) if key != "coverage" or fix else ""
                figures.append(Figure(
                    name=f"quality {lang} {label}: {about}", value=measured.get(key), unit=unit,
                    reference="guards off (best-of 1, no DRY)", reference_value=reference.get(key),
                    target=TARGETS.get((key, lang), NO_TARGET), note=f"{note}; {named}" if named else note,
                ))
    return figures
