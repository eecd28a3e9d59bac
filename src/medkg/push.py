"""Push the current store to a remote SPARQL server (Virtuoso, Fuseki, GraphDB, …).

Each named graph of the store (one per article, and the terminology graph) is sent with the
SPARQL 1.1 Graph Store HTTP Protocol: one ``PUT ENDPOINT?graph=IRI`` per graph, the graph as
N-Triples. A PUT replaces the remote graph whole, so pushing twice is the same as pushing
once, and a relation an article no longer states leaves no stale triple behind.

The default graph. medkg's store holds, as its default graph, the set union of the named
graphs, and the named queries read it. A remote server has its own idea of a default graph:
Virtuoso answers a query without ``FROM`` over *all* its graphs (its system graphs too) as a
multiset, so a triple that two articles state is matched twice, and ``FROM <a> FROM <b>``
is no better (a multiset again, where SPARQL's RDF merge is a set). So the union is pushed
as one more graph, :data:`UNION_GRAPH`, and a client reads it as the default graph, either
with the protocol's ``default-graph-uri`` parameter (the query text unchanged) or with
``FROM <https://w3id.org/medkg/graph/union>``. The union goes last, in one PUT, so until a
push has sent every article graph, readers of the union keep the previous build.

Graphs medkg no longer has (an article deleted) stay on the remote unless ``prune`` is set:
then the remote graphs under ``https://w3id.org/medkg/article/`` are listed through the
server's SPARQL query endpoint and those the store lacks are DELETEd. The union never holds
them either way, since it is replaced from the store on every push.

Only the standard library speaks HTTP here (``urllib.request``). Credentials go with each
request from the start, Digest or Basic as the server's challenge asks (see :class:`_Client`
for why not urllib's own retry-on-401 handlers), and a bodyless HEAD checks them before the
first graph is sent.
"""

from __future__ import annotations

import base64
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from http.client import HTTPException

import pyoxigraph as ox

from medkg.vocab import ARTICLE, BASE, TERMINOLOGY_GRAPH

__all__ = [
    "UNION_GRAPH",
    "GraphStore",
    "PushError",
    "PushReport",
    "Pushed",
    "push",
    "query_endpoint_for",
    "remote_graphs",
]

#: The graph that holds the union of the named graphs on the remote: read it as the default
#: graph (``default-graph-uri`` or ``FROM``) to get the rows medkg's own store gives.
UNION_GRAPH = BASE + "graph/union"
#: Remote graphs under this prefix are medkg's article graphs (what ``prune`` may delete).
ARTICLE_PREFIX = str(ARTICLE)
CONTENT_TYPE = "application/n-triples"
TIMEOUT = 300.0  # seconds for one request: a large graph takes the server a while to load
EXCERPT = 300  # characters of an error response's body quoted in the message
_TAG = re.compile(r"<[^<>]*>")


class PushError(RuntimeError):
    """A request the remote refused or could not be sent; the message names the endpoint, the
    graph, the HTTP status and the start of the server's answer."""


@dataclass(frozen=True)
class Pushed:
    """One graph sent: its IRI and how many triples it holds."""

    graph: str
    triples: int


@dataclass(frozen=True)
class PushReport:
    """What a push did: the graphs replaced (in order) and the remote graphs deleted."""

    endpoint: str
    graphs: tuple[Pushed, ...]
    pruned: tuple[str, ...] = ()

    @property
    def triples(self) -> int:
        return sum(graph.triples for graph in self.graphs)


class _Client:
    """HTTP requests to one server, credentials sent with each request from the start.

    urllib's own authentication handlers send a request without credentials and send it again
    when the server answers 401: a PUT would carry its graph twice, and Virtuoso closes the
    connection on its 401 before it has read the body, so a large graph fails with a broken
    pipe. Here a bodyless HEAD fetches the challenge once, and each request carries its
    ``Authorization`` from the start: Basic, or Digest as urllib's digest handler computes it
    (the nonce reused with an increasing count, RFC 7616). A 401 on a request brings a fresh
    challenge (a stale nonce): the request is sent once more with it. A connection closed
    mid-request is retried once after a new HEAD; every request here is idempotent (PUT,
    DELETE, GET, HEAD, and a query).
    """

    def __init__(self, url: str, user: str | None, password: str | None, timeout: float) -> None:
        self.timeout = timeout
        self._user = user
        self._password = password or ""
        self._challenge: tuple[str, dict[str, str]] | None = None
        passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        passwords.add_password(None, url, user or "", self._password)
        self._digest = urllib.request.HTTPDigestAuthHandler(passwords)
        self._opener = urllib.request.build_opener()  # no handler that answers a 401 itself

    def open(self, method: str, url: str, body: bytes | None, headers: dict[str, str]) -> bytes:
        """The body of the answer.

        Raises:
            urllib.error.HTTPError: for an error status (after the retries above).
            urllib.error.URLError: when the server cannot be reached.
            OSError, http.client.HTTPException: when the connection fails.
        """
        for attempt in range(2):
            request = urllib.request.Request(url, body, headers, method=method)
            if self._user is not None:
                if self._challenge is None:
                    self._challenge = self._probe(url)
                self._sign(request)
            try:
                with self._opener.open(request, timeout=self.timeout) as response:
                    data: bytes = response.read()
                    return data
            except urllib.error.HTTPError as error:
                challenge = _challenge(error)
                if attempt or self._user is None or error.code != 401 or challenge is None:
                    raise
                self._challenge = challenge
            except (urllib.error.URLError, HTTPException, OSError) as error:
                reason = getattr(error, "reason", error)
                dropped = isinstance(reason, BrokenPipeError | ConnectionResetError)
                if attempt or self._user is None or not dropped:
                    raise
                self._challenge = None
        raise AssertionError("unreachable: the second attempt returns or raises")

    def _probe(self, url: str) -> tuple[str, dict[str, str]]:
        """The server's challenge for ``url`` (``("", {})`` when it asks for none)."""
        request = urllib.request.Request(url, method="HEAD")
        try:
            with self._opener.open(request, timeout=self.timeout):
                return ("", {})
        except urllib.error.HTTPError as error:
            return _challenge(error) or ("", {})

    def _sign(self, request: urllib.request.Request) -> None:
        scheme, params = self._challenge or ("", {})
        if scheme == "digest":
            authorization = self._digest.get_authorization(request, params)
            if authorization is None:
                algorithm = params.get("algorithm", "MD5")
                raise PushError(f"{request.full_url}: unsupported digest algorithm {algorithm}")
            request.add_unredirected_header("Authorization", f"Digest {authorization}")
        elif scheme == "basic":
            token = base64.b64encode(f"{self._user}:{self._password}".encode()).decode()
            request.add_unredirected_header("Authorization", f"Basic {token}")


def _challenge(error: urllib.error.HTTPError) -> tuple[str, dict[str, str]] | None:
    """The scheme (``digest`` preferred to ``basic``) and parameters a 401 asks for."""
    found: dict[str, dict[str, str]] = {}
    for header in error.headers.get_all("WWW-Authenticate") or []:
        scheme, _, rest = header.strip().partition(" ")
        params = urllib.request.parse_keqv_list(urllib.request.parse_http_list(rest))
        found.setdefault(scheme.lower(), params)
    for scheme in ("digest", "basic"):
        if scheme in found:
            return scheme, found[scheme]
    return None


def _check_url(url: str, what: str) -> None:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise PushError(f"{what} {url!r} is not an http:// or https:// URL")
    if parts.query or parts.fragment:
        raise PushError(f"{what} {url!r}: give it without ?query or #fragment")


def _excerpt(body: bytes) -> str:
    """The start of an error answer, on one line, without its HTML markup (Virtuoso answers
    an error with an HTML page)."""
    text = _TAG.sub(" ", body.decode("utf-8", errors="replace"))
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1] + "…"


def _failure(what: str, error: Exception) -> PushError:
    """A PushError saying what failed: the status and the start of the answer, or why the
    request could not be made."""
    if isinstance(error, urllib.error.HTTPError):
        detail = _excerpt(error.read() or str(error.reason).encode())
        hint = " (check --user and --password)" if error.code in (401, 403) else ""
        return PushError(f"{what} failed with HTTP {error.code}{hint}: {detail}")
    return PushError(f"{what} failed: {getattr(error, 'reason', error)}")


_NETWORK_ERRORS = (urllib.error.URLError, HTTPException, OSError)


class GraphStore:
    """A Graph Store HTTP Protocol endpoint (``…/sparql-graph-crud-auth`` on Virtuoso).

    Args:
        endpoint: the endpoint's URL, without a query string.
        user: a user name for digest or basic authentication (none: no credentials).
        password: that user's password.
        timeout: seconds one request may take.

    Raises:
        PushError: for a URL that is not http(s).
    """

    def __init__(
        self,
        endpoint: str,
        user: str | None = None,
        password: str | None = None,
        timeout: float = TIMEOUT,
    ) -> None:
        _check_url(endpoint, "endpoint")
        self.endpoint = endpoint
        self._client = _Client(endpoint, user, password, timeout)

    def url(self, graph: str) -> str:
        """The URL of one graph: ``ENDPOINT?graph=IRI``, the IRI percent-encoded."""
        return f"{self.endpoint}?{urllib.parse.urlencode({'graph': graph})}"

    def check(self, graph: str) -> None:
        """Fail before any graph is sent if the endpoint cannot be reached or refuses the
        credentials: a bodyless HEAD of ``graph`` (any answer but 401 or 403 will do)."""
        try:
            self._client.open("HEAD", self.url(graph), None, {})
        except urllib.error.HTTPError as error:
            if error.code in (401, 403):
                raise _failure(f"{self.endpoint}: HEAD of graph <{graph}>", error) from error
        except _NETWORK_ERRORS as error:
            raise _failure(f"{self.endpoint}: HEAD of graph <{graph}>", error) from error

    def put(self, graph: str, ntriples: bytes) -> None:
        """Replace ``graph`` on the remote with the N-Triples ``ntriples``."""
        headers = {"Content-Type": f"{CONTENT_TYPE}; charset=utf-8"}
        self._send("PUT", graph, ntriples, headers)

    def delete(self, graph: str) -> None:
        """Delete ``graph`` on the remote (a graph that is not there is no error)."""
        self._send("DELETE", graph, None, {}, missing_ok=True)

    def get(self, graph: str) -> bytes:
        """The remote ``graph`` as N-Triples."""
        return self._send("GET", graph, None, {"Accept": CONTENT_TYPE})

    def _send(
        self,
        method: str,
        graph: str,
        body: bytes | None,
        headers: dict[str, str],
        missing_ok: bool = False,
    ) -> bytes:
        try:
            return self._client.open(method, self.url(graph), body, headers)
        except urllib.error.HTTPError as error:
            if missing_ok and error.code == 404:
                return b""
            raise _failure(f"{self.endpoint}: {method} of graph <{graph}>", error) from error
        except _NETWORK_ERRORS as error:
            raise _failure(f"{self.endpoint}: {method} of graph <{graph}>", error) from error


def query_endpoint_for(endpoint: str) -> str:
    """The SPARQL query endpoint beside a Graph Store endpoint, by Virtuoso's layout: the same
    scheme, host and port, path ``/sparql``."""
    parts = urllib.parse.urlsplit(endpoint)
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, "/sparql", "", ""))


def remote_graphs(
    sparql_endpoint: str,
    prefix: str,
    user: str | None = None,
    password: str | None = None,
    timeout: float = TIMEOUT,
) -> set[str]:
    """The IRIs of the non-empty graphs on the remote that start with ``prefix``.

    Raises:
        PushError: for a failed request or an answer that is not SPARQL JSON results.
    """
    _check_url(sparql_endpoint, "SPARQL endpoint")
    prefix_literal = json.dumps(prefix)  # a JSON string is a valid SPARQL string literal here
    query = (
        f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
        f"FILTER(STRSTARTS(STR(?g), {prefix_literal})) }}"
    )
    body = urllib.parse.urlencode({"query": query}).encode()
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Accept": "application/sparql-results+json",
    }
    what = f"{sparql_endpoint}: listing the graphs under <{prefix}>"
    client = _Client(sparql_endpoint, user, password, timeout)
    try:
        answer = json.loads(client.open("POST", sparql_endpoint, body, headers))
        bindings = answer["results"]["bindings"]
        return {row["g"]["value"] for row in bindings if row.get("g", {}).get("type") == "uri"}
    except (urllib.error.HTTPError, *_NETWORK_ERRORS) as error:
        raise _failure(what, error) from error
    except (ValueError, KeyError, TypeError) as error:
        raise PushError(f"{what}: not SPARQL JSON results ({error})") from error


def _graph_order(store: ox.Store) -> list[str]:
    """The store's named graphs in push order: the articles by IRI, then the terminology."""
    names = sorted(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode))
    terminology = str(TERMINOLOGY_GRAPH)
    return [g for g in names if g != terminology] + [g for g in names if g == terminology]


def _count(store: ox.Store, graph: ox.NamedNode | ox.DefaultGraph) -> int:
    return sum(1 for _ in store.quads_for_pattern(None, None, None, graph))


def push(
    store: ox.Store,
    endpoint: str,
    user: str | None = None,
    password: str | None = None,
    *,
    prune: bool = False,
    sparql_endpoint: str | None = None,
    progress: Callable[[str, Pushed], None] | None = None,
    timeout: float = TIMEOUT,
) -> PushReport:
    """Replace every named graph of ``store`` on the remote, then the union graph.

    Args:
        store: the store to push (:func:`medkg.store.open_store`).
        endpoint: the remote's Graph Store HTTP Protocol endpoint.
        user: user name for digest or basic authentication, if the endpoint asks for one.
        password: that user's password.
        prune: also DELETE the remote article graphs (IRIs under
            ``https://w3id.org/medkg/article/``) that the store does not have.
        sparql_endpoint: the remote's SPARQL query endpoint, used to list graphs for
            ``prune`` (default: :func:`query_endpoint_for` the endpoint).
        progress: called with ``"PUT"`` and each graph sent, and with ``"DELETE"`` and each
            graph pruned (counted as 0 triples).
        timeout: seconds one request may take.

    Returns:
        The graphs sent, in order (the union last), and the graphs deleted.

    Raises:
        PushError: at the first request that fails, naming the endpoint, graph and status.
            Graphs sent before it are replaced whole; the union graph is left as it was.
    """
    remote = GraphStore(endpoint, user, password, timeout)
    remote.check(UNION_GRAPH)
    sent: list[Pushed] = []
    local = _graph_order(store)
    for graph in local:
        node = ox.NamedNode(graph)
        remote.put(graph, store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=node) or b"")
        sent.append(Pushed(graph, _count(store, node)))
        if progress:
            progress("PUT", sent[-1])
    union = ox.DefaultGraph()
    remote.put(UNION_GRAPH, store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=union) or b"")
    sent.append(Pushed(UNION_GRAPH, _count(store, union)))
    if progress:
        progress("PUT", sent[-1])
    pruned: tuple[str, ...] = ()
    if prune:
        listing = sparql_endpoint or query_endpoint_for(endpoint)
        stale = remote_graphs(listing, ARTICLE_PREFIX, user, password, timeout) - set(local)
        pruned = tuple(sorted(stale))
        for graph in pruned:
            remote.delete(graph)
            if progress:
                progress("DELETE", Pushed(graph, 0))
    return PushReport(endpoint, tuple(sent), pruned)
