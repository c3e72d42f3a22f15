"""Process-wide HOGWILD! worker threads, started once and reused by every ``Network.train`` call.

Starting threads costs milliseconds per training call, which on small nets (a few ms of work per
iteration) is a large share of the training time.  A call borrows ``n - 1`` idle workers (more
are started only when every existing one is busy, e.g. several jobs training at once) and runs
chunk 0 in the calling thread, so each call always gets its own ``n`` concurrent threads: the
chunks of one call never queue behind another job's.

A thread inherits its creator's nice value (Linux), and an unprivileged thread cannot lower it:
a worker started by a thread that runs at a lowered priority (a grid model's, jobs.run_with_share)
quits after its task instead of joining the pool.
"""
from __future__ import annotations

import os
import queue
import threading
from concurrent.futures import Future
from typing import Callable

_lock = threading.Lock()
_idle: list["_Worker"] = []
_started = 0
_NICE = os.getpriority(os.PRIO_PROCESS, 0) if hasattr(os, "getpriority") else 0


def _lowered_priority() -> bool:
    """Does the calling thread run at a higher nice value than the process started with?"""
    return hasattr(os, "getpriority") and os.getpriority(os.PRIO_PROCESS, 0) > _NICE


class _Worker:
    """A daemon thread running one task at a time, put back on the idle list after each
    (``keep``), or quitting after its one task."""

    def __init__(self, number: int, keep: bool = True):
        self._tasks: queue.SimpleQueue = queue.SimpleQueue()
        self.keep = keep
        threading.Thread(target=self._loop, name=f"hogwild-{number}", daemon=True).start()

    def submit(self, fn: Callable[[int], int], arg: int) -> Future:
        fut: Future = Future()
        self._tasks.put((fn, arg, fut))
        return fut

    def _loop(self) -> None:
        while True:
            fn, arg, fut = self._tasks.get()
            try:
                result = fn(arg)
            except BaseException as exc:        # handed to the caller, never lost in this thread
                _give_back(self)
                fut.set_exception(exc)
            else:
                _give_back(self)
                fut.set_result(result)
            if not self.keep:
                return


def _give_back(worker: _Worker) -> None:
    if worker.keep:
        with _lock:
            _idle.append(worker)


def _borrow(n: int) -> list[_Worker]:
    global _started
    with _lock:
        taken = [_idle.pop() for _ in range(min(n, len(_idle)))]
        keep = not _lowered_priority()
        while len(taken) < n:
            _started += 1
            taken.append(_Worker(_started, keep))
        return taken


def run_chunks(fn: Callable[[int], int], nthreads: int) -> int:
    """``sum(fn(c) for c in range(nthreads))`` with every chunk on its own thread, concurrently.

    Chunk 0 runs in the calling thread.  Waits for all chunks, then re-raises the first error.
    """
    if nthreads <= 1:
        return fn(0)
    futures = [w.submit(fn, c) for c, w in enumerate(_borrow(nthreads - 1), start=1)]
    first_error = None
    total = 0
    try:
        total += fn(0)
    except BaseException as exc:
        first_error = exc
    for fut in futures:                          # always wait: the chunks share the weights
        try:
            total += fut.result()
        except BaseException as exc:
            first_error = first_error or exc
    if first_error is not None:
        raise first_error
    return total


def workers_started() -> int:
    """Worker threads started so far in this process (for tests and diagnostics)."""
    return _started
