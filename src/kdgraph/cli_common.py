"""What every command module of the CLI shares: click settings and the one-line error wrapper."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click

from .errors import KdgraphError

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn :class:`KdgraphError` into click's one-line error with exit code 1."""
    try:
        yield
    except KdgraphError as exc:
        raise click.ClickException(str(exc)) from exc
