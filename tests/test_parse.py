"""Parsing shipped files the way H2O's ParseSetup/Parse does: guesses, types, NA tokens, keys."""
from __future__ import annotations

import gzip
import math
import os

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from h2olite_server.errors import H2OError
from h2olite_server.frames import parse as P
from h2olite_server.frames.sources import RawSource, list_import_files, raw_key_for_path

DATA = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "h2olite", "datasets", "data")


def src(rel: str) -> RawSource:
    path = os.path.join(DATA, rel)
    return RawSource(raw_key_for_path(path), path=path)


def parse_file(rel: str, **kw):
    s = src(rel)
    setup = P.guess_setup([s], **kw)
    return setup, P.parse([s], setup)


def test_mnist_train_no_header_all_numeric():
    setup, fr = parse_file("bigdata/laptop/mnist/train.csv.gz")
    assert setup.check_header == -1 and setup.column_names is None and setup.separator == ord(",")
    assert (fr.nrow, fr.ncol) == (8000, 785)
    assert fr.names[0] == "C1" and fr.names[-1] == "C785"
    y = fr["C785"]
    assert y.type == "int" and y.data.dtype == np.float64
    assert (y.data.min(), y.data.max()) == (0.0, 9.0)
    assert set(np.unique(y.data)) == set(range(10))
    assert fr["C1"].data.dtype == np.float64 and fr.nbytes() == 8000 * 785 * 8


def test_iris_header_and_enum_levels():
    setup, fr = parse_file("smalldata/iris/iris_wheader.csv")
    assert setup.check_header == 1
    assert setup.column_names == ["sepal_len", "sepal_wid", "petal_len", "petal_wid", "class"]
    assert setup.column_types == ["Numeric"] * 4 + ["Enum"]
    cls = fr["class"]
    assert cls.type == "enum" and cls.data.dtype == np.int32
    assert cls.domain == ("Iris-setosa", "Iris-versicolor", "Iris-virginica")
    assert np.bincount(cls.data).tolist() == [50, 50, 50]
    assert fr["sepal_len"].type == "real"
    assert fr["sepal_len"].stats.mean == pytest.approx(5.843333333333333)
    assert fr["sepal_len"].stats.sigma == pytest.approx(0.8280661279778637)


def test_prostate_means_match_h2o():
    _, fr = parse_file("smalldata/logreg/prostate.csv")
    assert (fr.nrow, fr.ncol) == (380, 9)
    assert fr["AGE"].type == "int" and fr["PSA"].type == "real"
    assert fr["AGE"].stats.mean == pytest.approx(66.03947368421052)
    assert fr["CAPSULE"].stats.mean == pytest.approx(0.4026315789473684)
    assert fr["PSA"].stats.mean == pytest.approx(15.408631578947368)


def test_guessed_types_follow_h2o_rules():
    # Values checked against H2O-3 3.46's ParseSetup on the same files.
    setup, fr = parse_file("smalldata/junit/titanic_alt.csv")
    types = dict(zip(setup.column_names, setup.column_types))
    assert types["name"] == "String"            # almost no duplicates -> String
    assert types["sex"] == "Enum" and types["home.dest"] == "Enum" and types["age"] == "Numeric"
    assert fr["name"].type == "string" and fr["name"].data[0] == "Allen, Miss. Elisabeth Walton"
    setup, fr = parse_file("smalldata/junit/weather.csv")
    assert setup.column_types[0] == "Time"        # "2007-11-6" dates
    assert fr["Date"].type == "time"
    assert fr["Date"].data[0] == 1194307200000.0  # 2007-11-06T00:00:00Z in ms
    setup, _ = parse_file("smalldata/airlines/allyears2k_headers.zip")
    types = dict(zip(setup.column_names, setup.column_types))
    assert types["TailNum"] == "Enum" and types["CancellationCode"] == "Enum" and types["Year"] == "Numeric"


def test_zip_and_gz_are_recognised_by_content():
    _, fr = parse_file("smalldata/airlines/AirlinesTrain.csv.zip")
    assert (fr.nrow, fr.ncol) == (24421, 12)
    assert fr["IsDepDelayed"].domain == ("NO", "YES")
    _, fr = parse_file("smalldata/covtype/covtype.20k.data.gz")
    assert (fr.nrow, fr.ncol) == (20000, 55)


def test_separator_guess_tab_semicolon_pipe(tmp_path):
    for sep in ["\t", ";", "|"]:
        p = tmp_path / "f.txt"
        p.write_text(sep.join(["a", "b", "c"]) + "\n" + "\n".join(sep.join([str(i), str(i * 2), f"x{i % 3}"]) for i in range(20)))
        s = RawSource("k", path=str(p))
        setup = P.guess_setup([s])
        assert chr(setup.separator) == sep and setup.column_names == ["a", "b", "c"]
        fr = P.parse([s], setup)
        assert fr["b"].data.sum() == 2 * sum(range(20)) and fr["c"].domain == ("x0", "x1", "x2")


def test_na_tokens_and_user_na_strings(tmp_path):
    p = tmp_path / "na.csv"
    p.write_text("x,y,z\n1,a,-999\nNA,b,2\n?,,3\nNaN,a,missing\n5,?,4\n")
    s = RawSource("k", path=str(p))
    setup = P.guess_setup([s], na_strings=["-999", "missing"])
    fr = P.parse([s], setup)
    assert np.isnan(fr["x"].data).tolist() == [False, True, True, True, False]
    assert fr["y"].domain == ("a", "b") and fr["y"].data.tolist() == [0, 1, -1, 0, -1]
    assert np.isnan(fr["z"].data).tolist() == [True, False, False, True, False]
    assert np.nansum(fr["z"].data) == 9


def test_user_names_and_types_override(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text("1,a,2015-01-02\n2,b,2015-01-03\n3,a,\n")
    s = RawSource("k", path=str(p))
    setup = P.guess_setup([s], check_header=-1, column_names=["n", "s", "t"], column_types=["enum", "string", "time"])
    fr = P.parse([s], setup)
    assert fr.names == ["n", "s", "t"]
    assert fr["n"].type == "enum" and fr["n"].domain == ("1", "2", "3")
    assert fr["s"].type == "string" and list(fr["s"].data) == ["a", "b", "a"]
    assert fr["t"].type == "time" and fr["t"].data[0] == 1420156800000.0 and math.isnan(fr["t"].data[2])


def test_bad_user_choices_name_the_problem(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text("a,b\n1,2\n")
    s = RawSource("k", path=str(p))
    with pytest.raises(H2OError, match="column_types.*'blah'|'blah'.*column_types"):
        P.guess_setup([s], column_types=["numeric", "blah"])
    with pytest.raises(H2OError, match="column_names has 3 names but the data has 2 columns"):
        P.guess_setup([s], column_names=["x", "y", "z"])


def test_empty_file_is_refused(tmp_path):
    p = tmp_path / "empty.csv"
    p.write_text("\n\n")
    with pytest.raises(H2OError, match="empty.csv is empty"):
        P.guess_setup([RawSource("k", path=str(p))])


def test_malformed_csv_names_file_and_line(tmp_path):
    p = tmp_path / "bad.csv"
    p.write_text("a,b,c\n1,2,3\n4,5\n6,7,8\n")
    s = RawSource("k", path=str(p))
    setup = P.guess_setup([s])
    with pytest.raises(H2OError, match=r"bad\.csv at line 3: expected 3 columns, found 2"):
        P.parse([s], setup)


def test_non_numbers_in_numeric_column_become_na(tmp_path):
    p = tmp_path / "m.csv"
    rows = [str(i) for i in range(50)] + ["oops"] + [str(i) for i in range(50, 60)]
    p.write_text("v\n" + "\n".join(rows) + "\n")
    s = RawSource("k", path=str(p))
    setup = P.guess_setup([s])
    assert setup.column_types == ["Numeric"]
    fr = P.parse([s], setup)
    assert fr.nrow == 61 and fr["v"].stats.missing == 1 and np.nansum(fr["v"].data) == sum(range(60))


def test_parquet_and_directory_of_parts(tmp_path):
    table = pa.table({"a": [1, 2, None], "s": ["x", "y", "x"], "f": [0.5, 1.5, 2.5]})
    pq.write_table(table, tmp_path / "x.parquet")
    s = RawSource("k", path=str(tmp_path / "x.parquet"))
    setup = P.guess_setup([s])
    assert setup.parse_type == "PARQUET" and setup.column_types == ["Numeric", "Enum", "Numeric"]
    fr = P.parse([s], setup)
    assert fr["a"].type == "int" and math.isnan(fr["a"].data[2]) and fr["s"].domain == ("x", "y")
    lines = open(os.path.join(DATA, "smalldata/iris/iris_wheader.csv")).read().splitlines()
    d = tmp_path / "parts"
    d.mkdir()
    for i in range(3):
        with gzip.open(d / f"part-{i}.csv.gz", "wt") as g:
            g.write("\n".join([lines[0]] + lines[1 + 50 * i: 1 + 50 * (i + 1)]) + "\n")
    (d / "_SUCCESS").write_text("")
    files, fails = list_import_files(str(d))
    assert [os.path.basename(f) for f in files] == ["part-0.csv.gz", "part-1.csv.gz", "part-2.csv.gz"] and not fails
    srcs = [RawSource(raw_key_for_path(f), path=f) for f in files]
    fr = P.parse(srcs, P.guess_setup(srcs))
    assert fr.nrow == 150 and np.bincount(fr["class"].data).tolist() == [50, 50, 50]


def test_hex_names_follow_h2o():
    assert P.hex_name("nfs://work/data/train.csv.gz") == "train.hex"
    assert P.hex_name("nfs://work/data/iris_wheader.csv") == "iris_wheader.hex"
    assert P.hex_name("nfs://d/covtype.20k.data.gz") == "covtype_20k_data.hex"
    assert P.hex_name("nfs://d/2015-data.csv") == "X2015_data.hex"
    assert P.hex_name("upload_0123456789abcdef0123456789abcdef") == "Key_Frame__upload_0123456789abcdef0123456789abcdef.hex"
