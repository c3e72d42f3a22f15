"""Frame operations as plain functions on Frame/Column (no Flask, no Rapids syntax).

Rapids (rapids.py) drives these for the clients; model code reuses them. Every function
returns new Frames/Columns and shares untouched column arrays. Semantics follow H2O's Rapids
primitives (water/rapids/ast/prims): comparisons give 0/1 with Java's NaN rules (``NaN < x`` is
0, ``NaN != x`` is 1), enum columns compare by level label, reductions skip NA when asked.
"""
from __future__ import annotations

import math

import numpy as np

from ..errors import H2OError
from .arrow import is_integral, numeric_column
from .frame import ENUM, INT, NUMERIC_TYPES, REAL, STRING, TIME, UUID, Column, Frame

# --- selection --------------------------------------------------------------------------------

def column_indices(frame: Frame, sel) -> list[int]:
    """Column selector -> 0-based positions. ``sel`` is a name, an int, or a list of either.

    Negative numbers drop columns, as H2O's ``cols`` does for R (``-1`` drops the first column).
    """
    if isinstance(sel, (str, int, float, np.integer, np.floating)):
        sel = [sel]
    sel = list(sel)
    if not sel:
        return []
    if all(isinstance(s, str) for s in sel):
        return [frame.index_of(s) for s in sel]
    if any(isinstance(s, str) for s in sel):
        raise H2OError("A column selection cannot mix names and numbers")
    nums = [float(s) for s in sel]
    if any(math.isnan(s) for s in nums):
        raise H2OError("Column index NaN is not valid")
    ints = [int(s) for s in nums]
    if all(i < 0 for i in ints):
        drop = {-i - 1 for i in ints}
        bad = [d for d in drop if d >= frame.ncol]
        if bad:
            raise H2OError(f"Column index {-bad[0] - 1} out of range: frame has {frame.ncol} columns")
        return [j for j in range(frame.ncol) if j not in drop]
    if any(i < 0 for i in ints):
        raise H2OError("Cannot mix negative and positive column indices")
    bad = [i for i in ints if i >= frame.ncol]
    if bad:
        raise H2OError(f"Column index {bad[0]} out of range: frame has {frame.ncol} columns")
    return ints


def select_columns(frame: Frame, sel) -> Frame:
    return Frame([frame.columns[j] for j in column_indices(frame, sel)])


def row_index(frame: Frame, sel) -> np.ndarray | slice:
    """Row selector -> an index array/slice. ``sel``: list of ints (negatives drop), a 1-column
    0/1 frame (mask; NA rows excluded), or None/empty list (all rows)."""
    n = frame.nrow
    if sel is None:
        return slice(None)
    if isinstance(sel, Frame):
        if sel.ncol != 1:
            raise H2OError(f"A row mask must have one column, got {sel.ncol}")
        if sel.nrow != n:
            raise H2OError(f"Row mask has {sel.nrow} rows but the frame has {n}")
        v = sel.columns[0].as_float() if sel.columns[0].type != STRING else None
        if v is None:
            raise H2OError("A row mask must be numeric (0/1)")
        return np.flatnonzero((v != 0) & ~np.isnan(v))
    idx = np.asarray(sel if isinstance(sel, (list, tuple, np.ndarray)) else [sel], dtype=np.float64)
    if idx.size == 0:
        return slice(None)
    if np.isnan(idx).any():
        raise H2OError("Row index NaN is not valid")
    idx = idx.astype(np.int64)
    if (idx < 0).all():
        keep = np.ones(n, dtype=bool)
        drop = -idx - 1
        keep[drop[drop < n]] = False
        return np.flatnonzero(keep)
    if (idx < 0).any():
        raise H2OError("Cannot mix negative and positive row indices")
    if (idx >= n).any():
        idx = idx[idx < n]                       # H2O ignores rows past the end
    return idx


def select_rows(frame: Frame, sel) -> Frame:
    return frame.take_rows(row_index(frame, sel))


def rename_columns(frame: Frame, positions: list[int], names: list[str]) -> Frame:
    if len(positions) != len(names):
        raise H2OError(f"Got {len(names)} names for {len(positions)} columns")
    cols = list(frame.columns)
    for j, name in zip(positions, names):
        if not 0 <= j < len(cols):
            raise H2OError(f"Column index {j} out of range: frame has {len(cols)} columns")
        cols[j] = cols[j].renamed(str(name))
    return Frame(cols, frame.key)


# --- column construction ----------------------------------------------------------------------

def constant_column(name: str, value, n: int) -> Column:
    """A column repeating a number, a string (-> 1-level enum as H2O) or None (-> NA)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return Column(name, INT, np.full(n, np.nan))
    if isinstance(value, str):
        return Column(name, ENUM, np.zeros(n, dtype=np.int32), (value,))
    return numeric_column(name, np.full(n, float(value)))


def _broadcast(value, n: int, name: str) -> Column:
    if isinstance(value, Frame):
        if value.ncol != 1:
            raise H2OError(f"Expected a single column, got {value.ncol} columns")
        col = value.columns[0]
        if len(col) != n:
            raise H2OError(f"Column has {len(col)} rows, expected {n}")
        return col.renamed(name)
    if isinstance(value, Column):
        return value.renamed(name)
    return constant_column(name, value, n)


def cbind(frames: list) -> Frame:
    """Columns side by side; scalars become constant columns; duplicate names get ``0``,``1``... as H2O."""
    real = [f for f in frames if isinstance(f, Frame)]
    if not real:
        raise H2OError("cbind needs at least one frame")
    n = real[0].nrow
    cols: list[Column] = []
    for f in frames:
        if isinstance(f, Frame):
            if f.nrow != n and f.ncol:
                raise H2OError(f"cbind: frames have different row counts ({n} vs {f.nrow})")
            cols.extend(f.columns)
        else:
            cols.append(constant_column(f"C{len(cols) + 1}", f, n))
    seen: dict[str, int] = {}
    out = []
    for c in cols:
        if c.name in seen:
            k = seen[c.name]
            new = f"{c.name}{k}"
            while new in seen:
                k += 1
                new = f"{c.name}{k}"
            seen[c.name] = k + 1
            seen[new] = 0
            out.append(c.renamed(new))
        else:
            seen[c.name] = 0
            out.append(c)
    return Frame(out)


def rbind(frames: list[Frame]) -> Frame:
    """Rows stacked; column counts and types must agree (enum domains are merged, sorted)."""
    frames = [f for f in frames]
    if not frames or not all(isinstance(f, Frame) for f in frames):
        raise H2OError("rbind needs frames")
    first = frames[0]
    for f in frames[1:]:
        if f.ncol != first.ncol:
            raise H2OError(f"rbind: frames have different column counts ({first.ncol} vs {f.ncol})")
    cols = []
    for j, c0 in enumerate(first.columns):
        parts = [f.columns[j] for f in frames]
        kinds = {_kind(p) for p in parts}
        if len(kinds) > 1:
            raise H2OError(f"rbind: column '{c0.name}' has types {sorted(p.type for p in parts)} in the frames")
        kind = kinds.pop()
        if kind == "num":
            cols.append(numeric_column(c0.name, np.concatenate([p.data for p in parts]),
                                       TIME if c0.type == TIME else None))
        elif kind == ENUM:
            domain = sorted(set().union(*[p.domain for p in parts]))
            pos = {lvl: i for i, lvl in enumerate(domain)}
            codes = [_recode(p, pos) for p in parts]
            cols.append(Column(c0.name, ENUM, np.concatenate(codes).astype(np.int32), tuple(domain)))
        else:
            cols.append(Column(c0.name, c0.type, np.concatenate([p.data for p in parts])))
    return Frame(cols)


def _kind(c: Column) -> str:
    return "num" if c.type in NUMERIC_TYPES else c.type


def _recode(col: Column, pos: dict[str, int]) -> np.ndarray:
    remap = np.array([pos[lvl] for lvl in col.domain] + [-1], dtype=np.int32)
    return remap[np.where(col.data < 0, len(col.domain), col.data)]


def assign(frame: Frame, value, cols: list[int], rows=None) -> Frame:
    """H2O's ``(:= frame value cols rows)``: replace cells of ``cols`` (all rows when ``rows`` is None).

    A column index equal to ``ncol`` appends a new column (named ``C<n+1>``).
    """
    n = frame.nrow
    idx = row_index(frame, rows) if rows is not None else slice(None)
    all_rows = isinstance(idx, slice)
    out = list(frame.columns)
    for k, j in enumerate(cols):
        if j == len(out):
            out.append(constant_column(f"C{j + 1}", None, n))
        if not 0 <= j < len(out):
            raise H2OError(f"Column index {j} out of range: frame has {frame.ncol} columns")
        name = out[j].name
        if isinstance(value, Frame) and value.ncol > 1:
            if value.ncol != len(cols):
                raise H2OError(f"Assigning {value.ncol} columns into {len(cols)} columns")
            src = value.columns[k]
        elif isinstance(value, Frame):
            src = value.columns[0]
        else:
            src = None
        if all_rows:
            if src is not None:
                if len(src) != n:
                    raise H2OError(f"Assigned column has {len(src)} rows, the frame has {n}")
                out[j] = src.renamed(name)
            else:
                out[j] = constant_column(name, value, n)
        else:
            out[j] = _assign_rows(out[j], idx, src if src is not None else value)
    return Frame(out, frame.key)


def _assign_rows(col: Column, idx: np.ndarray, value) -> Column:
    if isinstance(value, Column):
        if len(value) == len(col):
            value_rows = value.take(idx)
        elif len(value) == len(idx):
            value_rows = value
        else:
            raise H2OError(f"Assigned column has {len(value)} rows, expected {len(idx)}")
        if col.type == ENUM and value_rows.type == ENUM:
            domain = list(col.domain) + [d for d in value_rows.domain if d not in col.domain]
            pos = {lvl: i for i, lvl in enumerate(domain)}
            data = col.data.copy()
            data[idx] = _recode(value_rows, pos)
            return Column(col.name, ENUM, data, tuple(domain))
        if col.type in NUMERIC_TYPES and value_rows.type in NUMERIC_TYPES + (ENUM,):
            data = col.data.copy()
            data[idx] = value_rows.as_float()
            return numeric_column(col.name, data, TIME if col.type == TIME else None)
        if col.type in (STRING, UUID):
            data = col.data.copy()
            data[idx] = _as_strings(value_rows)
            return Column(col.name, col.type, data)
        raise H2OError(f"Cannot assign a {value_rows.type} column into {col.type} column '{col.name}'")
    if value is None or (isinstance(value, float) and math.isnan(value)):
        data = col.data.copy()
        data[idx] = -1 if col.type == ENUM else (None if col.data.dtype == object else np.nan)
        return Column(col.name, col.type, data, col.domain)
    if isinstance(value, str):
        if col.type == ENUM:
            domain = list(col.domain)
            if value not in domain:
                domain.append(value)
            data = col.data.copy()
            data[idx] = domain.index(value)
            return Column(col.name, ENUM, data, tuple(domain))
        if col.type in (STRING, UUID):
            data = col.data.copy()
            data[idx] = value
            return Column(col.name, col.type, data)
        raise H2OError(f"Cannot assign the string '{value}' into numeric column '{col.name}'")
    if col.type in NUMERIC_TYPES:
        data = col.data.copy()
        data[idx] = float(value)
        return numeric_column(col.name, data, TIME if col.type == TIME else None)
    raise H2OError(f"Cannot assign the number {value} into {col.type} column '{col.name}'")


def append_column(frame: Frame, value, name: str) -> Frame:
    """H2O's ``(append frame value "name")``: add a column (a 1-col frame or a constant)."""
    col = _broadcast(value, frame.nrow, name)
    if frame.ncol == 0:
        return Frame([col], frame.key)
    return Frame(list(frame.columns) + [col], frame.key)


# --- type conversion --------------------------------------------------------------------------

def _format_number(v: float) -> str:
    """A number as H2O writes a level label: integers without '.0', else the shortest repr."""
    if math.isinf(v):
        return "Inf" if v > 0 else "-Inf"
    if v == int(v) and abs(v) < 2 ** 63:
        return str(int(v))
    return repr(float(v))


def as_factor(col: Column) -> Column:
    """H2O's ``as.factor``: numeric levels sorted numerically, labelled as decimal strings ("0".."9";
    reals as their shortest repr, e.g. "4.3"); strings sorted lexicographically."""
    if col.type == ENUM:
        return col
    if col.type in (STRING, UUID):
        vals = [v for v in col.data if v is not None]
        domain = sorted(set(vals))
        pos = {lvl: i for i, lvl in enumerate(domain)}
        codes = np.array([pos[v] if v is not None else -1 for v in col.data], dtype=np.int32)
        return Column(col.name, ENUM, codes, tuple(domain))
    v = col.data
    ok = ~np.isnan(v)
    levels, inverse = np.unique(v[ok], return_inverse=True)
    if len(levels) > 10_000_000:
        raise H2OError(f"Column '{col.name}' has too many distinct values ({len(levels)}) for a factor")
    codes = np.full(len(v), -1, dtype=np.int32)
    codes[ok] = inverse.astype(np.int32)
    return Column(col.name, ENUM, codes, tuple(_format_number(x) for x in levels))


def as_numeric(col: Column) -> Column:
    """H2O's ``as.numeric``: an enum becomes its level codes (0..k-1), a string its parsed number."""
    if col.type == TIME:
        return numeric_column(col.name, col.data)
    if col.type in NUMERIC_TYPES:
        return col
    if col.type == ENUM:
        return numeric_column(col.name, col.as_float())
    out = np.full(len(col), np.nan)
    for i, s in enumerate(col.data):
        if s is not None:
            try:
                out[i] = float(s)
            except ValueError:
                pass
    return numeric_column(col.name, out)


def _as_strings(col: Column) -> np.ndarray:
    if col.type in (STRING, UUID):
        return col.data
    if col.type == ENUM:
        dom = np.array(list(col.domain) + [None], dtype=object)
        return dom[np.where(col.data < 0, len(col.domain), col.data)]
    return np.array([None if math.isnan(x) else _format_number(x) for x in col.data], dtype=object)


def as_character(col: Column) -> Column:
    return Column(col.name, STRING, _as_strings(col))


def drop_levels(col: Column, drop: list[int]) -> Column:
    """Remove levels (their rows become NA) keeping the other levels' order."""
    keep = [i for i in range(len(col.domain)) if i not in set(drop)]
    remap = np.full(len(col.domain) + 1, -1, dtype=np.int32)
    remap[keep] = np.arange(len(keep), dtype=np.int32)
    codes = remap[np.where(col.data < 0, len(col.domain), col.data)]
    return Column(col.name, ENUM, codes, tuple(col.domain[i] for i in keep))


def map_columns(frame: Frame, fn) -> Frame:
    return Frame([fn(c) for c in frame.columns])


# --- NA ---------------------------------------------------------------------------------------

def is_na(frame: Frame) -> Frame:
    return Frame([Column(c.name, INT, c.na_mask.astype(np.float64)) for c in frame.columns])


def na_count(frame: Frame) -> list[float]:
    return [float(c.stats.missing) for c in frame.columns]


# --- reductions -------------------------------------------------------------------------------

def _numeric_values(col: Column, what: str) -> np.ndarray:
    if col.type in NUMERIC_TYPES:
        return col.data
    if col.type == ENUM:
        return col.as_float()
    raise H2OError(f"{what}: column '{col.name}' is a {col.type} column, not numeric")


def column_means(frame: Frame, skipna: bool = True) -> list[float]:
    """Per-column means; enum and string columns give NaN (as H2O's ``mean``)."""
    out = []
    for c in frame.columns:
        if c.type not in NUMERIC_TYPES:
            out.append(float("nan"))
            continue
        v = c.data
        if skipna:
            v = v[~np.isnan(v)]
        out.append(float(v.mean()) if len(v) else float("nan"))
    return out


def row_means(frame: Frame, skipna: bool = True) -> np.ndarray:
    cols = [c.data for c in frame.columns if c.type in NUMERIC_TYPES]
    if not cols:
        return np.full(frame.nrow, np.nan)
    m = np.column_stack(cols)
    return np.nanmean(m, axis=1) if skipna else m.mean(axis=1)


def column_sds(frame: Frame, na_rm: bool = False) -> list[float]:
    out = []
    for c in frame.columns:
        if c.type not in NUMERIC_TYPES:
            out.append(float("nan"))
            continue
        v = c.data
        if na_rm:
            v = v[~np.isnan(v)]
        out.append(float(np.std(v, ddof=1)) if len(v) > 1 else float("nan"))
    return out


def covariance(x: Frame, y: Frame | None = None, use: str = "everything") -> np.ndarray:
    """Sample covariance matrix between the columns of x and y (H2O's ``var``)."""
    y = x if y is None else y
    if x.nrow != y.nrow:
        raise H2OError(f"var: frames have different row counts ({x.nrow} vs {y.nrow})")
    a = np.column_stack([_numeric_values(c, "var") for c in x.columns])
    b = np.column_stack([_numeric_values(c, "var") for c in y.columns])
    if use == "complete.obs":
        ok = ~np.isnan(a).any(axis=1) & ~np.isnan(b).any(axis=1)
        a, b = a[ok], b[ok]
    elif use not in ("everything", "all.obs"):
        raise H2OError(f"var: 'use' must be everything, all.obs or complete.obs, got '{use}'")
    if use == "all.obs" and (np.isnan(a).any() or np.isnan(b).any()):
        raise H2OError("var: missing values present and use='all.obs'")
    n = len(a)
    if n < 2:
        return np.full((a.shape[1], b.shape[1]), np.nan)
    a0 = a - a.mean(axis=0)
    b0 = b - b.mean(axis=0)
    return a0.T @ b0 / (n - 1)


def frame_reduce(frame: Frame, op: str, na_rm: bool = False) -> float:
    """min/max/sum over every entry of every column (H2O returns one scalar)."""
    vals = []
    for c in frame.columns:
        if c.type in (STRING, UUID):
            raise H2OError(f"{op}: column '{c.name}' is a string column")
        v = c.as_float()
        if na_rm:
            v = v[~np.isnan(v)]
        elif np.isnan(v).any():
            return float("nan")
        vals.append(v)
    allv = np.concatenate(vals) if vals else np.empty(0)
    if op == "sum":
        return float(allv.sum())
    if len(allv) == 0:
        return float("inf") if op == "min" else float("-inf")
    return float(allv.min() if op == "min" else allv.max())


def quantiles(frame: Frame, probs: list[float], method: str = "interpolate") -> Frame:
    """H2O's ``quantile``: a frame with ``Probs`` then one ``<col>Quantiles`` column per input."""
    if any(not 0 <= p <= 1 for p in probs):
        raise H2OError(f"quantile: probabilities must be within [0, 1], got {probs}")
    meth = {"interpolate": "linear", "low": "lower", "high": "higher", "average": "midpoint"}.get(method)
    if meth is None:
        raise H2OError(f"quantile: unknown combine_method '{method}' (interpolate, average, low, high)")
    cols = [numeric_column("Probs", np.asarray(probs, dtype=np.float64), REAL)]
    for c in frame.columns:
        v = _numeric_values(c, "quantile")
        v = v[~np.isnan(v)]
        q = np.quantile(v, probs, method=meth) if len(v) else np.full(len(probs), np.nan)
        cols.append(numeric_column(f"{c.name}Quantiles", np.asarray(q, dtype=np.float64)))
    return Frame(cols)


# --- distinct values --------------------------------------------------------------------------

def unique(frame: Frame, include_nas: bool = False) -> Frame:
    """Distinct values of a single column (enum keeps its domain), sorted, as H2O's ``unique``."""
    if frame.ncol != 1:
        raise H2OError(f"unique works on a single column; got {frame.ncol} columns")
    c = frame.columns[0]
    if c.type == ENUM:
        present = np.unique(c.data[c.data >= 0]).astype(np.int32)
        if include_nas and (c.data < 0).any():
            present = np.append(present, np.int32(-1))
        return Frame([Column(c.name, ENUM, present, c.domain)])
    if c.type in NUMERIC_TYPES:
        v = c.data
        u = np.unique(v[~np.isnan(v)])
        if include_nas and np.isnan(v).any():
            u = np.append(u, np.nan)
        return Frame([numeric_column(c.name, u, c.type if c.type == TIME else None)])
    vals = sorted({v for v in c.data if v is not None})
    if include_nas and any(v is None for v in c.data):
        vals.append(None)
    return Frame([Column(c.name, c.type, np.array(vals, dtype=object))])


def table(frame: Frame, frame2: Frame | None = None, dense: bool = True) -> Frame:
    """Counts of each value (1 column -> ``<col>, Count``; 2 columns -> ``<a>, <b>, Counts``)."""
    f = frame if frame2 is None else cbind([frame, frame2])
    if f.ncol not in (1, 2):
        raise H2OError(f"table works on one or two columns; got {f.ncol}")
    for c in f.columns:
        if c.type not in (ENUM, INT, TIME) and not (c.type == REAL and is_integral(c.data)):
            raise H2OError(f"table: column '{c.name}' must be categorical or integer, not {c.type}")
    keys = [c.data if c.type == ENUM else c.data for c in f.columns]
    ok = np.ones(f.nrow, dtype=bool)
    for c in f.columns:
        ok &= ~c.na_mask
    if f.ncol == 1:
        c = f.columns[0]
        vals, counts = np.unique(keys[0][ok], return_counts=True)
        first = _same_kind(c, vals)
        return Frame([first, numeric_column("Count", counts.astype(np.float64), INT)])
    a, b = f.columns
    pairs = np.column_stack([keys[0][ok].astype(np.float64), keys[1][ok].astype(np.float64)])
    uniq, counts = np.unique(pairs, axis=0, return_counts=True) if len(pairs) else (np.empty((0, 2)), np.empty(0))
    if not dense:
        # every combination of the two columns' values, zero counts included (H2O's dense=FALSE)
        ua, ub = np.unique(pairs[:, 0]), np.unique(pairs[:, 1])
        grid = np.array([(x, y) for x in ua for y in ub], dtype=np.float64).reshape(-1, 2)
        full = np.zeros(len(grid))
        pos = {(x, y): i for i, (x, y) in enumerate(map(tuple, grid))}
        for (x, y), n in zip(map(tuple, uniq), counts):
            full[pos[(x, y)]] = n
        uniq, counts = grid, full
    return Frame([_same_kind(a, uniq[:, 0]), _same_kind(b, uniq[:, 1]),
                  numeric_column("Counts", counts.astype(np.float64), INT)])


def _same_kind(c: Column, vals: np.ndarray) -> Column:
    if c.type == ENUM:
        return Column(c.name, ENUM, vals.astype(np.int32), c.domain)
    return numeric_column(c.name, vals.astype(np.float64))


def levels(frame: Frame) -> Frame:
    """H2O's ``levels``: one column per input column holding its levels (NA padded; numerics empty)."""
    longest = max((len(c.domain) for c in frame.columns if c.type == ENUM), default=0)
    cols = []
    for c in frame.columns:
        if c.type == ENUM:
            codes = np.full(longest, -1, dtype=np.int32)
            codes[: len(c.domain)] = np.arange(len(c.domain), dtype=np.int32)
            cols.append(Column(c.name, ENUM, codes, c.domain))
        else:
            cols.append(Column(c.name, INT, np.full(longest, np.nan)))
    return Frame(cols)


# --- random -----------------------------------------------------------------------------------

def runif(nrow: int, seed: int) -> Column:
    """Uniform [0, 1) draws, deterministic for a seed (seed -1 = a random seed, as H2O)."""
    if seed == -1:
        seed = int(np.random.SeedSequence().entropy % (2 ** 63))
    rng = np.random.Generator(np.random.PCG64(int(seed) & 0xFFFFFFFFFFFFFFFF))
    return Column("rnd", REAL, rng.random(nrow))


# --- element-wise -----------------------------------------------------------------------------

COMPARISONS = {"==", "!=", "<", "<=", ">", ">="}
ARITHMETIC = {"+", "-", "*", "/", "^", "%", "intDiv", "//", "%/%", "%%", "mod"}
LOGICAL = {"&", "|", "&&", "||"}

_ALIASES = {"%%": "%", "mod": "%", "%/%": "intDiv", "//": "intDiv", "&&": "&", "||": "|"}


def binop(op: str, left, right):
    """Element-wise ``left op right``; each side a Frame, a number or a string."""
    op = _ALIASES.get(op, op)
    lf, rf = isinstance(left, Frame), isinstance(right, Frame)
    if not lf and not rf:
        a = float("nan") if left is None else left
        b = float("nan") if right is None else right
        if isinstance(a, str) or isinstance(b, str):
            if op in ("==", "!="):
                return float((a == b) == (op == "=="))
            raise H2OError(f"Operator '{op}' is not defined for strings")
        return float(_apply(op, np.array([float(a)]), np.array([float(b)]))[0])
    if lf and rf:
        if left.nrow != right.nrow:
            raise H2OError(f"Operator '{op}': frames have different row counts ({left.nrow} vs {right.nrow})")
        if left.ncol != right.ncol and 1 not in (left.ncol, right.ncol):
            raise H2OError(f"Operator '{op}': frames have different column counts ({left.ncol} vs {right.ncol})")
        n = max(left.ncol, right.ncol)
        cols = [_col_op(op, left.columns[j if left.ncol > 1 else 0], right.columns[j if right.ncol > 1 else 0],
                        (left if left.ncol >= right.ncol else right).columns[j].name)
                for j in range(n)]
        return Frame(cols)
    frame, scalar = (left, right) if lf else (right, left)
    cols = []
    for c in frame.columns:
        cols.append(_col_op(op, c, scalar, c.name) if lf else _col_op(op, scalar, c, c.name))
    return Frame(cols)


def _values_for(op: str, x, other) -> np.ndarray | float | str:
    """The numbers an operand contributes; enums compare by label against strings/other enums."""
    if isinstance(x, Column):
        if x.type in (STRING, UUID):
            if op not in ("==", "!="):
                raise H2OError(f"Operator '{op}' is not defined for string column '{x.name}'")
            return x.data
        if x.type == ENUM:
            if op in ("==", "!=") or op in COMPARISONS:
                if isinstance(other, str) or (isinstance(other, Column) and other.type in (ENUM, STRING, UUID)):
                    return _as_strings(x)
                # enum vs number: compare the level labels read as numbers (NaN if not numeric)
                return _label_numbers(x)
            return x.as_float()
        return x.data
    if x is None:
        return float("nan")
    return x


def _label_numbers(col: Column) -> np.ndarray:
    nums = []
    for lvl in col.domain:
        try:
            nums.append(float(lvl))
        except ValueError:
            nums.append(float("nan"))
    table_ = np.array(nums + [float("nan")])
    return table_[np.where(col.data < 0, len(col.domain), col.data)]


def _col_op(op: str, a, b, name: str) -> Column:
    va, vb = _values_for(op, a, b), _values_for(op, b, a)
    a_obj = isinstance(va, np.ndarray) and va.dtype == object or isinstance(va, str)
    b_obj = isinstance(vb, np.ndarray) and vb.dtype == object or isinstance(vb, str)
    if a_obj or b_obj:
        if op not in ("==", "!="):
            raise H2OError(f"Operator '{op}' is not defined for text or enum labels; only == and != are")
        if a_obj != b_obj:
            # text vs number: compare the text as written
            va = va if a_obj else _numbers_as_text(va)
            vb = vb if b_obj else _numbers_as_text(vb)
        eq = np.asarray(_obj_eq(va, vb), dtype=bool)
        res = eq if op == "==" else ~eq
        return Column(name, INT, res.astype(np.float64))
    out = _apply(op, np.asarray(va, dtype=np.float64), np.asarray(vb, dtype=np.float64))
    return numeric_column(name, out)


def _numbers_as_text(v):
    if isinstance(v, np.ndarray):
        return np.array([None if math.isnan(x) else _format_number(x) for x in v], dtype=object)
    return None if (isinstance(v, float) and math.isnan(v)) else _format_number(float(v))


def _obj_eq(a, b):
    if isinstance(a, np.ndarray) and isinstance(b, np.ndarray):
        return np.array([x is not None and x == y for x, y in zip(a, b)], dtype=bool)
    arr, s = (a, b) if isinstance(a, np.ndarray) else (b, a)
    return np.array([x is not None and x == s for x in arr], dtype=bool)


def _apply(op: str, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    with np.errstate(all="ignore"):
        if op == "+":
            return a + b
        if op == "-":
            return a - b
        if op == "*":
            return a * b
        if op == "/":
            return a / b
        if op == "^":
            return np.power(a, b)
        if op == "%":
            return np.mod(a, b)
        if op == "intDiv":
            return np.floor(a / b)
        if op == "==":
            return (a == b).astype(np.float64)
        if op == "!=":
            return (a != b).astype(np.float64)
        if op == "<":
            return (a < b).astype(np.float64)
        if op == "<=":
            return (a <= b).astype(np.float64)
        if op == ">":
            return (a > b).astype(np.float64)
        if op == ">=":
            return (a >= b).astype(np.float64)
        if op == "&":
            out = np.where((a == 0) | (b == 0), 0.0, np.where(np.isnan(a) | np.isnan(b), np.nan, 1.0))
            return out
        if op == "|":
            out = np.where(((a != 0) & ~np.isnan(a)) | ((b != 0) & ~np.isnan(b)), 1.0,
                           np.where(np.isnan(a) | np.isnan(b), np.nan, 0.0))
            return out
    raise H2OError(f"Unknown operator '{op}'")


UNARY = {
    "abs": np.abs, "sqrt": np.sqrt, "log": np.log, "log10": np.log10, "log2": np.log2, "log1p": np.log1p,
    "exp": np.exp, "expm1": np.expm1, "floor": np.floor, "ceiling": np.ceil, "trunc": np.trunc,
    "sign": np.sign, "cos": np.cos, "sin": np.sin, "tan": np.tan, "acos": np.arccos, "asin": np.arcsin,
    "atan": np.arctan, "cosh": np.cosh, "sinh": np.sinh, "tanh": np.tanh, "acosh": np.arccosh,
    "asinh": np.arcsinh, "atanh": np.arctanh,
}


def unop(op: str, frame: Frame) -> Frame:
    cols = []
    for c in frame.columns:
        v = _numeric_values(c, op) if op not in ("!", "not", "!!") else c.as_float() if c.type != STRING else None
        if v is None:
            raise H2OError(f"Operator '{op}' is not defined for string column '{c.name}'")
        with np.errstate(all="ignore"):
            if op in ("!", "not", "!!"):
                out = np.where(np.isnan(v), np.nan, (v == 0).astype(np.float64))
            elif op in UNARY:
                out = UNARY[op](v)
            else:
                raise H2OError(f"Unknown function '{op}'")
        cols.append(numeric_column(c.name, np.asarray(out, dtype=np.float64)))
    return Frame(cols)


def ifelse(test: Frame, yes, no) -> Frame:
    """Row-wise choice: ``yes`` where ``test`` is non-zero, ``no`` where zero, NA where NA."""
    if test.ncol != 1:
        raise H2OError(f"ifelse: the test must be one column, got {test.ncol}")
    t = test.columns[0].as_float()
    n = len(t)
    y = _broadcast(yes, n, "C1")
    z = _broadcast(no, n, "C1")
    if y.type == ENUM or z.type == ENUM or y.type == STRING or z.type == STRING:
        ys, zs = _as_strings(y), _as_strings(z)
        vals = np.where(t != 0, ys, zs).astype(object)
        vals[np.isnan(t)] = None
        col = as_factor(Column(test.columns[0].name, STRING, vals))
        return Frame([col])
    out = np.where(t != 0, y.as_float(), z.as_float())
    out[np.isnan(t)] = np.nan
    return Frame([numeric_column(test.columns[0].name, out)])
