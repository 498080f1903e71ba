"""The GGUF header reader against the real embedded model and a corpus of broken files made from it.

Every broken file must get its own error class with advice, in both languages, and never anything else
(no struct.error, no MemoryError, no generic failure)."""

from __future__ import annotations

import random
import re
import struct
from pathlib import Path

import pytest

from desktop.core.models import errors as E
from desktop.core.models.gguf_header import MAX_ARRAY_LENGTH, GGUFInfo, read_gguf_info

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def real(model_path) -> GGUFInfo:
    return read_gguf_info(model_path)


@pytest.fixture(scope="module")
def header(model_path, real) -> bytes:
    with open(model_path, "rb") as handle:
        return handle.read(real.data_offset)


def sparse_copy(path: Path, header: bytes, size: int, patch: dict[int, bytes] | None = None) -> Path:
    """The real header followed by zeros up to the real size (a sparse file: cheap to make by the dozen)."""
    data = bytearray(header)
    for offset, raw in (patch or {}).items():
        data[offset : offset + len(raw)] = raw
    with open(path, "wb") as handle:
        handle.write(data)
        handle.truncate(size)
    return path


def key_offset(header: bytes, key: str) -> int:
    """Offset just after `key`'s bytes, where its value type begins."""
    raw = key.encode()
    pos = header.find(struct.pack("<Q", len(raw)) + raw)
    assert pos > 0, key
    return pos + 8 + len(raw)


def assert_bilingual(exc: E.GGUFFileError) -> None:
    assert exc.en and exc.zh and CJK.search(exc.zh)
    assert str(exc) == exc.en
    assert exc.text("zh") == exc.zh


# ----- the real file ---------------------------------------------------------------------------------


def test_real_model_header(real, model_path):
    assert real.version == 3
    assert real.architecture == "llama"
    assert real.n_layers == 30 and real.n_head == 9 and real.n_head_kv == 3
    assert real.embedding_length == 576 and real.head_dim == 64
    assert real.context_length == 8192
    assert real.quantization == "Q4_1" and real.file_type == 3
    assert real.parameters_label == "135M"
    assert 130_000_000 < real.parameters < 140_000_000
    assert real.has_chat_template and "<|im_start|>" in real.chat_template
    assert real.vocab_size == 49152
    assert real.file_size == model_path.stat().st_size
    assert real.kv_cache_bytes(2048) == 2048 * 30 * 3 * (64 + 64) * 2


def test_agrees_with_the_gguf_package(real, model_path):
    gguf = pytest.importorskip("gguf")
    reader = gguf.GGUFReader(str(model_path))
    assert len(reader.tensors) == real.tensor_count
    assert sum(int(t.n_elements) for t in reader.tensors) == real.parameters
    assert reader.data_offset == real.data_offset
    arch = reader.fields["general.architecture"]
    assert bytes(arch.parts[arch.data[0]]).decode() == real.architecture


def test_sparse_copy_is_still_valid(tmp_path, header, real):
    info = read_gguf_info(sparse_copy(tmp_path / "copy.gguf", header, real.file_size))
    assert (info.parameters, info.quantization, info.chat_template) == (real.parameters, real.quantization,
                                                                         real.chat_template)


# ----- truncation ------------------------------------------------------------------------------------


def cut_points(real: GGUFInfo) -> list[int]:
    t, d, n = real.tensor_table_offset, real.data_offset, real.file_size
    return [1, 2, 3, 4, 5, 7, 8, 12, 16, 23, 24, 25, 40, 100, 1000, 4096, 65536, t - 1, t, t + 9,
            t + 40, d - 1, d, d + 1, d + 4096, n // 3, n // 2, n - 4096, n - 1]


def test_truncated_at_many_offsets(tmp_path, header, real):
    for cut in cut_points(real):
        path = tmp_path / f"cut{cut}.gguf"
        sparse_copy(path, header[:cut], cut)
        with pytest.raises(E.TruncatedModelFileError) as caught:
            read_gguf_info(path)
        exc = caught.value
        assert exc.offset <= cut, cut
        assert "incomplete" in exc.en and "Download the model again" in exc.en
        assert "不完整" in exc.zh
        assert f"{cut:,}" in exc.en, (cut, exc.en)


def test_missing_weights_say_how_much_is_there(tmp_path, header, real):
    cut = real.file_size // 2
    path = sparse_copy(tmp_path / "half.gguf", header, cut)
    with pytest.raises(E.TruncatedModelFileError, match="49% present|50% present"):
        read_gguf_info(path)


# ----- bad values ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("version", "words"),
    [(0, "version 0"), (1, "version 1, too old"), (4, "version 4"), (99, "version 99"),
     (0x03000000, "big-endian")],
)
def test_unsupported_versions(tmp_path, header, real, version, words):
    path = sparse_copy(tmp_path / "v.gguf", header, real.file_size, {4: struct.pack("<I", version)})
    with pytest.raises(E.UnsupportedGGUFVersionError, match=words) as caught:
        read_gguf_info(path)
    assert_bilingual(caught.value)


def test_bad_magic(tmp_path, header, real):
    path = sparse_copy(tmp_path / "magic.gguf", header, real.file_size, {0: b"GGUX"})
    with pytest.raises(E.NotGGUFError, match="instead of 'GGUF'"):
        read_gguf_info(path)


@pytest.mark.parametrize(
    ("where", "value", "words"),
    [
        (8, 2**40, "tensor count"),
        (8, 100_001, "tensor count"),
        (16, 2**63, "metadata entry count"),
        (16, 10_001, "metadata entry count"),
        (24, 2**62, "metadata key #1 length"),
    ],
)
def test_absurd_counts(tmp_path, header, real, where, value, words):
    path = sparse_copy(tmp_path / "absurd.gguf", header, real.file_size, {where: struct.pack("<Q", value)})
    with pytest.raises(E.AbsurdGGUFValueError, match=words) as caught:
        read_gguf_info(path)
    assert_bilingual(caught.value)


def test_huge_chat_template_length(tmp_path, header, real):
    at = key_offset(header, "tokenizer.chat_template")
    assert struct.unpack_from("<I", header, at)[0] == 8  # a string
    path = sparse_copy(tmp_path / "tmpl.gguf", header, real.file_size, {at + 4: struct.pack("<Q", 2**40)})
    with pytest.raises(E.AbsurdGGUFValueError, match="tokenizer.chat_template"):
        read_gguf_info(path)


def test_huge_string_in_an_array(tmp_path, header, real):
    at = key_offset(header, "tokenizer.ggml.tokens")
    first = at + 4 + 4 + 8  # type, element type, count, then the first string's length
    path = sparse_copy(tmp_path / "tok.gguf", header, real.file_size, {first: struct.pack("<Q", 2**33)})
    with pytest.raises(E.AbsurdGGUFValueError, match="tokenizer.ggml.tokens"):
        read_gguf_info(path)


def test_huge_array_length(tmp_path, header, real):
    at = key_offset(header, "tokenizer.ggml.tokens")
    patch = {at + 8: struct.pack("<Q", MAX_ARRAY_LENGTH + 1)}
    path = sparse_copy(tmp_path / "arr.gguf", header, real.file_size, patch)
    with pytest.raises(E.AbsurdGGUFValueError, match="10,000,001 items"):
        read_gguf_info(path)


@pytest.mark.parametrize("vtype", [13, 255, 0xFFFFFFFF])
def test_unknown_value_type(tmp_path, header, real, vtype):
    first_key_len = struct.unpack_from("<Q", header, 24)[0]
    at = 32 + first_key_len
    path = sparse_copy(tmp_path / "type.gguf", header, real.file_size, {at: struct.pack("<I", vtype)})
    with pytest.raises(E.UnknownGGUFValueTypeError, match=f"unknown value type {vtype}") as caught:
        read_gguf_info(path)
    assert_bilingual(caught.value)


def test_nested_array_refused(tmp_path, header, real):
    at = key_offset(header, "tokenizer.ggml.tokens")
    path = sparse_copy(tmp_path / "nested.gguf", header, real.file_size, {at + 4: struct.pack("<I", 9)})
    with pytest.raises(E.UnknownGGUFValueTypeError, match="nested array"):
        read_gguf_info(path)


def _first_tensor(header: bytes, real: GGUFInfo) -> tuple[int, int]:
    """(offset of n_dims, offset of the ggml type) for the first tensor."""
    at = real.tensor_table_offset
    name_len = struct.unpack_from("<Q", header, at)[0]
    dims_at = at + 8 + name_len
    n_dims = struct.unpack_from("<I", header, dims_at)[0]
    return dims_at, dims_at + 4 + 8 * n_dims


def test_unknown_tensor_type(tmp_path, header, real):
    _, type_at = _first_tensor(header, real)
    path = sparse_copy(tmp_path / "tt.gguf", header, real.file_size, {type_at: struct.pack("<I", 41)})
    with pytest.raises(E.UnsupportedTensorTypeError, match="tensor type 41"):
        read_gguf_info(path)


def test_too_many_dimensions(tmp_path, header, real):
    dims_at, _ = _first_tensor(header, real)
    path = sparse_copy(tmp_path / "dims.gguf", header, real.file_size, {dims_at: struct.pack("<I", 5)})
    with pytest.raises(E.AbsurdGGUFValueError, match="5 dimensions"):
        read_gguf_info(path)


# ----- not a GGUF at all -----------------------------------------------------------------------------

NOT_GGUF = [
    (b"<!DOCTYPE html><html><body>Not found</body></html>", E.HtmlInsteadOfModelError, "web page"),
    (b"\n  <html><head><title>502 Bad Gateway</title></head></html>", E.HtmlInsteadOfModelError, "web page"),
    (b"version https://git-lfs.github.com/spec/v1\noid sha256:" + b"a" * 64 + b"\nsize 98362432\n",
     E.LfsPointerError, "Git LFS pointer"),
    (b'{"error":"Access to model Qwen/x is restricted."}', E.NotGGUFError, "error message from a server"),
    (b"lmgg" + b"\0" * 60, E.NotGGUFError, "old GGML format"),
    (b"tjgg" + b"\0" * 60, E.NotGGUFError, "old GGJT format"),
    (b"PK\x03\x04" + b"\0" * 60, E.NotGGUFError, "zip archive"),
    (struct.pack("<Q", 20) + b'{"__metadata__":{}} ' + b"\0" * 64, E.NotGGUFError, "safetensors"),
    (b"\x00" * 64, E.NotGGUFError, "instead of 'GGUF'"),
]


@pytest.mark.parametrize(("content", "error", "words"), NOT_GGUF)
def test_not_gguf_files(tmp_path, content, error, words):
    path = tmp_path / "model.gguf"
    path.write_bytes(content)
    with pytest.raises(error, match=words) as caught:
        read_gguf_info(path)
    assert_bilingual(caught.value)
    assert "import another" in caught.value.en or "Download the model again" in caught.value.en


def test_empty_missing_and_folder(tmp_path):
    empty = tmp_path / "empty.gguf"
    empty.write_bytes(b"")
    with pytest.raises(E.EmptyModelFileError, match="empty"):
        read_gguf_info(empty)
    with pytest.raises(E.ModelFileMissingError, match="not there any more"):
        read_gguf_info(tmp_path / "gone.gguf")
    with pytest.raises(E.NotGGUFError, match="folder"):
        read_gguf_info(tmp_path)


# ----- fuzzing ---------------------------------------------------------------------------------------


def test_random_header_damage_only_ever_raises_our_errors(tmp_path, header, real):
    rng = random.Random(20240611)
    outcomes = {"ok": 0, "refused": 0}
    for round_ in range(150):
        data = bytearray(header)
        for _ in range(rng.randint(1, 4)):
            at = rng.randrange(0, min(len(data), real.tensor_table_offset + 2000))
            width = rng.choice([1, 4, 8])
            data[at : at + width] = rng.randbytes(width)[: len(data) - at]
        path = sparse_copy(tmp_path / f"fuzz{round_}.gguf", bytes(data), real.file_size)
        try:
            read_gguf_info(path)
            outcomes["ok"] += 1  # damage inside a token's text is harmless to the header
        except E.GGUFFileError as exc:
            assert exc.en and exc.zh
            outcomes["refused"] += 1
        path.unlink()
    assert outcomes["refused"] > 0


def test_the_engine_check_parses_a_file_once_per_version(tmp_path, header, real, monkeypatch):
    """Loading a model checks its header in the window's process (the engine thread holds the GIL
    meanwhile): a vocabulary's strings are parsed once per version of the file, not at every check."""
    from desktop.core.engine.options import check_model_file
    from desktop.core.models import files

    parsed = []
    monkeypatch.setattr(files, "read_gguf_info", lambda path: parsed.append(path) or read_gguf_info(path))
    path = sparse_copy(tmp_path / "model.gguf", header, real.file_size)
    check_model_file(path)
    check_model_file(path)
    assert len(parsed) == 1
    damaged = sparse_copy(tmp_path / "model.gguf", header, real.file_size - 1)  # a new version: checked anew
    with pytest.raises(E.GGUFFileError):
        check_model_file(damaged)
    assert len(parsed) == 2
