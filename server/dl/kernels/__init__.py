"""Numba training core: Network (weights, optimizer state, HOGWILD! driver) and TrainConfig."""
from .config import TrainConfig
from .network import Network

__all__ = ["Network", "TrainConfig"]
