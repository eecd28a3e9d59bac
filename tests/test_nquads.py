"""N-Quads streamed from the store (medkg.stream): exactly the named graphs, the same bytes every
time, and a round trip through Apache Jena, whose TDB2 store answers the shipped queries with
the rows medkg's own store gives.

The Jena tests use Debian's libapache-jena-java (`make jena` installs it) and skip where java
or Jena is missing.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from test_store import EXAMPLES, SAMPLE

from medkg.build import build
from medkg.cli import main
from medkg.queries import load_queries, query_form
from medkg.store import open_store
from medkg.stream import graph_order, write_nquads, write_nquads_file
from medkg.vocab import ARTICLE, TERMINOLOGY_GRAPH


@pytest.fixture(scope="module")
def build_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed and three articles that disagree with it, built as `medkg build` does."""
    out = tmp_path_factory.mktemp("nquads-build")
    assert build(SAMPLE, out).ok
    return out


@pytest.fixture(scope="module")
def store(build_dir: Path) -> ox.Store:
    return open_store(build_dir)


@pytest.fixture(scope="module")
def exported(store: ox.Store, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("nquads") / "kg.nq"
    write_nquads_file(store, path)
    return path


def _named_quads(store: ox.Store) -> set[ox.Quad]:
    return {q for q in store if not isinstance(q.graph_name, ox.DefaultGraph)}


# --- the export ------------------------------------------------------------------------------


def test_the_export_holds_exactly_the_named_graphs(store: ox.Store, exported: Path) -> None:
    quads = list(ox.parse(path=exported, format=ox.RdfFormat.N_QUADS))
    assert len(quads) == len(set(quads))  # one line per quad
    assert set(quads) == _named_quads(store)
    assert not any(isinstance(q.graph_name, ox.DefaultGraph) for q in quads)


def test_the_export_is_the_same_bytes_graph_by_graph_sorted(
    store: ox.Store, exported: Path, tmp_path: Path
) -> None:
    again = tmp_path / "again.nq"
    assert write_nquads_file(store, again) == len(_named_quads(store))
    data = exported.read_bytes()
    assert again.read_bytes() == data

    # the graphs come in the documented order, each one whole, its lines sorted
    lines = data.splitlines(keepends=True)
    graphs = [line.rsplit(b" ", 2)[1].decode() for line in lines]
    runs = [g for i, g in enumerate(graphs) if i == 0 or graphs[i - 1] != g]
    articles = sorted(g for g in runs if g.startswith(f"<{ARTICLE}"))
    assert len(articles) == len(SAMPLE)
    assert runs == [*articles, f"<{TERMINOLOGY_GRAPH}>"]
    assert [g.value for g in graph_order(store)] == [g.strip("<>") for g in runs]
    for graph in runs:
        block = [line for line, g in zip(lines, graphs, strict=True) if g == graph]
        assert block == sorted(block)


def test_the_command_streams_the_same_bytes_to_stdout_and_to_a_file(
    build_dir: Path, exported: Path, tmp_path: Path
) -> None:
    runner = CliRunner()
    to_stdout = runner.invoke(main, ["export", "--format", "nquads", "--build-dir", str(build_dir)])
    assert to_stdout.exit_code == 0, to_stdout.output
    assert to_stdout.stdout_bytes == exported.read_bytes()
    out = tmp_path / "sub" / "kg.nq"
    to_file = runner.invoke(
        main, ["export", "--format", "nquads", "-o", str(out), "--build-dir", str(build_dir)]
    )
    assert to_file.exit_code == 0, to_file.output
    assert out.read_bytes() == exported.read_bytes()
    assert [p.name for p in out.parent.iterdir()] == ["kg.nq"]  # no temporary file left


def test_the_command_before_any_build_says_what_to_do(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["export", "--format", "nquads", "--build-dir", str(tmp_path)]
    )
    assert result.exit_code == 1
    assert "run `medkg build` first" in result.output


# Any text a literal could hold: quotes, backslashes, line breaks, tabs, non-Latin scripts.
literal_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), whitelist_characters='"\\\n\t\r'),
    max_size=30,
)


@settings(max_examples=50, deadline=None)
@given(st.lists(literal_text, min_size=1, max_size=5))
def test_any_literal_survives_the_stream(texts: list[str]) -> None:
    store = ox.Store()
    subject, label = ox.NamedNode("urn:x:s"), ox.NamedNode("urn:x:label")
    for i, text in enumerate(texts):
        graph = ox.NamedNode(f"{ARTICLE}a{i % 2}")
        store.add(ox.Quad(subject, label, ox.Literal(text, language="en"), graph))
        store.add(ox.Quad(subject, label, ox.Literal(text), ox.NamedNode(str(TERMINOLOGY_GRAPH))))
    store.add(ox.Quad(subject, label, ox.Literal("default graph, not written")))
    written = _stream(store)
    assert set(ox.parse(written, format=ox.RdfFormat.N_QUADS)) == _named_quads(store)
    assert written.count(b"\n") == len(_named_quads(store))


def _stream(store: ox.Store) -> bytes:
    buffer = io.BytesIO()
    write_nquads(store, buffer)
    return buffer.getvalue()


# --- the round trip through Apache Jena ------------------------------------------------------

JAVA_DIR = Path("/usr/share/java")
#: Debian's Jena jars, and the jars of the packages libapache-jena-java depends on. One SLF4J
#: binding only: libslf4j-java ships them all, so '/usr/share/java/*' makes Jena's start fail.
JENA_JARS = ("jena-base", "jena-core", "jena-arq", "jena-iri", "jena-cmds", "jena-tdb2")
DEPENDENCY_JARS = (
    "jena-dboe-base",
    "jena-dboe-index",
    "jena-dboe-storage",
    "jena-dboe-trans-data",
    "jena-dboe-transaction",
    "jena-rdfconnection",
    "jena-shacl",
    "jena-shex",
    "jena-tdb",
    "commons-cli",
    "commons-codec",
    "commons-compress",
    "commons-csv",
    "commons-io",
    "commons-lang3",
    "dexx.collection",
    "gson",
    "guava",
    "httpclient",
    "httpcore",
    "jackson-core",
    "jackson-databind",
    "jakarta.json-api",
    "jsonld-java",
    "protobuf",
    "thrift",
    "titanium-json-ld",
    "slf4j-api",
    "slf4j-simple",
)
#: Short-lived JVMs: the C1 compiler alone and the serial collector start faster, on fewer cores.
JAVA_FLAGS = ("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")


def _xerces_messages(jena_core: Path, into: Path) -> Path | None:
    """Debian's jena-core moves Jena's copy of Xerces to the package ``xerces`` but leaves its
    message bundles under ``org/apache/jena/ext/xerces``; without them every XSD datatype fails
    to initialise ("internal error" in XSSimpleTypeDecl). Copy them where the classes look,
    into a directory to add to the class path, or ``None`` when the jar needs no fix."""
    with zipfile.ZipFile(jena_core) as jar:
        names = set(jar.namelist())
        if "xerces/impl/xpath/regex/RegexParser.class" not in names or (
            "xerces/impl/xpath/regex/message.properties" in names
        ):
            return None
        prefix = "org/apache/jena/ext/"
        for name in names:
            if name.startswith(prefix + "xerces/") and name.endswith(".properties"):
                target = into / name.removeprefix(prefix)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(jar.read(name))
    return into


@dataclass(frozen=True)
class Jena:
    classpath: str

    def run(self, command: str, *args: str) -> str:
        """Run one of Jena's command classes (``tdb2.tdbloader``); its stdout."""
        done = subprocess.run(
            ["java", *JAVA_FLAGS, "-cp", self.classpath, command, *args],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert done.returncode == 0, f"{command} failed ({done.returncode}):\n{done.stderr}"
        return done.stdout


@pytest.fixture(scope="module")
def jena(tmp_path_factory: pytest.TempPathFactory) -> Jena:
    if shutil.which("java") is None:
        pytest.skip("no java on PATH (make jena installs Debian's libapache-jena-java)")
    missing = [j for j in JENA_JARS if not (JAVA_DIR / f"{j}.jar").is_file()]
    if missing:
        pytest.skip(f"Apache Jena is missing ({', '.join(missing)}.jar); make jena installs it")
    jars = [JAVA_DIR / f"{j}.jar" for j in (*JENA_JARS, *DEPENDENCY_JARS)]
    path = [str(jar) for jar in jars if jar.is_file()]
    fix = _xerces_messages(JAVA_DIR / "jena-core.jar", tmp_path_factory.mktemp("xerces"))
    if fix is not None:
        path.append(str(fix))
    return Jena(":".join(path))


@pytest.fixture(scope="module")
def tdb(jena: Jena, exported: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The streamed export, loaded by Jena's TDB2 bulk loader."""
    location = tmp_path_factory.mktemp("tdb2") / "db"
    jena.run("tdb2.tdbloader", "--loc", str(location), str(exported))
    return location


Term = tuple[str, ...]
Row = tuple[Any, ...]

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def _jena_term(binding: dict[str, str] | None) -> Term | None:
    """A SPARQL JSON results term as (kind, value, datatype, language)."""
    if binding is None:
        return None
    kind = binding["type"]
    if kind == "bnode":
        return ("bnode",)  # labels are local to each engine
    if kind == "uri":
        return ("uri", binding["value"])
    datatype = binding.get("datatype", XSD_STRING)
    language = binding.get("xml:lang", "")
    if language:
        datatype = RDF_LANG_STRING
    return ("literal", binding["value"], datatype, language)


def _ox_term(term: Any) -> Term | None:
    if term is None:
        return None
    if isinstance(term, ox.BlankNode):
        return ("bnode",)
    if isinstance(term, ox.NamedNode):
        return ("uri", term.value)
    assert isinstance(term, ox.Literal), term
    return ("literal", term.value, term.datatype.value, term.language or "")


def query_jena(jena: Jena, location: Path, text: str, workdir: Path) -> tuple[list[str], list[Row]]:
    """``text`` on the TDB2 store, its default graph the union of the named graphs."""
    query = workdir / "query.rq"
    query.write_text(text, encoding="utf-8")
    answer = json.loads(
        jena.run(
            "tdb2.tdbquery",
            "--loc",
            str(location),
            "--set",
            "tdb:unionDefaultGraph=true",
            "--results=JSON",
            "--query",
            str(query),
        )
    )
    columns = answer["head"]["vars"]
    bindings = answer["results"]["bindings"]
    return columns, [tuple(_jena_term(b.get(c)) for c in columns) for b in bindings]


def query_store(store: ox.Store, text: str) -> tuple[list[str], list[Row]]:
    """``text`` on medkg's store, as `medkg query` runs it (its default graph is the union)."""
    solutions = store.query(text)
    assert isinstance(solutions, ox.QuerySolutions)
    columns = [v.value for v in solutions.variables]
    return columns, [tuple(_ox_term(s[c]) for c in columns) for s in solutions]


# SPARQL 1.1 leaves the order of GROUP_CONCAT's values undefined (§18.5.1.7): those cells are
# compared as sets of values, also when a sub-select's list reaches the result via COALESCE.
_GROUP_CONCAT = re.compile(
    r'GROUP_CONCAT\s*\(.*?separator\s*=\s*"([^"]*)"\s*\)\s+AS\s+\?(\w+)', re.IGNORECASE
)
_COALESCED = re.compile(r'COALESCE\s*\(\s*\?(\w+)\s*,\s*""\s*\)\s+AS\s+\?(\w+)', re.IGNORECASE)


def _comparable(text: str, columns: list[str]) -> Callable[[Row], Row]:
    separators = {name: sep for sep, name in _GROUP_CONCAT.findall(text)}
    for inner, outer in _COALESCED.findall(text):
        if inner in separators:
            separators[outer] = separators[inner]

    def cell(column: str, term: Term | None) -> Any:
        if term is None or column not in separators or term[0] != "literal":
            return term
        return (*term[:1], frozenset(term[1].split(separators[column])), *term[2:])

    return lambda row: tuple(cell(c, t) for c, t in zip(columns, row, strict=True))


def test_jena_loads_every_named_graph_and_unions_them_as_a_set(
    jena: Jena, tdb: Path, store: ox.Store, tmp_path: Path
) -> None:
    # the union branch leaves ?g unbound: Jena's union default graph, medkg's materialised one
    text = """SELECT ?g (COUNT(*) AS ?quads)
    WHERE { { GRAPH ?g { ?s ?p ?o } } UNION { ?s ?p ?o } }
    GROUP BY ?g ORDER BY ?g"""
    on_jena = query_jena(jena, tdb, text, tmp_path)
    on_store = query_store(store, text)
    assert on_jena == on_store
    assert len(on_store[1]) == len(SAMPLE) + 2  # the articles, the terminology, the union


@pytest.mark.parametrize("name", sorted(load_queries()))
def test_jena_answers_every_query_with_the_rows_of_medkg(
    name: str, jena: Jena, tdb: Path, store: ox.Store, tmp_path: Path
) -> None:
    query = load_queries()[name]
    if query_form(query.text) != "SELECT":
        pytest.skip(f"{name} is a {query_form(query.text)} query; the rows compared are SELECT's")
    text = query.bind({param: EXAMPLES[param] for param in query.params})  # what medkg runs
    jena_columns, jena_rows = query_jena(jena, tdb, text, tmp_path)
    columns, rows = query_store(store, text)
    assert jena_columns == columns
    comparable = _comparable(query.text, columns)
    assert [comparable(r) for r in jena_rows] == [comparable(r) for r in rows]
    if not name.endswith("-violation"):
        assert rows, f"{name} found nothing: the comparison proves little"
