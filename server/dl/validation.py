"""Deep Learning parameters: wire values -> typed values, H2O's checks, effective parameters.

``parse_params`` reads what the Python and R clients send (strings such as ``"True"``,
``"TRUE"``, ``"1e-05"``, ``"[32, 32]"``, ``'["C1","C2"]'``, ``"Infinity"``, free-form enum
spellings) into typed values for every parameter of ``parameters.PARAMETERS``.

``validate`` runs H2O's model-builder checks (``ModelBuilder.init``, ``DeepLearningParameters.validate``,
``checkDistributions``) against the actual training/validation frames, adds the checks h2olite needs
to keep its promise that no accepted parameter is silently ignored, and returns the *effective*
parameters (H2O's ``Sanity.modifyParms``: AUTO distribution and Automatic loss resolved, dropout
ratios filled in, adaptive-rate knobs zeroed, reproducible mode, ...).  All errors of a request are
collected and raised together as one ``H2OModelBuilderError`` whose messages name their fields.
"""
from __future__ import annotations

import json
import math
import re
import secrets

import numpy as np

from ..errors import H2OModelBuilderError
from ..frames.frame import STRING, UUID, Frame
from .data_info import dropped_columns
from .parameters import BY_NAME, DEFAULTS, NO_EFFECT_ON_ONE_MACHINE, PARAMETERS, ParamSpec

MAX_SUPPORTED_LEVELS = 1000          # H2O's Model.Parameters.MAX_SUPPORTED_LEVELS
MAX_MODEL_SIZE = 1e8                 # H2O's DeepLearning.checkMemoryFootPrint limit

DROPOUT_ACTIVATIONS = ("TanhWithDropout", "RectifierWithDropout", "MaxoutWithDropout")
CLASSIFICATION_DISTRIBUTIONS = ("bernoulli", "multinomial")
REGRESSION_DISTRIBUTIONS = ("gaussian", "poisson", "gamma", "tweedie", "laplace", "quantile", "huber")
IDENTITY_LINK_DISTRIBUTIONS = ("gaussian", "laplace", "quantile", "huber")
CLASSIFICATION_ONLY_METRICS = ("logloss", "AUC", "AUCPR", "lift_top_group", "misclassification",
                               "mean_per_class_error")
IMPLEMENTED_ENCODINGS = ("AUTO", "OneHotInternal", "Binary", "LabelEncoder", "SortByResponse", "EnumLimited")

# Parameter values h2olite cannot give their documented effect; each is rejected with its reason
# when set to anything but the default.
UNSUPPORTED_VALUES: dict[str, str] = {
    "custom_metric_func": "custom metric functions run user code inside H2O's JVM; h2olite has no "
                          "such hook, so a custom metric cannot be computed",
    "export_checkpoints_dir": "h2olite does not export intermediate models while training; save the "
                              "finished model with h2o.save_model(model, path) instead",
}

_TRUE = {"true", "t", "1", "yes"}
_FALSE = {"false", "f", "0", "no"}
_SPECIAL = {"inf": math.inf, "infinity": math.inf, "+inf": math.inf, "+infinity": math.inf,
            "-inf": -math.inf, "-infinity": -math.inf, "nan": math.nan}


def _msg(kind: str, field: str, message: str) -> dict:
    return {"__meta": {"schema_version": 3, "schema_name": "ValidationMessageV3", "schema_type": "ValidationMessage"},
            "message_type": kind, "field_name": field, "message": message}


def error(field: str, message: str) -> dict:
    return _msg("ERRR", field, message)


def warning(field: str, message: str) -> dict:
    return _msg("WARN", field, message)


def info(field: str, message: str) -> dict:
    return _msg("INFO", field, message)


# --------------------------------------------------------------------------------------------
# Wire values -> typed values
# --------------------------------------------------------------------------------------------
class _Bad(ValueError):
    """A wire value that cannot be read as its parameter's type (message says why)."""


def enum_key(s: str) -> str:
    """H2O-py's enum matching: case-insensitive after deleting every non-letter."""
    return re.sub(r"[^a-z]", "", str(s).lower())


def _cannot(p: ParamSpec, raw, type_name: str | None = None) -> _Bad:
    return _Bad(f'Illegal argument for field: {p.name} of schema: DeepLearningParametersV3: '
                f'cannot convert "{raw}" to type {type_name or p.type}')


def _bool(p, v):
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)) and v in (0, 1):
        return bool(v)
    s = str(v).strip().lower()
    if s in _TRUE:
        return True
    if s in _FALSE:
        return False
    raise _cannot(p, v)


def _float(p, v, type_name=None):
    if isinstance(v, (bool, np.bool_)):
        raise _cannot(p, v, type_name)
    if isinstance(v, (int, float, np.integer, np.floating)):
        return float(v)
    s = str(v).strip()
    if s.lower() in _SPECIAL:
        return _SPECIAL[s.lower()]
    try:
        return float(s)
    except ValueError:
        raise _cannot(p, v, type_name) from None


def _int(p, v, type_name=None):
    if isinstance(v, (int, np.integer)) and not isinstance(v, (bool, np.bool_)):
        return int(v)
    s = str(v).strip()
    try:
        return int(s)
    except ValueError:
        pass
    f = _float(p, v, type_name or ("int" if p.type.startswith("int") else p.type))
    if not math.isfinite(f) or f != int(f):
        raise _cannot(p, v, type_name or ("int" if p.type.startswith("int") else p.type))
    return int(f)


def _list(p, v) -> list:
    """``[a, b]`` / ``["a","b"]`` / a Python or JSON list / one bare value -> list."""
    if isinstance(v, (list, tuple, np.ndarray)):
        return list(v)
    s = str(v).strip()
    if not s.startswith("["):
        return [s] if s else []
    try:
        parsed = json.loads(s)
    except ValueError:
        # Python's str() of a list of strings uses single quotes; bare words as Gson-lenient.
        t = s.replace("'", '"')
        t = re.sub(r'(?<=[\[,])\s*([^\s",\[\]][^",\[\]]*?)\s*(?=[,\]])',
                   lambda m: m.group(1) if _is_json_scalar(m.group(1)) else json.dumps(m.group(1)), t)
        try:
            parsed = json.loads(t)
        except ValueError:
            raise _cannot(p, v) from None
    if not isinstance(parsed, list):
        parsed = [parsed]
    return parsed


def _is_json_scalar(s: str) -> bool:
    if s in ("true", "false", "null"):
        return True
    try:
        float(s)
        return True
    except ValueError:
        return False


def _none_like(x) -> bool:
    return x is None or (isinstance(x, str) and x.strip().lower() in ("", "none", "null", "na"))


def _key_name(p, v):
    """A frame/model key or column given as a string, a KeyV3 dict or an object with ``key``."""
    if isinstance(v, dict):
        for k in ("name", "column_name"):
            if k in v:
                return None if v[k] is None else str(v[k])
        raise _cannot(p, v)
    if isinstance(v, (bool, np.bool_, list, tuple)):
        raise _Bad(f"Parameter '{p.name}' must be a {'column name' if p.type == 'VecSpecifier' else 'key'} "
                   f"given as a string, got {v!r}")
    return str(v)


def _enum(p, v):
    wanted = enum_key(v)
    for allowed in p.values:
        if enum_key(allowed) == wanted:
            return allowed
    raise _Bad(f"Invalid value '{v}' for parameter '{p.name}'; allowed values: {', '.join(p.values)}")


def parse_value(p: ParamSpec, v):
    """One wire value -> its typed value (``None`` stays ``None``); raises ``_Bad``."""
    t = p.type
    if t == "boolean":
        return _bool(p, v)
    if t in ("int", "long"):
        return _int(p, v)
    if t in ("double", "float"):
        return _float(p, v)
    if t == "enum":
        return _enum(p, v)
    if t == "int[]":
        return tuple(_int(p, x, "int") for x in _list(p, v))
    if t in ("double[]", "float[]"):
        return tuple(_float(p, x, t[:-2]) for x in _list(p, v))
    if t == "string":
        return str(v)
    if t == "string[]":
        return tuple(str(x) for x in _list(p, v))
    if t in ("Key<Frame>", "Key<Model>", "VecSpecifier"):
        return _key_name(p, v)
    if t == "Key<Frame>[]":
        return tuple(None if _none_like(x) else _key_name(p, x) for x in _list(p, v))
    raise AssertionError(t)


def parse_params(raw: dict[str, object]) -> dict:
    """Typed values for every parameter (absent, ``None`` or ``""`` = H2O's default).

    Unknown names, unreadable values and enum values not in the allowed list each give one
    ERRR message naming the field; all are raised together as ``H2OModelBuilderError``.
    Keys starting with ``_`` (H2O's ``_exclude_fields``) are request options, not parameters.
    """
    out = dict(DEFAULTS)
    messages = []
    for name, v in raw.items():
        if name.startswith("_"):
            continue
        p = BY_NAME.get(name)
        if p is None:
            messages.append(error(name, f"Unknown parameter: {name}"))
            continue
        if v is None or (isinstance(v, str) and v.strip() == ""):
            continue
        if p.type != "string[]" and isinstance(v, str) and v.strip().lower() in ("none", "null"):
            continue
        try:
            out[name] = parse_value(p, v)
        except _Bad as e:
            messages.append(error(name, str(e)))
    if messages:
        raise H2OModelBuilderError(messages)
    return out


def given_params(raw: dict[str, object]) -> dict:
    """The typed values of only the parameters the user sent (H2O's ``input_value``)."""
    typed = parse_params(raw)
    return {k: typed[k] for k in raw if k in BY_NAME and typed[k] is not None and raw[k] not in ("", None)}


# --------------------------------------------------------------------------------------------
# Checks against the data + effective parameters
# --------------------------------------------------------------------------------------------
def predictor_columns(params: dict, frame: Frame) -> list[str]:
    """Training columns that are candidate predictors: all but ignored/response/weights/offset/fold.

    Constant, all-NA, string and UUID columns are dropped later by ``DataInfo.build``.
    """
    special = {params.get("weights_column"), params.get("offset_column"), params.get("fold_column")}
    if not params.get("autoencoder"):
        special.add(params.get("response_column"))
    ignored = set(params.get("ignored_columns") or ())
    return [n for n in frame.names if n not in special and n not in ignored]


def _is_int_valued(x: np.ndarray) -> bool:
    ok = x[~np.isnan(x)]
    return bool(np.all(ok == np.round(ok)))


class _Checker:
    """Collects messages the way H2O's ModelBuilder does (error/warn/info per field)."""

    def __init__(self):
        self.messages: list[dict] = []

    def error(self, field, message):
        self.messages.append(error(field, message))

    def warn(self, field, message):
        self.messages.append(warning(field, message))

    def info(self, field, message):
        self.messages.append(info(field, message))

    @property
    def errors(self):
        return [m for m in self.messages if m["message_type"] == "ERRR"]


def validate(params: dict, train: Frame, valid: Frame | None = None) -> tuple[dict, list[dict]]:
    """Check typed ``params`` against the frames; return (effective params, WARN/INFO messages).

    Raises ``H2OModelBuilderError`` carrying every ERRR message (plus the warnings) if anything is
    wrong.  Existence of ``checkpoint``/``pretrained_autoencoder`` models is the caller's check.
    """
    p = dict(DEFAULTS)
    p.update(params)
    c = _Checker()
    _check_plain(p, c)
    response, nclasses = _check_columns(p, train, c)
    predictors = predictor_columns(p, train)
    dropped = dropped_columns(train, predictors, p)
    _check_dropped_columns(p, c, dropped)
    if not [n for n in predictors if n not in dropped]:
        c.error("training_frame", "There are no usable columns to generate model: every predictor is ignored, "
                                  "constant, all-missing or a string column.")
    _check_problem(p, c, train, response, nclasses, predictors)
    if valid is not None:
        _check_validation_frame(p, c, train, valid, predictors)
    if not c.errors:
        _check_size(p, c, train, predictors)
    if c.errors:
        raise H2OModelBuilderError(c.messages)
    eff = effective_params(p, nclasses)
    messages = c.messages
    if p["quiet_mode"]:
        messages = [m for m in messages if m["message_type"] != "INFO"]
    return eff, messages


def _check_plain(p: dict, c: _Checker) -> None:
    """Checks that need no data (H2O's DeepLearningParameters.validate and ModelBuilder.init)."""
    hidden = p["hidden"] or ()
    if len(hidden) == 0:
        c.error("hidden", "There must be at least one hidden layer.")
    if any(h <= 0 for h in hidden):
        c.error("hidden", "Hidden layer size must be positive.")
    if p["loss"] == "ModifiedHuber":
        c.error("loss", "ModifiedHuber loss function is not supported yet.")
    if p["mini_batch_size"] < 1:
        c.error("mini_batch_size", "Mini-batch size must be >= 1")
    elif p["mini_batch_size"] > 1:
        c.info("mini_batch_size", f"Training with real mini-batches of {p['mini_batch_size']} rows "
                                  "(H2O-3 would force mini_batch_size=1).")
    if not p["diagnostics"]:
        c.warn("diagnostics", "Deprecated option: Diagnostics are always enabled.")
    if not (p["epochs"] > 0) or not math.isfinite(p["epochs"]):
        c.error("epochs", f"Number of epochs must be a positive finite number, got {p['epochs']}.")
    if p["autoencoder"] and p["nfolds"] > 1:
        c.error("nfolds", "N-fold cross-validation is not supported for Autoencoder.")
    if p["categorical_encoding"] == "Enum":
        c.error("categorical_encoding", "Cannot use Enum encoding for categoricals - need numbers!")
    elif p["categorical_encoding"] == "OneHotExplicit":
        c.error("categorical_encoding",
                "Won't use explicit Enum encoding for categoricals - it's much faster with OneHotInternal!")
    elif p["categorical_encoding"] not in IMPLEMENTED_ENCODINGS:
        c.error("categorical_encoding",
                f"categorical_encoding={p['categorical_encoding']} is not implemented in h2olite; use one of "
                f"{', '.join(IMPLEMENTED_ENCODINGS)}.")
    if p["categorical_encoding"] == "SortByResponse" and p["autoencoder"]:
        c.error("categorical_encoding",
                "Categorical encoding scheme cannot be SortByResponse - no response column available.")
    dropout_act = p["activation"] in DROPOUT_ACTIVATIONS
    hdr = p["hidden_dropout_ratios"]
    if hdr is not None:
        if len(hdr) != len(hidden):
            c.error("hidden_dropout_ratios", f"Must have {len(hidden)} hidden layer dropout ratios.")
        elif not dropout_act:
            c.error("hidden_dropout_ratios", "Cannot specify hidden_dropout_ratios with a non-dropout activation "
                                             "function. Use 'RectifierWithDropout', 'TanhWithDropout', etc.")
        elif any(not (0 <= r < 1) for r in hdr):
            c.error("hidden_dropout_ratios", "Hidden dropout ratios must be >= 0 and <1.")
    if not (0 <= p["input_dropout_ratio"] < 1):
        c.error("input_dropout_ratio", "Input dropout must be >= 0 and <1.")
    if not (0 <= p["score_duty_cycle"] <= 1):
        c.error("score_duty_cycle", "Score duty cycle must be >= 0 and <=1.")
    if p["score_interval"] < 0:
        c.error("score_interval", "Score interval must be >= 0 seconds.")
    if p["l1"] < 0:
        c.error("l1", "L1 penalty must be >= 0.")
    if p["l2"] < 0:
        c.error("l2", "L2 penalty must be >= 0.")
    if p["max_w2"] <= 0:
        c.error("max_w2", "Cannot use max_w2 <= 0.")
    if p["adaptive_rate"]:
        if not (0 <= p["rho"] < 1):
            c.error("rho", "rho (ADADELTA time decay) must be >= 0 and < 1.")
        if not (p["epsilon"] > 0):
            c.error("epsilon", "epsilon (ADADELTA smoothing) must be > 0.")
        for name, default in (("rate", 0.005), ("rate_annealing", 1e-6), ("rate_decay", 1.0),
                              ("momentum_start", 0.0), ("momentum_ramp", 1e6), ("momentum_stable", 0.0)):
            if p[name] != default:
                c.warn(name, f"{name} cannot be specified if adaptive_rate is enabled.")
    else:
        if not (p["rate"] > 0):
            c.error("rate", "Learning rate must be > 0.")
        if p["rate_annealing"] < 0:
            c.error("rate_annealing", "Rate annealing must be >= 0.")
        if not (p["rate_decay"] > 0):
            c.error("rate_decay", "Rate decay must be > 0.")
        for name in ("momentum_start", "momentum_stable"):
            if not (0 <= p[name] < 1):
                c.error(name, f"{name} must be >= 0 and < 1.")
        if p["momentum_ramp"] <= 0:
            c.error("momentum_ramp", "Momentum ramp must be > 0 (a number of training samples).")
    if p["initial_weight_distribution"] != "UniformAdaptive" and not (p["initial_weight_scale"] > 0):
        c.error("initial_weight_scale", "Initial weight scale must be > 0.")
    if (p["initial_weights"] is not None or p["initial_biases"] is not None) and p["checkpoint"] is not None:
        c.error("checkpoint", "Cannot specify initial weights or biases during checkpoint restart. "
                              "Will use the checkpoint model's weights and biases.")
    if p["initial_weights"] is not None and len(p["initial_weights"]) != len(hidden) + 1:
        c.error("initial_weights", f"The number of initial weights matrices must be {len(hidden) + 1} "
                                   "(some weight matrices can be NULL/None/null).")
    if p["initial_biases"] is not None and len(p["initial_biases"]) != len(hidden) + 1:
        c.error("initial_biases", f"The number of initial bias vectors must be {len(hidden) + 1} "
                                  "(some bias vectors can be NULL/None/null).")
    if p["autoencoder"] and p["loss"] == "CrossEntropy":
        c.error("loss", "Cannot use CrossEntropy loss for auto-encoder.")
    if p["distribution"] == "quasibinomial":
        c.error("distribution", "Quasibinomial is not supported for deeplearning in current H2O.")
    elif p["distribution"] in ("ordinal", "custom"):
        c.error("distribution", f"{p['distribution']} distribution is not supported for Deep Learning.")
    if not (1 < p["tweedie_power"] < 2):
        c.error("tweedie_power", "Tweedie power must be between 1 and 2 (exclusive). For tweedie power = 1, "
                                 "use Poisson distribution. For tweedie power = 2, use Gamma distribution.")
    if not (0 <= p["quantile_alpha"] <= 1):
        c.error("quantile_alpha", "Quantile alpha must be between 0 and 1.")
    if not (0 <= p["huber_alpha"] <= 1):
        c.error("huber_alpha", "Huber alpha must be between 0 and 1.")
    if p["score_training_samples"] < 0:
        c.error("score_training_samples", "Number of training samples for scoring must be >= 0 (0 for all).")
    if p["score_validation_samples"] < 0:
        c.error("score_validation_samples", "Number of training samples for scoring must be >= 0 (0 for all).")
    if p["train_samples_per_iteration"] < -2:
        c.error("train_samples_per_iteration", "train_samples_per_iteration must be >= -2 "
                                               "(-2: automatic, -1: all data, 0: one epoch, N: N rows).")
    if p["autoencoder"] and p["sparsity_beta"] > 0:
        if p["activation"] in ("Tanh", "TanhWithDropout"):
            if not (-1 < p["average_activation"] < 1):
                c.error("average_activation", "Tanh average activation must be in (-1,1).")
        elif p["activation"] in ("Rectifier", "RectifierWithDropout") and p["average_activation"] <= 0:
            c.error("average_activation", "Rectifier average activation must be positive.")
    if not p["autoencoder"] and p["sparsity_beta"] != 0:
        c.error("sparsity_beta", "Sparsity beta can only be used for autoencoder.")
    if p["autoencoder"] and p["activation"] in ("Maxout", "MaxoutWithDropout"):
        c.error("activation", "Maxout activation is not supported for auto-encoder.")
    if p["max_categorical_features"] < 1:
        c.error("max_categorical_features", "max_categorical_features must be at least 1.")
    if p["col_major"]:
        c.error("col_major", "Deprecated: Column major data handling not supported anymore - not faster.")
    if p["sparse"] and p["elastic_averaging"]:
        c.error("elastic_averaging", "Cannot use elastic averaging for sparse data handling.")
    if p["elastic_averaging"]:
        if not (0 <= p["elastic_averaging_moving_rate"] <= 1):
            c.error("elastic_averaging_moving_rate", "Elastic averaging moving rate must be between 0 and 1.")
        if p["elastic_averaging_regularization"] < 0:
            c.error("elastic_averaging_regularization", "Elastic averaging regularization strength must be >= 0.")
    if p["autoencoder"] and p["stopping_metric"] not in ("AUTO", "MSE"):
        c.error("stopping_metric", "Stopping metric must either be AUTO or MSE for autoencoder.")
    if p["stopping_metric"] in ("anomaly_score", "AUUC", "ATE", "ATT", "ATC", "qini"):
        c.error("stopping_metric", f"Stopping metric {p['stopping_metric']} is not defined for Deep Learning "
                                   "models (it belongs to other algorithms).")
    elif p["stopping_metric"] in ("custom", "custom_increasing"):
        c.error("stopping_metric", "Custom metric function needs to be defined in order to use it for early "
                                   "stopping, and h2olite does not support custom_metric_func.")
    if p["stopping_tolerance"] < 0:
        c.error("stopping_tolerance", "Stopping tolerance must be >= 0.")
    if p["stopping_tolerance"] >= 1:
        c.error("stopping_tolerance", "Stopping tolerance must be < 1.")
    if p["stopping_rounds"] < 0:
        c.error("stopping_rounds", "Stopping rounds must be >= 0.")
    elif p["stopping_rounds"] == 0:
        if p["stopping_metric"] != "AUTO":
            c.warn("stopping_metric", "Stopping metric is ignored for _stopping_rounds=0.")
        if p["stopping_tolerance"] != 0:
            c.warn("stopping_tolerance", "Stopping tolerance is ignored for _stopping_rounds=0.")
    if p["max_runtime_secs"] < 0:
        c.error("max_runtime_secs", "Max runtime (in seconds) must be greater than 0 (or 0 for unlimited).")
    if p["nfolds"] < 0 or p["nfolds"] == 1:
        c.error("nfolds", "nfolds must be either 0 or >1.")
    if p["fold_column"] is not None:
        if p["nfolds"] > 1:
            c.error("nfolds", "nfolds cannot be specified at the same time as a fold column.")
        if p["fold_assignment"] != "AUTO":
            c.error("fold_assignment", "Fold assignment is not allowed in conjunction with a fold column.")
    elif p["nfolds"] == 0 and p["fold_assignment"] != "AUTO":
        c.error("fold_assignment", "Fold assignment is only allowed for cross-validation.")
    if p["checkpoint"] is not None and p["nfolds"] != 0:
        c.error("nfolds", "nfolds must be 0: Cross-validation is not supported during checkpoint restarts.")
    if p["pretrained_autoencoder"] is not None and p["autoencoder"]:
        c.error("pretrained_autoencoder", "The pretrained model must be unsupervised (an autoencoder), and the "
                                          "model to be trained must be supervised.")
    if p["max_after_balance_size"] <= 0:
        c.error("max_after_balance_size", "Max size after balancing needs to be positive, suggest 1.0f")
    if p["class_sampling_factors"] is not None and not p["balance_classes"]:
        c.error("class_sampling_factors", "class_sampling_factors requires balance_classes to be enabled.")
    if p["gainslift_bins"] < -1:
        c.error("gainslift_bins", "Number of gains/lift bins must be -1 (automatic), 0 (disabled) or positive.")
    for name, why in UNSUPPORTED_VALUES.items():
        if p[name] not in (None, "") and p[name] != DEFAULTS[name]:
            c.error(name, f"{name} is not supported: {why}.")
    for name in NO_EFFECT_ON_ONE_MACHINE:
        if p[name] != DEFAULTS[name]:
            c.info(name, f"{name} has no effect in h2olite: it only matters on multi-node H2O clouds.")


def _check_columns(p: dict, train: Frame, c: _Checker):
    """Response/weights/offset/fold/ignored columns exist and have usable types (H2O's separateFeatureVecs)."""
    names = set(train.names)
    ignored = list(p["ignored_columns"] or ())
    for name in ignored:
        if name not in names:
            c.error("ignored_columns", f"Ignored column '{name}' not found in the training frame")
    specials = {}
    for field, label in (("weights_column", "Weights"), ("offset_column", "Offset"), ("fold_column", "Fold")):
        name = p[field]
        if name is None:
            continue
        if name not in names:
            c.error(field, f"{label} column '{name}' not found in the training frame")
            continue
        col = train[name]
        specials[field] = name
        if field == "fold_column":
            if not (col.is_enum or (col.is_numeric and _is_int_valued(col.data))):
                c.error(field, f"Invalid fold column '{name}', fold must be integer or categorical")
            elif col.is_numeric and np.nanmin(col.data) < 0:
                c.error(field, f"Invalid fold column '{name}', fold must be non-negative")
            elif col.stats.min == col.stats.max:
                c.error(field, f"Invalid fold column '{name}', fold cannot be constant")
            if col.na_mask.any():
                c.error(field, "Fold cannot have missing values.")
            continue
        if not col.is_numeric:
            c.error(field, f"Invalid {label.lower()} column '{name}', {label.lower()} must be numeric")
            continue
        if col.na_mask.any():
            c.error(field, f"{label} cannot have missing values.")
        if field == "weights_column" and not col.na_mask.all():
            if np.nanmin(col.data) < 0:
                c.error(field, "Weights must be >= 0")
            if np.nanmax(col.data) == 0:
                c.error(field, "Max. weight must be > 0")
    for a, b in (("weights_column", "offset_column"), ("weights_column", "fold_column"), ("offset_column", "fold_column")):
        if a in specials and specials.get(a) == specials.get(b):
            c.error(b, f"{b.split('_')[0].capitalize()} must be different from {a.split('_')[0]}s")

    if p["autoencoder"]:
        if p["response_column"] is not None:
            c.warn("response_column", f"response_column '{p['response_column']}' is ignored for an autoencoder "
                                      "(the column is an input like any other).")
        return None, 1
    y = p["response_column"]
    if y is None:
        c.error("response_column", "Response column parameter not set.")
        return None, 0
    if y not in names:
        c.error("response_column", f"Response column '{y}' not found in the training frame")
        return None, 0
    if y in ignored:
        c.error("response_column", f"Response column '{y}' is also listed in ignored_columns.")
    for field, name in specials.items():
        if name == y:
            c.error("response_column", f"Response column must be different from {field}")
    col = train[y]
    if col.type in (STRING, UUID):
        c.error("response_column", f"Response column '{y}' is a {col.type} column; it must be numeric or categorical.")
        return None, 0
    if col.is_enum:
        nclasses = len(col.domain)
        if nclasses > MAX_SUPPORTED_LEVELS:
            c.error("response_column", f"Too many levels in response column: {nclasses}, maximum supported number "
                                       f"of classes is {MAX_SUPPORTED_LEVELS}.")
    else:
        nclasses = 1
    st = col.stats
    if st.missing == len(col) or st.min == st.max:
        c.error("response_column", "Response cannot be constant.")
    elif not col.is_enum and set(np.unique(col.data[~col.na_mask])) <= {0.0, 1.0}:
        c.warn("response_column", "We have detected that your response column has only 2 unique values (0/1). "
                                  "If you wish to train a binary model instead of a regression model, convert "
                                  "your target column to categorical before training.")
    return col, nclasses


def _check_dropped_columns(p: dict, c: _Checker, dropped: dict[str, str]) -> None:
    """H2O's ``ignoreBadColumns`` warning: the predictors left out as all-missing, constant,
    string or UUID columns, named in frame order (H2O-3 lists them in hash order)."""
    if p["ignore_const_cols"] and dropped:
        c.warn("train", f"Dropping bad and constant columns: [{', '.join(dropped)}]")


def _check_problem(p: dict, c: _Checker, train: Frame, response, nclasses: int, predictors: list[str]) -> None:
    """Distribution, loss, balancing, offset and stopping metric against the problem type."""
    if response is None:
        if p["autoencoder"]:
            if p["offset_column"] is not None:
                c.error("offset_column", "Offset is only supported for regression.")
            if p["balance_classes"]:
                c.error("balance_classes", "balance_classes requires classification.")
            if p["distribution"] in CLASSIFICATION_DISTRIBUTIONS or p["distribution"] in ("poisson", "gamma", "tweedie"):
                c.error("distribution", f"{p['distribution']} distribution is not allowed for an autoencoder; "
                                        "use AUTO, gaussian, laplace, quantile or huber.")
        return
    classification = nclasses > 1
    dist, loss = p["distribution"], p["loss"]
    yname = p["response_column"]
    if classification:
        if loss not in ("Automatic", "CrossEntropy", "Quadratic", "ModifiedHuber"):
            c.error("loss", "For classification tasks, the loss must be one of: Automatic, Quadratic, "
                            "CrossEntropy or ModifiedHuber.")
        if dist in REGRESSION_DISTRIBUTIONS:
            c.error("distribution", f"{dist} distribution is not allowed for classification.")
        elif dist == "bernoulli" and nclasses != 2:
            c.error("distribution", f"bernoulli distribution requires a 2-class categorical response, but "
                                    f"response column '{yname}' has {nclasses} classes; use multinomial.")
        if p["offset_column"] is not None:
            c.error("offset_column", "Offset is only supported for regression.")
        if p["stopping_rounds"] > 0:
            m = p["stopping_metric"]
            if m == "deviance":
                c.error("stopping_metric", "Stopping metric cannot be deviance for classification.")
            elif m == "lift_top_group" and nclasses > 2:
                c.error("stopping_metric", "Stopping metric cannot be lift_top_group for multinomial classification.")
        if p["balance_classes"]:
            w = p["weights_column"]
            if w is not None and train.has(w) and train[w].is_numeric:
                wd = train[w].data
                if not np.all((wd == 0) | (wd == 1) | np.isnan(wd)):
                    c.error("balance_classes", "Balance classes and observation weights are not currently "
                                               "supported together.")
            csf = p["class_sampling_factors"]
            if csf is not None:
                if len(csf) != nclasses:
                    c.error("class_sampling_factors", f"class_sampling_factors must have {nclasses} elements "
                                                      f"(one per class of '{yname}'), got {len(csf)}.")
                elif any(not (f > 0) for f in csf):
                    c.error("class_sampling_factors", "class_sampling_factors must all be > 0.")
    else:
        if loss == "CrossEntropy":
            c.error("loss", "For CrossEntropy loss, the response must be categorical.")
        if dist in CLASSIFICATION_DISTRIBUTIONS:
            c.error("distribution", f"{dist} distribution is not allowed for regression.")
        elif dist in ("tweedie", "gamma", "poisson") and loss != "Automatic":
            c.error("distribution", f"Only Automatic loss (deviance) is allowed for {dist} distribution.")
        elif dist == "laplace" and loss not in ("Absolute", "Automatic"):
            c.error("distribution", f"Only Automatic or Absolute loss is allowed for {dist} distribution.")
        elif dist == "quantile" and loss not in ("Quantile", "Automatic"):
            c.error("distribution", f"Only Automatic or Quantile loss is allowed for {dist} distribution.")
        elif dist == "huber" and loss not in ("Huber", "Automatic"):
            c.error("distribution", f"Only Automatic or Huber loss is allowed for {dist} distribution.")
        ymin = response.stats.min
        if dist == "poisson" and ymin < 0:
            c.error("response_column", "Response must be non-negative for Poisson distribution.")
        elif dist == "tweedie" and ymin < 0:
            c.error("response_column", "Response must be non-negative for Tweedie distribution.")
        elif dist == "gamma" and ymin <= 0:
            c.error("response_column", "Response must be positive for Gamma distribution (its deviance is "
                                       "undefined at 0).")
        if p["balance_classes"]:
            c.error("balance_classes", "balance_classes requires classification.")
        if p["stopping_rounds"] > 0 and p["stopping_metric"] in CLASSIFICATION_ONLY_METRICS:
            c.error("stopping_metric", f"Stopping metric cannot be {p['stopping_metric']} for regression.")
        if p["fold_assignment"] == "Stratified":
            c.error("fold_assignment", "Stratified fold assignment requires a categorical response.")
        if p["score_validation_sampling"] == "Stratified":
            c.warn("score_validation_sampling", "score_validation_sampling=Stratified needs a categorical "
                                                "response; sampling the validation frame uniformly.")
    if p["nfolds"] > 1 and p["nfolds"] > train.nrow:
        c.error("nfolds", f"nfolds cannot be larger than the number of rows ({train.nrow}).")
    if p["missing_values_handling"] == "Skip":
        used = [n for n in predictors if train[n].type not in (STRING, UUID)]
        bad = np.zeros(train.nrow, dtype=bool)
        for n in used:
            bad |= train[n].na_mask
        bad |= response.na_mask
        if bad.all():
            c.error("missing_values_handling", "No rows left in the dataset after filtering out rows with missing "
                                               "values. Ignore columns with many NAs or set missing_values_handling "
                                               "to 'MeanImputation'.")


def _check_validation_frame(p: dict, c: _Checker, train: Frame, valid: Frame, predictors: list[str]) -> None:
    """The validation frame must carry the response with the training type (H2O's adaptTestForTrain)."""
    y = None if p["autoencoder"] else p["response_column"]
    if y is not None and train.has(y):
        if not valid.has(y):
            c.error("validation_frame", f"Validation frame must have a response column '{y}'.")
        elif train[y].is_enum != valid[y].is_enum and not (train[y].is_enum and valid[y].is_numeric):
            c.error("validation_frame", f"Response column '{y}' is {train[y].type} in the training frame but "
                                        f"{valid[y].type} in the validation frame.")
    missing = [n for n in predictors if not valid.has(n)]
    if missing:
        c.warn("validation_frame", f"Validation frame is missing columns {missing}; their values are treated as "
                                   "missing (NA).")
    for n in predictors:
        if valid.has(n) and train[n].is_numeric and valid[n].is_enum:
            c.error("validation_frame", f"Validation frame has categorical column '{n}' which is real-valued in "
                                        "the training data")
    w = p["weights_column"]
    if w is not None and not valid.has(w):
        c.warn("validation_frame", f"Validation frame has no weights column '{w}'; every row gets weight 1.")


def _check_size(p: dict, c: _Checker, train: Frame, predictors: list[str]) -> None:
    """H2O's checkMemoryFootPrint: at most 1e8 weights+biases, computed from an upper bound of the input width."""
    n_in = 0
    for n in predictors:
        col = train[n]
        if col.is_enum:
            n_in += len(col.domain) + 1
        elif col.is_numeric:
            n_in += 1
    if p["max_categorical_features"] < n_in:
        n_in = min(n_in, p["max_categorical_features"] + sum(train[n].is_numeric for n in predictors))
    if p["autoencoder"]:
        n_out = n_in
    else:
        y = train[p["response_column"]]
        n_out = len(y.domain) if y.is_enum else 1
    units = [n_in, *p["hidden"], n_out]
    size = sum(a * b + b for a, b in zip(units[:-1], units[1:]))
    if size > MAX_MODEL_SIZE:
        c.error("hidden", f"Model is too large: {size} parameters. Try reducing the number of neurons in the hidden "
                          "layers (or reduce the number of categorical factors).")


# --------------------------------------------------------------------------------------------
# Effective parameters (H2O's Sanity.modifyParms + EffectiveParametersUtils)
# --------------------------------------------------------------------------------------------
def resolve_distribution(distribution: str, loss: str, nclasses: int) -> str:
    """AUTO -> bernoulli (2 classes), multinomial (>2), or from the loss for regression/autoencoder."""
    if distribution != "AUTO":
        return distribution
    if nclasses > 1:
        return "bernoulli" if nclasses == 2 else "multinomial"
    return {"Automatic": "gaussian", "Quadratic": "gaussian", "Absolute": "laplace",
            "Quantile": "quantile", "Huber": "huber"}.get(loss, "gaussian")


def resolve_loss(loss: str, distribution: str) -> str:
    """Automatic -> the distribution's own loss (poisson/gamma/tweedie keep Automatic = deviance)."""
    if loss != "Automatic":
        return loss
    return {"gaussian": "Quadratic", "quantile": "Quantile", "laplace": "Absolute", "huber": "Huber",
            "multinomial": "CrossEntropy", "bernoulli": "CrossEntropy"}.get(distribution, "Automatic")


def realized_seed(seed: int) -> int:
    """H2O's getOrMakeRealSeed: -1 means 'pick one', and the model reports the seed it picked."""
    return seed if seed != -1 else secrets.randbits(63)


def effective_params(params: dict, nclasses: int) -> dict:
    """The parameters training really uses (``nclasses``: 1 for regression/autoencoder)."""
    p = dict(DEFAULTS)
    p.update(params)
    e = dict(p)
    e["seed"] = realized_seed(p["seed"])
    if p["hidden_dropout_ratios"] is None:
        if p["activation"] in DROPOUT_ACTIVATIONS:
            e["hidden_dropout_ratios"] = tuple(0.5 for _ in p["hidden"])
    else:
        e["hidden_dropout_ratios"] = tuple(p["hidden_dropout_ratios"])
    e["replicate_training_data"] = False          # one node
    e["single_node_mode"] = False
    if p["autoencoder"]:
        e["use_all_factor_levels"] = True
    if p["nfolds"] != 0:
        e["overwrite_with_best_model"] = False
    if p["categorical_encoding"] == "AUTO":
        e["categorical_encoding"] = "OneHotInternal"
    if p["adaptive_rate"]:
        for k in ("rate", "rate_decay", "rate_annealing", "momentum_start", "momentum_ramp", "momentum_stable"):
            e[k] = 0.0
    else:
        e["rho"] = 0.0
        e["epsilon"] = 0.0
    if p["autoencoder"]:
        if p["stopping_metric"] == "AUTO" or p["stopping_rounds"] == 0:
            e["stopping_metric"] = "MSE"
    elif p["stopping_metric"] == "AUTO" or p["stopping_rounds"] == 0:
        e["stopping_metric"] = "logloss" if nclasses > 1 else "deviance"
    e["distribution"] = resolve_distribution(p["distribution"], p["loss"], 1 if p["autoencoder"] else nclasses)
    e["loss"] = resolve_loss(p["loss"], e["distribution"])
    if p["reproducible"]:
        e["force_load_balance"] = True
        e["score_each_iteration"] = True
        if p["train_samples_per_iteration"] == -2:
            e["train_samples_per_iteration"] = -1
    return e


def actual_params(params: dict, effective: dict) -> dict:
    """What H2O reports as a model's ``actual_value``s (``model.params[...]["actual"]``).

    H2O keeps the user's values there and only fills in what ``EffectiveParametersUtils``
    resolves: the realised seed, the AUTO distribution, categorical_encoding AUTO ->
    OneHotInternal, stopping_metric (None when stopping_rounds is 0) and fold_assignment (None
    without cross-validation, AUTO -> Random with it).  Checked against H2O-3 3.46: loss stays
    "Automatic", rate stays 0.005 under adaptive_rate, hidden_dropout_ratios stays None.
    """
    a = dict(DEFAULTS)
    a.update(params)
    a["seed"] = effective["seed"]
    a["distribution"] = effective["distribution"]
    a["categorical_encoding"] = effective["categorical_encoding"]
    a["stopping_metric"] = None if a["stopping_rounds"] == 0 else effective["stopping_metric"]
    if a["nfolds"] == 0 and a["fold_column"] is None:
        a["fold_assignment"] = None
    elif a["fold_assignment"] == "AUTO":
        a["fold_assignment"] = "Random"
    if a["nfolds"] != 0:
        a["overwrite_with_best_model"] = False
    return a


def is_identity_link(distribution: str) -> bool:
    return distribution in IDENTITY_LINK_DISTRIBUTIONS


__all__ = ["parse_params", "given_params", "validate", "effective_params", "actual_params", "predictor_columns",
           "resolve_distribution", "resolve_loss", "enum_key", "error", "warning", "info",
           "UNSUPPORTED_VALUES", "PARAMETERS"]
