"""Rapids expressions as h2o-py and the R client send them, on shipped data, checked by value."""
from __future__ import annotations

import json
import os

import numpy as np
import pytest

from h2olite_server.app import create_app

DATA = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "h2olite", "datasets", "data")


@pytest.fixture(scope="module")
def client():
    c = create_app(nthreads=2).test_client()
    for rel, key in [("smalldata/iris/iris_wheader.csv", "iris.hex"), ("smalldata/logreg/prostate.csv", "prostate.hex"),
                     ("bigdata/laptop/mnist/test.csv.gz", "mnist.hex")]:
        keys = c.post("/3/ImportFilesMulti", data={"paths": json.dumps([os.path.join(DATA, rel)])}).json["destination_frames"]
        r = c.post("/3/Parse", data={"source_frames": json.dumps(keys), "destination_frame": key, "blocking": True})
        assert r.json["job"]["status"] == "DONE", r.json
    return c


def rapids(client, ast: str, status: int = 200) -> dict:
    r = client.post("/99/Rapids", data={"ast": ast, "session_id": "_sid_test"})
    assert r.status_code == status, (ast, r.json)
    return r.json


def column(client, key: str, i: int = 0) -> dict:
    return client.get(f"/3/Frames/{key}", query_string={"row_count": 100000}).json["frames"][0]["columns"][i]


def test_cols_rows_and_tmp_assign(client):
    r = rapids(client, '(tmp= py_1_sid_test (cols_py iris.hex "class"))')
    assert r["key"]["name"] == "py_1_sid_test" and (r["num_rows"], r["num_cols"]) == (150, 1)
    assert r["__meta"]["schema_name"] == "RapidsFrameV3"
    r = rapids(client, "(tmp= a (cols_py iris.hex ['sepal_len' 'petal_len']))")
    assert r["num_cols"] == 2 and column(client, "a", 1)["label"] == "petal_len"
    assert rapids(client, "(tmp= b (cols_py iris.hex [1:nan]))")["num_cols"] == 4      # open slice
    assert rapids(client, "(tmp= b2 (cols_py iris.hex [2:100]))")["num_cols"] == 3     # ranges are capped
    assert rapids(client, "(tmp= c (cols iris.hex [-1 -5]))")["num_cols"] == 3          # R drops
    assert column(client, "c")["label"] == "sepal_wid"
    r = rapids(client, "(tmp= d (rows iris.hex [10:5]))")
    assert r["num_rows"] == 5 and column(client, "d")["data"][0] == 5.4
    r = rapids(client, "(tmp= e (rows iris.hex (> (cols_py iris.hex 'sepal_len') 7)))")
    assert r["num_rows"] == 12
    # an expression without tmp= is not stored (key null), as in H2O
    r = rapids(client, "(cols_py iris.hex 0)")
    assert r["key"]["name"] is None and r["num_rows"] == 150


def test_asfactor_levels_in_h2o_order(client):
    rapids(client, "(tmp= y (as.factor (cols_py mnist.hex 'C785')))")
    col = column(client, "y")
    assert col["type"] == "enum" and col["domain"] == [str(i) for i in range(10)]
    r = rapids(client, "(tmp= cnt (as.factor (append (cols_py iris.hex 0) (* (cols_py iris.hex 0) 10) 'x10')))")
    assert r["num_cols"] == 2
    # ints are sorted numerically, not as text: 43 < 100
    col = column(client, "cnt", 1)
    assert col["domain"][:3] == ["43", "44", "45"] and col["domain"][-1] == "79"
    assert rapids(client, "(nlevels y)")["scalar"] == 10
    assert rapids(client, "(is.factor (cbind y mnist.hex))")["scalar"][:2] == [1.0, 0.0]
    lv = rapids(client, "(tmp= lv (levels (cols_py iris.hex 'class')))")
    assert lv["num_rows"] == 3 and column(client, "lv")["domain"] == ["Iris-setosa", "Iris-versicolor", "Iris-virginica"]
    assert column(client, rapids(client, "(tmp= num (as.numeric y))")["key"]["name"])["mins"][0] == 0


def test_assign_replaces_and_appends_columns(client):
    r = rapids(client, "(tmp= m2 (:= mnist.hex (as.factor (cols_py mnist.hex 'C785')) 784 []))")
    assert (r["num_rows"], r["num_cols"]) == (2000, 785)
    assert column(client, "m2", 784)["type"] == "enum"
    assert column(client, "mnist.hex", 784)["type"] == "int"          # the source frame is untouched
    r = rapids(client, "(tmp= p2 (append prostate.hex (* (cols_py prostate.hex 'AGE') 2) 'AGE2'))")
    col = column(client, "p2", 9)
    assert r["num_cols"] == 10 and col["label"] == "AGE2" and col["mean"] == pytest.approx(2 * 66.03947368421052)
    r = rapids(client, "(tmp= p3 (:= prostate.hex NaN [6] [0 1 2]))")
    assert column(client, "p3", 6)["missing_count"] == 3
    r = rapids(client, "(tmp= p4 (:= prostate.hex 1 'NEW' []))")
    assert r["num_cols"] == 10 and column(client, "p4", 9)["label"] == "NEW"
    r = rapids(client, "(tmp= p5 (colnames= prostate.hex [0 1] ['id' 'capsule']))")
    assert column(client, "p5", 1)["label"] == "capsule"


def test_reductions_follow_h2o_return_shapes(client):
    r = rapids(client, "(getrow (mean (cols_py prostate.hex ['AGE' 'PSA']) TRUE 0))")
    assert r["__meta"]["schema_name"] == "RapidsNumbersV3"
    assert r["scalar"] == pytest.approx([66.03947368421052, 15.408631578947368])
    sd = rapids(client, "(sd (cols_py iris.hex [0 1]) TRUE)")["scalar"]
    assert sd == pytest.approx([0.8280661279778637, 0.4335943113621737])
    assert rapids(client, "(min (cols_py iris.hex [0 1 2 3]))")["scalar"] == 0.1
    assert rapids(client, "(max (cols_py iris.hex [0 1 2 3]))")["scalar"] == 7.9
    assert rapids(client, "(sum (cols_py prostate.hex 'CAPSULE'))")["scalar"] == 153
    assert rapids(client, "(naCnt iris.hex)")["scalar"] == [0, 0, 0, 0, 0]
    assert rapids(client, "(nrow mnist.hex)")["scalar"] == 2000
    assert rapids(client, "(dim prostate.hex)")["scalar"] == [380, 9]
    var = rapids(client, "(var (cols_py iris.hex 0) [] 'everything' FALSE)")["scalar"]
    assert var == pytest.approx(0.8280661279778637 ** 2)
    assert rapids(client, "(flatten (cols_py (rows iris.hex [3]) [1]))")["scalar"] == 3.1
    assert rapids(client, "(flatten (cols_py (rows iris.hex [0]) 'class'))")["string"] == "Iris-setosa"


def test_comparisons_and_arithmetic(client):
    # enum vs string constant compares labels; two enum columns compare labels too
    r = rapids(client, "(getrow (mean (== (cols_py iris.hex 'class') 'Iris-virginica') TRUE 0))")
    assert r["scalar"] == [pytest.approx(1 / 3)]
    rapids(client, "(tmp= yy (as.factor (cols_py mnist.hex 'C785')))")
    assert rapids(client, "(getrow (mean (== yy yy) TRUE 0))")["scalar"] == [1.0]
    r = rapids(client, "(getrow (mean (== yy 7) TRUE 0))")["scalar"][0]     # enum vs number: labels read as numbers
    assert r == pytest.approx(np.mean(np.array(column(client, "mnist.hex", 784)["data"]) == 7))
    r = rapids(client, "(tmp= ar (- (* (cols_py prostate.hex 'AGE') 2) (/ (cols_py prostate.hex 'AGE') 2)))")
    assert column(client, "ar")["mean"] == pytest.approx(1.5 * 66.03947368421052)
    assert column(client, rapids(client, "(tmp= md (% (cols_py prostate.hex 'AGE') 10))")["key"]["name"])["maxs"][0] == 9
    assert column(client, rapids(client, "(tmp= idv (intDiv (cols_py prostate.hex 'AGE') 10))")["key"]["name"])["maxs"][0] == 7
    both = rapids(client, "(getrow (mean (& (> (cols_py prostate.hex 'AGE') 70) (== (cols_py prostate.hex 'CAPSULE') 1)) TRUE 0))")
    assert both["scalar"][0] * 380 == pytest.approx(37)      # pandas: ((AGE > 70) & (CAPSULE == 1)).sum()
    r = rapids(client, "(getrow (mean (! (cols_py prostate.hex 'CAPSULE')) TRUE 0))")["scalar"][0]
    assert r == pytest.approx(1 - 0.4026315789473684)
    r = rapids(client, "(tmp= lg (log (exp (sqrt (abs (cols_py iris.hex 0))))))")
    assert column(client, "lg")["mean"] == pytest.approx(np.mean(np.sqrt(column(client, "iris.hex")["data"])))
    assert column(client, rapids(client, "(tmp= ie (ifelse (> (cols_py iris.hex 0) 5.8) 1 0))")["key"]["name"])["mean"] \
        == pytest.approx(70 / 150)


def test_split_by_runif_is_deterministic(client):
    a = rapids(client, "(tmp= r1 (h2o.runif mnist.hex 1234))")
    b = rapids(client, "(tmp= r2 (h2o.runif mnist.hex 1234))")
    assert a["num_rows"] == b["num_rows"] == 2000
    assert column(client, "r1")["data"] == column(client, "r2")["data"]
    first = rapids(client, "(tmp= s1 (rows mnist.hex (<= r1 0.75)))")["num_rows"]
    second = rapids(client, "(tmp= s2 (rows mnist.hex (> r1 0.75)))")["num_rows"]
    assert first + second == 2000 and 1400 < first < 1600


def test_cbind_rbind_unique_table_isna_quantile(client):
    assert rapids(client, "(tmp= cb (cbind iris.hex iris.hex))")["num_cols"] == 10
    assert column(client, "cb", 5)["label"] == "sepal_len0"
    r = rapids(client, "(tmp= rb (rbind iris.hex iris.hex))")
    assert r["num_rows"] == 300 and column(client, "rb", 4)["histogram_bins"] is None
    r = rapids(client, "(rbind iris.hex prostate.hex)", 400)
    assert "column counts" in r["msg"]
    rapids(client, "(tmp= un (unique (cols_py prostate.hex 'GLEASON') FALSE))")
    assert sorted(column(client, "un")["data"]) == [0, 4, 5, 6, 7, 8, 9]
    t = rapids(client, "(tmp= tb (table (cols_py iris.hex 'class') FALSE))")
    assert t["num_cols"] == 2 and column(client, "tb", 1)["label"] == "Count" and column(client, "tb", 1)["data"] == [50, 50, 50]
    t2 = rapids(client, "(tmp= tb2 (table (cols_py prostate.hex 'CAPSULE') (cols_py prostate.hex 'RACE') TRUE))")
    assert t2["num_cols"] == 3 and sum(column(client, "tb2", 2)["data"]) == 380
    assert column(client, "tb2", 2)["label"] == "Counts" and t2["num_rows"] == 6
    # RACE x GLEASON: 15 of the 3 x 7 pairs occur (pandas groupby); dense=FALSE lists all 21
    t3 = rapids(client, "(tmp= tb3 (table (cols_py prostate.hex 'RACE') (cols_py prostate.hex 'GLEASON') TRUE))")
    t4 = rapids(client, "(tmp= tb4 (table (cols_py prostate.hex 'RACE') (cols_py prostate.hex 'GLEASON') FALSE))")
    assert t3["num_rows"] == 15 and t4["num_rows"] == 21 and column(client, "tb4", 2)["data"].count(0) == 6
    rapids(client, "(tmp= na (is.na (:= prostate.hex NaN [0] [0 1])))")
    assert column(client, "na")["label"] == "isNA(ID)" and sum(column(client, "na")["data"]) == 2
    q = rapids(client, "(tmp= qu (quantile (cols_py iris.hex 0) [0.5] 'interpolate' _))")
    assert q["num_cols"] == 2 and column(client, "qu", 1)["data"] == [5.8]


def test_ls_rm_and_sessions(client):
    rapids(client, "(tmp= gone (cols_py iris.hex 0))")
    assert rapids(client, "(tmp= lsk (ls))")["num_cols"] == 1
    col = column(client, "lsk")
    assert col["label"] == "key" and "iris.hex" in col["domain"] and "gone" in col["domain"]
    assert not any(k.startswith("$") for k in col["domain"])
    assert rapids(client, "(rm gone)")["scalar"] == 1
    assert rapids(client, "(rm gone)")["scalar"] == 0
    assert client.get("/3/Frames/gone").status_code == 404
    assert client.get("/3/Frames/iris.hex").status_code == 200          # rm touched only its key
    rapids(client, "(tmp= ren (cols_py iris.hex 0))")
    assert rapids(client, "(rename 'ren' 'renamed')")["key"]["name"] == "renamed"
    assert client.get("/3/Frames/ren").status_code == 404 and column(client, "renamed")["label"] == "sepal_len"
    assert "in use" in rapids(client, "(rename 'renamed' 'iris.hex')", 400)["msg"]
    sid = client.post("/4/sessions").json["session_key"]
    client.post("/99/Rapids", data={"ast": "(tmp= py_9 (cols_py iris.hex 1))", "session_id": sid})
    client.post("/99/Rapids", data={"ast": "(assign kept (cols_py iris.hex 1))", "session_id": sid})
    assert client.delete(f"/4/sessions/{sid}").status_code == 200
    assert client.get("/3/Frames/py_9").status_code == 404 and client.get("/3/Frames/kept").status_code == 200


def test_bad_expressions_name_the_problem(client):
    r = rapids(client, "(cols_py iris.hex 'nope')", 400)
    assert "Column 'nope' not found" in r["msg"] and "sepal_len" in r["msg"]
    assert "Name lookup of 'foo' failed" in rapids(client, "(foo iris.hex)", 400)["msg"]
    assert "Name lookup of 'nosuchframe' failed" in rapids(client, "(nrow nosuchframe)", 400)["msg"]
    assert "missing ')'" in rapids(client, "(cols_py iris.hex [0 1]", 400)["msg"]
    assert "expects 1 but was passed 2" in rapids(client, "(nrow iris.hex iris.hex)", 400)["msg"]
    assert "out of range" in rapids(client, "(cols_py iris.hex 17)", 400)["msg"]
    assert "different row counts" in rapids(client, "(+ iris.hex prostate.hex)", 400)["msg"]
    assert rapids(client, "", 400)["msg"].startswith("Missing required parameter 'ast'")
    # a failed (tmp= k ...) leaves an existing k as it was
    rapids(client, "(tmp= keepme (cols_py iris.hex 0))")
    rapids(client, "(tmp= keepme (cols_py iris.hex 'nope'))", 400)
    assert column(client, "keepme")["label"] == "sepal_len"
    assert rapids(client, "(nrow iris.hex)")["scalar"] == 150


def test_random_expressions_never_break_the_server(client):
    """Arbitrary argument mixes get 200 or a 4xx naming the problem, never a 500; stored frames survive."""
    import random
    from h2olite_server.frames.rapids import FUNCTIONS
    args = ["iris.hex", "(cols_py iris.hex 'class')", "(cols_py iris.hex 0)", "5", "-1", "NaN", "'x'", "[0 1]", "[]",
            "['a' 'b']", "[0:3]", "TRUE", "_", "(rows iris.hex [0])", "[-1]", "1e300"]
    rng = random.Random(7)
    before = column(client, "iris.hex", 4)
    for fn in sorted(FUNCTIONS) + ["tmp=", "assign", "rm", "rename"]:
        for k in range(4):
            a = [rng.choice(args) for _ in range(k)]
            if fn in ("tmp=", "assign", "rm", "rename") and a:
                a[0] = "fuzz_key"
            r = client.post("/99/Rapids", data={"ast": f"({fn} {' '.join(a)})"})
            assert r.status_code < 500, (fn, a, r.json)
            assert r.status_code == 200 or r.json["msg"]
    assert column(client, "iris.hex", 4) == before
