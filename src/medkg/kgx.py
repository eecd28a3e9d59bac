"""The graph as Biolink Model nodes and edges in KGX TSV (``nodes.tsv``, ``edges.tsv``).

Which Biolink category a medkg class becomes, and which Biolink predicate a medkg relation
becomes, is read from the ontology (``ontology/medkg.ttl``): every class and relation has one
``skos:exactMatch``, ``skos:closeMatch`` or ``skos:broadMatch`` to a Biolink term. Nothing here
repeats that table.

Edges carry their evidence in Biolink association slots: ``supporting_text`` (one sentence per
statement), ``supporting_documents`` (the articles' IRIs), ``evidence_count``, and the medkg
relation as ``original_predicate``. They are ``knowledge_assertion``s made by a
``text_mining_agent`` (Biolink 4 requires both slots on every edge).

KGX TSV has no quoting: multi-valued cells join their values with ``|``. A tab or line break in
a value becomes a space and a ``|`` becomes ``¦``, so no cell can break a row or a list.
"""

from __future__ import annotations

import re
import uuid
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import networkx as nx
from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from medkg.traverse import EvidenceRef, to_networkx
from medkg.validate import load_ontology
from medkg.vocab import BIOLINK, CODE_IRIS, CONCEPT, MEDKG

__all__ = [
    "EDGE_COLUMNS",
    "ID_SYSTEMS",
    "INFORES",
    "MEDKG_PREFIX",
    "NODE_COLUMNS",
    "BiolinkMatch",
    "MappingError",
    "biolink_mappings",
    "kgx_edges",
    "kgx_nodes",
    "node_ids",
    "to_kgx",
]

#: The knowledge source every row names. medkg is not (yet) in the Translator infores catalog.
INFORES = "infores:medkg"

NODE_COLUMNS = ("id", "category", "name", "synonym", "xref", "iri", "provided_by")
EDGE_COLUMNS = (
    "id",
    "subject",
    "predicate",
    "object",
    "original_predicate",
    "knowledge_level",
    "agent_type",
    "primary_knowledge_source",
    "evidence_count",
    "supporting_documents",
    "supporting_text",
)

_MATCHES = {SKOS.exactMatch: "exact", SKOS.closeMatch: "close", SKOS.broadMatch: "broad"}
_NAMED_THING = "biolink:NamedThing"
#: The prefix of a concept no standard code identifies: MEDKG:<slug> is concept:<slug>.
MEDKG_PREFIX = "MEDKG"
#: The code systems whose codes become node ids: those of medkg's links that the Biolink
#: Model's prefix map registers (tests/test_kgx.py checks it against the release).
ID_SYSTEMS = ("HP", "DRUGBANK", "UMLS", "SNOMEDCT")
_LINKS = (SKOS.exactMatch, SKOS.closeMatch)
# Fixed, so that an edge's id is the same in every export of the same triple.
_EDGE_NAMESPACE = uuid.UUID("5d7f0f3e-4a4b-5c1e-9d33-6d656b6b6778")


class MappingError(ValueError):
    """A medkg class or relation in the graph has no Biolink mapping, or more than one."""


@dataclass(frozen=True)
class BiolinkMatch:
    """The Biolink counterpart of one medkg class or relation."""

    term: URIRef  # the medkg class or relation
    biolink: URIRef
    match: str  # "exact", "close" or "broad"

    @property
    def curie(self) -> str:
        """The Biolink term as KGX writes it, e.g. ``biolink:Disease``."""
        return "biolink:" + str(self.biolink)[len(str(BIOLINK)) :]


def biolink_mappings(ontology: Graph | None = None) -> dict[str, BiolinkMatch]:
    """Every medkg term's Biolink counterpart, keyed by the term's local name.

    Parameters
    ----------
    ontology : rdflib.Graph, optional
        The ontology to read; ``ontology/medkg.ttl`` by default.

    Raises
    ------
    MappingError
        If a medkg term has more than one Biolink mapping.

    Examples
    --------
    >>> biolink_mappings()["hasSymptom"].curie
    'biolink:has_phenotype'
    >>> biolink_mappings()["Symptom"].match
    'close'
    """
    ontology = load_ontology() if ontology is None else ontology
    found: dict[str, BiolinkMatch] = {}
    for predicate, match in _MATCHES.items():
        for term, target in ontology.subject_objects(predicate):
            if not (str(term).startswith(str(MEDKG)) and str(target).startswith(str(BIOLINK))):
                continue
            name = str(term)[len(str(MEDKG)) :]
            if name in found:
                raise MappingError(f"medkg:{name} has more than one Biolink mapping")
            found[name] = BiolinkMatch(URIRef(str(term)), URIRef(str(target)), match)
    return found


def kgx_nodes(graph: Graph, ontology: Graph | None = None) -> list[dict[str, str]]:
    """One KGX node row per concept, sorted by id (columns :data:`NODE_COLUMNS`).

    ``category`` lists the Biolink classes of the node's medkg classes; ``biolink:NamedThing``
    is dropped when a more specific one is there. ``xref`` lists the standard codes the
    concept is linked to (``HP:…``, ``ICD10CM:…``, ``UMLS:…``, ``SNOMEDCT:…``).

    Raises
    ------
    MappingError
        If a node's class has no Biolink mapping.
    """
    return _node_rows(graph, to_networkx(graph), biolink_mappings(ontology))


def node_ids(graph: Graph, G: nx.MultiDiGraph) -> dict[str, str]:
    """Each concept's KGX id: the standard code it is an exact match of, under a prefix the
    Biolink Model registers (:data:`ID_SYSTEMS`, in that order of preference), when no other
    concept of the graph claims that code; else ``MEDKG:<slug>``, medkg's own prefix for
    ``https://w3id.org/medkg/concept/``. ICD-10-CM codes stay in ``xref``: Biolink registers
    no ICD10CM prefix. Two concepts never share an id, so KGX, which merges nodes by id,
    keeps them apart."""
    codes = {str(node): _codes(graph, URIRef(str(node)), (SKOS.exactMatch,)) for node in G}
    claims = Counter(code for found in codes.values() for code in found)
    rank = {system: place for place, system in enumerate(ID_SYSTEMS)}
    ids = {}
    for node, found in codes.items():
        own = sorted(
            (c for c in found if claims[c] == 1 and _system(c) in rank),
            key=lambda c: (rank[_system(c)], c),
        )
        ids[node] = own[0] if own else _curie(node)
    return ids


def _node_rows(
    graph: Graph, G: nx.MultiDiGraph, mappings: Mapping[str, BiolinkMatch]
) -> list[dict[str, str]]:
    rows = []
    ids = node_ids(graph, G)
    for node, data in G.nodes(data=True):
        categories = {_mapping(mappings, t).curie for t in data.get("types", ())}
        if len(categories) > 1:
            categories.discard(_NAMED_THING)
        rows.append(
            {
                "id": ids[str(node)],
                "category": _join(categories or {_NAMED_THING}),
                "name": _clean(str(data.get("label", ""))),
                "synonym": _join(data.get("synonyms", ())),
                "xref": _join(_codes(graph, URIRef(str(node)), _LINKS)),
                "iri": str(node),
                "provided_by": INFORES,
            }
        )
    return sorted(rows, key=lambda row: row["id"])


def kgx_edges(graph: Graph, ontology: Graph | None = None) -> list[dict[str, str]]:
    """One KGX edge row per subject, Biolink predicate and object, sorted by subject, original
    predicate, object (columns :data:`EDGE_COLUMNS`).

    KGX keeps one edge per subject, predicate and object. Where two medkg relations between the
    same concepts map to one Biolink predicate (``causes`` and ``hasComplication`` both to
    ``biolink:causes``), their row lists both in ``original_predicate`` and carries the
    evidence of both, rather than losing one. ``supporting_text`` holds one sentence per
    statement and ``supporting_documents`` the distinct article IRIs.

    Raises
    ------
    MappingError
        If a relation has no Biolink mapping.

    Examples
    --------
    >>> row = next(r for r in kgx_edges(graph) if r["subject"] == "HP:0001903"  # anemia
    ...            and r["object"] == "HP:0012378")  # fatigue
    >>> row["predicate"], row["original_predicate"]
    ('biolink:causes', 'medkg:causes')
    """
    G = to_networkx(graph)
    return _edge_rows(G, node_ids(graph, G), biolink_mappings(ontology))


def _edge_rows(
    G: nx.MultiDiGraph, ids: Mapping[str, str], mappings: Mapping[str, BiolinkMatch]
) -> list[dict[str, str]]:
    merged: dict[tuple[str, str, str], list[tuple[str, tuple[EvidenceRef, ...]]]] = {}
    for subject, obj, relation, data in G.edges(keys=True, data=True):
        key = (subject, _mapping(mappings, relation).curie, obj)
        merged.setdefault(key, []).append((relation, tuple(data.get("evidence", ()))))
    rows = []
    for (subject, predicate, obj), relations in merged.items():
        evidence = [ref for _, refs in sorted(relations) for ref in refs]
        edge = uuid.uuid5(_EDGE_NAMESPACE, f"{subject} {predicate} {obj}")
        rows.append(
            {
                "id": f"urn:uuid:{edge}",
                "subject": ids[subject],
                "predicate": predicate,
                "object": ids[obj],
                "original_predicate": _join(f"medkg:{relation}" for relation, _ in relations),
                "knowledge_level": "knowledge_assertion",
                "agent_type": "text_mining_agent",
                "primary_knowledge_source": INFORES,
                "evidence_count": str(len(evidence)),
                "supporting_documents": _join({ref.article for ref in evidence}),
                "supporting_text": "|".join(_clean(ref.sentence) for ref in evidence),
            }
        )
    return sorted(rows, key=lambda r: (r["subject"], r["original_predicate"], r["object"]))


def to_kgx(graph: Graph, ontology: Graph | None = None) -> dict[str, str]:
    """``{"nodes.tsv": ..., "edges.tsv": ...}``: the graph in KGX TSV, each with a header."""
    G, mappings = to_networkx(graph), biolink_mappings(ontology)  # once for both files
    return {
        "nodes.tsv": _tsv(NODE_COLUMNS, _node_rows(graph, G, mappings)),
        "edges.tsv": _tsv(EDGE_COLUMNS, _edge_rows(G, node_ids(graph, G), mappings)),
    }


def _mapping(mappings: Mapping[str, BiolinkMatch], name: str) -> BiolinkMatch:
    if name not in mappings:
        raise MappingError(
            f"medkg:{name} has no Biolink mapping: add skos:exactMatch, skos:closeMatch or "
            "skos:broadMatch to a biolink: term in ontology/medkg.ttl"
        )
    return mappings[name]


def _curie(iri: str) -> str:
    """``MEDKG:<slug>`` for a concept IRI (documented in docs/cli.md)."""
    return MEDKG_PREFIX + ":" + iri[len(str(CONCEPT)) :] if iri.startswith(str(CONCEPT)) else iri


def _codes(graph: Graph, node: URIRef, predicates: Iterable[URIRef]) -> set[str]:
    """The standard codes ``node`` is linked to by ``predicates``, as registered CURIEs."""
    codes = set()
    for predicate in predicates:
        for target in graph.objects(node, predicate):
            for system, base in CODE_IRIS.items():
                if str(target).startswith(base):
                    codes.add(f"{system}:{str(target)[len(base) :]}")
    return codes


def _system(code: str) -> str:
    return code.partition(":")[0]


def _join(values: Iterable[str]) -> str:
    return "|".join(sorted(_clean(v) for v in values))


def _clean(value: str) -> str:
    return _BREAKS.sub(" ", value).replace("|", "¦")


_BREAKS = re.compile(r"[\t\r\n]")


def _tsv(columns: tuple[str, ...], rows: Iterable[Mapping[str, str]]) -> str:
    lines = ["\t".join(columns), *("\t".join(row[c] for c in columns) for row in rows)]
    return "\n".join(lines) + "\n"
