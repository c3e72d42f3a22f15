"""The HOGWILD! thread count a model measures for itself (server/dl/thread_tuner.py), and a grid
model's share of the cores (server/jobs.py, server/dl/grid.py)."""
from __future__ import annotations

import os
import sys

import numpy as np
import pytest

from h2olite_server.dl import sampling
from h2olite_server.dl.thread_tuner import ThreadTuner


class FakeMachine:
    """A clock and a training function whose speed (rows/s) depends on the thread count."""

    def __init__(self, speeds: dict[int, float], first_call_seconds: float = 0.0):
        self.now = 0.0
        self.speeds = speeds
        self.calls: list[tuple[int, int]] = []
        self.first_call_seconds = first_call_seconds

    def clock(self) -> float:
        return self.now

    def train(self, rows: int, threads: int) -> int:
        if not self.calls:
            self.now += self.first_call_seconds          # one-time start-up costs
        self.calls.append((rows, threads))
        self.now += rows / self.speeds[threads]
        return rows


def test_candidates_halve_from_the_cores_on_offer_down_to_one():
    assert ThreadTuner.candidates(8) == [8, 4, 2, 1]
    assert ThreadTuner.candidates(6) == [6, 3, 1]
    assert ThreadTuner.candidates(2) == [2, 1]
    assert ThreadTuner.candidates(1) == [1]


@pytest.mark.parametrize("speeds, expected", [
    ({2: 100.0, 1: 95.0}, 1),          # a second thread must pay for itself: 5% is not enough
    ({2: 120.0, 1: 100.0}, 2),
    ({2: 24_000.0, 1: 33_000.0}, 1),   # dense 717-100-10 on this machine
    ({4: 300.0, 2: 280.0, 1: 100.0}, 2),
])
def test_choice_is_the_fewest_threads_within_ten_percent_of_the_fastest(speeds, expected):
    assert ThreadTuner().choose(max(speeds), speeds) == expected


def test_probe_measures_every_candidate_after_an_unmeasured_warm_up():
    fake = FakeMachine({2: 20_000.0, 1: 40_000.0}, first_call_seconds=0.5)
    tuner = ThreadTuner(clock=fake.clock)
    assert tuner.threads(2) == 2 and tuner.probe_due(2)
    trained = tuner.probe(2, fake.train, 1000)
    # the warm-up (a quarter probe) absorbs the start-up cost that would make 2 threads look slow
    assert fake.calls == [(250, 2), (1000, 2), (1000, 1)]
    assert trained == 2250
    assert tuner.decisions[-1]["rows_per_second"] == {2: pytest.approx(20_000.0), 1: pytest.approx(40_000.0)}
    assert tuner.threads(2) == 1
    assert not tuner.probe_due(2)


def test_measures_again_after_a_while_and_when_the_cores_on_offer_change():
    fake = FakeMachine({2: 50_000.0, 1: 40_000.0, 4: 10_000.0})
    tuner = ThreadTuner(clock=fake.clock)
    tuner.probe(2, fake.train, 1000)
    assert tuner.threads(2) == 2 and not tuner.probe_due(2)
    assert tuner.probe_due(4) and tuner.threads(4) == 4     # not measured for 4 cores: use them all
    assert tuner.threads(1) == 1 and not tuner.probe_due(1)  # one core: nothing to choose
    fake.now += ThreadTuner.REPROBE_SECONDS + 1
    assert tuner.probe_due(2)


def test_probe_rows_fit_the_iteration_and_are_long_enough_to_time():
    tuner = ThreadTuner()
    # 40 ms at 50k rows/s = 2000 rows per probe, 2 probes and a warm-up within 10000 rows
    assert tuner.probe_rows(2, 50_000.0, 10_000) == 2000
    # a short iteration shortens the probes ...
    assert tuner.probe_rows(2, 50_000.0, 2_000) == 888
    # ... but not below a quarter of the planned length: then there is no probe
    assert tuner.probe_rows(2, 50_000.0, 800) == 0


def test_probes_then_a_relayout_still_train_every_row_once_per_pass():
    """The trainer probes on the first rows of a storage-order iteration laid out for 2 threads,
    then trains the rest laid out for the chosen thread count (the first rows of thread 0's
    block open every layout): each row is still trained exactly once per pass."""
    base = np.arange(8000, dtype=np.int64)
    passes, probed = 3, 2250                       # within the first pass over thread 0's block
    for chosen in (1, 2):
        two = sampling.storage_order_passes(base, passes, 2)
        rest = sampling.storage_order_passes(base, passes, chosen)[probed:]
        counts = np.bincount(np.concatenate([two[:probed], rest]), minlength=base.size)
        assert counts.min() == counts.max() == passes


def test_whole_training_calls_correct_a_misleading_probe():
    """A probe put two threads 10% ahead; the first whole iteration on two threads is slower than
    the one-thread probe: the next iteration runs on one thread.  Calls too short to time, or on
    other cores than the choice was made for, change nothing, and a small lead does not flip it."""
    fake = FakeMachine({2: 330_000.0, 1: 290_000.0})
    tuner = ThreadTuner(clock=fake.clock)
    tuner.probe(2, fake.train, 1000)
    assert tuner.threads(2) == 2
    tuner.observe(2, 2, 1000, 0.005)               # 200k rows/s, but 5 ms: not timed
    tuner.observe(4, 2, 16_000, 0.080)             # other cores on offer
    assert tuner.threads(2) == 2
    tuner.observe(2, 2, 16_000, 0.064)             # 250k rows/s: one thread's 290k is faster
    assert tuner.threads(2) == 1 and tuner.decisions[-1]["observed"]
    tuner.observe(2, 1, 16_000, 0.058)             # 276k on one thread: two threads' 250k is behind
    assert tuner.threads(2) == 1
    tuner.observe(2, 2, 16_000, 0.055)             # two threads at 291k: less than 10% ahead
    assert tuner.threads(2) == 1
    assert not tuner.probe_due(2)                  # observing does not move the next probe


# --- a grid model's share of the cores (server/jobs.py run_with_share, server/dl/grid.py cpu_share) ---
def test_grid_models_share_the_cores_by_their_cost_per_row():
    from h2olite_server.dl.grid import cpu_share
    hyper = {"hidden": [[32, 32], [32, 16, 8], [100]], "l1": [1e-4, 1e-3]}
    share = {str(h): cpu_share({"hidden": h, "activation": "Rectifier"}, hyper, 785) for h in hyper["hidden"]}
    assert share["[100]"] == 1.0
    assert share["[32, 32]"] == pytest.approx(1 / 3, abs=0.03)          # 3x cheaper per row
    assert share["[32, 16, 8]"] == pytest.approx(1 / 3, abs=0.03)
    maxout = cpu_share({"hidden": [32], "activation": "Rectifier"}, {"activation": ["Rectifier", "Maxout"]}, 785)
    assert maxout < 0.5                                                   # Maxout: two channels
    # another combination's invalid value fails on its own; it does not fail this one
    assert cpu_share({"hidden": [32], "activation": "Tanh"}, {"hidden": [[32], "x"]}, 10) == 1.0


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="thread nice values are Linux's")
def test_run_with_share_lowers_only_its_own_threads_priority():
    import threading
    from h2olite_server.dl.kernels import hogwild_pool
    from h2olite_server.jobs import run_with_share
    base = os.getpriority(os.PRIO_PROCESS, 0)

    def inside():
        borrowed = hogwild_pool._borrow(1)            # a worker started here (none idle) ...
        for w in borrowed:
            w.submit(lambda c: c, 0).result()
        return threading.get_native_id(), os.getpriority(os.PRIO_PROCESS, 0), borrowed
    hogwild_pool._idle.clear()
    tid, nice, borrowed = run_with_share(inside, 1 / 3)
    assert tid != threading.get_native_id() and nice == base + 5          # 1.25^5 = 3.05
    assert os.getpriority(os.PRIO_PROCESS, 0) == base                    # the caller is untouched
    assert not any(w.keep for w in borrowed) and not hogwild_pool._idle  # ... quits, never pooled
    assert run_with_share(threading.get_native_id, 1.0) == threading.get_native_id()
    with pytest.raises(ZeroDivisionError):
        run_with_share(lambda: 1 / 0, 0.5)
