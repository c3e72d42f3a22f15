"""h2olite: H2O-3's Deep Learning, small and fast, with h2o-py's API.

``import h2olite as h2o`` and a script written for ``h2o`` runs unchanged.
"""
__version__ = "0.1.0"

from .h2o import *            # noqa: F401,F403  init, import_file, ls, remove, ... (see h2o.__all__)
from .h2o_models import *     # noqa: F401,F403  get_model, save_model, load_model, deeplearning, ...
from .frame import H2OFrame   # noqa: F401
from . import estimators, grid  # noqa: F401,E402
from .exceptions import (H2OConnectionError, H2OResponseError, H2OServerError,  # noqa: F401
                         H2OTypeError, H2OValueError)
