"""Top-level model functions: get_model, models, save/load, get_grid, and the 2015 function style.

``deeplearning()`` / ``autoencoder()`` restore the function-style API of the 2015 booklet
(removed from h2o-py in 2016): every parameter defaults to None, meaning "not sent", and x/y may
be column names, indices or H2OFrames.
"""
from __future__ import annotations

import inspect
import os

from h2olite_server.dl.parameters import PARAMETERS

from .backend.connection import api
from .exceptions import H2OValueError
from .model.model_base import ModelBase

__all__ = ["get_model", "models", "save_model", "load_model", "download_model", "upload_model", "get_grid",
           "deeplearning", "autoencoder"]

_KEY_FIELDS = {"Key<Frame>": "name", "Key<Model>": "name", "VecSpecifier": "column_name"}


def _estimator_for(model_json):
    from .estimators.deeplearning import H2OAutoEncoderEstimator, H2ODeepLearningEstimator
    algo = model_json.get("algo")
    if algo != "deeplearning":
        raise H2OValueError("Model %s was built by algorithm %r, which h2olite does not provide"
                            % (model_json.get("model_id", {}).get("name"), algo))
    if (model_json.get("output") or {}).get("model_category") == "AutoEncoder":
        return H2OAutoEncoderEstimator()
    return H2ODeepLearningEstimator()


def _plain_value(p):
    """A parameter's actual value with keys flattened to their names."""
    v = p.get("actual_value")
    field = _KEY_FIELDS.get(p.get("type"))
    if isinstance(v, dict) and field:
        return v.get(field) or v.get("name")
    if isinstance(v, list) and p.get("type") == "Key<Frame>[]":
        return [x.get("name") if isinstance(x, dict) else x for x in v]
    return v


def model_from_json(model_json):
    """An estimator object of the right class holding the model described by ``model_json``."""
    m = _estimator_for(model_json)
    for p in model_json.get("parameters") or []:
        if p["name"] in m._parms and p["name"] != "model_id":   # retraining must not overwrite this model
            m._parms[p["name"]] = _plain_value(p)
    m._resolve_model(model_json["model_id"]["name"], model_json)
    return m


def get_model(model_id):
    """The model stored under ``model_id``, as an estimator of the right class."""
    if isinstance(model_id, ModelBase):
        model_id = model_id.model_id
    if not isinstance(model_id, str) or not model_id:
        raise H2OValueError("`model_id` must be a non-empty string, got %r" % (model_id,), var_name="model_id")
    model_json = api("GET /3/Models/%s" % model_id)["models"][0]
    return model_from_json(model_json)


def models():
    """Ids of all models on the backend."""
    return [m["model_id"]["name"] for m in api("GET /3/Models").get("models") or []]


def _model_key(model):
    if isinstance(model, ModelBase):
        if model.model_id is None:
            raise H2OValueError("This model has no key (it was never trained or has been removed)", var_name="model")
        return model.model_id
    if isinstance(model, str):
        return model
    raise H2OValueError("`model` must be a model object or a model id, got %r" % (model,), var_name="model")


def save_model(model, path="", force=False, export_cross_validation_predictions=False, filename=None):
    """Save ``model`` to ``<path or cwd>/<filename or model_id>`` and return that file path."""
    key = _model_key(model)
    target = os.path.abspath(os.path.join(os.getcwd() if path == "" else os.path.expanduser(path),
                                          key if filename is None else filename))
    res = api("GET /99/Models.bin/%s" % key, data={"dir": target, "force": bool(force),
                                                   "export_cross_validation_predictions":
                                                       bool(export_cross_validation_predictions)})
    return res["dir"]


def load_model(path):
    """Load a model saved by save_model; it keeps its original model id."""
    if not isinstance(path, str) or not path:
        raise H2OValueError("`path` must be a file path, got %r" % (path,), var_name="path")
    res = api("POST /99/Models.bin/", data={"dir": os.path.abspath(os.path.expanduser(path))})
    return get_model(res["models"][0]["model_id"]["name"])


def download_model(model, path="", export_cross_validation_predictions=False, filename=None):
    """Copy the model's binary file to the client machine; returns the local path."""
    key = _model_key(model)
    target = os.path.abspath(os.path.join(os.getcwd() if path == "" else os.path.expanduser(path),
                                          key if filename is None else filename))
    os.makedirs(os.path.dirname(target), exist_ok=True)
    api("GET /3/Models.fetch.bin/%s" % key,
        data={"export_cross_validation_predictions": bool(export_cross_validation_predictions)}, save_to=target)
    return target


def upload_model(path):
    """Push a model file from the client machine to the backend; returns the model."""
    path = os.path.abspath(os.path.expanduser(path))
    if not os.path.isfile(path):
        raise H2OValueError("File %s does not exist" % path, var_name="path")
    uploaded = api("POST /3/PostFile.bin", filename=path)["destination_frame"]
    res = api("POST /99/Models.upload.bin/", data={"dir": uploaded})
    return get_model(res["models"][0]["model_id"]["name"])


def get_grid(grid_id):
    """The grid stored under ``grid_id``, with its hyper_params rebuilt from its models."""
    from .grid.grid_search import H2OGridSearch
    from .two_dim_table import convert_tables
    grid_json = convert_tables(api("GET /99/Grids/%s" % grid_id))
    grid_models = H2OGridSearch._fetch_models(grid_json)
    if grid_models:
        estimator = getattr(type(grid_models[0]), "_base_estimator_class", type(grid_models[0]))()
    else:
        from .estimators.deeplearning import H2ODeepLearningEstimator
        estimator = H2ODeepLearningEstimator()
    hyper_params = {}
    for name in grid_json.get("hyper_names") or []:
        values = []
        for m in grid_models:
            v = m.full_parameters[name]["actual_value"] if name in m.full_parameters else None
            if v not in values:
                values.append(v)
        hyper_params[name] = values
    gs = H2OGridSearch(estimator, hyper_params, grid_json.get("grid_id", {}).get("name", grid_id))
    gs._grid_json = grid_json
    gs.models = grid_models
    return gs


# ---- 2015 function style --------------------------------------------------------------------------
def _frame_names(frame):
    return list(frame.names)


def deeplearning(x=None, y=None, validation_x=None, validation_y=None, training_frame=None, model_id=None,
                 validation_frame=None, **params):
    """Train a Deep Learning model and return it (the 2015 booklet's ``h2o.deeplearning``).

    Parameters left at None are not sent, so the backend's defaults apply. ``x``/``y`` are column
    names or indices of ``training_frame``, or H2OFrames (then the training frame is their
    column-bind when ``training_frame`` is not given).
    """
    from .estimators.deeplearning import H2OAutoEncoderEstimator, H2ODeepLearningEstimator
    special = {k: params.pop(k) for k in ("offset_column", "weights_column", "fold_column", "max_runtime_secs",
                                          "ignored_columns") if k in params}
    known = {p.name for p in PARAMETERS}
    unknown = [k for k in params if k not in known]
    if unknown:
        raise H2OValueError("Unknown parameter%s for deeplearning: %s"
                            % ("s" if len(unknown) > 1 else "", ", ".join(unknown)), var_name=unknown[0])
    is_frame = lambda v: hasattr(v, "frame_id") and not isinstance(v, str)  # noqa: E731
    if x is None and training_frame is None:
        raise H2OValueError("deeplearning() needs `x` and `training_frame` (or x as an H2OFrame)", var_name="x")
    autoencoder_on = bool(params.get("autoencoder"))
    if autoencoder_on and y is not None:
        raise H2OValueError("`y` must not be given when autoencoder=True: an autoencoder is unsupervised",
                            var_name="y")
    if is_frame(x):
        xframe = x
        x = _frame_names(xframe)
        if training_frame is None:
            training_frame = xframe.cbind(y) if is_frame(y) else xframe
    if is_frame(y):
        y = _frame_names(y)[0]
    if is_frame(validation_x) and validation_frame is None:
        validation_frame = validation_x.cbind(validation_y) if is_frame(validation_y) else validation_x
    for k in ("offset_column", "weights_column", "fold_column"):
        if is_frame(special.get(k)):
            special[k] = _frame_names(special[k])[0]
    given = {k: v for k, v in params.items() if v is not None}
    if model_id is not None:
        given["model_id"] = model_id
    cls = H2OAutoEncoderEstimator if autoencoder_on else H2ODeepLearningEstimator
    est = cls(**given)
    for name in list(est._parms):                    # None = not sent: the backend's default applies
        if name not in given and not (name == "autoencoder" and autoencoder_on):
            est._parms[name] = None
    est.train(x=x, y=y, training_frame=training_frame, validation_frame=validation_frame, **special)
    return est


def autoencoder(x=None, training_frame=None, model_id=None, **params):
    """Train a Deep Learning auto-encoder (the 2015 booklet's ``h2o.autoencoder``)."""
    params["autoencoder"] = True
    return deeplearning(x=x, training_frame=training_frame, model_id=model_id, **params)


def _function_signature(head, exclude=()):
    params = [inspect.Parameter(n, inspect.Parameter.POSITIONAL_OR_KEYWORD, default=None) for n in head]
    params += [inspect.Parameter(p.name, inspect.Parameter.KEYWORD_ONLY, default=None)
               for p in PARAMETERS if p.name not in head and p.name not in exclude]
    return inspect.Signature(params)


deeplearning.__signature__ = _function_signature(
    ("x", "y", "validation_x", "validation_y", "training_frame", "model_id", "validation_frame"),
    exclude=("response_column",))
autoencoder.__signature__ = _function_signature(("x", "training_frame", "model_id"),
                                                exclude=("response_column", "autoencoder"))
