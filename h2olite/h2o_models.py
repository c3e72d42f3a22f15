"""Model-level top-level functions (in progress)."""
__all__ = []
