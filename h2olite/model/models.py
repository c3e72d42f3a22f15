"""Category models: the methods a model gains once its category is known (h2o-py's mixins).

A trained estimator's class becomes a subclass of both its estimator class and one of these,
so ``model.anomaly`` exists only on auto-encoders, ``hit_ratio_table`` only on multinomials, ...
"""
from __future__ import annotations

from ..backend.connection import api
from ..two_dim_table import convert_tables
from .model_base import ModelBase, frame_id_of, get_frame


class H2ORegressionModel(ModelBase):
    def plot(self, timestep="AUTO", metric="AUTO", save_plot_path=None, server=False):
        """Scoring-history plot (default metric rmse) with matplotlib."""
        return self._plot_scoring_history(timestep, metric, "rmse", save_plot_path, server)


class H2OMultinomialModel(ModelBase):
    def confusion_matrix(self, data):
        """Scores ``data`` and returns its confusion matrix table."""
        fid = frame_id_of(data, "data")
        j = api("POST /3/Predictions/models/%s/frames/%s" % (self._id, fid))
        metrics = (j.get("model_metrics") or [{}])[0]
        if not metrics.get("cm"):      # a backend that leaves metrics out of predictions: score explicitly
            metrics = api("POST /3/ModelMetrics/models/%s/frames/%s" % (self._id, fid))["model_metrics"][0]
        return convert_tables(metrics["cm"]["table"])

    def hit_ratio_table(self, train=False, valid=False, xval=False):
        return self._metric("hit_ratio_table", train, valid, xval)

    def mean_per_class_error(self, train=False, valid=False, xval=False):
        return self._metric("mean_per_class_error", train, valid, xval)

    def multinomial_auc_table(self, train=False, valid=False, xval=False):
        return self._metric("multinomial_auc_table", train, valid, xval)

    def multinomial_aucpr_table(self, train=False, valid=False, xval=False):
        return self._metric("multinomial_aucpr_table", train, valid, xval)

    def plot(self, timestep="AUTO", metric="AUTO", save_plot_path=None, server=False):
        """Scoring-history plot (default metric classification_error) with matplotlib."""
        return self._plot_scoring_history(timestep, metric, "classification_error", save_plot_path, server)


def _threshold_metric(name):
    def method(self, thresholds=None, train=False, valid=False, xval=False):
        return self._metric(name, train, valid, xval, thresholds=thresholds)
    method.__name__ = name
    method.__doc__ = "[[threshold, %s]] at the given thresholds (default: where it is maximal)." % name
    return method


class H2OBinomialModel(ModelBase):
    F1 = _threshold_metric("F1")
    F2 = _threshold_metric("F2")
    F0point5 = _threshold_metric("F0point5")
    accuracy = _threshold_metric("accuracy")
    error = _threshold_metric("error")
    precision = _threshold_metric("precision")
    tpr = _threshold_metric("tpr")
    tnr = _threshold_metric("tnr")
    fnr = _threshold_metric("fnr")
    fpr = _threshold_metric("fpr")
    recall = _threshold_metric("recall")
    sensitivity = _threshold_metric("sensitivity")
    fallout = _threshold_metric("fallout")
    missrate = _threshold_metric("missrate")
    specificity = _threshold_metric("specificity")
    mcc = _threshold_metric("mcc")
    max_per_class_error = _threshold_metric("max_per_class_error")
    mean_per_class_error = _threshold_metric("mean_per_class_error")

    def metric(self, metric, thresholds=None, train=False, valid=False, xval=False):
        return self._metric("metric", train, valid, xval, metric, thresholds=thresholds)

    def confusion_matrix(self, metrics=None, thresholds=None, train=False, valid=False, xval=False):
        """ConfusionMatrix at the max-F1 threshold by default (see H2OBinomialModelMetrics)."""
        return self._metric("confusion_matrix", train, valid, xval, metrics=metrics, thresholds=thresholds)

    def find_threshold_by_max_metric(self, metric, train=False, valid=False, xval=False):
        return self._metric("find_threshold_by_max_metric", train, valid, xval, metric)

    def find_idx_by_threshold(self, threshold, train=False, valid=False, xval=False):
        return self._metric("find_idx_by_threshold", train, valid, xval, threshold)

    def gains_lift(self, train=False, valid=False, xval=False):
        return self._metric("gains_lift", train, valid, xval)

    def roc(self, train=False, valid=False, xval=False):
        return self._metric("roc", train, valid, xval)

    def plot(self, timestep="AUTO", metric="AUTO", save_plot_path=None, server=False):
        """Scoring-history plot (default metric logloss) with matplotlib."""
        return self._plot_scoring_history(timestep, metric, "logloss", save_plot_path, server)


class H2OAutoEncoderModel(ModelBase):
    def anomaly(self, test_data, per_feature=False):
        """Reconstruction error per row (``Reconstruction.MSE``) or per expanded feature (``reconstr_<c>.SE``)."""
        if test_data is None or getattr(test_data, "nrow", 1) == 0:
            raise ValueError("Must specify test data")
        fid = frame_id_of(test_data)
        j = api("POST /3/Predictions/models/%s/frames/%s" % (self.model_id, fid),
                data={"reconstruction_error": True, "reconstruction_error_per_feature": per_feature})
        return get_frame(j["model_metrics"][0]["predictions"]["frame_id"]["name"])


def model_class(model_category: str):
    """The category class for ``output.model_category``."""
    return {"Binomial": H2OBinomialModel, "Multinomial": H2OMultinomialModel, "Regression": H2ORegressionModel,
            "AutoEncoder": H2OAutoEncoderModel}.get(model_category)
