"""Choosing each token: llama.cpp's own sampler chain, plus two vetoes checked on the chosen token.

The logit bias and the repetition penalty come first, applied by `Adjustments` to the step's logits in
place: the same arithmetic as llama.cpp's logit-bias and penalties samplers, in the same order, but on
the few tokens concerned. llama.cpp's penalties sampler looks every vocabulary entry (about 49,000 for
the embedded model) up in a hash map at every step: a noticeable part of a small model's decoding
step, and once per sequence in a batch. The chain proper starts at DRY or top-k.

- A grammar (structured output). Checking a GBNF grammar against all ~50,000 vocabulary entries at every
  step halves decoding speed. Like llama.cpp's common sampler, we first sample with the ordinary chain,
  then ask the grammar about that one token; only when it rejects the token do we constrain and sample
  again. The model usually proposes a valid token, so that path is rare, but a JSON answer still takes
  it every few tokens, and checking the whole vocabulary takes several milliseconds: most of a
  decoding step for a small model. So a resample first lets the grammar check only the
  best-scoring WINDOW tokens (after the bias and penalties). When the chain's cuts (top-k, then top-p, then
  min-p, or greedy) would keep the same tokens from those as from the whole vocabulary, whatever
  the tokens left out are, the chain draws from the window; else the grammar checks every token
  (`Cuts.window_decides` does the arithmetic). The draw is then the same as the full check's, up to
  rounding.
- Valid UTF-8. Small models sometimes pick byte tokens that can never form a character (a lead byte
  followed by another lead byte). The caller's `accept(token)` says whether the token keeps the text
  valid; a rejected token is banned and the step sampled again. No U+FFFD ever reaches a result.

Only the engine host imports this module (it loads llama.cpp).
"""

from __future__ import annotations

import ctypes
import math
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

import llama_cpp
import numpy as np
from llama_cpp import _internals as internals

_TOKEN_DATA = np.dtype([("id", "<i4"), ("logit", "<f4"), ("p", "<f4")])
assert _TOKEN_DATA.itemsize == ctypes.sizeof(llama_cpp.llama_token_data)

MAX_BANNED_RESAMPLES = 8  # then the best-scoring acceptable token is taken outright
WINDOW = 2048  # tokens the grammar checks first on a resample (of ~50,000)
# The samplers that only change logits; the chain's top-k (or greedy) and what follows choose the token.
_ADJUSTERS = {"logit-bias", "penalties", "?penalties", "dry", "?dry"}
Accept = Callable[[int], bool]


# Where a repeat stops counting for DRY: a line break, a colon, a quote, an asterisk (llama.cpp's own
# defaults), so "Material:" lines or quoted specs in a list are not treated as one long repeat.
DRY_BREAKERS = ("\n", ":", "\"", "*")


def bias_of(request, eog_tokens: Callable[[], list[int]]) -> dict[int, float]:
    bias = dict(request.logit_bias or {})
    if request.ignore_eos:  # as llama.cpp's --ignore-eos: every end token gets a -inf logit bias
        bias.update({t: float("-inf") for t in eog_tokens()})
    return bias


def penalizes(request) -> bool:
    return bool(request.repeat_penalty) and request.repeat_penalty != 1.0 and request.repeat_last_n > 0


def build_chain(request, n_vocab: int, eog_tokens: Callable[[], list[int]],
                vocab=None, n_ctx: int = 0, *, native_adjustments: bool = False) -> internals.LlamaSampler:
    """llama.cpp's sampler chain for a request: DRY (needs the model's `vocab`), top-k, top-p, min-p,
    temperature, dist; greedy at temperature 0. The bias and the penalties come before it, from
    `Adjustments`; `native_adjustments` puts llama.cpp's own samplers for them at the chain's head
    instead (the order is llama.cpp's common one either way: the penalties come before greedy too)."""
    chain = internals.LlamaSampler()
    if native_adjustments:
        bias = bias_of(request, eog_tokens)
        if bias:
            chain.add_logit_bias(n_vocab, bias)
        if penalizes(request):
            chain.add_penalties(n_vocab, request.repeat_last_n, request.repeat_penalty, 0.0, 0.0)
    if vocab is not None and getattr(request, "dry_multiplier", 0) > 0:
        add_dry(chain, vocab, request, n_ctx)
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


def _float32(value: float) -> float:
    return float(np.float32(value))


class Adjustments:
    """The logit bias, then the repetition penalty over the last `last_n` accepted tokens, written into
    a step's logits before the chain reads them: llama.cpp's logit-bias and penalties samplers, touching
    only the biased and the recent tokens. A penalized logit is multiplied by the penalty when it is at
    most 0, else divided. Python computes in double precision and stores float32: for one addition,
    multiplication or division of float32 values that gives the float32 result llama.cpp computes.
    A plain loop, not numpy: right after a decode has streamed the weights through the caches, each
    numpy call costs tens of microseconds, and the loop over a few dozen tokens a fraction of that."""

    def __init__(self, n_vocab: int, bias: dict[int, float], last_n: int = 0, penalty: float = 1.0) -> None:
        # As in llama.cpp, a token outside the vocabulary matches no candidate.
        self.bias = [(int(t), _float32(b)) for t, b in bias.items() if 0 <= int(t) < n_vocab]
        self.last_n = last_n if penalty != 1.0 else 0
        self.penalty = _float32(penalty)
        self.recent: deque[int] = deque()
        self.counts: dict[int, int] = {}

    @classmethod
    def of(cls, request, n_vocab: int, eog_tokens: Callable[[], list[int]]) -> Adjustments | None:
        bias = bias_of(request, eog_tokens)
        last_n = request.repeat_last_n if penalizes(request) else 0
        if not bias and not last_n:
            return None
        return cls(n_vocab, bias, last_n, request.repeat_penalty)

    def apply(self, ctx, idx: int) -> None:
        """Once per step and sequence, before anything samples from the row."""
        row = llama_cpp.llama_get_logits_ith(ctx.ctx, idx)
        if not row:
            raise RuntimeError(f"llama.cpp holds no logits for batch entry {idx}")
        for token, bias in self.bias:
            row[token] += bias
        penalty = self.penalty
        for token in self.counts:
            value = row[token]
            row[token] = value * penalty if value <= 0 else value / penalty

    def accept(self, token: int) -> None:
        """The token chosen at this step enters the penalty's window; the oldest leaves a full one."""
        if not self.last_n:
            return
        counts = self.counts
        counts[token] = counts.get(token, 0) + 1
        if len(self.recent) >= self.last_n:
            old = self.recent.popleft()
            if counts[old] == 1:
                del counts[old]
            else:
                counts[old] -= 1
        self.recent.append(token)


def add_dry(chain: internals.LlamaSampler, vocab, request, n_ctx: int) -> None:
    # This llama.cpp takes a count of tokens to look back over: its callers' -1 ("the context") would
    # be read as 0, which turns DRY off. The library allocates a ring of that many tokens.
    last_n = int(request.dry_penalty_last_n)
    last_n = (n_ctx or 4096) if last_n < 0 else last_n
    breakers = (ctypes.c_char_p * len(DRY_BREAKERS))(*(b.encode("utf-8") for b in DRY_BREAKERS))
    sampler = llama_cpp.llama_sampler_init_dry(vocab, float(request.dry_multiplier), float(request.dry_base),
                                               int(request.dry_allowed_length), last_n,
                                               breakers, len(DRY_BREAKERS))
    if not sampler:
        raise ValueError("llama.cpp refused the DRY settings")
    llama_cpp.llama_sampler_chain_add(chain.sampler, sampler)


def chain_names(chain: internals.LlamaSampler) -> list[str]:
    """The names of a chain's samplers in order ("penalties", "dry", "greedy", ...): for tests and logs."""
    n = llama_cpp.llama_sampler_chain_n(chain.sampler)
    return [llama_cpp.llama_sampler_name(llama_cpp.llama_sampler_chain_get(chain.sampler, i)).decode()
            for i in range(n)]


@dataclass(frozen=True)
class Cuts:
    """What the chain keeps before it draws, in build_chain's order: top-k, then top-p, then min-p; or
    the single best token (greedy). top-p and min-p read the adjusted logits (the temperature follows)."""

    greedy: bool = False
    top_k: int = 0  # 0 or less: no top-k
    top_p: float = 1.0
    min_p: float = 0.0

    @classmethod
    def of(cls, request) -> Cuts:
        if request.temperature <= 0:
            return cls(greedy=True)
        return cls(top_k=request.top_k, top_p=request.top_p, min_p=request.min_p)

    def window_decides(self, allowed: np.ndarray, floor: float, n_vocab: int) -> bool:
        """Whether the cuts keep the same tokens from `allowed` (the logits of the allowed tokens a
        window holds) as from every allowed token, when each allowed token it left out scores at most
        `floor` (the window's lowest logit before the grammar)."""
        if not len(allowed):
            return False
        k = self.top_k if 0 < self.top_k < n_vocab else n_vocab
        if self.greedy or len(allowed) >= k:
            return True  # the best one, or top-k's k: all in the window
        logits = np.sort(allowed)[::-1].astype(np.float64)
        cumulative = np.cumsum(np.exp(logits - logits[0]))
        left_out = (k - len(logits)) * math.exp(floor - logits[0])  # at most this much weight outside

        def top_p_keeps(total: float) -> int:  # may pass len(logits): it runs into the left-out tokens
            if self.top_p >= 1.0:
                return k
            return int(np.searchsorted(cumulative, self.top_p * total)) + 1

        cut = logits[0] + math.log(self.min_p) if self.min_p > 0 else -math.inf
        min_p_keeps = int(np.count_nonzero(logits >= cut))
        in_window, at_most = top_p_keeps(cumulative[-1]), top_p_keeps(cumulative[-1] + left_out)
        if at_most > len(logits) and floor >= cut:
            return False  # top-p and min-p could both keep a token the window left out
        # top-p keeps between `in_window` and `at_most` tokens, then min-p cuts at `min_p_keeps`
        return min(in_window, min_p_keeps) == min(at_most, min_p_keeps)


def _view(array) -> np.ndarray:
    """A candidate array's entries as numpy records (id, logit, p), without a copy."""
    return np.ctypeslib.as_array(array.data, shape=(array.size,))


def _any_left(array) -> bool:
    return bool(np.any(_view(array)["logit"] != float("-inf")))


class Sampler:
    """`sample(ctx, idx, accept)` -> token, then `close()`. One per sequence."""

    def __init__(self, chain: internals.LlamaSampler, vocab, n_vocab: int, grammar: str | None = None,
                 root: str = "root", cuts: Cuts | None = None, adjust: Adjustments | None = None,
                 end_token: int | None = None) -> None:
        """`cuts`: what the chain keeps before it draws (Cuts.of(request)); without them a resample
        lets the grammar check every token. `adjust`: the bias and penalties the chain does not hold.
        `end_token`: an end-of-generation token, returned when a complete grammar allows only the end."""
        self.chain = chain
        self.adjust = adjust
        self.end_token = end_token
        self.grammar = None
        if grammar:
            self.grammar = llama_cpp.llama_sampler_init_grammar(vocab, grammar.encode("utf-8"),
                                                                root.encode("utf-8"))
            if not self.grammar:
                chain.close()
                raise ValueError("llama.cpp refused the grammar")
        self.n_vocab = n_vocab
        self._cands: np.ndarray | None = None
        self._win: np.ndarray | None = None
        self.resamples = 0  # how often a veto made us sample again (for tests and tuning)
        self.window_hits = 0  # resamples the grammar's window decided (the rest checked every token)
        self.window = WINDOW if cuts is not None else n_vocab  # n_vocab: every resample checks all
        self.cuts = cuts
        # The chain's samplers one by one: a resample applies the adjusters, masks, then the choosers.
        names = chain_names(chain)
        n = llama_cpp.llama_sampler_chain_n(chain.sampler)
        parts = [llama_cpp.llama_sampler_chain_get(chain.sampler, i) for i in range(n)]
        split = next((i for i, name in enumerate(names) if name not in _ADJUSTERS), n)
        self._adjusters, self._choosers = parts[:split], parts[split:]

    # ----- the candidate array, built only on the slow path ------------------------------------------------
    def _candidates(self, ctx, idx: int) -> llama_cpp.llama_token_data_array:
        if self._cands is None:
            self._cands = np.zeros(self.n_vocab, dtype=_TOKEN_DATA)
            self._ids = np.arange(self.n_vocab, dtype=np.int32)
            self._data = ctypes.cast(self._cands.ctypes.data, ctypes.POINTER(llama_cpp.llama_token_data))
            self._array = llama_cpp.llama_token_data_array(data=self._data, size=self.n_vocab, selected=-1,
                                                           sorted=False)
            self._one = (llama_cpp.llama_token_data * 1)()
            self._one_array = llama_cpp.llama_token_data_array(data=self._one, size=1, selected=-1,
                                                               sorted=False)
        logits = llama_cpp.llama_get_logits_ith(ctx.ctx, idx)
        self._cands["id"] = self._ids  # samplers sort the candidates in place
        self._cands["logit"] = np.ctypeslib.as_array(logits, shape=(self.n_vocab,))
        self._cands["p"] = 0.0
        self._array.data = self._data  # a sampler (top-k) may have pointed it at its own buffer
        self._array.size = self.n_vocab
        self._array.selected = -1
        self._array.sorted = False
        return self._array

    def _apply(self, sampler, array) -> int:
        llama_cpp.llama_sampler_apply(sampler, ctypes.byref(array))
        return int(array.data[array.selected].id)

    def _grammar_allows(self, token: int) -> bool:
        self._one[0].id, self._one[0].logit, self._one[0].p = token, 1.0, 0.0
        self._one_array.data, self._one_array.size, self._one_array.selected = self._one, 1, -1
        llama_cpp.llama_sampler_apply(self.grammar, ctypes.byref(self._one_array))
        return self._one[0].logit != float("-inf")

    # ----- sampling ---------------------------------------------------------------------------------------
    def sample(self, ctx, idx: int = -1, accept: Accept | None = None) -> int:
        """Once per step and sequence: the row's logits are adjusted in place first."""
        if self.adjust is not None:
            self.adjust.apply(ctx, idx)
        if self.grammar is None:
            # The fast path: llama.cpp samples (and records the token in the chain) in one call.
            token = llama_cpp.llama_sampler_sample(self.chain.sampler, ctx.ctx, idx)
            if accept is None or accept(token):
                if self.adjust is not None:
                    self.adjust.accept(token)
                return token
            return self._resample(ctx, idx, accept, banned={token})
        array = self._candidates(ctx, idx)
        token = self._apply(self.chain.sampler, array)
        if self._grammar_allows(token) and (accept is None or accept(token)):
            self._accept(token)
            return token
        return self._resample(ctx, idx, accept, banned={token})

    def _resample(self, ctx, idx: int, accept: Accept | None, banned: set[int]) -> int:
        self.resamples += 1
        for _ in range(MAX_BANNED_RESAMPLES):
            array = self._constrained(ctx, idx, banned)
            if not _any_left(array):
                break  # a draw from nothing would be any token, and the grammar aborts on a wrong one
            token = self._choose(array)
            if accept is None or accept(token):
                self._accept(token)
                return token
            banned.add(token)
        # Rare: the model keeps proposing what cannot be kept. Take the best-scoring acceptable token.
        array = self._constrained(ctx, idx, banned, window=False)
        view = _view(array)
        order = np.argsort(-view["logit"], kind="stable")
        for i in order[view["logit"][order] != float("-inf")]:
            token = int(view["id"][i])
            if accept is None or accept(token):
                self._accept(token)
                return token
        if self.grammar is not None and self.end_token is not None and self._grammar_allows(self.end_token):
            # The grammar is complete and wants the end, which the request banned (ignore_eos): end here.
            # Not accepted: the caller stops at an end token.
            return self.end_token
        raise RuntimeError("no token can continue this text")

    def _constrained(self, ctx, idx: int, banned: set[int], window: bool = True):
        """The candidates with the chain's adjusters applied and every token the grammar or `banned`
        rules out at -inf: the grammar's window of them when it decides, else all of them."""
        array = self._candidates(ctx, idx)
        for sampler in self._adjusters:
            llama_cpp.llama_sampler_apply(sampler, ctypes.byref(array))
        if banned:
            self._cands["logit"][np.fromiter(banned, dtype=np.int64)] = float("-inf")
        if self.grammar is None:
            return array
        if window and self.window < self.n_vocab:
            small = self._window()
            if small is not None:
                self.window_hits += 1
                return small
        llama_cpp.llama_sampler_apply(self.grammar, ctypes.byref(array))
        return array

    def _window(self):
        """The best-scoring `window` candidates with the grammar applied, or None when they may not
        decide the choice as the whole vocabulary would (see the module's note)."""
        logits = self._cands["logit"]
        top = np.argpartition(logits, -self.window)[-self.window:]
        if self._win is None or len(self._win) != self.window:
            self._win = np.zeros(self.window, dtype=_TOKEN_DATA)
            self._win_data = ctypes.cast(self._win.ctypes.data, ctypes.POINTER(llama_cpp.llama_token_data))
        self._win[:] = self._cands[top]
        floor = float(self._win["logit"].min())  # no token left out scores above this
        array = llama_cpp.llama_token_data_array(data=self._win_data, size=self.window, selected=-1,
                                                 sorted=False)
        llama_cpp.llama_sampler_apply(self.grammar, ctypes.byref(array))
        allowed = self._win["logit"][self._win["logit"] != float("-inf")]
        return array if self.cuts.window_decides(allowed, floor, self.n_vocab) else None

    def _choose(self, array) -> int:
        for sampler in self._choosers:
            llama_cpp.llama_sampler_apply(sampler, ctypes.byref(array))
        return int(array.data[array.selected].id)

    def _accept(self, token: int) -> None:
        if self.grammar is not None:
            llama_cpp.llama_sampler_accept(self.grammar, token)
        llama_cpp.llama_sampler_accept(self.chain.sampler, token)
        if self.adjust is not None:
            self.adjust.accept(token)

    def close(self) -> None:
        if self.grammar:
            llama_cpp.llama_sampler_free(self.grammar)
            self.grammar = None
        self.chain.close()
