"""The R package ``h2olite`` (rpkg/) seen from pytest: generated wrapper up to date, its
signature equal to the backend's parameter table, and R and Python sharing one backend
(frames and models made in one language are visible, predictable and loadable in the other).

R runs embedded through rpy2 and connects to the backend of the pytest session (``h2o`` fixture).
The package must be installed (``make r`` installs it into .venv/R-library).
"""
from __future__ import annotations

import importlib.util
import math
import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
RPKG = REPO / "rpkg"
R_LIB = REPO / ".venv" / "R-library"


def _generator():
    spec = importlib.util.spec_from_file_location("generate_deeplearning", RPKG / "tools" / "generate_deeplearning.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_generated_deeplearning_wrapper_is_up_to_date():
    """rpkg/R/deeplearning_args.R and its Rd page are what the generator makes from PARAMETERS."""
    gen = _generator()
    from h2olite_server.dl.parameters import PARAMETERS
    assert gen.R_FILE.read_text() == gen.render_r(PARAMETERS), \
        "rpkg/R/deeplearning_args.R is stale: run .venv/bin/python rpkg/tools/generate_deeplearning.py"
    assert gen.RD_FILE.read_text() == gen.render_rd(PARAMETERS), \
        "rpkg/man/h2o.deeplearning.Rd is stale: run .venv/bin/python rpkg/tools/generate_deeplearning.py"


# ---- R through rpy2 ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def R():
    """The embedded R with h2olite attached (skipped when R, rpy2 or the package is missing)."""
    if R_LIB.is_dir():
        os.environ["R_LIBS_USER"] = str(R_LIB)
    # Starting R puts R's and the system's library directories on LD_LIBRARY_PATH; a backend
    # process started later from this process (pyenv Python) must not inherit that.
    saved = os.environ.get("LD_LIBRARY_PATH")
    try:
        import rpy2.robjects as ro
    except Exception as e:          # rpy2 missing or R not found
        pytest.skip(f"rpy2/R not available: {e}")
    finally:
        if saved is None:
            os.environ.pop("LD_LIBRARY_PATH", None)
        else:
            os.environ["LD_LIBRARY_PATH"] = saved
    ro.r(f'.libPaths(c("{R_LIB}", .libPaths()))')
    if not ro.r('isTRUE(requireNamespace("h2olite", quietly = TRUE))')[0]:
        pytest.skip("the R package h2olite is not installed (make r)")
    ro.r("suppressPackageStartupMessages(library(h2olite)); h2o.no_progress()")
    return ro.r


def test_r_signature_is_the_parameter_table(R):
    """Every DL parameter (bar the three h2o's R also leaves out) is an argument with H2O's default."""
    from h2olite_server.dl.parameters import PARAMETERS
    names = list(R('names(formals(h2o.deeplearning))'))
    assert names[:3] == ["x", "y", "training_frame"] and names[-1] == "verbose"
    expected = [p.name for p in PARAMETERS
                if p.name not in ("training_frame", "response_column", "ignored_columns", "max_confusion_matrix_size")]
    assert sorted(names[3:-1]) == sorted(expected)
    for p in PARAMETERS:
        if p.name not in names[3:-1]:
            continue
        value = R(f'eval(formals(h2o.deeplearning)[["{p.name}"]])')
        if p.type == "enum":
            assert list(value) == list(p.client_values or p.values), p.name
        elif p.default is None:
            assert value is R("NULL") or len(value) == 0, p.name
        elif isinstance(p.default, tuple):
            assert list(value) == list(p.default), p.name
        elif isinstance(p.default, bool):
            assert bool(value[0]) is p.default, p.name
        else:
            assert math.isclose(float(value[0]), float(p.default), rel_tol=1e-7), p.name


@pytest.fixture(scope="module")
def r_h2o(R, h2o):
    """R connected (h2o.init(startH2O = FALSE)) to the pytest session's backend."""
    port = int(h2o.connection().base_url.rsplit(":", 1)[1].split("/")[0])
    R(f'invisible(capture.output(h2o.init(port = {port}, startH2O = FALSE)))')
    served = h2o.api("GET /3/openapi.json")["paths"]
    return R, h2o, served


def _need(served, path):
    if path not in served:
        pytest.skip(f"the backend does not serve {path} yet")


def test_r_frames_are_visible_from_python(r_h2o, data_dir):
    R, h2o, served = r_h2o
    path = os.path.join(data_dir, "smalldata", "iris", "iris_wheader.csv")
    frame_id = R(f'fr <- h2o.importFile("{path}", destination_frame = "r_iris.hex"); h2o.getId(fr)')[0]
    assert frame_id == "r_iris.hex"
    assert list(R('dim(fr)')) == [150, 5]
    py = h2o.get_frame("r_iris.hex")
    assert py.shape == (150, 5)
    assert py.columns == list(R('names(fr)'))
    # and a frame made in Python is an H2OFrame in R
    up = h2o.upload_file(os.path.join(data_dir, "smalldata", "junit", "cars.csv"), destination_frame="py_cars.hex")
    assert list(R('dim(h2o.getFrame("py_cars.hex"))')) == [up.nrow, up.ncol] == [406, 8]
    summary = R('summary(h2o.getFrame("r_iris.hex"))')
    assert "Mean   :5.843" in summary.rx(4, 1)[0]


def test_models_cross_between_r_and_python(r_h2o, data_dir, tmp_path):
    R, h2o, served = r_h2o
    _need(served, "/3/ModelBuilders/{algo}")
    _need(served, "/99/Models.bin/{key}")
    path = os.path.join(data_dir, "smalldata", "iris", "iris_wheader.csv")
    R(f'fr <- h2o.importFile("{path}", destination_frame = "r_iris2.hex")')
    model_id = R('m <- h2o.deeplearning(x = 1:4, y = "class", training_frame = fr, hidden = c(8, 8), '
                 'epochs = 10, activation = "Tanh", seed = 1, reproducible = TRUE); m@model_id')[0]
    assert model_id.startswith("DeepLearning_model_R_")
    r_mse = R('h2o.mse(m)')[0]
    assert 0 < r_mse < 0.3

    # R's model from Python: same metrics, predictions of the same shape
    py_model = h2o.get_model(model_id)
    assert math.isclose(py_model.mse(), r_mse, rel_tol=1e-9)
    pred = py_model.predict(h2o.get_frame("r_iris2.hex"))
    assert pred.shape == (150, 4)
    assert list(R('dim(h2o.predict(m, fr))')) == [150, 4]

    # saved from R, loaded in Python under the same id
    saved = R(f'h2o.saveModel(m, path = "{tmp_path}", force = TRUE)')[0]
    assert saved == str(tmp_path / model_id)
    h2o.remove(model_id)
    loaded = h2o.load_model(saved)
    assert loaded.model_id == model_id
    assert math.isclose(loaded.mse(), r_mse, rel_tol=1e-9)

    # a Python model from R
    from h2olite.estimators import H2ODeepLearningEstimator
    est = H2ODeepLearningEstimator(hidden=[5], epochs=5, seed=1)
    est.train(x=list(range(4)), y="class", training_frame=h2o.get_frame("r_iris2.hex"))
    R(f'pm <- h2o.getModel("{est.model_id}")')
    assert R('class(pm)[1]')[0] == "H2OMultinomialModel"
    assert list(R('pm@parameters$hidden')) == [5]
    assert math.isclose(R('h2o.mse(pm)')[0], est.mse(), rel_tol=1e-9)
    assert list(R('dim(predict(pm, fr))')) == [150, 4]


def test_r_backend_errors_carry_the_backend_message(r_h2o):
    R, h2o, served = r_h2o
    msg = R('tryCatch(h2o.getFrame("no_such_frame.hex"), error = function(e) conditionMessage(e))')[0]
    assert "no_such_frame.hex" in msg
    assert h2o.api("GET /3/Cloud")["cloud_healthy"] is True       # the server is still fine
