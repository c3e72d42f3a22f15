"""Per-column summaries shown by ``describe()``/``summary()``: extremes, histogram, percentiles.

H2O's rollups report the 5 smallest and 5 largest values (NaN padded), a histogram
(one bin per level for enums, unit bins for small-range integers, else 1000 equal bins from the
minimum) and the default percentiles. Computed on demand and cached per Column object (columns
are immutable, so the cache never goes stale).
"""
from __future__ import annotations

import numpy as np

from .frame import ENUM, INT, NUMERIC_TYPES, Column

DEFAULT_PERCENTILES = [0.001, 0.01, 0.1, 0.2, 0.25, 0.3, 1.0 / 3.0, 0.4, 0.5, 0.6, 2.0 / 3.0, 0.7, 0.75,
                       0.8, 0.9, 0.99, 0.999]
N_EXTREMES = 5
MAX_BINS = 1000

_CACHE_ATTR = "_summary_extremes"     # cached in the (immutable) column's __dict__, like its stats


def _finite_values(col: Column) -> np.ndarray:
    """Non-NA values (no copy when the column has no NA)."""
    v = col.as_float()
    return v[~col.na_mask] if col.stats.missing else v


def extremes(col: Column) -> tuple[list[float], list[float]]:
    """(5 smallest ascending, 5 largest descending), NaN padded; NaN only for string columns."""
    hit = col.__dict__.get(_CACHE_ATTR)
    if hit is not None:
        return hit
    nan = float("nan")
    if col.type in NUMERIC_TYPES or col.type == ENUM:
        v = _finite_values(col)
        k = min(N_EXTREMES, len(v))
        if k:
            lo = _smallest(v, k)
            hi = -_smallest(-v, k)
        else:
            lo = hi = np.empty(0)
        mins = [float(x) for x in lo] + [nan] * (N_EXTREMES - k)
        maxs = [float(x) for x in hi] + [nan] * (N_EXTREMES - k)
    else:
        mins = maxs = [nan] * N_EXTREMES
    col.__dict__[_CACHE_ATTR] = (mins, maxs)
    return mins, maxs


def _smallest(v: np.ndarray, k: int) -> np.ndarray:
    """The k smallest values, ascending; a column whose minimum repeats k times costs one pass."""
    m = v.min()
    if np.count_nonzero(v == m) >= k:
        return np.full(k, m)
    if len(v) > k:
        return np.sort(np.partition(v, k - 1)[:k])
    return np.sort(v)[:k]


def histogram(col: Column) -> tuple[list[int], float, float]:
    """(bin counts, base, stride) as H2O's summary reports them."""
    if col.type == ENUM:
        counts = np.bincount(col.data[col.data >= 0], minlength=len(col.domain))
        return [int(c) for c in counts], 0.0, 1.0
    if col.type not in NUMERIC_TYPES:
        return [], 0.0, 0.0
    v = _finite_values(col)
    v = v[np.isfinite(v)]
    if len(v) == 0:
        return [], 0.0, 0.0
    lo, hi = float(v.min()), float(v.max())
    if col.type == INT and hi - lo + 1 <= MAX_BINS:
        nbins, stride = int(hi - lo + 1), 1.0
    else:
        nbins = MAX_BINS
        stride = (hi - lo) / nbins if hi > lo else 1.0
    idx = np.minimum(((v - lo) / stride).astype(np.int64), nbins - 1)
    counts = np.bincount(idx, minlength=nbins)
    return [int(c) for c in counts], lo, stride


def percentiles(col: Column, probs=DEFAULT_PERCENTILES) -> list[float] | None:
    if col.type not in NUMERIC_TYPES and col.type != ENUM:
        return None
    v = _finite_values(col)
    if len(v) == 0:
        return [float("nan")] * len(probs)
    return [float(x) for x in np.quantile(v, probs)]
