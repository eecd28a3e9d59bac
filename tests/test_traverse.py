"""medkg.traverse: the networkx view, concept lookup, neighbours, paths and neighbourhoods."""

from __future__ import annotations

import doctest

import networkx as nx
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, SKOS

from medkg import traverse
from medkg.traverse import (
    RELATION_PHRASES,
    ConceptNotFound,
    Hop,
    Path,
    find_concept,
    labels,
    neighbors,
    paths,
    subgraph,
    to_networkx,
)
from medkg.vocab import ARTICLE, CONCEPT, MEDKG

MRI = str(CONCEPT["magnetic-resonance-imaging"])
BONE_METASTASIS = str(CONCEPT["bone-metastasis"])


# These tests check exact paths for the seed article, so they read its graph alone.
@pytest.fixture(scope="module")
def graph(seed_graph: Graph) -> Graph:
    return seed_graph


@pytest.fixture(scope="module")
def G(graph: Graph) -> nx.MultiDiGraph:
    return to_networkx(graph)


@pytest.fixture(scope="module")
def names(G: nx.MultiDiGraph) -> dict[str, str]:
    return labels(G)


# --- the real graph ---------------------------------------------------------------------------


def test_a_node_per_concept_with_label_and_types(graph: Graph, G: nx.MultiDiGraph) -> None:
    concepts = {str(s) for s in graph.subjects(SKOS.prefLabel) if str(s).startswith(str(CONCEPT))}
    assert set(G) == concepts
    for node, data in G.nodes(data=True):
        assert data["label"] == str(graph.value(URIRef(node), SKOS.prefLabel))
        assert data["types"] and all(isinstance(t, str) for t in data["types"])
        assert isinstance(data["synonyms"], tuple)
    assert G.nodes[MRI]["types"] == ("ImagingProcedure",)
    assert "MRI" in G.nodes[MRI]["synonyms"]


def test_articles_and_statements_are_not_nodes(graph: Graph, G: nx.MultiDiGraph) -> None:
    articles = set(graph.subjects(RDF.type, MEDKG.Article))
    statements = set(graph.subjects(RDF.type, MEDKG.Statement))
    assert articles and statements
    assert not {str(n) for n in articles | statements} & set(G)


def test_an_edge_per_asserted_relation_triple(graph: Graph, G: nx.MultiDiGraph) -> None:
    triples = {
        (str(s), str(o), p.removeprefix(str(MEDKG)))
        for name in RELATION_PHRASES
        for s, p, o in graph.triples((None, MEDKG[name], None))
    }
    assert set(G.edges(keys=True)) == triples
    assert all(data["relation"] == key for _, _, key, data in G.edges(keys=True, data=True))


def test_every_edge_has_evidence_with_a_sentence(G: nx.MultiDiGraph) -> None:
    for u, v, key, evidence in G.edges(keys=True, data="evidence"):
        assert evidence, (u, key, v)
        for ref in evidence:
            assert ref.sentence.strip()
            assert ref.article.startswith(str(ARTICLE))
            assert ref.title and ref.section


@pytest.mark.parametrize(
    ("name", "iri"),
    [
        ("MRI", MRI),
        ("mri", MRI),
        ("the MRI scans", MRI),
        ("Magnetic Resonance Imaging", MRI),
        ("Bone Metastases", BONE_METASTASIS),
        ("bone metastasis", BONE_METASTASIS),
        (BONE_METASTASIS, BONE_METASTASIS),
    ],
)
def test_find_concept_ignores_case_number_and_determiners(
    G: nx.MultiDiGraph, name: str, iri: str
) -> None:
    assert find_concept(G, name) == iri


def test_unknown_concept_suggests_close_names(G: nx.MultiDiGraph) -> None:
    with pytest.raises(ConceptNotFound) as caught:
        find_concept(G, "bone metastsis")
    assert "bone metastasis" in caught.value.suggestions
    assert len(caught.value.suggestions) <= 5
    message = str(caught.value)
    assert message.startswith('no concept named "bone metastsis"')
    assert "did you mean: bone metastasis" in message
    assert isinstance(caught.value, LookupError)


def test_unknown_concept_without_anything_close(G: nx.MultiDiGraph) -> None:
    with pytest.raises(ConceptNotFound, match=r'^no concept named "qqqqzzzz"$'):
        find_concept(G, "qqqqzzzz")


def test_neighbors_of_mri(G: nx.MultiDiGraph, names: dict[str, str]) -> None:
    hops = neighbors(G, MRI)
    assert all(hop.source == MRI for hop in hops)
    by_label = {names[hop.target]: hop for hop in hops}
    assert {"bone metastasis", "spinal cord compression"} <= set(by_label)
    to_bone_metastasis = by_label["bone metastasis"]
    assert (to_bone_metastasis.relation, to_bone_metastasis.forward) == ("diagnosedBy", False)
    assert to_bone_metastasis.explain(names) == (
        "magnetic resonance imaging helps diagnose bone metastasis"
    )
    assert to_bone_metastasis.evidence


def test_neighbors_sorted_and_filtered(G: nx.MultiDiGraph, names: dict[str, str]) -> None:
    hops = neighbors(G, BONE_METASTASIS)
    keys = [(h.relation, not h.forward, names[h.target].casefold()) for h in hops]
    assert keys == sorted(keys)
    assert len(hops) == G.degree(BONE_METASTASIS)
    symptoms = neighbors(G, BONE_METASTASIS, "hasSymptom")
    assert symptoms and all(h.relation == "hasSymptom" and h.forward for h in symptoms)
    assert "fatigue" in {names[h.target] for h in symptoms}
    with pytest.raises(ConceptNotFound):
        neighbors(G, str(CONCEPT["no-such-thing"]))


def test_paths_from_breast_cancer_to_fatigue(G: nx.MultiDiGraph, names: dict[str, str]) -> None:
    found = paths(G, find_concept(G, "breast cancer"), find_concept(G, "fatigue"))
    labelled = {tuple(names[n] for n in path.nodes): path for path in found}
    path = labelled[("breast cancer", "bone metastasis", "anemia", "fatigue")]
    assert [hop.forward for hop in path.hops] == [False, True, True]
    assert [hop.explain(names) for hop in path.hops] == [
        "breast cancer is a primary cancer of bone metastasis",
        "bone metastasis can lead to the complication anemia",
        "anemia causes fatigue",
    ]
    for hop in path.hops:
        assert hop.evidence and all(ref.sentence for ref in hop.evidence)
    assert any("leading to anemia and fatigue" in ref.sentence for ref in path.hops[-1].evidence)


def test_paths_clinical_first_then_shortest_then_fewest_backward_hops(
    G: nx.MultiDiGraph,
) -> None:
    found = paths(G, find_concept(G, "breast cancer"), find_concept(G, "fatigue"), limit=10)
    clinical = {"Condition", "Cancer", "PrimaryCancer", "MetastaticDisease", "Complication"}
    clinical |= {"Symptom", "PathologicalProcess"}

    def stops_elsewhere(path: Path) -> int:
        return sum(not set(G.nodes[n]["types"]) & clinical for n in path.nodes[1:-1])

    ranks = [(stops_elsewhere(p), len(p.hops), p.backward_hops) for p in found]
    assert ranks == sorted(ranks)
    assert stops_elsewhere(found[-1]) > 0, "routes through therapies still come, last"
    assert len(found[0].hops) == 2
    for path in found:
        assert path.nodes[0] == find_concept(G, "breast cancer")
        assert path.nodes[-1] == find_concept(G, "fatigue")
        assert len(set(path.nodes)) == len(path.nodes)
        for hop, following in zip(path.hops, path.hops[1:], strict=False):
            assert hop.target == following.source
    assert len({p.nodes for p in found}) == len(found), "a path listed twice"


def test_paths_respect_max_hops_and_limit(G: nx.MultiDiGraph) -> None:
    source, target = find_concept(G, "breast cancer"), find_concept(G, "fatigue")
    assert len(paths(G, source, target, max_hops=2)) == 1
    assert all(len(p.hops) <= 3 for p in paths(G, source, target, max_hops=3, limit=50))
    assert len(paths(G, source, target, limit=2)) == 2
    assert paths(G, source, target, max_hops=1) == []
    assert paths(G, source, source) == []
    with pytest.raises(ValueError):
        paths(G, source, target, max_hops=0)
    with pytest.raises(ConceptNotFound):
        paths(G, source, "https://example.org/nowhere")


def test_subgraph_of_bone_pain(G: nx.MultiDiGraph) -> None:
    bone_pain = find_concept(G, "bone pain")
    around = subgraph(G, bone_pain)
    assert BONE_METASTASIS in around
    assert set(around) == {bone_pain, *nx.all_neighbors(G, bone_pain)}
    assert around.nodes[bone_pain]["label"] == "bone pain"
    assert around.edges[BONE_METASTASIS, bone_pain, "hasSymptom"]["evidence"]
    assert set(subgraph(G, bone_pain, depth=0)) == {bone_pain}
    assert len(subgraph(G, bone_pain, depth=2)) > len(around)
    around.remove_node(BONE_METASTASIS)
    assert BONE_METASTASIS in G, "subgraph must be a copy"


def test_docstring_examples(graph: Graph) -> None:
    result = doctest.testmod(traverse, extraglobs={"graph": graph}, verbose=False)
    assert result.attempted > 0
    assert result.failed == 0


# --- a tiny hand-made graph --------------------------------------------------------------------

ART = ARTICLE["tiny"]
METASTASIS, PRIMARY = CONCEPT["m-disease"], CONCEPT["p-cancer"]
ALPHA, BETA, GAMMA, LONER = (CONCEPT[n] for n in ("alpha", "beta", "gamma", "loner"))


def _statement(
    g: Graph, n: int, s: URIRef, relation: str, o: URIRef, *, negated: bool = False
) -> None:
    node = ARTICLE[f"tiny/statement/{n}"]
    g.add((node, RDF.type, MEDKG.Statement))
    g.add((node, RDF.subject, s))
    g.add((node, RDF.predicate, MEDKG[relation]))
    g.add((node, RDF.object, o))
    g.add((node, PROV.wasDerivedFrom, ART))
    g.add((node, MEDKG.section, Literal("Symptoms")))
    g.add((node, MEDKG.sentence, Literal(f"sentence {n}")))
    g.add((node, MEDKG.charStart, Literal(n * 10)))
    g.add((node, MEDKG.negated, Literal(negated)))
    if not negated:
        g.add((node, MEDKG.hedge, Literal("may")))


@pytest.fixture()
def tiny() -> nx.MultiDiGraph:
    g = Graph()
    g.add((ART, RDF.type, MEDKG.Article))
    g.add((ART, DCTERMS.title, Literal("Tiny", lang="en")))
    for node, cls, label in [
        (METASTASIS, MEDKG.MetastaticDisease, "m disease"),
        (PRIMARY, MEDKG.PrimaryCancer, "p cancer"),
        (ALPHA, MEDKG.Complication, "alpha"),
        (BETA, MEDKG.Symptom, "beta"),
        (GAMMA, MEDKG.Symptom, "gamma"),
        (LONER, MEDKG.Symptom, "loner"),
    ]:
        g.add((node, RDF.type, cls))
        g.add((node, SKOS.prefLabel, Literal(label, lang="en")))
    g.add((ALPHA, SKOS.altLabel, Literal("Alpha Syndromes", lang="en")))
    asserted = [
        (METASTASIS, "hasPrimaryCancer", PRIMARY),
        (METASTASIS, "hasComplication", ALPHA),
        (ALPHA, "hasSymptom", BETA),
        (ALPHA, "causes", BETA),
    ]
    for n, (s, relation, o) in enumerate(asserted):
        g.add((s, MEDKG[relation], o))
        _statement(g, n, s, relation, o)
    _statement(g, 10, ALPHA, "hasSymptom", GAMMA, negated=True)  # denied: no edge
    _statement(g, 11, ALPHA, "causes", BETA, negated=True)  # denied elsewhere: no evidence
    return to_networkx(g)


def test_tiny_nodes_and_edges(tiny: nx.MultiDiGraph) -> None:
    assert set(tiny) == {str(n) for n in (METASTASIS, PRIMARY, ALPHA, BETA, GAMMA, LONER)}
    assert tiny.nodes[str(ALPHA)]["synonyms"] == ("Alpha Syndromes",)
    assert tiny.nodes[str(PRIMARY)]["types"] == ("PrimaryCancer",)
    assert set(tiny.edges(keys=True)) == {
        (str(METASTASIS), str(PRIMARY), "hasPrimaryCancer"),
        (str(METASTASIS), str(ALPHA), "hasComplication"),
        (str(ALPHA), str(BETA), "hasSymptom"),
        (str(ALPHA), str(BETA), "causes"),
    }
    (ref,) = tiny.edges[str(ALPHA), str(BETA), "causes"]["evidence"]
    assert (ref.article, ref.title, ref.section, ref.sentence) == (
        str(ART),
        "Tiny",
        "Symptoms",
        "sentence 3",
    )
    assert ref.hedges == ("may",)
    assert find_concept(tiny, "alpha syndrome") == str(ALPHA)


def test_tiny_negated_statement_is_not_an_edge(tiny: nx.MultiDiGraph) -> None:
    assert not tiny.has_edge(str(ALPHA), str(GAMMA))
    assert neighbors(tiny, str(GAMMA)) == []
    assert paths(tiny, str(ALPHA), str(GAMMA)) == []


def test_tiny_direction_of_hops(tiny: nx.MultiDiGraph) -> None:
    names = labels(tiny)
    (back,) = neighbors(tiny, str(PRIMARY))
    assert back == Hop(
        str(PRIMARY),
        "hasPrimaryCancer",
        str(METASTASIS),
        False,
        tiny.edges[str(METASTASIS), str(PRIMARY), "hasPrimaryCancer"]["evidence"],
    )
    assert back.explain(names) == "p cancer is a primary cancer of m disease"
    forward = neighbors(tiny, str(METASTASIS), "hasPrimaryCancer")
    assert [h.explain(names) for h in forward] == ["m disease has primary cancer p cancer"]


def test_tiny_path_walks_edges_both_ways_and_picks_one_relation(
    tiny: nx.MultiDiGraph,
) -> None:
    names = labels(tiny)
    (path,) = paths(tiny, str(PRIMARY), str(BETA))
    assert path.nodes == (str(PRIMARY), str(METASTASIS), str(ALPHA), str(BETA))
    assert [h.forward for h in path.hops] == [False, True, True]
    assert path.explain(names) == (
        "p cancer is a primary cancer of m disease; "
        "m disease can lead to the complication alpha; alpha causes beta"
    )
    (back,) = paths(tiny, str(BETA), str(ALPHA))
    assert back.hops[0].explain(names) == "beta is caused by alpha"
    assert paths(tiny, str(PRIMARY), str(BETA), max_hops=2) == []
    assert paths(tiny, str(PRIMARY), str(LONER)) == []


def test_tiny_subgraph_keeps_attributes(tiny: nx.MultiDiGraph) -> None:
    around = subgraph(tiny, str(ALPHA))
    assert set(around) == {str(METASTASIS), str(ALPHA), str(BETA)}
    assert around.number_of_edges() == 3
    assert around.nodes[str(BETA)]["label"] == "beta"
    with pytest.raises(ValueError):
        subgraph(tiny, str(ALPHA), depth=-1)
