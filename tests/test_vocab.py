"""Every vocabulary term kdgraph uses exists: schema.org terms in schema.org, BIBO terms in BIBO, and
``kd:`` terms in ``ontology/kdgraph.ttl``; and ``kdgraph.vocab`` agrees with the ontology.

The scan covers the Turtle of ``ontology/`` and ``shapes/`` (IRIs, and prefixed names inside SPARQL
strings) and the Python of ``src/kdgraph/`` (``SDO.x``/``BIBO.x``/``KD.x`` attributes, ``SDO["x"]``
items, and written-out IRIs). Each check asserts that it saw terms, so a broken scan cannot pass.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SDO

from kdgraph import vocab
from kdgraph.paths import project_file
from kdgraph.vocab import BIBO, CODEMETA, KD

ROOT = Path(__file__).resolve().parents[1]
TURTLE = sorted([*(ROOT / "ontology").glob("*.ttl"), *(ROOT / "shapes").glob("*.ttl")])
PYTHON = sorted((ROOT / "src" / "kdgraph").rglob("*.py"))
BIBO_TTL = Path(__file__).resolve().parent / "data" / "bibo.ttl"
KDGRAPH_TTL = ROOT / "ontology" / "kdgraph.ttl"

NAMESPACES = {
    "schema": str(SDO),
    "bibo": "http://purl.org/ontology/bibo/",
    "kd": "https://w3id.org/kdgraph/ontology#",
    "codemeta": "https://codemeta.github.io/terms/",
}
# Python names under which each namespace is used in src/kdgraph.
PYTHON_NAMES = {"schema": ("SDO",), "bibo": ("BIBO",), "kd": ("KD",), "codemeta": ("CODEMETA",)}
# Where each term was seen, for readable failures: {prefix: {term: {"file:line", ...}}}
Uses = dict[str, dict[str, set[str]]]


def _local(iri: str, namespace: str) -> str | None:
    if iri.startswith(namespace):
        rest = iri[len(namespace):]
        if rest and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_-]*", rest):
            return rest
    return None


def scan_turtle(paths: list[Path]) -> Uses:
    uses: Uses = defaultdict(lambda: defaultdict(set))
    for path in paths:
        graph = Graph().parse(path, format="turtle")
        for node in graph.all_nodes():
            if isinstance(node, URIRef):
                for prefix, ns in NAMESPACES.items():
                    term = _local(str(node), ns)
                    if term:
                        uses[prefix][term].add(path.name)
            elif isinstance(node, Literal) and ("SELECT" in node or "ASK" in node):
                for prefix in NAMESPACES:
                    for term in re.findall(rf"\b{prefix}:([A-Za-z_][A-Za-z0-9_]*)", str(node)):
                        uses[prefix][term].add(f"{path.name} (SPARQL)")
    return uses


def scan_python(paths: list[Path]) -> Uses:
    uses: Uses = defaultdict(lambda: defaultdict(set))
    for path in paths:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            where = f"{path.relative_to(ROOT)}:{n}"
            for prefix, names in PYTHON_NAMES.items():
                for name in names:
                    pattern = rf"(?<![\w.]){name}(?:\.([A-Za-z_]\w*)|\[\s*[\"']([^\"']+)[\"']\s*\])"
                    for attr, item in re.findall(pattern, line):
                        term = attr or item
                        if not term.startswith("_"):
                            uses[prefix][term].add(where)
                ns = re.escape(NAMESPACES[prefix])
                for term in re.findall(rf"{ns}([A-Za-z_][A-Za-z0-9_]*)", line):
                    uses[prefix][term].add(where)
    return uses


def merged(*scans: Uses) -> Uses:
    out: Uses = defaultdict(lambda: defaultdict(set))
    for scan in scans:
        for prefix, terms in scan.items():
            for term, where in terms.items():
                out[prefix][term] |= where
    return out


# Methods and attributes of rdflib's Namespace / DefinedNamespace classes, not vocabulary terms.
_NOT_TERMS = {"as_jsonld_context", "term", "uri", "title"}


@pytest.fixture(scope="module")
def uses() -> Uses:
    return merged(scan_turtle(TURTLE), scan_python(PYTHON))


@pytest.fixture(scope="module")
def bibo_terms() -> set[str]:
    graph = Graph().parse(BIBO_TTL, format="turtle")
    declared = set()
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty,
                 RDF.Property, RDFS.Class, OWL.NamedIndividual):
        for s in graph.subjects(RDF.type, kind):
            term = _local(str(s), NAMESPACES["bibo"])
            if term:
                declared.add(term)
    assert len(declared) > 100, "tests/data/bibo.ttl looks truncated"
    return declared


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(KDGRAPH_TTL, format="turtle")


def declared_kd_terms(ontology: Graph) -> set[str]:
    return {term for s in set(ontology.subjects(RDF.type, None))
            if (term := _local(str(s), NAMESPACES["kd"]))}


def test_scan_sees_the_files() -> None:
    assert len(TURTLE) >= 5, TURTLE
    assert any(p.name == "vocab.py" for p in PYTHON)


def test_schema_org_terms_exist(uses: Uses) -> None:
    terms = {t: w for t, w in uses["schema"].items() if t not in _NOT_TERMS}
    missing = {t: sorted(w) for t, w in terms.items() if t not in SDO}
    assert not missing, f"not in schema.org (rdflib SDO): {missing}"
    assert len(terms) > 20


def test_no_http_schema_org() -> None:
    """schema.org is used in its https form (rdflib's SDO) only, never http://schema.org/."""
    for path in [*TURTLE, *PYTHON]:
        assert "http://schema.org/" not in path.read_text(encoding="utf-8"), path


def test_bibo_terms_exist(uses: Uses, bibo_terms: set[str]) -> None:
    terms = {t: w for t, w in uses["bibo"].items() if t not in _NOT_TERMS}
    missing = {t: sorted(w) for t, w in terms.items() if t not in bibo_terms}
    assert not missing, f"not in BIBO: {missing}"
    assert len(terms) >= 5


def test_bibo_namespace_class_terms_exist(bibo_terms: set[str]) -> None:
    listed = set(BIBO.__annotations__)
    assert listed, "BIBO lists no terms"
    assert listed <= bibo_terms, listed - bibo_terms


def test_kd_terms_used_are_declared(uses: Uses, ontology: Graph) -> None:
    declared = declared_kd_terms(ontology)
    used = {t: w for t, w in uses["kd"].items() if t not in _NOT_TERMS}
    missing = {t: sorted(w) for t, w in used.items() if t not in declared}
    assert not missing, f"kd: terms used but not declared in ontology/kdgraph.ttl: {missing}"
    assert len(used) > 5
    for term in used:
        iri = URIRef(NAMESPACES["kd"] + term)
        assert ontology.value(iri, RDFS.label) is not None, f"kd:{term} has no rdfs:label"
        assert ontology.value(iri, RDFS.comment) is not None, f"kd:{term} has no rdfs:comment"


def test_kd_namespace_equals_ontology(ontology: Graph) -> None:
    declared = declared_kd_terms(ontology)
    assert declared, "ontology/kdgraph.ttl declares no kd: term"
    assert set(KD.__annotations__) == declared


def test_codemeta_terms_are_listed(uses: Uses) -> None:
    used = {t for t in uses["codemeta"] if t not in _NOT_TERMS}
    assert used, "no codemeta term seen"
    assert used <= set(CODEMETA.__annotations__), used - set(CODEMETA.__annotations__)


def test_defined_namespaces_fail_on_unknown_terms() -> None:
    for namespace in (BIBO, CODEMETA, KD):
        with pytest.raises(AttributeError):
            _ = namespace.noSuchTerm
    assert str(KD.code) == "https://w3id.org/kdgraph/ontology#code"
    assert str(BIBO.authorList) == "http://purl.org/ontology/bibo/authorList"
    assert str(CODEMETA.referencePublication) == "https://codemeta.github.io/terms/referencePublication"


def test_vocab_constants() -> None:
    assert vocab.DEFAULT_BASE == "https://w3id.org/kdgraph/"
    assert str(KD) == vocab.KD_NAMESPACE
    assert vocab.PREFIXES["kd"] == str(KD)
    assert vocab.PREFIXES["schema"] == "https://schema.org/"
    assert str(vocab.ONTOLOGY_IRI) == "https://w3id.org/kdgraph/ontology"


@pytest.mark.parametrize("name", ["kdgraph.ttl", "topics.ttl", "frameworks.ttl"])
def test_ontology_file(name: str) -> None:
    path = project_file("ontology", name)
    assert path.is_file() and path.name == name and path.parent.name == "ontology"


def test_project_file_errors() -> None:
    with pytest.raises(FileNotFoundError, match=r"topics\.ttl"):
        project_file("ontology", "no-such-file.ttl")
    with pytest.raises(ValueError):
        project_file("ontology", "../pyproject.toml")
    assert project_file("shapes", "paper.ttl").is_file()
