"""medkg as a researcher installs it: a wheel in a fresh venv, used from a folder of their own.

The wheel is built from this checkout and installed with pip into a new venv. Its dependencies
come from the test environment through a .pth file rather than from PyPI on every run; a .pth
line adds a folder to sys.path without running the .pth files in it, so the checkout's editable
install does not come along. The commands then run from a temporary folder outside the
repository, with nothing but the installed package to read.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = ROOT / "data" / "articles"
PIP = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--quiet"]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built from a copy of what the project ships (setuptools builds in the tree)."""
    source = tmp_path_factory.mktemp("source")
    junk = shutil.ignore_patterns("__pycache__", "*.egg-info")
    for folder in ("src", "ontology", "queries", "data/terminology"):
        shutil.copytree(ROOT / folder, source / folder, symlinks=True, ignore=junk)
    for file in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / file, source)
    wheelhouse = tmp_path_factory.mktemp("wheelhouse")
    subprocess.run(
        [*PIP, "wheel", str(source), "--no-deps", "--no-build-isolation", "-w", str(wheelhouse)],
        check=True,
        cwd=wheelhouse,
    )
    (built,) = wheelhouse.glob("medkg-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new venv with the wheel installed and the test environment's libraries beside it."""
    home = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(home)], check=True)
    python = home / "bin" / "python"
    subprocess.run([*PIP, "--python", str(python), "install", "--no-deps", str(wheel)], check=True)
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    Path(site, "test-environment.pth").write_text("\n".join(sorted(ours)) + "\n")
    return home


def run(venv: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "MEDKG_BUILD_DIR"}}
    return subprocess.run(
        [str(venv / "bin" / args[0]), *args[1:]],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_the_wheel_carries_the_ontology_queries_registry_and_web_assets(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for shipped in (
        "medkg/ontology/medkg.ttl",
        "medkg/ontology/shapes.ttl",
        "medkg/ontology/context.jsonld",
        "medkg/queries/symptoms-of.rq",
        "medkg/terminology/symptoms.tsv",
        "medkg/web/query.html",
    ):
        assert shipped in names
    assert not [n for n in names if n.startswith(("tests/", "medkg/gold", "data/"))]


def test_the_installed_package_is_the_wheel_not_the_checkout(venv: Path, tmp_path: Path) -> None:
    where = run(venv, "python", "-c", "import medkg; print(medkg.__file__)", cwd=tmp_path)
    assert where.returncode == 0, where.stderr
    assert Path(where.stdout.strip()).is_relative_to(venv)


def test_build_and_query_a_folder_of_ones_own_articles(venv: Path, tmp_path: Path) -> None:
    mine = tmp_path / "my-articles"
    mine.mkdir()
    shutil.copy(ARTICLES / "conditions" / "bone-metastasis.txt", mine)
    shutil.copy(ARTICLES / "symptoms" / "fatigue.txt", mine)

    built = run(venv, "medkg", "build", "my-articles", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    assert (tmp_path / "data" / "build" / "kg.ttl").is_file()  # in the folder it ran from

    asked = run(
        venv, "medkg", "query", "symptoms-of", "-p", "condition=bone metastasis",
        "--format", "json", cwd=tmp_path / "my-articles",
    )  # fmt: skip
    assert asked.returncode == 0, asked.stderr
    symptoms = {row["symptom"] for row in json.loads(asked.stdout)}
    assert {"bone pain", "fatigue"} <= symptoms
    assert f"build: {tmp_path / 'data' / 'build'}" in asked.stderr  # it says what it read

    listed = run(venv, "medkg", "queries", cwd=tmp_path)
    assert "symptoms-of" in listed.stdout
