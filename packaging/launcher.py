"""Entry script of the frozen app: the same `shopscribe` command as the console script.

PyInstaller needs a script, not an entry point; this one calls desktop.cli.main, or, started as
`shopscribe --engine-host` by the app itself, runs the engine host (desktop/core/engine/host.py): the
frozen app has no separate Python to start it with.
"""

import multiprocessing
import sys

from desktop.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()  # llama_cpp imports multiprocessing; a frozen child must not re-run the app
    if sys.argv[1:2] == ["--engine-host"]:  # the engine host process (engine/host_process.py starts it)
        from desktop.core.engine.host import main as engine_host

        sys.exit(engine_host())
    sys.exit(main())
