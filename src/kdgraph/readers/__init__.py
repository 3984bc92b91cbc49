"""Readers: one per list convention, each turning a list's text into records and diagnostics.

A source in the registry names its reader; :data:`READERS` maps that name to the function.
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
