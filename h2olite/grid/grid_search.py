"""H2OGridSearch: train one model per hyper-parameter combination on the backend (h2o-py's class).

The grid runs as one backend job (``POST /99/Grid/<algo>``); afterwards the grid JSON
(``GET /99/Grids/<id>``) gives the model ids already sorted by the default metric, and the models
are fetched as ordinary model objects. Metric getters return ``{model_id: value}`` dicts.
"""
from __future__ import annotations

import itertools
import json
import numbers
import warnings

from ..backend.connection import api
from ..estimators.estimator_base import H2OEstimator, keyify
from ..exceptions import H2OJobCancelled, H2OValueError
from ..job import BackgroundJobMixin, H2OJob
from ..model.model_base import ModelBase
from ..two_dim_table import H2OTwoDimTable, convert_tables


def _jsonable(v):
    """Hyper-parameter values as JSON: frames/models become their keys, tuples lists."""
    if isinstance(v, dict):
        return {k: _jsonable(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_jsonable(x) for x in v]
    if hasattr(v, "frame_id") and not isinstance(v, str):
        return v.frame_id
    if isinstance(v, ModelBase):
        return v.model_id
    return v


def _per_model(name, doc=None):
    def method(self, *args, **kwargs):
        return {m.model_id: getattr(m, name)(*args, **kwargs) for m in self.models}
    method.__name__ = name
    method.__doc__ = doc or "``{model_id: model.%s(...)}`` over the grid's models." % name
    return method


class H2OGridSearch(BackgroundJobMixin):
    """A grid of models over ``hyper_params`` (Cartesian or RandomDiscrete search)."""

    def __init__(self, model, hyper_params, grid_id=None, search_criteria=None, export_checkpoints_dir=None,
                 recovery_dir=None, parallelism=1):
        if isinstance(model, type) and issubclass(model, H2OEstimator):
            model = model()
        if not isinstance(model, H2OEstimator):
            raise H2OValueError("`model` must be an estimator class or instance, got %r" % (model,), var_name="model")
        if not isinstance(hyper_params, dict):
            raise H2OValueError("`hyper_params` must be a dict {name: [values]}", var_name="hyper_params")
        for name, values in hyper_params.items():
            if not isinstance(values, (list, tuple)):
                raise H2OValueError("hyper_params[%r] must be a list of values, got %r" % (name, values),
                                    var_name="hyper_params")
        if grid_id is not None and not isinstance(grid_id, str):
            raise H2OValueError("`grid_id` must be a string", var_name="grid_id")
        if search_criteria is not None and not isinstance(search_criteria, dict):
            raise H2OValueError("`search_criteria` must be a dict", var_name="search_criteria")
        if not isinstance(parallelism, numbers.Integral) or parallelism < 0:
            raise H2OValueError("`parallelism` must be a non-negative integer", var_name="parallelism")
        self._id = grid_id
        self.model = model
        self.hyper_params = dict(hyper_params)
        self.search_criteria = None if search_criteria is None else dict(search_criteria)
        self.export_checkpoints_dir = export_checkpoints_dir
        self.recovery_dir = recovery_dir
        self._parallelism = parallelism
        self._grid_json = None
        self.models = []
        self._parms = {}
        self._job = None
        self._future = False

    # ---- identity and grid JSON ----------------------------------------------------------------
    @property
    def key(self):
        return self._id

    @property
    def grid_id(self):
        return self._id

    @grid_id.setter
    def grid_id(self, value):
        oldname = self._id
        self._id = value
        if oldname is not None and self._grid_json is not None:
            api("POST /99/Rapids", data={"ast": '(rename "%s" "%s")' % (oldname, value)})

    def _json(self, key, default=None):
        return (self._grid_json or {}).get(key, default)

    @property
    def model_ids(self):
        """Model ids in the grid's sort order (default metric first)."""
        return [k["name"] for k in self._json("model_ids", [])]

    @property
    def hyper_names(self):
        return self._json("hyper_names")

    @property
    def failed_params(self):
        return self._json("failed_params")

    @property
    def failure_details(self):
        return self._json("failure_details")

    @property
    def failure_stack_traces(self):
        return self._json("failure_stack_traces")

    @property
    def failed_raw_params(self):
        return self._json("failed_raw_params")

    def detach(self):
        self._id = None

    # ---- training ------------------------------------------------------------------------------
    def _finish_job(self, dest_key):
        self._handle_build_finish(dest_key)

    def train(self, x=None, y=None, training_frame=None, offset_column=None, fold_column=None, weights_column=None,
              validation_frame=None, **params):
        """Build every model of the grid; ``params`` are fixed model parameters for all of them."""
        if training_frame is None:
            training_frame = self.model._parms.get("training_frame")
        if training_frame is None:
            raise ValueError("Missing training_frame")
        if isinstance(y, (list, tuple)):
            if len(y) != 1:
                raise ValueError("y must be a single column reference")
            y = y[0]
        # fixed parameters: the estimator's non-None values, then train's keyword arguments
        estimator = type(self.model)(**{k: v for k, v in self.model._parms.items() if v is not None})
        estimator.set_params(**params)
        if estimator._parms.get("autoencoder") and y is not None:
            raise ValueError("y should not be specified for autoencoder.")
        if not estimator._parms.get("autoencoder") and estimator.supervised_learning and y is None:
            raise ValueError("Missing response")
        parms = estimator._make_parms(x=x, y=y, training_frame=training_frame, offset_column=offset_column,
                                      fold_column=fold_column, weights_column=weights_column,
                                      validation_frame=validation_frame)
        self.model._estimator_type = estimator._estimator_type
        unknown = [h for h in self.hyper_params if h not in estimator._parms]
        if unknown:
            raise H2OValueError("Unknown hyper-parameter%s: %s" % ("s" if len(unknown) > 1 else "",
                                                                  ", ".join(unknown)), var_name="hyper_params")
        for h in self.hyper_params:        # a hyper-parameter is not also a fixed parameter
            if h not in params:
                parms.pop(h, None)
        parms["hyper_parameters"] = json.dumps(_jsonable(self.hyper_params))
        if self.search_criteria is not None:
            parms["search_criteria"] = json.dumps(_jsonable(self.search_criteria))
        if self.export_checkpoints_dir is not None:
            parms["export_checkpoints_dir"] = self.export_checkpoints_dir
        if self.recovery_dir is not None:
            parms["recovery_dir"] = self.recovery_dir
        parms["parallelism"] = self._parallelism
        if self._id is not None:
            parms["grid_id"] = self._id
        self._parms = {k: keyify(v) for k, v in parms.items()}
        self._run_grid_job(self._parms)
        return self

    def _run_grid_job(self, params):
        algo = self.model.algo
        job = H2OJob(api("POST /99/Grid/%s" % algo, data=params), "%s Grid Build" % algo)
        if self._future:
            self._job = job
            return
        try:
            job.poll()
        except H2OJobCancelled:
            self._handle_build_finish(job.dest_key)
            raise
        self._handle_build_finish(job.dest_key)

    def _handle_build_finish(self, grid_id):
        grid_json = convert_tables(api("GET /99/Grids/%s" % grid_id))
        for w in grid_json.get("warning_details") or []:
            warnings.warn(w)
        failures = grid_json.get("failure_details") or []
        if failures:
            print("Errors/Warnings building gridsearch model\n")
            traces = grid_json.get("failure_stack_traces") or []
            for i, msg in enumerate(failures):
                failed = (grid_json.get("failed_params") or [None] * (i + 1))[i]
                if isinstance(failed, dict):
                    for h in grid_json.get("hyper_names") or []:
                        print("Hyper-parameter: {0}, {1}".format(h, failed.get(h)))
                print("failure_details: {0}\nfailure_stack_traces: {1}\n"
                      .format(msg, traces[i] if i < len(traces) else ""))
        self._id = grid_json.get("grid_id", {}).get("name", grid_id)
        self._grid_json = grid_json
        if not grid_json.get("model_ids"):
            raise ValueError("\n".join(failures) if failures else
                             "Gridsearch returns no model due to bad parameter values or other reasons....")
        self.models = self._fetch_models(grid_json)
        if self.export_checkpoints_dir is None:
            self.export_checkpoints_dir = grid_json.get("export_checkpoints_dir")

    @staticmethod
    def _fetch_models(grid_json):
        from ..h2o_models import get_model
        return [get_model(k["name"]) for k in grid_json.get("model_ids") or []]

    # ---- collection protocol -------------------------------------------------------------------
    def __getitem__(self, item):
        return self.models[item]

    def __iter__(self):
        return iter(list(self.models))

    def __len__(self):
        return len(self.models)

    # ---- sorting and tables --------------------------------------------------------------------
    def get_grid(self, sort_by=None, decreasing=None):
        """A new H2OGridSearch with the models ordered by ``sort_by`` (sorted on the backend)."""
        if sort_by is None and decreasing is None:
            return self
        grid_json = convert_tables(api("GET /99/Grids/%s" % self._id,
                                       data={"sort_by": sort_by, "decreasing": decreasing}))
        grid = H2OGridSearch(self.model, self.hyper_params, self._id, self.search_criteria,
                             self.export_checkpoints_dir, self.recovery_dir, self._parallelism)
        grid._grid_json = grid_json
        grid._parms = self._parms
        by_id = {m.model_id: m for m in self.models}
        grid.models = [by_id.get(k["name"]) or self._fetch_models({"model_ids": [k]})[0]
                       for k in grid_json.get("model_ids") or []]
        return grid

    def sorted_metric_table(self, use_pandas=True):
        """The backend's "Hyper-Parameter Search Summary" table (pandas by default)."""
        summary = self._json("summary_table")
        if summary is None:
            print("No sorted metric table for this grid search")
            return None
        return summary.as_data_frame() if use_pandas else summary

    def _as_table(self):
        if not self.models:
            combos = itertools.product(*list(self.hyper_params.values()))
            return H2OTwoDimTable(table_header="Grid Search of Model %s" % type(self.model).__name__,
                                  col_header=["Model", "Hyperparameters: [%s]" % ", ".join(self.hyper_params)],
                                  cell_values=[[i + 1, list(v)] for i, v in enumerate(combos)])
        return self.sorted_metric_table(use_pandas=False)

    def __str__(self):
        table = self._as_table()
        return "" if table is None else table.to_str()

    __repr__ = __str__

    def _repr_pretty_(self, p, cycle):
        p.text(str(self))

    def show(self, *_, **__):
        """Prints every model of the grid, sorted by the metric."""
        table = self._as_table()
        if table is not None:
            print(table.to_str(rows=-1))

    def get_summary(self):
        rows, header = [], None
        for model in self.models:
            summary = model._model_json["output"]["model_summary"]
            r = list(summary.cell_values[0])
            r[0] = model.model_id
            rows.append(r)
            header = ["Model Id"] + summary.col_header[1:]
        return H2OTwoDimTable(table_header="Grid Summary", col_header=header or ["Model Id"], cell_values=rows)

    def show_summary(self):
        print(self.get_summary().to_str(rows=-1))

    def summary(self):
        self.show_summary()

    # ---- hyper-parameters of one model ---------------------------------------------------------
    def _model_at(self, id):
        idx = id if isinstance(id, numbers.Integral) else self.model_ids.index(id)
        return self[idx]

    def get_hyperparams(self, id, display=True):
        """The hyper-parameter values of one model (by id or index), as h2o-py lists them."""
        model = self._model_at(id)
        if model._is_xvalidated and model._xval_keys:
            from ..h2o_models import get_model
            model = get_model(model._xval_keys[0])
        res = [model.params[h]["actual"][0] if isinstance(model.params[h]["actual"], list)
               else model.params[h]["actual"] for h in self.hyper_params]
        if display:
            print("Hyperparameters: [" + ", ".join(self.hyper_params) + "]")
        return res

    def get_hyperparams_dict(self, id, display=True):
        """``{hyper_name: actual value}`` of one model (by id or index)."""
        model = self._model_at(id)
        out = {h: model.params[h]["actual"] for h in (self.hyper_names or list(self.hyper_params))}
        if display:
            print("Hyperparameters: [" + ", ".join(self.hyper_params) + "]")
        return out

    # ---- aggregates over the models ------------------------------------------------------------
    predict = _per_model("predict")
    model_performance = _per_model("model_performance")
    deepfeatures = _per_model("deepfeatures")
    weights = _per_model("weights")
    biases = _per_model("biases")
    normmul = _per_model("normmul")
    normsub = _per_model("normsub")
    respmul = _per_model("respmul")
    respsub = _per_model("respsub")
    catoffsets = _per_model("catoffsets")
    scoring_history = _per_model("scoring_history")
    varimp = _per_model("varimp")
    mse = _per_model("mse")
    rmse = _per_model("rmse")
    mae = _per_model("mae")
    rmsle = _per_model("rmsle")
    r2 = _per_model("r2")
    logloss = _per_model("logloss")
    mean_residual_deviance = _per_model("mean_residual_deviance")
    auc = _per_model("auc")
    aucpr = _per_model("aucpr")
    pr_auc = aucpr
    gini = _per_model("gini")
    mean_per_class_error = _per_model("mean_per_class_error")
    hit_ratio_table = _per_model("hit_ratio_table")
    confusion_matrix = _per_model("confusion_matrix")
    F1 = _per_model("F1")
    anomaly = _per_model("anomaly")
    is_cross_validated = _per_model("is_cross_validated")
    xval_keys = _per_model("xval_keys")

    def get_xval_models(self, key=None):
        return {m.model_id: m.get_xval_models(key) for m in self.models}

    @property
    def xvals(self):
        return {m.model_id: m.xvals for m in self.models}
