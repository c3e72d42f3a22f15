"""Per-row activations, dropout masks and deltas (H2O's Neurons maths, dE/dnet convention).

Codes: activation 0=Tanh 1=Rectifier 2=Maxout(k=2); output 0=Softmax 1=Linear 2=AutoEncoder;
softmax loss 0=CrossEntropy 1=Quadratic 2=Absolute 3=Huber; distribution 0=gaussian 1=laplace
2=quantile 3=huber 4=poisson 5=gamma 6=tweedie.
"""
import math

import numpy as np

from .jit import kernel

EXP_CAP = 1e19


@kernel
def hidden_forward(z, zoff, b, boff, a, aoff, n, act, p_drop, use_dropout, u):
    """Add biases, apply the dropout mask and the activation (training mode).

    Unit j is dropped when ``u[j] < p_drop``.  ``u`` holds one uniform draw per unit index for the
    current row, shared by every hidden layer: H2O seeds each layer's dropout generator with the
    same per-row seed, so unit j of every hidden layer sees the same draw.  This visibly changes
    learning (dropout over whole "columns" of the net), so h2olite keeps it.
    H2O's dropout is not inverted: a dropped unit gets net 0 (bias skipped too), so its output is
    f(0) = 0, and kept units are not rescaled in training (test time scales by 1-p instead).
    Maxout (k=2) keeps both channel nets in ``z`` so the backward pass can find the winner.
    """
    if act == 2:
        for j in range(n):
            keep = (not use_dropout) or u[j] >= p_drop
            z0 = z[zoff + 2 * j] + np.float32(b[boff + 2 * j])
            z1 = z[zoff + 2 * j + 1] + np.float32(b[boff + 2 * j + 1])
            z0 = z0 if keep else np.float32(0)
            z1 = z1 if keep else np.float32(0)
            z[zoff + 2 * j] = z0
            z[zoff + 2 * j + 1] = z1
            a[aoff + j] = z0 if z0 >= z1 else z1
        return
    z0 = np.uint64(zoff)
    b0 = np.uint64(boff)
    a0 = np.uint64(aoff)
    for j in range(n):              # branch-free selects: dropout masks are unpredictable
        q = np.uint64(j)
        keep = (not use_dropout) or u[q] >= p_drop
        v = z[z0 + q] + np.float32(b[b0 + q])
        v = v if keep else np.float32(0)
        z[z0 + q] = v
        if act == 0:
            a[a0 + q] = np.float32(1) - np.float32(2) / (np.float32(1) + np.exp(np.float32(2) * v))
        else:
            a[a0 + q] = v if v > 0 else np.float32(0)


@kernel
def hidden_delta(e, eoff, a, aoff, z, zoff, g, goff, n, act):
    """dE/dnet of a hidden layer from the back-propagated error ``e``.

    Tanh: e*(1-a^2); Rectifier: e where a > 0; Maxout: e on the winning channel.  As in H2O, a
    dropped Tanh/Maxout unit (a = 0) still gets g = e, so it is updated and passes error on.
    """
    e0, a0, g0 = np.uint64(eoff), np.uint64(aoff), np.uint64(goff)   # unsigned: contiguous vector loads
    for j in range(n):
        q = np.uint64(j)
        ej = e[e0 + q]
        if act == 0:
            aj = a[a0 + q]
            g[g0 + q] = ej * (np.float32(1) - aj * aj)
        elif act == 1:
            g[g0 + q] = ej if a[a0 + q] > 0 else np.float32(0)
        else:
            if z[zoff + 2 * j + 1] > z[zoff + 2 * j]:
                g[goff + 2 * j] = 0
                g[goff + 2 * j + 1] = ej
            else:
                g[goff + 2 * j] = ej
                g[goff + 2 * j + 1] = 0


@kernel
def output_forward(z, zoff, b, boff, a, aoff, n, out, act, off_value):
    """Output layer: softmax (max subtracted), linear (+offset), or the autoencoder's hidden activation.

    Returns False if the softmax produced NaN (H2O flags the model unstable).
    """
    if out == 0:
        mx = np.float32(-np.inf)
        for j in range(n):
            v = z[zoff + j] + np.float32(b[boff + j])
            z[zoff + j] = v
            if v > mx:
                mx = v
        s = np.float32(0)
        for j in range(n):
            ex = np.exp(z[zoff + j] - mx)
            a[aoff + j] = ex
            s += ex
        ok = True
        for j in range(n):
            a[aoff + j] = a[aoff + j] / s
            if math.isnan(a[aoff + j]):
                ok = False
        return ok
    for j in range(n):
        v = z[zoff + j] + np.float32(b[boff + j])
        if out == 1:
            v += off_value
            z[zoff + j] = v
            a[aoff + j] = v
        else:
            z[zoff + j] = v
            if act == 0:
                a[aoff + j] = np.float32(1) - np.float32(2) / (np.float32(1) + np.exp(np.float32(2) * v))
            else:
                a[aoff + j] = v if v > 0 else np.float32(0)
    return True


@kernel
def _exp_capped(x):
    return min(math.exp(x), EXP_CAP)


@kernel
def regression_delta(f, t, dist, q_alpha, tweedie_p, huber_delta):
    """dE/df = -2 * negHalfGradient(t, f) of H2O's distribution, f in link space."""
    if dist == 0:
        return 2.0 * (f - t)
    if dist == 1:
        return 1.0 if f > t else -1.0
    if dist == 2:
        return -q_alpha if t > f else 1.0 - q_alpha
    if dist == 3:
        d = f - t
        if abs(d) <= huber_delta:
            return 2.0 * d
        return 2.0 * huber_delta if d > 0 else -2.0 * huber_delta
    if dist == 4:
        return 2.0 * (_exp_capped(f) - t)
    if dist == 5:
        return 2.0 * (1.0 - t * _exp_capped(-f))
    # tweedie
    return -2.0 * (t * _exp_capped(f * (1.0 - tweedie_p)) - _exp_capped(f * (2.0 - tweedie_p)))


@kernel
def softmax_delta(y, t, loss):
    """dE/dnet for one softmax unit (H2O uses only the Jacobian's diagonal for non-CE losses)."""
    if loss == 0:
        return y - t
    d = y * (np.float32(1) - y)
    if loss == 1:
        return (y - t) * d
    if loss == 2:
        return -(np.float32(2) * t - np.float32(1)) * d
    # Huber on probabilities, as H2O's Softmax.bprop
    if t == 0:
        gneg = np.float32(-4) * y if y < np.float32(0.5) else np.float32(-2)
    else:
        gneg = np.float32(4) * (np.float32(1) - y) if y > np.float32(0.5) else np.float32(2)
    return -gneg * d


@kernel
def output_delta(a, aoff, X, r, target, g, goff, n, out, loss, dist, q_alpha, tweedie_p, huber_delta):
    """Output-layer dE/dnet.  The autoencoder uses the loss gradient directly as dE/dnet, without
    the output activation's derivative, as H2O does."""
    if out == 0:
        cls = int(target)
        for j in range(n):
            t = np.float32(1) if j == cls else np.float32(0)
            g[goff + j] = softmax_delta(a[aoff + j], t, loss)
    elif out == 1:
        g[goff] = np.float32(regression_delta(np.float64(a[aoff]), np.float64(target), dist,
                                              q_alpha, tweedie_p, huber_delta))
    else:
        for j in range(n):
            g[goff + j] = np.float32(regression_delta(np.float64(a[aoff + j]), np.float64(X[r, j]), dist,
                                                      q_alpha, tweedie_p, huber_delta))
