"""Top-level functions (in progress)."""
__all__ = []
