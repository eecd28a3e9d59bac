"""Clients that cannot starve the endpoint: silent and slow connections are dropped, their number
is bounded, and a body cut short never runs. Real sockets on loopback against a real server."""

from __future__ import annotations

import socket
import threading
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from test_server import RUNAWAY, Running

from medkg.build import BuildResult
from medkg.executor import Limits
from medkg.server import create_server
from medkg.store import write_store

LIMITS = Limits(timeout=20, idle_timeout=1.0, max_connections=4)


@pytest.fixture(scope="module")
def build_dir(seed_built: BuildResult, tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("connections")
    write_store(seed_built.dataset, directory)
    return directory


@pytest.fixture(scope="module")
def served(build_dir: Path) -> Iterator[Running]:
    running = Running(create_server(build_dir, port=0, limits=LIMITS))
    yield running
    running.stop()


@pytest.fixture
def patient(build_dir: Path) -> Iterator[Running]:
    """The same limits, but connections may stay silent for a minute: the held ones last."""
    limits = Limits(timeout=20, idle_timeout=60, max_connections=LIMITS.max_connections)
    running = Running(create_server(build_dir, port=0, limits=limits))
    yield running
    running.stop()


def _connect(served: Running) -> socket.socket:
    return socket.create_connection(("127.0.0.1", served.port), timeout=30)


def _answer(connection: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection."""
    received = b""
    while chunk := connection.recv(65536):
        received += chunk
    return received


def _post(served: Running, body: bytes, announced: int) -> bytes:
    return (
        f"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1:{served.port}\r\n"
        "Content-Type: application/sparql-query\r\n"
        f"Content-Length: {announced}\r\n\r\n"
    ).encode() + body


def test_a_silent_connection_is_closed_after_the_idle_timeout(served: Running) -> None:
    with _connect(served) as silent:
        assert _answer(silent) == b""  # closed by the server, nothing said: it asked nothing
    status, _, _ = served.get("/queries", accept="application/json")
    assert status == 200


def test_a_body_shorter_than_its_content_length_is_refused_not_run(served: Running) -> None:
    query = b"SELECT * WHERE { ?s ?p ?o } LIMIT 1"
    with _connect(served) as client:
        client.sendall(_post(served, query, len(query) + 50))
        client.shutdown(socket.SHUT_WR)  # the client stops sending: the body is cut
        answer = _answer(client)
    assert answer.startswith(b"HTTP/1.1 400 ")
    assert f"the body ended after {len(query)} of the {len(query) + 50} bytes".encode() in answer


def test_a_body_that_stops_arriving_times_out_with_408(served: Running) -> None:
    query = b"SELECT * WHERE { ?s ?p ?o } LIMIT 1"
    with _connect(served) as client:
        client.sendall(_post(served, query[:10], len(query)))  # and then nothing more
        answer = _answer(client)
    assert answer.startswith(b"HTTP/1.1 408 ")
    assert b"the body stopped arriving" in answer


def test_connections_beyond_the_limit_get_503_and_threads_stay_bounded(patient: Running) -> None:
    served = patient
    before = threading.active_count()
    held = [_connect(served) for _ in range(LIMITS.max_connections)]
    try:
        # each held connection sends half a request line, so its thread waits on it
        for connection in held:
            connection.sendall(b"GET /queries HTT")
        refused, host = [], f"127.0.0.1:{served.port}"
        for _ in range(20):
            with _connect(served) as extra:
                extra.sendall(f"GET /queries HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
                refused.append(_answer(extra))
        assert all(r.startswith(b"HTTP/1.1 503 ") for r in refused), refused[0][:200]
        assert b"Retry-After: 1" in refused[0]
        assert threading.active_count() <= before + LIMITS.max_connections
    finally:
        for connection in held:
            connection.close()
    # the slots come back: once the held connections are gone, requests are served again
    query = urllib.parse.quote("ASK { ?s ?p ?o }")
    for _ in range(50):
        status, _, _ = served.get(f"/sparql?query={query}")
        if status == 200:
            break
    assert status == 200


def test_slow_queries_cannot_starve_the_named_queries_or_the_concept_cards(
    build_dir: Path,
) -> None:
    """Twelve slow queries from one client made other clients' requests wait 10 s and get 503:
    the named queries now have a lane of workers that ad-hoc queries cannot fill."""
    limits = Limits(timeout=8, workers=2, named_workers=1)
    running = Running(create_server(build_dir, port=0, limits=limits))
    slow = [
        threading.Thread(target=running.get, args=("/sparql?query=" + quote(RUNAWAY),))
        for _ in range(4)  # twice the general pool: two run, two wait
    ]
    try:
        for thread in slow:
            thread.start()
        time.sleep(1)  # the general pool is busy now
        probes = {
            "/queries/symptoms-of?condition=bone%20metastasis": "application/sparql-results+json",
            "/concept/bone-pain": "text/html",
        }
        for _ in range(3):
            for path, accept in probes.items():
                started = time.monotonic()
                status, _, body = running.get(path, accept=accept)
                assert status == 200, body[:300]
                assert time.monotonic() - started < 1.0, path
                assert b"bone pain" in body
        assert all(thread.is_alive() for thread in slow)  # the slow ones were running all along
    finally:
        for thread in slow:
            thread.join(timeout=60)
        running.stop()


def test_a_query_that_needs_too_much_memory_is_stopped_with_503(build_dir: Path) -> None:
    """One ORDER BY over a cross product grew a worker to 6 GB before it was killed."""
    limits = Limits(timeout=120, workers=1, worker_memory_mb=1200)
    running = Running(create_server(build_dir, port=0, limits=limits))
    hungry = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c ?f ?i"
    try:
        status, _, body = running.get("/sparql?query=" + quote(hungry))
        assert status == 503
        assert b"needed more than the 1200 MB of memory a query may use" in body
        status, _, _ = running.get("/sparql?query=" + quote("ASK { ?s ?p ?o }"))
        assert status == 200  # a new worker took its place
    finally:
        running.stop()
