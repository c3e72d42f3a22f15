"""ROC/PR curve of a binary score: exact AUC and AUCPR plus H2O's threshold criteria.

H2O (``hex/AUC2``) squeezes the scores into at most 400 histogram bins and computes everything
on the bins, so its AUC is approximate once there are more than 400 distinct scores. Here the
curve is built from *every* distinct score (sort-based, exact); AUC and AUCPR use H2O's formulas
(trapezoids in (FPR, TPR); the XGBoost-style interpolated PR area) on that exact curve. The
per-threshold table, which clients print and search, keeps at most 400 rows like H2O's: all
distinct scores when there are few, otherwise 400 scores spaced evenly in cumulative weight, so
every row is still an exact (threshold, counts) point.
"""
from __future__ import annotations

import math

import numpy as np

MAX_TABLE_ROWS = 400

# H2O's ThresholdCriterion order (the columns of "Metrics for Thresholds").
CRITERIA = ("f1", "f2", "f0point5", "accuracy", "precision", "recall", "specificity",
            "absolute_mcc", "min_per_class_accuracy", "mean_per_class_accuracy",
            "tns", "fns", "fps", "tps", "tnr", "fnr", "fpr", "tpr")
INTEGER_CRITERIA = ("tns", "fns", "fps", "tps")


class Curve:
    """Cumulative true/false positive weights at descending thresholds (score >= threshold)."""

    def __init__(self, scores: np.ndarray, positive: np.ndarray, w: np.ndarray):
        order = np.argsort(-scores, kind="stable")
        s, pos, ww = scores[order], positive[order], w[order]
        tp = np.cumsum(ww * pos)
        fp = np.cumsum(ww * (1.0 - pos))
        last = np.r_[np.nonzero(np.diff(s))[0], s.size - 1] if s.size else np.zeros(0, dtype=int)
        self.thresholds = s[last]
        self.tps = tp[last]
        self.fps = fp[last]
        self.p = float(tp[-1]) if s.size else 0.0
        self.n = float(fp[-1]) if s.size else 0.0
        self.cum_weight = np.cumsum(ww)[last] if s.size else np.zeros(0)

    @property
    def empty(self) -> bool:
        return self.thresholds.size == 0

    def auc(self) -> float:
        """Area under (FPR, TPR) by trapezoids; 1 with no negatives, 0 with no positives (H2O)."""
        if self.empty:
            return math.nan
        if self.fps[-1] == 0:
            return 1.0
        if self.tps[-1] == 0:
            return 0.0
        tp0 = np.r_[0.0, self.tps[:-1]]
        fp0 = np.r_[0.0, self.fps[:-1]]
        area = np.sum((self.fps - fp0) * (self.tps + tp0) / 2.0)
        return float(area / self.p / self.n)

    def pr_auc(self) -> float:
        """H2O's ``AUC2.pr_auc``: precision interpolated between points as XGBoost does."""
        if self.empty:
            return math.nan
        if self.fps[-1] == 0:
            return 1.0
        if self.tps[-1] == 0:
            return 0.0
        tp, fp = self.tps, self.fps
        prevtp, prevfp = np.r_[0.0, tp[:-1]], np.r_[0.0, fp[:-1]]
        with np.errstate(divide="ignore", invalid="ignore"):
            same = tp == prevtp
            h = np.where(same, 0.0, (fp - prevfp) / np.where(same, 1.0, tp - prevtp))
            a = np.where(same, 1.0, 1.0 + h)
            b = np.where(same, 0.0, (prevfp - h * prevtp) / self.p)
            tpp, prevtpp = tp / self.p, prevtp / self.p
            curved = (tpp - prevtpp - b / a * (np.log(a * tpp + b) - np.log(a * prevtpp + b))) / a
            straight = (tpp - prevtpp) / a
            area = np.sum(np.where(b != 0.0, curved, straight))
        return float(area)

    def table_rows(self) -> np.ndarray:
        """Indices of the curve points shown in the thresholds table (<= 400, last one kept)."""
        m = self.thresholds.size
        if m <= MAX_TABLE_ROWS:
            return np.arange(m)
        targets = self.cum_weight[-1] * np.arange(1, MAX_TABLE_ROWS + 1) / MAX_TABLE_ROWS
        idx = np.searchsorted(self.cum_weight, targets, side="left").clip(0, m - 1)
        return np.unique(np.r_[idx, m - 1])


def criteria(tp: np.ndarray, fp: np.ndarray, p: float, n: float) -> dict[str, np.ndarray]:
    """Every ThresholdCriterion of H2O at the given cumulative counts (0/0 -> NaN as in Java)."""
    tp = np.asarray(tp, dtype=np.float64)
    fp = np.asarray(fp, dtype=np.float64)
    fn, tn = p - tp, n - fp
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = tp / (tp + fp)
        recall = tp / (tp + fn)
        specificity = tn / (tn + fp)
        num = tp * tn - fp * fn
        mcc = np.where(num == 0, 0.0,
                       np.abs(num / np.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn))))
        out = {
            "f1": 2.0 * (precision * recall) / (precision + recall),
            "f2": 5.0 * (precision * recall) / (4.0 * precision + recall),
            "f0point5": 1.25 * (precision * recall) / (0.25 * precision + recall),
            "accuracy": (tn + tp) / (tp + fn + tn + fp),
            "precision": precision,
            "recall": recall,
            "specificity": specificity,
            "absolute_mcc": np.minimum(mcc, 1.0),
            "min_per_class_accuracy": np.minimum(recall, specificity),
            "mean_per_class_accuracy": 0.5 * (recall + specificity),
            "tns": tn, "fns": fn, "fps": fp, "tps": tp,
            "tnr": tn / (fp + tn), "fnr": fn / (fn + tp), "fpr": fp / (fp + tn), "tpr": tp / (tp + fn),
        }
    return out


def max_index(values: np.ndarray) -> int:
    """H2O's ``max_criterion_idx``: first index of the largest non-NaN value, -1 if none."""
    if values.size == 0 or np.all(np.isnan(values)):
        return -1
    return int(np.nanargmax(values))
