"""The merchant's templates in the database, the hidden flags of built-ins, and the `TemplateLibrary`
that merges them with the built-ins (the one way to list, get or choose a template).

A user template's full data lives in the `data` JSON column; name, type, platform and version are
copied into columns so lists need not parse JSON. A built-in appears here only as a hidden flag.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from desktop.core.content.language import resolve_lang
from desktop.core.content.presets import content_types
from desktop.core.content.templates import (
    Template,
    builtin_ids,
    load_builtin_template,
    load_builtin_templates,
    template_from_dict,
)
from desktop.core.errors import TemplateError
from desktop.core.store.codec import from_json, now_iso, to_json
from desktop.core.store.sqlite import Database


def _from_row(row: dict) -> Template:
    return template_from_dict(from_json(row["data"], {}), builtin=False, hidden=bool(row["hidden"]))


def user_templates(db: Database) -> list[Template]:
    rows = db.query("SELECT * FROM templates WHERE builtin = 0 ORDER BY created_at, id")
    return [_from_row(r) for r in rows]


def find_user_template(db: Database, template_id: str) -> Template | None:
    row = next(db.query("SELECT * FROM templates WHERE id = ? AND builtin = 0", [template_id]), None)
    return _from_row(row) if row else None


def hidden_ids(db: Database) -> set[str]:
    return {r["id"] for r in db.query("SELECT id FROM templates WHERE hidden = 1")}


def _check_user_id(template_id: str) -> None:
    if template_id in builtin_ids():
        raise TemplateError(
            f"{template_id!r} is a built-in template's id: give your template another id (or duplicate the "
            f"built-in).",
            f"{template_id!r} 是内置模板的编号,请换一个编号(或复制内置模板)。"
        )


def save_user_template(db: Database, template: Template) -> Template:
    """Create or update a user template. Changing an existing one's text raises its version."""
    _check_user_id(template.id)
    template = template_from_dict(template.to_dict())  # validates, and drops builtin/hidden flags
    now = now_iso()
    existing = next(db.query("SELECT * FROM templates WHERE id = ?", [template.id]), None)
    if existing is not None:
        old = from_json(existing["data"], {})
        if {**old, "version": 0} != {**template.to_dict(), "version": 0}:
            template.version = max(template.version, int(existing["version"]) + 1)
        else:
            template.version = int(existing["version"])
        template.hidden = bool(existing["hidden"])
    db.execute(
        """INSERT INTO templates (id, name, content_type, platform, version, builtin, hidden, data,
               created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, ?)
           ON CONFLICT(id) DO UPDATE SET name = excluded.name, content_type = excluded.content_type,
               platform = excluded.platform, version = excluded.version, data = excluded.data,
               updated_at = excluded.updated_at""",
        [
            template.id,
            template.label("en"),
            template.content_type,
            template.platform,
            template.version,
            int(template.hidden),
            to_json(template.to_dict()),
            now,
            now,
        ],
    )
    return template


def delete_user_template(db: Database, template_id: str) -> None:
    if template_id in builtin_ids():
        raise TemplateError(
            f"{template_id!r} is built in and cannot be deleted; hide it instead.",
            "内置模板不能删除,可以隐藏。"
        )
    cursor = db.execute("DELETE FROM templates WHERE id = ? AND builtin = 0", [template_id])
    if cursor.rowcount == 0:
        raise TemplateError(f"No template of yours has the id {template_id!r}.",
                            f"没有编号为 {template_id!r} 的自定义模板。")


def set_hidden(db: Database, template_id: str, hidden: bool = True) -> None:
    """Hide or show a template in the lists (the only way to retire a built-in)."""
    now = now_iso()
    if template_id in builtin_ids():
        if hidden:
            template = load_builtin_template(template_id)
            db.execute(
                """INSERT INTO templates (id, name, content_type, platform, version, builtin, hidden, data,
                       created_at, updated_at) VALUES (?, ?, ?, ?, ?, 1, 1, NULL, ?, ?)
                   ON CONFLICT(id) DO UPDATE SET hidden = 1, updated_at = excluded.updated_at""",
                [template_id, template.label("en"), template.content_type, template.platform,
                 template.version,
                 now, now],
            )
        else:
            db.execute("DELETE FROM templates WHERE id = ? AND builtin = 1", [template_id])
        return
    cursor = db.execute("UPDATE templates SET hidden = ?, updated_at = ? WHERE id = ?",
                        [int(hidden), now, template_id])
    if cursor.rowcount == 0:
        raise TemplateError(f"No template has the id {template_id!r}.",
                            f"没有编号为 {template_id!r} 的模板。")


def free_id(db: Database, base: str) -> str:
    """`base`, or `base-2`, `base-3` ... : the first id no template uses."""
    base = re.sub(r"[^a-z0-9._-]+", "-", base.lower()).strip("-")[:56] or "template"
    taken = builtin_ids() | {r["id"] for r in db.query("SELECT id FROM templates")}
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def duplicate_template(db: Database, source_id: str, new_id: str | None = None,
                       name: dict | None = None) -> Template:
    """A user copy of any template, to edit (how a merchant changes a built-in)."""
    source = TemplateLibrary(db).get(source_id)
    data = source.to_dict()
    data["id"] = new_id or free_id(db, f"{source_id}-copy")
    data["version"] = 1
    data["name"] = name or {lang: f"{text} (副本)" if lang == "zh" else f"{text} (copy)"
                            for lang, text in source.name.items()}
    if next(db.query("SELECT id FROM templates WHERE id = ?", [data["id"]]), None) is not None:
        raise TemplateError(f"A template with the id {data['id']!r} exists already.",
                            f"编号 {data['id']!r} 已存在。")
    return save_user_template(db, template_from_dict(data))


def rename_template(db: Database, template_id: str, name: dict | str) -> Template:
    template = find_user_template(db, template_id)
    if template is None:
        raise TemplateError(
            f"Only your own templates can be renamed; duplicate {template_id!r} first.",
            "只能重命名自定义模板。"
        )
    template.name = {"zh": name, "en": name} if isinstance(name, str) else dict(name)
    return save_user_template(db, template)


@dataclass(frozen=True)
class Resolved:
    """What a request writes with: the template, the platform (asked for, else the template's) and the
    language (content/language.py decides)."""

    template: Template
    platform: str | None
    lang: str


class TemplateLibrary:
    """Every template a merchant can use: the built-ins with their hidden flags, then the merchant's own.
    Without a database (`db=None`) only the built-ins, none hidden."""

    def __init__(self, db: Database | None = None):
        self.db = db

    def list(self, *, include_hidden: bool = False, content_type: str | None = None,
             platform: str | None = None) -> list[Template]:
        """Built-ins then the merchant's own, optionally for one content type and platform."""
        templates = list(load_builtin_templates().values())
        if self.db is not None:
            hidden = hidden_ids(self.db)
            for template in templates:
                template.hidden = template.id in hidden
            templates += user_templates(self.db)
        return [
            t for t in templates
            if (include_hidden or not t.hidden)
            and (content_type is None or t.content_type == content_type)
            and (platform is None or t.serves(platform))
        ]

    def get(self, template_id: str) -> Template:
        """A built-in or user template by id."""
        template = load_builtin_template(template_id)
        if template is not None:
            if self.db is not None:
                template.hidden = template_id in hidden_ids(self.db)
            return template
        template = find_user_template(self.db, template_id) if self.db is not None else None
        if template is not None:
            return template
        raise TemplateError(
            f"No template has the id {template_id!r}: see `shopscribe templates list`.",
            f"没有编号为 {template_id!r} 的模板。",
        )

    def default_for(self, content_type: str, platform: str | None = None) -> Template:
        """The template a content type uses on a platform: a visible one serving that platform (built-ins
        first, then one made for that platform), else the content type's default template."""
        types = content_types()
        if content_type not in types:
            raise TemplateError(f"Unknown content type {content_type!r}: use one of {', '.join(types)}.",
                                "未知内容类型。")
        if platform is not None:
            candidates = [t for t in self.list(content_type=content_type) if platform in t.platforms]
            candidates.sort(key=lambda t: (not t.builtin, t.platform != platform))
            if candidates:
                return candidates[0]
        return self.get(types[content_type]["default_template"])

    def resolve(self, *, template_id: str | None, content_type: str | None, platform: str | None,
                lang: str | None, texts: Iterable[object] = ()) -> Resolved:
        """The template, platform and language of one request (Compose, a batch job, `generate`): the
        template asked for (which must write `content_type` when both are given), else the default one."""
        if template_id:
            template = self.get(template_id)
            if content_type and template.content_type != content_type:
                raise TemplateError(
                    f"Template {template_id!r} writes {template.content_type}, not {content_type}.",
                    f"模板 {template_id!r} 的内容类型是 {template.content_type},不是 {content_type}。",
                )
        elif content_type:
            template = self.default_for(content_type, platform)
        else:
            raise TemplateError("Choose a content type (--type) or a template.", "请选择内容类型或模板。")
        platform = platform or template.platform
        return Resolved(template, platform, resolve_lang(lang, platform, texts))
