"""A job's results as a file the shop imports: the merchant's own Shopify CSV with the generated copy
filled in, or a generic CSV / XLSX of product columns beside the generated fields.

Only items that are done or accepted fill cells; failed, rejected and unfinished items leave the
product as it was (the generic export still lists them, with their status and reason).

Safe by default: a done item that still has a `block` finding (an invented price or size, an
advertising-law term, the wrong language ...) never writes its text over the merchant's own. It is
held back, the original stays, and the summary says how many items were held back and why. An item the
merchant accepted in the review was seen and is written; `include_flagged` writes the others too.
"""

from __future__ import annotations

import html
from pathlib import Path

from desktop.core.catalog import FIELDS, ImportResult, ProductRecord, export_csv, export_xlsx, read_products
from desktop.core.catalog.products import find_product_id, get_product
from desktop.core.catalog.shopify import export_shopify, product_handles, text_to_html
from desktop.core.jobs import store
from desktop.core.jobs.model import EXPORT_ENCODINGS, EXPORT_FORMATS, ITEM_DONE, USABLE_ITEM, JobError
from desktop.core.store.sqlite import Database

BODY_KEYS = ("body_html", "description", "body")
POINT_KEYS = ("bullets", "selling_points")


def import_options(result: ImportResult) -> dict:
    """How a file was read, stored with the job so the export reads the merchant's file the same way."""
    return {"encoding": result.encoding, "delimiter": result.delimiter, "mapping": dict(result.mapping)}


def _as_list(value) -> list[str]:
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [line.strip() for line in str(value or "").splitlines() if line.strip()]


def shopify_fields(fields: dict, *, with_title: bool = False) -> dict[str, str]:
    """A template's output fields as Shopify columns: the description (with bullets or selling points
    as a list) becomes Body (HTML); SEO title and description; tags (or hashtags) as Tags."""
    out: dict[str, str] = {}
    body = next((str(fields[k]) for k in BODY_KEYS if str(fields.get(k) or "").strip()), "")
    points = next((_as_list(fields[k]) for k in POINT_KEYS if fields.get(k)), [])
    parts = [text_to_html(body)] if body else []
    if points:
        parts.append("<ul>" + "".join(f"<li>{html.escape(p, quote=False)}</li>" for p in points) + "</ul>")
    if parts:
        out["body_html"] = "".join(parts)
    if str(fields.get("seo_title") or "").strip():
        out["seo_title"] = str(fields["seo_title"]).strip()
    seo_description = fields.get("seo_description") or fields.get("meta_description")
    if str(seo_description or "").strip():
        out["seo_description"] = str(seo_description).strip()
    tags = _as_list(fields.get("tags") or fields.get("hashtags") or [])
    if tags:
        out["tags"] = ", ".join(t.lstrip("#").strip() for t in tags if t.lstrip("#").strip())
    if with_title and str(fields.get("title") or "").strip():
        out["title"] = str(fields["title"]).strip()
    return out


def blocking_findings(item: dict) -> list[dict]:
    """The findings that hold a done item back from an export (none for an item the merchant
    accepted, or one that is not done)."""
    if item.get("status") != ITEM_DONE:
        return []
    return [f for f in item.get("findings") or [] if f.get("severity") == "block"]


def _held_back(items: list[dict], include_flagged: bool) -> dict[int, list[dict]]:
    """Item id -> its blocking findings, for the items this export holds back."""
    if include_flagged:
        return {}
    return {item["id"]: found for item in items if (found := blocking_findings(item))}


def _summary(held: dict[int, list[dict]]) -> dict:
    reasons: dict[str, int] = {}
    for found in held.values():
        for category in sorted({f.get("category", "") for f in found}):
            reasons[category] = reasons.get(category, 0) + 1
    return {"held_back": len(held), "held_back_reasons": reasons, "held_back_items": sorted(held)}


def _reason(found: list[dict]) -> str:
    first = found[0]
    more = f" (+{len(found) - 1})" if len(found) > 1 else ""
    return f"[{first.get('category')}] {first.get('field', '')}: {first.get('message', '')}{more}"


def _format_for(job, out_path: Path, format: str | None) -> str:  # noqa: A002
    if format:
        chosen = format
    elif job.format:
        chosen = job.format
    elif out_path.suffix.lower() == ".xlsx":
        chosen = "xlsx"
    else:
        chosen = "shopify" if job.platform == "shopify" else "csv"
    if chosen not in EXPORT_FORMATS:
        raise JobError(f"Unknown export format {chosen!r}: use {', '.join(EXPORT_FORMATS)}.",
                       "未知的导出格式。")
    return chosen


def _source(db: Database, job, items: list[dict]) -> tuple[ImportResult, list[dict | None]]:
    """The merchant's file as imported (or, for a job made from stored products or a file since moved,
    the stored products themselves), and the job item of each product in it (None: not in the job)."""
    by_product = {item["product_id"]: item for item in items}
    path = Path(job.input_path) if job.input_path else None
    if path is not None and path.is_file():
        how = (job.options or {}).get("import") or {}
        result = read_products(path, how.get("mapping"), how.get("encoding"), delimiter=how.get("delimiter"))
        return result, [by_product.get(find_product_id(db, record)) for record in result.products]
    records, owners = [], []
    for item in items:
        product = get_product(db, item["product_id"]) if item.get("product_id") is not None else None
        if product is not None:
            records.append(ProductRecord(fields=dict(product.get("fields") or {}),
                                         extra=dict(product.get("extra") or {})))
            owners.append(item)
    result = ImportResult(products=records, mapping={}, warnings=[], encoding=None, delimiter=None,
                          format="generic",
                          header=[], rows=[])
    return result, owners


def export_job(
    db: Database, job_id: int, out_path: str | Path | None = None, *, format: str | None = None,  # noqa: A002
    encoding: str | None = None, include_findings: bool = True, include_flagged: bool = False,
) -> dict:
    """Write the job's results. format: shopify | csv | xlsx (default: the job's, else from the file
    name); encoding (csv): utf-8 | utf-8-sig | gb18030; `include_flagged`: also write done items that
    still have blocking findings (held back by default). Returns {"path", "format", "encoding", "rows",
    "products", "filled", "held_back", "held_back_reasons" {category: items}, "held_back_items"}."""
    job = store.get_job(db, job_id)
    target = Path(out_path or job.output_path or "")
    if not str(out_path or job.output_path or ""):
        raise JobError("Choose where to save the export (--out).", "请选择导出文件的保存位置。")
    chosen = _format_for(job, target, format)
    encoding = encoding or job.encoding or "utf-8"
    if encoding not in EXPORT_ENCODINGS:
        raise JobError(f"Unknown encoding {encoding!r}: use {', '.join(EXPORT_ENCODINGS)}.", "未知的编码。")
    items = store.list_items(db, job_id)
    held = _held_back(items, include_flagged)
    if chosen == "shopify":
        return {**_export_shopify(db, job, items, target, held), **_summary(held)}
    rows, columns = _generic_rows(db, job, items, include_findings, held)
    if chosen == "xlsx":
        written = export_xlsx(rows, target, columns=columns)
        encoding = None
    else:
        written = export_csv(rows, target, encoding=encoding, columns=columns)
    filled = sum(1 for item in items if item["status"] in USABLE_ITEM and item["id"] not in held)
    return {"path": str(target), "format": chosen, "encoding": encoding, "rows": written,
            "products": len(items),
            "filled": filled, **_summary(held)}


def _export_shopify(db: Database, job, items: list[dict], target: Path, held: dict[int, list[dict]]) -> dict:
    result, owners = _source(db, job, items)
    with_title = job.content_type == "product-title" or bool((job.options or {}).get("fill_title"))
    generated: dict[str, dict] = {}
    for item, handle in zip(owners, product_handles(result), strict=True):
        if (
            item is not None
            and item["status"] in USABLE_ITEM
            and item.get("fields")
            and item["id"] not in held
        ):
            generated[handle] = shopify_fields(item["fields"], with_title=with_title)
    report = export_shopify(result, generated, target)
    return {"path": str(target), "format": "shopify", "encoding": "utf-8", "rows": report["rows"],
            "products": report["products"], "filled": report["filled"]}


def _generic_rows(db: Database, job, items: list[dict], include_findings: bool,
                  held: dict[int, list[dict]]) -> tuple[list[dict], list[str]]:
    from desktop.core.jobs.pipeline import JobPlan

    outputs = [o.name for o in JobPlan.load(db, job).template.outputs]
    rows, product_columns, extra_columns = [], {}, {}
    for item in items:
        product = get_product(db, item["product_id"]) if item.get("product_id") is not None else None
        fields = dict((product or {}).get("fields") or {})
        extra = dict((product or {}).get("extra") or {})
        for key in fields:
            product_columns.setdefault(key, None)
        for key in extra:
            extra_columns.setdefault(key, None)
        usable = item["status"] in USABLE_ITEM and item["id"] not in held
        generated = item.get("fields") or {}
        row = {**extra, **fields}
        for name in outputs:
            value = generated.get(name) if usable else None
            row[f"generated_{name}"] = "\n".join(value) if isinstance(value, list) else value
        row["status"] = item["status"]
        row["error"] = item.get("error") or ""
        if held:
            row["held_back"] = _reason(held[item["id"]]) if item["id"] in held else ""
        if include_findings:
            row["findings"] = "\n".join(
                f"[{f.get('severity')}] {f.get('field')}: {f.get('message')}"
                for f in item.get("findings") or []
            )
        rows.append(row)
    ordered = [f for f in FIELDS if f in product_columns] + [k for k in product_columns if k not in FIELDS]
    ordered += [k for k in extra_columns if k not in product_columns]
    columns = (
        ordered + [f"generated_{n}" for n in outputs] + ["status", "error"] + (["held_back"] if held else [])
    )
    if include_findings:
        columns.append("findings")
    return rows, columns
