"""The build at scale: per-article validation reports what pyshacl over the whole graph
reports, a rebuild after one edit builds one article and equals a full build, and worker
processes change nothing in the result."""

from __future__ import annotations

import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from medkg import units
from medkg.build import OUTPUTS, BuildResult, build, validate_units
from medkg.rdf import union
from medkg.shacl import validate_text
from medkg.store import open_dataset
from medkg.units import ArticleUnit, build_terminology
from medkg.validate import validate
from medkg.vocab import MEDKG, RDF, SKOS

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = ROOT / "data" / "articles"
SEED_NAME = "bone-metastasis.txt"


def _unit(built: BuildResult, slug: str) -> ArticleUnit:
    return next(u for u in built.units if u.article.slug == slug)


def _tampered(unit: ArticleUnit, quads: str) -> ArticleUnit:
    """``unit`` with other quads, validated on its own as the build validates a unit."""
    return replace(unit, quads=quads, violations=validate_text(quads + unit.terminology))


def _drop_first(quads: str, predicate: str) -> str:
    lines = quads.splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if f"<{predicate}>" in line)
    return "".join(lines[:index] + lines[index + 1 :])


def test_per_article_validation_finds_what_pyshacl_finds_over_the_whole_graph(
    built: BuildResult,
) -> None:
    """Violations injected into three articles and into the shared terminology: the report
    assembled from per-article runs and one terminology run equals pyshacl's over the union."""
    anemia, xray, seed = (_unit(built, s) for s in ("anemia", "x-ray", "bone-metastasis"))
    graph = f"<{anemia.graph}>"
    subject = f"<https://w3id.org/medkg/concept/{anemia.article.slug}>"
    # a symptom the article's own records type as one, that no article gives anemia
    symptoms = re.findall(rf"^(<\S+>) <{RDF.type}> <{MEDKG.Symptom}>", anemia.terminology, re.M)
    everything = "".join(u.quads for u in built.units)
    unsupported = next(
        f"{subject} <{MEDKG.hasSymptom}> {symptom}"
        for symptom in symptoms
        if f"{subject} <{MEDKG.hasSymptom}> {symptom}" not in everything
    )
    end = re.search(rf"<{MEDKG.charEnd}> (\"\d+\"\S+)", seed.quads)
    assert end is not None
    tampered = {
        # a relation with no statement giving its evidence
        anemia.path: _tampered(anemia, anemia.quads + f"{unsupported} {graph} .\n"),
        # a statement without its sentence
        xray.path: _tampered(xray, _drop_first(xray.quads, str(MEDKG.sentence))),
        # a span that ends before it starts
        seed.path: _tampered(
            seed,
            seed.quads.replace(end.group(1), '"0"^^<http://www.w3.org/2001/XMLSchema#integer>'),
        ),
    }
    units = [tampered.get(u.path, u) for u in built.units]
    # a second preferred label for a concept: visible only once the terminology is merged
    terminology = built.terminology + (
        f'<https://w3id.org/medkg/concept/fatigue> <{SKOS.prefLabel}> "tiredness"@en .\n'
    )

    per_article = validate_units(units, build_terminology(terminology))
    whole = union(Dataset().parse(data="".join(u.quads for u in units), format="nquads"))
    whole.parse(data=terminology, format="nt")
    reference = validate(whole)

    assert not reference.conforms and not per_article.conforms
    assert per_article.violations == reference.violations
    messages = per_article.text()
    for expected in (
        "relation has no statement node",
        "statement must carry the sentence",
        "charStart must be less than its charEnd",
        "exactly one English skos:prefLabel",
    ):
        assert expected in messages, expected


def test_the_shipped_corpus_conforms_either_way(built: BuildResult, graph: Graph) -> None:
    assert built.validation == validate(graph)
    assert built.validation.conforms


def _copy_articles(tmp_path: Path) -> Path:
    articles = tmp_path / "articles"
    shutil.copytree(ARTICLES, articles)
    return articles


@pytest.fixture(scope="module")
def first_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, BuildResult]:
    """The shipped articles copied and built once, in worker processes: each test below
    copies the folders (times and all) and rebuilds after its own edit."""
    root = tmp_path_factory.mktemp("first")
    articles = _copy_articles(root)
    first = build([articles], root / "build", jobs=2)
    assert first.ok and first.rebuilt == first.summary.articles > 30
    return articles, root / "build", first


def _remove_bullet(articles: Path) -> None:
    seed = articles / "conditions" / SEED_NAME
    text = seed.read_text()
    bullet = next(line for line in text.splitlines() if "Numbness or tingling:" in line)
    seed.write_text(text.replace(bullet + "\n", ""))


def _rename(articles: Path) -> None:
    xray = articles / "procedures" / "x-ray.txt"
    title = xray.read_text().splitlines()[0]
    xray.write_text(xray.read_text().replace(title, "Plain radiography", 1))


def _touch(articles: Path) -> None:
    fatigue = articles / "symptoms" / "fatigue.txt"
    fatigue.write_bytes(fatigue.read_bytes())


EDITS = {  # an edit, the articles it rebuilds, and whether the merged terminology changes
    # the seed loses a symptom that another article (numbness.txt) still names
    "a bullet removed": (_remove_bullet, 1, False),
    # bone-pain.txt alone names opioids: their records leave the terminology
    "an article deleted": (lambda a: (a / "symptoms" / "bone-pain.txt").unlink(), 0, True),
    # a new concept for the new title: records join the terminology
    "an article renamed (its graph IRI changes)": (_rename, 1, True),
    "a file saved unchanged": (_touch, 0, False),
}


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_a_rebuild_after_one_edit_builds_what_changed_and_equals_a_full_build(
    first_build: tuple[Path, Path, BuildResult], tmp_path: Path, edit: str
) -> None:
    original_articles, original_build, first = first_build
    articles, incremental = tmp_path / "articles", tmp_path / "incremental"
    shutil.copytree(original_articles, articles)
    shutil.copytree(original_build, incremental, symlinks=True)
    change, rebuilt, new_terminology = EDITS[edit]
    change(articles)
    again = build([articles], incremental, jobs=2)
    assert again.ok and again.rebuilt == rebuilt
    assert (again.terminology != first.terminology) == new_terminology
    if edit == "a file saved unchanged":  # no graph changed: only the report is written
        assert again.summary == first.summary
        assert again.written == (incremental / "report.json",)

    full = tmp_path / "full"
    fresh = build([articles], full, jobs=1)  # serial, with no cache: the reference
    assert fresh.rebuilt == fresh.summary.articles
    assert fresh.summary == again.summary
    for name in OUTPUTS:
        assert (incremental / name).read_bytes() == (full / name).read_bytes(), name
    before, after = open_dataset(incremental), open_dataset(full)
    names = {g.identifier for g in after.graphs() if len(g)}
    assert names == {g.identifier for g in before.graphs() if len(g)}
    for name in names:
        assert isomorphic(before.graph(name), after.graph(name)), name


def test_outputs_changed_by_hand_make_the_next_build_a_full_one(
    first_build: tuple[Path, Path, BuildResult], tmp_path: Path
) -> None:
    original_articles, original_build, first = first_build
    out = tmp_path / "build"
    shutil.copytree(original_build, out, symlinks=True)
    (out / "kg.ttl").write_text("# emptied by hand\n")
    again = build([original_articles], out)
    assert again.ok and again.summary == first.summary
    assert (out / "kg.ttl").read_bytes() == (original_build / "kg.ttl").read_bytes()


def test_an_unreadable_cache_entry_is_built_again(tmp_path: Path) -> None:
    articles = tmp_path / "articles" / "conditions"
    articles.mkdir(parents=True)
    shutil.copy(ARTICLES / "conditions" / SEED_NAME, articles)
    out = tmp_path / "build"
    first = build([articles.parent], out)
    for entry in (out / "cache").glob("*/*.pickle"):
        entry.write_bytes(b"not a pickle")
    again = build([articles.parent], out, full=True)  # a full build reads the units back
    assert again.ok and again.rebuilt == 1
    assert again.summary == first.summary


def test_a_rebuild_links_the_concepts_it_knows_without_reading_the_releases(
    first_build: tuple[Path, Path, BuildResult], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reading HPO and ICD-10-CM back takes seconds; the codes of every concept linked
    before are kept beside the units, so an edit that names no new concept never reads them."""
    original_articles, original_build, _ = first_build
    articles, out = tmp_path / "articles", tmp_path / "build"
    shutil.copytree(original_articles, articles)
    shutil.copytree(original_build, out, symlinks=True)
    _remove_bullet(articles)

    def unreadable(_: object) -> None:
        raise AssertionError("the releases were read")

    monkeypatch.setattr(units._Builder, "_releases", property(unreadable))
    again = build([articles], out, jobs=1)
    assert again.ok and again.rebuilt == 1
    assert again.units[0].links  # the seed's concepts, with their codes


def test_a_moved_articles_folder_builds_as_if_it_had_always_been_there(
    first_build: tuple[Path, Path, BuildResult], tmp_path: Path
) -> None:
    """The cache keys name a file by its kind's folder, so a moved folder keeps its cache;
    what was read from the old place must name the new one (the warnings do)."""
    original_articles, original_build, _ = first_build
    moved, out, fresh = tmp_path / "moved", tmp_path / "build", tmp_path / "fresh"
    shutil.copytree(original_articles, moved)
    shutil.copytree(original_build, out, symlinks=True)
    reference = build([moved], fresh, jobs=2)
    assert any(w.startswith(str(moved)) for w in reference.warnings)
    for full in (False, True):  # a rebuild keeps its entries, a full build reads the cache
        again = build([moved], out, jobs=2, full=full)
        assert again.ok and again.rebuilt == 0
        assert again.warnings == reference.warnings
        assert (out / "report.json").read_bytes() == (fresh / "report.json").read_bytes()
