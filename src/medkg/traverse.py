"""The graph as networkx: neighbours and paths between concepts, each hop with its evidence.

:func:`to_networkx` turns the RDF graph (the union of a build's named graphs) into a
:class:`networkx.MultiDiGraph` whose nodes are concept IRIs and whose edges are the asserted
relation triples, each carrying the statements (article, section, sentence, hedges, qualifiers)
that support it. The other functions are plain ``f(G, ...)`` algorithms over that graph and
return :class:`Hop` and :class:`Path` records that explain themselves in words.

The examples in the docstrings run on ``graph``, the union graph of the shipped articles.
"""

from __future__ import annotations

import difflib
import weakref
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import pairwise
from typing import Any, TypeVar

import networkx as nx
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS
from rdflib.term import Node

from medkg.terminology import lineage, normalise
from medkg.vocab import MEDKG

T = TypeVar("T")

#: Relation (local name in medkg:) → (phrase walking the edge forward, phrase walking it back).
RELATION_PHRASES: dict[str, tuple[str, str]] = {
    "hasSymptom": ("has symptom", "is a symptom of"),
    "diagnosedBy": ("is diagnosed by", "helps diagnose"),
    "treatedBy": ("is treated by", "treats"),
    "hasRiskFactor": ("has risk factor", "is a risk factor for"),
    "hasComplication": ("can lead to the complication", "is a complication of"),
    "metastasizesTo": ("metastasizes to", "receives metastases from"),
    "hasPrimaryCancer": ("has primary cancer", "is a primary cancer of"),
    "spreadsVia": ("spreads via", "is a route of spread for"),
    "causes": ("causes", "is caused by"),
    "affects": ("affects", "is affected by"),
    "usedFor": ("is used for", "is managed with"),
    "prevents": ("prevents", "is prevented by"),
    "hasSideEffect": ("can cause the side effect", "is a side effect of"),
    "bodySite": ("examines or treats", "is examined or treated by"),
    "hasGoal": ("has treatment goal", "is a treatment goal for"),
    "riskReducedBy": ("has risk reduced by", "reduces the risk of"),
    "hasPrognosticFactor": ("has prognostic factor", "is a prognostic factor for"),
}

#: When two concepts are linked by several relations, :func:`paths` walks the most informative
#: one: an edge in the direction of travel first, then mechanism (causes, complications,
#: symptoms), then the cancer's course (primary cancer, metastasis, spread, anatomy), then
#: clinical management (diagnosis, treatment, use, prevention), then context (risk, prognosis,
#: goals). Relations not listed here come last, alphabetically.
RELATION_PREFERENCE: tuple[str, ...] = (
    "causes",
    "hasComplication",
    "hasSymptom",
    "hasPrimaryCancer",
    "metastasizesTo",
    "spreadsVia",
    "affects",
    "diagnosedBy",
    "treatedBy",
    "usedFor",
    "prevents",
    "hasSideEffect",
    "bodySite",
    "riskReducedBy",
    "hasRiskFactor",
    "hasPrognosticFactor",
    "hasGoal",
)

_NOT_CONCEPTS = frozenset({MEDKG.Article, MEDKG.Statement})

__all__ = [
    "RELATION_PHRASES",
    "RELATION_PREFERENCE",
    "ConceptNotFound",
    "EvidenceRef",
    "Hop",
    "Path",
    "find_concept",
    "labels",
    "neighbors",
    "paths",
    "subgraph",
    "to_networkx",
]


class ConceptNotFound(LookupError):
    """No concept in the graph has the name asked for; ``suggestions`` holds close names."""

    def __init__(self, name: str, suggestions: Iterable[str] = ()) -> None:
        self.name = name
        self.suggestions = tuple(suggestions)
        message = f'no concept named "{name}"'
        if self.suggestions:
            message += "; did you mean: " + ", ".join(self.suggestions) + "?"
        super().__init__(message)

    def __str__(self) -> str:
        return str(self.args[0])


@dataclass(frozen=True)
class EvidenceRef:
    """One statement supporting an edge: where it was read and what the text hedged."""

    article: str
    title: str
    section: str
    sentence: str
    hedges: tuple[str, ...] = ()
    qualifiers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Hop:
    """One edge walked from ``source`` to ``target``; ``forward`` is False when the edge
    points the other way (``target --relation--> source`` in the graph)."""

    source: str
    relation: str
    target: str
    forward: bool
    evidence: tuple[EvidenceRef, ...] = ()

    def explain(self, labels: Mapping[str, str]) -> str:
        """The hop in words, e.g. ``"anemia causes fatigue"``.

        ``labels`` maps concept IRIs to labels (see :func:`labels`); an IRI without one is
        written as is.
        """
        forward, backward = RELATION_PHRASES.get(
            self.relation, (self.relation, f"(inverse of {self.relation})")
        )
        phrase = forward if self.forward else backward
        source = labels.get(self.source, self.source)
        target = labels.get(self.target, self.target)
        return f"{source} {phrase} {target}"


@dataclass(frozen=True)
class Path:
    """Consecutive hops: each hop's target is the next hop's source."""

    hops: tuple[Hop, ...]

    @property
    def nodes(self) -> tuple[str, ...]:
        """The concept IRIs visited, in order (empty for a path without hops)."""
        if not self.hops:
            return ()
        return (self.hops[0].source, *(hop.target for hop in self.hops))

    @property
    def backward_hops(self) -> int:
        """How many hops walk an edge against its direction."""
        return sum(not hop.forward for hop in self.hops)

    def explain(self, labels: Mapping[str, str]) -> str:
        """Every hop in words, joined by ``"; "``."""
        return "; ".join(hop.explain(labels) for hop in self.hops)


def to_networkx(graph: Graph) -> nx.MultiDiGraph:
    """The concepts and asserted relations of an RDF graph as a networkx multigraph.

    Nodes are concept IRIs (strings): every resource with a medkg class other than
    ``medkg:Article`` and ``medkg:Statement``, and every end of a relation triple. Node
    attributes: ``label`` (the English ``skos:prefLabel``, else the IRI's last segment),
    ``types`` (sorted local names of its medkg classes), ``synonyms`` (sorted
    ``skos:altLabel`` values) and ``codes`` (sorted "code (label, release)" strings of its
    standard codes, e.g. "HP:0002653 Bone pain [hpo-2025-01-16]").

    Edges are the asserted relation triples: a predicate in :data:`RELATION_PHRASES`, or any
    other medkg predicate linking two concepts. The edge key and the ``relation`` attribute are
    the predicate's local name; ``evidence`` is a tuple of :class:`EvidenceRef`, one per
    statement node with the same ``rdf:subject``/``rdf:predicate``/``rdf:object`` and
    ``medkg:negated false``, ordered by article and position in the text. A negated statement
    never makes an edge, nor evidence. Articles and statements are not nodes.

    Parameters
    ----------
    graph : rdflib.Graph
        Usually the union of a build's named graphs (:func:`medkg.rdf.union`).

    Returns
    -------
    networkx.MultiDiGraph
        A new graph; changing it does not change ``graph``.

    Examples
    --------
    >>> G = to_networkx(graph)
    >>> G.nodes["https://w3id.org/medkg/concept/anemia"]["label"]
    'anemia'
    >>> G.nodes["https://w3id.org/medkg/concept/anemia"]["types"]
    ('Complication',)
    >>> edge = G.edges["https://w3id.org/medkg/concept/anemia",
    ...                "https://w3id.org/medkg/concept/fatigue", "causes"]
    >>> "leading to anemia and fatigue" in edge["evidence"][0].sentence
    True
    """
    concepts: set[URIRef] = set()
    for node, cls in graph.subject_objects(RDF.type):
        if isinstance(node, URIRef) and _in_medkg(cls):
            concepts.add(node)
    concepts -= {n for n in concepts if set(graph.objects(n, RDF.type)) & _NOT_CONCEPTS}

    relations: list[tuple[URIRef, str, URIRef]] = []
    for s, p, o in graph:
        if not (isinstance(s, URIRef) and isinstance(o, URIRef) and _in_medkg(p)):
            continue
        name = _local(p)
        if name in RELATION_PHRASES or (s in concepts and o in concepts):
            relations.append((s, name, o))
            concepts.update((s, o))

    G = nx.MultiDiGraph()
    for node in sorted(concepts):
        G.add_node(
            str(node),
            label=_label(graph, node),
            types=tuple(sorted(_local(c) for c in graph.objects(node, RDF.type) if _in_medkg(c))),
            synonyms=tuple(sorted({str(s) for s in graph.objects(node, SKOS.altLabel)})),
            codes=tuple(sorted(_codes(graph, node))),
        )
    evidence = _evidence(graph)
    for s, name, o in sorted(relations):
        G.add_edge(str(s), str(o), key=name, relation=name, evidence=evidence.get((s, name, o), ()))
    return G


def labels(G: nx.MultiDiGraph) -> dict[str, str]:
    """Every node's label, keyed by IRI: the mapping :meth:`Hop.explain` expects.

    Examples
    --------
    >>> labels(to_networkx(graph))["https://w3id.org/medkg/concept/magnetic-resonance-imaging"]
    'magnetic resonance imaging'
    """
    return {str(node): str(data.get("label", node)) for node, data in G.nodes(data=True)}


def _codes(graph: Graph, node: Node) -> Iterator[str]:
    for predicate in (SKOS.exactMatch, SKOS.closeMatch):
        for target in graph.objects(node, predicate):
            notation = graph.value(target, SKOS.notation)
            label = graph.value(target, RDFS.label)
            release = graph.value(target, DCTERMS.isPartOf)
            match = "exact" if predicate == SKOS.exactMatch else "close"
            parts = [str(notation or target), f'"{label}"' if label else None]
            if release is not None:
                parts.append(f"[{str(release).rsplit('/', 1)[-1]}]")
            yield " ".join(p for p in parts if p) + f" ({match})"


def find_concept(G: nx.MultiDiGraph, name: str) -> str:
    """The IRI of the concept called ``name``.

    A name matches a concept's preferred label or any synonym when both have the same
    :func:`medkg.terminology.normalise` key, so case, plural and determiners do not matter
    ("MRI", "mri" and "the MRI scans" all find magnetic resonance imaging). A node IRI is
    returned as is. If several concepts share the name, one whose preferred label matches wins,
    then the smallest IRI.

    Returns
    -------
    str
        The concept's IRI.

    Raises
    ------
    ConceptNotFound
        If no concept has that name; the message suggests up to five close names.

    Examples
    --------
    >>> G = to_networkx(graph)
    >>> find_concept(G, "Bone Metastases")
    'https://w3id.org/medkg/concept/bone-metastasis'
    >>> find_concept(G, "bone metastsis")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    medkg.traverse.ConceptNotFound: no concept named "bone metastsis"; did you mean: ...
    """
    if name in G:
        return name
    key = normalise(name)
    found = per_graph(G, _names).get(key) if key else None
    if found:
        return found
    raise ConceptNotFound(name, _suggestions(G, name))


def _names(G: nx.MultiDiGraph) -> dict[tuple[str, ...], str]:
    """Normalised name → the concept :func:`find_concept` gives for it."""
    matches: dict[tuple[str, ...], tuple[int, str]] = {}
    for node, data in G.nodes(data=True):
        names = [(0, data.get("label", ""))] + [(1, s) for s in data.get("synonyms", ())]
        for rank, name in names:
            key = normalise(str(name))
            if key:
                matches[key] = min(matches.get(key, (rank, str(node))), (rank, str(node)))
    return {key: node for key, (_, node) in matches.items()}


_PER_GRAPH: weakref.WeakKeyDictionary[nx.MultiDiGraph, dict[object, tuple[int, Any]]]
_PER_GRAPH = weakref.WeakKeyDictionary()


def per_graph(G: nx.MultiDiGraph, compute: Callable[[nx.MultiDiGraph], T]) -> T:
    """``compute(G)``, computed once per graph and kept while the graph lives. Graphs from
    :func:`to_networkx` are not changed after; a graph that gains nodes is computed anew
    (counting edges would cost as much as the lookups this saves)."""
    size = G.number_of_nodes()
    kept = _PER_GRAPH.setdefault(G, {})
    if compute not in kept or kept[compute][0] != size:
        kept[compute] = (size, compute(G))
    value: T = kept[compute][1]
    return value


def neighbors(G: nx.MultiDiGraph, concept: str, relation: str | None = None) -> list[Hop]:
    """Every edge at ``concept``, walked away from it: out-edges forward, in-edges backward.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph from :func:`to_networkx`.
    concept : str
        A concept IRI (see :func:`find_concept`).
    relation : str, optional
        Only edges of this relation (local name, e.g. ``"diagnosedBy"``).

    Returns
    -------
    list of Hop
        Each with ``source == concept``, sorted by relation, then forward before backward,
        then the other concept's label.

    Raises
    ------
    ConceptNotFound
        If ``concept`` is not a node of ``G``.

    Examples
    --------
    >>> G = to_networkx(graph)
    >>> names = labels(G)
    >>> [hop.explain(names) for hop in neighbors(G, find_concept(G, "anemia"))]
    ... # doctest: +NORMALIZE_WHITESPACE
    ['anemia causes fatigue',
     'anemia is caused by decreased red blood cell production',
     'anemia is a complication of bone metastasis']
    """
    _require(G, concept)
    hops = [
        Hop(concept, key, str(v), True, data["evidence"])
        for _, v, key, data in G.out_edges(concept, keys=True, data=True)
    ] + [
        Hop(concept, key, str(u), False, data["evidence"])
        for u, _, key, data in G.in_edges(concept, keys=True, data=True)
    ]
    if relation is not None:
        hops = [hop for hop in hops if hop.relation == relation]
    names = labels(G)
    return sorted(
        hops, key=lambda h: (h.relation, not h.forward, names[h.target].casefold(), h.target)
    )


def paths(
    G: nx.MultiDiGraph, source: str, target: str, max_hops: int = 4, limit: int = 5
) -> list[Path]:
    """Simple paths from ``source`` to ``target``, ignoring edge direction, best first.

    Edges may be walked either way; each :class:`Hop` records whether it went with the edge
    (``forward``). Where two concepts are linked by several edges, a path takes just one of
    them, so no path is listed twice with only a relation changed: an edge in the direction of
    travel if there is one, then the first relation in :data:`RELATION_PREFERENCE`, then the
    one with more evidence. Paths that stop only at conditions, symptoms and disease
    processes come first (an anatomical structure or a therapy links many things and
    explains little); then shorter paths, fewer backward hops, and alphabetical order of
    the labels visited. Candidates are gathered shortest first, five per path asked for.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph from :func:`to_networkx`.
    source, target : str
        Concept IRIs (see :func:`find_concept`).
    max_hops : int
        The longest path to consider, in hops (at least 1).
    limit : int
        At most this many paths (at least 1).

    Returns
    -------
    list of Path
        Empty when no path of at most ``max_hops`` hops exists, or when
        ``source == target``.

    Raises
    ------
    ConceptNotFound
        If ``source`` or ``target`` is not a node of ``G``.
    ValueError
        If ``max_hops`` or ``limit`` is less than 1.

    Notes
    -----
    Paths are enumerated in order of length (Yen's algorithm, via
    :func:`networkx.shortest_simple_paths`) until ``limit`` paths are found and their length
    class is complete, so the cost grows with the number of paths as short as the answer.

    Examples
    --------
    >>> G = to_networkx(graph)
    >>> best = paths(G, find_concept(G, "breast cancer"), find_concept(G, "fatigue"))[0]
    >>> best.explain(labels(G))
    'breast cancer is a primary cancer of bone metastasis; bone metastasis has symptom fatigue'
    """
    _require(G, source)
    _require(G, target)
    if max_hops < 1 or limit < 1:
        raise ValueError(f"max_hops and limit must be at least 1 (got {max_hops}, {limit})")
    if source == target:
        return []
    names = labels(G)
    undirected = nx.Graph()
    undirected.add_nodes_from(G)
    undirected.add_edges_from((u, v) for u, v in G.edges() if u != v)
    found: list[Path] = []
    try:
        for nodes in nx.shortest_simple_paths(undirected, source, target):
            hop_count = len(nodes) - 1
            # Look past the first `limit` paths: a longer route through conditions and
            # symptoms can explain more than a short one through a shared therapy.
            enough = len(found) >= limit * _CANDIDATES_PER_PATH
            if hop_count > max_hops or (enough and hop_count > len(found[-1].hops)):
                break
            found.append(Path(tuple(_best_hop(G, u, v) for u, v in pairwise(nodes))))
    except nx.NetworkXNoPath:
        return []

    def rank(path: Path) -> tuple[int, int, int, tuple[str, ...], tuple[str, ...]]:
        visited = path.nodes
        return (
            sum(not _is_clinical(G, n) for n in visited[1:-1]),
            len(path.hops),
            path.backward_hops,
            tuple(names[n].casefold() for n in visited),
            visited,
        )

    return sorted(found, key=rank)[:limit]


_CANDIDATES_PER_PATH = 5


def _is_clinical(G: nx.MultiDiGraph, node: str) -> bool:
    """A condition, symptom or disease process: a stop that explains a path."""
    clinical = {"Condition", "Symptom", "PathologicalProcess"}
    return any(kind in clinical for t in G.nodes[node].get("types", ()) for kind in lineage(t))


def subgraph(G: nx.MultiDiGraph, concept: str, depth: int = 1) -> nx.MultiDiGraph:
    """The neighbourhood of ``concept``: every concept within ``depth`` hops in either
    direction, and every edge among them, with all attributes.

    Returns
    -------
    networkx.MultiDiGraph
        A new graph (a copy, not a view).

    Raises
    ------
    ConceptNotFound
        If ``concept`` is not a node of ``G``.
    ValueError
        If ``depth`` is negative.

    Examples
    --------
    >>> G = to_networkx(graph)
    >>> around = subgraph(G, find_concept(G, "anemia"))
    >>> sorted(around.nodes[n]["label"] for n in around)
    ['anemia', 'bone metastasis', 'decreased red blood cell production', 'fatigue']
    """
    _require(G, concept)
    if depth < 0:
        raise ValueError(f"depth must not be negative (got {depth})")
    result: nx.MultiDiGraph = nx.ego_graph(G, concept, radius=depth, undirected=True)
    return result


def _best_hop(G: nx.MultiDiGraph, u: str, v: str) -> Hop:
    """The most informative edge between ``u`` and ``v``, walked from ``u`` to ``v``."""
    options = [
        Hop(u, key, v, True, data["evidence"])
        for key, data in G.get_edge_data(u, v, default={}).items()
    ] + [
        Hop(u, key, v, False, data["evidence"])
        for key, data in G.get_edge_data(v, u, default={}).items()
    ]

    def rank(hop: Hop) -> tuple[bool, int, int, str]:
        order = (
            RELATION_PREFERENCE.index(hop.relation)
            if hop.relation in RELATION_PREFERENCE
            else len(RELATION_PREFERENCE)
        )
        return (not hop.forward, order, -len(hop.evidence), hop.relation)

    return min(options, key=rank)


def _require(G: nx.MultiDiGraph, concept: str) -> None:
    if concept not in G:
        raise ConceptNotFound(concept, _suggestions(G, concept))


def _suggestions(G: nx.MultiDiGraph, name: str) -> list[str]:
    """Up to five close names, best first, one per concept (an IRI is compared by its slug)."""
    probe = _local(name).replace("-", " ") if "://" in name else name
    owner: dict[str, str] = {}
    for node, data in sorted(G.nodes(data=True)):
        for candidate in (data.get("label", ""), *data.get("synonyms", ())):
            owner.setdefault(str(candidate).casefold(), str(node))
    suggestions: list[str] = []
    seen: set[str] = set()
    for match in difflib.get_close_matches(probe.casefold(), list(owner), n=20, cutoff=0.6):
        if owner[match] not in seen:
            seen.add(owner[match])
            suggestions.append(match)
    return suggestions[:5]


def _evidence(graph: Graph) -> dict[tuple[URIRef, str, URIRef], tuple[EvidenceRef, ...]]:
    """Positive statements by the triple they support, ordered by article and position."""
    found: dict[tuple[URIRef, str, URIRef], list[tuple[tuple[str, int], EvidenceRef]]]
    found = defaultdict(list)
    for statement, subject in graph.subject_objects(RDF.subject):
        predicate = graph.value(statement, RDF.predicate)
        obj = graph.value(statement, RDF.object)
        negated = graph.value(statement, MEDKG.negated)
        if not (isinstance(subject, URIRef) and isinstance(obj, URIRef)):
            continue
        if predicate is None or not _in_medkg(predicate) or _is_true(negated):
            continue
        article = graph.value(statement, PROV.wasDerivedFrom)
        start = graph.value(statement, MEDKG.charStart)
        ref = EvidenceRef(
            article=str(article or ""),
            title=_text(graph.value(article, DCTERMS.title)) if article is not None else "",
            section=_text(graph.value(statement, MEDKG.section)),
            sentence=_text(graph.value(statement, MEDKG.sentence)),
            hedges=tuple(sorted(str(h) for h in graph.objects(statement, MEDKG.hedge))),
            qualifiers=tuple(sorted(str(q) for q in graph.objects(statement, MEDKG.qualifier))),
        )
        position = int(start.toPython()) if isinstance(start, Literal) else -1
        found[(subject, _local(predicate), obj)].append(((ref.article, position), ref))
    return {
        triple: tuple(ref for _, ref in sorted(refs, key=lambda r: (r[0], r[1].sentence)))
        for triple, refs in found.items()
    }


def _label(graph: Graph, node: URIRef) -> str:
    found = sorted(graph.objects(node, SKOS.prefLabel), key=lambda lit: (_lang(lit) != "en", lit))
    return str(found[0]) if found else _local(node)


def _lang(term: object) -> str | None:
    return term.language if isinstance(term, Literal) else None


def _in_medkg(term: object) -> bool:
    return isinstance(term, URIRef) and str(term).startswith(str(MEDKG))


def _local(term: object) -> str:
    text = str(term)
    return (
        text[len(str(MEDKG)) :]
        if text.startswith(str(MEDKG))
        else text.rstrip("/").rsplit("/", 1)[-1]
    )


def _is_true(term: object) -> bool:
    return isinstance(term, Literal) and term.toPython() is True


def _text(term: object) -> str:
    return "" if term is None else str(term)
