"""The ``kdgraph load`` command: argument parsing and output only; the work is in :mod:`kdgraph.load`.

Registered on the main group with ``main.add_command(load)``.
"""

from __future__ import annotations

from pathlib import Path

import click

from .cli_common import CONTEXT_SETTINGS
from .errors import KdgraphError


def _quiet() -> bool:
    ctx = click.get_current_context(silent=True)
    obj = ctx.find_root().obj if ctx is not None else None
    return bool(getattr(obj, "quiet", False)) if obj is not None else False


@click.command("load", context_settings=CONTEXT_SETTINGS)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("out"),
              show_default=True, help="Build folder whose kdgraph.nq is loaded.")
@click.option("--endpoint", metavar="QUERY_URL", required=True,
              help="SPARQL query endpoint of the server, used to check the counts after loading.")
@click.option("--graph-store", metavar="GSP_URL", default=None,
              help="SPARQL 1.1 Graph Store endpoint that receives the graphs [default: QUERY_URL with a "
                   "trailing /query or /sparql replaced by /store].")
@click.option("--timeout", metavar="SECONDS", type=click.FloatRange(min=0, min_open=True), default=60.0,
              show_default=True, help="Time limit of each HTTP request.")
def load(out: Path, endpoint: str, graph_store: str | None, timeout: float) -> None:
    """Load the built graph into a SPARQL server, one named graph at a time.

    Every named graph of OUT/kdgraph.nq replaces the graph of the same name on the server (one HTTP PUT
    of the SPARQL 1.1 Graph Store Protocol each), so loading twice leaves the same store; then a SPARQL
    COUNT per graph checks that the server holds exactly the dump's triples. Connection failures,
    timeouts and HTTP 429/502/503/504 are retried 3 times, backing off; other errors stop the load.
    Prints one line per graph (IRI, triples) and a summary.

    Credentials come from the environment only: KDGRAPH_ENDPOINT_USER and KDGRAPH_ENDPOINT_PASSWORD
    (HTTP basic), or KDGRAPH_ENDPOINT_TOKEN (bearer).

    \b
    Example:
      oxigraph serve --location store --bind 127.0.0.1:7878 &
      kdgraph build --out out
      kdgraph load --out out --endpoint http://127.0.0.1:7878/query
    """
    from .load import load as run_load

    quiet = _quiet()

    def progress(message: str) -> None:
        if not quiet:
            click.echo(message, err=True)

    try:
        report = run_load(out, endpoint, graph_store, timeout=timeout, progress=progress)
    except KdgraphError as exc:
        raise click.ClickException(str(exc)) from exc
    for graph, count in report.counts.items():
        click.echo(f"{graph}\t{count}")
    click.echo(f"loaded {report.total} triples in {len(report.counts)} graphs into {report.graph_store} "
               f"in {report.put_seconds:.2f} s; counts checked at {report.endpoint}")
