"""A build folder's outputs: the whole-graph files, written one segment per named graph, and
the :class:`State` that lets the next build copy every segment that did not change.

``kg.nq``, ``kg.trig`` and ``kg.jsonld`` are each a header, one segment per named graph (the
articles by graph IRI, then the terminology), joined by a separator, and a footer. The state
records each segment's length, so a rebuild finds every kept segment in the previous files
and copies it (:mod:`medkg.segments`) instead of holding or serialising any of its RDF.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from medkg import export, segments
from medkg.segments import Kept, Part
from medkg.store import STORE_LINK
from medkg.units import ArticleUnit, Fingerprint, TerminologyUnit, read_pickle, write_pickle
from medkg.vocab import TERMINOLOGY_GRAPH

STATE_FILE = "state.pickle"  # the last good build, for the next rebuild (State)


@dataclass(frozen=True)
class Entry:
    """One article graph of the last good build, as a rebuild needs it: no RDF, only where its
    segments are and what it adds to the report."""

    source: str  # the file's source name (medkg.rdf.source_name)
    path: str  # the file's path as the build was given it, which starts its warnings
    title: str
    graph: str
    key: str  # its unit in the cache
    stat: tuple[int, int]  # the file's size and modification time (ns) when it was read
    sizes: tuple[int, ...]  # bytes of its segment in each of SEGMENTED's files
    statements: int
    negated: int
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class State:
    """The last good build of a folder: what a rebuild keeps instead of building again."""

    fingerprint: str  # medkg.units.Fingerprint's digest
    store: str  # the name of the store directory the build made current
    files: dict[str, int]  # each output file's size, to notice a file changed by hand
    entries: tuple[Entry, ...]  # by graph IRI, as the segments are written
    terminology: dict[str, int]  # each terminology N-Triples line → articles whose records hold it
    terminology_sizes: tuple[int, ...]  # the terminology graph's segments (the last ones)
    shared: str  # the cache key of the terminology's results (medkg.units.TerminologyUnit)
    relations: dict[str, int]  # relation name → triples of it in the union (as in Summary)
    concepts: dict[str, int]  # concept type → concepts of it in the terminology (as in Summary)
    time_ns: int  # when the build finished

    @classmethod
    def read(cls, out: Path) -> State | None:
        state = read_pickle(out / STATE_FILE)
        return state if isinstance(state, cls) else None

    def describes(self, out: Path, fingerprint: Fingerprint) -> bool:
        """Whether the outputs in ``out`` are still this build's, with the same code,
        registry and shapes (else a rebuild cannot reuse them)."""
        if fingerprint.digest != self.fingerprint:
            return False
        link = out / STORE_LINK
        if not link.is_symlink() or link.resolve().name != self.store:
            return False
        try:
            return all((out / name).stat().st_size == size for name, size in self.files.items())
        except OSError:
            return False

    def write(self, out: Path) -> None:
        write_pickle(out / STATE_FILE, self)


Member = ArticleUnit | Entry  # an article built or read back in this run, or kept as it was


#: The files written as a header, one segment per named graph (the articles by IRI, then the
#: terminology), joined by a separator, and a footer (see :mod:`medkg.segments`).
SEGMENTED = ("kg.nq", "kg.trig", "kg.jsonld")
_TERMINOLOGY = ""  # the terminology's key among the segments


@functools.cache
def _layouts() -> tuple[tuple[str, bytes, bytes, bytes], ...]:
    """Each segmented file's name, header, separator and footer."""
    return (
        ("kg.nq", b"", b"", b""),
        ("kg.trig", export.TRIG_HEADER, b"", b""),
        ("kg.jsonld", export.jsonld_head(), export.JSONLD_SEPARATOR, export.JSONLD_FOOTER),
    )


def unit_segments(unit: ArticleUnit) -> tuple[bytes, ...]:
    return unit.quads.encode(), unit.trig, export.jsonld_segment(unit.jsonld)


def terminology_segments(terminology: str, shared: TerminologyUnit) -> tuple[bytes, ...]:
    """The terminology graph's segments: ``terminology`` is its N-Triples, ``shared`` its
    results and JSON-LD object."""
    quads = terminology_quads(export.split_lines(terminology, True))
    return quads.encode(), export.trig_block(quads), export.jsonld_segment(shared.jsonld)


def write_segments(
    out: Path,
    members: Sequence[Member],
    terminology: Sequence[Part] | None,
    previous: State | None,
) -> list[tuple[int, ...]]:
    """Stage ``kg.nq``, ``kg.trig`` and ``kg.jsonld``: each member's segments, then the
    terminology's (None: as in ``previous``). An :class:`Entry`'s segments are copied from the
    files of ``previous``.

    Returns:
        The sizes of each member's segments, then the terminology's.
    """
    kept = _previous_segments(previous) if previous else {}
    rows: list[Sequence[Part]] = [
        kept[member.key] if isinstance(member, Entry) else unit_segments(member)
        for member in members
    ]
    rows.append(terminology if terminology is not None else kept[_TERMINOLOGY])
    for column, (name, header, separator, footer) in enumerate(_layouts()):
        parts = segments.segment_parts(header, [row[column] for row in rows], separator, footer)
        segments.write_parts(out / name, parts, out / name if previous else None)
    return [tuple(_size(part) for part in row) for row in rows]


def _previous_segments(previous: State) -> dict[str, tuple[Kept, ...]]:
    """Where each segment of ``previous``'s files is, by unit key."""
    keys = [*(entry.key for entry in previous.entries), _TERMINOLOGY]
    sizes = [*(entry.sizes for entry in previous.entries), previous.terminology_sizes]
    columns = []
    for column, (_, header, separator, _) in enumerate(_layouts()):
        lengths = [row[column] for row in sizes]
        offsets = segments.segment_offsets(len(header), lengths, len(separator))
        columns.append(
            [Kept(offset, length) for offset, length in zip(offsets, lengths, strict=True)]
        )
    return {key: tuple(c[row] for c in columns) for row, key in enumerate(keys)}


def _size(part: Part) -> int:
    return part.length if isinstance(part, Kept) else len(part)


def terminology_quads(lines: Iterable[str]) -> str:
    """Terminology N-Triples lines as N-Quads of the terminology graph, sorted."""
    graph = f" <{TERMINOLOGY_GRAPH}> .\n"
    return "".join(line.rstrip("\n").removesuffix(" .") + graph for line in sorted(lines))
