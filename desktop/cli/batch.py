"""`shopscribe batch INPUT --type T --out OUTPUT`: import a product file, generate for every product,
export a file the shop imports. Progress goes to stderr; Ctrl-C pauses the job (exit 130) and
`--resume JOB` (or `shopscribe jobs resume JOB`) continues it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from desktop.cli import main
from desktop.cli.common import (
    EXIT_INTERRUPTED,
    engine_options,
    on_ctrl_c,
    print_json,
    progress,
    user_errors,
)
from desktop.core.jobs.model import EXPORT_ENCODINGS, EXPORT_FORMATS, JOB_CANCELLED, JOB_COMPLETED, JOB_PAUSED


class ProgressBar:
    """One line redrawn in place on a terminal; one line per finished item when stderr is a file."""

    WIDTH = 28

    def __init__(self) -> None:
        self.tty = sys.stderr.isatty()
        self.drawn = False

    def __call__(self, p) -> None:
        filled = int(self.WIDTH * p.fraction)
        eta = f", ETA {_duration(p.eta_s)}" if p.eta_s is not None and p.pending else ""
        line = (f"[{'#' * filled}{'.' * (self.WIDTH - filled)}] {p.finished}/{p.total} "
                f"(done {p.done}, failed {p.failed}){eta}")
        if self.tty:
            click.echo("\r" + line.ljust(78), err=True, nl=False)
            self.drawn = True
        elif p.item is not None or p.message:
            progress(line + (f" - {p.message}" if p.message else ""))

    def close(self) -> None:
        if self.drawn:
            click.echo("", err=True)
            self.drawn = False


def _duration(seconds: float) -> str:
    seconds = int(round(seconds))
    if seconds >= 3600:
        return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
    return f"{seconds // 60}m{seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"


def _format_for(out: str | None, requested: str | None, source_format: str | None) -> str | None:
    if requested:
        return requested
    if out and Path(out).suffix.lower() == ".xlsx":
        return "xlsx"
    if source_format in ("shopify-old", "shopify-new"):
        return "shopify"
    return "csv" if out else None


def export_message(report: dict) -> str:
    """One line on what an export wrote and, when some items were held back, how many and why."""
    line = (f"Wrote {report['path']} ({report['format']}, {report['filled']} of {report['products']} "
            "products filled).")
    if report.get("held_back"):
        why = ", ".join(f"{category}: {n}" for category, n in report["held_back_reasons"].items())
        line += (f" Held back {report['held_back']} item(s) with blocking findings ({why}): their original "
                 "text stays. Review them, or export with --include-flagged.")
    return line


def run_and_export(db, job_id: int, *, model: str | None, out: str | None, fmt: str | None,
                   encoding: str | None, as_json: bool, force: bool = False, extra: dict | None = None,
                   include_flagged: bool = False, engine_url: str | None = None,
                   engine_key: str | None = None, in_flight: int | None = None) -> None:
    """Run (or resume) a job with a progress bar, then export it. Ctrl-C pauses: exit 130."""
    from desktop.core.jobs import JobError, export_job, get_job, run_job
    from desktop.core.session import open_engine
    from desktop.core.stop import Stop

    job = get_job(db, job_id)
    if job.status == JOB_CANCELLED:
        raise JobError(f"Job {job_id} was cancelled; start a new job.",
                       f"批量任务 {job_id} 已取消,请新建任务。")
    if not job.remaining and job.status != JOB_COMPLETED:  # every item finished before a pause
        job = run_job(db, None, job_id, force=force)
    if job.remaining:
        progress(f"Loading the model for job {job_id} ({job.remaining} of {job.total} items to generate)...")
        engine = open_engine(model, engine=engine_url, engine_key=engine_key)
        if in_flight and hasattr(engine, "max_in_flight"):
            engine.max_in_flight = in_flight
        if getattr(engine, "notice", None):
            progress(engine.notice)
        stop = Stop()
        bar = ProgressBar()
        try:
            with on_ctrl_c(lambda: stop.pause(abort=True)):  # a second Ctrl-C stops at once
                job = run_job(db, engine, job_id, on_progress=bar, stop=stop, force=force)
        finally:
            bar.close()
            engine.close()
        if job.status == JOB_PAUSED and stop.is_set:
            progress(f"Paused job {job_id}: {job.done + job.failed} of {job.total} items finished. "
                     f"Resume with `shopscribe jobs resume {job_id}`.")
            if as_json:
                print_json({"job": job.summary(), "export": None, **(extra or {})})
            sys.exit(EXIT_INTERRUPTED)
    exported = None
    if job.status == JOB_COMPLETED and (out or job.output_path):
        exported = export_job(db, job_id, out, format=fmt, encoding=encoding, include_flagged=include_flagged)
        progress(export_message(exported))
    elif job.status != JOB_COMPLETED:
        progress(f"Job {job_id} is {job.status}; nothing exported.")
    if job.failed:
        progress(f"Failed items: {job.failed}. See `shopscribe jobs show {job_id} --filter failed`.")
    if as_json:
        print_json({"job": job.summary(), "export": exported, **(extra or {})})
    elif exported is None and job.status == JOB_COMPLETED:
        progress(f"Job {job_id} complete: {job.done} done, {job.failed} failed.")


@main.command()
@click.argument("input_path", metavar="[INPUT]", required=False, type=click.Path(dir_okay=False))
@click.option("--type", "content_type", help="Content type, e.g. product-description.")
@click.option("--platform", help="Platform id, e.g. shopify, taobao, amazon.")
@click.option("--template", "template_id",
              help="A template id (default: the type's template for the platform).")
@click.option("--lang", type=click.Choice(["zh", "en"]), help="Language of the copy.")
@click.option("--tone", help="Tone id.")
@click.option("--brand", help="A stored brand's name.")
@click.option("--out", "out_path", type=click.Path(dir_okay=False), help="The file to export to.")
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS),
              help="Export format (default: from the file).")
@click.option("--encoding", type=click.Choice(EXPORT_ENCODINGS), help="CSV encoding (default utf-8).")
@click.option("--max-tokens", type=click.IntRange(1, 8192), help="Token budget of each answer.")
@click.option("--length", type=click.Choice(["short", "medium", "long"]), help="Length preset.")
@click.option("--variants", type=click.IntRange(1, 8), default=1, show_default=True,
              help="Answers per product (the first valid one is used).")
@click.option("--retries", type=click.IntRange(0, 5), default=2, show_default=True,
              help="Extra attempts for an answer that fails validation or a length limit.")
@click.option("--seed", type=int, help="Base seed (each item and attempt derives its own).")
@click.option("--group-size", type=click.IntRange(1, 64),
              help="Products generated together (default: the engine's parallel sequences).")
@click.option("--resume", "resume_id", type=int, metavar="JOB",
              help="Continue job JOB instead of starting one.")
@click.option("--model", help="Model id or GGUF path (default: your default model).")
@engine_options
@click.option("--in-flight", type=click.IntRange(1, 256), metavar="N",
              help="Requests kept in flight on a remote engine (default 8).")
@click.option("--force", is_flag=True, help="Resume even if another process seems to run the job.")
@click.option("--category", help="Product category for the rules (default: inferred from each product).")
@click.option("--require", "required", multiple=True, metavar="FACT",
              help="A fact every text must carry (checked as coverage); repeat as needed.")
@click.option("--dry", "dry_multiplier", type=click.FloatRange(0, 5), metavar="STRENGTH",
              help="DRY repetition sampler strength (default 0.8; 0 turns it off).")
@click.option("--best-of", "best_of", default=1, show_default=True, type=click.IntRange(1, 8), metavar="N",
              help="Write N candidates per product in one parallel pass and keep the best by quality score.")
@click.option("--no-examples", "no_examples", is_flag=True,
              help="Leave out the few-shot examples from your kept copy (favourited, edited, accepted).")
@click.option("--add-missing-facts", "add_facts", is_flag=True,
              help="Add the key facts an answer leaves out at the end of its main text, a line each, in "
              "the product's own words.")
@click.option("--include-flagged", is_flag=True,
              help="Also export items that still have blocking findings (by default their original "
              "text stays).")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@user_errors
def batch(input_path, content_type, platform, template_id, lang, tone, brand, out_path, fmt, encoding,
          max_tokens, length, variants, retries, seed, group_size, resume_id, model, engine_url, engine_key,
          in_flight, force, category, required, dry_multiplier, best_of, no_examples, add_facts,
          include_flagged, as_json) -> None:
    """Generate copy for every product of INPUT (CSV, TSV or XLSX) and export the result."""
    from desktop.core.store import open_db

    db = open_db()
    try:
        if resume_id is not None:
            run_and_export(db, resume_id, model=model, out=out_path, fmt=fmt, encoding=encoding,
                           as_json=as_json, force=force, include_flagged=include_flagged,
                           engine_url=engine_url,
                           engine_key=engine_key, in_flight=in_flight)
            return
        if not input_path or not (content_type or template_id) or not out_path:
            raise click.UsageError("batch needs INPUT, --type (or --template) and --out, or --resume JOB.")
        if category is not None:
            from desktop.core.checks import product_categories

            if category not in product_categories():
                raise click.BadParameter(f"use one of {', '.join(product_categories())}",
                                         param_hint="--category")
        job_id, extra = _new_job(db, input_path, content_type, platform, template_id, lang, tone,
                                 brand, out_path,
                                 fmt, encoding, max_tokens, length, variants, retries, seed, group_size,
                                 category, list(required),
                                 more={"dry_multiplier": dry_multiplier,
                                       "best_of": best_of if best_of > 1 else None,
                                       "examples": False if no_examples else None,
                                       "add_facts": True if add_facts else None})
        run_and_export(db, job_id, model=model, out=None, fmt=None, encoding=None,
                       as_json=as_json, extra=extra,
                       include_flagged=include_flagged, engine_url=engine_url, engine_key=engine_key,
                       in_flight=in_flight)
    finally:
        db.close()


def _new_job(db, input_path, content_type, platform, template_id, lang, tone, brand, out_path, fmt, encoding,
             max_tokens, length, variants, retries, seed, group_size, category=None,
             required=None, more: dict | None = None) -> tuple[int, dict]:
    from desktop.core.catalog import read_products
    from desktop.core.catalog.products import find_product_id, save_products
    from desktop.core.jobs import create_job, import_options

    source = Path(input_path).resolve()
    result = read_products(source)
    for warning in result.warnings[:5]:
        progress(f"warning: {warning.en}")
    inserted, updated = save_products(db, result)
    product_ids = list(dict.fromkeys(i for p in result.products if (i := find_product_id(db, p)) is not None))
    progress(f"Read {len(result.products)} products from {source.name} ({inserted} new, {updated} updated).")
    options = {"import": import_options(result), "retries": retries}
    for key, value in (("max_tokens", max_tokens), ("length", length), ("seed", seed),
                       ("group_size", group_size),
                       ("category", category), ("required", required or None), *(more or {}).items()):
        if value is not None:
            options[key] = value
    job = create_job(
        db, product_ids, content_type, platform=platform, template_id=template_id, brand=brand, tone=tone,
        lang=lang, variants=variants, options=options, input_path=str(source),
        output_path=str(Path(out_path).resolve()), format=_format_for(out_path, fmt, result.format),
        encoding=encoding or "utf-8",
    )
    progress(f"Job {job.id}: {job.total} products, template {job.template_id}. "
             f"Ctrl-C pauses; `shopscribe jobs resume {job.id}` continues.")
    extra = {"products": {"read": len(result.products), "inserted": inserted, "updated": updated,
                          "warnings": [w.to_dict() for w in result.warnings]}}
    return job.id, extra
