"""Where the project's data files live: the ontology, the shipped queries, the registry.

They sit at the top of the repository (DESIGN.md's layout), next to ``src/``; medkg is run
from a checkout (`make demo`), so they are found relative to this file.
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ONTOLOGY_DIR = ROOT / "ontology"
QUERIES_DIR = ROOT / "queries"
REGISTRY = ROOT / "data" / "terminology"  # every *.tsv in it
ARTICLES_DIR = ROOT / "data" / "articles"
BUILD_DIR = ROOT / "data" / "build"
GOLD_DIR = ROOT / "tests" / "gold"
