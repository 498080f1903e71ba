"""Parallel sequences in one llama.cpp context: the catalog's fast path.

Eight products rendered from one template share the system prompt and the instructions. We evaluate
that shared prefix once (sequence 0), copy its KV cells to the other sequences (a unified KV pool
stores them once), evaluate each product's own suffix, then decode one token of every live sequence
per `llama_decode` call. Each sequence has its own sampler chain (seed, grammar, penalties) and its own
stop conditions, so the results have the same structure as generating them one after another.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from desktop.core.engine.decoding import Aborted
from desktop.core.engine.interface import Finished, GenerationRequest, TextDelta
from desktop.core.textstream import StopMatcher, Utf8Assembler

if TYPE_CHECKING:
    from desktop.core.engine.local import LocalEngine


def _common_prefix(lists: list[list[int]]) -> int:
    shortest = min(len(t) for t in lists)
    n = 0
    while n < shortest and all(t[n] == lists[0][n] for t in lists):
        n += 1
    return min(n, shortest - 1)  # every sequence needs at least its last prompt token evaluated


def generate_parallel(
    engine: LocalEngine,
    requests: list[GenerationRequest],
    on_event: Callable[[TextDelta | Finished], None] | None = None,
) -> list[Finished]:
    """Generate every request; returns one `Finished` per request, in order."""
    if not requests:
        return []
    engine.decoder.cancel_event.clear()
    if engine.fault:
        engine.fault("prompt")
    tokens = [engine.prompt_tokens(r) for r in requests]
    for t in tokens:
        engine.check_fits(len(t))
    return _run_groups(engine, requests, tokens, on_event, offset=0)


def _run_groups(engine, requests, tokens, on_event, offset):
    """Split into groups that fit the sequence count and the KV budget."""
    n = len(requests)
    prefix = _common_prefix(tokens)
    budget = prefix + sum(len(t) - prefix + min(r.max_tokens, engine.n_ctx) for t, r in zip(tokens, requests))
    if n > engine.n_seq_max or (n > 1 and budget > engine.n_ctx):
        half = min(engine.n_seq_max, (n + 1) // 2)
        first = _run_groups(engine, requests[:half], tokens[:half], on_event, offset)
        if engine.decoder.cancel_event.is_set():
            return first + [_cancelled(len(t), offset + half + i) for i, t in enumerate(tokens[half:])]
        return first + _run_groups(engine, requests[half:], tokens[half:], on_event, offset + half)
    return _run_group(engine, requests, tokens, on_event, offset)


def _cancelled(n_prompt: int, seq: int = 0) -> Finished:
    return Finished("", n_prompt, 0, 0.0, 0.0, "cancelled", seq=seq)


def _run_group(engine, requests, tokens, on_event, offset) -> list[Finished]:
    decoder = engine.decoder
    n = len(requests)
    t_start = time.perf_counter()
    prefix_len = _common_prefix(tokens) if n > 1 else len(tokens[0]) - 1
    prefix = tokens[0][:prefix_len]
    # Sequence 0 keeps whatever part of the prefix it already holds from the last call.
    common = decoder.keep_prefix(prefix, leave_last=False)

    try:
        if prefix_len > common:
            decoder.eval_prompt(prefix, common, seq=0)
        for seq in range(1, n):
            decoder.seq_cp(0, seq)
        # Each sequence's own suffix, all but its last token, in shared batches without logits.
        pending = [(tok, pos, seq, False) for seq, t in enumerate(tokens) for pos, tok in
                   enumerate(t[prefix_len:-1], start=prefix_len)]
        with decoder.abortable():
            for i in range(0, len(pending), engine.n_batch):
                if decoder.cancel_event.is_set():
                    raise Aborted()
                decoder.decode(pending[i : i + engine.n_batch])
            # The last prompt token of every sequence, together, with logits.
            decoder.decode([(t[-1], len(t) - 1, seq, True) for seq, t in enumerate(tokens)])
    except Aborted:
        decoder.rollback()
        results = [_cancelled(len(t), offset + s) for s, t in enumerate(tokens)]
        for r in results:
            _emit(on_event, r)
        return results

    t_prompt = time.perf_counter()
    samplers = [engine.make_sampler(r) for r in requests]
    utf8 = [Utf8Assembler() for _ in range(n)]
    stops = [StopMatcher(r.stop) for r in requests]
    texts: list[list[str]] = [[] for _ in range(n)]
    n_gen = [0] * n
    max_new = [max(0, min(r.max_tokens, engine.n_ctx - len(t))) for r, t in zip(requests, tokens)]
    pos = [len(t) for t in tokens]
    reason: list[str | None] = [None] * n
    t_first: list[float | None] = [None] * n
    t_done = [0.0] * n
    logits_index = {seq: seq for seq in range(n)}
    ctx = decoder.ctx

    def finish(seq: int, why: str) -> None:
        reason[seq] = why
        t_done[seq] = time.perf_counter()
        if why != "stop":
            tail = stops[seq].feed(utf8[seq].flush()) + stops[seq].flush()
            if tail:
                texts[seq].append(tail)
                _emit(on_event, TextDelta(tail, offset + seq))

    try:
        while logits_index:
            if decoder.cancel_event.is_set():
                for seq in logits_index:
                    finish(seq, "cancelled")
                break
            items = []
            for seq, idx in logits_index.items():
                if n_gen[seq] >= max_new[seq]:
                    finish(seq, "length")
                    continue
                token = samplers[seq].sample(ctx, idx, lambda t, u=utf8[seq]: u.accepts(decoder.piece(t)))
                if t_first[seq] is None:
                    t_first[seq] = time.perf_counter()
                if decoder.is_eog(token):
                    finish(seq, "end")
                    continue
                n_gen[seq] += 1
                text = stops[seq].feed(utf8[seq].feed(decoder.piece(token)))
                if text:
                    texts[seq].append(text)
                    _emit(on_event, TextDelta(text, offset + seq))
                if stops[seq].stopped:
                    finish(seq, "stop")
                elif n_gen[seq] >= max_new[seq]:
                    finish(seq, "length")
                else:
                    items.append((token, pos[seq], seq, True))
                    pos[seq] += 1
            if not items:
                break
            if engine.fault:
                engine.fault("decode")
            decoder.decode(items)
            logits_index = {item[2]: i for i, item in enumerate(items)}
    except Aborted:
        for seq in range(n):
            if reason[seq] is None:
                finish(seq, "cancelled")
    finally:
        for s in samplers:
            s.close()
        # Keep only the shared prefix in sequence 0 for the next group or request.
        for seq in range(1, n):
            decoder.seq_rm(seq)
        if decoder.seq_rm(0, prefix_len, -1):
            decoder.cached = list(prefix)
        else:
            decoder.rollback()

    results = []
    for seq in range(n):
        done = t_done[seq] or time.perf_counter()
        first = t_first[seq] or done
        gen_time = done - t_prompt
        result = Finished(
            text="".join(texts[seq]),
            prompt_tokens=len(tokens[seq]),
            completion_tokens=n_gen[seq],
            ttft_s=first - t_start,
            tokens_per_s=n_gen[seq] / gen_time if gen_time > 0 and n_gen[seq] else 0.0,
            stop_reason=reason[seq] or "length",
            total_s=done - t_start,
            cached_tokens=common,  # reused from before this call; the shared prefix was evaluated once
            seq=offset + seq,
            extra={"shared_prefix_tokens": prefix_len},
        )
        results.append(result)
        _emit(on_event, result)
    return results


def _emit(on_event, event) -> None:
    if on_event is not None:
        on_event(event)
