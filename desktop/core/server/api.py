"""The OpenAI chat-completions API, read and written: a request body becomes our GenerationRequest(s),
a Finished becomes a choice. Strict about what it takes (a clear 400 names the field), silent about the
fields that do not change the answer (user, frequency and presence penalties, logprobs off).

Pure functions over dicts: no HTTP here, so the rules are tested without a server.
"""

from __future__ import annotations

import random
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from desktop.core.engine.interface import Finished, GenerationRequest

MAX_N = 8
FINISH_REASONS = {"end": "stop", "stop": "stop", "length": "length", "cancelled": "stop"}
IGNORED = ("user", "frequency_penalty", "presence_penalty", "logprobs", "top_logprobs",
           "service_tier", "store",
           "metadata", "parallel_tool_calls")


class BadRequest(Exception):
    """A body the API cannot take: 400 with this message (and the offending parameter)."""

    def __init__(self, message: str, param: str | None = None, status: int = 400) -> None:
        super().__init__(message)
        self.message, self.param, self.status = message, param, status


def error_body(message: str, kind: str = "invalid_request_error", param: str | None = None,
               code: str | None = None) -> dict:
    return {"error": {"message": message, "type": kind, "param": param, "code": code}}


@dataclass
class ChatCall:
    """One chat-completions request, read: `n` generation requests (seeds seed, seed+1, ...)."""

    requests: list[GenerationRequest]
    stream: bool
    include_usage: bool
    model: str | None
    id: str = field(default_factory=lambda: f"chatcmpl-{uuid.uuid4().hex[:24]}")
    created: int = field(default_factory=lambda: int(time.time()))


def _number(body: dict, name: str, low: float, high: float, kind=float) -> Any:
    value = body.get(name)
    if value is None:
        return None
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or (kind is int and not isinstance(value, int))
    ):
        raise BadRequest(f"'{name}' must be {'an integer' if kind is int else 'a number'}.", name)
    if not low <= value <= high:
        raise BadRequest(f"'{name}' must be between {low:g} and {high:g}.", name)
    return kind(value)


def _content(message: dict, index: int) -> str:
    content = message.get("content")
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, list):  # [{"type": "text", "text": ...}, ...]
        parts = []
        for part in content:
            if (
                not isinstance(part, dict)
                or part.get("type") != "text"
                or not isinstance(part.get("text"), str)
            ):
                raise BadRequest("Only text content parts are supported.", f"messages[{index}].content")
            parts.append(part["text"])
        return "".join(parts)
    raise BadRequest("'content' must be a string or a list of text parts.", f"messages[{index}].content")


def _messages(body: dict) -> list[dict]:
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        raise BadRequest("'messages' must be a non-empty list.", "messages")
    out = []
    for i, message in enumerate(messages):
        if not isinstance(message, dict) or message.get("role") not in ("system", "developer",
                                                                        "user", "assistant"):
            raise BadRequest("Each message needs a role: system, user or assistant.", f"messages[{i}].role")
        role = "system" if message["role"] == "developer" else message["role"]
        out.append({"role": role, "content": _content(message, i)})
    return out


def _stop(body: dict) -> tuple[str, ...]:
    stop = body.get("stop")
    if stop is None:
        return ()
    if isinstance(stop, str):
        stop = [stop]
    if not isinstance(stop, list) or len(stop) > 4 or not all(isinstance(s, str) and s for s in stop):
        raise BadRequest("'stop' must be a string or a list of up to 4 strings.", "stop")
    return tuple(stop)


def _schema(body: dict) -> dict | None:
    fmt = body.get("response_format")
    if fmt is None:
        return None
    if not isinstance(fmt, dict) or fmt.get("type") not in ("text", "json_object", "json_schema"):
        raise BadRequest("'response_format.type' must be text, json_object or json_schema.",
                         "response_format")
    if fmt["type"] == "text":
        return None
    if fmt["type"] == "json_object":
        return fmt["schema"] if isinstance(fmt.get("schema"), dict) else {"type": "object"}
    spec = fmt.get("json_schema")
    if not isinstance(spec, dict) or not isinstance(spec.get("schema"), dict):
        raise BadRequest("'response_format.json_schema.schema' must be a JSON schema object.",
                         "response_format.json_schema")
    return spec["schema"]


def read_chat(body: Any, n_ctx: int) -> ChatCall:
    """Read a chat-completions body; BadRequest names what is wrong."""
    if not isinstance(body, dict):
        raise BadRequest("The request body must be a JSON object.")
    if body.get("tools") or body.get("functions"):
        raise BadRequest("Tools and function calling are not supported by this server.", "tools")
    messages = _messages(body)
    max_tokens = _number(body, "max_completion_tokens", 1, n_ctx, int)
    if max_tokens is None:
        max_tokens = _number(body, "max_tokens", 1, n_ctx, int)
    temperature = _number(body, "temperature", 0, 2)
    top_p = _number(body, "top_p", 0, 1)
    seed = _number(body, "seed", -(2**63), 2**63 - 1, int)
    n = _number(body, "n", 1, MAX_N, int) or 1
    stream = body.get("stream", False)
    if not isinstance(stream, bool):
        raise BadRequest("'stream' must be true or false.", "stream")
    options = body.get("stream_options") or {}
    if not isinstance(options, dict):
        raise BadRequest("'stream_options' must be an object.", "stream_options")
    model = body.get("model")
    if model is not None and not isinstance(model, str):
        raise BadRequest("'model' must be a string.", "model")
    schema = _schema(body)
    sampling: dict[str, Any] = {}
    if temperature is not None:
        sampling["temperature"] = temperature
    if top_p is not None:
        sampling["top_p"] = top_p
    for name in ("top_k", "min_p", "repeat_penalty"):  # llama.cpp's extensions, as llama-server takes them
        value = _number(body, name, 0, 1000 if name == "top_k" else 10, int if name == "top_k" else float)
        if value is not None:
            sampling[name] = value
    ignore_eos = body.get("ignore_eos", False)  # llama-server's extension: fixed-length answers
    if not isinstance(ignore_eos, bool):
        raise BadRequest("'ignore_eos' must be true or false.", "ignore_eos")
    if ignore_eos:
        sampling["ignore_eos"] = True
    base_seed = seed if seed is not None else random.randrange(2**31)
    requests = [GenerationRequest(messages=messages, max_tokens=max_tokens or 512,
                                  seed=(base_seed + i) % 2**32,
                                  stop=_stop(body), json_schema=schema, **sampling) for i in range(n)]
    return ChatCall(requests, stream, bool(options.get("include_usage")), model)


def usage(results: list[Finished]) -> dict:
    prompt = results[0].prompt_tokens if results else 0
    completion = sum(r.completion_tokens for r in results)
    return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}


def completion_body(call: ChatCall, model: str, results: list[Finished]) -> dict:
    return {
        "id": call.id, "object": "chat.completion", "created": call.created, "model": model,
        "choices": [{"index": i, "message": {"role": "assistant", "content": r.text}, "logprobs": None,
                     "finish_reason": FINISH_REASONS.get(r.stop_reason, "stop")} for i,
                    r in enumerate(results)],
        "usage": usage(results),
    }


def chunk(call: ChatCall, model: str, choices: list[dict], usage_: dict | None = None) -> dict:
    data = {"id": call.id, "object": "chat.completion.chunk", "created": call.created, "model": model,
            "choices": choices}
    if usage_ is not None:
        data["usage"] = usage_
    return data


def models_body(model: str, created: int) -> dict:
    return {"object": "list",
            "data": [{"id": model, "object": "model", "created": created, "owned_by": "shopscribe"}]}
