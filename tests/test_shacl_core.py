"""The SHACL Core engine on term strings: literal normalization and the datatype fast paths against
rdflib and pySHACL, and what the SPARQL constraints' in-memory store is loaded with."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal
from rdflib.namespace import XSD

from kdgraph import ntriples as nt
from kdgraph import shacl_core
from kdgraph.shacl_core import FAST_DATATYPES, DataIndex, ill_typed_form, normalize_term
from kdgraph.validate import Report, _plan, load_shapes, memory_store, query_predicates, validate_graph

CASES = sorted((Path(__file__).parent / "shapes").glob("*/*.ttl"))
EX = "https://example.org/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
SCHEMA = "https://schema.org/"

# Lexical forms on both sides of each fast path's edge: canonical and not, signs, zeros, spaces, other
# scripts' digits (Python's int() reads them), long numbers, case variants, dates, text with escapes.
FORMS = [
    "0", "1", "7", "-1", "+1", "01", "-0", "+0", "007", "10", "1.0", "1.", ".5", "1e3", " 1", "1 ", "",
    "abc", "9" * 18, "9" * 19, "-" + "9" * 18, "9" * 30, "1" * 5000, "\u0661\u0662", "\uff11", "١",
    "true", "false", "TRUE", "True", "FALSE", "yes", "no", "t",
    "2020", "0000", "-2020", "20200", "202", "2020Z", "2020+01:00", "2020-01", "2020-01-01",
    "2020-13-01", "2020-1-1", "2020-01-01Z", "\u0662\u0660\u0662\u0660",
    "line\nbreak", 'quo"te', "back\\slash", "tab\there", "é",
]
XSD_ = str(XSD)
DATATYPES = [XSD_ + t for t in ("integer", "positiveInteger", "nonNegativeInteger", "gYear", "boolean",
                                "string", "date", "decimal", "anyURI", "dateTime")] + [EX + "type"]


def rdflib_view(term: str) -> tuple[str, bool]:
    """The term as rdflib makes it when it parses it (language tag lower-cased; an ill-typed one in the
    engine's form for those), and whether rdflib holds it ill-typed."""
    lit = nt.to_rdflib(term)
    assert isinstance(lit, Literal)
    text = nt.from_rdflib(lit)
    if lit.language:
        end = text.rindex('"')
        text = text[:end + 2] + text[end + 2:].lower()
    ill = getattr(lit, "ill_typed", None) is True
    if ill:
        ill_form = ill_typed_form(text)
        assert nt.literal_parts(ill_form) == nt.literal_parts(text)
        return ill_form, True
    return text, False


def typed(form: str, datatype: str) -> str:
    return nt.literal(form, datatype)


def all_terms() -> Iterator[str]:
    for form in FORMS:
        yield nt.literal(form)
        yield nt.literal(form, lang="en")
        yield nt.literal(form, lang="EN-gb")
        for datatype in DATATYPES:
            yield typed(form, datatype)


@pytest.mark.filterwarnings("ignore")
def test_normalize_term_is_what_rdflib_makes_of_a_term() -> None:
    checked = 0
    for term in all_terms():
        assert normalize_term(term) == rdflib_view(term), term
        checked += 1
    assert checked > 500
    assert normalize_term(typed("+7", XSD_ + "integer")) == (typed("7", XSD_ + "integer"), False)
    assert normalize_term(typed("yes", XSD_ + "boolean")) == (
        "\"\\u0066alse\"^^<http://www.w3.org/2001/XMLSchema#boolean>", True)
    assert normalize_term('"x"@EN') == ('"x"@en', False)
    assert normalize_term("<https://example.org/a>") == ("<https://example.org/a>", False)


@pytest.mark.filterwarnings("ignore")
def test_fast_paths_agree_with_rdflib(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every fast path (datatype well-formedness, sh:minInclusive on integers) gives rdflib's answer."""
    bounds = [Literal(0), Literal(1), Literal(-3), Literal(5, datatype=XSD.positiveInteger),
              Literal("2", datatype=XSD.decimal), Literal(2.5)]
    terms = [normalize_term(t)[0] for t in all_terms()]
    fast = {t: shacl_core._well_typed(t, nt.literal_parts(t)[1] or "") for t in terms
            if nt.literal_parts(t)[1]}
    minimum = {(t, str(b)): shacl_core._min_inclusive(t, b) for t in terms for b in bounds}
    assert sum(1 for t in fast if nt.literal_parts(t)[1] in FAST_DATATYPES) > 200
    monkeypatch.setattr(shacl_core, "FAST_DATATYPES", {})
    monkeypatch.setattr(shacl_core, "_INTEGERS", set())
    for t, ok in fast.items():
        assert shacl_core._well_typed(t, nt.literal_parts(t)[1] or "") == ok, t
    for (t, b), ok in minimum.items():
        assert shacl_core._min_inclusive(t, next(x for x in bounds if str(x) == b)) == ok, (t, b)


NUMBERISH = st.text(st.sampled_from("0123456789+-. eEtrufalsTRUF:Z\u0661"), max_size=12)


@settings(max_examples=300, deadline=None)
@given(NUMBERISH, st.sampled_from(DATATYPES[:8]))
@pytest.mark.filterwarnings("ignore")
def test_fast_paths_agree_with_rdflib_on_random_forms(form: str, datatype: str) -> None:
    term = typed(form, datatype)
    norm, ill = normalize_term(term)
    assert (norm, ill) == rdflib_view(term)
    lit = nt.to_rdflib(norm)
    slow = getattr(lit, "ill_typed", None) is not True and shacl_core._actual(lit, datatype)
    assert shacl_core._well_typed(norm, datatype) == slow
    for bound in (Literal(0), Literal(1)):
        assert shacl_core._min_inclusive(norm, bound) == shacl_core._min_inclusive_rdflib(norm, bound)


DATATYPE_SHAPES = f"""
@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix xsd: <{XSD_}> .
<{EX}Thing> a sh:NodeShape ; sh:targetSubjectsOf <{EX}p> ;
""" + " ;\n".join(
    f'  sh:property [ sh:path <{EX}p> ; sh:datatype <{d}> ; sh:message "not {d}" ]' for d in DATATYPES
) + """ ;
  sh:property [ sh:path <https://example.org/p> ; sh:minInclusive 1 ; sh:message "below 1" ] ;
  sh:property [ sh:path <https://example.org/p> ; sh:in ( 1 "1" "x"@en ) ; sh:message "not listed" ] .
"""


@pytest.mark.filterwarnings("ignore")
def test_literal_checks_equal_pyshacl_on_many_forms() -> None:
    """sh:datatype, sh:minInclusive and sh:in on every form and datatype, as strings and as a graph."""
    shapes = Graph().parse(data=DATATYPE_SHAPES, format="turtle")
    triples = sorted({(f"<{EX}n{i}>", f"<{EX}p>", t) for i, t in enumerate(all_terms())})
    graph = Graph()
    for s, p, o in triples:
        graph.add((nt.to_rdflib(s), nt.to_rdflib(p), nt.to_rdflib(o)))

    def key(report: Report) -> list[tuple[str, str, str, str, str]]:
        return sorted((f.severity, f.focus, f.path or "", f.message, f.value or "") for f in report.findings)

    reference = key(validate_graph(graph, shapes=shapes, engine="pyshacl"))
    assert len(reference) > 1000
    assert key(validate_graph(triples, shapes=shapes)) == reference
    assert key(validate_graph(graph, shapes=shapes)) == reference


def test_index_normalizes_and_deduplicates() -> None:
    seven, plus_seven = typed("7", XSD_ + "integer"), typed("+7", XSD_ + "integer")
    triples = [("<a:s>", "<a:p>", plus_seven), ("<a:s>", "<a:p>", seven),
               ("<a:s>", "<a:q>", '"x"@EN'), ("<a:s>", "<a:q>", '"x"@EN')]
    index = DataIndex(triples)
    assert index.changed
    assert index.objects("<a:s>", "<a:p>") == [typed("7", XSD_ + "integer")]
    assert index.objects("<a:s>", "<a:q>") == ['"x"@en']
    plain = DataIndex([("<a:s>", "<a:p>", typed("7", XSD_ + "integer")), ("<a:s>", "<a:q>", '"x"@en')])
    assert not plain.changed



EVERY_KIND_SHAPES = f"""
@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix xsd: <{XSD_}> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix ex: <{EX}> .
ex:A a sh:NodeShape ; sh:targetClass ex:C ; sh:nodeKind sh:IRI ; sh:message "A: an IRI" ;
  sh:property [ sh:path ex:p ; sh:minCount 2 ; sh:message "p: two" ] ;
  sh:property [ sh:path ex:p ; sh:maxCount 2 ; sh:message "p: two at most" ] ;
  sh:property [ sh:path ex:q ; sh:maxCount 0 ; sh:message "q: none" ] ;
  sh:property [ sh:path ex:p ; sh:hasValue ex:v1 ; sh:message "p: v1" ] ;
  sh:property [ sh:path ex:l ; sh:uniqueLang true ; sh:message "l: one per language" ] ;
  sh:property [ sh:path ex:p ; sh:equals ex:q ; sh:message "p: as q" ] ;
  sh:property [ sh:path [ sh:inversePath ex:p ] ; sh:minCount 1 ; sh:message "^p: one" ] ;
  sh:property [ sh:path [ sh:inversePath ex:r ] ; sh:maxCount 1 ; sh:class ex:C ; sh:message "^r" ] ;
  sh:property [ sh:path ex:l ; sh:minLength 2 ; sh:maxLength 3 ; sh:message "l: length" ] ;
  sh:property [ sh:path ex:l ; sh:pattern "^a" ; sh:flags "i" ; sh:message "l: a first" ] ;
  sh:property [ sh:path ex:l ; sh:datatype xsd:string ; sh:message "l: a string" ] ;
  sh:property [ sh:path ex:p ; sh:nodeKind sh:BlankNodeOrLiteral ; sh:message "p: kind" ] ;
  sh:property [ sh:path ex:n ; sh:datatype xsd:integer ; sh:minInclusive 2 ; sh:message "n: int" ] ;
  sh:property [ sh:path ex:p ; sh:in ( ex:v1 ex:v2 "x" ) ; sh:message "p: listed" ] ;
  sh:property [ sh:path ex:p ; sh:or ( [ sh:class ex:C ] [ sh:nodeKind sh:Literal ] ) ;
                sh:message "p: or" ] ;
  sh:property [ sh:path ex:r ; sh:message "r: xone" ; sh:xone ( [ sh:class ex:C ] [ sh:class ex:D ]
                [ sh:property [ sh:path ex:p ; sh:minCount 1 ] ] ) ] .
ex:B a sh:NodeShape ; sh:targetSubjectsOf ex:r ; sh:targetNode ex:n3, "lit" ; sh:class ex:D ;
  sh:message "B: a D" ; sh:property [ sh:path ex:p ; sh:minCount 1 ; sh:message "B: p" ] .
ex:E a sh:NodeShape ; sh:targetObjectsOf ex:p ; sh:nodeKind sh:IRI ; sh:message "E: an IRI" ;
  sh:property [ sh:path ex:l ; sh:minCount 1 ; sh:deactivated true ; sh:message "E: off" ] .
ex:D a rdfs:Class, sh:NodeShape ; sh:property [ sh:path ex:q ; sh:minCount 1 ; sh:message "D: q" ] .
ex:Sub rdfs:subClassOf ex:C .
"""


def _every_kind_data(seed: int) -> list[tuple[str, str, str]]:
    """Random triples for EVERY_KIND_SHAPES: typed and untyped nodes, blank nodes, literals of every
    kind (tags in both cases, a non-canonical and an ill-typed integer, escapes), some given twice, and
    a node with one language twice."""
    rng = random.Random(seed)
    nodes = [f"<{EX}n{i}>" for i in range(12)] + ["_:b1", "_:b2"]
    values = [*nodes, f"<{EX}v1>", f"<{EX}v2>", '"x"', '"y"', '"X"@en', '"ab"@EN', '"abc"@en', '"a\\nb"',
              '"Ab"@en-GB', '"abcd"', typed("3", XSD_ + "integer"), typed("+3", XSD_ + "integer"),
              typed("1", XSD_ + "integer"), typed("x", XSD_ + "integer"), '"2"']
    triples = [(s, f"<{RDF}type>", rng.choice([f"<{EX}C>", f"<{EX}Sub>", f"<{EX}D>"]))
               for s in nodes[:12] if rng.random() < 0.6]
    triples += [(rng.choice(nodes[:12]), f"<{EX}{rng.choice('pqlrn')}>", rng.choice(values))
                for _ in range(rng.randint(5, 60))]
    lang = rng.choice(nodes[:12])  # a language twice, in two cases
    triples += [(lang, f"<{RDF}type>", f"<{EX}C>"), (lang, f"<{EX}l>", '"x"@en'),
                (lang, f"<{EX}l>", '"y"@EN')]
    return triples + triples[:5] if rng.random() < 0.5 else triples


@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("seed", range(8))
def test_every_constraint_kind_equals_pyshacl(seed: int) -> None:
    """Each constraint the engine knows, counted, compared, on inverse paths, in sh:or and sh:xone."""
    shapes = Graph().parse(data=EVERY_KIND_SHAPES, format="turtle")
    triples = _every_kind_data(seed)
    graph = Graph()
    for s, p, o in triples:
        graph.add((nt.to_rdflib(s), nt.to_rdflib(p), nt.to_rdflib(o)))

    def key(report: Report) -> list[tuple[str, str, str, str, str]]:
        return sorted((f.severity, f.focus, f.path or "", f.message, f.value or "") for f in report.findings)

    assert shacl_core.core_findings(triples, shapes, graph.namespace_manager) is not None
    reference = key(validate_graph(graph, shapes=shapes, engine="pyshacl"))
    assert key(validate_graph(triples, shapes=shapes)) == reference
    assert key(validate_graph(graph, shapes=shapes)) == reference


# ------------------------------------------------------------------------ the SPARQL constraints' store


def test_the_shapes_queries_have_known_predicates_but_those_of_author_list_members() -> None:
    shapes = load_shapes()
    triples = [t for case in CASES for t in _case_triples(case)]
    planned = _plan(DataIndex(triples), shapes, Graph().namespace_manager)
    unknown = [c for c in planned if query_predicates(c.query) is None]
    # the members of an rdf:Seq author list are found with a variable predicate: ?list ?member ?value
    assert {str(c.shape).rsplit("#", 1)[-1] for c in unknown} == {"Paper-author-listed",
                                                                   "AuthorListMembersShape"}
    assert all(" ?member ?value" in c.query for c in unknown)
    assert len(planned) - len(unknown) >= 15
    found = {str(c.shape).rsplit("#", 1)[-1]: query_predicates(c.query) for c in planned}
    assert found["Identifier-arxiv"] == {SCHEMA + "propertyID", SCHEMA + "value"}
    assert found["Paper-datePublished-event"] == {SCHEMA + "datePublished", "http://purl.org/ontology/bibo/presentedAt",
                                                  SCHEMA + "startDate"}
    assert found["IdentifierOrphanShape"] == {SCHEMA + "identifier"}


PROLOGUE = "PREFIX s: <https://schema.org/>\nPREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\n"


@pytest.mark.parametrize(("body", "expected"), [
    ("SELECT ?this WHERE { ?this s:name ?n }", {"name"}),
    ("SELECT ?this WHERE { ?this a s:Thing ; s:name ?n , ?m . ?n s:url ?u }", {"type", "name", "url"}),
    ("SELECT ?this WHERE { ?this s:a/^s:b ?x . ?x (s:c|s:d)* ?y ; s:e+ ?z ; s:f? ?w }",
     {"a", "b", "c", "d", "e", "f"}),
    ("SELECT ?this WHERE { ?this s:a [ s:b ?x ; s:c [ s:d 1.5 ] ] . }", {"a", "b", "c", "d"}),
    ("SELECT ?this WHERE { ?this s:a ( 1 ?x \"y\"@en ) }", {"a", "first", "rest"}),
    ("SELECT ?this (COUNT(?x) AS ?n) WHERE { ?this s:a ?x . FILTER (?x != \"{ ?a ?b ?c }\") "
     "OPTIONAL { ?x s:b ?y } MINUS { ?x s:c ?z } { ?x s:d ?w } UNION { ?x s:e ?w } "
     "BIND (EXISTS { ?x s:f ?v } AS ?e) FILTER NOT EXISTS { ?x s:g ?v } VALUES ?q { 1 2 } "
     "} GROUP BY ?this HAVING (COUNT(?x) > 1) # ?this ?p ?o in a comment",
     {"a", "b", "c", "d", "e", "f", "g"}),
    ("SELECT ?this WHERE { { SELECT ?this WHERE { ?this s:a ?x } GROUP BY ?this } ?this s:b 2 . }",
     {"a", "b"}),
    ("SELECT ?this WHERE { ?this s:a ?x FILTER (STRSTARTS(STR(?x), STR(rdf:))) FILTER regex(?x, \"a\") }",
     {"a"}),
    ("SELECT ?this WHERE { ?this <https://schema.org/abs> \"1\"^^<http://www.w3.org/2001/XMLSchema#integer>"
     " , \"2\"^^s:t , true , -3 . }", {"abs"}),
    # no way to tell: everything is loaded
    ("SELECT ?this WHERE { ?this ?p ?o }", None),
    ("SELECT ?this WHERE { ?this s:a ?x ; ?p ?o }", None),
    ("SELECT ?this WHERE { ?this s:a [ ?p ?o ] }", None),
    ("SELECT ?this WHERE { ?this s:a ?x OPTIONAL { ?x ?p ?y } }", None),
    ("SELECT ?this WHERE { FILTER NOT EXISTS { ?this ?p ?y } }", None),
    ("SELECT ?this WHERE { { SELECT ?this WHERE { ?this ?p ?x } } }", None),
    ("SELECT ?this WHERE { ?this !s:a ?x }", None),
    ("SELECT ?this WHERE { ?this (s:a|!s:b) ?x }", None),
    ("SELECT ?this WHERE { GRAPH ?g { ?this s:a ?x } }", None),
    ("SELECT ?this FROM <https://example.org/g> WHERE { ?this s:a ?x }", None),
    ("SELECT ?this WHERE { ?this undeclared:a ?x }", None),
    ("SELECT ?this WHERE { ?this <relative> ?x }", None),
    ("SELECT ?this WHERE { SERVICE <https://example.org/sparql> { ?this s:a ?x } }", None),
    ("ASK { ?this s:a ?x }", None),
    ("SELECT ?this WHERE { ?this s:a ?x . ?x $p ?y }", None),
])
def test_query_predicates(body: str, expected: set[str] | None) -> None:
    found = query_predicates(PROLOGUE + body)
    if expected is None:
        assert found is None
    else:
        names = {"type": RDF + "type", "first": RDF + "first", "rest": RDF + "rest", "abs": SCHEMA + "abs"}
        assert found == {names.get(n, SCHEMA + n) for n in expected}


def _case_triples(path: Path) -> list[tuple[str, str, str]]:
    graph = Graph().parse(path, format="turtle")
    return sorted((nt.from_rdflib(s), nt.from_rdflib(p), nt.from_rdflib(o)) for s, p, o in graph)


def _all_cases() -> list[tuple[str, str, str]]:
    return sorted({t for case in CASES for t in _case_triples(case)})


def test_filtered_store_answers_as_the_full_store() -> None:
    """Each shapes query whose predicates are known gives the same rows on the store of only those
    predicates' triples as on the store of all triples."""
    from kdgraph.validate import _bound

    shapes = load_shapes()
    index = DataIndex(_all_cases())
    full = memory_store(index, ["SELECT ?this WHERE { ?this ?p ?o }"])
    assert len(full) == sum(len(ts) for ts in index.by_p.values())
    rows = 0
    for c in _plan(index, shapes, Graph().namespace_manager):
        if query_predicates(c.query) is None:
            continue
        small = memory_store(index, [c.query])
        assert len(small) < len(full)
        query = _bound(c)
        mine, theirs = small.query(query), full.query(query)
        assert isinstance(mine, ox.QuerySolutions) and isinstance(theirs, ox.QuerySolutions)
        got = sorted(str(list(r)) for r in mine)
        assert got == sorted(str(list(r)) for r in theirs)
        rows += len(got)
    assert rows > 10


def test_a_variable_predicate_loads_everything() -> None:
    shapes = load_shapes()
    index = DataIndex(_all_cases())
    queries = [c.query for c in _plan(index, shapes, Graph().namespace_manager)]
    everything = sum(len(ts) for ts in index.by_p.values())
    assert len(memory_store(index, queries)) == everything  # the author-member query: ?list ?member ?value
    known = [q for q in queries if query_predicates(q) is not None]
    assert len(memory_store(index, known)) < everything


VARIABLE_PREDICATE_SHAPE = """
@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix schema: <https://schema.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<urn:x:NamedShape> a sh:NodeShape ; sh:targetClass schema:Person ; sh:severity sh:Warning ;
  sh:sparql [ sh:message "{?p} is said of this person" ;
              sh:select '''SELECT $this ?value ?p WHERE { $this ?p ?value .
                  FILTER (?p != schema:name && ?p != rdf:type) }''' ;
              sh:prefixes [ sh:declare
                  [ sh:prefix "rdf" ;
                    sh:namespace "http://www.w3.org/1999/02/22-rdf-syntax-ns#"^^xsd:anyURI ],
                  [ sh:prefix "schema" ; sh:namespace "https://schema.org/"^^xsd:anyURI ] ] ] .
"""


def test_a_variable_predicate_constraint_equals_pyshacl() -> None:
    shapes = Graph().parse(data=VARIABLE_PREDICATE_SHAPE, format="turtle")
    data = Graph().parse(data="""@prefix schema: <https://schema.org/> .
        <https://w3id.org/kdgraph/person/a> a schema:Person ; schema:name "A" ; schema:url <https://a.org/> .
        <https://w3id.org/kdgraph/person/b> a schema:Person ; schema:name "B" .""", format="turtle")
    triples = sorted((nt.from_rdflib(s), nt.from_rdflib(p), nt.from_rdflib(o)) for s, p, o in data)

    def key(report: Report) -> list[tuple[str, str, str, str]]:
        return sorted((f.severity, f.focus, f.message, f.value or "") for f in report.findings)

    fast = validate_graph(triples, shapes=shapes)
    assert query_predicates(_plan(DataIndex(triples), shapes, Graph().namespace_manager)[0].query) is None
    assert key(fast) == key(validate_graph(data, shapes=shapes, engine="pyshacl"))
    assert [f.message for f in fast.findings] == ["https://schema.org/url is said of this person"]
