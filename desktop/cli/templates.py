"""`shopscribe templates`: list, show, import, export, and the merchant's own copies."""

from __future__ import annotations

from pathlib import Path

import click

from desktop.cli import main
from desktop.cli.common import database, print_json, progress, user_errors


def _summary(template) -> dict:
    return {
        "id": template.id, "name": template.name, "content_type": template.content_type,
        "platform": template.platform, "platforms": template.platforms, "version": template.version,
        "builtin": template.builtin, "hidden": template.hidden, "structured": template.structured,
        "outputs": [o.name for o in template.outputs],
    }



@main.group()
def templates() -> None:
    """Built-in and custom templates: list, show, import, export."""


@templates.command("list")
@click.option("--type", "content_type", help="Only this content type.")
@click.option("--platform", help="Only templates for this platform.")
@click.option("--all", "include_hidden", is_flag=True, help="Include hidden templates.")
@click.option("--json", "as_json", is_flag=True)
@user_errors
def list_cmd(content_type, platform, include_hidden, as_json) -> None:
    """List templates."""
    from desktop.core.store.templates import TemplateLibrary

    with database() as db:
        items = TemplateLibrary(db).list(include_hidden=include_hidden, content_type=content_type,
                                         platform=platform)
    if as_json:
        print_json([_summary(t) for t in items])
        return
    for t in items:
        flags = ("" if t.builtin else " [custom]") + (" [hidden]" if t.hidden else "")
        click.echo(f"{t.id:<30} {t.content_type:<20} {t.platform or '-':<15} {t.label('en')} / "
                   f"{t.label('zh')}{flags}")


@templates.command("show")
@click.argument("template_id")
@click.option("--preview", "preview_lang", type=click.Choice(["zh", "en"]),
              help="Also render it with its sample values in this language.")
@click.option("--json", "as_json", is_flag=True)
@user_errors
def show_cmd(template_id, preview_lang, as_json) -> None:
    """Show one template: variables, outputs and prompts."""
    from desktop.core.content.render import render_preview
    from desktop.core.store.templates import TemplateLibrary

    with database() as db:
        template = TemplateLibrary(db).get(template_id)
    data = {**template.to_dict(), "builtin": template.builtin, "hidden": template.hidden,
            "structured": template.structured}
    rendered = render_preview(template, preview_lang) if preview_lang else None
    if rendered is not None:
        data["preview"] = {"system": rendered.system, "user": rendered.user,
                           "json_schema": rendered.json_schema,
                           "max_tokens": rendered.max_tokens}
    if as_json:
        print_json(data)
        return
    click.echo(f"{template.id} (v{template.version}{', built-in' if template.builtin else ''})")
    click.echo(f"  {template.label('en')} / {template.label('zh')}")
    click.echo(f"  type: {template.content_type}   platforms: {', '.join(template.platforms) or '-'}")
    click.echo(
        "  variables: " + ", ".join(f"{v.name}{'*' if v.required else ''}" for v in template.variables)
    )
    click.echo("  outputs: " + ", ".join(f"{o.name} ({o.type})" for o in template.outputs))
    for lang in ("zh", "en"):
        click.echo(
            f"\n[system.{lang}]\n{template.system.get(lang, '')}\n"
            f"[user.{lang}]\n{template.user.get(lang, '')}"
        )
    if rendered is not None:
        click.echo(f"\n--- preview ({preview_lang}) ---\n{rendered.system}\n\n{rendered.user}")


@templates.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--replace", is_flag=True, help="Overwrite your templates that have the same ids.")
@click.option("--json", "as_json", is_flag=True)
@user_errors
def import_cmd(file, replace, as_json) -> None:
    """Import templates from a Shopscribe template file (all of them, or none)."""
    from desktop.core.store.templates_io import import_templates

    with database() as db:
        ids = import_templates(db, file, replace=replace)
    if as_json:
        print_json({"imported": ids})
    else:
        progress(f"imported {len(ids)} template(s): {', '.join(ids)}")


@templates.command("export")
@click.argument("template_ids", nargs=-1, required=True)
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path))
@user_errors
def export_cmd(template_ids, out) -> None:
    """Export templates (built-in or yours) to one file."""
    from desktop.core.store.templates_io import export_templates

    with database() as db:
        count = export_templates(db, list(template_ids), out)
    progress(f"exported {count} template(s) to {out}")


@templates.command("duplicate")
@click.argument("template_id")
@click.option("--id", "new_id", help="The copy's id (default: <id>-copy).")
@click.option("--json", "as_json", is_flag=True)
@user_errors
def duplicate_cmd(template_id, new_id, as_json) -> None:
    """Copy a template (a built-in too) into one of yours, to edit."""
    from desktop.core.store.templates import duplicate_template

    with database() as db:
        copy = duplicate_template(db, template_id, new_id=new_id)
    if as_json:
        print_json(_summary(copy))
    else:
        progress(f"created {copy.id}")


@templates.command("hide")
@click.argument("template_id")
@click.option("--undo", is_flag=True, help="Show it again.")
@user_errors
def hide_cmd(template_id, undo) -> None:
    """Hide a template from the lists (built-ins cannot be deleted)."""
    from desktop.core.store.templates import set_hidden

    with database() as db:
        set_hidden(db, template_id, not undo)


@templates.command("delete")
@click.argument("template_id")
@user_errors
def delete_cmd(template_id) -> None:
    """Delete one of your templates."""
    from desktop.core.store.templates import delete_user_template

    with database() as db:
        delete_user_template(db, template_id)
