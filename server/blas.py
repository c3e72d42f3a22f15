"""One BLAS thread per call in the backend.

Training jobs keep every core busy with their own threads, and OpenBLAS's workers, which spin for
a while after each call, fought them: scoring during cross-validation ran 5x slower, and a model
training on two threads ran its next iteration after a scoring event 1.6x slower (40 -> 64 ms for
16,000 MNIST rows).  Takes effect only before numpy is first imported; a user's own setting wins.
"""
import os

BLAS_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def one_blas_thread_per_call() -> None:
    for var in BLAS_THREAD_VARIABLES:
        os.environ.setdefault(var, "1")
