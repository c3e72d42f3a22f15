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

from .ieee import exact_div, exact_sqrt
from .jit import kernel


@kernel(inline=True)
def penalty(wv, l1, l2):
    """The L1/L2 gradient term ``l1 * sign(w) + l2 * w`` (sign(0) = 0).  The L1 part is a sign
    copy and a select, not a multiply: the update loops are bound by the multiply units."""
    return (np.float32(np.copysign(l1, wv)) if wv != 0 else np.float32(0)) + l2 * wv


# The three row rules below update the m weights leaving one input unit, stored at
# ``w[base:base+m]`` (``eg``/``ed`` ADADELTA accumulators, ``vm`` momenta, gradient source
# ``src[sbase:sbase+m]``).  They index the flat arrays with unsigned offsets: no per-row array
# views (each view costs an atomic reference-count update on the shared arrays, which the HOGWILD
# threads would fight over) and no negative-index checks (so LLVM vectorizes every loop).  Each is
# one branch-free loop inlined into the layer loops: measured, a multi-rule function or a real
# call per row costs up to 2x on short rows.

@kernel(inline=True)
def adadelta_row(w, eg, ed, base, m, src, sbase, scale, shortcut, rho, eps, l1, l2):
    """ADADELTA (Zeiler 2012) with a real square root.

    ``q = (E[dx2] + eps) / (E[g2] + eps)`` is formed once: the step is ``sqrt(q) * grad`` and the
    new ``E[dx2]`` takes ``q * g2``.  Division and root are IEEE-exact (ieee.py) and run on the
    divider while the multiply units do the rest; measured 0.30 -> 0.23 ns/weight against a
    refined reciprocal-square-root estimate."""
    one_m_rho = np.float32(1) - rho
    b0 = np.uint64(base)
    s0 = np.uint64(sbase)
    for j in range(m):
        u = np.uint64(j)
        k = b0 + u
        s = src[s0 + u]
        wv = w[k]
        grad = s * scale + penalty(wv, l1, l2)
        g2 = one_m_rho * (grad * grad)
        e_old = eg[k]
        d_old = ed[k]
        e_g = rho * e_old + g2
        q = exact_div(d_old + eps, e_g + eps)
        e_d = rho * d_old + q * g2
        active = (s != 0) | (not shortcut)
        eg[k] = e_g if active else e_old
        ed[k] = e_d if active else d_old
        w[k] = wv - exact_sqrt(q) * grad if active else wv


@kernel(inline=True)
def sgd_row(w, base, m, src, sbase, scale, shortcut, l1, l2, rate):
    """Plain SGD step with the (annealed, decayed) manual rate."""
    b0 = np.uint64(base)
    s0 = np.uint64(sbase)
    for j in range(m):
        u = np.uint64(j)
        k = b0 + u
        s = src[s0 + u]
        wv = w[k]
        grad = s * scale + penalty(wv, l1, l2)
        active = (s != 0) | (not shortcut)
        w[k] = wv - rate * grad if active else wv


@kernel(inline=True)
def momentum_row(w, vm, base, m, src, sbase, scale, shortcut, l1, l2, rate, mom, nesterov):
    """Manual rate with momentum, as H2O: Nesterov ``v = m*v - grad; w += rate*v``; classic
    ``d = -rate*grad; w += d + m*v; v = d`` (``rate`` already carries the (1 - m) factor)."""
    b0 = np.uint64(base)
    s0 = np.uint64(sbase)
    for j in range(m):
        u = np.uint64(j)
        k = b0 + u
        s = src[s0 + u]
        wv = w[k]
        v_old = vm[k]
        grad = s * scale + penalty(wv, l1, l2)
        active = (s != 0) | (not shortcut)
        if nesterov:
            v = mom * v_old - grad
            nw = wv + rate * v
        else:
            v = -rate * grad
            nw = wv + v + mom * v_old
        vm[k] = v if active else v_old
        w[k] = nw if active else wv


@kernel(inline=True)
def update_row(w, eg, ed, vm, base, m, src, sbase, scale, ada, momenta, shortcut, rho, eps, l1, l2,
               rate, mom, nesterov):
    """The row update of the configured rule (ADADELTA, momentum or plain SGD); inlined, so the
    rule is chosen once per row and each rule stays one branch-free loop."""
    if ada:
        adadelta_row(w, eg, ed, base, m, src, sbase, scale, shortcut, rho, eps, l1, l2)
    elif momenta:
        momentum_row(w, vm, base, m, src, sbase, scale, shortcut, l1, l2, rate, mom, nesterov)
    else:
        sgd_row(w, base, m, src, sbase, scale, shortcut, l1, l2, rate)


@kernel
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
        b0 = np.uint64(boff)
        s0 = np.uint64(soff)
        bad = 0
        for j in range(m):
            u = np.uint64(j)
            k = b0 + u
            s = np.float64(src[s0 + u])
            bv = b[k]
            sg = 1.0 if bv > 0 else (-1.0 if bv < 0 else 0.0)
            grad = s * scale + l1 * sg + l2 * bv
            g2 = grad * grad
            e_old = beg2[k]
            d_old = bedx2[k]
            e_g = rho64 * e_old + (1.0 - rho64) * g2
            r = np.sqrt((d_old + eps64) / (e_g + eps64))
            e_d = rho64 * d_old + (1.0 - rho64) * r * r * g2
            nb = bv - r * grad
            active = (s != 0) | (not shortcut)
            beg2[k] = e_g if active else e_old
            bedx2[k] = e_d if active else d_old
            b[k] = nb if active else bv
            bad += not (abs(nb) < np.inf)
        if clear_src:
            for j in range(m):
                src[s0 + np.uint64(j)] = 0
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


@kernel
def rescale_max_w2(w, woff, n_in, m, src, soff, shortcut, max_w2, tmp):
    """max_w2: scale the incoming weights of each updated unit j so that sum_i W[i,j]^2 <= max_w2."""
    for jj in range(m):
        tmp[jj] = 0
    for i in range(n_in):
        b0 = np.uint64(woff + i * m)
        for jj in range(m):
            v = w[b0 + np.uint64(jj)]
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
            b0 = np.uint64(woff + i * m)
            for jj in range(m):
                w[b0 + np.uint64(jj)] *= tmp[jj]


@kernel
def rescale_max_w2_units(w, woff, n_in, m, src, soff, shortcut, max_w2):
    """``rescale_max_w2`` for a unit-major layer (row j = the incoming weights of unit j)."""
    n = np.uint64(n_in)
    for jj in range(m):
        if src[soff + jj] == 0 and shortcut:
            continue
        b0 = np.uint64(woff) + np.uint64(jj) * n
        s = np.float32(0)
        for i in range(n_in):
            v = w[b0 + np.uint64(i)]
            s += v * v
        if s > max_w2:
            f = np.float32(math.sqrt(max_w2 / s))
            for i in range(n_in):
                w[b0 + np.uint64(i)] *= f
