"""Reading request parameters the way H2O's clients send them.

Python sends ``str(v)`` (``True``, ``1e-05``, ``[32, 32]``), R sends ``TRUE``/``FALSE`` and
``["a","b"]``; GET/DELETE carry them in the query string, POST as a form body (or JSON).
Every helper raises ``H2OError`` naming the parameter when a value cannot be read.
"""
from __future__ import annotations

import json
import math
import re

from flask import request

from ..errors import H2OError

_MISSING = object()


def all_args() -> dict[str, object]:
    """Query string, form fields and a JSON object body, merged (body wins)."""
    merged: dict[str, object] = dict(request.args.items())
    if request.form:
        merged.update(request.form.items())
    if request.is_json:
        body = request.get_json(silent=True)
        if isinstance(body, dict):
            merged.update(body)
    return merged


def get(name: str, default=_MISSING, args: dict | None = None):
    args = all_args() if args is None else args
    if name not in args or args[name] is None or args[name] == "":
        if default is _MISSING:
            raise H2OError(f"Missing required parameter '{name}'", field=name)
        return default
    return args[name]


def as_bool(value, name: str) -> bool:
    if isinstance(value, bool):
        return value
    s = str(value).strip().lower()
    if s in ("true", "1", "t", "yes"):
        return True
    if s in ("false", "0", "f", "no"):
        return False
    raise H2OError(f"Parameter '{name}' must be a boolean, got '{value}'", field=name)


def as_int(value, name: str) -> int:
    try:
        f = as_float(value, name)
        if f != int(f):
            raise ValueError
        return int(f)
    except (ValueError, OverflowError, H2OError):
        raise H2OError(f"Parameter '{name}' must be an integer, got '{value}'", field=name) from None


_SPECIAL_FLOATS = {"inf": math.inf, "infinity": math.inf, "+infinity": math.inf, "-inf": -math.inf,
                   "-infinity": -math.inf, "nan": math.nan}


def as_float(value, name: str) -> float:
    if isinstance(value, bool):
        raise H2OError(f"Parameter '{name}' must be a number, got '{value}'", field=name)
    if isinstance(value, (int, float)):
        return float(value)
    s = str(value).strip()
    if s.lower() in _SPECIAL_FLOATS:
        return _SPECIAL_FLOATS[s.lower()]
    try:
        return float(s)
    except ValueError:
        raise H2OError(f"Parameter '{name}' must be a number, got '{value}'", field=name) from None


_BARE_WORD = re.compile(r'(?<=[\[{,:=])\s*([A-Za-z_][A-Za-z0-9_.\-]*)\s*(?=[,\]}:=])')


def lenient_json(value, name: str):
    """Parse JSON as H2O's Gson-lenient reader does: bare words, ``=`` separators, single quotes."""
    if not isinstance(value, str):
        return value
    s = value.strip()
    try:
        return json.loads(s)
    except ValueError:
        pass
    t = s.replace("'", '"')
    t = re.sub(r'("[^"]*"|[A-Za-z_][A-Za-z0-9_.\-]*)\s*=', r"\1:", t)     # R's {"a"=1}
    t = _BARE_WORD.sub(lambda m: m.group(1) if m.group(1) in ("true", "false", "null") or _is_number(m.group(1))
                       else json.dumps(m.group(1)), t)
    t = re.sub(r'\bTRUE\b', "true", re.sub(r'\bFALSE\b', "false", t))
    try:
        return json.loads(t)
    except ValueError:
        raise H2OError(f"Parameter '{name}' is not valid JSON: {value!r}", field=name) from None


def _is_number(s: str) -> bool:
    try:
        float(s)
        return True
    except ValueError:
        return False


def as_list(value, name: str) -> list:
    """``[a,b]`` / ``["a","b"]`` / JSON list / a single bare value -> a Python list."""
    if isinstance(value, list):
        return value
    s = str(value).strip()
    if not s.startswith("["):
        return [s]
    parsed = lenient_json(s, name)
    if not isinstance(parsed, list):
        raise H2OError(f"Parameter '{name}' must be a list, got '{value}'", field=name)
    return parsed


def as_str_list(value, name: str) -> list[str]:
    return [str(v) for v in as_list(value, name)]
