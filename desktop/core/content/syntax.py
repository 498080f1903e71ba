"""The one sandboxed jinja2 environment every template compiles in, and the errors it raises in the
merchant's words. Loading a template checks its syntax here (templates.py); rendering uses the same
compiled sources (render.py): two users, so neither imports the other for it."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from jinja2 import StrictUndefined, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SecurityError

from desktop.core.content.sandbox import BoundedSandbox
from desktop.core.errors import TemplateError

_UNDEFINED_NAME = re.compile(r"'([^']+)' is undefined|has no attribute '([^']+)'")

ENV = BoundedSandbox(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False,
                     trim_blocks=True, lstrip_blocks=True)


@lru_cache(maxsize=256)
def compile_source(source: str) -> Any:
    try:
        return ENV.compile_source(source)
    except (SyntaxError, RecursionError, MemoryError) as exc:  # Python's own limits on nesting
        raise TemplateSyntaxError(f"the template is nested too deeply ({type(exc).__name__})", 1) from exc


def template_error(template_id: str, part: str, exc: Exception) -> TemplateError:
    if isinstance(exc, SecurityError):
        return TemplateError(
            f"Template {template_id!r} ({part}) tried something the sandbox forbids ({exc}); it was refused.",
            f"模板 {template_id!r}({part})试图执行被沙箱禁止的操作,已拒绝。"
        )
    if isinstance(exc, UndefinedError):
        match = _UNDEFINED_NAME.search(str(exc))
        name = (match.group(1) or match.group(2)) if match else str(exc)
        return TemplateError(
            f"Template {template_id!r} ({part}) needs the variable {name!r}, which was not given.",
            f"模板 {template_id!r}({part})需要变量 {name!r},但没有提供。"
        )
    if isinstance(exc, TemplateSyntaxError):
        return TemplateError(
            f"Template {template_id!r} ({part}) has a syntax error on line {exc.lineno}: {exc.message}.",
            f"模板 {template_id!r}({part})第 {exc.lineno} 行有语法错误。"
        )
    return TemplateError(f"Template {template_id!r} ({part}) failed to render: {exc}.",
                         f"模板 {template_id!r} 渲染失败。")


def check_syntax(template_id: str, prompts: dict[str, dict[str, str]]) -> None:
    """Compile every prompt ({"system": {lang: source}, "user": {...}}); the first error is raised."""
    for part, by_lang in prompts.items():
        for lang, source in by_lang.items():
            try:
                compile_source(source)
            except TemplateSyntaxError as exc:
                raise template_error(template_id, f"{part}.{lang}", exc) from exc
