"""Frames: the in-memory column store (frame.py); raw sources before parsing (sources.py);
parsing with H2O's guesses (parse.py, guess.py); Arrow conversions (arrow.py); per-column
summaries (summary.py); the operations clients apply to frames (ops.py), driven by Rapids
expressions (rapids.py) within client sessions (sessions.py)."""
from .frame import Column, Frame, INT, REAL, ENUM, STRING, TIME, UUID, NUMERIC_TYPES

__all__ = ["Column", "Frame", "INT", "REAL", "ENUM", "STRING", "TIME", "UUID", "NUMERIC_TYPES"]
