"""medkg.shacl, the compiled engine the build validates with, gives pySHACL's results result
for result: on every shipped article, on the broken fixtures, and on real article graphs broken
at random in hundreds of ways. A shapes graph it cannot run exactly is refused, not skipped;
$this is pre-bound in every group of a SPARQL constraint; literals reach it as the data text
writes them. (tests/test_shacl_w3c.py runs the W3C SHACL test suite.)"""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

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
    """150 breakages (one to three changes each) of three real articles' graphs with their
    terminology records; both engines must find the same results, and between them the cases
    must exercise most of the shapes."""
    rng = random.Random(20261125)
    chosen = [u for u in built.units if u.article.slug in ("bone-metastasis", "fatigue", "x-ray")]
    originals = {u.article.slug: sorted(_graph(u)) for u in chosen}
    reported: Counter[str] = Counter()
    for case in range(150):
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
