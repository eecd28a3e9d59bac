"""medkg.shacl, the compiled engine the build validates with, gives pySHACL's results result
for result: on every shipped article, on the broken fixtures, and on real article graphs broken
at random in hundreds of ways. A shapes graph it cannot run is refused, not skipped."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

from medkg.build import BuildResult
from medkg.rdf import union
from medkg.shacl import CompiledShapes, UnsupportedShape, validate_text
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
        Literal("abc", datatype=typed),  # ill-typed unless a string
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
ex:Shape a sh:NodeShape ; sh:targetClass ex:Thing ; sh:message "m" ; {constraint} .
"""


@pytest.mark.parametrize(
    "constraint",
    [
        'sh:property [ sh:path ex:p ; sh:maxLength 3 ; sh:message "m" ]',
        'sh:property [ sh:path ( ex:p ex:q ) ; sh:minCount 1 ; sh:message "m" ]',
        "sh:closed true",
        "sh:xone ( [ sh:class ex:A ] [ sh:class ex:B ] )",
    ],
)
def test_a_shape_it_cannot_run_is_refused(constraint: str) -> None:
    shapes = Graph().parse(data=SHAPE.replace("{constraint}", constraint), format="turtle")
    with pytest.raises(UnsupportedShape):
        CompiledShapes(shapes, load_class_hierarchy())
