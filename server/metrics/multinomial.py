"""Multinomial metrics (ModelMetricsMultinomialV3).

H2O's multiclass MSE is the mean of (1 - p_actual)^2 (not the sum over classes); r2 compares it
with the variance of the class index. The predicted class is the most probable one. AUC/AUCPR
are only computed when ``auc_type`` asks for them (MACRO_OVR, WEIGHTED_OVR, MACRO_OVO,
WEIGHTED_OVO) and there are at most 50 classes, as H2O; otherwise they are NaN and the
per-class AUC tables are null. Pairwise (OVO) AUCs are Hand & Till's average of the two
one-against-the-other AUCs, as ``hex/MultinomialAUC``.
"""
from __future__ import annotations

import math

import numpy as np

from .auc import Curve
from .binomial import check_probs, logloss
from .common import as_weights, base_metrics, scored_rows, weighted_mean, weighted_r2
from .confusion import confusion_matrix_json, count_matrix, mean_per_class_error
from ..json_values import json_number
from .tables import two_dim_table

AUC_TYPES = ("AUTO", "NONE", "MACRO_OVR", "WEIGHTED_OVR", "MACRO_OVO", "WEIGHTED_OVO")
MAX_AUC_CLASSES = 50
MAX_HIT_RATIO_K = 10


def hit_ratios(y: np.ndarray, p: np.ndarray, w: np.ndarray, k: int) -> np.ndarray:
    """Weighted share of rows whose actual class is among the top-1..top-k predicted classes."""
    if y.size == 0:
        return np.full(k, np.nan)
    # rank of the actual class: classes strictly more probable, plus equally probable ones before it
    pa = p[np.arange(y.size), y][:, None]
    cols = np.arange(p.shape[1])[None, :]
    rank = np.sum((p > pa) | ((p == pa) & (cols < y[:, None])), axis=1)
    hits = np.bincount(np.minimum(rank, k), weights=w, minlength=k + 1)[:k]
    return np.cumsum(hits) / w.sum()


def _hit_ratio_table(ratios: np.ndarray) -> dict:
    k = ratios.size
    return two_dim_table(f"Top-{k} Hit Ratios", "", [("K", "string", "%s"), ("Hit Ratio", "float", "%f")],
                         [[str(i + 1), float(r)] for i, r in enumerate(ratios)])


def _auc_table(metric: str, domain: list[str], ovr: list, ovo: list, aggregates: list) -> dict:
    rows, headers = [], []
    for d, value in zip(domain, ovr):
        headers.append(f"{d} vs Rest")
        rows.append([d, None, value])
    headers += ["Macro OVR", "Weighted OVR"]
    rows += [[None, None, aggregates[0]], [None, None, aggregates[1]]]
    for (d1, d2), value in ovo:
        headers.append(f"Class {d1} vs. {d2}")
        rows.append([d1, d2, value])
    headers += ["Macro OVO", "Weighted OVO"]
    rows += [[None, None, aggregates[2]], [None, None, aggregates[3]]]
    table = two_dim_table(f"Multinomial {metric} values", "",
                          [("First class domain", "string", "%s"), ("Second class domain", "string", "%s"),
                           (metric, "double", "%d")], rows, row_headers=headers)
    table["columns"][0]["name"], table["columns"][0]["description"] = "type", "Type"
    return table


def multinomial_auc(y: np.ndarray, p: np.ndarray, w: np.ndarray, domain: list[str], auc_type: str):
    """(AUC, AUCPR, AUC table, AUCPR table) for the requested ``auc_type``."""
    k = len(domain)
    ovr_auc, ovr_pr, ovr_pos = [], [], []
    for c in range(k):
        curve = Curve(p[:, c], (y == c).astype(np.float64), w)
        ovr_auc.append(curve.auc())
        ovr_pr.append(curve.pr_auc())
        ovr_pos.append(curve.p)
    n_cases = float(w.sum())
    ovo_auc, ovo_pr, ovo_pos = [], [], []
    for i in range(k - 1):
        for j in range(i + 1, k):
            rows = (y == i) | (y == j)
            first = Curve(p[rows, i], (y[rows] == i).astype(np.float64), w[rows])
            second = Curve(p[rows, j], (y[rows] == j).astype(np.float64), w[rows])
            ovo_auc.append(((domain[i], domain[j]), (first.auc() + second.auc()) / 2.0))
            ovo_pr.append(((domain[i], domain[j]), (first.pr_auc() + second.pr_auc()) / 2.0))
            ovo_pos.append((first.p + second.p) / n_cases if n_cases > 0 else math.nan)

    def aggregates(ovr, ovo):
        pos = np.array(ovr_pos)
        vals = np.array([v for _, v in ovo])
        wts = np.array(ovo_pos)
        with np.errstate(divide="ignore", invalid="ignore"):
            return [float(np.mean(ovr)), float(np.dot(ovr, pos) / pos.sum()),
                    float(np.mean(vals)) if vals.size else math.nan,
                    float(np.dot(vals, wts) / wts.sum()) if vals.size else math.nan]

    agg_auc, agg_pr = aggregates(ovr_auc, ovo_auc), aggregates(ovr_pr, ovo_pr)
    pick = {"MACRO_OVR": 0, "WEIGHTED_OVR": 1, "MACRO_OVO": 2, "WEIGHTED_OVO": 3}[auc_type]
    return (agg_auc[pick], agg_pr[pick], _auc_table("AUC", domain, ovr_auc, ovo_auc, agg_auc),
            _auc_table("auc_pr", domain, ovr_pr, ovo_pr, agg_pr))


def multinomial_metrics(actual: np.ndarray, probs: np.ndarray, weights=None, domain: list[str] = None,
                        description: str = "", model_key: str = "", frame_key: str = "",
                        auc_type: str = "NONE") -> dict:
    """ModelMetricsMultinomialV3 from class indices and [n, K] class probabilities."""
    if domain is None or len(domain) < 2:
        raise ValueError(f"multinomial_metrics: domain must list the class levels; got {domain!r}")
    auc_type = str(auc_type or "NONE").upper()
    if auc_type not in AUC_TYPES:
        raise ValueError(f"auc_type must be one of {', '.join(AUC_TYPES)}; got {auc_type!r}")
    y, p = check_probs(actual, probs, len(domain), "multinomial_metrics")
    w = as_weights(weights, y.shape[0])
    keep = scored_rows(y >= 0, w) & ~np.any(np.isnan(p), axis=1)
    y, p, w = y[keep], p[keep], w[keep]
    pa = p[np.arange(y.size), y]
    mse = weighted_mean((1.0 - pa) ** 2, w)
    out = base_metrics("Multinomial", description, model_key, frame_key, mse, y.shape[0])
    cm = count_matrix(y, np.argmax(p, axis=1) if y.size else y, w, len(domain))
    k_hits = min(MAX_HIT_RATIO_K, len(domain))
    auc = pr_auc = math.nan
    auc_table = aucpr_table = None
    if auc_type not in ("AUTO", "NONE") and len(domain) <= MAX_AUC_CLASSES and y.size:
        auc, pr_auc, auc_table, aucpr_table = multinomial_auc(y, p, w, list(domain), auc_type)
    out.update({
        "r2": json_number(weighted_r2(mse, y.astype(np.float64), w)),
        "hit_ratio_table": _hit_ratio_table(hit_ratios(y, p, w, k_hits)),
        "cm": confusion_matrix_json(cm, [str(d) for d in domain]),
        "logloss": json_number(logloss(y, p, w)),
        "loglikelihood": "NaN",       # H2O reports no likelihood for Deep Learning
        "AIC": "NaN",
        "mean_per_class_error": json_number(mean_per_class_error(cm)),
        "AUC": json_number(auc),
        "pr_auc": json_number(pr_auc),
        "multinomial_auc_table": auc_table,
        "multinomial_aucpr_table": aucpr_table,
    })
    return out
