"""TrainConfig: the per-row training settings, and their packing into the flat arrays the kernels take.

The kernels take every setting through two small arrays (``int64`` codes and ``float64`` values)
so that one compiled signature serves all configurations: compile time is part of the user's
first-model latency.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

ACTIVATIONS = {"Tanh": 0, "Rectifier": 1, "Maxout": 2}
OUTPUTS = {"Softmax": 0, "Linear": 1, "AutoEncoder": 2}
LOSSES = {"CrossEntropy": 0, "Quadratic": 1, "Absolute": 2, "Huber": 3, "Quantile": 4, "Deviance": 5}
DISTRIBUTIONS = {"gaussian": 0, "laplace": 1, "quantile": 2, "huber": 3, "poisson": 4, "gamma": 5,
                 "tweedie": 6, "bernoulli": 7, "multinomial": 8}
REGRESSION_DISTRIBUTIONS = ("gaussian", "laplace", "quantile", "huber", "poisson", "gamma", "tweedie")
AUTOENCODER_DISTRIBUTIONS = ("gaussian", "laplace", "huber")
SOFTMAX_LOSSES = ("CrossEntropy", "Quadratic", "Absolute", "Huber")

# positions in the int64 settings array
I_ACT, I_OUT, I_LOSS, I_DIST, I_FAST, I_ADA, I_NESTEROV, I_MOMENTA, I_BATCH, I_SHORTCUT, I_SPARSITY, \
    I_NTHREADS, I_HAS_OFFSET, I_MAXW2, I_UNIT_MAJOR = range(15)
N_INT = 15
# positions in the float64 settings array
F_RHO, F_EPS, F_RATE, F_ANNEAL, F_DECAY, F_MSTART, F_MRAMP, F_MSTABLE, F_L1, F_L2, F_MAXW2, \
    F_QALPHA, F_TWEEDIE, F_HUBER, F_BETA, F_AVGACT, F_INDROP = range(17)
N_FLOAT = 17


@dataclass
class TrainConfig:
    """What the kernels need to train one row (H2O's effective parameters, already cleaned up).

    ``activation`` names the hidden activation without the ``WithDropout`` suffix: dropout is
    given by ``input_dropout_ratio`` and ``hidden_dropout_ratios``.  ``huber_delta`` is the
    Huber threshold in the training (standardized) space; H2O's neurons always use 1.
    """
    activation: str
    hidden_dropout_ratios: list
    input_dropout_ratio: float
    output: str
    loss: str
    distribution: str
    quantile_alpha: float = 0.5
    tweedie_power: float = 1.5
    huber_delta: float = 1.0
    adaptive_rate: bool = True
    rho: float = 0.99
    epsilon: float = 1e-8
    rate: float = 0.005
    rate_annealing: float = 1e-6
    rate_decay: float = 1.0
    momentum_start: float = 0.0
    momentum_ramp: float = 1e6
    momentum_stable: float = 0.0
    nesterov: bool = True
    l1: float = 0.0
    l2: float = 0.0
    max_w2: float = float("inf")
    fast_mode: bool = True
    sparsity_beta: float = 0.0
    average_activation: float = 0.0
    mini_batch_size: int = 1

    def validate(self, n_hidden: int) -> None:
        """Reject settings the kernels cannot honour, naming the parameter."""
        if self.activation not in ACTIVATIONS:
            raise ValueError(f"activation must be one of {sorted(ACTIVATIONS)}, got {self.activation!r}")
        if self.output not in OUTPUTS:
            raise ValueError(f"output must be one of {sorted(OUTPUTS)}, got {self.output!r}")
        if self.distribution not in DISTRIBUTIONS:
            raise ValueError(f"distribution must be one of {sorted(DISTRIBUTIONS)}, got {self.distribution!r}")
        if self.loss not in LOSSES:
            raise ValueError(f"loss must be one of {sorted(LOSSES)}, got {self.loss!r}")
        if self.output == "Softmax" and self.loss not in SOFTMAX_LOSSES:
            raise ValueError(f"loss {self.loss!r} is not implemented for classification "
                             f"(use one of {', '.join(SOFTMAX_LOSSES)})")
        if self.output == "Linear" and self.distribution not in REGRESSION_DISTRIBUTIONS:
            raise ValueError(f"distribution {self.distribution!r} is not a regression distribution")
        if self.output == "AutoEncoder":
            if self.distribution not in AUTOENCODER_DISTRIBUTIONS:
                raise ValueError(f"distribution {self.distribution!r} is not allowed for an autoencoder "
                                 "(loss must be Quadratic, Absolute or Huber)")
            if self.activation == "Maxout":
                raise ValueError("activation Maxout is not supported for an autoencoder")
        if len(self.hidden_dropout_ratios) != n_hidden:
            raise ValueError(f"hidden_dropout_ratios must have one value per hidden layer ({n_hidden}), "
                             f"got {len(self.hidden_dropout_ratios)}")
        for p in list(self.hidden_dropout_ratios) + [self.input_dropout_ratio]:
            if not 0.0 <= float(p) < 1.0:
                raise ValueError(f"dropout ratios must be in [0, 1), got {p}")
        if self.mini_batch_size < 1:
            raise ValueError(f"mini_batch_size must be >= 1, got {self.mini_batch_size}")
        if self.adaptive_rate and not (0 < self.rho < 1 and self.epsilon > 0):
            raise ValueError("adaptive_rate needs 0 < rho < 1 and epsilon > 0")
        if not self.max_w2 > 0:
            raise ValueError(f"max_w2 must be > 0, got {self.max_w2}")

    @property
    def has_momenta(self) -> bool:
        """H2O keeps momentum buffers only for manual rates with a non-zero momentum."""
        return (not self.adaptive_rate) and (self.momentum_start != 0 or self.momentum_stable != 0)

    def momentum(self, n: float) -> float:
        """The documented ramp: start + (stable-start)*n/ramp for n < ramp, else stable.

        H2O's training code calls ``momentum(-1)`` so its ramp never ramps (a bug against its
        own documentation); h2olite ramps as documented.
        """
        if self.adaptive_rate:
            return 0.0
        m = self.momentum_start
        if self.momentum_ramp > 0:
            m = self.momentum_stable if n >= self.momentum_ramp else \
                m + (self.momentum_stable - self.momentum_start) * n / self.momentum_ramp
        return float(m)

    def layer_rate(self, layer: int, n: float) -> float:
        """Annealed manual rate of weight layer ``layer`` (0 = into the first hidden layer)."""
        return self.rate * self.rate_decay ** layer / (1.0 + self.rate_annealing * n)

    def copy(self, **changes) -> "TrainConfig":
        changes.setdefault("hidden_dropout_ratios", list(self.hidden_dropout_ratios))
        return replace(self, **changes)

    def pack(self, nthreads: int, has_offset: bool, unit_major_inputs: bool = False
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(int settings, float settings, per-layer dropout ratios) for the kernels.

        ``unit_major_inputs``: the first weight layer is stored unit-major (network.py)."""
        ip = np.zeros(N_INT, np.int64)
        ip[I_ACT] = ACTIVATIONS[self.activation]
        ip[I_OUT] = OUTPUTS[self.output]
        ip[I_LOSS] = LOSSES[self.loss]
        ip[I_DIST] = DISTRIBUTIONS[self.distribution]
        ip[I_FAST] = int(bool(self.fast_mode))
        ip[I_ADA] = int(bool(self.adaptive_rate))
        ip[I_NESTEROV] = int(bool(self.nesterov))
        ip[I_MOMENTA] = int(self.has_momenta)
        ip[I_BATCH] = int(self.mini_batch_size)
        # H2O's shortcut: a unit whose delta is 0 is skipped entirely (no decay, no bias update)
        ip[I_SHORTCUT] = int(bool(self.fast_mode) or (not self.adaptive_rate and not self.has_momenta
                                                      and self.l1 == 0 and self.l2 == 0))
        ip[I_SPARSITY] = int(self.output == "AutoEncoder" and self.sparsity_beta > 0)
        ip[I_NTHREADS] = max(1, int(nthreads))
        ip[I_HAS_OFFSET] = int(bool(has_offset))
        ip[I_MAXW2] = int(math.isfinite(self.max_w2) and self.max_w2 < 3.4028235e38)
        ip[I_UNIT_MAJOR] = int(bool(unit_major_inputs))
        fp = np.zeros(N_FLOAT, np.float64)
        fp[F_RHO] = self.rho if self.adaptive_rate else 0.0
        fp[F_EPS] = self.epsilon if self.adaptive_rate else 0.0
        fp[F_RATE] = self.rate
        fp[F_ANNEAL] = self.rate_annealing
        fp[F_DECAY] = self.rate_decay
        fp[F_MSTART] = self.momentum_start
        fp[F_MRAMP] = self.momentum_ramp
        fp[F_MSTABLE] = self.momentum_stable
        fp[F_L1] = self.l1
        fp[F_L2] = self.l2
        fp[F_MAXW2] = self.max_w2 if ip[I_MAXW2] else 0.0
        fp[F_QALPHA] = self.quantile_alpha
        fp[F_TWEEDIE] = self.tweedie_power
        fp[F_HUBER] = self.huber_delta
        fp[F_BETA] = self.sparsity_beta
        fp[F_AVGACT] = self.average_activation
        fp[F_INDROP] = self.input_dropout_ratio
        drop = np.asarray(list(self.hidden_dropout_ratios), np.float64)
        return ip, fp, drop
