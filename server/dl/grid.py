"""Hyper-parameter grid search (H2O's hex.grid, internals §12).

Hyper-parameters are walked in alphabetical order of their names (H2O copies them into a
TreeMap). Cartesian search enumerates every combination, the first name varying fastest;
RandomDiscrete draws unvisited combinations with a seeded RNG until ``max_models``,
``max_runtime_secs`` or grid early stopping ends it. Every attempt gets the id
``<grid_id>_model_<k>``; a combination that fails validation or training is recorded in
``failed_params`` and the search goes on. A combination whose parameters (frames by key) equal
those of a model already in the grid is not rebuilt, so re-running a grid under its id only
adds the new combinations.
"""
from __future__ import annotations

import itertools
import json
import math
import random
import threading
import time
import traceback
from dataclasses import dataclass, field

from ..errors import H2OError
from ..frames import Frame
from ..jobs import CoreShare, SubJob, run_with_share
from .model import DeepLearningModel

GRID_CONTROL = ("hyper_parameters", "search_criteria", "grid_id", "parallelism",
                "export_checkpoints_dir", "recovery_dir")


@dataclass
class Grid:
    key: str
    hyper_names: list[str]
    training_frame: str = ""
    model_keys: list[str] = field(default_factory=list)
    hyper_values: dict = field(default_factory=dict)     # model key -> {name: value}
    failed_params: list = field(default_factory=list)
    failure_details: list = field(default_factory=list)
    failure_stack_traces: list = field(default_factory=list)
    failed_raw_params: list = field(default_factory=list)
    warning_details: list = field(default_factory=list)
    attempts: int = 0
    # parameter checksum -> model key (None while it is being built): a combination already
    # built is reused, not rebuilt (H2O, internals section 12)
    checksums: dict = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def owned_keys(self) -> list[str]:
        return list(self.model_keys)

    def next_model_key(self) -> str:
        with self.lock:
            self.attempts += 1
            return f"{self.key}_model_{self.attempts}"


def combinations_cartesian(hyper: dict[str, list]) -> list[dict]:
    """Every combination, the alphabetically first name varying fastest (H2O's odometer)."""
    names = sorted(hyper)
    combos = itertools.product(*[hyper[n] for n in reversed(names)])
    return [dict(zip(reversed(names), c)) for c in combos]


class JavaRandom:
    """``java.util.Random`` (48-bit LCG), so that a seeded RandomDiscrete grid visits the same
    combinations, in the same order, as H2O's (checked against H2O-3 3.46)."""

    _MULT, _MASK = 0x5DEECE66D, (1 << 48) - 1

    def __init__(self, seed: int):
        self._seed = (seed ^ self._MULT) & self._MASK

    def _next(self, bits: int) -> int:
        self._seed = (self._seed * self._MULT + 0xB) & self._MASK
        return self._seed >> (48 - bits)

    def next_int(self, bound: int) -> int:
        r = self._next(31)
        m = bound - 1
        if bound & m == 0:                                   # a power of two
            return (bound * r) >> 31
        u = r
        while True:
            r = u % bound
            if u - r + m < 2**31:                            # Java: no int overflow
                return r
            u = self._next(31)


def random_combinations(hyper: dict[str, list], seed: int | None):
    """Yield unvisited combinations in random order, drawing one index per name alphabetically."""
    names = sorted(hyper)
    size = math.prod(len(hyper[n]) for n in names)
    rng = JavaRandom(seed if seed is not None else random.getrandbits(48))
    seen: set[tuple] = set()
    tries = 0
    while len(seen) < size and tries < max(10_000, size):
        idx = tuple(rng.next_int(len(hyper[n])) for n in names)
        tries += 1
        if idx in seen:
            continue
        seen.add(idx)
        yield {n: hyper[n][i] for n, i in zip(names, idx)}


def parse_hyper(raw) -> dict[str, list]:
    from ..api.params import lenient_json
    from .parameters import BY_NAME
    hyper = lenient_json(raw, "hyper_parameters") if raw not in (None, "") else {}
    if not isinstance(hyper, dict) or not hyper:
        raise H2OError("hyper_parameters must be a non-empty map of parameter name -> list of values")
    out = {}
    for name, values in hyper.items():
        if name not in BY_NAME:
            raise H2OError(f"Unknown hyper-parameter '{name}': not a Deep Learning parameter", field=name)
        if not BY_NAME[name].gridable:
            raise H2OError(f"Parameter '{name}' is not gridable", field=name)
        if not isinstance(values, list) or not values:
            raise H2OError(f"Hyper-parameter '{name}' needs a non-empty list of values", field=name)
        out[name] = values
    return out


def parse_criteria(raw) -> dict:
    from ..api.params import lenient_json
    crit = lenient_json(raw, "search_criteria") if raw not in (None, "") else {}
    if not isinstance(crit, dict):
        raise H2OError("search_criteria must be a map")
    strategy = str(crit.get("strategy", "Cartesian"))
    if strategy.lower() not in ("cartesian", "randomdiscrete"):
        raise H2OError(f"search_criteria strategy must be Cartesian or RandomDiscrete, got '{strategy}'",
                       field="search_criteria")
    strategy = "RandomDiscrete" if strategy.lower() == "randomdiscrete" else "Cartesian"
    # H2O's Cartesian criteria hold only the strategy: it rejects a limit it would not apply
    known = {"strategy"} | ({"max_models", "max_runtime_secs", "seed", "stopping_rounds", "stopping_metric",
                             "stopping_tolerance"} if strategy == "RandomDiscrete" else set())
    unknown = set(crit) - known
    if unknown:
        raise H2OError(f"Can't parse the search_criteria dictionary: unknown parameter(s) {sorted(unknown)} for a "
                       f"{strategy} search (allowed: {sorted(known)}; a Cartesian grid builds every combination)",
                       field="search_criteria")
    return {"strategy": strategy,
            "max_models": int(crit.get("max_models", 0) or 0),
            "max_runtime_secs": float(crit.get("max_runtime_secs", 0) or 0),
            "seed": int(crit.get("seed", -1)),
            "stopping_rounds": int(crit.get("stopping_rounds", 0) or 0),
            "stopping_metric": str(crit.get("stopping_metric", "AUTO")),
            "stopping_tolerance": float(crit.get("stopping_tolerance", 1e-3))}


MAX_CONCURRENT_MODELS = 8


def concurrency(parallelism: int, n_models: int) -> int:
    """How many models to build at once.

    ``parallelism`` > 1 is taken as given. For 0 and 1 (H2O's "adaptive" and default) h2olite
    builds up to ``MAX_CONCURRENT_MODELS`` at once, sharing the cores: a Deep Learning model
    scores on a wall-clock schedule (``score_interval``), so a model that early-stops needs
    several scoring intervals whatever the machine's speed, and models side by side finish
    several times sooner than one after another (measured in bench/run_all.py's grid case). Models stay
    independent: each has its own seed, and a reproducible model trains on one thread either way.
    """
    if parallelism > 1:
        return parallelism
    return max(1, min(MAX_CONCURRENT_MODELS, n_models))


def cpu_share(params: dict, hyper: dict[str, list], n_inputs: int) -> float:
    """A grid model's share of a core while the grid's models compete for the cores: its cost
    per row against the costliest that the hyper-parameters allow, so that all of them gain
    about the same epochs per scoring event.

    With equal shares the booklet's grid gave its two hidden=[100] models (3x the cost per row
    of the others) a third of the others' epochs per scoring event; they early-stopped after the
    most scoring events (12-14, against 9-11 each alone on a core) and so set the grid's time.
    Measured on the 2-core Zen 4 VM, 20 booklet grids each way (``bench/run_all.py --only grid
    --repeat 5``, interleaved): medians of 5 at 20.9-23.0 s against 23.1-24.9 s with equal shares,
    within 20.09 s in 6 of 20 against 2 of 20.  (The light models then take a few more scoring
    events, and sometimes finish last.)
    """
    from .sampling import row_cost

    def cost(hidden, activation) -> float:
        try:
            return row_cost(hidden if isinstance(hidden, (list, tuple)) else [hidden], activation, n_inputs)
        except (TypeError, ValueError):          # another combination's invalid value: it fails on its own
            return 0.0
    own = cost(params["hidden"], params["activation"])
    worst = max([own] + [cost(h, a) for h in hyper.get("hidden") or [params["hidden"]]
                         for a in hyper.get("activation") or [params["activation"]]])
    return min(1.0, own / worst) if own > 0 else 1.0


def run_grid(backend, job, grid: Grid, base_raw: dict, hyper: dict[str, list], criteria: dict,
             parallelism: int = 1) -> Grid:
    """Build the grid's models (``concurrency(parallelism, n)`` at a time); returns the grid."""
    from .builder import prepare, run_build
    store = backend.store
    random_search = criteria["strategy"] == "RandomDiscrete"     # else parse_criteria left no limits
    combos = (random_combinations(hyper, None if criteria["seed"] == -1 else criteria["seed"])
              if random_search else iter(combinations_cartesian(hyper)))
    total = (math.prod(len(v) for v in hyper.values()) if not criteria["max_models"]
             else min(criteria["max_models"], math.prod(len(v) for v in hyper.values())))
    deadline = time.time() + criteria["max_runtime_secs"] if random_search and criteria["max_runtime_secs"] else None
    seed_given = "seed" in base_raw and str(base_raw["seed"]) not in ("-1", "")
    at_once = concurrency(parallelism, total)
    cores = CoreShare(backend.nthreads)
    built = 0
    m = 0

    def model_raw(combo: dict, m: int) -> dict:
        raw = dict(base_raw)
        raw.update(combo)
        if random_search and not seed_given and criteria["seed"] != -1:
            raw["seed"] = criteria["seed"] + m
        return raw

    def claim(raw: dict) -> str | None:
        """The checksum to build ``raw`` under, or None when the grid has (or is building) that model."""
        checksum = json.dumps(_jsonable(raw), sort_keys=True, default=str)
        with grid.lock:
            if checksum in grid.checksums:
                key = grid.checksums[checksum]
                if key is None or store.find(key, DeepLearningModel) is not None:
                    return None
            grid.checksums[checksum] = None
        return checksum

    def build_one(combo: dict, raw: dict, checksum: str, key: str):
        raw = dict(raw, model_id=key)
        if deadline is not None:
            left = deadline - time.time()
            if left <= 0:
                with grid.lock:
                    grid.checksums.pop(checksum, None)
                return False
            mr = float(raw.get("max_runtime_secs") or 0)
            raw["max_runtime_secs"] = min(mr, left) if mr > 0 else left
        try:
            params, input_params, _ = prepare(store, raw)
            params["model_id"] = key
            train = store.find(params["training_frame"], Frame)
            share = cpu_share(params, hyper, train.ncol if train is not None else 1) if at_once > 1 else 1.0
            with cores.taking_part():
                run_with_share(lambda: run_build(backend, SubJob(job), params, input_params, key,
                                                 nthreads=cores.threads), share)
        except Exception as e:    # a failed combination is recorded; the grid goes on
            with grid.lock:
                grid.checksums.pop(checksum, None)
            if job.cancel_requested:
                raise
            with grid.lock:
                grid.failed_params.append({k: _jsonable(v) for k, v in combo.items()})
                grid.failed_raw_params.append([json.dumps(_jsonable(combo[n])) for n in grid.hyper_names])
                grid.failure_details.append(getattr(e, "msg", None) or f"{type(e).__name__}: {e}")
                grid.failure_stack_traces.append(traceback.format_exc())
            return False
        with grid.lock:
            grid.checksums[checksum] = key
            if key not in grid.model_keys:
                grid.model_keys.append(key)
            grid.model_keys.sort(key=lambda k: int(k.rsplit("_", 1)[1]))   # build order, not finish order
            grid.hyper_values[key] = {k: _jsonable(v) for k, v in combo.items()}
        return True

    def should_stop() -> bool:
        if deadline is not None and time.time() >= deadline:
            return True
        if criteria["max_models"] and built >= criteria["max_models"]:
            return True
        return random_search and grid_stop_early(store, grid, criteria)

    if at_once <= 1:
        for combo in combos:
            if should_stop():
                break
            raw = model_raw(combo, m)
            m += 1
            checksum = claim(raw)
            if checksum is not None:
                built += bool(build_one(combo, raw, checksum, grid.next_model_key()))
            job.update(min(1.0, built / max(total, 1)), f"{built} models built")
    else:
        from concurrent.futures import ALL_COMPLETED, FIRST_COMPLETED, ThreadPoolExecutor, wait
        with ThreadPoolExecutor(max_workers=at_once) as pool:
            running: set = set()

            def settle(block_until_one: bool):
                nonlocal built, running
                if not running:
                    return
                done, running = wait(running, return_when=FIRST_COMPLETED if block_until_one else ALL_COMPLETED)
                built += sum(bool(f.result()) for f in done)
                job.update(min(1.0, built / max(total, 1)), f"{built} models built")

            for combo in combos:
                while len(running) >= at_once:
                    settle(True)
                # never start more models than max_models could still accept
                while criteria["max_models"] and running and built + len(running) >= criteria["max_models"]:
                    settle(True)
                if should_stop():
                    break
                raw = model_raw(combo, m)
                m += 1
                checksum = claim(raw)
                if checksum is not None:                                          # ids in H2O's order
                    running.add(pool.submit(build_one, combo, raw, checksum, grid.next_model_key()))
            settle(False)
    return grid


def grid_stop_early(store, grid: Grid, criteria: dict) -> bool:
    """Grid early stopping: moving averages over the models' metric, sorted best last."""
    from ..metrics import is_lower_bounded_by_zero, is_more_better, metric_value, stop_early
    k = criteria["stopping_rounds"]
    if k <= 0 or not grid.model_keys:
        return False
    models = [store.find(key, DeepLearningModel) for key in grid.model_keys]
    models = [m for m in models if m is not None]
    metric = criteria["stopping_metric"]
    if metric.upper() == "AUTO":
        metric = "logloss" if models[0].is_classifier else ("MSE" if models[0].is_autoencoder else "deviance")
    more = is_more_better(metric)
    values = []
    for m in models:
        metrics = m.cross_validation_metrics or m.validation_metrics or m.training_metrics
        try:
            values.append(float(metric_value(metrics, metric)))
        except (KeyError, ValueError, TypeError):
            return False
    values.sort(reverse=not more)          # best last
    return stop_early(values, k, criteria["stopping_tolerance"], more, is_lower_bounded_by_zero(metric))


SORT_METRICS = ("logloss", "residual_deviance", "mean_residual_deviance", "mse", "rmse", "mae", "rmsle",
                "auc", "aucpr", "pr_auc", "r2", "mean_per_class_error", "err", "err_count", "accuracy",
                "misclassification", "f1", "precision", "recall", "mcc", "deviance")


def sorted_models(store, grid: Grid, sort_by: str | None, decreasing: bool | None):
    """(models in order, metric name, decreasing) as GET /99/Grids sorts them."""
    from ..metrics import metric_value
    models = [m for m in (store.find(k, DeepLearningModel) for k in grid.model_keys) if m is not None]
    if not models:
        return [], sort_by, bool(decreasing)
    if sort_by is None:
        if models[0].is_autoencoder:
            return models, None, False
        sort_by = "logloss" if models[0].is_classifier else "residual_deviance"
        decreasing = False if decreasing is None else decreasing
    if sort_by.lower() not in SORT_METRICS:
        raise H2OError(f"Invalid argument for sort_by specified: {sort_by}. Must be one of: "
                       + ", ".join(SORT_METRICS), field="sort_by")
    if decreasing is None:      # increasing, whatever the metric (H2O-3 3.46: "ordered by increasing auc")
        decreasing = False
    name = metric_alias(sort_by)

    def value(m):
        metrics = m.cross_validation_metrics or m.validation_metrics or m.training_metrics
        try:
            v = float(metric_value(metrics, name))
        except (KeyError, ValueError, TypeError):
            v = math.nan
        return v

    keyed = [(value(m), m) for m in models]
    keyed.sort(key=lambda t: (math.isnan(t[0]), -t[0] if decreasing else t[0]))   # stable
    return [m for _, m in keyed], sort_by, decreasing


def metric_alias(sort_by: str) -> str:
    """Grid sort names (H2O's) -> metric names the metrics module reads."""
    return {"residual_deviance": "deviance", "mean_residual_deviance": "deviance",
            "err": "misclassification", "pr_auc": "AUCPR"}.get(sort_by.lower(), sort_by)


def _jsonable(v):
    if isinstance(v, tuple):
        return [_jsonable(x) for x in v]
    return v
