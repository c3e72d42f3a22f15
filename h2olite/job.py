"""``H2OJob``: waiting for a backend job while drawing H2O's progress bar.

Parsing, training and predictions run as jobs on the backend. ``H2OJob(resp, "Parse").poll()``
polls ``GET /3/Jobs/{key}`` with the backend's ``wait_ms`` (it answers as soon as the job ends, so
a sub-second job returns at once; otherwise every 0.1 s, later every 0.5 s, to move the bar), draws
``Parse progress: |████…| (done) 100%`` with tqdm unless ``h2olite.no_progress()`` was called,
and turns the job's end state into Python: FAILED raises with the job's message, CANCELLED raises
``H2OJobCancelled``, warnings become ``RuntimeWarning``. Ctrl-C cancels the job on the backend.
"""
from __future__ import annotations

import sys
import time
import warnings

from .backend import connection as _conn
from .exceptions import H2OJobCancelled, H2OResponseError

_progress_enabled = True


def no_progress() -> None:
    """Stop drawing job progress bars."""
    global _progress_enabled
    _progress_enabled = False


def show_progress() -> None:
    """Draw job progress bars again (the default)."""
    global _progress_enabled
    _progress_enabled = True


def progress_enabled() -> bool:
    return _progress_enabled


class H2OJob:
    """A backend job; ``poll()`` waits for it and returns ``self``."""

    POLL_FAST, POLL_SLOW = 0.1, 0.5       # seconds between progress refreshes: first 5 s, later

    def __init__(self, job_json: dict, job_type: str | None = None):
        job = job_json.get("job", job_json) if isinstance(job_json, dict) else None
        if not isinstance(job, dict) or "key" not in job:
            raise H2OResponseError(f"Expected a job in the backend's answer, got: {str(job_json)[:300]}")
        self.job = job
        self.job_key = job["key"]["name"] if isinstance(job["key"], dict) else job["key"]
        dest = job.get("dest") or {}
        self.dest_key = dest.get("name") if isinstance(dest, dict) else dest
        self.dest_type = dest.get("type") if isinstance(dest, dict) else None
        self._job_type = job_type or job.get("description") or "Job"
        self._update(job)

    def _update(self, job: dict) -> None:
        self.job = job
        self.status = job.get("status")
        self.progress = min(float(job.get("progress") or 0.0), 1.0)
        self.exception = job.get("exception")
        self.warnings = list(job.get("warnings") or [])
        self.progress_msg = job.get("progress_msg")

    def poll_once(self, wait: float = 0.0) -> dict:
        """Refresh the job's state from the backend; with ``wait`` (seconds) the backend answers
        when the job ends or after ``wait``, whichever comes first."""
        data = {"wait_ms": int(wait * 1000)} if wait > 0 else None
        resp = _conn.current().request(f"GET /3/Jobs/{self.job_key}", data)
        self._update(resp["jobs"][0])
        return self.job

    @property
    def finished(self) -> bool:
        return self.status in ("DONE", "FAILED", "CANCELLED")

    def poll(self, poll_updates=None) -> "H2OJob":
        """Wait for the job to end; ``poll_updates(job, progress)`` is called after every refresh."""
        bar = self._make_bar()
        started = time.monotonic()
        try:
            while True:
                if not self.finished:
                    young = time.monotonic() - started < 5
                    self.poll_once(wait=self.POLL_FAST if young else self.POLL_SLOW)
                if poll_updates is not None:
                    poll_updates(self, self.progress)
                if bar is not None:
                    self._draw(bar)
                if self.finished:
                    break
        except KeyboardInterrupt:
            self._cancel()
        finally:
            if bar is not None:
                bar.close()
        return self._conclude()

    # --- internals -------------------------------------------------------------------------
    def _make_bar(self):
        if not _progress_enabled:
            return None
        from tqdm import tqdm
        bar = tqdm(total=100, desc=f"{self._job_type} progress", file=sys.stdout, ncols=95,
                   bar_format="{desc}: |{bar}| 0%", ascii=False, leave=True, mininterval=0)
        bar.last_shown = 0          # the bar is drawn at 0% when created
        return bar

    def _draw(self, bar) -> None:
        """Redraw only when the shown text changes (the bar is also written to non-terminals)."""
        done = self.status == "DONE"
        pct = 100 if done else int(self.progress * 100)
        shown = 101 if done else pct
        if shown == bar.last_shown:
            return
        bar.last_shown = shown
        bar.n = pct
        bar.bar_format = "{desc}: |{bar}| " + ("(done) 100%" if done else f"{pct}%")
        if not done:               # the final state is drawn once, by close()
            bar.refresh()

    def _cancel(self) -> None:
        """Ctrl-C: ask the backend to stop the job, then wait (briefly) for it to acknowledge."""
        conn = _conn.current()
        try:
            conn.request(f"POST /3/Jobs/{self.job_key}/cancel")
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline:
                if self.poll_once(wait=self.POLL_FAST) and self.finished:
                    break
        finally:
            if not self.finished:
                self.status = "CANCELLED"

    def _conclude(self) -> "H2OJob":
        for w in self.warnings:
            warnings.warn(w, RuntimeWarning, stacklevel=3)
        if self.status == "CANCELLED":
            raise H2OJobCancelled(f"Job<{self.job_key}> was cancelled by the user.")
        if self.status == "FAILED":
            raise H2OResponseError(f"Job with key {self.job_key} failed with an exception: {self.exception}",
                                   response_json=self.job)
        return self

    def __repr__(self):
        return f"<H2OJob {self.job_key} {self._job_type} {self.status} {self.progress:.0%}>"


class BackgroundJobMixin:
    """``start()`` / ``join()`` for estimators and grids: ``train`` returns as soon as the job is
    submitted when ``_future`` is set, and ``join`` waits, then ``_finish_job(dest_key)`` loads the result."""

    _job = None
    _future = False

    def start(self, x=None, y=None, training_frame=None, offset_column=None, fold_column=None,
              weights_column=None, validation_frame=None, **params):
        """Start without waiting; ``join()`` waits for the result."""
        self._future = True
        try:
            self.train(x=x, y=y, training_frame=training_frame, offset_column=offset_column,
                       fold_column=fold_column, weights_column=weights_column, validation_frame=validation_frame,
                       **params)
        except BaseException:
            self._future = False
            raise

    def join(self):
        """Wait for a job started with ``start()``."""
        if self._job is None:
            from .exceptions import H2OValueError
            raise H2OValueError("No job is running: call start() first")
        job, self._job, self._future = self._job, None, False
        job.poll()
        self._finish_job(job.dest_key)

    def _finish_job(self, dest_key):
        raise NotImplementedError
