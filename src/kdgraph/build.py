"""The build: extract → reconcile → map → validate → publish, the main job of ``kdgraph build``.

A build that fails (unreadable list, SHACL violation) raises :class:`~kdgraph.errors.KdgraphError` before
anything is written, so the previous good output stays as it was.
"""

from __future__ import annotations

import hashlib
import json
import resource
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import URIRef
from rdflib.namespace import DCTERMS, RDF, SDO

from . import __version__
from .errors import KdgraphError
from .extract import Extraction, extract_all
from .mapping import Mapped, Quad, map_graph
from .paths import project_dir
from .publish import (
    SourceInfo,
    context,
    dataset_description,
    jsonld,
    nquads,
    ontology,
    turtle,
    union_graph,
    write_atomically,
)
from .reconcile import Reconciled, reconcile
from .records import Diagnostic
from .site import build_site
from .sources import Source
from .store import STORE_DIR, write_store
from .uris import Minter
from .validate import Report, validate_graph

Progress = Callable[[str], None]
CACHE_DIR = ".cache"  # extractions by content hash: a rebuild reads again only the lists that changed


@dataclass(slots=True)
class BuildResult:
    out: Path
    extractions: list[Extraction]
    reconciled: Reconciled
    mapped: Mapped
    report: Report
    diagnostics: list[Diagnostic]
    counts: dict[str, int] = field(default_factory=dict)
    files: dict[str, int] = field(default_factory=dict)
    site_pages: int = 0
    steps: dict[str, StepTime] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class StepTime:
    """Wall seconds of one build step, and the process's peak resident memory (MiB) after it."""

    seconds: float
    peak_mib: float


class _Clock:
    """Times the build's steps for ``kdgraph.build`` callers (the benchmark reads them)."""

    def __init__(self) -> None:
        self.steps: dict[str, StepTime] = {}
        self._last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
        self.steps[name] = StepTime(seconds=now - self._last, peak_mib=peak)
        self._last = now


def _quiet(_: str) -> None:
    pass


def quality_report(diagnostics: list[Diagnostic], report: Report) -> tuple[bytes, bytes]:
    """The data-quality report as text and JSON: every doubt with its file:line."""
    diags = sorted(diagnostics, key=lambda d: (d.file, d.line, d.code, d.message))
    lines = [f"kdgraph data-quality report: {len(diags)} diagnostics from the lists, "
             f"{len(report.warnings)} SHACL warnings, {len(report.violations)} SHACL violations", ""]
    lines += ["## Diagnostics from reading and reconciling the lists", ""]
    lines += [str(d) for d in diags]
    lines += ["", "## SHACL findings", ""]
    lines += [str(f) for f in report.findings]
    text = ("\n".join(lines) + "\n").encode("utf-8")
    data = {"diagnostics": [d.to_dict() for d in diags], "shacl": json.loads(report.json())}
    return text, (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def build(sources: list[Source], out: Path, *, base: str | None = None,
          progress: Progress = _quiet, site: bool = True) -> BuildResult:
    """Build the graph of ``sources`` into ``out`` (and its site, unless ``site`` is False); raises
    KdgraphError on bad input or violations."""
    minter = Minter(base) if base else Minter()
    clock = _Clock()
    progress(f"reading {len(sources)} list(s)…")
    extractions, errors = extract_all(sources, cache=out / CACHE_DIR)
    if errors:
        raise KdgraphError(str(errors[0]) + (f" (and {len(errors) - 1} more)" if len(errors) > 1
                                             else ""))
    clock.lap("extract")
    progress("reconciling papers, people, venues and repositories…")
    reconciled = reconcile(extractions)
    progress("mapping to RDF…")
    mapped = map_graph(extractions, reconciled, minter)
    graph = union_graph(mapped.quads, minter)
    clock.lap("reconcile + map")
    progress(f"validating {len(graph)} triples against the SHACL shapes…")
    report = validate_graph(graph, mapped.origins)
    clock.lap("validate")
    diagnostics = [d for e in extractions for d in e.diagnostics] + reconciled.diagnostics
    if not report.conforms:
        first = report.violations[0]
        raise KdgraphError(
            f"{first.where[0] + ': ' if first.where else ''}the graph violates the SHACL shapes "
            f"({len(report.violations)} violations; first: <{first.focus}> {first.path or ''}: "
            f"{first.message}) — nothing was written; run `kdgraph validate` on the data for the "
            "full report")

    progress("writing dumps…")
    version = f"{__version__}+{_inputs_hash(extractions)}"
    files: dict[str, bytes] = {"kdgraph.ttl": turtle(mapped.quads, minter)}
    clock.lap("Turtle")
    files["kdgraph.jsonld"] = jsonld(graph, minter)
    files["context.jsonld"] = (json.dumps(context(minter), indent=1) + "\n").encode("utf-8")
    clock.lap("JSON-LD")
    onto = ontology(minter, __version__)
    files["ontology.ttl"] = onto.serialize(format="turtle", encoding="utf-8")
    onto_graph = URIRef(minter.ontology)
    quads: list[Quad] = [*mapped.quads, *((URIRef(str(s)), URIRef(str(p)), o, onto_graph)
                                          for s, p, o in onto)]
    files["kdgraph.nq"] = nquads(quads)
    clock.lap("N-Quads")
    per_source = [
        SourceInfo(id=e.source.id, title=e.source.title, origin=e.source.origin, sha256=e.sha256,
                   triples=sum(1 for q in mapped.quads if str(q[3]) == minter.graph(e.source.id)))
        for e in extractions
    ]
    sizes = {name: len(files[name]) for name in ("kdgraph.ttl", "kdgraph.jsonld", "kdgraph.nq")}
    void = dataset_description(graph, minter, per_source, sizes, version)
    files["void.ttl"] = void.serialize(format="turtle", encoding="utf-8")
    files["quality-report.txt"], files["quality-report.json"] = quality_report(diagnostics, report)
    for query in sorted(project_dir("queries").glob("*.rq")):
        files[f"queries/{query.name}"] = query.read_bytes()
    clock.lap("VoID + reports")

    def make_store(staging: Path) -> list[str]:
        progress("loading the embedded store…")
        write_store(staging / "kdgraph.nq", staging / STORE_DIR)
        return [STORE_DIR]

    write_atomically(out, files, make_store)
    clock.lap("write + store")
    pages = build_site(out, minter.base, progress=progress).pages if site else 0
    if site:
        clock.lap("site")

    counts = {
        "papers": len(reconciled.papers),
        "people": len(reconciled.persons),
        "venue series": len({s for s in graph.subjects(RDF.type, SDO.EventSeries)}
                            | {s for s in graph.subjects(RDF.type, SDO.Periodical)}),
        "events": len(set(graph.subjects(RDF.type, SDO.Event))),
        "repositories": len(reconciled.repos),
        "topics": len(set(graph.objects(None, DCTERMS.subject))),
        "list items": sum(len(v) for v in reconciled.items.values()),
        "triples": len(graph),
        "warnings": sum(1 for d in diagnostics if d.severity == "warning") + len(report.warnings),
    }
    return BuildResult(out=out, extractions=extractions, reconciled=reconciled, mapped=mapped,
                       report=report, diagnostics=diagnostics, counts=counts,
                       files={k: len(v) for k, v in files.items()}, site_pages=pages,
                       steps=clock.steps)


def _inputs_hash(extractions: list[Extraction]) -> str:
    digest = hashlib.sha256()
    for e in sorted(extractions, key=lambda e: e.source.id):
        digest.update(f"{e.source.id}:{e.sha256}\n".encode())
    return digest.hexdigest()[:12]
