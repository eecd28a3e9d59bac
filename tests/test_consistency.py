"""Consistency across the real corpus: contradictions, FAQ-only facts, role conflicts."""

from __future__ import annotations

import doctest
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF

from medkg import consistency
from medkg.cli import main
from medkg.vocab import MEDKG

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "articles" / "conditions" / "bone-metastasis.txt"


@pytest.fixture(scope="module")
def report(graph: Graph) -> consistency.ConsistencyReport:
    return consistency.check(graph)


def statements(graph: Graph, negated: bool) -> set[tuple[URIRef, URIRef, URIRef, URIRef]]:
    """(subject, relation, object, article) of every statement with that polarity."""
    found = set()
    for node in graph.subjects(MEDKG.negated, Literal(negated)):
        s, p, o = (graph.value(node, t) for t in (RDF.subject, RDF.predicate, RDF.object))
        article = graph.value(node, PROV.wasDerivedFrom)
        found.add((s, p, o, article))
    return found  # type: ignore[return-value]


def test_docstring_examples_hold(graph: Graph) -> None:
    result = doctest.testmod(consistency, extraglobs={"graph": graph}, verbose=False)
    assert result.attempted > 0 and result.failed == 0


def test_contradictions_are_exactly_the_facts_two_articles_disagree_on(
    graph: Graph, report: consistency.ConsistencyReport
) -> None:
    yes, no = statements(graph, False), statements(graph, True)
    expected = {
        (s, p, o)
        for s, p, o, a in yes
        for s2, p2, o2, b in no
        if (s, p, o) == (s2, p2, o2) and a != b
    }
    found = {
        (URIRef(c.fact.subject_iri), MEDKG[c.fact.relation], URIRef(c.fact.object_iri))
        for c in report.contradictions
    }
    assert expected and found == expected
    for c in report.contradictions:
        assert c.asserted.article_iri != c.negated.article_iri
        assert c.asserted.sentence and c.negated.sentence


def test_the_x_ray_contradiction_about_bone_metastasis(
    report: consistency.ConsistencyReport,
) -> None:
    found = [
        c
        for c in report.contradictions
        if (c.fact.subject, c.fact.relation, c.fact.object)
        == ("bone metastasis", "diagnosedBy", "X-ray")
    ]
    assert found
    assert any("does not rule out bone metastasis" in c.negated.sentence for c in found)
    assert any(
        "X-rays: To evaluate the extent of bone destruction" in c.asserted.sentence for c in found
    )


def test_faq_only_facts_have_no_body_statement(
    graph: Graph, report: consistency.ConsistencyReport
) -> None:
    assert report.faq_only
    for item in report.faq_only:
        body = [
            node
            for node in graph.subjects(RDF.subject, URIRef(item.fact.subject_iri))
            if graph.value(node, RDF.predicate) == MEDKG[item.fact.relation]
            and graph.value(node, RDF.object) == URIRef(item.fact.object_iri)
            and graph.value(node, PROV.wasDerivedFrom) == URIRef(item.faq.article_iri)
            and graph.value(node, MEDKG.negated) == Literal(item.negated)
            and str(graph.value(node, MEDKG.sectionRole)) != "faq"
        ]
        assert body == [], item
        assert "FAQ" in item.faq.section or "Questions" in item.faq.section


def test_pathologic_fracture_is_a_symptom_to_some_articles_and_a_condition_to_others(
    report: consistency.ConsistencyReport,
) -> None:
    found = {c.label: c for c in report.type_conflicts}["pathologic fracture"]
    roles = {(r.role, r.where.article) for r in found.roles}
    assert ("condition", "Pathologic Fracture") in roles  # its own condition article
    assert ("symptom", "Bone Metastasis") in roles  # listed among the symptoms
    assert found.registered and set(found.registry_types) == {"Complication", "Symptom"}


def test_cli_check_reports_and_fails_only_when_strict(tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["build", "--out", str(tmp_path)]).exit_code == 0
    result = runner.invoke(main, ["check", "--build-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "asserted in one article, negated in another" in result.output
    assert "bone metastasis diagnosedBy X-ray" in result.output
    strict = runner.invoke(main, ["check", "--strict", "--build-dir", str(tmp_path)])
    assert strict.exit_code == 1
    data = json.loads(
        runner.invoke(main, ["check", "--format", "json", "--build-dir", str(tmp_path)]).output
    )
    assert data["contradictions"] and data["faq_only"] and data["type_conflicts"]
