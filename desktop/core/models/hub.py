"""Hugging Face search for GGUF repositories, and a repository's GGUF files grouped by quantization with
sizes, LFS sha256 and a fit label. Nothing here runs unless the user searches; offline mode refuses."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from desktop.core.models import fit, hub_http
from desktop.core.models.gguf_tables import QUANT_NAMES

SPLIT = re.compile(r"-(\d{5})-of-(\d{5})\.gguf$", re.IGNORECASE)
_QUANT = re.compile(
    r"(?<![A-Za-z0-9])(" + "|".join(re.escape(q) for q in QUANT_NAMES) + r")(?![A-Za-z0-9])", re.IGNORECASE
)
_LOOSE_QUANT = re.compile(r"(?<![A-Za-z0-9])(q\d(?:_\d)?|fp16|fp32)(?![A-Za-z0-9])", re.IGNORECASE)
KV_SHARE_GUESS = 0.12  # KV cache at 4k tokens ~ a tenth of a modern GQA model's Q4 file, when unknown


@dataclass(frozen=True)
class HubRepo:
    repo_id: str
    downloads: int
    likes: int
    gated: bool
    last_modified: str | None
    tags: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"repo_id": self.repo_id, "downloads": self.downloads, "likes": self.likes,
                "gated": self.gated,
                "last_modified": self.last_modified}


@dataclass
class HubFile:
    filename: str  # the path inside the repository
    size_bytes: int | None
    sha256: str | None
    quantization: str
    split: tuple[int, int] | None = None  # (part, of) for split GGUFs, which we do not download
    fit: fit.FitEstimate | None = None

    @property
    def downloadable(self) -> bool:
        return self.split is None and self.sha256 is not None and self.size_bytes is not None

    def to_json(self) -> dict[str, Any]:
        return {"filename": self.filename, "size_bytes": self.size_bytes, "sha256": self.sha256,
                "quantization": self.quantization, "split": list(self.split) if self.split else None,
                "downloadable": self.downloadable, "fit": self.fit.to_json() if self.fit else None}


@dataclass
class RepoFiles:
    repo_id: str
    commit: str | None
    gated: bool
    files: list[HubFile] = field(default_factory=list)

    @property
    def groups(self) -> dict[str, list[HubFile]]:
        """Files by quantization, in a stable order (smallest first within the repo)."""
        grouped: dict[str, list[HubFile]] = {}
        for item in sorted(self.files, key=lambda f: (f.size_bytes or 0, f.filename)):
            grouped.setdefault(item.quantization, []).append(item)
        return grouped

    def to_json(self) -> dict[str, Any]:
        return {"repo_id": self.repo_id, "commit": self.commit, "gated": self.gated,
                "groups": {q: [f.to_json() for f in items] for q, items in self.groups.items()}}


def quantization_of(filename: str) -> str:
    """`Qwen3-4B-Q4_K_M.gguf` -> `Q4_K_M`; `model-q4.gguf` -> `Q4`; otherwise `other`."""
    name = filename.rsplit("/", 1)[-1]
    match = _QUANT.search(name) or _LOOSE_QUANT.search(name)
    if not match:
        return "other"
    quant = match.group(1).upper()
    return {"FP16": "F16", "FP32": "F32"}.get(quant, quant)


def _api(token: str | None) -> Any:
    from huggingface_hub import HfApi

    return HfApi(endpoint=hub_http.endpoint(), token=token)


def search(query: str, limit: int = 30, token: str | None = None, db: Any | None = None) -> list[HubRepo]:
    """GGUF model repositories matching `query`, most downloaded first."""
    hub_http.ensure_online("Hugging Face search", "Hugging Face 搜索", db)
    query = query.strip()
    with hub_http.hub_errors(f"Search for '{query}'", f"搜索“{query}”"):
        found = _api(token).list_models(search=query or None, filter="gguf", sort="downloads", limit=limit,
                                         expand=["downloads", "likes", "gated", "lastModified", "tags"])
        repos = [
            HubRepo(repo_id=m.id, downloads=int(m.downloads or 0), likes=int(m.likes or 0),
                    gated=bool(m.gated),
                    last_modified=m.last_modified.isoformat() if m.last_modified else None,
                    tags=tuple(m.tags or ()))
            for m in found
        ]
    return sorted(repos, key=lambda r: r.downloads, reverse=True)


def repo_files(repo_id: str, revision: str | None = None, token: str | None = None,
               machine: fit.Machine | None = None, n_ctx: int = 4096, db: Any | None = None) -> RepoFiles:
    """The repository's GGUF files (not vision projectors) with size, LFS sha256, quantization, fit."""
    hub_http.ensure_online("Hugging Face search", "Hugging Face 搜索", db)
    with hub_http.hub_errors(f"Files of {repo_id}", f"{repo_id} 的文件列表"):
        info = _api(token).model_info(repo_id, revision=revision, files_metadata=True)
    result = RepoFiles(repo_id=repo_id, commit=info.sha, gated=bool(info.gated))
    entry = _catalog_entry(repo_id)
    machine = machine or fit.detect_machine()
    for sibling in info.siblings or []:
        name = sibling.rfilename
        base = name.rsplit("/", 1)[-1].lower()
        if not base.endswith(".gguf") or base.startswith("mmproj"):
            continue
        lfs = sibling.lfs
        size = (lfs.size if lfs else None) or sibling.size
        split = SPLIT.search(name)
        item = HubFile(filename=name, size_bytes=size, sha256=lfs.sha256 if lfs else None,
                       quantization=quantization_of(name),
                       split=(int(split.group(1)), int(split.group(2))) if split else None)
        if size:
            if entry is not None:
                kv, layers = entry.kv_bytes(n_ctx), entry.n_layers
            else:
                kv, layers = int(size * KV_SHARE_GUESS * n_ctx / 4096), None
            item.fit = fit.estimate(size, kv, n_ctx, machine, 0, layers)
        result.files.append(item)
    return result


def _catalog_entry(repo_id: str) -> Any:
    from desktop.core.models.catalog import CatalogError, find_entry

    try:
        return find_entry(repo_id)
    except (KeyError, CatalogError):
        return None
