"""The store and the checks: history search over many generations, and a compliance check of a long
text. The store and checks helpers provide the measured calls; their references are measured here,
on the same data."""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from desktop.core.bench.context import Bench
from desktop.core.bench.stats import Figure, Target


def _median_ms(fn, repeats: int) -> float:
    fn()  # warm caches once, as the measured side does
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def measure_history(bench: Bench) -> list[Figure]:
    from desktop.core.store.bench_data import QUERIES, bench_history_search
    from desktop.core.store.db import open_db

    n = bench.config.history_rows
    bench.say(f"history: filling {n:,} generations, then searching")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        result = bench_history_search(n, path=path, queries=QUERIES, repeats=5)
        db = open_db(path)
        try:
            rows = db.execute("SELECT count(*) FROM generations").fetchone()[0]
            reference = []
            for query in QUERIES:
                term = f"%{query.split()[0]}%"
                reference.append(_median_ms(lambda t=term: db.execute(
                    "SELECT count(*) FROM generations WHERE text LIKE ? OR inputs_text LIKE ?", [t, t]).fetchone(), 5))
        finally:
            db.close()
    note = f"{rows:,} rows, {len(QUERIES)} queries (FTS5 trigram, LIKE under 3 characters), first 50 hits"
    return [Figure("history_search", result["median_ms"], "ms", "a LIKE scan of the same table (count(*))",
                   statistics.median(reference), Target("value", "<=", 50, "ms"), note,
                   samples=list(result["per_query"].values()), reference_samples=reference)]


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
                   Target("value", "<=", 20, "ms"), f"{n:,} characters, mixed Chinese and English, taobao rules")]
