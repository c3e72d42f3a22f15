"""Grid search endpoints (``/99/Grid/{algo}``, ``/99/Grids``), as H2O's GridSearchHandler."""
from __future__ import annotations

import math
from decimal import Decimal

from flask import jsonify, request

from ..app import backend
from ..errors import H2OError
from ..jobs import Job
from . import params as wire
from .registry import Api, Param

api = Api("grids")


def _grid(key: str):
    from ..dl.grid import Grid
    return backend().store.get(key, Grid, "grid")


@api.route("/99/Grid/<algo>", "POST",
           "Start a grid search: model parameters plus hyper_parameters, search_criteria, grid_id, parallelism",
           params={"hyper_parameters": Param("object", "JSON map name -> list of values", required=True),
                   "search_criteria": Param("object", "JSON: strategy, max_models, max_runtime_secs, seed, stopping_*"),
                   "grid_id": Param("string", "grid key (reusing one adds models to it)"),
                   "parallelism": Param("integer", "models built at once; 0 or 1 = h2olite decides (up to 8 at once, sharing the cores)", default=1),
                   "training_frame": Param("string", "key of the training frame", required=True)})
def start_grid(algo):
    from ..dl.grid import GRID_CONTROL, Grid, parse_criteria, parse_hyper, run_grid
    from ..frames import Frame
    if algo.lower() != "deeplearning":
        raise H2OError(f"Unknown algorithm '{algo}': h2olite grids build only 'deeplearning' models", http_status=404)
    b = backend()
    args = wire.all_args()
    hyper = parse_hyper(args.get("hyper_parameters"))
    criteria = parse_criteria(args.get("search_criteria"))
    parallelism = wire.as_int(args.get("parallelism", 1), "parallelism")
    if parallelism < 0:
        raise H2OError("parallelism must be >= 0 (0 = adaptive)", field="parallelism")
    base = {k: v for k, v in args.items() if k not in GRID_CONTROL}
    # a parameter both fixed and searched is a mistake H2O reports
    both = sorted(set(hyper) & {k for k in base if k not in ("training_frame",)})
    if both:
        raise H2OError(f"Parameters {both} are given both as fixed values and as hyper-parameters")
    train_key = base.get("training_frame")
    if not train_key or b.store.find(str(train_key), Frame) is None:
        raise H2OError(f"Training frame '{train_key}' not found", field="training_frame", http_status=404)
    grid_id = args.get("grid_id") or (f"Grid_DeepLearning_{train_key}_model_"
                                      f"{'python' if 'python' in request.headers.get('User-Agent', '').lower() else 'R'}"
                                      f"_{b.started_ms}_{b.store.next_number()}")
    existing = b.store.find(grid_id)
    if existing is not None and not isinstance(existing, Grid):
        raise H2OError(f"Key '{grid_id}' already holds a {type(existing).__name__}, not a grid", field="grid_id")
    grid = existing or Grid(grid_id, sorted(hyper), str(train_key))
    if existing is not None and sorted(hyper) != existing.hyper_names:
        raise H2OError(f"Grid '{grid_id}' searches {existing.hyper_names}; cannot add models over {sorted(hyper)}")
    b.store.put(grid_id, grid)
    job = b.jobs.start(Job("DeepLearning Grid Search", grid_id, "Key<Grid>"),
                       lambda j: run_grid(b, j, grid, base, hyper, criteria, parallelism) and grid_id)
    return jsonify({"__meta": {"schema_version": 99, "schema_name": "GridSearchSchemaV99", "schema_type": "Iced"},
                    "job": job.to_json(), "grid_id": {"name": grid_id}})


def grid_json(grid, sort_by: str | None, decreasing: bool | None) -> dict:
    from ..dl.grid import metric_alias
    from ..keys import key_json
    from ..metrics import metric_value, two_dim_table
    models, metric, decreasing = _sorted(grid, sort_by, decreasing)
    numeric = [_is_numeric(n) for n in grid.hyper_names]
    cols = ([(n, "double", "%.5f") if num else (n, "string", "%s") for n, num in zip(grid.hyper_names, numeric)]
            + [("model_ids", "string", "%s")])
    rows = []
    for m in models:
        values = grid.hyper_values.get(m.key, {})
        row = [_cell(values.get(n), num) for n, num in zip(grid.hyper_names, numeric)] + [m.key]
        if metric:
            metrics = m.cross_validation_metrics or m.validation_metrics or m.training_metrics
            try:
                row.append(float(metric_value(metrics, metric_alias(metric))))
            except (KeyError, ValueError, TypeError):
                row.append(None)
        rows.append(row)
    if metric:
        cols.append((metric, "double", "%.5f"))
    desc = f"ordered by {'decreasing' if decreasing else 'increasing'} {metric}" if metric else ""
    table = two_dim_table("Hyper-Parameter Search Summary", desc, cols, rows, row_headers=[""] * len(rows))
    return {
        "__meta": {"schema_version": 99, "schema_name": "GridSchemaV99", "schema_type": "Grid"},
        "grid_id": key_json(grid.key, "Grid"),
        "model_ids": [key_json(m.key, "Model") for m in models],
        "hyper_names": list(grid.hyper_names),
        "sort_by": metric, "decreasing": decreasing,
        "failed_params": grid.failed_params, "failure_details": grid.failure_details,
        "failure_stack_traces": grid.failure_stack_traces, "failed_raw_params": grid.failed_raw_params,
        "warning_details": grid.warning_details,
        "training_metrics": [m.training_metrics for m in models],
        "validation_metrics": [m.validation_metrics for m in models],
        "cross_validation_metrics": [m.cross_validation_metrics for m in models],
        "summary_table": table, "scoring_history": None, "export_checkpoints_dir": None,
    }


def _sorted(grid, sort_by, decreasing):
    from ..dl.grid import sorted_models
    return sorted_models(backend().store, grid, sort_by, decreasing)


def _is_numeric(name: str) -> bool:
    from ..dl.parameters import BY_NAME
    spec = BY_NAME.get(name)
    return spec is not None and spec.type in ("int", "long", "float", "double")


def _cell(v, numeric: bool):
    """A hyper-parameter value as H2O's summary table holds it: numbers as numbers (the column is
    a double), everything else as Java prints it (``[32, 16, 8]``, a one-element array as its
    element: ``100``; ``true``; enum names)."""
    if v is None:
        return None
    if numeric and not isinstance(v, bool):
        return v if isinstance(v, (int, float)) else float(v)
    if isinstance(v, (list, tuple)):
        return _java_str(v[0]) if len(v) == 1 else "[" + ", ".join(_java_str(e) for e in v) + "]"
    return _java_str(v)


def _java_str(v) -> str:
    """Java's ``toString`` of a parameter value: ``true``/``false``, ``0.5``, ``1.0E-4``, ``8``."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if v == 0 or not math.isfinite(v) or 1e-3 <= abs(v) < 1e7:
            return {math.inf: "Infinity", -math.inf: "-Infinity"}.get(v, "NaN" if v != v else repr(v))
        sign, digits, exponent = Decimal(repr(v)).normalize().as_tuple()
        mantissa = "".join(map(str, digits))
        return (f"{'-' if sign else ''}{mantissa[0]}.{mantissa[1:] or '0'}"
                f"E{len(digits) - 1 + exponent}")
    return str(v)


@api.route("/99/Grids", "GET", "All grids")
def list_grids():
    from ..dl.grid import Grid
    return jsonify({"__meta": {"schema_version": 99, "schema_name": "GridsV99", "schema_type": "Grids"},
                    "grids": [grid_json(g, None, None) for _, g in backend().store.items(Grid)]})


@api.route("/99/Grids/<path:key>", "GET", "One grid, its models sorted by a metric",
           params={"sort_by": Param("string", "metric to sort by (default logloss / residual_deviance)"),
                   "decreasing": Param("boolean", "sort order")})
def get_grid(key):
    args = wire.all_args()
    sort_by = args.get("sort_by") or None
    dec = args.get("decreasing")
    decreasing = None if dec in (None, "") else wire.as_bool(dec, "decreasing")
    return jsonify(grid_json(_grid(key), sort_by, decreasing))
