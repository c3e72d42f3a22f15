"""H2OEstimator: parameters in, a trained model out (h2o-py's ``H2OEstimator``).

``train()`` turns x/y into H2O's form fields (``response_column`` and ``ignored_columns`` =
training columns neither in x nor special), posts them to ``/3/ModelBuilders/<algo>``, polls
the job with a progress bar, fetches the model JSON and turns ``self`` into the model: its class
becomes a subclass of the estimator class and the category class (binomial, ...).
"""
from __future__ import annotations

import inspect
import numbers
import warnings

from ..backend.connection import api
from ..exceptions import H2OValueError
from ..job import BackgroundJobMixin, H2OJob
from ..model.model_base import ModelBase, warn_messages
from ..model.models import model_class

_category_classes: dict = {}


def category_subclass(estimator_cls, model_category):
    """``estimator_cls`` extended with the category model's methods, keeping the estimator's name."""
    mc = model_class(model_category)
    if mc is None or issubclass(estimator_cls, mc):
        return estimator_cls
    base = getattr(estimator_cls, "_base_estimator_class", estimator_cls)
    key = (base, mc)
    if key not in _category_classes:
        _category_classes[key] = type(base.__name__, (base, mc),
                                      {"__module__": base.__module__, "_base_estimator_class": base})
    return _category_classes[key]


def keyify(value):
    """Frames and models -> their keys (lists of them -> lists of keys); other values as they are."""
    if isinstance(value, (list, tuple)):
        return [keyify(v) for v in value]
    if hasattr(value, "frame_id") and not isinstance(value, str):
        return value.frame_id
    if isinstance(value, ModelBase):
        return value.model_id
    return value


def frame_columns(frame):
    """(names, types) of a training frame given as an H2OFrame or a frame id."""
    names = getattr(frame, "names", None)
    types = getattr(frame, "types", None)
    if names is not None and types is not None:
        return list(names), dict(types)
    fid = frame if isinstance(frame, str) else frame.frame_id
    cols = api("GET /3/Frames/%s" % fid, data={"row_count": 0})["frames"][0]["columns"]
    return [c["label"] for c in cols], {c["label"]: c["type"] for c in cols}


def _resolve_column(col, names, what, known=None):
    """A column name or 0-based index (negative counts from the end) -> its name, or a clear error.
    ``known``: ``set(names)``, when the caller resolves many columns."""
    if isinstance(col, numbers.Integral) and not isinstance(col, bool):
        if not -len(names) <= col < len(names):
            raise H2OValueError("Column %d does not exist in the training frame (it has %d columns)"
                                % (col, len(names)), var_name=what)
        return names[col]
    if isinstance(col, str):
        if col not in (names if known is None else known):
            raise H2OValueError("Column %s does not exist in the training frame" % col, var_name=what)
        return col
    raise H2OValueError("`%s` must be a column name or index, got %r" % (what, col), var_name=what)


def _resolve_columns(cols, names, what):
    if isinstance(cols, (str, numbers.Integral)) and not isinstance(cols, bool):
        cols = [cols]
    cols = list(cols)
    known = set(names)                 # a frame of ~800 columns: list lookups made this quadratic
    missing = [c for c in cols if isinstance(c, str) and c not in known]
    if missing:
        raise H2OValueError("Column%s %s not in the training frame"
                            % ("s" if len(missing) > 1 else "", ", ".join(missing)), var_name=what)
    return [_resolve_column(c, names, what, known) for c in cols]


class H2OEstimator(BackgroundJobMixin, ModelBase):
    """Base of the estimators: parameter storage, train/start/join, the sklearn shims."""

    algo = None
    supervised_learning = True
    _rest_version = 3

    def __init__(self):
        super().__init__()
        self._parms = {}
        self._job = None
        self._future = False

    # ---- training ------------------------------------------------------------------------------
    def train(self, x=None, y=None, training_frame=None, offset_column=None, fold_column=None, weights_column=None,
              validation_frame=None, max_runtime_secs=None, ignored_columns=None, model_id=None, verbose=False):
        """Train on ``training_frame`` and return ``self``, now holding the model."""
        parms = self._make_parms(x=x, y=y, training_frame=training_frame, offset_column=offset_column,
                                 fold_column=fold_column, weights_column=weights_column,
                                 validation_frame=validation_frame, max_runtime_secs=max_runtime_secs,
                                 ignored_columns=ignored_columns, model_id=model_id)
        self._train(parms, verbose=verbose)
        return self

    def _finish_job(self, dest_key):
        self._fetch_model(dest_key)

    def _train(self, parms, verbose=False):
        response = api("POST /%d/ModelBuilders/%s" % (self._rest_version, self.algo), data=parms)
        warn_messages(response.get("messages"))
        job = H2OJob(response, "%s Model Build" % self.algo)
        if self._future:
            self._job = job
            return
        job.poll(poll_updates=self._print_scoring_history if verbose else None)
        self._fetch_model(job.dest_key)

    def _print_scoring_history(self, job, bar_progress=0):
        """verbose=True: show the scoring history so far, at most once per tenth of progress."""
        from ..h2o_models import get_model
        decile = int(bar_progress * 10)
        if decile == getattr(self, "_last_printed_decile", None):
            return
        self._last_printed_decile = decile
        try:
            model = get_model(job.dest_key)
            print("\nScoring History for Model " + str(model.model_id))
            print(model.scoring_history().tail())
        except Exception:       # the model may not exist yet
            print("Model build is starting now...")

    def _fetch_model(self, model_key):
        model_json = api("GET /%d/Models/%s" % (self._rest_version, model_key))["models"][0]
        self._resolve_model(model_key, model_json)

    def _resolve_model(self, model_id, model_json):
        super()._resolve_model(model_id, model_json)
        category = model_json.get("output", {}).get("model_category")
        self.__class__ = category_subclass(type(self), category)

    def _make_parms(self, x=None, y=None, training_frame=None, offset_column=None, fold_column=None,
                    weights_column=None, validation_frame=None, max_runtime_secs=None, ignored_columns=None,
                    model_id=None):
        """The form fields of a model build: parameters + response_column + ignored_columns."""
        if training_frame is None:
            training_frame = self._parms.get("training_frame")
        if training_frame is None:
            raise H2OValueError("Argument `training_frame` is required", var_name="training_frame")
        if validation_frame is None:
            validation_frame = self._parms.get("validation_frame")
        names, types = frame_columns(training_frame)
        parms = dict(self._parms)
        if self.supervised_learning and not parms.get("autoencoder"):
            if y is None:
                y = parms.get("response_column") or "response"
                if y not in names:
                    raise H2OValueError("Argument `y` (the response column) is required for a supervised model "
                                        "(only autoencoders train without one); the training frame has no "
                                        "column named %r" % y, var_name="y")
            y = _resolve_column(y, names, "y")
            self._estimator_type = "classifier" if types.get(y) == "enum" else "regressor"
        else:
            y = None
            self._estimator_type = "unsupervised"
        if ignored_columns is not None and x is not None:
            raise H2OValueError("Properties x and ignored_columns cannot be specified simultaneously")
        if ignored_columns is None and x is None:
            ignored_columns = parms.get("ignored_columns")
        special = {}
        for pname, value in (("offset_column", offset_column), ("fold_column", fold_column),
                             ("weights_column", weights_column)):
            value = parms.get(pname) if value is None else value
            special[pname] = None if value is None else _resolve_column(value, names, pname)
            parms[pname] = special[pname]
        if ignored_columns is not None:
            ignored = set(_resolve_columns(ignored_columns, names, "ignored_columns"))
            xset = [n for n in names if n not in ignored and n != y]
        elif x is None:
            xset = [n for n in names if n != y]
        else:
            xset = _resolve_columns(x, names, "x")
        keep = set(xset) | {y} | {v for v in special.values() if v is not None}
        keep.discard(None)
        ignored_out = [n for n in names if n not in keep]
        parms["ignored_columns"] = ignored_out or None
        if y is not None:
            parms["response_column"] = y
        else:
            parms.pop("response_column", None)
        parms["training_frame"] = training_frame
        if validation_frame is not None:
            parms["validation_frame"] = validation_frame
        if max_runtime_secs is not None:
            parms["max_runtime_secs"] = max_runtime_secs
        if model_id is not None:
            parms["model_id"] = model_id
        return {k: keyify(v) for k, v in parms.items() if v is not None}

    # ---- sklearn shims -------------------------------------------------------------------------
    def fit(self, X, y=None, **params):
        """sklearn's ``fit``: X (and y) are H2OFrames; trains on their column-bind."""
        stack_modules = [inspect.getmodule(f[0]) for f in inspect.stack()[1:]]
        if not any(m is not None and "sklearn" in m.__name__ for m in stack_modules):
            warnings.warn("\n\n\t`fit` is not recommended outside of the sklearn framework. Use `train` instead.",
                          UserWarning, stacklevel=2)
        training_frame = X.cbind(y) if y is not None else X
        self.train(X.names, y.names[0] if y is not None else None, training_frame, **params)
        return self

    def get_params(self, deep=True):
        """The estimator's parameters (sklearn's ``get_params``)."""
        out = {}
        for key, value in self._parms.items():
            if key.startswith("_"):
                continue
            if deep and isinstance(value, H2OEstimator):
                out.update((key + "__" + k, v) for k, v in value.get_params().items())
            out[key] = value
        return out

    def set_params(self, **parms):
        """Set parameters (sklearn's ``set_params``); validated like the constructor's."""
        for k, v in parms.items():
            self._set_param(k, v)
        return self

    def _set_param(self, name, value):
        self._parms[name] = value
