"""Training matrices prepared once and reused by every training call on the same array.

The trainer passes the same ``X`` to every iteration's ``Network.train``; converting it to
float32 C order, checking it for NaN and building its non-zero CSR each time would cost
milliseconds per call (a large share of a small net's iteration).  Entries are keyed on the
caller's array and dropped when it is freed; like any cache of derived data it assumes ``X`` is
not modified in place between training calls.
"""
from __future__ import annotations

import threading
import weakref

import numpy as np

from .sparse_rows import build_nonzero_rows

_lock = threading.Lock()
_entries: dict[int, "_Entry"] = {}


class _Entry:
    """What has been derived from one source array so far."""

    def __init__(self, source, converted):
        self.source = weakref.ref(source)
        # the float32 C-order copy, held only when it is not the source itself (else: a leak)
        self.converted = converted if converted is not source else None
        self.csr = None
        self.csr_built = False

    def matrix(self):
        return self.converted if self.converted is not None else self.source()


def training_matrix(X, n_cols: int, want_csr: bool):
    """``(X as float32 C-order, CSR of its non-zeros or None)`` for training, checked once.

    Raises ValueError for a wrong shape or NaN inputs.
    """
    entry = _lookup(X)
    if entry is None:
        Xc = np.ascontiguousarray(X, np.float32)
        if Xc.ndim != 2 or Xc.shape[1] != n_cols:
            raise ValueError(f"X must be a 2-D array with {n_cols} columns, got shape {np.shape(X)}")
        if np.isnan(Xc).any():
            raise ValueError("X contains NaN: impute missing values before training")
        entry = _remember(X, Xc)
    else:
        Xc = entry.matrix()
        if Xc.shape[1] != n_cols:
            raise ValueError(f"X must be a 2-D array with {n_cols} columns, got shape {np.shape(X)}")
    if not want_csr:
        return Xc, None
    if entry is not None and entry.csr_built:
        return Xc, entry.csr
    csr = build_nonzero_rows(Xc)
    if entry is not None:
        entry.csr, entry.csr_built = csr, True
    return Xc, csr


def _lookup(X):
    try:
        key = id(X)
        with _lock:
            entry = _entries.get(key)
        if entry is not None and entry.source() is X:
            return entry
    except TypeError:
        pass
    return None


def _remember(X, Xc):
    try:
        entry = _Entry(X, Xc)
    except TypeError:                 # not weak-referenceable (a list): not cached
        return None
    key = id(X)
    with _lock:
        _entries[key] = entry
    weakref.finalize(X, _forget, key)
    return entry


def _forget(key: int) -> None:
    """Drop the entry of a freed array (not that of a newer array that reuses its id)."""
    with _lock:
        entry = _entries.get(key)
        if entry is not None and entry.source() is None:
            del _entries[key]
