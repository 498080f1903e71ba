"""Grammar-constrained sampling: the fast path samples exactly like the plain chain when the grammar
allows the choice, and the constrained resample keeps every output inside the grammar."""

import json

import pytest
from llama_cpp.llama_grammar import json_schema_to_gbnf

from desktop.core.engine import GenerationRequest

pytestmark = pytest.mark.model

MESSAGES = [{"role": "user", "content": "Say hello to a shop owner."}]


@pytest.mark.parametrize("temperature", [0.0, 0.8])
def test_a_grammar_that_allows_everything_changes_nothing(engine, temperature):
    plain = engine.generate(GenerationRequest(messages=MESSAGES, max_tokens=30, seed=5,
                                              temperature=temperature))
    allowed = engine.generate(GenerationRequest(messages=MESSAGES, max_tokens=30, seed=5,
                                                temperature=temperature,
                                                grammar="root ::= [^\\x00]*"))
    assert allowed.text == plain.text


def test_a_restrictive_grammar_holds_the_output_to_it(engine):
    # The model would never start with "yes." on its own: every step goes through the resample path.
    final = engine.generate(GenerationRequest(messages=MESSAGES, max_tokens=8, seed=2,
                                              grammar='root ::= ("yes" | "no") "."'))
    assert final.text in {"yes.", "no."}


def test_a_complete_grammar_ends_the_answer_even_when_the_end_is_banned(engine):
    """ignore_eos (the API server takes it) bans every end token; once the grammar is complete the end is
    all it allows. The answer ends there, instead of llama.cpp aborting the engine on a token the grammar
    cannot take; on both the one-request path and the parallel one."""
    grammar = 'root ::= ("yes" | "no") "."'
    final = engine.generate(GenerationRequest(messages=MESSAGES, max_tokens=12, seed=2, grammar=grammar,
                                              ignore_eos=True))
    assert final.text in {"yes.", "no."} and final.stop_reason == "end"
    both = engine.generate_batch([GenerationRequest(messages=MESSAGES, max_tokens=12, seed=s, grammar=grammar,
                                                    ignore_eos=True) for s in (3, 4)])
    assert all(f.text in {"yes.", "no."} and f.stop_reason == "end" for f in both)


def test_json_schema_grammar_gives_parseable_json_with_the_required_keys(engine):
    schema = {"type": "object", "required": ["title", "tags"],
              "properties": {"title": {"type": "string"},
                             "tags": {"type": "array", "items": {"type": "string"}}}}
    ended = 0
    for seed in range(3):
        final = engine.generate(GenerationRequest(
            messages=[{"role": "user", "content": "Title and tags for a steel bottle, as JSON."}],
            max_tokens=160, seed=seed, grammar=json_schema_to_gbnf(json.dumps(schema))))
        if final.stop_reason == "end":  # a length stop may cut the JSON; the grammar cannot prevent that
            ended += 1
            assert set(json.loads(final.text)) == {"title", "tags"}
    assert ended >= 1


def test_an_invalid_grammar_is_a_clear_error(engine):
    from desktop.core.errors import ShopscribeError

    with pytest.raises(ShopscribeError, match="grammar"):
        engine.generate(GenerationRequest(messages=MESSAGES, max_tokens=4, grammar="root ::= (unclosed"))


# ----- DRY ("don't repeat yourself") -----------------------------------------------------------------------
# A raw prompt that is one line over and over: at temperature 0 the model goes on looping.
LOOPS = "Soft cotton tee, breathable and light. " * 6


def test_the_chain_holds_dry_when_asked_and_not_when_off(local_engine):
    from desktop.core.engine.sampling import build_chain, chain_names

    n_vocab = local_engine._model.n_vocab()
    on = build_chain(GenerationRequest(prompt="x", temperature=0), n_vocab, local_engine.eog_tokens,
                     local_engine._vocab, 2048)
    off = build_chain(GenerationRequest(prompt="x", temperature=0, dry_multiplier=0), n_vocab,
                      local_engine.eog_tokens, local_engine._vocab, 2048)
    sampled = build_chain(GenerationRequest(prompt="x", temperature=0.7, dry_multiplier=1.2), n_vocab,
                          local_engine.eog_tokens, local_engine._vocab, 2048)
    native = build_chain(GenerationRequest(prompt="x", temperature=0, ignore_eos=True), n_vocab,
                         local_engine.eog_tokens, local_engine._vocab, 2048, native_adjustments=True)
    try:
        # "dry", not "?dry": llama.cpp names a DRY it has switched off (e.g. a look-back of 0) "?dry".
        # The bias and penalties are not in the chain: `Adjustments` applies them before it.
        assert chain_names(on) == ["dry", "greedy"]
        assert chain_names(off) == ["greedy"]
        names = chain_names(sampled)
        assert names.index("dry") < names.index("top-k") and names[-1] == "dist"
        assert chain_names(native) == ["logit-bias", "penalties", "dry", "greedy"]
    finally:
        for chain in (on, off, sampled, native):
            chain.close()


# ----- the bias and the repetition penalty, applied before the chain ------------------------------------
@pytest.mark.parametrize("structured", [False, True])
def test_our_bias_and_penalties_draw_what_llama_cpps_samplers_draw(local_engine, monkeypatch, structured):
    """`Adjustments` does llama.cpp's logit-bias and penalties arithmetic on the tokens concerned only: the
    same seeds give the same texts, token for token, as llama.cpp's own samplers at the chain's head, on
    the one-request path and the parallel one, plain and through a grammar. A strong penalty over a
    window shorter than the answer (tokens leave it again) and a finite bias make any slip show."""
    from functools import partial

    from desktop.core.bench import prompts
    from desktop.core.engine import local, sampling

    if structured:
        messages, schema = prompts.template_messages("amazon-listing", prompts.PRODUCT_FIELDS[0], "en")
    else:
        messages, schema = MESSAGES, None
    (biased,) = local_engine.tokenize(" shop", special=False)[:1]

    def request(seed: int, temperature: float) -> GenerationRequest:
        return GenerationRequest(messages=messages, max_tokens=60, seed=seed, temperature=temperature,
                                 repeat_penalty=1.8, repeat_last_n=12, logit_bias={biased: 3.0},
                                 ignore_eos=True, json_schema=schema)

    def texts() -> list[str]:
        out = []
        for seed, temperature in ((1, 0.8), (2, 0.8), (3, 0.0)):
            # Twice, keeping the second: the same prompt is cached in both passes, so its logits are the
            # same to the last bit (a cache left by another request splits the prompt differently).
            local_engine.generate(request(seed, temperature))
            out.append(local_engine.generate(request(seed, temperature)).text)
        out += [f.text for f in local_engine.generate_batch([request(4, 0.8), request(5, 0.8)])]
        return out

    ours = texts()
    monkeypatch.setattr(local, "build_chain", partial(sampling.build_chain, native_adjustments=True))
    monkeypatch.setattr(local.Adjustments, "of", classmethod(lambda cls, *args: None))
    theirs = texts()
    assert ours == theirs
    assert len(set(ours)) == len(ours) and all(len(t) > 40 for t in ours)


def test_adjustments_keep_llama_cpps_window_of_recent_tokens():
    """The penalty counts the last `last_n` accepted tokens: a token leaves when `last_n` newer ones
    came, and one seen twice stays until both have left."""
    from desktop.core.engine.sampling import Adjustments

    adjust = Adjustments(100, {}, last_n=3, penalty=1.5)
    for token in (7, 8, 7, 9):
        adjust.accept(token)
    assert adjust.counts == {8: 1, 7: 1, 9: 1}
    adjust.accept(10)
    assert adjust.counts == {7: 1, 9: 1, 10: 1}
    adjust.accept(11)
    assert adjust.counts == {9: 1, 10: 1, 11: 1}
    assert Adjustments(100, {}, last_n=3, penalty=1.0).last_n == 0  # no penalty: nothing to count


def longest_repeat(text: str) -> int:
    """The most words in a row that occur twice, word for word, in `text`: what DRY bounds."""
    import re

    words = re.findall(r"\w+", text.lower())
    best = 0
    for n in range(1, len(words)):
        grams = [tuple(words[i:i + n]) for i in range(len(words) - n + 1)]
        if len(set(grams)) == len(grams):
            break
        best = n
    return best


def test_dry_cuts_the_verbatim_loop_of_a_prompt_that_loops(model_path, engine_settings):
    """Without DRY, greedy decoding of a looping prompt repeats the same sentence for 70-80 words; with
    DRY no run of more than a few words comes back verbatim. The repetition penalty is off on both sides.
    The text itself depends on the machine's arithmetic (CPU variant, thread count): measured with four
    of llama.cpp's CPU variants on one Xeon (icelake and haswell on 2 threads, skylakex and sse42 on
    1), 69-78 words without DRY and 5-14 with it. An earlier version of this test measured a chat
    prompt's repeated n-gram share, which that Xeon's greedy path did not loop on.
    A fresh engine: in the session's shared one, what earlier tests left in its cache changes how the
    prompt is evaluated, and with it the greedy path."""
    from desktop.core.engine.client import HostEngine

    engine = HostEngine(model_path, n_ctx=2048)
    engine.load()

    def repeat(dry: float) -> int:
        final = engine.generate(GenerationRequest(prompt=LOOPS, max_tokens=100, temperature=0, seed=1,
                                                  repeat_penalty=1.0, dry_multiplier=dry))
        return longest_repeat(final.text)

    try:
        without, with_dry = repeat(0.0), repeat(0.8)
    finally:
        engine.close()
    assert without >= 30  # the loop is there without DRY (else this test proves nothing)
    assert with_dry <= without / 3


def test_longest_repeat_counts_words_in_a_row():
    assert longest_repeat("a b c d. a b c e") == 3
    assert longest_repeat("one two three") == 0
    assert longest_repeat("Soft tee, soft TEE") == 2


# ----- the grammar's window on a resample ------------------------------------------------------------------
def test_the_window_draws_what_checking_every_token_draws(local_engine, monkeypatch):
    """A JSON answer resamples often. With the window the text is token for token what checking the whole
    vocabulary gives (same seeds), and the window decided most of those resamples."""
    from desktop.core.bench import prompts
    from desktop.core.engine import sampling

    messages, schema = prompts.template_messages("amazon-listing", prompts.PRODUCT_FIELDS[0], "en")
    counts = []
    close = sampling.Sampler.close

    def counting_close(self):
        counts.append((self.resamples, self.window_hits))
        close(self)

    monkeypatch.setattr(sampling.Sampler, "close", counting_close)

    def texts() -> list[str]:
        out = []
        for seed, temperature in ((1, 0.7), (2, 0.7), (3, 0.0)):
            # a strong repetition penalty: a resample that skipped the penalties would choose otherwise
            request = GenerationRequest(messages=messages, max_tokens=120, seed=seed, temperature=temperature,
                                        json_schema=schema, repeat_penalty=1.8)
            # Twice, keeping the second: it finds the same prompt cached in both passes, so its logits are
            # the same to the last bit (a cache left by another request splits the prompt differently).
            local_engine.generate(request)
            out.append(local_engine.generate(request).text)
        return out

    windowed = texts()
    resamples, decided = map(sum, zip(*counts))
    monkeypatch.setattr(sampling, "WINDOW", 10**9)  # every resample checks the whole vocabulary
    counts.clear()
    full = texts()
    assert full == windowed
    assert resamples >= 5 and decided >= resamples // 2
    assert sum(hits for _, hits in counts) == 0  # the second pass really checked every token


@pytest.mark.parametrize("cuts_seed", range(4))
def test_window_decides_only_when_llama_cpp_keeps_the_same_tokens(cuts_seed):
    """Against llama.cpp's own top-k, top-p and min-p samplers: whenever `window_decides` says the window
    decides, the cuts keep the same tokens from the window as from the whole (masked) vocabulary.
    Random logits and random allowed sets, from "one token allowed" to "most of them"."""
    import ctypes

    import llama_cpp
    import numpy as np
    from llama_cpp import _internals as internals

    from desktop.core.engine.sampling import _TOKEN_DATA, Cuts

    rng = np.random.default_rng(cuts_seed)
    n_vocab, window = 4000, 256
    cuts = [Cuts(top_k=40, top_p=0.9, min_p=0.05), Cuts(top_k=40, top_p=0.95, min_p=0.0),
            Cuts(top_k=0, top_p=1.0, min_p=0.1), Cuts(top_k=20, top_p=0.5, min_p=0.02)][cuts_seed]
    chain = internals.LlamaSampler()
    chain.add_top_k(cuts.top_k)
    chain.add_top_p(cuts.top_p, 1)
    chain.add_min_p(cuts.min_p, 1)

    def kept(entries: np.ndarray) -> set[int]:
        data = entries.copy()
        array = llama_cpp.llama_token_data_array(
            data=ctypes.cast(data.ctypes.data, ctypes.POINTER(llama_cpp.llama_token_data)),
            size=len(data), selected=-1, sorted=False)
        llama_cpp.llama_sampler_apply(chain.sampler, ctypes.byref(array))
        out = np.ctypeslib.as_array(array.data, shape=(array.size,))
        return {int(t) for t, logit in zip(out["id"], out["logit"]) if logit != float("-inf")}

    decided = differed = 0
    try:
        for trial in range(300):
            entries = np.zeros(n_vocab, dtype=_TOKEN_DATA)
            entries["id"] = np.arange(n_vocab)
            entries["logit"] = rng.normal(0, rng.uniform(1, 6), n_vocab)
            share = [0.0005, 0.002, 0.01, 0.3, 0.9][trial % 5]
            allowed = rng.random(n_vocab) < share
            allowed[rng.integers(n_vocab)] = True
            top = np.argpartition(entries["logit"], -window)[-window:]
            small = entries[top]
            floor = float(small["logit"].min())
            entries["logit"][~allowed] = float("-inf")
            small = entries[top]
            in_window = small["logit"][small["logit"] != float("-inf")]
            if cuts.window_decides(in_window, floor, n_vocab):
                decided += 1
                differed += kept(small) != kept(entries)
    finally:
        chain.close()
    assert differed == 0
    assert decided >= 60  # the window decides often enough to matter, and the check above ran


@pytest.mark.parametrize("word", ["yes", "no"])
def test_a_resample_keeps_the_chains_logit_changes(local_engine, word):
    """The first choice is a token the grammar rejects (pushed up by a bias); the resample that follows
    still applies the chain's biases before it chooses, so the biased answer wins either way round."""
    (rejected,) = local_engine.tokenize("Hello", special=False)[:1]
    (wanted,) = local_engine.tokenize(word, special=False)
    final = local_engine.generate(GenerationRequest(
        messages=MESSAGES, max_tokens=4, temperature=0, grammar='root ::= ("yes" | "no") "."',
        logit_bias={rejected: 40.0, wanted: 15.0}))
    assert final.text == f"{word}."
