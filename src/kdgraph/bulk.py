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


def release_free_memory() -> None:
    """Hand memory freed since to the operating system (glibc's ``malloc_trim``; elsewhere nothing).

    Memory freed in another thread's malloc arena (validation's in-memory store, loaded in a thread)
    stays mapped to the process until trimmed, and the store's bulk loader, started next, would add
    its own on top of it."""
    import ctypes
    import sys

    if not sys.platform.startswith("linux"):
        return
    try:
        trim = ctypes.CDLL(None).malloc_trim  # the C library the interpreter runs on
    except (OSError, AttributeError):  # not glibc (musl has no malloc_trim)
        return
    trim(0)
