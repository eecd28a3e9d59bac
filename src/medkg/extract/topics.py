"""Passages about another concept than the article's: what a procedure's page says of the
condition it treats.

A page on appendectomy has a section "How Appendicitis Is Diagnosed" and a lead-in "Typical
symptoms of appendicitis include:" before a list: the tests of that section diagnose
appendicitis, and the items of that list are its symptoms, not anything the operation
does. Such a passage is read as a condition's page would be: with that condition as its
subject and the meaning its heading or lead-in gives it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from medkg.article import Article, Section, sentences
from medkg.extract.names import is_name, without_parenthesis
from medkg.terminology import Concept, normalise

__all__ = ["Topic", "topics"]


@dataclass(frozen=True)
class Topic:
    """What a passage is about: ``concept``, read in a section of ``role`` on its page."""

    concept: Concept
    role: str


# "Typical symptoms of appendicitis include:", "Signs of a wound infection are:"
_LEAD_IN = re.compile(
    r"\b(?P<what>symptoms|signs|causes|risk factors|complications|treatments|tests)\s+"
    r"(?:of|for)\s+(?:an?\s+|the\s+)?(?P<name>[^:,.;]{3,60}?)\s*"
    r"(?:(?:may|can|usually|often)\s+)?(?:include|are)?\s*:\s*$",
    re.IGNORECASE,
)
_LEAD_IN_ROLES = {
    "symptoms": "symptoms",
    "signs": "symptoms",
    "causes": "causes",
    "risk factors": "risks",
    "complications": "complications",
    "treatments": "treatment",
    "tests": "diagnosis",
}


# "How Appendicitis Is Diagnosed", "Symptoms of Gallstones", "Treating Kidney Failure"
_HEADING = re.compile(
    r"^how\s+(?:is\s+|are\s+)?(?P<how>.+?)\s+(?:is|are)\s+"
    r"(?:diagnosed|treated|found|tested|managed|prevented|confirmed)$"
    r"|^(?:symptoms|signs|causes|risk factors|complications|treatments?|diagnosis|tests)\s+"
    r"(?:of|for)\s+(?:an?\s+|the\s+)?(?P<of>.+)$"
    r"|^(?:treating|diagnosing|preventing|managing)\s+(?:an?\s+|the\s+)?(?P<doing>.+)$",
    re.IGNORECASE,
)


def topics(
    article: Article, subject: Concept, known: Callable[[str], Concept | None]
) -> Mapping[int, Topic]:
    """The topic of each passage that is about a condition other than ``subject``, by the
    start of the passage (a sentence of a paragraph, or a bullet); ``known`` gives the
    concept of a name, if any."""
    found: dict[int, Topic] = {}
    for section in article.sections:
        named = _heading_topic(section, article.title, subject, known)
        if named is not None:
            for paragraph in section.paragraphs:
                found.update((sentence.start, named) for sentence in sentences(paragraph))
            for bullet in section.bullets:
                found[bullet.span.start] = named
        found.update(_lead_ins(section, article.title, subject, known))
    return found


def _heading_topic(
    section: Section, title: str, subject: Concept, known: Callable[[str], Concept | None]
) -> Topic | None:
    """ "How Appendicitis Is Diagnosed" on a page about appendectomy: the condition a
    heading names, if it is not the article's and the heading has a meaning."""
    if section.role in ("other", "overview", "faq"):
        return None
    match = _HEADING.match(section.heading.strip())
    if match is None:
        return None
    concept = _condition(match.group("how") or match.group("of") or match.group("doing"), known)
    if concept is None or _is_the_article(concept, title, subject):
        return None
    return Topic(concept, section.role)


def _condition(name: str, known: Callable[[str], Concept | None]) -> Concept | None:
    """The condition ``name`` names: a known one, or a new one if no vocabulary knows it
    (a known concept of another type is no condition: "How the Test Is Done")."""
    bare, synonyms = without_parenthesis(name.strip())
    words = bare.lower().split()
    if not words or not is_name(bare) or words[0] in ("the", "your", "this", "these"):
        return None  # "How the Cause Is Found": no condition named
    if words[-1] in _EPISODES:
        return None  # "Preventing future attacks": the article's own condition
    concept = known(bare)
    if concept is None:
        return Concept(bare.lower(), ("Condition",), synonyms)
    return concept if concept.is_a("Condition") else None


_EPISODES = frozenset({"attack", "attacks", "episode", "episodes", "flare", "flares"})


def _is_the_article(concept: Concept, title: str, subject: Concept) -> bool:
    """Whether ``concept`` is the article's own, or a form of it: on a condition's or a
    symptom's page, a name that shares a word with its title ("diabetes" on type 2
    diabetes, "a gout attack" on gout); a procedure is no condition ("cataracts" on
    cataract surgery)."""
    if concept == subject or not subject.is_a("Condition", "Symptom"):
        return concept == subject
    words = set(normalise(title)) | set(normalise(subject.label))
    return bool(set(normalise(concept.label)) & words)


def _lead_ins(
    section: Section, title: str, subject: Concept, known: Callable[[str], Concept | None]
) -> dict[int, Topic]:
    """The bullets after a lead-in that names a condition and what the list is of
    ("Typical symptoms of appendicitis include:"), up to the next paragraph."""
    found: dict[int, Topic] = {}
    paragraphs = sorted(section.paragraphs, key=lambda p: p.start)
    for index, paragraph in enumerate(paragraphs):
        lead = _LEAD_IN.search(paragraph.text)
        if lead is None:
            continue
        concept = _condition(lead.group("name"), known)
        if concept is None or _is_the_article(concept, title, subject):
            continue
        role = _LEAD_IN_ROLES[lead.group("what").lower()]
        end = paragraphs[index + 1].start if index + 1 < len(paragraphs) else None
        for bullet in section.bullets:
            if bullet.span.start > paragraph.end and (end is None or bullet.span.start < end):
                found[bullet.span.start] = Topic(concept, role)
    return found
