"""Tests for the shipped SPARQL queries (queries/*.rq) and medkg.queries, on the real graph."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, SKOS
from rdflib.plugins.sparql import prepareQuery

from medkg.build import BuildResult
from medkg.queries import (
    NamedQuery,
    QueryError,
    QueryResult,
    get_query,
    load_queries,
    run_named,
    run_sparql,
    unknown_names,
)
from medkg.rdf import add_label
from medkg.resources import QUERIES_DIR
from medkg.vocab import ARTICLE, CONCEPT, MEDKG

QUERY_FILES = sorted(QUERIES_DIR.glob("*.rq"))
VIOLATIONS = sorted(p.stem for p in QUERY_FILES if p.stem.endswith("-violation"))
REQUIRED = {
    "symptoms-of": ("condition",),
    "conditions-with-symptom": ("symptom",),
    "diagnostic-procedures-for": ("condition",),
    "treatments-for": ("condition",),
    "primary-cancers-of": ("metastasis",),
    "evidence-for": ("subject", "relation", "object"),
    "shared-symptoms": ("condition1", "condition2"),
    "concept-summary": ("concept",),
    "complications-of": ("condition",),
    "risk-factors-of": ("condition",),
    "relation-counts": (),
    "relation-without-evidence-violation": (),
    "concept-without-label-violation": (),
    "statement-without-sentence-violation": (),
    "negated-fact-asserted-violation": (),
    "dangling-concept-violation": (),
}
RELATIONS = [
    "hasSymptom",
    "diagnosedBy",
    "treatedBy",
    "hasRiskFactor",
    "hasComplication",
    "metastasizesTo",
    "hasPrimaryCancer",
    "spreadsVia",
    "causes",
    "affects",
    "usedFor",
    "prevents",
    "hasGoal",
    "riskReducedBy",
    "hasPrognosticFactor",
    "hasSideEffect",
    "bodySite",
]
BONE_METASTASIS_SYMPTOMS = {
    "bone pain",
    "fatigue",
    "weakness",
    "numbness",
    "tingling",
    "pathologic fracture",
    "limited mobility",
}
BM = CONCEPT["bone-metastasis"]


# These tests check exact rows and paths for the seed article, so they read its graph alone;
# rdflib's SPARQL engine is also too slow for some queries over the whole corpus.
@pytest.fixture(scope="module")
def graph(seed_graph: Graph) -> Graph:
    return seed_graph


@pytest.fixture(scope="module")
def built(seed_built: BuildResult) -> BuildResult:
    return seed_built


def run(graph: Graph, name: str, **params: str) -> list[dict[str, str | None]]:
    return run_named(graph, name, params).as_dicts()


def column(rows: list[dict[str, str | None]], name: str) -> list[str | None]:
    return [row[name] for row in rows]


def split(cell: str | None, separator: str = ", ") -> set[str]:
    return set(cell.split(separator)) if cell else set()


def by(rows: list[dict[str, str | None]], key: str) -> dict[str | None, dict[str, str | None]]:
    return {row[key]: row for row in rows}


def copy_of(graph: Graph) -> Graph:
    copy = Graph()
    for triple in graph:
        copy.add(triple)
    return copy


def statements_of(graph: Graph, s: URIRef, relation: str, o: URIRef) -> list[URIRef]:
    return [
        node
        for node in graph.subjects(RDF.subject, s)
        if isinstance(node, URIRef)
        and (node, RDF.predicate, MEDKG[relation]) in graph
        and (node, RDF.object, o) in graph
    ]


def probe(params: tuple[str, ...], body: str) -> NamedQuery:
    """A query that is not shipped, for testing binding on its own."""
    header = "# title: probe\n# description: a test query\n"
    header += "".join(f"# param: {name} — a value\n" for name in params)
    return NamedQuery(
        name="probe",
        title="probe",
        description="a test query",
        params=params,
        param_docs=tuple((name, "a value") for name in params),
        text=header + body,
        path=Path("probe.rq"),
    )


# --- the files --------------------------------------------------------------------------


def test_every_required_query_is_shipped_with_its_parameters() -> None:
    queries = load_queries()
    missing = sorted(set(REQUIRED) - set(queries))
    assert not missing, f"queries/ lacks {missing}"
    for name, params in REQUIRED.items():
        assert queries[name].params == params, name


def test_load_queries_is_sorted_by_name_and_names_match_files() -> None:
    queries = load_queries()
    assert list(queries) == sorted(queries)
    assert set(queries) == {p.stem for p in QUERY_FILES}
    for name, query in queries.items():
        assert query.path == QUERIES_DIR / f"{name}.rq"


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.stem)
def test_shipped_query_parses_and_has_a_header(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    prepareQuery(text)  # raises on a syntax error
    assert re.match(r"# title: \S", text), "first line must be '# title: …'"
    assert re.search(r"^# description: \S", text, re.M)
    query = load_queries()[path.stem]
    assert query.title and query.description
    for name, doc in query.param_docs:
        assert doc, f"parameter {name} has no description"
        assert re.search(rf"\?{name}\b", text)
    assert not re.search(r"^\s*(SERVICE|FROM)\b", text, re.M | re.I)
    assert re.search(r"^ORDER BY ", text, re.M), "results must have a deterministic order"


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.stem)
def test_shipped_query_compares_strings_as_plain_strings(path: Path) -> None:
    """Two rules of "Writing a query" (medkg.queries), which tests/test_push.py checks on
    Virtuoso only as far as its sample reaches: every LCASE and UCASE is wrapped in STR(…),
    and MIN and MAX take STR(…)."""
    # without comments: a '#' after a space or at a line's start (not in <…#> or "#")
    code = re.sub(r"(^|\s)#[^\n]*", r"\1", path.read_text(encoding="utf-8"))
    for function in ("LCASE", "UCASE"):
        calls = len(re.findall(rf"\b{function}\s*\(", code, re.I))
        wrapped = len(re.findall(rf"\bSTR\s*\(\s*{function}\s*\(", code, re.I))
        assert calls == wrapped, f"{function}(…) outside STR(…)"
    assert not re.search(r"\b(MIN|MAX)\s*\(\s*(?!STR\s*\()", code, re.I), "MIN/MAX of a non-STR"


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.stem)
def test_bound_query_parses(path: Path) -> None:
    query = load_queries()[path.stem]
    prepareQuery(query.bind({name: "bone metastasis" for name in query.params}))


def test_violation_queries_take_no_parameters() -> None:
    assert VIOLATIONS
    queries = load_queries()
    for name in VIOLATIONS:
        assert queries[name].params == ()


# --- what the queries say about the real graph -------------------------------------------


def test_symptoms_of_bone_metastasis(graph: Graph) -> None:
    rows = run(graph, "symptoms-of", condition="bone metastasis")
    assert rows[0].keys() >= {"symptom", "symptomIri", "hedges", "sentences", "exampleSentence"}
    symptoms = set(column(rows, "symptom"))
    assert symptoms == BONE_METASTASIS_SYMPTOMS
    for wrong in ("men", "women", "male sex", "female sex", "anemia", "pain", "sex"):
        assert wrong not in symptoms
    assert len(rows) == len(symptoms), "one row per symptom"
    bone_pain = by(rows, "symptom")["bone pain"]
    assert bone_pain["symptomIri"] == str(CONCEPT["bone-pain"])
    assert bone_pain["sentences"] == "2"
    assert {"often", "may"} <= split(bone_pain["hedges"])
    assert "Bone pain is often the first symptom" in (bone_pain["exampleSentence"] or "")
    for row in rows:
        assert row["exampleSentence"], row
        assert int(row["sentences"] or 0) >= 1


def test_symptoms_are_in_label_order(graph: Graph) -> None:
    labels = column(run(graph, "symptoms-of", condition="bone metastasis"), "symptom")
    assert labels == sorted(labels, key=lambda label: (label or "").lower())


@pytest.mark.parametrize(
    "name", ["bone metastasis", "BONE METASTASIS", "Bone Metastases", "skeletal metastasis"]
)
def test_condition_names_match_any_label_in_any_case(graph: Graph, name: str) -> None:
    symptoms = column(run(graph, "symptoms-of", condition=name), "symptom")
    assert set(symptoms) == BONE_METASTASIS_SYMPTOMS


def test_unknown_name_gives_no_rows(graph: Graph) -> None:
    for name, params in REQUIRED.items():
        if params:
            assert run(graph, name, **dict.fromkeys(params, "no such concept")) == [], name


def test_unknown_names_says_which_concept_names_no_concept_carries(graph: Graph) -> None:
    asked = {"subject": "Bone Metastasis", "relation": "hasSymptom", "object": "gout"}
    assert unknown_names(graph, "evidence-for", asked) == {"object": "gout"}  # not the relation
    assert unknown_names(graph, "symptoms-of", {"condition": "Skeletal Metastasis"}) == {}
    assert get_query("evidence-for").name_params() == ("subject", "object")


def test_conditions_with_symptom_by_synonym(graph: Graph) -> None:
    for name in ("fatigue", "Tiredness", "pathological fracture"):
        rows = run(graph, "conditions-with-symptom", symptom=name)
        assert column(rows, "condition") == ["bone metastasis"], name
        assert rows[0]["conditionIri"] == str(BM)
    assert run(graph, "conditions-with-symptom", symptom="male sex") == []


def test_diagnostic_procedures_for_bone_metastasis(graph: Graph) -> None:
    rows = by(run(graph, "diagnostic-procedures-for", condition="bone metastasis"), "procedure")
    expected = {
        "X-ray": "ImagingProcedure",
        "computed tomography": "ImagingProcedure",
        "magnetic resonance imaging": "ImagingProcedure",
        "bone scan": "ImagingProcedure",
        "biopsy": "Biopsy",
        "blood test": "LaboratoryTest",
    }
    assert {label: row["type"] for label, row in rows.items()} == expected
    assert "detect any fractures" in (rows["X-ray"]["purposes"] or "")
    assert "confirm the presence of cancer cells" in (rows["biopsy"]["purposes"] or "")
    assert rows["magnetic resonance imaging"]["procedureIri"] == str(
        CONCEPT["magnetic-resonance-imaging"]
    )


def test_diagnostic_procedures_for_a_symptom(graph: Graph) -> None:
    rows = run(graph, "diagnostic-procedures-for", condition="pathologic fracture")
    assert column(rows, "procedure") == ["X-ray"]


def test_treatments_for_bone_metastasis(graph: Graph) -> None:
    rows = by(run(graph, "treatments-for", condition="bone metastasis"), "treatment")
    types = {label: row["type"] for label, row in rows.items()}
    assert types["radiation therapy"] == "RadiationTherapy"
    assert types["chemotherapy"] == "Chemotherapy"
    assert types["hormone therapy"] == "HormoneTherapy"
    assert types["surgery"] == "Surgery"
    assert types["pain management"] == "SupportiveCare"
    assert types["bisphosphonate"] == "DrugClass"
    assert types["denosumab"] == "Drug"
    assert "reduce tumor size" in (rows["radiation therapy"]["qualifiers"] or "")
    assert "stabilize weakened bones" in (rows["surgery"]["qualifiers"] or "")
    assert "MRI" not in types and "magnetic resonance imaging" not in types


def test_primary_cancers_of_bone_metastasis(graph: Graph) -> None:
    rows = run(graph, "primary-cancers-of", metastasis="Bone Metastases")
    assert column(rows, "cancer") == [
        "breast cancer",
        "kidney cancer",
        "lung cancer",
        "prostate cancer",
        "thyroid cancer",
    ]
    for row in rows:
        assert row["metastasizesTo"] == "bone", row
        assert int(row["sentences"] or 0) >= 1


def test_evidence_for_bone_pain(graph: Graph, built: BuildResult) -> None:
    rows = run(
        graph, "evidence-for", subject="bone metastasis", relation="hasSymptom", object="bone pain"
    )
    sentences = column(rows, "sentence")
    assert any("Bone pain is often the first symptom" in (s or "") for s in sentences)
    assert (
        "Symptoms may include bone pain, weakness, fatigue, and limited mobility, among others."
        in sentences
    )
    assert len(rows) == len(statements_of(graph, BM, "hasSymptom", CONCEPT["bone-pain"]))
    article = next(a for a in built.articles if a.slug == "bone-metastasis")
    for row in rows:
        assert row["article"] == "Bone Metastasis"
        assert row["articleIri"] == str(ARTICLE["bone-metastasis"])
        assert row["negated"] == "false"
        start, end = int(row["charStart"] or -1), int(row["charEnd"] or -1)
        assert article.text[start:end] == row["sentence"]
    sections = {row["section"] for row in rows}
    assert "Symptoms" in sections
    assert any("Frequently Asked Questions" in (s or "") for s in sections)
    first = next(r for r in rows if "first symptom" in (r["sentence"] or ""))
    assert "often" in split(first["hedges"])


def test_evidence_for_matches_relation_and_names_in_any_case(graph: Graph) -> None:
    a = run(
        graph, "evidence-for", subject="bone metastasis", relation="hasSymptom", object="fatigue"
    )
    b = run(
        graph, "evidence-for", subject="Bone Metastases", relation="HASSYMPTOM", object="Tiredness"
    )
    assert a and a == b
    wrong = run(
        graph, "evidence-for", subject="bone metastasis", relation="treatedBy", object="fatigue"
    )
    assert wrong == []


def test_mri_synonym_and_case(graph: Graph) -> None:
    for name in ("MRI", "mri", "Magnetic Resonance Imaging"):
        rows = run(graph, "concept-summary", concept=name)
        assert {row["label"] for row in rows} == {"magnetic resonance imaging"}, name


def test_concept_summary_of_mri(graph: Graph) -> None:
    rows = run(graph, "concept-summary", concept="MRI")
    assert {row["types"] for row in rows} == {"ImagingProcedure"}
    edges = {(row["direction"], row["relation"], row["other"]) for row in rows}
    assert ("in", "diagnosedBy", "bone metastasis") in edges
    assert ("in", "diagnosedBy", "spinal cord compression") in edges
    assert all(int(row["statements"] or 0) >= 1 for row in rows)


def test_concept_summary_counts_every_edge_both_ways(graph: Graph) -> None:
    rows = run(graph, "concept-summary", concept="bone metastasis")
    out = {(r["relation"], r["otherIri"]) for r in rows if r["direction"] == "out"}
    expected_out = {
        (str(p).split("#")[1], str(o))
        for p, o in graph.predicate_objects(BM)
        if str(p).split("#")[-1] in RELATIONS and str(p).startswith(str(MEDKG))
    }
    assert out == expected_out
    assert {r["types"] for r in rows} == {"MetastaticDisease"}
    bone_pain = next(r for r in rows if r["other"] == "bone pain")
    assert bone_pain["statements"] == "2"
    fatigue = run(graph, "concept-summary", concept="fatigue")
    assert ("in", "hasSymptom", "bone metastasis") in {
        (r["direction"], r["relation"], r["other"]) for r in fatigue
    }
    assert ("in", "causes", "anemia") in {
        (r["direction"], r["relation"], r["other"]) for r in fatigue
    }


def test_concept_summary_of_a_concept_without_relations(graph: Graph) -> None:
    copy = copy_of(graph)
    copy.add((CONCEPT["lonely"], RDF.type, MEDKG.Symptom))
    add_label(copy, CONCEPT["lonely"], SKOS.prefLabel, "lonely")  # with its medkg:nameKey
    rows = run(copy, "concept-summary", concept="Lonely")
    assert rows == [
        {
            "label": "lonely",
            "conceptIri": str(CONCEPT["lonely"]),
            "types": "Symptom",
            "direction": None,
            "relation": None,
            "other": None,
            "otherIri": None,
            "statements": "0",
        }
    ]


def test_shared_symptoms_with_itself_are_its_symptoms(graph: Graph) -> None:
    shared = run(
        graph, "shared-symptoms", condition1="bone metastasis", condition2="Bone Metastases"
    )
    symptoms = run(graph, "symptoms-of", condition="bone metastasis")
    assert column(shared, "symptom") == column(symptoms, "symptom")
    assert column(shared, "symptomIri") == column(symptoms, "symptomIri")


def test_shared_symptoms_of_two_conditions(graph: Graph) -> None:
    copy = copy_of(graph)
    copy.add((CONCEPT["anemia"], MEDKG.hasSymptom, CONCEPT["fatigue"]))
    copy.add((CONCEPT["anemia"], MEDKG.hasSymptom, CONCEPT["pain"]))
    rows = run(copy, "shared-symptoms", condition1="anaemia", condition2="bone metastasis")
    assert column(rows, "symptom") == ["fatigue"]
    assert run(graph, "shared-symptoms", condition1="anemia", condition2="bone metastasis") == []


def test_complications_of_bone_metastasis(graph: Graph) -> None:
    rows = run(graph, "complications-of", condition="bone metastasis")
    assert set(column(rows, "complication")) == {
        "anemia",
        "nerve compression",
        "pathologic fracture",  # surgery repairs fractures; a test detects them
        "spinal cord compression",
    }


def test_risk_factors_of_bone_metastasis(graph: Graph) -> None:
    rows = by(run(graph, "risk-factors-of", condition="bone metastasis"), "riskFactor")
    assert {"older age", "family history of cancer", "sex", "primary cancer stage"} <= set(rows)
    assert "male sex" not in rows and "female sex" not in rows
    assert "Older adults are more likely" in (rows["older age"]["qualifiers"] or "")
    prostate = run(graph, "risk-factors-of", condition="prostate cancer")
    assert column(prostate, "riskFactor") == ["male sex"]


def test_relation_counts_match_the_graph(graph: Graph, built: BuildResult) -> None:
    rows = by(run(graph, "relation-counts"), "relation")
    assert sorted(rows) == sorted(RELATIONS)
    for relation in RELATIONS:
        predicate = MEDKG[relation]
        triples = len(set(graph.triples((None, predicate, None))))
        statements = len(set(graph.subjects(RDF.predicate, predicate)))
        assert rows[relation]["triples"] == str(triples), relation
        assert rows[relation]["statements"] == str(statements), relation
        assert triples == built.summary.relations_by_type.get(relation, 0), relation
    assert int(rows["hasSymptom"]["triples"] or 0) == len(BONE_METASTASIS_SYMPTOMS)
    assert rows["hasPrimaryCancer"]["triples"] == "5"
    assert rows["usedFor"]["triples"] == "0"


# --- the QC queries ----------------------------------------------------------------------


@pytest.mark.parametrize("name", VIOLATIONS)
def test_violation_query_finds_nothing_on_the_real_graph(graph: Graph, name: str) -> None:
    result = run_named(graph, name, {})
    assert result.rows == (), f"{name}: {result.as_dicts()}"


def _drop_evidence(graph: Graph) -> None:
    for node in statements_of(graph, BM, "hasSymptom", CONCEPT["limited-mobility"]):
        graph.remove((node, None, None))


def _unlabelled_concept(graph: Graph) -> None:
    graph.add((CONCEPT["mystery"], RDF.type, MEDKG.Symptom))


def _french_label_only(graph: Graph) -> None:
    graph.remove((CONCEPT["tingling"], SKOS.prefLabel, None))
    graph.add((CONCEPT["tingling"], SKOS.prefLabel, Literal("fourmillement", lang="fr")))


def _sentence_removed(graph: Graph) -> None:
    node = statements_of(graph, BM, "hasSymptom", CONCEPT["numbness"])[0]
    graph.remove((node, MEDKG.sentence, None))


def _sentence_emptied(graph: Graph) -> None:
    node = statements_of(graph, BM, "hasSymptom", CONCEPT["numbness"])[0]
    graph.set((node, MEDKG.sentence, Literal("")))


def _negated_but_asserted(graph: Graph) -> None:
    node = statements_of(graph, BM, "hasSymptom", CONCEPT["limited-mobility"])[0]
    graph.set((node, MEDKG.negated, Literal(True)))


def _ghost_object(graph: Graph) -> None:
    graph.add((BM, MEDKG.hasSymptom, CONCEPT["ghost"]))
    graph.add((CONCEPT["ghost"], SKOS.prefLabel, Literal("ghost", lang="en")))


BREAKERS: list[tuple[str, Callable[[Graph], None], str]] = [
    ("relation-without-evidence-violation", _drop_evidence, "limited mobility"),
    ("relation-without-evidence-violation", _ghost_object, "ghost"),
    ("concept-without-label-violation", _unlabelled_concept, str(CONCEPT["mystery"])),
    ("concept-without-label-violation", _french_label_only, str(CONCEPT["tingling"])),
    ("statement-without-sentence-violation", _sentence_removed, str(CONCEPT["numbness"])),
    ("statement-without-sentence-violation", _sentence_emptied, str(CONCEPT["numbness"])),
    ("negated-fact-asserted-violation", _negated_but_asserted, str(CONCEPT["limited-mobility"])),
    ("dangling-concept-violation", _ghost_object, str(CONCEPT["ghost"])),
]


@pytest.mark.parametrize(
    ("name", "breaker", "expected"), BREAKERS, ids=[f"{n}:{b.__name__}" for n, b, _ in BREAKERS]
)
def test_violation_query_catches_a_broken_graph(
    graph: Graph, name: str, breaker: Callable[[Graph], None], expected: str
) -> None:
    broken = copy_of(graph)
    breaker(broken)
    result = run_named(broken, name, {})
    assert result.rows, f"{name} missed {breaker.__name__}"
    assert any(expected in (value or "") for row in result.rows for value in row)


@pytest.mark.parametrize(
    ("name", "breaker", "expected"), BREAKERS, ids=[f"{n}:{b.__name__}" for n, b, _ in BREAKERS]
)
def test_violation_query_catches_a_broken_graph_on_oxigraph(
    graph: Graph, name: str, breaker: Callable[[Graph], None], expected: str
) -> None:
    broken = copy_of(graph)
    breaker(broken)
    # in memory, laid out as a build writes it: an article's named graph, and the union of the
    # named graphs in the default graph, which queries read
    store = ox.Store()
    triples = broken.serialize(format="nt").encode("utf-8")
    store.load(triples, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode("urn:medkg:test"))
    store.load(triples, format=ox.RdfFormat.N_TRIPLES)
    result = run_named(store, name, {})
    assert sorted(result.rows, key=str) == sorted(run_named(broken, name, {}).rows, key=str)
    assert any(expected in (value or "") for row in result.rows for value in row)


def test_every_violation_query_has_a_broken_graph_test() -> None:
    assert {name for name, _, _ in BREAKERS} == set(VIOLATIONS)


def test_negated_statement_beside_a_positive_one_is_not_a_violation(graph: Graph) -> None:
    copy = copy_of(graph)
    bone_pain = CONCEPT["bone-pain"]
    node = URIRef(str(ARTICLE["bone-metastasis/statement/negatedtest"]))
    for p, o in (
        (RDF.type, MEDKG.Statement),
        (RDF.subject, BM),
        (RDF.predicate, MEDKG.hasSymptom),
        (RDF.object, bone_pain),
        (PROV.wasDerivedFrom, ARTICLE["bone-metastasis"]),
        (MEDKG.sentence, Literal("Bone metastasis does not cause bone pain.")),
        (MEDKG.negated, Literal(True)),
    ):
        copy.add((node, p, o))
    assert run_named(copy, "negated-fact-asserted-violation", {}).rows == ()
    # a negated statement is evidence, but not a positive one: the count ignores it
    rows = by(run(copy, "symptoms-of", condition="bone metastasis"), "symptom")
    assert rows["bone pain"]["sentences"] == "2"
    evidence = run(
        copy, "evidence-for", subject="bone metastasis", relation="hasSymptom", object="bone pain"
    )
    assert sorted(column(evidence, "negated")) == ["false", "false", "true"]


# --- name keys ---------------------------------------------------------------------------


def test_every_label_has_its_lower_cased_name_key_and_no_key_is_stray(graph: Graph) -> None:
    """The queries find a concept by ``medkg:nameKey``: one per label, in the label's graph."""
    labels = {
        (node, str(label).lower())
        for predicate in (SKOS.prefLabel, SKOS.altLabel)
        for node, label in graph.subject_objects(predicate)
    }
    keys = {(node, str(key)) for node, key in graph.subject_objects(MEDKG.nameKey)}
    assert labels == keys
    assert all(
        key.datatype is None and key.language is None for key in graph.objects(None, MEDKG.nameKey)
    )


def test_a_synonym_in_an_article_graph_has_its_key_in_that_graph(built: BuildResult) -> None:
    for graph in built.dataset.graphs():
        for node, label in graph.subject_objects(SKOS.altLabel):
            assert (node, MEDKG.nameKey, Literal(str(label).lower())) in graph


@pytest.mark.parametrize("name", ["BONE METASTASIS", "Bone Metastases", "bone metastasis"])
def test_any_case_of_any_label_finds_the_concept(graph: Graph, name: str) -> None:
    rows = run(graph, "concept-summary", concept=name)
    assert {row["conceptIri"] for row in rows} == {str(BM)}


# --- binding -----------------------------------------------------------------------------

INJECTIONS = [
    'x" } ?s ?p ?o { "',
    'x" } UNION { ?s ?p ?o } #',
    "x' } ?s ?p ?o { '",
    'x\\" } ?s ?p ?o { \\"',
    "x\\u0022 } ?s ?p ?o { \\u0022",
    'x"\n} ?s ?p ?o {\n"',
    "bone metastasis\\",
]


@pytest.mark.parametrize("value", INJECTIONS)
def test_a_value_cannot_change_the_query(graph: Graph, value: str) -> None:
    assert run(graph, "symptoms-of", condition=value) == []
    assert run(graph, "evidence-for", subject=value, relation=value, object=value) == []


@settings(max_examples=150, deadline=None)
@given(st.text())
def test_a_bound_value_reads_back_exactly(value: str) -> None:
    query = probe(("x",), "SELECT ?x WHERE { }\n")
    assert run_sparql(Graph(), query.bind({"x": value})).rows == ((value,),)


def test_values_line_is_the_first_line_of_the_outermost_where_group() -> None:
    query = get_query("symptoms-of")
    bound = query.bind({"condition": "bone metastasis"})
    lines = bound.splitlines()
    where = next(i for i, line in enumerate(lines) if line.startswith("WHERE {"))
    assert lines[where + 1] == '  VALUES ?condition { "bone metastasis" }'
    # each sub-select that uses the parameter gets it as a BIND line, indented as its group
    binds = [line for line in lines if line.strip() == 'BIND("bone metastasis" AS ?condition)']
    assert binds and all(line.startswith("      BIND") for line in binds)
    unbound = [line for i, line in enumerate(lines) if i != where + 1 and line not in binds]
    assert "\n".join(unbound) + "\n" == query.text


def test_a_sub_select_sees_the_parameter_on_both_engines() -> None:
    body = (
        'SELECT ?x ?y WHERE {\n  { SELECT ?y WHERE {\n      BIND(CONCAT(?x, "!") AS ?y)\n  } }\n}\n'
    )
    bound = probe(("x",), body).bind({"x": "a"})
    assert 'BIND("a" AS ?x)' in bound
    store = ox.Store()
    assert run_sparql(Graph(), bound).rows == run_sparql(store, bound).rows == (("a", "a!"),)


def test_binding_skips_where_and_braces_in_comments_strings_and_subqueries() -> None:
    body = (
        "# WHERE { not here }\n"
        'SELECT ?x ?y WHERE { # "{ WHERE"\n'
        '  { SELECT ?y WHERE { BIND("} WHERE {" AS ?y) } }\n'
        "}\n"
    )
    query = probe(("x",), body)
    bound = query.bind({"x": "value"})
    assert 'WHERE { # "{ WHERE"\n  VALUES ?x { "value" }\n' in bound
    assert run_sparql(Graph(), bound).rows == (("value", "} WHERE {"),)


def test_binding_without_the_where_keyword() -> None:
    query = probe(("x",), "SELECT ?x { }\n")
    assert run_sparql(Graph(), query.bind({"x": "a"})).rows == (("a",),)


def test_several_parameters_bind_in_order() -> None:
    query = probe(("a", "b"), "SELECT ?a ?b WHERE { }\n")
    assert run_sparql(Graph(), query.bind({"b": "2", "a": "1"})).rows == (("1", "2"),)


# --- errors ------------------------------------------------------------------------------


def test_unknown_query_name_lists_the_known_ones() -> None:
    with pytest.raises(QueryError, match="unknown query 'no-such-query'") as error:
        get_query("no-such-query")
    assert "symptoms-of" in str(error.value)


@pytest.mark.parametrize("name", ["../src/medkg/vocab", "/etc/passwd", "queries/symptoms-of"])
def test_query_names_are_never_paths(name: str) -> None:
    with pytest.raises(QueryError, match="unknown query"):
        get_query(name)


def test_a_trailing_rq_is_accepted() -> None:
    assert get_query("symptoms-of.rq") == get_query("symptoms-of")


def test_missing_parameter(graph: Graph) -> None:
    with pytest.raises(QueryError, match=r"missing parameter 'condition'.*symptoms-of"):
        run_named(graph, "symptoms-of", {})
    with pytest.raises(QueryError, match="missing parameter 'object'"):
        run_named(graph, "evidence-for", {"subject": "a", "relation": "b"})


def test_unknown_parameter(graph: Graph) -> None:
    with pytest.raises(QueryError, match=r"unknown parameter 'disease'.*takes: condition"):
        run_named(graph, "symptoms-of", {"condition": "x", "disease": "y"})
    with pytest.raises(QueryError, match="unknown parameter"):
        run_named(graph, "relation-counts", {"condition": "x"})


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
        "select * where { service silent <http://example.org/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { ?s ?p ?o FILTER EXISTS { SERVICE <http://example.org/> { ?s ?p ?o } } }",
        "SELECT * WHERE { { SELECT ?s WHERE { SERVICE <http://example.org/> { ?s ?p ?o } } } }",
        "ASK { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    ],
)
def test_service_is_refused(text: str) -> None:
    with pytest.raises(QueryError, match="SERVICE is not allowed: medkg never queries the network"):
        run_sparql(Graph(), text)


def test_service_in_a_comment_or_string_is_fine() -> None:
    text = '# SERVICE <http://example.org/>\nSELECT ?x WHERE { BIND("SERVICE <x> {}" AS ?x) }'
    assert run_sparql(Graph(), text).rows == (("SERVICE <x> {}",),)


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * FROM <http://example.org/data.ttl> WHERE { ?s ?p ?o }",
        "SELECT * FROM NAMED <http://example.org/data.ttl> WHERE { ?s ?p ?o }",
    ],
)
def test_from_is_refused(text: str) -> None:
    with pytest.raises(QueryError, match="FROM and FROM NAMED are not allowed"):
        run_sparql(Graph(), text)


def test_syntax_error_says_where() -> None:
    with pytest.raises(QueryError, match=r"SPARQL syntax error at line 2, column \d+"):
        run_sparql(Graph(), "SELECT ?s\nWHERE { ?s ?p }")


def test_unknown_prefix_is_a_query_error() -> None:
    with pytest.raises(QueryError, match="nope"):
        run_sparql(Graph(), "SELECT ?s WHERE { ?s nope:x ?o }")


def test_bad_query_files_are_named(tmp_path: Path) -> None:
    (tmp_path / "untitled.rq").write_text("# description: d\nSELECT * WHERE { }\n")
    with pytest.raises(QueryError, match=r"untitled\.rq.*title"):
        load_queries(tmp_path)
    (tmp_path / "untitled.rq").write_text("# title: t\nSELECT * WHERE { }\n")
    with pytest.raises(QueryError, match=r"untitled\.rq.*description"):
        load_queries(tmp_path)
    (tmp_path / "untitled.rq").write_text(
        "# title: t\n# description: d\n# param: x — a value\nSELECT * WHERE { }\n"
    )
    with pytest.raises(QueryError, match=r"untitled\.rq.*never uses \?x"):
        load_queries(tmp_path)


def test_header_continuation_lines_and_params(tmp_path: Path) -> None:
    (tmp_path / "q.rq").write_text(
        "# title: T\n# description: first part\n#   second part\n"
        "# param: a — the a\n# param: b - the b\nSELECT ?a ?b WHERE { }\n"
    )
    query = load_queries(tmp_path)["q"]
    assert query.description == "first part second part"
    assert query.param_docs == (("a", "the a"), ("b", "the b"))
    assert query.params == ("a", "b")
    assert hash(query)  # frozen and hashable


def test_missing_query_directory(tmp_path: Path) -> None:
    with pytest.raises(QueryError, match="no such query directory"):
        load_queries(tmp_path / "absent")


def test_query_error_is_a_value_error() -> None:
    assert issubclass(QueryError, ValueError)


# --- other query forms and result formats ------------------------------------------------


def test_ask(graph: Graph) -> None:
    yes = run_sparql(graph, "ASK { ?s a <https://w3id.org/medkg/ontology#Statement> }")
    assert yes == QueryResult(("result",), (("true",),))
    no = run_sparql(graph, "ASK { ?s a <https://example.org/Nothing> }")
    assert no.rows == (("false",),)


def test_construct_gives_sorted_triples(graph: Graph) -> None:
    result = run_sparql(
        graph,
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
        "CONSTRUCT { ?c skos:prefLabel ?l } WHERE { ?c skos:prefLabel ?l }",
    )
    assert result.columns == ("subject", "predicate", "object")
    assert list(result.rows) == sorted(result.rows)
    assert (str(BM), str(SKOS.prefLabel), "bone metastasis") in result.rows


def test_describe(graph: Graph) -> None:
    result = run_sparql(graph, f"DESCRIBE <{BM}>")
    assert result.columns == ("subject", "predicate", "object")
    assert (str(BM), str(MEDKG.hasSymptom), str(CONCEPT["fatigue"])) in result.rows


def test_select_values_are_plain_strings(graph: Graph) -> None:
    result = run_sparql(
        graph,
        "SELECT ?iri ?label ?n ?unbound ?blank WHERE { "
        "VALUES ?iri { <https://w3id.org/medkg/concept/bone-metastasis> } "
        "?iri <http://www.w3.org/2004/02/skos/core#prefLabel> ?label . "
        "BIND(42 AS ?n) BIND(BNODE() AS ?blank) }",
    )
    assert result.columns == ("iri", "label", "n", "unbound", "blank")
    ((iri, label, n, unbound, blank),) = result.rows
    assert (iri, label, n, unbound) == (str(BM), "bone metastasis", "42", None)
    assert blank is not None and blank.startswith("_:")


ROUND_TRIP = QueryResult(
    ("name", "note", "empty"),
    (
        ("bone pain", 'says "often", then a comma', None),
        ("line\nbreak", "ünïcode — dash", ""),
    ),
)


def test_to_csv_round_trips() -> None:
    text = ROUND_TRIP.to_csv()
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert tuple(rows[0]) == ROUND_TRIP.columns
    assert [tuple(row) for row in rows[1:]] == [
        tuple("" if v is None else v for v in row) for row in ROUND_TRIP.rows
    ]


def test_to_json_round_trips_with_keys_in_column_order() -> None:
    records = json.loads(ROUND_TRIP.to_json())
    assert [list(record) for record in records] == [list(ROUND_TRIP.columns)] * 2
    assert [tuple(record.values()) for record in records] == list(ROUND_TRIP.rows)


def test_real_result_round_trips(graph: Graph) -> None:
    result = run_named(
        graph,
        "evidence-for",
        {"subject": "bone metastasis", "relation": "hasSymptom", "object": "bone pain"},
    )
    records = json.loads(result.to_json())
    assert [tuple(r.values()) for r in records] == list(result.rows)
    rows = list(csv.reader(io.StringIO(result.to_csv(), newline="")))
    assert tuple(rows[0]) == result.columns and len(rows) == len(result.rows) + 1


def test_empty_result_formats() -> None:
    empty = QueryResult(("a", "b"), ())
    assert empty.to_csv() == "a,b\r\n"
    assert json.loads(empty.to_json()) == []


def test_blank_nodes_in_graph_do_not_break_queries() -> None:
    g = Graph()
    g.add((BNode(), RDF.type, MEDKG.Symptom))
    assert run_named(g, "concept-without-label-violation", {}).rows
