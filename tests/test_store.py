"""kdgraph.store: the embedded store, bulk-loaded in a thread batch by batch."""

from __future__ import annotations

import itertools
import threading
from pathlib import Path

import pyoxigraph as ox
import pytest

from kdgraph.errors import KdgraphError
from kdgraph.store import StoreWriter, open_store


def _nquads(n: int, start: int = 0) -> bytes:
    lines = []
    for i in range(start, start + n):
        graph = f"<https://example.org/graph/{i % 3}>"
        lines.append(f'<https://example.org/s{i}> <https://schema.org/name> "name {i} \\"quoted\\""@en '
                     f"{graph} .\n")
        lines.append(f"<https://example.org/s{i}> <https://schema.org/author> <https://example.org/p{i % 7}> "
                     f"{graph} .\n")
    return "".join(lines).encode("utf-8")


def _quads(store: ox.Store) -> list[str]:
    return sorted(str(q) for q in store)


def _write(target: Path, *batches: bytes) -> None:
    writer = StoreWriter(target)
    for batch in batches:
        writer.add(lambda batch=batch: batch)  # type: ignore[misc]
    writer.finish()


@pytest.mark.parametrize("cuts", [[], [0], [1], [3, 200, 201], list(range(0, 600, 50))])
def test_batches_load_the_same_quads_however_cut(tmp_path: Path, cuts: list[int]) -> None:
    text = _nquads(300)
    lines = text.splitlines(keepends=True)
    bounds = [0, *cuts, len(lines)]
    _write(tmp_path / "store", *(b"".join(lines[a:b]) for a, b in itertools.pairwise(bounds)))
    expected = ox.Store()
    expected.load(text, format=ox.RdfFormat.N_QUADS)
    loaded = ox.Store.read_only(str(tmp_path / "store"))
    assert _quads(loaded) == _quads(expected)
    assert len(loaded) == 600


def test_a_quad_in_two_batches_is_stored_once(tmp_path: Path) -> None:
    _write(tmp_path / "store", _nquads(10), _nquads(10, start=5))
    assert len(ox.Store.read_only(str(tmp_path / "store"))) == 30


def test_batches_are_made_in_the_thread_in_order(tmp_path: Path) -> None:
    made: list[tuple[int, str]] = []
    writer = StoreWriter(tmp_path / "store")
    for i in range(3):
        def batch(i: int = i) -> bytes:
            made.append((i, threading.current_thread().name))
            return _nquads(2, start=2 * i)
        writer.add(batch)
    writer.finish()
    assert made == [(0, "kdgraph-store"), (1, "kdgraph-store"), (2, "kdgraph-store")]
    assert len(ox.Store.read_only(str(tmp_path / "store"))) == 12


def test_writing_replaces_an_older_store(tmp_path: Path) -> None:
    _write(tmp_path / "store", _nquads(50))
    _write(tmp_path / "store", _nquads(5))
    assert len(ox.Store.read_only(str(tmp_path / "store"))) == 10


def test_a_cancelled_writer_loads_no_further_batch(tmp_path: Path) -> None:
    started, release = threading.Event(), threading.Event()
    made: list[int] = []

    def first() -> bytes:
        started.set()
        release.wait()
        made.append(1)
        return _nquads(5)

    def later() -> bytes:
        made.append(2)
        return _nquads(5, start=5)

    writer = StoreWriter(tmp_path / "store")
    writer.add(first)
    writer.add(later)
    started.wait()
    cancel = threading.Thread(target=writer.cancel)
    cancel.start()
    while not writer._cancelled.is_set():  # cancel() has asked before the first batch ends
        pass
    release.set()
    cancel.join()
    assert made == [1]


def test_bad_nquads_raise_from_finish_and_later_batches_are_not_made(tmp_path: Path) -> None:
    made: list[int] = []
    writer = StoreWriter(tmp_path / "store")
    writer.add(lambda: _nquads(5) + b"<https://example.org/s> not-a-term .\n")
    writer.add(lambda: made.append(1) or _nquads(1))  # type: ignore[func-returns-value]
    with pytest.raises(SyntaxError):
        writer.finish()
    assert made == []


def test_an_error_making_a_batch_raises_from_finish(tmp_path: Path) -> None:
    def broken() -> bytes:
        raise OSError(28, "No space left on device")

    writer = StoreWriter(tmp_path / "store")
    writer.add(broken)
    with pytest.raises(OSError, match="No space left"):
        writer.finish()
    writer.cancel()  # after finish: returns at once


def test_without_a_target_the_store_is_in_memory_and_handed_over() -> None:
    writer = StoreWriter()
    writer.add(lambda: _nquads(20))
    writer.add(lambda: _nquads(20, start=10))
    store = writer.finish()
    assert len(store) == 60
    assert "<https://example.org/s29>" in {str(q.subject) for q in store}
    writer.cancel()  # after finish: nothing left to stop
    assert len(store) == 60


def test_a_cancelled_store_is_not_handed_over(tmp_path: Path) -> None:
    writer = StoreWriter(tmp_path / "store")
    writer.add(lambda: _nquads(5))
    writer.cancel()
    with pytest.raises(RuntimeError, match="cancelled"):
        writer.finish()


def test_opening_a_missing_store_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(KdgraphError, match="run `kdgraph build"):
        open_store(tmp_path)
