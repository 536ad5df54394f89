"""The vector file beside the saved BM25 index (bot.vector_file): rows read back exactly,
and anything wrong with the file reads as "not there", never as wrong vectors."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.vector_file import VectorFile, VectorWriter, new_name, remove_others

DIM = 8


def written(directory, matrix: np.ndarray, pages: int = 3) -> VectorFile:
    writer = VectorWriter(directory, new_name("layout"))
    for part in np.array_split(matrix, pages):
        writer.append(part)
    assert writer.commit() and writer.rows == len(matrix)
    return VectorFile(writer.path, DIM)


@settings(max_examples=60)
@given(rows=st.lists(st.integers(0, 49), max_size=80))
def test_any_rows_in_any_order_read_back_exactly(tmp_path_factory, rows):
    matrix = np.random.default_rng(7).standard_normal((50, DIM)).astype(np.float32)
    vectors = written(tmp_path_factory.mktemp("vectors"), matrix)
    got = vectors.read(np.asarray(rows, dtype=np.int64))
    assert got.shape == (len(rows), DIM) and np.array_equal(got, matrix[rows])
    vectors.close()


def test_a_missing_short_or_odd_sized_file_reads_as_not_there(tmp_path):
    matrix = np.arange(10 * DIM, dtype=np.float32).reshape(10, DIM)
    vectors = written(tmp_path, matrix)
    assert vectors.read(np.array([10])) is None  # past the end
    assert vectors.read(np.array([-1])) is None
    path = vectors.path
    vectors.close()
    path.write_bytes(path.read_bytes()[:-3])  # not whole rows
    assert VectorFile(path, DIM).read(np.array([0])) is None
    path.write_bytes(np.zeros((5, DIM), dtype=np.float32).tobytes())  # shorter than the rows asked for
    assert VectorFile(path, DIM).read(np.array([7])) is None
    path.unlink()
    assert VectorFile(path, DIM).read(np.array([0])) is None
    closed = written(tmp_path, matrix)
    assert closed.read(np.array([1])) is not None
    closed.close()
    assert closed.read(np.array([1])) is None  # closed: not there, never another file's bytes
    assert VectorFile(path, DIM).read(np.array([], dtype=np.int64)).shape == (0, DIM)


def test_a_writer_that_cannot_write_leaves_no_file(tmp_path):
    not_a_directory = tmp_path / "file"
    not_a_directory.write_bytes(b"")
    writer = VectorWriter(not_a_directory, new_name("layout"))
    writer.append(np.ones((3, DIM), dtype=np.float32))
    assert writer.broken and not writer.commit()
    assert [p.name for p in tmp_path.iterdir() if p.name != "home"] == ["file"]


def test_a_failed_write_is_not_committed(tmp_path):
    tmp_path = tmp_path / "index"
    writer = VectorWriter(tmp_path, new_name("layout"))
    writer.append(np.ones((3, DIM), dtype=np.float32))

    class Full:
        def write(self, data):
            raise OSError(28, "No space left on device")

        def close(self):
            pass

    real = writer._fh
    writer._fh = Full()
    writer.append(np.ones((3, DIM), dtype=np.float32))
    real.close()
    assert writer.broken and not writer.commit()
    assert not list(tmp_path.iterdir())


def test_only_the_current_file_is_kept(tmp_path):
    tmp_path = tmp_path / "index"
    old = written(tmp_path, np.ones((2, DIM), dtype=np.float32))
    new = written(tmp_path, np.zeros((2, DIM), dtype=np.float32))
    (tmp_path / "lexical-x.npz").write_bytes(b"index")
    remove_others(tmp_path, new.path.name)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([new.path.name, "lexical-x.npz"])
    assert not old.path.exists()
