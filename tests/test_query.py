"""Canned queries on the embedded store: expected results from the lists, parameters, formats, errors."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph_fixtures import REPO
from kdgraph.build import BuildResult
from kdgraph.cli import main
from kdgraph.errors import KdgraphError
from kdgraph.query import bindings, canned_queries, parse_query, resolve, run_store
from kdgraph.results import plain
from kdgraph.sparql_text import bind_values
from kdgraph.store import open_store

EXPECTED = Path(__file__).parent / "expected" / "queries"
QUERY_FILES = sorted((REPO / "queries").glob("*.rq"))
INJECTION = 'x" } ; DROP ALL ; #'


def run(built: BuildResult, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["query", *args, "--out", str(built.out)])
    return result.exit_code, result.stdout, result.stderr


def test_at_least_twelve_canned_queries_with_headers() -> None:
    queries = canned_queries()
    assert len(queries) == len(QUERY_FILES) >= 12
    for q in queries:
        assert q.title and q.description, q.name
        assert q.text.lstrip().startswith("#"), q.name
    names = {q.name for q in queries}
    assert {"online-kd-pytorch", "papers-by-topic-and-framework", "papers-without-code",
            "papers-per-venue-year", "prolific-authors", "author-papers", "papers-in-several-lists",
            "unread-by-priority", "data-free-since", "shared-repositories", "shared-identifiers",
            "describe-paper"} <= names


def test_every_select_query_has_an_expected_result() -> None:
    expected = {p.stem for p in EXPECTED.iterdir()}
    assert expected == {p.stem for p in QUERY_FILES} - {"is-listed"}


@pytest.mark.parametrize("path", QUERY_FILES, ids=[p.stem for p in QUERY_FILES])
def test_canned_query_matches_expected_result(built: BuildResult, path: Path) -> None:
    query = resolve(path.stem)
    result = run_store(open_store(built.out), query.text, bindings(query, {}))
    if path.stem == "is-listed":
        assert result.kind == "ask" and result.boolean is True
        return
    if result.kind == "graph":
        expected = (EXPECTED / f"{path.stem}.nt").read_text(encoding="utf-8").splitlines()
        assert result.ntriples == expected
        return
    rows = list(csv.reader(io.StringIO((EXPECTED / f"{path.stem}.tsv").read_text("utf-8")),
                           delimiter="\t"))
    assert [result.variables] + [[plain(t) for t in row] for row in result.rows] == rows


def test_online_kd_pytorch_is_what_the_list_says(built: BuildResult) -> None:
    code, out, _ = run(built, "online-kd-pytorch", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    # zju list, "Online Knowledge Distillation": the entries with [PyTorch]/[Pytorch] code links
    assert [(r["title"], r["year"]) for r in rows] == [
        ("Knowledge Distillation by On-the-Fly Native Ensemble", "2018"),
        ("Feature-map-level Online Adversarial Knowledge Distillation", "2020"),
        ("Online Knowledge Distillation with Diverse Peers", "2020")]
    # Deep Mutual Learning is online KD but its code is TensorFlow; DCM's is Torchnet
    assert "Deep Mutual Learning" not in out


def test_parameters_change_the_answer(built: BuildResult) -> None:
    _, all_since_2019, _ = run(built, "data-free-since", "--format", "csv")
    _, since_2020, _ = run(built, "data-free-since", "--param", "since=2020", "--format", "csv")
    years = [int(r["year"]) for r in csv.DictReader(io.StringIO(since_2020))]
    assert years and min(years) >= 2020
    assert len(since_2020.splitlines()) < len(all_since_2019.splitlines())
    _, second, _ = run(built, "unread-by-priority", "--param", "priority=kd:SecondPriority",
                       "--format", "csv")
    titles = {r["title"] for r in csv.DictReader(io.StringIO(second))}
    assert "Split learning for health: Distributed deep learning without sharing raw patient data" in titles
    # line 289 marks "Ensemble distillation…" :star: and read, so it is not unread
    assert not any(t.lower().startswith("ensemble distillation") for t in titles)


def test_injection_value_is_just_a_string(built: BuildResult) -> None:
    before = len(open_store(built.out))
    code, out, err = run(built, "author-papers", "--param", f"name={INJECTION}", "--format", "csv")
    assert code == 0, err
    assert out.strip() == "year,title,position,paper"
    assert len(open_store(built.out)) == before
    text = bind_values(resolve("author-papers").text, {"name": '"x\\" } ; DROP ALL ; #"'})
    assert 'VALUES (?name) { ("x\\" } ; DROP ALL ; #") }' in text


def test_ask_sets_the_exit_code(built: BuildResult) -> None:
    assert run(built, "is-listed")[0:2] == (0, "true\n")
    code, out, _ = run(built, "is-listed", "--param", "title=No Such Paper")
    assert (code, out) == (1, "false\n")


def test_construct_prints_turtle(built: BuildResult) -> None:
    from rdflib import Graph, URIRef
    from rdflib.namespace import SDO

    code, out, _ = run(built, "describe-paper", "--param",
                       "paper=paper:deep-mutual-learning")
    assert code == 0
    g = Graph().parse(data=out, format="turtle")
    paper = URIRef("https://w3id.org/kdgraph/paper/deep-mutual-learning")
    assert str(g.value(paper, SDO.name)) == "Deep Mutual Learning"
    assert len(list(g.subjects(SDO.item, paper))) == 1


def test_formats(built: BuildResult) -> None:
    _, table, _ = run(built, "shared-repositories")
    assert table.splitlines()[-1] == "(2 rows)"
    _, tsv, _ = run(built, "shared-repositories", "--format", "tsv")
    assert tsv.splitlines()[0] == "repository\ttitle\tpaper"
    _, js, _ = run(built, "shared-repositories", "--format", "json")
    data = json.loads(js)
    assert data["head"]["vars"] == ["repository", "title", "paper"]
    assert {b["repository"]["type"] for b in data["results"]["bindings"]} == {"uri"}


def test_query_from_file_and_stdin(built: BuildResult, tmp_path: Path) -> None:
    path = tmp_path / "count.rq"
    path.write_text("PREFIX schema: <https://schema.org/>\n"
                    "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a schema:ScholarlyArticle }\n")
    code, out, _ = run(built, str(path), "--format", "csv")
    assert code == 0 and out.splitlines()[1] == str(len(built.reconciled.papers))
    result = CliRunner().invoke(main, ["query", "-", "--out", str(built.out), "--format", "csv"],
                                input=path.read_text())
    assert result.stdout == out


def test_syntax_error_exits_2_with_the_parser_message(built: BuildResult, tmp_path: Path) -> None:
    path = tmp_path / "bad.rq"
    path.write_text("SELECT ?x\nWHERE { ?x ?y ?z .\n  FILTER (?x = ) }\n")
    code, out, err = run(built, str(path))
    assert code == 2 and out == ""
    assert re.search(rf"^Error: {re.escape(str(path))}: SPARQL syntax error: error at \d+:\d+: ", err)
    assert "Traceback" not in err


def test_unknown_query_and_parameter_errors(built: BuildResult) -> None:
    code, _, err = run(built, "no-such-query")
    assert code == 1 and "no canned query named 'no-such-query'" in err
    code, _, err = run(built, "data-free-since", "--param", "until=2020")
    assert code == 1 and "has no parameter until" in err
    code, _, err = run(built, "data-free-since", "--param", "since=soon")
    assert code == 1 and "not an integer" in err


def test_missing_store_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["query", "online-kd-pytorch", "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert "no embedded store — run `kdgraph build" in result.stderr


def test_bad_param_header_is_reported() -> None:
    with pytest.raises(KdgraphError, match="bad parameter line"):
        parse_query("# param: since date = 2019\nSELECT * WHERE {}", "x")


def test_queries_command_lists_names_and_parameters() -> None:
    result = CliRunner().invoke(main, ["queries"])
    assert result.exit_code == 0
    assert "online-kd-pytorch: Online-KD papers with PyTorch code" in result.stdout
    assert "--param since=<year> (default 2019)" in result.stdout


@pytest.fixture(scope="module")
def server(built: BuildResult, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """A real Oxigraph server on a free 127.0.0.1 port, loaded with `kdgraph load`, whose default
    graph is the union of the named graphs like the embedded store's."""
    from kdgraph.load import load
    from oxigraph_server import start_server

    server = start_server(tmp_path_factory.mktemp("query-server") / "store", union_default_graph=True)
    try:
        load(built.out, server.query_url)
        yield server
    finally:
        server.stop()


@pytest.mark.parametrize("path", QUERY_FILES, ids=[p.stem for p in QUERY_FILES])
def test_embedded_store_and_server_agree_row_for_row(built: BuildResult, server, path: Path) -> None:  # type: ignore[no-untyped-def]
    from kdgraph.endpoint import run_remote

    query = resolve(path.stem)
    binds = bindings(query, {})
    embedded = run_store(open_store(built.out), query.text, binds)
    remote = run_remote(bind_values(query.text, {k: str(v) for k, v in binds.items()}),
                        server.query_url)
    assert remote.kind == embedded.kind
    assert remote.variables == embedded.variables
    assert remote.rows == embedded.rows
    assert remote.boolean == embedded.boolean
    assert remote.ntriples == embedded.ntriples
    assert embedded.rows or embedded.ntriples or embedded.boolean is not None


def test_cli_endpoint_option_gives_the_embedded_answer(built: BuildResult, server) -> None:  # type: ignore[no-untyped-def]
    local = run(built, "data-free-since", "--param", "since=2020", "--format", "csv")
    remote = CliRunner().invoke(main, ["query", "data-free-since", "--param", "since=2020", "--format",
                                       "csv", "--endpoint", server.query_url])
    assert remote.exit_code == 0 and local[0] == 0
    assert remote.stdout == local[1]
    injected = CliRunner().invoke(main, ["query", "author-papers", "--param", f"name={INJECTION}",
                                         "--endpoint", server.query_url, "--format", "csv"])
    assert injected.exit_code == 0 and injected.stdout.strip() == "year,title,position,paper"


def test_unreachable_endpoint_is_one_line(built: BuildResult) -> None:
    from oxigraph_server import free_port

    result = CliRunner().invoke(main, ["query", "online-kd-pytorch", "--endpoint",
                                       f"http://127.0.0.1:{free_port()}/query", "--timeout", "2"])
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
