"""How long ``h2olite.init()`` takes to start a fresh local backend (target: <= 1.5 s; H2O-3: ~6 s).

Each run happens in a new Python process (so nothing is warm in the client), on a free port, and
stops its backend afterwards. With ``--h2o`` the same is measured for H2O-3's ``h2o.init()``.
Usage: ``python bench/bench_init.py [--runs 5] [--h2o]``.
"""
from __future__ import annotations

import argparse
import json
import socket
import statistics
import subprocess
import sys

CHILD = r"""
import json, sys, time
t0 = time.perf_counter()
import {module} as h2o
t1 = time.perf_counter()
h2o.init(port={port}, nthreads=-1, max_mem_size="2G", verbose=False)
t2 = time.perf_counter()
h2o.cluster().shutdown()
print(json.dumps({{"import": t1 - t0, "init": t2 - t1}}))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(module: str, runs: int) -> list[dict]:
    out = []
    for _ in range(runs):
        code = CHILD.format(module=module, port=free_port())
        res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
        last = [ln for ln in res.stdout.splitlines() if ln.startswith("{")]
        if res.returncode != 0 or not last:
            raise SystemExit(f"{module} run failed:\n{res.stdout}\n{res.stderr}")
        out.append(json.loads(last[-1]))
    return out


def report(name: str, results: list[dict]) -> float:
    inits = [r["init"] for r in results]
    imports = [r["import"] for r in results]
    med = statistics.median(inits)
    print(f"{name:8s} init(): median {med:.3f} s  (min {min(inits):.3f}, max {max(inits):.3f}; "
          f"import {statistics.median(imports):.3f} s; {len(results)} runs)")
    return med


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--h2o", action="store_true", help="also measure H2O-3 (needs Java and the h2o package)")
    args = ap.parse_args(argv)
    ours = report("h2olite", run("h2olite", args.runs))
    print(f"         target <= 1.5 s: {'OK' if ours <= 1.5 else 'TOO SLOW'}")
    if args.h2o:
        theirs = report("H2O-3", run("h2o", max(1, min(args.runs, 3))))
        print(f"         speed-up {theirs / ours:.1f}x")


if __name__ == "__main__":
    main()
