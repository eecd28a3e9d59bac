"""What a query may do: read the graph, and nothing else.

Both engines medkg runs queries on can leave the machine: Oxigraph sends every ``SERVICE``
clause over HTTP, rdflib evaluates ``SERVICE`` and loads the graphs a ``FROM`` clause names,
and neither can be told not to. So every query is parsed before an engine sees it, by
rdflib's parser (the whole SPARQL 1.1 grammar), and its parse tree decides:

- ``SERVICE`` anywhere, at any depth, is refused;
- a dataset clause (``FROM``, ``FROM NAMED``) is refused: queries see the whole graph;
- an update (``INSERT``, ``LOAD``, ``CLEAR``, …) is refused: the graph is read-only;
- nesting deeper than :data:`MAX_NESTING` is refused before any parser reads the query:
  Oxigraph's parser overflows its stack at a few thousand nested groups (a segfault) and takes
  seconds on a hundred nested ``[ ]`` or ``( )``;
- a query the parser cannot read is a syntax error.

SPARQL expands ``\\uXXXX`` escapes before parsing (SPARQL 1.1 §19.2); Oxigraph does not.
:func:`check` returns the expanded text, and the engines run that, so the engine reads the
very characters that were checked, never a differently tokenised version of them.

A query may use medkg's prefixes (``medkg:``, ``concept:``, ``skos:`` …, see
:data:`medkg.vocab.PREFIXES`) without declaring them; both engines are given them.

The endpoint adds a second wall: its query workers run in a network namespace of their own
(:mod:`medkg.executor`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from pyparsing import ParseBaseException, ParseResults
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import expandUnicodeEscapes, parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Query

from medkg.vocab import PREFIXES

__all__ = [
    "MAX_NESTING",
    "CheckedQuery",
    "QueryError",
    "QueryRefused",
    "check",
    "check_text",
    "expand",
    "nesting",
]

#: Brackets (``{``, ``(``, ``[``) a query may nest; the shipped queries nest at most 9 deep.
MAX_NESTING = 32

_FORMS = {
    "SelectQuery": "SELECT",
    "AskQuery": "ASK",
    "ConstructQuery": "CONSTRUCT",
    "DescribeQuery": "DESCRIBE",
}
# parse-tree nodes that reach beyond the graph
_REFUSED = {
    "ServiceGraphPattern": "SERVICE is not allowed: medkg never queries the network",
    "DatasetClause": (
        "FROM and FROM NAMED are not allowed: medkg never loads graphs from elsewhere; "
        "queries see the whole graph already"
    ),
}


class QueryError(ValueError):
    """A query that cannot be found, bound, parsed or allowed to run."""


class QueryRefused(QueryError):
    """A query that parses but is not allowed: it could reach beyond the graph (``SERVICE``,
    ``FROM``), change it (an update), or nests too deep for the engines to parse safely."""


@dataclass(frozen=True)
class CheckedQuery:
    """A query that may run: the text the engines run, its form, and rdflib's translation."""

    text: str  # \\u escapes expanded
    form: str  # SELECT, ASK, CONSTRUCT or DESCRIBE
    prepared: Query


def check(text: str) -> CheckedQuery:
    """Parse ``text`` and allow it only if it reads the graph and nothing else.

    Returns:
        The query as the engines must run it (see the module docstring).

    Raises:
        QueryRefused: for SERVICE, FROM or FROM NAMED anywhere, an update, or nesting deeper
            than :data:`MAX_NESTING`.
        QueryError: for a query that does not parse (the message gives line and column).

    Example:
        >>> check("SELECT * WHERE { SERVICE <http://127.0.0.1/> { ?s ?p ?o } }")
        Traceback (most recent call last):
        ...
        medkg.guard.QueryRefused: SERVICE is not allowed: medkg never queries the network
    """
    expanded = expand(text)
    depth = max(nesting(text), nesting(expanded))
    if depth > MAX_NESTING:
        raise QueryRefused(f"the query nests brackets {depth} deep; the limit is {MAX_NESTING}")
    tree = _parse(expanded)
    for node in _nodes(tree):
        if node.name in _REFUSED:
            raise QueryRefused(_REFUSED[node.name])
    try:
        prepared = translateQuery(tree, initNs=PREFIXES)
    except RecursionError:
        raise QueryRefused("the query is too complex to check; simplify it") from None
    except Exception as error:  # rdflib raises bare Exceptions, e.g. for an unknown prefix
        raise QueryError(f"invalid SPARQL query: {error}") from error
    return CheckedQuery(expanded, _FORMS[tree[1].name], prepared)


def expand(text: str) -> str:
    """``text`` with SPARQL's ``\\uXXXX`` and ``\\UXXXXXXXX`` escapes expanded, as a SPARQL
    parser reads it (SPARQL 1.1 §19.2).

    Raises:
        QueryError: for an escape beyond Unicode.
    """
    try:
        return expandUnicodeEscapes(text)
    except ValueError as error:
        raise QueryError(f"SPARQL syntax error: {error}") from error


@functools.lru_cache(maxsize=256)
def check_text(text: str) -> tuple[str, str]:
    """:func:`check`'s verdict on ``text`` as (text to run, form), remembered per process:
    the endpoint's workers and the named queries meet the same texts again and again."""
    checked = check(text)
    return checked.text, checked.form


def _parse(text: str) -> ParseResults:
    try:
        return parseQuery(text)
    except RecursionError:
        raise QueryRefused("the query is too complex to check; simplify it") from None
    except ParseBaseException as error:
        if _is_update(text):
            raise QueryRefused("updates are not allowed: medkg's graph is read-only") from None
        raise QueryError(
            f"SPARQL syntax error at line {error.lineno}, column {error.column}: {error.msg}"
        ) from error


def _is_update(text: str) -> bool:
    try:
        parseUpdate(text)
    except (ParseBaseException, RecursionError):
        return False
    return True


def _nodes(tree: ParseResults) -> Iterator[CompValue]:
    """Every node of the parse tree, depth first, without recursion."""
    stack: list[object] = [tree]
    while stack:
        item = stack.pop()
        if isinstance(item, CompValue):
            yield item
            stack.extend(item.values())
        elif isinstance(item, ParseResults | list | tuple):
            stack.extend(item)


def nesting(text: str) -> int:
    """How deep ``{``, ``(`` and ``[`` nest in ``text``, outside comments, strings and IRIs.

    Comments end at either line break, as SPARQL's do; a bracket inside an unterminated string
    counts, so text that hides brackets from this count cannot parse.

    >>> nesting('SELECT * WHERE { FILTER(?x = "((") }')
    2
    """
    depth = deepest = 0
    position, length = 0, len(text)
    while position < length:
        char = text[position]
        if char == "#":
            position = _end_of_comment(text, position)
            continue
        if char in "\"'":
            end = _end_of_string(text, position)
            if end is not None:
                position = end
                continue
        elif char == "<":
            end = _end_of_iri(text, position)
            if end is not None:
                position = end
                continue
        if char in "{([":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "})]":
            depth = max(0, depth - 1)
        position += 1
    return deepest


def _end_of_comment(text: str, start: int) -> int:
    ends = [i for i in (text.find("\n", start), text.find("\r", start)) if i >= 0]
    return min(ends) if ends else len(text)


def _end_of_string(text: str, start: int) -> int | None:
    """The offset after the string literal opening at ``start``, or None if it never ends."""
    quote = text[start]
    long = text.startswith(quote * 3, start)
    closing = quote * 3 if long else quote
    position = start + len(closing)
    while position < len(text):
        char = text[position]
        if char == "\\":
            position += 2
        elif text.startswith(closing, position):
            return position + len(closing)
        elif not long and char in "\n\r":
            return None
        else:
            position += 1
    return None


def _end_of_iri(text: str, start: int) -> int | None:
    """The offset after the IRI reference opening at ``start`` (SPARQL's IRIREF), or None if
    ``<`` is an operator."""
    match = _IRIREF.match(text, start)
    return match.end() if match else None


_IRIREF = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
