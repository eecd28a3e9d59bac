"""The build: articles on disk → a validated graph and its files, or nothing changed.

Each article is read, extracted, minted and validated on its own, in worker processes, and
cached by content (see :mod:`medkg.units`): one bad file never stops the others. The shapes that
span articles (the terminology the articles share) are checked over the merged terminology.
Only a conforming graph replaces the previous outputs, and never half of them: new files are
written beside the old and renamed over them, the store is swapped in whole.

A rebuild does only what an edit changed. The last good build leaves its :class:`State` in the
build folder: for each article graph its file's size and time (a file whose size and time are
unchanged is unchanged, as ``make`` and ``git`` judge), its unit's cache key, and the length of
its segment in each whole-graph file. A rebuild builds the changed articles, applies their
difference to a copy of the store (:func:`medkg.store.patch_store`) and writes the files again
by copying the unchanged segments (:mod:`medkg.segments`). A full build (the first one, after a
change of code, registry or shapes, or when the files on disk are not the ones the state
describes) writes everything from the units. Both give the same bytes.
"""

from __future__ import annotations

import errno
import functools
import json
import os
import stat
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from medkg import export, outputs, segments
from medkg.article import HTML_SUFFIXES, MAX_ARTICLE_BYTES, Article, ArticleError, read_article
from medkg.export import split_lines
from medkg.outputs import Entry, Member, State
from medkg.rdf import new_dataset, source_name
from medkg.relations import RELATIONS
from medkg.resources import REGISTRY
from medkg.store import Change, load_store, open_dataset, open_store, patch_store, union_change
from medkg.units import (
    ARTICLE_TIMEOUT,
    ArticleLimits,
    ArticleUnit,
    Fingerprint,
    TerminologyUnit,
    UnitCache,
    UnitFailure,
    build_terminology,
    build_units,
    rehomed,
)
from medkg.validate import ValidationReport, load_class_hierarchy
from medkg.vocab import MEDKG, TERMINOLOGY_GRAPH

ARTICLE_SUFFIXES = (".txt", ".md", *HTML_SUFFIXES)
OUTPUTS = ("kg.nq", "kg.trig", "kg.ttl", "kg.jsonld", "report.json")
CACHE_DIR = "cache"  # built units, by key (medkg.units.UnitCache)
RACY_NS = 2_000_000_000  # a file changed this close to the last build is read, whatever its time


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
    """What a build made of the articles: the units it read (see :mod:`medkg.units`; after a
    rebuild, only the changed articles'), the terminology they all share, counts and the
    validation report."""

    units: tuple[ArticleUnit, ...]
    terminology: str  # N-Triples, sorted: the records of every concept the articles use
    summary: Summary
    validation: ValidationReport
    # The messages name files as they are: escape them to print them (see medkg.cli).
    errors: tuple[str, ...] = ()  # files read that are no article, or take another's IRI
    warnings: tuple[str, ...] = ()
    skipped: tuple[Path, ...] = ()  # files not read, or not built in time (see ``warnings``)
    written: tuple[Path, ...] = field(default=())
    rebuilt: int = 0  # articles extracted and validated anew; the others came from the cache
    shared: TerminologyUnit | None = None  # the terminology's results (None: nothing built)
    out: Path | None = None  # the build folder written (None: nothing written)

    @property
    def ok(self) -> bool:
        return self.validation.conforms

    @property
    def articles(self) -> tuple[Article, ...]:
        return tuple(unit.article for unit in self.units)

    @functools.cached_property
    def dataset(self) -> Dataset:
        """The build as an rdflib dataset, read on first use (at encyclopedia scale the build
        itself never needs it): from the store if the build was written, else its units."""
        if self.out is not None:
            return open_dataset(self.out)
        dataset = new_dataset()
        dataset.parse(data="".join(unit.quads for unit in self.units), format="nquads")
        dataset.graph(TERMINOLOGY_GRAPH).parse(data=self.terminology, format="nt")
        return dataset


@dataclass(frozen=True)
class Found:
    """What the paths given to a build hold: every path that looks like an article, and
    those of them not to read, each with a message saying why."""

    paths: list[Path]  # sorted; with the folders that could not be listed
    skipped: dict[Path, str]


def find_articles(paths: Iterable[Path], follow_links: bool = False) -> Found:
    """The files with an article's suffix under the given files and folders, in a stable
    order, and those not to read: folders, links that dangle or loop, folders that cannot be
    listed, and links that lead out of the folder they were found in, unless
    ``follow_links``. A file named in ``paths`` is read wherever its link leads; links to
    folders are never walked. What a file holds is checked when it is read
    (:func:`medkg.article.read_bytes`).

    Raises:
        FileNotFoundError: for a path that does not exist.
    """
    files: set[Path] = set()
    skipped: dict[Path, str] = {}
    for path in paths:
        if os.path.isdir(path):
            root = None if follow_links else os.path.realpath(path)
            unlisted: dict[Path, str] = {}
            for candidate in _walk(path, unlisted):
                files.add(candidate)
                if (problem := _problem(candidate, root)) is not None:
                    skipped[candidate] = f"{candidate}: {problem}; skipped"
            files.update(unlisted)
            skipped.update(unlisted)
        elif os.path.lexists(path):
            files.add(path)
            if (problem := _problem(path, None)) is not None:
                skipped[path] = f"{path}: {problem}; skipped"
        else:
            raise FileNotFoundError(f"{path}: no such file or folder")
    return Found(sorted(files), skipped)


def discover(paths: Iterable[Path], follow_links: bool = False) -> list[Path]:
    """The article files to read under the given files and folders (see
    :func:`find_articles`), in a stable order.

    Raises:
        FileNotFoundError: for a path that does not exist.
    """
    found = find_articles(paths, follow_links)
    return [path for path in found.paths if path not in found.skipped]


def _walk(folder: Path, unlisted: dict[Path, str]) -> Iterator[Path]:
    """The paths with an article's suffix under ``folder``, links included, links to folders
    not walked; each folder that cannot be listed goes into ``unlisted`` with its message."""

    def note(error: OSError) -> None:
        problem = f"cannot be listed ({error.strerror}); the articles in it skipped"
        unlisted[Path(error.filename)] = f"{error.filename}: {problem}"

    for parent, folders, names in os.walk(folder, onerror=note):
        for name in (*folders, *names):
            if Path(name).suffix in ARTICLE_SUFFIXES:
                yield Path(parent, name)


def _problem(path: Path, root: str | None) -> str | None:
    """Why ``path`` is not to be read, or None: a link that dangles, loops or leads out of
    ``root`` (None: anywhere), a folder, or a file name that is not UTF-8."""
    linked = os.path.islink(path)
    try:
        status = os.stat(path)
    except OSError as error:
        if error.errno == errno.ELOOP:
            return "is a link in a loop of links"
        reason = error.strerror or str(error)
        return (
            f"is a link that leads nowhere ({reason})" if linked else f"cannot be read ({reason})"
        )
    target = os.path.realpath(path)
    if linked and root is not None and os.path.commonpath([root, target]) != root:
        return f"is a link to {target}, outside {root} (follow it with --follow-links)"
    if stat.S_ISDIR(status.st_mode):
        return "is a folder, not an article file"
    try:
        path.name.encode()
    except UnicodeEncodeError:
        return "has a name that is not UTF-8, which the graph cannot hold (rename it)"
    return None


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
            failures.append(Failure(path, _same_iri(path, article.title, by_slug[article.slug])))
            continue
        by_slug[article.slug] = path
        articles.append(article)
        warnings.extend(f"{path}: {warning}" for warning in article.warnings)
    return articles, failures, warnings


def _same_iri(path: Path, title: str, other: Path) -> str:
    return f"{path}: title {title!r} gives the same IRI as {other}; rename one of the articles"


# --- which articles make the build ---------------------------------------------------------


@dataclass(frozen=True)
class _Members:
    members: list[Member]  # by graph IRI
    errors: list[str]
    warnings: list[str]
    skipped: list[Path]
    rebuilt: int
    stats: dict[Path, tuple[int, int]]  # each file read, as it was before it was read


def _collect(
    files: Found,
    fingerprint: Fingerprint,
    cache: UnitCache | None,
    previous: State | None,
    reuse: bool,
    jobs: int | None,
    progress: Callable[[Path], None] | None,
    limits: ArticleLimits,
) -> _Members:
    """The article of each file, in file order: an article that fails to read (or is not to
    be read) keeps its graph from the last good build (``previous``), so a broken edit never
    silently removes what the encyclopedia said before; of two articles with the same IRI the
    first is kept.

    With ``reuse`` (a rebuild), a file unchanged since ``previous`` is not read at all: it
    stays the :class:`Entry` it was. Otherwise every member is an :class:`ArticleUnit`.
    """
    known = {entry.source: entry for entry in previous.entries} if previous else {}
    todo: list[Path] = []
    for path in files.paths:
        if path in files.skipped:
            continue
        if reuse and previous and _unchanged(path, known.get(source_name(path)), previous):
            if progress:
                progress(path)
        else:
            todo.append(path)
    # before reading: a file edited while the build reads it then looks changed next time
    stats = {path: _stat(path) for path in todo}
    results, rebuilt = build_units(todo, fingerprint, cache, jobs, progress, limits)
    built = dict(zip(todo, results, strict=True))
    for path, message in files.skipped.items():
        built[path] = UnitFailure(path, "", message, skipped=True)
    members: list[Member] = []
    errors: list[str] = []
    warnings: list[str] = []
    skipped: list[Path] = []
    by_graph: dict[str, Path] = {}
    for path in files.paths:
        entry = known.get(source_name(path))
        unit = built.get(path)
        member: Member | None
        if unit is None:
            member = _moved(entry, path) if entry else None
        elif isinstance(unit, UnitFailure):
            if unit.skipped:
                warnings.append(str(unit))
                skipped.append(path)
            else:
                errors.append(str(unit))
            member = (
                (_moved(entry, path) if entry else None) if reuse else _cached_unit(cache, entry)
            )
            if member is None:
                continue
            warnings.append(f"{path}: kept its graph from the last good build")
            stats[path] = _BROKEN
            if isinstance(member, Entry):
                member = replace(member, stat=_BROKEN)
        elif reuse and entry and unit.key == entry.key:
            member = replace(_moved(entry, path), stat=stats[path])  # touched, not changed
        else:
            member = unit
        assert member is not None
        if member.graph in by_graph:
            errors.append(_same_iri(path, _title(member), by_graph[member.graph]))
            continue
        by_graph[member.graph] = path
        members.append(member)
        warnings.extend(member.warnings)
    members.sort(key=lambda member: member.graph)
    return _Members(members, errors, warnings, skipped, rebuilt, stats)


_BROKEN = (-1, -1)  # the stat of a file that did not read: it is read again at every build


def _unchanged(path: Path, entry: Entry | None, previous: State) -> bool:
    if entry is None:
        return False
    status = _stat(path)
    return status != _BROKEN and status == entry.stat and status[1] < previous.time_ns - RACY_NS


def _stat(path: Path) -> tuple[int, int]:
    try:
        status = path.stat()
    except OSError:  # gone since it was found: it fails when read
        return _BROKEN
    return status.st_size, status.st_mtime_ns


def _moved(entry: Entry, path: Path) -> Entry:
    """``entry`` with its warnings naming ``path``, where its file is now (the articles'
    folder may have been given by another path, or moved)."""
    if entry.path == str(path):
        return entry
    return replace(entry, path=str(path), warnings=rehomed(entry.warnings, entry.path, path))


def _cached_unit(cache: UnitCache | None, entry: Entry | None) -> ArticleUnit | None:
    unit = cache.get(entry.key) if cache and entry else None
    return unit if isinstance(unit, ArticleUnit) else None


def _title(member: Member) -> str:
    return member.article.title if isinstance(member, ArticleUnit) else member.title


# --- building ------------------------------------------------------------------------------


def registries(registry: Path | None) -> tuple[Path, ...]:
    """The shipped registry, and over it the user's curation layer, if any."""
    return (REGISTRY, registry) if registry is not None else (REGISTRY,)


def left_out(paths: Iterable[Path], out: Path, follow_links: bool = False) -> tuple[str, ...]:
    """The articles of the graph in ``out`` that a build of ``paths`` would leave out: read
    from a file it finds no more, outside every folder it reads. A build that leaves any out
    replaces that graph with another one, rather than updating it.

    Raises:
        FileNotFoundError: for a path that does not exist.
    """
    previous = State.read(out)
    if previous is None:
        return ()
    sources = {source_name(path) for path in find_articles(paths, follow_links).paths}
    folders = [Path(path).absolute() for path in paths]
    return tuple(
        entry.path
        for entry in previous.entries
        if entry.source not in sources
        and not any(Path(entry.path).absolute().is_relative_to(f) for f in folders)
    )


def build_dataset(
    paths: Iterable[Path],
    registry: Path | None = None,
    progress: Callable[[Path], None] | None = None,
    jobs: int | None = None,
    *,
    max_article_bytes: int = MAX_ARTICLE_BYTES,
    article_timeout: float = ARTICLE_TIMEOUT,
    follow_links: bool = False,
    kind: str | None = None,
) -> BuildResult:
    """Read, extract, link, mint and validate; writes nothing. The arguments are
    :func:`build`'s."""
    fingerprint = Fingerprint.of(registries(registry), kind)
    limits = ArticleLimits(max_article_bytes, article_timeout)
    files = find_articles(paths, follow_links)
    found = _collect(files, fingerprint, None, None, False, jobs, progress, limits)
    return _assemble(found, fingerprint, None)[0]


def build(
    paths: Iterable[Path],
    out: Path,
    registry: Path | None = None,
    progress: Callable[[Path], None] | None = None,
    jobs: int | None = None,
    full: bool = False,
    *,
    max_article_bytes: int = MAX_ARTICLE_BYTES,
    article_timeout: float = ARTICLE_TIMEOUT,
    follow_links: bool = False,
    kind: str | None = None,
) -> BuildResult:
    """Build and, only if the graph conforms, replace the store and the files in ``out``.

    When ``out`` still holds its last good build (see :class:`State`), only the changed
    articles are built and the outputs are patched; ``full`` writes everything again (units
    still come from the cache where nothing they depend on changed).

    Each file is checked before it is read and skipped with a warning when it is not a
    regular file, holds more than ``max_article_bytes``, or is a link that dangles, loops or
    (unless ``follow_links``) leads out of the folder it was found in (see
    :func:`find_articles`); an article whose building takes more than ``article_timeout``
    seconds (0: no limit) is skipped too (see :func:`medkg.units.time_limit`).

    ``registry`` is a curation layer over the shipped registry (see
    :func:`medkg.terminology.load_registry`): it adds and corrects, never replaces. ``kind``
    reads every article as a condition, symptom or procedure article; by default an article's
    folder says, else its sections (:func:`medkg.article.kind_of`).

    Raises:
        StoreError: if the new store does not load; the previous outputs are then untouched.
    """
    fingerprint = Fingerprint.of(registries(registry), kind)
    cache = UnitCache(out / CACHE_DIR)
    previous = State.read(out)
    limits = ArticleLimits(max_article_bytes, article_timeout)
    files = find_articles(paths, follow_links)
    if previous and not full and previous.describes(out, fingerprint):
        rebuilt = _rebuild(files, fingerprint, cache, previous, out, jobs, progress, limits)
        if rebuilt is not None:
            return rebuilt
    found = _collect(files, fingerprint, cache, previous, False, jobs, progress, limits)
    result, union = _assemble(found, fingerprint, cache)
    if not result.ok:
        return result
    if not found.members:  # every file refused or skipped: an empty graph says nothing
        nothing = "no article could be built, so nothing was published"
        return replace(result, errors=(*result.errors, nothing))
    units, shared = result.units, result.shared
    assert shared is not None, "a build always validates its terminology"
    terminology_parts = outputs.terminology_segments(result.terminology, shared)
    sizes = outputs.write_segments(out, units, terminology_parts, None)
    named = sum(unit.quads.count("\n") for unit in units) + result.terminology.count("\n")
    store = load_store(segments.staged(out / "kg.nq"), union, out, named + union.count("\n"))
    triples = open_store(out).dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    turtle = [export.TURTLE_HEADER, *sorted(export.turtle_lines(triples or b""))]
    segments.write_parts(out / "kg.ttl", turtle)
    state = State(
        fingerprint=fingerprint.digest,
        store=store.name,
        files={},
        entries=tuple(
            _entry(u, size, found.stats[u.path])
            for u, size in zip(units, sizes[:-1], strict=True)  # the last: the terminology's
        ),
        terminology=dict(_terminology_counts(units)),
        terminology_sizes=sizes[-1],
        shared=shared.key,
        relations=result.summary.relations_by_type,
        concepts=result.summary.concepts_by_type,
        time_ns=0,
    )
    cache.keep_only({*(u.key for u in units), shared.key}, fingerprint)
    return _finish(out, result, store, state)


def _assemble(
    found: _Members, fingerprint: Fingerprint, cache: UnitCache | None
) -> tuple[BuildResult, str]:
    """What every article's unit makes together, and the union of their graphs (the
    default graph) as sorted N-Triples."""
    units = [member for member in found.members if isinstance(member, ArticleUnit)]
    terminology = "".join(sorted(_terminology_counts(units)))
    shared = build_terminology(terminology, fingerprint, cache)
    union = union_triples(units, terminology)
    result = BuildResult(
        units=tuple(units),
        terminology=terminology,
        summary=_summary(
            units, _concepts_by_type(terminology), _relation_counts(split_lines(union))
        ),
        validation=validate_units(units, shared),
        errors=tuple(found.errors),
        warnings=tuple(found.warnings),
        skipped=tuple(found.skipped),
        rebuilt=found.rebuilt,
        shared=shared,
    )
    return result, union


def _rebuild(
    files: Found,
    fingerprint: Fingerprint,
    cache: UnitCache,
    previous: State,
    out: Path,
    jobs: int | None,
    progress: Callable[[Path], None] | None,
    limits: ArticleLimits,
) -> BuildResult | None:
    """Build the articles that changed since ``previous`` and patch the outputs; None if the
    cache no longer holds a replaced article's unit (then only a full build can tell what
    leaves the graph)."""
    found = _collect(files, fingerprint, cache, previous, True, jobs, progress, limits)
    units = [member for member in found.members if isinstance(member, ArticleUnit)]
    staying = {member.key for member in found.members if isinstance(member, Entry)}
    gone = [entry for entry in previous.entries if entry.key not in staying]
    replaced = [_cached_unit(cache, entry) for entry in gone]
    if any(unit is None for unit in replaced):
        return None
    counts = Counter(previous.terminology)
    for unit in replaced:
        counts.subtract(split_lines(unit.terminology, True) if unit else [])
    counts.update(_record_lines(units))  # the class hierarchy stays from the last build
    counts = +counts  # drops the lines no article holds any more
    terminology = "".join(sorted(counts))
    shared = build_terminology(terminology, fingerprint, cache)
    change = _change(open_store(out), gone, units, set(previous.terminology), set(counts))
    relations = Counter(previous.relations)
    same_terminology = counts.keys() == previous.terminology.keys()
    concepts = previous.concepts if same_terminology else _concepts_by_type(terminology)
    leaving, joining = _ntriples(change.union_removed), _ntriples(change.union_added)
    relations.update(_relation_counts(joining))
    relations.subtract(_relation_counts(leaving))
    result = BuildResult(
        units=tuple(units),
        terminology=terminology,
        summary=_summary(found.members, concepts, +relations),
        validation=validate_units(units, shared),
        errors=tuple(found.errors),
        warnings=tuple(found.warnings),
        skipped=tuple(found.skipped),
        rebuilt=found.rebuilt,
        shared=shared,
    )
    if not result.ok:
        return result
    if not units and not gone:  # files saved unchanged, or unreadable: no graph changed
        kept = tuple(member for member in found.members if isinstance(member, Entry))
        return _finish(out, result, None, replace(previous, entries=kept))
    terminology_parts = (
        None if same_terminology else outputs.terminology_segments(terminology, shared)
    )
    sizes = outputs.write_segments(out, found.members, terminology_parts, previous)
    segments.patch_sorted_lines(
        out / "kg.ttl",
        len(export.TURTLE_HEADER),
        remove=export.turtle_lines(b"".join(leaving)),
        insert=export.turtle_lines(b"".join(joining)),
    )
    store = patch_store(out, change)
    entries = tuple(
        member if isinstance(member, Entry) else _entry(member, size, found.stats[member.path])
        for member, size in zip(found.members, sizes[:-1], strict=True)
    )
    state = replace(
        previous,
        entries=entries,
        terminology=dict(counts),
        terminology_sizes=sizes[-1],
        shared=shared.key,
        relations=dict(+relations),
        concepts=concepts,
    )
    cache.remove([*(entry.key for entry in gone), *([] if same_terminology else [previous.shared])])
    return _finish(out, result, store, state)


def _change(
    store: ox.Store,
    gone: Iterable[Entry],
    units: Iterable[ArticleUnit],
    old_terminology: set[str],
    new_terminology: set[str],
) -> Change:
    """The store's change: the graphs of ``gone`` leave, those of ``units`` come in, and the
    terminology graph loses and gains lines. Quads in both stay untouched."""
    removed: set[ox.Quad] = set()
    for entry in gone:
        removed.update(store.quads_for_pattern(None, None, None, ox.NamedNode(entry.graph)))
    added = {quad for unit in units for quad in _parse_quads(unit.quads)}
    removed.update(_parse_quads(outputs.terminology_quads(old_terminology - new_terminology)))
    added.update(_parse_quads(outputs.terminology_quads(new_terminology - old_terminology)))
    both = removed & added
    return union_change(store, frozenset(removed - both), frozenset(added - both))


def _parse_quads(text: str) -> Iterable[ox.Quad]:
    return ox.parse(text.encode(), format=ox.RdfFormat.N_QUADS) if text else ()


def _ntriples(triples: Iterable[ox.Triple]) -> list[bytes]:
    """Triples as N-Triples lines, written by Oxigraph as the store's dump writes them."""
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
    return split_lines(data, keepends=True)


def _finish(out: Path, result: BuildResult, store: Path | None, state: State) -> BuildResult:
    """Put the staged files in place (``store`` None: no graph changed, none was staged),
    then the report and the state: the state is written last, so a build interrupted before
    it leaves a state that no longer describes the folder, and the next build is a full one."""
    if store is not None:
        trash = Path(tempfile.mkdtemp(prefix=segments.TRASH_PREFIX, dir=out))
        for name in (*outputs.SEGMENTED, "kg.ttl"):
            segments.commit(out / name, trash)
        segments.empty_in_background(out)
        state = replace(state, store=store.name)
    report = {
        "summary": result.summary.as_dict(),
        "conforms": result.validation.conforms,
        "errors": list(result.errors),
        "warnings": list(result.warnings),
    }
    text = json.dumps(report, indent=2, sort_keys=True) + "\n"
    report_path = write_atomically(out / "report.json", text)
    written = (store, *sorted(out / name for name in OUTPUTS)) if store else (report_path,)
    files = {name: (out / name).stat().st_size for name in OUTPUTS}
    replace(state, files=files, time_ns=time.time_ns()).write(out)
    return replace(result, written=written, out=out)


def _entry(unit: ArticleUnit, sizes: tuple[int, ...], stat: tuple[int, int]) -> Entry:
    statements, negated = _counts(unit)
    return Entry(
        source=source_name(unit.path),
        path=str(unit.path),
        title=unit.article.title,
        graph=unit.graph,
        key=unit.key,
        stat=stat,
        sizes=sizes,
        statements=statements,
        negated=negated,
        warnings=unit.warnings,
    )


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


# --- the text of the graph ------------------------------------------------------------------


def union_triples(units: Iterable[ArticleUnit], terminology: str) -> str:
    """The default graph: the set union of a build's named graphs, as sorted N-Triples."""
    lines = set(split_lines(terminology))
    for unit in units:
        lines.update(_triple(quad) for quad in split_lines(unit.quads))
    return "".join(f"{line}\n" for line in sorted(lines))


def _triple(quad: str) -> str:
    """An N-Quads line without its graph name (always an IRI here, and IRIs hold no space)."""
    return quad.rsplit(" ", 2)[0] + " ."


def _terminology_counts(units: Iterable[ArticleUnit]) -> Counter[str]:
    """Each line of the terminology graph (N-Triples, with its newline) → the units whose
    records hold it; the ontology's class hierarchy counts once."""
    return _record_lines(units) + _class_hierarchy()


def _record_lines(units: Iterable[ArticleUnit]) -> Counter[str]:
    return Counter(line for unit in units for line in split_lines(unit.terminology, True))


@functools.cache
def _class_hierarchy() -> Counter[str]:
    """The ontology's ``rdfs:subClassOf`` links between named classes, as terminology lines.
    They travel with the data, so that any SHACL engine given the shipped shapes alone follows
    ``sh:class`` into subclasses (Jena reported 579 violations on kg.ttl without them)."""
    links = load_class_hierarchy().subject_objects(RDFS.subClassOf)
    return Counter(
        f"<{child}> <{RDFS.subClassOf}> <{parent}> .\n"
        for child, parent in links
        if isinstance(child, URIRef) and isinstance(parent, URIRef)
    )


def validate_units(units: Iterable[ArticleUnit], shared: TerminologyUnit) -> ValidationReport:
    """The SHACL report of the whole graph, from the results each unit found on its own and
    the run over the merged terminology (``shared``), where the concept shapes (the shapes
    whose data several articles share) find everything they check.

    A rebuild passes only the units it built: the others were part of a conforming build and
    have no results.

    The same report as pyshacl over the whole graph, with one difference by design: a relation
    and its evidence statement must sit in the same article graph, where the whole graph would
    accept a statement from another article.
    """
    return ValidationReport.of([*shared.violations, *(v for u in units for v in u.violations)])


# --- counts ----------------------------------------------------------------------------------


def _summary(
    members: Sequence[Member], concepts: dict[str, int], relations: Counter[str]
) -> Summary:
    """A build's counts: the members' own, ``concepts`` (concept type → concepts of it in the
    terminology) and ``relations`` (relation predicate → triples of it in the union)."""
    counts = [
        (member.statements, member.negated) if isinstance(member, Entry) else _counts(member)
        for member in members
    ]
    return Summary(
        articles=len(members),
        concepts_by_type=concepts,
        relations_by_type={name: relations[name] for name in sorted(RELATIONS) if relations[name]},
        statements=sum(statements for statements, _ in counts),
        negated=sum(negated for _, negated in counts),
    )


def _counts(unit: ArticleUnit) -> tuple[int, int]:
    """The evidence statements of an article, and how many of them are negated."""
    statements = negated = 0
    for line in split_lines(unit.quads):
        _, predicate, rest = line.split(" ", 2)
        if predicate == _TYPE and rest.startswith(_STATEMENT):
            statements += 1
        elif predicate == _NEGATED and rest.startswith(_TRUE):
            negated += 1
    return statements, negated


def _concepts_by_type(terminology: str) -> dict[str, int]:
    records = [line.split(" ", 2) for line in split_lines(terminology)]
    labelled = {subject for subject, predicate, _ in records if predicate == _PREF_LABEL}
    concept_types = Counter(
        obj.removesuffix(" .").strip("<>").removeprefix(str(MEDKG))
        for subject, predicate, obj in records
        if predicate == _TYPE and subject in labelled
    )
    return dict(sorted(concept_types.items()))


def _relation_counts(lines: Iterable[str | bytes]) -> Counter[str]:
    """Relation name → lines of N-Triples stating it."""
    predicates = (
        (line.decode() if isinstance(line, bytes) else line).split(" ", 2)[1] for line in lines
    )
    return Counter(_RELATIONS[p] for p in predicates if p in _RELATIONS)


_TYPE = f"<{RDF.type}>"
_PREF_LABEL = f"<{SKOS.prefLabel}>"
_NEGATED = f"<{MEDKG.negated}>"
_STATEMENT = f"<{MEDKG.Statement}>"
_TRUE = f'"true"^^<{XSD.boolean}>'
_RELATIONS = {f"<{MEDKG[name]}>": name for name in RELATIONS}  # predicate → relation name
