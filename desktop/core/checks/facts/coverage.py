"""Coverage: the product's key facts, taken from its fields, and which of them the output carries.

A key fact is a measured or claimed fact in a field (500 ml, 12 hours, BPA-free, Made in Japan) or a
feature phrase ("one-hand flip lid"): fields are split at line breaks and separators, and a part with
no fact in it is a phrase. A fact is covered when the output states it in any normalised form; a
phrase when most of its words (English) or character pairs (Chinese) appear in the output. The
merchant can mark facts as required: a missing required fact is a warning, any other an info.

Each missing fact comes with a fix: a line to add at the end of the text that carries the key facts,
"· " and the fact in the merchant's own words (the part of the field it was found in: "hot for 12
hours", not a bare "12 hours"); a paragraph of its own in an HTML body; in a title or an ad, where
only required facts are checked, the fact after a space. A model that leaves facts out, as small ones
do, still gets them into the copy with a click, as a short list of details the merchant can read and
keep or undo.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from desktop.core.checks.facts.extract import Fact, extract_facts
from desktop.core.checks.facts.guard import source_index, support_for
from desktop.core.checks.findings import NO_FIX, Finding
from desktop.core.checks.textmatch import fold
from desktop.core.paths import resource

CATEGORY = "coverage"
# Facts that describe the product; a price is left out (many platforms want no price in the copy).
KEY_KINDS = frozenset({"quantity", "percent", "product-count", "certification", "award", "origin", "rating"})
# A comma before a digit may be a thousands separator (1,000); a full-width one or 、 never is.
_SPLIT = re.compile(r"[\n;；。!！?？|]+|,(?!\d)|[，、]|\s+[-–•·]\s+")
_WORD = re.compile(r"[a-z][a-z'-]*|\d+(?:\.\d+)?")
_CJK_RUN = re.compile("[\u3400-\u9fff]+")
_TAG = re.compile(r"<[^>]{0,200}>")
_HTML_END = re.compile(r"</[a-z][a-z0-9]*>\s*$", re.IGNORECASE)  # a text that ends as HTML does
_STOP = frozenset(
    """a an and are as at be but by for from has have in into is it its of on or our so than that
the their this to with your you will can all any also more most very just only each per up out off""".split()
)
MESSAGES = {
    "key": {"en": 'The key fact "{fact}" ({source}) is not in the text: add it.',
            "zh": "文案没有提到关键信息“{fact}”（来自{source}）：请补充。"},
    "required": {"en": 'The required fact "{fact}" is not in the text: add it.',
                 "zh": "文案缺少必须出现的信息“{fact}”：请补充。"},
}
DETAIL_MARK = "· "  # a missing fact is added as a line of its own: "\n· hot for 12 hours"
MAX_DETAIL = 80  # a longer part is a sentence, not an item: the fact alone is added


@lru_cache(maxsize=1)
def settings() -> dict:
    return json.loads(resource("facts", "guards.json").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class KeyFact:
    text: str  # as the merchant wrote it
    source: str  # the field it comes from ("Key features"), or "required"
    kind: str  # a fact kind (extract.py) or "phrase"
    fact: Fact | None = None
    required: bool = False
    part: str = ""  # the part of the field it was found in (the phrase itself for a phrase)

    @property
    def detail(self) -> str:
        """How the fact reads on its own, as a line of details: its part of the field when that is
        short enough to read as one item, else the fact alone."""
        part = self.part.strip()
        return part if part and len(part) <= MAX_DETAIL else self.text


def _stem(word: str) -> str:
    for suffix in ("ies", "es", "s", "ing", "ed"):
        if len(word) > len(suffix) + 2 and word.endswith(suffix):
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


def _tokens(text: str) -> set[str]:
    folded = fold(_TAG.sub(" ", text))
    words = {_stem(w) for w in _WORD.findall(folded) if w not in _STOP and (len(w) > 2 or w[0].isdigit())}
    pairs = {run[i:i + 2] for run in _CJK_RUN.findall(folded) for i in range(len(run) - 1)}
    singles = {run for run in _CJK_RUN.findall(folded) if len(run) == 1}
    return words | pairs | singles


def _facts_of(text: str, source: str, required: bool) -> list[KeyFact]:
    out = []
    for part in _SPLIT.split(text):
        part = part.strip(" \t:：-")
        if not part:
            continue
        facts = [f for f in extract_facts(part) if f.kind in KEY_KINDS]
        if facts:
            out += [KeyFact(f.text, source, f.kind, f, required, part) for f in facts]
        elif 3 <= len(part) <= 80 and _tokens(part):
            out.append(KeyFact(part, source, "phrase", None, required, part))
    return out


def key_facts(sources: dict[str, str], required: list[str] | tuple[str, ...] = ()) -> list[KeyFact]:
    """The key facts of the fields in `sources` (name -> text), in order, at most the configured
    number, then every required fact."""
    limit = int(settings()["coverage"]["max_key_facts"])
    found: list[KeyFact] = []
    seen: set[str] = set()
    for name, text in sources.items():
        for fact in _facts_of(str(text or ""), name, False):
            if fold(fact.text) not in seen:
                seen.add(fold(fact.text))
                found.append(fact)
    found = found[:limit]
    for text in required:
        facts = _facts_of(str(text), "required",
                          True) or [KeyFact(str(text), "required", "phrase", None, True, str(text))]
        found += facts
    return found


def is_covered(fact: KeyFact, output: str, output_tokens: set[str] | None = None) -> bool:
    if fact.fact is not None:
        return support_for(fact.fact, source_index({"output": output})) is not None
    wanted = _tokens(fact.text)
    if not wanted:
        return True
    have = output_tokens if output_tokens is not None else _tokens(output)
    share = len(wanted & have) / len(wanted)
    return share >= float(settings()["coverage"]["min_phrase_overlap"])


@dataclass
class Coverage:
    facts: list[KeyFact]
    missing: list[KeyFact]

    @property
    def share(self) -> float | None:
        """Covered key facts over all of them (None: the product has none)."""
        return 1 - len(self.missing) / len(self.facts) if self.facts else None

    def to_dict(self) -> dict:
        return {"key_facts": len(self.facts), "covered": len(self.facts) - len(self.missing),
                "share": self.share,
                "missing": [{"text": f.text, "source": f.source,
                             "required": f.required} for f in self.missing]}


def coverage(facts: list[KeyFact], output: str) -> Coverage:
    tokens = _tokens(output)
    return Coverage(facts, [f for f in facts if not is_covered(f, output, tokens)])


def detail_line(fact: KeyFact, style: str = "line") -> str:
    """What adding `fact` to a text appends, by the text's `style`: "line", a line of its own; "inline"
    (a title, an ad: texts of one line), the fact after a space; "html" (an HTML body, where a line
    break is only a space), a paragraph of its own."""
    if style == "inline":
        return " " + fact.detail
    if style == "html":
        return "\n<p>" + DETAIL_MARK + html.escape(fact.detail, quote=False) + "</p>"
    return "\n" + DETAIL_MARK + fact.detail


def detail_text(line: str) -> str:
    """The fact a detail line adds, as the merchant wrote it (from any style of detail_line)."""
    text = line.strip()
    paragraph = re.fullmatch(r"<p>(.*)</p>", text, re.DOTALL)
    if paragraph:
        text = html.unescape(paragraph.group(1))
    return text.removeprefix(DETAIL_MARK.strip()).strip()


def detail_style(text: str, one_line: bool) -> str:
    """How a fact is added to `text` (see detail_line): `one_line` for titles and ads."""
    if one_line:
        return "inline"
    return "html" if _HTML_END.search(text) else "line"


def detail_lines(findings: list[dict]) -> list[str]:
    """The lines that add the key facts `findings` say are missing ("\n· 750 ml"), in their order, each
    once (the fixes of coverage findings; a finding without one adds nothing)."""
    lines: list[str] = []
    for f in findings:
        line = f.get("suggestion") or ""
        if f.get("category") == CATEGORY and line.strip() and line not in lines:
            lines.append(line)
    return lines


def with_details(text: str, findings: list[dict]) -> tuple[str, list[str]]:
    """`text` with the key facts `findings` say are missing added at its end (detail_lines), and those
    facts as the merchant wrote them; (`text`, []) when none is missing."""
    lines = detail_lines(findings)
    if not lines:
        return text, []
    return text.rstrip() + "".join(lines), [detail_text(line) for line in lines]


def details_that_fit(text: str, findings: list[dict], fits: Callable[[str], bool]) -> tuple[str, list[str]]:
    """`text` with the key facts `findings` say are missing added at its end, as with_details does, when
    the whole `fits` (brings no blocking finding: a platform's length limit, say); else with as many
    of them as still fit, in their order, each line tried on what was kept. (`text`, []) when none
    fits. A fact left out is better than a text the platform refuses."""
    lines = detail_lines(findings)
    if not lines:
        return text, []
    base = text.rstrip()
    if fits(base + "".join(lines)):
        return base + "".join(lines), [detail_text(line) for line in lines]
    kept: list[str] = []
    if len(lines) > 1:
        for line in lines:
            if fits(base + "".join([*kept, line])):
                kept.append(line)
    return (base + "".join(kept), [detail_text(line) for line in kept]) if kept else (text, [])


def coverage_findings(result: Coverage, ui_lang: str = "en", at: int | None = None,
                      style: str = "line") -> list[Finding]:
    """A finding for each missing key fact: info, or warn when required. `at`: the end of the text
    that carries the key facts, where the fix adds the fact in `style` (see detail_line); None: no fix
    offered (the finding sits at the start of the text)."""
    ui_lang = ui_lang if ui_lang in ("zh", "en") else "en"
    out = []
    for fact in result.missing:
        kind = "required" if fact.required else "key"
        message = MESSAGES[kind][ui_lang].replace("{fact}", fact.text).replace("{source}", fact.source)
        out.append(Finding(rule=f"coverage.{kind}", category=CATEGORY,
                           severity="warn" if fact.required else "info",
                           start=at or 0, end=at or 0, text="", message=message,
                           suggestion=NO_FIX if at is None else detail_line(fact, style)))
    return out
