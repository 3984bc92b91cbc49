"""What each page shows: the graph's facts about a thing and the things that point to it, gathered into
plain values for the templates (which only lay them out).

Links are made relative to the page being written (:class:`Here`), so the site works from any folder,
from ``file://`` and under the URI base alike.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from markupsafe import Markup, escape

from .graph import (
    BIBO,
    DCAT,
    DCT,
    FRAMEWORK_SCHEME,
    KD,
    OWL,
    RDF,
    RDFS,
    SDO,
    SKOS,
    TOPIC_SCHEME,
    TYPE,
    VOID,
    XSD_STRING,
    BNode,
    Graph,
    Lit,
    Term,
    compact,
    defrag,
    local_name,
)

PAPER = SDO + "ScholarlyArticle"
PROV = "http://www.w3.org/ns/prov#"
ORDINAL = re.compile(r"^" + re.escape(RDF) + r"_(\d+)$")


def sort_text(text: str) -> str:
    return text.casefold()


def year_of(term: Term | None) -> int | None:
    if isinstance(term, Lit) and re.match(r"^-?\d{1,4}", term.value):
        return int(re.match(r"^-?\d{1,4}", term.value).group(0))  # type: ignore[union-attr]
    return None


@dataclass(slots=True)
class PaperInfo:
    iri: str
    title: str
    year: int | None
    authors: list[str]
    event: str | None
    series: str | None
    periodical: str | None
    code: list[str]
    frameworks: list[str]
    topics: list[str]
    inferred: set[str]
    urls: list[str]
    items: list[str] = field(default_factory=list)

    @property
    def venue(self) -> str | None:
        """The event the paper was presented at, else the journal it is part of."""
        return self.event or self.periodical

    @property
    def key(self) -> tuple[int, str, str]:
        return (self.year or 0, sort_text(self.title), self.iri)


class Here:
    """Links as seen from one page of the site (its folder ``path``; ``""`` is the home page)."""

    def __init__(self, site: SiteModel, path: str) -> None:
        self.site = site
        self.path = path
        self.up = "../" * (path.count("/") + 1 if path else 0)

    def page(self, path: str, fragment: str = "") -> str:
        """Relative URL of the page in folder ``path``."""
        target = (quote(path, safe="/-._~") + "/index.html") if path else "index.html"
        return self.up + target + (f"#{quote(fragment, safe='-._~')}" if fragment else "")

    def file(self, path: str) -> str:
        """Relative URL of a file of the site."""
        return self.up + quote(path, safe="/-._~")

    def href(self, iri: str) -> str | None:
        """Where a link to ``iri`` goes: its page on this site, a file of the site, or the web."""
        site = self.site
        base_iri = defrag(iri)
        if base_iri in site.page_of:
            fragment = iri[len(base_iri) + 1:] if "#" in iri else ""
            return self.page(site.page_of[base_iri], fragment)
        if iri in site.file_of:
            return self.file(site.file_of[iri])
        if iri.startswith(("http://", "https://")):
            return iri
        return None

    def a(self, iri: Term, text: str | None = None, cls: str = "") -> Markup:
        """A link to a term: internal pages by their label, the web by the IRI (or ``text``)."""
        if isinstance(iri, Lit):
            return Markup(escape(iri.value))
        if isinstance(iri, BNode):
            return Markup(escape(f"_:{iri}"))
        href = self.href(iri)
        label = text if text is not None else self.site.label(iri)
        if href is None:
            return Markup(escape(label))
        external = href.startswith(("http://", "https://"))
        attrs = f' class="{escape(cls)}"' if cls else ""
        if external:
            attrs += ' rel="external"'
        return Markup(f'<a href="{escape(href)}"{attrs}>{escape(label)}</a>')

    def term(self, term: Term) -> Markup:
        """A value of the statements table: a link, or a literal with its datatype or language."""
        if isinstance(term, Lit):
            note = ""
            if term.lang:
                note = f' <span class="dt">@{escape(term.lang)}</span>'
            elif term.datatype != XSD_STRING:
                note = f' <span class="dt">{escape(compact(term.datatype, self.site.base))}</span>'
            return Markup(f'<span class="lit">{escape(term.value)}</span>{note}')
        if isinstance(term, str) and not isinstance(term, BNode) and self.href(term) is not None \
                and defrag(term) not in self.site.page_of and term not in self.site.file_of:
            return self.a(term, compact(term, self.site.base))
        return self.a(term)

    def prop(self, iri: str) -> Markup:
        """A property or class name, linked to its definition."""
        return self.a(iri, compact(iri, self.site.base))


class SiteModel:
    """The graph, the pages of the site and the derived facts every page needs."""

    def __init__(self, graph: Graph, base: str, page_of: dict[str, str], file_of: dict[str, str],
                 data: list[tuple[str, str, Term]] | None = None) -> None:
        self.g = graph
        self.data = graph.triples if data is None else data
        """The triples of the data graph alone (without the dataset description and the ontology)."""
        self.used_properties: Counter[str] = Counter(p for _, p, _ in self.data)
        self.used_classes: Counter[str] = Counter(
            o for _, p, o in self.data if p == TYPE and isinstance(o, str))
        self.used_objects: Counter[str] = Counter(o for _, _, o in self.data if isinstance(o, str))
        self.base = base
        self.page_of = page_of
        self.file_of = file_of
        self._labels: dict[str, str] = {}
        self.papers: dict[str, PaperInfo] = {p: self._paper(p) for p in graph.of_type(PAPER)}
        for info in self.papers.values():
            for item in graph.subjects(SDO + "item", info.iri):
                info.items.append(item)
            info.items.sort()
        self.by_author: dict[str, list[PaperInfo]] = defaultdict(list)
        self.by_topic: dict[str, list[PaperInfo]] = defaultdict(list)
        self.by_event: dict[str, list[PaperInfo]] = defaultdict(list)
        self.by_series: dict[str, list[PaperInfo]] = defaultdict(list)
        self.by_code: dict[str, list[PaperInfo]] = defaultdict(list)
        for info in sorted(self.papers.values(), key=lambda i: i.key):
            for person in dict.fromkeys(info.authors):
                self.by_author[person].append(info)
            for topic in info.topics:
                self.by_topic[topic].append(info)
            if info.event:
                self.by_event[info.event].append(info)
            if info.series or info.periodical:
                self.by_series[info.series or info.periodical or ""].append(info)
            for code in info.code:
                self.by_code[code].append(info)

    # ----------------------------------------------------------------------------------- labels

    def label(self, iri: str) -> str:
        if iri not in self._labels:
            self._labels[iri] = self._label(iri)
        return self._labels[iri]

    def _label(self, iri: str) -> str:
        g = self.g
        for p in (SDO + "name", SKOS + "prefLabel", DCT + "title", RDFS + "label"):
            text = g.text(iri, p)
            if text:
                return text
        if g.has_type(iri, SDO + "ListItem"):
            lists = g.subjects(SDO + "itemListElement", iri)
            item = g.value(iri, SDO + "item")
            position = g.text(iri, SDO + "position") or "?"
            where = self.label(lists[0]) if lists else "list"
            what = self.label(item) if isinstance(item, str) else "?"
            return f"{what} (item {position} of {where})"
        if g.has_type(iri, SDO + "PropertyValue"):
            return f"{g.text(iri, SDO + 'propertyID') or 'id'} {g.text(iri, SDO + 'value') or ''}".strip()
        if g.has_type(iri, RDF + "Seq"):
            papers = g.subjects(BIBO + "authorList", iri)
            return f"Authors of “{self.label(papers[0])}”" if papers else "Author list"
        if g.has_type(iri, SDO + "SoftwareSourceCode"):
            repo = next(iter(g.iris(iri, SDO + "codeRepository")), None)
            if repo:
                return repo.split("://", 1)[-1].rstrip("/")
        cls = g.value(iri, VOID + "class")
        if isinstance(cls, str):
            return f"Class partition: {compact(cls, self.base)}"
        if g.has_type(iri, DCAT + "Distribution"):
            url = g.value(iri, DCAT + "downloadURL")
            return f"Distribution: {local_name(url) if isinstance(url, str) else local_name(iri)}"
        if iri.startswith(KD):
            return f"kd:{iri[len(KD):]}"
        return compact(iri, self.base)

    # ----------------------------------------------------------------------------------- papers

    def _paper(self, p: str) -> PaperInfo:
        g = self.g
        ordered: list[tuple[int, str]] = []
        for seq in g.iris(p, BIBO + "authorList"):
            for prop, objs in g.spo.get(seq, {}).items():
                m = ORDINAL.match(prop)
                if m:
                    ordered += [(int(m.group(1)), o) for o in objs if isinstance(o, str)]
        authors = [person for _, person in sorted(ordered)]
        rest = sorted((a for a in g.iris(p, SDO + "author") if a not in authors), key=self._name_key)
        event = next(iter(g.iris(p, BIBO + "presentedAt")), None)
        periodical = next(iter(g.iris(p, SDO + "isPartOf")), None)
        code = sorted(g.iris(p, KD + "code"))
        frameworks = sorted({f for c in code for f in g.iris(c, SDO + "softwareRequirements")},
                            key=self._name_key)
        topics = sorted(g.iris(p, DCT + "subject"), key=self._name_key)
        return PaperInfo(
            iri=p, title=g.text(p, SDO + "name") or local_name(p),
            year=year_of(g.value(p, SDO + "datePublished")), authors=authors + rest,
            event=event, series=self.series_of(event) if event else None, periodical=periodical,
            code=code, frameworks=frameworks, topics=topics,
            inferred=set(g.iris(p, KD + "inferredSubject")),
            urls=sorted(g.iris(p, SDO + "url")))

    def _name_key(self, iri: str) -> tuple[str, str]:
        return (sort_text(self.label(iri)), iri)

    def series_of(self, event: str) -> str | None:
        seen = set()
        node: str | None = event
        while node and node not in seen:
            seen.add(node)
            if self.g.has_type(node, SDO + "EventSeries") or self.g.has_type(node, SDO + "Periodical"):
                return node
            node = next(iter(self.g.iris(node, SDO + "superEvent")), None)
        return None

    def sorted_papers(self, infos: list[PaperInfo] | None = None, *, newest_first: bool = False) -> list[
            PaperInfo]:
        items = list(self.papers.values()) if infos is None else infos
        key = (lambda i: (-(i.year or 0), sort_text(i.title), i.iri)) if newest_first else (lambda i: i.key)
        return sorted(items, key=key)

    def topics(self) -> list[str]:
        concepts = [c for c in self.g.of_type(SKOS + "Concept") if TOPIC_SCHEME in self.g.iris(
            c, SKOS + "inScheme")]
        return sorted(concepts, key=self._name_key)

    def frameworks(self) -> list[str]:
        concepts = [c for c in self.g.of_type(SKOS + "Concept") if FRAMEWORK_SCHEME in self.g.iris(
            c, SKOS + "inScheme")]
        return sorted(concepts, key=self._name_key)

    def people(self) -> list[str]:
        return sorted(self.g.of_type(SDO + "Person"), key=self._name_key)

    def series(self) -> list[str]:
        found = set(self.g.of_type(SDO + "EventSeries")) | set(self.g.of_type(SDO + "Periodical"))
        return sorted(found, key=self._name_key)

    def repositories(self) -> list[str]:
        return sorted(self.g.of_type(SDO + "SoftwareSourceCode"), key=self._name_key)

    def lists(self) -> list[str]:
        return sorted(self.g.of_type(SDO + "ItemList"), key=self._name_key)

    def years(self) -> list[int]:
        found = sorted({i.year for i in self.papers.values() if i.year is not None})
        return list(range(found[0], found[-1] + 1)) if found else []

    # ----------------------------------------------------------------------------------- kinds

    def kind(self, iri: str) -> str:
        g = self.g
        types = set(g.types(iri))
        if PAPER in types:
            return "paper"
        if SDO + "Person" in types:
            return "person"
        if SDO + "Event" in types:
            return "event"
        if types & {SDO + "EventSeries", SDO + "Periodical"}:
            return "venue"
        if SDO + "SoftwareSourceCode" in types:
            return "code"
        if SDO + "ItemList" in types:
            return "list"
        if SDO + "ListItem" in types:
            return "item"
        if SDO + "PropertyValue" in types:
            return "identifier"
        if RDF + "Seq" in types:
            return "authors"
        if SKOS + "ConceptScheme" in types:
            return "scheme"
        if SKOS + "Concept" in types:
            return "framework" if FRAMEWORK_SCHEME in g.iris(iri, SKOS + "inScheme") else "topic"
        if OWL + "Ontology" in types:
            return "ontology"
        if VOID + "Dataset" in types and iri == f"{self.base}dataset":
            return "dataset"
        return "resource"

    # ----------------------------------------------------------------------------------- statements

    def statements(self, iri: str) -> list[tuple[str, list[Term]]]:
        props = self.g.spo.get(iri, {})
        order = sorted(props, key=lambda p: (p != TYPE, self._ordinal(p), p))
        return [(p, sorted(props[p], key=self._value_key)) for p in order]

    def incoming(self, iri: str) -> list[tuple[str, list[str]]]:
        props = self.g.ops.get(iri, {})
        return [(p, sorted(props[p], key=self._value_key)) for p in sorted(props)]

    @staticmethod
    def _ordinal(p: str) -> int:
        m = ORDINAL.match(p)
        return int(m.group(1)) if m else 0

    def _value_key(self, term: Term) -> tuple[int, str, str]:
        if isinstance(term, Lit):
            return (1, term.value, term.datatype)
        return (0, sort_text(self.label(term)), term)

    # ----------------------------------------------------------------------------------- per kind

    def view(self, iri: str, kind: str) -> dict[str, Any]:
        """The template values of the page of ``iri``."""
        method = getattr(self, f"_view_{kind}", None)
        return method(iri) if method else {}

    def _view_paper(self, iri: str) -> dict[str, Any]:
        g = self.g
        info = self.papers[iri]
        identifiers = sorted(g.iris(iri, SDO + "identifier"), key=self._name_key)
        media = []
        for prop, what in ((KD + "supplement", "Supplement"), (SDO + "video", "Video"),
                           (KD + "poster", "Poster"), (KD + "slides", "Slides"),
                           (KD + "projectPage", "Project page"), (RDFS + "seeAlso", "See also")):
            media += [(what, o) for o in g.iris(iri, prop)]
        items = []
        for item in info.items:
            lists = g.subjects(SDO + "itemListElement", item)
            items.append({
                "iri": item, "list": lists[0] if lists else None,
                "section": g.text(item, KD + "section"), "position": g.text(item, SDO + "position"),
                "line": g.text(item, KD + "sourceLine"), "priority": g.value(item, KD + "priority"),
                "read": g.text(item, KD + "read") == "true"})
        return {"info": info, "identifiers": identifiers, "media": media, "items": items,
                "same_as": sorted(g.iris(iri, SDO + "sameAs")), "doi": g.text(iri, BIBO + "doi"),
                "citation": self.citation(info),
                "code": [(c, g.iris(c, SDO + "codeRepository"), g.iris(c, SDO + "softwareRequirements"))
                         for c in info.code]}

    def citation(self, info: PaperInfo) -> list[tuple[str, str]]:
        """Highwire Press ``citation_*`` meta tags, the ones Google Scholar reads."""
        g = self.g
        tags = [("citation_title", info.title)]
        tags += [("citation_author", self.label(a)) for a in info.authors]
        if info.year:
            tags.append(("citation_publication_date", str(info.year)))
        if info.event:
            series = info.series
            name = g.text(series, SDO + "name") if series else None
            tags.append(("citation_conference_title", name or self.label(info.event)))
        elif info.periodical:
            tags.append(("citation_journal_title", self.label(info.periodical)))
        doi = g.text(info.iri, BIBO + "doi")
        if doi:
            tags.append(("citation_doi", doi))
        pdf = self.pdf_url(info)
        if pdf:
            tags.append(("citation_pdf_url", pdf))
        if info.urls:
            tags.append(("citation_abstract_html_url", info.urls[0]))
        return tags

    def pdf_url(self, info: PaperInfo) -> str | None:
        for url in info.urls:
            path = url.split("?", 1)[0].split("#", 1)[0]
            if path.lower().endswith(".pdf") or "openreview.net/pdf" in url or "arxiv.org/pdf/" in url:
                return url
        for ident in self.g.iris(info.iri, SDO + "identifier"):
            if (self.g.text(ident, SDO + "propertyID") or "").lower() == "arxiv":
                value = self.g.text(ident, SDO + "value")
                if value:
                    return f"https://arxiv.org/pdf/{value}"
        return None

    def _view_person(self, iri: str) -> dict[str, Any]:
        papers = self.by_author.get(iri, [])
        coauthors: Counter[str] = Counter()
        topics: Counter[str] = Counter()
        for info in papers:
            coauthors.update(a for a in dict.fromkeys(info.authors) if a != iri)
            topics.update(info.topics)
        return {"papers": papers,
                "coauthors": sorted(coauthors.items(), key=lambda kv: (-kv[1], self._name_key(kv[0]))),
                "topics": sorted(topics.items(), key=lambda kv: (-kv[1], self._name_key(kv[0]))),
                "names": sorted(o.value for o in self.g.objects(iri, SDO + "alternateName")
                                if isinstance(o, Lit))}

    def _view_event(self, iri: str) -> dict[str, Any]:
        g = self.g
        workshops = sorted(g.subjects(SDO + "superEvent", iri), key=self._name_key)
        return {"papers": self.by_event.get(iri, []), "series": self.series_of(iri),
                "parents": g.iris(iri, SDO + "superEvent"), "workshops": workshops,
                "year": year_of(g.value(iri, SDO + "startDate"))}

    def _view_venue(self, iri: str) -> dict[str, Any]:
        g = self.g
        papers = self.by_series.get(iri, [])
        events = [e for e in g.of_type(SDO + "Event") if self.series_of(e) == iri]
        by_year: dict[int | None, list[PaperInfo]] = defaultdict(list)
        for info in papers:
            by_year[info.year].append(info)
        events_of_year: dict[int | None, list[str]] = defaultdict(list)
        for e in events:
            events_of_year[year_of(g.value(e, SDO + "startDate"))].append(e)
        years = sorted(set(by_year) | set(events_of_year), key=lambda y: -(y or 0))
        return {"papers": papers, "years": [
            (y, sorted(events_of_year.get(y, []), key=self._name_key), by_year.get(y, [])) for y in years],
            "names": sorted(o.value for o in g.objects(iri, SDO + "alternateName") if isinstance(o, Lit)),
            "periodical": g.has_type(iri, SDO + "Periodical")}

    def _view_topic(self, iri: str) -> dict[str, Any]:
        g = self.g
        papers = self.by_topic.get(iri, [])
        frameworks: Counter[str] = Counter(f for info in papers for f in info.frameworks)
        per_year = Counter(info.year for info in papers if info.year)
        return {"papers": self.sorted_papers(papers, newest_first=True),
                "definition": g.text(iri, SKOS + "definition"),
                "alt": sorted(o.value for o in g.objects(iri, SKOS + "altLabel") if isinstance(o, Lit)),
                "broader": sorted(g.iris(iri, SKOS + "broader"), key=self._name_key),
                "narrower": sorted(g.iris(iri, SKOS + "narrower"), key=self._name_key),
                "schemes": g.iris(iri, SKOS + "inScheme"),
                "frameworks": sorted(frameworks.items(), key=lambda kv: (-kv[1], self._name_key(kv[0]))),
                "with_code": sum(1 for info in papers if info.code),
                "per_year": sorted(per_year.items())}

    def _view_framework(self, iri: str) -> dict[str, Any]:
        g = self.g
        repos = sorted(g.subjects(SDO + "softwareRequirements", iri), key=self._name_key)
        return {"definition": g.text(iri, SKOS + "definition"),
                "alt": sorted(o.value for o in g.objects(iri, SKOS + "altLabel") if isinstance(o, Lit)),
                "see_also": g.iris(iri, RDFS + "seeAlso"), "schemes": g.iris(iri, SKOS + "inScheme"),
                "repos": [(r, g.iris(r, SDO + "codeRepository"), self.by_code.get(r, [])) for r in repos]}

    def _view_scheme(self, iri: str) -> dict[str, Any]:
        g = self.g
        concepts = sorted(set(g.iris(iri, SKOS + "hasTopConcept")) | set(g.subjects(SKOS + "inScheme", iri)),
                          key=self._name_key)
        rows = []
        for c in concepts:
            if iri == FRAMEWORK_SCHEME:
                repos = g.subjects(SDO + "softwareRequirements", c)
                count = len({p.iri for r in repos for p in self.by_code.get(r, [])})
            else:
                count = len(self.by_topic.get(c, []))
            rows.append((c, g.text(c, SKOS + "definition"), count))
        return {"concepts": rows, "definition": g.text(iri, SKOS + "definition"),
                "comment": g.text(iri, RDFS + "comment"), "frameworks": iri == FRAMEWORK_SCHEME}

    def _view_code(self, iri: str) -> dict[str, Any]:
        g = self.g
        return {"papers": self.by_code.get(iri, []), "repos": g.iris(iri, SDO + "codeRepository"),
                "frameworks": g.iris(iri, SDO + "softwareRequirements")}

    def _view_list(self, iri: str) -> dict[str, Any]:
        g = self.g
        items: list[dict[str, Any]] = []
        for member in g.iris(iri, SDO + "itemListElement"):
            position = g.text(member, SDO + "position")
            items.append({
                "iri": member, "position": int(position) if position and position.isdigit() else 0,
                "item": g.value(member, SDO + "item"), "section": g.text(member, KD + "section") or "",
                "line": g.text(member, KD + "sourceLine"), "priority": g.value(member, KD + "priority"),
                "read": g.text(member, KD + "read") == "true"})
        items.sort(key=lambda i: (i["position"], i["iri"]))
        sections: list[tuple[str, list[dict[str, Any]]]] = []
        for entry in items:
            if not sections or sections[-1][0] != entry["section"]:
                sections.append((entry["section"], []))
            sections[-1][1].append(entry)
        return {"sections": sections, "count": len(items), "origin": g.iris(iri, SDO + "url"),
                "hash": g.text(iri, KD + "contentHash"), "papers": self.papers,
                "read": sum(1 for i in items if i["read"]),
                "priority": sum(1 for i in items if i["priority"])}

    def _view_item(self, iri: str) -> dict[str, Any]:
        g = self.g
        item = g.value(iri, SDO + "item")
        return {"lists": g.subjects(SDO + "itemListElement", iri), "item": item,
                "info": self.papers.get(item) if isinstance(item, str) else None,
                "section": g.text(iri, KD + "section"), "position": g.text(iri, SDO + "position"),
                "line": g.text(iri, KD + "sourceLine"), "priority": g.value(iri, KD + "priority"),
                "read": g.text(iri, KD + "read")}

    def _view_identifier(self, iri: str) -> dict[str, Any]:
        g = self.g
        papers = [self.papers[p] for p in g.subjects(SDO + "identifier", iri) if p in self.papers]
        return {"scheme": g.text(iri, SDO + "propertyID"), "value": g.text(iri, SDO + "value"),
                "papers": self.sorted_papers(papers)}

    def _view_authors(self, iri: str) -> dict[str, Any]:
        members = [(self._ordinal(p), o) for p, objs in self.g.spo.get(iri, {}).items() for o in objs
                   if ORDINAL.match(p)]
        return {"members": sorted(members), "papers": self.g.subjects(BIBO + "authorList", iri)}

    def _view_resource(self, iri: str) -> dict[str, Any]:
        g = self.g
        items = g.subjects(SDO + "item", iri)
        return {"items": sorted(items, key=self._name_key), "urls": g.iris(iri, SDO + "url")}

    def _view_dataset(self, iri: str) -> dict[str, Any]:
        g = self.g
        parts = []
        for part in g.iris(iri, VOID + "classPartition"):
            cls = g.value(part, VOID + "class")
            parts.append((part, cls, g.text(part, VOID + "entities")))
        parts.sort(key=lambda row: (-int(row[2] or 0), str(row[1])))
        dists = []
        for dist in g.iris(iri, DCAT + "distribution"):
            url = g.value(dist, DCAT + "downloadURL")
            media = g.value(dist, DCAT + "mediaType")
            dists.append((dist, url, media.rsplit("/media-types/", 1)[-1] if isinstance(media, str) else "",
                          g.text(dist, DCAT + "byteSize")))
        dists.sort(key=lambda row: str(row[1]))
        subsets = [(s, g.text(s, DCT + "title"), g.iris(s, DCT + "source"), g.text(s, VOID + "triples"),
                    g.iris(s, PROV + "wasDerivedFrom")) for s in g.iris(iri, VOID + "subset")]
        return {"description": g.text(iri, DCT + "description"),
                "data_version": g.text(iri, DCT + "hasVersion"), "rights": g.text(iri, DCT + "rights"),
                "triples": g.text(iri, VOID + "triples"), "entities": g.text(iri, VOID + "entities"),
                "parts": parts, "dists": dists, "subsets": sorted(subsets),
                "vocabularies": sorted(g.iris(iri, VOID + "vocabulary"))}

    def _view_ontology(self, iri: str) -> dict[str, Any]:
        g = self.g
        terms = sorted({s for s, _, _ in g.triples if isinstance(s, str) and s.startswith(iri + "#")})
        classes, properties, individuals = [], [], []
        for t in terms:
            types = set(g.types(t))
            row = {
                "iri": t, "name": t.split("#", 1)[1], "label": g.text(t, RDFS + "label"),
                "comment": g.text(t, RDFS + "comment"), "types": sorted(types),
                "domain": g.iris(t, RDFS + "domain"), "range": g.iris(t, RDFS + "range"),
                "broader": sorted(g.iris(t, RDFS + "subPropertyOf") + g.iris(t, RDFS + "subClassOf")),
                "inverse": g.iris(t, OWL + "inverseOf"), "used": self.usage(t)}
            if OWL + "Class" in types or RDFS + "Class" in types:
                classes.append(row)
            elif types & {OWL + "ObjectProperty", OWL + "DatatypeProperty", OWL + "AnnotationProperty",
                          RDF + "Property"}:
                properties.append(row)
            else:
                individuals.append(row)
        return {"description": g.text(iri, DCT + "description"),
                "onto_version": g.text(iri, OWL + "versionInfo"), "classes": classes,
                "properties": properties, "individuals": individuals,
                "schemes": [s for s in (TOPIC_SCHEME, FRAMEWORK_SCHEME) if s in self.page_of],
                "used_properties": sorted(self.used_properties.items()),
                "used_classes": sorted(self.used_classes.items())}

    def usage(self, term: str) -> int:
        """How many statements of the data use ``term`` as property or as object."""
        return self.used_properties.get(term, 0) + self.used_objects.get(term, 0)
