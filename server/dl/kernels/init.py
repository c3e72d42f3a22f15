"""Initial weights and biases as H2O draws them (§2): distributions, Glorot range, bias values."""
from __future__ import annotations

import numpy as np

DISTRIBUTIONS = ("UniformAdaptive", "Uniform", "Normal")


def initial_weights(units: list[int], layer: int, channels: int, classifier_output: bool,
                    seed: int, distribution: str, scale: float) -> np.ndarray:
    """Weights of layer ``layer`` in H2O orientation ``[out, in, channels]``, float32.

    Each layer has its own generator seeded ``seed + 0xBAD5EED + layer + 1`` (H2O's scheme; the
    generator itself is numpy's PCG64, so values differ from H2O's while the distribution is the same).
    UniformAdaptive is Glorot's U(-r, r), r = sqrt(6/(fan_in+fan_out)), times 4 for the output
    layer of a classifier; it ignores ``scale`` as H2O does.
    """
    if distribution not in DISTRIBUTIONS:
        raise ValueError(f"initial_weight_distribution must be one of {', '.join(DISTRIBUTIONS)}, "
                         f"got {distribution!r}")
    n_in, n_out = units[layer], units[layer + 1]
    rng = np.random.Generator(np.random.PCG64((int(seed) + 0xBAD5EED + layer + 1) & ((1 << 64) - 1)))
    shape = (n_out, n_in, channels)
    if distribution == "Normal":
        return (rng.standard_normal(shape, dtype=np.float32) * np.float32(scale)).astype(np.float32)
    if distribution == "Uniform":
        r = float(scale)
    else:
        r = float(np.sqrt(6.0 / (n_in + n_out)))
        if classifier_output:
            r *= 4.0
    u = rng.random(shape, dtype=np.float32)
    return (np.float32(-r) + u * np.float32(2 * r)).astype(np.float32)


def initial_bias(activation: str, layer: int, n_hidden: int) -> float:
    """0.5 for the first Rectifier/Maxout hidden layer, 1.0 deeper ones, 0 for Tanh and the output."""
    if layer >= n_hidden or activation == "Tanh":
        return 0.0
    return 0.5 if layer == 0 else 1.0
