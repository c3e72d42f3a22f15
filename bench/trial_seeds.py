"""The booklet's trial model over many seeds: mean test error and logloss with standard errors.

    python bench/trial_seeds.py [--engine h2olite|h2o] [--seeds 30]

One seed's test error ranges over 12-29% on the 8,000-row MNIST subset on both engines, so a
comparison of accuracy needs the mean of many seeds; run it once per engine.
"""
from __future__ import annotations

import argparse

import numpy as np

from mnist_frames import RESPONSE, session


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--engine", choices=["h2olite", "h2o"], default="h2olite")
    ap.add_argument("--seeds", type=int, default=30)
    args = ap.parse_args()
    _, H2ODeepLearningEstimator, train, test = session(args.engine)
    errors, loglosses = [], []
    for seed in range(1, args.seeds + 1):
        m = H2ODeepLearningEstimator(distribution="multinomial", activation="RectifierWithDropout",
                                     hidden=[32, 32, 32], input_dropout_ratio=0.2, sparse=True, l1=1e-5,
                                     epochs=10, seed=seed)
        m.train(x=train.names[:784], y=RESPONSE, training_frame=train, validation_frame=test)
        errors.append(float(m.scoring_history()["validation_classification_error"].iloc[-1]))
        loglosses.append(m.model_performance(test).logloss())
    for name, v in (("test error", np.array(errors)), ("logloss", np.array(loglosses))):
        print(f"{args.engine} {name} over seeds 1-{args.seeds}: mean {v.mean():.4f} (s.e. {v.std() / np.sqrt(len(v)):.4f}), "
              f"median {np.median(v):.4f}, range {v.min():.4f}-{v.max():.4f}")


if __name__ == "__main__":
    main()
