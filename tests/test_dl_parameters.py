"""The Deep Learning parameter table, wire-value parsing, validation and effective parameters."""
from __future__ import annotations

import inspect
import math

import numpy as np
import pytest

from h2olite_server.dl.parameters import BY_NAME, PARAMETERS, model_builder_json
from h2olite_server.dl.validation import parse_params, validate
from h2olite_server.errors import H2OModelBuilderError
from h2olite_server.frames.frame import Column, Frame

from data_util import load


def iris():
    return load("smalldata/iris/iris_wheader.csv")


def prostate():
    return load("smalldata/logreg/prostate.csv", ("CAPSULE",))


def fields_of(exc) -> dict[str, str]:
    return {m["field_name"]: m["message"] for m in exc.value.messages if m["message_type"] == "ERRR"}


def check(raw: dict, frame: Frame, valid: Frame | None = None):
    return validate(parse_params(raw), frame, valid)


# ------------------------------------------------------------------------------------------
# the table
# ------------------------------------------------------------------------------------------
def test_table_has_every_h2o_parameter_in_h2o_order_with_h2o_defaults():
    h2o_dl = pytest.importorskip("h2o.estimators.deeplearning")
    sig = inspect.signature(h2o_dl.H2ODeepLearningEstimator.__init__)
    h2o_names = [n for n in sig.parameters if n not in ("self", "params", "kwargs")]
    assert [p.name for p in PARAMETERS] == h2o_names
    assert len(PARAMETERS) == 91
    for name, par in sig.parameters.items():
        if name not in BY_NAME:
            continue
        ours = BY_NAME[name].default
        theirs = par.default
        if BY_NAME[name].is_enum:            # h2o-py spells defaults in lower case ("rectifier")
            assert ours.lower().replace("_", "") == str(theirs).lower().replace("_", ""), name
        elif isinstance(theirs, list):
            assert list(ours) == theirs, name
        elif isinstance(theirs, float) and name == "max_w2":
            assert math.isclose(ours, theirs, rel_tol=1e-7)
        else:
            assert ours == theirs, name


def test_table_types_levels_and_enum_spellings():
    assert BY_NAME["hidden"].type == "int[]" and BY_NAME["hidden"].default == (200, 200)
    assert BY_NAME["train_samples_per_iteration"].type == "long"
    assert BY_NAME["class_sampling_factors"].type == "float[]"
    assert BY_NAME["initial_weights"].type == "Key<Frame>[]"
    assert BY_NAME["response_column"].type == "VecSpecifier"
    assert BY_NAME["checkpoint"].type == "Key<Model>"
    assert BY_NAME["activation"].values == ("Tanh", "TanhWithDropout", "Rectifier", "RectifierWithDropout",
                                            "Maxout", "MaxoutWithDropout")
    assert BY_NAME["initial_weight_distribution"].default == "UniformAdaptive"
    assert BY_NAME["missing_values_handling"].values == ("MeanImputation", "Skip")
    assert BY_NAME["distribution"].client_values[:3] == ("AUTO", "bernoulli", "multinomial")
    assert BY_NAME["max_w2"].default == pytest.approx(3.4028235e38)
    assert {p.level for p in PARAMETERS} == {"critical", "secondary", "expert"}
    no_effect = {p.name for p in PARAMETERS if p.no_effect_on_one_machine}
    assert no_effect == {"replicate_training_data", "single_node_mode", "target_ratio_comm_to_comp",
                         "elastic_averaging", "elastic_averaging_moving_rate",
                         "elastic_averaging_regularization", "force_load_balance"}
    assert all("No effect in h2olite" in BY_NAME[n].help for n in no_effect)


def test_model_builder_json_is_h2o_shaped():
    body = model_builder_json()
    assert body["__meta"]["schema_name"] == "ModelBuildersV3"
    dl = body["model_builders"]["deeplearning"]
    assert dl["algo"] == "deeplearning" and dl["algo_full_name"] == "Deep Learning"
    assert dl["can_build"] == ["Regression", "Binomial", "Multinomial", "AutoEncoder"]
    assert dl["supervised"] is True and dl["visibility"] == "Stable"
    params = {p["name"]: p for p in dl["parameters"]}
    assert len(params) == 91
    h = params["hidden"]
    assert h["default_value"] == [200, 200] and h["actual_value"] == [200, 200] and h["input_value"] is None
    assert set(h) >= {"name", "label", "help", "required", "type", "default_value", "actual_value", "input_value",
                      "level", "values", "is_member_of_frames", "is_mutually_exclusive_with", "gridable"}
    assert params["response_column"]["is_member_of_frames"] == ["training_frame", "validation_frame"]
    assert params["activation"]["values"][3] == "RectifierWithDropout"
    assert params["epochs"]["default_value"] == 10.0 and params["epochs"]["type"] == "double"


# ------------------------------------------------------------------------------------------
# parse_params
# ------------------------------------------------------------------------------------------
def test_parse_python_and_r_spellings():
    p = parse_params({"standardize": "False", "sparse": "TRUE", "reproducible": "true", "l1": "1e-05",
                      "hidden": "[32, 32, 32]", "ignored_columns": '["C1","C2"]', "max_w2": "Infinity",
                      "activation": "rectifier_with_dropout", "initial_weight_distribution": "uniform_adaptive",
                      "missing_values_handling": "mean_imputation", "loss": "CROSSENTROPY",
                      "hidden_dropout_ratios": "[0.1, 0.2, 0.3]", "seed": "1234567890123",
                      "epochs": "0.5", "nfolds": "3", "model_id": "my_model", "training_frame": "train.hex",
                      "response_column": "C785", "stopping_metric": "misclassification"})
    assert p["standardize"] is False and p["sparse"] is True and p["reproducible"] is True
    assert p["l1"] == 1e-5 and p["hidden"] == (32, 32, 32) and p["ignored_columns"] == ("C1", "C2")
    assert p["max_w2"] == math.inf and p["activation"] == "RectifierWithDropout"
    assert p["initial_weight_distribution"] == "UniformAdaptive" and p["missing_values_handling"] == "MeanImputation"
    assert p["loss"] == "CrossEntropy" and p["hidden_dropout_ratios"] == (0.1, 0.2, 0.3)
    assert p["seed"] == 1234567890123 and p["epochs"] == 0.5 and p["nfolds"] == 3
    assert p["training_frame"] == "train.hex" and p["response_column"] == "C785"
    assert p["stopping_metric"] == "misclassification"
    # absent = default
    assert p["rho"] == 0.99 and p["mini_batch_size"] == 1 and p["distribution"] == "AUTO"


def test_parse_python_str_of_lists_and_typed_values():
    p = parse_params({"ignored_columns": "['ID', 'AGE']", "hidden": [10, 20], "l2": 0.001, "balance_classes": True,
                      "class_sampling_factors": "[1.0,2.5]", "initial_weights": "[w1, None, w3]",
                      "hidden_dropout_ratios": "0.3"})
    assert p["ignored_columns"] == ("ID", "AGE") and p["hidden"] == (10, 20) and p["l2"] == 0.001
    assert p["balance_classes"] is True and p["class_sampling_factors"] == (1.0, 2.5)
    assert p["initial_weights"] == ("w1", None, "w3") and p["hidden_dropout_ratios"] == (0.3,)


def test_parse_errors_name_each_bad_field():
    with pytest.raises(H2OModelBuilderError) as e:
        parse_params({"hiddn": "[10]", "activation": "sigmoid", "epochs": "ten", "hidden": "[10, x]",
                      "standardize": "maybe", "seed": "1.5"})
    f = fields_of(e)
    assert set(f) == {"hiddn", "activation", "epochs", "hidden", "standardize", "seed"}
    assert "Unknown parameter: hiddn" in f["hiddn"]
    assert "sigmoid" in f["activation"] and "RectifierWithDropout" in f["activation"] and "Tanh" in f["activation"]
    assert 'cannot convert "ten" to type double' in f["epochs"]
    assert e.value.http_status == 412
    assert e.value.to_json()["error_count"] == 6


# ------------------------------------------------------------------------------------------
# validate: errors
# ------------------------------------------------------------------------------------------
def test_bernoulli_on_three_classes_is_rejected():
    with pytest.raises(H2OModelBuilderError) as e:
        check({"response_column": "class", "distribution": "bernoulli"}, iris())
    assert "3 classes" in fields_of(e)["distribution"]


def test_invalid_structure_errors_are_collected_together():
    with pytest.raises(H2OModelBuilderError) as e:
        check({"response_column": "class", "hidden": "[10, -1]", "input_dropout_ratio": "1",
               "hidden_dropout_ratios": "[0.5]", "activation": "TanhWithDropout", "l1": "-1",
               "mini_batch_size": "0", "epochs": "0", "nfolds": "1"}, iris())
    f = fields_of(e)
    assert f["hidden"] == "Hidden layer size must be positive."
    assert f["input_dropout_ratio"] == "Input dropout must be >= 0 and <1."
    assert f["hidden_dropout_ratios"] == "Must have 2 hidden layer dropout ratios."
    assert f["l1"] == "L1 penalty must be >= 0."
    assert f["mini_batch_size"] == "Mini-batch size must be >= 1"
    assert "epochs" in f and f["nfolds"] == "nfolds must be either 0 or >1."


def test_maxout_autoencoder_and_autoencoder_cv_are_rejected():
    with pytest.raises(H2OModelBuilderError) as e:
        check({"autoencoder": "True", "activation": "Maxout", "nfolds": "3"}, iris())
    f = fields_of(e)
    assert f["activation"] == "Maxout activation is not supported for auto-encoder."
    assert f["nfolds"] == "N-fold cross-validation is not supported for Autoencoder."


def test_unknown_and_wrongly_typed_columns():
    with pytest.raises(H2OModelBuilderError) as e:
        check({"response_column": "nope", "weights_column": "zzz", "ignored_columns": '["ghost"]'}, iris())
    f = fields_of(e)
    assert f["response_column"] == "Response column 'nope' not found in the training frame"
    assert f["weights_column"] == "Weights column 'zzz' not found in the training frame"
    assert "ghost" in f["ignored_columns"]
    with pytest.raises(H2OModelBuilderError) as e:
        check({"response_column": "petal_len", "weights_column": "class", "offset_column": "sepal_len"}, iris())
    assert fields_of(e)["weights_column"] == "Invalid weights column 'class', weights must be numeric"
    with pytest.raises(H2OModelBuilderError) as e:
        check({"response_column": "class", "offset_column": "sepal_len"}, iris())
    assert fields_of(e)["offset_column"] == "Offset is only supported for regression."
    with pytest.raises(H2OModelBuilderError) as e:
        check({"response_column": "class", "ignored_columns": '["class"]'}, iris())
    assert "ignored_columns" in fields_of(e)["response_column"]


def test_distribution_loss_and_stopping_metric_against_problem_type():
    with pytest.raises(H2OModelBuilderError) as e:
        check({"response_column": "sepal_len", "loss": "CrossEntropy", "stopping_metric": "AUC"}, iris())
    f = fields_of(e)
    assert f["loss"] == "For CrossEntropy loss, the response must be categorical."
    assert f["stopping_metric"] == "Stopping metric cannot be AUC for regression."
    with pytest.raises(H2OModelBuilderError) as e:
        check({"response_column": "class", "distribution": "gaussian", "loss": "Huber"}, iris())
    f = fields_of(e)
    assert f["distribution"] == "gaussian distribution is not allowed for classification."
    assert f["loss"].startswith("For classification tasks, the loss must be one of")
    with pytest.raises(H2OModelBuilderError) as e:
        check({"response_column": "sepal_len", "distribution": "multinomial"}, iris())
    assert fields_of(e)["distribution"] == "multinomial distribution is not allowed for regression."
    with pytest.raises(H2OModelBuilderError) as e:
        check({"response_column": "sepal_len", "distribution": "poisson", "loss": "Quadratic"}, iris())
    assert fields_of(e)["distribution"] == "Only Automatic loss (deviance) is allowed for poisson distribution."
    with pytest.raises(H2OModelBuilderError) as e:      # prostate RACE has zeros
        check({"response_column": "RACE", "distribution": "gamma"}, prostate())
    assert "positive for Gamma" in fields_of(e)["response_column"]
    with pytest.raises(H2OModelBuilderError) as e:     # not even in H2O's REST enum
        check({"response_column": "class", "loss": "ModifiedHuber"}, iris())
    assert fields_of(e)["loss"].startswith("Invalid value 'ModifiedHuber' for parameter 'loss'; allowed values:")


def test_unsupported_values_are_rejected_with_reasons():
    with pytest.raises(H2OModelBuilderError) as e:
        check({"response_column": "class", "custom_metric_func": "python:mm=metric.Mm",
               "export_checkpoints_dir": "/tmp/x", "categorical_encoding": "Eigen", "col_major": "True",
               "distribution": "quasibinomial"}, iris())
    f = fields_of(e)
    assert "not supported" in f["custom_metric_func"] and "save_model" in f["export_checkpoints_dir"]
    assert "Eigen" in f["categorical_encoding"] and "col_major" in f
    assert "Quasibinomial" in f["distribution"]
    with pytest.raises(H2OModelBuilderError) as e:
        check({"response_column": "class", "categorical_encoding": "Enum"}, iris())
    assert fields_of(e)["categorical_encoding"] == "Cannot use Enum encoding for categoricals - need numbers!"


def test_balance_classes_and_sampling_factors():
    with pytest.raises(H2OModelBuilderError) as e:
        check({"response_column": "class", "balance_classes": "True", "class_sampling_factors": "[1, 2]"}, iris())
    assert "must have 3 elements" in fields_of(e)["class_sampling_factors"]
    with pytest.raises(H2OModelBuilderError) as e:
        check({"response_column": "sepal_len", "balance_classes": "True"}, iris())
    assert fields_of(e)["balance_classes"] == "balance_classes requires classification."
    with pytest.raises(H2OModelBuilderError) as e:
        check({"response_column": "class", "class_sampling_factors": "[1, 2, 3]"}, iris())
    assert "requires balance_classes" in fields_of(e)["class_sampling_factors"]


def test_validation_frame_needs_the_response():
    train = iris()
    valid = train.select(["sepal_len", "sepal_wid", "petal_len", "petal_wid"])
    with pytest.raises(H2OModelBuilderError) as e:
        check({"response_column": "class"}, train, valid)
    assert fields_of(e)["validation_frame"] == "Validation frame must have a response column 'class'."


# ------------------------------------------------------------------------------------------
# validate: effective parameters
# ------------------------------------------------------------------------------------------
def test_effective_parameters_follow_sanity_modify_parms():
    eff, msgs = check({"response_column": "class", "activation": "RectifierWithDropout", "hidden": "[32,32,32]",
                       "seed": "42"}, iris())
    assert eff["distribution"] == "multinomial" and eff["loss"] == "CrossEntropy"
    assert eff["hidden_dropout_ratios"] == (0.5, 0.5, 0.5)
    assert eff["rate"] == 0 and eff["momentum_stable"] == 0 and eff["rate_annealing"] == 0
    assert eff["rho"] == 0.99 and eff["epsilon"] == 1e-8
    assert eff["categorical_encoding"] == "OneHotInternal" and eff["stopping_metric"] == "logloss"
    assert eff["replicate_training_data"] is False and eff["seed"] == 42
    assert not [m for m in msgs if m["message_type"] == "ERRR"]

    eff, _ = check({"response_column": "CAPSULE"}, prostate())
    assert eff["distribution"] == "bernoulli" and eff["loss"] == "CrossEntropy"
    assert eff["seed"] != -1                      # realized, as H2O reports the seed it used

    eff, _ = check({"response_column": "sepal_len", "loss": "Absolute", "adaptive_rate": "False",
                    "reproducible": "True"}, iris())
    assert eff["distribution"] == "laplace" and eff["loss"] == "Absolute" and eff["stopping_metric"] == "deviance"
    assert eff["rho"] == 0 and eff["epsilon"] == 0 and eff["rate"] == 0.005
    assert eff["train_samples_per_iteration"] == -1 and eff["score_each_iteration"] is True

    eff, _ = check({"autoencoder": "True", "use_all_factor_levels": "False"}, iris())
    assert eff["distribution"] == "gaussian" and eff["loss"] == "Quadratic"
    assert eff["use_all_factor_levels"] is True and eff["stopping_metric"] == "MSE"

    eff, _ = check({"response_column": "sepal_len", "distribution": "tweedie"}, iris())
    assert eff["loss"] == "Automatic"               # deviance


def test_no_effect_parameters_are_accepted_and_reported():
    eff, msgs = check({"response_column": "class", "replicate_training_data": "False",
                       "target_ratio_comm_to_comp": "0.5", "mini_batch_size": "16", "rate": "0.1"}, iris())
    infos = {m["field_name"]: m["message"] for m in msgs if m["message_type"] == "INFO"}
    warns = {m["field_name"]: m["message"] for m in msgs if m["message_type"] == "WARN"}
    assert "no effect" in infos["target_ratio_comm_to_comp"] and "no effect" in infos["replicate_training_data"]
    assert "mini-batches of 16" in infos["mini_batch_size"] and eff["mini_batch_size"] == 16
    assert warns["rate"] == "rate cannot be specified if adaptive_rate is enabled."
    _, quiet = check({"response_column": "class", "target_ratio_comm_to_comp": "0.5", "quiet_mode": "True"}, iris())
    assert not [m for m in quiet if m["message_type"] == "INFO"]


def test_stock_h2o_py_payload_parses_to_the_defaults():
    """h2o-py sends every non-None parameter (defaults included) in its own spellings (api N.20)."""
    h2o_dl = pytest.importorskip("h2o.estimators.deeplearning")
    from h2o.backend.connection import H2OConnection
    est = h2o_dl.H2ODeepLearningEstimator(hidden=[32, 32, 32], activation="rectifier_with_dropout", l1=1e-5,
                                          ignored_columns=["economy (mpg)", "name"])
    payload = H2OConnection._prepare_data_payload({k: v for k, v in est._parms.items() if v is not None})
    p = parse_params(payload)
    assert p["ignored_columns"] == ("economy (mpg)", "name")
    assert p["activation"] == "RectifierWithDropout" and p["hidden"] == (32, 32, 32) and p["l1"] == 1e-5
    untouched = {"hidden", "activation", "l1", "ignored_columns"}
    for spec in PARAMETERS:
        if spec.name not in untouched:
            assert p[spec.name] == spec.default, spec.name
    eff, msgs = validate({**p, "ignored_columns": None, "response_column": "class"}, iris())
    assert not [m for m in msgs if m["message_type"] in ("ERRR", "WARN")]


def test_r_style_ignored_columns_may_name_the_special_columns():
    """R puts every column not in x (weights included) into ignored_columns; H2O keeps the used ones."""
    fr = iris()
    eff, _ = check({"response_column": "class", "weights_column": "petal_wid",
                    "ignored_columns": '["sepal_wid","petal_wid"]'}, fr)
    assert eff["weights_column"] == "petal_wid"


def test_no_usable_predictors():
    const = Frame([iris()["class"], Column("k", "real", np.ones(150))], "c.hex")
    with pytest.raises(H2OModelBuilderError) as e:
        check({"response_column": "class"}, const)
    assert "no usable columns" in fields_of(e)["training_frame"]


@pytest.mark.parametrize("ignore_const_cols, rejected", [(True, True), (False, False)])
def test_autoencoder_on_constant_predictors_is_rejected_before_training(ignore_const_cols, rejected):
    """An autoencoder whose every column is constant has nothing to encode: rejected at the request
    (it used to pass validation and fail in its job); kept constant columns are usable."""
    const = Frame([Column("k", "real", np.ones(150)), Column("z", "real", np.zeros(150))], "c.hex")
    params = {"autoencoder": "true", "ignore_const_cols": str(ignore_const_cols)}
    if rejected:
        with pytest.raises(H2OModelBuilderError) as e:
            check(params, const)
        assert "no usable columns" in fields_of(e)["training_frame"]
    else:
        eff, _ = check(params, const)
        assert eff["autoencoder"]


def test_actual_params_are_what_h2o_reports():
    """Checked against H2O-3 3.46 models: only seed, distribution, encoding, stopping metric, folds resolved."""
    from h2olite_server.dl.validation import actual_params
    raw = {"response_column": "class", "activation": "RectifierWithDropout", "hidden": "[5]",
           "reproducible": "True", "mini_batch_size": "4"}
    p = parse_params(raw)
    eff, _ = validate(p, iris())
    a = actual_params(p, eff)
    assert a["distribution"] == "multinomial" and a["loss"] == "Automatic" and a["stopping_metric"] == "logloss"
    assert a["categorical_encoding"] == "OneHotInternal" and a["hidden_dropout_ratios"] is None
    assert a["rate"] == 0.005 and a["replicate_training_data"] is True and a["fold_assignment"] is None
    assert a["train_samples_per_iteration"] == -2 and a["mini_batch_size"] == 4 and a["seed"] == eff["seed"] != -1
    p = parse_params({"response_column": "sepal_len", "nfolds": "3", "stopping_rounds": "0"})
    a = actual_params(p, validate(p, iris())[0])
    assert a["distribution"] == "gaussian" and a["fold_assignment"] == "Random" and a["stopping_metric"] is None
    assert a["overwrite_with_best_model"] is False
