"""A synthetic laptop-class model: the embedded model's tokenizer in a Qwen2.5-1.5B-like body with random
Q4_0 weights, written with the `gguf` package.

Merchants run 1.5B-3B models; the embedded 135M model is compute-bound on a CPU, so it says nothing
about what batching or memory cost them. Weights' values change neither speed nor memory (the same
matrix products run whatever the numbers), so a random model of the right shape is an honest
stand-in when no real one can be downloaded. Its text is noise: figures measured on it say so.

The file is written once per shape into the user's cache folder (never a data folder) and reused, so
runs and tests do not rebuild it; the name carries the shape, the tokenizer and the format version.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

FORMAT_VERSION = 1
ARCH = "qwen2"
Q4_0_BLOCK = 32  # weights per block
Q4_0_BYTES = 18  # an f16 scale and 16 bytes of 4-bit weights


@dataclass(frozen=True)
class Shape:
    """The body of a decoder-only transformer (Qwen2 layout: grouped-query attention with biases,
    SwiGLU feed-forward, tied input and output embeddings)."""

    name: str
    n_layer: int
    n_embd: int
    n_ff: int
    n_head: int
    n_head_kv: int
    n_ctx_train: int = 32768
    rope_base: float = 1_000_000.0

    @property
    def head_dim(self) -> int:
        return self.n_embd // self.n_head

    def key(self) -> str:
        return (f"{self.name}-l{self.n_layer}-e{self.n_embd}-f{self.n_ff}-h{self.n_head}-kv{self.n_head_kv}"
                f"-v{FORMAT_VERSION}")


# Qwen2.5-1.5B-Instruct's body (28 layers, 1536 wide, 8960 feed-forward, 12 query and 2 KV heads).
LAPTOP = Shape("qwen2.5-1.5b-like", 28, 1536, 8960, 12, 2)
# A few megabytes, for tests: the same code path, loaded in a moment.
TINY = Shape("tiny", 2, 128, 256, 4, 2, n_ctx_train=4096)


def cache_dir() -> Path:
    """The user's cache folder for the benchmark (SHOPSCRIBE_CACHE overrides it): outside every data
    folder."""
    import platformdirs

    base = os.environ.get("SHOPSCRIBE_CACHE") or platformdirs.user_cache_dir("Shopscribe", appauthor=False)
    return Path(base) / "bench"


def _tokenizer_fields(source: Path) -> dict:
    """The tokenizer of a GGUF file: every `tokenizer.*` key with its value and type."""
    import gguf

    reader = gguf.GGUFReader(str(source))
    fields = {}
    for name, f in reader.fields.items():
        if not name.startswith("tokenizer."):
            continue
        kind = f.types[0]
        if kind == gguf.GGUFValueType.ARRAY:
            fields[name] = (f.contents(), kind)
        else:
            fields[name] = (f.contents(), kind)
    return fields


def model_path(shape: Shape, tokenizer_source: Path | None = None) -> Path:
    from desktop.core import embedded

    source = Path(tokenizer_source or embedded.embedded_model_path())
    tag = hashlib.sha256(f"{source.name}:{source.stat().st_size}".encode()).hexdigest()[:8]
    return cache_dir() / f"synthetic-{shape.key()}-tok{tag}.gguf"


def pseudo_sha256(path: Path) -> str:
    """A stable identity for a synthetic file (its name says everything that made it), so the engine
    does not hash 0.8 GB to remember settings for a throwaway model."""
    return hashlib.sha256(("synthetic:" + path.name).encode()).hexdigest()


def ensure_model(shape: Shape = LAPTOP, tokenizer_source: Path | None = None, seed: int = 0) -> Path:
    """The synthetic model's file, written once per shape and tokenizer (a lock keeps two writers apart)."""
    from filelock import FileLock

    from desktop.core import embedded

    source = Path(tokenizer_source or embedded.embedded_model_path())
    path = model_path(shape, source)
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(path) + ".lock"):
        if not path.exists():
            part = path.with_name(path.name + ".part")
            write_model(part, shape, source, seed)
            os.replace(part, path)
    return path


def _q4_0(rows: int, cols: int, fan_in: int, rng: np.random.Generator) -> np.ndarray:
    """Random Q4_0 blocks for a rows x cols matrix, scaled so each product keeps its input's size."""
    if cols % Q4_0_BLOCK:
        raise ValueError(f"a Q4_0 row needs a multiple of {Q4_0_BLOCK} weights, not {cols}")
    blocks = cols // Q4_0_BLOCK
    data = rng.integers(0, 256, size=(rows, blocks, Q4_0_BYTES), dtype=np.uint8)
    # 4-bit values 0..15 minus 8 have a standard deviation of about 4.6
    scale = np.float16(1.0 / (4.6 * np.sqrt(fan_in)))
    data[:, :, 0:2] = np.frombuffer(scale.tobytes(), dtype=np.uint8)
    return data.reshape(rows, blocks * Q4_0_BYTES)


def _tensors(shape: Shape, n_vocab: int):
    """(name, kind, rows, cols, fan_in) in the order llama.cpp's converters write them."""
    e, kv = shape.n_embd, shape.n_head_kv * shape.head_dim
    yield "token_embd.weight", "q4", n_vocab, e, 1
    for i in range(shape.n_layer):
        b = f"blk.{i}"
        yield f"{b}.attn_norm.weight", "ones", 1, e, 0
        yield f"{b}.attn_q.weight", "q4", e, e, e
        yield f"{b}.attn_q.bias", "zeros", 1, e, 0
        yield f"{b}.attn_k.weight", "q4", kv, e, e
        yield f"{b}.attn_k.bias", "zeros", 1, kv, 0
        yield f"{b}.attn_v.weight", "q4", kv, e, e
        yield f"{b}.attn_v.bias", "zeros", 1, kv, 0
        yield f"{b}.attn_output.weight", "q4", e, e, e
        yield f"{b}.ffn_norm.weight", "ones", 1, e, 0
        yield f"{b}.ffn_gate.weight", "q4", shape.n_ff, e, e
        yield f"{b}.ffn_up.weight", "q4", shape.n_ff, e, e
        yield f"{b}.ffn_down.weight", "q4", e, shape.n_ff, shape.n_ff
    yield "output_norm.weight", "ones", 1, e, 0


def write_model(path: Path, shape: Shape, tokenizer_source: Path, seed: int = 0) -> None:
    import gguf

    tokenizer = _tokenizer_fields(tokenizer_source)
    n_vocab = len(tokenizer["tokenizer.ggml.tokens"][0])
    writer = gguf.GGUFWriter(str(path), ARCH)
    writer.add_name(f"Shopscribe synthetic {shape.name} (random weights)")
    writer.add_description("Random Q4_0 weights in a Qwen2.5-1.5B-like body, for benchmarks: its text "
                           "is noise. "
                           + str(asdict(shape)))
    writer.add_file_type(gguf.LlamaFileType.MOSTLY_Q4_0)
    writer.add_context_length(shape.n_ctx_train)
    writer.add_embedding_length(shape.n_embd)
    writer.add_block_count(shape.n_layer)
    writer.add_feed_forward_length(shape.n_ff)
    writer.add_head_count(shape.n_head)
    writer.add_head_count_kv(shape.n_head_kv)
    writer.add_rope_freq_base(shape.rope_base)
    writer.add_layer_norm_rms_eps(1e-6)
    writer.add_vocab_size(n_vocab)
    writer.add_quantization_version(gguf.GGML_QUANT_VERSION)
    for name, (value, kind) in tokenizer.items():
        if kind == gguf.GGUFValueType.ARRAY:
            writer.add_array(name, list(value))
        else:
            writer.add_key_value(name, value, kind)
    rng = np.random.default_rng(seed)
    plan = list(_tensors(shape, n_vocab))
    for name, kind, rows, cols, _fan_in in plan:
        if kind == "q4":
            nbytes = rows * cols // Q4_0_BLOCK * Q4_0_BYTES
            writer.add_tensor_info(name, (rows, cols // Q4_0_BLOCK * Q4_0_BYTES), np.dtype(np.uint8), nbytes,
                                   raw_dtype=gguf.GGMLQuantizationType.Q4_0)
        else:
            writer.add_tensor_info(name, (cols,), np.dtype(np.float32), cols * 4)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_ti_data_to_file()
    for _name, kind, rows, cols, fan_in in plan:
        if kind == "q4":
            writer.write_tensor_data(_q4_0(rows, cols, max(fan_in, 1), rng))
        elif kind == "ones":
            writer.write_tensor_data(np.ones(cols, dtype=np.float32))
        else:
            writer.write_tensor_data(np.zeros(cols, dtype=np.float32))
    writer.close()
