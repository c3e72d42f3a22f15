"""Removing keys (``DELETE /3/DKV``), as h2o.remove / h2o.remove_all do."""
from __future__ import annotations

from flask import jsonify

from ..app import backend
from ..jobs import Job
from . import params
from .registry import Api, Param

api = Api("dkv")


def remove_key(key: str, cascade: bool = True) -> None:
    """Remove ``key``; with ``cascade`` also what it owns (a model's CV models, a grid's models)."""
    store = backend().store
    value = store.get(key, what="key")
    if isinstance(value, Job) and not value.finished:
        value.cancel()
    store.remove(key)
    if cascade:
        for owned in getattr(value, "owned_keys", lambda: [])():
            store.remove(owned)


@api.route("/3/DKV/<path:key>", "DELETE", "Remove one key (frame, model, grid, job)",
           params={"cascade": Param("boolean", "also remove what the object owns", default=True)})
def delete_key(key):
    remove_key(key, params.as_bool(params.get("cascade", True), "cascade"))
    return jsonify({"__meta": {"schema_version": 3, "schema_name": "RemoveV3", "schema_type": "Iced"},
                    "key": {"name": key}})


@api.route("/3/DKV", "DELETE", "Remove every key except retained_keys",
           params={"retained_keys": Param("array", "keys to keep")})
def delete_all():
    keep = set(params.as_str_list(params.get("retained_keys", "[]"), "retained_keys"))
    store = backend().store
    for key, value in store.items():
        if key in keep:
            continue
        if isinstance(value, Job):
            if not value.finished:
                continue       # a running job's key stays until it ends
        store.remove(key)
    return jsonify({"__meta": {"schema_version": 3, "schema_name": "RemoveAllV3", "schema_type": "Iced"}})
