"""N-Triples text terms: the same text rdflib and pyoxigraph give for the same term, and back."""

from __future__ import annotations

import pyoxigraph as ox
from hypothesis import given
from hypothesis import strategies as st
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.plugins.serializers.nt import _quoteLiteral

from kdgraph import ntriples as nt
from kdgraph.publish import nquads

TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)
TAGS = st.sampled_from(["en", "de", "en-GB"])
TYPES = st.sampled_from([str(XSD.gYear), str(XSD.integer), str(XSD.positiveInteger), str(XSD.decimal),
                         "https://example.org/type"])


def rdflib_text(term: Literal) -> str:
    return _quoteLiteral(term)


@given(TEXT)
def test_plain_literal_is_written_as_rdflib_writes_it(text: str) -> None:
    term = Literal(text)
    assert nt.literal(text) == rdflib_text(term) == nt.from_rdflib(term)
    assert nt.to_rdflib(nt.literal(text)) == term
    assert nt.value(nt.literal(text)) == text


@given(TEXT, TAGS)
def test_language_literal_round_trips(text: str, tag: str) -> None:
    term = Literal(text, lang=tag)
    assert nt.literal(text, lang=tag) == rdflib_text(term)
    assert nt.literal_parts(nt.literal(text, lang=tag)) == (text, None, tag)


@given(st.from_regex(r"[1-9][0-9]{0,5}", fullmatch=True), TYPES)
def test_typed_literal_round_trips(lexical: str, datatype: str) -> None:
    term = nt.literal(lexical, datatype)
    assert nt.literal_parts(term) == (lexical, datatype, None)
    assert nt.to_rdflib(term) == Literal(lexical, datatype=URIRef(datatype))


@given(TEXT)
def test_pyoxigraph_reads_the_text_back(text: str) -> None:
    line = f"<https://example.org/s> <https://example.org/p> {nt.literal(text, lang='en')} .\n"
    (triple,) = ox.parse(line.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    assert triple.object.value == text
    assert nt.from_oxigraph(triple.object) == nt.literal(text, lang="en")


def test_iris_and_blank_nodes() -> None:
    assert nt.from_rdflib(URIRef("https://example.org/a")) == "<https://example.org/a>"
    assert nt.to_rdflib("<https://example.org/a>") == URIRef("https://example.org/a")
    assert nt.from_rdflib(BNode("b1")) == "_:b1"
    assert nt.is_iri("<x>") and nt.is_literal('"x"') and nt.is_bnode("_:x")
    assert nt.value("<https://example.org/a>") == "https://example.org/a"
    assert nt.from_oxigraph(ox.NamedNode("https://example.org/a")) == "<https://example.org/a>"
    assert nt.from_oxigraph(ox.Literal("5", datatype=ox.NamedNode(str(XSD.integer)))) == nt.integer(5)
    assert nt.boolean(True) == rdflib_text(Literal(True))
    assert nt.integer(7, str(XSD.positiveInteger)) == rdflib_text(
        Literal(7, datatype=XSD.positiveInteger))


@given(st.lists(st.tuples(st.sampled_from(["<a>", "<a/b>", "<a#c>", "<ab>"]),
                          st.sampled_from(["<p>", "<p2>"]),
                          st.one_of(TEXT.map(nt.literal), TEXT.map(lambda t: nt.literal(t, lang="en")),
                                    st.sampled_from(["<a>", "<o>", "<o/x>"])),
                          st.sampled_from(["<g>", "<g/1>"])), max_size=30, unique=True))
def test_quads_in_tuple_order_are_lines_in_text_order(quads: list[nt.Quad]) -> None:
    """The build sorts quads as tuples and writes them in that order: the lines come out sorted."""
    lines = nquads(sorted(quads)).decode("utf-8").split("\n")[:-1]
    assert lines == sorted(lines)
