"""Model building as a job: parameters in, a stored ``DeepLearningModel`` out.

This is the one place that turns request parameters into a training run, so that a REST
build, each grid point and each cross-validation fold go through the same checks.
"""
from __future__ import annotations

import time
from typing import Callable

import numpy as np

from ..errors import H2OModelBuilderError
from ..frames import REAL, Column, Frame
from ..jobs import Job
from .model import DeepLearningModel


def err(field: str, message: str) -> dict:
    return {"message_type": "ERRR", "field_name": field, "message": message}


def prepare(store, raw: dict) -> tuple[dict, dict, list[dict]]:
    """Parse and validate request parameters -> (effective params, input params, messages).

    Raises ``H2OModelBuilderError`` (HTTP 412) listing every problem, as H2O does.
    """
    from .validation import parse_params, validate
    params = parse_params(raw)
    input_params = {k: v for k, v in params.items() if k in raw}
    train_key = params.get("training_frame")
    if not train_key:
        raise H2OModelBuilderError([err("training_frame", "Required field training_frame not specified")])
    train = store.find(train_key, Frame)
    if train is None:
        raise H2OModelBuilderError([err("training_frame", f"Training frame '{train_key}' not found")])
    valid = None
    if params.get("validation_frame"):
        valid = store.find(params["validation_frame"], Frame)
        if valid is None:
            raise H2OModelBuilderError([err("validation_frame",
                                            f"Validation frame '{params['validation_frame']}' not found")])
    effective, messages = validate(params, train, valid)
    for name in ("checkpoint", "pretrained_autoencoder"):
        key = effective.get(name)
        if key and store.find(key, DeepLearningModel) is None:
            raise H2OModelBuilderError([err(name, f"Model '{key}' given as {name} not found")])
    if effective.get("checkpoint"):
        check_checkpoint(store.get(effective["checkpoint"], DeepLearningModel), effective, train)
    if effective.get("pretrained_autoencoder"):
        check_pretrained(store.get(effective["pretrained_autoencoder"], DeepLearningModel), effective)
    return effective, input_params, messages


def run_build(backend, job: Job, params: dict, input_params: dict, model_key: str,
              progress_span=(0.0, 1.0), nthreads: int | Callable[[], int] | None = None) -> DeepLearningModel:
    """Train (with cross-validation when nfolds > 0) and store the model under ``model_key``.

    ``nthreads`` overrides the backend's thread count: a grid building several models at once
    passes its ``CoreShare.threads``, asked before every iteration.
    """
    from .cv import cross_validate, wants_cv
    from .trainer import Trainer
    store = backend.store
    train = store.get(params["training_frame"], Frame, "training frame")
    valid = store.get(params["validation_frame"], Frame, "validation frame") if params.get("validation_frame") else None
    checkpoint = store.get(params["checkpoint"], DeepLearningModel) if params.get("checkpoint") else None
    pretrained = (store.get(params["pretrained_autoencoder"], DeepLearningModel)
                  if params.get("pretrained_autoencoder") else None)
    t0 = time.time()
    nthreads = nthreads or backend.nthreads
    if wants_cv(params):
        model = cross_validate(backend, job, params, input_params, model_key, train, valid,
                               nthreads() if callable(nthreads) else nthreads)
    else:
        model = Trainer(job, params, input_params, train, valid, model_key, nthreads,
                        checkpoint=checkpoint, pretrained=pretrained, progress_span=progress_span).run()
        finish(backend, model)
    model.end_time = model.start_time + int((time.time() - t0) * 1000)
    store.put(model_key, model)
    return model


def finish(backend, model: DeepLearningModel) -> None:
    """Variable importances and exported weight frames, computed once at the end."""
    from .varimp import gedeon, varimp_rows
    p = model.params
    net = model.net
    n_layers = len(net.units) - 1
    if p.get("variable_importances"):
        w0 = net.weights(0)
        w1 = net.weights(1) if n_layers > 1 else None
        vi = gedeon(w0, w1)
        di = model.data_info
        for b, seen in enumerate(model.missing_cats_seen or []):
            if not seen:                     # an NA slot never met in training rows (H2O zeroes it)
                vi[di.cat_offsets[b + 1] - 1] = 0
        model.variable_importances = varimp_rows(list(di.coef_names), vi)
    if p.get("export_weights_and_biases"):
        store = backend.store
        model.weight_keys, model.bias_keys = [], []
        for layer in range(n_layers):
            w = net.weights(layer).astype(np.float64)
            wk, bk = f"{model.key}.weights.{layer}", f"{model.key}.biases.{layer}"
            store.put(wk, Frame([Column(f"C{i + 1}", REAL, np.ascontiguousarray(w[:, i]))
                                 for i in range(w.shape[1])], wk))
            store.put(bk, Frame([Column("C1", REAL, net.biases(layer).astype(np.float64))], bk))
            model.weight_keys.append(wk)
            model.bias_keys.append(bk)


# Parameters a checkpoint restart must keep (internals §6).
CHECKPOINT_FIXED = ("response_column", "activation", "use_all_factor_levels", "standardize",
                    "adaptive_rate", "autoencoder", "rho", "epsilon", "sparse", "sparsity_beta",
                    "rate", "rate_annealing", "rate_decay", "momentum_start", "momentum_ramp",
                    "momentum_stable", "nesterov_accelerated_gradient", "ignore_const_cols",
                    "max_categorical_features", "distribution", "quantile_alpha", "huber_alpha",
                    "tweedie_power", "hidden")


def check_checkpoint(ck: DeepLearningModel, params: dict, train: Frame) -> None:
    problems = []
    for name in CHECKPOINT_FIXED:
        a, b = ck.params.get(name), params.get(name)
        if isinstance(a, tuple) or isinstance(b, tuple):
            a, b = list(a or []), list(b or [])
        if a != b:
            problems.append(err(name, f"Cannot change {name} when continuing from checkpoint "
                                      f"'{ck.key}' (was {a!r}, now {b!r})"))
    was, now = set(ck.params.get("ignored_columns") or []), set(params.get("ignored_columns") or [])
    if was != now:
        problems.append(err("ignored_columns", f"Cannot change ignored_columns (the predictors) when continuing "
                                               f"from checkpoint '{ck.key}' (was {sorted(was)!r}, now {sorted(now)!r})"))
    if int(params.get("nfolds") or 0) != 0:
        problems.append(err("nfolds", "nfolds must be 0 when continuing from a checkpoint"))
    if float(params["epochs"]) <= ck.epoch_counter:
        problems.append(err("epochs", f"epochs ({params['epochs']}) must be larger than the "
                                      f"{ck.epoch_counter:.2f} epochs the checkpoint model '{ck.key}' "
                                      f"already trained (epochs is a total, not an increment)"))
    if bool(params.get("validation_frame")) != bool(ck.validation_frame):
        problems.append(err("validation_frame", "A checkpoint restart must keep using (or not using) "
                                                "a validation frame"))
    di = ck.data_info
    for name, domain in zip(di.predictor_names, di.domains):
        if not train.has(name):
            problems.append(err("training_frame", f"Column '{name}' of checkpoint model '{ck.key}' "
                                                  f"is missing from the training frame"))
        elif domain is not None:
            col = train.col(name)
            new = set(col.domain or ()) - set(domain)
            if new:
                problems.append(err("training_frame", f"Categorical column '{name}' has levels "
                                                      f"{sorted(new)[:5]} unseen by checkpoint model '{ck.key}'"))
    if problems:
        raise H2OModelBuilderError(problems)


def check_pretrained(ae: DeepLearningModel, params: dict) -> None:
    problems = []
    if not ae.is_autoencoder:
        problems.append(err("pretrained_autoencoder", f"Model '{ae.key}' is not an autoencoder"))
    if params.get("autoencoder"):
        problems.append(err("pretrained_autoencoder", "A pretrained autoencoder initializes a supervised "
                                                      "model; autoencoder must be false"))
    if list(ae.params["hidden"]) != list(params["hidden"]):
        problems.append(err("hidden", f"hidden {list(params['hidden'])} must equal the pretrained "
                                      f"autoencoder's {list(ae.params['hidden'])}"))
    if problems:
        raise H2OModelBuilderError(problems)
