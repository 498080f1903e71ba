"""Checking a template's output the way its platform counts and the law reads, and against what the
merchant gave: one function shared by Compose, the batch runner and the history, so a finding is the
same wherever it is shown.

`review_output` runs every check and returns the findings with the supported facts (provenance), the
coverage of key facts, the inferred product category and the quality score; `check_output` returns
its findings alone, for callers that need no more.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from desktop.core.checks import check_fields
from desktop.core.checks.facts.coverage import coverage, coverage_findings, detail_style, key_facts, settings
from desktop.core.checks.facts.guard import check_facts, source_index
from desktop.core.checks.findings import Finding, sort_key
from desktop.core.checks.language import language_findings
from desktop.core.checks.repetition import repetition_findings
from desktop.core.checks.score import quality_score
from desktop.core.checks.textmatch import fold
from desktop.core.content.brands import Brand
from desktop.core.content.sources import FactSources, brand_text
from desktop.core.content.templates import Template


@dataclass
class OutputReview:
    findings: list[dict]  # finding dicts, each with the output `field` it belongs to
    facts: list[dict] = field(default_factory=list)  # supported facts: field, start, end, text, kind, source
    coverage: dict | None = None  # Coverage.to_dict() when the sources were given
    category: dict | None = None  # the inferred product category, when none was given
    score: dict = field(default_factory=dict)  # quality_score(): value and parts
    # each measured length (LengthReport.to_dict()), with the output `field` it belongs to and the
    # `platform_field` its limit is the platform's for
    lengths: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"findings": self.findings, "facts": self.facts, "coverage": self.coverage,
                "category": self.category, "score": self.score, "lengths": self.lengths}


def _units(template: Template, fields: dict) -> list[tuple[str, str]]:
    """(field key, text) of every checked text: `name`, or `name[i]` for each item of a list."""
    out = []
    for output in template.outputs:
        if output.name not in fields:
            continue
        value = fields[output.name]
        if isinstance(value, list):
            out += [(f"{output.name}[{i}]", str(item or "")) for i, item in enumerate(value)]
        else:
            out.append((output.name, str(value or "")))
    return out


def carrier_field(template: Template, fields: dict) -> str | None:
    """The output that carries a result's key facts: its longest single text (a description, a body),
    not a title beside it or a list item."""
    texts = [o.name for o in template.outputs if o.type != "list" and isinstance(fields.get(o.name), str)]
    return max(texts, key=lambda name: len(fields[name]), default=None)


def _tag(findings: list[Finding], key: str) -> list[dict]:
    return [dict(f.to_dict(), field=key) for f in sorted(findings, key=sort_key)]


def _repetition(template: Template, fields: dict, lang: str | None, ui_lang: str) -> list[dict]:
    """Repetition is judged over each output as a whole (a list's items together: small models repeat
    across bullets), and reported in the item where the repeated words are."""
    out = []
    for output in template.outputs:
        value = fields.get(output.name)
        if value is None:
            continue
        items = [str(v or "") for v in value] if isinstance(value, list) else [str(value)]
        joined = "\n".join(items)
        for finding in repetition_findings(joined, lang, ui_lang):
            offset = 0
            for i, item in enumerate(items):
                if offset <= finding.start and finding.end <= offset + len(item):
                    key = f"{output.name}[{i}]" if isinstance(value, list) else output.name
                    moved = Finding(**{**finding.__dict__, "start": finding.start - offset,
                                       "end": finding.end - offset})
                    out += _tag([moved], key)
                    break
                offset += len(item) + 1
    return out


def review_output(
    template: Template,
    fields: dict | None,
    text: str,
    *,
    platform: str | None,
    lang: str | None,
    brand: Brand | None = None,
    category: str | None = None,
    keywords: list[str] | None = None,
    ui_lang: str = "en",
    sources: FactSources | dict | None = None,
    required: list[str] | None = None,
) -> OutputReview:
    """Every check of one result. Output names map to their platform field (`limit_field`) for limits
    and field-specific rules.

    `lang`: the language the copy was asked for (the language guard); `sources`: what the merchant gave
    (FactSources, or a plain dict name -> text): with it, the fact guard and coverage run; `required`:
    facts that must appear (added to the sources' own); `category`: the product category, inferred
    from the product's words and the text when None."""
    fields = fields if fields else {template.outputs[0].name: text}
    facts_in = FactSources.of(sources)
    by_platform_field: dict[str, str | list[str]] = {}
    back: dict[str, str] = {}
    for output in template.outputs:
        if output.name not in fields:
            continue
        key = output.limit_field or output.name
        by_platform_field[key] = fields[output.name]
        back[key] = output.name
    results = check_fields(
        by_platform_field, platform, lang=lang, category=category,
        brand=brand.to_dict() if brand else None, keywords=keywords, ui_lang=ui_lang,
        context=facts_in.product_words if facts_in else "",
    )
    findings: list[dict] = []
    lengths: list[dict] = []
    inferred = None
    for key, result in results.items():
        base, _, index = key.partition("[")
        name = back.get(base, base) + (f"[{index}" if index else "")
        findings.extend(dict(f.to_dict(), field=name) for f in result.findings)
        lengths.extend(dict(r.to_dict(), field=name, platform_field=r.field) for r in result.lengths)
        inferred = inferred or result.category

    units = _units(template, fields)
    known = fold("\n".join([*(facts_in.sources.values() if facts_in else ()), brand_text(brand)]))
    for key, value in units:
        findings += _tag(language_findings(value, lang, known, ui_lang), key)
    findings += _repetition(template, fields, lang, ui_lang)

    supported: list[dict] = []
    covered = None
    if facts_in is not None:
        index = source_index(facts_in.sources)
        for key, value in units:
            checked = check_facts(value, index, platform=platform, ui_lang=ui_lang)
            findings += _tag(checked.findings, key)
            supported += [dict(fact, field=key) for fact in checked.supported]
        wanted = [*facts_in.required, *(required or [])]
        check_all = template.content_type in settings()["coverage"]["content_types"]
        facts = key_facts(facts_in.key_texts if check_all else {}, wanted)
        result = coverage(facts, "\n".join(value for _, value in units))
        covered = result.to_dict()
        if units:
            carrier = carrier_field(template, fields)
            value = next((v for k, v in units if k == carrier), None)
            # A missing fact is added at the end of the text that carries the key facts (a result of
            # lists alone is offered no fix); in titles and ads (required facts only), inline.
            style = detail_style(value or "", one_line=not check_all)
            findings += _tag(coverage_findings(result, ui_lang, at=None if value is None else len(value),
                                               style=style), carrier or units[0][0])
    return OutputReview(findings, supported, covered, inferred, quality_score(findings, covered), lengths)


def check_output(
    template: Template,
    fields: dict | None,
    text: str,
    *,
    platform: str | None,
    lang: str | None,
    brand: Brand | None = None,
    category: str | None = None,
    keywords: list[str] | None = None,
    ui_lang: str = "en",
    sources: FactSources | dict | None = None,
    required: list[str] | None = None,
) -> list[dict]:
    """Findings for every output field, each a finding dict plus the output `field` it belongs to (see
    review_output)."""
    return review_output(template, fields, text, platform=platform, lang=lang, brand=brand, category=category,
                         keywords=keywords, ui_lang=ui_lang, sources=sources, required=required).findings
