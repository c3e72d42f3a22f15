"""Shared fixtures: ONE h2olite backend for the whole test session, and the shipped data paths.

Use ``def test_x(h2o): fr = h2o.import_file(...)``: ``h2o`` is the ``h2olite`` module, connected to a
backend that ``h2olite.init(port=<free port>, nthreads=2)`` started for this session (stopped at
the end). Dataset fixtures give absolute paths of files shipped under ``h2olite/datasets/data``.
Tests that need a pristine backend should remove what they create (``h2o.remove(frame)``).
"""
from __future__ import annotations

import os
import socket

import pytest

from h2olite_server.blas import one_blas_thread_per_call

# the REST tests run backends in this process (create_app): with BLAS set up as the real one's
one_blas_thread_per_call()

DATA_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "h2olite", "datasets", "data")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def h2o():
    """The ``h2olite`` module, connected to a backend started for this test session."""
    import h2olite
    h2olite.no_progress()
    h2olite.init(port=_free_port(), nthreads=2, verbose=False)
    yield h2olite
    cluster = h2olite.cluster()
    if cluster is not None:
        try:
            cluster.shutdown()
        except Exception:
            conn = h2olite.connection()
            if conn is not None and conn.local_server is not None:
                conn.local_server.stop()


def _data(rel: str) -> str:
    return os.path.join(DATA_DIR, rel)


@pytest.fixture(scope="session")
def data_dir() -> str:
    """Root of the shipped data (same layout as H2O's public test-data bucket)."""
    return DATA_DIR


@pytest.fixture(scope="session")
def mnist_train_path() -> str:
    return _data("bigdata/laptop/mnist/train.csv.gz")


@pytest.fixture(scope="session")
def mnist_test_path() -> str:
    return _data("bigdata/laptop/mnist/test.csv.gz")


@pytest.fixture(scope="session")
def iris_path() -> str:
    return _data("smalldata/iris/iris_wheader.csv")


@pytest.fixture(scope="session")
def prostate_path() -> str:
    return _data("smalldata/logreg/prostate.csv")


@pytest.fixture(scope="session")
def cars_path() -> str:
    return _data("smalldata/junit/cars.csv")


@pytest.fixture(scope="session")
def ecg_train_path() -> str:
    return _data("smalldata/anomaly/ecg_discord_train.csv")


@pytest.fixture(scope="session")
def ecg_test_path() -> str:
    return _data("smalldata/anomaly/ecg_discord_test.csv")
