"""The other list conventions of public KD awesome-lists, read by the one ``markdown`` reader.

Four lists written for these tests (tests/data/conventions/), one per convention: linked-title bullets
with framework code sections, numbered entries with reference-style links, tables of papers, and year
sections with to-do items. Expected values are read off the list files (line numbers as in the files),
not copied from the reader's output. The registry beside them adds the two bundled lists, to test
merging.
"""

from __future__ import annotations

import inspect
import json
import re

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SDO

from conftest import (
    TESTS,
    by_line,
    count_markdown_items,
    diagnostics_at,
    ids_of,
    links_of,
    marks_of,
    names_of,
    read_file,
    venue_of,
)
from kdgraph import normalize as nz
from kdgraph.build import BuildResult, build
from kdgraph.cli import main
from kdgraph.readers import READERS, read_markdown
from kdgraph.readers import code_sections as cs
from kdgraph.records import ReadResult
from kdgraph.sources import load_registry
from kdgraph.uris import Minter

CONVENTIONS = TESTS / "data" / "conventions"
LISTS = ("linked-titles.md", "numbered.md", "tables.md", "years-and-todos.md")
TOP_LINKED = "Awesome Knowledge Distillation (linked-title edition)"
TOP_NUMBERED = "Knowledge Distillation: a numbered reading list"
TOP_TABLES = "Awesome Knowledge Distillation, in tables"
TOP_YEARS = "Knowledge distillation reading queue"


def test_convention_files_are_all_collected() -> None:
    assert sorted(p.name for p in CONVENTIONS.glob("*.md")) == sorted(LISTS)


# ---------------------------------------------------------------------------------------- accounting


def table_blocks(text: str) -> list[tuple[int, int]]:
    """Each run of lines starting with ``|``: its first line (1-based) and its body rows (the run less
    its header and delimiter lines), counted line by line."""
    blocks: list[tuple[int, int]] = []
    start: int | None = None
    lines = text.splitlines()
    for n, line in enumerate([*lines, ""], 1):
        if line.startswith("|") and start is None:
            start = n
        elif not line.startswith("|") and start is not None:
            blocks.append((start, n - start - 2))
            start = None
    return blocks


# Tables of tables.md that are not lists of papers: the table of contents (navigation), the results
# table and the table of conference deadlines.
NOT_PAPER_TABLES = {3, 62, 71}


def independent_count(name: str) -> int:
    text = (CONVENTIONS / name).read_text(encoding="utf-8")
    rows = sum(n for first, n in table_blocks(text) if first not in NOT_PAPER_TABLES)
    return count_markdown_items(text) + rows


EXPECTED_COUNTS = {  # (items, records, items not recorded)
    "linked-titles.md": (44, 35, 9),
    "numbered.md": (33, 33, 0),
    "tables.md": (31, 30, 1),
    "years-and-todos.md": (36, 34, 2),
}


@pytest.fixture(scope="module")
def results() -> dict[str, ReadResult]:
    return {name: read_file(CONVENTIONS / name, name.removesuffix(".md")) for name in LISTS}


@pytest.mark.parametrize("name", LISTS)
def test_every_item_is_accounted_for(name: str, results: dict[str, ReadResult]) -> None:
    result = results[name]
    independent = independent_count(name)
    assert independent >= 30
    assert result.items == independent
    assert result.unaccounted() == 0
    assert len(result.records) + len(result.skipped) == independent
    assert (result.items, len(result.records), len(result.skipped)) == EXPECTED_COUNTS[name]
    lines = (CONVENTIONS / name).read_text(encoding="utf-8").splitlines()
    assert [r.position for r in result.records] == list(range(1, len(result.records) + 1))
    for record in result.records:
        assert record.title and record.title == record.title.strip()
        assert 1 <= record.line <= len(lines)
    for diag in result.diagnostics:
        assert 1 <= diag.line <= len(lines) and "\n" not in diag.message


def test_table_blocks_are_counted_line_by_line() -> None:
    text = (CONVENTIONS / "tables.md").read_text(encoding="utf-8")
    assert table_blocks(text) == [(3, 3), (11, 7), (23, 8), (36, 9), (50, 7), (62, 4), (71, 2)]


@pytest.mark.parametrize("name", LISTS)
def test_reading_is_deterministic(name: str, results: dict[str, ReadResult]) -> None:
    again = read_file(CONVENTIONS / name, name.removesuffix(".md"))
    assert [r.to_dict() for r in again.records] == [r.to_dict() for r in results[name].records]
    assert again.diagnostics == results[name].diagnostics


def test_one_reader_reads_every_convention() -> None:
    sources = load_registry(CONVENTIONS / "sources.toml")
    assert {s.reader for s in sources} == {"markdown"}
    assert READERS["markdown"] is read_markdown


# ------------------------------------------------------------------------------- field readers


@pytest.mark.parametrize(("text", "authors", "venue"), [
    ("Author One, Author Two, 2019", ["Author One", "Author Two"], (None, 2019)),
    (", Author One, Author Two, CVPR 2022", ["Author One", "Author Two"], ("CVPR", 2022)),
    (",Author One,Author Two,2019", ["Author One", "Author Two"], (None, 2019)),
    ("A B, C D, CVPR, 2022", ["A B", "C D"], ("CVPR", 2022)),
    ("Author One1, Author Two", ["Author One", "Author Two"], None),
    ("Author One, Author Two 2019", ["Author One", "Author Two"], (None, 2019)),
    ("Surname, First et al. CVPR 2020", ["First Surname"], ("CVPR", 2020)),
    ("Hinton et al. arXiv:1503.02531", ["Hinton"], ("arXiv", 2015)),
    ("Romero, A., Ballas, N. et al. arXiv preprint arXiv:1412.6550", ["A. Romero", "N. Ballas"],
     ("arXiv", 2014)),
    ("Ba, Jimmy, and Rich Caruana. NeurIPS 2014", ["Jimmy Ba", "Rich Caruana"], ("NeurIPS", 2014)),
    ("Hinton, J.Dean, 2015", ["Hinton", "J. Dean"], (None, 2015)),
])
def test_parse_byline(text: str, authors: list[str], venue: tuple[str | None, int] | None) -> None:
    byline = nz.parse_byline(text)
    assert byline is not None
    assert [p.name for p in nz.parse_authors(byline.authors).persons] == authors
    assert (None if byline.venue is None else (byline.venue.series, byline.venue.year)) == venue


@pytest.mark.parametrize("text", ["IEEE Signal Processing Magazine 2018", "CVPR 2022", "IEEE, 2020",
                                  "a distilled version of BERT: smaller, 2019", ""])
def test_parse_byline_none(text: str) -> None:
    assert nz.parse_byline(text) is None


@pytest.mark.parametrize(("text", "title"), [
    ("Title Words. Surname, First et al. CVPR 2020", "Title Words"),
    ("Do Deep Nets Really Need to be Deep? Ba, Jimmy, and Rich Caruana. NeurIPS 2014",
     "Do Deep Nets Really Need to be Deep?"),
    ("Distilling the Knowledge in a Neural Network, Geoffrey Hinton, Oriol Vinyals, 2015",
     "Distilling the Knowledge in a Neural Network"),
    ("Show, Attend and Tell, Kelvin Xu, Jimmy Ba, 2015", "Show, Attend and Tell"),
])
def test_split_title_byline(text: str, title: str) -> None:
    split = nz.split_title_byline(text)
    assert split is not None and split[0] == title


@pytest.mark.parametrize("text", [
    "FitNets: Hints for Thin Deep Nets, ICLR 2015",  # a venue, no authors: read elsewhere
    "Knowledge Distillation in Wide Neural Networks: Risk Bound, Data Efficiency and Imperfect Teacher",
    "Uncertainty-aware Multi-shot Knowledge Distillation.",
    "Patient Knowledge Distillation, Siqi Sun, Yu Cheng",  # no year: a title may hold such commas
])
def test_split_title_byline_none(text: str) -> None:
    assert nz.split_title_byline(text) is None


@pytest.mark.parametrize(("text", "year"), [("2021", 2021), ("2023-11", 2023), ("2023/11/05", 2023),
                                            ("(2019.05)", 2019), ("Nov 2023", 2023), ("72.3", None),
                                            ("2023-13", None), ("-", None)])
def test_date_year(text: str, year: int | None) -> None:
    assert nz.date_year(text) == year


def test_arxiv_venue() -> None:
    found = nz.arxiv_venue("arXiv:2104.00001")
    assert found is not None
    venue, ident = found
    assert (venue.series, venue.year, venue.kind, ident.value) == ("arXiv", 2021, "preprint", "2104.00001")
    assert nz.arxiv_venue("arXiv preprint arXiv:1503.02531v2")[1].value == "1503.02531"  # type: ignore[index]
    assert nz.arxiv_venue("arXiv:2113.00001") is None  # no 13th month


@pytest.mark.parametrize(("text", "names"), [
    ("Chen, Guobin et al.", ["Guobin Chen"]),
    ("Lopes, Raphael Gontijo et al.", ["Raphael Gontijo Lopes"]),
    ("Hinton, Geoffrey, Oriol Vinyals, and Jeff Dean", ["Geoffrey Hinton", "Oriol Vinyals", "Jeff Dean"]),
    ("Hinton, Dean", ["Hinton", "Dean"]),  # two surnames, no et al.: not read as one inverted name
    ("Furlanello, Tommaso and others", ["Tommaso Furlanello"]),
    ("Jin, Xiao et.al.", ["Xiao Jin"]),
    ("Kim, Jangho etal", ["Jangho Kim"]),
    ("Ann Lee & al.", ["Ann Lee"]),
    ("Ann Lee & Al Gore", ["Ann Lee", "Al Gore"]),
])
def test_more_author_forms(text: str, names: list[str]) -> None:
    assert [p.name for p in nz.parse_authors(text).persons] == names


# ------------------------------------------------------------------------------ 1. linked titles


@pytest.fixture(scope="module")
def linked(results: dict[str, ReadResult]) -> ReadResult:
    return results["linked-titles.md"]


def test_linked_title_with_authors_and_year(linked: ReadResult) -> None:
    r = by_line(linked.records)[10]
    assert r.title == "Distilling the Knowledge in a Neural Network"
    assert names_of(r) == ["Geoffrey Hinton", "Oriol Vinyals", "Jeff Dean"]
    assert venue_of(r) == (None, 2015, "unknown", False)
    assert r.links[0].url == "https://arxiv.org/abs/1503.02531"
    assert ids_of(r) == [("arXiv", "1503.02531")]
    assert r.section == (TOP_LINKED, "Papers", "Logits and features")
    assert (r.kind, marks_of(r), r.notes) == ("paper", (None, False), ())


def test_linked_title_venue_before_year(linked: ReadResult) -> None:
    records = by_line(linked.records)
    ba = records[11]
    assert ba.title == "Do Deep Nets Really Need to be Deep?"
    assert names_of(ba) == ["Jimmy Ba", "Rich Caruana"]
    assert venue_of(ba) == ("NeurIPS", 2014, "conference", False)
    assert venue_of(records[46]) == ("NeurIPS", 2019, "workshop", True)
    assert records[46].title == ("DistilBERT, a distilled version of BERT: smaller, faster, cheaper and "
                                 "lighter")
    assert names_of(records[46]) == ["Victor Sanh", "Lysandre Debut", "Julien Chaumond", "Thomas Wolf"]
    assert venue_of(records[54]) == ("IJCV", 2021, "journal", False)


def test_linked_title_with_a_link_before_the_authors(linked: ReadResult) -> None:
    r = by_line(linked.records)[12]
    assert r.title == "Fitnets: hints for thin deep nets"
    assert names_of(r) == ["Adriana Romero", "Nicolas Ballas", "Samira Ebrahimi Kahou", "Antoine Chassang",
                           "Carlo Gatta", "Yoshua Bengio"]
    assert venue_of(r) == ("ICLR", 2015, "conference", False)
    # the notes link stays a link of the entry; the code link comes from the TensorFlow section
    assert links_of(r) == [("paper", None), ("other", None), ("code", "TensorFlow")]
    assert [link.url for link in r.links[:2]] == ["https://arxiv.org/abs/1412.6550",
                                                   "https://blog.example.org/fitnets"]
    assert r.notes == ()
    slides = by_line(linked.records)[31]
    assert links_of(slides) == [("paper", None), ("slides", None)]
    assert names_of(slides) == ["Sukmin Yun", "Jongjin Park", "Kimin Lee", "Jinwoo Shin"]


def test_linked_title_with_trailing_code_link(linked: ReadResult) -> None:
    r = by_line(linked.records)[13]
    assert r.title.startswith("Paying more attention to attention: improving the performance")
    assert names_of(r) == ["Sergey Zagoruyko", "Nikos Komodakis"]
    assert venue_of(r) == ("ICLR", 2017, "conference", False)
    assert links_of(r) == [("paper", None), ("code", None)]
    assert r.links[1].url == "https://github.com/szagoruyko/attention-transfer"
    assert r.notes == ()


def test_linked_title_without_spaces_after_commas(linked: ReadResult) -> None:
    records = by_line(linked.records)
    gift = records[14]
    assert gift.title == ("A Gift from Knowledge Distillation: Fast Optimization, Network Minimization and "
                          "Transfer Learning")
    assert names_of(gift) == ["Junho Yim", "Donggyu Joo", "Jihoon Bae", "Junmo Kim"]
    assert venue_of(gift) == ("CVPR", 2017, "conference", False)
    assert ids_of(gift) == [("CVF", "Yim_A_Gift_From_CVPR_2017")]
    tiny = records[47]
    assert names_of(tiny) == ["Xiaoqi Jiao", "Yichun Yin", "Lifeng Shang", "Xin Jiang", "Xiao Chen",
                              "Linlin Li", "Fang Wang", "Qun Liu"]
    assert venue_of(tiny) == (None, 2020, "unknown", False)


def test_linked_title_footnote_digits(linked: ReadResult) -> None:
    r = by_line(linked.records)[17]
    assert names_of(r) == ["Wonpyo Park", "Dongju Kim", "Yan Lu", "Minsu Cho"]
    assert [p.as_written for p in r.authors] == ["Wonpyo Park1", "Dongju Kim2", "Yan Lu3", "Minsu Cho1"]
    assert venue_of(r) == ("CVPR", 2019, "conference", False)
    assert [d.code for d in diagnostics_at(linked.diagnostics, 17)] == ["author-name"] * 4


def test_linked_title_without_year(linked: ReadResult) -> None:
    records = by_line(linked.records)
    cc = records[18]
    assert cc.venue is None
    assert len(cc.authors) == 8 and names_of(cc)[-1] == "Zhaoning Zhang"
    dfad = records[40]
    assert (dfad.title, dfad.venue) == ("Data-Free Adversarial Distillation", None)
    assert names_of(dfad)[0] == "Gongfan Fang"


def test_entries_without_url(linked: ReadResult) -> None:
    records = by_line(linked.records)
    rco = records[20]
    assert rco.title == "Knowledge Distillation via Route Constrained Optimization"
    assert names_of(rco) == ["Xiao Jin", "Baoyun Peng", "Yichao Wu", "Yu Liu", "Jiaheng Liu", "Ding Liang",
                             "Junjie Yan", "Xiaolin Hu"]
    assert venue_of(rco) == ("ICCV", 2019, "conference", False)
    assert rco.links == ()
    assert [d.code for d in diagnostics_at(linked.diagnostics, 20)] == ["no-links"]
    vid = records[21]
    assert vid.title == "Variational information distillation for knowledge transfer"
    assert venue_of(vid) == (None, 2019, "unknown", False)
    assert names_of(vid)[3] == "Neil D. Lawrence"
    pkd = records[50]
    assert pkd.title == "Patient Knowledge Distillation for BERT Model Compression"
    assert venue_of(pkd) == ("EMNLP", 2019, "conference", False)


# ----------------------------------------------------------------------------------- code sections


def test_framework_headings() -> None:
    assert cs.section_framework(("List", "PyTorch")) == (True, "PyTorch")
    assert cs.section_framework(("List", "TensorFlow implementations")) == (True, "TensorFlow")
    assert cs.section_framework(("List", "Code", "TF")) == (True, "TensorFlow")
    assert cs.section_framework(("PyTorch and TensorFlow code",)) == (True, None)
    assert cs.section_framework(("List", "Data-Free Knowledge Distillation")) == (False, None)
    assert cs.section_framework(("Torch-based knowledge distillation papers",)) == (False, None)


def test_code_section_items_attach_to_papers(linked: ReadResult) -> None:
    attached = sorted((d.line, d.severity, d.entry) for d in linked.diagnostics if d.code == "code-attached")
    assert attached == [(line, "info", True) for line in (60, 61, 62, 69, 70, 71)]
    records = by_line(linked.records)
    hinton = records[10]
    assert links_of(hinton) == [("paper", None), ("code", "PyTorch")]
    assert hinton.links[1].url == "https://github.com/peterliht/knowledge-distillation-pytorch"
    (diag,) = diagnostics_at(linked.diagnostics, 60)
    assert "code link attached to 'Distilling the Knowledge in a Neural Network' (line 10)" in diag.message
    assert links_of(records[19])[-1] == ("code", "PyTorch")  # "(CRD)" after the title
    assert records[19].links[-1].url == "https://github.com/HobbitLong/RepDistiller"
    assert links_of(records[16])[-1] == ("code", "PyTorch")  # title before a [code] link
    assert links_of(records[28]) == [("paper", None), ("code", "TensorFlow")]  # "(TF)" after the title
    assert links_of(records[14])[-1] == ("code", "TensorFlow")  # the short name before the colon


def test_code_section_reports_no_match_and_several_matches(linked: ReadResult) -> None:
    (born,) = diagnostics_at(linked.diagnostics, 63)
    assert (born.code, born.severity, born.entry) == ("code-unmatched", "warning", True)
    assert "'Born-Again Neural Networks' matches no paper" in born.message
    assert [link.url for link in born.links] == ["https://github.com/hankook/BAN-pytorch"]
    assert born.links[0].framework == "PyTorch"
    (rkd,) = diagnostics_at(linked.diagnostics, 65)
    assert rkd.code == "code-unmatched"
    assert "the closest is 'Relational Knowledge Distillation'" in rkd.message
    (both,) = diagnostics_at(linked.diagnostics, 64)
    assert (both.code, both.severity, both.entry) == ("code-ambiguous", "warning", True)
    assert "'Knowledge Distillation: A Survey' (line 54" in both.message
    assert "'Knowledge Distillation: A Good Teacher is Patient and Consistent' (line 55" in both.message
    records = by_line(linked.records)
    assert links_of(records[54]) == links_of(records[55]) == [("paper", None)]  # attached to neither
    assert {d.line for d in linked.skipped} == {60, 61, 62, 63, 64, 65, 69, 70, 71}


def test_code_matching_is_deterministic_and_thresholded(linked: ReadResult) -> None:
    found, certain = cs.match("Distilling the knowledge in a neural net", linked.records)
    assert certain and [r.line for _, r in found] == [10]
    assert found[0][0] >= cs.THRESHOLD
    found, certain = cs.match("Knowledge Distillation", list(reversed(linked.records)))
    assert not certain and [r.line for _, r in found] == [55, 54]  # ties sorted by title, not order
    found, certain = cs.match("Relational KD", linked.records)
    assert not certain and found[0][0] < cs.THRESHOLD


def test_attached_code_replaces_the_no_links_note() -> None:
    text = ("# L\n\n## Papers\n\n- Deep Mutual Learning, Ying Zhang, Tao Xiang, CVPR 2018\n\n"
            "## PyTorch\n\n- [Deep mutual learning](https://github.com/chxy95/Deep-Mutual-Learning)\n")
    result = read_markdown(text, source="s", file="f.md")
    (record,) = result.records
    assert links_of(record) == [("code", "PyTorch")]
    assert [(d.line, d.code) for d in result.diagnostics] == [(9, "code-attached")]
    assert (result.items, result.unaccounted()) == (2, 0)


def test_paper_entries_in_a_code_section_stay_papers() -> None:
    text = ("# L\n\n## PyTorch\n\n"
            "- [Deep Mutual Learning](https://arxiv.org/abs/1706.00384) [code](https://github.com/a/dml)\n"
            "- **Relational Knowledge Distillation** [[Paper]](https://arxiv.org/abs/1904.05068) "
            "[[Code]](https://github.com/lenscloth/RKD)\n"
            "- [Deep mutual learning](https://github.com/b/dml)\n")
    result = read_markdown(text, source="s", file="f.md")
    records = by_line(result.records)
    assert links_of(records[5]) == [("paper", None), ("code", "PyTorch"), ("code", "PyTorch")]
    assert [link.url for link in records[5].links][1:] == ["https://github.com/a/dml",
                                                           "https://github.com/b/dml"]
    assert links_of(records[6]) == [("paper", None), ("code", "PyTorch")]
    assert [(d.line, d.code) for d in result.diagnostics] == [(7, "code-attached")]


# ------------------------------------------------------------------------------------ 2. numbered


@pytest.fixture(scope="module")
def numbered(results: dict[str, ReadResult]) -> ReadResult:
    return results["numbered.md"]


def test_numbered_entry_with_arxiv_venue(numbered: ReadResult) -> None:
    r = by_line(numbered.records)[7]
    assert r.title == "Distilling the Knowledge in a Neural Network"
    assert names_of(r) == ["Geoffrey Hinton"]
    assert r.authors[0].as_written == "Hinton, Geoffrey"
    assert venue_of(r) == ("arXiv", 2015, "preprint", False)
    assert r.venue is not None and r.venue.text == "arXiv:1503.02531"
    assert links_of(r) == [("paper", None)]
    assert r.links[0].url == "https://arxiv.org/abs/1503.02531"
    assert ids_of(r) == [("arXiv", "1503.02531")]
    assert r.section == (TOP_NUMBERED, "Knowledge Distillation")


def test_numbered_mla_authors(numbered: ReadResult) -> None:
    records = by_line(numbered.records)
    ba = records[8]
    assert ba.title == "Do deep nets really need to be deep?"
    assert names_of(ba) == ["Jimmy Ba", "Rich Caruana"]
    assert venue_of(ba) == ("NeurIPS", 2014, "conference", False)
    at = records[10]
    assert names_of(at) == ["Sergey Zagoruyko", "Nikos Komodakis"]
    assert links_of(at) == [("paper", None), ("code", None)]
    assert at.links[1].url == "https://github.com/szagoruyko/attention-transfer"
    sdhs = records[34]
    assert names_of(sdhs) == ["Hossein Mobahi", "Mehrdad Farajtabar", "Peter L. Bartlett"]
    assert venue_of(sdhs) == ("NeurIPS", 2020, "conference", False)
    lopes = records[40]
    assert names_of(lopes) == ["Raphael Gontijo Lopes"]
    assert venue_of(lopes) == ("arXiv", 2017, "preprint", False)
    assert (lopes.links, ids_of(lopes)) == ((), [("arXiv", "1710.07535")])


def test_numbered_reference_labels_ignore_case(numbered: ReadResult) -> None:
    r = by_line(numbered.records)[9]  # used as [fitnets], defined as [FitNets]
    assert r.title == "Fitnets: Hints for Thin Deep Nets"
    assert [link.url for link in r.links] == ["https://arxiv.org/abs/1412.6550"]
    assert [link.label for link in r.links] == ["[pdf]"]


@pytest.mark.parametrize(("line", "name"), [
    (11, "Junho Yim"),  # et. al.
    (14, "Jangho Kim"),  # et al (no period)
    (16, "Xiao Jin"),  # et.al.
    (26, "Defang Chen"),  # Et Al.
    (36, "Tommaso Furlanello"),  # and others
])
def test_numbered_et_al_spellings(numbered: ReadResult, line: int, name: str) -> None:
    r = by_line(numbered.records)[line]
    assert names_of(r) == [name]
    assert r.venue is not None and r.venue.series is not None and r.venue.year is not None
    assert r.notes == ()


def test_numbered_entries_without_links(numbered: ReadResult) -> None:
    records = by_line(numbered.records)
    gift = records[11]
    assert gift.title == ("A Gift from Knowledge Distillation: Fast Optimization, Network Minimization and "
                          "Transfer Learning")
    assert venue_of(gift) == ("CVPR", 2017, "conference", False)
    assert gift.links == ()
    assert [d.code for d in diagnostics_at(numbered.diagnostics, 11)] == ["no-links"]
    pkt = records[13]
    assert names_of(pkt) == ["Nikolaos Passalis", "Anastasios Tefas"]
    assert venue_of(pkt) == ("ECCV", 2018, "conference", False)
    mc = records[51]
    assert (mc.title, names_of(mc), venue_of(mc)) == ("Model Compression", ["Cristian Bucilua"],
                                                        ("KDD", 2006, "conference", False))


def test_numbered_inverted_initials(numbered: ReadResult) -> None:
    r = by_line(numbered.records)[15]
    assert r.title == "Relational Knowledge Distillation"
    assert names_of(r) == ["W. Park", "D. Kim", "Y. Lu", "M. Cho"]
    assert venue_of(r) == ("CVPR", 2019, "conference", False)
    assert links_of(r) == [("paper", None), ("code", None)]
    assert r.links[1].url == "https://github.com/lenscloth/RKD"


def test_numbering_restarts_per_section(numbered: ReadResult) -> None:
    lines = (CONVENTIONS / "numbered.md").read_text(encoding="utf-8").splitlines()
    assert [lines[n - 1].split(".")[0] for n in (19, 23, 32, 40, 49)] == ["13", "1", "1", "1", "1"]
    records = by_line(numbered.records)
    assert records[23].title == "Deep Mutual Learning"
    assert records[23].section == (TOP_NUMBERED, "Online Distillation")
    assert records[23].position == records[19].position + 1
    assert records[49].section == (TOP_NUMBERED, "Surveys")
    assert venue_of(records[49]) == ("IJCV", 2021, "journal", False)
    assert venue_of(records[50]) == ("TPAMI", 2021, "journal", False)
    assert names_of(records[50]) == ["Lin Wang", "Kuk-Jin Yoon"]


def test_duplicate_reference_label(numbered: ReadResult) -> None:
    (dup,) = [d for d in numbered.diagnostics if d.code == "duplicate-reference"]
    assert (dup.line, dup.severity, dup.entry) == (78, "warning", False)
    assert "reference [crd]" in dup.message and "line 64" in dup.message
    assert "https://arxiv.org/abs/1910.10699" in dup.message
    crd = by_line(numbered.records)[19]  # Markdown keeps the first definition
    assert crd.links[0].url == "https://openreview.net/forum?id=SkgpBJrtvS"
    assert ids_of(crd) == [("OpenReview", "SkgpBJrtvS")]


def test_reference_definitions_in_code_blocks_are_not_definitions() -> None:
    text = ("1. A Title Here. Doe, Jane et al. ICLR 2020 [[pdf]][a]\n\n"
            "```\n[a]: https://example.org/in-a-code-block\n```\n\n"
            "[a]: https://example.org/first\n"
            "[A]: https://example.org/second\n")
    result = read_markdown(text, source="s", file="f.md")
    assert [(d.line, d.code) for d in result.diagnostics] == [(8, "duplicate-reference")]
    assert result.records[0].links[0].url == "https://example.org/first"


# -------------------------------------------------------------------------------------- 3. tables


@pytest.fixture(scope="module")
def tables(results: dict[str, ReadResult]) -> ReadResult:
    return results["tables.md"]


def test_table_row_with_code_and_data(tables: ReadResult) -> None:
    records = by_line(tables.records)
    diffkd = records[13]
    assert diffkd.title == "Knowledge Diffusion for Distillation"
    assert diffkd.title_raw == "Knowledge Diffusion for Distillation"
    assert venue_of(diffkd) == ("NeurIPS", 2023, "conference", False)
    assert links_of(diffkd) == [("paper", None), ("code", None)]  # "-" in the Data column
    assert ids_of(diffkd) == [("arXiv", "2305.15712")]
    assert diffkd.section == (TOP_TABLES, "2023")
    ctkd = records[15]  # the venue's year, not the date of the preprint
    assert venue_of(ctkd) == ("AAAI", 2023, "conference", False)
    assert links_of(ctkd) == [("paper", None), ("code", None), ("other", None)]
    assert ctkd.links[2].url == "https://image-net.org/"
    assert ids_of(records[14]) == [("CVF", "Jin_Multi-Level_Logit_Distillation_CVPR_2023")]


def test_table_cells_with_line_breaks(tables: ReadResult) -> None:
    records = by_line(tables.records)
    auto = records[17]
    assert auto.title == "Automated Knowledge Distillation via Monte Carlo Tree Search"
    assert names_of(auto) == ["Lujun Li", "Peijie Dong", "Zimian Wei", "Ya Yang"]
    assert links_of(auto) == [("paper", None), ("code", None), ("project", None)]
    assert venue_of(auto) == ("ICCV", 2023, "conference", False)
    fgd = records[28]  # "CVPR<br>2022"
    assert venue_of(fgd) == ("CVPR", 2022, "conference", False)
    assert fgd.title == "Focal and Global Knowledge Distillation for Detectors"


def test_table_missing_venue_and_dates(tables: ReadResult) -> None:
    records = by_line(tables.records)
    dist = records[26]  # "-" for the venue: the date gives the year
    assert venue_of(dist) == (None, 2022, "unknown", False)
    assert dist.venue is not None and dist.venue.text == "2022-05"
    norm = records[19]  # neither venue nor date: the year of the section
    assert venue_of(norm) == (None, 2023, "unknown", False)
    plain = records[18]  # a title without a link
    assert plain.title.startswith("From Knowledge Distillation to Self-Knowledge Distillation")
    assert links_of(plain) == [("code", None)]
    assert venue_of(plain) == ("ICCV", 2023, "conference", False)


def test_table_rows_of_three_cells(tables: ReadResult) -> None:
    records = by_line(tables.records)
    mgd = records[30]
    assert mgd.title == "Masked Generative Distillation"
    assert venue_of(mgd) == ("ECCV", 2022, "conference", False)
    kcd = records[31]
    assert (kcd.title, kcd.links) == ("Knowledge Condensation Distillation", ())
    assert [d.code for d in diagnostics_at(tables.diagnostics, 31)] == ["no-links"]
    dropout = records[32]  # an arXiv identifier as the venue
    assert venue_of(dropout) == ("arXiv", 2022, "preprint", False)
    assert ids_of(dropout) == [("arXiv", "2208.05642")]


def test_table_titles_as_written(tables: ReadResult) -> None:
    records = by_line(tables.records)
    assert records[41].title == ("Rethinking Soft Labels for Knowledge Distillation: A Bias-Variance "
                                 "Tradeoff Perspective")
    assert ids_of(records[41]) == [("OpenReview", "gIHd-5X324")]
    assert records[46].title == ("Show, Attend and Distill: Knowledge Distillation via Attention-based "
                                 "Feature Matching")
    assert venue_of(records[46]) == ("AAAI", 2021, "conference", False)
    assert venue_of(records[29]) == ("CVPR", 2021, "conference", False)  # its own venue, not the section's


def test_table_without_header_names(tables: ReadResult) -> None:
    records = by_line(tables.records)
    assert [r.line for r in tables.records if r.section[-1] == "Before 2021"] == list(range(52, 59))
    meets = records[52]
    assert meets.title == "Knowledge Distillation Meets Self-Supervision"
    assert venue_of(meets) == ("ECCV", 2020, "conference", False)
    assert links_of(meets) == [("paper", None)]
    assert venue_of(records[54]) == ("AAAI", 2020, "conference", False)  # not the preprint's 2019
    assert venue_of(records[58]) == ("CVPR", 2020, "conference", False)  # "-" for the date


def test_table_row_without_title(tables: ReadResult) -> None:
    (diag,) = diagnostics_at(tables.diagnostics, 44)
    assert (diag.code, diag.severity, diag.entry) == ("untitled-entry", "error", True)
    assert [(link.kind, link.url) for link in diag.links] == [("code", "https://github.com/example/untitled-kd")]


def test_tables_that_are_not_paper_lists(tables: ReadResult) -> None:
    skipped = [(d.line, d.code, d.severity, d.entry) for d in tables.diagnostics
               if "table at lines" in d.message]
    assert skipped == [(62, "not-an-entry", "info", False), (71, "not-an-entry", "info", False)]
    (results_table,) = diagnostics_at(tables.diagnostics, 62)
    assert "results table" in results_table.message and "4 rows" in results_table.message
    (deadlines,) = diagnostics_at(tables.diagnostics, 71)
    assert "no column of paper titles" in deadlines.message
    assert not [r for r in tables.records if r.line < 11 or r.line >= 62]
    assert not [d for d in tables.diagnostics if d.line < 11]  # the table of contents is navigation


def test_bundled_table_of_contents_stays_silent(mwan: ReadResult) -> None:
    assert not [r for r in mwan.records if 15 <= r.line <= 26]
    assert not [d for d in mwan.diagnostics if 15 <= d.line <= 26]


# ---------------------------------------------------------------------------- 4. years and to-dos


@pytest.fixture(scope="module")
def years(results: dict[str, ReadResult]) -> ReadResult:
    return results["years-and-todos.md"]


def test_task_items_are_papers_without_links(years: ReadResult) -> None:
    records = by_line(years.records)
    dkd = records[7]
    assert (dkd.title, dkd.kind, dkd.links) == ("Decoupled Knowledge Distillation", "paper", ())
    assert venue_of(dkd) == (None, 2022, "unknown", False)
    assert marks_of(dkd) == (None, False)
    assert dkd.section == (TOP_YEARS, "2022")
    assert [d.code for d in diagnostics_at(years.diagnostics, 7)] == ["no-links"]
    mgd = records[9]  # bold
    assert (mgd.title, marks_of(mgd)) == ("Masked Generative Distillation", (None, False))
    assert marks_of(records[10]) == (None, True)  # [X]


def test_ticked_task_with_link_and_byline(years: ReadResult) -> None:
    r = by_line(years.records)[8]
    assert r.title == "Knowledge Distillation from A Stronger Teacher"
    assert marks_of(r) == (None, True)
    assert names_of(r) == ["Tao Huang", "Shan You", "Fei Wang", "Chen Qian", "Chang Xu"]
    assert venue_of(r) == ("NeurIPS", 2022, "conference", False)
    assert ids_of(r) == [("arXiv", "2205.10536")]


def test_year_section_completes_a_venue(years: ReadResult) -> None:
    records = by_line(years.records)
    tat = records[11]  # ", CVPR" without a year, under "## 2022"
    assert tat.title == "Knowledge Distillation via the Target-aware Transformer"
    assert venue_of(tat) == ("CVPR", 2022, "conference", False)
    assert len(tat.authors) == 7 and names_of(tat)[-1] == "Gang Wang"
    irg = records[55]  # a linked title, then ", CVPR", under "## 2019"
    assert venue_of(irg) == ("CVPR", 2019, "conference", False)
    assert ids_of(irg) == [("CVF", "Liu_Knowledge_Distillation_via_Instance_Relationship_Graph_CVPR_2019")]


def test_an_entry_year_wins_over_the_section(years: ReadResult) -> None:
    r = by_line(years.records)[19]
    assert r.title == "Revisiting Knowledge Distillation: An Inheritance and Exploration Framework"
    assert venue_of(r) == (None, 2020, "unknown", False)
    assert r.section[-1] == "2021"
    assert names_of(r)[-1] == "Xian-Sheng Hua"


def test_plain_bullets_and_subsections_take_the_year(years: ReadResult) -> None:
    records = by_line(years.records)
    plain = records[12]  # not a task
    assert marks_of(plain) == (None, False)
    assert venue_of(plain) == (None, 2022, "unknown", False)
    assert links_of(plain) == [("paper", None)]
    gid = records[28]
    assert gid.section == (TOP_YEARS, "2021", "Detection")
    assert venue_of(gid) == (None, 2021, "unknown", False)
    assert marks_of(records[30]) == (None, True)
    undistillable = records[20]
    assert (venue_of(undistillable), ids_of(undistillable)) == ((None, 2021, "unknown", False),
                                                                [("OpenReview", "0zvfm-nZqQs")])


def test_numbered_task_items(years: ReadResult) -> None:
    records = by_line(years.records)
    assert records[48].title == "Self-Distillation as Instance-Specific Label Smoothing"
    assert (marks_of(records[48]), marks_of(records[49])) == ((None, False), (None, True))
    assert records[49].section == (TOP_YEARS, "2020", "Theory")
    assert venue_of(records[49]) == (None, 2020, "unknown", False)


def test_empty_and_non_entry_tasks(years: ReadResult) -> None:
    assert sorted((d.line, d.code, d.entry) for d in years.skipped) == [
        (56, "empty-item", True), (60, "not-an-entry", True)]
    assert by_line(years.records)[34].title == "Data-free knowledge amalgamation via group-stack dual GAN"


# ------------------------------------------------------------------------------- syntax soup


FRAGMENTS = (
    "| Title | Venue | Date |\n", "|---|---|---|\n", "| --- |", "|", " | ", "<br>", "-", "2023-11",
    "CVPR 2022",
    "[**A Linked Title Here**](https://arxiv.org/abs/2301.00001)", "[Github](https://github.com/a/b)",
    "[x](#a)", "- [ ] ", "- [x] ", "[ ]", "1. ", "12. ", "\n", "\n\n", "## 2021\n", "## PyTorch\n",
    "### TensorFlow code\n", "[[code]][ref]", "[ref]: https://example.org/a\n", "[REF]: https://b.org\n",
    "```\n", "Title. Surname, First et al. ICLR 2020", ", Author One, Author Two, 2019", "et. al.",
    "arXiv:2104.00001", "Hinton, Geoffrey, and Jeff Dean.", "70.12", "| KD | 70.66 | 71.2 |\n",
    "[Some Paper Title](https://github.com/x/y)\n", ":star:", "**", "<li>",
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=4)), max_size=30).map("".join))
def test_new_shapes_in_syntax_soup_read_cleanly(text: str) -> None:
    result = read_markdown(text, source="s", file="f.md")
    lines = len(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    assert result.unaccounted() == 0
    assert [r.position for r in result.records] == list(range(1, len(result.records) + 1))
    for record in result.records:
        assert record.title.strip() and 1 <= record.line <= lines
    for diag in result.diagnostics:
        assert 1 <= diag.line <= lines and "\n" not in diag.message


# --------------------------------------------------------------------------------- kdgraph extract


def _runner() -> CliRunner:
    if "mix_stderr" in inspect.signature(CliRunner.__init__).parameters:
        return CliRunner(mix_stderr=False)  # type: ignore[call-arg]
    return CliRunner()


def test_extract_accounts_for_every_item() -> None:
    registry = CONVENTIONS / "sources.toml"
    result = _runner().invoke(main, ["extract", "--registry", str(registry), "--format", "json"],
                              prog_name="kdgraph")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    summary = re.compile(r"^(?P<source>[a-z0-9-]+): (?P<records>\d+) records, (?P<skipped>\d+) items not "
                         r"recorded, .*\((?P<items>\d+) list items in ")
    found = {m["source"]: m for line in result.stderr.splitlines() if (m := summary.match(line))}
    for name in LISTS:
        source = name.removesuffix(".md")
        items, records, skipped = EXPECTED_COUNTS[name]
        assert sum(1 for row in rows if row["source"] == source) == records
        m = found[source]
        assert (int(m["records"]), int(m["skipped"]), int(m["items"])) == (records, skipped, items)
        assert int(m["records"]) + int(m["skipped"]) == int(m["items"]) == independent_count(name)


# ------------------------------------------------------------------------------------------- merge

DISTINCT_PAPERS = 262  # 228 of the bundled lists + 34 titles no bundled list has (see the docstring)

# Papers in several lists, written with other case and punctuation: the lists that hold each.
SHARED = {
    "online knowledge distillation via collaborative learning":
        {"zju-kd-papers", "mwan-reading-list", "linked-titles", "tables"},
    "contrastive representation distillation":
        {"mwan-reading-list", "linked-titles", "numbered", "tables"},
    "general instance distillation for object detection":
        {"mwan-reading-list", "linked-titles", "tables", "years-and-todos"},
    "fitnets hints for thin deep nets": {"zju-kd-papers", "linked-titles", "numbered"},
    "distilling the knowledge in a neural network": {"mwan-reading-list", "linked-titles", "numbered"},
    "dreaming to distill data free knowledge transfer via deepinversion":
        {"zju-kd-papers", "mwan-reading-list", "linked-titles"},
    "data free knowledge amalgamation via group stack dual gan":
        {"zju-kd-papers", "mwan-reading-list", "years-and-todos"},
    "knowledge distillation meets self supervision": {"mwan-reading-list", "tables", "years-and-todos"},
    "undistillable making a nasty teacher that cannot teach students":
        {"mwan-reading-list", "tables", "years-and-todos"},
    "show attend and distill knowledge distillation via attention based feature matching":
        {"mwan-reading-list", "tables", "years-and-todos"},
    "self distillation amplifies regularization in hilbert space":
        {"mwan-reading-list", "numbered", "years-and-todos"},
    "rethinking soft labels for knowledge distillation a bias variance tradeoff perspective":
        {"mwan-reading-list", "tables"},
    "data free knowledge distillation for deep neural networks": {"zju-kd-papers", "numbered"},
}


@pytest.fixture(scope="module")
def merged(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    out = tmp_path_factory.mktemp("conventions") / "out"
    return build(load_registry(CONVENTIONS / "sources.toml"), out)


@pytest.fixture(scope="module")
def merged_graph(merged: BuildResult) -> Graph:
    return Graph().parse(merged.out / "kdgraph.ttl", format="turtle")


def test_merge_distinct_papers(merged: BuildResult, merged_graph: Graph) -> None:
    """228 papers of the bundled lists, plus the titles of the four lists that neither bundled list has
    (12 of linked-titles, 2 more of numbered, 15 more of tables, 5 more of years-and-todos)."""
    assert len(merged.reconciled.papers) == DISTINCT_PAPERS
    assert len(set(merged_graph.subjects(RDF.type, SDO.ScholarlyArticle))) == DISTINCT_PAPERS
    bundled = build_keys(merged, {"zju-kd-papers", "mwan-reading-list"})
    assert len(bundled) == 228
    ours = build_keys(merged, {"linked-titles", "numbered", "tables", "years-and-todos"})
    assert len(ours - bundled) == DISTINCT_PAPERS - 228 == 34
    assert merged.report.conforms


def build_keys(merged: BuildResult, sources: set[str]) -> set[str]:
    return {r.title_key for e in merged.extractions if e.source.id in sources for r in e.records
            if r.kind == "paper"}


ITEMS_OF = """
PREFIX schema: <https://schema.org/>
SELECT ?list (COUNT(?item) AS ?items) WHERE {
  ?list schema:itemListElement ?item .
  ?item schema:item ?paper .
} GROUP BY ?list
"""


@pytest.mark.parametrize("key", sorted(SHARED))
def test_shared_paper_is_one_node_with_an_item_per_list(key: str, merged: BuildResult,
                                                        merged_graph: Graph) -> None:
    minter = Minter()
    paper = URIRef(minter.paper(key))
    assert (paper, RDF.type, SDO.ScholarlyArticle) in merged_graph
    assert len(list(merged_graph.objects(paper, SDO.name))) == 1
    assert [k for k in merged.reconciled.papers if k == key] == [key]
    rows = merged_graph.query(ITEMS_OF, initBindings={"paper": paper})
    per_list = {str(row[0]).rsplit("/", 1)[-1]: int(row[1]) for row in rows}  # type: ignore[index]
    assert per_list == {source: 1 for source in SHARED[key]}
    listed = {r.source for r in merged.reconciled.papers[key].records}
    assert listed == SHARED[key]


def test_merge_keeps_every_list_item(merged: BuildResult) -> None:
    """One list item per record; mwan's untitled item at line 182 is attached to the one paper with its
    link, so mwan has 207 items for 206 records."""
    items = {source: len(nodes) for source, nodes in merged.reconciled.items.items()}
    assert items == {"zju-kd-papers": 46, "mwan-reading-list": 207, "linked-titles": 35, "numbered": 33,
                     "tables": 30, "years-and-todos": 34}
