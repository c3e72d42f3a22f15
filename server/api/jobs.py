"""Job polling and cancellation (``/3/Jobs``)."""
from __future__ import annotations

from flask import jsonify

from ..app import backend
from ..jobs import Job
from .registry import Api

api = Api("jobs")


def _jobs_json(jobs):
    return {"__meta": {"schema_version": 3, "schema_name": "JobsV3", "schema_type": "Jobs"},
            "jobs": [j.to_json() for j in jobs]}


@api.route("/3/Jobs", "GET", "All jobs")
def list_jobs():
    return jsonify(_jobs_json(v for _, v in backend().store.items(Job)))


@api.route("/3/Jobs/<path:key>", "GET", "One job's status and progress")
def get_job(key):
    return jsonify(_jobs_json([backend().store.get(key, Job, "job")]))


@api.route("/3/Jobs/<path:key>/cancel", "POST", "Ask a running job to stop at its next checkpoint")
def cancel_job(key):
    job = backend().store.get(key, Job, "job")
    job.cancel()
    return jsonify(_jobs_json([job]))
