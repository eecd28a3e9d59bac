"""The persistent store: each build's graph in Oxigraph on disk, swapped in whole.

Layout of a build directory::

    store -> stores/store-XXXX      a symbolic link to the current store
    stores/store-XXXX/              one Oxigraph (RocksDB) directory per build

A build loads its quads into a new directory that no reader knows about, checks that every quad
arrived, and only then points ``store`` at it with an atomic rename of the link. Readers open
the link's target read-only, so a query sees the old store or the new one, never a store being
written (Oxigraph leaves reading a directory that another process writes undefined). The
previous store is kept, so a reader that opened it just before the swap can finish; older ones
are removed.

The default graph holds the union of the named graphs, as a set: a relation that several
articles state is one triple there, as SPARQL's RDF merge has it (Oxigraph's own union view
would repeat it once per article). Queries read the default graph; ``GRAPH ?g`` reaches each
article's own graph.

rdflib stays the API for building and for small in-memory graphs: :func:`open_dataset` and
:func:`open_graph` read a store back as rdflib objects.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef
from rdflib.exceptions import ParserError

from medkg.export import split_lines
from medkg.rdf import new_dataset, union

STORE_LINK = "store"
STORES_DIR = "stores"
KEPT_STORES = 2  # the current store and the one before it

_FORMATS = {".trig": "trig", ".ttl": "turtle", ".nq": "nquads", ".jsonld": "json-ld", ".nt": "nt"}


class StoreError(RuntimeError):
    """No store to read, or a file or store that does not load; the message says what to do."""


def write_store(dataset: Dataset, build_dir: Path) -> Path:
    """Load an rdflib ``dataset`` into a new store and make it the current one (see
    :func:`load_store`)."""
    with tempfile.TemporaryDirectory() as scratch:
        quads = Path(scratch) / "graphs.nq"
        quads.write_text(dataset.serialize(format="nquads"), encoding="utf-8")
        triples = union(dataset).serialize(format="nt")
        expected = _lines(quads.read_text(encoding="utf-8")) + _lines(triples)
        return load_store(quads, triples, build_dir, expected)


def load_store(named_quads: Path, union_triples: str, build_dir: Path, expected: int) -> Path:
    """Bulk-load the N-Quads file of the named graphs and N-Triples of their union (the
    default graph) into a new Oxigraph store, and make it the current one.

    Oxigraph's bulk loader reads the file in parallel, without the text passing through Python.

    Returns:
        The new store's directory (what ``build_dir / "store"`` now points to).

    Raises:
        StoreError: if the store does not hold ``expected`` quads after loading; the current
            store is then left as it was.
    """
    directory = _new_store_directory(build_dir)
    try:
        store = ox.Store(str(directory))
        store.bulk_load(path=named_quads, format=ox.RdfFormat.N_QUADS)
        store.bulk_load(union_triples.encode(), ox.RdfFormat.N_TRIPLES)
        store.flush()
        loaded = len(store)
        del store  # closes the database before any reader may open it
        if loaded != expected:
            raise StoreError(f"{directory}: loaded {loaded} quads, expected {expected}")
    except (OSError, SyntaxError, StoreError) as error:
        shutil.rmtree(directory, ignore_errors=True)
        raise StoreError(f"{directory}: the new store did not load: {error}") from error
    return _make_current(build_dir, directory)


@dataclass(frozen=True)
class Change:
    """What a rebuild changes in the store: quads that leave and join the named graphs, and
    triples that leave and join their union, the default graph (see :func:`union_change`)."""

    removed: frozenset[ox.Quad]
    added: frozenset[ox.Quad]
    union_removed: frozenset[ox.Triple]
    union_added: frozenset[ox.Triple]


def union_change(store: ox.Store, removed: frozenset[ox.Quad], added: frozenset[ox.Quad]) -> Change:
    """The whole change to ``store`` when ``removed`` leave its named graphs and ``added``
    join them: a triple leaves the union when no named graph holds it any more, and joins it
    when the union does not hold it yet."""
    joining = {quad.triple for quad in added}
    leaving = set()
    for triple in {quad.triple for quad in removed} - joining:
        holders = store.quads_for_pattern(triple.subject, triple.predicate, triple.object, None)
        if all(q in removed or isinstance(q.graph_name, ox.DefaultGraph) for q in holders):
            leaving.add(triple)
    default = ox.DefaultGraph()
    new = {t for t in joining if ox.Quad(t.subject, t.predicate, t.object, default) not in store}
    return Change(removed, added, frozenset(leaving), frozenset(new))


def patch_store(build_dir: Path, change: Change) -> Path:
    """A copy of the current store with ``change`` applied, made the current one.

    The copy is Oxigraph's backup (RocksDB hard-links its files: milliseconds, whatever the
    size), so readers of the current store never see the change half made.

    Raises:
        StoreError: if the copy or the change fails; the current store is then left as it was.
    """
    directory = _new_store_directory(build_dir)
    default = ox.DefaultGraph()
    try:
        directory.rmdir()  # the backup makes the directory itself
        open_store(build_dir).backup(str(directory))
        store = ox.Store(str(directory))
        for quad in change.removed:
            store.remove(quad)
        for triple in change.union_removed:
            store.remove(ox.Quad(triple.subject, triple.predicate, triple.object, default))
        store.extend(change.added)
        store.extend(ox.Quad(t.subject, t.predicate, t.object, default) for t in change.union_added)
        store.flush()
        del store
    except (OSError, StoreError) as error:
        shutil.rmtree(directory, ignore_errors=True)
        raise StoreError(f"{directory}: the store could not be updated: {error}") from error
    return _make_current(build_dir, directory)


def _new_store_directory(build_dir: Path) -> Path:
    stores = build_dir / STORES_DIR
    stores.mkdir(parents=True, exist_ok=True)
    directory = Path(tempfile.mkdtemp(prefix="store-", dir=stores))
    os.chmod(directory, 0o755)  # mkdtemp's 0700 would hide the store from other users
    return directory


def _make_current(build_dir: Path, directory: Path) -> Path:
    _point_link(build_dir / STORE_LINK, directory.relative_to(build_dir))
    _remove_old_stores(build_dir / STORES_DIR, keep=KEPT_STORES)
    return directory


def _lines(text: str) -> int:
    """Statements in N-Triples or N-Quads text (one per non-blank line)."""
    return sum(1 for line in split_lines(text) if line.strip())


def _point_link(link: Path, target: Path) -> None:
    """Make ``link`` point to ``target`` in one atomic step (rename over the old link)."""
    temporary = link.with_name(f".{link.name}.{os.getpid()}")
    temporary.unlink(missing_ok=True)
    temporary.symlink_to(target, target_is_directory=True)
    os.replace(temporary, link)


def _remove_old_stores(stores: Path, keep: int) -> None:
    directories = sorted(
        (p for p in stores.iterdir() if p.is_dir()), key=lambda p: p.stat().st_mtime_ns
    )
    for old in directories[:-keep]:
        shutil.rmtree(old, ignore_errors=True)


def current_store(build_dir: Path) -> Path:
    """The directory of the current store of ``build_dir``.

    Raises:
        StoreError: if there is none yet.
    """
    link = build_dir / STORE_LINK
    target = link.resolve()
    if not link.is_symlink() or not target.is_dir():
        raise StoreError(f"{link}: no store yet; run `medkg build` first")
    return target


def open_store(build_dir: Path) -> ox.Store:
    """The current store of ``build_dir``, opened read-only.

    Raises:
        StoreError: if there is no store, or it cannot be opened.
    """
    directory = current_store(build_dir)
    try:
        return ox.Store.read_only(str(directory))
    except OSError as error:
        raise StoreError(f"{directory}: cannot open the store: {error}") from error


def open_dataset(build_dir: Path) -> Dataset:
    """The last good build as an rdflib dataset (one named graph per article)."""
    store = open_store(build_dir)
    dataset = new_dataset()
    for name in store.named_graphs():
        data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=name)
        dataset.graph(URIRef(name.value)).parse(data=data, format="nt")
    return dataset


def open_graph(build_dir: Path) -> Graph:
    """The union of the last good build's named graphs as one rdflib graph."""
    data = open_store(build_dir).dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    graph = Graph()
    if data:
        graph.parse(data=data, format="nt")
    return graph


def read_graph_file(path: Path) -> Dataset:
    """Parse an RDF file by its extension (.trig, .ttl, .nq, .nt, .jsonld)."""
    fmt = _FORMATS.get(path.suffix)
    if fmt is None:
        known = ", ".join(sorted(_FORMATS))
        raise StoreError(f"{path}: unknown RDF file type {path.suffix!r} (known: {known})")
    dataset = new_dataset()
    try:
        if fmt in {"turtle", "nt"}:
            dataset.default_graph.parse(path, format=fmt)
        else:
            dataset.parse(path, format=fmt)
    except (ParserError, SyntaxError, ValueError) as error:
        raise StoreError(f"{path}: cannot parse as {fmt}: {error}") from error
    return dataset
