"""Errors raised anywhere in the backend and rendered as H2O's error JSON.

Views and workers raise these; the app's error handler turns them into ``H2OErrorV3``
(or ``H2OModelBuilderErrorV3``) bodies with a 4xx status so that clients can raise a
Python/R exception whose message names the problem. Nothing here ever stops the server.
"""
from __future__ import annotations

import time


class H2OError(Exception):
    """A request the backend refuses; ``http_status`` is 400 unless said otherwise."""

    http_status = 400

    def __init__(self, msg: str, http_status: int | None = None, **values):
        super().__init__(msg)
        self.msg = msg
        if http_status is not None:
            self.http_status = http_status
        self.values = values

    def to_json(self) -> dict:
        return {
            "__meta": {"schema_version": 3, "schema_name": "H2OErrorV3", "schema_type": "H2OError"},
            "timestamp": int(time.time() * 1000),
            "error_url": "",
            "msg": self.msg,
            "dev_msg": self.msg,
            "http_status": self.http_status,
            "values": self.values,
            "exception_type": type(self).__name__,
            "exception_msg": self.msg,
            "stacktrace": [],
        }


class H2ONotFound(H2OError):
    """An unknown key, file or route."""

    http_status = 404


class H2OModelBuilderError(H2OError):
    """Invalid model parameters: one message per offending field (HTTP 412, as H2O)."""

    http_status = 412

    def __init__(self, messages: list[dict], algo: str = "deeplearning"):
        errs = [m for m in messages if m["message_type"] == "ERRR"]
        text = "; ".join(f"{m['field_name']}: {m['message']}" if m.get("field_name") else m["message"]
                         for m in errs)
        super().__init__(f"Illegal argument(s) for DeepLearning model: {text}")
        self.messages = messages
        self.algo = algo

    def to_json(self) -> dict:
        body = super().to_json()
        body["__meta"] = {"schema_version": 3, "schema_name": "H2OModelBuilderErrorV3",
                          "schema_type": "H2OModelBuilderError"}
        body["messages"] = self.messages
        body["error_count"] = sum(m["message_type"] == "ERRR" for m in self.messages)
        body["parameters"] = {}
        return body


class JobCancelled(Exception):
    """Raised inside a job's worker when the user asked to cancel it."""
