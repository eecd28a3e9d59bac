"""The manual's examples, run: docs/api.md is a doctest over a build of the shipped corpus."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_python_api_page_runs_as_written(tmp_path: Path) -> None:
    """In a fresh interpreter, as a notebook starts, and in a folder of its own with the corpus
    as its data/articles, so that the repository's build stays as it is."""
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "articles").symlink_to(ROOT / "data" / "articles")
    run = subprocess.run(
        [sys.executable, "-m", "doctest", "-v", str(ROOT / "docs" / "api.md")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert "Test passed." in run.stdout
    assert " 0 failed" in run.stdout
