"""Model metrics and H2O's two-dimensional tables, as pure numpy -> JSON-ready dicts.

The trainer and the REST layer call these with arrays (actuals, predictions, weights) and get
back exactly the JSON H2O-3 sends for ``ModelMetrics<Category>V3`` and ``TwoDimTableV3``;
non-finite numbers are the strings "NaN"/"Infinity" as H2O writes them (see ``server.json_values``).

  tables.py       two_dim_table (TwoDimTableV3, the pythonify header rule)
  regression.py   regression_metrics (per-distribution deviance)
  binomial.py     binomial_metrics (+ auc.py: exact ROC/PR curve and threshold criteria,
                  confusion.py: confusion matrices, gains_lift.py: Gains/Lift table)
  multinomial.py  multinomial_metrics (hit ratios, optional OVR/OVO AUC tables)
  autoencoder.py  autoencoder_metrics
  stopping.py     metric_value, is_more_better, stop_early (ScoreKeeper's moving-average rule)
  cv_summary.py   cv_metrics_summary ("Cross-Validation Metrics Summary")
"""
from .autoencoder import autoencoder_metrics
from .binomial import binomial_metrics
from .confusion import confusion_matrix_json
from .cv_summary import cv_metrics_summary
from ..json_values import as_float, json_number
from .multinomial import multinomial_metrics
from .regression import regression_metrics
from .stopping import is_lower_bounded_by_zero, is_more_better, metric_value, stop_early
from .tables import pythonify, table_column, table_rows, two_dim_table

__all__ = ["two_dim_table", "pythonify", "table_rows", "table_column", "regression_metrics",
           "binomial_metrics", "multinomial_metrics", "autoencoder_metrics", "confusion_matrix_json",
           "metric_value", "is_more_better", "is_lower_bounded_by_zero", "stop_early",
           "cv_metrics_summary", "json_number", "as_float"]
