"""H2O's "Gains/Lift Table" for a binary score (``hex/GainsLift``).

Rows are groups of descending score cut at the score quantiles 0.99, 0.98, 0.97, 0.96, 0.95,
0.9, 0.85, 0.8, 0.7, ..., 0.1, 0 (linear interpolation; repeated cut points merged), so the first
group is the top ~1% of rows. A row falls in the first group whose lower threshold it reaches.
Unweighted, this matches H2O-3 3.46 to the last digit. With observation weights H2O's table is
broken (its "Score" divides a weighted score sum by an unweighted count, giving average scores
above 1, and its weighted quantiles leave the first group empty with NaN cumulative lift); here
every column is the documented quantity computed with weights: weighted quantile cut points,
weighted counts, weighted mean scores.
"""
from __future__ import annotations

import numpy as np

from .regression import weighted_quantile
from .tables import two_dim_table

QUANTILES = (0.99, 0.98, 0.97, 0.96, 0.95, 0.9, 0.85, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.0)

_COLUMNS = [("Group", "int", "%d"), ("Cumulative Data Fraction", "double", "%.8f"),
            ("Lower Threshold", "double", "%5f"), ("Lift", "double", "%5f"),
            ("Cumulative Lift", "double", "%5f"), ("Response Rate", "double", "%5f"),
            ("Score", "double", "%5f"), ("Cumulative Response Rate", "double", "%5f"),
            ("Cumulative Score", "double", "%5f"), ("Capture Rate", "double", "%5f"),
            ("Cumulative Capture Rate", "double", "%5f"), ("Gain", "double", "%5f"),
            ("Cumulative Gain", "double", "%5f"), ("Kolmogorov Smirnov", "double", "%5f")]


def _pct(x: float) -> str:
    return f"{100.0 * x:.2f} %"


def gains_lift_table(scores: np.ndarray, positive: np.ndarray, w: np.ndarray) -> dict | None:
    """The table for scores of the positive class, or None when there is nothing to group."""
    total_w = float(w.sum())
    if scores.size == 0 or total_w <= 0:
        return None
    if np.all(w == w[0]):
        qs = np.quantile(scores, QUANTILES).tolist()
    else:
        qs = [weighted_quantile(scores, w, q) for q in QUANTILES]
    cuts = sorted(set(qs), reverse=True)
    cuts = np.array(cuts)
    # group index = number of cuts strictly above the score (first t with score >= cuts[t])
    group = np.searchsorted(-cuts, -scores, side="left")
    group = np.minimum(group, cuts.size - 1)
    obs = np.bincount(group, weights=w, minlength=cuts.size)
    events = np.bincount(group, weights=w * positive, minlength=cuts.size)
    score_sum = np.bincount(group, weights=w * scores, minlength=cuts.size)
    E = float(events.sum())
    NE = total_w - E
    P = E / total_w
    avg_score = float(score_sum.sum()) / total_w
    rows = []
    cum_n = cum_e = cum_s = 0.0
    with np.errstate(divide="ignore", invalid="ignore"):
        for i in range(cuts.size):
            n_i, e_i, s_i = float(obs[i]), float(events[i]), float(score_sum[i])
            cum_n += n_i
            cum_e += e_i
            cum_s += s_i
            rate = e_i / n_i if n_i > 0 else 0.0
            lift = np.float64(rate) / P
            cum_lift = np.float64(cum_e) / cum_n / P
            rows.append([i + 1, cum_n / total_w, float(cuts[i]), float(lift), float(cum_lift), rate,
                         s_i / n_i if n_i > 0 else 0.0, cum_e / cum_n, cum_s / cum_n,
                         float(np.float64(e_i) / E), float(np.float64(cum_e) / E),
                         float(100.0 * (lift - 1.0)), float(100.0 * (cum_lift - 1.0)),
                         float(abs(np.float64(cum_e) / E - np.float64(cum_n - cum_e) / NE))])
    return two_dim_table("Gains/Lift Table",
                         f"Avg response rate: {_pct(P)}, avg score: {_pct(avg_score)}",
                         _COLUMNS, rows)
