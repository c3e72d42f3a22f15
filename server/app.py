"""Flask application factory: one blueprint per concern, one shared ``Backend`` state."""
from __future__ import annotations

import json
import math
import os
import time
import traceback

from flask import Flask, current_app, jsonify
from flask.json.provider import DefaultJSONProvider
from werkzeug.exceptions import HTTPException

from . import __version__
from .errors import H2OError
from .jobs import JobRunner
from .store import Store


class Backend:
    """What one running backend holds: the store, the job runner and its settings."""

    def __init__(self, nthreads: int = -1, max_mem_size: int | None = None, name: str | None = None):
        self.store = Store()
        self.jobs = JobRunner(self.store)
        self.nthreads = nthreads if nthreads and nthreads > 0 else (os.cpu_count() or 1)
        self.max_mem_size = max_mem_size
        self.started_ms = int(time.time() * 1000)
        self.cloud_name = name or f"h2olite_{os.getpid()}"
        self.shutdown_requested = False
        self.on_shutdown = None       # set by the WSGI runner: stops the server process

    def model_key(self, user_agent: str, algo: str = "DeepLearning") -> str:
        """``DeepLearning_model_<ua>_<cluster start ms>_<n>``, as H2O names models."""
        return f"{algo}_model_{ua_tag(user_agent)}_{self.started_ms}_{self.store.next_number()}"


def ua_tag(user_agent: str | None) -> str:
    ua = user_agent or ""
    if "python" in ua.lower():
        return "python"
    if ua.startswith("R ") or "libcurl" in ua.lower() or ua.startswith("R/") or "httr" in ua.lower():
        return "R"
    letters = "".join(c for c in ua.split("/")[0] if c.isalpha())
    return letters or "rest"


class H2OJSONProvider(DefaultJSONProvider):
    """JSON as H2O writes it: NaN and infinities as the strings "NaN"/"Infinity"/"-Infinity".

    Bare NaN is not JSON and R's jsonlite rejects it. The fast path dumps directly; only a
    payload that holds a non-finite float is walked and rewritten.
    """

    sort_keys = False

    def dumps(self, obj, **kwargs):
        kwargs.setdefault("default", self.default)
        try:
            return json.dumps(obj, allow_nan=False, **kwargs)
        except ValueError:
            return json.dumps(_finite(obj), allow_nan=False, **kwargs)


def _finite(v):
    if isinstance(v, float):
        if v != v:
            return "NaN"
        if v in (math.inf, -math.inf):
            return "Infinity" if v > 0 else "-Infinity"
        return v
    if isinstance(v, dict):
        return {k: _finite(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_finite(x) for x in v]
    return v


def backend() -> Backend:
    return current_app.extensions["h2olite"]


def create_app(nthreads: int = -1, max_mem_size: int | None = None, name: str | None = None) -> Flask:
    app = Flask("h2olite_server")
    app.json = H2OJSONProvider(app)
    app.extensions["h2olite"] = Backend(nthreads, max_mem_size, name)

    from .api import cloud, dkv, jobs
    for module in (cloud, jobs, dkv):
        app.register_blueprint(module.api.blueprint)
    for optional in ("frames", "rapids", "models", "grids"):
        try:
            module = __import__(f"{__package__}.api.{optional}", fromlist=["api"])
        except ModuleNotFoundError as e:
            if e.name != f"{__package__}.api.{optional}":
                raise
            continue
        app.register_blueprint(module.api.blueprint)

    @app.errorhandler(H2OError)
    def h2o_error(e: H2OError):
        return jsonify(e.to_json()), e.http_status

    @app.errorhandler(HTTPException)
    def http_error(e: HTTPException):
        err = H2OError(f"{e.name}: {e.description}", http_status=e.code or 500)
        return jsonify(err.to_json()), err.http_status

    @app.errorhandler(Exception)
    def unexpected(e: Exception):
        # A bug must not kill the server nor leak as an HTML page: report it as H2O does.
        err = H2OError(f"{type(e).__name__}: {e}", http_status=500)
        body = err.to_json()
        body["stacktrace"] = traceback.format_exc().splitlines()
        return jsonify(body), 500

    return app


__all__ = ["create_app", "backend", "Backend", "__version__"]
