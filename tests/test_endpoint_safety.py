"""The endpoint under hostile requests, over a real socket: no query reaches the network by any
transport, requests a foreign page makes the browser send are refused, the workers are cut off
from the network, and pages carry the headers that keep them from being framed or injected."""

from __future__ import annotations

import http.client
import logging
import os
import socket
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import Canary
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from selenium import webdriver
from test_guard import ATTACKS, from_queries, service_queries
from test_server import Running

from medkg.build import BuildResult
from medkg.executor import Limits
from medkg.server import create_server
from medkg.store import current_store, write_store


@pytest.fixture(scope="module")
def build_dir(seed_built: BuildResult, tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("safety")
    write_store(seed_built.dataset, directory)
    return directory


@pytest.fixture(scope="module")
def served(build_dir: Path) -> Iterator[Running]:
    running = Running(create_server(build_dir, port=0, limits=Limits(timeout=20)))
    yield running
    running.stop()


def _ask(served: Running, transport: str, query: str) -> tuple[int, bytes]:
    """Send ``query`` by one of the protocol's three ways, or from a foreign page."""
    if transport == "get":
        status, _, body = served.get("/sparql?" + urllib.parse.urlencode({"query": query}))
    elif transport == "form":
        form = urllib.parse.urlencode({"query": query})
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        status, _, body = served.request("POST", "/sparql", form, headers)
    elif transport == "direct":
        headers = {"Content-Type": "application/sparql-query"}
        status, _, body = served.request("POST", "/sparql", query.encode(), headers)
    else:  # a page elsewhere, posting the query to the user's local server
        headers = {
            "Content-Type": "application/sparql-query",
            "Origin": "http://evil.example",
            "Sec-Fetch-Site": "cross-site",
        }
        status, _, body = served.request("POST", "/sparql", query.encode(), headers)
    return status, body


TRANSPORTS = ["get", "form", "direct", "foreign"]


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize("template", ATTACKS)
def test_known_bypasses_are_refused_by_every_transport(
    served: Running, quiet: str, transport: str, template: str
) -> None:
    status, body = _ask(served, transport, template.replace("URL", quiet))
    assert status == 403, body
    assert b"not allowed" in body


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_generated_variants_never_reach_the_canary(
    served: Running, quiet: str, transport: str
) -> None:
    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def variants(data: st.DataObject) -> None:
        query = data.draw(st.one_of(service_queries(quiet), from_queries(quiet)))
        status, body = _ask(served, transport, query)
        # refused, a syntax error, or (``?oSERVICE``) some other query; from a foreign page,
        # refused whatever it is
        assert status in ((403,) if transport == "foreign" else (200, 400, 403)), body

    variants()


def test_the_canary_hears_a_worker_that_skips_the_check(canary: Canary, build_dir: Path) -> None:
    """The control for the tests above, and the second wall: a query that got past the check
    would still reach nothing from a worker, while from this process it reaches the canary."""
    store = ox.Store.read_only(str(current_store(build_dir)))
    canary.received.clear()
    query = f"SELECT * WHERE {{ ?s ?p ?o SERVICE SILENT <{canary.url}/control> {{ ?a ?b ?c }} }}"
    list(store.query(query))  # type: ignore[arg-type]
    heard = canary.heard("/control")
    canary.received.clear()  # what follows must be quiet again
    assert heard


def _can_unshare() -> bool:
    probe = (
        "from medkg.executor import isolate_from_network as i; raise SystemExit(0 if i() else 1)"
    )
    return subprocess.run([sys.executable, "-c", probe], timeout=60).returncode == 0


needs_namespaces = pytest.mark.skipif(
    not sys.platform.startswith("linux") or not _can_unshare(),
    reason="this machine allows no network namespace (medkg serve says so on stderr)",
)


@needs_namespaces
def test_an_isolated_process_reaches_nothing(quiet: str) -> None:
    port = urllib.parse.urlsplit(quiet).port
    script = (
        "import socket\n"
        "from medkg.executor import isolate_from_network\n"
        "assert isolate_from_network()\n"
        "try:\n"
        f"    socket.create_connection(('127.0.0.1', {port}), timeout=5)\n"
        "except OSError as error:\n"
        "    print('unreachable:', error)\n"
        "else:\n"
        "    print('connected')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert result.stdout.startswith("unreachable:"), result.stdout + result.stderr


@needs_namespaces
def test_query_workers_run_in_a_network_namespace_of_their_own(served: Running) -> None:
    assert served.get("/sparql?query=" + urllib.parse.quote("ASK { ?s ?p ?o }"))[0] == 200
    executor = served.server.service.executor  # type: ignore[attr-defined]
    ours = os.readlink("/proc/self/ns/net")
    workers = executor.worker_pids()
    assert workers
    assert all(os.readlink(f"/proc/{pid}/ns/net") != ours for pid in workers)


# --- what a foreign page can make the browser send -----------------------------------------

QUERY = "/sparql?query=" + urllib.parse.quote("ASK { ?s ?p ?o }")


@pytest.mark.parametrize(
    ("method", "path", "headers", "status"),
    [
        ("GET", QUERY, {}, 200),  # curl, SPARQLWrapper: no browser headers
        ("GET", QUERY, {"Sec-Fetch-Site": "same-origin"}, 200),  # the query page
        ("GET", QUERY, {"Sec-Fetch-Site": "none"}, 200),  # typed into the address bar
        ("GET", QUERY, {"Origin": "http://evil.example"}, 403),
        ("GET", QUERY, {"Origin": "null"}, 403),  # a sandboxed frame, a file:// page
        ("GET", QUERY, {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "no-cors"}, 403),
        ("GET", QUERY, {"Sec-Fetch-Site": "same-site", "Sec-Fetch-Mode": "cors"}, 403),
        (
            "GET",
            QUERY,
            {
                "Sec-Fetch-Site": "cross-site",
                "Sec-Fetch-Mode": "navigate",
                "Sec-Fetch-Dest": "document",
            },
            403,
        ),
        (
            "GET",
            "/concept/bone-pain",
            {
                "Sec-Fetch-Site": "cross-site",
                "Sec-Fetch-Mode": "navigate",
                "Sec-Fetch-Dest": "document",
            },
            200,
        ),
        (
            "GET",
            "/concept/bone-pain",
            {
                "Sec-Fetch-Site": "cross-site",
                "Sec-Fetch-Mode": "navigate",
                "Sec-Fetch-Dest": "iframe",
            },
            403,
        ),
        ("GET", "/queries/relation-counts", {"Sec-Fetch-Site": "cross-site"}, 403),
        ("POST", "/sparql", {"Origin": "http://evil.example"}, 403),
    ],
)
def test_requests_a_foreign_page_triggers_are_refused(
    served: Running, method: str, path: str, headers: dict[str, str], status: int
) -> None:
    body = "ASK { ?s ?p ?o }" if method == "POST" else None
    sent = {"Content-Type": "application/sparql-query", **headers} if body else headers
    got, _, answer = served.request(method, path, body, sent)
    assert got == status, answer


def test_the_servers_own_origin_may_post(served: Running) -> None:
    headers = {"Content-Type": "application/sparql-query", "Origin": served.url}
    assert served.request("POST", "/sparql", "ASK { ?s ?p ?o }", headers)[0] == 200


def test_the_cors_origin_is_allowed_and_preflighted(build_dir: Path) -> None:
    running = Running(create_server(build_dir, port=0, cors_origin="https://lab.example"))
    try:
        origin = {"Origin": "https://lab.example", "Sec-Fetch-Site": "cross-site"}
        status, headers, _ = running.request(
            "OPTIONS",
            "/sparql",
            headers={**origin, "Access-Control-Request-Method": "POST"},
        )
        assert status == 204
        assert headers["Access-Control-Allow-Origin"] == "https://lab.example"
        assert "POST" in headers["Access-Control-Allow-Methods"]
        post = {**origin, "Content-Type": "application/sparql-query"}
        assert running.request("POST", "/sparql", "ASK { ?s ?p ?o }", post)[0] == 200
        other = {"Origin": "http://evil.example", "Content-Type": "application/sparql-query"}
        assert running.request("POST", "/sparql", "ASK { ?s ?p ?o }", other)[0] == 403
        assert running.request("OPTIONS", "/sparql", headers=other)[0] == 403
    finally:
        running.stop()


# --- headers, links and the small things ----------------------------------------------------


def test_every_answer_forbids_framing_and_foreign_code(served: Running) -> None:
    for path in ("/", "/concept/bone-pain", "/queries", "/nothing-here", QUERY):
        _, headers, _ = served.get(path, "text/html")
        assert headers["X-Frame-Options"] == "DENY"
        policy = headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in policy and "default-src 'none'" in policy
        assert "script-src 'self';" in policy and "unsafe-inline" not in policy


def test_the_view_allows_its_own_inline_code_by_hash_only(served: Running) -> None:
    status, headers, body = served.get("/view/bone-pain")
    assert status == 200
    policy = headers["Content-Security-Policy"]
    assert policy.count("'sha256-") == 2 and "unsafe-inline" not in policy
    assert b"<script>" in body


def test_pages_show_a_csp_clean_console(served: Running, browser: webdriver.Chrome) -> None:
    """The query page, a card and a view under their policies, in chromium: nothing blocked."""
    browser.get_log("browser")  # drop what earlier tests left
    for path in ("/", "/concept/bone-pain", "/view/bone-pain"):
        browser.get(served.url + path)
        time.sleep(0.5)
    blocked = [
        e["message"] for e in browser.get_log("browser") if "Content Security" in e["message"]
    ]
    assert blocked == []
    assert browser.execute_script("return document.body.dataset.ready") == "true"


@pytest.mark.parametrize(
    "iri", ["javascript:alert(1)", "JavaScript:alert(document.domain)", "data:text/html,x"]
)
def test_iris_of_other_schemes_are_shown_not_linked(served: Running, iri: str) -> None:
    query = f"SELECT ?x WHERE {{ VALUES ?x {{ <{iri}> }} }}"
    status, _, body = served.get("/sparql?query=" + urllib.parse.quote(query), "text/html")
    page = body.decode()
    assert status == 200 and "href" in page  # the navigation links are there
    assert 'href="' + iri not in page and 'href="javascript' not in page.lower()


@pytest.mark.parametrize("depth", ["²", "٣", "1e1", "-1", "9" * 400])
def test_view_depth_must_be_ascii_digits(served: Running, depth: str) -> None:
    status, _, body = served.get("/view/bone-pain?depth=" + urllib.parse.quote(depth))
    assert status == 400 and b"depth must be" in body


def test_a_duplicate_host_header_is_refused(served: Running) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=30)
    try:
        connection.putrequest("GET", "/queries", skip_host=True)
        connection.putheader("Host", f"127.0.0.1:{served.port}")
        connection.putheader("Host", "attacker.example")
        connection.endheaders()
        response = connection.getresponse()
        assert response.status == 400 and b"exactly one Host" in response.read()
    finally:
        connection.close()


@pytest.mark.parametrize("method", ["TRACE", "CONNECT", "PUT", "DELETE", "PATCH", "OPTIONS"])
def test_methods_that_are_not_read_only_are_405(served: Running, method: str) -> None:
    status, headers, _ = served.request(method, "/sparql")
    assert status == 405 and headers["Allow"] == "GET, HEAD, POST"


def test_a_request_line_cannot_forge_log_lines(
    served: Running, caplog: pytest.LogCaptureFixture
) -> None:
    """The request line is logged escaped: an ESC or a newline in it reaches no terminal."""
    with caplog.at_level(logging.INFO, logger="medkg.server"):
        with socket.create_connection(("127.0.0.1", served.port), timeout=30) as client:
            client.sendall(
                b"GET /nothing\x1b[31mhere HTTP/1.1\r\n"
                + f"Host: 127.0.0.1:{served.port}\r\nConnection: close\r\n\r\n".encode()
            )
            assert client.recv(100).startswith(b"HTTP/1.1 404")
        time.sleep(0.2)
    logged = [record.getMessage() for record in caplog.records if "nothing" in record.getMessage()]
    assert logged and all("\x1b" not in line and "\\x1b[31m" in line for line in logged)
