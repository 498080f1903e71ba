"""Jobs and their items in SQLite: every write is one short transaction, so a process killed at any
moment leaves either the state before a write or the state after it, never a half.

The rule that makes a killed batch lose nothing and repeat nothing: an item becomes `done` (or
`failed` with an output) in the same commit that inserts its history row, and only if it is still
`running` — a second runner that took the item over after a crash cannot write it twice.
"""

from __future__ import annotations

import contextlib
import os
import random
from collections.abc import Iterator
from typing import Any

import psutil

from desktop.core.jobs.model import (
    EXPORT_ENCODINGS,
    EXPORT_FORMATS,
    FINISHED_ITEM,
    ITEM_ACCEPTED,
    ITEM_CANCELLED,
    ITEM_DONE,
    ITEM_FAILED,
    ITEM_PENDING,
    ITEM_REJECTED,
    ITEM_RUNNING,
    ITEM_STATUSES,
    JOB_CANCELLED,
    JOB_COMPLETED,
    JOB_PENDING,
    JOB_RUNNING,
    Job,
    JobError,
    JobNotFound,
)
from desktop.core.store.codec import decode_row, now_iso, to_json
from desktop.core.store.history import save_generation
from desktop.core.store.settings import delete_setting, get_setting, set_setting, stored_dry
from desktop.core.store.sqlite import Database

ITEM_JSON = ("fields", "findings", "score")
# Review filters for list_items: what the Batch page's filter buttons ask for.
ITEM_FILTERS = ("failed", "findings", "accepted", "rejected", "done", "pending", "review")


@contextlib.contextmanager
def write(db: Database) -> Iterator[None]:
    """One immediate write transaction (the write lock is taken up front, so two processes never
    deadlock upgrading a read). Commits at the end of the block, rolls back on any exception."""
    conn = db.conn
    if conn.in_transaction:  # a caller's implicit transaction: finish it, ours must stand alone
        conn.commit()
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.rollback()
        raise
    conn.commit()


# ----- jobs ---------------------------------------------------------------------------------------
def _brand_id(db: Database, brand) -> int | None:
    if brand is None or brand == "":
        return None
    if isinstance(brand, int):
        return brand
    if getattr(brand, "id", None) is not None:
        return int(brand.id)
    from desktop.core.store.brands import get_brand

    return get_brand(db, brand.name if hasattr(brand, "name") else str(brand)).id


def create_job(
    db: Database,
    product_ids: list[int],
    content_type: str,
    platform: str | None = None,
    template_id: str | None = None,
    brand=None,
    tone: str | None = None,
    lang: str | None = None,
    variants: int = 1,
    options: dict | None = None,
    input_path: str | None = None,
    output_path: str | None = None,
    format: str | None = None,  # noqa: A002 - the column's name
    encoding: str | None = None,
) -> Job:
    """Persist a job and every item (pending), in one transaction, before any work starts.

    `brand`: a Brand, a stored brand's name or id, or None. The template is resolved now (content type
    and platform give the default one) and its id stored, so a resumed job uses the same template.
    `options`: max_tokens, temperature, seed, retries, length, audience, category, group_size."""
    from desktop.core.jobs.pipeline import resolve_job

    ids = list(dict.fromkeys(int(p) for p in product_ids))
    if not ids:
        raise JobError("A job needs at least one product.", "批量任务至少需要一个商品。")
    if variants < 1 or variants > 8:
        raise JobError("Variants per product: 1 to 8.", "每个商品的版本数为 1 到 8。")
    if format is not None and format not in EXPORT_FORMATS:
        raise JobError(f"Unknown export format {format!r}: use {', '.join(EXPORT_FORMATS)}.",
                       "未知的导出格式。")
    if encoding is not None and encoding not in EXPORT_ENCODINGS:
        raise JobError(f"Unknown encoding {encoding!r}: use {', '.join(EXPORT_ENCODINGS)}.", "未知的编码。")
    resolved = resolve_job(db, template_id=template_id, content_type=content_type,
                           platform=platform, lang=lang,
                           texts=_product_texts(db, ids) if not lang else ())
    template, platform, lang = resolved.template, resolved.platform, resolved.lang
    options = dict(options or {})
    options.setdefault("seed", random.randrange(2**31))  # stored, so a resumed job draws the same seeds
    if options.get("dry_multiplier") is None and (dry := stored_dry(db)) is not None:
        options["dry_multiplier"] = dry  # Settings > Writing, kept with the job like the seed
    brand_id = _brand_id(db, brand)
    known = {r[0] for r in db.execute(
        f"SELECT id FROM products WHERE id IN ({', '.join('?' for _ in ids)})", ids).fetchall()}
    missing = [i for i in ids if i not in known]
    if missing:
        raise JobError(f"Unknown product ids: {missing[:10]}.", f"商品不存在:{missing[:10]}。")
    now = now_iso()
    with write(db):
        cursor = db.conn.execute(
            "INSERT INTO jobs (status, content_type, platform, template_id, brand_id, tone, lang, variants, "
            "options, input_path, output_path, format, encoding, total, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [JOB_PENDING, template.content_type, platform, template.id, brand_id, tone, lang, int(variants),
             to_json(options), input_path, output_path, format, encoding, len(ids), now, now],
        )
        job_id = int(cursor.lastrowid)
        db.conn.executemany(
            "INSERT INTO job_items (job_id, product_id, position, status, updated_at) VALUES (?, ?, ?, ?, ?)",
            [(job_id, pid, pos, ITEM_PENDING, now) for pos, pid in enumerate(ids)],
        )
    return get_job(db, job_id)


def _product_texts(db: Database, ids: list[int], sample: int = 50) -> list[str]:
    """The describing fields of the job's first products: their language is the job's default."""
    from desktop.core.jobs.pipeline import product_variables
    from desktop.core.store.codec import from_json

    rows = db.execute(f"SELECT fields FROM products WHERE id IN ({', '.join('?' for _ in ids[:sample])})",
                      ids[:sample]).fetchall()
    texts: list[str] = []
    for (fields,) in rows:
        texts += product_variables({"fields": from_json(fields, {}) or {}}).values()
    return texts


def item_counts(db: Database, job_id: int) -> dict[str, int]:
    rows = db.execute("SELECT status, count(*) FROM job_items WHERE job_id = ? GROUP BY status", [job_id])
    return {status: n for status, n in rows.fetchall()}


def _job(db: Database, row: dict) -> Job:
    data = decode_row(row, ("options",))
    data["options"] = data.get("options") or {}
    return Job(**data, counts=item_counts(db, data["id"]))


def get_job(db: Database, job_id: int) -> Job:
    row = next(db.query("SELECT * FROM jobs WHERE id = ?", [int(job_id)]), None)
    if row is None:
        raise JobNotFound(
            f"No job has id {job_id}: list them with `shopscribe jobs list`.",
            f"没有编号为 {job_id} 的批量任务。"
        )
    return _job(db, row)


def list_jobs(db: Database, status: str | None = None, limit: int | None = None) -> list[Job]:
    """Newest first."""
    sql, params = "SELECT * FROM jobs", []
    if status:
        sql += " WHERE status = ?"
        params.append(status)
    sql += " ORDER BY id DESC"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(int(limit))
    return [_job(db, r) for r in db.query(sql, params)]


def set_job_status(db: Database, job_id: int, status: str) -> None:
    with write(db):
        db.conn.execute("UPDATE jobs SET status = ?, updated_at = ? WHERE id = ?",
                        [status, now_iso(), job_id])


def job_status(db: Database, job_id: int) -> str:
    row = db.execute("SELECT status FROM jobs WHERE id = ?", [job_id]).fetchone()
    if row is None:
        raise JobNotFound(f"Job {job_id} no longer exists.", f"批量任务 {job_id} 已不存在。")
    return row[0]


def cancel_job(db: Database, job_id: int) -> Job:
    """Cancel for good: items not yet generated become `cancelled`; finished ones stay (and export).
    A runner in another process sees the status at its next group and stops."""
    job = get_job(db, job_id)
    if job.status == JOB_COMPLETED:
        raise JobError(f"Job {job_id} is already complete.", f"批量任务 {job_id} 已完成。")
    now = now_iso()
    with write(db):
        db.conn.execute("UPDATE jobs SET status = ?, updated_at = ? WHERE id = ?",
                        [JOB_CANCELLED, now, job_id])
        db.conn.execute(
            "UPDATE job_items SET status = ?, updated_at = ? WHERE job_id = ? AND status IN (?, ?)",
            [ITEM_CANCELLED, now, job_id, ITEM_PENDING, ITEM_RUNNING],
        )
    return get_job(db, job_id)


def delete_job(db: Database, job_id: int) -> None:
    """Remove a job and its items (the history rows stay: they are the merchant's history)."""
    get_job(db, job_id)
    with write(db):
        db.conn.execute("DELETE FROM jobs WHERE id = ?", [job_id])


# ----- who is running a job ----------------------------------------------------------------------------
def _runner_key(job_id: int) -> str:
    return f"jobs.runner.{job_id}"


def _this_process() -> dict:
    return {"pid": os.getpid(), "started": psutil.Process().create_time()}


def live_runner(db: Database, job_id: int) -> dict | None:
    """The other process running this job, when one is alive (pid and start time both match, so a
    reused pid after a crash does not count)."""
    runner = get_setting(db, _runner_key(job_id))
    if not isinstance(runner, dict) or runner.get("pid") == os.getpid():
        return None
    try:
        process = psutil.Process(int(runner["pid"]))
        if abs(process.create_time() - float(runner.get("started", 0))) < 1.0:
            return runner
    except (psutil.Error, KeyError, TypeError, ValueError):
        pass
    return None


def start_run(db: Database, job_id: int, *, force: bool = False) -> int:
    """Mark the job running by this process and put back to `pending` the items a killed process left
    `running`. Returns how many were recovered."""
    runner = live_runner(db, job_id)
    if runner is not None and not force:
        raise JobError(
            f"Job {job_id} is being run by another Shopscribe process (pid {runner['pid']}). Pause it there, "
            f"or wait for it.",
            f"批量任务 {job_id} 正在另一个 Shopscribe 进程(pid {runner['pid']})中运行。"
        )
    now = now_iso()
    with write(db):
        set_setting(db, _runner_key(job_id), _this_process())
        recovered = db.conn.execute(
            "UPDATE job_items SET status = ?, updated_at = ? WHERE job_id = ? AND status = ?",
            [ITEM_PENDING, now, job_id, ITEM_RUNNING],
        ).rowcount
        db.conn.execute("UPDATE jobs SET status = ?, updated_at = ? WHERE id = ?", [JOB_RUNNING, now, job_id])
    return recovered


def end_run(db: Database, job_id: int, status: str) -> str:
    """Leave the job in `status` (a cancel from another process wins); claimed items not finished go
    back to pending (or become cancelled). Returns the status the job ended in."""
    now = now_iso()
    with write(db):
        row = db.conn.execute("SELECT status FROM jobs WHERE id = ?", [job_id]).fetchone()
        if row is not None and row[0] == JOB_CANCELLED:
            status = JOB_CANCELLED
        unfinished = ITEM_CANCELLED if status == JOB_CANCELLED else ITEM_PENDING
        db.conn.execute(
            "UPDATE job_items SET status = ?, updated_at = ? WHERE job_id = ? AND status IN (?, ?)",
            [unfinished, now, job_id, ITEM_RUNNING,
             ITEM_PENDING if status == JOB_CANCELLED else ITEM_RUNNING],
        )
        db.conn.execute("UPDATE jobs SET status = ?, updated_at = ? WHERE id = ?", [status, now, job_id])
        delete_setting(db, _runner_key(job_id))
    return status


# ----- items -----------------------------------------------------------------------------------------
ITEM_SELECT = (
    "SELECT i.*, p.name AS product_name, p.handle AS handle, p.sku AS sku FROM job_items i "
    "LEFT JOIN products p ON p.id = i.product_id"
)


def _item(row: dict | None) -> dict | None:
    return decode_row(row, ITEM_JSON)


def get_item(db: Database, item_id: int) -> dict:
    row = next(db.query(ITEM_SELECT + " WHERE i.id = ?", [int(item_id)]), None)
    if row is None:
        raise JobNotFound(f"No job item has id {item_id}.", f"没有编号为 {item_id} 的任务条目。")
    return _item(row)


def list_items(
    db: Database, job_id: int, *, status: str | list[str] | None = None,
    filter: str | None = None,  # noqa: A002
    limit: int | None = None, offset: int = 0,
) -> list[dict]:
    """Items in job order. `filter`: failed | findings (a block or warn finding) | accepted | rejected |
    done (done or accepted) | pending | review (done, not yet accepted or rejected)."""
    where, params = ["i.job_id = ?"], [int(job_id)]
    if status:
        statuses = [status] if isinstance(status, str) else list(status)
        bad = [s for s in statuses if s not in ITEM_STATUSES]
        if bad:
            raise JobError(f"Unknown item status {bad[0]!r}.", "未知的条目状态。")
        where.append(f"i.status IN ({', '.join('?' for _ in statuses)})")
        params += statuses
    if filter:
        if filter not in ITEM_FILTERS:
            raise JobError(f"Unknown filter {filter!r}: use {', '.join(ITEM_FILTERS)}.", "未知的筛选条件。")
        where.append({
            "failed": f"i.status = '{ITEM_FAILED}'",
            "findings": "EXISTS (SELECT 1 FROM json_each(i.findings) f "
                        "WHERE json_extract(f.value, '$.severity') IN ('block', 'warn'))",
            "accepted": f"i.status = '{ITEM_ACCEPTED}'",
            "rejected": f"i.status = '{ITEM_REJECTED}'",
            "done": f"i.status IN ('{ITEM_DONE}', '{ITEM_ACCEPTED}')",
            "pending": f"i.status IN ('{ITEM_PENDING}', '{ITEM_RUNNING}')",
            "review": f"i.status = '{ITEM_DONE}'",
        }[filter])
    sql = ITEM_SELECT + " WHERE " + " AND ".join(where) + " ORDER BY i.position, i.id"
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        params += [int(limit), int(offset)]
    return [_item(r) for r in db.query(sql, params)]


def claim_items(db: Database, job_id: int, n: int) -> list[dict]:
    """Take the next `n` pending items (marked running, in one transaction)."""
    with write(db):
        ids = [r[0] for r in db.conn.execute(
            "SELECT id FROM job_items WHERE job_id = ? AND status = ? ORDER BY position, id LIMIT ?",
            [job_id, ITEM_PENDING, int(n)]).fetchall()]
        if ids:
            db.conn.execute(
                "UPDATE job_items SET status = ?, updated_at = ? WHERE id IN "
                f"({', '.join('?' for _ in ids)})",
                [ITEM_RUNNING, now_iso(), *ids],
            )
    return [get_item(db, i) for i in ids]


def release_items(db: Database, item_ids: list[int]) -> None:
    """Claimed items not finished (a pause or cancel mid-group) go back to pending."""
    if not item_ids:
        return
    with write(db):
        db.conn.execute(
            f"UPDATE job_items SET status = ?, updated_at = ? WHERE status = ? AND id IN "
            f"({', '.join('?' for _ in item_ids)})",
            [ITEM_PENDING, now_iso(), ITEM_RUNNING, *item_ids],
        )


def finish_item(
    db: Database, item_id: int, *, status: str, attempts: int, text: str | None = None,
    fields: dict | None = None, findings: list[dict] | None = None, error: str | None = None,
    generations: list[dict] = (), chosen: int = 0, expect: tuple[str, ...] = (ITEM_RUNNING,),
    score: dict | None = None,
) -> bool:
    """Write an item's result with its history rows, in ONE transaction. Writes only when the item is
    still in one of `expect` (normally: running, claimed by us) and returns whether it wrote; the
    item's generation_id becomes the row of `generations[chosen]`."""
    if status not in FINISHED_ITEM:
        raise ValueError(f"not a finished status: {status}")
    with write(db):
        row = db.conn.execute("SELECT status FROM job_items WHERE id = ?", [item_id]).fetchone()
        if row is None or row[0] not in expect:
            return False
        ids = [save_generation(db, record) for record in generations]
        generation_id = ids[chosen] if ids else None
        db.conn.execute(
            "UPDATE job_items SET status = ?, attempts = ?, generation_id = COALESCE(?, generation_id), "
            "text = ?, fields = ?, findings = ?, score = ?, error = ?, updated_at = ? WHERE id = ?",
            [status, attempts, generation_id, text, to_json(fields), to_json(findings or []),
             to_json(score), error,
             now_iso(), item_id],
        )
        db.conn.execute("UPDATE jobs SET updated_at = ? WHERE id = (SELECT job_id FROM job_items "
                        "WHERE id = ?)",
                        [now_iso(), item_id])
    return True


def set_item_review(db: Database, item_id: int, review: str | None) -> dict:
    """accepted / rejected, or None to take the review back (the item is `done` again). Only generated
    items can be reviewed; a failed item can be accepted once it is edited into a valid one."""
    item = get_item(db, item_id)
    if review not in (ITEM_ACCEPTED, ITEM_REJECTED, None):
        raise JobError("A review is 'accepted' or 'rejected'.", "审核结果只能是“通过”或“拒绝”。")
    allowed = (ITEM_DONE, ITEM_ACCEPTED, ITEM_REJECTED) if review != ITEM_REJECTED else FINISHED_ITEM
    if item["status"] not in allowed:
        raise JobError(
            f"Item {item_id} is {item['status']}: only generated, valid items can be accepted (edit or "
            f"regenerate a failed one first).",
            f"条目 {item_id} 状态为 {item['status']},只能审核已生成且有效的条目。"
        )
    new_status = review or (ITEM_FAILED if item.get("error") else ITEM_DONE)
    with write(db):
        db.conn.execute("UPDATE job_items SET status = ?, updated_at = ? WHERE id = ?",
                        [new_status, now_iso(), item_id])
    return get_item(db, item_id)


def product_for_item(db: Database, item: dict) -> dict[str, Any]:
    from desktop.core.catalog.products import get_product

    product = get_product(db, item["product_id"]) if item.get("product_id") is not None else None
    if product is None:
        raise JobError(
            f"The product of item {item['id']} was deleted; it cannot be generated.",
            f"条目 {item['id']} 的商品已被删除。"
        )
    return product
