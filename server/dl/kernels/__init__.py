"""Numba training core: Network (weights, optimizer state, thread driver) and TrainConfig."""
import glob as _glob
import hashlib as _hashlib
import os as _os


def _invalidate_stale_kernel_cache() -> None:
    """Drop Numba's on-disk kernel cache when any kernel module changed.

    Numba keys a cached kernel on its own source file only, so ``sgd.py``'s cached kernels would
    keep stale copies of the helpers they compile in from the sibling modules (after an edit, or an
    upgrade that leaves ``__pycache__`` behind).  A hash of all kernel sources, kept next to the
    cache, decides when the cache files are deleted (they are rebuilt on first use).
    """
    here = _os.path.dirname(_os.path.abspath(__file__))
    digest = _hashlib.sha256()
    for path in sorted(_glob.glob(_os.path.join(here, "*.py"))):
        with open(path, "rb") as f:
            digest.update(f.read())
    stamp = digest.hexdigest()
    cache = _os.path.join(here, "__pycache__")
    marker = _os.path.join(cache, "kernels.sha256")
    try:
        with open(marker) as f:
            if f.read().strip() == stamp:
                return
    except OSError:
        pass
    try:
        for path in _glob.glob(_os.path.join(cache, "*.nbi")) + _glob.glob(_os.path.join(cache, "*.nbc")):
            _os.remove(path)
        _os.makedirs(cache, exist_ok=True)
        with open(marker, "w") as f:
            f.write(stamp)
    except OSError:       # read-only install: Numba then caches in the user's cache directory
        pass


_invalidate_stale_kernel_cache()

from .config import TrainConfig  # noqa: E402
from .network import Network, warm_up  # noqa: E402

__all__ = ["Network", "TrainConfig", "warm_up"]
