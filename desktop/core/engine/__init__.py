"""The engine: llama.cpp behind one interface (interface.py), run in its own process.

Importing this package loads nothing native: it exposes the requests, events and the interface. The
implementations live in their own modules: `local` (llama.cpp in this process; the engine host runs
it), `client` (the window's and the command line's handle on the engine host).
"""

from desktop.core.engine.interface import Engine, EventCallback, Finished, GenerationRequest, TextDelta

__all__ = ["Engine", "EventCallback", "Finished", "GenerationRequest", "TextDelta"]
