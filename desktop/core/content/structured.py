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
_ECHO_BLOCK = re.compile(r"<\s*product\s*>.*?<\s*/\s*product\s*>", re.DOTALL | re.IGNORECASE)
_ECHO_TAG = re.compile(r"<\s*/?\s*product\s*>|&lt;/?product&gt;", re.IGNORECASE)
# "Label: value" at the start of a line, the label at most a few words (**bold** as markdown writes it).
_LABEL_LINE = re.compile(r"^[ \t]*(?:[-*•]\s*)?(?:\*\*)?(?P<label>[^\n:：|*]{1,30}?)(?:\*\*)?[ "
                         r"\t]*[:：][ \t]*"
                         r"(?:\*\*)?(?P<value>[^\n]*)$", re.MULTILINE)
# A data row: two or more "Key: value" pairs joined by "|" ("Price: 24.00 | ItemPrice: $159.68").
_DATA_ROW = re.compile(r"^[ \t]*[^\n:：|]{1,30}[:：][^\n|]*(?:\|[ \t]*[^\n:：|]{1,30}[:：][^\n|]*)+$",
                       re.MULTILINE)
# Labels of the prompt's product block and of answers in general, beside each template's own labels.
PRODUCT_LABELS = frozenset({
    "product", "product name", "name", "brand", "brand name", "category", "key features", "features",
    "specifications",
    "specs", "price", "keywords", "other notes", "notes", "audience", "tone", "platform", "sku", "handle",
    "商品", "商品名称", "产品名称", "名称", "品牌", "类目", "卖点", "特点", "卖点/特点", "规格", "规格参数",
    "价格", "关键词",
    "补充说明", "备注", "受众", "语气", "平台",
})
ANSWER_LABELS = frozenset({"title", "product title", "answer", "output", "copy", "text", "标题", "商品标题",
                           "回答", "文案", "正文"})


def _folded_label(label: str) -> str:
    return re.sub(r"\s+", " ", label.strip().lower().replace("_", " "))


def _labels(template: Template | None, output: str | None) -> tuple[frozenset, frozenset]:
    """(labels of echoed product data, labels that name this answer itself)."""
    product, own = set(PRODUCT_LABELS), set(ANSWER_LABELS)
    if template is not None:
        for var in template.variables:
            product.add(_folded_label(var.name))
            product.update(_folded_label(v) for v in var.label.values())
        for out in template.outputs:
            names = {_folded_label(out.name), *(_folded_label(v) for v in out.description.values())}
            (own if output is None or out.name == output else product).update(names)
    return frozenset(product), frozenset(own - {""})


def strip_echo(text: str, template: Template | None = None, output: str | None = None) -> str:
    """The answer without what small models echo from the prompt: the <product> block or its tags, data
    rows ("Price: 24.00 | ItemPrice: $159.68"), leading lines that repeat the product data ("Product
    name: ...", "商品名称：...") and a leading label naming the answer itself ("Title: ..."), which goes
    while its value stays. `template`/`output` add that template's own labels."""
    kept = _ECHO_TAG.sub("", _ECHO_BLOCK.sub("", text)).strip()
    if not kept:
        return _ECHO_TAG.sub("", text).strip()  # the whole answer sat inside the tags: keep it
    kept = _DATA_ROW.sub("", kept).strip() or kept
    product, own = _labels(template, output)
    while True:
        m = _LABEL_LINE.match(kept)
        if m is None:
            break
        label, value = _folded_label(m.group("label")), m.group("value").strip().strip("*").strip()
        rest = kept[m.end():].strip()
        if label in own:
            kept = (value + ("\n" + rest if rest else "")).strip()
            break
        if label in product and (rest or not value):
            kept = rest
            continue
        break
    return kept


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
        return {template.outputs[0].name: strip_echo(text, template)}, []
    warnings: list[str] = []
    data, repaired = repair_json(text)
    if not isinstance(data, dict):
        return None, ["The model's answer is not the JSON the template asks for. / 模型的回答不是模"
                      "板要求的 JSON。"]
    if repaired:
        warnings.append("The answer was cut short; the fields hold what was written. / "
                        "回答被截断,字段只包含已生成的部分。")
    fields: dict = {}
    for output in template.outputs:
        value = data.get(output.name)
        if value is None:
            warnings.append(f"The model did not write {output.name!r}. / 模型没有生成 {output.name!r}。")
        if output.type == "list":
            items = value if isinstance(value, list) else ([] if value is None else [value])
            items = [strip_echo(str(v), template, output.name) for v in items if v is not None]
            fields[output.name] = [v for v in items if v]
        else:
            if isinstance(value, list):
                value = "\n".join(str(v) for v in value)
            fields[output.name] = "" if value is None else strip_echo(str(value), template, output.name)
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
