"""Brand voices: stored, listed, updated, removed, and shaping the prompt."""

from __future__ import annotations

import pytest

from desktop.core.content.brands import Brand, BrandError, brand_prompt_block, split_words
from desktop.core.store import open_db
from desktop.core.store.brands import delete_brand, find_brand, get_brand, list_brands, save_brand


@pytest.fixture
def db(tmp_path):
    database = open_db(tmp_path / "b.db")
    yield database
    database.close()


def test_crud(db):
    warm = save_brand(db,
                      Brand(name="暖山", voice="温暖克制", audience="通勤族", use_words=["陪伴", "陪伴", " "],
                                banned_words=["最好"], examples=["一杯热水,一路温暖。"]))
    assert warm.id is not None and warm.use_words == ["陪伴"]
    save_brand(db, Brand(name="Acme", voice="bold"))
    assert [b.name for b in list_brands(db)] == ["Acme", "暖山"]
    got = get_brand(db, "暖山")
    assert got.to_dict() == warm.to_dict()
    assert get_brand(db, warm.id).name == "暖山" and get_brand(db, "acme").name == "Acme"

    got.voice = "更温暖"
    save_brand(db, got)
    assert get_brand(db, "暖山").voice == "更温暖" and len(list_brands(db)) == 2
    acme = get_brand(db, "Acme")
    acme.name = "暖山"
    with pytest.raises(BrandError, match="already"):
        save_brand(db, acme)

    delete_brand(db, "Acme")
    assert find_brand(db, "Acme") is None
    with pytest.raises(BrandError, match="brands list"):
        get_brand(db, "Acme")
    with pytest.raises(BrandError):
        Brand(name="  ")


def test_deleting_a_brand_keeps_its_history(db):
    from desktop.core.store.history import get_generation, save_generation

    brand = save_brand(db, Brand(name="Gone"))
    gid = save_generation(db, {"brand_id": brand.id, "text": "kept"})
    delete_brand(db, "Gone")
    assert get_generation(db, gid)["brand_id"] is None and get_generation(db, gid)["text"] == "kept"


def test_prompt_block_in_both_languages():
    brand = Brand(name="Acme", voice="Bold", banned_words=["cheap"], must_use=["Acme"],
                  examples=[c * 1000 for c in "xyz"])
    en = brand_prompt_block(brand, "en")
    assert "Acme" in en and "Never use these words: cheap" in en and en.count("<example>") == 2
    assert len(en) < 1200  # examples are capped: the model's context is small
    zh = brand_prompt_block(brand, "zh")
    assert "绝对不要使用" in zh and "cheap" in zh
    assert brand_prompt_block(None, "zh") == ""


def test_split_words_accepts_chinese_and_ascii_separators():
    assert split_words("温暖,陪伴、安心;好用\n温暖") == ["温暖", "陪伴", "安心", "好用"]


def _cli(*args):
    from click.testing import CliRunner

    from desktop.cli import main

    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_cli_add_list_show_update_remove():
    import json

    added = _cli("brands", "add", "暖山", "--voice", "温暖克制", "--ban", "最好,第一", "--ban", "顶级",
                 "--use", "陪伴、安心", "--trademark", "暖山®", "--example", "一杯热水,一路温暖。", "--json")
    assert added.exit_code == 0
    assert json.loads(added.output)["banned_words"] == ["最好", "第一", "顶级"]
    assert _cli("brands", "add", "暖山").exit_code == 1  # exists: needs --update
    assert _cli("brands", "add", "暖山", "--audience", "通勤族", "--update").exit_code == 0
    shown = json.loads(_cli("brands", "show", "暖山", "--json").output)
    assert (
        shown["audience"] == "通勤族"
        and shown["voice"] == "温暖克制"
        and shown["use_words"] == ["陪伴", "安心"]
    )
    assert [b["name"] for b in json.loads(_cli("brands", "list", "--json").output)] == ["暖山"]
    assert _cli("brands", "remove", "暖山").exit_code == 0
    assert json.loads(_cli("brands", "list", "--json").output) == []
    missing = _cli("brands", "show", "暖山")
    assert missing.exit_code == 1 and "brands list" in missing.output
