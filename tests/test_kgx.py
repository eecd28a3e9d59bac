"""KGX TSV against the Biolink Model release the biolink-model package ships (read, not fetched)."""

from __future__ import annotations

import csv
import doctest
import functools
import importlib.resources
import io
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import RDFS, SKOS

from medkg import kgx
from medkg.build import build_dataset
from medkg.kgx import (
    EDGE_COLUMNS,
    ID_SYSTEMS,
    MEDKG_PREFIX,
    NODE_COLUMNS,
    MappingError,
    biolink_mappings,
    kgx_edges,
    to_kgx,
)
from medkg.rdf import add_terminology, new_dataset, union
from medkg.terminology import Concept
from medkg.traverse import to_networkx
from medkg.validate import load_ontology
from medkg.vocab import ARTICLE, BIOLINK, CODE_IRIS, CONCEPT, MEDKG, TERMINOLOGY_GRAPH

ROOT = Path(__file__).resolve().parents[1]
BONE_PAIN_SENTENCE = (
    "Pain: Bone pain is often the first symptom of bone metastasis, "
    "and it can be severe and debilitating"
)


@functools.cache
def biolink() -> dict[str, Any]:
    """The Biolink Model YAML of the installed biolink-model release."""
    path = importlib.resources.files("biolink_model") / "schema" / "biolink_model.yaml"
    model: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return model


def _class_name(curie: str) -> str:
    """biolink:DiseaseOrPhenotypicFeature → "disease or phenotypic feature" (the YAML key)."""
    return re.sub(r"(?<!^)(?=[A-Z])", " ", curie.removeprefix("biolink:")).lower()


def _slot_name(curie: str) -> str:
    return curie.removeprefix("biolink:").replace("_", " ")


def is_category(curie: str, root: str = "named thing") -> bool:
    """A concrete Biolink class under ``root``: under named thing, what KGX calls a category."""
    classes = biolink()["classes"]
    name = _class_name(curie)
    if name not in classes or classes[name].get("mixin") or classes[name].get("abstract"):
        return False
    while name != root:
        name = classes[name].get("is_a")
        if name is None:
            return False
    return True


def is_predicate(curie: str) -> bool:
    """A Biolink slot under related_to that is not a mixin: usable as an edge's predicate."""
    slots = biolink()["slots"]
    name = _slot_name(curie)
    if name not in slots or slots[name].get("mixin"):
        return False
    while name != "related to":
        name = slots[name].get("is_a")
        if name is None:
            return False
    return True


@pytest.fixture(scope="module")
def files(graph: Graph) -> dict[str, list[dict[str, str]]]:
    """The KGX files of the real graph, parsed back as TSV with no quoting (as KGX reads)."""
    parsed = {}
    for name, text in to_kgx(graph).items():
        reader = csv.DictReader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE)
        rows = list(reader)
        assert all(None not in row and None not in row.values() for row in rows), name
        parsed[name] = rows
    return parsed


# --- The mapping in the ontology ------------------------------------------------------------


def _medkg_terms() -> tuple[set[str], set[str]]:
    """The ontology's medkg classes and relations (local names)."""
    ontology = load_ontology()
    classes = {
        str(c).removeprefix(str(MEDKG))
        for c in ontology.transitive_subjects(RDFS.subClassOf, MEDKG.MedicalConcept)
    } | {"Article", "Statement"}
    relations = {
        str(r).removeprefix(str(MEDKG))
        for r in ontology.transitive_subjects(RDFS.subPropertyOf, MEDKG.relatedTo)
    }
    return classes, relations


def test_every_medkg_class_and_relation_has_one_biolink_counterpart() -> None:
    classes, relations = _medkg_terms()
    assert len(classes) > 25 and len(relations) > 15
    assert set(biolink_mappings()) == classes | relations
    for mapping in biolink_mappings().values():
        assert mapping.match in {"exact", "close", "broad"}
        assert str(mapping.biolink).startswith(str(BIOLINK))


def test_mapped_classes_are_categories_of_the_release() -> None:
    classes, _ = _medkg_terms()
    for name in sorted(classes - {"Statement"}):
        curie = biolink_mappings()[name].curie
        assert is_category(curie), f"medkg:{name} → {curie} is not a Biolink category"
    # A statement is a reified edge: an association, not a node.
    assert is_category(biolink_mappings()["Statement"].curie, root="association")


def test_mapped_relations_are_predicates_of_the_release() -> None:
    _, relations = _medkg_terms()
    for name in sorted(relations):
        curie = biolink_mappings()[name].curie
        assert is_predicate(curie), f"medkg:{name} → {curie} is not a Biolink predicate"


def test_the_checks_reject_what_is_not_in_the_release() -> None:
    """The two checks above can fail: made-up, mixin and abstract terms are refused."""
    assert not is_category("biolink:RiskFactor")
    assert not is_category("biolink:ThingWithTaxon")  # a mixin
    assert not is_predicate("biolink:has_risk_factor")
    assert not is_predicate("biolink:treats")  # a mixin in Biolink 4
    assert not is_predicate("biolink:knowledge_level")  # a slot, but not a predicate
    assert not is_category("biolink:Association")  # an edge, not a node
    assert is_category("biolink:Disease") and is_predicate("biolink:has_phenotype")


def test_model_md_table_is_the_ontology_mapping() -> None:
    """docs/model.md shows the mapping; it must say what the ontology says."""
    text = (ROOT / "docs" / "model.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `medkg:(\w+)` \| `skos:(\w+)Match` \| `(biolink:\w+)` \|", text, re.M)
    documented = {name: (match, curie) for name, match, curie in rows}
    assert documented == {name: (m.match, m.curie) for name, m in biolink_mappings().items()}


def test_a_missing_mapping_is_named() -> None:
    ontology = Graph()
    for triple in load_ontology():
        ontology.add(triple)
    ontology.remove((MEDKG.hasSymptom, None, None))
    graph = union(_dataset_with_relation())
    with pytest.raises(MappingError, match="medkg:hasSymptom has no Biolink mapping"):
        kgx_edges(graph, ontology)


def test_two_mappings_for_one_term_are_refused() -> None:
    ontology = Graph()
    for triple in load_ontology():
        ontology.add(triple)
    ontology.add((MEDKG.Symptom, SKOS.exactMatch, URIRef(str(BIOLINK) + "ClinicalFinding")))
    with pytest.raises(MappingError, match="medkg:Symptom has more than one"):
        biolink_mappings(ontology)


@functools.cache
def _dataset_with_relation() -> Dataset:
    """The seed article's build: small, and it states bone metastasis hasSymptom bone pain."""
    return build_dataset(
        [ROOT / "data" / "articles" / "conditions" / "bone-metastasis.txt"]
    ).dataset


# --- The files ------------------------------------------------------------------------------


def test_headers_are_biolink_slots(files: dict[str, list[dict[str, str]]]) -> None:
    slots = biolink()["slots"]
    assert tuple(files["nodes.tsv"][0]) == NODE_COLUMNS
    assert tuple(files["edges.tsv"][0]) == EDGE_COLUMNS
    for column in (*NODE_COLUMNS, *EDGE_COLUMNS):
        assert _slot_name(column) in slots, column


def test_every_written_category_and_predicate_is_in_the_release(
    files: dict[str, list[dict[str, str]]],
) -> None:
    categories = {c for row in files["nodes.tsv"] for c in row["category"].split("|")}
    predicates = {row["predicate"] for row in files["edges.tsv"]}
    assert len(categories) >= 6 and len(predicates) >= 10
    assert all(is_category(c) for c in categories), categories
    assert all(is_predicate(p) for p in predicates), predicates


def test_required_edge_slots_hold_values_of_their_enums(
    files: dict[str, list[dict[str, str]]],
) -> None:
    enums = biolink()["enums"]
    levels = set(enums["KnowledgeLevelEnum"]["permissible_values"])
    agents = set(enums["AgentTypeEnum"]["permissible_values"])
    for row in files["edges.tsv"]:
        assert row["knowledge_level"] in levels and row["agent_type"] in agents
        assert row["primary_knowledge_source"].startswith("infores:")


def test_rows_match_the_graph(graph: Graph, files: dict[str, list[dict[str, str]]]) -> None:
    G = to_networkx(graph)
    nodes, edges = files["nodes.tsv"], files["edges.tsv"]
    assert len(nodes) == G.number_of_nodes()
    assert {row["iri"] for row in nodes} == set(G.nodes)
    relations = Counter(key for _, _, key in G.edges(keys=True))
    written = Counter(
        relation.removeprefix("medkg:")
        for row in edges
        for relation in row["original_predicate"].split("|")
    )
    assert written == relations  # every medkg relation is in a row: none lost
    ids = {row["id"] for row in nodes}
    assert len(ids) == len(nodes)  # KGX merges nodes by id: no two concepts share one
    assert all(row["subject"] in ids and row["object"] in ids for row in edges)
    assert len({row["id"] for row in edges}) == len(edges)
    keys = [(row["subject"], row["predicate"], row["object"]) for row in edges]
    assert len(set(keys)) == len(keys)  # KGX keeps one edge per key: none would collapse
    for row in edges:
        assert len(row["supporting_text"].split("|")) == int(row["evidence_count"]) >= 1


def test_node_ids_are_registered_codes_or_the_documented_medkg_prefix(
    graph: Graph, files: dict[str, list[dict[str, str]]]
) -> None:
    maps = importlib.resources.files("biolink_model") / "prefixmaps"
    registered = json.loads((maps / "biolink-model-prefix-map.json").read_text(encoding="utf-8"))
    assert set(ID_SYSTEMS) <= set(registered)  # only what the release registers becomes an id
    nodes = {row["iri"]: row for row in files["nodes.tsv"]}
    for iri, row in nodes.items():
        prefix, _, local = row["id"].partition(":")
        assert (
            prefix in ID_SYSTEMS or row["id"] == f"{MEDKG_PREFIX}:{iri.removeprefix(str(CONCEPT))}"
        )
        assert prefix == MEDKG_PREFIX or prefix in registered
        if prefix != MEDKG_PREFIX:  # a linked concept is named by its code
            assert row["id"] in row["xref"].split("|")
            assert (URIRef(iri), SKOS.exactMatch, URIRef(CODE_IRIS[prefix] + local)) in graph
    assert nodes[str(CONCEPT["bone-pain"])]["id"] == "HP:0002653"
    assert nodes[str(CONCEPT["bone-metastasis"])]["id"] == "MEDKG:bone-metastasis"


def test_two_relations_that_map_to_one_predicate_share_a_row_and_both_are_named(
    files: dict[str, list[dict[str, str]]],
) -> None:
    """KGX keys edges by subject, predicate and object: causes and hasComplication (both
    biolink:causes) between the same concepts were two rows, and KGX kept one."""
    nodes = {row["iri"]: row["id"] for row in files["nodes.tsv"]}
    bone_metastasis, anemia = nodes[str(CONCEPT["bone-metastasis"])], nodes[str(CONCEPT["anemia"])]
    (row,) = [
        r for r in files["edges.tsv"] if (r["subject"], r["object"]) == (bone_metastasis, anemia)
    ]
    assert row["predicate"] == "biolink:causes"
    assert row["original_predicate"] == "medkg:causes|medkg:hasComplication"
    assert int(row["evidence_count"]) >= 2


def test_the_known_edge_carries_its_sentence_and_article(
    files: dict[str, list[dict[str, str]]],
) -> None:
    (row,) = [
        r
        for r in files["edges.tsv"]
        if (r["subject"], r["original_predicate"], r["object"])
        == ("MEDKG:bone-metastasis", "medkg:hasSymptom", "HP:0002653")
    ]
    assert row["predicate"] == "biolink:has_phenotype"
    assert BONE_PAIN_SENTENCE in row["supporting_text"].split("|")
    assert str(ARTICLE["bone-metastasis"]) in row["supporting_documents"].split("|")


def test_node_categories_and_codes(files: dict[str, list[dict[str, str]]]) -> None:
    nodes = {row["iri"].removeprefix(str(CONCEPT)): row for row in files["nodes.tsv"]}
    assert nodes["bone-pain"]["category"] == "biolink:PhenotypicFeature"
    assert "HP:0002653" in nodes["bone-pain"]["xref"].split("|")
    assert nodes["bone-metastasis"]["category"] == "biolink:Disease"
    assert nodes["bone-metastasis"]["name"] == "bone metastasis"
    assert nodes["magnetic-resonance-imaging"]["category"] == "biolink:Procedure"
    # A concept that is a condition and a risk factor is a Disease, not also a NamedThing.
    for row in nodes.values():
        assert not ("biolink:NamedThing" in row["category"] and "|" in row["category"])


def test_kgx_output_is_independent_of_insertion_order() -> None:
    dataset = _dataset_with_relation()
    reordered = new_dataset()
    for quad in reversed(sorted(dataset.quads((None, None, None, None)))):
        reordered.add(quad)
    assert to_kgx(union(reordered)) == to_kgx(union(dataset))


# Labels with tabs, line breaks and pipes must not break a row or a list.
label_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), whitelist_characters='|\t\n\r"'),
    min_size=1,
    max_size=30,
).filter(lambda s: any(c.isalnum() for c in s))


@settings(max_examples=40, deadline=None)
@given(label_text)
def test_any_label_keeps_rows_and_lists_intact(label: str) -> None:
    dataset = new_dataset()
    concept = Concept(label, ("Symptom",), synonyms=(label + " 2", "other"))
    add_terminology(dataset.graph(TERMINOLOGY_GRAPH), [concept])
    text = to_kgx(union(dataset))["nodes.tsv"]
    lines = text.split("\n")
    assert len(lines) == 3 and lines[-1] == ""
    (row,) = list(csv.DictReader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE))
    assert len(row["synonym"].split("|")) == 2
    assert row["name"] == re.sub(r"[\t\r\n]", " ", label).replace("|", "¦")


def test_docstring_examples_run(graph: Graph) -> None:
    result = doctest.testmod(kgx, extraglobs={"graph": graph}, verbose=False)
    assert result.attempted >= 3
    assert result.failed == 0
