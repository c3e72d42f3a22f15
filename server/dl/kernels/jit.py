"""How every training kernel is compiled: one decorator, so that all kernels agree.

- ``nogil``: the HOGWILD! threads run kernels at the same time.
- ``cache``: compiled code is kept on disk (compile time is part of the first model's latency).
- ``error_model="numpy"``: no zero-division checks (and exception paths) in the inner loops.
- fastmath without ``nnan``/``ninf``: the NaN checks (unstable models) must survive.
- No reference counting (Numba's private ``_nrt=False``): the kernels never allocate, and with
  reference counting Numba increments and decrements an array's shared header (an atomic
  operation) whenever an array is passed to a helper, dozens of times per training row.  The
  HOGWILD! threads share the weight arrays, so those atomics also bounce one cache line between
  cores.  Measured on the booklet's trial net (bench/bench_kernels.py --only trial): one thread
  205k -> 265k samples/s, two threads 252k -> 339k samples/s, identical weights.
"""
from numba import njit

FASTMATH = frozenset({"nsz", "arcp", "contract", "afn", "reassoc"})


def kernel(fn=None, *, fastmath: bool = True, inline: bool = False):
    """``@kernel`` / ``@kernel(inline=True, fastmath=False)``: compile ``fn`` as a training kernel."""
    def wrap(f):
        return njit(nogil=True, cache=True, _nrt=False, error_model="numpy",
                    fastmath=set(FASTMATH) if fastmath else False,
                    inline="always" if inline else "never")(f)
    return wrap(fn) if fn is not None else wrap
