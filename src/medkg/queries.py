"""Named SPARQL queries: the shipped ``queries/*.rq`` files, their parameters, and running them.

Each ``.rq`` file holds one query and starts with a header comment::

    # title: Symptoms of a condition
    # description: Symptoms the encyclopedia lists for a condition, …
    # param: condition — the condition's name: any label or synonym, any case

Parameters are plain SPARQL variables (``?condition``). Binding one inserts
``VALUES ?condition { "…" }`` as the first line inside the query's outermost ``WHERE`` group,
and ``BIND("…" AS ?condition)`` as the first line inside the ``WHERE`` group of every
sub-select that uses ``?condition`` (a sub-select sees no variable of the query around it), with
the value escaped as a SPARQL string literal, so a value can never change the query's shape.

Queries run on either engine: rdflib (a graph in memory) or Oxigraph (the store a build
writes). Neither can be told not to fetch, so every query is checked by :mod:`medkg.guard`
first: ``SERVICE``, ``FROM``/``FROM NAMED``, updates and deep nesting are refused by parsing.
A named query's file is checked once; binding adds only escaped string literals, which cannot
change what it does.

How to write a query that runs well on every engine medkg serves is in ``queries/README.md``
("Writing a query").
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Node

from medkg import results
from medkg.guard import QueryError, QueryRefused, check, check_text, expand
from medkg.resources import QUERIES_DIR
from medkg.vocab import MEDKG, PREFIXES

__all__ = [
    "NamedQuery",
    "QueryError",
    "QueryRefused",
    "QueryResult",
    "get_query",
    "load_queries",
    "run_named",
    "run_sparql",
]

QUERY_SUFFIX = ".rq"

#: What a query runs on: an rdflib graph, or an Oxigraph store (its named graphs' union).
Source = Graph | ox.Store
NAME_PARAM_DOC = "any label or synonym"  # how a header documents a concept-name parameter


# --- header ------------------------------------------------------------------------------

_HEADER_FIELD = re.compile(r"#\s*(title|description|param)\s*:\s*(.*)", re.IGNORECASE)
# "name — doc": an em dash as written in the shipped files; an en dash, "-", "--" or ":" also do
_PARAM = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)\s*(?:\u2014|\u2013|-{1,2}|:)\s*(.*)")


@dataclass(frozen=True)
class NamedQuery:
    """One shipped query: its header, its text and where it came from."""

    name: str
    title: str
    description: str
    params: tuple[str, ...]
    param_docs: tuple[tuple[str, str], ...]
    text: str
    path: Path

    def examples(self) -> dict[str, str]:
        """Each parameter's example value, from its doc's ``(e.g. "…")``.

        >>> get_query("symptoms-of").examples()  # doctest: +SKIP
        {'condition': 'bone metastasis'}
        """
        found = ((name, _EXAMPLE.search(doc)) for name, doc in self.param_docs)
        return {name: match.group(1) for name, match in found if match}

    def name_params(self) -> tuple[str, ...]:
        """The parameters that name a concept: their docs say they take ``any label or
        synonym``, matched against ``medkg:nameKey``."""
        return tuple(name for name, doc in self.param_docs if NAME_PARAM_DOC in doc)

    def bind(self, params: Mapping[str, str]) -> str:
        """The query text with every parameter bound by a ``VALUES`` line.

        Args:
            params: one string value per declared parameter, by name.

        Returns:
            The text with ``VALUES ?name { "value" }`` lines inserted as the first lines inside
            the outermost ``WHERE`` group, and ``BIND("value" AS ?name)`` lines as the first
            lines inside the ``WHERE`` group of every sub-select that uses the parameter (the
            text unchanged for a query without parameters).

        Raises:
            QueryError: for a missing or unknown parameter, a value that is not a string, or a
                query whose ``WHERE`` group cannot be found.

        Example:
            >>> get_query("symptoms-of").bind({"condition": "MRI"})  # doctest: +SKIP
        """
        unknown = sorted(set(params) - set(self.params))
        if unknown:
            raise QueryError(
                f"unknown parameter {', '.join(map(repr, unknown))} for query {self.name!r}; "
                f"it takes: {_names(self.params)}"
            )
        missing = [p for p in self.params if p not in params]
        if missing:
            raise QueryError(
                f"missing parameter {', '.join(map(repr, missing))} for query {self.name!r}; "
                f"it takes: {_names(self.params)} (on the command line: -p {missing[0]}=VALUE)"
            )
        if not self.params:
            return self.text
        for key in self.params:
            if not isinstance(params[key], str):
                raise QueryError(
                    f"parameter {key!r} of query {self.name!r} must be a string, "
                    f"not {type(params[key]).__name__}"
                )
        position = _where_group_start(self.text)
        if position is None:
            raise QueryError(f"{self.path}: no WHERE {{ … }} group to bind parameters into")
        # the outermost group gets every parameter as VALUES, a sub-select's WHERE group each
        # one it uses as a BIND (rdflib pushes the outer row into a sub-select, and a VALUES
        # there of a variable the row binds matched nothing; a BIND of the same value is inert)
        body = _strip_comments(self.text)
        lines = [(position, "".join(_values_line(p, params[p]) for p in self.params))]
        for start, end in _subselect_where_groups(self.text):
            used = "".join(
                _bind_line(p, params[p]) for p in self.params if _uses(body[start:end], p)
            )
            if used:
                lines.append((start, used))
        text = self.text
        for start, inserted in sorted(lines, reverse=True):
            text = _insert_lines(text, start, inserted)
        return text


def _values_line(name: str, value: str) -> str:
    return f"VALUES ?{name} {{ {sparql_string(value)} }}\n"


def _bind_line(name: str, value: str) -> str:
    return f"BIND({sparql_string(value)} AS ?{name})\n"


def _uses(text: str, name: str) -> bool:
    """Whether ``text`` (comments, strings and IRIs blanked) names the variable ``name``."""
    return re.search(rf"[?$]{re.escape(name)}\b", text) is not None


def _insert_lines(text: str, position: int, lines: str) -> str:
    """``text`` with ``lines`` at ``position`` (just after a group's ``{``): on lines of their
    own, after the brace's line if nothing but a comment follows it, indented as the line they
    come before (two spaces if that line is not indented)."""
    rest_of_line = _REST_OF_LINE.match(text, position)
    if rest_of_line is None:
        return text[:position] + "\n" + _indent(lines, "  ") + text[position:]
    position = rest_of_line.end()
    indent = _INDENT.match(text, position)
    prefix = indent.group(0) if indent is not None and indent.group(0) else "  "
    return text[:position] + _indent(lines, prefix) + text[position:]


def _indent(lines: str, prefix: str) -> str:
    # split at "\n" only: a value may hold other line breaks (U+000B, U+2028 …), unescaped
    return "".join(prefix + line + "\n" for line in lines.removesuffix("\n").split("\n"))


_INDENT = re.compile(r"[ \t]*")


def _names(params: tuple[str, ...]) -> str:
    return ", ".join(params) if params else "no parameters"


_EXAMPLE = re.compile(r'e\.g\. "([^"]+)"')
_BACKSLASH = re.compile(r"\\")
_REST_OF_LINE = re.compile(r"[ \t]*(?:#[^\n]*)?\n")
# pyparsing (under rdflib) turns raw tabs into spaces, so they are escaped like line breaks
_ESCAPES = {'"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def sparql_string(value: str) -> str:
    r"""``value`` as a double-quoted SPARQL string literal that reads back as exactly ``value``.

    Backslash, double quote, line feed, carriage return, tab, backspace and form feed are
    escaped. SPARQL 1.1 (§19.2, and
    rdflib) expands ``\uXXXX`` escapes in the whole query text *before* parsing, so a backslash
    that the value puts before ``u``/``U`` is written as ``\u005C\u005C`` (which expands to the
    escape ``\\``); otherwise ``\\u0022`` would become ``\"`` and change the value.

    >>> print(sparql_string('say "hi"'))
    "say \"hi\""
    """
    escaped = _BACKSLASH.sub(
        lambda m: "\\u005C\\u005C" if value.startswith(("u", "U"), m.end()) else "\\\\", value
    )
    return '"' + "".join(_ESCAPES.get(char, char) for char in escaped) + '"'


def parse_header(text: str, path: Path) -> tuple[str, str, tuple[tuple[str, str], ...]]:
    """The title, description and (name, doc) parameter pairs of a query file's header.

    The header is the block of comment lines at the top of the file. A comment line without a
    ``key:`` continues the field before it.

    Raises:
        QueryError: naming the file, for a missing title or description, or a malformed or
            duplicated parameter.
    """
    fields: dict[str, str] = {}
    params: list[list[str]] = []
    last: list[str] | None = None  # the field a continuation line extends: [key, value]
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        match = _HEADER_FIELD.fullmatch(stripped)
        if match is None:
            continuation = stripped.lstrip("#").strip()
            if last is not None and continuation:
                last[1] = f"{last[1]} {continuation}"
                if last[0] != "param":
                    fields[last[0]] = last[1]
                else:
                    params[-1][1] = last[1]
            continue
        key, value = match.group(1).lower(), match.group(2).strip()
        if key == "param":
            param = _PARAM.fullmatch(value)
            if param is None:
                raise QueryError(
                    f"{path}: malformed parameter line {stripped!r}; "
                    "write '# param: name — what it is'"
                )
            params.append([param.group(1), param.group(2).strip()])
            last = ["param", params[-1][1]]
        else:
            if key in fields:
                raise QueryError(f"{path}: the header has two '{key}:' lines")
            fields[key] = value
            last = [key, value]
    for key in ("title", "description"):
        if not fields.get(key):
            raise QueryError(f"{path}: the header comment has no '# {key}: …' line")
    names = [name for name, _ in params]
    duplicated = sorted({name for name in names if names.count(name) > 1})
    if duplicated:
        raise QueryError(f"{path}: parameter {', '.join(duplicated)} declared twice")
    return fields["title"], fields["description"], tuple((n, d) for n, d in params)


# --- finding the WHERE group -------------------------------------------------------------

_TOKEN = re.compile(
    r"""
      (?P<comment>\#[^\n]*)
    | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
               |'''(?:[^'\\]|\\.|'(?!''))*'''
               |"(?:[^"\\\n]|\\.)*"
               |'(?:[^'\\\n]|\\.)*')
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<open>\{)
    | (?P<close>\})
    | (?P<where>(?<![\w?$:])WHERE(?![\w:]))
    | (?P<word>[?$]?\w+)
    | .
    """,
    re.VERBOSE | re.IGNORECASE | re.DOTALL,
)


def _tokens(text: str) -> Iterator[tuple[str | None, int, int]]:
    for match in _TOKEN.finditer(text):
        yield match.lastgroup, match.start(), match.end()


def _subselect_where_groups(text: str) -> list[tuple[int, int]]:
    """Where each sub-select's ``WHERE`` group lies: the offsets just after its ``{`` and of its
    ``}``. Only groups written with the ``WHERE`` keyword count; comments, strings and IRIs are
    skipped."""
    groups: list[tuple[int, int]] = []
    open_at: list[int | None] = []  # per open brace: where its group starts if it is one
    depth = 0
    where_pending = False
    for kind, begin, end in _tokens(text):
        if kind == "open":
            open_at.append(end if where_pending and depth > 0 else None)
            where_pending = False
            depth += 1
        elif kind == "close":
            depth -= 1
            start = open_at.pop() if open_at else None
            if start is not None:
                groups.append((start, begin))
        elif kind == "where":
            where_pending = True
    return groups


def _where_group_start(text: str) -> int | None:
    """The offset just after the ``{`` that opens the outermost WHERE group, if any.

    Comments, strings and IRIs are skipped, so a ``WHERE`` or brace inside them never counts;
    a query without the (optional) ``WHERE`` keyword uses its first top-level ``{``.
    """
    depth = 0
    seen_where = False
    first_open: int | None = None
    for kind, _start, end in _tokens(text):
        if kind == "open":
            if depth == 0:
                if seen_where:
                    return end
                if first_open is None:
                    first_open = end
            depth += 1
        elif kind == "close":
            depth -= 1
        elif kind == "where" and depth == 0:
            seen_where = True
    return None if seen_where else first_open


# --- loading -----------------------------------------------------------------------------


def read_query(path: Path) -> NamedQuery:
    """One query file, its header checked and its parameters found in its text.

    Raises:
        QueryError: naming the file, for an unreadable file, a bad header, or a declared
            parameter that the query never uses.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise QueryError(f"{path}: cannot read the query file ({error})") from error
    title, description, param_docs = parse_header(text, path)
    params = tuple(name for name, _ in param_docs)
    body = _strip_comments(text)
    for name in params:
        if re.search(rf"[?$]{re.escape(name)}\b", body) is None:
            raise QueryError(
                f"{path}: parameter {name!r} is declared but the query never uses ?{name}"
            )
    return NamedQuery(
        name=path.name.removesuffix(QUERY_SUFFIX),
        title=title,
        description=description,
        params=params,
        param_docs=param_docs,
        text=text,
        path=path,
    )


def _strip_comments(text: str) -> str:
    """The text with comments (and the contents of strings and IRIs) blanked out."""
    parts: list[str] = []
    for kind, start, end in _tokens(text):
        if kind in ("comment", "string", "iri"):
            parts.append(" " * (end - start))
        else:
            parts.append(text[start:end])
    return "".join(parts)


def load_queries(directory: Path = QUERIES_DIR) -> dict[str, NamedQuery]:
    """Every ``*.rq`` query in ``directory``, by name (the file name without ``.rq``), sorted.

    Raises:
        QueryError: for a missing directory or a file with a bad header (naming the file).
    """
    if not directory.is_dir():
        raise QueryError(f"{directory}: no such query directory")
    queries = (read_query(path) for path in sorted(directory.glob(f"*{QUERY_SUFFIX}")))
    return {query.name: query for query in sorted(queries, key=lambda q: q.name)}


def get_query(name: str) -> NamedQuery:
    """The shipped query called ``name`` (``"symptoms-of"``; a trailing ``.rq`` is allowed).

    Only names of shipped queries are accepted, never paths.

    Raises:
        QueryError: for an unknown name, listing the known ones.
    """
    queries = load_queries()
    key = name.removesuffix(QUERY_SUFFIX)
    if key not in queries:
        raise QueryError(
            f"unknown query {name!r}; known queries: {', '.join(queries)} "
            "(`medkg queries` describes them)"
        )
    return queries[key]


# --- running -----------------------------------------------------------------------------


@dataclass(frozen=True)
class QueryResult:
    """A query's answer as plain strings: IRIs in full, literals as their lexical form."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str | None, ...], ...]

    def to_csv(self) -> str:
        """The rows as CSV with a header line (an unbound value is an empty field)."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(self.columns)
        writer.writerows(["" if value is None else value for value in row] for row in self.rows)
        return buffer.getvalue()

    def to_json(self) -> str:
        """The rows as a JSON list of objects, keys in column order (unbound is ``null``)."""
        records = [dict(zip(self.columns, row, strict=True)) for row in self.rows]
        return json.dumps(records, ensure_ascii=False, indent=2)

    def as_dicts(self) -> list[dict[str, str | None]]:
        """The rows as dictionaries keyed by column."""
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


def _text(node: Node | None) -> str | None:
    """A term as a plain string: an IRI in full, a literal's lexical form, ``_:id`` for a blank
    node, ``None`` for an unbound variable."""
    if node is None:
        return None
    if isinstance(node, BNode):
        return f"_:{node}"
    return str(node)


_FORM = re.compile(r"(?<![\w?$:])(SELECT|ASK|CONSTRUCT|DESCRIBE)(?![\w:])", re.IGNORECASE)


def query_form(text: str) -> str:
    """``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``: the first such keyword outside
    comments, strings and IRIs (a sub-SELECT always comes after its query's own form).

    Raises:
        QueryError: when the text has none of them (an update, or not SPARQL at all).
    """
    match = _FORM.search(_strip_comments(text))
    if match is None:
        raise QueryError("not a SPARQL query: no SELECT, ASK, CONSTRUCT or DESCRIBE")
    return match.group(1).upper()


def run_sparql(source: Source, text: str) -> QueryResult:
    """Run a SPARQL query on an rdflib graph or an Oxigraph store.

    Args:
        source: an rdflib graph (normally the union of all named graphs), or an Oxigraph store,
            whose default graph is then the union of its named graphs.
        text: a SELECT, ASK, CONSTRUCT or DESCRIBE query.

    Returns:
        SELECT: its variables and rows; ASK: one column ``result`` holding ``"true"`` or
        ``"false"``; CONSTRUCT/DESCRIBE: columns ``subject``, ``predicate``, ``object``, one
        sorted row per triple.

    Raises:
        QueryRefused: for a query that could reach beyond the graph (SERVICE, FROM or FROM
            NAMED anywhere), an update, or one nested too deep (see :mod:`medkg.guard`).
        QueryError: for a syntax error.

    Example:
        >>> run_sparql(graph, "ASK { ?s ?p ?o }").rows  # doctest: +SKIP
        (('true',),)
    """
    checked = check(text)
    if isinstance(source, ox.Store):
        return _run_oxigraph(source, checked.text)
    return _run_rdflib(source, checked.prepared)


def _run_rdflib(source: Graph, query: Query) -> QueryResult:
    result = source.query(query)
    if result.type == "ASK":
        return QueryResult(("result",), ((str(bool(result.askAnswer)).lower(),),))
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        triples = result.graph if result.graph is not None else Graph()
        rows = sorted((_text(s) or "", _text(p) or "", _text(o) or "") for s, p, o in triples)
        return QueryResult(("subject", "predicate", "object"), tuple(rows))
    columns = tuple(str(var) for var in (result.vars or []))
    select_rows: list[tuple[str | None, ...]] = []
    for row in result.bindings:
        select_rows.append(tuple(_text(row.get(var)) for var in result.vars or []))
    return QueryResult(columns, tuple(select_rows))


def _run_oxigraph(store: ox.Store, text: str) -> QueryResult:
    try:
        result = store.query(text, prefixes=PREFIXES)
    except SyntaxError as error:
        raise QueryError(f"SPARQL syntax error: {_shorten(str(error))}") from error
    if isinstance(result, ox.QueryBoolean):
        return QueryResult(("result",), ((str(bool(result)).lower(),),))
    if isinstance(result, ox.QueryTriples):
        rows = sorted(
            (_ox_text(t.subject), _ox_text(t.predicate), _ox_text(t.object)) for t in result
        )
        return QueryResult(("subject", "predicate", "object"), tuple(rows))
    variables = result.variables
    return QueryResult(
        tuple(v.value for v in variables),
        tuple(tuple(_ox_text(solution[v]) for v in variables) for solution in result),
    )


def _shorten(message: str, limit: int = 160) -> str:
    """Oxigraph's parse errors list every character class it expected; the place is enough."""
    line = message.splitlines()[0] if message else message
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _ox_text(term: object) -> str | None:
    """An Oxigraph term as :func:`_text` writes an rdflib one."""
    if term is None:
        return None
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term.value
    return str(term)  # an RDF-star quoted triple


def run_named(source: Source, name: str, params: Mapping[str, str]) -> QueryResult:
    """Bind the shipped query ``name`` with ``params`` and run it on ``source``.

    Raises:
        QueryError: for an unknown query, a missing or unknown parameter, or a query file that
            does not parse (naming the file).
    """
    query = get_query(name)
    try:
        check_text(query.text)  # the file; binding adds only escaped string literals
    except QueryError as error:
        raise type(error)(f"{query.path}: {error}") from error
    text = query.bind(params)
    try:
        return _run(source, text)
    except QueryError as error:
        raise QueryError(f"{query.path}: {error}") from error


def unknown_names(source: Source, name: str, params: Mapping[str, str]) -> dict[str, str]:
    """The parameters of the shipped query ``name`` that name a concept (see
    :meth:`NamedQuery.name_params`) with a value no concept in ``source`` carries: why an
    answer may be empty. ``medkg query`` reports them rather than an empty table.

    Raises:
        QueryError: for an unknown query.
    """
    wanted = get_query(name).name_params()
    return {
        param: value
        for param, value in params.items()
        if param in wanted and not _names_a_concept(source, value)
    }


def write_sparql(store: ox.Store, text: str, media_type: str) -> bytes:
    """Run ``text`` on ``store`` and write the whole answer as the SPARQL 1.1 Protocol would:
    SELECT and ASK as query results (JSON, XML, CSV, TSV), CONSTRUCT and DESCRIBE as RDF.

    Raises:
        QueryRefused: as :func:`run_sparql`.
        QueryError: for a syntax error, or a format that cannot hold this kind of answer.
    """
    checked_text, form = check_text(text)
    graph = form in ("CONSTRUCT", "DESCRIBE")
    if media_type not in (results.GRAPH_TYPES if graph else results.RESULT_TYPES):
        kinds = "RDF: Turtle, N-Triples, JSON-LD or RDF/XML" if graph else "JSON, XML, CSV or TSV"
        raise QueryError(f"a {form} answer cannot be written as {media_type} (it is {kinds})")
    answer = store.query(checked_text, prefixes=PREFIXES)
    return results.write(answer, media_type, max_rows=sys.maxsize - 1).body  # every row


def _run(source: Source, text: str) -> QueryResult:
    if isinstance(source, ox.Store):
        return _run_oxigraph(source, expand(text))
    return _run_rdflib(source, check(text).prepared)


def _names_a_concept(source: Source, name: str) -> bool:
    """Whether a concept carries ``name`` as a label or synonym, in any case (its nameKey)."""
    key = sparql_string(name)
    ask = f"ASK {{ BIND(LCASE({key}) AS ?key) ?concept <{MEDKG}nameKey> ?key }}"
    return _run(source, ask).rows == (("true",),)
