"""Give back the KV cache's pages that llama.cpp has only cleared (Linux with glibc; elsewhere nothing).

llama.cpp clears its KV cache when it creates a context, so the whole cache (90 MB for the embedded
model at 4,096 tokens, about 115 MB for a 1.5B model) becomes resident before a token is read, although
a request writes only the cells it uses. An all-zero page of private anonymous memory can be handed
back with `madvise(MADV_DONTNEED)`: the next read returns a zero-filled page, exactly what was there,
and the page is resident again only once something is written to it. So the cache costs memory as it
fills, not before.

Only the cache's own pages are touched, found without guessing at anyone else's memory:
- llama.cpp logs each cache buffer's size while it creates the context ("CPU KV buffer size = 90.00 MiB");
- ggml allocates a buffer with `posix_memalign(64, size)`, and glibc serves one this large from a
  mapping of its own, which starts with two chunk headers of a known form: the mapping's size with the
  "mmapped" flag, then the 64-byte-aligned chunk, 48 bytes in, with the size that remains;
- such a header, with the logged size, at the start of a page that was not mapped before the context
  was created, is the cache buffer. Nothing else is scanned or released.

Nothing writes to that buffer except llama.cpp decoding with this context, and the thread that decodes
is the one running this release (the engine host's work thread, right after creating the context), so
no page changes between its check and its release. Anything unexpected (another C library, a buffer
on a GPU, a size that does not match) releases nothing.
"""

from __future__ import annotations

import ctypes
import functools
import logging
import mmap
import re
import sys

log = logging.getLogger(__name__)

PAGE = mmap.PAGESIZE
MADV_DONTNEED = 4  # Linux
WORD = ctypes.sizeof(ctypes.c_uint64)
IS_MMAPPED = 0x2  # glibc's chunk flag; the other two flag bits are clear on an mmapped chunk
FLAGS = 0x7
LEAD = 48  # posix_memalign(64, n): the aligned chunk's header starts 48 bytes into the mapping
DATA = LEAD + 2 * WORD  # the buffer itself starts 64 bytes in
SIZE_SLACK = PAGE + 16 * 1024  # the mapping rounds up to a page; the logged MiB have two decimals
CHUNK_PAGES = 512  # compare 2 MB at a time: a bounded temporary, whatever the cache's size
KV_BUFFER_LINE = re.compile(r"\bCPU KV buffer size =\s*([0-9]+(?:\.[0-9]+)?) MiB")

Range = tuple[int, int]


def kv_buffer_sizes(log_lines) -> list[int]:
    """The CPU cache buffers' sizes in bytes, from llama.cpp's log lines of the context's creation."""
    sizes = []
    for line in log_lines:
        match = KV_BUFFER_LINE.search(line)
        if match:
            sizes.append(round(float(match.group(1)) * 1024 * 1024))
    return sizes


def mapped_ranges() -> list[Range]:
    """Every mapping of this process, whatever its kind; empty where /proc/self/maps does not exist."""
    return [(start, end) for start, end, _ in _maps()]


def _maps() -> list[tuple[int, int, bool]]:
    """(start, end, private writable anonymous) for each line of /proc/self/maps."""
    if not sys.platform.startswith("linux"):
        return []
    try:
        with open("/proc/self/maps", encoding="ascii", errors="replace") as maps:
            return parse_maps(maps)
    except OSError:
        return []


def parse_maps(lines) -> list[tuple[int, int, bool]]:
    out = []
    for line in lines:
        fields = line.split()
        if len(fields) < 5:
            continue
        start, end = (int(x, 16) for x in fields[0].split("-"))
        perms = fields[1]
        anonymous = len(fields) == 5 and perms.startswith("rw") and perms.endswith("p")
        out.append((start, end, anonymous))
    return out


def new_anonymous_ranges(before: list[Range], now: list[tuple[int, int, bool]]) -> list[Range]:
    """The parts of today's private writable anonymous mappings that no mapping of `before` covered
    (the kernel merges a new mapping with an older neighbour: only the new addresses count)."""
    old = sorted(before)
    out = []
    for start, end, anonymous in now:
        if not anonymous:
            continue
        pieces = [(start, end)]
        for old_start, old_end in old:
            if old_end <= start or old_start >= end:
                continue
            pieces = [part for a, b in pieces for part in ((a, min(b, old_start)), (max(a, old_end), b))
                      if part[1] > part[0]]
        out.extend(pieces)
    return out


def find_buffers(ranges: list[Range], sizes: list[int]) -> list[Range]:
    """(start, end) of each buffer that glibc mapped for `posix_memalign(64, size)` with a size in
    `sizes`, inside `ranges`: the part of its mapping after the headers."""
    found = []
    for start, end in ranges:
        first = _page_up(start)
        pages = (end - first) // PAGE
        if pages <= 0:
            continue
        # The second word of every page at once (one read per page, in C): a mapping's size field.
        memory = memoryview((ctypes.c_char * (pages * PAGE)).from_address(first)).cast("B").cast("Q")
        size_fields = memory[1 :: PAGE // WORD].tolist()
        next_free = first
        for index, field in enumerate(size_fields):
            page = first + index * PAGE
            if page < next_free or field & FLAGS != IS_MMAPPED:
                continue
            mapping = _mmapped_chunk_size(page, end)
            if mapping and any(abs(mapping - DATA - size) <= SIZE_SLACK for size in sizes):
                found.append((page + DATA, page + mapping))
                next_free = page + mapping
    return found


def _mmapped_chunk_size(page: int, end: int) -> int:
    """The size of the glibc mapping that a 64-byte-aligned allocation starts at `page`, or 0."""
    words = (ctypes.c_uint64 * 8).from_address(page)
    size = words[1] & ~FLAGS
    if words[1] & FLAGS != IS_MMAPPED or size < PAGE or size % PAGE or page + size > end:
        return 0
    if words[0] != 0 or words[6] != LEAD or words[7] != (size - LEAD) | IS_MMAPPED:
        return 0
    return size


def release_zero_pages(start: int, end: int) -> int:
    """Release the whole pages of [start, end) that hold only zeros; returns the bytes released (pages
    never touched count too, though they were not resident)."""
    madvise = _madvise()
    if madvise is None:
        return 0
    first, last = _page_up(start), end - end % PAGE
    released = 0
    run_start = None

    def close_run(at: int) -> None:
        nonlocal run_start, released
        if run_start is not None and madvise(run_start, at - run_start, MADV_DONTNEED) == 0:
            released += at - run_start
        run_start = None

    for chunk in range(first, last, CHUNK_PAGES * PAGE):
        size = min(CHUNK_PAGES * PAGE, last - chunk)
        if size == len(_ZERO_CHUNK) and ctypes.string_at(chunk, size) == _ZERO_CHUNK:
            run_start = chunk if run_start is None else run_start
            continue
        for page in range(chunk, chunk + size, PAGE):
            if ctypes.string_at(page, PAGE) == _ZERO_PAGE:
                run_start = page if run_start is None else run_start
            else:
                close_run(page)
    close_run(last)
    return released


def release_cleared_kv(before: list[Range], log_lines) -> int:
    """After a context was created: release the zero pages of its KV cache buffers. `before` is
    `mapped_ranges()` from just before the creation, `log_lines` llama.cpp's log meanwhile. Returns
    the bytes released (0 where the buffers are not found)."""
    sizes = kv_buffer_sizes(log_lines)
    if not sizes or _madvise() is None:
        return 0
    try:
        buffers = find_buffers(new_anonymous_ranges(before, _maps()), sizes)
        return sum(release_zero_pages(start, end) for start, end in buffers)
    except (OSError, ValueError) as exc:  # a saving, never a reason for a load to fail
        log.warning("KV cache pages not given back: %s", exc)
        return 0


def _page_up(address: int) -> int:
    return -(-address // PAGE) * PAGE


_ZERO_CHUNK = bytes(CHUNK_PAGES * PAGE)
_ZERO_PAGE = bytes(PAGE)


@functools.cache
def _madvise():
    """libc's madvise, where the C library is glibc (the chunk headers above are glibc's)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None)
        libc.gnu_get_libc_version  # noqa: B018 - glibc has it; musl does not
        madvise = libc.madvise
    except (OSError, AttributeError):
        return None
    madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
    madvise.restype = ctypes.c_int
    return madvise
