"""The build: articles on disk → a validated graph and its files, or nothing changed.

Each article is read, extracted and minted on its own (one bad file never stops the others);
the graph is validated as a whole; only a conforming graph replaces the previous outputs,
file by file through a temporary name, so a failure never leaves a half-written build.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset
from rdflib.namespace import RDF, SKOS

from medkg import export
from medkg.article import Article, ArticleError, read_article
from medkg.extract import RELATIONS, Extraction, extract
from medkg.rdf import mint, union
from medkg.resources import REGISTRY
from medkg.terminology import Lexicon, load_registry
from medkg.validate import ValidationReport, validate
from medkg.vocab import MEDKG, TERMINOLOGY_GRAPH

ARTICLE_SUFFIXES = (".txt", ".md")
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


def read_articles(
    files: Sequence[Path], progress: Callable[[Path], None] | None = None
) -> tuple[list[Article], list[str], list[str]]:
    """Parse every file; a file that fails is reported by name and skipped."""
    articles: list[Article] = []
    errors: list[str] = []
    warnings: list[str] = []
    by_slug: dict[str, Path] = {}
    for path in files:
        if progress:
            progress(path)
        try:
            article = read_article(path)
        except ArticleError as error:
            errors.append(str(error))
            continue
        if article.slug in by_slug:
            errors.append(
                f"{path}: title {article.title!r} gives the same IRI as {by_slug[article.slug]}; "
                "rename one of the articles"
            )
            continue
        by_slug[article.slug] = path
        articles.append(article)
        warnings.extend(f"{path}: {warning}" for warning in article.warnings)
    return articles, errors, warnings


def build_dataset(
    paths: Iterable[Path],
    registry: Path = REGISTRY,
    progress: Callable[[Path], None] | None = None,
) -> BuildResult:
    """Read, extract, link, mint and validate; writes nothing."""
    lexicon = Lexicon(load_registry(registry))
    articles, errors, warnings = read_articles(discover(paths), progress)
    extractions = [extract(article, lexicon) for article in articles]
    dataset = mint(extractions)
    return BuildResult(
        dataset=dataset,
        summary=summarise(dataset, extractions),
        validation=validate(dataset),
        articles=tuple(articles),
        errors=tuple(errors),
        warnings=tuple(warnings),
    )


def build(
    paths: Iterable[Path],
    out: Path,
    registry: Path = REGISTRY,
    progress: Callable[[Path], None] | None = None,
) -> BuildResult:
    """Build and, only if the graph conforms, replace the outputs in ``out``."""
    result = build_dataset(paths, registry, progress)
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
    written = tuple(write_atomically(out / name, text) for name, text in contents.items())
    return BuildResult(**{**result.__dict__, "written": written})


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


def summarise(dataset: Dataset, extractions: Sequence[Extraction]) -> Summary:
    terminology = dataset.graph(TERMINOLOGY_GRAPH)
    concept_types = Counter(
        str(t).removeprefix(str(MEDKG))
        for c in terminology.subjects(SKOS.prefLabel, None)
        for t in terminology.objects(c, RDF.type)
    )
    graph = union(dataset)
    relations = Counter(
        name for name in RELATIONS for _ in graph.triples((None, MEDKG[name], None))
    )
    statements = sum(len(e.assertions) for e in extractions)
    negated = sum(a.negated for e in extractions for a in e.assertions)
    return Summary(
        articles=len(extractions),
        concepts_by_type=dict(sorted(concept_types.items())),
        relations_by_type=dict(sorted(relations.items())),
        statements=statements,
        negated=negated,
    )
