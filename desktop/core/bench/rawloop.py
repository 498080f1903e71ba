"""The reference decode loop: llama.cpp driven directly through its C API, as `llama-simple` does.

No Engine, no llama-cpp-python high-level class: load the model, create a context, evaluate the prompt
in one batch, then sample with llama.cpp's own sampler chain and decode one token at a time. This is
the closest Python gets to llama.cpp itself, so it is the bar the engine's streaming path is held to.
"""

from __future__ import annotations

import ctypes
import time
from dataclasses import dataclass
from pathlib import Path

import llama_cpp


@dataclass(frozen=True)
class Sampling:
    """The sampling every decode figure uses (the engine's defaults), the same on every side."""

    temperature: float = 0.7
    top_k: int = 40
    top_p: float = 0.9
    min_p: float = 0.05
    repeat_penalty: float = 1.15
    repeat_last_n: int = 64
    seed: int = 1234


@dataclass
class RawRun:
    tokens: list[int]
    text: bytes
    prompt_s: float  # evaluating the prompt
    ttft_s: float  # start to the first sampled token
    decode_s: float  # first sampled token to the last: len(tokens) - 1 decode+sample steps

    @property
    def tokens_per_s(self) -> float:
        steps = len(self.tokens) - 1
        return steps / self.decode_s if steps > 0 and self.decode_s > 0 else 0.0


def eog_tokens(vocab) -> list[int]:
    """Every end-of-generation token (EOS, EOT, <|im_end|>, ...): what `--ignore-eos` bans."""
    return [t for t in range(llama_cpp.llama_vocab_n_tokens(vocab)) if llama_cpp.llama_vocab_is_eog(vocab, t)]


@llama_cpp.llama_log_callback
def _quiet(_level, _text, _user_data):  # noqa: ANN001
    pass  # llama.cpp logs every tensor at load; the benchmark's stderr is for its own progress


def quiet_llama_logs() -> None:
    llama_cpp.llama_log_set(_quiet, ctypes.c_void_p(0))


FLASH_ATTN = {"auto": llama_cpp.LLAMA_FLASH_ATTN_TYPE_AUTO, "on": llama_cpp.LLAMA_FLASH_ATTN_TYPE_ENABLED,
              "off": llama_cpp.LLAMA_FLASH_ATTN_TYPE_DISABLED}


class RawLoop:
    """One model, one context; one sequence (or `n_seq_max` for `step_ms`)."""

    def __init__(self, model_path: str | Path, *, n_ctx: int = 2048, n_threads: int = 2, n_batch: int = 512,
                 flash_attn: str = "auto", n_seq_max: int = 1) -> None:
        llama_cpp.llama_backend_init()
        quiet_llama_logs()
        mparams = llama_cpp.llama_model_default_params()
        self.model = llama_cpp.llama_model_load_from_file(str(model_path).encode(), mparams)
        if not self.model:
            raise RuntimeError(f"llama.cpp could not load {model_path}")
        cparams = llama_cpp.llama_context_default_params()
        cparams.n_ctx = n_ctx
        cparams.n_batch = n_batch
        cparams.n_ubatch = n_batch
        cparams.n_threads = n_threads
        cparams.n_threads_batch = n_threads
        cparams.n_seq_max = n_seq_max
        cparams.kv_unified = True
        cparams.flash_attn_type = FLASH_ATTN[flash_attn]
        cparams.no_perf = True
        self.ctx = llama_cpp.llama_init_from_model(self.model, cparams)
        if not self.ctx:
            llama_cpp.llama_model_free(self.model)
            raise RuntimeError("llama.cpp could not create a context")
        self.vocab = llama_cpp.llama_model_get_vocab(self.model)
        self.n_vocab = llama_cpp.llama_vocab_n_tokens(self.vocab)
        self.n_batch = n_batch
        self.batch = llama_cpp.llama_batch_init(n_batch, 0, 1)
        self._eog = eog_tokens(self.vocab)

    def tokenize(self, text: str) -> list[int]:
        data = text.encode("utf-8")
        buf = (llama_cpp.llama_token * (len(data) + 8))()
        n = llama_cpp.llama_tokenize(self.vocab, data, len(data), buf, len(buf), True, True)
        if n < 0:
            raise RuntimeError("tokenize failed")
        return list(buf[:n])

    def make_chain(self, s: Sampling, ignore_eos: bool):
        chain = llama_cpp.llama_sampler_chain_init(llama_cpp.llama_sampler_chain_default_params())
        add = llama_cpp.llama_sampler_chain_add
        if ignore_eos and self._eog:
            bias = (llama_cpp.llama_logit_bias * len(self._eog))()
            for i, t in enumerate(self._eog):
                bias[i].token = t
                bias[i].bias = float("-inf")
            add(chain, llama_cpp.llama_sampler_init_logit_bias(self.n_vocab, len(self._eog), bias))
        add(chain, llama_cpp.llama_sampler_init_penalties(
            self.n_vocab, s.repeat_last_n, s.repeat_penalty, 0.0, 0.0))
        add(chain, llama_cpp.llama_sampler_init_top_k(s.top_k))
        add(chain, llama_cpp.llama_sampler_init_top_p(s.top_p, 1))
        add(chain, llama_cpp.llama_sampler_init_min_p(s.min_p, 1))
        add(chain, llama_cpp.llama_sampler_init_temp(s.temperature))
        add(chain, llama_cpp.llama_sampler_init_dist(s.seed & 0xFFFFFFFF))
        return chain

    def _decode(self) -> None:
        rc = llama_cpp.llama_decode(self.ctx, self.batch)
        if rc != 0:
            raise RuntimeError(f"llama_decode failed ({rc})")

    def generate(self, prompt: list[int], n_tokens: int, sampling: Sampling = Sampling(),
                 *, ignore_eos: bool = True) -> RawRun:
        """Evaluate `prompt` from an empty cache, then sample and decode `n_tokens` tokens (or until
        an end token when `ignore_eos` is False)."""
        t0 = time.perf_counter()
        llama_cpp.llama_memory_clear(llama_cpp.llama_get_memory(self.ctx), True)
        batch = self.batch
        for start in range(0, len(prompt), self.n_batch):
            chunk = prompt[start : start + self.n_batch]
            batch.n_tokens = len(chunk)
            for i, tok in enumerate(chunk):
                batch.token[i] = tok
                batch.pos[i] = start + i
                batch.n_seq_id[i] = 1
                batch.seq_id[i][0] = 0
                batch.logits[i] = False
            batch.logits[len(chunk) - 1] = start + len(chunk) == len(prompt)
            self._decode()
        t_prompt = time.perf_counter()
        chain = self.make_chain(sampling, ignore_eos)
        buf = ctypes.create_string_buffer(256)
        out: list[int] = []
        pieces: list[bytes] = []
        pos = len(prompt)
        t_first = 0.0
        try:
            batch.n_tokens = 1
            batch.n_seq_id[0] = 1
            batch.seq_id[0][0] = 0
            batch.logits[0] = True
            while True:
                token = llama_cpp.llama_sampler_sample(chain, self.ctx, -1)
                if not out:
                    t_first = time.perf_counter()
                if not ignore_eos and llama_cpp.llama_vocab_is_eog(self.vocab, token):
                    break
                out.append(token)
                n = llama_cpp.llama_token_to_piece(self.vocab, token, buf, 256, 0, False)
                pieces.append(buf.raw[:max(n, 0)])
                if len(out) >= n_tokens:
                    break
                batch.token[0] = token
                batch.pos[0] = pos
                self._decode()
                pos += 1
        finally:
            llama_cpp.llama_sampler_free(chain)
        t_end = time.perf_counter()
        return RawRun(out, b"".join(pieces), t_prompt - t0, (t_first or t_end) - t0,
                      t_end - (t_first or t_end))

    def step_ms(self, prompt: list[int], k: int, steps: int = 8) -> float:
        """Median milliseconds of one llama_decode of k tokens, one per sequence, after a shared prompt:
        what decoding k sequences together costs against one, with no Python around it."""
        self.generate(prompt, 1)  # sequence 0 holds the prompt
        memory = llama_cpp.llama_get_memory(self.ctx)
        for seq in range(1, k):
            llama_cpp.llama_memory_seq_cp(memory, 0, seq, -1, -1)
        batch, times = self.batch, []
        for step in range(steps):
            batch.n_tokens = k
            for seq in range(k):
                batch.token[seq] = prompt[-1]
                batch.pos[seq] = len(prompt) + step
                batch.n_seq_id[seq] = 1
                batch.seq_id[seq][0] = seq
                batch.logits[seq] = True
            t0 = time.perf_counter()
            self._decode()
            times.append(time.perf_counter() - t0)
        llama_cpp.llama_memory_clear(memory, True)
        times.sort()
        return times[len(times) // 2] * 1000

    def close(self) -> None:
        if self.batch is not None:
            llama_cpp.llama_batch_free(self.batch)
            self.batch = None
        if self.ctx:
            llama_cpp.llama_free(self.ctx)
            self.ctx = None
        if self.model:
            llama_cpp.llama_model_free(self.model)
            self.model = None

    def __enter__(self) -> RawLoop:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
