"""The chat-completions body, read without a server: what becomes our generation requests, and the
clear 400 for what cannot."""

from __future__ import annotations

import pytest

from desktop.core.server.api import BadRequest, read_chat


def body(**extra) -> dict:
    return {"model": "any", "messages": [{"role": "user", "content": "hi"}], **extra}


def test_a_full_body_becomes_n_requests_with_consecutive_seeds():
    call = read_chat(body(n=3, seed=10, max_tokens=20, temperature=0.3, top_p=0.8, stop="END", stream=True,
                          stream_options={"include_usage": True},
                          response_format={"type": "json_schema", "json_schema": {"name": "x", "schema": {
                              "type": "object"}}}), n_ctx=2048)
    assert [r.seed for r in call.requests] == [10, 11, 12]
    first = call.requests[0]
    assert (first.max_tokens, first.temperature, first.top_p, first.stop) == (20, 0.3, 0.8, ("END",))
    assert first.json_schema == {"type": "object"} and call.stream and call.include_usage


def test_content_parts_developer_role_and_json_object_are_understood():
    call = read_chat({"messages": [{"role": "developer", "content": "Be brief."},
                                   {"role": "user", "content": [{"type": "text", "text": "a "},
                                                                {"type": "text", "text": "mug"}]}],
                      "response_format": {"type": "json_object"}, "max_completion_tokens": 5}, n_ctx=512)
    request = call.requests[0]
    assert request.messages == [{"role": "system", "content": "Be brief."},
                                {"role": "user", "content": "a mug"}]
    assert request.json_schema == {"type": "object"} and request.max_tokens == 5


@pytest.mark.parametrize("bad, param", [
    ([1], None), ({"messages": []}, "messages"), (body(n=9), "n"), (body(temperature="hot"), "temperature"),
    (body(max_tokens=0), "max_tokens"), (body(max_tokens=10_000), "max_tokens"),
    (body(stop=["a"] * 5), "stop"),
    (body(stream="yes"), "stream"), (body(tools=[{"type": "function"}]), "tools"),
    (body(response_format={"type": "xml"}), "response_format"),
    ({"messages": [{"role": "robot", "content": "x"}]}, "messages[0].role"),
    ({"messages": [{"role": "user", "content": [{"type": "image_url"}]}]}, "messages[0].content"),
])
def test_what_cannot_be_taken_is_a_400_that_names_the_field(bad, param):
    with pytest.raises(BadRequest) as caught:
        read_chat(bad, n_ctx=2048)
    assert caught.value.status == 400 and caught.value.param == param and caught.value.message
