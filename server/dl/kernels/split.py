"""Two threads on one model, splitting the first layer's units: per-row SGD, as on one thread.

HOGWILD! threads write the same weights, and on this project's 2-vCPU Zen 4 VM the cores spend
their time handing those cache lines to each other: a 717-200-200-10 net on dense (standardized)
MNIST trained at 19k rows/s on two HOGWILD! threads against 20k on one, and at times at a tenth
of that.  On dense inputs the first layer is trained unit-major (network.py) and is most of a
row's work, so here both threads take every row through it, each for its own units (rows of
``W[j, :]``: ``[0, h)`` and ``[h, m)``), and the second thread runs the upper layers in between:

    thread 0: inputs, its units forward -> hand over nets/activations -> wait for the deltas -> update its units
    thread 1: inputs, its units forward -> take them over -> upper layers, forward and back -> update its units

Both draw the same dropout masks (their generators start in the same state), every weight has
one writer, and rows keep their order, so the result is the one-thread result (unlike HOGWILD!,
reproducible).  Per row the cores exchange a few cache lines through acquire/release sequence
numbers (sync.py).  Measured (MNIST 717 dense inputs, one model, 2 vCPUs): 717-200-200-10
23-27k rows/s against 19-21k on one thread (the booklet's default model end to end: 3.9 -> 3.1 s);
717-100-10 58-70k against 54-56k.  Narrow first layers gain nothing: a row is then a few
microseconds and the two hand-offs take as long as the work they split (the booklet's trial net,
32 units on sparse inputs, split by units or by inputs: 0.85-0.9x), so those nets keep HOGWILD!
(and the thread tuner picks one thread).  Compiled on first use (about 2 s, then cached), not at
start-up: most first models are not trained this way.  The threads spin while they wait: on a
machine busy with other work a descheduled partner costs the waiting thread its time slice, the
tuner then measures the pair as slow, and the model trains on one thread.
"""
import math

import numpy as np

from .activations import hidden_forward
from .config import F_AVGACT, F_BETA, I_ACT, I_OUT
from .jit import kernel
from .linalg import matvec_units
from .optimizers import update_biases
from .sgd import backprop_layer, backward_row, forward_row, manual_rates, update_settings
from .sync import cpu_relax, load_acquire, store_release

# positions in the ``sync`` array (int64), each on a cache line of its own
FORWARD_SEQ = 0        # the last row whose first-layer nets thread 0 has handed over
BACKWARD_SEQ = 8       # the last row whose first-layer deltas thread 1 has handed back
STOP = 16              # set by either thread when it stops early (unstable model, error)
SYNC_SIZE = 24
# the upper layers' cost per weight against the first layer's (about half of their inputs, the
# hidden units, are zero under Rectifier and are skipped)
UPPER_COST = 0.5


def split_units(m: int, n_inputs: int, upper_weights: float) -> int:
    """Thread 0's units ``[0, h)`` of an ``m``-unit first layer on ``n_inputs`` inputs: more than
    half, since thread 1 also runs the upper layers (``upper_weights`` weights)."""
    share = min(0.5 + UPPER_COST * upper_weights / (2.0 * max(n_inputs * m, 1)), 0.875)
    return max(1, min(int(round(share * m)), m - 1))


@kernel(inline=True)
def _wait_for(sync, pos, seq):
    """Spin until ``sync[pos] == seq``; False if the other thread stopped instead."""
    while load_acquire(sync, pos) != seq:
        if load_acquire(sync, STOP) != 0:
            return False
        cpu_relax()
    return True


@kernel(inline=True)
def _copy(src, dst, off, n):
    o = np.uint64(off)
    for j in range(n):
        u = o + np.uint64(j)
        dst[u] = src[u]


@kernel
def _first_layer_update(j_lo, j_n, w, b, eg2, edx2, beg2, bedx2, wm, bm, avg_a, units, kk, w_off, b_off,
                        a_off, z_off, ip, fp, rate, mom, a, e, g, idx, nnz, G, touched):
    """Update units ``j_lo .. j_lo + j_n`` of the (unit-major) first layer, weights then biases;
    False if a bias became infinite."""
    fast, ada, nesterov, momenta, shortcut, sparsity, rho, eps, l1, l2 = update_settings(ip, fp)
    NO = np.bool_(False)
    backprop_layer(np.int64(0), w, eg2, edx2, wm, units, kk, w_off, a_off, z_off, a, e, g, idx, nnz,
                   G, touched, NO, ip[I_ACT], fast, ada, nesterov, momenta, shortcut,
                   rho, eps, l1, l2, rate, mom, NO, np.bool_(True), j_lo, j_n)
    return update_biases(b, beg2, bedx2, bm, b_off[0] + j_lo, g, z_off[0] + j_lo, j_n, 1.0, NO,
                         ada, nesterov, momenta, shortcut, rho, eps, l1, l2, rate, mom,
                         NO, avg_a, a_off[1] + j_lo, fp[F_BETA], fp[F_AVGACT])


@kernel
def train_split(role, h, X, nz_ptr, nz_idx, nz_val, y, offset, rows, start, end,
                w, b, eg2, edx2, beg2, bedx2, wm, bm, avg_a,
                units, kk, w_off, b_off, a_off, z_off, ip, fp, drop, rng, processed_before,
                a, z, g, e, idx, nnz, tmp, G, Gb, touched, rates, u,
                other_a, other_z, other_g, sync, status):
    """One thread of a first-layer split (see the module docstring): ``role`` 0 owns the first
    layer's units ``[0, h)``, role 1 the rest and the upper layers; ``other_*`` are the other
    thread's row buffers.  Returns the rows trained (role 1: 0, the rows are counted once)."""
    out = ip[I_OUT]
    nl = kk.shape[0]
    m = units[1]
    j_lo, j_n = (0, h) if role == 0 else (h, m - h)
    p_drop = np.float32(drop[0])
    # typed values, not literals: the callees then keep the versions train_rows compiled
    NO, ZERO, ONE = np.bool_(False), np.int64(0), np.int64(1)
    done = 0
    k = 0
    for t in range(start, end):
        r = rows[t]
        target = y[r]
        if out != 2 and math.isnan(target):
            continue
        mom = manual_rates(ip, fp, np.float64(processed_before + k), rates)
        forward_row(r, X, nz_ptr, nz_idx, nz_val, offset, w, b, avg_a, units, kk, w_off, b_off, a_off, z_off,
                    ip, fp, drop, rng, u, a, z, idx, nnz, NO, ZERO, ZERO)        # the input layer
        matvec_units(w, w_off[0] + j_lo * units[0], j_n, units[0], a, a_off[0], z, z_off[0] + j_lo)
        hidden_forward(z, z_off[0] + j_lo, b, b_off[0] + j_lo, a, a_off[1] + j_lo, j_n, ip[I_ACT], p_drop,
                       p_drop > 0, u[j_lo:])
        if role == 0:
            store_release(sync, FORWARD_SEQ, k)
            if not _wait_for(sync, BACKWARD_SEQ, k):
                return done
            _copy(other_g, g, z_off[0], h)
        else:
            if not _wait_for(sync, FORWARD_SEQ, k):
                return 0
            _copy(other_a, a, a_off[1], h)
            _copy(other_z, z, z_off[0], h)
            ok = forward_row(r, X, nz_ptr, nz_idx, nz_val, offset, w, b, avg_a, units, kk, w_off, b_off, a_off,
                             z_off, ip, fp, drop, rng, u, a, z, idx, nnz, NO, ONE, nl)
            if ok:
                ok = backward_row(r, X, target, w, b, eg2, edx2, beg2, bedx2, wm, bm, avg_a, units, kk, w_off,
                                  b_off, a_off, z_off, ip, fp, rates, mom, a, z, g, e, idx, nnz, tmp, G, Gb,
                                  touched, NO, ONE)
            if not ok:
                status[0] = 1
                store_release(sync, STOP, 1)
                return 0
            store_release(sync, BACKWARD_SEQ, k)
        if not _first_layer_update(j_lo, j_n, w, b, eg2, edx2, beg2, bedx2, wm, bm, avg_a, units, kk, w_off,
                                   b_off, a_off, z_off, ip, fp, rates[0], mom, a, e, g, idx, nnz, G, touched):
            status[0] = 1
            store_release(sync, STOP, 1)
            return done
        done += role == 0
        k += 1
    return done
