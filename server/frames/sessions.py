"""Client sessions (``POST /4/sessions``, R's ``GET /3/InitID``) and the temporary keys they own.

Rapids ``(tmp= key expr)`` results belong to the session that made them; ending the session
(``DELETE /4/sessions/{id}``) removes those that are still frames, as H2O does on session end.
"""
from __future__ import annotations

import threading
import uuid


class Sessions:
    def __init__(self):
        self._lock = threading.Lock()
        self._tmp: dict[str, set[str]] = {}

    def new(self) -> str:
        sid = f"_sid_{uuid.uuid4().hex[:4]}{uuid.uuid4().hex[:4]}"
        with self._lock:
            self._tmp[sid] = set()
        return sid

    def add_tmp(self, session_id: str | None, key: str) -> None:
        if not session_id:
            return
        with self._lock:
            self._tmp.setdefault(session_id, set()).add(key)

    def end(self, session_id: str) -> set[str]:
        """Forget the session; return the temporary keys it made."""
        with self._lock:
            return self._tmp.pop(session_id, set())
