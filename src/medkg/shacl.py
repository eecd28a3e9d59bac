"""SHACL validation in milliseconds: medkg's shapes compiled once into Python checks over an
in-memory index of the data, with their SPARQL-based constraints run by Oxigraph.

pySHACL (:func:`medkg.validate.validate`) stays the reference engine. This one gives the very
results pySHACL gives, result for result (``tests/test_shacl.py`` breaks real article graphs
hundreds of ways and compares), where pySHACL takes about 0.1 s per article: most of a build.

It implements the SHACL Core components and the SPARQL-based constraints that
``ontology/shapes.ttl`` uses, with pySHACL's reading of each (its ordering of literals, its
ill-typed literals, its messages). A shapes graph that uses anything else is refused when it
is compiled (:class:`UnsupportedShape`), never skipped.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import Node

from medkg.validate import Violation, load_class_hierarchy, load_shapes, term_text

__all__ = ["CompiledShapes", "UnsupportedShape", "validate_text"]

Term = ox.NamedNode | ox.BlankNode | ox.Literal
NO_VALUE = None  # a result without sh:value (cardinality, uniqueLang)

_RDF_TYPE = ox.NamedNode(str(RDF.type))
_SUBCLASS_OF = ox.NamedNode(str(RDFS.subClassOf))
_XSD_STRING = ox.NamedNode(str(XSD.string))
_LANG_STRING = str(RDF.langString)
_STRING = str(XSD.string)

# sh: terms a shape may use; anything else in the sh: namespace is refused
_LABELS = {SH.name, SH.description, SH.message, SH.severity, SH.order, SH.group}
_STRUCTURE = {SH.property, SH.path, SH.targetClass, SH.targetSubjectsOf, SH.sparql, SH.flags}
_COMPONENTS = {
    SH["class"], SH.datatype, SH.nodeKind, SH.pattern, SH.minLength, SH.minCount,
    SH.maxCount, SH["in"], SH.languageIn, SH.uniqueLang, SH.lessThan, SH.minInclusive,
    SH["or"],
}  # fmt: skip
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


class UnsupportedShape(ValueError):
    """The shapes graph uses a SHACL feature this engine does not implement."""


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
    """A data term as the rdflib term pySHACL sees: its value, ill-typedness and order."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype == _XSD_STRING:
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def _text(term: Term) -> str:
    """A term as :class:`medkg.validate.Violation` writes it."""
    return term_text(_rdflib(term))


def _string(term: Term) -> str:
    """The string that sh:pattern and sh:minLength test, as pySHACL forms it."""
    if isinstance(term, ox.Literal) and (term.language or term.datatype == _XSD_STRING):
        return term.value
    return str(_rdflib(term))


# --- the data ------------------------------------------------------------------------------


Triple = tuple[ox.NamedNode | ox.BlankNode, ox.NamedNode, Term]


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

    def values(self, focus: Term, path: ox.NamedNode) -> list[Term]:
        by_predicate = self.out.get(focus)
        return by_predicate.get(path, []) if by_predicate else []

    def is_instance(self, node: Term, cls: Term) -> bool:
        return any(cls in self.supers(t) for t in self.values(node, _RDF_TYPE))

    def instances(self, cls: Term) -> set[Term]:
        return {s for s in self.subjects.get(_RDF_TYPE, ()) if self.is_instance(s, cls)}

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


# --- compiled shapes -----------------------------------------------------------------------

# A check takes a focus node, its value nodes and the data, and yields the value nodes that
# fail (NO_VALUE for a result about the focus node as a whole).
Check = Callable[[Term, list[Term], _Data], Iterator[Term | None]]


@dataclass(frozen=True)
class _Sparql:
    query: str  # the constraint's SELECT, $this bound by a VALUES block at {focus}
    messages: tuple[str, ...]


@dataclass
class _Shape:
    node: Node
    path: ox.NamedNode | None = None
    messages: tuple[str, ...] = ()
    severity: str = "Violation"
    checks: list[Check] = field(default_factory=list)
    properties: list[_Shape] = field(default_factory=list)
    sparql: list[_Sparql] = field(default_factory=list)
    target_classes: list[Term] = field(default_factory=list)
    target_subjects_of: list[ox.NamedNode] = field(default_factory=list)

    def focus_nodes(self, data: _Data) -> set[Term]:
        nodes: set[Term] = set()
        for cls in self.target_classes:
            nodes |= data.instances(cls)
        for predicate in self.target_subjects_of:
            nodes |= data.subjects.get(predicate, set())
        return nodes

    def value_nodes(self, focus: Term, data: _Data) -> list[Term]:
        return data.values(focus, self.path) if self.path else [focus]

    def conforms(self, node: Term, data: _Data) -> bool:
        """Whether ``node`` conforms (for sh:or, whose members are checked, not reported)."""
        if self.sparql:
            raise UnsupportedShape(f"{self.node}: SPARQL-based constraints inside sh:or")
        values = self.value_nodes(node, data)
        failing = (failure for check in self.checks for failure in check(node, values, data))
        return not any(True for _ in failing) and all(
            p.conforms(v, data) for p in self.properties for v in values
        )


class CompiledShapes:
    """A shapes graph compiled for :meth:`validate`; ``hierarchy`` holds the ontology's
    ``rdfs:subClassOf`` triples, which sh:class and sh:targetClass follow."""

    def __init__(self, shapes: Graph, hierarchy: Graph) -> None:
        self._graph = shapes
        self._compiled: dict[Node, _Shape] = {}
        self._pairs = [(_ox(s), _ox(o)) for s, o in hierarchy.subject_objects(RDFS.subClassOf)]
        self._supers = _closure(self._pairs)
        targeted = {*shapes.subjects(SH.targetClass), *shapes.subjects(SH.targetSubjectsOf)}
        self.shapes = [self._shape(node) for node in sorted(targeted, key=str)]

    def validate(self, text: str) -> tuple[Violation, ...]:
        """The results of validating ``text`` (N-Triples, or N-Quads read as one graph)."""
        triples: set[Triple] = set()
        for quad in ox.parse(text, ox.RdfFormat.N_QUADS):
            s, o = quad.subject, quad.object
            if isinstance(s, ox.Triple) or isinstance(o, ox.Triple):
                raise ValueError("RDF-star triple terms are not validated")
            triples.add((s, quad.predicate, o))
        local = [(s, o) for s, p, o in triples if p == _SUBCLASS_OF]
        supers = _closure([*self._pairs, *local]) if local else self._supers
        data = _Data(triples, supers)
        results: set[Violation] = set()
        for shape in self.shapes:
            self._check(shape, list(shape.focus_nodes(data)), data, results)
        return tuple(sorted(results, key=Violation.sort_key))

    def _check(self, shape: _Shape, focus: list[Term], data: _Data, into: set[Violation]) -> None:
        path = shape.path.value if shape.path else None
        for node in focus:
            values = shape.value_nodes(node, data)
            for check in shape.checks:
                for value in check(node, values, data):
                    into.add(self._result(shape, node, path, value, shape.messages))
            for prop in shape.properties:
                self._check(prop, values, data, into)
        for constraint in shape.sparql:
            self._run_sparql(shape, constraint, focus, data, into)

    def _run_sparql(
        self,
        shape: _Shape,
        constraint: _Sparql,
        focus: list[Term],
        data: _Data,
        into: set[Violation],
    ) -> None:
        if not focus:
            return
        if any(not isinstance(node, ox.NamedNode) for node in focus):
            raise ValueError("a SPARQL-based constraint's focus node is not an IRI")
        values = " ".join(str(node) for node in focus)
        solutions = data.store.query(constraint.query.replace("{focus}", values, 1))
        assert isinstance(solutions, ox.QuerySolutions)
        names = {v.value for v in solutions.variables}
        if "this" not in names:
            raise UnsupportedShape(f"{shape.node}: a SPARQL-based constraint must select $this")
        messages = shape.messages + tuple(m for m in constraint.messages if m not in shape.messages)
        for row in solutions:
            node = row["this"]
            value = row["value"] if "value" in names else None
            path = row["path"] if "path" in names else None
            result_path = path.value if isinstance(path, ox.NamedNode) else None
            into.add(
                self._result(
                    shape, node, result_path, value if value is not None else node, messages
                )
            )

    def _result(
        self,
        shape: _Shape,
        node: Term,
        path: str | None,
        value: Term | None,
        messages: tuple[str, ...],
    ) -> Violation:
        return Violation(
            focus=_text(node),
            path=path,
            message="; ".join(sorted(messages)),
            severity=shape.severity,
            shape=str(shape.node),
            value=_text(value) if value is not None else None,
        )

    # --- compiling one shape ---

    def _shape(self, node: Node) -> _Shape:
        if node in self._compiled:
            return self._compiled[node]
        g = self._graph
        for predicate in set(g.predicates(node)):
            if str(predicate).startswith(str(SH)) and predicate not in (
                _LABELS | _STRUCTURE | _COMPONENTS
            ):
                raise UnsupportedShape(f"{node}: {predicate} is not supported by medkg.shacl")
        path = g.value(node, SH.path)
        if path is not None and not isinstance(path, URIRef):
            raise UnsupportedShape(f"{node}: only a single IRI is supported as sh:path")
        severity = g.value(node, SH.severity)
        shape = self._compiled[node] = _Shape(
            node,
            path=ox.NamedNode(str(path)) if path is not None else None,
            messages=tuple(sorted({str(m) for m in g.objects(node, SH.message)})),
            severity=str(severity).removeprefix(str(SH)) if severity else "Violation",
            target_classes=[_ox(c) for c in g.objects(node, SH.targetClass)],
            target_subjects_of=[ox.NamedNode(str(p)) for p in g.objects(node, SH.targetSubjectsOf)],
        )
        shape.properties = [self._shape(p) for p in g.objects(node, SH.property)]
        shape.sparql = [self._sparql(node, c) for c in g.objects(node, SH.sparql)]
        shape.checks = list(self._checks(node, path is not None))
        reports = shape.checks or shape.sparql
        if reports and not isinstance(node, BNode) and not (shape.messages or shape.sparql):
            raise UnsupportedShape(f"{node}: a shape that reports needs an sh:message")
        if any("{" in m for m in shape.messages):
            raise UnsupportedShape(f"{node}: message templates are not supported")
        return shape

    def _list(self, node: Node) -> list[Node]:
        return list(Collection(self._graph, node))

    def _checks(self, node: Node, is_property: bool) -> Iterator[Check]:
        g = self._graph
        for cls in g.objects(node, SH["class"]):
            yield _each(_instance_of(_ox(cls)))
        for datatype in g.objects(node, SH.datatype):
            yield _each(_datatype(str(datatype)))
        for kind in g.objects(node, SH.nodeKind):
            yield _each(_node_kind(_NODE_KINDS[kind]))
        for pattern in g.objects(node, SH.pattern):
            flags = str(g.value(node, SH.flags) or "").lower()
            regex = re.compile(
                str(pattern), (re.I if "i" in flags else 0) | (re.M if "m" in flags else 0)
            )
            yield _each(_matches(regex))
        for length in g.objects(node, SH.minLength):
            yield _each(_min_length(_integer(node, length)))
        for count in g.objects(node, SH.minCount):
            yield _count(_integer(node, count), None)
        for count in g.objects(node, SH.maxCount):
            yield _count(0, _integer(node, count))
        for members in g.objects(node, SH["in"]):
            yield _each(_member_of({_ox(m) for m in self._list(members)}))
        for languages in g.objects(node, SH.languageIn):
            yield _each(_language_in({str(tag).lower() for tag in self._list(languages)}))
        for unique in g.objects(node, SH.uniqueLang):
            if isinstance(unique, Literal) and unique.value is True:
                yield _unique_lang
        for other in g.objects(node, SH.lessThan):
            if not is_property:
                raise UnsupportedShape(f"{node}: sh:lessThan on a node shape")
            yield _less_than(ox.NamedNode(str(other)))
        for minimum in g.objects(node, SH.minInclusive):
            if not isinstance(minimum, Literal):
                raise UnsupportedShape(f"{node}: sh:minInclusive must be a literal")
            yield _each(_at_least(minimum))
        for members in g.objects(node, SH["or"]):
            yield _each(_any_of([self._shape(m) for m in self._list(members)]))

    def _sparql(self, node: Node, constraint: Node) -> _Sparql:
        g = self._graph
        if g.value(node, SH.path) is not None:
            raise UnsupportedShape(f"{node}: SPARQL-based constraints on property shapes")
        select = str(g.value(constraint, SH.select) or "")
        if not select or re.search(r"\$(?!this\b)\w+|\?failure\b", select):
            raise UnsupportedShape(f"{constraint}: only SELECT queries over $this are supported")
        prefixes = "".join(
            f"PREFIX {g.value(d, SH.prefix)}: <{g.value(d, SH.namespace)}>\n"
            for source in g.objects(constraint, SH.prefixes)
            for d in g.objects(source, SH.declare)
        )
        body = re.sub(r"\$this\b", "?this", select)
        brace = body.index("{") + 1  # bind $this first, as SHACL's pre-binding does
        query = prefixes + body[:brace] + " VALUES ?this { {focus} } " + body[brace:]
        messages = tuple(sorted({str(m) for m in g.objects(constraint, SH.message)}))
        return _Sparql(query, messages)


@functools.cache
def compiled() -> CompiledShapes:
    """``ontology/shapes.ttl`` compiled, with the ontology's class hierarchy (once a process)."""
    return CompiledShapes(load_shapes(), load_class_hierarchy())


def validate_text(text: str) -> tuple[Violation, ...]:
    """Every result (warnings too) of validating ``text``, N-Triples or N-Quads read as one
    graph (an article's graph and the terminology records it uses), against medkg's shapes."""
    return compiled().validate(text)


# --- the components ------------------------------------------------------------------------


ValueTest = Callable[[Term, _Data], bool]  # whether one value node passes


def _each(test: ValueTest) -> Check:
    """A check that tests each value node on its own."""

    def check(focus: Term, values: list[Term], data: _Data) -> Iterator[Term | None]:
        return (value for value in values if not test(value, data))

    return check


def _count(minimum: int, maximum: int | None) -> Check:
    def check(focus: Term, values: list[Term], data: _Data) -> Iterator[Term | None]:
        if len(values) < minimum or (maximum is not None and len(values) > maximum):
            yield NO_VALUE

    return check


def _integer(shape: Node, node: Node) -> int:
    if not isinstance(node, Literal) or not isinstance(node.value, int) or node.value < 0:
        raise UnsupportedShape(f"{shape}: {node!r} is not a non-negative integer")
    return node.value


def _instance_of(cls: Term) -> ValueTest:
    return lambda value, data: not isinstance(value, ox.Literal) and data.is_instance(value, cls)


def _node_kind(kinds: tuple[type, ...]) -> ValueTest:
    return lambda value, data: isinstance(value, kinds)


def _matches(regex: re.Pattern[str]) -> ValueTest:
    """pySHACL's sh:pattern: a search in the value's string; a blank node never matches."""
    return lambda value, data: (
        not isinstance(value, ox.BlankNode) and regex.search(_string(value)) is not None
    )


def _min_length(n: int) -> ValueTest:
    return lambda value, data: (
        n == 0 or (not isinstance(value, ox.BlankNode) and len(_string(value)) >= n)
    )


def _member_of(allowed: set[Term]) -> ValueTest:
    return lambda value, data: value in allowed


def _any_of(shapes: list[_Shape]) -> ValueTest:
    return lambda value, data: any(shape.conforms(value, data) for shape in shapes)


def _datatype(datatype: str) -> ValueTest:
    """pySHACL's sh:datatype: the literal's datatype, and a value of it when well-typed."""

    def test(value: Term, data: _Data) -> bool:
        if not isinstance(value, ox.Literal):
            return False
        if datatype == str(RDFS.Literal):
            return True
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


def _unique_lang(focus: Term, values: list[Term], data: _Data) -> Iterator[Term | None]:
    tags = [v.language.lower() for v in values if isinstance(v, ox.Literal) and v.language]
    for _ in {tag for tag in tags if tags.count(tag) > 1}:
        yield NO_VALUE


def _less_than(other: ox.NamedNode) -> Check:
    """pySHACL's sh:lessThan: strings compare with strings, other literals as rdflib orders."""

    def comparable(term: Term) -> tuple[bool, object]:
        if isinstance(term, ox.BlankNode):
            raise ValueError("sh:lessThan cannot compare a blank node")
        node = _rdflib(term)
        if isinstance(node, URIRef):
            return True, str(node)
        if isinstance(node, Literal) and isinstance(node.value, str):
            return True, node.value
        return False, node

    def check(focus: Term, values: list[Term], data: _Data) -> Iterator[Term | None]:
        bounds = [comparable(b) for b in dict.fromkeys(data.values(focus, other))]
        for value in values:
            is_string, left = comparable(value)
            for bound_is_string, right in bounds:
                if is_string != bound_is_string or not left < right:  # type: ignore[operator]
                    yield value

    return check


def _at_least(minimum: Literal) -> ValueTest:
    """pySHACL's sh:minInclusive: strings compare only with strings, literals as rdflib does."""

    def test(value: Term, data: _Data) -> bool:
        node = _rdflib(value)
        if not isinstance(node, Literal):
            return False
        if isinstance(node.value, str) != isinstance(minimum.value, str):
            return False
        if type(node.value) is int and type(minimum.value) is int:
            return node.value >= minimum.value  # the usual case, without importing pySHACL
        from pyshacl.rdfutil.compare import compare_literal

        try:
            return bool(compare_literal(node, minimum) >= 0)  # type: ignore[no-untyped-call]
        except (TypeError, NotImplementedError):
            return False

    return test
