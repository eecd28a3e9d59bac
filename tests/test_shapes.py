"""The ontology, the SHACL shapes, the JSON-LD context and medkg.validate."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from medkg import vocab
from medkg.standards import load_icd10cm
from medkg.validate import (
    ValidationReport,
    Violation,
    load_ontology,
    load_shapes,
    validate,
)
from medkg.vocab import ARTICLE, CONCEPT, DCTERMS, MEDKG, ONTOLOGY_IRI, PREFIXES, PROV, __version__

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY = ROOT / "ontology"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "shapes"
PROV_ENTITY = URIRef(str(PROV) + "Entity")

# docs/model.md, "Class hierarchy": class -> its direct parents.
CLASSES: dict[str, set[URIRef]] = {
    "MedicalConcept": {SKOS.Concept},
    "Condition": {MEDKG.MedicalConcept, vocab.SDO.MedicalCondition},
    "Cancer": {MEDKG.Condition},
    "PrimaryCancer": {MEDKG.Cancer},
    "MetastaticDisease": {MEDKG.Cancer},
    "Complication": {MEDKG.Condition},
    "Symptom": {MEDKG.MedicalConcept, vocab.SDO.MedicalSignOrSymptom},
    "PathologicalProcess": {MEDKG.MedicalConcept, vocab.SDO.MedicalEntity},
    "DiagnosticProcedure": {MEDKG.MedicalConcept, vocab.SDO.DiagnosticProcedure},
    "ImagingProcedure": {MEDKG.DiagnosticProcedure, vocab.SDO.ImagingTest},
    "LaboratoryTest": {MEDKG.DiagnosticProcedure, vocab.SDO.MedicalTest},
    "Biopsy": {MEDKG.DiagnosticProcedure},
    "Therapy": {MEDKG.MedicalConcept, vocab.SDO.MedicalTherapy},
    "RadiationTherapy": {MEDKG.Therapy, vocab.SDO.RadiationTherapy},
    "Chemotherapy": {MEDKG.Therapy},
    "HormoneTherapy": {MEDKG.Therapy},
    "Surgery": {MEDKG.Therapy, vocab.SDO.SurgicalProcedure},
    "SupportiveCare": {MEDKG.Therapy, vocab.SDO.PalliativeProcedure},
    "Drug": {MEDKG.MedicalConcept, vocab.SDO.Drug},
    "DrugClass": {MEDKG.MedicalConcept, vocab.SDO.DrugClass},
    "RiskFactor": {MEDKG.MedicalConcept, vocab.SDO.MedicalRiskFactor},
    "PrognosticFactor": {MEDKG.MedicalConcept, vocab.SDO.MedicalEntity},
    "PreventiveMeasure": {MEDKG.MedicalConcept, vocab.SDO.MedicalEntity},
    "AnatomicalStructure": {MEDKG.MedicalConcept, vocab.SDO.AnatomicalStructure},
    "SpreadRoute": {MEDKG.MedicalConcept, vocab.SDO.MedicalEntity},
    "TreatmentGoal": {MEDKG.MedicalConcept, vocab.SDO.MedicalEntity},
    "Article": {vocab.SDO.MedicalWebPage, PROV_ENTITY},
    "Statement": {RDF.Statement},
}

# docs/model.md, table "Relations": relation -> (subject classes, object classes, schema parent).
# vocab.SDO / vocab.XSD are used through the module: as globals of this module they would make
# pytest's collection probe them and warn about unknown attribute names.
RELATIONS: dict[str, tuple[tuple[str, ...], tuple[str, ...], URIRef | None]] = {
    "hasSymptom": (("Condition",), ("Symptom",), vocab.SDO.signOrSymptom),
    "diagnosedBy": (("Condition", "Symptom"), ("DiagnosticProcedure",), vocab.SDO.typicalTest),
    "treatedBy": (
        ("Condition", "Symptom"),
        ("Therapy", "Drug", "DrugClass"),
        vocab.SDO.possibleTreatment,
    ),
    "hasRiskFactor": (("Condition",), ("RiskFactor",), vocab.SDO.riskFactor),
    "hasComplication": (("Condition",), ("Condition",), vocab.SDO.possibleComplication),
    "metastasizesTo": (("Cancer",), ("AnatomicalStructure",), None),
    "hasPrimaryCancer": (("MetastaticDisease",), ("PrimaryCancer",), None),
    "spreadsVia": (("Condition",), ("SpreadRoute",), None),
    "causes": (
        ("Condition", "Symptom", "PathologicalProcess"),
        ("Condition", "Symptom", "PathologicalProcess"),
        None,
    ),
    "affects": (("Condition",), ("AnatomicalStructure",), vocab.SDO.associatedAnatomy),
    "usedFor": (
        ("Therapy", "Drug", "DrugClass", "DiagnosticProcedure"),
        ("Condition", "Symptom"),
        None,
    ),
    "prevents": (("Therapy", "Drug", "DrugClass"), ("Condition",), None),
    "hasSideEffect": (
        ("Therapy", "Drug", "DrugClass", "DiagnosticProcedure"),
        ("Condition", "Symptom"),
        vocab.SDO.adverseOutcome,
    ),
    "bodySite": (
        ("DiagnosticProcedure", "Therapy"),
        ("AnatomicalStructure",),
        vocab.SDO.bodyLocation,
    ),
    "hasGoal": (("Condition",), ("TreatmentGoal",), None),
    "riskReducedBy": (("Condition",), ("PreventiveMeasure",), None),
    "hasPrognosticFactor": (("Condition",), ("PrognosticFactor",), None),
}

DATATYPE_PROPERTIES: dict[str, URIRef] = {
    "articleKind": vocab.XSD.string,
    "sha256": vocab.XSD.string,
    "section": vocab.XSD.string,
    "sectionRole": vocab.XSD.string,
    "sentence": vocab.XSD.string,
    "charStart": vocab.XSD.integer,
    "charEnd": vocab.XSD.integer,
    "hedge": vocab.XSD.string,
    "qualifier": vocab.XSD.string,
    "negated": vocab.XSD.boolean,
    "nameKey": vocab.XSD.string,
}

BROKEN: list[tuple[str, str]] = [
    ("wrong-object-class.ttl", "hasSymptom object must be a medkg:Symptom"),
    ("missing-preflabel.ttl", "concept must have exactly one English skos:prefLabel"),
    ("two-english-preflabels.ttl", "concept must have exactly one English skos:prefLabel"),
    ("relation-without-statement.ttl", "relation has no statement node with its evidence"),
    ("statement-without-sentence.ttl", "statement must carry the sentence it came from"),
    ("date-as-text.ttl", "article date must be an xsd:date"),
    ("date-out-of-range.ttl", "article date must be an xsd:date"),
    ("bad-sha256.ttl", "medkg:sha256 of 64 lowercase hex digits"),
    ("bad-article-kind.ttl", "medkg:articleKind"),
    ("bad-hpo-notation.ttl", "code does not match the pattern of its system"),
]


def _fixture(name: str) -> Graph:
    return Graph().parse(FIXTURES / name, format="turtle")


def _declared(ontology: Graph) -> set[URIRef]:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    return {s for kind in kinds for s in ontology.subjects(RDF.type, kind) if isinstance(s, URIRef)}


def _english(graph: Graph, subject: URIRef, predicate: URIRef) -> list[Literal]:
    return [
        o
        for o in graph.objects(subject, predicate)
        if isinstance(o, Literal) and o.language == "en" and str(o).strip()
    ]


def _context() -> dict[str, Any]:
    document = json.loads((ONTOLOGY / "context.jsonld").read_text(encoding="utf-8"))
    assert isinstance(document, dict)
    context = document["@context"]
    assert isinstance(context, dict)
    return context


# --- SHACL fixtures -------------------------------------------------------------------------


def test_valid_fixture_conforms() -> None:
    report = validate(_fixture("valid.ttl"))
    assert report.conforms, report.text()
    assert report.violations == ()
    assert report.text() == "conforms: no violations"


def test_every_broken_fixture_is_listed() -> None:
    on_disk = {p.name for p in FIXTURES.glob("*.ttl")} - {"valid.ttl"}
    assert on_disk == {name for name, _ in BROKEN}


@pytest.mark.parametrize(("name", "expected"), BROKEN)
def test_broken_fixture_is_reported(name: str, expected: str) -> None:
    report = validate(_fixture(name))
    assert not report.conforms
    assert any(expected in v.message for v in report.violations), report.text()
    assert all(v.severity == "Violation" for v in report.violations)


def test_violation_names_focus_path_and_message() -> None:
    report = validate(_fixture("missing-preflabel.ttl"))
    assert [str(v) for v in report.violations] == [
        "concept:bone-pain  skos:prefLabel  concept must have exactly one English skos:prefLabel"
    ]
    (violation,) = report.violations
    assert violation.focus == str(CONCEPT["bone-pain"])
    assert violation.path == str(SKOS.prefLabel)
    assert violation.shape is not None and violation.shape.endswith("ConceptPrefLabelShape")
    assert report.text() == str(violation)


def test_violation_records_the_offending_value() -> None:
    report = validate(_fixture("bad-hpo-notation.ttl"))
    assert [v.value for v in report.violations] == ['"HP:12"']


def test_two_preflabels_are_reported_once() -> None:
    report = validate(_fixture("two-english-preflabels.ttl"))
    assert len({str(v) for v in report.violations}) == len(report.violations)


def test_violation_str_without_path() -> None:
    violation = Violation(
        focus=str(ARTICLE["x"]),
        path=None,
        message="m",
        severity="Violation",
        shape=None,
        value=None,
    )
    assert str(violation) == "article:x  m"
    assert ValidationReport(conforms=False, violations=(violation,)).text() == "article:x  m"


def test_validate_does_not_change_its_input() -> None:
    graph = _fixture("relation-without-statement.ttl")
    before = set(graph)
    ontology_size, shapes_size = len(load_ontology()), len(load_shapes())
    validate(graph)
    assert set(graph) == before
    assert (len(load_ontology()), len(load_shapes())) == (ontology_size, shapes_size)


def test_loaders_are_cached() -> None:
    assert load_ontology() is load_ontology()
    assert load_shapes() is load_shapes()


def _split_into_dataset(graph: Graph) -> tuple[Dataset, URIRef]:
    """Concept records in the terminology graph, everything else in the article graph."""
    dataset = Dataset()
    article_iri = ARTICLE["bone-metastasis"]
    article_graph = dataset.graph(article_iri)
    terminology = dataset.graph(URIRef("https://w3id.org/medkg/graph/terminology"))
    for s, p, o in graph:
        is_concept_record = str(s).startswith(str(CONCEPT)) and not str(p).startswith(str(MEDKG))
        (terminology if is_concept_record else article_graph).add((s, p, o))
    return dataset, article_iri


def test_dataset_is_validated_as_the_union_of_its_graphs() -> None:
    dataset, article_iri = _split_into_dataset(_fixture("valid.ttl"))
    report = validate(dataset)
    assert report.conforms, report.text()
    # The article graph alone lacks the concept records, so the relation's classes are missing.
    alone = Graph()
    for triple in dataset.graph(article_iri):
        alone.add(triple)
    assert not validate(alone).conforms


def _statement_graph(negated: bool, asserted: bool) -> Graph:
    graph = _fixture("valid.ttl")
    statement = URIRef(str(ARTICLE) + "bone-metastasis/statement/3f2a9c0d1e4b")
    graph.set((statement, MEDKG.negated, Literal(negated)))
    if not asserted:
        graph.remove((CONCEPT["bone-metastasis"], MEDKG.hasSymptom, CONCEPT["bone-pain"]))
    return graph


def test_negated_statement_without_its_triple_conforms() -> None:
    report = validate(_statement_graph(negated=True, asserted=False))
    assert report.conforms, report.text()


def test_asserted_triple_needs_a_statement_that_is_not_negated() -> None:
    report = validate(_statement_graph(negated=True, asserted=True))
    assert [v.message for v in report.violations] == [
        "relation has no statement node with its evidence"
    ]


def test_statement_that_is_not_negated_needs_its_triple() -> None:
    report = validate(_statement_graph(negated=False, asserted=False))
    assert [v.message for v in report.violations] == [
        "statement is not negated but its relation triple is not asserted"
    ]


def _relation_graph(relation: str, subject_class: str, object_class: str) -> Graph:
    graph = _fixture("valid.ttl")
    subject, obj = CONCEPT["thing-a"], CONCEPT["thing-b"]
    for node, cls, label in ((subject, subject_class, "a"), (obj, object_class, "b")):
        graph.add((node, RDF.type, MEDKG[cls]))
        graph.add((node, SKOS.prefLabel, Literal("thing " + label, lang="en")))
    graph.add((subject, MEDKG[relation], obj))
    statement = URIRef(str(ARTICLE) + "bone-metastasis/statement/0123456789ab")
    for p, o in (
        (RDF.type, MEDKG.Statement),
        (RDF.subject, subject),
        (RDF.predicate, MEDKG[relation]),
        (RDF.object, obj),
        (PROV.wasDerivedFrom, ARTICLE["bone-metastasis"]),
        (MEDKG.section, Literal("Overview")),
        (MEDKG.sectionRole, Literal("overview")),
        (MEDKG.sentence, Literal("Thing a relates to thing b.")),
        (MEDKG.charStart, Literal(0)),
        (MEDKG.charEnd, Literal(27)),
        (MEDKG.negated, Literal(False)),
    ):
        graph.add((statement, p, o))
    return graph


def _outsider(allowed: tuple[str, ...]) -> str:
    return next(c for c in ("TreatmentGoal", "RiskFactor") if c not in allowed)


@pytest.mark.parametrize("relation", sorted(RELATIONS))
def test_relation_shapes_follow_the_model(relation: str) -> None:
    subjects, objects, _ = RELATIONS[relation]
    for subject_class in subjects:
        for object_class in objects:
            report = validate(_relation_graph(relation, subject_class, object_class))
            assert report.conforms, report.text()

    report = validate(_relation_graph(relation, _outsider(subjects), objects[0]))
    assert [v.message for v in report.violations] == [
        f"{relation} subject must be a " + _or(subjects)
    ]
    report = validate(_relation_graph(relation, subjects[0], _outsider(objects)))
    assert [v.message for v in report.violations] == [
        f"{relation} object must be a " + _or(objects)
    ]


def _or(classes: tuple[str, ...]) -> str:
    names = ["medkg:" + c for c in classes]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def test_subclass_instances_are_targeted() -> None:
    graph = _fixture("valid.ttl")
    graph.add((CONCEPT["mri"], RDF.type, MEDKG.ImagingProcedure))
    report = validate(graph)
    assert [str(v) for v in report.violations] == [
        "concept:mri  skos:prefLabel  concept must have exactly one English skos:prefLabel"
    ]


@pytest.mark.parametrize("code", ["HP:0002653", "C79.51", "C79", "M84.58XA", "curated:bone-scan"])
def test_code_patterns_accept_real_codes(code: str) -> None:
    graph = _fixture("valid.ttl")
    graph.set((CONCEPT["bone-pain"], SKOS.notation, Literal(code)))
    assert validate(graph).conforms


def test_the_special_purpose_codes_of_the_release_are_accepted() -> None:
    """U07.0 (vaping-related disorder) and the other U codes are ICD-10-CM codes: a generated
    corpus of 10,000 articles linked one and failed validation when the pattern left out U."""
    codes = [code for code in load_icd10cm().entries if code.startswith("U")]
    assert "U07.0" in codes
    for code in codes:
        graph = _fixture("valid.ttl")
        graph.set((CONCEPT["bone-pain"], SKOS.notation, Literal(code)))
        assert validate(graph).conforms, code


@pytest.mark.parametrize("code", ["HP:12", "hp:0002653", "07.1", "C7", "curated:", "ICD:C79"])
def test_code_patterns_reject_malformed_codes(code: str) -> None:
    graph = _fixture("valid.ttl")
    graph.set((CONCEPT["bone-pain"], SKOS.notation, Literal(code)))
    report = validate(graph)
    assert [v.message for v in report.violations] == [
        "code does not match the pattern of its system"
    ]


def test_every_shape_has_a_readable_name_or_message() -> None:
    shapes = load_shapes()
    SH = URIRef("http://www.w3.org/ns/shacl#")
    node_shape, property_shape = URIRef(SH + "NodeShape"), URIRef(SH + "PropertyShape")
    named = {URIRef(SH + "name"), URIRef(SH + "message")}
    all_shapes = set(shapes.subjects(RDF.type, node_shape)) | set(
        shapes.subjects(RDF.type, property_shape)
    )
    assert len(all_shapes) > 40
    for shape in all_shapes:
        assert any(shapes.value(shape, p) for p in named), shape
    assert not set(shapes.subjects(URIRef(SH + "deactivated"), None))


# --- Ontology -------------------------------------------------------------------------------


def test_ontology_header() -> None:
    ontology = Graph().parse(ONTOLOGY / "medkg.ttl", format="turtle")
    assert set(ontology.subjects(RDF.type, OWL.Ontology)) == {ONTOLOGY_IRI}
    assert ontology.value(ONTOLOGY_IRI, OWL.versionInfo) == Literal(__version__)
    assert ontology.value(ONTOLOGY_IRI, DCTERMS.title)
    assert ontology.value(ONTOLOGY_IRI, DCTERMS.description)
    assert ontology.value(ONTOLOGY_IRI, DCTERMS.license) == URIRef(
        "https://creativecommons.org/licenses/by/4.0/"
    )
    assert ontology.value(ONTOLOGY_IRI, DCTERMS.creator) == Literal("medkg contributors")
    assert not list(ontology.triples((None, OWL.imports, None)))


@pytest.mark.parametrize("name", sorted(CLASSES))
def test_ontology_declares_class(name: str) -> None:
    ontology = load_ontology()
    cls = MEDKG[name]
    assert (cls, RDF.type, OWL.Class) in ontology
    assert set(ontology.objects(cls, RDFS.subClassOf)) == CLASSES[name]
    assert len(_english(ontology, cls, RDFS.label)) == 1
    assert len(_english(ontology, cls, SKOS.definition)) == 1


def test_medical_concepts_and_the_rest() -> None:
    ontology = load_ontology()
    medical = set(ontology.transitive_subjects(RDFS.subClassOf, MEDKG.MedicalConcept))
    assert medical == {MEDKG[n] for n in CLASSES} - {MEDKG.Article, MEDKG.Statement}


def _class_expression(ontology: Graph, node: Any) -> set[URIRef]:
    if isinstance(node, BNode):
        members = ontology.value(node, OWL.unionOf)
        return set(ontology.items(members))  # type: ignore[arg-type]
    return {node}


@pytest.mark.parametrize("name", sorted(RELATIONS))
def test_ontology_declares_relation(name: str) -> None:
    ontology = load_ontology()
    relation = MEDKG[name]
    subjects, objects, schema_parent = RELATIONS[name]
    assert (relation, RDF.type, OWL.ObjectProperty) in ontology
    parents = {MEDKG.relatedTo} | ({schema_parent} if schema_parent else set())
    assert set(ontology.objects(relation, RDFS.subPropertyOf)) == parents
    assert _class_expression(ontology, ontology.value(relation, RDFS.domain)) == {
        MEDKG[c] for c in subjects
    }
    assert _class_expression(ontology, ontology.value(relation, RDFS.range)) == {
        MEDKG[c] for c in objects
    }
    assert len(_english(ontology, relation, RDFS.label)) == 1
    assert len(_english(ontology, relation, SKOS.definition)) == 1


def test_related_to_specialises_skos_related() -> None:
    ontology = load_ontology()
    assert (MEDKG.relatedTo, RDF.type, OWL.ObjectProperty) in ontology
    assert set(ontology.objects(MEDKG.relatedTo, RDFS.subPropertyOf)) == {SKOS.related}
    assert _english(ontology, MEDKG.relatedTo, SKOS.definition)


@pytest.mark.parametrize("name", sorted(DATATYPE_PROPERTIES))
def test_ontology_declares_datatype_property(name: str) -> None:
    ontology = load_ontology()
    prop = MEDKG[name]
    assert (prop, RDF.type, OWL.DatatypeProperty) in ontology
    assert ontology.value(prop, RDFS.range) == DATATYPE_PROPERTIES[name]
    assert len(_english(ontology, prop, RDFS.label)) == 1
    assert len(_english(ontology, prop, SKOS.definition)) == 1


def test_name_key_is_a_hidden_label_of_a_concept() -> None:
    ontology = load_ontology()
    assert set(ontology.objects(MEDKG.nameKey, RDFS.subPropertyOf)) == {SKOS.hiddenLabel}
    assert ontology.value(MEDKG.nameKey, RDFS.domain) == MEDKG.MedicalConcept


def test_a_plain_lower_cased_name_key_conforms() -> None:
    graph = _fixture("valid.ttl")
    graph.add((CONCEPT["bone-pain"], MEDKG.nameKey, Literal("bone pain")))
    assert validate(graph).conforms


@pytest.mark.parametrize(
    "key", [Literal("bone pain", lang="en"), Literal(""), Literal(1), CONCEPT["bone-pain"]]
)
def test_a_name_key_must_be_a_non_empty_plain_string(key: Literal | URIRef) -> None:
    graph = _fixture("valid.ttl")
    graph.add((CONCEPT["bone-pain"], MEDKG.nameKey, key))
    report = validate(graph)
    assert [v.message for v in report.violations] == [
        "medkg:nameKey must be a non-empty plain string"
    ]


def test_every_medkg_term_in_the_ontology_is_documented() -> None:
    ontology = load_ontology()
    terms = {s for s in _declared(ontology) if str(s).startswith(str(MEDKG))}
    expected = (
        {MEDKG[n] for n in CLASSES}
        | {MEDKG[n] for n in RELATIONS}
        | {MEDKG[n] for n in DATATYPE_PROPERTIES}
        | {MEDKG.relatedTo}
    )
    assert terms == expected


def test_every_medkg_term_in_the_shapes_is_declared() -> None:
    declared = _declared(load_ontology())
    shapes = load_shapes()
    used = {
        node
        for triple in shapes
        for node in triple
        if isinstance(node, URIRef) and str(node).startswith(str(MEDKG))
    }
    assert used
    assert used <= declared, used - declared


# --- JSON-LD context ------------------------------------------------------------------------


def test_context_is_local_json() -> None:
    text = (ONTOLOGY / "context.jsonld").read_text(encoding="utf-8")
    document = json.loads(text)
    assert set(document) == {"@context"}
    context = _context()
    assert "@version" not in context  # 1.0 processors stop at "@version": 1.1; none is used
    assert "@import" not in context
    for key, value in context.items():
        assert isinstance(value, (str, dict, float, int)), key
        if isinstance(value, dict):
            assert "@context" not in value, key


def test_context_prefixes_match_vocab() -> None:
    context = _context()
    for prefix in (
        "medkg",
        "concept",
        "article",
        "skos",
        "dcterms",
        "prov",
        "schema",
        "rdf",
        "xsd",
    ):
        assert context[prefix] == str(PREFIXES[prefix]), prefix


def _expand(context: dict[str, Any], value: str) -> str:
    prefix, _, local = value.partition(":")
    base = context.get(prefix)
    return base + local if isinstance(base, str) and not local.startswith("//") else value


def test_every_medkg_term_in_the_context_is_declared() -> None:
    context = _context()
    declared = _declared(load_ontology())
    ids = [_expand(context, v["@id"]) for v in context.values() if isinstance(v, dict)]
    used = {URIRef(i) for i in ids if i.startswith(str(MEDKG))}
    assert used <= declared, used - declared
    for relation in RELATIONS:
        assert context[relation] == {"@id": "medkg:" + relation, "@type": "@id"}


# rdflib's own JSON-LD parser builds a ConjunctiveGraph internally; nothing to fix on our side.
@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_context_round_trips_the_valid_fixture() -> None:
    graph = _fixture("valid.ttl")
    text = graph.serialize(format="json-ld", context=_context(), auto_compact=True)
    nodes = json.loads(text)["@graph"]
    keys = {key for node in nodes for key in node}
    assert {
        "id",
        "type",
        "label",
        "hasSymptom",
        "sentence",
        "charStart",
        "negated",
        "about",
    } <= keys
    assert isomorphic(Graph().parse(data=text, format="json-ld"), graph)
