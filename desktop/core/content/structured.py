"""The model's answer to a template: parsed into the template's output fields, and shown as text.

Structured templates answer in JSON held to a schema by a grammar; an answer cut short by the token
budget is closed and parsed as far as it got, with a warning, rather than thrown away.
"""

from __future__ import annotations

import json
import re

from desktop.core import platforms as platform_facts
from desktop.core.content.presets import localized
from desktop.core.content.templates import Template

_EACH = re.compile(r"\s*[((](each|每条|每段)[))]\s*$")
_ECHO_BLOCK = re.compile(r"<product>.*?</product>", re.DOTALL | re.IGNORECASE)
_ECHO_TAG = re.compile(r"</?product>", re.IGNORECASE)


def strip_echo(text: str) -> str:
    """Small models sometimes echo the prompt's <product> block or its tags: never part of the answer."""
    kept = _ECHO_TAG.sub("", _ECHO_BLOCK.sub("", text)).strip()
    return kept or _ECHO_TAG.sub("", text).strip()  # the whole answer sat inside the tags: keep it


def _close(text: str) -> str:
    """`text` with its open string, arrays and objects closed."""
    stack: list[str] = []
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "{[":
            stack.append("}" if char == "{" else "]")
        elif char in "}]" and stack:
            stack.pop()
    if escaped:
        text = text[:-1]
    if in_string:
        text += '"'
    text = text.rstrip()
    if text.endswith(","):
        text = text[:-1]
    if text.endswith(":"):
        text += "null"
    return text + "".join(reversed(stack))


def repair_json(text: str) -> tuple[object, bool]:
    """(the JSON value in `text`, whether it had to be closed because it was cut short);
    (None, False) when nothing parses."""
    text = text.strip()
    start = min((i for i in (text.find("{"), text.find("[")) if i >= 0), default=-1)
    if start < 0:
        return None, False
    text = text[start:]
    try:
        return json.loads(text, strict=False), False
    except ValueError:
        pass
    cuts = [len(text)] + [i for i in range(len(text) - 1, 0, -1) if text[i] == ","][:40]
    for cut in cuts:
        try:
            return json.loads(_close(text[:cut]), strict=False), True
        except ValueError:
            continue
    return None, False


def parse_output(text: str, template: Template) -> tuple[dict | None, list[str]]:
    """(fields by output name, warnings). Plain-text templates give their one field the whole text."""
    if not template.structured:
        return {template.outputs[0].name: strip_echo(text)}, []
    warnings: list[str] = []
    data, repaired = repair_json(text)
    if not isinstance(data, dict):
        return None, ["The model's answer is not the JSON the template asks for. / 模型的回答不是模板要求的 JSON。"]
    if repaired:
        warnings.append("The answer was cut short; the fields hold what was written. / 回答被截断,字段只包含已生成的部分。")
    fields: dict = {}
    for output in template.outputs:
        value = data.get(output.name)
        if value is None:
            warnings.append(f"The model did not write {output.name!r}. / 模型没有生成 {output.name!r}。")
        if output.type == "list":
            items = value if isinstance(value, list) else ([] if value is None else [value])
            fields[output.name] = [str(v).strip() for v in items if v is not None and str(v).strip()]
        else:
            if isinstance(value, list):
                value = "\n".join(str(v) for v in value)
            fields[output.name] = "" if value is None else str(value).strip()
    return fields, warnings


def output_label(template: Template, name: str, lang: str, platform: str | None = None) -> str:
    output = next((o for o in template.outputs if o.name == name), None)
    platform = platform or template.platform
    if output is not None and output.limit_field and platform:
        limit = platform_facts.field_limit(platform, output.limit_field)
        if limit is not None and limit.label:
            return _EACH.sub("", localized(limit.label, lang))
    return name.replace("_", " ").capitalize()


def fields_to_text(fields: dict, template: Template, lang: str, platform: str | None = None) -> str:
    """A readable version of the fields (what the history shows and searches)."""
    if not template.structured:
        return str(next(iter(fields.values()), ""))
    blocks = []
    for name, value in fields.items():
        label = output_label(template, name, lang, platform)
        body = "\n".join(f"- {v}" for v in value) if isinstance(value, list) else str(value)
        blocks.append(f"{label}\n{body}")
    return "\n\n".join(blocks)
