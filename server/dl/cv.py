"""N-fold cross-validation as H2O does it for Deep Learning (internals §7).

Each CV model trains on the rows outside its fold and uses its fold as validation frame, so
it early-stops and keeps its best weights on the held-out rows. As in H2O (the whole frame with
0/1 weights), its input units are the whole frame's and its scaling comes from in-fold
statistics; the folds are row sets of the stored frame, and each expands only its own rows.
The main model then trains on all rows, without best-model tracking and, when the CV models
could stop early, for the mean number of epochs they ran. Cross-validation metrics pool every
holdout prediction.
"""
from __future__ import annotations

import math
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from ..errors import H2OError
from ..frames import ENUM, INT, REAL, Column, Frame
from ..jobs import CoreShare, JobCancelled, SubJob
from ..memory import physical_memory
from .model import DeepLearningModel
from .scoring import actual_values, metrics_from_outputs


def wants_cv(params: dict) -> bool:
    return int(params.get("nfolds") or 0) > 1 or bool(params.get("fold_column"))


def fold_ids(params: dict, train: Frame, response: str | None) -> np.ndarray:
    """The fold of each training row (0-based), from fold_column or fold_assignment."""
    from .sampling import fold_assignment
    col = params.get("fold_column")
    if col:
        c = train.col(col)
        values = c.data if c.is_enum else c.as_float()
        if c.na_mask.any():
            raise H2OError(f"Fold column '{col}' has missing values", column=col)
        _, folds = np.unique(values, return_inverse=True)
        if folds.max() < 1:
            raise H2OError(f"Fold column '{col}' must hold at least 2 distinct folds", column=col)
        return folds.astype(np.int64)
    y = None
    if response and train.col(response).is_enum:
        y = train.col(response).data
    seed = params["seed"] if params.get("seed", -1) != -1 else None
    return np.asarray(fold_assignment(train.nrow, int(params["nfolds"]), params.get("fold_assignment") or "AUTO",
                                      seed if seed is not None else np.random.SeedSequence().entropy % (2**63), y=y),
                      dtype=np.int64)


# How many CV models train at once: the fold models are independent, and single-threaded models
# side by side beat one HOGWILD model on two threads on this kind of machine (the threads of one
# model fight over the same weights), while each model's Python set-up and scoring overlap the
# others' training.  Up to FOLDS_AT_ONCE run together even on fewer cores, sharing them: 5 folds on
# 2 cores in rounds of 2, 2 and 1 left the last fold alone on a two-threaded HOGWILD model; all 5
# at once took 0.98-1.02 s against 1.07-1.44 s (medians of 5 MNIST booklet CVs, interleaved).
# Beyond one fold per core, folds only run together while their inputs fit in half the available
# memory: each holds its own expanded copy of its rows (folds_at_once).
FOLDS_AT_ONCE = 5
# The CV parallelism H2O's max_runtime_secs split assumes, min(folds, nthreads, 4) (H2O-3 3.46 on
# 2 threads: 2); the split only, not how many folds h2olite trains at once
H2O_PARALLEL_FOLDS = 4


def models_that_fit(train: Frame) -> int | None:
    """How many models on ``train`` fit side by side in half the available memory (each holds
    up to two float32 copies of the frame: the expanded matrix of its rows with its non-zero
    index (kept for data at most half non-zero), and its held-out rows); None when the machine
    does not say."""
    available, _ = physical_memory()
    per_model = 2 * 4 * max(1, train.nrow) * max(1, train.ncol)
    return int(available // 2 // per_model) if available else None


def folds_at_once(n_folds: int, nthreads: int, train: Frame) -> int:
    """How many fold models to train side by side: one per core, and up to ``FOLDS_AT_ONCE``
    while they fit in memory (``models_that_fit``)."""
    per_core = max(1, min(n_folds, nthreads))
    fit = models_that_fit(train)
    return max(per_core, min(n_folds, FOLDS_AT_ONCE, per_core if fit is None else fit))


def _folds_may_stop(params: dict, train: Frame, n_folds: int, nthreads: int) -> bool:
    """Whether a CV model could stop early on ``stopping_rounds``: that takes 2 * stopping_rounds
    + 1 scoring events at least ``score_interval`` apart, so not when all the folds' and the main
    model's training, estimated at a quarter of the usual speed, is over sooner.  Stops on the
    training error (classification_stop, regression_stop) are not foreseen; the check after the
    folds catches them."""
    from .sampling import estimated_rows_per_second, parameter_count
    if params.get("score_each_iteration"):
        return True
    response = params.get("response_column")
    y = train.col(response) if response else None
    n_out = len(y.domain) if y is not None and y.is_enum else 1
    units = [max(1, train.ncol)] + [int(h) for h in params.get("hidden") or []] + [n_out]
    rows_per_second = estimated_rows_per_second(parameter_count(units),
                                                params.get("activation") or "Rectifier", nthreads) / 4
    seconds = (n_folds + 1) * float(params["epochs"]) * train.nrow / rows_per_second
    return seconds >= 2 * int(params.get("stopping_rounds") or 0) * float(params.get("score_interval") or 0)


def _training_rows_per_fold(params: dict, train: Frame, held_rows: list[np.ndarray]) -> list[int] | None:
    """The rows each CV model trains on (its epoch denominator), when known without building it:
    the rows outside its fold with a response.  None with weights, class balancing, or Skip
    with missing values, which change the rows the trainer keeps."""
    if params.get("weights_column") or params.get("balance_classes"):
        return None
    if params.get("missing_values_handling") == "Skip" and any(c.na_mask.any() for c in train.columns):
        return None
    response = params.get("response_column")
    usable = ~train.col(response).na_mask if response else np.ones(train.nrow, dtype=bool)
    total = int(usable.sum())
    rows = [total - int(usable[r].sum()) for r in held_rows]
    return rows if min(rows) > 0 else None


class _FoldProgress(SubJob):
    """The job as one fold model sees it: progress is the mean over the folds and the main model.
    ``abandon`` (set when a speculative main model turns out not to be needed) cancels it alone."""

    def __init__(self, job, shares: list[float], i: int, lock: threading.Lock,
                 abandon: threading.Event | None = None):
        super().__init__(job)
        self._shares, self._i, self._lock, self._abandon = shares, i, lock, abandon

    def update(self, progress=None, msg=None) -> None:
        if self._abandon is not None and self._abandon.is_set():
            raise JobCancelled()
        with self._lock:
            if progress is not None:
                self._shares[self._i] = float(progress)
            total = sum(self._shares) / len(self._shares)
        n_folds = len(self._shares) - 1
        if msg and self._i < n_folds:
            msg = f"cross-validation model {self._i + 1} of {n_folds}: {msg}"
        self._job.update(total, msg)


def cross_validate(backend, job, params: dict, input_params: dict, model_key: str, train: Frame,
                   valid: Frame | None, nthreads: int) -> DeepLearningModel:
    from ..metrics import cv_metrics_summary
    from .builder import finish
    from .trainer import Fold, Trainer
    store = backend.store
    response = params.get("response_column")
    if params.get("seed", -1) in (None, -1):
        params["seed"] = int(np.random.SeedSequence().entropy % (2**63))
    folds = fold_ids(params, train, response)
    n_folds = int(folds.max()) + 1
    held_rows = [np.flatnonzero(folds == i) for i in range(n_folds)]
    for i, rows in enumerate(held_rows):
        if len(rows) == 0 or len(rows) == train.nrow:
            raise H2OError(f"Cross-validation fold {i + 1} of {n_folds} is empty or holds every row")
    parallel = 1 if params.get("reproducible") else max(1, min(n_folds, nthreads, H2O_PARALLEL_FOLDS))
    at_once = 1 if params.get("reproducible") else folds_at_once(n_folds, nthreads, train)
    cores = CoreShare(nthreads)
    shares = [0.0] * (n_folds + 1)
    lock = threading.Lock()
    # H2O splits max_runtime_secs: each CV model, and then the main model, gets
    # T / ceil(N / parallel + 1) (ModelBuilder.maxRuntimeSecsPerModel; checked against H2O-3 3.46)
    budget = float(params.get("max_runtime_secs") or 0)
    cv_budget = budget / math.ceil(n_folds / parallel + 1) if budget > 0 else 0.0

    def build_fold(i: int) -> tuple[DeepLearningModel, np.ndarray]:
        cv_key = f"{model_key}_cv_{i + 1}"
        p = dict(params, nfolds=0, fold_column=None, model_id=cv_key, seed=params["seed"] + i + 1,
                 max_runtime_secs=cv_budget)
        fold = Fold(np.flatnonzero(folds != i), held_rows[i], f"{train.key}_cv_{i + 1}_train",
                    f"{train.key}_cv_{i + 1}_valid")
        trainer = Trainer(_FoldProgress(job, shares, i, lock), p, input_params, train, None, cv_key,
                          cores.threads, fold=fold)
        with cores.taking_part():
            m = trainer.run()
        if budget > 0:
            m.param_overrides["max_runtime_secs"] = cv_budget
        finish(backend, m)
        m.end_time = int(time.time() * 1000)
        offset = m.offset_for(train)
        held = trainer.holdout_inputs()
        out = m.raw_outputs(held if held is not None else m.data_info.expand(train, rows=held_rows[i]),
                            None if offset is None else offset[held_rows[i]])
        return m, out

    # main model: all rows, no best-model tracking, epochs from the CV models when they could
    # stop (DeepLearning.cv_computeAndSetOptimalParameters); it reports these values, as H2O's does
    main_params = dict(params, overwrite_with_best_model=False)
    stoppable = int(params.get("stopping_rounds") or 0) > 0 or budget > 0

    def main_overrides(cv_epochs: list[float]) -> dict:
        """The main model's parameter changes, from the epochs each CV model's last scoring row
        reports (H2O's last_scored().epoch_counter)."""
        if not stoppable:
            return {}
        overrides = {"epochs": float(np.mean(cv_epochs)), "stopping_rounds": 0}
        if budget > 0:
            overrides["max_runtime_secs"] = cv_budget
        return overrides

    def build_main(overrides: dict, progress, threads) -> DeepLearningModel:
        return Trainer(progress, dict(main_params, **overrides), input_params, train, valid, model_key,
                       threads).run()

    # The main model depends on the CV models only through their epochs, known in advance when
    # none stops early (each then trains ceil(epochs * rows) of its rows).  When every fold trains at
    # once, one more model fits in memory and the folds are too short to stop early (see
    # _folds_may_stop), the main model trains beside them on that guess: the cores no longer
    # idle while the last folds finish and the main model trains alone.  A wrong guess (a fold
    # stopped early after all) abandons it, and the main model trains after the folds as usual.
    epochs = float(params["epochs"])
    fold_rows = _training_rows_per_fold(params, train, held_rows)
    guess = main_overrides([math.ceil(epochs * n) / n for n in fold_rows]) if fold_rows else None
    fit = models_that_fit(train)
    speculate = (guess is not None and at_once >= n_folds and budget <= 0 and (fit is None or fit > n_folds)
                 and not (stoppable and _folds_may_stop(params, train, n_folds, nthreads)))
    abandon = threading.Event()

    def build_speculative_main() -> DeepLearningModel:
        with cores.taking_part():
            return build_main(guess, _FoldProgress(job, shares, n_folds, lock, abandon), cores.threads)

    pool = ThreadPoolExecutor(at_once + speculate, thread_name_prefix=f"{model_key}-cv") if at_once > 1 else None
    speculative = pool.submit(build_speculative_main) if speculate else None
    try:
        built = list(pool.map(build_fold, range(n_folds))) if pool else [build_fold(i) for i in range(n_folds)]
        overrides = main_overrides([m.scoring_history[-1]["epochs"] for m, _ in built])
        if overrides != guess:
            abandon.set()                   # a fold stopped early after all
    except BaseException:
        abandon.set()                       # a failed or cancelled fold: no main model either
        raise
    finally:
        if pool is not None:
            pool.shutdown()                 # after `abandon`: the speculative main model stops soon
    cv_models = [m for m, _ in built]
    first = built[0][1]
    holdout_out = np.zeros((train.nrow,) + first.shape[1:], dtype=np.float64)
    for rows, (_, out) in zip(held_rows, built):
        holdout_out[rows] = out

    if speculative is not None and not abandon.is_set():
        main = speculative.result()
    else:
        main = build_main(overrides, _FoldProgress(job, shares, n_folds, lock), nthreads)
    main.param_overrides.update(overrides)
    finish(backend, main)

    actual = actual_values(main, train)
    wcol = params.get("weights_column")
    weights = train.col(wcol).as_float() if wcol else None
    main.cross_validation_metrics = pooled_metrics(main, holdout_out, actual, weights, train.key or "", n_folds)
    main.cross_validation_metrics_summary = cv_metrics_summary([m.validation_metrics for m in cv_models],
                                                               main.category)
    main.cv_scoring_history = [_history_json(m) for m in cv_models]

    if params.get("keep_cross_validation_models", True):
        for m in cv_models:
            store.put(m.key, m)
        main.cross_validation_models = [m.key for m in cv_models]
    if params.get("keep_cross_validation_predictions"):
        for i, m in enumerate(cv_models):
            held = folds == i
            fold_out = np.where(held[:, None] if holdout_out.ndim == 2 else held, holdout_out, 0.0)
            key = f"prediction_{model_key}_cv_{i + 1}"
            store.put(key, prediction_frame(main, fold_out, key))
            main.cross_validation_predictions.append(key)
        key = f"cv_holdout_prediction_{model_key}"
        store.put(key, prediction_frame(main, holdout_out, key))
        main.cross_validation_holdout_predictions = key
    if params.get("keep_cross_validation_fold_assignment"):
        key = f"cv_fold_assignment_{model_key}"
        store.put(key, Frame([Column("fold_assignment", INT, folds.astype(np.float64))], key))
        main.cross_validation_fold_assignment = key
    return main


def pooled_metrics(model: DeepLearningModel, outputs: np.ndarray, actual: np.ndarray,
                   weights: np.ndarray | None, frame_key: str, n_folds: int) -> dict:
    """Metrics of the combined holdout predictions (H2O's reduced per-fold metric builders)."""
    return metrics_from_outputs(model, outputs, actual, weights, frame_key,
                                f"{n_folds}-fold cross-validation on training data "
                                "(Metrics computed for combined holdout predictions)")


def prediction_frame(model: DeepLearningModel, outputs: np.ndarray, key: str) -> Frame:
    if model.is_classifier:
        from .model import probability_column_name
        domain = tuple(model.data_info.response_domain)
        cols = [Column("predict", ENUM, model.labels(outputs), domain)]
        cols += [Column(probability_column_name(l), REAL, outputs[:, k]) for k, l in enumerate(domain)]
        return Frame(cols, key)
    return Frame([Column("predict", REAL, outputs.astype(np.float64))], key)


def _history_json(model: DeepLearningModel) -> dict:
    from .output import scoring_history_table
    return scoring_history_table(model)
