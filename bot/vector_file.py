"""Sentence vectors in a flat file beside the saved BM25 index, read by row.

Chroma hands back a stored vector by id at about 30 µs each at 2 M sentences (the id is
looked up in SQLite, the vector copied out of the HNSW index and converted to Python
floats), so an exact search over a speaker's thousand sentences spent 30 ms reading
them. The BM25 index already numbers every sentence; this file holds the same float32
vectors Chroma stores, one row each, so those thousand rows are a few ``pread`` calls.
It is only a cache of Chroma's vectors: written whole, next to the index, when the
index is built from a full read; a sentence added later has no row and is read from
Chroma as before; a missing, short or damaged file reads as "not there".
"""

from __future__ import annotations

import os
import threading
import uuid
from pathlib import Path

import numpy as np

PREFIX = "vectors-"
SUFFIX = ".f32"


def new_name(layout: str) -> str:
    """A fresh file name for a layout's vectors (each full build writes its own file, so
    one process never overwrites a file another one reads)."""
    return f"{PREFIX}{layout}-{uuid.uuid4().hex[:12]}{SUFFIX}"


class VectorWriter:
    """Appends float32 rows to ``<dir>/<name>``, visible under its name only on ``commit``.

    A write that fails (a full or read-only disk) makes the writer ``broken``: later
    appends do nothing and ``commit`` returns ``False``, so the caller builds its index
    without a vector file instead of failing."""

    def __init__(self, directory: Path, name: str) -> None:
        self.path = directory / name
        self._tmp = directory / f".{name}.{os.getpid()}.tmp"
        self.rows = 0
        self.broken = False
        try:
            directory.mkdir(parents=True, exist_ok=True)
            self._fh = open(self._tmp, "wb")
        except OSError:
            self._fh, self.broken = None, True

    def append(self, vectors: np.ndarray) -> None:
        if self.broken or not len(vectors):
            return
        try:
            self._fh.write(np.ascontiguousarray(vectors, dtype=np.float32).tobytes())
            self.rows += len(vectors)
        except OSError:
            self.broken = True

    def commit(self) -> bool:
        """Close the file and give it its name; ``False`` (and no file) if anything failed."""
        try:
            if self._fh is not None:
                self._fh.close()
            if not self.broken:
                os.replace(self._tmp, self.path)
                return True
        except OSError:
            self.broken = True
        finally:
            try:
                self._tmp.unlink(missing_ok=True)
            except OSError:
                pass
        return False


class VectorFile:
    """Read-only rows of a file written by ``VectorWriter`` (opened on first read)."""

    def __init__(self, path: Path, dimension: int) -> None:
        self.path = path
        self.dimension = dimension
        self._row_bytes = 4 * dimension
        self._fd: int | None = None
        self._rows = 0
        self._usable: bool | None = None
        self._lock = threading.Lock()

    def _open(self) -> bool:
        with self._lock:
            return self._open_locked()

    def _open_locked(self) -> bool:
        if self._usable is None:
            try:
                self._fd = os.open(self.path, os.O_RDONLY)
                size = os.fstat(self._fd).st_size
                self._rows = size // self._row_bytes
                self._usable = size % self._row_bytes == 0
            except OSError:
                self._usable = False
            if not self._usable:
                self._close_locked()
        return self._usable

    def read(self, rows: np.ndarray) -> np.ndarray | None:
        """The vectors in ``rows`` (any order, each ≥ 0) as a ``(len(rows), dimension)``
        float32 array; ``None`` when the file is missing, damaged or too short."""
        rows = np.asarray(rows, dtype=np.int64)
        if not len(rows):
            return np.zeros((0, self.dimension), dtype=np.float32)
        if not self._open() or int(rows.max()) >= self._rows or int(rows.min()) < 0:
            return None
        order = np.argsort(rows, kind="stable")
        ordered = rows[order]
        # one pread per run of consecutive rows (a speaker's sentences often sit together)
        starts = np.flatnonzero(np.diff(ordered, prepend=ordered[0] - 2) != 1)
        ends = np.append(starts[1:], len(ordered))
        chunks = []
        try:
            for lo, hi in zip(starts.tolist(), ends.tolist()):
                first, count = int(ordered[lo]), int(ordered[hi - 1] - ordered[lo] + 1)
                data = os.pread(self._fd, count * self._row_bytes, first * self._row_bytes)
                if len(data) != count * self._row_bytes:
                    return None
                block = np.frombuffer(data, dtype=np.float32).reshape(count, self.dimension)
                chunks.append(block[ordered[lo:hi] - first])
        except OSError:
            return None
        out = np.empty((len(rows), self.dimension), dtype=np.float32)
        out[order] = np.concatenate(chunks)
        return out

    def close(self) -> None:
        """Close the file; later reads find it "not there" (the caller is done with it)."""
        with self._lock:
            self._usable = False
            self._close_locked()

    def _close_locked(self) -> None:
        if self._fd is not None:
            try:
                os.close(self._fd)
            except OSError:
                pass
            self._fd = None


def remove_others(directory: Path, keep: str | None) -> None:
    """Delete the vector files in ``directory`` other than ``keep`` (earlier builds')."""
    try:
        for other in directory.glob(f"{PREFIX}*{SUFFIX}"):
            if other.name != keep:
                other.unlink(missing_ok=True)
    except OSError:
        pass
