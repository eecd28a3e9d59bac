"""The build: articles on disk → a validated graph and its files, or nothing changed.

Each article is read, extracted, minted and validated on its own, in worker processes, and
cached by content (see :mod:`medkg.units`): one bad file never stops the others, and a rebuild
redoes only the articles that changed. The shapes that span articles (the terminology the
articles share) are checked over the merged terminology. Only a conforming graph replaces the
previous outputs: the Oxigraph store is bulk-loaded beside the old one from the units' N-Quads
and swapped in whole (see :mod:`medkg.store`), the files are dumped from it and written
through a temporary name, so a failure never leaves a half-written build.
"""

from __future__ import annotations

import functools
import json
import os
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from rdflib import Dataset
from rdflib.namespace import RDF, SKOS, XSD

from medkg import export
from medkg.article import HTML_SUFFIXES, Article, ArticleError, read_article
from medkg.extract import RELATIONS
from medkg.rdf import new_dataset, source_name
from medkg.resources import REGISTRY
from medkg.store import open_store, write_store_from
from medkg.units import (
    ArticleUnit,
    Fingerprint,
    TerminologyUnit,
    UnitCache,
    UnitFailure,
    build_terminology,
    build_units,
)
from medkg.validate import ValidationReport
from medkg.vocab import MEDKG, TERMINOLOGY_GRAPH

ARTICLE_SUFFIXES = (".txt", ".md", *HTML_SUFFIXES)
OUTPUTS = ("kg.nq", "kg.trig", "kg.ttl", "kg.jsonld", "report.json")
CACHE_DIR = "cache"  # built units, by key (medkg.units.UnitCache)
MANIFEST = "units.json"  # source name → unit key of the last good build


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
    """What a build made of the articles: one unit per article that read (see
    :mod:`medkg.units`), the terminology they share, counts and the validation report."""

    units: tuple[ArticleUnit, ...]
    terminology: str  # N-Triples, sorted: the records of every concept the units use
    summary: Summary
    validation: ValidationReport
    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    written: tuple[Path, ...] = field(default=())
    rebuilt: int = 0  # articles extracted and validated anew; the others came from the cache
    shared: TerminologyUnit | None = None  # the terminology's results (None: nothing built)

    @property
    def ok(self) -> bool:
        return self.validation.conforms

    @property
    def articles(self) -> tuple[Article, ...]:
        return tuple(unit.article for unit in self.units)

    @functools.cached_property
    def dataset(self) -> Dataset:
        """The build as an rdflib dataset (parsed on first use: at encyclopedia scale the
        build itself never needs it)."""
        dataset = new_dataset()
        dataset.parse(data="".join(unit.quads for unit in self.units), format="nquads")
        dataset.graph(TERMINOLOGY_GRAPH).parse(data=self.terminology, format="nt")
        return dataset


def named_quads(units: Iterable[ArticleUnit], terminology: str) -> Iterator[str]:
    """A build as N-Quads text: each article's graph, then the terminology graph."""
    for unit in sorted(units, key=lambda u: u.graph):
        yield unit.quads
    graph = f" <{TERMINOLOGY_GRAPH}> .\n"
    yield "".join(line.removesuffix(" .") + graph for line in terminology.splitlines())


def union_triples(units: Iterable[ArticleUnit], terminology: str) -> str:
    """The default graph: the set union of a build's named graphs, as sorted N-Triples."""
    lines = set(terminology.splitlines())
    for unit in units:
        lines.update(_triple(quad) for quad in unit.quads.splitlines())
    return "".join(f"{line}\n" for line in sorted(lines))


def _triple(quad: str) -> str:
    """An N-Quads line without its graph name (always an IRI here, and IRIs hold no space)."""
    return quad.rsplit(" ", 2)[0] + " ."


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
            failures.append(Failure(path, _same_iri(article, by_slug[article.slug])))
            continue
        by_slug[article.slug] = path
        articles.append(article)
        warnings.extend(f"{path}: {warning}" for warning in article.warnings)
    return articles, failures, warnings


def _same_iri(article: Article, other: Path) -> str:
    return (
        f"{article.source}: title {article.title!r} gives the same IRI as {other}; "
        "rename one of the articles"
    )


def build_dataset(
    paths: Iterable[Path],
    registry: Path = REGISTRY,
    progress: Callable[[Path], None] | None = None,
    jobs: int | None = None,
) -> BuildResult:
    """Read, extract, link, mint and validate; writes nothing."""
    return _assemble(discover(paths), Fingerprint.of(registry), None, {}, jobs, progress)


def _assemble(
    files: Sequence[Path],
    fingerprint: Fingerprint,
    cache: UnitCache | None,
    last_good: dict[str, str],
    jobs: int | None,
    progress: Callable[[Path], None] | None,
) -> BuildResult:
    """Units for ``files`` and what they make together. An article that fails to read keeps
    its unit from the last good build (``last_good``: source name → unit key), so a broken
    edit never silently removes what the encyclopedia said before."""
    units: list[ArticleUnit] = []
    errors: list[str] = []
    warnings: list[str] = []
    by_slug: dict[str, Path] = {}
    results, rebuilt = build_units(files, fingerprint, cache, jobs, progress)
    for built in results:
        if isinstance(built, UnitFailure):
            errors.append(str(built))
            key = last_good.get(source_name(built.path))
            kept = cache.get(key) if cache and key else None
            if not isinstance(kept, ArticleUnit):
                continue
            warnings.append(f"{built.path}: kept its graph from the last good build")
            built = kept
        slug = built.article.slug
        if slug in by_slug:
            errors.append(_same_iri(built.article, by_slug[slug]))
            continue
        by_slug[slug] = built.path
        units.append(built)
        warnings.extend(built.warnings)
    terminology = "".join(sorted({line for u in units for line in u.terminology.splitlines(True)}))
    shared = build_terminology(terminology, fingerprint, cache)
    return BuildResult(
        units=tuple(units),
        terminology=terminology,
        summary=summarise(units, terminology),
        validation=validate_units(units, shared),
        errors=tuple(errors),
        warnings=tuple(warnings),
        rebuilt=rebuilt,
        shared=shared,
    )


def validate_units(units: Iterable[ArticleUnit], shared: TerminologyUnit) -> ValidationReport:
    """The SHACL report of the whole graph, from the results each unit found on its own and
    the run over the merged terminology (``shared``), where the concept shapes (the shapes
    whose data several articles share) find everything they check.

    The same report as pyshacl over the whole graph, with one difference by design: a relation
    and its evidence statement must sit in the same article graph, where the whole graph would
    accept a statement from another article.
    """
    return ValidationReport.of([*shared.violations, *(v for u in units for v in u.violations)])


def build(
    paths: Iterable[Path],
    out: Path,
    registry: Path = REGISTRY,
    progress: Callable[[Path], None] | None = None,
    jobs: int | None = None,
) -> BuildResult:
    """Build and, only if the graph conforms, replace the store and the files in ``out``.

    Units come from ``out``'s cache where their article and everything else they depend on are
    unchanged, so a rebuild after one edit builds one article.

    Raises:
        StoreError: if the new store does not load; the previous outputs are then untouched.
    """
    cache = UnitCache(out / CACHE_DIR)
    last_good = _read_manifest(out)
    files = discover(paths)
    result = _assemble(files, Fingerprint.of(registry), cache, last_good, jobs, progress)
    if not result.ok:
        return result
    report = {
        "summary": result.summary.as_dict(),
        "conforms": result.validation.conforms,
        "errors": list(result.errors),
        "warnings": list(result.warnings),
    }
    quads = named_quads(result.units, result.terminology)
    store = write_store_from(quads, union_triples(result.units, result.terminology), out)
    files_written = [
        write_atomically(out / "kg.jsonld", export.assemble_jsonld(_jsonld_objects(result))),
        write_atomically(out / "report.json", json.dumps(report, indent=2, sort_keys=True) + "\n"),
        *export.dump_store(open_store(out), out),
    ]
    manifest = {source_name(u.path): u.key for u in result.units}
    write_atomically(out / MANIFEST, json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    cache.keep_only({*manifest.values(), *([result.shared.key] if result.shared else [])})
    return replace(result, written=(store, *sorted(files_written)))


def _jsonld_objects(result: BuildResult) -> list[str]:
    objects = [(u.graph, u.jsonld) for u in result.units]
    if result.shared is not None:
        objects.append((str(TERMINOLOGY_GRAPH), result.shared.jsonld))
    return [text for _, text in sorted(objects)]


def _read_manifest(out: Path) -> dict[str, str]:
    """Source name → unit key of the last good build in ``out`` (none before the first)."""
    try:
        manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in manifest.items()} if isinstance(manifest, dict) else {}


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


def summarise(units: Sequence[ArticleUnit], terminology: str) -> Summary:
    """Counts of a build, read off the N-Triples and N-Quads lines of its units."""
    records = [line.split(" ", 2) for line in terminology.splitlines()]
    labelled = {subject for subject, predicate, _ in records if predicate == _PREF_LABEL}
    concept_types = Counter(
        obj.removesuffix(" .").strip("<>").removeprefix(str(MEDKG))
        for subject, predicate, obj in records
        if predicate == _TYPE and subject in labelled
    )
    relations: set[str] = set()
    statements = negated = 0
    for unit in units:
        for line in unit.quads.splitlines():
            _, predicate, rest = line.split(" ", 2)
            if predicate in _RELATIONS:
                relations.add(_triple(line))
            elif predicate == _TYPE and rest.startswith(_STATEMENT):
                statements += 1
            elif predicate == _NEGATED and rest.startswith(_TRUE):
                negated += 1
    by_relation = Counter(line.split(" ", 2)[1] for line in relations)
    return Summary(
        articles=len(units),
        concepts_by_type=dict(sorted(concept_types.items())),
        relations_by_type={
            name: by_relation[f"<{MEDKG[name]}>"]
            for name in sorted(RELATIONS)
            if by_relation[f"<{MEDKG[name]}>"]
        },
        statements=statements,
        negated=negated,
    )


_TYPE = f"<{RDF.type}>"
_PREF_LABEL = f"<{SKOS.prefLabel}>"
_NEGATED = f"<{MEDKG.negated}>"
_STATEMENT = f"<{MEDKG.Statement}>"
_TRUE = f'"true"^^<{XSD.boolean}>'
_RELATIONS = {f"<{MEDKG[name]}>" for name in RELATIONS}
