"""``H2OCluster``: the backend's status (``GET /3/Cloud``) and its shutdown, as in h2o-py."""
from __future__ import annotations

import json
import sys
import time

from ..display import human_bytes, human_time, tabulate
from ..exceptions import H2OConnectionError, H2OResponseError, H2OServerError, H2OTypeError
from . import connection as _conn

STATUS_KEYS = ["H2O_cluster_uptime", "H2O_cluster_timezone", "H2O_data_parsing_timezone",
               "H2O_cluster_version", "H2O_cluster_version_age", "H2O_cluster_name", "H2O_cluster_total_nodes",
               "H2O_cluster_free_memory", "H2O_cluster_total_cores", "H2O_cluster_allowed_cores",
               "H2O_cluster_status", "H2O_connection_url", "H2O_connection_proxy", "H2O_internal_security",
               "Python_version"]

NODE_KEYS = ["h2o", "healthy", "last_ping", "num_cpus", "sys_load", "nthreads", "free_mem", "max_mem",
             "pid", "num_keys"]


class H2OCluster:
    """Information about the backend a connection talks to (one node for h2olite)."""

    REFRESH_INTERVAL = 1.0

    def __init__(self, cloud_json: dict, connection=None):
        self._connection = connection
        self._fill(cloud_json)

    @staticmethod
    def from_kvs(cloud_json: dict, connection=None) -> "H2OCluster":
        return H2OCluster(cloud_json, connection)

    def _fill(self, cloud_json: dict) -> None:
        self._props = dict(cloud_json)
        self._retrieved_at = time.time()

    def _conn(self):
        return self._connection or _conn.current()

    def _refresh(self, force: bool = False) -> None:
        if force or self._retrieved_at + self.REFRESH_INTERVAL < time.time():
            self._fill(self._conn().request("GET /3/Cloud"))

    def __getattr__(self, name):
        # version, cloud_name, cloud_size, cloud_uptime_millis, cloud_healthy, nodes, ... straight from CloudV3
        props = self.__dict__.get("_props")
        if props is not None and name in props:
            return props[name]
        raise AttributeError(name)

    @property
    def nodes(self) -> list[dict]:
        return self._props.get("nodes", [])

    @property
    def timezone(self) -> str:
        return self._props.get("cloud_internal_timezone", "UTC")

    @property
    def cloud_uptime_millis(self) -> int:
        self._refresh()
        return self._props.get("cloud_uptime_millis", 0)

    # --- h2o-py's methods ------------------------------------------------------------------
    def is_running(self) -> bool:
        """True if the backend answers."""
        try:
            conn = self._conn()
            if conn.local_server is not None and not conn.local_server.is_running():
                return False
            conn.request("GET /", timeout=5)
            return True
        except (H2OConnectionError, H2OServerError, H2OResponseError):
            return False

    def shutdown(self, prompt: bool = False) -> None:
        """Stop the backend (POST /3/Shutdown) and close the connection."""
        if not isinstance(prompt, bool):
            raise H2OTypeError("prompt", prompt, type(prompt).__name__, "bool")
        if not self.is_running():
            return
        conn = self._conn()
        if prompt:
            answer = input(f"Are you sure you want to shutdown the H2O instance running at {conn.base_url} (Y/N)? ")
            if answer.strip().lower() not in ("y", "yes"):
                return
        from ..expr import forget_pending_removals
        forget_pending_removals()
        conn.request("POST /3/Shutdown")
        if conn.local_server is not None:
            if not conn.local_server.wait_for_exit(10):
                conn.local_server.stop()
        conn.close()
        if _conn.current(required=False) is conn:
            _conn.set_current(None)

    def get_status_values(self) -> list:
        self._refresh()
        nodes = self.nodes
        unhealthy = sum(not n.get("healthy", True) for n in nodes)
        status = "locked" if self._props.get("locked") else "accepting new members"
        status += ", healthy" if unhealthy == 0 else f", {unhealthy} nodes are not healthy"
        conn = self._conn()
        return [
            human_time(self._props.get("cloud_uptime_millis", 0)),
            self._props.get("cloud_internal_timezone", "UTC"),
            self._props.get("datafile_parser_timezone", "UTC"),
            self._props.get("version"),
            self._props.get("build_age"),
            self._props.get("cloud_name"),
            self._props.get("cloud_size"),
            human_bytes(sum(n.get("free_mem", 0) for n in nodes)),
            sum(n.get("num_cpus", 0) for n in nodes),
            sum(n.get("cpus_allowed", 0) for n in nodes),
            status,
            conn.base_url,
            json.dumps(getattr(conn, "proxy", None) or {"http": None, "https": None}),
            self._props.get("internal_security_enabled", False),
            "%d.%d.%d %s" % tuple(sys.version_info[:4]),
        ]

    def status_text(self) -> str:
        values = self.get_status_values()
        return tabulate([[k + ":", v] for k, v in zip(STATUS_KEYS, values)], tablefmt="simple")

    def show_status(self, detailed: bool = False) -> None:
        """Print the cluster status table (and one column per node when ``detailed``)."""
        print(self.status_text())
        if detailed:
            headers = ["Nodes info:"] + [f"Node {i + 1}" for i in range(len(self.nodes))]
            rows = [[k] + [n.get(k) for n in self.nodes] for k in NODE_KEYS]
            print(tabulate(rows, headers=headers, tablefmt="simple"))

    def get_status(self):
        """The status as a pandas DataFrame with one row (h2o-py returns an H2OTwoDimTable)."""
        import pandas as pd
        return pd.DataFrame([self.get_status_values()], columns=STATUS_KEYS)

    def list_jobs(self) -> list[list]:
        """``[[\"type\", ...], [\"dest\", ...], [\"description\", ...], [\"status\", ...]]`` as h2o-py."""
        table = [["type"], ["dest"], ["description"], ["status"]]
        for job in self._conn().request("GET /3/Jobs")["jobs"]:
            dest = job.get("dest") or {}
            table[0].append((dest.get("type") or "").replace("Key<", "").replace(">", ""))
            table[1].append(dest.get("name"))
            table[2].append(job.get("description"))
            table[3].append(job.get("status"))
        return table

    def check_version(self, strict: bool = False) -> None:
        """Compare the backend's version with the client's; raise when ``strict`` and they differ."""
        from .. import __version__
        server = self._props.get("version")
        if server != __version__:
            msg = f"Version mismatch: the h2olite client is {__version__}, the backend is {server}."
            if strict:
                raise H2OConnectionError(msg)
            print("Warning: " + msg)

    def __repr__(self):
        return self.status_text()
