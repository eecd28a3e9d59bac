"""The endpoint over a real socket: SPARQL 1.1 Protocol with a real client (SPARQLWrapper),
linked-data cards, and every safety limit."""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF
from SPARQLWrapper import CSV, JSON, TSV, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed, SPARQLWrapperException

from medkg.build import BuildResult, build
from medkg.executor import Limits
from medkg.server import create_server, negotiate
from medkg.store import open_store, write_store
from medkg.vocab import CONCEPT, MEDKG

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "articles" / "conditions" / "bone-metastasis.txt"
BM, BONE_PAIN = CONCEPT["bone-metastasis"], CONCEPT["bone-pain"]
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


class Running:
    """A server serving in a thread, and a way to talk to it."""

    def __init__(self, server: ThreadingHTTPServer) -> None:
        self.server = server
        self.port = server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=server.serve_forever, daemon=True)
        self.thread.start()

    def request(
        self,
        method: str,
        path: str,
        body: bytes | str | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, str], bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()

    def get(self, path: str, accept: str | None = None) -> tuple[int, dict[str, str], bytes]:
        return self.request("GET", path, headers={"Accept": accept} if accept else {})

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.server.service.executor.close()  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def build_dir(seed_built: BuildResult, tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("served")
    write_store(seed_built.dataset, directory)
    return directory


@pytest.fixture(scope="module")
def served(build_dir: Path) -> Iterator[Running]:
    running = Running(create_server(build_dir, port=0, limits=Limits(timeout=20)))
    yield running
    running.stop()


def _quads(build_dir: Path) -> int:
    return len(open_store(build_dir))


def sparql(served: Running, fmt: str, query: str, method: str = "GET") -> SPARQLWrapper:
    client = SPARQLWrapper(f"{served.url}/sparql")
    client.setQuery(query)
    client.setReturnFormat(fmt)
    client.setMethod(method)
    return client


SYMPTOMS = f"""
PREFIX medkg: <{MEDKG}>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?symptom WHERE {{ <{BM}> medkg:hasSymptom ?s . ?s skos:prefLabel ?symptom }}
ORDER BY ?symptom
"""


# --- SPARQL 1.1 Protocol with a real client -----------------------------------------------


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_select_in_json_with_sparqlwrapper(served: Running, method: str) -> None:
    answer = sparql(served, JSON, SYMPTOMS, method).queryAndConvert()
    symptoms = [b["symptom"]["value"] for b in answer["results"]["bindings"]]  # type: ignore[index]
    assert "bone pain" in symptoms and "fatigue" in symptoms
    assert symptoms == sorted(symptoms)


def test_medkgs_prefixes_need_no_declaration(served: Running) -> None:
    undeclared = "SELECT ?s WHERE { concept:bone-metastasis medkg:hasSymptom/skos:prefLabel ?s }"
    answer = sparql(served, JSON, undeclared).queryAndConvert()
    assert "bone pain" in {b["s"]["value"] for b in answer["results"]["bindings"]}  # type: ignore[index]


def test_select_in_xml_csv_and_tsv(served: Running) -> None:
    xml = sparql(served, XML, SYMPTOMS).queryAndConvert()
    literals = [node.firstChild.data for node in xml.getElementsByTagName("literal")]  # type: ignore[union-attr]
    assert "bone pain" in literals
    csv_text = sparql(served, CSV, SYMPTOMS).queryAndConvert().decode()  # type: ignore[union-attr]
    assert csv_text.splitlines()[0] == "symptom" and "bone pain" in csv_text.splitlines()
    tsv_text = sparql(served, TSV, SYMPTOMS).queryAndConvert().decode()  # type: ignore[union-attr]
    assert tsv_text.splitlines()[0] == "?symptom" and '"bone pain"@en' in tsv_text.splitlines()
    assert len(literals) == len(csv_text.splitlines()) - 1 == len(tsv_text.splitlines()) - 1


def test_ask_in_json_and_xml(served: Running) -> None:
    yes = f"ASK {{ <{BM}> <{MEDKG.hasSymptom}> <{BONE_PAIN}> }}"
    no = f"ASK {{ <{BONE_PAIN}> <{MEDKG.hasSymptom}> <{BM}> }}"
    assert sparql(served, JSON, yes).queryAndConvert()["boolean"] is True  # type: ignore[index]
    assert sparql(served, JSON, no).queryAndConvert()["boolean"] is False  # type: ignore[index]
    xml = sparql(served, XML, yes).queryAndConvert()
    assert xml.getElementsByTagName("boolean")[0].firstChild.data == "true"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
    ],
)
def test_construct_in_every_rdf_format(
    served: Running, seed_graph: Graph, accept: str, rdflib_format: str
) -> None:
    query = f"CONSTRUCT {{ <{BM}> ?p ?o }} WHERE {{ <{BM}> ?p ?o }}"
    status, headers, body = served.request(
        "POST",
        "/sparql",
        query,
        {"Content-Type": "application/sparql-query", "Accept": accept},
    )
    assert status == 200 and headers["Content-Type"].startswith(accept)
    answer = Graph().parse(data=body, format=rdflib_format)
    expected = Graph()
    for triple in seed_graph.triples((BM, None, None)):
        expected.add(triple)
    assert isomorphic(answer, expected)


def test_construct_with_sparqlwrapper_gives_a_graph(served: Running) -> None:
    client = SPARQLWrapper(f"{served.url}/sparql")
    client.setQuery(
        f"CONSTRUCT {{ <{BM}> <{MEDKG.hasSymptom}> ?o }} WHERE {{ <{BM}> <{MEDKG.hasSymptom}> ?o }}"
    )
    graph = client.queryAndConvert()
    assert isinstance(graph, Graph) and (BM, MEDKG.hasSymptom, BONE_PAIN) in graph


def test_get_and_both_posts_give_the_same_answer(served: Running) -> None:
    accept = {"Accept": "application/sparql-results+json"}
    by_get = served.get("/sparql?" + urllib.parse.urlencode({"query": SYMPTOMS}), accept["Accept"])
    form = served.request(
        "POST",
        "/sparql",
        urllib.parse.urlencode({"query": SYMPTOMS}),
        {"Content-Type": "application/x-www-form-urlencoded", **accept},
    )
    direct = served.request(
        "POST", "/sparql", SYMPTOMS, {"Content-Type": "application/sparql-query", **accept}
    )
    assert by_get[0] == form[0] == direct[0] == 200
    assert json.loads(by_get[2]) == json.loads(form[2]) == json.loads(direct[2])


def test_service_description_at_the_endpoint(served: Running) -> None:
    status, _, body = served.get("/sparql", "text/turtle")
    assert status == 200
    graph = Graph().parse(data=body, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    service = URIRef(f"{served.url}/sparql")
    assert (service, RDF.type, URIRef(sd + "Service")) in graph
    assert (service, URIRef(sd + "feature"), URIRef(sd + "UnionDefaultGraph")) in graph


# --- named queries ------------------------------------------------------------------------


def test_named_queries_are_listed_and_run(served: Running) -> None:
    status, _, body = served.get("/queries", "application/json")
    listing = {q["name"]: q for q in json.loads(body)}
    assert status == 200 and "symptoms-of" in listing
    assert listing["symptoms-of"]["params"][0]["name"] == "condition"
    status, _, body = served.get(
        "/queries/symptoms-of?condition=Bone%20Metastasis", "application/sparql-results+json"
    )
    symptoms = {b["symptom"]["value"] for b in json.loads(body)["results"]["bindings"]}
    assert status == 200 and {"bone pain", "fatigue"} <= symptoms


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/queries/no-such-query", 404),
        ("/queries/..%2F..%2Fetc%2Fpasswd", 404),
        ("/queries/../pyproject.toml", 404),
        ("/queries/symptoms-of", 400),  # missing parameter
        ("/queries/symptoms-of?condition=a&colour=b", 400),  # unknown parameter
        ("/queries/symptoms-of?condition=a&condition=b", 400),
    ],
)
def test_named_query_mistakes_are_clear_4xx(served: Running, path: str, status: int) -> None:
    got, headers, body = served.get(path)
    assert got == status
    assert headers["Content-Type"].startswith("text/plain") and len(body.splitlines()) == 1


# --- linked data --------------------------------------------------------------------------


def test_concept_card_for_browsers_with_evidence(served: Running) -> None:
    status, headers, body = served.get("/concept/bone-pain", "text/html,*/*;q=0.8")
    page = body.decode()
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "<h1>bone pain</h1>" in page
    assert "HP:0002653" in page  # its HPO code
    assert "Bone pain is often the first symptom of bone metastasis" in page
    assert 'href="/concept/bone-metastasis"' in page


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [("text/turtle", "turtle"), ("application/ld+json", "json-ld"), ("*/*", "turtle")],
)
def test_concept_for_rdf_clients(served: Running, accept: str, rdflib_format: str) -> None:
    status, _, body = served.get("/concept/bone-pain", accept)
    graph = Graph().parse(data=body, format=rdflib_format)
    assert status == 200
    assert (BM, MEDKG.hasSymptom, BONE_PAIN) in graph
    sentences = {str(s) for s in graph.objects(None, MEDKG.sentence)}
    assert any("Bone pain is often the first symptom" in s for s in sentences)


def test_article_and_statement_iris_dereference(served: Running, seed_graph: Graph) -> None:
    status, _, body = served.get("/article/bone-metastasis", "text/html")
    assert status == 200 and "<h1>Bone Metastasis</h1>" in body.decode()
    assert "Bone pain is often the first symptom" in body.decode()
    statement = next(iter(seed_graph.subjects(RDF.type, MEDKG.Statement)))
    path = "/" + str(statement).removeprefix("https://w3id.org/medkg/")
    status, _, body = served.get(path, "text/turtle")
    graph = Graph().parse(data=body, format="turtle")
    assert status == 200 and (statement, RDF.type, MEDKG.Statement) in graph


def test_ontology_is_served(served: Running) -> None:
    status, _, body = served.get("/ontology", "text/turtle")
    graph = Graph().parse(data=body, format="turtle")
    assert status == 200 and (MEDKG.hasSymptom, RDF.type, OWL.ObjectProperty) in graph


def test_labels_are_escaped_in_pages(tmp_path: Path) -> None:
    article = tmp_path / "articles" / "conditions" / "x.txt"
    article.parent.mkdir(parents=True)
    text = SEED.read_text(encoding="utf-8").replace(
        "Bone pain is often the first symptom", "Bone pain <script>alert(1)</script> is often"
    )
    article.write_text(text, encoding="utf-8")
    result = build([tmp_path / "articles"], tmp_path / "build")
    assert result.ok
    running = Running(create_server(tmp_path / "build", port=0))
    try:
        _, _, body = running.get("/concept/bone-pain", "text/html")
    finally:
        running.stop()
    assert "<script>alert(1)</script>" not in body.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body.decode()


# --- bad input: clear 4xx -----------------------------------------------------------------


def _post(
    served: Running, body: str | bytes, content_type: str
) -> tuple[int, dict[str, str], bytes]:
    return served.request("POST", "/sparql", body, {"Content-Type": content_type})


@pytest.mark.parametrize(
    ("request_args", "status", "reason"),
    [
        (("GET", "/sparql?query=SELEC"), 400, "not a SPARQL query"),
        (("GET", "/sparql?query=SELECT%20*%20WHERE%20%7B"), 400, "query rejected"),
        (("GET", "/sparql?query=ASK%7B%7D&default-graph-uri=http://x/"), 400, "default-graph-uri"),
        (("GET", "/sparql?query=ASK%7B%7D&named-graph-uri=http://x/"), 400, "named-graph-uri"),
        (("GET", "/concept/no-such-thing"), 404, "nothing is known"),
        (("GET", "/elsewhere"), 404, "nothing at /elsewhere"),
        (("GET", "/static/../../pyproject.toml"), 404, "no asset"),
        (("PUT", "/sparql"), 405, "read-only"),
        (("DELETE", "/concept/bone-pain"), 405, "read-only"),
        (("POST", "/concept/bone-pain"), 405, "only accepted at /sparql"),
    ],
)
def test_client_mistakes_get_one_line_4xx(
    served: Running, request_args: tuple[str, str], status: int, reason: str
) -> None:
    got, _, body = served.request(*request_args)
    assert got == status
    assert reason in body.decode() and len(body.decode().strip().splitlines()) == 1
    assert "Traceback" not in body.decode()


def test_unsupported_accept_is_406(served: Running) -> None:
    assert served.get("/sparql?query=" + urllib.parse.quote(SYMPTOMS), "image/png")[0] == 406
    assert served.get("/concept/bone-pain", "image/png")[0] == 406
    construct = urllib.parse.quote("CONSTRUCT WHERE { ?s ?p ?o }")
    assert served.get(f"/sparql?query={construct}", "text/csv")[0] == 406


def test_unsupported_content_type_is_415(served: Running) -> None:
    assert _post(served, SYMPTOMS, "text/plain")[0] == 415


def test_oversized_requests_are_413(build_dir: Path) -> None:
    running = Running(
        create_server(build_dir, port=0, limits=Limits(max_query_bytes=200, max_body_bytes=1000))
    )
    try:
        long_query = "ASK { ?s ?p ?o }" + " " * 300
        assert _post(running, long_query, "application/sparql-query")[0] == 413
        assert _post(running, "x" * 5000, "application/sparql-query")[0] == 413
        get = running.get("/sparql?" + urllib.parse.urlencode({"query": long_query}))
        assert get[0] == 413
        assert running.get("/sparql?" + urllib.parse.urlencode({"query": "ASK {}"}))[0] == 200
    finally:
        running.stop()


def test_foreign_host_header_is_refused(served: Running) -> None:
    status, _, body = served.request("GET", "/", headers={"Host": "attacker.example"})
    assert status == 400 and b"unknown Host" in body


def test_cors_is_off_unless_an_origin_is_given(served: Running, build_dir: Path) -> None:
    _, headers, _ = served.get("/queries")
    assert "Access-Control-Allow-Origin" not in headers
    running = Running(create_server(build_dir, port=0, cors_origin="https://lab.example"))
    try:
        _, headers, _ = running.get("/queries")
    finally:
        running.stop()
    assert headers["Access-Control-Allow-Origin"] == "https://lab.example"


# --- read-only, no network ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("update=" + urllib.parse.quote("CLEAR ALL"), "application/x-www-form-urlencoded"),
        ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "application/sparql-update"),
        ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "application/sparql-query"),
        ("LOAD <http://127.0.0.1:9/x.ttl>", "application/sparql-query"),
        ("DROP ALL", "application/sparql-query"),
    ],
)
def test_updates_are_refused_and_the_store_is_untouched(
    served: Running, build_dir: Path, body: str, content_type: str
) -> None:
    before = _quads(build_dir)
    status, _, _ = _post(served, body, content_type)
    assert 400 <= status < 500
    assert _quads(build_dir) == before
    assert served.get("/sparql?query=" + urllib.parse.quote(COUNT))[0] == 200


@pytest.mark.parametrize(
    "template",
    [
        "SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ service <{url}/sparql> {{ ?s ?p ?o }} }}",
        "SELECT * FROM <{url}/data.ttl> WHERE {{ ?s ?p ?o }}",
        "SELECT * FROM NAMED <{url}/data.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE SILENT <{url}/> {{ ?s ?p ?o }} }}",
    ],
)
def test_queries_that_would_fetch_are_refused_and_nothing_is_fetched(
    served: Running, quiet: str, template: str
) -> None:
    status, _, body = served.get("/sparql?query=" + urllib.parse.quote(template.format(url=quiet)))
    assert status in (400, 403) and b"not allowed" in body


# --- deadlines and caps -------------------------------------------------------------------


def test_a_runaway_query_is_stopped_while_others_are_answered(build_dir: Path) -> None:
    running = Running(create_server(build_dir, port=0, limits=Limits(timeout=3, workers=2)))
    executor = running.server.service.executor  # type: ignore[attr-defined]
    pids_before = set(executor.worker_pids())
    runaway: dict[str, object] = {}

    def run_away() -> None:
        started = time.monotonic()
        runaway["status"], _, runaway["body"] = running.get(
            "/sparql?query=" + urllib.parse.quote(RUNAWAY)
        )
        runaway["seconds"] = time.monotonic() - started

    try:
        thread = threading.Thread(target=run_away)
        thread.start()
        time.sleep(0.5)
        started = time.monotonic()
        status, _, body = running.get("/sparql?query=" + urllib.parse.quote(COUNT))
        quick = time.monotonic() - started
        assert status == 200 and json.loads(body)["results"]["bindings"][0]["n"]["value"]
        assert thread.is_alive(), "the runaway query should still be running meanwhile"
        assert quick < 2.5
        thread.join(timeout=30)
        assert runaway["status"] == 503 and b"was stopped" in runaway["body"]  # type: ignore[operator]
        assert 3 <= runaway["seconds"] < 10  # type: ignore[operator]
        stopped = pids_before - set(executor.worker_pids())
        assert len(stopped) == 1
        with pytest.raises(ProcessLookupError):
            os.kill(stopped.pop(), 0)
        assert running.get("/sparql?query=" + urllib.parse.quote(COUNT))[0] == 200
    finally:
        running.stop()


def test_the_row_cap_cuts_and_says_so(build_dir: Path) -> None:
    running = Running(create_server(build_dir, port=0, limits=Limits(max_rows=5)))
    try:
        all_rows = urllib.parse.quote("SELECT * WHERE { ?s ?p ?o }")
        status, headers, body = running.get(f"/sparql?query={all_rows}", "application/json")
        few = urllib.parse.quote("SELECT * WHERE { ?s ?p ?o } LIMIT 3")
        _, few_headers, _ = running.get(f"/sparql?query={few}", "application/json")
    finally:
        running.stop()
    assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 5
    assert headers["Medkg-Truncated"].startswith("answer cut at 5 rows (limits: 5 rows,")
    assert "Medkg-Truncated" not in few_headers and few_headers["Medkg-Rows"] == "3"


@pytest.mark.parametrize(
    ("accept", "query"),
    [
        ("application/sparql-results+json", "SELECT * WHERE { ?s ?p ?o }"),
        ("text/tab-separated-values", "SELECT * WHERE { ?s ?p ?o }"),
        ("text/html", "SELECT * WHERE { ?s ?p ?o }"),
        ("text/turtle", "CONSTRUCT WHERE { ?s ?p ?o }"),
    ],
)
def test_the_byte_cap_cuts_every_format_and_says_so(
    build_dir: Path, accept: str, query: str
) -> None:
    """Rows were capped but bytes were not: one GET returned 178 MB of JSON, and an HTML page
    of 355 MB took the server to 3.2 GB."""
    cap = 20_000
    running = Running(create_server(build_dir, port=0, limits=Limits(max_answer_bytes=cap)))
    try:
        status, headers, body = running.get("/sparql?query=" + urllib.parse.quote(query), accept)
    finally:
        running.stop()
    assert status == 200
    assert len(body) <= cap
    rows = int(headers["Medkg-Rows"])
    assert 10 < rows < _quads(build_dir)
    assert headers["Medkg-Truncated"] == (
        f"answer cut at {rows} rows (limits: 10000 rows, {cap} bytes)"
    )
    if accept == "application/sparql-results+json":
        assert len(json.loads(body)["results"]["bindings"]) == rows
    elif accept == "text/turtle":
        assert len(Graph().parse(data=body, format="turtle")) == rows
    elif accept == "text/html":
        assert body.count(b"<tr>") == rows + 1  # and the header row


def test_a_build_while_serving_swaps_the_graph_in_whole(tmp_path: Path) -> None:
    articles = tmp_path / "articles" / "conditions"
    articles.mkdir(parents=True)
    shutil.copy(SEED, articles / SEED.name)
    out = tmp_path / "build"
    build([articles], out)
    running = Running(create_server(out, port=0))
    counts: list[int] = []
    stop = threading.Event()

    def keep_asking() -> None:
        while not stop.is_set():
            status, _, body = running.get("/sparql?query=" + urllib.parse.quote(COUNT))
            assert status == 200
            counts.append(int(json.loads(body)["results"]["bindings"][0]["n"]["value"]))

    try:
        before = int(
            json.loads(running.get("/sparql?query=" + urllib.parse.quote(COUNT))[2])["results"][
                "bindings"
            ][0]["n"]["value"]
        )
        text = SEED.read_text(encoding="utf-8")
        text = text.replace("fatigue, and limited mobility", "fatigue, and nausea")
        assert "nausea" in text
        (articles / SEED.name).write_text(text, encoding="utf-8")
        asker = threading.Thread(target=keep_asking)
        asker.start()
        build([articles], out)
        time.sleep(0.5)
        stop.set()
        asker.join()
        after = int(
            json.loads(running.get("/sparql?query=" + urllib.parse.quote(COUNT))[2])["results"][
                "bindings"
            ][0]["n"]["value"]
        )
    finally:
        running.stop()
    assert after != before
    assert set(counts) <= {before, after} and after in counts


# --- content negotiation and fuzzing ------------------------------------------------------


def test_negotiation_follows_quality_and_specificity() -> None:
    offered = ("application/sparql-results+json", "text/csv")
    assert negotiate(None, offered) == "application/sparql-results+json"
    assert negotiate("text/csv", offered) == "text/csv"
    assert negotiate("text/*;q=0.9, application/json;q=0.5", offered) == "text/csv"
    assert negotiate("application/json", offered) == "application/sparql-results+json"
    assert negotiate("image/png", offered) is None
    assert negotiate("text/csv;q=0", offered) is None


_texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=200)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    query=st.one_of(
        _texts,
        st.sampled_from(["SELECT", "ASK {", "CONSTRUCT", "DESCRIBE <", "PREFIX x: <y> SELECT"]).map(
            lambda head: head + " * WHERE { ?s ?p ?o }"
        ),
    ),
    accept=st.sampled_from(["", "*/*", "text/csv", "application/ld+json", "x/y", "text/html"]),
    name=st.sampled_from(["symptoms-of", "relation-counts", "nope", "..", "%00"]),
    params=st.dictionaries(_texts, _texts, max_size=3),
)
def test_the_server_never_answers_500_to_a_client(
    served: Running, query: str, accept: str, name: str, params: dict[str, str]
) -> None:
    headers = {"Accept": accept} if accept else {}
    answers = [
        served.request("GET", "/sparql?" + urllib.parse.urlencode({"query": query}), None, headers),
        served.request(
            "POST",
            "/sparql",
            query.encode("utf-8"),
            {"Content-Type": "application/sparql-query", **headers},
        ),
        served.request(
            "GET",
            f"/queries/{urllib.parse.quote(name)}?{urllib.parse.urlencode(params)}",
            None,
            headers,
        ),
    ]
    for status, _, body in answers:
        assert status < 500, body


def test_sparqlwrapper_reports_a_bad_query_as_bad_formed(served: Running) -> None:
    with pytest.raises((QueryBadFormed, SPARQLWrapperException)):
        sparql(served, JSON, "SELECT * WHERE {").queryAndConvert()


def test_literal_values_keep_their_language(served: Running) -> None:
    query = (
        f"SELECT ?l WHERE {{ <{BONE_PAIN}> <http://www.w3.org/2004/02/skos/core#prefLabel> ?l }}"
    )
    answer = sparql(served, JSON, query).queryAndConvert()
    term = answer["results"]["bindings"][0]["l"]  # type: ignore[index]
    assert term == {"type": "literal", "value": "bone pain", "xml:lang": "en"}


# --- medkg serve, the command ----------------------------------------------------------------

CLF = re.compile(
    r"(?P<host>[\d.]+) - - \[\d{2}/[A-Z][a-z]{2}/\d{4}:\d{2}:\d{2}:\d{2} \+0000\] "
    r'"(?P<request>[^"]*)" (?P<status>\d{3}) (?P<bytes>\d+|-)'
)


def test_serve_keeps_an_access_log_in_the_common_log_format(
    build_dir: Path, tmp_path: Path
) -> None:
    log = tmp_path / "access.log"
    medkg = Path(sys.executable).with_name("medkg")
    server = subprocess.Popen(
        [
            str(medkg),
            "serve",
            "--port",
            "0",
            "--access-log",
            str(log),
            "--build-dir",
            str(build_dir),
        ],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert server.stdout is not None
        first = server.stdout.readline()
        port = int(re.search(r"http://127\.0\.0\.1:(\d+)/", first).group(1))  # type: ignore[union-attr]
        client = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        client.request("GET", "/sparql?query=" + urllib.parse.quote("ASK { ?s ?p ?o }"))
        answer = client.getresponse().read()
        client.request("GET", "/nowhere")
        client.getresponse().read()
        client.close()
        with socket.create_connection(("127.0.0.1", port), timeout=30) as raw:  # a quote in it
            raw.sendall(f'GET /a"b HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n'.encode())
            raw.recv(65536)
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)
    lines = log.read_text().splitlines()
    assert len(lines) == 3
    entries = [CLF.fullmatch(line) for line in lines]
    assert all(entries), lines
    asked, missing, quoted = (e.groupdict() for e in entries if e)
    assert asked["host"] == "127.0.0.1"
    assert asked["request"].startswith("GET /sparql?query=ASK") and asked["status"] == "200"
    assert int(asked["bytes"]) == len(answer)
    assert missing["status"] == "404"
    assert quoted["request"] == "GET /a\\x22b HTTP/1.1"  # the client's quote cannot end the field
