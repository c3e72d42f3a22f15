"""What this machine gives the training core: the two figures that decide h2olite's wall times.

    .venv/bin/python bench/bench_host.py [--seconds 3]

1. **ADADELTA row update** (the inner loop of every default model): nanoseconds per weight on
   rows of 32 (the booklet's sparse first layer, input-major) and 512 (long rows), from the
   kernel itself (optimizers.adadelta_row) on L1/L2-resident state.  It is bound by the vector
   units (double-pumped 512-bit on AMD Zen 4, full width on Zen 5), so it sets single-thread
   speed; division and square root are a minor part of it.
2. **Two threads on one model** on the booklet's trial net (717-32-32-32-10, dropout, MNIST
   subset): rows/s on one thread, on two threads training replicas merged every 256 rows (how
   h2olite trains, kernels/replicas.py), on two HOGWILD! threads sharing the weights (how H2O
   trains), and two independent one-thread models side by side.  Sharing a model pays for every
   weight line the other core wrote; replicas pay a merge every 256 rows instead.

The absolute bars of the speed issues are seconds on whatever host the VM lands on; print these
next to bench/run_all.py's figures so that results from different days can be compared.
"""
from __future__ import annotations

import argparse
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_kernels import load_mnist  # noqa: E402
from run_all import cpu_name  # noqa: E402


def adadelta_ns_per_weight(m: int, seconds: float) -> float:
    from h2olite_server.dl.kernels.jit import kernel
    from h2olite_server.dl.kernels.optimizers import adadelta_row

    @kernel
    def sweep(w, eg, ed, g, rows, reps, m):
        for _ in range(reps):
            for t in range(rows):
                adadelta_row(w, eg, ed, t * m, m, g, 0, np.float32(0.5), True, np.float32(0.99),
                             np.float32(1e-8), np.float32(1e-5), np.float32(0))
        return w[0]

    rows = 64
    rng = np.random.default_rng(0)
    g = np.where(rng.random(m) < 1 / 3, np.float32(0.01), np.float32(0)).astype(np.float32)
    w = (rng.random(rows * m) * 0.01).astype(np.float32)
    eg, ed = np.zeros_like(w), np.zeros_like(w)
    sweep(w, eg, ed, g, rows, 1, m)
    reps, spent = 16, 0.0
    while spent < seconds / 4:                 # grow the batch until a call is long enough to time
        reps *= 4
        t = time.perf_counter()
        sweep(w, eg, ed, g, rows, reps, m)
        spent = time.perf_counter() - t
    return spent / (reps * rows * m) * 1e9


def trial_rows_per_second(X, y, seconds: float) -> dict[str, float]:
    from h2olite_server.dl.kernels import Network, TrainConfig
    cfg = TrainConfig(activation="Rectifier", hidden_dropout_ratios=[0.5] * 3, input_dropout_ratio=0.2,
                      output="Softmax", loss="CrossEntropy", distribution="multinomial", l1=1e-5)
    rows = np.arange(X.shape[0], dtype=np.int64)

    def train(net, threads: int) -> int:
        done, t = 0, time.perf_counter()
        while time.perf_counter() - t < seconds:
            done += net.train(X, y, rows, None, threads, done, done)
        return done

    def new(seed: int, replicas: bool = True):
        net = Network.initialize([X.shape[1], 32, 32, 32, 10], cfg, seed)
        net.replicas = replicas
        return net

    def speed(run) -> float:
        t = time.perf_counter()
        return run() / (time.perf_counter() - t)

    train(new(1), 1)                           # compiled kernels loaded, memory touched
    train(new(1), 2)
    with ThreadPoolExecutor(2) as pool:
        return {"one": speed(lambda: train(new(1), 1)),
                "replicas": speed(lambda: train(new(1), 2)),
                "hogwild": speed(lambda: train(new(1, replicas=False), 2)),
                "two models": speed(lambda: sum(pool.map(lambda s: train(new(s), 1), (1, 2))))}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=3.0, help="time per measurement")
    args = ap.parse_args()
    print(f"CPU: {cpu_name()}")
    for m in (32, 512):
        print(f"ADADELTA row update, rows of {m:>3}: {adadelta_ns_per_weight(m, args.seconds):.3f} ns/weight")
    X, y, _, _ = load_mnist()
    speeds = trial_rows_per_second(X, y, args.seconds)
    one = speeds["one"]
    for name, label in (("one", "1 thread"), ("replicas", "2 threads, replicas"),
                        ("hogwild", "2 threads, HOGWILD!"), ("two models", "2 models, 1 thread each")):
        print(f"trial net, {label + ':':<26}{speeds[name]:>9,.0f} rows/s  ({speeds[name] / one:.2f}x)")


if __name__ == "__main__":
    main()
