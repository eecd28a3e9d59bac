"""GraphML, GEXF, CSV, TSV and data frames of the real graph: read back, counted, compared."""

from __future__ import annotations

import doctest
import io
import xml.etree.ElementTree as ET
from collections import Counter

import networkx as nx
import pandas as pd
import pytest
from rdflib import Graph

from medkg import tables
from medkg.tables import (
    EDGE_COLUMNS,
    NODE_COLUMNS,
    SEPARATOR,
    edge_rows,
    edges_frame,
    nodes_frame,
    to_delimited,
    to_gexf,
    to_graphml,
)
from medkg.traverse import to_networkx
from medkg.vocab import ARTICLE, CONCEPT

BONE_METASTASIS = str(CONCEPT["bone-metastasis"])
BONE_PAIN = str(CONCEPT["bone-pain"])
# The seed article's own sentence for bone metastasis hasSymptom bone pain.
BONE_PAIN_SENTENCE = (
    "Pain: Bone pain is often the first symptom of bone metastasis, "
    "and it can be severe and debilitating"
)


@pytest.fixture(scope="module")
def G(graph: Graph) -> nx.MultiDiGraph:
    return to_networkx(graph)


def _triples(G: nx.MultiDiGraph) -> Counter[tuple[str, str, str]]:
    return Counter((u, data["relation"], v) for u, v, data in G.edges(data=True))


def _relation_counts(G: nx.MultiDiGraph) -> Counter[str]:
    return Counter(key for _, _, key in G.edges(keys=True))


def _multi_statement_edge(G: nx.MultiDiGraph) -> tuple[str, str, str]:
    """An edge that several sentences state, to check that lists split back exactly."""
    return next(
        (u, key, v)
        for u, v, key, data in sorted(G.edges(keys=True, data=True))
        if len({ref.sentence for ref in data["evidence"]}) >= 2
    )


def test_no_value_of_the_corpus_contains_the_separator(G: nx.MultiDiGraph) -> None:
    """Splitting a joined cell on SEPARATOR gives its entries back only if none contains it."""
    for _, _, data in G.edges(data=True):
        for ref in data["evidence"]:
            for value in (ref.sentence, ref.section, ref.title, *ref.hedges, *ref.qualifiers):
                assert SEPARATOR not in value, value
    for _, data in G.nodes(data=True):
        for value in (*data["synonyms"], *data["codes"], *data["types"]):
            assert SEPARATOR not in value, value


def test_graphml_reads_back_with_networkx(G: nx.MultiDiGraph) -> None:
    reread = nx.read_graphml(io.BytesIO(to_graphml(G).encode()))
    assert isinstance(reread, nx.MultiDiGraph)
    assert reread.number_of_nodes() == G.number_of_nodes() > 300
    assert reread.number_of_edges() == G.number_of_edges() > 800
    assert _triples(reread) == _triples(G)
    for node, data in G.nodes(data=True):
        assert reread.nodes[node]["label"] == data["label"]
        assert reread.nodes[node]["types"] == SEPARATOR.join(data["types"])
    for u, v, data in reread.edges(data=True):
        original = G.edges[u, v, data["relation"]]
        assert data["evidence_count"] == len(original["evidence"]) >= 1
        assert data["sentences"].split(SEPARATOR) == [r.sentence for r in original["evidence"]]
        assert data["articles"].split(SEPARATOR) == [r.article for r in original["evidence"]]


def test_graphml_edge_ids_are_unique(G: nx.MultiDiGraph) -> None:
    """Gephi drops an edge whose id repeats."""
    root = ET.fromstring(to_graphml(G))
    ids = [e.get("id") for e in root.iter("{http://graphml.graphdrawing.org/xmlns}edge")]
    assert len(ids) == len(set(ids)) == G.number_of_edges()


def test_gexf_reads_back_with_networkx(G: nx.MultiDiGraph) -> None:
    text = to_gexf(G)
    assert "lastmodifieddate" not in text  # the export's date would break byte-identity
    reread = nx.read_gexf(io.BytesIO(text.encode()))
    assert reread.number_of_nodes() == G.number_of_nodes()
    assert reread.number_of_edges() == G.number_of_edges()
    assert _triples(reread) == _triples(G)
    for node, data in G.nodes(data=True):
        assert reread.nodes[node]["label"] == data["label"]
        assert reread.nodes[node]["codes"] == SEPARATOR.join(data["codes"])
    labels = Counter(data["label"] for *_, data in reread.edges(data=True))
    assert labels == _relation_counts(G)


def test_a_statement_list_splits_back_in_every_file_format(G: nx.MultiDiGraph) -> None:
    u, relation, v = _multi_statement_edge(G)
    evidence = G.edges[u, v, relation]["evidence"]
    sentences = [ref.sentence for ref in evidence]
    for reread in (
        nx.read_graphml(io.BytesIO(to_graphml(G).encode())),
        nx.read_gexf(io.BytesIO(to_gexf(G).encode())),
    ):
        (data,) = [
            d for a, b, d in reread.edges(data=True) if (a, d["relation"], b) == (u, relation, v)
        ]
        assert data["sentences"].split(SEPARATOR) == sentences
        assert int(data["evidence_count"]) == len(evidence)
    for delimiter in (",", "\t"):
        edges = _read(to_delimited(G, delimiter), "edges", delimiter)
        row = edges[(edges.source == u) & (edges.relation == relation) & (edges.target == v)]
        assert row.sentences.item().split(SEPARATOR) == sentences


def _read(files: dict[str, str], table: str, delimiter: str) -> pd.DataFrame:
    name = f"{table}.{'csv' if delimiter == ',' else 'tsv'}"
    return pd.read_csv(io.StringIO(files[name]), sep=delimiter, keep_default_na=False, dtype=str)


@pytest.mark.parametrize("delimiter", [",", "\t"])
def test_csv_and_tsv_parse_and_match_the_graph(G: nx.MultiDiGraph, delimiter: str) -> None:
    files = to_delimited(G, delimiter)
    nodes, edges = _read(files, "nodes", delimiter), _read(files, "edges", delimiter)
    assert tuple(nodes.columns) == NODE_COLUMNS
    assert tuple(edges.columns) == EDGE_COLUMNS
    assert list(nodes.id) == sorted(G.nodes)
    assert Counter(edges.relation) == _relation_counts(G)
    assert Counter(zip(edges.source, edges.relation, edges.target, strict=True)) == _triples(G)
    counts = {(r.source, r.relation, r.target): int(r.evidence_count) for r in edges.itertuples()}
    for u, v, key, data in G.edges(keys=True, data=True):
        assert counts[(u, key, v)] == len(data["evidence"])


def test_delimited_rejects_other_delimiters(G: nx.MultiDiGraph) -> None:
    with pytest.raises(ValueError, match="delimiter"):
        to_delimited(G, ";")


def test_frames_hold_the_graph(G: nx.MultiDiGraph) -> None:
    nodes, edges = nodes_frame(G), edges_frame(G)
    assert len(nodes) == G.number_of_nodes() and len(edges) == G.number_of_edges()
    assert Counter(edges.relation) == _relation_counts(G)
    anemia = nodes.set_index("label").loc["anemia"]
    assert anemia["types"] == ("Complication",)
    assert any(code.startswith("HP:0001903") for code in anemia["codes"])
    # The frames and the files are the same table: a file cell is the frame's tuple joined.
    csv_edges = _read(to_delimited(G), "edges", ",")
    assert list(csv_edges.sentences) == [SEPARATOR.join(s) for s in edges.sentences]
    assert list(csv_edges.evidence_count.astype(int)) == list(edges.evidence_count)


def test_known_edge_keeps_its_sentence_in_every_format(G: nx.MultiDiGraph) -> None:
    article = str(ARTICLE["bone-metastasis"])

    def check(sentences: str, articles: str, relation: str) -> None:
        assert BONE_PAIN_SENTENCE in sentences.split(SEPARATOR)
        assert article in articles.split(SEPARATOR)
        assert relation == "hasSymptom"

    for reread in (
        nx.read_graphml(io.BytesIO(to_graphml(G).encode())),
        nx.read_gexf(io.BytesIO(to_gexf(G).encode())),
    ):
        (data,) = [
            d
            for a, b, d in reread.edges(data=True)
            if (a, b, d["relation"]) == (BONE_METASTASIS, BONE_PAIN, "hasSymptom")
        ]
        check(data["sentences"], data["articles"], data["relation"])
    for delimiter in (",", "\t"):
        edges = _read(to_delimited(G, delimiter), "edges", delimiter)
        row = edges[_is_known_edge(edges)]
        check(row.sentences.item(), row.articles.item(), row.relation.item())
    frame = edges_frame(G)
    row = frame[_is_known_edge(frame)]
    assert BONE_PAIN_SENTENCE in row.sentences.item()
    assert "often" in row.hedges.item()


def _is_known_edge(frame: pd.DataFrame) -> pd.Series[bool]:
    """bone metastasis hasSymptom bone pain (the pair has other relations too)."""
    return (
        (frame.source == BONE_METASTASIS)
        & (frame.relation == "hasSymptom")
        & (frame.target == BONE_PAIN)
    )


def test_exports_do_not_depend_on_insertion_order(G: nx.MultiDiGraph) -> None:
    backwards = nx.MultiDiGraph()
    backwards.add_nodes_from(reversed(list(G.nodes(data=True))))
    backwards.add_edges_from(reversed(list(G.edges(keys=True, data=True))))
    assert to_graphml(backwards) == to_graphml(G)
    assert to_gexf(backwards) == to_gexf(G)
    assert to_delimited(backwards, "\t") == to_delimited(G, "\t")
    assert edge_rows(backwards) == edge_rows(G)


def test_docstring_examples_run(graph: Graph) -> None:
    globs = {"graph": graph, "to_networkx": to_networkx}
    result = doctest.testmod(tables, extraglobs=globs, verbose=False)
    assert result.attempted >= 3
    assert result.failed == 0
