"""Grammar-constrained sampling at nearly the speed of unconstrained sampling.

A GBNF grammar checked against all ~50,000 vocabulary entries at every step halves decoding speed.
Like llama.cpp's own common sampler, we first sample with the ordinary chain, then ask the grammar
about that one token; only when the grammar rejects it do we constrain the full vocabulary and sample
again. The model usually proposes a valid token, so the expensive path is rare.
"""

from __future__ import annotations

import ctypes

import llama_cpp
import numpy as np

_TOKEN_DATA = np.dtype([("id", "<i4"), ("logit", "<f4"), ("p", "<f4")])
assert _TOKEN_DATA.itemsize == ctypes.sizeof(llama_cpp.llama_token_data)


class GrammarSampler:
    """Same interface as a llama.cpp sampler chain wrapper: `sample(ctx, idx)` and `close()`."""

    def __init__(self, chain, vocab, n_vocab: int, grammar: str, root: str = "root") -> None:
        self.chain = chain  # the ordinary chain, without the grammar
        self.grammar = llama_cpp.llama_sampler_init_grammar(vocab, grammar.encode("utf-8"), root.encode("utf-8"))
        if not self.grammar:
            chain.close()
            raise ValueError("llama.cpp refused the grammar")
        self.n_vocab = n_vocab
        self._cands = np.zeros(n_vocab, dtype=_TOKEN_DATA)
        self._ids = np.arange(n_vocab, dtype=np.int32)
        self._data = ctypes.cast(self._cands.ctypes.data, ctypes.POINTER(llama_cpp.llama_token_data))
        self._array = llama_cpp.llama_token_data_array(data=self._data, size=n_vocab, selected=-1, sorted=False)
        self._one = (llama_cpp.llama_token_data * 1)()
        self._one_array = llama_cpp.llama_token_data_array(data=self._one, size=1, selected=-1, sorted=False)
        self.resamples = 0  # how often the grammar rejected the first choice (for tests and tuning)

    def _reset_candidates(self, ctx, idx: int) -> None:
        logits = llama_cpp.llama_get_logits_ith(ctx.ctx, idx)
        self._cands["id"] = self._ids  # samplers sort the candidates in place
        self._cands["logit"] = np.ctypeslib.as_array(logits, shape=(self.n_vocab,))
        self._cands["p"] = 0.0
        self._array.data = self._data  # a sampler (top-k) may have pointed it at its own buffer
        self._array.size = self.n_vocab
        self._array.selected = -1
        self._array.sorted = False

    def _apply(self, sampler) -> int:
        llama_cpp.llama_sampler_apply(sampler, ctypes.byref(self._array))
        return int(self._array.data[self._array.selected].id)

    def sample(self, ctx, idx: int = -1) -> int:
        self._reset_candidates(ctx, idx)
        token = self._apply(self.chain.sampler)
        self._one[0].id, self._one[0].logit, self._one[0].p = token, 1.0, 0.0
        self._one_array.data, self._one_array.size, self._one_array.selected = self._one, 1, -1
        llama_cpp.llama_sampler_apply(self.grammar, ctypes.byref(self._one_array))
        if self._one[0].logit == float("-inf"):
            self.resamples += 1
            self._reset_candidates(ctx, idx)
            llama_cpp.llama_sampler_apply(self.grammar, ctypes.byref(self._array))
            token = self._apply(self.chain.sampler)
        llama_cpp.llama_sampler_accept(self.grammar, token)
        llama_cpp.llama_sampler_accept(self.chain.sampler, token)
        return token

    def close(self) -> None:
        if self.grammar:
            llama_cpp.llama_sampler_free(self.grammar)
            self.grammar = None
        self.chain.close()
