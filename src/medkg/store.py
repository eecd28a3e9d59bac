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
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef
from rdflib.exceptions import ParserError

from medkg.rdf import new_dataset, union

STORE_LINK = "store"
STORES_DIR = "stores"
KEPT_STORES = 2  # the current store and the one before it

_FORMATS = {".trig": "trig", ".ttl": "turtle", ".nq": "nquads", ".jsonld": "json-ld", ".nt": "nt"}


class StoreError(RuntimeError):
    """No store to read, or a file or store that does not load; the message says what to do."""


def write_store(dataset: Dataset, build_dir: Path) -> Path:
    """Load an rdflib ``dataset`` into a new store and make it the current one (see
    :func:`write_store_from`)."""
    merged = union(dataset)
    return write_store_from(
        [dataset.serialize(format="nquads")], merged.serialize(format="nt"), build_dir
    )


def write_store_from(named_quads: Iterable[str], union_triples: str, build_dir: Path) -> Path:
    """Bulk-load N-Quads of the named graphs and N-Triples of their union (the default
    graph) into a new Oxigraph store, and make it the current one.

    The text goes through a file beside the store: Oxigraph's bulk loader reads it in parallel
    without holding it all in Python.

    Returns:
        The new store's directory (what ``build_dir / "store"`` now points to).

    Raises:
        StoreError: if the store does not hold exactly the quads given after loading; the
            current store is then left as it was.
    """
    stores = build_dir / STORES_DIR
    stores.mkdir(parents=True, exist_ok=True)
    directory = Path(tempfile.mkdtemp(prefix="store-", dir=stores))
    os.chmod(directory, 0o755)  # mkdtemp's 0700 would hide the store from other users
    staging = stores / f".{directory.name}.nq"
    try:
        expected = _lines(union_triples)
        with staging.open("w", encoding="utf-8") as handle:
            for chunk in named_quads:
                handle.write(chunk)
                expected += _lines(chunk)
        store = ox.Store(str(directory))
        store.bulk_load(path=staging, format=ox.RdfFormat.N_QUADS)
        store.bulk_load(union_triples.encode(), ox.RdfFormat.N_TRIPLES)
        store.flush()
        loaded = len(store)
        del store  # closes the database before any reader may open it
        if loaded != expected:
            raise StoreError(f"{directory}: loaded {loaded} quads, expected {expected}")
    except (OSError, SyntaxError, StoreError) as error:
        shutil.rmtree(directory, ignore_errors=True)
        raise StoreError(f"{directory}: the new store did not load: {error}") from error
    finally:
        staging.unlink(missing_ok=True)
    _point_link(build_dir / STORE_LINK, directory.relative_to(build_dir))
    _remove_old_stores(stores, keep=KEPT_STORES)
    return directory


def _lines(text: str) -> int:
    """Statements in N-Triples or N-Quads text (one per non-blank line)."""
    return sum(1 for line in text.splitlines() if line.strip())


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
