"""The HTTP connection to an h2olite (or H2O) backend.

``H2OConnection.request("GET /3/Cloud", data={...})`` sends parameters the way h2o-py does
(query string for GET/DELETE, form body for POST; lists as ``[a,b]``) and returns decoded
JSON. Error bodies (``H2OErrorV3``) become ``H2OResponseError`` carrying the backend's message.
"""
from __future__ import annotations

import json
import math
from urllib.parse import urlparse

import requests

from ..exceptions import H2OConnectionError, H2OResponseError, H2OServerError

USER_AGENT = "h2olite python client (Python)"

# proxies for a backend on this machine: none, whatever the environment's http_proxy says (a proxy
# cannot reach this machine's localhost, and without no_proxy requests would send it there)
NO_PROXIES = {"http": None, "https": None}


def is_local_host(host: str | None) -> bool:
    return host in ("localhost", "127.0.0.1", "::1", "0.0.0.0")


def proxies_for(url: str, proxies: dict | None) -> dict | None:
    """The proxies to reach ``url``: those given, else none for this machine, else the environment's."""
    return proxies or (NO_PROXIES if is_local_host(urlparse(url).hostname) else None)


def encode_value(v) -> str:
    """One parameter value in H2O's wire form."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        if math.isinf(v):
            return "Infinity" if v > 0 else "-Infinity"
        return repr(v)
    if isinstance(v, (list, tuple)):
        return "[" + ",".join(json.dumps(x) if isinstance(x, str) else "null" if x is None else encode_value(x)
                              for x in v) + "]"
    if isinstance(v, dict):
        return json.dumps(v)
    if hasattr(v, "frame_id"):
        return v.frame_id
    if hasattr(v, "model_id") and not isinstance(v, str):
        return v.model_id
    return str(v)


class H2OConnection:
    def __init__(self, base_url: str, timeout: float | None = None, verbose: bool = True):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.verbose = verbose
        self.session = requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT
        # a backend on this machine is never reached through the environment's proxy (an explicit
        # proxy, set on the session, still is); skipping the environment also saves its lookup
        self.session.trust_env = not is_local_host(urlparse(self.base_url).hostname)
        self.session_id: str | None = None
        self.local_server = None       # the LocalServer this client started, if any
        self.cluster = None            # H2OCluster, set by h2olite.init/connect
        self.proxy = None              # the proxies in use, shown by cluster().show_status()

    def request(self, endpoint: str, data: dict | None = None, json_body=None, filename: str | None = None,
                body: bytes | None = None, content_type: str | None = None, save_to: str | None = None,
                raw: bool = False, timeout: float | None = None):
        """Send ``"METHOD /path"`` and return the decoded JSON (or text/bytes when ``raw``)."""
        method, path = endpoint.split(" ", 1)
        url = self.base_url + path
        params = {k: encode_value(v) for k, v in (data or {}).items() if v is not None}
        kwargs = {"timeout": timeout or self.timeout}
        if method in ("GET", "DELETE"):
            kwargs["params"] = params
        elif filename is not None:
            kwargs["params"] = params
            with open(filename, "rb") as f:
                kwargs["data"] = f.read()
        elif body is not None:
            kwargs["params"] = params
            kwargs["data"] = body
            if content_type:
                kwargs["headers"] = {"Content-Type": content_type}
        elif json_body is not None:
            kwargs["json"] = json_body
        else:
            kwargs["data"] = params
        try:
            resp = self.session.request(method, url, stream=save_to is not None or raw, **kwargs)
        except requests.ConnectionError as e:
            raise H2OConnectionError(f"Cannot reach the h2olite backend at {self.base_url}: {e}") from None
        if resp.status_code >= 400:
            self._raise(resp)
        if save_to is not None:
            with open(save_to, "wb") as f:
                for chunk in resp.iter_content(1 << 20):
                    f.write(chunk)
            return save_to
        if raw:      # one read of the whole body: much faster than requests' 10 kB chunks
            return resp.raw.read(decode_content=True)
        ctype = resp.headers.get("Content-Type", "")
        if "json" in ctype:
            return resp.json()
        return resp.text

    def _raise(self, resp):
        try:
            body = resp.json()
        except ValueError:
            body = None
        msg = (body or {}).get("msg") or (body or {}).get("exception_msg") or resp.text[:500] or resp.reason
        if resp.status_code >= 500:
            raise H2OServerError(f"Server error {resp.status_code}: {msg}")
        raise H2OResponseError(msg, response_json=body, http_status=resp.status_code)

    def close(self):
        self.session.close()


_current: H2OConnection | None = None


def current(required: bool = True) -> H2OConnection | None:
    """The connection made by ``h2olite.init``/``connect``."""
    if _current is None and required:
        raise H2OConnectionError("Not connected to a backend: call h2olite.init() first")
    return _current


def set_current(conn: H2OConnection | None) -> None:
    global _current
    _current = conn


def api(endpoint: str, data=None, json=None, filename=None, save_to=None, **kw):
    """h2o-py's ``h2o.api``: one REST call on the current connection."""
    return current().request(endpoint, data=data, json_body=json, filename=filename, save_to=save_to, **kw)
