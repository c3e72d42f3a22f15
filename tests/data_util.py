"""The shipped data, as tests read it without a backend (parsed straight into frames)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from h2olite_server.frames.frame import Frame
from h2olite_server.frames.ops import as_factor
from h2olite_server.frames.parse import guess_setup, parse
from h2olite_server.frames.sources import RawSource

DATA = Path(__file__).resolve().parents[1] / "h2olite" / "datasets" / "data"


@lru_cache(maxsize=None)
def load(rel: str, factors: tuple = ()) -> Frame:
    """Parse a shipped file (path relative to the data root), turning ``factors`` into enums."""
    src = RawSource(key=rel, path=str(DATA / rel))
    fr = parse([src], guess_setup([src]))
    for name in factors:
        fr = fr.with_column(as_factor(fr[name]))
    return fr.with_key(Path(rel).name.split(".")[0] + ".hex")
