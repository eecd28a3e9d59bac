"""Reading a finished build back: the graph that queries, cards and traversal read."""

from __future__ import annotations

from pathlib import Path

from rdflib import Dataset
from rdflib.exceptions import ParserError

from medkg.rdf import new_dataset

GRAPH_FILE = "kg.trig"

_FORMATS = {".trig": "trig", ".ttl": "turtle", ".nq": "nquads", ".jsonld": "json-ld", ".nt": "nt"}


class StoreError(RuntimeError):
    """No graph to read, or a graph file that does not parse; the message says what to do."""


def open_dataset(build_dir: Path) -> Dataset:
    """The dataset of the last good build in ``build_dir``."""
    path = build_dir / GRAPH_FILE
    if not path.is_file():
        raise StoreError(f"{path}: no graph yet; run `medkg build` first")
    return read_graph_file(path)


def read_graph_file(path: Path) -> Dataset:
    """Parse an RDF file by its extension (.trig, .ttl, .nq, .nt, .jsonld)."""
    fmt = _FORMATS.get(path.suffix)
    if fmt is None:
        known = ", ".join(sorted(_FORMATS))
        raise StoreError(f"{path}: unknown RDF file type {path.suffix!r} (known: {known})")
    dataset = new_dataset()
    try:
        if fmt in {"turtle", "nt"}:
            dataset.default_graph.parse(path, format=fmt)
        else:
            dataset.parse(path, format=fmt)
    except (ParserError, SyntaxError, ValueError) as error:
        raise StoreError(f"{path}: cannot parse as {fmt}: {error}") from error
    return dataset
