"""The Compose page's road to the core: choices for the pickers, the rendered prompt, and one engine
job per variant (render -> generate -> parse -> save to history).

The work itself is core's (`desktop.core.content` renders, `desktop.core.store.history` saves,
`desktop.core.checks` checks); this module only strings the calls together for the engine thread and
keeps Qt out of them. When `desktop.core.compose` offers the same chain, `variant_job` calls it.
"""

from __future__ import annotations

import json
import logging
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from desktop.core.engine import Engine, Finished, GenerationRequest

log = logging.getLogger(__name__)


@dataclass
class ComposeRequest:
    content_type: str
    template_id: str
    variables: dict[str, str]
    lang: str = "zh"
    platform: str | None = None
    brand: int | str | None = None  # brand id or name
    tone: str | None = None
    length: str | None = None
    audience: str | None = None
    variants: int = 1
    temperature: float = 0.7
    seed: int | None = None
    max_tokens: int | None = None  # None: the length preset's budget

    def seed_for(self, index: int) -> int:
        return (self.seed if self.seed is not None else random.randrange(1 << 30)) + index


@dataclass
class VariantResult:
    index: int
    text: str
    finished: Finished
    fields: dict | None = None
    history_id: int | None = None
    model_id: str = ""
    prompt_system: str = ""
    prompt_user: str = ""
    warnings: list[str] = field(default_factory=list)


@dataclass
class Choices:
    """Everything the pickers show, read in one go on the store thread."""

    content_types: dict[str, dict]
    templates: list  # content.templates.Template
    brands: list  # content.brands.Brand
    tones: dict[str, dict]
    lengths: dict[str, dict]
    default_length: str
    platform_names: dict[str, dict]
    platform_langs: dict[str, str]


def load_choices(db) -> Choices:
    from desktop.core import platforms
    from desktop.core.content import presets
    from desktop.core.content.templates import list_templates
    from desktop.core.store.brands import list_brands

    return Choices(
        content_types=presets.content_types(), templates=list_templates(db), brands=list_brands(db),
        tones=presets.tones(), lengths=presets.lengths(), default_length=presets.default_length(),
        platform_names={pid: spec["name"] for pid, spec in platforms.platforms().items()},
        platform_langs={pid: spec.get("lang") for pid, spec in platforms.platforms().items() if spec.get("lang")},
    )


def _brand(db, name_or_id):
    if not name_or_id:
        return None
    from desktop.core.store.brands import get_brand

    return get_brand(db, name_or_id)


def render_prompt(db, request: ComposeRequest):
    """The RenderedPrompt for this request (for "Show prompt" and for the job)."""
    from desktop.core.content.render import render
    from desktop.core.content.templates import get_template

    template = get_template(db, request.template_id)
    return render(
        template, request.variables, lang=request.lang, brand=_brand(db, request.brand), tone=request.tone,
        audience=request.audience, length=request.length, platform=request.platform,
    )


def _grammar(schema: dict | None) -> str | None:
    if not schema:
        return None
    from llama_cpp.llama_grammar import json_schema_to_gbnf

    return json_schema_to_gbnf(json.dumps(schema))


def parse_fields(text: str) -> dict | None:
    """The JSON object a structured template asked for; None when the text is not one (cancelled)."""
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def variant_job(request: ComposeRequest, index: int, group_id: str) -> Callable[[Engine], Iterator]:
    """A job for the engine thread: yields the engine's events, returns a VariantResult (saved)."""

    def work(engine: Engine):
        from desktop.core.store import open_db
        from desktop.core.store.history import save_generation

        db = open_db()
        try:
            prompt = render_prompt(db, request)
            brand = _brand(db, request.brand)
            sampling = {
                "temperature": request.temperature, "seed": request.seed_for(index),
                "max_tokens": request.max_tokens or prompt.max_tokens, "length": request.length,
                "audience": request.audience,
            }
            gen = GenerationRequest(
                messages=prompt.messages, max_tokens=sampling["max_tokens"], temperature=request.temperature,
                seed=sampling["seed"], grammar=_grammar(prompt.json_schema),
            )
            finished = None
            for event in engine.stream(gen):
                if isinstance(event, Finished):
                    finished = event
                yield event
            assert isinstance(finished, Finished)
            fields = parse_fields(finished.text) if prompt.json_schema else None
            record = {
                "group_id": group_id, "variant_index": index, "content_type": request.content_type,
                "platform": request.platform, "lang": request.lang, "template_id": prompt.template_id,
                "template_version": prompt.template_version, "brand_id": brand.id if brand else None,
                "tone": request.tone, "inputs": request.variables, "prompt_system": prompt.system,
                "prompt_user": prompt.user, "model_id": engine.model_id, "model_path": str(engine.model_path),
                "sampling": sampling, "text": finished.text, "fields": fields,
                "stats": {
                    "prompt_tokens": finished.prompt_tokens, "completion_tokens": finished.completion_tokens,
                    "ttft_s": finished.ttft_s, "tokens_per_s": finished.tokens_per_s, "total_s": finished.total_s,
                },
                "stop_reason": finished.stop_reason,
            }
            history_id = save_generation(db, record)
            return VariantResult(
                index=index, text=finished.text, finished=finished, fields=fields, history_id=history_id,
                model_id=engine.model_id, prompt_system=prompt.system, prompt_user=prompt.user,
                warnings=list(prompt.warnings),
            )
        finally:
            db.close()

    return work


# ----- checks -------------------------------------------------------------------------------------
def brand_dict(db, name_or_id) -> dict | None:
    brand = _brand(db, name_or_id)
    return brand.to_dict() if brand else None


def run_checks(text: str, fields: dict | None, *, platform: str | None, lang: str, brand: dict | None,
               ui_lang: str, single_field: str | None = None) -> dict[str, Any]:
    """Findings and lengths for a result: per field for structured results (`{field or field[i]:
    CheckResult}`), else `{single_field or "": CheckResult}`."""
    from desktop.core.checks import check_fields, check_text

    if fields:
        return check_fields(fields, platform, lang=lang, brand=brand, ui_lang=ui_lang)
    return {single_field or "": check_text(text, platform=platform, field=single_field, lang=lang,
                                           brand=brand, ui_lang=ui_lang)}


def checks_for(db, text: str, fields: dict | None, *, platform, lang, brand_name, ui_lang, single_field):
    """`run_checks` with the brand looked up (for the store thread)."""
    return run_checks(text, fields, platform=platform, lang=lang, brand=brand_dict(db, brand_name),
                      ui_lang=ui_lang, single_field=single_field)


def save_checked(db, history_id: int, results: dict) -> None:
    from desktop.core.store.history import set_findings

    findings = [dict(f.to_dict(), field=key) for key, res in results.items() for f in res.findings]
    set_findings(db, history_id, findings)
