"""Helpers for REST tests that drive the backend through Flask's test client."""
from __future__ import annotations

import json
import os
import time

DATA = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "h2olite", "datasets", "data")


def data_path(rel: str) -> str:
    return os.path.join(DATA, rel)


def wait_job(client, job_key: str, timeout: float = 300) -> dict:
    deadline = time.time() + timeout
    while time.time() < deadline:
        job = client.get(f"/3/Jobs/{job_key}?wait_ms=200").json["jobs"][0]
        if job["status"] in ("DONE", "FAILED", "CANCELLED"):
            return job
    raise TimeoutError(job_key)


def import_frame(client, rel_path: str, key: str, types: dict[str, str] | None = None) -> str:
    """Import a shipped file as ``key`` (ImportFiles -> ParseSetup -> Parse), overriding column types."""
    r = client.get("/3/ImportFiles", query_string={"path": data_path(rel_path)})
    assert r.status_code == 200, r.json
    setup = client.post("/3/ParseSetup", data={"source_frames": json.dumps(r.json["destination_frames"])}).json
    names = setup["column_names"] or [f"C{i + 1}" for i in range(setup["number_columns"])]
    ctypes = list(setup["column_types"])
    for col, t in (types or {}).items():
        ctypes[names.index(col)] = t
    src = [s["name"] if isinstance(s, dict) else s for s in setup["source_frames"]]
    r = client.post("/3/Parse", data={
        "source_frames": json.dumps(src), "destination_frame": key,
        "column_names": json.dumps(names), "column_types": json.dumps(ctypes),
        "separator": setup["separator"], "check_header": setup["check_header"],
        "number_columns": setup["number_columns"]})
    assert r.status_code == 200, r.json
    job = wait_job(client, r.json["job"]["key"]["name"])
    assert job["status"] == "DONE", job
    return key


def train(client, **params) -> dict:
    """Build a model and return its JSON (asserting the job finished)."""
    data = {k: (json.dumps(v) if isinstance(v, (list, dict)) else str(v)) for k, v in params.items()}
    r = client.post("/3/ModelBuilders/deeplearning", data=data)
    assert r.status_code == 200, r.json
    job = wait_job(client, r.json["job"]["key"]["name"])
    assert job["status"] == "DONE", (job["exception"], job["stacktrace"])
    return client.get(f"/3/Models/{job['dest']['name']}").json["models"][0]


def frame_column(client, key: str, col: str) -> list:
    fr = client.get(f"/3/Frames/{key}", query_string={"row_count": 100000}).json["frames"][0]
    c = next(c for c in fr["columns"] if c["label"] == col)
    return c["data"] if c["type"] != "string" else c["string_data"]
