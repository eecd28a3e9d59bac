"""Serialisations: any label survives Turtle, TriG, JSON-LD and N-Quads; counts never drop."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Dataset, Graph, Literal
from rdflib.compare import isomorphic
from rdflib.namespace import SKOS

from medkg.build import BuildResult
from medkg.export import split_lines, to_jsonld, to_nquads, to_trig, to_turtle
from medkg.rdf import add_terminology, new_dataset, union
from medkg.terminology import Concept
from medkg.vocab import TERMINOLOGY_GRAPH

# Any text a label could hold: quotes, backslashes, controls, line and paragraph separators,
# bidi controls, non-Latin scripts (no surrogates: files are UTF-8).
label_text = st.text(
    alphabet=st.characters(exclude_categories=("Cs",)),
    min_size=1,
    max_size=40,
).filter(lambda s: any(c.isalnum() for c in s))


def _dataset_with(labels: list[str]) -> Dataset:
    dataset = new_dataset()
    concepts = [Concept(label, ("Symptom",), synonyms=(label + " 2",)) for label in labels]
    add_terminology(dataset.graph(TERMINOLOGY_GRAPH), concepts)
    return dataset


@settings(max_examples=60, deadline=None)
@given(st.lists(label_text, min_size=1, max_size=3, unique_by=lambda s: s.lower()))
def test_labels_round_trip_through_every_format(labels: list[str]) -> None:
    dataset = _dataset_with(labels)
    expected = union(dataset)
    assert isomorphic(Graph().parse(data=to_turtle(dataset), format="turtle"), expected)
    for text, fmt in ((to_trig(dataset), "trig"), (to_nquads(dataset), "nquads")):
        assert isomorphic(union(Dataset().parse(data=text, format=fmt)), expected)
    reread = union(Dataset().parse(data=to_jsonld(dataset), format="json-ld"))
    assert isomorphic(reread, expected)
    for label in labels:
        assert Literal(label, lang="en") in set(reread.objects(None, SKOS.prefLabel))


def test_split_lines_cuts_only_at_newlines() -> None:
    # what str.splitlines also cuts at, and rdflib writes raw inside N-Triples literals
    text = '<s> <p> "a\u2028b\u2029c\x85d\x0be\x0cf\x1cg\x1dh\x1ei\rj" .\n<s> <p> "k" .\n'
    first, second = text.split("\n")[:2]
    assert split_lines(text) == [first, second]
    assert split_lines(text, keepends=True) == [first + "\n", second + "\n"]
    assert split_lines(text.encode()) == [first.encode(), second.encode()]
    assert split_lines("no newline at the end") == ["no newline at the end"]
    assert split_lines("") == [] and split_lines(b"", keepends=True) == []


@given(st.lists(st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\n"))))
def test_split_lines_gives_back_the_lines_joined(lines: list[str]) -> None:
    text = "".join(f"{line}\n" for line in lines)
    assert split_lines(text) == lines
    assert "".join(split_lines(text, keepends=True)) == text


def test_exports_are_independent_of_insertion_order() -> None:
    labels = ["fatigue", "bone pain", "numbness", 'a "quoted" one']
    forward, backward = _dataset_with(labels), _dataset_with(labels[::-1])
    for writer in (to_turtle, to_trig, to_nquads, to_jsonld):
        assert writer(forward) == writer(backward), writer.__name__


# Floors for the shipped corpus: a silent drop in extraction fails here.
FLOORS = {"articles": 1, "concepts": 50, "relations": 75, "statements": 100}


def test_build_counts_never_fall_below_their_floors(built: BuildResult) -> None:
    summary = built.summary
    counts = {
        "articles": summary.articles,
        "concepts": sum(summary.concepts_by_type.values()),
        "relations": sum(summary.relations_by_type.values()),
        "statements": summary.statements,
    }
    for name, floor in FLOORS.items():
        assert counts[name] >= floor, f"{name}: {counts[name]} < {floor}"
