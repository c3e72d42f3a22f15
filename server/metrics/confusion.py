"""Confusion matrices: counting, the derived rates, and H2O's "Confusion Matrix" table.

The table follows ``hex/ConfusionMatrix.toTable``: one column per predicted class, then
``Error`` (class error = off-diagonal / row total) and ``Rate`` (``"157 / 227"``, with thousands
separators); a last ``Totals`` row. Counts are ``long`` when every cell is whole (no fractional
weights), else ``double`` shown with two decimals. The table has no row-header column on the
wire (H2O builds it without one); clients label the rows from the domain.
"""
from __future__ import annotations

import math

import numpy as np

from .tables import table_rows, two_dim_table

_CM_META = {"schema_version": 3, "schema_name": "ConfusionMatrixV3", "schema_type": "ConfusionMatrix"}


def count_matrix(actual: np.ndarray, predicted: np.ndarray, w: np.ndarray, k: int) -> np.ndarray:
    """[actual][predicted] sums of weights."""
    cm = np.zeros((k, k))
    np.add.at(cm, (actual, predicted), w)
    return cm


def _div(a: float, b: float) -> float:
    return a / b if b != 0 else (math.nan if a == 0 else math.copysign(math.inf, a))


def class_errors(cm: np.ndarray) -> np.ndarray:
    """Per-class error; 0 for a class without actual rows (H2O: "0 is nicer" than NaN)."""
    totals = cm.sum(axis=1)
    diag = np.diag(cm)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(totals == 0, 0.0, (totals - diag) / totals)


def mean_per_class_error(cm: np.ndarray) -> float:
    return float(class_errors(cm).mean())


def cm_scalars(cm: np.ndarray) -> dict[str, float]:
    """The zero-argument accessors of H2O's ConfusionMatrix used in the CV summary; the binary-only
    ones (precision, recall, ...) only for two classes, as Java throws for more."""
    n = float(cm.sum())
    err_count = n - float(np.trace(cm))
    out = {"accuracy": 1.0 - _div(err_count, n), "err": _div(err_count, n), "err_count": err_count,
           "max_per_class_error": float(class_errors(cm).max()) if cm.shape[0] else math.nan,
           "mean_per_class_accuracy": 1.0 - mean_per_class_error(cm),
           "mean_per_class_error": mean_per_class_error(cm)}
    if cm.shape[0] == 2:
        tn, fp, fn, tp = float(cm[0, 0]), float(cm[0, 1]), float(cm[1, 0]), float(cm[1, 1])
        precision, recall = _div(tp, tp + fp), _div(tp, tp + fn)
        out.update({
            "specificity": _div(tn, tn + fp), "recall": recall, "precision": precision,
            "mcc": _div(tp * tn - fp * fn, math.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn))),
            "f1": _div(2.0 * precision * recall, precision + recall),
            "f2": _div(5.0 * precision * recall, 4.0 * precision + recall),
            "f0point5": _div(1.25 * precision * recall, 0.25 * precision + recall),
        })
    return out


def _rate(err: float, total: float, whole: bool, decimals: int) -> str:
    if whole:
        return f"{int(err):,d} / {int(total):,d}"
    return f"{err:.{decimals}f} / {total:.{decimals}f}"


def confusion_matrix_json(cm: np.ndarray, domain: list[str]) -> dict:
    """ConfusionMatrixV3 ``{"__meta", "table"}`` for a [actual][predicted] matrix."""
    cm = np.asarray(cm, dtype=np.float64)
    k = cm.shape[0]
    if cm.shape != (k, k) or len(domain) != k:
        raise ValueError(f"confusion matrix of shape {cm.shape} does not match a domain of {len(domain)} levels")
    whole = bool(np.all(cm == np.floor(cm)))
    acts, preds = cm.sum(axis=1), cm.sum(axis=0)
    errs = acts - np.diag(cm)
    total, terr = float(acts.sum()), float(errs.sum())
    rates = [_rate(errs[a], acts[a], whole, 4) for a in range(k)] + [_rate(terr, total, whole, 2)]
    width = max(len(r) for r in rates)
    count_type, count_fmt = ("long", "%d") if whole else ("double", "%.2f")
    columns = [(str(d), count_type, count_fmt) for d in domain]
    columns += [("Error", "double", "%.4f"), ("Rate", "string", f"= %{width}s")]
    rows = []
    for a in range(k):
        counts = [int(c) if whole else float(c) for c in cm[a]]
        rows.append(counts + [_div(errs[a], acts[a]), rates[a]])
    totals = [int(c) if whole else float(c) for c in preds]
    rows.append(totals + [_div(terr, total), rates[-1]])
    table = two_dim_table("Confusion Matrix", "Row labels: Actual class; Column labels: Predicted class",
                          columns, rows, pythonify=False)
    return {"__meta": dict(_CM_META), "table": table}


def matrix_from_json(cm_json: dict) -> np.ndarray:
    """Recover the [actual][predicted] counts from a ConfusionMatrixV3 dict."""
    rows = table_rows(cm_json["table"])[:-1]        # drop Totals
    return np.array([[float(v) for v in r[:-2]] for r in rows], dtype=np.float64)
