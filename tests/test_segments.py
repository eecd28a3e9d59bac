"""Files rewritten from kept byte runs and new bytes: what a rebuild writes is what writing
the whole file anew would."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from medkg.segments import (
    TRASH_PREFIX,
    Kept,
    _merged,
    commit,
    empty_in_background,
    patch_sorted_lines,
    segment_offsets,
    segment_parts,
    staged,
    write_parts,
)


def _written(path: Path, parts: list[bytes | Kept], previous: Path | None = None) -> bytes:
    write_parts(path, parts, previous)
    return commit(path).read_bytes()


def test_kept_runs_are_copied_from_the_previous_file(tmp_path: Path) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"0123456789")
    parts: list[bytes | Kept] = [Kept(0, 3), b"abc", Kept(3, 2), Kept(5, 5), b""]
    assert _written(path, parts, path) == b"012abc3456789"


def test_nothing_is_visible_until_commit(tmp_path: Path) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"old")
    write_parts(path, [b"new"])
    assert path.read_bytes() == b"old" and staged(path).read_bytes() == b"new"
    assert commit(path).read_bytes() == b"new" and not staged(path).exists()


def test_a_replaced_file_goes_to_the_trash_which_empties_in_the_background(
    tmp_path: Path,
) -> None:
    path, trash = tmp_path / "f", tmp_path / f"{TRASH_PREFIX}1"
    path.write_bytes(b"old")
    trash.mkdir()
    leftover = tmp_path / f"{TRASH_PREFIX}0"  # from a build interrupted before emptying it
    leftover.mkdir()
    write_parts(path, [b"new"])
    assert commit(path, trash).read_bytes() == b"new"
    assert (trash / "f").read_bytes() == b"old"  # linked, so the rename freed nothing
    empty_in_background(tmp_path)
    deadline = time.monotonic() + 30
    while any(tmp_path.glob(TRASH_PREFIX + "*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f"]


def test_a_kept_run_needs_a_previous_file_that_holds_it(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no previous file"):
        write_parts(tmp_path / "f", [Kept(0, 1)])
    (tmp_path / "short").write_bytes(b"ab")
    with pytest.raises(OSError, match="ends before"):
        write_parts(tmp_path / "f", [Kept(0, 5)], tmp_path / "short")


def test_segments_are_found_where_segment_parts_put_them(tmp_path: Path) -> None:
    segments = [b"first", b"", b"third one"]
    path = tmp_path / "f"
    data = _written(path, list(segment_parts(b"[", segments, b", ", b"]\n")))
    assert data == b"[first, , third one]\n"
    offsets = segment_offsets(1, [len(s) for s in segments], 2)
    assert [data[o : o + len(s)] for o, s in zip(offsets, segments, strict=True)] == segments


LINES = [f"line {n:04d}\n".encode() for n in range(0, 2000, 2)]  # even numbers only


@pytest.mark.parametrize(
    ("remove", "insert"),
    [
        ([], []),
        ([LINES[0]], [b"line 0001\n"]),  # at the very start
        ([LINES[-1]], [b"line 9999\n", b"a line before all\n"]),  # past both ends
        (LINES[100:400:3], [f"line {n:04d}\n".encode() for n in range(301, 1500, 14)]),  # odd: new
        (LINES, [b"only\n"]),  # every line goes
    ],
)
def test_patching_sorted_lines_equals_writing_them_sorted(
    tmp_path: Path, remove: list[bytes], insert: list[bytes]
) -> None:
    header = b"# header\n"
    path = tmp_path / "f"
    path.write_bytes(header + b"".join(LINES))
    patch_sorted_lines(path, len(header), remove, insert)
    expected = sorted((set(LINES) - set(remove)) | set(insert))
    assert commit(path).read_bytes() == header + b"".join(expected)


def test_patching_refuses_a_line_that_is_not_there_or_already_is(tmp_path: Path) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"".join(LINES))
    with pytest.raises(ValueError, match="does not hold the line 'line 0003"):
        patch_sorted_lines(path, 0, [b"line 0003\n"], [])
    with pytest.raises(ValueError, match="already holds the line 'line 0004"):
        patch_sorted_lines(path, 0, [], [b"line 0004\n"])


def test_segments_kept_side_by_side_are_copied_as_one_run() -> None:
    kept = [Kept(1, 3), Kept(6, 2), Kept(10, 4)]  # each two bytes (a separator) after the last
    parts = list(_merged(segment_parts(b"[", kept, b", ", b"]")))
    assert parts == [b"[", Kept(1, 13), b"]"]
    changed = list(_merged(segment_parts(b"[", [kept[0], b"new", kept[2]], b", ", b"]")))
    assert changed == [b"[", Kept(1, 3), b", ", b"new", b", ", Kept(10, 4), b"]"]
