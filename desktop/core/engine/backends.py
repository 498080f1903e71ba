"""llama.cpp's compute backends: which CPU variant to load (portable builds ship several), and which
devices llama.cpp sees.

A build tuned to one CPU has its CPU backend built in: nothing to load, no variants to choose from.
"""

from __future__ import annotations


def variant_names() -> list[str]:
    """The CPU variants this install ships, by file name (empty for a build tuned to one CPU)."""
    return []


def ensure_cpu_backend(choice: str | None = None) -> str | None:
    """Load the CPU backend llama.cpp will use, once per process; returns the variant's name, or None
    when the backend is built in. `choice`: None for the best this CPU runs, "avoid-amx" for the best
    without AMX, or a variant's name."""
    return None
