"""Differentials, look-alikes, hubs and communities on the real corpus graph."""

from __future__ import annotations

import doctest
import json
import math
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from rdflib import Graph

from medkg import analysis
from medkg.cli import main
from medkg.traverse import ConceptNotFound, find_concept, to_networkx

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "articles" / "conditions" / "bone-metastasis.txt"


@pytest.fixture(scope="module")
def G(graph: Graph) -> nx.MultiDiGraph:
    return to_networkx(graph)


def label(G: nx.MultiDiGraph, node: str) -> str:
    return str(G.nodes[node]["label"])


def rank_of(ranked: list[analysis.Candidate], G: nx.MultiDiGraph, name: str) -> int:
    """Its place in the ranking; a condition matching none of the symptoms comes after all."""
    names = [label(G, c.condition) for c in ranked]
    return names.index(name) if name in names else len(names)


def test_docstring_examples_hold(graph: Graph) -> None:
    result = doctest.testmod(
        analysis, extraglobs={"graph": graph, "to_networkx": to_networkx}, verbose=False
    )
    assert result.attempted > 0 and result.failed == 0


def test_find_term_takes_codes_names_and_synonyms(G: nx.MultiDiGraph) -> None:
    bone_pain = find_concept(G, "bone pain")
    assert analysis.find_term(G, "HP:0002653") == bone_pain
    assert analysis.find_term(G, "hp:0002653") == bone_pain
    fracture = analysis.find_term(G, "fracture")
    assert analysis.find_term(G, "M84.40") == fracture
    assert analysis.find_term(G, "pathologic fracture") == fracture


def test_find_term_rejects_unknown_names_and_codes_with_suggestions(G: nx.MultiDiGraph) -> None:
    with pytest.raises(ConceptNotFound, match="did you mean: bone pain"):
        analysis.find_term(G, "bone pian")
    with pytest.raises(ConceptNotFound, match='no concept named "HP:0002654"') as error:
        analysis.find_term(G, "HP:0002654")
    assert any(s.startswith("HP:0002653") for s in error.value.suggestions)


def test_differential_ranks_bone_conditions_above_those_without_bone_involvement(
    G: nx.MultiDiGraph,
) -> None:
    ranked = analysis.differential(G, ["bone pain", "fatigue", "fracture"])
    for bony in ("bone metastasis", "multiple myeloma"):
        for other in ("anemia", "hypercalcemia", "breast cancer"):
            assert rank_of(ranked, G, bony) < rank_of(ranked, G, other), (bony, other)
    top = ranked[rank_of(ranked, G, "bone metastasis")]
    assert top.coverage == pytest.approx(1.0) and top.unmatched == ()
    assert {label(G, m.symptom) for m in top.matched} == {
        "bone pain",
        "fatigue",
        "pathologic fracture",
    }
    anemia = ranked[rank_of(ranked, G, "anemia")]
    assert [label(G, m.symptom) for m in anemia.matched] == ["fatigue"]
    assert {label(G, s) for s in anemia.unmatched} == {"bone pain", "pathologic fracture"}


def test_differential_weights_common_symptoms_below_specific_ones(G: nx.MultiDiGraph) -> None:
    table = analysis.condition_symptoms(G)
    ranked = analysis.differential(G, ["bone pain", "fatigue", "fracture"])
    weights = {label(G, m.symptom): m for c in ranked for m in c.matched}
    for match in weights.values():
        assert match.conditions_with_it == sum(match.symptom in has for has in table.values())
        assert match.weight == pytest.approx(math.log(len(table) / match.conditions_with_it))
    # fatigue is the symptom of more conditions than bone pain, so it weighs less
    assert weights["fatigue"].conditions_with_it > weights["bone pain"].conditions_with_it
    assert weights["fatigue"].weight < weights["bone pain"].weight
    for candidate in ranked:
        assert candidate.score == pytest.approx(sum(m.weight for m in candidate.matched))
    scores = [c.score for c in ranked]
    assert scores == sorted(scores, reverse=True)


def test_differential_gives_the_sentence_behind_every_match(G: nx.MultiDiGraph) -> None:
    ranked = analysis.differential(G, ["bone pain", "fatigue", "fracture"])
    for candidate in ranked:
        for match in candidate.matched:
            assert match.evidence, (candidate.condition, match.symptom)
    myeloma = ranked[rank_of(ranked, G, "multiple myeloma")]
    sentences = [r.sentence for m in myeloma.matched for r in m.evidence]
    assert any("Mostly caused by anemia" in s for s in sentences)


def test_a_symptom_by_causes_counts_only_when_the_object_is_a_symptom(G: nx.MultiDiGraph) -> None:
    myeloma = find_concept(G, "multiple myeloma")
    symptoms = analysis.features(G, myeloma, "symptoms")
    # "multiple myeloma causes bone pain" (a Symptom) counts; "causes hypercalcemia" does not
    assert G.has_edge(myeloma, find_concept(G, "hypercalcemia"), "causes")
    assert find_concept(G, "hypercalcemia") not in symptoms
    brain = find_concept(G, "brain metastasis")
    seizure = find_concept(G, "seizure")
    assert G.has_edge(brain, seizure, "causes") and not G.has_edge(brain, seizure, "hasSymptom")
    assert seizure in analysis.features(G, brain, "symptoms")


def test_differential_leaves_out_the_concepts_asked_about(G: nx.MultiDiGraph) -> None:
    ranked = analysis.differential(G, ["fracture", "bone pain"])
    assert "pathologic fracture" not in {label(G, c.condition) for c in ranked}
    with pytest.raises(ValueError):
        analysis.differential(G, [])


def test_similar_by_procedures_finds_the_shared_tests(G: nx.MultiDiGraph) -> None:
    bm = find_concept(G, "bone metastasis")
    found = analysis.similar(G, bm, by="procedures", k=5)
    assert len(found) == 5
    mine = set(analysis.features(G, bm, "procedures"))
    for item in found:
        theirs = set(analysis.features(G, item.concept, "procedures"))
        assert set(item.shared) == mine & theirs
        assert 0 < item.score <= 1
    assert [s.score for s in found] == sorted((s.score for s in found), reverse=True)
    assert "bone scan" in {label(G, n) for n in found[0].shared}


def test_similar_rejects_a_bad_family_and_is_empty_without_neighbours(G: nx.MultiDiGraph) -> None:
    with pytest.raises(ValueError, match="unknown family"):
        analysis.similar(G, find_concept(G, "anemia"), by="colours")
    assert analysis.similar(G, find_concept(G, "bone scan"), by="treatments") == []


def test_hubs_rank_by_degree_and_filter_by_type(G: nx.MultiDiGraph) -> None:
    top = analysis.hubs(G, k=5)
    assert [h.degree for h in top] == sorted((h.degree for h in top), reverse=True)
    assert top[0].degree == max(d for _, d in G.degree())
    assert label(G, top[0].concept) == "bone metastasis"
    conditions = analysis.hubs(G, "Condition", k=50)
    assert all(analysis.is_condition(G, h.concept) for h in conditions)
    assert "multiple myeloma" in {label(G, h.concept) for h in conditions}  # a PrimaryCancer
    with pytest.raises(ValueError, match="no concept has type"):
        analysis.hubs(G, "Spaceship")


def test_communities_are_deterministic_and_group_bone_diseases(G: nx.MultiDiGraph) -> None:
    first, second = analysis.communities(G), analysis.communities(G)
    assert first == second
    members = [m for c in first for m in c.members]
    assert len(members) == len(set(members)), "a condition is in one community"
    assert all(analysis.is_condition(G, m) for m in members)
    bones = next(c for c in first if find_concept(G, "bone metastasis") in c.members)
    assert find_concept(G, "breast cancer") in bones.members
    assert find_concept(G, "anemia") not in bones.members
    assert find_concept(G, "bone scan") in bones.shared
    # calcium disorders together; myeloma, a marrow cancer that destroys bone and raises
    # calcium, with either (which one moves with small changes in extraction)
    calcium = next(c for c in first if find_concept(G, "hypercalcemia") in c.members)
    assert find_concept(G, "hyperparathyroidism") in calcium.members
    assert find_concept(G, "multiple myeloma") in (*bones.members, *calcium.members)


# --- the command line, on a build of the corpus ---------------------------------------------


@pytest.fixture(scope="module")
def corpus_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    result = CliRunner().invoke(main, ["build", "--out", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out


def invoke(build: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, [*args, "--build-dir", str(build)], catch_exceptions=False)
    return result.exit_code, result.output


def test_cli_differential_json_has_the_parts_of_the_score(corpus_build: Path) -> None:
    code, output = invoke(
        corpus_build,
        "differential",
        "HP:0002653",
        "fatigue",
        "fracture",
        "-k",
        "100",
        "--format",
        "json",
    )
    assert code == 0, output
    rows = json.loads(output)
    names = [row["condition"] for row in rows]
    assert names.index("bone metastasis") < names.index("anemia")
    first = rows[0]
    assert first["score"] == pytest.approx(sum(m["weight"] for m in first["matched"]), abs=1e-3)
    assert all(m["evidence"][0]["sentence"] for m in first["matched"])


def test_cli_differential_unknown_symptom_exits_1_with_suggestions(corpus_build: Path) -> None:
    result = CliRunner().invoke(
        main, ["differential", "bone pian", "--build-dir", str(corpus_build)]
    )
    assert result.exit_code == 1
    assert "did you mean: bone pain" in result.output


def test_cli_similar_and_hubs_print_tables(corpus_build: Path) -> None:
    code, output = invoke(corpus_build, "similar", "bone metastasis", "--by", "procedures")
    assert code == 0 and "bone scan" in output and "like bone metastasis" in output
    code, output = invoke(corpus_build, "hubs", "--type", "Symptom", "-k", "3")
    assert code == 0 and "most central" in output and "communities of conditions" in output
    code, output = invoke(corpus_build, "hubs", "--type", "Spaceship")
    assert code == 1


def test_cli_similar_by_all_says_what_it_compared(corpus_build: Path) -> None:
    """It titled the table "by all" and, with nothing shared, printed "shares no all"."""
    code, output = invoke(corpus_build, "similar", "bone metastasis", "--by", "all")
    assert code == 0
    assert "by symptoms, procedures or treatments" in output
    code, output = invoke(corpus_build, "similar", "spinal cord", "--by", "all")
    assert code == 0
    assert "shares no symptoms, procedures or treatments with any concept" in output
