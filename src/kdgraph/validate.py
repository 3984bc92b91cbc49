"""Validation: the graph against the SHACL shapes of ``shapes/``.

A ``sh:Violation`` makes the graph wrong and stops a build; a ``sh:Warning`` is a doubt of the data and
goes into the quality report. Each finding names its focus node, path and message, and the source
``file:line`` the focus node came from when the caller knows it.

By default (``engine="fast"``) the SHACL Core constraints run in :mod:`kdgraph.shacl_core` (an index of
the triples, every shape for all its focus nodes at once; a shapes graph it does not fully know goes to
pySHACL instead), and the SHACL-SPARQL constraints (``sh:sparql``) run on pyoxigraph, once per constraint
— ``$this`` pre-bound to the focus nodes with a ``VALUES`` block and ``$PATH`` replaced by the shape's
path, as the SHACL-SPARQL specification defines them. pySHACL evaluates such a constraint with one query
per focus node. ``engine="pyshacl"`` runs everything in pySHACL, the reference; the tests check that both
engines report the same results on every shape case and on the bundled build.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .paths import project_dir

if TYPE_CHECKING:
    from rdflib import Graph

SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}


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
    findings: list[Finding] = field(default_factory=list)
    graph: Graph | None = None

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

    def json(self) -> str:
        return json.dumps({"conforms": self.conforms,
                           "violations": len(self.violations),
                           "warnings": len(self.warnings),
                           "results": [asdict(f) for f in self.findings]},
                          ensure_ascii=False, indent=2)


def load_shapes(folder: Path | None = None) -> Graph:
    """Every ``*.ttl`` of the shapes folder as one shapes graph."""
    from rdflib import Graph

    shapes = Graph()
    for path in sorted((folder or project_dir("shapes")).glob("*.ttl")):
        shapes.parse(path, format="turtle")
    return shapes


def validate_graph(data: Graph, origins: dict[str, list[str]] | None = None,
                   shapes: Graph | None = None, engine: str = "fast") -> Report:
    """Validate ``data``; ``origins`` maps node IRIs to the ``file:line`` they came from."""
    from rdflib.namespace import SH

    shapes = shapes if shapes is not None else load_shapes()
    sparql: list[Finding] = []
    origins = origins or {}
    nm = data.namespace_manager
    if engine == "fast":
        from .shacl_core import core_findings

        shapes, sparql = _sparql_constraints(data, shapes)
        core = core_findings(data, shapes, nm)
        if core is not None:
            findings = [Finding(severity=f.severity, focus=f.focus, path=f.path, message=f.message,
                                value=f.value, shape=f.shape, where=tuple(origins.get(f.focus, ())))
                        for f in sparql + core]
            findings.sort(key=lambda f: (SEVERITY_ORDER.get(f.severity, 3), f.where, f.focus,
                                         f.path or "", f.message, f.value or ""))
            return Report(findings=findings, graph=_report_graph(findings, shapes))
    from pyshacl import validate

    _, results, _ = validate(data, shacl_graph=shapes, inference="none", advanced=True,
                             allow_warnings=True)
    findings = [
        Finding(severity=f.severity, focus=f.focus, path=f.path, message=f.message, value=f.value,
                shape=f.shape, where=tuple(origins.get(f.focus, ()))) for f in sparql]
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
    findings.sort(key=lambda f: (SEVERITY_ORDER.get(f.severity, 3), f.where, f.focus,
                                 f.path or "", f.message, f.value or ""))
    return Report(findings=findings, graph=results)


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


def _sparql_constraints(data: Graph, shapes: Graph) -> tuple[Graph, list[Finding]]:
    """Evaluate the ``sh:sparql`` constraints of ``shapes`` on pyoxigraph.

    Returns the shapes graph without those constraints (for pySHACL) and their findings.
    """
    import pyoxigraph as ox
    from rdflib import Graph
    from rdflib.namespace import SH

    from .sparql_text import bind_values

    core = Graph()
    for triple in shapes:
        core.add(triple)
    constrained = list(shapes.subject_objects(SH.sparql))
    if not constrained:
        return core, []
    store = ox.Store()
    store.load(data.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    nm = data.namespace_manager
    findings: list[Finding] = []
    for shape, constraint in constrained:
        core.remove((shape, SH.sparql, constraint))
        if any(str(shapes.value(n, SH.deactivated)).lower() == "true" for n in (shape, constraint)):
            continue
        select = shapes.value(constraint, SH.select)
        if select is None:
            continue
        focus = _focus_nodes(shapes, data, shape)
        if not focus:
            continue
        path = shapes.value(shape, SH.path)
        path_text = _path_sparql(shapes, path) if path is not None else None
        path_shown = _path_sparql(shapes, path, nm) if path is not None else None
        text = str(select).replace("$this", "?this")
        if path_text is not None:
            text = text.replace("$PATH", path_text)
        prefixes = "".join(
            f"PREFIX {shapes.value(d, SH.prefix)}: <{shapes.value(d, SH.namespace)}>\n"
            for decl in shapes.objects(constraint, SH.prefixes)
            for d in shapes.objects(decl, SH.declare))
        query = bind_values(prefixes + text, {"this": [f"<{n}>" for n in sorted(focus)]})
        severity = str(shapes.value(shape, SH.severity) or SH.Violation).rsplit("#", 1)[-1]
        message = shapes.value(constraint, SH.message) or shapes.value(shape, SH.message)
        solutions = store.query(query)
        variables = [v.value for v in solutions.variables]  # type: ignore[union-attr]
        for row in solutions:  # type: ignore[union-attr]
            this = row["this"]
            if this is None:
                continue
            value = row["value"] if "value" in variables else None
            if value is None and path is None:
                value = this  # SHACL: a node shape's result has the focus node as its value
            text_message = str(message) if message is not None else "SPARQL constraint not met"
            for var in variables:
                if row[var] is not None:
                    text_message = text_message.replace(f"{{?{var}}}", row[var].value).replace(
                        f"{{${var}}}", row[var].value)
            findings.append(Finding(
                severity=severity, focus=this.value,
                path=path_shown,
                message=text_message,
                value=value.value if value is not None else None,
                shape=str(shape),
            ))
    return core, findings




def _focus_nodes(shapes: Graph, data: Graph, shape) -> set[str]:  # type: ignore[no-untyped-def]
    """The focus nodes of a shape: its own targets, or those of the node shapes that use it."""
    from rdflib.namespace import RDF, RDFS, SH

    owners = [shape, *shapes.subjects(SH.property, shape)]
    nodes: set[str] = set()
    for owner in owners:
        for cls in shapes.objects(owner, SH.targetClass):
            classes = {cls, *data.transitive_subjects(RDFS.subClassOf, cls)}
            for c in classes:
                nodes.update(str(s) for s in data.subjects(RDF.type, c))
        if (owner, RDF.type, RDFS.Class) in shapes:
            nodes.update(str(s) for s in data.subjects(RDF.type, owner))
        nodes.update(str(n) for n in shapes.objects(owner, SH.targetNode))
        for p in shapes.objects(owner, SH.targetSubjectsOf):
            nodes.update(str(s) for s in data.subjects(p, None))
        for p in shapes.objects(owner, SH.targetObjectsOf):
            nodes.update(str(o) for o in data.objects(None, p))
    return {n for n in nodes if n.startswith(("http://", "https://", "urn:"))}


def _path_sparql(shapes: Graph, path, nm=None) -> str:  # type: ignore[no-untyped-def]
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
