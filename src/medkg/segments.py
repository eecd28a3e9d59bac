"""Big files rewritten by copying what did not change from the previous version.

A build's whole-graph files are either a header, one segment per named graph and a footer
(``kg.nq``, ``kg.trig``, ``kg.jsonld``), or one line per triple, sorted (``kg.ttl``). A rebuild
after one edit changes a few segments or lines of files of hundreds of megabytes: it writes
those, and copies every run of unchanged bytes from the previous file with
``os.copy_file_range`` (in the kernel, at disk speed, never through Python).

Every file is written to a temporary name beside its target; :func:`commit` renames it over the
target once every file of the build is ready.
"""

from __future__ import annotations

import mmap
import os
import subprocess
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Kept:
    """A run of bytes kept from the previous file: ``length`` bytes at ``offset``."""

    offset: int
    length: int


Part = bytes | Kept


def staged(path: Path) -> Path:
    """The temporary name ``path`` is written under until :func:`commit`."""
    return path.with_name(f".{path.name}.new")


def commit(path: Path, trash: Path | None = None) -> Path:
    """Rename the staged file over ``path`` (atomic: readers see the old file or the new).

    With ``trash`` (a folder), the old file is first linked there, so that the rename frees
    none of its blocks: ext4 takes a good part of a second to free a file of hundreds of
    megabytes, and :func:`empty_in_background` spends that time outside the build.
    """
    if trash is not None and path.exists():
        os.link(path, trash / path.name)
    os.replace(staged(path), path)
    return path


TRASH_PREFIX = ".trash-"  # folders of replaced files, removed in the background


def empty_in_background(folder: Path) -> None:
    """Remove every trash folder in ``folder`` (this build's, and any an interrupted build
    left) in a process that outlives this one: ``sh`` starts ``rm`` and exits at once."""
    trash = [str(p) for p in folder.glob(TRASH_PREFIX + "*")]
    if trash:
        quiet = subprocess.DEVNULL  # rm must not hold the caller's output open
        command = ["sh", "-c", 'rm -rf -- "$@" &', "sh", *trash]
        subprocess.run(command, stdin=quiet, stdout=quiet, stderr=quiet, check=True)


def write_parts(path: Path, parts: Iterable[Part], previous: Path | None = None) -> int:
    """Write ``parts`` in order to ``path``'s staged name: new bytes as they are, kept runs
    copied from ``previous``. Adjacent kept runs are copied in one call.

    Returns:
        The size of the file written.
    """
    target = staged(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    source = os.open(previous, os.O_RDONLY) if previous else None
    try:
        with target.open("wb") as handle:
            for part in _merged(parts):
                if isinstance(part, bytes):
                    handle.write(part)
                    continue
                if source is None:
                    raise ValueError(f"{path}: bytes to keep but no previous file")
                handle.flush()
                _copy(source, handle.fileno(), part)
            handle.flush()
            size = handle.tell()
    finally:
        if source is not None:
            os.close(source)
    target.chmod(0o644)
    return size


def _merged(parts: Iterable[Part]) -> Iterator[Part]:
    run: Kept | None = None
    for part in parts:
        if isinstance(part, Kept):
            if run and run.offset + run.length == part.offset:
                run = Kept(run.offset, run.length + part.length)
                continue
            if run:
                yield run
            run = part
        elif part:
            if run:
                yield run
                run = None
            yield part
    if run:
        yield run


def _copy(source: int, target: int, run: Kept) -> None:
    offset, left = run.offset, run.length
    while left:
        copied = os.copy_file_range(source, target, left, offset)
        if copied == 0:
            raise OSError(f"the previous file ends before byte {offset + left}")
        offset, left = offset + copied, left - copied


def segment_parts(
    header: bytes, segments: Iterable[bytes | Kept], separator: bytes, footer: bytes
) -> Iterator[Part]:
    """A header, the segments joined by ``separator``, a footer. A separator between two
    segments kept next to each other is kept with them, so they are copied in one run."""
    yield header
    previous: bytes | Kept | None = None
    for segment in segments:
        if previous is not None:
            yield _between(previous, segment, separator)
        yield segment
        previous = segment
    yield footer


def _between(before: bytes | Kept, after: bytes | Kept, separator: bytes) -> Part:
    if isinstance(before, Kept) and isinstance(after, Kept):
        end = before.offset + before.length
        if after.offset == end + len(separator):
            return Kept(end, len(separator))
    return separator


def segment_offsets(header: int, sizes: Iterable[int], separator: int) -> list[int]:
    """Where each segment starts in a file written by :func:`segment_parts`."""
    offsets, position = [], header
    for size in sizes:
        offsets.append(position)
        position += size + separator
    return offsets


def patch_sorted_lines(
    path: Path, start: int, remove: Iterable[bytes], insert: Iterable[bytes]
) -> int:
    """Write ``path`` again with lines removed and inserted, keeping it sorted.

    The file is ``start`` bytes of header, then lines (each ending in a newline) sorted as
    bytes. Each edit is found by binary search, and the runs between edits are copied.

    Raises:
        ValueError: if a line to remove is not in the file, or a line to insert already is.

    Returns:
        The size of the file written.
    """
    edits = sorted([(line, False) for line in remove] + [(line, True) for line in insert])
    with path.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as mm:
        parts: list[Part] = [Kept(0, start)]
        cursor = start
        for line, inserted in edits:
            position = _lower_bound(mm, cursor, len(mm), line)
            parts.append(Kept(cursor, position - cursor))
            present = mm[position : position + len(line)] == line
            if inserted == present:
                problem = "already holds" if present else "does not hold"
                raise ValueError(f"{path}: {problem} the line {line.decode()!r}")
            if inserted:
                parts.append(line)
                cursor = position
            else:
                cursor = position + len(line)
        parts.append(Kept(cursor, len(mm) - cursor))
        return write_parts(path, parts, path)


def _lower_bound(mm: mmap.mmap, low: int, high: int, key: bytes) -> int:
    """The offset of the first line in ``mm[low:high]`` that is not less than ``key``
    (``low`` and ``high`` are line starts)."""
    while low < high:
        middle = (low + high) // 2
        begin = mm.rfind(b"\n", low, middle) + 1 or low
        end = mm.find(b"\n", begin) + 1
        if mm[begin:end] < key:
            low = end
        else:
            high = begin
    return low
