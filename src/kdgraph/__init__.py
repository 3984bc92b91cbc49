"""kdgraph: knowledge-distillation reading lists as one linked-data graph."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("kdgraph")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0+unknown"
