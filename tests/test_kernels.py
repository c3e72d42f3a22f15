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


# ----------------------------------------------------------------------------- update rules
def one_step_gradient(cfg_kwargs, units, x, t, seed=11):
    """Exact kernel gradient of every weight for one row: a plain-SGD step with rate 1."""
    cfg = sgd_cfg(rate=1.0, **cfg_kwargs)
    net = Network.initialize(units, cfg, seed=seed)
    w0 = net.w.astype(np.float64).copy()
    net.train(x[None, :], np.array([t], np.float32), np.array([0]), None, 1, 0, 0)
    return w0 - net.w


def test_adadelta_first_step_follows_the_documented_formula():
    x, units = toy(4), [5, 4, 3, 3]
    grad = one_step_gradient({"activation": "Tanh"}, units, x, 1)
    cfg = cfg_for(activation="Tanh", rho=0.95, epsilon=1e-6)
    net = Network.initialize(units, cfg, seed=11)
    w0 = net.w.astype(np.float64).copy()
    net.train(x[None, :], np.array([1], np.float32), np.array([0]), None, 1, 0, 0)
    eg2 = 0.05 * grad ** 2
    rate = np.sqrt(1e-6 / (eg2 + 1e-6))                 # a real square root, not H2O's approximation
    np.testing.assert_allclose(net.eg2, eg2, rtol=1e-3, atol=1e-12)
    np.testing.assert_allclose(net.edx2, 0.05 * rate ** 2 * grad ** 2, rtol=1e-3, atol=1e-14)
    np.testing.assert_allclose(net.w - w0, -rate * grad, rtol=1e-2, atol=1e-6)
    assert np.abs(net.w - w0).max() > 1e-4


def test_adadelta_divides_exactly_not_by_a_reciprocal_estimate():
    # from zero state E[dx2] = q * E[g2] with q = eps / (E[g2] + eps): one IEEE division, one
    # rounded product (fast-math would allow a reciprocal estimate, off by a few ulp)
    x, units = toy(4), [5, 4, 3, 3]
    net = Network.initialize(units, cfg_for(activation="Tanh", rho=0.95, epsilon=1e-6), seed=11)
    net.train(x[None, :], np.array([1], np.float32), np.array([0]), None, 1, 0, 0)
    eg2, eps = net.eg2, np.float32(1e-6)
    assert (eg2 > 0).sum() > 20
    np.testing.assert_array_equal(net.edx2, (eps / (eg2 + eps)) * eg2)


@pytest.mark.parametrize("nesterov", [True, False])
def test_momentum_ramps_as_documented_and_updates_velocity(nesterov):
    x, units = toy(5), [5, 4, 3, 3]
    grad = one_step_gradient({"activation": "Tanh"}, units, x, 0)
    cfg = cfg_for(activation="Tanh", adaptive_rate=False, rate=0.01, rate_annealing=0.0, momentum_start=0.1,
                  momentum_ramp=10, momentum_stable=0.9, nesterov=nesterov)
    net = Network.initialize(units, cfg, seed=11)
    w0 = net.w.astype(np.float64).copy()
    # 5 samples seen before this row: the ramp is half way, m = 0.1 + 0.8 * 5/10 = 0.5 (H2O never ramps)
    net.train(x[None, :], np.array([0], np.float32), np.array([0]), None, 1, 0, processed_before=5)
    m, r = 0.5, 0.01 * (1 - 0.5)
    np.testing.assert_allclose(net.w - w0, -r * grad, rtol=1e-3, atol=1e-7)
    np.testing.assert_allclose(net.wm, -grad if nesterov else -r * grad, rtol=1e-3, atol=1e-7)
    assert net.layer_stats()[0]["momentum"] == pytest.approx(0.1 + 0.8 * 6 / 10)
    assert cfg.momentum(10) == pytest.approx(0.9) and cfg.momentum(0) == pytest.approx(0.1)
    assert m == pytest.approx(cfg.momentum(5))


def test_mini_batch_of_identical_rows_equals_one_online_step():
    x, units = toy(6), [5, 4, 3, 3]
    online = Network.initialize(units, sgd_cfg(rate=0.1), seed=3)
    batch = Network.initialize(units, sgd_cfg(rate=0.1, mini_batch_size=8), seed=3)
    online.train(x[None, :], np.array([2], np.float32), np.array([0]), None, 1, 0, 0)
    X = np.repeat(x[None, :], 8, axis=0)
    n = batch.train(X, np.full(8, 2, np.float32), np.arange(8), None, 1, 0, 0)
    assert n == 8
    np.testing.assert_allclose(batch.w, online.w, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(batch.b, online.b, rtol=1e-5, atol=1e-6)


def test_l1_l2_shrink_weights_and_max_w2_caps_column_norms():
    X, y = iris()
    base = dict(activation="Rectifier", n_hidden=1, adaptive_rate=False, rate=0.02, rate_annealing=0.0)
    free = train_epochs(cfg_for(**base), X, y, [10], epochs=20)
    reg = train_epochs(cfg_for(l1=1e-2, l2=1e-2, **base), X, y, [10], epochs=20)
    assert np.abs(reg.weights(0)).sum() < 0.8 * np.abs(free.weights(0)).sum()
    capped = train_epochs(cfg_for(max_w2=0.5, **base), X, y, [10], epochs=20)
    assert (capped.weights(0) ** 2).sum(axis=1).max() <= 0.5 * 1.001
    assert (free.weights(0) ** 2).sum(axis=1).max() > 0.5


# ----------------------------------------------------------------------------- real data
def iris():
    df = pd.read_csv(DATA / "iris" / "iris_wheader.csv")
    X = df.iloc[:, :4].to_numpy(np.float64)
    X = ((X - X.mean(0)) / X.std(0, ddof=1)).astype(np.float32)
    y = pd.Categorical(df["class"]).codes.astype(np.float32)
    return X, y


def train_epochs(cfg, X, y, hidden, epochs, nthreads=1, seed=1, out=None):
    n_out = out if out is not None else int(np.nanmax(y)) + 1
    net = Network.initialize([X.shape[1], *hidden, n_out], cfg, seed=seed)
    rng = np.random.default_rng(seed)
    done = 0
    for ep in range(epochs):
        done += net.train(X, y, rng.permutation(X.shape[0]), None, nthreads, seed + ep, done)
    assert net.processed == done
    return net


def accuracy(net, X, y):
    return float((net.predict(X).argmax(1) == y).mean())


@pytest.mark.parametrize("activation", ["Tanh", "Rectifier", "Maxout"])
def test_iris_trains_to_high_accuracy(activation):
    X, y = iris()
    net = train_epochs(cfg_for(activation=activation), X, y, [10, 10], epochs=20)
    assert accuracy(net, X, y) >= 0.9
    p = net.predict(X)
    np.testing.assert_allclose(p.sum(1), 1.0, rtol=1e-5)


@pytest.mark.parametrize("replicas", [True, False], ids=["replicas", "hogwild"])
def test_two_threads_still_learn(monkeypatch, replicas):
    monkeypatch.setattr(Network, "replicas", replicas)
    X, y = iris()
    X, y = np.tile(X, (4, 1)), np.tile(y, 4)
    net = train_epochs(cfg_for(activation="Rectifier"), X, y, [20, 20], epochs=10, nthreads=2)
    assert accuracy(net, X, y) >= 0.9


def test_mini_batches_learn_iris():
    X, y = iris()
    net = train_epochs(cfg_for(activation="Tanh", mini_batch_size=10, n_hidden=1), X, y, [10], epochs=60)
    assert accuracy(net, X, y) >= 0.9


def test_regression_fits_cars_mpg():
    df = pd.read_csv(DATA / "junit" / "cars.csv").dropna()
    X = df[["displacement (cc)", "power (hp)", "weight (lb)", "0-60 mph (s)", "cylinders", "year"]].to_numpy(float)
    X = ((X - X.mean(0)) / X.std(0, ddof=1)).astype(np.float32)
    mpg = df["economy (mpg)"].to_numpy(float)
    y = ((mpg - mpg.mean()) / mpg.std(ddof=1)).astype(np.float32)
    for dist in ("gaussian", "huber", "laplace"):
        cfg = cfg_for(activation="Rectifier", output="Linear", loss="Quadratic", distribution=dist)
        net = train_epochs(cfg, X, y, [20, 20], epochs=30, out=1)
        pred = net.predict(X)[:, 0] * mpg.std(ddof=1) + mpg.mean()
        r2 = 1 - ((pred - mpg) ** 2).sum() / ((mpg - mpg.mean()) ** 2).sum()
        assert r2 > 0.8, (dist, r2)


def test_poisson_output_is_in_log_space_and_offset_is_added():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(400, 3)).astype(np.float32)
    lam = np.exp(0.5 + 0.7 * X[:, 0])
    y = rng.poisson(lam).astype(np.float32)
    cfg = cfg_for(activation="Tanh", output="Linear", loss="Deviance", distribution="poisson", n_hidden=1)
    net = train_epochs(cfg, X, y, [8], epochs=20, out=1)
    pred = np.exp(net.predict(X)[:, 0])
    assert np.corrcoef(pred, lam)[0, 1] > 0.9
    off = np.full(400, 0.25, np.float32)
    np.testing.assert_allclose(net.predict(X, off)[:, 0], net.predict(X)[:, 0] + 0.25, rtol=1e-5, atol=1e-6)


def test_autoencoder_reconstruction_error_falls():
    ecg = pd.read_csv(DATA / "anomaly" / "ecg_discord_train.csv", header=None).to_numpy(float)
    X = ((ecg - ecg.mean(0)) / (ecg.max(0) - ecg.min(0))).astype(np.float32)     # NORMALIZE
    cfg = cfg_for(activation="Tanh", output="AutoEncoder", loss="Quadratic", distribution="gaussian", n_hidden=1)
    net = Network.initialize([X.shape[1], 20, X.shape[1]], cfg, seed=5)
    before = ((net.predict(X) - X) ** 2).mean()
    done = 0
    for ep in range(50):
        done += net.train(X, None, np.arange(X.shape[0]), None, 1, ep, done)
    after = ((net.predict(X) - X) ** 2).mean()
    assert after < 0.3 * before
    assert net.hidden_activations(X, 0).shape == (X.shape[0], 20)


# ----------------------------------------------------------------------------- dropout, reproducibility
def test_training_is_reproducible_with_one_thread_and_seed():
    X, y = iris()
    cfg = cfg_for(activation="Rectifier", hidden_dropout_ratios=[0.5, 0.5], input_dropout_ratio=0.2)
    a = train_epochs(cfg, X, y, [10, 10], epochs=3, seed=4)
    b = train_epochs(cfg, X, y, [10, 10], epochs=3, seed=4)
    c = train_epochs(cfg, X, y, [10, 10], epochs=3, seed=5)
    np.testing.assert_array_equal(a.w, b.w)
    np.testing.assert_array_equal(a.b, b.b)
    assert not np.array_equal(a.w, c.w)


def test_hidden_dropout_scales_test_time_activations():
    X, y = iris()
    cfg = cfg_for(activation="Rectifier", hidden_dropout_ratios=[0.5, 0.2], input_dropout_ratio=0.1)
    net = train_epochs(cfg, X, y, [10, 10], epochs=3)
    plain = Network.from_arrays(net.to_arrays(), cfg.copy(hidden_dropout_ratios=[0.0, 0.0], input_dropout_ratio=0.0))
    h0 = plain.hidden_activations(X, 0)
    np.testing.assert_allclose(net.hidden_activations(X, 0), 0.5 * h0, rtol=1e-6)
    W1, b1 = plain.weights(1), plain.biases(1)
    h1 = np.maximum((0.5 * h0) @ W1.T + b1, 0) * 0.8
    np.testing.assert_allclose(net.hidden_activations(X, 1), h1, rtol=1e-4, atol=1e-5)
    assert np.abs(h0).sum() > 0


def test_dropped_units_get_no_bias_in_training():
    # with every hidden unit dropped, training sees constant softmax inputs: only output biases move
    X, y = iris()
    cfg = cfg_for(activation="Rectifier", hidden_dropout_ratios=[0.999999], n_hidden=1)
    net = Network.initialize([4, 6, 3], cfg, seed=2)
    w_hidden = net.weights(0).copy()
    net.train(X, y, np.arange(150), None, 1, 0, 0)
    np.testing.assert_array_equal(net.weights(0), w_hidden)
    assert not np.allclose(net.biases(1), 0)


# ----------------------------------------------------------------------------- persistence, access, stability
def test_arrays_round_trip_keeps_everything_and_training_continues_identically():
    X, y = iris()
    cfg = cfg_for(activation="Tanh", hidden_dropout_ratios=[0.3, 0.0])
    net = train_epochs(cfg, X, y, [8, 8], epochs=2)
    d = net.to_arrays()
    assert all(isinstance(k, str) and isinstance(v, np.ndarray) for k, v in d.items())
    clone = Network.from_arrays({k: v.copy() for k, v in d.items()}, cfg)
    np.testing.assert_array_equal(clone.predict(X), net.predict(X))
    assert clone.processed == net.processed
    copy = net.copy()
    for other in (clone, copy):
        other.train(X, y, np.arange(150), None, 1, 9, net.processed)
    net.train(X, y, np.arange(150), None, 1, 9, net.processed)
    np.testing.assert_array_equal(clone.w, net.w)
    np.testing.assert_array_equal(copy.eg2, net.eg2)
    assert copy.w is not net.w


def test_weights_in_h2o_orientation_and_set_layer():
    cfg = cfg_for(activation="Maxout")
    net = Network.initialize([4, 5, 6, 3], cfg, seed=1)
    assert net.weights(0).shape == (5, 4) and net.weights(2).shape == (3, 6)
    assert net.biases(0).dtype == np.float64 and net.biases(1).shape == (6,)
    np.testing.assert_allclose(net.biases(0), 0.5)
    np.testing.assert_allclose(net.biases(1), 1.0)
    np.testing.assert_allclose(net.biases(2), 0.0)
    W = np.arange(20, dtype=np.float32).reshape(5, 4)
    net.set_layer(0, W, np.ones(5))
    np.testing.assert_array_equal(net.weights(0), W)
    with pytest.raises(ValueError, match="shape"):
        net.set_layer(0, W.T, np.ones(5))
    r = np.sqrt(6 / (6 + 3)) * 4                      # UniformAdaptive, x4 for a classifier's output
    W2 = net.weights(2)
    assert np.abs(W2).max() <= r and np.abs(W2).max() > 0.5 * r


def test_is_unstable():
    X, y = iris()
    net = train_epochs(cfg_for(activation="Tanh", n_hidden=1), X, y, [5], epochs=1)
    assert not net.is_unstable()
    net.w[:] = 1e11
    assert net.is_unstable()
    cfg = cfg_for(activation="Rectifier", adaptive_rate=False, rate=1e6, rate_annealing=0.0)
    wild = Network.initialize([4, 50, 50, 3], cfg, seed=0)
    wild.train(X * 100, y, np.arange(150), None, 1, 0, 0)
    assert wild.is_unstable()


def test_bad_input_is_rejected_with_clear_messages():
    cfg = cfg_for()
    net = Network.initialize([4, 5, 5, 3], cfg, seed=1)
    X = np.zeros((3, 4), np.float32)
    with pytest.raises(ValueError, match="4 columns"):
        net.predict(np.zeros((3, 5), np.float32))
    with pytest.raises(ValueError, match="rows"):
        net.train(X, np.zeros(3, np.float32), np.array([5]), None, 1, 0, 0)
    with pytest.raises(ValueError, match="class indices"):
        net.train(X, np.array([0, 1, 7], np.float32), np.arange(3), None, 1, 0, 0)
    with pytest.raises(ValueError, match="Maxout"):
        Network.initialize([4, 5, 4], cfg_for(activation="Maxout", output="AutoEncoder", loss="Quadratic",
                                              distribution="gaussian", n_hidden=1), seed=1)
    with pytest.raises(ValueError, match="hidden_dropout_ratios"):
        Network.initialize([4, 5, 3], cfg, seed=1)
    with pytest.raises(ValueError, match="initial_weight_distribution"):
        Network.initialize([4, 5, 5, 3], cfg, seed=1, initial_weight_distribution="Gaussian")


def test_nan_inputs_rejected_in_training_and_zero_at_scoring():
    X, y = iris()
    net = train_epochs(cfg_for(activation="Tanh", n_hidden=1), X, y, [5], epochs=1)
    Xn = X.copy()
    Xn[0, 1] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        net.train(Xn, y, np.arange(150), None, 1, 0, 0)
    Xz = X.copy()
    Xz[0, 1] = 0
    np.testing.assert_array_equal(net.predict(Xn)[0], net.predict(Xz)[0])
    with pytest.raises(ValueError, match="offset"):
        net.train(X, y, np.arange(150), np.zeros(150, np.float32), 1, 0, 0)


def test_autoencoder_sparsity_pulls_mean_activation_to_target():
    ecg = pd.read_csv(DATA / "anomaly" / "ecg_discord_train.csv", header=None).to_numpy(float)
    X = ((ecg - ecg.mean(0)) / (ecg.max(0) - ecg.min(0))).astype(np.float32)
    means = {}
    for beta in (0.0, 2.0):
        cfg = cfg_for(activation="Tanh", output="AutoEncoder", loss="Quadratic", distribution="gaussian",
                      n_hidden=1, sparsity_beta=beta, average_activation=-0.5)
        net = Network.initialize([X.shape[1], 10, X.shape[1]], cfg, seed=5)
        done = 0
        for ep in range(30):
            done += net.train(X, None, np.arange(X.shape[0]), None, 1, ep, done)
        means[beta] = float(net.hidden_activations(X, 0).mean())
        if beta:
            assert np.abs(net.avg_a).max() > 0          # running mean activations are kept
    assert means[2.0] < means[0.0] - 0.1


# ----------------------------------------------------------------------------- per-row fast paths
def mnist_sample(n=600):
    """Real sparse inputs: the shipped MNIST rows, DESCALE'd as for sparse=True (~20% non-zero)."""
    raw = pd.read_csv(DATA.parent / "bigdata" / "laptop" / "mnist" / "train.csv.gz", header=None, nrows=n)
    X = raw.iloc[:, :-1].to_numpy(np.float64)
    keep = X.std(0) > 0
    X = np.ascontiguousarray(X[:, keep] / X[:, keep].std(0, ddof=1), np.float32)
    return X, raw.iloc[:, -1].to_numpy(np.float32)


def trial_cfg(**kw):
    kw.setdefault("hidden_dropout_ratios", [0.5] * 3)
    return cfg_for(activation="Rectifier", n_hidden=3, input_dropout_ratio=0.2, l1=1e-5, **kw)


def test_sparse_row_lists_train_exactly_as_scanning_the_rows(monkeypatch):
    """The cached CSR of non-zero inputs is a shortcut only: same weights as scanning X per row,
    whatever X's memory order, and it is built once per matrix, not per call."""
    from h2olite_server.dl.kernels import input_cache, sparse_rows
    X, y = mnist_sample()
    assert 0.1 < (X != 0).mean() < 0.3

    builds = []
    real_build = sparse_rows.build_nonzero_rows
    monkeypatch.setattr(input_cache, "build_nonzero_rows", lambda M: builds.append(1) or real_build(M))
    with_csr = train_epochs(trial_cfg(), X, y, [32, 32, 32], epochs=3, seed=3)
    assert len(builds) == 1
    f_order = train_epochs(trial_cfg(), np.asfortranarray(X), y, [32, 32, 32], epochs=3, seed=3)
    monkeypatch.setattr(sparse_rows, "MAX_DENSITY", 0.0)       # every matrix counts as dense: scan rows
    monkeypatch.setattr(Network, "unit_major_dense_inputs", False)   # ... in the same layout
    monkeypatch.setattr(input_cache, "build_nonzero_rows", real_build)
    scanned = train_epochs(trial_cfg(), X.copy(), y, [32, 32, 32], epochs=3, seed=3)
    for other in (f_order, scanned):
        np.testing.assert_array_equal(with_csr.w, other.w)
        np.testing.assert_array_equal(with_csr.b, other.b)
    assert accuracy(with_csr, X, y) > 0.25      # chance is 0.1; 3 short epochs of a heavily dropped-out net


def mnist_standardized(n=600):
    """Dense inputs: the shipped MNIST rows standardized as H2O does by default (every input non-zero)."""
    raw = pd.read_csv(DATA.parent / "bigdata" / "laptop" / "mnist" / "train.csv.gz", header=None, nrows=n)
    X = raw.iloc[:, :-1].to_numpy(np.float64)
    keep = X.std(0) > 0
    X = (X[:, keep] - X[:, keep].mean(0)) / X[:, keep].std(0, ddof=1)
    return np.ascontiguousarray(X, np.float32), raw.iloc[:, -1].to_numpy(np.float32)


@pytest.mark.parametrize("kw", [dict(l1=1e-4),
                                dict(l1=1e-4, max_w2=0.5, input_dropout_ratio=0.2),
                                dict(adaptive_rate=False, rate=0.01, momentum_start=0.5, momentum_stable=0.5,
                                     nesterov=False, l2=1e-4),
                                dict(activation="Maxout")])
def test_dense_inputs_train_unit_major_with_the_same_weights(monkeypatch, kw):
    """On dense inputs the first layer trains unit-major (skipping inactive units): the weights
    match the input-major path up to float rounding, and the stored layout is unchanged after."""
    X, y = mnist_standardized()
    assert (X != 0).mean() > 0.9
    calls = []
    real = Network._unit_major_first_layer
    monkeypatch.setattr(Network, "_unit_major_first_layer", lambda self, on: calls.append(on) or real(self, on))
    kw = {"activation": "Rectifier", **kw}
    by_unit = train_epochs(cfg_for(**kw), X, y, [32, 16], epochs=1, seed=5)
    assert calls == [True, False]
    monkeypatch.setattr(Network, "unit_major_dense_inputs", False)
    by_input = train_epochs(cfg_for(**kw), X, y, [32, 16], epochs=1, seed=5)
    assert calls == [True, False]
    moved = np.abs(by_input.w - Network.initialize([X.shape[1], 32, 16, 10], cfg_for(**kw), seed=5).w).max()
    assert moved > 1e-3                                   # training did change the weights
    np.testing.assert_allclose(by_unit.w, by_input.w, rtol=0, atol=moved * 1e-3)
    np.testing.assert_allclose(by_unit.b, by_input.b, rtol=0, atol=1e-3)
    np.testing.assert_allclose(by_unit.predict(X), by_input.predict(X), rtol=0, atol=1e-3)
    assert accuracy(by_unit, X, y) > 0.5                  # one epoch on 600 rows; chance is 0.1


def test_input_dropout_drops_the_documented_fraction():
    """Every non-zero input is kept with probability 1 - p, with and without the CSR, and the kept
    ones are listed in order with their values."""
    from h2olite_server.dl.kernels.inputs import load_inputs
    from h2olite_server.dl.kernels.sparse_rows import build_nonzero_rows
    X, _ = mnist_sample(200)
    X = np.ascontiguousarray(X, np.float32)
    a = np.zeros(X.shape[1], np.float32)
    idx = np.zeros(X.shape[1], np.int64)
    u = np.zeros(X.shape[1], np.float32)
    no_csr = np.zeros(1, np.int64), np.zeros(1, np.int32), np.zeros(1, np.float32)
    for csr in (no_csr, build_nonzero_rows(X)):
        rng = np.array([12345], np.uint64)
        nonzero = kept = 0
        for r in range(X.shape[0]):
            k = load_inputs(r, X, *csr, a, idx, False, np.float32(0.2), rng, u)
            assert np.all(X[r, idx[:k]] != 0) and np.all(np.diff(idx[:k]) > 0)
            np.testing.assert_array_equal(a[idx[:k]], X[r, idx[:k]])
            nonzero += int((X[r] != 0).sum())
            kept += k
        assert kept / nonzero == pytest.approx(0.8, abs=0.01)
    rng = np.array([12345], np.uint64)
    k = load_inputs(0, X, *no_csr, a, idx, True, np.float32(0.5), rng, u)     # dense: dropped inputs are 0
    assert 0 < k < (X[0] != 0).sum()
    assert np.count_nonzero(a) == k and np.all(a[idx[:k]] == X[0, idx[:k]])


def test_dropout_draws_are_sequential_splitmix64():
    """Draws made side by side are the numbers of sequential SplitMix64: two calls of n and m
    draws give the same numbers as one call of n + m, and they are uniform."""
    from h2olite_server.dl.kernels.rng import _splitmix64, draw_uniforms
    mask = (1 << 64) - 1
    one, two = np.array([987654321], np.uint64), np.array([987654321], np.uint64)
    u_all, u_a, u_b = np.zeros(1000, np.float32), np.zeros(600, np.float32), np.zeros(400, np.float32)
    draw_uniforms(one, u_all, 1000)
    draw_uniforms(two, u_a, 600)
    draw_uniforms(two, u_b, 400)
    np.testing.assert_array_equal(u_all, np.concatenate([u_a, u_b]))
    assert one[0] == two[0]
    x = 987654321
    for j in range(3):                 # _splitmix64(x) is the next output after state x
        assert u_all[j] == np.float32((_splitmix64(x) >> 40) / 16777216.0)
        x = (x + 0x9E3779B97F4A7C15) & mask
    big = np.zeros(200_000, np.float32)
    draw_uniforms(one, big, big.size)
    assert big.min() >= 0 and big.max() < 1
    assert big.mean() == pytest.approx(0.5, abs=0.005)
    assert np.histogram(big, bins=10, range=(0, 1))[0] == pytest.approx(np.full(10, 20_000), rel=0.03)


def test_concurrent_training_calls_each_get_their_own_threads():
    """The process-wide HOGWILD workers: every call runs its chunks at the same time (a barrier
    of all chunks would time out otherwise), also while another call is in flight; errors in a
    worker chunk reach the caller."""
    import threading
    from h2olite_server.dl.kernels.hogwild_pool import run_chunks

    def run_call(n, results):
        barrier = threading.Barrier(n, timeout=5)
        results.append(run_chunks(lambda c: barrier.wait() * 0 + c, n))

    results = []
    callers = [threading.Thread(target=run_call, args=(3, results)) for _ in range(3)]
    for t in callers:
        t.start()
    for t in callers:
        t.join()
    assert results == [3, 3, 3]

    def fail_in_a_worker(c):
        if c == 1:
            raise ValueError("chunk 1 failed")
        return c
    with pytest.raises(ValueError, match="chunk 1 failed"):
        run_chunks(fail_in_a_worker, 2)
    assert run_chunks(lambda c: 1, 4) == 4                     # the pool still works afterwards


def test_two_models_train_at_once_and_both_learn():
    X, y = iris()
    X, y = np.tile(X, (4, 1)), np.tile(y, 4)
    nets = [None, None]

    def job(i):
        nets[i] = train_epochs(cfg_for(activation="Rectifier"), X, y, [20, 20], epochs=10, nthreads=2, seed=i + 1)
    import threading
    jobs = [threading.Thread(target=job, args=(i,)) for i in range(2)]
    for t in jobs:
        t.start()
    for t in jobs:
        t.join()
    assert all(accuracy(net, X, y) >= 0.9 for net in nets)


def test_kernels_flush_denormals_and_leave_the_thread_mode_alone():
    """While kernels run, denormal floats count as 0 (denormals.py: a saturated softmax otherwise
    slows training 10x); the calling thread's floating-point mode is restored afterwards."""
    import platform

    from h2olite_server.dl.kernels.denormals import flush_denormals, restore_fp_control
    tiny = np.array([1e-39], np.float32)
    saved = flush_denormals()
    try:
        flushed = float((tiny * 2)[0])
    finally:
        restore_fp_control(saved)
    if platform.machine().lower() in ("x86_64", "amd64"):
        assert flushed == 0.0
    assert float((tiny * 2)[0]) == pytest.approx(2e-39, rel=1e-5)
    X, y = iris()
    train_epochs(cfg_for(), X, y, [10, 10], epochs=2, nthreads=2)
    assert float((tiny * 2)[0]) == pytest.approx(2e-39, rel=1e-5)


def test_warm_up_loads_the_kernels_every_first_model_needs():
    """The server's start-up warm-up (server/__main__.py) readies, in a fresh process, the
    kernels a first model and a first cross-validation would otherwise wait for."""
    import subprocess
    import sys
    code = ("from h2olite_server.dl.kernels import warm_up, sgd, columns, replicas, sparse_rows\n"
            "warm_up()\n"
            "print([len(k.signatures) for k in (sgd.train_rows, replicas.merge_replicas, columns._fill_block, "
            "columns._column_stats, sparse_rows._fill_nonzero_rows)])\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=600)
    assert out.stdout.strip().splitlines()[-1] == "[1, 1, 1, 1, 1]"


@pytest.mark.parametrize("kw", [dict(), dict(adaptive_rate=False, momentum_start=0.5),
                                dict(adaptive_rate=False)], ids=["adadelta", "momentum", "sgd"])
def test_kernels_never_get_one_array_twice(kw):
    """The kernels compile with no-alias array arguments (jit.py), which is only correct while
    no two arrays a kernel writes share memory: the optimizer state and its stand-ins included."""
    from h2olite_server.dl.kernels import sgd
    net = Network.initialize([4, 3, 2], cfg_for(n_hidden=1, **kw), 1)
    X = np.random.default_rng(0).random((20, 4)).astype(np.float32)
    net.train(X, np.arange(20, dtype=np.float32) % 2, np.arange(20), None, 1, 0, 0)
    state = [net.w, net.b, net.eg2, net.edx2, net.beg2, net.bedx2, net.wm, net.bm, net.avg_a]
    assert not any(np.shares_memory(p, q) for i, p in enumerate(state) for q in state[i + 1:])
    assert sgd.train_rows.targetoptions.get("_noalias") is True


def test_scoring_on_two_threads_gives_the_one_thread_outputs():
    """Training-time scoring splits the rows across the model's free cores (Network.predict)."""
    rng = np.random.default_rng(3)
    X = rng.normal(size=(5000, 6)).astype(np.float32)
    off = rng.normal(size=5000).astype(np.float32)
    for output, loss, dist, n_out in (("Softmax", "CrossEntropy", "multinomial", 3),
                                      ("Linear", "Quadratic", "gaussian", 1)):
        net = Network.initialize([6, 8, n_out], cfg_for(output=output, loss=loss, distribution=dist, n_hidden=1), 1)
        o = off if output == "Linear" else None
        one, two = net.predict(X, o), net.predict(X, o, threads=2)
        assert two.shape == one.shape == (5000, n_out)
        np.testing.assert_allclose(two, one, rtol=1e-5, atol=1e-6)
        assert not np.array_equal(one[:2500], one[2500:5000])       # the halves are different rows


def test_weights_and_optimizer_state_start_1k_apart_modulo_4k():
    """The update loops read the ADADELTA state right after writing the weights: arrays that
    start within a few cache lines of each other modulo 4 KiB stall them (4K aliasing), so the
    network lays each group out 1 KiB apart -- also after a copy and when new state appears."""
    def starts(net, names):
        return [getattr(net, n).ctypes.data % 4096 for n in names]

    def apart(offsets):
        return all(min((p - q) % 4096, (q - p) % 4096) >= 1024
                   for i, p in enumerate(offsets) for q in offsets[i + 1:])

    X, y = mnist_sample(300)
    net = Network.initialize([X.shape[1], 16, 10], cfg_for(n_hidden=1), seed=3)
    for n in (net, net.copy()):
        assert apart(starts(n, ("w", "eg2", "edx2"))) and apart(starts(n, ("b", "beg2", "bedx2")))
    before = net.w.copy()
    net.train(X, y, np.arange(X.shape[0]), None, 1, 0, 0)
    assert not np.array_equal(net.w, before)               # trained in place, in the placed arrays
    net.config = cfg_for(n_hidden=1, adaptive_rate=False, momentum_start=0.5, rate=0.01)
    net.train(X, y, np.arange(X.shape[0]), None, 1, 0, 0)  # momentum buffers appear
    assert net.wm.shape == net.w.shape and apart(starts(net, ("w", "eg2", "edx2", "wm")))
    assert all(buf.ctypes.data % 64 == 0 for buf in net._scratch(batch=True))   # on a cache line each
    from h2olite_server.dl.kernels.network import _stacked     # each thread's replica (replicas.py)
    stacks = _stacked([net.w, net.eg2, net.edx2, net.wm], 3)
    for c in range(3):
        assert apart([s[c].ctypes.data % 4096 for s in stacks]) and stacks[0][c].flags.c_contiguous
        assert np.array_equal(stacks[0][c][:net.w.size], net.w) and np.array_equal(stacks[3][c][:net.w.size], net.wm)


@pytest.mark.parametrize("inputs", ["sparse", "dense"])
@pytest.mark.parametrize("kw", [dict(l1=1e-4),
                                dict(adaptive_rate=False, rate=0.01, rate_annealing=0.0, momentum_start=0.5,
                                     momentum_stable=0.5, l2=1e-4)],
                         ids=["adadelta-l1", "momentum-l2"])
def test_two_threads_train_replicas_and_merge_every_update(monkeypatch, inputs, kw):
    """Within one merge block (replicas.py) each thread trains its chunk exactly as one thread
    would from the same start; the merge adds both changes to the weights and biases, and the
    model keeps the mean of the threads' optimizer states."""
    X, y = (mnist_sample if inputs == "sparse" else mnist_standardized)(200)
    cfg = cfg_for(activation="Rectifier", **kw)
    start = Network.initialize([X.shape[1], 24, 12, 10], cfg, seed=5)
    rows = np.arange(200)
    monkeypatch.setattr("h2olite_server.dl.kernels.replicas.MERGES_PER_EPOCH", 1)
    assert replicas_rows_per_thread(2, 200) == 100                 # one block per thread
    chunks = []
    for part in (rows[:100], rows[100:]):
        net = start.copy()
        net.train(X, y, part, None, 1, 9, 0)
        chunks.append(net)
    both = start.copy()
    assert both.train(X, y, rows, None, 2, 9, 0) == 200
    a, b = chunks
    assert np.abs(a.w - start.w).max() > 1e-3 and np.abs(b.w - start.w).max() > 1e-3
    np.testing.assert_allclose(both.w, (a.w - start.w) + b.w, rtol=0, atol=2e-6)
    np.testing.assert_allclose(both.b, (a.b - start.b) + b.b, rtol=0, atol=1e-9)
    state = ("eg2", "edx2", "beg2", "bedx2") if cfg.adaptive_rate else ("wm", "bm")
    for name in state:
        np.testing.assert_allclose(getattr(both, name), (getattr(a, name) + getattr(b, name)) / 2,
                                   rtol=1e-6, atol=1e-12)


def replicas_rows_per_thread(n, data_rows):
    from h2olite_server.dl.kernels.replicas import rows_per_thread
    return rows_per_thread(n, data_rows)


def test_replicas_merge_at_least_32_times_an_epoch_and_at_most_every_256_rows():
    assert replicas_rows_per_thread(2, 8000) == 125 and replicas_rows_per_thread(2, 100000) == 128
    assert replicas_rows_per_thread(4, 100000) == 64 and replicas_rows_per_thread(2, 2000) == 31
    assert replicas_rows_per_thread(2, 150) == 16                  # never fewer rows than this


@pytest.mark.parametrize("nthreads", [2, 3])
def test_replicas_over_many_merges_are_reproducible_and_learn_as_one_thread(nthreads):
    """The booklet's trial net on real sparse rows: many merge blocks per call; two runs with
    the same seed and thread count agree exactly (unlike HOGWILD!), and the model learns as the
    one-thread model does."""
    X, y = mnist_sample(2000)
    cfg = trial_cfg(hidden_dropout_ratios=[0.0] * 3)       # learns within a few epochs
    one = train_epochs(cfg, X, y, [32, 32, 32], epochs=4, seed=3)
    runs = [train_epochs(cfg, X, y, [32, 32, 32], epochs=4, nthreads=nthreads, seed=3) for _ in range(2)]
    assert np.array_equal(runs[0].w, runs[1].w) and np.array_equal(runs[0].eg2, runs[1].eg2)
    assert runs[0].processed == one.processed == 4 * 2000
    assert not np.array_equal(runs[0].w, one.w)
    # 2000 rows are 8-16 merges an epoch; the booklet's 8,000 learn as on one thread (replicas.py)
    assert accuracy(one, X, y) > 0.88 and accuracy(runs[0], X, y) > accuracy(one, X, y) - 0.06


def test_replicas_skip_nan_targets_and_stop_every_thread_when_unstable():
    """Every thread skips its NaN-target rows; when the model blows up, the thread that sees it
    stops the others (which would otherwise wait for it at the next merge forever)."""
    import threading
    X, y = mnist_standardized(600)
    y = y.copy()
    y[::3] = np.nan
    net = train_epochs(cfg_for(activation="Rectifier"), X, y, [32, 8], epochs=1, nthreads=2, seed=3)
    assert net.processed == 400 and not net.is_unstable()

    unstable = Network.initialize([X.shape[1], 32, 8, 10], cfg_for(activation="Rectifier", adaptive_rate=False,
                                                                   rate=1e12, rate_annealing=0.0), seed=3)
    done = []
    worker = threading.Thread(target=lambda: done.append(unstable.train(X, np.nan_to_num(y), np.arange(600), None,
                                                                        2, 0, 0)))
    worker.start()
    worker.join(timeout=120)
    assert not worker.is_alive(), "a replica kept waiting at a merge"
    assert unstable.is_unstable() and done[0] < 600



def test_replicas_serve_online_sgd_and_hogwild_the_rest():
    """max_w2 caps every update and a merge's sum could exceed it; the sparsity penalty's running
    means and mini-batches stay shared too (network.py's _uses_replicas)."""
    def uses(**kw):
        cfg = cfg_for(**kw)
        net = Network.initialize([4, 3, 3, 2] if cfg.output != "AutoEncoder" else [4, 3, 3, 4], cfg, 1)
        return net._uses_replicas(cfg.pack(2, False)[0])
    assert uses() and uses(adaptive_rate=False, momentum_start=0.5)
    assert not uses(mini_batch_size=8)
    assert not uses(max_w2=10.0)
    assert uses(output="AutoEncoder", loss="Quadratic", distribution="gaussian")
    assert not uses(output="AutoEncoder", loss="Quadratic", distribution="gaussian", sparsity_beta=0.1)
