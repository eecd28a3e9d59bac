"""The curated registry (data integrity) and the lexicon that finds mentions."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medkg.resources import REGISTRY
from medkg.terminology import (
    CONCEPT_TYPES,
    REGISTRY_COLUMNS,
    Concept,
    Lexicon,
    TerminologyError,
    load_registry,
    normalise,
)
from medkg.validate import load_ontology
from medkg.vocab import MEDKG, OWL, RDF, RDFS


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return Lexicon(load_registry(REGISTRY))


REGISTRY_FILES = sorted(REGISTRY.glob("*.tsv"))


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle, delimiter="\t"))


@pytest.mark.parametrize("path", REGISTRY_FILES, ids=lambda p: p.name)
def test_registry_records_are_well_formed_and_sorted(path: Path) -> None:
    rows = _rows(path)
    assert tuple(rows[0]) == REGISTRY_COLUMNS
    labels = [row[0] for row in rows[1:]]
    assert labels == sorted(labels, key=str.lower), f"keep {path.name} sorted by label"
    for row in rows[1:]:
        assert len(row) == len(REGISTRY_COLUMNS)
        assert all(cell == cell.strip() for cell in row), row
        codes = re.search(r"\bHP:\d|\b[A-Z]\d\d\.\d", "\t".join(row))
        assert codes is None, "registry records carry no codes; medkg links them from releases"


def test_registry_concepts_are_unique_and_typed() -> None:
    concepts = load_registry(REGISTRY)
    assert len({c.slug for c in concepts}) == len(concepts), "two labels give one IRI"
    for concept in concepts:
        assert set(concept.types) <= CONCEPT_TYPES
        assert concept.label not in concept.synonyms


def test_a_label_defined_twice_is_refused_with_both_places(tmp_path: Path) -> None:
    header = "\t".join(REGISTRY_COLUMNS) + "\n"
    (tmp_path / "a.tsv").write_text(header + "fatigue\tSymptom\t\t\n")
    (tmp_path / "b.tsv").write_text(header + "Fatigue\tSymptom\ttiredness\t\n")
    with pytest.raises(TerminologyError, match=r"b\.tsv:2: .* already defined at .*a\.tsv:2"):
        load_registry(tmp_path)


def test_every_registry_type_is_an_ontology_class() -> None:
    ontology = load_ontology()
    for concept_type in CONCEPT_TYPES:
        assert (MEDKG[concept_type], RDF.type, OWL.Class) in ontology, concept_type
        assert (MEDKG[concept_type], RDFS.subClassOf * "+", MEDKG.MedicalConcept) in ontology


def test_no_name_is_claimed_by_two_concepts(lexicon: Lexicon) -> None:
    # Lexicon() raises if two concepts share a normalised name; building it is the check.
    assert len(lexicon.concepts) == sum(len(_rows(p)) - 1 for p in REGISTRY_FILES)


def test_registry_errors_name_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "concepts.tsv"
    bad.write_text("\t".join(REGISTRY_COLUMNS) + "\nfatigue\tSymptm\t\t\n")
    with pytest.raises(TerminologyError, match=r"concepts\.tsv:2: .*Symptm"):
        load_registry(bad)
    bad.write_text("label\ttype\n")
    with pytest.raises(TerminologyError, match=r"concepts\.tsv:1: header"):
        load_registry(bad)


def test_lookup_ignores_case_number_and_uses_synonyms(lexicon: Lexicon) -> None:
    mri = lexicon.lookup("mri")
    assert mri is not None and mri.label == "magnetic resonance imaging"
    assert lexicon.lookup("Bone Metastases") == lexicon.lookup("bone metastasis")
    assert lexicon.lookup("X-rays") == lexicon.lookup("x ray")
    assert lexicon.lookup("cancer of the lung") == lexicon.lookup("lung cancer")
    assert lexicon.lookup("physician") is None


def _labels(lexicon: Lexicon, text: str) -> list[str]:
    return [m.concept.label for m in lexicon.find(text)]


def test_lists_distribute_their_head_noun(lexicon: Lexicon) -> None:
    text = "Common types include breast, prostate, lung, kidney, and thyroid cancers."
    assert _labels(lexicon, text) == [
        "breast cancer",
        "prostate cancer",
        "lung cancer",
        "kidney cancer",
        "thyroid cancer",
    ]
    text = "Cancers of the breast, prostate, and lung are common."
    assert _labels(lexicon, text) == ["breast cancer", "prostate cancer", "lung cancer"]


def test_lists_distribute_modifiers_after_the_head(lexicon: Lexicon) -> None:
    text = "to detect any compression of nerves or spinal cord"
    assert _labels(lexicon, text) == ["nerve compression", "spinal cord compression"]
    text = "increases with the stage and aggressiveness of the primary cancer"
    assert _labels(lexicon, text) == ["primary cancer stage", "primary cancer aggressiveness"]


def test_mentions_keep_their_exact_place(lexicon: Lexicon) -> None:
    text = "Imaging such as Magnetic Resonance Imaging (MRI) or X-rays."
    for mention in lexicon.find(text):
        assert text[mention.start : mention.end] == mention.text
    assert {m.text for m in lexicon.find(text)} == {"Magnetic Resonance Imaging", "MRI", "X-rays"}


def test_unknown_words_are_never_invented(lexicon: Lexicon) -> None:
    assert _labels(lexicon, "Ask physicians; see the app store and the disclaimer.") == []


def test_concept_for_unknown_title_is_typed_by_kind(lexicon: Lexicon) -> None:
    concept = lexicon.concept_for_title("Zebra Fever", "condition")
    assert concept == Concept("zebra fever", ("Condition",))
    assert concept.is_a("Condition")


@given(st.text(max_size=200))
def test_find_never_fails_and_spans_are_exact(text: str) -> None:
    lexicon = Lexicon(load_registry(REGISTRY))
    for mention in lexicon.find(text):
        assert text[mention.start : mention.end] == mention.text
        assert normalise(mention.text) or mention.text


def test_two_concepts_claiming_one_name_are_refused() -> None:
    with pytest.raises(TerminologyError, match="claimed by both"):
        Lexicon([Concept("pain", ("Symptom",)), Concept("ache", ("Symptom",), ("Pains",))])


def test_a_registry_layer_adds_and_corrects_but_never_replaces(tmp_path: Path) -> None:
    """``--registry`` is a curation layer: the shipped concepts stay, a record of the same
    label replaces its own, and a name the layer gives moves to the layer's concept."""
    layer = tmp_path / "mine.tsv"
    layer.write_text(
        "label\ttypes\tsynonyms\tabbreviations\n"
        "lactase deficiency\tCondition\tlactose intolerance\t\n"
        "fatigue\tSymptom\ttiredness; weariness\t\n"
        "magnetic resonance scan\tImagingProcedure\t\tMRI\n"
    )
    shipped = Lexicon(load_registry(REGISTRY))
    layered = Lexicon(load_registry(REGISTRY, layer))
    assert len(layered.concepts) == len(shipped.concepts) + 2
    assert layered.lookup("lactose intolerance").label == "lactase deficiency"
    assert layered.lookup("weariness").label == "fatigue"
    assert layered.lookup("MRI").label == "magnetic resonance scan"
    assert shipped.lookup("MRI").label == "magnetic resonance imaging"
    assert layered.lookup("magnetic resonance imaging").label == "magnetic resonance imaging"
