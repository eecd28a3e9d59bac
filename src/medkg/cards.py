"""What a minted IRI dereferences to: its description as RDF, and the same as an HTML card.

:func:`describe` gathers, from the store, what a browser or an RDF client needs to understand
one resource: its own triples; for a concept also the relations pointing at it, the statements
(sentences) behind every relation in or out, and the labels of its neighbours; for an article
its whole named graph. The ``*_html`` functions render such a description as a page; every
label and sentence is escaped.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable
from html import escape

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SDO, SKOS
from rdflib.term import Node

from medkg.export import load_context
from medkg.traverse import RELATION_PHRASES
from medkg.vocab import ARTICLE, BASE, CONCEPT, MEDKG

_DESCRIBE_CONCEPT = """
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
CONSTRUCT { ?s ?p ?o } WHERE {
  { ?iri ?p ?o . BIND(?iri AS ?s) }
  UNION { ?s ?p ?iri . BIND(?iri AS ?o) FILTER(?p != rdf:subject && ?p != rdf:object) }
  UNION { ?s rdf:subject|rdf:object ?iri ; ?p ?o }
  UNION { { ?iri ?r ?s } UNION { ?s ?r ?iri } ?s skos:prefLabel|rdf:type ?o ; ?p ?o }
  UNION { ?statement rdf:subject|rdf:object ?iri ; prov:wasDerivedFrom ?s .
          ?s dcterms:title ?o . BIND(dcterms:title AS ?p) }
}
"""
_DESCRIBE_ARTICLE = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
CONSTRUCT { ?s ?p ?o } WHERE {
  { GRAPH ?iri { ?s ?p ?o } }
  UNION { GRAPH ?iri { { ?c ?x ?y } UNION { ?y ?x ?c } } ?c skos:prefLabel ?o . BIND(?c AS ?s)
          BIND(skos:prefLabel AS ?p) }
}
"""
_DESCRIBE_OTHER = "CONSTRUCT { ?iri ?p ?o } WHERE { ?iri ?p ?o }"
# what may stand between < and > in SPARQL (the IRI is written into the query's text)
_SAFE_IRI = re.compile(r'https?://[^<>"{}|^`\\\x00-\x20]+')


def describe(store: ox.Store, iri: str) -> Graph:
    """The description of ``iri`` (see the module docstring); empty if the store never names it.

    Example:
        >>> describe(store, "https://w3id.org/medkg/concept/bone-pain")  # doctest: +SKIP
    """
    if iri.startswith(str(CONCEPT)):
        text = _DESCRIBE_CONCEPT
    elif iri.startswith(str(ARTICLE)) and "/" not in iri.removeprefix(str(ARTICLE)):
        text = _DESCRIBE_ARTICLE
    else:
        text = _DESCRIBE_OTHER
    if not _SAFE_IRI.fullmatch(iri):
        raise ValueError(f"not an IRI medkg mints: {iri!r}")
    answer = store.query(text.replace("?iri", f"<{iri}>"))
    assert isinstance(answer, ox.QueryTriples)
    graph = Graph()
    data = answer.serialize(format=ox.RdfFormat.N_TRIPLES)
    if data:
        graph.parse(data=data, format="nt")
    return graph


def to_jsonld(graph: Graph) -> str:
    """A description as JSON-LD, compacted with the shipped context (nothing fetched)."""
    return graph.serialize(format="json-ld", context=load_context(), auto_compact=True)


def link(iri: Node) -> str | None:
    """Where a page links ``iri``: the local path of one of our IRIs (cards link to cards on
    this server), an http(s) IRI as it is, and nothing for any other scheme (``javascript:``,
    ``data:``, ``file:`` … are data in the graph, never links)."""
    text = str(iri)
    if text.startswith(BASE):
        return "/" + text.removeprefix(BASE)
    return text if _WEB_IRI.match(text) else None


def anchor(iri: str, text: str) -> str:
    """``text`` as HTML, linked to ``iri`` where :func:`link` allows a link."""
    href = link(URIRef(iri))
    return escape(text) if href is None else f'<a href="{escape(href)}">{escape(text)}</a>'


_WEB_IRI = re.compile(r"https?://", re.IGNORECASE)


def _label(graph: Graph, node: Node) -> str:
    for predicate in (SKOS.prefLabel, DCTERMS.title, RDFS.label):
        value = graph.value(node, predicate)
        if value is not None:
            return str(value)
    text = str(node)
    return text.rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _anchor(graph: Graph, node: Node) -> str:
    return anchor(str(node), _label(graph, node))


def page(title: str, body: str) -> str:
    """A whole HTML page around ``body`` (already escaped), with the shipped stylesheet."""
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)} · medkg</title>"
        '<link rel="stylesheet" href="/static/style.css"></head><body>'
        '<nav><a href="/">query</a> · <a href="/queries">named queries</a> · '
        '<a href="/ontology">ontology</a></nav>'
        f"<main>{body}</main></body></html>\n"
    )


def _evidence(graph: Graph, subject: Node, relation: Node, obj: Node) -> list[str]:
    items = []
    for statement in sorted(graph.subjects(RDF.subject, subject), key=str):
        stated = graph.value(statement, RDF.predicate), graph.value(statement, RDF.object)
        if stated != (relation, obj) or graph.value(statement, MEDKG.negated) == Literal(True):
            continue
        sentence = graph.value(statement, MEDKG.sentence)
        article = graph.value(statement, PROV.wasDerivedFrom)
        section = graph.value(statement, MEDKG.section)
        where = f" — {_anchor(graph, article)}" if article is not None else ""
        where += f", {escape(str(section))}" if section else ""
        items.append(f'<li><q>{escape(str(sentence))}</q><span class="where">{where}</span></li>')
    return items


def concept_html(graph: Graph, iri: str) -> str:
    """A concept's card: names, types, codes, and each relation with its sentences."""
    node = URIRef(iri)
    label = _label(graph, node)
    types = sorted(_label(graph, t) for t in graph.objects(node, RDF.type))
    synonyms = sorted(str(s) for s in graph.objects(node, SKOS.altLabel))
    codes = sorted(str(c) for c in graph.objects(node, SKOS.notation))
    matches = sorted(
        str(m) for p in (SKOS.exactMatch, SKOS.closeMatch) for m in graph.objects(node, p)
    )
    parts = [f"<h1>{escape(label)}</h1>", f'<p class="iri">{escape(iri)}</p>', "<dl>"]
    parts += _definition("types", (escape(t) for t in types))
    parts += _definition("also called", (escape(s) for s in synonyms))
    parts += _definition("codes", (escape(c) for c in codes))
    parts += _definition("matches", (anchor(m, m) for m in matches))
    parts.append("</dl>")
    relations: dict[tuple[bool, str], list[tuple[Node, Node, Node]]] = defaultdict(list)
    for s, p, o in graph:
        name = str(p).removeprefix(str(MEDKG))
        if name not in RELATION_PHRASES:
            continue
        if s == node and str(o).startswith(str(CONCEPT)):
            relations[(True, name)].append((s, p, o))
        elif o == node and str(s).startswith(str(CONCEPT)):
            relations[(False, name)].append((s, p, o))
    for (outgoing, name), triples in sorted(relations.items(), key=lambda i: (not i[0][0], i[0])):
        forward, backward = RELATION_PHRASES[name]
        heading = f"{label} {forward if outgoing else backward}"
        parts.append(f"<h2>{escape(heading)}</h2><ul>")
        for s, p, o in sorted(triples, key=lambda t: _label(graph, t[2] if outgoing else t[0])):
            other = o if outgoing else s
            evidence = "".join(_evidence(graph, s, p, o))
            parts.append(f'<li>{_anchor(graph, other)}<ul class="evidence">{evidence}</ul></li>')
        parts.append("</ul>")
    return page(label, "".join(parts))


def _definition(term: str, values: Iterable[str]) -> list[str]:
    shown = list(values)
    return [f"<dt>{escape(term)}</dt><dd>{', '.join(shown)}</dd>"] if shown else []


def article_html(graph: Graph, iri: str) -> str:
    """An article's card: its metadata, then every statement read from it, by section."""
    node = URIRef(iri)
    title = _label(graph, node)
    parts = [f"<h1>{escape(title)}</h1>", f'<p class="iri">{escape(iri)}</p>', "<dl>"]
    for name, predicate in (
        ("kind", MEDKG.articleKind),
        ("updated", DCTERMS.modified),
        ("source", DCTERMS.source),
    ):
        parts += _definition(name, (escape(str(v)) for v in graph.objects(node, predicate)))
    about = graph.value(node, SDO.about)
    if about is not None:
        parts += _definition("about", [_anchor(graph, about)])
    parts.append("</dl>")
    by_section: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for statement in graph.subjects(RDF.type, MEDKG.Statement):
        s, p, o = (graph.value(statement, x) for x in (RDF.subject, RDF.predicate, RDF.object))
        if s is None or p is None or o is None:
            continue
        negated = graph.value(statement, MEDKG.negated) == Literal(True)
        fact = (
            f"{_anchor(graph, s)} <em>{'not ' if negated else ''}{escape(_label(graph, p))}</em> "
        )
        fact += _anchor(graph, o)
        sentence = escape(str(graph.value(statement, MEDKG.sentence)))
        start = graph.value(statement, MEDKG.charStart)
        position = int(start) if isinstance(start, Literal) else 0
        section = str(graph.value(statement, MEDKG.section) or "")
        by_section[section].append((position, f"<li>{fact}<br><q>{sentence}</q></li>"))
    for section, items in sorted(by_section.items(), key=lambda i: min(p for p, _ in i[1])):
        parts.append(f"<h2>{escape(section)}</h2><ul>")
        parts += [item for _, item in sorted(items)]
        parts.append("</ul>")
    return page(title, "".join(parts))


def resource_html(graph: Graph, iri: str) -> str:
    """Any other resource (a statement, a release, an ontology term): its triples as a table."""
    rows = []
    for _, p, o in sorted(graph.triples((URIRef(iri), None, None))):
        value = _anchor(graph, o) if isinstance(o, URIRef) else escape(str(o))
        rows.append(f"<tr><td>{_anchor(graph, p)}</td><td>{value}</td></tr>")
    body = f'<h1>{escape(_label(graph, URIRef(iri)))}</h1><p class="iri">{escape(iri)}</p>'
    return page(_label(graph, URIRef(iri)), body + "<table>" + "".join(rows) + "</table>")


def results_html(title: str, document: bytes, limit: int | None = None) -> str:
    """A SPARQL JSON results document as an HTML table, of its first ``limit`` rows if given;
    our IRIs link to their cards."""
    data = json.loads(document)
    if "boolean" in data:
        return page(title, f"<h1>{escape(title)}</h1><p>{str(data['boolean']).lower()}</p>")
    names = data["head"]["vars"]
    head = "".join(f"<th>{escape(n)}</th>" for n in names)
    rows = []
    for binding in data["results"]["bindings"][:limit]:
        cells = []
        for name in names:
            term = binding.get(name)
            if term is None:
                cells.append("<td></td>")
            elif term["type"] == "uri":
                cells.append(f"<td>{anchor(term['value'], term['value'])}</td>")
            else:
                cells.append(f"<td>{escape(term['value'])}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    table = f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    return page(title, f"<h1>{escape(title)}</h1>{table}<p>{len(rows)} row(s)</p>")
