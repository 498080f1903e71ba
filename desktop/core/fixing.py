""""Fix with the model": the findings of a text become instructions for a short rewrite, and the
result is checked again, in a bounded loop. Suggestions that can be applied exactly (a banned term
removed or replaced) are applied first without the model; the model only handles the rest (a text
too long, a claim to rephrase, a key fact to work in). Key facts the model still leaves out are added
at the end, a line each. The merchant sees the diff and decides; nothing here saves anything.

One call works on the plain text of ONE output field (or one unstructured result); `fix_result`
walks the fields of a structured result one by one.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from desktop.core.checks import Finding, apply_all
from desktop.core.checks.facts.coverage import details_that_fit, with_details
from desktop.core.content.brands import Brand
from desktop.core.content.checking import carrier_field, check_output
from desktop.core.content.fix_prompt import build_messages, clean_answer, tidy, widen_removal
from desktop.core.content.sources import FactSources
from desktop.core.content.templates import Template
from desktop.core.engine import Finished, GenerationRequest, TextDelta
from desktop.core.stop import Stop

__all__ = ["FixResult", "FixRound", "fix_with_model", "fix_result", "text_diff", "diff_html"]

MIN_SIMILARITY = 0.3  # a "rewrite" sharing less than this with the original is another text, not a fix


@dataclass
class FixRound:
    """One candidate: the original (round 0, source "original"), the exact suggestions applied
    ("rules"), a model rewrite ("model", round 1..max_rounds), or the best of those with the key facts
    it still leaves out added at its end ("details")."""

    round: int
    source: str
    text: str
    findings: list[dict]
    stop_reason: str = ""
    eligible: bool = True  # False: empty, or too far from the original to count as a fix

    @property
    def blocking(self) -> int:
        return sum(1 for f in self.findings if f.get("severity") == "block")

    def rank(self) -> tuple:
        return (not self.eligible, self.blocking, len(self.findings))


@dataclass
class FixResult:
    text: str  # the best candidate (the original when nothing did better)
    original: str
    rounds: int  # model rounds run
    findings_before: list[dict]
    findings_after: list[dict]
    improved: bool
    stop_reason: str  # "clean", "max_rounds", "cancelled", "nothing_to_fix"
    candidates: list[FixRound] = field(default_factory=list)
    details: list[str] = field(default_factory=list)  # the key facts added at the end, not by the model

    @property
    def changed(self) -> bool:
        return self.text != self.original


def _as_dict(finding: Finding | dict) -> dict:
    return finding.to_dict() if isinstance(finding, Finding) else dict(finding)


def _mechanical(finding: dict) -> bool:
    """An exact fix: a term to remove or replace, a phrase to insert. Lengths are not: cutting a text at
    its limit loses its end, so the model shortens it instead. Missing key facts are not either: the
    model is asked to work them into the text first, and only what it leaves out is added, as lines
    (the last candidate of fix_with_model)."""
    return bool(finding.get("suggestion")) and finding.get("category") not in ("length", "coverage")


def similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, _tokens(a), _tokens(b), autojunk=False).ratio()


def _best(candidates: list[FixRound]) -> FixRound:
    return min(candidates, key=FixRound.rank)  # min keeps the earliest of equals: the smaller change


def fix_with_model(
    engine,
    text: str,
    findings: list[Finding | dict] | None,
    *,
    template: Template,
    platform: str | None,
    lang: str,
    brand: Brand | None = None,
    output: str | None = None,
    list_item: bool = False,
    ui_lang: str | None = None,
    max_rounds: int = 2,
    max_tokens: int | None = None,
    seed: int | None = None,
    on_delta: Callable[[str], None] | None = None,
    on_round: Callable[[int], None] | None = None,
    stop: Stop | None = None,
    sources: FactSources | dict | None = None,
    coverage_of: Callable[[str, str], list[dict]] | None = None,
) -> FixResult:
    """Rewrite `text` (the value of `template`'s output `output`, default the first; `list_item`: one
    item of a list output) so its findings go, at most `max_rounds` model generations.

    `findings`: what the merchant was shown for this text (reported as `findings_before`); None to
    check here. Rounds are checked with `check_output`, as Compose does; the best candidate wins
    (fewest blocking findings, then fewest findings, then the smallest change). Runs on the engine's
    thread. Cancelling (the engine's cancel, or a `stop`) returns the best so far. `sources` (what the
    merchant gave, see content/sources.py) adds the fact guard to the rounds' checks. `coverage_of(value,
    ui_lang)`: for the field of a structured result that carries its key facts, the whole result's
    coverage findings with `value` in that field (see fix_result)."""
    ui_lang = ui_lang or lang
    name = output or template.outputs[0].name
    key = f"{name}[0]" if list_item else name

    def check(value: str, in_lang: str) -> list[dict]:
        found = check_output(template, {name: [value] if list_item else value}, value, platform=platform,
                             lang=lang, brand=brand, ui_lang=in_lang, sources=sources)
        # One field of a structured result cannot carry every key fact: coverage is the whole result's.
        own = [
            f
            for f in found
            if f["field"] == key and not (template.structured and f["category"] == "coverage")
        ]
        return own + ([dict(f, field=key) for f in coverage_of(value, in_lang)] if coverage_of else [])

    def stopped() -> bool:
        return stop is not None and stop.is_set

    before = [_as_dict(f) for f in findings] if findings is not None else check(text, ui_lang)
    original = FixRound(0, "original", text, check(text, lang))
    candidates = [original]
    if not original.findings:
        return FixResult(text, text, 0, before, before, False, "nothing_to_fix", candidates)

    exact = [Finding.from_dict(widen_removal(text, f)) for f in original.findings if _mechanical(f)]
    if exact:
        fixed = tidy(apply_all(text, exact))
        if fixed != text:
            candidates.append(FixRound(0, "rules", fixed, check(fixed, lang)))

    # Loop while blocking findings remain; a text with warnings only is worked on until none is left.
    def done(candidate: FixRound) -> bool:
        return candidate.blocking == 0 if original.blocking else not candidate.findings

    rounds, stop_reason = 0, "max_rounds"
    while True:
        current = _best(candidates)
        if done(current):
            stop_reason = "clean"
            break
        if rounds >= max_rounds:
            break
        if stopped():
            stop_reason = "cancelled"
            break
        rounds += 1
        if on_round:
            on_round(rounds)
        messages = build_messages(current.text, current.findings, lang=lang, platform=platform)
        budget = max_tokens or _answer_budget(engine, current.text)
        request = GenerationRequest(messages=messages, max_tokens=budget, temperature=0.3,
                                    seed=None if seed is None else seed + rounds - 1)
        finished: Finished | None = None
        for event in engine.stream(request):
            if isinstance(event, TextDelta):
                if on_delta:
                    on_delta(event.text)
            elif isinstance(event, Finished):
                finished = event
        if finished is None or finished.stop_reason == "cancelled":
            stop_reason = "cancelled"
            break
        answer = clean_answer(finished.text)
        eligible = bool(answer) and similarity(text, answer) >= MIN_SIMILARITY
        candidates.append(FixRound(rounds, "model", answer, check(answer, lang) if answer else [],
                                   finished.stop_reason, eligible))
        if stopped():
            stop_reason = "cancelled"
            break

    best = _best(candidates)
    added: list[str] = []
    if stop_reason != "cancelled":  # what the model left out is added as details, a line a fact
        best, added = _with_details(best, candidates, lambda trial: check(trial, lang))
        if done(best):
            stop_reason = "clean"
    after = before if best is original and findings is not None else check(best.text, ui_lang)
    improved = best.rank() < original.rank()
    return FixResult(best.text, text, rounds, before, after, improved, stop_reason, candidates, added)


def _with_details(best: FixRound, candidates: list[FixRound],
                  check: Callable[[str], list[dict]]) -> tuple[FixRound, list[str]]:
    """The best candidate once `best` has the key facts it leaves out added as lines: all of them, or as
    many as bring no blocking finding it did not have (details_that_fit); and the facts that candidate
    added. Every text tried whole joins `candidates`, so a caller can tell what the lines would break."""
    trials: dict[str, FixRound] = {}

    def fits(trial: str) -> bool:
        if trial not in trials:
            trials[trial] = FixRound(best.round, "details", trial, check(trial))
        return trials[trial].blocking <= best.blocking

    detailed, facts = details_that_fit(best.text, best.findings, fits)
    whole = with_details(best.text, best.findings)[0]
    candidates += [trials[text] for text in dict.fromkeys([whole, detailed]) if text in trials]
    chosen = _best(candidates)
    return chosen, facts if chosen.source == "details" and chosen.text == detailed else []


def _answer_budget(engine, text: str) -> int:
    """Room for a rewrite of about the same length (a shortened text needs less)."""
    try:
        tokens = engine.count_tokens(text)
    except (AttributeError, RuntimeError):
        tokens = len(text)
    return max(32, min(1024, int(tokens * 1.3) + 16))


def fix_result(
    engine,
    text: str,
    fields: dict | None,
    *,
    template: Template,
    platform: str | None,
    lang: str,
    brand: Brand | None = None,
    ui_lang: str | None = None,
    max_rounds: int = 2,
    max_tokens: int | None = None,
    seed: int | None = None,
    on_delta: Callable[[str], None] | None = None,
    on_round: Callable[[int], None] | None = None,
    stop: Stop | None = None,
    sources: FactSources | dict | None = None,
) -> tuple[FixResult, dict | None]:
    """A whole Compose result: its text (unstructured), or each field of a structured result, one at a
    time (each list item on its own). Returns the combined FixResult (text as the history shows it)
    and the fixed fields (None for an unstructured result)."""
    options = dict(template=template, platform=platform, lang=lang, brand=brand, ui_lang=ui_lang,
                   max_rounds=max_rounds, max_tokens=max_tokens, seed=seed, on_delta=on_delta,
                   on_round=on_round, stop=stop, sources=sources)
    if not template.structured or not fields:
        return fix_with_model(engine, text, None, **options), None
    from desktop.core.content.structured import fields_to_text

    new_fields: dict = {}
    before: list[dict] = []
    after: list[dict] = []
    parts: list[FixResult] = []
    cancelled = False
    for name, value in fields.items():
        values = value if isinstance(value, list) else [value]
        fixed_values = []
        for i, item in enumerate(values):
            label = f"{name}[{i}]" if isinstance(value, list) else name
            if cancelled:
                fixed_values.append(item)
                continue
            part = fix_with_model(engine, str(item), None, output=name, list_item=isinstance(value, list),
                                  **options)
            parts.append(part)
            before += [dict(f, field=label) for f in part.findings_before]
            after += [dict(f, field=label) for f in part.findings_after]
            fixed_values.append(part.text)
            cancelled = part.stop_reason == "cancelled"
        new_fields[name] = fixed_values if isinstance(value, list) else fixed_values[0]
    carrier = carrier_field(template, new_fields)
    if sources is not None and carrier is not None and not cancelled:
        # The key facts the whole result leaves out: its main text field is asked to add them.
        def coverage_of(trial_fields: dict, in_lang: str) -> list[dict]:
            trial = fields_to_text(trial_fields, template, lang, platform)
            return [f for f in check_output(template, trial_fields, trial, platform=platform, lang=lang,
                                            brand=brand, ui_lang=in_lang, sources=sources)
                    if f["category"] == "coverage"]

        def with_carrier(value: str, in_lang: str) -> list[dict]:
            return coverage_of({**new_fields, carrier: value}, in_lang)

        before += [dict(f, field=carrier) for f in coverage_of(fields, ui_lang or lang)]
        if coverage_of(new_fields, lang):
            part = fix_with_model(engine, str(new_fields[carrier]), None, output=carrier,
                                  coverage_of=with_carrier, **options)
            parts.append(part)
            after = [f for f in after if f.get("field") != carrier]
            after += [dict(f, field=carrier) for f in part.findings_after]
            new_fields[carrier] = part.text
            cancelled = part.stop_reason == "cancelled"
    new_text = fields_to_text(new_fields, template, lang, platform)
    worked = [p for p in parts if p.stop_reason != "nothing_to_fix"]
    if cancelled:
        reason = "cancelled"
    elif not worked:
        reason = "nothing_to_fix"
    elif all(p.stop_reason == "clean" for p in worked):
        reason = "clean"
    else:
        reason = "max_rounds"
    def rank(found: list[dict]) -> tuple[int, int]:
        return sum(f["severity"] == "block" for f in found), len(found)

    improved = any(p.improved for p in parts) and rank(after) < rank(before)
    combined = FixResult(new_text, text, sum(p.rounds for p in parts), before, after, improved, reason,
                         [c for p in parts for c in p.candidates], [d for p in parts for d in p.details])
    return combined, new_fields


# ----- diffs -------------------------------------------------------------------------------------------
# Latin words (with digits) are one token, everything else (each CJK character, a run of spaces, a
# punctuation mark) its own: a Chinese diff goes per character, an English one per word.
_TOKEN_RE = re.compile(r"[0-9A-Za-z\u00c0-\u024f]+(?:['’][A-Za-z]+)*| +|\s|.", re.DOTALL)


def _tokens(text: str) -> list[str]:
    return _TOKEN_RE.findall(text)


def text_diff(a: str, b: str) -> list[tuple[str, str]]:
    """`a` -> `b` as (op, text) pieces, op in "equal", "delete", "insert"; joining the "equal" and
    "delete" pieces gives `a`, the "equal" and "insert" pieces give `b`."""
    ta, tb = _tokens(a), _tokens(b)
    out: list[tuple[str, str]] = []

    def add(op: str, text: str) -> None:
        if not text:
            return
        if out and out[-1][0] == op:
            out[-1] = (op, out[-1][1] + text)
        else:
            out.append((op, text))

    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, ta, tb, autojunk=False).get_opcodes():
        if tag == "equal":
            add("equal", "".join(ta[i1:i2]))
        else:
            add("delete", "".join(ta[i1:i2]))
            add("insert", "".join(tb[j1:j2]))
    return out


# Text and background colours set together: readable on a light and on a dark window alike.
DEL_STYLE = "background-color:#fbd5d5; color:#8a1111; text-decoration:line-through;"
INS_STYLE = "background-color:#cfeed3; color:#0b5a1e; text-decoration:none;"


def diff_html(a: str, b: str) -> str:
    """The diff as HTML for a rich-text view: removed text struck through on red, added text on green."""
    import html

    def esc(text: str) -> str:
        return html.escape(text).replace("\n", "<br>")

    pieces = []
    for op, text in text_diff(a, b):
        if op == "equal":
            pieces.append(esc(text))
        elif op == "delete":
            pieces.append(f'<del style="{DEL_STYLE}">{esc(text)}</del>')
        else:
            pieces.append(f'<ins style="{INS_STYLE}">{esc(text)}</ins>')
    return f'<div style="white-space:pre-wrap;">{"".join(pieces)}</div>'
