"""Rules for what procedures and treatments do: the body part a procedure examines or treats,
relations a verb states between two lists ("Bisphosphonates reduce the risk of fractures"),
the purpose of a bullet's term ("to detect any fractures"), the tests and treatments of a
condition a bullet is named for, and the side effects a named drug owns."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise

from medkg.extract import cues
from medkg.extract.discourse import object_pronoun_at
from medkg.extract.reading import Marks, Reading, fits, is_site
from medkg.extract.records import Assertion
from medkg.relations import CONDITION_OR_SYMPTOM, TREATMENT
from medkg.terminology import Mention


def body_sites(r: Reading, marks: Marks) -> Iterator[Assertion]:
    """ "A thyroidectomy removes the thyroid gland", "Muscle biopsy: A small sample of
    muscle", "X-rays of the abdomen": the body part a procedure examines or treats."""
    acting = ("DiagnosticProcedure", "Therapy")
    for clause in r.clauses:
        groups = r.lists(clause)
        procedures = [m for m in clause.mentions if m.concept.is_a(*acting)]
        for procedure in procedures:  # "an MRI of the whole spine", the article's own too
            after = r.text[procedure.end :]
            if cues.SITE_OF.match(after):
                for site in r.sites_after(groups, procedure.end):
                    yield r.emit(procedure.concept, "bodySite", site.concept, site)
        for cue in cues.SITE_CUE.finditer(r.text, clause.start, clause.end):
            before = [m for m in procedures if m.end <= cue.start()]
            if before:
                actors = [before[-1].concept]
            else:  # the bullet's procedure, else the article's
                actors = [m.concept for m in r.term_mentions if m.concept.is_a(*acting)]
                if not r.term_mentions and r.subject.is_a(*acting):
                    actors = [r.subject]
            for actor in actors:
                for site in r.sites_after(groups, cue.end()):
                    yield r.emit(actor, "bodySite", site.concept, site)


def verbs(r: Reading, marks: Marks) -> Iterator[Assertion]:
    """ "Hypothyroidism is treated with levothyroxine", "MRI shows spinal cord compression",
    "fatigue is a side effect of chemotherapy": the lists on either side of the verb."""
    for clause in r.clauses:
        groups = r.lists(clause)
        # the article's own concept takes part too: "bisphosphonates lower the risk of …",
        # "MRI can show cancer deposits"
        sides = r.lists(clause, with_subject=True)
        for pattern, relation, left_is_subject in cues.VERB_RELATIONS:
            for cue in pattern.finditer(r.text, clause.start, clause.end):
                # body parts in between belong to a name ("thyroid hormone tablets")
                # and "people with cancer" name who, not what
                kept = [g for g in sides if not is_site(g) and not r.is_population(g)]
                # an agent ("caused by cancer") is not the subject of the next verb
                left = [
                    g for g in kept if g[-1].end <= cue.start() and r.subject_candidates(clause, g)
                ]
                right = [g for g in kept if g[0].start >= cue.end()]
                if not right and object_pronoun_at(r.text, cue.end()):
                    right = [r.pronoun_topic(cue.end())]  # "… given to prevent it"
                terms = [m for m in r.term_mentions if m.start < r.body_start]
                if not left and terms and r.elided_subject(clause, cue.start()):
                    left = [terms]  # "Nausea: Usually well controlled with antiemetics"
                if terms and cues.APPOSITIVE.search(r.text, clause.start, cue.start()):
                    left = [terms]  # "Lymphedema: Swelling …, a side effect of surgery"
                if not left or not right:
                    continue
                for before in left[-1]:
                    for after in right[0]:
                        subject, obj = (before, after) if left_is_subject else (after, before)
                        assertion = r.emit(subject.concept, relation, obj.concept, after)
                        if fits(assertion):
                            marks.related.update((before, after))
                            yield assertion
        heads: list[Mention] = []  # what a chain of body parts belongs to
        for before_group, after_group in pairwise(groups):
            between = r.text[before_group[-1].end : after_group[0].start]
            if not before_group[0].concept.is_a("AnatomicalStructure"):
                heads = before_group
            for pattern, relation in cues.ADJACENT_RELATIONS:
                if pattern.fullmatch(between):
                    # "cancer of plasma cells in the bone marrow": both belong to the cancer
                    chain = heads if relation == "affects" else before_group
                    for before in chain:
                        for after in after_group:
                            assertion = r.emit(before.concept, relation, after.concept, after)
                            if fits(assertion):
                                yield assertion
            if not cues.SITE_CHAIN.fullmatch(between):
                heads = []


def purposes(r: Reading, marks: Marks) -> Iterator[Assertion]:
    """What a test or treatment is for: "MRI: To … detect any compression of nerves"."""
    actors, purpose_start = _actors_and_purpose(r)
    if not actors:
        return
    purpose = r.text[purpose_start:].strip(" .")
    found = sorted(
        (match.start(), match.end(), kind)
        for kind, pattern in cues.VERBS.items()
        for match in pattern.finditer(r.text[purpose_start:])
    )
    for index, (_, cue_end, kind) in enumerate(found):
        stop = found[index + 1][0] if index + 1 < len(found) else len(r.text) - purpose_start
        # "prevent fractures in people with bone metastasis": who, not what
        population = cues.POPULATION.search(r.text, purpose_start + cue_end, purpose_start + stop)
        if population:
            stop = population.start() - purpose_start
        targets = [
            m
            for m in r.mentions
            if purpose_start + cue_end <= m.start < purpose_start + stop
            and m.concept.is_a(*CONDITION_OR_SYMPTOM)
            and not r.is_subject(m)
        ]
        yield from _purpose_assertions(r, kind, actors, targets, purpose)


def _purpose_assertions(
    r: Reading, kind: str, actors: list[Mention], targets: list[Mention], purpose: str
) -> Iterator[Assertion]:
    for target in targets:
        relation = cues.PURPOSE_RELATION[kind]
        if r.after_side_effect_cue(target):
            relation = "hasSideEffect"
        for actor in actors:
            if relation in {"prevents", "hasSideEffect"}:
                yield r.emit(actor.concept, relation, target.concept, target, (purpose,))
            else:
                yield r.emit(target.concept, relation, actor.concept, target, (purpose,))
        # A complication a test detects or a treatment relieves is one of the condition's.
        if relation in {"diagnosedBy", "treatedBy"} and target.concept.is_a("Complication"):
            yield r.emit(r.subject, "hasComplication", target.concept, target)


def _actors_and_purpose(r: Reading) -> tuple[list[Mention], int]:
    """Bullets: the term acts, the description is its purpose; sentences: "X is used to …"."""
    if r.unit.role not in {"diagnosis", "treatment"}:
        return [], 0
    acting = ("DiagnosticProcedure", *TREATMENT)
    if r.unit.description is not None:
        actors = [m for m in r.term_mentions if m.concept.is_a(*acting)]
        return actors, r.unit.description.start - r.unit.span.start
    cue = cues.PURPOSE_CUE.search(r.text)
    if cue is None:
        return [], 0
    return [m for m in r.mentions if m.end <= cue.start() and m.concept.is_a(*acting)], cue.end()


def term_condition(r: Reading, marks: Marks) -> Iterator[Assertion]:
    """A bullet named for another condition gives its treatments or tests: "Depression:
    Antidepressants, talking therapy or both", "Lung cancer: Used alone or together with
    radiation therapy"."""
    terms = [
        m
        for m in r.term_mentions
        if m.start < r.body_start and m.concept.is_a("Condition") and not r.is_subject(m)
    ]
    relation = cues.TERM_RELATIONS.get(r.unit.role)
    if not terms or relation is None:
        return
    for mention in r.mentions:
        if (
            mention.start < r.body_start
            or r.is_subject(mention)
            or mention in marks.causal
            or r.after_side_effect_cue(mention)
        ):
            continue
        for term in terms:
            assertion = r.emit(term.concept, relation, mention.concept, mention)
            if fits(assertion):
                yield assertion


def owned_side_effects(r: Reading, marks: Marks) -> Iterator[Assertion]:
    for owner in r.side_effect_owners():
        for effect in r.causal_terms():
            yield r.emit(owner.concept, "hasSideEffect", effect.concept, owner)


def treated_causes(r: Reading, marks: Marks) -> Iterator[Assertion]:
    conditions = r.treated_conditions()
    for treatment in r.mentions:
        if not treatment.concept.is_a(*TREATMENT) or treatment in marks.related:
            continue  # a verb already said what it treats
        # a bullet's term treats what its description names; otherwise, its own clause
        clause = r.clause_of(treatment)
        for condition in conditions:
            if treatment in r.term_mentions or clause.start <= condition.start < clause.end:
                yield r.emit(condition.concept, "treatedBy", treatment.concept, treatment)
