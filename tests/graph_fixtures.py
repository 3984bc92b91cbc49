"""Shared, session-scoped builds of the bundled lists for the graph tests (imported by test modules)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from kdgraph.build import BuildResult, build
from kdgraph.sources import load_registry

REPO = Path(__file__).resolve().parents[1]
REGISTRY = REPO / "data" / "sources.toml"
B = "https://w3id.org/kdgraph/"


def iri(path: str) -> URIRef:
    return URIRef(B + path)


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    out = tmp_path_factory.mktemp("build") / "out"
    return build(load_registry(REGISTRY), out)


@pytest.fixture(scope="session")
def graph(built: BuildResult) -> Graph:
    return Graph().parse(built.out / "kdgraph.ttl", format="turtle")
