"""kdgraph.store: the embedded store, bulk-loaded in batches of whole N-Quads lines."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from kdgraph.errors import KdgraphError
from kdgraph.store import open_store, write_store


def _nquads(n: int) -> bytes:
    lines = []
    for i in range(n):
        graph = f"<https://example.org/graph/{i % 3}>"
        lines.append(f'<https://example.org/s{i}> <https://schema.org/name> "name {i} \\"quoted\\""@en '
                     f"{graph} .\n")
        lines.append(f"<https://example.org/s{i}> <https://schema.org/author> <https://example.org/p{i % 7}> "
                     f"{graph} .\n")
    return "".join(lines).encode("utf-8")


def _quads(store: ox.Store) -> list[str]:
    return sorted(str(q) for q in store)


@pytest.mark.parametrize(("n", "batch"), [(6, 1), (6, 150), (300, 8192), (300, 1 << 20)])
def test_batches_of_any_size_load_the_same_quads(tmp_path: Path, n: int, batch: int) -> None:
    """A batch smaller than a line (each line is loaded whole), a line and a half, many lines, all."""
    source = tmp_path / "data.nq"
    source.write_bytes(_nquads(n))
    write_store(source, tmp_path / "store", batch=batch)
    expected = ox.Store()
    expected.load(source.read_bytes(), format=ox.RdfFormat.N_QUADS)
    loaded = ox.Store.read_only(str(tmp_path / "store"))
    assert _quads(loaded) == _quads(expected)
    assert len(loaded) == 2 * n


def test_a_last_line_without_newline_is_loaded(tmp_path: Path) -> None:
    source = tmp_path / "data.nq"
    source.write_bytes(_nquads(10).rstrip(b"\n"))
    write_store(source, tmp_path / "store", batch=1000)
    assert len(ox.Store.read_only(str(tmp_path / "store"))) == 20


def test_writing_replaces_an_older_store(tmp_path: Path) -> None:
    source = tmp_path / "data.nq"
    source.write_bytes(_nquads(50))
    write_store(source, tmp_path / "store")
    source.write_bytes(_nquads(5))
    write_store(source, tmp_path / "store", batch=600)
    assert len(ox.Store.read_only(str(tmp_path / "store"))) == 10


def test_a_cancelled_load_stops_before_its_next_batch(tmp_path: Path) -> None:
    source = tmp_path / "data.nq"
    source.write_bytes(_nquads(100))
    asked: list[int] = []

    def cancelled() -> bool:
        asked.append(1)
        return len(asked) > 2  # two batches, then stop

    write_store(source, tmp_path / "store", batch=2000, cancelled=cancelled)
    loaded = len(ox.Store.read_only(str(tmp_path / "store")))
    assert 0 < loaded < 200
    assert len(asked) == 3


def test_bad_nquads_raise(tmp_path: Path) -> None:
    source = tmp_path / "data.nq"
    source.write_bytes(_nquads(5) + b"<https://example.org/s> not-a-term .\n")
    with pytest.raises(SyntaxError):
        write_store(source, tmp_path / "store", batch=100)


def test_opening_a_missing_store_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(KdgraphError, match="run `kdgraph build"):
        open_store(tmp_path)
