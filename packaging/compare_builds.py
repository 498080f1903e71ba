"""Decode and prompt speed of two llama-cpp-python installs on this machine, same model, alternating runs:
is the portable build (CPU variants chosen at run time) as fast as one compiled for this CPU?

    python packaging/compare_builds.py PYTHON_A PYTHON_B [--runs 5] [--tokens 128]

Each run is a fresh process of that interpreter with this source tree on PYTHONPATH: it loads the CPU
backend as the engine host does, loads the embedded model, reads a ~450-token prompt and writes a fixed
number of tokens (end-of-text banned), and prints its figures. Runs alternate A, B, A, B ... so a busy
machine slows both alike; the medians are reported (docs/packaging.md has the results).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUN = """
import json, sys, time
from desktop.core.embedded import embedded_model_path
from desktop.core.engine.backends import ensure_cpu_backend
from desktop.core.engine.interface import GenerationRequest
from desktop.core.engine.local import LocalEngine
from desktop.core.engine.machine import has_amx
variant = ensure_cpu_backend("avoid-amx" if has_amx() else None)  # llama.cpp's AMX repack crashes
engine = LocalEngine(embedded_model_path(), n_ctx=2048, n_threads={threads}, n_seq_max=1, flash_attn="off",
                     use_extra_bufts=not (has_amx() and variant is None))
engine.load()
prompt = "Write a product description for a stainless steel camp mug. " * 40
out = engine.generate(GenerationRequest(prompt=prompt, max_tokens={tokens}, temperature=0, ignore_eos=True))
print(json.dumps({{"variant": variant, "decode_tok_s": out.tokens_per_s, "prompt_tokens": out.prompt_tokens,
                  "ttft_s": out.ttft_s}}))
"""


def one_run(python: str, tokens: int, threads: int) -> dict:
    proc = subprocess.run([python, "-c", RUN.format(tokens=tokens, threads=threads)], capture_output=True,
                          text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=600)
    if proc.returncode != 0:
        raise SystemExit(f"{python} failed:\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("python_a")
    parser.add_argument("python_b")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--tokens", type=int, default=128)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    results: dict[str, list[dict]] = {args.python_a: [], args.python_b: []}
    for i in range(args.runs):
        for python in (args.python_a, args.python_b):
            result = one_run(python, args.tokens, args.threads)
            results[python].append(result)
            print(f"run {i + 1} {python}: {result['variant'] or 'built in'}, decode {result['decode_tok_s']:.1f} tok/s, "
                  f"prompt {result['prompt_tokens']} tokens, first token {result['ttft_s'] * 1000:.0f} ms", flush=True)
    for python, runs in results.items():
        decode = statistics.median(r["decode_tok_s"] for r in runs)
        ttft = statistics.median(r["ttft_s"] for r in runs)
        print(f"median {python}: decode {decode:.1f} tok/s, first token {ttft * 1000:.0f} ms "
              f"({len(runs)} runs; variant {runs[0]['variant'] or 'built in'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
