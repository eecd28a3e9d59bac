"""Where commands look when nothing is named: the project found from the working directory."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from medkg import project
from medkg.cli import main

ROOT = Path(__file__).resolve().parents[1]
SYMPTOMS = ROOT / "data" / "articles" / "symptoms"


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def study(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A researcher's folder with two articles of their own, as the working directory."""
    articles = tmp_path / "data" / "articles" / "symptoms"
    articles.mkdir(parents=True)
    for name in ("fatigue.txt", "numbness.txt"):
        shutil.copy(SYMPTOMS / name, articles)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(project.BUILD_DIR_VARIABLE, raising=False)
    return tmp_path


def test_the_project_is_the_nearest_folder_up_with_data(study: Path) -> None:
    deep = study / "notes" / "2026"
    deep.mkdir(parents=True)
    assert project.root(deep) == study
    assert project.root(study.parent) == study.parent  # no project there: the folder itself


def test_a_build_in_a_subfolder_writes_and_reads_the_projects_build(
    study: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (study / "notes").mkdir()
    monkeypatch.chdir(study / "notes")
    built = invoke("build")
    assert built.exit_code == 0, built.output
    assert (study / "data" / "build" / "kg.ttl").is_file()
    assert not (study / "notes" / "data").exists()

    shown = invoke("show", "fatigue")
    assert shown.exit_code == 0, shown.output
    assert f"build: {study / 'data' / 'build'}" in shown.stderr
    assert f"build: {study}" not in shown.stdout  # piped output stays clean


def test_the_build_folder_can_be_named_for_every_command(
    study: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = study / "graphs" / "v2"
    monkeypatch.setenv(project.BUILD_DIR_VARIABLE, str(elsewhere))
    assert invoke("build").exit_code == 0
    assert (elsewhere / "kg.ttl").is_file()
    assert invoke("show", "numbness").exit_code == 0


def test_a_build_never_replaces_a_graph_of_other_articles_nobody_named(study: Path) -> None:
    assert invoke("build").exit_code == 0
    published = (study / "data" / "build" / "kg.ttl").read_bytes()
    other = study / "downloads" / "symptoms"
    other.mkdir(parents=True)
    shutil.copy(SYMPTOMS / "back-pain.md", other)

    refused = invoke("build", "downloads")
    assert refused.exit_code == 1
    assert "holds the graph of other articles (2 of them" in refused.stderr
    assert "nothing was built" in refused.stderr
    assert (study / "data" / "build" / "kg.ttl").read_bytes() == published

    named = invoke("build", "downloads", "--out", "data/build")  # named: replaced
    assert named.exit_code == 0, named.output
    assert b"Back Pain" in (study / "data" / "build" / "kg.ttl").read_bytes()
    assert b"Numbness" not in (study / "data" / "build" / "kg.ttl").read_bytes()


def test_rebuilding_the_same_articles_after_a_deletion_updates_the_graph(study: Path) -> None:
    assert invoke("build").exit_code == 0
    (study / "data" / "articles" / "symptoms" / "numbness.txt").unlink()
    again = invoke("build")
    assert again.exit_code == 0, again.output
    assert b"Numbness" not in (study / "data" / "build" / "kg.ttl").read_bytes()


def test_a_build_with_no_articles_named_and_none_in_the_project_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = invoke("build")
    assert result.exit_code == 1
    assert f"no articles named, and no data/articles in {tmp_path}" in result.stderr
    assert not (tmp_path / "data").exists()


def test_eval_without_gold_is_refused(study: Path) -> None:
    result = invoke("eval", "data/articles")
    assert result.exit_code == 2
    assert "Missing option '--gold'" in result.stderr
