"""Rapids: the Lisp-like expression language H2O's clients send to ``POST /99/Rapids``.

``parse_ast`` turns text such as ``(tmp= py_1 (== (cols_py train.hex "C785") 5))`` into nodes;
``Evaluator.run`` evaluates them against the store. Syntax (H2O's Rapids.java):
  ``(fn arg ...)`` application, ``[1 2 3]`` / ``[0:10]`` (start:count[:stride]) number lists,
  ``["a" 'b']`` string lists, ``"s"``/``'s'`` strings, numbers (``#`` prefix allowed), ids
  (frame keys, ``TRUE``/``FALSE``/``NaN``...). Only the subset h2o-py and the R client emit for
  frame work is implemented; anything else is refused with an error naming it.
Frame operations themselves live in ops.py.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..errors import H2OError
from . import ops
from .frame import ENUM, NUMERIC_TYPES, STRING, UUID, Column, Frame
from .sources import RawSource


# --- syntax -----------------------------------------------------------------------------------
@dataclass
class Call:
    fn: str
    args: list


@dataclass
class Id:
    name: str


@dataclass
class NumList:
    """Bases with counts and strides; a NaN count means "to the end" (h2o-py's open slice)."""
    bases: list[float]
    counts: list[float]
    strides: list[float]

    def expand(self, limit: int | None = None) -> list[float]:
        """The numbers; ranges (``start:count``) are cut at ``limit`` like Python slices, as H2O
        caps them, while single numbers are kept so an out-of-range index is reported."""
        out: list[float] = []
        for b, c, s in zip(self.bases, self.counts, self.strides):
            if math.isnan(b):
                out.append(b)
                continue
            if math.isnan(c):
                if limit is None:
                    raise H2OError("An open-ended range needs a frame to select from")
                c = max(0, math.ceil((limit - b) / s))
            elif c != 1 and limit is not None and b >= 0:
                c = min(c, max(0, math.ceil((limit - b) / s)))
            out.extend(b + k * s for k in range(int(c)))
        return out


@dataclass
class StrList:
    items: list[str]


CONSTANTS = {"TRUE": 1.0, "True": 1.0, "true": 1.0, "FALSE": 0.0, "False": 0.0, "false": 0.0,
             "NaN": math.nan, "nan": math.nan, "NA": math.nan, "inf": math.inf, "Inf": math.inf,
             "-inf": -math.inf, "-Inf": -math.inf, "Infinity": math.inf, "-Infinity": -math.inf}
NONE_IDS = {"_", "None", "null", "NULL"}


class _Parser:
    def __init__(self, text: str):
        self.s = text
        self.i = 0

    def error(self, msg: str):
        raise H2OError(f"Bad Rapids expression: {msg} at position {self.i} in: {self.s[:200]}")

    def ws(self) -> str:
        while self.i < len(self.s) and self.s[self.i] in " \t\n\r,":
            self.i += 1
        return self.s[self.i] if self.i < len(self.s) else ""

    def parse(self):
        c = self.ws()
        if c == "":
            self.error("expected an expression but ran out of text")
        if c == "(":
            self.i += 1
            fn_tok = self.ws()
            if fn_tok in ("", ")"):
                self.error("empty application '()'")
            fn = self.parse()
            if not isinstance(fn, Id):
                self.error("a function name must follow '('")
            args = []
            while True:
                c = self.ws()
                if c == "":
                    self.error("missing ')'")
                if c == ")":
                    self.i += 1
                    return Call(fn.name, args)
                args.append(self.parse())
        if c == "{":
            self.error("function definitions ({ args . body }) are not supported by h2olite")
        if c == "[":
            return self.list_()
        if c in "\"'":
            return self.string(c)
        if c == "#":
            self.i += 1
            return self.number()
        if c.isdigit() or (c in "-+." and self.i + 1 < len(self.s) and (self.s[self.i + 1].isdigit() or self.s[self.i + 1] == ".")):
            return self.number()
        if c in ")]":
            self.error(f"unexpected '{c}'")
        return Id(self.token())

    def token(self) -> str:
        start = self.i
        while self.i < len(self.s) and self.s[self.i] not in " \t\n\r)}]":
            self.i += 1
        if start == self.i:
            self.error("missing token")
        return self.s[start:self.i]

    def number(self) -> float:
        start = self.i
        while self.i < len(self.s) and self.s[self.i] not in " \t\n\r)]},:":
            self.i += 1
        tok = self.s[start:self.i]
        try:
            return float(tok)
        except ValueError:
            if tok in CONSTANTS:
                return CONSTANTS[tok]
            self.error(f"'{tok}' is not a number")

    def string(self, q: str) -> str:
        self.i += 1
        out = []
        while self.i < len(self.s) and self.s[self.i] != q:
            ch = self.s[self.i]
            if ch == "\\" and self.i + 1 < len(self.s):
                nxt = self.s[self.i + 1]
                out.append({"n": "\n", "t": "\t", "\\": "\\", "'": "'", '"': '"'}.get(nxt, "\\" + nxt))
                self.i += 2
                continue
            out.append(ch)
            self.i += 1
        if self.i >= len(self.s):
            self.error("unterminated string")
        self.i += 1
        return "".join(out)

    def list_(self):
        self.i += 1
        c = self.ws()
        if c in "\"'":
            items = []
            while True:
                c = self.ws()
                if c == "]":
                    self.i += 1
                    return StrList(items)
                if c not in "\"'":
                    self.error("a string list may only hold strings")
                items.append(self.string(c))
        bases, counts, strides = [], [], []
        while True:
            c = self.ws()
            if c == "":
                self.error("missing ']'")
            if c == "]":
                self.i += 1
                return NumList(bases, counts, strides)
            b = self._list_number()
            cnt, stride = 1.0, 1.0
            if self.i < len(self.s) and self.s[self.i] == ":":
                self.i += 1
                cnt = self._list_number()
                if self.i < len(self.s) and self.s[self.i] == ":":
                    self.i += 1
                    stride = self._list_number()
                if not math.isnan(cnt) and cnt < 0:
                    self.error(f"negative count {cnt} in a range")
            bases.append(b)
            counts.append(cnt)
            strides.append(stride)

    def _list_number(self) -> float:
        start = self.i
        while self.i < len(self.s) and self.s[self.i] not in " \t\n\r,:]":
            self.i += 1
        tok = self.s[start:self.i].lstrip("#")
        if tok in CONSTANTS:
            return CONSTANTS[tok]
        try:
            return float(tok)
        except ValueError:
            self.error(f"'{tok}' is not a number in a number list")


def parse_ast(text: str):
    """Text -> AST; ``H2OError`` (400) naming the problem for anything malformed."""
    if not isinstance(text, str) or not text.strip():
        raise H2OError("Parameter 'ast' is empty", field="ast")
    p = _Parser(text)
    node = p.parse()
    if p.ws() != "":
        p.error("unexpected text after the expression")
    return node


# --- evaluation -------------------------------------------------------------------------------
class Evaluator:
    """Evaluates a parsed AST against ``store``; ``on_tmp(key)`` is told about ``tmp=`` keys."""

    def __init__(self, store, on_tmp=None):
        self.store = store
        self.on_tmp = on_tmp

    def run(self, node):
        return self.eval(node)

    # values: Frame | float | str | list[float] | list[str] | NumList | StrList | None
    def eval(self, node):
        if isinstance(node, Call):
            return self.call(node)
        if isinstance(node, Id):
            return self.lookup(node.name)
        return node

    def lookup(self, name: str):
        if name in CONSTANTS:
            return CONSTANTS[name]
        if name in NONE_IDS:
            return None
        value = self.store.find(name)
        if isinstance(value, Frame):
            return value if value.key == name else value.with_key(name)
        if value is None:
            raise H2OError(f"Name lookup of '{name}' failed: no such frame or function")
        raise H2OError(f"'{name}' is a {type(value).__name__}, not a frame")

    def call(self, node: Call):
        fn = node.fn
        if fn in ("tmp=", "assign"):
            return self._assign(fn, node.args)
        if fn == "rm":
            return self._rm(node.args)
        if fn == "rename":
            return self._rename(node.args)
        impl = FUNCTIONS.get(fn)
        if impl is None:
            raise H2OError(f"Name lookup of '{fn}' failed: unknown Rapids function")
        args = [self.eval(a) for a in node.args]
        lo, hi = impl.nargs
        if not lo <= len(args) <= hi:
            want = f"{lo}" if lo == hi else f"{lo} to {hi}" if hi < 99 else f"at least {lo}"
            raise H2OError(f"Incorrect number of arguments; '{fn}' expects {want} but was passed {len(args)}")
        try:
            with np.errstate(all="ignore"):
                return impl.fn(*args)
        except (TypeError, ValueError, OverflowError, ZeroDivisionError) as e:
            # argument kinds no branch above expected (e.g. a list where a number belongs)
            shown = ", ".join(_describe(a) for a in args)
            raise H2OError(f"Bad arguments to '{fn}' ({shown}): {e}") from None

    def _assign(self, fn: str, args):
        if len(args) != 2 or not isinstance(args[0], (Id, str)):
            raise H2OError(f"'{fn}' expects a key and an expression: ({fn} key expr)")
        key = args[0].name if isinstance(args[0], Id) else args[0]
        from ..store import check_key
        check_key(key, "key")
        value = self.eval(args[1])
        if not isinstance(value, Frame):
            raise H2OError(f"'{fn}' can only store a frame, the expression gave {_describe(value)}")
        old = self.store.find(key)
        if old is not None and not isinstance(old, Frame):
            raise H2OError(f"Cannot assign to '{key}': it holds a {type(old).__name__}")
        frame = value.with_key(key)
        self.store.put(key, frame)
        if fn == "tmp=" and self.on_tmp is not None:
            self.on_tmp(key)
        return frame

    def _rm(self, args):
        if len(args) != 1:
            raise H2OError("'rm' expects one key: (rm key)")
        a = args[0]
        key = a.name if isinstance(a, Id) else a if isinstance(a, str) else None
        if key is None:
            raise H2OError("'rm' expects a key")
        value = self.store.find(key)
        if value is None:
            return 0.0
        if not isinstance(value, (Frame, RawSource)):
            raise H2OError(f"'rm' removes frames; '{key}' is a {type(value).__name__} (use DELETE /3/DKV/{key})")
        self.store.remove(key)
        return 1.0


    def _rename(self, args):
        """``(rename "old" "new")``: move a frame to another key (h2o-py's ``frame_id`` setter)."""
        if len(args) != 2:
            raise H2OError("'rename' expects two keys: (rename \"old\" \"new\")")
        old, new = [a.name if isinstance(a, Id) else a for a in args]
        if not isinstance(old, str) or not isinstance(new, str):
            raise H2OError("'rename' expects two keys")
        from ..store import check_key
        check_key(new, "key")
        frame = self.store.find(old)
        if not isinstance(frame, Frame):
            raise H2OError(f"Name lookup of '{old}' failed: no such frame")
        if old == new:
            return frame
        if self.store.find(new) is not None:
            raise H2OError(f"Cannot rename '{old}' to '{new}': that key is in use")
        moved = frame.with_key(new)
        self.store.put(new, moved)
        self.store.remove(old)
        return moved


def _describe(v) -> str:
    if isinstance(v, Frame):
        return f"a frame {v.nrow}x{v.ncol}"
    if isinstance(v, str):
        return "a string"
    if isinstance(v, (list, NumList, StrList)):
        return "a list"
    return "a number"


# --- argument helpers -------------------------------------------------------------------------
def _frame(v, fn: str, pos: str = "argument") -> Frame:
    if not isinstance(v, Frame):
        raise H2OError(f"'{fn}' expects a frame as {pos}, got {_describe(v)}")
    return v


def _bool(v, fn: str) -> bool:
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return bool(v) and not math.isnan(v)
    if isinstance(v, bool):
        return v
    if isinstance(v, str) and v.lower() in ("true", "false"):
        return v.lower() == "true"
    raise H2OError(f"'{fn}' expects TRUE/FALSE, got {v!r}")


def _num(v, fn: str) -> float:
    if isinstance(v, NumList) and len(v.bases) == 1 and v.counts[0] == 1:
        return v.bases[0]
    if isinstance(v, Frame) and v.nrow == 1 and v.ncol == 1 and v.columns[0].type in NUMERIC_TYPES:
        return float(v.columns[0].data[0])
    if not isinstance(v, (int, float)):
        raise H2OError(f"'{fn}' expects a number, got {_describe(v)}")
    return float(v)


def _selector(v, frame: Frame):
    """A column selector value -> what ops.column_indices takes."""
    if isinstance(v, StrList):
        return v.items
    if isinstance(v, NumList):
        return v.expand(frame.ncol)
    if isinstance(v, (str, float, int)):
        return [v]
    if isinstance(v, list):
        return v
    if v is None:
        return list(range(frame.ncol))
    raise H2OError(f"Bad column selector: {_describe(v)}")


def _columns(frame: Frame, sel, fn: str) -> list[int]:
    names = _selector(sel, frame)
    missing = [n for n in names if isinstance(n, str) and not frame.has(n)]
    if missing:
        shown = ", ".join(frame.names[:10]) + (", ..." if frame.ncol > 10 else "")
        raise H2OError(f"Column '{missing[0]}' not found in frame '{frame.key}' (columns: {shown})",
                       column=missing[0])
    return ops.column_indices(frame, names)


def _rows(sel, frame: Frame):
    if sel is None:
        return None
    if isinstance(sel, Frame):
        return sel
    if isinstance(sel, NumList):
        if not sel.bases:
            return None
        return sel.expand(frame.nrow)
    if isinstance(sel, (int, float)):
        return [sel]
    if isinstance(sel, list):
        return sel
    raise H2OError(f"Bad row selector: {_describe(sel)}")


# --- functions --------------------------------------------------------------------------------
@dataclass
class Fn:
    fn: object
    nargs: tuple[int, int]


FUNCTIONS: dict[str, Fn] = {}


def rapids(*names: str, nargs: tuple[int, int]):
    def register(f):
        for n in names:
            FUNCTIONS[n] = Fn(f, nargs)
        return f
    return register


@rapids("cols_py", "cols", nargs=(2, 2))
def _cols(fr, sel):
    fr = _frame(fr, "cols")
    return Frame([fr.columns[j] for j in _columns(fr, sel, "cols")])


@rapids("rows", nargs=(2, 2))
def _rows_fn(fr, sel):
    fr = _frame(fr, "rows")
    return ops.select_rows(fr, _rows(sel, fr))


@rapids(":=", nargs=(4, 4))
def _assign_cells(dst, src, cols, rows):
    dst = _frame(dst, ":=")
    names = _selector(cols, dst)
    if len(names) == 1 and isinstance(names[0], str) and not dst.has(names[0]):
        return ops.append_column(dst, src, names[0]) if rows is None or (isinstance(rows, NumList) and not rows.bases) \
            else ops.assign(ops.append_column(dst, None, names[0]), src, [dst.ncol], _rows(rows, dst))
    idx = [dst.index_of(n) if isinstance(n, str) else int(n) for n in names]
    if isinstance(src, (NumList, StrList)):
        raise H2OError("':=' cannot assign a list; assign a frame, a number or a string")
    return ops.assign(dst, src, idx, _rows(rows, dst))


@rapids("append", nargs=(3, 99))
def _append(fr, *pairs):
    fr = _frame(fr, "append")
    if len(pairs) % 2:
        raise H2OError("'append' expects (append frame value \"name\" ...) with value/name pairs")
    for k in range(0, len(pairs), 2):
        name = pairs[k + 1]
        if not isinstance(name, str):
            raise H2OError("'append' expects a column name after each value")
        fr = ops.append_column(fr, pairs[k], name)
    return fr


@rapids("cbind", nargs=(1, 999))
def _cbind(*frames):
    return ops.cbind([f for f in frames])


@rapids("rbind", nargs=(1, 999))
def _rbind(*frames):
    fs = [_frame(f, "rbind") for f in frames]
    return ops.rbind(fs)


@rapids("colnames=", nargs=(3, 3))
def _set_names(fr, idx, names):
    fr = _frame(fr, "colnames=")
    positions = [int(x) for x in _selector(idx, fr)]
    new = names.items if isinstance(names, StrList) else [names] if isinstance(names, str) else None
    if new is None:
        raise H2OError("'colnames=' expects a list of names")
    return ops.rename_columns(fr, positions, new)


@rapids("as.factor", nargs=(1, 1))
def _as_factor(fr):
    return ops.map_columns(_frame(fr, "as.factor"), ops.as_factor)


@rapids("as.numeric", nargs=(1, 1))
def _as_numeric(fr):
    return ops.map_columns(_frame(fr, "as.numeric"), ops.as_numeric)


@rapids("as.character", nargs=(1, 1))
def _as_character(fr):
    return ops.map_columns(_frame(fr, "as.character"), ops.as_character)


@rapids("is.factor", nargs=(1, 1))
def _is_factor(fr):
    return [float(c.type == ENUM) for c in _frame(fr, "is.factor").columns]


@rapids("is.numeric", nargs=(1, 1))
def _is_numeric(fr):
    return [float(c.type in NUMERIC_TYPES) for c in _frame(fr, "is.numeric").columns]


@rapids("is.character", nargs=(1, 1))
def _is_character(fr):
    return [float(c.type == STRING) for c in _frame(fr, "is.character").columns]


@rapids("any.factor", nargs=(1, 1))
def _any_factor(fr):
    return float(any(c.type == ENUM for c in _frame(fr, "any.factor").columns))


@rapids("levels", nargs=(1, 1))
def _levels(fr):
    out = ops.levels(_frame(fr, "levels"))
    return Frame([c.renamed(f"C{i + 1}") for i, c in enumerate(out.columns)])


@rapids("nlevels", nargs=(1, 1))
def _nlevels(fr):
    fr = _frame(fr, "nlevels")
    counts = [float(len(c.domain)) if c.type == ENUM else 0.0 for c in fr.columns]
    return counts[0] if len(counts) == 1 else counts


@rapids("is.na", nargs=(1, 1))
def _is_na(fr):
    out = ops.is_na(_frame(fr, "is.na"))
    return Frame([c.renamed(f"isNA({c.name})") for c in out.columns])


@rapids("naCnt", nargs=(1, 1))
def _na_cnt(fr):
    return ops.na_count(_frame(fr, "naCnt"))


@rapids("any.na", nargs=(1, 1))
def _any_na(fr):
    return float(any(x > 0 for x in ops.na_count(_frame(fr, "any.na"))))


@rapids("mean", nargs=(1, 3))
def _mean(fr, skipna=1.0, axis=0.0):
    fr = _frame(fr, "mean")
    skip = _bool(skipna, "mean")
    ax = int(_num(axis, "mean"))
    if ax == 0:
        means = ops.column_means(fr, skip)
        return Frame([ops.numeric_column(c.name, np.array([m]), "real") for c, m in zip(fr.columns, means)])
    if ax == 1:
        return Frame([ops.numeric_column("mean", ops.row_means(fr, skip), "real")])
    raise H2OError(f"'mean' axis must be 0 (columns) or 1 (rows), got {ax}")


@rapids("sd", nargs=(1, 2))
def _sd(fr, na_rm=0.0):
    return ops.column_sds(_frame(fr, "sd"), _bool(na_rm, "sd"))


@rapids("var", nargs=(1, 4))
def _var(x, y=None, use="everything", symmetric=1.0):
    x = _frame(x, "var")
    y = None if y is None or (isinstance(y, NumList) and not y.bases) else _frame(y, "var", "y")
    use = use if isinstance(use, str) else "everything"
    m = ops.covariance(x, y, use)
    if m.shape == (1, 1):
        return float(m[0, 0])
    ycols = (y or x).names
    return Frame([ops.numeric_column(n, m[:, j].copy(), "real") for j, n in enumerate(ycols)])


def _reducer(op: str, na_rm: bool):
    def f(*frames):
        vals = [ops.frame_reduce(_frame(fr, op), op, na_rm) if isinstance(fr, Frame) else float(fr) for fr in frames]
        if op == "sum":
            return float(sum(vals))
        return float(min(vals) if op == "min" else max(vals))
    return f


for _op in ("min", "max", "sum"):
    FUNCTIONS[_op] = Fn(_reducer(_op, False), (1, 99))
    FUNCTIONS[_op + "NA"] = Fn(_reducer(_op, True), (1, 99))


@rapids("nrow", nargs=(1, 1))
def _nrow(fr):
    return float(_frame(fr, "nrow").nrow)


@rapids("ncol", nargs=(1, 1))
def _ncol(fr):
    return float(_frame(fr, "ncol").ncol)


@rapids("dim", nargs=(1, 1))
def _dim(fr):
    fr = _frame(fr, "dim")
    return [float(fr.nrow), float(fr.ncol)]


@rapids("unique", nargs=(1, 2))
def _unique(fr, include_nas=0.0):
    out = ops.unique(_frame(fr, "unique"), _bool(include_nas, "unique"))
    return Frame([out.columns[0].renamed("C1")])


@rapids("table", nargs=(1, 3))
def _table(fr, *rest):
    fr = _frame(fr, "table")
    second = None
    dense = True
    for r in rest:
        if isinstance(r, Frame):
            second = r
        elif r is not None:
            dense = _bool(r, "table")
    return ops.table(fr, second, dense)


@rapids("getrow", nargs=(1, 1))
def _getrow(fr):
    fr = _frame(fr, "getrow")
    if fr.nrow != 1:
        raise H2OError(f"The frame should have only 1 row; found {fr.nrow} rows.")
    out = []
    for c in fr.columns:
        out.append(float(c.as_float()[0]) if c.type in NUMERIC_TYPES or c.type == ENUM else math.nan)
    return out


@rapids("flatten", nargs=(1, 1))
def _flatten(fr):
    if not isinstance(fr, Frame):
        return fr                              # already a scalar (e.g. a 1x1 var)
    if fr.nrow != 1 or fr.ncol != 1:
        return fr
    c = fr.columns[0]
    if c.type == ENUM:
        code = int(c.data[0])
        return c.domain[code] if code >= 0 else math.nan
    if c.type in (STRING, UUID):
        return c.data[0] if c.data[0] is not None else math.nan
    return float(c.data[0])


@rapids("h2o.runif", nargs=(1, 2))
def _runif(fr, seed=-1.0):
    fr = _frame(fr, "h2o.runif")
    return Frame([ops.runif(fr.nrow, int(_num(seed, "h2o.runif")))])


@rapids("kfold_column", nargs=(3, 3))
def _kfold(fr, nfolds, seed):
    fr = _frame(fr, "kfold_column")
    k = int(_num(nfolds, "kfold_column"))
    if k < 2:
        raise H2OError(f"kfold_column: nfolds must be >= 2, got {k}")
    u = ops.runif(fr.nrow, int(_num(seed, "kfold_column"))).data
    return Frame([ops.numeric_column("C1", np.floor(u * k), "int")])


@rapids("quantile", nargs=(2, 4))
def _quantile(fr, probs, method="interpolate", weights=None):
    fr = _frame(fr, "quantile")
    if weights is not None and not (isinstance(weights, str) and weights in ("_", "")):
        raise H2OError("quantile: a weights column is not supported by h2olite")
    p = probs.expand() if isinstance(probs, NumList) else [float(probs)]
    return ops.quantiles(fr, p, method if isinstance(method, str) else "interpolate")


@rapids("ifelse", nargs=(3, 3))
def _ifelse(test, yes, no):
    return ops.ifelse(_frame(test, "ifelse"), yes, no)


@rapids("columnsByType", nargs=(2, 2))
def _columns_by_type(fr, kind):
    fr = _frame(fr, "columnsByType")
    want = {"numeric": NUMERIC_TYPES, "categorical": (ENUM,), "string": (STRING,), "time": ("time",),
            "uuid": (UUID,), "bad": ()}.get(str(kind))
    if want is None:
        raise H2OError(f"columnsByType: unknown type '{kind}'")
    return [float(j) for j, c in enumerate(fr.columns) if c.type in want]


@rapids("round", nargs=(1, 2))
def _round(fr, digits=0.0):
    fr = _frame(fr, "round")
    d = int(_num(digits, "round"))
    return Frame([ops.numeric_column(c.name, np.round(ops._numeric_values(c, "round"), d)) for c in fr.columns])


for _name in sorted(ops.COMPARISONS | ops.ARITHMETIC | ops.LOGICAL):
    FUNCTIONS[_name] = Fn((lambda op: lambda a, b: ops.binop(op, _operand(a), _operand(b)))(_name), (2, 2))

for _name in ops.UNARY:
    FUNCTIONS[_name] = Fn((lambda op: lambda fr: ops.unop(op, _frame(fr, op)) if isinstance(fr, Frame)
                           else float(ops.UNARY[op](np.float64(_num(fr, op)))))(_name), (1, 1))

for _name in ("!", "not", "!!"):
    FUNCTIONS[_name] = Fn((lambda op: lambda fr: ops.unop(op, _frame(fr, op)) if isinstance(fr, Frame)
                           else float(_num(fr, op) == 0))(_name), (1, 1))


def _operand(v):
    if isinstance(v, (Frame, str)) or v is None:
        return v
    if isinstance(v, (int, float)):
        return float(v)
    raise H2OError(f"An operator cannot take {_describe(v)}")


def list_keys(store) -> Frame:
    """``(ls)``: every user-visible key (jobs and other ``$``-internal keys excluded), sorted."""
    keys = sorted(k for k in store.keys() if not k.startswith("$"))
    col = Column("key", ENUM, np.arange(len(keys), dtype=np.int32), tuple(keys))
    return Frame([col])


def evaluate(text: str, store, on_tmp=None):
    """Parse and evaluate one Rapids expression."""
    try:
        node = _bind_ls(parse_ast(text), store)
        return Evaluator(store, on_tmp).run(node)
    except RecursionError:
        raise H2OError("Rapids expression is nested too deeply") from None


def _bind_ls(node, store):
    """Replace nested ``(ls)`` calls by their value (it needs the store)."""
    if isinstance(node, Call):
        if node.fn == "ls":
            if node.args:
                raise H2OError("'ls' takes no arguments")
            return list_keys(store)
        return Call(node.fn, [_bind_ls(a, store) for a in node.args])
    return node
