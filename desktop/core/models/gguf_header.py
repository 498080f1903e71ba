"""Read a GGUF file's header and metadata with hard limits, before llama.cpp ever sees the file.

Our own reader rather than the `gguf` package: it reads only the header, the key/value metadata and the
tensor table (never the whole file, never a memory map of it), bounds every count and length before
allocating anything, and turns each way a file can be wrong into its own error with advice.
"""

from __future__ import annotations

import struct
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, BinaryIO

from desktop.core.models import gguf_errors as err
from desktop.core.models.gguf_tables import ARRAY, FILE_TYPES, GGML_TYPES, STRING, VALUE_TYPES

MAGIC = b"GGUF"
KNOWN_VERSIONS = (1, 2, 3)
READABLE_VERSIONS = (2, 3)  # llama.cpp dropped GGUF v1

# Hard limits: far above any real model, far below what would exhaust memory.
MAX_TENSORS = 100_000
MAX_KV = 10_000
MAX_KEY_LENGTH = 64 * 1024
MAX_STRING_LENGTH = 64 * 1024 * 1024  # a chat template is a few KiB; 64 MiB is absurd already
MAX_ARRAY_LENGTH = 10_000_000  # vocabularies are ~250k entries
MAX_DIMS = 4  # GGML_MAX_DIMS
MAX_TENSOR_NAME = 1024
MAX_ELEMENTS = 1 << 50

KEPT_STRING_LENGTH = 4096  # other metadata strings longer than this are skipped, not kept
KEPT_ARRAY_KEYS = ("attention.head_count", "attention.head_count_kv")


@dataclass(frozen=True)
class GGUFInfo:
    """What we know about a model from its GGUF header."""

    path: str
    file_size: int
    version: int
    architecture: str | None
    name: str | None
    parameters: int
    parameters_label: str
    quantization: str | None
    file_type: int | None
    context_length: int | None
    n_layers: int | None
    embedding_length: int | None
    n_head: int | None
    n_head_kv: int | None
    key_length: int | None
    value_length: int | None
    chat_template: str | None
    tensor_count: int
    kv_count: int
    vocab_size: int | None = None
    tensor_table_offset: int = 0
    data_offset: int = 0
    n_head_kv_per_layer: tuple[int, ...] | None = None
    metadata: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def has_chat_template(self) -> bool:
        return bool(self.chat_template)

    @property
    def head_dim(self) -> int | None:
        if self.key_length:
            return self.key_length
        if self.embedding_length and self.n_head:
            return self.embedding_length // self.n_head
        return None

    def kv_cache_bytes(self, n_ctx: int, bytes_per_element: int = 2) -> int | None:
        """K and V for every layer at `n_ctx` tokens (f16 by default, llama.cpp's default cache type)."""
        k = self.key_length or self.head_dim
        v = self.value_length or k
        if not (k and v and self.n_layers):
            return None
        if self.n_head_kv_per_layer:
            heads = sum(self.n_head_kv_per_layer[: self.n_layers])
        elif self.n_head_kv or self.n_head:
            heads = (self.n_head_kv or self.n_head or 0) * self.n_layers
        else:
            return None
        return n_ctx * heads * (k + v) * bytes_per_element


def format_parameters(count: int) -> str:
    if count >= 1_000_000_000:
        return f"{count / 1e9:.1f}".rstrip("0").rstrip(".") + "B"
    return f"{round(count / 1e6)}M"


class _Reader:
    """Sequential reads with a bound check before each one, so truncation is named with its offset."""

    def __init__(self, handle: BinaryIO, size: int, path: str) -> None:
        self.fh, self.size, self.path, self.pos = handle, size, path, 0
        self.version = 3

    def _need(self, n: int, what: tuple[str, str]) -> None:
        if self.pos + n > self.size:
            raise err.truncated(self.path, self.pos, self.size, what)

    def read(self, n: int, what: tuple[str, str]) -> bytes:
        self._need(n, what)
        data = self.fh.read(n)
        if len(data) != n:  # the file shrank while we read it
            raise err.truncated(self.path, self.pos + len(data), self.size, what)
        self.pos += n
        return data

    def skip(self, n: int, what: tuple[str, str]) -> None:
        self._need(n, what)
        self.fh.seek(n, 1)
        self.pos += n

    def unpack(self, fmt: str, what: tuple[str, str]) -> Any:
        return struct.unpack(fmt, self.read(struct.calcsize(fmt), what))[0]

    def u32(self, what: tuple[str, str]) -> int:
        return self.unpack("<I", what)

    def length(self, what: tuple[str, str]) -> int:
        """Counts and string lengths are 32-bit in GGUF v1, 64-bit since v2."""
        return self.unpack("<I" if self.version == 1 else "<Q", what)

    def string(self, limit: int, what: tuple[str, str], keep: bool = True) -> str | None:
        n = self.length(what)
        if n > limit:
            raise err.absurd(self.path, f"{what[0]} length {n:,} bytes",
                             f"{what[1]}长度 {n:,} 字节", self.pos)
        if not keep:
            self.skip(n, what)
            return None
        return self.read(n, what).decode("utf-8", errors="replace")

    def skip_strings(self, count: int, what: tuple[str, str]) -> None:
        """Skip `count` length-prefixed strings, reading in blocks: vocabularies hold 100k+ of them."""
        width = 4 if self.version == 1 else 8
        fmt = "<I" if width == 4 else "<Q"
        buf, i = b"", 0  # invariant: the file's position is self.pos + len(buf) - i
        for _ in range(count):
            if len(buf) - i < width:
                buf, i = buf[i:] + self.fh.read(1 << 20), 0
                if len(buf) < width:
                    raise err.truncated(self.path, self.pos, self.size, what)
            n = struct.unpack_from(fmt, buf, i)[0]
            if n > MAX_STRING_LENGTH:
                raise err.absurd(self.path, f"{what[0]} length {n:,} bytes",
                                 f"{what[1]}长度 {n:,} 字节", self.pos)
            self.pos += width
            i += width
            if self.pos + n > self.size:
                raise err.truncated(self.path, self.pos, self.size, what)
            if i + n <= len(buf):
                i += n
            else:
                self.fh.seek(n - (len(buf) - i), 1)
                buf, i = b"", 0
            self.pos += n
        self.fh.seek(-(len(buf) - i), 1)


def _precheck(path: Path) -> int:
    if not path.exists():
        raise err.missing(path)
    if not path.is_file():
        raise err.not_gguf(path, "it is a folder, not a file", "它是文件夹，不是文件")
    size = path.stat().st_size
    if size == 0:
        raise err.empty(path)
    with open(path, "rb") as handle:
        head = handle.read(512)
    err.sniff(path, head, size)  # raises for HTML, LFS pointers, JSON errors, other formats
    return size


def read_gguf_info(path: str | Path) -> GGUFInfo:
    """Parse the header of `path`; raise a specific GGUFFileError for anything llama.cpp must not see."""
    path = Path(path)
    size = _precheck(path)
    with open(path, "rb", buffering=1 << 16) as handle:
        return _parse(_Reader(handle, size, str(path)))


def _parse(r: _Reader) -> GGUFInfo:
    r.read(4, ("magic", "文件标识"))
    version = r.u32(("version", "版本号"))
    if version not in KNOWN_VERSIONS or version not in READABLE_VERSIONS:
        raise err.bad_version(r.path, version)
    r.version = version
    tensor_count = r.length(("tensor count", "张量数量"))
    kv_count = r.length(("metadata count", "元数据数量"))
    if tensor_count > MAX_TENSORS:
        raise err.absurd(r.path, f"tensor count {tensor_count:,}", f"张量数量 {tensor_count:,}", 8)
    if kv_count > MAX_KV:
        raise err.absurd(r.path, f"metadata entry count {kv_count:,}", f"元数据条目数 {kv_count:,}", 16)

    metadata: dict[str, Any] = {}
    array_lengths: dict[str, int] = {}
    for index in range(kv_count):
        what = (f"metadata key #{index + 1}", f"第 {index + 1} 个元数据键")
        key = r.string(MAX_KEY_LENGTH, what) or ""
        vtype = r.u32((f"type of {key}", f"{key} 的类型"))
        metadata[key] = _read_value(r, key, vtype, array_lengths)

    tensor_table_offset = r.pos
    tensors = _read_tensor_table(r, tensor_count)
    alignment = metadata.get("general.alignment", 32)
    if not isinstance(alignment, int) or alignment <= 0 or alignment & (alignment - 1):
        raise err.absurd(r.path, f"alignment {alignment!r}", f"对齐值 {alignment!r}", r.pos)
    data_start = (r.pos + alignment - 1) // alignment * alignment
    _check_tensor_data(r, tensors, data_start, alignment)
    info = _info(r, version, tensor_count, kv_count, metadata, array_lengths, tensors)
    return replace(info, tensor_table_offset=tensor_table_offset, data_offset=data_start)


def _read_value(r: _Reader, key: str, vtype: int, array_lengths: dict[str, int]) -> Any:
    what = (f"value of {key}", f"{key} 的值")
    if vtype not in VALUE_TYPES:
        raise err.unknown_type(r.path, key, vtype, r.pos - 4)
    if vtype == STRING:
        if key.startswith("tokenizer.chat_template"):
            return r.string(MAX_STRING_LENGTH, what)
        n = r.length(what)
        if n > MAX_STRING_LENGTH:
            raise err.absurd(r.path, f"length of {key}: {n:,} bytes", f"{key} 的长度 {n:,} 字节", r.pos)
        if n > KEPT_STRING_LENGTH:
            r.skip(n, what)
            return None
        return r.read(n, what).decode("utf-8", errors="replace")
    if vtype == ARRAY:
        etype = r.u32((f"element type of {key}", f"{key} 的元素类型"))
        if etype == ARRAY or etype not in VALUE_TYPES:
            raise err.unknown_type(r.path, key, etype, r.pos - 4, nested=etype == ARRAY)
        count = r.length((f"length of {key}", f"{key} 的长度"))
        if count > MAX_ARRAY_LENGTH:
            raise err.absurd(r.path, f"array {key} with {count:,} items",
                             f"数组 {key} 有 {count:,} 项", r.pos)
        array_lengths[key] = count
        if etype == STRING:
            r.skip_strings(count, what)
            return None
        fmt = VALUE_TYPES[etype][1] or ""
        width = struct.calcsize(fmt)
        if key.endswith(KEPT_ARRAY_KEYS) and count <= 65536:
            data = r.read(width * count, what)
            return list(struct.unpack("<" + fmt[1] * count, data))
        r.skip(width * count, what)
        return None
    return r.unpack(VALUE_TYPES[vtype][1] or "", what)


def _read_tensor_table(r: _Reader, count: int) -> list[tuple[int, int, int]]:
    """(element count, ggml type, offset) of every tensor."""
    tensors = []
    dim_fmt = "<I" if r.version == 1 else "<Q"
    for index in range(count):
        what = (f"tensor #{index + 1} description", f"第 {index + 1} 个张量的描述")
        r.string(MAX_TENSOR_NAME, what, keep=False)
        n_dims = r.u32(what)
        if n_dims == 0 or n_dims > MAX_DIMS:
            raise err.absurd(r.path, f"tensor #{index + 1} with {n_dims} dimensions",
                             f"第 {index + 1} 个张量有 {n_dims} 个维度", r.pos)
        elements = 1
        dims = []
        for _ in range(n_dims):
            dim = r.unpack(dim_fmt, what)
            dims.append(dim)
            elements *= dim
            if elements > MAX_ELEMENTS:
                raise err.absurd(r.path, f"tensor #{index + 1} with {elements:,} elements",
                                 f"第 {index + 1} 个张量有 {elements:,} 个元素", r.pos)
        ggml_type = r.u32(what)
        if ggml_type not in GGML_TYPES:
            raise err.tensor_type(r.path, ggml_type, index + 1)
        _, block, _ = GGML_TYPES[ggml_type]
        if dims[0] % block:
            raise err.absurd(r.path,
                             f"tensor #{index + 1} row of {dims[0]} elements for its block size {block}",
                             f"第 {index + 1} 个张量的行长 {dims[0]} 与块大小 {block} 不符", r.pos)
        offset = r.unpack("<Q", what)
        tensors.append((elements, ggml_type, offset))
    return tensors


def _check_tensor_data(r: _Reader, tensors: list[tuple[int, int, int]], data_start: int,
                       alignment: int) -> None:
    """The weights must lie inside the file: a cut download has a perfect header and missing data."""
    end = data_start
    for index, (elements, ggml_type, offset) in enumerate(tensors):
        if offset % alignment:
            raise err.absurd(r.path, f"tensor #{index + 1} offset {offset:,} not aligned to {alignment}",
                             f"第 {index + 1} 个张量的偏移 {offset:,} 未按 {alignment} 对齐", r.pos)
        _, block, type_size = GGML_TYPES[ggml_type]
        end = max(end, data_start + offset + elements // block * type_size)
    if end > r.size:
        raise err.truncated(r.path, r.size, r.size, ("tensor data", "权重数据"), expected=end)


def _info(r: _Reader, version: int, tensor_count: int, kv_count: int, metadata: dict[str, Any],
          array_lengths: dict[str, int], tensors: list[tuple[int, int, int]]) -> GGUFInfo:
    arch = metadata.get("general.architecture")
    arch = arch if isinstance(arch, str) else None

    def arch_int(suffix: str) -> int | None:
        value = metadata.get(f"{arch}.{suffix}") if arch else None
        if isinstance(value, list):
            value = max(value) if value else None
        return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else None

    parameters = sum(elements for elements, _, _ in tensors)
    size_label = metadata.get("general.size_label")
    file_type = metadata.get("general.file_type")
    file_type = file_type if isinstance(file_type, int) else None
    quantization = FILE_TYPES.get(file_type) if file_type is not None else None
    if quantization is None and tensors:
        # The type holding most of the weights' bytes (2-D tensors, not norms) names the quantization.
        weight_bytes: Counter[int] = Counter()
        for elements, ggml_type, _ in tensors:
            _, block, type_size = GGML_TYPES[ggml_type]
            weight_bytes[ggml_type] += elements // block * type_size
        quantization = GGML_TYPES[weight_bytes.most_common(1)[0][0]][0]
    per_layer = metadata.get(f"{arch}.attention.head_count_kv") if arch else None
    template = metadata.get("tokenizer.chat_template")
    return GGUFInfo(
        path=r.path,
        file_size=r.size,
        version=version,
        architecture=arch,
        name=metadata.get("general.name") if isinstance(metadata.get("general.name"), str) else None,
        parameters=parameters,
        parameters_label=size_label
        if isinstance(size_label, str) and size_label
        else format_parameters(parameters),
        quantization=quantization,
        file_type=file_type,
        context_length=arch_int("context_length"),
        n_layers=arch_int("block_count"),
        embedding_length=arch_int("embedding_length"),
        n_head=arch_int("attention.head_count"),
        n_head_kv=arch_int("attention.head_count_kv"),
        key_length=arch_int("attention.key_length"),
        value_length=arch_int("attention.value_length"),
        chat_template=template if isinstance(template, str) and template.strip() else None,
        tensor_count=tensor_count,
        kv_count=kv_count,
        vocab_size=array_lengths.get("tokenizer.ggml.tokens"),
        n_head_kv_per_layer=tuple(int(x) for x in per_layer) if isinstance(per_layer, list) else None,
        metadata={
            k: v for k, v in metadata.items() if v is not None and not k.startswith("tokenizer.chat_template")
        },
    )
