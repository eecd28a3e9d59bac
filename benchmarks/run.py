"""The benchmark harness: each stage of a build timed at several corpus sizes, each figure beside
a baseline measured in the same run, written as a Markdown table.

    python benchmarks/run.py --sizes 100 1000 [--work /tmp/medkg-bench] [--out FILE.md]

Per size it generates the corpus (benchmarks/generate.py, fixed seed), then measures, in this
process: parse+extract, link+mint, SHACL validation, store load (beside pyoxigraph's own bulk
load of the same N-Quads), named queries on the store (p50/p95, beside rdflib in memory), path,
and writing the files; and in a child process under ``/usr/bin/time -v``: the full
``medkg build`` wall time and peak RSS, the rebuild after one article changed, and a full build
from the cached units.
"""

from __future__ import annotations

import argparse
import multiprocessing
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
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import networkx
import pyoxigraph as ox
import pyshacl
import rdflib

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate

from medkg import analysis, export, outputs, traverse
from medkg.build import discover, read_articles, registries, union_triples
from medkg.extract import extract
from medkg.outputs import terminology_quads
from medkg.queries import load_queries, run_sparql
from medkg.rdf import new_dataset, union
from medkg.resources import REGISTRY
from medkg.segments import write_parts
from medkg.shacl import validate_text
from medkg.store import load_store, open_store
from medkg.terminology import Lexicon, load_registry
from medkg.units import ArticleUnit, Fingerprint, build_terminology, build_units
from medkg.validate import load_class_hierarchy, validate
from medkg.vocab import TERMINOLOGY_GRAPH

MEDKG = Path(sys.executable).with_name("medkg")
RDFLIB_QUERY_LIMIT = 100  # rdflib takes minutes per query on 1,000 articles: baseline at 100 only
WHOLE_GRAPH_LIMIT = 1000  # pyshacl over the whole graph: hours at 10,000 articles


def timed(action: Callable[[], Any]) -> tuple[Any, float]:
    started = time.perf_counter()
    result = action()
    return result, time.perf_counter() - started


def repeat(action: Callable[[], Any], times: int = 7) -> tuple[float, float]:
    """p50 and p95 of ``times`` runs, in milliseconds."""
    samples = sorted(timed(action)[1] * 1000 for _ in range(times))
    return statistics.median(samples), samples[min(len(samples) - 1, round(0.95 * len(samples)))]


def measure(size: int, work: Path, jobs: int) -> dict[str, str]:
    corpus = work / f"corpus-{size}"
    generate(size, corpus)
    articles_dir, registry = corpus / "articles", corpus / "terminology"
    row: dict[str, str] = {"articles": str(size)}

    # the whole build first, in a child process, as a user runs it
    out = work / f"build-{size}"
    shutil.rmtree(out, ignore_errors=True)
    wall, rss = _build(articles_dir, registry, out, jobs)
    row["full build (wall, peak RSS)"] = f"{wall:.1f} s, {rss / 1024:.0f} MB"
    files = discover([articles_dir])
    _drop_a_bullet(files)
    wall, rss = _build(articles_dir, registry, out, jobs)
    row["rebuild after one article changed (wall, peak RSS)"] = f"{wall:.1f} s, {rss / 1024:.0f} MB"
    wall, rss = _build(articles_dir, registry, out, jobs, "--full")
    row["full build from cached units: `--full` (wall, peak RSS)"] = (
        f"{wall:.1f} s, {rss / 1024:.0f} MB"
    )

    # then each stage on its own, beside its baseline
    lexicon = Lexicon(load_registry(REGISTRY, registry))
    (articles, _, _), seconds = timed(lambda: read_articles(files))
    _, extract_seconds = timed(lambda: [extract(a, lexicon) for a in articles])
    row["parse+extract (one process)"] = f"{size / (seconds + extract_seconds):.0f} articles/s"

    fingerprint = Fingerprint.of(registries(registry))
    (built, _), unit_seconds = timed(lambda: build_units(files, fingerprint, jobs=jobs))
    units = [u for u in built if isinstance(u, ArticleUnit)]
    quads = sum(u.quads.count("\n") for u in units)
    row[f"units: parse, extract, mint, validate ({jobs} processes)"] = (
        f"{size / unit_seconds:.0f} articles/s, {quads / unit_seconds:.0f} quads/s ({quads} quads)"
    )

    terminology = "".join(sorted({line for u in units for line in u.terminology.splitlines(True)}))
    texts = [u.quads + u.terminology for u in units]
    _, validation_seconds = timed(lambda: _in_processes(validate_text, texts, jobs))
    _, shared_seconds = timed(lambda: validate_text(terminology))  # its shapes, no JSON-LD
    validation = validation_seconds + shared_seconds
    # pySHACL on the same per-article graphs: what the build ran before, and faster than
    # pySHACL over the whole graph (the baseline), so a lower bound on that ratio
    _, pyshacl_seconds = timed(lambda: _in_processes(_pyshacl_text, texts, jobs))
    row["SHACL: compiled vs pyshacl, both per article in processes"] = (
        f"{validation_seconds:.1f} s vs {pyshacl_seconds:.1f} s "
        f"({pyshacl_seconds / validation_seconds:.1f}x)"
    )
    dataset = new_dataset()
    dataset.parse(data="".join(u.quads for u in units), format="nquads")
    dataset.graph(TERMINOLOGY_GRAPH).parse(data=terminology, format="nt")
    graph = union(dataset)
    if size <= WHOLE_GRAPH_LIMIT:
        report, whole_seconds = timed(lambda: validate(graph))
        row["SHACL: compiled per article + terminology vs pyshacl over the whole graph"] = (
            f"{validation:.1f} s vs {whole_seconds:.1f} s ({whole_seconds / validation:.1f}x), "
            f"conforms={report.conforms}"
        )
    else:
        row["SHACL: compiled per article + terminology vs pyshacl over the whole graph"] = (
            f"{validation:.1f} s (baseline not run above {WHOLE_GRAPH_LIMIT} articles)"
        )

    units.sort(key=lambda unit: unit.graph)
    nquads = "".join(u.quads for u in units) + terminology_quads(terminology.splitlines(True))
    triples = union_triples(units, terminology)
    nquads_file = work / f"named-{size}.nq"
    nquads_file.write_text(nquads, encoding="utf-8")
    expected = nquads.count("\n") + triples.count("\n")
    store_dir = work / f"store-{size}"
    shutil.rmtree(store_dir, ignore_errors=True)
    _, store_seconds = timed(lambda: load_store(nquads_file, triples, store_dir, expected))
    baseline_dir = Path(tempfile.mkdtemp(dir=work))

    def raw_load() -> None:
        raw = ox.Store(str(baseline_dir))
        raw.bulk_load(path=nquads_file, format=ox.RdfFormat.N_QUADS)
        raw.bulk_load(triples.encode(), ox.RdfFormat.N_TRIPLES)

    _, raw_seconds = timed(raw_load)
    shutil.rmtree(baseline_dir)
    row["store load vs raw bulk load of the same quads"] = (
        f"{store_seconds:.2f} s vs {raw_seconds:.2f} s ({store_seconds / raw_seconds:.2f}x)"
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
    symptoms = _common_symptoms(G, 3)
    _, first = timed(lambda: analysis.differential(G, symptoms))  # builds the per-graph tables
    differential_p50, _ = repeat(lambda: analysis.differential(G, symptoms))
    row["networkx view / path p50 / differential (3 symptoms): first call, then p50"] = (
        f"{nx_seconds:.1f} s / {path_p50:.0f} ms / "
        f"{first * 1000:.0f} ms, then {differential_p50:.1f} ms"
    )

    shared = build_terminology(terminology)
    files_dir = work / f"files-{size}"
    _, files_seconds = timed(lambda: _write_files(files_dir, units, terminology, shared, store))
    shutil.rmtree(files_dir)
    name = "write kg.nq+kg.trig+kg.jsonld from the units, kg.ttl from the store"
    if size <= RDFLIB_QUERY_LIMIT:
        _, rdflib_seconds = timed(lambda: export.to_turtle(dataset))
        row[f"{name} vs rdflib Turtle alone"] = f"{files_seconds:.1f} s vs {rdflib_seconds:.1f} s"
    else:
        row[f"{name} vs rdflib Turtle alone"] = f"{files_seconds:.1f} s"
    return row


def _drop_a_bullet(files: list[Path]) -> None:
    """Edit one condition page as an editor would: one bullet of its list removed."""
    for path in files:
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        bullets = [i for i, line in enumerate(lines) if line.startswith(("- ", "* "))]
        if len(bullets) > 1:
            del lines[bullets[0]]
            path.write_text("".join(lines), encoding="utf-8")
            return
    raise SystemExit("no article with a bullet list to edit")


def _write_files(
    directory: Path, units: list[ArticleUnit], terminology: str, shared: Any, store: ox.Store
) -> None:
    """The whole-graph files as the build writes them (staged, not committed)."""
    segments = outputs.terminology_segments(terminology, shared)
    outputs.write_segments(directory, units, segments, None)
    triples = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()) or b""
    turtle = [export.TURTLE_HEADER, *sorted(export.turtle_lines(triples))]
    write_parts(directory / "kg.ttl", turtle)


def _in_processes(check: Callable[[str], Any], texts: list[str], jobs: int) -> list[Any]:
    """``check`` on each text in ``jobs`` processes, as the units validate."""
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(jobs, context) as pool:
        return list(pool.map(check, texts, chunksize=16))


def _pyshacl_text(text: str) -> int:
    dataset = rdflib.Dataset().parse(data=text, format="nquads")  # validated as its union
    return len(validate(dataset, load_class_hierarchy()).violations)


def _common_symptoms(G: Any, count: int) -> list[str]:
    """Labels of the symptoms most conditions share: the differential's busiest input."""
    degree = {n: d for n, d in G.in_degree() if "Symptom" in G.nodes[n].get("types", ())}
    ranked = sorted(degree, key=lambda n: (-degree[n], n))[:count]
    return [G.nodes[n].get("label", n) for n in ranked]


def _build(articles: Path, registry: Path, out: Path, jobs: int, *flags: str) -> tuple[float, int]:
    command = ["/usr/bin/time", "-v", str(MEDKG), "build", str(articles), *flags]
    command += ["--registry", str(registry), "--out", str(out), "--jobs", str(jobs)]
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
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes")
    arguments = parser.parse_args()
    arguments.work.mkdir(parents=True, exist_ok=True)
    rows = []
    for size in arguments.sizes:
        print(f"measuring {size} articles …", file=sys.stderr)
        rows.append(measure(size, arguments.work, arguments.jobs))
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
