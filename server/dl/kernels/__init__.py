"""Numba training core: Network (weights, optimizer state, HOGWILD! driver) and TrainConfig."""
import os as _os


def _invalidate_stale_kernel_cache() -> None:
    """Numba's on-disk cache keys a kernel on its own file's timestamp only, so ``sgd.py``'s cached
    kernels would keep stale copies of the helpers they inline from the sibling modules.  If a
    helper module is newer than sgd.py, touch sgd.py so that its kernels recompile."""
    here = _os.path.dirname(__file__)
    main = _os.path.join(here, "sgd.py")
    try:
        deps = max(_os.path.getmtime(_os.path.join(here, f))
                   for f in ("activations.py", "config.py", "linalg.py", "optimizers.py", "rng.py"))
        if deps > _os.path.getmtime(main):
            _os.utime(main)
    except OSError:
        pass


_invalidate_stale_kernel_cache()

from .config import TrainConfig  # noqa: E402
from .network import Network, warm_up  # noqa: E402

__all__ = ["Network", "TrainConfig", "warm_up"]
