"""The build: articles on disk → a validated graph and its files, or nothing changed.

Each article is read, extracted and minted on its own (one bad file never stops the others);
the graph is validated as a whole; only a conforming graph replaces the previous outputs:
the Oxigraph store is loaded beside the old one and swapped in whole (see :mod:`medkg.store`),
the files are written through a temporary name, so a failure never leaves a half-written build.
"""

from __future__ import annotations

import functools
import json
import os
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from medkg import export
from medkg.article import HTML_SUFFIXES, Article, ArticleError, read_article
from medkg.extract import RELATIONS, extract
from medkg.rdf import mint, source_name, union
from medkg.resources import REGISTRY
from medkg.standards import link, load_hpo, load_icd10cm
from medkg.store import STORE_LINK, open_dataset, write_store
from medkg.terminology import Lexicon, load_registry
from medkg.validate import ValidationReport, validate
from medkg.vocab import CONCEPT, MEDKG, TERMINOLOGY_GRAPH

ARTICLE_SUFFIXES = (".txt", ".md", *HTML_SUFFIXES)
OUTPUTS = ("kg.trig", "kg.ttl", "kg.jsonld", "report.json")


@dataclass(frozen=True)
class Summary:
    """What a build produced, in counts."""

    articles: int
    concepts_by_type: dict[str, int]
    relations_by_type: dict[str, int]
    statements: int
    negated: int

    def as_dict(self) -> dict[str, object]:
        return {
            "articles": self.articles,
            "concepts_by_type": self.concepts_by_type,
            "relations_by_type": self.relations_by_type,
            "statements": self.statements,
            "negated_statements": self.negated,
        }


@dataclass(frozen=True)
class BuildResult:
    dataset: Dataset
    summary: Summary
    validation: ValidationReport
    articles: tuple[Article, ...]
    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    written: tuple[Path, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return self.validation.conforms


def discover(paths: Iterable[Path]) -> list[Path]:
    """Article files under the given files and folders, in a stable order.

    Raises:
        FileNotFoundError: for a path that does not exist.
    """
    found: set[Path] = set()
    for path in paths:
        if path.is_dir():
            found.update(p for p in path.rglob("*") if p.suffix in ARTICLE_SUFFIXES)
        elif path.is_file():
            found.add(path)
        else:
            raise FileNotFoundError(f"{path}: no such file or folder")
    return sorted(found)


@dataclass(frozen=True)
class Failure:
    """An article file that could not be read; the message names the file and place."""

    path: Path
    message: str

    def __str__(self) -> str:
        return self.message


def read_articles(
    files: Sequence[Path], progress: Callable[[Path], None] | None = None
) -> tuple[list[Article], list[Failure], list[str]]:
    """Parse every file; a file that fails is reported by name and skipped."""
    articles: list[Article] = []
    failures: list[Failure] = []
    warnings: list[str] = []
    by_slug: dict[str, Path] = {}
    for path in files:
        if progress:
            progress(path)
        try:
            article = read_article(path)
        except ArticleError as error:
            failures.append(Failure(path, str(error)))
            continue
        if article.slug in by_slug:
            message = (
                f"{path}: title {article.title!r} gives the same IRI as {by_slug[article.slug]}; "
                "rename one of the articles"
            )
            failures.append(Failure(path, message))
            continue
        by_slug[article.slug] = path
        articles.append(article)
        warnings.extend(f"{path}: {warning}" for warning in article.warnings)
    return articles, failures, warnings


def build_dataset(
    paths: Iterable[Path],
    registry: Path = REGISTRY,
    progress: Callable[[Path], None] | None = None,
    previous: Dataset | None = None,
) -> BuildResult:
    """Read, extract, link, mint and validate; writes nothing.

    An article that fails to read keeps its graph from ``previous`` (the last good build),
    so a broken edit never silently removes what the encyclopedia said before.
    """
    lexicon = Lexicon(load_registry(registry))
    articles, failures, warnings = read_articles(discover(paths), progress)
    hpo, icd = load_hpo(), load_icd10cm()
    extractions = [extract(article, lexicon) for article in articles]
    warnings.extend(w for e in extractions for w in e.warnings)
    dataset = mint(extractions, codes=functools.cache(lambda concept: link(concept, hpo, icd)))
    if previous is not None:
        for failure in failures:
            if keep_last_good(dataset, previous, failure.path):
                warnings.append(f"{failure.path}: kept its graph from the last good build")
    graph = union(dataset)
    return BuildResult(
        dataset=dataset,
        summary=summarise(dataset, graph),
        validation=validate(graph),
        articles=tuple(articles),
        errors=tuple(str(f) for f in failures),
        warnings=tuple(warnings),
    )


def keep_last_good(dataset: Dataset, previous: Dataset, path: Path) -> bool:
    """Copy the previous build's graph of the article read from ``path`` into ``dataset``,
    with the terminology records it needs. False if there is none to keep."""
    source = Literal(source_name(path))
    article = next((a for a, _, _, g in previous.quads((None, DCTERMS.source, source, None))), None)
    if not isinstance(article, URIRef) or (article, None, None) in dataset:
        return False
    kept = dataset.graph(article)
    for triple in previous.graph(article):
        kept.add(triple)
    terminology = dataset.graph(TERMINOLOGY_GRAPH)
    old_terminology = previous.graph(TERMINOLOGY_GRAPH)
    for node in set(kept.subjects()) | set(kept.objects()):
        if str(node).startswith(str(CONCEPT)) and (node, None, None) not in terminology:
            for triple in old_terminology.triples((node, None, None)):
                terminology.add(triple)
    return True


def build(
    paths: Iterable[Path],
    out: Path,
    registry: Path = REGISTRY,
    progress: Callable[[Path], None] | None = None,
) -> BuildResult:
    """Build and, only if the graph conforms, replace the store and the files in ``out``.

    Raises:
        StoreError: if the new store does not load; the previous outputs are then untouched.
    """
    previous = open_dataset(out) if (out / STORE_LINK).is_symlink() else None
    result = build_dataset(paths, registry, progress, previous)
    if not result.ok:
        return result
    report = {
        "summary": result.summary.as_dict(),
        "conforms": result.validation.conforms,
        "errors": list(result.errors),
        "warnings": list(result.warnings),
    }
    contents = {
        "kg.trig": export.to_trig(result.dataset),
        "kg.ttl": export.to_turtle(result.dataset),
        "kg.jsonld": export.to_jsonld(result.dataset),
        "report.json": json.dumps(report, indent=2, sort_keys=True) + "\n",
    }
    store = write_store(result.dataset, out)
    files = tuple(write_atomically(out / name, text) for name, text in contents.items())
    written = (store, *files)
    return replace(result, written=written)


def write_atomically(path: Path, text: str) -> Path:
    """Write to a temporary file beside ``path``, then rename it over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", dir=path.parent, prefix=f".{path.name}.", delete=False
    ) as handle:
        handle.write(text)
    os.chmod(handle.name, 0o644)  # mkstemp's 0600 would hide the graph from other users
    os.replace(handle.name, path)
    return path


def summarise(dataset: Dataset, graph: Graph) -> Summary:
    """Counts of a dataset; ``graph`` is its union, computed once by the caller."""
    terminology = dataset.graph(TERMINOLOGY_GRAPH)
    concept_types = Counter(
        str(t).removeprefix(str(MEDKG))
        for c in terminology.subjects(SKOS.prefLabel, None)
        for t in terminology.objects(c, RDF.type)
    )
    relations = Counter(
        name for name in RELATIONS for _ in graph.triples((None, MEDKG[name], None))
    )
    statements = set(graph.subjects(RDF.type, MEDKG.Statement))
    negated = set(graph.subjects(MEDKG.negated, Literal(True)))
    return Summary(
        articles=len(set(graph.subjects(RDF.type, MEDKG.Article))),
        concepts_by_type=dict(sorted(concept_types.items())),
        relations_by_type=dict(sorted(relations.items())),
        statements=len(statements),
        negated=len(negated & statements),
    )
