"""The engine host runs below the window: while it decodes, its threads keep every core of a 2-core
laptop busy, and the window's GUI thread (or the merchant's browser) must still get a core the moment it
wakes, or the window stutters. When nothing else wants the CPU, a lower priority costs nothing.

On Linux, a nice value alone does not do it: each session is a scheduling group of its own
(autogroup), and the host starts in a session of its own (host_process.py), so a thread's nice value is
only weighed against the host's other threads, while the host's group and the window's group share the
CPU equally. The group's own nice value (/proc/self/autogroup) is what the window is weighed against.
Raising it needs no privilege; the host only writes it when it leads its session, so it never lowers
a terminal's group it was started from.

The possible price: some decoding speed when the program reading the text runs on the same cores,
since its wake-ups now take a core from the host at once. `shopscribe bench --only decode` measures it:
the decode figures' notes give the same host at normal priority, in the same alternating runs.
`SHOPSCRIBE_ENGINE_PRIORITY=normal` keeps the host at the priority it was started with (a dedicated
inference server has no window to keep smooth).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

BACKGROUND_NICE = 19  # the weakest weight: anything interactive wins a core at once
AUTOGROUP = Path("/proc/self/autogroup")
ENV = "SHOPSCRIBE_ENGINE_PRIORITY"  # "background" (the default) or "normal"


def keep_normal() -> bool:
    return os.environ.get(ENV, "").strip().lower() == "normal"


def run_below_interactive() -> list[str]:
    """Lower this process's CPU priority (never raise it), unless SHOPSCRIBE_ENGINE_PRIORITY=normal.
    Returns what was done, for the log."""
    done: list[str] = []
    if keep_normal():
        return done
    if sys.platform == "win32":
        import psutil

        try:
            psutil.Process().nice(psutil.BELOW_NORMAL_PRIORITY_CLASS)
            done.append("priority class below normal")
        except (OSError, psutil.Error):
            pass
        return done
    try:
        current = os.nice(0)
        if current < BACKGROUND_NICE:
            os.nice(BACKGROUND_NICE - current)  # weighs against other processes where there is no autogroup
        done.append(f"nice {os.nice(0)}")
    except OSError:
        pass
    if AUTOGROUP.exists() and os.getsid(0) == os.getpid():
        try:
            AUTOGROUP.write_text(str(BACKGROUND_NICE))
            done.append(f"session group nice {BACKGROUND_NICE}")
        except OSError:  # read-only /proc, or a kernel that refuses: the plain nice value still stands
            pass
    return done


def group_nice(pid: int) -> int | None:
    """The autogroup nice value of process `pid`, or None where the kernel keeps no autogroups."""
    try:
        text = Path(f"/proc/{pid}/autogroup").read_text()  # "/autogroup-123 nice 19"
    except OSError:
        return None
    try:
        return int(text.split("nice")[-1])
    except ValueError:
        return None
