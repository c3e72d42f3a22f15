"""Background jobs: training, parsing and prediction run here and report progress.

A ``Job`` is stored under its key like any other value, so clients poll ``GET /3/Jobs/{key}``
exactly as they do with H2O. The worker function receives the job and calls
``job.update(progress, msg)``; that call raises ``JobCancelled`` once a cancel was requested,
which is how Ctrl-C in a client stops a long training run at the next checkpoint.
"""
from __future__ import annotations

import math
import os
import sys
import threading
import time
import traceback
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any, Callable

from .errors import H2OError, JobCancelled

CREATED, RUNNING, DONE, FAILED, CANCELLED = "CREATED", "RUNNING", "DONE", "FAILED", "CANCELLED"


class Job:
    def __init__(self, description: str, dest_key: str | None, dest_type: str):
        self.key = f"$0301{uuid.uuid4().hex[:24]}$_job"
        self.description = description
        self.dest_key = dest_key
        self.dest_type = dest_type
        self.status = CREATED
        self.progress = 0.0
        self.progress_msg = ""
        self.start_time = int(time.time() * 1000)
        self.end_time: int | None = None
        self.exception: str | None = None
        self.stacktrace: str | None = None
        self.warnings: list[str] = []
        self.result: Any = None
        self._cancel = threading.Event()
        self._done = threading.Event()

    # --- called by the worker -------------------------------------------------------------
    def update(self, progress: float | None = None, msg: str | None = None) -> None:
        """Report progress in [0, 1]; raises ``JobCancelled`` if a cancel was requested."""
        if progress is not None:
            self.progress = min(max(float(progress), 0.0), 1.0)
        if msg is not None:
            self.progress_msg = msg
        if self._cancel.is_set():
            raise JobCancelled()

    @property
    def cancel_requested(self) -> bool:
        return self._cancel.is_set()

    def warn(self, msg: str) -> None:
        self.warnings.append(msg)

    # --- called by the REST layer ---------------------------------------------------------
    def cancel(self) -> None:
        self._cancel.set()

    def wait(self, timeout: float | None = None) -> bool:
        return self._done.wait(timeout)

    @property
    def finished(self) -> bool:
        return self._done.is_set()

    def to_json(self) -> dict:
        now = self.end_time or int(time.time() * 1000)
        return {
            "__meta": {"schema_version": 3, "schema_name": "JobV3", "schema_type": "Job"},
            "key": {"name": self.key, "type": "Key<Job>", "URL": f"/3/Jobs/{self.key}"},
            "description": self.description,
            "status": self.status,
            "progress": self.progress,
            "progress_msg": self.progress_msg,
            "start_time": self.start_time,
            "msec": now - self.start_time,
            "dest": {"name": self.dest_key, "type": self.dest_type,
                     "URL": f"/3/{'Models' if 'Model' in self.dest_type else 'Frames'}/{self.dest_key}"},
            "warnings": list(self.warnings),
            "exception": self.exception,
            "stacktrace": self.stacktrace,
            "auto_recoverable": False,
            "ready_for_view": self.status == DONE,
        }


class SubJob:
    """A job as one of its sub-tasks sees it (a grid's model, a cross-validation fold):
    cancellation and warnings are the parent's; its progress stays the parent's business
    (subclasses override ``update`` to report a share of it)."""

    def __init__(self, job):
        self._job = job

    @property
    def cancel_requested(self) -> bool:
        return self._job.cancel_requested

    def update(self, progress: float | None = None, msg: str | None = None) -> None:
        if self._job.cancel_requested:
            raise JobCancelled()

    def warn(self, msg: str) -> None:
        self._job.warn(msg)


class CoreShare:
    """The backend's cores shared by the sub-tasks of one job that run side by side (a grid's
    models, a cross-validation's folds).

    A sub-task asks ``threads()`` before each training iteration, so the last ones still running
    take over the cores that finished ones left (a grid's slowest model used to finish alone on
    one thread while the other cores idled).
    """

    def __init__(self, nthreads: int):
        self.nthreads = max(1, int(nthreads))
        self._running = 0
        self._lock = threading.Lock()

    @contextmanager
    def taking_part(self):
        """Count the calling sub-task as running for the duration of the block."""
        with self._lock:
            self._running += 1
        try:
            yield self
        finally:
            with self._lock:
                self._running -= 1

    def threads(self) -> int:
        return max(1, self.nthreads // max(1, self._running))


def run_with_share(fn: Callable[[], Any], share: float) -> Any:
    """``fn()`` on a thread of its own that gets about ``share`` (0 < share <= 1) of a normal
    thread's CPU time while threads compete for the cores, and full speed when they do not.

    Linux weighs each thread by its nice value, 1.25x less per step (the CFS scheduler), so the
    thread raises its own nice by ``log(1/share) / log(1.25)``.  It is a thread of its own because
    an unprivileged thread cannot lower its nice value again (HOGWILD! workers it would start
    quit after their task for the same reason, hogwild_pool.py).  Elsewhere, and for a share of
    1, ``fn`` runs in the calling thread.
    """
    nice = min(19, round(math.log(1.0 / max(share, 1e-6)) / math.log(1.25)))
    if nice <= 0 or not sys.platform.startswith("linux"):
        return fn()
    result: dict[str, Any] = {}

    def run():
        try:
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), os.getpriority(os.PRIO_PROCESS, 0) + nice)
        except OSError:
            pass                                     # the same work, unweighted
        try:
            result["value"] = fn()
        except BaseException as e:                   # re-raised in the caller
            result["error"] = e

    worker = threading.Thread(target=run, name=f"{threading.current_thread().name}-share", daemon=True)
    worker.start()
    worker.join()
    if "error" in result:
        raise result["error"]
    return result["value"]


class JobRunner:
    """Runs jobs on a pool of Python threads (the Numba kernels release the GIL)."""

    def __init__(self, store, max_concurrent: int = 8):
        self.store = store
        self._pool = ThreadPoolExecutor(max_workers=max_concurrent, thread_name_prefix="h2olite-job")

    def start(self, job: Job, work: Callable[[Job], Any],
              on_error: Callable[[Job], None] | None = None) -> Job:
        """Store ``job`` and run ``work(job)`` in the background; its return value is ``job.result``."""
        self.store.put(job.key, job)

        def run():
            job.status = RUNNING
            try:
                job.result = work(job)
                job.progress = 1.0
                job.status = DONE
            except JobCancelled:
                job.status = CANCELLED
                job.exception = "Job was cancelled by the user"
            except H2OError as e:
                job.status = FAILED
                job.exception = e.msg
            except Exception as e:  # a bug or bad data: report it, keep the server alive
                job.status = FAILED
                job.exception = f"{type(e).__name__}: {e}"
                job.stacktrace = traceback.format_exc()
            finally:
                if job.status != DONE and on_error is not None:
                    try:
                        on_error(job)
                    except Exception:
                        pass
                job.end_time = int(time.time() * 1000)
                job._done.set()

        self._pool.submit(run)
        return job

    def run_sync(self, job: Job, work: Callable[[Job], Any]) -> Any:
        """Run a job and wait for it; re-raise its failure as an ``H2OError``."""
        self.start(job, work)
        job.wait()
        if job.status != DONE:
            raise H2OError(job.exception or f"Job {job.key} {job.status.lower()}")
        return job.result

    def shutdown(self) -> None:
        for _, v in self.store.items(Job):
            v.cancel()
        self._pool.shutdown(wait=False, cancel_futures=True)
