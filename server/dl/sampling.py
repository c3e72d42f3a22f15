"""Row sampling decisions of H2O's Deep Learning: epochs, class balancing, scoring samples, folds, tspi.

Pure numpy functions of row counts, labels and seeds (internals doc sections 4, 5, 7 and 10).
Where H2O draws one PCG random number per row seeded by ``seed + row``, h2olite draws the same
kind of per-row decision from one numpy generator seeded by ``seed``: the distribution is H2O's,
the decisions are deterministic for a seed, but not bit-identical to H2O's.
"""
from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

MAX_BALANCE_TRIES = 10          # H2O retries sampleFrameStratified if a class ends up empty


def _rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(int(seed) & 0xFFFFFFFFFFFFFFFF)


def training_rows(nrow: int, weights: np.ndarray | None = None) -> int:
    """The epoch denominator: all rows, or ``round(nrow*mean(w))`` for 0/1 weights (H2O's rule)."""
    if weights is None:
        return int(nrow)
    w = np.asarray(weights, dtype=np.float64)
    if np.all((w == 0) | (w == 1)):
        return int(round(nrow * float(w.mean()))) if nrow else 0
    return int(nrow)


class BalancedSample(NamedTuple):
    """Result of ``balance_classes``: row indices (with repeats) and the two class distributions."""

    rows: np.ndarray                  # int64 indices into the input rows
    prior_class_dist: np.ndarray      # class shares before balancing (H2O's _priorClassDist)
    model_class_dist: np.ndarray      # class shares after balancing (H2O's _modelClassDist)


def balance_ratios(counts: np.ndarray, class_sampling_factors=None,
                   max_after_balance_size: float = 5.0) -> np.ndarray:
    """Per-class replication ratios of H2O's ``sampleFrameStratified``.

    Without factors every class is brought up to the majority count (ratio ``(N/C)/n_c`` divided
    by its minimum).  The expected size ``sum(ratio*n_c)`` is capped at ``max_after_balance_size*N``
    by scaling all ratios down.
    """
    counts = np.asarray(counts, dtype=np.float64)
    n = counts.sum()
    if class_sampling_factors is not None:
        ratios = np.asarray(class_sampling_factors, dtype=np.float64).copy()
        if len(ratios) != len(counts):
            raise ValueError(f"class_sampling_factors must have {len(counts)} elements, got {len(ratios)}")
    else:
        with np.errstate(divide="ignore"):
            ratios = np.where(counts > 0, (n / len(counts)) / counts, 0.0)
        positive = ratios[ratios > 0]
        if len(positive):
            ratios = ratios / positive.min()
    expected = float((ratios * counts).sum())
    max_rows = max_after_balance_size * n
    if expected > max_rows > 0:
        ratios = ratios * (max_rows / expected)
    return ratios


def balance_classes(y: np.ndarray, nclasses: int, class_sampling_factors=None,
                    max_after_balance_size: float = 5.0, seed: int = 0,
                    weights: np.ndarray | None = None) -> BalancedSample:
    """Resample rows so the classes are balanced (``balance_classes=True``), as H2O does once before training.

    ``y`` holds class indices (negative = NA; such rows are kept once).  Each row is replicated
    ``floor(r) + Bernoulli(frac(r))`` times with its class's ratio ``r``; the draw is retried (up
    to 10 times) if a non-empty class would vanish.  ``weights`` (0/1 only, as validation ensures)
    make 0-weight rows count for nothing.
    """
    y = np.asarray(y, dtype=np.int64)
    w = np.ones(len(y)) if weights is None else np.asarray(weights, dtype=np.float64)
    labelled = y >= 0
    counts = np.bincount(y[labelled], weights=w[labelled], minlength=nclasses)[:nclasses]
    prior = counts / counts.sum() if counts.sum() > 0 else np.full(nclasses, 1.0 / nclasses)
    ratios = balance_ratios(counts, class_sampling_factors, max_after_balance_size)
    r = np.where(labelled, ratios[np.where(labelled, y, 0)], 1.0)
    whole = np.floor(r)
    reps = None
    for attempt in range(MAX_BALANCE_TRIES):
        extra = _rng(seed + attempt).random(len(y)) < (r - whole)
        reps = (whole + extra).astype(np.int64)
        got = np.bincount(y[labelled], weights=(reps * w)[labelled], minlength=nclasses)[:nclasses]
        if np.all((got > 0) | (counts == 0)):
            break
    rows = np.repeat(np.arange(len(y), dtype=np.int64), reps)
    after = np.bincount(y[rows][labelled[rows]], weights=w[rows][labelled[rows]], minlength=nclasses)[:nclasses]
    model = after / after.sum() if after.sum() > 0 else prior.copy()
    return BalancedSample(rows, prior, model)


def score_sample(nrow: int, score_training_samples: int, seed: int) -> np.ndarray:
    """Rows of the training scoring frame: all if ``n == 0`` or ``nrow <= n``, else a Bernoulli(n/nrow) draw.

    As H2O's ``sampleFrame``, the sample holds *about* ``n`` rows, not exactly ``n``.
    """
    n = int(score_training_samples)
    if n <= 0 or nrow <= n:
        return np.arange(nrow, dtype=np.int64)
    keep = _rng(seed).random(nrow) < n / nrow
    return np.flatnonzero(keep).astype(np.int64)


def validation_sample(y: np.ndarray | None, nrow: int, score_validation_samples: int, seed: int,
                      stratified: bool = False, class_sampling_factors=None) -> np.ndarray:
    """Rows of the validation scoring frame (``score_validation_samples``, seeded with ``seed+1``).

    Uniform: a Bernoulli draw like ``score_sample``.  Stratified (classification with
    balance_classes): per-class keep probabilities from the training balance ratios, scaled so
    about ``n`` rows are kept, never above 1 (no oversampling).
    """
    n = int(score_validation_samples)
    if n <= 0 or nrow <= n:
        return np.arange(nrow, dtype=np.int64)
    rng = _rng(seed + 1)
    if not stratified or y is None:
        return np.flatnonzero(rng.random(nrow) < n / nrow).astype(np.int64)
    y = np.asarray(y, dtype=np.int64)
    ok = y >= 0
    nclasses = int(y[ok].max()) + 1 if ok.any() else 1
    counts = np.bincount(y[ok], minlength=nclasses).astype(np.float64)
    ratios = balance_ratios(counts, class_sampling_factors, max_after_balance_size=np.inf)
    expected = float((ratios * counts).sum())
    p = np.minimum(1.0, ratios * (n / expected)) if expected > 0 else np.zeros(nclasses)
    prob = np.where(ok, p[np.where(ok, y, 0)], n / nrow)
    return np.flatnonzero(rng.random(nrow) < prob).astype(np.int64)


_PCG_MULT = np.uint64(0x5851F42D4C957F2D)
_PCG_INC = np.uint64(3)                 # H2O's PCGRNG stream 1: inc = (1 << 1) | 1


def _pcg_ints(seeds: np.ndarray, draws: int) -> list[np.ndarray]:
    """The first ``draws`` ``nextInt()`` values (int64 holding Java ints) of H2O's
    ``RandomUtils.getRNG(seed)`` (PCG-XSH-RR 64/32, seeded as PCGRNG(seed, 1)) for each seed."""
    with np.errstate(over="ignore"):
        state = (seeds.astype(np.uint64) + _PCG_INC) * _PCG_MULT + _PCG_INC   # state after seeding
        out = []
        for _ in range(draws):
            old = state
            state = old * _PCG_MULT + _PCG_INC
            xs = (((old >> np.uint64(18)) ^ old) >> np.uint64(27)) & np.uint64(0xFFFFFFFF)
            rot = old >> np.uint64(59)
            r = ((xs >> rot) | (xs << ((np.uint64(32) - rot) & np.uint64(31)))) & np.uint64(0xFFFFFFFF)
            out.append(r.astype(np.int64) - ((r >= np.uint64(2**31)).astype(np.int64) << 32))
    return out


def _java_folds(row_seeds: np.ndarray, nfolds: int) -> np.ndarray:
    """``Math.abs(getRNG(row_seed).nextInt()) % nfolds`` per row."""
    return (np.abs(_pcg_ints(row_seeds, 1)[0]) % nfolds).astype(np.int32)


def fold_assignment(nrow: int, nfolds: int, method: str = "AUTO", seed: int = 0,
                    y: np.ndarray | None = None) -> np.ndarray:
    """Fold index (0..nfolds-1) per row for cross-validation, as H2O assigns them (AstKFold;
    the same seed gives H2O-3's folds, checked against H2O-3 3.46).

    AUTO/Random: ``|PCG(seed + row).nextInt()| % nfolds``; Modulo: ``row % nfolds``; Stratified
    (needs the class codes ``y``, NA < 0): class c draws its folds the same way from seed
    ``PCG(seed + c).nextLong() + row``, which balances every class over the folds; NA rows go
    to fold 0.
    """
    if nfolds < 2:
        raise ValueError(f"nfolds must be >= 2, got {nfolds}")
    method = {"auto": "Random", "random": "Random", "modulo": "Modulo", "stratified": "Stratified"}.get(
        str(method).lower(), method)
    rows = np.arange(nrow, dtype=np.int64).astype(np.uint64)
    seed64 = np.uint64(int(seed) & 0xFFFFFFFFFFFFFFFF)
    if method == "Modulo":
        return (np.arange(nrow) % nfolds).astype(np.int32)
    if method == "Random":
        with np.errstate(over="ignore"):
            return _java_folds(rows + seed64, nfolds)
    if method == "Stratified":
        if y is None:
            raise ValueError("Stratified fold assignment needs the response classes")
        y = np.asarray(y, dtype=np.int64)
        n_classes = int(y.max()) + 1 if (y >= 0).any() else 0
        with np.errstate(over="ignore"):
            hi, lo = _pcg_ints(np.arange(n_classes, dtype=np.int64).astype(np.uint64) + seed64, 2)
            class_seeds = ((hi << 32) + lo).astype(np.uint64)               # Java's nextLong()
            folds = _java_folds(rows + class_seeds[np.maximum(y, 0)], nfolds)
        folds[y < 0] = 0
        return folds
    raise ValueError(f"Unknown fold_assignment '{method}'")


# Relative cost of one row per weight, H2O's flops-per-row factors (Tanh x5, Maxout x8).
_ACTIVATION_COST = {"Tanh": 5.0, "TanhWithDropout": 5.0, "Maxout": 8.0, "MaxoutWithDropout": 8.0}
# Sustained per-sample SGD speed of the Numba kernels, in weight updates (fprop+bprop) per second
# per thread: the speed h2olite aims at on the 200x200 MNIST net (10x H2O-3 on 2 cores).
WEIGHTS_PER_SECOND_PER_THREAD = 1.0e9
TARGET_SECONDS_PER_ITERATION = 10.0
MAX_TSPI = 100_000


def storage_order_passes(rows: np.ndarray, passes: int, nthreads: int) -> np.ndarray:
    """An iteration of ``passes`` whole epochs without shuffling, in H2O's order: each thread's
    contiguous block of ``rows`` (the split ``Network.train`` makes) ``passes`` times over, in
    storage order (H2O: ``repeats`` passes over each chunk when ``fraction`` is 1).

    Concatenated passes would hand whole passes to threads, which then train the same rows in
    step.  A reshuffled order is not H2O's and was slower: the booklet's checkpoint restart
    (+10 epochs in 2-epoch iterations) took 0.378 s against 0.316-0.332 s (medians of 10)."""
    if passes <= 1:
        return rows
    bounds = np.linspace(0, rows.size * passes, nthreads + 1).astype(np.int64) // passes
    return np.concatenate([np.tile(rows[bounds[c]:bounds[c + 1]], passes) for c in range(nthreads)])


def parameter_count(units) -> int:
    """Weights and biases of a fully connected net with these layer widths (input first)."""
    return int(sum(units[i] * units[i + 1] + units[i + 1] for i in range(len(units) - 1)))


def estimated_rows_per_second(n_weights: int, activation: str = "Rectifier", nthreads: int = 1,
                              n_inputs: int = 0) -> float:
    """A realistic training speed estimate (rows/s) in place of H2O's Linpack benchmark."""
    cost = max(1, int(n_weights)) * (1.0 + (_ACTIVATION_COST.get(activation, 1.0) - 1.0) * 0.2) + 10 * n_inputs
    return max(1.0, nthreads) * WEIGHTS_PER_SECOND_PER_THREAD / cost


def row_cost(hidden, activation: str, n_inputs: int) -> float:
    """Seconds per training row by ``estimated_rows_per_second``: what a grid weighs its models by."""
    widths = [int(h) * (2 if str(activation).startswith("Maxout") else 1) for h in hidden]
    return 1.0 / estimated_rows_per_second(parameter_count([max(1, int(n_inputs)), *widths, 1]), str(activation))


def resolve_tspi(tspi: int, nrows: int, epochs: float, n_weights: int = 0, activation: str = "Rectifier",
                 nthreads: int = 1, rows_per_second: float | None = None, n_inputs: int = 0) -> int:
    """Rows per iteration (``train_samples_per_iteration``), H2O's computeTrainSamplesPerIteration on one node.

    0 or -1: one epoch (``nrows``) per iteration.  N >= 1: ``min(N, epochs*nrows)``.  -2 (auto):
    about 10 s of work, at most 10 epochs, at least ~10 iterations in total, at most 100k rows;
    small data therefore trains exactly one epoch per iteration.
    """
    nrows = max(1, int(nrows))
    if tspi in (0, -1):
        return nrows
    if tspi >= 1:
        return int(max(1, min(tspi, math.floor(epochs * nrows)) if epochs * nrows >= 1 else 1))
    if tspi != -2:
        raise ValueError(f"train_samples_per_iteration must be >= -2, got {tspi}")
    rps = rows_per_second or estimated_rows_per_second(n_weights, activation, nthreads, n_inputs)
    t = int(rps * TARGET_SECONDS_PER_ITERATION)            # ~10 s of work
    t = min(t, 10 * nrows)
    if t > nrows and (t % nrows) / nrows < 0.2:
        t -= t % nrows                                       # whole epochs when nearly whole
    t = min(t, int(math.floor(epochs * nrows / 10)))         # at least ~10 iterations
    t = max(1, t)
    return int(min(MAX_TSPI, t))
