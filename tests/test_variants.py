"""Variant lists written for these tests (tests/data/variants/): the conventions of the two bundled lists
as their curators might grow them. Expected values are read off the variant files.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

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
    read_file,
    venue_of,
)
from kdgraph.extract import duplicate_entries
from kdgraph.readers import read_markdown
from kdgraph.records import ReadResult, Record

VARIANTS = ("zju-grown.md", "mwan-html.md", "mixed-crlf-bom.md")


def test_variant_files_are_all_collected(variants_dir: Path) -> None:
    assert sorted(p.name for p in variants_dir.glob("*.md")) == sorted(VARIANTS)


@pytest.mark.parametrize("name", VARIANTS)
def test_variant_accounting(name: str, variants_dir: Path) -> None:
    path = variants_dir / name
    text = path.read_text(encoding="utf-8-sig")
    independent = count_markdown_items(text) + count_html_items(text)
    result = read_file(path)
    assert independent >= 25
    assert result.items == independent
    assert result.unaccounted() == 0
    assert len(result.records) + len(result.skipped) == independent
    for record in result.records:
        assert record.title and record.title_key
        assert 1 <= record.line <= len(text.splitlines())


# ---------------------------------------------------------------------------------------- zju-grown


@pytest.fixture(scope="module")
def grown(variants_dir: Path) -> ReadResult:
    return read_file(variants_dir / "zju-grown.md")


def test_grown_counts(grown: ReadResult) -> None:
    assert (grown.items, len(grown.records), len(grown.skipped)) == (29, 29, 0)
    assert [d for d in grown.diagnostics if d.severity != "info"] == []


def test_grown_workshop_and_plain_author_line(grown: ReadResult) -> None:
    records = by_line(grown.records)
    hinton = records[6]
    assert hinton.title == "Distilling the Knowledge in a Neural Network"
    assert venue_of(hinton) == ("NeurIPS", 2014, "workshop", True)
    assert names_of(hinton) == ["Geoffrey Hinton", "Oriol Vinyals", "Jeff Dean"]
    assert hinton.section == ("Awesome Knowledge Distillation (2022 edition)", "Logit Distillation")
    dkd = records[9]  # the author line is not in italics
    assert dkd.title == "Decoupled Knowledge Distillation"
    assert names_of(dkd) == ["Borui Zhao", "Quan Cui", "Renjie Song", "Yiyu Qiu", "Jiajun Liang"]
    assert links_of(dkd) == [("paper", None), ("code", None), ("code", None)]
    assert [link.label for link in dkd.links] == ["[Paper]", "[Code1]", "[Code2]"]
    assert venue_of(dkd) == ("CVPR", 2022, "conference", False)


def test_grown_double_bracket_label(grown: ReadResult) -> None:
    r = by_line(grown.records)[12]
    assert r.title == "Knowledge Distillation from A Stronger Teacher"
    assert links_of(r) == [("paper", None), ("code", "PyTorch")]
    assert r.links[1].url == "https://github.com/hunto/DIST_KD"
    assert r.links[0].url == "https://arxiv.org/abs/2205.10536"
    assert venue_of(r) == ("NeurIPS", 2022, "conference", False)


def test_grown_last_first_authors_and_doi(grown: ReadResult) -> None:
    r = by_line(grown.records)[15]
    assert r.title == "Knowledge Distillation: A Survey"
    assert names_of(r) == ["J. Gou", "B. Yu", "S. J. Maybank", "D. Tao"]
    assert venue_of(r) == ("IJCV", 2021, "journal", False)
    assert ids_of(r) == [("DOI", "10.1007/s11263-021-01453-z")]


def test_grown_subsections(grown: ReadResult) -> None:
    records = by_line(grown.records)
    son = records[23]
    assert son.section[1:] == ("Logit Distillation", "Teacher Assistants")
    assert names_of(son) == ["Wonchul Son", "Jaemin Na", "Junyong Choi", "Wonjun Hwang"]  # "，"
    phuong = records[28]
    assert phuong.section[1:] == ("Logit Distillation", "Teacher Assistants", "Theory of Teacher Assistants")
    assert ids_of(phuong) == [("PMLR", "v97/phuong19a")]
    cho = records[31]
    assert names_of(cho) == ["Jang Hyun Cho"]  # "et al." is not a person
    assert records[36].section[1:] == ("Security and Privacy",)


def test_grown_security_venues(grown: ReadResult) -> None:
    records = by_line(grown.records)
    papernot = records[36]
    assert venue_of(papernot) == ("IEEE S&P", 2016, "conference", False)
    assert ids_of(papernot) == [("DOI", "10.1109/SP.2016.41")]
    euro = records[39]
    assert euro.title == "The Limitations of Deep Learning in Adversarial Settings"
    assert venue_of(euro) == ("EuroS&P", 2016, "conference", False)
    assert euro.venue is not None and euro.venue.text == "Euro S&P 2016"
    assert names_of(euro)[4] == "Z. Berkay Celik"
    no_authors = records[42]
    assert (no_authors.title, no_authors.authors) == ("Data-Free Model Extraction", ())
    assert links_of(no_authors) == [("paper", None), ("code", None)]


def test_grown_presentation_annotations(grown: ReadResult) -> None:
    records = by_line(grown.records)
    spotlight = records[44]
    assert spotlight.title == "Undistillable: Making A Nasty Teacher That CANNOT teach students"
    assert venue_of(spotlight) == ("ICLR", 2021, "conference", False)
    assert spotlight.notes == ("Spotlight",)
    assert ids_of(spotlight) == [("OpenReview", "0zvfm-nZqQs")]
    oral = records[66]
    assert oral.title == "Open-vocabulary Object Detection via Vision and Language Knowledge Distillation"
    assert venue_of(oral) == ("ICLR", 2022, "conference", False)
    assert oral.notes == ("Oral",)
    assert links_of(oral) == [("paper", None), ("code", "JAX")]
    assert ids_of(oral) == [("OpenReview", "lL3lnMbR4WU")]


def test_grown_titles_with_commas_and_workshops(grown: ReadResult) -> None:
    records = by_line(grown.records)
    distilbert = records[52]
    assert distilbert.title == "DistilBERT, a distilled version of BERT: smaller, faster, cheaper and lighter"
    assert venue_of(distilbert) == ("NeurIPS", 2019, "workshop", True)
    deit = records[49]
    assert deit.title == "Training data-efficient image transformers & distillation through attention"
    assert names_of(deit)[-1] == "Hervé Jégou"
    albef = records[63]
    assert venue_of(albef) == ("NeurIPS", 2021, "workshop", True)
    assert albef.section[1:] == ("Transformers", "Vision-Language")
    tinybert = records[55]
    assert tinybert.title == "TinyBERT: Distilling BERT for Natural Language Understanding"
    assert venue_of(tinybert) == ("EMNLP", 2020, "conference", False)
    assert ids_of(tinybert) == [("ACL Anthology", "2020.findings-emnlp.372")]


def test_grown_journals(grown: ReadResult) -> None:
    records = by_line(grown.records)
    assert venue_of(records[71]) == ("TPAMI", 2021, "journal", False)
    assert ids_of(records[71]) == [("DOI", "10.1109/TPAMI.2021.3055564")]
    assert venue_of(records[74]) == ("TNNLS", 2020, "journal", False)
    assert venue_of(records[77]) == ("arXiv", 2020, "preprint", False)
    mindspore = records[80]
    assert links_of(mindspore) == [("paper", None), ("code", "MindSpore")]
    assert ids_of(mindspore) == []  # an IEEE Xplore document number is not an identifier we mint
    assert venue_of(records[91]) == ("TNNLS", 2022, "journal", False)


def test_grown_resources(grown: ReadResult) -> None:
    records = by_line(grown.records)
    assert [records[n].kind for n in (96, 97, 100, 101)] == ["resource"] * 4
    assert records[100].title == "NeurIPS 2021"
    assert records[101].section[1:] == ("Useful Resources", "Accepted paper list")
    assert sum(r.kind == "paper" for r in grown.records) == 25


# ------------------------------------------------------------------------------------ mwan-html


@pytest.fixture(scope="module")
def html(variants_dir: Path) -> ReadResult:
    return read_file(variants_dir / "mwan-html.md")


def test_html_counts(html: ReadResult) -> None:
    assert (html.items, len(html.records), len(html.skipped)) == (30, 25, 5)
    assert sorted((d.line, d.code) for d in html.skipped) == [
        (59, "untitled-entry"), (60, "untitled-entry"), (61, "empty-item"),
        (66, "not-an-entry"), (67, "not-an-entry"),
    ]


def test_html_headings_and_links(html: ReadResult) -> None:
    records = by_line(html.records)
    dkd = records[9]  # closed </li>, arXiv PDF link
    assert dkd.title == "Decoupled Knowledge Distillation"
    assert dkd.section == ("Reading List (HTML edition)", "Knowledge Distillation", "CVPR 2022")
    assert venue_of(dkd) == ("CVPR", 2022, "conference", False)
    assert [link.url for link in dkd.links] == ["https://arxiv.org/abs/2203.08679",
                                                "https://github.com/megvii-research/mdistiller"]
    fgd = records[10]  # unclosed <li>, every kind of link, emoji mark
    assert fgd.title == "Focal and Global Knowledge Distillation for Detectors"
    assert links_of(fgd) == [("paper", None), ("code", None), ("project", None), ("slides", None),
                             ("poster", None), ("video", None)]
    assert marks_of(fgd) == ("top", False)


def test_html_emoji_marks(html: ReadResult) -> None:
    records = by_line(html.records)
    r = records[11]
    assert r.title.startswith("Knowledge Distillation as Efficient Pre-training: Faster Convergence")
    assert marks_of(r) == ("second", True)  # ⭐ … ✅
    assert ids_of(r)[0][0] == "CVF"
    assert marks_of(records[18]) == ("top", False)  # ":star2:" after the link
    assert marks_of(records[12]) == (None, False)


def test_html_nested_author_lines(html: ReadResult) -> None:
    records = by_line(html.records)
    cirkd = records[13]
    assert cirkd.title == "Cross-Image Relational Knowledge Distillation for Semantic Segmentation"
    assert names_of(cirkd) == ["Chuanguang Yang", "Helong Zhou", "Zhulin An", "Xue Jiang", "Yongjun Xu",
                               "Qian Zhang"]
    assert [link.url for link in cirkd.links] == ["https://arxiv.org/abs/2204.06986"]
    clip = records[25]  # nested <ul> never closed with </li>
    assert names_of(clip) == ["Hila Chefer", "Sagie Benaim", "Roni Paiss", "Lior Wolf"]
    assert ids_of(clip) == [("OpenReview", "gJ3fQ7ZFpQ")]
    assert venue_of(clip) == ("ICLR", 2022, "conference", False)
    assert 14 not in records and 26 not in records  # author lines are not entries


def test_html_leading_venue_and_annotation(html: ReadResult) -> None:
    records = by_line(html.records)
    kcd = records[17]
    assert kcd.title == "Knowledge Condensation Distillation"
    assert venue_of(kcd) == ("ECCV", 2022, "conference", False)
    assert kcd.section[-1] == "CVPR 2022"
    oral = records[24]
    assert oral.title == "Open-vocabulary Object Detection via Vision and Language Knowledge Distillation"
    assert oral.notes == ("Oral",)
    assert venue_of(oral) == ("ICLR", 2022, "conference", False)


def test_html_mark_and_empty_link(html: ReadResult) -> None:
    r = by_line(html.records)[29]
    assert r.title == "Online Hyperparameter Optimization by Real-time Recurrent Learning"
    assert marks_of(r) == (None, True)
    assert r.links == ()
    assert [d.code for d in diagnostics_at(html.diagnostics, 29)] == ["empty-link", "no-links"]


def test_html_paragraph_label(html: ReadResult) -> None:
    records = by_line(html.records)
    for line in (34, 35, 36):
        assert records[line].section[-1] == "NeurIPS 2021"
        assert venue_of(records[line]) == ("NeurIPS", 2021, "conference", False)
    assert ids_of(records[34]) == [("NeurIPS", "376c6b9ff3bedbbea56751a84fffc10c")]
    after = records[40]  # the next list is not under the label
    assert after.section == ("Reading List (HTML edition)", "Knowledge Distillation", "ICLR 2022")
    assert venue_of(after) == ("ICLR", 2022, "conference", False)


def test_html_upper_case_tags_ordered_list(html: ReadResult) -> None:
    records = by_line(html.records)
    byot = records[45]
    assert byot.title == ("Be Your Own Teacher: Improve the Performance of Convolutional Neural Networks via "
                          "Self Distillation")
    assert names_of(byot) == ["Linfeng Zhang", "Jiebo Song", "Anni Gao", "Jingwei Chen", "Chenglong Bao",
                              "Kaisheng Ma"]
    assert byot.section[1:] == ("Knowledge Distillation", "Self-Distillation")
    assert byot.venue is None
    assert ids_of(byot) == [("arXiv", "1905.08094")]
    assert 46 not in records  # <li> inside an HTML comment
    assert records[47].title == "Self-Knowledge Distillation with Progressive Refinement of Targets & Labels"
    frskd = records[48]
    assert frskd.title == ("Refine Myself by Teaching Myself: Feature Refinement via Self-Knowledge "
                           "Distillation")
    assert links_of(frskd) == [("code", None), ("paper", None)]
    assert ids_of(frskd) == [("arXiv", "2103.08273")]


def test_html_surveys(html: ReadResult) -> None:
    records = by_line(html.records)
    assert venue_of(records[53]) == ("IJCV", 2021, "journal", False)
    assert records[53].title == "Knowledge Distillation: A Survey"
    assert venue_of(records[54]) == ("TPAMI", 2021, "journal", False)
    dml = records[56]
    assert names_of(dml) == ["Y. Zhang", "T. Xiang", "T. M. Hospedales", "H. Lu"]
    assert venue_of(dml) == ("CVPR", 2018, "conference", False)
    ban = records[57]
    assert venue_of(ban) == ("ICML", 2018, "conference", False)
    assert ids_of(ban) == [("PMLR", "v80/furlanello18a")]
    snapshot = records[58]
    assert venue_of(snapshot) == ("CVPR", 2019, "workshop", True)


def test_html_untitled_items_keep_links(html: ReadResult) -> None:
    (empty,) = diagnostics_at(html.diagnostics, 59)
    assert "empty title" in empty.message
    assert [link.url for link in empty.links] == ["https://arxiv.org/abs/1910.10699"]
    (links_only,) = diagnostics_at(html.diagnostics, 60)
    assert links_of(links_only) == [("paper", None), ("code", None)]  # type: ignore[arg-type]


# -------------------------------------------------------------------------------- mixed-crlf-bom


@pytest.fixture(scope="module")
def mixed(variants_dir: Path) -> ReadResult:
    return read_file(variants_dir / "mixed-crlf-bom.md")


def test_mixed_file_is_crlf_with_bom(variants_dir: Path) -> None:
    data = (variants_dir / "mixed-crlf-bom.md").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\r\n") == data.count(b"\n") > 70


def test_mixed_counts(mixed: ReadResult) -> None:
    assert (mixed.items, len(mixed.records), len(mixed.skipped)) == (32, 26, 6)
    assert sorted((d.line, d.code) for d in mixed.skipped) == [
        (5, "not-an-entry"), (6, "not-an-entry"), (8, "not-an-entry"), (60, "untitled-entry"),
        (77, "not-an-entry"), (78, "not-an-entry"),
    ]
    toc = diagnostics_at(mixed.diagnostics, 5)
    assert "table of contents" in toc[0].message


def test_mixed_lines_survive_bom_and_crlf(mixed: ReadResult) -> None:
    first = mixed.records[0]
    assert (first.line, first.title) == (12, "Knowledge Distillation: A Survey")
    assert first.section == ("Mixed Distillation Reading List", "Surveys")
    assert not any("\r" in r.title or "\ufeff" in r.title for r in mixed.records)
    assert all("\ufeff" not in s for r in mixed.records for s in r.section)


def test_mixed_ordered_list_entries(mixed: ReadResult) -> None:
    records = by_line(mixed.records)
    gou = records[12]
    assert venue_of(gou) == ("IJCV", 2021, "journal", False)  # venue after the bold title
    assert names_of(gou) == ["Jianping Gou", "Baosheng Yu", "Stephen J. Maybank", "Dacheng Tao"]
    linked = records[15]  # a linked title followed by its venue
    assert linked.title == ("Model Compression and Acceleration for Deep Neural Networks: The Principles, "
                            "Progress, and Challenges")
    assert venue_of(linked) == ("IEEE Signal Processing Magazine", 2018, "journal", False)
    assert links_of(linked) == [("paper", None)]
    assert ids_of(linked) == [("DOI", "10.1109/MSP.2017.2765695")]
    assert linked.notes == ()
    assert venue_of(records[16]) == ("arXiv", 2017, "preprint", False)
    fgd = records[41]  # "1)" ordered list
    assert fgd.section == ("Mixed Distillation Reading List", "Detection", "2022")
    assert venue_of(fgd) == ("CVPR", 2022, "conference", False)
    assert venue_of(records[43]) == ("ECCV", 2022, "conference", False)


def test_mixed_both_styles_under_one_heading(mixed: ReadResult) -> None:
    records = by_line(mixed.records)
    survey_section = [r.line for r in mixed.records if r.section[-1] == "Surveys"]
    assert survey_section == [12, 14, 15, 16, 19, 20]
    assert venue_of(records[20]) == ("CVPR", 2021, "conference", False)
    assert records[20].title == "Distilling Knowledge via Knowledge Review"
    year_only = records[27]  # "### 2021" gives the year, no series
    assert venue_of(year_only) == (None, 2021, "unknown", False)
    assert names_of(year_only)[0] == "Xing Dai" and len(year_only.authors) == 7
    assert venue_of(records[29]) == ("CVPR", 2021, "conference", False)
    label_enc = records[35]
    assert marks_of(label_enc) == ("second", False)
    assert venue_of(label_enc) == (None, 2021, "unknown", False)
    assert marks_of(records[36]) == ("top", False)


def test_mixed_duplicates(mixed: ReadResult) -> None:
    dups = duplicate_entries(mixed.records)
    assert [(d.line, d.code) for d in dups] == [(19, "duplicate-entry"), (55, "duplicate-entry")]
    assert all("first at line 12" in d.message for d in dups)


def test_mixed_language_models(mixed: ReadResult) -> None:
    records = by_line(mixed.records)
    distilbert = records[47]
    assert names_of(distilbert) == ["Victor Sanh", "Lysandre Debut", "Julien Chaumond", "Thomas Wolf"]
    assert venue_of(distilbert) == ("NeurIPS", 2019, "workshop", True)  # venue on its own nested line
    assert distilbert.notes == ()
    findings = records[53]
    assert venue_of(findings) == ("EMNLP", 2020, "conference", False)
    assert findings.venue is not None and findings.venue.text == "Findings of EMNLP 2020"
    assert ids_of(records[52]) == [("ACL Anthology", "D19-1441")]
    well_read = records[56]
    assert marks_of(well_read) == ("top", True)
    assert well_read.venue is None
    seq = records[57]
    assert links_of(seq) == [("paper", None), ("code", "Torch7")]
    assert venue_of(records[59]) == ("arXiv", 2019, "preprint", False)


def test_mixed_label_does_not_leak_into_markdown_list(mixed: ReadResult) -> None:
    records = by_line(mixed.records)
    defense = records[66]
    assert defense.section == ("Mixed Distillation Reading List", "Security", "IEEE S&P 2016")
    assert venue_of(defense) == ("IEEE S&P", 2016, "conference", False)
    carlini = records[69]  # plain (not bold) title with its venue after a comma
    assert carlini.section == ("Mixed Distillation Reading List", "Security")
    assert carlini.title == "Towards Evaluating the Robustness of Neural Networks"
    assert venue_of(carlini) == ("IEEE S&P", 2017, "conference", False)
    assert names_of(carlini) == ["N. Carlini", "D. Wagner"]
    extending = records[71]
    assert venue_of(extending) == ("arXiv", 2017, "preprint", False)
    assert names_of(extending) == ["Nicolas Papernot", "Patrick McDaniel"]


def test_crlf_bom_and_lf_read_alike(variants_dir: Path, mixed: ReadResult) -> None:
    text = (variants_dir / "mixed-crlf-bom.md").read_bytes().decode("utf-8")
    assert text.startswith("\ufeff") and "\r\n" in text
    lf = read_markdown(text.lstrip("\ufeff").replace("\r\n", "\n"), source="test",
                       file="mixed-crlf-bom.md")
    assert [r.to_dict() for r in lf.records] == [r.to_dict() for r in mixed.records]
    assert lf.diagnostics == mixed.diagnostics


# ------------------------------------------------------------------------------------ grown lists


def _without_place(record: Record) -> Record:
    return dataclasses.replace(record, line=0, position=0)


@pytest.mark.parametrize(("bundled", "new_file"), [(ZJU_FILE, "zju-grown.md"), (MWAN_FILE, "mwan-html.md")])
def test_grown_list_keeps_old_records(bundled: str, new_file: str, data_dir: Path,
                                      variants_dir: Path) -> None:
    """The list as it will grow: new sections appended at the end and inserted near the top; the old
    entries read the same, only their line and position move."""
    old_text = (data_dir / bundled).read_text(encoding="utf-8")
    new_lines = (variants_dir / new_file).read_text(encoding="utf-8").splitlines()
    new_sections = "\n".join(line for line in new_lines[1:])  # without its title heading
    old = read_markdown(old_text, source="s", file="f.md")

    appended = read_markdown(old_text + "\n\n" + new_sections + "\n", source="s", file="f.md")
    assert appended.records[: len(old.records)] == old.records
    assert len(appended.records) > len(old.records)
    assert appended.unaccounted() == 0

    lines = old_text.splitlines()
    cut = next(i for i, line in enumerate(lines) if line.startswith("## "))
    inserted_text = "\n".join([*lines[:cut], new_sections, "", *lines[cut:]])
    inserted = read_markdown(inserted_text, source="s", file="f.md")
    shift = len(new_sections.splitlines()) + 1
    new_region = range(cut + 1, cut + shift + 1)  # 1-based lines of the inserted text

    def moved(line: int) -> int:
        return line + shift if line > cut else line

    kept = [r for r in inserted.records if r.line not in new_region]
    assert len(inserted.records) > len(kept)
    assert [_without_place(r) for r in kept] == [_without_place(r) for r in old.records]
    assert [r.line for r in kept] == [moved(r.line) for r in old.records]
    assert [(d.line, d.code, d.severity, d.entry) for d in inserted.diagnostics
            if d.line not in new_region] == [(moved(d.line), d.code, d.severity, d.entry)
                                             for d in old.diagnostics]
    assert inserted.unaccounted() == 0
