"""Validation error per epoch, h2olite against H2O-3, for the booklet grid's architectures.

    python bench/learning_curves.py [--epochs 40] [--seeds 1,2] [--skip-h2o]

Each model is scored after every epoch (``train_samples_per_iteration`` = the training rows,
``score_each_iteration``, no early stopping), so both engines' curves have the same x axis
whatever their speed.  It shows whether h2olite needs more epochs than H2O-3 to get as far: the
grid's early stopping depends on that, not only on the speed of an epoch.  Each engine runs in its
own process (``--engine`` is internal); the table prints the mean validation error over the
first ten and the last ten epochs, and each model's wall time.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
import time

from mnist_frames import RESPONSE, session
CONFIGS = [([32, 32], 1e-4), ([100], 1e-3), ([32, 16, 8], 1e-4)]


def curves(engine: str, epochs: int, seeds: list[int]) -> dict:
    _, H2ODeepLearningEstimator, train, test = session(engine)
    y = RESPONSE
    out = {}
    for hidden, l1 in CONFIGS:
        for seed in seeds:
            t0 = time.time()
            m = H2ODeepLearningEstimator(hidden=hidden, l1=l1, distribution="multinomial", epochs=epochs, seed=seed,
                                         train_samples_per_iteration=train.nrow, score_each_iteration=True,
                                         stopping_rounds=0)
            m.train(x=train.names[:-1], y=y, training_frame=train, validation_frame=test)
            history = m.scoring_history()
            by_epoch = {}
            for ep, err in zip(history["epochs"], history["validation_classification_error"]):
                by_epoch.setdefault(round(float(ep)), float(err))     # the trained row, not the best-model one
            out[f"{hidden} l1={l1:g} seed {seed}"] = {"secs": time.time() - t0, "errors": by_epoch}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--epochs", type=int, default=40)
    ap.add_argument("--seeds", default="1,2")
    ap.add_argument("--skip-h2o", action="store_true")
    ap.add_argument("--engine", choices=["h2olite", "h2o"], help=argparse.SUPPRESS)
    args = ap.parse_args()
    seeds = [int(s) for s in args.seeds.split(",")]
    if args.engine:
        print("RESULT " + json.dumps(curves(args.engine, args.epochs, seeds)))
        return
    engines = ["h2olite"]
    if not args.skip_h2o:
        if importlib.util.find_spec("h2o") is not None:
            engines.append("h2o")
        else:
            print("(the h2o package is not installed: h2olite only)")
    results = {}
    for engine in engines:
        cmd = [sys.executable, __file__, "--engine", engine, "--epochs", str(args.epochs), "--seeds", args.seeds]
        lines = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.splitlines()
        results[engine] = json.loads(next(ln for ln in lines if ln.startswith("RESULT "))[7:])
    n = args.epochs

    def mean(errors: dict, lo: int, hi: int) -> str:
        vals = [errors[str(e)] for e in range(lo, hi + 1) if str(e) in errors]
        return f"{100 * sum(vals) / len(vals):.2f}%" if vals else "-"
    late = f"ep{n - 9}-{n}"
    print(f"{'model':<28}" + "".join(f"{engine + ' ep1-10':>18}{late:>9}{'secs':>7}" for engine in engines))
    for key in results["h2olite"]:
        row = f"{key:<28}"
        for engine in engines:
            r = results[engine][key]
            errors = {str(k): v for k, v in r["errors"].items()}
            row += f"{mean(errors, 1, 10):>18}{mean(errors, n - 9, n):>9}{r['secs']:7.1f}"
        print(row)

if __name__ == "__main__":
    main()
