"""Best-of-N: N candidates in one parallel pass, each scored by the checks, the best kept. The scripted
engine writes the candidates (so which one is best is known); the real model runs the command line."""

from __future__ import annotations

import csv
import json

import pytest
from click.testing import CliRunner

from desktop.cli import main
from desktop.core.catalog import read_products
from desktop.core.catalog.products import find_product_id, save_products
from desktop.core.compose import ComposeRequest, VariantDelta, compose
from desktop.core.jobs import create_job, list_items, run_job
from desktop.core.store.db import open_db
from desktop.core.store.history import get_generation
from tests.fake_engine import FakeEngine

INVENTED = "Steel bottle 750 ml, only $9.99, best selling"  # price and size absent from the input: block
CLEAN = "Steel bottle 500 ml, keeps drinks cold"
LOOPY = "Steel bottle steel bottle steel bottle steel bottle steel bottle"


@pytest.fixture
def db():
    database = open_db()
    yield database
    database.close()


def test_compose_keeps_the_best_of_n_and_saves_only_it(db):
    fake = FakeEngine()
    for text in (INVENTED, CLEAN, LOOPY):
        fake.enqueue(text)
    request = ComposeRequest(content_type="product-title", platform="shopify", lang="en", best_of=3, seed=10,
                             fields={"name": "Steel bottle", "features": "500 ml, keeps drinks cold"})
    streamed: list[str] = []
    result = compose(request, fake, db,
                     on_event=lambda e: isinstance(e, VariantDelta) and streamed.append(e.text))
    (variant,) = result.results
    # one batch; the first candidate has the plain request's seed
    assert [r.seed for r in fake.requests] == [10, 11, 12]
    assert variant.text == CLEAN and variant.seed == 11
    scores = [c["score"] for c in variant.candidates]
    assert scores[1] == max(scores) and scores[1] > scores[0]
    assert [c["chosen"] for c in variant.candidates] == [False, True, False]
    assert variant.score["value"] == scores[1]
    assert "".join(streamed) == INVENTED  # the first candidate streams; the card then shows the best
    rows = db.execute("SELECT count(*) FROM generations WHERE group_id = ?", [result.group_id]).fetchone()[0]
    assert rows == 1
    sampling = get_generation(db, variant.history_id)["sampling"]
    assert sampling["best_of"] == 3 and [c["score"] for c in sampling["candidates"]] == scores


def test_best_of_one_is_the_plain_stream(db):
    fake = FakeEngine()
    fake.enqueue(INVENTED)
    request = ComposeRequest(content_type="product-title", platform="shopify", lang="en", seed=3,
                             fields={"name": "Steel bottle", "features": "500 ml"})
    (variant,) = compose(request, fake, db).results
    assert variant.text == INVENTED and variant.candidates == [] and len(fake.requests) == 1
    assert "best_of" not in get_generation(db, variant.history_id)["sampling"]


def test_a_batch_item_keeps_its_best_candidate(db, tmp_path):
    path = tmp_path / "shop.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "features"])
        writer.writerow(["Steel bottle", "500 ml, keeps drinks cold"])
        writer.writerow(["Linen apron", "two pockets"])
    products = read_products(path)
    save_products(db, products)
    ids = [find_product_id(db, p) for p in products.products]
    job = create_job(db, ids, "product-title", platform="shopify", lang="en",
                     options={"best_of": 2, "retries": 0})
    fake = FakeEngine(n_seq_max=4)
    for text in (INVENTED, CLEAN, "Linen apron with two pockets", "Linen apron, now $5 off, 3 pockets"):
        fake.enqueue(text)
    run_job(db, fake, job.id)
    assert len(fake.requests) == 4  # two items x two candidates, in one parallel group
    items = {i["product_name"]: i for i in list_items(db, job.id)}
    assert items["Steel bottle"]["fields"]["title"] == CLEAN
    assert items["Linen apron"]["fields"]["title"] == "Linen apron with two pockets"
    assert all(i["status"] == "done" and not [f for f in i["findings"] if f["severity"] == "block"]
               for i in items.values())


@pytest.mark.model
def test_generate_best_of_reports_every_candidates_score():
    result = CliRunner().invoke(main, [
        "generate", "--type", "product-title", "--platform", "shopify", "--lang", "en",
        "--field", "name=Steel bottle", "--field", "features=500 ml, keeps drinks cold",
        "--max-tokens", "24", "--seed", "4", "--best-of", "3", "--json",
    ])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["best_of"] == 3 and len(data["candidates"]) == 3
    chosen = [c for c in data["candidates"] if c["chosen"]]
    assert len(chosen) == 1 and chosen[0]["score"] == data["score"]["value"]
    assert data["score"]["value"] == max(c["score"] for c in data["candidates"])
    assert data["seed"] == chosen[0]["seed"] and {c["seed"] for c in data["candidates"]} == {4, 5, 6}
