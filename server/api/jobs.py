"""Job polling and cancellation (``/3/Jobs``)."""
from __future__ import annotations

from flask import jsonify

from ..app import backend
from ..errors import H2OError
from ..jobs import Job
from . import params
from .registry import Api, Param

api = Api("jobs")


def _jobs_json(jobs):
    return {"__meta": {"schema_version": 3, "schema_name": "JobsV3", "schema_type": "Jobs"},
            "jobs": [j.to_json() for j in jobs]}


@api.route("/3/Jobs", "GET", "All jobs")
def list_jobs():
    return jsonify(_jobs_json(v for _, v in backend().store.items(Job)))


MAX_WAIT_MS = 1000


@api.route("/3/Jobs/<path:key>", "GET", "One job's status and progress",
           params={"wait_ms": Param("integer", "h2olite: answer as soon as the job ends, or after this many "
                                               f"milliseconds (at most {MAX_WAIT_MS})", default=0)})
def get_job(key):
    """With ``wait_ms`` (ours; H2O's clients never send it) the client learns of the end of a
    short job at once instead of at its next poll."""
    job = backend().store.get(key, Job, "job")
    wait_ms = params.as_int(params.get("wait_ms", 0), "wait_ms")
    if not 0 <= wait_ms <= MAX_WAIT_MS:
        raise H2OError(f"Parameter 'wait_ms' must be in [0, {MAX_WAIT_MS}], got {wait_ms}", field="wait_ms")
    if wait_ms:
        job.wait(wait_ms / 1000)
    return jsonify(_jobs_json([job]))


@api.route("/3/Jobs/<path:key>/cancel", "POST", "Ask a running job to stop at its next checkpoint")
def cancel_job(key):
    job = backend().store.get(key, Job, "job")
    job.cancel()
    return jsonify(_jobs_json([job]))
