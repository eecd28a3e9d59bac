"""Running clients' queries under a deadline: worker processes that can be stopped.

Neither Oxigraph nor rdflib can interrupt a query from outside, and a thread cannot be killed,
so each query runs in one of a few worker processes. The worker opens the store read-only,
evaluates the query, writes the answer (cut at the row cap) and sends the bytes back. A query
still running at its deadline has its worker killed and replaced; the other workers keep
answering meanwhile.
"""

from __future__ import annotations

import multiprocessing
import queue
import signal
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

import pyoxigraph as ox

from medkg import results


@dataclass(frozen=True)
class Limits:
    """The safety limits of the endpoint (each a ``medkg serve`` option); here, not in
    ``medkg.server``, so that the CLI reads their defaults without importing the server."""

    timeout: float = 10.0  # seconds a query may run
    max_rows: int = 10_000  # rows (or triples) in one answer
    max_query_bytes: int = 10_000  # size of a query's text
    max_body_bytes: int = 100_000  # size of a request body
    workers: int = 2  # queries running at once


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


class Executor:
    """A pool of worker processes answering :class:`Request` objects within ``timeout`` s."""

    def __init__(self, workers: int, timeout: float) -> None:
        self.timeout = timeout
        self._context = multiprocessing.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        for _ in range(workers):
            self._idle.put(_Worker(self._context))

    def run(self, request: Request) -> results.Written:
        """The answer to ``request``, written in its media type.

        Raises:
            QueryRejected: for a query the store cannot parse or answer in that format.
            QueryTimeout: when the deadline passes, counting any wait for a free worker.
            WorkerFailed: when the worker dies or the store cannot be read.
        """
        deadline = time.monotonic() + self.timeout
        try:
            worker = self._idle.get(timeout=self.timeout)
        except queue.Empty:
            raise QueryTimeout(f"every worker stayed busy for {self.timeout:g} s") from None
        try:
            worker.connection.send(request)
            if not worker.connection.poll(max(0.0, deadline - time.monotonic())):
                worker.stop()
                worker = _Worker(self._context)
                raise QueryTimeout(f"the query ran longer than {self.timeout:g} s and was stopped")
            kind, payload = worker.connection.recv()
        except (EOFError, OSError) as error:
            worker.stop()
            worker = _Worker(self._context)
            raise WorkerFailed("the query worker stopped unexpectedly") from error
        finally:
            self._idle.put(worker)
        if kind == "rejected":
            raise QueryRejected(payload)
        if kind == "failed":
            raise WorkerFailed(payload)
        return payload  # type: ignore[no-any-return]

    def worker_pids(self) -> list[int]:
        """The process ids of the idle workers (for monitoring, and tests)."""
        return [w.process.pid for w in list(self._idle.queue) if w.process.pid is not None]

    def close(self) -> None:
        """Stop every idle worker (call once no request is running)."""
        while True:
            try:
                self._idle.get_nowait().stop()
            except queue.Empty:
                return


class _Worker:
    def __init__(self, context: multiprocessing.context.SpawnContext) -> None:
        self.connection, child = context.Pipe()
        self.process: BaseProcess = context.Process(target=_serve, args=(child,), daemon=True)
        self.process.start()
        child.close()

    def stop(self) -> None:
        self.process.kill()
        self.process.join(timeout=5)
        self.connection.close()


def _serve(connection: Connection) -> None:
    """A worker's loop: one request in, one ``(kind, payload)`` reply out."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server stops the workers itself
    opened: tuple[str, ox.Store] | None = None
    while True:
        try:
            request: Request = connection.recv()
        except EOFError:
            return
        try:
            if opened is None or opened[0] != request.store:
                opened = (request.store, ox.Store.read_only(request.store))
            answer = opened[1].query(request.query)
            reply: tuple[str, object] = (
                "ok",
                results.write(answer, request.media_type, request.max_rows),
            )
        except OSError as error:
            reply = ("failed", f"cannot read the store: {_first_line(str(error))}")
        except Exception as error:  # a parse or evaluation error: the query's, not the server's
            reply = ("rejected", _first_line(str(error)))
        connection.send(reply)


def _first_line(message: str, limit: int = 200) -> str:
    line = message.splitlines()[0] if message else "no detail"
    return line if len(line) <= limit else line[: limit - 1] + "…"
