"""Numeric columns into the network's input layout (DataInfo): scaling statistics and the
numeric block of the input matrix (one pass per column, and per block of columns).

Frames keep one float64 array per column and the input matrix is row-major float32, so the
numeric block is a scaled transpose.  With NumPy both steps took several passes per column
(gather, NaN mask, mean, sd, min, max; subtract, multiply, NaN fill, then a transposing copy):
about 30 ms for the statistics and 60 ms for the block on 6,400 MNIST rows, paid by every
cross-validation fold.  Kernel calls per column (statistics) and per block of columns (the
block) take 2-3 ms and ~11 ms.  (A single call over a Numba typed list of the columns compiles
seconds longer: first-model latency.)
"""
import numpy as np

from .jit import kernel

_ALL_ROWS = np.zeros(0, np.int64)
FILL_BLOCK = 16                 # columns per fill call (8 as fast; 32 and 64 slower)


def column_stats(cols: list[np.ndarray], rows: np.ndarray | None) -> np.ndarray:
    """Per column over ``rows`` (default: all), NaNs left out: ``[mean, sample sd (n - 1), min,
    max, count]`` (mean NaN and the rest 0 when no value is left)."""
    out = np.empty((len(cols), 5))
    r = _rows(rows)
    for k, col in enumerate(cols):
        _column_stats(np.asarray(col, np.float64), r, out[k])
    return out


def fill_numeric(cols: list[np.ndarray], rows: np.ndarray | None, sub: np.ndarray, mul: np.ndarray,
                 fill: np.ndarray, X: np.ndarray, start: int) -> None:
    """``X[i, start + k] = (cols[k][rows[i]] - sub[k]) * mul[k]`` as float32, or ``fill[k]`` where
    that is NaN (``rows`` default: every row in order).

    Columns go in blocks of ``FILL_BLOCK``: one column at a time wrote a single float per row of
    the row-major X, touching every cache line of X once per column (a pass over 23 MB per column
    on MNIST, and slower still beside training threads)."""
    r = _rows(rows)
    sub, mul, fill = (np.asarray(v, np.float64) for v in (sub, mul, fill))
    for k0 in range(0, len(cols), FILL_BLOCK):
        block = np.stack([np.asarray(c, np.float64) for c in cols[k0:k0 + FILL_BLOCK]])
        k1 = k0 + len(block)
        _fill_block(block, r, sub[k0:k1], mul[k0:k1], fill[k0:k1], X, start + k0)


def _rows(rows):
    return _ALL_ROWS if rows is None else np.asarray(rows, np.int64)


@kernel(fastmath=False)
def _column_stats(col, rows, out):
    all_rows = rows.shape[0] == 0
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
        out[0] = np.nan
        out[1] = out[2] = out[3] = out[4] = 0.0
        return
    mean = total / cnt
    ss = 0.0
    for i in range(n):
        v = col[i if all_rows else rows[i]]
        if not np.isnan(v):
            ss += (v - mean) * (v - mean)
    out[0] = mean
    out[1] = np.sqrt(ss / (cnt - 1)) if cnt > 1 else 0.0
    out[2] = lo
    out[3] = hi
    out[4] = cnt


@kernel(fastmath=False)
def _fill_block(block, rows, sub, mul, fill, X, c0):
    all_rows = rows.shape[0] == 0
    nb = block.shape[0]
    for i in range(X.shape[0]):
        src = i if all_rows else rows[i]
        for k in range(nb):
            v = (block[k, src] - sub[k]) * mul[k]
            X[i, c0 + k] = np.float32(fill[k]) if np.isnan(v) else np.float32(v)
