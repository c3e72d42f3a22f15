"""Autoencoder metrics (ModelMetricsAutoEncoderV3): only the base fields.

``MSE`` is the weighted mean of the per-row reconstruction MSE (each row's mean squared error over
the model's expanded, normalised input columns, as ``h2o.anomaly`` reports it); ``RMSE`` its root.
H2O writes ``custom_metric_value`` as NaN for autoencoders (0.0 for supervised models); so do we.
"""
from __future__ import annotations

import numpy as np

from .common import as_weights, base_metrics, scored_rows, weighted_mean


def autoencoder_metrics(row_mse: np.ndarray, weights=None, description: str = "", model_key: str = "",
                        frame_key: str = "") -> dict:
    """ModelMetricsAutoEncoderV3 from the per-row reconstruction errors."""
    err = np.asarray(row_mse, dtype=np.float64).ravel()
    w = as_weights(weights, err.shape[0])
    keep = scored_rows(~np.isnan(err), w)
    err, w = err[keep], w[keep]
    return base_metrics("AutoEncoder", description, model_key, frame_key, weighted_mean(err, w),
                        err.shape[0], custom_metric_value="NaN")
