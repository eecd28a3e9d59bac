"""medkg.shacl, the compiled engine the build validates with, gives pySHACL's results result
for result: on every shipped article, on the broken fixtures, and on real article graphs broken
at random in hundreds of ways. A shapes graph it cannot run exactly is refused, not skipped;
$this is pre-bound in every group of a SPARQL constraint; literals reach it as the data text
writes them. (tests/test_shacl_w3c.py runs the W3C SHACL test suite.)"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from medkg.build import BuildResult
from medkg.rdf import union
from medkg.shacl import CompiledShapes, UnsupportedShape, compiled, validate_text, validate_with
from medkg.units import ArticleUnit
from medkg.validate import Violation, load_class_hierarchy, validate

FIXTURES = Path(__file__).parent / "fixtures" / "shapes"
# XSD's terms as plain IRIs: pytest probes module globals, and rdflib's XSD warns when probed
INTEGER, DATE, BOOLEAN = (
    URIRef(f"http://www.w3.org/2001/XMLSchema#{t}") for t in ("integer", "date", "boolean")
)
Triple = tuple[URIRef, URIRef, URIRef | Literal]


def _pyshacl(graph: Graph) -> tuple[Violation, ...]:
    return validate(graph).violations


def _graph(unit: ArticleUnit) -> Graph:
    graph = union(Dataset().parse(data=unit.quads, format="nquads"))
    return graph.parse(data=unit.terminology, format="nt")


def test_every_shipped_article_gives_pyshacls_results(built: BuildResult) -> None:
    assert all(
        len(_graph(u)) > len(Graph().parse(data=u.terminology, format="nt")) for u in built.units
    )
    for unit in built.units:
        assert unit.violations == _pyshacl(_graph(unit)), unit.path


def test_the_merged_terminology_gives_pyshacls_results(built: BuildResult) -> None:
    terminology = Graph().parse(data=built.terminology, format="nt")
    assert validate_text(built.terminology) == _pyshacl(terminology)


@pytest.mark.parametrize("fixture", sorted(FIXTURES.glob("*.ttl")), ids=lambda p: p.stem)
def test_each_broken_fixture_gives_pyshacls_results(fixture: Path) -> None:
    graph = Graph().parse(fixture)
    found = validate_text(graph.serialize(format="nt"))
    assert found == _pyshacl(graph)
    assert bool(found) == (fixture.stem != "valid")


# --- random breakage -----------------------------------------------------------------------


def _replacements(triple: Triple, nodes: list[URIRef]) -> list[URIRef | Literal]:
    """Objects that break shapes in different ways: wrong kind, datatype, language, form."""
    _, _, o = triple
    typed = o.datatype if isinstance(o, Literal) and o.datatype else INTEGER
    return [
        Literal(""),
        Literal("x"),
        Literal("abc", datatype=typed, normalize=False),  # ill-typed unless a string
        Literal("-3", datatype=INTEGER),
        Literal("17", datatype=INTEGER),
        Literal("2025-13-01", datatype=DATE),
        Literal("2024-02-29", datatype=DATE),
        Literal("true", datatype=BOOLEAN),
        Literal(str(o), lang="fr"),
        Literal(str(o), lang="en"),
        Literal(str(o)),
        URIRef("http://example.org/elsewhere"),
        random.choice(nodes),
    ]


def _break(triples: list[Triple], rng: random.Random) -> list[Triple]:
    """``triples`` with one random change: a triple dropped, an object or predicate replaced,
    a value added beside another, or a node renamed everywhere."""
    triples = list(triples)
    nodes = sorted({t[0] for t in triples} | {t[2] for t in triples if isinstance(t[2], URIRef)})
    predicates = sorted({t[1] for t in triples})
    index = rng.randrange(len(triples))
    s, p, o = triples[index]
    kind = rng.choice(("drop", "drop-type", "object", "add", "predicate", "rename"))
    random.seed(rng.random())  # _replacements' choice of node, reproducibly
    if kind == "drop":
        del triples[index]
    elif kind == "drop-type":
        typed = [i for i, t in enumerate(triples) if t[1] == RDF.type]
        del triples[rng.choice(typed)]
    elif kind == "object":
        triples[index] = (s, p, rng.choice(_replacements(triples[index], nodes)))
    elif kind == "add":
        triples.append((s, p, rng.choice(_replacements(triples[index], nodes))))
    elif kind == "predicate":
        triples[index] = (s, rng.choice(predicates), o)
    else:
        bad = URIRef(rng.choice((f"{s}/extra", "http://example.org/thing", f"{s}-Renamed")))
        triples = [tuple(bad if term == s else term for term in t) for t in triples]  # type: ignore[misc]
    return triples


@pytest.mark.filterwarnings("ignore:Parsing weird boolean")  # ill-typed on purpose
def test_randomly_broken_articles_give_pyshacls_results(built: BuildResult) -> None:
    """300 breakages (one to three changes each) of three real articles' graphs with their
    terminology records; both engines must find the same results, and between them the cases
    must exercise most of the shapes."""
    rng = random.Random(20261125)
    chosen = [u for u in built.units if u.article.slug in ("bone-metastasis", "fatigue", "x-ray")]
    originals = {u.article.slug: sorted(_graph(u)) for u in chosen}
    reported: Counter[str] = Counter()
    for case in range(300):  # the articles hold more statements than shapes: enough cases
        slug = sorted(originals)[case % 3]
        triples = originals[slug]
        for _ in range(rng.randint(1, 3)):
            triples = _break(triples, rng)
        graph = Graph()
        for triple in triples:
            graph.add(triple)
        expected = _pyshacl(graph)
        assert validate_text(graph.serialize(format="nt")) == expected, (slug, case)
        reported.update({v.shape or "" for v in expected})
    shapes = Graph().parse(Path(__file__).parents[1] / "ontology" / "shapes.ttl")
    reporting = {str(s) for s in shapes.subjects(SH.message) if isinstance(s, URIRef)}
    assert len(reported.keys() & reporting) >= 0.6 * len(reporting), sorted(reported)


# --- random shapes -------------------------------------------------------------------------

# Random shapes over random data exercise every core component, target and path form: the
# engine gives pySHACL's results, or refuses the shapes, or fails where pySHACL fails.
PREFIXES = """@prefix ex: <http://example.org/> . @prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
"""
NODES = [f"ex:n{i}" for i in range(5)]
PROPERTIES = ["ex:p0", "ex:p1", "ex:p2"]
CLASSES = ["ex:C0", "ex:C1", "ex:C2"]
LITERALS = [
    '"a"', '"abc"', '"abc"@en', '"ABC"@en-GB', '"x"@fr', "1", '"01"^^xsd:integer', "5", "2.5",
    '"abc"^^xsd:integer', '"2024-01-01"^^xsd:date', "true", '"b"^^xsd:string',
    '"1"^^xsd:boolean', '"-3"^^xsd:integer', '"20"^^xsd:byte', '"300"^^xsd:byte',
]  # fmt: skip


def _random_data(rng: random.Random) -> str:
    lines = []
    for _ in range(rng.randint(4, 14)):
        subject = rng.choice([*NODES, "_:b0", "_:b1"])
        if rng.random() < 0.25:
            lines.append(f"{subject} a {rng.choice(CLASSES)} .")
            continue
        k = rng.random()
        value = rng.choice(NODES) if k < 0.45 else f"_:b{rng.randrange(3)}" if k < 0.55 else None
        lines.append(f"{subject} {rng.choice(PROPERTIES)} {value or rng.choice(LITERALS)} .")
    if rng.random() < 0.3:
        lines.append("ex:C1 rdfs:subClassOf ex:C0 .")
    return "\n".join(lines)


def _random_path(rng: random.Random, depth: int = 0) -> str:
    k = rng.random()
    if depth > 1 or k < 0.55:
        return rng.choice(PROPERTIES)
    inner = [_random_path(rng, depth + 1) for _ in range(2)]
    if k < 0.65:
        return f"[ sh:inversePath {inner[0]} ]"
    if k < 0.75:
        return f"( {inner[0]} {inner[1]} )"
    if k < 0.82:
        return f"[ sh:alternativePath ( {inner[0]} {inner[1]} ) ]"
    kind = rng.choice(["zeroOrMorePath", "oneOrMorePath", "zeroOrOnePath"])
    return f"[ sh:{kind} {inner[0]} ]"


def _random_constraint(rng: random.Random, on_property: bool, depth: int = 0) -> str:
    def nested() -> str:
        return f"[ {_random_constraint(rng, False, depth + 1)} ]"

    def pick(*options: str) -> str:
        return rng.choice(options)

    choices = [
        lambda: f"sh:class {pick(*CLASSES)}",
        lambda: f"sh:datatype {pick('xsd:integer', 'xsd:string', 'xsd:date', 'rdf:langString')}",
        lambda: f"sh:nodeKind sh:{pick('IRI', 'BlankNode', 'Literal', 'BlankNodeOrIRI')}",
        lambda: (
            f"sh:{pick('minExclusive', 'minInclusive', 'maxExclusive', 'maxInclusive')} "
            + pick("2", "0", '"b"', '"2023-06-01"^^xsd:date', "2.0")
        ),
        lambda: f"sh:{pick('minLength', 'maxLength')} {rng.randint(1, 4)}",
        lambda: f'sh:pattern "{pick("^a", "b", "^[0-9]+$")}"' + pick("", ' ; sh:flags "i"'),
        lambda: f"sh:languageIn ( {pick(chr(34) + 'en' + chr(34), chr(34) + 'fr' + chr(34))} )",
        lambda: f"sh:in ( {' '.join(rng.sample(NODES + LITERALS[:6], 3))} )",
        lambda: f"sh:hasValue {pick(*NODES, *LITERALS[:3])}",
        lambda: f"sh:{pick('equals', 'disjoint')} {pick(*PROPERTIES)}",
        lambda: f"sh:not {nested()}",
        lambda: f"sh:{pick('and', 'or', 'xone')} ( {nested()} {nested()} )",
        lambda: f"sh:node {nested()}",
    ]
    if on_property:
        choices += [
            lambda: f"sh:minCount {rng.randint(1, 2)}",
            lambda: f"sh:maxCount {rng.randint(0, 1)}",
            lambda: "sh:uniqueLang true",
            lambda: f"sh:{pick('lessThan', 'lessThanOrEquals')} {pick(*PROPERTIES)}",
            lambda: (
                f"sh:qualifiedValueShape {nested()} ; "
                + pick("sh:qualifiedMinCount 1", "sh:qualifiedMaxCount 1")
            ),
        ]
    else:
        choices.append(lambda: "sh:closed true ; sh:ignoredProperties ( rdf:type )")
    return rng.choice(choices[:10] if depth > 1 else choices)()


def _random_shapes(rng: random.Random) -> str:
    shapes = []
    for i in range(rng.randint(1, 3)):
        parts = [
            rng.choice(
                [
                    f"sh:targetNode {rng.choice(NODES + LITERALS[:3])}",
                    f"sh:targetClass {rng.choice(CLASSES)}",
                    f"sh:targetSubjectsOf {rng.choice(PROPERTIES)}",
                    f"sh:targetObjectsOf {rng.choice(PROPERTIES)}",
                ]
            )
        ]
        if rng.random() < 0.5:
            parts.append(_random_constraint(rng, False))
        for _ in range(rng.randint(0, 2)):
            path, constraint = _random_path(rng), _random_constraint(rng, True)
            parts.append(f"sh:property [ sh:path {path} ; {constraint} ]")
        if rng.random() < 0.2:
            parts.append("sh:severity sh:Warning")
        shapes.append(f"ex:S{i} a sh:NodeShape ; " + " ; ".join(parts) + " .")
    return "\n".join(shapes)


def _unnormalised(turtle: str) -> Graph:
    """Turtle as rdflib terms with the lexical forms written ("01" stays "01")."""
    graph = Graph()
    for quad in ox.parse(turtle, ox.RdfFormat.TURTLE):
        graph.add(tuple(_rdflib_term(t) for t in (quad.subject, quad.predicate, quad.object)))  # type: ignore[arg-type]
    return graph


def _rdflib_term(term: object) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    assert isinstance(term, ox.Literal)
    if term.language:
        return Literal(term.value, lang=term.language, normalize=False)
    return Literal(term.value, datatype=URIRef(term.datatype.value), normalize=False)


@pytest.mark.filterwarnings("ignore:Parsing weird boolean")  # ill-typed on purpose
def test_random_shapes_give_pyshacls_results_or_are_refused() -> None:
    import pyshacl

    rng = random.Random(20261207)
    outcomes: Counter[str] = Counter()
    for case in range(200):
        data, shapes = PREFIXES + _random_data(rng), PREFIXES + _random_shapes(rng)
        text = ox.serialize(ox.parse(data, ox.RdfFormat.TURTLE), format=ox.RdfFormat.N_TRIPLES)
        assert text is not None
        try:
            report = validate_with(_unnormalised(shapes), text.decode())
        except UnsupportedShape:
            outcomes["refused"] += 1
            continue
        except ValueError:  # a blank node under sh:lessThan: pySHACL fails too
            with pytest.raises(Exception, match="BlankNode"):
                pyshacl.validate(_unnormalised(data), shacl_graph=_unnormalised(shapes))
            outcomes["failed"] += 1
            continue
        _, results, _ = pyshacl.validate(_unnormalised(data), shacl_graph=_unnormalised(shapes))
        assert isinstance(results, Graph)
        theirs = {
            (
                results.value(r, SH.focusNode),
                results.value(r, SH.value),
                results.value(r, SH.sourceShape),
                results.value(r, SH.sourceConstraintComponent),
            )
            for r in results.objects(None, SH.result)
        }
        mine = {
            (
                _rdflib_term(r.focus),
                _rdflib_term(r.value) if r.value else None,
                r.shape,
                r.component,
            )
            for r in report.results
        }

        def named(found: Iterable[tuple[object, ...]]) -> set[tuple[object, ...]]:
            # pySHACL reports a blank shape as a copy: compare which, not which node
            return {(f, v, s if isinstance(s, URIRef) else "[]", c) for f, v, s, c in found}

        assert named(mine) == named(theirs), (case, shapes, data)
        outcomes["reporting" if mine else "conforming"] += 1
    print(f"\nrandom shapes: {dict(outcomes)}")
    assert outcomes["reporting"] >= 100 and outcomes["refused"] <= 20, outcomes


# --- what the engine refuses ---------------------------------------------------------------

SHAPE = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:Shape a sh:NodeShape ; sh:targetClass ex:Thing ; sh:message "m" ; {constraint} .
"""


def _query(select: str) -> str:
    return f'sh:sparql [ sh:message "m" ; sh:select """{select}""" ]'


@pytest.mark.parametrize(
    "constraint",
    [
        # SHACL-SPARQL and SHACL-AF features it does not implement
        'sh:property [ sh:path ex:p ; ex:lang "en" ] . ex:Lang a sh:ConstraintComponent ; '
        "sh:parameter [ sh:path ex:lang ]",
        'sh:target [ a sh:SPARQLTarget ; sh:select "SELECT ?this WHERE { ?this ?p ?o }" ]',
        "sh:property [ sh:path ex:p ; sh:minCOunt 1 ]",  # a misspelt term is no term
        "sh:targetNode [ ]",  # a blank node of the shapes graph
        "sh:node ex:Shape",  # recursive
        "sh:class ex:A . ex:Shape <http://www.w3.org/2002/07/owl#imports> ex:More",
        _query("SELECT $this WHERE { ?x ?p ?o } GROUP BY (?x AS $this)"),
        # where pySHACL and SHACL 1.0 disagree
        "sh:property [ sh:path ex:p ; sh:minLength 0 ]",
        "sh:datatype rdfs:Literal",
        'sh:pattern "a" ; sh:flags "x"',
        'sh:languageIn ( "en-GB" )',
        "sh:property [ sh:path ex:p ; sh:qualifiedMinCount 1 ]",
        "sh:minCount 1",  # on a node shape
        # queries SHACL forbids with pre-binding, or that the engine cannot run exactly
        _query("SELECT $this WHERE { $this ?p ?o MINUS { $this ?p 1 } }"),
        _query("SELECT $this WHERE { VALUES ?o { 1 } $this ?p ?o }"),
        _query("SELECT $this WHERE { SERVICE <http://example.org/sparql> { $this ?p ?o } }"),
        _query("SELECT $this WHERE { $this ?p ?o { SELECT ?o WHERE { ?s ?q ?o } } }"),
        _query("SELECT $this WHERE { { SELECT * WHERE { FILTER ($this = 1) } } }"),
        _query("SELECT $this WHERE { BIND (1 AS $this) }"),
        _query("SELECT $this WHERE { GRAPH ?g { $this ?p ?o } }"),
        _query("SELECT $this FROM <http://example.org/g> WHERE { $this ?p ?o }"),
        _query("SELECT $this WHERE { $this ?p $shapesGraph }"),
        _query("SELECT $this ?failure WHERE { $this ?p ?failure }"),
        _query("SELECT ?x WHERE { ?x ?p ?o }"),  # $this not projected
        _query("ASK { $this ?p ?o }"),
        'sh:sparql [ sh:message "{?o}" ; sh:select "SELECT $this ?o WHERE { $this ?p ?o }" ]',
    ],
)
def test_a_shape_it_cannot_run_exactly_is_refused(constraint: str) -> None:
    shapes = Graph().parse(data=SHAPE.replace("{constraint}", constraint), format="turtle")
    with pytest.raises(UnsupportedShape):
        CompiledShapes(shapes, load_class_hierarchy())


def test_an_unused_shape_is_compiled_too() -> None:
    """A shape nothing targets is still checked: its terms are never silently dropped."""
    text = SHAPE.replace("{constraint}", "sh:class ex:A . ex:Loose sh:maxCount 1")
    with pytest.raises(UnsupportedShape, match="maxCount"):
        CompiledShapes(Graph().parse(data=text, format="turtle"), Graph())


def test_every_reporting_shape_of_medkg_has_a_message() -> None:
    """Results carry pySHACL's message only where the shape writes one: medkg's all do, and
    compiling them checks it."""
    assert compiled().shapes
    assert all(s.messages or s.sparql for s in compiled().shapes)


# --- pre-binding $this ---------------------------------------------------------------------

PREBINDING_DATA = """
@prefix ex: <http://example.org/> .
ex:a ex:p 1, 2 ; ex:q ex:b .
ex:b ex:p 3 ; ex:q ex:b .
ex:c ex:q ex:a .
"""
# {this} is $this; where the oracle cannot write the focus node as such, {as} is a projected
# $this, {outer} one a sub-select projects, {bound} a bound($this), {group} a GROUP BY $this
PREBOUND = [
    "SELECT {as} WHERE { { FILTER (false) } UNION { FILTER ({this} = ex:a) } }",
    "SELECT {as} WHERE { { { FILTER ({this} = ex:b) } FILTER {bound} } FILTER (true) }",
    "SELECT {as} WHERE { BIND ({this} AS ?that) FILTER (?that != ex:b) }",
    "SELECT {outer} ?value WHERE { { SELECT {as} ?value WHERE { {this} ex:p ?value } } }",
    "SELECT {as} ?value WHERE { OPTIONAL { { ?s ex:p ?value FILTER (?s = {this}) } } }",
    "SELECT {as} WHERE { FILTER NOT EXISTS { { {this} ex:q ex:b } UNION { ex:c ex:q {this} } } }",
    "SELECT {as} ?value WHERE { {this} ex:q ?value FILTER EXISTS { { ?value ex:p ?x } } }",
    "SELECT {as} ?value WHERE { ?value ex:q {this} }",
    # one focus node's answer depends on no other's: LIMIT and aggregates run per focus node
    "SELECT {outer} ?value WHERE { { SELECT {as} ?value WHERE { {this} ex:p ?value } "
    "ORDER BY DESC(?value) LIMIT 1 } }",
    "SELECT {as} (COUNT(?v) AS ?value) WHERE { {this} ex:p ?v } GROUP BY {group}",
    "SELECT {outer} WHERE { { SELECT {as} (COUNT(*) AS ?n) WHERE { {this} ?p ?o } "
    "GROUP BY {group} } FILTER (?n > 2) }",
]


def _written(query: str, focus: str | None) -> str:
    """The query with $this (``focus`` None), or the query with the focus node written in."""
    if focus is None:
        parts = {"{as}": "$this", "{outer}": "$this", "{bound}": "bound($this)", "{group}": "$this"}
    else:
        parts = {
            "{as}": f"({focus} AS ?this)",
            "{outer}": "?this",
            "{bound}": "(true)",
            "{group}": f"({focus})",
        }
    for placeholder, text in {**parts, "{this}": focus or "$this"}.items():
        query = query.replace(placeholder, text)
    return query


@pytest.mark.parametrize("query", PREBOUND)
def test_this_is_prebound_in_every_group_of_a_query(query: str) -> None:
    """The engine's results (all focus nodes at once where it can) equal those of the query
    run once per focus node with the focus node written in place of $this, as SHACL 1.0 §5.3.1
    defines pre-binding (Oxigraph evaluates; rdflib reads { FILTER (false) } as one solution)."""
    data = Graph().parse(data=PREBINDING_DATA, format="turtle").serialize(format="nt")
    shapes = Graph().parse(
        data=f"""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix ex: <http://example.org/> .
        ex: sh:declare [ sh:prefix "ex" ; sh:namespace "http://example.org/" ] .
        ex:Shape sh:targetNode ex:a, ex:b, ex:c ;
            sh:sparql [ sh:prefixes ex: ; sh:select \"\"\"{_written(query, None)}\"\"\" ] .
        """,
        format="turtle",
    )
    found = {(r.focus, r.value) for r in validate_with(shapes, data).results}
    store = ox.Store()
    store.load(data, ox.RdfFormat.N_TRIPLES)
    expected = set()
    for focus in (ox.NamedNode(f"http://example.org/{name}") for name in "abc"):
        oracle = "PREFIX ex: <http://example.org/>\n" + _written(query, str(focus))
        solutions = store.query(oracle)
        assert isinstance(solutions, ox.QuerySolutions)
        has_value = ox.Variable("value") in solutions.variables
        for row in solutions:
            # a node shape's result without ?value is about its focus node
            value = row["value"] if has_value else None
            expected.add((focus, value if value is not None else focus))
    assert found == expected
    assert found  # each query finds something, so that the comparison means something


# --- literals as written -------------------------------------------------------------------


@pytest.mark.filterwarnings("ignore:Parsing weird boolean")  # ill-typed on purpose
def test_literals_reach_the_engine_as_the_data_text_writes_them(built: BuildResult) -> None:
    """An ill-typed boolean stays ill-typed (rdflib would read "abc"^^xsd:boolean as false):
    both engines report it, with its lexical form."""
    unit = next(u for u in built.units if u.article.slug == "fatigue")
    graph = _graph(unit)
    negated = URIRef("https://w3id.org/medkg/ontology#negated")
    statement, _, _ = next(iter(graph.triples((None, negated, None))))
    graph.set((statement, negated, Literal("abc", datatype=BOOLEAN, normalize=False)))
    found = validate_text(graph.serialize(format="nt"))
    assert found == _pyshacl(graph)
    bad = [v for v in found if v.value == f'"abc"^^<{BOOLEAN}>']
    assert [v.shape for v in bad] == ["https://w3id.org/medkg/shapes#StatementNegatedShape"]


def test_a_literals_lexical_form_is_kept() -> None:
    shapes = Graph().parse(
        data=SHAPE.replace("{constraint}", "sh:property [ sh:path ex:p ; sh:maxInclusive 0 ]"),
        format="turtle",
    )
    x = "<http://example.org/x>"
    text = f"{x} <{RDF.type}> <http://example.org/Thing> .\n"
    text += f'{x} <http://example.org/p> "01"^^<{INTEGER}> .\n'
    (result,) = validate_with(shapes, text).results
    assert result.value == ox.Literal("01", datatype=ox.NamedNode(str(INTEGER)))
    assert result.violation().value == f'"01"^^<{INTEGER}>'


def test_pyshacl_leaves_the_shared_shapes_graph_as_it_was() -> None:
    """pySHACL adds axioms to the shapes graph it is given; given the shared one, it made
    every later compilation in the process refuse the shapes (owl:Class rdfs:subClassOf
    rdfs:Class)."""
    from medkg.validate import load_shapes

    before = len(load_shapes())
    validate(Graph())
    assert len(load_shapes()) == before
    CompiledShapes(load_shapes(), load_class_hierarchy())
