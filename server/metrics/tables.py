"""H2O's TwoDimTable as it goes over the wire (TwoDimTableV3).

Data is column-major (``data[c][r]``). A table with row headers gets an extra first column named
``""`` holding them (H2O only does this when *every* row has a header). Column names are
"pythonified" from the human header (``"Cumulative Data Fraction"`` -> ``cumulative_data_fraction``),
which stays in the column ``description``; H2O skips that for tables whose name contains
"confusion", and so does ``pythonify=False``.
"""
from __future__ import annotations

import re

import numpy as np

from ..json_values import json_float32, json_number

_TABLE_META = {"schema_version": 3, "schema_name": "TwoDimTableV3", "schema_type": "TwoDimTable"}
_COLUMN_META = {"schema_version": -1, "schema_name": "ColumnSpecsBase", "schema_type": "Iced"}
_CELL_TYPES = ("string", "int", "long", "float", "double")


def pythonify(header: str | None) -> str | None:
    """H2O's ``TwoDimTableV3.pythonify``: split on whitespace/underscores, lower-case, join with
    ``_``, then drop every non-word character."""
    if header is None:
        return None
    joined = "_".join(part.lower() for part in re.split(r"[\s_]+", header))
    return re.sub(r"[^\w]", "", joined, flags=re.ASCII)


def _cell(value, col_type: str):
    if value is None:
        return None
    if col_type == "string":
        return str(value)
    if col_type in ("int", "long"):
        if isinstance(value, str):      # already a JSON non-finite token
            return value
        f = float(value)
        return int(f) if f == f and abs(f) != float("inf") else json_number(f)
    if col_type == "float":
        return value if isinstance(value, str) else json_float32(value)
    return value if isinstance(value, str) else json_number(value)


def _column(values: list, col_type: str) -> list:
    """Cells of one column; plain numeric columns are converted in one numpy pass (the
    thresholds table has ~8,000 cells and is rebuilt at every scoring event)."""
    if col_type in ("double", "int", "long") and values and all(
            isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool) for v in values):
        arr = np.asarray(values, dtype=np.float64)
        if np.all(np.isfinite(arr)):
            return arr.astype(np.int64).tolist() if col_type != "double" else arr.tolist()
    return [_cell(v, col_type) for v in values]


def two_dim_table(name: str, description: str, columns: list[tuple[str, str, str]],
                  rows: list[list], row_headers: list[str] | None = None,
                  pythonify: bool = True) -> dict:
    """Build a TwoDimTableV3 dict.

    ``columns`` are ``(header, type, format)`` with type one of string/int/long/float/double;
    ``rows`` are row-major lists of cell values (None -> null, NaN -> "NaN", float columns rounded
    to float32 as H2O stores them).
    """
    for header, col_type, _fmt in columns:
        if col_type not in _CELL_TYPES:
            raise ValueError(f"two_dim_table {name!r}: column {header!r} has type {col_type!r}; "
                             f"expected one of {', '.join(_CELL_TYPES)}")
    for r, row in enumerate(rows):
        if len(row) != len(columns):
            raise ValueError(f"two_dim_table {name!r}: row {r} has {len(row)} cells for "
                             f"{len(columns)} columns")
    if row_headers is not None and len(row_headers) != len(rows):
        raise ValueError(f"two_dim_table {name!r}: {len(row_headers)} row headers for {len(rows)} rows")
    rename = _pythonify_name if pythonify and "confusion" not in name.lower() else (lambda h: h)
    specs, data = [], []
    if row_headers is not None and all(h is not None for h in row_headers):
        specs.append({"__meta": dict(_COLUMN_META), "name": "", "type": "string", "format": "%s",
                      "description": ""})
        data.append([str(h) for h in row_headers])
    for c, (header, col_type, fmt) in enumerate(columns):
        specs.append({"__meta": dict(_COLUMN_META), "name": rename(header), "type": col_type,
                      "format": fmt, "description": header})
        data.append(_column([row[c] for row in rows], col_type))
    return {"__meta": dict(_TABLE_META), "name": name, "description": description,
            "columns": specs, "rowcount": len(rows), "data": data}


_pythonify_name = pythonify


def table_rows(table: dict) -> list[list]:
    """The rows of a TwoDimTableV3 dict (row-major), including a leading "" column if present."""
    return [list(r) for r in zip(*table["data"])] if table["data"] else []


def table_column(table: dict, name: str) -> list:
    """One column of a TwoDimTableV3 dict by its (pythonified) name."""
    for spec, col in zip(table["columns"], table["data"]):
        if spec["name"] == name:
            return list(col)
    raise KeyError(f"table {table['name']!r} has no column {name!r}")
