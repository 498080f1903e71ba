"""`shopscribe serve` measured beside the engine it serves, in the same run, through the official
`openai` client (the yardstick of the serve issue):

- serve_ttft_overhead: time to first token through the server minus the engine's own (streamed, same
  prompt, same engine host), in ms. Target: 15 ms or less.
- serve_decode_ratio: tokens per second after the first token, through the server against the engine
  directly. Target: at least 0.9x.
- serve_batch_8: 8 concurrent requests to the server against the same 8 one after another (total
  tokens per second). Target: at least 1.5x: continuous batching at work.

The server runs in this process (uvicorn on a thread, 127.0.0.1, a free port) over an engine host, as
`shopscribe serve` does. Without the `openai` package (a development dependency) the figures say so.
"""

from __future__ import annotations

import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from desktop.core.bench.stats import Figure, Target, figure, interleaved, not_measured

PROMPT = [{"role": "user", "content": "Write a product description for a stainless steel camp mug."}]
N_CONCURRENT = 8


def measure(bench) -> list[Figure]:
    targets = {"serve_ttft_overhead": Target("value", "<=", 15.0, "ms"),
               "serve_decode_ratio": Target("ratio", ">=", 0.9), "serve_batch_8": Target("ratio", ">=", 1.5)}
    try:
        import openai
    except ImportError:
        return [not_measured(name, "", "", target, "the openai client is not installed (pip install openai)")
                for name, target in targets.items()]
    from desktop.core.engine.client import HostEngine
    from desktop.core.engine.interface import Finished, GenerationRequest, TextDelta

    config = bench.config
    tokens = config.decode_tokens
    bench.say(f"serve: engine host and server on 127.0.0.1 ({tokens} tokens a request)")
    engine = HostEngine(bench.model_path, n_ctx=4096, n_threads=bench.n_threads)
    engine.load()
    server, port = _start_server(engine)
    client = openai.OpenAI(base_url=f"http://127.0.0.1:{port}/v1", api_key="bench",
                           max_retries=0, timeout=600)
    request = dict(model="local", messages=PROMPT, max_tokens=tokens, temperature=0.7,
                   extra_body={"ignore_eos": True})
    try:
        def direct() -> tuple[float, float]:
            start, first = time.perf_counter(), None
            for event in engine.stream(GenerationRequest(messages=PROMPT, max_tokens=tokens, seed=1,
                                                         ignore_eos=True)):
                if isinstance(event, TextDelta) and first is None:
                    first = time.perf_counter()
                elif isinstance(event, Finished):
                    end = time.perf_counter()
                    return first - start, (event.completion_tokens - 1) / (end - first)
            raise AssertionError("no Finished")

        def served() -> tuple[float, float]:
            start, first, n = time.perf_counter(), None, 0
            for chunk in client.chat.completions.create(
                stream=True, seed=1, stream_options={"include_usage": True}, **request
            ):
                if chunk.choices and chunk.choices[0].delta.content and first is None:
                    first = time.perf_counter()
                if chunk.usage is not None:
                    n = chunk.usage.completion_tokens
            end = time.perf_counter()
            return first - start, (n - 1) / (end - first)

        direct()  # warm: the prompt's prefix is cached for both sides alike
        served()
        pairs = interleaved({"direct": direct, "served": served}, config.short_repetitions)
        ttft_direct = [p[0] * 1000 for p in pairs["direct"]]
        ttft_served = [p[0] * 1000 for p in pairs["served"]]
        overhead = [s - d for s, d in zip(ttft_served, ttft_direct)]
        figures = [
            figure("serve_ttft_overhead", overhead, "ms",
                   "engine host's own time to first token", ttft_direct,
                   targets["serve_ttft_overhead"],
                   note="streamed, openai client, same prompt and engine host"),
            figure("serve_decode_ratio", [p[1] for p in pairs["served"]], "tok/s", "the engine host directly",
                   [p[1] for p in pairs["direct"]], targets["serve_decode_ratio"]),
        ]

        def one(seed: int) -> int:
            return client.chat.completions.create(seed=seed, **request).usage.completion_tokens

        def sequential() -> float:
            start = time.perf_counter()
            n = sum(one(seed) for seed in range(N_CONCURRENT))
            return n / (time.perf_counter() - start)

        def concurrent() -> float:
            start = time.perf_counter()
            with ThreadPoolExecutor(N_CONCURRENT) as pool:
                n = sum(pool.map(one, range(N_CONCURRENT)))
            return n / (time.perf_counter() - start)

        batch = interleaved({"concurrent": concurrent, "sequential": sequential}, config.repetitions)
        figures.append(figure("serve_batch_8", batch["concurrent"], "tok/s", "the same 8 one after another",
                              batch["sequential"], targets["serve_batch_8"],
                              note=f"{N_CONCURRENT} concurrent chat completions of {tokens} tokens"))
        return figures
    finally:
        server.should_exit = True
        engine.close()


def _start_server(engine):
    import uvicorn

    from desktop.core.server.app import create_app

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(engine), host="127.0.0.1", port=port,
                                           log_level="warning",
                                           access_log=False))
    threading.Thread(target=server.run, name="bench-serve", daemon=True).start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    return server, port
