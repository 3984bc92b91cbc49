"""kdgraph.mapping: the statements handed on in batches while the lists are mapped."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

import kdgraph.mapping as mapping
from graph_fixtures import REGISTRY
from kdgraph.extract import extract_all
from kdgraph.mapping import map_graph
from kdgraph.reconcile import reconcile
from kdgraph.sources import load_registry
from kdgraph.store import Batch
from kdgraph.uris import Minter


def _quad_text(quad: tuple[str, str, str, str]) -> str:
    return " ".join(quad) + " ."


@pytest.mark.parametrize("size", [1000, 1 << 30])
def test_batches_hold_every_quad_mapped(monkeypatch: pytest.MonkeyPatch, size: int) -> None:
    extractions, errors = extract_all(load_registry(REGISTRY), workers=1)
    assert not errors
    monkeypatch.setattr(mapping, "BATCH_QUADS", size)
    batches: list[Batch] = []
    mapped = map_graph(extractions, reconcile(extractions), Minter(), batches=batches.append)
    assert len(batches) == 1 if size > len(mapped.quads) else len(batches) > len(mapped.quads) // size
    texts = [batch() for batch in batches]
    lines = [line for text in texts for line in text.decode().splitlines()]
    assert set(lines) == {_quad_text(q) for q in mapped.quads}  # as the dump writes them
    assert len(lines) >= len(mapped.quads)
    fed, dumped = ox.Store(), ox.Store()
    for text in texts:
        fed.load(text, format=ox.RdfFormat.N_QUADS)
    dumped.load("\n".join(map(_quad_text, mapped.quads)), format=ox.RdfFormat.N_QUADS)
    assert len(fed) == len(dumped) == len(mapped.quads)

def test_mapping_with_or_without_batches_gives_the_same_graph() -> None:
    extractions, _ = extract_all(load_registry(REGISTRY), workers=1)
    reconciled = reconcile(extractions)
    plain = map_graph(extractions, reconciled, Minter())
    fed = map_graph(extractions, reconciled, Minter(), batches=lambda _: None)
    assert fed.quads == plain.quads
    assert fed.origins == plain.origins
