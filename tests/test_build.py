"""The built graph of the bundled lists: the triples that matter, paper by paper, and build guarantees."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SDO, XSD

from graph_fixtures import REGISTRY, REPO, iri
from kdgraph.build import BuildResult, build
from kdgraph.errors import KdgraphError
from kdgraph.sources import Source, load_registry
from kdgraph.store import Batch, StoreWriter
from kdgraph.vocab import BIBO, CODEMETA, KD

ZJU = "zju-kd-papers"
MWAN = "mwan-reading-list"


def published_files(out: Path) -> list[str]:
    """Every file of a build folder but the embedded store's (a database, not a publication) and the
    extraction cache's."""
    return sorted(str(p.relative_to(out)) for p in out.rglob("*")
                  if p.is_file() and p.relative_to(out).parts[0] not in ("store", ".cache"))


def ordered_authors(g: Graph, paper: URIRef) -> list[str]:
    seq = g.value(paper, BIBO.authorList)
    if seq is None:
        return []
    members = {}
    for p, o in g.predicate_objects(seq):
        if str(p).startswith(str(RDF) + "_"):
            members[int(str(p).rsplit("_", 1)[1])] = str(g.value(o, SDO.name))
    assert sorted(members) == list(range(1, len(members) + 1)), "rdf:_n positions must be 1..n"
    return [members[i] for i in sorted(members)]


def items_of(g: Graph, paper: URIRef, source: str) -> list[URIRef]:
    lst = iri(f"list/{source}")
    return sorted(i for i in g.subjects(SDO.item, paper) if (lst, SDO.itemListElement, i) in g)


def repo_frameworks(g: Graph, paper: URIRef) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for code in g.objects(paper, KD.code):
        assert (code, RDF.type, SDO.SoftwareSourceCode) in g
        assert (code, CODEMETA.referencePublication, paper) in g
        frameworks = {str(g.value(f, URIRef("http://www.w3.org/2004/02/skos/core#prefLabel")))
                      for f in g.objects(code, SDO.softwareRequirements)}
        out[str(g.value(code, SDO.codeRepository))] = frameworks
    return out


# (paper slug, title, authors (first, last, count), year, venue IRI path, repos {url: frameworks},
#  identifiers {(scheme, value)}, items {source: count})
PAPERS = [
    ("fitnets-hints-for-thin-deep-nets", "FitNets: Hints for Thin Deep Nets",
     ("Adriana Romero", "Yoshua Bengio", 6), 2015, "venue/iclr/2015",
     {"https://github.com/adri-romsor/FitNets": {"Theano"}}, {("arXiv", "1412.6550")}, {ZJU: 1}),
    ("deep-mutual-learning", "Deep Mutual Learning", ("Ying Zhang", "Huchuan Lu", 4), 2018,
     "venue/cvpr/2018", {"https://github.com/YingZhangDUT/Deep-Mutual-Learning": {"TensorFlow"}},
     {("arXiv", "1804.03235")}, {ZJU: 1}),
    ("large-scale-distributed-neural-network-training-through-online-distillation",
     "Large scale distributed neural network training through online distillation",
     ("Rohan Anil", "Geoffrey E. Hinton", 6), 2018, "venue/iclr/2018", {},
     {("arXiv", "1804.03235")}, {ZJU: 1}),
    ("data-free-knowledge-distillation-for-deep-neural-networks",
     "Data-Free Knowledge Distillation for Deep Neural Networks",
     ("Raphael Gontijo Lopes", "Thad Starner", 3), 2017, "venue/neurips/2017/workshop",
     {"https://github.com/iRapha/replayed_distillation": {"TensorFlow"}}, {("arXiv", "1710.07535")},
     {ZJU: 1}),
    ("data-free-quantization-through-weight-equalization-and-bias-correction",
     "Data-Free Quantization Through Weight Equalization and Bias Correction",
     ("Markus Nagel", "Max Welling", 4), 2019, "venue/iccv/2019",
     {"https://github.com/jakc4103/DFQ": {"PyTorch"},
      "https://github.com/ANSHUMAN87/Bias-Correction": {"PyTorch"}},
     {("arXiv", "1906.04721")}, {ZJU: 1}),
    ("online-knowledge-distillation-with-diverse-peers",
     "Online Knowledge Distillation with Diverse Peers", ("Defang Chen", "Chun Chen", 5), 2020,
     "venue/aaai/2020", {"https://github.com/DefangChen/OKDDip-AAAI2020": {"PyTorch"}},
     {("arXiv", "1912.00350")}, {ZJU: 1, MWAN: 1}),
    ("feature-map-level-online-adversarial-knowledge-distillation",
     "Feature-map-level Online Adversarial Knowledge Distillation",
     ("Inseop Chung", "Nojun Kwak", 4), 2020, "venue/icml/2020",
     {"https://github.com/DefangChen/OKDDip-AAAI2020": {"PyTorch"}}, {("arXiv", "2002.01775")},
     {ZJU: 1, MWAN: 1}),
    ("knowledge-extraction-with-no-observable-data", "Knowledge Extraction with No Observable Data",
     ("Jaemin Yoo", "U Kang", 4), 2019, "venue/neurips/2019",
     {"https://github.com/snudatalab/KegNet": {"PyTorch"}}, {("NeurIPS Proceedings", "8538")}, {ZJU: 1}),
    ("undistillable-making-a-nasty-teacher-that-cannot-teach-students",
     "Undistillable: Making A Nasty Teacher That CANNOT teach students", None, 2021,
     "venue/iclr/2021", {}, {("OpenReview", "0zvfm-nZqQs")}, {MWAN: 1}),
    ("distilling-knowledge-learned-in-bert-for-text-generation",
     "Distilling Knowledge Learned in BERT for Text Generation", None, 2020, "venue/acl/2020",
     {"https://github.com/ChenRocks/Distill-BERT-Textgen": set()},
     {("ACL Anthology", "2020.acl-main.705")}, {MWAN: 1}),
    ("data-free-knowledge-distillation-for-object-detection",
     "Data-free Knowledge Distillation for Object Detection", None, 2021, "venue/wacv/2021", {},
     {("CVF", "Chawla_Data-Free_Knowledge_Distillation_for_Object_Detection_WACV_2021")}, {MWAN: 1}),
    ("circumventing-outliers-of-autoaugment-with-knowledge-distillation",
     "Circumventing Outliers of AutoAugment with Knowledge Distillation", None, 2020,
     "venue/eccv/2020", {}, set(), {MWAN: 3}),
    ("do-deep-nets-really-need-to-be-deep", "Do deep nets really need to be deep?",
     ("J. Ba", "R. Caruana", 2), 2014, "venue/neurips/2014", {},
     {("NeurIPS Proceedings", "ea8fcd92d59581717e06eb187f10666d")}, {MWAN: 1}),
    ("improved-knowledge-distillation-via-teacher-assistant",
     "Improved Knowledge Distillation via Teacher Assistant",
     ("S. I. Mirzadeh", "H. Ghasemzadeh", 6), 2020, "venue/aaai/2020", {}, set(), {MWAN: 2}),
    ("ensemble-distillation-for-robust-model-fusion-in-federated-learning",
     "Ensemble Distillation for Robust Model Fusion in Federated Learning", None, 2020,
     "venue/neurips/2020", {}, {("NeurIPS Proceedings", "18df51b97ccd68128e994804f3eccc87")}, {MWAN: 3}),
    ("knowledge-federation-a-unified-and-hierarchical-privacy-preserving-ai-framework",
     "Knowledge Federation: A Unified and Hierarchical Privacy-Preserving AI Framework", None, 2020,
     "venue/ickg/2020", {}, set(), {MWAN: 1}),
    ("heterogeneous-knowledge-distillation-using-information-flow-modeling",
     "Heterogeneous Knowledge Distillation Using Information Flow Modeling",
     ("Nikolaos Passalis", "Anastasios Tefas", 3), 2020, "venue/cvpr/2020",
     {"https://github.com/passalis/pkth": {"PyTorch"}},
     {("arXiv", "2005.00727"),
      ("CVF", "Passalis_Heterogeneous_Knowledge_Distillation_Using_Information_Flow_Modeling_CVPR_2020")},
     {ZJU: 1, MWAN: 1}),
]


@pytest.mark.parametrize(("slug", "title", "authors", "year", "venue", "repos", "ids", "items"),
                         PAPERS, ids=[p[0][:40] for p in PAPERS])
def test_paper_triples(graph: Graph, slug: str, title: str, authors: tuple[str, str, int] | None,
                       year: int, venue: str, repos: dict[str, set[str]],
                       ids: set[tuple[str, str]], items: dict[str, int]) -> None:
    paper = iri(f"paper/{slug}")
    assert (paper, RDF.type, SDO.ScholarlyArticle) in graph
    assert (paper, RDF.type, BIBO.AcademicArticle) in graph
    assert list(graph.objects(paper, SDO.name)) == [Literal(title)]
    assert list(graph.objects(paper, SDO.datePublished)) == [
        Literal(str(year), datatype=XSD.gYear)]
    names = ordered_authors(graph, paper)
    if authors is None:
        assert names == []
    else:
        first, last, count = authors
        assert (names[0], names[-1], len(names)) == (first, last, count)
        assert {str(graph.value(a, SDO.name)) for a in graph.objects(paper, SDO.author)} == set(names)
    event = iri(venue)
    assert list(graph.objects(paper, BIBO.presentedAt)) == [event]
    assert (event, RDF.type, SDO.Event) in graph
    if venue.endswith("/workshop"):
        assert (event, RDF.type, BIBO.Workshop) in graph
        conference = graph.value(event, SDO.superEvent)
        assert conference == iri(venue.rsplit("/", 1)[0])
        assert graph.value(conference, SDO.superEvent) == iri(venue.rsplit("/", 2)[0])
    else:
        assert (event, RDF.type, BIBO.Conference) in graph
        series = graph.value(event, SDO.superEvent)
        assert series == iri(venue.rsplit("/", 1)[0])
        assert (series, RDF.type, SDO.EventSeries) in graph
    assert repo_frameworks(graph, paper) == repos
    found = {(str(graph.value(n, SDO.propertyID)), str(graph.value(n, SDO.value)))
             for n in graph.objects(paper, SDO.identifier)}
    assert found == ids
    for scheme, value in ids:
        if scheme == "arXiv":
            assert (paper, SDO.sameAs, URIRef(f"https://arxiv.org/abs/{value}")) in graph
    for source, count in items.items():
        assert len(items_of(graph, paper, source)) == count, source
    for source in {ZJU, MWAN} - set(items):
        assert items_of(graph, paper, source) == []


def test_reading_marks_are_on_list_items_not_papers(graph: Graph) -> None:
    paper = iri("paper/advances-and-open-problems-in-federated-learning")
    (item,) = items_of(graph, paper, MWAN)
    assert graph.value(item, KD.priority) == KD.TopPriority
    assert graph.value(paper, KD.priority) is None
    assert graph.value(paper, KD.read) is None
    ensemble = iri("paper/ensemble-distillation-for-robust-model-fusion-in-federated-learning")
    marks = sorted((int(graph.value(i, KD.sourceLine)), graph.value(i, KD.priority),
                    graph.value(i, KD.read)) for i in items_of(graph, ensemble, MWAN))
    # line 238 read; line 289 second priority and read; line 325: its check mark stands before
    # the <li>, so HTML gives it to the item of line 324
    assert marks == [(238, None, Literal(True)), (289, KD.SecondPriority, Literal(True)),
                     (325, None, None)]


def test_list_items_have_positions_sections_and_lines(graph: Graph) -> None:
    lst = iri(f"list/{ZJU}")
    items = list(graph.objects(lst, SDO.itemListElement))
    assert int(graph.value(lst, SDO.numberOfItems)) == len(items) == 46
    positions = sorted(int(graph.value(i, SDO.position)) for i in items)
    assert positions == list(range(1, 47))
    fitnets = items_of(graph, iri("paper/fitnets-hints-for-thin-deep-nets"), ZJU)[0]
    assert str(graph.value(fitnets, KD.section)).endswith("Feature Maps Distillation")
    assert int(graph.value(fitnets, KD.sourceLine)) == 6
    assert int(graph.value(fitnets, SDO.position)) == 1


def test_one_node_per_paper_across_lists(graph: Graph, built: BuildResult) -> None:
    papers = set(graph.subjects(RDF.type, SDO.ScholarlyArticle))
    assert len(papers) == len(built.reconciled.papers)
    in_both = {p for p in papers if items_of(graph, p, ZJU) and items_of(graph, p, MWAN)}
    titles = {str(graph.value(p, SDO.name)) for p in in_both}
    assert "Online Knowledge Distillation with Diverse Peers" in titles
    assert "Online Knowledge Distillation via Collaborative Learning" in titles
    assert len(in_both) >= 6


def test_same_identifier_for_two_titles_stays_two_papers(graph: Graph, built: BuildResult) -> None:
    ident = iri("id/arxiv/1804.03235")
    citing = set(graph.subjects(SDO.identifier, ident))
    assert {str(graph.value(p, SDO.name)) for p in citing} == {
        "Deep Mutual Learning",
        "Large scale distributed neural network training through online distillation"}
    conflicts = [d for d in built.diagnostics if d.code == "identifier-conflict"
                 and "1804.03235" in d.message]
    assert sorted(d.line for d in conflicts) == [24, 27]
    warned = {f.focus for f in built.report.warnings if f.path == "schema:identifier"
              and f.value == str(ident)}
    assert warned == {str(p) for p in citing}, "SHACL must warn about an identifier of two papers"


def test_repository_linked_from_two_papers_is_one_node(graph: Graph, built: BuildResult) -> None:
    code = iri("code/github.com/defangchen/okddip-aaai2020")
    assert len(set(graph.subjects(KD.code, code))) == 2
    warned = {f.focus for f in built.report.warnings if f.path == "kd:code" and f.value == str(code)}
    assert warned == {str(p) for p in graph.subjects(KD.code, code)}


def test_name_variants_merge_only_on_strong_evidence(graph: Graph) -> None:
    sergey = iri("person/sergey-zagoruyko")
    assert Literal("S. Zagoruyko") in set(graph.objects(sergey, SDO.alternateName))
    # "A. Romero" of the mwan list cites a different title ("WFitnets"), so no evidence: kept apart
    assert (iri("person/a-romero"), RDF.type, SDO.Person) in graph
    assert (iri("person/adriana-romero"), RDF.type, SDO.Person) in graph


def test_topics_are_asserted_from_sections(graph: Graph) -> None:
    online = [p for p in graph.subjects(DCTERMS.subject, None)
              if "online" in str(graph.value(p, SDO.name)).lower()]
    assert online


def test_build_is_deterministic_across_hash_seeds(tmp_path: Path) -> None:
    outs = []
    for seed in ("1", "2"):
        out = tmp_path / f"out{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-m", "kdgraph.cli", "-q", "build", "--registry",
                        str(REGISTRY), "--out", str(out)], check=True, env=env,
                       capture_output=True, cwd=tmp_path)
        outs.append(out)
    names = published_files(outs[0])
    assert names == published_files(outs[1])
    assert {"kdgraph.ttl", "kdgraph.jsonld", "kdgraph.nq", "void.ttl",
            "queries/online-kd-pytorch.rq"} <= set(names)
    for name in names:
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name


def test_uris_do_not_change_when_a_list_is_reordered(tmp_path: Path, built: BuildResult) -> None:
    src = (REPO / "data" / "knowledge-distillation-paper.md").read_text(encoding="utf-8")
    head, rest = src.split("## Online Knowledge Distillation", 1)
    online, tail = rest.split("## Data-Free Knowledge Distillation", 1)
    reordered = (head + "## Data-Free Knowledge Distillation" + tail.rstrip("\n") + "\n\n"
                 + "## Online Knowledge Distillation" + online)
    path = tmp_path / "zju.md"
    path.write_text(reordered, encoding="utf-8")
    registry = load_registry(REGISTRY)
    moved = [Source(id=s.id, title=s.title, path=path if s.id == ZJU else s.path, origin=s.origin,
                    reader=s.reader) for s in registry]
    result = build(moved, tmp_path / "out")
    g1 = Graph().parse(built.out / "kdgraph.ttl")
    g2 = Graph().parse(result.out / "kdgraph.ttl")
    nodes1 = {s for s in g1.subjects() if isinstance(s, URIRef)}
    nodes2 = {s for s in g2.subjects() if isinstance(s, URIRef)}
    assert nodes1 == nodes2
    # only positions and source lines move
    diff = {p for s, p, o in set(g1) ^ set(g2)}
    assert diff <= {SDO.position, KD.sourceLine, KD.contentHash}


def test_a_failed_build_leaves_the_previous_output(tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(load_registry(REGISTRY), out)
    before = {name: (out / name).read_bytes() for name in published_files(out)}
    broken = tmp_path / "broken.md"
    broken.write_bytes(b"# x\n\n- **A paper, CVPR 2020** [[Paper]](https://a.org/x)\n\xff\xfe\n")
    bad = Source(id="broken", title="broken", path=broken, origin="https://example.org/",
                 reader="markdown")
    with pytest.raises(KdgraphError, match=r"broken\.md:4: not valid UTF-8"):
        build([*load_registry(REGISTRY), bad], out)
    assert {name: (out / name).read_bytes() for name in published_files(out)} == before
    assert (out / "store").is_dir()
    assert not [p for p in out.iterdir() if p.name.startswith(".staging")]


def test_a_store_that_fails_to_load_leaves_the_previous_output(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import kdgraph.build as build_module

    out = tmp_path / "out"
    build(load_registry(REGISTRY), out, site=False)
    before = {name: (out / name).read_bytes() for name in published_files(out)}

    class Failing(StoreWriter):  # the on-disk store fails; validation's in-memory one loads
        def add(self, batch: Batch) -> None:
            def failing() -> bytes:
                assert self.target is not None
                (self.target / "half-written").write_bytes(b"x")
                raise OSError(28, "No space left on device")

            super().add(failing if self.target is not None else batch)

    monkeypatch.setattr(build_module, "StoreWriter", Failing)
    with pytest.raises(KdgraphError, match=r"embedded store could not be built.*No space left"):
        build(load_registry(REGISTRY), out, site=False)
    assert {name: (out / name).read_bytes() for name in published_files(out)} == before
    assert not (out / "store" / "half-written").exists()
    assert not [p for p in out.iterdir() if p.name.startswith(".staging")]


def test_rebuild_reads_only_the_changed_list_and_equals_a_clean_build(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    import kdgraph.extract as extract_module

    spec = importlib.util.spec_from_file_location("generate", REPO / "bench" / "generate.py")
    assert spec is not None and spec.loader is not None
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    lists = tmp_path / "lists"
    registry = generate.write(60, lists, seed=3)
    out = tmp_path / "out"
    build(load_registry(registry), out)

    html = lists / "html.md"
    html.write_text(html.read_text(encoding="utf-8").replace("<ul>", "<ul>\n<li>A New Distillation "
                    'Paper<a href="https://arxiv.org/abs/2401.00001">[paper]</a>', 1),
                    encoding="utf-8")
    read: list[str] = []
    real = dict(extract_module.READERS)
    for name, reader in real.items():
        def counting(text, *, source, file, _reader=reader):  # type: ignore[no-untyped-def]
            read.append(source)
            return _reader(text, source=source, file=file)
        monkeypatch.setitem(extract_module.READERS, name, counting)
    build(load_registry(registry), out)
    assert read == ["synthetic-html"]

    monkeypatch.setattr(extract_module, "READERS", real)
    clean = tmp_path / "clean"
    build(load_registry(registry), clean)
    names = published_files(out)
    assert names == published_files(clean) and "kdgraph.nq" in names
    for name in names:
        assert (out / name).read_bytes() == (clean / name).read_bytes(), name
    assert "A New Distillation Paper" in (out / "kdgraph.ttl").read_text(encoding="utf-8")
