"""The ``kdgraph`` command line: argument parsing and output formatting only; the work is in core modules.

Heavy libraries (rdflib, pyshacl, lxml, markdown-it) are imported inside the commands that need them, so
``kdgraph --help`` starts fast.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from . import __version__
from .cli_common import CONTEXT_SETTINGS, user_errors
from .cli_load import load
from .cli_query import queries, query
from .cli_site import serve, site
from .errors import KdgraphError

if TYPE_CHECKING:
    from .extract import Extraction
    from .sources import Source

SEVERITIES = ("info", "warning", "error")

registry_option = click.option(
    "--registry", type=click.Path(path_type=Path), default=Path("data/sources.toml"),
    show_default=True, help="Source registry (TOML) naming the lists to read.",
)


class State:
    """Options of the group that every command sees."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet

    def progress(self, message: str) -> None:
        if not self.quiet:
            click.echo(message, err=True)


@click.group(context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, "--version", prog_name="kdgraph")
@click.option("-q", "--quiet", is_flag=True, help="No progress messages on stderr.")
@click.pass_context
def main(ctx: click.Context, quiet: bool) -> None:
    """Publish knowledge-distillation reading lists as one linked-data graph.

    Reads Markdown reading lists (awesome-list bullets or inline HTML lists), turns every entry into
    a typed record, and publishes them as a schema.org + BIBO graph.

    Exit codes: 0 success, 1 bad input or a failed step (a one-line message says what and where),
    2 wrong usage.

    \b
    Examples:
      kdgraph extract --format table
      kdgraph build --out out
    """
    ctx.obj = State(quiet)


def _sources(files: tuple[Path, ...], registry: Path, only: tuple[str, ...]) -> list[Source]:
    from .sources import load_registry, source_for_file

    if files:
        return [source_for_file(f) for f in files]
    sources = load_registry(registry)
    if only:
        unknown = sorted(set(only) - {s.id for s in sources})
        if unknown:
            raise KdgraphError(f"{registry}: no source with id {', '.join(unknown)} — see "
                               "`kdgraph sources`")
        sources = [s for s in sources if s.id in only]
    return sources


def _summary(extraction: Extraction) -> str:
    result = extraction.result
    counts = {sev: sum(1 for d in result.diagnostics if d.severity == sev) for sev in SEVERITIES}
    return (f"{extraction.source.id}: {len(result.records)} records, {len(result.skipped)} items "
            f"not recorded, {counts['error']} errors, {counts['warning']} warnings, "
            f"{counts['info']} notes ({result.items} list items in {extraction.source.path})")


def _table(rows: list[dict[str, Any]]) -> str:
    columns = ["source", "line", "kind", "venue", "year", "authors", "links", "title"]
    lines = ["\t".join(columns)]
    for row in rows:
        venue = row["venue"] or {}
        links = ",".join(
            link["kind"] + (f"({link['framework']})" if link["framework"] else "")
            for link in row["links"]
        )
        cells = [row["source"], str(row["line"]), row["kind"], venue.get("series") or "",
                 str(venue.get("year") or ""), str(len(row["authors"])), links, row["title"]]
        lines.append("\t".join(cells))
    return "\n".join(lines)


@main.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@registry_option
@click.option("--source", "only", multiple=True, metavar="ID",
              help="Read only this registered source (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["json", "jsonl", "table"]), default="json",
              show_default=True, help="How to print the records.")
@click.option("--show", type=click.Choice(SEVERITIES), default="warning", show_default=True,
              help="Print diagnostics of this severity and above on stderr.")
@click.pass_obj
def extract(state: State, files: tuple[Path, ...], registry: Path, only: tuple[str, ...],
            fmt: str, show: str) -> None:
    """Read reading lists into typed records (stdout) and diagnostics (stderr).

    Without FILES, reads every list in the registry. Every list item ends up as a record or as a
    diagnostic that says why not, with file:line.

    \b
    Examples:
      kdgraph extract --format table
      kdgraph extract data/mwan0027-readinglist.md --format jsonl > records.jsonl
    """
    from .extract import extract_all

    with user_errors():
        sources = _sources(files, registry, only)
    state.progress(f"reading {len(sources)} list(s)…")
    extractions, errors = extract_all(sources)
    threshold = SEVERITIES.index(show)
    rows = [r.to_dict() for e in extractions for r in e.records]
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    elif fmt == "jsonl":
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))
    else:
        click.echo(_table(rows))
    for extraction in extractions:
        if not state.quiet:
            for diag in sorted(extraction.diagnostics, key=lambda d: (d.line, d.code)):
                if SEVERITIES.index(diag.severity) >= threshold:
                    click.echo(str(diag), err=True)
        click.echo(_summary(extraction), err=True)
    for error in errors:
        click.echo(f"Error: {error}", err=True)
    if errors:
        sys.exit(1)


@main.command()
@registry_option
def sources(registry: Path) -> None:
    """List the registered source lists: id, reader, file and origin.

    \b
    Example:
      kdgraph sources
    """
    from .sources import load_registry

    with user_errors():
        for source in load_registry(registry):
            click.echo("\t".join([source.id, source.reader, str(source.path), source.origin]))


out_option = click.option(
    "--out", type=click.Path(file_okay=False, path_type=Path), default=Path("out"),
    show_default=True, help="Output folder of the build (dumps, dataset description, reports).",
)


@main.command()
@registry_option
@out_option
@click.option("--base", metavar="IRI", default=None,
              help="URI base of the graph [default: https://w3id.org/kdgraph/].")
@click.option("--site/--no-site", default=True, show_default=True,
              help="Also write the browsable site to OUT/site/ (`kdgraph site` can do it later).")
@click.pass_obj
def build(state: State, registry: Path, out: Path, base: str | None, site: bool) -> None:
    """Build the validated graph of all registered lists and write its dumps.

    Reads every list, reconciles papers, people, venues and repositories, maps them to schema.org +
    BIBO, validates with the SHACL shapes, and writes Turtle, JSON-LD, N-Quads, the JSON-LD context,
    the VoID/DCAT description, the stamped ontology and the data-quality report to OUT. A build that
    fails leaves the previous output untouched.

    \b
    Example:
      kdgraph build --out out
    """
    from .build import build as run_build

    with user_errors():
        sources = _sources((), registry, ())
        if base is not None and not base.endswith("/"):
            raise KdgraphError(f"--base {base!r}: the URI base must end with '/'")
        result = run_build(sources, out, base=base, progress=state.progress, site=site)
    for name, count in result.counts.items():
        click.echo(f"{name:>13}: {count}")
    site_text = f" and a site of {result.site_pages} pages" if site else ""
    click.echo(f"wrote {len(result.files)} files{site_text} to {out}/ "
               f"(quality report: {out / 'quality-report.txt'})")


@main.command()
@click.argument("file", required=False, type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("out"),
              show_default=True, help="Build folder whose kdgraph.ttl is validated without FILE.")
@click.option("--format", "fmt", type=click.Choice(["text", "turtle", "json"]), default="text",
              show_default=True, help="Report format.")
@click.option("--engine", type=click.Choice(["fast", "pyshacl"]), default="fast", show_default=True,
              help="fast: kdgraph's SHACL Core engine and the SHACL-SPARQL constraints on pyoxigraph; "
                   "pyshacl: pySHACL for everything (slower, same results).")
def validate(file: Path | None, out: Path, fmt: str, engine: str) -> None:
    """Validate an RDF dump against kdgraph's SHACL shapes.

    Exit codes: 0 conforms (warnings allowed), 1 does not conform, 2 could not read the file.

    \b
    Examples:
      kdgraph validate out/kdgraph.ttl
      kdgraph validate out/kdgraph.nq --format json
    """
    from rdflib import Dataset, Graph

    from .validate import validate_graph

    path = file or out / "kdgraph.ttl"
    formats = {".ttl": "turtle", ".nq": "nquads", ".nt": "nt", ".jsonld": "json-ld",
               ".json": "json-ld", ".trig": "trig", ".rdf": "xml", ".xml": "xml"}
    rdf_format = formats.get(path.suffix.lower())
    if rdf_format is None:
        click.echo(f"Error: {path}: unknown RDF format {path.suffix!r} — use .ttl, .nq, .nt, "
                   ".jsonld, .trig or .rdf", err=True)
        sys.exit(2)
    try:
        if rdf_format in ("nquads", "trig"):
            ds = Dataset()
            ds.parse(path, format=rdf_format)
            graph = Graph()
            for s, p, o, _ in ds.quads():
                graph.add((s, p, o))
        else:
            graph = Graph().parse(path, format=rdf_format)
    except FileNotFoundError:
        click.echo(f"Error: {path}: no such file — build first (`kdgraph build`) or name a dump",
                   err=True)
        sys.exit(2)
    except Exception as exc:  # any parser error: report it in one line
        message = " ".join(str(exc).split())[:300]
        click.echo(f"Error: {path}: cannot be read as {rdf_format} ({message})", err=True)
        sys.exit(2)
    report = validate_graph(graph, engine=engine)
    if fmt == "text":
        click.echo(report.text())
    elif fmt == "json":
        click.echo(report.json())
    else:
        assert report.graph is not None
        click.echo(report.graph.serialize(format="turtle"))
    sys.exit(0 if report.conforms else 1)


main.add_command(load)
main.add_command(queries)
main.add_command(query)
main.add_command(site)
main.add_command(serve)

if __name__ == "__main__":  # pragma: no cover
    main()
