"""Time to the first model after a fresh install: Numba's compile cache emptied, then
``h2o.init()`` + import of MNIST + the booklet's trial model, in a new process.

    python bench/bench_first_model.py      # H2O-3 reference for the same steps: 14 s
"""
from __future__ import annotations

import glob
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCRIPT = """
import socket, h2olite as h2o
from h2olite.estimators.deeplearning import H2ODeepLearningEstimator
s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close()
h2o.init(port=port, verbose=False); h2o.no_progress()
train = h2o.import_file("https://h2o-public-test-data.s3.amazonaws.com/bigdata/laptop/mnist/train.csv.gz")
test = h2o.import_file("https://h2o-public-test-data.s3.amazonaws.com/bigdata/laptop/mnist/test.csv.gz")
train["C785"] = train["C785"].asfactor(); test["C785"] = test["C785"].asfactor()
H2ODeepLearningEstimator(distribution="multinomial", activation="RectifierWithDropout", hidden=[32, 32, 32],
                         input_dropout_ratio=0.2, sparse=True, l1=1e-5, epochs=10).train(
    x=train.names[:784], y="C785", training_frame=train, validation_frame=test)
h2o.cluster().shutdown()
"""


def run() -> float:
    t = time.time()
    subprocess.run([sys.executable, "-c", SCRIPT], check=True, capture_output=True, cwd=ROOT)
    return time.time() - t


def main():
    cache = os.path.join(ROOT, "server", "dl", "kernels", "__pycache__")
    removed = [os.remove(f) for f in glob.glob(os.path.join(cache, "*.nbi")) + glob.glob(os.path.join(cache, "*.nbc"))]
    cold = run()
    warm = run()
    print(f"first model, cold compile cache ({len(removed)} cache files removed): {cold:.1f} s  (H2O-3: 14 s)")
    print(f"same steps, compiled kernels cached:                   {warm:.1f} s")


if __name__ == "__main__":
    main()
