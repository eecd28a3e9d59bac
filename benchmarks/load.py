"""The endpoint under load, beside Oxigraph's own server on the same store, in the same run.

    .venv/bin/python benchmarks/load.py data/build            # after make build
    .venv/bin/python benchmarks/load.py BUILD --seconds 20 --connections 16

Needs `wrk` (Debian's package) and Oxigraph's server, `oxigraph` from PyPI, published by
Oxigraph's authors (`pip install oxigraph==<pyoxigraph's version>`; not a medkg dependency).
Both servers read the build's store, read-only, one after the other, with no access log. Each
workload runs for ``--seconds`` with ``--connections`` clients on wrk's two threads, on the same
two cores as the server, so the ratios between rows are what to read, not the absolute rates:

- the same SPARQL lookup (the `symptoms-of` query, bound) on medkg's /sparql and on
  Oxigraph's /query;
- medkg's named query /queries/symptoms-of, and a concept card (HTML).
"""

from __future__ import annotations

import argparse
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from medkg.queries import get_query
from medkg.store import current_store

JSON = "application/sparql-results+json"
CONDITION = "bone metastasis"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(command: list[str], probe: str) -> Iterator[None]:
    """Run a server until the block ends; wait until ``probe`` answers 200."""
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):
            try:
                with urllib.request.urlopen(probe, timeout=5) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError(f"{command[0]} did not answer {probe}")
        yield
    finally:
        server.terminate()
        server.wait(timeout=30)


def wrk(url: str, accept: str, seconds: int, connections: int) -> dict[str, float]:
    """Requests per second, p50 and p99 latency (ms), and the share of non-2xx answers, after
    an unmeasured warm-up of 3 s (query workers start, caches fill)."""
    for duration in (3, seconds):
        options = ["-t2", f"-c{connections}", f"-d{duration}s", "--latency"]
        done = subprocess.run(
            ["wrk", *options, "-H", f"Accept: {accept}", url],
            capture_output=True,
            text=True,
            check=True,
        )
    out = done.stdout
    rate = float(_find(r"Requests/sec:\s+([\d.]+)", out))
    total = int(_find(r"(\d+) requests in", out))
    failed = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    latency = {p: _ms(_find(rf"\s{p}%\s+([\d.]+\w+)", out)) for p in ("50", "99")}
    bad = int(failed.group(1)) / total if failed and total else 0.0
    return {"rate": rate, "p50": latency["50"], "p99": latency["99"], "failed": bad}


def _find(pattern: str, text: str) -> str:
    found = re.search(pattern, text)
    if found is None:
        raise RuntimeError(f"wrk printed no {pattern!r}:\n{text}")
    return found.group(1)


def _ms(text: str) -> float:
    number, unit = _find(r"^([\d.]+)", text), text.lstrip("0123456789.")
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("build", type=Path)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    for tool in ("wrk", "oxigraph"):
        if shutil.which(tool) is None and not Path(sys.executable).with_name(tool).exists():
            sys.exit(f"{tool} is missing (see this script's docstring)")
    oxigraph = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    medkg = str(Path(sys.executable).with_name("medkg"))
    store = current_store(args.build)
    lookup = get_query("symptoms-of").bind({"condition": CONDITION})
    quoted = urllib.parse.quote(lookup)

    rows: list[tuple[str, dict[str, float]]] = []
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    command = [medkg, "serve", "--port", str(port), "--build-dir", str(args.build)]
    with serving([*command, "--access-log", "/dev/null"], base + "/queries"):
        for name, path, accept in (
            ("medkg /sparql, the lookup", f"/sparql?query={quoted}", JSON),
            ("medkg named query", "/queries/symptoms-of?condition=bone%20metastasis", JSON),
            ("medkg concept card", "/concept/bone-pain", "text/html"),
        ):
            rows.append((name, wrk(base + path, accept, args.seconds, args.connections)))
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    command = [oxigraph, "serve-read-only", "--location", str(store)]
    with serving([*command, "--bind", f"127.0.0.1:{port}"], f"{base}/query?query=ASK%7B%7D"):
        figures = wrk(f"{base}/query?query={quoted}", JSON, args.seconds, args.connections)
        rows.append(("Oxigraph /query, the lookup", figures))

    oxigraph_rate = rows[-1][1]["rate"]
    print(f"{args.connections} clients, {args.seconds} s each, store {store}")
    print("| workload | requests/s | vs Oxigraph | p50 ms | p99 ms | non-2xx |")
    print("|---|---|---|---|---|---|")
    for name, figures in rows:
        print(
            f"| {name} | {figures['rate']:,.0f} | {figures['rate'] / oxigraph_rate:.2f}x "
            f"| {figures['p50']:.1f} | {figures['p99']:.1f} | {figures['failed']:.1%} |"
        )


if __name__ == "__main__":
    main()
