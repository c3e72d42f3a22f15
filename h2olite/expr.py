"""Rapids expressions: how the client asks the backend to compute on frames.

H2OFrame operations are written as Rapids ASTs (``(cols_py train.hex "C785")``) and sent to
``POST /99/Rapids``. Results that are frames are stored under session temp keys
(``py_<n>_sid_<xxxx>``, as h2o-py names them); when the Python object holding such a key is
garbage-collected the key is queued here and removed with the next request, so ``h2o.ls()``
shows only what the user still holds.
"""
from __future__ import annotations

import collections
import itertools
import json
import math
import secrets
import threading
from urllib.parse import quote

from .backend import connection as _conn
from .exceptions import H2OConnectionError, H2OResponseError, H2OServerError

_counter = itertools.count(1)
_pending = collections.deque()        # keys of collected temp frames, waiting for removal
_session_lock = threading.Lock()


# --- keys and literals ---------------------------------------------------------------------
_UNSAFE_KEY_CHARS = set(" \t\r\n()[]{}\"'#,")


def check_key(key, what: str = "destination_frame") -> str:
    """A user-chosen frame key must be usable as a bare Rapids identifier (as in H2O)."""
    from .exceptions import H2OValueError
    if not isinstance(key, str) or not key or any(c in _UNSAFE_KEY_CHARS for c in key):
        raise H2OValueError(f"`{what}` {key!r} is not a usable key: use a non-empty name without spaces, "
                            "quotes, brackets, parentheses, '#' or ','", var_name=what)
    return key


def str_lit(s: str) -> str:
    """A Rapids string literal."""
    return json.dumps(str(s), ensure_ascii=False)


def num_lit(x) -> str:
    if x is None:
        return "NaN"
    if isinstance(x, bool):
        return "1" if x else "0"
    if isinstance(x, int):
        return str(x)
    x = float(x)
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Inf" if x > 0 else "-Inf"
    return repr(x)


def num_list(xs) -> str:
    return "[" + " ".join(num_lit(int(x)) for x in xs) + "]"


def str_list(xs) -> str:
    return "[" + " ".join(str_lit(x) for x in xs) + "]"


def span(start: int, count: int) -> str:
    """A contiguous index range in Rapids' ``[start:count]`` form."""
    return f"[{int(start)}:{int(count)}]"


def operand(value) -> str:
    """Any value a frame operation accepts, as a Rapids argument."""
    from .frame import H2OFrame
    if isinstance(value, H2OFrame):
        return value._ast()
    if isinstance(value, str):
        return str_lit(value)
    if value is None or isinstance(value, (bool, int, float)):
        return num_lit(value)
    try:
        import numpy as np
        if isinstance(value, np.generic):
            return num_lit(value.item())
    except ImportError:  # pragma: no cover
        pass
    raise TypeError(f"Cannot use a {type(value).__name__} in a frame expression: {value!r}")


# --- session and temp keys ---------------------------------------------------------------
def session_id() -> str:
    """This client's session id (``_sid_xxxx``), obtained once per connection."""
    conn = _conn.current()
    with _session_lock:
        if not getattr(conn, "session_id", None):
            sid = None
            try:
                sid = conn.request("POST /4/sessions").get("session_key")
            except (H2OResponseError, H2OServerError, AttributeError):
                sid = None
            conn.session_id = sid or f"_sid_{secrets.token_hex(2)}"
        return conn.session_id


def temp_key() -> str:
    return f"py_{next(_counter)}{session_id()}"


# --- requests ----------------------------------------------------------------------------
def rapids(ast: str) -> dict:
    """Evaluate ``ast`` on the backend and return its reply (frame key, scalar or string)."""
    conn = _conn.current()
    flush_removals()
    return conn.request("POST /99/Rapids", data={"ast": ast, "session_id": session_id()})


def remove_key(key: str, cascade: bool = True, missing_ok: bool = True) -> None:
    """``DELETE /3/DKV/{key}``; an already absent key is fine unless ``missing_ok`` is False."""
    try:
        _conn.current().request(f"DELETE /3/DKV/{quote(key, safe='')}", data={"cascade": cascade})
    except H2OResponseError as e:
        if not (missing_ok and e.http_status == 404):
            raise


def remove_frame(key: str, missing_ok: bool = True) -> None:
    """Remove a frame with Rapids ``(rm key)``, as h2o-py does: H2O counts the session's references
    to a ``tmp=`` frame, and a plain ``DELETE /3/DKV`` would leave those counts wrong."""
    conn = _conn.current()
    try:
        conn.request("POST /99/Rapids", data={"ast": f"(rm {key})", "session_id": session_id()})
    except H2OResponseError as e:
        if not missing_ok:
            raise
        if e.http_status != 404 and "not found" not in str(e).lower() and "no such" not in str(e).lower():
            raise


def schedule_removal(key: str) -> None:
    """Called from ``H2OFrame.__del__``: never talks to the server itself (it may run inside a request)."""
    _pending.append(key)


def flush_removals() -> None:
    """Remove the temp keys of frames that were garbage-collected."""
    conn = _conn.current(required=False)
    while _pending:
        try:
            key = _pending.popleft()
        except IndexError:
            break
        if conn is None:
            continue
        try:
            remove_frame(key)
        except (H2OResponseError, H2OServerError, H2OConnectionError):
            pass


def forget_pending_removals() -> None:
    """Drop queued removals (the backend is going away)."""
    _pending.clear()
