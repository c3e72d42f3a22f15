"""``python -m h2olite.demo`` (``make demo``): start a local backend, import the shipped MNIST
train/test data and describe it, the first steps of the "Deep Learning with H2O" booklet."""
from __future__ import annotations

import time

import h2olite as h2o
from h2olite.datasets import path as dataset_path


def main() -> None:
    h2o.init(nthreads=-1)
    t0 = time.time()
    train = h2o.import_file(dataset_path("mnist_train"))
    test = h2o.import_file(dataset_path("mnist_test"))
    elapsed = time.time() - t0
    print(f"\nImported {train.frame_id} {train.shape} and {test.frame_id} {test.shape} in {elapsed:.2f} s\n")
    train.describe()
    y = "C785"
    train[y] = train[y].asfactor()
    test[y] = test[y].asfactor()
    print(f"\nResponse {y}: {train[y].nlevels()[0]} classes {train[y].levels()[0]}")
    print(train[y].table())


if __name__ == "__main__":
    main()
