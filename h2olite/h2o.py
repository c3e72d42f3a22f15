"""h2o-py's top-level functions: connecting, importing data, listing and removing keys.

``import h2olite as h2o`` then ``h2o.init()``, ``h2o.import_file(...)``, ``h2o.ls()``... behave as
in h2o-py (same names, arguments, defaults and return values). ``init`` starts a local backend
process (``python -m h2olite_server``) when nothing answers at the address.
"""
from __future__ import annotations

import atexit
import os
import warnings
from urllib.parse import urlparse

import requests

from . import expr as _ex
from .backend import connection as _conn
from .backend.cluster import H2OCluster
from .backend.connection import NO_PROXIES, H2OConnection, is_local_host, proxies_for
from .backend.server import DEFAULT_PORT, LocalServer, parse_mem_size
from .exceptions import (H2OConnectionError, H2ODeprecationWarning, H2OResponseError, H2OTypeError,
                         H2OValueError)
from .frame import H2OFrame, _is_int, wire_type
from .job import H2OJob, no_progress, show_progress

__all__ = ["init", "connect", "connection", "cluster", "shutdown", "api", "no_progress", "show_progress",
           "import_file", "upload_file", "lazy_import", "parse_setup", "parse_raw", "get_frame", "ls",
           "remove", "remove_all", "load_dataset", "frames", "frame", "rapids", "assign", "deep_copy",
           "as_list", "download_csv", "export_file", "H2OFrame", "H2OJob", "H2OCluster", "H2OConnection"]

# Arguments that configure the H2O Java process; the Python backend has no JVM to pass them to.
_JVM_ONLY = {"ice_root": None, "log_level": None, "max_log_file_size": None, "enable_assertions": True,
             "min_mem_size": None, "ignore_config": False, "extra_classpath": None, "jvm_custom_args": None}
_DEPRECATED_INIT = {"max_mem_size_GB": "max_mem_size", "min_mem_size_GB": "min_mem_size",
                    "force_connect": None, "as_port": None}


# --- connecting -----------------------------------------------------------------------------------
def _probe(base_url: str, auth=None, verify=True, proxies=None) -> tuple[str, dict | str | None]:
    """What answers at ``base_url``: ("h2o", cloud_json), ("other", description) or ("none", None)."""
    try:
        r = requests.get(base_url + "/3/Cloud", timeout=(2.0, 5.0), auth=auth, verify=verify,
                         proxies=proxies_for(base_url, proxies))
    except requests.exceptions.ConnectionError as e:
        if isinstance(e, requests.exceptions.ReadTimeout):
            return "other", "it accepted the connection but did not answer"
        return "none", None
    except requests.exceptions.Timeout:
        return "other", "it accepted the connection but did not answer in time"
    except requests.RequestException as e:
        return "other", str(e)
    try:
        body = r.json()
    except ValueError:
        return "other", f"it answered HTTP {r.status_code} with something that is not H2O's JSON"
    if r.status_code == 200 and isinstance(body, dict) and "cloud_name" in body and "nodes" in body:
        return "h2o", body
    return "other", f"it answered HTTP {r.status_code} but not as an H2O backend"


def _base_url(url, ip, port, https) -> tuple[str, str, int]:
    if url is not None:
        if not isinstance(url, str):
            raise H2OTypeError("url", url, type(url).__name__, "str")
        u = urlparse(url if "://" in url else "http://" + url)
        if u.scheme not in ("http", "https") or not u.hostname:
            raise H2OValueError(f"`url` must look like http://host:port, got {url!r}", var_name="url")
        port = u.port or (443 if u.scheme == "https" else DEFAULT_PORT)
        return f"{u.scheme}://{u.hostname}:{port}{u.path.rstrip('/')}", u.hostname, port
    ip = "localhost" if ip is None else ip
    if not isinstance(ip, str) or not ip:
        raise H2OTypeError("ip", ip, type(ip).__name__, "str")
    if port is None:
        port = DEFAULT_PORT
    if isinstance(port, str) and port.strip().isdigit():
        port = int(port.strip())
    if isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535:
        raise H2OValueError(f"`port` must be an integer in 1..65535, got {port!r}", var_name="port")
    scheme = "https" if https else "http"
    return f"{scheme}://{ip}:{port}", ip, port


def _open(base_url: str, cloud_json: dict, verbose: bool, local_server=None, auth=None, verify=True,
          proxies=None, cookies=None) -> H2OConnection:
    conn = H2OConnection(base_url, verbose=verbose)
    if auth is not None:
        conn.session.auth = auth
    conn.session.verify = verify
    if proxies:
        conn.session.proxies.update(proxies)
    if cookies:
        for c in cookies if isinstance(cookies, (list, tuple)) else [cookies]:
            k, _, v = str(c).partition("=")
            conn.session.cookies.set(k.strip(), v.strip())
    conn.proxy = proxies or {"http": None, "https": None}
    old = _conn.current(required=False)
    if local_server is None and old is not None and old.local_server is not None \
            and old.local_server.url == base_url and old.local_server.is_running():
        local_server = old.local_server          # reconnecting to the backend we started
    conn.local_server = local_server
    conn.cluster = H2OCluster(cloud_json, conn)
    if old is not None and old is not conn:
        if old.base_url == base_url:
            conn.session_id = old.session_id      # same backend: frames held in Python stay valid
            old.session_id = None
        else:
            _end_session(old)
        old.close()
    _conn.set_current(conn)
    atexit.register(_end_session, conn)
    return conn


def _end_session(conn: H2OConnection) -> None:
    """End the client's session: the backend removes the temp frames it made (as h2o-py does at exit)."""
    sid = getattr(conn, "session_id", None)
    if not sid or conn.local_server is not None:       # our own backend goes away with us anyway
        return
    conn.session_id = None
    try:
        conn.request(f"DELETE /4/sessions/{sid}", timeout=5)
        if conn.verbose:
            print(f"H2O session {sid} closed.")
    except Exception:
        pass


def init(url=None, ip=None, port=None, name=None, https=None, cacert=None, insecure=None, username=None,
         password=None, cookies=None, proxy=None, start_h2o=True, nthreads=-1, ice_root=None, log_dir=None,
         log_level=None, max_log_file_size=None, enable_assertions=True, max_mem_size=None, min_mem_size=None,
         strict_version_check=None, ignore_config=False, extra_classpath=None, jvm_custom_args=None,
         bind_to_localhost=True, verbose=True, **kwargs) -> None:
    """Connect to the backend at ``ip:port`` (default localhost:54321), or start a local one.

    Prints the cluster status when ``verbose``; returns None. A backend started here stops when this
    Python process exits. ``max_mem_size`` (int < 1000 = GB, else bytes, or "4G"/"160M") is the memory
    the backend reports as its limit. Options that only configure H2O's Java process (``ice_root``,
    ``log_level``, ``max_log_file_size``, ``enable_assertions``, ``min_mem_size``, ``ignore_config``,
    ``extra_classpath``, ``jvm_custom_args``) have nothing to act on here: setting them warns.
    """
    kwargs.pop("telemetry", None)       # h2o's telemetry switch: h2olite never sends telemetry
    for k in list(kwargs):
        if k in _DEPRECATED_INIT:
            new = _DEPRECATED_INIT[k]
            warnings.warn(f"init(): `{k}` is deprecated" + (f", use `{new}`" if new else ""), H2ODeprecationWarning)
            v = kwargs.pop(k)
            if k == "max_mem_size_GB" and max_mem_size is None:
                max_mem_size = f"{v}G"
            if k == "min_mem_size_GB" and min_mem_size is None:
                min_mem_size = f"{v}G"
    if kwargs:
        raise H2OValueError(f"Unknown argument(s) to init(): {', '.join(sorted(kwargs))}")
    if not isinstance(nthreads, int) or isinstance(nthreads, bool) or nthreads == 0 or nthreads < -1:
        raise H2OValueError(f"`nthreads` must be -1 (all cores) or a positive integer, got {nthreads!r}",
                            var_name="nthreads")
    max_bytes = parse_mem_size(max_mem_size, "max_mem_size")
    min_bytes = parse_mem_size(min_mem_size, "min_mem_size")
    if max_bytes and min_bytes and min_bytes > max_bytes:
        raise H2OValueError("`min_mem_size` must not exceed `max_mem_size`", var_name="min_mem_size")
    given = dict(ice_root=ice_root, log_level=log_level, max_log_file_size=max_log_file_size,
                 enable_assertions=enable_assertions, min_mem_size=min_mem_size, ignore_config=ignore_config,
                 extra_classpath=extra_classpath, jvm_custom_args=jvm_custom_args)
    ignored = [k for k, v in given.items() if v != _JVM_ONLY[k]]
    if ignored:
        warnings.warn(f"init(): {', '.join(ignored)} configure H2O's Java process and have no effect on the "
                      "h2olite backend", RuntimeWarning, stacklevel=2)
    if name is not None and not isinstance(name, str):
        raise H2OTypeError("name", name, type(name).__name__, "str")
    auth = (username, password) if username is not None else None
    verify = False if insecure else (cacert or True)
    proxies = {"http": proxy, "https": proxy} if proxy else None

    base_url, host, port_num = _base_url(url, ip, port, https)
    if verbose:
        print(f"Checking whether there is an H2O instance running at {base_url}", end="", flush=True)
    state, info = _probe(base_url, auth, verify, proxies)
    if state == "h2o":
        if verbose:
            print(". connected.")
        if name is not None and info.get("cloud_name") != name:
            raise H2OConnectionError(f"The backend at {base_url} is named {info.get('cloud_name')!r}, not {name!r}")
        conn = _open(base_url, info, verbose, None, auth, verify, proxies, cookies)
    else:
        if verbose:
            print("..... not found." if state == "none" else f"..... {info}.")
        if not start_h2o:
            if state == "other":
                raise H2OConnectionError(f"Port {port_num} at {host} is held by a program that is not an H2O "
                                         f"backend ({info}); start_h2o=False, so no backend was started")
            raise H2OConnectionError(f"No H2O backend answers at {base_url} and start_h2o=False")
        if not is_local_host(host):
            raise H2OConnectionError(f"No H2O backend answers at {base_url}; a backend can only be started "
                                     "on this machine (ip localhost/127.0.0.1)")
        if state == "other" and verbose:
            print(f"Port {port_num} is held by a program that is not an H2O backend.")
        if verbose:
            print("Attempting to start a local h2olite server...")
        server = LocalServer.start(port=port_num, nthreads=nthreads, max_mem_size=max_bytes, name=name,
                                   bind_to_localhost=bind_to_localhost, log_dir=log_dir, verbose=verbose)
        if verbose:
            print(f"  Server is running at {server.url}")
            print(f"Connecting to H2O server at {server.url} ...", end="", flush=True)
        cloud = requests.get(server.url + "/3/Cloud", timeout=10, proxies=NO_PROXIES).json()
        conn = _open(server.url, cloud, verbose, server, auth, verify, proxies, cookies)
        if verbose:
            print(" successful.")
    if strict_version_check:
        conn.cluster.check_version(strict=True)
    if verbose:
        conn.cluster.show_status()
    return None


def connect(server=None, url=None, ip=None, port=None, https=None, verify_ssl_certificates=None, cacert=None,
            auth=None, proxy=None, cookies=None, verbose=True, config=None, strict_version_check=False,
            telemetry=None):
    """Connect to a running backend (never starts one); returns the connection.
    (``telemetry`` is accepted for h2o's signature; h2olite never sends telemetry.)"""
    if config is not None:
        if not isinstance(config, dict):
            raise H2OTypeError("config", config, type(config).__name__, "dict")
        c = config.get("connect_params", config)
        url, ip, port = c.get("url", url), c.get("ip", ip), c.get("port", port)
        https, verbose = c.get("https", https), c.get("verbose", verbose)
    if server is not None:
        if not isinstance(server, LocalServer):
            raise H2OTypeError("server", server, type(server).__name__, "LocalServer")
        url = server.url
    base_url, _host, _port = _base_url(url, ip, port, https)
    verify = False if verify_ssl_certificates is False else (cacert or True)
    proxies = {"http": proxy, "https": proxy} if proxy else None
    if verbose:
        print(f"Connecting to H2O server at {base_url} ...", end="", flush=True)
    state, info = _probe(base_url, auth, verify, proxies)
    if state != "h2o":
        if verbose:
            print(" failed.")
        raise H2OConnectionError(f"Could not connect to an H2O backend at {base_url}"
                                 + ("" if state == "none" else f": {info}"))
    conn = _open(base_url, info, verbose, server, auth, verify, proxies, cookies)
    if verbose:
        print(" successful.")
    if strict_version_check:
        conn.cluster.check_version(strict=True)
    if verbose:
        conn.cluster.show_status()
    return conn


def connection():
    """The current connection (None if not connected)."""
    return _conn.current(required=False)


def cluster() -> H2OCluster | None:
    """The cluster the client is connected to (None if not connected)."""
    conn = _conn.current(required=False)
    if conn is None:
        return None
    if getattr(conn, "cluster", None) is None:
        conn.cluster = H2OCluster(conn.request("GET /3/Cloud"), conn)
    return conn.cluster


def shutdown(prompt=False) -> None:
    """Deprecated in h2o-py: use ``h2o.cluster().shutdown()``."""
    warnings.warn("h2o.shutdown is deprecated, use h2o.cluster().shutdown()", H2ODeprecationWarning, stacklevel=2)
    c = cluster()
    if c is None:
        raise H2OConnectionError("Not connected to a backend")
    c.shutdown(prompt)


def api(endpoint, data=None, json=None, filename=None, save_to=None):
    """One raw REST call on the current connection: ``api("GET /3/Cloud")`` -> decoded JSON."""
    return _conn.api(endpoint, data=data, json=json, filename=filename, save_to=save_to)


# --- importing --------------------------------------------------------------------------------------
def _check_header_sep(header, sep):
    if header not in (-1, 0, 1) or isinstance(header, bool):
        raise H2OValueError(f"`header` must be -1 (no header), 0 (guess) or 1 (first line is a header), "
                            f"got {header!r}", var_name="header")
    if sep is not None:
        _check_sep(sep)


def _check_sep(sep):
    if not isinstance(sep, str) or len(sep) != 1:
        raise H2OValueError(f"`sep` must be a single character, got {sep!r}", var_name="sep")


def _check_tz(tz_adjust_to_local):
    if tz_adjust_to_local:
        raise H2OValueError("`tz_adjust_to_local` is not supported: the h2olite backend parses times as UTC",
                            var_name="tz_adjust_to_local")


def _check_parse_options(partition_by, custom_non_data_line_markers, quotechar, escapechar):
    if partition_by is not None:
        raise H2OValueError("`partition_by` (Hive-style partitioned directories) is not supported by h2olite",
                            var_name="partition_by")
    if custom_non_data_line_markers is not None:
        raise H2OValueError("`custom_non_data_line_markers` is not supported by h2olite",
                            var_name="custom_non_data_line_markers")
    if quotechar is not None and quotechar not in ("'", '"'):
        raise H2OValueError(f"`quotechar` must be ' or \", got {quotechar!r}", var_name="quotechar")
    if escapechar is not None:
        raise H2OValueError("`escapechar` is not supported by the h2olite backend (quotes are escaped by "
                            "doubling them, as in standard CSV)", var_name="escapechar")


def _parse_or_drop(raw: list[str], **setup_args) -> H2OFrame:
    """ParseSetup + Parse; if anything fails, the raw keys registered for it are removed again."""
    try:
        return parse_raw(parse_setup(raw, **setup_args))
    except BaseException:
        for key in raw:
            try:
                _ex.remove_key(key)
            except Exception:
                pass
        raise


def lazy_import(path, pattern=None) -> list[str]:
    """Register file(s) with the backend without parsing; returns the raw keys.

    URLs of H2O's public test-data bucket whose file ships with h2olite are read from the shipped
    copy, so H2O's examples run offline; other http(s) URLs are downloaded once into a local cache."""
    paths = path if isinstance(path, (list, tuple)) else [path]
    if not paths or not all(isinstance(p, str) and p for p in paths):
        raise H2OValueError(f"`path` must be a file/directory path or a list of them, got {path!r}", var_name="path")
    if pattern is not None and not isinstance(pattern, str):
        raise H2OTypeError("pattern", pattern, type(pattern).__name__, "str")
    from .datasets import resolve_url
    absolute = [resolve_url(p) if "://" in p else os.path.abspath(os.path.expanduser(p)) for p in paths]
    resp = _conn.current().request("POST /3/ImportFilesMulti", data={"paths": absolute, "pattern": pattern})
    if resp.get("fails"):
        raise ValueError(f"ImportFiles of '{', '.join(absolute)}' failed on {resp['fails']}")
    keys = resp.get("destination_frames") or []
    if not keys:
        raise H2OValueError(f"No files found at {', '.join(absolute)}" + (f" matching {pattern!r}" if pattern else ""),
                            var_name="path")
    return keys


def parse_setup(raw_frames, destination_frame=None, header=0, separator=None, column_names=None,
                column_types=None, na_strings=None, skipped_columns=None, force_col_types=False,
                custom_non_data_line_markers=None, partition_by=None, quotechar=None, escapechar=None,
                tz_adjust_to_local=False) -> dict:
    """Ask the backend to guess how to parse raw keys, then apply the user's names/types/NA strings."""
    _check_header_sep(header, separator)
    _check_tz(tz_adjust_to_local)
    _check_parse_options(partition_by, custom_non_data_line_markers, quotechar, escapechar)
    raw = raw_frames if isinstance(raw_frames, (list, tuple)) else [raw_frames]
    data = {"source_frames": list(raw), "check_header": header,
            "separator": ord(separator) if separator else None, "single_quotes": quotechar == "'"}
    setup = _conn.current().request("POST /3/ParseSetup", data=data)
    ncols = int(setup.get("number_columns") or len(setup.get("column_types") or []))
    names = list(setup.get("column_names") or [f"C{i + 1}" for i in range(ncols)])
    if column_names is not None:
        if not isinstance(column_names, (list, tuple)) or not all(isinstance(n, str) for n in column_names):
            raise H2OTypeError("col_names", column_names, type(column_names).__name__, "list of str")
        if len(column_names) != ncols:
            raise H2OValueError(f"`col_names` has {len(column_names)} names but the file has {ncols} columns",
                                var_name="col_names")
        if len(set(column_names)) != len(column_names):
            raise H2OValueError("`col_names` must be unique", var_name="col_names")
        names = list(column_names)
        setup["column_names"] = names
    if column_types is not None:
        types = list(setup.get("column_types") or ["Numeric"] * ncols)
        if isinstance(column_types, dict):
            for k, t in column_types.items():
                if k not in names:
                    raise H2OValueError(f"`col_types` names column '{k}', which is not in the file (columns: "
                                        f"{', '.join(names[:10])}{' ...' if len(names) > 10 else ''})",
                                        var_name="col_types")
                types[names.index(k)] = wire_type(t, "col_types")
        elif isinstance(column_types, (list, tuple)):
            if len(column_types) != ncols:
                raise H2OValueError(f"`col_types` has {len(column_types)} entries but the file has {ncols} columns",
                                    var_name="col_types")
            types = [wire_type(t, "col_types") or g for t, g in zip(column_types, types)]
        else:
            raise H2OTypeError("col_types", column_types, type(column_types).__name__, "list or dict")
        setup["column_types"] = types
    if na_strings is not None:
        if isinstance(na_strings, dict):
            per = [[] for _ in range(ncols)]
            for k, v in na_strings.items():
                if k not in names:
                    raise H2OValueError(f"`na_strings` names column '{k}', which is not in the file",
                                        var_name="na_strings")
                per[names.index(k)] = [v] if isinstance(v, str) else list(v)
        elif isinstance(na_strings, (list, tuple)) and all(isinstance(x, str) for x in na_strings):
            per = [list(na_strings) for _ in range(ncols)]
        elif isinstance(na_strings, (list, tuple)) and len(na_strings) == ncols:
            per = [[] if v is None else ([v] if isinstance(v, str) else list(v)) for v in na_strings]
        else:
            raise H2OValueError("`na_strings` must be a list of strings, a list with one list per column, or a "
                                "dict {column: [strings]}", var_name="na_strings")
        setup["na_strings"] = per
    if skipped_columns is not None:
        bad = [i for i in skipped_columns if not isinstance(i, int) or not 0 <= i < ncols]
        if bad:
            raise H2OValueError(f"`skipped_columns` indices {bad} are out of range for {ncols} columns",
                                var_name="skipped_columns")
        setup["skipped_columns"] = sorted(set(skipped_columns))
    if destination_frame is not None:
        setup["destination_frame"] = _ex.check_key(destination_frame)
    setup["force_col_types"] = bool(force_col_types)
    return setup


def parse_raw(setup: dict, id=None, first_line_is_header=0) -> H2OFrame:
    """Parse raw keys with a setup from ``parse_setup``; returns the frame."""
    if id is not None:
        setup["destination_frame"] = id
    if first_line_is_header in (-1, 1):
        setup["check_header"] = first_line_is_header
    dest = setup.get("destination_frame")
    if isinstance(dest, dict):
        dest = dest.get("name")
    fields = ("parse_type", "separator", "single_quotes", "check_header", "number_columns", "chunk_size",
              "column_names", "column_types", "na_strings", "skipped_columns", "force_col_types",
              "escapechar", "quotechar")
    data = {f: setup[f] for f in fields if setup.get(f) is not None}
    data["source_frames"] = [s["name"] if isinstance(s, dict) else s for s in setup["source_frames"]]
    data["destination_frame"] = dest
    data["delete_on_done"] = True
    data["blocking"] = False
    resp = _conn.current().request("POST /3/Parse", data=data)
    job = H2OJob(resp, "Parse").poll()
    # The metadata (column statistics) is fetched when first needed, as h2o-py's lazy frames do.
    return H2OFrame._wrap(job.dest_key or dest)


def import_file(path=None, destination_frame=None, parse=True, header=0, sep=None, col_names=None,
                col_types=None, na_strings=None, pattern=None, skipped_columns=None, force_col_types=False,
                custom_non_data_line_markers=None, partition_by=None, quotechar=None, escapechar=None,
                tz_adjust_to_local=False):
    """Read a file, a list of files or a directory on the backend (CSV/TSV, .gz, .zip, Parquet).

    Returns the parsed H2OFrame (key ``<file stem>.hex`` unless ``destination_frame``), or with
    ``parse=False`` the list of raw keys. ``header``: -1 none, 0 guess, 1 first line.
    """
    if path is None:
        raise H2OValueError("import_file() needs a `path`", var_name="path")
    _check_tz(tz_adjust_to_local)
    _check_header_sep(header, sep)
    if destination_frame is not None:
        _ex.check_key(destination_frame)
    _check_parse_options(partition_by, custom_non_data_line_markers, quotechar, escapechar)
    raw = lazy_import(path, pattern)
    if not parse:
        return raw
    return _parse_or_drop(raw, destination_frame=destination_frame, header=header, separator=sep,
                          column_names=col_names, column_types=col_types, na_strings=na_strings,
                          skipped_columns=skipped_columns, force_col_types=force_col_types, quotechar=quotechar)


def upload_file(path, destination_frame=None, header=0, sep=None, col_names=None, col_types=None,
                na_strings=None, skipped_columns=None, force_col_types=False, quotechar=None, escapechar=None):
    """Send a local file's bytes to the backend (POST /3/PostFile) and parse it; returns the H2OFrame."""
    if not isinstance(path, str) or not path:
        raise H2OTypeError("path", path, type(path).__name__, "str")
    full = os.path.abspath(os.path.expanduser(path))
    if not os.path.isfile(full):
        raise H2OValueError(f"File {full} does not exist", var_name="path")
    _check_header_sep(header, sep)
    _check_parse_options(None, None, quotechar, escapechar)
    resp = _conn.current().request("POST /3/PostFile", filename=full)
    return _parse_or_drop([resp["destination_frame"]], destination_frame=destination_frame, header=header,
                          separator=sep, column_names=col_names, column_types=col_types, na_strings=na_strings,
                          skipped_columns=skipped_columns, force_col_types=force_col_types, quotechar=quotechar)


def load_dataset(relative_path) -> H2OFrame:
    """A small dataset shipped with h2olite, by short name ("iris", "prostate", "mnist_train", ...)
    or by path under the data directory ("smalldata/iris/iris_wheader.csv")."""
    from .datasets import path as dataset_path
    full = dataset_path(relative_path)
    conn = _conn.current()
    host = urlparse(conn.base_url).hostname or ""
    return import_file(full) if is_local_host(host) else upload_file(full)


# --- keys -------------------------------------------------------------------------------------------
def get_frame(frame_id, **kwargs) -> H2OFrame | None:
    """The frame stored under ``frame_id``, or None if there is none."""
    if not isinstance(frame_id, str):
        raise H2OTypeError("frame_id", frame_id, type(frame_id).__name__, "str")
    try:
        return H2OFrame.get_frame(frame_id, **kwargs)
    except H2OResponseError as e:
        if e.http_status == 404:
            return None
        raise


def ls():
    """Every key on the backend (frames, models, grids), as a pandas DataFrame with the column ``key``."""
    import pandas as pd
    _ex.flush_removals()
    key = _ex.temp_key()
    _ex.rapids(f"(tmp= {key} (ls))")
    try:
        df = H2OFrame._wrap(key).as_data_frame(use_pandas=True)
    finally:
        _ex.remove_frame(key)
    if "key" not in df.columns and len(df.columns) == 1:
        df.columns = ["key"]
    return pd.DataFrame({"key": df["key"].astype(str).tolist() if len(df) else []})


def _key_of(x):
    if isinstance(x, H2OFrame):
        return x.frame_id
    if isinstance(x, str):
        return x
    for attr in ("model_id", "grid_id", "key"):
        v = getattr(x, attr, None)
        if isinstance(v, str):
            return v
    raise H2OTypeError("x", x, type(x).__name__, "H2OFrame, model, grid, key string or a list of them")


def remove(x, cascade=True) -> None:
    """Remove a frame, model, grid or key (or a list of them) from the backend; frames are detached."""
    items = x if isinstance(x, (list, tuple)) else [x]
    for item in items:
        key = _key_of(item)
        if key is None:
            continue
        if isinstance(item, H2OFrame):
            _ex.remove_frame(key)
            item.detach()
        else:
            _ex.remove_key(key, cascade=cascade)


def remove_all(retained=None) -> None:
    """Remove every key except those in ``retained`` (frames, models or key strings)."""
    keep = [_key_of(r) for r in (retained or [])]
    _ex.forget_pending_removals()
    _conn.current().request("DELETE /3/DKV", data={"retained_keys": keep})


def frames() -> dict:
    """The raw ``GET /3/Frames`` answer."""
    return _conn.current().request("GET /3/Frames")


def frame(frame_id) -> dict:
    """The raw ``GET /3/Frames/{id}`` answer."""
    return _conn.current().request(f"GET /3/Frames/{frame_id}")


def rapids(expr) -> dict:
    """Evaluate a Rapids expression on the backend and return its raw answer."""
    return _ex.rapids(expr)


def assign(data: H2OFrame, xid: str) -> H2OFrame:
    """Store ``data`` under the key ``xid`` (renaming it); returns ``data``."""
    if not isinstance(data, H2OFrame):
        raise H2OTypeError("data", data, type(data).__name__, "H2OFrame")
    data.frame_id = xid
    return data


def deep_copy(data: H2OFrame, xid: str) -> H2OFrame:
    """A copy of ``data`` stored under ``xid``."""
    if not isinstance(data, H2OFrame):
        raise H2OTypeError("data", data, type(data).__name__, "H2OFrame")
    if not isinstance(xid, str) or not xid:
        raise H2OTypeError("xid", xid, type(xid).__name__, "str")
    return data._result(f"(cols_py {data.frame_id} {_ex.span(0, data.ncol)})", key=xid)


def as_list(data: H2OFrame, use_pandas=True, header=True):
    """Same as ``data.as_data_frame(use_pandas, header)``."""
    return data.as_data_frame(use_pandas=use_pandas, header=header)


def download_csv(data: H2OFrame, filename: str) -> str:
    """Write the frame as CSV to a local file; returns the file name."""
    if not isinstance(data, H2OFrame):
        raise H2OTypeError("data", data, type(data).__name__, "H2OFrame")
    return _conn.current().request("GET /3/DownloadDataset", data={"frame_id": data.frame_id}, save_to=filename)


def export_file(frame: H2OFrame, path: str, force=False, sep=",", compression=None, parts=1, header=True,
                quote_header=True, parallel=False, format="csv", write_checksum=True, tz_adjust_from_local=False):
    """Write ``frame`` to ``path`` on the backend's file system: CSV (``compression="gzip"``
    optional) or ``format="parquet"``.  As with ``save_model``, a relative path is taken from this
    process's working directory.  h2olite writes one file (``parts`` must be 1 or -1); a parquet
    file gets Hadoop's ``.<name>.crc`` beside it unless ``write_checksum=False``, as in H2O."""
    if not isinstance(frame, H2OFrame):
        raise H2OTypeError("frame", frame, type(frame).__name__, "H2OFrame")
    if not isinstance(path, str) or not path:
        raise H2OValueError("`path` must be a non-empty file path, got %r" % (path,), var_name="path")
    _check_sep(sep)
    for name, value in (("force", force), ("header", header), ("quote_header", quote_header),
                        ("parallel", parallel), ("write_checksum", write_checksum),
                        ("tz_adjust_from_local", tz_adjust_from_local)):
        if not isinstance(value, bool):
            raise H2OTypeError(name, value, type(value).__name__, "bool")
    if not _is_int(parts):
        raise H2OTypeError("parts", parts, type(parts).__name__, "int")
    target = os.path.abspath(os.path.expanduser(path))
    H2OJob(api("POST /3/Frames/%s/export" % frame.frame_id,
               data={"path": target, "num_parts": parts, "force": force, "compression": compression,
                     "separator": ord(sep), "header": header, "quote_header": quote_header, "parallel": parallel,
                     "format": format, "write_checksum": write_checksum,
                     "tz_adjust_from_local": tz_adjust_from_local}), "Export File").poll()
