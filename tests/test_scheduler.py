"""Continuous batching in the engine host (scheduler.py), with the real model in this process: a request
that arrives mid-decode joins the running batch at the next step, one request decodes exactly as the
plain stream does, a cancel ends only its own request, and a shared prefix is read once."""

from __future__ import annotations

import pytest

from desktop.core.engine import Finished, GenerationRequest
from desktop.core.engine.scheduler import Scheduler

pytestmark = pytest.mark.model

MESSAGES = [{"role": "user", "content": "Describe a steel camp mug in three sentences."}]


class Recorder:
    def __init__(self) -> None:
        self.events: list[tuple[str, int, object]] = []

    def __call__(self, kind, rid, payload) -> None:
        self.events.append((kind, rid, payload))

    def finished(self, rid: int) -> Finished:
        return next(p for k, r, p in self.events if k == "finished" and r == rid)

    def text(self, rid: int) -> str:
        return "".join(p for k, r, p in self.events if k == "delta" and r == rid)


def run(scheduler: Scheduler, steps: int | None = None) -> None:
    n = 0
    while scheduler.busy and (steps is None or n < steps):
        scheduler.step()
        n += 1
    if not scheduler.busy:
        scheduler.release()


def request(seed: int, tokens: int = 24, **kw) -> GenerationRequest:
    return GenerationRequest(messages=MESSAGES, max_tokens=tokens, seed=seed, ignore_eos=True, **kw)


def test_one_request_decodes_as_the_plain_stream_does(local_engine):
    expected = local_engine.generate(request(3))
    events = Recorder()
    scheduler = Scheduler(local_engine, events)
    scheduler.submit(1, request(3))
    run(scheduler)
    got = events.finished(1)
    assert got.text == expected.text == events.text(1)
    assert (got.completion_tokens, got.stop_reason) == (24, "length")


def test_a_request_arriving_mid_decode_joins_the_running_batch(local_engine):
    events = Recorder()
    scheduler = Scheduler(local_engine, events)
    scheduler.submit(1, request(1, tokens=40))
    run(scheduler, steps=10)
    assert events.text(1) and not any(k == "finished" for k, *_ in events.events)
    scheduler.submit(2, request(2, tokens=10))
    run(scheduler)
    order = [(k, r) for k, r, _ in events.events]
    # The newcomer finished while the first was still generating: they shared decode steps.
    assert order.index(("finished", 2)) < order.index(("finished", 1))
    first_of_2 = order.index(("delta", 2))
    assert ("delta", 1) in order[first_of_2:order.index(("finished", 2))]
    assert events.finished(1).completion_tokens == 40 and events.finished(2).completion_tokens == 10
    assert events.finished(2).cached_tokens > 0  # the shared chat prefix was read once


def test_cancel_ends_only_its_own_request(local_engine):
    events = Recorder()
    scheduler = Scheduler(local_engine, events)
    scheduler.submit(1, request(1, tokens=30))
    scheduler.submit(2, request(2, tokens=30))
    run(scheduler, steps=6)
    scheduler.cancel(1)
    run(scheduler)
    assert events.finished(1).stop_reason == "cancelled" and events.finished(1).completion_tokens < 30
    assert events.finished(2).stop_reason == "length" and events.finished(2).completion_tokens == 30


def test_structured_requests_keep_their_own_grammar_in_a_shared_batch(local_engine):
    import json

    schema = {"type": "object", "properties": {"title": {"type": "string", "maxLength": 40}},
              "required": ["title"]}
    events = Recorder()
    scheduler = Scheduler(local_engine, events)
    scheduler.submit(1, GenerationRequest(messages=MESSAGES, max_tokens=60, seed=4, temperature=0.2,
                                          json_schema=schema))
    scheduler.submit(2, request(5, tokens=20))
    run(scheduler)
    assert isinstance(json.loads(events.finished(1).text)["title"], str)
    assert events.finished(2).completion_tokens == 20


LONG = " ".join(f"Feature {i}: durable, light, easy to clean." for i in range(130))


def _long_request(prefix: str, seed: int = 1) -> GenerationRequest:
    return GenerationRequest(messages=[{"role": "user", "content": prefix + LONG}], max_tokens=8, seed=seed)


def test_a_cancel_cuts_a_prompt_chunk_short_inside_llama_cpp(local_engine):
    """The only request a prompt chunk carries is cancelled from another thread while llama.cpp reads
    it: the decode is aborted (it does not run to the chunk's end), the request ends as cancelled, and
    the next request on that slot still answers."""
    import threading

    events = Recorder()
    scheduler = Scheduler(local_engine, events)
    scheduler.submit(2, _long_request("B "))
    cancel = threading.Timer(0.02, scheduler.cancel, args=(2,))
    cancel.start()
    scheduler.step()  # the first chunk of 512 prompt tokens: aborted by the cancel
    cancel.join()
    # Aborted inside the decode: the request ended in that very step, and its slot kept none of the
    # chunk (read to its end, the slot would hold 512 tokens and the request end only at the next step).
    assert events.finished(2).stop_reason == "cancelled" and events.finished(2).completion_tokens == 0
    assert all(len(slot.cached) < 64 for slot in scheduler.slots)
    assert not scheduler.busy and not local_engine.decoder.cancel_event.is_set()

    scheduler.submit(3, request(5, tokens=6))
    run(scheduler)
    assert events.finished(3).completion_tokens == 6 and events.finished(3).stop_reason == "length"


def test_a_cancel_of_one_request_never_aborts_a_chunk_another_needs(local_engine):
    import threading

    events = Recorder()
    scheduler = Scheduler(local_engine, events)
    scheduler.submit(1, _long_request("C ", seed=2))
    scheduler.submit(2, _long_request("D ", seed=3))
    threading.Timer(0.02, scheduler.cancel, args=(2,)).start()
    run(scheduler)
    assert events.finished(2).stop_reason == "cancelled"
    kept = events.finished(1)
    assert kept.stop_reason != "cancelled" and kept.completion_tokens > 0
