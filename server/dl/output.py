"""A model as H2O's REST API shows it (``GET /3/Models/{id}``): parameters and output tables."""
from __future__ import annotations

import numpy as np

from ..keys import key_json
from .model import DeepLearningModel, base_activation
from .parameters import parameters_json
from .scoring import history_metric_names
from .validation import actual_params


def model_summary_table(model: DeepLearningModel) -> dict:
    """"Status of Neuron Layers" (internals §11)."""
    from ..metrics import two_dim_table
    p = model.params
    net = model.net
    cfg = net.config
    units = list(net.units)
    act = base_activation(p["activation"])
    dropout_layers = p["activation"].endswith("WithDropout")
    stats = net.layer_stats()
    rows = [[1, units[0], "Input", float(p["input_dropout_ratio"]) * 100.0] + [None] * 9]
    for i, h in enumerate(units[1:-1]):
        s = stats[i]
        kind = act + ("Dropout" if dropout_layers else "")
        rows.append([i + 2, h, kind, float(cfg.hidden_dropout_ratios[i]) * 100.0, float(p["l1"]),
                     float(p["l2"]), s["mean_rate"], s["rate_rms"], s["momentum"], s["mean_weight"],
                     s["weight_rms"], s["mean_bias"], s["bias_rms"]])
    s = stats[-1]
    out_kind = {"Regression": "Linear", "AutoEncoder": act}.get(model.category, "Softmax")
    rows.append([len(units), units[-1], out_kind, None, float(p["l1"]), float(p["l2"]), s["mean_rate"],
                 s["rate_rms"], s["momentum"], s["mean_weight"], s["weight_rms"], s["mean_bias"], s["bias_rms"]])
    cols = [("layer", "int", "%d"), ("units", "int", "%d"), ("type", "string", "%s"),
            ("dropout", "double", "%.2f %%"), ("l1", "double", "%5f"), ("l2", "double", "%5f"),
            ("mean_rate", "double", "%5f"), ("rate_rms", "double", "%5f"), ("momentum", "double", "%5f"),
            ("mean_weight", "double", "%5f"), ("weight_rms", "double", "%5f"),
            ("mean_bias", "double", "%5f"), ("bias_rms", "double", "%5f")]
    n_params = sum(units[i] * units[i + 1] + units[i + 1] for i in range(len(units) - 1))
    return two_dim_table("Status of Neuron Layers", summary_description(model, n_params), cols, rows,
                         row_headers=[""] * len(rows))


def summary_description(model: DeepLearningModel, n_params: int) -> str:
    p = model.params
    if model.is_autoencoder:
        what = "auto-encoder"
    elif model.is_classifier:
        what = f"predicting {model.response_column}, {len(model.data_info.response_domain)}-class classification"
    else:
        what = f"predicting {model.response_column}, regression"
    loss = p["loss"] if p["loss"] not in (None, "Automatic") else "Automatic"
    size = pretty_bytes(n_params * 4 * (3 if p["adaptive_rate"] else 1))
    return (f"{what}, {p['distribution']} distribution, {loss} loss, {n_params:,} weights/biases, "
            f"{size}, {model.processed:,} training samples, mini-batch size {int(p['mini_batch_size'])}")


def pretty_bytes(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if n < 1024 or unit == "TB":
            return f"{n:.1f} {unit}" if unit != "B" else f"{int(n)}  B"
        n /= 1024.0
    return f"{n:.1f} TB"


def scoring_history_table(model: DeepLearningModel) -> dict:
    from ..metrics import two_dim_table
    cols = [("timestamp", "string", "%s"), ("duration", "string", "%s"),
            ("training_speed", "string", "%s"), ("epochs", "double", "%.5f"),
            ("iterations", "int", "%d"), ("samples", "double", "%f")]
    names = [c for c, _ in history_metric_names(model.category)]
    prefixes = ["training"] + (["validation"] if model.validation_frame else [])
    cols += [(f"{pre}_{n}", "double", "%.5f") for pre in prefixes for n in names]
    rows = [[r.get(c[0]) for c in cols] for r in model.scoring_history]
    return two_dim_table("Scoring History", "", cols, rows, row_headers=[""] * len(rows))


def varimp_table(model: DeepLearningModel) -> dict | None:
    from ..metrics import two_dim_table
    if not model.variable_importances:
        return None
    cols = [("variable", "string", "%s"), ("relative_importance", "double", "%5f"),
            ("scaled_importance", "double", "%5f"), ("percentage", "double", "%5f")]
    return two_dim_table("Variable Importances", "", cols, [list(r) for r in model.variable_importances])


def model_json(model: DeepLearningModel) -> dict:
    di = model.data_info
    p = model.params
    names = di.output_names()
    domains = di.output_domains()
    end = model.end_time
    export = bool(p.get("export_weights_and_biases"))
    output = {
        "__meta": {"schema_version": 3, "schema_name": "DeepLearningModelOutputV3",
                   "schema_type": "DeepLearningOutput"},
        "names": names, "original_names": None, "column_types": None, "domains": domains,
        "cross_validation_models": [key_json(k, "Model") for k in model.cross_validation_models] or None,
        "cross_validation_predictions": [key_json(k) for k in model.cross_validation_predictions] or None,
        "cross_validation_holdout_predictions_frame_id": key_json(model.cross_validation_holdout_predictions),
        "cross_validation_fold_assignment_frame_id": key_json(model.cross_validation_fold_assignment),
        "model_category": model.category,
        "model_summary": model_summary_table(model),
        "scoring_history": scoring_history_table(model),
        "cv_scoring_history": model.cv_scoring_history or None,
        "training_metrics": model.training_metrics,
        "validation_metrics": model.validation_metrics,
        "cross_validation_metrics": model.cross_validation_metrics,
        "cross_validation_metrics_summary": model.cross_validation_metrics_summary,
        "status": model.status, "start_time": model.start_time, "end_time": end,
        "run_time": (end - model.start_time) if end else None,
        "default_threshold": model.default_threshold if model.category == "Binomial" else None,
        "help": {},
        "variable_importances": varimp_table(model),
        "weights": [key_json(k) for k in model.weight_keys] if export else None,
        "biases": [key_json(k) for k in model.bias_keys] if export else None,
        "normmul": list(map(float, di.norm_mul)) if export else None,
        "normsub": list(map(float, di.norm_sub)) if export else None,
        "normrespmul": [float(di.resp_mul)] if export and not model.is_classifier else None,
        "normrespsub": [float(di.resp_sub)] if export and not model.is_classifier else None,
        "catoffsets": list(map(int, di.cat_offsets)) if export else None,
        "epoch_counter": model.epoch_counter, "training_rows": model.training_rows,
        "warnings": list(model.warnings),
    }
    return {
        "__meta": {"schema_version": 3, "schema_name": "DeepLearningModelV3", "schema_type": "DeepLearningModel"},
        "model_id": key_json(model.key, "Model"),
        "algo": "deeplearning", "algo_full_name": "Deep Learning",
        "response_column_name": None if model.is_autoencoder else model.response_column,
        "treatment_column_name": None,
        "data_frame": key_json(model.training_frame),
        "timestamp": model.start_time, "have_pojo": False, "have_mojo": False,
        "parameters": parameters_json({**actual_params(model.input_params, model.params), **model.param_overrides},
                                      model.input_params),
        "output": output,
        "compatible_frames": [],
        "checksum": model_checksum(model),
    }


def model_checksum(model: DeepLearningModel) -> int:
    """A stable 63-bit fingerprint of the weights (changes whenever the model does)."""
    import zlib
    acc = 0
    for layer in range(len(model.net.units) - 1):
        acc = zlib.crc32(np.ascontiguousarray(model.net.weights(layer)).tobytes(), acc)
    return int(acc)
