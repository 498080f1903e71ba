"""`shopscribe serve` with the embedded model, driven by the official `openai` client: models, chat
completions streamed and not, n, json_schema held by the grammar, usage; the Shopscribe endpoint; the
API key; bad and over-long bodies; nothing stored in the history and no text in the log."""

from __future__ import annotations

import json
import sqlite3

import httpx2 as httpx
import openai
import pytest
from click.testing import CliRunner
from servers import shopscribe_serve

from desktop.cli import main

pytestmark = pytest.mark.model

PROMPT = "Write one line about a camp mug named QUOKKA-7."
SCHEMA = {"type": "object", "properties": {"title": {"type": "string", "maxLength": 60}, "tags": {
    "type": "array", "items": {"type": "string", "maxLength": 20}, "minItems": 1, "maxItems": 3}},
    "required": ["title", "tags"]}


@pytest.fixture(scope="module")
def served(tmp_path_factory, engine_settings):
    home = tmp_path_factory.mktemp("serve-home")
    with shopscribe_serve(home, env={"SHOPSCRIBE_HOME": str(home)}) as server:
        server.home = home
        yield server


@pytest.fixture(scope="module")
def client(served):
    return openai.OpenAI(base_url=served.url + "/v1", api_key="unused", max_retries=0, timeout=600)


def test_models_lists_the_loaded_model(client):
    (model,) = client.models.list().data
    assert model.id == "smollm2-135m-instruct-q4_1" and model.owned_by == "shopscribe"


def test_chat_completion_with_n_seed_stop_and_usage(client):
    kwargs = dict(model="any", messages=[{"role": "user", "content": PROMPT}], max_tokens=24, seed=7,
                  temperature=0.8, top_p=0.9)
    response = client.chat.completions.create(n=3, **kwargs)
    assert [c.index for c in response.choices] == [0, 1, 2]
    assert all(c.message.content and c.finish_reason in ("stop", "length") for c in response.choices)
    assert len({c.message.content for c in response.choices}) > 1  # each choice has its own seed
    assert response.usage.prompt_tokens > 10
    assert response.usage.completion_tokens == response.usage.total_tokens - response.usage.prompt_tokens
    assert response.usage.completion_tokens <= 3 * 24
    again = client.chat.completions.create(n=1, **kwargs)
    assert again.choices[0].message.content == response.choices[0].message.content  # same seed, same text
    first_word = again.choices[0].message.content.split()[1]
    stopped = client.chat.completions.create(n=1, stop=[first_word], **kwargs)
    assert first_word not in stopped.choices[0].message.content and stopped.choices[0].finish_reason == "stop"


def test_streamed_chat_sends_deltas_then_finish_then_usage(client):
    kwargs = dict(model="any", messages=[{"role": "user", "content": PROMPT}], max_tokens=32, seed=3)
    whole = client.chat.completions.create(**kwargs).choices[0].message.content
    chunks = list(client.chat.completions.create(stream=True,
                                                 stream_options={"include_usage": True}, **kwargs))
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == whole and sum(1 for c in chunks if c.choices and c.choices[0].delta.content) > 3
    finishes = [c.choices[0].finish_reason for c in chunks if c.choices and c.choices[0].finish_reason]
    assert finishes in (["stop"], ["length"])
    assert chunks[-1].choices == [] and chunks[-1].usage.completion_tokens > 0


def test_streamed_chat_with_n_keeps_the_choices_apart(client):
    kwargs = dict(model="any", messages=[{"role": "user", "content": PROMPT}], max_tokens=16, seed=11)
    whole = [c.message.content for c in client.chat.completions.create(n=2, **kwargs).choices]
    texts = ["", ""]
    for chunk in client.chat.completions.create(n=2, stream=True, **kwargs):
        for choice in chunk.choices:
            texts[choice.index] += choice.delta.content or ""
    assert texts == whole


def test_json_schema_is_held_by_the_grammar(client):
    response = client.chat.completions.create(
        model="any", messages=[{"role": "user", "content": "A product title and tags for a camp mug."}],
        max_tokens=160, seed=5, temperature=0.2, response_format={"type": "json_schema",
                                                 "json_schema": {"name": "card", "schema": SCHEMA,
                                                                 "strict": True}})
    assert response.choices[0].finish_reason == "stop"
    data = json.loads(response.choices[0].message.content)
    assert len(data["title"]) <= 60 and 1 <= len(data["tags"]) <= 3
    plain = client.chat.completions.create(model="any", messages=[{"role": "user", "content": "Any JSON."}],
                                           max_tokens=60, seed=5, temperature=0.2,
                                           response_format={"type": "json_object"})
    assert isinstance(json.loads(plain.choices[0].message.content), dict)


def test_the_shopscribe_endpoint_runs_a_template_and_returns_findings(served):
    response = httpx.post(served.url + "/v1/shopscribe/generate", trust_env=False, timeout=600, json={
        "template": "taobao-detail", "lang": "zh", "seed": 2, "max_tokens": 48,
        "fields": {"product_name": "保温杯", "features": "全网第一, 304不锈钢"}})
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["template_id"] == "taobao-detail" and data["results"][0]["text"]
    assert isinstance(data["results"][0]["findings"], list)
    missing = httpx.post(served.url + "/v1/shopscribe/generate", json={"template": "no-such-template"},
                         trust_env=False, timeout=30)
    assert missing.status_code == 400 and "no-such-template" in missing.json()["error"]["message"]


def test_bad_bodies_get_a_json_error_and_the_server_keeps_running(served, client):
    url = served.url + "/v1/chat/completions"
    cases = [(b"{not json", 400), (b"[1, 2]", 400), (json.dumps({"messages": []}).encode(), 400),
             (json.dumps({"messages": [{"role": "user", "content": "x"}], "n": 99}).encode(), 400),
             (json.dumps({"messages": [{"role": "user", "content": "x"}],
                          "temperature": "hot"}).encode(), 400),
             (b"x" * 2_000_000, 413)]
    for body, status in cases:
        response = httpx.post(url, content=body, headers={"Content-Type": "application/json"},
                              trust_env=False)
        assert response.status_code == status, (body[:40], response.text)
        assert response.json()["error"]["message"]
    with pytest.raises(openai.BadRequestError, match="'n'"):
        client.chat.completions.create(model="any", messages=[{"role": "user", "content": "x"}], n=9)
    assert client.models.list().data  # still serving
    assert "access-control-allow-origin" not in httpx.get(
        served.url + "/v1/models", headers={"Origin": "https://example.org"}, trust_env=False).headers


def test_nothing_is_stored_and_the_log_holds_no_prompt_text(served, client):
    client.chat.completions.create(model="any", messages=[{"role": "user", "content": PROMPT}], max_tokens=8)
    db = sqlite3.connect(served.home / "shopscribe.db")
    try:
        assert db.execute("SELECT count(*) FROM generations").fetchone() == (0,)
    finally:
        db.close()
    logs = "".join(p.read_text(errors="replace") for p in served.home.rglob("*.log"))
    assert "chat n=1" in logs  # it does log the request ...
    assert "QUOKKA" not in logs  # ... but never its text


def test_an_api_key_is_required_when_set(tmp_path):
    with shopscribe_serve(tmp_path, "--api-key", "s3cret",
                          headers={"Authorization": "Bearer s3cret"}) as server:
        for key in ("wrong", None):
            headers = {"Authorization": f"Bearer {key}"} if key else {}
            response = httpx.get(server.url + "/v1/models", headers=headers, trust_env=False)
            assert response.status_code == 401 and response.json()["error"]["code"] == "invalid_api_key"
        good = openai.OpenAI(base_url=server.url + "/v1", api_key="s3cret", max_retries=0)
        assert good.models.list().data
        with pytest.raises(openai.AuthenticationError):
            openai.OpenAI(base_url=server.url + "/v1", api_key="nope", max_retries=0).models.list()


def test_listening_beyond_this_computer_without_a_key_is_refused():
    result = CliRunner().invoke(main, ["serve", "--host", "0.0.0.0"])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "--api-key" in result.stderr
