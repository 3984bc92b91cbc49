"""The field normalizers, one table per function."""

from __future__ import annotations

import dataclasses
import pickle
import re
from urllib.parse import SplitResult, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kdgraph import normalize as nz
from kdgraph.records import Diagnostic, Identifier, Link, Marks, Person, Venue

# ------------------------------------------------------------------------------------------ venues

VENUES = [
    # text, series, year, kind, workshop
    ("CVPR 2020", "CVPR", 2020, "conference", False),
    ("ICLR 2015", "ICLR", 2015, "conference", False),
    ("NIPS 2018", "NeurIPS", 2018, "conference", False),
    ("NeurIPS 2022", "NeurIPS", 2022, "conference", False),
    ("NIPS 2017 workshop", "NeurIPS", 2017, "workshop", True),
    ("ICML 2019 Workshop", "ICML", 2019, "workshop", True),
    ("NeurIPS 2021 Workshop", "NeurIPS", 2021, "workshop", True),
    ("CVPR 2021 Workshops", "CVPR", 2021, "workshop", True),
    ("NeurIPS 2019 Workshop on Energy Efficient Machine Learning", "NeurIPS", 2019, "workshop", True),
    ("arXiv 2019.05", "arXiv", 2019, "preprint", False),
    ("ArXiv 2019.12", "arXiv", 2019, "preprint", False),
    ("arXiv 2017", "arXiv", 2017, "preprint", False),
    ("CoRR 2015", "arXiv", 2015, "preprint", False),
    ("WACV2021", "WACV", 2021, "conference", False),
    ("[WACV2021]", "WACV", 2021, "conference", False),
    ("(CSUR 2020)", "CSUR", 2020, "journal", False),
    ("Euro S&P 2016", "EuroS&P", 2016, "conference", False),
    ("IEEE Euro S&P 2019", "EuroS&P", 2019, "conference", False),
    ("IEEE S&P 2016", "IEEE S&P", 2016, "conference", False),
    ("TPAMI 2021", "TPAMI", 2021, "journal", False),
    ("TNNLS 2022", "TNNLS", 2022, "journal", False),
    ("IJCV 2021", "IJCV", 2021, "journal", False),
    ("ICLR 2022 (Oral)", "ICLR", 2022, "conference", False),
    ("ICLR 2021 (Spotlight)", "ICLR", 2021, "conference", False),
    ("ECCV 2020, Oral", "ECCV", 2020, "conference", False),
    ("EMNLP 2020 Findings", "EMNLP", 2020, "conference", False),
    ("Findings of EMNLP 2020", "EMNLP", 2020, "conference", False),
    ("In: ICLRW", "ICLR", None, "workshop", True),
    ("In: NeurIPS", "NeurIPS", None, "conference", False),
    ("AAAI", "AAAI", None, "conference", False),
    ("Pattern Recognition", "Pattern Recognition", None, "journal", False),
    ("IEEE Signal Processing Magazine 2020", "IEEE Signal Processing Magazine", 2020, "journal", False),
    ("IEEE Transactions on Parallel and Distributed Systems 2020",
     "IEEE Transactions on Parallel and Distributed Systems", 2020, "journal", False),
    ("IEEE Communications Surveys & Tutorials 2019", "IEEE Communications Surveys & Tutorials", 2019,
     "journal", False),
    ("ACM TIST 2019", "TIST", 2019, "journal", False),
    ("IEEE ICKG 2020", "ICKG", 2020, "conference", False),
    ("IEEE/CVF CVPR 2021", "CVPR", 2021, "conference", False),
    ("ACM MM 2020", "ACM MM", 2020, "conference", False),
    ("Interspeech 2020", "Interspeech", 2020, "conference", False),
    ("2021", None, 2021, "unknown", False),
    ("IEEE, 2020", "IEEE", 2020, "unknown", False),
]


@pytest.mark.parametrize(("text", "series", "year", "kind", "workshop"), VENUES)
def test_parse_venue(text: str, series: str | None, year: int | None, kind: str, workshop: bool) -> None:
    venue = nz.parse_venue(text)
    assert venue is not None
    assert (venue.series, venue.year, venue.kind, venue.workshop) == (series, year, kind, workshop)


@pytest.mark.parametrize(("text", "written"), [
    ("NIPS 2017 workshop", "NIPS 2017 workshop"),
    ("(CSUR 2020)", "CSUR 2020"),
    ("[WACV2021]", "WACV2021"),
    ("ICLR 2022 (Oral)", "ICLR 2022 (Oral)"),
    ("ICLR 2021 (Spotlight).", "ICLR 2021 (Spotlight)"),
    ("  CVPR\n2020 ", "CVPR 2020"),
    ("Pattern Recognition.", "Pattern Recognition"),
])
def test_parse_venue_keeps_text_as_written(text: str, written: str) -> None:
    venue = nz.parse_venue(text)
    assert venue is not None and venue.text == written


@pytest.mark.parametrize("text", [
    "", "   ", "()", "Knowledge Distillation", "Useful Resources", "Spotlight", "TBD",
    "Not published yet", "x" * 200 + " 2020", "2020 2021 !!!", "Deep Mutual Learning",
])
def test_parse_venue_none(text: str) -> None:
    assert nz.parse_venue(text) is None


@pytest.mark.parametrize("text", [
    # generic words with a year are a heading or a title fragment, not a venue
    "Papers 2021", "Surveys 2021", "Recent Papers (2021)", "Top 10 2020", "Conference 2019",
    "A very long fragment of some paper title 2020",
])
def test_parse_venue_require_known_rejects_generic_words(text: str) -> None:
    assert nz.parse_venue(text, require_known=True) is None


def test_parse_venue_require_known_keeps_known_series() -> None:
    for text, series, *_ in VENUES:
        if series is not None:
            venue = nz.parse_venue(text, require_known=True)
            assert venue is not None and venue.series == series, text


FOUND = [
    # heading, series, year, workshop
    ("CVPR 2021", "CVPR", 2021, False),
    ("[CVPR 2021](http://cvpr2021.thecvf.com/)", "CVPR", 2021, False),
    ("FL on ICLR 2021", "ICLR", 2021, False),
    ("FL on [ICML 2020](https://icml.cc/virtual/2020/)", "ICML", 2020, False),
    ("NIPS 2020", "NeurIPS", 2020, False),
    ("IEEE ICKG 2020", "ICKG", 2020, False),
    ("ACM TIST 2019", "TIST", 2019, False),
    ("Papers from ECCV 2022 workshops", "ECCV", 2022, True),
    ("ICLR'22", None, None, False),
    ("2021", None, 2021, False),
    ("IEEE Signal Processing Magazine 2020", "IEEE Signal Processing Magazine", 2020, False),
]


@pytest.mark.parametrize(("text", "series", "year", "workshop"), FOUND)
def test_find_venue(text: str, series: str | None, year: int | None, workshop: bool) -> None:
    venue = nz.find_venue(text)
    if series is None and year is None:
        assert venue is None
        return
    assert venue is not None
    assert (venue.series, venue.year, venue.workshop) == (series, year, workshop)


@pytest.mark.parametrize("heading", [
    "Knowledge Distillation", "Feature Maps Distillation", "FD KD NLP", "FL open question & useful framework",
    "Full Paper List", "To-Do: Knowledge Distillation Survey Paper List", "Surveys", "Applications",
    "Accepted paper list", "Useful Resources", "Papers 2021", "Surveys 2021", "Top 10 2020",
    "Adversarial & Robust Distillation", "How to Run this project", "IEEE",
])
def test_find_venue_none_for_topic_headings(heading: str) -> None:
    assert nz.find_venue(heading) is None


@pytest.mark.parametrize(("text", "year"), [("2021", 2021), (" 1999 ", 1999), ("2021 papers", None),
                                             ("CVPR 2021", None), ("1899", None), ("", None)])
def test_year_only(text: str, year: int | None) -> None:
    assert nz.year_only(text) == year


@pytest.mark.parametrize(("text", "series", "workshop"), [
    ("NIPS", "NeurIPS", False), ("neurips", "NeurIPS", False), ("ArXiv", "arXiv", False),
    ("ICLRW", "ICLR", True), ("CVPRW", "CVPR", True), ("In: ICLRW", "ICLR", True),
    ("Proceedings of the ICML", "ICML", False), ("ICML workshop", "ICML", True),
    ("Findings of ACL", "ACL", False), ("Foo Bar", "Foo Bar", False), ("ACM MM", "ACM MM", False),
])
def test_canonical_series(text: str, series: str, workshop: bool) -> None:
    assert nz.canonical_series(text) == (series, workshop)


@pytest.mark.parametrize(("series", "workshop", "kind"), [
    (None, False, "unknown"), ("arXiv", False, "preprint"), ("arXiv", True, "preprint"),
    ("CVPR", True, "workshop"), ("CVPR", False, "conference"), ("TPAMI", False, "journal"),
    ("Some Journal of Things", False, "journal"), ("IEEE Transactions on X", False, "journal"),
    ("Unknown Venue", False, "unknown"),
])
def test_venue_kind(series: str | None, workshop: bool, kind: str) -> None:
    assert nz.venue_kind(series, workshop) == kind


# ------------------------------------------------------------------------------------------- people

AUTHORS = [
    ("Adriana Romero, Nicolas Ballas, Samira Ebrahimi Kahou.",
     ["Adriana Romero", "Nicolas Ballas", "Samira Ebrahimi Kahou"]),
    ("*Sergey Zagoruyko, Nikos Komodakis.*", ["Sergey Zagoruyko", "Nikos Komodakis"]),
    ("George E. Dahl and Geoffrey E. Hinton", ["George E. Dahl", "Geoffrey E. Hinton"]),
    ("Defang Chen, Jian-Ping Mei, Can Wang, Yan Feng and Chun Chen.",
     ["Defang Chen", "Jian-Ping Mei", "Can Wang", "Yan Feng", "Chun Chen"]),
    ("Xiaobing Zhang, Shijian Lu, and Zhipeng Luo", ["Xiaobing Zhang", "Shijian Lu", "Zhipeng Luo"]),
    ("Markus Nagel, Mart van Baalen", ["Markus Nagel", "Mart van Baalen"]),
    ("I. Zeki Yalniz, Hervé Jégou", ["I. Zeki Yalniz", "Hervé Jégou"]),
    ("Hinton, G., Vinyals, O., & Dean, J.", ["G. Hinton", "O. Vinyals", "J. Dean"]),
    ("Kim, S. W. & Kim, H. E.", ["S. W. Kim", "H. E. Kim"]),
    ("Müller, R., Kornblith, S., & Hinton, G. E.", ["R. Müller", "S. Kornblith", "G. E. Hinton"]),
    ("Heo, B., Lee, M., Yun, S. & Choi, J. Y.", ["B. Heo", "M. Lee", "S. Yun", "J. Y. Choi"]),
    ("Zhang, Y.-L., Wang, X.", ["Y.-L. Zhang", "X. Wang"]),
    ("Xu, J.", ["J. Xu"]),
    ("Wonchul Son，Jaemin Na，Junyong Choi", ["Wonchul Son", "Jaemin Na", "Junyong Choi"]),
    ("Tao Huang; Shan You; Fei Wang", ["Tao Huang", "Shan You", "Fei Wang"]),
    ("Jang Hyun Cho et al.", ["Jang Hyun Cho"]),
    ("Jang Hyun Cho, et al", ["Jang Hyun Cho"]),
    ("Y. Bengio, A. Courville and P. Vincent", ["Y. Bengio", "A. Courville", "P. Vincent"]),
    ("Patrick McDaniel, Ryan McDonald", ["Patrick McDaniel", "Ryan McDonald"]),
    ("X. Y.", ["X. Y."]),
    ("", []),
    ("et al.", []),
]


@pytest.mark.parametrize(("text", "names"), AUTHORS)
def test_parse_authors(text: str, names: list[str]) -> None:
    parsed = nz.parse_authors(text)
    assert [p.name for p in parsed.persons] == names
    assert parsed.doubts == ()


def test_parse_authors_et_al_flag() -> None:
    assert nz.parse_authors("Jang Hyun Cho et al.").et_al
    assert nz.parse_authors("Jang Hyun Cho, Et Al.").et_al
    assert not nz.parse_authors("Jang Hyun Cho").et_al


def test_parse_authors_as_written() -> None:
    parsed = nz.parse_authors("Hinton, G., Vinyals, O., & Dean, J.")
    assert [p.as_written for p in parsed.persons] == ["Hinton, G.", "Vinyals, O.", "Dean, J."]
    parsed = nz.parse_authors("Zhipeng Luo, and MingLiu1")
    assert [p.as_written for p in parsed.persons] == ["Zhipeng Luo", "MingLiu1"]


@pytest.mark.parametrize(("text", "names", "doubts"), [
    ("HaigangGong", ["Haigang Gong"], ["author name 'HaigangGong' read as 'Haigang Gong'"]),
    ("MingLiu1", ["Ming Liu"], ["footnote digits removed from author name 'MingLiu1' → 'MingLiu'",
                                "author name 'MingLiu' read as 'Ming Liu'"]),
    ("Jane Doe2, John Roe", ["Jane Doe", "John Roe"],
     ["footnote digits removed from author name 'Jane Doe2' → 'Jane Doe'"]),
    ("Patrick McDaniel", ["Patrick McDaniel"], []),
    ("Ryan MacDonald", ["Ryan MacDonald"], []),
])
def test_parse_authors_doubts(text: str, names: list[str], doubts: list[str]) -> None:
    parsed = nz.parse_authors(text)
    assert [p.name for p in parsed.persons] == names
    assert list(parsed.doubts) == doubts


@pytest.mark.parametrize(("text", "expected"), [
    ("Adriana Romero, Nicolas Ballas", True),
    ("Victor Sanh, Lysandre Debut, Julien Chaumond, Thomas Wolf", True),
    ("Mart van Baalen, Tijmen Blankevoort", True),
    ("Carlini, N., & Wagner, D.", True),
    ("Similar to `Zero-shot Knowledge Transfer`", False),
    ("NeurIPS 2019 Workshop", False),
    ("see https://example.org", False),
    ("a list of lower case words", False),
    ("", False),
])
def test_looks_like_names(text: str, expected: bool) -> None:
    assert nz.looks_like_names(text) is expected


# ------------------------------------------------------------------------------------------- titles

@pytest.mark.parametrize(("raw", "title", "notes"), [
    ("FitNets: Hints for Thin Deep Nets", "FitNets: Hints for Thin Deep Nets", ()),
    ("Distilling Knowledge for fast retrieval-based chat-bots [short paper]",
     "Distilling Knowledge for fast retrieval-based chat-bots", ("short paper",)),
    ("Multi-source Distilling Domain Adaptation. [TBD]", "Multi-source Distilling Domain Adaptation",
     ("TBD",)),
    ("Federated Knowledge Distillation (Not published yet)", "Federated Knowledge Distillation",
     ("Not published yet",)),
    ("Title (Oral)", "Title", ("Oral",)),
    ("Title [Spotlight] [long paper]", "Title", ("Spotlight", "long paper")),
    ("Title (to do)", "Title", ("to do",)),
    ("Uncertainty-aware Multi-shot Knowledge Distillation.",
     "Uncertainty-aware Multi-shot Knowledge Distillation", ()),
    ("Structure-Level Knowledge Distillation For\nMultilingual Sequence Labeling",
     "Structure-Level Knowledge Distillation For Multilingual Sequence Labeling", ()),
    ("Do deep nets really need to be deep?", "Do deep nets really need to be deep?", ()),
    ("The Oral History of Distillation", "The Oral History of Distillation", ()),
    ("Title (PSSP) on things", "Title (PSSP) on things", ()),
    ("Show, Attend and Distill:", "Show, Attend and Distill", ()),
    ("A\u00a0title，with full-width comma", "A title,with full-width comma", ()),
    ("...", "", ()),
    ("", "", ()),
])
def test_clean_title(raw: str, title: str, notes: tuple[str, ...]) -> None:
    assert nz.clean_title(raw) == (title, notes)


@pytest.mark.parametrize(("a", "b"), [
    ("Online Knowledge Distillation with Diverse Peers", "Online knowledge distillation with diverse peers."),
    ("Fedmd: Heterogenous federated learning via model distillation",
     "FedMD: Heterogenous Federated Learning via Model Distillation"),
    ("Pérez's “Quoted” Title", "Perez s Quoted title"),
    ("Self-Distillation: A  Survey", "self distillation a survey"),
    ("Ensemble Distillation for Structured Prediction: Calibrated, Accurate, Fast---Choose Three",
     "ensemble distillation for structured prediction calibrated accurate fast choose three"),
])
def test_title_key_equal(a: str, b: str) -> None:
    assert nz.title_key(a) == nz.title_key(b)


@pytest.mark.parametrize(("a", "b"), [
    ("AMLN: Adversarial-based Mutual Learning Network for Online Knowledge Distilla",
     "AMLN: Adversarial-based Mutual Learning Network for Online Knowledge Distillation"),
    ("Deep Mutual Learning", "Large scale distributed neural network training through online distillation"),
    ("Knowledge Distillation", "Knowledge Distillation 2"),
])
def test_title_key_different(a: str, b: str) -> None:
    assert nz.title_key(a) != nz.title_key(b)


@pytest.mark.parametrize(("title", "key"), [
    ("FitNets: Hints for Thin Deep Nets", "fitnets hints for thin deep nets"),
    ("Data_Free KD", "data free kd"),
    ("Größe", "grosse"),
    ("知识蒸馏 Distillation", "知识蒸馏 distillation"),
    ("", ""),
    ("?!", ""),
])
def test_title_key(title: str, key: str) -> None:
    assert nz.title_key(title) == key


@pytest.mark.parametrize(("text", "clean"), [
    ("  a \n\t b  ", "a b"), ("a，b；c：（d）", "a,b;c:(d)"), ("a\u00a0b", "a b"), ("", ""),
])
def test_clean_space(text: str, clean: str) -> None:
    assert nz.clean_space(text) == clean


# --------------------------------------------------------------------------------------------- URLs

URLS = [
    # raw, normalized, repaired
    ("https://arxiv.org/abs/1412.6550", "https://arxiv.org/abs/1412.6550", False),
    ("https://arxiv.org/pdf/1912.05699.pdf", "https://arxiv.org/abs/1912.05699", False),
    ("https://arxiv.org/pdf/2103.01353", "https://arxiv.org/abs/2103.01353", False),
    ("https://arxiv.org/abs/2005.00727v1", "https://arxiv.org/abs/2005.00727v1", False),
    ("https://arxiv.org/abs/2003.03603?context=cs", "https://arxiv.org/abs/2003.03603", False),
    ("https://export.arxiv.org/pdf/1412.6550v2", "https://arxiv.org/abs/1412.6550v2", False),
    ("https://www.arxiv.org/abs/1412.6550/", "https://arxiv.org/abs/1412.6550", False),
    ("https://arxiv.org/pdf/1412.6550.pdf?source=post_page---", "https://arxiv.org/abs/1412.6550", False),
    ("https://arxiv.org/pdf/hep-th/9901001v1.pdf", "https://arxiv.org/abs/hep-th/9901001v1", False),
    ("HTTPS://ArXiv.org/abs/1234.5678", "https://arxiv.org/abs/1234.5678", False),
    ("  https://github.com/a/b  ", "https://github.com/a/b", False),
    ("http://www.openreview.net/pdf?id=SkgpBJrtvS", "http://www.openreview.net/pdf?id=SkgpBJrtvS", False),
    ("ftp://example.org/a.pdf", "ftp://example.org/a.pdf", False),
    ("hhttps://www.ecva.net/a-supp.pdf", "https://www.ecva.net/a-supp.pdf", True),
    ("htttp://example.org/x", "http://example.org/x", True),
    ("htps://example.org/x", "https://example.org/x", True),
    ("https://\ngithub.com/TAMU-VITA/AGD", "https://github.com/TAMU-VITA/AGD", True),
    ("https://github.com/dgliu/SIGIR20_KDCRec.", "https://github.com/dgliu/SIGIR20_KDCRec", True),
    ("www.example.com/x", "https://www.example.com/x", True),
    ("github.com/a/b", "https://github.com/a/b", True),
    ("//cdn.example.org/y", "https://cdn.example.org/y", True),
]


@pytest.mark.parametrize(("raw", "url", "repaired"), URLS)
def test_normalize_url(raw: str, url: str, repaired: bool) -> None:
    normalized = nz.normalize_url(raw)
    assert normalized is not None
    assert normalized.url == url
    assert bool(normalized.repairs) is repaired


@pytest.mark.parametrize("raw", ["", "   ", "\n", "#CVPR-2021", "#", "mailto:someone@example.org"])
def test_normalize_url_nothing_to_link(raw: str) -> None:
    assert nz.normalize_url(raw) is None


@pytest.mark.parametrize(("raw", "repair"), [
    ("hhttps://x.org/a", "scheme 'hhttps' corrected to 'https'"),
    ("https://x.org/a b", "whitespace removed from URL"),
    ("https://x.org/a.", "trailing period removed from URL"),
    ("x.org/a", "missing scheme added"),
    ("hxxps://x.org/a", "unknown scheme 'hxxps' left as written"),
    ("javascript:alert(1)", "not a web URL"),
    ("https://[paper]arxiv.org/pdf/1910.03581.pdf", "not a valid URL"),
    ("https://[[arxiv.org/pdf/1910.03581.pdf", "not a valid URL"),
])
def test_normalize_url_repairs_are_named(raw: str, repair: str) -> None:
    normalized = nz.normalize_url(raw)
    assert normalized is not None
    assert any(r.startswith(repair) for r in normalized.repairs), normalized.repairs


@pytest.mark.parametrize("url", ["https://[paper]arxiv.org/abs/1910.03581", "https://[[x.org/a", "http://[::1"])
def test_malformed_urls_do_not_raise(url: str) -> None:
    assert nz.identifiers_in(url) == ()
    assert nz.classify_link("[x]", url) == ("other", None)
    assert nz.classify_link("[code]", url) == ("code", None)
    assert nz.code_repository(url) is None


def test_normalize_url_is_idempotent() -> None:
    for raw, url, _ in URLS:
        again = nz.normalize_url(url)
        assert again is not None and again.url == url and again.repairs == (), raw


# ------------------------------------------------------------------------------------- identifiers

IDENTIFIERS = [
    ("https://arxiv.org/abs/1412.6550", [("arXiv", "1412.6550")]),
    ("https://arxiv.org/abs/2005.00727v1", [("arXiv", "2005.00727")]),
    ("https://arxiv.org/abs/2103.02340", [("arXiv", "2103.02340")]),
    ("https://arxiv.org/abs/hep-th/9901001v1", [("arXiv", "hep-th/9901001")]),
    ("https://arxiv.org/abs/math.GT/0309136", [("arXiv", "math.GT/0309136")]),
    ("https://arxiv.org/abs/not-an-id", []),
    ("https://doi.org/10.1109/SP.2016.41", [("DOI", "10.1109/SP.2016.41")]),
    ("https://dx.doi.org/10.1109/TPAMI.2021.3055564", [("DOI", "10.1109/TPAMI.2021.3055564")]),
    ("https://doi.org/10.1007/s11263-021-01453-z/", [("DOI", "10.1007/s11263-021-01453-z")]),
    ("https://doi.org/", []),
    ("https://doi.org/not-a-doi", []),
    ("https://dl.acm.org/doi/abs/10.1145/3397271.3401259", [("DOI", "10.1145/3397271.3401259")]),
    ("https://link.springer.com/article/10.1007/s41666-020-00082-4", [("DOI", "10.1007/s41666-020-00082-4")]),
    ("https://onlinelibrary.wiley.com/doi/full/10.1002/abc.123", [("DOI", "10.1002/abc.123")]),
    ("https://www.nature.com/articles/s41598-020-69250-1", [("DOI", "10.1038/s41598-020-69250-1")]),
    ("https://openreview.net/forum?id=0zvfm-nZqQs", [("OpenReview", "0zvfm-nZqQs")]),
    ("https://openreview.net/pdf?id=B7v4QMR6Z9w", [("OpenReview", "B7v4QMR6Z9w")]),
    ("http://www.openreview.net/pdf?id=SkgpBJrtvS", [("OpenReview", "SkgpBJrtvS")]),
    ("https://openreview.net/group?id=ICLR.cc/2020/Conference", []),
    ("https://openaccess.thecvf.com/content_CVPR_2020/papers/Pan_X_CVPR_2020_paper.pdf",
     [("CVF", "Pan_X_CVPR_2020")]),
    ("https://openaccess.thecvf.com/content_CVPR_2020/supplemental/Yin_X_CVPR_2020_supplemental.pdf", []),
    ("https://www.aclweb.org/anthology/2020.acl-main.705.pdf", [("ACL Anthology", "2020.acl-main.705")]),
    ("https://aclanthology.org/2020.emnlp-main.234/", [("ACL Anthology", "2020.emnlp-main.234")]),
    ("https://aclanthology.org/D19-1441.pdf", [("ACL Anthology", "D19-1441")]),
    ("http://papers.nips.cc/paper/8538-knowledge-extraction-with-no-observable-data", [("NeurIPS", "8538")]),
    ("https://papers.nips.cc/paper/2020/file/ef0d3930a7b6c95bd2b32ed45989c61f-Paper.pdf",
     [("NeurIPS", "ef0d3930a7b6c95bd2b32ed45989c61f")]),
    ("https://proceedings.neurips.cc/paper/2021/hash/376c6b9ff3bedbbea56751a84fffc10c-Abstract.html",
     [("NeurIPS", "376c6b9ff3bedbbea56751a84fffc10c")]),
    ("http://proceedings.mlr.press/v119/zhang20o/zhang20o.pdf", [("PMLR", "v119/zhang20o")]),
    ("https://proceedings.mlr.press/v97/phuong19a.html", [("PMLR", "v97/phuong19a")]),
    ("https://github.com/a/b", []),
    ("https://ieeexplore.ieee.org/document/9381661", []),
    ("not a url", []),
    ("", []),
]


@pytest.mark.parametrize(("url", "expected"), IDENTIFIERS)
def test_identifiers_in(url: str, expected: list[tuple[str, str]]) -> None:
    assert nz.identifiers_in(url) == tuple(Identifier(s, v) for s, v in expected)


def test_identifier_schemes_are_declared() -> None:
    from kdgraph.records import IDENTIFIER_SCHEMES

    for _, expected in IDENTIFIERS:
        for scheme, value in expected:
            assert scheme in IDENTIFIER_SCHEMES and value


# -------------------------------------------------------------------------------------------- links

LINKS = [
    ("[Paper]", "https://arxiv.org/abs/1412.6550", "paper", None),
    ("[paper]", "https://example.org/x", "paper", None),
    ("[paper_tobe_updated]", "https://example.org/x", "paper", None),
    ("[paper_ToBeUpdate]", "https://jklj077.github.io/publication/aaai2021-multiview/", "paper", None),
    ("[page]", "https://dl.acm.org/doi/abs/10.1145/3397271.3401259", "paper", None),
    ("[article]", "https://www.nature.com/articles/s41598-020-69250-1", "paper", None),
    ("[title]", "https://example.org/some-page", "paper", None),
    ("[PyTorch]", "https://github.com/a/b", "code", "PyTorch"),
    ("[Pytorch]", "https://github.com/a/b", "code", "PyTorch"),
    ("[Pytorch1]", "https://github.com/a/b", "code", "PyTorch"),
    ("[Pytorch2]", "https://github.com/a/b", "code", "PyTorch"),
    ("[[Official PyTorch]]", "https://github.com/a/b", "code", "PyTorch"),
    ("[code (PyTorch)]", "https://example.org/x", "code", "PyTorch"),
    ("[TensorFlow]", "https://github.com/a/b", "code", "TensorFlow"),
    ("[Tensorflow]", "https://github.com/a/b", "code", "TensorFlow"),
    ("[TF]", "https://github.com/a/b", "code", "TensorFlow"),
    ("[tf2]", "https://github.com/a/b", "code", "TensorFlow"),
    ("[Theano]", "https://github.com/a/b", "code", "Theano"),
    ("[Torchnet]", "https://github.com/a/b", "code", "Torchnet"),
    ("[Torch]", "https://github.com/harvardnlp/seq2seq-attn", "code", "Torch7"),
    ("[Caffe]", "https://github.com/a/b", "code", "Caffe"),
    ("[Caffe2]", "https://github.com/a/b", "code", "Caffe2"),
    ("[JAX]", "https://github.com/a/b", "code", "JAX"),
    ("[MindSpore]", "https://gitee.com/mindspore/models", "code", "MindSpore"),
    ("[Code]", "https://github.com/a/b", "code", None),
    ("[code]", "https://example.org/x", "code", None),
    ("[Code1]", "https://github.com/a/b", "code", None),
    ("[Code2]", "https://gitlab.com/a/b", "code", None),
    ("[Speed Measure code]", "https://github.com/yzhangcs/parser", "code", None),
    ("[Link]", "https://github.com/lixin4ever/Conference-Acceptance-Rate", "code", None),
    ("[Link]", "https://aideadlin.es/?sub=ML,CV,DM,SP", "other", None),
    ("[Supp]", "https://example.org/s.pdf", "supplement", None),
    ("[supp]", "https://example.org/s.zip", "supplement", None),
    ("[Supplementary Material]", "https://example.org/s", "supplement", None),
    ("[video]", "https://example.org/v", "video", None),
    ("", "https://www.youtube.com/watch?v=yBO8olcWHvE", "video", None),
    ("[poster]", "https://imirzadeh.me/dl/TAKD_poster.pdf", "poster", None),
    ("[slides]", "https://example.org/s.pdf", "slides", None),
    ("[ppt]", "https://example.org/s.pptx", "slides", None),
    ("[project]", "https://rl.uni-freiburg.de/", "project", None),
    ("[Project Page]", "https://example.org/", "project", None),
    ("[Homepage]", "https://example.org/", "project", None),
    ("[Blog]", "https://example.org/", "other", None),
    ("[2]", "https://example.org/", "other", None),
    ("[x]", "https://example.org/paper.pdf", "paper", None),
    ("[x]", "https://openreview.net/forum?id=abc", "paper", None),
]


@pytest.mark.parametrize(("label", "url", "kind", "framework"), LINKS)
def test_classify_link(label: str, url: str, kind: str, framework: str | None) -> None:
    assert nz.classify_link(label, url) == (kind, framework)


@pytest.mark.parametrize(("url", "repo"), [
    ("https://github.com/HobbitLong/RepDistiller", "github.com/hobbitlong/repdistiller"),
    ("https://github.com/MSR-LIT/XtremeDistil/", "github.com/msr-lit/xtremedistil"),
    ("https://github.com/huawei-noah/Data-Efficient-Model-Compression/tree/master/DAFL",
     "github.com/huawei-noah/data-efficient-model-compression"),
    ("https://www.github.com/a/b.git", "github.com/a/b"),
    ("https://github.com/a", None),
    ("https://example.org/a/b", None),
])
def test_code_repository(url: str, repo: str | None) -> None:
    assert nz.code_repository(url) == repo


@pytest.mark.parametrize(("text", "folded"), [("Pérez", "Perez"), ("Świrszcz", "Swirszcz"),
                                               ("Schönlieb", "Schonlieb"), ("知识", "知识")])
def test_ascii_fold(text: str, folded: str) -> None:
    assert nz.ascii_fold(text) == folded


# ------------------------------------------------------------------- shortcuts give what the long way gives

_SPACES = re.compile(r"\s+")
_PIECES = [*"ab ,.()[]\t\n\r\x0b\x0c\x1c\x85\xa0\u2003\u3000，；：（）é", "(oral)", "[TBD]", " (Spotlight)"]
_TEXT = st.lists(st.sampled_from(_PIECES), max_size=20).map("".join)


@settings(max_examples=400, deadline=None)
@given(_TEXT)
def test_clean_space_is_the_regex_substitution(text: str) -> None:
    assert nz.clean_space(text) == _SPACES.sub(" ", text.translate(nz._FULLWIDTH)).strip()


@settings(max_examples=400, deadline=None)
@given(_TEXT)
def test_clean_title_without_brackets_is_the_long_way(text: str) -> None:
    cleaned = nz.clean_space(text)
    notes = tuple(m.group(1) for m in nz._ANNOTATION.finditer(cleaned))
    assert nz.clean_title(text) == (nz.clean_space(nz._ANNOTATION.sub(" ", cleaned)).rstrip(" .,;:"), notes)


_URL = st.builds(
    "".join,
    st.tuples(
        st.sampled_from(["http://", "https://", "HTTPS://", "hhttps://", "ftp://", "//", "", " ",
                         "javascript:"]),
        st.sampled_from(["arxiv.org", "www.arxiv.org", "export.arxiv.org", "github.com", "a-b.c", "x",
                         "ArXiv.org", "a..b", "1.2.3.4", "h:80", "h:x", "[::1]", "ex.com.", "u@h", ""]),
        st.lists(st.sampled_from(["/", "/abs/1234.5678", "/abs/1234.5678v2", "/abs/x.pdf", "/pdf/1234.5678",
                                  ".pdf", "/x.", ".", "/a b", "\t", "?q=1", "#f", "%20", "é", "\x01", "/abs/",
                                  "/a/", "?", "#", "[", "]", "@", ":"]), max_size=4).map("".join),
        st.sampled_from(["", " ", "\n", "."]),
    ),
)


@settings(max_examples=600, deadline=None)
@given(_URL)
def test_normalize_url_shortcut(url: str) -> None:
    assert nz.normalize_url(url) == nz._normalize_url(url)


@settings(max_examples=600, deadline=None)
@given(_URL)
def test_split_is_urlsplit(url: str) -> None:
    nz._split.cache_clear()
    try:
        expected = urlsplit(url)
    except ValueError:
        expected = SplitResult("", "", url, "", "")
    assert nz._split(url) == expected


def test_records_pickle_to_equal_objects() -> None:
    link = Link(label="[paper]", url="https://arxiv.org/abs/1", url_original="x", kind="paper")
    for obj in (Identifier("arXiv", "1503.02531"), link, Venue("CVPR", 2020, "CVPR 2020", "conference"),
                Person("Ann Lee", "Lee, Ann"), Marks("top", True),
                Diagnostic("s", "f.md", 3, "code", "message", "info", True, (link,))):
        copy = pickle.loads(pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL))
        assert copy == obj and type(copy) is type(obj)
        # every field, in order: a field added to the class must be added to its __reduce__
        assert obj.__reduce__()[1] == tuple(getattr(obj, f.name) for f in dataclasses.fields(obj))
