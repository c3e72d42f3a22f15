"""Numba training core: Network (weights, optimizer state, HOGWILD! driver) and TrainConfig."""
from .config import TrainConfig
from .network import Network, warm_up

__all__ = ["Network", "TrainConfig", "warm_up"]
