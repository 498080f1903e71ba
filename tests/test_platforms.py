"""Platform facts load once into frozen dataclasses, validated, and a bad override names its file."""

import dataclasses
import json

import pytest

from desktop.core import platforms
from desktop.core.checks.counters import COUNTERS
from desktop.core.paths import resource


@pytest.fixture(autouse=True)
def fresh_facts():
    platforms.reload()
    yield
    platforms.reload()


def _override(home, data) -> None:
    (home / "platforms.json").write_text(json.dumps({"platforms": data}), encoding="utf-8")


def test_the_built_in_facts_are_typed_and_frozen():
    raw = json.loads(resource("platforms.json").read_text(encoding="utf-8"))["platforms"]
    facts = platforms.platforms()
    assert list(facts) == list(raw)
    taobao = facts["taobao"]
    assert isinstance(taobao, platforms.Platform) and taobao.market_lang == "zh"
    assert facts["email"].market_lang is None  # serves both languages
    title = taobao.fields["title"]
    assert isinstance(title, platforms.FieldLimit)
    assert (title.counter, title.max) == (raw["taobao"]["fields"]["title"]["counter"],
                                          raw["taobao"]["fields"]["title"]["max"])
    with pytest.raises(dataclasses.FrozenInstanceError):
        title.max = 1  # type: ignore[misc]
    assert platforms.field_limit("taobao", "title") is title
    assert platforms.field_limits(None) == [] and platforms.field_limit("nowhere", "title") is None


def test_every_counter_named_is_one_the_checks_know():
    used = {limit.counter for p in platforms.platforms().values() for limit in p.fields.values()}
    assert used and used <= set(COUNTERS)


def test_an_override_changes_one_limit_and_keeps_the_rest(shopscribe_home):
    _override(shopscribe_home, {"taobao": {"fields": {"title": {"max": 44}}}})
    title = platforms.field_limit("taobao", "title")
    assert title.max == 44 and title.counter == "width"
    assert platforms.field_limit("tmall", "title").max != 44


@pytest.mark.parametrize("override, names", [
    ({"taobao": {"fields": {"title": {"max": "many"}}}}, "taobao.fields.title.max"),
    ({"taobao": {"lang": "fr"}}, "taobao.lang"),
    ({"shop": {"name": {"zh": "店"}, "market": "cn", "lang": "zh", "fields": {}}}, "shop.name"),
    ({"amazon": {"fields": {"bullets": {"count_min": 9}}}}, "count_min"),
])
def test_a_bad_override_is_refused_naming_its_file(shopscribe_home, override, names):
    _override(shopscribe_home, override)
    with pytest.raises(platforms.PlatformFactsError) as err:
        platforms.platforms()
    path = str(shopscribe_home / "platforms.json")
    assert path in err.value.en and path in err.value.zh and names in err.value.en
    assert path in str(err.value)  # the command line prints str()


def test_an_override_that_is_not_json_names_its_file(shopscribe_home):
    (shopscribe_home / "platforms.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(platforms.PlatformFactsError) as err:
        platforms.platforms()
    assert str(shopscribe_home / "platforms.json") in err.value.en


def test_a_bad_built_in_file_names_the_built_in_file(tmp_path):
    source = tmp_path / "platforms.json"
    with pytest.raises(platforms.PlatformFactsError) as err:
        platforms.parse({"x": {"name": {"en": "X"}, "market": "us", "lang": "en",
                               "fields": {"body": {"counter": "characters", "max": 0}}}}, source)
    assert str(source) in err.value.en and "x.fields.body.max" in err.value.en
