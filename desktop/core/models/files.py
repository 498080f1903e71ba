"""Model files on disk: ids from names, headers and checksums read once and cached, safe copies.

Caches are keyed by (path, size, mtime), so a file replaced or truncated behind our back is read again.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from collections.abc import Callable
from pathlib import Path

from desktop.core.models.errors import GGUFFileError
from desktop.core.models.gguf_header import GGUFInfo, read_gguf_info
from desktop.core.models.settings_store import Settings
from desktop.core.stop import Stop

CHUNK = 1 << 20
PARTIAL_SUFFIXES = (".part", ".incomplete", ".tmp", ".download", ".crdownload")

_header_cache: dict[tuple[str, int, int], GGUFInfo | GGUFFileError] = {}
_header_lock = threading.Lock()


def file_key(path: Path) -> tuple[str, int, int]:
    st = path.stat()
    return (str(path), st.st_size, st.st_mtime_ns)


def model_id_for(path: Path) -> str:
    """A stable, readable id from the file name: `Qwen2.5-0.5B-Instruct-Q4_K_M.gguf` ->
    `qwen2.5-0.5b-instruct-q4_k_m`."""
    stem = path.name[: -len(".gguf")] if path.name.lower().endswith(".gguf") else path.stem
    slug = re.sub(r"[^a-z0-9._-]+", "-", stem.lower()).strip("-._")
    if not slug:  # a name made only of other scripts (e.g. Chinese): keep it unique and stable
        slug = "model-" + hashlib.sha1(path.name.encode("utf-8")).hexdigest()[:8]
    return slug


def is_complete_model_file(path: Path) -> bool:
    """Only finished .gguf files count; partial downloads and hidden files never appear."""
    name = path.name
    return (
        path.is_file()
        and name.lower().endswith(".gguf")
        and not name.startswith(".")
        and not name.lower().endswith(PARTIAL_SUFFIXES)
    )


def header_of(path: Path) -> GGUFInfo:
    """The header of `path`, read once per version of the file; raises its GGUFFileError."""
    try:
        key = file_key(path)
    except OSError:
        return read_gguf_info(path)  # raises the "missing" error with its advice
    with _header_lock:
        cached = _header_cache.get(key)
    if cached is None:
        try:
            cached = read_gguf_info(path)
        except GGUFFileError as exc:
            cached = exc
        with _header_lock:
            _header_cache[key] = cached
    if isinstance(cached, GGUFFileError):
        raise cached
    return cached


def sha256_file(path: Path, progress: Callable[[int, int], None] | None = None) -> str:
    digest = hashlib.sha256()
    total = path.stat().st_size
    done = 0
    with open(path, "rb") as handle:
        while block := handle.read(CHUNK):
            digest.update(block)
            done += len(block)
            if progress:
                progress(done, total)
    return digest.hexdigest()


def _sha_key(path: Path) -> str:
    return f"models.sha256:{path}"


def cached_sha256(path: Path, settings: Settings, compute: bool = True) -> str | None:
    """The file's sha256, computed once per (size, mtime) and kept in the settings."""
    try:
        _, size, mtime = file_key(path)
    except OSError:
        return None
    entry = settings.get(_sha_key(path))
    if isinstance(entry, dict) and entry.get("size") == size and entry.get("mtime_ns") == mtime:
        return entry.get("sha256")
    if not compute:
        return None
    digest = sha256_file(path)
    remember_sha256(path, digest, settings)
    return digest


def remember_sha256(path: Path, digest: str, settings: Settings) -> None:
    _, size, mtime = file_key(path)
    settings.set(_sha_key(path), {"size": size, "mtime_ns": mtime, "sha256": digest})


def forget_sha256(path: Path, settings: Settings) -> None:
    settings.delete(_sha_key(path))


def copy_with_hash(src: Path, dst: Path, progress: Callable[[int, int], None] | None = None,
                   stop: Stop | None = None) -> str:
    """Copy `src` to `dst` (a temporary name), hashing on the way; returns the sha256.
    A `stop` (pause or cancel) ends the copy and deletes `dst` (raising InterruptedError)."""
    digest = hashlib.sha256()
    total = src.stat().st_size
    done = 0
    try:
        with open(src, "rb") as source, open(dst, "wb") as target:
            while block := source.read(CHUNK):
                if stop is not None and stop.is_set:
                    raise InterruptedError("copy stopped")
                target.write(block)
                digest.update(block)
                done += len(block)
                if progress:
                    progress(done, total)
            target.flush()
            os.fsync(target.fileno())
    except BaseException:
        dst.unlink(missing_ok=True)
        raise
    return digest.hexdigest()


def unique_path(directory: Path, name: str) -> Path:
    """`name` in `directory`, or `stem-2.gguf`, `stem-3.gguf`... if taken."""
    candidate = directory / name
    stem, suffix = (name[:-5], name[-5:]) if name.lower().endswith(".gguf") else (name, "")
    n = 2
    while candidate.exists():
        candidate = directory / f"{stem}-{n}{suffix}"
        n += 1
    return candidate
