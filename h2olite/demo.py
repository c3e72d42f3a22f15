"""``python -m h2olite.demo`` (``make demo``): the quick path of the "Deep Learning with H2O"
booklet on the shipped MNIST data -- start a local backend, import and describe the data,
train the booklet's trial model with a progress bar, and show its metrics and predictions."""
from __future__ import annotations

import time

import h2olite as h2o
from h2olite.datasets import path as dataset_path
from h2olite.estimators.deeplearning import H2ODeepLearningEstimator


def main() -> None:
    h2o.init(nthreads=-1)
    t0 = time.time()
    train = h2o.import_file(dataset_path("mnist_train"))
    test = h2o.import_file(dataset_path("mnist_test"))
    elapsed = time.time() - t0
    print(f"\nImported {train.frame_id} {train.shape} and {test.frame_id} {test.shape} in {elapsed:.2f} s\n")
    train[:, list(range(150, 160)) + [784]].describe()     # a few central pixels and the label
    y = "C785"
    x = train.names[0:784]
    train[y] = train[y].asfactor()
    test[y] = test[y].asfactor()
    print(f"\nResponse {y}: {train[y].nlevels()[0]} classes {train[y].levels()[0]}\n")

    # the booklet's trial run (section 5.3), as printed there
    model = H2ODeepLearningEstimator(distribution="multinomial", activation="RectifierWithDropout",
                                     hidden=[32, 32, 32], input_dropout_ratio=0.2, sparse=True,
                                     l1=1e-5, epochs=10)
    t0 = time.time()
    model.train(x=x, y=y, training_frame=train, validation_frame=test)
    train_secs = time.time() - t0
    print(model)
    perf = model.model_performance(valid=True)
    print(perf)
    pred = model.predict(test)
    print(pred.head())
    accuracy = (pred["predict"] == test[y]).mean()[0]
    samples = model.scoring_history()["samples"].max()
    print(f"\nSummary: trained {int(samples):,} samples in {train_secs:.2f} s "
          f"({samples / train_secs:,.0f} samples/s); validation MSE {model.mse(valid=True):.4f}; "
          f"test accuracy {accuracy:.1%} (test error {1 - accuracy:.1%})")


if __name__ == "__main__":
    main()
