"""``H2OFrame``: a handle to a frame held by the backend, with h2o-py's API.

The client holds only a key and a small cache of metadata (names, types, row/column counts,
rollups and the first rows, from ``GET /3/Frames/{key}``). Every operation is evaluated on the
backend at once as a Rapids expression (see ``expr.py``); a result frame lives under a session
temp key that is removed when its Python object is garbage-collected. Assignments
(``fr["y"] = ...``, ``fr.names = ...``) change the frame in place: an imported or named frame
keeps its key, a temp frame moves to a fresh temp key (H2O will not overwrite a session temp).
The Rapids emitted is the dialect stock H2O-3 understands, so the client also works against it.
"""
from __future__ import annotations

import csv
import io
import math
import numbers
import time
import warnings

from . import expr as _ex
from .backend import connection as _conn
from .display import cell, table_footer, tabulate
from .exceptions import H2ODeprecationWarning, H2OResponseError, H2OTypeError, H2OValueError

ARROW_STREAM = "application/vnd.apache.arrow.stream"

# User spellings of column types (h2o-py's import_file/H2OFrame) -> the backend's names.
TYPE_ALIASES = {
    "unknown": "BAD", "bad": "BAD", "uuid": "UUID", "string": "String", "str": "String",
    "float": "Numeric", "real": "Numeric", "double": "Numeric", "int": "Numeric", "long": "Numeric",
    "numeric": "Numeric", "categorical": "Enum", "factor": "Enum", "enum": "Enum", "time": "Time",
}


def wire_type(t, name="column_types") -> str | None:
    """One user column type -> the backend's spelling; ``H2OValueError`` for an unknown one."""
    if t is None:
        return None
    if not isinstance(t, str) or t.lower() not in TYPE_ALIASES:
        raise H2OValueError(f"Unknown column type {t!r} in `{name}`; use one of "
                            f"{', '.join(sorted(TYPE_ALIASES))}", var_name=name)
    return TYPE_ALIASES[t.lower()]


def _is_int(x) -> bool:
    return isinstance(x, numbers.Integral) and not isinstance(x, bool)


class H2OFrame:
    """A frame stored on the backend (``frame_id``), mirroring h2o-py's H2OFrame."""

    def __init__(self, python_obj=None, destination_frame=None, header=0, separator=",",
                 column_names=None, column_types=None, na_strings=None, skipped_columns=None,
                 force_col_types=False):
        self._key: str | None = None
        self._owned = False          # a session temp key this object removes when collected
        self._removed = False
        self._meta: dict | None = None
        self._dims: tuple[int, int] | None = None
        if isinstance(python_obj, H2OFrame):          # a copy of another frame, made on the backend
            copy = python_obj._result(f"(cols_py {python_obj._ast()} {_ex.span(0, python_obj.ncol)})",
                                      key=destination_frame)
            self._key, self._owned, self._dims = copy._key, copy._owned, copy._dims
            copy._owned = False
        elif python_obj is not None:
            key = upload_python_object(python_obj, destination_frame, header, separator, column_names,
                                       column_types, na_strings, skipped_columns, force_col_types)
            self._key = key
        elif destination_frame is not None:
            raise H2OValueError("`destination_frame` needs `python_obj` (the data to upload)",
                                var_name="destination_frame")

    # --- construction helpers --------------------------------------------------------------
    @classmethod
    def _wrap(cls, key: str, owned: bool = False, nrow: int | None = None, ncol: int | None = None,
              meta: dict | None = None) -> "H2OFrame":
        fr = cls.__new__(cls)
        fr._key, fr._owned, fr._removed, fr._meta = key, owned, False, meta
        fr._dims = (int(nrow), int(ncol)) if nrow is not None and ncol is not None else None
        return fr

    @classmethod
    def get_frame(cls, frame_id: str, rows: int = 10, rows_offset: int = 0, cols: int = -1,
                  full_cols: int = -1, cols_offset: int = 0, light: bool = False) -> "H2OFrame":
        """Wrap an existing backend frame (``H2OResponseError`` if there is none under ``frame_id``).

        ``rows`` is the number of preview rows fetched now. h2o-py's other arguments only shape that
        preview; h2olite always previews from the first row and column, so other values are refused."""
        if not isinstance(frame_id, str):
            raise H2OTypeError("frame_id", frame_id, type(frame_id).__name__, "str")
        for name, value, default in (("rows_offset", rows_offset, 0), ("cols", cols, -1),
                                     ("full_cols", full_cols, -1), ("cols_offset", cols_offset, 0)):
            if value != default:
                raise H2OValueError(f"get_frame(): `{name}` must be {default} in h2olite (the preview always "
                                    "starts at the first row and covers every column)", var_name=name)
        if not _is_int(rows) or rows < 0:
            raise H2OValueError(f"`rows` must be a non-negative integer, got {rows!r}", var_name="rows")
        fr = cls._wrap(frame_id)
        fr._fetch(rows, light)
        return fr

    @classmethod
    def from_python(cls, python_obj, destination_frame=None, header=0, separator=",", column_names=None,
                    column_types=None, na_strings=None):
        """Same as the constructor (h2o-py's older spelling)."""
        return cls(python_obj, destination_frame, header, separator, column_names, column_types, na_strings)

    def _result(self, ast: str, key: str | None = None) -> "H2OFrame":
        """Evaluate a frame-valued ``ast`` into a new temp (or named) key and wrap it."""
        if key is not None:
            _ex.check_key(key)
        owned = key is None
        key = key or _ex.temp_key()
        op = "tmp=" if owned else "assign"
        resp = _ex.rapids(f"({op} {key} {ast})")
        return H2OFrame._wrap(_key_name(resp) or key, owned, resp.get("num_rows"), resp.get("num_cols"))

    def _value(self, ast: str):
        """Evaluate an ``ast`` whose result is a scalar, a list or a string."""
        resp = _ex.rapids(ast)
        for field in ("scalar", "string", "funstr"):
            if field in resp and resp[field] is not None:
                v = resp[field]
                return [cell(x) for x in v] if isinstance(v, list) else cell(v)
        if "num_rows" in resp:
            raise H2OResponseError(f"Expected a value from {ast[:80]!r} but the backend returned a frame")
        return None

    def _assign_in_place(self, ast: str) -> None:
        """Replace this frame's content by ``ast``. A user frame keeps its key; a temp frame moves to
        a fresh temp key (H2O refuses to overwrite a session temp), as h2o-py's frames do."""
        if self._owned:
            new = _ex.temp_key()
            resp = _ex.rapids(f"(tmp= {new} {ast})")
            old, self._key = self._key, new
            _ex.remove_frame(old)
        else:
            resp = _ex.rapids(f"(assign {self._key} {ast})")
        self._meta = None
        self._dims = (resp["num_rows"], resp["num_cols"]) if "num_rows" in resp and "num_cols" in resp else None

    def __del__(self):
        try:
            if self._owned and self._key is not None and not self._removed:
                _ex.schedule_removal(self._key)
        except Exception:
            pass

    # --- identity --------------------------------------------------------------------------
    def _ast(self) -> str:
        self._check_alive()
        return self._key

    def _check_alive(self) -> None:
        if self._removed:
            raise H2OValueError("This H2OFrame has been removed from the backend")
        if self._key is None:
            raise H2OValueError("This H2OFrame is empty and not initialized")

    @property
    def frame_id(self) -> str | None:
        """The frame's key on the backend (settable: the frame is renamed)."""
        return self._key

    @frame_id.setter
    def frame_id(self, new_id: str) -> None:
        if not isinstance(new_id, str) or not new_id:
            raise H2OTypeError("frame_id", new_id, type(new_id).__name__, "non-empty str")
        _ex.check_key(new_id, "frame_id")
        self._check_alive()
        if new_id == self._key:
            return
        _ex.rapids(f"(assign {new_id} {self._key})")
        _ex.remove_frame(self._key)
        self._key, self._owned = new_id, False

    key = frame_id

    @property
    def _id(self) -> str | None:
        return self._key

    def detach(self) -> None:
        """Forget the key (after ``h2o.remove``): printing says the frame was removed."""
        self._removed = True
        self._owned = False
        self._meta = None

    # --- metadata ------------------------------------------------------------------------------
    def _fetch(self, rows: int = 10, light: bool = False) -> dict:
        self._check_alive()
        resp = _conn.current().request(f"GET /3/Frames/{_quote(self._key)}{'/light' if light else ''}",
                                       data={"row_count": rows, "row_offset": 0, "column_offset": 0,
                                             "column_count": -1, "full_column_count": -1})
        meta = resp["frames"][0]
        self._meta = meta
        self._dims = (int(meta["rows"]), len(meta["columns"]))
        return meta

    def _info(self) -> dict:
        return self._meta if self._meta is not None else self._fetch()

    def refresh(self) -> None:
        """Re-read the frame's metadata from the backend."""
        self._fetch()

    @property
    def names(self) -> list[str]:
        """Column names (settable)."""
        return [c["label"] for c in self._info()["columns"]]

    @names.setter
    def names(self, value) -> None:
        self.set_names(value)

    columns = names
    col_names = names

    @property
    def nrow(self) -> int:
        if self._dims is None:
            self._fetch()
        return self._dims[0]

    @property
    def ncol(self) -> int:
        if self._dims is None:
            self._fetch()
        return self._dims[1]

    nrows = nrow
    ncols = ncol

    @property
    def shape(self) -> tuple[int, int]:
        return self.nrow, self.ncol

    @property
    def dim(self) -> list[int]:
        return [self.nrow, self.ncol]

    def __len__(self) -> int:
        return self.nrow

    @property
    def types(self) -> dict[str, str]:
        """``{column: type}`` with types int, real, enum, string, time, uuid."""
        return {c["label"]: c["type"] for c in self._info()["columns"]}

    def type(self, col) -> str:
        """The type of one column (name or index)."""
        return self._info()["columns"][self._col_index(col)]["type"]

    def columns_by_type(self, coltype: str = "numeric") -> list[int]:
        """Indices of the columns of a type: numeric, categorical, string, time, uuid, bad."""
        want = {"numeric": ("int", "real"), "categorical": ("enum",), "string": ("string",),
                "time": ("time",), "uuid": ("uuid",), "bad": ("bad",)}
        if coltype not in want:
            raise H2OValueError(f"Unknown coltype {coltype!r}; use one of {', '.join(want)}", var_name="coltype")
        return [i for i, t in enumerate(self.types.values()) if t in want[coltype]]

    def filter_na_cols(self, frac: float = 0.2) -> list[int]:
        """Indices of the columns whose fraction of NAs is below ``frac``."""
        n = max(self.nrow, 1)
        return [i for i, c in enumerate(self._info()["columns"]) if c.get("missing_count", 0) / n < frac]

    def isfactor(self) -> list[bool]:
        """One bool per column: is it an enum (factor) column."""
        return [t == "enum" for t in self.types.values()]

    def levels(self) -> list[list[str]]:
        """The levels of every column (``[]`` for non-enum columns)."""
        return [list(c.get("domain") or []) if c["type"] == "enum" else [] for c in self._info()["columns"]]

    def nlevels(self) -> list[int]:
        return [len(lv) for lv in self.levels()]

    def _col_index(self, col, names: list[str] | None = None) -> int:
        names = self.names if names is None else names
        if isinstance(col, str):
            if col not in names:
                raise H2OValueError(f"Column '{col}' does not exist in the frame {self._key} "
                                    f"(columns: {_preview(names)})", var_name="col")
            return names.index(col)
        if _is_int(col):
            i = int(col) + (len(names) if col < 0 else 0)
            if not 0 <= i < len(names):
                raise H2OValueError(f"Column index {col} is out of range for a frame with {len(names)} columns",
                                    var_name="col")
            return i
        raise H2OTypeError("col", col, type(col).__name__, "str or int")

    # --- selection -------------------------------------------------------------------------------
    def _cols_sel(self, cols) -> str:
        """A column selector for ``cols_py``: validated names/indices, a list of them, or a slice."""
        if isinstance(cols, (str, numbers.Integral)) and not isinstance(cols, bool):
            return str(self._col_index(cols))
        if isinstance(cols, slice):
            idx = range(*cols.indices(self.ncol))
            if idx.step == 1:
                return _ex.span(idx.start, max(len(idx), 0))
            return _ex.num_list(idx)
        if isinstance(cols, (list, tuple, range)):
            names = self.names
            return _ex.num_list([self._col_index(c, names) for c in cols])
        raise H2OTypeError("cols", cols, type(cols).__name__, "str, int, list or slice")

    def _rows_sel(self, rows) -> str:
        if isinstance(rows, H2OFrame):
            if rows.ncol != 1:
                raise H2OValueError(f"A row mask must have one column, got {rows.ncol}", var_name="rows")
            return rows._ast()
        n = self.nrow
        if _is_int(rows):
            i = int(rows) + (n if rows < 0 else 0)
            if not 0 <= i < n:
                raise H2OValueError(f"Row index {rows} is out of range for a frame with {n} rows", var_name="rows")
            return _ex.num_list([i])
        if isinstance(rows, slice):
            idx = range(*rows.indices(n))
            if idx.step == 1:
                return _ex.span(idx.start, max(len(idx), 0))
            return _ex.num_list(idx)
        if isinstance(rows, (list, tuple, range)):
            out = []
            for r in rows:
                if not _is_int(r):
                    raise H2OTypeError("rows", r, type(r).__name__, "int")
                i = int(r) + (n if r < 0 else 0)
                if not 0 <= i < n:
                    raise H2OValueError(f"Row index {r} is out of range for a frame with {n} rows", var_name="rows")
                out.append(i)
            return _ex.num_list(out)
        raise H2OTypeError("rows", rows, type(rows).__name__, "int, list, slice or a 1-column H2OFrame")

    def __getitem__(self, item):
        """``fr["c"]``, ``fr[3]``, ``fr[["a","b"]]``, ``fr[0:3]`` (columns), ``fr[mask]`` (rows),
        ``fr[rows, cols]``; one row and one column give a scalar."""
        self._check_alive()
        if isinstance(item, tuple):
            if len(item) != 2:
                raise H2OValueError("Index a frame with fr[rows, cols]", var_name="item")
            rows, cols = item
            all_rows = isinstance(rows, slice) and rows == slice(None)
            all_cols = isinstance(cols, slice) and cols == slice(None)
            ast = self._key
            if not all_rows:
                ast = f"(rows {ast} {self._rows_sel(rows)})"
            if not all_cols:
                ast = f"(cols_py {ast} {self._cols_sel(cols)})"
            if _is_int(rows) and (isinstance(cols, str) or _is_int(cols)):
                return self._value(f"(flatten {ast})")
            return self._result(ast)
        if isinstance(item, H2OFrame):
            return self._result(f"(rows {self._key} {self._rows_sel(item)})")
        return self._result(f"(cols_py {self._key} {self._cols_sel(item)})")

    def __iter__(self):
        return (self[i] for i in range(self.ncol))

    def __setitem__(self, item, value):
        """Replace a column or add a new one (value: frame, number, str or None); ``fr[rows, col] = v``."""
        self._check_alive()
        rows = None
        col = item
        if isinstance(item, tuple):
            if len(item) != 2:
                raise H2OValueError("Assign with fr[col] = v or fr[rows, col] = v", var_name="item")
            rows, col = item
            if isinstance(rows, slice) and rows == slice(None):
                rows = None
        if isinstance(value, H2OFrame) and value.ncol != 1:
            raise H2OValueError(f"Can assign only a 1-column frame to a column, got {value.ncol} columns",
                                var_name="value")
        if not (isinstance(value, (H2OFrame, str, numbers.Number)) or value is None):
            raise H2OTypeError("value", value, type(value).__name__, "H2OFrame, number, str or None")
        if isinstance(value, H2OFrame) and value.nrow != self.nrow and rows is None:
            raise H2OValueError(f"Cannot assign a column of {value.nrow} rows to a frame of {self.nrow} rows",
                                var_name="value")
        rows_ast = "[]" if rows is None else self._rows_sel(rows)
        val = _ex.operand(value)
        names = self.names
        if isinstance(col, str) and col not in names:
            if rows is None:
                ast = f"(append {self._key} {val} {_ex.str_lit(col)})"
            else:
                ast = f"(:= (append {self._key} NaN {_ex.str_lit(col)}) {val} {len(names)} {rows_ast})"
        else:
            ast = f"(:= {self._key} {val} {self._col_index(col)} {rows_ast})"
        self._assign_in_place(ast)

    def __contains__(self, value) -> bool:
        """True if ``value`` occurs in the frame (as h2o-py: a value test, not a column-name test)."""
        return bool((self == value).sum() > 0)

    # --- structure ---------------------------------------------------------------------------
    def head(self, rows: int = 10, cols: int = 200) -> "H2OFrame":
        """The first ``rows`` rows and ``cols`` columns, as a new H2OFrame."""
        nr, nc = min(int(rows), self.nrow), min(int(cols), self.ncol)
        return self._result(f"(rows (cols_py {self._key} {_ex.span(0, nc)}) {_ex.span(0, nr)})")

    def tail(self, rows: int = 10, cols: int = 200) -> "H2OFrame":
        """The last ``rows`` rows (first ``cols`` columns), as a new H2OFrame."""
        nr, nc = min(int(rows), self.nrow), min(int(cols), self.ncol)
        return self._result(f"(rows (cols_py {self._key} {_ex.span(0, nc)}) {_ex.span(self.nrow - nr, nr)})")

    def set_names(self, names) -> "H2OFrame":
        """Rename all columns (in place); returns self."""
        if not isinstance(names, (list, tuple)) or not all(isinstance(n, str) for n in names):
            raise H2OTypeError("names", names, type(names).__name__, "list of str")
        if len(names) != self.ncol:
            raise H2OValueError(f"Expected {self.ncol} column names, got {len(names)}", var_name="names")
        if len(set(names)) != len(names):
            dup = sorted({n for n in names if list(names).count(n) > 1})
            raise H2OValueError(f"Column names must be unique, duplicated: {dup}", var_name="names")
        self._assign_in_place(f"(colnames= {self._key} {_ex.span(0, self.ncol)} {_ex.str_list(names)})")
        return self

    def set_name(self, col=None, name=None) -> "H2OFrame":
        """Rename one column (in place); returns self."""
        if not isinstance(name, str):
            raise H2OTypeError("name", name, type(name).__name__, "str")
        idx = 0 if col is None else self._col_index(col)
        names = self.names
        if name in names and names.index(name) != idx:
            raise H2OValueError(f"Column '{name}' already exists in the frame", var_name="name")
        self._assign_in_place(f"(colnames= {self._key} [{idx}] {_ex.str_list([name])})")
        return self

    def rename(self, columns=None) -> "H2OFrame":
        """Rename columns given as ``{old: new}`` (names or indices); in place, returns self."""
        if not isinstance(columns, dict):
            raise H2OTypeError("columns", columns, type(columns).__name__, "dict")
        names = self.names
        new = list(names)
        for old, nm in columns.items():
            new[self._col_index(old, names)] = nm
        return self.set_names(new)

    def drop(self, index, axis: int = 1) -> "H2OFrame":
        """A new frame without the given columns (``axis=1``) or rows (``axis=0``)."""
        items = index if isinstance(index, (list, tuple)) else [index]
        if axis == 1:
            names = self.names
            gone = {self._col_index(c, names) for c in items}
            keep = [i for i in range(self.ncol) if i not in gone]
            return self._result(f"(cols_py {self._key} {_ex.num_list(keep)})")
        if axis == 0:
            n = self.nrow
            gone = set()
            for r in items:
                if not _is_int(r) or not -n <= r < n:
                    raise H2OValueError(f"Row index {r} is out of range for a frame with {n} rows", var_name="index")
                gone.add(int(r) % n)
            return self._result(f"(rows {self._key} {_ranges([i for i in range(n) if i not in gone])})")
        raise H2OValueError("`axis` must be 0 (rows) or 1 (columns)", var_name="axis")

    def pop(self, i) -> "H2OFrame":
        """Remove column ``i`` from this frame (in place) and return it as a new frame."""
        idx = self._col_index(i)
        col = self[idx]
        keep = [j for j in range(self.ncol) if j != idx]
        self._assign_in_place(f"(cols_py {self._key} {_ex.num_list(keep)})")
        return col

    def cbind(self, data) -> "H2OFrame":
        """Columns of ``self`` then of ``data`` (a frame, a number or a list of them)."""
        items = data if isinstance(data, (list, tuple)) else [data]
        for d in items:
            if isinstance(d, H2OFrame) and d.nrow != self.nrow:
                raise H2OValueError(f"Cannot cbind a frame of {d.nrow} rows to a frame of {self.nrow} rows",
                                    var_name="data")
        return self._result("(cbind " + " ".join([self._key] + [_ex.operand(d) for d in items]) + ")")

    def rbind(self, data) -> "H2OFrame":
        """Rows of ``self`` then of ``data`` (a frame or a list of frames with the same columns)."""
        items = data if isinstance(data, (list, tuple)) else [data]
        for d in items:
            if not isinstance(d, H2OFrame):
                raise H2OTypeError("data", d, type(d).__name__, "H2OFrame")
            if d.ncol != self.ncol:
                raise H2OValueError(f"Cannot row-bind a frame with {d.ncol} columns to a frame with "
                                    f"{self.ncol} columns", var_name="data")
            if d.names != self.names:
                raise H2OValueError(f"Cannot row-bind frames with different column names: {d.names} vs "
                                    f"{self.names}", var_name="data")
        return self._result("(rbind " + " ".join([self._key] + [d._ast() for d in items]) + ")")

    def split_frame(self, ratios=None, destination_frames=None, seed=None) -> list["H2OFrame"]:
        """Split the rows by one uniform draw per row into ``len(ratios)+1`` frames (same seed, same split)."""
        if ratios is None:
            ratios = [0.75]
        if isinstance(ratios, numbers.Real) and not isinstance(ratios, bool):
            ratios = [ratios]
        if not isinstance(ratios, (list, tuple)) or not ratios or \
                not all(isinstance(r, numbers.Real) and not isinstance(r, bool) for r in ratios):
            raise H2OValueError(f"`ratios` must be a list of numbers, got {ratios!r}", var_name="ratios")
        if any(not 0 < r < 1 for r in ratios):
            raise H2OValueError(f"Each ratio must be between 0 and 1 (exclusive), got {list(ratios)}",
                                var_name="ratios")
        if sum(ratios) >= 1.0:
            raise H2OValueError(f"Ratios must add up to less than 1.0, got {list(ratios)} (sum {sum(ratios)})",
                                var_name="ratios")
        if destination_frames is not None:
            if not isinstance(destination_frames, (list, tuple)) or len(destination_frames) != len(ratios) + 1 \
                    or not all(isinstance(d, str) and d for d in destination_frames):
                raise H2OValueError(f"`destination_frames` must be a list of {len(ratios) + 1} keys, got "
                                    f"{destination_frames!r}", var_name="destination_frames")
            for d in destination_frames:
                _ex.check_key(d, "destination_frames")
        if seed is not None and not _is_int(seed):
            raise H2OTypeError("seed", seed, type(seed).__name__, "int")
        runif = self.runif(-1 if seed is None else seed)
        try:
            splits, lo = [], 0.0
            bounds = list(itertools_accumulate(ratios)) + [None]
            for i, hi in enumerate(bounds):
                r = runif._key
                if hi is None:
                    mask = f"(>= {r} {_ex.num_lit(lo)})"
                elif i == 0:
                    mask = f"(< {r} {_ex.num_lit(hi)})"
                else:
                    mask = f"(& (>= {r} {_ex.num_lit(lo)}) (< {r} {_ex.num_lit(hi)}))"
                dest = destination_frames[i] if destination_frames else None
                splits.append(self._result(f"(rows {self._key} {mask})", key=dest))
                lo = hi
            return splits
        finally:
            runif._owned = False
            _ex.remove_frame(runif._key)

    def runif(self, seed=None) -> "H2OFrame":
        """A column of uniform [0, 1) draws, one per row (seed -1/None: random)."""
        if seed is not None and not _is_int(seed):
            raise H2OTypeError("seed", seed, type(seed).__name__, "int")
        return self._result(f"(h2o.runif {self._key} {-1 if seed is None else int(seed)})")

    def kfold_column(self, n_folds: int = 3, seed: int = -1) -> "H2OFrame":
        """A column of random fold numbers 0..n_folds-1, one per row."""
        if not _is_int(n_folds) or n_folds < 2:
            raise H2OValueError(f"`n_folds` must be an integer >= 2, got {n_folds!r}", var_name="n_folds")
        if not _is_int(seed):
            raise H2OTypeError("seed", seed, type(seed).__name__, "int")
        return self._result(f"(kfold_column {self._key} {int(n_folds)} {int(seed)})")

    def asfactor(self) -> "H2OFrame":
        """Enum (factor) version of the columns; levels of integers sort numerically ("0".."9")."""
        for name, t in self.types.items():
            if t not in ("int", "string", "enum", "bool"):
                raise H2OValueError(f"Only 'int' or 'string' are allowed for asfactor(), got {name}:{t}")
        return self._result(f"(as.factor {self._key})")

    def asnumeric(self) -> "H2OFrame":
        return self._result(f"(as.numeric {self._key})")

    def ascharacter(self) -> "H2OFrame":
        return self._result(f"(as.character {self._key})")

    def isna(self) -> "H2OFrame":
        """1/0 frame: is each value missing."""
        return self._result(f"(is.na {self._key})")

    def ifelse(self, yes, no) -> "H2OFrame":
        return self._result(f"(ifelse {self._key} {_ex.operand(yes)} {_ex.operand(no)})")

    def quantile(self, prob=None, combine_method: str = "interpolate", weights_column=None) -> "H2OFrame":
        """Quantiles of the numeric columns: a frame with a ``Probs`` column and one per input column."""
        if prob is None:
            prob = [0.01, 0.1, 0.25, 0.333, 0.5, 0.667, 0.75, 0.9, 0.99]
        if isinstance(prob, numbers.Real):
            prob = [prob]
        if not all(isinstance(p, numbers.Real) and 0 <= p <= 1 for p in prob):
            raise H2OValueError(f"`prob` must be numbers in [0, 1], got {prob!r}", var_name="prob")
        if combine_method not in ("interpolate", "average", "low", "high"):
            raise H2OValueError("`combine_method` must be one of interpolate, average, low, high",
                                var_name="combine_method")
        if weights_column is not None:
            raise H2OValueError("`weights_column` is not supported by h2olite's quantile", var_name="weights_column")
        probs = "[" + " ".join(_ex.num_lit(float(p)) for p in prob) + "]"
        return self._result(f"(quantile {self._key} {probs} {_ex.str_lit(combine_method)} _)")

    def round(self, digits: int = 0) -> "H2OFrame":
        """Values rounded to ``digits`` decimal places."""
        if not _is_int(digits):
            raise H2OTypeError("digits", digits, type(digits).__name__, "int")
        return self._result(f"(round {self._key} {int(digits)})")

    def unique(self, include_nas: bool = False) -> "H2OFrame":
        """The distinct values of a one-column frame."""
        return self._result(f"(unique {self._key} {_bool(include_nas)})")

    def table(self, data2=None, dense: bool = True) -> "H2OFrame":
        """Counts of each value (``<col>``, ``Count``), or of each pair with ``data2``."""
        if data2 is not None:
            return self._result(f"(table {self._key} {data2._ast()} {_bool(dense)})")
        return self._result(f"(table {self._key} {_bool(dense)})")

    # --- reductions ------------------------------------------------------------------------------
    def mean(self, skipna: bool = True, axis: int = 0, **kwargs):
        """Per-column means as a list (a frame with ``return_frame=True``; ``axis=1``: row means)."""
        if "na_rm" in kwargs:
            skipna = kwargs.pop("na_rm")
        return_frame = kwargs.pop("return_frame", False)
        if kwargs:
            raise H2OValueError(f"Unknown parameters {sorted(kwargs)!r}")
        if not isinstance(skipna, bool):
            raise H2OTypeError("skipna", skipna, type(skipna).__name__, "bool")
        if axis not in (0, 1):
            raise H2OValueError("`axis` must be 0 (columns) or 1 (rows)", var_name="axis")
        ast = f"(mean {self._key} {_bool(skipna)} {axis})"
        if return_frame:
            return self._result(ast)
        return _as_list(self._value(f"(getrow {ast})"))

    def sd(self, na_rm: bool = False) -> list[float]:
        """Per-column standard deviations (a list)."""
        return _as_list(self._value(f"(sd {self._key} {_bool(na_rm)})"))

    def var(self, y=None, na_rm: bool = False, use=None):
        """Variance of a single column (a float), else the covariance matrix (a frame)."""
        if use is None:
            use = "complete.obs" if na_rm else "everything"
        if use not in ("everything", "all.obs", "complete.obs"):
            raise H2OValueError(f"`use` must be 'everything', 'all.obs' or 'complete.obs', got {use!r}", var_name="use")
        ys = self._key if y is None else y._ast()
        ast = f"(var {self._key} {ys} {_ex.str_lit(use)} FALSE)"
        if self.ncol == 1 and (y is None or y.ncol == 1):
            return self._value(ast)
        return self._result(ast)

    def min(self):
        """The smallest value over all columns (a scalar)."""
        return self._value(f"(min {self._key})")

    def max(self):
        """The largest value over all columns (a scalar)."""
        return self._value(f"(max {self._key})")

    def sum(self, skipna: bool = True, axis: int = 0, **kwargs):
        """The sum over all values (a scalar); NAs are skipped unless ``skipna=False``."""
        if "na_rm" in kwargs:
            skipna = kwargs.pop("na_rm")
        if kwargs.pop("return_frame", False) or axis != 0:
            raise H2OValueError("sum(): per-column/row sums as a frame (return_frame=True, axis) are not "
                                "supported by h2olite; use mean() or the scalar sum()", var_name="return_frame")
        if kwargs:
            raise H2OValueError(f"Unknown parameters {sorted(kwargs)!r}")
        return self._value(f"({'sumNA' if skipna else 'sum'} {self._key})")

    def nacnt(self) -> list:
        """Number of missing values per column (a list)."""
        return _as_list(self._value(f"(naCnt {self._key})"))

    def getrow(self) -> list:
        """The values of a one-row frame, as a list."""
        if self.nrow != 1:
            raise H2OValueError(f"getrow() needs a frame with one row, this one has {self.nrow}")
        return _as_list(self._value(f"(getrow {self._key})"))

    def flatten(self):
        """The single value of a 1x1 frame."""
        return self._value(f"(flatten {self._key})")

    # --- elementwise operators --------------------------------------------------------------------
    def _binop(self, op: str, other, reverse: bool = False) -> "H2OFrame":
        a, b = self._ast(), _ex.operand(other)
        return self._result(f"({op} {b} {a})" if reverse else f"({op} {a} {b})")

    def __eq__(self, o): return self._binop("==", o)       # noqa: E704
    def __ne__(self, o): return self._binop("!=", o)       # noqa: E704
    def __lt__(self, o): return self._binop("<", o)        # noqa: E704
    def __le__(self, o): return self._binop("<=", o)       # noqa: E704
    def __gt__(self, o): return self._binop(">", o)        # noqa: E704
    def __ge__(self, o): return self._binop(">=", o)       # noqa: E704
    def __and__(self, o): return self._binop("&", o)       # noqa: E704
    def __or__(self, o): return self._binop("|", o)        # noqa: E704
    def __rand__(self, o): return self._binop("&", o, True)   # noqa: E704
    def __ror__(self, o): return self._binop("|", o, True)    # noqa: E704
    def __add__(self, o): return self._binop("+", o)       # noqa: E704
    def __sub__(self, o): return self._binop("-", o)       # noqa: E704
    def __mul__(self, o): return self._binop("*", o)       # noqa: E704
    def __truediv__(self, o): return self._binop("/", o)   # noqa: E704
    def __floordiv__(self, o): return self._binop("intDiv", o)  # noqa: E704
    def __mod__(self, o): return self._binop("%", o)       # noqa: E704
    def __pow__(self, o): return self._binop("^", o)       # noqa: E704
    def __radd__(self, o): return self._binop("+", o, True)   # noqa: E704
    def __rsub__(self, o): return self._binop("-", o, True)   # noqa: E704
    def __rmul__(self, o): return self._binop("*", o, True)   # noqa: E704
    def __rtruediv__(self, o): return self._binop("/", o, True)   # noqa: E704
    def __rfloordiv__(self, o): return self._binop("intDiv", o, True)  # noqa: E704
    def __rmod__(self, o): return self._binop("%", o, True)   # noqa: E704
    def __rpow__(self, o): return self._binop("^", o, True)   # noqa: E704

    __hash__ = object.__hash__

    def __neg__(self):
        return self._binop("*", -1)

    def __invert__(self):
        return self._result(f"(!! {self._key})")

    def __abs__(self):
        return self.abs()

    def abs(self) -> "H2OFrame":
        return self._result(f"(abs {self._key})")

    def log(self) -> "H2OFrame":
        return self._result(f"(log {self._key})")

    def exp(self) -> "H2OFrame":
        return self._result(f"(exp {self._key})")

    def sqrt(self) -> "H2OFrame":
        return self._result(f"(sqrt {self._key})")

    # --- download --------------------------------------------------------------------------------
    def get_frame_data(self) -> str:
        """The frame as CSV text (as H2O writes it)."""
        self._check_alive()
        return _conn.current().request("GET /3/DownloadDataset", data={"frame_id": self._key})

    def as_data_frame(self, use_pandas: bool = True, header: bool = True, use_multi_thread: bool = False):
        """A pandas DataFrame (enum labels that look like numbers become numbers, as H2O's CSV path
        gives), or with ``use_pandas=False`` a list of rows of strings, the header row first."""
        self._check_alive()
        if not use_pandas:
            rows = list(csv.reader(io.StringIO(self.get_frame_data())))
            return rows if header else rows[1:]
        return frame_to_pandas(self._key)

    # --- printing --------------------------------------------------------------------------------
    def _edge_case_text(self) -> str | None:
        if self._removed:
            return "H2OFrame has been removed."
        if self._key is None:
            return "H2OFrame is empty and not initialized."
        if self.nrow == 0 or self.ncol == 0:
            return "H2OFrame is empty."
        return None

    def _rows_table(self, meta: dict, rows: int, rollups: bool) -> str:
        data = {}
        cols = meta["columns"]
        nshown = min(rows, int(meta["rows"]))
        if rollups:
            data[""] = ["type", "mins", "mean", "maxs", "sigma", "zeros", "missing"] + [str(i) for i in range(nshown)]
        for c in cols:
            values = _column_values(c)[:nshown]
            if rollups:
                enum = c["type"] == "enum"
                mins = None if enum or not c.get("mins") else cell(c["mins"][0])
                maxs = None if enum or not c.get("maxs") else cell(c["maxs"][0])
                stats = [c["type"], mins, None if enum else cell(c.get("mean")), maxs,
                         None if enum else cell(c.get("sigma")), None if enum else c.get("zero_count"),
                         c.get("missing_count")]
                values = stats + values
            data[c["label"]] = values
        return tabulate(data, headers="keys", tablefmt="plain")

    def _to_str(self, rows: int = 10, cols: int = 200) -> str:
        text = self._edge_case_text()
        if text is not None:
            return text
        meta = self._info()
        if len(meta["columns"]) > cols:
            meta = dict(meta, columns=meta["columns"][:cols])
        if len(meta["columns"][0].get("data") or meta["columns"][0].get("string_data") or []) < min(rows, self.nrow):
            meta = self._fetch(rows)
        return self._rows_table(meta, rows, rollups=False) + table_footer(self.nrow, self.ncol)

    def __str__(self):
        return self._to_str()

    def __repr__(self):
        return self._to_str()

    def show(self, use_pandas=None, rows: int = 10, cols: int = 200, verbosity=None, fmt=None) -> None:
        """Print the first ``rows`` rows and the ``[N rows x M columns]`` footer (through pandas'
        printing with ``use_pandas=True``)."""
        if use_pandas and self._edge_case_text() is None:
            corner = self.head(rows=rows, cols=cols)
            print(corner.as_data_frame().to_string() + table_footer(self.nrow, self.ncol))
            return
        print(self._to_str(rows, cols))

    def get_summary(self) -> dict:
        """Per-column summary statistics, keyed by column name."""
        return {c["label"]: c for c in self._info()["columns"]}

    def _summary_text(self) -> str:
        text = self._edge_case_text()
        if text is not None:
            return text
        return self._rows_table(self._info(), 10, rollups=True) + table_footer(self.nrow, self.ncol)

    def show_summary(self) -> None:
        """Print the summary table (type, mins, mean, maxs, sigma, zeros, missing, first rows)."""
        print(self._summary_text())

    def summary(self, return_data: bool = False):
        """Deprecated in h2o-py: prints the summary table (or returns it as a dict)."""
        warnings.warn("``summary()`` is deprecated, please use ``show_summary()`` or ``get_summary()`` instead",
                      H2ODeprecationWarning, stacklevel=2)
        if return_data:
            return self.get_summary()
        self.show_summary()

    def describe(self, chunk_summary: bool = False) -> None:
        """Print ``Rows:N``, ``Cols:M`` and the summary table, as H2O does."""
        if self._key is not None and not self._removed:
            meta = self._fetch()
            print(f"Rows:{self.nrow}")
            print(f"Cols:{self.ncol}")
            if chunk_summary:
                for part in ("chunk_summary", "distribution_summary"):
                    if meta.get(part) is not None:
                        print(_table_text(meta[part]))
            print("")
        self.show_summary()


# --- helpers ---------------------------------------------------------------------------------
def itertools_accumulate(xs):
    total = 0.0
    for x in xs:
        total += x
        yield total


def _ranges(idx: list[int]) -> str:
    """Row indices as Rapids ranges ``[a:count b:count ...]`` (compact for long runs)."""
    parts, start, prev = [], None, None
    for i in idx:
        if start is None:
            start = prev = i
        elif i == prev + 1:
            prev = i
        else:
            parts.append(f"{start}:{prev - start + 1}")
            start = prev = i
    if start is not None:
        parts.append(f"{start}:{prev - start + 1}")
    return "[" + " ".join(parts) + "]"


def _bool(v) -> str:
    return "TRUE" if v else "FALSE"


def _as_list(v):
    if v is None:
        return []
    return v if isinstance(v, list) else [v]


def _key_name(resp: dict) -> str | None:
    k = resp.get("key")
    if isinstance(k, dict):
        return k.get("name")
    return k


def _quote(key: str) -> str:
    from urllib.parse import quote
    return quote(key, safe="")


def _preview(names: list[str], n: int = 10) -> str:
    shown = ", ".join(names[:n])
    return shown + (f", ... ({len(names)} in all)" if len(names) > n else "")


def _column_values(c: dict) -> list:
    """A column's preview cells from FrameV3 JSON, as H2O displays them."""
    t = c["type"]
    if t in ("string", "uuid"):
        return list(c.get("string_data") or [])
    data = [cell(x) for x in (c.get("data") or [])]
    if t == "enum":
        domain = c.get("domain") or []
        return ["" if x is None or (isinstance(x, float) and math.isnan(x)) else domain[int(x)] for x in data]
    if t == "time":
        return ["" if x is None or math.isnan(x) else time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(x / 1000))
                for x in data]
    return data


def _table_text(t) -> str:
    """A TwoDimTableV3 JSON as text (chunk/distribution summaries)."""
    if not isinstance(t, dict) or "columns" not in t:
        return str(t)
    headers = [c.get("name", "") for c in t["columns"]]
    cols = t.get("data") or []
    rows = [list(r) for r in zip(*cols)] if cols else []
    title = t.get("name") or ""
    return (title + ":\n" if title else "") + tabulate(rows, headers=headers, tablefmt="simple")



# --- python objects <-> backend frames (Arrow IPC) ----------------------------------------------
def upload_python_object(obj, destination_frame=None, header=0, separator=",", column_names=None,
                         column_types=None, na_strings=None, skipped_columns=None, force_col_types=False) -> str:
    """Send a pandas/dict/list/numpy object to the backend as one Arrow IPC stream; returns the key.

    h2o-py writes a temporary CSV and lets the backend parse it; the Arrow stream carries the
    same values (text -> enum, bool -> enum, None/NaN -> NA) without a text round trip.
    ``separator`` only shaped that temporary CSV in h2o-py, so here it is merely validated.
    """
    import pyarrow as pa

    if not isinstance(separator, str) or len(separator) != 1:
        raise H2OValueError(f"`separator` must be a single character, got {separator!r}", var_name="separator")
    if header not in (-1, 0, 1):
        raise H2OValueError(f"`header` must be -1 (no header), 0 (guess) or 1 (header), got {header!r}",
                            var_name="header")
    if destination_frame is not None:
        _ex.check_key(destination_frame)
    names, columns = _python_columns(obj, header)
    if skipped_columns:
        skip = set()
        for i in skipped_columns:
            if not _is_int(i) or not 0 <= i < len(names):
                raise H2OValueError(f"`skipped_columns` has index {i!r}, the data has {len(names)} columns",
                                    var_name="skipped_columns")
            skip.add(int(i))
        names = [n for j, n in enumerate(names) if j not in skip]
        columns = [c for j, c in enumerate(columns) if j not in skip]
    if column_names is not None:
        if not isinstance(column_names, (list, tuple)) or len(column_names) != len(names):
            raise H2OValueError(f"`column_names` must list {len(names)} names, got {column_names!r}",
                                var_name="column_names")
        names = [str(n) for n in column_names]
    if len(set(names)) != len(names):
        dup = sorted({n for n in names if names.count(n) > 1})
        raise H2OValueError(f"Column names must be unique, duplicated: {dup}", var_name="column_names")
    types = _per_column(column_types, names, "column_types")
    wire_types = [wire_type(t) for t in types] if types is not None else None
    nas = _per_column(na_strings, names, "na_strings", nested=True)
    arrays = []
    for j, values in enumerate(columns):
        na = nas[j] if nas is not None else None
        arrays.append(_arrow_column(values, names[j], na))
    table = pa.Table.from_arrays(arrays, names=names)
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    guessed = [_guess_text_type(a) for a in arrays]
    if wire_types is None and any(guessed):
        wire_types = [None] * len(arrays)
    params = {"destination_frame": destination_frame}
    if wire_types is not None:
        params["column_types"] = [t or g or _arrow_default_type(a.type)
                                  for t, g, a in zip(wire_types, guessed, arrays)]
    conn = _conn.current()
    if not _speaks_arrow(conn):
        return _upload_as_csv(table, destination_frame, params.get("column_types"))
    resp = conn.request("POST /3/PostFile", data=params, body=sink.getvalue().to_pybytes(),
                        content_type=ARROW_STREAM)
    key = resp.get("destination_frame")
    if isinstance(key, dict):
        key = key.get("name")
    if not key:
        raise H2OResponseError(f"The backend did not return the uploaded frame's key: {str(resp)[:300]}")
    return key


def _speaks_arrow(conn) -> bool:
    """Only an h2olite backend has the Arrow IPC extensions; a real H2O gets CSV."""
    cluster = getattr(conn, "cluster", None)
    props = getattr(cluster, "_props", None) or {}
    return props.get("branch_name", "h2olite") == "h2olite"


def _upload_as_csv(table, destination_frame, column_types) -> str:
    """h2o-py's way, for a stock H2O backend: a CSV body through PostFile, then ParseSetup/Parse."""
    from .h2o import parse_raw, parse_setup
    text = table.to_pandas().to_csv(index=False).encode()
    raw = _conn.current().request("POST /3/PostFile", body=text, content_type="application/octet-stream")
    setup = parse_setup([raw["destination_frame"]], destination_frame, 1, ",", list(table.column_names),
                        [t.lower() for t in column_types] if column_types else None)
    return parse_raw(setup).frame_id


def _guess_text_type(arr) -> str | None:
    """H2O's parse guess for a text column: "String" when its values are almost all distinct
    (more than 95%, PreviewParseWriter's rule), else None (the backend makes it an enum)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    if not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):
        return None
    n = len(arr) - arr.null_count
    if n == 0:
        return None
    return "String" if len(pc.unique(arr.drop_null())) > 0.95 * n else None


def _arrow_default_type(t) -> str:
    """The type the backend gives an Arrow column when none is asked for (text/bool -> enum)."""
    import pyarrow as pa
    if pa.types.is_timestamp(t) or pa.types.is_date(t):
        return "Time"
    if pa.types.is_integer(t) or pa.types.is_floating(t) or pa.types.is_null(t) or pa.types.is_decimal(t):
        return "Numeric"
    return "Enum"


def _python_columns(obj, header) -> tuple[list[str], list]:
    """(names, column value sequences) of a pandas DataFrame, dict, list, list of rows or numpy array."""
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover
        pd = None
    import numpy as np
    if isinstance(obj, H2OFrame):
        raise H2OTypeError("python_obj", obj, "H2OFrame", "python data (use h2o.deep_copy to copy a frame)")
    if pd is not None and isinstance(obj, pd.Series):
        obj = obj.to_frame()
    if pd is not None and isinstance(obj, pd.DataFrame):
        return [str(c) for c in obj.columns], [obj.iloc[:, j] for j in range(obj.shape[1])]
    if isinstance(obj, np.ndarray):
        if obj.ndim == 1:
            return ["C1"], [obj]
        if obj.ndim != 2:
            raise H2OValueError(f"A numpy array must be 1- or 2-dimensional, got {obj.ndim} dimensions",
                                var_name="python_obj")
        return [f"C{j + 1}" for j in range(obj.shape[1])], [obj[:, j] for j in range(obj.shape[1])]
    if isinstance(obj, dict):
        if not obj:
            raise H2OValueError("Cannot make a frame from an empty dict", var_name="python_obj")
        names, cols = [], []
        for k, v in obj.items():
            v = list(v) if isinstance(v, (list, tuple, range, np.ndarray)) else [v]
            names.append(str(k))
            cols.append(v)
        lengths = {len(c) for c in cols}
        if len(lengths) > 1:
            raise H2OValueError("All columns of a dict must have the same length, got lengths "
                                f"{dict(zip(names, map(len, cols)))}", var_name="python_obj")
        return names, cols
    if isinstance(obj, (list, tuple)):
        if not obj:
            raise H2OValueError("Cannot make a frame from an empty list", var_name="python_obj")
        if all(isinstance(r, (list, tuple)) for r in obj):
            rows = [list(r) for r in obj]
            first = None
            if header == 1:
                first, rows = [str(x) for x in rows[0]], rows[1:]
            width = max((len(r) for r in rows), default=len(first or []))
            for i, r in enumerate(rows):
                if len(r) != width:
                    raise H2OValueError(f"Row {i} has {len(r)} values, expected {width}", var_name="python_obj")
            names = first or [f"C{j + 1}" for j in range(width)]
            if len(names) != width:
                raise H2OValueError(f"The header row has {len(names)} names for {width} columns",
                                    var_name="python_obj")
            return names, [[r[j] for r in rows] for j in range(width)]
        if any(isinstance(r, (list, tuple, dict)) for r in obj):
            raise H2OValueError("A list must hold either rows (lists) or plain values, not a mix",
                                var_name="python_obj")
        return ["C1"], [list(obj)]
    raise H2OTypeError("python_obj", obj, type(obj).__name__,
                       "a pandas DataFrame, dict, list, list of lists or numpy array")


def _per_column(spec, names: list[str], what: str, nested: bool = False):
    """A per-column setting given as a list (one per column), a dict {name: v}, or (``nested``) one
    flat list for every column; None entries mean "not set"."""
    if spec is None:
        return None
    if isinstance(spec, dict):
        out = [None] * len(names)
        for k, v in spec.items():
            if k not in names:
                raise H2OValueError(f"`{what}` names column '{k}', which is not in {_preview(names)}", var_name=what)
            out[names.index(k)] = v
        return out
    if isinstance(spec, (list, tuple)):
        if nested and all(isinstance(x, str) for x in spec):
            return [list(spec)] * len(names)
        if len(spec) != len(names):
            raise H2OValueError(f"`{what}` must have one entry per column ({len(names)}), got {len(spec)}",
                                var_name=what)
        return list(spec)
    raise H2OTypeError(what, spec, type(spec).__name__, "list or dict")


def _arrow_column(values, name: str, na_strings):
    """One column as an Arrow array; values listed in ``na_strings`` become nulls."""
    import numpy as np
    import pyarrow as pa
    try:
        import pandas as pd
        if isinstance(values, pd.Series):
            if na_strings:
                values = values.where(~values.astype(str).isin([str(x) for x in na_strings]), None)
            return pa.array(values, from_pandas=True)
    except ImportError:  # pragma: no cover
        pass
    if isinstance(values, np.ndarray) and values.dtype.kind in "biuf" and not na_strings:
        return pa.array(values, from_pandas=True)
    vals = list(values)
    if na_strings:
        na = {str(x) for x in na_strings}
        vals = [None if v is not None and str(v) in na else v for v in vals]
    vals = [None if isinstance(v, float) and math.isnan(v) else (v.item() if isinstance(v, np.generic) else v)
            for v in vals]
    try:
        return pa.array(vals)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return pa.array([None if v is None else str(v) for v in vals], type=pa.string())


def frame_to_pandas(key: str):
    """Download a frame as pandas, through the Arrow endpoint when the backend has it (else CSV).

    H2O's client reads the CSV download with ``pandas.read_csv``, so enum/string columns whose
    labels all look like numbers come back as numbers and times as milliseconds; the Arrow path
    gives the same result, much faster.
    """
    import pandas as pd
    conn = _conn.current()
    try:
        payload = conn.request("GET /3/DownloadDataset.arrow", data={"frame_id": key}, raw=True)
    except H2OResponseError as e:
        if e.http_status != 404 or key in str(e):     # a missing frame, not a missing route
            raise
        text = conn.request("GET /3/DownloadDataset", data={"frame_id": key})
        return pd.read_csv(io.StringIO(text), low_memory=False, skip_blank_lines=False)
    import pyarrow as pa
    table = pa.ipc.open_stream(payload).read_all()
    arrays = []
    for col in table.columns:
        col = col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
        t = col.type
        if pa.types.is_dictionary(t):
            col = _labels_like_read_csv(col.dictionary, col.indices)
        elif pa.types.is_string(t) or pa.types.is_large_string(t):
            enc = col.dictionary_encode()
            col = _labels_like_read_csv(enc.dictionary, enc.indices)
        elif pa.types.is_timestamp(t):
            col = col.cast(pa.timestamp("ms")).cast(pa.int64())
        arrays.append(col)
    return pa.Table.from_arrays(arrays, names=table.column_names).to_pandas()


def _labels_like_read_csv(labels, indices):
    """Dictionary-coded text as ``pandas.read_csv`` would type it: numbers when every label is one
    (int64, or float64 when there are NAs), else text. Returns an Arrow array."""
    import pyarrow as pa
    import pyarrow.compute as pc
    text = labels.cast(pa.string())
    if len(labels) and set(text.to_pylist()) <= {"True", "False"}:       # read_csv reads these as bool
        return pc.take(pc.equal(text, "True"), indices)
    if len(labels):
        for target in (pa.int64(), pa.float64()):
            try:
                nums = pc.cast(labels.cast(pa.string()), target)
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                continue
            values = pc.take(nums, indices)
            return values.cast(pa.float64()) if values.null_count else values
    return pc.take(labels.cast(pa.string()), indices)
