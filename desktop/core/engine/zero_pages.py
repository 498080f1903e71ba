"""Give back the pages llama.cpp has only filled with zeros (Linux).

llama.cpp clears its KV cache when it creates a context, so the whole cache (94 MB for the embedded
model at 4,096 tokens, about 115 MB for a 1.5B model) becomes resident at once, although a request
writes only the cells it uses. An all-zero page of private anonymous memory can be handed back to the
kernel with `madvise(MADV_DONTNEED)`: the next read of it returns a zero-filled page, exactly what was
there, and the page is resident again only once something is written to it. So the cache costs memory
as it fills, not before.

The rule needs no knowledge of llama.cpp's allocations: only pages that are all zero, in private
anonymous mappings that appeared while the context was created, are released, and for such a page the
release changes nothing a program can read (the kernel may merge an older mapping with a new one;
its zero pages go too, by the same rule). File-backed and shared mappings are never touched (there a
released page would read back the file, or stay). No page may change between its check and its
release: `release_new_zero_pages` says how that is kept. Only the engine host calls it, on the CPU.
"""

from __future__ import annotations

import ctypes
import functools
import mmap
import sys

PAGE = mmap.PAGESIZE
MADV_DONTNEED = 4  # Linux
MIN_MAPPING = 1 << 20  # smaller mappings are Python's and malloc's own business: not worth a scan
CHUNK_PAGES = 512  # compare 2 MB at a time: a bounded temporary, whatever the cache's size

Range = tuple[int, int]


def anonymous_mappings() -> set[Range]:
    """(start, end) of this process's private, writable, anonymous mappings of MIN_MAPPING or more;
    empty where /proc/self/maps does not exist (anything but Linux)."""
    if not sys.platform.startswith("linux"):
        return set()
    try:
        with open("/proc/self/maps", encoding="ascii", errors="replace") as maps:
            return private_anonymous(maps)
    except OSError:
        return set()


def private_anonymous(maps_lines) -> set[Range]:
    """The candidates among the lines of a /proc/<pid>/maps listing."""
    found: set[Range] = set()
    for line in maps_lines:
        fields = line.split()
        if len(fields) != 5:  # a path, [heap], [stack]: not anonymous
            continue
        perms = fields[1]
        if not (perms.startswith("rw") and perms.endswith("p")):
            continue
        start, end = (int(x, 16) for x in fields[0].split("-"))
        if end - start >= MIN_MAPPING:
            found.add((start, end))
    return found


def release_new_zero_pages(before: set[Range]) -> int:
    """Release the all-zero pages of the anonymous mappings that exist now and did not in `before`;
    returns the resident memory given back, in bytes (0 where this cannot be done). Pages that were
    never touched are released too but were not resident, so they do not count.

    While the pages are checked and released no other Python thread gets in (the switch interval is
    lifted, and every call in that loop keeps the GIL), so no page is written between its check and
    its release. The
    engine host's reader thread, the only other one, reads messages in pieces too small for their own
    mappings (protocol.py), so not even a read in flight writes into the pages scanned."""
    madvise = _madvise()
    if madvise is None:
        return 0
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1000.0)
    try:
        resident = _resident_bytes()
        for start, end in sorted(anonymous_mappings() - before):
            _release_zero_runs(madvise, start, end)
        return max(0, resident - _resident_bytes())
    finally:
        sys.setswitchinterval(interval)


def _resident_bytes() -> int:
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * PAGE


_ZERO_CHUNK = bytes(CHUNK_PAGES * PAGE)
_ZERO_PAGE = bytes(PAGE)


def _release_zero_runs(madvise, start: int, end: int) -> None:
    run_start = None  # the first page of the current run of zero pages

    def close_run(at: int) -> None:
        nonlocal run_start
        if run_start is not None:
            madvise(run_start, at - run_start, MADV_DONTNEED)
        run_start = None

    for chunk in range(start, end, CHUNK_PAGES * PAGE):
        size = min(CHUNK_PAGES * PAGE, end - chunk)
        if size == len(_ZERO_CHUNK) and ctypes.string_at(chunk, size) == _ZERO_CHUNK:
            run_start = chunk if run_start is None else run_start
            continue
        for page in range(chunk, chunk + size, PAGE):
            if ctypes.string_at(page, PAGE) == _ZERO_PAGE:
                run_start = page if run_start is None else run_start
            else:
                close_run(page)
    close_run(end)


@functools.cache
def _madvise():
    if not sys.platform.startswith("linux"):
        return None
    try:
        madvise = ctypes.PyDLL(None).madvise  # PyDLL: the call keeps the GIL (see above)
    except (OSError, AttributeError):
        return None
    madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
    madvise.restype = ctypes.c_int
    return madvise
