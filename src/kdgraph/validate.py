"""Validation: the graph against the SHACL shapes of ``shapes/``.

A ``sh:Violation`` makes the graph wrong and stops a build; a ``sh:Warning`` is a doubt of the data and
goes into the quality report. Each finding names its focus node, path and message, and the source
``file:line`` the focus node came from when the caller knows it.

The data is an rdflib graph (``kdgraph validate``) or the build's triples as N-Triples term strings
(:mod:`kdgraph.ntriples`); a graph is converted to term strings first, so one engine serves both and
the same triples give the same report either way.

By default (``engine="fast"``) the SHACL Core constraints run in :mod:`kdgraph.shacl_core` (an index of
the term strings, every shape for all its focus nodes at once; a shapes graph it does not fully know
goes to pySHACL instead), and the SHACL-SPARQL constraints (``sh:sparql``) run on pyoxigraph, once per
constraint — ``$this`` pre-bound to the focus nodes (found in the index) with a ``VALUES`` block and
``$PATH`` replaced by the shape's path, as the SHACL-SPARQL specification defines them. pySHACL
evaluates such a constraint with one query per focus node. The queries run in a thread (pyoxigraph
parses, loads and evaluates without holding the GIL) while the SHACL Core part runs: on the caller's
store when one is given (the union of its named graphs, or of those named); otherwise on an in-memory
store of the triples the thread loads — only the triples whose predicates the queries can match when
a scan of the query texts can tell (:func:`query_predicates`: no variable or negated set in predicate
position, nothing it does not know), else all of them. Cyclic garbage collection is paused meanwhile: the
index's many small containers hold no cycles, and each collection would walk them all.

``engine="pyshacl"`` runs everything in pySHACL, the reference; the tests check that both engines
report the same results on every shape case and on the bundled build.
"""

from __future__ import annotations

import io
import itertools
import json
import re
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .bulk import gc_paused
from .paths import project_dir

if TYPE_CHECKING:
    import pyoxigraph as ox
    from rdflib import Graph
    from rdflib.namespace import NamespaceManager
    from rdflib.term import Node

    from .shacl_core import DataIndex

Triple = tuple[str, str, str]
SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"


@dataclass(frozen=True, slots=True)
class Finding:
    severity: str
    focus: str
    path: str | None
    message: str
    value: str | None
    shape: str
    where: tuple[str, ...] = ()

    def __str__(self) -> str:
        where = f"{self.where[0]}: " if self.where else ""
        path = f" {self.path}" if self.path else ""
        value = f" (value {self.value})" if self.value and self.value != self.focus else ""
        return f"{where}{self.severity}: <{self.focus}>{path}: {self.message}{value}"


@dataclass(slots=True)
class Report:
    """The findings, and the SHACL validation report graph (made when first asked for, from
    ``_shapes``, unless pySHACL gave one)."""

    findings: list[Finding] = field(default_factory=list)
    _graph: Graph | None = None
    _shapes: Graph | None = None

    @property
    def graph(self) -> Graph | None:
        if self._graph is None and self._shapes is not None:
            self._graph = _report_graph(self.findings, self._shapes)
        return self._graph

    @property
    def violations(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "Violation"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "Warning"]

    @property
    def conforms(self) -> bool:
        return not self.violations

    def text(self) -> str:
        head = ("conforms" if self.conforms else "does not conform") + (
            f": {len(self.violations)} violations, {len(self.warnings)} warnings")
        return "\n".join([head, *(str(f) for f in self.findings)])

    def data(self) -> dict[str, Any]:
        """The report as JSON data: whether the graph conforms, the counts, and every finding."""
        names = [f.name for f in fields(Finding)]
        return {"conforms": self.conforms, "violations": len(self.violations),
                "warnings": len(self.warnings),
                "results": [{name: getattr(f, name) for name in names} for f in self.findings]}

    def json(self) -> str:
        return json.dumps(self.data(), ensure_ascii=False, indent=2)


def load_shapes(folder: Path | None = None) -> Graph:
    """Every ``*.ttl`` of the shapes folder as one shapes graph."""
    from rdflib import Graph

    shapes = Graph()
    for path in sorted((folder or project_dir("shapes")).glob("*.ttl")):
        shapes.parse(path, format="turtle")
    return shapes


def validate_graph(data: Graph | Sequence[Triple], origins: dict[str, list[str]] | None = None,
                   shapes: Graph | None = None, engine: str = "fast",
                   store: ox.Store | Callable[[], ox.Store] | None = None,
                   prefixes: dict[str, str] | None = None,
                   store_graphs: Sequence[str] | None = None,
                   ntriples: bytes | None = None, unique: bool = False) -> Report:
    """Validate ``data``: an rdflib graph, or triples of N-Triples term strings (see
    :mod:`kdgraph.ntriples`; the build passes them unique and sorted).

    ``origins`` maps node IRIs to the ``file:line`` they came from. Paths are shown with the graph's
    prefixes, or for term strings with ``prefixes`` (default: those of the dumps,
    :func:`kdgraph.publish.prefixes`).

    ``store`` — a pyoxigraph store holding the same triples, or a function that returns one (called in
    the constraints' thread once their focus nodes are known, so a store loading elsewhere can finish
    while SHACL Core runs; not at all where the store is not used) — saves
    the SPARQL constraints loading the data into a store of their own. Its queries see the union of
    the store's graphs, or of the named graphs ``store_graphs`` (IRIs) when given. It is not used where
    rdflib's literal normalization changes a term of ``data`` (then the store's terms are not those
    validated). Without it, an in-memory store is loaded in a thread while SHACL Core runs: from
    ``ntriples``, the N-Triples text of ``data``, where the caller has it (let go of once loaded: a
    caller that keeps no reference frees its memory early), else from the triples the constraints can
    match. ``unique`` says the triples are distinct already (the build's are), which saves removing
    duplicates.
    """
    return Validation(data, origins, shapes, engine, store, prefixes, store_graphs, ntriples,
                      unique).finish()


class Validation:
    """A validation under way (the arguments are :func:`validate_graph`'s): made, it starts loading
    the SHACL-SPARQL constraints' store in a thread, so the caller can do other work meanwhile;
    :meth:`finish` runs the rest and returns the report, :meth:`cancel` gives it up."""

    def __init__(self, data: Graph | Sequence[Triple], origins: dict[str, list[str]] | None = None,
                 shapes: Graph | None = None, engine: str = "fast",
                 store: ox.Store | Callable[[], ox.Store] | None = None,
                 prefixes: dict[str, str] | None = None,
                 store_graphs: Sequence[str] | None = None,
                 ntriples: bytes | None = None, unique: bool = False) -> None:
        from rdflib import Graph

        self.data = data
        self.shapes = shapes if shapes is not None else load_shapes()
        self.origins = origins or {}
        self.engine = engine
        self.unique = unique
        self.graph = data if isinstance(data, Graph) else None
        self.nm = self.graph.namespace_manager if self.graph is not None else _namespace_manager(prefixes)
        # the runner lets go of the text once loaded (a big build's largest string)
        self.runner = (_SparqlRunner(self.shapes, self.nm, store, store_graphs, ntriples, self.origins)
                       if engine == "fast" else None)

    def cancel(self) -> None:
        """Give the validation up: its thread stops before its next query; wait for it (where it waits
        for the store function, until that returns)."""
        if self.runner is not None:
            self.runner.stop()

    def finish(self) -> Report:
        """SHACL Core over an index of the data, the SPARQL constraints on their store once it is
        loaded; or, for ``engine="pyshacl"`` or shapes the fast engine does not fully know, pySHACL."""
        shapes, origins, nm, data, graph = self.shapes, self.origins, self.nm, self.data, self.graph
        sparql: list[Finding] = []
        if self.runner is not None:
            from .shacl_core import core_findings

            runner = self.runner
            with gc_paused():
                try:
                    index = _index(data, self.unique)
                    runner.plan(index)
                    core = core_findings(index, shapes, nm, origins)
                except BaseException:
                    runner.stop(wait=False)  # the caller's cancel() waits, once it has stopped the store
                    raise
                sparql = runner.findings()
                del index
            if core is not None:
                return Report(findings=_sorted(sparql + core), _shapes=shapes)
            shapes = _without_sparql(shapes)
        if graph is None:
            graph = _rdflib_graph(data, nm)  # type: ignore[arg-type]
        from pyshacl import validate
        from rdflib.namespace import SH

        _, results, _ = validate(graph, shacl_graph=shapes, inference="none", advanced=True,
                                 allow_warnings=True)
        findings = sparql
        for result in results.subjects(SH.resultSeverity, None):
            severity = str(results.value(result, SH.resultSeverity)).rsplit("#", 1)[-1]
            focus = str(results.value(result, SH.focusNode))
            path_node = results.value(result, SH.resultPath)
            value = results.value(result, SH.value)
            message = results.value(result, SH.resultMessage)
            findings.append(Finding(
                severity=severity, focus=focus,
                path=_path_sparql(results, path_node, nm) if path_node is not None else None,
                message=str(message) if message is not None else "constraint not met",
                value=str(value) if value is not None else None,
                shape=str(results.value(result, SH.sourceShape)),
                where=tuple(origins.get(focus, ())),
            ))
        return Report(findings=_sorted(findings), _graph=results)


def _sorted(findings: list[Finding]) -> list[Finding]:
    """Violations first, then by where, focus, path, message and value (the shape last, for ties)."""
    return sorted(findings, key=lambda f: (SEVERITY_ORDER.get(f.severity, 3), f.where, f.focus,
                                           f.path or "", f.message, f.value or "", f.shape))


def _index(data: Graph | Sequence[Triple], unique: bool = False) -> DataIndex:
    """The data as a :class:`~kdgraph.shacl_core.DataIndex` of term strings."""
    from rdflib import Graph, URIRef

    from .ntriples import from_rdflib
    from .shacl_core import DataIndex, ill_typed_form

    if not isinstance(data, Graph):
        return DataIndex(data, unique=unique)
    ill: set[str] = set()

    def text(term: Node) -> str:
        if type(term) is URIRef:
            return f"<{term}>"
        found = from_rdflib(term)
        if getattr(term, "ill_typed", None) is True:  # rdflib may have made it look well-typed
            found = ill_typed_form(found)
            ill.add(found)
        return found

    triples = [(text(s), f"<{p}>" if type(p) is URIRef else text(p), text(o)) for s, p, o in data]
    return DataIndex(triples, ill, unique=True)


def _namespace_manager(prefixes: dict[str, str] | None) -> NamespaceManager:
    """The prefixes of the shown paths for term-string data: those an rdflib graph of the dumps has."""
    from rdflib import Graph, URIRef

    if prefixes is None:
        from .publish import prefixes as dump_prefixes
        from .uris import Minter

        prefixes = dump_prefixes(Minter())
    graph = Graph()
    for prefix, ns in prefixes.items():
        graph.bind(prefix, URIRef(ns), override=True, replace=True)
    return graph.namespace_manager


def _rdflib_graph(triples: Sequence[Triple], nm: NamespaceManager) -> Graph:
    """Term-string triples as an rdflib graph (for pySHACL)."""
    from rdflib import Graph

    from .ntriples import to_rdflib

    graph = Graph()
    for prefix, ns in nm.namespaces():
        graph.bind(prefix, ns, override=True, replace=True)
    memo: dict[str, Node] = {}
    for triple in triples:
        rdf_terms = []
        for t in triple:
            found = memo.get(t)
            if found is None:
                found = memo[t] = to_rdflib(t)
            rdf_terms.append(found)
        graph.add((rdf_terms[0], rdf_terms[1], rdf_terms[2]))
    return graph


def _without_sparql(shapes: Graph) -> Graph:
    """The shapes graph without its ``sh:sparql`` constraints (those already ran on pyoxigraph)."""
    from rdflib import Graph
    from rdflib.namespace import SH

    core = Graph()
    for triple in shapes:
        if triple[1] != SH.sparql:
            core.add(triple)
    return core


def _report_graph(findings: list[Finding], shapes: Graph) -> Graph:
    """A SHACL validation report graph of ``findings`` (what ``kdgraph validate -f turtle`` prints)."""
    from rdflib import BNode, Graph, Literal, URIRef
    from rdflib.namespace import RDF, SH

    report = Graph()
    report.bind("sh", SH)
    root = BNode()
    report.add((root, RDF.type, SH.ValidationReport))
    report.add((root, SH.conforms, Literal(not any(f.severity == "Violation" for f in findings))))
    for f in findings:
        node = BNode()
        report.add((root, SH.result, node))
        report.add((node, RDF.type, SH.ValidationResult))
        report.add((node, SH.focusNode, URIRef(f.focus)))
        report.add((node, SH.resultSeverity, SH[f.severity]))
        report.add((node, SH.resultMessage, Literal(f.message)))
        report.add((node, SH.sourceShape, URIRef(f.shape) if "://" in f.shape else BNode(f.shape)))
        path = shapes.value(URIRef(f.shape), SH.path) if "://" in f.shape else None
        if isinstance(path, URIRef):
            report.add((node, SH.resultPath, path))
        elif path is not None:
            inverse = shapes.value(path, SH.inversePath)
            if inverse is not None:
                step = BNode()
                report.add((node, SH.resultPath, step))
                report.add((step, SH.inversePath, inverse))
        if f.value is not None:
            report.add((node, SH.value, Literal(f.value)))
    return report


@dataclass(slots=True)
class _Constraint:
    """One SPARQL constraint of one shape, ready to run."""

    shape: Node
    query: str  # with its prefixes, $this as ?this and $PATH replaced; no VALUES yet
    focus: _Focus
    severity: str
    message: str | None
    has_path: bool
    path_shown: str | None


@dataclass(slots=True)
class _Focus:
    """The focus nodes of a shape's SPARQL constraints: their IRIs, and the rows of the VALUES block
    binding them (None where an IRI would not stay one IRI in the query text)."""

    iris: list[str]
    rows: str | None


_FOCUS = "<urn:kdgraph:validate:focus>"
_IRI_TEXT = re.compile(r'[^<>"{}|^`\\\x00-\x20]*')


class _SparqlRunner:
    """The ``sh:sparql`` constraints of ``shapes``, run in a thread once :meth:`plan` has found their
    focus nodes in the index, while the caller runs SHACL Core (pyoxigraph parses and evaluates without
    holding the GIL): on the given store (a function that returns it is called in the thread, so a store
    loading elsewhere finishes meanwhile); without one, on an in-memory store the thread loads from the
    start (from the N-Triples text at once, when there is one). :meth:`findings` collects the results."""

    def __init__(self, shapes: Graph, nm: NamespaceManager,
                 store: ox.Store | Callable[[], ox.Store] | None,
                 store_graphs: Sequence[str] | None, ntriples: bytes | None,
                 origins: dict[str, list[str]]) -> None:
        self.shapes, self.nm = shapes, nm
        self.store = store
        self.graphs = store_graphs
        self.origins = origins
        self.planned: list[_Constraint] = []
        self.index: DataIndex | None = None
        self._ntriples = ntriples
        self._planned = threading.Event()
        self._stopped = False
        self._found: list[list[Finding]] = []
        self._error: list[BaseException] = []
        self._thread = threading.Thread(target=self._load_and_run, name="kdgraph-validate-sparql",
                                        daemon=True)
        self._thread.start()

    def _load_and_run(self) -> None:
        try:
            early = _text_store(self._ntriples) if self.store is None and self._ntriples is not None else None
            self._ntriples = None
            self._planned.wait()
            if not self.planned or self.index is None or self._stopped:
                return
            if self.store is not None and not self.index.changed:
                store = self.store() if callable(self.store) else self.store
                self._found.append(self._run(store, self._options()))
                return
            # no store, or its terms are not those validated (rdflib normalized a literal)
            if early is None or self.index.changed:
                early = memory_store(self.index, [c.query for c in self.planned])
            self._found.append(self._run(early, {}))
        except BaseException as exc:  # re-raised by findings()
            self._error.append(exc)

    def _options(self) -> dict[str, Any]:
        import pyoxigraph as ox

        if self.graphs is None:
            return {"use_default_graph_as_union": True}
        return {"default_graph": [ox.NamedNode(g) for g in self.graphs]}

    def plan(self, index: DataIndex) -> None:
        """Find the constraints' focus nodes in ``index``; the thread runs the queries then."""
        self.index = index
        self.planned = _plan(index, self.shapes, self.nm)
        self._planned.set()

    def stop(self, wait: bool = True) -> None:
        """Give up (validation failed meanwhile): the thread stops before its next query; wait for it,
        unless not ``wait``."""
        self._stopped = True
        self._planned.set()
        if wait:
            self._thread.join()

    def findings(self) -> list[Finding]:
        """The results, once the thread is done; raises what it raised."""
        self._planned.set()
        self._thread.join()
        if self._error:
            raise self._error[0]
        return self._found[0] if self._found else []

    def _run(self, store: ox.Store, options: dict[str, Any]) -> list[Finding]:
        findings: list[Finding] = []
        for c in self.planned:
            if self._stopped:
                break
            solutions = store.query(_bound(c), **options)
            variables = [v.value for v in solutions.variables]  # type: ignore[union-attr]
            for row in solutions:  # type: ignore[union-attr]
                this = row["this"]
                if this is None:
                    continue
                value = row["value"] if "value" in variables else None
                if value is None and not c.has_path:
                    value = this  # SHACL: a node shape's result has the focus node as its value
                text_message = c.message if c.message is not None else "SPARQL constraint not met"
                for var in variables:
                    if row[var] is not None:
                        text_message = text_message.replace(f"{{?{var}}}", row[var].value).replace(
                            f"{{${var}}}", row[var].value)
                findings.append(Finding(
                    severity=c.severity, focus=this.value, path=c.path_shown, message=text_message,
                    value=value.value if value is not None else None, shape=str(c.shape),
                    where=tuple(self.origins.get(this.value, ()))))
        return findings


def _bound(c: _Constraint) -> str:
    """The constraint's query with ``?this`` bound to its focus nodes (a ``VALUES`` block placed by
    :func:`kdgraph.sparql_text.bind_values`; the IRIs, from the data, checked to stay IRIs)."""
    from .sparql_text import bind_values

    if c.focus.rows is not None:
        one = f"VALUES ?this {{ {_FOCUS} }}"
        template = bind_values(c.query, {"this": [_FOCUS]})
        if template.count(one) == 1:
            return template.replace(one, f"VALUES ?this {{ {c.focus.rows} }}")
    return bind_values(c.query, {"this": [f"<{n}>" for n in c.focus.iris]})


def _plan(index: DataIndex, shapes: Graph, nm: NamespaceManager) -> list[_Constraint]:
    """The active SPARQL constraints with focus nodes, their queries written out (prefixes, ``$this`` as
    ``?this``, ``$PATH`` replaced)."""
    from rdflib.namespace import SH

    planned: list[_Constraint] = []
    targets: dict[_Targets, _Focus] = {}
    for shape, constraint in shapes.subject_objects(SH.sparql):
        if any(str(shapes.value(n, SH.deactivated)).lower() == "true" for n in (shape, constraint)):
            continue
        select = shapes.value(constraint, SH.select)
        if select is None:
            continue
        key = _targets(shapes, shape)
        focus = targets.get(key)
        if focus is None:  # shapes with the same targets (those of one node shape) share their focus
            iris = sorted(_focus_nodes(index, key))
            rows = " ".join(f"<{n}>" for n in iris) if all(map(_IRI_TEXT.fullmatch, iris)) else None
            focus = targets[key] = _Focus(iris, rows)
        if not focus.iris:
            continue
        path = shapes.value(shape, SH.path)
        text = str(select).replace("$this", "?this")
        if path is not None:
            text = text.replace("$PATH", _path_sparql(shapes, path))
        prefixes = "".join(
            f"PREFIX {shapes.value(d, SH.prefix)}: <{shapes.value(d, SH.namespace)}>\n"
            for decl in shapes.objects(constraint, SH.prefixes)
            for d in shapes.objects(decl, SH.declare))
        message = shapes.value(constraint, SH.message) or shapes.value(shape, SH.message)
        planned.append(_Constraint(
            shape=shape, query=prefixes + text, focus=focus,
            severity=str(shapes.value(shape, SH.severity) or SH.Violation).rsplit("#", 1)[-1],
            message=str(message) if message is not None else None, has_path=path is not None,
            path_shown=_path_sparql(shapes, path, nm) if path is not None else None))
    return planned


def memory_store(index: DataIndex, queries: Sequence[str]) -> ox.Store:
    """An in-memory pyoxigraph store of the triples ``queries`` can match (all of them unless
    :func:`query_predicates` knows every query's predicates), loaded as N-Triples text."""
    import pyoxigraph as ox

    wanted: set[str] | None = {f"<{_RDF}type>", f"<{_RDFS}subClassOf>"}
    for query in queries:
        found = query_predicates(query)
        if found is None or wanted is None:
            wanted = None
            break
        wanted.update(f"<{p}>" for p in found)
    store = ox.Store()
    triples = index.triples(sorted(wanted) if wanted is not None else None)
    store.load(io.BufferedReader(_NTriplesReader(triples)), format=ox.RdfFormat.N_TRIPLES, lenient=True)
    return store


def _text_store(ntriples: bytes) -> ox.Store:
    """An in-memory store of N-Triples text (pyoxigraph parses it without holding the GIL)."""
    import pyoxigraph as ox

    store = ox.Store()
    store.load(ntriples, format=ox.RdfFormat.N_TRIPLES, lenient=True)
    return store


class _NTriplesReader(io.RawIOBase):
    """Triples as a readable N-Triples byte stream, made a chunk at a time (pyoxigraph reads it as a
    file), so the text of millions of triples never sits in memory at once."""

    def __init__(self, triples: Iterable[Triple], lines: int = 1 << 14) -> None:
        self._triples = iter(triples)
        self._lines = lines
        self._buffer = memoryview(b"")
        self._at = 0

    def readable(self) -> bool:
        return True

    def readinto(self, target: Any) -> int:
        while self._at == len(self._buffer):
            chunk = list(itertools.islice(self._triples, self._lines))
            if not chunk:
                return 0
            self._buffer = memoryview("".join([f"{s} {p} {o} .\n" for s, p, o in chunk]).encode())
            self._at = 0
        n = min(len(target), len(self._buffer) - self._at)
        target[:n] = self._buffer[self._at:self._at + n]
        self._at += n
        return n


_Targets = tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[str], frozenset[str]]


def _targets(shapes: Graph, shape: Node) -> _Targets:
    """What gives a SPARQL constraint's shape its focus nodes: the targets of the shape, or of the node
    shapes that use it — classes, implicit classes, nodes, subjectsOf and objectsOf predicates."""
    from rdflib.namespace import RDF, RDFS, SH

    from .shacl_core import term

    owners = [shape, *shapes.subjects(SH.property, shape)]
    return (frozenset(term(c) for o in owners for c in shapes.objects(o, SH.targetClass)),
            frozenset(term(o) for o in owners if (o, RDF.type, RDFS.Class) in shapes),
            frozenset(term(n) for o in owners for n in shapes.objects(o, SH.targetNode)),
            frozenset(term(p) for o in owners for p in shapes.objects(o, SH.targetSubjectsOf)),
            frozenset(term(p) for o in owners for p in shapes.objects(o, SH.targetObjectsOf)))


def _focus_nodes(index: DataIndex, targets: _Targets) -> set[str]:
    """The focus nodes (IRIs) of the targets: instances of the classes (and their subclasses) and of the
    implicit classes, the nodes, the subjects and objects of the predicates."""
    from .ntriples import value
    from .shacl_core import RDF_TYPE

    classes, implicit, named, subjects_of, objects_of = targets
    nodes: set[str] = set(named)
    for cls in classes:
        nodes.update(index.instances(cls))
    for cls in implicit:
        nodes.update(index.subjects(RDF_TYPE, cls))
    for p in subjects_of:
        nodes.update(t[0] for t in index.by_p.get(p, ()))
    for p in objects_of:
        nodes.update(t[2] for t in index.by_p.get(p, ()))
    shown = {n[1:-1] if n[0] == "<" else value(n) for n in nodes}
    return {n for n in shown if n.startswith(("http://", "https://", "urn:"))}


def _path_sparql(shapes: Graph, path: Any, nm: NamespaceManager | None = None) -> str:
    """A SHACL property path in SPARQL syntax (with prefixed names when ``nm`` is given)."""
    from rdflib.collection import Collection
    from rdflib.namespace import SH
    from rdflib.term import URIRef

    if isinstance(path, URIRef):
        return path.n3(nm) if nm is not None else f"<{path}>"
    inverse = shapes.value(path, SH.inversePath)
    if inverse is not None:
        return f"^{_path_sparql(shapes, inverse, nm)}"
    for prop, op in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"), (SH.zeroOrOnePath, "?")):
        inner = shapes.value(path, prop)
        if inner is not None:
            return f"({_path_sparql(shapes, inner, nm)}){op}"
    alternatives = shapes.value(path, SH.alternativePath)
    if alternatives is not None:
        return "(" + "|".join(_path_sparql(shapes, p, nm) for p in Collection(shapes, alternatives)) + ")"
    return "/".join(_path_sparql(shapes, p, nm) for p in Collection(shapes, path))


# ------------------------------------------------------------------- what a query's patterns can match


class _Unknown(Exception):
    """The query has something whose predicates the scan cannot tell."""


def query_predicates(query: str) -> set[str] | None:
    """The IRIs a SPARQL SELECT query can match in predicate position, or ``None`` where that is not
    known: a variable or a negated property set (``!p``) as predicate, ``GRAPH``, ``SERVICE``,
    ``FROM``, ``BASE``, an undeclared prefix, or anything else the scan does not understand.

    A small parser over the tokens of :mod:`kdgraph.sparql_text` (comments, strings and IRIs already
    whole): the prologue, the projection, every group graph pattern (``OPTIONAL``, ``MINUS``, ``UNION``,
    ``FILTER``, ``BIND``, ``VALUES``, sub-selects, and the groups of ``EXISTS`` in any expression) and
    every triples block, whose verbs are IRIs, ``a`` or property paths of them. Collections add
    ``rdf:first`` and ``rdf:rest``.
    """
    try:
        return _QueryScan(query).run()
    except (_Unknown, IndexError):
        return None
    except Exception as exc:  # the lexical scan's errors (an unterminated string, …)
        from .errors import KdgraphError

        if isinstance(exc, KdgraphError):
            return None
        raise


class _QueryScan:
    def __init__(self, query: str) -> None:
        from .sparql_text import _tokens

        self.toks: list[tuple[str, str]] = []
        for t in _tokens(query):
            if t.kind == "word" and len(t.text) > 1 and t.text.endswith("."):
                self.toks.append(("word", t.text.rstrip(".")))
                self.toks.append(("word", "."))
            else:
                self.toks.append((t.kind, t.text))
        self.i = 0
        self.ns: dict[str, str] = {}
        self.preds: set[str] = set()

    # token helpers ------------------------------------------------------------------------------
    def peek(self) -> tuple[str, str]:
        return self.toks[self.i] if self.i < len(self.toks) else ("end", "")

    def take(self) -> tuple[str, str]:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def expect(self, kind: str, text: str | None = None) -> None:
        tok = self.take()
        if tok[0] != kind or (text is not None and tok[1] != text):
            raise _Unknown(f"expected {text or kind}, got {tok[1]!r}")

    def word(self) -> str:
        kind, text = self.peek()
        return text.lower() if kind == "word" else ""

    def punct(self, chars: str) -> bool:
        kind, text = self.peek()
        return kind == "punct" and text in chars

    # query ----------------------------------------------------------------------------------------
    def run(self) -> set[str]:
        while self.word() in ("prefix", "base"):
            if self.take()[1].lower() == "base":
                raise _Unknown("BASE")
            kind, name = self.take()
            if kind != "word" or not name.endswith(":"):
                raise _Unknown("PREFIX")
            kind, iri = self.take()
            if kind != "iri":
                raise _Unknown("PREFIX")
            self.ns[name[:-1]] = iri[1:-1]
        if self.word() != "select":
            raise _Unknown("not a SELECT query")
        self.select("end", "a group after the WHERE clause")
        return self.preds

    def projection(self) -> None:
        while True:
            kind, _ = self.peek()
            if kind == "open" or self.word() == "where":
                return
            if self.word() == "from" or kind in ("end", "close"):
                raise _Unknown("FROM or no WHERE group")
            if self.punct("("):
                self.expression()
            else:
                self.take()

    def expression(self) -> None:
        """A parenthesized expression; the groups of EXISTS / NOT EXISTS in it are scanned."""
        self.expect("punct", "(")
        depth = 1
        while depth:
            kind, text = self.peek()
            if kind == "open":
                self.group()
                continue
            if kind in ("close", "end"):
                raise _Unknown("unbalanced expression")
            self.take()
            if kind == "punct" and text == "(":
                depth += 1
            elif kind == "punct" and text == ")":
                depth -= 1

    def values_block(self) -> None:
        if self.peek()[0] == "var":
            self.take()
        else:
            self.expect("punct", "(")
            while not self.punct(")"):
                self.expect("var")
            self.take()
        self.expect("open")
        while self.peek()[0] != "close":
            if self.peek()[0] in ("open", "end"):
                raise _Unknown("VALUES")
            self.take()
        self.take()

    def group(self) -> None:
        self.expect("open")
        while True:
            kind, _ = self.peek()
            word = self.word()
            if kind == "close":
                self.take()
                return
            if kind == "open":
                self.group()
            elif word == ".":
                self.take()
            elif word in ("optional", "minus"):
                self.take()
                self.group()
            elif word == "union":
                self.take()
                if self.peek()[0] != "open":
                    raise _Unknown("UNION")
            elif word == "filter":
                self.take()
                self.constraint()
            elif word == "bind":
                self.take()
                self.expression()
            elif word == "values":
                self.take()
                self.values_block()
            elif word == "select":
                self.subselect()
            elif word in ("graph", "service"):
                raise _Unknown(word)
            else:
                self.triples()

    def subselect(self) -> None:
        self.select("close", "sub-select")

    def select(self, stop: str, unknown: str) -> None:
        """``SELECT`` (the next token), its projection, WHERE group and solution modifiers, up to a
        token of kind ``stop`` (the query's end, or a sub-select's closing brace)."""
        self.take()
        self.projection()
        if self.word() == "where":
            self.take()
        self.group()
        while self.peek()[0] != stop:  # solution modifiers
            if self.punct("("):
                self.expression()
            elif self.word() == "values":
                self.take()
                self.values_block()
            elif self.peek()[0] in ({"open", "close", "end"} - {stop}):
                raise _Unknown(unknown)
            else:
                self.take()

    def constraint(self) -> None:
        kind, _ = self.peek()
        word = self.word()
        if self.punct("("):
            self.expression()
        elif word == "not":
            self.take()
            if self.word() != "exists":
                raise _Unknown("NOT without EXISTS")
            self.take()
            self.group()
        elif word == "exists":
            self.take()
            self.group()
        elif kind in ("word", "iri"):  # a function call
            self.take()
            self.expression()
        else:
            raise _Unknown("FILTER")

    # triples --------------------------------------------------------------------------------------
    def triples(self) -> None:
        if self.punct("["):
            self.bnode_properties()
            if self.at_verb():
                self.properties()
        elif self.punct("("):
            self.collection()
            self.properties()
        else:
            self.term()
            self.properties()

    def at_verb(self) -> bool:
        kind, text = self.peek()
        return (kind in ("var", "iri") or (kind == "punct" and text in "^(!")
                or (kind == "word" and (text == "a" or ":" in text)))

    def properties(self) -> None:
        while True:
            self.verb()
            self.object()
            while self.punct(","):
                self.take()
                self.object()
            if not self.punct(";"):
                return
            while self.punct(";"):
                self.take()
            if not self.at_verb():
                return

    def verb(self) -> None:
        if self.peek()[0] == "var":
            raise _Unknown("a variable predicate")
        self.path()

    def path(self) -> None:
        self.path_sequence()
        while self.punct("|"):
            self.take()
            self.path_sequence()

    def path_sequence(self) -> None:
        self.path_step()
        while self.punct("/"):
            self.take()
            self.path_step()

    def path_step(self) -> None:
        if self.punct("^"):
            self.take()
        kind, text = self.peek()
        if kind == "iri":
            self.take()
            self.preds.add(self.iri(text))
        elif kind == "word" and text == "a":
            self.take()
            self.preds.add(f"{_RDF}type")
        elif kind == "word" and ":" in text:
            self.take()
            self.preds.add(self.pname(text))
        elif self.punct("("):
            self.take()
            self.path()
            self.expect("punct", ")")
        else:
            raise _Unknown(f"path {text!r}")
        if self.punct("*+?"):
            self.take()

    def object(self) -> None:
        if self.punct("["):
            self.bnode_properties()
        elif self.punct("("):
            self.collection()
        else:
            self.term()

    def bnode_properties(self) -> None:
        self.expect("punct", "[")
        if not self.punct("]"):
            self.properties()
        self.expect("punct", "]")

    def collection(self) -> None:
        self.expect("punct", "(")
        self.preds.update((f"{_RDF}first", f"{_RDF}rest"))
        while not self.punct(")"):
            self.object()
        self.take()

    def term(self) -> None:
        import re

        kind, text = self.take()
        if kind in ("var", "iri"):
            return
        if kind == "string":
            if self.punct("@"):
                self.take()
                self.expect("word")
            elif self.punct("^"):
                self.take()
                self.expect("punct", "^")
                if self.peek()[0] not in ("iri", "word"):
                    raise _Unknown("datatype")
                self.take()
            return
        if kind == "punct" and text in "+-" and self.peek()[0] == "word":
            kind, text = self.take()
        if kind == "word" and (":" in text or text in ("true", "false")
                               or re.fullmatch(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?", text)):
            return
        raise _Unknown(f"term {text!r}")

    def iri(self, text: str) -> str:
        iri = text[1:-1]
        if ":" not in iri:
            raise _Unknown("a relative IRI")
        return iri

    def pname(self, text: str) -> str:
        prefix, local = text.split(":", 1)
        if prefix not in self.ns or "\\" in local:
            raise _Unknown(f"prefix {prefix}:")
        return self.ns[prefix] + local
