"""Variable importance by Gedeon's method, as H2O computes it for Deep Learning.

Defined over the expanded input units (one-hot slots incl. ``.missing(NA)``, then numerics)
from the first two weight matrices only (internals §8). Computed in float32 like H2O.
"""
from __future__ import annotations

import numpy as np


def gedeon(w0: np.ndarray, w1: np.ndarray | None) -> np.ndarray:
    """Relative importance per input unit, scaled so the largest is 1.

    ``w0`` is [hidden1 x inputs] (H2O orientation), ``w1`` [next x hidden1] or None when the
    network has no hidden layer.
    """
    a0 = np.abs(w0.astype(np.float32))
    if w1 is None:
        vi = a0.sum(axis=0)
    else:
        a1 = np.abs(w1.astype(np.float32))
        s0 = a0.sum(axis=1, keepdims=True)            # per hidden unit j: sum_i |W0_ji|
        s1 = a1.sum(axis=1, keepdims=True)            # per next unit k: sum_j |W1_kj|
        n0 = np.divide(a0, s0, out=np.zeros_like(a0), where=s0 > 0)   # [H1 x I]
        n1 = np.divide(a1, s1, out=np.zeros_like(a1), where=s1 > 0)   # [K x H1]
        q = n0.T @ n1.T                                # Q_ik = sum_j n0_ji * n1_kj   [I x K]
        qs = q.sum(axis=0, keepdims=True)
        q = np.divide(q, qs, out=np.zeros_like(q), where=qs > 0)
        vi = q.sum(axis=1)
    top = vi.max() if vi.size else 0.0
    return (vi / top if top > 0 else vi).astype(np.float32)


def varimp_rows(names: list[str], importance: np.ndarray) -> list[tuple[str, float, float, float]]:
    """H2O's table rows (variable, relative, scaled, percentage), sorted stably by decreasing importance."""
    rel = importance.astype(np.float64)
    top = rel.max() if rel.size else 0.0
    total = rel.sum()
    order = sorted(range(len(names)), key=lambda i: -rel[i])     # stable: ties keep unit order
    return [(names[i], float(rel[i]), float(rel[i] / top) if top > 0 else 0.0,
             float(rel[i] / total) if total > 0 else 0.0) for i in order]
