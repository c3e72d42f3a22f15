"""h2olite vs H2O-3 on the booklet's configurations, side by side in one run.

    python bench/run_all.py [--only trial,default] [--skip-h2o] [--quick] [--repeat 5]

The same script code runs on both engines (h2olite mirrors h2o-py), each engine in its own
process so that their start-up and memory are measured separately. For every case it prints
wall time, samples/second where training is involved, the backend's peak memory, and the
H2O-3 / h2olite ratio when the `h2o` package (with Java) is available.

``--repeat N`` runs h2olite N times (H2O-3 once: its runs take minutes) and prints the median
with the range; the ratio uses the median.  The cases with a speed target (10x the H2O-3 time
measured when the model-lifecycle issue was written) also show it and how many runs met it:
this VM's speed varies from run to run, so one run says little about "reliably".
"""
from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DATA = os.path.join(ROOT, "h2olite", "datasets", "data")
MNIST_TRAIN = os.path.join(DATA, "bigdata", "laptop", "mnist", "train.csv.gz")
MNIST_TEST = os.path.join(DATA, "bigdata", "laptop", "mnist", "test.csv.gz")
ECG_TRAIN = os.path.join(DATA, "smalldata", "anomaly", "ecg_discord_train.csv")
ECG_TEST = os.path.join(DATA, "smalldata", "anomaly", "ecg_discord_test.csv")

CASES = ["init", "import", "trial", "default", "big", "minibatch", "cv", "grid", "checkpoint", "autoencoder"]

# The model-lifecycle issue's targets: 10x faster than H2O-3's times then (5-fold CV 16.3 s, the
# 6-model grid 200.9 s with a best logloss <= 0.176, checkpoint +10 epochs 3.2 s)
TARGET_SECS = {"cv": 1.63, "grid": 20.09, "checkpoint": 0.32}
TARGET_GRID_LOGLOSS = 0.176
# The checkpoint case restarts from the trial model this many times in every run, on both engines,
# and reports the median: one restart takes about 3 s on H2O-3, whose single restarts have ranged
# from 2.2 to 3.2 s on this VM, enough to move the ratio between 7x and 11x.
CHECKPOINT_RESTARTS = 3


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def peak_rss_mb(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


# ------------------------------------------------------------------------------------------
# one engine, run inside a child process
# ------------------------------------------------------------------------------------------
def run_engine(engine: str, cases: list[str], quick: bool) -> dict:
    if engine == "h2olite":
        import h2olite as h2o
        from h2olite.estimators.deeplearning import H2ODeepLearningEstimator
        from h2olite.grid.grid_search import H2OGridSearch
        from h2olite.estimators.deeplearning import H2OAutoEncoderEstimator
    else:
        import h2o
        from h2o.estimators.deeplearning import H2OAutoEncoderEstimator, H2ODeepLearningEstimator
        from h2o.grid.grid_search import H2OGridSearch
    results: dict[str, dict] = {}
    t = time.time()
    h2o.init(port=free_port(), nthreads=-1, verbose=False) if engine == "h2olite" else \
        h2o.init(port=free_port(), nthreads=-1, max_mem_size="4G", verbose=False)
    results["init"] = {"secs": time.time() - t}
    h2o.no_progress()
    pid = h2o.cluster().nodes[0]["pid"] if hasattr(h2o.cluster(), "nodes") else None

    t = time.time()
    train = h2o.import_file(MNIST_TRAIN)
    test = h2o.import_file(MNIST_TEST)
    results["import"] = {"secs": time.time() - t}
    y, x = "C785", train.names[:784]
    train[y] = train[y].asfactor()
    test[y] = test[y].asfactor()
    n = train.nrow
    # both engines warm (H2O-3's JIT, h2olite's compiled kernels) before anything is timed
    H2ODeepLearningEstimator(hidden=[8], epochs=0.1, seed=1).train(x=x, y=y, training_frame=train)
    ep = 1 if quick else 10

    def timed(name, build, samples=None, error_of=None):
        if name not in cases:
            return None
        t0 = time.time()
        model = build()
        secs = time.time() - t0
        r = {"secs": secs}
        if samples:
            r["samples_per_sec"] = samples / secs
        if error_of is not None:
            pred = model.predict(error_of)
            accuracy = (pred["predict"] == error_of[y]).mean()[0]
            r["test_error"] = round(1.0 - float(accuracy), 4)
        results[name] = r
        return model

    trial = timed("trial", lambda: H2ODeepLearningEstimator(
        distribution="multinomial", activation="RectifierWithDropout", hidden=[32, 32, 32],
        input_dropout_ratio=0.2, sparse=True, l1=1e-5, epochs=ep, seed=1).train(
        x=x, y=y, training_frame=train, validation_frame=test), samples=ep * n, error_of=test)
    timed("default", lambda: H2ODeepLearningEstimator(epochs=ep, seed=1).train(
        x=x, y=y, training_frame=train), samples=ep * n, error_of=test)
    timed("big", lambda: H2ODeepLearningEstimator(hidden=[1024, 1024, 2048], epochs=1 if not quick else 0.1,
                                                  seed=1).train(x=x, y=y, training_frame=train),
          samples=n if not quick else n // 10)
    if engine == "h2olite":
        timed("minibatch", lambda: H2ODeepLearningEstimator(epochs=ep, mini_batch_size=32, seed=1).train(
            x=x, y=y, training_frame=train), samples=ep * n, error_of=test)
    timed("cv", lambda: H2ODeepLearningEstimator(
        distribution="multinomial", activation="RectifierWithDropout", hidden=[32, 32, 32],
        input_dropout_ratio=0.2, sparse=True, l1=1e-5, epochs=ep, nfolds=5, seed=1).train(
        x=x, y=y, training_frame=train))
    if "grid" in cases:
        t0 = time.time()
        grid = H2OGridSearch(H2ODeepLearningEstimator,
                             hyper_params={"hidden": [[32, 32], [32, 16, 8], [100]], "l1": [1e-4, 1e-3]})
        grid.train(x=x, y=y, distribution="multinomial", epochs=1000 if not quick else 5,
                   training_frame=train, validation_frame=test, score_interval=2, stopping_rounds=3,
                   stopping_tolerance=0.05, stopping_metric="misclassification")
        results["grid"] = {"secs": time.time() - t0,
                           "best_logloss": min(float(m.logloss(valid=True)) for m in grid)}
    if "checkpoint" in cases and trial is not None:
        restarts = []
        for _ in range(CHECKPOINT_RESTARTS):
            t0 = time.time()
            H2ODeepLearningEstimator(checkpoint=trial, distribution="multinomial", activation="RectifierWithDropout",
                                     hidden=[32, 32, 32], input_dropout_ratio=0.2, sparse=True, l1=1e-5,
                                     epochs=ep * 2, seed=1).train(x=x, y=y, training_frame=train,
                                                                  validation_frame=test)
            restarts.append(time.time() - t0)
        results["checkpoint"] = {"secs": sorted(restarts)[len(restarts) // 2],
                                 "restarts": "/".join(f"{s:.2f}" for s in restarts)}
    if "autoencoder" in cases:
        tr = h2o.import_file(ECG_TRAIN)
        te = h2o.import_file(ECG_TEST)
        t0 = time.time()
        ae = H2OAutoEncoderEstimator(activation="Tanh", hidden=[50, 50, 50], sparse=True, l1=1e-4,
                                     epochs=100, seed=1)
        ae.train(x=tr.names, training_frame=tr)
        secs = time.time() - t0
        err = ae.anomaly(te).as_data_frame()["Reconstruction.MSE"].tolist()
        top3 = sorted(range(len(err)), key=lambda i: -err[i])[:3]
        results["autoencoder"] = {"secs": secs, "top3_rows": sorted(top3)}
    if pid:
        results["peak_mem_mb"] = peak_rss_mb(pid)
    try:
        h2o.cluster().shutdown()
    except Exception:  # noqa: BLE001
        pass
    return results


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--only", default=",".join(CASES))
    ap.add_argument("--skip-h2o", action="store_true")
    ap.add_argument("--quick", action="store_true", help="1 epoch instead of 10 (smoke run)")
    ap.add_argument("--repeat", type=int, default=1, help="h2olite runs (median and range reported)")
    ap.add_argument("--engine", help=argparse.SUPPRESS)
    args = ap.parse_args()
    cases = args.only.split(",")
    if args.engine:
        print(json.dumps(run_engine(args.engine, cases, args.quick)))
        return
    engines = ["h2olite"]
    try:
        import h2o  # noqa: F401
        if not args.skip_h2o:
            engines.append("h2o")
    except ImportError:
        print("(h2o not installed: `pip install h2o` to compare with H2O-3)")
    runs: dict[str, list[dict]] = {}
    for engine in engines:
        cmd = [sys.executable, __file__, "--engine", engine, "--only", args.only] + (["--quick"] if args.quick else [])
        for _ in range(max(1, args.repeat) if engine == "h2olite" else 1):
            out = subprocess.run(cmd, capture_output=True, text=True)
            lines = [l for l in out.stdout.splitlines() if l.startswith("{")]
            if out.returncode != 0 or not lines:
                print(f"{engine} failed:\n{out.stderr[-3000:]}")
                break
            runs.setdefault(engine, []).append(json.loads(lines[-1]))
    print_table(runs, cases)


def cpu_name() -> str:
    """The CPU the kernels are compiled for (e.g. znver4): this project's VM has run on AMD Zen 4
    and Zen 5 hosts on different days, and absolute times differ by up to 2x between them, so
    compare same-run ratios, not times from different days."""
    try:
        import llvmlite.binding as llvm
        llvm.initialize_native_target()
        return llvm.get_host_cpu_name()
    except Exception:  # noqa: BLE001
        return "unknown CPU"


def print_table(runs: dict[str, list[dict]], cases: list[str]) -> None:
    """One line per case: median wall time (and range over the runs), ratio, target."""
    import platform
    import statistics
    print(f"\nmachine: {platform.processor() or platform.machine()} ({cpu_name()}), {os.cpu_count()} cores, "
          f"python {platform.python_version()}")
    n = len(runs.get("h2olite", []))
    print(f"{'case':<12} {'h2olite s':>10} {'H2O-3 s':>10} {'ratio':>7} {'h2olite samples/s':>18} "
          f"{'H2O-3 samples/s':>16}  notes" + (f" (h2olite: median of {n} runs [min-max])" if n > 1 else ""))
    for c in cases:
        lite = [r[c] for r in runs.get("h2olite", []) if c in r]
        b = next((r[c] for r in runs.get("h2o", []) if c in r), None)
        if not lite and b is None:
            continue
        secs = sorted(r["secs"] for r in lite)
        sa, sb = (statistics.median(secs) if secs else None), (b or {}).get("secs")
        ratio = f"{sb / sa:6.1f}x" if sa and sb else ""
        notes = []
        if len(secs) > 1:
            notes.append(f"[{secs[0]:.2f}-{secs[-1]:.2f} s]")
        for k in sorted({k for r in lite for k in r} - {"secs", "samples_per_sec"}):
            vals = [r[k] for r in lite if k in r]
            if len(vals) == 1 or isinstance(vals[0], str):
                notes.append(f"{k}={' '.join(map(str, vals))}")
            else:
                notes.append(f"{k}={min(vals):.4g}-{max(vals):.4g}")
        if c in TARGET_SECS and secs:
            ok = [r["secs"] <= TARGET_SECS[c] and (c != "grid" or r.get("best_logloss", 1e9) <= TARGET_GRID_LOGLOSS)
                  for r in lite]
            notes.append(f"target <= {TARGET_SECS[c]} s" + (f" and logloss <= {TARGET_GRID_LOGLOSS}" if c == "grid" else "")
                         + f": met in {sum(ok)}/{len(ok)}")
        if b and len(b) > 1:
            notes.append("| H2O-3: " + "; ".join(f"{k}={v}" for k, v in b.items() if k not in ("secs", "samples_per_sec")))
        fmt = lambda v: f"{v:10.2f}" if v is not None else f"{'-':>10}"
        sps_lite = [r["samples_per_sec"] for r in lite if "samples_per_sec" in r]
        sps_a = f"{statistics.median(sps_lite):,.0f}" if sps_lite else "-"
        sps_b = f"{b['samples_per_sec']:,.0f}" if b and "samples_per_sec" in b else "-"
        print(f"{c:<12} {fmt(sa)} {fmt(sb)} {ratio:>7} {sps_a:>18} {sps_b:>16}  {'  '.join(notes)}")
    for eng, rs in runs.items():
        mem = [r["peak_mem_mb"] for r in rs if r.get("peak_mem_mb")]
        if mem:
            print(f"peak backend memory ({eng}): {max(mem):.0f} MB")


if __name__ == "__main__":
    main()
