"""A local stand-in for the Hugging Face Hub: enough of its HTTP protocol for huggingface_hub and our
downloader, on 127.0.0.1, serving real files from disk.

- HEAD/GET /{repo}/resolve/{revision}/{path}: X-Repo-Commit, X-Linked-Etag, X-Linked-Size, ETag,
  Accept-Ranges, Range requests answered with 206 and Content-Range (416 past the end), gated repos
  answer 401 with X-Error-Code: GatedRepo unless the right bearer token comes along.
- GET /api/models/{repo} and /api/models/{repo}/revision/{rev}: siblings, with size, blobId and lfs
  {size, sha256, pointerSize} when `blobs=true` (what model_info(files_metadata=True) asks).
- GET /api/models?search=&filter=&sort=&limit=: a search over the repos.

Faults for the tests: `cut_once[path] = n` sends n bytes of the next GET then drops the connection;
`stall_once[path] = n` sends n bytes then goes silent until released; `fail_next[path] = [503, ...]`
answers the next GETs with those statuses; `repo.sha256_override[path]` announces a wrong checksum.
Every request is logged in `requests` as (method, path, headers).
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

COMMIT = "0123456789abcdef0123456789abcdef01234567"
_SHA_CACHE: dict[tuple[str, int, int], str] = {}  # one hash per file per session, shared by every repo


@dataclass
class FakeRepo:
    repo_id: str
    files: dict[str, Path]
    commit: str = COMMIT
    gated: bool = False
    downloads: int = 0
    likes: int = 0
    tags: tuple[str, ...] = ("gguf",)
    sha256_override: dict[str, str] = field(default_factory=dict)
    _sha: dict[str, str] = field(default_factory=dict)

    def sha256(self, name: str) -> str:
        if name in self.sha256_override:
            return self.sha256_override[name]
        if name not in self._sha:
            file = self.files[name]
            key = (str(file), file.stat().st_size, file.stat().st_mtime_ns)
            if key not in _SHA_CACHE:
                _SHA_CACHE[key] = hashlib.sha256(file.read_bytes()).hexdigest()
            self._sha[name] = _SHA_CACHE[key]
        return self._sha[name]


class FakeHub:
    def __init__(self, token: str = "hf_test_token") -> None:
        self.repos: dict[str, FakeRepo] = {}
        self.token = token
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        self.cut_once: dict[str, int] = {}
        self.stall_once: dict[str, int] = {}
        self.fail_next: dict[str, list[int]] = {}
        self.release = threading.Event()  # ends every stall (set at shutdown)
        self._lock = threading.Lock()
        hub = self

        class Handler(_Handler):
            fake = hub

        self.server = _Server(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def add(self, repo: FakeRepo) -> FakeRepo:
        self.repos[repo.repo_id] = repo
        return repo

    def start(self) -> FakeHub:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()

    def gets(self, path_part: str) -> list[dict[str, str]]:
        """Headers of every GET whose path contains `path_part`."""
        return [h for m, p, h in self.requests if m == "GET" and path_part in p]

    def take(self, table: dict, name: str):
        with self._lock:
            value = table.get(name)
            if isinstance(value, list):
                item = value.pop(0) if value else None
                if not value:
                    table.pop(name, None)
                return item
            return table.pop(name, None)


class _Server(ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        # A client that hangs up (a pause, a cancel, a read timeout) is part of the tests, not an error.
        if not isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    fake: FakeHub

    def log_message(self, *args) -> None:  # quiet
        pass

    # ----- helpers -----
    def _send_json(self, data, status: int = 200, headers: dict[str, str] | None = None) -> None:
        body = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, status: int, code: str | None, message: str) -> None:
        self._send_json({"error": message}, status, {"X-Error-Code": code} if code else None)

    def do_HEAD(self) -> None:
        self._route()

    def do_GET(self) -> None:
        self._route()

    def _route(self) -> None:
        parts = urlsplit(self.path)
        self.fake.requests.append((self.command, parts.path, {k.title(): v for k, v in self.headers.items()}))
        path = unquote(parts.path)
        query = parse_qs(parts.query)
        if path == "/api/models":
            return self._search(query)
        match = re.fullmatch(r"/api/models/([^/]+/[^/]+?)(?:/revision/([^/]+))?", path)
        if match:
            return self._info(match.group(1), match.group(2), query)
        match = re.fullmatch(r"/([^/]+/[^/]+)/resolve/([^/]+)/(.+)", path)
        if match:
            return self._resolve(*match.groups())
        self._error(404, None, "Not found")

    def _search(self, query: dict) -> None:
        words = (query.get("search") or [""])[0].lower()
        filters = query.get("filter") or []
        found = [r for r in self.fake.repos.values()
                 if words in r.repo_id.lower() and all(f in r.tags for f in filters)]
        found.sort(key=lambda r: r.downloads, reverse=True)
        limit = int((query.get("limit") or ["1000"])[0])
        self._send_json([{"id": r.repo_id, "_id": r.repo_id, "downloads": r.downloads, "likes": r.likes,
                          "gated": r.gated, "private": False, "tags": list(r.tags),
                          "lastModified": "2025-01-02T03:04:05.000Z"} for r in found[:limit]])

    def _info(self, repo_id: str, revision: str | None, query: dict) -> None:
        repo = self.fake.repos.get(repo_id)
        if repo is None:
            return self._error(404, "RepoNotFound", "Repository not found")
        if revision not in (None, "main", repo.commit):
            return self._error(404, "RevisionNotFound", "Invalid rev id")
        blobs = (query.get("blobs") or [""])[0].lower() == "true"
        siblings = []
        for name, file in sorted(repo.files.items()):
            entry = {"rfilename": name}
            if blobs:
                size = file.stat().st_size
                entry.update({"size": size, "blobId": hashlib.sha1(name.encode()).hexdigest(),
                              "lfs": {"size": size, "sha256": repo.sha256(name), "pointerSize": 135}})
            siblings.append(entry)
        self._send_json({"id": repo_id, "_id": repo_id, "sha": repo.commit, "gated": repo.gated and "manual",
                         "private": False, "downloads": repo.downloads, "likes": repo.likes,
                         "tags": list(repo.tags), "siblings": siblings,
                         "lastModified": "2025-01-02T03:04:05.000Z"})

    def _resolve(self, repo_id: str, revision: str, name: str) -> None:
        repo = self.fake.repos.get(repo_id)
        if repo is None:
            return self._error(404, "RepoNotFound", "Repository not found")
        if revision not in ("main", repo.commit):
            return self._error(404, "RevisionNotFound", "Invalid rev id")
        if name not in repo.files:
            return self._error(404, "EntryNotFound", "Entry not found")
        if repo.gated and self.headers.get("Authorization") != f"Bearer {self.fake.token}":
            return self._error(401, "GatedRepo", "Access to this model is restricted.")
        if self.command == "GET":
            status = self.fake.take(self.fake.fail_next, name)
            if status:
                return self._error(status, None, "Service unavailable")
        file = repo.files[name]
        total = file.stat().st_size
        start, end = 0, total - 1
        ranged = re.fullmatch(r"bytes=(\d+)-(\d*)", self.headers.get("Range", ""))
        if ranged:
            start = int(ranged.group(1))
            end = min(int(ranged.group(2)), total - 1) if ranged.group(2) else total - 1
            if start >= total:
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{total}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
        self.send_response(206 if ranged else 200)
        sha = repo.sha256(name)
        for key, value in (("X-Repo-Commit", repo.commit), ("X-Linked-Etag", f'"{sha}"'),
                           ("X-Linked-Size", str(total)), ("ETag", f'"{sha}"'), ("Accept-Ranges", "bytes"),
                           ("Content-Type", "application/octet-stream"),
                           ("Content-Length", str(end - start + 1))):
            self.send_header(key, value)
        if ranged:
            self.send_header("Content-Range", f"bytes {start}-{end}/{total}")
        self.end_headers()
        if self.command == "HEAD":
            return
        self._send_file(file, name, start, end)

    def _send_file(self, file: Path, name: str, start: int, end: int) -> None:
        cut = self.fake.take(self.fake.cut_once, name)
        stall = self.fake.take(self.fake.stall_once, name)
        limit = end - start + 1
        for fault in (cut, stall):
            if fault is not None:
                limit = min(limit, fault)
        sent = 0
        try:
            with open(file, "rb") as handle:
                handle.seek(start)
                while sent < limit:
                    block = handle.read(min(1 << 16, limit - sent))
                    if not block:
                        break
                    self.wfile.write(block)
                    sent += len(block)
                self.wfile.flush()
                if stall is not None:
                    self.fake.release.wait(30)  # silent: the client's read timeout must notice
                if cut is not None or stall is not None:
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
        except (BrokenPipeError, ConnectionResetError, OSError):
            self.close_connection = True
