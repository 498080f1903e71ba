"""Template files: `{"format": "shopscribe-template", "version": 1, "templates": [...]}`.

Import checks the whole file before writing anything, then writes every template in one transaction:
a bad file imports nothing.
"""

from __future__ import annotations

import json
from pathlib import Path

from desktop.core.content.templates import builtin_ids, template_from_dict
from desktop.core.errors import TemplateError
from desktop.core.store import templates as store
from desktop.core.store.templates import TemplateLibrary

FILE_FORMAT = "shopscribe-template"
FILE_VERSION = 1
MAX_FILE_BYTES = 5 * 1024 * 1024


def export_templates(db, template_ids: list[str], out: Path) -> int:
    """Write these templates (built-in or user) to one file; returns how many."""
    if not template_ids:
        raise TemplateError("Name at least one template to export.", "请至少指定一个要导出的模板。")
    library = TemplateLibrary(db)
    templates = [library.get(tid).to_dict() for tid in template_ids]
    document = {"format": FILE_FORMAT, "version": FILE_VERSION, "templates": templates}
    Path(out).write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return len(templates)


def _refuse(path: Path, why_en: str, why_zh: str) -> TemplateError:
    return TemplateError(f"{path.name} was not imported: {why_en}. Nothing was imported.",
    f"{path.name} 未导入:{why_zh}。没有导入任何模板。")


def read_template_file(path: Path) -> list[dict]:
    """The template dicts of a file, after checking its envelope."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise _refuse(path, "the file is larger than 5 MB", "文件超过 5 MB")
        document = json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError as exc:
        raise _refuse(path, "the file does not exist", "文件不存在") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise _refuse(path, f"it cannot be read ({exc})", "无法读取文件") from exc
    except json.JSONDecodeError as exc:
        raise _refuse(path, f"it is not valid JSON (line {exc.lineno}, column {exc.colno})",
                      f"不是有效的 JSON(第 {exc.lineno} 行第 {exc.colno} 列)") from exc
    if not isinstance(document, dict) or document.get("format") != FILE_FORMAT:
        raise _refuse(path, f"it is not a Shopscribe template file (\"format\" must be \"{FILE_FORMAT}\")",
                      "不是 Shopscribe 模板文件")
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise _refuse(path, "its \"version\" is missing", "缺少 version")
    if version > FILE_VERSION:
        raise _refuse(path, f"it was made by a newer Shopscribe (file version {version}); update Shopscribe",
                      "该文件来自更新版本的 Shopscribe,请先升级")
    templates = document.get("templates")
    if not isinstance(templates, list) or not templates:
        raise _refuse(path, "it holds no templates", "文件中没有模板")
    return templates


def import_templates(db, path: Path, *, replace: bool = False) -> list[str]:
    """Import every template of the file as the merchant's own; returns their ids.

    A template whose id is a built-in's is imported under a free id (`<id>-2` ...). One whose id is
    already a user template's is refused unless `replace`.
    """
    path = Path(path)
    raw = read_template_file(path)
    parsed = []
    for index, data in enumerate(raw, start=1):
        try:
            parsed.append(template_from_dict(data))
        except TemplateError as exc:
            raise _refuse(path, f"template #{index} is invalid: {exc}", f"第 {index} 个模板无效") from exc
    ids = [t.id for t in parsed]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise _refuse(path, f"ids repeat in the file: {', '.join(dupes)}",
                      f"文件内编号重复:{', '.join(dupes)}")
    builtins = builtin_ids()
    existing = {t.id for t in store.user_templates(db)}
    clashes = sorted(i for i in ids if i in existing and i not in builtins)
    if clashes and not replace:
        raise _refuse(path,
                      f"you already have templates with the ids {', '.join(clashes)} (import with replace "
                            "to overwrite them)", f"已存在同编号的模板:{', '.join(clashes)}")
    imported: list[str] = []
    with db.atomic():
        for template in parsed:
            if template.id in builtins:
                template.id = store.free_id(db, template.id)
            store.save_user_template(db, template)
            imported.append(template.id)
    return imported
