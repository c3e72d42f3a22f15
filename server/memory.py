"""The backend's memory: the machine's physical memory, and process-wide allocator settings.

Every model build allocates its input matrix, the matrix's non-zero index and scoring copies:
tens of MB each, freed when the build ends.  By default glibc's malloc gives each thread its own
arena and serves such blocks with fresh ``mmap`` pages that it hands back to the kernel on
``free``, so the next build (on another job thread) faults every page in again.  A first touch
is slow on virtual machines; measured on this project's 2-core KVM machine, 5 cross-validations
of the booklet's MNIST model page-faulted 82-88k times with the defaults and 12-17k times with
the settings below, and took 1.18-1.37 s (medians) instead of 1.11-1.20 s.

So: one arena for every thread (the training kernels do not allocate, and the rest of the work
allocates a few large blocks, not many small ones), blocks up to ``MMAP_THRESHOLD`` served from
the heap, and up to ``TRIM_THRESHOLD`` of freed memory kept for reuse, as long-running servers
commonly do.
"""
from __future__ import annotations

import ctypes

_M_TRIM_THRESHOLD = -1          # glibc <malloc.h>
_M_MMAP_THRESHOLD = -3
_M_ARENA_MAX = -8

MMAP_THRESHOLD = 32 << 20       # glibc's own upper limit for this setting
TRIM_THRESHOLD = 1 << 30        # give memory back to the kernel only beyond 1 GB of free heap


def keep_freed_memory() -> bool:
    """Apply the settings above; False where that is not possible (another C library, or no
    ``mallopt``): only speed depends on them."""
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError, TypeError):        # TypeError: Windows has no CDLL(None)
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    applied = [mallopt(option, value) == 1 for option, value in
               ((_M_ARENA_MAX, 1), (_M_MMAP_THRESHOLD, MMAP_THRESHOLD), (_M_TRIM_THRESHOLD, TRIM_THRESHOLD))]
    return all(applied)                 # each is tried: one refused setting does not skip the others


def physical_memory() -> tuple[int, int]:
    """(available, total) physical memory of the machine in bytes, from /proc/meminfo where
    there is one, else (0, 0)."""
    try:
        info = {}
        with open("/proc/meminfo") as f:
            for line in f:
                k, v = line.split(":", 1)
                info[k] = int(v.split()[0]) * 1024
        return info.get("MemAvailable", info["MemFree"]), info["MemTotal"]
    except (OSError, KeyError, ValueError):
        return 0, 0
