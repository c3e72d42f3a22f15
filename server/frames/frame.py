"""The column store behind every frame key.

A ``Frame`` is an immutable list of ``Column`` objects; operations build new frames that
share the untouched columns' arrays, so copies are cheap and a frame handed to a running
job can never change under it.

Storage by H2O type (NA handling in brackets):
  int, real, time  float64 [NaN]     (time = milliseconds since the epoch, UTC)
  enum             int32 codes [-1] + ``domain`` (the level strings, in H2O's order)
  string, uuid     object array of str [None]
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

INT, REAL, ENUM, STRING, TIME, UUID = "int", "real", "enum", "string", "time", "uuid"
NUMERIC_TYPES = (INT, REAL, TIME)


@dataclass(frozen=True, eq=False)
class Column:
    name: str
    type: str
    data: np.ndarray
    domain: tuple[str, ...] | None = None

    def __post_init__(self):
        if self.type in NUMERIC_TYPES:
            assert self.data.dtype == np.float64, (self.name, self.data.dtype)
        elif self.type == ENUM:
            assert self.data.dtype == np.int32 and self.domain is not None, self.name
        else:
            assert self.data.dtype == object, self.name

    def __len__(self) -> int:
        return len(self.data)

    @property
    def is_numeric(self) -> bool:
        return self.type in NUMERIC_TYPES

    @property
    def is_enum(self) -> bool:
        return self.type == ENUM

    @cached_property
    def na_mask(self) -> np.ndarray:
        if self.type in NUMERIC_TYPES:
            return np.isnan(self.data)
        if self.type == ENUM:
            return self.data < 0
        return np.array([v is None for v in self.data], dtype=bool)

    @cached_property
    def stats(self) -> "ColumnStats":
        return ColumnStats.of(self)

    def renamed(self, name: str) -> "Column":
        return Column(name, self.type, self.data, self.domain)

    def take(self, index: np.ndarray | slice) -> "Column":
        """Rows ``index`` (an integer array, boolean mask or slice) as a new column."""
        return Column(self.name, self.type, self.data[index], self.domain)

    def as_float(self) -> np.ndarray:
        """float64 values with NaN for NA (enum -> its code), for numeric consumers."""
        if self.type in NUMERIC_TYPES:
            return self.data
        if self.type == ENUM:
            out = self.data.astype(np.float64)
            out[self.data < 0] = np.nan
            return out
        raise TypeError(f"column '{self.name}' of type {self.type} has no numeric values")

    def nbytes(self) -> int:
        if self.data.dtype == object:
            return int(sum(len(v) for v in self.data if v is not None)) + 8 * len(self.data)
        return int(self.data.nbytes)


@dataclass(frozen=True)
class ColumnStats:
    """H2O's rollup statistics of one column (NAs excluded)."""

    missing: int
    zeros: int
    pinfs: int
    ninfs: int
    min: float
    max: float
    mean: float
    sigma: float                 # sample standard deviation (n - 1)
    cardinality: int = -1        # enum only

    @classmethod
    def of(cls, col: Column) -> "ColumnStats":
        n_missing = int(col.na_mask.sum())
        nan = float("nan")
        if col.type in NUMERIC_TYPES or col.type == ENUM:
            # Few passes over the data and no copies in the common case (no NA, no infinities):
            # these rollups are computed for every column of a frame the first time it is shown.
            v = col.as_float()
            ok = v[~col.na_mask] if n_missing else v
            lo = float(ok.min()) if len(ok) else nan
            hi = float(ok.max()) if len(ok) else nan
            has_inf = len(ok) > 0 and (lo == -np.inf or hi == np.inf)
            pinf = int(np.count_nonzero(ok == np.inf)) if has_inf else 0
            ninf = int(np.count_nonzero(ok == -np.inf)) if has_inf else 0
            finite = ok[np.isfinite(ok)] if has_inf else ok
            n = len(finite)
            if n:
                mean = float(finite.sum()) / n
                dev = finite - mean
                sigma = math.sqrt(float(dev @ dev) / (n - 1)) if n > 1 else 0.0
            else:
                mean = sigma = lo = hi = nan
            return cls(n_missing, int(np.count_nonzero(ok == 0)), pinf, ninf, lo, hi, mean, sigma,
                       len(col.domain) if col.type == ENUM else -1)
        return cls(n_missing, 0, 0, 0, nan, nan, nan, nan)


@dataclass(frozen=True, eq=False)
class Frame:
    columns: tuple[Column, ...]
    key: str | None = None
    _index: dict = field(default=None, repr=False, compare=False)

    def __post_init__(self):
        cols = tuple(self.columns)
        object.__setattr__(self, "columns", cols)
        if cols:
            n = len(cols[0])
            bad = [c.name for c in cols if len(c) != n]
            assert not bad, f"columns of unequal length: {bad}"
        object.__setattr__(self, "_index", {c.name: i for i, c in enumerate(cols)})

    # --- shape ------------------------------------------------------------------------------
    @property
    def nrow(self) -> int:
        return len(self.columns[0]) if self.columns else 0

    @property
    def ncol(self) -> int:
        return len(self.columns)

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def types(self) -> list[str]:
        return [c.type for c in self.columns]

    # --- access -----------------------------------------------------------------------------
    def has(self, name: str) -> bool:
        return name in self._index

    def index_of(self, name: str) -> int:
        """Column position of ``name``; ``H2OError`` naming the column and frame if absent."""
        try:
            return self._index[name]
        except KeyError:
            from ..errors import H2OError
            raise H2OError(f"Column '{name}' not found in frame '{self.key}'", column=name) from None

    def col(self, name_or_index: str | int) -> Column:
        if isinstance(name_or_index, str):
            return self.columns[self.index_of(name_or_index)]
        i = int(name_or_index)
        if not -self.ncol <= i < self.ncol:
            from ..errors import H2OError
            raise H2OError(f"Column index {i} out of range: frame '{self.key}' has {self.ncol} columns")
        return self.columns[i]

    def __getitem__(self, name: str) -> Column:
        return self.col(name)

    # --- building ---------------------------------------------------------------------------
    def with_key(self, key: str | None) -> "Frame":
        return Frame(self.columns, key)

    def select(self, names_or_indices) -> "Frame":
        return Frame([self.col(c) for c in names_or_indices])

    def take_rows(self, index: np.ndarray | slice) -> "Frame":
        return Frame([c.take(index) for c in self.columns])

    def with_column(self, col: Column) -> "Frame":
        """Replace the column of the same name, or append it."""
        cols = list(self.columns)
        if col.name in self._index:
            cols[self._index[col.name]] = col
        else:
            cols.append(col)
        return Frame(cols, self.key)

    def nbytes(self) -> int:
        return sum(c.nbytes() for c in self.columns)

    def owned_keys(self) -> list[str]:
        return []
