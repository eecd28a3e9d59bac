"""The benchmark harness: each stage of a build timed at several corpus sizes, each figure beside
a baseline measured in the same run, written as a Markdown table.

    python benchmarks/run.py --sizes 100 1000 [--work /tmp/medkg-bench] [--out FILE.md]

Per size it generates the corpus (benchmarks/generate.py, fixed seed), then measures, in this
process: parse+extract, link+mint, SHACL validation, store load (beside pyoxigraph's own bulk
load of the same N-Quads), named queries on the store (p50/p95, beside rdflib in memory), path,
and export; and in a child process under ``/usr/bin/time -v``: the full ``medkg build`` wall
time and peak RSS, then the rebuild after one article changed.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx
import pyoxigraph as ox
import pyshacl
import rdflib

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate

from medkg import export, traverse
from medkg.build import discover, read_articles
from medkg.extract import extract
from medkg.queries import load_queries, run_sparql
from medkg.rdf import mint, union
from medkg.standards import link, load_hpo, load_icd10cm
from medkg.store import open_store, write_store
from medkg.terminology import Lexicon, load_registry
from medkg.validate import validate

MEDKG = Path(sys.executable).with_name("medkg")
RDFLIB_QUERY_LIMIT = 100  # rdflib takes minutes per query on 1,000 articles: baseline at 100 only


def timed(action: Callable[[], Any]) -> tuple[Any, float]:
    started = time.perf_counter()
    result = action()
    return result, time.perf_counter() - started


def repeat(action: Callable[[], Any], times: int = 7) -> tuple[float, float]:
    """p50 and p95 of ``times`` runs, in milliseconds."""
    samples = sorted(timed(action)[1] * 1000 for _ in range(times))
    return statistics.median(samples), samples[min(len(samples) - 1, round(0.95 * len(samples)))]


def measure(size: int, work: Path) -> dict[str, str]:
    corpus = work / f"corpus-{size}"
    generate(size, corpus)
    articles_dir, registry = corpus / "articles", corpus / "terminology"
    row: dict[str, str] = {"articles": str(size)}

    lexicon = Lexicon(load_registry(registry))
    files = discover([articles_dir])
    (articles, _, _), seconds = timed(lambda: read_articles(files))
    extractions, extract_seconds = timed(lambda: [extract(a, lexicon) for a in articles])
    row["parse+extract"] = f"{size / (seconds + extract_seconds):.0f} articles/s"

    hpo, icd = load_hpo(), load_icd10cm()
    dataset, mint_seconds = timed(lambda: mint(extractions, codes=lambda c: link(c, hpo, icd)))
    quads = sum(1 for _ in dataset.quads((None, None, None, None)))
    row["link+mint"] = f"{quads / mint_seconds:.0f} quads/s ({quads} quads)"

    graph = union(dataset)
    report, validate_seconds = timed(lambda: validate(graph))
    row["SHACL (pyshacl, whole graph)"] = f"{validate_seconds:.1f} s, conforms={report.conforms}"

    store_dir = work / f"store-{size}"
    shutil.rmtree(store_dir, ignore_errors=True)
    _, store_seconds = timed(lambda: write_store(dataset, store_dir))
    nquads = export.to_nquads(dataset)
    baseline_dir = Path(tempfile.mkdtemp(dir=work))
    _, raw_seconds = timed(
        lambda: ox.Store(str(baseline_dir)).bulk_load(nquads.encode(), ox.RdfFormat.N_QUADS)
    )
    shutil.rmtree(baseline_dir)
    row["store load (ratio to raw bulk load)"] = (
        f"{store_seconds:.2f} s vs {raw_seconds:.2f} s ({store_seconds / raw_seconds:.1f}x)"
    )

    store = open_store(store_dir)
    timings = []
    for query in load_queries().values():
        text = query.bind(query.examples())
        oxigraph = repeat(lambda text=text: run_sparql(store, text))
        rdflib = None
        if size <= RDFLIB_QUERY_LIMIT:
            rdflib = repeat(lambda text=text: run_sparql(graph, text), 1)
        timings.append((query.name, oxigraph, rdflib))
    p50s = sorted(p50 for _, (p50, _), _ in timings)
    worst = max(timings, key=lambda t: t[1][0])
    row["named queries p50 (median / worst)"] = (
        f"{statistics.median(p50s):.1f} / {worst[1][0]:.0f} ms ({worst[0]})"
    )
    if all(r is not None for _, _, r in timings):
        ratios = [r[0] / o[0] for _, o, r in timings if r is not None and o[0] > 0]
        row["rdflib / Oxigraph (median ratio)"] = f"{statistics.median(ratios):.0f}x"

    G, nx_seconds = timed(lambda: traverse.to_networkx(graph))
    nodes = sorted(G.nodes)
    source, target = nodes[0], nodes[len(nodes) // 2]
    path_p50, _ = repeat(lambda: traverse.paths(G, source, target, max_hops=3, limit=5), 5)
    row["networkx view / path p50"] = f"{nx_seconds:.1f} s / {path_p50:.0f} ms"

    _, turtle_seconds = timed(lambda: export.to_turtle(dataset))
    _, jsonld_seconds = timed(lambda: export.to_jsonld(dataset))
    row["export Turtle / JSON-LD"] = f"{turtle_seconds:.1f} s / {jsonld_seconds:.1f} s"

    out = work / f"build-{size}"
    shutil.rmtree(out, ignore_errors=True)
    wall, rss = _build(articles_dir, registry, out)
    row["full build (wall, peak RSS)"] = f"{wall:.1f} s, {rss / 1024:.0f} MB"
    changed = files[0]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    wall, _ = _build(articles_dir, registry, out)
    row["rebuild after one article changed"] = f"{wall:.1f} s (a full build today)"
    return row


def _build(articles: Path, registry: Path, out: Path) -> tuple[float, int]:
    command = ["/usr/bin/time", "-v", str(MEDKG), "build", str(articles)]
    command += ["--registry", str(registry), "--out", str(out)]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"medkg build failed:\n{done.stderr[-2000:]}")
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    rss = int(peak.group(1)) if peak else 0
    return wall, rss


def machine() -> str:
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")),
        platform.processor(),
    )  # fmt: skip
    versions = f"Python {platform.python_version()}, rdflib {rdflib.__version__}, "
    versions += f"pyoxigraph {ox.__version__}, pyshacl {pyshacl.__version__}, "
    versions += f"networkx {networkx.__version__}"
    return f"{cpu}, {os.cpu_count()} cores; {versions}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "medkg-bench")
    parser.add_argument("--out", type=Path, help="write the Markdown table here too")
    arguments = parser.parse_args()
    arguments.work.mkdir(parents=True, exist_ok=True)
    rows = []
    for size in arguments.sizes:
        print(f"measuring {size} articles …", file=sys.stderr)
        rows.append(measure(size, arguments.work))
    keys = list(rows[0])
    header = " | ".join(f"{r['articles']} articles" for r in rows)
    lines = [f"Machine: {machine()}", "", f"| measure | {header} |"]
    lines.append("|---" * (len(rows) + 1) + "|")
    lines += [f"| {key} | " + " | ".join(r.get(key, "-") for r in rows) + " |" for key in keys[1:]]
    table = "\n".join(lines) + "\n"
    print(table)
    if arguments.out:
        arguments.out.write_text(table, encoding="utf-8")


if __name__ == "__main__":
    main()
