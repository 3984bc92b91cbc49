"""The static linked-data site of a build: a page per thing at a path that mirrors its URI.

:func:`build_site` writes ``out/site/`` from the dumps of ``kdgraph build``; :mod:`kdgraph.site.serve`
serves it on 127.0.0.1 with content negotiation. Templates (Jinja2) and the stylesheet ship beside the
code, in ``templates/`` and ``static/``.
"""

from __future__ import annotations

from .build import SITE_DIR, SiteReport, base_of, build_site

__all__ = ["SITE_DIR", "SiteReport", "base_of", "build_site"]
