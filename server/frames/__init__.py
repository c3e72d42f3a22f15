"""Frames: an in-memory column store (frame.py), file parsing (parse.py) and the operations
clients apply to frames (ops.py, driven by Rapids expressions)."""
from .frame import Column, Frame, INT, REAL, ENUM, STRING, TIME, UUID, NUMERIC_TYPES

__all__ = ["Column", "Frame", "INT", "REAL", "ENUM", "STRING", "TIME", "UUID", "NUMERIC_TYPES"]
