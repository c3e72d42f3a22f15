"""The input layer of one training row: its non-zero inputs and input dropout.

Fixed per-row costs matter on small nets: the non-zero inputs come from a pre-built CSR when
there is one (see sparse_rows.py) instead of a scan of every input, and the dropout draws for a
row's inputs are made in one vectorized pass (rng.py) before the inputs are kept or dropped.
"""
import numpy as np

from .jit import kernel
from .rng import draw_uniforms


@kernel
def load_inputs(r, X, nz_ptr, nz_idx, nz_val, a, idx, dense, p_in, rng, u):
    """Put row r's inputs into ``a[0:n_in]`` and list the kept non-zero ones in ``idx``; returns
    their count.  Input dropout drops each non-zero input with probability ``p_in`` (a dropped
    input is left out of ``idx``; ``a`` is then only read through ``idx``, except with ``dense``,
    where every input is written and a dropped one is set to 0).  ``u``: scratch for one draw
    per input."""
    n_in = X.shape[1]
    if dense:
        for i in range(n_in):
            a[i] = X[r, np.uint64(i)]
    csr = nz_ptr.shape[0] > 1
    # unsigned indices: with signed ones LLVM vectorized the copies as gathers (to allow for
    # Python's negative indices) and ran them 3x slower than contiguous loads
    q0 = np.uint64(nz_ptr[r]) if csr else np.uint64(0)
    if csr:
        k = nz_ptr[r + 1] - nz_ptr[r]
    else:
        k = 0
        for i in range(n_in):
            idx[k] = i                      # branch-free compaction of the non-zero inputs
            k += X[r, np.uint64(i)] != 0
        if dense and p_in <= 0:
            return k                        # ``a`` and ``idx`` are complete
    drop = p_in > 0
    if drop:
        draw_uniforms(rng, u, k)
    kept = 0
    for q in range(k):                      # branch-free: input dropout is unpredictable
        uq = np.uint64(q)
        if csr:
            i = np.uint64(nz_idx[q0 + uq])
            v = nz_val[q0 + uq]
        else:
            i = np.uint64(idx[uq])
            v = X[r, i]
        keep = (not drop) or u[uq] >= p_in
        idx[kept] = i
        kept += keep
        if dense:
            a[i] = v if keep else np.float32(0)
        else:
            a[i] = v
    return kept
