"""Numeric columns into the network's input layout (DataInfo): scaling statistics and the
numeric block of the input matrix, each in one pass per column.

Frames keep one float64 array per column and the input matrix is row-major float32, so the
numeric block is a scaled transpose.  With NumPy both steps took several passes per column
(gather, NaN mask, mean, sd, min, max; subtract, multiply, NaN fill, then a transposing copy):
about 30 ms for the statistics and 60 ms for the block on 6,400 MNIST rows, paid by every
cross-validation fold.  These kernels take 2-3 ms and ~10 ms.
"""
import numpy as np
# the submodule itself: ``from numba.typed import List`` resolves lazily and, when two threads
# import it at once (a training job and the start-up kernel warm-up), can fail half-imported
from numba.typed.typedlist import List

from .jit import kernel

_ALL_ROWS = np.zeros(0, np.int64)


def column_stats(cols: list[np.ndarray], rows: np.ndarray | None) -> np.ndarray:
    """Per column over ``rows`` (default: all), NaNs left out: ``[mean, sample sd (n - 1), min,
    max, count]`` (mean NaN and the rest 0 when no value is left)."""
    out = np.empty((len(cols), 5))
    if cols:
        _column_stats(_typed(cols), _rows(rows), out)
    return out


def fill_numeric(cols: list[np.ndarray], rows: np.ndarray | None, sub: np.ndarray, mul: np.ndarray,
                 fill: np.ndarray, X: np.ndarray, start: int) -> None:
    """``X[i, start + k] = (cols[k][rows[i]] - sub[k]) * mul[k]`` as float32, or ``fill[k]`` where
    that is NaN (``rows`` default: every row in order)."""
    if cols:
        _fill_numeric(_typed(cols), _rows(rows), np.asarray(sub, np.float64), np.asarray(mul, np.float64),
                      np.asarray(fill, np.float64), X, int(start))


def _typed(cols):
    return List(np.asarray(c, np.float64) for c in cols)


def _rows(rows):
    return _ALL_ROWS if rows is None else np.asarray(rows, np.int64)


@kernel(fastmath=False, refcounts=True)
def _column_stats(cols, rows, out):
    """``out[k] = (mean, sample sd, min, max, non-NA count)`` of ``cols[k][rows]`` (``rows`` of
    length 0: every row), NaNs left out; mean NaN and the rest 0 when no value is left."""
    all_rows = rows.shape[0] == 0
    for k in range(len(cols)):
        col = cols[k]                   # one list access per column: items are reference-counted
        n = col.shape[0] if all_rows else rows.shape[0]
        cnt = 0
        total = 0.0
        lo = np.inf
        hi = -np.inf
        for i in range(n):
            v = col[i if all_rows else rows[i]]
            if not np.isnan(v):
                cnt += 1
                total += v
                lo = min(lo, v)
                hi = max(hi, v)
        if cnt == 0:
            out[k, 0] = np.nan
            out[k, 1] = out[k, 2] = out[k, 3] = out[k, 4] = 0.0
            continue
        mean = total / cnt
        ss = 0.0
        for i in range(n):
            v = col[i if all_rows else rows[i]]
            if not np.isnan(v):
                ss += (v - mean) * (v - mean)
        out[k, 0] = mean
        out[k, 1] = np.sqrt(ss / (cnt - 1)) if cnt > 1 else 0.0
        out[k, 2] = lo
        out[k, 3] = hi
        out[k, 4] = cnt


@kernel(fastmath=False, refcounts=True)
def _fill_numeric(cols, rows, sub, mul, fill, X, start):
    """``X[i, start + k] = (cols[k][rows[i]] - sub[k]) * mul[k]`` as float32, ``fill[k]`` where that
    is NaN; ``rows`` of length 0 means every row in order."""
    n = X.shape[0]
    all_rows = rows.shape[0] == 0
    for k in range(len(cols)):
        col = cols[k]
        s = sub[k]
        m = mul[k]
        f = np.float32(fill[k])
        c = start + k
        for i in range(n):
            v = (col[i if all_rows else rows[i]] - s) * m
            X[i, c] = f if np.isnan(v) else np.float32(v)
