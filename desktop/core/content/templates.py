"""Templates: a system prompt and a user prompt per language with named variables, the output fields
(each tied to a platform field in `resources/platforms.json` for its limit), and sample values.

Built-ins are data files in `resources/templates/`; the merchant's own live in the database, and
`desktop.core.store.templates.TemplateLibrary` is the one place that merges both. Built-ins cannot be
deleted, only hidden.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache

from desktop.core import platforms as platform_facts
from desktop.core.content.presets import LANGS, content_types
from desktop.core.content.syntax import check_syntax
from desktop.core.errors import TemplateError
from desktop.core.paths import resource

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
VAR_PATTERN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")
OUTPUT_TYPES = ("string", "list")


@dataclass
class Variable:
    name: str
    label: dict = field(default_factory=dict)
    required: bool = False
    default: str = ""
    multiline: bool = False
    example: str = ""
    in_product: bool = True  # listed inside <product> ... </product> when it has a value


@dataclass
class Output:
    name: str
    description: dict = field(default_factory=dict)
    type: str = "string"  # or "list" (of strings)
    limit_field: str | None = None  # the platform field (platforms.json) whose counter and limit apply
    min_items: int | None = None  # lists: overrides the platform's count_min
    max_items: int | None = None  # lists: overrides the platform's count_max
    limit_scope: str = "each"  # lists: the limit applies to each item, or to the "total" text


@dataclass
class Template:
    id: str
    content_type: str
    name: dict
    system: dict
    user: dict
    outputs: list[Output]
    version: int = 1
    platform: str | None = None
    platforms: list[str] = field(default_factory=list)  # every platform it serves (platform first)
    description: dict = field(default_factory=dict)
    variables: list[Variable] = field(default_factory=list)
    samples: dict = field(default_factory=dict)
    max_tokens: dict = field(default_factory=dict)  # per length preset, overriding lengths.json
    builtin: bool = False
    hidden: bool = False

    @property
    def structured(self) -> bool:
        """Several output fields (or a list): the model answers in JSON, held to a schema by a grammar."""
        return len(self.outputs) > 1 or any(o.type == "list" for o in self.outputs)

    def label(self, lang: str) -> str:
        return self.name.get(lang) or self.name.get("en") or self.id

    def variable(self, name: str) -> Variable | None:
        return next((v for v in self.variables if v.name == name), None)

    def serves(self, platform: str | None) -> bool:
        return platform is None or platform in self.platforms

    def to_dict(self) -> dict:
        """The portable form (export files, the database's data column): no builtin/hidden flags."""
        data = asdict(self)
        data.pop("builtin")
        data.pop("hidden")
        return data


def _fail(where: str, message: str) -> TemplateError:
    return TemplateError(f"Template {where}: {message}", f"模板 {where}:格式错误({message})")


def _text_dict(value, where: str, key: str, *, need_any: bool = True) -> dict:
    if value is None:
        value = {}
    if isinstance(value, str):
        value = {"en": value, "zh": value}
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k,
                                              v in value.items()):
        raise _fail(where,
                    f"'{key}' must be an object of texts by language, like {{\"zh\": ..., \"en\": ...}}")
    if need_any and not any(value.get(lang, "").strip() for lang in LANGS):
        raise _fail(where, f"'{key}' needs a zh or en text")
    return dict(value)


def _opt_int(value, where: str, key: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _fail(where, f"'{key}' must be a whole number")
    return value


def _variable(data, where: str) -> Variable:
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("name"), str)
        or not VAR_PATTERN.match(data["name"])
    ):
        raise _fail(where, "each variable needs a 'name' made of letters, digits and _")
    return Variable(
        name=data["name"], label=_text_dict(data.get("label"), where, "label", need_any=False),
        required=bool(data.get("required", False)), default=str(data.get("default") or ""),
        multiline=bool(data.get("multiline", False)), example=str(data.get("example") or ""),
        in_product=bool(data.get("in_product", True)),
    )


def _output(data, where: str, platform: str | None) -> Output:
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("name"), str)
        or not VAR_PATTERN.match(data["name"])
    ):
        raise _fail(where, "each output needs a 'name' made of letters, digits and _")
    kind = data.get("type", "string")
    if kind not in OUTPUT_TYPES:
        raise _fail(where, f"output {data['name']!r} has type {kind!r}; use 'string' or 'list'")
    limit_field = data.get("limit_field")
    if limit_field is not None:
        if not isinstance(limit_field, str):
            raise _fail(where, f"output {data['name']!r}: 'limit_field' must be a text")
        if platform and platform_facts.field_limit(platform, limit_field) is None:
            raise _fail(where, f"output {data['name']!r}: platform {platform!r} has no field {limit_field!r}")
    return Output(
        name=data["name"],
        description=_text_dict(data.get("description"), where, "description", need_any=False),
        type=kind, limit_field=limit_field, min_items=_opt_int(data.get("min_items"), where, "min_items"),
        max_items=_opt_int(data.get("max_items"), where, "max_items"),
        limit_scope=_scope(data.get("limit_scope", "each"), where),
    )


def _scope(value, where: str) -> str:
    if value not in ("each", "total"):
        raise _fail(where, "'limit_scope' must be 'each' or 'total'")
    return value


def template_from_dict(data, *, builtin: bool = False, hidden: bool = False) -> Template:
    """Check a template's data and build it; a TemplateError says what is wrong and where."""
    if not isinstance(data, dict):
        raise _fail("?", "a template must be a JSON object")
    tid = data.get("id")
    if not isinstance(tid, str) or not ID_PATTERN.match(tid):
        raise _fail(repr(tid), "'id' must be lowercase letters, digits, '-', '_' or '.' (at most 64)")
    where = repr(tid)
    version = data.get("version", 1)
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise _fail(where, "'version' must be a whole number from 1")
    content_type = data.get("content_type")
    if content_type not in content_types():
        raise _fail(where, f"unknown content_type {content_type!r}; use one of {', '.join(content_types())}")
    known_platforms = platform_facts.platform_ids()
    platform = data.get("platform")
    if platform is not None and platform not in known_platforms:
        raise _fail(where, f"unknown platform {platform!r}")
    served = data.get("platforms") or ([platform] if platform else [])
    if not isinstance(served, list) or any(p not in known_platforms for p in served):
        raise _fail(where, "'platforms' must list known platform ids")
    if platform and platform not in served:
        served = [platform, *served]
    system = _text_dict(data.get("system"), where, "system")
    user = _text_dict(data.get("user"), where, "user")
    variables = data.get("variables") or []
    outputs = data.get("outputs") or []
    if not isinstance(variables, list) or not isinstance(outputs, list) or not outputs:
        raise _fail(where, "'variables' must be a list and 'outputs' a non-empty list")
    variables = [_variable(v, where) for v in variables]
    outputs = [_output(o, where, platform) for o in outputs]
    for kind, names in (("variable", [v.name for v in variables]), ("output", [o.name for o in outputs])):
        dupes = {n for n in names if names.count(n) > 1}
        if dupes:
            raise _fail(where, f"{kind} names repeat: {', '.join(sorted(dupes))}")
    samples = data.get("samples") or {}
    max_tokens = data.get("max_tokens") or {}
    if not isinstance(samples, dict) or not isinstance(max_tokens, dict):
        raise _fail(where, "'samples' and 'max_tokens' must be objects")
    if any(isinstance(v, bool) or not isinstance(v, int) or v < 1 for v in max_tokens.values()):
        raise _fail(where, "'max_tokens' values must be whole numbers")
    template = Template(
        id=tid, version=version, content_type=content_type, platform=platform, platforms=list(served),
        name=_text_dict(data.get("name"), where, "name"),
        description=_text_dict(data.get("description"), where, "description", need_any=False),
        variables=variables, system=system, user=user, outputs=outputs,
        samples={str(k): str(v) for k, v in samples.items()}, max_tokens=dict(max_tokens),
        builtin=builtin, hidden=hidden,
    )
    check_syntax(template.id, {"system": template.system, "user": template.user})
    return template


@lru_cache(maxsize=1)
def _builtin_cache() -> dict[str, Template]:
    out: dict[str, Template] = {}
    for path in sorted(resource("templates").glob("*.json")):
        template = template_from_dict(json.loads(path.read_text(encoding="utf-8")), builtin=True)
        if template.id in out:
            raise TemplateError(f"Two built-in templates share the id {template.id!r} ({path.name}).")
        out[template.id] = template
    return out


def load_builtin_templates() -> dict[str, Template]:
    """The built-in templates by id (fresh copies: callers may change them)."""
    return {tid: template_from_dict(t.to_dict(), builtin=True) for tid, t in _builtin_cache().items()}


def load_builtin_template(template_id: str) -> Template | None:
    """One built-in template by id (a fresh copy), or None: a request needs only its own."""
    template = _builtin_cache().get(template_id)
    return None if template is None else template_from_dict(template.to_dict(), builtin=True)


def builtin_ids() -> set[str]:
    return set(_builtin_cache())
