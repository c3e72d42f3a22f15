"""Run the backend: ``python -m h2olite_server --port 54321`` (or the ``h2olite-server`` script).

Served by waitress, a production WSGI server with a thread pool, bound to 127.0.0.1 unless
told otherwise. ``--parent-pid`` makes the backend exit when the Python session that started
it is gone, so a crashed client never leaves an orphan server holding the port.
"""
from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import time

from .blas import one_blas_thread_per_call

one_blas_thread_per_call()              # before anything loads numpy (blas.py)


def main(argv=None):
    ap = argparse.ArgumentParser(prog="h2olite-server", description=__doc__)
    ap.add_argument("--ip", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=54321)
    ap.add_argument("--nthreads", type=int, default=-1)
    ap.add_argument("--max-mem-size", type=int, default=None, help="bytes")
    ap.add_argument("--name", default=None)
    ap.add_argument("--parent-pid", type=int, default=None)
    ap.add_argument("--compile", action="store_true",
                    help="compile the training kernels into the on-disk cache and exit (an install step: "
                         "the first model after it does not wait 10-20 s for the compiler)")
    args = ap.parse_args(argv)
    if args.compile:
        from .dl.kernels import warm_up as compile_kernels
        secs = compile_kernels() + compile_kernels(mini_batch=True)
        print(f"h2olite-server: training kernels compiled or loaded from the cache in {secs:.1f} s")
        return 0

    from waitress.server import create_server

    from .app import create_app
    from .memory import keep_freed_memory

    keep_freed_memory()

    app = create_app(nthreads=args.nthreads, max_mem_size=args.max_mem_size, name=args.name)
    try:
        server = create_server(app, host=args.ip, port=args.port, threads=16,
                               channel_timeout=3600, ident="h2olite")
    except OSError as e:
        print(f"h2olite-server: cannot listen on {args.ip}:{args.port}: {e.strerror or e}", file=sys.stderr)
        return 2

    state = app.extensions["h2olite"]

    def stop():
        state.jobs.shutdown()
        server.close()
        os._exit(0)

    state.on_shutdown = lambda: threading.Timer(0.2, stop).start()
    signal.signal(signal.SIGTERM, lambda *_: stop())

    if args.parent_pid:
        def watch_parent():
            while True:
                time.sleep(1.0)
                try:
                    os.kill(args.parent_pid, 0)
                except OSError:
                    stop()
        threading.Thread(target=watch_parent, daemon=True).start()

    def warm_up():
        # compile (first run after an install) or load the cached training kernels while the
        # user is still importing data, so the first model does not wait for them.  Started at
        # once: after a 1 s delay it still ran during the booklet's first model (init + import
        # take ~1.2 s), which took 0.85-1.03 s instead of 0.48-0.52 s; h2o.init() is unchanged
        from .dl.kernels import warm_up as compile_kernels
        compile_kernels()
    threading.Thread(target=warm_up, daemon=True, name="kernel-warm-up").start()

    print(f"h2olite-server listening on http://{args.ip}:{server.effective_port}", flush=True)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
