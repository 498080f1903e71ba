"""The Batch page's road to the core, as plain functions for workers and the engine thread (no Qt here).

A job runs as ONE engine job (`run_work`), so it holds the engine for its duration and every other
generation queues behind it; pause and cancel go through the job's `Stop` token (the engine job's own),
which is safe to set from the GUI thread and interrupts llama.cpp within a token. When the window
stops every engine job (closing), the token is paused: the job stops, resumable, instead of claiming
its next items."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from desktop.core.stop import Stop


@dataclass
class ItemText:
    """Text streaming into one item (the engine worker routes `index` + `text` to the job's `text`)."""

    index: int  # the item id
    text: str


# ----- import (pool worker) -----------------------------------------------------------------------
def read_file(path: str | Path, encoding: str | None = None, mapping: dict | None = None):
    from desktop.core.catalog import read_products

    return read_products(Path(path), mapping, encoding)


def remap_result(result, mapping: dict):
    from desktop.core.catalog import remap

    return remap(result, mapping)


# ----- jobs (store thread) ---------------------------------------------------------------------------
def create_batch_job(db, result, selected: list[int], setup: dict, path: str | None):
    """Store the chosen products (de-duplicated), then the job and its items, before any work starts."""
    from desktop.core.catalog.products import find_product_id, save_products
    from desktop.core.jobs import create_job, import_options

    save_products(db, result)
    products = [result.products[i] for i in selected]
    ids = list(dict.fromkeys(i for p in products if (i := find_product_id(db, p)) is not None))
    options = {"import": import_options(result), "ui_lang": setup.get("ui_lang")}
    for key in ("max_tokens", "length", "retries", "best_of", "required", "add_facts"):
        if setup.get(key) is not None:
            options[key] = setup[key]
    source = Path(path) if path else None
    return create_job(
        db, ids, setup["content_type"], platform=setup.get("platform"), template_id=setup.get("template_id"),
        brand=setup.get("brand"), tone=setup.get("tone"), lang=setup.get("lang"),
        variants=int(setup.get("variants") or 1), options=options,
        input_path=str(source) if source and source.is_file() else None,
    )


def resumable_jobs(db) -> list:
    """Jobs left paused, or `running` by a process that is gone (a crash): they can be resumed."""
    from desktop.core.jobs import list_jobs
    from desktop.core.jobs.store import live_runner

    found = []
    for job in list_jobs(db, limit=50):
        if job.status in ("running", "paused", "pending") and job.remaining \
                and live_runner(db, job.id) is None:
            found.append(job)
    return found


def recent_jobs(db) -> list[tuple]:
    """(job, its template's name by language) for the newest jobs."""
    from desktop.core.jobs import list_jobs
    from desktop.core.store.templates import TemplateLibrary

    out = []
    for job in list_jobs(db, limit=30):
        try:
            names = TemplateLibrary(db).get(job.template_id).name if job.template_id else {}
        except Exception:  # noqa: BLE001 - a deleted template: the id will do
            names = {}
        out.append((job, names))
    return out


def job_view(db, job_id: int, filter_name: str | None, ui_lang: str = "en"):
    """(job, items, output names, their labels in the UI language) for the review table."""
    from desktop.core.content.structured import output_label
    from desktop.core.jobs import get_job, list_items
    from desktop.core.jobs.pipeline import JobPlan

    job = get_job(db, job_id)
    items = list_items(db, job_id, filter=filter_name or None)
    try:
        plan = JobPlan.load(db, job)
        outputs = [o.name for o in plan.template.outputs]
        labels = {}
        for output in plan.template.outputs:
            label = output_label(plan.template, output.name, ui_lang, plan.platform)
            described = output.description.get(ui_lang) or ""
            if label == output.name.replace("_", " ").capitalize() and 0 < len(described) <= 16:
                label = described  # no platform label: the template's own short description
            labels[output.name] = label
    except Exception:  # noqa: BLE001 - a deleted template: show the fields the items have
        outputs = sorted({k for item in items for k in (item.get("fields") or {})})
        labels = {}
    return job, items, outputs, labels


# ----- the engine thread ----------------------------------------------------------------------------
def run_work(job_id: int, stop: Stop):
    """An engine job that runs (or resumes) `job_id`; progress reaches the GUI as the job's events."""

    def work(engine, emit):
        from desktop.core.jobs import run_job
        from desktop.core.store import open_db

        db = open_db()
        try:
            return run_job(db, engine, job_id, on_progress=emit, stop=stop,
                           on_text=lambda item_id, text: emit(ItemText(item_id, text)))
        finally:
            db.close()

    return work


def regenerate_work(item_id: int, stop: Stop):
    def work(engine, emit):
        from desktop.core.jobs import regenerate_item
        from desktop.core.store import open_db

        db = open_db()
        try:
            return regenerate_item(db, engine, item_id, stop=stop,
                                   on_text=lambda i, text: emit(ItemText(i, text)))
        finally:
            db.close()

    return work


# ----- export (pool worker) --------------------------------------------------------------------------
def export(job_id: int, path: str | Path, fmt: str, encoding: str | None) -> dict:
    from desktop.core.jobs import export_job
    from desktop.core.store import open_db

    db = open_db()
    try:
        return export_job(db, job_id, Path(path), format=fmt, encoding=encoding)
    finally:
        db.close()
