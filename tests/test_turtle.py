"""The Turtle writer (:mod:`kdgraph.turtle`) against pyoxigraph's serializer and two parsers.

The writer must give the bytes pyoxigraph's Turtle serializer gives for the same triples and prefixes,
after the ``@prefix`` lines (whose order is pyoxigraph's hash map's), for the bundled lists' graph, for
hand-built edge cases and for random graphs; and its output must read back, with pyoxigraph and with
rdflib, as exactly the triples given. Where the writer differs from pyoxigraph on purpose (see the
module's docstring) the tests say what it writes instead.
"""

from __future__ import annotations

import io
import random
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from kdgraph import ntriples as nt
from kdgraph.publish import prefixes, turtle
from kdgraph.turtle import Namespaces, local_name, turtle_chunks, write_turtle, write_turtle_to
from kdgraph.uris import Minter

Triple = tuple[str, str, str]

# rdflib warns of the ill-typed literals some tests give it on purpose
pytestmark = pytest.mark.filterwarnings("ignore:.*weird:UserWarning")

B = "https://w3id.org/kdgraph/"
SDO = "https://schema.org/"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
KD = "https://w3id.org/kdgraph/ontology#"
EX = "http://example.org/"

PREFIXES = prefixes(Minter())
REGISTRY = Path(__file__).resolve().parents[1] / "data" / "sources.toml"


def i(iri: str) -> str:
    return nt.iri(iri)


def lit(text: str, datatype: str | None = None, lang: str | None = None) -> str:
    return nt.literal(text, datatype, lang)


def ntriples(triples: list[Triple]) -> bytes:
    return "".join(f"{s} {p} {o} .\n" for s, p, o in triples).encode("utf-8")


def body(data: bytes) -> bytes:
    """A Turtle document without its ``@prefix`` lines (split on line feeds only: U+2028 is text)."""
    lines = data.split(b"\n")
    at = 0
    while at < len(lines) and lines[at].startswith(b"@prefix "):
        at += 1
    return b"\n".join(lines[at:])


def oxigraph_turtle(triples: list[Triple], pre: dict[str, str]) -> bytes:
    """What the dump was before the writer: pyoxigraph serializing the triples as it parses them."""
    parsed = ox.parse(ntriples(triples), format=ox.RdfFormat.N_TRIPLES, lenient=True)
    data = ox.serialize(parsed, format=ox.RdfFormat.TURTLE, prefixes=pre)
    assert data is not None
    return data


def reads_back(triples: list[Triple], data: bytes) -> None:
    """``data`` parses, with pyoxigraph and with rdflib, to the triples (as each reads N-Triples)."""
    text = ntriples(triples)
    ours = set(ox.parse(data, format=ox.RdfFormat.TURTLE))
    assert ours == set(ox.parse(text, format=ox.RdfFormat.N_TRIPLES, lenient=True))
    parsed = Graph().parse(data=data.decode("utf-8"), format="turtle")
    expected = Graph().parse(data=text.decode("utf-8"), format="nt")
    assert len(parsed) == len(expected) == len(set(triples))
    assert isomorphic(parsed, expected), sorted(set(parsed) ^ set(expected))[:4]


def check(triples: list[Triple], pre: dict[str, str] = PREFIXES, *, like_oxigraph: bool = True) -> bytes:
    """Write the triples (sorted, unique), check they read back and, unless told otherwise, that the
    output is pyoxigraph's after the prefixes; the output."""
    triples = sorted(set(triples))
    data = write_turtle(triples, pre)
    assert data.startswith("".join(f"@prefix {n}: <{ns}> .\n" for n, ns in pre.items()).encode())
    reads_back(triples, data)
    if like_oxigraph:
        assert body(data).decode("utf-8") == body(oxigraph_turtle(triples, pre)).decode("utf-8")
    return data


# -- the bundled lists' graph -----------------------------------------------------------------------------

def test_bundled_graph_is_oxigraphs_turtle() -> None:
    from kdgraph.extract import extract_all
    from kdgraph.mapping import map_graph
    from kdgraph.reconcile import reconcile
    from kdgraph.sources import load_registry

    extractions, errors = extract_all(load_registry(REGISTRY), workers=1)
    assert not errors
    triples = map_graph(extractions, reconcile(extractions), Minter()).triples()
    assert len(triples) > 5000
    data = turtle(triples, Minter())
    assert body(data) == body(oxigraph_turtle(triples, PREFIXES))
    assert b"code:github.com\\/" in data and b" ;\n\tschema:" in data and b" , " in data
    assert set(ox.parse(data, format=ox.RdfFormat.TURTLE)) == set(
        ox.parse(ntriples(triples), format=ox.RdfFormat.N_TRIPLES))


# -- layout ----------------------------------------------------------------------------------------------

S1, S2 = i(B + "paper/a"), i(B + "paper/b")
NAME, AUTHOR, TYPE = i(SDO + "name"), i(SDO + "author"), i(RDF + "type")


def test_layout() -> None:
    triples = [(S1, TYPE, i(SDO + "ScholarlyArticle")), (S1, AUTHOR, i(B + "person/x")),
               (S1, AUTHOR, i(B + "person/y")), (S1, AUTHOR, i(B + "person/z")), (S1, NAME, lit("A")),
               (S2, NAME, lit("B"))]
    data = check(triples, {"schema": SDO, "paper": B + "paper/", "person": B + "person/"})
    assert body(data) == (b"paper:a a schema:ScholarlyArticle ;\n"
                          b"\tschema:author person:x , person:y , person:z ;\n"
                          b"\tschema:name \"A\" .\n"
                          b"paper:b schema:name \"B\" .\n")


def test_empty_input() -> None:
    assert write_turtle([], {}) == b""
    assert write_turtle([], {"schema": SDO}) == b"@prefix schema: <https://schema.org/> .\n"
    assert body(oxigraph_turtle([], {"schema": SDO})) == body(write_turtle([], {"schema": SDO})) == b""


def test_one_triple_and_no_prefixes() -> None:
    data = check([(S1, NAME, lit("x"))], {})
    assert data == f'{S1} {NAME} "x" .\n'.encode()


def test_many_predicates_and_objects() -> None:
    triples = [(S1, i(f"{EX}p{k}"), i(f"{EX}o{n}")) for k in range(30) for n in range(k % 4 + 1)]
    triples += [(i(f"{EX}s{k}"), TYPE, i(EX + "C")) for k in range(20)]
    data = check(triples, {"ex": EX})
    assert data.count(b" ;\n\t") == 29 and data.count(b" , ") == 73 - 30  # 73 objects in all


def test_rdf_type_is_a_only_as_a_predicate() -> None:
    data = check([(TYPE, TYPE, TYPE), (S1, i(RDF + "value"), TYPE)], {"rdf": RDF, "paper": B + "paper/"})
    assert b"rdf:type a rdf:type .\n" in data and b"paper:a rdf:value rdf:type .\n" in data


def test_unsorted_input_is_written_in_the_order_given() -> None:
    triples = [(S1, NAME, lit("a")), (S2, NAME, lit("b")), (S1, NAME, lit("c"))]
    data = write_turtle(triples, {"paper": B + "paper/", "schema": SDO})
    assert body(data) == b'paper:a schema:name "a" .\npaper:b schema:name "b" .\npaper:a schema:name "c" .\n'
    reads_back(triples, data)


def test_file_variant_and_chunk_boundaries() -> None:
    triples = sorted({(i(f"{EX}s{k % 5}"), i(f"{EX}p{k % 3}"), lit(str(k))) for k in range(40)})
    whole = write_turtle(triples, {"ex": EX})
    for size in (1, 2, 3, 7, 100):
        assert b"".join(turtle_chunks(triples, {"ex": EX}, size)) == whole
        out = io.BytesIO()
        assert write_turtle_to(iter(triples), {"ex": EX}, out, size) == len(whole)
        assert out.getvalue() == whole
    with pytest.raises(ValueError, match="chunks of 0 triples"):
        list(turtle_chunks(triples, {"ex": EX}, 0))


# -- IRIs --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("local", "written"), [
    ("a", "paper:a"), ("", "paper:"), ("a-b_c.d", "paper:a-b_c.d"), ("_a", "paper:_a"),
    ("1a", "paper:1a"), ("a:b", "paper:a:b"), (":a", "paper::a"), ("-a", "paper:\\-a"), (".a", "paper:\\.a"),
    ("a/b/", "paper:a\\/b\\/"), ("github.com/x/y", "paper:github.com\\/x\\/y"), ("a(b)", "paper:a\\(b\\)"),
    ("a~b", "paper:a\\~b"), ("a%20b", "paper:a\\%20b"), ("a'b", "paper:a\\'b"),
    ("a?b=c&d", "paper:a\\?b\\=c\\&d"),
    ("a,b;c", "paper:a\\,b\\;c"), ("a!$*+@", "paper:a\\!\\$\\*\\+\\@"), ("a#b", "paper:a\\#b"),
    ("é", "paper:é"), ("知识蒸馏", "paper:知识蒸馏"), ("a·b", "paper:a·b"), ("a\u0301", "paper:a\u0301"),
    ("x\U00010000", "paper:x\U00010000"), ("~", "paper:\\~"), ("a\u203fb", "paper:a\u203fb"),
    # no prefixed name: a character PN_LOCAL has no escape for, or one it may not start with
    ("a\u00d7b", None), ("a\u00f7", None), ("a\u037eb", None), ("·a", None), ("\u0300a", None),
])
def test_local_names(local: str, written: str | None) -> None:
    term = i(B + "paper/" + local)
    subject = i(B + "paper/s")
    data = check([(subject, AUTHOR, term), (term, NAME, lit("x"))], {"paper": B + "paper/", "schema": SDO})
    expected = written or term
    lines = body(data).decode("utf-8").split("\n")
    assert f"paper:s schema:author {expected} ." in lines
    assert f'{expected} schema:name "x" .' in lines
    assert local_name(local) == (None if written is None else written[len("paper:"):])


@pytest.mark.parametrize("local", ["a.", "a..", "x/y.", "."])
def test_a_trailing_dot_is_written_in_full(local: str) -> None:
    """pyoxigraph writes ``paper:a\\.``, which rdflib's Turtle parser rejects: the writer writes the IRI."""
    term = i(B + "paper/" + local)
    pre = {"paper": B + "paper/", "schema": SDO}
    data = check([(S1, AUTHOR, term)], pre, like_oxigraph=False)
    assert body(data) == f"paper:a schema:author {term} .\n".encode()
    assert b"\\. .\n" in body(oxigraph_turtle([(S1, AUTHOR, term)], pre))
    assert local_name(local) is None


def test_the_longest_namespace_wins_whatever_the_order() -> None:
    nested = {"kd": B, "paper": B + "paper/", "deep": B + "paper/x/", "frag": B + "paper/x#"}
    terms = [i(B + "a"), i(B + "paper/a"), i(B + "paper/x/a"), i(B + "paper/x#a"), i(B + "paper/x/"),
             i(B + "paper/y/a"), i(B + "other/a"), i(B + "paper/·a"), i(B + "paper/x/·a"),
             i(B + "paper/x#·a"), i(B + "paper/x"), i(B + "paperx"), i("https://w3id.org/other")]
    written = ["kd:a", "paper:a", "deep:a", "frag:a", "deep:", "paper:y\\/a", "kd:other\\/a", "kd:paper\\/·a",
               "paper:x\\/·a", "paper:x\\#·a", "paper:x", "kd:paperx", "<https://w3id.org/other>"]
    triples = [(S1, AUTHOR, t) for t in terms]
    expected = [w for _, w in sorted(zip(terms, written, strict=True))]
    items = list(nested.items())
    for order in (items, items[::-1], items[1:] + items[:1]):
        data = body(check(triples, {**dict(order), "schema": SDO})).decode("utf-8")
        assert data.startswith("paper:a schema:author ") and data.endswith(" .\n")
        assert data[len("paper:a schema:author "):-3].split(" , ") == expected


def test_namespaces_that_end_in_neither_slash_nor_hash() -> None:
    pre = {"isbn": "urn:isbn:", "ex": EX + "item_", "schema": SDO}
    terms = [i("urn:isbn:0451450523"), i(EX + "item_12"), i(EX + "item_"), i(EX + "other"), i("urn:x")]
    data = check([(S1, AUTHOR, t) for t in terms], pre)
    assert b"ex:12 , ex: , <http://example.org/other> , isbn:0451450523 , <urn:x> .\n" in data


def test_a_namespace_given_twice_is_written_with_its_first_name() -> None:
    data = check([(S1, AUTHOR, i(SDO + "Person"))], {"schema": SDO, "sdo": SDO}, like_oxigraph=False)
    assert body(data) == b"<https://w3id.org/kdgraph/paper/a> schema:author schema:Person .\n"


def test_bad_prefixes() -> None:
    for name in ("1a", "a.", "a b", "-a", "é:"):
        with pytest.raises(ValueError, match="prefix name"):
            write_turtle([], {name: EX})
    for ns in ("", "http://ex/<a>", "http://ex/ a"):
        with pytest.raises(ValueError, match="namespace"):
            write_turtle([], {"ex": ns})
    assert Namespaces({"": EX, "a.b": SDO, "é": B}).compact(i(EX + "x")) == ":x"


def test_blank_nodes() -> None:
    triples = [("_:b1", NAME, lit("x")), ("_:b1", AUTHOR, "_:b2"), (S1, AUTHOR, "_:b1"),
               ("_:b2", TYPE, i(SDO + "Person"))]
    data = check(triples)
    assert b"_:b1 schema:author _:b2 ;\n\tschema:name \"x\" .\n_:b2 a schema:Person .\n" in data


# -- literals --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    'quote " inside', "back\\slash", "line\nfeed", "carriage\rreturn", "non-ASCII: é, 知识蒸馏, 🎓",
    "separators \u2028 and \u2029 and \x85", "", " ", 'ends with a backslash \\', '"', "\\n is not a newline",
    "'single' '''", "\"\"\"", "@en", "^^<x>", "a\"^^<http://example.org/dt>",
])
def test_plain_literals(text: str) -> None:
    check([(S1, NAME, lit(text)), (S1, i(SDO + "description"), lit(text, lang="en")),
           (S1, i(SDO + "headline"), lit(text, EX + "dt"))])


def test_control_characters_stay_raw() -> None:
    """pyoxigraph writes ``\\t`` and ``\\u0001``; the writer copies rdflib's N-Triples text, raw."""
    text = "tab\tand\x01control\x1f\x7f\x00\b\f"
    triples = [(S1, NAME, lit(text)), (S1, i(SDO + "description"), lit(text, lang="en"))]
    data = check(triples, like_oxigraph=False)
    assert f'"{text}"'.encode() in data and b"\\t" in oxigraph_turtle(triples, PREFIXES)


def test_language_tags_keep_their_case() -> None:
    """pyoxigraph lowercases a language tag; the writer keeps it as given (rdflib reads it so)."""
    triples = [(S1, NAME, lit("colour", lang="en-GB")), (S1, NAME, lit("x", lang="de"))]
    data = check(triples, like_oxigraph=False)
    assert b'"colour"@en-GB , "x"@de' in data and b'"colour"@en-gb' in oxigraph_turtle(triples, PREFIXES)


def test_explicit_xsd_string_is_kept() -> None:
    """pyoxigraph drops ``^^xsd:string`` (the same RDF 1.1 term); the writer keeps what it was given."""
    data = check([(S1, NAME, lit("x", XSD + "string"))], like_oxigraph=False)
    assert b'"x"^^xsd:string' in data


@pytest.mark.parametrize(("lexical", "datatype", "bare"), [
    ("42", "integer", True), ("-5", "integer", True), ("+01", "integer", True), ("0", "integer", True),
    ("1.0", "integer", False), (" 1", "integer", False), ("٣", "integer", False), ("", "integer", False),
    ("1e3", "integer", False), ("12345678901234567890", "integer", True),
    ("1.5", "decimal", True), ("-.5", "decimal", True), ("+0.50", "decimal", True), ("1.", "decimal", False),
    ("1", "decimal", False), (".", "decimal", False),
    ("1e5", "double", True), ("1.5E-3", "double", True), (".5e1", "double", True), ("1.e2", "double", True),
    ("-1.E+2", "double", True), ("1.5", "double", False), ("INF", "double", False), ("NaN", "double", False),
    ("e5", "double", False), (".e5", "double", False),
    ("true", "boolean", True), ("false", "boolean", True), ("1", "boolean", False),
    ("TRUE", "boolean", False),
    ("2020", "gYear", False), ("7", "positiveInteger", False), ("2020-01-01", "date", False),
])
def test_typed_literals(lexical: str, datatype: str, bare: bool) -> None:
    term = lit(lexical, XSD + datatype)
    data = check([(S1, i(KD + "value"), term)])
    written = lexical if bare else f'"{lexical}"^^xsd:{datatype}'
    assert body(data) == f"paper:a kd:value {written} .\n".encode()


def test_datatypes_outside_the_prefixes() -> None:
    triples = [(S1, i(KD + "value"), lit("x", EX + "dt")), (S1, i(KD + "value"), lit("1", EX + "integer")),
               (S1, i(KD + "value"), lit("x", B + "paper/dt(1)"))]
    data = check(triples)
    assert b'"x"^^<http://example.org/dt>' in data and b'"x"^^paper:dt\\(1\\)' in data


# -- random graphs ---------------------------------------------------------------------------------------

RANDOM_PREFIXES = {**PREFIXES, "kdg": B, "ex": EX, "exf": EX + "f#"}
LOCALS = ["a", "b-1", "x.y", "x/y", "x/y/", "", "é", "(1)", "a%20", "-1", "_", ":", "a.", "a×b", "·x",
          "a#b", "日本", "~", "a'b", "x/·"]
BASES = [B + "paper/", B + "person/", B + "list/l/item/", B, SDO, EX, EX + "f#", KD, "https://example.net/",
         "urn:x:"]
TEXTS = ["x", 'a "quoted" \\ line\nbreak\r', "é 知识 🎓 \u2028", "", " ", "1", "@en", "\\"]


def random_iri(rng: random.Random) -> str:
    base = rng.choice(BASES)
    local = rng.choice([x for x in LOCALS if "#" not in x] if "#" in base else LOCALS)  # one "#" an IRI
    if local.endswith(".") and rng.random() < 0.8:  # rarer: pyoxigraph writes those differently
        local += "x"
    return i(base + local)


def random_object(rng: random.Random) -> str:
    kind = rng.randrange(8)
    if kind < 3:
        return random_iri(rng)
    if kind == 3:
        return f"_:b{rng.randrange(4)}"
    if kind == 4:
        return lit(rng.choice(TEXTS), lang=rng.choice(["en", "de", "en-gb"]))
    if kind == 5:
        datatype = rng.choice(["integer", "decimal", "double", "boolean", "gYear", "positiveInteger"])
        lexical = rng.choice(["1", "-2", "+03", "1.5", ".5", "1e5", "1.e-2", "true", "false", "x", "2020"])
        return lit(lexical, XSD + datatype)
    if kind == 6:
        return lit(rng.choice(TEXTS), rng.choice([EX + "dt", B + "paper/dt"]))
    return lit(rng.choice(TEXTS))


def random_triples(rng: random.Random, n: int) -> list[Triple]:
    subjects = [random_iri(rng) for _ in range(6)] + ["_:b0", "_:b1"]
    predicates = [random_iri(rng) for _ in range(4)] + [TYPE, NAME]
    return [(rng.choice(subjects), rng.choice(predicates), random_object(rng)) for _ in range(n)]


def differs_from_oxigraph(triples: list[Triple]) -> bool:
    """Whether the writer writes one of the triples otherwise than pyoxigraph (see the module)."""
    ns = RANDOM_PREFIXES.values()
    return any(t[0] == "<" and any(t[1:-1].startswith(n) for n in ns) and t.endswith(".>")
               for triple in triples for t in triple)


@pytest.mark.parametrize("seed", range(40))
def test_random_graphs(seed: int) -> None:
    rng = random.Random(seed)
    triples = random_triples(rng, rng.randrange(1, 60))
    check(triples, RANDOM_PREFIXES, like_oxigraph=not differs_from_oxigraph(triples))
