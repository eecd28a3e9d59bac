"""``medkg serve``: a read-only SPARQL 1.1 Protocol endpoint, named queries and concept cards.

Routes (all read-only; anything but GET, HEAD and POST is 405):

- ``/`` the query page; ``/static/NAME`` its shipped assets (no CDN: it works offline);
- ``/sparql`` the SPARQL 1.1 Protocol endpoint (GET ``?query=``, POST form or
  ``application/sparql-query``); without a query, its service description;
- ``/queries`` the shipped named queries; ``/queries/NAME?param=value`` runs one;
- ``/view/SLUG?depth=N`` the interactive neighbourhood page of a concept (medkg.view);
- ``/ontology`` the ontology; ``/concept/…``, ``/article/…`` and every other minted IRI under
  ``https://w3id.org/medkg/``: an HTML card for browsers, Turtle, N-Triples or JSON-LD for RDF
  clients, chosen by the ``Accept`` header.

Safe by default: bound to 127.0.0.1; every query parsed and checked before an engine sees it,
so that updates, SERVICE, FROM and deep nesting are refused (:mod:`medkg.guard`); every query
runs in a worker process under a deadline and a row cap, cut off from the network (see
:mod:`medkg.executor`); request bodies and queries capped; the ``Host`` header must name this
server, once (no DNS rebinding); requests a foreign web page makes the browser send are
refused (``Origin``, ``Sec-Fetch-Site``), and there is no CORS unless an origin is given; pages
carry a Content-Security-Policy and may not be framed; errors are one short line.
"""

from __future__ import annotations

import json
import logging
import re
import socket
import threading
import urllib.parse
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html import escape
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from medkg import cards, results, traverse
from medkg import view as viewer
from medkg.executor import (
    Executor,
    Limits,
    QueryRejected,
    QueryTimeout,
    Request,
    WorkerFailed,
)
from medkg.guard import QueryError, QueryRefused, expand
from medkg.queries import NamedQuery, load_queries, query_form
from medkg.resources import ONTOLOGY_DIR
from medkg.store import StoreError, current_store
from medkg.terminal import printable
from medkg.vocab import BASE, PREFIXES

log = logging.getLogger("medkg.server")
access_log = logging.getLogger("medkg.access")  # one Common Log Format line per request

SD = "http://www.w3.org/ns/sparql-service-description#"
_FORMATS_NS = "http://www.w3.org/ns/formats/"
_ASSETS = {"query.js": "text/javascript", "style.css": "text/css", "query.html": "text/html"}
_SAFE_SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")
_DIGITS = re.compile(r"[0-9]{1,3}")  # ASCII digits: str.isdigit also takes "²"
# routes that run a client's query: a foreign page may not even navigate to them
_QUERY_ROUTES = ("/sparql", "/queries/")
# what a page may load: only this server's own files; never framed
_CSP = (
    "default-src 'none'; script-src 'self'{script}; style-src 'self'{style}; img-src 'self'; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
_SLUG_PATH = re.compile(r"/(concept|article|graph|release)/[A-Za-z0-9._~%/-]+")


class ClientError(Exception):
    """A request the server refuses; the message is the one line the client reads."""

    def __init__(self, status: HTTPStatus, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.headers = headers or {}


@dataclass
class Service:
    """What every request handler shares: the build, the workers and the settings."""

    build_dir: Path
    limits: Limits
    executor: Executor
    allowed_hosts: frozenset[str]
    cors_origin: str | None = None
    # the shipped queries, read once: they are the package's, and reading all 18 files for
    # every request made a named query cost three times the same query sent to /sparql
    queries: dict[str, NamedQuery] = field(default_factory=load_queries, repr=False)
    _opened: tuple[Path, ox.Store] | None = field(default=None, repr=False)

    def store(self) -> tuple[Path, ox.Store]:
        """The current store, reopened when a build has swapped in a new one."""
        try:
            directory = current_store(self.build_dir)
        except StoreError as error:
            raise ClientError(HTTPStatus.SERVICE_UNAVAILABLE, str(error)) from error
        opened = self._opened
        if opened is None or opened[0] != directory:
            opened = (directory, ox.Store.read_only(str(directory)))
            self._opened = opened
        return opened


def create_server(
    build_dir: Path,
    host: str = "127.0.0.1",
    port: int = 7878,
    limits: Limits | None = None,
    cors_origin: str | None = None,
    allowed_hosts: tuple[str, ...] = (),
) -> ThreadingHTTPServer:
    """The endpoint over the store in ``build_dir``, bound but not yet serving.

    Call ``serve_forever()`` on the result, and ``server_close()`` and
    ``server.service.executor.close()`` when done (``medkg serve`` does both).

    Example:
        >>> server = create_server(Path("data/build"), port=0)  # doctest: +SKIP
        >>> threading.Thread(target=server.serve_forever, daemon=True).start()  # doctest: +SKIP
    """
    limits = limits or Limits()
    current_store(build_dir)  # fail now, not at the first request, when nothing is built
    server = BoundedServer((host, port), Handler, limits.max_connections)
    bound_port = server.server_address[1]
    names = {host, "localhost", "127.0.0.1", "[::1]", *allowed_hosts}
    hosts = frozenset({*names, *(f"{name}:{bound_port}" for name in names)})
    server.service = Service(  # type: ignore[attr-defined]
        build_dir=build_dir,
        limits=limits,
        executor=Executor(
            limits.workers, limits.timeout, limits.named_workers, limits.worker_memory_mb
        ),
        allowed_hosts=hosts,
        cors_origin=cors_origin,
    )
    return server


class BoundedServer(ThreadingHTTPServer):
    """A thread per connection, at most ``max_connections`` of them: a connection beyond that
    is answered 503 at once and closed, so that silent or slow clients cannot pile up threads
    (500 open sockets held 504 threads, for ever). Each connection's reads time out after
    ``Limits.idle_timeout`` (:meth:`Handler.setup`)."""

    daemon_threads = True

    def __init__(
        self, address: tuple[str, int], handler: type[Handler], max_connections: int
    ) -> None:
        super().__init__(address, handler)
        self._slots = threading.BoundedSemaphore(max_connections)

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self._slots.acquire(blocking=False):
            self._refuse(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def _refuse(self, request: socket.socket) -> None:
        message = b"503 Service Unavailable: too many connections; try again shortly\n"
        head = (
            "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
            f"Content-Length: {len(message)}\r\nRetry-After: 1\r\nConnection: close\r\n\r\n"
        )
        try:
            request.settimeout(1)
            request.sendall(head.encode() + message)
        except OSError:
            pass
        finally:
            self.shutdown_request(request)


def negotiate(accept: str | None, offered: tuple[str, ...]) -> str | None:
    """The offered media type the ``Accept`` header prefers (the first offered one for none).

    >>> negotiate("text/html;q=0.9, text/turtle", ("text/html", "text/turtle"))
    'text/turtle'
    """
    if not accept or not accept.strip():
        return offered[0]
    best: tuple[float, float, str] | None = None
    for position, item in enumerate(accept.split(",")):
        kind, *params = (part.strip() for part in item.split(";"))
        kind = kind.lower()
        alias = results.ALIASES.get(kind)
        quality = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality <= 0:
            continue
        for rank, media_type in enumerate(offered):
            major = media_type.split("/")[0]
            if media_type in (kind, alias) or kind in ("*/*", f"{major}/*"):
                # exact types beat wildcards; then quality; then the server's order
                specificity = 2 if media_type in (kind, alias) else 0 if kind == "*/*" else 1
                candidate = (quality + specificity / 10, -rank - position / 1000, media_type)
                if best is None or candidate[:2] > best[:2]:
                    best = candidate
    return best[2] if best else None


class Handler(BaseHTTPRequestHandler):
    server_version = "medkg"
    sys_version = ""
    protocol_version = "HTTP/1.1"
    _body_bytes: int | str = "-"  # the size of the answer being sent, for the access log

    @property
    def service(self) -> Service:
        return self.server.service  # type: ignore[attr-defined, no-any-return]

    def setup(self) -> None:
        super().setup()
        # every read of this connection waits at most this long: a silent client is dropped
        self.connection.settimeout(self.service.limits.idle_timeout)

    # --- dispatch ------------------------------------------------------------------------

    def do_GET(self) -> None:
        self._handle("GET")

    def do_HEAD(self) -> None:
        self._handle("HEAD")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_OPTIONS(self) -> None:
        self._handle("OPTIONS")

    def _refuse_method(self) -> None:
        self._handle("OTHER")

    do_PUT = do_DELETE = do_PATCH = do_TRACE = do_CONNECT = _refuse_method

    def _handle(self, method: str) -> None:
        try:
            self._check_host()
            url = urllib.parse.urlsplit(self.path)
            path = urllib.parse.unquote(url.path)
            self._check_caller(path)
            if method == "OPTIONS" and self.service.cors_origin:
                self._preflight()
                return
            if method in ("OTHER", "OPTIONS"):
                raise ClientError(
                    HTTPStatus.METHOD_NOT_ALLOWED,
                    f"{self.command} is not allowed: this endpoint is read-only",
                    {"Allow": "GET, HEAD, POST"},
                )
            params = _parse_params(url.query)
            if method == "POST" and path != "/sparql":
                raise ClientError(
                    HTTPStatus.METHOD_NOT_ALLOWED,
                    f"POST is only accepted at /sparql, not at {path}",
                    {"Allow": "GET, HEAD"},
                )
            self._route(method, path, params)
        except ClientError as error:
            self._send_error(error.status, str(error), error.headers)
        except Exception:  # the server's own fault: logged here, one line to the client
            log.exception("error answering %s %s", self.command, self.path)
            self._send_error(HTTPStatus.INTERNAL_SERVER_ERROR, "internal error")

    def _route(self, method: str, path: str, params: dict[str, list[str]]) -> None:
        if path in ("/", "/index.html"):
            self._send_asset("query.html")
        elif path.startswith("/static/"):
            self._send_asset(path.removeprefix("/static/"))
        elif path == "/sparql":
            self._sparql(method, params)
        elif path == "/queries":
            self._list_queries()
        elif path.startswith("/queries/"):
            self._named_query(path.removeprefix("/queries/"), params)
        elif path == "/ontology":
            self._ontology()
        elif path.startswith("/view/"):
            self._view(path.removeprefix("/view/"), params)
        elif _SLUG_PATH.fullmatch(path):
            self._resource(BASE + path.removeprefix("/"))
        else:
            raise ClientError(HTTPStatus.NOT_FOUND, f"nothing at {path}")

    def _check_host(self) -> None:
        hosts = self.headers.get_all("Host") or []
        if len(hosts) != 1:
            raise ClientError(HTTPStatus.BAD_REQUEST, "give exactly one Host header")
        host = hosts[0].strip().lower()
        if host not in self.service.allowed_hosts:
            raise ClientError(
                HTTPStatus.BAD_REQUEST,
                f"unknown Host {host!r}; add it with `medkg serve --allow-host`",
            )

    def _check_caller(self, path: str) -> None:
        """Refuse what a web page of another origin makes the browser send: its requests carry
        an ``Origin`` (fetch, forms) or a ``Sec-Fetch-Site`` (every request of a current
        browser to localhost). Clients that are not browsers send neither. A foreign page may
        still link to a card or a view (a top-level navigation), never to a query."""
        origin = self.headers.get("Origin")
        if origin is not None:
            if origin == self.service.cors_origin or self._own_origin(origin):
                return
            raise ClientError(
                HTTPStatus.FORBIDDEN,
                f"requests from pages at {origin} are not allowed "
                f"(`medkg serve --cors {origin}` allows that origin)",
            )
        site = (self.headers.get("Sec-Fetch-Site") or "none").lower()
        if site in ("same-origin", "none"):
            return
        navigation = (
            self.command in ("GET", "HEAD")
            and (self.headers.get("Sec-Fetch-Mode") or "").lower() == "navigate"
            and (self.headers.get("Sec-Fetch-Dest") or "").lower() == "document"
        )
        if navigation and not path.startswith(_QUERY_ROUTES):
            return
        raise ClientError(HTTPStatus.FORBIDDEN, "requests from other sites' pages are not allowed")

    def _own_origin(self, origin: str) -> bool:
        scheme, _, host = origin.partition("://")
        return scheme == "http" and host.lower() in self.service.allowed_hosts

    def _preflight(self) -> None:
        """The CORS preflight of the allowed origin (``_check_caller`` refused any other)."""
        self._send(
            HTTPStatus.NO_CONTENT,
            "text/plain",
            b"",
            {
                "Access-Control-Allow-Methods": "GET, HEAD, POST",
                "Access-Control-Allow-Headers": "Accept, Content-Type",
                "Access-Control-Max-Age": "600",
            },
        )

    # --- SPARQL protocol -----------------------------------------------------------------

    def _sparql(self, method: str, params: dict[str, list[str]]) -> None:
        if method == "POST":
            params = self._post_params(params)
        if "update" in params:
            raise ClientError(HTTPStatus.FORBIDDEN, "updates are not allowed: read-only endpoint")
        for name in ("default-graph-uri", "named-graph-uri"):
            if name in params:
                raise ClientError(
                    HTTPStatus.BAD_REQUEST,
                    f"{name} is not supported: queries always see the whole graph",
                )
        queries = params.get("query", [])
        if not queries:
            self._service_description()
            return
        if len(queries) > 1:
            raise ClientError(HTTPStatus.BAD_REQUEST, "give exactly one query parameter")
        self._run(queries[0], "SPARQL results")

    def _post_params(self, params: dict[str, list[str]]) -> dict[str, list[str]]:
        content_type = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        body = self._read_body()
        if content_type == "application/x-www-form-urlencoded":
            return {**params, **_parse_params(body.decode("utf-8", "replace"))}
        if content_type == "application/sparql-query":
            try:
                return {**params, "query": [body.decode("utf-8")]}
            except UnicodeDecodeError as error:
                raise ClientError(HTTPStatus.BAD_REQUEST, "the query is not UTF-8") from error
        if content_type == "application/sparql-update":
            raise ClientError(HTTPStatus.FORBIDDEN, "updates are not allowed: read-only endpoint")
        raise ClientError(
            HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
            f"unsupported Content-Type {content_type!r}: send application/sparql-query "
            "or application/x-www-form-urlencoded",
        )

    def _read_body(self) -> bytes:
        length_header = self.headers.get("Content-Length")
        if length_header is None:
            raise ClientError(HTTPStatus.LENGTH_REQUIRED, "a POST needs a Content-Length")
        try:
            length = int(length_header)
        except ValueError:
            raise ClientError(HTTPStatus.BAD_REQUEST, "Content-Length is not a number") from None
        if length < 0:
            raise ClientError(HTTPStatus.BAD_REQUEST, "Content-Length is negative")
        if length > self.service.limits.max_body_bytes:
            self.close_connection = True  # the unread body must not be taken for a request
            raise ClientError(
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                f"request body over {self.service.limits.max_body_bytes} bytes",
            )
        try:
            body = self.rfile.read(length)
        except TimeoutError:
            self.close_connection = True
            raise ClientError(
                HTTPStatus.REQUEST_TIMEOUT,
                f"the body stopped arriving: {self.service.limits.idle_timeout:g} s without data",
            ) from None
        if len(body) < length:  # the client closed early: a cut query must not run
            self.close_connection = True
            raise ClientError(
                HTTPStatus.BAD_REQUEST,
                f"the body ended after {len(body)} of the {length} bytes Content-Length announced",
            )
        return body

    def _run(self, query: str, title: str, template: str | None = None) -> None:
        """Answer ``query`` (``template``: the named query's file it was bound from)."""
        limits = self.service.limits
        if len(query.encode()) > limits.max_query_bytes:
            raise ClientError(
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"query over {limits.max_query_bytes} bytes"
            )
        try:  # the form picks the answer's media type; the worker checks the query
            form = query_form(expand(query))
        except QueryError as error:
            raise ClientError(HTTPStatus.BAD_REQUEST, str(error)) from error
        graph_answer = form in ("CONSTRUCT", "DESCRIBE")
        offered = results.GRAPH_TYPES if graph_answer else results.RESULT_TYPES
        html = not graph_answer and self._prefers_html(offered)
        media_type = offered[0] if html else negotiate(self.headers.get("Accept"), offered)
        if media_type is None:
            raise ClientError(
                HTTPStatus.NOT_ACCEPTABLE,
                f"cannot answer a {form} query as {self.headers.get('Accept')!r}; "
                f"available: {', '.join(offered)}",
            )
        directory, _ = self.service.store()
        request = Request(
            str(directory), query, media_type, limits.max_rows, template, limits.max_answer_bytes
        )
        try:
            written = self.service.executor.run(request)
        except QueryRefused as error:
            raise ClientError(HTTPStatus.FORBIDDEN, str(error)) from error
        except QueryRejected as error:
            raise ClientError(HTTPStatus.BAD_REQUEST, f"query rejected: {error}") from error
        except QueryTimeout as error:
            raise ClientError(HTTPStatus.SERVICE_UNAVAILABLE, str(error)) from error
        except WorkerFailed as error:
            raise ClientError(HTTPStatus.SERVICE_UNAVAILABLE, str(error)) from error
        if html:  # the page, not the JSON it is made from, must fit in the byte cap
            data = written
            written = results.fit(
                lambda rows: cards.results_html(title, data.body, rows).encode(),
                data.rows,
                limits.max_answer_bytes,
                data.truncated,
            )
            media_type = "text/html"
        headers = {"Medkg-Rows": str(written.rows)}
        if written.truncated:
            headers["Medkg-Truncated"] = (
                f"answer cut at {written.rows} rows "
                f"(limits: {limits.max_rows} rows, {limits.max_answer_bytes} bytes)"
            )
        self._send(HTTPStatus.OK, media_type, written.body, headers)

    def _prefers_html(self, offered: tuple[str, ...]) -> bool:
        # last among the offers: only a client that names text/html (a browser) gets a page
        return negotiate(self.headers.get("Accept"), (*offered, "text/html")) == "text/html"

    def _service_description(self) -> None:
        host = self.headers.get("Host", "localhost")
        endpoint = URIRef(f"http://{host}/sparql")
        graph = Graph()
        graph.bind("sd", SD)
        service = URIRef(endpoint)
        graph.add((service, RDF.type, URIRef(SD + "Service")))
        graph.add((service, URIRef(SD + "endpoint"), endpoint))
        graph.add((service, URIRef(SD + "supportedLanguage"), URIRef(SD + "SPARQL11Query")))
        graph.add((service, URIRef(SD + "feature"), URIRef(SD + "UnionDefaultGraph")))
        for name in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV"):
            graph.add((service, URIRef(SD + "resultFormat"), URIRef(_FORMATS_NS + name)))
        for name in ("SPARQL_Results_TSV", "Turtle", "N-Triples", "JSON-LD"):
            graph.add((service, URIRef(SD + "resultFormat"), URIRef(_FORMATS_NS + name)))
        graph.add((service, URIRef("http://purl.org/dc/terms/description"), Literal(_DESCRIPTION)))
        self._send_graph(graph, allow_html=True)

    # --- named queries -------------------------------------------------------------------

    def _list_queries(self) -> None:
        listing = [
            {
                "name": q.name,
                "title": q.title,
                "description": q.description,
                "params": [{"name": n, "description": d} for n, d in q.param_docs],
                "text": q.text,
                "example": q.bind(q.examples()),
                "url": f"/queries/{q.name}",
            }
            for q in self.service.queries.values()
        ]
        media_type = negotiate(self.headers.get("Accept"), ("application/json", "text/html"))
        if media_type == "text/html":
            items = "".join(
                f'<li><a href="{q["url"]}">{escape(str(q["name"]))}</a>: '
                f"{escape(str(q['description']))}</li>"
                for q in listing
            )
            body = f"<h1>Named queries</h1><ul>{items}</ul>"
            self._send(HTTPStatus.OK, "text/html", cards.page("Named queries", body).encode())
        elif media_type == "application/json":
            self._send(HTTPStatus.OK, "application/json", json.dumps(listing).encode())
        else:
            raise ClientError(HTTPStatus.NOT_ACCEPTABLE, "available: application/json, text/html")

    def _named_query(self, name: str, params: dict[str, list[str]]) -> None:
        queries = self.service.queries
        if name not in queries:  # only shipped names, never paths
            raise ClientError(HTTPStatus.NOT_FOUND, f"no named query {name!r}; see /queries")
        repeated = sorted(key for key, values in params.items() if len(values) > 1)
        if repeated:
            raise ClientError(HTTPStatus.BAD_REQUEST, f"parameter given twice: {repeated[0]}")
        try:
            text = queries[name].bind({key: values[0] for key, values in params.items()})
        except QueryError as error:
            raise ClientError(HTTPStatus.BAD_REQUEST, str(error)) from error
        self._run(text, queries[name].title, queries[name].text)

    # --- linked data ---------------------------------------------------------------------

    def _resource(self, iri: str) -> None:
        _, store = self.service.store()
        graph = cards.describe(store, iri)
        if not len(graph):
            raise ClientError(HTTPStatus.NOT_FOUND, f"nothing is known about <{iri}>")
        if self._prefers_html(_RDF_TYPES):
            if iri.startswith(BASE + "concept/"):
                html = cards.concept_html(graph, iri)
            elif (URIRef(iri), RDF.type, URIRef(BASE + "ontology#Article")) in graph:
                html = cards.article_html(graph, iri)
            else:
                html = cards.resource_html(graph, iri)
            self._send(HTTPStatus.OK, "text/html", html.encode())
        else:
            self._send_graph(graph)

    def _ontology(self) -> None:
        graph = Graph().parse(ONTOLOGY_DIR / "medkg.ttl", format="turtle")
        self._send_graph(graph, allow_html=False)

    def _send_graph(self, graph: Graph, allow_html: bool = False) -> None:
        for prefix, namespace in PREFIXES.items():
            graph.bind(prefix, namespace)
        offered = (*_RDF_TYPES, "text/html") if allow_html else _RDF_TYPES
        media_type = negotiate(self.headers.get("Accept"), offered)
        if media_type == "text/html":
            turtle = graph.serialize(format="turtle")
            body = f"<h1>SPARQL endpoint</h1><p>{_DESCRIPTION}</p><pre>{escape(turtle)}</pre>"
            self._send(HTTPStatus.OK, media_type, cards.page("SPARQL endpoint", body).encode())
        elif media_type == "application/ld+json":
            self._send(HTTPStatus.OK, media_type, cards.to_jsonld(graph).encode())
        elif media_type is not None:
            rdflib_format = {
                "text/turtle": "turtle",
                "application/n-triples": "nt",
                "application/rdf+xml": "xml",
            }[media_type]
            self._send(HTTPStatus.OK, media_type, graph.serialize(format=rdflib_format).encode())
        else:
            raise ClientError(HTTPStatus.NOT_ACCEPTABLE, f"available: {', '.join(offered)}")

    def _view(self, slug: str, params: dict[str, list[str]]) -> None:
        """The interactive neighbourhood page of ``/view/SLUG?depth=N`` (see medkg.view)."""
        text = params.get("depth", ["1"])[-1]
        if not _DIGITS.fullmatch(text) or int(text) > viewer.MAX_DEPTH:
            raise ClientError(
                HTTPStatus.BAD_REQUEST, f"depth must be 0 to {viewer.MAX_DEPTH}, not {text!r}"
            )
        iri = BASE + "concept/" + slug
        if not _SAFE_SLUG.fullmatch(slug):  # a slug, never a name or a path
            raise ClientError(HTTPStatus.NOT_FOUND, f"no concept {slug!r}")
        directory, store = self.service.store()
        try:
            html = viewer.served_view(directory, store, iri, int(text))
        except traverse.ConceptNotFound as error:
            raise ClientError(HTTPStatus.NOT_FOUND, f"no concept {slug!r}") from error
        self._send(
            HTTPStatus.OK, "text/html", html.encode(), {"Content-Security-Policy": _VIEW_CSP}
        )

    # --- assets and answers --------------------------------------------------------------

    def _send_asset(self, name: str) -> None:
        if name not in _ASSETS:  # only the shipped files, by name
            raise ClientError(HTTPStatus.NOT_FOUND, f"no asset {name!r}")
        body = resources.files("medkg").joinpath("web", name).read_bytes()
        self._send(HTTPStatus.OK, _ASSETS[name], body)

    def _send(
        self,
        status: HTTPStatus,
        media_type: str,
        body: bytes,
        headers: dict[str, str] | None = None,
    ) -> None:
        self._body_bytes = 0 if self.command == "HEAD" else len(body)  # for the access log
        self.send_response(status)
        textual = media_type.startswith("text/") or "json" in media_type
        self.send_header("Content-Type", media_type + ("; charset=utf-8" if textual else ""))
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("X-Frame-Options", "DENY")
        if "Content-Security-Policy" not in (headers or {}):
            self.send_header("Content-Security-Policy", _CSP.format(script="", style=""))
        self.send_header("Referrer-Policy", "same-origin")
        self.send_header("Vary", "Accept, Origin")
        if self.service.cors_origin:
            self.send_header("Access-Control-Allow-Origin", self.service.cors_origin)
            self.send_header("Access-Control-Expose-Headers", "Medkg-Rows, Medkg-Truncated")
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _send_error(
        self, status: HTTPStatus, message: str, headers: dict[str, str] | None = None
    ) -> None:
        line = " ".join(message.split())[:300]
        self._send(
            status, "text/plain", f"{status.value} {status.phrase}: {line}\n".encode(), headers
        )

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """The request in the Common Log Format, as Apache and nginx write it, for the tools
        that read those logs. The request line is the client's: escaped, so that it cannot
        forge lines or fields."""
        status = code.value if isinstance(code, HTTPStatus) else code
        sent = getattr(self, "_body_bytes", size)
        when = datetime.now(UTC).strftime("%d/%b/%Y:%H:%M:%S +0000")
        request = printable(self.requestline).replace('"', "\\x22")
        access_log.info(f'{self.client_address[0]} - - [{when}] "{request}" {status} {sent}')
        self._body_bytes = "-"

    def log_message(self, format: str, *args: Any) -> None:
        # what the standard library reports besides requests (bad request lines, timeouts)
        log.warning("%s %s", self.address_string(), printable(format % args))


_VIEW_SCRIPT, _VIEW_STYLE = viewer.inline_hashes()
_VIEW_CSP = _CSP.format(script=" " + _VIEW_SCRIPT, style=" " + _VIEW_STYLE)
_RDF_TYPES = ("text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml")
_DESCRIPTION = (
    "medkg's read-only SPARQL 1.1 endpoint: the default graph is the union of every article's "
    "named graph and the terminology graph."
)


def _parse_params(query: str) -> dict[str, list[str]]:
    try:
        return urllib.parse.parse_qs(query, keep_blank_values=True, strict_parsing=False)
    except ValueError as error:
        raise ClientError(HTTPStatus.BAD_REQUEST, f"malformed parameters: {error}") from error
