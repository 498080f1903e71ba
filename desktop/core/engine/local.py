"""The local engine: one llama.cpp model and context in this process. Only the engine host runs it
(host.py); the window and the command line talk to the host (client.py), so a crash in llama.cpp
never takes them down.

Why not `llama_cpp.Llama`? Its generate loop copies logits into Python and samples there; we decode
with llama.cpp's native sampler chain, keep the KV cache of the last prompt so a request that shares a
template's prefix skips it, run several sequences in one context for catalog batches, and cancel
within one token (or one prompt chunk, through llama.cpp's abort callback).

Events from `stream()`: `TextDelta` (never a split or invalid multibyte character), then one `Finished`.
"""

from __future__ import annotations

import ctypes
import json
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import llama_cpp
from llama_cpp import _internals as internals
from llama_cpp.llama_chat_format import Jinja2ChatFormatter

from desktop.core.engine import cleared_kv
from desktop.core.engine.decoding import Aborted, Decoder
from desktop.core.engine.interface import EventCallback, Finished, GenerationRequest, TextDelta, check_fits
from desktop.core.engine.options import check_model_file
from desktop.core.engine.sampling import Adjustments, Cuts, Sampler, build_chain
from desktop.core.errors import EngineError, ModelFileError
from desktop.core.textstream import StopMatcher, Utf8Assembler

log = logging.getLogger(__name__)

DEFAULT_N_CTX = 4096
# llama.cpp splits each batch into micro-batches of this many tokens on a CPU. Its compute buffer holds
# one micro-batch's activations, and the CPU's matrix kernels already run at full speed on 128-token
# tiles, so a larger one costs memory (resident once a long prompt has been read) and gains no speed.
# A GPU reads a long prompt faster in bigger steps: there the micro-batch is the whole batch.
CPU_UBATCH = 128

FLASH_ATTN = {"auto": llama_cpp.LLAMA_FLASH_ATTN_TYPE_AUTO, "on": llama_cpp.LLAMA_FLASH_ATTN_TYPE_ENABLED,
              "off": llama_cpp.LLAMA_FLASH_ATTN_TYPE_DISABLED}
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
_LOG_LISTENERS: list[Callable[[str], None]] = []  # also given each line (cleared_kv reads the cache sizes)


def _route_llama_logs_to_python() -> None:
    """llama.cpp writes to stderr by default; a windowed build may have none. Route it to logging."""
    global _LOG_CALLBACK
    if _LOG_CALLBACK is not None:
        return

    @llama_cpp.llama_log_callback
    def _callback(level, text, _user_data):  # noqa: ANN001
        try:
            line = text.decode("utf-8", "replace").rstrip()
            log.debug("llama.cpp: %s", line)
            for listener in _LOG_LISTENERS:
                listener(line)
        except Exception:  # never raise into C
            pass

    _LOG_CALLBACK = _callback
    llama_cpp.llama_log_set(_LOG_CALLBACK, ctypes.c_void_p(0))


def schema_grammar(schema: dict) -> str:
    """GBNF that holds the model to a JSON schema (properties in the schema's order)."""
    from llama_cpp.llama_grammar import json_schema_to_gbnf

    return json_schema_to_gbnf(json.dumps(schema), prop_order=list(schema.get("properties", {})))


class LocalEngine:
    """One model, one context. Not thread-safe: one thread calls it; `cancel()` is the only method
    other threads may call. `fault(point)`, when set, is called at "prompt" and each "decode" step
    (the engine host's fault switch, for crash tests)."""

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
        flash_attn: str = "auto",
        use_extra_bufts: bool = True,
        model_sha256: str | None = None,
    ) -> None:
        self.model_path = Path(model_path)
        self.model_id = model_id or self.model_path.stem
        self.n_ctx = n_ctx
        self.n_threads = n_threads or default_threads()
        self.n_gpu_layers = n_gpu_layers
        self.n_batch = n_batch
        self.n_seq_max = n_seq_max
        self.flash_attn = flash_attn if flash_attn in FLASH_ATTN else "auto"
        self.use_extra_bufts = use_extra_bufts
        self._chat_template_override = chat_template
        self._model: internals.LlamaModel | None = None
        self._ctx: internals.LlamaContext | None = None
        self.decoder: Decoder | None = None
        self._cancel = threading.Event()
        self._eog: list[int] | None = None
        self._grammars: dict[str, str] = {}
        self._sha256 = model_sha256
        self.load_seconds: float | None = None
        self.metadata: dict[str, str] = {}
        self.notice: str | None = None
        self.fault: Callable[[str], None] | None = None
        # Set by the engine host, where only the loading thread touches the new context (cleared_kv.py):
        # the KV cache that llama.cpp clears at load then costs memory only as it fills.
        self.release_cleared_kv = False
        self.released_bytes = 0

    # ----- lifecycle -------------------------------------------------------------------------
    @property
    def loaded(self) -> bool:
        return self._ctx is not None

    @property
    def n_ubatch(self) -> int:
        return self.n_batch if self.n_gpu_layers else min(self.n_batch, CPU_UBATCH)

    def load(self) -> float:
        """Load the model and create the context; returns the seconds it took."""
        if self.loaded:
            return self.load_seconds or 0.0
        check_model_file(self.model_path)
        _route_llama_logs_to_python()
        start = time.perf_counter()
        mparams = llama_cpp.llama_model_default_params()
        mparams.n_gpu_layers = self.n_gpu_layers
        mparams.use_extra_bufts = self.use_extra_bufts
        try:
            self._model = internals.LlamaModel(path_model=str(self.model_path), params=mparams, verbose=False)
        except ValueError as exc:
            raise ModelFileError(
                f"llama.cpp could not load {self.model_path.name}: the file may be damaged or use an "
                f"architecture this version does not support ({exc}).",
                f"llama.cpp 无法加载 {self.model_path.name}：文件可能已损坏，或其架构不受此版本"
                f"支持（{exc}）。",
            ) from exc
        n_train = self._model.n_ctx_train()
        if n_train > 0:
            self.n_ctx = min(self.n_ctx, n_train)
        cparams = llama_cpp.llama_context_default_params()
        cparams.n_ctx = self.n_ctx
        cparams.n_batch = self.n_batch
        cparams.n_ubatch = self.n_ubatch
        cparams.n_threads = self.n_threads
        cparams.n_threads_batch = self.n_threads
        cparams.n_seq_max = self.n_seq_max
        cparams.flash_attn_type = FLASH_ATTN[self.flash_attn]
        cparams.kv_unified = True  # sequences share one KV pool, so a shared prefix is stored once
        cparams.no_perf = True
        # On the CPU only: with GPU offload the cache lives on the device.
        release = self.release_cleared_kv and not self.n_gpu_layers
        before = cleared_kv.mapped_ranges() if release else []
        lines: list[str] = []
        if release:
            _LOG_LISTENERS.append(lines.append)
        try:
            self._ctx = internals.LlamaContext(model=self._model, params=cparams, verbose=False)
        except ValueError as exc:
            self._model.close()
            self._model = None
            raise ModelFileError(
                f"Not enough memory for a {self.n_ctx}-token context with {self.model_path.name}. "
                "Lower the context length in Settings or choose a smaller model.",
                f"内存不足，无法为 {self.model_path.name} 建立 {self.n_ctx} 个 token 的上下文。"
                "请在设置中调小上下文长度，或选择更小的模型。",
            ) from exc
        finally:
            if release:
                _LOG_LISTENERS.remove(lines.append)
        if release:
            self.released_bytes = cleared_kv.release_cleared_kv(before, lines)
        self._vocab = self._model.vocab
        self.decoder = Decoder(self._ctx, self._vocab, self.n_batch, self.n_seq_max, self._cancel)
        self.metadata = self._model.metadata()
        self._formatter = self._make_formatter()
        self.load_seconds = time.perf_counter() - start
        return self.load_seconds

    def close(self) -> None:
        if self.decoder is not None:
            self.decoder.close()
            self.decoder = None
        if self._ctx is not None:
            self._ctx.close()
            self._ctx = None
        if self._model is not None:
            self._model.close()
            self._model = None
        self._eog = None

    def __enter__(self) -> LocalEngine:
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

    def info(self) -> dict[str, Any]:
        return {
            "model_id": self.model_id, "path": str(self.model_path), "seconds": self.load_seconds or 0.0,
            "n_ctx": self.n_ctx, "n_threads": self.n_threads, "n_gpu_layers": self.n_gpu_layers,
            "n_batch": self.n_batch, "n_ubatch": self.n_ubatch, "n_seq_max": self.n_seq_max,
            "flash_attn": self.flash_attn,
            "use_extra_bufts": self.use_extra_bufts, "notice": self.notice,
            "released_bytes": self.released_bytes,
            "llama_cpp": llama_cpp.__version__, "pid": os.getpid(),
        }

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
            raise EngineError("Nothing to generate: the request has neither messages nor a prompt.",
                              "没有可生成的内容：请求既没有消息也没有提示词。")
        return self.tokenize(self.format_messages(request.messages))

    def count_prompt_tokens(self, request: GenerationRequest) -> int:
        return len(self.prompt_tokens(request))

    def piece(self, token: int) -> bytes:
        return self.decoder.piece(token)

    def eog_tokens(self) -> list[int]:
        """Every end-of-generation token of the vocabulary (EOS, EOT, <|im_end|>, ...)."""
        if self._eog is None:
            is_eog, vocab = llama_cpp.llama_vocab_is_eog, self._vocab
            self._eog = [t for t in range(self._model.n_vocab()) if is_eog(vocab, t)]
        return self._eog

    def _end_token(self) -> int | None:
        for token in (llama_cpp.llama_vocab_eos(self._vocab), llama_cpp.llama_vocab_eot(self._vocab)):
            if token >= 0:
                return int(token)
        eog = self.eog_tokens()
        return eog[0] if eog else None

    def _require_loaded(self) -> None:
        if not self.loaded:
            raise EngineError("The model is not loaded yet.", "模型尚未加载。")

    def check_fits(self, n_prompt: int) -> None:
        check_fits(n_prompt, self.n_ctx)

    # ----- sampling --------------------------------------------------------------------------
    def grammar_for(self, request: GenerationRequest) -> str | None:
        if request.grammar:
            return request.grammar
        if not request.json_schema:
            return None
        key = json.dumps([request.json_schema, request.script], sort_keys=True)
        if key not in self._grammars:
            grammar = schema_grammar(request.json_schema)
            if request.script:
                from desktop.core.content.script_grammar import with_script_strings

                grammar = with_script_strings(grammar, request.script)
            self._grammars[key] = grammar
        return self._grammars[key]

    def make_sampler(self, request: GenerationRequest) -> Sampler:
        """llama.cpp's own sampler chain after our bias and penalties; with a grammar, consulted per chosen
        token (see sampling.py)."""
        n_vocab = self._model.n_vocab()
        chain = build_chain(request, n_vocab, self.eog_tokens, self._vocab, self.n_ctx)
        try:
            return Sampler(chain, self._vocab, n_vocab, self.grammar_for(request), cuts=Cuts.of(request),
                           adjust=Adjustments.of(request, n_vocab, self.eog_tokens),
                           end_token=self._end_token())
        except ValueError as exc:
            raise EngineError(f"The output grammar is not valid GBNF: {exc}",
                              f"输出语法不是有效的 GBNF：{exc}") from exc

    # ----- generation ------------------------------------------------------------------------
    def stream(self, request: GenerationRequest) -> Iterator[TextDelta | Finished]:
        """Generate text, yielding deltas as they form, then a `Finished` with the statistics."""
        self._require_loaded()
        self._cancel.clear()
        decoder = self.decoder
        t_start = time.perf_counter()
        tokens = self.prompt_tokens(request)
        self.check_fits(len(tokens))
        max_new = max(0, min(request.max_tokens, self.n_ctx - len(tokens)))
        cached = decoder.keep_prefix(tokens)
        text_parts: list[str] = []
        n_gen = 0
        t_first = None
        stop_reason = "length"
        sampler = self.make_sampler(request)
        try:
            if self.fault:
                self.fault("prompt")
            decoder.eval_prompt(tokens, cached)
        except Aborted:
            sampler.close()
            decoder.rollback()
            yield Finished("", len(tokens), 0, 0.0, 0.0, "cancelled", time.perf_counter() - t_start, cached)
            return
        t_prompt = time.perf_counter()
        utf8 = Utf8Assembler()
        stops = StopMatcher(request.stop)
        pos = len(tokens)
        accept = lambda token: utf8.accepts(decoder.piece(token))  # noqa: E731
        try:
            while n_gen < max_new:
                if self._cancel.is_set():
                    stop_reason = "cancelled"
                    break
                token = sampler.sample(self._ctx, -1, accept)
                if t_first is None:
                    t_first = time.perf_counter()
                if decoder.is_eog(token):
                    stop_reason = "end"
                    break
                n_gen += 1
                text = stops.feed(utf8.feed(decoder.piece(token)))
                if text:
                    text_parts.append(text)
                    yield TextDelta(text)
                if stops.stopped:
                    stop_reason = "stop"
                    break
                if n_gen >= max_new:
                    break
                if self.fault:
                    self.fault("decode")
                decoder.decode([(token, pos, 0, True)])
                decoder.cached.append(token)
                pos += 1
        except Aborted:
            stop_reason = "cancelled"
            decoder.rollback()
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

    def generate_batch(self, requests: list[GenerationRequest],
                       on_event: EventCallback | None = None) -> list[Finished]:
        """Several requests decoded together as parallel sequences (see parallel.py)."""
        from desktop.core.engine.parallel import generate_parallel

        return generate_parallel(self, requests, on_event)
