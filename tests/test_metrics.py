"""Model metrics and H2O tables: numbers checked by hand on tiny cases and against H2O-3 3.46
(``h2o.make_metrics`` on the same scores, computed from the shipped prostate/iris/cars data)."""
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from h2olite_server.metrics import (autoencoder_metrics, binomial_metrics, cv_metrics_summary,
                                    is_lower_bounded_by_zero, is_more_better, metric_value,
                                    multinomial_metrics, regression_metrics, stop_early, two_dim_table)
from h2olite_server.metrics.tables import table_column, table_rows

DATA = Path(__file__).resolve().parents[1] / "h2olite" / "datasets" / "data" / "smalldata"


def strict_json(obj) -> str:
    """What goes on the wire must not contain bare NaN (R's jsonlite cannot read it)."""
    return json.dumps(obj, allow_nan=False)


# ---------------------------------------------------------------------------------------------
# TwoDimTable


def test_two_dim_table_is_column_major_with_pythonified_headers_and_row_header_column():
    t = two_dim_table("Scoring History", "", [("Training RMSE", "double", "%.5f"), ("Avg. Training MSE", "float", "%f"),
                                              ("Iterations", "int", "%d"), ("Rate", "string", "%s")],
                      [[float("nan"), 0.46729806065559387, 0, "a"], [0.5, 1.0, 3.0, None]], row_headers=["", ""])
    assert [c["name"] for c in t["columns"]] == ["", "training_rmse", "avg_training_mse", "iterations", "rate"]
    assert [c["description"] for c in t["columns"]] == ["", "Training RMSE", "Avg. Training MSE", "Iterations", "Rate"]
    assert t["rowcount"] == 2
    assert t["data"][0] == ["", ""]
    assert t["data"][1] == ["NaN", 0.5]
    assert t["data"][2] == [0.46729806, 1.0]            # float cells carry float32 precision, as H2O's
    assert t["data"][3] == [0, 3] and isinstance(t["data"][3][1], int)
    assert t["data"][4] == ["a", None]
    assert t["__meta"]["schema_name"] == "TwoDimTableV3"
    strict_json(t)


def test_confusion_tables_keep_their_headers_and_bad_tables_are_rejected():
    t = two_dim_table("Confusion Matrix", "x", [("Iris setosa", "long", "%d"), ("Error", "double", "%.4f")], [[1, 0.5]])
    assert [c["name"] for c in t["columns"]] == ["Iris setosa", "Error"]
    t = two_dim_table("x", "", [("Iris setosa", "long", "%d")], [[1]], pythonify=False)
    assert t["columns"][0]["name"] == "Iris setosa"
    with pytest.raises(ValueError, match="type 'decimal'"):
        two_dim_table("x", "", [("a", "decimal", "%f")], [[1.0]])
    with pytest.raises(ValueError, match="row 0 has 2 cells"):
        two_dim_table("x", "", [("a", "double", "%f")], [[1.0, 2.0]])


# ---------------------------------------------------------------------------------------------
# Binomial

TINY_Y = np.array([0, 0, 1, 1, 0, 1])
TINY_P1 = np.array([0.1, 0.4, 0.35, 0.8, 0.7, 0.9])


def test_binomial_tiny_case_by_hand():
    m = binomial_metrics(TINY_Y, np.c_[1 - TINY_P1, TINY_P1], domain=["no", "yes"])
    # positives {.35,.8,.9} beat negatives {.1,.4,.7} in 1+3+3 of 9 pairs
    assert m["AUC"] == pytest.approx(7 / 9)
    assert m["Gini"] == pytest.approx(2 * 7 / 9 - 1)
    assert m["logloss"] == pytest.approx(-np.mean(np.log([0.9, 0.6, 0.35, 0.8, 0.3, 0.9])))
    mse = np.mean([0.01, 0.16, 0.4225, 0.04, 0.49, 0.01])
    assert m["MSE"] == pytest.approx(mse) and m["RMSE"] == pytest.approx(math.sqrt(mse))
    assert m["r2"] == pytest.approx(1 - mse / 0.25)
    # F1 by threshold: .9 -> .5, .8 -> .8, .7 -> 2/3, .4 -> 4/7, .35 -> .75, .1 -> 2/3: max at 0.8
    assert m["default_threshold"] == 0.8
    rows = table_rows(m["cm"]["table"])
    assert rows == [[3, 0, 0.0, "0 / 3"], [1, 2, pytest.approx(1 / 3), "1 / 3"], [4, 2, pytest.approx(1 / 6), "1 / 6"]]
    assert [c["name"] for c in m["cm"]["table"]["columns"]] == ["no", "yes", "Error", "Rate"]
    assert m["mean_per_class_error"] == pytest.approx(1 / 6)
    thr = m["thresholds_and_metric_scores"]
    assert table_column(thr, "threshold") == [0.9, 0.8, 0.7, 0.4, 0.35, 0.1]
    assert table_column(thr, "f1") == pytest.approx([0.5, 0.8, 2 / 3, 4 / 7, 0.75, 2 / 3])
    assert table_column(thr, "tps") == [1, 2, 2, 2, 3, 3] and table_column(thr, "fps") == [0, 0, 1, 2, 2, 3]
    assert table_column(thr, "idx") == list(range(6))
    maxima = {r[0]: r[1:] for r in table_rows(m["max_criteria_and_metric_scores"])}
    assert maxima["max f1"] == [0.8, pytest.approx(0.8), 1]
    assert maxima["max accuracy"] == [0.8, pytest.approx(5 / 6), 1]
    assert maxima["max recall"] == [0.35, 1.0, 4]
    assert m["__meta"] == {"schema_version": 3, "schema_name": "ModelMetricsBinomialV3",
                           "schema_type": "ModelMetricsBinomial"}
    assert m["loglikelihood"] == "NaN" and m["AIC"] == "NaN" and m["nobs"] == 6
    strict_json(m)


def _prostate_scores():
    pro = pd.read_csv(DATA / "logreg" / "prostate.csv")
    s = 1 / (1 + np.exp(-(0.03 * pro.PSA.values + 0.9 * (pro.GLEASON.values - 6) - 0.6)))
    return pro.CAPSULE.values, s


def test_binomial_matches_h2o_on_prostate():
    y, s = _prostate_scores()
    m = binomial_metrics(y, np.c_[1 - s, s], domain=["0", "1"], description="d", model_key="m1", frame_key="f1")
    # reference: H2O-3 3.46 h2o.make_metrics on the same scores (291 distinct scores: exact in H2O too)
    assert m["AUC"] == pytest.approx(0.79286516368662, rel=1e-9)
    assert m["pr_auc"] == pytest.approx(0.7315017781708836, rel=1e-9)
    assert m["logloss"] == pytest.approx(0.5736389085437175, rel=1e-9)
    assert m["MSE"] == pytest.approx(0.19554841097046555, rel=1e-9)
    assert m["r2"] == pytest.approx(0.18697444518916173, rel=1e-9)
    assert m["mean_per_class_error"] == pytest.approx(0.26287754455673606, rel=1e-9)
    assert table_rows(m["cm"]["table"]) == [[167, 60, pytest.approx(0.2643171806167401), "60 / 227"],
                                            [40, 113, pytest.approx(0.26143790849673204), "40 / 153"],
                                            [207, 173, pytest.approx(0.2631578947368421), "100 / 380"]]
    maxima = {r[0]: r[1:] for r in table_rows(m["max_criteria_and_metric_scores"])}
    assert maxima["max f1"] == [pytest.approx(0.5970046791382475), pytest.approx(0.6932515337423313), 144]
    assert maxima["max f2"] == [pytest.approx(0.2750798682864689), pytest.approx(0.8019375672766416), 240]
    assert maxima["max absolute_mcc"][1] == pytest.approx(0.4670389474520602)
    assert maxima["max fps"] == [pytest.approx(0.0025098982779995817), 227.0, 290]
    assert m["thresholds_and_metric_scores"]["rowcount"] == 291
    gl = m["gains_lift_table"]
    assert gl["description"] == f"Avg response rate: 40.26 %, avg score: {100 * s.mean():.2f} %"
    assert gl["rowcount"] == 16
    first, last = table_rows(gl)[0], table_rows(gl)[-1]
    assert first == pytest.approx([1, 0.010526315789473684, 0.9878663031579302, 2.4836601307189543, 2.4836601307189543,
                                   1.0, 0.993558286283627, 1.0, 0.993558286283627, 0.026143790849673203,
                                   0.026143790849673203, 148.36601307189542, 148.36601307189542, 0.026143790849673203])
    assert last == pytest.approx([16, 1.0, 0.0025098982779995817, 0.13071895424836602, 1.0, 0.05263157894736842,
                                  0.18735248969556534, 0.4026315789473684, 0.5274415108798938, 0.013071895424836602,
                                  1.0, -86.9281045751634, 0.0, 0.0], abs=1e-12)
    assert [c["name"] for c in gl["columns"]][:4] == ["group", "cumulative_data_fraction", "lower_threshold", "lift"]
    assert metric_value(m, "lift_top_group") == pytest.approx(2.4836601307189543)
    assert metric_value(m, "misclassification") == pytest.approx(100 / 380)
    assert m["model"]["name"] == "m1" and m["frame"]["URL"] == "/3/Frames/f1" and m["description"] == "d"
    strict_json(m)


def test_binomial_exact_auc_and_at_most_400_threshold_rows_on_many_distinct_scores():
    rng = np.random.default_rng(7)
    y = rng.integers(0, 2, 5000)
    s = np.clip(rng.normal(0.4 + 0.2 * y, 0.2), 0, 1)
    m = binomial_metrics(y, np.c_[1 - s, s], domain=["a", "b"])
    # Mann-Whitney: P(score_pos > score_neg) (no ties among continuous scores)
    ranks = pd.Series(s).rank().values
    npos, nneg = y.sum(), (1 - y).sum()
    auc = (ranks[y == 1].sum() - npos * (npos + 1) / 2) / (npos * nneg)
    assert m["AUC"] == pytest.approx(auc, rel=1e-12)
    thr = m["thresholds_and_metric_scores"]
    assert 390 <= thr["rowcount"] <= 400
    ths = table_column(thr, "threshold")
    assert ths == sorted(ths, reverse=True) and ths[-1] == s.min()
    assert table_column(thr, "tps")[-1] == npos and table_column(thr, "fps")[-1] == nneg
    f1_idx = table_column(m["max_criteria_and_metric_scores"], "idx")[0]
    assert m["default_threshold"] == ths[f1_idx]


def test_integer_weights_equal_duplicated_rows_and_zero_weights_drop_rows():
    w = np.array([1, 2, 0, 3, 1, 1])
    dup = np.repeat(np.arange(6), w)
    a = binomial_metrics(TINY_Y, np.c_[1 - TINY_P1, TINY_P1], weights=w, domain=["0", "1"])
    b = binomial_metrics(TINY_Y[dup], np.c_[1 - TINY_P1, TINY_P1][dup], domain=["0", "1"])
    for k in ("MSE", "logloss", "AUC", "pr_auc", "r2", "mean_per_class_error"):
        assert a[k] == pytest.approx(b[k]), k
    assert table_rows(a["cm"]["table"]) == table_rows(b["cm"]["table"])
    assert a["nobs"] == 5 and b["nobs"] == 8           # nobs counts rows with a positive weight
    y = np.array([1.0, 2.0, np.nan, 4.0])
    r = regression_metrics(y, np.array([1.5, 2.0, 9.0, 3.0]), weights=np.array([2.0, 1.0, 1.0, 1.0]))
    assert r["nobs"] == 3 and r["MSE"] == pytest.approx((2 * 0.25 + 0 + 1) / 4)


def test_binomial_rejects_bad_input():
    with pytest.raises(ValueError, match="domain"):
        binomial_metrics(TINY_Y, np.c_[1 - TINY_P1, TINY_P1], domain=["a", "b", "c"])
    with pytest.raises(ValueError, match="probs"):
        binomial_metrics(TINY_Y, TINY_P1, domain=["a", "b"])
    with pytest.raises(ValueError, match="weights must be >= 0"):
        binomial_metrics(TINY_Y, np.c_[1 - TINY_P1, TINY_P1], weights=-np.ones(6), domain=["a", "b"])


# ---------------------------------------------------------------------------------------------
# Multinomial


def test_multinomial_small_case_by_hand():
    y = np.array([0, 1, 2, 2, 1])
    p = np.array([[0.7, 0.2, 0.1],
                  [0.5, 0.3, 0.2],     # actual 1 ranked 2nd
                  [0.1, 0.1, 0.8],
                  [0.6, 0.3, 0.1],     # actual 2 ranked 3rd
                  [0.2, 0.7, 0.1]])
    m = multinomial_metrics(y, p, domain=["a", "b", "c"])
    pa = np.array([0.7, 0.3, 0.8, 0.1, 0.7])
    assert m["MSE"] == pytest.approx(np.mean((1 - pa) ** 2))           # H2O: (1 - p_actual)^2
    assert m["logloss"] == pytest.approx(-np.mean(np.log(pa)))
    assert m["r2"] == pytest.approx(1 - np.mean((1 - pa) ** 2) / np.var(y))
    assert table_rows(m["hit_ratio_table"]) == [["1", 0.6], ["2", 0.8], ["3", 1.0]]
    assert m["hit_ratio_table"]["name"] == "Top-3 Hit Ratios"
    rows = table_rows(m["cm"]["table"])
    assert [r[:3] for r in rows] == [[1, 0, 0], [1, 1, 0], [1, 0, 1], [3, 1, 1]]
    assert [r[3] for r in rows] == pytest.approx([0.0, 0.5, 0.5, 0.4])
    assert [r[4] for r in rows] == ["0 / 1", "1 / 2", "1 / 2", "2 / 5"]
    assert m["mean_per_class_error"] == pytest.approx(1 / 3)
    assert m["AUC"] == "NaN" and m["multinomial_auc_table"] is None
    assert metric_value(m, "misclassification") == pytest.approx(0.4)
    strict_json(m)


def test_multinomial_hit_ratios_stop_at_ten_classes():
    rng = np.random.default_rng(3)
    p = rng.dirichlet(np.ones(12), size=200)
    y = rng.integers(0, 12, 200)
    m = multinomial_metrics(y, p, domain=[f"c{i}" for i in range(12)])
    hits = [r[1] for r in table_rows(m["hit_ratio_table"])]
    assert len(hits) == 10 and m["hit_ratio_table"]["name"] == "Top-10 Hit Ratios"
    rank = (p > p[np.arange(200), y][:, None]).sum(axis=1)
    assert hits == pytest.approx([np.mean(rank < k) for k in range(1, 11)], abs=1e-7)


def _iris_probs():
    iris = pd.read_csv(DATA / "iris" / "iris_wheader.csv")
    x = iris.iloc[:, :4].values
    w = np.array([[0.2, 1.0, -1.2, -1.0], [0.1, -0.3, 0.2, -0.5], [-0.4, -0.6, 1.0, 1.4]])
    z = x @ w.T
    p = np.exp(z - z.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    domain = sorted(iris["class"].unique())
    return iris["class"].map({d: i for i, d in enumerate(domain)}).values, p, domain


def test_multinomial_matches_h2o_on_iris_including_auc_tables():
    y, p, domain = _iris_probs()
    m = multinomial_metrics(y, p, domain=domain, auc_type="MACRO_OVR")
    assert m["MSE"] == pytest.approx(0.26512883934277803, rel=1e-9)
    assert m["r2"] == pytest.approx(0.6023067409858329, rel=1e-9)
    assert m["logloss"] == pytest.approx(0.7886911226684407, rel=1e-9)
    assert m["mean_per_class_error"] == pytest.approx(1 / 3)
    assert m["AUC"] == pytest.approx(0.9686666666666666, rel=1e-9)
    assert m["pr_auc"] == pytest.approx(0.9433822260559243, rel=1e-9)
    assert table_rows(m["hit_ratio_table"]) == [["1", 0.6666667], ["2", 1.0], ["3", 1.0]]
    t = m["multinomial_auc_table"]
    assert [c["name"] for c in t["columns"]] == ["type", "first_class_domain", "second_class_domain", "auc"]
    assert t["rowcount"] == 3 + 2 + 3 + 2
    assert t["data"][0][3] == "Macro OVR" and t["data"][0][5] == "Class Iris-setosa vs. Iris-versicolor"
    ovo = multinomial_metrics(y, p, domain=domain, auc_type="WEIGHTED_OVO")
    assert ovo["AUC"] == pytest.approx(0.9686666666666666, rel=1e-9)
    assert ovo["pr_auc"] == pytest.approx(0.9712487436195072, rel=1e-9)
    with pytest.raises(ValueError, match="auc_type"):
        multinomial_metrics(y, p, domain=domain, auc_type="MICRO")


# ---------------------------------------------------------------------------------------------
# Regression


def test_regression_matches_h2o_on_cars_for_each_distribution():
    cars = pd.read_csv(DATA / "junit" / "cars.csv")
    y = cars["economy (mpg)"].values
    f = 45 - 0.006 * cars["weight (lb)"].values + 0.2 * (cars["year"].values - 70)
    expected_deviance = {"gaussian": 40.62288865580284, "poisson": 1.6794338311429144,
                         "gamma": 0.0732977542351947, "laplace": 5.686216084235877}
    for dist, dev in expected_deviance.items():
        m = regression_metrics(y, f, distribution=dist)
        assert m["mean_residual_deviance"] == pytest.approx(dev, rel=1e-7), dist
        assert m["MSE"] == pytest.approx(40.62288865580284, rel=1e-7)
        assert m["mae"] == pytest.approx(5.686216084235877, rel=1e-7)
        assert m["rmsle"] == pytest.approx(0.27414581067871563, rel=1e-7)
        assert m["r2"] == pytest.approx(0.3333528682316095, rel=1e-6)
        assert m["nobs"] == 398                     # 8 rows without a response are not scored


def test_regression_deviances_by_hand():
    y = np.array([0.0, 1.0, 2.0, 3.0])
    f = np.array([0.5, 1.0, 2.0, 1.0])
    # poisson with y=0 -> 2f (H2O-3 3.46 gives 0.8979184330021646 here)
    assert regression_metrics(y, f, distribution="poisson")["mean_residual_deviance"] == pytest.approx(0.8979184330021646)
    yy, ff = np.array([1.0, 2.0, 4.0]), np.array([2.0, 2.0, 1.0])
    q = regression_metrics(yy, ff, distribution="quantile", quantile_alpha=0.2)
    assert q["mean_residual_deviance"] == pytest.approx((0.8 * 1 + 0 + 0.2 * 3) / 3)
    p = 1.5
    tw = 2 * (yy ** (2 - p) / ((1 - p) * (2 - p)) - yy * ff ** (1 - p) / (1 - p) + ff ** (2 - p) / (2 - p))
    assert regression_metrics(yy, ff, distribution="tweedie", tweedie_power=p)["mean_residual_deviance"] == \
        pytest.approx(tw.mean())
    # huber: r^2 inside delta, delta(2r - delta) outside; delta defaults to the huber_alpha quantile of |r|
    h = regression_metrics(yy, ff, distribution="huber", huber_delta=1.5)
    assert h["mean_residual_deviance"] == pytest.approx((1 + 0 + 1.5 * (6 - 1.5)) / 3)
    h = regression_metrics(yy, ff, distribution="huber", huber_alpha=0.5)   # median |r| = 1
    assert h["mean_residual_deviance"] == pytest.approx((1 + 0 + 1 * (6 - 1)) / 3)
    with pytest.raises(ValueError, match="unknown distribution 'bernoulli'"):
        regression_metrics(yy, ff, distribution="bernoulli")


def test_rmsle_is_nan_only_below_minus_one_as_h2o():
    assert regression_metrics(np.array([-0.5, 1, 2, 3.0]), np.array([0.5, 1, 2, 1.0]))["rmsle"] == \
        pytest.approx(0.6495001875925024)                  # H2O-3 3.46
    r = regression_metrics(np.array([-1.5, 1, 2, 3.0]), np.array([0.5, 1, 2, 1.0]))
    assert r["rmsle"] == "NaN" and r["MSE"] == 2.0
    strict_json(r)


# ---------------------------------------------------------------------------------------------
# Autoencoder


def test_autoencoder_metrics_are_the_mean_reconstruction_error():
    err = np.array([0.1, 0.2, 0.6])
    m = autoencoder_metrics(err, model_key="ae")
    assert m["MSE"] == pytest.approx(0.3) and m["RMSE"] == pytest.approx(math.sqrt(0.3)) and m["nobs"] == 3
    assert m["__meta"]["schema_name"] == "ModelMetricsAutoEncoderV3"
    assert autoencoder_metrics(err, weights=np.array([1, 1, 2]))["MSE"] == pytest.approx(1.5 / 4)
    strict_json(m)


# ---------------------------------------------------------------------------------------------
# Stopping


def test_stop_early_needs_2k_scored_rows_after_the_initial_one():
    flat = [float("nan")] + [0.5] * 10          # initial row + 10 scoring events
    assert stop_early(flat, 5, 0.0, False, True) is True
    assert stop_early(flat[:-1], 5, 0.0, False, True) is False      # 9 events are not enough for k=5
    assert stop_early(flat, 0, 0.0, False, True) is False
    assert stop_early([float("nan"), 0.5, 0.5], 1, 0.0, False, True) is True


def test_stop_early_relative_improvement_rule():
    improving = [float("nan")] + [1.0 * 0.9 ** i for i in range(6)]
    assert stop_early(improving, 2, 1e-3, False, True) is False
    # ref = mean(0.81, 0.729) = 0.7695; best later average mean(.6561,.59049) = 0.623295: ratio 0.81
    assert stop_early(improving, 2, 0.2, False, True) is True
    assert stop_early(improving, 2, 0.18, False, True) is False
    auc_up = [float("nan"), 0.70, 0.72, 0.74, 0.76]
    assert stop_early(auc_up, 2, 1e-3, True, True) is False
    # ref = mean(.70, .72) = .71, best later average .75: ratio 1.0563
    assert stop_early(auc_up, 2, 0.05, True, True) is False
    assert stop_early(auc_up, 2, 0.06, True, True) is True
    assert stop_early([float("nan"), 0.7, 0.7, 0.7, 0.7], 2, 0.0, True, True) is True


def test_stop_early_nan_zero_and_sign_cases():
    assert stop_early([float("nan"), float("nan"), 0.5, 0.5, 0.5], 2, 0.0, False, True) is False
    assert stop_early(["NaN", 0.0, 0.0, 0.3, 0.4], 2, 0.0, False, True) is True      # converged to its bound
    assert stop_early(["NaN", 0.0, 0.0, 0.3, 0.4], 2, 0.0, False, False) is False
    assert stop_early(["NaN", -0.2, -0.1, 0.1, 0.2], 2, 0.5, True, False) is False   # r2 crossing zero


def test_metric_names_and_directions():
    y, s = _prostate_scores()
    m = binomial_metrics(y, np.c_[1 - s, s], domain=["0", "1"])
    assert metric_value(m, "AUC") == metric_value(m, "auc") == m["AUC"]
    assert metric_value(m, "AUCPR") == m["pr_auc"]
    assert math.isnan(metric_value(m, "deviance"))         # classifiers have no deviance
    r = regression_metrics(np.array([1.0, 2.0]), np.array([1.5, 2.5]))
    assert metric_value(r, "deviance") == pytest.approx(0.25) and metric_value(r, "RMSLE") == r["rmsle"]
    assert is_more_better("AUC") and is_more_better("lift_top_group") and is_more_better("r2")
    assert not is_more_better("logloss") and not is_more_better("misclassification")
    assert is_lower_bounded_by_zero("MSE") and not is_lower_bounded_by_zero("deviance")
    with pytest.raises(ValueError, match="unknown metric 'accuracyy'"):
        metric_value(m, "accuracyy")


# ---------------------------------------------------------------------------------------------
# Cross-validation summary


def test_cv_metrics_summary_rows_mean_and_sd():
    y, s = _prostate_scores()
    folds = [binomial_metrics(y[i::3], np.c_[1 - s[i::3], s[i::3]], domain=["0", "1"]) for i in range(3)]
    t = cv_metrics_summary(folds, "Binomial")
    assert t["name"] == "Cross-Validation Metrics Summary"
    assert [c["name"] for c in t["columns"]] == ["", "mean", "sd", "cv_1_valid", "cv_2_valid", "cv_3_valid"]
    assert all(c["type"] == "float" for c in t["columns"][1:])
    rows = {r[0]: r[1:] for r in table_rows(t)}
    assert list(rows) == sorted(rows) and len(rows) == 22
    aucs = [f["AUC"] for f in folds]
    assert rows["auc"][2:] == [float(str(np.float32(a))) for a in aucs]     # float32, printed as H2O
    assert rows["auc"][0] == pytest.approx(np.mean(aucs), rel=1e-6)
    assert rows["auc"][1] == pytest.approx(np.std(aucs, ddof=1), rel=1e-6)
    assert rows["aic"] == ["NaN", 0.0, "NaN", "NaN", "NaN"]
    errs = [metric_value(f, "err") for f in folds]
    assert rows["err"][2:] == pytest.approx(errs, rel=1e-6)
    assert rows["accuracy"][0] == pytest.approx(1 - np.mean(errs), rel=1e-6)
    reg = cv_metrics_summary([regression_metrics(np.array([1.0, 2, 3]), np.array([1.0, 2, 4])),
                              regression_metrics(np.array([1.0, 2, 3]), np.array([2.0, 2, 3]))], "Regression")
    assert [r[0] for r in table_rows(reg)] == ["aic", "loglikelihood", "mae", "mean_residual_deviance", "mse", "r2",
                                               "residual_deviance", "rmse", "rmsle"]
    with pytest.raises(ValueError, match="AutoEncoder"):
        cv_metrics_summary([autoencoder_metrics(np.ones(3))], "AutoEncoder")
    strict_json(t)
