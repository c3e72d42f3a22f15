"""Weight and bias update rules (H2O's Neurons.bprop maths, gradient = dE/dparam).

One rule serves online SGD and mini-batches: the gradient of weight (i, j) is
``src[sbase + j] * scale`` -- online: ``g[j] * a_prev[i]``; mini-batch: ``G[i, j] / batch``.
A unit whose gradient source is 0 is skipped entirely when H2O's shortcut applies (fast_mode,
or plain SGD without L1/L2), so skipped weights see no L1/L2 and no ADADELTA decay.

ADADELTA uses a real square root where H2O uses a bit-trick approximation (a bug against its
own documentation), and a bias's accumulators are fed with the bias's own gradient where H2O
feeds them the mean squared weight gradient of the unit (likewise documented otherwise).
"""
import math

import numpy as np
from numba import njit

FASTMATH = {"nsz", "arcp", "contract", "afn", "reassoc"}  # not nnan/ninf: NaN checks must survive


@njit(nogil=True, cache=True, fastmath=FASTMATH, error_model="numpy", inline="always")
def _sign(v):
    return np.float32(1) if v > 0 else (np.float32(-1) if v < 0 else np.float32(0))


# The three row rules below update the weights leaving one input unit: ``wr`` is that row of the
# input-major matrix, ``er``/``dr`` its ADADELTA accumulators, ``vr`` its momenta, ``sr`` the
# gradient source.  Each is a single branch-free loop, inlined into the layer loops: measured,
# one multi-rule function (or a real call per row) costs up to 2x on short rows.

@njit(nogil=True, cache=True, fastmath=FASTMATH, error_model="numpy", inline="always")
def adadelta_row(wr, er, dr, sr, scale, shortcut, rho, eps, l1, l2):
    """ADADELTA (Zeiler 2012) with a real square root."""
    one_m_rho = np.float32(1) - rho
    for jj in range(wr.shape[0]):
        s = sr[jj]
        wv = wr[jj]
        grad = s * scale + l1 * _sign(wv) + l2 * wv
        g2 = grad * grad
        e_old = er[jj]
        d_old = dr[jj]
        e_g = rho * e_old + one_m_rho * g2
        r = np.sqrt((d_old + eps) / (e_g + eps))
        e_d = rho * d_old + one_m_rho * r * r * g2
        active = (s != 0) | (not shortcut)
        er[jj] = e_g if active else e_old
        dr[jj] = e_d if active else d_old
        wr[jj] = wv - r * grad if active else wv


@njit(nogil=True, cache=True, fastmath=FASTMATH, error_model="numpy", inline="always")
def sgd_row(wr, sr, scale, shortcut, l1, l2, rate):
    """Plain SGD step with the (annealed, decayed) manual rate."""
    for jj in range(wr.shape[0]):
        s = sr[jj]
        wv = wr[jj]
        grad = s * scale + l1 * _sign(wv) + l2 * wv
        active = (s != 0) | (not shortcut)
        wr[jj] = wv - rate * grad if active else wv


@njit(nogil=True, cache=True, fastmath=FASTMATH, error_model="numpy", inline="always")
def momentum_row(wr, vr, sr, scale, shortcut, l1, l2, rate, mom, nesterov):
    """Manual rate with momentum, as H2O: Nesterov ``v = m*v - grad; w += rate*v``; classic
    ``d = -rate*grad; w += d + m*v; v = d`` (``rate`` already carries the (1 - m) factor)."""
    for jj in range(wr.shape[0]):
        s = sr[jj]
        wv = wr[jj]
        v_old = vr[jj]
        grad = s * scale + l1 * _sign(wv) + l2 * wv
        active = (s != 0) | (not shortcut)
        if nesterov:
            v = mom * v_old - grad
            nw = wv + rate * v
        else:
            v = -rate * grad
            nw = wv + v + mom * v_old
        vr[jj] = v if active else v_old
        wr[jj] = nw if active else wv


@njit(nogil=True, cache=True, fastmath=FASTMATH, error_model="numpy")
def update_biases(b, beg2, bedx2, bm, boff, src, soff, m, scale, clear_src,
                  ada, nesterov, momenta, shortcut, rho, eps, l1, l2, rate, mom,
                  sparsity, avg_a, aoff, beta, avg_target):
    """Update one layer's biases; returns False if a bias became infinite (unstable model).

    With ``sparsity`` (autoencoder sparsity_beta > 0) each bias also moves by
    ``-rate * beta * (mean activation - average_activation)``, as H2O's update_bias does.
    """
    ok = True
    rho64 = np.float64(rho)
    eps64 = np.float64(eps)
    if ada and not sparsity:
        # the common case as one branch-free (vectorized) loop
        bv_ = b[boff:boff + m]
        eg = beg2[boff:boff + m]
        ed = bedx2[boff:boff + m]
        sv = src[soff:soff + m]
        bad = 0
        for jj in range(m):
            s = np.float64(sv[jj])
            bv = bv_[jj]
            sg = 1.0 if bv > 0 else (-1.0 if bv < 0 else 0.0)
            grad = s * scale + l1 * sg + l2 * bv
            g2 = grad * grad
            e_old = eg[jj]
            d_old = ed[jj]
            e_g = rho64 * e_old + (1.0 - rho64) * g2
            r = np.sqrt((d_old + eps64) / (e_g + eps64))
            e_d = rho64 * d_old + (1.0 - rho64) * r * r * g2
            nb = bv - r * grad
            active = (s != 0) | (not shortcut)
            eg[jj] = e_g if active else e_old
            ed[jj] = e_d if active else d_old
            bv_[jj] = nb if active else bv
            bad += not (abs(nb) < np.inf)
        if clear_src:
            for jj in range(m):
                sv[jj] = 0
        return bad == 0
    for jj in range(m):
        s = np.float64(src[soff + jj])
        if s == 0 and shortcut:
            continue
        bv = b[boff + jj]
        sg = 1.0 if bv > 0 else (-1.0 if bv < 0 else 0.0)
        grad = s * scale + l1 * sg + l2 * bv
        if ada:
            g2 = grad * grad
            e_g = rho64 * beg2[boff + jj] + (1.0 - rho64) * g2
            r = math.sqrt((bedx2[boff + jj] + eps64) / (e_g + eps64))
            beg2[boff + jj] = e_g
            bedx2[boff + jj] = rho64 * bedx2[boff + jj] + (1.0 - rho64) * r * r * g2
            bv = bv - r * grad
        else:
            r = np.float64(rate)
            if not momenta:
                bv = bv - r * grad
            elif nesterov:
                v = mom * bm[boff + jj] - grad
                bm[boff + jj] = v
                bv = bv + r * v
            else:
                delta = -r * grad
                bv = bv + delta + mom * bm[boff + jj]
                bm[boff + jj] = delta
        if sparsity:
            bv -= r * beta * (avg_a[aoff + jj] - avg_target)
        b[boff + jj] = bv
        if math.isinf(bv) or math.isnan(bv):
            ok = False
    if clear_src:
        for jj in range(m):
            src[soff + jj] = 0
    return ok


@njit(nogil=True, cache=True, fastmath=FASTMATH, error_model="numpy")
def rescale_max_w2(w, woff, n_in, m, src, soff, shortcut, max_w2, tmp):
    """max_w2: scale the incoming weights of each updated unit j so that sum_i W[i,j]^2 <= max_w2."""
    for jj in range(m):
        tmp[jj] = 0
    for i in range(n_in):
        base = woff + i * m
        for jj in range(m):
            v = w[base + jj]
            tmp[jj] += v * v
    any_scaled = False
    for jj in range(m):
        if (src[soff + jj] != 0 or not shortcut) and tmp[jj] > max_w2:
            tmp[jj] = np.float32(math.sqrt(max_w2 / tmp[jj]))
            any_scaled = True
        else:
            tmp[jj] = 1
    if any_scaled:
        for i in range(n_in):
            base = woff + i * m
            for jj in range(m):
                w[base + jj] *= tmp[jj]
