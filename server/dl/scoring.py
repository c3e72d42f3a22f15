"""Scoring a model: H2O metrics JSON for prepared rows or for a whole frame."""
from __future__ import annotations

import math

import numpy as np

from ..errors import H2OError
from ..frames import Frame
from .model import DeepLearningModel


def score_metrics(model: DeepLearningModel, net, X, actual, weights, offset, frame_key: str,
                  description: str, threads: int = 1) -> dict:
    """H2O metrics JSON of ``net`` on prepared rows (NA responses are left out), scored on
    ``threads`` threads."""
    out = model.raw_outputs(X, offset, net, threads)
    if model.is_autoencoder:
        from ..metrics import autoencoder_metrics
        row_mse = ((out.astype(np.float64) - X) ** 2).mean(axis=1)
        return autoencoder_metrics(row_mse, weights, description=description, model_key=model.key,
                                   frame_key=frame_key)
    return metrics_from_outputs(model, out, actual, weights, frame_key, description)


def metrics_from_outputs(model: DeepLearningModel, out: np.ndarray, actual: np.ndarray,
                         weights: np.ndarray | None, frame_key: str, description: str) -> dict:
    """Supervised metrics of predictions ``out`` (probabilities, or response-unit values)."""
    from ..metrics import binomial_metrics, multinomial_metrics, regression_metrics
    kw = dict(description=description, model_key=model.key, frame_key=frame_key)
    ok = ~np.isnan(actual)
    if weights is not None:
        ok &= ~np.isnan(weights)
        weights = weights[ok]
    if model.is_classifier:
        domain = list(model.data_info.response_domain)
        fn = binomial_metrics if model.category == "Binomial" else multinomial_metrics
        return fn(actual[ok].astype(np.int64), out[ok], weights, domain, **kw)
    p = model.params
    return regression_metrics(actual[ok], out[ok], weights, distribution=p["distribution"],
                              tweedie_power=float(p["tweedie_power"]),
                              quantile_alpha=float(p["quantile_alpha"]), **kw)


def history_metric_names(category: str) -> list[tuple[str, str]]:
    """(history column suffix, metric name) per model category, in H2O's column order."""
    return {
        "Binomial": [("rmse", "RMSE"), ("logloss", "logloss"), ("r2", "r2"), ("auc", "AUC"),
                     ("pr_auc", "AUCPR"), ("lift", "lift_top_group"),
                     ("classification_error", "misclassification")],
        "Multinomial": [("rmse", "RMSE"), ("logloss", "logloss"), ("r2", "r2"),
                        ("classification_error", "misclassification"), ("auc", "AUC"),
                        ("pr_auc", "AUCPR")],
        "Regression": [("rmse", "RMSE"), ("deviance", "deviance"), ("mae", "MAE"), ("r2", "r2")],
        "AutoEncoder": [("rmse", "RMSE"), ("mse", "MSE")],
    }[category]


def metric_or_nan(metrics: dict | None, name: str) -> float:
    from ..metrics import metric_value
    if metrics is None:
        return math.nan
    try:
        v = metric_value(metrics, name)
    except (KeyError, ValueError, TypeError):
        return math.nan
    return math.nan if v is None else float(v)


def metrics_on_frame(model: DeepLearningModel, frame: Frame) -> dict:
    """``model_performance(test_data)``: score ``frame`` now (it must hold the response)."""
    if not model.is_autoencoder and not frame.has(model.response_column):
        raise H2OError(f"Frame '{frame.key}' has no response column '{model.response_column}' "
                       f"to compute metrics of model '{model.key}'", column=model.response_column)
    X = model.data_info.expand(frame)
    actual = actual_values(model, frame)
    wcol = model.params.get("weights_column")
    weights = frame.col(wcol).as_float() if wcol and frame.has(wcol) else None
    return score_metrics(model, model.net, X, actual, weights, model.offset_for(frame),
                         frame.key or "", "")


def actual_values(model: DeepLearningModel, frame: Frame) -> np.ndarray:
    """What metrics compare predictions with: class index (NaN if NA/unseen) or the raw response."""
    if model.is_autoencoder:
        return np.zeros(frame.nrow)
    if model.is_classifier:
        return model.data_info.response_values(frame).astype(np.float64)
    return frame.col(model.response_column).as_float()
