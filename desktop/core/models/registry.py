"""The local registry: every model on disk, with its header read before llama.cpp ever sees it.

Three sources: the embedded default (shipped), files in the data folder's `models/` (downloads and
copied imports; only complete `.gguf` files, never partial downloads), and files imported by reference
(the path is recorded, the file stays where it is). Per-model settings and the default model id live
in the store's settings table.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop.core import embedded
from desktop.core.models import files
from desktop.core.models.errors import (
    EmbeddedModelRemovalError,
    GGUFFileError,
    ModelNotFoundError,
)
from desktop.core.models.gguf_header import GGUFInfo, read_gguf_info
from desktop.core.models.model_settings import DEFAULT_SETTINGS, validate_settings
from desktop.core.models.settings_store import Settings, open_settings
from desktop.core.paths import user_models_dir
from desktop.core.stop import Stop

EMBEDDED, LOCAL, REFERENCE = "embedded", "local", "reference"
DEFAULT_KEY = "models.default"
REFERENCES_KEY = "models.references"  # {id: absolute path}
SETTINGS_PREFIX = "models.settings:"
ORIGIN_PREFIX = "models.origin:"  # where a download came from, keyed by path


@dataclass
class LocalModel:
    id: str
    path: Path
    source: str
    size_bytes: int
    default: bool = False
    sha256: str | None = None
    info: GGUFInfo | None = None
    error: str | None = None
    error_zh: str | None = None
    origin: dict[str, Any] | None = None
    exception: GGUFFileError | None = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        return self.info is not None

    @property
    def architecture(self) -> str | None:
        return self.info.architecture if self.info else None

    @property
    def parameters(self) -> int | None:
        return self.info.parameters if self.info else None

    @property
    def quantization(self) -> str | None:
        return self.info.quantization if self.info else None

    @property
    def context_length(self) -> int | None:
        return self.info.context_length if self.info else None

    def to_json(self) -> dict[str, Any]:
        """The `models list --json` shape (docs/architecture.md), plus a few useful extras."""
        info = self.info
        return {
            "id": self.id,
            "path": str(self.path),
            "sha256": self.sha256,
            "architecture": self.architecture,
            "parameters": self.parameters,
            "quantization": self.quantization,
            "context_length": self.context_length,
            "size_bytes": self.size_bytes,
            "default": self.default,
            "source": self.source,
            "name": info.name if info else None,
            "parameters_label": info.parameters_label if info else None,
            "has_chat_template": info.has_chat_template if info else None,
            "origin": self.origin,
            "error": self.error,
            "error_zh": self.error_zh,
        }


class ModelRegistry:
    """Pass `db` (a sqlite_utils.Database) to reuse a connection; otherwise each call opens the store."""

    def __init__(self, db: Any | None = None) -> None:
        self.db = db

    # ----- listing ---------------------------------------------------------------------------------
    def _scan(self, settings: Settings) -> list[tuple[str, Path, str]]:
        found: list[tuple[str, Path, str]] = [(embedded.MODEL_ID, embedded.embedded_model_path(), EMBEDDED)]
        taken = {embedded.MODEL_ID}
        references = settings.get(REFERENCES_KEY, {}) or {}
        for model_id, path in sorted(references.items()):
            found.append((model_id, Path(path), REFERENCE))
            taken.add(model_id)
        directory = user_models_dir()
        for path in sorted(directory.iterdir(), key=lambda p: p.name):
            if not files.is_complete_model_file(path):
                continue
            model_id = base = files.model_id_for(path)
            n = 2
            while model_id in taken:
                model_id = f"{base}-{n}"
                n += 1
            taken.add(model_id)
            found.append((model_id, path, LOCAL))
        return found

    def _describe(self, model_id: str, path: Path, source: str, settings: Settings, default_id: str,
                  with_sha256: bool) -> LocalModel:
        try:
            size = path.stat().st_size
        except OSError:
            size = 0
        model = LocalModel(id=model_id, path=path, source=source, size_bytes=size)
        try:
            model.info = files.header_of(path)
        except GGUFFileError as exc:
            model.exception, model.error, model.error_zh = exc, exc.en, exc.zh
        if model.ok:
            model.sha256 = files.cached_sha256(path, settings, compute=with_sha256)
        model.origin = settings.get(ORIGIN_PREFIX + str(path))
        model.default = model_id == default_id
        return model

    def _default_id(self, models: list[LocalModel], settings: Settings) -> str:
        wanted = settings.get(DEFAULT_KEY)
        for model in models:
            if model.id == wanted and model.ok:
                return model.id
        return embedded.MODEL_ID

    def list_models(self, with_sha256: bool = True) -> list[LocalModel]:
        """Every model on disk; broken ones are listed with their error, never hidden, never loaded.
        `with_sha256=False` skips hashing files not hashed before (the GUI lists first, hashes later)."""
        with open_settings(self.db) as settings:
            models = [self._describe(i, p, s, settings, "", with_sha256) for i, p, s in self._scan(settings)]
            default_id = self._default_id(models, settings)
        for model in models:
            model.default = model.id == default_id
        return models

    def get_model(self, model_id: str, with_sha256: bool = False) -> LocalModel:
        for model in self.list_models(with_sha256=False):
            if model.id == model_id:
                if with_sha256 and model.ok and model.sha256 is None:
                    with open_settings(self.db) as settings:
                        model.sha256 = files.cached_sha256(model.path, settings)
                return model
        raise ModelNotFoundError(
            f"No model with the id '{model_id}'. Run `shopscribe models list` to see the ids.",
            f"没有 id 为 '{model_id}' 的模型。运行 `shopscribe models list` 查看可用的 id。",
        )

    def default_model(self) -> LocalModel:
        """The user's default if it is set and readable, else the embedded model."""
        for model in self.list_models(with_sha256=False):
            if model.default:
                return model
        return self.get_model(embedded.MODEL_ID)

    def set_default(self, model_id: str) -> LocalModel:
        model = self.get_model(model_id)
        if model.exception is not None:
            raise model.exception
        with open_settings(self.db) as settings:
            settings.set(DEFAULT_KEY, model.id)
        model.default = True
        return model

    def loadable_path(self, model_id: str | None = None) -> Path:
        """The path to hand to llama.cpp, after a fresh header check; raises the file's specific error."""
        model = self.get_model(model_id) if model_id else self.default_model()
        files.header_of(model.path)  # re-read if the file changed since it was listed
        return model.path

    # ----- import, downloads, removal ---------------------------------------------------------------
    def import_model(self, path: str | Path, copy: bool = True,
                     progress: Callable[[int, int], None] | None = None,
                     stop: Stop | None = None) -> LocalModel:
        """Check the header first (a broken file is refused with its specific error), then copy the file
        into the data folder (hashing on the way) or record its path (reference)."""
        source = Path(path).expanduser().resolve()
        files.header_of(source)
        directory = user_models_dir()
        if source.parent == directory.resolve() and files.is_complete_model_file(source):
            return self._model_at(source)
        if not copy:
            return self._import_reference(source)
        name = source.name if source.name.lower().endswith(".gguf") else source.name + ".gguf"
        staging = directory / ".downloads"
        staging.mkdir(exist_ok=True)
        temp = staging / (name + ".importing")
        digest = files.copy_with_hash(source, temp, progress, stop)
        try:
            read_gguf_info(temp)  # the copy itself, not only the original
        except GGUFFileError:
            temp.unlink(missing_ok=True)
            raise
        target = directory / name
        with open_settings(self.db) as settings:
            if target.exists() and files.cached_sha256(target, settings) == digest:
                temp.unlink()
                return self._model_at(target)
            target = files.unique_path(directory, name)
            os.replace(temp, target)
            files.remember_sha256(target, digest, settings)
        return self._model_at(target)

    def _import_reference(self, source: Path) -> LocalModel:
        with open_settings(self.db) as settings:
            references = dict(settings.get(REFERENCES_KEY, {}) or {})
            for model_id, path in references.items():
                if Path(path) == source:
                    return self.get_model(model_id)
            taken = {m.id for m in self.list_models(with_sha256=False)}
            model_id = base = files.model_id_for(source)
            n = 2
            while model_id in taken:
                model_id = f"{base}-{n}"
                n += 1
            references[model_id] = str(source)
            settings.set(REFERENCES_KEY, references)
        return self.get_model(model_id, with_sha256=True)

    def register_download(self, path: Path, sha256: str, origin: dict[str, Any]) -> LocalModel:
        """Record a verified download (its checksum is the Hub's, already compared)."""
        with open_settings(self.db) as settings:
            files.remember_sha256(path, sha256, settings)
            settings.set(ORIGIN_PREFIX + str(path), origin)
        return self._model_at(path)

    def _model_at(self, path: Path) -> LocalModel:
        for model in self.list_models(with_sha256=False):
            if model.path == path or model.path.resolve() == path.resolve():
                return model
        raise ModelNotFoundError(f"{path.name} is not in the model list.", f"{path.name} 不在模型列表中。")

    def remove_model(self, model_id: str) -> LocalModel:
        """Forget a model. Files in the data folder are deleted; files imported by reference are left
        where they are; the embedded model cannot be removed."""
        model = self.get_model(model_id)
        if model.source == EMBEDDED:
            raise EmbeddedModelRemovalError(
                "The embedded model cannot be removed: it is what Shopscribe falls back to. "
                "Choose another default model instead.",
                "内置模型无法移除：它是 Shopscribe 的后备模型。请改为选择其他默认模型。",
            )
        with open_settings(self.db) as settings:
            if model.source == REFERENCE:
                references = dict(settings.get(REFERENCES_KEY, {}) or {})
                references.pop(model.id, None)
                settings.set(REFERENCES_KEY, references)
            else:
                model.path.unlink(missing_ok=True)
            files.forget_sha256(model.path, settings)
            settings.delete(ORIGIN_PREFIX + str(model.path))
            settings.delete(SETTINGS_PREFIX + model.id)
            if settings.get(DEFAULT_KEY) == model.id:
                settings.delete(DEFAULT_KEY)
        return model

    # ----- per-model settings -----------------------------------------------------------------------
    def model_settings(self, model_id: str) -> dict[str, Any]:
        """Context length, GPU layers, threads and chat template override, with defaults filled in."""
        model = self.get_model(model_id)
        with open_settings(self.db) as settings:
            stored = settings.get(SETTINGS_PREFIX + model.id, {}) or {}
        merged = dict(DEFAULT_SETTINGS)
        if model.context_length:
            merged["n_ctx"] = min(merged["n_ctx"], model.context_length)
        merged.update({k: v for k, v in stored.items() if k in DEFAULT_SETTINGS})
        return merged

    def set_model_settings(self, model_id: str, **changes: Any) -> dict[str, Any]:
        model = self.get_model(model_id)
        clean = validate_settings(changes, model.context_length)
        with open_settings(self.db) as settings:
            stored = dict(settings.get(SETTINGS_PREFIX + model.id, {}) or {})
            stored.update(clean)
            settings.set(SETTINGS_PREFIX + model.id, stored)
        return self.model_settings(model.id)

    def engine_options(self, model_id: str | None = None) -> dict[str, Any]:
        """Keyword arguments for `Engine(**options)`: the checked path and this model's settings."""
        model = self.get_model(model_id) if model_id else self.default_model()
        path = self.loadable_path(model.id)
        chosen = self.model_settings(model.id)
        return {
            "model_path": path,
            "model_id": model.id,
            "n_ctx": chosen["n_ctx"],
            "n_gpu_layers": chosen["n_gpu_layers"],
            "n_threads": chosen["n_threads"],
            "flash_attn": chosen["flash_attn"],
            "chat_template": chosen["chat_template"],
            "model_sha256": model.sha256,
        }


def _registry(db: Any | None) -> ModelRegistry:
    return ModelRegistry(db)


def list_models(with_sha256: bool = True, db: Any | None = None) -> list[LocalModel]:
    return _registry(db).list_models(with_sha256)


def get_model(model_id: str, db: Any | None = None) -> LocalModel:
    return _registry(db).get_model(model_id)


def default_model(db: Any | None = None) -> LocalModel:
    return _registry(db).default_model()


def set_default(model_id: str, db: Any | None = None) -> LocalModel:
    return _registry(db).set_default(model_id)


def import_model(path: str | Path, copy: bool = True, db: Any | None = None, **kw: Any) -> LocalModel:
    return _registry(db).import_model(path, copy=copy, **kw)


def remove_model(model_id: str, db: Any | None = None) -> LocalModel:
    return _registry(db).remove_model(model_id)


def model_settings(model_id: str, db: Any | None = None) -> dict[str, Any]:
    return _registry(db).model_settings(model_id)


def set_model_settings(model_id: str, db: Any | None = None, **changes: Any) -> dict[str, Any]:
    return _registry(db).set_model_settings(model_id, **changes)


def engine_options(model_id: str | None = None, db: Any | None = None) -> dict[str, Any]:
    return _registry(db).engine_options(model_id)
