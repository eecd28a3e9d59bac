"""What the graph must say about the real seed article, line by line (issue: the pipeline).

Each test checks the asserted triple and the statement node that carries its evidence;
the absent facts are checked too.
"""

from __future__ import annotations

import datetime
import hashlib
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from medkg import vocab
from medkg.article import read_article
from medkg.vocab import ARTICLE, CONCEPT, MEDKG

SEED = Path(__file__).resolve().parents[1] / "data/articles/conditions/bone-metastasis.txt"
BM = CONCEPT["bone-metastasis"]
ARTICLE_IRI = ARTICLE["bone-metastasis"]


@pytest.fixture()
def graph(seed_graph: Graph) -> Graph:
    """These tests read the seed article's own graph, without the rest of the corpus."""
    return seed_graph


def c(slug: str) -> URIRef:
    return CONCEPT[slug]


def statements(graph: Graph, s: URIRef, relation: str, o: URIRef) -> list[dict[str, list[str]]]:
    """The evidence behind one edge, each statement as {property local name: values}."""
    found = []
    for node in graph.subjects(RDF.subject, s):
        if (node, RDF.predicate, MEDKG[relation]) in graph and (node, RDF.object, o) in graph:
            props: dict[str, list[str]] = {}
            for p, value in graph.predicate_objects(node):
                props.setdefault(str(p).split("#")[-1], []).append(str(value))
            found.append(props)
    return found


def assert_edge(graph: Graph, s: URIRef, relation: str, o: URIRef) -> list[dict[str, list[str]]]:
    assert (s, MEDKG[relation], o) in graph, f"missing {s} {relation} {o}"
    evidence = statements(graph, s, relation, o)
    assert evidence, f"no statement node for {s} {relation} {o}"
    for statement in evidence:
        assert statement["sentence"][0].strip()
        assert statement["section"][0].strip()
        assert statement["wasDerivedFrom"] == [str(ARTICLE_IRI)]
    return evidence


def test_bone_metastasis_is_a_metastatic_cancer_affecting_bone(graph: Graph) -> None:
    assert (BM, RDF.type, MEDKG.MetastaticDisease) in graph
    assert (BM, SKOS.prefLabel, Literal("bone metastasis", lang="en")) in graph
    assert (BM, SKOS.altLabel, Literal("bone metastatic disease", lang="en")) in graph
    assert_edge(graph, BM, "affects", c("bone"))
    for route in ("bloodstream", "lymphatic-system"):
        assert_edge(graph, BM, "spreadsVia", c(route))


@pytest.mark.parametrize("cancer", ["breast", "prostate", "lung", "kidney", "thyroid"])
def test_each_listed_cancer_metastasizes_to_bone(graph: Graph, cancer: str) -> None:
    primary = c(f"{cancer}-cancer")
    assert (primary, RDF.type, MEDKG.PrimaryCancer) in graph
    evidence = assert_edge(graph, primary, "metastasizesTo", c("bone"))
    assert any("breast, prostate, lung, kidney, and thyroid" in s["sentence"][0] for s in evidence)
    assert_edge(graph, BM, "hasPrimaryCancer", primary)


@pytest.mark.parametrize(
    "factor",
    [
        "older-age",
        "sex",
        "family-history-of-cancer",
        "primary-cancer-stage",
        "primary-cancer-aggressiveness",
    ],
)
def test_risk_factors(graph: Graph, factor: str) -> None:
    assert (c(factor), RDF.type, MEDKG.RiskFactor) in graph
    assert_edge(graph, BM, "hasRiskFactor", c(factor))


def test_sex_specific_cancers_and_men_women_are_not_conditions(graph: Graph) -> None:
    assert_edge(graph, c("prostate-cancer"), "hasRiskFactor", c("male-sex"))
    assert_edge(graph, c("breast-cancer"), "hasRiskFactor", c("female-sex"))
    assert (BM, MEDKG.hasRiskFactor, c("male-sex")) not in graph
    for population in ("male-sex", "female-sex"):
        types = set(graph.objects(c(population), RDF.type))
        assert types == {MEDKG.RiskFactor}
    labels = {str(o).lower() for o in graph.objects(None, SKOS.prefLabel)}
    assert not labels & {"men", "women"}


SYMPTOMS = [
    "bone-pain",
    "pathologic-fracture",
    "weakness",
    "fatigue",
    "numbness",
    "tingling",
    "limited-mobility",
]


def test_exactly_the_stated_symptoms(graph: Graph) -> None:
    symptoms = {str(o).removeprefix(str(CONCEPT)) for o in graph.objects(BM, MEDKG.hasSymptom)}
    assert symptoms == set(SYMPTOMS)
    for slug in SYMPTOMS:
        assert (c(slug), RDF.type, MEDKG.Symptom) in graph
        assert_edge(graph, BM, "hasSymptom", c(slug))


def test_bone_pain_qualifiers(graph: Graph) -> None:
    bullet = [
        s
        for s in statements(graph, BM, "hasSymptom", c("bone-pain"))
        if s["section"] == ["Symptoms"]
    ]
    assert len(bullet) == 1
    assert "often" in bullet[0]["hedge"]
    qualifiers = " | ".join(bullet[0]["qualifier"])
    assert "often the first symptom" in qualifiers
    assert "can be severe" in qualifiers


def test_fracture_even_with_minimal_trauma(graph: Graph) -> None:
    evidence = statements(graph, BM, "hasSymptom", c("pathologic-fracture"))
    assert any("even with minimal trauma" in q for s in evidence for q in s.get("qualifier", []))


def test_limited_mobility_is_stated_only_in_the_faq(graph: Graph) -> None:
    evidence = assert_edge(graph, BM, "hasSymptom", c("limited-mobility"))
    assert {s["section"][0] for s in evidence} == {"Frequently Asked Questions (FAQs)"}
    assert all(s["sectionRole"] == ["symptoms"] for s in evidence)
    assert all("may" in s["hedge"] for s in evidence)


def test_causal_chains(graph: Graph) -> None:
    decreased = c("decreased-red-blood-cell-production")
    assert_edge(graph, BM, "causes", decreased)
    assert_edge(graph, decreased, "causes", c("anemia"))
    evidence = assert_edge(graph, c("anemia"), "causes", c("fatigue"))
    assert "leading to anemia and fatigue" in evidence[0]["sentence"][0]
    assert_edge(graph, c("tumor-growth"), "causes", c("nerve-compression"))
    for symptom in ("numbness", "tingling", "weakness"):
        assert_edge(graph, c("nerve-compression"), "causes", c(symptom))
    assert (c("numbness"), MEDKG.causes, c("tingling")) not in graph


def test_spinal_cord_compression_is_a_complication_detected_and_relieved(graph: Graph) -> None:
    scc = c("spinal-cord-compression")
    assert (scc, RDF.type, MEDKG.Complication) in graph
    assert_edge(graph, BM, "hasComplication", scc)
    assert_edge(graph, scc, "diagnosedBy", c("magnetic-resonance-imaging"))
    assert_edge(graph, scc, "treatedBy", c("surgery"))


@pytest.mark.parametrize(
    ("procedure", "kind", "purpose"),
    [
        ("x-ray", "ImagingProcedure", "detect any fractures"),
        ("computed-tomography", "ImagingProcedure", "detailed images"),
        ("magnetic-resonance-imaging", "ImagingProcedure", "compression of nerves or spinal cord"),
        ("bone-scan", "ImagingProcedure", "increased bone activity"),
        ("biopsy", "Biopsy", "confirm the presence of cancer cells"),
        ("blood-test", "LaboratoryTest", None),
    ],
)
def test_diagnosed_by(graph: Graph, procedure: str, kind: str, purpose: str | None) -> None:
    assert (c(procedure), RDF.type, MEDKG[kind]) in graph
    evidence = assert_edge(graph, BM, "diagnosedBy", c(procedure))
    if purpose is None:  # blood tests are named only in the FAQ
        assert {s["sectionRole"][0] for s in evidence} == {"diagnosis"}
        assert {s["section"][0] for s in evidence} == {"Frequently Asked Questions (FAQs)"}
    else:
        assert any(purpose in q for s in evidence for q in s.get("qualifier", []))


@pytest.mark.parametrize(
    ("therapy", "kind", "purpose"),
    [
        ("pain-management", "SupportiveCare", "control pain"),
        ("radiation-therapy", "RadiationTherapy", "reduce tumor size"),
        ("chemotherapy", "Chemotherapy", "slow disease progression"),
        ("hormone-therapy", "HormoneTherapy", "hormone-sensitive"),
        ("surgery", "Surgery", "stabilize weakened bones"),
        ("bisphosphonate", "DrugClass", "reduce bone resorption"),
        ("denosumab", "Drug", None),
        ("physical-therapy", "SupportiveCare", None),
        ("emotional-support", "SupportiveCare", None),
    ],
)
def test_treated_by(graph: Graph, therapy: str, kind: str, purpose: str | None) -> None:
    assert (c(therapy), RDF.type, MEDKG[kind]) in graph
    evidence = assert_edge(graph, BM, "treatedBy", c(therapy))
    if purpose is not None:
        assert any(purpose in q for s in evidence for q in s.get("qualifier", []))


def test_hormone_therapy_for_hormone_sensitive_cancers(graph: Graph) -> None:
    for cancer in ("prostate-cancer", "breast-cancer"):
        assert_edge(graph, c(cancer), "treatedBy", c("hormone-therapy"))


def test_bisphosphonates_prevent_skeletal_related_events(graph: Graph) -> None:
    for drug in ("bisphosphonate", "denosumab"):
        assert_edge(graph, c(drug), "prevents", c("skeletal-related-event"))


def test_treatment_goals(graph: Graph) -> None:
    for goal in ("symptom-relief", "improved-quality-of-life", "prolonged-survival"):
        assert (c(goal), RDF.type, MEDKG.TreatmentGoal) in graph
        assert_edge(graph, BM, "hasGoal", c(goal))
    survival = statements(graph, BM, "hasGoal", c("prolonged-survival"))
    assert any("in some cases" in s.get("hedge", []) for s in survival)


def test_prevention_is_hedged_not_a_cure(graph: Graph) -> None:
    measure = c("early-detection-and-treatment-of-primary-cancer")
    evidence = assert_edge(graph, BM, "riskReducedBy", measure)
    assert "may" in evidence[0]["hedge"]
    assert any("not entirely preventable" in q for q in evidence[0]["qualifier"])
    assert not list(graph.subjects(MEDKG.prevents, BM))


def test_prognosis_as_stated(graph: Graph) -> None:
    for factor in ("primary-cancer-type", "extent-of-disease", "response-to-treatment"):
        assert_edge(graph, BM, "hasPrognosticFactor", c(factor))


def test_article_metadata(graph: Graph) -> None:
    assert (ARTICLE_IRI, RDF.type, MEDKG.Article) in graph
    assert (ARTICLE_IRI, DCTERMS.title, Literal("Bone Metastasis", lang="en")) in graph
    assert (ARTICLE_IRI, MEDKG.articleKind, Literal("condition")) in graph
    modified = graph.value(ARTICLE_IRI, DCTERMS.modified)
    assert modified == Literal("2025-10-18", datatype=vocab.XSD.date)
    assert isinstance(modified, Literal) and modified.toPython() == datetime.date(2025, 10, 18)
    source = Literal("conditions/bone-metastasis.txt")
    assert (ARTICLE_IRI, DCTERMS.source, source) in graph
    digest = hashlib.sha256(SEED.read_bytes()).hexdigest()
    assert (ARTICLE_IRI, MEDKG.sha256, Literal(digest)) in graph


def test_nothing_from_the_boilerplate(graph: Graph) -> None:
    labels = " | ".join(str(o).lower() for o in graph.objects(None, SKOS.prefLabel | SKOS.altLabel))
    sentences = " | ".join(str(o) for o in graph.objects(None, MEDKG.sentence))
    for word in ("physician", "diagnosis pad", "app store", "disclaimer", "feedback"):
        assert word not in labels
        assert word not in sentences.lower()


def test_every_statement_span_is_its_sentence(graph: Graph) -> None:
    text = read_article(SEED).text
    nodes = list(graph.subjects(RDF.type, MEDKG.Statement))
    assert len(nodes) > 50
    for node in nodes:
        start = int(graph.value(node, MEDKG.charStart))  # type: ignore[arg-type]
        end = int(graph.value(node, MEDKG.charEnd))  # type: ignore[arg-type]
        assert text[start:end] == str(graph.value(node, MEDKG.sentence))


def test_no_statement_is_negated_in_the_seed(graph: Graph) -> None:
    assert not list(graph.subjects(MEDKG.negated, Literal(True)))
