"""Pronouns and what they stand for, within one sentence or bullet.

Two patterns of ordinary prose, independent of any article:

* an object pronoun right after a verb ("… may be given to prevent *it*", "… help prevent
  *them*") stands for the topic the unit is about: a bullet's term, else the article's concept;
* a clause that opens with a subject pronoun ("…; *it* starts in the lining of the renal
  tubules") continues the previous clause, so the pronoun stands for that clause's first
  condition.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from abbreviations import schwartz_hearst

from medkg.terminology import Concept, Mention

_OBJECT_PRONOUN = re.compile(r"\s+(?:it|them)\b(?!\s*(?:is|are|was|were|can|may)\b)", re.I)
_SUBJECT_PRONOUN = re.compile(r"\s*(?:it|this)\s+(?!is\b|was\b)", re.IGNORECASE)


def object_pronoun_at(text: str, position: int) -> bool:
    """Whether the words at ``position`` are an object pronoun ("prevent it", "treat them")."""
    return _OBJECT_PRONOUN.match(text, position) is not None


def opens_with_pronoun(text: str, start: int) -> bool:
    """Whether the clause at ``start`` opens with a subject pronoun ("it starts in …")."""
    return _SUBJECT_PRONOUN.match(text, start) is not None


def first_of_kind(mentions: Sequence[Mention], *kinds: str) -> list[Concept]:
    """The first mention of one of ``kinds`` (the previous clause's subject), if any."""
    return next(([m.concept] for m in mentions if m.concept.is_a(*kinds)), [])


def abbreviations(text: str) -> dict[str, str]:
    """The abbreviations ``text`` defines, short form → long form ("gastroesophageal reflux
    disease (GERD)"), found by Schwartz and Hearst's algorithm (2003), as the
    ``abbreviations`` package implements it."""
    pairs = schwartz_hearst.extract_abbreviation_definition_pairs(doc_text=text)
    return {str(short): str(long) for short, long in pairs.items()}
