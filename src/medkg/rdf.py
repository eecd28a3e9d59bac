"""The only place that mints triples: extractions in, an rdflib Dataset out.

One named graph per article (its node, its relation triples, their statement nodes) and one
terminology graph (the records of every concept the articles use).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SDO, SKOS, XSD

from medkg.article import KINDS, Article
from medkg.extract import Assertion, Extraction
from medkg.standards import Code
from medkg.terminology import Concept
from medkg.vocab import ARTICLE, CONCEPT, MEDKG, PREFIXES, RELEASE, TERMINOLOGY_GRAPH, code_iri


def concept_iri(concept: Concept) -> URIRef:
    return CONCEPT[concept.slug]


def article_iri(article: Article) -> URIRef:
    return ARTICLE[article.slug]


def new_dataset() -> Dataset:
    dataset = Dataset()
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace, override=True)
    return dataset


def mint(
    extractions: Iterable[Extraction],
    codes: Callable[[Concept], Sequence[Code]] = lambda concept: (),
) -> Dataset:
    """The whole graph: each article's named graph plus the terminology graph, where each
    concept carries the standard codes ``codes`` finds for it."""
    dataset = new_dataset()
    concepts: dict[str, Concept] = {}
    for extraction in extractions:
        graph = dataset.graph(article_iri(extraction.article))
        add_article(graph, extraction)
        for concept in _concepts_of(extraction):
            known = concepts.get(concept.label)
            concepts[concept.label] = concept if known is None else _merged(known, concept)
    terminology = dataset.graph(TERMINOLOGY_GRAPH)
    add_terminology(terminology, concepts.values())
    for concept in concepts.values():
        add_codes(terminology, concept, codes(concept))
    return dataset


def _merged(first: Concept, other: Concept) -> Concept:
    """One node for one label: every type and name its records give it, as the build's
    terminology unites the records of different articles ("throat" named as a place in one
    sentence and in a test's name in another keeps both)."""
    return replace(
        first,
        types=tuple(dict.fromkeys((*first.types, *other.types))),
        synonyms=tuple(dict.fromkeys((*first.synonyms, *other.synonyms))),
        abbreviations=tuple(dict.fromkeys((*first.abbreviations, *other.abbreviations))),
    )


def _concepts_of(extraction: Extraction) -> Iterable[Concept]:
    yield extraction.subject
    for assertion in extraction.assertions:
        yield assertion.subject
        yield assertion.object


def add_article(graph: Graph, extraction: Extraction) -> None:
    """An article's node, its asserted relations, their statements and its synonyms."""
    article = extraction.article
    node = article_iri(article)
    graph.add((node, RDF.type, MEDKG.Article))
    graph.add((node, DCTERMS.title, Literal(article.title, lang="en")))
    graph.add((node, MEDKG.articleKind, Literal(article.kind)))
    if article.updated is not None:
        graph.add((node, DCTERMS.modified, Literal(article.updated, datatype=XSD.date)))
    graph.add((node, DCTERMS.source, Literal(source_name(article.source))))
    graph.add((node, MEDKG.sha256, Literal(article.sha256)))
    graph.add((node, SDO.about, concept_iri(extraction.subject)))
    for assertion in extraction.assertions:
        add_assertion(graph, node, article, assertion)
    for synonym in extraction.synonyms:
        add_label(graph, concept_iri(synonym.concept), SKOS.altLabel, synonym.label)


def add_assertion(graph: Graph, node: URIRef, article: Article, assertion: Assertion) -> None:
    """The relation triple (unless negated) and the statement node that carries its evidence."""
    subject, obj = concept_iri(assertion.subject), concept_iri(assertion.object)
    predicate = MEDKG[assertion.relation]
    if not assertion.negated:
        graph.add((subject, predicate, obj))
    evidence = assertion.evidence
    statement = statement_iri(article, assertion)
    for p, o in (
        (RDF.type, MEDKG.Statement),
        (RDF.subject, subject),
        (RDF.predicate, predicate),
        (RDF.object, obj),
        (PROV.wasDerivedFrom, node),
        (MEDKG.section, Literal(evidence.section)),
        (MEDKG.sectionRole, Literal(evidence.role)),
        (MEDKG.sentence, Literal(evidence.sentence)),
        (MEDKG.charStart, Literal(evidence.start)),
        (MEDKG.charEnd, Literal(evidence.end)),
        (MEDKG.negated, Literal(assertion.negated)),
    ):
        graph.add((statement, p, o))
    for hedge in evidence.hedges:
        graph.add((statement, MEDKG.hedge, Literal(hedge)))
    for qualifier in evidence.qualifiers:
        graph.add((statement, MEDKG.qualifier, Literal(qualifier)))


def statement_iri(article: Article, assertion: Assertion) -> URIRef:
    """Stable across builds: a hash of what is stated and where."""
    key = "|".join(
        (
            assertion.subject.slug,
            assertion.relation,
            assertion.object.slug,
            str(assertion.evidence.start),
            str(assertion.negated),
        )
    )
    digest = hashlib.sha1(key.encode()).hexdigest()[:12]
    return ARTICLE[f"{article.slug}/statement/{digest}"]


def add_terminology(graph: Graph, concepts: Iterable[Concept]) -> None:
    for concept in concepts:
        node = concept_iri(concept)
        for concept_type in concept.types:
            graph.add((node, RDF.type, MEDKG[concept_type]))
        add_label(graph, node, SKOS.prefLabel, concept.label)
        for name in (*concept.synonyms, *concept.abbreviations):
            add_label(graph, node, SKOS.altLabel, name)


def name_key(label: str) -> str:
    """The lookup key of a label: the label lower-cased, as SPARQL's ``LCASE`` does it.

    >>> name_key("MRI of the Spine")
    'mri of the spine'
    """
    return label.lower()


def add_label(graph: Graph, node: URIRef, predicate: URIRef, label: str) -> None:
    """An English label, with its lookup key (``medkg:nameKey``) beside it in the same graph.

    The named queries find a concept by any label in any case with ``?iri medkg:nameKey ?key``,
    one exact match that the store answers from its index, instead of lower-casing every label
    in the store; the key lives in the graph its label lives in, so it goes when the label goes.
    """
    graph.add((node, predicate, Literal(label, lang="en")))
    graph.add((node, MEDKG.nameKey, Literal(name_key(label))))


def add_codes(graph: Graph, concept: Concept, codes: Iterable[Code]) -> None:
    """Mappings to standard codes: the match, the code as a literal, and for codes read from
    a release, the release's label and the release itself. A cross-reference (UMLS, SNOMED CT)
    says which HPO term it came from."""
    node = concept_iri(concept)
    for code in codes:
        target = code_iri(code.system, code.code)
        graph.add((node, SKOS.exactMatch if code.match == "exact" else SKOS.closeMatch, target))
        graph.add((target, SKOS.notation, Literal(code.code)))
        if code.via is not None:
            graph.add((target, PROV.wasDerivedFrom, code_iri("HP", code.via)))
            continue
        graph.add((node, SKOS.notation, Literal(code.code)))
        graph.add((target, RDFS.label, Literal(code.label)))
        release = RELEASE[code.release.slug]
        graph.add((target, DCTERMS.isPartOf, release))
        graph.add((release, DCTERMS.title, Literal(code.release.title)))
        graph.add((release, OWL.versionInfo, Literal(code.release.version)))
        graph.add((release, DCTERMS.source, Literal(code.release.source)))


def source_name(path: Path) -> str:
    """An article file as recorded in the graph: kind folder and file name, so the same
    articles give the same graph wherever the repository lives."""
    folder = path.parent.name
    return f"{folder}/{path.name}" if folder in KINDS else path.name


def union(dataset: Dataset) -> Graph:
    """All graphs as one, for validation, Turtle export and traversal."""
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True)
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph
