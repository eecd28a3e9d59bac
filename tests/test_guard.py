"""The query check (medkg.guard) and the Python API over both engines: no query, however it is
written, reaches the network; deep nesting never reaches a parser that would crash on it.

Every check here runs against a loopback canary that must receive nothing, and a control
shows that the same queries, unchecked, do reach it on both engines."""

from __future__ import annotations

import contextlib
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import Canary
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef

from medkg.build import BuildResult
from medkg.guard import MAX_NESTING, QueryError, QueryRefused, check, nesting
from medkg.queries import load_queries, run_named, run_sparql
from medkg.store import write_store

MEDKG = Path(sys.executable).parent / "medkg"


def _data() -> tuple[ox.Store, Graph]:
    """The same two triples in an Oxigraph store and an rdflib graph: a SERVICE joined with
    them is evaluated, never skipped for want of data."""
    store, graph = ox.Store(), Graph()
    for n in range(2):
        s, p, o = f"http://example.org/s{n}", "http://example.org/p", f"value {n}"
        store.add(ox.Quad(ox.NamedNode(s), ox.NamedNode(p), ox.Literal(o)))
        graph.add((URIRef(s), URIRef(p), Literal(o)))
    return store, graph


# --- the forms that went around the old text check -----------------------------------------

ATTACKS = [
    "SELECT * WHERE { ?s ?p ?o .SERVICE <URL/x> { ?a ?b ?c } }",
    "PREFIX : <URL/> SELECT * WHERE { ?s ?p ?o SERVICE:x { ?a ?b ?c } }",
    "PREFIX ex: <http://e/> SELECT * WHERE { ?s ?p ?o BIND(ex:a AS ?z) SERVICE <URL/y> { } }",
    "SELECT * WHERE { ?s ?p ?o # \\u000A SERVICE <URL/z> { ?a ?b ?c }\n }",
    "SELECT * WHERE { ?s ?p ?o SERVI\\u0043E <URL/v> { ?a ?b ?c } }",
    "SELECT * WHERE { ?s ?p ?o SERVICE <URL/\\u0075> { ?a ?b ?c } }",
    "SELECT * WHERE { ?s ?p ?o SERVICE <file:///etc/hostname> { ?a ?b ?c } }",
    "SELECT * WHERE { ?s ?p ?o { SELECT ?a WHERE { SERVICE SILENT <URL/> { ?a ?b ?c } } } }",
    "SELECT * WHERE { ?s ?p ?o FILTER EXISTS { SERVICE <URL/> { ?a ?b ?c } } }",
    "ASK { ?s ?p ?o { } UNION { SERVICE <URL/> { ?a ?b ?c } } }",
    "PREFIX : <URL/> SELECT * FROM:g WHERE { ?s ?p ?o }",
    "SELECT * FROM <URL/g> WHERE { ?s ?p ?o }",
    "PREFIX p: <URL/> SELECT*FROM NAMED p:g WHERE { ?s ?p ?o }",
    "CONSTRUCT { ?s ?p ?o } FROM <URL/g> WHERE { ?s ?p ?o }",
    "DESCRIBE ?s FROM <URL/g> WHERE { ?s ?p ?o }",
]


@pytest.mark.parametrize("template", ATTACKS)
def test_every_known_bypass_is_refused_on_both_engines(quiet: str, template: str) -> None:
    store, graph = _data()
    for source in (store, graph):
        with pytest.raises(QueryRefused, match="not allowed"):
            run_sparql(source, template.replace("URL", quiet))


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_the_canary_hears_an_unchecked_service_on_either_engine(
    canary: Canary, engine: str
) -> None:
    """The control: unchecked, both engines call out, so the tests above can fail."""
    canary.received.clear()
    store, graph = _data()
    query = f"SELECT * WHERE {{ ?s ?p ?o SERVICE <{canary.url}/control> {{ ?a ?b ?c }} }}"
    # the canary's empty answer is no SPARQL result: the engines fail after calling
    with contextlib.suppress(Exception):
        list(store.query(query) if engine == "oxigraph" else graph.query(query))  # type: ignore[arg-type]
    assert canary.heard("/control")


# --- generated variants ---------------------------------------------------------------------

# every kind of token SERVICE or FROM may follow, each in a place where it is legal
BEFORE_SERVICE = [
    "?s ?p ?o .",
    "?s ?p ?o",
    "?s ?p ?o ;",
    "?s ?p ?o , ?o",
    "?s ?p ex:a .",
    "?s ?p ex:a\\.b .",
    "?s ?p ex:a\\# .",
    "?s ?p ex: .",
    '?s ?p "s" .',
    "?s ?p 's' .",
    '?s ?p """s""" .',
    "?s ?p '''s''' .",
    '?s ?p "x#y"@en .',
    '?s ?p "1"^^xsd:integer .',
    "?s ?p 1.5e0 .",
    "?s ?p <http://e/#x> .",
    "?s ?p ?o # a comment\n",
    "?s ?p ?o # a comment\r",
    "?s ?p ?o # \\u000A",
    "?s ?p ?o BIND(ex:a AS ?z)",
    "?s ?p ?o BIND(ex:a\\# AS ?z)",
    '?s ?p ?o BIND("}" AS ?z)',
    "?s ?p ?o FILTER(?o != '#')",
    "?s ?p ?o OPTIONAL { ?s ?p ?o }",
    "?s ?p ?o {}",
    "?s ?p [] .",
    "?s ?p () .",
    "?s a ?o .",
    "$s ?p ?o .",
    "_:b ?p ?o .",
    "?s ?p ?o VALUES ?v { 1 }",
    "?s\\u0020?p\\u0020?o\\u0020.",
    '?s ?p "\\u0041" .',
]
SEPARATORS = ["", " ", "\t", "\n", "\r\n", "#c\n", "\\u0020", "\\u000A"]
PREFIXES = (
    "PREFIX ex: <http://e/> PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> "
    "PREFIX p: <URL/> PREFIX : <URL/>"
)
TARGETS = ["<URL/x>", " p:x", ":x", " :x", "<URL/\\u0078>", "<file:///etc/hostname>"]
FORMS = ["SELECT * WHERE { BODY }", "ASK { BODY }", "SELECT * { { BODY } }"]
HEADS = [
    "SELECT *",
    "SELECT ?s",
    "SELECT (1 AS ?x)",
    "SELECT DISTINCT ?s",
    "ASK",
    "CONSTRUCT { ?s ?p ?o }",
    "DESCRIBE ?s",
]


@st.composite
def _keyword(draw: st.DrawFn, word: str) -> str:
    """``word`` with each letter in either case, any of them written as a \\u escape."""
    letters = []
    for letter in word:
        letter = draw(st.sampled_from([letter.upper(), letter.lower()]))
        if draw(st.booleans()) and draw(st.booleans()):
            letter = f"\\u{ord(letter):04X}"
        letters.append(letter)
    return "".join(letters)


@st.composite
def service_queries(draw: st.DrawFn, url: str) -> str:
    before = draw(st.sampled_from(BEFORE_SERVICE))
    gap = draw(st.sampled_from(SEPARATORS))
    keyword = draw(_keyword("service")) + draw(st.sampled_from(["", " SILENT", " silent"]))
    target = draw(st.sampled_from(TARGETS))
    body = f"{before}{gap}{keyword}{target} {{ ?a ?b ?c }}"
    form = draw(st.sampled_from(FORMS)).replace("BODY", body)
    return f"{PREFIXES} {form}".replace("URL", url)


@st.composite
def from_queries(draw: st.DrawFn, url: str) -> str:
    head = draw(st.sampled_from(HEADS))
    gap = draw(st.sampled_from(SEPARATORS))
    keyword = draw(_keyword("from")) + draw(st.sampled_from(["", " NAMED", " named"]))
    target = draw(st.sampled_from(["<URL/g>", ":g", " :g", " p:g"]))
    return f"{PREFIXES} {head}{gap}{keyword}{target} WHERE {{ ?s ?p ?o }}".replace("URL", url)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_generated_service_variants_never_reach_the_canary(quiet: str, data: st.DataObject) -> None:
    """Refused, or (a variable named ``?oSERVICE``) some other query: the canary hears nothing."""
    query = data.draw(service_queries(quiet))
    store, graph = _data()
    for source in (store, graph):
        with contextlib.suppress(QueryError):
            run_sparql(source, query)


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_generated_from_variants_never_read_the_graph_they_name(
    quiet: str, data: st.DataObject
) -> None:
    """Refused, or some other query (``DESCRIBE ?sFROM <…>``): never one whose default graph
    is the graph FROM names, which holds the only "secret" in the store."""
    query = data.draw(from_queries(quiet))
    store, _ = _data()
    named = ox.NamedNode(f"{quiet}/g")
    secret = ox.Literal("secret")
    store.add(ox.Quad(ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p"), secret, named))
    with contextlib.suppress(QueryError):
        rows = run_sparql(store, query).rows
        assert not any("secret" in (value or "") for row in rows for value in row), query


def test_an_escaped_quote_is_read_as_sparql_reads_it(quiet: str) -> None:
    """``"\\u0022`` opens and closes a string for SPARQL's parser, and is an escaped quote for
    Oxigraph's: the engines run the expanded text, so the SERVICE between two of them is code
    for both, and refused."""
    store, graph = _data()
    query = f'SELECT * WHERE {{ ?s ?p "\\u0022 . SERVICE <{quiet}/> {{ }} ?s ?p "\\u0022 }}'
    for source in (store, graph):
        with pytest.raises(QueryError):
            run_sparql(source, query)


def test_every_token_kind_is_exercised_by_a_valid_query() -> None:
    """Each kind of token the variants put before SERVICE makes real SPARQL with some
    separator, refused for what it does rather than as a syntax error: otherwise the variants
    above would prove little."""
    for before in BEFORE_SERVICE:
        verdicts = []
        for gap in SEPARATORS:
            query = f"{PREFIXES} SELECT * WHERE {{ {before}{gap}SERVICE <URL/x> {{ }} }}"
            try:
                check(query.replace("URL", "http://127.0.0.1:9"))
            except QueryRefused:
                verdicts.append("refused")
            except QueryError as error:
                verdicts.append(str(error))
        assert "refused" in verdicts, (before, verdicts)


# --- what the check allows -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        '# SERVICE <http://example.org/>\nSELECT ?x WHERE { BIND("SERVICE <x> {}" AS ?x) }',
        "SELECT ?service WHERE { ?service ?from ?o }",
        "PREFIX service: <http://e/> SELECT * WHERE { ?s service:from ?o }",
        "SELECT * WHERE { ?s <http://e/SERVICE> ?o }",
    ],
)
def test_the_words_alone_are_not_refused(text: str) -> None:
    store, graph = _data()
    for source in (store, graph):
        run_sparql(source, text)


def test_every_shipped_query_passes_the_check() -> None:
    for query in load_queries().values():
        assert check(query.text).form in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
        assert nesting(query.text) <= 10


def test_a_named_query_runs_on_both_engines_with_any_value() -> None:
    store, graph = _data()
    value = 'x" } SERVICE <http://127.0.0.1:9/> { ?a ?b ?c } #\\u0022'
    for source in (store, graph):
        assert run_named(source, "symptoms-of", {"condition": value}).rows == ()


def test_escapes_are_expanded_before_any_engine_reads_the_text() -> None:
    """SPARQL 1.1 §19.2: both engines read \\u escapes as the parser did, everywhere."""
    store, graph = _data()
    text = "SELECT ?o WHERE { ?s <http://example.org/\\u0070> ?o } ORDER BY ?o"
    for source in (store, graph):
        assert run_sparql(source, text).rows == (("value 0",), ("value 1",))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "updates are not allowed"),
        ("LOAD <http://127.0.0.1:9/x.ttl>", "updates are not allowed"),
        ("CLEAR ALL", "updates are not allowed"),
        ("SELECT * WHERE { ?s ?p ", "SPARQL syntax error at line 1"),
        ("SELECT * WHERE { ?s a:b ?o }", "invalid SPARQL query"),
        ("SELECT * WHERE { ?s ?p '\\U00110000' }", "SPARQL syntax error"),
    ],
)
def test_updates_and_mistakes_are_told_apart(text: str, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        check(text)


# --- nesting ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("opening", "closing"),
    [("{", "}"), ("{ FILTER(", ") }"), ("{ ?s ?p [ ?p ", " ] }"), ("{ ?s ?p ( ", " ) }")],
)
def test_deep_nesting_is_refused_before_any_parser(opening: str, closing: str) -> None:
    deep = "SELECT * WHERE " + opening * 3000 + "1" + closing * 3000
    store, graph = _data()
    for source in (store, graph):
        with pytest.raises(QueryRefused, match=f"the limit is {MAX_NESTING}"):
            run_sparql(source, deep)


def test_nesting_counts_code_not_strings_comments_or_iris() -> None:
    assert nesting('SELECT * WHERE { FILTER(?x = "((((((") }') == 2
    assert nesting("SELECT * WHERE { ?s <http://e/(((> ?o } # {{{{{{") == 1
    assert nesting("# {{{{\r{ {") == 2  # a comment ends at a carriage return too
    assert nesting("{ '''}}}\n}}}''' {") == 2
    assert nesting("{" * 40 + "}" * 40) == 40


def test_medkg_sparql_refuses_deep_nesting_instead_of_crashing(
    seed_built: BuildResult, tmp_path: Path
) -> None:
    """It used to die of a segmentation fault in Oxigraph's parser (exit 139)."""
    write_store(seed_built.dataset, tmp_path)
    deep = "SELECT * WHERE " + "{" * 5000 + "}" * 5000
    result = subprocess.run(
        [str(MEDKG), "sparql", deep, "--build-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1, result.stderr
    assert f"the limit is {MAX_NESTING}" in result.stderr
    assert "Traceback" not in result.stderr
