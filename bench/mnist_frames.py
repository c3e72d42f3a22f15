"""The shipped MNIST subset loaded into a backend, for the bench scripts that study models
rather than time the import: ``session(engine)`` starts h2olite (or H2O-3 with ``"h2o"``) and
returns the client module, the estimator class and the train/test frames with the response a factor."""
from __future__ import annotations

import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MNIST = os.path.join(ROOT, "h2olite", "datasets", "data", "bigdata", "laptop", "mnist")
RESPONSE = "C785"


def session(engine: str = "h2olite"):
    if engine == "h2o":
        import h2o
        from h2o.estimators.deeplearning import H2ODeepLearningEstimator
        h2o.init(nthreads=2, max_mem_size="4G")
    else:
        sys.path.insert(0, ROOT)
        import h2olite as h2o
        from h2olite.estimators.deeplearning import H2ODeepLearningEstimator
        h2o.init()
    h2o.no_progress()
    train = h2o.import_file(os.path.join(MNIST, "train.csv.gz"))
    test = h2o.import_file(os.path.join(MNIST, "test.csv.gz"))
    train[RESPONSE] = train[RESPONSE].asfactor()
    test[RESPONSE] = test[RESPONSE].asfactor()
    return h2o, H2ODeepLearningEstimator, train, test
