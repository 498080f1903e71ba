"""Batch jobs: many products, one template, generated through the engine's parallel path, persisted
item by item so a killed process resumes where it stopped and never writes an item twice. Qt-free.

    job = create_job(db, product_ids, "product-description", platform="shopify")
    job = run_job(db, engine, job.id, on_progress=print, stop=Stop())  # desktop.core.stop
    export_job(db, job.id, "out.csv", format="shopify")
"""

from desktop.core.jobs.export import export_job, import_options, shopify_fields
from desktop.core.jobs.model import (
    EXPORT_ENCODINGS,
    EXPORT_FORMATS,
    ITEM_STATUSES,
    JOB_STATUSES,
    Job,
    JobError,
    JobNotFound,
    JobProgress,
)
from desktop.core.jobs.runner import edit_item, regenerate_item, run_job
from desktop.core.jobs.store import (
    ITEM_FILTERS,
    cancel_job,
    create_job,
    delete_job,
    get_item,
    get_job,
    item_counts,
    list_items,
    list_jobs,
    set_item_review,
)

__all__ = [
    "EXPORT_ENCODINGS",
    "EXPORT_FORMATS",
    "ITEM_FILTERS",
    "ITEM_STATUSES",
    "JOB_STATUSES",
    "Job",
    "JobError",
    "JobNotFound",
    "JobProgress",
    "cancel_job",
    "create_job",
    "delete_job",
    "edit_item",
    "export_job",
    "get_item",
    "get_job",
    "import_options",
    "item_counts",
    "list_items",
    "list_jobs",
    "regenerate_item",
    "run_job",
    "set_item_review",
    "shopify_fields",
]
