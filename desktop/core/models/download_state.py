"""Where a download keeps its partial file and its state, so pause/resume survives closing the app, and
the check that a name from the Hub is a file name, never a path."""

from __future__ import annotations

import json
import os
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from desktop.core.models.errors import UnsafeFilenameError
from desktop.core.paths import user_models_dir

STAGING = ".downloads"
_REPO = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,95}/[A-Za-z0-9][A-Za-z0-9._-]{0,95}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _unsafe(name: str, why_en: str, why_zh: str) -> UnsafeFilenameError:
    return UnsafeFilenameError(
        f"Refused the file name {name!r} from the Hub: {why_en}. Nothing was downloaded.",
        f"已拒绝来自 Hub 的文件名 {name!r}：{why_zh}。没有下载任何内容。",
    )


def safe_basename(filename: str) -> str:
    """The local name for a file path inside a repository, after refusing anything path-like:
    absolute paths, drive letters, backslashes, `..` or `.` parts, control characters, non-.gguf."""
    if not filename or len(filename) > 1000:
        raise _unsafe(filename, "empty or too long", "为空或过长")
    if "\\" in filename:
        raise _unsafe(filename, "it contains a backslash", "包含反斜杠")
    if filename.startswith("/") or re.match(r"^[A-Za-z]:", filename):
        raise _unsafe(filename, "it is an absolute path", "它是绝对路径")
    if _CONTROL.search(filename):
        raise _unsafe(filename, "it contains control characters", "包含控制字符")
    parts = filename.split("/")
    if any(part in ("", ".", "..") for part in parts):
        raise _unsafe(filename, "it contains '..', '.' or empty path parts", "包含 '..'、'.' 或空的路径部分")
    base = parts[-1]
    if base.startswith(".") or not base.lower().endswith(".gguf") or len(base.encode("utf-8")) > 240:
        raise _unsafe(filename, "it is not a plain .gguf file name", "不是普通的 .gguf 文件名")
    return base


def check_repo_id(repo_id: str) -> str:
    if not _REPO.match(repo_id or "") or ".." in repo_id:
        raise _unsafe(repo_id, "it is not a repository id like owner/name", "不是 owner/name 形式的仓库 id")
    return repo_id


def staging_dir() -> Path:
    path = user_models_dir() / STAGING
    path.mkdir(exist_ok=True)
    return path


def part_path(repo_id: str, filename: str) -> Path:
    """One partial file per (repository, file): two repos may ship the same file name."""
    return staging_dir() / f"{repo_id.replace('/', '--')}--{safe_basename(filename)}.part"


def state_path(part: Path) -> Path:
    return part.with_name(part.name + ".json")


@dataclass
class DownloadState:
    repo_id: str
    filename: str  # path inside the repository
    revision: str  # the commit: a resumed download continues the very same bytes
    sha256: str
    size: int

    def save(self, part: Path) -> None:
        tmp = state_path(part).with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(self), ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, state_path(part))

    @classmethod
    def load(cls, part: Path) -> DownloadState | None:
        try:
            data = json.loads(state_path(part).read_text(encoding="utf-8"))
            return cls(**{k: data[k] for k in ("repo_id", "filename", "revision", "sha256", "size")})
        except (OSError, ValueError, KeyError, TypeError):
            return None


@dataclass(frozen=True)
class PendingDownload:
    """A paused or interrupted download, resumable with the same repo_id and filename."""

    repo_id: str
    filename: str
    revision: str
    bytes_done: int
    total_bytes: int

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def pending_downloads() -> list[PendingDownload]:
    found = []
    for state_file in sorted(staging_dir().glob("*.part.json")):
        part = state_file.with_name(state_file.name[: -len(".json")])
        state = DownloadState.load(part)
        if state is None:
            continue
        done = part.stat().st_size if part.exists() else 0
        found.append(PendingDownload(state.repo_id, state.filename, state.revision, done, state.size))
    return found


def discard(part: Path) -> None:
    part.unlink(missing_ok=True)
    state_path(part).unlink(missing_ok=True)
