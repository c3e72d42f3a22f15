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
- Array arguments that do not alias (``_noalias``): every loop over two arrays (weights and
  their ADADELTA state, deltas and errors) otherwise starts with run-time overlap checks and
  keeps a scalar fallback, which on the 32-unit rows of the booklet's trial net cost as much as
  a vector step.  Numba has the compiler flag (its parallel kernels set it) but no jit option, so
  one is mapped here.  No kernel is passed the same array twice where it writes (the optimizer
  state's stand-ins are separate one-element copies, network.py).  Measured on Zen 4: the
  ADADELTA update of a 32-weight row 18.9 -> 13.8 ns (100 weights: 49 -> 43 ns); the trial net
  on one thread about 195k -> 215k samples/s (8 interleaved pairs, median ratio 1.16).
"""
from numba import njit
from numba.core.compiler import Flags
from numba.core.cpu import CPUTargetOptions
from numba.core.options import TargetOptions

# A Numba without the flag compiles the kernels as before (slower, still correct)
NO_ALIAS = {"_noalias": True} if hasattr(Flags, "noalias") else {}
if NO_ALIAS and not hasattr(CPUTargetOptions, "_noalias"):
    CPUTargetOptions._noalias = TargetOptions.Mapping("noalias")

FASTMATH = frozenset({"nsz", "arcp", "contract", "afn", "reassoc"})


def kernel(fn=None, *, fastmath: bool = True, inline: bool = False):
    """``@kernel`` / ``@kernel(inline=True, fastmath=False)``: compile ``fn`` as a training kernel."""
    def wrap(f):
        return njit(nogil=True, cache=True, _nrt=False, error_model="numpy",
                    fastmath=set(FASTMATH) if fastmath else False,
                    inline="always" if inline else "never", **NO_ALIAS)(f)
    return wrap(fn) if fn is not None else wrap
