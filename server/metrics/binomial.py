"""Binomial metrics (ModelMetricsBinomialV3).

The score is the probability of the second domain level (``probs[:, 1]``); a row is predicted
positive when its score is >= the threshold. The confusion matrix, ``mean_per_class_error`` and
the model's ``default_threshold`` are taken at the threshold that maximises F1, as H2O does.
See ``auc.py`` for how the curve and the thresholds table are built.
"""
from __future__ import annotations

import math

import numpy as np

from .auc import CRITERIA, INTEGER_CRITERIA, Curve, criteria, max_index
from .common import as_weights, base_metrics, scored_rows, weighted_mean, weighted_r2
from .confusion import confusion_matrix_json, mean_per_class_error
from .gains_lift import gains_lift_table
from ..json_values import json_number
from .tables import two_dim_table

LOGLOSS_EPS = 1e-15


def check_probs(actual, probs, k: int | None, what: str) -> tuple[np.ndarray, np.ndarray]:
    """Class indices (int64, negative = missing) and an [n, K] float64 probability matrix."""
    y = np.asarray(actual)
    if y.dtype.kind == "f":
        y = np.where(np.isnan(y), -1, y)
    y = y.astype(np.int64).ravel()
    p = np.asarray(probs, dtype=np.float64)
    if p.ndim != 2 or p.shape[0] != y.shape[0]:
        raise ValueError(f"{what}: probs must be an [n, K] matrix with one row per actual value; "
                         f"got shape {p.shape} for {y.shape[0]} actual values")
    if k is not None and p.shape[1] != k:
        raise ValueError(f"{what}: probs has {p.shape[1]} columns but the domain has {k} levels")
    if np.any(y >= p.shape[1]):
        raise ValueError(f"{what}: actual class index {int(y.max())} is outside the domain "
                         f"of {p.shape[1]} levels")
    return y, p


def logloss(y: np.ndarray, p: np.ndarray, w: np.ndarray) -> float:
    """Weighted mean of -log(max(p_actual, 1e-15))."""
    pa = p[np.arange(y.size), y]
    return weighted_mean(-np.log(np.maximum(pa, LOGLOSS_EPS)), w)


def thresholds_tables(curve: Curve) -> tuple[dict, dict, int, dict[str, np.ndarray], np.ndarray]:
    """("Metrics for Thresholds", "Maximum Metrics", index of max F1 in the table, criteria, rows)."""
    rows_idx = curve.table_rows()
    ths = curve.thresholds[rows_idx]
    crit = criteria(curve.tps[rows_idx], curve.fps[rows_idx], curve.p, curve.n)
    columns = [("Threshold", "double", "%f")]
    columns += [(c, "long" if c in INTEGER_CRITERIA else "double", "%d" if c in INTEGER_CRITERIA else "%f")
                for c in CRITERIA]
    columns.append(("idx", "int", "%d"))
    data = np.column_stack([ths] + [crit[c] for c in CRITERIA])
    rows = [list(map(float, r)) + [i] for i, r in enumerate(data)]
    thresholds = two_dim_table("Metrics for Thresholds",
                               "Binomial metrics as a function of classification thresholds",
                               columns, rows)
    max_rows = []
    for c in CRITERIA:
        i = max_index(crit[c])
        max_rows.append([f"max {c}", float(ths[i]) if i >= 0 else math.nan,
                         float(crit[c][i]) if i >= 0 else math.nan, i])
    maximum = two_dim_table("Maximum Metrics", "Maximum metrics at their respective thresholds",
                            [("Metric", "string", "%s"), ("Threshold", "double", "%f"),
                             ("Value", "double", "%f"), ("idx", "long", "%d")], max_rows)
    return thresholds, maximum, max_index(crit["f1"]), crit, ths


def binomial_metrics(actual: np.ndarray, probs: np.ndarray, weights=None, domain: list[str] = None,
                     description: str = "", model_key: str = "", frame_key: str = "") -> dict:
    """ModelMetricsBinomialV3 from 0/1 actuals and [n, 2] class probabilities."""
    if domain is None or len(domain) != 2:
        raise ValueError(f"binomial_metrics: domain must list the 2 class levels; got {domain!r}")
    y, p = check_probs(actual, probs, 2, "binomial_metrics")
    w = as_weights(weights, y.shape[0])
    keep = scored_rows(y >= 0, w) & ~np.isnan(p[:, 1])
    y, p, w = y[keep], p[keep], w[keep]
    yf = y.astype(np.float64)
    score = p[:, 1]
    mse = weighted_mean((yf - score) ** 2, w)
    out = base_metrics("Binomial", description, model_key, frame_key, mse, y.shape[0])
    curve = Curve(score, yf, w)
    auc = curve.auc()
    if curve.empty:
        thresholds = maximum = cm_json = None
        mpce, default_threshold = math.nan, 0.5
    else:
        thresholds, maximum, best, crit, ths = thresholds_tables(curve)
        tp, fp = float(crit["tps"][best]), float(crit["fps"][best])
        cm = np.array([[curve.n - fp, fp], [curve.p - tp, tp]])
        cm_json = confusion_matrix_json(cm, list(domain))
        mpce = mean_per_class_error(cm)
        default_threshold = float(ths[best])
    out.update({
        "r2": json_number(weighted_r2(mse, yf, w)),
        "logloss": json_number(logloss(y, p, w)),
        "loglikelihood": "NaN",       # H2O reports no likelihood for Deep Learning
        "AIC": "NaN",
        "AUC": json_number(auc),
        "pr_auc": json_number(curve.pr_auc()),
        "Gini": json_number(2.0 * auc - 1.0),
        "mean_per_class_error": json_number(mpce),
        "domain": [str(d) for d in domain],
        "cm": cm_json,
        "thresholds_and_metric_scores": thresholds,
        "max_criteria_and_metric_scores": maximum,
        "gains_lift_table": gains_lift_table(score, yf, w),
    })
    # Not an H2O metrics field: the trainer copies it to the model output's default_threshold.
    out["default_threshold"] = json_number(default_threshold)
    return out
