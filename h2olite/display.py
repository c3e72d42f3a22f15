"""Text rendering shared by frames, tables, the cluster status and models.

h2o-py prints every table through ``tabulate``; using the same library with the same formats
("plain" for frames and summaries, "simple" for the cluster status) makes h2olite's output
line-for-line the same as H2O's.
"""
from __future__ import annotations

import math

import tabulate as _tabulate


def tabulate(rows, headers=(), tablefmt: str = "plain", **kw) -> str:
    """``tabulate.tabulate`` with H2O's defaults (missing values shown as empty cells)."""
    return _tabulate.tabulate(rows, headers=headers, tablefmt=tablefmt, **kw)


def table_footer(nrows: int, ncols: int) -> str:
    """H2O's footer under a printed frame: ``[380 rows x 9 columns]``."""
    r = f"{nrows} row{'' if nrows == 1 else 's'}"
    c = f"{ncols} column{'' if ncols == 1 else 's'}"
    return f"\n[{r} x {c}]\n"


def human_bytes(size: int | None) -> str:
    """Bytes as H2O shows them (``1.998 Gb``, ``512 Mb``)."""
    if size is None:
        return ""
    size = int(size)
    if size <= 0:
        return "0"
    suffixes = "PTGMk"
    for i in range(len(suffixes) + 1):
        shift = (len(suffixes) - i) * 10
        if size >> shift == 0:
            continue
        ndigits = 0
        for nd in (3, 2, 1):
            if size >> (shift + 12 - nd * 3) == 0:
                ndigits = nd
                break
        if ndigits == 0 or size == (size >> shift) << shift:
            value = str(size >> shift)
        else:
            value = "%.*f" % (ndigits, size / (1 << shift))
        return "%s %sb" % (value, suffixes[i] if i < len(suffixes) else "")
    return str(size)


def human_time(ms: int) -> str:
    """A duration as H2O shows it: ``47 secs``, ``34 mins 02 secs``, ``1 day 3 hours 12 mins``."""
    ms = int(ms)
    millis, secs = ms % 1000, (ms // 1000) % 60
    mins, hours, days = (ms // 60000) % 60, (ms // 3600000) % 24, ms // 86400000
    out = ""
    if days > 1:
        out += "%d days" % days
    elif days == 1:
        out += "1 day"
    if hours > 1 or (hours == 0 and out):
        out += " %d hours" % hours
    elif hours == 1:
        out += " 1 hour"
    if mins > 1 or (mins == 0 and out):
        out += " %d mins" % mins
    elif mins == 1:
        out += " 1 min"
    if days == 0 and hours == 0:
        out += " %02d secs" % secs
    if not out:
        out = " %d ms" % millis
    return out.strip()


def cell(value):
    """A JSON cell value ready for tabulate: "NaN" strings become float NaN."""
    if isinstance(value, str) and value in ("NaN", "nan"):
        return math.nan
    return value
