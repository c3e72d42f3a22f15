"""The input layer of one training row: its non-zero inputs, input dropout, and the row's
hidden-dropout draws.

Fixed per-row costs matter on small nets: the non-zero inputs come from a pre-built CSR when
there is one (see sparse_rows.py) instead of a scan of every input, and each generator step
feeds two dropout decisions (two 24-bit uniforms, compared as integers: exactly the float test
``u >= p`` on the same 24 bits).
"""
import numpy as np

from .rng import step, two_u24, u24_threshold
from .jit import kernel


@kernel
def load_inputs(r, X, nz_ptr, nz_idx, nz_val, a, idx, dense, p_in, rng):
    """Put row r's inputs into ``a[0:n_in]`` and list the kept non-zero ones in ``idx``; returns
    their count.  Input dropout drops each non-zero input with probability ``p_in`` (a dropped
    input is left out of ``idx``; ``a`` is then only read through ``idx``, except with ``dense``,
    where every input is written and a dropped one is set to 0)."""
    n_in = X.shape[1]
    if dense:
        for i in range(n_in):
            a[i] = X[r, np.uint64(i)]
    k = 0
    if nz_ptr.shape[0] > 1:                 # CSR: copy the row's non-zeros
        # unsigned indices: with signed ones LLVM vectorized this loop as gathers (to allow for
        # Python's negative indices) and ran it 3x slower than contiguous loads
        q0 = np.uint64(nz_ptr[r])
        k = nz_ptr[r + 1] - nz_ptr[r]
        for q in range(k):
            u = np.uint64(q)
            i = np.uint64(nz_idx[q0 + u])
            idx[u] = i
            a[i] = nz_val[q0 + u]
    else:
        for i in range(n_in):
            idx[k] = i                      # branch-free compaction of the non-zero inputs
            k += X[r, np.uint64(i)] != 0
        if not dense:
            for q in range(k):
                i = idx[q]
                a[i] = X[r, i]
    if p_in <= 0:
        return k
    th = u24_threshold(p_in)
    x = rng[0]
    kept = 0
    q = 0
    while q + 1 < k:                        # branch-free: input dropout is unpredictable
        x, out = step(x)
        hi, lo = two_u24(out)
        i0 = idx[q]
        i1 = idx[q + 1]
        keep0 = hi >= th
        keep1 = lo >= th
        idx[kept] = i0
        kept += keep0
        idx[kept] = i1
        kept += keep1
        if dense:
            a[i0] = a[i0] if keep0 else np.float32(0)
            a[i1] = a[i1] if keep1 else np.float32(0)
        q += 2
    if q < k:
        x, out = step(x)
        hi, lo = two_u24(out)
        i0 = idx[q]
        keep0 = hi >= th
        idx[kept] = i0
        kept += keep0
        if dense:
            a[i0] = a[i0] if keep0 else np.float32(0)
    rng[0] = x
    return kept


@kernel
def draw_uniforms(rng, u):
    """Fill ``u`` with uniforms in [0, 1) (24-bit resolution, two per generator step)."""
    n = u.shape[0]
    scale = np.float32(1.0 / 16777216.0)
    x = rng[0]
    for j in range(0, n - 1, 2):
        x, out = step(x)
        hi, lo = two_u24(out)
        u[j] = np.float32(hi) * scale
        u[j + 1] = np.float32(lo) * scale
    if n % 2 == 1:
        x, out = step(x)
        hi, lo = two_u24(out)
        u[n - 1] = np.float32(hi) * scale
    rng[0] = x
