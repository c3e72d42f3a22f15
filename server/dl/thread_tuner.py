"""How many threads a model trains on: as many as pay for themselves, measured.

H2O trains on every core it is given.  Whether that is fastest depends on the net and the machine.
HOGWILD! threads write the same weights, and when every row updates most of them the cores spend
their time handing cache lines to each other: on this project's 2-vCPU VM, Zen 4 host, two
HOGWILD! threads were rarely faster than one (the booklet's trial net 0.75-1.2x, 717-32-10 0.58x).
Online models now train on merged replicas instead (kernels/replicas.py), which share nothing
between merges: the trial net 1.6-1.8x, 717-200-200-10 on dense inputs 1.5-1.7x.  Replicas still
pay a merge every few hundred rows, and a machine busy with other work can leave the second core
slower than it looks; mini-batches, max_w2 and autoencoder sparsity stay HOGWILD!.

So a model measures: its first iteration trains on every core (as in H2O), and at the start of a
later iteration (the trainer's ``_probe_threads``) it trains a few short probes of the iteration's
own rows (about ``PROBE_SECONDS`` each, after an unmeasured warm-up) on each candidate thread
count (the cores on offer, then halving down to one), keeps the fewest threads within
``GAIN_NEEDED`` of the fastest (extra threads also cost accuracy: each one trains on weights that
lack the others' latest updates), and trains the rest of the iteration on that.  It measures again
every ``REPROBE_SECONDS`` and whenever the cores on offer change (a grid's or a
cross-validation's sub-models finishing leave cores free).
Probes train real rows that count as training, so a probe costs only the difference in speed.

Probes are short, and on a shared VM a few milliseconds can mislead: the booklet's checkpoint
restart chose two threads on a 10% probe lead and then trained at 0.8x the one-thread speed.
So every later training call of at least ``OBSERVE_SECONDS`` also counts (``observe``): its
speed replaces the estimate for the threads it ran on, and the choice follows the estimates.
Probes also wait for that first iteration because this VM runs a core that has been idle slowly
for its first few tens of milliseconds: probed straight after set-up, the checkpoint restart
timed two threads at 160-190k rows/s against 200-250k on one and trained on one, while its whole
iterations ran at 300-530k rows/s on two (restarts 0.26 s instead of 0.34 s, interleaved).
"""
from __future__ import annotations

import time
from typing import Callable


class ThreadTuner:
    PROBE_SECONDS = 0.04
    OBSERVE_SECONDS = 0.02        # a training call this long measures its speed better than a probe
    REPROBE_SECONDS = 10.0
    GAIN_NEEDED = 1.10
    MIN_ROWS_PER_THREAD = 32      # a probe shorter than this per thread measures start-up, not training

    def __init__(self, clock: Callable[[], float] = time.perf_counter):
        self._clock = clock
        self._choice: int | None = None
        self._chosen_for = 0          # the cores on offer when the choice was made
        self._chosen_at = 0.0
        self._speeds: dict[int, float] = {}   # rows/s per thread count, for the cores on offer
        self.decisions: list[dict] = []   # every probe's (or changed choice's) speeds and choice

    @staticmethod
    def candidates(available: int) -> list[int]:
        """The thread counts a probe tries: ``available``, then halving down to 1."""
        out, t = [], max(1, int(available))
        while t > 1:
            out.append(t)
            t //= 2
        return out + [1]

    def threads(self, available: int) -> int:
        """Threads to train on now: the measured choice for these cores, else all of them."""
        if available <= 1:
            return 1
        if self._choice is not None and self._chosen_for == available:
            return self._choice
        return available

    def probe_due(self, available: int) -> bool:
        return available > 1 and (self._choice is None or self._chosen_for != available
                                   or self._clock() - self._chosen_at > self.REPROBE_SECONDS)

    def probe_rows(self, available: int, rows_per_second: float, max_rows: int) -> int:
        """Rows per probe, all probes together at most ``max_rows``; 0 when that leaves probes
        too short to measure (this iteration then trains as the last one did).

        ``rows_per_second`` is the model's measured training speed (its last iteration's)."""
        n = len(self.candidates(available)) + 0.25          # the probes and their warm-up
        rows = min(int(rows_per_second * self.PROBE_SECONDS), int(max_rows / n))
        shortest = max(self.MIN_ROWS_PER_THREAD * available, rows_per_second * self.PROBE_SECONDS / 4)
        return rows if rows >= shortest else 0

    def probe(self, available: int, train: Callable[[int, int], int], rows: int) -> int:
        """Train ``rows`` rows on every candidate via ``train(rows, threads) -> rows trained``,
        choose, and return the rows trained in all."""
        speeds: dict[int, float] = {}
        # unmeasured warm-up: a network's first rows also pay one-time costs (buffers, the input
        # matrix's conversion) that would count against the first candidate
        trained = train(max(1, rows // 4), available)
        for t in self.candidates(available):
            t0 = self._clock()
            done = train(rows, t)
            secs = self._clock() - t0
            trained += done
            if done > 0 and secs > 0:
                speeds[t] = done / secs
        if speeds:
            self.choose(available, speeds)
        return trained

    def choose(self, available: int, speeds: dict[int, float]) -> int:
        """The fewest threads whose measured speed is within ``GAIN_NEEDED`` of the best."""
        choice = self._fewest_within_gain(speeds)
        self._choice, self._chosen_for, self._chosen_at = choice, available, self._clock()
        self._speeds = dict(speeds)
        self.decisions.append({"available": available, "rows_per_second": dict(speeds), "threads": choice})
        return choice

    def observe(self, available: int, threads: int, rows: int, seconds: float) -> None:
        """A training call trained ``rows`` in ``seconds`` on ``threads``: when it ran on the cores
        the choice was made for and long enough to time, its speed becomes that thread count's
        estimate and the choice is made again from the estimates."""
        if self._choice is None or available != self._chosen_for or rows <= 0 or seconds < self.OBSERVE_SECONDS:
            return
        self._speeds[threads] = rows / seconds
        choice = self._fewest_within_gain(self._speeds)
        if choice != self._choice:
            self._choice = choice
            self.decisions.append({"available": available, "rows_per_second": dict(self._speeds),
                                   "threads": choice, "observed": True})

    def _fewest_within_gain(self, speeds: dict[int, float]) -> int:
        best = max(speeds.values())
        return min(t for t, s in speeds.items() if s * self.GAIN_NEEDED >= best)
