"""THE table of H2O-3 Deep Learning parameters: names, REST types, defaults, enum values, help.

Every other part of h2olite reads this table instead of repeating it: the REST layer serves it
at ``GET /3/ModelBuilders/deeplearning`` (``model_builder_json``), ``validation.parse_params``
types wire values with it, the Python estimator generates its keyword arguments and properties
from it, and the R wrapper is tested against it.  Names, order, types, defaults, levels, help
texts and enum values are H2O-3 3.46's own (as its ``/3/ModelBuilders/deeplearning`` reports
them), so a client written for H2O sees the same parameter surface.

``values`` lists every enum value H2O's server accepts; ``client_values`` is the narrower list the
stock h2o-py/R clients offer where it differs (values h2olite rejects in validation with a reason,
e.g. ``quasibinomial``, are still listed in ``values`` so the JSON stays H2O's).
``no_effect_on_one_machine`` marks the parameters that only matter for multi-node H2O clouds; they
are accepted, reported as given, and documented in their help as having no effect here.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..keys import key_json

FLOAT_MAX = 3.4028235e38          # Java Float.MAX_VALUE, H2O's max_w2 default
LEVELS = ("critical", "secondary", "expert")
TYPES = ("int", "long", "double", "float", "boolean", "enum", "int[]", "double[]", "float[]",
         "string", "string[]", "Key<Frame>", "Key<Model>", "VecSpecifier", "Key<Frame>[]")


@dataclass(frozen=True)
class ParamSpec:
    """One parameter as H2O declares it (``ModelParameterSchemaV3`` minus the per-model values)."""

    name: str
    type: str
    default: object
    values: tuple[str, ...]
    help: str
    level: str
    gridable: bool
    required: bool = False
    client_values: tuple[str, ...] | None = None
    frames: tuple[str, ...] = ()             # is_member_of_frames
    exclusive: tuple[str, ...] = ()          # is_mutually_exclusive_with
    no_effect_on_one_machine: bool = False

    @property
    def label(self) -> str:
        return self.name

    @property
    def is_enum(self) -> bool:
        return self.type == "enum"

    @property
    def is_list(self) -> bool:
        return self.type.endswith("[]")

    def json_default(self):
        """The default as H2O's JSON shows it (tuples become lists)."""
        return _jsonable(self.default)


def _jsonable(v):
    if isinstance(v, tuple):
        return [_jsonable(x) for x in v]
    return v


def _p(name, type_, default, level, *, gridable, help, values=(), client_values=None, frames=(),
       exclusive=(), no_effect_on_one_machine=False, required=False) -> ParamSpec:
    assert type_ in TYPES and level in LEVELS, name
    return ParamSpec(name, type_, default, tuple(values), help, level, gridable, required,
                     tuple(client_values) if client_values else None, tuple(frames), tuple(exclusive),
                     no_effect_on_one_machine)


PARAMETERS: tuple[ParamSpec, ...] = (
    _p("model_id", "Key<Model>", None, "critical", gridable=False,
       help="Destination id for this model; auto-generated if not specified."),
    _p("training_frame", "Key<Frame>", None, "critical", gridable=False,
       help="Id of the training data frame."),
    _p("validation_frame", "Key<Frame>", None, "critical", gridable=True,
       help="Id of the validation data frame."),
    _p("nfolds", "int", 0, "critical", gridable=False,
       help="Number of folds for K-fold cross-validation (0 to disable or >= 2)."),
    _p("keep_cross_validation_models", "boolean", True, "expert", gridable=False,
       help="Whether to keep the cross-validation models."),
    _p("keep_cross_validation_predictions", "boolean", False, "expert", gridable=False,
       help="Whether to keep the predictions of the cross-validation models."),
    _p("keep_cross_validation_fold_assignment", "boolean", False, "expert", gridable=False,
       help="Whether to keep the cross-validation fold assignment."),
    _p("fold_assignment", "enum", "AUTO", "secondary", gridable=True,
       values=("AUTO", "Random", "Modulo", "Stratified"),
       help="Cross-validation fold assignment scheme, if fold_column is not specified. The "
            "'Stratified' option will stratify the folds based on the response variable, for "
            "classification problems."),
    _p("fold_column", "VecSpecifier", None, "secondary", gridable=True,
       frames=("training_frame",),
       exclusive=("response_column", "weights_column", "ignored_columns", "offset_column",),
       help="Column with cross-validation fold index assignment per observation."),
    _p("response_column", "VecSpecifier", None, "critical", gridable=True,
       frames=("training_frame", "validation_frame",),
       exclusive=("weights_column", "ignored_columns", "offset_column", "fold_column",),
       help="Response variable column."),
    _p("ignored_columns", "string[]", None, "critical", gridable=False,
       frames=("training_frame", "validation_frame",),
       exclusive=("response_column", "weights_column", "offset_column", "fold_column",),
       help="Names of columns to ignore for training."),
    _p("ignore_const_cols", "boolean", True, "critical", gridable=False,
       help="Ignore constant columns."),
    _p("score_each_iteration", "boolean", False, "secondary", gridable=False,
       help="Whether to score during each iteration of model training."),
    _p("weights_column", "VecSpecifier", None, "secondary", gridable=True,
       frames=("training_frame", "validation_frame",),
       exclusive=("response_column", "ignored_columns", "offset_column", "fold_column",),
       help="Column with observation weights. Giving some observation a weight of zero is equivalent "
            "to excluding it from the dataset; giving an observation a relative weight of 2 is "
            "equivalent to repeating that row twice. Negative weights are not allowed. Note: Weights "
            "are per-row observation weights and do not increase the size of the data frame. This is "
            "typically the number of times a row is repeated, but non-integer values are supported as "
            "well. During training, rows with higher weights matter more, due to the larger loss "
            "function pre-factor. If you set weight = 0 for a row, the returned prediction frame at "
            "that row is zero and this is incorrect. To get an accurate prediction, remove all rows "
            "with weight == 0."),
    _p("offset_column", "VecSpecifier", None, "secondary", gridable=True,
       frames=("training_frame", "validation_frame",),
       exclusive=("response_column", "weights_column", "ignored_columns", "fold_column",),
       help="Offset column. This will be added to the combination of columns before applying the link "
            "function."),
    _p("balance_classes", "boolean", False, "secondary", gridable=True,
       help="Balance training data class counts via over/under-sampling (for imbalanced data)."),
    _p("class_sampling_factors", "float[]", None, "expert", gridable=True,
       help="Desired over/under-sampling ratios per class (in lexicographic order). If not specified, "
            "sampling factors will be automatically computed to obtain class balance during training. "
            "Requires balance_classes."),
    _p("max_after_balance_size", "float", 5.0, "expert", gridable=False,
       help="Maximum relative size of the training data after balancing class counts (can be less "
            "than 1.0). Requires balance_classes."),
    _p("max_confusion_matrix_size", "int", 20, "secondary", gridable=False,
       help="[Deprecated] Maximum size (# classes) for confusion matrices to be printed in the Logs."),
    _p("checkpoint", "Key<Model>", None, "secondary", gridable=False,
       help="Model checkpoint to resume training with."),
    _p("pretrained_autoencoder", "Key<Model>", None, "expert", gridable=False,
       help="Pretrained autoencoder model to initialize this model with."),
    _p("overwrite_with_best_model", "boolean", True, "expert", gridable=True,
       help="If enabled, override the final model with the best model found during training."),
    _p("use_all_factor_levels", "boolean", True, "secondary", gridable=True,
       help="Use all factor levels of categorical variables. Otherwise, the first factor level is "
            "omitted (without loss of accuracy). Useful for variable importances and auto-enabled for "
            "autoencoder."),
    _p("standardize", "boolean", True, "secondary", gridable=True,
       help="If enabled, automatically standardize the data. If disabled, the user must provide "
            "properly scaled input data."),
    _p("activation", "enum", "Rectifier", "critical", gridable=True,
       values=("Tanh", "TanhWithDropout", "Rectifier", "RectifierWithDropout", "Maxout", "MaxoutWithDropout"),
       help="Activation function."),
    _p("hidden", "int[]", (200, 200), "critical", gridable=True,
       help="Hidden layer sizes (e.g. [100, 100])."),
    _p("epochs", "double", 10.0, "critical", gridable=True,
       help="How many times the dataset should be iterated (streamed), can be fractional."),
    _p("train_samples_per_iteration", "long", -2, "secondary", gridable=True,
       help="Number of training samples (globally) per MapReduce iteration. Special values are 0: one "
            "epoch, -1: all available data (e.g., replicated training data), -2: automatic."),
    _p("target_ratio_comm_to_comp", "double", 0.05, "expert", gridable=True,
       no_effect_on_one_machine=True,
       help="Target ratio of communication overhead to computation. Only for multi-node operation and "
            "train_samples_per_iteration = -2 (auto-tuning). No effect in h2olite: it only matters "
            "when H2O runs on several nodes, and h2olite runs on one machine."),
    _p("seed", "long", -1, "expert", gridable=True,
       help="Seed for random numbers (affects sampling) - Note: only reproducible when running single "
            "threaded."),
    _p("adaptive_rate", "boolean", True, "secondary", gridable=True,
       help="Adaptive learning rate."),
    _p("rho", "double", 0.99, "expert", gridable=True,
       help="Adaptive learning rate time decay factor (similarity to prior updates)."),
    _p("epsilon", "double", 1e-08, "expert", gridable=True,
       help="Adaptive learning rate smoothing factor (to avoid divisions by zero and allow progress)."),
    _p("rate", "double", 0.005, "expert", gridable=True,
       help="Learning rate (higher => less stable, lower => slower convergence)."),
    _p("rate_annealing", "double", 1e-06, "expert", gridable=True,
       help="Learning rate annealing: rate / (1 + rate_annealing * samples)."),
    _p("rate_decay", "double", 1.0, "expert", gridable=True,
       help="Learning rate decay factor between layers (N-th layer: rate * rate_decay ^ (n - 1)."),
    _p("momentum_start", "double", 0.0, "expert", gridable=True,
       help="Initial momentum at the beginning of training (try 0.5)."),
    _p("momentum_ramp", "double", 1000000.0, "expert", gridable=True,
       help="Number of training samples for which momentum increases."),
    _p("momentum_stable", "double", 0.0, "expert", gridable=True,
       help="Final momentum after the ramp is over (try 0.99)."),
    _p("nesterov_accelerated_gradient", "boolean", True, "expert", gridable=True,
       help="Use Nesterov accelerated gradient (recommended)."),
    _p("input_dropout_ratio", "double", 0.0, "secondary", gridable=True,
       help="Input layer dropout ratio (can improve generalization, try 0.1 or 0.2)."),
    _p("hidden_dropout_ratios", "double[]", None, "secondary", gridable=True,
       help="Hidden layer dropout ratios (can improve generalization), specify one value per hidden "
            "layer, defaults to 0.5."),
    _p("l1", "double", 0.0, "secondary", gridable=True,
       help="L1 regularization (can add stability and improve generalization, causes many weights to "
            "become 0)."),
    _p("l2", "double", 0.0, "secondary", gridable=True,
       help="L2 regularization (can add stability and improve generalization, causes many weights to "
            "be small."),
    _p("max_w2", "float", 3.4028235e+38, "expert", gridable=True,
       help="Constraint for squared sum of incoming weights per unit (e.g. for Rectifier)."),
    _p("initial_weight_distribution", "enum", "UniformAdaptive", "expert", gridable=True,
       values=("UniformAdaptive", "Uniform", "Normal"),
       help="Initial weight distribution."),
    _p("initial_weight_scale", "double", 1.0, "expert", gridable=True,
       help="Uniform: -value...value, Normal: stddev."),
    _p("initial_weights", "Key<Frame>[]", None, "expert", gridable=True,
       help="A list of H2OFrame ids to initialize the weight matrices of this model with."),
    _p("initial_biases", "Key<Frame>[]", None, "expert", gridable=True,
       help="A list of H2OFrame ids to initialize the bias vectors of this model with."),
    _p("loss", "enum", "Automatic", "secondary", gridable=True,
       values=("Automatic", "CrossEntropy", "Quadratic", "Huber", "Absolute", "Quantile"),
       help="Loss function."),
    _p("distribution", "enum", "AUTO", "secondary", gridable=True,
       values=("AUTO", "bernoulli", "quasibinomial", "ordinal", "multinomial", "gaussian", "poisson", "gamma", "tweedie", "laplace", "quantile", "huber", "custom"),
       client_values=("AUTO", "bernoulli", "multinomial", "gaussian", "poisson", "gamma", "tweedie", "laplace", "quantile", "huber"),
       help="Distribution function"),
    _p("quantile_alpha", "double", 0.5, "secondary", gridable=True,
       help="Desired quantile for Quantile regression, must be between 0 and 1."),
    _p("tweedie_power", "double", 1.5, "secondary", gridable=True,
       help="Tweedie power for Tweedie regression, must be between 1 and 2."),
    _p("huber_alpha", "double", 0.9, "secondary", gridable=True,
       help="Desired quantile for Huber/M-regression (threshold between quadratic and linear loss, "
            "must be between 0 and 1)."),
    _p("score_interval", "double", 5.0, "secondary", gridable=True,
       help="Shortest time interval (in seconds) between model scoring."),
    _p("score_training_samples", "long", 10000, "secondary", gridable=True,
       help="Number of training set samples for scoring (0 for all)."),
    _p("score_validation_samples", "long", 0, "secondary", gridable=True,
       help="Number of validation set samples for scoring (0 for all)."),
    _p("score_duty_cycle", "double", 0.1, "secondary", gridable=True,
       help="Maximum duty cycle fraction for scoring (lower: more training, higher: more scoring)."),
    _p("classification_stop", "double", 0.0, "expert", gridable=True,
       help="Stopping criterion for classification error fraction on training data (-1 to disable)."),
    _p("regression_stop", "double", 1e-06, "expert", gridable=True,
       help="Stopping criterion for regression error (MSE) on training data (-1 to disable)."),
    _p("stopping_rounds", "int", 5, "secondary", gridable=True,
       help="Early stopping based on convergence of stopping_metric. Stop if simple moving average of "
            "length k of the stopping_metric does not improve for k:=stopping_rounds scoring events "
            "(0 to disable)"),
    _p("stopping_metric", "enum", "AUTO", "secondary", gridable=True,
       values=("AUTO", "deviance", "logloss", "MSE", "RMSE", "MAE", "RMSLE", "AUC", "AUCPR", "lift_top_group", "misclassification", "mean_per_class_error", "anomaly_score", "AUUC", "ATE", "ATT", "ATC", "qini", "custom", "custom_increasing"),
       client_values=("AUTO", "deviance", "logloss", "MSE", "RMSE", "MAE", "RMSLE", "AUC", "AUCPR", "lift_top_group", "misclassification", "mean_per_class_error", "custom", "custom_increasing"),
       help="Metric to use for early stopping (AUTO: logloss for classification, deviance for "
            "regression and anomaly_score for Isolation Forest). Note that custom and "
            "custom_increasing can only be used in GBM and DRF with the Python client."),
    _p("stopping_tolerance", "double", 0.0, "secondary", gridable=True,
       help="Relative tolerance for metric-based stopping criterion (stop if relative improvement is "
            "not at least this much)"),
    _p("max_runtime_secs", "double", 0.0, "secondary", gridable=True,
       help="Maximum allowed runtime in seconds for model training. Use 0 to disable."),
    _p("score_validation_sampling", "enum", "Uniform", "expert", gridable=True,
       values=("Uniform", "Stratified"),
       help="Method used to sample validation dataset for scoring."),
    _p("diagnostics", "boolean", True, "expert", gridable=False,
       help="Enable diagnostics for hidden layers."),
    _p("fast_mode", "boolean", True, "expert", gridable=True,
       help="Enable fast mode (minor approximation in back-propagation)."),
    _p("force_load_balance", "boolean", True, "expert", gridable=True,
       no_effect_on_one_machine=True,
       help="Force extra load balancing to increase training speed for small datasets (to keep all "
            "cores busy). No effect in h2olite: it only matters when H2O runs on several nodes, and "
            "h2olite runs on one machine."),
    _p("variable_importances", "boolean", True, "critical", gridable=True,
       help="Compute variable importances for input features (Gedeon method) - can be slow for large "
            "networks."),
    _p("replicate_training_data", "boolean", True, "secondary", gridable=True,
       no_effect_on_one_machine=True,
       help="Replicate the entire training dataset onto every node for faster training on small "
            "datasets. No effect in h2olite: it only matters when H2O runs on several nodes, and "
            "h2olite runs on one machine."),
    _p("single_node_mode", "boolean", False, "expert", gridable=True,
       no_effect_on_one_machine=True,
       help="Run on a single node for fine-tuning of model parameters. No effect in h2olite: it only "
            "matters when H2O runs on several nodes, and h2olite runs on one machine."),
    _p("shuffle_training_data", "boolean", False, "expert", gridable=True,
       help="Enable shuffling of training data (recommended if training data is replicated and "
            "train_samples_per_iteration is close to #nodes x #rows, of if using balance_classes)."),
    _p("missing_values_handling", "enum", "MeanImputation", "expert", gridable=True,
       values=("MeanImputation", "Skip"),
       help="Handling of missing values. Either MeanImputation or Skip."),
    _p("quiet_mode", "boolean", False, "expert", gridable=True,
       help="Enable quiet mode for less output to standard output."),
    _p("autoencoder", "boolean", False, "secondary", gridable=False,
       help="Auto-Encoder."),
    _p("sparse", "boolean", False, "expert", gridable=True,
       help="Sparse data handling (more efficient for data with lots of 0 values)."),
    _p("col_major", "boolean", False, "expert", gridable=True,
       help="#DEPRECATED Use a column major weight matrix for input layer. Can speed up forward "
            "propagation, but might slow down backpropagation."),
    _p("average_activation", "double", 0.0, "expert", gridable=True,
       help="Average activation for sparse auto-encoder. #Experimental"),
    _p("sparsity_beta", "double", 0.0, "expert", gridable=True,
       help="Sparsity regularization. #Experimental"),
    _p("max_categorical_features", "int", 2147483647, "expert", gridable=True,
       help="Max. number of categorical features, enforced via hashing. #Experimental"),
    _p("reproducible", "boolean", False, "expert", gridable=True,
       help="Force reproducibility on small data (will be slow - only uses 1 thread)."),
    _p("export_weights_and_biases", "boolean", False, "expert", gridable=False,
       help="Whether to export Neural Network weights and biases to H2O Frames."),
    _p("mini_batch_size", "int", 1, "expert", gridable=False,
       help="Mini-batch size (smaller leads to better fit, larger can speed up and generalize "
            "better)."),
    _p("categorical_encoding", "enum", "AUTO", "secondary", gridable=True,
       values=("AUTO", "Enum", "OneHotInternal", "OneHotExplicit", "Binary", "Eigen", "LabelEncoder", "SortByResponse", "EnumLimited"),
       help="Encoding scheme for categorical features"),
    _p("elastic_averaging", "boolean", False, "expert", gridable=True,
       no_effect_on_one_machine=True,
       help="Elastic averaging between compute nodes can improve distributed model convergence. "
            "#Experimental No effect in h2olite: it only matters when H2O runs on several nodes, and "
            "h2olite runs on one machine."),
    _p("elastic_averaging_moving_rate", "double", 0.9, "expert", gridable=True,
       no_effect_on_one_machine=True,
       help="Elastic averaging moving rate (only if elastic averaging is enabled). No effect in "
            "h2olite: it only matters when H2O runs on several nodes, and h2olite runs on one "
            "machine."),
    _p("elastic_averaging_regularization", "double", 0.001, "expert", gridable=True,
       no_effect_on_one_machine=True,
       help="Elastic averaging regularization strength (only if elastic averaging is enabled). No "
            "effect in h2olite: it only matters when H2O runs on several nodes, and h2olite runs on "
            "one machine."),
    _p("export_checkpoints_dir", "string", None, "secondary", gridable=False,
       help="Automatically export generated models to this directory."),
    _p("auc_type", "enum", "AUTO", "secondary", gridable=True,
       values=("AUTO", "NONE", "MACRO_OVR", "WEIGHTED_OVR", "MACRO_OVO", "WEIGHTED_OVO"),
       help="Set default multinomial AUC type."),
    _p("custom_metric_func", "string", None, "secondary", gridable=False,
       help="Reference to custom evaluation function, format: `language:keyName=funcName`"),
    _p("gainslift_bins", "int", -1, "secondary", gridable=False,
       help="Gains/Lift table number of bins. 0 means disabled.. Default value -1 means automatic "
            "binning."),
)

BY_NAME: dict[str, ParamSpec] = {p.name: p for p in PARAMETERS}
DEFAULTS: dict[str, object] = {p.name: p.default for p in PARAMETERS}
NO_EFFECT_ON_ONE_MACHINE: tuple[str, ...] = tuple(p.name for p in PARAMETERS if p.no_effect_on_one_machine)


def spec(name: str) -> ParamSpec:
    """The spec of ``name``; ``KeyError`` for a name Deep Learning does not have."""
    return BY_NAME[name]


def _key_json(type_: str, value):
    """Frame/model keys as H2O's KeyV3 dicts, columns as ColSpecifierV3, everything else as is."""
    if value is None:
        return None
    if type_ in ("Key<Frame>", "Key<Model>"):
        return key_json(value, "Frame" if type_ == "Key<Frame>" else "Model")
    if type_ == "Key<Frame>[]":
        return [key_json(v, "Frame") for v in value]
    if type_ == "VecSpecifier":
        return {"__meta": {"schema_version": 3, "schema_name": "ColSpecifierV3", "schema_type": "VecSpecifier"},
                "column_name": str(value), "is_member_of_frames": None}
    return _jsonable(value)


def parameter_json(p: ParamSpec, actual=None, input_value=None, has_actual: bool = False) -> dict:
    """One ``ModelParameterSchemaV3`` entry; ``actual``/``input_value`` are typed Python values."""
    return {
        "__meta": {"schema_version": 3, "schema_name": "ModelParameterSchemaV3", "schema_type": "Iced"},
        "name": p.name,
        "label": p.label,
        "help": p.help,
        "required": p.required,
        "type": p.type,
        "default_value": _key_json(p.type, p.default),
        "actual_value": _key_json(p.type, actual if has_actual else p.default),
        "input_value": _key_json(p.type, input_value),
        "level": p.level,
        "values": list(p.values),
        "is_member_of_frames": list(p.frames),
        "is_mutually_exclusive_with": list(p.exclusive),
        "gridable": p.gridable,
    }


def parameters_json(actual: dict | None = None, given: dict | None = None) -> list[dict]:
    """The ``parameters`` list of a model or builder: every parameter in H2O's order.

    ``actual`` maps names to the values the model used, ``given`` to the values the user sent.
    """
    actual = actual or {}
    given = given or {}
    return [parameter_json(p, actual.get(p.name), given.get(p.name), p.name in actual) for p in PARAMETERS]


def model_builder_json() -> dict:
    """The body of ``GET /3/ModelBuilders/deeplearning``, shaped as H2O's ``ModelBuildersV3``."""
    return {
        "__meta": {"schema_version": 3, "schema_name": "ModelBuildersV3", "schema_type": "Iced"},
        "model_builders": {
            "deeplearning": {
                "__meta": {"schema_version": 3, "schema_name": "DeepLearningV3", "schema_type": "DeepLearning"},
                "algo": "deeplearning",
                "algo_full_name": "Deep Learning",
                "can_build": ["Regression", "Binomial", "Multinomial", "AutoEncoder"],
                "visibility": "Stable",
                "supervised": True,
                "messages": [],
                "error_count": 0,
                "parameters": parameters_json(),
            }
        },
    }
