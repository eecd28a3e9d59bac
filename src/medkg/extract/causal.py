"""Rules for what a passage says causes, raises, lowers or spreads: risk and metastasis,
causal chains ("A can cause B, leading to C"), the body parts a condition affects, the signs
of a condition, and what lowers its risk. Each rule reads a :class:`Reading` and marks what
later rules must know in :class:`Marks`."""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import pairwise

from medkg.extract import cues
from medkg.extract.discourse import object_pronoun_at
from medkg.extract.reading import Clause, Marks, Reading, is_site
from medkg.extract.records import Assertion
from medkg.relations import CAUSAL, TREATMENT
from medkg.terminology import Concept, Mention


def risk(r: Reading, marks: Marks) -> Iterator[Assertion]:
    """ "Men are more likely to develop prostate cancer" → prostate cancer hasRiskFactor men."""
    for clause in r.clauses:
        cue = cues.RISK_CUE.search(r.text, clause.start, clause.end)
        if cue is None:
            continue
        # "more common in men than in women": the comparison is not a risk factor
        factors = [
            m
            for m in clause.mentions
            if m.concept.is_a("RiskFactor")
            and not cues.COMPARED.search(r.text, clause.start, m.start)
        ]
        targets = [
            m
            for m in clause.mentions
            if m.start >= cue.end() and m.concept.is_a("Condition") and m not in factors
        ]
        target = targets[0].concept if targets else r.subject
        for factor in factors:
            marks.consumed.add(factor)
            yield r.emit(target, "hasRiskFactor", factor.concept, factor)


def metastasis(r: Reading, marks: Marks) -> Iterator[Assertion]:
    """A cancer in a clause that says it spreads to anatomical sites ("it can spread to
    the bones and liver"; the article's cancer when the clause names none); a metastatic
    disease named there has that cancer as a primary."""
    for clause in r.clauses:
        cue = next(iter(_cues_outside(r.text, clause.mentions, clause.start, clause.end)), None)
        if cue is not None and cues.WITHOUT_BEFORE.search(r.text, clause.start, cue.start()):
            continue  # "causes hypercalcemia even without spreading to bone": no spread
        asked = _asked_spread(r)
        if cue is None and not asked:
            continue
        start, end = (cue.start(), cue.end()) if cue else (clause.start, clause.start)
        sites = [
            m for m in clause.mentions if m.start >= end and m.concept.is_a("AnatomicalStructure")
        ]
        # the cancers nearest before the cue spread ("… is rarer than cancer that has spread")
        before = [m for m in clause.mentions if m.concept.is_a("Cancer") and m.end <= start]
        nearest = next((g for g in r.lists(clause) if before and before[-1] in g), [])
        # … or, when that is cancer in general, those the clause lists ("include breast, …")
        cancers = [m for m in nearest if m.concept.is_a("PrimaryCancer")] or [
            m for m in clause.mentions if m.concept.is_a("PrimaryCancer") and m.start >= end
        ]
        if cue is None:  # "Where does kidney cancer spread?" "The lungs and bones …"
            cancers = [Mention(m.concept, clause.start, clause.start, "") for m in asked]
        if not cancers and r.subject.is_a("PrimaryCancer") and sites:
            cancers = [Mention(r.subject, sites[0].start, sites[0].start, "")]
        if cancers:
            marks.consumed.update(sites)  # sites of a metastasis, not what the cancer affects
            spread = bool(sites) and not r.negated(sites[0])
            if spread and not r.subject.is_a("MetastaticDisease"):
                # cancers that spread are primaries of a metastasis, not causes of the topic
                marks.consumed.update(cancers)
        for cancer in cancers:
            for site in sites:
                yield r.emit(cancer.concept, "metastasizesTo", site.concept, site)
            for metastasis in clause.mentions:
                if metastasis.concept.is_a("MetastaticDisease"):
                    yield r.emit(metastasis.concept, "hasPrimaryCancer", cancer.concept, metastasis)


def _asked_spread(r: Reading) -> list[Mention]:
    """The cancers an FAQ question asks the spread of ("Where does lung cancer spread?")."""
    question = r.unit.question
    if not _cues_outside(question, r.question_mentions, 0, len(question)):
        return []
    return [m for m in r.question_mentions if m.concept.is_a("PrimaryCancer")]


def causes(r: Reading, marks: Marks) -> Iterator[Assertion]:
    """Causal chains: "A can cause B, leading to C and D" → A→B, B→C (→D, see _effects)."""
    for clause in r.clauses:
        found = [
            c
            for c in cues.CAUSE_CUE.finditer(r.text, clause.start, clause.end)
            if not _cause_noun(r, c)
        ]
        if not found:
            continue
        # "… causes of bone pain in people with cancer": who, not an effect
        population = cues.POPULATION.search(r.text, found[-1].end(), clause.end)
        end = population.start() if population else clause.end
        bounds = [clause.start, *(x for c in found for x in (c.start(), c.end())), end]
        # a treatment or test that causes something gives a side effect (see _effects)
        agents = (*CAUSAL, *TREATMENT, "DiagnosticProcedure")
        segments = [
            [m for m in clause.mentions if s <= m.start < e and m.concept.is_a(*agents)]
            for s, e in zip(bounds[::2], bounds[1::2], strict=True)
        ]
        segments[1:] = [[m for m in g if m.concept.is_a(*CAUSAL)] for g in segments[1:]]
        if cues.NOUN_CAUSE.match(r.text, found[0].start()):  # "causes such as"
            segments[0] = [m for m in segments[0] if m.concept.is_a(*CAUSAL)]
        for segment in segments:
            yield from _agents(r, segment)
        # an effect is not what a test or treatment is for
        if r.unit.role in cues.USE_ROLES:
            for segment in segments[1:]:
                marks.causal.update(segment)
        for index, effect_segment in enumerate(segments[1:]):
            # "A can cause B, weaken C and lead to D": a coordinated verb shares A.
            shared = index > 0 and cues.COORDINATED.search(r.text, 0, found[index].start())
            cause_segment = segments[0] if shared else segments[index]
            if index == 0 and cues.COORDINATED.search(r.text, clause.start, found[0].start()):
                # "Loss of appetite is common in depression and can lead to weight loss"
                cause_segment = cause_segment[:1]
            cause_segment = r.subject_candidates(clause, cause_segment)
            if not cause_segment and index == 0:
                # "…; it more often leads to weight gain": the previous clause's subject
                cause_segment = [
                    Mention(c, clause.start, clause.start, "") for c in r.antecedent(clause)
                ]
            if not cause_segment and (
                r.elided_subject(clause, found[0].start())
                or _describes_term(r, clause, found[0].start())
            ):
                # "Brain metastasis: May cause headaches", "Anemia: A low red blood cell
                # count … can cause tiredness": the bullet's term causes them
                cause_segment = r.causal_terms()
            if not cause_segment and _procedure_talk(r, clause, found[0].start()):
                # "Some drugs can cause infertility", "The scan itself causes no pain"
                cause_segment = [Mention(r.subject, clause.start, clause.start, "")]
            if cause_segment and effect_segment:
                for cause in _head_list(r, clause, cause_segment):
                    yield from _effects(r, marks, cause, effect_segment)
    yield from _passive_causes(r, marks)


def _cause_noun(r: Reading, cue: re.Match[str]) -> bool:
    """ "a well-known cause, and …", "a mechanical cause such as muscle strain": the noun
    with no object of its own relates nothing left to right ("the cause of" still does)."""
    if cues.NOUN_CAUSE.match(r.text, cue.start()):
        return True
    noun = cues.DETERMINED.search(r.text, 0, cue.start()) is not None
    return noun and not cues.OF_AFTER.match(r.text, cue.end())


def _head_list(r: Reading, clause: Clause, segment: list[Mention]) -> list[Mention]:
    """The causes in a segment: the list nearest the verb ("hypothyroidism and chronic
    kidney disease can cause …" has two; in "once breast cancer has reached the bones,
    bone metastasis may cause …" it is bone metastasis)."""
    groups = r.lists(clause)
    group = next((g for g in groups if segment[-1] in g), [segment[-1]])
    heads = [m for m in group if m in segment]
    # "Many cancers, including lung and stomach cancer, can cause …": the head named too
    intro = cues.LIST_INTRO_BEFORE.search(r.text, clause.start, group[0].start)
    if intro is not None:
        heads += [m for m in segment if m.end <= intro.start() and m not in heads][-1:]
    return heads


def _procedure_talk(r: Reading, clause: Clause, position: int) -> bool:
    """In a procedure's article, outside what it is used for, a verb whose subject the
    lexicon does not know ("some drugs", "the scan itself") speaks of the procedure."""
    return (
        r.view == "procedure"
        and r.unit.role not in cues.USE_ROLES
        and not r.named_before(clause, position)
    )


def _describes_term(r: Reading, clause: Clause, position: int) -> bool:
    """Whether the verb at ``position`` follows a definition of the bullet's term in words
    the lexicon does not know ("Anemia: A low red blood cell count … can cause …"; but
    "Anemia: Crowding of the bone marrow leads to …" names its cause, not the term)."""
    return (
        r.unit.description is not None
        and clause.start == r.body_start
        and cues.INDEFINITE.match(r.text, clause.start) is not None
        and not r.named_before(clause, position)
    )


def _passive_causes(r: Reading, marks: Marks) -> Iterator[Assertion]:
    """ "Most bone pain is caused by injuries", "fatigue due to anemia": the list right
    after the cue causes the nearest mention before it."""
    for clause in r.clauses:
        for cue in cues.PASSIVE_CAUSE_CUE.finditer(r.text, clause.start, clause.end):
            causal = [m for m in clause.mentions if m.concept.is_a(*CAUSAL)]
            before = [m for m in causal if m.end <= cue.start()]
            groups = [g for g in r.lists(clause) if g[0].start >= cue.end()]
            if not groups or not groups[0][0].concept.is_a(*CAUSAL):
                continue
            # the agent follows the cue ("caused by bacteria, produces pain": not pain)
            near = cues.RIGHT_AFTER if cue.group().lower() == "from" else cues.NEAR
            if not near.fullmatch(r.text, cue.end(), groups[0][0].start):
                continue
            before = [m for m in before if not r.is_population([m])]
            if before:  # the list nearest before ("a weak stream or frequent urination")
                group = next((g for g in r.lists(clause) if before[-1] in g), [])
                effects = [m for m in group if m in before] or [before[-1]]
            elif not r.named_before(clause, cue.start()):
                # "Tiredness: Mostly caused by anemia", "Pressure on the cord, from …"
                effects = r.causal_terms()
            else:
                effects = []
            for cause in groups[0]:
                if cause.concept.is_a(*CAUSAL):
                    for effect in effects:
                        marks.causal.add(cause)
                        if effect.concept.is_a("MetastaticDisease"):
                            # "bone metastases from kidney cancer": where it started
                            yield r.emit(effect.concept, "hasPrimaryCancer", cause.concept, cause)
                        else:
                            yield r.emit(cause.concept, "causes", effect.concept, cause)


def _agents(r: Reading, segment: list[Mention]) -> Iterator[Assertion]:
    """ "compression of nerves by tumor growth" → tumor growth causes nerve compression."""
    for effect, agent in pairwise(segment):
        if cues.AGENT_CUE.search(r.text, effect.end, agent.start):
            yield r.emit(agent.concept, "causes", effect.concept, agent)


def _effects(
    r: Reading, marks: Marks, cause: Mention, effects: list[Mention]
) -> Iterator[Assertion]:
    """A cause's effects; in "anemia and fatigue" the condition produces the symptom."""
    marks.causal.update((cause, *effects))
    marks.causes.add(cause)
    if r.is_subject(cause) or cause in marks.chained:
        marks.chained.update(effects)
    else:
        marks.foreign.update(effects)
    if cause.concept.is_a(*TREATMENT, "DiagnosticProcedure"):
        for effect in effects:  # "chemotherapy can cause nausea"
            yield r.emit(cause.concept, "hasSideEffect", effect.concept, effect)
        return
    conditions = [m for m in effects if not m.concept.is_a("Symptom")]
    symptoms = [m for m in effects if m.concept.is_a("Symptom")]
    # "anemia and fatigue": the condition comes first and produces the symptom; in
    # "bone pain, fractures and hypercalcemia" the cause produces them all
    chained = bool(conditions and symptoms) and conditions[-1].start < symptoms[0].start
    first_wave = conditions if chained else effects
    for effect in first_wave:
        yield r.emit(cause.concept, "causes", effect.concept, effect)
    if chained:
        for condition in conditions:
            for symptom in symptoms:
                yield r.emit(condition.concept, "causes", symptom.concept, symptom)


def affects(r: Reading, marks: Marks) -> Iterator[Assertion]:
    """ "It starts in the bone marrow", "This blood cancer damages the bones": the body part
    the condition before the verb (else the bullet's or the article's) harms; and "bones
    weakened by osteoporosis", where the condition comes after."""
    for clause in r.clauses:
        groups = r.lists(clause)
        for cue in cues.AFFECT_CUE.finditer(r.text, clause.start, clause.end):
            sites = r.sites_after(groups, cue.end())
            # the nearest concept before the verb, if it is a condition ("This cancer of
            # plasma cells in the bone marrow weakens the bones": body parts qualify it)
            before = [
                m
                for m in clause.mentions
                if m.end <= cue.start() and not m.concept.is_a("AnatomicalStructure")
            ]
            if before:
                group = next((g for g in groups if before[-1] in g), [before[-1]])
                agents = [m.concept for m in group if m.concept.is_a("Condition")]
            elif cues.PLURAL_PRONOUN.match(r.text, clause.start):
                agents = []  # "These most often affect the hip": not the article's concept
            else:
                agents = r.antecedent(clause) or _topic_conditions(r)
            for agent in agents:
                for site in sites:
                    yield r.emit(agent, "affects", site.concept, site)
        for cue in cues.DEFINED_AS_SITE.finditer(r.text, clause.start, clause.end):
            # "Osteomyelitis: An infection of the bone", "NSF, a serious condition of the
            # skin and joints": the condition defined is the one that affects the parts
            defined = [g for g in groups if g[-1].end <= cue.start()]
            if cue.group().lstrip(" :").startswith(","):
                named = [m.concept for m in defined[-1]] if defined else []
            elif cue.start() == r.body_start:
                named = _topic_conditions(r)
            else:
                named = []
            for agent in (c for c in named if c.is_a("Condition")):
                for site in r.sites_after(groups, cue.end()):
                    yield r.emit(agent, "affects", site.concept, site)
        for cue in cues.AFFECTED_BY_CUE.finditer(r.text, clause.start, clause.end):
            parts = [g for g in groups if g[-1].end <= cue.start()]
            causes = [g for g in groups if g[0].start >= cue.end()]
            if (
                not parts
                or not causes
                or not cues.NEAR.fullmatch(r.text, cue.end(), causes[0][0].start)
            ):
                continue
            for part in parts[-1]:
                for cause in causes[0]:
                    if part.concept.is_a("AnatomicalStructure"):
                        yield r.emit(cause.concept, "affects", part.concept, part)


def _topic_conditions(r: Reading) -> list[Concept]:
    """The condition a clause without one speaks of: the bullet's, else the article's."""
    if r.term_mentions:
        return [m.concept for m in r.term_mentions if m.concept.is_a("Condition")]
    return [r.subject] if r.subject.is_a("Condition") else []


def signs(r: Reading, marks: Marks) -> Iterator[Assertion]:
    """ "Jaw pain or loose teeth, which can be early signs of ONJ", "Sudden back pain can
    signal a vertebral fracture" (the symptom comes first); "Warning signs include weakness",
    "felt as numbness" (the condition comes first, or is the bullet's term)."""
    for clause in r.clauses:
        groups = [g for g in r.lists(clause, with_subject=True) if not is_site(g)]
        for cue in cues.SIGN_OF.finditer(r.text, clause.start, clause.end):
            before = [g for g in groups if g[-1].end <= cue.start()]
            after = [g for g in groups if g[0].start >= cue.end()]
            symptoms = before[-1] if before else r.causal_terms()
            if after:
                yield from _sign_pairs(r, after[0], symptoms)
        for cue in cues.SIGNS_INCLUDE.finditer(r.text, clause.start, clause.end):
            before = [g for g in groups if g[-1].end <= cue.start()]
            after = [g for g in groups if g[0].start >= cue.end()]
            # the nearest condition before: "An infection …, produces pain and tenderness
            # and often comes with fever" is the infection's fever, not the pain's
            named = [g for g in before if any(m.concept.is_a("Condition") for m in g)]
            conditions = named[-1] if named else r.causal_terms()
            if after:
                yield from _sign_pairs(r, conditions, after[0])


def _sign_pairs(
    r: Reading, conditions: list[Mention], symptoms: list[Mention]
) -> Iterator[Assertion]:
    for condition in conditions:
        for symptom in symptoms:
            if condition.concept.is_a("Condition") and symptom.concept.is_a("Symptom"):
                yield r.emit(condition.concept, "hasSymptom", symptom.concept, symptom)


def suspected(r: Reading, marks: Marks) -> Iterator[Assertion]:
    """ "An MRI is used when a fracture or a tumor is suspected": the test (the clause's
    first, else the bullet's or the article's) looks for what is suspected."""
    tests = ("DiagnosticProcedure",)
    for clause in r.clauses:
        cue = cues.SUSPECTED.search(r.text, clause.start, clause.end)
        groups = [g for g in r.lists(clause) if cue and g[-1].end <= cue.start()]
        if cue is None or not groups:
            continue
        suspects = [m for m in groups[-1] if m.concept.is_a("Condition")]
        procedures = [m for m in clause.mentions if m.concept.is_a(*tests)]
        if procedures:
            actors = [procedures[0].concept]
        else:
            actors = [m.concept for m in r.term_mentions if m.concept.is_a(*tests)]
            if not r.term_mentions and r.subject.is_a(*tests):
                actors = [r.subject]
        for actor in actors:
            for suspect in suspects:
                yield r.emit(suspect.concept, "diagnosedBy", actor, suspect)


def risk_reduction(r: Reading, marks: Marks) -> Iterator[Assertion]:
    """ "Good oral hygiene and regular dental check-ups lower the risk of ONJ", "an
    iron-rich diet helps prevent iron deficiency": the measures before the verb lower the
    risk of the condition after it (the article's, when the sentence names none)."""
    for clause in r.clauses:
        cue = cues.LOWERS_RISK.search(r.text, clause.start, clause.end)
        if cue is None:
            continue
        measures = [
            m
            for m in clause.mentions
            if m.end <= cue.start() and m.concept.is_a("PreventiveMeasure")
        ]
        after = [
            g
            for g in r.lists(clause, with_subject=True)
            if g[0].start >= cue.end() and g[0].concept.is_a("Condition")
        ]
        if after:
            targets = [m.concept for m in after[0] if m.concept.is_a("Condition")]
        elif object_pronoun_at(r.text, cue.end()):  # "… help prevent them"
            targets = [m.concept for m in r.pronoun_topic(cue.end())]
        else:
            targets = [r.subject] if r.view == "condition" else []
        for measure in measures:
            if targets:  # its role is said: it lowers a risk
                marks.consumed.add(measure)
            for target in targets:
                # "While not entirely preventable, …" qualifies the measure
                qualifiers = r.qualifiers()
                yield r.emit(target, "riskReducedBy", measure.concept, measure, qualifiers)


def _cues_outside(
    text: str, mentions: tuple[Mention, ...], start: int, end: int
) -> list[re.Match[str]]:
    """Spread cues that are not a word of a name ("bone metastasis" says nothing spreads)."""
    return [
        cue
        for cue in cues.SPREAD_CUE.finditer(text, start, end)
        if not any(m.start <= cue.start() < m.end for m in mentions)
    ]
