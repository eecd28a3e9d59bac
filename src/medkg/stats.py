"""Counts over a built graph: what the encyclopedia holds and how well it is linked."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import networkx as nx
from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from medkg.relations import RELATIONS
from medkg.traverse import to_networkx
from medkg.vocab import MEDKG


@dataclass(frozen=True)
class Coverage:
    """How many concepts of a type carry a standard code."""

    concepts: int
    coded: int

    @property
    def share(self) -> float:
        return self.coded / self.concepts if self.concepts else 0.0


@dataclass(frozen=True)
class Unlinked:
    """A concept no vocabulary links: still a node, and work for a curator (where to add it:
    ``--registry``, or a vocabulary that knows it), with one place the articles name it."""

    label: str
    types: tuple[str, ...]
    title: str  # the article
    section: str
    sentence: str


@dataclass(frozen=True)
class Stats:
    articles_by_kind: dict[str, int]
    concepts_by_type: dict[str, int]
    relations_by_type: dict[str, int]
    coverage_by_type: dict[str, Coverage]
    orphans: tuple[str, ...]  # concepts no relation touches
    most_connected: tuple[tuple[str, int], ...]  # (label, degree), highest first
    concepts: int
    unlinked: tuple[Unlinked, ...]  # concepts with no standard code, by label


def graph_stats(graph: Graph, top: int = 10) -> Stats:
    """Articles, concepts, relations, code coverage, orphans and hubs of ``graph``.

    Example:
        >>> stats = graph_stats(graph)
        >>> stats.most_connected[0][0]
        'bone metastasis'
    """
    kinds = Counter(str(kind) for kind in graph.objects(None, MEDKG.articleKind))
    G = to_networkx(graph)
    types: Counter[str] = Counter()
    coverage: dict[str, Coverage] = {}
    for node, data in G.nodes(data=True):
        coded = any(graph.triples((URIRef(node), SKOS.exactMatch | SKOS.closeMatch, None)))
        for concept_type in data["types"]:
            types[concept_type] += 1
            before = coverage.get(concept_type, Coverage(0, 0))
            coverage[concept_type] = Coverage(before.concepts + 1, before.coded + int(coded))
    relations = Counter(
        name for name in RELATIONS for _ in graph.triples((None, MEDKG[name], None))
    )
    degrees = sorted(
        ((G.nodes[n]["label"], d) for n, d in G.degree()), key=lambda item: (-item[1], item[0])
    )
    return Stats(
        articles_by_kind=dict(sorted(kinds.items())),
        concepts_by_type=dict(sorted(types.items())),
        relations_by_type=dict(sorted(relations.items())),
        coverage_by_type=dict(sorted(coverage.items())),
        orphans=tuple(sorted(label for label, degree in degrees if degree == 0)),
        most_connected=tuple(degrees[:top]),
        concepts=G.number_of_nodes(),
        unlinked=unlinked_concepts(G),
    )


def unlinked_concepts(G: nx.MultiDiGraph) -> tuple[Unlinked, ...]:
    """The concepts of ``G`` (see :func:`medkg.traverse.to_networkx`) that no vocabulary
    links, by label, each with the first sentence (by article title) that relates it."""
    found = []
    for node, data in G.nodes(data=True):
        if data.get("codes"):
            continue
        refs = sorted(
            (ref.title, ref.section, ref.sentence)
            for _, _, edge in (*G.in_edges(node, data=True), *G.out_edges(node, data=True))
            for ref in edge["evidence"]
        )
        title, section, sentence = refs[0] if refs else ("", "", "")
        found.append(Unlinked(data["label"], tuple(data["types"]), title, section, sentence))
    return tuple(sorted(found, key=lambda u: u.label))
