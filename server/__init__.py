"""h2olite backend: holds frames and models under keys, runs training as jobs.

Installed as ``h2olite_server``. Layout:
  app.py        Flask application factory (one blueprint per concern in api/)
  blas.py       one BLAS thread per call (set before numpy loads)
  store.py      thread-safe key/value store of frames, models, grids and jobs
  jobs.py       background jobs with progress and cancellation
  errors.py     exceptions that become H2O's error JSON (H2OErrorV3)
  frames/       the column store, CSV/Parquet parsing, frame operations (Rapids)
  dl/           Deep Learning: parameters, data preparation, Numba kernels, trainer, model
  metrics/      model metrics and H2O's two-dimensional tables
"""

if __name__ != "h2olite_server":
    # the same source under a second module name would share Numba's on-disk kernel cache, whose
    # entries name their module: kernels cached as ``server.*`` fail to load in the real backend
    raise ImportError(f"the h2olite backend is the package 'h2olite_server' (pip install -e .), "
                      f"not '{__name__}': import h2olite_server")

__version__ = "0.1.0"
