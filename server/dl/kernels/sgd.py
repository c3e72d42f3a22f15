"""The training kernel: forward, deltas and updates for a run of rows (one thread's chunk).

One compiled signature for every depth and configuration: the network is flattened into
``w`` (float32, input-major per layer at ``w_off``), ``b`` (float64 at ``b_off``) and per-row
scratch buffers indexed by ``a_off`` (activations / errors / non-zero lists) and ``z_off``
(nets / deltas).  Settings come packed in ``ip`` / ``fp`` (see config.py).
"""
import math

import numpy as np

from .activations import hidden_delta, hidden_forward, output_delta, output_forward
from .config import (F_ANNEAL, F_AVGACT, F_BETA, F_DECAY, F_EPS, F_HUBER, F_INDROP, F_L1, F_L2,
                     F_MAXW2, F_MRAMP, F_MSTABLE, F_MSTART, F_QALPHA, F_RATE, F_RHO, F_TWEEDIE,
                     I_ACT, I_ADA, I_BATCH, I_DIST, I_FAST, I_HAS_OFFSET, I_LOSS, I_MAXW2, I_MOMENTA,
                     I_NESTEROV, I_NTHREADS, I_OUT, I_SHORTCUT, I_SPARSITY, I_UNIT_MAJOR)
from .linalg import gather_nonzero, matvec_sparse, matvec_units, reverse_list
from .optimizers import rescale_max_w2, rescale_max_w2_units, update_biases, update_row
from .inputs import load_inputs
from .rng import draw_uniforms
from .jit import kernel


@kernel
def momentum_at(n, m_start, m_ramp, m_stable):
    """The documented momentum ramp (H2O's training code never ramps: a bug, see config.py)."""
    m = m_start
    if m_ramp > 0:
        if n >= m_ramp:
            m = m_stable
        else:
            m = m_start + (m_stable - m_start) * n / m_ramp
    return m


@kernel(inline=True)
def update_settings(ip, fp):
    """The update rule's settings from the packed arrays (config.py), for the online and the
    mini-batch paths alike: ``(fast, ada, nesterov, momenta, shortcut, sparsity, rho, eps, l1, l2)``."""
    return (ip[I_FAST] != 0, ip[I_ADA] != 0, ip[I_NESTEROV] != 0, ip[I_MOMENTA] != 0, ip[I_SHORTCUT] != 0,
            ip[I_SPARSITY] != 0, np.float32(fp[F_RHO]), np.float32(fp[F_EPS]), np.float32(fp[F_L1]),
            np.float32(fp[F_L2]))


@kernel
def backprop_layer(l, w, eg2, edx2, wm, units, kk, w_off, a_off, z_off, a, e, g, idx, nnz,
                   G, touched, batch, act, fast, ada, nesterov, momenta, shortcut,
                   rho, eps, l1, l2, rate, mom, reverse, unit_major):
    """Send the error of weight layer ``l`` back to its inputs (pre-update weights) and either
    update the weights (online) or accumulate the row's gradient (mini-batch).  Inputs are
    walked in the order of the layer's non-zero list (descending with ``reverse``).

    ``unit_major`` (first layer, online, fast_mode, dense inputs): the layer is stored
    unit-major and updated a unit at a time, skipping the units whose delta is 0 -- the same
    weights H2O's fast_mode updates (input i, unit j: both non-zero), in half the work on
    Rectifier nets, where about half the units are inactive on any row."""
    n_in = units[l]
    m = units[l + 1] * kk[l]
    o = w_off[l]
    aoff = a_off[l]
    goff = z_off[l]
    g0 = np.uint64(goff)
    if unit_major:
        for t in range(m):
            j = m - 1 - t if reverse else t
            gj = g[g0 + np.uint64(j)]
            if gj == 0:                    # fast_mode (unit_major implies it): skip the unit
                continue
            update_row(w, eg2, edx2, wm, o + j * n_in, n_in, a, aoff, gj,      # row j of W[j, i]
                       ada, momenta, shortcut, rho, eps, l1, l2, rate, mom, nesterov)
        return
    need_e = l > 0
    # Rectifier inputs with a = 0 need neither error (their delta is 0) nor, in fast_mode, an update
    sparse_walk = (not need_e or act == 1) and (fast or batch)
    count = nnz[l] if sparse_walk else n_in
    for t in range(count):
        i = idx[aoff + t] if sparse_walk else (n_in - 1 - t if reverse else t)
        ai = a[aoff + i]
        base = o + i * m                   # row i of the input-major matrix
        b0 = np.uint64(base)
        if need_e and (act != 1 or ai > 0):
            s = np.float32(0)
            for jj in range(m):
                u = np.uint64(jj)
                s += g[g0 + u] * w[b0 + u]
            e[aoff + i] = s
        if ai == 0 and (fast or batch):
            continue
        if batch:
            for jj in range(m):
                u = np.uint64(jj)
                G[b0 + u] += ai * g[g0 + u]
            touched[aoff + i] = 1
        else:
            update_row(w, eg2, edx2, wm, base, m, g, goff, ai, ada, momenta, shortcut, rho, eps, l1, l2,
                       rate, mom, nesterov)


@kernel
def apply_batch(w, b, eg2, edx2, beg2, bedx2, wm, bm, avg_a, units, kk, w_off, b_off, a_off, z_off,
                G, Gb, touched, count, ip, fp, rates, mom, tmp):
    """Apply a mini-batch's averaged gradients, one update per weight; returns False if unstable."""
    fast, ada, nesterov, momenta, shortcut, sparsity, rho, eps, l1, l2 = update_settings(ip, fp)
    use_maxw2 = ip[I_MAXW2] != 0
    max_w2 = np.float32(fp[F_MAXW2])
    ok = True
    inv = np.float32(1.0 / count)
    nl = kk.shape[0]
    for l in range(nl):
        n_in = units[l]
        m = units[l + 1] * kk[l]
        o = w_off[l]
        aoff = a_off[l]
        for i in range(n_in):
            if fast and touched[aoff + i] == 0:
                continue
            touched[aoff + i] = 0
            base = o + i * m
            update_row(w, eg2, edx2, wm, base, m, G, base, inv, ada, momenta, shortcut, rho, eps, l1, l2,
                       rates[l], mom, nesterov)
            b0 = np.uint64(base)
            for jj in range(m):
                G[b0 + np.uint64(jj)] = 0
        if use_maxw2:
            rescale_max_w2(w, w_off[l], n_in, m, Gb, z_off[l], shortcut, max_w2, tmp)
        if not update_biases(b, beg2, bedx2, bm, b_off[l], Gb, z_off[l], m, np.float64(inv), count > 0,
                             ada, nesterov, momenta, shortcut, rho, eps, l1, l2, rates[l], mom,
                             sparsity and l < nl - 1, avg_a, a_off[l + 1], fp[F_BETA], fp[F_AVGACT]):
            ok = False
    return ok


@kernel
def forward_row(r, X, nz_ptr, nz_idx, nz_val, offset, w, b, avg_a, units, kk, w_off, b_off, a_off, z_off,
                ip, fp, drop, rng, u, a, z, idx, nnz, reverse):
    """Training-mode forward pass of row r: input dropout, hidden dropout (one draw per unit
    index shared by all hidden layers, as H2O), activations; lists each layer's non-zero inputs
    (in descending order with ``reverse``, see train_rows).
    Returns False if the softmax produced NaN."""
    nl = kk.shape[0]
    L = nl - 1
    act = ip[I_ACT]
    p_in = np.float32(fp[F_INDROP])
    # X is indexed in place (no row view: views update a reference count the threads share)
    unit_major = ip[I_UNIT_MAJOR] != 0
    # only then does the first layer read every input
    dense = (ip[I_FAST] == 0 and ip[I_BATCH] <= 1) or unit_major
    nnz[0] = load_inputs(r, X, nz_ptr, nz_idx, nz_val, a, idx, dense, p_in, rng, u)
    if reverse and not unit_major:
        reverse_list(idx, 0, nnz[0])
    any_drop = False
    widest = 0
    for l in range(L):
        any_drop = any_drop or drop[l] > 0
        widest = max(widest, units[l + 1])
    if any_drop:
        draw_uniforms(rng, u, widest)
    for l in range(nl):
        m = units[l + 1] * kk[l]
        if l > 0:
            nnz[l] = gather_nonzero(a, a_off[l], units[l], idx, a_off[l])
            if reverse:
                reverse_list(idx, a_off[l], nnz[l])
        if l == 0 and unit_major:
            matvec_units(w, w_off[0], m, units[0], a, a_off[0], z, z_off[0])
        else:
            matvec_sparse(w, w_off[l], m, a, a_off[l], idx, a_off[l], nnz[l], z, z_off[l])
        if l < L:
            p = np.float32(drop[l])
            hidden_forward(z, z_off[l], b, b_off[l], a, a_off[l + 1], units[l + 1], act, p, p > 0, u)
            if ip[I_SPARSITY] != 0:
                for j in range(a_off[l + 1], a_off[l + 2]):
                    avg_a[j] = 0.999 * avg_a[j] + 0.001 * a[j]
        else:
            off_v = offset[r] if ip[I_HAS_OFFSET] != 0 else np.float32(0)
            if not output_forward(z, z_off[l], b, b_off[l], a, a_off[nl], units[nl], ip[I_OUT], act, off_v):
                return False
    return True


@kernel
def backward_row(r, X, target, w, b, eg2, edx2, beg2, bedx2, wm, bm, avg_a, units, kk, w_off, b_off,
                 a_off, z_off, ip, fp, rates, mom, a, z, g, e, idx, nnz, tmp, G, Gb, touched, reverse):
    """Deltas from the output down; online: update every layer (weights before biases, max_w2);
    mini-batch: accumulate the gradients in G/Gb.  Returns False if a bias became infinite."""
    nl = kk.shape[0]
    L = nl - 1
    act = ip[I_ACT]
    fast, ada, nesterov, momenta, shortcut, sparsity, rho, eps, l1, l2 = update_settings(ip, fp)
    batch = ip[I_BATCH] > 1
    unit_major = ip[I_UNIT_MAJOR] != 0
    ok = True
    output_delta(a, a_off[nl], X, r, target, g, z_off[L], units[nl], ip[I_OUT], ip[I_LOSS], ip[I_DIST],
                 fp[F_QALPHA], fp[F_TWEEDIE], fp[F_HUBER])
    for l in range(L, -1, -1):
        by_unit = unit_major and l == 0
        backprop_layer(l, w, eg2, edx2, wm, units, kk, w_off, a_off, z_off, a, e, g, idx, nnz,
                       G, touched, batch, act, fast, ada, nesterov, momenta, shortcut,
                       rho, eps, l1, l2, rates[l], mom, reverse, by_unit)
        m = units[l + 1] * kk[l]
        if batch:
            for jj in range(z_off[l], z_off[l] + m):
                Gb[jj] += g[jj]
        else:
            if ip[I_MAXW2] != 0:
                if by_unit:
                    rescale_max_w2_units(w, w_off[l], units[l], m, g, z_off[l], shortcut, np.float32(fp[F_MAXW2]))
                else:
                    rescale_max_w2(w, w_off[l], units[l], m, g, z_off[l], shortcut, np.float32(fp[F_MAXW2]), tmp)
            if not update_biases(b, beg2, bedx2, bm, b_off[l], g, z_off[l], m, 1.0, batch,
                                 ada, nesterov, momenta, shortcut, rho, eps, l1, l2, rates[l], mom,
                                 sparsity and l < L, avg_a, a_off[l + 1], fp[F_BETA], fp[F_AVGACT]):
                ok = False
        if l > 0:
            hidden_delta(e, a_off[l], a, a_off[l], z, z_off[l - 1], g, z_off[l - 1], units[l], act)
    return ok


@kernel
def manual_rates(ip, fp, n_seen, rates):
    """Per-layer manual rate ``rate * decay^l / (1 + annealing*N) * (1 - m)`` and momentum m at N."""
    if ip[I_ADA] != 0:
        return np.float32(0)
    m64 = momentum_at(n_seen, fp[F_MSTART], fp[F_MRAMP], fp[F_MSTABLE])
    for l in range(rates.shape[0]):
        rates[l] = np.float32(fp[F_RATE] * fp[F_DECAY] ** l / (1.0 + fp[F_ANNEAL] * n_seen) * (1.0 - m64))
    return np.float32(m64)


@kernel
def train_rows(X, nz_ptr, nz_idx, nz_val, y, offset, rows, start, end, reverse,
               w, b, eg2, edx2, beg2, bedx2, wm, bm, avg_a,
               units, kk, w_off, b_off, a_off, z_off,
               ip, fp, drop, rng, processed_before,
               a, z, g, e, idx, nnz, tmp, G, Gb, touched, rates, u, status):
    """Online SGD (H2O's per-row updates) on ``rows[start:end]``; returns rows trained.

    ``nz_ptr``/``nz_idx``/``nz_val``: CSR of X's non-zeros (sparse_rows.py), or ``nz_ptr`` of
    length 1 to scan X's rows instead.

    ``rates`` (one per weight layer) and ``u`` (the row's dropout draws: one per input, then one
    per unit of the widest hidden layer) are per-thread scratch like the other buffers.

    Rows with a NaN target are skipped.  The weights and optimizer state are updated in place
    without locks (HOGWILD! when threads share them; replicas.py gives each its own).
    ``status[0] = 1`` flags a numerically unstable model.

    ``reverse``: walk every layer's inputs from the last to the first.  Threads given alternate
    directions meet on the same weight rows once per training row instead of running over them
    together: on dense inputs two threads in step wrote the same cache lines all the time, and
    training ran 2-8x slower than on one thread for seconds at a time (measured on MNIST 200x200).
    """
    out = ip[I_OUT]
    nthreads = ip[I_NTHREADS]
    done = 0
    for t in range(start, end):
        r = rows[t]
        target = y[r]
        if out != 2 and math.isnan(target):
            continue
        mom = manual_rates(ip, fp, np.float64(processed_before + done * nthreads), rates)
        if not forward_row(r, X, nz_ptr, nz_idx, nz_val, offset, w, b, avg_a, units, kk, w_off, b_off, a_off,
                           z_off, ip, fp, drop, rng, u, a, z, idx, nnz, reverse):
            status[0] = 1
            return done
        if not backward_row(r, X, target, w, b, eg2, edx2, beg2, bedx2, wm, bm, avg_a, units, kk, w_off,
                            b_off, a_off, z_off, ip, fp, rates, mom, a, z, g, e, idx, nnz, tmp, G, Gb, touched,
                            reverse):
            status[0] = 1
            return done + 1
        done += 1
    return done


@kernel
def train_rows_batch(X, nz_ptr, nz_idx, nz_val, y, offset, rows, start, end, reverse,
                     w, b, eg2, edx2, beg2, bedx2, wm, bm, avg_a,
                     units, kk, w_off, b_off, a_off, z_off,
                     ip, fp, drop, rng, processed_before,
                     a, z, g, e, idx, nnz, tmp, G, Gb, touched, rates, u, status):
    """Mini-batch SGD (ours; H2O forces batch size 1): gradients averaged over ``mini_batch_size``
    rows, one update per batch.  Same arguments and result as ``train_rows``."""
    out = ip[I_OUT]
    nthreads = ip[I_NTHREADS]
    B = ip[I_BATCH]
    done = 0
    in_batch = start - start
    mom = np.float32(0)
    for t in range(start, end):
        r = rows[t]
        target = y[r]
        if out != 2 and math.isnan(target):
            continue
        if in_batch == 0:
            mom = manual_rates(ip, fp, np.float64(processed_before + done * nthreads), rates)
        if not forward_row(r, X, nz_ptr, nz_idx, nz_val, offset, w, b, avg_a, units, kk, w_off, b_off, a_off,
                           z_off, ip, fp, drop, rng, u, a, z, idx, nnz, reverse):
            status[0] = 1
            return done
        backward_row(r, X, target, w, b, eg2, edx2, beg2, bedx2, wm, bm, avg_a, units, kk, w_off,
                     b_off, a_off, z_off, ip, fp, rates, mom, a, z, g, e, idx, nnz, tmp, G, Gb, touched, reverse)
        done += 1
        in_batch += 1
        if in_batch == B or t == end - 1:
            if not apply_batch(w, b, eg2, edx2, beg2, bedx2, wm, bm, avg_a, units, kk, w_off, b_off,
                               a_off, z_off, G, Gb, touched, in_batch, ip, fp, rates, mom, tmp):
                status[0] = 1
                return done
            in_batch = start - start
    if in_batch > 0:             # the last rows had NaN targets: apply what the batch holds
        if not apply_batch(w, b, eg2, edx2, beg2, bedx2, wm, bm, avg_a, units, kk, w_off, b_off,
                           a_off, z_off, G, Gb, touched, in_batch, ip, fp, rates, mom, tmp):
            status[0] = 1
    return done
