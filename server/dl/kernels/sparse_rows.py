"""Per-row lists of non-zero inputs (CSR) of a training matrix.

With sparse inputs (MNIST: ~20% of 666 pixels non-zero) scanning all inputs of every row to find
the non-zero ones is a large share of a small net's per-row work.  The CSR is only built when it
pays: for data less than half non-zero (denser data is scanned as before, and the CSR would
outgrow ``X``).  input_cache.py builds it once per training matrix.
"""
from __future__ import annotations

import numpy as np

from .jit import kernel

MAX_DENSITY = 0.5


@kernel(fastmath=False)
def _count_nonzero_rows(X, ptr):
    for r in range(X.shape[0]):
        k = 0
        for i in range(X.shape[1]):
            k += X[r, i] != 0
        ptr[r + 1] = ptr[r] + k


@kernel(fastmath=False)
def _fill_nonzero_rows(X, ptr, idx, val):
    for r in range(X.shape[0]):
        k = ptr[r]
        for i in range(X.shape[1]):
            v = X[r, i]
            if v != 0:
                idx[k] = i
                val[k] = v
                k += 1


def build_nonzero_rows(X: np.ndarray):
    """``(ptr int64[n+1], idx int32[nnz], val float32[nnz])`` of ``X``'s non-zeros, or None if
    ``X`` is at least ``MAX_DENSITY`` non-zero."""
    ptr = np.zeros(X.shape[0] + 1, np.int64)
    _count_nonzero_rows(X, ptr)
    nnz = int(ptr[-1])
    if nnz >= MAX_DENSITY * X.size:
        return None
    idx = np.empty(nnz, np.int32)
    val = np.empty(nnz, np.float32)
    _fill_nonzero_rows(X, ptr, idx, val)
    return ptr, idx, val
