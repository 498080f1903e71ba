"""Verified, resumable model downloads from the Hugging Face Hub.

huggingface_hub builds the URL (`hf_hub_url`), reads the metadata (`model_info` for the LFS sha256,
`get_hf_file_metadata` for size, etag and commit) and provides its configured, TLS-verifying session.
The transfer itself is ours, because hf_hub_download cannot pause, resume on request or report progress
to a callback: Range requests appending to `<name>.part` in the data folder's `.downloads/`, with a
small JSON state beside it (so a pause survives closing the app), retries with exponential backoff on a
dropped or stalled connection, then sha256 against the Hub's LFS sha256, then the GGUF header check,
then an atomic rename into the models folder. Only then does the registry see the model.
"""

from __future__ import annotations

import errno
import re
import shutil
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop.core.models import files, hub_http
from desktop.core.models.download_state import (
    DownloadState,
    check_repo_id,
    discard,
    part_path,
    safe_basename,
)
from desktop.core.models.errors import (
    ChecksumMismatchError,
    DownloadCancelled,
    DownloadError,
    DownloadPaused,
    GGUFFileError,
    HubError,
    NotEnoughDiskError,
)
from desktop.core.models.gguf_header import read_gguf_info
from desktop.core.paths import user_models_dir
from desktop.core.stop import Stop

DISK_MARGIN = 64 * 1024**2
_DISK_FULL = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)  # full disk, quota, file size limit
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class DownloadProgress:
    repo_id: str
    filename: str
    state: str  # "downloading" | "retrying" | "verifying" | "done"
    bytes_done: int
    total_bytes: int
    speed_bps: float = 0.0
    eta_s: float | None = None
    attempt: int = 0

    @property
    def fraction(self) -> float:
        return self.bytes_done / self.total_bytes if self.total_bytes else 0.0


ProgressCallback = Callable[[DownloadProgress], None]


class _Meter:
    """Speed over the last few seconds, and callbacks at most ten times a second."""

    def __init__(self, repo_id: str, filename: str, total: int, callback: ProgressCallback | None) -> None:
        self.repo_id, self.filename, self.total, self.callback = repo_id, filename, total, callback
        self.samples: deque[tuple[float, int]] = deque()
        self.last_call = 0.0
        self.last_state: str | None = None

    def report(self, state: str, done: int, attempt: int = 0, force: bool = False) -> None:
        now = time.monotonic()
        self.samples.append((now, done))
        while len(self.samples) > 2 and now - self.samples[0][0] > 5.0:
            self.samples.popleft()
        # At most ten reports a second, but a change of state (downloading -> verifying) always shows.
        changed = state != self.last_state
        if self.callback is None or (not force and not changed and now - self.last_call < 0.1):
            return
        self.last_call, self.last_state = now, state
        (t0, d0), (t1, d1) = self.samples[0], self.samples[-1]
        speed = (d1 - d0) / (t1 - t0) if t1 > t0 and d1 >= d0 else 0.0
        eta = (self.total - done) / speed if speed > 0 and state == "downloading" else None
        self.callback(DownloadProgress(self.repo_id, self.filename, state, done, self.total, speed,
                                       eta, attempt))


def _resolve(repo_id: str, filename: str, revision: str | None, token: str | None) -> DownloadState:
    """Commit, size and sha256 from the Hub, checked against each other."""
    from huggingface_hub import HfApi, get_hf_file_metadata, hf_hub_url

    endpoint = hub_http.endpoint()
    with hub_http.hub_errors(f"Download of {filename}", f"下载 {filename}"):
        info = HfApi(endpoint=endpoint, token=token).model_info(
            repo_id, revision=revision, files_metadata=True
        )
        sibling = next((s for s in info.siblings or [] if s.rfilename == filename), None)
        if sibling is None:
            raise HubError(f"{repo_id} has no file named {filename}.",
                           f"{repo_id} 中没有名为 {filename} 的文件。")
        commit = info.sha or revision or "main"
        url = hf_hub_url(repo_id, filename, revision=commit, endpoint=endpoint)
        meta = get_hf_file_metadata(url, token=token)
    lfs = sibling.lfs
    sha256 = (lfs.sha256 if lfs else "") or ""
    size = (lfs.size if lfs else None) or sibling.size or meta.size
    if not _SHA256.match(sha256.lower()) or not size:
        raise DownloadError(
            f"The Hub gives no LFS sha256 for {filename}, so it could not be verified; it was not "
            "downloaded.",
            f"Hub 没有提供 {filename} 的 LFS sha256，无法校验，因此未下载。",
        )
    etag = (meta.etag or "").lower()
    if (meta.size and meta.size != size) or (_SHA256.match(etag) and etag != sha256.lower()):
        raise DownloadError(
            f"The Hub's descriptions of {filename} disagree (size or checksum). Try again later.",
            f"Hub 对 {filename} 的描述不一致（大小或校验和）。请稍后再试。",
        )
    return DownloadState(repo_id, filename, meta.commit_hash or commit, sha256.lower(), int(size))


def _check_disk(part: Path, state: DownloadState) -> None:
    done = part.stat().st_size if part.exists() else 0
    needed = state.size - done + DISK_MARGIN
    free = shutil.disk_usage(part.parent).free
    if free < needed:
        raise NotEnoughDiskError(
            f"Not enough disk space for {safe_basename(state.filename)}: it needs "
            f"{needed / 1024**3:.1f} GB more and {free / 1024**3:.1f} GB is free. Free some space (or remove "
            "a model), then try again.",
            f"磁盘空间不足，无法下载 {safe_basename(state.filename)}：还需要 {needed / 1024**3:.1f} GB，"
            f"目前只剩 {free / 1024**3:.1f} GB。请清理空间（或移除一个模型）后重试。",
            needed=needed, free=free,
        )


def _disk_full(part: Path, state: DownloadState) -> NotEnoughDiskError:
    """The disk filled up mid-transfer (another program, a quota, a file size limit): keep what arrived."""
    name = safe_basename(state.filename)
    done = part.stat().st_size if part.exists() else 0
    free = shutil.disk_usage(part.parent).free
    return NotEnoughDiskError(
        f"The disk filled up while downloading {name} ({done / 1024**2:.0f} of {state.size / 1024**2:.0f} MB "
        "arrived). What arrived is kept: free some space (or remove a model), then start the download again "
        "to resume.",
        f"下载 {name} 时磁盘已满（已下载 {done / 1024**2:.0f} MB，共 {state.size / 1024**2:.0f} MB）。"
        "已下载的部分会保留：请清理空间（或移除一个模型）后再次开始下载，即可继续。",
        needed=state.size - done + DISK_MARGIN, free=free,
    )


def _stop(stop: Stop | None, part: Path, name: str) -> None:
    """Honour a pending pause or cancel."""
    request = stop.requested if stop else None
    if request == "cancel":
        discard(part)
        raise DownloadCancelled(f"Download of {name} cancelled; the partial file was deleted.",
                                f"已取消下载 {name}，部分下载的文件已删除。")
    if request == "pause":
        raise DownloadPaused(f"Download of {name} paused; start it again to resume where it stopped.",
                             f"已暂停下载 {name}；再次开始即可从中断处继续。")


def _transfer(part: Path, state: DownloadState, token: str | None, stop: Stop | None,
              meter: _Meter, max_retries: int, stall_timeout: float, backoff_base: float,
              chunk_size: int) -> None:
    """Append the missing bytes to `part`, resuming with Range, retrying dropped or stalled connections."""
    from huggingface_hub import hf_hub_url
    from huggingface_hub.utils import build_hf_headers

    name = safe_basename(state.filename)
    url = hf_hub_url(state.repo_id, state.filename, revision=state.revision, endpoint=hub_http.endpoint())
    retryable = hub_http.network_errors()
    attempt = 0
    while True:
        _stop(stop, part, name)
        done = part.stat().st_size if part.exists() else 0
        if done > state.size:  # cannot be ours: start over
            part.unlink()
            done = 0
        if done == state.size:
            return
        headers = build_hf_headers(token=token)
        headers.update({"Accept-Encoding": "identity", "Range": f"bytes={done}-"})
        progressed = False
        try:
            with hub_http.stream_get(url, headers, 15.0, stall_timeout) as response:
                status = response.status_code
                if status in (401, 403):
                    raise hub_http.gated_error(f"Download of {name}", f"下载 {name}")
                if status == 416 or (status == 206 and not str(response.headers.get("Content-Range", ""))
                                     .startswith(f"bytes {done}-")):
                    part.unlink(missing_ok=True)  # the server disagrees about what we have
                    raise _Retry()
                if status == 429 or status >= 500:
                    raise _Retry()
                if status not in (200, 206):
                    raise DownloadError(f"The Hub refused the download of {name} (HTTP {status}).",
                                        f"Hub 拒绝了 {name} 的下载（HTTP {status}）。")
                with open(part, "ab" if status == 206 else "wb") as out:
                    written = done if status == 206 else 0
                    for chunk in response.chunks(chunk_size):
                        if stop and stop.requested:
                            break
                        out.write(chunk)
                        written += len(chunk)
                        meter.report("downloading", written, force=not progressed)
                        if not progressed:
                            progressed, attempt = True, 0
                        if written > state.size:
                            break
            if written > state.size:
                part.unlink()  # more bytes than the Hub announced: not the file we want
                raise _Retry()
            if not progressed and not (stop and stop.requested):
                raise _Retry()  # an empty answer counts as a failed attempt, not as progress
            continue  # complete, cut short, or paused: the loop's checks decide
        except (_Retry, *retryable):
            attempt += 1
        if attempt > max_retries:
            raise DownloadError(
                f"The connection for {name} kept failing ({max_retries} retries). What arrived is "
                "kept: start the download again to resume.",
                f"{name} 的连接多次失败（已重试 {max_retries} 次）。已下载的部分会保留："
                "再次开始下载即可继续。",
            )
        meter.report("retrying", part.stat().st_size if part.exists() else 0, attempt, force=True)
        if stop:
            stop.wait(min(60.0, backoff_base * 2 ** (attempt - 1)))
        else:
            time.sleep(min(60.0, backoff_base * 2 ** (attempt - 1)))


class _Retry(Exception):
    """A server answer worth retrying (429, 5xx, a confused Range)."""


def _verify(part: Path, state: DownloadState, meter: _Meter) -> None:
    """sha256 against the Hub's LFS sha256, then the GGUF header; either failure deletes the file."""
    name = safe_basename(state.filename)
    digest = files.sha256_file(part, lambda done, _total: meter.report("verifying", done))
    if digest != state.sha256:
        discard(part)
        raise ChecksumMismatchError(
            f"{name} does not match the Hub's checksum (sha256 {digest[:12]}… instead of "
            f"{state.sha256[:12]}…): the bytes were damaged on the way. The file was deleted; "
            "download it again.",
            f"{name} 与 Hub 上的校验和不符（sha256 为 {digest[:12]}…，应为 {state.sha256[:12]}…）："
            "传输中数据损坏。文件已删除；请重新下载。",
        )
    try:
        read_gguf_info(part)
    except GGUFFileError:
        discard(part)
        raise


def download_model(repo_id: str, filename: str, *, revision: str | None = None, token: str | None = None,
                   progress: ProgressCallback | None = None, stop: Stop | None = None,
                   db: Any | None = None, max_retries: int = 8, stall_timeout: float = 30.0,
                   backoff_base: float = 1.0, chunk_size: int = 1 << 20) -> Any:
    """Download `filename` from `repo_id` into the models folder and register it; returns its LocalModel.
    `stop.pause()` or `stop.cancel()` from any thread ends the transfer at the next chunk (or at once while
    it waits to retry).

    Raises DownloadPaused (partial file and state kept: call again to resume, also after a restart),
    DownloadCancelled (partial file deleted), NotEnoughDiskError, ChecksumMismatchError, a GGUFFileError,
    GatedRepoAccessError, HubOfflineError, UnsafeFilenameError, or another HubError."""
    from filelock import FileLock, Timeout

    from desktop.core.models.registry import ModelRegistry

    check_repo_id(repo_id)
    name = safe_basename(filename)
    hub_http.ensure_online("downloading", "下载", db)
    split = re.search(r"-\d{5}-of-\d{5}\.gguf$", name, re.IGNORECASE)
    if split:
        raise DownloadError(
            f"{name} is one part of a model split into several files; Shopscribe downloads "
            "single-file models. Choose another quantization or repository.",
            f"{name} 是拆分成多个文件的模型的一部分；Shopscribe 只下载单文件模型。请选择其他量化版本或仓库。",
        )
    part = part_path(repo_id, filename)
    try:
        lock = FileLock(str(part.with_suffix(".lock")), timeout=0)
        lock.acquire()
    except Timeout:
        raise DownloadError(f"{name} is already being downloaded (in another window or process).",
                            f"{name} 已在下载中（在另一个窗口或进程里）。") from None
    try:
        state = DownloadState.load(part)
        pinned = revision if revision and re.fullmatch(r"[0-9a-f]{40}", revision) else None
        if state is None or state.repo_id != repo_id or state.filename != filename or (
                pinned and pinned != state.revision):
            part.unlink(missing_ok=True)
            state = _resolve(repo_id, filename, revision, token)
        _check_disk(part, state)
        meter = _Meter(repo_id, filename, state.size, progress)
        try:
            state.save(part)
            _transfer(part, state, token, stop, meter, max_retries, stall_timeout, backoff_base, chunk_size)
        except OSError as exc:
            if exc.errno not in _DISK_FULL:
                raise
            raise _disk_full(part, state) from exc
        _verify(part, state, meter)
        target = _place(part, state)
        meter.report("done", state.size, force=True)
        origin = {"repo_id": repo_id, "filename": filename, "revision": state.revision,
                  "sha256": state.sha256}
        return ModelRegistry(db).register_download(target, state.sha256, origin)
    finally:
        lock.release()  # the lock file stays: deleting it could let two processes lock different files


def _place(part: Path, state: DownloadState) -> Path:
    """Atomic rename into the models folder; an identical file already there is reused."""
    directory = user_models_dir()
    name = safe_basename(state.filename)
    target = directory / name
    if target.exists() and target.stat().st_size == state.size and files.sha256_file(target) == state.sha256:
        discard(part)
        return target
    target = files.unique_path(directory, name)
    part.replace(target)
    discard(part)  # the state file
    return target


def cancel_pending(repo_id: str, filename: str) -> bool:
    """Delete a paused download's partial file and state; True if there was one."""
    part = part_path(check_repo_id(repo_id), filename)
    existed = part.exists()
    discard(part)
    return existed
