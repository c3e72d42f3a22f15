"""ModelBase: what every trained model offers (h2o-py's ``h2o.model.ModelBase``).

A model is its key plus the ``GET /3/Models/{id}`` JSON. On arrival the JSON's tables become
H2OTwoDimTables and its training/validation/cross-validation metrics become metrics objects,
so the getters below are plain reads. Metric getters follow h2o-py's flag convention: no flag or
one flag -> a value, several flags -> ``{"train": ..., "valid": ..., "xval": ...}``.
"""
from __future__ import annotations

import warnings

from ..backend.connection import api
from ..exceptions import H2OValueError
from ..job import H2OJob
from ..two_dim_table import convert_tables
from .metrics import format_to_multiline, make_metrics

_METRIC_SETS = ("training_metrics", "validation_metrics", "cross_validation_metrics")


def frame_id_of(frame, arg="test_data") -> str:
    """The key of an H2OFrame (or a frame id string); a clear error for anything else."""
    if isinstance(frame, str):
        return frame
    fid = getattr(frame, "frame_id", None)
    if fid is None:
        raise H2OValueError("`%s` must be an H2OFrame, got %s" % (arg, type(frame).__name__), var_name=arg)
    return fid


def get_frame(frame_id):
    """The H2OFrame stored under ``frame_id`` (owned by the frames module)."""
    from ..frame import H2OFrame
    return H2OFrame.get_frame(frame_id)


def run_job(response, job_type):
    """Poll a backend job to completion (progress bar, Ctrl-C cancels) and return it."""
    return H2OJob(response, job_type).poll()


def require_matplotlib():
    """matplotlib.pyplot, or a clear error saying it is missing."""
    try:
        import matplotlib.pyplot as plt
        return plt
    except ImportError:
        raise H2OValueError("Plotting needs matplotlib, which is not installed: pip install matplotlib") from None


class ModelBase:
    """Common members of all models; category classes (binomial, ...) add the rest."""

    def __init__(self):
        self._id = None
        self._model_json = None
        self._is_xvalidated = False
        self._xval_keys = None
        self._estimator_type = None
        self._have_pojo = False
        self._have_mojo = False
        self._start_time = self._end_time = self._run_time = None
        self.parms = {}

    # ---- identity ------------------------------------------------------------------------------
    @property
    def key(self):
        return self._id

    @property
    def model_id(self):
        """The model's key."""
        return self._id

    @model_id.setter
    def model_id(self, newid):
        """Renames the model on the backend, as h2o-py does."""
        oldid = self._id
        if oldid is not None and newid != oldid:
            api("POST /99/Rapids", data={"ast": "(rename '%s' '%s')" % (oldid, newid)})
        self._id = newid

    @property
    def algo(self):
        return (self._model_json or {}).get("algo", getattr(type(self), "_algo_name", None))

    @property
    def type(self):
        """``"classifier"``, ``"regressor"`` or ``"unsupervised"``."""
        return self._estimator_type

    @property
    def have_pojo(self):
        return self._have_pojo

    @property
    def have_mojo(self):
        return self._have_mojo

    @property
    def start_time(self):
        return self._start_time

    @property
    def end_time(self):
        return self._end_time

    @property
    def run_time(self):
        return self._run_time

    def detach(self):
        self._id = None

    # ---- parameters ----------------------------------------------------------------------------
    @property
    def params(self):
        """``{param: {"default": d, "actual": a, "input": i}}`` for every parameter."""
        return {p: {"default": v.get("default_value"), "actual": v.get("actual_value"),
                    "input": v.get("input_value")} for p, v in self.parms.items()}

    @property
    def default_params(self):
        return {p: v.get("default_value") for p, v in self.parms.items()}

    @property
    def actual_params(self):
        """Actual values; frame/model keys flattened to names and the response to its column name."""
        select = {"model_id": "name", "response_column": "column_name", "training_frame": "name",
                  "validation_frame": "name"}
        out = {}
        for p, v in self.parms.items():
            if p in select:
                out[p] = (v.get("actual_value") or {}).get(select[p])
            else:
                out[p] = v.get("actual_value")
        return out

    @property
    def full_parameters(self):
        return self.parms

    # ---- model JSON ----------------------------------------------------------------------------
    def _resolve_model(self, model_id, model_json):
        """Adopt a model JSON: convert tables and metrics, index the parameters."""
        model_json = convert_tables(model_json)
        output = model_json.setdefault("output", {})
        algo = model_json.get("algo", "deeplearning")
        for name in _METRIC_SETS:
            if output.get(name) is not None:
                output[name] = make_metrics(output[name], on=name, algo=algo)
        self._id = model_id
        self._model_json = model_json
        self._have_pojo = bool(model_json.get("have_pojo", False))
        self._have_mojo = bool(model_json.get("have_mojo", False))
        self._start_time = output.get("start_time")
        self._end_time = output.get("end_time")
        self._run_time = output.get("run_time")
        self._is_xvalidated = output.get("cross_validation_metrics") is not None
        cvm = output.get("cross_validation_models")
        self._xval_keys = [k["name"] for k in cvm] if cvm else None
        self.parms = {p["name"]: p for p in model_json.get("parameters") or []}
        category = output.get("model_category")
        if category == "AutoEncoder":
            self._estimator_type = "unsupervised"
        elif category in ("Binomial", "Multinomial"):
            self._estimator_type = "classifier"
        elif category == "Regression":
            self._estimator_type = "regressor"

    def _output(self):
        if self._model_json is None:
            raise H2OValueError("This estimator has not been trained yet: call train() first")
        return self._model_json["output"]

    def _metrics_for(self, train, valid, xval):
        output = self._output()
        metrics = {}
        if train:
            metrics["train"] = output.get("training_metrics")
        if valid:
            metrics["valid"] = output.get("validation_metrics")
        if xval:
            metrics["xval"] = output.get("cross_validation_metrics")
        if not metrics:
            metrics["train"] = output.get("training_metrics")
        return metrics

    _get_metrics = _metrics_for

    def _metric(self, getter, train, valid, xval, *args, **kwargs):
        """h2o-py's flag convention: one set -> value, several sets -> dict keyed train/valid/xval."""
        m = {k: (None if v is None else getattr(v, getter)(*args, **kwargs))
             for k, v in self._metrics_for(train, valid, xval).items()}
        return list(m.values())[0] if len(m) == 1 else m

    def mse(self, train=False, valid=False, xval=False):
        return self._metric("mse", train, valid, xval)

    def rmse(self, train=False, valid=False, xval=False):
        return self._metric("rmse", train, valid, xval)

    def mae(self, train=False, valid=False, xval=False):
        return self._metric("mae", train, valid, xval)

    def rmsle(self, train=False, valid=False, xval=False):
        return self._metric("rmsle", train, valid, xval)

    def r2(self, train=False, valid=False, xval=False):
        return self._metric("r2", train, valid, xval)

    def logloss(self, train=False, valid=False, xval=False):
        return self._metric("logloss", train, valid, xval)

    def mean_residual_deviance(self, train=False, valid=False, xval=False):
        return self._metric("mean_residual_deviance", train, valid, xval)

    def auc(self, train=False, valid=False, xval=False):
        return self._metric("auc", train, valid, xval)

    def aucpr(self, train=False, valid=False, xval=False):
        return self._metric("aucpr", train, valid, xval)

    pr_auc = aucpr

    def gini(self, train=False, valid=False, xval=False):
        return self._metric("gini", train, valid, xval)

    def aic(self, train=False, valid=False, xval=False):
        return self._metric("aic", train, valid, xval)

    def loglikelihood(self, train=False, valid=False, xval=False):
        return self._metric("loglikelihood", train, valid, xval)

    def model_performance(self, test_data=None, train=False, valid=False, xval=False, auc_type="none"):
        """Stored metrics (train > valid > xval, default train) or metrics scored now on ``test_data``."""
        if test_data is None:
            if auc_type is not None and auc_type != "none":
                print("WARNING: The `auc_type` parameter is set but it is not used because the `test_data` "
                      "parameter is None.")
            output = self._output()
            if train:
                return output.get("training_metrics")
            if valid:
                return output.get("validation_metrics")
            if xval:
                return output.get("cross_validation_metrics")
            return output.get("training_metrics")
        fid = frame_id_of(test_data)
        resp = self._model_json.get("response_column_name")
        names = getattr(test_data, "names", None)
        if resp is not None and names is not None and resp not in names:
            print("WARNING: Model metrics cannot be calculated and metric_json is empty due to the absence of the "
                  "response column in your dataset.")
            return None
        data = None
        if auc_type is not None:
            allowed = ("auto", "none", "macro_ovr", "weighted_ovr", "macro_ovo", "weighted_ovo")
            if str(auc_type).lower() not in allowed:
                raise H2OValueError("auc_type must be one of %s, got %r" % (", ".join(allowed), auc_type),
                                    var_name="auc_type")
            data = {"auc_type": auc_type}
        res = api("POST /3/ModelMetrics/models/%s/frames/%s" % (self.model_id, fid), data=data)
        raw = None
        for mm in res.get("model_metrics") or []:
            if mm.get("frame") is not None and mm["frame"].get("name") == fid:
                raw = mm
                break
        if raw is None and res.get("model_metrics"):
            raw = res["model_metrics"][0]
        return make_metrics(convert_tables(raw), on=None, algo=self.algo)

    # ---- scoring -------------------------------------------------------------------------------
    def predict(self, test_data):
        """Predictions on ``test_data`` as a new H2OFrame (H2O's columns: predict, p<class>...)."""
        fid = frame_id_of(test_data)
        job = run_job(api("POST /4/Predictions/models/%s/frames/%s" % (self.model_id, fid)),
                      "%s prediction" % self.algo)
        return get_frame(job.dest_key)

    def deepfeatures(self, test_data, layer):
        """Activations of hidden layer ``layer`` (0-based; a non-digit is a layer name)."""
        if test_data is None:
            raise ValueError("Must specify test data")
        fid = frame_id_of(test_data)
        key = "deep_features_hidden_layer" if str(layer).isdigit() else "deep_features_hidden_layer_name"
        job = run_job(api("POST /4/Predictions/models/%s/frames/%s" % (self._id, fid), data={key: layer}),
                      "deepfeatures")
        return get_frame(job.dest_key)

    def weights(self, matrix_id=0):
        """The weight matrix ``matrix_id`` (0-based) as a frame; needs export_weights_and_biases=True."""
        keys = self._output().get("weights") or []
        if matrix_id not in range(len(keys)):
            raise ValueError("Weight matrix does not exist. Model has {0} weight matrices (0-based indexing), but "
                             "matrix {1} was requested.".format(len(keys), matrix_id))
        return get_frame(_key_name(keys[matrix_id]))

    def biases(self, vector_id=0):
        """The bias vector ``vector_id`` (0-based) as a frame; needs export_weights_and_biases=True."""
        keys = self._output().get("biases") or []
        if vector_id not in range(len(keys)):
            raise ValueError("Bias vector does not exist. Model has {0} bias vectors (0-based indexing), but vector "
                             "{1} was requested.".format(len(keys), vector_id))
        return get_frame(_key_name(keys[vector_id]))

    def normmul(self):
        return self._output().get("normmul")

    def normsub(self):
        return self._output().get("normsub")

    def respmul(self):
        return self._output().get("normrespmul")

    def respsub(self):
        return self._output().get("normrespsub")

    def catoffsets(self):
        return self._output().get("catoffsets")

    def default_threshold(self):
        return self._output().get("default_threshold")

    # ---- history, importances ------------------------------------------------------------------
    def scoring_history(self, as_data_frame=True):
        """The scoring history as a pandas DataFrame (or the H2OTwoDimTable)."""
        sh = self._output().get("scoring_history")
        if sh is not None:
            return sh.as_data_frame() if as_data_frame else sh
        print("No score history for this model")

    def score_history(self):
        """Deprecated alias of scoring_history()."""
        return self.scoring_history()

    def varimp(self, use_pandas=False):
        """``[(variable, relative_importance, scaled_importance, percentage), ...]``, most important first."""
        vi = self._output().get("variable_importances")
        if vi:
            if use_pandas:
                import pandas
                return pandas.DataFrame(vi.cell_values, columns=vi.col_header)
            return [tuple(r) for r in vi.cell_values]
        print("Warning: This model doesn't have variable importances")

    def varimp_plot(self, num_of_features=None, server=False, save_plot_path=None):
        """Horizontal bar chart of the scaled importances (matplotlib)."""
        plt = require_matplotlib()
        importances = self.varimp()
        if not importances:
            return None
        n = min(num_of_features or 10, len(importances))
        names = [r[0] for r in importances[:n]][::-1]
        scaled = [r[2] for r in importances[:n]][::-1]
        fig, ax = plt.subplots(figsize=(14, 10))
        ax.barh(range(n), scaled, align="center", color="#1F77B4")
        ax.set_yticks(range(n))
        ax.set_yticklabels(names)
        ax.set_xlabel("Scaled Importance")
        ax.set_title("Variable Importance: " + "H2O Deep Learning")
        if save_plot_path is not None:
            fig.savefig(save_plot_path)
        if not server:
            plt.show()
        return fig

    def _plot_scoring_history(self, timestep, metric, default_metric, save_plot_path=None, server=False):
        plt = require_matplotlib()
        sh = self.scoring_history()
        if sh is None:
            return None
        timestep = "epochs" if timestep == "AUTO" else timestep
        metric = default_metric if metric == "AUTO" else metric
        for col in (timestep, "training_" + metric):
            if col not in sh.columns:
                raise H2OValueError("The scoring history has no column %r (columns: %s)"
                                    % (col, ", ".join(map(str, sh.columns))))
        sh = sh.iloc[1:] if len(sh) > 1 else sh
        fig, ax = plt.subplots()
        ax.plot(sh[timestep], sh["training_" + metric], label="Training")
        if "validation_" + metric in sh.columns:
            ax.plot(sh[timestep], sh["validation_" + metric], label="Validation")
        ax.set_xlabel(timestep)
        ax.set_ylabel(metric)
        ax.set_title("Scoring History")
        ax.legend()
        if save_plot_path is not None:
            fig.savefig(save_plot_path)
        if not server:
            plt.show()
        return fig

    # ---- cross-validation ----------------------------------------------------------------------
    def is_cross_validated(self):
        return self._is_xvalidated

    def xval_keys(self):
        return self._xval_keys

    def get_xval_models(self, key=None):
        from ..h2o_models import get_model
        return get_model(key) if key is not None else [get_model(k) for k in (self._xval_keys or [])]

    @property
    def xvals(self):
        return self.get_xval_models()

    def cross_validation_models(self):
        from ..h2o_models import get_model
        keys = self._output().get("cross_validation_models")
        return None if keys is None else [get_model(_key_name(k)) for k in keys]

    def cross_validation_predictions(self):
        keys = self._output().get("cross_validation_predictions")
        return None if keys is None else [get_frame(_key_name(k)) for k in keys]

    def cross_validation_holdout_predictions(self):
        key = self._output().get("cross_validation_holdout_predictions_frame_id")
        return None if key is None else get_frame(_key_name(key))

    def cross_validation_fold_assignment(self):
        key = self._output().get("cross_validation_fold_assignment_frame_id")
        return None if key is None else get_frame(_key_name(key))

    def cross_validation_metrics_summary(self):
        summary = self._output().get("cross_validation_metrics_summary")
        if summary is not None:
            return summary
        print("No cross-validation metrics summary for this model")

    # ---- summary and printing ------------------------------------------------------------------
    def get_summary(self):
        """The "Status of Neuron Layers" table."""
        summary = self._output().get("model_summary")
        return summary if summary is not None else "No summary for this model"

    def summary(self):
        """Deprecated alias of get_summary()."""
        return self.get_summary()

    def show_summary(self):
        print(self.get_summary())

    def _str_items(self):
        if self._model_json is None:
            return "No model available"
        if self.key is None:
            return "This model (key={}) has been removed".format(self.key)
        items = ["Model Details", "=============",
                 "%s : %s" % (self.__class__.__name__, self._model_json.get("algo_full_name", "Deep Learning")),
                 "Model Key: %s" % self.key]
        summary = self._output().get("model_summary")
        if summary is not None:
            items += ["", summary]
        output = self._output()
        for name in _METRIC_SETS + ("cross_validation_metrics_summary", "scoring_history", "variable_importances"):
            if output.get(name) is not None:
                items.append(output[name])
        return items

    def __str__(self):
        items = self._str_items()
        return format_to_multiline(items) if isinstance(items, list) else items

    def __repr__(self):
        if self._model_json is None:
            return "%s(model_id=%r, untrained)" % (self.__class__.__name__, self.model_id)
        return self.__str__()

    def _repr_pretty_(self, p, cycle):
        p.text(self.__str__())

    def show(self, *_, **__):
        print(self)


def _key_name(key):
    """A key dict (``{"name": ..., "URL": ...}``) or a plain string -> the key's name."""
    if isinstance(key, dict):
        return key.get("name") or key["URL"].split("/")[3]
    return key


def warn_messages(messages):
    """Server WARN messages of a model build become RuntimeWarnings, as in h2o-py."""
    for m in messages or []:
        if m.get("message_type") == "WARN":
            warnings.warn(m.get("message"), RuntimeWarning, stacklevel=4)


__all__ = ["ModelBase"]
