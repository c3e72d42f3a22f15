"""Saving and loading models: a versioned, checksummed file that loads without running code.

The file is a ZIP archive holding ``manifest.json`` (format name and version, the model's
JSON state and a SHA-256 of every array) and one ``.npy`` per array (read with
``allow_pickle=False``). It is written to a temporary file and renamed into place, so a crash
never leaves half a model under the final name. Files of format version N load in every
later release; a newer, corrupt, truncated or foreign file is refused with a clear message.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import tempfile
import zipfile

import numpy as np

from .. import __version__
from ..errors import H2OError
from .model import DeepLearningModel

FORMAT = "h2olite-deeplearning-model"
FORMAT_VERSION = 1

# DeepLearningModel fields stored as JSON (everything but the network and DataInfo)
_STATE_FIELDS = ("key", "params", "input_params", "category", "training_frame", "validation_frame",
                 "scoring_history", "training_metrics", "validation_metrics", "cross_validation_metrics",
                 "cross_validation_metrics_summary", "cross_validation_models",
                 "cross_validation_predictions", "cross_validation_holdout_predictions",
                 "cross_validation_fold_assignment", "cv_scoring_history", "variable_importances",
                 "default_threshold", "processed", "iterations", "training_rows", "epoch_counter",
                 "total_train_ms", "total_score_ms", "checkpointed_ms", "score_keepers", "missing_cats_seen",
                 "param_overrides",
                 "start_time", "end_time", "status", "warnings")


def to_bytes(model: DeepLearningModel) -> bytes:
    """The model file's bytes (for ``download_model``)."""
    buf = io.BytesIO()
    _write(model, buf)
    return buf.getvalue()


def save(model: DeepLearningModel, path: str, force: bool = False) -> str:
    """Write ``model`` to ``path`` atomically; returns the absolute path written."""
    path = os.path.abspath(path)
    if os.path.isdir(path):
        raise H2OError(f"Cannot save model to '{path}': it is a directory")
    if os.path.exists(path) and not force:
        raise H2OError(f"File '{path}' already exists; use force=True to overwrite it")
    directory = os.path.dirname(path)
    try:
        os.makedirs(directory, exist_ok=True)
    except OSError as e:
        raise H2OError(f"Cannot create directory '{directory}': {e.strerror}") from None

    fd, tmp = tempfile.mkstemp(prefix=".h2olite-", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as f:
            _write(model, f)
        os.chmod(tmp, 0o644)              # mkstemp creates 0600; a saved model is an ordinary file
        os.replace(tmp, path)
    except OSError as e:
        os.unlink(tmp) if os.path.exists(tmp) else None
        raise H2OError(f"Cannot write model file '{path}': {e.strerror or e}") from None
    return path


def _write(model: DeepLearningModel, f) -> None:
    arrays = {f"net/{k}": v for k, v in model.net.to_arrays().items()}
    if model.prior_class_dist is not None:
        arrays["prior_class_dist"] = np.asarray(model.prior_class_dist)
        arrays["model_class_dist"] = np.asarray(model.model_class_dist)
    blobs = {}
    for name, arr in arrays.items():
        buf = io.BytesIO()
        np.save(buf, np.ascontiguousarray(arr), allow_pickle=False)
        blobs[f"{name}.npy"] = buf.getvalue()
    manifest = {
        "format": FORMAT, "format_version": FORMAT_VERSION, "h2olite_version": __version__,
        "state": {f: _jsonable(getattr(model, f)) for f in _STATE_FIELDS},
        "data_info": model.data_info.to_json(),
        "arrays": {name: hashlib.sha256(b).hexdigest() for name, b in blobs.items()},
    }
    with zipfile.ZipFile(f, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("manifest.json", json.dumps(manifest))
        for name, b in blobs.items():
            z.writestr(name, b)


def load(path: str) -> DeepLearningModel:
    """Read a model file written by ``save`` (this or an earlier format version)."""
    path = os.path.abspath(path)
    if not os.path.exists(path):
        raise H2OError(f"File '{path}' does not exist", http_status=404)
    if os.path.isdir(path):
        raise H2OError(f"'{path}' is a directory, not a model file")
    with open(path, "rb") as f:
        return from_file(f, path)


def from_file(f, path: str) -> DeepLearningModel:
    """Read a model from an open binary file; ``path`` names it in error messages."""
    from .data_info import DataInfo
    from .kernels import Network
    from .trainer import train_config
    try:
        with zipfile.ZipFile(f) as z:
            manifest = json.loads(z.read("manifest.json"))
            if manifest.get("format") != FORMAT:
                raise H2OError(f"'{path}' is not an h2olite model file")
            version = manifest.get("format_version")
            if not isinstance(version, int) or version > FORMAT_VERSION:
                raise H2OError(f"Model file '{path}' has format version {version}, newer than this "
                               f"h2olite ({__version__}) reads ({FORMAT_VERSION}); upgrade h2olite")
            arrays = {}
            for name, digest in manifest["arrays"].items():
                blob = z.read(name)
                if hashlib.sha256(blob).hexdigest() != digest:
                    raise H2OError(f"Model file '{path}' is corrupt: checksum mismatch in {name}")
                arrays[name[:-4]] = np.load(io.BytesIO(blob), allow_pickle=False)
    except (zipfile.BadZipFile, KeyError, ValueError, EOFError) as e:
        raise H2OError(f"'{path}' is not a readable h2olite model file (corrupt or truncated: {e})") from None
    state = manifest["state"]
    model = DeepLearningModel(data_info=DataInfo.from_json(manifest["data_info"]), net=None,
                              **{k: state[k] for k in _STATE_FIELDS if k in state})
    net_arrays = {k[4:]: v for k, v in arrays.items() if k.startswith("net/")}
    model.net = Network.from_arrays(net_arrays, train_config(model.params, model.category))
    if "prior_class_dist" in arrays:
        model.prior_class_dist = arrays["prior_class_dist"]
        model.model_class_dist = arrays["model_class_dist"]
    return model


def _jsonable(v):
    if isinstance(v, np.ndarray):
        return v.tolist()
    if isinstance(v, (np.floating, np.integer)):
        return v.item()
    if isinstance(v, (list, tuple)):
        return [_jsonable(x) for x in v]
    if isinstance(v, dict):
        return {k: _jsonable(x) for k, x in v.items()}
    return v
