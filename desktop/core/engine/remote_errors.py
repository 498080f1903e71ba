"""What can go wrong with a remote engine, in words a merchant can act on (bilingual): a refused
connection, a timeout, a refused key, a busy or failing server, a prompt too long for its context; and
which of those are worth a retry."""

from __future__ import annotations

import json

import httpx2 as httpx

from desktop.core.errors import EngineError, PromptTooLongError


class RemoteEngineError(EngineError):
    """A remote engine failed. `kind`: refused, timeout, auth, busy, server, rejected, not_found,
    too_long, protocol. `unreachable`: the server itself is gone (another server may take the work)."""

    def __init__(self, en: str = "", zh: str | None = None, *, kind: str = "", status: int | None = None,
                 unreachable: bool = False) -> None:
        super().__init__(en, zh)
        self.kind = kind
        self.status = status
        self.unreachable = unreachable


class RemotePromptTooLong(PromptTooLongError):
    pass


def network_error(base: str, exc: Exception) -> RemoteEngineError:
    """The error for a request that never got an answer: refused, timed out, broken."""
    if isinstance(exc, httpx.ConnectError):
        return RemoteEngineError(
            f"Could not connect to the engine at {base}: the connection was refused or the machine "
            "cannot be reached. Check that the server is running and that the address and port "
            "are right.",
            f"无法连接 {base} 上的生成引擎：连接被拒绝或无法访问该机器。请确认服务器正在运"
            "行，地址和端口正确。",
            kind="refused", unreachable=True)
    if isinstance(exc, httpx.TimeoutException):
        return RemoteEngineError(
            f"The engine at {base} did not answer in time ({type(exc).__name__}). It may be "
            "overloaded or unreachable.",
            f"{base} 上的生成引擎没有及时响应（{type(exc).__name__}），可能负载过高或无法访问。",
            kind="timeout", unreachable=isinstance(exc, httpx.ConnectTimeout))
    return RemoteEngineError(
        f"The connection to the engine at {base} broke ({type(exc).__name__}: {exc}).",
        f"与 {base} 上的生成引擎的连接中断（{type(exc).__name__}：{exc}）。",
        kind="protocol", unreachable=True)

def status_error(base: str, status: int, text: str, headers) -> RemoteEngineError:
    """The error for an HTTP status the server answered with."""
    detail = error_detail(text)
    if status in (401, 403):
        error = RemoteEngineError(
            f"The engine at {base} refused the API key (HTTP {status}). Check the key in Settings "
            "(or --engine-key).",
            f"{base} 上的生成引擎拒绝了 API 密钥（HTTP {status}）。请在设置中（或用 "
            "--engine-key）检查密钥。",
            kind="auth", status=status)
    elif status == 429:
        error = RemoteEngineError(
            f"The engine at {base} is busy (HTTP 429, too many requests). Try again later, or send "
            "fewer requests at once.",
            f"{base} 上的生成引擎正忙（HTTP 429，请求过多）。请稍后再试，或减少同时发送的请求。",
            kind="busy", status=status)
    elif status >= 500:
        error = RemoteEngineError(
            f"The engine at {base} failed (HTTP {status}): {detail}",
            f"{base} 上的生成引擎出错（HTTP {status}）：{detail}", kind="server", status=status)
    elif too_long(detail):
        error = RemotePromptTooLong(
            f"The prompt is too long for the model's context on {base}: {detail} Shorten "
            "the product fields or use a model with a longer context.",
            f"提示词超出了 {base} 上模型的上下文长度：{detail} 请缩短商品字段，"
            "或使用上下文更长的模型。")
        return error  # type: ignore[return-value]
    elif status == 404:
        error = RemoteEngineError(
            f"The engine at {base} does not offer this (HTTP 404): {detail} Is it an "
            "OpenAI-compatible server, and is the address right?",
            f"{base} 上的生成引擎不提供此功能（HTTP 404）：{detail} 它是 OpenAI "
            "兼容的服务器吗？地址正确吗？",
            kind="not_found", status=status)
    else:
        error = RemoteEngineError(
            f"The engine at {base} rejected the request (HTTP {status}): {detail}",
            f"{base} 上的生成引擎拒绝了请求（HTTP {status}）：{detail}", kind="rejected",
            status=status)
    error.retry_after = retry_after(headers)
    return error


def retryable(error: RemoteEngineError) -> bool:
    return getattr(error, "kind", "") in ("refused", "timeout", "busy", "server", "protocol")


def after_retries(error: RemoteEngineError, attempts: int) -> RemoteEngineError:
    if attempts > 1:
        error.en += f" (Tried {attempts} times.)"
        error.zh = (error.zh or "") + f"（已尝试 {attempts} 次。）"
        error.args = (f"{error.en} / {error.zh}",)
    return error


def error_detail(text: str) -> str:
    try:
        data = json.loads(text)
    except ValueError:
        return text.strip()[:300]
    if isinstance(data, dict):
        error = data.get("error", data.get("detail", data))
        if isinstance(error, dict):
            error = error.get("message") or error
        return str(error)[:300]
    return str(data)[:300]


def too_long(detail: str) -> bool:
    lowered = detail.lower()
    return any(w in lowered for w in ("context length", "context size", "exceeds the available context",
                                      "maximum context", "too long", "exceed_context"))


def retry_after(headers) -> float | None:
    value = headers.get("retry-after") if headers is not None else None
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None
