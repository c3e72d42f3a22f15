"""Cluster status, shutdown and the API's own description."""
from __future__ import annotations

import os
import time

from flask import jsonify

from .. import __version__
from ..app import backend
from ..memory import physical_memory
from .registry import Api, openapi_document

api = Api("cloud")


@api.route("/3/Cloud", "GET", "Cluster status (CloudV3): version, uptime, nodes, threads, memory")
def cloud():
    b = backend()
    free, total = physical_memory()
    max_mem = b.max_mem_size or total
    now = int(time.time() * 1000)
    node = {
        "h2o": "127.0.0.1", "ip_port": "127.0.0.1", "healthy": True, "last_ping": now,
        "pid": os.getpid(), "num_cpus": os.cpu_count() or 1, "cpus_allowed": len(os.sched_getaffinity(0))
        if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "nthreads": b.nthreads, "free_mem": free, "max_mem": max_mem, "pojo_mem": 0,
        "sys_load": os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0,
        "num_keys": len(b.store.keys()),
    }
    return jsonify({
        "__meta": {"schema_version": 3, "schema_name": "CloudV3", "schema_type": "Iced"},
        "version": __version__, "branch_name": "h2olite", "build_number": "0",
        "build_age": "0 days", "build_too_old": False,
        "cloud_name": b.cloud_name, "cloud_size": 1, "cloud_uptime_millis": now - b.started_ms,
        "cloud_internal_timezone": "UTC", "datafile_parser_timezone": "UTC",
        "cloud_healthy": True, "bad_nodes": 0, "consensus": True, "locked": True,
        "is_client": False, "internal_security_enabled": False, "web_ip": "127.0.0.1",
        "nodes": [node],
    })


@api.route("/", "GET", "Liveness check")
def root():
    return jsonify({"h2olite": __version__})


@api.route("/3/Shutdown", "POST", "Stop the backend (after answering this request)")
def shutdown():
    b = backend()
    b.shutdown_requested = True
    if b.on_shutdown:
        b.on_shutdown()
    return jsonify({"__meta": {"schema_version": 3, "schema_name": "ShutdownV3", "schema_type": "Iced"}})


@api.route("/3/openapi.json", "GET", "This API as an OpenAPI 3 document")
def openapi():
    return jsonify(openapi_document(__version__))
