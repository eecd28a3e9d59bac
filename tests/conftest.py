"""Shared fixtures: the real graph, built once per test session from data/articles."""

from pathlib import Path

import pytest
from rdflib import Graph

from medkg.build import BuildResult, build_dataset
from medkg.rdf import union

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = ROOT / "data" / "articles"
SEED = ARTICLES / "conditions" / "bone-metastasis.txt"


@pytest.fixture(scope="session")
def built() -> BuildResult:
    """The build of the shipped articles (nothing written to disk)."""
    return build_dataset([ARTICLES])


@pytest.fixture(scope="session")
def graph(built: BuildResult) -> Graph:
    """The union of all named graphs: what queries and traversal see."""
    return union(built.dataset)


@pytest.fixture(scope="session")
def seed_built() -> BuildResult:
    """The build of the seed article alone: exactly what that one page says."""
    return build_dataset([SEED])


@pytest.fixture(scope="session")
def seed_graph(seed_built: BuildResult) -> Graph:
    return union(seed_built.dataset)
