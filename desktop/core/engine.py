"""The local engine: one llama.cpp model and context, owned by one thread at a time.

Why not `llama_cpp.Llama`? Its generate loop copies logits into Python and samples there; we decode
with llama.cpp's native sampler chain, keep the KV cache of the last prompt so a request that shares a
template's prefix skips it, run several sequences in one context for catalog batches, and cancel
within one token (or one prompt chunk, through llama.cpp's abort callback).

Events from `stream()`: `TextDelta` (never a split multibyte character), then one `Finished`.
"""

from __future__ import annotations

import ctypes
import logging
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import llama_cpp
from llama_cpp import _internals as internals
from llama_cpp.llama_chat_format import Jinja2ChatFormatter

from desktop.core.errors import ModelFileError, PromptTooLongError, ShopscribeError
from desktop.core.generation import Finished, GenerationRequest, TextDelta
from desktop.core.textstream import StopMatcher, Utf8Assembler

log = logging.getLogger(__name__)

DEFAULT_N_CTX = 4096
# ChatML, for models whose GGUF carries no chat template.
FALLBACK_CHAT_TEMPLATE = (
    "{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)


def default_threads() -> int:
    """Physical-ish cores: llama.cpp gains nothing from hyper-threads for decoding."""
    count = os.cpu_count() or 2
    return max(1, count // 2) if count > 4 else count


_LOG_CALLBACK = None


def _route_llama_logs_to_python() -> None:
    """llama.cpp writes to stderr by default; a windowed build may have none. Route it to logging."""
    global _LOG_CALLBACK
    if _LOG_CALLBACK is not None:
        return

    @llama_cpp.llama_log_callback
    def _callback(level, text, _user_data):  # noqa: ANN001
        try:
            log.debug("llama.cpp: %s", text.decode("utf-8", "replace").rstrip())
        except Exception:  # never raise into C
            pass

    _LOG_CALLBACK = _callback
    llama_cpp.llama_log_set(_LOG_CALLBACK, ctypes.c_void_p(0))


def check_model_file(path: Path) -> None:
    """Refuse, with a specific message, any file llama.cpp would abort on or fail to load vaguely.

    The model registry's header reader checks the whole GGUF header with hard limits (empty, HTML,
    LFS pointer, truncated, wrong version, absurd counts ...); llama.cpp only ever sees a file it passed."""
    from desktop.core.models.gguf_header import read_gguf_info

    if path.is_dir():
        raise ModelFileError(f"{path} is a folder, not a model file. / {path} 是文件夹,不是模型文件。")
    read_gguf_info(path)


class Engine:
    """One model, one context. Not thread-safe: one worker thread calls it; `cancel()` is the
    only method other threads may call."""

    def __init__(
        self,
        model_path: str | Path,
        *,
        n_ctx: int = DEFAULT_N_CTX,
        n_threads: int | None = None,
        n_gpu_layers: int = 0,
        n_batch: int = 512,
        n_seq_max: int = 8,
        chat_template: str | None = None,
        model_id: str | None = None,
    ) -> None:
        self.model_path = Path(model_path)
        self.model_id = model_id or self.model_path.stem
        self.n_ctx = n_ctx
        self.n_threads = n_threads or default_threads()
        self.n_gpu_layers = n_gpu_layers
        self.n_batch = n_batch
        self.n_seq_max = n_seq_max
        self._chat_template_override = chat_template
        self._model: internals.LlamaModel | None = None
        self._ctx: internals.LlamaContext | None = None
        self._batch = None
        self._cancel = threading.Event()
        self._cached: list[int] = []  # tokens whose KV state sequence 0 holds
        self._pieces: dict[int, bytes] = {}
        self._eog: list[int] | None = None
        self._sha256: str | None = None
        self.load_seconds: float | None = None
        self.metadata: dict[str, str] = {}

    # ----- lifecycle -------------------------------------------------------------------------
    @property
    def loaded(self) -> bool:
        return self._ctx is not None

    def load(self) -> float:
        """Load the model and create the context; returns the seconds it took."""
        if self.loaded:
            return self.load_seconds or 0.0
        check_model_file(self.model_path)
        _route_llama_logs_to_python()
        start = time.perf_counter()
        mparams = llama_cpp.llama_model_default_params()
        mparams.n_gpu_layers = self.n_gpu_layers
        try:
            self._model = internals.LlamaModel(path_model=str(self.model_path), params=mparams, verbose=False)
        except ValueError as exc:
            raise ModelFileError(
                f"llama.cpp could not load {self.model_path.name}: the file may be damaged or use an "
                f"architecture this version does not support ({exc})."
            ) from exc
        n_train = self._model.n_ctx_train()
        if n_train > 0:
            self.n_ctx = min(self.n_ctx, n_train)
        cparams = llama_cpp.llama_context_default_params()
        cparams.n_ctx = self.n_ctx
        cparams.n_batch = self.n_batch
        cparams.n_ubatch = self.n_batch
        cparams.n_threads = self.n_threads
        cparams.n_threads_batch = self.n_threads
        cparams.n_seq_max = self.n_seq_max
        cparams.kv_unified = True  # sequences share one KV pool, so a shared prefix is stored once
        cparams.no_perf = True
        try:
            self._ctx = internals.LlamaContext(model=self._model, params=cparams, verbose=False)
        except ValueError as exc:
            self._model.close()
            self._model = None
            raise ModelFileError(
                f"Not enough memory for a {self.n_ctx}-token context with {self.model_path.name}. "
                "Lower the context length in Settings or choose a smaller model."
            ) from exc
        self._batch = llama_cpp.llama_batch_init(self.n_batch, 0, self.n_seq_max)
        self._abort_cb = llama_cpp.ggml_abort_callback(lambda _data: self._cancel.is_set())
        self.metadata = self._model.metadata()
        self._vocab = self._model.vocab
        self._formatter = self._make_formatter()
        self.load_seconds = time.perf_counter() - start
        return self.load_seconds

    def close(self) -> None:
        if self._batch is not None:
            llama_cpp.llama_batch_free(self._batch)
            self._batch = None
        if self._ctx is not None:
            self._ctx.close()
            self._ctx = None
        if self._model is not None:
            self._model.close()
            self._model = None
        self._cached = []
        self._pieces = {}
        self._eog = None

    def __enter__(self) -> Engine:
        self.load()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def cancel(self) -> None:
        """Stop the running generation: within one token, or one prompt chunk. Safe from any thread."""
        self._cancel.set()

    @property
    def model_sha256(self) -> str:
        if self._sha256 is None:
            from desktop.core.embedded import sha256_of

            self._sha256 = sha256_of(self.model_path)
        return self._sha256

    # ----- text <-> tokens -------------------------------------------------------------------
    def _make_formatter(self) -> Jinja2ChatFormatter:
        template = self._chat_template_override or self.metadata.get("tokenizer.chat_template")
        self.has_chat_template = bool(template)

        def token_text(key: str) -> str:
            token_id = self.metadata.get(key)
            return self._model.token_get_text(int(token_id)) if token_id not in (None, "") else ""

        return Jinja2ChatFormatter(
            template=template or FALLBACK_CHAT_TEMPLATE,
            eos_token=token_text("tokenizer.ggml.eos_token_id"),
            bos_token=token_text("tokenizer.ggml.bos_token_id"),
        )

    def format_messages(self, messages: list[dict]) -> str:
        """The prompt text, built with the chat template stored in the GGUF."""
        self._require_loaded()
        return self._formatter(messages=messages).prompt

    def tokenize(self, text: str, *, special: bool = True) -> list[int]:
        self._require_loaded()
        data = text.encode("utf-8")
        add_bos = self._model.add_bos_token()
        bos_id = self._model.token_bos()
        bos_text = self._model.token_get_text(bos_id) if bos_id >= 0 else ""
        if add_bos and bos_text and text.startswith(bos_text):
            add_bos = False  # the chat template already wrote it
        return self._model.tokenize(data, add_bos, special)

    def count_tokens(self, text: str) -> int:
        return len(self.tokenize(text))

    def prompt_tokens(self, request: GenerationRequest) -> list[int]:
        if request.prompt is not None:
            return self.tokenize(request.prompt)
        if not request.messages:
            raise ShopscribeError("Nothing to generate: the request has neither messages nor a prompt.")
        return self.tokenize(self.format_messages(request.messages))

    def _piece(self, token: int) -> bytes:
        piece = self._pieces.get(token)
        if piece is None:
            buf = ctypes.create_string_buffer(64)
            n = llama_cpp.llama_token_to_piece(self._vocab, token, buf, 64, 0, False)
            if n < 0:
                buf = ctypes.create_string_buffer(-n)
                n = llama_cpp.llama_token_to_piece(self._vocab, token, buf, -n, 0, False)
            piece = self._pieces[token] = buf.raw[:n]
        return piece

    def eog_tokens(self) -> list[int]:
        """Every end-of-generation token of the vocabulary (EOS, EOT, <|im_end|>, ...)."""
        if self._eog is None:
            is_eog, vocab = llama_cpp.llama_vocab_is_eog, self._vocab
            self._eog = [t for t in range(self._model.n_vocab()) if is_eog(vocab, t)]
        return self._eog

    def _require_loaded(self) -> None:
        if not self.loaded:
            raise ShopscribeError("The model is not loaded yet.")

    # ----- sampling & decoding ---------------------------------------------------------------
    def make_sampler(self, request: GenerationRequest):
        """llama.cpp's own sampler chain: penalties, top-k, top-p, min-p, temperature, dist; with a
        grammar, wrapped so the grammar is consulted per chosen token (see sampling.py)."""
        chain = self._make_chain(request)
        if not request.grammar:
            return chain
        from desktop.core.sampling import GrammarSampler

        try:
            return GrammarSampler(chain, self._vocab, self._model.n_vocab(), request.grammar)
        except ValueError as exc:
            raise ShopscribeError(f"The output grammar is not valid GBNF: {exc}") from exc

    def _make_chain(self, request: GenerationRequest) -> internals.LlamaSampler:
        chain = internals.LlamaSampler()
        if request.ignore_eos:  # as llama.cpp's --ignore-eos: every end token gets a -inf logit bias
            chain.add_logit_bias(self._model.n_vocab(), {t: float("-inf") for t in self.eog_tokens()})
        if request.repeat_penalty and request.repeat_penalty != 1.0:
            chain.add_penalties(self._model.n_vocab(), request.repeat_last_n, request.repeat_penalty, 0.0, 0.0)
        if request.temperature <= 0:
            chain.add_greedy()
            return chain
        chain.add_top_k(request.top_k)
        chain.add_top_p(request.top_p, 1)
        if request.min_p > 0:
            chain.add_min_p(request.min_p, 1)
        chain.add_temp(request.temperature)
        seed = request.seed if request.seed is not None else llama_cpp.LLAMA_DEFAULT_SEED
        chain.add_dist(seed & 0xFFFFFFFF)
        return chain

    def _set_batch(self, items: list[tuple[int, int, int, bool]]) -> None:
        """items: (token, position, sequence id, wants logits)."""
        batch = self._batch
        batch.n_tokens = len(items)
        for i, (token, pos, seq, logits) in enumerate(items):
            batch.token[i] = token
            batch.pos[i] = pos
            batch.n_seq_id[i] = 1
            batch.seq_id[i][0] = seq
            batch.logits[i] = logits

    def _decode(self) -> None:
        rc = llama_cpp.llama_decode(self._ctx.ctx, self._batch)
        if rc == 2 or (rc != 0 and self._cancel.is_set()):
            raise _Aborted()
        if rc == 1:
            raise PromptTooLongError("The model's context is full. Shorten the input or raise the context length.")
        if rc != 0:
            raise ShopscribeError(f"llama.cpp failed to decode (code {rc}).")

    def _memory(self):
        return llama_cpp.llama_get_memory(self._ctx.ctx)

    def _eval_prompt(self, tokens: list[int], start: int, seq: int = 0) -> None:
        """Evaluate tokens[start:] for one sequence in chunks; logits for the last token only.

        The abort callback is on only here: it lets a cancel cut a long chunk short, and costs a
        Python call per graph node, which single-token decoding should not pay."""
        llama_cpp.llama_set_abort_callback(self._ctx.ctx, self._abort_cb, None)
        try:
            for chunk_start in range(start, len(tokens), self.n_batch):
                if self._cancel.is_set():
                    raise _Aborted()
                chunk = tokens[chunk_start : chunk_start + self.n_batch]
                last = chunk_start + len(chunk) == len(tokens)
                self._set_batch(
                    [(t, chunk_start + i, seq, last and i == len(chunk) - 1) for i, t in enumerate(chunk)]
                )
                self._decode()
                if seq == 0:
                    self._cached = tokens[: chunk_start + len(chunk)]
        finally:
            llama_cpp.llama_set_abort_callback(self._ctx.ctx, _NO_ABORT, None)

    def _reuse_prefix(self, tokens: list[int]) -> int:
        """Keep sequence 0's KV state for the longest prefix shared with the last prompt."""
        common = 0
        for a, b in zip(self._cached, tokens):
            if a != b:
                break
            common += 1
        common = min(common, len(tokens) - 1)  # the last prompt token must be evaluated for logits
        mem = self._memory()
        if not llama_cpp.llama_memory_seq_rm(mem, 0, common, -1):
            llama_cpp.llama_memory_seq_rm(mem, 0, -1, -1)
            common = 0
        for seq in range(1, self.n_seq_max):
            llama_cpp.llama_memory_seq_rm(mem, seq, -1, -1)
        self._cached = tokens[:common]
        return common

    def check_fits(self, n_prompt: int) -> None:
        if n_prompt >= self.n_ctx - 1:
            raise PromptTooLongError(
                f"The prompt is {n_prompt} tokens but the model's context holds {self.n_ctx}. "
                "Shorten the product fields or raise the context length in Settings."
            )

    def stream(self, request: GenerationRequest) -> Iterator[TextDelta | Finished]:
        """Generate text, yielding deltas as they form, then a `Finished` with the statistics."""
        self._require_loaded()
        self._cancel.clear()
        t_start = time.perf_counter()
        tokens = self.prompt_tokens(request)
        self.check_fits(len(tokens))
        max_new = max(0, min(request.max_tokens, self.n_ctx - len(tokens)))
        cached = self._reuse_prefix(tokens)
        text_parts: list[str] = []
        n_gen = 0
        t_first = None
        stop_reason = "length"
        try:
            self._eval_prompt(tokens, cached)
        except _Aborted:
            self._rollback()
            yield Finished("", len(tokens), 0, 0.0, 0.0, "cancelled", time.perf_counter() - t_start, cached)
            return
        t_prompt = time.perf_counter()
        sampler = self.make_sampler(request)
        utf8 = Utf8Assembler()
        stops = StopMatcher(request.stop)
        pos = len(tokens)
        is_eog = llama_cpp.llama_vocab_is_eog
        try:
            while n_gen < max_new:
                if self._cancel.is_set():
                    stop_reason = "cancelled"
                    break
                token = sampler.sample(self._ctx, -1)
                if t_first is None:
                    t_first = time.perf_counter()
                if is_eog(self._vocab, token):
                    stop_reason = "end"
                    break
                n_gen += 1
                text = stops.feed(utf8.feed(self._piece(token)))
                if text:
                    text_parts.append(text)
                    yield TextDelta(text)
                if stops.stopped:
                    stop_reason = "stop"
                    break
                if n_gen >= max_new:
                    break
                self._set_batch([(token, pos, 0, True)])
                self._decode()
                self._cached.append(token)
                pos += 1
        except _Aborted:
            stop_reason = "cancelled"
            self._rollback()
        finally:
            sampler.close()
        tail = "" if stop_reason == "stop" else stops.feed(utf8.flush()) + stops.flush()
        if tail:
            text_parts.append(tail)
            yield TextDelta(tail)
        t_end = time.perf_counter()
        t_first = t_first or t_end
        gen_time = t_end - t_prompt
        yield Finished(
            text="".join(text_parts),
            prompt_tokens=len(tokens),
            completion_tokens=n_gen,
            ttft_s=t_first - t_start,
            tokens_per_s=n_gen / gen_time if gen_time > 0 and n_gen else 0.0,
            stop_reason=stop_reason,
            total_s=t_end - t_start,
            cached_tokens=cached,
        )

    def generate(self, request: GenerationRequest) -> Finished:
        """Run `stream()` to the end and return its `Finished`."""
        for event in self.stream(request):
            if isinstance(event, Finished):
                return event
        raise AssertionError("stream() ended without a Finished event")

    def _rollback(self) -> None:
        """After an aborted decode the KV state of the last chunk is unknown: drop it all."""
        llama_cpp.llama_memory_seq_rm(self._memory(), -1, -1, -1)
        self._cached = []

    def generate_batch(self, requests: list[GenerationRequest], on_event=None) -> list[Finished]:
        """Several requests decoded together as parallel sequences (see engine_batch.py)."""
        from desktop.core.engine_batch import generate_parallel

        return generate_parallel(self, requests, on_event)


class _Aborted(Exception):
    pass


# A NULL callback: llama.cpp then skips the check entirely.
_NO_ABORT = llama_cpp.ggml_abort_callback()
