"""Small datasets shipped with h2olite (a subset of H2O's public test data, same layout).

``h2olite.load_dataset("iris")`` finds a file by short name (its file stem, e.g. "prostate",
"ecg_discord_train", "cars", plus "iris" and "mnist_train"/"mnist_test") or by its path
relative to the data directory ("smalldata/iris/iris_wheader.csv").
"""
from __future__ import annotations

import os

from ..exceptions import H2OValueError

DATA_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")

# Names that are not simply a file's stem.
ALIASES = {
    "iris": "smalldata/iris/iris_wheader.csv",
    "mnist_train": "bigdata/laptop/mnist/train.csv.gz",
    "mnist_test": "bigdata/laptop/mnist/test.csv.gz",
    "covtype": "smalldata/covtype/covtype.20k.data.gz",
    "airlines_train": "smalldata/airlines/AirlinesTrain.csv.zip",
    "airlines_test": "smalldata/airlines/AirlinesTest.csv.zip",
    "airlines": "smalldata/airlines/allyears2k_headers.zip",
}

_SUFFIXES = (".gz", ".zip", ".csv", ".data", ".txt", ".tsv", ".parquet")


def _stem(filename: str) -> str:
    name = filename
    changed = True
    while changed:
        changed = False
        for suf in _SUFFIXES:
            if name.lower().endswith(suf) and len(name) > len(suf):
                name, changed = name[: -len(suf)], True
    return name


def all_files() -> dict[str, str]:
    """Short name (lower case) -> path relative to ``DATA_DIR``, for every shipped file."""
    found: dict[str, str] = {}
    ambiguous: set[str] = set()
    for root, _dirs, files in os.walk(DATA_DIR):
        for f in sorted(files):
            rel = os.path.relpath(os.path.join(root, f), DATA_DIR).replace(os.sep, "/")
            stem = _stem(f).lower()
            if stem in found:
                ambiguous.add(stem)
            found[stem] = rel
    aliased = set(ALIASES.values())
    for stem in list(found):        # generic stems (mnist's "train"/"test") only through their aliases
        if stem in ambiguous or (found[stem] in aliased and stem not in ("covtype.20k", "allyears2k_headers")):
            del found[stem]
    for alias, rel in ALIASES.items():
        if os.path.exists(os.path.join(DATA_DIR, rel)):
            found[alias] = rel
    return dict(sorted(found.items()))


def names() -> list[str]:
    return list(all_files())


def path(name: str) -> str:
    """Absolute path of a shipped dataset given by short name or relative path; ``H2OValueError`` if unknown."""
    if not isinstance(name, str) or not name:
        raise H2OValueError(f"`relative_path` must be a dataset name, got {name!r}", var_name="relative_path")
    rel = name.replace("\\", "/").lstrip("/")
    full = os.path.normpath(os.path.join(DATA_DIR, rel))
    if full.startswith(DATA_DIR + os.sep) and os.path.isfile(full):
        return full
    files = all_files()
    key = _stem(os.path.basename(rel)).lower()
    if key in files:
        return os.path.join(DATA_DIR, files[key])
    raise H2OValueError(f"Unknown dataset {name!r}. Shipped datasets: {', '.join(files)}",
                        var_name="relative_path")


# H2O's public test-data bucket, as the booklet and H2O's examples address it.
PUBLIC_BUCKET_PREFIXES = (
    "https://h2o-public-test-data.s3.amazonaws.com/", "http://h2o-public-test-data.s3.amazonaws.com/",
    "https://s3.amazonaws.com/h2o-public-test-data/", "http://s3.amazonaws.com/h2o-public-test-data/",
    "s3://h2o-public-test-data/", "s3n://h2o-public-test-data/", "s3a://h2o-public-test-data/",
)


def local_copy(url: str) -> str | None:
    """The shipped copy of a file of H2O's public test-data bucket (same layout), or None.

    Lets scripts written for H2O (``h2o.import_file("https://h2o-public-test-data.s3.amazonaws.com/
    bigdata/laptop/mnist/train.csv.gz")``) run unchanged and offline: the bytes are the same.
    """
    if not isinstance(url, str):
        return None
    for prefix in PUBLIC_BUCKET_PREFIXES:
        if url.startswith(prefix):
            rel = url[len(prefix):].split("?", 1)[0]
            full = os.path.normpath(os.path.join(DATA_DIR, rel))
            if full.startswith(DATA_DIR + os.sep) and os.path.isfile(full):
                return full
            return None
    return None


_announced: set[str] = set()


def resolve_url(url: str) -> str:
    """A local file for ``url``: the bundled copy of a public-bucket file (said once per URL), else a
    download into the cache (``$H2OLITE_CACHE``, default ``~/.cache/h2olite``), reused next time."""
    bundled = local_copy(url)
    if bundled is not None:
        if url not in _announced:
            _announced.add(url)
            print(f"Using the bundled copy of {url}")
        return bundled
    if not url.startswith(("http://", "https://")):
        raise H2OValueError(f"Cannot read {url!r}: only local paths, http(s) URLs and the bundled files of "
                            f"H2O's public test-data bucket are supported", var_name="path")
    import hashlib
    import tempfile

    import requests
    cache = os.environ.get("H2OLITE_CACHE") or os.path.join(os.path.expanduser("~"), ".cache", "h2olite")
    name = os.path.basename(url.split("?", 1)[0]) or "download"
    target = os.path.join(cache, hashlib.sha1(url.encode()).hexdigest()[:16], name)
    if os.path.isfile(target):
        return target
    os.makedirs(os.path.dirname(target), exist_ok=True)
    try:
        with requests.get(url, stream=True, timeout=60) as resp:
            resp.raise_for_status()
            fd, tmp = tempfile.mkstemp(dir=os.path.dirname(target), suffix=".part")
            with os.fdopen(fd, "wb") as f:
                for chunk in resp.iter_content(1 << 20):
                    f.write(chunk)
        os.replace(tmp, target)          # never leave half a file under the cached name
    except (requests.RequestException, OSError) as e:
        if not os.listdir(os.path.dirname(target)):
            os.rmdir(os.path.dirname(target))
        raise H2OValueError(f"Cannot download {url}: {e}", var_name="path") from None
    return target
