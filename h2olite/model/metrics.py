"""Metrics objects wrapping H2O's ModelMetrics*V3 JSON, with h2o-py's getters and printing.

``m["MSE"]`` reads the raw JSON; ``m.mse()`` etc. take no flags (the flags live on the model).
The class follows the model category: Binomial, Multinomial, Regression, else the default
class (auto-encoders: MSE/RMSE only).
"""
from __future__ import annotations

import numbers

from .confusion_matrix import ConfusionMatrix

_ON = {"training_metrics": "train", "validation_metrics": "validation",
       "cross_validation_metrics": "cross-validation", None: "test"}


def format_to_multiline(items) -> str:
    """Join printable items as h2o-py does: one per line, a blank line around non-string blocks."""
    out = []
    for i, it in enumerate(items):
        nxt = items[i + 1] if i + 1 < len(items) else None
        if nxt is None:
            eol = ""
        elif not isinstance(it, str) or not isinstance(nxt, str):
            eol = "\n\n"
        else:
            eol = "\n"
        out.append(str(it) + eol)
    return "".join(out)


class List(list):
    """A list of ``[threshold, value]`` pairs that also carries ``.value`` (h2o-py's convention)."""
    value = None


class MetricsBase:
    """Common getters and printing of every metrics category."""

    def __init__(self, metric_json, on=None, algo=""):
        self._metric_json = metric_json._metric_json if isinstance(metric_json, MetricsBase) else metric_json
        if on not in _ON:
            raise ValueError("on param expected to be one of %s, but got %s: "
                             % ([k for k in _ON if k], on))
        self._on = _ON[on]
        self._algo = algo

    def __getitem__(self, key):
        return self._metric_json.get(key)

    def _get(self, key):
        return self._metric_json.get(key)

    # ---- scalar getters ----
    def mse(self):
        return self._get("MSE")

    def rmse(self):
        return self._get("RMSE")

    def mae(self):
        return self._get("mae")

    def rmsle(self):
        return self._get("rmsle")

    def r2(self):
        return self._get("r2")

    def logloss(self):
        return self._get("logloss")

    def nobs(self):
        return self._get("nobs")

    def mean_residual_deviance(self):
        return self._get("mean_residual_deviance")

    def auc(self):
        return self._get("AUC")

    def aucpr(self):
        return self._get("pr_auc")

    pr_auc = aucpr

    def gini(self):
        return self._get("Gini")

    def aic(self):
        return self._get("AIC")

    def loglikelihood(self):
        return self._get("loglikelihood")

    def mean_per_class_error(self):
        return self._get("mean_per_class_error")

    def _mean_per_class_error(self):
        return self._get("mean_per_class_error")

    def custom_metric_name(self):
        return self._get("custom_metric_name")

    def custom_metric_value(self):
        return self._get("custom_metric_value")

    def description(self):
        return self._get("description")

    # ---- printing ----
    def _schema_type(self):
        meta = self._metric_json.get("__meta") or {}
        return meta.get("schema_type") or "ModelMetrics" + str(self._metric_json.get("model_category", ""))

    def _str_items(self):
        mtype = self._schema_type()
        binomial, multinomial, regression = "Binomial" in mtype, "Multinomial" in mtype, "Regression" in mtype
        items = ["{}: {}".format(mtype, self._algo), "** Reported on {} data. **".format(self._on), ""]
        if self.custom_metric_name():
            items.append("{}: {}".format(self.custom_metric_name(), self.custom_metric_value()))
        items += ["MSE: {}".format(self.mse()), "RMSE: {}".format(self.rmse())]
        if regression:
            items += ["MAE: {}".format(self.mae()), "RMSLE: {}".format(self.rmsle()),
                      "Mean Residual Deviance: {}".format(self.mean_residual_deviance())]
        if binomial or multinomial:
            items.append("LogLoss: {}".format(self.logloss()))
            items.append("Mean Per-Class Error: {}".format(self._mean_per_class_error()))
        if binomial:
            items += ["AUC: {}".format(self.auc()), "AUCPR: {}".format(self.aucpr()), "Gini: {}".format(self.gini())]
        if multinomial:
            auc, aucpr = self.auc(), self.aucpr()
            if isinstance(auc, numbers.Number):
                items.append("AUC: {}".format(auc))
            if isinstance(aucpr, numbers.Number):
                items.append("AUCPR: {}".format(aucpr))
        items.extend(self._str_items_custom())
        return items

    def _str_items_custom(self):
        return []

    def __str__(self):
        if self._metric_json is None:
            return ("WARNING: Model metrics cannot be calculated, please check that the response column was "
                    "correctly provided in your dataset.")
        return format_to_multiline(self._str_items())

    __repr__ = __str__

    def _repr_pretty_(self, p, cycle):
        p.text(str(self))

    def show(self, *_, **__):
        print(self)


class H2ODefaultModelMetrics(MetricsBase):
    """Metrics of models without a supervised category (auto-encoders): MSE and RMSE."""


H2OAutoEncoderModelMetrics = H2ODefaultModelMetrics


class H2ORegressionModelMetrics(MetricsBase):
    """Regression metrics: MSE, RMSE, MAE, RMSLE, mean residual deviance, R^2."""


class H2OMultinomialModelMetrics(MetricsBase):
    """Multinomial metrics: logloss, mean per-class error, confusion matrix, top-K hit ratios."""

    def _str_items_custom(self):
        return [self.multinomial_auc_table(), self.multinomial_aucpr_table(), self.confusion_matrix(),
                self.hit_ratio_table()]

    def confusion_matrix(self):
        cm = self._get("cm")
        return cm["table"] if cm else None

    def hit_ratio_table(self):
        return self._get("hit_ratio_table")

    def multinomial_auc_table(self):
        if self._get("multinomial_auc_table") is not None:
            return self._get("multinomial_auc_table")
        return ("AUC table was not computed: it is either disabled (model parameter 'auc_type' was set to AUTO or "
                "NONE) or the domain size exceeds the limit (maximum is 50 domains).")

    def multinomial_aucpr_table(self):
        if self._get("multinomial_aucpr_table") is not None:
            return self._get("multinomial_aucpr_table")
        return ("AUCPR table was not computed: it is either disabled (model parameter 'auc_type' was set to AUTO or "
                "NONE) or the domain size exceeds the limit (maximum is 50 domains).")


class H2OBinomialModelMetrics(MetricsBase):
    """Binomial metrics: AUC, AUCPR, Gini, threshold metrics, confusion matrices, gains/lift."""

    metrics_aliases = dict(fallout="fpr", missrate="fnr", recall="tpr", sensitivity="tpr", specificity="tnr")
    maximizing_metrics = ("absolute_mcc", "accuracy", "precision", "f0point5", "f1", "f2",
                          "mean_per_class_accuracy", "min_per_class_accuracy", "tns", "fns", "fps", "tps",
                          "tnr", "fnr", "fpr", "tpr") + tuple(metrics_aliases)

    def _str_items_custom(self):
        items = []
        cm = self.confusion_matrix()
        if cm:
            items.append(cm)
        mcms = self._get("max_criteria_and_metric_scores")
        if mcms:
            items.append(mcms)
        gl = self.gains_lift()
        if gl:
            items.append(gl)
        return items

    # threshold metrics -> [[threshold, value], ...] with .value
    def F1(self, thresholds=None):
        return self.metric("f1", thresholds)

    def F2(self, thresholds=None):
        return self.metric("f2", thresholds)

    def F0point5(self, thresholds=None):
        return self.metric("f0point5", thresholds)

    def accuracy(self, thresholds=None):
        return self.metric("accuracy", thresholds)

    def error(self, thresholds=None):
        return self._accuracy_to_error(self.metric("accuracy", thresholds))

    def precision(self, thresholds=None):
        return self.metric("precision", thresholds)

    def tpr(self, thresholds=None):
        return self.metric("tpr", thresholds)

    def tnr(self, thresholds=None):
        return self.metric("tnr", thresholds)

    def fnr(self, thresholds=None):
        return self.metric("fnr", thresholds)

    def fpr(self, thresholds=None):
        return self.metric("fpr", thresholds)

    def recall(self, thresholds=None):
        return self.metric("tpr", thresholds)

    def sensitivity(self, thresholds=None):
        return self.metric("tpr", thresholds)

    def fallout(self, thresholds=None):
        return self.metric("fpr", thresholds)

    def missrate(self, thresholds=None):
        return self.metric("fnr", thresholds)

    def specificity(self, thresholds=None):
        return self.metric("tnr", thresholds)

    def mcc(self, thresholds=None):
        return self.metric("absolute_mcc", thresholds)

    def max_per_class_error(self, thresholds=None):
        return self._accuracy_to_error(self.metric("min_per_class_accuracy", thresholds))

    def mean_per_class_error(self, thresholds=None):
        """Binomial: ``[[threshold, error]]`` pairs (unlike the multinomial float), as h2o-py."""
        return self._accuracy_to_error(self.metric("mean_per_class_accuracy", thresholds))

    @staticmethod
    def _accuracy_to_error(accuracies):
        errors = List([acc[0], 1 - acc[1]] for acc in accuracies)
        errors.value = ([1 - v for v in accuracies.value] if isinstance(accuracies.value, list)
                        else 1 - accuracies.value)
        return errors

    def metric(self, metric, thresholds=None):
        """Values of a threshold metric: at the threshold maximising it (default), given thresholds, or 'all'."""
        if metric not in self.maximizing_metrics:
            raise ValueError("The only allowable metrics are {}".format(", ".join(self.maximizing_metrics)))
        h2o_metric = self.metrics_aliases.get(metric, metric)
        scalar = thresholds is None or isinstance(thresholds, numbers.Number)
        thresh2d = self._get("thresholds_and_metric_scores")
        out = List()
        if thresholds == "all":
            out.extend([t, v] for t, v in zip(thresh2d["threshold"], thresh2d[h2o_metric]))
        else:
            if thresholds is None:
                thresholds = [self.find_threshold_by_max_metric(h2o_metric)]
            elif isinstance(thresholds, numbers.Number):
                thresholds = [thresholds]
            values = thresh2d[h2o_metric]
            for t in thresholds:
                out.append([t, values[self.find_idx_by_threshold(t)]])
        out.value = out[0][1] if scalar else [r[1] for r in out]
        return out

    def find_threshold_by_max_metric(self, metric):
        h2o_metric = self.metrics_aliases.get(metric, metric)
        for row in self._get("max_criteria_and_metric_scores").cell_values:
            if row[0] == "max " + h2o_metric.lower():
                return row[1]
        raise ValueError("No metric " + str(metric.lower()))

    def find_idx_by_threshold(self, threshold):
        if not isinstance(threshold, numbers.Number):
            raise ValueError("Threshold must be a number, got %r" % (threshold,))
        thresholds = [float(r[0]) for r in self._get("thresholds_and_metric_scores").cell_values]
        for i, t in enumerate(thresholds):
            if abs(t - threshold) < 1e-8 * max(t, threshold):
                return i
        if 0 <= threshold <= 1:
            diffs = [abs(t - threshold) for t in thresholds]
            idx = diffs.index(min(diffs))
            print("Could not find exact threshold {0}; using closest threshold found {1}."
                  .format(threshold, thresholds[idx]))
            return idx
        raise ValueError("Threshold must be between 0 and 1, but got {0} ".format(threshold))

    def confusion_matrix(self, metrics=None, thresholds=None):
        """ConfusionMatrix at the max-F1 threshold (default), at other metrics' maxima or given thresholds."""
        thresh2d = self._get("thresholds_and_metric_scores")
        if thresh2d is None:
            return None
        if metrics is None and thresholds is None:
            metrics = ["f1"]
        metrics_list = metrics if isinstance(metrics, list) else ([] if metrics is None else [metrics])
        thresholds_list = list(thresholds) if isinstance(thresholds, list) else (
            [] if thresholds is None else [thresholds])
        if not all(isinstance(t, numbers.Number) and 0 <= t <= 1 for t in thresholds_list):
            raise ValueError("thresholds must be numbers between 0 and 1, got %r" % (thresholds_list,))
        if not all(m.lower() in self.maximizing_metrics for m in metrics_list):
            raise ValueError("The only allowable metrics are {}".format(", ".join(self.maximizing_metrics)))
        metric_thresholds = [self.find_threshold_by_max_metric(m) for m in metrics_list]
        offset = len(thresholds_list)
        thresholds_list += metric_thresholds
        actual = [float(r[0]) for r in thresh2d.cell_values]
        cms = []
        for i, t in enumerate(thresholds_list):
            idx = self.find_idx_by_threshold(t)
            row = thresh2d.cell_values[idx]
            tns, fns, fps, tps = row[11], row[12], row[13], row[14]
            p, n = tps + fns, tns + fps
            if i >= offset:
                header = "Confusion Matrix (Act/Pred) for max {} @ threshold = {}".format(
                    metrics_list[i - offset], actual[idx])
            else:
                header = "Confusion Matrix (Act/Pred) @ threshold = {}".format(actual[idx])
            cms.append(ConfusionMatrix(cm=[[n - fps, fps], [p - tps, tps]], domains=self._get("domain"),
                                       table_header=header))
        return cms[0] if len(cms) == 1 else cms

    def gains_lift(self):
        return self._get("gains_lift_table")

    def thresholds_and_metric_scores(self):
        return self._get("thresholds_and_metric_scores")

    def max_criteria_and_metric_scores(self):
        return self._get("max_criteria_and_metric_scores")

    @property
    def fprs(self):
        return self._get("thresholds_and_metric_scores")["fpr"]

    @property
    def tprs(self):
        return self._get("thresholds_and_metric_scores")["tpr"]

    def roc(self):
        return self.fprs, self.tprs


def metrics_class(model_category: str):
    """The metrics class for an ``output.model_category``."""
    return {"Binomial": H2OBinomialModelMetrics, "Multinomial": H2OMultinomialModelMetrics,
            "Regression": H2ORegressionModelMetrics}.get(model_category, H2ODefaultModelMetrics)


def make_metrics(metric_json, on=None, algo="deeplearning"):
    """Wrap one metrics JSON (tables already converted) in the class its category calls for."""
    if metric_json is None:
        return None
    category = metric_json.get("model_category") or ""
    stype = (metric_json.get("__meta") or {}).get("schema_type", "")
    for cat in ("Binomial", "Multinomial", "Regression"):
        if cat in stype:
            category = cat
    return metrics_class(category)(metric_json, on=on, algo=algo)
