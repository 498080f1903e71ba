"""Downloads and search against a local fake Hub (tests/fakehub.py) serving the real embedded GGUF.
No internet: HF_ENDPOINT points at 127.0.0.1."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections import namedtuple

import pytest

from desktop.core import embedded
from desktop.core.errors import OfflineError
from desktop.core.models import errors as E
from desktop.core.models import hub
from desktop.core.models.download import cancel_pending, download_model
from desktop.core.models.download_state import part_path, pending_downloads, state_path
from desktop.core.models.fit import Machine
from desktop.core.models.registry import ModelRegistry
from desktop.core.paths import user_models_dir
from desktop.core.stop import Stop
from tests.fakehub import COMMIT, FakeHub, FakeRepo

REPO = "acme/SmolLM2-135M-Instruct-GGUF"
NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"
MACHINE = Machine(total_ram=16 * 1024**3, available_ram=12 * 1024**3, cpu_count=4)
FAST = {"backoff_base": 0.01, "stall_timeout": 10.0}


@pytest.fixture
def fake_hub(monkeypatch, model_path):
    server = FakeHub()
    repo = server.add(FakeRepo(REPO, {NAME: model_path}, downloads=500, likes=7))
    repo._sha[NAME] = embedded.SHA256  # known: spare the server a hash
    server.start()
    monkeypatch.setenv("HF_ENDPOINT", server.url)
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.delenv("HF_TOKEN", raising=False)
    yield server
    server.stop()


def models_on_disk() -> list[str]:
    return sorted(p.name for p in user_models_dir().glob("*.gguf"))


def test_download_succeeds_and_is_verified(fake_hub):
    seen = []
    model = download_model(REPO, NAME, progress=seen.append, **FAST)
    assert model.sha256 == embedded.SHA256 and model.source == "local"
    assert model.path == user_models_dir() / NAME and model.info.quantization == "Q4_1"
    assert model.origin == {"repo_id": REPO, "filename": NAME, "revision": COMMIT, "sha256": embedded.SHA256}
    states = [p.state for p in seen]
    assert states[0] == "downloading" and "verifying" in states and states[-1] == "done"
    done = [p.bytes_done for p in seen if p.state == "downloading"]
    assert done == sorted(done) and seen[-1].bytes_done == seen[-1].total_bytes == model.size_bytes
    assert all(p.speed_bps >= 0 for p in seen)
    assert fake_hub.gets(f"/resolve/{COMMIT}/")  # the bytes come from the pinned commit
    assert not list(user_models_dir().glob(".downloads/*.part")) + list(
        user_models_dir().glob(".downloads/*.json")
    )
    assert model.id in {m.id for m in ModelRegistry().list_models()}


def test_connection_cut_half_way_resumes(fake_hub, model_path):
    half = model_path.stat().st_size // 2
    fake_hub.cut_once[NAME] = half
    seen = []
    model = download_model(REPO, NAME, progress=seen.append, **FAST)
    assert model.sha256 == embedded.SHA256
    ranges = [h.get("Range") for h in fake_hub.gets("/resolve/")]
    assert ranges[0] == "bytes=0-"
    assert len(ranges) == 2 and ranges[1] != "bytes=0-"
    resumed_from = int(ranges[1].split("=")[1].rstrip("-"))
    assert 0 < resumed_from <= half
    assert any(p.state == "retrying" for p in seen)


def test_stalled_connection_is_retried(fake_hub):
    fake_hub.stall_once[NAME] = 3 * 1024**2
    model = download_model(REPO, NAME, backoff_base=0.01, stall_timeout=1.0)
    assert model.sha256 == embedded.SHA256
    ranges = [h["Range"] for h in fake_hub.gets("/resolve/")]
    assert len(ranges) >= 2 and ranges[0] == "bytes=0-" and ranges[1] != "bytes=0-"


def test_wrong_sha256_is_refused_and_removed(fake_hub):
    fake_hub.repos[REPO].sha256_override[NAME] = "ab" * 32
    with pytest.raises(E.ChecksumMismatchError, match="does not match the Hub's checksum") as caught:
        download_model(REPO, NAME, **FAST)
    assert "校验和" in caught.value.zh
    assert models_on_disk() == []
    assert not part_path(REPO, NAME).exists() and not state_path(part_path(REPO, NAME)).exists()
    assert [m.id for m in ModelRegistry().list_models()] == [embedded.MODEL_ID]


def test_pause_then_resume_after_a_restart(fake_hub, model_path):
    stop = Stop()

    def pause_when_bytes_arrive(p):
        if p.state == "downloading" and p.bytes_done > 0:
            stop.pause()  # as the GUI's Pause button does, from any thread

    with pytest.raises(E.DownloadPaused):
        download_model(REPO, NAME, progress=pause_when_bytes_arrive, stop=stop, chunk_size=1 << 16, **FAST)
    part = part_path(REPO, NAME)
    kept = part.stat().st_size
    assert 0 < kept < model_path.stat().st_size
    assert models_on_disk() == []
    [pending] = pending_downloads()  # what a restarted app finds on disk
    assert (pending.repo_id, pending.filename, pending.bytes_done) == (REPO, NAME, kept)
    assert pending.revision == COMMIT

    stop.reset()  # Resume: the same token drives the rest
    model = download_model(pending.repo_id, pending.filename, stop=stop, **FAST)
    assert model.sha256 == embedded.SHA256
    assert fake_hub.gets("/resolve/")[-1]["Range"] == f"bytes={kept}-"
    assert pending_downloads() == []


def test_cancel_deletes_the_partial_file(fake_hub):
    stop = Stop()
    with pytest.raises(E.DownloadCancelled):
        download_model(REPO, NAME, progress=lambda p: stop.cancel(), stop=stop, **FAST)
    assert not part_path(REPO, NAME).exists() and pending_downloads() == []
    # and a paused download can be cancelled later, without running it
    stop = Stop()
    with pytest.raises(E.DownloadPaused):
        download_model(REPO, NAME, progress=lambda p: stop.pause(), stop=stop, **FAST)
    assert cancel_pending(REPO, NAME) is True
    assert pending_downloads() == [] and models_on_disk() == []


def test_free_disk_check_refuses_before_downloading(fake_hub, monkeypatch):
    Usage = namedtuple("Usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda path: Usage(10**9, 10**9 - 4096, 4096))
    with pytest.raises(E.NotEnoughDiskError, match="Not enough disk space") as caught:
        download_model(REPO, NAME, **FAST)
    assert caught.value.free == 4096 and caught.value.needed > embedded_size()
    assert fake_hub.gets("/resolve/") == []


def embedded_size() -> int:
    return embedded.embedded_model_path().stat().st_size


@pytest.mark.parametrize(
    "filename",
    ["../evil.gguf", "models/../../evil.gguf", "/etc/evil.gguf", "C:/evil.gguf",
     "sub\\evil.gguf", "a//b.gguf",
     ".hidden.gguf", "evil.exe", "ok.gguf\x00.txt", "./x.gguf", ""],
)
def test_filenames_from_the_hub_are_never_paths(fake_hub, filename):
    with pytest.raises(E.UnsafeFilenameError):
        download_model(REPO, filename, **FAST)
    assert fake_hub.requests == []


def test_repo_ids_are_checked(fake_hub):
    for repo_id in ("../acme/x", "acme", "acme/x/y", "/acme/x"):
        with pytest.raises(E.UnsafeFilenameError):
            download_model(repo_id, NAME, **FAST)
    assert fake_hub.requests == []


def test_offline_mode_refuses_search_and_download(fake_hub, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    for call in (lambda: hub.search("smol"), lambda: hub.repo_files(REPO, machine=MACHINE),
                 lambda: download_model(REPO, NAME)):
        with pytest.raises(OfflineError, match="HF_HUB_OFFLINE"):
            call()
    monkeypatch.delenv("HF_HUB_OFFLINE")
    from desktop.core.models.settings_store import open_settings

    with open_settings() as settings:
        settings.set("offline", True)  # the app's own switch
    with pytest.raises(OfflineError, match="Offline mode in Settings") as caught:
        download_model(REPO, NAME)
    assert "离线模式" in caught.value.zh
    with pytest.raises(OfflineError):
        hub.search("smol")
    assert fake_hub.requests == []


def test_offline_mode_fails_closed_when_the_settings_cannot_be_read(fake_hub):
    """A damaged settings store may hide Offline mode being on: search and download stay off and say why."""
    from desktop.core.models.hub_http import UNREADABLE, offline_reason
    from desktop.core.paths import database_path

    database_path().write_bytes(b"this is not an SQLite database " * 200)
    assert offline_reason() == UNREADABLE
    for call in (lambda: hub.search("smol"), lambda: hub.repo_files(REPO, machine=MACHINE),
                 lambda: download_model(REPO, NAME, **FAST)):
        with pytest.raises(OfflineError) as caught:
            call()
        assert "could not read its settings" in str(caught.value) and "DatabaseError" in str(caught.value)
        assert "无法读取设置" in caught.value.zh
    assert fake_hub.requests == []


def test_gated_repository_needs_a_token(fake_hub, model_path):
    fake_hub.add(FakeRepo("acme/Gated-GGUF", {NAME: model_path}, gated=True))._sha[NAME] = embedded.SHA256
    with pytest.raises(E.GatedRepoAccessError, match="gated") as caught:
        download_model("acme/Gated-GGUF", NAME, **FAST)
    assert "令牌" in caught.value.zh
    model = download_model("acme/Gated-GGUF", NAME, token=fake_hub.token, **FAST)
    assert model.sha256 == embedded.SHA256
    assert fake_hub.gets("/resolve/")[-1]["Authorization"] == f"Bearer {fake_hub.token}"


def test_retries_give_up_with_a_clear_message(fake_hub):
    fake_hub.fail_next[NAME] = [503] * 10
    with pytest.raises(E.DownloadError, match="kept failing"):
        download_model(REPO, NAME, max_retries=2, **FAST)
    assert len(fake_hub.gets("/resolve/")) == 3


def test_a_broken_file_with_a_matching_checksum_is_refused_by_its_header(fake_hub, tmp_path):
    page = tmp_path / "page.gguf"
    page.write_bytes(b"<!DOCTYPE html><html><body>Rate limited</body></html>")
    fake_hub.add(FakeRepo("acme/Broken-GGUF", {"page.gguf": page}))
    with pytest.raises(E.HtmlInsteadOfModelError):
        download_model("acme/Broken-GGUF", "page.gguf", **FAST)
    assert models_on_disk() == [] and pending_downloads() == []


def test_missing_repo_and_file(fake_hub):
    with pytest.raises(E.HubError, match="not found"):
        download_model("acme/Nothing-GGUF", NAME, **FAST)
    with pytest.raises(E.HubError, match="no file named"):
        download_model(REPO, "other.gguf", **FAST)


def test_split_files_are_refused(fake_hub):
    with pytest.raises(E.DownloadError, match="split"):
        download_model(REPO, "big-Q4_K_M-00001-of-00002.gguf", **FAST)
    assert fake_hub.requests == []


def test_search_and_repo_files(fake_hub, model_path):
    fake_hub.add(FakeRepo("other/Qwen-Tiny-GGUF", {"qwen-tiny-q4_k_m.gguf": model_path},
                          downloads=9000, likes=40))
    fake_hub.add(FakeRepo("other/Tiny-safetensors", {"model.gguf": model_path}, tags=("safetensors",)))
    found = hub.search("tiny")
    assert [r.repo_id for r in found] == ["other/Qwen-Tiny-GGUF"]
    assert (found[0].downloads, found[0].likes) == (9000, 40)
    assert {r.repo_id for r in hub.search("")} == {REPO, "other/Qwen-Tiny-GGUF"}

    many = {NAME: model_path, "sub/Model-Q8_0.gguf": model_path, "model-Q4_K_M.gguf": model_path,
            "big-Q4_K_M-00001-of-00002.gguf": model_path, "mmproj-model-f16.gguf": model_path,
            "README.md": model_path}
    fake_hub.add(FakeRepo("acme/Many-GGUF", many))
    listing = hub.repo_files("acme/Many-GGUF", machine=MACHINE)
    assert listing.commit == COMMIT
    groups = listing.groups
    assert set(groups) == {"Q4_1", "Q8_0", "Q4_K_M"}
    q4km = {f.filename: f for f in groups["Q4_K_M"]}
    assert q4km["big-Q4_K_M-00001-of-00002.gguf"].split == (1, 2)
    assert not q4km["big-Q4_K_M-00001-of-00002.gguf"].downloadable
    assert q4km["model-Q4_K_M.gguf"].downloadable
    item = groups["Q4_1"][0]
    assert item.sha256 == embedded.SHA256 and item.size_bytes == model_path.stat().st_size
    assert item.fit.label == "fits" and "GB" in item.fit.text("en") and "内存" in item.fit.text("zh")
    assert listing.to_json()["groups"]["Q8_0"][0]["filename"] == "sub/Model-Q8_0.gguf"


def test_quantization_names():
    assert hub.quantization_of("Qwen3-4B-Q4_K_M.gguf") == "Q4_K_M"
    assert hub.quantization_of("qwen2.5-0.5b-instruct-q5_k_m.gguf") == "Q5_K_M"
    assert hub.quantization_of("Phi-3-mini-4k-instruct-q4.gguf") == "Q4"
    assert hub.quantization_of("Phi-3-mini-4k-instruct-fp16.gguf") == "F16"
    assert hub.quantization_of("Qwen2.5-7B-Instruct-IQ4_XS.gguf") == "IQ4_XS"
    assert hub.quantization_of("model.gguf") == "other"


def test_importing_the_hub_modules_touches_no_network():
    code = (
        "import socket\n"
        "def refuse(*a, **k): raise AssertionError('network touched at import')\n"
        "socket.socket.connect = refuse\n"
        "socket.create_connection = refuse\n"
        "import sys\n"
        "import desktop.core.models.hub, desktop.core.models.download, desktop.core.models.registry\n"
        "import desktop.cli\n"
        "print('huggingface_hub' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
