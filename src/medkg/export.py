"""Serialisations of the graph: TriG, Turtle (the union), JSON-LD, N-Quads, and the formats
other tools read: GraphML and GEXF (one file), CSV, TSV and KGX TSV (a nodes and an edges file).

Every writer is deterministic: the same graph gives the same bytes, whatever the order in
which its triples were added or Python's hash seed.
"""

from __future__ import annotations

import json
import re
from typing import Any, AnyStr, overload

import pyoxigraph as ox
from rdflib import Dataset, Graph

from medkg.rdf import union
from medkg.resources import ONTOLOGY_DIR
from medkg.vocab import MEDKG, PREFIXES, RDF

#: Formats written as one text (to stdout or a file).
FILE_FORMATS = ("turtle", "trig", "jsonld", "nquads", "graphml", "gexf")
#: Formats written as several files (into a directory): file name → text.
DIRECTORY_FORMATS = ("csv", "tsv", "kgx")
FORMATS = FILE_FORMATS + DIRECTORY_FORMATS


@overload
def split_lines(text: str, keepends: bool = False) -> list[str]: ...
@overload
def split_lines(text: bytes, keepends: bool = False) -> list[bytes]: ...
def split_lines(text: str | bytes, keepends: bool = False) -> list[str] | list[bytes]:
    """``text`` cut at each "\\n" and nowhere else; a final newline ends the last line.

    N-Triples and N-Quads end a statement only at "\\n", and rdflib writes U+2028, U+0085,
    VT, FF, FS, GS and RS raw inside literals, where ``str.splitlines`` would cut a statement
    in two: every line-by-line reading of graph text goes through here.
    """
    if isinstance(text, str):
        return _split(text, "\n", keepends)
    return _split(text, b"\n", keepends)


def _split(text: AnyStr, newline: AnyStr, keepends: bool) -> list[AnyStr]:
    pieces = text.split(newline)  # the last: what follows the last newline, usually ""
    if keepends:
        pieces = [piece + newline for piece in pieces[:-1]] + pieces[-1:]
    return pieces if pieces[-1] else pieces[:-1]


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
    lines = split_lines(dataset.serialize(format="nquads"))
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


def jsonld_object(graph: Graph | Dataset) -> str:
    """One named graph as a JSON-LD graph object (``@id`` and ``@graph``, no ``@context``),
    compacted with the shipped context, as :func:`jsonld_segment` takes it; a dataset holding
    it alone (:func:`as_dataset`) may be given instead."""
    single = graph if isinstance(graph, Dataset) else as_dataset(graph)
    document = json.loads(single.serialize(format="json-ld", context=load_context()))
    document.pop("@context", None)
    nodes = document.get("@graph", [])
    named = next((n for n in nodes if isinstance(n, dict) and "@graph" in n), document)
    return json.dumps(_sorted_nodes(named), indent=2, sort_keys=True, ensure_ascii=False)


def jsonld_head() -> bytes:
    """How ``kg.jsonld`` starts: the shipped context, then its ``@graph`` array opens. The
    graph objects follow (:func:`jsonld_segment`, joined by :data:`JSONLD_SEPARATOR`), then
    :data:`JSONLD_FOOTER`: the document ``json.dumps(..., indent=2, sort_keys=True)`` would
    write, without holding it as one Python value."""
    context = json.dumps({"@context": load_context()}, indent=2, sort_keys=True)
    return (context.removesuffix("\n}") + ',\n  "@graph": [\n').encode()


def jsonld_segment(graph_object: str) -> bytes:
    """A graph object from :func:`jsonld_object`, indented as an item of ``@graph``."""
    return ("    " + graph_object.replace("\n", "\n    ")).encode()


JSONLD_SEPARATOR = b",\n"
JSONLD_FOOTER = b"\n  ]\n}\n"


def trig_block(nquads: str) -> bytes:
    """One named graph's N-Quads as a TriG block with medkg's prefixes, without the
    ``@prefix`` lines (:data:`TRIG_HEADER`): ``kg.trig`` is that header, then the blocks."""
    quads = ox.parse(nquads.encode(), format=ox.RdfFormat.N_QUADS)
    text = ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=PREFIXES) or b""
    return text.removeprefix(TRIG_HEADER)


def _trig_header() -> bytes:
    """The ``@prefix`` lines Oxigraph writes before any TriG data, in its own order."""
    sample = ox.Quad(ox.NamedNode(str(MEDKG)), _RDF_TYPE, _RDF_TYPE, ox.NamedNode(str(MEDKG)))
    text = ox.serialize([sample], format=ox.RdfFormat.TRIG, prefixes=PREFIXES) or b""
    return b"".join(line for line in split_lines(text, True) if line.startswith(b"@prefix "))


_RDF_TYPE = ox.NamedNode(str(RDF.type))
TRIG_HEADER = _trig_header()
#: ``kg.ttl`` starts with these lines; one triple per line follows, sorted.
TURTLE_HEADER = "".join(f"@prefix {p}: <{iri}> .\n" for p, iri in sorted(PREFIXES.items())).encode()
_NAMESPACES = sorted(PREFIXES.items(), key=lambda item: -len(item[1]))
_LOCAL_NAME = re.compile(r"([A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_-])?)?")


def turtle_lines(ntriples: bytes) -> list[bytes]:
    """N-Triples lines (as Oxigraph writes them) as Turtle lines with medkg's prefixes: the
    same triples, one per line, with each IRI shortened where Turtle allows it."""
    return [_turtle_line(line) for line in split_lines(ntriples.decode())]


def _turtle_line(line: str) -> bytes:
    subject, predicate, rest = line.split(" ", 2)
    if rest.startswith("<"):
        rest = _prefixed(rest.removesuffix(" .")) + " ."
    elif rest.endswith("> .") and '"^^<' in rest:  # a typed literal: shorten its datatype
        text, _, datatype = rest.removesuffix(" .").rpartition("^^")
        rest = f"{text}^^{_prefixed(datatype)} ."
    return f"{_prefixed(subject)} {_prefixed(predicate)} {rest}\n".encode()


def _prefixed(term: str) -> str:
    """``<iri>`` as ``prefix:local`` if a medkg prefix covers it and the rest is a safe local
    name; any other term as it is."""
    if term.startswith("<"):
        iri = term[1:-1]
        for prefix, namespace in _NAMESPACES:
            if iri.startswith(namespace) and _LOCAL_NAME.fullmatch(iri[len(namespace) :]):
                return f"{prefix}:{iri[len(namespace) :]}"
    return term


# The graph formats import networkx (0.4 s) where they are used: the build imports this module
# for its serialisers and must not wait for it.


def to_graphml(dataset: Dataset) -> str:
    """Concepts and relations, with their evidence, as GraphML (see :mod:`medkg.tables`)."""
    from medkg import tables
    from medkg.traverse import to_networkx

    return tables.to_graphml(to_networkx(union(dataset)))


def to_gexf(dataset: Dataset) -> str:
    """Concepts and relations, with their evidence, as GEXF (see :mod:`medkg.tables`)."""
    from medkg import tables
    from medkg.traverse import to_networkx

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
    from medkg import kgx, tables
    from medkg.traverse import to_networkx

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
