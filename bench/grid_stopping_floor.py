"""How fast could the booklet's grid finish if training took no time at all?

    python bench/grid_stopping_floor.py [--trials 4000]

The grid (six models, ``score_interval=2``, ``stopping_rounds=3``, ``stopping_tolerance=0.05``,
``stopping_metric="misclassification"`` on a 2,000-row validation frame) ends when its slowest
model's early stopping fires (H2O's ``ScoreKeeper.stopEarly``, the server's ``stop_early``).  This
simulates six models that are already converged: each scoring event draws the validation error
of a flat model (the six errors the real grid's models level off at) on 2,000 rows, optionally
with some model-to-model wobble, and scoring events come every 2.03 s after a first one at 0.3 s
(as measured).  What is left is the rule's own schedule and the noise of 2,000 validation rows: a
floor no training speed can go below, against which the grid's measured times can be read.
"""
from __future__ import annotations

import argparse

import numpy as np

from h2olite_server.metrics.stopping import stop_early

PLATEAUS = [0.043, 0.042, 0.050, 0.058, 0.065, 0.075]   # the grid's models' late validation errors
VALID_ROWS = 2000
FIRST_EVENT, INTERVAL = 0.3, 2.03                         # seconds, as in the grid's scoring histories


def stop_time(rng, error: float, wobble: float) -> float:
    """Seconds until early stopping fires for a model whose true error stays at ``error``."""
    values, t = [float("nan")], FIRST_EVENT               # the initial unscored history row first
    while t < 600:
        p = min(error * np.exp(rng.normal(0.0, wobble)), 1.0)
        values.append(rng.binomial(VALID_ROWS, p) / VALID_ROWS)
        if stop_early(values, 3, 0.05, False, True):
            return t
        t += INTERVAL
    return t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--trials", type=int, default=4000)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    rng = np.random.default_rng(args.seed)
    print(f"grid of {len(PLATEAUS)} converged models, {args.trials} simulated grids each")
    for wobble in (0.0, 0.03, 0.06):
        grid = np.array([max(stop_time(rng, e, wobble) for e in PLATEAUS) for _ in range(args.trials)])
        print(f"  model wobble {wobble:.2f}: median {np.median(grid):.1f} s, "
              + ", ".join(f"P(<= {limit:g} s) = {np.mean(grid <= limit):.2f}" for limit in (15.5, 20.09, 25.0)))


if __name__ == "__main__":
    main()
