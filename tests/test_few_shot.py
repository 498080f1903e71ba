"""Few-shot examples from the merchant's kept copy, with the real store: which results count as kept,
the edited text winning, similarity in Compose, one shared set before the product in a batch, the token
budget, and switching it off."""

from __future__ import annotations

import pytest

from desktop.core.catalog import ProductRecord
from desktop.core.catalog.model import ImportResult
from desktop.core.catalog.products import find_product_id, save_products
from desktop.core.compose import ComposeRequest, compose
from desktop.core.jobs import create_job, run_job
from desktop.core.store.db import open_db
from desktop.core.store.examples import (
    estimate_tokens,
    for_product,
    kept_examples,
    similarity,
)
from desktop.core.store.history import (
    get_generation,
    save_generation,
    set_edited_text,
    set_favourite,
    set_rating,
)
from desktop.core.store.settings import set_setting
from tests.fake_engine import FakeEngine

TEMPLATE = "shopify-title"


def _template_id(db) -> str:
    """The template Compose and batches pick for an English Shopify title."""
    from desktop.core.store.templates import TemplateLibrary

    return TemplateLibrary(db).resolve(template_id=None, content_type="product-title", platform="shopify",
                                       lang="en").template.id


@pytest.fixture
def db():
    database = open_db()
    yield database
    database.close()


def kept(db, text: str, inputs: dict, *, template: str = TEMPLATE, platform: str = "shopify",
         lang: str = "en", favourite: bool = False, edited: str | None = None,
         rating: int | None = None) -> int:
    gid = save_generation(db, {"group_id": f"g{text[:8]}", "variant_index": 0,
                               "content_type": "product-title", "platform": platform, "lang": lang,
                               "template_id": template, "inputs": inputs, "text": text, "model_id": "m"})
    if favourite:
        set_favourite(db, gid, True)
    if edited:
        set_edited_text(db, gid, edited)
    if rating:
        set_rating(db, gid, rating)
    db.conn.commit()
    return gid


def test_kept_means_favourited_rated_edited_or_accepted_and_the_edit_wins(db):
    template_id = _template_id(db)
    fav = kept(db, "Enamel camp mug, 350 ml", {"name": "Camp mug"}, template=template_id, favourite=True)
    edit = kept(db, "raw model text", {"name": "Wool scarf"}, template=template_id,
                edited="Merino scarf, hand-knit")
    star = kept(db, "Linen apron with pockets", {"name": "Apron"}, template=template_id, rating=5)
    kept(db, "Plain unkept title", {"name": "Bottle"}, template=template_id, rating=2)
    kept(db, "Other platform title", {"name": "Mug"}, template=template_id, platform="amazon", favourite=True)
    kept(db, "Other template title", {"name": "Mug"}, template="other-template", favourite=True)
    kept(db, "中文标题", {"name": "杯"}, template=template_id, lang="zh", favourite=True)
    found = kept_examples(db, template_id, "shopify", "en")
    assert {e.generation_id for e in found} == {fav, edit, star}
    assert found[0].generation_id == edit and found[0].text == "Merino scarf, hand-knit" and found[0].edited


def test_compose_picks_the_most_similar_kept_copy_within_the_budget(db):
    template_id = _template_id(db)
    mug = kept(db, "Enamel camp mug for coffee by the fire, 350 ml",
               {"name": "Enamel camp mug", "material": "enamel steel"}, template=template_id, favourite=True)
    kept(db, "Soft merino scarf for cold mornings", {"name": "Merino scarf", "material": "merino wool"},
         template=template_id, favourite=True)
    examples = kept_examples(db, template_id, "shopify", "en")
    longest = max(estimate_tokens(e.text) for e in examples)
    ranked = for_product(examples, "Steel camp mug\nenamel", budget=longest + 6)
    assert [e.generation_id for e in ranked] == [mug]  # the budget holds one: the mug, not the scarf
    assert similarity("Enamel camp mug", "camp mug, enamel") > similarity("Merino scarf", "camp mug, enamel")

    fake = FakeEngine()
    fake.enqueue("Steel camp mug, 350 ml")
    request = ComposeRequest(content_type="product-title", platform="shopify", lang="en", seed=1,
                             fields={"name": "Steel camp mug", "material": "enamel"})
    result = compose(request, fake, db)
    system, user = (m["content"] for m in fake.requests[-1].messages)
    assert "Enamel camp mug for coffee by the fire" in system and "Steel camp mug" in user
    assert "Steel camp mug" not in system  # the product comes after the examples, in the user prompt
    assert mug in get_generation(db, result.results[0].history_id)["sampling"]["examples"]
    # an example's facts are not this product's: its "350 ml" copied into the answer is unsupported
    assert any(f["category"] == "unsupported-fact" and "350" in f["text"] for f in result.results[0].findings)

    fake.enqueue("Steel camp mug")
    compose(ComposeRequest(content_type="product-title", platform="shopify", lang="en", seed=1,
                           examples=False, fields={"name": "Steel camp mug"}), fake, db)
    assert "Enamel camp mug" not in fake.requests[-1].messages[0]["content"]
    set_setting(db, "few_shot", False)
    db.conn.commit()
    fake.enqueue("Steel camp mug")
    compose(ComposeRequest(content_type="product-title", platform="shopify", lang="en", seed=1,
                           fields={"name": "Steel camp mug"}), fake, db)
    assert "Enamel camp mug" not in fake.requests[-1].messages[0]["content"]


def _products(db, names: list[str]) -> list[int]:
    records = [ProductRecord(fields={"name": n, "features": "sturdy"}, extra={}) for n in names]
    result = ImportResult(products=records, mapping={}, warnings=[], encoding=None, delimiter=None,
                          format="generic", header=[], rows=[])
    save_products(db, result)
    return [find_product_id(db, r) for r in records]


@pytest.mark.parametrize("enabled", [True, False])
def test_a_batch_shares_one_set_of_examples_before_every_product(db, enabled):
    template_id = _template_id(db)
    gid = kept(db, "raw", {"name": "Camp mug"}, template=template_id, edited="Camp mug that keeps coffee hot")
    ids = _products(db, ["Steel bottle", "Linen apron", "Wool scarf"])
    options = {"retries": 0} if enabled else {"retries": 0, "examples": False}
    job = create_job(db, ids, "product-title", platform="shopify", lang="en", options=options)
    fake = FakeEngine(n_seq_max=4, default=["Sturdy product title"])
    run_job(db, fake, job.id)
    systems = {r.messages[0]["content"] for r in fake.requests}
    assert len(fake.requests) == 3 and len(systems) == 1  # one shared prefix
    assert ("Camp mug that keeps coffee hot" in systems.pop()) is enabled
    for request, name in zip(fake.requests, ["Steel bottle", "Linen apron", "Wool scarf"], strict=True):
        assert name in request.messages[1]["content"]
    row = db.execute("SELECT sampling FROM generations WHERE job_id = ? LIMIT 1", [job.id]).fetchone()[0]
    assert (str(gid) in row and '"examples"' in row) is enabled
