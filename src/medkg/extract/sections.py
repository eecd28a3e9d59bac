"""The rule of last resort: what a concept is to the article's concept by the meaning of the
section it stands in (a symptom under Symptoms is a symptom of the condition), unless an
earlier rule took it or the wording says otherwise."""

from __future__ import annotations

import re
from collections.abc import Iterator

from medkg.extract import cues
from medkg.extract.reading import Clause, Marks, Reading, fits
from medkg.extract.records import Assertion
from medkg.relations import CONDITION_OR_SYMPTOM
from medkg.terminology import Mention


def by_role(r: Reading, marks: Marks) -> Iterator[Assertion]:
    """What each concept is to the article's concept, by the section's meaning."""
    # (qualifiers, hedges); hedges None means "the mention's own, from its clause"
    topic = (r.qualifiers(), r.description_hedges())
    sentence = (() if r.unit.description else r.qualifiers(), None)
    candidates: list[tuple[Mention, tuple[tuple[str, ...], tuple[str, ...] | None]]]
    candidates = [(m, topic) for m in r.term_mentions]
    candidates += [
        (m, sentence)
        for m in r.mentions
        if m.start >= r.body_start and m not in marks.consumed and _counts_for_role(r, marks, m)
    ]
    for mention, (qualifiers, hedges) in candidates:
        if r.is_subject(mention):
            continue
        for rule in r.rules:  # the first rule that fits the relation's domain and range
            if mention.concept.is_a(rule.concept_type):
                subject, obj = r.subject, rule.typed(mention.concept)
                relation = _relation_in_context(r, rule.relation, mention)
                if relation is None:
                    break
                if rule.reverse or relation == "prevents":
                    subject, obj = obj, subject
                assertion = r.emit(subject, relation, obj, mention, qualifiers, hedges)
                if fits(assertion):
                    yield assertion
                    break


def _relation_in_context(r: Reading, relation: str, mention: Mention) -> str | None:
    """A section's relation, unless the wording says otherwise: a bullet whose purpose is
    to prevent ("Bisphosphonates: Help prevent further fractures") gives `prevents`; a
    treatment the subject "no longer responds to" is not one of its uses."""
    if relation == "hasSideEffect" and r.side_effect_owners():
        return None  # the effect is the named drug's (see owned_side_effects)
    if relation == "bodySite" and not _names_procedure(r, r.clause_of(mention)):
        return None  # "… when the kidneys can no longer do this job": no site of it
    if relation != "treatedBy":
        return relation
    if r.treated_conditions():
        return None  # the symptom's cause is what is treated (see treated_causes)
    clause = r.clause_of(mention)
    group = next((g for g in r.lists(clause) if mention in g), [mention])
    after = r.text[group[-1].end : clause.end]  # after the whole list it is in
    harm = cues.HARMS.match(after)
    # "exercises that relieve pain and help prevent …" still treat
    harms = harm is not None and not cues.VERBS["treat"].search(after, 0, harm.start(1))
    if mention not in r.term_mentions and (harms or r.after_side_effect_cue(mention)):
        return None  # "… thyroidectomy can lead to it", "side effects of chemotherapy"
    before = r.text[clause.start : mention.start]
    if cues.NOT_A_USE.search(before):
        return None
    description = r.unit.description
    prevention = description is not None and cues.PREVENTION_PURPOSE.search(description.text)
    return "prevents" if prevention and mention in r.term_mentions else relation


def _names_procedure(r: Reading, clause: Clause) -> bool:
    """Whether a clause speaks of the procedure itself: names it, or opens with "it"."""
    opening = r.text[clause.start : clause.end].lstrip()
    named = any(r.is_subject(m) for m in clause.mentions)
    return named or re.match(r"(?:it|this)\b", opening, re.IGNORECASE) is not None


def _about_term(r: Reading) -> bool:
    """Whether the bullet's term names a concept its description can be about; a body
    part ("Brain conditions: Such as brain tumors, stroke …") leaves the article's."""
    return any(not m.concept.is_a("AnatomicalStructure") for m in r.term_mentions)


def _harm_causing_harm(r: Reading, marks: Marks, mention: Mention) -> bool:
    """In a procedure's risks a harm may cause more ("neutropenia can lead to infections")."""
    return (
        r.view == "procedure"
        and r.unit.role in {"risks", "complications"}
        and mention in marks.causes
        and mention.concept.is_a(*CONDITION_OR_SYMPTOM)
    )


def _counts_for_role(r: Reading, marks: Marks, mention: Mention) -> bool:
    """Whether a mention outside a bullet's term speaks about the article's concept.

    In a symptom or procedure article a bullet is about its term ("Osteoporosis: bones
    weakened by …" names a cause; the other conditions in it are about osteoporosis).
    A concept caught in a causal statement is about its cause, except in a condition's
    symptoms or complications ("it can cause anemia and fatigue")."""
    if _harm_causing_harm(r, marks, mention):
        return True
    if cues.COMPARED.search(r.text, r.clause_of(mention).start, mention.start):
        return False  # "more common in men than in women": the comparison is no factor
    if _about_term(r) and r.view != "condition":
        # … though the tests and treatments a symptom's bullet names are its own too
        # (unless the bullet is named for a condition: "Depression: Antidepressants")
        kinds = cues.SYMPTOM_BULLET_KINDS.get(r.unit.role, ()) if r.view == "symptom" else ()
        for_condition = any(m.concept.is_a("Condition") for m in r.term_mentions)
        if for_condition or not mention.concept.is_a(*kinds):
            return False
    if mention in marks.foreign and mention not in marks.chained:
        return False  # "bone metastasis may cause fractures": not the article's complication
    if mention in marks.causal:
        return r.view == "condition" and r.unit.role in {"symptoms", "complications"}
    if mention.concept.is_a("AnatomicalStructure") and r.unit.role == "overview":
        return _defines_site(r, mention)
    return mention not in marks.related or r.view == "condition"


def _defines_site(r: Reading, mention: Mention) -> bool:
    """In an introduction only the first body part of a sentence that names the article's
    concept says where it is ("starts in the thyroid gland, … at the front of the neck")."""
    if not any(r.is_subject(m) for m in r.mentions):
        return False
    sites = [m for m in r.mentions if m.concept.is_a("AnatomicalStructure")]
    clause = r.clause_of(sites[0])
    first = next((g for g in r.lists(clause) if sites[0] in g), [sites[0]])
    return mention in first
