"""The build: extract → reconcile → map → validate → publish, the main job of ``kdgraph build``.

A build that fails (unreadable list, SHACL violation) raises :class:`~kdgraph.errors.KdgraphError` before
anything is written, so the previous good output stays as it was.
"""

from __future__ import annotations

import hashlib
import json
import resource
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from rdflib.namespace import SDO

from . import __version__
from . import ntriples as nt
from .bulk import gc_paused, release_free_memory
from .errors import KdgraphError
from .extract import Extraction, extract_all
from .mapping import Mapped, map_graph
from .paths import project_dir
from .publish import (
    SourceInfo,
    Staging,
    census,
    context,
    dataset_description,
    jsonld,
    nquads,
    nquads_chunks,
    ontology,
    prefixes,
    turtle,
)
from .reconcile import Reconciled, reconcile
from .records import Diagnostic
from .site import build_site
from .sources import Source
from .store import STORE_DIR, Batch, StoreWriter
from .uris import Minter
from .validate import Report, Validation

Progress = Callable[[str], None]
CACHE_DIR = ".cache"  # extractions by content hash: a rebuild reads again only the lists that changed
LOADER_NICENESS = 5
"""Added to the Linux nice value of the threads that load the stores, so that on a machine with few cores
they take the CPU time the build's main thread leaves instead of slowing it (100,000 entries on 2 CPUs:
55 s, 60 s without; +10 or +19 measured no better, and would starve the loads behind other busy
processes)."""


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
    data = {"diagnostics": [d.to_dict() for d in diags], "shacl": report.data()}
    return text, (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def build(sources: list[Source], out: Path, *, base: str | None = None,
          progress: Progress = _quiet, site: bool = True) -> BuildResult:
    """Build the graph of ``sources`` into ``out`` (and its site, unless ``site`` is False); raises
    KdgraphError on bad input or violations.

    Terms are N-Triples text (:mod:`kdgraph.ntriples`) throughout. From the first statements mapped on,
    two threads of lower CPU priority load them (pyoxigraph's loaders release the GIL): the embedded
    store, and an in-memory store for validation's SHACL-SPARQL constraints, which run on it as soon as
    it is loaded, while SHACL Core runs in the main thread; the dumps and reports are written meanwhile.
    A violation or an error stops both. All of it goes to a staging folder that replaces the output
    only at the end.
    """
    minter = Minter(base) if base else Minter()
    clock = _Clock()
    with gc_paused():
        result = _build(sources, out, minter, clock, progress)
    if site:
        result.site_pages = build_site(out, minter.base, progress=progress).pages
        clock.lap("site")
    return result


def _build(sources: list[Source], out: Path, minter: Minter, clock: _Clock,
           progress: Progress) -> BuildResult:
    progress(f"reading {len(sources)} list(s)…")
    extractions, errors = extract_all(sources, cache=out / CACHE_DIR)
    if errors:
        raise KdgraphError(str(errors[0]) + (f" (and {len(errors) - 1} more)" if len(errors) > 1
                                             else ""))
    clock.lap("extract")
    diagnostics = [d for e in extractions for d in e.diagnostics]
    sizes: dict[str, int] = {}
    with Staging(out) as stage:
        # two stores load in threads from the first statements mapped on, while the rest is mapped,
        # validated and written: the embedded store, and an in-memory store for the SHACL-SPARQL
        # constraints (queries over the on-disk store's named graphs measured four to ten times
        # slower); a violation or any error stops both
        store = StoreWriter(stage.folder(STORE_DIR), niceness=LOADER_NICENESS)
        constraints_store = StoreWriter(niceness=LOADER_NICENESS)
        validation: Validation | None = None

        def both(batch: Batch) -> None:
            constraints_store.add(batch)
            store.add(batch)

        try:
            progress("reconciling papers, people, venues and repositories…")
            reconciled = reconcile(extractions)
            diagnostics += reconciled.diagnostics
            progress("mapping to RDF and loading the stores…")
            mapped = map_graph(extractions, reconciled, minter, batches=both)
            triples = mapped.triples()
            onto = ontology(minter, __version__)
            onto_graph = nt.iri(minter.ontology)
            onto_quads = [(nt.from_rdflib(s), nt.from_rdflib(p), nt.from_rdflib(o), onto_graph)
                          for s, p, o in onto]
            store.add(partial(nquads, onto_quads))
            clock.lap("reconcile + map")
            version = f"{__version__}+{_inputs_hash(extractions)}"
            per_graph = Counter(q[3] for q in mapped.quads)
            progress(f"validating {len(triples)} triples against the SHACL shapes…")
            validation = Validation(triples, mapped.origins, prefixes=prefixes(minter),
                                    store=constraints_store.finish, unique=True)
            quads = sorted([*mapped.quads, *onto_quads])
            sizes["kdgraph.nq"] = stage.write("kdgraph.nq", nquads_chunks(quads))
            del quads
            clock.lap("N-Quads")
            report = validation.finish()
            constraints_store.cancel()  # its store is let go of (validation may have loaded its own)
            clock.lap("validate")
            if not report.conforms:
                first = report.violations[0]
                raise KdgraphError(
                    f"{first.where[0] + ': ' if first.where else ''}the graph violates the SHACL "
                    f"shapes ({len(report.violations)} violations; first: <{first.focus}> "
                    f"{first.path or ''}: {first.message}) — nothing was written; run "
                    "`kdgraph validate` on the data for the full report")
            release_free_memory()  # what validation's store freed in its thread's arena
            progress("writing dumps…")
            with stage.open("kdgraph.ttl") as f:
                sizes["kdgraph.ttl"] = int(turtle(triples, minter, f))
            clock.lap("Turtle")
            with stage.open("kdgraph.jsonld") as f:
                sizes["kdgraph.jsonld"] = int(jsonld(triples, minter, f))
            clock.lap("JSON-LD")
            per_source = [
                SourceInfo(id=e.source.id, title=e.source.title, origin=e.source.origin,
                           sha256=e.sha256, triples=per_graph[nt.iri(minter.graph(e.source.id))])
                for e in extractions
            ]
            counted = census(triples)
            void = dataset_description(counted, minter, per_source, dict(sizes), version)
            report_text, report_json = quality_report(diagnostics, report)
            files = {
                "context.jsonld": (json.dumps(context(minter), indent=1) + "\n").encode("utf-8"),
                "ontology.ttl": onto.serialize(format="turtle", encoding="utf-8"),
                "void.ttl": void.serialize(format="turtle", encoding="utf-8"),
                "quality-report.txt": report_text,
                "quality-report.json": report_json,
                **{f"queries/{q.name}": q.read_bytes()
                   for q in sorted(project_dir("queries").glob("*.rq"))},
            }
            for name, content in files.items():
                sizes[name] = stage.write(name, content)
            clock.lap("VoID + reports")
            progress("finishing the embedded store…")
            try:
                store.finish()
            except Exception as exc:
                raise KdgraphError(
                    f"{out / STORE_DIR}: the embedded store could not be built ({exc}) — nothing was "
                    "written; check the folder's free space and permissions, then build again") from exc
        except BaseException:
            constraints_store.cancel()  # first: validation's thread may be waiting for it
            store.cancel()
            if validation is not None:
                validation.cancel()
            raise
        stage.commit()
    clock.lap("write + store")

    counts = {
        "papers": len(reconciled.papers),
        "people": len(reconciled.persons),
        "venue series": counted.series,
        "events": counted.classes.get(f"<{SDO.Event}>", 0),
        "repositories": len(reconciled.repos),
        "topics": counted.topics,
        "list items": sum(len(v) for v in reconciled.items.values()),
        "triples": len(triples),
        "warnings": sum(1 for d in diagnostics if d.severity == "warning") + len(report.warnings),
    }
    return BuildResult(out=out, extractions=extractions, reconciled=reconciled, mapped=mapped,
                       report=report, diagnostics=diagnostics, counts=counts, files=sizes,
                       steps=clock.steps)


def _inputs_hash(extractions: list[Extraction]) -> str:
    digest = hashlib.sha256()
    for e in sorted(extractions, key=lambda e: e.source.id):
        digest.update(f"{e.source.id}:{e.sha256}\n".encode())
    return digest.hexdigest()[:12]
