"""The store and the checks: history search over many generations, and a compliance check of a long
text. The store and checks helpers provide the measured calls; their references are measured here,
on the same data."""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from desktop.core.bench.context import Bench
from desktop.core.bench.stats import Figure, Target, percentile


def _median_ms(fn, repeats: int) -> float:
    fn()  # warm caches once, as the measured side does
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def page_fetch(db, query: str) -> list[dict]:
    """What the History page fetches for a search (history_page._query): up to PAGE_ROWS rows and the
    names of the content types and platforms for its filters."""
    from desktop.core import platforms
    from desktop.core.content import presets
    from desktop.core.store.history import PAGE_ROWS, search

    rows = search(db, query, {}, limit=PAGE_ROWS)
    presets.content_types()
    platforms.platforms()
    return rows


def like_fetch(db, query: str) -> list[dict]:
    """The same rows without the full-text index: every term a LIKE over the same three columns, newest
    first, the same limit, decoded the same way."""
    from desktop.core.store.codec import decode_row
    from desktop.core.store.history import JSON_COLUMNS, PAGE_ROWS

    terms = [t for t in query.split() if t]
    where = " AND ".join("(g.inputs_text LIKE ? ESCAPE '\\' OR g.text LIKE ? ESCAPE '\\' OR "
                         "g.edited_text LIKE ? ESCAPE '\\')" for _ in terms) or "1"
    params = [p for t in terms for p in [_like(t)] * 3]
    sql = f"SELECT g.* FROM generations g WHERE {where} ORDER BY g.id DESC LIMIT ?"
    return [decode_row(r, JSON_COLUMNS) for r in db.query(sql, [*params, PAGE_ROWS])]


def _like(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _times_ms(fn, repeats: int) -> list[float]:
    fn()  # warm the page cache once
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return times


def measure_history(bench: Bench) -> list[Figure]:
    from desktop.core.store.bench_data import QUERIES, fill_history
    from desktop.core.store.db import open_db
    from desktop.core.store.history import PAGE_ROWS

    n, repeats = bench.config.history_rows, bench.config.short_repetitions
    bench.say(f"history: filling {n:,} generations, then what the History page fetches for "
              f"{len(QUERIES)} searches")
    per_query, all_times, reference, mismatched, returned = [], [], [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        db = open_db(Path(tmp) / "bench.db")
        try:
            fill_history(db, n)
            rows = db.execute("SELECT count(*) FROM generations").fetchone()[0]
            for query in QUERIES:
                found = page_fetch(db, query)
                scanned = like_fetch(db, query)
                if [r["id"] for r in found] != [r["id"] for r in scanned]:
                    mismatched.append(query)
                returned.append(len(found))
                times = _times_ms(lambda q=query: page_fetch(db, q), repeats)
                per_query.append(statistics.median(times))
                all_times += times
                reference.append(statistics.median(_times_ms(lambda q=query: like_fetch(db, q), repeats)))
        finally:
            db.close()
    note = (f"{rows:,} rows, {len(QUERIES)} queries (FTS5 trigram, LIKE under 3 characters), up to "
            f"{PAGE_ROWS} rows each as the History page fetches ({min(returned)}-{max(returned)} returned); "
            f"median of the per-query medians of {repeats} runs; p95 of all {len(all_times)} searches "
            f"{percentile(all_times, 95):.1f} ms, slowest query {max(per_query):.1f} ms")
    if mismatched:
        note += f"; the LIKE scan returned other rows for {mismatched}"
    return [Figure("history_search", statistics.median(per_query), "ms",
                   "a LIKE scan returning the same rows", statistics.median(reference),
                   Target("value", "<=", 50, "ms"), note, samples=per_query, reference_samples=reference)]


def measure_checks(bench: Bench) -> list[Figure]:
    from desktop.core.checks.counters import count_characters
    from desktop.core.checks.engine import SAMPLE_EN, SAMPLE_ZH, bench_check

    n = bench.config.check_chars
    bench.say(f"checks: compliance check of {n:,} characters")
    value = bench_check(n_chars=n, repeats=7) * 1000
    unit = SAMPLE_ZH + SAMPLE_EN
    text = (unit * (n // len(unit) + 1))[:n]  # the text bench_check checks
    reference = _median_ms(lambda: count_characters(text), 7)
    return [Figure("check_10k_chars", value, "ms", "counting the characters of the same text", reference,
                   Target("value", "<=", 20, "ms"),
                   f"{n:,} characters, mixed Chinese and English, taobao rules")]
