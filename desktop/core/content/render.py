"""Rendering a template into the messages the model reads.

Templates are the merchant's to edit and import, so they run in jinja2's immutable sandbox with a
work and size budget (sandbox.py): no attribute starting with `_`, nothing huge, StrictUndefined so a
missing variable is an error that names it. Product data goes inside <product> ... </product>, and
the rules in every system prompt say that text is data, not instructions.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from jinja2 import TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SecurityError

from desktop.core import platforms as platform_facts
from desktop.core.content import presets
from desktop.core.content.brands import Brand, brand_prompt_block
from desktop.core.content.syntax import ENV, compile_source, template_error
from desktop.core.content.templates import Template
from desktop.core.errors import TemplateError

FIELD_CAP = 4000  # characters kept of one product field: a small model's context is small
MIN_FIELD_CAP = 40  # render_to_fit cuts no field shorter than this: below it the template itself is too long
_TAG = re.compile(r"<\s*(/?)\s*product\s*>", re.IGNORECASE)
# Chat-template control tokens (ChatML, Llama 3, Phi-3, DeepSeek, Gemma, Llama 2 / Mistral): llama.cpp
# parses them anywhere in the formatted prompt, so in product data they could end the user's turn and
# start a fake system turn. In data they are shown with look-alike brackets instead.
_CONTROL_TOKEN = re.compile(
    r"<[|｜][^<>|｜\n]{0,64}[|｜]>|</?(?:s|bos|eos|pad|unk|start_of_turn|end_of_turn)>|\[/?(?:INST|SYS)\]|<</?SYS>>",
    re.IGNORECASE,
)
_LOOK_ALIKE = str.maketrans({"<": "‹", ">": "›", "[": "［", "]": "］"})
# Fields that catalogs name differently from the templates' variables.
ALIASES = {"product_name": ("name", "title", "product", "商品名称", "标题")}


@dataclass
class RenderedPrompt:
    system: str
    user: str
    messages: list[dict]
    json_schema: dict | None
    max_tokens: int
    template_id: str
    template_version: int
    lang: str
    platform: str | None
    variables: dict = field(default_factory=dict)  # the values used (defaults filled, long ones cut)
    warnings: list[str] = field(default_factory=list)
    # render_to_fit only: the values before it cut them shorter to fit the context. A fact from the cut
    # part is still the merchant's own, so the fact guard reads these (`given`).
    uncut_variables: dict | None = None

    @property
    def given(self) -> dict:
        """What the merchant gave, as the fact guard and coverage read it."""
        return self.variables if self.uncut_variables is None else self.uncut_variables


def defuse_control_tokens(text: str) -> str:
    """Chat control tokens in data shown with look-alike brackets (the one place they are known)."""
    return _CONTROL_TOKEN.sub(lambda m: m.group(0).translate(_LOOK_ALIKE), text)


def _render_text(template_id: str, part: str, source: str, context: dict) -> str:
    try:
        return ENV.render_bounded(compile_source(source), context).strip()
    except (SecurityError, UndefinedError, TemplateSyntaxError) as exc:
        raise template_error(template_id, part, exc) from exc
    except (TypeError, ValueError, AttributeError, OverflowError, RecursionError, MemoryError) as exc:
        raise template_error(template_id, part, exc) from exc


def _clean_value(name: str, value, warnings: list[str], cap: int = FIELD_CAP) -> str:
    text = "" if value is None else str(value).strip()
    text = _TAG.sub(lambda m: f"[{m.group(1)}product]", text)  # the data cannot close its own <product> tag
    text = defuse_control_tokens(text)  # nor start a chat turn
    if len(text) > cap:
        warnings.append(
            f"The field {name!r} was cut to {cap} characters (it had {len(text)}). / "
            f"字段 {name!r} 过长({len(text)} 字),已截取前 {cap} 字。"
        )
        text = text[:cap]
    return text


def _resolve_variables(template: Template, given: dict, warnings: list[str],
                       cap: int = FIELD_CAP) -> tuple[dict, dict]:
    """(values by variable name, extra fields the template does not declare)."""
    given = {str(k): v for k, v in (given or {}).items()}
    for target, aliases in ALIASES.items():
        if template.variable(target) and not str(given.get(target) or "").strip():
            for alias in aliases:
                if str(given.get(alias) or "").strip():
                    given[target] = given.pop(alias)
                    break
    values = {v.name: _clean_value(v.name, given.get(v.name),
                                   warnings, cap) or v.default for v in template.variables}
    missing = [v for v in template.variables if v.required and not values[v.name]]
    if missing:
        names_en = ", ".join(f"{v.name} ({presets.localized(v.label, 'en') or v.name})" for v in missing)
        names_zh = "、".join(presets.localized(v.label, "zh") or v.name for v in missing)
        raise TemplateError(
            f"Template {template.id!r} needs a value for: {names_en}.",
            f"模板 {template.id!r} 缺少必填字段:{names_zh}。"
        )
    declared = {v.name for v in template.variables}
    extra = {k: _clean_value(k, v, warnings, cap) for k, v in given.items() if k not in declared}
    return values, {k: v for k, v in extra.items() if v}


def _product_block(template: Template, values: dict, extra: dict, lang: str) -> str:
    lines = []
    for var in template.variables:
        if var.in_product and values.get(var.name):
            label = presets.localized(var.label, lang) or var.name
            lines.append(f"{label}: {values[var.name]}")
    lines += [f"{key}: {value}" for key, value in extra.items()]
    return "\n".join(lines)


_COUNTER_TEXT = {
    "characters": {"zh": "不超过{max}字", "en": "at most {max} characters"},
    "width": {"zh": "不超过{max}个字符宽度(一个汉字算2)",
              "en": "at most {max} width (a Chinese character counts 2)"},
    "utf8_bytes": {"zh": "不超过{max}字节", "en": "at most {max} bytes"},
    "x_weighted": {"zh": "不超过{max}(一个汉字算2)",
                   "en": "at most {max} (X count; a Chinese character counts 2)"},
}


def item_bounds(output, platform: str | None) -> tuple[int | None, int | None]:
    limit = platform_facts.field_limit(platform,
                                       output.limit_field) if platform and output.limit_field else None
    low = output.min_items if output.min_items is not None else (limit.count_min if limit else None)
    high = output.max_items if output.max_items is not None else (limit.count_max if limit else None)
    return low, high


def _output_line(output, platform: str | None, lang: str) -> str:
    limit = platform_facts.field_limit(platform,
                                       output.limit_field) if platform and output.limit_field else None
    parts = [presets.localized(output.description, lang)] if output.description else []
    if output.type == "list":
        low, high = item_bounds(output, platform)
        if low is not None and low == high:
            parts.append(f"{low}条" if lang == "zh" else f"{low} items")
        elif low is not None or high is not None:
            span = f"{low or 1}-{high}" if high else f"{low}+"
            parts.append(f"{span}条" if lang == "zh" else f"{span} items")
    if limit is not None:
        text = _COUNTER_TEXT.get(limit.counter, _COUNTER_TEXT["characters"])[lang].format(max=limit.max)
        if output.type == "list":
            each = output.limit_scope == "each"
            text = (
                ("每条" if each else "合计") + text
                if lang == "zh"
                else ("each " if each else "in total ") + text
            )
        if limit.recommended:
            text += f"(建议{limit.recommended}以内)" if lang == "zh" else f" (best under {limit.recommended})"
        parts.append(text)
    sep = "," if lang == "zh" else "; "
    return f"- {output.name}: {sep.join(parts)}" if parts else f"- {output.name}"


def json_schema_for(template: Template, platform: str | None = None) -> dict | None:
    """The JSON schema of a structured template's answer (None for plain-text templates)."""
    if not template.structured:
        return None
    platform = platform or template.platform
    properties = {}
    for output in template.outputs:
        if output.type == "list":
            prop: dict = {"type": "array", "items": {"type": "string"}}
            low, high = item_bounds(output, platform)
            if low is not None:
                prop["minItems"] = low
            if high is not None:
                prop["maxItems"] = high
        else:
            prop = {"type": "string"}
        properties[output.name] = prop
    return {"type": "object", "properties": properties, "required": list(properties),
            "additionalProperties": False}


def max_tokens_for(template: Template, length: str | None) -> int:
    length = length or presets.default_length()
    if length in template.max_tokens:
        return int(template.max_tokens[length])
    preset = presets.lengths().get(length) or presets.lengths()[presets.default_length()]
    return int(preset["max_tokens"])


def render(
    template: Template, variables: dict, *, lang: str, brand: Brand | None = None, tone: str | None = None,
    audience: str | None = None, length: str | None = None, platform: str | None = None,
    field_cap: int = FIELD_CAP,
) -> RenderedPrompt:
    """System and user prompts for this template, product and choices, in `lang` (zh or en).
    Each product field is cut to `field_cap` characters, with a warning."""
    if lang not in presets.LANGS:
        raise TemplateError(f"Unknown language {lang!r}: use zh or en.", f"未知语言 {lang!r},请用 zh 或 en。")
    for part in ("system", "user"):
        if not getattr(template, part).get(lang, "").strip():
            raise TemplateError(
                f"Template {template.id!r} has no {lang} {part} prompt.",
                f"模板 {template.id!r} 没有 {lang} 版本的提示词。"
            )
    platform = platform or template.platform
    warnings: list[str] = []
    values, extra = _resolve_variables(template, variables, warnings, field_cap)
    limits = {}
    for output in template.outputs:
        limit = platform_facts.field_limit(platform,
                                           output.limit_field) if platform and output.limit_field else None
        if limit is not None:
            limits[output.name] = limit.max
    context = {
        **values, "product": _product_block(template, values, extra, lang), "rules": presets.rules(lang),
        "lang": lang, "limits": limits,
        "platform_name": platform_facts.platform_name(platform, lang) if platform else "",
    }
    system = _render_text(template.id, f"system.{lang}", template.system[lang], context)
    user = _render_text(template.id, f"user.{lang}", template.user[lang], context)

    extra_lines = [presets.tone_instruction(tone, lang), presets.audience_instruction(audience, lang),
                   presets.length_instruction(length, lang), brand_prompt_block(brand, lang)]
    spec = [_output_line(o, platform, lang) for o in template.outputs]
    if template.structured:
        extra_lines.append(presets.json_instruction(lang) + "\n" + "\n".join(spec))
    elif spec[0] != f"- {template.outputs[0].name}":
        extra_lines.append(spec[0].split(": ", 1)[-1])
    system = "\n".join([system, *[line for line in extra_lines if line]])
    return RenderedPrompt(
        system=system, user=user,
        messages=[{"role": "system", "content": system}, {"role": "user", "content": user}],
        json_schema=json_schema_for(template, platform), max_tokens=max_tokens_for(template, length),
        template_id=template.id, template_version=template.version, lang=lang, platform=platform,
        variables={**values, **extra}, warnings=warnings,
    )


def render_to_fit(
    template: Template, variables: dict, *, count_tokens: Callable[[list[dict]], int] | None, budget: int,
    **choices,
) -> RenderedPrompt:
    """render(), with the product fields cut shorter (the longest first, all to one length) when the
    prompt would take more than `budget` tokens, so a huge product still generates instead of failing
    on the context; a warning says so. `count_tokens(messages)` is the engine's count of the formatted
    prompt (None: no engine to ask, render as is). When even MIN_FIELD_CAP-character fields do not fit,
    the shortest rendering is returned and the engine's PromptTooLongError says why."""
    rendered = render(template, variables, **choices)
    if count_tokens is None or count_tokens(rendered.messages) <= budget:
        return rendered
    low, high = MIN_FIELD_CAP, max([MIN_FIELD_CAP, *(len(str(v)) for v in rendered.variables.values())])
    best = render(template, variables, field_cap=low, **choices)
    while low < high:  # the longest cap that fits; each try is a render and a tokenization, both quick
        middle = (low + high + 1) // 2
        attempt = render(template, variables, field_cap=middle, **choices)
        if count_tokens(attempt.messages) <= budget:
            low, best = middle, attempt
        else:
            high = middle - 1
    best.uncut_variables = rendered.variables
    best.warnings.append(
        f"The product data was too long for the model's context ({budget} tokens for the prompt), so long "
        f"fields were cut to {low} characters. Raise the context length in Settings to keep more. / "
        f"商品信息超出模型上下文(提示词最多 {budget} 个 token),较长的字段已截取前 {low} 字。"
        "可在设置中调大上下文长度以保留更多内容。"
    )
    return best


def render_preview(template: Template, lang: str, **choices) -> RenderedPrompt:
    """The template rendered with its sample values (for the template editor's preview)."""
    samples = dict(template.samples)
    for var in template.variables:
        if not samples.get(var.name) and (var.example or var.default):
            samples[var.name] = var.example or var.default
    return render(template, samples, lang=lang, **choices)
