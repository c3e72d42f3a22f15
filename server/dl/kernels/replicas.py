"""Several threads on one model, each on a replica of the weights merged every few rows.

H2O trains a model on several threads by HOGWILD!: every thread updates the shared weights row by
row, and the others see each update as soon as its cache line reaches them.  On this project's
2-vCPU Zen 4 VM that sharing costs more than the second core brings: both threads write most of
the weights on every row (the upper layers always, and the first layer's rows for the pixels most
digits share), so the cores spend their time handing cache lines to each other.  Measured on the
booklet's MNIST subset (bench/bench_host.py and the figures below), one model on two HOGWILD!
threads against one thread: the trial net 717-32-32-32-10 1.05x, 717-32-10 0.58x, 717-200-10
1.06x.

Here every thread trains per-row SGD on its own replica of the weights and biases, and every
``rows_per_thread`` rows (together ``SYNC_ROWS``, fewer on small data) the threads meet and merge:
the shared weights take every replica's change since the last merge, ``w += sum_c (w_c - w)``, and
each replica starts again from the result. That is HOGWILD! with the other threads' updates
arriving after a bounded delay instead of whenever their cache lines do: per-sample SGD, no update
lost. Each thread keeps its own optimizer state (ADADELTA's running averages, momenta), averages of
the same gradients' statistics; at the end of a training call they are averaged into the model's.
Unlike HOGWILD!, the result is reproducible for a seed and a thread count.

A thread's loop over its blocks is Python (``Network._replicas``): per block one ``train_rows``
call and one ``merge_replicas`` call, which waits for the others by spinning (as the blocks are
of equal length, briefly).  A compiled loop calling ``train_rows`` was 3-4% faster, but Numba
generated ``train_rows``' code again inside it: 3 s more before a fresh install's first model.

Measured on one model, 2 vCPUs, MNIST subset (8,000 rows):
- the trial net 717-32-32-32-10: 1.6-1.8x its one-thread speed (about 300k rows/s); test error
  after 10 epochs over 8 seeds 0.187 (sd 0.063) against 0.183 (0.048) on one thread and 0.196
  (0.057) on HOGWILD!; with Tanh and no dropout 0.074 against 0.072;
- 717-200-200-10 on dense (standardized) inputs: 29-34k rows/s against 20k on one thread (and
  23-26k when two threads split the first layer's units, the scheme this replaced);
- the merge interval: every 128 rows (64 a thread) cost a third of the gain (1.34-1.43x), while
  longer delays cost accuracy (trial net, test error 0.200 at 1024 rows, 0.295 at 4096). Small
  data feels the delay more: on 2,000 rows, 4 epochs without dropout, training accuracy 0.87-0.91
  against 0.91-0.92 on one thread (3 seeds), so the threads also merge at least
  ``MERGES_PER_EPOCH`` times a pass over the data (there every 62 rows: 0.909-0.919).
"""
import numpy as np

from .jit import kernel
from .sync import cpu_relax, load_acquire, store_release, yield_cpu

#: rows all threads train together between two merges: a thread's updates reach the others
#: within this many rows (the interval is a trade of speed against accuracy, see above) ...
SYNC_ROWS = 256
#: ... and at least this many merges per pass over the data, which small data needs
MERGES_PER_EPOCH = 32
#: spin-wait checks at a barrier before its waiter starts yielding the core (a few microseconds)
SPINS_BEFORE_YIELD = 2000


def rows_per_thread(nthreads: int, data_rows: int) -> int:
    """Rows a thread trains between two merges, for ``data_rows`` rows of training data."""
    n = max(1, nthreads)
    return max(16, min(SYNC_ROWS // n, data_rows // (n * MERGES_PER_EPOCH)))


def sync_size(nthreads: int) -> int:
    """The ``sync`` array (int64, zeroed): thread c's barrier count at ``8 * c`` (a cache line
    each), the stop flag (set by a thread that stops early) at ``8 * nthreads``."""
    return 8 * (nthreads + 1)


@kernel(inline=True)
def _barrier(sync, role, nthreads, seq):
    """Announce ``seq`` and wait until every thread has reached it; False if one stopped instead.
    Spins first (the others are usually microseconds away), then yields the core between checks
    (they may not be running: more busy threads than cores)."""
    stop = 8 * nthreads
    store_release(sync, 8 * role, seq)
    spins = 0
    for c in range(nthreads):
        while load_acquire(sync, 8 * c) < seq:
            if load_acquire(sync, stop) != 0:
                return False
            if spins < SPINS_BEFORE_YIELD:
                spins += 1
                cpu_relax()
            else:
                yield_cpu()
    return True


@kernel(inline=True)
def _merge(shared, replicas, lo, hi, n):
    """``shared[k] += sum_c (replicas[c, k] - shared[k])`` for k in [lo, hi), as vector loops."""
    others = np.float32(n - 1)                 # float32: keeps float32 weights in float32
    for k in range(lo, hi):
        shared[k] = replicas[0, k] - others * shared[k]
    for c in range(1, n):
        for k in range(lo, hi):
            shared[k] += replicas[c, k]


@kernel
def merge_replicas(role, W, B, w, b, sync, seq):
    """After a block: wait for every thread (barrier ``seq``), merge this thread's share of the
    entries into the shared ``w``/``b``, wait again, and restart the thread's replica
    ``W[role]``/``B[role]`` from the merged weights.  False if a thread stopped instead."""
    n = W.shape[0]
    nw, nb = w.shape[0], b.shape[0]
    if not _barrier(sync, role, n, seq):                 # every replica has its block's updates
        return False
    _merge(w, W, nw * role // n, nw * (role + 1) // n, n)
    _merge(b, B, nb * role // n, nb * (role + 1) // n, n)
    if not _barrier(sync, role, n, seq + 1):             # the shared weights are whole again
        return False
    own_w, own_b = W[role], B[role]
    for k in range(nw):
        own_w[k] = w[k]
    for k in range(nb):
        own_b[k] = b[k]
    return True


def stop_all(sync, nthreads: int) -> None:
    """Tell the other threads that this one stopped (they would wait for it forever)."""
    sync[8 * nthreads] = 1
