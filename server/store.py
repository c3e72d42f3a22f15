"""A thread-safe store of everything a client can name by key (H2O's DKV).

Values are frames, models, grids and jobs. Every read and write takes one lock, and the
values themselves are treated as immutable once stored (a changed frame is stored as a new
object under the same key), so a request never sees another request's half-written value.
"""
from __future__ import annotations

import itertools
import re
import threading
from typing import Any, Iterator

from .errors import H2ONotFound


class Store:
    def __init__(self):
        self._lock = threading.RLock()
        self._values: dict[str, Any] = {}
        self._counter = itertools.count(1)

    def put(self, key: str, value: Any) -> Any:
        with self._lock:
            self._values[key] = value
        return value

    def get(self, key: str, kind: type | tuple | None = None, what: str = "key") -> Any:
        """The value under ``key``; ``H2ONotFound`` naming the key if absent or of another kind."""
        with self._lock:
            value = self._values.get(key)
        if value is None or value is _RESERVED or (kind is not None and not isinstance(value, kind)):
            raise H2ONotFound(f"Object '{key}' not found ({what})", key=key)
        return value

    def find(self, key: str, kind: type | tuple | None = None) -> Any | None:
        with self._lock:
            value = self._values.get(key)
        if value is _RESERVED or (value is not None and kind is not None and not isinstance(value, kind)):
            return None
        return value

    def __contains__(self, key: str) -> bool:
        with self._lock:
            return key in self._values

    def remove(self, key: str) -> Any | None:
        with self._lock:
            return self._values.pop(key, None)

    def items(self, kind: type | tuple | None = None) -> list[tuple[str, Any]]:
        with self._lock:
            pairs = list(self._values.items())
        return [(k, v) for k, v in pairs
                if v is not _RESERVED and (kind is None or isinstance(v, kind))]

    def keys(self, kind: type | tuple | None = None) -> list[str]:
        return [k for k, _ in self.items(kind)]

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys())

    def next_number(self) -> int:
        """A global counter for generated ids (H2O's ``calcNextUniqueObjectId``)."""
        with self._lock:
            return next(self._counter)

    def unique_key(self, stem: str, suffix: str = "") -> str:
        """``stem+suffix`` if free, else ``stem1+suffix``, ``stem2+suffix``... (H2O's parse naming)."""
        with self._lock:
            key = f"{stem}{suffix}"
            n = 0
            while key in self._values:
                n += 1
                key = f"{stem}{n}{suffix}"
            self._values[key] = _RESERVED
            return key

    def release(self, key: str) -> None:
        """Drop a reservation made by ``unique_key`` that was never filled."""
        with self._lock:
            if self._values.get(key) is _RESERVED:
                del self._values[key]


class _Reserved:
    """Placeholder for a key that a running job will fill."""

    def __repr__(self):
        return "<reserved>"


_RESERVED = _Reserved()

_KEY_RE = re.compile(r"^[^\x00-\x1f/\\]{1,512}$")


def check_key(key: str, what: str = "key") -> str:
    """A user-chosen key must be printable, non-empty and free of slashes."""
    if not isinstance(key, str) or not _KEY_RE.match(key):
        from .errors import H2OError
        raise H2OError(f"Invalid {what} '{key}': keys are 1-512 printable characters without '/' or '\\'")
    return key
