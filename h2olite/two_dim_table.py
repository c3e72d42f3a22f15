"""H2OTwoDimTable: the client side of H2O's TwoDimTableV3 (model summaries, metrics tables, ...).

Printed exactly as h2o-py prints it: a ``<name>: <description>`` caption, then a ``tabulate``
table with left-aligned cells; tables longer than ``rows`` show their first and last halves
around a ``---`` row and a ``[R rows x C columns]`` footer.
"""
from __future__ import annotations

import copy

import tabulate

from .exceptions import H2OValueError

_FLOAT_TYPES = ("double", "float", "long")


def _parse_columns(columns, types):
    """Column-major wire data -> list of row tuples, with H2O's per-type cell conversion."""
    values = [list(col) for col in columns]
    for ci, col in enumerate(values):
        kind = types[ci] if ci < len(types) else "string"
        for ri, v in enumerate(col):
            if kind == "integer":       # h2o-py converts only these; "int" cells stay as sent
                col[ri] = "" if v is None else _int_or_nan(v)
            elif kind in _FLOAT_TYPES:
                col[ri] = "" if v is None else _float(v)
    return list(zip(*values))


def _float(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return v


def _int_or_nan(v):
    f = _float(v)
    if isinstance(f, float) and f == f and abs(f) != float("inf"):
        return int(f)
    return f


class H2OTwoDimTable:
    """A two-dimensional table with a caption and column headers (h2o-py's class of that name)."""

    def __init__(self, table_header=None, table_description=None, col_header=None, col_types=None,
                 col_formats=None, row_header=None, cell_values=None, raw_cell_values=None):
        self._table_header = table_header
        self._table_description = table_description
        self._col_header = list(col_header) if col_header is not None else []
        self._col_types = list(col_types) if col_types is not None else None
        self._col_formats = col_formats
        if cell_values is not None:
            self._cell_values = [list(r) for r in cell_values]
        else:
            self._cell_values = [list(r) for r in _parse_columns(raw_cell_values or [], self._col_types or [])]

    @staticmethod
    def from_json(obj) -> "H2OTwoDimTable":
        """Build from a TwoDimTableV3 dict (``columns`` specs + column-major ``data``)."""
        cols = obj.get("columns") or []
        return H2OTwoDimTable(table_header=obj.get("name"), table_description=obj.get("description"),
                              col_header=[c.get("name") for c in cols], col_types=[c.get("type") for c in cols],
                              col_formats=[c.get("format") for c in cols], raw_cell_values=obj.get("data") or [])

    @staticmethod
    def make(keyvals):
        """h2o-py's factory from (key, value) pairs of a TwoDimTableV3."""
        return H2OTwoDimTable.from_json(dict(keyvals))

    @property
    def cell_values(self):
        """The contents of the table, as a list of rows."""
        return self._cell_values

    @property
    def col_header(self):
        return self._col_header

    @property
    def col_types(self):
        return self._col_types

    @property
    def table_header(self):
        return self._table_header

    @property
    def table_description(self):
        return self._table_description

    def as_data_frame(self):
        """The table as a pandas DataFrame."""
        import pandas
        return pandas.DataFrame(self._cell_values, columns=self._col_header)

    def __getitem__(self, item):
        if isinstance(item, (int, str)) and not isinstance(item, bool):
            if isinstance(item, int):
                index = item + len(self._col_header) if item < 0 else item
                if not 0 <= index < len(self._col_header):
                    raise H2OValueError("Index %d is out of range" % item)
            elif item in self._col_header:
                index = self._col_header.index(item)
            else:
                raise H2OValueError("Column `%s` does not exist in the table" % item)
            return [row[index] for row in self._cell_values]
        if isinstance(item, slice):
            new_table = copy.deepcopy(self)
            new_table._cell_values = [self._cell_values[i] for i in range(*item.indices(len(self._cell_values)))]
            return new_table
        if isinstance(item, (list, tuple)):
            return [self[i] for i in item]
        raise TypeError("can not support getting item for " + str(item))

    def __len__(self):
        return len(self._cell_values)

    # ---- printing ------------------------------------------------------------------------------
    @property
    def caption(self):
        if self._table_header is None:
            return None
        if self._table_description is None:
            return self._table_header
        return "{}: {}".format(self._table_header, self._table_description)

    def to_str(self, header=True, rows=20) -> str:
        body = self._cell_values
        nr = len(body)
        nc = len(self._col_header) if self._col_header else (len(body[0]) if body else 0)
        truncated = 0 < rows < nr
        if truncated:
            half = rows // 2
            body = body[:half] + [["---"] * nc] + body[nr - half:]
        text = tabulate.tabulate(body, headers=self._col_header or (), numalign="left", stralign="left")
        if header and self.caption is not None:
            text = self.caption + "\n" + text
        if truncated:
            text += "\n[{} row{} x {} column{}]\n".format(nr, "" if nr == 1 else "s", nc, "" if nc == 1 else "s")
        return text

    def __str__(self):
        return self.to_str()

    def __repr__(self):
        return self.to_str()

    def _repr_pretty_(self, p, cycle):
        p.text(self.to_str())

    def show(self, header=True, rows=20, **_):
        print(self.to_str(header=header, rows=rows))
        if 0 < rows < len(self._cell_values):
            print("(Use rows=-1 to render the whole table)")


def convert_tables(obj):
    """Replace every TwoDimTableV3 dict inside a decoded JSON value by an H2OTwoDimTable."""
    if isinstance(obj, dict):
        meta = obj.get("__meta")
        if isinstance(meta, dict) and meta.get("schema_type") == "TwoDimTable":
            return H2OTwoDimTable.from_json(obj)
        return {k: convert_tables(v) if isinstance(v, (dict, list)) else v for k, v in obj.items()}
    if isinstance(obj, list):
        # a model's JSON holds long lists of names and numbers: only containers can hold a table
        return [convert_tables(v) if isinstance(v, (dict, list)) else v for v in obj]
    return obj
