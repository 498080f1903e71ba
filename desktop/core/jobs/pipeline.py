"""One job item from product to checked result: the prompt for a product, the generation request,
and the verdict on the model's answer (parsed, validated, checked) that decides done, retry or failed.

The verdict is strict on purpose: a batch writes hundreds of cells nobody reads one by one, so an
answer that is not the template's JSON, misses a field, has too few or too many list items, was cut
short by the token budget, or breaks a platform's hard length limit is not `done`.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field, replace

from desktop.core.checks.facts.coverage import details_that_fit
from desktop.core.compose import prompt_budget, wrong_language
from desktop.core.content.brands import Brand
from desktop.core.content.checking import OutputReview, carrier_field, review_output
from desktop.core.content.language import LanguageError
from desktop.core.content.render import (
    RenderedPrompt,
    item_bounds,
    json_schema_for,
    max_tokens_for,
    render,
    render_to_fit,
)
from desktop.core.content.script_grammar import script_grammar
from desktop.core.content.sources import FactSources, fact_sources
from desktop.core.content.structured import fields_to_text, parse_output
from desktop.core.content.templates import Template
from desktop.core.engine import Finished, GenerationRequest
from desktop.core.engine.interface import dry_settings, provenance
from desktop.core.errors import TemplateError
from desktop.core.jobs.model import DEFAULT_RETRIES, Job, JobError
from desktop.core.store.examples import (
    Example,
    estimate_tokens,
    examples_block,
    few_shot_enabled,
    kept_examples,
    with_examples,
    within_budget,
)
from desktop.core.store.sqlite import Database
from desktop.core.store.templates import Resolved, TemplateLibrary

# Product fields that identify or link a product rather than describe it: kept out of the prompt.
NOT_FOR_PROMPT = ("handle", "sku", "barcode", "image", "seo_title", "seo_description")
RENAMED = {"name": "product_name", "brand": "brand_name"}
_TAGS = re.compile(r"<[^>]{0,200}>")
SAMPLING_OPTIONS = ("temperature", "top_p", "repeat_penalty", "dry_multiplier")
ONE_LINE_OUTPUTS = ("title", "headline", "subject")


def resolve_job(db: Database | None, *, template_id: str | None, content_type: str | None,
                platform: str | None, lang: str | None, texts=()) -> Resolved:
    """The job's template, platform and language by the resolver Compose uses too
    (`TemplateLibrary.resolve`); a refusal is the job's error."""
    try:
        return TemplateLibrary(db).resolve(template_id=template_id, content_type=content_type,
                                           platform=platform, lang=lang, texts=texts)
    except (TemplateError, LanguageError) as exc:
        raise JobError(exc.en, exc.zh) from exc


def product_variables(product: dict) -> dict[str, str]:
    """A stored product's fields as template variables: describing fields only, HTML stripped from
    an old description (the model needs its facts, not its markup)."""
    values: dict[str, str] = {}
    for key, value in (product.get("fields") or {}).items():
        text = str(value or "").strip()
        if key in NOT_FOR_PROMPT or not text:
            continue
        if key == "description":
            text = re.sub(r"\s+\n|\n\s+", "\n", _TAGS.sub(" ", text)).strip()
        values[RENAMED.get(key, key)] = text
    return values


@dataclass
class Verdict:
    """The model's answer judged: `problems` empty means valid."""

    fields: dict | None
    text: str
    findings: list[dict]
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    review: OutputReview | None = None  # facts with their sources, coverage and the quality score
    details: list[str] = field(default_factory=list)  # key facts added as lines, not by the model

    @property
    def score(self) -> dict | None:
        return self.review.score if self.review else None

    @property
    def valid(self) -> bool:
        return not self.problems

    @property
    def reason(self) -> str:
        return "; ".join(self.problems)


@dataclass
class JobPlan:
    """Everything a job's items share, resolved once per run."""

    job: Job
    template: Template
    platform: str | None
    lang: str
    brand: Brand | None
    json_schema: dict | None  # structured templates: the engine holds the answer to it with a grammar
    options: dict
    examples: list[Example] = field(default_factory=list)  # few-shot: one set for every item of the job

    @classmethod
    def load(cls, db: Database, job: Job) -> JobPlan:
        resolved = resolve_job(db, template_id=job.template_id, content_type=job.content_type,
                               platform=job.platform, lang=job.lang)
        template, platform = resolved.template, resolved.platform
        brand = None
        if job.brand_id is not None:
            from desktop.core.store.brands import find_brand

            brand = find_brand(db, int(job.brand_id))
        options = dict(job.options or {})
        lang = resolved.lang
        examples: list[Example] = []
        if options.get("examples", True) and few_shot_enabled(db):
            # The most recently kept copy, not this job's own (a set that changed mid-job would break
            # the prompt prefix the items share).
            kept = kept_examples(db, template.id, platform, lang, exclude_job=job.id)
            examples = within_budget(kept, None)
        return cls(job, template, platform, lang, brand, json_schema_for(template, platform), options,
                   examples)

    @property
    def retries(self) -> int:
        return max(0, int(self.options.get("retries", DEFAULT_RETRIES)))

    @property
    def best_of(self) -> int:
        """Candidates per variant (job option `best_of`, default 1: in a batch N multiplies the work)."""
        return max(1, int(self.options.get("best_of") or 1))

    @property
    def answers_per_item(self) -> int:
        """Answers generated together for one item: every variant's candidates."""
        return max(1, self.job.variants) * self.best_of

    def pick(self, verdicts: list[Verdict]) -> int | None:
        """The answer an item keeps: with best-of-N, the valid one with the highest quality score (the
        earliest of equals); else the first valid one. None when none is valid."""
        valid = [i for i, v in enumerate(verdicts) if v.valid]
        if not valid:
            return None
        if self.best_of == 1:
            return valid[0]
        return max(valid, key=lambda i: ((verdicts[i].score or {}).get("value", 0), -i))

    def seed(self, position: int, attempt: int, variant: int = 0) -> int:
        """A fixed seed per item, attempt and variant: a resumed job draws what it would have drawn."""
        base = int(self.options.get("seed") or 0)
        return (base + position * 1009 + attempt * 101 + variant) % 2**31

    def prompt(self, product: dict, engine=None) -> RenderedPrompt:
        """The item's prompt; with an engine, over-long product fields are cut to fit its context
        (with a warning) rather than failing the item."""
        choices = {"lang": self.lang, "brand": self.brand, "tone": self.job.tone,
                   "audience": self.options.get("audience"), "length": self.options.get("length"),
                   "platform": self.platform}
        if engine is None:
            return with_examples(render(self.template, product_variables(product), **choices), self.examples)
        max_tokens = int(self.options.get("max_tokens") or max_tokens_for(self.template, choices["length"]))
        count, budget = prompt_budget(engine, max_tokens)
        budget -= estimate_tokens(examples_block(self.examples, self.lang)) if self.examples else 0
        rendered = render_to_fit(self.template, product_variables(product), count_tokens=count, budget=budget,
                                 **choices)
        return with_examples(rendered, self.examples)

    def sources(self, rendered: RenderedPrompt | None) -> FactSources | None:
        """What the merchant gave for this item (the prompt's product values, the brand, the template),
        for the fact guard and coverage; None without a rendered prompt (an edit checks without)."""
        if rendered is None:
            return None
        required = self.options.get("required") or []
        return fact_sources(self.template, rendered.given, brand=self.brand, lang=self.lang,
                            ui_lang=self.ui_lang,
                            required=required if isinstance(required, list) else [required])

    @property
    def ui_lang(self) -> str:
        return self.options.get("ui_lang") or self.lang

    def max_tokens(self, rendered: RenderedPrompt) -> int:
        return int(self.options.get("max_tokens") or rendered.max_tokens)

    def request(self, rendered: RenderedPrompt, seed: int, *, script_only: bool = False) -> GenerationRequest:
        """The generation request; `script_only`: the constrained language retry (a plain-text answer held
        by a grammar to the job's script, digits and punctuation; a structured one's JSON strings held to
        it)."""
        sampling = {k: self.options[k] for k in SAMPLING_OPTIONS if self.options.get(k) is not None}
        grammar = script_grammar(self.lang) if script_only and not self.json_schema else None
        script = self.lang if script_only and self.json_schema else None  # its JSON's strings, held
        return GenerationRequest(messages=rendered.messages, max_tokens=self.max_tokens(rendered), seed=seed,
                                 json_schema=self.json_schema, stop=self.stop, grammar=grammar, script=script,
                                 **sampling)

    @staticmethod
    def wrong_language(verdict: Verdict) -> bool:
        """The language guard's block finding: the answer is not in the language the job asked for."""
        return wrong_language(verdict.findings)

    @property
    def stop(self) -> tuple[str, ...]:
        """Stop strings: the job's own, else a line break for one-line plain outputs (a title): what a
        small model writes after the title's line is never part of it."""
        if self.options.get("stop") is not None:
            return tuple(str(s) for s in self.options["stop"] if s)
        outputs = self.template.outputs
        return ("\n",) if not self.template.structured and outputs[0].name in ONE_LINE_OUTPUTS else ()

    # ----- judging an answer ------------------------------------------------------------------------
    def judge(self, text: str, stop_reason: str | None = None, sources: FactSources | None = None) -> Verdict:
        """Parse the answer, validate it against the template and run the checks (with `sources`, the
        fact guard and coverage too: see sources())."""
        fields, warnings = parse_output(text, self.template)
        if fields is None:
            problems = [CUT_SHORT] if stop_reason == "length" else []
            problems.append(_msg("the answer is not the JSON the template asks for",
                                 "回答不是模板要求的 JSON"))
            return Verdict(None, text.strip(), [], problems, warnings)
        return self.judge_fields(fields, stop_reason=stop_reason, warnings=warnings, sources=sources)

    def judge_fields(self, fields: dict, *, stop_reason: str | None = None,
                     warnings: list[str] | None = None, sources: FactSources | None = None) -> Verdict:
        fields = self.normalise_fields(fields)
        problems: list[str] = []
        if stop_reason == "length":
            problems.append(CUT_SHORT)
        for output in self.template.outputs:
            value = fields.get(output.name)
            if output.type == "list":
                low, high = item_bounds(output, self.platform)
                n = len(value or [])
                if n == 0:
                    problems.append(_msg(f"{output.name} is empty", f"{output.name} 为空"))
                elif (low is not None and n < low) or (high is not None and n > high):
                    span = f"{low if low is not None else 1}-{high if high is not None else '∞'}"
                    problems.append(_msg(f"{output.name} has {n} items, needs {span}",
                                         f"{output.name} 有 {n} 条,需要 {span} 条"))
            elif not str(value or "").strip():
                problems.append(_msg(f"{output.name} is empty", f"{output.name} 为空"))
        review = self.review(fields, sources)
        for finding in review.findings:
            if finding["category"] == "length" and finding["severity"] == "block":
                problems.append(finding["message"])
        text = fields_to_text(fields, self.template, self.lang, self.platform)
        return Verdict(fields, text, review.findings, problems, list(warnings or []), review)

    def with_details(self, verdict: Verdict, rendered: RenderedPrompt) -> Verdict:
        """Job option `add_facts`: the key facts a valid answer leaves out, added at the end of its main
        text as lines in the merchant's words (as "Fix with the model" and the card's Add do). The answer
        gets only the lines that keep it valid (under a platform's length limit): all, some or none."""
        if not self.options.get("add_facts") or not verdict.valid or verdict.fields is None:
            return verdict
        carrier = carrier_field(self.template, verdict.fields)
        if carrier is None:
            return verdict
        sources = self.sources(rendered)
        judged: dict[str, Verdict] = {}

        def fits(value: str) -> bool:
            if value not in judged:
                fields = {**verdict.fields, carrier: value}
                judged[value] = self.judge_fields(fields, warnings=verdict.warnings, sources=sources)
            return judged[value].valid

        value, facts = details_that_fit(verdict.fields[carrier], verdict.findings, fits)
        return replace(judged[value], details=facts) if facts else verdict

    def normalise_fields(self, fields: dict) -> dict:
        """Exactly the template's outputs, lists as lists of non-empty strings (an edit may send a list
        as lines of text)."""
        out: dict = {}
        for output in self.template.outputs:
            value = fields.get(output.name)
            if output.type == "list":
                items = value.splitlines() if isinstance(value, str) else list(value or [])
                out[output.name] = [str(v).strip() for v in items if v is not None and str(v).strip()]
            else:
                out[output.name] = "" if value is None else str(value).strip()
        return out

    def check(self, fields: dict, sources: FactSources | None = None) -> list[dict]:
        """Length limits and compliance findings for every field, each tagged with its field name (the
        same check Compose runs); with `sources`, unsupported facts and coverage too."""
        return self.review(fields, sources).findings

    def review(self, fields: dict, sources: FactSources | None = None) -> OutputReview:
        text = fields_to_text(fields, self.template, self.lang, self.platform)
        return review_output(self.template, fields, text, platform=self.platform, lang=self.lang,
                             brand=self.brand, category=self.options.get("category"), ui_lang=self.ui_lang,
                             sources=sources)

    # ----- the history row --------------------------------------------------------------------------
    def history_record(self, engine, rendered: RenderedPrompt, product: dict, finished: Finished,
                       verdict: Verdict, *, seed: int, group_id: str, variant_index: int = 0) -> dict:
        """The generations row of one answer (the same keys compose writes)."""
        sampling = {"max_tokens": self.max_tokens(rendered), "seed": seed,
                    "grammar": self.json_schema is not None,
                    "audience": self.options.get("audience"), "length": self.options.get("length"),
                    **{k: self.options[k] for k in SAMPLING_OPTIONS if self.options.get(k) is not None},
                    **dry_settings(self.request(rendered, seed)),
                    **({"examples": [e.generation_id for e in self.examples]} if self.examples else {}),
                    **({"details_added": verdict.details} if verdict.details else {})}
        return {
            "group_id": group_id, "variant_index": variant_index, "content_type": self.template.content_type,
            "platform": self.platform, "lang": self.lang, "template_id": self.template.id,
            "template_version": self.template.version, "brand_id": self.brand.id if self.brand else None,
            "tone": self.job.tone, "inputs": rendered.variables, "prompt_system": rendered.system,
            "prompt_user": rendered.user, **provenance(engine, finished), "sampling": sampling,
            "text": verdict.text,
            "fields": verdict.fields if self.template.structured else None,
            "stats": {"prompt_tokens": finished.prompt_tokens,
                      "completion_tokens": finished.completion_tokens,
                      "ttft_s": finished.ttft_s, "tokens_per_s": finished.tokens_per_s,
                      "total_s": finished.total_s, "cached_tokens": finished.cached_tokens},
            "stop_reason": finished.stop_reason, "findings": verdict.findings, "score": verdict.score,
            "product_id": product["id"], "job_id": self.job.id,
        }


def new_group_id() -> str:
    return uuid.uuid4().hex


def _msg(en: str, zh: str) -> str:
    return f"{en} / {zh}"


CUT_SHORT = _msg("cut short by the token limit (raise max tokens)", "被最大长度截断(请调高 max tokens)")
