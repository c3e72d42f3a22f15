"""Regression metrics (ModelMetricsRegressionV3).

``mean_residual_deviance`` is the weighted mean of the unit deviance of the model's distribution,
as H2O's ``Distribution.deviance``: gaussian (y-f)^2, poisson 2(y log(y/f) - y + f),
gamma 2(-log(y/f) + (y-f)/f), tweedie with power p, laplace |y-f|, quantile (pinball loss at
alpha), huber (r^2 inside delta, delta(2r - delta) outside). For huber H2O takes delta as the
``huber_alpha`` quantile (linear interpolation) of the absolute residuals of the frame being scored;
so does ``regression_metrics`` unless the caller gives ``huber_delta``. ``rmsle`` is NaN as soon as one actual or
predicted value is below -1, where log1p is undefined, as H2O.
"""
from __future__ import annotations

import numpy as np

from .common import as_weights, base_metrics, scored_rows, weighted_mean, weighted_r2
from ..json_values import json_number

DISTRIBUTIONS = ("gaussian", "poisson", "gamma", "tweedie", "laplace", "quantile", "huber")


def unit_deviance(y: np.ndarray, f: np.ndarray, distribution: str, tweedie_power: float = 1.5,
                  quantile_alpha: float = 0.5, huber_delta: float | None = None) -> np.ndarray:
    """Per-row deviance of prediction ``f`` for actual ``y`` under ``distribution`` (unweighted)."""
    d = distribution.lower()
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if d in ("gaussian", "auto"):
            return (y - f) ** 2
        if d == "poisson":
            # y log(y/f) -> 0 as y -> 0 (the saturated model's limit)
            ylog = np.where(y == 0, 0.0, y * np.log(y / f))
            return 2.0 * (ylog - y + f)
        if d == "gamma":
            return 2.0 * (-np.log(y / f) + (y - f) / f)
        if d == "tweedie":
            p = float(tweedie_power)
            return 2.0 * (np.power(y, 2 - p) / ((1 - p) * (2 - p))
                          - y * np.power(f, 1 - p) / (1 - p) + np.power(f, 2 - p) / (2 - p))
        if d == "laplace":
            return np.abs(y - f)
        if d == "quantile":
            a = float(quantile_alpha)
            return np.where(y > f, a * (y - f), (1 - a) * (f - y))
        if d == "huber":
            if huber_delta is None:
                raise ValueError("regression_metrics: distribution 'huber' needs huber_delta")
            r = np.abs(y - f)
            delta = float(huber_delta)
            return np.where(r <= delta, r * r, delta * (2.0 * r - delta))
    raise ValueError(f"regression_metrics: unknown distribution {distribution!r}; "
                     f"expected one of {', '.join(DISTRIBUTIONS)}")


def weighted_quantile(x: np.ndarray, w: np.ndarray, prob: float) -> float:
    """Quantile with linear interpolation (numpy's default); with unequal weights, interpolated
    on the weighted empirical CDF at the midpoints of each row's weight."""
    if x.size == 0:
        return float("nan")
    if np.all(w == w[0]):
        return float(np.quantile(x, prob))
    order = np.argsort(x, kind="stable")
    xs, ws = x[order], w[order]
    cdf = (np.cumsum(ws) - 0.5 * ws) / ws.sum()
    return float(np.interp(prob, cdf, xs))


def regression_metrics(actual: np.ndarray, predicted: np.ndarray, weights: np.ndarray | None = None,
                       distribution: str = "gaussian", tweedie_power=1.5, quantile_alpha=0.5,
                       huber_delta=None, description: str = "", model_key: str = "",
                       frame_key: str = "", huber_alpha: float = 0.9) -> dict:
    """ModelMetricsRegressionV3 for predictions in the response's original units."""
    y = np.asarray(actual, dtype=np.float64).ravel()
    f = np.asarray(predicted, dtype=np.float64).ravel()
    if y.shape != f.shape:
        raise ValueError(f"regression_metrics: {y.shape[0]} actual values but {f.shape[0]} predictions")
    w = as_weights(weights, y.shape[0])
    keep = scored_rows(~np.isnan(y), w)
    y, f, w = y[keep], f[keep], w[keep]
    err = y - f
    mse = weighted_mean(err * err, w)
    out = base_metrics("Regression", description, model_key, frame_key, mse, y.shape[0])
    if distribution.lower() == "huber" and huber_delta is None:
        huber_delta = weighted_quantile(np.abs(err), w, huber_alpha)
    dev = unit_deviance(y, f, distribution, tweedie_power, quantile_alpha, huber_delta)
    if np.any(y < -1) or np.any(f < -1):
        rmsle = float("nan")
    else:
        rmsle = np.sqrt(weighted_mean((np.log1p(f) - np.log1p(y)) ** 2, w))
    out.update({
        "r2": json_number(weighted_r2(mse, y, w)),
        "mean_residual_deviance": json_number(weighted_mean(dev, w)),
        "mae": json_number(weighted_mean(np.abs(err), w)),
        "rmsle": json_number(rmsle),
        "loglikelihood": "NaN",       # H2O reports no likelihood for Deep Learning
        "AIC": "NaN",
    })
    return out
