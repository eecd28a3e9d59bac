"""SHACL validation in milliseconds: a shapes graph compiled once into Python checks over an
in-memory index of the data, with its SPARQL-based constraints run by Oxigraph.

pySHACL (:func:`medkg.validate.validate`) stays the reference engine. On medkg's shapes this one
gives the very results pySHACL gives, result for result (``tests/test_shacl.py`` breaks real
article graphs hundreds of ways and compares), where pySHACL takes about 0.1 s per article: most
of a build. On the W3C SHACL test suite (``tests/test_shacl_w3c.py``) each shapes graph it
accepts gives exactly the expected report.

It implements:

- shapes: node and property shapes, ``sh:deactivated``, ``sh:severity``, ``sh:message``;
- targets: ``sh:targetNode``, ``sh:targetClass``, the implicit class target of a shape that is
  an ``rdfs:Class``, ``sh:targetSubjectsOf``, ``sh:targetObjectsOf``;
- paths: IRIs, sequences, ``sh:alternativePath``, ``sh:inversePath``, ``sh:zeroOrMorePath``,
  ``sh:oneOrMorePath``, ``sh:zeroOrOnePath``;
- all of SHACL Core's constraint components: ``sh:class``, ``sh:datatype``, ``sh:nodeKind``,
  ``sh:minCount``, ``sh:maxCount``, ``sh:minExclusive``, ``sh:minInclusive``,
  ``sh:maxExclusive``, ``sh:maxInclusive``, ``sh:minLength``, ``sh:maxLength``, ``sh:pattern``
  (with ``sh:flags`` ``i`` and ``m``), ``sh:languageIn``, ``sh:uniqueLang``, ``sh:equals``,
  ``sh:disjoint``, ``sh:lessThan``, ``sh:lessThanOrEquals``, ``sh:not``, ``sh:and``,
  ``sh:or``, ``sh:xone``, ``sh:node``, ``sh:property``, ``sh:qualifiedValueShape`` (with
  ``sh:qualifiedMinCount``, ``sh:qualifiedMaxCount``, ``sh:qualifiedValueShapesDisjoint``),
  ``sh:closed`` (with ``sh:ignoredProperties``), ``sh:hasValue``, ``sh:in``;
- SPARQL-based constraints (``sh:sparql`` with ``sh:select``, ``sh:prefixes``/``sh:declare``,
  ``sh:message``, ``sh:deactivated``) on node and property shapes (``$PATH``), with ``$this``
  pre-bound as SHACL 1.0 §5.3.1 defines it: its value is seen in every group of the query
  (UNION branches, nested groups, OPTIONAL, EXISTS, sub-selects), for blank nodes and literals
  too. Results read ``?value`` and ``?path``; messages are the shape's and the constraint's.

Anything else is refused when the shapes graph is compiled (:class:`UnsupportedShape`), never
skipped: every shape of the graph is compiled, targeted or not, and every ``sh:`` triple must be
read by a shape, or be a label (``sh:name``...), part of a validation report, a prefix
declaration or a path no shape uses. Refused in particular:

- what it does not implement: custom constraint components (``sh:ConstraintComponent``,
  validators), SPARQL-based targets, rules, functions, ``sh:entailment``, ``owl:imports``
  (imported shapes would go unseen), ``$shapesGraph``,
  ``$currentShape``, ``?failure``, ``?message``, message templates, unknown ``sh:`` terms;
- queries SHACL forbids with pre-binding (MINUS, VALUES, SERVICE, ``AS ?this``, a sub-select
  that does not project ``$this``) and those the engine cannot run exactly (GRAPH, FROM, a
  query that does not project ``$this``, prefixes it cannot resolve);
- ill-formed shapes: ill-formed paths or lists, a parameter given more values than SHACL
  allows, counts, ``sh:qualifiedValueShape``, ``sh:uniqueLang`` or ``sh:lessThan(OrEquals)`` on
  node shapes, ``sh:closed`` on property shapes, blank nodes of the shapes graph as targets,
  ``sh:hasValue`` or ``sh:in`` values, recursive shapes, subclasses of SHACL's classes or of
  ``rdfs:Class``/``owl:Class``;
- where pySHACL and SHACL 1.0 read a shapes graph differently: ``sh:datatype rdfs:Literal``,
  ``sh:minLength 0``, the inverse of a sequence path, language ranges with subtags, other
  ``sh:flags``, booleans other than the literals true and false, qualified counts without
  ``sh:qualifiedValueShape``, shapes that are ``owl:Class``es or ``rdfs:Class``es not typed as
  shapes.

Where SHACL leaves a reading open, and where pySHACL's reading turns on the data rather than
the shapes, the engine takes pySHACL's: rdflib's rules for ill-typed literals, rdflib's and
pySHACL's ordering of literals (an ill-typed literal is ordered where SPARQL would fail to
compare it, ``sh:lessThan`` compares IRIs as strings, a blank node there is an error),
Python's regular expressions. Literals keep the lexical form
the data text gives them. A result of a shape without ``sh:message`` says its constraint
component where pySHACL writes a sentence of its own; medkg's shapes all carry messages
(:func:`compiled` checks it).
"""

from __future__ import annotations

import functools
import itertools
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import TYPE_CHECKING, NamedTuple

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD
from rdflib.term import Node, Variable

from medkg.validate import Violation, load_class_hierarchy, load_shapes, term_text

if TYPE_CHECKING:  # rdflib's SPARQL parser loads in a tenth of a second: only to compile
    from rdflib.plugins.sparql.parserutils import CompValue

__all__ = [
    "CompiledShapes",
    "PathStep",
    "ShaclReport",
    "ShaclResult",
    "UnsupportedShape",
    "validate_text",
    "validate_with",
]

Term = ox.NamedNode | ox.BlankNode | ox.Literal
NO_VALUE = None  # a result without sh:value (cardinality, uniqueLang, hasValue, ...)

_RDF_TYPE = ox.NamedNode(str(RDF.type))
_SUBCLASS_OF = ox.NamedNode(str(RDFS.subClassOf))
_XSD_STRING = ox.NamedNode(str(XSD.string))
_LANG_STRING = str(RDF.langString)
_STRING = str(XSD.string)
_TRUE = Literal("true", datatype=XSD.boolean)
_FALSE = Literal("false", datatype=XSD.boolean)

_NODE_KINDS: dict[Node, tuple[type, ...]] = {
    SH.IRI: (ox.NamedNode,),
    SH.BlankNode: (ox.BlankNode,),
    SH.Literal: (ox.Literal,),
    SH.BlankNodeOrIRI: (ox.BlankNode, ox.NamedNode),
    SH.BlankNodeOrLiteral: (ox.BlankNode, ox.Literal),
    SH.IRIOrLiteral: (ox.NamedNode, ox.Literal),
}
# pySHACL's check that a literal's value is of its datatype (others pass when well-typed)
_VALUE_TYPES: dict[str, type | tuple[type, ...]] = {
    str(XSD.integer): int,
    str(XSD.float): float,
    str(XSD.decimal): Decimal,
    str(XSD.boolean): bool,
    str(XSD.date): date,
    str(XSD.time): time,
    str(XSD.dateTime): datetime,
}

# sh: predicates that carry no constraint: labels, validation reports, prefix declarations
_LABELS = {SH.name, SH.description, SH.order, SH.group, SH.defaultValue}
_REPORTS = {
    SH.conforms, SH.result, SH.focusNode, SH.resultPath, SH.value, SH.sourceShape,
    SH.sourceConstraint, SH.sourceConstraintComponent, SH.resultSeverity, SH.resultMessage,
    SH.detail,
}  # fmt: skip
_DECLARATIONS = {SH.declare, SH.prefix, SH.namespace}
_HINTS = {SH.shapesGraph, SH.suggestedShapesGraph}  # data graph hints, no effect on shapes
# a path is read where a shape's sh:path leads to it; elsewhere (a report's sh:resultPath) inert
_PATHS = {SH.inversePath, SH.alternativePath, SH.zeroOrMorePath, SH.oneOrMorePath, SH.zeroOrOnePath}
_INERT = _LABELS | _REPORTS | _DECLARATIONS | _HINTS | _PATHS
_TARGETS = {SH.targetNode, SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf}
_SHAPE_TYPES = {SH.NodeShape, SH.PropertyShape}
_OTHER_TYPES = {SH.SPARQLConstraint, SH.PrefixDeclaration, SH.ValidationReport, SH.ValidationResult}
# objects of these are shapes; list members of the second set are shapes
_SHAPE_VALUED = {SH.node, SH.property, SH["not"], SH.qualifiedValueShape}
_SHAPE_LISTS = {SH["and"], SH["or"], SH.xone}


class UnsupportedShape(ValueError):
    """The shapes graph uses a SHACL feature this engine does not implement."""


def _component(name: str) -> URIRef:
    return SH[f"{name}ConstraintComponent"]


# --- terms ---------------------------------------------------------------------------------


def _ox(node: Node) -> Term:
    """An rdflib term of the shapes graph as an Oxigraph term, to compare with the data."""
    if isinstance(node, URIRef):
        return ox.NamedNode(str(node))
    if isinstance(node, Literal):
        if node.language:
            return ox.Literal(str(node), language=node.language)
        return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype or XSD.string)))
    raise UnsupportedShape(f"{node!r} cannot be compared with data")


@functools.lru_cache(maxsize=65536)
def _rdflib(term: Term) -> Node:
    """A data term as the rdflib term pySHACL sees: its value, ill-typedness and order, with
    the lexical form written in the data (rdflib would rewrite "abc"^^xsd:boolean as "false")."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language, normalize=False)
    if term.datatype == _XSD_STRING:
        return Literal(term.value, normalize=False)
    return Literal(term.value, datatype=URIRef(term.datatype.value), normalize=False)


def _text(term: Term) -> str:
    """A term as :class:`medkg.validate.Violation` writes it."""
    return term_text(_rdflib(term))


# --- paths ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PathStep:
    """A SHACL path other than a single IRI: ``op`` is ``/`` (sequence), ``|`` (alternative),
    ``^`` (inverse), ``*``, ``+`` or ``?``, as in SPARQL's property paths."""

    op: str
    args: tuple[Path, ...]

    def sparql(self) -> str:
        if self.op == "^":
            return "^" + _path_sparql(self.args[0])
        if self.op in "/|":
            return "(" + self.op.join(_path_sparql(a) for a in self.args) + ")"
        return "(" + _path_sparql(self.args[0]) + ")" + self.op


Path = ox.NamedNode | PathStep


def _path_sparql(path: Path) -> str:
    return f"<{path.value}>" if isinstance(path, ox.NamedNode) else path.sparql()


def _path_text(path: Path | None) -> str | None:
    """A result's path as Violation writes it: an IRI in full, any other path in SPARQL."""
    if path is None:
        return None
    return path.value if isinstance(path, ox.NamedNode) else path.sparql()


# --- the data ------------------------------------------------------------------------------


Triple = tuple[ox.NamedNode | ox.BlankNode, ox.NamedNode, Term]
_FOCUS_GRAPH = ox.NamedNode("urn:x-medkg:shacl:focus")
_FOCUS_IS = ox.NamedNode("urn:x-medkg:shacl:is")


class _Data:
    """The merged graphs to validate, indexed by subject, with the class hierarchy."""

    def __init__(self, triples: set[Triple], supers: Callable[[Term], frozenset[Term]]) -> None:
        self.triples = triples
        self.supers = supers
        self.out: defaultdict[Term, defaultdict[ox.NamedNode, list[Term]]] = defaultdict(
            lambda: defaultdict(list)
        )
        self.subjects: defaultdict[ox.NamedNode, set[Term]] = defaultdict(set)
        for s, p, o in triples:
            self.out[s][p].append(o)
            self.subjects[p].add(s)
        self._store: ox.Store | None = None
        self._in: defaultdict[Term, defaultdict[ox.NamedNode, list[Term]]] | None = None

    def values(self, focus: Term, predicate: ox.NamedNode) -> list[Term]:
        by_predicate = self.out.get(focus)
        return by_predicate.get(predicate, []) if by_predicate else []

    def inverse(self, focus: Term, predicate: ox.NamedNode) -> list[Term]:
        if self._in is None:  # only shapes with inverse paths or targetObjectsOf need it
            self._in = defaultdict(lambda: defaultdict(list))
            for s, p, o in self.triples:
                self._in[o][p].append(s)
        by_predicate = self._in.get(focus)
        return by_predicate.get(predicate, []) if by_predicate else []

    def objects(self, predicate: ox.NamedNode) -> set[Term]:
        return {o for s, p, o in self.triples if p == predicate}

    def is_instance(self, node: Term, cls: Term) -> bool:
        return any(cls in self.supers(t) for t in self.values(node, _RDF_TYPE))

    def instances(self, cls: Term) -> set[Term]:
        return {s for s in self.subjects.get(_RDF_TYPE, ()) if self.is_instance(s, cls)}

    def walk(self, path: Path, node: Term, forward: bool = True) -> Iterable[Term]:
        """The nodes ``path`` reaches from ``node`` (backwards when not ``forward``)."""
        if isinstance(path, ox.NamedNode):
            return self.values(node, path) if forward else self.inverse(node, path)
        op, args = path.op, path.args
        if op == "^":
            return self.walk(args[0], node, not forward)
        if op == "|":
            return {v for a in args for v in self.walk(a, node, forward)}
        if op == "/":
            nodes: set[Term] = {node}
            for a in args if forward else reversed(args):
                nodes = {v for n in nodes for v in self.walk(a, n, forward)}
            return nodes
        step = args[0]
        if op == "?":
            return {node, *self.walk(step, node, forward)}
        seen: set[Term] = {node} if op == "*" else set()
        todo = [node]
        while todo:
            for v in self.walk(step, todo.pop(), forward):
                if v not in seen:
                    seen.add(v)
                    todo.append(v)
        return seen

    @property
    def store(self) -> ox.Store:
        """The data in an in-memory Oxigraph store, for the SPARQL-based constraints."""
        if self._store is None:
            self._store = ox.Store()
            self._store.extend(ox.Quad(s, p, o) for s, p, o in self.triples)
        return self._store


def _closure(pairs: Iterable[tuple[Term, Term]]) -> Callable[[Term], frozenset[Term]]:
    """Each class's superclasses, itself included (rdfs:subClassOf*)."""
    parents: defaultdict[Term, set[Term]] = defaultdict(set)
    for child, parent in pairs:
        parents[child].add(parent)
    memo: dict[Term, frozenset[Term]] = {}

    def supers(cls: Term) -> frozenset[Term]:
        if cls not in memo:
            seen, todo = {cls}, [cls]
            while todo:
                for parent in parents.get(todo.pop(), ()):
                    if parent not in seen:
                        seen.add(parent)
                        todo.append(parent)
            memo[cls] = frozenset(seen)
        return memo[cls]

    return supers


# --- results -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShaclResult:
    """One validation result, with everything a SHACL validation report says of it."""

    focus: Term
    path: Path | None
    value: Term | None
    severity: URIRef
    shape: Node  # the source shape, a node of the shapes graph
    component: URIRef  # the source constraint component
    constraint: Node | None = None  # the source constraint of a SPARQL-based constraint
    messages: frozenset[Literal] = frozenset()

    def violation(self) -> Violation:
        """The result as the build records it (and as :func:`medkg.validate.validate` does)."""
        messages = sorted(str(m) for m in self.messages)
        return Violation(
            focus=_text(self.focus),
            path=_path_text(self.path),
            message="; ".join(messages) or "sh:" + self.component.removeprefix(str(SH)),
            severity=str(self.severity).removeprefix(str(SH)),
            shape=term_text(self.shape),
            value=_text(self.value) if self.value is not None else None,
        )


@dataclass(frozen=True)
class ShaclReport:
    """A validation report: it conforms when there is no result at all (SHACL's reading;
    medkg's :class:`medkg.validate.ValidationReport` lets warnings pass). Results repeat as
    the report's result nodes would: once per constraint, failing pair and parent shape."""

    results: tuple[ShaclResult, ...]

    @property
    def conforms(self) -> bool:
        return not self.results


# --- compiled shapes -----------------------------------------------------------------------


class _At(NamedTuple):
    """A failure reported on another path than the shape's (sh:closed's)."""

    value: Term
    path: Path


Failure = Term | None | _At
# A check takes a focus node, its value nodes and the data, and yields the failures.
Check = Callable[[Term, list[Term], _Data], Iterator[Failure]]


@dataclass(frozen=True)
class _Constraint:
    component: URIRef
    check: Check


@dataclass(frozen=True)
class _Sparql:
    node: Node
    query: str  # the rewritten SELECT: $this bound in every group from the focus graph
    messages: frozenset[Literal]
    batch: bool  # whether all focus nodes may be bound at once (no LIMIT, no aggregates)


@dataclass
class _Shape:
    node: Node
    path: Path | None = None
    messages: frozenset[Literal] = frozenset()
    severity: URIRef = SH.Violation
    deactivated: bool = False
    constraints: list[_Constraint] = field(default_factory=list)
    properties: list[_Shape] = field(default_factory=list)
    sparql: list[_Sparql] = field(default_factory=list)
    target_nodes: list[Term] = field(default_factory=list)
    target_classes: list[Term] = field(default_factory=list)
    target_subjects_of: list[ox.NamedNode] = field(default_factory=list)
    target_objects_of: list[ox.NamedNode] = field(default_factory=list)

    @property
    def targeted(self) -> bool:
        return bool(
            self.target_nodes
            or self.target_classes
            or self.target_subjects_of
            or self.target_objects_of
        )

    def focus_nodes(self, data: _Data) -> set[Term]:
        nodes: set[Term] = set(self.target_nodes)
        for cls in self.target_classes:
            nodes |= data.instances(cls)
        for predicate in self.target_subjects_of:
            nodes |= data.subjects.get(predicate, set())
        for predicate in self.target_objects_of:
            nodes |= data.objects(predicate)
        return nodes

    def value_nodes(self, focus: Term, data: _Data) -> list[Term]:
        if self.path is None:
            return [focus]
        if isinstance(self.path, ox.NamedNode):
            return data.values(focus, self.path)
        return list(data.walk(self.path, focus))

    def conforms(self, node: Term, data: _Data) -> bool:
        """Whether ``node`` conforms: validating it as a focus node gives no result at all."""
        if self.deactivated:
            return True
        values = self.value_nodes(node, data)
        for constraint in self.constraints:
            for _ in constraint.check(node, values, data):
                return False
        if not all(p.conforms(v, data) for p in self.properties for v in values):
            return False
        return not any(any(True for _ in _solutions(c, [node], data)) for c in self.sparql)


class CompiledShapes:
    """A shapes graph compiled for :meth:`validate`; ``hierarchy`` holds ontology
    ``rdfs:subClassOf`` triples, which sh:class and sh:targetClass follow as if they were in
    the data (pySHACL's ``ont_graph``)."""

    def __init__(self, shapes: Graph, hierarchy: Graph) -> None:
        self._graph = shapes
        self._compiled: dict[Node, _Shape] = {}
        self._compiling: list[Node] = []
        self._read: set[tuple[Node, URIRef]] = set()  # (node, sh: predicate) pairs read
        self._sparql_nodes: set[Node] = set()
        self._pairs = [(_ox(s), _ox(o)) for s, o in hierarchy.subject_objects(RDFS.subClassOf)]
        self._supers = _closure(self._pairs)
        self._refuse_shape_subclasses()
        self._shape_set = self._shape_nodes()
        for node in sorted(self._shape_set, key=str):
            self._shape(node)
        self._refuse_unread()
        self.shapes = [s for s in self._compiled.values() if s.targeted and not s.deactivated]

    def validate(self, text: str) -> tuple[Violation, ...]:
        """The results of validating ``text`` (N-Triples, or N-Quads read as one graph)."""
        found = {result.violation() for result in self.report(text).results}
        return tuple(sorted(found, key=Violation.sort_key))

    def report(self, text: str) -> ShaclReport:
        """The validation report of ``text`` (N-Triples, or N-Quads read as one graph)."""
        triples: set[Triple] = set()
        for quad in ox.parse(text, ox.RdfFormat.N_QUADS):
            s, o = quad.subject, quad.object
            if isinstance(s, ox.Triple) or isinstance(o, ox.Triple):
                raise ValueError("RDF-star triple terms are not validated")
            triples.add((s, quad.predicate, o))
        local = [(s, o) for s, p, o in triples if p == _SUBCLASS_OF]
        supers = _closure([*self._pairs, *local]) if local else self._supers
        data = _Data(triples, supers)
        results: list[ShaclResult] = []
        for shape in self.shapes:
            self._check(shape, list(shape.focus_nodes(data)), data, results)
        return ShaclReport(tuple(results))

    def _check(
        self, shape: _Shape, focus: list[Term], data: _Data, into: list[ShaclResult]
    ) -> None:
        if shape.deactivated:
            return
        for node in focus:
            values = shape.value_nodes(node, data)
            for constraint in shape.constraints:
                for failure in constraint.check(node, values, data):
                    into.append(self._result(shape, node, failure, constraint.component))
            for prop in shape.properties:
                self._check(prop, values, data, into)
        for sparql in shape.sparql:
            for node, path, value in _solutions(sparql, focus, data):
                into.append(
                    ShaclResult(
                        focus=node,
                        path=path if path is not None else shape.path,
                        # pySHACL: a node shape's result is about its focus node
                        value=value if value is not None or shape.path is not None else node,
                        severity=shape.severity,
                        shape=shape.node,
                        component=SH.SPARQLConstraintComponent,
                        constraint=sparql.node,
                        messages=shape.messages | sparql.messages,  # as pySHACL gives them
                    )
                )

    @staticmethod
    def _result(shape: _Shape, node: Term, failure: Failure, component: URIRef) -> ShaclResult:
        path, value = shape.path, failure
        if isinstance(failure, _At):
            path, value = failure.path, failure.value
        assert not isinstance(value, _At)
        return ShaclResult(
            node, path, value, shape.severity, shape.node, component, None, shape.messages
        )

    # --- which nodes are shapes ---

    def _shape_nodes(self) -> set[Node]:
        """Every shape of the graph (SHACL 1.0 §2.1): typed, targeted, with a constraint
        parameter, or the value of a parameter that takes shapes."""
        g = self._graph
        nodes: set[Node] = set()
        for shape_type in _SHAPE_TYPES:
            nodes.update(g.subjects(RDF.type, shape_type))
        for s, p in g.subject_predicates():
            if p in _SHAPE_MAKERS:
                nodes.add(s)
        for p in _SHAPE_VALUED:
            nodes.update(g.objects(None, p))
        for p in _SHAPE_LISTS:
            for members in g.objects(None, p):
                nodes.update(self._list(members))
        return nodes

    def _refuse_shape_subclasses(self) -> None:
        """Refuse what would make shapes or classes the engine does not see as such."""
        g = self._graph
        for node in g.subjects(OWL.imports):  # imported graphs may hold shapes: not loaded
            raise UnsupportedShape(f"{node}: owl:imports is not followed")
        for cls, parent in g.subject_objects(RDFS.subClassOf):
            if str(parent).startswith(str(SH)) or parent in (RDFS.Class, OWL.Class):
                raise UnsupportedShape(f"{cls}: subclasses of {parent} are not supported")

    def _refuse_unread(self) -> None:
        """Refuse any sh: term that no shape read and that has no meaning for validation."""
        g = self._graph
        for s, p, o in g:
            if p == RDF.type and str(o).startswith(str(SH)):
                if o in _SHAPE_TYPES and s in self._compiled:
                    continue
                if o == SH.SPARQLConstraint and s in self._sparql_nodes:
                    continue
                if o in _OTHER_TYPES - {SH.SPARQLConstraint} and s not in self._compiled:
                    continue
                raise UnsupportedShape(f"{s}: instances of {o} are not supported")
            if not str(p).startswith(str(SH)) or (s, p) in self._read:
                continue
            if p in _INERT and s not in self._compiled and s not in self._sparql_nodes:
                continue
            raise UnsupportedShape(f"{s}: {p} is not supported by medkg.shacl")

    # --- reading the shapes graph ---

    def _objects(self, node: Node, predicate: URIRef) -> list[Node]:
        self._read.add((node, predicate))
        return list(self._graph.objects(node, predicate))

    def _one(self, node: Node, predicate: URIRef) -> Node | None:
        values = self._objects(node, predicate)
        if len(values) > 1:
            raise UnsupportedShape(f"{node}: more than one {predicate}")
        return values[0] if values else None

    def _list(self, node: Node) -> list[Node]:
        """The members of a well-formed rdf:List."""
        g, members, seen = self._graph, [], set()
        while node != RDF.nil:
            firsts, rests = list(g.objects(node, RDF.first)), list(g.objects(node, RDF.rest))
            if node in seen or len(firsts) != 1 or len(rests) != 1:
                raise UnsupportedShape(f"{node} is not a well-formed list")
            seen.add(node)
            members.append(firsts[0])
            node = rests[0]
        return members

    def _flag(self, node: Node, predicate: URIRef) -> bool:
        """A boolean parameter: only the literals true and false have a meaning."""
        value = self._one(node, predicate)
        if value is None or value == _FALSE:
            return False
        if value == _TRUE:
            return True
        raise UnsupportedShape(f"{node}: {predicate} {value!r} is neither true nor false")

    def _iri(self, node: Node, value: Node, what: str) -> ox.NamedNode:
        if not isinstance(value, URIRef):
            raise UnsupportedShape(f"{node}: {what} must be an IRI, not {value!r}")
        return ox.NamedNode(str(value))

    def _path(self, node: Node, depth: int = 0) -> Path:
        """A SHACL path (SHACL 1.0 §2.3.1), refused unless well-formed."""
        g = self._graph
        if isinstance(node, URIRef) and node != RDF.nil:
            return ox.NamedNode(str(node))
        if not isinstance(node, BNode) or depth > 50:  # deeper than any path: a cycle
            raise UnsupportedShape(f"{node!r} is not a SHACL path")
        kinds = {
            p
            for p in g.predicates(node)
            if p in (RDF.first, RDF.rest) or str(p).startswith(str(SH))
        }
        if kinds <= {RDF.first, RDF.rest} and kinds:
            members = self._list(node)
            if len(members) < 2:
                raise UnsupportedShape(f"{node}: a sequence path needs two members")
            return PathStep("/", tuple(self._path(m, depth + 1) for m in members))
        ops = {
            SH.inversePath: "^",
            SH.zeroOrMorePath: "*",
            SH.oneOrMorePath: "+",
            SH.zeroOrOnePath: "?",
        }
        if len(kinds) != 1:
            raise UnsupportedShape(f"{node}: not a well-formed SHACL path")
        kind = URIRef(str(next(iter(kinds))))
        value = self._one(node, kind)
        assert value is not None
        if kind == SH.alternativePath:
            members = self._list(value)
            if len(members) < 2:
                raise UnsupportedShape(f"{node}: an alternative path needs two members")
            return PathStep("|", tuple(self._path(m, depth + 1) for m in members))
        inner = self._path(value, depth + 1)
        if kind == SH.inversePath and isinstance(inner, PathStep) and inner.op == "/":
            # pySHACL finds no value along the inverse of a sequence; SHACL 1.0 finds some
            raise UnsupportedShape(f"{node}: sh:inversePath of a sequence path")
        if kind in ops:
            return PathStep(ops[kind], (inner,))
        raise UnsupportedShape(f"{node}: {kind} is not a SHACL path")

    # --- compiling one shape ---

    def _shape(self, node: Node) -> _Shape:
        if node in self._compiled:
            return self._compiled[node]
        if node in self._compiling:
            raise UnsupportedShape(f"{node}: recursive shapes are not supported")
        if not isinstance(node, URIRef | BNode):
            raise UnsupportedShape(f"{node!r} is not a shape")
        g = self._graph
        known = _IMPLEMENTED | _LABELS
        if (None, SH.sparql, node) in g:  # a shape that is its own SPARQL constraint
            known |= {SH.select, SH.prefixes}
        unknown = {p for p in g.predicates(node) if str(p).startswith(str(SH)) and p not in known}
        if unknown:
            first = min(unknown, key=str)
            raise UnsupportedShape(f"{node}: {first} is not supported by medkg.shacl")
        for label in _LABELS:
            self._read.add((node, label))
        self._compiling.append(node)
        try:
            shape = self._compile(node)
        finally:
            self._compiling.pop()
        self._compiled[node] = shape
        return shape

    def _compile(self, node: Node) -> _Shape:
        g = self._graph
        path_node = self._one(node, SH.path)
        types = set(g.objects(node, RDF.type))
        if path_node is not None and SH.NodeShape in types:
            raise UnsupportedShape(f"{node}: a node shape with sh:path")
        if path_node is None and SH.PropertyShape in types:
            raise UnsupportedShape(f"{node}: a property shape without sh:path")
        severity = self._one(node, SH.severity)
        if severity is not None and not isinstance(severity, URIRef):
            raise UnsupportedShape(f"{node}: sh:severity must be an IRI")
        messages = self._objects(node, SH.message)
        if any(not isinstance(m, Literal) or not isinstance(m.value, str) for m in messages):
            raise UnsupportedShape(f"{node}: sh:message must be a string")
        shape = _Shape(
            node,
            path=self._path(path_node) if path_node is not None else None,
            messages=frozenset(m for m in messages if isinstance(m, Literal)),
            severity=severity if isinstance(severity, URIRef) else SH.Violation,
            deactivated=self._flag(node, SH.deactivated),
        )
        for target in self._objects(node, SH.targetNode):
            if isinstance(target, BNode):  # a blank node of the shapes graph is not in the data
                raise UnsupportedShape(f"{node}: a blank node as sh:targetNode")
            shape.target_nodes.append(_ox(target))
        classes = self._objects(node, SH.targetClass)
        shape.target_classes = [self._iri(node, c, "sh:targetClass") for c in classes]
        if self._is_class(node, types):
            shape.target_classes.append(self._iri(node, node, "an implicit class target"))
        shape.target_subjects_of = [
            self._iri(node, p, "sh:targetSubjectsOf")
            for p in self._objects(node, SH.targetSubjectsOf)
        ]
        shape.target_objects_of = [
            self._iri(node, p, "sh:targetObjectsOf")
            for p in self._objects(node, SH.targetObjectsOf)
        ]
        shape.properties = [self._property(node, p) for p in self._objects(node, SH.property)]
        shape.constraints = list(self._constraints(node, shape))
        sparql = [self._sparql(node, shape, c) for c in self._objects(node, SH.sparql)]
        shape.sparql = [c for c in sparql if c is not None]
        if shape.sparql and any("{$" in m or "{?" in m for m in shape.messages):
            raise UnsupportedShape(f"{node}: message templates are not supported")
        return shape

    def _property(self, node: Node, value: Node) -> _Shape:
        prop = self._shape(value)
        if prop.path is None:
            raise UnsupportedShape(f"{node}: sh:property {value} is not a property shape")
        return prop

    def _is_class(self, node: Node, types: set[Node]) -> bool:
        """The implicit class target: a node or property shape that is also an rdfs:Class."""
        if OWL.Class in types:  # pySHACL and SHACL 1.0 read owl:Class differently
            raise UnsupportedShape(f"{node}: a shape that is an owl:Class")
        if RDFS.Class not in types:
            return False
        if not types & _SHAPE_TYPES:  # SHACL 1.0 targets only instances of the shape classes
            raise UnsupportedShape(f"{node}: an rdfs:Class used as a shape but not typed one")
        return True

    def _constraints(self, node: Node, shape: _Shape) -> Iterator[_Constraint]:
        is_property = shape.path is not None
        for cls in self._objects(node, SH["class"]):
            yield _Constraint(
                _component("Class"), _each(_instance_of(self._iri(node, cls, "sh:class")))
            )
        datatype = self._one(node, SH.datatype)
        if datatype is not None:
            if datatype == RDFS.Literal:  # pySHACL passes any literal, SHACL 1.0 none
                raise UnsupportedShape(f"{node}: sh:datatype rdfs:Literal")
            iri = self._iri(node, datatype, "sh:datatype")
            yield _Constraint(_component("Datatype"), _each(_datatype(iri.value)))
        kind = self._one(node, SH.nodeKind)
        if kind is not None:
            if kind not in _NODE_KINDS:
                raise UnsupportedShape(f"{node}: {kind!r} is not a node kind")
            yield _Constraint(_component("NodeKind"), _each(_node_kind(_NODE_KINDS[kind])))
        for name, cardinality in (("minCount", SH.minCount), ("maxCount", SH.maxCount)):
            count = self._one(node, cardinality)
            if count is None:
                continue
            if not is_property:
                raise UnsupportedShape(f"{node}: {cardinality} on a node shape")
            n = _integer(node, count)
            bounds = (n, None) if name == "minCount" else (0, n)
            yield _Constraint(_component(name[0].upper() + name[1:]), _count(*bounds))
        for name, test in (
            ("minExclusive", lambda c: c > 0),
            ("minInclusive", lambda c: c >= 0),
            ("maxExclusive", lambda c: c < 0),
            ("maxInclusive", lambda c: c <= 0),
        ):
            for bound in self._objects(node, SH[name]):
                if not isinstance(bound, Literal):
                    raise UnsupportedShape(f"{node}: sh:{name} must be a literal")
                check = _each(_in_range(bound, test))
                yield _Constraint(_component(name[0].upper() + name[1:]), check)
        minimum = self._one(node, SH.minLength)
        if minimum is not None:
            if _integer(node, minimum) == 0:  # pySHACL passes blank nodes then, SHACL 1.0 not
                raise UnsupportedShape(f"{node}: sh:minLength 0")
            check = _each(_length(_integer(node, minimum), None))
            yield _Constraint(_component("MinLength"), check)
        maximum = self._one(node, SH.maxLength)
        if maximum is not None:
            check = _each(_length(0, _integer(node, maximum)))
            yield _Constraint(_component("MaxLength"), check)
        patterns = self._objects(node, SH.pattern)
        flags = self._one(node, SH.flags)
        if flags is not None and not patterns:
            raise UnsupportedShape(f"{node}: sh:flags without sh:pattern")
        for pattern in patterns:
            yield _Constraint(_component("Pattern"), _each(_matches(_regex(node, pattern, flags))))
        languages = self._one(node, SH.languageIn)
        if languages is not None:
            yield _Constraint(
                _component("LanguageIn"), _each(_language_in(self._ranges(node, languages)))
            )
        if self._flag(node, SH.uniqueLang):
            if not is_property:
                raise UnsupportedShape(f"{node}: sh:uniqueLang on a node shape")
            yield _Constraint(_component("UniqueLang"), _unique_lang)
        for name in ("equals", "disjoint", "lessThan", "lessThanOrEquals"):
            for other in self._objects(node, SH[name]):
                predicate = self._iri(node, other, f"sh:{name}")
                if name.startswith("lessThan") and not is_property:
                    raise UnsupportedShape(f"{node}: sh:{name} on a node shape")
                check = _PAIRS[name](predicate)
                yield _Constraint(_component(name[0].upper() + name[1:]), check)
        for other in self._objects(node, SH["not"]):
            yield _Constraint(_component("Not"), _each(_none_of([self._shape(other)])))
        for name, combine in (("and", _all_of), ("or", _any_of), ("xone", _one_of)):
            for members in self._objects(node, SH[name]):
                shapes = [self._shape(m) for m in self._list(members)]
                check = _each(combine(shapes))
                yield _Constraint(_component(name[0].upper() + name[1:]), check)
        for other in self._objects(node, SH.node):
            yield _Constraint(_component("Node"), _each(_all_of([self._shape(other)])))
        yield from self._qualified(node, is_property)
        if self._flag(node, SH.closed):
            if is_property:
                raise UnsupportedShape(f"{node}: sh:closed on a property shape")
            allowed = {p.path for p in shape.properties if isinstance(p.path, ox.NamedNode)}
            for ignored in self._objects(node, SH.ignoredProperties):
                allowed |= {self._iri(node, p, "an ignored property") for p in self._list(ignored)}
            yield _Constraint(_component("Closed"), _closed(frozenset(allowed)))
        for wanted in self._objects(node, SH.hasValue):
            if isinstance(wanted, BNode):
                raise UnsupportedShape(f"{node}: a blank node as sh:hasValue")
            yield _Constraint(_component("HasValue"), _has_value(_ox(wanted)))
        allowed_list = self._one(node, SH["in"])
        if allowed_list is not None:
            listed = self._list(allowed_list)
            if any(isinstance(m, BNode) for m in listed):
                raise UnsupportedShape(f"{node}: a blank node in sh:in")
            yield _Constraint(_component("In"), _each(_member_of({_ox(m) for m in listed})))

    def _qualified(self, node: Node, is_property: bool) -> Iterator[_Constraint]:
        g = self._graph
        value_shape = self._one(node, SH.qualifiedValueShape)
        counts = [p for p in (SH.qualifiedMinCount, SH.qualifiedMaxCount) if (node, p, None) in g]
        disjoint = (node, SH.qualifiedValueShapesDisjoint, None) in g
        if value_shape is None:
            if counts or disjoint:  # nothing to count: SHACL ignores them, medkg refuses
                raise UnsupportedShape(f"{node}: qualified counts without sh:qualifiedValueShape")
            return
        if not is_property:
            raise UnsupportedShape(f"{node}: sh:qualifiedValueShape on a node shape")
        if not counts:
            raise UnsupportedShape(f"{node}: sh:qualifiedValueShape without a count")
        qualified = self._shape(value_shape)
        siblings: list[_Shape] = []
        if self._flag(node, SH.qualifiedValueShapesDisjoint):
            parents = set(g.subjects(SH.property, node))
            others = {
                q
                for parent in parents
                for sibling in g.objects(parent, SH.property)
                for q in g.objects(sibling, SH.qualifiedValueShape)
            } - {value_shape}
            siblings = [self._shape(q) for q in sorted(others, key=str)]
        low = self._one(node, SH.qualifiedMinCount)
        high = self._one(node, SH.qualifiedMaxCount)
        if low is not None:
            check = _qualified_count(qualified, siblings, _integer(node, low), None)
            yield _Constraint(_component("QualifiedMinCount"), check)
        if high is not None:
            check = _qualified_count(qualified, siblings, 0, _integer(node, high))
            yield _Constraint(_component("QualifiedMaxCount"), check)

    def _ranges(self, node: Node, languages: Node) -> set[str]:
        ranges = set()
        for tag in self._list(languages):
            if not isinstance(tag, Literal) or not isinstance(tag.value, str) or tag.language:
                raise UnsupportedShape(f"{node}: sh:languageIn takes strings")
            if "-" in str(tag):  # pySHACL matches the first subtag only, langMatches all
                raise UnsupportedShape(f"{node}: the language range {tag} has subtags")
            ranges.add(str(tag).lower())
        return ranges

    # --- SPARQL-based constraints ---

    def _sparql(self, node: Node, shape: _Shape, constraint: Node) -> _Sparql | None:
        """A SPARQL-based constraint, checked and rewritten; None when deactivated."""
        g = self._graph
        self._sparql_nodes.add(constraint)
        known = {SH.select, SH.message, SH.prefixes, SH.deactivated}
        if constraint in self._shape_set:  # a shape that is its own constraint: it reads the rest
            known |= _IMPLEMENTED
        for p in g.predicates(constraint):
            if not str(p).startswith(str(SH)):
                continue
            if p not in known | _LABELS:
                raise UnsupportedShape(f"{constraint}: {p} is not supported in sh:sparql")
            self._read.add((constraint, URIRef(str(p))))
        select = self._one(constraint, SH.select)
        if not isinstance(select, Literal) or not isinstance(select.value, str):
            raise UnsupportedShape(f"{constraint}: a SPARQL constraint needs one sh:select")
        messages = self._objects(constraint, SH.message)
        if any(not isinstance(m, Literal) or "{$" in m or "{?" in m for m in messages):
            raise UnsupportedShape(f"{constraint}: message templates are not supported")
        prefixes = self._prefixes(constraint)
        path = _path_sparql(shape.path) if shape.path is not None else None
        try:
            query, batch = _prebound(prefixes + str(select), path)
        except UnsupportedShape as error:
            raise UnsupportedShape(f"{constraint}: {error}") from None
        if self._flag(constraint, SH.deactivated):
            return None
        return _Sparql(
            constraint, query, frozenset(m for m in messages if isinstance(m, Literal)), batch
        )

    def _prefixes(self, constraint: Node) -> str:
        declared: dict[str, str] = {}
        for source in self._objects(constraint, SH.prefixes):
            for declaration in self._graph.objects(source, SH.declare):
                prefix = self._one(declaration, SH.prefix)
                namespace = self._one(declaration, SH.namespace)
                if prefix is None or namespace is None:
                    raise UnsupportedShape(f"{declaration}: a prefix declaration is incomplete")
                name, iri = str(prefix), str(namespace)
                if not re.fullmatch(r"[A-Za-z][\w.-]*|", name) or re.search(r'[<>"{}|^`\\\s]', iri):
                    raise UnsupportedShape(f"{declaration}: cannot declare {name}: <{iri}>")
                if declared.setdefault(name, iri) != iri:
                    raise UnsupportedShape(f"{constraint}: the prefix {name} is declared twice")
        return "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in declared.items())


# sh: predicates of a shape that the compiler reads
_IMPLEMENTED = {
    SH.path, SH.property, SH.sparql, SH.severity, SH.message, SH.deactivated, *_TARGETS,
    SH["class"], SH.datatype, SH.nodeKind, SH.minCount, SH.maxCount, SH.minExclusive,
    SH.minInclusive, SH.maxExclusive, SH.maxInclusive, SH.minLength, SH.maxLength, SH.pattern,
    SH.flags, SH.languageIn, SH.uniqueLang, SH.equals, SH.disjoint, SH.lessThan,
    SH.lessThanOrEquals, SH["not"], SH["and"], SH["or"], SH.xone, SH.node,
    SH.qualifiedValueShape, SH.qualifiedMinCount, SH.qualifiedMaxCount,
    SH.qualifiedValueShapesDisjoint, SH.closed, SH.ignoredProperties, SH.hasValue, SH["in"],
}  # fmt: skip
# sh: predicates of SHACL-SPARQL and SHACL-AF that make their subject a shape: refused
_NOT_IMPLEMENTED = {
    SH.target, SH.rule, SH.js, SH.expression, SH.condition, SH.parameter, SH.validator,
    SH.nodeValidator, SH.propertyValidator,
}  # fmt: skip
# a subject of these is a shape (SHACL 1.0 §2.1); SPARQL constraints carry messages too
_SHAPE_MAKERS = (_IMPLEMENTED | _NOT_IMPLEMENTED) - {SH.message}


# --- SPARQL: pre-binding $this ------------------------------------------------------------

# SPARQL's tokens, enough to find groups and variables outside strings, IRIs and comments
_TOKENS = re.compile(
    r"""(?P<space>\s+)
    |(?P<comment>\#[^\n\r]*)
    |(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    |(?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
        |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
    |(?P<var>[?$][\w\u00B7\u0300-\u036F\u203F-\u2040]+)
    |(?P<word>[A-Za-z_][\w-]*)
    |(?P<other>.)""",
    re.X | re.S,
)
_BIND_THIS = f"GRAPH <{_FOCUS_GRAPH.value}> {{ <{_FOCUS_GRAPH.value}> <{_FOCUS_IS.value}> ?this }} "


def _prebound(query: str, path: str | None) -> tuple[str, bool]:
    """``query`` with ``$PATH`` replaced by ``path`` and ``$this`` bound in every group, and
    whether it may run for all focus nodes at once; refused when SHACL forbids pre-binding."""
    tokens: list[str] = []
    kinds: list[str | None] = []
    for token in _TOKENS.finditer(query):
        text = token.group()
        if token.lastgroup == "var" and text[1:] == "PATH":  # SHACL 1.0 §6.3: textually
            if path is None:
                raise UnsupportedShape("$PATH in a node shape's query")
            text = path
        tokens.append(text)
        kinds.append(token.lastgroup)
    batch = _allowed("".join(tokens))
    parts: list[str] = []
    significant = [i for i, kind in enumerate(kinds) if kind not in ("space", "comment")]
    following = dict(itertools.pairwise(significant))
    for i, text in enumerate(tokens):
        parts.append(text)
        # every group binds ?this, as SHACL's values insertion joins every BGP with it;
        # a group that holds a sub-select binds it in the sub-select's own WHERE
        if kinds[i] == "other" and text == "{":
            after = following.get(i)
            if after is None or tokens[after].upper() != "SELECT":
                parts.append(" " + _BIND_THIS)
    rewritten = "".join(parts)
    try:
        ox.Store().query(rewritten)
    except SyntaxError as error:
        raise UnsupportedShape(f"Oxigraph cannot run the query: {error}") from None
    return rewritten, batch


def _allowed(query: str) -> bool:
    """Refuse what SHACL 1.0 forbids with pre-binding (§5.3.1) and what this engine does not
    run; true when no LIMIT, OFFSET or aggregate makes one focus node's answer depend on the
    others."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery
    from rdflib.plugins.sparql.parserutils import CompValue

    try:
        parsed = parseQuery(query)
    except ParseException as error:
        raise UnsupportedShape(f"the query does not parse: {error}") from None
    select = parsed[1]
    if not isinstance(select, CompValue) or select.name != "SelectQuery":
        raise UnsupportedShape("only SELECT queries are supported")
    forbidden = {
        "MinusGraphPattern": "MINUS",
        "InlineData": "VALUES",
        "ValuesClause": "VALUES",
        "ServiceGraphPattern": "SERVICE",
        "GraphGraphPattern": "GRAPH",
    }
    batch = True
    for node in _walk(select):
        name = node.name
        if name in forbidden and (name != "ValuesClause" or any(node.values())):
            raise UnsupportedShape(f"SHACL forbids {forbidden[name]} in a pre-bound query")
        if _field(node, "datasetClause"):
            raise UnsupportedShape("FROM in a constraint's query")
        if _field(node, "evar") == Variable("this") or (
            name in ("Bind", "GroupAs") and _field(node, "var") == Variable("this")
        ):
            raise UnsupportedShape("SHACL forbids AS ?this in a pre-bound query")
        if name == "SubSelect" and Variable("this") not in _projected(node):
            raise UnsupportedShape("a sub-select must project $this")
        if name in ("GroupClause", "HavingClause") or name.startswith("Aggregate_"):
            batch = False
        if name in ("SelectQuery", "SubSelect") and _field(node, "limitoffset"):
            batch = False
    for variable in _variables(select):
        if str(variable) in ("shapesGraph", "currentShape", "failure"):
            raise UnsupportedShape(f"${variable} is not supported")
    projected = _projected(select)
    if Variable("this") not in projected:
        raise UnsupportedShape("the query must project $this")
    if Variable("message") in projected:
        raise UnsupportedShape("?message in a query's results is not supported")
    return batch


def _field(node: object, key: str) -> object:
    """A field of a CompValue (whose own get() answers the key itself when it is missing)."""
    return dict.get(node, key) if isinstance(node, dict) else None


def _children(node: object) -> list[object]:
    """The parts of a node of rdflib's parse tree (a CompValue, a list, pyparsing's results)."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        return list(node.values())
    if isinstance(node, list | tuple | ParseResults):
        return list(node)
    return []


def _walk(node: object) -> Iterator[CompValue]:
    """Every CompValue of a parse tree (the query's clauses and patterns)."""
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        yield node
    for child in _children(node):
        yield from _walk(child)


def _variables(node: object) -> Iterator[Variable]:
    if isinstance(node, Variable):
        yield node
    for child in _children(node):
        yield from _variables(child)


def _projected(select: object) -> set[Variable]:
    """The variables a SELECT returns: those listed, or for ``SELECT *`` those in scope."""
    projection = _field(select, "projection")
    if projection:
        listed = (_field(v, key) for v in _children(projection) for key in ("var", "evar"))
        return {v for v in listed if isinstance(v, Variable)}
    return _in_scope(_field(select, "where"))


def _in_scope(node: object) -> set[Variable]:
    """SPARQL 1.1 §18.2.1: the variables a group pattern binds (a FILTER binds none)."""
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        name = node.name
        if name == "TriplesBlock":
            return set(_variables(node))
        if name in ("Filter", "MinusGraphPattern"):
            return set()
        if name == "Bind":
            return set(_variables(_field(node, "var")))
        if name == "SubSelect":
            return _projected(node)
        if name == "InlineData":
            return set(_variables(_field(node, "var")))
        found: set[Variable] = set()
        for key in ("part", "graph", "term"):
            if key in node:
                found |= _in_scope(node[key])
        return found
    if isinstance(node, Variable):
        return {node}
    return {v for child in _children(node) for v in _in_scope(child)}


def _solutions(
    sparql: _Sparql, focus: Sequence[Term], data: _Data
) -> Iterator[tuple[Term, Path | None, Term | None]]:
    """The focus node, ``?path`` and ``?value`` of each solution of a SPARQL constraint
    (solutions alike in every variable count once, as pySHACL counts them)."""
    if not sparql.query or not focus:
        return
    store = data.store
    batches = [list(focus)] if sparql.batch else [[node] for node in focus]
    seen: set[tuple[object, ...]] = set()
    for batch in batches:
        store.remove_graph(_FOCUS_GRAPH)
        store.extend(ox.Quad(_FOCUS_GRAPH, _FOCUS_IS, node, _FOCUS_GRAPH) for node in batch)
        solutions = store.query(sparql.query, named_graphs=[_FOCUS_GRAPH])
        assert isinstance(solutions, ox.QuerySolutions)
        names = {v.value for v in solutions.variables}
        rows = {tuple(row[v] for v in solutions.variables): row for row in solutions}
        for key, row in rows.items():  # all read before the focus graph changes
            if key in seen:
                continue
            seen.add(key)
            node = row["this"]
            assert node is not None and not isinstance(node, ox.Triple)
            path = row["path"] if "path" in names else None
            value = row["value"] if "value" in names else None
            if path is not None and not isinstance(path, ox.NamedNode):
                raise ValueError(f"{sparql.node}: ?path is bound to {path}, not an IRI")
            if isinstance(value, ox.Triple):
                raise ValueError("RDF-star triple terms are not validated")
            yield node, path, value
    store.remove_graph(_FOCUS_GRAPH)


# --- the whole ----------------------------------------------------------------------------


@functools.cache
def compiled() -> CompiledShapes:
    """``ontology/shapes.ttl`` compiled, with the ontology's class hierarchy (once a process).
    Each shape that reports must carry an sh:message (pySHACL writes its own text otherwise)."""
    shapes = CompiledShapes(load_shapes(), load_class_hierarchy())
    todo = list(shapes.shapes)
    while todo:
        shape = todo.pop()
        todo.extend(shape.properties)
        silent = shape.constraints or any(not c.messages for c in shape.sparql)
        if silent and not shape.messages:
            raise UnsupportedShape(f"{shape.node}: a shape that reports needs an sh:message")
    return shapes


def validate_text(text: str) -> tuple[Violation, ...]:
    """Every result (warnings too) of validating ``text``, N-Triples or N-Quads read as one
    graph (an article's graph and the terminology records it uses), against medkg's shapes."""
    return compiled().validate(text)


def validate_with(shapes: Graph, text: str, hierarchy: Graph | None = None) -> ShaclReport:
    """The report of validating ``text`` (N-Triples, or N-Quads read as one graph) against any
    shapes graph; raises :class:`UnsupportedShape` when the engine cannot run it exactly."""
    return CompiledShapes(shapes, hierarchy if hierarchy is not None else Graph()).report(text)


# --- the components ------------------------------------------------------------------------


ValueTest = Callable[[Term, _Data], bool]  # whether one value node passes


def _each(test: ValueTest) -> Check:
    """A check that tests each value node on its own."""

    def check(focus: Term, values: list[Term], data: _Data) -> Iterator[Failure]:
        return (value for value in values if not test(value, data))

    return check


def _count(minimum: int, maximum: int | None) -> Check:
    def check(focus: Term, values: list[Term], data: _Data) -> Iterator[Failure]:
        if len(values) < minimum or (maximum is not None and len(values) > maximum):
            yield NO_VALUE

    return check


def _integer(shape: Node, node: Node) -> int:
    if (
        not isinstance(node, Literal)
        or type(node.value) is not int
        or node.value < 0
        or node.ill_typed
    ):
        raise UnsupportedShape(f"{shape}: {node!r} is not a non-negative integer")
    return node.value


def _instance_of(cls: Term) -> ValueTest:
    return lambda value, data: not isinstance(value, ox.Literal) and data.is_instance(value, cls)


def _node_kind(kinds: tuple[type, ...]) -> ValueTest:
    return lambda value, data: isinstance(value, kinds)


def _string(term: Term) -> str:
    """SPARQL's str(): a literal's lexical form, an IRI's text."""
    return term.value


def _regex(node: Node, pattern: Node, flags: Node | None) -> re.Pattern[str]:
    if not isinstance(pattern, Literal) or not isinstance(pattern.value, str):
        raise UnsupportedShape(f"{node}: sh:pattern must be a string")
    letters = str(flags) if flags is not None else ""
    if set(letters) - {"i", "m"}:  # pySHACL reads i and m only
        raise UnsupportedShape(f"{node}: sh:flags {letters!r} (only i and m are supported)")
    try:
        return re.compile(
            str(pattern), (re.I if "i" in letters else 0) | (re.M if "m" in letters else 0)
        )
    except re.error as error:
        raise UnsupportedShape(f"{node}: sh:pattern {str(pattern)!r}: {error}") from None


def _matches(regex: re.Pattern[str]) -> ValueTest:
    """pySHACL's sh:pattern: a search in the value's string; a blank node never matches."""
    return lambda value, data: (
        not isinstance(value, ox.BlankNode) and regex.search(_string(value)) is not None
    )


def _length(minimum: int, maximum: int | None) -> ValueTest:
    """sh:minLength and sh:maxLength: the length of str(); a blank node never passes."""

    def test(value: Term, data: _Data) -> bool:
        if isinstance(value, ox.BlankNode):
            return False
        length = len(_string(value))
        return length >= minimum and (maximum is None or length <= maximum)

    return test


def _member_of(allowed: set[Term]) -> ValueTest:
    return lambda value, data: value in allowed


def _any_of(shapes: list[_Shape]) -> ValueTest:
    return lambda value, data: any(shape.conforms(value, data) for shape in shapes)


def _all_of(shapes: list[_Shape]) -> ValueTest:
    return lambda value, data: all(shape.conforms(value, data) for shape in shapes)


def _none_of(shapes: list[_Shape]) -> ValueTest:
    return lambda value, data: not any(shape.conforms(value, data) for shape in shapes)


def _one_of(shapes: list[_Shape]) -> ValueTest:
    return lambda value, data: sum(shape.conforms(value, data) for shape in shapes) == 1


def _has_value(wanted: Term) -> Check:
    def check(focus: Term, values: list[Term], data: _Data) -> Iterator[Failure]:
        if wanted not in values:
            yield NO_VALUE

    return check


def _closed(allowed: frozenset[ox.NamedNode]) -> Check:
    def check(focus: Term, values: list[Term], data: _Data) -> Iterator[Failure]:
        for value in values:
            for predicate, objects in data.out.get(value, {}).items():
                if predicate not in allowed:
                    yield from (_At(o, predicate) for o in objects)

    return check


def _qualified_count(
    shape: _Shape, siblings: list[_Shape], minimum: int, maximum: int | None
) -> Check:
    def check(focus: Term, values: list[Term], data: _Data) -> Iterator[Failure]:
        count = sum(
            1
            for v in values
            if shape.conforms(v, data) and not any(s.conforms(v, data) for s in siblings)
        )
        if count < minimum or (maximum is not None and count > maximum):
            yield NO_VALUE

    return check


def _datatype(datatype: str) -> ValueTest:
    """pySHACL's sh:datatype: the literal's datatype, and a value of it when well-typed."""

    def test(value: Term, data: _Data) -> bool:
        if not isinstance(value, ox.Literal):
            return False
        if value.language:
            return datatype == _LANG_STRING
        if value.datatype.value != datatype:
            return False
        if datatype == _STRING:
            return True  # a string is never ill-typed
        literal = _rdflib(value)
        assert isinstance(literal, Literal)
        kind = _VALUE_TYPES.get(datatype, object)
        return not literal.ill_typed and isinstance(literal.value, kind)

    return test


def _language_in(wanted: set[str]) -> ValueTest:
    def test(value: Term, data: _Data) -> bool:
        if not isinstance(value, ox.Literal) or not value.language:
            return False
        tag = value.language.lower()
        return "*" in wanted or tag in wanted or tag.split("-")[0] in wanted

    return test


def _unique_lang(focus: Term, values: list[Term], data: _Data) -> Iterator[Failure]:
    tags = [v.language.lower() for v in values if isinstance(v, ox.Literal) and v.language]
    for _ in {tag for tag in tags if tags.count(tag) > 1}:
        yield NO_VALUE


def _equals(other: ox.NamedNode) -> Check:
    def check(focus: Term, values: list[Term], data: _Data) -> Iterator[Failure]:
        others = data.values(focus, other)
        yield from (v for v in values if v not in others)
        yield from (o for o in others if o not in values)

    return check


def _disjoint(other: ox.NamedNode) -> Check:
    def check(focus: Term, values: list[Term], data: _Data) -> Iterator[Failure]:
        others = data.values(focus, other)
        yield from (v for v in values if v in others)

    return check


def _less_than(strict: bool) -> Callable[[ox.NamedNode], Check]:
    """pySHACL's sh:lessThan(OrEquals): strings (and IRIs, as strings) compare with strings,
    other literals as rdflib orders them; a blank node is an error."""

    def comparable(term: Term) -> tuple[bool, object]:
        if isinstance(term, ox.BlankNode):
            raise ValueError("sh:lessThan cannot compare a blank node")
        node = _rdflib(term)
        if isinstance(node, URIRef):
            return True, str(node)
        if isinstance(node, Literal) and isinstance(node.value, str):
            return True, node.value
        return False, node

    def for_predicate(other: ox.NamedNode) -> Check:
        def check(focus: Term, values: list[Term], data: _Data) -> Iterator[Failure]:
            if not values:  # nothing is compared: a blank node bound is no error
                return
            bounds = [comparable(b) for b in dict.fromkeys(data.values(focus, other))]
            for value in values:
                is_string, left = comparable(value)
                for bound_is_string, right in bounds:
                    ordered = left < right if strict else left <= right  # type: ignore[operator]
                    if is_string != bound_is_string or not ordered:
                        yield value

        return check

    return for_predicate


_PAIRS: dict[str, Callable[[ox.NamedNode], Check]] = {
    "equals": _equals,
    "disjoint": _disjoint,
    "lessThan": _less_than(strict=True),
    "lessThanOrEquals": _less_than(strict=False),
}


def _in_range(bound: Literal, holds: Callable[[int], bool]) -> ValueTest:
    """pySHACL's sh:min/maxIn/Exclusive: strings compare only with strings, other literals as
    pySHACL's compare_literal does (an ill-typed literal too, where SPARQL would fail to
    compare); IRIs and blank nodes never pass."""
    bound_is_string = isinstance(bound.value, str)

    def test(value: Term, data: _Data) -> bool:
        node = _rdflib(value)
        if not isinstance(node, Literal):
            return False
        if isinstance(node.value, str) != bound_is_string:
            return False
        if type(node.value) is int and type(bound.value) is int and not node.ill_typed:
            return holds((node.value > bound.value) - (node.value < bound.value))  # fast
        from pyshacl.rdfutil.compare import compare_literal

        try:
            return holds(compare_literal(node, bound))  # type: ignore[no-untyped-call]
        except (TypeError, NotImplementedError):
            return False

    return test
