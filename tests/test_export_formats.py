"""`medkg export` to GraphML, GEXF, CSV, TSV and KGX: real files from a real build, read back."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner, Result

from medkg.cli import main
from medkg.export import DIRECTORY_FORMATS, serialise, serialise_files
from medkg.store import open_dataset, open_graph
from medkg.tables import SEPARATOR
from medkg.traverse import to_networkx

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "articles" / "conditions" / "bone-metastasis.txt"
BONE_PAIN_SENTENCE = (
    "Pain: Bone pain is often the first symptom of bone metastasis, "
    "and it can be severe and debilitating"
)


@pytest.fixture(scope="module")
def build_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A build of the seed article alone."""
    out = tmp_path_factory.mktemp("build")
    result = invoke("build", str(SEED), "--out", str(out))
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def G(build_dir: Path) -> nx.MultiDiGraph:
    return to_networkx(open_graph(build_dir))


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def _relations(G: nx.MultiDiGraph) -> Counter[str]:
    return Counter(key for _, _, key in G.edges(keys=True))


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_graph_files_read_back(
    build_dir: Path, G: nx.MultiDiGraph, tmp_path: Path, fmt: str
) -> None:
    out = tmp_path / f"kg.{fmt}"
    result = invoke("export", "--format", fmt, "-o", str(out), "--build-dir", str(build_dir))
    assert result.exit_code == 0, result.output
    reread = nx.read_graphml(out) if fmt == "graphml" else nx.read_gexf(out)
    assert reread.number_of_nodes() == G.number_of_nodes() > 40
    assert reread.number_of_edges() == G.number_of_edges() > 75
    assert Counter(d["relation"] for *_, d in reread.edges(data=True)) == _relations(G)
    edge = next(
        d
        for u, v, d in reread.edges(data=True)
        if u.endswith("/bone-metastasis")
        and v.endswith("/bone-pain")
        and d["relation"] == "hasSymptom"
    )
    assert BONE_PAIN_SENTENCE in edge["sentences"].split(SEPARATOR)
    # Without -o the same bytes go to stdout.
    stdout = invoke("export", "--format", fmt, "--build-dir", str(build_dir)).output
    assert stdout == out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("fmt", "names", "delimiter"),
    [
        ("csv", ("nodes.csv", "edges.csv"), ","),
        ("tsv", ("nodes.tsv", "edges.tsv"), "\t"),
        ("kgx", ("nodes.tsv", "edges.tsv"), "\t"),
    ],
)
def test_table_formats_write_a_directory(
    build_dir: Path,
    G: nx.MultiDiGraph,
    tmp_path: Path,
    fmt: str,
    names: tuple[str, str],
    delimiter: str,
) -> None:
    out = tmp_path / fmt  # created by the export
    result = invoke("export", "--format", fmt, "-o", str(out), "--build-dir", str(build_dir))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == sorted(names)
    quoting = csv.QUOTE_NONE if fmt == "kgx" else csv.QUOTE_MINIMAL
    nodes, edges = (
        list(
            csv.DictReader(io.StringIO((out / n).read_text()), delimiter=delimiter, quoting=quoting)
        )
        for n in names
    )
    assert len(nodes) == G.number_of_nodes()
    if fmt == "kgx":
        relations = Counter(
            relation.removeprefix("medkg:")
            for row in edges
            for relation in row["original_predicate"].split("|")
        )
        known = [
            row
            for row in edges
            if (row["subject"], row["original_predicate"], row["object"])
            == ("MEDKG:bone-metastasis", "medkg:hasSymptom", "HP:0002653")
        ]
        sentences = known[0]["supporting_text"].split("|")
    else:
        relations = Counter(row["relation"] for row in edges)
        known = [
            row
            for row in edges
            if (row["source_label"], row["relation"], row["target_label"])
            == ("bone metastasis", "hasSymptom", "bone pain")
        ]
        sentences = known[0]["sentences"].split(SEPARATOR)
    assert relations == _relations(G)
    assert len(known) == 1 and BONE_PAIN_SENTENCE in sentences


@pytest.mark.parametrize("fmt", DIRECTORY_FORMATS)
def test_table_formats_need_a_directory(build_dir: Path, tmp_path: Path, fmt: str) -> None:
    result = invoke("export", "--format", fmt, "--build-dir", str(build_dir))
    assert result.exit_code == 2 and "-o DIRECTORY" in result.output
    a_file = tmp_path / "file.txt"
    a_file.write_text("keep me")
    result = invoke("export", "--format", fmt, "-o", str(a_file), "--build-dir", str(build_dir))
    assert result.exit_code == 2 and "is a file" in result.output
    assert a_file.read_text() == "keep me"


def test_file_formats_refuse_a_directory(build_dir: Path, tmp_path: Path) -> None:
    result = invoke(
        "export", "--format", "gexf", "-o", str(tmp_path), "--build-dir", str(build_dir)
    )
    assert result.exit_code == 2 and "is a directory" in result.output


def test_each_function_refuses_the_other_kind_of_format(build_dir: Path) -> None:
    dataset = open_dataset(build_dir)
    with pytest.raises(ValueError, match="several files"):
        serialise(dataset, "kgx")
    with pytest.raises(ValueError, match="not a directory format"):
        serialise_files(dataset, "graphml")


# Every new format, written by a fresh process with its own hash seed.
_DUMP = """
import json, sys
from pathlib import Path
from medkg.export import serialise, serialise_files
from medkg.store import open_dataset
dataset = open_dataset(Path(sys.argv[1]))
out = {fmt: serialise(dataset, fmt) for fmt in ("graphml", "gexf")}
out.update({fmt: serialise_files(dataset, fmt) for fmt in ("csv", "tsv", "kgx")})
print(json.dumps(out))
"""


def test_two_exports_of_one_build_are_byte_identical(build_dir: Path) -> None:
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", _DUMP, str(build_dir)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        outputs.append(json.loads(done.stdout))
    assert outputs[0] == outputs[1]
    assert set(outputs[0]) == {"graphml", "gexf", "csv", "tsv", "kgx"}
