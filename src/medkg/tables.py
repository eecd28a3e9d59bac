"""The networkx view as tables and property-graph files: CSV, TSV, GraphML, GEXF, pandas.

Each concept is a row of the nodes table and each asserted relation a row of the edges table,
with its evidence: one entry per statement in ``articles``, ``titles``, ``sections`` and
``sentences`` (entry *i* of each belongs to the same statement), ``evidence_count`` statements
from ``article_count`` articles, and the hedges and qualifiers the text used. In the data frames
multi-valued columns hold tuples; in files, whose cells must be strings or numbers, their
entries are joined with :data:`SEPARATOR`.

Rows are sorted (nodes by IRI, edges by source, relation and target), so two exports of the
same build are byte-identical.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

import networkx as nx

from medkg.traverse import EvidenceRef

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "EDGE_COLUMNS",
    "NODE_COLUMNS",
    "SEPARATOR",
    "edge_rows",
    "edges_frame",
    "flatten",
    "node_rows",
    "nodes_frame",
    "to_delimited",
    "to_gexf",
    "to_graphml",
]

#: Joins the entries of a multi-valued column in files. No sentence of the corpus contains it
#: (a test checks), so splitting a cell on it gives the entries back.
SEPARATOR = " | "

Cell = str | int | tuple[str, ...]
Row = dict[str, Cell]

NODE_COLUMNS = ("id", "label", "types", "synonyms", "codes")
EDGE_COLUMNS = (
    "source",
    "relation",
    "target",
    "source_label",
    "target_label",
    "evidence_count",
    "article_count",
    "articles",
    "titles",
    "sections",
    "sentences",
    "hedges",
    "qualifiers",
)


def node_rows(G: nx.MultiDiGraph) -> list[Row]:
    """One row per concept of a :func:`medkg.traverse.to_networkx` graph, sorted by IRI.

    Columns are :data:`NODE_COLUMNS`; ``types``, ``synonyms`` and ``codes`` are tuples.
    """
    return [
        {
            "id": str(node),
            "label": str(data.get("label", node)),
            "types": tuple(data.get("types", ())),
            "synonyms": tuple(data.get("synonyms", ())),
            "codes": tuple(data.get("codes", ())),
        }
        for node, data in sorted(G.nodes(data=True))
    ]


def edge_rows(G: nx.MultiDiGraph) -> list[Row]:
    """One row per asserted relation, sorted by source, relation and target.

    Columns are :data:`EDGE_COLUMNS`. ``articles`` (IRIs), ``titles``, ``sections`` and
    ``sentences`` hold one entry per supporting statement, in the same order; ``hedges`` and
    ``qualifiers`` hold the distinct words and phrases of all of them, sorted.

    Examples
    --------
    >>> row = next(r for r in edge_rows(to_networkx(graph))
    ...            if r["relation"] == "causes" and r["source_label"] == "anemia"
    ...            and r["target_label"] == "fatigue")
    >>> "leading to anemia and fatigue" in row["sentences"][0]
    True
    """
    labels = {str(node): str(data.get("label", node)) for node, data in G.nodes(data=True)}
    rows: list[Row] = []
    for source, target, relation, data in sorted(
        G.edges(keys=True, data=True), key=lambda e: (e[0], e[2], e[1])
    ):
        evidence: tuple[EvidenceRef, ...] = tuple(data.get("evidence", ()))
        rows.append(
            {
                "source": str(source),
                "relation": str(relation),
                "target": str(target),
                "source_label": labels[str(source)],
                "target_label": labels[str(target)],
                "evidence_count": len(evidence),
                "article_count": len({ref.article for ref in evidence}),
                "articles": tuple(ref.article for ref in evidence),
                "titles": tuple(ref.title for ref in evidence),
                "sections": tuple(ref.section for ref in evidence),
                "sentences": tuple(ref.sentence for ref in evidence),
                "hedges": _distinct(h for ref in evidence for h in ref.hedges),
                "qualifiers": _distinct(q for ref in evidence for q in ref.qualifiers),
            }
        )
    return rows


def nodes_frame(G: nx.MultiDiGraph) -> pd.DataFrame:
    """The nodes table as a pandas DataFrame (multi-valued columns hold tuples).

    Examples
    --------
    >>> frame = nodes_frame(to_networkx(graph))
    >>> frame.set_index("label").loc["anemia", "types"]
    ('Complication',)
    """
    import pandas as pd  # only the frames need pandas; the files do not

    return pd.DataFrame(node_rows(G), columns=list(NODE_COLUMNS))


def edges_frame(G: nx.MultiDiGraph) -> pd.DataFrame:
    """The edges table as a pandas DataFrame (multi-valued columns hold tuples).

    Examples
    --------
    >>> frame = edges_frame(to_networkx(graph))
    >>> list(frame.columns[:3])
    ['source', 'relation', 'target']
    >>> bool((frame.evidence_count >= 1).all())  # every edge has its sentence
    True
    """
    import pandas as pd

    return pd.DataFrame(edge_rows(G), columns=list(EDGE_COLUMNS))


def flatten(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of ``G`` whose attributes are strings and integers only, in sorted order.

    GraphML and GEXF hold no tuples or records: multi-valued attributes are joined with
    :data:`SEPARATOR`, and the evidence becomes the edge columns of :func:`edge_rows`. Edge
    keys are ``e0``, ``e1``, … in file order, because Gephi drops an edge whose
    id repeats; the relation is in ``relation`` and in ``label`` (what Gephi shows).
    """
    flat = nx.MultiDiGraph()
    for row in node_rows(G):
        flat.add_node(row["id"], **{k: _cell(v) for k, v in row.items() if k != "id"})
    # In the order networkx writes them (by source, then target), so ids count up in the file.
    rows = sorted(edge_rows(G), key=lambda r: (r["source"], r["target"], r["relation"]))
    for index, row in enumerate(rows):
        attributes = {k: _cell(v) for k, v in row.items() if k not in {"source", "target"}}
        flat.add_edge(row["source"], row["target"], key=f"e{index}", **attributes)
        flat.edges[row["source"], row["target"], f"e{index}"]["label"] = row["relation"]
    return flat


def to_graphml(G: nx.MultiDiGraph) -> str:
    """The graph as GraphML (Cytoscape, Gephi, yEd, igraph): see :func:`flatten` and
    :func:`xml_text`."""
    buffer = io.BytesIO()
    nx.write_graphml(_xml_safe(flatten(G)), buffer, prettyprint=True)
    return buffer.getvalue().decode("utf-8")


# networkx stamps GEXF files with today's date; the same build must give the same bytes.
_GEXF_DATE = re.compile(r' lastmodifieddate="[^"]*"')


def to_gexf(G: nx.MultiDiGraph) -> str:
    """The graph as GEXF 1.2 (Gephi): see :func:`flatten`.

    The ``lastmodifieddate`` that networkx writes (the day of the export) is left out; it is
    optional in GEXF.
    """
    buffer = io.BytesIO()
    nx.write_gexf(_xml_safe(flatten(G)), buffer, prettyprint=True)
    return _GEXF_DATE.sub("", buffer.getvalue().decode("utf-8"), count=1)


# what XML 1.0 cannot hold, even as a character reference
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_text(text: str) -> str:
    """``text`` as XML 1.0 can hold it: each control character it forbids (ESC, BEL, VT …)
    written as its Python escape (``\\x1b``); everything else, line separators and bidi
    controls included, as it is."""
    return _NOT_XML.sub(lambda match: repr(match.group())[1:-1], text)


def _xml_safe(flat: nx.MultiDiGraph) -> nx.MultiDiGraph:
    for _, data in flat.nodes(data=True):
        data.update((k, xml_text(v)) for k, v in data.items() if isinstance(v, str))
    for _, _, data in flat.edges(data=True):
        data.update((k, xml_text(v)) for k, v in data.items() if isinstance(v, str))
    return flat


def to_delimited(G: nx.MultiDiGraph, delimiter: str = ",") -> dict[str, str]:
    """The nodes and edges tables as CSV (``delimiter=","``) or TSV (``"\\t"``) text.

    Returns
    -------
    dict
        ``{"nodes.csv": ..., "edges.csv": ...}`` (``.tsv`` for a tab), each with a header row.
        Cells are quoted where they must be (RFC 4180), so any text survives.

    Raises
    ------
    ValueError
        If ``delimiter`` is neither ``","`` nor ``"\\t"``.
    """
    extensions = {",": "csv", "\t": "tsv"}
    if delimiter not in extensions:
        raise ValueError(f"delimiter must be ',' or a tab, not {delimiter!r}")
    extension = extensions[delimiter]
    return {
        f"nodes.{extension}": _write(NODE_COLUMNS, node_rows(G), delimiter),
        f"edges.{extension}": _write(EDGE_COLUMNS, edge_rows(G), delimiter),
    }


def _write(columns: tuple[str, ...], rows: Iterable[Mapping[str, Cell]], delimiter: str) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row[column]) for column in columns])
    return buffer.getvalue()


def _cell(value: Cell) -> str | int:
    return SEPARATOR.join(value) if isinstance(value, tuple) else value


def _distinct(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(values)))
