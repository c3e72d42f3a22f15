"""The Python client's session API: init/connect/cluster/shutdown, jobs and progress, load_dataset."""
from __future__ import annotations

import http.server
import json
import os
import socket
import subprocess
import sys
import textwrap
import threading
import time

import pytest

import h2olite
from h2olite.backend.server import parse_mem_size
from h2olite.exceptions import (H2OConnectionError, H2OJobCancelled, H2OResponseError, H2OValueError)
from h2olite.job import H2OJob


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run_python(code: str, timeout: float = 60, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                          timeout=timeout, env=None if env is None else {**os.environ, **env})


# --- the session backend ------------------------------------------------------------------------
def test_cluster_status_is_printed_like_h2o(h2o, capsys):
    cl = h2o.cluster()
    assert cl.is_running()
    assert cl.cloud_size == 1
    assert cl.version == h2olite.__version__
    cl.show_status()
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("-" * 26) and out[-1].startswith("-" * 26)
    rows = dict(line.split(":", 1) for line in out[1:-1])
    assert list(rows)[:3] == ["H2O_cluster_uptime", "H2O_cluster_timezone", "H2O_data_parsing_timezone"]
    assert rows["H2O_cluster_total_nodes"].strip() == "1"
    assert rows["H2O_connection_url"].strip() == h2o.connection().base_url
    assert int(rows["H2O_cluster_allowed_cores"]) >= 1
    assert rows["H2O_cluster_free_memory"].strip().endswith("b")
    assert rows["Python_version"].strip().startswith("%d.%d." % sys.version_info[:2])


def test_api_returns_decoded_json(h2o):
    cloud = h2o.api("GET /3/Cloud")
    assert cloud["__meta"]["schema_name"] == "CloudV3"
    assert cloud["cloud_healthy"] is True
    assert cloud["nodes"][0]["nthreads"] == 2        # conftest started it with nthreads=2


def test_init_again_connects_to_the_running_backend(h2o, capsys):
    conn = h2o.connection()
    port = int(conn.base_url.rsplit(":", 1)[1])
    fr = h2o.H2OFrame({"a": [1, 2, 3]})
    h2o.init(ip="127.0.0.1", port=port)
    out = capsys.readouterr().out
    assert "connected." in out and "H2O_cluster_name" in out
    assert h2o.connection().local_server is conn.local_server          # still the one we started
    assert fr.mean() == [2.0]                                          # frames made before stay valid
    h2o.remove(fr)


def test_connect_returns_the_connection(h2o, capsys):
    url = h2o.connection().base_url
    conn = h2o.connect(url=url, verbose=False)
    assert conn is h2o.connection()
    assert conn.request("GET /3/Cloud")["cloud_size"] == 1
    dead = _free_port()
    with pytest.raises(H2OConnectionError, match=f"localhost:{dead}"):
        h2o.connect(port=dead, verbose=False)
    assert h2o.connection() is conn                                     # a failed connect changes nothing


@pytest.mark.parametrize("kwargs, message", [
    ({"nthreads": 0}, "nthreads"),
    ({"max_mem_size": "lots"}, "max_mem_size"),
    ({"port": 70000}, "port"),
    ({"bogus_option": 1}, "bogus_option"),
    ({"max_mem_size": "1G", "min_mem_size": "2G"}, "min_mem_size"),
])
def test_init_rejects_bad_arguments_before_connecting(kwargs, message):
    with pytest.raises(H2OValueError, match=message):
        h2olite.init(**kwargs)


def test_memory_sizes_follow_h2o_units():
    assert parse_mem_size(4) == 4 << 30                  # < 1000: gigabytes
    assert parse_mem_size(2_000_000_000) == 2_000_000_000
    assert parse_mem_size("160M") == 160 << 20
    assert parse_mem_size("1024k") == 1 << 20
    assert parse_mem_size("2g") == 2 << 30
    assert parse_mem_size(None) is None


# --- starting and stopping backends (in child processes, so the session backend is untouched) -------
def test_init_starts_a_backend_that_dies_with_the_python_process(tmp_path):
    port = _free_port()
    res = _run_python(f"""
        import json, time, h2olite as h2o
        t = time.perf_counter()
        h2o.init(port={port}, nthreads=1, verbose=False)
        took = time.perf_counter() - t
        node = h2o.api("GET /3/Cloud")["nodes"][0]
        print(json.dumps({{"took": took, "pid": node["pid"], "nthreads": node["nthreads"],
                          "url": h2o.connection().base_url}}))
    """)
    assert res.returncode == 0, res.stderr
    info = json.loads(res.stdout.strip().splitlines()[-1])
    assert info["url"] == f"http://127.0.0.1:{port}"
    assert info["nthreads"] == 1
    assert info["took"] < 10                     # bench/bench_init.py measures it (~0.35 s)
    deadline = time.time() + 10
    while time.time() < deadline:
        try:
            os.kill(info["pid"], 0)
        except OSError:
            break
        time.sleep(0.1)
    else:
        pytest.fail("the backend outlived the Python process that started it")


class _NotH2O(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = b"<html>hello, I am not H2O</html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def foreign_port():
    """A port held by an HTTP server that is not an H2O backend."""
    srv = http.server.HTTPServer(("127.0.0.1", 0), _NotH2O)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    yield srv.server_address[1]
    srv.shutdown()
    srv.server_close()


def test_a_local_backend_is_reached_without_the_environments_proxy(foreign_port):
    """With http_proxy set (and no no_proxy), requests would send localhost calls to the proxy:
    here a server that is not H2O, so init would fail.  The client never proxies its own machine."""
    proxy = f"http://127.0.0.1:{foreign_port}"
    res = _run_python(f"""
        import h2olite as h2o
        h2o.init(port={_free_port()}, nthreads=1, verbose=False)
        frame = h2o.H2OFrame({{"a": [1, 2, 3]}})
        print(frame.nrow, h2o.connection().session.trust_env)
    """, env={"http_proxy": proxy, "HTTP_PROXY": proxy, "no_proxy": "", "NO_PROXY": ""})
    assert res.returncode == 0, res.stderr
    assert res.stdout.split() == ["3", "False"]


def test_port_held_by_something_else_is_an_error_without_start(foreign_port):
    t = time.time()
    res = _run_python(f"""
        import h2olite as h2o
        try:
            h2o.init(port={foreign_port}, start_h2o=False, verbose=False)
        except h2o.H2OConnectionError as e:
            print("ERROR", e)
    """)
    assert res.returncode == 0, res.stderr
    assert "ERROR" in res.stdout and str(foreign_port) in res.stdout and "not an H2O backend" in res.stdout
    assert time.time() - t < 20


def test_port_held_by_something_else_moves_to_the_next_free_port(foreign_port):
    res = _run_python(f"""
        import h2olite as h2o
        h2o.init(port={foreign_port}, nthreads=1)
        print("URL", h2o.connection().base_url)
        h2o.cluster().shutdown()
    """)
    assert res.returncode == 0, res.stderr
    url = [ln for ln in res.stdout.splitlines() if ln.startswith("URL")][0].split()[1]
    port = int(url.rsplit(":", 1)[1])
    assert port > foreign_port
    assert f"Port {foreign_port} is held by a program that is not an H2O backend" in res.stdout


def test_shutdown_stops_the_backend_and_disconnects():
    port = _free_port()
    res = _run_python(f"""
        import h2olite as h2o
        h2o.init(port={port}, nthreads=1, verbose=False)
        server = h2o.connection().local_server
        cl = h2o.cluster()
        cl.shutdown(prompt=False)
        print("RUNNING", server.is_running(), "CONNECTED", h2o.connection() is not None, cl.is_running())
    """)
    assert res.returncode == 0, res.stderr
    assert "RUNNING False CONNECTED False False" in res.stdout


# --- jobs and progress ---------------------------------------------------------------------------
def test_progress_bar_is_drawn_like_h2o(h2o, iris_path, capsys):
    h2o.show_progress()
    try:
        fr = h2o.import_file(iris_path)
    finally:
        h2o.no_progress()
    out = capsys.readouterr().out
    assert "Parse progress: |" in out and out.rstrip().endswith("| (done) 100%")
    fr2 = h2o.import_file(iris_path)
    assert capsys.readouterr().out == ""
    h2o.remove([fr, fr2])


class _FakeConnection:
    """Answers /3/Jobs like a backend whose job runs until it is cancelled."""

    def __init__(self, final_status="RUNNING", exception=None, warnings=(), interrupt_poll=False):
        self.calls = []
        self.final_status, self.exception, self.warnings = final_status, exception, list(warnings)
        self.cancelled = False
        self.interrupt_poll = interrupt_poll      # Ctrl-C while the client waits on a poll

    def request(self, endpoint, data=None, **kw):
        self.calls.append(endpoint)
        if self.interrupt_poll and (data or {}).get("wait_ms"):
            self.interrupt_poll = False
            raise KeyboardInterrupt
        if endpoint.endswith("/cancel"):
            self.cancelled = True
        status = "CANCELLED" if self.cancelled else self.final_status
        return {"jobs": [_job(status, self.exception, self.warnings)]}


def _job(status, exception=None, warnings=()):
    return {"key": {"name": "$0301job$"}, "dest": {"name": "model_x", "type": "Key<Model>"}, "status": status,
            "progress": 0.5, "exception": exception, "warnings": list(warnings), "description": "DeepLearning"}


@pytest.fixture
def fake_connection(monkeypatch):
    from h2olite.backend import connection

    def install(**kw):
        fake = _FakeConnection(**kw)
        monkeypatch.setattr(connection, "_current", fake)
        return fake
    return install


def test_ctrl_c_cancels_the_job_on_the_backend(fake_connection):
    fake = fake_connection(interrupt_poll=True)
    job = H2OJob({"job": _job("RUNNING")}, "DeepLearning")
    with pytest.raises(H2OJobCancelled, match=r"\$0301job\$"):
        job.poll()
    assert "POST /3/Jobs/$0301job$/cancel" in fake.calls
    assert job.status == "CANCELLED"


def test_failed_job_raises_with_the_backend_message(fake_connection):
    fake_connection(final_status="FAILED", exception="Training data must have at least 2 features")
    job = H2OJob(_job("RUNNING"), "DeepLearning")
    assert job.dest_key == "model_x" and job.job_key == "$0301job$"
    with pytest.raises(H2OResponseError, match="at least 2 features") as e:
        job.poll()
    assert isinstance(e.value, EnvironmentError)


def test_job_warnings_become_runtime_warnings(fake_connection):
    fake_connection(final_status="DONE", warnings=["Dropping constant columns: [C1]"])
    with pytest.warns(RuntimeWarning, match="Dropping constant columns"):
        job = H2OJob(_job("RUNNING"), "DeepLearning").poll()
    assert job.status == "DONE" and job.progress == 0.5


# --- shipped datasets ----------------------------------------------------------------------------
def test_load_dataset_by_short_name_and_by_path(h2o):
    iris = h2o.load_dataset("iris")
    assert iris.shape == (150, 5)
    pros = h2o.load_dataset("smalldata/logreg/prostate.csv")
    assert pros.shape == (380, 9) and pros.frame_id.startswith("prostate")
    ecg = h2o.load_dataset("ecg_discord_train")
    assert ecg.shape == (20, 210)
    h2o.remove([iris, pros, ecg])


def test_load_dataset_unknown_name_lists_the_names(h2o):
    with pytest.raises(H2OValueError) as e:
        h2o.load_dataset("no_such_data")
    msg = str(e.value)
    assert "no_such_data" in msg
    for name in ("iris", "prostate", "mnist_train", "mnist_test", "ecg_discord_train", "cars"):
        assert name in msg


def test_a_client_leaving_an_external_backend_removes_its_temporaries(h2o):
    """Temp frames belong to the client's session: its exit ends the session (DELETE /4/sessions/{id})."""
    url = h2o.connection().base_url
    res = _run_python(f"""
        import h2olite as h2o
        h2o.connect(url="{url}", verbose=False)
        kept = h2o.H2OFrame({{"a": [1, 2, 3]}}, destination_frame="left_behind_on_purpose")
        temp = kept[kept["a"] > 1, :]
        print("TEMP", temp.frame_id)
    """)
    assert res.returncode == 0, res.stderr
    temp_key = res.stdout.split("TEMP", 1)[1].split()[0]
    keys = set(h2o.ls()["key"])
    assert "left_behind_on_purpose" in keys and temp_key not in keys
    h2o.remove("left_behind_on_purpose")


def test_http_urls_are_downloaded_once_into_the_cache(h2o, tmp_path, monkeypatch, iris_path):
    """A non-bundled URL is fetched into $H2OLITE_CACHE and reused (served here from 127.0.0.1)."""
    import functools
    import http.server
    import shutil
    import threading
    served = tmp_path / "www"
    served.mkdir()
    shutil.copy(iris_path, served / "iris_copy.csv")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(served))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("H2OLITE_CACHE", str(tmp_path / "cache"))
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/iris_copy.csv"
        fr = h2o.import_file(url)
        assert fr.shape == (150, 5)
        (served / "iris_copy.csv").unlink()                 # second import comes from the cache
        assert h2o.import_file(url).shape == (150, 5)
        with pytest.raises(h2o.H2OValueError, match="Cannot download"):
            h2o.import_file(f"http://127.0.0.1:{server.server_address[1]}/missing.csv")
    finally:
        server.shutdown()


def test_backend_source_folder_cannot_be_imported_as_server():
    """Importing server/ as ``server`` (a checkout's root on sys.path) would share Numba's kernel
    cache under a second module name and break the real backend's kernel loading: it is refused."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    proc = subprocess.run([sys.executable, "-c", "import server"], cwd=root, capture_output=True, text=True)
    assert proc.returncode != 0 and "import h2olite_server" in proc.stderr


def test_compile_flag_fills_the_kernel_cache_then_loads_it():
    """``python -m h2olite_server --compile`` (the set-up step) compiles the kernels into the
    on-disk cache, so that a second process (the backend) loads them in well under a second."""
    def run():
        proc = subprocess.run([sys.executable, "-m", "h2olite_server", "--compile"], capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr
        return float(proc.stdout.split(" in ")[-1].split()[0])
    run()                                   # compiles, unless the cache is already there
    assert run() < 2.0                      # compiling takes 10-20 s


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt")
def test_backend_process_reuses_freed_memory_instead_of_faulting_it_in_again():
    """The backend keeps freed blocks in the heap (server/memory.py): a 20 MB array allocated and
    freed again and again page-faults once, not on every allocation."""
    code = """
        import resource, numpy as np
        from h2olite_server.memory import keep_freed_memory
        assert keep_freed_memory()
        def faults(): return resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        a = np.ones(5_000_000, np.float32); del a
        before = faults()
        for _ in range(5):
            a = np.ones(5_000_000, np.float32); del a
        print(faults() - before)
    """
    out = _run_python(code)
    assert out.returncode == 0, out.stderr
    assert int(out.stdout.split()[-1]) < 50          # glibc's defaults: ~270 (huge pages) to ~25,000
