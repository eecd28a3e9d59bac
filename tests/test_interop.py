"""The build's exports as other tools read them, as they are: Jena's SHACL engine and ARQ, and
pyld as a JSON-LD 1.0 processor.

Jena is Debian's (`make jena` installs it); the tests skip where it is missing, as the N-Quads
round trip does (tests/test_nquads.py, whose Jena fixture and comparison helpers these reuse).
"""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from pyld import jsonld
from rdflib import Dataset, Graph, Literal
from rdflib.compare import isomorphic
from rdflib.namespace import SH
from test_nquads import Jena, _comparable, _jena_term, build_dir, jena, query_store, store
from test_store import EXAMPLES

from medkg.cli import main
from medkg.queries import load_queries
from medkg.resources import ONTOLOGY_DIR

__all__ = ["build_dir", "jena", "store"]  # fixtures shared with test_nquads


def test_jena_shacl_finds_kg_ttl_conforming_with_the_shipped_shapes_alone(
    jena: Jena, build_dir: Path
) -> None:
    """The class hierarchy travels with the data: sh:class follows subclasses in any engine
    (Jena reported 579 violations on the corpus's kg.ttl without it)."""
    report = jena.run(
        "shacl.shacl_validate",
        "--shapes",
        str(ONTOLOGY_DIR / "shapes.ttl"),
        "--data",
        str(build_dir / "kg.ttl"),
    )
    graph = Graph().parse(data=report, format="turtle")
    assert list(graph.objects(None, SH.conforms)) == [Literal(True)], report[:2000]


@pytest.mark.parametrize("fmt", ["trig", "nquads"])
def test_jena_arq_answers_a_shipped_query_over_an_export_with_a_union_default_graph(
    fmt: str, jena: Jena, build_dir: Path, store: ox.Store, tmp_path: Path
) -> None:
    """Without --union-default, arq --data sees an empty default graph and finds nothing."""
    suffix = {"trig": "trig", "nquads": "nq"}[fmt]  # Jena knows a file's syntax by its suffix
    export = tmp_path / f"kg.{suffix}"
    args = ["export", "--format", fmt, "--union-default", "-o", str(export)]
    done = CliRunner().invoke(main, [*args, "--build-dir", str(build_dir)])
    assert done.exit_code == 0, done.output
    query = load_queries()["symptoms-of"]
    text = query.bind({p: EXAMPLES[p] for p in query.params})
    query_file = tmp_path / "query.rq"
    query_file.write_text(text, encoding="utf-8")

    def on_jena(data: Path) -> list[tuple[object, ...]]:
        answer = json.loads(
            jena.run("arq.arq", "--data", str(data), "--results=JSON", "--query", str(query_file))
        )
        columns = answer["head"]["vars"]
        bindings = answer["results"]["bindings"]
        return [tuple(_jena_term(b.get(c)) for c in columns) for b in bindings]

    columns, rows = query_store(store, text)
    comparable = _comparable(query.text, columns)
    assert rows
    assert [comparable(r) for r in on_jena(export)] == [comparable(r) for r in rows]
    assert on_jena(build_dir / f"kg.{suffix}") == []  # as the build writes it


def test_kg_jsonld_reads_in_a_json_ld_1_0_processor(build_dir: Path) -> None:
    """pyld in JSON-LD 1.0 mode gives the very quads of kg.nq ("@version": 1.1 stopped it)."""
    document = json.loads((build_dir / "kg.jsonld").read_text(encoding="utf-8"))
    quads = jsonld.to_rdf(
        document, {"format": "application/n-quads", "processingMode": "json-ld-1.0"}
    )
    read, built = Dataset(), Dataset()
    read.parse(data=quads, format="nquads")
    built.parse(build_dir / "kg.nq", format="nquads")
    assert len(list(read.quads())) == len(list(built.quads())) > 1000
    for graph in built.graphs():
        if len(graph):
            assert isomorphic(read.graph(graph.identifier), graph), graph.identifier
