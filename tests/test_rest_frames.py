"""The frames REST API as H2O's clients use it (ImportFiles -> ParseSetup -> Parse -> Frames)."""
from __future__ import annotations

import io
import json
import os

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from h2olite_server.app import create_app
from rest_util import wait_job

DATA = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "h2olite", "datasets", "data")


@pytest.fixture(scope="module")
def client():
    return create_app(nthreads=2).test_client()


def import_file(client, path: str, **setup_args) -> tuple[dict, dict]:
    """(ParseSetup reply, finished job) for one file, as h2o-py's import_file does it."""
    r = client.post("/3/ImportFilesMulti", data={"paths": json.dumps([path])})
    assert r.status_code == 200, r.json
    keys = r.json["destination_frames"]
    s = client.post("/3/ParseSetup", data={"source_frames": json.dumps(keys), **setup_args})
    assert s.status_code == 200, s.json
    setup = s.json
    r = client.post("/3/Parse", data={
        "source_frames": json.dumps(keys), "destination_frame": setup["destination_frame"],
        "column_names": json.dumps(setup["column_names"]), "column_types": json.dumps(setup["column_types"]),
        "separator": setup["separator"], "check_header": setup["check_header"],
        "number_columns": setup["number_columns"], "delete_on_done": True, "blocking": True, **setup_args})
    assert r.status_code == 200, r.json
    return setup, r.json["job"]


def frame(client, key: str, **q) -> dict:
    r = client.get(f"/3/Frames/{key}", query_string=q)
    assert r.status_code == 200, r.json
    return r.json["frames"][0]


def test_mnist_import_names_keys_and_stats(client):
    path = os.path.join(DATA, "bigdata/laptop/mnist/train.csv.gz")
    r = client.get("/3/ImportFiles", query_string={"path": path})
    assert r.json["files"] == [path] and r.json["destination_frames"] == ["nfs:/" + path] and r.json["fails"] == []
    setup, job = import_file(client, path)
    assert setup["destination_frame"] == "train.hex" and setup["check_header"] == -1
    assert setup["column_names"] is None and setup["number_columns"] == 785 and setup["separator"] == 44
    assert job["status"] == "DONE" and job["dest"]["name"] == "train.hex"
    f = frame(client, "train.hex", row_count=3)
    assert (f["rows"], f["num_columns"], f["row_count"]) == (8000, 785, 3)
    y = f["columns"][-1]
    assert y["label"] == "C785" and y["type"] == "int" and y["mins"][0] == 0 and y["maxs"][0] == 9
    assert y["missing_count"] == 0 and len(y["data"]) == 3
    # raw keys were removed (delete_on_done) and the second import of the same stem is train1.hex
    assert client.get("/3/Frames/nfs:/" + path).status_code == 404
    setup2, _ = import_file(client, path)
    assert setup2["destination_frame"] == "train1.hex"
    client.delete("/3/Frames/train1.hex")


def test_iris_frame_json_and_summary(client):
    setup, job = import_file(client, os.path.join(DATA, "smalldata/iris/iris_wheader.csv"))
    assert setup["column_names"] == ["sepal_len", "sepal_wid", "petal_len", "petal_wid", "class"]
    assert setup["column_types"] == ["Numeric", "Numeric", "Numeric", "Numeric", "Enum"]
    f = frame(client, "iris_wheader.hex")
    assert f["row_count"] == 100 and f["frame_id"]["name"] == "iris_wheader.hex"
    c0, cls = f["columns"][0], f["columns"][4]
    assert c0["type"] == "real" and c0["mins"] == [4.3, 4.4, 4.4, 4.4, 4.5] and c0["maxs"] == [7.9, 7.7, 7.7, 7.7, 7.7]
    assert c0["mean"] == pytest.approx(5.843333333333333) and c0["sigma"] == pytest.approx(0.8280661279778637)
    assert cls["type"] == "enum" and cls["domain"] == ["Iris-setosa", "Iris-versicolor", "Iris-virginica"]
    assert cls["domain_cardinality"] == 3 and cls["zero_count"] == 50 and cls["mean"] == "NaN"
    s = client.get("/3/Frames/iris_wheader.hex/summary").json["frames"][0]
    assert s["columns"][4]["histogram_bins"] == [50, 50, 50]
    assert s["columns"][0]["percentiles"][8] == pytest.approx(5.8)       # median
    assert len(s["default_percentiles"]) == len(s["columns"][0]["percentiles"]) == 17
    light = client.get("/3/Frames/iris_wheader.hex/light").json["frames"][0]
    assert light["rows"] == 150 and light["checksum"] == 0
    page = frame(client, "iris_wheader.hex", row_offset=148, row_count=5, column_offset=3, column_count=1)
    assert page["row_count"] == 2 and [c["label"] for c in page["columns"]] == ["petal_wid"]
    assert page["columns"][0]["data"] == [2.3, 1.8]
    listing = client.get("/3/Frames").json["frames"]
    assert {"name": "iris_wheader.hex", "rows": 150, "columns": 5} in \
        [{"name": x["frame_id"]["name"], "rows": x["rows"], "columns": x["columns"]} for x in listing]


def test_prostate_means_and_csv_download(client):
    import_file(client, os.path.join(DATA, "smalldata/logreg/prostate.csv"))
    f = frame(client, "prostate.hex", row_count=0)
    means = {c["label"]: c["mean"] for c in f["columns"]}
    assert means["AGE"] == pytest.approx(66.03947368421052)
    assert means["VOL"] == pytest.approx(15.812921052631578)
    r = client.get("/3/DownloadDataset", query_string={"frame_id": "prostate.hex"})
    assert r.status_code == 200
    text = r.data.decode()
    assert text.splitlines()[0] == '"ID","CAPSULE","AGE","RACE","DPROS","DCAPS","PSA","VOL","GLEASON"'
    df = pd.read_csv(io.StringIO(text))
    assert df.shape == (380, 9) and df["AGE"].mean() == pytest.approx(66.03947368421052)


def test_csv_download_quotes_enums_and_leaves_na_empty(client, tmp_path):
    p = tmp_path / "m.csv"
    p.write_text("n,s\n1,a\n,b\n3,\n")
    import_file(client, str(p))
    text = client.get("/3/DownloadDataset", query_string={"frame_id": "m.hex"}).data.decode()
    assert text.splitlines() == ['"n","s"', '1,"a"', ',"b"', "3,"]


def test_gz_zip_and_na_tokens(client, tmp_path):
    _, job = import_file(client, os.path.join(DATA, "smalldata/airlines/AirlinesTrain.csv.zip"))
    assert job["status"] == "DONE"
    f = frame(client, "AirlinesTrain.hex", row_count=0)
    assert (f["rows"], f["num_columns"]) == (24421, 12)
    p = tmp_path / "nas.csv"
    p.write_text("x,y\n1,a\nNA,b\n?,\nNaN,a\n-1,?\n")
    import_file(client, str(p), na_strings=json.dumps(["-1"]))
    f = frame(client, "nas.hex")
    assert f["columns"][0]["missing_count"] == 4 and f["columns"][0]["data"] == [1.0, "NaN", "NaN", "NaN", "NaN"]
    assert f["columns"][1]["missing_count"] == 2 and f["columns"][1]["domain"] == ["a", "b"]


def test_upload_raw_multipart_and_arrow(client):
    body = open(os.path.join(DATA, "smalldata/iris/iris_wheader.csv"), "rb").read()
    r = client.post("/3/PostFile", data=body)
    assert r.status_code == 200 and r.json["total_bytes"] == len(body)
    raw = r.json["destination_frame"]
    assert raw.startswith("upload_") and len(raw) == len("upload_") + 32
    setup = client.post("/3/ParseSetup", data={"source_frames": json.dumps([raw])}).json
    assert setup["destination_frame"] == f"Key_Frame__{raw}.hex"
    r = client.post("/3/PostFile", data={"file": (io.BytesIO(body), "iris.csv")}, content_type="multipart/form-data")
    assert r.status_code == 200 and r.json["total_bytes"] == len(body)
    df = pd.DataFrame({"a": [1, 2, None], "b": ["x", "y", None], "c": pd.Categorical(["v", "u", "v"]),
                       "d": pd.to_datetime(["2020-01-01", "2020-01-02", None]), "f": [0.5, 1.5, 2.5]})
    table = pa.Table.from_pandas(df, preserve_index=False)
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as w:
        w.write_table(table)
    r = client.post("/3/PostFile", data=sink.getvalue().to_pybytes(), content_type="application/vnd.apache.arrow.stream",
                    query_string={"column_types": '["numeric","string","enum","time","numeric"]'})
    assert r.status_code == 200, r.json
    key = r.json["destination_frame"]
    assert key.startswith("Key_Frame__upload_") and key.endswith(".hex")
    cols = {c["label"]: c for c in frame(client, key)["columns"]}
    assert cols["a"]["type"] == "int" and cols["a"]["data"] == [1.0, 2.0, "NaN"]
    assert cols["b"]["type"] == "string" and cols["b"]["string_data"] == ["x", "y", None]
    assert cols["c"]["type"] == "enum" and cols["c"]["domain"] == ["u", "v"] and cols["c"]["data"] == [1.0, 0.0, 1.0]
    assert cols["d"]["type"] == "time" and cols["d"]["data"][:2] == [1577836800000.0, 1577923200000.0]
    # without column_types, text columns get the type H2O would give them in a CSV
    guess = pd.DataFrame({"names": ["ann", "bob", "cy"], "cat": ["a", "b", "a"], "num": ["1", "2.5", None],
                          "when": ["2007-11-6", "2020-01-02", None], "flag": [True, False, True]})
    t2 = pa.Table.from_pandas(guess, preserve_index=False)
    sink2 = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink2, t2.schema) as w:
        w.write_table(t2)
    k2 = client.post("/3/PostFile", data=sink2.getvalue().to_pybytes(),
                     content_type="application/vnd.apache.arrow.stream").json["destination_frame"]
    g = {c["label"]: c for c in frame(client, k2)["columns"]}
    assert [g[n]["type"] for n in ["names", "cat", "num", "when", "flag"]] == ["string", "enum", "real", "time", "enum"]
    assert g["when"]["data"][0] == 1194307200000.0 and g["flag"]["domain"] == ["False", "True"]
    back = pa.ipc.open_stream(client.get("/3/DownloadDataset.arrow", query_string={"frame_id": key}).data).read_all()
    out = back.to_pandas()
    assert out["a"].tolist()[:2] == [1.0, 2.0] and np.isnan(out["a"][2])
    assert list(out["c"].astype(str)) == ["v", "u", "v"] and out["f"].sum() == 4.5


def test_directory_import_with_pattern(client, tmp_path):
    lines = open(os.path.join(DATA, "smalldata/iris/iris_wheader.csv")).read().splitlines()
    for i in range(3):
        (tmp_path / f"part-{i}.csv").write_text("\n".join([lines[0]] + lines[1 + 50 * i: 1 + 50 * (i + 1)]) + "\n")
    (tmp_path / "notes.txt").write_text("not data\n")
    r = client.post("/3/ImportFilesMulti", data={"paths": json.dumps([str(tmp_path)]), "pattern": r".*\.csv$"})
    assert len(r.json["files"]) == 3
    assert client.post("/3/ParseSetup", data={"source_frames": json.dumps(r.json["destination_frames"])}).status_code == 200
    r = client.post("/3/Parse", data={"source_frames": json.dumps(r.json["destination_frames"]),
                                      "destination_frame": "iris_parts.hex", "check_header": 1, "blocking": True})
    assert r.json["job"]["status"] == "DONE"
    f = frame(client, "iris_parts.hex", row_count=0)
    assert f["rows"] == 150 and f["columns"][4]["domain"] == ["Iris-setosa", "Iris-versicolor", "Iris-virginica"]


def test_bad_inputs_give_4xx_naming_the_problem_and_server_keeps_serving(client, tmp_path):
    r = client.get("/3/ImportFiles", query_string={"path": "/no/such/file.csv"})
    assert r.status_code == 404 and r.json["msg"] == "File /no/such/file.csv does not exist"
    assert r.json["__meta"]["schema_name"] == "H2OErrorV3"
    assert client.get("/3/Frames/nope.hex").status_code == 404
    assert client.delete("/3/Frames/nope.hex").status_code == 404
    r = client.post("/3/ParseSetup", data={"source_frames": '["nfs://not/imported.csv"]'})
    assert r.status_code == 404 and "nfs://not/imported.csv" in r.json["msg"]
    p = tmp_path / "ok.csv"
    p.write_text("a,b\n1,2\n3,4\n")
    keys = client.post("/3/ImportFilesMulti", data={"paths": json.dumps([str(p)])}).json["destination_frames"]
    r = client.post("/3/Parse", data={"source_frames": json.dumps(keys), "column_types": '["Numeric","Bogus"]'})
    assert r.status_code == 400 and "Bogus" in r.json["msg"] and "column_types" in r.json["msg"]
    r = client.post("/3/Parse", data={"source_frames": json.dumps(keys), "column_names": '["only_one"]'})
    assert r.status_code == 400 and "column_names has 1 names but the data has 2 columns" in r.json["msg"]
    r = client.post("/3/ParseSetup", data={"source_frames": json.dumps(keys), "check_header": 7})
    assert r.status_code == 400 and "check_header" in r.json["msg"]
    bad = tmp_path / "ragged.csv"
    bad.write_text("a,b,c\n1,2,3\n4,5\n")
    _, job = import_file(client, str(bad))
    assert job["status"] == "FAILED" and "ragged.csv at line 3" in job["exception"]
    # the server still answers: the same file parses once the request is right
    _, job = import_file(client, str(p))
    assert job["status"] == "DONE" and frame(client, "ok.hex")["rows"] == 2
    assert client.get("/3/Cloud").status_code == 200
    spec = client.get("/3/openapi.json").json["paths"]
    assert "/3/DownloadDataset.arrow" in spec and "extension" in spec["/3/PostFile"]["post"]["summary"]


def test_frames_never_overwrite_models_or_jobs(client, tmp_path):
    from h2olite_server.jobs import Job
    store = client.application.extensions["h2olite"].store
    job = Job("a model build", "some_model", "Key<Model>")
    store.put("not_a_frame", job)
    p = tmp_path / "x.csv"
    p.write_text("a\n1\n")
    keys = client.post("/3/ImportFilesMulti", data={"paths": json.dumps([str(p)])}).json["destination_frames"]
    r = client.post("/3/Parse", data={"source_frames": json.dumps(keys), "destination_frame": "not_a_frame"})
    assert r.status_code == 400 and "not_a_frame" in r.json["msg"]
    r = client.post("/3/PostFile", data=b"a\n1\n", query_string={"destination_frame": "not_a_frame"})
    assert r.status_code == 400
    r = client.post("/99/Rapids", data={"ast": "(tmp= not_a_frame (cols_py x.hex 0))"})
    assert r.status_code in (400, 404)
    assert client.post("/99/Rapids", data={"ast": "(rm not_a_frame)"}).status_code == 400
    assert store.find("not_a_frame") is job


def test_unsupported_parse_options_are_refused_not_ignored(client, tmp_path):
    p = tmp_path / "opts.csv"
    p.write_text("a,b,c\n1,2,3\n4,5,6\n")
    keys = client.post("/3/ImportFilesMulti", data={"paths": json.dumps([str(p)])}).json["destination_frames"]
    for name, value in [("partition_by", '["a"]'), ("custom_non_data_line_markers", "#"), ("escapechar", "92"),
                        ("tz_adjust_to_local", "True"), ("decrypt_tool", "x")]:
        r = client.post("/3/ParseSetup", data={"source_frames": json.dumps(keys), name: value})
        assert r.status_code == 400 and name in r.json["msg"], name
    ok = client.post("/3/ParseSetup", data={"source_frames": json.dumps(keys), "tz_adjust_to_local": "False"})
    assert ok.status_code == 200
    # skipped columns: names may list only the parsed columns (h2o-py) or all of them
    r = client.post("/3/Parse", data={"source_frames": json.dumps(keys), "destination_frame": "skip.hex",
                                      "skipped_columns": "[1]", "column_names": '["x","z"]', "check_header": 1,
                                      "blocking": True, "delete_on_done": False})
    assert r.json["job"]["status"] == "DONE"
    f = frame(client, "skip.hex")
    assert [c["label"] for c in f["columns"]] == ["x", "z"] and f["columns"][1]["data"] == [3.0, 6.0]


def _wait(client, job: dict) -> dict:
    return wait_job(client, job["key"]["name"])


def test_export_csv_gzip_and_parquet(client, tmp_path):
    import gzip

    import pyarrow.parquet as pq
    import_file(client, os.path.join(DATA, "smalldata/iris/iris_wheader.csv"))
    out = tmp_path / "iris_out.csv"
    r = client.post("/3/Frames/iris_wheader.hex/export", data={"path": str(out), "separator": 59, "quote_header": False})
    assert _wait(client, r.json["job"])["status"] == "DONE"
    lines = out.read_text().splitlines()
    assert lines[0] == "sepal_len;sepal_wid;petal_len;petal_wid;class" and lines[1] == '5.1;3.5;1.4;0.2;"Iris-setosa"'
    r = client.post("/3/Frames/iris_wheader.hex/export", data={"path": str(out)})
    assert r.status_code == 400 and "already exists" in r.json["msg"]
    gz = tmp_path / "iris_out.csv.gz"
    r = client.post("/3/Frames/iris_wheader.hex/export", data={"path": str(gz), "compression": "gzip"})
    assert _wait(client, r.json["job"])["status"] == "DONE"
    assert len(gzip.open(gz, "rt").read().splitlines()) == 151
    pqf = tmp_path / "iris.parquet"
    r = client.post("/3/Frames/iris_wheader.hex/export", data={"path": str(pqf), "format": "parquet"})
    assert _wait(client, r.json["job"])["status"] == "DONE"
    t = pq.read_table(pqf)
    assert t.num_rows == 150 and t.column("sepal_len").to_pylist()[0] == 5.1
    assert client.post("/3/Frames/iris_wheader.hex/export", data={"path": str(pqf), "force": True,
                                                                  "num_parts": 4}).status_code == 400
