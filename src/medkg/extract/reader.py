"""The rules that relate the concepts one passage mentions, applied in order to one
:class:`~medkg.extract.reading.Reading` of it: first what cues state (causes, risks, spread,
sites, verbs, purposes: :mod:`medkg.extract.causal`, :mod:`medkg.extract.uses`), then what
the section's meaning gives the mentions no cue took (:mod:`medkg.extract.sections`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from medkg.extract import causal, sections, uses
from medkg.extract.reading import Marks, Reading
from medkg.extract.records import Assertion, Unit
from medkg.terminology import Concept, Lexicon

__all__ = ["read"]

Rule = Callable[[Reading, Marks], Iterator[Assertion]]

#: In order: a rule may rely on what those before it marked.
RULES: tuple[Rule, ...] = (
    causal.risk,
    causal.metastasis,
    causal.causes,
    causal.affects,
    causal.suspected,
    causal.signs,
    causal.risk_reduction,
    uses.body_sites,
    uses.verbs,
    uses.purposes,
    uses.term_condition,
    uses.treated_causes,
    uses.owned_side_effects,
    sections.by_role,
)


def read(unit: Unit, subject: Concept, lexicon: Lexicon, view: str) -> Iterator[Assertion]:
    """Every assertion the rules find in ``unit``, about ``subject`` read as a ``view``
    ("condition", "symptom" or "procedure") article."""
    reading = Reading(unit, subject, lexicon, view)
    marks = Marks()
    for rule in RULES:
        yield from rule(reading, marks)
