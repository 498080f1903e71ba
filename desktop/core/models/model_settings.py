"""Per-model settings: context length, GPU layers, threads, flash attention, chat template override.
Checked here so the GUI, the CLI and the engine all refuse the same bad values with the same words.
Threads and flash attention left at None are measured on this machine (desktop/core/engine/tuning.py)."""

from __future__ import annotations

from typing import Any

from desktop.core.models.errors import ModelSettingsError

DEFAULT_SETTINGS: dict[str, Any] = {
    "n_ctx": 4096,
    "n_gpu_layers": 0,  # CPU unless the user (or the fit advice) turns offload on; -1 = auto: as many as fit
    "n_threads": None,  # None: measured on this machine, else the engine's default
    "flash_attn": None,  # None: measured on this machine; "auto" (llama.cpp decides), "on", "off"
    "chat_template": None,  # None: the template in the GGUF
}
FLASH_ATTN_CHOICES = ("auto", "on", "off")
MIN_CTX = 256
MAX_CTX_WITHOUT_INFO = 131_072
MAX_TEMPLATE = 256 * 1024


def _int(name: str, value: Any, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise _bad(name, value, low, high)
    try:
        number = int(value)
    except ValueError:
        raise _bad(name, value, low, high) from None
    if not low <= number <= high:
        raise _bad(name, value, low, high)
    return number


def _bad(name: str, value: Any, low: int, high: int) -> ModelSettingsError:
    return ModelSettingsError(
        f"{name} = {value!r} is not allowed: use a whole number from {low} to {high}.",
        f"{name} = {value!r} 无效：请使用 {low} 到 {high} 之间的整数。",
    )


def validate_settings(changes: dict[str, Any], context_length: int | None) -> dict[str, Any]:
    """Return the cleaned values; raise ModelSettingsError naming the first bad one."""
    clean: dict[str, Any] = {}
    for key, value in changes.items():
        if key not in DEFAULT_SETTINGS:
            raise ModelSettingsError(
                f"Unknown model setting '{key}'. Known: {', '.join(DEFAULT_SETTINGS)}.",
                f"未知的模型设置 '{key}'。可用的设置：{', '.join(DEFAULT_SETTINGS)}。",
            )
        if value is None:
            if key == "n_ctx" or key == "n_gpu_layers":
                clean[key] = DEFAULT_SETTINGS[key]
            else:
                clean[key] = None
        elif key == "n_ctx":
            clean[key] = _int(key, value, MIN_CTX, context_length or MAX_CTX_WITHOUT_INFO)
        elif key == "n_gpu_layers":
            clean[key] = _int(key, value, -1, 10_000)
        elif key == "n_threads":
            clean[key] = _int(key, value, 1, 512)
        elif key == "flash_attn":
            if value not in FLASH_ATTN_CHOICES:
                raise ModelSettingsError(
                    f"flash_attn = {value!r} is not allowed: use {', '.join(FLASH_ATTN_CHOICES)}.",
                    f"flash_attn = {value!r} 无效：请使用 {', '.join(FLASH_ATTN_CHOICES)}。",
                )
            clean[key] = value
        else:
            clean[key] = _template(value)
    return clean


def _template(value: Any) -> str | None:
    if not isinstance(value, str):
        raise ModelSettingsError("The chat template must be text.", "对话模板必须是文本。")
    if not value.strip():
        return None  # empty means: use the model's own template
    if len(value) > MAX_TEMPLATE:
        raise ModelSettingsError(
            f"The chat template is {len(value):,} characters long; the limit is {MAX_TEMPLATE:,}.",
            f"对话模板有 {len(value):,} 个字符，上限为 {MAX_TEMPLATE:,}。",
        )
    from jinja2 import TemplateSyntaxError
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    try:
        ImmutableSandboxedEnvironment().parse(value)
    except TemplateSyntaxError as exc:
        raise ModelSettingsError(
            f"The chat template has a syntax error on line {exc.lineno}: {exc.message}. Fix it or clear it "
            "to use the model's own template.",
            f"对话模板第 {exc.lineno} 行有语法错误：{exc.message}。请修正，或清空以使用模型自带的模板。",
        ) from None
    return value
