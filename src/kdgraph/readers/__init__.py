"""Readers: one per family of list conventions, each turning a list's text into records and diagnostics.

A source in the registry names its reader; :data:`READERS` maps that name to the function. The
``markdown`` reader recognises the common shapes of Markdown reading lists by their structure (bold or
linked titles, numbered citations, tables of papers, task items, framework code sections), so a new
list of a known shape is only a registry entry.
"""

from __future__ import annotations

from collections.abc import Callable

from ..records import ReadResult
from .markdown import read_markdown

Reader = Callable[..., ReadResult]

READERS: dict[str, Reader] = {
    "markdown": read_markdown,
}

__all__ = ["READERS", "Reader", "read_markdown"]
