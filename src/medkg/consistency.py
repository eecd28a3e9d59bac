"""Does the encyclopedia agree with itself? Three checks across articles, each with its sentences.

- :func:`contradictions`: a fact one article asserts and another denies (the statement nodes'
  ``medkg:negated``, compared by subject, relation and object; query
  ``contradicting-statements``).
- :func:`faq_only_facts`: an FAQ answer that the rest of its article never states (same
  subject, relation, object and polarity from a non-FAQ section; query ``faq-only-facts``).
- :func:`type_conflicts`: a concept that one article treats as a condition and another as a
  symptom (or a procedure).

What "typed differently" means here: a concept's types are recorded once, in the terminology
graph, so two articles cannot give it two ``rdf:type`` values. Articles type concepts
implicitly instead, by the *role* they give them: an article's kind (condition, symptom or
procedure page) is a role for the concept it is ``schema:about``; the subject of a
``hasSymptom`` statement plays a condition, its object a symptom; the object of
``diagnosedBy`` or ``treatedBy`` plays a procedure. A conflict is a concept given two roles by
two different articles. ``registered`` tells whether the registry types allow both roles (a
pathologic fracture is typed both Complication and Symptom): such a conflict is known and
deliberate, the others are for a curator to look at.

Every function takes the union graph (rdflib) or, for the two query-based checks, an Oxigraph
store as well.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, SDO, SKOS

from medkg.queries import QueryResult, Source, run_named
from medkg.terminology import lineage
from medkg.vocab import MEDKG

__all__ = [
    "ROLE_TYPES",
    "ConsistencyReport",
    "Contradiction",
    "Fact",
    "FaqOnlyFact",
    "RoleEvidence",
    "Sentence",
    "TypeConflict",
    "check",
    "contradictions",
    "faq_only_facts",
    "type_conflicts",
]

#: A role an article gives a concept → the registry types (or their subclasses) that allow it.
ROLE_TYPES: dict[str, tuple[str, ...]] = {
    "condition": ("Condition",),
    "symptom": ("Symptom",),
    "procedure": ("DiagnosticProcedure", "Therapy", "Drug", "DrugClass"),
}

# Relation → (role of its subject, role of its object); None where the relation says nothing.
_ROLES_BY_RELATION: dict[str, tuple[str | None, str | None]] = {
    "hasSymptom": ("condition", "symptom"),
    "hasComplication": ("condition", "condition"),
    "hasRiskFactor": ("condition", None),
    "diagnosedBy": (None, "procedure"),
    "treatedBy": (None, "procedure"),
}


@dataclass(frozen=True)
class Sentence:
    """Where something was read: the article's title and IRI, the section and the sentence."""

    article: str
    article_iri: str
    section: str
    sentence: str


@dataclass(frozen=True)
class Fact:
    """A relation triple with its concepts' labels."""

    subject: str
    relation: str
    object: str
    subject_iri: str
    object_iri: str

    def __str__(self) -> str:
        return f"{self.subject} {self.relation} {self.object}"


@dataclass(frozen=True)
class Contradiction:
    """One article asserts ``fact``, another denies it."""

    fact: Fact
    asserted: Sentence
    negated: Sentence


@dataclass(frozen=True)
class FaqOnlyFact:
    """A fact (or, with ``negated``, a denial) that only the article's FAQ states."""

    fact: Fact
    negated: bool
    faq: Sentence


@dataclass(frozen=True)
class RoleEvidence:
    """An article giving a concept a role, and the sentence that does it."""

    role: str
    where: Sentence


@dataclass(frozen=True)
class TypeConflict:
    """A concept that different articles give different roles; ``roles`` has one entry per
    (role, article), the first sentence of each."""

    concept: str
    label: str
    registry_types: tuple[str, ...]
    roles: tuple[RoleEvidence, ...]
    registered: bool


@dataclass(frozen=True)
class ConsistencyReport:
    """The three checks' findings."""

    contradictions: tuple[Contradiction, ...] = ()
    faq_only: tuple[FaqOnlyFact, ...] = ()
    type_conflicts: tuple[TypeConflict, ...] = field(default=())

    @property
    def findings(self) -> int:
        """How many findings in all."""
        return len(self.contradictions) + len(self.faq_only) + len(self.type_conflicts)


def contradictions(source: Source) -> list[Contradiction]:
    """Facts asserted by one article and negated by another, each with both sentences.

    Returns
    -------
    list of Contradiction
        One per pair of statements (an asserting and a negating one from different articles),
        in the order of the ``contradicting-statements`` query: subject, relation, object.

    Raises
    ------
    medkg.queries.QueryError
        If the shipped query does not parse (a broken installation).

    Examples
    --------
    >>> found = contradictions(graph)
    >>> any(c.fact.subject == "bone metastasis" and c.fact.object == "X-ray"
    ...     for c in found)
    True
    """
    rows = _rows(run_named(source, "contradicting-statements", {}))
    return [
        Contradiction(
            fact=_fact(row),
            asserted=_sentence(row, "asserted"),
            negated=_sentence(row, "negated"),
        )
        for row in rows
    ]


def faq_only_facts(source: Source) -> list[FaqOnlyFact]:
    """Statements read from an FAQ that no other section of the same article makes.

    Returns
    -------
    list of FaqOnlyFact
        In the order of the ``faq-only-facts`` query: article, subject, relation, object.

    Raises
    ------
    medkg.queries.QueryError
        If the shipped query does not parse (a broken installation).

    Examples
    --------
    >>> any(f.faq.article == "Thyroid Cancer" for f in faq_only_facts(graph))
    True
    """
    rows = _rows(run_named(source, "faq-only-facts", {}))
    return [
        FaqOnlyFact(
            fact=_fact(row),
            negated=row["negated"] == "true",
            faq=Sentence(row["article"], row["articleIri"], row["section"], row["sentence"]),
        )
        for row in rows
    ]


def type_conflicts(graph: Graph) -> list[TypeConflict]:
    """Concepts that two articles give different roles (see the module docstring).

    Returns
    -------
    list of TypeConflict
        Unregistered conflicts first, then by label; roles sorted by role, then article.

    Examples
    --------
    >>> found = {c.label: c for c in type_conflicts(graph)}
    >>> found["pathologic fracture"].registered
    True
    """
    seen: dict[URIRef, dict[tuple[str, str], Sentence]] = defaultdict(dict)
    articles = sorted(a for a in graph.subjects(RDF.type, MEDKG.Article) if isinstance(a, URIRef))
    for article in articles:
        kind = graph.value(article, MEDKG.articleKind)
        about = graph.value(article, SDO.about)
        if isinstance(about, URIRef) and str(kind) in ROLE_TYPES:
            title = _title(graph, article)
            where = Sentence(title, str(article), "", f"the {kind} article {title!r}")
            seen[about][(str(kind), str(article))] = where
    statements = sorted(str(s) for s in graph.subjects(RDF.type, MEDKG.Statement))
    for statement in map(URIRef, statements):
        if _is_true(graph.value(statement, MEDKG.negated)):
            continue  # a denial gives no role
        predicate = str(graph.value(statement, RDF.predicate) or "")
        roles = _ROLES_BY_RELATION.get(predicate.removeprefix(str(MEDKG)))
        source = graph.value(statement, PROV.wasDerivedFrom)
        if roles is None or not isinstance(source, URIRef):
            continue
        article = source
        where = Sentence(
            _title(graph, article),
            str(article),
            str(graph.value(statement, MEDKG.section) or ""),
            str(graph.value(statement, MEDKG.sentence) or ""),
        )
        for role, end in zip(roles, (RDF.subject, RDF.object), strict=True):
            concept = graph.value(statement, end)
            if role is not None and isinstance(concept, URIRef):
                seen[concept].setdefault((role, str(article)), where)
    found = []
    for concept, by_role in seen.items():
        articles_by_role: dict[str, set[str]] = defaultdict(set)
        for role, article_iri in by_role:
            articles_by_role[role].add(article_iri)
        types = tuple(
            sorted(str(t).removeprefix(str(MEDKG)) for t in graph.objects(concept, RDF.type))
        )
        allowed = {c for t in types for c in lineage(t)}
        registered = all(any(t in allowed for t in ROLE_TYPES[role]) for role in articles_by_role)
        if registered and not _two_articles_disagree(articles_by_role):
            continue
        found.append(
            TypeConflict(
                concept=str(concept),
                label=_label(graph, concept),
                registry_types=types,
                roles=tuple(
                    RoleEvidence(role, where)
                    for (role, _), where in sorted(by_role.items(), key=lambda item: item[0])
                ),
                registered=registered,
            )
        )
    return sorted(found, key=lambda c: (c.registered, c.label.casefold(), c.concept))


def check(graph: Graph) -> ConsistencyReport:
    """All three checks on the union graph.

    Examples
    --------
    >>> check(graph).findings > 0
    True
    """
    return ConsistencyReport(
        contradictions=tuple(contradictions(graph)),
        faq_only=tuple(faq_only_facts(graph)),
        type_conflicts=tuple(type_conflicts(graph)),
    )


def _two_articles_disagree(articles_by_role: dict[str, set[str]]) -> bool:
    """Whether some article gives one role and a different article another. With two roles or
    more and two articles or more, two of them always do; one article's own mixed usage (a
    condition page listing the condition among its own symptoms) is not a disagreement."""
    articles = set().union(*articles_by_role.values())
    return len(articles_by_role) >= 2 and len(articles) >= 2


def _rows(result: QueryResult) -> list[dict[str, str]]:
    return [{k: v or "" for k, v in row.items()} for row in result.as_dicts()]


def _fact(row: dict[str, str]) -> Fact:
    return Fact(
        subject=row["subject"],
        relation=row["relationIri"].removeprefix(str(MEDKG)),
        object=row["object"],
        subject_iri=row["subjectIri"],
        object_iri=row["objectIri"],
    )


def _sentence(row: dict[str, str], side: str) -> Sentence:
    return Sentence(
        row[f"{side}Article"],
        row[f"{side}ArticleIri"],
        row[f"{side}Section"],
        row[f"{side}Sentence"],
    )


def _title(graph: Graph, article: URIRef) -> str:
    return str(graph.value(article, DCTERMS.title) or article)


def _label(graph: Graph, concept: URIRef) -> str:
    labels = sorted(
        graph.objects(concept, SKOS.prefLabel),
        key=lambda lit: (not isinstance(lit, Literal) or lit.language != "en", str(lit)),
    )
    return str(labels[0]) if labels else str(concept).rsplit("/", 1)[-1]


def _is_true(term: object) -> bool:
    return isinstance(term, Literal) and term.toPython() is True
