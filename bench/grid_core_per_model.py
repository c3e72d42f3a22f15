"""How fast would the booklet's grid finish with a core for each of its six models?

    python bench/grid_core_per_model.py [--repeat 4]

On the 2-core development VM the grid's six models share two cores, a third of a core each.
This runs the same six models two at a time (three two-model grids, so each model trains on a
core of its own, three times the CPU it gets in the real grid) and prints each model's training
time and scoring-history rows.  The slowest of the six is what the whole grid would take on a
machine with six cores: it tells how much of the grid's time is training speed and how much is
the early-stopping schedule (``score_interval=2``, ``stopping_rounds=3``: at least six scoring
events, and more while the model still improves by 5%).
"""
from __future__ import annotations

import argparse

from mnist_frames import RESPONSE, session

# the booklet grid's six combinations, in pairs that each get the machine's two cores
PAIRS = [{"hidden": [[32, 32], [100]], "l1": [1e-4]},
         {"hidden": [[32, 32], [100]], "l1": [1e-3]},
         {"hidden": [[32, 16, 8]], "l1": [1e-4, 1e-3]}]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=4)
    args = ap.parse_args()
    _, H2ODeepLearningEstimator, train, test = session()
    from h2olite.grid.grid_search import H2OGridSearch          # importable once session() ran
    y = RESPONSE
    x = train.names[:-1]
    for run in range(args.repeat):
        models = []
        for hyper in PAIRS:
            grid = H2OGridSearch(H2ODeepLearningEstimator, hyper_params=hyper)
            grid.train(x=x, y=y, distribution="multinomial", epochs=1000, training_frame=train,
                       validation_frame=test, score_interval=2, stopping_rounds=3, stopping_tolerance=0.05,
                       stopping_metric="misclassification")
            for m in grid:
                history = m.scoring_history()
                secs = float(str(history["duration"].iloc[-1]).split()[0])
                models.append((secs, len(history), m.actual_params["hidden"], m.actual_params["l1"]))
        models.sort(reverse=True)
        print(f"run {run + 1}: a core per model, the grid would take {models[0][0]:.1f} s; per model "
              "(seconds, history rows, hidden, l1): "
              + "; ".join(f"{s:.1f} s {rows} rows {hidden} {l1:g}" for s, rows, hidden, l1 in models), flush=True)


if __name__ == "__main__":
    main()
