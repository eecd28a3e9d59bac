"""Query answers in the formats of the SPARQL 1.1 Protocol, cut at a row cap.

SELECT and ASK answers are written as SPARQL Query Results JSON, XML, CSV or TSV; CONSTRUCT
and DESCRIBE answers as Turtle, N-Triples, JSON-LD or RDF/XML. The writers take Oxigraph's
answer objects and stop reading after ``max_rows`` rows: a huge answer is never held whole.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from medkg.vocab import PREFIXES

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

#: Media types for SELECT and ASK answers (first: the default).
RESULT_TYPES = (
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
)
#: Media types for CONSTRUCT and DESCRIBE answers (first: the default).
GRAPH_TYPES = ("text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml")
#: Common names clients also send for the same formats.
ALIASES = {
    "application/json": "application/sparql-results+json",
    "application/xml": "application/sparql-results+xml",
    "text/xml": "application/sparql-results+xml",
    "application/x-turtle": "text/turtle",
    "text/plain": "application/n-triples",
}
_RDF_FORMATS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}

#: Names for the same formats on the command line (``medkg sparql --format``).
FORMAT_NAMES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


@dataclass(frozen=True)
class Written:
    """An answer ready to send: its bytes, how many rows it holds, and whether rows were cut."""

    body: bytes
    rows: int
    truncated: bool


def write(answer: object, media_type: str, max_rows: int, max_bytes: int | None = None) -> Written:
    """Serialise an Oxigraph query answer as ``media_type``, keeping at most ``max_rows`` rows
    and, if ``max_bytes`` is given, as many of them as fit in that many bytes.

    Raises:
        ValueError: if ``media_type`` does not fit the answer (e.g. Turtle for a SELECT).
    """
    if isinstance(answer, ox.QueryBoolean):
        return Written(_write_boolean(bool(answer), media_type), 1, False)
    if isinstance(answer, ox.QueryTriples):
        if media_type not in _RDF_FORMATS:
            raise ValueError(f"{media_type} cannot hold a graph")
        triples, truncated = _take(answer, max_rows)

        def graph(count: int) -> bytes:
            return (
                ox.serialize(
                    triples[:count],  # type: ignore[arg-type]  # _take keeps their type
                    format=_RDF_FORMATS[media_type],
                    prefixes=PREFIXES,
                )
                or b""
            )

        return fit(graph, len(triples), max_bytes, truncated)
    if isinstance(answer, ox.QuerySolutions):
        names = [variable.value for variable in answer.variables]
        rows, truncated = _take(
            ([solution[v] for v in answer.variables] for solution in answer), max_rows
        )
        return fit(
            lambda count: _write_solutions(names, rows[:count], media_type),
            len(rows),
            max_bytes,
            truncated,
        )
    raise TypeError(f"not a query answer: {type(answer).__name__}")


def fit(
    render: Callable[[int], bytes], rows: int, max_bytes: int | None, truncated: bool = False
) -> Written:
    """``render(rows)``, or, when that is over ``max_bytes``, ``render`` of the most rows whose
    answer fits (found by bisection: a dozen renders of an answer that was too big)."""
    body = render(rows)
    if max_bytes is None or len(body) <= max_bytes:
        return Written(body, rows, truncated)
    low, high = 0, rows  # render(low) fits (or low is 0), render(high) does not
    best = render(0)
    while high - low > 1:
        middle = (low + high) // 2
        attempt = render(middle)
        if len(attempt) <= max_bytes:
            low, best = middle, attempt
        else:
            high = middle
    return Written(best, low, True)


def _take(items: Iterable[object], limit: int) -> tuple[list[object], bool]:
    taken = list(islice(items, limit + 1))
    return taken[:limit], len(taken) > limit


def _write_boolean(value: bool, media_type: str) -> bytes:
    if media_type == "application/sparql-results+json":
        return json.dumps({"head": {}, "boolean": value}).encode()
    if media_type == "application/sparql-results+xml":
        return (
            '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head/><boolean>{str(value).lower()}</boolean></sparql>\n"
        ).encode()
    if media_type in ("text/csv", "text/tab-separated-values"):
        return f"{str(value).lower()}\n".encode()
    raise ValueError(f"{media_type} cannot hold a yes/no answer")


def _write_solutions(names: list[str], rows: list[object], media_type: str) -> bytes:
    typed_rows: list[list[Term | None]] = rows  # type: ignore[assignment]
    if media_type == "application/sparql-results+json":
        bindings = [
            {name: _json_term(term) for name, term in zip(names, row, strict=True) if term}
            for row in typed_rows
        ]
        document = {"head": {"vars": names}, "results": {"bindings": bindings}}
        return json.dumps(document, ensure_ascii=False).encode()
    if media_type == "application/sparql-results+xml":
        return "".join(_xml_lines(names, typed_rows)).encode()
    if media_type == "text/csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(names)
        writer.writerows([_csv_value(term) for term in row] for row in typed_rows)
        return buffer.getvalue().encode()
    if media_type == "text/tab-separated-values":
        lines = ["\t".join(f"?{name}" for name in names)]
        lines += [
            "\t".join("" if term is None else str(term) for term in row) for row in typed_rows
        ]
        return ("\n".join(lines) + "\n").encode()
    raise ValueError(f"{media_type} cannot hold a table of results")


def _json_term(term: Term) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        value = {"type": "literal", "value": term.value}
        if term.language:
            value["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            value["datatype"] = term.datatype.value
        return value
    return {"type": "triple", "value": str(term)}


def _xml_lines(names: list[str], rows: list[list[Term | None]]) -> Iterator[str]:
    yield '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n'
    yield "<head>" + "".join(f"<variable name={quoteattr(n)}/>" for n in names) + "</head>\n"
    yield "<results>\n"
    for row in rows:
        yield "<result>"
        for name, term in zip(names, row, strict=True):
            if term is not None:
                yield f"<binding name={quoteattr(name)}>{_xml_term(term)}</binding>"
        yield "</result>\n"
    yield "</results>\n</sparql>\n"


def _xml_term(term: Term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            return (
                f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
            )
        return f"<literal>{escape(term.value)}</literal>"
    return f"<literal>{escape(str(term))}</literal>"


def _csv_value(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term.value
    return str(term)
