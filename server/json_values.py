"""How numbers are written into H2O JSON (metrics, tables, frames, Rapids results).

H2O's JSON writer puts non-finite doubles in quotes: ``"NaN"``, ``"Infinity"``, ``"-Infinity"``
(see any ``loglikelihood``/``AIC`` field of a Deep Learning metrics object, or the NaN row of a
scoring history). R's jsonlite cannot read a bare ``NaN`` token (``fromJSON("[NaN]")`` is a lexical
error) but reads ``"NaN"`` and h2o's R client converts it back, so h2olite writes exactly what H2O
writes: every metrics dict and every TwoDimTable built here holds the *strings* for non-finite
numbers, and the dicts are JSON-ready as they are. ``as_float`` reads them back.
"""
from __future__ import annotations

import math

import numpy as np


def json_number(x) -> float | str | None:
    """A float as H2O writes it: finite -> float, NaN/inf -> "NaN"/"Infinity"/"-Infinity"."""
    if x is None:
        return None
    x = float(x)
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return x


def json_float32(x) -> float | str | None:
    """A value of a ``float`` table cell: rounded to float32 and written with float32's shortest
    digits (``0.46729806``), as Java's ``Float.toString`` does in H2O's tables."""
    if x is None:
        return None
    x = float(x)
    if not math.isfinite(x):
        return json_number(x)
    return float(str(np.float32(x)))


def as_float(v) -> float:
    """Read a number written by ``json_number`` (or a plain number) back as a Python float."""
    if v is None:
        return math.nan
    if isinstance(v, str):
        return float(v)     # Python reads "NaN", "Infinity" and "-Infinity" itself
    return float(v)
