"""Running clients' queries under a deadline: worker processes that can be stopped.

Neither Oxigraph nor rdflib can interrupt a query from outside, and a thread cannot be killed,
so each query runs in one of a few worker processes. The worker checks the query
(:mod:`medkg.guard`: parsing is slow enough to belong under the deadline), opens the store
read-only, evaluates the query, writes the answer (cut at the row cap) and sends the bytes
back. A query still running at its deadline has its worker killed and replaced; the other
workers keep answering meanwhile.

Each worker first moves into a network namespace of its own, which has no interface up
(Linux, as root or where unprivileged user namespaces are allowed): should a query ever get
past the guard, its ``SERVICE`` still reaches nothing. Where that is not allowed, the worker
says so on stderr once and the guard alone keeps the network out.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import queue
import resource
import signal
import sys
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

import pyoxigraph as ox

from medkg import results
from medkg.guard import QueryError, QueryRefused, check_text, expand
from medkg.vocab import PREFIXES


@dataclass(frozen=True)
class Limits:
    """The safety limits of the endpoint (each a ``medkg serve`` option); here, not in
    ``medkg.server``, so that the CLI reads their defaults without importing the server."""

    timeout: float = 10.0  # seconds a query may run
    max_rows: int = 10_000  # rows (or triples) in one answer
    max_answer_bytes: int = 16_000_000  # bytes of one answer, in any format, HTML included
    max_query_bytes: int = 10_000  # size of a query's text
    max_body_bytes: int = 100_000  # size of a request body
    workers: int = 2  # queries running at once
    named_workers: int = 1  # more, kept for the shipped named queries (a lane slow ones can't fill)
    worker_memory_mb: int = 3072  # address space of a query worker (an idle one takes ~850 MB)
    idle_timeout: float = 30.0  # seconds a connection may send nothing (request, body, keep-alive)
    max_connections: int = 64  # connections served at once; more are answered 503 and closed


class QueryRejected(ValueError):
    """The client's query cannot run: a syntax error, or a format that does not fit it."""


class QueryTimeout(RuntimeError):
    """The query ran past its deadline and was stopped, or no worker came free in time."""


class WorkerFailed(RuntimeError):
    """A worker died or could not read the store: the server's fault, not the client's."""


@dataclass(frozen=True)
class Request:
    store: str  # the store directory to read, resolved by the caller
    query: str
    media_type: str
    max_rows: int
    # a named query's file: checked in place of ``query``, its binding (which adds only
    # escaped string literals), so that the check is made once per file, not per request
    template: str | None = None
    max_bytes: int | None = None  # the answer's size, as written


class Executor:
    """A pool of worker processes answering :class:`Request` objects within ``timeout`` s.

    ``named_workers`` more workers form a lane of their own for the shipped named queries
    (a request with a ``template``), which also take a general worker when one is free: ad-hoc
    queries that run long can fill the general pool, never the lane.
    """

    def __init__(
        self, workers: int, timeout: float, named_workers: int = 0, memory_mb: int | None = None
    ) -> None:
        self.timeout = timeout
        self.memory_mb = memory_mb
        self._context = multiprocessing.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._named: queue.Queue[_Worker] = queue.Queue()
        self._lane = named_workers
        for pool, size in ((self._idle, workers), (self._named, named_workers)):
            for _ in range(size):
                pool.put(self._worker())

    def run(self, request: Request) -> results.Written:
        """The answer to ``request``, written in its media type.

        Raises:
            QueryRefused: for a query :mod:`medkg.guard` refuses.
            QueryRejected: for a query that does not parse, or that the store cannot answer
                in that format.
            QueryTimeout: when the deadline passes, counting any wait for a free worker.
            WorkerFailed: when the worker dies or the store cannot be read.
        """
        deadline = time.monotonic() + self.timeout
        pool, worker = self._take(request.template is not None)
        try:
            worker.connection.send(request)
            if not worker.connection.poll(max(0.0, deadline - time.monotonic())):
                worker.stop()
                worker = self._worker()
                raise QueryTimeout(f"the query ran longer than {self.timeout:g} s and was stopped")
            kind, payload = worker.connection.recv()
        except (EOFError, OSError) as error:
            died = worker.stop()
            worker = self._worker()
            if (
                died == -signal.SIGABRT and self.memory_mb
            ):  # Oxigraph aborts when it cannot allocate
                raise WorkerFailed(
                    f"the query needed more than the {self.memory_mb} MB of memory a query may "
                    "use, and was stopped"
                ) from error
            raise WorkerFailed("the query worker stopped unexpectedly") from error
        finally:
            pool.put(worker)
        if kind == "refused":
            raise QueryRefused(payload)
        if kind == "rejected":
            raise QueryRejected(payload)
        if kind == "failed":
            raise WorkerFailed(payload)
        if kind == "memory":
            raise WorkerFailed(
                f"the query needed more than the {self.memory_mb} MB of memory a query may use, "
                "and was stopped"
            )
        return payload  # type: ignore[no-any-return]

    def _worker(self) -> _Worker:
        return _Worker(self._context, self.memory_mb)

    def _take(self, named: bool) -> tuple[queue.Queue[_Worker], _Worker]:
        """A free worker and the pool to give it back to: a named query takes one from its
        lane, else a free general one, else waits for its lane; any other query waits for
        the general pool."""
        if named:
            for pool in (self._named, self._idle):
                try:
                    return pool, pool.get_nowait()
                except queue.Empty:
                    continue
        wait = self._named if named and self._lane else self._idle
        try:
            return wait, wait.get(timeout=self.timeout)
        except queue.Empty:
            raise QueryTimeout(f"every worker stayed busy for {self.timeout:g} s") from None

    def worker_pids(self) -> list[int]:
        """The process ids of the idle workers (for monitoring, and tests)."""
        idle = [*self._idle.queue, *self._named.queue]
        return [w.process.pid for w in idle if w.process.pid is not None]

    def close(self) -> None:
        """Stop every idle worker (call once no request is running)."""
        for pool in (self._idle, self._named):
            while True:
                try:
                    pool.get_nowait().stop()
                except queue.Empty:
                    break


class _Worker:
    def __init__(
        self, context: multiprocessing.context.SpawnContext, memory_mb: int | None
    ) -> None:
        self.connection, child = context.Pipe()
        self.process: BaseProcess = context.Process(
            target=_serve, args=(child, memory_mb), daemon=True
        )
        self.process.start()
        child.close()

    def stop(self) -> int | None:
        """Kill the process; how it had ended, if it had (a negative signal number)."""
        self.process.join(timeout=0.2)  # one that died by itself has its exit code by now
        ended = self.process.exitcode
        self.process.kill()
        self.process.join(timeout=5)
        self.connection.close()
        return ended


def _serve(connection: Connection, memory_mb: int | None = None) -> None:
    """A worker's loop: one request in, one ``(kind, payload)`` reply out."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server stops the workers itself
    if memory_mb:  # a query that needs more fails here, never the machine
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    if not isolate_from_network():
        print(
            "medkg serve: the query workers could not get a network namespace of their own "
            f"({os.strerror(ctypes.get_errno())}); the query check alone keeps SERVICE out",
            file=sys.stderr,
        )
    opened: tuple[str, ox.Store] | None = None
    while True:
        try:
            request: Request = connection.recv()
        except EOFError:
            return
        try:
            text = _checked(request)
            if opened is None or opened[0] != request.store:
                opened = (request.store, ox.Store.read_only(request.store))
            answer = opened[1].query(text, prefixes=PREFIXES)
            reply: tuple[str, object] = (
                "ok",
                results.write(answer, request.media_type, request.max_rows, request.max_bytes),
            )
        except MemoryError:
            reply = ("memory", "")
        except QueryRefused as error:
            reply = ("refused", str(error))
        except QueryError as error:
            reply = ("rejected", str(error))
        except OSError as error:
            reply = ("failed", f"cannot read the store: {_first_line(str(error))}")
        except Exception as error:  # a parse or evaluation error: the query's, not the server's
            reply = ("rejected", _first_line(str(error)))
        connection.send(reply)


def _checked(request: Request) -> str:
    """The text to run for ``request``, once :mod:`medkg.guard` has allowed it."""
    if request.template is None:
        return check_text(request.query)[0]
    check_text(request.template)
    return expand(request.query)


_CLONE_NEWNET = 0x40000000
_CLONE_NEWUSER = 0x10000000


def isolate_from_network() -> bool:
    """Move this process into a new network namespace, where no interface is up: nothing it
    connects to, loopback included, can be reached. Call it before any thread starts.

    Returns:
        Whether the process is now cut off (False off Linux, or where neither a network
        namespace nor a user namespace with one may be created; ``ctypes.get_errno()`` says
        why).
    """
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    # as root a network namespace alone; as a user, inside a user namespace of its own
    return any(
        libc.unshare(flags) == 0 for flags in (_CLONE_NEWNET, _CLONE_NEWUSER | _CLONE_NEWNET)
    )


def _first_line(message: str, limit: int = 200) -> str:
    line = message.splitlines()[0] if message else "no detail"
    return line if len(line) <= limit else line[: limit - 1] + "…"
