"""Keys as H2O's JSON shows them (``FrameKeyV3``, ``ModelKeyV3``, ``GridKeyV3``)."""
from __future__ import annotations

_SCHEMA = {"Frame": ("FrameKeyV3", "/3/Frames/"), "Model": ("ModelKeyV3", "/3/Models/"),
           "Grid": ("GridKeyV3", "/99/Grids/")}


def key_json(name: str | None, kind: str = "Frame") -> dict | None:
    """``{"name", "type", "URL"}`` for a key of ``kind`` (Frame, Model or Grid); None without a name."""
    if not name:
        return None
    schema, url = _SCHEMA[kind]
    return {"__meta": {"schema_version": 3, "schema_name": schema, "schema_type": f"Key<{kind}>"},
            "name": str(name), "type": f"Key<{kind}>", "URL": url + str(name)}
