"""Benchmark data for the history: n synthetic generations (half Chinese, half English), and the
median latency of history searches over them. `shopscribe bench` fills its history with
`fill_history()` and times what the History page fetches (desktop/core/bench/store_checks.py)."""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from pathlib import Path

from desktop.core.store.codec import to_json
from desktop.core.store.db import open_db
from desktop.core.store.history import flatten_inputs, search
from desktop.core.store.sqlite import Database

ZH_PRODUCTS = ["保温杯", "蓝牙耳机", "连衣裙", "运动鞋", "茶具", "双肩包", "电饭煲", "口红", "羽绒服", "台灯",
               "瑜伽垫", "咖啡机", "床品四件套", "手机壳", "猫粮", "儿童绘本", "机械键盘", "防晒霜",
               "登山杖", "香薰"]
ZH_WORDS = ["轻便", "大容量", "透气", "静音", "保暖", "耐用", "简约", "通勤", "送礼", "户外",
            "居家", "办公室",
            "柔软", "防水", "快充", "复古", "清新", "高颜值", "百搭", "舒适"]
EN_PRODUCTS = ["water bottle", "headphones", "summer dress", "running shoes", "tea set", "backpack",
               "rice cooker",
               "lipstick", "down jacket", "desk lamp", "yoga mat", "coffee maker",
               "bedding set", "phone case",
               "cat food", "picture book", "mechanical keyboard", "sunscreen", "trekking poles", "candle"]
EN_WORDS = ["lightweight", "spacious", "breathable", "quiet", "warm", "durable", "minimal", "commute", "gift",
            "outdoor", "cosy", "office", "soft", "waterproof", "fast-charging", "vintage", "fresh", "stylish",
            "versatile", "comfortable"]
TYPES = [("product-description", "taobao"), ("product-title", "amazon"), ("ad-copy", "google-ads"),
         ("social-post", "xiaohongshu"), ("email", "email"), ("blog-post", "blog")]
# Common and rare terms, 1 to 4 characters: 2-character ones use the LIKE fallback, and one with no
# match at all is the worst case (a full scan).
QUERIES = ["保温", "保温杯", "蓝牙耳机", "户外 轻便", "water", "running shoes", "gift", "静", "无此"]


def _record(rng: random.Random, i: int) -> dict:
    zh = i % 2 == 0
    product = rng.choice(ZH_PRODUCTS if zh else EN_PRODUCTS)
    words = rng.sample(ZH_WORDS if zh else EN_WORDS, 5)
    if zh:
        text = (
            f"{product},{words[0]}{words[1]},适合{words[2]}。"
            + "".join(f"{w}," for w in words[3:])
            + "值得入手。"
        )
    else:
        text = (
            f"A {words[0]}, {words[1]} {product} for {words[2]} days. "
            + " ".join(words[3:])
            + " and made to last."
        )
    content_type, platform = TYPES[i % len(TYPES)]
    inputs = {"product_name": product, "features": " ".join(words[:3])}
    return {
        "group_id": f"bench-{i // 2}", "variant_index": i % 2, "content_type": content_type,
        "platform": platform,
        "lang": "zh" if zh else "en", "template_id": "bench", "template_version": 1,
        "inputs": to_json(inputs),
        "inputs_text": flatten_inputs(inputs), "model_id": "bench-model", "text": text,
        "favourite": int(i % 17 == 0),
        "created_at": f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}T{i % 24:02d}:00:00.{i % 1_000_000:06d}+00:00",
    }


def fill_history(db: Database, n: int, seed: int = 0, batch: int = 5_000) -> float:
    """Add n synthetic generations; returns the seconds it took."""
    rng = random.Random(seed)
    start = db.execute("SELECT coalesce(max(id), 0) FROM generations").fetchone()[0]
    t0 = time.perf_counter()
    for offset in range(0, n, batch):
        rows = [_record(rng, start + i) for i in range(offset, min(n, offset + batch))]
        columns = list(rows[0])
        sql = f"INSERT INTO generations ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"
        with db.atomic():
            db.conn.executemany(sql, [[row[c] for c in columns] for row in rows])
    return time.perf_counter() - t0


def bench_history_search(n: int = 100_000, *, path: Path | None = None, queries: list[str] | None = None,
                         repeats: int = 5, limit: int = 50) -> dict:
    """Median latency (ms) of history searches over `n` stored generations.

    With `path`, a database that already holds n or more rows is reused (filling takes a while).
    """
    queries = queries or QUERIES
    with tempfile.TemporaryDirectory() as tmp:
        db = open_db(Path(path) if path else Path(tmp) / "bench.db")
        try:
            have = db.execute("SELECT count(*) FROM generations").fetchone()[0]
            fill_s = fill_history(db, n - have) if have < n else 0.0
            per_query: dict[str, float] = {}
            samples: list[float] = []
            for query in queries:
                search(db, query, limit=limit)  # warm the page cache once
                times = []
                for _ in range(repeats):
                    t0 = time.perf_counter()
                    search(db, query, limit=limit)
                    times.append((time.perf_counter() - t0) * 1000)
                per_query[query] = round(statistics.median(times), 3)
                samples += times
            samples.sort()
            return {
                "n": max(n, have), "fill_s": round(fill_s, 2),
                "median_ms": round(statistics.median(samples), 3),
                "p95_ms": round(samples[min(len(samples) - 1, int(len(samples) * 0.95))], 3),
                "per_query": per_query, "queries": queries, "limit": limit,
            }
        finally:
            db.close()
