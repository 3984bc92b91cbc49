"""The static site (kdgraph.site): a page per resource at a path mirroring its URI, embedded JSON-LD equal
to the resource's triples, Turtle and JSON-LD beside each page, links that resolve, charts, queries,
sitemap, determinism, atomic replacement, and the ``kdgraph site`` command.

The site of the bundled lists is built once per session (:func:`site_of`, shared with test_serve.py and
test_site_browser.py) from a copy of the session's build.
"""

from __future__ import annotations

import hashlib
import html
import inspect
import json
import posixpath
import re
import shutil
import xml.etree.ElementTree as ET
from collections import Counter
from html.parser import HTMLParser
from importlib.resources import files as package_files
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import BNode as RBNode
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, SDO, XSD

from kdgraph.build import BuildResult
from kdgraph.cli_site import serve as serve_command
from kdgraph.cli_site import site as site_command
from kdgraph.errors import KdgraphError
from kdgraph.publish import context
from kdgraph.site import SiteReport, build_site
from kdgraph.site.graph import BNode, Lit, site_path
from kdgraph.site.rdfio import Compactor, json_text, script_json, turtle
from kdgraph.uris import Minter

B = "https://w3id.org/kdgraph/"
FITNETS = "paper/fitnets-hints-for-thin-deep-nets"
DUMPS = ("kdgraph.ttl", "kdgraph.jsonld", "kdgraph.nq", "void.ttl", "ontology.ttl", "context.jsonld",
         "quality-report.txt", "quality-report.json")

_SITES: dict[str, tuple[Path, SiteReport]] = {}


def copy_build(built: BuildResult, target: Path) -> Path:
    """The dumps of a build (not its store) copied to ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    for name in DUMPS:
        shutil.copy2(built.out / name, target / name)
    shutil.copytree(built.out / "queries", target / "queries")
    return target


def site_of(built: BuildResult, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, SiteReport]:
    """The site of the bundled lists, built once per session: (out folder, report)."""
    if "bundled" not in _SITES:
        out = copy_build(built, tmp_path_factory.mktemp("site") / "out")
        _SITES["bundled"] = (out, build_site(out, B))
    return _SITES["bundled"]


@pytest.fixture(scope="module")
def site_build(built: BuildResult, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, SiteReport]:
    return site_of(built, tmp_path_factory)


@pytest.fixture(scope="module")
def site(site_build: tuple[Path, SiteReport]) -> Path:
    return site_build[0] / "site"


@pytest.fixture(scope="module")
def union(site_build: tuple[Path, SiteReport]) -> Graph:
    """kdgraph.ttl, void.ttl and ontology.ttl together: everything the pages describe."""
    out = site_build[0]
    g = Graph()
    for name in ("kdgraph.ttl", "void.ttl", "ontology.ttl"):
        g.parse(out / name, format="turtle")
    return g


def iri_of_page(graph: Graph) -> dict[str, str]:
    """Site folder → the IRI whose page it is, for every subject of ``graph``."""
    found = {}
    for s in set(graph.subjects()):
        if isinstance(s, URIRef):
            iri = str(s).split("#", 1)[0]
            folder = site_path(iri, B)
            if folder is not None:
                found[folder] = iri
    return found


class Page(HTMLParser):
    """What the tests need from an HTML page: links, ids, headings, images, scripts, meta tags."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.headings: list[int] = []
        self.images: list[dict[str, str | None]] = []
        self.scripts: list[dict[str, str | None]] = []
        self.meta: list[tuple[str, str]] = []
        self.lang: str | None = None
        self.title = ""
        self._in_title = False
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"] or "")
        if tag == "html":
            self.lang = a.get("lang")
        if tag in ("a", "link") and a.get("href") is not None:
            self.links.append(a["href"] or "")
        if tag in ("img", "script") and a.get("src") is not None:
            self.links.append(a["src"] or "")
        if tag == "img":
            self.images.append(a)
        if tag == "script":
            self.scripts.append(a)
        if tag == "meta" and a.get("name") and a.get("content") is not None:
            self.meta.append((a["name"] or "", a["content"] or ""))
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag == "title":
            self._in_title = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


def embedded_jsonld(text: str) -> str:
    m = re.search(r'<script type="application/ld\+json">\n(.*?)\n</script>', text, re.DOTALL)
    assert m, "no embedded JSON-LD"
    return m.group(1)


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("index.html"))


def resource_pages(site: Path) -> list[Path]:
    return [p for p in html_pages(site) if (p.parent / "index.ttl").is_file()]


# --------------------------------------------------------------------------------------------- pages


def test_every_resource_under_the_base_has_a_page_at_its_mirrored_path(site: Path, union: Graph,
                                                                       site_build: tuple[Path, SiteReport]
                                                                       ) -> None:
    report = site_build[1]
    subjects = {str(s).split("#", 1)[0] for s in union.subjects() if isinstance(s, URIRef)
                and str(s).startswith(B)}
    assert report.skipped == []
    for iri in subjects:
        folder = site / unquote(iri[len(B):])
        for name in ("index.html", "index.ttl", "index.jsonld"):
            assert (folder / name).is_file(), f"{iri}: no {name}"
    assert len(resource_pages(site)) == len(subjects)
    assert report.kinds["paper"] == len(set(union.subjects(RDF.type, SDO.ScholarlyArticle))) > 200
    assert report.kinds["person"] == len(set(union.subjects(RDF.type, SDO.Person)))
    assert report.pages == len(html_pages(site))


def test_percent_encoded_uris_map_to_the_folders_a_web_server_looks_in(site: Path) -> None:
    """``id/doi/10.1007%2Fs41666…``: servers decode ``%2F`` before they map a path to a file."""
    assert (site / "id/doi/10.1007/s41666-020-00082-4/index.html").is_file()
    assert (site / "id/pmlr/v119/hamer20a/index.ttl").is_file()


def test_the_embedded_jsonld_of_every_page_equals_the_resources_triples(site: Path, union: Graph) -> None:
    by_iri: dict[str, Graph] = {}
    for s, p, o in union:
        if isinstance(s, URIRef):
            by_iri.setdefault(str(s).split("#", 1)[0], Graph()).add((s, p, o))
    iris = iri_of_page(union)
    pages = resource_pages(site)
    assert len(pages) == len(iris) > 1000
    for page in pages:
        expected = by_iri[iris[page.parent.relative_to(site).as_posix()]]
        text = embedded_jsonld(page.read_text(encoding="utf-8"))
        embedded = Graph().parse(data=text, format="json-ld")
        assert isomorphic(embedded, expected), f"{page}: embedded JSON-LD differs from the graph"
        beside = json.loads((page.parent / "index.jsonld").read_text(encoding="utf-8"))
        assert beside == json.loads(text), f"{page.parent}/index.jsonld differs from the embedded JSON-LD"
        ttl = Graph().parse(page.parent / "index.ttl", format="turtle")
        assert isomorphic(ttl, expected), f"{page.parent}/index.ttl differs"


def test_the_jsonld_is_compacted_with_the_published_context(site: Path) -> None:
    doc = json.loads((site / FITNETS / "index.jsonld").read_text(encoding="utf-8"))
    assert doc["@context"] == context(Minter(B))["@context"]
    assert doc["@id"] == "paper:fitnets-hints-for-thin-deep-nets"
    assert doc["name"] == "FitNets: Hints for Thin Deep Nets"
    assert doc["datePublished"] == "2015"
    assert sorted(doc["@type"]) == ["ScholarlyArticle", "bibo:AcademicArticle"]
    assert "person:adriana-romero" in doc["author"]


def test_a_paper_page_has_citation_meta_tags_and_alternates(site: Path) -> None:
    text = (site / FITNETS / "index.html").read_text(encoding="utf-8")
    page = Page(text)
    meta = page.meta
    assert ("citation_title", "FitNets: Hints for Thin Deep Nets") in meta
    assert [v for k, v in meta if k == "citation_author"] == [
        "Adriana Romero", "Nicolas Ballas", "Samira Ebrahimi Kahou", "Antoine Chassang", "Carlo Gatta",
        "Yoshua Bengio"]
    assert ("citation_publication_date", "2015") in meta
    assert ("citation_conference_title", "ICLR") in meta
    assert ("citation_pdf_url", "https://arxiv.org/pdf/1412.6550") in meta
    assert '<link rel="alternate" type="text/turtle" href="index.ttl"' in text
    assert '<link rel="alternate" type="application/ld+json" href="index.jsonld"' in text
    assert page.title.startswith("FitNets: Hints for Thin Deep Nets")


def test_pages_show_what_points_to_a_thing(site: Path) -> None:
    person = (site / "person/adriana-romero/index.html").read_text(encoding="utf-8")
    assert "../../paper/fitnets-hints-for-thin-deep-nets/index.html" in person
    assert "../../person/yoshua-bengio/index.html" in person  # a co-author
    topic = (site / "topic/online/index.html").read_text(encoding="utf-8")
    assert "../../paper/deep-mutual-learning/index.html" in topic
    assert "../../framework/pytorch/index.html" in topic  # the frameworks of the topic's papers
    venue = (site / "venue/cvpr/index.html").read_text(encoding="utf-8")
    assert "../../venue/cvpr/2020/index.html" in venue  # its years
    code = (site / "code/github.com/adri-romsor/fitnets/index.html").read_text(encoding="utf-8")
    assert "../../../../paper/fitnets-hints-for-thin-deep-nets/index.html" in code
    lst = (site / "list/zju-kd-papers/index.html").read_text(encoding="utf-8")
    assert "../../paper/fitnets-hints-for-thin-deep-nets/index.html" in lst


def test_a_persons_papers_are_in_year_order(site: Path, union: Graph) -> None:
    counts = Counter(o for _, o in union.subject_objects(SDO.author))
    person = max(counts, key=lambda p: (counts[p], str(p)))
    text = (site / str(person)[len(B):] / "index.html").read_text(encoding="utf-8")
    works = re.search(r'<ol class="works">(.*?)</ol>', text, re.DOTALL)
    assert works
    years = [int(y) for y in re.findall(r'<span class="year">(\d{4})</span>', works.group(1))]
    assert len(years) >= 2 and years == sorted(years)


_ATTR = re.compile(r'<(?:a|link|img|script)\b[^>]*?\s(?:href|src)="([^"]*)"')
_ID = re.compile(r'\sid="([^"]*)"')


def test_every_internal_link_of_the_site_resolves(site: Path) -> None:
    """A link checker over every page: relative links reach a file, and a #fragment an id on it.

    The pages are generated with double-quoted attributes, so a regular expression finds every link (the
    home page's are checked against a real HTML parser's; test_site_browser.py has Chromium do it)."""
    files = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    ids: dict[str, set[str]] = {}
    links: dict[str, list[str]] = {}
    for name in sorted(f for f in files if f.endswith(".html")):
        text = (site / name).read_text(encoding="utf-8")
        ids[name] = {html.unescape(i) for i in _ID.findall(text)}
        links[name] = [html.unescape(link) for link in _ATTR.findall(text)]
    assert links["index.html"] == Page((site / "index.html").read_text(encoding="utf-8")).links
    checked = 0
    for name, found in links.items():
        folder = posixpath.dirname(name)
        for link in found:
            parts = urlsplit(link)
            if parts.scheme or link.startswith("//"):
                assert parts.scheme in ("http", "https", "mailto"), f"{name}: odd link {link}"
                continue
            target = posixpath.normpath(posixpath.join(folder, unquote(parts.path))) if parts.path else name
            assert target in files, f"{name}: broken link {link}"
            if parts.fragment and target.endswith(".html"):
                assert unquote(parts.fragment) in ids[target], f"{name}: no #{parts.fragment} in {target}"
            checked += 1
    assert checked > 30_000


def test_pages_are_accessible_and_need_no_javascript(site: Path) -> None:
    for page in html_pages(site):
        info = Page(page.read_text(encoding="utf-8"))
        assert info.lang == "en", page
        assert info.title.strip(), page
        assert info.headings.count(1) == 1, f"{page}: {info.headings.count(1)} h1"
        for before, after in zip(info.headings, info.headings[1:], strict=False):
            assert after <= before + 1, f"{page}: heading h{before} followed by h{after}"
        for img in info.images:
            assert (img.get("alt") or "").strip(), f"{page}: an image without alt text"
        assert all(s.get("type") == "application/ld+json" for s in info.scripts), f"{page}: a script"


def test_the_sitemap_lists_every_page(site: Path) -> None:
    root = ET.parse(site / "sitemap.xml").getroot()
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [loc.text or "" for loc in root.findall("s:url/s:loc", ns)]
    assert locs == sorted(locs) and len(locs) == len(set(locs))
    pages = {B + (p.parent.relative_to(site).as_posix() + "/" if p.parent != site else "")
             for p in html_pages(site)}
    assert {unquote(loc) for loc in locs} == pages
    assert (site / "robots.txt").read_text().endswith(f"Sitemap: {B}sitemap.xml\n")


def test_index_pages_and_the_dataset_and_ontology_pages(site: Path, union: Graph) -> None:
    papers = len(set(union.subjects(RDF.type, SDO.ScholarlyArticle)))
    home = (site / "index.html").read_text(encoding="utf-8")
    for link in ("papers/by-topic/index.html", "papers/by-year/index.html", "papers/by-venue/index.html",
                 "people/index.html", "queries/index.html", "dataset/index.html", "ontology/index.html",
                 "dumps/kdgraph.ttl", "charts/papers-per-year-by-topic.svg", "charts/code-by-framework.svg"):
        assert f'"{link}"' in home, link
    by_year = (site / "papers/by-year/index.html").read_text(encoding="utf-8")
    assert by_year.count('href="../../paper/') >= papers
    people = (site / "people/index.html").read_text(encoding="utf-8")
    assert people.count('href="../person/') == len(set(union.subjects(RDF.type, SDO.Person)))
    ontology = (site / "ontology/index.html").read_text(encoding="utf-8")
    for term in ("code", "inferredSubject", "section", "sourceLine", "priority", "read", "Priority",
                 "TopPriority"):
        assert f'id="{term}"' in ontology, term
    dataset = (site / "dataset/index.html").read_text(encoding="utf-8")
    assert "../dumps/kdgraph.nq" in dataset
    assert (site / "dumps/kdgraph.ttl").read_bytes() == (site.parent / "kdgraph.ttl").read_bytes()


def test_every_canned_query_has_a_page_with_its_sparql_and_results(site: Path) -> None:
    names = sorted(p.stem for p in (site.parent / "queries").glob("*.rq"))
    assert len(names) >= 10
    index = (site / "queries/index.html").read_text(encoding="utf-8")
    for name in names:
        page = site / "queries" / name / "index.html"
        assert page.is_file() and f"queries/{name}/index.html" in index
        published = site.parent / "queries" / f"{name}.rq"
        assert (page.parent / f"{name}.rq").read_bytes() == published.read_bytes()
        assert "The query failed" not in page.read_text(encoding="utf-8"), name
    online = (site / "queries/online-kd-pytorch/index.html").read_text(encoding="utf-8")
    assert "<p>3 rows.</p>" in online
    assert "../../paper/knowledge-distillation-by-on-the-fly-native-ensemble/index.html" in online


def test_charts_are_svg_with_a_text_alternative(site: Path, union: Graph) -> None:
    svg_ns = "{http://www.w3.org/2000/svg}"
    topics = ET.parse(site / "charts/papers-per-year-by-topic.svg").getroot()
    assert topics.get("role") == "img"
    assert topics.find(f"{svg_ns}title") is not None and topics.find(f"{svg_ns}desc") is not None
    panels = topics.findall(f"{svg_ns}g")
    table = (site / "papers/by-topic/index.html").read_text(encoding="utf-8")
    rows = re.search(r'<h2 id="table-h">.*?<tbody>(.*?)</tbody>', table, re.DOTALL)
    assert rows and len(panels) == rows.group(1).count("<tr>") > 5
    frameworks = ET.parse(site / "charts/code-by-framework.svg").getroot()
    labels = [t.text for t in frameworks.iter(f"{svg_ns}text")]
    assert "PyTorch" in labels and "framework not stated" in labels
    with_code = len(set(union.subjects(URIRef("https://w3id.org/kdgraph/ontology#code"))))
    papers = len(set(union.subjects(RDF.type, SDO.ScholarlyArticle)))
    assert any(t and t.startswith(f"{with_code} of {papers} papers") for t in labels)


def test_the_site_ships_an_nginx_config_and_a_404_page(site: Path) -> None:
    conf = (site / "nginx.conf").read_text(encoding="utf-8")
    assert "location /kdgraph/ {" in conf
    assert "index index.$kdgraph_ext;" in conf
    assert "add_header Vary Accept always;" in conf
    assert "application/ld+json         jsonld;" in conf and "text/turtle                 ttl;" in conf
    assert "Not found" in (site / "404.html").read_text(encoding="utf-8")


def test_templates_and_static_files_are_package_data() -> None:
    root = package_files("kdgraph.site")
    names = {entry.name for entry in (root / "templates").iterdir()}
    assert {"layout.html", "paper.html", "home.html", "nginx.conf", "sitemap.xml"} <= names
    assert (root / "static" / "style.css").is_file()


# --------------------------------------------------------------------------------------------- build


def _digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_site_is_deterministic(built: BuildResult, site: Path, tmp_path: Path) -> None:
    out = copy_build(built, tmp_path / "again")
    build_site(out)  # the base comes from void.ttl this time
    assert _digest(out / "site") == _digest(site)


def test_a_failed_site_build_leaves_the_previous_site_alone(built: BuildResult, tmp_path: Path) -> None:
    out = copy_build(built, tmp_path / "out")
    build_site(out)
    before = _digest(out / "site")
    (out / "kdgraph.ttl").write_text("this is not turtle", encoding="utf-8")
    with pytest.raises(KdgraphError, match=r"kdgraph\.ttl|cannot be read"):
        build_site(out)
    assert _digest(out / "site") == before
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == []


def test_a_site_that_cannot_be_written_leaves_the_previous_one(built: BuildResult, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    out = copy_build(built, tmp_path / "out")
    build_site(out)
    before = _digest(out / "site")
    calls = {"n": 0}
    real = Path.write_bytes

    def failing(self: Path, data: bytes) -> int:
        calls["n"] += 1
        if calls["n"] == 500:
            raise OSError(28, "No space left on device", str(self))
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", failing)
    with pytest.raises(KdgraphError, match=r"site: the site cannot be written \(No space left on device"):
        build_site(out)
    monkeypatch.undo()
    assert _digest(out / "site") == before
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []


def test_no_build_is_a_one_line_error(tmp_path: Path) -> None:
    with pytest.raises(KdgraphError, match=r"kdgraph\.ttl: no such file — build first"):
        build_site(tmp_path)


MINI = """
@prefix schema: <https://schema.org/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix void: <http://rdfs.org/ns/void#> .
<https://example.org/kd/paper/a-b> a schema:ScholarlyArticle ; schema:name "A \\"quoted\\" <title> & more" ;
    schema:author <https://example.org/kd/person/c> ;
    dcterms:subject <https://w3id.org/kdgraph/topic/online> ;
    schema:datePublished "2020"^^<http://www.w3.org/2001/XMLSchema#gYear> .
<https://example.org/kd/person/c> a schema:Person ; schema:name "Ça Über" .
<https://example.org/kd/id/x/..> schema:value "a path that cannot be a folder" .
<https://w3id.org/kdgraph/topic/online> a <http://www.w3.org/2004/02/skos/core#Concept> ;
    <http://www.w3.org/2004/02/skos/core#prefLabel> "Online"@en ;
    <http://www.w3.org/2004/02/skos/core#inScheme> <https://w3id.org/kdgraph/topic> .
"""


def test_a_small_graph_under_another_base(tmp_path: Path) -> None:
    """Only kdgraph.ttl and void.ttl; another base; a title with markup characters; an unmappable IRI."""
    (tmp_path / "kdgraph.ttl").write_text(MINI, encoding="utf-8")
    (tmp_path / "void.ttl").write_text('<https://example.org/kd/dataset> <http://rdfs.org/ns/void#uriSpace> '
                                       '"https://example.org/kd/" .\n', encoding="utf-8")
    report = build_site(tmp_path)
    assert report.base == "https://example.org/kd/"
    site = tmp_path / "site"
    page = (site / "paper/a-b/index.html").read_text(encoding="utf-8")
    assert "<h1>A &#34;quoted&#34; &lt;title&gt; &amp; more</h1>" in page
    assert "\\u003ctitle\\u003e" in embedded_jsonld(page)  # no "<" inside the script element
    assert json.loads(embedded_jsonld(page))["name"] == 'A "quoted" <title> & more'
    assert (site / "topic/online/index.html").is_file()  # the fixed vocabulary IRIs get pages too
    assert "../../topic/online/index.html" in page
    assert report.skipped == ["https://example.org/kd/id/x/..: its path cannot be a folder of the site"]
    assert "https://example.org/kd/paper/a-b/" in (site / "sitemap.xml").read_text(encoding="utf-8")


def test_site_path() -> None:
    assert site_path(B + "paper/x", B) == "paper/x"
    assert site_path(B + "ontology#code", B) == "ontology"
    assert site_path(B, B) == ""
    assert site_path("https://example.org/kd/paper/x", "https://example.org/kd/") == "paper/x"
    assert site_path(B + "topic/online", "https://example.org/kd/") == "topic/online"
    assert site_path(B + "id/doi/10.1%2Fx", B) == "id/doi/10.1/x"
    for bad in ("paper/../x", "paper//x", "paper/x/", "paper/x?y=1", "id/%2E%2E/x"):
        assert site_path(B + bad, B) is None, bad
    assert site_path("https://arxiv.org/abs/1", B) is None


# --------------------------------------------------------------------------------------------- writers

_iris = st.sampled_from([B + "paper/a", B + "person/b", "https://schema.org/name", "https://example.org/x%20y?q=(1)#f",
                         "http://purl.org/ontology/bibo/doi", B + "topic/online", "urn:x:1",
                         "https://w3id.org/kdgraph/ontology#read", "https://schema.org/url",
                         "https://schema.org/datePublished", str(RDF.type), "https://schema.org/ScholarlyArticle"])
_literals = st.one_of(
    st.builds(lambda v: Lit(v), st.text(max_size=20)),
    st.builds(lambda v, lang: Lit(v, "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString", lang),
              st.text(max_size=10), st.sampled_from(["en", "de-CH", "zh-Hans"])),
    st.builds(lambda v: Lit(v, str(XSD.integer)), st.sampled_from(["1", "01", "-5", "0", "+3"])),
    st.builds(lambda v: Lit(v, str(XSD.boolean)), st.sampled_from(["true", "false", "1"])),
    st.builds(lambda v: Lit(v, str(XSD.gYear)), st.sampled_from(["2020", "1999"])),
    st.builds(lambda v: Lit(v, str(XSD.double)), st.sampled_from(["1.5", "1E3"])),
)
_objects = st.one_of(_iris, _literals, st.just(BNode("b1")))


def _rdflib(term: str | Lit) -> URIRef | Literal | RBNode:
    if isinstance(term, Lit):
        if term.lang:
            return Literal(term.value, lang=term.lang)
        if term.datatype == str(XSD.string):  # RDF 1.1: a plain literal is an xsd:string
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype))
    if isinstance(term, BNode):
        return RBNode(str(term))
    return URIRef(term)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from([B + "paper/a", B + "paper/a#frag"]), _iris, _objects),
                min_size=1, max_size=8))
def test_the_writers_round_trip(triples: list[tuple[str, str, str | Lit]]) -> None:
    """Whatever the terms, parsing the Turtle or JSON-LD written gives back exactly the triples."""
    expected = Graph()
    for s, p, o in triples:
        expected.add((URIRef(s), URIRef(p), _rdflib(o)))
    prefixes = {"schema": "https://schema.org/", "paper": B + "paper/", "kd": B + "ontology#"}
    ttl = Graph().parse(data=turtle(triples, prefixes).decode("utf-8"), format="turtle")
    assert isomorphic(ttl, expected), turtle(triples, prefixes).decode("utf-8")
    text = json_text(Compactor(context(Minter(B))).document(triples))
    assert isomorphic(Graph().parse(data=text, format="json-ld"), expected), text
    assert "<" not in script_json(text)


# --------------------------------------------------------------------------------------------- command


def _runner() -> CliRunner:
    if "mix_stderr" in inspect.signature(CliRunner.__init__).parameters:
        return CliRunner(mix_stderr=False)  # type: ignore[call-arg]
    return CliRunner()


def test_the_site_command(built: BuildResult, tmp_path: Path) -> None:
    out = copy_build(built, tmp_path / "out")
    result = _runner().invoke(site_command, ["--out", str(out)])
    assert result.exit_code == 0, result.output
    summary = r"wrote \d{4} pages \(\d+ files, [\d.]+ MB\) to .+/site/ in [\d.]+ s\n"
    assert re.fullmatch(summary, result.stdout)
    assert "writing the site" in result.stderr
    assert (out / "site/index.html").is_file()


def test_the_site_command_without_a_build(tmp_path: Path) -> None:
    result = _runner().invoke(site_command, ["--out", str(tmp_path)])
    assert result.exit_code == 1
    assert "no such file — build first with `kdgraph build --out" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize("command", [site_command, serve_command], ids=["site", "serve"])
def test_the_commands_document_an_example(command: object) -> None:
    help_text = getattr(command, "help", "") or ""
    assert re.search(r"^\s*Example:\s*$", help_text, re.MULTILINE)
    assert re.search(r"^\s+kdgraph (site|serve)", help_text, re.MULTILINE)
