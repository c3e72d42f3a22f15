"""Reading one number out of a metrics dict, and H2O's early-stopping rule (``hex/ScoreKeeper``).

``metric_value`` accepts H2O's stopping-metric names (deviance, logloss, MSE, RMSE, MAE, RMSLE,
AUC, AUCPR, lift_top_group, misclassification, mean_per_class_error, custom,
custom_increasing) and the grid sort names (r2, err, err_count, accuracy, f1, precision, ...),
case-insensitively. A metric the category does not have is NaN (as a ScoreKeeper leaves it),
which ``stop_early`` treats as "do not stop". AUTO must be resolved by the caller (logloss for
classifiers, deviance for regression, MSE for autoencoders).
"""
from __future__ import annotations

import math

from .confusion import cm_scalars, matrix_from_json
from ..json_values import as_float
from .tables import table_column

_FIELDS = {"mse": "MSE", "rmse": "RMSE", "mae": "mae", "rmsle": "rmsle", "logloss": "logloss",
           "auc": "AUC", "aucpr": "pr_auc", "pr_auc": "pr_auc", "r2": "r2", "gini": "Gini",
           "mean_per_class_error": "mean_per_class_error", "nobs": "nobs",
           "deviance": "mean_residual_deviance", "mean_residual_deviance": "mean_residual_deviance",
           "residual_deviance": "mean_residual_deviance",
           "custom": "custom_metric_value", "custom_increasing": "custom_metric_value"}
_CM_NAMES = {"misclassification": "err", "classification_error": "err", "err": "err",
             "err_count": "err_count", "accuracy": "accuracy", "max_per_class_error": "max_per_class_error",
             "mean_per_class_accuracy": "mean_per_class_accuracy", "f1": "f1", "f2": "f2",
             "f0point5": "f0point5", "precision": "precision", "recall": "recall",
             "specificity": "specificity", "mcc": "mcc"}
_MORE_IS_BETTER = {"auc", "aucpr", "pr_auc", "lift_top_group", "r2", "gini", "accuracy", "f1", "f2",
                   "f0point5", "precision", "recall", "specificity", "mcc", "mean_per_class_accuracy",
                   "custom_increasing"}
_LOWER_BOUNDED_BY_ZERO = {"logloss", "mse", "rmse", "mae", "rmsle", "auc", "aucpr",
                          "misclassification", "mean_per_class_error"}
KNOWN = sorted(set(_FIELDS) | set(_CM_NAMES) | {"lift_top_group"})


def _key(name: str) -> str:
    key = str(name).strip().lower()
    if key not in KNOWN:
        raise ValueError(f"unknown metric {name!r}; expected one of {', '.join(KNOWN)}")
    return key


def metric_value(metrics: dict, name: str) -> float:
    """The value of metric ``name`` in a metrics dict made by this package (NaN when absent)."""
    key = _key(name)
    if key == "lift_top_group":
        table = metrics.get("gains_lift_table")
        return as_float(table_column(table, "lift")[0]) if table else math.nan
    if key in _CM_NAMES:
        cm = metrics.get("cm")
        if not cm:
            return math.nan
        return float(cm_scalars(matrix_from_json(cm)).get(_CM_NAMES[key], math.nan))
    return as_float(metrics.get(_FIELDS[key]))


def is_more_better(name: str) -> bool:
    """True for metrics where larger is better (AUC, AUCPR, lift_top_group, r2, accuracy, ...)."""
    return _key(name) in _MORE_IS_BETTER


def is_lower_bounded_by_zero(name: str) -> bool:
    """H2O's ``StoppingMetric.isLowerBoundBy0``: a moving average of 0 means converged."""
    return _key(name) in _LOWER_BOUNDED_BY_ZERO


def _sign(x: float) -> float:
    return 0.0 if x == 0 else math.copysign(1.0, x)


def stop_early(values: list[float], k: int, tolerance: float, more_is_better: bool,
               lower_bounded_by_zero: bool) -> bool:
    """``ScoreKeeper.stopEarly``: compare the moving average (window k) of the k scoring events
    before the last k with the best of the k moving averages after it.

    ``values`` holds the metric of every scoring-history row, the initial unscored row first, so
    k rounds need at least 2k+1 values (stopping_rounds=5: 11 rows).
    """
    if k <= 0:
        return False
    vals = [as_float(v) for v in values]
    if len(vals) - 1 < 2 * k:
        return False
    start = len(vals) - 2 * k
    moving = []
    for i in range(k + 1):
        avg = sum(vals[start + i: start + i + k]) / k
        if math.isnan(avg):
            return False
        moving.append(avg)
    ref, later = moving[0], moving[1:]
    if lower_bounded_by_zero and ref == 0.0:
        return True
    extreme = max(later) if more_is_better else min(later)
    if _sign(max(moving)) != _sign(min(moving)) or _sign(extreme) != _sign(ref):
        return False
    with_ratio = extreme / ref if ref != 0 else math.nan
    if math.isnan(with_ratio):
        return False
    return with_ratio <= 1 + tolerance if more_is_better else with_ratio >= 1 - tolerance
