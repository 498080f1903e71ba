"""The decoding layer over one llama.cpp context: what the engine's stream, the parallel path and the
benchmark all decode through, so none of them reaches into another's private state.

A `Decoder` fills llama.cpp's batch with (token, position, sequence, wants logits) items, decodes it,
evaluates prompts in chunks that a cancel can cut short, keeps track of which tokens sequence 0 holds
(for prefix reuse between requests), and edits the KV memory per sequence.
"""

from __future__ import annotations

import ctypes
import threading

import llama_cpp

from desktop.core.errors import EngineError, PromptTooLongError

BatchItem = tuple[int, int, int, bool]  # token, position, sequence id, wants logits


class Aborted(Exception):
    """A cancel cut a decode short; the KV state of that batch is unknown."""


# A NULL callback: llama.cpp then skips the check entirely.
_NO_ABORT = llama_cpp.ggml_abort_callback()


class Decoder:
    def __init__(self, ctx, vocab, n_batch: int, n_seq_max: int, cancel: threading.Event) -> None:
        self.ctx = ctx  # llama_cpp._internals.LlamaContext
        self.vocab = vocab
        self.n_batch = n_batch
        self.n_seq_max = n_seq_max
        self.cancel_event = cancel
        self.cached: list[int] = []  # tokens whose KV state sequence 0 holds
        self._batch = llama_cpp.llama_batch_init(n_batch, 0, n_seq_max)
        self._abort_cb = llama_cpp.ggml_abort_callback(lambda _data: cancel.is_set())
        self._pieces: dict[int, bytes] = {}
        self._piece_buf = ctypes.create_string_buffer(64)

    def close(self) -> None:
        if self._batch is not None:
            llama_cpp.llama_batch_free(self._batch)
            self._batch = None

    # ----- tokens ------------------------------------------------------------------------------------------
    def piece(self, token: int) -> bytes:
        """The bytes a token stands for (special tokens: none)."""
        piece = self._pieces.get(token)
        if piece is None:
            buf = self._piece_buf
            n = llama_cpp.llama_token_to_piece(self.vocab, token, buf, len(buf), 0, False)
            if n < 0:
                buf = ctypes.create_string_buffer(-n)
                n = llama_cpp.llama_token_to_piece(self.vocab, token, buf, -n, 0, False)
            piece = self._pieces[token] = buf.raw[:n]
        return piece

    def is_eog(self, token: int) -> bool:
        return bool(llama_cpp.llama_vocab_is_eog(self.vocab, token))

    # ----- batches ------------------------------------------------------------------------------------------
    def fill(self, items: list[BatchItem]) -> None:
        batch = self._batch
        batch.n_tokens = len(items)
        for i, (token, pos, seq, logits) in enumerate(items):
            batch.token[i] = token
            batch.pos[i] = pos
            batch.n_seq_id[i] = 1
            batch.seq_id[i][0] = seq
            batch.logits[i] = logits

    def decode(self, items: list[BatchItem] | None = None) -> None:
        """Decode the batch (filled with `items` when given). Raises Aborted after a cancel."""
        if items is not None:
            self.fill(items)
        rc = llama_cpp.llama_decode(self.ctx.ctx, self._batch)
        if rc == 2 or (rc != 0 and self.cancel_event.is_set()):
            raise Aborted()
        if rc == 1:
            raise PromptTooLongError("The model's context is full. Shorten the input or raise the "
                                     "context length.",
                                     "模型的上下文已满。请缩短输入，或在设置中调大上下文长度。")
        if rc != 0:
            raise EngineError(f"llama.cpp failed to decode (code {rc}).",
                              f"llama.cpp 解码失败（代码 {rc}）。")

    def abortable(self) -> _Abortable:
        """`with decoder.abortable():` a cancel can cut a long decode short. Costs a Python call per graph
        node, so single-token decoding runs without it."""
        return _Abortable(self)

    def eval_prompt(self, tokens: list[int], start: int, seq: int = 0) -> None:
        """Evaluate tokens[start:] for one sequence in chunks; logits for the last token only."""
        with self.abortable():
            for chunk_start in range(start, len(tokens), self.n_batch):
                if self.cancel_event.is_set():
                    raise Aborted()
                chunk = tokens[chunk_start : chunk_start + self.n_batch]
                last = chunk_start + len(chunk) == len(tokens)
                self.decode([(t, chunk_start + i, seq, last and i == len(chunk) - 1) for i,
                             t in enumerate(chunk)])
                if seq == 0:
                    self.cached = tokens[: chunk_start + len(chunk)]

    # ----- KV memory ----------------------------------------------------------------------------------------
    @property
    def memory(self):
        return llama_cpp.llama_get_memory(self.ctx.ctx)

    def seq_rm(self, seq: int, p0: int = -1, p1: int = -1) -> bool:
        return bool(llama_cpp.llama_memory_seq_rm(self.memory, seq, p0, p1))

    def seq_cp(self, src: int, dst: int, p0: int = -1, p1: int = -1) -> None:
        llama_cpp.llama_memory_seq_cp(self.memory, src, dst, p0, p1)

    def keep_prefix(self, tokens: list[int], *, leave_last: bool = True) -> int:
        """Keep sequence 0's KV state for the longest prefix it shares with `tokens` and clear the other
        sequences; returns how many tokens are kept. With `leave_last`, the last token is always left to
        evaluate (its logits are needed)."""
        common = 0
        for a, b in zip(self.cached, tokens):
            if a != b:
                break
            common += 1
        if leave_last:
            common = min(common, len(tokens) - 1)
        if not self.seq_rm(0, common, -1):
            self.seq_rm(0)
            common = 0
        for seq in range(1, self.n_seq_max):
            self.seq_rm(seq)
        self.cached = tokens[:common]
        return common

    def rollback(self) -> None:
        """After an aborted decode the KV state of the last chunk is unknown: drop it all."""
        self.seq_rm(-1)
        self.cached = []


class _Abortable:
    def __init__(self, decoder: Decoder) -> None:
        self.decoder = decoder

    def __enter__(self) -> Decoder:
        llama_cpp.llama_set_abort_callback(self.decoder.ctx.ctx, self.decoder._abort_cb, None)
        return self.decoder

    def __exit__(self, *exc) -> None:
        llama_cpp.llama_set_abort_callback(self.decoder.ctx.ctx, _NO_ABORT, None)
