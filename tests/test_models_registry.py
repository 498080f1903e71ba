"""The local registry on a real store in a temporary home, with the real embedded model."""

from __future__ import annotations

import os
import struct
from pathlib import Path

import pytest

from desktop.core import embedded
from desktop.core.errors import ModelFileError
from desktop.core.models import errors as E
from desktop.core.models import files
from desktop.core.models.registry import ModelRegistry
from desktop.core.paths import user_models_dir

LIST_KEYS = {"id", "path", "sha256", "architecture", "parameters", "quantization", "context_length",
             "size_bytes", "default"}


@pytest.fixture
def registry() -> ModelRegistry:
    return ModelRegistry()


@pytest.fixture
def sparse_model(tmp_path, model_path) -> Path:
    """A valid GGUF with the real header and zeroed weights (sparse: cheap), outside the data folder."""
    from desktop.core.models.gguf_header import read_gguf_info

    info = read_gguf_info(model_path)
    path = tmp_path / "outside" / "Tiny-Copy.Q4_1.gguf"
    path.parent.mkdir()
    with open(model_path, "rb") as src, open(path, "wb") as dst:
        dst.write(src.read(info.data_offset))
        dst.truncate(info.file_size)
    return path


def test_embedded_model_is_listed_and_default(registry, model_path):
    models = registry.list_models()
    assert [m.id for m in models] == [embedded.MODEL_ID]
    model = models[0]
    data = model.to_json()
    assert LIST_KEYS <= set(data)
    assert data["default"] is True and data["source"] == "embedded"
    assert data["sha256"] == embedded.SHA256
    assert (data["architecture"], data["quantization"], data["context_length"]) == ("llama", "Q4_1", 8192)
    assert data["size_bytes"] == model_path.stat().st_size
    assert registry.default_model().id == embedded.MODEL_ID


def test_sha256_is_computed_once(registry, monkeypatch):
    calls = []
    real = files.sha256_file
    monkeypatch.setattr(files, "sha256_file", lambda p, *a: calls.append(p) or real(p, *a))
    first = registry.list_models()[0].sha256
    second = ModelRegistry().list_models()[0].sha256  # a new registry: the cache is in the store
    assert first == second == embedded.SHA256
    assert len(calls) == 1


def test_import_by_copy(registry, sparse_model):
    model = registry.import_model(sparse_model, copy=True)
    assert model.id == "tiny-copy.q4_1"
    assert model.source == "local" and model.path.parent == user_models_dir()
    assert model.path.read_bytes()[:4] == b"GGUF"
    assert model.sha256 == files.sha256_file(sparse_model)
    assert not list((user_models_dir() / ".downloads").iterdir())  # no temporary copy left
    again = registry.import_model(sparse_model, copy=True)  # same bytes: the same model, no second copy
    assert again.path == model.path
    assert len([p for p in user_models_dir().iterdir() if p.suffix == ".gguf"]) == 1
    assert {m.id for m in registry.list_models()} == {embedded.MODEL_ID, model.id}


def test_import_by_reference_keeps_the_file_in_place(registry, sparse_model):
    model = registry.import_model(sparse_model, copy=False)
    assert model.source == "reference" and model.path == sparse_model.resolve()
    assert not any(user_models_dir().glob("*.gguf"))
    assert registry.import_model(sparse_model, copy=False).id == model.id  # not twice
    registry.remove_model(model.id)
    assert sparse_model.exists()  # a referenced file is the user's: never deleted
    assert [m.id for m in registry.list_models()] == [embedded.MODEL_ID]


def test_partial_and_hidden_files_are_never_listed(registry, sparse_model):
    directory = user_models_dir()
    (directory / ".downloads").mkdir(exist_ok=True)
    for name in ("a.gguf.part", "b.gguf.incomplete", ".hidden.gguf", "notes.txt", "c.gguf.tmp",
                 ".downloads/d.gguf"):
        os.link(sparse_model, directory / name)  # valid GGUF bytes under names that must not count
    assert [m.id for m in registry.list_models()] == [embedded.MODEL_ID]


@pytest.mark.parametrize(
    ("content", "error"),
    [(b"", E.EmptyModelFileError), (b"<html>502</html>", E.HtmlInsteadOfModelError),
     (b"version https://git-lfs.github.com/spec/v1\n", E.LfsPointerError),
     (b"GGUF\x07\0\0\0", E.UnsupportedGGUFVersionError),
     (b"GGUF\x03\0\0\0" + struct.pack("<QQ", 2**40, 1), E.AbsurdGGUFValueError)],
)
def test_broken_imports_are_refused_before_copying(registry, tmp_path, content, error):
    bad = tmp_path / "bad.gguf"
    bad.write_bytes(content)
    for copy in (True, False):
        with pytest.raises(error):
            registry.import_model(bad, copy=copy)
    assert [m.id for m in registry.list_models()] == [embedded.MODEL_ID]
    assert not any(user_models_dir().glob("*.gguf"))


def test_defaults_and_a_file_broken_after_import(registry, sparse_model):
    model = registry.import_model(sparse_model, copy=False)
    registry.set_default(model.id)
    assert registry.default_model().id == model.id
    with open(sparse_model, "r+b") as handle:  # the file gets cut behind our back
        handle.truncate(5000)
    listed = {m.id: m for m in registry.list_models()}
    assert isinstance(listed[model.id].exception, E.TruncatedModelFileError)
    assert "incomplete" in listed[model.id].error and "不完整" in listed[model.id].error_zh
    assert registry.default_model().id == embedded.MODEL_ID  # a broken default is never used
    with pytest.raises(E.TruncatedModelFileError):
        registry.set_default(model.id)
    with pytest.raises(E.TruncatedModelFileError):
        registry.loadable_path(model.id)
    with pytest.raises(E.TruncatedModelFileError):
        registry.engine_options(model.id)


def test_remove(registry, sparse_model):
    with pytest.raises(E.EmbeddedModelRemovalError):
        registry.remove_model(embedded.MODEL_ID)
    model = registry.import_model(sparse_model)
    registry.set_default(model.id)
    registry.set_model_settings(model.id, n_ctx=1024)
    registry.remove_model(model.id)
    assert not model.path.exists()
    assert registry.default_model().id == embedded.MODEL_ID
    with pytest.raises(E.ModelNotFoundError, match="models list"):
        registry.get_model(model.id)


def test_model_settings(registry):
    mid = embedded.MODEL_ID
    assert registry.model_settings(mid) == {"n_ctx": 4096, "n_gpu_layers": 0, "n_threads": None,
                                            "flash_attn": None, "chat_template": None}
    registry.set_model_settings(mid, n_ctx=2048, n_gpu_layers=-1, n_threads=2, flash_attn="off",
                                chat_template="{% for m in messages %}{{ m.content }}{% endfor %}")
    fresh = ModelRegistry().model_settings(mid)  # persisted in the store
    assert fresh["n_ctx"] == 2048 and fresh["n_gpu_layers"] == -1 and fresh["n_threads"] == 2
    assert fresh["flash_attn"] == "off" and registry.engine_options(mid)["flash_attn"] == "off"
    with pytest.raises(E.ModelSettingsError, match="flash_attn"):
        registry.set_model_settings(mid, flash_attn="sometimes")
    assert fresh["chat_template"].startswith("{% for")
    options = registry.engine_options(mid)
    assert options["model_path"] == embedded.embedded_model_path() and options["n_ctx"] == 2048
    with pytest.raises(E.ModelSettingsError, match="8192"):
        registry.set_model_settings(mid, n_ctx=100_000)  # beyond the model's trained context
    with pytest.raises(E.ModelSettingsError, match="Unknown model setting"):
        registry.set_model_settings(mid, temperature=0.3)
    with pytest.raises(E.ModelSettingsError, match="syntax error"):
        registry.set_model_settings(mid, chat_template="{% for m in messages %}")
    registry.set_model_settings(mid, chat_template="", n_threads=None)
    assert registry.model_settings(mid)["chat_template"] is None


def test_engine_is_never_handed_a_broken_file(tmp_path, monkeypatch, model_path):
    """The engine's own check runs our header reader before llama.cpp: a spy on the loader stays unused."""
    from desktop.core.engine import local as engine_module
    from desktop.core.engine.client import HostEngine

    calls = []

    class Spy:
        def __init__(self, *args, **kwargs):
            calls.append(kwargs.get("path_model"))
            raise AssertionError("llama.cpp was handed a file")

    monkeypatch.setattr(engine_module.internals, "LlamaModel", Spy)
    head = model_path.read_bytes()[:200_000]
    corpus = {
        "truncated.gguf": (head, E.TruncatedModelFileError),
        "html.gguf": (b"<!DOCTYPE html><title>404</title>", E.HtmlInsteadOfModelError),
        "lfs.gguf": (b"version https://git-lfs.github.com/spec/v1\noid sha256:00\nsize 1\n",
                     E.LfsPointerError),
        "version.gguf": (b"GGUF" + struct.pack("<I", 9) + head[8:], E.UnsupportedGGUFVersionError),
        "empty.gguf": (b"", E.EmptyModelFileError),
    }
    for name, (content, error) in corpus.items():
        path = tmp_path / name
        path.write_bytes(content)
        with pytest.raises(error):  # the registry names the exact problem...
            ModelRegistry().import_model(path, copy=False)
        with pytest.raises(ModelFileError):  # ...and the engine refuses before llama.cpp
            engine_module.LocalEngine(path, n_ctx=256).load()
        with pytest.raises(ModelFileError):  # ...and so does the window's engine, before a host starts
            HostEngine(path, n_ctx=256).load()
    assert calls == []
