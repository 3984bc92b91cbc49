"""Minting: the one place where kdgraph's URIs are made (the scheme is documented in docs/model.md).

Every IRI is made from the thing's own identifying text — never from a position or a line number — so
URIs do not change when a list is reordered, grows, or another list is added.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from urllib.parse import quote

from .normalize import ascii_fold
from .vocab import DEFAULT_BASE

MAX_SLUG = 80
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=1 << 16)
def slug(text: str) -> str:
    """ASCII, lower-case, ``-``-separated; long slugs are cut and suffixed with a short hash."""
    s = _NOT_SLUG.sub("-", (text if text.isascii() else ascii_fold(text)).lower()).strip("-")
    if not s:
        s = "x" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]
    if len(s) > MAX_SLUG:
        digest = hashlib.sha1(s.encode("ascii")).hexdigest()[:8]
        cut = s[:72]
        cut = cut[: cut.rfind("-")] if "-" in cut else cut
        s = f"{cut}-{digest}"
    return s


class Minter:
    """Makes the IRIs of one graph under a base (default ``https://w3id.org/kdgraph/``)."""

    def __init__(self, base: str = DEFAULT_BASE) -> None:
        if not re.match(r"^https?://[^\s]+/$", base):
            raise ValueError(f"URI base {base!r} must be an http(s) IRI ending with '/'")
        self.base = base

    def paper(self, key: str) -> str:
        return f"{self.base}paper/{slug(key)}"

    def authors(self, paper_iri: str) -> str:
        return f"{paper_iri}/authors"

    def person(self, key: str) -> str:
        return f"{self.base}person/{slug(key)}"

    def series(self, name: str) -> str:
        return f"{self.base}venue/{slug(name)}"

    def event(self, name: str, year: int, workshop: bool = False) -> str:
        iri = f"{self.series(name)}/{year}"
        return f"{iri}/workshop" if workshop else iri

    def code(self, key: str) -> str:
        """``B/code/github.com/owner/repo``: host, owner and repository, lower-cased."""
        parts = [re.sub(r"[^a-z0-9._-]+", "-", ascii_fold(p).lower()).strip("-.") for p in
                 key.split("/") if p]
        return f"{self.base}code/{'/'.join(p for p in parts if p)}"

    def identifier(self, scheme: str, value: str) -> str:
        return f"{self.base}id/{slug(scheme)}/{quote(value, safe='.-_~')}"

    def topic(self, name: str) -> str:
        return f"{self.base}topic/{slug(name)}"

    def framework(self, name: str) -> str:
        return f"{self.base}framework/{slug(name)}"

    def resource(self, key: str) -> str:
        return f"{self.base}resource/{slug(key)}"

    def source_list(self, source_id: str) -> str:
        return f"{self.base}list/{source_id}"

    def list_item(self, source_id: str, paper_slug: str, occurrence: int) -> str:
        suffix = f"-{occurrence}" if occurrence > 1 else ""
        return f"{self.base}list/{source_id}/item/{paper_slug}{suffix}"

    def graph(self, name: str) -> str:
        return f"{self.base}graph/{name}"

    @property
    def dataset(self) -> str:
        return f"{self.base}dataset"

    @property
    def ontology(self) -> str:
        return f"{self.base}ontology"

    @property
    def topic_scheme(self) -> str:
        return f"{self.base}topic"

    @property
    def framework_scheme(self) -> str:
        return f"{self.base}framework"
