"""From a parsed article to typed assertions, each with the sentence that states it.

Rules are about sentences and lists, never about particular articles:

* a section's meaning decides what its concepts are to the article's concept (a symptom in
  "Symptoms" is a symptom of the condition, a test in "Diagnosis" diagnoses it, …):
  :mod:`medkg.extract.roles`;
* a bullet "Term: description" is about its term; the description qualifies it, and a purpose
  in it ("to detect any fractures") says what the term diagnoses, treats or prevents;
* causal, risk and metastasis cues relate the concepts of one clause to each other
  (:mod:`medkg.extract.reader`, with the cue words of :mod:`medkg.extract.cues`);
* negation before a mention turns the assertion into a negated one (never a positive edge);
* what the article names that no vocabulary knows is a concept too
  (:mod:`medkg.extract.recognise`).

Every candidate passes the relation's domain and range (:data:`medkg.relations.RELATIONS`)
or is dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace

from medkg.article import Article
from medkg.extract import cues
from medkg.extract.context import negated
from medkg.extract.passages import synonyms as unit_synonyms
from medkg.extract.passages import units
from medkg.extract.reader import Reader
from medkg.extract.recognise import Named, recognise
from medkg.extract.records import (
    INTRODUCTION,
    Assertion,
    Evidence,
    Extraction,
    Synonym,
    Unit,
    evidence_of,
    unique,
)
from medkg.extract.roles import ROLE_RULES, article_view
from medkg.extract.statements import statements
from medkg.relations import RELATIONS, allowed
from medkg.terminology import Concept, Lexicon, normalise

__all__ = [
    "RELATIONS",
    "Assertion",
    "Evidence",
    "Extraction",
    "Synonym",
    "article_view",
    "extract",
]


def extract(article: Article, lexicon: Lexicon) -> Extraction:
    """Every assertion and synonym the article states about its concepts."""
    subject = lexicon.concept_for_title(article.title, article.kind)
    view = article_view(subject)
    warnings = []
    if view != article.kind:
        warnings.append(
            f"{article.source}: the article is filed as a {article.kind}, but {subject.label!r} "
            f"is a {', '.join(subject.types)} in the terminology; read as a {view} article"
        )
    lexicon = lexicon.extended((subject,))  # the article's own concept, known or not
    found: dict[tuple[str, str, str, int, bool], Assertion] = {}
    synonyms: list[Synonym] = []
    passages = list(units(article))
    for unit in passages:
        for found_assertion in Reader(unit, subject, lexicon, view).assertions():
            assertion = _from_point_of_view(found_assertion, subject, view)
            _add(found, _in_negation_scope(assertion, unit) if not assertion.negated else assertion)
        synonyms.extend(unit_synonyms(unit, subject))
    # what only the article names: the reader's rules know the lexicon's concepts only
    named = recognise(article, view, lexicon.lookup)
    local = {normalise(item.concept.label): item.concept for item in named}

    def known(name: str) -> Concept | None:
        return lexicon.lookup(name) or local.get(normalise(name))

    related = {(a.subject.label, a.object.label) for a in found.values()}
    opened = [
        *_open_roles(named, subject, view),
        *(
            _from_point_of_view(a, subject, view)
            for unit in passages
            for a in _open_statements(unit, subject, known)
        ),
    ]
    for assertion in opened:
        pair = (assertion.subject.label, assertion.object.label)
        if pair not in related and _add(found, assertion):
            related.add(pair)
    return Extraction(article, subject, tuple(found.values()), tuple(synonyms), tuple(warnings))


def _add(found: dict[tuple[str, str, str, int, bool], Assertion], assertion: Assertion) -> bool:
    """Keep ``assertion`` if it fits its relation; one per place, hedges merged."""
    if not allowed(assertion.subject, assertion.relation, assertion.object):
        return False
    key = (
        assertion.subject.label,
        assertion.relation,
        assertion.object.label,
        assertion.evidence.start,
        assertion.negated,
    )
    found[key] = _merge(found.get(key), assertion)
    return True


def _in_negation_scope(assertion: Assertion, unit: Unit) -> Assertion:
    """The reader's assertion, negated when NegEx finds its object (or subject) in the
    scope of a negation in the passage ("Brain scans such as MRI are not needed to diagnose
    depression")."""
    text = unit.span.text
    lowered = text.lower()
    spans = []
    for concept in (assertion.object, assertion.subject):
        for name in (concept.label, *concept.synonyms, *concept.abbreviations):
            if (at := lowered.find(name.lower())) >= 0:
                spans.append((at, at + len(name)))
                break
    return replace(assertion, negated=True) if spans and any(negated(text, spans)) else assertion


def _open_roles(named: Iterable[Named], subject: Concept, view: str) -> Iterator[Assertion]:
    """What each concept that only the article names is to its concept, by the section's
    meaning: the first role rule its type fits."""
    for item in named:
        unit = Unit(item.section or INTRODUCTION, item.role, item.unit)
        for rule in ROLE_RULES[view].get(item.role, ()):
            if item.concept.is_a(rule.concept_type):
                pair = (item.concept, subject) if rule.reverse else (subject, item.concept)
                hedges = tuple(h.group() for h in cues.HEDGES.finditer(item.unit.text))
                where = (item.span.start - item.unit.start, item.span.end - item.unit.start)
                [denied] = negated(item.unit.text, [where])
                evidence = evidence_of(unit, hedges)
                yield Assertion(pair[0], rule.relation, pair[1], evidence, negated=denied)
                break


def _open_statements(
    unit: Unit, subject: Concept, known: Callable[[str], Concept | None]
) -> Iterator[Assertion]:
    """The statements of a passage's clauses, read with open arguments."""
    topic = (known(unit.term.text) if unit.term else None) or subject
    hedges = tuple(h.group() for h in cues.HEDGES.finditer(unit.span.text))
    for statement in statements(unit.span, topic, known):
        yield Assertion(
            statement.subject,
            statement.relation,
            statement.object,
            evidence_of(unit, hedges),
            negated=statement.negated,
        )


def _from_point_of_view(assertion: Assertion, subject: Concept, view: str) -> Assertion:
    """In a condition's article what the condition itself causes is one of its complications
    or symptoms ("hypothyroidism can lead to heart disease"); a denied symptom is a denied
    symptom ("does not usually cause weight loss"), but a denied condition stays a denial of
    cause, and a process it causes stays a cause."""
    if view != "condition" or assertion.relation != "causes" or assertion.subject != subject:
        return assertion
    if assertion.object.is_a("PathologicalProcess"):
        return assertion
    if assertion.negated and not assertion.object.is_a("Symptom"):
        return assertion
    relation = "hasSymptom" if assertion.object.is_a("Symptom") else "hasComplication"
    return replace(assertion, relation=relation)


def _merge(old: Assertion | None, new: Assertion) -> Assertion:
    if old is None:
        return new
    evidence = replace(
        old.evidence,
        hedges=unique(old.evidence.hedges + new.evidence.hedges),
        qualifiers=unique(old.evidence.qualifiers + new.evidence.qualifiers),
    )
    return replace(old, evidence=evidence)
