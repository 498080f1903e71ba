"""The constrained language retry: a batch answer in the wrong language is tried again with a grammar
that allows only the job's script, digits and punctuation."""

from __future__ import annotations

import pytest

from desktop.core.catalog import ProductRecord
from desktop.core.catalog.model import ImportResult
from desktop.core.catalog.products import find_product_id, save_products
from desktop.core.checks.language import language_share
from desktop.core.content.script_grammar import script_grammar
from desktop.core.engine import GenerationRequest
from desktop.core.jobs import create_job, list_items, run_job
from desktop.core.store.db import open_db
from tests.fake_engine import FakeEngine


@pytest.fixture
def db():
    database = open_db()
    yield database
    database.close()


def _job(db, retries: int):
    record = ProductRecord(fields={"name": "不锈钢保温杯", "material": "304不锈钢"}, extra={})
    save_products(db, ImportResult(products=[record], mapping={}, warnings=[], encoding=None, delimiter=None,
                                   format="generic", header=[], rows=[]))
    return create_job(db, [find_product_id(db, record)], "product-title", platform="taobao", lang="zh",
                      options={"retries": retries, "examples": False})


def test_a_wrong_language_answer_is_retried_held_to_the_script(db):
    job = _job(db, retries=2)
    fake = FakeEngine()
    fake.enqueue("Insulated steel bottle keeps drinks cold all day long")  # valid, but English
    fake.enqueue("304不锈钢保温杯 长效保温")
    run_job(db, fake, job.id)
    first, retry = fake.requests
    assert first.grammar is None and retry.grammar == script_grammar("zh")
    (item,) = list_items(db, job.id)
    assert item["status"] == "done" and item["text"] == "304不锈钢保温杯 长效保温" and item["attempts"] == 2
    assert not [f for f in item["findings"] if f["category"] == "language"]


def test_without_retries_the_wrong_language_stays_flagged(db):
    job = _job(db, retries=0)
    fake = FakeEngine()
    fake.enqueue("Insulated steel bottle keeps drinks cold all day long")
    run_job(db, fake, job.id)
    (item,) = list_items(db, job.id)
    assert len(fake.requests) == 1
    assert any(f["category"] == "language" and f["severity"] == "block" for f in item["findings"])


@pytest.mark.model
def test_the_script_grammar_holds_the_real_model_to_chinese(engine):
    """The 135M model answers this Chinese request in English on its own; under the grammar it can only
    write Han characters, digits and punctuation."""
    messages = [{"role": "user", "content": "为不锈钢保温杯写一段商品描述。"}]
    free = engine.generate(GenerationRequest(messages=messages, max_tokens=40, temperature=0.7, seed=3))
    held = engine.generate(GenerationRequest(messages=messages, max_tokens=40, temperature=0.7, seed=3,
                                             grammar=script_grammar("zh")))
    assert language_share(free.text, "zh")[0] < 0.5  # the failure the retry exists for
    share, letters = language_share(held.text, "zh")
    assert letters > 0 and share == 1.0
    assert script_grammar("en") and script_grammar("fr") is None
