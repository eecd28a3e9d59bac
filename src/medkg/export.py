"""Serialisations of the graph: TriG, Turtle (the union), JSON-LD, N-Quads, and the formats
other tools read: GraphML and GEXF (one file), CSV, TSV and KGX TSV (a nodes and an edges file).

Every writer is deterministic: the same graph gives the same bytes, whatever the order in
which its triples were added or Python's hash seed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Dataset, Graph

from medkg import kgx, tables
from medkg.rdf import union
from medkg.resources import ONTOLOGY_DIR
from medkg.stream import graph_order, write_nquads_file
from medkg.traverse import to_networkx
from medkg.vocab import PREFIXES

#: Formats written as one text (to stdout or a file).
FILE_FORMATS = ("turtle", "trig", "jsonld", "nquads", "graphml", "gexf")
#: Formats written as several files (into a directory): file name → text.
DIRECTORY_FORMATS = ("csv", "tsv", "kgx")
FORMATS = FILE_FORMATS + DIRECTORY_FORMATS


def load_context() -> dict[str, Any]:
    """The JSON-LD context shipped in ontology/context.jsonld (never fetched)."""
    with (ONTOLOGY_DIR / "context.jsonld").open(encoding="utf-8") as handle:
        context: dict[str, Any] = json.load(handle)["@context"]
    return context


def to_turtle(dataset: Dataset) -> str:
    """The union of all named graphs as Turtle (rdflib sorts subjects and predicates)."""
    return union(dataset).serialize(format="turtle")


def to_trig(dataset: Dataset) -> str:
    """Each article's named graph and the terminology graph, as TriG."""
    return dataset.serialize(format="trig")


def to_nquads(dataset: Dataset) -> str:
    """One quad per line, sorted: any store's bulk loader takes it."""
    lines = dataset.serialize(format="nquads").splitlines()
    return "\n".join(sorted(line for line in lines if line.strip())) + "\n"


def to_jsonld(dataset: Dataset) -> str:
    """Named graphs as JSON-LD, compacted with the shipped context, keys and nodes sorted."""
    text = dataset.serialize(format="json-ld", context=load_context(), auto_compact=True)
    document = json.loads(text)
    return json.dumps(_sorted_nodes(document), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def as_dataset(graph: Graph) -> Dataset:
    """A dataset holding ``graph`` as its one named graph: rdflib writes graph names (N-Quads,
    JSON-LD ``@graph`` objects) only for a dataset's graphs."""
    single = Dataset()
    target = single.graph(graph.identifier)
    for triple in graph:
        target.add(triple)
    return single


def jsonld_object(graph: Graph) -> str:
    """One named graph as a JSON-LD graph object (``@id`` and ``@graph``, no ``@context``),
    compacted with the shipped context, as :func:`assemble_jsonld` takes it."""
    document = json.loads(as_dataset(graph).serialize(format="json-ld", context=load_context()))
    document.pop("@context", None)
    nodes = document.get("@graph", [])
    named = next((n for n in nodes if isinstance(n, dict) and "@graph" in n), document)
    return json.dumps(_sorted_nodes(named), indent=2, sort_keys=True, ensure_ascii=False)


def assemble_jsonld(objects: list[str]) -> str:
    """A JSON-LD document of graph objects from :func:`jsonld_object`, in the given order,
    written as ``json.dumps(..., indent=2, sort_keys=True)`` would write the whole document,
    without holding it as one Python value."""
    context = json.dumps({"@context": load_context()}, indent=2, sort_keys=True)
    head = context.removesuffix("\n}") + ',\n  "@graph": [\n'
    body = ",\n".join("    " + text.replace("\n", "\n    ") for text in objects)
    return head + body + ("\n  ]\n}\n" if objects else "  ]\n}\n")


def dump_store(store: ox.Store, out: Path) -> list[Path]:
    """Write the store as ``kg.nq`` (named graphs), ``kg.trig`` (named graphs) and ``kg.ttl``
    (the default graph, the union) into ``out``, straight from Oxigraph's serialisers."""
    prefixes = dict(PREFIXES)
    write_nquads_file(store, out / "kg.nq")
    graphs = graph_order(store)
    quads = (q for g in graphs for q in store.quads_for_pattern(None, None, None, g))
    _write_bytes(out / "kg.trig", ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=prefixes))
    turtle = store.dump(format=ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph(), prefixes=prefixes)
    _write_bytes(out / "kg.ttl", turtle)
    return [out / "kg.nq", out / "kg.trig", out / "kg.ttl"]


def _write_bytes(path: Path, data: bytes | None) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(data or b"")
    temporary.chmod(0o644)
    temporary.replace(path)


def to_graphml(dataset: Dataset) -> str:
    """Concepts and relations, with their evidence, as GraphML (see :mod:`medkg.tables`)."""
    return tables.to_graphml(to_networkx(union(dataset)))


def to_gexf(dataset: Dataset) -> str:
    """Concepts and relations, with their evidence, as GEXF (see :mod:`medkg.tables`)."""
    return tables.to_gexf(to_networkx(union(dataset)))


def serialise(dataset: Dataset, fmt: str) -> str:
    """The dataset in one of :data:`FILE_FORMATS`.

    Raises:
        ValueError: for an unknown format, or one that writes several files.
    """
    writers = {
        "turtle": to_turtle,
        "trig": to_trig,
        "jsonld": to_jsonld,
        "nquads": to_nquads,
        "graphml": to_graphml,
        "gexf": to_gexf,
    }
    if fmt in DIRECTORY_FORMATS:
        raise ValueError(f"{fmt} writes several files: use serialise_files")
    if fmt not in writers:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return writers[fmt](dataset)


def serialise_files(dataset: Dataset, fmt: str) -> dict[str, str]:
    """The dataset in one of :data:`DIRECTORY_FORMATS`, as file name → text.

    ``csv`` and ``tsv`` give ``nodes.csv``/``edges.csv`` (``.tsv``); ``kgx`` gives KGX TSV's
    ``nodes.tsv`` and ``edges.tsv``.

    Raises:
        ValueError: for a format that is not a directory format.
    """
    graph = union(dataset)
    if fmt == "kgx":
        return kgx.to_kgx(graph)
    if fmt in {"csv", "tsv"}:
        return tables.to_delimited(to_networkx(graph), "," if fmt == "csv" else "\t")
    raise ValueError(f"{fmt!r} is not a directory format; choose one of {DIRECTORY_FORMATS}")


def _sorted_nodes(value: Any) -> Any:
    """Sort every JSON-LD array of node objects by @id, recursively."""
    if isinstance(value, dict):
        return {k: _sorted_nodes(v) for k, v in value.items()}
    if isinstance(value, list):
        items = [_sorted_nodes(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True))
    return value
