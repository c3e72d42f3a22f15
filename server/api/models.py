"""Model building, model JSON, predictions and metrics (H2O's ModelBuilders/Models/Predictions)."""
from __future__ import annotations

from flask import jsonify, request

from ..app import backend
from ..errors import H2OError
from ..frames import Frame
from ..jobs import Job
from . import params as wire
from .registry import Api, Param

api = Api("models")

ALGO = "deeplearning"


def _algo(algo: str) -> None:
    if algo.lower() != ALGO:
        raise H2OError(f"Unknown algorithm '{algo}': h2olite builds only 'deeplearning' models", http_status=404)


def _model(key: str):
    from ..dl.model import DeepLearningModel
    return backend().store.get(key, DeepLearningModel, "model")


def _frame(key: str) -> Frame:
    return backend().store.get(key, Frame, "frame")


@api.route("/3/ModelBuilders", "GET", "The model builders this backend offers")
def builders():
    from ..dl.parameters import model_builder_json
    return jsonify(model_builder_json())


@api.route("/3/ModelBuilders/<algo>", "GET", "Parameter table of an algorithm (names, types, defaults, values, help)")
def builder(algo):
    _algo(algo)
    from ..dl.parameters import model_builder_json
    return jsonify(model_builder_json())


def start_build(raw: dict, model_key: str | None = None) -> tuple[Job, list[dict]]:
    """Validate ``raw`` request parameters and start the build job."""
    from ..dl.builder import prepare, run_build
    b = backend()
    params, input_params, messages = prepare(b.store, raw)
    key = model_key or params.get("model_id") or b.model_key(request.headers.get("User-Agent", ""))
    params["model_id"] = key
    # the clients warn about the WARN messages of this response; the job, like H2O's, carries only
    # the warnings raised while building
    job = Job("DeepLearning model build", key, "Key<Model>")

    def work(j):
        run_build(b, j, params, input_params, key)
        return key

    b.jobs.start(job, work)
    return job, messages


@api.route("/3/ModelBuilders/<algo>", "POST",
           "Train a model: form fields are the model parameters (see GET /3/ModelBuilders/deeplearning); returns a job",
           params={"training_frame": Param("string", "key of the training frame", required=True),
                   "response_column": Param("string", "response column name"),
                   "validation_frame": Param("string", "key of the validation frame")})
def build(algo):
    _algo(algo)
    job, messages = start_build(wire.all_args())
    return jsonify({"__meta": {"schema_version": 3, "schema_name": "DeepLearningV3", "schema_type": "DeepLearning"},
                    "algo": ALGO, "job": job.to_json(), "messages": messages,
                    "error_count": 0, "parameters": []})


@api.route("/3/ModelBuilders/<algo>/parameters", "POST", "Validate model parameters without training")
def validate_only(algo):
    _algo(algo)
    from ..dl.builder import prepare
    _, _, messages = prepare(backend().store, wire.all_args())
    return jsonify({"__meta": {"schema_version": 3, "schema_name": "DeepLearningV3", "schema_type": "DeepLearning"},
                    "algo": ALGO, "messages": messages, "error_count": 0, "parameters": []})


def _models_json(models) -> dict:
    from ..dl.output import model_json
    return {"__meta": {"schema_version": 3, "schema_name": "ModelsV3", "schema_type": "Models"},
            "models": [model_json(m) for m in models]}


@api.route("/3/Models", "GET", "All models")
def list_models():
    from ..dl.model import DeepLearningModel
    return jsonify(_models_json(m for _, m in backend().store.items(DeepLearningModel)))


@api.route("/3/Models/<path:key>", "GET", "One model: parameters, output tables, metrics")
def get_model(key):
    return jsonify(_models_json([_model(key)]))


@api.route("/99/Models/<path:key>", "GET", "One model (same as /3/Models/{key})")
def get_model99(key):
    return get_model(key)


@api.route("/3/Models/<path:key>", "DELETE", "Remove a model (and the CV models it owns)")
def delete_model(key):
    from .dkv import remove_key
    _model(key)
    remove_key(key, cascade=True)
    return jsonify({"__meta": {"schema_version": 3, "schema_name": "ModelsV3", "schema_type": "Models"},
                    "models": []})


def _prediction_frame(model, frame: Frame, args: dict) -> Frame:
    """The frame a prediction request asks for: predictions, reconstruction error or features."""
    layer = args.get("deep_features_hidden_layer")
    if layer not in (None, "", "-1"):
        return model.deep_features(frame, wire.as_int(layer, "deep_features_hidden_layer"))
    if wire.as_bool(args.get("reconstruction_error", False), "reconstruction_error"):
        per = wire.as_bool(args.get("reconstruction_error_per_feature", False), "reconstruction_error_per_feature")
        return model.reconstruction_error(frame, per_feature=per)
    return model.predict_frame(frame)


def _prediction_key(model, frame: Frame, args: dict) -> str:
    from ..store import check_key
    dest = args.get("predictions_frame")
    if dest:
        return check_key(str(dest), "predictions_frame")
    layer = args.get("deep_features_hidden_layer")
    if layer not in (None, "", "-1"):
        return f"deepfeatures_{model.key}_on_{frame.key}"
    if wire.as_bool(args.get("reconstruction_error", False), "reconstruction_error"):
        return f"reconstruction_error_{model.key}_on_{frame.key}"
    return f"prediction_{model.key}_on_{frame.key}"


@api.route("/4/Predictions/models/<path:model>/frames/<path:frame>", "POST",
           "Predict (or compute deep features) as a job; the job's dest is the prediction frame",
           params={"predictions_frame": Param("string", "key for the result"),
                   "deep_features_hidden_layer": Param("integer", "0-based hidden layer for deep features")})
def predict_job(model, frame):
    args = wire.all_args()
    m, f = _model(model), _frame(frame)
    dest = _prediction_key(m, f, args)
    b = backend()

    def work(job):
        out = _prediction_frame(m, f, args).with_key(dest)
        for w in getattr(m.data_info, "last_warnings", None) or []:
            job.warn(w)                       # e.g. a missing column scored as NA, as H2O warns
        b.store.put(dest, out)
        return dest

    job = b.jobs.start(Job(f"{ALGO} prediction", dest, "Key<Frame>"), work)
    return jsonify(job.to_json())


@api.route("/3/Predictions/models/<path:model>/frames/<path:frame>", "POST",
           "Predict synchronously; also reconstruction_error(_per_feature) for autoencoders",
           params={"predictions_frame": Param("string", "key for the result"),
                   "reconstruction_error": Param("boolean", "autoencoder: per-row reconstruction MSE"),
                   "reconstruction_error_per_feature": Param("boolean", "autoencoder: per-unit squared error"),
                   "deep_features_hidden_layer": Param("integer", "0-based hidden layer")})
def predict_sync(model, frame):
    args = wire.all_args()
    m, f = _model(model), _frame(frame)
    dest = _prediction_key(m, f, args)
    out = _prediction_frame(m, f, args).with_key(dest)
    backend().store.put(dest, out)
    return jsonify({"__meta": {"schema_version": 3, "schema_name": "ModelMetricsListSchemaV3",
                               "schema_type": "ModelMetricsList"},
                    "model": {"name": m.key}, "frame": {"name": f.key},
                    "predictions_frame": {"name": dest},
                    "model_metrics": [{"predictions": {"frame_id": {"name": dest}},
                                       "model": {"name": m.key}, "frame": {"name": f.key}}]})


@api.route("/3/ModelMetrics/models/<path:model>/frames/<path:frame>", "POST",
           "Score a model on a frame and return its metrics")
def model_metrics(model, frame):
    from ..dl.scoring import metrics_on_frame
    m, f = _model(model), _frame(frame)
    metrics = metrics_on_frame(m, f)
    return jsonify({"__meta": {"schema_version": 3, "schema_name": "ModelMetricsListSchemaV3",
                               "schema_type": "ModelMetricsList"},
                    "model_metrics": [metrics]})


@api.route("/99/Models.bin/<path:key>", "GET", "Save a model to a file on the server; dir is the full file path",
           params={"dir": Param("string", "file path to write", required=True),
                   "force": Param("boolean", "overwrite an existing file", default=False)})
def save_model(key):
    from ..dl.persist import save
    args = wire.all_args()
    path = save(_model(key), str(wire.get("dir", args=args)),
                force=wire.as_bool(args.get("force", False), "force"))
    return jsonify({"__meta": {"schema_version": 3, "schema_name": "ModelExportV3", "schema_type": "Iced"},
                    "model_id": {"name": key}, "dir": path, "force": args.get("force", False)})


@api.route("/99/Models.bin/", "POST", "Load a model file saved by /99/Models.bin/{key}; it keeps its model id",
           params={"dir": Param("string", "file path to read", required=True)})
def load_model():
    from ..dl.persist import load
    return _register_loaded(load(str(wire.get("dir"))))


@api.route("/3/Models.fetch.bin/<path:key>", "GET", "Download a model file (the bytes /99/Models.bin writes)",
           returns="application/octet-stream")
def fetch_model(key):
    from flask import Response
    from ..dl.persist import to_bytes
    return Response(to_bytes(_model(key)), mimetype="application/octet-stream",
                    headers={"Content-Disposition": f'attachment; filename="{key}"'})


@api.route("/99/Models.upload.bin/", "POST", "Load a model file uploaded with /3/PostFile.bin (dir = its key)",
           params={"dir": Param("string", "key returned by /3/PostFile.bin", required=True)})
def upload_model():
    import io
    from ..dl.persist import from_file
    from ..frames.sources import RawSource
    key = str(wire.get("dir"))
    raw = backend().store.get(key, RawSource, "uploaded file")
    model = from_file(io.BytesIO(raw.raw_bytes()), f"uploaded file {key}")
    backend().store.remove(key)
    return _register_loaded(model)


def _register_loaded(model):
    from ..dl.model import DeepLearningModel
    store = backend().store
    # references to CV models or frames that are not in this backend are dropped, not left dangling
    model.cross_validation_models = [k for k in model.cross_validation_models
                                     if store.find(k, DeepLearningModel) is not None]
    model.cross_validation_predictions = [k for k in model.cross_validation_predictions if store.find(k, Frame)]
    store.put(model.key, model)
    return jsonify({"__meta": {"schema_version": 3, "schema_name": "ModelsV3", "schema_type": "Models"},
                    "models": [{"model_id": {"name": model.key, "type": "Key<Model>",
                                             "URL": f"/3/Models/{model.key}"}}]})
