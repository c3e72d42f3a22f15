"""The Python client's estimators, models, metrics and grids without a training backend.

Model/metrics/grid JSON and the expected printouts were captured from the real H2O-3 with h2o-py
(tests/data/h2o3_client/README.md), so printing is checked line for line against H2O's own
output. REST traffic is checked against a small in-process fake that records what is sent.
"""
from __future__ import annotations

import copy
import gzip
import inspect
import json
from pathlib import Path

import pandas as pd
import pytest

import h2olite
from h2olite import h2o_models
from h2olite.backend import connection
from h2olite.estimators.deeplearning import H2OAutoEncoderEstimator, H2ODeepLearningEstimator
from h2olite.exceptions import H2OTypeError, H2OValueError
from h2olite.grid.grid_search import H2OGridSearch
from h2olite.model import model_base
from h2olite.model import models as category_models
from h2olite.model.metrics import (H2OBinomialModelMetrics, H2ODefaultModelMetrics, H2OMultinomialModelMetrics,
                                   H2ORegressionModelMetrics)
from h2olite.two_dim_table import H2OTwoDimTable, convert_tables
from h2olite_server.dl.parameters import PARAMETERS

DATA = Path(__file__).parent / "data" / "h2o3_client"


def load_json(name):
    with gzip.open(DATA / (name + ".json.gz"), "rt") as f:
        return json.load(f)


def expected(name):
    return (DATA / (name + ".txt")).read_text()


def model_json(name):
    return load_json("model_" + name)["models"][0]


@pytest.fixture(scope="module")
def models():
    return {n: h2o_models.model_from_json(model_json(n)) for n in ("iris", "prostate", "cars", "ecg")}


# ---- a fake backend and frames -----------------------------------------------------------------
class FakeFrame:
    def __init__(self, frame_id, names, types):
        self.frame_id, self.names, self.types = frame_id, list(names), dict(types)
        self.nrow = 10


IRIS = FakeFrame("iris.hex", ["sepal_len", "sepal_wid", "petal_len", "petal_wid", "class"],
                 {"sepal_len": "real", "sepal_wid": "real", "petal_len": "real", "petal_wid": "real",
                  "class": "enum"})
CARS = FakeFrame("cars.hex", ["name", "economy", "cylinders", "weight", "year", "w"],
                 {"name": "string", "economy": "real", "cylinders": "int", "weight": "int", "year": "int",
                  "w": "real"})


class FakeBackend:
    """Answers the endpoints the client calls, from the captured H2O replies; records requests."""

    def __init__(self, model_name="iris"):
        self.calls = []
        self.model = model_json(model_name)
        self.grid = load_json("grid_g1")

    def _job(self, dest):
        return {"key": {"name": "job_1"}, "status": "DONE", "progress": 1.0, "dest": {"name": dest},
                "warnings": [], "exception": None}

    def request(self, endpoint, data=None, json_body=None, filename=None, save_to=None, **kw):
        self.calls.append((endpoint, dict(data or {})))
        method, path = endpoint.split(" ", 1)
        mid = self.model["model_id"]["name"]
        if path.startswith("/3/ModelBuilders/"):
            return {"job": self._job(mid), "messages": [
                {"message_type": "WARN", "field_name": "x", "message": "a server warning"}]}
        if path.startswith("/3/Jobs/"):
            return {"jobs": [self._job(mid)]}
        if method == "GET" and path == "/3/Models":
            return {"models": [{"model_id": {"name": mid}}]}
        if method == "GET" and path.startswith("/3/Models/"):
            grid_model = path.rsplit("/", 1)[1]
            js = copy.deepcopy(self.model)
            js["model_id"]["name"] = grid_model
            return {"models": [js]}
        if path.startswith("/4/Predictions/"):
            return self._job("prediction_frame")
        if path.startswith("/3/Predictions/"):
            return {"model_metrics": [{"predictions": {"frame_id": {"name": "anomaly_frame"}},
                                       "cm": self.model["output"]["training_metrics"]["cm"]}]}
        if path.startswith("/3/ModelMetrics/"):
            mm = load_json("mm_iris")
            mm["model_metrics"][0]["frame"]["name"] = path.rsplit("/", 1)[1]
            return mm
        if path.startswith("/99/Grid/"):
            return {"job": self._job("g1")}
        if path.startswith("/99/Grids/"):
            return copy.deepcopy(self.grid)
        if path.startswith("/99/Models.bin/") and method == "GET":
            return {"dir": data["dir"]}
        if path == "/99/Models.bin/":
            return {"models": [{"model_id": {"name": mid}}]}
        raise AssertionError("unexpected request " + endpoint)

    def sent(self, prefix):
        return [d for e, d in self.calls if e.startswith(prefix)]


@pytest.fixture
def backend(monkeypatch):
    fake = FakeBackend()
    monkeypatch.setattr(connection, "_current", fake)
    monkeypatch.setattr(model_base, "get_frame", lambda fid: fid)
    monkeypatch.setattr(category_models, "get_frame", lambda fid: fid)
    import h2olite.job as job_module
    monkeypatch.setattr(job_module, "_progress_enabled", False)
    return fake


# ---- estimator parameters ----------------------------------------------------------------------
def test_every_parameter_is_a_keyword_and_a_property_with_the_servers_default():
    est = H2ODeepLearningEstimator()
    sig = inspect.signature(H2ODeepLearningEstimator)
    assert [p.name for p in PARAMETERS] == list(sig.parameters)
    for spec in PARAMETERS:
        default = list(spec.default) if isinstance(spec.default, tuple) else spec.default
        assert sig.parameters[spec.name].default == default, spec.name
        assert getattr(est, spec.name) == default, spec.name
    assert est.hidden == [200, 200] and est.epochs == 10.0 and est.activation == "Rectifier"
    est.epochs = 5
    est.hidden = (32, 16)
    assert est.epochs == 5 and est.hidden == [32, 16]
    assert est.get_params()["epochs"] == 5


def test_enum_values_match_case_and_punctuation_insensitively_and_are_kept_as_typed():
    for spelling in ("RectifierWithDropout", "rectifier_with_dropout", "RECTIFIERwithDROPOUT"):
        assert H2ODeepLearningEstimator(activation=spelling).activation == spelling
    assert H2ODeepLearningEstimator(stopping_metric="misclassification").stopping_metric == "misclassification"
    with pytest.raises(H2OValueError, match="activation.*Rectifierr"):
        H2ODeepLearningEstimator(activation="Rectifierr")
    with pytest.raises(H2OValueError, match="distribution"):
        H2ODeepLearningEstimator().distribution = "binomal"


def test_unknown_keyword_and_wrong_types_are_refused_naming_the_parameter():
    with pytest.raises(H2OValueError, match="hiddden"):
        H2ODeepLearningEstimator(hiddden=[10])
    with pytest.raises(H2OTypeError, match="hidden"):
        H2ODeepLearningEstimator(hidden="200,200")
    with pytest.raises(H2OTypeError, match="epochs"):
        H2ODeepLearningEstimator(epochs="ten")
    with pytest.raises(H2OTypeError, match="nfolds"):
        H2ODeepLearningEstimator(nfolds=2.5)
    with pytest.raises(H2OTypeError, match="sparse"):
        H2ODeepLearningEstimator(sparse="yes")
    assert H2ODeepLearningEstimator(nfolds=5.0).nfolds == 5


def test_autoencoder_estimator_is_unsupervised():
    ae = H2OAutoEncoderEstimator(hidden=[50, 50, 50], sparse=True, l1=1e-4, epochs=100)
    assert ae.autoencoder is True and ae.supervised_learning is False
    assert H2ODeepLearningEstimator().autoencoder is False


# ---- x / y resolution ---------------------------------------------------------------------------
def test_x_and_y_by_name_or_index_give_ignored_columns_and_response():
    est = H2ODeepLearningEstimator()
    p = est._make_parms(x=[0, 1], y=4, training_frame=IRIS)
    assert p["response_column"] == "class"
    assert p["ignored_columns"] == ["petal_len", "petal_wid"]
    assert p["training_frame"] == "iris.hex"
    assert est.type == "classifier"
    p = est._make_parms(x=["sepal_len", -2], y="class", training_frame=IRIS, validation_frame=IRIS)
    assert p["ignored_columns"] == ["sepal_wid", "petal_len"] and p["validation_frame"] == "iris.hex"
    p = est._make_parms(y="class", training_frame=IRIS)               # x omitted: every other column
    assert "ignored_columns" not in p


def test_special_columns_are_not_ignored_and_regression_is_detected():
    est = H2ODeepLearningEstimator()
    p = est._make_parms(x=["cylinders", "weight"], y="economy", training_frame=CARS, weights_column="w")
    assert p["ignored_columns"] == ["name", "year"] and p["weights_column"] == "w"
    assert est.type == "regressor"


def test_unknown_columns_are_named_before_anything_is_sent():
    est = H2ODeepLearningEstimator()
    with pytest.raises(H2OValueError, match="nope, zzz"):
        est._make_parms(x=["nope", "sepal_len", "zzz"], y="class", training_frame=IRIS)
    with pytest.raises(H2OValueError, match="klass"):
        est._make_parms(x=[0], y="klass", training_frame=IRIS)
    with pytest.raises(H2OValueError, match="Column 7 does not exist"):
        est._make_parms(x=[7], y="class", training_frame=IRIS)
    with pytest.raises(H2OValueError, match="response"):          # y omitted on a supervised model
        est._make_parms(x=[0], training_frame=IRIS)
    with pytest.raises(H2OValueError, match="x and ignored_columns"):
        est._make_parms(x=[0], y="class", ignored_columns=["sepal_wid"], training_frame=IRIS)
    with pytest.raises(H2OValueError, match="training_frame"):
        est._make_parms(x=[0], y="class")


def test_autoencoder_ignores_y_and_sends_no_response():
    p = H2OAutoEncoderEstimator()._make_parms(x=[0, 1, 2, 3], y="class", training_frame=IRIS)
    assert "response_column" not in p and p["ignored_columns"] == ["class"] and p["autoencoder"] is True


def test_checkpoint_and_pretrained_autoencoder_accept_a_model_object(models):
    est = H2ODeepLearningEstimator(checkpoint=models["iris"], pretrained_autoencoder=models["ecg"])
    p = est._make_parms(x=[0, 1, 2, 3], y="class", training_frame=IRIS)
    assert p["checkpoint"] == "DeepLearning_model_python_1795433504257_43"
    assert p["pretrained_autoencoder"] == "DeepLearning_model_python_1795433504257_84"
    assert H2ODeepLearningEstimator(checkpoint="some_id")._make_parms(y=4, training_frame=IRIS)["checkpoint"] == "some_id"
    with pytest.raises(H2OTypeError, match="checkpoint"):
        H2ODeepLearningEstimator(checkpoint=3)


# ---- printing, exactly as h2o-py ---------------------------------------------------------------
@pytest.mark.parametrize("name", ["iris", "prostate", "cars", "ecg"])
def test_model_and_training_metrics_print_exactly_as_h2o(models, name, capsys):
    print(models[name])
    print(models[name].model_performance(train=True))
    out = capsys.readouterr().out
    assert out == expected("print_" + name) + expected("perf_train_" + name)


def test_tables_print_exactly_as_h2o(models, capsys):
    print(models["prostate"].confusion_matrix())
    print(models["iris"].hit_ratio_table(valid=True))
    print(models["iris"].varimp())
    print(models["prostate"].cross_validation_metrics_summary())
    assert capsys.readouterr().out == (expected("cm_pro") + expected("hit") + expected("varimp")
                                       + expected("xval_summary"))


def test_model_classes_follow_the_category(models):
    assert type(models["iris"]).__name__ == "H2ODeepLearningEstimator"
    assert type(models["ecg"]).__name__ == "H2OAutoEncoderEstimator"
    assert isinstance(models["iris"].model_performance(), H2OMultinomialModelMetrics)
    assert isinstance(models["prostate"].model_performance(xval=True), H2OBinomialModelMetrics)
    assert isinstance(models["cars"].model_performance(), H2ORegressionModelMetrics)
    assert isinstance(models["ecg"].model_performance(), H2ODefaultModelMetrics)
    assert hasattr(models["ecg"], "anomaly") and not hasattr(models["iris"], "anomaly")
    assert hasattr(models["iris"], "hit_ratio_table") and not hasattr(models["cars"], "hit_ratio_table")
    assert [m.type for m in models.values()] == ["classifier", "classifier", "regressor", "unsupervised"]


# ---- accessors -----------------------------------------------------------------------------------
def test_metric_accessors_return_a_float_for_one_flag_and_a_dict_for_several(models):
    iris, pro, cars = models["iris"], models["prostate"], models["cars"]
    assert iris.mse() == pytest.approx(0.2523825006621393)
    assert iris.mse(valid=True) == pytest.approx(0.28644093974471957)
    assert iris.mse(train=True, valid=True) == {"train": pytest.approx(0.2523825006621393),
                                                "valid": pytest.approx(0.28644093974471957)}
    assert iris.mse(train=True, valid=True, xval=True)["xval"] is None
    assert iris.logloss() == pytest.approx(0.721859752816069)
    assert iris.mean_per_class_error(valid=True) == pytest.approx(0.5400641025641025)
    assert pro.auc(xval=True) == pytest.approx(0.7437591776798825)
    assert pro.auc() == pytest.approx(0.7864587832196022)
    assert pro.gini() == pytest.approx(0.5729175664392043)
    assert pro.mean_per_class_error() == [[pytest.approx(0.38952822110646995), pytest.approx(0.2769427888629754)]]
    assert pro.F1() == [[pytest.approx(0.3121858527978405), pytest.approx(0.6778711484593837)]]
    assert pro.F1().value == pytest.approx(0.6778711484593837)
    assert cars.r2() == pytest.approx(0.7373077449934946)
    assert cars.mae() == pytest.approx(3.0422666250990558)
    assert cars.rmsle() == pytest.approx(0.15464687017396614)
    assert iris.model_performance(valid=True)["MSE"] == pytest.approx(0.28644093974471957)
    assert iris.model_performance(xval=True) is None


def test_params_actual_params_and_ids(models):
    iris = models["iris"]
    assert iris.params["hidden"] == {"default": [200, 200], "actual": [5, 4], "input": [5, 4]}
    assert iris.actual_params["training_frame"] == "py_2_sid_9c88"
    assert iris.actual_params["response_column"] == "class"
    assert iris.default_params["epochs"] == 10.0
    assert len(iris.params) == len(PARAMETERS)
    assert iris.model_id == iris._id == iris.key == "DeepLearning_model_python_1795433504257_43"
    assert iris.algo == "deeplearning"
    assert iris.full_parameters["hidden"]["type"] == "int[]"
    assert iris.hidden == [5, 4] and iris.epochs == 5.0    # the estimator's properties show what was used


def test_scoring_history_varimp_and_summary(models, capsys):
    sh = models["iris"].scoring_history()
    assert isinstance(sh, pd.DataFrame) and sh["epochs"].max() == 5 and len(sh) == 6
    assert list(sh.columns[:7]) == ["", "timestamp", "duration", "training_speed", "epochs", "iterations",
                                    "samples"]
    vi = models["iris"].varimp()
    assert vi[0][0] == "petal_wid" and vi[0][1:3] == (1.0, 1.0) and len(vi) == 4
    vi_df = models["iris"].varimp(use_pandas=True)
    assert list(vi_df.columns) == ["variable", "relative_importance", "scaled_importance", "percentage"]
    assert vi_df["percentage"].sum() == pytest.approx(1.0)
    summary = models["iris"].get_summary()
    assert summary.table_header == "Status of Neuron Layers" and summary["units"] == [4, 5, 4, 3]
    assert models["iris"].cross_validation_models() is None
    assert models["prostate"].xval_keys() == ["DeepLearning_model_python_1795433504257_44_cv_%d" % i
                                               for i in (1, 2, 3)]


def test_model_without_importances_warns_and_returns_none(models, capsys):
    m = h2o_models.model_from_json(dict(model_json("cars"), output=dict(model_json("cars")["output"],
                                                                         variable_importances=None)))
    assert m.varimp() is None
    assert "doesn't have variable importances" in capsys.readouterr().out


def test_binomial_confusion_matrix_at_given_threshold(models, capsys):
    cm = models["prostate"].confusion_matrix(thresholds=0.5)
    (tn, fp), (fn, tp) = cm.to_list()
    assert tn + fp == 227 and fn + tp == 153
    assert cm.table.table_header.startswith("Confusion Matrix (Act/Pred) @ threshold = ")
    at_max_accuracy = models["prostate"].confusion_matrix(metrics="accuracy")
    assert "max accuracy @ threshold = 0.46375" in at_max_accuracy.table.table_header
    (tn, fp), (fn, tp) = at_max_accuracy.to_list()
    assert (tn + tp) / 380 == pytest.approx(0.739474, abs=1e-6)      # H2O's "max accuracy" value
    both = models["prostate"].confusion_matrix(train=True, xval=True)
    assert set(both) == {"train", "xval"}


def test_plots_without_matplotlib_raise_a_clear_error(models):
    try:
        import matplotlib  # noqa: F401
        pytest.skip("matplotlib is installed")
    except ImportError:
        pass
    with pytest.raises(H2OValueError, match="matplotlib"):
        models["iris"].varimp_plot()
    with pytest.raises(H2OValueError, match="matplotlib"):
        models["cars"].plot()


def test_two_dim_table_access():
    t = convert_tables(model_json("iris"))["output"]["variable_importances"]
    assert isinstance(t, H2OTwoDimTable)
    assert t["variable"] == ["petal_wid", "sepal_len", "petal_len", "sepal_wid"]
    assert t[0] == t["variable"] and t[-1] == t["percentage"]
    assert len(t[1:]) == 3 and t[1:].cell_values[0][0] == "sepal_len"
    assert list(t.as_data_frame().shape) == [4, 4]
    with pytest.raises(H2OValueError, match="nope"):
        t["nope"]
    assert str(t).startswith("Variable Importances: \nvariable    relative_importance")


# ---- REST flows against the fake backend ---------------------------------------------------------
def test_train_sends_h2o_form_fields_and_becomes_the_model(backend, models):
    est = H2ODeepLearningEstimator(distribution="multinomial", activation="RectifierWithDropout",
                                   hidden=[32, 32, 32], input_dropout_ratio=0.2, sparse=True, l1=1e-5, epochs=10,
                                   checkpoint=models["cars"])
    with pytest.warns(RuntimeWarning, match="a server warning"):
        out = est.train(x=[0, 1, 2, 3], y="class", training_frame=IRIS, validation_frame=IRIS)
    assert out is est
    sent = backend.sent("POST /3/ModelBuilders/deeplearning")[0]
    assert sent["activation"] == "RectifierWithDropout" and sent["hidden"] == [32, 32, 32]
    assert sent["training_frame"] == "iris.hex" and sent["validation_frame"] == "iris.hex"
    assert sent["response_column"] == "class" and "ignored_columns" not in sent
    assert sent["checkpoint"] == models["cars"].model_id
    assert sent["l1"] == 1e-5 and sent["max_w2"] == pytest.approx(3.4028235e38)
    assert type(est).__name__ == "H2ODeepLearningEstimator" and hasattr(est, "hit_ratio_table")
    assert est.mse(valid=True) == pytest.approx(0.28644093974471957)
    assert est.predict(IRIS) == "prediction_frame"
    assert est.model_performance(test_data=IRIS).mse() == pytest.approx(
        load_json("mm_iris")["model_metrics"][0]["MSE"])
    assert est.confusion_matrix(IRIS)["Error"][-1] == pytest.approx(0.5178571428571429)


@pytest.mark.filterwarnings("ignore:a server warning")
def test_function_style_deeplearning_sends_only_given_parameters(backend):
    model = h2olite.deeplearning(x=[0, 1, 2, 3], y=4, training_frame=IRIS, hidden=[200, 200, 200], epochs=10,
                                 activation="RectifierWithDropout", input_dropout_ratio=0.2, l1=1e-5)
    sent = backend.sent("POST /3/ModelBuilders/deeplearning")[0]
    assert set(sent) == {"hidden", "epochs", "activation", "input_dropout_ratio", "l1", "training_frame",
                         "response_column"}
    assert model.mse() == pytest.approx(0.2523825006621393)
    with pytest.raises(H2OValueError, match="hiden"):
        h2olite.deeplearning(x=[0], y=4, training_frame=IRIS, hiden=[2])
    with pytest.raises(H2OValueError, match="autoencoder"):
        h2olite.deeplearning(x=[0], y=4, training_frame=IRIS, autoencoder=True)


@pytest.mark.filterwarnings("ignore:a server warning")
def test_function_style_autoencoder_sends_autoencoder_and_no_response(backend):
    h2olite.autoencoder(x=[0, 1, 2, 3], training_frame=IRIS, hidden=[2], epochs=1)
    sent = backend.sent("POST /3/ModelBuilders/deeplearning")[0]
    assert sent["autoencoder"] is True and "response_column" not in sent and sent["ignored_columns"] == ["class"]


def test_save_load_get_model_and_models(backend, models, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = h2olite.save_model(models["iris"])
    assert path == str(tmp_path / models["iris"].model_id)
    sent = backend.sent("GET /99/Models.bin/")[0]
    assert sent == {"dir": path, "force": False, "export_cross_validation_predictions": False}
    assert h2olite.save_model(models["iris"], path="sub", force=True, filename="f.bin") == str(tmp_path / "sub" /
                                                                                             "f.bin")
    loaded = h2olite.load_model("sub/f.bin")
    assert backend.sent("POST /99/Models.bin/")[0] == {"dir": str(tmp_path / "sub" / "f.bin")}
    assert loaded.model_id == models["iris"].model_id and loaded.mse() == models["iris"].mse()
    assert h2olite.models() == [models["iris"].model_id]
    got = h2olite.get_model(model_id=models["iris"]._id)
    assert type(got).__name__ == "H2ODeepLearningEstimator" and got.actual_params["hidden"] == [5, 4]


def test_autoencoder_anomaly_posts_reconstruction_error(backend, models):
    frame = models["ecg"].anomaly(IRIS, per_feature=True)
    assert frame == "anomaly_frame"
    assert backend.sent("POST /3/Predictions/")[0] == {"reconstruction_error": True,
                                                       "reconstruction_error_per_feature": True}
    assert models["ecg"].deepfeatures(IRIS, 0) == "prediction_frame"
    assert backend.sent("POST /4/Predictions/")[-1] == {"deep_features_hidden_layer": 0}


def test_grid_train_sends_hyper_parameters_as_json_and_prints_as_h2o(backend, capsys):
    grid = H2OGridSearch(H2ODeepLearningEstimator, hyper_params={"hidden": [[3], [4, 2]], "l1": [1e-4, 1e-3]},
                         grid_id="g1")
    print(grid)     # before training: the combinations to explore
    before = capsys.readouterr().out
    assert "Grid Search of Model H2ODeepLearningEstimator" in before and "[[4, 2], 0.001]" in before
    grid.train(x=[0, 1, 2, 3], y="class", training_frame=IRIS, validation_frame=IRIS, epochs=2,
               stopping_metric="misclassification")
    sent = backend.sent("POST /99/Grid/deeplearning")[0]
    assert json.loads(sent["hyper_parameters"]) == {"hidden": [[3], [4, 2]], "l1": [0.0001, 0.001]}
    assert sent["grid_id"] == "g1" and sent["epochs"] == 2 and sent["stopping_metric"] == "misclassification"
    assert "hidden" not in sent and "l1" not in sent and sent["response_column"] == "class"
    print(grid)
    assert capsys.readouterr().out == expected("print_grid")
    assert grid.model_ids == ["g1_model_2", "g1_model_4", "g1_model_1", "g1_model_3"]
    assert len(grid) == 4 and [m.model_id for m in grid] == grid.model_ids and grid[0].model_id == "g1_model_2"
    assert set(grid.mse()) == set(grid.model_ids)
    assert grid.hyper_names == ["hidden", "l1"] and grid.failed_params == []
    table = grid.sorted_metric_table()
    assert list(table.columns) == ["", "hidden", "l1", "model_ids", "logloss"]
    assert grid.get_hyperparams_dict("g1_model_2", display=False) == {"hidden": [5, 4], "l1": 0.0}
    resorted = grid.get_grid(sort_by="mse", decreasing=True)
    assert backend.sent("GET /99/Grids/g1")[-1] == {"sort_by": "mse", "decreasing": True}
    assert resorted.model_ids == grid.model_ids       # the fake answers the same order


def test_grid_rejects_bad_arguments_before_sending(backend):
    with pytest.raises(H2OValueError, match="hyper_params"):
        H2OGridSearch(H2ODeepLearningEstimator, hyper_params={"hidden": [3]}.items())
    with pytest.raises(H2OValueError, match="must be a list"):
        H2OGridSearch(H2ODeepLearningEstimator, hyper_params={"l1": 0.1})
    grid = H2OGridSearch(H2ODeepLearningEstimator, hyper_params={"hiddn": [[3]]})
    with pytest.raises(H2OValueError, match="hiddn"):
        grid.train(x=[0], y="class", training_frame=IRIS)
    with pytest.raises(H2OValueError, match="epochz"):
        H2OGridSearch(H2ODeepLearningEstimator, hyper_params={"l1": [0]}).train(y="class", training_frame=IRIS,
                                                                                epochz=3)
    assert backend.sent("POST /99/Grid") == []


def test_get_grid_rebuilds_hyper_params(backend):
    grid = h2olite.get_grid("g1")
    assert grid.grid_id == "g1" and len(grid) == 4
    assert grid.hyper_params == {"hidden": [[5, 4]], "l1": [0.0]}   # every fake model is the iris model
    assert type(grid.model).__name__ == "H2ODeepLearningEstimator"


def test_multinomial_confusion_matrix_scores_the_frame_even_without_metrics_in_predictions(backend, models):
    real_request = backend.request

    def without_cm(endpoint, data=None, **kw):
        reply = real_request(endpoint, data, **kw)
        if endpoint.startswith("POST /3/Predictions/"):
            reply["model_metrics"][0].pop("cm")
        return reply
    backend.request = without_cm
    cm = models["iris"].confusion_matrix(IRIS)
    assert backend.sent("POST /3/ModelMetrics/models/%s/frames/iris.hex" % models["iris"].model_id)
    assert cm.col_header == ["Iris-setosa", "Iris-versicolor", "Iris-virginica", "Error", "Rate"]
    assert cm["Rate"][-1] == "18 / 38"          # the validation metrics the fake scores


@pytest.mark.filterwarnings("ignore:a server warning")
def test_start_then_join_trains_asynchronously(backend):
    est = H2ODeepLearningEstimator(hidden=[3], epochs=1)
    est.start(x=[0, 1, 2, 3], y="class", training_frame=IRIS)
    assert est._model_json is None and backend.sent("POST /3/ModelBuilders/deeplearning")
    est.join()
    assert est.mse() == pytest.approx(0.2523825006621393) and hasattr(est, "hit_ratio_table")
    with pytest.raises(H2OValueError, match="start"):
        est.join()


class _Recorder:
    """Stands in for matplotlib.pyplot / a figure / axes: records every call."""

    def __init__(self, log):
        self._log = log

    def __getattr__(self, name):
        def call(*args, **kwargs):
            self._log.append((name, args, kwargs))
            return (_Recorder(self._log), _Recorder(self._log)) if name == "subplots" else _Recorder(self._log)
        return call


def test_varimp_plot_and_scoring_history_plot_draw_the_right_series(models, monkeypatch, tmp_path):
    import sys
    import types
    log = []
    pyplot = _Recorder(log)
    fake = types.ModuleType("matplotlib")
    fake.pyplot = pyplot
    monkeypatch.setitem(sys.modules, "matplotlib", fake)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", pyplot)
    models["iris"].varimp_plot(num_of_features=2, server=True)
    barh = [c for c in log if c[0] == "barh"][0]
    assert list(barh[1][1]) == [0.8920475244522095, 1.0]          # top two, drawn bottom-up
    assert [c for c in log if c[0] == "set_yticklabels"][0][1][0] == ["sepal_len", "petal_wid"]
    log.clear()
    models["cars"].plot(server=True, save_plot_path=str(tmp_path / "sh.png"))
    lines = [c for c in log if c[0] == "plot"]
    assert [c[2]["label"] for c in lines] == ["Training"]
    assert list(lines[0][1][0]) == pytest.approx([0.980296, 1.960591, 2.940887, 3.921182], abs=1e-6)  # row 0 skipped
    assert list(lines[0][1][1]) == pytest.approx([4.482774, 4.212484, 4.082983, 4.000931], abs=1e-6)
    assert any(c[0] == "savefig" for c in log)
    log.clear()
    models["iris"].plot(metric="logloss", server=True)
    assert [c[2]["label"] for c in log if c[0] == "plot"] == ["Training", "Validation"]
    with pytest.raises(H2OValueError, match="training_nope"):
        models["iris"].plot(metric="nope", server=True)


@pytest.mark.filterwarnings("ignore:a server warning")
def test_sklearn_shims(backend):
    est = H2ODeepLearningEstimator(epochs=3)
    assert est.get_params()["epochs"] == 3 and est.get_params()["hidden"] == [200, 200]
    assert est.set_params(epochs=7, activation="tanh") is est and est.epochs == 7 and est.activation == "tanh"
    with pytest.raises(H2OValueError, match="epochz"):
        est.set_params(epochz=1)

    class XFrame(FakeFrame):
        def cbind(self, other):
            return FakeFrame("xy.hex", self.names + other.names, {**self.types, **other.types})
    X = XFrame("x.hex", ["a", "b"], {"a": "real", "b": "real"})
    y = FakeFrame("y.hex", ["class"], {"class": "enum"})
    with pytest.warns(UserWarning, match="not recommended outside of the sklearn"):
        assert est.fit(X, y) is est
    sent = backend.sent("POST /3/ModelBuilders/deeplearning")[-1]
    assert sent["training_frame"] == "xy.hex" and sent["response_column"] == "class" and "ignored_columns" not in sent
