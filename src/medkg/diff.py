"""What changed between two builds, article by article, so a curator sees what an edit did.

Each article's named graph is compared with the same graph in the other build, on three levels:

- relations: the asserted triples between concepts (``S medkg:R O``);
- evidence: the statement nodes, compared by what they say (subject, relation, object,
  negation, section, sentence) rather than by IRI or character span. A statement's IRI and
  offsets move when an earlier sentence changes length, and that is not a change of meaning;
- other triples: everything else in the graph (the article's hash and date, synonyms, the
  terminology graph's concept records), as raw triples.

A graph present in one build only counts all its triples as added or removed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF
from rdflib.term import Node

from medkg.store import open_dataset
from medkg.vocab import MEDKG

__all__ = ["BuildDiff", "EvidenceKey", "GraphChange", "Relation", "diff_builds", "diff_datasets"]

#: A relation triple, as IRIs: (subject, relation local name, object).
Relation = tuple[str, str, str]


@dataclass(frozen=True, order=True)
class EvidenceKey:
    """What a statement node says, without its IRI and character span."""

    subject: str
    relation: str
    object: str
    negated: bool
    section: str
    sentence: str


@dataclass(frozen=True)
class GraphChange:
    """The changes in one named graph (an article, or the terminology graph)."""

    graph: str
    title: str
    added: tuple[Relation, ...]
    removed: tuple[Relation, ...]
    evidence_added: tuple[EvidenceKey, ...]
    evidence_removed: tuple[EvidenceKey, ...]
    other_added: tuple[tuple[str, str, str], ...]
    other_removed: tuple[tuple[str, str, str], ...]

    @property
    def changed(self) -> bool:
        """Whether anything differs."""
        return any(
            (
                self.added,
                self.removed,
                self.evidence_added,
                self.evidence_removed,
                self.other_added,
                self.other_removed,
            )
        )


@dataclass(frozen=True)
class BuildDiff:
    """Every changed graph, and relation triples added and removed per relation."""

    graphs: tuple[GraphChange, ...]
    by_relation: dict[str, tuple[int, int]]


def diff_builds(old: Path, new: Path) -> BuildDiff:
    """Compare the stores of two build directories (see :func:`diff_datasets`).

    Raises
    ------
    medkg.store.StoreError
        If either directory has no store.

    Examples
    --------
    >>> diff_builds(Path("data/build"), Path("data/build")).graphs  # doctest: +SKIP
    ()
    """
    return diff_datasets(open_dataset(old), open_dataset(new))


def diff_datasets(old: Dataset, new: Dataset) -> BuildDiff:
    """Compare two datasets graph by graph.

    Returns
    -------
    BuildDiff
        ``graphs``: only the graphs that changed, sorted by IRI; ``by_relation``: relation
        local name → (triples added, triples removed), summed over the graphs, sorted by name.
        Two builds of the same articles give no changes.

    Examples
    --------
    >>> diff_datasets(built.dataset, built.dataset).graphs
    ()
    """
    old_graphs, new_graphs = _named(old), _named(new)
    changes = []
    for name in sorted(set(old_graphs) | set(new_graphs)):
        change = _diff_graph(name, old_graphs.get(name, Graph()), new_graphs.get(name, Graph()))
        if change.changed:
            changes.append(change)
    added = Counter(relation for c in changes for _, relation, _ in c.added)
    removed = Counter(relation for c in changes for _, relation, _ in c.removed)
    by_relation = {r: (added[r], removed[r]) for r in sorted(set(added) | set(removed))}
    return BuildDiff(tuple(changes), by_relation)


def _named(dataset: Dataset) -> dict[str, Graph]:
    return {
        str(g.identifier): g
        for g in dataset.graphs()
        if isinstance(g.identifier, URIRef) and len(g) and not _is_default(g.identifier)
    }


def _is_default(identifier: URIRef) -> bool:
    return str(identifier) == "urn:x-rdflib:default"


def _diff_graph(name: str, old: Graph, new: Graph) -> GraphChange:
    old_parts, new_parts = _parts(old), _parts(new)
    title = _title(new, name) or _title(old, name) or name.rsplit("/", 1)[-1]
    return GraphChange(
        graph=name,
        title=title,
        added=tuple(sorted(new_parts[0] - old_parts[0])),
        removed=tuple(sorted(old_parts[0] - new_parts[0])),
        evidence_added=tuple(sorted(new_parts[1] - old_parts[1])),
        evidence_removed=tuple(sorted(old_parts[1] - new_parts[1])),
        other_added=tuple(sorted(new_parts[2] - old_parts[2])),
        other_removed=tuple(sorted(old_parts[2] - new_parts[2])),
    )


def _parts(graph: Graph) -> tuple[set[Relation], set[EvidenceKey], set[tuple[str, str, str]]]:
    """A graph split into relation triples, statement contents and the remaining triples."""
    statements = set(graph.subjects(RDF.type, MEDKG.Statement))
    articles = set(graph.subjects(RDF.type, MEDKG.Article))
    relations: set[Relation] = set()
    others: set[tuple[str, str, str]] = set()
    for s, p, o in graph:
        if s in statements:
            continue
        if _is_relation(s, p, o, articles):
            relations.add((str(s), str(p).removeprefix(str(MEDKG)), str(o)))
        else:
            others.add((str(s), str(p), _text(o)))
    evidence = {_evidence(graph, s) for s in statements}
    return relations, evidence, others


def _is_relation(s: Node, p: Node, o: Node, articles: set[Node]) -> bool:
    return (
        isinstance(o, URIRef)
        and str(p).startswith(str(MEDKG))
        and s not in articles
        and p != RDF.type
    )


def _evidence(graph: Graph, statement: Node) -> EvidenceKey:
    negated = graph.value(statement, MEDKG.negated)
    return EvidenceKey(
        subject=str(graph.value(statement, RDF.subject)),
        relation=str(graph.value(statement, RDF.predicate)).removeprefix(str(MEDKG)),
        object=str(graph.value(statement, RDF.object)),
        negated=isinstance(negated, Literal) and negated.toPython() is True,
        section=str(graph.value(statement, MEDKG.section) or ""),
        sentence=str(graph.value(statement, MEDKG.sentence) or ""),
    )


def _title(graph: Graph, name: str) -> str:
    return str(graph.value(URIRef(name), DCTERMS.title) or "")


def _text(term: Node) -> str:
    # Literals keep their language or datatype, so "2025-01-01" vs a date is a change.
    return term.n3() if isinstance(term, Literal) else str(term)
