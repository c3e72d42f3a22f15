"""Importing the shipped MNIST train+test (.csv.gz, 10,000 x 785): h2olite vs H2O-3.

Target: >= 5x faster than H2O-3 (3.6 s on the reference machine), i.e. under 0.7 s.

Both engines get the very same REST calls a client makes (ImportFilesMulti -> ParseSetup ->
Parse -> poll the job, once per file), each against its own freshly started server on a free
port. Prints the first import after start-up (what a user's script does: init, then import;
H2O's JVM is cold, h2olite's lazy imports too) and the best/median of ``--runs`` further
imports, and the H2O-3 / h2olite ratios when the ``h2o`` package (with Java) is available.
The machine's load average is printed too: on a shared machine it dominates the spread of wall
times, so the servers' own CPU seconds per warm import (from /proc) are printed as well.

    python bench/bench_import.py [--runs 5] [--skip-h2o]
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

import requests

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MNIST = os.path.join(ROOT, "h2olite", "datasets", "data", "bigdata", "laptop", "mnist")
FILES = [os.path.join(MNIST, "train.csv.gz"), os.path.join(MNIST, "test.csv.gz")]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_up(url: str, proc: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with code {proc.returncode}")
        try:
            if requests.get(url + "/3/Cloud", timeout=1).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise TimeoutError(url)


def import_one(session: requests.Session, url: str, path: str, dest: str) -> int:
    """One file through the H2O protocol; returns the number of rows of the parsed frame."""
    keys = session.post(url + "/3/ImportFilesMulti", data={"paths": json.dumps([path])}).json()["destination_frames"]
    setup = session.post(url + "/3/ParseSetup", data={"source_frames": json.dumps(keys), "check_header": 0}).json()
    r = session.post(url + "/3/Parse", data={
        "source_frames": json.dumps(keys), "destination_frame": dest, "parse_type": setup["parse_type"],
        "separator": setup["separator"], "number_columns": setup["number_columns"], "single_quotes": False,
        "column_names": json.dumps(setup["column_names"]) if setup["column_names"] else None,
        "column_types": json.dumps(setup["column_types"]), "check_header": setup["check_header"],
        "delete_on_done": True, "chunk_size": setup.get("chunk_size", 4194304), "blocking": False}).json()
    job_key = r["job"]["key"]["name"]
    while True:
        job = session.get(f"{url}/3/Jobs/{job_key}").json()["jobs"][0]
        if job["status"] == "DONE":
            break
        if job["status"] in ("FAILED", "CANCELLED"):
            raise RuntimeError(job["exception"])
        time.sleep(0.01)
    fr = session.get(f"{url}/3/Frames/{dest}", params={"row_count": 0}).json()["frames"][0]
    return fr["rows"]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the server process has used so far (all its threads)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(url: str, runs: int, tag: str, pid: int) -> tuple[float, list[float], list[float]]:
    """(first import right after start-up, ``runs`` warm imports, the server's CPU seconds for each
    warm import) of train+test. CPU seconds do not depend on what else the machine is doing."""
    s = requests.Session()
    t0 = time.perf_counter()
    rows = [import_one(s, url, f, f"cold_{tag}_{i}.hex") for i, f in enumerate(FILES)]
    cold = time.perf_counter() - t0
    assert rows == [8000, 2000], rows
    times, cpus = [], []
    for k in range(runs):
        c0 = cpu_seconds(pid)
        t0 = time.perf_counter()
        for i, f in enumerate(FILES):
            import_one(s, url, f, f"run{k}_{tag}_{i}.hex")
        times.append(time.perf_counter() - t0)
        cpus.append(cpu_seconds(pid) - c0)
    return cold, times, cpus


def start_h2olite(port: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "h2olite_server", "--port", str(port), "--nthreads", "-1"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def start_h2o(port: int) -> subprocess.Popen | None:
    try:
        import h2o
    except ImportError:
        return None
    jar = os.path.join(os.path.dirname(h2o.__file__), "backend", "bin", "h2o.jar")
    if not os.path.exists(jar):
        return None
    ice = tempfile.mkdtemp(prefix="h2o_bench_import_")
    proc = subprocess.Popen(["java", "-Xmx2g", "-jar", jar, "-port", str(port), "-name", f"bench_import_{port}",
                             "-ice_root", ice, "-ip", "127.0.0.1"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    proc.scratch_dir = ice           # removed with the process
    return proc


def run_engine(name: str, start, runs: int) -> tuple[float, list[float], list[float]] | None:
    port = free_port()
    proc = start(port)
    if proc is None:
        return None
    try:
        url = f"http://127.0.0.1:{port}"
        wait_up(url, proc)
        return measure(url, runs, name, proc.pid)
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        if getattr(proc, "scratch_dir", None):
            shutil.rmtree(proc.scratch_dir, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--skip-h2o", action="store_true")
    args = ap.parse_args()
    print(f"MNIST train+test import (10,000 x 785, .csv.gz), first import + {args.runs} warm runs, machine: "
          f"{os.cpu_count()} cores")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"  (1-minute load average before the run: {load:.1f})")
    lite_cold, lite, lite_cpu = run_engine("h2olite", start_h2olite, args.runs)
    print(f"  h2olite: first import {lite_cold:.3f} s; warm best {min(lite):.3f} s, median "
          f"{statistics.median(lite):.3f} s, server CPU median {statistics.median(lite_cpu):.3f} s "
          f"(target < 0.7 s)")
    res = None if args.skip_h2o else run_engine("h2o", start_h2o, args.runs)
    if res is None:
        print("  H2O-3:   not measured (package h2o / Java not available or --skip-h2o)")
        return
    h2o_cold, h2o_times, h2o_cpu = res
    print(f"  H2O-3:   first import {h2o_cold:.3f} s; warm best {min(h2o_times):.3f} s, median "
          f"{statistics.median(h2o_times):.3f} s, server CPU median {statistics.median(h2o_cpu):.3f} s")
    print(f"  ratio H2O-3 / h2olite: first import {h2o_cold / lite_cold:.1f}x, warm medians "
          f"{statistics.median(h2o_times) / statistics.median(lite):.1f}x, server CPU "
          f"{statistics.median(h2o_cpu) / statistics.median(lite_cpu):.1f}x (target >= 5x against H2O-3's 3.6 s)")


if __name__ == "__main__":
    main()
