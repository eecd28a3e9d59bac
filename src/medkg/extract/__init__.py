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

from dataclasses import replace

from medkg.article import Article
from medkg.extract.passages import synonyms as unit_synonyms
from medkg.extract.passages import units
from medkg.extract.reader import Reader
from medkg.extract.records import Assertion, Evidence, Extraction, Synonym, unique
from medkg.extract.roles import article_view
from medkg.relations import RELATIONS, allowed
from medkg.terminology import Concept, Lexicon

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
    found: dict[tuple[str, str, str, int, bool], Assertion] = {}
    synonyms: list[Synonym] = []
    for unit in units(article):
        for found_assertion in Reader(unit, subject, lexicon, view).assertions():
            assertion = _from_point_of_view(found_assertion, subject, view)
            if allowed(assertion.subject, assertion.relation, assertion.object):
                key = (
                    assertion.subject.label,
                    assertion.relation,
                    assertion.object.label,
                    assertion.evidence.start,
                    assertion.negated,
                )
                found[key] = _merge(found.get(key), assertion)
        synonyms.extend(unit_synonyms(unit, subject))
    return Extraction(article, subject, tuple(found.values()), tuple(synonyms), tuple(warnings))


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
