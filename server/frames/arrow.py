"""Conversions between Arrow arrays/tables and our columns.

Used by the CSV parser (pyarrow.csv reads into Arrow), Parquet import, the Arrow IPC upload
(``H2OFrame(pandas_df)``) and the Arrow download (``as_data_frame``). Type mapping follows what
H2O would make of the same data written as CSV: text -> enum (levels sorted, as H2O's parser
sorts them), bool -> enum ``False``/``True``, integers -> int, floats -> real, dates and
timestamps -> time (ms since the epoch, UTC).
"""
from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .frame import ENUM, INT, REAL, STRING, TIME, UUID, Column, Frame


def numeric_column(name: str, values: np.ndarray, kind: str | None = None) -> Column:
    """A float64 column typed ``int`` when every finite value is whole (H2O's ``isInt``), else ``real``."""
    v = np.ascontiguousarray(values, dtype=np.float64)
    if kind is None:
        kind = INT if is_integral(v) else REAL
    return Column(name, kind, v)


def is_integral(v: np.ndarray) -> bool:
    ok = v[np.isfinite(v)]
    if len(ok) == 0:
        return not np.isinf(v).any()
    return bool(np.array_equal(ok, np.trunc(ok))) and not np.isinf(v).any()


def _chunks(arr) -> list:
    if isinstance(arr, pa.ChunkedArray):
        return list(arr.chunks)
    return [arr]


def enum_from_arrow(name: str, arr, domain: list[str] | None = None) -> Column:
    """Text or dictionary Arrow data -> enum column with a lexicographically sorted domain."""
    chunks = []
    for ch in _chunks(arr):
        if pa.types.is_dictionary(ch.type):
            ch = ch.dictionary_decode() if not pa.types.is_string(ch.type.value_type) else ch
        chunks.append(ch)
    if not chunks:
        return Column(name, ENUM, np.empty(0, np.int32), tuple(domain or ()))
    # Collect the distinct labels across chunks, then sort them as H2O does.
    labels: set[str] = set()
    for ch in chunks:
        d = ch.dictionary if pa.types.is_dictionary(ch.type) else pc.unique(ch.cast(pa.string()))
        labels.update(x for x in d.to_pylist() if x is not None)
    if domain is None:
        domain = sorted(labels)
    lookup = pa.array(domain, type=pa.string())
    parts = []
    for ch in chunks:
        if pa.types.is_dictionary(ch.type):
            remap = pc.index_in(ch.dictionary.cast(pa.string()), value_set=lookup)
            remap = remap.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int32)
            idx = ch.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
            codes = np.where(idx >= 0, remap[np.maximum(idx, 0)] if len(remap) else -1, -1).astype(np.int32)
        else:
            codes = pc.index_in(ch.cast(pa.string()), value_set=lookup).fill_null(-1)
            codes = codes.to_numpy(zero_copy_only=False).astype(np.int32)
        parts.append(codes)
    data = np.concatenate(parts) if len(parts) > 1 else parts[0]
    return Column(name, ENUM, np.ascontiguousarray(data, dtype=np.int32), tuple(domain))


def strings_from_arrow(name: str, arr, kind: str = STRING) -> Column:
    values = pa.chunked_array(_chunks(arr)).cast(pa.string()) if not isinstance(arr, pa.Array) else arr.cast(pa.string())
    data = np.array(values.to_pylist(), dtype=object)
    return Column(name, kind, data)


def time_from_arrow(name: str, arr) -> Column:
    """Dates/timestamps -> float64 ms since the epoch (UTC), NaN for NA."""
    ms = pc.cast(pa.chunked_array(_chunks(arr)) if not isinstance(arr, pa.Array) else arr, pa.timestamp("ms")) \
        if not pa.types.is_timestamp(arr.type) or arr.type.unit != "ms" else arr
    ints = pc.cast(ms, pa.int64())
    vals = ints.to_numpy(zero_copy_only=False) if isinstance(ints, pa.Array) else ints.to_numpy()
    v = np.asarray(vals, dtype=np.float64)
    nulls = pc.is_null(ints)
    mask = np.asarray(nulls.to_numpy(zero_copy_only=False) if isinstance(nulls, pa.Array) else nulls.to_numpy(), dtype=bool)
    if mask.any():
        v = v.copy()
        v[mask] = np.nan
    return Column(name, TIME, np.ascontiguousarray(v))


def float_values(arr) -> np.ndarray:
    """Numeric Arrow data -> float64 numpy with NaN for null."""
    if isinstance(arr, pa.ChunkedArray):
        if arr.num_chunks == 1:
            arr = arr.chunk(0)
        else:
            arr = pa.concat_arrays(arr.chunks) if arr.num_chunks else pa.array([], pa.float64())
    if not pa.types.is_floating(arr.type) or arr.type != pa.float64():
        arr = pc.cast(arr, pa.float64())
    if arr.null_count:
        arr = arr.fill_null(float("nan"))
    return np.asarray(arr.to_numpy(zero_copy_only=False), dtype=np.float64)


def column_from_arrow(name: str, arr, h2o_type: str | None = None) -> Column:
    """One Arrow column -> Column; ``h2o_type`` (enum/string/time/numeric/uuid) overrides the mapping."""
    t = arr.type
    want = h2o_type
    if want is None:
        if pa.types.is_string(t) or pa.types.is_large_string(t):
            want = _guess_text_type(arr)
        elif pa.types.is_dictionary(t) or pa.types.is_boolean(t):
            want = ENUM
        elif pa.types.is_timestamp(t) or pa.types.is_date(t):
            want = TIME
        elif pa.types.is_integer(t) or pa.types.is_floating(t) or pa.types.is_decimal(t) or pa.types.is_null(t):
            want = "numeric"
        else:
            want = STRING
    if want == ENUM:
        if pa.types.is_boolean(t):
            # Python writes booleans as True/False in CSV, which H2O parses as a 2-level enum.
            arr = pc.if_else(arr, "True", "False")
        elif pa.types.is_integer(t) or pa.types.is_floating(t):
            from .ops import as_factor
            return as_factor(column_from_arrow(name, arr, "numeric"))
        return enum_from_arrow(name, arr)
    if want in (STRING, UUID):
        return strings_from_arrow(name, arr, want)
    if want == TIME:
        if pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_dictionary(t):
            import pandas as pd
            s = pa.chunked_array(_chunks(arr)).cast(pa.string()).to_pandas()
            ts = pd.to_datetime(s, errors="coerce", utc=True, format="mixed")
            raw = ts.dt.tz_convert(None).to_numpy(dtype="datetime64[ms]").astype(np.int64).astype(np.float64)
            ms = np.where(ts.isna().to_numpy(), np.nan, raw)
            return Column(name, TIME, np.ascontiguousarray(ms, dtype=np.float64))
        return time_from_arrow(name, arr)
    if pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_dictionary(t):
        import pandas as pd
        s = pa.chunked_array(_chunks(arr)).cast(pa.string()).to_pandas()
        return numeric_column(name, pd.to_numeric(s, errors="coerce").to_numpy(dtype=np.float64))
    if pa.types.is_boolean(t):
        arr = pc.cast(arr, pa.int8())
    if pa.types.is_null(t):
        return Column(name, INT, np.full(len(arr), np.nan))
    return numeric_column(name, float_values(arr))


GUESS_SAMPLE = 10_000


def _guess_text_type(arr) -> str:
    """The type H2O would give this text column had it been written to CSV and parsed."""
    from .guess import DEFAULT_NA, NUMERIC, STRING_T, TIME_T, UUID_T, guess_type
    sample = [v for v in arr.slice(0, GUESS_SAMPLE).to_pylist() if v is not None]
    kind = guess_type(sample, set(DEFAULT_NA))
    return {NUMERIC: "numeric", STRING_T: STRING, TIME_T: TIME, UUID_T: UUID}.get(kind, ENUM)


def frame_from_arrow(table: pa.Table, types: list[str | None] | None = None,
                     names: list[str] | None = None) -> Frame:
    """Arrow table -> Frame; ``types``/``names`` (one per column, None = keep) override."""
    cols = []
    for i, field in enumerate(table.schema):
        want = types[i] if types else None
        name = names[i] if names and names[i] is not None else field.name
        cols.append(column_from_arrow(str(name), table.column(i), want))
    return Frame(cols)


def frame_to_arrow(frame: Frame) -> pa.Table:
    """Frame -> Arrow table: enum as dictionary<int32, string>, NA as null, time as timestamp[ms]."""
    arrays, names = [], []
    for c in frame.columns:
        names.append(c.name)
        if c.type == ENUM:
            mask = c.data < 0
            idx = pa.array(np.where(mask, 0, c.data).astype(np.int32), mask=mask)
            arrays.append(pa.DictionaryArray.from_arrays(idx, pa.array(list(c.domain), type=pa.string())))
        elif c.type == TIME:
            mask = np.isnan(c.data)
            arrays.append(pa.array(np.where(mask, 0, c.data).astype(np.int64), mask=mask, type=pa.int64())
                          .cast(pa.timestamp("ms", tz="UTC")))
        elif c.type in (INT, REAL):
            mask = np.isnan(c.data)
            if c.type == INT and not np.isinf(c.data).any() and np.all(np.abs(c.data[~mask]) < 2 ** 53):
                arrays.append(pa.array(np.where(mask, 0, c.data).astype(np.int64), mask=mask))
            else:
                arrays.append(pa.array(c.data, mask=mask if mask.any() else None))
        else:
            arrays.append(pa.array(list(c.data), type=pa.string()))
    return pa.Table.from_arrays(arrays, names=names) if arrays else pa.table({})
