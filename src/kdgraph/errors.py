"""The one exception kdgraph raises for bad input: a one-line message saying what, where and what to do."""

from __future__ import annotations


class KdgraphError(Exception):
    """Bad input or environment. ``str(error)`` is the one-line message shown to the user."""
