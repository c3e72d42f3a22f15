"""Vector kernels on the weight layouts.

Input-major ``W[i, j]`` (row i = one input unit, the stored layout): a zero input skips a whole
contiguous row, both in the forward matvec and in the update, and every inner loop runs over
contiguous memory (SIMD-friendly).  Unit-major ``W[j, i]`` (row j = one unit; the first layer
while it trains on dense inputs, see network.py): a unit whose delta is 0 skips a whole row.
"""
import numpy as np

from .jit import kernel


@kernel
def gather_nonzero(a, aoff, n, idx, ioff):
    """Write the indices of the non-zero entries of ``a[aoff:aoff+n]`` to ``idx[ioff:]``; return count."""
    k = 0
    a0, i0 = np.uint64(aoff), np.uint64(ioff)
    for i in range(n):
        idx[i0 + np.uint64(k)] = i     # branch-free compaction: no mispredictions on random zeros
        k += a[a0 + np.uint64(i)] != 0
    return k


@kernel
def reverse_list(idx, ioff, n):
    """Reverse ``idx[ioff:ioff+n]`` in place."""
    i = ioff
    j = ioff + n - 1
    while i < j:
        t = idx[i]
        idx[i] = idx[j]
        idx[j] = t
        i += 1
        j -= 1


@kernel
def matvec_sparse(w, woff, m, a, aoff, idx, ioff, nnz, z, zoff):
    """``z[zoff:zoff+m] = sum_i a[i] * W[i, :]`` over the listed non-zero inputs only."""
    z0 = np.uint64(zoff)                 # unsigned offsets: no views, no negative-index checks
    for jj in range(m):
        z[z0 + np.uint64(jj)] = 0
    t = 0
    while t + 4 <= nnz:                  # four inputs per pass: a quarter of the loads/stores of z
        i0 = idx[ioff + t]
        i1 = idx[ioff + t + 1]
        i2 = idx[ioff + t + 2]
        i3 = idx[ioff + t + 3]
        a0 = a[aoff + i0]
        a1 = a[aoff + i1]
        a2 = a[aoff + i2]
        a3 = a[aoff + i3]
        b0 = np.uint64(woff + i0 * m)
        b1 = np.uint64(woff + i1 * m)
        b2 = np.uint64(woff + i2 * m)
        b3 = np.uint64(woff + i3 * m)
        for jj in range(m):
            u = np.uint64(jj)
            z[z0 + u] += (a0 * w[b0 + u] + a1 * w[b1 + u]) + (a2 * w[b2 + u] + a3 * w[b3 + u])
        t += 4
    for t in range(t, nnz):
        i = idx[ioff + t]
        ai = a[aoff + i]
        b0 = np.uint64(woff + i * m)
        for jj in range(m):
            u = np.uint64(jj)
            z[z0 + u] += ai * w[b0 + u]


@kernel
def matvec_units(w, woff, m, n_in, a, aoff, z, zoff):
    """``z[zoff+j] = sum_i W[j, i] * a[i]`` for a unit-major ``W`` (``m`` rows of ``n_in``).

    Four units per pass: each load of ``a`` serves four rows, and the four sums are independent
    chains (one dot product at a time ran at a quarter of this speed on 717 inputs)."""
    a0 = np.uint64(aoff)
    n = np.uint64(n_in)
    jj = 0
    while jj + 4 <= m:
        b0 = np.uint64(woff) + np.uint64(jj) * n
        b1 = b0 + n
        b2 = b1 + n
        b3 = b2 + n
        s0 = np.float32(0)
        s1 = np.float32(0)
        s2 = np.float32(0)
        s3 = np.float32(0)
        for i in range(n_in):
            u = np.uint64(i)
            ai = a[a0 + u]
            s0 += w[b0 + u] * ai
            s1 += w[b1 + u] * ai
            s2 += w[b2 + u] * ai
            s3 += w[b3 + u] * ai
        q = np.uint64(zoff) + np.uint64(jj)
        z[q] = s0
        z[q + np.uint64(1)] = s1
        z[q + np.uint64(2)] = s2
        z[q + np.uint64(3)] = s3
        jj += 4
    for jj in range(jj, m):
        b0 = np.uint64(woff) + np.uint64(jj) * n
        s = np.float32(0)
        for i in range(n_in):
            u = np.uint64(i)
            s += w[b0 + u] * a[a0 + u]
        z[np.uint64(zoff) + np.uint64(jj)] = s
