"""The ``kdgraph site`` and ``kdgraph serve`` commands: argument parsing and output only; the work is in
:mod:`kdgraph.site`.

Registered on the main group with ``main.add_command(site)`` and ``main.add_command(serve)``.
"""

from __future__ import annotations

from pathlib import Path

import click

from .errors import KdgraphError

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}

out_option = click.option(
    "--out", type=click.Path(file_okay=False, path_type=Path), default=Path("out"), show_default=True,
    help="Build folder: its dumps are read, and the site is OUT/site/.")


def _quiet() -> bool:
    ctx = click.get_current_context(silent=True)
    obj = ctx.find_root().obj if ctx is not None else None
    return bool(getattr(obj, "quiet", False)) if obj is not None else False


def _progress(message: str) -> None:
    if not _quiet():
        click.echo(message, err=True)


@click.command("site", context_settings=CONTEXT_SETTINGS)
@out_option
@click.option("--base", metavar="IRI", default=None,
              help="URI base of the graph [default: the build's, as its void.ttl states].")
def site(out: Path, base: str | None) -> None:
    """Write the browsable linked-data site of a build to OUT/site/.

    One page per paper, person, event, venue, topic, framework, code repository, list and list item,
    at a path that mirrors its URI ({base}paper/x → site/paper/x/index.html), with the resource's
    triples embedded as JSON-LD and beside it as index.ttl and index.jsonld; index pages by topic, year
    and venue, people A–Z, the canned queries with their results, the dataset description, the
    ontology's documentation, SVG charts, sitemap.xml and a sample nginx.conf. Made from the dumps
    alone, so it needs a build first; the old site is replaced only once the new one is complete.

    \b
    Example:
      kdgraph build --out out
      kdgraph site --out out
    """
    from .site import build_site

    if base is not None and not base.endswith("/"):
        raise click.BadParameter(f"{base!r}: the URI base must end with '/'", param_hint="--base")
    try:
        report = build_site(out, base, progress=_progress)
    except KdgraphError as exc:
        raise click.ClickException(str(exc)) from exc
    for message in report.skipped:
        _progress(f"warning: no page for {message}")
    click.echo(f"wrote {report.pages} pages ({report.files} files, {report.bytes / 1e6:.1f} MB) to "
               f"{report.site}/ in {report.seconds:.1f} s")


@click.command("serve", context_settings=CONTEXT_SETTINGS)
@out_option
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="TCP port on 127.0.0.1 (0: any free port).")
def serve(out: Path, port: int) -> None:
    """Browse the site of a build at http://127.0.0.1:PORT/, with content negotiation.

    Serves OUT/site/ on 127.0.0.1 only. A resource's URI path answers with HTML for a browser, Turtle
    for `Accept: text/turtle`, JSON-LD for `Accept: application/ld+json` (or ?format=html|ttl|jsonld),
    with Vary: Accept. Requests are logged on stderr (not with --quiet). Ctrl-C stops it.

    \b
    Example:
      kdgraph serve --out out --port 8000
      curl -H 'Accept: text/turtle' http://127.0.0.1:8000/paper/fitnets-hints-for-thin-deep-nets
    """
    from .site.serve import make_server, url_of

    folder = out / "site"
    if not (folder / "index.html").is_file():
        raise click.ClickException(f"{folder}: no site — write it with `kdgraph site --out {out}` "
                                   f"(after `kdgraph build --out {out}`)")
    try:
        server = make_server(folder, port, log=None if _quiet() else _progress)
    except OSError as exc:
        raise click.ClickException(f"127.0.0.1:{port}: cannot listen ({exc.strerror or exc}) — choose "
                                   "another port with --port") from exc
    click.echo(f"serving {folder}/ at {url_of(server)} (Ctrl-C stops)", err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
