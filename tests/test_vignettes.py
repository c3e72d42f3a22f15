"""Both booklet vignettes end to end, in quick mode (H2OLITE_VIGNETTE_QUICK=1) as CI runs them.

Each vignette runs in a subprocess from a temporary copy (so its figures land there, not in the
repository), on a backend port of its own, and writes its rendered Markdown; the assertions read
the outputs a reader of that Markdown sees.
"""
from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VIGNETTES = os.path.join(ROOT, "vignettes")
QUICK_BUDGET_SECS = 60          # "each well under a minute in quick mode" (plus start-up slack below)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _blocks(md: str) -> list[tuple[str, str]]:
    """(language, text) of every fenced block; output blocks have language ''."""
    return [(m.group(1), m.group(2)) for m in re.finditer(r"^```(\w*)\n(.*?)\n?^```$", md, re.S | re.M)]


def output_after(md: str, snippet: str, occurrence: int = 1) -> str:
    """The output shown right after the code block containing ``snippet`` (R's "## " removed)."""
    blocks = _blocks(md)
    seen = 0
    for i, (lang, text) in enumerate(blocks):
        if lang and snippet in text:
            seen += 1
            if seen == occurrence:
                if i + 1 < len(blocks) and blocks[i + 1][0] == "":
                    return "\n".join(re.sub(r"^## ?", "", ln) for ln in blocks[i + 1][1].splitlines())
                return ""
    raise AssertionError(f"no code block contains {snippet!r}")


def _percent(pattern: str, text: str) -> list[float]:
    return [float(v) for v in re.findall(pattern, text)]


def _history_epochs(output: str) -> list[float]:
    """The epochs column of the scoring-history table printed last in ``output``."""
    table = output.rsplit("validation_classification_error", 1)[1]
    return [float(v) for v in re.findall(r"^\s*\d+\s+([\d.]+)\s", table, re.M)]


def _run(cmd: list[str], env: dict, cwd: str) -> tuple[subprocess.CompletedProcess, float]:
    started = time.time()
    proc = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True, timeout=600)
    return proc, time.time() - started


# --- Python -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def python_vignette(tmp_path_factory):
    work = tmp_path_factory.mktemp("vignette_py")
    for name in ("replay.py", "deeplearning_booklet_python.py"):
        shutil.copy(os.path.join(VIGNETTES, name), work / name)
    out = work / "deeplearning_booklet_python.md"
    env = dict(os.environ, H2OLITE_VIGNETTE_QUICK="1", H2OLITE_VIGNETTE_PORT=str(_free_port()))
    proc, secs = _run([sys.executable, str(work / "deeplearning_booklet_python.py"), "--markdown", str(out),
                       "--quiet"], env, str(work))
    assert proc.returncode == 0, (proc.stdout[-3000:], proc.stderr[-3000:], out.read_text()[-3000:] if out.exists() else "")
    return out.read_text(), secs


def test_python_vignette_runs_quickly_end_to_end(python_vignette):
    md, secs = python_vignette
    assert "Quick run of deeplearning_booklet_python.py" in md and "STOPPED" not in md
    assert "Traceback" not in md
    assert secs < QUICK_BUDGET_SECS + 30, secs


def test_python_quantile_regression_and_mnist_import(python_vignette):
    md, _ = python_vignette
    quantile = output_after(md, 'quantile_alpha=0.8')
    assert re.search(r"\[38 rows x 1 columns?\]", quantile)            # the 25% split of iris, seed 1234
    summary = output_after(md, "train.describe()")
    assert "Rows:8000" in summary and "Cols:785" in summary


def test_python_trial_run_metrics_and_predictions(python_vignette):
    md, _ = python_vignette
    (err,) = _percent(r"trial model: test set error ([\d.]+)%", md)
    # the booklet's trial run has no seed, and its test error spreads widely with it: H2O-3 13-26%
    # over 12 seeds (18.4% in the vignette's run), h2olite 13-33% (means 18-20%); 35 means broken
    assert 5 < err < 35
    assert 0 < float(output_after(md, "model.mse(valid=True)").strip()) < 0.4
    assert 0 < float(output_after(md, "model_cv.mse(xval=True)").strip()) < 0.6
    cv_summary = output_after(md, "cross_validation_metrics_summary()")
    assert all(f"cv_{k}_valid" in cv_summary for k in range(1, 6))
    head = output_after(md, "pred.head()")
    assert "predict" in head and "p9" in head and "[10 rows x 11 columns]" in head
    assert output_after(md, "# Retrieve the variable importance").startswith("[('C")
    varimp = output_after(md, "model_vi.varimp(use_pandas=True)")
    assert "relative_importance" in varimp and len(re.findall(r"^\d+\s+C\d+\s", varimp, re.M)) == 10


def test_python_grids_checkpoint_and_persistence(python_vignette):
    md, _ = python_vignette
    cartesian = output_after(md, "# print model grid search results")
    assert len(set(re.findall(r"_model_\d+\b", cartesian))) == 6    # 3 topologies x 2 L1 values
    assert len(re.findall(r" mse: [\d.e-]+", output_after(md, "for model in model_grid:"))) == 6
    random_grid = output_after(md, '"strategy":"RandomDiscrete"')
    assert len(set(re.findall(r"_model_\d+\b", random_grid))) == 3  # max_models=3 in quick mode
    epochs = _history_epochs(output_after(md, "checkpoint=model,"))
    assert epochs and max(epochs) == pytest.approx(20.0)          # 10 epochs + 10 more
    assert output_after(md, "print(model_path)").strip().startswith("/tmp/mymodel/DeepLearning_model_python_")
    assert output_after(md, "saved_model = h2o.load_model(model_path)").strip() == "True"


def test_python_world_record_recipe_scaled(python_vignette):
    md, _ = python_vignette
    assert "hidden=c(1024,1024,2048), epochs=8000," in md           # the full recipe is shown
    (err,) = _percent(r"trained in \d+ s; test set error ([\d.]+)%", md)
    assert err < 40


def test_python_anomaly_detection_flags_the_three_bad_heartbeats(python_vignette):
    md, _ = python_vignette
    assert "the three worst-reconstructed heartbeats are rows [20, 21, 22]" in md
    plot = output_after(md, 'errors = recon_error.as_data_frame()')
    assert plot.startswith("wrote") or len(re.findall(r"^row\s+\d+ ", plot, re.M)) == 23
    assert "[23 rows x 210 columns]" in output_after(md, "test_recon = anomaly_model.predict(test_ecg)")


def test_python_stacked_autoencoder_and_pretraining(python_vignette):
    md, _ = python_vignette
    ref, compressed = (float(v) for v in re.findall(r"test logloss: ([\d.]+)", md))
    assert 0 < ref < 2.5 and 0 < compressed < 2.5
    assert "8 compressed features ['L3.L1.C1', 'L3.L1.C2', 'L3.L1.C3']" in md   # layers [32, 16, 8] in quick mode
    fine_tuned, scratch = _percent(r"(?:fine-tuned|scratch) ([\d.]+)%", md)
    assert fine_tuned < 40 and scratch < 40
    assert output_after(md, "train_supervised_features.shape").strip().endswith(", 128)")


# --- R ----------------------------------------------------------------------------------------

def _r_env() -> dict | None:
    if shutil.which("Rscript") is None:
        return None
    env = dict(os.environ)
    env.setdefault("R_LIBS_USER", os.path.join(ROOT, ".venv", "R-library"))
    env.setdefault("H2OLITE_PYTHON", sys.executable)
    ok = subprocess.run(["Rscript", "-e", "library(h2olite)"], env=env, capture_output=True, timeout=120)
    return env if ok.returncode == 0 else None


@pytest.fixture(scope="module")
def r_vignette(tmp_path_factory):
    env = _r_env()
    if env is None:
        pytest.skip("R or the h2olite R package is not installed (make test installs both)")
    work = tmp_path_factory.mktemp("vignette_r")
    for name in ("render_rmd.R", "deeplearning_booklet.Rmd"):
        shutil.copy(os.path.join(VIGNETTES, name), work / name)
    out = work / "deeplearning_booklet.md"
    env.update(H2OLITE_VIGNETTE_QUICK="1", H2OLITE_VIGNETTE_PORT=str(_free_port()))
    proc, secs = _run(["Rscript", str(work / "render_rmd.R"), str(work / "deeplearning_booklet.Rmd"), str(out)],
                      env, str(work))
    assert proc.returncode == 0, (proc.stdout[-3000:], proc.stderr[-3000:])
    return out.read_text(), secs, work


def test_r_vignette_runs_quickly_end_to_end(r_vignette):
    md, secs, _ = r_vignette
    assert "Quick run of deeplearning_booklet.Rmd" in md and "STOPPED" not in md
    assert "## Error" not in md
    assert secs < QUICK_BUDGET_SECS + 30, secs


def test_r_booklet_urls_read_the_bundled_copies_and_say_so_once(r_vignette):
    md, _, _ = r_vignette
    assert md.count("are read from the copies bundled with h2olite") == 1 and "nothing is downloaded" in md
    assert "downloading" not in md


def test_r_quantile_regression_and_trial_run(r_vignette):
    md, _, _ = r_vignette
    quantile = output_after(md, 'distribution="quantile", quantile_alpha=0.8')
    assert "removing response variable from the explanatory variables" in quantile
    assert "[38 rows x 1 columns]" in output_after(md, "h2o.predict(dl, splits[[2]])")
    (err,) = _percent(r"trial model: test set error ([\d.]+)%", md)
    assert 5 < err < 35                          # no seed: see test_python_trial_run_metrics_and_predictions
    for call in ("h2o.mse(model, valid = TRUE)", "h2o.mse(model_cv, xval = TRUE)"):
        (mse,) = _percent(r"\[1\] ([\d.]+)", output_after(md, call))
        assert 0 < mse < 0.6, call


def test_r_grids_and_checkpoint(r_vignette):
    md, _, _ = r_vignette
    assert len(re.findall(r"Test set MSE: [\d.]+", md)) == 6
    assert len(set(re.findall(r"mygrid_model_\d+", md))) == 3                # max_models=3 in quick mode
    epochs = _history_epochs(output_after(md, "h2o.scoreHistory(model_chkp)"))
    assert epochs and max(epochs) == pytest.approx(20.0)
    assert "[1] TRUE" in output_after(md, "saved_model <- h2o.loadModel(model_path)")


def test_r_anomaly_detection_and_plot(r_vignette):
    md, _, work = r_vignette
    worst = output_after(md, "order(recon_error$Reconstruction.MSE, decreasing = TRUE)[1:3]")
    assert sorted(int(v) for v in re.findall(r"\d+", worst.split("]", 1)[1])) == [21, 22, 23]
    png = work / "figures" / "ecg_reconstruction_error_r.png"
    assert png.exists() and png.read_bytes()[:4] == b"\x89PNG"


def test_r_stacked_autoencoder_and_pretraining(r_vignette):
    md, _, _ = r_vignette
    for call in ("h2o.logloss(p_ref)", "h2o.logloss(p)"):
        (logloss,) = _percent(r"\[1\] ([\d.]+)", output_after(md, call))
        assert 0 < logloss < 2.5, call
    fine_tuned, scratch = _percent(r"(?:fine-tuned|scratch) ([\d.]+)%", md)
    assert fine_tuned < 40 and scratch < 40


def test_r_import_file_uses_the_download_cache_and_names_a_url_it_cannot_get(tmp_path):
    """Booklet URLs without a bundled copy come from the local download cache; an unreachable URL is
    an error naming it (no network is needed: the cache is filled beforehand)."""
    env = _r_env()
    if env is None:
        pytest.skip("R or the h2olite R package is not installed (make test installs both)")
    cache, empty = tmp_path / "cache", tmp_path / "no_bundled_data"
    empty.mkdir()
    cached = cache / "smalldata" / "iris" / "iris_wheader.csv"
    cached.parent.mkdir(parents=True)
    shutil.copy(os.path.join(ROOT, "h2olite", "datasets", "data", "smalldata", "iris", "iris_wheader.csv"), cached)
    env.update(H2OLITE_CACHE=str(cache), H2OLITE_DATA=str(empty))
    script = f"""
library(h2olite); h2o.no_progress()
invisible(capture.output(h2o.init(port = {_free_port()}L, nthreads = 1)))
iris <- h2o.importFile("https://h2o-public-test-data.s3.amazonaws.com/smalldata/iris/iris_wheader.csv")
cat("DIM", dim(iris), "\\n")
r <- tryCatch(h2o.importFile("http://127.0.0.1:9/data/x.csv"), error = function(e) conditionMessage(e))
cat("ERR", r, "\\n")
h2o.shutdown(prompt = FALSE)
"""
    proc = subprocess.run(["Rscript", "-e", script], env=env, capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "DIM 150 5" in proc.stdout
    assert "downloading https://h2o-public-test-data" not in proc.stderr        # read from the cache
    assert "could not download 'http://127.0.0.1:9/data/x.csv'" in proc.stdout
    assert not (cache / "127.0.0.1:9").exists()              # no half-made cache entries (port 9: refused locally)
