"""Behaviour of the Numba training core (server/dl/kernels): gradients, update rules,
reproducibility, HOGWILD, learning on real data, test-time dropout, persistence, stability."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from h2olite_server.dl.kernels import Network, TrainConfig

DATA = Path(__file__).resolve().parents[1] / "h2olite" / "datasets" / "data" / "smalldata"


def cfg_for(activation="Tanh", output="Softmax", loss="CrossEntropy", distribution="multinomial",
            n_hidden=2, **kw):
    kw.setdefault("hidden_dropout_ratios", [0.0] * n_hidden)
    kw.setdefault("input_dropout_ratio", 0.0)
    return TrainConfig(activation=activation, output=output, loss=loss, distribution=distribution, **kw)


def sgd_cfg(rate=1e-3, **kw):
    """Plain SGD (no annealing, no momentum): one row's update is exactly -rate * gradient."""
    return cfg_for(adaptive_rate=False, rate=rate, rate_annealing=0.0, fast_mode=False, **kw)


# ----------------------------------------------------------------------------- numpy reference
def ref_forward(net, x, activation, output):
    """Test-free (no dropout) forward pass in float64 from H2O-oriented weights."""
    a = x.astype(np.float64)
    nl = len(net.units) - 1
    for l in range(nl):
        k = net.channels[l]
        Wf = net._W(l).astype(np.float64)            # [in, out*k]
        z = a @ Wf + net._B(l)
        if l < nl - 1 or output == "AutoEncoder":
            if k == 2:
                a = z.reshape(-1, 2).max(axis=1)
            elif activation == "Tanh":
                a = np.tanh(z)
            else:
                a = np.maximum(z, 0)
        else:
            a = z
    return a


def ref_loss(net, x, t, activation, output, dist, q_alpha=0.5, tweedie_p=1.5, huber_delta=1.0):
    f = ref_forward(net, x, activation, output)
    if output == "Softmax":
        p = np.exp(f - f.max())
        p /= p.sum()
        return -np.log(p[int(t)])
    f = f[0]
    if dist == "gaussian":
        return (f - t) ** 2
    if dist == "laplace":
        return abs(f - t)
    if dist == "quantile":
        return q_alpha * (t - f) if t > f else (1 - q_alpha) * (f - t)
    if dist == "huber":
        d = abs(f - t)
        return d * d if d <= huber_delta else 2 * huber_delta * d - huber_delta ** 2
    if dist == "poisson":
        return 2 * (np.exp(f) - t * f)
    if dist == "gamma":
        return 2 * (t * np.exp(-f) + f)
    if dist == "tweedie":
        p = tweedie_p
        return 2 * (-t * np.exp(f * (1 - p)) / (1 - p) + np.exp(f * (2 - p)) / (2 - p))
    raise AssertionError(dist)


def kernel_gradient(net, x, t, cfg):
    """-(W_after - W_before)/rate for every weight and bias after training on one row."""
    before = net.copy()
    net.train(x[None, :], np.array([t], np.float32), np.array([0]), None, 1, 0, 0)
    return (-(net.w.astype(np.float64) - before.w) / cfg.rate,
            -(net.b - before.b) / cfg.rate, before)


def numeric_gradient(net, x, t, cfg, h=1e-3):
    gw = np.zeros(net.w.size)
    gb = np.zeros(net.b.size)
    for arr, out in ((net.w, gw), (net.b, gb)):
        for i in range(arr.size):
            old = arr[i]
            arr[i] = old + h
            lp = ref_loss(net, x, t, cfg.activation, cfg.output, cfg.distribution, cfg.quantile_alpha,
                          cfg.tweedie_power, cfg.huber_delta)
            arr[i] = old - h
            lm = ref_loss(net, x, t, cfg.activation, cfg.output, cfg.distribution, cfg.quantile_alpha,
                          cfg.tweedie_power, cfg.huber_delta)
            arr[i] = old
            out[i] = (lp - lm) / (2 * h)
    return gw, gb


def toy(seed=0, n_in=5):
    rng = np.random.default_rng(seed)
    return rng.normal(size=n_in).astype(np.float32)


@pytest.mark.parametrize("activation", ["Tanh", "Rectifier", "Maxout"])
def test_softmax_cross_entropy_gradient_matches_finite_differences(activation):
    cfg = sgd_cfg(activation=activation)
    net = Network.initialize([5, 4, 3, 3], cfg, seed=7)
    x = toy()
    gw, gb, before = kernel_gradient(net, x, 2, cfg)
    nw, nb = numeric_gradient(before, x, 2, cfg)
    np.testing.assert_allclose(gw, nw, rtol=2e-2, atol=2e-3)
    np.testing.assert_allclose(gb, nb, rtol=2e-2, atol=2e-3)
    assert np.abs(gw).max() > 1e-2          # the check is not vacuous


@pytest.mark.parametrize("dist,target", [("gaussian", 0.7), ("laplace", 0.7), ("quantile", 0.7), ("huber", 3.0),
                                         ("huber", 0.2), ("poisson", 2.0), ("gamma", 1.5), ("tweedie", 2.0)])
def test_regression_gradients_match_finite_differences(dist, target):
    cfg = sgd_cfg(activation="Tanh", output="Linear", loss="Quadratic", distribution=dist, quantile_alpha=0.3,
                  tweedie_power=1.4)
    net = Network.initialize([5, 4, 3, 1], cfg, seed=3)
    x = toy(1)
    gw, gb, before = kernel_gradient(net, x, target, cfg)
    nw, nb = numeric_gradient(before, x, target, cfg)
    np.testing.assert_allclose(gw, nw, rtol=2e-2, atol=2e-3)
    np.testing.assert_allclose(gb, nb, rtol=2e-2, atol=2e-3)
    assert np.abs(gw).max() > 1e-3


def test_softmax_quadratic_uses_the_jacobian_diagonal_as_h2o():
    cfg = sgd_cfg(rate=0.05, activation="Tanh", loss="Quadratic", n_hidden=1)
    net = Network.initialize([5, 4, 3], cfg, seed=5)
    x = toy(2)
    h = np.tanh(x.astype(np.float64) @ net._W(0) + net._B(0))
    z = h @ net._W(1) + net._B(1)
    y = np.exp(z - z.max())
    y /= y.sum()
    t = np.array([0.0, 1.0, 0.0])
    delta = (y - t) * y * (1 - y)
    gw, gb, _ = kernel_gradient(net, x, 1, cfg)
    n0 = net._W(0).size
    np.testing.assert_allclose(gw[n0:].reshape(4, 3), np.outer(h, delta), rtol=1e-2, atol=1e-5)
    np.testing.assert_allclose(gb[4:], delta, rtol=1e-2, atol=1e-5)


def test_autoencoder_output_gradient_skips_the_activation_derivative():
    cfg = sgd_cfg(rate=0.05, activation="Tanh", output="AutoEncoder", loss="Quadratic", distribution="gaussian", n_hidden=1)
    net = Network.initialize([5, 3, 5], cfg, seed=2)
    x = toy(3) * 0.3
    h = np.tanh(x.astype(np.float64) @ net._W(0) + net._B(0))
    out = np.tanh(h @ net._W(1) + net._B(1))
    delta = 2 * (out - x)                      # no (1 - out^2) factor: H2O's autoencoder
    gw, gb, _ = kernel_gradient(net, x, 0.0, cfg)
    n0 = net._W(0).size
    np.testing.assert_allclose(gw[n0:].reshape(3, 5), np.outer(h, delta), rtol=1e-2, atol=1e-5)
    np.testing.assert_allclose(gb[3:], delta, rtol=1e-2, atol=1e-5)
