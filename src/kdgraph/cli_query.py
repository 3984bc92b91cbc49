"""The ``kdgraph queries`` and ``kdgraph query`` commands: argument parsing and output only; the work is
in :mod:`kdgraph.query`, :mod:`kdgraph.store` and :mod:`kdgraph.endpoint`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .cli_common import CONTEXT_SETTINGS, user_errors
from .errors import KdgraphError


@click.command(context_settings=CONTEXT_SETTINGS)
def queries() -> None:
    """List the canned SPARQL queries with their descriptions and parameters.

    \b
    Example:
      kdgraph queries
    """
    from .query import canned_queries

    with user_errors():
        for q in canned_queries():
            click.echo(f"{q.name}: {q.title}")
            click.echo(f"    {q.description}")
            for p in q.params:
                default = f" (default {p.default})" if p.default is not None else " (required)"
                click.echo(f"    --param {p.name}=<{p.type}>{default}")


def _param(values: tuple[str, ...]) -> dict[str, str]:
    params: dict[str, str] = {}
    for value in values:
        key, sep, val = value.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"{value!r} is not KEY=VALUE", param_hint="--param")
        params[key.strip()] = val
    return params


@click.command(context_settings=CONTEXT_SETTINGS)
@click.argument("query_spec", metavar="NAME|FILE.rq|-")
@click.option("--param", "params", multiple=True, metavar="KEY=VALUE",
              help="Bind a query parameter (repeatable); values become RDF terms, never query text.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("out"),
              show_default=True, help="Build folder whose embedded store is queried.")
@click.option("--endpoint", metavar="URL", default=None,
              help="Query this SPARQL 1.1 endpoint instead of the embedded store (auth from "
                   "KDGRAPH_ENDPOINT_USER/KDGRAPH_ENDPOINT_PASSWORD or KDGRAPH_ENDPOINT_TOKEN).")
@click.option("--timeout", type=float, default=30.0, show_default=True,
              help="Seconds to wait for a remote endpoint.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json", "turtle"]),
              default=None, help="Output format [default: table for SELECT, turtle for "
                                 "CONSTRUCT/DESCRIBE].")
def query(query_spec: str, params: tuple[str, ...], out: Path, endpoint: str | None, timeout: float,
          fmt: str | None) -> None:
    """Run a canned query (by name), a .rq file, or a query on stdin (-).

    SELECT prints a table (data on stdout); ASK prints true or false and exits 0 or 1;
    CONSTRUCT and DESCRIBE print RDF. A query the parser rejects exits 2 with its message.

    \b
    Examples:
      kdgraph query online-kd-pytorch
      kdgraph query data-free-since --param since=2020 --format csv
      kdgraph query author-papers --param name="Suraj Srinivas" --endpoint http://127.0.0.1:7878/query
    """
    from .query import QuerySyntaxError, bindings, resolve, run_store
    from .results import to_delimited, to_json, to_table

    try:
        canned = resolve(query_spec)
        binds = bindings(canned, _param(params))
        if endpoint:
            from .endpoint import run_remote
            from .sparql_text import bind_values

            text = bind_values(canned.text, {k: str(v) for k, v in binds.items()})
            result = run_remote(text, endpoint, timeout=timeout)
        else:
            from .store import open_store

            result = run_store(open_store(out), canned.text, binds)
    except QuerySyntaxError as exc:
        where = canned.path or canned.name
        click.echo(f"Error: {where}: SPARQL syntax error: {exc}", err=True)
        sys.exit(2)
    except KdgraphError as exc:
        raise click.ClickException(str(exc)) from exc
    if result.kind == "ask":
        click.echo(to_json(result) if fmt == "json" else str(result.boolean).lower())
        sys.exit(0 if result.boolean else 1)
    if result.kind == "graph":
        if fmt in (None, "turtle"):
            from rdflib import Graph

            from .namespaces import PREFIXES

            graph = Graph().parse(data="\n".join(result.ntriples), format="nt")
            for prefix, ns in PREFIXES.items():
                graph.bind(prefix, ns, override=True, replace=True)
            click.echo(graph.serialize(format="turtle").rstrip())
        else:
            click.echo("\n".join(result.ntriples))
        return
    if fmt in (None, "table"):
        click.echo(to_table(result))
    elif fmt == "csv":
        click.echo(to_delimited(result, ","))
    elif fmt == "tsv":
        click.echo(to_delimited(result, "\t"))
    elif fmt == "json":
        click.echo(to_json(result))
    else:
        raise click.UsageError("--format turtle is for CONSTRUCT and DESCRIBE queries")
