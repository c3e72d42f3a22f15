"""The "Cross-Validation Metrics Summary" table (``ModelBuilder.makeCrossValidationSummaryTable``).

One row per metric, alphabetically, with the mean and sample SD (n-1) over the folds and each
fold's hold-out value, all stored as float. H2O finds the rows by reflection (every zero-argument
double accessor of the metrics class and of its confusion matrix); the lists below are what that
yields for Deep Learning models, checked against H2O 3.46. NaN fold values (aic, loglikelihood,
a multinomial AUC that was not computed) are left out of the mean and SD; with none left the mean
is NaN and the SD 0, as H2O prints.
"""
from __future__ import annotations

import math

import numpy as np

from .confusion import cm_scalars, matrix_from_json
from ..json_values import as_float
from .stopping import metric_value
from .tables import two_dim_table

ROWS = {
    "Binomial": ("accuracy", "aic", "auc", "err", "err_count", "f0point5", "f1", "f2", "lift_top_group",
                 "loglikelihood", "logloss", "max_per_class_error", "mcc", "mean_per_class_accuracy",
                 "mean_per_class_error", "mse", "pr_auc", "precision", "r2", "recall", "rmse",
                 "specificity"),
    "Multinomial": ("accuracy", "aic", "auc", "err", "err_count", "loglikelihood", "logloss",
                    "max_per_class_error", "mean_per_class_accuracy", "mean_per_class_error", "mse",
                    "pr_auc", "r2", "rmse"),
    "Regression": ("aic", "loglikelihood", "mae", "mean_residual_deviance", "mse", "r2",
                   "residual_deviance", "rmse", "rmsle"),
}
_FIELDS = {"aic": "AIC", "loglikelihood": "loglikelihood", "auc": "AUC", "pr_auc": "pr_auc",
           "logloss": "logloss", "mse": "MSE", "rmse": "RMSE", "r2": "r2", "mae": "mae", "rmsle": "rmsle",
           "mean_residual_deviance": "mean_residual_deviance",
           "residual_deviance": "mean_residual_deviance", "mean_per_class_error": "mean_per_class_error"}


def _fold_values(metrics: dict, rows: tuple[str, ...]) -> list[float]:
    scalars = cm_scalars(matrix_from_json(metrics["cm"])) if metrics.get("cm") else {}
    out = []
    for name in rows:
        if name == "lift_top_group":
            out.append(metric_value(metrics, "lift_top_group"))
        elif name in _FIELDS and name != "mean_per_class_error":
            out.append(as_float(metrics.get(_FIELDS[name])))
        else:   # confusion-matrix accessors (mean_per_class_error too: H2O's metrics read it from the CM)
            out.append(float(scalars.get(name, math.nan)))
    return out


def cv_metrics_summary(fold_metrics: list[dict], model_category: str) -> dict:
    """The summary TwoDimTable from each CV model's validation (hold-out) metrics dict."""
    if model_category not in ROWS:
        raise ValueError(f"cv_metrics_summary: no cross-validation summary for model category "
                         f"{model_category!r} (expected Binomial, Multinomial or Regression)")
    if not fold_metrics:
        raise ValueError("cv_metrics_summary: no fold metrics given")
    rows = ROWS[model_category]
    values = np.array([_fold_values(m, rows) for m in fold_metrics], dtype=np.float64)
    table_rows = []
    for j in range(len(rows)):
        col = values[:, j]
        finite = col[~np.isnan(col)]
        mean = float(finite.mean()) if finite.size else math.nan
        sd = float(finite.std(ddof=1)) if finite.size > 1 else 0.0
        table_rows.append([mean, sd] + [float(v) for v in col])
    n = len(fold_metrics)
    columns = [("mean", "float", "%f"), ("sd", "float", "%f")]
    columns += [(f"cv_{i + 1}_valid", "float", "%f") for i in range(n)]
    return two_dim_table("Cross-Validation Metrics Summary", "", columns, table_rows,
                         row_headers=list(rows))
