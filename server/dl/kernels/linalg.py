"""Vector kernels on the input-major weight layout ``W[i, j]`` (row i = one input unit).

Input-major storage means a zero input skips a whole contiguous row, both in the forward
matvec and in the update, and every inner loop runs over contiguous memory (SIMD-friendly).
"""
import numpy as np
from numba import njit

FASTMATH = {"nsz", "arcp", "contract", "afn", "reassoc"}  # not nnan/ninf: NaN checks must survive


@njit(nogil=True, cache=True, fastmath=FASTMATH, error_model="numpy")
def gather_nonzero(a, aoff, n, idx, ioff):
    """Write the indices of the non-zero entries of ``a[aoff:aoff+n]`` to ``idx[ioff:]``; return count."""
    k = 0
    for i in range(n):
        idx[ioff + k] = i          # branch-free compaction: no mispredictions on random zeros
        k += a[aoff + i] != 0
    return k


@njit(nogil=True, cache=True, fastmath=FASTMATH, error_model="numpy")
def matvec_sparse(w, woff, m, a, aoff, idx, ioff, nnz, z, zoff):
    """``z[zoff:zoff+m] = sum_i a[i] * W[i, :]`` over the listed non-zero inputs only."""
    z0 = np.uint64(zoff)                 # unsigned offsets: no views, no negative-index checks
    for jj in range(m):
        z[z0 + np.uint64(jj)] = 0
    for t in range(nnz):
        i = idx[ioff + t]
        ai = a[aoff + i]
        b0 = np.uint64(woff + i * m)
        for jj in range(m):
            u = np.uint64(jj)
            z[z0 + u] += ai * w[b0 + u]
