"""One request from the merchant to finished, stored copy: pick the template, render it, generate N
variants (seeds seed, seed+1, ...), parse structured answers, and save each variant to the history
as one group. The GUI and the CLI both call `compose()`; it runs on the engine's thread.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from desktop.core.checks.language import script_counts
from desktop.core.compose_request import ComposeRequest
from desktop.core.content.brands import Brand
from desktop.core.content.checking import OutputReview, review_output
from desktop.core.content.render import RenderedPrompt, max_tokens_for, render_to_fit
from desktop.core.content.script_grammar import script_grammar
from desktop.core.content.sources import fact_sources
from desktop.core.content.structured import fields_to_text, parse_output
from desktop.core.content.templates import Template
from desktop.core.engine import Finished, GenerationRequest, TextDelta
from desktop.core.engine.interface import dry_settings, provenance
from desktop.core.errors import ShopscribeError
from desktop.core.store.examples import (
    Example,
    examples_block,
    few_shot_enabled,
    for_product,
    kept_examples,
    with_examples,
)
from desktop.core.store.history import save_generation
from desktop.core.store.settings import stored_dry
from desktop.core.store.sqlite import Database
from desktop.core.store.templates import Resolved, TemplateLibrary


@dataclass
class VariantResult:
    index: int
    history_id: int | None
    text: str
    fields: dict | None
    seed: int
    prompt_tokens: int
    completion_tokens: int
    ttft_s: float
    tokens_per_s: float
    stop_reason: str
    raw_text: str = ""
    warnings: list[str] = field(default_factory=list)
    findings: list[dict] = field(default_factory=list)  # compliance and length findings, per output field
    facts: list[dict] = field(default_factory=list)  # supported facts with their source (provenance)
    score: dict = field(default_factory=dict)  # quality score 0-100 with its parts
    coverage: dict | None = None  # key facts of the product and which the text carries
    category: dict | None = None  # the product category inferred for the rules, when none was given
    candidates: list[dict] = field(default_factory=list)  # best-of-N: each candidate's seed and score
    lengths: list[dict] = field(default_factory=list)  # each measured length, per output field

    def review(self) -> OutputReview:
        """The review compose() stored with this result, as the checks returned it."""
        return OutputReview(self.findings, self.facts, self.coverage, self.category, self.score, self.lengths)

    @property
    def stats(self) -> dict:
        return {"prompt_tokens": self.prompt_tokens, "completion_tokens": self.completion_tokens,
                "ttft_s": self.ttft_s, "tokens_per_s": self.tokens_per_s}


@dataclass
class ComposeResult:
    group_id: str
    template: Template
    rendered: RenderedPrompt
    results: list[VariantResult]
    model_id: str
    cancelled: bool = False
    engine: str = "local"  # which engine wrote it: "local" or a remote server's address

    @property
    def warnings(self) -> list[str]:
        return list(self.rendered.warnings)


@dataclass
class ComposeStarted:
    group_id: str
    rendered: RenderedPrompt
    variants: int


@dataclass
class VariantDelta:
    index: int
    text: str


@dataclass
class VariantRetry:
    """Variant `index` came back in another language than `lang`: it is written again, held to that
    language's script; its text so far is replaced (no `text` attribute: this is not streamed text)."""

    index: int
    lang: str


@dataclass
class VariantDone:
    index: int
    result: VariantResult


def resolve_request(request: ComposeRequest, db: Database | None) -> Resolved:
    """Template, platform and language by the one resolver batch jobs use too (a template chosen by id
    wins over the content type, as the form sends both)."""
    return TemplateLibrary(db).resolve(
        template_id=request.template_id, content_type=None if request.template_id else request.content_type,
        platform=request.platform, lang=request.lang, texts=request.fields.values())


def resolve_template(request: ComposeRequest, db: Database | None) -> Template:
    return resolve_request(request, db).template


def resolve_brand(brand: Brand | str | None, db: Database | None) -> Brand | None:
    if brand is None or isinstance(brand, Brand):
        return brand
    if db is None:
        raise ShopscribeError("A brand name needs the database.", "需要数据库才能读取品牌。")
    from desktop.core.store.brands import get_brand

    return get_brand(db, brand)


def prompt_budget(engine, max_tokens: int) -> tuple[Callable[[list[dict]], int] | None, int]:
    """(token counter for messages, tokens the prompt may take): the context minus room for the answer
    (at most half the context). No counter for an engine without a tokenizer (test doubles)."""
    if not hasattr(engine, "count_prompt_tokens") or not getattr(engine, "n_ctx", None):
        return None, 0
    n_ctx = int(engine.n_ctx)

    def count(messages: list[dict]) -> int:
        return engine.count_prompt_tokens(GenerationRequest(messages=messages, max_tokens=1))

    return count, n_ctx - min(max_tokens, n_ctx // 2) - 2


def _tokens(engine, text: str) -> int:
    from desktop.core.store.examples import estimate_tokens

    return engine.count_tokens(text) if hasattr(engine, "count_tokens") else estimate_tokens(text)


def kept_copy(request: ComposeRequest, engine, db: Database | None, template: Template, platform: str | None,
              lang: str) -> list[Example]:
    """Few-shot examples for this product from the merchant's kept copy (none when switched off)."""
    if not request.examples or not few_shot_enabled(db):
        return []
    from desktop.core.store.history import flatten_inputs

    kept = kept_examples(db, template.id, platform, lang)
    if not kept:
        return []
    return for_product(kept, flatten_inputs(request.fields), lambda text: _tokens(engine, text))


def compose(
    request: ComposeRequest, engine, db: Database | None,
    on_event: Callable[[ComposeStarted | VariantDelta | VariantDone], None] | None = None,
    *, save: bool = True,
) -> ComposeResult:
    """Generate `request.variants` variants and store each in the history (when `db` is given and
    `save`; `shopscribe serve` reads templates and brands from the store but saves nothing)."""
    if request.variants < 1:
        raise ShopscribeError("Ask for at least one variant.", "至少生成一个版本。")
    if request.best_of < 1:
        raise ShopscribeError("Ask for at least one candidate.", "至少生成一个候选。")
    resolved = resolve_request(request, db)
    template, platform, lang = resolved.template, resolved.platform, resolved.lang
    brand = resolve_brand(request.brand, db)
    max_tokens = request.max_tokens or max_tokens_for(template, request.length)
    count, budget = prompt_budget(engine, max_tokens)
    shots = kept_copy(request, engine, db, template, platform, lang)
    budget -= _tokens(engine, examples_block(shots, lang)) if shots else 0
    rendered = render_to_fit(template, request.fields, count_tokens=count, budget=budget, lang=lang,
                             brand=brand, tone=request.tone, audience=request.audience, length=request.length,
                             platform=platform)
    rendered = with_examples(rendered, shots)
    schema = rendered.json_schema
    sources = fact_sources(template, rendered.given, brand=brand, lang=lang, ui_lang=request.ui_lang,
                           required=request.required)
    group_id = uuid.uuid4().hex
    base_seed = request.seed if request.seed is not None else random.randrange(2**31)
    dry = request.dry_multiplier if request.dry_multiplier is not None else stored_dry(db)
    options = {k: v for k, v in (("temperature", request.temperature), ("top_p", request.top_p),
                                 ("repeat_penalty", request.repeat_penalty),
                                 ("dry_multiplier", dry)) if v is not None}
    if on_event:
        on_event(ComposeStarted(group_id, rendered, request.variants))

    def reviewed(answer: str) -> tuple[dict | None, list[str], str, OutputReview]:
        """(fields, warnings, the text as shown and stored, its review) of a raw answer."""
        fields, warnings = parse_output(answer, template)
        text = fields_to_text(fields, template, lang, platform) if fields is not None else answer.strip()
        return fields, warnings, text, review_output(
            template, fields, text, platform=platform, lang=lang, brand=brand, category=request.category,
            ui_lang=request.ui_lang, sources=sources)

    results: list[VariantResult] = []
    cancelled = False
    for index in range(request.variants):
        gen = GenerationRequest(messages=rendered.messages, max_tokens=max_tokens, seed=base_seed + index,
                                json_schema=schema, **options)
        finished: Finished | None = None
        candidates: list[dict] = []
        if request.best_of > 1:
            def judge(text: str) -> dict:
                return reviewed(text)[3].score

            def show(text: str, index: int = index) -> None:
                if on_event:
                    on_event(VariantDelta(index, text))

            finished, gen, candidates = best_of(engine, gen, request.best_of, request.variants, judge, show)
        else:
            finished = _stream(engine, gen, index, on_event)
        if finished is None:
            raise ShopscribeError("The engine stopped without finishing.", "生成引擎意外停止。")
        cancelled = finished.stop_reason == "cancelled"
        if cancelled and not finished.text.strip():
            break
        fields, warnings, text, review = reviewed(finished.text)
        retried = False
        if not cancelled and script_grammar(lang) and wrong_language(review.findings):
            # The language guard's constrained retry: the same request, held to the language's script
            # (a structured answer keeps its JSON grammar, its strings held to the script).
            if on_event:
                on_event(VariantRetry(index, lang))
            gen_again = (replace(gen, script=lang) if gen.json_schema
                         else replace(gen, grammar=script_grammar(lang)))
            again = _stream(engine, gen_again, index, on_event)
            cancelled = again is not None and again.stop_reason == "cancelled"
            if again is not None and again.text.strip():
                answer = reviewed(again.text)
                han, latin = script_counts(answer[2])
                written = (han if lang == "zh" else latin) > 0  # held to the script, but not empty of it
                better = answer[3].score.get("value", 0) >= review.score.get("value", 0)
                if written and better and not wrong_language(answer[3].findings):
                    finished, gen, retried = again, gen_again, True
                    fields, warnings, text, review = answer
        result = VariantResult(
            index=index, history_id=None, text=text, fields=fields, seed=gen.seed,
            prompt_tokens=finished.prompt_tokens, completion_tokens=finished.completion_tokens,
            ttft_s=finished.ttft_s, tokens_per_s=finished.tokens_per_s, stop_reason=finished.stop_reason,
            raw_text=finished.text, warnings=warnings, candidates=candidates,
        )
        result.findings, result.facts, result.score = review.findings, review.facts, review.score
        result.coverage, result.category, result.lengths = review.coverage, review.category, review.lengths
        if db is not None and save:
            result.history_id = save_generation(db, {
                "group_id": group_id, "variant_index": index, "content_type": template.content_type,
                "platform": platform, "lang": lang, "template_id": template.id,
                "template_version": template.version, "brand_id": brand.id if brand else None,
                "tone": request.tone, "inputs": dict(request.fields), "prompt_system": rendered.system,
                "prompt_user": rendered.user, **provenance(engine, finished),
                "sampling": {"max_tokens": max_tokens, "seed": gen.seed, "grammar": schema is not None,
                             "audience": request.audience, "length": request.length, **options,
                             **dry_settings(gen),
                             **({"best_of": request.best_of, "candidates": candidates} if candidates else {}),
                             **({"language_retry": lang} if retried else {}),
                             **({"examples": [e.generation_id for e in shots]} if shots else {})},
                "text": text, "fields": fields, "findings": result.findings, "score": result.score,
                "stats": {**result.stats, "total_s": finished.total_s,
                          "cached_tokens": finished.cached_tokens},
                "stop_reason": finished.stop_reason, "product_id": request.product_id,
                "job_id": request.job_id,
            })
        results.append(result)
        if on_event:
            on_event(VariantDone(index, result))
        if cancelled:
            break
    return ComposeResult(group_id, template, rendered, results, engine.model_id, cancelled,
                         getattr(engine, "engine", "local"))


def wrong_language(findings: list[dict]) -> bool:
    """The language guard's block finding: the answer is not in the language that was asked for."""
    return any(f.get("category") == "language" and f.get("severity") == "block" for f in findings)


def _stream(engine, gen: GenerationRequest, index: int, on_event) -> Finished | None:
    """One generation, its text reported as variant `index`'s."""
    finished = None
    for event in engine.stream(gen):
        if isinstance(event, TextDelta):
            if on_event:
                on_event(VariantDelta(index, event.text))
        elif isinstance(event, Finished):
            finished = event
    return finished


def best_of(engine, gen: GenerationRequest, n: int, stride: int, score: Callable[[str], dict],
            on_text: Callable[[str], None]) -> tuple[Finished, GenerationRequest, list[dict]]:
    """N candidates of one request as parallel sequences in one pass (seeds gen.seed, +stride, ...: the
    first is the plain request's own), each scored by `score(text)` (the quality score of the checks);
    returns the best (the earliest of equals), its request, and every candidate's seed and score. The
    first candidate streams as it is written; the window shows the chosen one when all are done. The
    other candidates are not kept: only their seeds and scores, in the history's sampling record."""
    requests = [replace(gen, seed=(gen.seed + k * stride) % 2**31) for k in range(n)]

    def forward(event) -> None:
        if isinstance(event, TextDelta) and event.seq == 0 and event.text:
            on_text(event.text)

    answers = engine.generate_batch(requests, forward)
    if any(a.stop_reason == "cancelled" for a in answers):  # stopped: keep what was shown
        return answers[0], requests[0], []
    scores = [score(a.text) for a in answers]
    values = [s.get("value", 0) if s else 0 for s in scores]
    chosen = max(range(n), key=lambda k: (values[k], -k))
    candidates = [{"seed": r.seed, "score": v, "chosen": k == chosen}
                  for k, (r, v) in enumerate(zip(requests, values, strict=True))]
    return answers[chosen], requests[chosen], candidates


def warm_up_checks() -> None:
    """Load the checks' rule files and compile their patterns now. The first review of a session costs
    a few hundred milliseconds, much of it in single long calls (compiling large regular expressions)
    that hold the GIL: run from a worker while the window is idle, it is not paid while text streams."""
    from desktop.core.store.templates import TemplateLibrary

    library = TemplateLibrary(None)
    for template_id, platform, lang, text in (
        ("generic-product-description", None, "en", "A 750 ml steel bottle for ¥29, cold for 24 h."),
        ("taobao-title", "taobao", "zh", "保温杯 500ml 24小时保冷 全网第一"),
    ):
        template = library.get(template_id)
        review_output(template, None, text, platform=platform, lang=lang, ui_lang=lang,
                      sources={"fields": {"product_name": text}})
