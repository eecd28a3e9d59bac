"""The build end to end: outputs, determinism, replacement, bad input, the last good graph."""

from __future__ import annotations

import importlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, SKOS

from medkg import shacl, units
from medkg.article import Article
from medkg.build import OUTPUTS, build
from medkg.extract import Extraction
from medkg.rdf import union
from medkg.store import current_store, open_dataset
from medkg.terminology import Lexicon
from medkg.vocab import ARTICLE, CONCEPT, MEDKG

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "articles" / "conditions" / "bone-metastasis.txt"
BM = CONCEPT["bone-metastasis"]
# The module, not the function of the same name that medkg/__init__.py exports.
validate_module = importlib.import_module("medkg.validate")


@pytest.fixture()
def articles(tmp_path: Path) -> Path:
    """A private copy of the seed article, free to edit."""
    folder = tmp_path / "articles" / "conditions"
    folder.mkdir(parents=True)
    shutil.copy(SEED, folder / SEED.name)
    return tmp_path / "articles"


def test_build_writes_every_output(articles: Path, tmp_path: Path) -> None:
    out = tmp_path / "build"
    result = build([articles], out)
    assert result.ok and not result.errors
    assert sorted(p.name for p in result.written) == sorted([*OUTPUTS, current_store(out).name])
    dataset = open_dataset(out)
    names = {str(g.identifier) for g in dataset.graphs() if len(g)}
    assert str(ARTICLE["bone-metastasis"]) in names
    assert "https://w3id.org/medkg/graph/terminology" in names
    union_graph = Graph().parse(out / "kg.ttl")
    assert isomorphic(union_graph, union(dataset))
    report = json.loads((out / "report.json").read_text())
    assert report["conforms"] is True
    assert report["summary"]["relations_by_type"]["hasSymptom"] == 7


def test_jsonld_export_round_trips_without_network(articles: Path, tmp_path: Path) -> None:
    out = tmp_path / "build"
    build([articles], out)
    text = (out / "kg.jsonld").read_text()
    assert "http://" not in json.loads(text)["@context"].get("@import", "")
    reread = Dataset().parse(data=text, format="json-ld")
    assert isomorphic(union(reread), union(open_dataset(out)))


def _build_in_subprocess(articles: Path, out: Path, seed: str) -> None:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    code = "import sys; from medkg.cli import main; main()"
    command = [sys.executable, "-c", code, "build", str(articles), "--out", str(out)]
    subprocess.run(command, check=True, env=env, capture_output=True)


def test_two_builds_are_byte_identical(articles: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "one", tmp_path / "two"
    _build_in_subprocess(articles, first, "1")
    _build_in_subprocess(articles, second, "2")
    for name in OUTPUTS:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_rebuild_replaces_the_article_graph(articles: Path, tmp_path: Path) -> None:
    out = tmp_path / "build"
    build([articles], out)
    assert (BM, MEDKG.hasSymptom, CONCEPT["numbness"]) in union(open_dataset(out))
    article = articles / "conditions" / SEED.name
    text = article.read_text()
    bullet = next(line for line in text.splitlines() if "Numbness or tingling:" in line)
    article.write_text(text.replace(bullet + "\n", ""))
    build([articles], out)
    graph = union(open_dataset(out))
    assert (BM, MEDKG.hasSymptom, CONCEPT["numbness"]) not in graph
    assert not list(graph.subjects(RDF.object, CONCEPT["numbness"]))
    assert (BM, MEDKG.hasSymptom, CONCEPT["bone-pain"]) in graph


def test_non_conforming_graph_leaves_previous_outputs(
    articles: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "build"
    build([articles], out)
    before = {name: (out / name).read_bytes() for name in OUTPUTS}
    # A real, stricter shape the seed does not meet: every symptom must carry a code.
    strict = Graph()
    strict += validate_module.load_shapes()
    strict.parse(
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        <urn:test:SymptomCode> a sh:NodeShape ;
            sh:targetClass <https://w3id.org/medkg/ontology#Symptom> ;
            sh:property [ sh:path skos:notation ; sh:minCount 1 ;
                          sh:message "symptom needs a code" ] .
        """,
        format="turtle",
    )
    stricter = shacl.CompiledShapes(strict, validate_module.load_class_hierarchy())
    monkeypatch.setattr(shacl, "compiled", lambda: stricter)
    (articles / "conditions" / SEED.name).write_text(SEED.read_text().replace("Bone pain", "Ache"))
    result = build([articles], out)
    assert not result.ok
    assert "symptom needs a code" in result.validation.text()
    assert result.written == ()
    assert {name: (out / name).read_bytes() for name in OUTPUTS} == before


BAD_FILES: dict[str, bytes] = {
    "empty.txt": b"",
    "blank.txt": b"   \n\n  \n",
    "binary.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    "latin1.txt": "Caf\u00e9 Syndrome\n\nSymptoms\n\nFatigue.\n".encode("latin-1"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_file_is_named_and_the_rest_still_builds(
    articles: Path, tmp_path: Path, name: str
) -> None:
    bad = articles / "conditions" / name
    bad.write_bytes(BAD_FILES[name])
    result = build([articles], tmp_path / "build")
    assert len(result.errors) == 1
    assert str(bad) in result.errors[0]
    assert result.ok
    assert (BM, MEDKG.hasSymptom, CONCEPT["bone-pain"]) in union(result.dataset)


def test_a_failure_of_medkg_on_one_article_is_named_and_the_rest_still_builds(
    articles: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_extract = units.extract

    def extract_with_a_bug(article: Article, lexicon: Lexicon) -> Extraction:
        if article.title == "Buggy":
            return {}["a bug met by this article alone"]  # a real KeyError, raised here
        return real_extract(article, lexicon)

    monkeypatch.setattr(units, "extract", extract_with_a_bug)
    buggy = articles / "conditions" / "buggy.txt"
    buggy.write_text("Buggy\n\nA rare condition that causes fatigue.\n")
    result = build([articles], tmp_path / "build")
    assert result.ok
    problem = "KeyError: 'a bug met by this article alone'"
    assert result.errors == (f"{buggy}: medkg failed on it ({problem}); please report",)
    assert (BM, MEDKG.hasSymptom, CONCEPT["bone-pain"]) in union(open_dataset(tmp_path / "build"))


def test_a_broken_edit_keeps_the_last_good_graph(articles: Path, tmp_path: Path) -> None:
    out = tmp_path / "build"
    build([articles], out)
    (articles / "conditions" / SEED.name).write_bytes(b"\xff\xfe broken \x00")
    result = build([articles], out)
    assert result.errors and "bone-metastasis.txt" in result.errors[0]
    assert any("kept its graph from the last good build" in w for w in result.warnings)
    graph = union(open_dataset(out))
    assert (BM, MEDKG.hasSymptom, CONCEPT["bone-pain"]) in graph
    assert (BM, SKOS.prefLabel, Literal("bone metastasis", lang="en")) in graph


@pytest.mark.parametrize(
    "title",
    [
        'Odd "Quoted" Title',
        "Slash/And\\Backslash",
        "Ünïcödé Sýndrome",
        "../../etc/passwd",
        "日本語",
    ],
)
def test_awkward_titles_make_safe_iris_and_round_trip(
    articles: Path, tmp_path: Path, title: str
) -> None:
    body = (
        "\n\nOverview\n\nA rare condition that causes fatigue.\n\nSymptoms\n\n  • Fatigue: common\n"
    )
    (articles / "conditions" / "odd.txt").write_text(title + body)
    out = tmp_path / "build"
    result = build([articles], out)
    assert result.ok, result.validation.text()
    graph = union(open_dataset(out))
    article = next(
        a for a in graph.subjects(RDF.type, MEDKG.Article) if a != ARTICLE["bone-metastasis"]
    )
    slug = str(article).removeprefix(str(ARTICLE))
    assert slug and "/" not in slug and ".." not in slug and '"' not in slug
    titles = {str(t) for t in graph.objects(article, None) if isinstance(t, Literal)}
    assert title in titles
    reread = Dataset().parse(data=(out / "kg.jsonld").read_text(), format="json-ld")
    assert title in {str(t) for t in union(reread).objects(article, None)}


def test_article_without_headings_builds_with_a_warning(articles: Path, tmp_path: Path) -> None:
    (articles / "conditions" / "plain.txt").write_text(
        "Plain Condition\n\nPlain condition spreads to the bones through the bloodstream.\n"
    )
    result = build([articles], tmp_path / "build")
    assert result.ok and not result.errors
    assert any("plain.txt" in w and "no section headings" in w for w in result.warnings)


def test_duplicate_titles_are_refused_by_name(articles: Path, tmp_path: Path) -> None:
    copy = articles / "conditions" / "copy.txt"
    shutil.copy(SEED, copy)
    result = build([articles], tmp_path / "build")
    assert len(result.errors) == 1
    assert "same IRI" in result.errors[0]
