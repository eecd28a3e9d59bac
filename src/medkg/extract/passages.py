"""The passages an article is read in: each sentence of a paragraph, each bullet, each FAQ
answer (with its question), and the synonyms an introduction gives its concept."""

from __future__ import annotations

import re
from collections.abc import Iterator

from medkg.article import Article, sentences
from medkg.extract.cues import SYNONYM_CUE
from medkg.extract.records import INTRODUCTION, Synonym, Unit, evidence_of
from medkg.terminology import Concept, normalise

#: An answer that affirms its yes/no question without restating it.
AFFIRMED = re.compile(r"\s*(?:yes|it can(?: be)?|they can(?: be)?)\s*[.!]", re.IGNORECASE)


def units(article: Article) -> Iterator[Unit]:
    """Every passage of ``article``, in reading order: paragraphs' sentences, then bullets,
    section by section; then the FAQ answers."""
    for section in article.sections:
        heading = section.heading or INTRODUCTION
        for paragraph in section.paragraphs:
            for sentence in sentences(paragraph):
                yield Unit(heading, section.role, sentence)
        for bullet in section.bullets:
            yield Unit(heading, section.role, bullet.span, bullet.term, bullet.description)
    for faq in article.faqs:
        if AFFIRMED.match(faq.answer.text):
            # "Is numbness a sign of a stroke?" "It can be.": the answer asserts the question
            yield Unit(article.faq_heading, faq.role, faq.question)
        for sentence in sentences(faq.answer):
            yield Unit(article.faq_heading, faq.role, sentence, question=faq.question.text)


def synonyms(unit: Unit, subject: Concept) -> Iterator[Synonym]:
    """The names an introduction's sentence about ``subject`` gives it ("also known as …")."""
    if unit.role != "overview":
        return
    text = unit.span.text
    if normalise(subject.label) != normalise(text[: text.find(",")]) and not text.startswith(
        subject.label
    ):
        return
    for match in SYNONYM_CUE.finditer(text):
        label = match.group(1).strip()
        if label and normalise(label) != normalise(subject.label):
            yield Synonym(subject, label, evidence_of(unit, ()))
