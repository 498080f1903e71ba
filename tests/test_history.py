"""The history: saving, listing, rating and searching generations in Chinese and English."""

from __future__ import annotations

import csv
import json

import pytest

from desktop.core.history_export import export_generations
from desktop.core.store import open_db
from desktop.core.store.history import (
    HistoryFilter,
    HistoryNotFound,
    count_generations,
    delete_generations,
    get_generation,
    get_group,
    list_generations,
    save_generation,
    search,
    set_edited_text,
    set_favourite,
    set_rating,
    set_tags,
)


@pytest.fixture
def db(tmp_path):
    database = open_db(tmp_path / "history.db")
    yield database
    database.close()


def record(**over):
    base = {
        "group_id": "g1", "variant_index": 0, "content_type": "product-description", "platform": "taobao",
        "lang": "zh", "template_id": "taobao-detail", "template_version": 1, "tone": "friendly",
        "inputs": {"product_name": "不锈钢保温杯", "features": "保温12小时"},
        "prompt_system": "sys", "prompt_user": "user", "model_id": "smollm2", "model_path": "m.gguf",
        "model_sha256": "ab" * 32, "sampling": {"temperature": 0.7, "seed": 1},
        "text": "这款保温杯适合通勤。", "fields": {"description": "这款保温杯适合通勤。"},
        "stats": {"prompt_tokens": 10, "completion_tokens": 5, "ttft_s": 0.1, "tokens_per_s": 50.0},
        "stop_reason": "end",
    }
    base.update(over)
    return base


def test_save_and_get_keep_every_field(db):
    rec = record()
    gid = save_generation(db, rec)
    got = get_generation(db, gid)
    for key, value in rec.items():
        assert got[key] == value, key
    assert got["favourite"] == 0 and got["rating"] is None
    assert got["created_at"].startswith("20")


def test_unknown_keys_are_refused(db):
    with pytest.raises(ValueError):
        save_generation(db, record(colour="red"))


def test_rate_favourite_edit_tag_and_delete(db):
    gid = save_generation(db, record())
    set_rating(db, gid, 4)
    set_favourite(db, gid, True)
    set_edited_text(db, gid, "商家改过的文案:双层真空")
    set_tags(db, gid, ["双11", "双11", " 新品 "])
    got = get_generation(db, gid)
    assert (got["rating"], got["favourite"], got["tags"]) == (4, 1, ["双11", "新品"])
    assert [r["id"] for r in search(db, "双层真空")] == [gid]  # the edited text is searchable
    with pytest.raises(Exception, match="1 to 5"):
        set_rating(db, gid, 9)
    assert delete_generations(db, [gid]) == 1
    with pytest.raises(HistoryNotFound):
        get_generation(db, gid)
    assert search(db, "双层真空") == []  # the index followed the delete
    with pytest.raises(HistoryNotFound):
        set_favourite(db, gid, True)


def test_variants_form_a_group(db):
    ids = [save_generation(db, record(group_id="grp", variant_index=i, text=f"v{i}")) for i in range(3)]
    assert [r["id"] for r in get_group(db, "grp")] == ids


def test_search_chinese_two_and_three_characters_and_english(db):
    cup = save_generation(db, record(text="这款保温杯适合通勤。"))
    mug = save_generation(db, record(lang="en", inputs={"product_name": "Ceramic mug"},
                                     text="A ceramic mug for slow mornings.", platform="amazon"))
    tea = save_generation(db, record(inputs={"product_name": "茶具"}, text="一套茶具,适合送礼。"))
    assert [r["id"] for r in search(db, "保温")] == [cup]  # 2 characters: LIKE fallback
    assert [r["id"] for r in search(db, "保温杯")] == [cup]  # 3 characters: trigram FTS
    assert [r["id"] for r in search(db, "ceramic")] == [mug]  # an English word
    assert [r["id"] for r in search(db, "CERAMIC")] == [mug]  # case does not matter
    assert [r["id"] for r in search(db, "茶")] == [tea]  # 1 character
    assert [r["id"] for r in search(db, "送礼 茶具")] == [tea]  # every term must match
    assert search(db, "保温 茶具") == []
    assert {r["id"] for r in search(db, "")} == {cup, mug, tea}
    # inputs are searched too, but not the JSON keys
    assert [r["id"] for r in search(db, "Ceramic mug")] == [mug]
    assert search(db, "product_name") == []


def test_search_treats_quotes_and_like_wildcards_as_text(db):
    gid = save_generation(db, record(text='100% cotton "soft" tee_shirt'))
    assert [r["id"] for r in search(db, '"soft"')] == [gid]
    assert [r["id"] for r in search(db, "0%")] == [gid]
    assert search(db, "%%") == []
    assert [r["id"] for r in search(db, "e_")] == [gid]
    assert search(db, "x_") == []


def test_filters(db):
    a = save_generation(db, record(created_at="2024-01-10T08:00:00+00:00"))
    b = save_generation(db, record(content_type="ad-copy", platform="google-ads", model_id="qwen",
                                   created_at="2024-02-01T23:59:00+00:00"))
    set_favourite(db, b, True)
    assert [r["id"] for r in list_generations(db, HistoryFilter(content_type="ad-copy"))] == [b]
    assert [r["id"] for r in list_generations(db, {"platform": "taobao"})] == [a]
    assert [r["id"] for r in list_generations(db, HistoryFilter(model="qwen"))] == [b]
    assert [r["id"] for r in list_generations(db, HistoryFilter(favourite=True))] == [b]
    assert [r["id"] for r in list_generations(db, HistoryFilter(date_to="2024-02-01"))] == [b, a]
    assert [r["id"] for r in list_generations(db, HistoryFilter(date_from="2024-01-11"))] == [b]
    assert [r["id"] for r in list_generations(db, HistoryFilter(date_to="2024-01-31"))] == [a]
    assert [r["id"] for r in search(db, "保温杯", HistoryFilter(platform="google-ads"))] == [b]
    assert count_generations(db, HistoryFilter(favourite=False)) == 1


def test_export_csv_markdown_json(db, tmp_path):
    a = save_generation(db, record(text="=HYPERLINK(\"x\") 保温杯"))
    b = save_generation(db, record(text="Ceramic mug", lang="en"))
    save_generation(db, record(text="not exported"))
    assert export_generations(db, [a, b], "csv", tmp_path / "h.csv") == 2
    raw = (tmp_path / "h.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # a BOM, so Excel reads the Chinese
    rows = list(csv.DictReader((tmp_path / "h.csv").open(encoding="utf-8-sig")))
    assert [r["id"] for r in rows] == [str(a), str(b)]
    assert rows[0]["text"].startswith("'=")  # a formula is neutralised
    export_generations(db, [a, b], "md", tmp_path / "h.md")
    md = (tmp_path / "h.md").read_text(encoding="utf-8")
    assert f"## #{a}" in md and "Ceramic mug" in md and "not exported" not in md
    export_generations(db, [b], "json", tmp_path / "h.json")
    data = json.loads((tmp_path / "h.json").read_text(encoding="utf-8"))
    assert [d["id"] for d in data] == [b] and data[0]["inputs"]["product_name"] == "不锈钢保温杯"


def test_search_benchmark_reports_median_latency(tmp_path):
    from desktop.core.store.bench_data import bench_history_search, fill_history

    result = bench_history_search(2_000, path=tmp_path / "bench.db", repeats=2)
    assert (
        result["n"] == 2_000
        and result["median_ms"] > 0
        and set(result["per_query"]) == set(result["queries"])
    )
    db = open_db(tmp_path / "bench.db")
    assert count_generations(db) == 2_000
    # the synthetic history is searchable like a real one, in both languages
    assert search(db, "保温", limit=5) and search(db, "water bottle", limit=5) and search(db, "无此") == []
    fill_history(db, 10)
    assert count_generations(db) == 2_010
    db.close()


def _cli(*args):
    from click.testing import CliRunner

    from desktop.cli import main

    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_cli_list_search_show_export(tmp_path):
    db = open_db()  # the data folder's database, which the CLI opens too
    cup = save_generation(db, record())
    mug = save_generation(db, record(lang="en", platform="amazon", text="A ceramic mug", inputs={"n": "mug"}))
    db.close()
    listed = json.loads(_cli("history", "list", "--json").output)
    assert [i["id"] for i in listed] == [mug, cup]
    assert {"id", "content_type", "platform", "lang", "text", "created_at"} <= set(listed[0])
    assert [i["id"] for i in json.loads(_cli("history", "search", "保温", "--json").output)] == [cup]
    assert [i["id"] for i in json.loads(_cli("history", "search", "保温杯", "--json").output)] == [cup]
    assert [i["id"] for i in json.loads(_cli("history", "search", "ceramic", "--json").output)] == [mug]
    assert json.loads(_cli("history", "search", "mug", "--platform", "taobao", "--json").output) == []
    assert json.loads(_cli("history", "show",
                           str(cup), "--json").output)["inputs"]["product_name"] == "不锈钢保温杯"
    assert _cli("history", "show", "999").exit_code == 1
    out = tmp_path / "h.md"
    assert _cli("history", "export", str(mug), "--format", "md", "--out", str(out)).exit_code == 0
    assert "A ceramic mug" in out.read_text(encoding="utf-8")
