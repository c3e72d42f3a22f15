"""Raw sources: files registered by ImportFiles and bytes posted by PostFile, before parsing.

H2O keeps an imported file under a raw key (``nfs://<abs path>``) or an uploaded body under
``upload_<32hex>`` until ``/3/Parse`` turns it into a frame; ``RawSource`` is that value in our
store. Reading one gives the decompressed bytes: compression is recognised by its magic bytes
(gzip, zip), as H2O does, not by the file name.
"""
from __future__ import annotations

import fnmatch
import gzip
import io
import os
import re
import zipfile
from dataclasses import dataclass

from ..errors import H2OError, H2ONotFound

PARQUET_MAGIC = b"PAR1"
_GZIP_MAGIC = b"\x1f\x8b"
_ZIP_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True, eq=False)
class RawSource:
    """An unparsed file (``path``) or uploaded body (``data``) stored under ``key``."""

    key: str
    path: str | None = None
    data: bytes | None = None

    @property
    def name(self) -> str:
        """What error messages call this source: the file path, or the upload key."""
        return self.path or self.key

    @property
    def total_bytes(self) -> int:
        if self.data is not None:
            return len(self.data)
        try:
            return os.path.getsize(self.path)
        except OSError:
            return 0

    def raw_bytes(self) -> bytes:
        if self.data is not None:
            return self.data
        try:
            with open(self.path, "rb") as f:
                return f.read()
        except OSError as e:
            raise H2OError(f"Cannot read file {self.path}: {e.strerror}") from None

    def _magic(self) -> bytes:
        if self.data is not None:
            return self.data[:4]
        try:
            with open(self.path, "rb") as f:
                return f.read(4)
        except OSError as e:
            raise H2OError(f"Cannot read file {self.path}: {e.strerror}") from None

    def is_parquet(self) -> bool:
        return self._magic() == PARQUET_MAGIC

    def head(self, n: int) -> bytes:
        """The first ``n`` decompressed bytes, without decompressing the whole source."""
        magic = self._magic()
        if magic[:2] == _GZIP_MAGIC:
            stream = io.BytesIO(self.data) if self.data is not None else open(self.path, "rb")
            try:
                with gzip.GzipFile(fileobj=stream) as g:
                    return g.read(n)
            except (OSError, EOFError) as e:
                raise H2OError(f"Cannot decompress {self.name}: {e}") from None
            finally:
                stream.close()
        if magic == _ZIP_MAGIC:
            return self.read()[:n]
        if self.data is not None:
            return self.data[:n]
        with open(self.path, "rb") as f:
            return f.read(n)

    def read(self) -> bytes:
        """The decompressed content (gzip and single-entry zip are unpacked)."""
        raw = self.raw_bytes()
        try:
            if raw[:2] == _GZIP_MAGIC:
                return gzip.decompress(raw)
            if raw[:4] == _ZIP_MAGIC:
                with zipfile.ZipFile(io.BytesIO(raw)) as z:
                    members = [m for m in z.infolist()
                               if not m.is_dir() and not m.filename.startswith("__MACOSX/")]
                    if not members:
                        raise H2OError(f"Zip file {self.name} contains no file to parse")
                    return b"".join(z.read(m) for m in members)
        except (OSError, EOFError, zipfile.BadZipFile) as e:
            raise H2OError(f"Cannot decompress {self.name}: {e}") from None
        return raw


def raw_key_for_path(path: str) -> str:
    """H2O's raw key of an imported file: ``nfs:/`` + the absolute path (``nfs://work/x.csv``)."""
    return "nfs:/" + os.path.abspath(path)


def list_import_files(path: str, pattern: str | None = None) -> tuple[list[str], list[str]]:
    """(files to import, entries that failed) for a file or a directory (non-recursive, sorted).

    A missing path raises 404 "File <path> does not exist" as H2O's ImportFiles does.
    """
    path = os.path.expanduser(path)
    if not os.path.exists(path):
        raise H2ONotFound(f"File {path} does not exist", path=path)
    if os.path.isfile(path):
        return [os.path.abspath(path)], []
    files, fails = [], []
    rx = _pattern_regex(pattern)
    for entry in sorted(os.listdir(path)):
        full = os.path.abspath(os.path.join(path, entry))
        if entry.startswith((".", "_")) or os.path.isdir(full):
            continue                       # hidden files and Spark/Hadoop markers (_SUCCESS)
        if rx is not None and not rx.search(entry):
            continue
        (files if os.access(full, os.R_OK) else fails).append(full)
    return files, fails


def _pattern_regex(pattern: str | None):
    """H2O's ``pattern`` is a regular expression; accept a shell glob (``*.csv``) as well."""
    if not pattern:
        return None
    try:
        return re.compile(pattern)
    except re.error:
        return re.compile(fnmatch.translate(pattern))
