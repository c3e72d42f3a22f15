"""Pieces shared by every metrics category: input checking, row filtering, the base fields.

Rows H2O does not score are dropped before any metric: a missing actual (NaN for regression,
a negative class index for classification) and a zero (or NaN) weight. ``nobs`` counts the rows
that remain, so a cross-validation hold-out scored with 0/1 weights reports its own size.
"""
from __future__ import annotations

import time

import numpy as np

from ..json_values import json_number


def key_dict(name: str, kind: str) -> dict | None:
    """A ModelKeyV3 / FrameKeyV3 reference, or None when there is no key."""
    if not name:
        return None
    schema, url = {"Model": ("ModelKeyV3", "/3/Models/"), "Frame": ("FrameKeyV3", "/3/Frames/")}[kind]
    return {"__meta": {"schema_version": 3, "schema_name": schema, "schema_type": f"Key<{kind}>"},
            "name": name, "type": f"Key<{kind}>", "URL": url + name}


def as_weights(weights, n: int) -> np.ndarray:
    """Observation weights as float64 (ones when None), checked against the row count."""
    if weights is None:
        return np.ones(n)
    w = np.asarray(weights, dtype=np.float64).ravel()
    if w.shape[0] != n:
        raise ValueError(f"weights has {w.shape[0]} rows but there are {n} actual values")
    if np.any(w < 0):
        raise ValueError("weights must be >= 0")
    return w


def scored_rows(valid: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Mask of the rows H2O scores: a known actual and a positive weight."""
    return valid & (w > 0) & ~np.isnan(w)


def base_metrics(category: str, description: str, model_key: str, frame_key: str,
                 mse: float, nobs: int, custom_metric_value=0.0) -> dict:
    """The fields every ModelMetrics<category>V3 carries, in H2O's order."""
    schema_type = f"ModelMetrics{category}"
    return {
        "__meta": {"schema_version": 3, "schema_name": schema_type + "V3", "schema_type": schema_type},
        "model": key_dict(model_key, "Model"),
        "model_checksum": 0,          # h2olite does not checksum models/frames; clients never read these
        "frame": key_dict(frame_key, "Frame"),
        "frame_checksum": 0,
        "description": description or None,
        "model_category": category,
        "scoring_time": int(time.time() * 1000),
        "predictions": None,
        "MSE": json_number(mse),
        "RMSE": json_number(np.sqrt(mse) if mse == mse else float("nan")),
        "nobs": int(nobs),
        "custom_metric_name": None,
        "custom_metric_value": custom_metric_value,
    }


def weighted_mean(x: np.ndarray, w: np.ndarray) -> float:
    """sum(w*x)/sum(w); NaN when there is no weight."""
    sw = float(w.sum())
    return float(np.dot(w, x) / sw) if sw > 0 else float("nan")


def weighted_r2(mse: float, y: np.ndarray, w: np.ndarray) -> float:
    """H2O's r2 = 1 - MSE / Var(y), Var the weighted population variance of the actual values
    (class indices for classifiers)."""
    mean = weighted_mean(y, w)
    var = weighted_mean((y - mean) ** 2, w)
    return 1.0 - java_div(mse, var)


def java_div(a: float, b: float) -> float:
    """a / b with IEEE (Java) semantics: x/0 is +-Infinity, 0/0 is NaN, instead of raising."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(np.float64(a) / np.float64(b))
