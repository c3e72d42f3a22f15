"""Data preparation for Deep Learning (DataInfo) and the row-sampling rules, on the shipped data.

Reference numbers marked "H2O-3" were read from H2O-3 3.46 models trained on the same files
(model_summary input units, output names, variable-importance row names).
"""
from __future__ import annotations

import json
import time

import numpy as np
import pytest

from h2olite_server.dl import sampling
from h2olite_server.dl.data_info import DataInfo
from h2olite_server.dl.validation import parse_params, predictor_columns, validate
from h2olite_server.errors import H2OError
from h2olite_server.frames.frame import ENUM, REAL, Column, Frame

from data_util import load


def mnist():
    return load("bigdata/laptop/mnist/train.csv.gz", ("C785",))


def prostate():
    return load("smalldata/logreg/prostate.csv", ("CAPSULE", "RACE"))


def iris():
    return load("smalldata/iris/iris_wheader.csv")


def cars():
    return load("smalldata/junit/cars.csv")


def build(frame: Frame, **raw) -> DataInfo:
    eff, _ = validate(parse_params(raw), frame, None)
    response = None if eff["autoencoder"] else eff["response_column"]
    return DataInfo.build(frame, predictor_columns(eff, frame), response, eff,
                          weights=eff["weights_column"], offset=eff["offset_column"])


# ------------------------------------------------------------------------------------------
# layout and scaling
# ------------------------------------------------------------------------------------------
def test_prostate_layout_and_standardization():
    fr = prostate()
    di = build(fr, response_column="CAPSULE", ignored_columns='["ID"]')
    # H2O-3: output names RACE first (the only categorical), then numerics in frame order
    assert di.predictor_names == ["RACE", "AGE", "DPROS", "DCAPS", "PSA", "VOL", "GLEASON"]
    assert di.coef_names == ["RACE.0", "RACE.1", "RACE.2", "RACE.missing(NA)",
                             "AGE", "DPROS", "DCAPS", "PSA", "VOL", "GLEASON"]
    assert di.n_inputs == 10 and di.cat_offsets == [0, 4] and di.transform == "STANDARDIZE"
    assert di.is_classifier and di.response_domain == ("0", "1") and di.n_outputs == 2
    X = di.expand(fr, training=True)
    assert X.dtype == np.float32 and X.flags.c_contiguous and X.shape == (380, 10)
    num = X[:, 4:].astype(np.float64)
    assert np.allclose(num.mean(axis=0), 0, atol=1e-6)
    assert np.allclose(num.std(axis=0, ddof=1), 1, atol=1e-5)
    assert di.norm_sub[0] == pytest.approx(fr["AGE"].data.mean())
    assert np.array_equal(X[:, :3].sum(axis=1), np.ones(380))          # exactly one RACE level hot
    assert X[:, 3].sum() == 0                                          # no NA race
    y = di.response_values(fr)
    assert y.dtype == np.float32 and y.sum() == (fr["CAPSULE"].data == 1).sum() == 153


def test_mnist_drops_constant_pixels_and_expands_fast():
    fr = mnist()
    di = build(fr, response_column="C785")
    # H2O-3 3.46 on this 8000-row file: input layer of 666 units (118 constant border pixels dropped)
    assert di.n_inputs == 666 and len(di.dropped) == 118
    assert set(di.dropped.values()) == {"constant"} and "C1" in di.dropped and "C785" not in di.predictor_names
    assert di.response_domain == tuple(str(i) for i in range(10))
    best = min(_timed(lambda: di.expand(fr)) for _ in range(3))
    assert best < 0.25, f"expanding MNIST took {best * 1000:.0f} ms"
    X = di.expand(fr)
    assert X.shape == (8000, 666) and X.flags.c_contiguous
    assert np.allclose(X.mean(axis=0), 0, atol=1e-4)


def test_mnist_sparse_descales_without_centering():
    fr = mnist()
    di = build(fr, response_column="C785", sparse="True")
    assert di.transform == "DESCALE" and np.all(di.norm_sub == 0)
    X = di.expand(fr)
    raw = fr["C400"].data
    k = di.predictor_names.index("C400")
    assert np.allclose(X[:, k], raw / raw.std(ddof=1), rtol=1e-5)
    assert (X == 0).mean() > 0.7                      # zeros stay zeros: sparse rows remain sparse


def test_equal_layouts_share_one_expansion_and_different_ones_do_not():
    """Whole-frame expansions are cached by layout: models with equal DataInfos (a grid's models,
    a CV main model after a trial model; their seeds differ) reuse one matrix, while any change
    in scaling gets its own."""
    fr = mnist()
    a = build(fr, response_column="C785", sparse="True", seed="1")
    b = build(fr, response_column="C785", sparse="True", seed="2")
    c = build(fr, response_column="C785")                          # standardized: another layout
    Xa = a.expand(fr, training=True)
    assert b is not a and b.expand(fr, training=True) is Xa
    Xc = c.expand(fr, training=True)
    assert Xc is not Xa and not np.array_equal(Xc, Xa)
    rows = np.arange(0, fr.nrow, 7)
    Xr = c.expand(fr, training=True, rows=rows)           # a CV fold's rows: its own matrix, not kept
    assert np.array_equal(Xr, Xc[rows]) and c.expand(fr, training=True, rows=rows) is not Xr


def test_models_starting_together_wait_for_one_expansion(monkeypatch):
    """A grid's models start at once: one expands the frame and the others wait for it; an
    expansion that fails leaves the next thread to try, not a waiter stuck."""
    from concurrent.futures import ThreadPoolExecutor
    from h2olite_server.dl import data_info
    monkeypatch.setattr(data_info, "_EXPANDED", data_info._ExpandCache())     # nothing expanded yet
    calls = []
    slow = DataInfo._expand

    def counted(self, *args):
        calls.append(1)
        time.sleep(0.2)
        if len(calls) == 1 and fail_first:
            raise MemoryError("first expansion fails")
        return slow(self, *args)
    monkeypatch.setattr(DataInfo, "_expand", counted)

    def expand_all(fr, sparse):
        dis = [build(fr, response_column="C785", sparse=sparse, seed=str(s)) for s in range(4)]
        with ThreadPoolExecutor(4) as pool:
            futures = [pool.submit(d.expand, fr, True) for d in dis]
        return [f.exception() or f.result() for f in futures]

    fail_first = False
    Xs = expand_all(mnist(), "True")
    assert len(calls) == 1 and all(X is Xs[0] for X in Xs)
    calls.clear()
    fail_first = True
    Xs = expand_all(mnist(), "False")
    assert len(calls) == 2 and sum(isinstance(X, MemoryError) for X in Xs) == 1
    good = [X for X in Xs if isinstance(X, np.ndarray)]
    assert len(good) == 3 and all(X is good[0] for X in good)
    calls.clear()
    fail_first = False
    monkeypatch.setattr(data_info._EXPANDED, "MAX_BYTES", 1 << 20)    # too large to keep: no waiting
    fr = mnist()
    started = time.perf_counter()
    Xs = expand_all(fr, "True")
    assert len(calls) == 4 and len({id(X) for X in Xs}) == 4
    assert time.perf_counter() - started < 0.7           # side by side, not 4 x 0.2 s one after another


def _timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def test_iris_without_first_factor_level_and_unseen_levels_at_scoring():
    fr = iris()
    di = build(fr, response_column="sepal_len", use_all_factor_levels="False")
    # H2O-3 variable-importance names for this model
    assert sorted(di.coef_names) == sorted(["class.Iris-versicolor", "class.Iris-virginica", "class.missing(NA)",
                                            "sepal_wid", "petal_len", "petal_wid"])
    assert di.coef_names[:3] == ["class.Iris-versicolor", "class.Iris-virginica", "class.missing(NA)"]
    X = di.expand(fr)
    setosa = fr["class"].data == 0
    assert np.all(X[setosa, :3] == 0) and np.all(X[~setosa, :2].sum(axis=1) == 1)
    # regression response standardized with its own mean / sd
    y = di.response_values(fr).astype(np.float64)
    assert y.mean() == pytest.approx(0, abs=1e-6) and y.std(ddof=1) == pytest.approx(1, abs=1e-5)
    assert di.resp_sub == pytest.approx(5.8433, abs=1e-4)

    # a test frame: columns reordered, an extra column, a new level, NA level, a missing column
    test = Frame([
        Column("extra", REAL, np.array([1.0, 2.0, 3.0])),
        Column("class", ENUM, np.array([0, 1, -1], dtype=np.int32), ("Iris-new", "Iris-virginica")),
        Column("petal_len", REAL, np.array([1.4, np.nan, 5.0])),
        Column("sepal_wid", REAL, np.array([3.0, 3.1, 2.9])),
    ], "test.hex")
    Xt = di.expand(test)
    assert Xt.shape == (3, 6)
    assert list(Xt[0, :3]) == [0, 0, 1]                 # unseen level -> NA slot
    assert list(Xt[1, :3]) == [0, 1, 0]                 # matched by label, not by code
    assert list(Xt[2, :3]) == [0, 0, 1]                 # NA -> NA slot
    k = di.coef_names.index("petal_len")
    assert Xt[1, k] == 0                                # numeric NA -> 0 after scaling (scoring)
    assert np.all(Xt[:, di.coef_names.index("petal_wid")] == 0)     # missing column -> all NA -> 0
    warnings = " ".join(di.last_warnings)
    assert "petal_wid" in warnings and "Iris-new" in warnings


def test_type_mismatches_at_scoring():
    di = build(iris(), response_column="class")
    as_enum = Frame([Column("sepal_len", ENUM, np.array([0], dtype=np.int32), ("5.1",))], "t.hex")
    with pytest.raises(H2OError, match="sepal_len"):
        di.expand(as_enum)
    all_na_text = Frame([Column("sepal_len", ENUM, np.array([-1, -1], dtype=np.int32), ())], "t.hex")
    assert np.all(di.expand(all_na_text)[:, di.coef_names.index("sepal_len")] == 0)
    # numeric values for a categorical training column are matched by label (H2O converts them)
    di2 = build(prostate(), response_column="CAPSULE", ignored_columns='["ID"]')
    numeric_race = Frame([Column("RACE", REAL, np.array([2.0, 1.0, 7.0]))], "t.hex")
    X = di2.expand(numeric_race)
    assert [list(r) for r in X[:, :4]] == [[0, 0, 1, 0], [0, 1, 0, 0], [0, 0, 0, 1]]
    numeric_capsule = Frame([Column("CAPSULE", REAL, np.array([1.0, 0.0, np.nan, 5.0]))], "t.hex")
    y = di2.response_values(numeric_capsule)
    assert y[0] == 1 and y[1] == 0 and np.isnan(y[2]) and np.isnan(y[3])


def test_cars_missing_values_mean_imputation_and_skip():
    fr = cars()
    di = build(fr, response_column="economy (mpg)", use_all_factor_levels="False")
    # H2O-3: 305 name levels + NA slot + 6 numerics
    assert di.n_inputs == 312 and len(di.domains[0]) == 306
    skip = di.training_skip_mask(fr)
    assert skip.sum() == 8                                  # the 8 rows without economy
    hp = fr["power (hp)"].data
    k = di.coef_names.index("power (hp)")
    X = di.expand(fr, training=True)
    assert np.isnan(hp).sum() == 6
    assert np.allclose(X[np.isnan(hp), k], 0, atol=1e-6)    # mean imputed, then standardized
    assert X[~np.isnan(hp), k].astype(np.float64).mean() == pytest.approx(0, abs=1e-5)

    di_skip = build(fr, response_column="economy (mpg)", missing_values_handling="Skip")
    assert di_skip.training_skip_mask(fr).sum() == int((np.isnan(hp) | np.isnan(fr["economy (mpg)"].data)).sum())

    raw = DataInfo.build(fr, di.predictor_names, "economy (mpg)",
                         {**validate(parse_params({"response_column": "economy (mpg)", "standardize": "False"}),
                                     fr, None)[0]})
    assert raw.transform == "NONE" and raw.resp_mul == 1 and raw.resp_sub == 0
    Xr = raw.expand(fr, training=True)
    kr = raw.coef_names.index("power (hp)")
    assert np.allclose(Xr[np.isnan(hp), kr], np.nanmean(hp), rtol=1e-6)    # training: the column mean
    assert np.all(raw.expand(fr)[np.isnan(hp), kr] == 0)                    # scoring: 0 (H2O's quirk)


def test_categorical_ordering_by_cardinality():
    fr = Frame([
        Column("small", ENUM, np.array([0, 1, 0, 1], dtype=np.int32), ("a", "b")),
        Column("num", REAL, np.array([1.0, 2.0, 3.0, 4.0])),
        Column("big", ENUM, np.array([0, 1, 2, 3], dtype=np.int32), ("p", "q", "r", "s")),
        Column("mid", ENUM, np.array([0, 1, 2, 0], dtype=np.int32), ("x", "y", "z")),
        Column("const", REAL, np.array([5.0, 5.0, np.nan, 5.0])),
        Column("y", REAL, np.array([1.0, 0.5, 2.0, 3.0])),
    ], "t.hex")
    di = build(fr, response_column="y")
    assert di.predictor_names == ["big", "mid", "small", "num"]
    assert di.cat_offsets == [0, 5, 9, 12] and di.n_inputs == 13
    assert di.dropped == {"const": "constant"}
    kept = build(fr, response_column="y", ignore_const_cols="False")
    assert "const" in kept.predictor_names and kept.n_inputs == 14


def test_autoencoder_normalizes_by_range():
    fr = iris()
    di = build(fr, autoencoder="True")
    assert di.transform == "NORMALIZE" and di.response is None and di.n_outputs == di.n_inputs == 8
    k = di.coef_names.index("petal_len")
    v = fr["petal_len"].data
    assert di.norm_sub[k - 4] == pytest.approx(v.mean())
    assert di.norm_mul[k - 4] == pytest.approx(1 / (v.max() - v.min()))
    assert di.coef_names[:4] == ["class.Iris-setosa", "class.Iris-versicolor", "class.Iris-virginica",
                                 "class.missing(NA)"]


def test_weighted_standardization_uses_only_weighted_rows():
    fr = prostate()
    w = (np.arange(fr.nrow) % 2).astype(np.float64)          # CV-style 0/1 weights
    fw = fr.with_column(Column("w", REAL, w))
    di = build(fw, response_column="CAPSULE", ignored_columns='["ID"]', weights_column="w")
    age = fr["AGE"].data[w == 1]
    k = di.predictor_names.index("AGE") - 1
    assert di.norm_sub[k] == pytest.approx(age.mean())
    assert 1 / di.norm_mul[k] == pytest.approx(age.std(ddof=1))


def test_binary_and_label_encodings_and_hashing():
    fr = iris()
    di = build(fr, response_column="sepal_len", categorical_encoding="Binary")
    assert di.coef_names == ["sepal_wid", "petal_len", "petal_wid", "class:0", "class:1"]
    X = di.expand(fr, training=True)
    assert len({tuple(r) for r in X[:, 3:]}) == 3              # three levels, three distinct bit codes
    di = build(fr, response_column="sepal_len", categorical_encoding="LabelEncoder")
    assert di.coef_names == ["sepal_wid", "petal_len", "petal_wid", "class"] and di.n_inputs == 4

    c = cars()
    di = build(c, response_column="economy (mpg)", categorical_encoding="Binary")
    # H2O-3: 9 bits for 306 levels, appended after the numerics
    assert di.n_inputs == 15
    assert di.output_names() == ["cylinders", "displacement (cc)", "power (hp)", "weight (lb)", "0-60 mph (s)",
                                 "year"] + [f"name:{b}" for b in range(9)] + ["economy (mpg)"]

    di = build(c, response_column="economy (mpg)", categorical_encoding="EnumLimited")
    # H2O-3: the column becomes 'name.top_10_levels' with the 10 most frequent names + 'other'
    assert di.n_inputs == 18 and di.output_names()[0] == "name.top_10_levels"
    dom = di.domains[0]
    assert len(dom) == 11 and dom[0] == "Ford Pinto" and dom[-1] == "other"
    assert di.coef_names[0] == "name.top_10_levels.Ford Pinto"
    X = di.expand(c)
    rare = ~np.isin(np.array(c["name"].domain)[c["name"].data], dom[:10])
    assert np.all(X[rare, 10] == 1) and np.all(X[~rare, 10] == 0)

    # H2O-3: max_categorical_features=10 gives an input layer of 10 hashed + 6 numeric units
    di = build(c, response_column="economy (mpg)", max_categorical_features="10", seed="7")
    assert di.hashed and di.n_inputs == 16
    X = di.expand(c)
    assert np.all(X[:, :10].sum(axis=1) == 1)                   # one active name slot per row, hashed
    assert len(np.unique(X[:, :10].argmax(axis=1))) > 3


def test_hashing_trick_uses_h2o_murmur_hash():
    from h2olite_server.dl.data_info import _java_int, murmur_hash_int
    # values from H2O's Java MurmurHash.hash(ByteBuffer.putInt(id), 4, (int) 1234567890123L)
    h = murmur_hash_int(np.array([0, 1, 2, 300, -5, 123456]), _java_int(1234567890123))
    assert list(h) == [-215990311, -116853042, 851318806, 192229663, -336621932, -324849252]
    assert list(np.abs(np.fmod(h, 10))) == [1, 2, 6, 3, 2, 2]


def test_sort_by_response_reorders_levels():
    fr = iris()
    di = build(fr, response_column="sepal_len", categorical_encoding="SortByResponse")
    assert di.domains[0] == ("Iris-setosa", "Iris-versicolor", "Iris-virginica")   # means 5.0 < 5.9 < 6.6
    di = build(fr.with_column(Column("sepal_len", REAL, -fr["sepal_len"].data)), response_column="sepal_len",
               categorical_encoding="SortByResponse")
    assert di.domains[0] == ("Iris-virginica", "Iris-versicolor", "Iris-setosa")


def test_json_round_trip_reproduces_the_expansion():
    fr = cars()
    di = build(fr, response_column="economy (mpg)")
    blob = json.dumps(di.to_json())
    back = DataInfo.from_json(json.loads(blob))
    assert back.coef_names == di.coef_names and back.n_inputs == di.n_inputs
    assert np.array_equal(back.expand(fr), di.expand(fr))
    assert np.array_equal(back.response_values(fr), di.response_values(fr), equal_nan=True)


# ------------------------------------------------------------------------------------------
# sampling
# ------------------------------------------------------------------------------------------
def test_balance_classes_oversamples_minority_to_majority():
    y = prostate()["CAPSULE"].data.astype(np.int64)              # 227 zeros, 153 ones
    rows, prior, model = sampling.balance_classes(y, 2, None, 5.0, seed=1)
    counts = np.bincount(y[rows], minlength=2)
    assert counts[0] == 227 and abs(counts[1] - 227) <= 20
    assert prior == pytest.approx([227 / 380, 153 / 380])
    assert model == pytest.approx(counts / counts.sum())
    rows2, _, _ = sampling.balance_classes(y, 2, None, 5.0, seed=1)
    assert np.array_equal(rows, rows2)                          # deterministic for a seed
    # explicit factors, capped by max_after_balance_size
    rows, _, _ = sampling.balance_classes(y, 2, (1.0, 4.0), 1.0, seed=3)
    assert abs(len(rows) - 380) <= 25                           # 227 + 612 scaled down to ~380
    counts = np.bincount(y[rows], minlength=2)
    assert counts[1] > counts[0]


def test_score_sample_is_a_bernoulli_draw():
    rows = sampling.score_sample(8000, 1000, seed=5)
    assert abs(len(rows) - 1000) < 4 * np.sqrt(1000 * 0.875)
    assert np.array_equal(rows, sampling.score_sample(8000, 1000, seed=5))
    assert len(sampling.score_sample(8000, 10000, seed=5)) == 8000
    assert len(sampling.score_sample(8000, 0, seed=5)) == 8000


def test_fold_assignment_methods():
    """H2O's fold assignment (AstKFold with its PCG generator): the first 20 folds of iris below
    were recorded from H2O-3 3.46 (keep_cross_validation_fold_assignment) for the same seeds."""
    assert list(sampling.fold_assignment(7, 3, "Modulo")) == [0, 1, 2, 0, 1, 2, 0]
    assert list(sampling.fold_assignment(150, 5, "AUTO", seed=1234)[:20]) == [
        2, 0, 0, 1, 3, 3, 4, 0, 3, 1, 0, 1, 2, 1, 1, 4, 1, 2, 0, 1]
    assert list(sampling.fold_assignment(150, 5, "Random", seed=1)[:20]) == [
        2, 2, 2, 0, 2, 1, 1, 0, 4, 0, 0, 1, 2, 1, 3, 0, 0, 3, 0, 1]
    f = sampling.fold_assignment(1000, 5, "AUTO", seed=3)
    assert set(f) == {0, 1, 2, 3, 4} and np.bincount(f).min() > 150
    y = iris()["class"].data
    f = sampling.fold_assignment(150, 3, "Stratified", seed=7, y=y)
    assert list(f[:20]) == [0, 2, 0, 1, 1, 2, 0, 1, 0, 2, 2, 1, 1, 1, 2, 0, 2, 1, 1, 2]
    per_fold = np.array([np.bincount(y[f == k], minlength=3) for k in range(3)])
    assert per_fold.min() >= 10 and per_fold.max() <= 25          # every class in every fold
    f = sampling.fold_assignment(4, 2, "Stratified", seed=7, y=np.array([0, -1, 1, -1]))
    assert f[1] == f[3] == 0                                      # NA responses: fold 0, as H2O


def test_whole_epoch_iterations_repeat_each_thread_block_in_storage_order():
    """tspi = 2 epochs, no shuffle: each thread trains its own block twice in storage order, as
    H2O repeats each chunk (not one whole pass per thread, which would train the same rows in
    step, and not a reshuffle)."""
    rows = np.arange(10, dtype=np.int64) * 3
    two = sampling.storage_order_passes(rows, 2, 2)
    assert two.tolist() == [0, 3, 6, 9, 12, 0, 3, 6, 9, 12, 15, 18, 21, 24, 27, 15, 18, 21, 24, 27]
    assert sampling.storage_order_passes(rows, 3, 1).tolist() == rows.tolist() * 3
    assert sampling.storage_order_passes(rows, 1, 2) is rows
    odd = sampling.storage_order_passes(np.arange(7), 2, 2)       # uneven blocks: every row twice
    assert sorted(odd.tolist()) == sorted(list(range(7)) * 2)


def test_train_samples_per_iteration_resolution():
    assert sampling.resolve_tspi(0, 8000, 10, n_weights=175_000) == 8000
    assert sampling.resolve_tspi(-1, 8000, 0.5, n_weights=175_000) == 8000
    assert sampling.resolve_tspi(500, 8000, 10) == 500
    assert sampling.resolve_tspi(10**9, 8000, 0.5) == 4000
    # auto: small data trains one epoch per iteration, at least ~10 iterations
    assert sampling.resolve_tspi(-2, 8000, 10, n_weights=175_000) == 8000
    assert sampling.resolve_tspi(-2, 8000, 1, n_weights=175_000) == 800
    assert sampling.resolve_tspi(-2, 10**7, 10, n_weights=1_000) == 100_000
    big = sampling.resolve_tspi(-2, 10**6, 10, n_weights=10**8)     # a huge net: ~10 s of rows
    assert 1 <= big < 10**6
    assert sampling.training_rows(10, np.array([1, 0, 1, 1, 0, 1, 1, 1, 0, 1.0])) == 7
    assert sampling.training_rows(10, np.full(10, 2.5)) == 10
