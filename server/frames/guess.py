"""H2O's column type guess for text tokens (``PreviewParseWriter.guessTypes``), shared by the CSV
parser and the Arrow upload, so a pandas text column gets the type H2O would give its CSV."""
from __future__ import annotations

import re

DEFAULT_NA = ["", "NA", "NaN", "?"]
NUMERIC, ENUM_T, STRING_T, TIME_T, UUID_T, BAD_T = "Numeric", "Enum", "String", "Time", "UUID", "BAD"

_NUM_RE = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$|^[+-]?(inf|infinity)$", re.IGNORECASE)
_TIME_RE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$")
_UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def is_number(tok: str) -> bool:
    return bool(_NUM_RE.match(tok.strip()))


def guess_type(tokens: list[str], na: set[str]) -> str:
    """H2O's ``PreviewParseWriter.guessTypes`` for one column of preview tokens."""
    nnums = nzeros = ndates = nuuid = nstrings = nempty = 0
    domain: set[str] = set()
    for tok in tokens:
        t = tok.strip()
        if t in na:
            nempty += 1
        elif is_number(t):
            if float(t) == 0:
                nzeros += 1
            else:
                nnums += 1
        elif _TIME_RE.match(t):
            ndates += 1
        elif _UUID_RE.match(t):
            nuuid += 1
        else:
            nstrings += 1
            domain.add(t)
    nonempty = len(tokens) - nempty
    nn = nnums + nzeros
    if nn >= ndates and nn >= nuuid and nnums >= nstrings:
        return NUMERIC
    if len(domain) == 1 and not domain & {"NA", "na", "Na"} and nstrings >= nonempty:
        return ENUM_T
    if len(domain) <= 1 and nnums + nstrings + nzeros > ndates + nuuid:
        return NUMERIC
    if ndates > nuuid and ndates > nn and (ndates > nstrings or len(domain) <= 1):
        return TIME_T
    if nuuid > ndates and nuuid > nn and (nuuid > nstrings or len(domain) <= 1):
        return UUID_T
    if nstrings > ndates and nstrings > nuuid and nstrings > nn and len(domain) >= 0.95 * nstrings:
        return STRING_T
    if nzeros > 0 and nzeros + nstrings >= nonempty and len(domain) <= 0.95 * nstrings:
        return ENUM_T
    if nstrings >= nn and len(domain) <= 0.95 * nstrings:
        return ENUM_T
    return BAD_T
