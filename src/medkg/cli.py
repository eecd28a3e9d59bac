"""The `medkg` command: a thin shell over the library (build, validate, query, show, export)."""

from __future__ import annotations

import dataclasses
import errno
import importlib.util
import io
import json
import logging
import socket
import sys
from collections.abc import Callable, Iterable
from functools import wraps
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, TypeVar

import click
import pyoxigraph
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from medkg import export as exporter
from medkg import project
from medkg import stream as streamer
from medkg.article import MAX_ARTICLE_BYTES
from medkg.build import BuildResult, build, discover, left_out, read_articles, write_atomically
from medkg.evaluate import GoldError, evaluate, score_rows
from medkg.executor import Limits
from medkg.extract import extract
from medkg.guard import check_text
from medkg.relations import RELATIONS
from medkg.resources import REGISTRY
from medkg.results import FORMAT_NAMES
from medkg.standards import HPO_TYPES, ICD_TYPES
from medkg.store import StoreError, open_dataset, open_graph, open_store, read_graph_file
from medkg.terminal import printable
from medkg.terminology import Lexicon, TerminologyError, load_registry
from medkg.units import ARTICLE_TIMEOUT
from medkg.validate import validate as shacl_validate
from medkg.vocab import FAMILIES, __version__

if TYPE_CHECKING:
    from medkg import analysis as graph_analysis
    from medkg import consistency as consistency_checks
    from medkg import diff as build_diff
    from medkg import plot as plotter
    from medkg import push as pusher
    from medkg import queries as named_queries
    from medkg import server as http_server
    from medkg import stats as graph_statistics
    from medkg import traverse
    from medkg import view as viewer
else:

    def _on_first_use(name: str) -> ModuleType:
        """``name`` imported when an attribute is first read (networkx and rdflib's SPARQL
        engine cost a second to import: a rebuild needs neither)."""
        if name in sys.modules:  # one module object, or its classes would be two
            return sys.modules[name]
        spec = importlib.util.find_spec(name)
        assert spec and spec.loader, name
        spec.loader = importlib.util.LazyLoader(spec.loader)
        module = sys.modules[name] = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    graph_analysis = _on_first_use("medkg.analysis")
    consistency_checks = _on_first_use("medkg.consistency")
    build_diff = _on_first_use("medkg.diff")
    plotter = _on_first_use("medkg.plot")
    pusher = _on_first_use("medkg.push")
    named_queries = _on_first_use("medkg.queries")
    http_server = _on_first_use("medkg.server")
    graph_statistics = _on_first_use("medkg.stats")
    traverse = _on_first_use("medkg.traverse")
    viewer = _on_first_use("medkg.view")

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")


class _Console(Console):
    """A console that prints strings as data: every line of them through :func:`printable`,
    never read as markup or emoji codes (the consoles below turn those off)."""

    def render_str(self, text: str, **options: Any) -> Text:
        escaped = "\n".join(printable(line) for line in text.split("\n"))
        return super().render_str(escaped, **options)


def _line(*parts: str | tuple[str, str]) -> Text:
    """One line of ``parts``, each a string or a (string, style) pair, escaped as strings are
    (a newline too)."""
    escaped = [printable(p) if isinstance(p, str) else (printable(p[0]), p[1]) for p in parts]
    return Text.assemble(*escaped)


def _say(label: str, style: str, message: str) -> None:
    """A message on stderr, on one line whatever the file names in it hold."""
    errors.print(_line((f"{label}:", style), f" {message}"))


console = _Console(highlight=False, soft_wrap=True, markup=False, emoji=False)
errors = _Console(stderr=True, highlight=False, soft_wrap=True, markup=False, emoji=False)
# a port taken or privileged, an address not this machine's: said in a line, not a traceback
_CANNOT_LISTEN = (errno.EADDRINUSE, errno.EADDRNOTAVAIL, errno.EACCES)
PUBLISHED_WITH_PROBLEMS = 3  # medkg build's exit status when some files were not built


def _read_build(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path:
    """The build a command reads: the one named, else the project's, said on stderr so that
    the user knows which graph answered."""
    if value is not None:
        return value
    found = project.build_dir()
    errors.print(_line(("build:", "dim"), f" {found}"))
    return found


build_dir_option = click.option(
    "--build-dir",
    type=click.Path(file_okay=False, path_type=Path),
    callback=_read_build,
    help=f"Where the last build's files are [default: ${project.BUILD_DIR_VARIABLE}, else "
    "data/build in the nearest folder up from here that has data/build or data/articles].",
)
format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
)


def reports_errors(command: F) -> F:
    """Turn the library's expected errors into one clear line on stderr and exit status 1."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except (
            StoreError,
            named_queries.QueryError,
            traverse.ConceptNotFound,
            GoldError,
            TerminologyError,
            FileNotFoundError,
            pusher.PushError,
        ) as error:
            _say("error", "red", str(error))
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


@click.group()
@click.version_option(__version__, prog_name="medkg")
def main() -> None:
    """medkg: a knowledge graph of medical conditions, symptoms and procedures."""


@main.command("build")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the store, kg.nq, kg.trig, kg.ttl, kg.jsonld and report.json [default: "
    "the project's build folder, as for --build-dir; it replaces a graph of other articles "
    "only when named].",
)
@click.option(
    "--registry",
    type=click.Path(exists=True, path_type=Path),
    help="Your curated concepts (a folder of *.tsv files, or one file): they add to the "
    "shipped registry and correct it (a record of the same label replaces its own).",
)
@click.option(
    "--kind",
    type=click.Choice(["condition", "symptom", "procedure"]),
    help="Read every article as this kind (default: its folder's name says, else its headings).",
)
@click.option(
    "--jobs",
    type=click.IntRange(1),
    help="Worker processes for the articles that changed (default: one per core).",
)
@click.option(
    "--full",
    is_flag=True,
    help="Write every output anew instead of patching the last good build's.",
)
@click.option(
    "--max-article-bytes",
    type=click.IntRange(1),
    default=MAX_ARTICLE_BYTES,
    show_default=True,
    help="Skip, with a warning, an article file larger than this.",
)
@click.option(
    "--article-timeout",
    type=click.FloatRange(0),
    default=ARTICLE_TIMEOUT,
    show_default=True,
    help="Seconds an article may take to build before it is skipped with a warning (0: no limit).",
)
@click.option(
    "--follow-links",
    is_flag=True,
    help="Read links that lead out of the folder they are in (else skipped with a warning).",
)
@reports_errors
def build_command(
    paths: tuple[Path, ...],
    out: Path | None,
    registry: Path | None,
    kind: str | None,
    jobs: int | None,
    full: bool,
    max_article_bytes: int,
    article_timeout: float,
    follow_links: bool,
) -> None:
    """Parse, extract, link, mint and validate articles (default: the project's data/articles).

    A rebuild reads only the articles whose files changed and patches the store and files.
    Only regular files are read: FIFOs, devices, folders, links that dangle, loop or lead
    out of their folder (unless --follow-links), and files over --max-article-bytes are
    skipped with a warning, as is an article that takes over --article-timeout seconds to
    build. A skipped or broken article keeps its graph from the last good build.

    \b
    Exit status:
      0  published: every article file was built
      3  published, but some files were skipped or refused (see the messages)
      1  nothing published: the graph does not conform, or the build failed;
         the last good build is left as it was
    """
    sources = list(paths) or [project.articles_dir()]
    if out is None:
        out = project.build_dir()
        if dropped := left_out(sources, out, follow_links):
            _say(
                "error",
                "red",
                f"{out} holds the graph of other articles ({len(dropped)} of them, such as "
                f"{dropped[0]}), which this build would replace: name it to replace it "
                f"(--out {out}), or build elsewhere (--out DIR); nothing was built",
            )
            sys.exit(1)
    total = len(discover(sources, follow_links))
    with Progress(
        TextColumn("{task.description}", markup=False),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=errors,
        transient=True,
    ) as progress:
        task = progress.add_task("reading articles", total=total)
        read = iter(range(1, total + 1))

        def advance(path: Path) -> None:
            phase = f"reading {printable(path.name)}"
            if next(read, total) == total:  # what a build does once every article is read
                phase = "validating, writing and publishing the graph"
            progress.update(task, description=phase, advance=1)

        result = build(
            sources,
            out,
            registry,
            advance,
            jobs,
            full,
            max_article_bytes=max_article_bytes,
            article_timeout=article_timeout,
            follow_links=follow_links,
            kind=kind,
        )
    for message in result.errors:
        _say("error", "red", message)
    for message in result.warnings:
        _say("warning", "yellow", message)
    _print_summary(result)
    if not result.ok:
        console.print(result.validation.text())
        errors.print(_line((f"the new graph does not conform; {out} left as it was", "red")))
        sys.exit(1)
    if result.out is None:  # nothing built: the last good build stays
        sys.exit(1)
    console.print(f"wrote {', '.join(str(p) for p in result.written)}")
    if result.errors or result.skipped:
        sys.exit(PUBLISHED_WITH_PROBLEMS)


def _print_summary(result: BuildResult) -> None:
    summary = result.summary
    table = Table(title="medkg build", show_header=True)
    table.add_column("what")
    table.add_column("count", justify="right")
    table.add_row("articles", str(summary.articles))
    table.add_row("articles rebuilt (the rest from the cache)", str(result.rebuilt))
    for name, count in summary.concepts_by_type.items():
        table.add_row(f"concepts: {name}", str(count))
    for name, count in summary.relations_by_type.items():
        table.add_row(f"relations: {name}", str(count))
    table.add_row("evidence statements", str(summary.statements))
    table.add_row("negated statements", str(summary.negated))
    table.add_row("SHACL", "conforms" if result.ok else "VIOLATIONS")
    console.print(table)


@main.command("validate")
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@build_dir_option
@reports_errors
def validate_command(file: Path | None, build_dir: Path) -> None:
    """SHACL report in words for FILE (default: the last build); exit 1 on violations."""
    dataset = read_graph_file(file) if file else open_dataset(build_dir)
    report = shacl_validate(dataset)
    console.print(report.text())
    if not report.conforms:
        sys.exit(1)


@main.command("queries")
def queries_command() -> None:
    """List the named queries with their descriptions and parameters."""
    for query in named_queries.load_queries().values():
        params = ", ".join(name for name, _ in query.param_docs)
        console.print(_line((query.name, "bold"), f"  ({params})" if params else ""))
        console.print(f"    {query.description}", style="dim")


@main.command("query")
@click.argument("name")
@click.option("-p", "--param", "params", multiple=True, metavar="KEY=VALUE")
@format_option
@build_dir_option
@reports_errors
def query_command(name: str, params: tuple[str, ...], fmt: str, build_dir: Path) -> None:
    """Run the named query NAME with parameters (-p condition="bone metastasis")."""
    bindings = dict(_key_value(p) for p in params)
    store = open_store(build_dir)
    result = named_queries.run_named(store, name, bindings)
    # empty because a name is unknown is not "nothing to show"
    if not result.rows and (unknown := named_queries.unknown_names(store, name, bindings)):
        for param, value in unknown.items():
            _say("error", "red", f"no concept is named {value!r} in this build ({param})")
        sys.exit(1)
    _print_result(result, fmt)


def _key_value(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise click.BadParameter(f"{text!r} is not KEY=VALUE", param_hint="-p")
    return key.strip(), value


@main.command("sparql")
@click.argument("query")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", *FORMAT_NAMES]),
    default="table",
    show_default=True,
    help="table (RDF as Turtle); SELECT/ASK: json, xml, csv, tsv (SPARQL 1.1 results, term "
    "types kept in json, xml and tsv); CONSTRUCT/DESCRIBE: turtle, ntriples, jsonld, rdfxml.",
)
@build_dir_option
@reports_errors
def sparql_command(query: str, fmt: str, build_dir: Path) -> None:
    """Run a SPARQL query given as text or as a file name; medkg's prefixes (medkg:,
    concept:, skos: …) need no PREFIX line."""
    text, store = _query_text(query), open_store(build_dir)
    if fmt == "table" and check_text(text)[1] in ("SELECT", "ASK"):
        _print_result(named_queries.run_sparql(store, text), fmt)
        return
    media_type = FORMAT_NAMES["turtle" if fmt == "table" else fmt]
    body = named_queries.write_sparql(store, text, media_type)
    sys.stdout.buffer.write(body if body.endswith(b"\n") else body + b"\n")


def _query_text(argument: str) -> str:
    """The query ``argument`` gives: its text, or the text of the file it names."""
    path = Path(argument)
    try:
        named = path.suffix == ".rq" or path.is_file()
    except OSError:  # too long to be a file name (is_file raises on that): a query
        named = False
    return path.read_text(encoding="utf-8") if named else argument


def _print_result(result: named_queries.QueryResult, fmt: str) -> None:
    if fmt == "csv":
        click.echo(result.to_csv(), nl=False)
    elif fmt == "json":
        click.echo(result.to_json())
    else:
        # IRIs make a terminal table unreadable; csv and json keep them.
        shown = [i for i, column in enumerate(result.columns) if not column.endswith("Iri")]
        table = Table(*(result.columns[i] for i in shown), show_header=True)
        for row in result.rows:
            table.add_row(*(row[i] or "" for i in shown))
        console.print(table)
        console.print(f"{len(result.rows)} row(s)")


@main.command("show")
@click.argument("concept")
@build_dir_option
@reports_errors
def show_command(concept: str, build_dir: Path) -> None:
    """A concept card: labels, types, codes, and every relation with its sentences."""
    G = traverse.to_networkx(open_graph(build_dir))
    iri = traverse.find_concept(G, concept)
    node = G.nodes[iri]
    labels = _labels(G)
    console.print(_line((node["label"], "bold"), f"  <{iri}>"))
    console.print(f"types: {', '.join(node['types']) or '-'}")
    if node.get("synonyms"):
        console.print(f"also: {', '.join(node['synonyms'])}")
    if node.get("codes"):
        console.print(f"codes: {', '.join(node['codes'])}")
    _print_hops(traverse.neighbors(G, iri), labels)


@main.command("neighbors")
@click.argument("concept")
@click.option(
    "--relation",
    type=click.Choice(sorted(RELATIONS)),
    help="Only this relation (e.g. hasSymptom).",
)
@build_dir_option
@reports_errors
def neighbors_command(concept: str, relation: str | None, build_dir: Path) -> None:
    """Concepts one step from CONCEPT, each step in words with its evidence."""
    G = traverse.to_networkx(open_graph(build_dir))
    iri = traverse.find_concept(G, concept)
    hops = traverse.neighbors(G, iri, relation)
    if not hops:
        console.print("no neighbours" + (f" over {relation}" if relation else ""))
    _print_hops(hops, _labels(G))


@main.command("path")
@click.argument("source")
@click.argument("target")
@click.option("--max-hops", default=4, show_default=True, type=click.IntRange(1, 8))
@click.option("--limit", default=5, show_default=True, type=click.IntRange(1, 50))
@build_dir_option
@reports_errors
def path_command(source: str, target: str, max_hops: int, limit: int, build_dir: Path) -> None:
    """Paths from SOURCE to TARGET, shortest first, each hop explained with its evidence."""
    G = traverse.to_networkx(open_graph(build_dir))
    start, end = traverse.find_concept(G, source), traverse.find_concept(G, target)
    found = traverse.paths(G, start, end, max_hops=max_hops, limit=limit)
    labels = _labels(G)
    if not found:
        console.print(f"no path within {max_hops} hops")
        sys.exit(1)
    for number, path in enumerate(found, start=1):
        names = " → ".join(labels[n] for n in path.nodes)
        hops = f"{len(path.hops)} hop" + ("s" if len(path.hops) > 1 else "")
        console.print()
        console.print(_line((f"path {number}", "bold"), f" ({hops}): {names}"))
        _print_hops(path.hops, labels)


def _labels(G: Any) -> dict[str, str]:
    return {n: d["label"] for n, d in G.nodes(data=True)}


def _print_hops(hops: Iterable[traverse.Hop], labels: dict[str, str]) -> None:
    for hop in hops:
        console.print(f"  • {hop.explain(labels)}")
        for evidence in hop.evidence:
            hedges = f" [{', '.join(evidence.hedges)}]" if evidence.hedges else ""
            console.print(f'      "{evidence.sentence}"{hedges}')
            console.print(f"        — {evidence.title}, {evidence.section}", style="dim")


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=7878, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--timeout", default=Limits.timeout, show_default=True, help="Seconds a query may run."
)
@click.option("--max-rows", default=Limits.max_rows, show_default=True, help="Rows in one answer.")
@click.option(
    "--max-answer-bytes",
    default=Limits.max_answer_bytes,
    show_default=True,
    type=click.IntRange(1000),
    help="Bytes in one answer, in any format, HTML included.",
)
@click.option(
    "--max-query-bytes", default=Limits.max_query_bytes, show_default=True, help="Query size."
)
@click.option(
    "--max-body-bytes", default=Limits.max_body_bytes, show_default=True, help="Request size."
)
@click.option("--workers", default=Limits.workers, show_default=True, help="Queries at once.")
@click.option(
    "--named-workers",
    default=Limits.named_workers,
    show_default=True,
    type=click.IntRange(0),
    help="More workers kept for the named queries, which slow ad-hoc queries cannot fill.",
)
@click.option(
    "--worker-memory",
    "worker_memory_mb",
    default=Limits.worker_memory_mb,
    show_default=True,
    type=click.IntRange(256),
    help="Megabytes of address space a query worker may use; a query needing more gets 503.",
)
@click.option(
    "--idle-timeout",
    default=Limits.idle_timeout,
    show_default=True,
    help="Seconds a connection may send nothing before it is closed.",
)
@click.option(
    "--max-connections",
    default=Limits.max_connections,
    show_default=True,
    type=click.IntRange(1),
    help="Connections served at once; more are answered 503.",
)
@click.option("--cors", "cors_origin", metavar="ORIGIN", help="Allow this origin (CORS).")
@click.option("--allow-host", multiple=True, help="Another Host name clients may use.")
@click.option(
    "--access-log",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    default=Path("-"),
    show_default=True,
    help="Where to append one Common Log Format line per request ('-': stderr).",
)
@build_dir_option
@reports_errors
def serve_command(
    host: str,
    port: int,
    timeout: float,
    max_rows: int,
    max_answer_bytes: int,
    max_query_bytes: int,
    max_body_bytes: int,
    workers: int,
    named_workers: int,
    worker_memory_mb: int,
    idle_timeout: float,
    max_connections: int,
    cors_origin: str | None,
    allow_host: tuple[str, ...],
    access_log: Path,
    build_dir: Path,
) -> None:
    """Serve the last build: SPARQL endpoint, named queries, concept pages (read-only)."""
    _log_to(http_server.access_log, access_log)
    _log_to(http_server.log, Path("-"))
    limits = Limits(
        timeout=timeout,
        max_rows=max_rows,
        max_answer_bytes=max_answer_bytes,
        max_query_bytes=max_query_bytes,
        max_body_bytes=max_body_bytes,
        workers=workers,
        named_workers=named_workers,
        worker_memory_mb=worker_memory_mb,
        idle_timeout=idle_timeout,
        max_connections=max_connections,
    )
    try:
        server = http_server.create_server(build_dir, host, port, limits, cors_origin, allow_host)
    except OSError as error:
        if not isinstance(error, socket.gaierror) and error.errno not in _CANNOT_LISTEN:
            raise
        _say("error", "red", f"cannot listen on {host}:{port}: {error.strerror or error}")
        sys.exit(1)
    address = f"http://{host}:{server.server_address[1]}"
    console.print(f"medkg serving {build_dir} at {address}/ (SPARQL: {address}/sparql)")
    console.print("stop with Ctrl-C", style="dim")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        server.service.executor.close()  # type: ignore[attr-defined]


def _log_to(logger: logging.Logger, path: Path) -> None:
    """Write ``logger``'s records, their message alone, to ``path`` (``-``: stderr)."""
    handler: logging.Handler = (
        logging.StreamHandler(sys.stderr)
        if str(path) == "-"
        else logging.FileHandler(path, encoding="utf-8")
    )
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False


@main.command("eval")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--gold",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The folder of gold files, one <article>.tsv each (docs/annotation.md).",
)
@click.option("--details", is_flag=True, help="List missed and spurious facts per article.")
@reports_errors
def eval_command(paths: tuple[Path, ...], gold: Path, details: bool) -> None:
    """Score extraction against the gold files: precision and recall per relation.

    Every gold row counts: a fact about a concept no vocabulary lists is still a fact, and
    missing it is a miss. Exits 1 when no article has a gold file."""
    lexicon = Lexicon(load_registry(REGISTRY))
    articles, failures, _ = read_articles(discover(list(paths) or [project.articles_dir()]))
    evaluation = evaluate([extract(a, lexicon) for a in articles], gold)
    for source in evaluation.without_gold:
        _say("no gold file", "yellow", str(source))
    for failure in failures:
        _say("error", "red", str(failure))
    if not evaluation.articles:
        _say("error", "red", f"no article had a gold file in {gold}: nothing was scored")
        sys.exit(1)
    table = Table("relation", "gold", "extracted", "correct", "precision", "recall", "F1")
    for name, score in score_rows(evaluation):
        gold_count = score.true_positives + score.false_negatives
        found = score.true_positives + score.false_positives
        table.add_row(
            name,
            str(gold_count),
            str(found),
            str(score.true_positives),
            f"{score.precision:.2f}",
            f"{score.recall:.2f}",
            f"{score.f1:.2f}",
            style="bold" if name == "overall" else None,
        )
    console.print(table)
    console.print(
        f"{len(evaluation.articles)} articles scored against {gold}; "
        f"denied facts extracted as asserted: {evaluation.negated_asserted()}"
    )
    if details:
        for result in evaluation.articles:
            for label, facts in (("missed", result.missed), ("spurious", result.spurious)):
                for fact in facts:
                    console.print(f"{result.article}: {label}: {fact.shown}")


@main.command("terms")
@click.option("--type", "concept_type", help="Only unlinked concepts of this type (e.g. Drug).")
@build_dir_option
@reports_errors
def terms_command(concept_type: str | None, build_dir: Path) -> None:
    """Linking coverage by type, and every concept no vocabulary links, with where an article
    names it: what to add to your --registry, or to look up."""
    stats = graph_statistics.graph_stats(open_graph(build_dir))
    table = Table("type", "concepts", "with a standard code", "share")
    for name, coverage in stats.coverage_by_type.items():
        table.add_row(name, str(coverage.concepts), str(coverage.coded), f"{coverage.share:.0%}")
    console.print(table)
    unlinked = [u for u in stats.unlinked if concept_type is None or concept_type in u.types]
    console.print(f"\n{len(unlinked)} concepts no vocabulary links (of {stats.concepts}):")
    for item in unlinked:
        console.print(f"  {item.label}  ({', '.join(item.types)})  — {item.title}, {item.section}")
        if item.sentence:
            console.print(f'      "{item.sentence}"', style="dim")


@main.command("stats")
@click.option("--top", default=10, show_default=True, type=click.IntRange(1, 100))
@build_dir_option
@reports_errors
def stats_command(top: int, build_dir: Path) -> None:
    """Articles by kind, concepts and relations by type, code coverage, orphans and hubs."""
    stats = graph_statistics.graph_stats(open_graph(build_dir), top=top)
    for title, counts in (
        ("articles by kind", stats.articles_by_kind),
        ("concepts by type", stats.concepts_by_type),
        ("relations by type", stats.relations_by_type),
    ):
        table = Table("name", "count", title=title)
        for name, count in counts.items():
            table.add_row(name, str(count))
        console.print(table)
    linkable = [t for t in ("Symptom", *ICD_TYPES, *HPO_TYPES) if t in stats.coverage_by_type]
    shares = ", ".join(
        f"{t} {c.coded}/{c.concepts} ({c.share:.0%})"
        for t, c in ((t, stats.coverage_by_type[t]) for t in dict.fromkeys(linkable))
    )
    console.print(f"linked to HPO or ICD-10-CM: {shares}")
    console.print(
        f"unlinked concepts (no standard code): {len(stats.unlinked)} of {stats.concepts}"
        " (medkg terms lists them)"
    )
    console.print(f"orphan concepts (no relation): {', '.join(stats.orphans) or 'none'}")
    table = Table("concept", "degree", title="most connected")
    for label, degree in stats.most_connected:
        table.add_row(label, str(degree))
    console.print(table)


@main.command("export")
@click.option("--format", "fmt", type=click.Choice(exporter.FORMATS), default="turtle")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="File to write (turtle, trig, jsonld, nquads, graphml, gexf; default stdout), or "
    "directory to write nodes and edges files into (csv, tsv, kgx; required).",
)
@click.option(
    "--union-default",
    is_flag=True,
    help="trig, nquads: also write the union of the graphs as the default graph, for tools "
    "that query a file's default graph (Jena's arq --data).",
)
@build_dir_option
@reports_errors
def export_command(fmt: str, output: Path | None, union_default: bool, build_dir: Path) -> None:
    """Write the graph as Turtle, TriG, JSON-LD, N-Quads, GraphML or GEXF (to stdout or
    -o FILE), or as CSV, TSV or KGX TSV nodes and edges files (into -o DIRECTORY).

    N-Quads is streamed from the store graph by graph (articles by IRI, then the terminology
    graph; lines sorted), for any store's bulk loader. TriG and N-Quads hold the named graphs:
    the default graph is their union, which a store derives (Jena TDB: tdb:unionDefaultGraph),
    or which --union-default writes out."""
    if union_default and fmt not in ("trig", "nquads"):
        raise click.UsageError("--union-default is for --format trig or nquads")
    if fmt in exporter.DIRECTORY_FORMATS:
        if output is None:
            raise click.UsageError(f"--format {fmt} writes two files: give -o DIRECTORY")
        if output.exists() and not output.is_dir():
            raise click.UsageError(f"--format {fmt} writes into a directory; {output} is a file")
        for name, text in exporter.serialise_files(open_dataset(build_dir), fmt).items():
            errors.print(f"wrote {write_atomically(output / name, text)}")
        return
    if output is not None and output.is_dir():
        raise click.UsageError(f"--format {fmt} writes one file; {output} is a directory")
    if fmt == "nquads":  # straight from the store, never a whole rdflib dataset in memory
        if output is None:
            streamer.write_nquads(open_store(build_dir), sys.stdout.buffer, union_default)
        else:
            streamer.write_nquads_file(open_store(build_dir), output, union_default)
            errors.print(f"wrote {output}")
        return
    text = exporter.serialise(open_dataset(build_dir), fmt)
    if union_default:  # N-Triples lines are TriG triples of the default graph
        union = io.BytesIO()
        streamer.write_graph(open_store(build_dir), pyoxigraph.DefaultGraph(), union)
        text += union.getvalue().decode()
    if output is None:
        click.echo(text, nl=False)
    else:
        write_atomically(output, text)
        errors.print(f"wrote {output}")


# --- analysis: differential, similar, hubs, check, diff -------------------------------------

analysis_format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
)


def _echo_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


def _evidence_json(refs: Iterable[traverse.EvidenceRef]) -> list[dict[str, str]]:
    return [{"article": r.title, "section": r.section, "sentence": r.sentence} for r in refs]


def _fail_on_value_error(call: Callable[[], T]) -> T:
    """Run ``call``; a ValueError (a bad option value) becomes one line on stderr and exit 1."""
    try:
        return call()
    except ValueError as error:
        _say("error", "red", str(error))
        sys.exit(1)


@main.command("differential")
@click.argument("symptoms", nargs=-1, required=True)
@click.option("-k", "--top", default=10, show_default=True, type=click.IntRange(1, 500))
@analysis_format_option
@build_dir_option
@reports_errors
def differential_command(symptoms: tuple[str, ...], top: int, fmt: str, build_dir: Path) -> None:
    """Conditions ranked by how well they explain SYMPTOMS (names, synonyms or HPO codes)."""
    G = traverse.to_networkx(open_graph(build_dir))
    ranked = graph_analysis.differential(G, symptoms)[:top]
    labels = _labels(G)
    if fmt == "json":
        _echo_json(
            [
                {
                    "condition": labels[c.condition],
                    "conditionIri": c.condition,
                    "score": round(c.score, 4),
                    "coverage": round(c.coverage, 4),
                    "otherSymptoms": c.other_symptoms,
                    "matched": [
                        {
                            "symptom": labels[m.symptom],
                            "symptomIri": m.symptom,
                            "weight": round(m.weight, 4),
                            "conditionsWithIt": m.conditions_with_it,
                            "evidence": _evidence_json(m.evidence),
                        }
                        for m in c.matched
                    ],
                    "unmatched": [labels[s] for s in c.unmatched],
                }
                for c in ranked
            ]
        )
        return
    table = Table("#", "condition", "score", "coverage", "matched (weight)", "unmatched")
    for rank, c in enumerate(ranked, start=1):
        matched = ", ".join(f"{labels[m.symptom]} ({m.weight:.2f})" for m in c.matched)
        unmatched = ", ".join(labels[s] for s in c.unmatched)
        table.add_row(
            str(rank),
            labels[c.condition],
            f"{c.score:.2f}",
            f"{c.coverage:.0%}",
            matched,
            unmatched,
        )
    console.print(table)
    for c in ranked[:3]:
        console.print(_line((labels[c.condition], "bold")))
        for m in c.matched:
            for ref in m.evidence[:1]:
                console.print(f'  • {labels[m.symptom]}: "{ref.sentence}"')
                console.print(f"      — {ref.title}, {ref.section}", style="dim")


@main.command("similar")
@click.argument("concept")
@click.option(
    "--by",
    type=click.Choice([*FAMILIES, "all"]),
    default="symptoms",
    show_default=True,
    help="Which neighbours to compare.",
)
@click.option("-k", "--top", default=10, show_default=True, type=click.IntRange(1, 500))
@analysis_format_option
@build_dir_option
@reports_errors
def similar_command(concept: str, by: str, top: int, fmt: str, build_dir: Path) -> None:
    """Concepts most like CONCEPT by shared symptoms, procedures or treatments."""
    G = traverse.to_networkx(open_graph(build_dir))
    iri = graph_analysis.find_term(G, concept)
    found = graph_analysis.similar(G, iri, by=by, k=top)
    labels = _labels(G)
    if fmt == "json":
        _echo_json(
            [
                {
                    "concept": labels[s.concept],
                    "conceptIri": s.concept,
                    "score": round(s.score, 4),
                    "shared": [labels[n] for n in s.shared],
                }
                for s in found
            ]
        )
        return
    *most, last = FAMILIES
    compared = f"{', '.join(most)} or {last}" if by == "all" else by
    if not found:
        console.print(f"{labels[iri]} shares no {compared} with any concept")
        return
    table = Table("concept", "score", "shared", title=f"like {labels[iri]}, by {compared}")
    for s in found:
        table.add_row(labels[s.concept], f"{s.score:.2f}", ", ".join(labels[n] for n in s.shared))
    console.print(table)


@main.command("hubs")
@click.option("--type", "concept_type", help="Only concepts of this type (e.g. Symptom).")
@click.option("-k", "--top", default=10, show_default=True, type=click.IntRange(1, 500))
@click.option("--seed", default=0, show_default=True, help="Seed of the community detection.")
@analysis_format_option
@build_dir_option
@reports_errors
def hubs_command(concept_type: str | None, top: int, seed: int, fmt: str, build_dir: Path) -> None:
    """Most central concepts, and communities of conditions sharing symptoms and procedures."""
    G = traverse.to_networkx(open_graph(build_dir))
    found = _fail_on_value_error(lambda: graph_analysis.hubs(G, concept_type, k=top))
    groups = graph_analysis.communities(G, seed=seed)
    labels = _labels(G)
    if fmt == "json":
        _echo_json(
            {
                "hubs": [
                    {
                        "concept": labels[h.concept],
                        "conceptIri": h.concept,
                        "types": list(G.nodes[h.concept]["types"]),
                        "degree": h.degree,
                        "betweenness": round(h.betweenness, 4),
                    }
                    for h in found
                ],
                "communities": [
                    {
                        "members": [labels[m] for m in c.members],
                        "shared": [labels[n] for n in c.shared],
                    }
                    for c in groups
                ],
            }
        )
        return
    table = Table("concept", "types", "degree", "betweenness", title="most central")
    for h in found:
        types = ", ".join(G.nodes[h.concept]["types"])
        table.add_row(labels[h.concept], types, str(h.degree), f"{h.betweenness:.3f}")
    console.print(table)
    console.print(
        "\n[bold]communities of conditions[/bold] (shared symptoms and procedures)", markup=True
    )
    for number, c in enumerate(groups, start=1):
        console.print(f"{number}. {', '.join(labels[m] for m in c.members)}")
        console.print(f"   sharing: {', '.join(labels[n] for n in c.shared[:8])}", style="dim")


@main.command("check")
@click.option("--strict", is_flag=True, help="Exit 1 when there is any finding.")
@analysis_format_option
@build_dir_option
@reports_errors
def check_command(strict: bool, fmt: str, build_dir: Path) -> None:
    """Consistency across articles: contradictions, FAQ-only facts, role conflicts."""
    report = consistency_checks.check(open_graph(build_dir))
    if fmt == "json":
        _echo_json(dataclasses.asdict(report))
    else:
        _print_check(report)
    if strict and report.findings:
        sys.exit(1)


def _print_check(report: consistency_checks.ConsistencyReport) -> None:
    def where(s: consistency_checks.Sentence) -> str:
        return f"{s.article}, {s.section}" if s.section else s.article

    console.print(
        f"[bold]asserted in one article, negated in another[/bold]: {len(report.contradictions)}",
        markup=True,
    )
    for c in report.contradictions:
        console.print(f"  • {c.fact}")
        console.print(f'      yes: "{c.asserted.sentence}"  — {where(c.asserted)}')
        console.print(f'      no:  "{c.negated.sentence}"  — {where(c.negated)}')
    console.print(f"\n[bold]stated only in the FAQ[/bold]: {len(report.faq_only)}", markup=True)
    for f in report.faq_only:
        console.print(f"  • {'NOT ' if f.negated else ''}{f.fact}")
        console.print(f'      "{f.faq.sentence}"  — {where(f.faq)}')
    console.print(
        f"\n[bold]given different roles by different articles[/bold]: {len(report.type_conflicts)}",
        markup=True,
    )
    for t in report.type_conflicts:
        note = "registry allows both" if t.registered else "NOT in the registry types"
        console.print(f"  • {t.label} (types: {', '.join(t.registry_types)}; {note})")
        for r in t.roles:
            console.print(f'      as {r.role}: "{r.where.sentence}"  — {where(r.where)}')
    console.print(f"\n{report.findings} finding(s)")


@main.command("diff")
@click.argument("old", type=click.Path(file_okay=False, path_type=Path))
@click.argument("new", type=click.Path(file_okay=False, path_type=Path))
@analysis_format_option
@reports_errors
def diff_command(old: Path, new: Path, fmt: str) -> None:
    """Triples added and removed between two build directories, per article and relation."""
    result = build_diff.diff_builds(old, new)
    if fmt == "json":
        _echo_json(dataclasses.asdict(result))
        return
    if not result.graphs:
        console.print("no changes")
        return
    table = Table("relation", "added", "removed", title="relations")
    for relation, (added, removed) in result.by_relation.items():
        table.add_row(relation, str(added), str(removed))
    console.print(table)
    for change in result.graphs:
        console.print()
        console.print(_line((change.title, "bold"), f"  <{change.graph}>"))
        for sign, facts in (("+", change.added), ("-", change.removed)):
            for s, relation, o in facts:
                console.print(f"  {sign} {_slug(s)} {relation} {_slug(o)}")
        for sign, keys in (("+", change.evidence_added), ("-", change.evidence_removed)):
            sentences = dict.fromkeys((k.section, k.sentence) for k in keys)
            for section, sentence in sentences:
                console.print(f'  {sign} evidence: "{sentence}"  — {section}', style="dim")
        other = len(change.other_added) + len(change.other_removed)
        if other:
            console.print(
                f"  other triples: +{len(change.other_added)} -{len(change.other_removed)}",
                style="dim",
            )


def _slug(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1]


@main.command("view")
@click.argument("concept")
@click.option(
    "--depth",
    default=1,
    show_default=True,
    type=click.IntRange(0, viewer.MAX_DEPTH),
    help="Hops from the concept, either direction.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The HTML file to write [default: SLUG.html].",
)
@build_dir_option
@reports_errors
def view_command(concept: str, depth: int, output: Path | None, build_dir: Path) -> None:
    """An interactive page of CONCEPT's neighbourhood: one HTML file that works offline."""
    G = traverse.to_networkx(open_graph(build_dir))
    iri = traverse.find_concept(G, concept)
    path = output or Path(iri.rstrip("/").rsplit("/", 1)[-1] + ".html")
    data = viewer.write_view(G, iri, path, depth)
    console.print(
        f"wrote {path}: {data['label']} and {len(data['nodes']) - 1} concepts within {depth} "
        f"hop{'s' if depth != 1 else ''}, {len(data['edges'])} relations"
    )


@main.command("plot")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the figures [default: figures/ in the build folder].",
)
@click.option(
    "--format", "fmt", type=click.Choice(plotter.FORMATS), default="png", show_default=True
)
@build_dir_option
@reports_errors
def plot_command(out: Path | None, fmt: str, build_dir: Path) -> None:
    """Figures for papers: relation counts, degree distribution, symptom-by-condition map."""
    G = traverse.to_networkx(open_graph(build_dir))
    for path in plotter.plot_all(G, out or build_dir / "figures", fmt):
        console.print(f"wrote {path}")


@main.command("push")
@click.option(
    "--endpoint",
    required=True,
    metavar="URL",
    help="The remote's SPARQL Graph Store endpoint (Virtuoso: http://HOST:8890/sparql-graph-crud-auth).",
)
@click.option("--user", help="User name, for digest or basic authentication.")
@click.option(
    "--password",
    envvar="MEDKG_PUSH_PASSWORD",
    help="The user's password [env: MEDKG_PUSH_PASSWORD].",
)
@click.option(
    "--prune", is_flag=True, help="Delete remote article graphs that the build no longer has."
)
@click.option(
    "--sparql-endpoint",
    metavar="URL",
    help="The remote's SPARQL query endpoint, for --prune [default: /sparql on the same host].",
)
@click.option(
    "--timeout", default=pusher.TIMEOUT, show_default=True, help="Seconds one request may take."
)
@build_dir_option
@reports_errors
def push_command(
    endpoint: str,
    user: str | None,
    password: str | None,
    prune: bool,
    sparql_endpoint: str | None,
    timeout: float,
    build_dir: Path,
) -> None:
    """Send the last build to a SPARQL server: one PUT per named graph, then the union graph."""
    if (user is None) != (password is None):
        raise click.UsageError("give --user and --password (or MEDKG_PUSH_PASSWORD) together")
    store = open_store(build_dir)

    def progress(method: str, graph: pusher.Pushed) -> None:
        count = f" ({graph.triples} triples)" if method == "PUT" else ""
        errors.print(f"{method} <{graph.graph}>{count}")

    report = pusher.push(
        store,
        endpoint,
        user,
        password,
        prune=prune,
        sparql_endpoint=sparql_endpoint,
        progress=progress,
        timeout=timeout,
    )
    console.print(
        f"pushed {len(report.graphs)} graphs, {report.triples} triples, to {endpoint}"
        + (f"; deleted {len(report.pruned)} stale article graphs" if prune else "")
    )
    console.print(
        f"query the union of the articles as the default graph: default-graph-uri="
        f"{pusher.UNION_GRAPH} (or FROM <{pusher.UNION_GRAPH}>)",
        style="dim",
    )
