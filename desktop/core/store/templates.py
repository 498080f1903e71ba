"""The merchant's templates in the database, and the hidden flags of built-ins.

A user template's full data lives in the `data` JSON column; name, type, platform and version are
copied into columns so lists need not parse JSON. A built-in appears here only as a hidden flag.
"""

from __future__ import annotations

import re

from sqlite_utils import Database

from desktop.core.content.templates import Template, builtin_ids, get_template, template_from_dict
from desktop.core.errors import TemplateError
from desktop.core.store.codec import from_json, now_iso, to_json


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
            f"built-in). / {template_id!r} 是内置模板的编号,请换一个编号(或复制内置模板)。"
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
        """INSERT INTO templates (id, name, content_type, platform, version, builtin, hidden, data, created_at,
               updated_at)
           VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, ?)
           ON CONFLICT(id) DO UPDATE SET name = excluded.name, content_type = excluded.content_type,
               platform = excluded.platform, version = excluded.version, data = excluded.data,
               updated_at = excluded.updated_at""",
        [template.id, template.label("en"), template.content_type, template.platform, template.version,
         int(template.hidden), to_json(template.to_dict()), now, now],
    )
    return template


def delete_user_template(db: Database, template_id: str) -> None:
    if template_id in builtin_ids():
        raise TemplateError(
            f"{template_id!r} is built in and cannot be deleted; hide it instead. / 内置模板不能删除,可以隐藏。"
        )
    cursor = db.execute("DELETE FROM templates WHERE id = ? AND builtin = 0", [template_id])
    if cursor.rowcount == 0:
        raise TemplateError(f"No template of yours has the id {template_id!r}. / 没有编号为 {template_id!r} 的自定义模板。")


def set_hidden(db: Database, template_id: str, hidden: bool = True) -> None:
    """Hide or show a template in the lists (the only way to retire a built-in)."""
    now = now_iso()
    if template_id in builtin_ids():
        if hidden:
            template = get_template(None, template_id)
            db.execute(
                """INSERT INTO templates (id, name, content_type, platform, version, builtin, hidden, data,
                       created_at, updated_at) VALUES (?, ?, ?, ?, ?, 1, 1, NULL, ?, ?)
                   ON CONFLICT(id) DO UPDATE SET hidden = 1, updated_at = excluded.updated_at""",
                [template_id, template.label("en"), template.content_type, template.platform, template.version,
                 now, now],
            )
        else:
            db.execute("DELETE FROM templates WHERE id = ? AND builtin = 1", [template_id])
        return
    cursor = db.execute("UPDATE templates SET hidden = ?, updated_at = ? WHERE id = ?", [int(hidden), now, template_id])
    if cursor.rowcount == 0:
        raise TemplateError(f"No template has the id {template_id!r}. / 没有编号为 {template_id!r} 的模板。")


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


def duplicate_template(db: Database, source_id: str, new_id: str | None = None, name: dict | None = None) -> Template:
    """A user copy of any template, to edit (how a merchant changes a built-in)."""
    source = get_template(db, source_id)
    data = source.to_dict()
    data["id"] = new_id or free_id(db, f"{source_id}-copy")
    data["version"] = 1
    data["name"] = name or {lang: f"{text} (副本)" if lang == "zh" else f"{text} (copy)"
                            for lang, text in source.name.items()}
    if next(db.query("SELECT id FROM templates WHERE id = ?", [data["id"]]), None) is not None:
        raise TemplateError(f"A template with the id {data['id']!r} exists already. / 编号 {data['id']!r} 已存在。")
    return save_user_template(db, template_from_dict(data))


def rename_template(db: Database, template_id: str, name: dict | str) -> Template:
    template = find_user_template(db, template_id)
    if template is None:
        raise TemplateError(
            f"Only your own templates can be renamed; duplicate {template_id!r} first. / 只能重命名自定义模板。"
        )
    template.name = {"zh": name, "en": name} if isinstance(name, str) else dict(name)
    return save_user_template(db, template)
