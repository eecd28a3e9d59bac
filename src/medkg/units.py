"""One article built on its own: read, extract, link, mint and validate, in worker processes,
each result cached on disk by the hash of everything it depends on.

An :class:`ArticleUnit` holds what the build needs from one article, already serialised: its
named graph as N-Quads, the terminology records of the concepts it uses as N-Triples, its
JSON-LD graph object, and the SHACL results of validating that graph with those records. Units
depend on nothing but their own file and the :class:`Fingerprint` of the code, the registry,
the shapes and the releases, so a change to one article rebuilds one unit, and the others come
from the cache (:class:`UnitCache`).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import multiprocessing
import os
import pickle
import signal
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from importlib import metadata
from pathlib import Path
from types import FrameType

from rdflib import Graph

from medkg.article import (
    MAX_ARTICLE_BYTES,
    Article,
    ArticleError,
    UnreadableFile,
    read_article,
    read_bytes,
)
from medkg.drugs import drug_names
from medkg.export import as_dataset, jsonld_object, split_lines, trig_block
from medkg.extract import extract, prepare
from medkg.rdf import article_iri, mint, source_name
from medkg.resources import ONTOLOGY_DIR
from medkg.shacl import validate_text
from medkg.standards import (
    Code,
    Terminology,
    ambiguities,
    hpo_file,
    icd10cm_file,
    link,
    load_hpo,
    load_icd10cm,
)
from medkg.terminology import Concept, Lexicon, load_registry
from medkg.validate import Violation
from medkg.vocab import TERMINOLOGY_GRAPH

PACKAGE_DIR = Path(__file__).resolve().parent
EXTRACTION_DATA = ("drug-named-entity-recognition", "lemminflect")
SMALL_BUILD = 24  # fewer articles than this to build: worker processes cost more than they save
ARTICLE_TIMEOUT = 60.0  # seconds: a real article takes under one


@dataclass(frozen=True)
class ArticleLimits:
    """What one article may cost: the bytes of its file read (:func:`medkg.article.read_bytes`)
    and the seconds of building its unit (:func:`time_limit`; 0: no limit)."""

    max_bytes: int = MAX_ARTICLE_BYTES
    timeout: float = ARTICLE_TIMEOUT


@dataclass(frozen=True)
class ArticleUnit:
    """One article's share of the build, serialised; see the module docstring."""

    path: Path
    key: str
    article: Article
    quads: str  # the article's named graph, N-Quads, lines sorted
    trig: bytes  # the same graph as a TriG block (medkg.export.trig_block)
    terminology: str  # records of the concepts it uses (with their codes), N-Triples, sorted
    jsonld: str  # the named graph as one compacted JSON-LD object (no @context)
    violations: tuple[Violation, ...]
    warnings: tuple[str, ...]
    links: tuple[tuple[Concept, tuple[Code, ...]], ...] = ()  # the codes of its concepts

    @property
    def graph(self) -> str:
        return str(article_iri(self.article))


@dataclass(frozen=True)
class TerminologyUnit:
    """The merged terminology's share of the build: the results of the concept shapes, the
    only shapes whose data several articles share, and its JSON-LD graph object."""

    key: str
    violations: tuple[Violation, ...]
    jsonld: str


@dataclass(frozen=True)
class UnitFailure:
    """An article file that gave no unit; the message names the file and place.

    ``skipped``: the file was not read (see :func:`medkg.article.read_bytes`) or its unit ran
    out of time, which the build reports as a warning; else it was read and is no article
    (or medkg failed on it), an error."""

    path: Path
    key: str
    message: str
    skipped: bool = False

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Fingerprint:
    """Everything besides its own file that an article's unit depends on, as one hash."""

    registries: tuple[Path, ...]  # the shipped registry, then the user's curation layer
    kind: str | None  # the kind every article is read as (None: its folder or sections)
    digest: str

    @classmethod
    def of(cls, registries: Sequence[Path], kind: str | None = None) -> Fingerprint:
        digest = hashlib.sha256(f"kind={kind}\0".encode())
        registry_files = [
            file
            for registry in registries
            for file in (sorted(registry.rglob("*")) if registry.is_dir() else [registry])
        ]
        # the ontology as filed: the shapes and class hierarchy validate, the context
        # compacts (not as loaded: pySHACL adds axioms to the shapes graph it is given)
        ontology = sorted(ONTOLOGY_DIR.glob("*"))
        for path in (*sorted(PACKAGE_DIR.rglob("*.py")), *ontology, *registry_files):
            if path.is_file():
                digest.update(path.name.encode() + b"\0" + path.read_bytes())
        for release in (hpo_file(), icd10cm_file()):
            digest.update(f"{release}:{release.stat().st_size}".encode())
        for package in EXTRACTION_DATA:  # vocabularies and lexicons the extractor reads
            digest.update(f"{package}=={metadata.version(package)}".encode())
        return cls(tuple(registries), kind, digest.hexdigest())

    def key(self, path: Path, raw: bytes) -> str:
        """The cache key of the unit built from ``raw``, the bytes of the file at ``path``."""
        text = f"{self.digest}\0{source_name(path)}\0".encode()
        return hashlib.sha256(text + raw).hexdigest()


class UnitCache:
    """Built units on disk, one pickle per key (``<dir>/<key[:2]>/<key>.pickle``); the parsed
    releases sit beside them (``<dir>/releases-*.pickle``, see ``_Builder``).

    The cache is private to one build folder and written only by medkg; pickles from anywhere
    else must never be put there.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.pickle"

    def get(self, key: str) -> ArticleUnit | TerminologyUnit | None:
        unit = read_pickle(self._path(key))
        return unit if isinstance(unit, ArticleUnit | TerminologyUnit) else None

    def put(self, unit: ArticleUnit | TerminologyUnit) -> None:
        write_pickle(self._path(unit.key), unit)

    def keep_only(self, keys: set[str], fingerprint: Fingerprint) -> None:
        """Remove every entry but ``keys`` (those of the last good build), and the lexicons
        and links that other fingerprints (other code or registry) left beside them."""
        for path in self.directory.glob("*/*.pickle"):
            if path.stem not in keys:
                path.unlink(missing_ok=True)
        for path in (*self.directory.glob("lexicon-*"), *self.directory.glob("links-*")):
            if not path.name.endswith(f"-{fingerprint.digest[:16]}.pickle"):
                path.unlink(missing_ok=True)

    def remove(self, keys: Iterable[str]) -> None:
        """Remove the entries of ``keys`` (units a rebuild replaced)."""
        for key in keys:
            self._path(key).unlink(missing_ok=True)


def build_terminology(
    terminology: str, fingerprint: Fingerprint | None = None, cache: UnitCache | None = None
) -> TerminologyUnit:
    """Validate and compact the merged terminology (N-Triples), or read it from ``cache``."""
    digest = fingerprint.digest if fingerprint else ""
    key = hashlib.sha256(f"{digest}\0terminology\0{terminology}".encode()).hexdigest()
    cached = cache.get(key) if cache else None
    if isinstance(cached, TerminologyUnit):
        return cached
    graph = Graph(identifier=TERMINOLOGY_GRAPH).parse(data=terminology, format="nt")
    unit = TerminologyUnit(key, validate_text(terminology), jsonld_object(graph))
    if cache:
        cache.put(unit)
    return unit


def read_pickle(path: Path) -> object:
    """What ``path`` holds, or None when it is missing or unreadable (then built again)."""
    try:
        with path.open("rb") as handle:
            return pickle.load(handle)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ValueError):
        return None


def write_pickle(path: Path, value: object) -> None:
    """Write through a temporary file renamed over ``path``: readers never see half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as handle:
        pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(handle.name, path)


# --- building one unit ---------------------------------------------------------------------


Links = dict[Concept, tuple[Code, ...]]  # each concept linked so far → its standard codes


class _Builder:
    """What every unit needs, loaded once per process: the lexicon, the codes of the concepts
    linked before (``links``), and the releases, loaded only for a concept not linked before
    (reading them back takes seconds: most of a one-article rebuild)."""

    def __init__(
        self, fingerprint: Fingerprint, cache: Path | None, links: Links, timeout: float
    ) -> None:
        self.lexicon = _lexicon(fingerprint, cache)
        prepare()  # the vocabularies once a process, never inside an article's time limit
        self.kind = fingerprint.kind
        self.cache = cache
        self.links = links
        # why a concept linked in this process has no code: its name is ambiguous
        self.ambiguous: dict[Concept, tuple[str, ...]] = {}
        self.timeout = timeout

    @functools.cached_property
    def _releases(self) -> tuple[Terminology, Terminology]:
        """HPO and ICD-10-CM, parsed (seconds) or read back from the cache (a tenth of that)."""
        if self.cache is None:
            return load_hpo(), load_icd10cm()
        stamp = "".join(f"{p}:{p.stat().st_size}" for p in (hpo_file(), icd10cm_file()))
        path = self.cache / f"releases-{hashlib.sha256(stamp.encode()).hexdigest()[:16]}.pickle"
        stored = read_pickle(path)
        if isinstance(stored, tuple) and all(isinstance(t, Terminology) for t in stored):
            hpo, icd = stored
            return hpo, icd
        releases = load_hpo(), load_icd10cm()
        write_pickle(path, releases)
        return releases

    def codes(self, concept: Concept) -> tuple[Code, ...]:
        known = self.links.get(concept)
        if known is None:
            with untimed():  # the releases are every article's, not this one's
                releases = self._releases
            known = self.links[concept] = link(concept, *releases, drug_names())
            self.ambiguous[concept] = ambiguities(concept, *releases)
        return known

    def build(self, path: Path, raw: bytes, key: str) -> ArticleUnit | UnitFailure:
        """The unit of the file at ``path``, whose bytes are ``raw``; a failure, never an
        exception, whatever the text, so that one article never stops the others."""
        try:
            with time_limit(self.timeout):
                return self._unit(path, raw, key)
        except ArticleError as error:
            return UnitFailure(path, key, str(error))
        except ArticleTimeout:
            limit = f"more than {self.timeout:g} s; skipped (allow more with --article-timeout)"
            return UnitFailure(path, key, f"{path}: building it took {limit}", skipped=True)
        except Exception as error:  # a bug met by one article: the others still build
            problem = f"{type(error).__name__}: {error}"
            return UnitFailure(path, key, f"{path}: medkg failed on it ({problem}); please report")

    def _unit(self, path: Path, raw: bytes, key: str) -> ArticleUnit:
        article = read_article(path, self.kind, raw=raw)
        extraction = extract(article, self.lexicon)
        linked: Links = {}
        dataset = mint([extraction], codes=lambda c: linked.setdefault(c, self.codes(c)))
        graph, terminology = dataset.graph(article_iri(article)), dataset.graph(TERMINOLOGY_GRAPH)
        single = as_dataset(graph)  # rdflib writes graph names only for a dataset's graphs
        quads = _sorted_lines(single.serialize(format="nquads"))
        records = _sorted_lines(terminology.serialize(format="nt"))
        return ArticleUnit(
            path=path,
            key=key,
            article=article,
            quads=quads,
            trig=trig_block(quads),
            terminology=records,
            jsonld=jsonld_object(single),
            violations=validate_text(quads + records),
            warnings=(
                *(f"{path}: {w}" for w in article.warnings),
                *extraction.warnings,
                # reported where a concept is first linked (a rebuild reads no release)
                *(f"{path}: {w}" for c in linked for w in self.ambiguous.get(c, ())),
            ),
            links=tuple(linked.items()),
        )


def _lexicon(fingerprint: Fingerprint, cache: Path | None) -> Lexicon:
    """The registry's lexicon, read back from the cache where it can be (a tenth of the time
    building it takes: 0.6 s for a registry of 10,000 concepts)."""
    path = cache / f"lexicon-{fingerprint.digest[:16]}.pickle" if cache else None
    stored = read_pickle(path) if path else None
    if isinstance(stored, Lexicon):
        return stored
    lexicon = Lexicon(load_registry(*fingerprint.registries))
    if path:
        write_pickle(path, lexicon)
    return lexicon


def _sorted_lines(text: str) -> str:
    lines = sorted({line for line in split_lines(text) if line.strip()})
    return "".join(f"{line}\n" for line in lines)


# --- the time an article may take ----------------------------------------------------------


class ArticleTimeout(BaseException):
    """An article's time is up. A BaseException, as KeyboardInterrupt is, so that no
    ``except Exception`` in the code it interrupts can swallow it."""


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`ArticleTimeout` in the block once it has run ``seconds`` (0: no limit).

    A SIGALRM timer (``signal.setitimer``) stops the work in the process building the unit,
    the main process for a small build, else a worker. Its limits: Python runs the handler
    between bytecodes, so a single long call into C or Rust (one pyoxigraph parse) finishes
    before the work stops; signals reach only the main thread, so a build run in another
    thread has no limit; and while the block runs, the process's SIGALRM and real-time
    interval timer are the limit's, for nothing else to use.
    """
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: FrameType | None) -> None:
        raise ArticleTimeout

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        try:
            signal.setitimer(signal.ITIMER_REAL, 0)
        finally:  # even if the alarm went off just now
            signal.signal(signal.SIGALRM, previous)


@contextlib.contextmanager
def untimed() -> Iterator[None]:
    """Stop the clock of :func:`time_limit` for the block, then give it the time it had left."""
    remaining, _ = signal.setitimer(signal.ITIMER_REAL, 0)
    try:
        yield
    finally:
        if remaining:
            signal.setitimer(signal.ITIMER_REAL, remaining)


# --- building many -------------------------------------------------------------------------

_builder: _Builder | None = None


def _start_worker(
    fingerprint: Fingerprint, cache: Path | None, links: Links, timeout: float
) -> None:
    global _builder
    _builder = _Builder(fingerprint, cache, links, timeout)


def _build_in_worker(job: tuple[Path, bytes, str]) -> ArticleUnit | UnitFailure:
    assert _builder is not None, "worker started without _start_worker"
    return _builder.build(*job)


def build_units(
    files: Sequence[Path],
    fingerprint: Fingerprint,
    cache: UnitCache | None = None,
    jobs: int | None = None,
    progress: Callable[[Path], None] | None = None,
    limits: ArticleLimits = ArticleLimits(),
) -> tuple[list[ArticleUnit | UnitFailure], int]:
    """The unit of every file, in the order of ``files``: from ``cache`` where it holds the
    key, else built (in ``jobs`` worker processes; default: one per core) and cached. A file
    is read only if it is a regular file within ``limits.max_bytes``, and its unit is built
    within ``limits.timeout``; else it is a failure.

    Returns:
        The units (or failures), and how many of them were built rather than read back.
    """
    results: dict[Path, ArticleUnit | UnitFailure] = {}
    todo: list[tuple[Path, bytes, str]] = []
    for path in files:
        try:
            raw = read_bytes(path, limits.max_bytes)
        except UnreadableFile as error:
            results[path] = UnitFailure(path, "", str(error), skipped=True)
            if progress:
                progress(path)
            continue
        key = fingerprint.key(path, raw)
        cached = cache.get(key) if cache else None
        if isinstance(cached, ArticleUnit):
            results[path] = cached if cached.path == path else _moved(cached, path)
            if progress:
                progress(path)
        else:
            todo.append((path, raw, key))
    if not todo:
        return [results[path] for path in files], 0
    directory = cache.directory if cache else None
    memo = directory / f"links-{fingerprint.digest[:16]}.pickle" if directory else None
    stored = read_pickle(memo) if memo else None
    links: Links = stored if isinstance(stored, dict) else {}
    known = len(links)
    workers = jobs or os.cpu_count() or 1
    for unit in _build(todo, fingerprint, directory, links, workers, limits.timeout):
        results[unit.path] = unit
        if cache and isinstance(unit, ArticleUnit):
            cache.put(unit)
            links.update(unit.links)  # what the worker processes linked
        if progress:
            progress(unit.path)
    if memo and len(links) > known:
        write_pickle(memo, links)
    return [results[path] for path in files], len(todo)


def _moved(unit: ArticleUnit, path: Path) -> ArticleUnit:
    """A cached ``unit`` read from ``path`` now: its file was given by another path when it
    was built (the key names the file relative to its kind's folder, not where that is)."""
    article = replace(unit.article, source=path)
    warnings = rehomed(unit.warnings, str(unit.path), path)
    return replace(unit, path=path, article=article, warnings=warnings)


def rehomed(warnings: Iterable[str], old: str, path: Path) -> tuple[str, ...]:
    """``warnings`` that start with the file's ``old`` path, naming ``path`` instead."""
    return tuple(str(path) + w.removeprefix(old) if w.startswith(old) else w for w in warnings)


def _build(
    todo: list[tuple[Path, bytes, str]],
    fingerprint: Fingerprint,
    cache: Path | None,
    links: Links,
    jobs: int,
    timeout: float,
) -> Iterator[ArticleUnit | UnitFailure]:
    if len(todo) < SMALL_BUILD or jobs == 1:
        builder = _Builder(fingerprint, cache, links, timeout)
        yield from (builder.build(*job) for job in todo)
        return
    # fork: workers inherit the loaded modules, and the vocabularies the extractor reads,
    # loaded here once instead of in every worker; the build itself runs no threads of its own
    prepare()
    context = multiprocessing.get_context("fork")
    chunk = max(1, min(32, len(todo) // (jobs * 4)))
    initargs = (fingerprint, cache, dict(links), timeout)
    pool = ProcessPoolExecutor(jobs, context, initializer=_start_worker, initargs=initargs)
    with pool:
        yield from pool.map(_build_in_worker, todo, chunksize=chunk)
