"""What search and downloads share: the offline switch, the endpoint, huggingface_hub's configured HTTP
session, and turning the Hub's and the network's exceptions into our own errors.

huggingface_hub is imported only inside functions: importing this module touches nothing, and the
app starts without loading it. Telemetry is off before it is first imported.
"""

from __future__ import annotations

import contextlib
import importlib
import os
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from desktop.core.models.errors import GatedRepoAccessError, HubError, HubOfflineError
from desktop.core.models.settings_store import get_setting

os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

OFFLINE_SETTING = "offline"
_TRUE = {"1", "on", "yes", "true"}
_LOOPBACK = {"127.0.0.1", "localhost", "::1"}


UNREADABLE = "settings unreadable"


def offline_reason(db: Any | None = None) -> str | None:
    """'HF_HUB_OFFLINE' or 'setting' when offline mode is on, UNREADABLE when the settings cannot be read
    (offline mode may be on: we stay offline), else None."""
    return _offline_state(db)[0]


def _offline_state(db: Any | None) -> tuple[str | None, str]:
    """(reason, detail): the detail names what went wrong reading the settings."""
    if os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in _TRUE:
        return "HF_HUB_OFFLINE", ""
    try:
        if get_setting(OFFLINE_SETTING, False, db) is True:
            return "setting", ""
    except Exception as exc:  # noqa: BLE001 - an unreadable store must never send us online: fail closed
        return UNREADABLE, f"{type(exc).__name__}: {exc}"
    return None, ""


def ensure_online(action_en: str, action_zh: str, db: Any | None = None) -> None:
    """Raise HubOfflineError before anything touches the network, when offline mode is on or cannot be
    checked."""
    reason, detail = _offline_state(db)
    if reason is None:
        return
    if reason == UNREADABLE:
        raise HubOfflineError(
            f"Shopscribe could not read its settings ({detail}), so it cannot tell whether Offline "
            f"mode is on: {action_en} stays off and nothing goes to the network. Restart Shopscribe; if this "
            "persists, the data folder's shopscribe.db may be damaged or locked by another program.",
            f"Shopscribe 无法读取设置（{detail}），无法确认离线模式是否开启，因此{action_zh}保持"
            "关闭，不会访问网络。请重新启动 Shopscribe；如果问题仍然存在，数据文件夹中的 shopscribe.db "
            "可能已损坏或被其他程序占用。",
        )
    how_en = ("unset HF_HUB_OFFLINE" if reason == "HF_HUB_OFFLINE" else "turn off Offline mode in Settings")
    how_zh = ("取消 HF_HUB_OFFLINE 环境变量" if reason == "HF_HUB_OFFLINE" else "在设置中关闭离线模式")
    raise HubOfflineError(
        f"Offline mode is on, so {action_en} is off: nothing goes to the network. To go online, {how_en}.",
        f"离线模式已开启，因此{action_zh}不可用：不会访问网络。如需联网，请{how_zh}。",
    )


def endpoint() -> str:
    """HF_ENDPOINT as it is now (huggingface_hub reads it once, at its import), else its default.
    Only HTTPS, except on this machine itself (a local mirror or the test server)."""
    value = os.environ.get("HF_ENDPOINT", "").strip().rstrip("/")
    if not value:
        from huggingface_hub import constants

        value = constants.ENDPOINT.rstrip("/")
    parts = urlsplit(value)
    if parts.scheme != "https" and not (parts.scheme == "http" and parts.hostname in _LOOPBACK):
        raise HubError(
            f"HF_ENDPOINT must be an https:// address (got {value!r}): downloads are always TLS-verified.",
            f"HF_ENDPOINT 必须是 https:// 地址（当前为 {value!r}）：下载始终校验 TLS 证书。",
        )
    return value


def session() -> Any:
    """huggingface_hub's shared, configured HTTP client (httpx-style in 1.x and later, requests before)."""
    from huggingface_hub.utils import get_session

    return get_session()


def network_errors() -> tuple[type[BaseException], ...]:
    """Exceptions meaning "the connection dropped or stalled": worth a retry."""
    client = session()
    module = importlib.import_module(type(client).__module__.split(".")[0])
    if hasattr(module, "TimeoutException"):  # httpx, httpx2
        return (module.TimeoutException, module.NetworkError, module.RemoteProtocolError)
    import requests  # huggingface_hub < 1.0

    return (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError)


@contextlib.contextmanager
def stream_get(url: str, headers: dict[str, str], connect_timeout: float,
               read_timeout: float) -> Iterator[Any]:
    """A streamed GET through the Hub's session, following redirects, TLS verified (never disabled).
    Yields an object with `status_code`, `headers` and `chunks(size)`."""
    client = session()
    if hasattr(client, "stream"):
        module = importlib.import_module(type(client).__module__.split(".")[0])
        timeout = module.Timeout(read_timeout, connect=connect_timeout)
        with client.stream("GET", url, headers=headers, timeout=timeout, follow_redirects=True) as response:
            response.chunks = response.iter_bytes
            yield response
    else:
        response = client.get(url, headers=headers, stream=True, timeout=(connect_timeout, read_timeout),
                              allow_redirects=True)
        try:
            response.chunks = lambda size: response.iter_content(chunk_size=size)
            yield response
        finally:
            response.close()


@contextlib.contextmanager
def hub_errors(what_en: str, what_zh: str) -> Iterator[None]:
    """Map huggingface_hub's and the network's exceptions to ours, naming what was being done."""
    from huggingface_hub import utils as hf

    try:
        yield
    except (HubError, HubOfflineError):
        raise
    except hf.GatedRepoError as exc:
        raise gated_error(what_en, what_zh) from exc
    except (hf.RepositoryNotFoundError, hf.RevisionNotFoundError, hf.EntryNotFoundError) as exc:
        raise HubError(
            f"{what_en}: not found on the Hub (check the name; a private repository needs an access token).",
            f"{what_zh}：在 Hub 上找不到（请检查名称；私有仓库需要访问令牌）。",
        ) from exc
    except hf.OfflineModeIsEnabled as exc:
        raise HubOfflineError(
            f"{what_en}: offline mode is on (HF_HUB_OFFLINE). Unset it to go online.",
            f"{what_zh}：离线模式已开启（HF_HUB_OFFLINE）。取消该设置后才能联网。",
        ) from exc
    except hf.HfHubHTTPError as exc:
        status = getattr(getattr(exc, "response", None), "status_code", None)
        raise HubError(
            f"{what_en}: the Hub answered with an error ({status or exc}). Try again later.",
            f"{what_zh}：Hub 返回错误（{status or exc}）。请稍后再试。",
        ) from exc
    except (OSError, *network_errors()) as exc:
        raise HubError(
            f"{what_en}: cannot reach the Hub ({type(exc).__name__}). Check the internet connection "
            "(or HF_ENDPOINT), then try again.",
            f"{what_zh}：无法连接 Hub（{type(exc).__name__}）。请检查网络连接（或 HF_ENDPOINT）后重试。",
        ) from exc


def gated_error(what_en: str, what_zh: str) -> GatedRepoAccessError:
    return GatedRepoAccessError(
        f"{what_en}: this repository is gated. Open it on Hugging Face, accept its licence, create an access "
        "token, and give it to Shopscribe (the token field, or HF_TOKEN).",
        f"{what_zh}：该仓库需要授权。请在 Hugging Face 上打开它并同意许可协议，创建访问令牌，"
        "然后提供给 Shopscribe（令牌输入框或 HF_TOKEN 环境变量）。",
    )
