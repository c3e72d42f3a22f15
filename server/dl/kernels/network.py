"""Network: weights, biases and optimizer state of one model, and the multi-threaded training driver.

Storage (cache-friendly, one flat array per kind so one compiled kernel serves every depth):
``w`` float32 holds each weight layer input-major, ``W_l[i, j*k + c]`` (i = input unit, j =
output unit, c = Maxout channel, k = 2 for Maxout hidden layers else 1); ``b`` float64 holds the
biases ``b_l[j*k + c]``.  ADADELTA accumulators mirror ``w``/``b``; momentum buffers exist only
when a manual rate has momentum.  ``weights(l)``/``biases(l)`` give H2O's orientation.

While ``train`` runs on dense inputs (fast_mode, online) the first layer and its optimizer
state are transposed to unit-major: see ``_unit_major_first_layer``.  Between calls, and so
for scoring, saving and every accessor, the layout is always the one above.
"""
from __future__ import annotations

import math
import numpy as np

from .denormals import flush_denormals, restore_fp_control
from .columns import column_stats, fill_numeric
from .config import I_BATCH, I_MAXW2, I_SPARSITY, TrainConfig
from .hogwild_pool import run_chunks
from .input_cache import training_matrix
from .init import initial_bias, initial_weights
from .predict import forward
from .replicas import merge_replicas, rows_per_thread, stop_all, sync_size
from .rng import chunk_state
from .sgd import train_rows, train_rows_batch

LAYOUT_VERSION = 1
_UNSTABLE_WEIGHT = 1e10
_UNSTABLE_BIAS = 1e5
MIN_ROWS_PER_SCORING_THREAD = 1024     # below this a thread's start-up outweighs its share
_NO_CSR = (np.zeros(1, np.int64), np.zeros(1, np.int32), np.zeros(1, np.float32))  # scan X's rows


class Network:
    """A feed-forward net ``units = [n_in, *hidden, n_out]`` trained by per-row SGD."""

    #: train the first layer unit-major on dense inputs (``_unit_major_first_layer``); the
    #: input-major path gives the same weights up to float rounding (tests compare the two)
    unit_major_dense_inputs = True
    #: several threads train online on replicas merged every few rows (replicas.py), not HOGWILD!
    replicas = True

    def __init__(self, units, cfg: TrainConfig, w, b, eg2=None, edx2=None, beg2=None, bedx2=None,
                 wm=None, bm=None, avg_a=None, processed: int = 0, unstable: bool = False):
        self.units = [int(u) for u in units]
        if len(self.units) < 2 or min(self.units) < 1:
            raise ValueError(f"units must list at least an input and an output layer of positive sizes, got {units}")
        self.config = cfg
        self.activation = cfg.activation
        cfg.validate(len(self.units) - 2)
        nl = len(self.units) - 1
        self.channels = [2 if (cfg.activation == "Maxout" and l < nl - 1) else 1 for l in range(nl)]
        widths = [self.units[l + 1] * self.channels[l] for l in range(nl)]
        self._widths = widths
        self._w_off = np.zeros(nl, np.int64)
        self._b_off = np.zeros(nl, np.int64)
        self._z_off = np.zeros(nl, np.int64)
        wo = bo = 0
        for l in range(nl):
            self._w_off[l], self._b_off[l], self._z_off[l] = wo, bo, bo
            wo += self.units[l] * widths[l]
            bo += widths[l]
        self._a_off = np.concatenate([[0], np.cumsum(self.units)]).astype(np.int64)
        self._units_arr = np.asarray(self.units, np.int64)
        self._kk = np.asarray(self.channels, np.int64)
        # the net's shape as every training kernel takes it (units, channels, offsets)
        self._layout = (self._units_arr, self._kk, self._w_off, self._b_off, self._a_off, self._z_off)
        self.w = np.ascontiguousarray(w, np.float32)
        self.b = np.ascontiguousarray(b, np.float64)
        if self.w.shape != (wo,) or self.b.shape != (bo,):
            raise ValueError(f"weights/biases do not match units {self.units}")
        self.eg2, self.edx2, self.beg2, self.bedx2 = eg2, edx2, beg2, bedx2
        self.wm, self.bm, self.avg_a = wm, bm, avg_a
        self.processed = int(processed)
        self._unstable = bool(unstable)
        self._ensure_state(place=True)

    # ------------------------------------------------------------------ construction
    @classmethod
    def initialize(cls, units, cfg: TrainConfig, seed: int, initial_weight_distribution: str = "UniformAdaptive",
                   initial_weight_scale: float = 1.0) -> "Network":
        """Random initial weights as H2O draws them (deterministic given ``seed``)."""
        units = [int(u) for u in units]
        if len(units) < 2 or min(units) < 1:
            raise ValueError(f"units must list at least an input and an output layer of positive sizes, got {units}")
        nl = len(units) - 1
        n_hidden = nl - 1
        ws, bs = [], []
        for l in range(nl):
            k = 2 if (cfg.activation == "Maxout" and l < nl - 1) else 1
            W = initial_weights(units, l, k, cfg.output == "Softmax" and l == nl - 1, seed,
                                initial_weight_distribution, initial_weight_scale)   # [out, in, k]
            ws.append(W.transpose(1, 0, 2).reshape(-1))
            bs.append(np.full(units[l + 1] * k, initial_bias(cfg.activation, l, n_hidden), np.float64))
        return cls(units, cfg, np.concatenate(ws), np.concatenate(bs))

    def _ensure_state(self, place: bool = False) -> None:
        """Allocate the optimizer state the current config needs (it may change between train
        calls); whenever arrays are new, lay the parameters and their state out anew (``_place``)."""
        cfg = self.config
        one32, one64 = np.zeros(1, np.float32), np.zeros(1, np.float64)
        if cfg.adaptive_rate:
            if self.eg2 is None or self.eg2.shape != self.w.shape:
                self.eg2 = np.zeros_like(self.w)
                self.edx2 = np.zeros_like(self.w)
                self.beg2 = np.zeros_like(self.b)
                self.bedx2 = np.zeros_like(self.b)
                place = True
        for name, like in (("eg2", one32), ("edx2", one32), ("beg2", one64), ("bedx2", one64),
                           ("wm", one32), ("bm", one64)):
            if getattr(self, name) is None:
                setattr(self, name, like.copy())
        if cfg.has_momenta and self.wm.shape != self.w.shape:
            self.wm = np.zeros_like(self.w)
            self.bm = np.zeros_like(self.b)
            place = True
        if place:
            self._place()
        if cfg.output == "AutoEncoder" and cfg.sparsity_beta > 0:
            if self.avg_a is None or self.avg_a.shape[0] != self._a_off[-1]:
                self.avg_a = np.zeros(int(self._a_off[-1]), np.float64)
        elif self.avg_a is None:
            self.avg_a = one64.copy()

    def _place(self) -> None:
        """Copy the weights and their optimizer state (and likewise the biases and theirs) into
        one block, each array starting 1 KiB further past a 4 KiB boundary than the one before.

        The update loops load ``eg2[k]``/``edx2[k]`` right after storing ``w[k - 16]``; when two of
        these arrays start a few cache lines apart modulo 4 KiB (allocation decides, so it varied
        from run to run and model to model), the core takes the loads for reloads of the stores
        (4K aliasing) and waits.  Measured on this project's Zen 4 VM, one thread, the same net
        with its state at 64 B against 1 KiB apart: the booklet's trial net 246-263k against
        300k rows/s, 717-32-32-10 on dense inputs 114k against 145k."""
        for names in (("w", "eg2", "edx2", "wm"), ("b", "beg2", "bedx2", "bm")):
            full = [n for n in names if getattr(self, n).shape == getattr(self, names[0]).shape]
            for name, arr in zip(full, _staggered([getattr(self, n) for n in full])):
                setattr(self, name, arr)

    # ------------------------------------------------------------------ training
    def train(self, X: np.ndarray, y: np.ndarray | None, rows: np.ndarray, offset: np.ndarray | None,
              nthreads: int, seed: int, processed_before: int) -> int:
        """Train on ``X[rows]`` in order, thread c on the c-th of ``nthreads`` contiguous chunks of
        ``rows``: on replicas of the weights merged every few rows (online SGD, replicas.py), or
        as HOGWILD! peers on the shared weights (mini-batches, max_w2, autoencoder sparsity).

        Rows with a NaN target are skipped (not counted).  ``offset`` is added to the linear
        output as given (the caller applies H2O's transform and its ``offset > 0`` rule).  Except
        under HOGWILD!, the result is exactly reproducible for a seed and a thread count.
        Returns rows trained.
        ``X`` is converted, NaN-checked and indexed once per array (input_cache.py): pass the
        same array every iteration and do not modify it in place between calls.
        """
        cfg = self.config
        cfg.validate(len(self.units) - 2)
        if (cfg.activation == "Maxout") != (self.channels[0] == 2 and len(self.channels) > 1):
            raise ValueError("activation cannot change between Maxout and other activations on an existing network")
        self.activation = cfg.activation
        self._ensure_state()
        X, csr = training_matrix(X, self.units[0], cfg.fast_mode or cfg.mini_batch_size > 1)
        n_rows = X.shape[0]
        if y is None:
            if cfg.output != "AutoEncoder":
                raise ValueError("y is required unless the output is AutoEncoder")
            y = np.zeros(n_rows, np.float32)
        y = np.ascontiguousarray(y, np.float32)
        if y.shape != (n_rows,):
            raise ValueError(f"y must have one value per row of X ({n_rows}), got shape {y.shape}")
        if cfg.output == "Softmax":
            valid = y[~np.isnan(y)]
            if valid.size and (valid.min() < 0 or valid.max() >= self.units[-1]):
                raise ValueError(f"class indices in y must be in [0, {self.units[-1]})")
        if offset is not None:
            if cfg.output != "Linear":
                raise ValueError("offset is only supported for regression (Linear output)")
            offset = np.ascontiguousarray(offset, np.float32)
            if offset.shape != (n_rows,):
                raise ValueError(f"offset must have one value per row of X ({n_rows})")
            has_offset = True
        else:
            offset = np.zeros(1, np.float32)
            has_offset = False
        rows = np.ascontiguousarray(rows, np.int64)
        if rows.size == 0:
            return 0
        if rows.min() < 0 or rows.max() >= n_rows:
            raise ValueError(f"rows must index X's {n_rows} rows")
        nthreads = max(1, min(int(nthreads), rows.size))
        # dense inputs (no CSR: at least half non-zero) in fast_mode: the first layer's update
        # skips inactive units instead of zero inputs (sgd.backprop_layer)
        unit_major = self.unit_major_dense_inputs and cfg.fast_mode and cfg.mini_batch_size == 1 and csr is None
        ip, fp, drop = cfg.pack(nthreads, has_offset, unit_major)
        status = np.zeros(1, np.int64)
        nz_ptr, nz_idx, nz_val = csr if csr is not None else _NO_CSR
        bounds = np.linspace(0, rows.size, nthreads + 1).astype(np.int64)   # thread c: rows[bounds[c]:bounds[c+1]]
        args = (X, nz_ptr, nz_idx, nz_val, y, offset, rows, bounds, ip, fp, drop, seed, processed_before, status)
        if unit_major:
            self._unit_major_first_layer(True)
        try:
            finish = None
            if nthreads > 1 and self._uses_replicas(ip):
                run, finish = self._replicas(*args, nthreads)
            else:
                run = self._hogwild(*args, nthreads)
            n = run_chunks(run, nthreads)
            if finish is not None:
                finish()
        finally:
            if unit_major:
                self._unit_major_first_layer(False)
        self.processed = int(processed_before) + n
        if status[0]:
            self._unstable = True
        return n

    def _uses_replicas(self, ip: np.ndarray) -> bool:
        """Do several threads train this net on merged replicas (replicas.py) rather than as
        HOGWILD! peers?  Online SGD without a sparsity penalty (whose running mean activations
        every row updates) and without max_w2 (each update caps a unit's incoming weights, and a
        merge's sum of two capped changes could exceed the cap); mini-batches keep HOGWILD! (one
        update per batch shares little)."""
        return self.replicas and ip[I_BATCH] == 1 and ip[I_SPARSITY] == 0 and ip[I_MAXW2] == 0

    def _replicas(self, X, nz_ptr, nz_idx, nz_val, y, offset, rows, bounds, ip, fp, drop, seed, processed_before,
                  status, nthreads):
        """The threads of a replicated training call (replicas.py) and the step that averages
        their optimizer states into the model's afterwards: ``(run, finish)``."""
        groups = [[name for name in names if getattr(self, name).shape == getattr(self, names[0]).shape]
                  for names in (("w", "eg2", "edx2", "wm"), ("b", "beg2", "bedx2", "bm"))]
        stacks = {name: arr for names in groups
                  for name, arr in zip(names, _stacked([getattr(self, n) for n in names], nthreads))}

        def own(name: str, c: int) -> np.ndarray:      # a thread's copy, or the model's unused stand-in
            return stacks[name][c] if name in stacks else getattr(self, name)
        block = rows_per_thread(nthreads, X.shape[0])
        n_blocks = int(-(-int(np.diff(bounds).max()) // block))
        sync = _padded(sync_size(nthreads), np.int64)

        def run(c: int) -> int:
            s = self._scratch(False)
            w, b = stacks["w"][c], stacks["b"][c]
            state = [own(name, c) for name in ("eg2", "edx2", "beg2", "bedx2", "wm", "bm")]
            rng = _rng_state(seed, c, processed_before)
            saved = flush_denormals()
            done = 0
            try:
                for blk in range(n_blocks):      # the rows of a block in one kernel call, then a merge
                    lo = min(int(bounds[c]) + blk * block, int(bounds[c + 1]))
                    hi = min(lo + block, int(bounds[c + 1]))
                    if lo < hi:
                        done += int(train_rows(X, nz_ptr, nz_idx, nz_val, y, offset, rows, lo, hi, False,
                                               w, b, *state, self.avg_a, *self._layout, ip, fp, drop, rng,
                                               int(processed_before) + nthreads * blk * block, *s, status))
                        if status[0]:
                            stop_all(sync, nthreads)
                            break
                    if not merge_replicas(c, stacks["w"], stacks["b"], self.w, self.b, sync, 2 * blk + 1):
                        break
                return done
            except BaseException:
                stop_all(sync, nthreads)
                raise
            finally:
                restore_fp_control(saved)

        def finish() -> None:
            for names in groups:
                for name in names[1:]:                  # the optimizer state: the threads' mean
                    target = getattr(self, name)
                    target[:] = stacks[name][:, :target.size].mean(axis=0, dtype=np.float64)
        return run, finish

    def _hogwild(self, X, nz_ptr, nz_idx, nz_val, y, offset, rows, bounds, ip, fp, drop, seed, processed_before,
                 status, nthreads):
        """HOGWILD!: thread c trains its chunk of ``rows`` on the shared weights."""
        cfg = self.config
        kernel = train_rows_batch if cfg.mini_batch_size > 1 else train_rows

        def run(c: int) -> int:
            s = self._scratch(cfg.mini_batch_size > 1)
            saved = flush_denormals()           # denormals.py: ~20% faster once outputs saturate
            try:
                return int(kernel(X, nz_ptr, nz_idx, nz_val, y, offset, rows, bounds[c], bounds[c + 1], c % 2 == 1,
                                  self.w, self.b, self.eg2, self.edx2, self.beg2, self.bedx2,
                                  self.wm, self.bm, self.avg_a, *self._layout, ip, fp, drop,
                                  _rng_state(seed, c, processed_before), int(processed_before),
                                  *s, status))
            finally:
                restore_fp_control(saved)
        return run

    def _unit_major_first_layer(self, on: bool) -> None:
        """Transpose the first weight layer (and its ADADELTA / momentum state) to unit-major
        ``W[j, i]`` (``on``) or back to input-major.

        On dense inputs about half of a Rectifier layer's units are inactive on any row, and
        H2O's fast_mode skips their weights; unit-major rows make that skip a whole contiguous
        row, as a zero input is in the input-major layout.  Measured on MNIST (717 standardized
        inputs, hidden=[100], one thread): 40k -> 68k rows/s.  A transpose costs well under a
        millisecond for nets of this size, once per training call, so the layout outside the
        kernels (scoring, saving, accessors) never changes.
        """
        n_in, m = self.units[0], self._widths[0]
        size = n_in * m                       # layer 0 starts at offset 0
        shape = (n_in, m) if on else (m, n_in)
        for arr in (self.w, self.eg2, self.edx2, self.wm):
            if arr.shape == self.w.shape:
                head = arr[:size]
                head[:] = head.reshape(shape).T.ravel()     # ravel copies: the source is a view

    def _scratch(self, batch: bool):
        """Per-thread buffers: activations, nets, deltas, errors, non-zero lists, mini-batch sums."""
        na, nz = int(self._a_off[-1]), int(sum(self._widths))
        return (_padded(na, np.float32), _padded(nz, np.float32), _padded(nz, np.float32),
                _padded(na, np.float32), _padded(na, np.int64), _padded(len(self._widths), np.int64),
                _padded(max(self._widths), np.float32),
                _padded(self.w.shape[0] if batch else 1, np.float32),
                _padded(self.b.shape[0] if batch else 1, np.float32),
                _padded(na, np.uint8), _padded(len(self._widths), np.float32),
                _padded(max(self.units[:-1]), np.float32))     # dropout draws: inputs, then hidden units

    def _check_X(self, X) -> np.ndarray:
        X = np.ascontiguousarray(X, np.float32)
        if X.ndim != 2 or X.shape[1] != self.units[0]:
            raise ValueError(f"X must be a 2-D array with {self.units[0]} columns, got shape {np.shape(X)}")
        return X

    @staticmethod
    def _nan_as_zero(X: np.ndarray) -> np.ndarray:
        # min propagates NaN: one pass without the n x p mask isnan(X).any() allocates (3 ms on
        # the 8000-row MNIST scoring sample, at every scoring event)
        return np.nan_to_num(X, nan=0.0) if X.size and np.isnan(X.min()) else X

    # ------------------------------------------------------------------ scoring
    def _layers_for_predict(self):
        nl = len(self._widths)
        return ([self._W(l) for l in range(nl)],
                [self._B(l).astype(np.float32) for l in range(nl)])

    def predict(self, X: np.ndarray, offset: np.ndarray | None = None, threads: int = 1) -> np.ndarray:
        """Test-mode outputs ``[n, n_out]``: softmax probabilities, link-space linear output
        (+offset as given), or the autoencoder's reconstruction in the transformed input space.
        A NaN input counts as 0, as H2O scores missing (transformed) numerics.

        ``threads``: score contiguous parts of the rows at once (BLAS runs one thread per call in
        the backend).  A model scoring during training is not training, so its cores are free:
        the trial net's 10,000 scoring rows take 6.5 ms on two threads against 10.6 ms on one."""
        X = self._check_X(X)
        if offset is not None:
            offset = np.asarray(offset, np.float32)
            if offset.shape != (X.shape[0],):
                raise ValueError(f"offset must have one value per row of X ({X.shape[0]})")
        W, B = self._layers_for_predict()
        cfg = self.config
        X = self._nan_as_zero(X)
        offset = offset if cfg.output == "Linear" else None

        def score(start: int, end: int) -> np.ndarray:
            return forward(W, B, self.channels, cfg.activation, list(cfg.hidden_dropout_ratios), cfg.output,
                           X[start:end], None if offset is None else offset[start:end])

        threads = max(1, min(int(threads), X.shape[0] // MIN_ROWS_PER_SCORING_THREAD))
        if threads == 1:
            return score(0, X.shape[0])
        bounds = np.linspace(0, X.shape[0], threads + 1).astype(np.int64)
        parts: list = [None] * threads

        def part(c: int) -> int:
            parts[c] = score(int(bounds[c]), int(bounds[c + 1]))
            return 0
        run_chunks(part, threads)
        return np.concatenate(parts)

    def hidden_activations(self, X: np.ndarray, layer: int) -> np.ndarray:
        """Activations of 0-based hidden layer ``layer`` in test mode (dropout layers scaled by 1-p)."""
        n_hidden = len(self.units) - 2
        if not 0 <= layer < n_hidden:
            raise ValueError(f"layer must be in [0, {n_hidden}), got {layer}")
        X = self._check_X(X)
        W, B = self._layers_for_predict()
        cfg = self.config
        return forward(W, B, self.channels, cfg.activation, list(cfg.hidden_dropout_ratios), cfg.output,
                       self._nan_as_zero(X), None, stop_at_hidden=layer)

    # ------------------------------------------------------------------ access
    def _W(self, l: int) -> np.ndarray:
        o = int(self._w_off[l])
        return self.w[o:o + self.units[l] * self._widths[l]].reshape(self.units[l], self._widths[l])

    def _B(self, l: int) -> np.ndarray:
        o = int(self._b_off[l])
        return self.b[o:o + self._widths[l]]

    def _check_layer(self, l: int) -> None:
        if not 0 <= l < len(self._widths):
            raise ValueError(f"layer must be in [0, {len(self._widths)}), got {l}")

    def weights(self, l: int) -> np.ndarray:
        """Layer ``l`` weights in H2O orientation ``[units[l+1], units[l]]`` (Maxout: first channel)."""
        self._check_layer(l)
        return np.ascontiguousarray(self._W(l)[:, ::self.channels[l]].T)

    def biases(self, l: int) -> np.ndarray:
        """Layer ``l`` biases ``[units[l+1]]`` float64 (Maxout: first channel)."""
        self._check_layer(l)
        return self._B(l)[::self.channels[l]].copy()

    def set_layer(self, l: int, W: np.ndarray, b: np.ndarray) -> None:
        """Copy a layer in (H2O orientation); for Maxout only the first channel is set."""
        self._check_layer(l)
        W = np.asarray(W, np.float32)
        b = np.asarray(b, np.float64).reshape(-1)
        want = (self.units[l + 1], self.units[l])
        if W.shape != want:
            raise ValueError(f"weights for layer {l} must have shape {want}, got {W.shape}")
        if b.shape != (self.units[l + 1],):
            raise ValueError(f"biases for layer {l} must have {self.units[l + 1]} values, got {b.shape[0]}")
        self._W(l)[:, ::self.channels[l]] = W.T
        self._B(l)[::self.channels[l]] = b

    def copy(self) -> "Network":
        """Deep copy (best-model snapshots, checkpoints)."""
        return Network.from_arrays({k: v.copy() for k, v in self.to_arrays().items()}, self.config.copy())

    def to_arrays(self) -> dict[str, np.ndarray]:
        """Everything, incl. optimizer state, as named arrays (stable keys) for save/load.

        The arrays are the live state, not copies: copy them to keep a snapshot while training goes on.
        """
        return {
            "layout_version": np.array([LAYOUT_VERSION], np.int64),
            "units": np.asarray(self.units, np.int64),
            "channels": np.asarray(self.channels, np.int64),
            "weights": self.w, "biases": self.b,
            "ada_eg2": self.eg2, "ada_edx2": self.edx2, "ada_bias_eg2": self.beg2, "ada_bias_edx2": self.bedx2,
            "momentum_w": self.wm, "momentum_b": self.bm, "avg_activation": self.avg_a,
            "processed": np.array([self.processed], np.int64),
            "unstable": np.array([int(self._unstable)], np.int64),
        }

    @classmethod
    def from_arrays(cls, d: dict, cfg: TrainConfig) -> "Network":
        version = int(np.asarray(d["layout_version"])[0])
        if version != LAYOUT_VERSION:
            raise ValueError(f"unsupported network layout version {version}")
        net = cls(list(np.asarray(d["units"])), cfg, np.array(d["weights"], np.float32),
                  np.array(d["biases"], np.float64),
                  np.array(d["ada_eg2"], np.float32), np.array(d["ada_edx2"], np.float32),
                  np.array(d["ada_bias_eg2"], np.float64), np.array(d["ada_bias_edx2"], np.float64),
                  np.array(d["momentum_w"], np.float32), np.array(d["momentum_b"], np.float64),
                  np.array(d["avg_activation"], np.float64),
                  int(np.asarray(d["processed"])[0]), bool(np.asarray(d["unstable"])[0]))
        if list(np.asarray(d["channels"])) != net.channels:
            raise ValueError("stored Maxout channels do not match the configuration's activation")
        return net

    # ------------------------------------------------------------------ summaries
    def layer_stats(self) -> list[dict]:
        """Per non-input layer, as H2O's "Status of Neuron Layers" defines them (§11).

        mean_rate/rate_rms: ADADELTA's per-weight rate sqrt(Edx2+eps)/sqrt(Eg2+eps) (mean,
        population SD; exact sqrt), or the annealed manual rate and 0.  momentum: 0 with ADADELTA,
        else the documented ramp at the samples processed so far.  Weight and bias mean/SD are
        population statistics (exact sqrt where H2O uses an approximation).
        """
        cfg = self.config
        n = float(self.processed)
        ada = cfg.adaptive_rate and self.eg2.shape == self.w.shape
        out = []
        for l in range(len(self._widths)):
            W = self._W(l)
            B = self._B(l)
            if ada:
                o, size = int(self._w_off[l]), W.size
                eps = np.float32(cfg.epsilon)
                rate = np.sqrt(self.edx2[o:o + size] + eps) / np.sqrt(self.eg2[o:o + size] + eps)
                mean_rate, rate_rms = float(rate.mean(dtype=np.float64)), float(rate.std(dtype=np.float64))
            else:
                mean_rate, rate_rms = cfg.layer_rate(l, n), 0.0
            out.append({
                "mean_rate": mean_rate, "rate_rms": rate_rms,
                "momentum": 0.0 if cfg.adaptive_rate else cfg.momentum(n),
                "mean_weight": float(W.mean(dtype=np.float64)), "weight_rms": float(W.std(dtype=np.float64)),
                "mean_bias": float(B.mean()), "bias_rms": float(B.std()),
            })
        return out

    def is_unstable(self) -> bool:
        """H2O's check: any layer's |mean| or RMS of weights > 1e10, of biases > 1e5, or NaN
        (also true once training hit a NaN softmax or an infinite bias)."""
        if self._unstable:
            return True
        for s in self.layer_stats():
            for key, lim in (("mean_weight", _UNSTABLE_WEIGHT), ("weight_rms", _UNSTABLE_WEIGHT),
                             ("mean_bias", _UNSTABLE_BIAS), ("bias_rms", _UNSTABLE_BIAS)):
                v = s[key]
                if math.isnan(v) or abs(v) > lim:
                    return True
        return False

    @property
    def n_parameters(self) -> int:
        """Weights + biases as H2O counts them (Maxout counts both channels)."""
        return int(self.w.size + self.b.size)


def _rng_state(seed: int, chunk: int, processed_before: int) -> np.ndarray:
    state = _padded(1, np.uint64)
    state[:] = chunk_state(seed, chunk, processed_before)
    return state


def _staggered(arrays: list[np.ndarray]) -> list[np.ndarray]:
    """Copies of ``arrays`` (one dtype) in one block, array k starting at k KiB past a 4 KiB
    boundary (modulo 4): no two of them start within 1 KiB of each other modulo 4 KiB."""
    page, step = 4096, 1024
    starts, end = [], 0
    for k, arr in enumerate(arrays):
        start = -(-end // page) * page + (k % 4) * step
        starts.append(start)
        end = start + arr.nbytes
    block = np.empty(end + page, np.uint8)
    base = -block.ctypes.data % page
    out = []
    for arr, start in zip(arrays, starts):
        view = block[base + start: base + start + arr.nbytes].view(arr.dtype)
        view[:] = arr
        out.append(view)
    return out


def _stacked(arrays: list[np.ndarray], n: int) -> list[np.ndarray]:
    """``n`` copies of each of ``arrays`` (one dtype), as C-contiguous ``[n, length]`` arrays whose
    rows (``length`` >= the array's size) start 1 KiB further apart modulo 4 KiB, the first row
    of array k k KiB past a 4 KiB boundary: a thread's copies of the weights and of their
    optimizer state then start 1 KiB apart modulo 4 KiB, as ``_staggered`` places the model's."""
    page, step = 4096, 1024
    out = []
    for k, arr in enumerate(arrays):
        row_bytes = -(-arr.nbytes // page) * page + step
        raw = np.empty(row_bytes * n + 2 * page, np.uint8)
        start = -raw.ctypes.data % page + (k % 4) * step
        stack = raw[start:start + row_bytes * n].view(arr.dtype).reshape(n, row_bytes // arr.itemsize)
        stack[:, :arr.size] = arr
        out.append(stack)
    return out


def _padded(n: int, dtype) -> np.ndarray:
    """A zeroed array with 256 spare bytes on each side, so that small per-thread buffers (written
    every row) never share a cache line with another thread's buffers (false sharing), starting on
    a cache line: numpy's 16-byte alignment left vectors straddling two lines, which cost the
    mini-batch gradient sums (read and written per row) about 10% (200x200 net, batches of 32)."""
    nbytes, pad, line = n * np.dtype(dtype).itemsize, 256, 64
    raw = np.zeros(nbytes + 2 * pad + line, np.uint8)
    start = pad + (-(raw.ctypes.data + pad) % line)
    return raw[start:start + nbytes].view(dtype)


def warm_up(mini_batch: bool = False) -> float:
    """Compile (or load from the on-disk cache) the training kernels by training a tiny net.

    Compilation is a one-off cost of several seconds after a fresh install; a server can call
    this in a background thread at start-up so that the user's first model does not wait.
    Returns the seconds spent.
    """
    import time
    t0 = time.perf_counter()
    cfg = TrainConfig(activation="Rectifier", hidden_dropout_ratios=[0.0], input_dropout_ratio=0.0,
                      output="Softmax", loss="CrossEntropy", distribution="multinomial",
                      mini_batch_size=2 if mini_batch else 1)
    net = Network.initialize([4, 3, 2], cfg, seed=0)
    X = np.eye(4, dtype=np.float32)            # sparse: also compiles the CSR builder (sparse_rows.py)
    net.train(X, np.zeros(4, np.float32), np.arange(4), None, 1, 0, 0)
    if not mini_batch:                         # a model's first iteration also tries two threads
        net.train(X, np.zeros(4, np.float32), np.arange(4), None, 2, 0, 0)
    # DataInfo's column kernels: the input block of every model, the in-fold statistics of CV
    cols = [np.arange(4, dtype=np.float64)]
    fill_numeric(cols, None, np.zeros(1), np.ones(1), np.zeros(1), np.zeros((4, 1), np.float32), 0)
    column_stats(cols, np.arange(2))
    return time.perf_counter() - t0
