"""The Oxigraph store a build writes: swapped in whole, read-only for readers, and answering
every shipped query with the same rows as rdflib."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from medkg.build import BuildResult, build, build_dataset
from medkg.queries import load_queries, run_named, run_sparql
from medkg.rdf import union
from medkg.store import (
    STORE_LINK,
    STORES_DIR,
    StoreError,
    current_store,
    open_dataset,
    open_graph,
    open_store,
    write_store,
)

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "articles" / "conditions" / "bone-metastasis.txt"

#: A value for every parameter of the shipped queries, named in the seed article.
EXAMPLES = {
    "condition": "bone metastasis",
    "condition1": "bone metastasis",
    # the seed lists symptoms of bone metastasis alone: shared with itself, named in other case
    "condition2": "Bone Metastasis",
    "symptom": "bone pain",
    "metastasis": "bone metastasis",
    "concept": "MRI",
    "subject": "bone metastasis",
    "relation": "hasSymptom",
    "object": "bone pain",
}

# SPARQL 1.1 leaves the order of GROUP_CONCAT's values undefined (§18.5.1.7), so the engines
# may list the same values in different orders; those cells are compared as sets of values,
# also when a sub-select's list reaches the result through COALESCE(?list, "").
_GROUP_CONCAT = re.compile(
    r'GROUP_CONCAT\s*\(.*?separator\s*=\s*"([^"]*)"\s*\)\s+AS\s+\?(\w+)', re.IGNORECASE
)
_COALESCED = re.compile(r'COALESCE\s*\(\s*\?(\w+)\s*,\s*""\s*\)\s+AS\s+\?(\w+)', re.IGNORECASE)


def _comparable(text: str, columns: tuple[str, ...], rows: tuple[tuple[str | None, ...], ...]):
    separators = {name: sep for sep, name in _GROUP_CONCAT.findall(text)}
    for inner, outer in _COALESCED.findall(text):
        if inner in separators:
            separators[outer] = separators[inner]
    return [
        tuple(
            frozenset(value.split(separators[column]))
            if value is not None and column in separators
            else value
            for column, value in zip(columns, row, strict=True)
        )
        for row in rows
    ]


# The seed with three articles that disagree with it or with each other, so that the queries
# across articles (contradictions, FAQ-only facts) have rows too; small enough for rdflib.
SAMPLE = [
    SEED,
    ROOT / "data" / "articles" / "procedures" / "x-ray.txt",
    ROOT / "data" / "articles" / "conditions" / "multiple-myeloma.txt",
    ROOT / "data" / "articles" / "conditions" / "anemia.txt",
]


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[ox.Store, Graph]:
    built = build_dataset(SAMPLE)
    build_dir = tmp_path_factory.mktemp("sample-store")
    write_store(built.dataset, build_dir)
    return open_store(build_dir), union(built.dataset)


@pytest.mark.parametrize("name", sorted(load_queries()))
def test_every_query_gives_the_same_rows_on_both_engines(
    name: str, sample: tuple[ox.Store, Graph]
) -> None:
    store, graph = sample
    query = load_queries()[name]
    params = {param: EXAMPLES[param] for param in query.params}
    on_oxigraph = run_named(store, name, params)
    on_rdflib = run_named(graph, name, params)
    assert on_oxigraph.columns == on_rdflib.columns
    assert _comparable(query.text, on_oxigraph.columns, on_oxigraph.rows) == _comparable(
        query.text, on_rdflib.columns, on_rdflib.rows
    )
    if not name.endswith("-violation"):
        assert on_oxigraph.rows, f"{name} found nothing: the comparison proves little"


def test_the_store_holds_the_build_and_reads_back_as_rdflib(
    seed_built: BuildResult, tmp_path: Path
) -> None:
    write_store(seed_built.dataset, tmp_path)
    assert isomorphic(union(open_dataset(tmp_path)), union(seed_built.dataset))
    assert isomorphic(open_graph(tmp_path), union(seed_built.dataset))
    named = {str(g.identifier) for g in open_dataset(tmp_path).graphs() if len(g)}
    assert named == {str(g.identifier) for g in seed_built.dataset.graphs() if len(g)}


def test_readers_cannot_write(seed_built: BuildResult, tmp_path: Path) -> None:
    write_store(seed_built.dataset, tmp_path)
    store = open_store(tmp_path)
    before = len(store)
    with pytest.raises((OSError, RuntimeError), match=r"read-write|read-only"):
        store.update("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    assert len(open_store(tmp_path)) == before


def test_a_rebuild_swaps_in_a_new_store_and_keeps_only_the_one_before(
    tmp_path: Path,
) -> None:
    articles = tmp_path / "articles" / "conditions"
    articles.mkdir(parents=True)
    shutil.copy(SEED, articles / SEED.name)
    out = tmp_path / "build"
    build([articles], out)
    first = current_store(out)
    reader = open_store(out)  # a reader that opened the store before the next build
    count = len(reader)
    before = run_named(reader, "symptoms-of", {"condition": "bone metastasis"})

    text = SEED.read_text(encoding="utf-8").replace(
        "fatigue, and limited mobility", "fatigue, and nausea"
    )
    (articles / SEED.name).write_text(text, encoding="utf-8")
    build([articles], out)
    second = current_store(out)
    assert second != first and (out / STORE_LINK).is_symlink()
    assert len(reader) == count  # the old store still answers whoever holds it
    answer = run_named(open_store(out), "symptoms-of", {"condition": "bone metastasis"})
    labels = {row[0] for row in answer.rows}
    assert "nausea" in labels and "nausea" not in {row[0] for row in before.rows}

    build([articles], out)  # nothing changed: the store stays
    assert current_store(out) == second
    shutil.copy(SEED, articles / SEED.name)  # the edit undone: a third store
    build([articles], out)
    kept = sorted(p.name for p in (out / STORES_DIR).iterdir())
    assert current_store(out) != second
    assert kept == sorted([second.name, current_store(out).name])


def test_no_store_yet_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="run `medkg build` first"):
        open_store(tmp_path)


def test_the_default_graph_is_a_set_union_of_the_articles(
    built: BuildResult, tmp_path: Path
) -> None:
    write_store(built.dataset, tmp_path)
    store = open_store(tmp_path)
    bone = "<https://w3id.org/medkg/concept/bone>"
    spread = "<https://w3id.org/medkg/ontology#metastasizesTo>"
    merged = run_sparql(store, f"SELECT ?cancer WHERE {{ ?cancer {spread} {bone} }}").rows
    per_article = run_sparql(
        store, f"SELECT ?cancer ?g WHERE {{ GRAPH ?g {{ ?cancer {spread} {bone} }} }}"
    ).rows
    assert len(merged) == len(set(merged))  # once each, however many articles state it
    assert len(per_article) > len(merged)  # several articles do state some of them
    assert {row[0] for row in per_article} == {row[0] for row in merged}
