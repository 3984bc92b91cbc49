"""``kdgraph load`` against a real Oxigraph server: counts, reloads, replaced graphs, and failures."""

from __future__ import annotations

import shutil
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

import click
import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kdgraph.cli import State
from kdgraph.cli_load import load as load_command
from kdgraph.errors import KdgraphError
from kdgraph.load import LoadReport, graph_store_url, load
from oxigraph_server import OxigraphServer, RecordingProxy, built_out, free_port, start_server
from oxigraph_server import oxigraph_server as oxigraph_server_fixture  # noqa: F401  (fixture)

G = "https://w3id.org/kdgraph/"
ZJU = f"{G}graph/zju-kd-papers"
MWAN = f"{G}graph/mwan-reading-list"
GRAPHS = [MWAN, f"{G}graph/vocabulary", ZJU, f"{G}ontology"]


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built_out(tmp_path_factory)


def quads_of(data: bytes) -> set[str]:
    """The quads of an N-Quads document as Oxigraph stores them: Oxigraph keeps numbers in canonical form
    (``"186"^^xsd:positiveInteger`` is stored as ``"186"^^xsd:integer``), so the dump goes through a store
    too before it is compared with what the server holds."""
    store = ox.Store()
    store.load(data, format=ox.RdfFormat.N_QUADS)
    return {f"{q.subject} {q.predicate} {q.object} {q.graph_name}" for q in store}


def dump_quads(out: Path) -> set[str]:
    return quads_of((out / "kdgraph.nq").read_bytes())


def server_quads(server: OxigraphServer) -> set[str]:
    request = urllib.request.Request(server.store_url, headers={"Accept": "application/n-quads"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return quads_of(response.read())


def counts_by_graph(quads: set[str]) -> dict[str, int]:
    return dict(sorted(Counter(q.rsplit(" ", 1)[1][1:-1] for q in quads).items()))


def shrunk_copy(out: Path, target: Path, graph: str, drop: int) -> Path:
    """A copy of the build folder whose dump lacks the first ``drop`` lines of ``graph``."""
    shutil.copytree(out, target)
    lines = (out / "kdgraph.nq").read_text(encoding="utf-8").splitlines(keepends=True)
    victims = [i for i, line in enumerate(lines) if line.rstrip().endswith(f"<{graph}> .")][:drop]
    assert len(victims) == drop
    kept = [line for i, line in enumerate(lines) if i not in set(victims)]
    (target / "kdgraph.nq").write_text("".join(kept), encoding="utf-8")
    return target


def test_load_puts_every_graph_with_the_dumps_counts(out: Path, oxigraph_server: OxigraphServer) -> None:
    report = load(out, oxigraph_server.query_url)
    lines = (out / "kdgraph.nq").read_text(encoding="utf-8").splitlines()
    assert isinstance(report, LoadReport)
    assert list(report.counts) == GRAPHS
    assert report.counts == counts_by_graph(dump_quads(out))
    assert report.total == len(lines)
    assert report.graph_store == oxigraph_server.store_url
    assert server_quads(oxigraph_server) == dump_quads(out)


def test_loading_twice_gives_the_same_store(out: Path, oxigraph_server: OxigraphServer) -> None:
    first = load(out, oxigraph_server.query_url)
    second = load(out, oxigraph_server.query_url)
    assert first.counts == second.counts
    assert server_quads(oxigraph_server) == dump_quads(out)


def test_a_shrunk_graph_replaces_the_old_one_and_leaves_the_others(
        out: Path, oxigraph_server: OxigraphServer, tmp_path: Path) -> None:
    load(out, oxigraph_server.query_url)
    before = counts_by_graph(server_quads(oxigraph_server))
    smaller = shrunk_copy(out, tmp_path / "out", ZJU, drop=40)
    report = load(smaller, oxigraph_server.query_url)
    assert report.counts[ZJU] == before[ZJU] - 40
    assert {g: n for g, n in report.counts.items() if g != ZJU} == {
        g: n for g, n in before.items() if g != ZJU}
    assert server_quads(oxigraph_server) == dump_quads(smaller)  # no stale triples left
    load(out, oxigraph_server.query_url)
    assert server_quads(oxigraph_server) == dump_quads(out)


def test_a_server_stopped_mid_way_leaves_whole_graphs(out: Path, tmp_path: Path) -> None:
    location = tmp_path / "store"
    with start_server(location) as server:
        original = load(out, server.query_url).counts
        smaller = shrunk_copy(out, tmp_path / "out", MWAN, drop=25)  # the first graph loaded

        def stop_after_first_graph(message: str) -> None:
            if message.startswith("loading graph 2/"):
                server.stop()

        with pytest.raises(KdgraphError) as error:
            load(smaller, server.query_url, retries=1, progress=stop_after_first_graph)
    message = str(error.value)
    assert "\n" not in message
    assert server.store_url in message and "connection refused" in message
    assert f"<{G}graph/vocabulary> (graph 2 of 4)" in message
    with start_server(location) as again:  # a second server on the same store folder
        counts = counts_by_graph(server_quads(again))
    assert counts[MWAN] == original[MWAN] - 25
    assert {g: n for g, n in counts.items() if g != MWAN} == {
        g: n for g, n in original.items() if g != MWAN}


def test_cli_against_a_stopped_server_fails_in_one_line_within_seconds(out: Path, tmp_path: Path) -> None:
    with start_server(tmp_path / "store") as server:
        pass  # started, then stopped: nothing listens on its port any more
    started = time.monotonic()
    result = CliRunner().invoke(load_command, ["--out", str(out), "--endpoint", server.query_url])
    elapsed = time.monotonic() - started
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    error = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(error) == 1 and server.store_url in error[0] and "oxigraph serve" in error[0]
    assert "gave up after 4 attempts" in error[0]
    assert elapsed < 8, "0.5 + 1 + 2 s of backoff, no more"


def test_an_unreachable_port_fails_quickly(out: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}/query"
    started = time.monotonic()
    with pytest.raises(KdgraphError, match=r"connection refused.*gave up after 3 attempts"):
        load(out, url, retries=2)
    assert time.monotonic() - started < 5


def test_a_wrong_graph_store_path_is_not_retried(out: Path, oxigraph_server: OxigraphServer) -> None:
    with RecordingProxy(upstream=oxigraph_server.base_url) as proxy, pytest.raises(KdgraphError) as error:
        load(out, oxigraph_server.query_url, graph_store=f"{proxy.base_url}/nope")
    message = str(error.value)
    assert "\n" not in message
    assert f"{proxy.base_url}/nope answered HTTP 404" in message and "check the URL" in message
    assert "attempts" not in message
    assert [r.method for r in proxy.requests] == ["PUT"]


def test_transient_failures_are_retried_then_succeed(out: Path, oxigraph_server: OxigraphServer) -> None:
    messages: list[str] = []
    with RecordingProxy(upstream=oxigraph_server.base_url,
                        canned=[(503, "text/plain", b"busy"), (429, "text/plain", b"slow down")]) as proxy:
        report = load(out, f"{proxy.base_url}/query", progress=messages.append)
    assert report.counts == counts_by_graph(dump_quads(out))
    puts = [r for r in proxy.requests if r.method == "PUT"]
    assert len(puts) == len(GRAPHS) + 2
    assert any("HTTP 503 (busy)" in m for m in messages)
    assert sum(m.startswith("trying again") for m in messages) == 2


def test_credentials_from_the_environment_go_with_every_request(
        out: Path, oxigraph_server: OxigraphServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KDGRAPH_ENDPOINT_TOKEN", "s3cret")
    with RecordingProxy(upstream=oxigraph_server.base_url) as proxy:
        load(out, f"{proxy.base_url}/query")
    assert {r.method for r in proxy.requests} == {"PUT", "POST"}
    assert {r.headers.get("Authorization") for r in proxy.requests} == {"Bearer s3cret"}


def test_a_count_that_differs_is_an_error(out: Path, oxigraph_server: OxigraphServer, tmp_path: Path) -> None:
    # the PUTs go to one server, the counts come from another
    with start_server(tmp_path / "other") as other, pytest.raises(
            KdgraphError, match=r"holds 0 triples after loading, the dump .* has \d+"):
        load(out, other.query_url, graph_store=oxigraph_server.store_url)


def test_a_missing_dump_says_to_build_first(tmp_path: Path) -> None:
    with pytest.raises(KdgraphError, match=r"no N-Quads dump .* run `kdgraph build --out"):
        load(tmp_path / "nothing", "http://127.0.0.1:7878/query")
    result = CliRunner().invoke(load_command, ["--out", str(tmp_path / "nothing"),
                                               "--endpoint", "http://127.0.0.1:7878/query"])
    assert result.exit_code == 1
    assert "kdgraph build" in result.stderr and "Traceback" not in result.output


def test_a_failed_put_leaves_the_graph_as_it_was(out: Path, oxigraph_server: OxigraphServer) -> None:
    """What makes a half-replaced graph impossible: Oxigraph applies a PUT whole or not at all, whether
    the body is broken or the connection drops half-way through it."""
    load(out, oxigraph_server.query_url)
    path = f"/store?graph={urllib.parse.quote(ZJU, safe='')}"
    bad = b'<urn:a> <urn:b> "fine" .\n<urn:a> <urn:b> broken .\n'
    request = urllib.request.Request(oxigraph_server.base_url + path, data=bad, method="PUT",
                                     headers={"Content-Type": "application/n-triples"})
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(request, timeout=10)
    assert error.value.code == 400
    assert server_quads(oxigraph_server) == dump_quads(out)

    body = b"".join(b'<urn:kdgraph:s%d> <urn:kdgraph:p> "new" .\n' % i for i in range(2000))
    with socket.create_connection(("127.0.0.1", oxigraph_server.port), timeout=10) as sock:
        sock.sendall(f"PUT {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/n-triples\r\n"
                     f"Content-Length: {2 * len(body)}\r\n\r\n".encode() + body)  # half the body, then gone
        time.sleep(0.3)
    time.sleep(0.3)
    assert server_quads(oxigraph_server) == dump_quads(out)


@pytest.mark.parametrize(("endpoint", "store"), [
    ("http://127.0.0.1:7878/query", "http://127.0.0.1:7878/store"),
    ("https://example.org/sparql/", "https://example.org/store"),
    ("http://h/db/sparql?key=1", "http://h/db/store?key=1"),
])
def test_graph_store_url_from_the_query_url(endpoint: str, store: str) -> None:
    assert graph_store_url(endpoint) == store


def test_graph_store_url_needs_a_known_suffix() -> None:
    with pytest.raises(KdgraphError, match="pass --graph-store"):
        graph_store_url("http://127.0.0.1:7878/")


@click.group()
@click.option("-q", "--quiet", is_flag=True)
@click.pass_context
def group(ctx: click.Context, quiet: bool) -> None:
    ctx.obj = State(quiet)


group.add_command(load_command)


def test_cli_prints_one_line_per_graph_and_a_summary(out: Path, oxigraph_server: OxigraphServer) -> None:
    result = CliRunner().invoke(group, ["load", "--out", str(out), "--endpoint", oxigraph_server.query_url])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    expected = counts_by_graph(dump_quads(out))
    assert lines[:-1] == [f"{g}\t{n}" for g, n in expected.items()]
    assert lines[-1].startswith(f"loaded {sum(expected.values())} triples in 4 graphs into "
                                f"{oxigraph_server.store_url}")
    assert "loading graph 1/4" in result.stderr
    quiet = CliRunner().invoke(group, ["-q", "load", "--out", str(out),
                                       "--endpoint", oxigraph_server.query_url])
    assert quiet.exit_code == 0 and quiet.stderr == ""
    assert quiet.stdout.splitlines()[:-1] == lines[:-1]


def test_the_command_documents_an_example() -> None:
    assert "Example:" in (load_command.help or "")
    assert "kdgraph load --out out --endpoint http://127.0.0.1:7878/query" in (load_command.help or "")
