"""N-Quads streamed straight from the Oxigraph store, one named graph at a time.

``medkg export --format nquads`` writes the store's named graphs without reading them into an
rdflib dataset first: at 10,000 articles that dataset is what made the export slow and large.
Only one graph's quads are held at a time (sorted there), so memory follows the largest graph,
not the whole build.

The output is what any store's bulk loader takes (Oxigraph, Jena's ``tdb2.tdbloader``, …), and
the same store always gives the same bytes:

- the graphs come in a fixed order: the article graphs by IRI, then the terminology graph, then
  any other named graph by IRI;
- within a graph the lines are sorted (as bytes, that is by code point);
- the default graph is not written: it is the set union of the named graphs, so a reader derives
  it (Jena: ``--set tdb:unionDefaultGraph=true``; a SPARQL store:
  ``INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }``).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from medkg.export import split_lines
from medkg.vocab import ARTICLE, TERMINOLOGY_GRAPH

__all__ = ["graph_order", "write_nquads", "write_nquads_file"]

GraphName = ox.NamedNode | ox.BlankNode


def _rank(graph: GraphName) -> tuple[int, str]:
    if isinstance(graph, ox.NamedNode):
        if graph.value.startswith(str(ARTICLE)):
            return 0, graph.value
        if graph.value == str(TERMINOLOGY_GRAPH):
            return 1, graph.value
        return 2, graph.value
    return 3, graph.value  # a blank node graph name: medkg writes none


def graph_order(store: ox.Store) -> list[GraphName]:
    """The store's named graphs in the order they are written: article graphs by IRI, the
    terminology graph, then any other named graph by IRI."""
    return sorted(store.named_graphs(), key=_rank)


def write_nquads(store: ox.Store, handle: IO[bytes], union: bool = False) -> int:
    """Write every named graph of ``store`` to ``handle`` as N-Quads, graph by graph.

    Args:
        store: an Oxigraph store (for example :func:`medkg.store.open_store`'s).
        handle: a binary file or stream (``sys.stdout.buffer``), written as UTF-8 N-Quads.
        union: also write the default graph, the union of the named graphs, last: for tools
            that query a file's default graph and cannot be told to take the union (Jena's
            ``arq --data``).

    Returns:
        The number of quads written.
    """
    written = 0
    for graph in [*graph_order(store), *([ox.DefaultGraph()] if union else [])]:
        written += write_graph(store, graph, handle)
    handle.flush()
    return written


def write_graph(store: ox.Store, graph: GraphName | ox.DefaultGraph, handle: IO[bytes]) -> int:
    """Write one graph of ``store`` as sorted N-Quads lines (the default graph's are also
    N-Triples, and TriG); the number of lines."""
    quads = store.quads_for_pattern(None, None, None, graph)
    data = ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""
    # N-Quads escapes line breaks inside literals, so each line is exactly one quad
    lines = sorted(split_lines(data, keepends=True))
    handle.writelines(lines)
    return len(lines)


def write_nquads_file(store: ox.Store, path: Path, union: bool = False) -> int:
    """:func:`write_nquads` into ``path``, through a temporary file renamed over it at the end,
    so that a reader never sees half an export and a failed one leaves ``path`` as it was.

    Returns:
        The number of quads written.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(
        "wb", dir=path.parent, prefix=f".{path.name}.", delete=False
    ) as handle:
        try:
            written = write_nquads(store, handle, union)
        except BaseException:
            handle.close()
            os.unlink(handle.name)
            raise
    os.chmod(handle.name, 0o644)  # mkstemp's 0600 would hide the export from other users
    os.replace(handle.name, path)
    return written
