"""Check a medkg graph against the SHACL shapes in ``ontology/shapes.ttl``.

One function, :func:`validate`, wraps pySHACL and returns a small, typed
:class:`ValidationReport`. Nothing here touches rdflib's global state.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH
from rdflib.term import Node

from medkg.resources import ONTOLOGY_DIR
from medkg.vocab import PREFIXES

if TYPE_CHECKING:
    from rdflib.plugins.sparql.sparql import Query

__all__ = [
    "ValidationReport",
    "Violation",
    "load_ontology",
    "load_shapes",
    "term_text",
    "validate",
]

# Longest namespace first, so that a more specific prefix wins.
_PREFIXES: tuple[tuple[str, str], ...] = tuple(
    sorted(((p, str(ns)) for p, ns in PREFIXES.items()), key=lambda item: -len(item[1]))
)


def _shorten(text: str) -> str:
    """Write an IRI as ``prefix:local`` when one of the model's prefixes covers it."""
    for prefix, namespace in _PREFIXES:
        if text.startswith(namespace) and len(text) > len(namespace):
            return prefix + ":" + text[len(namespace) :]
    return text


@dataclass(frozen=True)
class Violation:
    """One SHACL validation result.

    IRIs are kept in full; blank nodes are written ``_:id`` and literals in N-Triples
    form (``"text"@en``, ``"2025-13-01"^^<http://www.w3.org/2001/XMLSchema#date>``).
    """

    focus: str
    path: str | None
    message: str
    severity: str
    shape: str | None
    value: str | None

    def sort_key(self) -> tuple[str, ...]:
        """The order reports list results in: by focus node, then path, message, value."""
        return (
            self.focus,
            self.path or "",
            self.message,
            self.value or "",
            self.severity,
            self.shape or "",
        )

    def __str__(self) -> str:
        """Focus node, path and message, with IRIs shortened by the model's prefixes."""
        parts = [_shorten(self.focus)]
        if self.path is not None:
            parts.append(_shorten(self.path))
        parts.append(self.message)
        return "  ".join(parts)


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of :func:`validate`: whether the graph conforms, and why not."""

    conforms: bool
    violations: tuple[Violation, ...]

    @classmethod
    def of(cls, violations: Iterable[Violation]) -> ValidationReport:
        """The report of results gathered from several runs: as pySHACL with
        ``allow_warnings`` decides, only results of severity Violation fail it."""
        found = tuple(sorted(set(violations), key=Violation.sort_key))
        return cls(not any(v.severity == "Violation" for v in found), found)

    def text(self) -> str:
        """A report for people: one line per violation, or ``conforms: no violations``."""
        if not self.violations:
            return "conforms: no violations"
        return "\n".join(str(violation) for violation in self.violations)


@functools.cache
def load_ontology() -> Graph:
    """The parsed OWL ontology ``ontology/medkg.ttl``.

    The graph is cached and shared between callers: do not mutate it (copy it first).
    """
    return Graph().parse(ONTOLOGY_DIR / "medkg.ttl", format="turtle")


@functools.cache
def load_shapes() -> Graph:
    """The parsed SHACL shapes ``ontology/shapes.ttl``.

    The graph is cached and shared between callers: do not mutate it (copy it first).
    """
    return Graph().parse(ONTOLOGY_DIR / "shapes.ttl", format="turtle")


@functools.cache
def load_class_hierarchy() -> Graph:
    """The ontology's ``rdfs:subClassOf`` triples: all that SHACL reads from it (for
    ``sh:class`` and ``sh:targetClass``), a tenth of its size to mix into each article."""
    hierarchy = Graph()
    for triple in load_ontology().triples((None, RDFS.subClassOf, None)):
        hierarchy.add(triple)
    return hierarchy


def term_text(node: Node) -> str:
    """A term as :class:`Violation` writes it: an IRI in full, a blank node ``_:id``, a literal
    in N-Triples form."""
    if isinstance(node, URIRef):
        return str(node)
    if isinstance(node, BNode):
        return "_:" + str(node)
    if isinstance(node, Literal):
        return node.n3()
    return str(node)


def _text(node: Node | None) -> str | None:
    return None if node is None else term_text(node)


def _violations(results: Graph) -> tuple[Violation, ...]:
    found: set[Violation] = set()
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = _text(results.value(result, SH.focusNode))
        severity = results.value(result, SH.resultSeverity)
        messages = sorted(str(m) for m in results.objects(result, SH.resultMessage))
        found.add(
            Violation(
                focus=focus or "",
                path=_text(results.value(result, SH.resultPath)),
                message="; ".join(messages) or "(no message)",
                severity=str(severity).removeprefix(str(SH)) if severity else "",
                shape=_text(results.value(result, SH.sourceShape)),
                value=_text(results.value(result, SH.value)),
            )
        )
    return tuple(sorted(found, key=Violation.sort_key))


def validate(data: Graph | Dataset, ontology: Graph | None = None) -> ValidationReport:
    """Validate a medkg graph against ``ontology/shapes.ttl``, with the ontology as context.

    A :class:`~rdflib.Dataset` is validated as the union of all its graphs, which is what
    queries see. ``data`` itself is never modified.

    Args:
        data: the graph, or the dataset of article graphs plus the terminology graph.
        ontology: the ontology mixed into ``data``; by default ``ontology/medkg.ttl``
            (:func:`load_class_hierarchy` gives the same results, faster).

    Returns:
        A :class:`ValidationReport`; ``conforms`` is false when any result has severity
        ``sh:Violation`` (warnings alone do not fail it).

    Example:
        >>> from rdflib import Graph
        >>> validate(Graph()).text()
        'conforms: no violations'
    """
    import pyshacl  # half a second to import: only here, not for every build

    copy = _PreparedQueries()  # pySHACL mixes the ontology into the graph it validates
    triples = data.quads((None, None, None, None)) if isinstance(data, Dataset) else data
    for s, p, o, *_ in triples:
        copy.add((s, p, o))
    shapes = Graph()  # pySHACL adds axioms to the shapes graph it is given: never the shared one
    shapes += load_shapes()
    conforms, results, _ = pyshacl.validate(
        copy,
        shacl_graph=shapes,
        ont_graph=load_ontology() if ontology is None else ontology,
        inference="none",
        advanced=True,
        allow_warnings=True,
        inplace=True,
    )
    if not isinstance(results, Graph):
        raise TypeError(f"pyshacl returned {type(results).__name__}, expected an rdflib Graph")
    return ValidationReport(conforms=bool(conforms), violations=_violations(results))


class _PreparedQueries(Graph):
    """A graph that parses each SPARQL text once per process. pySHACL sends a constraint's
    query once per focus node, and rdflib's parser is most of the time it takes."""

    def query(self, query_object: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(query_object, str):
            query_object = _prepared(query_object)
        return super().query(query_object, *args, **kwargs)


@functools.lru_cache(maxsize=64)
def _prepared(text: str) -> Query:
    from rdflib.plugins.sparql import prepareQuery  # rdflib's SPARQL engine: only for pySHACL

    return prepareQuery(text)
