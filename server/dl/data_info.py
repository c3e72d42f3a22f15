"""H2O's DataInfo for Deep Learning: which columns feed the network, in what order, scaled how.

Built once from the training frame (``DataInfo.build``), stored with the model (``to_json`` /
``from_json``) and used to turn any frame - training, validation or a user's test frame - into the
float32 input matrix of the network (``expand``) and the response vector (``response_values``).

Layout (internals doc section 1): one-hot categoricals first, ordered by decreasing cardinality
with H2O's non-stable swap sort, each block with a trailing NA slot (``col.missing(NA)``), then the
numeric units in frame order.  Numerics are standardized (``(x-mean)/sd``), normalized for
autoencoders (``(x-mean)/(max-min)``) or descaled for ``sparse`` (``x/sd``); a regression response
with an identity-link distribution is standardized too.  Test frames are adapted by column name:
missing columns become NA, extra columns are ignored, categorical levels are matched by label and
unseen levels go to the NA slot.

With ``use_all_factor_levels=False`` H2O's training-time row extraction puts a categorical NA into
the slot of the last real level (``_catNAFill`` off by one, internals doc section 1) while scoring
uses the NA slot; h2olite implements the documented behaviour, the NA slot, in both paths.
"""
from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from dataclasses import dataclass, field, replace

import numpy as np

from ..errors import H2OError
from ..frames.frame import STRING, UUID, Column, Frame
from .kernels.columns import column_stats, fill_numeric

NONE, STANDARDIZE, NORMALIZE, DESCALE = "NONE", "STANDARDIZE", "NORMALIZE", "DESCALE"
ONEHOT_ENCODINGS = ("AUTO", "OneHotInternal", "SortByResponse", "EnumLimited")
ENUM_LIMITED_LEVELS = 10               # H2O's default max_categorical_levels for EnumLimited
IDENTITY_LINK = ("gaussian", "laplace", "quantile", "huber")


class _ExpandCache:
    """The last few whole-frame input matrices, keyed by (layout, frame, training).

    A checkpoint restart, a grid or a CV main model trains on the frame the previous model used,
    usually with an equal DataInfo (the grid's models, the booklet's CV after its trial model);
    expanding a wide frame is tens of milliseconds and a new matrix of its size.  The layout is
    the DataInfo's model-file form (``layout_key``), which holds all that ``expand`` reads, so
    equal layouts expand every frame identically.  Frames are immutable once built and each entry
    holds its frame, so its id stays valid while cached.  Bounded by entries and bytes, so at most
    a few matrices stay alive.

    A grid starts its models together, so they ask for the same matrices at once: one expands
    (``claim``) and the others wait for it instead of each building a copy (the booklet's grid:
    six 23 MB training and six 6 MB validation matrices, fresh memory the machine zeroes first).
    """

    MAX_ENTRIES = 4
    MAX_BYTES = 512 * 2**20

    def __init__(self):
        self._lock = threading.Lock()
        self._entries: OrderedDict[tuple, tuple] = OrderedDict()
        self._building: dict[tuple, threading.Event] = {}

    def holds(self, nbytes: int) -> bool:
        """Whether a matrix of ``nbytes`` would be cached (a larger one is neither cached nor
        waited for: models expanding it side by side then do so in parallel)."""
        return nbytes <= self.MAX_BYTES // 2

    def claim(self, layout: str, frame: Frame, training: bool):
        """``(X, warnings)`` when cached, after waiting for another thread expanding it; else
        None, and the caller expands it and must ``settle`` the key."""
        key = (layout, id(frame), training)
        while True:
            with self._lock:
                hit = self._entries.get(key)
                if hit is not None:
                    self._entries.move_to_end(key)
                    return hit[1], list(hit[2])
                building = self._building.get(key)
                if building is None:
                    self._building[key] = threading.Event()
                    return None
            building.wait()          # then the cached result, or the claim if that expansion failed

    def settle(self, layout: str, frame: Frame, training: bool, X: np.ndarray | None, warnings: list[str]) -> None:
        """End a claim (made only for a matrix the cache ``holds``): cache ``X`` (None: the
        expansion failed) and wake the waiters."""
        key = (layout, id(frame), training)
        with self._lock:
            if X is not None:
                self._entries[key] = (frame, X, list(warnings))
                while (len(self._entries) > self.MAX_ENTRIES or
                       sum(e[1].nbytes for e in self._entries.values()) > self.MAX_BYTES):
                    self._entries.popitem(last=False)
            building = self._building.pop(key, None)
        if building is not None:
            building.set()


_EXPANDED = _ExpandCache()


# --------------------------------------------------------------------------------------------
# small helpers
# --------------------------------------------------------------------------------------------
def _num_label(v: float) -> str:
    """How a numeric value reads as a categorical level (H2O's numeric->enum conversion)."""
    return str(int(v)) if float(v).is_integer() else repr(float(v))


def _labels_to_index(col: Column, level_pos: dict[str, int]) -> tuple[np.ndarray, list[str]]:
    """Map a column's values onto training level indices by label.

    Returns (int64 indices: -1 for NA, -2 for a level unseen in training; unseen labels).
    """
    n = len(col)
    if col.is_enum:
        table = np.array([level_pos.get(lvl, -2) for lvl in col.domain] + [-1], dtype=np.int64)
        codes = col.data.astype(np.int64)
        idx = table[np.where(codes < 0, len(col.domain), codes)]
        used = np.unique(codes[codes >= 0])
        unseen = [col.domain[c] for c in used if table[c] == -2]
        return idx, unseen
    if col.is_numeric:
        vals = col.data
        ok = ~np.isnan(vals)
        uniq, inv = np.unique(vals[ok], return_inverse=True)
        table = np.array([level_pos.get(_num_label(u), -2) for u in uniq], dtype=np.int64)
        idx = np.full(n, -1, dtype=np.int64)
        idx[ok] = table[inv] if len(uniq) else idx[ok]
        return idx, [_num_label(u) for u, t in zip(uniq, table) if t == -2]
    # string / uuid: labels are the values themselves
    idx = np.array([-1 if v is None else level_pos.get(v, -2) for v in col.data], dtype=np.int64)
    unseen = sorted({v for v, i in zip(col.data, idx) if i == -2})
    return idx, unseen


def murmur_hash_int(keys: np.ndarray, seed: int) -> np.ndarray:
    """H2O's ``MurmurHash.hash`` (Hadoop's MurmurHash2) of each int32 key written big-endian.

    This is how H2O's hashing trick (``max_categorical_features``) maps a one-hot slot id to a
    bucket; the seed is the model seed truncated to an int.  Returns signed int32 values as int64.
    """
    m32 = np.uint64(0xFFFFFFFF)
    m = np.uint64(0x5BD1E995)
    k = np.asarray(keys, dtype=np.int64).astype(np.uint32).byteswap().astype(np.uint64)   # little-endian load
    h = np.full(k.shape, np.uint64((seed ^ 4) & 0xFFFFFFFF), dtype=np.uint64)
    k = (k * m) & m32
    k ^= k >> np.uint64(24)
    k = (k * m) & m32
    h = (h * m) & m32
    h ^= k
    h ^= h >> np.uint64(13)
    h = (h * m) & m32
    h ^= h >> np.uint64(15)
    return h.astype(np.uint32).view(np.int32).astype(np.int64)


def _java_int(v: int) -> int:
    """Java's ``(int)`` cast of a long: the low 32 bits, signed."""
    v &= 0xFFFFFFFF
    return v - (1 << 32) if v >= 1 << 31 else v


def _is_const(col: Column) -> bool:
    """H2O's ``isConst(false)``/``isBad``: all-NA, or one distinct non-NA value (NAs allowed)."""
    st = col.stats
    if st.missing == len(col):
        return True
    return bool(st.min == st.max)


def dropped_columns(frame: Frame, predictors: list[str], params: dict) -> dict[str, str]:
    """The predictors a model leaves out, with the reason: string and UUID columns always, and
    with ``ignore_const_cols`` the all-missing and constant ones (H2O's ``ignoreBadColumns``)."""
    dropped: dict[str, str] = {}
    for name in predictors:
        col = frame[name]
        if col.type in (STRING, UUID):
            dropped[name] = f"{col.type} column"
        elif params.get("ignore_const_cols", True) and col.stats.missing == len(col):
            dropped[name] = "all values missing"
        elif params.get("ignore_const_cols", True) and _is_const(col):
            dropped[name] = "constant"
    return dropped


def _weighted_stats(x: np.ndarray, w: np.ndarray) -> tuple[float, float]:
    """Weighted mean and H2O's weighted sd: ``nobs/(nobs-1) * sum(w(x-mu)^2)/sum(w)``."""
    ok = ~np.isnan(x) & (w > 0)
    xs, ws = x[ok], w[ok]
    wsum = ws.sum()
    if wsum <= 0:
        return float("nan"), float("nan")
    mu = float((ws * xs).sum() / wsum)
    nobs = int(ok.sum())
    var = float((ws * (xs - mu) ** 2).sum() / wsum) * (nobs / (nobs - 1) if nobs > 1 else 0.0)
    return mu, float(np.sqrt(var))


def _swap_sort_by_cardinality(idx: list[int], card: dict[int, int]) -> list[int]:
    """H2O's exact (non-stable) ordering of categoricals: decreasing cardinality by pairwise swaps."""
    c = list(idx)
    for i in range(len(c)):
        for j in range(i + 1, len(c)):
            if card[c[i]] < card[c[j]]:
                c[i], c[j] = c[j], c[i]
    return c


# --------------------------------------------------------------------------------------------
# DataInfo
# --------------------------------------------------------------------------------------------
@dataclass
class DataInfo:
    """Column layout and scaling of a Deep Learning model's input (and response) space."""

    predictor_names: list[str]             # model order: one-hot categoricals, then numerics
    encodings: list[str]                   # per predictor: onehot | numeric | binary | label
    domains: list[tuple | None]            # per predictor: training levels (None for numerics)
    cat_offsets: list[int]                 # start of each one-hot block, plus the end
    num_units: list[tuple[int, int]]       # per numeric input unit: (predictor index, bit or -1)
    norm_sub: np.ndarray                   # per numeric unit
    norm_mul: np.ndarray
    num_na_fill: np.ndarray                # per numeric unit: unweighted mean of the raw value
    transform: str
    response: str | None
    response_domain: tuple | None
    resp_sub: float
    resp_mul: float
    use_all_factor_levels: bool
    missing_values_handling: str
    categorical_encoding: str
    max_categorical_features: int
    hash_seed: int
    weights: str | None = None
    offset: str | None = None
    autoencoder: bool = False
    dropped: dict[str, str] = field(default_factory=dict)
    limited: list[int] = field(default_factory=list)    # EnumLimited predictors (rare levels -> "other")
    last_warnings: list[str] = field(default_factory=list)

    # ---- derived layout ------------------------------------------------------------------
    @property
    def is_classifier(self) -> bool:
        return self.response_domain is not None

    @property
    def n_onehot(self) -> int:
        """Width of the one-hot part before hashing (H2O's ``fullN() - nums``)."""
        return self.cat_offsets[-1]

    @property
    def hashed(self) -> bool:
        return self.max_categorical_features < self.n_onehot

    @property
    def num_start(self) -> int:
        return self.max_categorical_features if self.hashed else self.n_onehot

    @property
    def n_inputs(self) -> int:
        return self.num_start + len(self.num_units)

    @property
    def n_outputs(self) -> int:
        if self.autoencoder:
            return self.n_inputs
        return len(self.response_domain) if self.is_classifier else 1

    @property
    def onehot_predictors(self) -> list[int]:
        return [i for i, e in enumerate(self.encodings) if e == "onehot"]

    def display_name(self, pi: int) -> str:
        """H2O's name for predictor ``pi`` in the model (EnumLimited renames the column)."""
        name = self.predictor_names[pi]
        return f"{name}.top_{ENUM_LIMITED_LEVELS}_levels" if pi in self.limited else name

    @property
    def coef_names(self) -> list[str]:
        """Names of the input units (used by varimp, weights frames, reconstruction columns)."""
        names: list[str] = []
        if self.hashed:
            names += [f"hash.{i}" for i in range(self.max_categorical_features)]
        else:
            for i in self.onehot_predictors:
                col, dom = self.display_name(i), self.domains[i]
                levels = dom if self.use_all_factor_levels else dom[1:]
                names += [f"{col}.{lvl}" for lvl in levels] + [f"{col}.missing(NA)"]
        for i, bit in self.num_units:
            names.append(self.predictor_names[i] if bit < 0 else f"{self.predictor_names[i]}:{bit}")
        return names

    def output_names(self) -> list[str]:
        """H2O's ``output.names``: model columns (Binary-encoded bits listed one by one), then the response."""
        names: list[str] = []
        for pi, enc in enumerate(self.encodings):
            if enc == "binary":
                names += [f"{self.predictor_names[pi]}:{b}" for i, b in self.num_units if i == pi]
            else:
                names.append(self.display_name(pi))
        return names + ([self.response] if self.response and not self.autoencoder else [])

    def output_domains(self) -> list:
        """H2O's ``output.domains``, aligned with ``output_names``."""
        doms: list = []
        for pi, enc in enumerate(self.encodings):
            if enc == "binary":
                doms += [None for i, _ in self.num_units if i == pi]
            else:
                doms.append(list(self.domains[pi]) if enc == "onehot" else None)
        if self.response and not self.autoencoder:
            doms.append(list(self.response_domain) if self.response_domain else None)
        return doms

    # ---- building --------------------------------------------------------------------------
    @classmethod
    def build(cls, frame: Frame, predictors: list[str], response: str | None, params: dict,
              weights: str | None = None, offset: str | None = None,
              rows: np.ndarray | None = None) -> "DataInfo":
        """Lay out ``predictors`` of the training ``frame`` with the *effective* ``params``.

        ``rows`` (a cross-validation model's in-fold rows): H2O trains a CV model on the whole
        frame with 0/1 weights, so the layout (constant columns, levels) comes from the whole
        frame and only the scaling statistics from the in-fold rows (internals §7).
        """
        autoencoder = bool(params.get("autoencoder", False))
        encoding = params.get("categorical_encoding", "AUTO")
        if encoding == "AUTO":
            encoding = "OneHotInternal"
        dropped = dropped_columns(frame, predictors, params)
        kept = [frame.index_of(name) for name in predictors if name not in dropped]

        y = frame[response] if response is not None and not autoencoder else None
        wcol = frame[weights].data if weights is not None else None
        response_domain = tuple(y.domain) if y is not None and y.is_enum else None

        domains: dict[int, tuple] = {}
        enc_of: dict[int, str] = {}
        limited: set[int] = set()
        for j in kept:
            col = frame.columns[j]
            if not col.is_enum:
                enc_of[j] = "numeric"
                continue
            dom = tuple(col.domain)
            if encoding in ("Binary", "LabelEncoder"):
                enc_of[j] = "binary" if encoding == "Binary" else "label"
            else:
                enc_of[j] = "onehot"
                if encoding == "SortByResponse" and y is not None:
                    dom = _sort_levels_by_response(col, y, wcol)
                elif encoding == "EnumLimited" and len(dom) > ENUM_LIMITED_LEVELS:
                    dom = _top_levels(col, ENUM_LIMITED_LEVELS) + ("other",)
                    limited.add(j)
            domains[j] = dom

        cats = [j for j in kept if enc_of[j] == "onehot"]
        cats = _swap_sort_by_cardinality(cats, {j: len(domains[j]) for j in cats})
        # numerics in frame order, then the Binary/LabelEncoder columns (H2O appends encoded columns)
        nums = [j for j in kept if enc_of[j] == "numeric"] + [j for j in kept if enc_of[j] in ("binary", "label")]
        order = cats + nums
        use_all = bool(params.get("use_all_factor_levels", True)) or autoencoder
        offsets = [0]
        for j in cats:
            offsets.append(offsets[-1] + len(domains[j]) + (1 if use_all else 0))

        predictor_names = [frame.columns[j].name for j in order]
        encodings = [enc_of[j] for j in order]
        pred_domains = [domains.get(j) for j in order]
        num_units: list[tuple[int, int]] = []
        for pi in range(len(cats), len(order)):
            if encodings[pi] == "binary":
                num_units += [(pi, b) for b in range(_n_bits(len(pred_domains[pi])))]
            else:
                num_units.append((pi, -1))

        standardize = bool(params.get("standardize", True))
        if not standardize:
            transform = NONE
        elif autoencoder:
            transform = NORMALIZE
        elif params.get("sparse", False):
            transform = DESCALE
        else:
            transform = STANDARDIZE

        di = cls(predictor_names=predictor_names, encodings=encodings, domains=pred_domains,
                 cat_offsets=offsets, num_units=num_units,
                 norm_sub=np.zeros(len(num_units)), norm_mul=np.ones(len(num_units)),
                 num_na_fill=np.zeros(len(num_units)), transform=transform,
                 response=None if autoencoder else response, response_domain=response_domain,
                 resp_sub=0.0, resp_mul=1.0, use_all_factor_levels=use_all,
                 missing_values_handling=params.get("missing_values_handling", "MeanImputation"),
                 categorical_encoding=encoding,
                 max_categorical_features=int(params.get("max_categorical_features", 2**31 - 1)),
                 hash_seed=int(params.get("seed", -1)), weights=weights, offset=offset,
                 autoencoder=autoencoder, dropped=dropped,
                 limited=[order.index(j) for j in order if j in limited])
        di._fit_scaling(frame, y, wcol, offset is not None, params, rows)
        return di

    def refit(self, frame: Frame, params: dict) -> "DataInfo":
        """This layout (columns, levels, encodings) with its scaling statistics fitted on ``frame``
        and the ``missing_values_handling`` of ``params`` (a setting a restart may change).

        A checkpoint restart keeps the checkpoint's layout, but H2O rebuilds the standardization
        from the new training frame (DeepLearning.buildModel: makeDataInfo on the frame adapted to
        the previous model, internals section 6).  Returns ``self`` when the statistics come out
        the same, as on a restart on the same frame, so that its cached expansion is reused.
        """
        di = replace(self, norm_sub=np.zeros_like(self.norm_sub), norm_mul=np.ones_like(self.norm_mul),
                     num_na_fill=np.zeros_like(self.num_na_fill), resp_sub=0.0, resp_mul=1.0,
                     missing_values_handling=params.get("missing_values_handling", self.missing_values_handling),
                     last_warnings=[])
        y = frame[self.response] if self.response is not None and not self.autoencoder else None
        w = frame[self.weights].data if self.weights is not None else None
        di._fit_scaling(frame, y, w, self.offset is not None, params)
        same = (np.array_equal(di.norm_sub, self.norm_sub) and np.array_equal(di.norm_mul, self.norm_mul)
                and np.array_equal(di.num_na_fill, self.num_na_fill)
                and di.resp_sub == self.resp_sub and di.resp_mul == self.resp_mul
                and di.missing_values_handling == self.missing_values_handling)
        return self if same else di

    def _fit_scaling(self, frame: Frame, y: Column | None, w: np.ndarray | None, has_offset: bool,
                     params: dict, rows: np.ndarray | None = None) -> None:
        """Means/sds of numeric units and of a regression response (weighted if weights, no offset),
        over ``rows`` of the frame (default: all)."""
        weighted = w is not None and not has_offset
        if rows is not None and w is not None:
            w = w[rows]
        xs = [x for _, x in self._numeric_units(frame)]
        cached = []                                      # per column, free after the first model
        for k in range(len(xs)):
            pi = self.num_units[k][0]
            st = (frame[self.predictor_names[pi]].stats
                  if rows is None and self.encodings[pi] == "numeric" and frame.has(self.predictor_names[pi])
                  else None)
            cached.append(st if st is not None and st.pinfs == 0 and st.ninfs == 0 else None)
        todo = [k for k, st in enumerate(cached) if st is None]
        computed = dict(zip(todo, column_stats([xs[k] for k in todo], rows)))
        for k, x in enumerate(xs):
            st = cached[k]
            if st is not None:
                n_ok = len(x) - st.missing
                mean = st.mean if n_ok else float("nan")
                sd = st.sigma if n_ok > 1 else 0.0
                lo, hi = st.min, st.max
            else:
                mean, sd, lo, hi = (float(v) for v in computed[k][:4])
            self.num_na_fill[k] = 0.0 if np.isnan(mean) else mean
            if weighted:
                mean, sd = _weighted_stats(x if rows is None else x[rows], w)
            if self.transform == NONE or np.isnan(mean):
                continue
            if self.transform in (STANDARDIZE, NORMALIZE):
                self.norm_sub[k] = mean
            if self.transform == NORMALIZE:
                rng = hi - lo
                self.norm_mul[k] = 1.0 / rng if rng > 0 else 1.0
            else:
                self.norm_mul[k] = 1.0 / sd if sd > 0 and np.isfinite(sd) else 1.0
        if y is not None and not y.is_enum and self.transform != NONE:
            if params.get("distribution", "gaussian") in IDENTITY_LINK:
                yv = y.data if rows is None else y.data[rows]
                if weighted:
                    mu, sd = _weighted_stats(yv, w)
                elif rows is None:
                    mu, sd = y.stats.mean, y.stats.sigma
                else:
                    mu, sd = column_stats([y.data], rows)[0, :2]
                self.resp_sub = float(mu)
                self.resp_mul = 1.0 / sd if sd > 0 and np.isfinite(sd) else 1.0

    # ---- adapting frames -------------------------------------------------------------------
    def _predictor_column(self, frame: Frame, pi: int, warnings: list[str]) -> Column | None:
        """The frame's column for predictor ``pi`` (None if missing), checking its type."""
        name = self.predictor_names[pi]
        if not frame.has(name):
            warnings.append(f"Test/Validation dataset is missing column '{name}': substituting in a column of NaN")
            return None
        col = frame[name]
        if self.domains[pi] is None and not col.is_numeric and col.na_mask.all():
            return None          # an all-NA column read as text is just missing values
        if self.domains[pi] is None and not col.is_numeric:
            raise H2OError(f"Test/Validation dataset has {col.type} column '{name}' which is real-valued in "
                           f"the training data", column=name)
        return col

    def _level_index(self, col: Column | None, pi: int, n: int, warnings: list[str]) -> np.ndarray:
        """Training level index per row: -1 NA, -2 unseen level (EnumLimited: rare levels -> 'other')."""
        if col is None:
            return np.full(n, -1, dtype=np.int64)
        dom = self.domains[pi]
        pos = {lvl: i for i, lvl in enumerate(dom)}
        if pi in self.limited:
            idx, _ = _labels_to_index(col, pos)
            idx[idx == -2] = len(dom) - 1
            return idx
        idx, unseen = _labels_to_index(col, pos)
        if unseen:
            shown = unseen[:10] + (["..."] if len(unseen) > 10 else [])
            warnings.append(f"Test/Validation dataset column '{col.name}' has levels not trained on: "
                            f"[{', '.join(map(str, shown))}]")
        return idx

    def _numeric_units(self, frame: Frame, warnings: list[str] | None = None):
        """Yield ``(unit, raw float64 values)`` for every numeric input unit (untransformed)."""
        warnings = [] if warnings is None else warnings
        n = frame.nrow
        cache: dict[int, np.ndarray] = {}
        for k, (pi, bit) in enumerate(self.num_units):
            enc = self.encodings[pi]
            if enc == "numeric":
                col = self._predictor_column(frame, pi, warnings)
                yield k, (np.full(n, np.nan) if col is None else col.data)
                continue
            if pi not in cache:
                col = self._predictor_column(frame, pi, warnings)
                cache[pi] = self._level_index(col, pi, n, warnings)
            idx = cache[pi]
            if enc == "label":
                yield k, np.where(idx >= 0, idx, np.nan)
            else:   # binary: bits of (level index + 1); NA and unseen levels -> all zeros
                code = np.where(idx >= 0, idx + 1, 0)
                yield k, ((code >> bit) & 1).astype(np.float64)

    def expand(self, frame: Frame, training: bool = False, rows: np.ndarray | None = None) -> np.ndarray:
        """The network input for ``rows`` of ``frame`` (default: every row): float32
        ``[len(rows), n_inputs]``, C-contiguous.

        Numeric NAs become the training mean before scaling when ``training`` (H2O's row
        extraction) and 0 after scaling otherwise (H2O's scoring); both agree when standardized.
        Warnings about adapting the frame are left in ``self.last_warnings``.  Whole-frame
        results are cached (``_ExpandCache``): treat the returned matrix as read-only.
        """
        if rows is not None or not _EXPANDED.holds(4 * frame.nrow * self.n_inputs):
            X, self.last_warnings = self._expand(frame, training, rows)
            return X
        layout = self.layout_key()          # a digest: ~1 ms on MNIST
        hit = _EXPANDED.claim(layout, frame, training)
        if hit is not None:
            X, self.last_warnings = hit
            return X
        X = None
        try:
            X, self.last_warnings = self._expand(frame, training, None)
        finally:
            _EXPANDED.settle(layout, frame, training, X, self.last_warnings if X is not None else [])
        return X

    def _expand(self, frame: Frame, training: bool, rows: np.ndarray | None) -> tuple[np.ndarray, list[str]]:
        warnings: list[str] = []
        n = frame.nrow if rows is None else len(rows)
        X = np.zeros((n, self.n_inputs), dtype=np.float32)
        out_rows = np.arange(n)
        if self.hashed:
            cm = self.max_categorical_features
            slot_ids = np.arange(self.n_onehot, dtype=np.int64)
            bucket_of_slot = np.abs(np.fmod(murmur_hash_int(slot_ids, _java_int(self.hash_seed)), cm))
        for b, pi in enumerate(self.onehot_predictors):
            col = self._predictor_column(frame, pi, warnings)
            idx = self._level_index(col, pi, frame.nrow, warnings)
            if rows is not None:
                idx = idx[rows]
            off, end = self.cat_offsets[b], self.cat_offsets[b + 1]
            na_slot = end - 1
            if self.use_all_factor_levels:
                slot = np.where(idx >= 0, off + idx, na_slot)
            else:   # level 0 is the all-zero reference level
                slot = np.where(idx > 0, off + idx - 1, np.where(idx == 0, -1, na_slot))
            active = slot >= 0
            if self.hashed:
                np.add.at(X, (out_rows[active], bucket_of_slot[slot[active]]), 1.0)
            else:
                X[out_rows[active], slot[active]] = 1.0
        if self.num_units:
            fill = ((self.num_na_fill - self.norm_sub) * self.norm_mul if training
                    else np.zeros(len(self.num_units)))
            fill_numeric([x for _, x in self._numeric_units(frame, warnings)], rows, self.norm_sub,
                         self.norm_mul, fill, X, self.num_start)
        return X, list(dict.fromkeys(warnings))

    def response_values(self, frame: Frame) -> np.ndarray:
        """Class index per row (NaN for NA or unseen labels), or the transformed regression target."""
        if self.response is None:
            raise H2OError("This model has no response column (autoencoder)")
        if not frame.has(self.response):
            raise H2OError(f"Response column '{self.response}' not found in frame '{frame.key}'",
                           column=self.response)
        col = frame[self.response]
        if self.is_classifier:
            idx, _ = _labels_to_index(col, {lvl: i for i, lvl in enumerate(self.response_domain)})
            return np.where(idx >= 0, idx, np.nan).astype(np.float32)
        if not col.is_numeric:
            raise H2OError(f"Response column '{self.response}' is {col.type} but the model was trained on a "
                           f"numeric response", column=self.response)
        return ((col.data - self.resp_sub) * self.resp_mul).astype(np.float32)

    def training_skip_mask(self, frame: Frame) -> np.ndarray:
        """Rows training must skip: NA response; with Skip also rows with any NA predictor."""
        n = frame.nrow
        skip = np.zeros(n, dtype=bool)
        if self.response is not None:
            skip |= np.isnan(self.response_values(frame))
        if self.missing_values_handling == "Skip":
            for name in self.predictor_names:
                if frame.has(name):
                    skip |= frame[name].na_mask
                else:
                    skip[:] = True
        return skip

    # ---- persistence -----------------------------------------------------------------------
    def layout_key(self) -> str:
        """A digest of the model-file form: equal for DataInfos that expand every frame alike.
        The hashing seed only counts for hashed encodings (it is the model's seed otherwise)."""
        state = self.to_json()
        if not self.hashed:
            del state["hash_seed"]
        return hashlib.sha256(json.dumps(state, sort_keys=True).encode()).hexdigest()

    def to_json(self) -> dict:
        """Plain-JSON form for model files (floats kept exactly via their repr)."""
        return {
            "predictor_names": list(self.predictor_names),
            "encodings": list(self.encodings),
            "domains": [list(d) if d is not None else None for d in self.domains],
            "cat_offsets": [int(x) for x in self.cat_offsets],
            "num_units": [[int(a), int(b)] for a, b in self.num_units],
            "norm_sub": [float(x) for x in self.norm_sub],
            "norm_mul": [float(x) for x in self.norm_mul],
            "num_na_fill": [float(x) for x in self.num_na_fill],
            "transform": self.transform,
            "response": self.response,
            "response_domain": list(self.response_domain) if self.response_domain is not None else None,
            "resp_sub": float(self.resp_sub),
            "resp_mul": float(self.resp_mul),
            "use_all_factor_levels": self.use_all_factor_levels,
            "missing_values_handling": self.missing_values_handling,
            "categorical_encoding": self.categorical_encoding,
            "max_categorical_features": int(self.max_categorical_features),
            "hash_seed": int(self.hash_seed),
            "weights": self.weights,
            "offset": self.offset,
            "autoencoder": self.autoencoder,
            "dropped": dict(self.dropped),
            "limited": [int(x) for x in self.limited],
        }

    @classmethod
    def from_json(cls, d: dict) -> "DataInfo":
        return cls(
            predictor_names=list(d["predictor_names"]), encodings=list(d["encodings"]),
            domains=[tuple(x) if x is not None else None for x in d["domains"]],
            cat_offsets=list(d["cat_offsets"]), num_units=[tuple(x) for x in d["num_units"]],
            norm_sub=np.asarray(d["norm_sub"], dtype=np.float64),
            norm_mul=np.asarray(d["norm_mul"], dtype=np.float64),
            num_na_fill=np.asarray(d["num_na_fill"], dtype=np.float64),
            transform=d["transform"], response=d["response"],
            response_domain=tuple(d["response_domain"]) if d["response_domain"] is not None else None,
            resp_sub=d["resp_sub"], resp_mul=d["resp_mul"], use_all_factor_levels=d["use_all_factor_levels"],
            missing_values_handling=d["missing_values_handling"], categorical_encoding=d["categorical_encoding"],
            max_categorical_features=d["max_categorical_features"], hash_seed=d["hash_seed"],
            weights=d.get("weights"), offset=d.get("offset"), autoencoder=d.get("autoencoder", False),
            dropped=dict(d.get("dropped", {})), limited=list(d.get("limited", [])))


def _n_bits(cardinality: int) -> int:
    """Bits needed for codes 0 (NA) .. cardinality (H2O's binary encoding reserves 0 for NA)."""
    return max(1, int(cardinality).bit_length())


def _sort_levels_by_response(col: Column, y: Column, w: np.ndarray | None) -> tuple:
    """SortByResponse: levels ordered by their (weighted) mean response; binomial uses P(class 1).

    Multinomial responses have no single mean, so their predictors keep the original order.
    """
    if y.is_enum and len(y.domain) != 2:
        return tuple(col.domain)
    yv = y.as_float()
    ww = np.ones(len(yv)) if w is None else w
    ok = (col.data >= 0) & ~np.isnan(yv)
    L = len(col.domain)
    s = np.bincount(col.data[ok], weights=(ww * yv)[ok], minlength=L)
    n = np.bincount(col.data[ok], weights=ww[ok], minlength=L)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = s / n
    order = np.argsort(mean, kind="stable")           # levels without rows (NaN) go last
    return tuple(col.domain[i] for i in order)


def _top_levels(col: Column, k: int) -> tuple:
    """EnumLimited: the ``k`` most frequent levels, most frequent first (H2O orders them by count;
    its tie order among equally frequent levels is not reproduced - ties keep domain order here).
    """
    counts = np.bincount(col.data[col.data >= 0], minlength=len(col.domain))
    top = np.argsort(-counts, kind="stable")[:k]
    return tuple(col.domain[i] for i in top)
