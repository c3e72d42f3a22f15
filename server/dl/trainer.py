"""The Deep Learning training loop (H2O's DeepLearning.trainModel, on one machine).

One call of ``train`` builds a model inside a job: data preparation, network
initialisation (fresh, from a checkpoint or from a pretrained autoencoder), then iterations
of multi-threaded per-sample SGD over ``train_samples_per_iteration`` rows, each followed by
H2O's scoring decision (always the first and last iteration, otherwise at most every
``score_interval`` seconds within ``score_duty_cycle``), the scoring history,
classification/regression stop, moving-average early stopping and best-model tracking
(internals §4-§5).
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Callable

import numpy as np

from ..errors import H2OError
from ..frames import Frame
from . import sampling
from .model import LOG_LINK, DeepLearningModel, base_activation
from .parameters import spec
from .scoring import actual_values, history_metric_names, metric_or_nan, score_metrics
from .thread_tuner import ThreadTuner
from .validation import predictor_columns


@dataclass
class ScoringSet:
    """Rows prepared once for scoring during training."""

    X: np.ndarray
    actual: np.ndarray            # class index (classifier) or response in original units
    weights: np.ndarray | None
    offset: np.ndarray | None
    frame_key: str
    description: str


@dataclass(frozen=True)
class Fold:
    """A cross-validation model's rows of the training frame (H2O trains it on the whole frame
    with 0/1 weights): it trains on ``train_rows`` and validates on ``valid_rows``, reported
    under the frame names H2O gives them."""

    train_rows: np.ndarray
    valid_rows: np.ndarray
    train_key: str
    valid_key: str


def model_category(params: dict, data_info) -> str:
    if params.get("autoencoder"):
        return "AutoEncoder"
    if data_info.is_classifier:
        return "Binomial" if len(data_info.response_domain) == 2 else "Multinomial"
    return "Regression"


def train_config(params: dict, category: str):
    """The kernels' TrainConfig from effective parameters."""
    from .kernels import TrainConfig
    activation = base_activation(params["activation"])
    hidden = params["hidden"]
    dropout = params.get("hidden_dropout_ratios")
    if dropout is None:
        dropout = [0.5 if params["activation"].endswith("WithDropout") else 0.0] * len(hidden)
    loss = params["loss"]
    if loss in (None, "Automatic"):
        loss = "Deviance" if params["distribution"] in LOG_LINK else "Quadratic"
    output = {"Binomial": "Softmax", "Multinomial": "Softmax", "Regression": "Linear",
              "AutoEncoder": "AutoEncoder"}[category]
    max_w2 = params["max_w2"]
    if max_w2 >= 3.4028235e38:
        max_w2 = math.inf             # H2O's default Float.MAX_VALUE never triggers (internals §0)
    return TrainConfig(
        activation=activation, hidden_dropout_ratios=[float(r) for r in dropout],
        input_dropout_ratio=float(params["input_dropout_ratio"]), output=output, loss=loss,
        distribution=params["distribution"], quantile_alpha=float(params["quantile_alpha"]),
        tweedie_power=float(params["tweedie_power"]), huber_delta=1.0,
        adaptive_rate=bool(params["adaptive_rate"]), rho=float(params["rho"]),
        epsilon=float(params["epsilon"]), rate=float(params["rate"]),
        rate_annealing=float(params["rate_annealing"]), rate_decay=float(params["rate_decay"]),
        momentum_start=float(params["momentum_start"]), momentum_ramp=float(params["momentum_ramp"]),
        momentum_stable=float(params["momentum_stable"]),
        nesterov=bool(params["nesterov_accelerated_gradient"]), l1=float(params["l1"]),
        l2=float(params["l2"]), max_w2=float(max_w2), fast_mode=bool(params["fast_mode"]),
        sparsity_beta=float(params["sparsity_beta"]),
        average_activation=float(params["average_activation"]),
        mini_batch_size=int(params["mini_batch_size"]))


# the stopping metrics a scoring event keeps (H2O's ScoreKeeper): every stopping_metric a client
# may pass but AUTO (resolved per model) and the custom ones (rejected by validation)
KEEPER_METRICS = tuple(m for m in spec("stopping_metric").client_values
                       if m not in ("AUTO", "custom", "custom_increasing"))


class Trainer:
    """Trains one model; ``run()`` returns the finished ``DeepLearningModel``."""

    def __init__(self, job, params: dict, input_params: dict, train: Frame, valid: Frame | None,
                 model_key: str, nthreads: int | Callable[[], int], checkpoint: DeepLearningModel | None = None,
                 pretrained: DeepLearningModel | None = None, progress_span: tuple[float, float] = (0.0, 1.0),
                 fold: Fold | None = None):
        """``fold``: train on rows of ``train`` and validate on other rows of it (``valid`` is None).
        ``nthreads``: a count, or a function asked before every iteration (``CoreShare.threads``)."""
        self.job = job
        self.fold = fold
        self.p = params
        self.input_params = input_params
        self.train_frame = train
        self.valid_frame = valid
        self.model_key = model_key
        if params.get("reproducible"):
            self.threads = lambda: 1
        elif callable(nthreads):
            self.threads = nthreads
        else:
            self.threads = lambda n=max(1, int(nthreads)): n
        self.tuner = ThreadTuner()
        self.checkpoint = checkpoint
        self.pretrained = pretrained
        self.progress_span = progress_span
        seed = params.get("seed", -1)
        self.seed = int(seed) if seed not in (None, -1) else int(np.random.SeedSequence().entropy % (2**63))
        self.p["seed"] = self.seed

    # ------------------------------------------------------------------------------------
    def run(self) -> DeepLearningModel:
        from .data_info import DataInfo
        t_setup = time.time()
        p = self.p
        train = self.train_frame
        response = None if p.get("autoencoder") else p["response_column"]
        predictors = predictor_columns(p, train)
        fold = self.fold
        if self.checkpoint is not None:
            di = self.checkpoint.data_info.refit(train, p)   # its layout, the new frame's scaling (as H2O)
        else:
            di = DataInfo.build(train, predictors, response, p, weights=p.get("weights_column"),
                                offset=p.get("offset_column"), rows=None if fold is None else fold.train_rows)
        if di.n_inputs == 0:
            raise H2OError("No usable predictor columns: every column is ignored, constant or a string")
        category = model_category(p, di)
        model = DeepLearningModel(key=self.model_key, params=p, input_params=self.input_params,
                                  data_info=di, net=None, category=category,
                                  training_frame=fold.train_key if fold else train.key or "",
                                  validation_frame=fold.valid_key if fold else
                                  self.valid_frame.key if self.valid_frame is not None else None)
        if self.checkpoint is None:
            model.warnings.extend(getattr(di, "last_warnings", []) or [])
        self.model = model

        # A fold's inputs are its own rows only (its scaling is its own, so no other model could
        # share them); rows below are positions in X, and per-row arrays are taken to match.
        X = di.expand(train, training=True, rows=None if fold is None else fold.train_rows)
        in_x = (lambda a: a) if fold is None else (lambda a: None if a is None else a[fold.train_rows])
        y = in_x(self._targets(di, train))
        weights = in_x(self._column(train, p.get("weights_column")))
        usable = in_x(~di.training_skip_mask(train))
        if weights is not None:
            usable &= np.nan_to_num(weights) > 0
        base_rows = np.flatnonzero(usable).astype(np.int64)
        if len(base_rows) == 0:
            raise H2OError(f"Training frame '{train.key}' has no usable rows (all responses or weights missing)")

        if p.get("balance_classes") and model.is_classifier:
            base_rows, prior, balanced = sampling.balance_classes(
                y[base_rows].astype(np.int64), len(di.response_domain),
                p.get("class_sampling_factors"), float(p["max_after_balance_size"]), self.seed)
            base_rows = np.flatnonzero(usable)[base_rows] if len(base_rows) else base_rows
            model.prior_class_dist, model.model_class_dist = prior, balanced
        self.importance = None
        if weights is not None:
            w = weights[base_rows]
            if not np.all((w == 0) | (w == 1)) and not np.all(w == w[0]):
                self.importance = w / w.sum()      # non-binary weights: importance sampling (§4, §10)
        training_rows = len(base_rows)
        model.training_rows = training_rows

        offset = in_x(model.offset_for(train))
        score_idx = base_rows[sampling.score_sample(training_rows, int(p["score_training_samples"]), self.seed)]
        n_score = len(score_idx)
        n_train = X.shape[0]                    # the frame's rows, or the fold's
        desc = (f"Metrics reported on temporary training frame with {n_score} samples"
                if n_score < n_train else "Metrics reported on full training frame")
        # scoring on every row in order (the usual case below score_training_samples rows) reads X
        # itself: a copy is 20 MB per model on MNIST
        every_row = len(score_idx) == X.shape[0] and np.array_equal(score_idx, np.arange(X.shape[0]))
        self.train_set = ScoringSet(X if every_row else X[score_idx], in_x(actual_values(model, train))[score_idx],
                                    None if weights is None else weights[score_idx],
                                    None if offset is None else offset[score_idx], model.training_frame, desc)
        self.valid_set = (self._validation_set(di, model)
                          if self.valid_frame is not None or fold is not None else None)

        net = self._network(di, category)
        model.net = net

        epochs = float(p["epochs"])
        tspi = sampling.resolve_tspi(int(p["train_samples_per_iteration"]), training_rows, epochs,
                                     n_weights=net_size(net), activation=p["activation"])
        model.score_keepers = []
        if self.checkpoint is not None:
            self._continue_from(self.checkpoint, model)
        if not model.scoring_history:
            if category == "AutoEncoder":
                self._score(model, net, 0.0, 0.0)          # AE: a scored null-model row
            else:
                model.scoring_history.append(self._history_row(model, None, None, 0.0))
                model.score_keepers.append({})
        model.missing_cats_seen = self._missing_cats_seen(di, X, base_rows)
        setup_ms = (time.time() - t_setup) * 1000
        self._loop(model, net, X, y, offset, base_rows, tspi, epochs, training_rows, setup_ms)
        return model

    def _missing_cats_seen(self, di, X: np.ndarray, rows: np.ndarray) -> list | None:
        """Per one-hot predictor: did an NA occur in the training rows (H2O's _saw_missing_cats,
        carried over from a checkpoint)?  None with hashed categoricals (no NA slot per column)."""
        if not di.onehot_predictors or di.hashed:
            return None
        na_units = [di.cat_offsets[b + 1] - 1 for b in range(len(di.onehot_predictors))]
        seen = (X[:, na_units][rows] != 0).any(axis=0)
        before = self.checkpoint.missing_cats_seen if self.checkpoint is not None else None
        if before is not None and len(before) == len(seen):
            seen |= np.asarray(before, dtype=bool)
        return [bool(v) for v in seen]

    # --- data ----------------------------------------------------------------------------
    @staticmethod
    def _column(frame: Frame, name: str | None) -> np.ndarray | None:
        if not name:
            return None
        if not frame.has(name):
            raise H2OError(f"Column '{name}' not found in frame '{frame.key}'", column=name)
        return frame.col(name).as_float()

    def _targets(self, di, frame: Frame) -> np.ndarray:
        if self.p.get("autoencoder"):
            return np.zeros(frame.nrow, dtype=np.float32)
        y = di.response_values(frame).astype(np.float32)
        return np.nan_to_num(y, nan=0.0)

    def _validation_set(self, di, model: DeepLearningModel) -> ScoringSet:
        from . import sampling
        fold = self.fold
        valid = self.train_frame if fold is not None else self.valid_frame
        if not model.is_autoencoder and not valid.has(model.response_column):
            raise H2OError(f"Validation frame '{valid.key}' has no response column '{model.response_column}'",
                           column=model.response_column)
        candidates = np.arange(valid.nrow) if fold is None else fold.valid_rows
        rows = candidates
        n = int(self.p["score_validation_samples"])
        if 0 < n < len(candidates):
            # stratified (no oversampling) only for balanced classes, as H2O
            stratified = (model.is_classifier and bool(self.p.get("balance_classes"))
                          and self.p.get("score_validation_sampling") == "Stratified")
            y = di.response_values(valid)[candidates] if stratified else None
            y = None if y is None else np.where(np.isnan(y), -1, y)
            rows = candidates[sampling.validation_sample(y, len(candidates), n, self.seed, stratified,
                                                         self.p.get("class_sampling_factors"))]
        Xv = di.expand(valid) if fold is None and len(rows) == valid.nrow else di.expand(valid, rows=rows)
        model.warnings.extend(w for w in (getattr(di, "last_warnings", []) or []) if w not in model.warnings)
        wcol = self.p.get("weights_column")
        weights = self._column(valid, wcol)[rows] if wcol and valid.has(wcol) else None
        off = model.offset_for(valid)
        return ScoringSet(Xv, actual_values(model, valid)[rows], weights,
                          None if off is None else off[rows], model.validation_frame or "",
                          "Metrics reported on full validation frame" if len(rows) == len(candidates)
                          else f"Metrics reported on temporary validation frame with {len(rows)} samples")

    def holdout_inputs(self) -> np.ndarray | None:
        """After ``run`` of a fold model: the inputs of all its held-out rows, in order, when its
        validation set holds them all (no ``score_validation_samples``), else None."""
        held = self.valid_set if self.fold is not None else None
        return held.X if held is not None and len(held.actual) == len(self.fold.valid_rows) else None

    # --- network -------------------------------------------------------------------------
    def _network(self, di, category: str):
        from .kernels import Network
        p = self.p
        cfg = train_config(p, category)
        n_out = {"Regression": 1, "AutoEncoder": di.n_inputs}.get(category) or len(di.response_domain)
        units = [di.n_inputs, *[int(h) for h in p["hidden"]], n_out]
        if self.checkpoint is not None:
            net = self.checkpoint.net.copy()
            net.config = cfg
            return net
        net = Network.initialize(units, cfg, self.seed, p["initial_weight_distribution"],
                                 float(p["initial_weight_scale"]))
        if self.pretrained is not None:
            src = self.pretrained.net
            if list(src.units[:-1]) != units[:-1]:
                raise H2OError(f"The pretrained autoencoder '{self.pretrained.key}' has layers "
                               f"{list(src.units[:-1])} but this model needs {units[:-1]}: the inputs "
                               "after encoding and the hidden sizes must match")
            for layer in range(len(units) - 2):          # every layer but the output one
                net.set_layer(layer, src.weights(layer), src.biases(layer))
        return net

    def _continue_from(self, ck: DeepLearningModel, model: DeepLearningModel) -> None:
        model.processed = ck.processed
        model.iterations = ck.iterations
        model.scoring_history = [dict(r) for r in ck.scoring_history]
        model.total_train_ms = ck.total_train_ms
        model.total_score_ms = ck.total_score_ms
        model.checkpointed_ms = ck.checkpointed_ms + ((ck.end_time or ck.start_time) - ck.start_time)
        kept = ck.score_keepers or []
        model.score_keepers = ([dict(k) for k in kept] if len(kept) == len(ck.scoring_history)
                               else [{} for _ in ck.scoring_history])   # a model saved before they were kept
        model.epoch_counter = ck.processed / max(model.training_rows, 1)

    # --- the loop --------------------------------------------------------------------------
    def _loop(self, model, net, X, y, offset, base_rows, tspi, epochs, training_rows, setup_ms):
        p = self.p
        rng = np.random.default_rng(self.seed)
        shuffle = bool(p.get("shuffle_training_data"))
        tspi_param = int(p["train_samples_per_iteration"])
        auto_tspi, tspi_cap = tspi_param == -2, tspi
        if auto_tspi:
            # the first iteration (always scored) is a tenth of score_interval at the estimated
            # speed; later ones are sized from measured speed by _iteration_until_next_score
            # (reproducible models never get here: H2O gives them one epoch per iteration)
            guess = sampling.estimated_rows_per_second(net_size(net), p["activation"], self.threads())
            tspi = max(1, min(tspi_cap, int(guess * max(float(p["score_interval"]), 0.1) / 10)))
        max_runtime = float(p.get("max_runtime_secs") or 0)
        score_interval_ms = float(p["score_interval"]) * 1000
        duty = float(p["score_duty_cycle"])
        t_start = time.time()
        last_score_start = 0.0
        last_score_end = 0.0
        total_target = int(math.ceil(epochs * training_rows))
        cursor, order = 0, None
        best_net, best_loss = None, math.inf
        track_best = bool(p.get("overwrite_with_best_model")) and int(p.get("nfolds") or 0) == 0
        if track_best and self.checkpoint is not None:
            # H2O carries the checkpoint's best model over (its stored weights, after its own overwrite)
            best_net, best_loss = net.copy(), self._current_loss(self.checkpoint)
        stopped_early = timed_out = False
        speed = None                    # rows/s of the last iteration, on the threads it used
        lo, hi = self.progress_span
        while True:
            # rows for this iteration: whole passes in storage (or shuffled) order, or the next
            # `tspi` rows of a reshuffled sequence.  A set train_samples_per_iteration (0 and -1:
            # an epoch; N: N rows; reproducible: -1) trains whole iterations until `epochs` is
            # reached, as H2O's loop does: epochs=0.5 runs one full epoch (internals section 4).
            # The automatic size is h2olite's own (sized to the scoring schedule), so it stops
            # at `epochs` exactly: H2O's fixed automatic size lands there for whole epochs.
            if model.processed >= total_target:
                break
            want = training_rows if tspi_param in (0, -1) else tspi
            if auto_tspi:
                want = max(1, min(want, total_target - model.processed))
            available = self.threads()
            threads = self.tuner.threads(available)
            in_order = self.importance is None and not shuffle and want % training_rows == 0
            passes = want // training_rows if in_order else 0     # whole passes in storage order
            if self.importance is not None:
                rows = base_rows[rng.choice(len(base_rows), size=want, p=self.importance)]
            elif passes:
                rows = sampling.storage_order_passes(base_rows, passes, threads)
            else:
                parts, need = [], want
                while need > 0:
                    if order is None or cursor >= len(order):
                        order, cursor = base_rows[rng.permutation(len(base_rows))], 0
                    take = order[cursor:cursor + need]
                    cursor += len(take)
                    need -= len(take)
                    parts.append(take)
                rows = np.concatenate(parts)
            t0 = time.time()
            rows, threads = self._probe_threads(net, X, y, offset, model, rows, base_rows, passes,
                                                available, threads, speed)
            t_main = time.time()
            done = self._train(net, X, y, rows, offset, threads, model)
            self.tuner.observe(available, threads, done, time.time() - t_main)
            if done:
                speed = done / max(time.time() - t_main, 1e-6)
            model.total_train_ms += (time.time() - t0) * 1000
            model.iterations += 1
            model.epoch_counter = model.processed / training_rows
            keep_running = model.processed < total_target
            now = time.time() * 1000
            since = now - last_score_start
            if (not keep_running or p.get("score_each_iteration") or
                    (since > score_interval_ms and (last_score_end - last_score_start) / max(since, 1) < duty)):
                last_score_start = now
                loss = self._score(model, net, setup_ms, (time.time() - t_start) * 1000)
                last_score_end = time.time() * 1000
                model.total_score_ms += last_score_end - last_score_start
                if net.is_unstable():
                    raise H2OError("Trying to predict with an unstable model: the weights diverged. "
                                   "Try a smaller rate, max_w2=10, l1/l2 regularization or the Tanh activation.")
                if track_best and keep_running and not (loss >= best_loss):
                    best_loss, best_net = loss, net.copy()
                if self._classification_or_regression_stop(model) or self._early_stop(model):
                    stopped_early = True
            if auto_tspi and done:
                tspi = self._iteration_until_next_score(speed, last_score_start, tspi_cap)
            self.job.update(lo + (hi - lo) * min(model.epoch_counter / max(epochs, 1e-12), 1.0),
                            f"{model.epoch_counter:.2f} / {epochs:g} epochs")
            if max_runtime and time.time() - t_start > max_runtime:
                timed_out = True
                break
            if not keep_running or stopped_early:
                break
        if model.scoring_history[-1].get("samples") != float(model.processed) and not timed_out:
            loss = self._score(model, net, setup_ms, (time.time() - t_start) * 1000)
        else:
            loss = self._current_loss(model)
        if track_best and not timed_out and best_net is not None and best_loss < loss:
            model.net = best_net
            self._score(model, best_net, setup_ms, (time.time() - t_start) * 1000)
        model.status = "DONE"

    def _probe_threads(self, net, X, y, offset, model, rows, base_rows, passes, available, threads, speed):
        """When due, let the tuner time the thread counts on the iteration's first rows
        (thread_tuner.py); returns the rows left to train and the threads to train them on.

        Not before the model has trained an iteration (``speed`` is None until then): the first
        runs on every core, as in H2O, and later probes run on cores that have just worked,
        sized by the measured speed (why: thread_tuner.py)."""
        if speed is None or not self.tuner.probe_due(available):
            return rows, threads
        # probes take at most a quarter of the iteration; in storage-order passes they also stay
        # within the first pass over thread 0's block, which every layout starts with
        limit = min(rows.size // 4, base_rows.size // available) if passes else rows.size // 4
        per_probe = self.tuner.probe_rows(available, speed, limit)
        if not per_probe:
            return rows, threads
        used = 0

        def train_probe(count: int, t: int) -> int:
            nonlocal used
            done = self._train(net, X, y, rows[used:used + count], offset, t, model)
            used += count
            return done
        self.tuner.probe(available, train_probe, per_probe)
        chosen = self.tuner.threads(available)
        if passes and chosen != threads:
            rows = sampling.storage_order_passes(base_rows, passes, chosen)   # the rest, laid out for `chosen`
        return rows[used:], chosen

    def _train(self, net, X, y, rows, offset, threads: int, model: DeepLearningModel) -> int:
        """One ``Network.train`` call on ``rows``; the rows trained are counted in ``model.processed``."""
        done = int(net.train(X, y, rows, offset, threads,
                             int((self.seed + model.processed * 0x9E3779B1 + model.iterations) % (2**62)),
                             model.processed))
        model.processed += done
        return done

    def _iteration_until_next_score(self, rows_per_sec: float, last_score_start_ms: float, cap: int) -> int:
        """Auto ``train_samples_per_iteration``: the rows that take training up to the next
        scoring event (at the measured speed), so that models score every ``score_interval``.

        H2O sizes auto iterations at ~10 s of work; at h2olite's speed that is many epochs
        between scoring events.  Iterations of one ``score_interval`` instead would end just
        before the interval is up, so every other iteration would score (gaps of 2x the
        interval): early stopping, which counts scoring events, would take twice as long.
        """
        interval = max(float(self.p["score_interval"]), 0.1)
        until_due = interval - (time.time() - last_score_start_ms / 1000)
        if until_due <= 0:                         # overdue: the duty cycle held scoring back
            until_due = interval
        seconds = max(until_due * 1.02 + 0.005, 0.02)   # land just past the due time
        return max(1, min(cap, int(rows_per_sec * seconds)))

    # --- scoring ---------------------------------------------------------------------------
    def _score(self, model: DeepLearningModel, net, setup_ms: float, elapsed_ms: float) -> float:
        model.training_metrics = self._metrics(model, net, self.train_set)
        if self.valid_set is not None:
            model.validation_metrics = self._metrics(model, net, self.valid_set)
        if model.category == "Binomial":
            src = model.validation_metrics or model.training_metrics
            model.default_threshold = float(src.get("default_threshold", 0.5) or 0.5)
        speed = model.processed / ((1 + model.total_train_ms) / 1000) if model.processed else None
        model.scoring_history.append(self._history_row(model, model.training_metrics,
                                                       model.validation_metrics, speed))
        m = model.validation_metrics if self.valid_set is not None else model.training_metrics
        model.score_keepers.append({name: metric_or_nan(m, name) for name in KEEPER_METRICS})
        return self._current_loss(model)

    def _metrics(self, model: DeepLearningModel, net, s: ScoringSet) -> dict:
        return score_metrics(model, net, s.X, s.actual, s.weights, s.offset, s.frame_key, s.description,
                             self.threads())          # the model's cores: it is not training now

    def _history_row(self, model, train_m, valid_m, speed) -> dict:
        elapsed = model.checkpointed_ms + int(time.time() * 1000) - model.start_time
        row = {"timestamp": time.strftime("%Y-%m-%d %H:%M:%S", time.localtime()),
               "duration": pretty_duration(elapsed if model.processed else 0),
               "training_speed": f"{int(speed)} obs/sec" if speed else None,
               "epochs": float(model.epoch_counter), "iterations": int(model.iterations),
               "samples": float(model.processed)}
        for prefix, m in (("training", train_m), ("validation", valid_m)):
            if prefix == "validation" and self.valid_set is None:
                continue
            for col, metric in history_metric_names(model.category):
                row[f"{prefix}_{col}"] = metric_or_nan(m, metric)
        return row

    def _stopping_metric(self, model) -> str:
        m = self.p.get("stopping_metric") or "AUTO"
        if m == "AUTO":
            return {"AutoEncoder": "MSE", "Regression": "deviance"}.get(model.category, "logloss")
        return m

    def _current_loss(self, model) -> float:
        from ..metrics import is_more_better
        name = self._stopping_metric(model)
        m = model.validation_metrics if self.valid_set is not None else model.training_metrics
        v = metric_or_nan(m, name)
        return -v if is_more_better(name) else v

    def _classification_or_regression_stop(self, model) -> bool:
        m = model.training_metrics
        if model.is_classifier:
            stop = float(self.p["classification_stop"])
            return stop >= 0 and metric_or_nan(m, "misclassification") <= stop
        stop = float(self.p["regression_stop"])
        return stop >= 0 and metric_or_nan(m, "MSE") <= stop

    def _early_stop(self, model) -> bool:
        from ..metrics import is_lower_bounded_by_zero, is_more_better, stop_early
        k = int(self.p.get("stopping_rounds") or 0)
        if k <= 0:
            return False
        name = self._stopping_metric(model)
        values = [kp.get(name, math.nan) for kp in model.score_keepers]
        return stop_early(values, k, float(self.p["stopping_tolerance"]), is_more_better(name),
                          is_lower_bounded_by_zero(name))


def net_size(net) -> int:
    units = net.units if hasattr(net, "units") else None
    return 0 if units is None else sampling.parameter_count(units)


def pretty_duration(ms: float) -> str:
    """H2O's PrettyPrint.msecs: `` 1.234 sec``, `` 1 min  2.345 sec``."""
    s = ms / 1000.0
    if s < 60:
        return f"{s:6.3f} sec"
    m, s = divmod(s, 60)
    if m < 60:
        return f"{int(m):2d} min {s:6.3f} sec"
    h, m = divmod(m, 60)
    return f"{int(h):2d}:{int(m):02d}:{s:06.3f}"
