"""Where kdgraph's own files are: the ontology, the SHACL shapes and the canned queries.

In a source checkout they are the top-level folders ``ontology/``, ``shapes/`` and ``queries/``; an
installed package carries the same folders as the sub-packages ``kdgraph.ontology``, ``kdgraph.shapes``
and ``kdgraph.queries`` (see ``[tool.setuptools]`` in pyproject.toml).
"""

from __future__ import annotations

from importlib.util import find_spec
from pathlib import Path

_CHECKOUT = Path(__file__).resolve().parents[2]


def project_dir(name: str) -> Path:
    """The folder ``name`` (``ontology``, ``shapes`` or ``queries``)."""
    local = _CHECKOUT / name
    if local.is_dir() and (_CHECKOUT / "pyproject.toml").is_file():
        return local
    spec = find_spec(f"kdgraph.{name}")  # a folder without __init__.py: a namespace package
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(f"kdgraph's {name}/ folder is missing — reinstall kdgraph")
    return Path(next(iter(spec.submodule_search_locations)))


def project_file(folder: str, name: str) -> Path:
    """A file of one of those folders, by plain file name (``project_file("ontology", "topics.ttl")``)."""
    if Path(name).name != name:
        raise ValueError(f"{name!r} is not a plain file name; give a name such as 'topics.ttl'")
    directory = project_dir(folder)
    path = directory / name
    if not path.is_file():
        known = ", ".join(sorted(p.name for p in directory.iterdir() if p.is_file())) or "none"
        raise FileNotFoundError(f"{path}: kdgraph's own file is missing (files there: {known}) — "
                                "reinstall kdgraph")
    return path
