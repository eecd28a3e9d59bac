"""The data medkg ships: the ontology and shapes, the named queries, the curated registry.

They are package data, read with :mod:`importlib.resources`, so an installed medkg has them
with no checkout beside it. In the repository they live at the top (``ontology/``,
``queries/``, ``data/terminology/``, DESIGN.md's layout) and the package links to them.
"""

from importlib.resources import files
from pathlib import Path


def _shipped(name: str) -> Path:
    """A folder of package data as a path: pip installs packages as folders, never zipped, and
    globbing, rdflib and the build's fingerprint all read files by path."""
    folder = files("medkg") / name
    if not isinstance(folder, Path):
        raise RuntimeError(f"medkg's data must be installed as files, not inside {folder}")
    return folder


ONTOLOGY_DIR = _shipped("ontology")
QUERIES_DIR = _shipped("queries")
REGISTRY = _shipped("terminology")  # every *.tsv in it
