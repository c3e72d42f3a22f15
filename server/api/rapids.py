"""``POST /99/Rapids`` (frame expressions) and the client sessions that own temporary frames.

Replies as H2O does: ``RapidsFrameV3`` {key, num_rows, num_cols} for a frame (key null unless the
frame is stored, e.g. by ``(tmp= key expr)``), ``RapidsNumberV3``/``RapidsNumbersV3`` {scalar},
``RapidsStringV3``/``RapidsStringsV3`` {string}.
"""
from __future__ import annotations


from flask import current_app, jsonify

from ..app import backend
from ..json_values import json_number
from ..errors import H2OError
from ..frames.frame import Frame
from ..frames.rapids import evaluate
from ..frames.sessions import Sessions
from . import params
from .frames import frame_key_json
from .registry import Api, Param

api = Api("rapids")


def sessions() -> Sessions:
    ext = current_app.extensions
    if "h2olite_sessions" not in ext:
        ext.setdefault("h2olite_sessions", Sessions())
    return ext["h2olite_sessions"]


def _meta(name: str) -> dict:
    return {"schema_version": 3, "schema_name": name, "schema_type": "Iced"}




def result_json(value, store) -> dict:
    base = {"_exclude_fields": "", "ast": None, "session_id": None, "id": None}
    if isinstance(value, Frame):
        stored = value.key is not None and store.find(value.key) is not None
        return {"__meta": _meta("RapidsFrameV3"), **base,
                "key": frame_key_json(value.key if stored else None),
                "num_rows": value.nrow, "num_cols": value.ncol}
    if isinstance(value, str):
        return {"__meta": _meta("RapidsStringV3"), **base, "string": value}
    if isinstance(value, (list, tuple)):
        if all(isinstance(v, str) for v in value) and value:
            return {"__meta": _meta("RapidsStringsV3"), **base, "string": list(value)}
        return {"__meta": _meta("RapidsNumbersV3"), **base, "scalar": [json_number(v) for v in value]}
    if value is None:
        return {"__meta": _meta("RapidsNumberV3"), **base, "scalar": "NaN"}
    if isinstance(value, (int, float)):
        return {"__meta": _meta("RapidsNumberV3"), **base, "scalar": json_number(value)}
    raise H2OError(f"Rapids expression gave a value h2olite cannot return ({type(value).__name__})")


@api.route("/99/Rapids", "POST", "Evaluate a Rapids expression (the frame operations of h2o-py and the R client)",
           params={"ast": Param("string", "the expression, e.g. (tmp= k (cols_py fr \"C1\"))", required=True),
                   "session_id": Param("string", "session owning (tmp= ...) results")})
def rapids():
    args = params.all_args()
    ast = params.get("ast", args=args)
    sid = params.get("session_id", None, args=args)
    store = backend().store
    reg = sessions()
    value = evaluate(str(ast), store, on_tmp=lambda key: reg.add_tmp(sid, key))
    return jsonify(result_json(value, store))


@api.route("/4/sessions", "POST", "Start a client session (its id suffixes temporary keys)")
def new_session():
    return jsonify({"__meta": {"schema_version": 4, "schema_name": "SessionIdV4", "schema_type": "Iced"},
                    "_exclude_fields": "", "session_key": sessions().new()})


@api.route("/4/sessions/<sid>", "DELETE", "End a session and remove the temporary frames it made")
def end_session(sid):
    store = backend().store
    for key in sessions().end(sid):
        if isinstance(store.find(key), Frame):
            store.remove(key)
    return jsonify({"__meta": {"schema_version": 4, "schema_name": "SessionIdV4", "schema_type": "Iced"},
                    "_exclude_fields": "", "session_key": sid})


@api.route("/3/InitID", "GET", "Start a session (R client): session_key")
def init_id():
    return jsonify({"__meta": _meta("InitIDV3"), "_exclude_fields": "", "session_key": sessions().new()})


@api.route("/3/InitID", "DELETE", "End a session (R client)",
           params={"session_key": Param("string", "the session to end")})
def end_init_id():
    sid = params.get("session_key", None)
    if sid:
        return end_session(sid)
    return jsonify({"__meta": _meta("InitIDV3"), "_exclude_fields": "", "session_key": None})
