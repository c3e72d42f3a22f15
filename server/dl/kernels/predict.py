"""Test-mode forward pass over many rows: numpy float32 matmuls (BLAS) in row blocks.

Test mode as H2O scores: no input dropout, hidden dropout layers scaled by (1 - p).
"""
from __future__ import annotations

import numpy as np

BLOCK_ROWS = 4096


def _activate(z: np.ndarray, activation: str, channels: int) -> np.ndarray:
    if channels == 2:
        return z.reshape(z.shape[0], -1, 2).max(axis=2)
    if activation == "Tanh":
        return np.tanh(z, out=z)
    return np.maximum(z, 0, out=z)


def forward(weights: list[np.ndarray], biases: list[np.ndarray], channels: list[int], activation: str,
            dropout: list[float], output: str, X: np.ndarray, offset: np.ndarray | None,
            stop_at_hidden: int | None = None) -> np.ndarray:
    """Outputs (or hidden layer ``stop_at_hidden``'s activations) for every row of X.

    ``weights[l]`` is input-major ``[in, out*channels]`` float32, ``biases[l]`` float32.
    """
    n = X.shape[0]
    last = len(weights) - 1
    width = weights[last].shape[1] if stop_at_hidden is None else weights[stop_at_hidden].shape[1] // channels[stop_at_hidden]
    res = np.empty((n, width), np.float32)
    for s in range(0, n, BLOCK_ROWS):
        e = min(n, s + BLOCK_ROWS)
        A = np.ascontiguousarray(X[s:e], dtype=np.float32)
        for l in range(last + 1):
            Z = A @ weights[l]
            Z += biases[l]
            if l < last:
                A = _activate(Z, activation, channels[l])
                if dropout[l] > 0:
                    A *= np.float32(1.0 - dropout[l])
                if stop_at_hidden == l:
                    break
            elif output == "Softmax":
                Z -= Z.max(axis=1, keepdims=True)
                np.exp(Z, out=Z)
                Z /= Z.sum(axis=1, keepdims=True)
                A = Z
            elif output == "Linear":
                if offset is not None:
                    Z += np.asarray(offset[s:e], np.float32)[:, None]
                A = Z
            else:
                A = _activate(Z, activation, 1)
        res[s:e] = A
    return res
