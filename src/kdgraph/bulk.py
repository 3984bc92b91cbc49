"""Working with millions of small objects: the build's triples are tuples of strings, which form no
reference cycles, so the cyclic garbage collector has nothing to find in them — but each collection
that an allocation triggers walks them all again. :func:`gc_paused` switches it off meanwhile."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection inside the block (reference counting still frees memory)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
