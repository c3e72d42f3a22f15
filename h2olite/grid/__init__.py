"""Grid search: ``from h2olite.grid import H2OGridSearch``."""
from .grid_search import H2OGridSearch

__all__ = ["H2OGridSearch"]
