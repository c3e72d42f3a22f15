"""Starting a local h2olite backend in a background process (what h2o-py does with the H2O jar).

The backend is ``python -m h2olite_server`` run with this interpreter. It gets our pid
(``--parent-pid``) so it exits when this Python session is gone, and it is also stopped by an
``atexit`` hook. Its output goes to a log file whose tail is shown if it fails to start.
"""
from __future__ import annotations

import atexit
import os
import socket
import subprocess
import sys
import tempfile
import time

import requests

from ..exceptions import H2OConnectionError, H2OValueError

DEFAULT_PORT = 54321
START_TIMEOUT = 60.0


def port_is_free(ip: str, port: int) -> bool:
    """True if nothing listens on ``ip:port`` (we can bind it ourselves)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        # as the server will: a port whose old connections linger in TIME_WAIT is free
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((ip, port))
        except OSError:
            return False
    return True


def next_free_port(ip: str, start: int, tries: int = 100) -> int:
    for port in range(start, min(start + tries, 65536)):
        if port_is_free(ip, port):
            return port
    raise H2OConnectionError(f"No free port on {ip} in {start}..{start + tries - 1} to start a backend")


def parse_mem_size(value, name: str = "max_mem_size") -> int | None:
    """H2O's memory-size argument in bytes: an int < 1000 is GB, a larger int bytes, or "4G"/"160M"/"512k"."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise H2OValueError(f"`{name}` must be an int or a string like '4G', got {value!r}", var_name=name)
    if isinstance(value, (int, float)):
        if value <= 0:
            raise H2OValueError(f"`{name}` must be positive, got {value!r}", var_name=name)
        return int(value * (1 << 30)) if value < 1000 else int(value)
    if isinstance(value, str):
        s = value.strip().lower()
        units = {"k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40}
        mult = 1
        if s and s[-1] in units:
            mult, s = units[s[-1]], s[:-1]
        elif s.endswith("b") and len(s) > 1 and s[-2] in units:
            mult, s = units[s[-2]], s[:-2]
        try:
            n = float(s)
        except ValueError:
            n = -1
        if n <= 0:
            raise H2OValueError(f"`{name}` must look like '4G', '160M' or '1024k', got {value!r}", var_name=name)
        return int(n * mult)
    raise H2OValueError(f"`{name}` must be an int or a string like '4G', got {value!r}", var_name=name)


class LocalServer:
    """A backend process started by this Python session."""

    def __init__(self, process: subprocess.Popen, ip: str, port: int, log_path: str):
        self.process = process
        self.ip = ip
        self.port = port
        self.log_path = log_path

    @property
    def url(self) -> str:
        host = "127.0.0.1" if self.ip in ("0.0.0.0", "localhost") else self.ip
        return f"http://{host}:{self.port}"

    @staticmethod
    def start(port: int | None = None, nthreads: int = -1, max_mem_size: int | None = None,
              name: str | None = None, bind_to_localhost: bool = True, log_dir: str | None = None,
              verbose: bool = True) -> "LocalServer":
        """Start a backend on ``port`` (or the next free port above it) and wait until it is healthy."""
        ip = "127.0.0.1" if bind_to_localhost else "0.0.0.0"
        wanted = DEFAULT_PORT if port is None else int(port)
        last_error = ""
        for _attempt in range(5):
            chosen = next_free_port(ip, wanted)
            if chosen != wanted and verbose:
                print(f"Port {wanted} is in use by another program; starting the h2olite backend on port {chosen}.")
            server = LocalServer._spawn(ip, chosen, nthreads, max_mem_size, name, log_dir, verbose)
            ok, last_error = server._wait_until_healthy()
            if ok:
                atexit.register(server.stop)
                return server
            server.stop()
            if "cannot listen" not in last_error:   # anything but losing a port race is fatal
                break
            wanted = chosen + 1
        raise H2OConnectionError(f"The h2olite backend failed to start (log: {server.log_path}):\n{last_error}")

    @staticmethod
    def _spawn(ip, port, nthreads, max_mem_size, name, log_dir, verbose) -> "LocalServer":
        log_dir = log_dir or tempfile.gettempdir()
        os.makedirs(log_dir, exist_ok=True)
        log_path = os.path.join(log_dir, f"h2olite_server_{port}_{os.getpid()}.log")
        cmd = [sys.executable, "-m", "h2olite_server", "--ip", ip, "--port", str(port),
               "--nthreads", str(int(nthreads)), "--parent-pid", str(os.getpid())]
        if max_mem_size:
            cmd += ["--max-mem-size", str(int(max_mem_size))]
        if name:
            cmd += ["--name", str(name)]
        if verbose:
            print(f"  Starting server from {sys.executable} -m h2olite_server --port {port}")
            print(f"  Server log: {log_path}")
        log = open(log_path, "wb")
        try:
            process = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                       start_new_session=True, close_fds=True)
        finally:
            log.close()
        return LocalServer(process, ip, port, log_path)

    def _wait_until_healthy(self) -> tuple[bool, str]:
        """Poll ``/3/Cloud`` until it answers healthy; (False, log tail) if the process dies or times out."""
        deadline = time.monotonic() + START_TIMEOUT
        session = requests.Session()
        session.trust_env = False              # our own localhost: never through a proxy (connection.py)
        delay = 0.01
        try:
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    return False, self.log_tail()
                try:
                    r = session.get(self.url + "/3/Cloud", timeout=2)
                    if r.status_code == 200 and r.json().get("cloud_healthy"):
                        return True, ""
                except (requests.RequestException, ValueError):
                    pass
                time.sleep(delay)
                delay = min(delay * 1.5, 0.1)
            return False, f"no healthy answer from {self.url} within {START_TIMEOUT:.0f} s\n" + self.log_tail()
        finally:
            session.close()

    def log_tail(self, nbytes: int = 4000) -> str:
        try:
            with open(self.log_path, "rb") as f:
                f.seek(0, os.SEEK_END)
                f.seek(max(0, f.tell() - nbytes))
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def is_running(self) -> bool:
        return self.process.poll() is None

    def stop(self, timeout: float = 5.0) -> None:
        """Terminate the backend process (no-op if it already exited)."""
        if self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout)

    def wait_for_exit(self, timeout: float = 5.0) -> bool:
        try:
            self.process.wait(timeout)
            return True
        except subprocess.TimeoutExpired:
            return False
