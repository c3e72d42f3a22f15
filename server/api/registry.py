"""Route declaration that feeds both Flask and the OpenAPI document.

Each blueprint module creates ``api = Api("frames")`` and declares views with
``@api.route("/3/Frames/<key>", "GET", "Frame metadata", params={...})``. The parameters are
documented once here and read in the view with the helpers of ``server.api.params``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask import Blueprint


@dataclass
class Param:
    type: str = "string"          # string | integer | number | boolean | array | object
    doc: str = ""
    required: bool = False
    default: object = None


@dataclass
class Route:
    rule: str
    method: str
    summary: str
    params: dict[str, Param] = field(default_factory=dict)
    body: str | None = None       # content type of a raw request body, when there is one
    returns: str = "application/json"


ROUTES: list[Route] = []


class Api:
    def __init__(self, name: str):
        self.blueprint = Blueprint(name, __name__)

    def route(self, rule: str, method: str, summary: str, params: dict[str, Param] | None = None,
              body: str | None = None, returns: str = "application/json"):
        def register(view):
            endpoint = f"{view.__name__}_{method.lower()}"
            self.blueprint.add_url_rule(rule, endpoint=endpoint, view_func=view, methods=[method])
            ROUTES.append(Route(rule, method, summary, params or {}, body, returns))
            return view
        return register


_PATH_PARAM = re.compile(r"<(?:[a-z]+:)?([a-zA-Z_]+)>")


def openapi_document(version: str) -> dict:
    """An OpenAPI 3.0 description of every registered route."""
    paths: dict[str, dict] = {}
    for r in ROUTES:
        path = _PATH_PARAM.sub(r"{\1}", r.rule)
        parameters = [{"name": n, "in": "path", "required": True, "schema": {"type": "string"}}
                      for n in _PATH_PARAM.findall(r.rule)]
        op: dict = {"summary": r.summary, "operationId": f"{r.method.lower()}_{re.sub(r'[^A-Za-z0-9]+', '_', path).strip('_')}",
                    "responses": {
                        "200": {"description": "OK", "content": {r.returns: {"schema": {"type": "object"} if r.returns == "application/json" else {"type": "string"}}}},
                        "400": {"description": "Bad request (H2OErrorV3)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/H2OErrorV3"}}}},
                        "404": {"description": "Unknown key (H2OErrorV3)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/H2OErrorV3"}}}},
                    }}
        fields = {n: _schema(p) for n, p in r.params.items()}
        required = [n for n, p in r.params.items() if p.required]
        if r.method in ("GET", "DELETE"):
            parameters += [{"name": n, "in": "query", "required": r.params[n].required,
                            "description": r.params[n].doc, "schema": s} for n, s in fields.items()]
        elif fields or r.body:
            content = {}
            if fields:
                schema = {"type": "object", "properties": fields}
                if required:
                    schema["required"] = required
                content["application/x-www-form-urlencoded"] = {"schema": schema}
            if r.body:
                content[r.body] = {"schema": {"type": "string", "format": "binary"}}
            op["requestBody"] = {"required": bool(required) or bool(r.body), "content": content}
        if parameters:
            op["parameters"] = parameters
        paths.setdefault(path, {})[r.method.lower()] = op
    return {
        "openapi": "3.0.3",
        "info": {"title": "h2olite REST API", "version": version,
                 "description": "H2O-3 compatible REST API of the h2olite backend."},
        "paths": paths,
        "components": {"schemas": {"H2OErrorV3": {"type": "object", "properties": {
            "msg": {"type": "string"}, "http_status": {"type": "integer"},
            "exception_type": {"type": "string"}}}}},
    }


def _schema(p: Param) -> dict:
    s: dict = {"type": p.type}
    if p.type == "array":
        s = {"type": "string", "description": "a list written as [a,b,c] (JSON or H2O's lenient form)"}
    if p.doc:
        s["description"] = p.doc
    return s
