"""Codes come from the official releases: every HPO and ICD-10-CM code in the graph is real."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDFS, SKOS

from medkg.build import build_dataset
from medkg.standards import ambiguities, link, load_hpo, load_icd10cm
from medkg.terminology import Concept, normalise
from medkg.vocab import CODE_IRIS


def _codes(graph: Graph, system: str) -> list[tuple[URIRef, URIRef, str]]:
    """(concept, code IRI, code) for every mapping of ``system`` in the graph."""
    found = []
    for predicate in (SKOS.exactMatch, SKOS.closeMatch):
        for concept, target in graph.subject_objects(predicate):
            if str(target).startswith(CODE_IRIS[system]):
                found.append((concept, target, str(graph.value(target, SKOS.notation))))
    return found


def _names(graph: Graph, concept: URIRef) -> set[tuple[str, ...]]:
    labels = graph.objects(concept, SKOS.prefLabel | SKOS.altLabel)
    return {normalise(str(label)) for label in labels}


def test_every_hpo_code_exists_with_a_compatible_label(graph: Graph) -> None:
    hpo = load_hpo()
    mappings = _codes(graph, "HP")
    assert len(mappings) >= 10
    for concept, target, code in mappings:
        assert code in hpo.entries, f"{code} is not in HPO {hpo.release.version}"
        assert str(graph.value(target, RDFS.label)) == hpo.entries[code].label
        release_names = {normalise(name) for name in hpo.names_of(code)}
        assert _names(graph, concept) & release_names, f"{concept} does not match {code}"
        assert graph.value(target, DCTERMS.isPartOf) is not None


def test_every_icd10cm_code_exists_with_a_compatible_label(graph: Graph) -> None:
    icd = load_icd10cm()
    mappings = _codes(graph, "ICD10CM")
    assert len(mappings) >= 5
    for concept, _, code in mappings:
        assert code in icd.entries, f"{code} is not in ICD-10-CM {icd.release.version}"
        release_names = {normalise(name) for name in icd.names_of(code)}
        # ICD-10-CM writes "Anemia, unspecified" or "Pathological fracture, unspecified site".
        unspecified = {_without_unspecified(n) for n in release_names}
        assert _names(graph, concept) & (release_names | unspecified), f"{concept} vs {code}"


def _without_unspecified(name: tuple[str, ...]) -> tuple[str, ...]:
    for tail in (("unspecified", "site"), ("unspecified",), ("nos",)):
        if name[-len(tail) :] == tail:
            return name[: -len(tail)]
    return name


def test_releases_are_the_shipped_ones() -> None:
    assert load_hpo().release.version == "2025-01-16"
    assert load_icd10cm().release.version == "2026-04-01"


def test_matching_is_by_name_not_by_a_hand_list() -> None:
    hpo, icd = load_hpo(), load_icd10cm()
    [code] = [c for c in link(Concept("tiredness", ("Symptom",)), hpo, icd) if c.system == "HP"]
    assert (code.code, code.label) == ("HP:0012378", "Fatigue")  # via HPO's own synonym
    anemia = {c.system: c.code for c in link(Concept("anemia", ("Complication",)), hpo, icd)}
    assert anemia["ICD10CM"] == "D64.9"  # "Anemia, unspecified"
    assert not link(Concept("zebra fever", ("Condition",)), hpo, icd)
    assert not link(Concept("bone scan", ("ImagingProcedure",)), hpo, icd)


def test_hpo_cross_references_become_umls_and_snomed_matches() -> None:
    codes = link(Concept("bone pain", ("Symptom",)), load_hpo(), load_icd10cm())
    systems = {c.system: c for c in codes}
    assert systems["HP"].code == "HP:0002653"
    assert systems["UMLS"].via == "HP:0002653"
    assert systems["SNOMEDCT"].match == "close"


def test_every_drugbank_code_is_the_vocabularys_for_a_name_of_the_concept(graph: Graph) -> None:
    from medkg.drugs import drug_names

    drugs = drug_names()
    accessions = {drug.drugbank: drug for drug in drugs._names.values() if drug.drugbank}
    mappings = _codes(graph, "DRUGBANK")
    assert len(mappings) >= 3
    for concept, target, code in mappings:
        assert code in accessions, f"{code} is not in {drugs.source} {drugs.version}"
        found = [drugs.lookup(" ".join(name)) for name in _names(graph, concept)]
        assert any(d is not None and d.drugbank == code for d in found), f"{concept} vs {code}"
        assert str(graph.value(target, RDFS.label)) == accessions[code].name


def test_drugs_link_by_their_generic_name_or_brand_only() -> None:
    from medkg.drugs import drug_names

    hpo, icd, drugs = load_hpo(), load_icd10cm(), drug_names()
    [code] = link(Concept("ibuprofen", ("Drug",)), hpo, icd, drugs)
    assert (code.system, code.code, code.match) == ("DRUGBANK", "DB01050", "exact")
    [brand] = link(Concept("prozac", ("Drug",)), hpo, icd, drugs)
    assert (brand.code, brand.match) == ("DB00472", "close")  # fluoxetine
    assert not link(Concept("alcohol", ("Drug",)), hpo, icd, drugs)  # benzyl alcohol there


def test_an_ambiguous_name_is_reported_not_guessed() -> None:
    hpo, icd = load_hpo(), load_icd10cm()
    # two different HPO phenotypes share this exact synonym: neither is taken
    breathless = Concept("breathing difficulty", ("Symptom",))
    assert not any(code.system == "HP" for code in link(breathless, hpo, icd))
    [report] = ambiguities(breathless, hpo, icd)
    assert "HP:0002094" in report and "HP:0002098" in report and "not linked" in report
    # a category and its own unspecified subcode are one thing: the category is taken
    gout = Concept("gout", ("Condition",))
    assert [c.code for c in link(gout, hpo, icd) if c.system == "ICD10CM"] == ["M10"]
    assert ambiguities(gout, hpo, icd) == ()


def test_the_build_reports_an_ambiguous_name_with_its_article(tmp_path: Path) -> None:
    article = tmp_path / "conditions" / "croup-like-illness.txt"
    article.parent.mkdir()
    article.write_text(
        "Croup-Like Illness\n\nSymptoms\n\n  • Breathing difficulty: Noisy, laboured breathing\n",
        encoding="utf-8",
    )
    built = build_dataset([article], jobs=1)
    [warning] = [w for w in built.warnings if "ambiguous" in w]
    assert warning.startswith(str(article)) and "'breathing difficulty'" in warning
