"""The extractor's records: assertions with their evidence, the synonyms an article gives,
and the passages (sentences, bullets, FAQ answers) it is read in."""

from __future__ import annotations

from dataclasses import dataclass

from medkg.article import Article, Span
from medkg.terminology import Concept

#: The section name recorded for the text between the title and the first heading.
INTRODUCTION = "Introduction"


@dataclass(frozen=True)
class Evidence:
    """Where an assertion comes from: the sentence, its place, and what the text adds."""

    section: str
    role: str
    sentence: str
    start: int
    end: int
    hedges: tuple[str, ...] = ()
    qualifiers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Assertion:
    """subject —relation→ object, stated (or, if negated, denied) by its evidence."""

    subject: Concept
    relation: str
    object: Concept
    evidence: Evidence
    negated: bool = False


@dataclass(frozen=True)
class Synonym:
    """Another name the text gives a concept ("also known as …")."""

    concept: Concept
    label: str
    evidence: Evidence


@dataclass(frozen=True)
class Extraction:
    article: Article
    subject: Concept
    assertions: tuple[Assertion, ...]
    synonyms: tuple[Synonym, ...]
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Unit:
    """One sentence or bullet, with the section it sits in."""

    section: str
    role: str
    span: Span
    term: Span | None = None
    description: Span | None = None
    question: str = ""  # for an FAQ answer, the question it answers


def unique(items: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def evidence_of(unit: Unit, hedges: tuple[str, ...], qualifiers: tuple[str, ...] = ()) -> Evidence:
    """The evidence of an assertion a unit states, with its hedges (lower-cased, once each)."""
    return Evidence(
        section=unit.section,
        role=unit.role,
        sentence=unit.span.text,
        start=unit.span.start,
        end=unit.span.end,
        hedges=unique(tuple(h.lower() for h in hedges)),
        qualifiers=qualifiers,
    )
