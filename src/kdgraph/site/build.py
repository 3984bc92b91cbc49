"""``build_site``: the static site of a build, made from its dumps alone.

Every resource with an IRI under the base (and the vocabulary's fixed IRIs) gets a folder whose path
mirrors its IRI: ``{base}paper/x`` → ``site/paper/x/`` holding ``index.html`` (the page, with the
resource's triples embedded as JSON-LD), ``index.ttl`` and ``index.jsonld`` (the same triples). A
static host serving ``{base}`` from ``site/`` therefore dereferences every URI; the bundled
``nginx.conf`` adds content negotiation. Index pages, charts, canned queries with their results, the
dataset description, the ontology's documentation, the dumps and ``sitemap.xml`` complete the site.

The output is a pure function of the dumps: sorted, no timestamps, and written atomically (a staging
folder swapped in by renames).
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.resources import files as package_files
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from ..errors import KdgraphError
from ..namespaces import DEFAULT_BASE, PREFIXES
from . import charts
from .graph import (
    DCT,
    RESERVED,
    SDO,
    VOID,
    BNode,
    Graph,
    Lit,
    Triple,
    defrag,
    read_triples,
    site_path,
)
from .rdfio import Compactor, json_text, script_json, turtle
from .views import Here, PaperInfo, SiteModel, sort_text

Progress = Callable[[str], None]
SITE_DIR = "site"
DUMP_FILES = ("kdgraph.ttl", "kdgraph.jsonld", "kdgraph.nq", "void.ttl", "ontology.ttl", "context.jsonld",
              "quality-report.txt", "quality-report.json")
MEDIA_TYPES = {"kdgraph.ttl": "text/turtle", "kdgraph.jsonld": "application/ld+json",
               "kdgraph.nq": "application/n-quads", "void.ttl": "text/turtle", "ontology.ttl": "text/turtle",
               "context.jsonld": "application/ld+json", "quality-report.txt": "text/plain",
               "quality-report.json": "application/json"}


@dataclass(slots=True)
class SiteReport:
    """What :func:`build_site` wrote."""

    site: Path
    base: str
    pages: int
    files: int
    bytes: int
    seconds: float
    kinds: dict[str, int] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    """IRIs under the base that got no page, each with the reason."""


def _quiet(_: str) -> None:
    pass


def _environment() -> Any:
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    env = Environment(loader=PackageLoader("kdgraph.site", "templates"),
                      autoescape=select_autoescape(["html", "xml"]), undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, auto_reload=False)
    env.filters["n"] = _number
    return env


def _number(value: object) -> str:
    """A count with thin spaces between thousands (``6 031``); empty for none."""
    if value in (None, ""):
        return ""
    return f"{int(str(value)):,}".replace(",", "\u202f")


def _static() -> dict[str, bytes]:
    """The files of the package's ``static/`` folder (found in a checkout and when installed)."""
    root = package_files("kdgraph.site") / "static"
    entries = sorted(root.iterdir(), key=lambda e: e.name)
    return {f"static/{entry.name}": entry.read_bytes() for entry in entries if entry.is_file()}


def base_of(out: Path) -> str:
    """The URI base of a build: ``void:uriSpace`` of its dataset description, else the default."""
    void = out / "void.ttl"
    if void.is_file():
        for _, p, o in read_triples(void):
            if p == VOID + "uriSpace" and isinstance(o, Lit):
                return o.value
    return DEFAULT_BASE


class _Writer:
    """Collects the site's files (relative path → bytes) and its HTML pages."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.pages: list[str] = []

    def add(self, path: str, data: bytes | str) -> None:
        if path in self.files:
            raise KdgraphError(f"site: two files at {path} — report this as a kdgraph bug")
        self.files[path] = data.encode("utf-8") if isinstance(data, str) else data

    def page(self, folder: str, html: str) -> None:
        self.add(f"{folder}/index.html" if folder else "index.html", html)
        self.pages.append(folder)


def build_site(out: Path, base: str | None = None, progress: Progress = _quiet) -> SiteReport:
    """Write the static site of the build in ``out`` to ``out/site/`` (atomically) and report on it.

    ``base`` is the build's URI base; by default the one its ``void.ttl`` states. Raises KdgraphError
    when ``out`` holds no build.
    """
    started = time.perf_counter()
    data = out / "kdgraph.ttl"
    if not data.is_file():
        raise KdgraphError(f"{data}: no such file — build first with `kdgraph build --out {out}`")
    base = base or base_of(out)
    if not re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+/", base):
        raise KdgraphError(f"URI base {base!r}: not an http(s) IRI ending with '/' — give --base or "
                           f"rebuild with `kdgraph build --out {out}`")
    progress(f"writing the site to {out / SITE_DIR}/…")
    try:
        triples = read_triples(data)
        extra = [read_triples(out / name) for name in ("void.ttl", "ontology.ttl") if (out / name).is_file()]
    except (SyntaxError, ValueError, OSError) as exc:
        raise KdgraphError(f"{out}: a dump cannot be read ({' '.join(str(exc).split())[:200]}) — rebuild "
                           f"with `kdgraph build --out {out}`") from exc
    graph = Graph(triples + [t for ts in extra for t in ts])
    writer = _Writer()
    builder = _SiteBuilder(out, base, graph, writer, data=triples)
    builder.run()
    try:
        _write_atomically(out / SITE_DIR, writer.files)
    except OSError as exc:
        raise KdgraphError(f"{out / SITE_DIR}: the site cannot be written ({exc.strerror or exc}"
                           f"{': ' + str(exc.filename) if exc.filename else ''}) — the previous site, if "
                           "any, is untouched; free some space or fix the folder's permissions") from exc
    seconds = time.perf_counter() - started
    return SiteReport(site=out / SITE_DIR, base=base, pages=len(writer.pages), files=len(writer.files),
                      bytes=sum(len(b) for b in writer.files.values()), seconds=seconds,
                      kinds=dict(sorted(builder.kinds.items())), skipped=builder.skipped)


def _write_atomically(target: Path, files: dict[str, bytes]) -> None:
    """Write ``files`` into a staging folder beside ``target``, then swap it in with two renames."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-staging-", dir=target.parent))
    old = staging.with_name(staging.name.replace("-staging-", "-old-"))
    try:
        made: set[Path] = set()
        for name, data in files.items():
            path = staging / name
            if path.parent not in made:
                path.parent.mkdir(parents=True, exist_ok=True)
                made.add(path.parent)
            path.write_bytes(data)
        staging.chmod(0o755)
        if target.exists():
            os.replace(target, old)
        os.replace(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)


class _SiteBuilder:
    def __init__(self, out: Path, base: str, graph: Graph, writer: _Writer, data: list[Triple]) -> None:
        from ..publish import context
        from ..uris import Minter

        self.out = out
        self.base = base
        self.g = graph
        self.w = writer
        self.env = _environment()
        self.compactor = Compactor(context(Minter(base)))
        self.prefixes = {**PREFIXES, **{name: f"{base}{name}/" for name in (
            "paper", "person", "venue", "code", "list", "id", "resource")},
            "topic": DEFAULT_BASE + "topic/", "framework": DEFAULT_BASE + "framework/"}
        self.kinds: Counter[str] = Counter()
        self.skipped: list[str] = []
        # which IRIs have a page, and which subjects each page describes
        self.subjects: dict[str, list[str]] = defaultdict(list)
        page_of: dict[str, str] = {}
        owner: dict[str, str] = {}
        for s in sorted({s for s, _, _ in graph.triples if not isinstance(s, BNode)}):
            iri = defrag(s)
            if iri in page_of:
                self.subjects[page_of[iri]].append(s)
                continue
            path = site_path(iri, base)
            if path is None:
                if iri.startswith(base):
                    self.skipped.append(f"{iri}: its path cannot be a folder of the site")
                continue
            if path.split("/", 1)[0] in RESERVED:
                self.skipped.append(f"{iri}: its path {path!r} is taken by the site's own pages")
                continue
            if path in owner:
                self.skipped.append(f"{iri}: its folder {path!r} is the page of <{owner[path]}>")
                continue
            owner[path] = iri
            page_of[iri] = path
            self.subjects[path].append(s)
        file_of = {f"{base}dumps/{name}": f"dumps/{name}" for name in DUMP_FILES if (out / name).is_file()}
        self.model = SiteModel(graph, base, page_of, file_of, data)
        self.version = graph.text(f"{base}dataset", DCT + "hasVersion") or ""

    # ------------------------------------------------------------------------------------------ render

    def render(self, template: str, path: str, **values: Any) -> str:
        here = Here(self.model, path)
        canonical = self.base + (quote(path, safe="/-._~") + "/" if path else "")
        html: str = self.env.get_template(template).render(
            site=here, m=self.model, base=self.base, canonical=canonical, version=self.version, **values)
        return html

    def run(self) -> None:
        self.resource_pages()
        self.index_pages()
        self.chart_files()
        self.query_pages()
        self.files()

    def resource_pages(self) -> None:
        model = self.model
        templates = set(self.env.list_templates())
        for path in sorted(self.subjects):
            subjects = self.subjects[path]
            iri = defrag(subjects[0])
            triples: list[Triple] = [t for s in subjects for t in self.g.about(s)]
            text = json_text(self.compactor.document(triples))
            kind = model.kind(iri)
            self.kinds[kind] += 1
            template = f"{kind}.html" if f"{kind}.html" in templates else "resource.html"
            html = self.render(template, path, iri=iri, kind=kind, title=model.label(iri),
                               jsonld=script_json(text), alternates=True, **model.view(iri, kind))
            self.w.page(path, html)
            self.w.add(f"{path}/index.ttl", turtle(triples, self.prefixes))
            self.w.add(f"{path}/index.jsonld", text + "\n")

    # ------------------------------------------------------------------------------------------ indexes

    def index_pages(self) -> None:
        m = self.model
        papers = m.sorted_papers()
        g = self.g
        counts = {
            "papers": len(m.papers), "people": len(m.people()), "venues": len(m.series()),
            "events": len(g.of_type(SDO + "Event")), "repositories": len(m.repositories()),
            "topics": sum(1 for t in m.topics() if m.by_topic.get(t)),
            "lists": len(m.lists()), "triples": len(m.data),
        }
        dumps = [(name, MEDIA_TYPES[name], (self.out / name).stat().st_size) for name in DUMP_FILES
                 if (self.out / name).is_file()]
        example = next((p for p in papers if p.code and p.authors), papers[0] if papers else None)
        self.w.page("", self.render(
            "home.html", "", title="kdgraph: the knowledge-distillation literature graph", counts=counts,
            dumps=dumps, lists=m.lists(), example=example, jsonld=None, alternates=False,
            description=g.text(f"{self.base}dataset", DCT + "description"),
            with_code=sum(1 for p in papers if p.code), charts=self.chart_meta()))
        self.w.page("papers", self.render(
            "papers.html", "papers", title="All papers, A–Z", jsonld=None, alternates=False,
            groups=[("", sorted(papers, key=lambda p: (sort_text(p.title), p.iri)))], view="all"))
        topic_groups = [(t, m.sorted_papers(m.by_topic.get(t, []), newest_first=True)) for t in m.topics()
                        if m.by_topic.get(t)]
        untopical = [p for p in papers if not p.topics]
        if untopical:
            topic_groups.append(("", m.sorted_papers(untopical, newest_first=True)))
        self.w.page("papers/by-topic", self.render(
            "papers.html", "papers/by-topic", title="Papers by topic", jsonld=None, alternates=False,
            groups=topic_groups, view="topic", chart=self.chart_meta()["topics"], table=self.topic_table()))
        years: dict[int | None, list[PaperInfo]] = defaultdict(list)
        for p in papers:
            years[p.year].append(p)
        year_groups = [(y, years[y]) for y in sorted(years, key=lambda y: -(y or 0))]
        self.w.page("papers/by-year", self.render(
            "papers.html", "papers/by-year", title="Papers by year", jsonld=None, alternates=False,
            groups=year_groups, view="year"))
        venue_groups = [(s, m.sorted_papers(m.by_series[s], newest_first=True)) for s in m.series()
                        if m.by_series.get(s)]
        unplaced = [p for p in papers if not (p.series or p.periodical)]
        if unplaced:
            venue_groups.append(("", m.sorted_papers(unplaced, newest_first=True)))
        self.w.page("papers/by-venue", self.render(
            "papers.html", "papers/by-venue", title="Papers by venue", jsonld=None, alternates=False,
            groups=venue_groups, view="venue"))
        letters: dict[str, list[str]] = defaultdict(list)
        for person in m.people():
            first = m.label(person)[:1].upper()
            letters[first if first.isalpha() and first.isascii() else "#"].append(person)
        self.w.page("people", self.render(
            "people.html", "people", title="People A–Z", jsonld=None, alternates=False,
            letters=sorted(letters.items(), key=lambda kv: (kv[0] == "#", kv[0]))))
        self.w.page("repositories", self.render(
            "repositories.html", "repositories", title="Code repositories", jsonld=None, alternates=False,
            repos=[(r, g.iris(r, SDO + "codeRepository"), g.iris(r, SDO + "softwareRequirements"),
                    m.by_code.get(r, [])) for r in m.repositories()],
            chart=self.chart_meta()["frameworks"], rows=self.framework_rows()))
        self.w.add("404.html", self.render("404.html", "", title="Not found", jsonld=None, alternates=False))

    def topic_table(self) -> dict[str, Any]:
        m = self.model
        years = m.years()
        rows = []
        for t in m.topics():
            papers = m.by_topic.get(t, [])
            if not papers:
                continue
            counts = Counter(p.year for p in papers if p.year is not None)
            rows.append((t, [counts.get(y, 0) for y in years], len(papers)))
        return {"years": years, "rows": rows}

    def framework_rows(self) -> tuple[list[tuple[str | None, int]], int, int]:
        m = self.model
        with_code = [p for p in m.papers.values() if p.code]
        counts: Counter[str] = Counter(f for p in with_code for f in p.frameworks)
        rows: list[tuple[str | None, int]] = [
            (f, counts[f]) for f in sorted(counts, key=lambda f: (-counts[f], sort_text(m.label(f))))]
        unstated = sum(1 for p in with_code if not p.frameworks)
        if unstated:
            rows.append((None, unstated))
        return rows, len(with_code), len(m.papers)

    # ------------------------------------------------------------------------------------------ charts

    def chart_meta(self) -> dict[str, dict[str, str]]:
        rows, with_code, total = self.framework_rows()
        m = self.model
        years = m.years()
        span = f"{years[0]}–{years[-1]}" if years else "no dated papers"
        return {
            "topics": {"file": "charts/papers-per-year-by-topic.svg",
                       "title": "Papers per year, by topic",
                       "alt": (f"Small bar charts, one per topic, of how many papers of each topic were "
                               f"published each year, {span}, on a shared scale. The same numbers are in "
                               f"the table of papers per topic and year.")},
            "frameworks": {"file": "charts/code-by-framework.svg",
                           "title": "Papers with code, by framework",
                           "alt": (f"Bar chart: {with_code} of {total} papers link code; for each framework, "
                                   f"the share of those papers whose code uses it: "
                                   + "; ".join(f"{m.label(f) if f else 'framework not stated'} {n}"
                                               for f, n in rows) + ".")},
        }

    def chart_files(self) -> None:
        m = self.model
        years = m.years()
        series = []
        for t in m.topics():
            papers = m.by_topic.get(t, [])
            if papers:
                series.append(charts.Series(m.label(t), dict(Counter(p.year for p in papers if p.year))))
        series.sort(key=lambda s: (-s.total, sort_text(s.label)))
        meta = self.chart_meta()
        self.w.add(meta["topics"]["file"], charts.small_multiples(
            series, years, title=meta["topics"]["title"], desc=meta["topics"]["alt"]))
        rows, with_code, total = self.framework_rows()
        share = with_code / total if total else 0.0
        self.w.add(meta["frameworks"]["file"], charts.share_bars(
            [(m.label(f) if f else "framework not stated", n) for f, n in rows], with_code,
            title=meta["frameworks"]["title"], desc=meta["frameworks"]["alt"],
            note=(f"{with_code} of {total} papers ({share:.0%}) link code; bars: share of those papers "
                  f"per framework")))

    # ------------------------------------------------------------------------------------------ queries

    def query_pages(self) -> None:
        import pyoxigraph as ox

        from ..query import bindings, canned_queries, run_store
        from ..results import plain

        folder = self.out / "queries"
        queries = canned_queries(folder if folder.is_dir() else None)
        store = ox.Store()
        nq = self.out / "kdgraph.nq"
        if nq.is_file():
            store.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS)
        entries = []
        for q in queries:
            values = {p.name: p.default or "" for p in q.params}
            error = None
            result = None
            try:
                result = run_store(store, q.text, bindings(q, {}))
            except KdgraphError as exc:
                error = str(exc)
            rows: list[list[Any]] = []
            variables: list[str] = []
            if result is not None and result.kind == "select":
                variables = result.variables
                rows = [[self._cell(t, plain) for t in row] for row in result.rows]
            elif result is not None and result.kind == "graph":
                variables = ["subject", "predicate", "object"]
                parsed = ox.parse(input="\n".join(result.ntriples), format=ox.RdfFormat.N_TRIPLES)
                rows = [[t.value if isinstance(t, ox.NamedNode) else Lit(t.value) for t in
                         (quad.subject, quad.predicate, quad.object)] for quad in parsed]
            path = f"queries/{q.name}"
            self.w.add(f"{path}/{q.name}.rq", q.text)
            self.w.page(path, self.render(
                "query.html", path, title=q.title or q.name, q=q, values=values, error=error,
                result=result, variables=variables, rows=rows, jsonld=None, alternates=False))
            entries.append((q, len(rows) if result is not None and result.kind != "ask" else None,
                            result.boolean if result is not None and result.kind == "ask" else None))
        self.w.page("queries", self.render("queries.html", "queries", title="Canned SPARQL queries",
                                           entries=entries, jsonld=None, alternates=False))

    @staticmethod
    def _cell(term: str | None, plain: Callable[[str | None], str]) -> Any:
        """A result cell: an IRI (str, linked by the template), a literal's text, or None."""
        if term is None:
            return None
        if term.startswith("<") and term.endswith(">"):
            return term[1:-1]
        return Lit(plain(term))

    # ------------------------------------------------------------------------------------------ files

    def files(self) -> None:
        for name in DUMP_FILES:
            if (self.out / name).is_file():
                self.w.add(f"dumps/{name}", (self.out / name).read_bytes())
        for name, data in _static().items():
            self.w.add(name, data)
        parts = urlsplit(self.base)
        self.w.add("nginx.conf", self.env.get_template("nginx.conf").render(
            base=self.base, host=parts.hostname or "localhost", path=parts.path or "/"))
        self.w.add("robots.txt", f"User-agent: *\nAllow: /\nSitemap: {self.base}sitemap.xml\n")
        urls = sorted(self.base + (quote(p, safe="/-._~") + "/" if p else "") for p in self.w.pages)
        self.w.add("sitemap.xml", self.env.get_template("sitemap.xml").render(urls=urls))

