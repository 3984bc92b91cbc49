"""The Markdown/HTML reader on the two bundled lists: counts, accounting, and entries field by field.

Every expected value below was read off the list text (data/*.md, line numbers as in the files), not
copied from the reader's output.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it.common.normalize_url import normalizeLink

from conftest import (
    MWAN_FILE,
    ZJU_FILE,
    by_line,
    count_html_items,
    count_markdown_items,
    diagnostics_at,
    ids_of,
    links_of,
    marks_of,
    names_of,
    venue_of,
)
from kdgraph.readers import READERS, read_markdown
from kdgraph.readers.items import segments_of
from kdgraph.readers.markdown import _MD, _plain_tree, _rendered_segments
from kdgraph.records import ReadResult

ZJU_TOP = "Knowledge-Distillation-Paper"
MWAN_KD = ("Full Paper List", "Knowledge Distillation")
MWAN_FL = ("Full Paper List", "Federated Learning")
MWAN_TODO = ("To-Do: Knowledge Distillation Survey Paper List", "Different form of Knowledge")


def test_markdown_reader_is_registered() -> None:
    assert READERS["markdown"] is read_markdown


# ------------------------------------------------------------------------------ counts and accounting


def test_zju_counts(zju: ReadResult) -> None:
    assert (zju.items, len(zju.records), len(zju.skipped)) == (46, 46, 0)


def test_mwan_counts(mwan: ReadResult) -> None:
    assert (mwan.items, len(mwan.records), len(mwan.skipped)) == (212, 206, 6)
    assert sorted((d.line, d.code) for d in mwan.skipped) == [
        (30, "not-an-entry"), (33, "not-an-entry"), (36, "not-an-entry"), (39, "not-an-entry"),
        (182, "untitled-entry"), (454, "untitled-entry"),
    ]


def test_zju_every_item_accounted(data_dir: Path, zju: ReadResult) -> None:
    text = (data_dir / ZJU_FILE).read_text(encoding="utf-8")
    independent = sum(1 for line in text.splitlines() if line.startswith("- "))
    assert independent == count_markdown_items(text) == 46
    assert zju.items == independent
    assert zju.unaccounted() == 0
    assert len(zju.records) + len(zju.skipped) == independent


def test_mwan_every_item_accounted(data_dir: Path, mwan: ReadResult) -> None:
    text = (data_dir / MWAN_FILE).read_text(encoding="utf-8")
    independent = sum(line.count("<li") for line in text.splitlines())
    assert independent == count_html_items(text) == 212
    assert mwan.items == independent
    assert mwan.unaccounted() == 0
    assert len(mwan.records) + len(mwan.skipped) == independent
    assert all(d.entry for d in mwan.skipped)


@pytest.mark.parametrize("name", ["zju", "mwan"])
def test_records_are_well_formed(name: str, request: pytest.FixtureRequest, data_dir: Path) -> None:
    result: ReadResult = request.getfixturevalue(name)
    lines = (data_dir / (ZJU_FILE if name == "zju" else MWAN_FILE)).read_text(encoding="utf-8")
    n_lines = len(lines.splitlines())
    assert [r.position for r in result.records] == list(range(1, len(result.records) + 1))
    assert [r.line for r in result.records] == sorted(r.line for r in result.records)
    for record in result.records:
        assert record.title.strip() and record.title == record.title.strip()
        assert record.title_key and record.title_key == record.title_key.lower()
        assert 1 <= record.line <= n_lines
        assert record.kind in ("paper", "resource")
        for link in record.links:
            assert link.url and link.url_original
            assert link.url.startswith(("http://", "https://"))
    for diag in result.diagnostics:
        assert 1 <= diag.line <= n_lines
        assert diag.message and "\n" not in diag.message


def test_record_line_points_at_its_item(data_dir: Path, zju: ReadResult, mwan: ReadResult) -> None:
    zju_lines = (data_dir / ZJU_FILE).read_text(encoding="utf-8").splitlines()
    for record in zju.records:
        assert zju_lines[record.line - 1].startswith("- ")
    mwan_lines = (data_dir / MWAN_FILE).read_text(encoding="utf-8").splitlines()
    for record in mwan.records:
        assert "<li" in mwan_lines[record.line - 1]


# ----------------------------------------------------------------------------- zju: Markdown entries


def test_zju_bold_title_italic_authors(zju: ReadResult) -> None:
    r = by_line(zju.records)[6]
    assert r.title == "FitNets: Hints for Thin Deep Nets"
    assert r.title_raw == "FitNets: Hints for Thin Deep Nets, ICLR 2015"
    assert names_of(r) == ["Adriana Romero", "Nicolas Ballas", "Samira Ebrahimi Kahou", "Antoine Chassang",
                           "Carlo Gatta", "Yoshua Bengio"]
    assert venue_of(r) == ("ICLR", 2015, "conference", False)
    assert r.venue is not None and r.venue.text == "ICLR 2015"
    assert links_of(r) == [("paper", None), ("code", "Theano")]
    assert [link.url for link in r.links] == ["https://arxiv.org/abs/1412.6550",
                                              "https://github.com/adri-romsor/FitNets"]
    assert ids_of(r) == [("arXiv", "1412.6550")]
    assert r.section == (ZJU_TOP, "Feature Maps Distillation")
    assert (r.kind, marks_of(r), r.notes) == ("paper", (None, False), ())


def test_zju_and_in_author_list(zju: ReadResult) -> None:
    r = by_line(zju.records)[27]
    assert r.title == "Large scale distributed neural network training through online distillation"
    assert names_of(r) == ["Rohan Anil", "Gabriel Pereyra", "Alexandre Passos", "Robert Ormandi",
                           "George E. Dahl", "Geoffrey E. Hinton"]
    assert venue_of(r) == ("ICLR", 2018, "conference", False)
    assert r.section == (ZJU_TOP, "Online Knowledge Distillation")


def test_zju_nips_is_neurips(zju: ReadResult) -> None:
    r = by_line(zju.records)[60]
    assert r.title == "Knowledge Extraction with No Observable Data"
    assert venue_of(r) == ("NeurIPS", 2019, "conference", False)
    assert r.venue is not None and r.venue.text == "NIPS 2019"
    assert links_of(r) == [("paper", None), ("code", "PyTorch")]
    assert ids_of(r) == [("NeurIPS", "8538")]
    assert names_of(r) == ["Jaemin Yoo", "Minyong Cho", "Taebum Kim", "U Kang"]


def test_zju_nips_workshop(zju: ReadResult) -> None:
    r = by_line(zju.records)[54]
    assert r.title == "Data-Free Knowledge Distillation for Deep Neural Networks"
    assert venue_of(r) == ("NeurIPS", 2017, "workshop", True)
    assert links_of(r) == [("paper", None), ("code", "TensorFlow")]
    assert r.links[1].label == "[Tensorflow]"
    assert ids_of(r) == [("arXiv", "1710.07535")]  # the version suffix v2 is not part of the id
    assert r.links[0].url == "https://arxiv.org/abs/1710.07535v2"
    assert names_of(r) == ["Raphael Gontijo Lopes", "Stefano Fenu", "Thad Starner"]
    assert r.section == (ZJU_TOP, "Data-Free Knowledge Distillation")


def test_zju_icml_workshop_capitalised(zju: ReadResult) -> None:
    r = by_line(zju.records)[66]
    assert r.title == "Dream Distillation: A Data-Independent Model Compression Framework"
    assert venue_of(r) == ("ICML", 2019, "workshop", True)
    assert links_of(r) == [("paper", None)]


def test_zju_arxiv_preprint_with_month(zju: ReadResult) -> None:
    r = by_line(zju.records)[93]
    assert r.title == "Data-Free Adversarial Distillation"
    assert venue_of(r) == ("arXiv", 2019, "preprint", False)
    assert r.venue is not None and r.venue.text == "ArXiv 2019.12"
    assert names_of(r)[0] == "Gongfan Fang" and len(r.authors) == 6
    # the second nested line is a remark, kept as a note (inline code reads as its text)
    assert r.notes == ("Similar to Zero-shot Knowledge Transfer via Adversarial Belief Matching",)


def test_zju_pytorch1_pytorch2(zju: ReadResult) -> None:
    r = by_line(zju.records)[108]
    assert r.title == "Data-Free Quantization Through Weight Equalization and Bias Correction"
    assert links_of(r) == [("paper", None), ("code", "PyTorch"), ("code", "PyTorch")]
    assert [link.label for link in r.links] == ["[Paper]", "[Pytorch1]", "[Pytorch2]"]
    assert r.links[2].url == "https://github.com/ANSHUMAN87/Bias-Correction"
    assert names_of(r) == ["Markus Nagel", "Mart van Baalen", "Tijmen Blankevoort", "Max Welling"]
    assert r.section == (ZJU_TOP, "Data-Free Knowledge Distillation", "Other Data-free Model Compression")
    assert venue_of(r) == ("ICCV", 2019, "conference", False)


def test_zju_code_without_framework(zju: ReadResult) -> None:
    r = by_line(zju.records)[121]
    assert links_of(r) == [("paper", None), ("code", None)]
    assert r.links[1].url == "https://github.com/cetmann/robustness-interpretability"
    assert r.section == (ZJU_TOP, "Adversarial & Robust Distillation")  # "\&" unescaped


def test_zju_supplement_and_cvf(zju: ReadResult) -> None:
    r = by_line(zju.records)[78]
    assert links_of(r) == [("paper", None), ("supplement", None)]
    assert ids_of(r) == [("CVF", "Ye_Data-Free_Knowledge_Amalgamation_via_Group-Stack_Dual-GAN_CVPR_2020")]


def test_zju_arxiv_urls_normalized(zju: ReadResult) -> None:
    records = by_line(zju.records)
    pdf = records[130].links[0]
    assert (pdf.url, pdf.url_original) == ("https://arxiv.org/abs/1912.05699",
                                           "https://arxiv.org/pdf/1912.05699.pdf")
    ctx = records[84].links[0]
    assert (ctx.url, ctx.url_original) == ("https://arxiv.org/abs/2003.03603",
                                           "https://arxiv.org/abs/2003.03603?context=cs")
    assert ids_of(records[84]) == [("arXiv", "2003.03603")]


def test_zju_glued_author_names(zju: ReadResult) -> None:
    r = by_line(zju.records)[48]
    assert names_of(r) == ["Xiaobing Zhang", "Shijian Lu", "Haigang Gong", "Zhipeng Luo", "Ming Liu"]
    assert r.authors[4].as_written == "MingLiu1"
    codes = [d.code for d in diagnostics_at(zju.diagnostics, 49)]
    assert codes == ["author-name"] * 3
    assert ids_of(r) == []  # an ecva.net PDF carries no identifier


def test_zju_resources(zju: ReadResult) -> None:
    records = by_line(zju.records)
    stats = records[136]
    assert stats.kind == "resource"
    assert stats.title == "Statistics of acceptance rate for the main AI conferences"
    assert stats.section == (ZJU_TOP, "Useful Resources")
    assert [link.url for link in stats.links] == ["https://github.com/lixin4ever/Conference-Acceptance-Rate"]
    assert records[137].kind == "resource" and records[137].title == "AI conference deadlines"
    nips = records[140]
    assert (nips.kind, nips.title) == ("resource", "NIPS 2019")
    assert nips.section == (ZJU_TOP, "Useful Resources", "Accepted paper list")
    assert [link.url for link in nips.links] == ["https://neurips.cc/Conferences/2019/Schedule?type=Poster"]
    assert [r.kind for r in zju.records].count("resource") == 7
    # resources carry no "no-links" notes and no authors
    assert all(r.authors == () for r in zju.records if r.kind == "resource")


def test_zju_same_arxiv_id_for_two_papers(zju: ReadResult) -> None:
    records = by_line(zju.records)
    assert records[24].title == "Deep Mutual Learning"
    assert records[27].title.startswith("Large scale distributed")
    assert ids_of(records[24]) == ids_of(records[27]) == [("arXiv", "1804.03235")]


# ------------------------------------------------------------------------------ mwan: HTML entries


def test_mwan_nothing_before_the_paper_list(mwan: ReadResult) -> None:
    # the table of anchors and the "Inpage Elevater" label are not entries; "How to Run" items are
    assert min(r.line for r in mwan.records) == 51
    how_to = [d for d in mwan.diagnostics if d.line < 51]
    assert [(d.line, d.code, d.severity, d.entry) for d in how_to] == [
        (line, "not-an-entry", "info", True) for line in (30, 33, 36, 39)]


def test_mwan_empty_link_keeps_record(mwan: ReadResult) -> None:
    r = by_line(mwan.records)[51]
    assert r.title == "Data-Free Knowledge Distillation For Image Super-Resolution"
    assert r.links == ()
    assert venue_of(r) == ("CVPR", 2021, "conference", False)
    assert r.section == (*MWAN_KD, "CVPR 2021")
    assert [d.code for d in diagnostics_at(mwan.diagnostics, 51)] == ["empty-link", "no-links"]


def test_mwan_paper_and_project(mwan: ReadResult) -> None:
    r = by_line(mwan.records)[52]
    assert r.title.startswith("There is More than Meets the Eye") and r.title.endswith("Multimodal Knowledge")
    assert links_of(r) == [("paper", None), ("project", None)]
    assert r.links[0].url == "https://arxiv.org/abs/2103.01353"
    assert r.links[0].url_original == "https://arxiv.org/pdf/2103.01353"
    assert ids_of(r) == [("arXiv", "2103.01353")]
    assert r.authors == ()


def test_mwan_leading_venue_overrides_section(mwan: ReadResult) -> None:
    r = by_line(mwan.records)[56]
    assert r.title == "Data-free Knowledge Distillation for Object Detection"
    assert venue_of(r) == ("WACV", 2021, "conference", False)
    assert r.section == (*MWAN_KD, "CVPR 2021")
    assert ids_of(r) == [("CVF", "Chawla_Data-Free_Knowledge_Distillation_for_Object_Detection_WACV_2021")]


def test_mwan_read_mark_after_link(mwan: ReadResult) -> None:
    records = by_line(mwan.records)
    r = records[64]
    assert r.title == "Undistillable: Making A Nasty Teacher That CANNOT teach students"
    assert marks_of(r) == (None, True)
    assert ids_of(r) == [("OpenReview", "0zvfm-nZqQs")]
    assert venue_of(r) == ("ICLR", 2021, "conference", False)
    assert marks_of(records[65]) == (None, False)
    poster = records[111]
    assert links_of(poster) == [("paper", None), ("poster", None)]
    assert marks_of(poster) == (None, True)


def test_mwan_annotations_become_notes(mwan: ReadResult) -> None:
    records = by_line(mwan.records)
    assert (records[117].title, records[117].notes) == ("Multi-source Distilling Domain Adaptation", ("TBD",))
    short = records[165]
    assert short.title == "Differentially Private Knowledge Distillation for Mobile Analytics"
    assert short.notes == ("short paper",)
    assert links_of(short) == [("paper", None)] and short.links[0].label == "[page]"
    assert ids_of(short) == [("DOI", "10.1145/3397271.3401259")]
    assert venue_of(short) == ("SIGIR", 2020, "conference", False)
    assert records[222].notes == ("short paper",)
    assert records[327].title == "Federated Knowledge Distillation"
    assert records[327].notes == ("Not published yet",)
    assert marks_of(records[327]) == ("top", False)


def test_mwan_title_across_lines(mwan: ReadResult) -> None:
    records = by_line(mwan.records)
    assert records[133].title == "Structure-Level Knowledge Distillation For Multilingual Sequence Labeling"
    assert records[137].title == ("TextBrewer: An Open-Source Knowledge Distillation Toolkit for Natural "
                                  "Language Processing")
    assert ids_of(records[137]) == [("ACL Anthology", "2020.acl-demos.2")]
    assert links_of(records[137]) == [("paper", None), ("code", None)]


def test_mwan_github_url_with_trailing_period(mwan: ReadResult) -> None:
    r = by_line(mwan.records)[167]
    assert links_of(r) == [("paper", None), ("code", None)]
    code = r.links[1]
    assert code.url == "https://github.com/dgliu/SIGIR20_KDCRec"
    assert code.url_original == "https://github.com/dgliu/SIGIR20_KDCRec."
    fixed = diagnostics_at(mwan.diagnostics, 167, "url-fixed")
    assert len(fixed) == 1 and "trailing period" in fixed[0].message


def test_mwan_untitled_item_keeps_its_link(mwan: ReadResult) -> None:
    assert 182 not in by_line(mwan.records)
    (diag,) = diagnostics_at(mwan.diagnostics, 182)
    assert (diag.code, diag.severity, diag.entry) == ("untitled-entry", "error", True)
    assert [(link.kind, link.url) for link in diag.links] == [
        ("paper", "https://www.ecva.net/papers/eccv_2020/papers_ECCV/papers/123480613.pdf")]


def test_mwan_mark_before_item(mwan: ReadResult) -> None:
    records = by_line(mwan.records)
    # ":heavy_check_mark:<li>" at line 189: HTML gives the mark to the item of line 188
    assert marks_of(records[188]) == (None, True)
    assert marks_of(records[189]) == (None, False)
    (diag,) = diagnostics_at(mwan.diagnostics, 189, "mark-before-item")
    assert "line 188" in diag.message and not diag.entry
    (again,) = diagnostics_at(mwan.diagnostics, 325, "mark-before-item")
    assert "line 324" in again.message
    assert marks_of(records[324]) == (None, True)


def test_mwan_doubled_scheme(mwan: ReadResult) -> None:
    r = by_line(mwan.records)[193]
    supp = r.links[1]
    assert supp.kind == "supplement"
    assert supp.url == "https://www.ecva.net/papers/eccv_2020/papers_ECCV/papers/123710647-supp.pdf"
    assert supp.url_original == "hhttps://www.ecva.net/papers/eccv_2020/papers_ECCV/papers/123710647-supp.pdf"
    (diag,) = diagnostics_at(mwan.diagnostics, 193, "url-fixed")
    assert "'hhttps'" in diag.message


def test_mwan_url_with_newline(mwan: ReadResult) -> None:
    r = by_line(mwan.records)[247]
    assert r.title == "AutoGAN-Distiller: Searching to Compress Generative Adversarial Networks"
    code = r.links[1]
    assert (code.kind, code.url) == ("code", "https://github.com/TAMU-VITA/AGD")
    assert code.url_original == "https://\ngithub.com/TAMU-VITA/AGD"
    assert [d.code for d in diagnostics_at(mwan.diagnostics, 247)] == ["url-fixed"]


def test_mwan_priority_marks(mwan: ReadResult) -> None:
    records = by_line(mwan.records)
    top = records[268]
    assert top.title == "Advances and Open Problems in Federated Learning"
    assert marks_of(top) == ("top", False)
    assert top.section == (*MWAN_FL, "FL open question & useful framework")
    assert top.venue is None
    assert marks_of(records[270]) == ("second", False)
    assert marks_of(records[274]) == (None, False)
    both = records[289]
    assert marks_of(both) == ("second", True)
    assert records[284].title == "Improving question answering by commonsense-based pre-training"
    assert sum(1 for r in mwan.records if r.marks.priority == "top") == 2
    assert sum(1 for r in mwan.records if r.marks.priority == "second") == 10


def test_mwan_venue_inside_heading(mwan: ReadResult) -> None:
    r = by_line(mwan.records)[299]
    assert r.section == (*MWAN_FL, "FL on ICLR 2021")
    assert venue_of(r) == ("ICLR", 2021, "conference", False)
    assert ids_of(r) == [("OpenReview", "B7v4QMR6Z9w")]
    pmlr = by_line(mwan.records)[313]
    assert venue_of(pmlr) == ("ICML", 2020, "conference", False)
    assert ids_of(pmlr) == [("PMLR", "v119/yu20f")]


def test_mwan_strong_labels_name_the_next_list_only(mwan: ReadResult) -> None:
    records = by_line(mwan.records)
    ickg = records[337]
    assert ickg.section == (*MWAN_FL, "IEEE", "IEEE ICKG 2020")
    assert venue_of(ickg) == ("ICKG", 2020, "conference", False)
    magazine = records[342]
    assert venue_of(magazine) == ("IEEE Signal Processing Magazine", 2020, "journal", False)
    tist = records[354], records[356]
    assert [venue_of(r) for r in tist] == [("TIST", 2019, "journal", False)] * 2
    assert tist[0].section == (*MWAN_FL, "Surveys", "ACM TIST 2019")
    # the second list under "Surveys" has no label
    assert records[360].section == records[366].section == (*MWAN_FL, "Surveys")
    assert records[366].venue is None


def test_mwan_venue_in_brackets_and_parentheses(mwan: ReadResult) -> None:
    records = by_line(mwan.records)
    csur = records[360]
    assert csur.title == "Generalizing from a few examples: A survey on few-shot learning"
    assert venue_of(csur) == ("CSUR", 2020, "journal", False)
    comst = records[362]
    assert comst.title == "Federated learning in mobile edge networks: A comprehensive survey"
    assert venue_of(comst) == ("IEEE Communications Surveys & Tutorials", 2019, "journal", False)


def test_mwan_survey_style_entries(mwan: ReadResult) -> None:
    records = by_line(mwan.records)
    ba = records[403]
    assert ba.title == "Do deep nets really need to be deep?"
    assert names_of(ba) == ["J. Ba", "R. Caruana"]
    assert [p.as_written for p in ba.authors] == ["Ba, J.", "Caruana, R."]
    assert venue_of(ba) == ("NeurIPS", 2014, "conference", False)
    assert ba.section == (*MWAN_TODO, "Response-Based Knowledge")
    hinton = records[406]
    assert hinton.title == "Distilling the knowledge in a neural network"
    assert names_of(hinton) == ["G. Hinton", "O. Vinyals", "J. Dean"]
    assert venue_of(hinton) == (None, 2015, "unknown", False)
    kim = records[408]
    assert kim.title == "Transferring knowledge to smaller network with class-distance loss"
    assert names_of(kim) == ["S. W. Kim", "H. E. Kim"]
    assert venue_of(kim) == ("ICLR", 2017, "workshop", True)
    assert ids_of(kim) == [("OpenReview", "ByXrfaGFe")]
    mirzadeh = records[412]
    assert venue_of(mirzadeh) == ("AAAI", 2020, "conference", False)
    assert names_of(mirzadeh) == ["S. I. Mirzadeh", "M. Farajtabar", "A. Li", "N. Levine", "A. Matsukawa",
                                  "H. Ghasemzadeh"]
    pr = records[432]
    assert venue_of(pr) == ("Pattern Recognition", 2019, "journal", False)
    assert names_of(records[420]) == ["R. Müller", "S. Kornblith", "G. E. Hinton"]


def test_mwan_li_outside_ul(mwan: ReadResult) -> None:
    records = by_line(mwan.records)
    feature_based = [r for r in mwan.records if r.section == (*MWAN_TODO, "Feature-Based Knowledge")]
    assert [r.line for r in feature_based] == [426, 428, 432, 434, 436, 438, 442, 445, 447, 449]
    assert records[426].title == "WFitnets: Hints for thin deep nets"
    assert venue_of(records[426]) == ("ICLR", 2014, "conference", False)
    assert names_of(records[438])[-1] == "X. Hu" and len(records[438].authors) == 8


def test_mwan_empty_strong_title(mwan: ReadResult) -> None:
    (diag,) = diagnostics_at(mwan.diagnostics, 454)
    assert (diag.code, diag.entry) == ("untitled-entry", True)
    assert "empty title" in diag.message
    assert diag.links == ()  # its only link is href=""


def test_mwan_last_item_without_links(mwan: ReadResult) -> None:
    r = by_line(mwan.records)[467]
    assert r.title == "Data-Free Knowledge Amalgamation via Group-Stack Dual-GAN"
    assert r.section == ("To-Do: Knowledge Distillation Survey Paper List", "KD Applications")
    assert r.links == () and r.venue is None
    assert [d.code for d in diagnostics_at(mwan.diagnostics, 467)] == ["no-links"]


def test_mwan_empty_links_reported(mwan: ReadResult) -> None:
    empty = sorted(d.line for d in mwan.diagnostics if d.code == "empty-link")
    # every <a href=""> of an item that became a record, read off the file
    assert empty == [51, 54, 80, 81, 85, 86, 87, 92, 96, 181]


def test_reading_is_deterministic(data_dir: Path, mwan: ReadResult) -> None:
    again = read_markdown((data_dir / MWAN_FILE).read_text(encoding="utf-8"), source="mwan-reading-list",
                          file=MWAN_FILE)
    assert [r.to_dict() for r in again.records] == [r.to_dict() for r in mwan.records]
    assert again.diagnostics == mwan.diagnostics


# ------------------------------------------------------------------- shortcuts give what the long way gives

INLINE_PIECES = [
    "a", "b", " ", "  ", "\t", "\n", "*", "**", "_", "__", "[", "]", "(", ")", "`", "``", "\\", "<", ">", "&",
    '"', "'", ":", "/", ".", "!", "#", "&amp;", "&nbsp;", "&#0;", "&#x1F31F;", "&lt;b&gt;", "\u00a0", "é",
    "🌟",
    "[x](http://a.b/c)", "[[Paper]](https://arxiv.org/abs/1234.5678)", "<http://x.y>", "<b>", "</b>",
    "![i](x.png)", "  \n", "\\\n", '[t](<a b> "ti")', "**[x](y)**", "*[x](y)*", "[**x** y](z)", "`a`",
    "\x0c", "\x01", "\ufeff", "[a [b](c)](d)", "[a](b)[c](d)", "x\n  y", "https://x.y", "**a *b* c**",
    "[x](javascript:alert(1))", "[x](<>)", "[x]()", "[ ](u)", "&copy;", "&#13;", "\r", ":star:",
]


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(INLINE_PIECES), min_size=1, max_size=14).map("".join))
def test_plain_inline_content_reads_as_through_lxml(src: str) -> None:
    """Inline content built straight into a tree flattens to what its HTML, parsed by lxml, gives."""
    for token in _MD.parse(src, {}):
        if token.type == "inline":
            tree = _plain_tree(token.children or [])
            if tree is not None:
                assert segments_of(tree) == _rendered_segments(token)


def test_plain_inline_content_is_most_of_a_list(data_dir: Path) -> None:
    text = (data_dir / ZJU_FILE).read_text(encoding="utf-8")
    inline = [t for t in _MD.parse(text, {}) if t.type == "inline"]
    assert sum(_plain_tree(t.children or []) is not None for t in inline) > len(inline) * 0.9


_LINK = st.builds(
    "".join,
    st.tuples(
        st.sampled_from(["http://", "https://", "HTTP://", "ftp://", "mailto:", "//", ""]),
        st.lists(st.sampled_from(["a", "Z", "0", "-", ".", "a" * 63, "b" * 64, "é", "xn--", "[", ":80"]),
                 max_size=8).map("".join),
        st.lists(st.sampled_from(["/", "a", "-", "_", ".", "~", "?", "#", "=", "&", "+", "%", "%2F", "%zz",
                                  " ", "é", "@", ":", "!", "'", "(", "*", "\\", "|", "^", "`"]),
                 max_size=10).map("".join),
    ),
)


@settings(max_examples=600, deadline=None)
@given(_LINK)
def test_link_normalization_shortcut(url: str) -> None:
    assert _MD.normalizeLink(url) == normalizeLink(url)
