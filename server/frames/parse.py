"""Parsing raw sources into frames: H2O's ParseSetup guesses, then a multithreaded pyarrow parse.

``guess_setup`` looks at the first lines of the first source, as H2O's ParseSetup does, and
returns separator, header, column names and types; the client may edit names/types before
``parse`` reads every source with ``pyarrow.csv`` (multithreaded, C++) and converts columns to
our storage. Guessing rules (H2O's):
  * separator: the first of , \\t ; | space that splits the sample lines into the same number
    (> 1) of fields; a single column file keeps ','.
  * header (check_header 0): the first line is a header when none of its tokens is a number and
    some column is numeric below it; when every column is text, when its tokens are all distinct
    and none reappears in the same column below it. Otherwise the columns are ``C1..Cn``.
  * types (from the first 4 MB, like H2O's first chunk): pyarrow's inference settles numeric and
    timestamp columns; the text columns get H2O's ``PreviewParseWriter.guessTypes`` counting
    rules (guess.py): Numeric when numbers dominate (other tokens become NA at parse), Time for
    ISO dates, UUID, String when almost every value is distinct, else Enum (levels sorted).
  * NA tokens: empty, ``NA``, ``NaN``, ``?`` plus the user's ``na_strings``.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from ..errors import H2OError
from .arrow import column_from_arrow, enum_from_arrow, float_values, numeric_column, strings_from_arrow, \
    time_from_arrow
from .frame import STRING, TIME, UUID, Column, Frame
from .guess import BAD_T, DEFAULT_NA, ENUM_T, NUMERIC, STRING_T, TIME_T, UUID_T, guess_type as _guess_type, \
    is_number as _is_number
from .sources import RawSource

SEPARATORS = [",", "\t", ";", "|", " "]
PREVIEW_LINES = 200_000
PREVIEW_BYTES = 1 << 22  # H2O guesses from its first 4 MB chunk
HEADER_SAMPLE = 50

_TYPE_SPELLINGS = {
    "numeric": NUMERIC, "num": NUMERIC, "int": NUMERIC, "integer": NUMERIC, "real": NUMERIC, "float": NUMERIC,
    "double": NUMERIC, "long": NUMERIC,
    "enum": ENUM_T, "factor": ENUM_T, "categorical": ENUM_T, "category": ENUM_T,
    "string": STRING_T, "character": STRING_T, "str": STRING_T,
    "time": TIME_T, "date": TIME_T, "uuid": UUID_T, "bad": BAD_T, "unknown": None,
}


@dataclass
class ParseSetup:
    """What ``/3/ParseSetup`` returns and ``/3/Parse`` accepts (H2O's ParseSetupV3 fields)."""

    source_keys: list[str]
    parse_type: str = "CSV"
    separator: int = ord(",")
    single_quotes: bool = False
    check_header: int = -1                 # 1 = first line is a header, -1 = data
    column_names: list[str] | None = None
    column_types: list[str] = field(default_factory=list)
    na_strings: list[list[str]] | None = None
    skipped_columns: list[int] | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def number_columns(self) -> int:
        return len(self.column_types)

    def names(self) -> list[str]:
        return self.column_names or [f"C{i + 1}" for i in range(self.number_columns)]


# --- type names -------------------------------------------------------------------------------
def canonical_type(name, where: str = "column_types") -> str | None:
    """A client's type spelling -> H2O's ParseSetup spelling; ``H2OError`` naming a bad one."""
    if name is None:
        return None
    key = str(name).strip().lower()
    if key in _TYPE_SPELLINGS:
        return _TYPE_SPELLINGS[key]
    raise H2OError(f"Unknown column type '{name}' in {where}; use one of: numeric, int, real, enum, "
                   f"categorical, factor, string, time, uuid", field=where)


# --- guessing ---------------------------------------------------------------------------------
def _preview_text(source: RawSource, limit: int = 1 << 20) -> str:
    data = source.head(limit)
    text = data.decode("utf-8", errors="replace")
    if len(data) == limit and "\n" in text:
        text = text[: text.rfind("\n")]            # drop the partial last line
    return text.lstrip("\ufeff")


def _split(lines: list[str], sep: str, quote: str) -> list[list[str]]:
    if sep == " ":
        return [next(csv.reader([ln], delimiter=" ", quotechar=quote, skipinitialspace=True), [])
                for ln in lines]
    return list(csv.reader(lines, delimiter=sep, quotechar=quote))


def guess_separator(lines: list[str], quote: str = '"') -> str:
    sample = [ln for ln in lines[:50] if ln.strip()]
    if not sample:
        return ","
    for sep in SEPARATORS:
        counts = {len(r) for r in _split(sample, sep, quote)}
        if len(counts) == 1 and counts.pop() > 1:
            return sep
    # Ragged sample: take the separator that splits the first line most.
    best = max(SEPARATORS, key=lambda s: len(_split(sample[:1], s, quote)[0]))
    return best if len(_split(sample[:1], best, quote)[0]) > 1 else ","


def _looks_like_header(first: list[str], rest: list[list[str]], na: set[str]) -> bool:
    toks = [t.strip() for t in first]
    if any(_is_number(t) for t in toks if t):
        return False
    if not rest:
        return all(toks) and len(set(toks)) == len(toks)
    ncol = len(first)
    for j in range(ncol):
        col = [r[j].strip() for r in rest if j < len(r) and r[j].strip() not in na]
        if col and sum(_is_number(v) for v in col) * 2 > len(col):
            return True                              # text above a numeric column
    # All-text columns: a header line names things; its tokens do not reappear as data.
    if len(set(toks)) != len(toks) or not all(toks):
        return False
    return all(toks[j] not in {r[j].strip() for r in rest if j < len(r)} for j in range(ncol))


def guess_setup(sources: list[RawSource], check_header: int = 0, separator: int | None = None,
                column_names: list[str] | None = None, column_types: list | None = None,
                na_strings=None, single_quotes: bool = False,
                skipped_columns: list[int] | None = None) -> ParseSetup:
    """H2O's ParseSetup on the first source, with the client's explicit choices applied."""
    if not sources:
        raise H2OError("No source frames to parse", field="source_frames")
    first = sources[0]
    if first.is_parquet():
        setup = _parquet_setup(sources)
    else:
        setup = _csv_setup(first, check_header, separator, single_quotes)
        setup.source_keys = [s.key for s in sources]
    return apply_user_choices(setup, column_names, column_types, na_strings, skipped_columns)


def explicit_setup(sources: list[RawSource], check_header: int, separator: int, column_types: list,
                   column_names=None, na_strings=None, single_quotes: bool = False,
                   skipped_columns=None) -> ParseSetup:
    """The setup a client already holds (from ParseSetup): nothing is re-read or re-guessed.

    Used by ``/3/Parse`` when the request names every column type, the header choice and the
    separator, which is what h2o-py and the R client send.
    """
    parquet = sources[0].is_parquet()
    types = [canonical_type(t) or NUMERIC for t in column_types]
    setup = ParseSetup(source_keys=[s.key for s in sources], parse_type="PARQUET" if parquet else "CSV",
                       separator=separator, single_quotes=single_quotes,
                       check_header=1 if parquet else check_header, column_types=types)
    return apply_user_choices(setup, column_names, None, na_strings, skipped_columns)


def _csv_setup(src: RawSource, check_header: int, separator: int | None, single_quotes: bool) -> ParseSetup:
    text = _preview_text(src, PREVIEW_BYTES)
    lines = [ln.rstrip("\r") for ln in text.split("\n")]
    lines = [ln for ln in lines if ln.strip()][:PREVIEW_LINES]
    quote = "'" if single_quotes else '"'
    if separator is not None and separator > 0:
        sep = chr(separator)
    else:
        sep = guess_separator(lines, quote)
    head_rows = _split(lines[:HEADER_SAMPLE], sep, quote) if lines else []
    na = set(DEFAULT_NA)
    if check_header == 1:
        header = True
    elif check_header == -1:
        header = False
    else:
        header = bool(head_rows) and _looks_like_header(head_rows[0], head_rows[1:], na)
    if header and head_rows:
        ncol = len(head_rows[0])
    else:
        ncol = max((len(r) for r in head_rows), default=0)
    if ncol == 0:
        raise H2OError(f"File {src.name} is empty: there is nothing to parse")
    data_lines = lines[1:] if header else lines
    types = _guess_types(data_lines, ncol, sep, quote, na)
    names = [t.strip() for t in head_rows[0]] if header and head_rows else None
    if names is not None:
        names = [n if n else f"C{j + 1}" for j, n in enumerate(names)]
    return ParseSetup(source_keys=[src.key], parse_type="CSV", separator=ord(sep), single_quotes=single_quotes,
                      check_header=1 if header else -1, column_names=names, column_types=types)


def _guess_types(lines: list[str], ncol: int, sep: str, quote: str, na: set[str]) -> list[str]:
    """Column types of the preview lines: pyarrow's inference first (C++, fast on wide files), then
    H2O's rules in Python for the columns it left as text."""
    if not lines or ncol == 0:
        return [NUMERIC] * ncol
    table = None
    try:
        table = pacsv.read_csv(
            pa.BufferReader("\n".join(lines).encode()),
            read_options=pacsv.ReadOptions(column_names=[f"c{j}" for j in range(ncol)]),
            parse_options=pacsv.ParseOptions(delimiter=sep, quote_char=quote, ignore_empty_lines=True),
            convert_options=pacsv.ConvertOptions(null_values=sorted(na), strings_can_be_null=True,
                                                 true_values=[], false_values=[]))
    except pa.ArrowInvalid:
        table = None                                   # ragged preview: fall back to Python
    rows = None
    types = []
    for j in range(ncol):
        t = table.schema.field(j).type if table is not None else None
        if t is not None and (pa.types.is_integer(t) or pa.types.is_floating(t) or pa.types.is_null(t)):
            types.append(NUMERIC)
            continue
        if t is not None and (pa.types.is_timestamp(t) or pa.types.is_date(t)):
            types.append(TIME_T)
            continue
        if rows is None:
            rows = _split(lines, sep, quote)
        types.append(_guess_type([r[j] for r in rows if j < len(r)], na))
    return types


def _parquet_setup(sources: list[RawSource]) -> ParseSetup:
    try:
        schema = pq.read_schema(pa.BufferReader(sources[0].raw_bytes()))
    except (pa.ArrowInvalid, OSError) as e:
        raise H2OError(f"Cannot read Parquet file {sources[0].name}: {e}") from None
    types = []
    for f in schema:
        t = f.type
        if pa.types.is_timestamp(t) or pa.types.is_date(t):
            types.append(TIME_T)
        elif pa.types.is_integer(t) or pa.types.is_floating(t) or pa.types.is_decimal(t):
            types.append(NUMERIC)
        else:
            types.append(ENUM_T)
    return ParseSetup(source_keys=[s.key for s in sources], parse_type="PARQUET", check_header=1,
                      column_names=list(schema.names), column_types=types)


def normalize_na_strings(na_strings, names: list[str]) -> list[list[str]] | None:
    """Flat list (all columns), list of lists (per column) or {name: list} -> per-column lists."""
    if na_strings is None:
        return None
    n = len(names)
    if isinstance(na_strings, dict):
        out = [[] for _ in range(n)]
        for k, v in na_strings.items():
            if k not in names:
                raise H2OError(f"na_strings names column '{k}' which is not in the data", field="na_strings")
            out[names.index(k)] = [str(x) for x in (v if isinstance(v, list) else [v])]
        return out
    if not isinstance(na_strings, list):
        na_strings = [na_strings]
    if na_strings and all(isinstance(x, list) or x is None for x in na_strings):
        if len(na_strings) > n:
            raise H2OError(f"na_strings has {len(na_strings)} per-column lists but the data has {n} columns",
                           field="na_strings")
        out = [[str(x) for x in (v or [])] for v in na_strings]
        return out + [[] for _ in range(n - len(out))]
    flat = [str(x) for x in na_strings if x is not None]
    return [list(flat) for _ in range(n)]


def apply_user_choices(setup: ParseSetup, column_names=None, column_types=None, na_strings=None,
                       skipped_columns=None) -> ParseSetup:
    n = setup.number_columns
    if column_names is not None:
        column_names = [str(c) for c in column_names]
        skip = sorted(set(int(c) for c in skipped_columns or []))
        if skip and len(column_names) == n - len(skip) and all(0 <= c < n for c in skip):
            # h2o-py names only the parsed columns when some are skipped: spread them out
            it = iter(column_names)
            column_names = [f"C{j + 1}" if j in skip else next(it) for j in range(n)]
        if len(column_names) != n:
            raise H2OError(f"column_names has {len(column_names)} names but the data has {n} columns",
                           field="column_names")
        setup.column_names = column_names
    if column_types is not None:
        if len(column_types) != n:
            raise H2OError(f"column_types has {len(column_types)} types but the data has {n} columns",
                           field="column_types")
        setup.column_types = [canonical_type(t) or g for t, g in zip(column_types, setup.column_types)]
    if na_strings is not None:
        setup.na_strings = normalize_na_strings(na_strings, setup.names())
    if skipped_columns:
        bad = [c for c in skipped_columns if not 0 <= int(c) < n]
        if bad:
            raise H2OError(f"skipped_columns {bad} out of range: the data has {n} columns", field="skipped_columns")
        if len(set(int(c) for c in skipped_columns)) >= n:
            raise H2OError("skipped_columns would skip every column", field="skipped_columns")
        setup.skipped_columns = sorted(set(int(c) for c in skipped_columns))
    return setup


# --- parsing ----------------------------------------------------------------------------------
def parse(sources: list[RawSource], setup: ParseSetup, progress=None) -> Frame:
    """Read every source with ``setup`` and stack them (rbind) into one frame."""
    if not sources:
        raise H2OError("No source frames to parse", field="source_frames")
    names = setup.names()
    tables = []
    for i, src in enumerate(sources):
        if setup.parse_type == "PARQUET" or src.is_parquet():
            tables.append(_read_parquet(src, setup))
        else:
            tables.append(_read_csv(src, setup))
        if progress is not None:
            progress((i + 1) / (len(sources) + 1))
    keep = [j for j in range(setup.number_columns) if j not in set(setup.skipped_columns or [])]
    cols = []
    for pos, j in enumerate(keep):
        parts = [t.column(pos) for t in tables]
        arr = pa.chunked_array([c for p in parts for c in p.chunks], type=parts[0].type) \
            if len({p.type for p in parts}) == 1 else _unify(parts)
        na = setup.na_strings[j] if setup.na_strings else []
        cols.append(_to_column(names[j], setup.column_types[j], arr, na))
    return Frame(cols)


def _unify(parts):
    """Chunks of different Arrow types (e.g. int64 in one file, double in another) -> one type."""
    if all(pa.types.is_integer(p.type) or pa.types.is_floating(p.type) or pa.types.is_null(p.type) for p in parts):
        return pa.chunked_array([c.cast(pa.float64()) for p in parts for c in p.chunks], type=pa.float64())
    return pa.chunked_array([c.cast(pa.string()) for p in parts for c in p.chunks], type=pa.string())


def _to_column(name: str, h2o_type: str, arr, na: list[str]) -> Column:
    if h2o_type == ENUM_T:
        col = enum_from_arrow(name, arr)
        if na:
            drop = [i for i, lvl in enumerate(col.domain) if lvl in set(na)]
            if drop:
                from .ops import drop_levels
                col = drop_levels(col, drop)
        return col
    if h2o_type in (STRING_T, UUID_T):
        col = strings_from_arrow(name, arr, STRING if h2o_type == STRING_T else UUID)
        if na:
            bad = set(na)
            data = np.array([None if v in bad else v for v in col.data], dtype=object)
            col = Column(name, col.type, data)
        return col
    if h2o_type == TIME_T:
        if pa.types.is_string(arr.type):
            return column_from_arrow(name, arr, TIME)     # unreadable times become NA
        return time_from_arrow(name, arr)
    if h2o_type == BAD_T:
        return numeric_column(name, np.full(len(arr), np.nan))
    if pa.types.is_string(arr.type):                 # non-numbers in a numeric column become NA
        col = column_from_arrow(name, arr, "numeric")
    else:
        col = numeric_column(name, float_values(arr))
    if na:
        nums = [float(x) for x in na if _is_number(x)]
        if nums:
            v = col.data.copy()
            v[np.isin(v, nums)] = np.nan
            col = numeric_column(name, v)
    return col


def _arrow_type(h2o_type: str):
    return {NUMERIC: pa.float64(), ENUM_T: pa.dictionary(pa.int32(), pa.string()), STRING_T: pa.string(),
            UUID_T: pa.string(), TIME_T: pa.timestamp("ms"), BAD_T: pa.string()}[h2o_type]


def _read_csv(src: RawSource, setup: ParseSetup) -> pa.Table:
    data = src.read()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    n = setup.number_columns
    tmp_names = [f"c{j}" for j in range(n)]
    skip = set(setup.skipped_columns or [])
    include = [tmp_names[j] for j in range(n) if j not in skip]
    types = {tmp_names[j]: _arrow_type(setup.column_types[j]) for j in range(n) if j not in skip}
    sep = chr(setup.separator)
    read_opts = pacsv.ReadOptions(column_names=tmp_names, skip_rows=1 if setup.check_header == 1 else 0,
                                  use_threads=True, block_size=1 << 22)
    parse_opts = pacsv.ParseOptions(delimiter=sep, quote_char="'" if setup.single_quotes else '"',
                                    ignore_empty_lines=True)
    time_parsers = [pacsv.ISO8601, "%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%m/%d/%Y", "%d-%b-%Y"]
    for _ in range(n + 2):
        conv = pacsv.ConvertOptions(column_types=types, null_values=DEFAULT_NA, strings_can_be_null=True,
                                    quoted_strings_can_be_null=True, include_columns=include,
                                    true_values=[], false_values=[], timestamp_parsers=time_parsers)
        try:
            return pacsv.read_csv(pa.BufferReader(data), read_options=read_opts, parse_options=parse_opts,
                                  convert_options=conv)
        except pa.ArrowInvalid as e:
            msg = str(e)
            if "invalid UTF8" in msg:
                # H2O keeps raw bytes; we keep the text readable: bad bytes become U+FFFD.
                data = data.decode("utf-8", errors="replace").encode("utf-8")
                continue
            time_cols = [c for c, t in types.items() if t == pa.timestamp("ms")]
            if "timestamp" in msg and time_cols:
                # a value pyarrow cannot read as a time: read those columns as text, convert leniently
                for c in time_cols:
                    types[c] = pa.string()
                continue
            m = re.search(r"In CSV column #(\d+): .*conversion error", msg)
            if m:
                j = int(m.group(1))
                name = tmp_names[j]
                if types.get(name) == pa.string():
                    raise
                types[name] = pa.string()           # keep the text; numbers are coerced later
                continue
            raise H2OError(_describe_csv_error(src, data, setup, msg)) from None
    raise H2OError(f"Cannot parse {src.name}")


def _describe_csv_error(src: RawSource, data: bytes, setup: ParseSetup, msg: str) -> str:
    """Name the file and the first line whose field count differs (pyarrow does not say which)."""
    sep = chr(setup.separator)
    quote = "'" if setup.single_quotes else '"'
    expected = setup.number_columns
    text = data.decode("utf-8", errors="replace")
    reader = csv.reader(io.StringIO(text), delimiter=sep, quotechar=quote)
    try:
        for row in reader:
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            if len(row) != expected:
                return (f"Malformed CSV in {src.name} at line {reader.line_num}: expected {expected} "
                        f"columns, found {len(row)}")
    except csv.Error as e:
        return f"Malformed CSV in {src.name} at line {reader.line_num}: {e}"
    return f"Cannot parse {src.name}: {msg}"


def _read_parquet(src: RawSource, setup: ParseSetup) -> pa.Table:
    try:
        table = pq.read_table(pa.BufferReader(src.raw_bytes()))
    except (pa.ArrowInvalid, OSError) as e:
        raise H2OError(f"Cannot read Parquet file {src.name}: {e}") from None
    if table.num_columns != setup.number_columns:
        raise H2OError(f"Parquet file {src.name} has {table.num_columns} columns, expected {setup.number_columns}")
    skip = set(setup.skipped_columns or [])
    return table.select([j for j in range(table.num_columns) if j not in skip])


# --- frame keys -------------------------------------------------------------------------------
_HEX_EXTENSIONS = ("zip", "gz", "csv", "xls", "txt", "svm", "orc", "arff")


def hex_name(source_key: str) -> str:
    """H2O's ``ParseSetup.createHexName``: the file stem of a raw key, Java-identifier-safe, + ``.hex``.

    Like H2O, the key's printed form ``Key<Frame> <name>`` is used, so an upload key
    ``upload_<hex>`` (no '/') becomes ``Key_Frame__upload_<hex>.hex``.
    """
    s = f"Key<Frame> {source_key}"
    s = s[s.rfind("/") + 1:] if "/" in s else s
    changed = True
    while changed:
        changed = False
        for ext in _HEX_EXTENSIONS:
            if s.lower().endswith("." + ext):
                s = s[: -len(ext) - 1]
                changed = True
    if not s:
        s = "X"
    if not (s[0].isalpha() or s[0] in "_$"):
        s = "X" + s
    s = "".join(c if (c.isalnum() or c in "_$") else "_" for c in s)
    return s + ".hex"
