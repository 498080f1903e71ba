"""`shopscribe jobs list|show|resume|cancel|export`: batch jobs after the fact."""

from __future__ import annotations

import click

from desktop.cli import main
from desktop.cli.common import database, engine_options, print_json, progress, user_errors
from desktop.core.jobs.model import EXPORT_ENCODINGS, EXPORT_FORMATS, JOB_STATUSES
from desktop.core.jobs.store import ITEM_FILTERS


def _item_json(item: dict) -> dict:
    return {
        "id": item["id"], "product_id": item["product_id"], "product": item.get("product_name"),
        "handle": item.get("handle"), "sku": item.get("sku"), "status": item["status"],
        "attempts": item["attempts"], "generation_id": item.get("generation_id"), "text": item.get("text"),
        "fields": item.get("fields"), "findings": item.get("findings") or [], "error": item.get("error"),
    }


@main.group()
def jobs() -> None:
    """Batch jobs: list, show, resume, cancel, export."""


@jobs.command("list")
@click.option("--status", type=click.Choice(JOB_STATUSES), help="Only jobs in this status.")
@click.option("--limit", type=int, default=None, help="At most this many (newest first).")
@click.option("--json", "as_json", is_flag=True)
@user_errors
def list_cmd(status, limit, as_json) -> None:
    """Jobs, newest first."""
    from desktop.core.jobs import list_jobs

    with database() as db:
        found = list_jobs(db, status=status, limit=limit)
    if as_json:
        print_json([job.summary() for job in found])
        return
    if not found:
        click.echo("No batch jobs yet: start one with `shopscribe batch`.")
    for job in found:
        click.echo(f"{job.id:>4}  {job.status:<10} {job.done + job.failed:>5}/{job.total:<5} failed "
                   f"{job.failed:<4} {job.template_id or job.content_type}  "
                   f"{job.created_at[:16].replace('T', ' ')}")


@jobs.command()
@click.argument("job_id", type=int)
@click.option("--filter", "item_filter", type=click.Choice(ITEM_FILTERS), help="Only these items.")
@click.option("--json", "as_json", is_flag=True)
@user_errors
def show(job_id, item_filter, as_json) -> None:
    """A job and its items."""
    from desktop.core.jobs import get_job, list_items

    with database() as db:
        job = get_job(db, job_id)
        items = list_items(db, job_id, filter=item_filter)
    if as_json:
        print_json({**job.summary(), "counts": job.counts, "variants": job.variants, "tone": job.tone,
                    "options": job.options, "input_path": job.input_path, "output_path": job.output_path,
                    "format": job.format, "encoding": job.encoding, "items": [_item_json(i) for i in items]})
        return
    click.echo(f"Job {job.id}: {job.status}, {job.done} done, {job.failed} failed, {job.remaining} to go, "
               f"of {job.total} ({job.template_id}, {job.platform or '-'}, {job.lang})")
    for item in items:
        first_line = (item.get("text") or "").strip().splitlines()[:1]
        detail = item.get("error") or (first_line[0][:70] if first_line else "")
        flags = len([f for f in item.get("findings") or [] if f.get("severity") in ("block", "warn")])
        click.echo(f"  {item['id']:>5} {item['status']:<9} {str(item.get('product_name') or '')[:28]:<28} "
                   f"{'⚑' + str(flags) if flags else '  '} {detail}")


@jobs.command()
@click.argument("job_id", type=int)
@click.option("--out", "out_path", type=click.Path(dir_okay=False),
              help="Export here (default: the job's file).")
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS))
@click.option("--encoding", type=click.Choice(EXPORT_ENCODINGS))
@click.option("--model", help="Model id or GGUF path (default: your default model).")
@engine_options
@click.option("--force", is_flag=True, help="Resume even if another process seems to run the job.")
@click.option("--include-flagged", is_flag=True,
              help="Also write items that still have blocking findings (held back by default).")
@click.option("--json", "as_json", is_flag=True)
@user_errors
def resume(job_id, out_path, fmt, encoding, model, engine_url, engine_key, force, as_json,
           include_flagged) -> None:
    """Continue a paused or interrupted job, then export it. Ctrl-C pauses again (exit 130)."""
    from desktop.cli.batch import run_and_export

    with database() as db:
        run_and_export(db, job_id, model=model, out=out_path, fmt=fmt, encoding=encoding, as_json=as_json,
                       force=force, include_flagged=include_flagged, engine_url=engine_url,
                       engine_key=engine_key)


@jobs.command()
@click.argument("job_id", type=int)
@click.option("--json", "as_json", is_flag=True)
@user_errors
def cancel(job_id, as_json) -> None:
    """Cancel a job for good (finished items are kept and still export)."""
    from desktop.core.jobs import cancel_job

    with database() as db:
        job = cancel_job(db, job_id)
    if as_json:
        print_json(job.summary())
    else:
        progress(f"Cancelled job {job_id}: {job.done} done, {job.failed} failed kept.")


@jobs.command()
@click.argument("job_id", type=int)
@click.option("--out", "out_path", type=click.Path(dir_okay=False),
              help="Export here (default: the job's file).")
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS))
@click.option("--encoding", type=click.Choice(EXPORT_ENCODINGS))
@click.option("--no-findings", is_flag=True, help="Leave out the findings column (csv, xlsx).")
@click.option("--include-flagged", is_flag=True,
              help="Also write items that still have blocking findings (held back by default).")
@click.option("--json", "as_json", is_flag=True)
@user_errors
def export(job_id, out_path, fmt, encoding, no_findings, include_flagged, as_json) -> None:
    """Write a job's results (what is done or accepted so far) to a file."""
    from desktop.cli.batch import export_message
    from desktop.core.jobs import export_job

    with database() as db:
        report = export_job(db, job_id, out_path, format=fmt, encoding=encoding,
                            include_findings=not no_findings,
                            include_flagged=include_flagged)
    if as_json:
        print_json(report)
    else:
        progress(export_message(report))
