"""Time every shipped named query on a built store: p50 per query, on Oxigraph.

    .venv/bin/python benchmarks/named_queries.py /tmp/mb2/build-1000
    .venv/bin/python benchmarks/named_queries.py BUILD --queries OLD_DIR --save old.json
    .venv/bin/python benchmarks/named_queries.py BUILD --compare old.json

Each parameterised query runs twice: with its example values (``q.examples()``, which may name
nothing in a synthetic corpus) and with names picked from the store, so that it returns rows
(a condition with symptoms, treatments, procedures, risk factors and complications; one of its
symptoms; a second condition sharing a symptom). ``--save`` writes every answer, ``--compare``
checks that the answers are the same as a saved run's (GROUP_CONCAT cells as sets), which is how
a rewrite of the queries is checked against the old text on a store too big for rdflib.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from pathlib import Path

import pyoxigraph as ox

from medkg.queries import NamedQuery, QueryResult, load_queries, run_sparql
from medkg.store import open_store

PREFIXES = """PREFIX medkg: <https://w3id.org/medkg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""


def _first(store: ox.Store, text: str) -> list[str]:
    rows = run_sparql(store, PREFIXES + text).rows
    return [value or "" for value in rows[0]] if rows else []


def picked_params(store: ox.Store) -> dict[str, str]:
    """Names from the store for every parameter, so that the queries have rows."""
    found = _first(
        store,
        """SELECT ?c ?l WHERE {
             ?c medkg:hasSymptom [] ; medkg:treatedBy [] ; medkg:diagnosedBy [] ;
                medkg:hasRiskFactor [] ; medkg:hasComplication [] ; skos:prefLabel ?l .
           } ORDER BY ?c LIMIT 1""",
    ) or _first(store, "SELECT ?c ?l WHERE { ?c medkg:hasSymptom [] ; skos:prefLabel ?l } LIMIT 1")
    if not found:
        return {}
    condition_iri, condition = found
    symptom_iri, symptom = _first(
        store,
        f"""SELECT ?s ?l WHERE {{ <{condition_iri}> medkg:hasSymptom ?s . ?s skos:prefLabel ?l .
              ?other medkg:hasSymptom ?s . FILTER(?other != <{condition_iri}>) }}
            ORDER BY ?s LIMIT 1""",
    ) or ["", ""]
    other = _first(
        store,
        f"""SELECT ?l WHERE {{ ?o medkg:hasSymptom <{symptom_iri}> ; skos:prefLabel ?l .
              FILTER(?o != <{condition_iri}>) }} ORDER BY ?o LIMIT 1""",
    ) or [condition]
    return {
        "condition": condition.upper(),  # any case: the lookup lower-cases
        "condition1": condition,
        "condition2": other[0].title(),
        "symptom": symptom,
        "metastasis": condition,
        "concept": condition,
        "subject": condition,
        "relation": "HasSymptom",
        "object": symptom.upper(),
    }


def timed(store: ox.Store, text: str, runs: int) -> tuple[float, QueryResult]:
    times = []
    result = run_sparql(store, text)  # warm up
    for _ in range(runs):
        start = time.perf_counter()
        result = run_sparql(store, text)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, result


_GROUP_CONCAT = re.compile(
    r'GROUP_CONCAT\s*\(.*?separator\s*=\s*"([^"]*)"\s*\)\s+AS\s+\?(\w+)', re.IGNORECASE
)
_COALESCED = re.compile(r'COALESCE\s*\(\s*\?(\w+)\s*,\s*""\s*\)\s+AS\s+\?(\w+)', re.IGNORECASE)


def comparable(query: NamedQuery, result: QueryResult) -> list[list[object]]:
    """The rows with GROUP_CONCAT cells as sorted lists (their order is undefined)."""
    separators = {name: sep for sep, name in _GROUP_CONCAT.findall(query.text)}
    for inner, outer in _COALESCED.findall(query.text):
        if inner in separators:
            separators[outer] = separators[inner]
    return [
        [
            sorted(value.split(separators[column]))
            if value is not None and column in separators
            else value
            for column, value in zip(result.columns, row, strict=True)
        ]
        for row in result.rows
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("build", type=Path, help="a build folder (holding the store)")
    parser.add_argument("--queries", type=Path, default=None, help="a folder of .rq files")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--only", nargs="*", default=None, help="query names")
    parser.add_argument("--save", type=Path, help="write the answers to this JSON file")
    parser.add_argument("--compare", type=Path, help="check the answers against a saved run")
    args = parser.parse_args()

    store = open_store(args.build)
    queries = load_queries(args.queries) if args.queries else load_queries()
    picked = picked_params(store)
    print(f"{len(store)} quads; picked: {picked}", file=sys.stderr)
    answers: dict[str, object] = {}
    saved = json.loads(args.compare.read_text()) if args.compare else {}
    differ = 0
    print(f"{'query':42} {'examples ms':>12} {'rows':>5} {'picked ms':>10} {'rows':>5}")
    for name, query in queries.items():
        if args.only and name not in args.only:
            continue
        cells = []
        for label, values in (("examples", query.examples()), ("picked", picked)):
            if label == "picked" and not query.params:
                cells.append(("", ""))
                continue
            params = {p: values.get(p) or query.examples()[p] for p in query.params}
            ms, result = timed(store, query.bind(params), args.runs)
            key = f"{name} {label}"
            answer = {"columns": list(result.columns), "rows": comparable(query, result)}
            answers[key] = answer
            if key in saved and saved[key] != answer:
                differ += 1
                print(f"DIFFERENT: {key}", file=sys.stderr)
            cells.append((f"{ms:.1f}", str(len(result.rows))))
        (ex_ms, ex_rows), (pk_ms, pk_rows) = cells
        print(f"{name:42} {ex_ms:>12} {ex_rows:>5} {pk_ms:>10} {pk_rows:>5}", flush=True)
    if args.save:
        args.save.write_text(json.dumps(answers, indent=1))
    if args.compare:
        missing = sorted(set(saved) - set(answers)) if not args.only else []
        print(f"compared: {differ} different, {len(missing)} missing", file=sys.stderr)
        return 1 if differ or missing else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
