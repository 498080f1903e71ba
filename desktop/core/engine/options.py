"""Which model to load and how: the model's settings from the registry (or a .gguf path given
directly), with the caller's overrides. Used by the engine client before it starts a host."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from desktop.core.engine.interface import GenerationRequest
from desktop.core.errors import ModelFileError

SAMPLE_PRODUCTS = (
    {
        "product_name": "316不锈钢保温杯 500ml",
        "features": "316不锈钢内胆，保温12小时、保冷24小时，一键开盖，杯身防滑，适合通勤和露营",
        "price": "129元",
    },
    {
        "product_name": "新疆长绒棉四件套 1.8米床",
        "features": "60支贡缎，亲肤透气，久洗不起球，可机洗，四色可选",
        "price": "399元",
    },
)


def resolve_options(model: str | Path | None, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Load options for a registry id, a .gguf path, or None (the user's default model)."""
    from desktop.core.models import registry

    if model is not None and Path(model).suffix.lower() == ".gguf":
        options: dict[str, Any] = {"model_path": Path(model), "model_id": Path(model).stem}
    else:
        options = registry.engine_options(str(model) if model is not None else None)
    options.update({k: v for k, v in (overrides or {}).items() if v is not None})
    return options


def check_model_file(path: Path) -> None:
    """Refuse, with a specific message, any file llama.cpp would abort on or fail to load vaguely.

    The model registry's header reader checks the whole GGUF header with hard limits (empty, HTML,
    LFS pointer, truncated, wrong version, absurd counts ...); llama.cpp only ever sees a file it passed.
    The engine client checks before it starts a host; the host checks again before llama.cpp loads."""
    from desktop.core.models.files import header_of

    path = Path(path)
    if path.is_dir():
        raise ModelFileError(f"{path} is a folder, not a model file.", f"{path} 是文件夹，不是模型文件。")
    header_of(path)  # parsed once per version of the file: a vocabulary's 50k-150k strings take a while


def known_sha256(path: Path) -> str | None:
    """The model file's sha256 when it is already known (never hashes the file)."""
    from desktop.core import embedded
    from desktop.core.models.files import cached_sha256
    from desktop.core.models.settings_store import open_settings

    path = Path(path)
    if path.name == embedded.FILENAME and path.resolve() == embedded.embedded_model_path().resolve():
        return embedded.SHA256
    with open_settings() as settings:
        return cached_sha256(path, settings, compute=False)


def model_sha256(path: Path) -> str:
    """The model file's sha256: known for the embedded model, else computed once and remembered."""
    from desktop.core import embedded

    path = Path(path)
    if path.name == embedded.FILENAME and path.resolve() == embedded.embedded_model_path().resolve():
        return embedded.SHA256
    from desktop.core.models.files import cached_sha256
    from desktop.core.models.settings_store import open_settings

    with open_settings() as settings:
        digest = cached_sha256(path, settings)
    return digest or "unknown"


def typical_requests() -> list[GenerationRequest]:
    """Two sample products through a built-in template's real prompt: what tuning measures with (the
    second is what a merchant waits for product after product, the template's prefix cached)."""
    from desktop.core.content.render import render
    from desktop.core.store.templates import TemplateLibrary

    template = TemplateLibrary().default_for("product-description")
    return [GenerationRequest(messages=render(template, product, lang="zh").messages, max_tokens=150)
            for product in SAMPLE_PRODUCTS]
