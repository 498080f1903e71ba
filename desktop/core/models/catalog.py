"""The curated catalog (`models/catalog.json`): instruct models in GGUF form, good in Chinese and English,
with the shape numbers needed to estimate memory before anything is downloaded."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop.core.errors import ShopscribeError
from desktop.core.models import fit
from desktop.core.paths import bundled_models_dir

CATALOG_FILE = "catalog.json"
_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*\.gguf$")
_REPO = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*$")


class CatalogError(ShopscribeError):
    """The shipped catalog is malformed (a packaging bug, caught by the tests)."""


@dataclass(frozen=True)
class CatalogFile:
    quantization: str
    filename: str
    size_bytes: int
    ram_bytes: int  # memory needed at `ram_ctx` tokens, by the fit formula
    recommended: bool = False


@dataclass(frozen=True)
class CatalogEntry:
    id: str
    name: str
    repo_id: str
    publisher: str
    parameters: int
    parameters_label: str
    architecture: str
    languages: tuple[str, ...]
    license: str
    commercial_use: bool
    context_length: int
    good_for: dict[str, str]
    tier: int  # our preference when several fit: higher is better at writing copy
    n_layers: int
    n_head_kv: int
    head_dim: int
    files: tuple[CatalogFile, ...]
    notes: dict[str, str]

    def recommended_file(self) -> CatalogFile:
        return next((f for f in self.files if f.recommended), self.files[0])

    def file(self, quantization: str | None = None) -> CatalogFile:
        if quantization is None:
            return self.recommended_file()
        for candidate in self.files:
            if candidate.quantization.lower() == quantization.lower():
                return candidate
        raise KeyError(quantization)

    def kv_bytes(self, n_ctx: int) -> int:
        return fit.kv_cache_bytes(self.n_layers, n_ctx, self.n_head_kv, self.head_dim)

    def estimate(self, file: CatalogFile, n_ctx: int, machine: fit.Machine | None = None,
                 n_gpu_layers: int = 0) -> fit.FitEstimate:
        return fit.estimate(file.size_bytes, self.kv_bytes(n_ctx), n_ctx, machine, n_gpu_layers,
                            self.n_layers)

    def to_json(self) -> dict[str, Any]:
        data = {k: getattr(self, k) for k in self.__dataclass_fields__ if k != "files"}
        data["languages"] = list(self.languages)
        data["files"] = [f.__dict__ for f in self.files]
        return data


def _entry(raw: dict[str, Any]) -> CatalogEntry:
    files = tuple(CatalogFile(**f) for f in raw["files"])
    entry = CatalogEntry(
        id=raw["id"], name=raw["name"], repo_id=raw["repo_id"], publisher=raw["publisher"],
        parameters=int(raw["parameters"]), parameters_label=raw["parameters_label"],
        architecture=raw["architecture"], languages=tuple(raw["languages"]), license=raw["license"],
        commercial_use=bool(raw["commercial_use"]), context_length=int(raw["context_length"]),
        good_for=dict(raw["good_for"]), tier=int(raw["tier"]), n_layers=int(raw["n_layers"]),
        n_head_kv=int(raw["n_head_kv"]), head_dim=int(raw["head_dim"]), files=files,
        notes=dict(raw.get("notes") or {}),
    )
    if not _REPO.match(entry.repo_id) or ".." in entry.repo_id:
        raise CatalogError(f"catalog entry {entry.id}: bad repo id {entry.repo_id!r}")
    if not files or not all(_SAFE_NAME.match(f.filename) for f in files):
        raise CatalogError(f"catalog entry {entry.id}: missing or unsafe file names")
    if not {"zh", "en"} <= set(entry.good_for):
        raise CatalogError(f"catalog entry {entry.id}: good_for needs zh and en")
    return entry


def load_catalog(path: str | Path | None = None) -> list[CatalogEntry]:
    """The curated entries, in the file's order (smallest first)."""
    path = Path(path) if path else bundled_models_dir() / CATALOG_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return [_entry(raw) for raw in data["models"]]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise CatalogError(f"The model catalog {path.name} cannot be read ({exc}). Reinstall "
                           "Shopscribe.") from exc


def catalog_meta(path: str | Path | None = None) -> dict[str, Any]:
    """The catalog's own notes: how sizes were measured, the context used for `ram_bytes`."""
    path = Path(path) if path else bundled_models_dir() / CATALOG_FILE
    data = json.loads(path.read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if k != "models"}


def find_entry(entry_id: str, catalog: list[CatalogEntry] | None = None) -> CatalogEntry:
    for entry in catalog or load_catalog():
        if entry.id == entry_id or entry.repo_id.lower() == entry_id.lower():
            return entry
    raise KeyError(entry_id)
