"""Questions a clinician-researcher asks of the whole graph: differentials, look-alikes, hubs.

Plain ``f(G, ...)`` functions over the networkx view from :func:`medkg.traverse.to_networkx`;
each returns small frozen records that carry the evidence behind the answer.

What a condition "has": a concept is a *condition* when one of its types is ``Condition`` or
below it (Cancer, PrimaryCancer, MetastaticDisease, Complication). A condition has a symptom
``S`` when the graph says ``condition hasSymptom S``, or ``condition causes S`` and ``S`` is
typed ``Symptom``. The articles often state a symptom as a cause ("multiple myeloma can cause
bone pain") rather than in a Symptoms list, and dropping those would miss real symptoms; a
``causes`` edge to something that is not a symptom (a complication, a process) is not one.
``hasComplication`` alone does not make a symptom.

Weights: a symptom that many conditions share says little about which one a patient has. The
weight of a feature (a symptom, a procedure, a treatment) is ``log(N / df)``, where ``N`` is
the number of concepts with at least one feature of that family and ``df`` the number that have
this one, as in information retrieval's inverse document frequency. A feature every concept
has weighs 0.

The examples in the docstrings run on ``graph``, the union graph of the shipped articles.
"""

from __future__ import annotations

import difflib
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import networkx as nx

from medkg.terminology import lineage
from medkg.traverse import ConceptNotFound, EvidenceRef, find_concept, per_graph
from medkg.vocab import FAMILIES

__all__ = [
    "FAMILIES",
    "Candidate",
    "Community",
    "Hub",
    "Similar",
    "SymptomMatch",
    "communities",
    "condition_symptoms",
    "differential",
    "features",
    "find_term",
    "hubs",
    "is_condition",
    "similar",
]

# A code is a prefix, a colon and an identifier ("HP:0002653"); ICD-10-CM codes have none.
_CODE = re.compile(r"^[A-Za-z][A-Za-z0-9.]*:\S+$|^[A-Z]\d\d(\.\w+)?$|^C\d{7}$|^\d{6,}$", re.I)


@dataclass(frozen=True)
class SymptomMatch:
    """A symptom the condition has, with its weight and the sentences that say so."""

    symptom: str
    weight: float
    conditions_with_it: int
    evidence: tuple[EvidenceRef, ...]


@dataclass(frozen=True)
class Candidate:
    """A condition in a differential: its score and the symptoms it explains or not.

    ``score`` is the sum of the matched symptoms' weights; ``coverage`` is that sum over the
    weights of all symptoms asked about (1.0 when the condition explains all of them);
    ``other_symptoms`` counts the condition's symptoms that were not asked about.
    """

    condition: str
    score: float
    coverage: float
    matched: tuple[SymptomMatch, ...]
    unmatched: tuple[str, ...]
    other_symptoms: int


@dataclass(frozen=True)
class Similar:
    """A concept like the one asked about; ``shared`` are the neighbours both have, heaviest
    first, and ``score`` is their weighted Jaccard index (0 to 1)."""

    concept: str
    score: float
    shared: tuple[str, ...]


@dataclass(frozen=True)
class Hub:
    """A concept's centrality: ``degree`` counts its relation edges, both directions;
    ``betweenness`` is its normalised betweenness centrality in the undirected graph."""

    concept: str
    degree: int
    betweenness: float


@dataclass(frozen=True)
class Community:
    """Conditions that share symptoms and procedures; ``shared`` are the features at least two
    members have, most widely shared first."""

    members: tuple[str, ...]
    shared: tuple[str, ...]


def find_term(G: nx.MultiDiGraph, name: str) -> str:
    """The IRI of the concept named ``name``: a label, synonym, IRI or standard code.

    A code ("HP:0002653", "M84.40", "C0151825") matches the first token of one of the node's
    ``codes`` attribute entries, in any case; a code no concept has is an error suggesting
    close codes. Anything else goes to :func:`medkg.traverse.find_concept`.

    Returns
    -------
    str
        The concept's IRI.

    Raises
    ------
    ConceptNotFound
        If no concept has that name or code; the message suggests close names or codes.

    Examples
    --------
    >>> G = to_networkx(graph)
    >>> find_term(G, "HP:0002653")
    'https://w3id.org/medkg/concept/bone-pain'
    >>> find_term(G, "fracture")
    'https://w3id.org/medkg/concept/pathologic-fracture'
    """
    if name not in G and _CODE.match(name.strip()):
        wanted = name.strip().casefold()
        owners = {
            code.split(" ", 1)[0].casefold(): (code.split(" ", 1)[0], str(node), data["label"])
            for node, data in sorted(G.nodes(data=True), reverse=True)
            for code in data.get("codes", ())
        }
        if wanted in owners:
            return owners[wanted][1]
        close = difflib.get_close_matches(wanted, list(owners), n=5, cutoff=0.7)
        raise ConceptNotFound(name, [f"{owners[c][0]} ({owners[c][2]})" for c in close])
    return find_concept(G, name)


def is_condition(G: nx.MultiDiGraph, node: str) -> bool:
    """Whether ``node`` has ``Condition`` or one of its subclasses among its types.

    Examples
    --------
    >>> G = to_networkx(graph)
    >>> is_condition(G, find_concept(G, "anemia")), is_condition(G, find_concept(G, "fatigue"))
    (True, False)
    """
    return any("Condition" in lineage(t) for t in G.nodes[node].get("types", ()))


def features(G: nx.MultiDiGraph, concept: str, family: str) -> dict[str, tuple[EvidenceRef, ...]]:
    """The neighbours of ``concept`` in one relation family, each with its evidence.

    ``family`` is a key of :data:`FAMILIES` or ``"all"`` (every family together). Evidence of
    several edges to the same neighbour is merged, in relation order.

    Returns
    -------
    dict
        Neighbour IRI → the sentences linking it to ``concept``; empty when there are none.

    Raises
    ------
    ConceptNotFound
        If ``concept`` is not a node of ``G``.
    ValueError
        If ``family`` is unknown.

    Examples
    --------
    >>> G = to_networkx(graph)
    >>> sorted(G.nodes[n]["label"] for n in features(G, find_concept(G, "x-ray"), "all"))
    []
    >>> "https://w3id.org/medkg/concept/x-ray" in features(
    ...     G, find_concept(G, "pathologic fracture"), "procedures")
    True
    """
    if concept not in G:
        raise ConceptNotFound(concept)
    relations = _relations(family)
    found: dict[str, list[EvidenceRef]] = defaultdict(list)
    order = [r for family_relations in FAMILIES.values() for r in family_relations]
    edges = [e for e in G.out_edges(concept, keys=True, data=True) if e[2] in relations]
    # hasSymptom's sentences before causes': a Symptoms list says it most directly
    for _, target, key, data in sorted(edges, key=lambda e: (order.index(e[2]), e[1])):
        if key == "causes" and "Symptom" not in G.nodes[target].get("types", ()):
            continue  # a cause of a complication or a process is not a symptom
        refs = found[str(target)]
        refs.extend(ref for ref in data["evidence"] if ref not in refs)
    return {target: tuple(refs) for target, refs in found.items()}


def _symptom_table(
    G: nx.MultiDiGraph,
) -> tuple[dict[str, dict[str, tuple[EvidenceRef, ...]]], Counter[str]]:
    """:func:`condition_symptoms`, and how many conditions have each symptom."""
    table = condition_symptoms(G)
    return table, Counter(s for has in table.values() for s in has)


def condition_symptoms(G: nx.MultiDiGraph) -> dict[str, dict[str, tuple[EvidenceRef, ...]]]:
    """Every condition with at least one symptom, and its symptoms with their evidence.

    See the module docstring for what counts as a condition and as a symptom.

    Examples
    --------
    >>> G = to_networkx(graph)
    >>> table = condition_symptoms(G)
    >>> "https://w3id.org/medkg/concept/fatigue" in table[find_concept(G, "anemia")]
    True
    """
    table = {}
    for node in sorted(G):
        if is_condition(G, node):
            symptoms = features(G, node, "symptoms")
            if symptoms:
                table[str(node)] = symptoms
    return table


def differential(G: nx.MultiDiGraph, symptoms: Iterable[str]) -> list[Candidate]:
    """Conditions ranked by how well they explain ``symptoms``, specific symptoms weighing most.

    Each symptom weighs ``log(N / df)``: ``N`` conditions have symptoms, ``df`` of them have
    this one. A condition's score is the sum of the weights of the symptoms it has. Conditions
    that have none of them are left out, as are the concepts asked about (a pathologic
    fracture does not explain itself).

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph from :func:`medkg.traverse.to_networkx`.
    symptoms : iterable of str
        Labels, synonyms, IRIs or standard codes (see :func:`find_term`); duplicates count once.

    Returns
    -------
    list of Candidate
        Highest score first; on equal scores, the condition with fewer symptoms besides those
        asked about first (its picture fits them more closely), then label. Empty if no
        condition has any of the symptoms.

    Raises
    ------
    ConceptNotFound
        If a name matches no concept (suggesting close names).
    ValueError
        If ``symptoms`` is empty.

    Examples
    --------
    >>> G = to_networkx(graph)
    >>> ranked = differential(G, ["bone pain", "HP:0012378", "fracture"])
    >>> names = [G.nodes[c.condition]["label"] for c in ranked]
    >>> names.index("bone metastasis") < names.index("anemia")
    True
    >>> sorted(G.nodes[m.symptom]["label"] for m in ranked[0].matched)
    ['bone pain', 'fatigue', 'pathologic fracture']
    """
    asked = list(dict.fromkeys(find_term(G, name) for name in symptoms))
    if not asked:
        raise ValueError("name at least one symptom")
    table, df = per_graph(G, _symptom_table)
    weight = {s: math.log(len(table) / max(df[s], 1)) for s in asked}
    total = sum(weight.values())
    candidates = []
    for condition, has in table.items():
        if condition in asked or not any(s in has for s in asked):
            continue
        matched = sorted(
            (SymptomMatch(s, weight[s], df[s], has[s]) for s in asked if s in has),
            key=lambda m: (-m.weight, asked.index(m.symptom)),
        )
        score = sum(m.weight for m in matched)
        candidates.append(
            Candidate(
                condition=condition,
                score=score,
                coverage=score / total if total else 0.0,
                matched=tuple(matched),
                unmatched=tuple(s for s in asked if s not in has),
                other_symptoms=len(set(has) - set(asked)),
            )
        )
    label = _label_of(G)
    return sorted(
        candidates,
        key=lambda c: (-round(c.score, 9), c.other_symptoms, label(c.condition)),
    )


def similar(G: nx.MultiDiGraph, concept: str, by: str = "symptoms", k: int = 10) -> list[Similar]:
    """The ``k`` concepts most like ``concept`` by their neighbours in one relation family.

    Similarity is the weighted Jaccard index of the two neighbour sets: the summed weights of
    the shared neighbours over the summed weights of all neighbours of either, each neighbour
    weighing ``log(N / df)`` over the ``N`` concepts with neighbours in the family (a procedure
    every condition gets links little). With ``by="all"`` a neighbour counts once per family
    it is reached through.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph from :func:`medkg.traverse.to_networkx`.
    concept : str
        A concept IRI (see :func:`find_term`).
    by : str
        ``"symptoms"``, ``"procedures"``, ``"treatments"`` or ``"all"``.
    k : int
        At most this many results (at least 1).

    Returns
    -------
    list of Similar
        Highest score first, then label; only concepts sharing at least one weighted neighbour.
        Empty when ``concept`` has no neighbours in the family.

    Raises
    ------
    ConceptNotFound
        If ``concept`` is not a node of ``G``.
    ValueError
        If ``by`` is unknown or ``k`` is less than 1.

    Examples
    --------
    >>> G = to_networkx(graph)
    >>> top = similar(G, find_concept(G, "bone metastasis"), by="procedures", k=1)
    >>> G.nodes[top[0].concept]["label"], [G.nodes[n]["label"] for n in top[0].shared[:2]]
    ('pathologic fracture', ['bone scan', 'X-ray'])
    """
    if k < 1:
        raise ValueError(f"k must be at least 1 (got {k})")
    table = _feature_table(G, by)
    if concept not in G:
        raise ConceptNotFound(concept)
    mine = table.get(concept, set())
    df = Counter(f for feats in table.values() for f in feats)
    weight = {f: math.log(len(table) / n) for f, n in df.items()}
    results = []
    for other, theirs in table.items():
        shared = mine & theirs
        if other == concept or not shared:
            continue
        union = sum(weight[f] for f in mine | theirs)
        score = sum(weight[f] for f in shared) / union if union else 0.0
        if score <= 0:
            continue
        ordered = sorted(shared, key=lambda f: (-weight[f], f))
        results.append(Similar(other, score, tuple(dict.fromkeys(node for _, node in ordered))))
    label = _label_of(G)
    return sorted(results, key=lambda s: (-round(s.score, 9), label(s.concept)))[:k]


def hubs(G: nx.MultiDiGraph, concept_type: str | None = None, k: int = 10) -> list[Hub]:
    """The ``k`` most central concepts, optionally of one type (or a subclass of it).

    Centrality is measured on the whole graph, then filtered by type: a therapy's betweenness
    counts the paths it lies on between any two concepts. Betweenness is exact (no sampling)
    and computed on the undirected simple graph, so the result is deterministic.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph from :func:`medkg.traverse.to_networkx`.
    concept_type : str, optional
        A medkg class's local name, e.g. ``"Condition"`` (which includes its subclasses).
    k : int
        At most this many results (at least 1).

    Returns
    -------
    list of Hub
        Highest degree first, then higher betweenness, then label.

    Raises
    ------
    ValueError
        If ``concept_type`` is the type of no concept, or ``k`` is less than 1.

    Examples
    --------
    >>> G = to_networkx(graph)
    >>> G.nodes[hubs(G, "Symptom", k=1)[0].concept]["label"]
    'pathologic fracture'
    """
    if k < 1:
        raise ValueError(f"k must be at least 1 (got {k})")
    known = sorted({c for _, d in G.nodes(data=True) for t in d["types"] for c in lineage(t)})
    if concept_type is not None and concept_type not in known:
        raise ValueError(f"no concept has type {concept_type!r}; known: {', '.join(known)}")
    betweenness = nx.betweenness_centrality(nx.Graph(G.to_undirected(as_view=True)))
    label = _label_of(G)
    found = [
        Hub(str(node), int(G.degree(node)), float(betweenness[node]))
        for node, data in G.nodes(data=True)
        if concept_type is None or any(concept_type in lineage(t) for t in data["types"])
    ]
    return sorted(found, key=lambda h: (-h.degree, -h.betweenness, label(h.concept)))[:k]


def communities(G: nx.MultiDiGraph, seed: int = 0) -> list[Community]:
    """Groups of conditions that share symptoms and diagnostic procedures.

    Builds a condition-condition graph: two conditions are linked when they share a symptom or
    a procedure, the edge weighing the summed ``log(N / df)`` weights of what they share. Louvain
    community detection (:func:`networkx.community.louvain_communities`) with a fixed ``seed``
    splits it; conditions sharing nothing, and communities of one, are left out.

    Returns
    -------
    list of Community
        Larger communities first, then by first member's label; members sorted by label.

    Examples
    --------
    >>> G = to_networkx(graph)
    >>> groups = communities(G)
    >>> any({"bone metastasis", "breast cancer"} <= {G.nodes[m]["label"] for m in c.members}
    ...     for c in groups)
    True
    """
    table = {
        node: {
            (family, t) for family in ("symptoms", "procedures") for t in features(G, node, family)
        }
        for node in sorted(G)
        if is_condition(G, node)
    }
    table = {node: feats for node, feats in table.items() if feats}
    df = Counter(f for feats in table.values() for f in feats)
    weight = {f: math.log(len(table) / n) for f, n in df.items()}
    H = nx.Graph()
    nodes = sorted(table)
    for i, a in enumerate(nodes):
        for b in nodes[i + 1 :]:
            shared = sum(weight[f] for f in table[a] & table[b])
            if shared > 0:
                H.add_edge(a, b, weight=shared)
    label = _label_of(G)
    found = []
    for group in nx.community.louvain_communities(H, weight="weight", seed=seed):
        if len(group) < 2:
            continue
        members = tuple(sorted(group, key=label))
        counts = Counter(f for m in members for f in table[m])
        common = sorted((f for f, n in counts.items() if n >= 2), key=lambda f: (-counts[f], f))
        found.append(Community(members, tuple(dict.fromkeys(node for _, node in common))))
    return sorted(found, key=lambda c: (-len(c.members), label(c.members[0])))


def _relations(family: str) -> frozenset[str]:
    if family == "all":
        return frozenset(r for relations in FAMILIES.values() for r in relations)
    if family not in FAMILIES:
        raise ValueError(f"unknown family {family!r}; use one of: {', '.join(FAMILIES)}, all")
    return frozenset(FAMILIES[family])


def _feature_table(G: nx.MultiDiGraph, by: str) -> dict[str, set[tuple[str, str]]]:
    """Concept → its (family, neighbour) pairs, for every concept that has any."""
    _relations(by)  # reject an unknown family before the work
    families = list(FAMILIES) if by == "all" else [by]
    table: dict[str, set[tuple[str, str]]] = {}
    for node in sorted(G):
        feats = {(family, t) for family in families for t in features(G, node, family)}
        if feats:
            table[str(node)] = feats
    return table


def _label_of(G: nx.MultiDiGraph) -> _Labeller:
    return _Labeller({str(n): str(d.get("label", n)) for n, d in G.nodes(data=True)})


@dataclass(frozen=True)
class _Labeller:
    """Sort key by label, case-insensitively, the IRI breaking ties."""

    names: Mapping[str, str]

    def __call__(self, node: str) -> tuple[str, str]:
        return (self.names.get(node, node).casefold(), node)
