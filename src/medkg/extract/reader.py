"""The rules that relate the concepts a unit mentions: one :class:`Reader` per sentence or
bullet, its mentions found once, then each rule applied to them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from itertools import pairwise

from medkg.extract import cues
from medkg.extract.discourse import first_of_kind, object_pronoun_at, opens_with_pronoun
from medkg.extract.names import specific
from medkg.extract.records import Assertion, Unit, evidence_of
from medkg.extract.roles import ROLE_RULES
from medkg.relations import CAUSAL, CONDITION_OR_SYMPTOM, TREATMENT, allowed
from medkg.terminology import Concept, Lexicon, Mention, normalise


def _fits(assertion: Assertion) -> bool:
    return allowed(assertion.subject, assertion.relation, assertion.object)


@dataclass(frozen=True)
class Clause:
    start: int  # offsets within the unit text
    end: int
    mentions: tuple[Mention, ...]


class Reader:
    """Reads one unit: finds its mentions once, then applies each rule."""

    def __init__(
        self,
        unit: Unit,
        subject: Concept,
        lexicon: Lexicon,
        view: str,
    ) -> None:
        self.unit = unit
        self.view = view
        self.rules = ROLE_RULES[view].get(unit.role, ()) + ROLE_RULES[view].get("*", ())
        self.subject = subject
        self.text = unit.span.text
        description = unit.description
        self.body_start = description.start - unit.span.start if description else 0
        self.term_mentions = self._term_mentions(lexicon)
        found = self._resolve_generic(tuple(lexicon.find(self.text)))
        self.mentions = tuple(specific(list(found), self.text, subject))
        self.question_mentions = tuple(lexicon.find(unit.question))
        self.clauses = self._clauses()
        self.consumed: set[Mention] = set()  # taken by a rule that names their subject
        self.causal: set[Mention] = set()  # effects and causes in a causal statement
        self.related: set[Mention] = set()  # related to each other by a verb
        self.causes: set[Mention] = set()  # the causes among them
        self.chained: set[Mention] = set()  # effects of the article's concept, or of those
        self.foreign: set[Mention] = set()  # effects of another concept

    def assertions(self) -> Iterator[Assertion]:
        yield from self._risk()
        yield from self._metastasis()
        yield from self._causes()
        yield from self._affects()
        yield from self._suspected()
        yield from self._signs()
        yield from self._risk_reduction()
        yield from self._body_sites()
        yield from self._verbs()
        yield from self._purposes()
        yield from self._term_condition()
        yield from self._treated_causes()
        yield from self._owned_side_effects()
        yield from self._by_role()

    # --- the unit's structure -------------------------------------------------------

    def _term_mentions(self, lexicon: Lexicon) -> tuple[Mention, ...]:
        """The bullet's topic: its term's concepts, made specific by the description.

        "Pain: Bone pain is often …" is about bone pain, not pain in general.
        """
        term = self.unit.term
        if term is None:
            return ()
        offset = term.start - self.unit.span.start
        body = lexicon.find(self.text[self.body_start :])
        resolved = []
        for mention in lexicon.find(term.text):
            words = normalise(mention.text)
            specific = next(
                (
                    m
                    for m in body
                    if len(normalise(m.text)) > len(words) and _contains(normalise(m.text), words)
                ),
                None,
            )
            chosen = specific or mention
            start = self.body_start if specific else offset
            resolved.append(
                Mention(chosen.concept, chosen.start + start, chosen.end + start, chosen.text)
            )
        return tuple(resolved)

    def _resolve_generic(self, mentions: tuple[Mention, ...]) -> tuple[Mention, ...]:
        """A generic name that stands for the topic is read as the topic.

        "pain" in an article on back pain, "the cancer" in one on kidney cancer; a bullet's
        description that opens by defining its term ("Multiple myeloma: This cancer of plasma
        cells …", "Mammography: An X-ray of the breast"); a copula definition ("Multiple
        myeloma is a cancer of plasma cells", "Orthopedic surgery is surgery on the bones")."""
        # the bullet's term as written, not as the description makes it specific
        terms = [m.concept for m in self.term_mentions if m.start < self.body_start]
        resolved = list(mentions)
        for index, mention in enumerate(mentions):
            kind = _kind(mention.concept)
            if kind is None:
                continue
            key = normalise(mention.concept.label)
            topic = self.subject if _is_generic_of(key, self.subject) else None
            if topic is None and kind == "Symptom":  # "Burning pain: Sharp, burning … pain"
                topic = next((t for t in terms if _is_generic_of(key, t)), None)
            if topic is None and index > 0:
                previous = resolved[index - 1]
                between = self.text[previous.end : mention.start]
                defines = _kind(previous.concept) == kind and cues.COPULA.fullmatch(between)
                topic = previous.concept if defines else None
            listed = index + 1 < len(mentions) and cues.LIST_GLUE.fullmatch(
                self.text, mention.end, mentions[index + 1].start
            )
            if topic is None and self.unit.description and not listed:
                opening = self.text[self.body_start : mention.start]
                # a shorter, more general name of the same kind: "Surgery" for a
                # prostatectomy, never the other way round
                term = next(
                    (
                        t
                        for t in terms
                        if _kind(t) == kind and len(mention.concept.label) <= len(t.label)
                    ),
                    None,
                )
                short = len(mention.text.split()) <= cues.GENERIC_WORDS
                topic = term if short and cues.DEFINITE.fullmatch(opening) else None
            if topic is not None and mention not in self.term_mentions:
                resolved[index] = replace(mention, concept=topic)
        return tuple(resolved)

    def _clauses(self) -> tuple[Clause, ...]:
        """The term of a bullet is a clause of its own; the rest splits at clause breaks."""
        bounds = [0, self.body_start, self.body_start] if self.body_start else [0]
        for match in cues.CLAUSE_BREAK.finditer(self.text, self.body_start):
            bounds += [match.start(), match.end()]
        bounds.append(len(self.text))
        pairs = list(zip(bounds[::2], bounds[1::2], strict=True))
        return tuple(
            Clause(s, e, tuple(m for m in self.mentions if s <= m.start < e)) for s, e in pairs
        )

    def _clause_of(self, mention: Mention) -> Clause:
        return next(c for c in self.clauses if c.start <= mention.start < c.end)

    def _is_subject(self, mention: Mention) -> bool:
        return mention.concept == self.subject

    # --- hedges, negation, qualifiers -------------------------------------------------

    def _hedges_for(self, mention: Mention) -> tuple[str, ...]:
        """Hedges that scope over a mention's list ("can cause numbness, tingling, or
        weakness"): those before the clause's first list, those between the previous list
        and this one, and those after the clause's last list."""
        clause = self._clause_of(mention)
        groups = self._lists(clause)
        index = next((i for i, g in enumerate(groups) if mention in g), None)
        if index is None:  # the article's own concept, or a bullet term
            return ()
        windows = [(clause.start, groups[0][0].start), (groups[-1][-1].end, clause.end)]
        if index > 0:
            windows.append((groups[index - 1][-1].end, groups[index][0].start))
        return tuple(h.group() for s, e in windows for h in cues.HEDGES.finditer(self.text, s, e))

    def _lists(self, clause: Clause, with_subject: bool = False) -> list[list[Mention]]:
        """The clause's mentions grouped into lists: neighbours joined only by ", and or"."""
        groups: list[list[Mention]] = []
        for mention in clause.mentions:
            if self._is_subject(mention) and not with_subject:
                continue
            if groups and cues.LIST_GLUE.fullmatch(self.text, groups[-1][-1].end, mention.start):
                groups[-1].append(mention)
            else:
                groups.append([mention])
        return groups

    def _negated(self, mention: Mention) -> bool:
        """A negation cue shortly before the mention's list, in the same clause (NegEx-style:
        "does not usually cause numbness, tingling or weakness" negates all three)."""
        clause = self._clause_of(mention)
        group = next((g for g in self._lists(clause) if mention in g), [mention])
        before = self.text[clause.start : group[0].start]
        concession = cues.CONCESSION.match(before)
        if concession:
            before = " " * concession.end() + before[concession.end() :]
        # "Breast pain is not a common early symptom": the clause's subject, denied after it
        first = self._lists(clause)[:1] == [group] and not cues.CONDITIONAL.search(before)
        if first and cues.DENIED_AFTER.match(self.text, group[-1].end, clause.end):
            return True
        found = list(cues.NEGATION.finditer(before))
        if not found:
            return False
        between = before[found[-1].end() :]
        return len(between.split()) <= cues.NEGATION_WINDOW and not re.search(r"[,;:]", between)

    def _qualifiers(self) -> tuple[str, ...]:
        """Phrases that qualify a bullet's term (the clauses of its description), or a
        sentence's leading concession ("While not entirely preventable")."""
        description = self.unit.description
        if description is None:
            concession = cues.CONCESSION.match(self.text)
            return (concession.group().strip(" ,"),) if concession else ()
        clauses = (c.strip(" .") for c in cues.QUALIFIER_BREAK.split(description.text))
        return tuple(q for q in (_strip_topic(c, self.term_mentions) for c in clauses) if q)

    def _emit(
        self,
        subject: Concept,
        relation: str,
        obj: Concept,
        mention: Mention,
        qualifiers: tuple[str, ...] = (),
        hedges: tuple[str, ...] | None = None,
    ) -> Assertion:
        return Assertion(
            subject,
            relation,
            obj,
            evidence_of(
                self.unit, self._hedges_for(mention) if hedges is None else hedges, qualifiers
            ),
            negated=self._negated(mention),
        )

    def _description_hedges(self) -> tuple[str, ...]:
        description = self.unit.description
        text = description.text if description else ""
        return tuple(h.group() for h in cues.HEDGES.finditer(text))

    # --- rules ----------------------------------------------------------------------

    def _risk(self) -> Iterator[Assertion]:
        """ "Men are more likely to develop prostate cancer" → prostate cancer hasRiskFactor men."""
        for clause in self.clauses:
            cue = cues.RISK_CUE.search(self.text, clause.start, clause.end)
            if cue is None:
                continue
            # "more common in men than in women": the comparison is not a risk factor
            factors = [
                m
                for m in clause.mentions
                if m.concept.is_a("RiskFactor")
                and not cues.COMPARED.search(self.text, clause.start, m.start)
            ]
            targets = [
                m
                for m in clause.mentions
                if m.start >= cue.end() and m.concept.is_a("Condition") and m not in factors
            ]
            target = targets[0].concept if targets else self.subject
            for factor in factors:
                self.consumed.add(factor)
                yield self._emit(target, "hasRiskFactor", factor.concept, factor)

    def _metastasis(self) -> Iterator[Assertion]:
        """A cancer in a clause that says it spreads to anatomical sites ("it can spread to
        the bones and liver"; the article's cancer when the clause names none); a metastatic
        disease named there has that cancer as a primary."""
        for clause in self.clauses:
            cue = next(
                iter(_cues_outside(self.text, clause.mentions, clause.start, clause.end)), None
            )
            if cue is not None and cues.WITHOUT_BEFORE.search(self.text, clause.start, cue.start()):
                continue  # "causes hypercalcemia even without spreading to bone": no spread
            asked = self._asked_spread()
            if cue is None and not asked:
                continue
            start, end = (cue.start(), cue.end()) if cue else (clause.start, clause.start)
            sites = [
                m
                for m in clause.mentions
                if m.start >= end and m.concept.is_a("AnatomicalStructure")
            ]
            # the cancers nearest before the cue spread ("… is rarer than cancer that has spread")
            before = [m for m in clause.mentions if m.concept.is_a("Cancer") and m.end <= start]
            nearest = next((g for g in self._lists(clause) if before and before[-1] in g), [])
            # … or, when that is cancer in general, those the clause lists ("include breast, …")
            cancers = [m for m in nearest if m.concept.is_a("PrimaryCancer")] or [
                m for m in clause.mentions if m.concept.is_a("PrimaryCancer") and m.start >= end
            ]
            if cue is None:  # "Where does kidney cancer spread?" "The lungs and bones …"
                cancers = [Mention(m.concept, clause.start, clause.start, "") for m in asked]
            if not cancers and self.subject.is_a("PrimaryCancer") and sites:
                cancers = [Mention(self.subject, sites[0].start, sites[0].start, "")]
            if cancers:
                self.consumed.update(sites)  # sites of a metastasis, not what the cancer affects
                spread = bool(sites) and not self._negated(sites[0])
                if spread and not self.subject.is_a("MetastaticDisease"):
                    # cancers that spread are primaries of a metastasis, not causes of the topic
                    self.consumed.update(cancers)
            for cancer in cancers:
                for site in sites:
                    yield self._emit(cancer.concept, "metastasizesTo", site.concept, site)
                for metastasis in clause.mentions:
                    if metastasis.concept.is_a("MetastaticDisease"):
                        yield self._emit(
                            metastasis.concept, "hasPrimaryCancer", cancer.concept, metastasis
                        )

    def _asked_spread(self) -> list[Mention]:
        """The cancers an FAQ question asks the spread of ("Where does lung cancer spread?")."""
        question = self.unit.question
        if not _cues_outside(question, self.question_mentions, 0, len(question)):
            return []
        return [m for m in self.question_mentions if m.concept.is_a("PrimaryCancer")]

    def _causes(self) -> Iterator[Assertion]:
        """Causal chains: "A can cause B, leading to C and D" → A→B, B→C (→D, see _effects)."""
        for clause in self.clauses:
            found = [
                c
                for c in cues.CAUSE_CUE.finditer(self.text, clause.start, clause.end)
                if not self._cause_noun(c)
            ]
            if not found:
                continue
            # "… causes of bone pain in people with cancer": who, not an effect
            population = cues.POPULATION.search(self.text, found[-1].end(), clause.end)
            end = population.start() if population else clause.end
            bounds = [clause.start, *(x for c in found for x in (c.start(), c.end())), end]
            # a treatment or test that causes something gives a side effect (see _effects)
            agents = (*CAUSAL, *TREATMENT, "DiagnosticProcedure")
            segments = [
                [m for m in clause.mentions if s <= m.start < e and m.concept.is_a(*agents)]
                for s, e in zip(bounds[::2], bounds[1::2], strict=True)
            ]
            segments[1:] = [[m for m in g if m.concept.is_a(*CAUSAL)] for g in segments[1:]]
            if cues.NOUN_CAUSE.match(self.text, found[0].start()):  # "causes such as"
                segments[0] = [m for m in segments[0] if m.concept.is_a(*CAUSAL)]
            for segment in segments:
                yield from self._agents(segment)
            # an effect is not what a test or treatment is for
            if self.unit.role in cues.USE_ROLES:
                for segment in segments[1:]:
                    self.causal.update(segment)
            for index, effect_segment in enumerate(segments[1:]):
                # "A can cause B, weaken C and lead to D": a coordinated verb shares A.
                shared = index > 0 and cues.COORDINATED.search(self.text, 0, found[index].start())
                cause_segment = segments[0] if shared else segments[index]
                if index == 0 and cues.COORDINATED.search(
                    self.text, clause.start, found[0].start()
                ):
                    # "Loss of appetite is common in depression and can lead to weight loss"
                    cause_segment = cause_segment[:1]
                cause_segment = self._subject_candidates(clause, cause_segment)
                if not cause_segment and index == 0:
                    # "…; it more often leads to weight gain": the previous clause's subject
                    cause_segment = [
                        Mention(c, clause.start, clause.start, "") for c in self._antecedent(clause)
                    ]
                if not cause_segment and (
                    self._elided_subject(clause, found[0].start())
                    or self._describes_term(clause, found[0].start())
                ):
                    # "Brain metastasis: May cause headaches", "Anemia: A low red blood cell
                    # count … can cause tiredness": the bullet's term causes them
                    cause_segment = self._causal_terms()
                if not cause_segment and self._procedure_talk(clause, found[0].start()):
                    # "Some drugs can cause infertility", "The scan itself causes no pain"
                    cause_segment = [Mention(self.subject, clause.start, clause.start, "")]
                if cause_segment and effect_segment:
                    for cause in self._head_list(clause, cause_segment):
                        yield from self._effects(cause, effect_segment)
        yield from self._passive_causes()

    def _affects(self) -> Iterator[Assertion]:
        """ "It starts in the bone marrow", "This blood cancer damages the bones": the body part
        the condition before the verb (else the bullet's or the article's) harms; and "bones
        weakened by osteoporosis", where the condition comes after."""
        for clause in self.clauses:
            groups = self._lists(clause)
            for cue in cues.AFFECT_CUE.finditer(self.text, clause.start, clause.end):
                sites = self._sites_after(groups, cue.end())
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
                elif cues.PLURAL_PRONOUN.match(self.text, clause.start):
                    agents = []  # "These most often affect the hip": not the article's concept
                else:
                    agents = self._antecedent(clause) or self._topic_conditions()
                for agent in agents:
                    for site in sites:
                        yield self._emit(agent, "affects", site.concept, site)
            for cue in cues.DEFINED_AS_SITE.finditer(self.text, clause.start, clause.end):
                # "Osteomyelitis: An infection of the bone", "NSF, a serious condition of the
                # skin and joints": the condition defined is the one that affects the parts
                defined = [g for g in groups if g[-1].end <= cue.start()]
                if cue.group().lstrip(" :").startswith(","):
                    named = [m.concept for m in defined[-1]] if defined else []
                elif cue.start() == self.body_start:
                    named = self._topic_conditions()
                else:
                    named = []
                for agent in (c for c in named if c.is_a("Condition")):
                    for site in self._sites_after(groups, cue.end()):
                        yield self._emit(agent, "affects", site.concept, site)
            for cue in cues.AFFECTED_BY_CUE.finditer(self.text, clause.start, clause.end):
                parts = [g for g in groups if g[-1].end <= cue.start()]
                causes = [g for g in groups if g[0].start >= cue.end()]
                if (
                    not parts
                    or not causes
                    or not cues.NEAR.fullmatch(self.text, cue.end(), causes[0][0].start)
                ):
                    continue
                for part in parts[-1]:
                    for cause in causes[0]:
                        if part.concept.is_a("AnatomicalStructure"):
                            yield self._emit(cause.concept, "affects", part.concept, part)

    def _body_sites(self) -> Iterator[Assertion]:
        """ "A thyroidectomy removes the thyroid gland", "Muscle biopsy: A small sample of
        muscle", "X-rays of the abdomen": the body part a procedure examines or treats."""
        acting = ("DiagnosticProcedure", "Therapy")
        for clause in self.clauses:
            groups = self._lists(clause)
            procedures = [m for m in clause.mentions if m.concept.is_a(*acting)]
            for procedure in procedures:  # "an MRI of the whole spine", the article's own too
                after = self.text[procedure.end :]
                if cues.SITE_OF.match(after):
                    for site in self._sites_after(groups, procedure.end):
                        yield self._emit(procedure.concept, "bodySite", site.concept, site)
            for cue in cues.SITE_CUE.finditer(self.text, clause.start, clause.end):
                before = [m for m in procedures if m.end <= cue.start()]
                if before:
                    actors = [before[-1].concept]
                else:  # the bullet's procedure, else the article's
                    actors = [m.concept for m in self.term_mentions if m.concept.is_a(*acting)]
                    if not self.term_mentions and self.subject.is_a(*acting):
                        actors = [self.subject]
                for actor in actors:
                    for site in self._sites_after(groups, cue.end()):
                        yield self._emit(actor, "bodySite", site.concept, site)

    def _risk_reduction(self) -> Iterator[Assertion]:
        """ "Good oral hygiene and regular dental check-ups lower the risk of ONJ", "an
        iron-rich diet helps prevent iron deficiency": the measures before the verb lower the
        risk of the condition after it (the article's, when the sentence names none)."""
        for clause in self.clauses:
            cue = cues.LOWERS_RISK.search(self.text, clause.start, clause.end)
            if cue is None:
                continue
            measures = [
                m
                for m in clause.mentions
                if m.end <= cue.start() and m.concept.is_a("PreventiveMeasure")
            ]
            after = [
                g
                for g in self._lists(clause, with_subject=True)
                if g[0].start >= cue.end() and g[0].concept.is_a("Condition")
            ]
            if after:
                targets = [m.concept for m in after[0] if m.concept.is_a("Condition")]
            elif object_pronoun_at(self.text, cue.end()):  # "… help prevent them"
                targets = [m.concept for m in self._pronoun_topic(cue.end())]
            else:
                targets = [self.subject] if self.view == "condition" else []
            for measure in measures:
                if targets:  # its role is said: it lowers a risk
                    self.consumed.add(measure)
                for target in targets:
                    # "While not entirely preventable, …" qualifies the measure
                    qualifiers = self._qualifiers()
                    yield self._emit(target, "riskReducedBy", measure.concept, measure, qualifiers)

    def _signs(self) -> Iterator[Assertion]:
        """ "Jaw pain or loose teeth, which can be early signs of ONJ", "Sudden back pain can
        signal a vertebral fracture" (the symptom comes first); "Warning signs include weakness",
        "felt as numbness" (the condition comes first, or is the bullet's term)."""
        for clause in self.clauses:
            groups = [g for g in self._lists(clause, with_subject=True) if not _is_site(g)]
            for cue in cues.SIGN_OF.finditer(self.text, clause.start, clause.end):
                before = [g for g in groups if g[-1].end <= cue.start()]
                after = [g for g in groups if g[0].start >= cue.end()]
                symptoms = before[-1] if before else self._causal_terms()
                if after:
                    yield from self._sign_pairs(after[0], symptoms)
            for cue in cues.SIGNS_INCLUDE.finditer(self.text, clause.start, clause.end):
                before = [g for g in groups if g[-1].end <= cue.start()]
                after = [g for g in groups if g[0].start >= cue.end()]
                # the nearest condition before: "An infection …, produces pain and tenderness
                # and often comes with fever" is the infection's fever, not the pain's
                named = [g for g in before if any(m.concept.is_a("Condition") for m in g)]
                conditions = named[-1] if named else self._causal_terms()
                if after:
                    yield from self._sign_pairs(conditions, after[0])

    def _sign_pairs(
        self, conditions: list[Mention], symptoms: list[Mention]
    ) -> Iterator[Assertion]:
        for condition in conditions:
            for symptom in symptoms:
                if condition.concept.is_a("Condition") and symptom.concept.is_a("Symptom"):
                    yield self._emit(condition.concept, "hasSymptom", symptom.concept, symptom)

    def _suspected(self) -> Iterator[Assertion]:
        """ "An MRI is used when a fracture or a tumor is suspected": the test (the clause's
        first, else the bullet's or the article's) looks for what is suspected."""
        tests = ("DiagnosticProcedure",)
        for clause in self.clauses:
            cue = cues.SUSPECTED.search(self.text, clause.start, clause.end)
            groups = [g for g in self._lists(clause) if cue and g[-1].end <= cue.start()]
            if cue is None or not groups:
                continue
            suspects = [m for m in groups[-1] if m.concept.is_a("Condition")]
            procedures = [m for m in clause.mentions if m.concept.is_a(*tests)]
            if procedures:
                actors = [procedures[0].concept]
            else:
                actors = [m.concept for m in self.term_mentions if m.concept.is_a(*tests)]
                if not self.term_mentions and self.subject.is_a(*tests):
                    actors = [self.subject]
            for actor in actors:
                for suspect in suspects:
                    yield self._emit(suspect.concept, "diagnosedBy", actor, suspect)

    def _sites_after(self, groups: list[list[Mention]], start: int) -> list[Mention]:
        """The body parts a few words after ``start``, with those chained to them by "of" or
        "in" ("plasma cells in the bone marrow", "the nerves of the hands and feet")."""
        later = [g for g in groups if g[0].start >= start]
        if not later or not (
            cues.SITE_NEAR.fullmatch(self.text, start, later[0][0].start)
            or cues.SITE_ESPECIALLY.fullmatch(self.text, start, later[0][0].start)
        ):
            return []
        sites: list[Mention] = []
        for index, group in enumerate(later):
            chained = index == 0 or any(
                link.fullmatch(self.text, later[index - 1][-1].end, group[0].start)
                for link in (cues.SITE_CHAIN, cues.SITE_REFINED, cues.SITE_AND_THE)
            )
            if not chained or not group[0].concept.is_a("AnatomicalStructure"):
                break
            sites += [m for m in group if m.concept.is_a("AnatomicalStructure")]
        return sites

    def _pronoun_topic(self, position: int) -> list[Mention]:
        """What an object pronoun at ``position`` stands for: the conditions the bullet is named
        for, else the article's condition."""
        terms = [
            m.concept
            for m in self.term_mentions
            if m.start < self.body_start and m.concept.is_a("Condition")
        ]
        if not terms and not self.term_mentions and self.view == "condition":
            terms = [self.subject]
        return [Mention(concept, position, position, "") for concept in terms]

    def _antecedent(self, clause: Clause) -> list[Concept]:
        """For a clause opening with "it" ("…; it starts in the lining of the renal tubules"),
        the previous clause's first condition."""
        index = self.clauses.index(clause)
        if index == 0 or not opens_with_pronoun(self.text, clause.start):
            return []
        return first_of_kind(self.clauses[index - 1].mentions, "Condition")

    def _topic_conditions(self) -> list[Concept]:
        """The condition a clause without one speaks of: the bullet's, else the article's."""
        if self.term_mentions:
            return [m.concept for m in self.term_mentions if m.concept.is_a("Condition")]
        return [self.subject] if self.subject.is_a("Condition") else []

    def _verbs(self) -> Iterator[Assertion]:
        """ "Hypothyroidism is treated with levothyroxine", "MRI shows spinal cord compression",
        "fatigue is a side effect of chemotherapy": the lists on either side of the verb."""
        for clause in self.clauses:
            groups = self._lists(clause)
            # the article's own concept takes part too: "bisphosphonates lower the risk of …",
            # "MRI can show cancer deposits"
            sides = self._lists(clause, with_subject=True)
            for pattern, relation, left_is_subject in cues.VERB_RELATIONS:
                for cue in pattern.finditer(self.text, clause.start, clause.end):
                    # body parts in between belong to a name ("thyroid hormone tablets")
                    # and "people with cancer" name who, not what
                    kept = [g for g in sides if not _is_site(g) and not self._is_population(g)]
                    # an agent ("caused by cancer") is not the subject of the next verb
                    left = [
                        g
                        for g in kept
                        if g[-1].end <= cue.start() and self._subject_candidates(clause, g)
                    ]
                    right = [g for g in kept if g[0].start >= cue.end()]
                    if not right and object_pronoun_at(self.text, cue.end()):
                        right = [self._pronoun_topic(cue.end())]  # "… given to prevent it"
                    terms = [m for m in self.term_mentions if m.start < self.body_start]
                    if not left and terms and self._elided_subject(clause, cue.start()):
                        left = [terms]  # "Nausea: Usually well controlled with antiemetics"
                    if terms and cues.APPOSITIVE.search(self.text, clause.start, cue.start()):
                        left = [terms]  # "Lymphedema: Swelling …, a side effect of surgery"
                    if not left or not right:
                        continue
                    for before in left[-1]:
                        for after in right[0]:
                            subject, obj = (before, after) if left_is_subject else (after, before)
                            assertion = self._emit(subject.concept, relation, obj.concept, after)
                            if _fits(assertion):
                                self.related.update((before, after))
                                yield assertion
            heads: list[Mention] = []  # what a chain of body parts belongs to
            for before_group, after_group in pairwise(groups):
                between = self.text[before_group[-1].end : after_group[0].start]
                if not before_group[0].concept.is_a("AnatomicalStructure"):
                    heads = before_group
                for pattern, relation in cues.ADJACENT_RELATIONS:
                    if pattern.fullmatch(between):
                        # "cancer of plasma cells in the bone marrow": both belong to the cancer
                        chain = heads if relation == "affects" else before_group
                        for before in chain:
                            for after in after_group:
                                assertion = self._emit(
                                    before.concept, relation, after.concept, after
                                )
                                if _fits(assertion):
                                    yield assertion
                if not cues.SITE_CHAIN.fullmatch(between):
                    heads = []

    def _is_population(self, group: list[Mention]) -> bool:
        """ "In people with cancer, …": the list says who, not what."""
        return cues.WHO_HAVE.search(self.text, 0, group[0].start) is not None

    def _head_list(self, clause: Clause, segment: list[Mention]) -> list[Mention]:
        """The causes in a segment: the list nearest the verb ("hypothyroidism and chronic
        kidney disease can cause …" has two; in "once breast cancer has reached the bones,
        bone metastasis may cause …" it is bone metastasis)."""
        groups = self._lists(clause)
        group = next((g for g in groups if segment[-1] in g), [segment[-1]])
        heads = [m for m in group if m in segment]
        # "Many cancers, including lung and stomach cancer, can cause …": the head named too
        intro = cues.LIST_INTRO_BEFORE.search(self.text, clause.start, group[0].start)
        if intro is not None:
            heads += [m for m in segment if m.end <= intro.start() and m not in heads][-1:]
        return heads

    def _cause_noun(self, cue: re.Match[str]) -> bool:
        """ "a well-known cause, and …", "a mechanical cause such as muscle strain": the noun
        with no object of its own relates nothing left to right ("the cause of" still does)."""
        if cues.NOUN_CAUSE.match(self.text, cue.start()):
            return True
        noun = cues.DETERMINED.search(self.text, 0, cue.start()) is not None
        return noun and not cues.OF_AFTER.match(self.text, cue.end())

    def _subject_candidates(self, clause: Clause, segment: list[Mention]) -> list[Mention]:
        """Mentions before a verb that can be its subject: not an agent ("compression of
        nerves by tumor growth", "from bone metastasis"), not inside an aside (", found on the
        CBC,") and not the people it happens to ("In people with osteoporosis, …")."""
        asides = self._relative_clauses(clause)
        return [
            m
            for m in segment
            if not cues.AGENT_CUE.search(self.text, max(clause.start, m.start - 12), m.start)
            and not cues.FROM_BEFORE.search(self.text, max(clause.start, m.start - 6), m.start)
            and not any(s <= m.start < e for s, e in asides)
            and not self._is_population([m])
        ]

    def _relative_clauses(self, clause: Clause) -> list[tuple[int, int]]:
        """ ", which can be a complication of cancer," spans: asides, not the subject."""
        return [
            (m.start(), m.end())
            for m in cues.RELATIVE_CLAUSE.finditer(self.text, clause.start, clause.end)
        ]

    def _procedure_talk(self, clause: Clause, position: int) -> bool:
        """In a procedure's article, outside what it is used for, a verb whose subject the
        lexicon does not know ("some drugs", "the scan itself") speaks of the procedure."""
        return (
            self.view == "procedure"
            and self.unit.role not in cues.USE_ROLES
            and not self._named_before(clause, position)
        )

    def _elided_subject(self, clause: Clause, position: int) -> bool:
        """Whether the verb at ``position`` has no subject of its own: "May cause …",
        "which causes …", "A tumor may block an airway or lead to …" (an unknown subject)."""
        if self._named_before(clause, position):
            return False
        before = self.text[clause.start : position]
        return bool(cues.ELIDED.fullmatch(before) or cues.COORDINATED_VERB.search(before))

    def _describes_term(self, clause: Clause, position: int) -> bool:
        """Whether the verb at ``position`` follows a definition of the bullet's term in words
        the lexicon does not know ("Anemia: A low red blood cell count … can cause …"; but
        "Anemia: Crowding of the bone marrow leads to …" names its cause, not the term)."""
        return (
            self.unit.description is not None
            and clause.start == self.body_start
            and cues.INDEFINITE.match(self.text, clause.start) is not None
            and not self._named_before(clause, position)
        )

    def _named_before(self, clause: Clause, position: int) -> bool:
        """Whether the clause names any concept before ``position`` (else its subject is
        elided, a pronoun or a word the lexicon does not know)."""
        asides = self._relative_clauses(clause)
        return any(
            m.end <= position
            and not m.concept.is_a("AnatomicalStructure")
            and not any(s <= m.start < e for s, e in asides)
            for m in clause.mentions
        )

    def _causal_terms(self) -> list[Mention]:
        return [
            m for m in self.term_mentions if m.start < self.body_start and m.concept.is_a(*CAUSAL)
        ]

    def _passive_causes(self) -> Iterator[Assertion]:
        """ "Most bone pain is caused by injuries", "fatigue due to anemia": the list right
        after the cue causes the nearest mention before it."""
        for clause in self.clauses:
            for cue in cues.PASSIVE_CAUSE_CUE.finditer(self.text, clause.start, clause.end):
                causal = [m for m in clause.mentions if m.concept.is_a(*CAUSAL)]
                before = [m for m in causal if m.end <= cue.start()]
                groups = [g for g in self._lists(clause) if g[0].start >= cue.end()]
                if not groups or not groups[0][0].concept.is_a(*CAUSAL):
                    continue
                # the agent follows the cue ("caused by bacteria, produces pain": not pain)
                near = cues.RIGHT_AFTER if cue.group().lower() == "from" else cues.NEAR
                if not near.fullmatch(self.text, cue.end(), groups[0][0].start):
                    continue
                before = [m for m in before if not self._is_population([m])]
                if before:  # the list nearest before ("a weak stream or frequent urination")
                    group = next((g for g in self._lists(clause) if before[-1] in g), [])
                    effects = [m for m in group if m in before] or [before[-1]]
                elif not self._named_before(clause, cue.start()):
                    # "Tiredness: Mostly caused by anemia", "Pressure on the cord, from …"
                    effects = self._causal_terms()
                else:
                    effects = []
                for cause in groups[0]:
                    if cause.concept.is_a(*CAUSAL):
                        for effect in effects:
                            self.causal.add(cause)
                            if effect.concept.is_a("MetastaticDisease"):
                                # "bone metastases from kidney cancer": where it started
                                yield self._emit(
                                    effect.concept, "hasPrimaryCancer", cause.concept, cause
                                )
                            else:
                                yield self._emit(cause.concept, "causes", effect.concept, cause)

    def _agents(self, segment: list[Mention]) -> Iterator[Assertion]:
        """ "compression of nerves by tumor growth" → tumor growth causes nerve compression."""
        for effect, agent in pairwise(segment):
            if cues.AGENT_CUE.search(self.text, effect.end, agent.start):
                yield self._emit(agent.concept, "causes", effect.concept, agent)

    def _effects(self, cause: Mention, effects: list[Mention]) -> Iterator[Assertion]:
        """A cause's effects; in "anemia and fatigue" the condition produces the symptom."""
        self.causal.update((cause, *effects))
        self.causes.add(cause)
        if self._is_subject(cause) or cause in self.chained:
            self.chained.update(effects)
        else:
            self.foreign.update(effects)
        if cause.concept.is_a(*TREATMENT, "DiagnosticProcedure"):
            for effect in effects:  # "chemotherapy can cause nausea"
                yield self._emit(cause.concept, "hasSideEffect", effect.concept, effect)
            return
        conditions = [m for m in effects if not m.concept.is_a("Symptom")]
        symptoms = [m for m in effects if m.concept.is_a("Symptom")]
        # "anemia and fatigue": the condition comes first and produces the symptom; in
        # "bone pain, fractures and hypercalcemia" the cause produces them all
        chained = bool(conditions and symptoms) and conditions[-1].start < symptoms[0].start
        first_wave = conditions if chained else effects
        for effect in first_wave:
            yield self._emit(cause.concept, "causes", effect.concept, effect)
        if chained:
            for condition in conditions:
                for symptom in symptoms:
                    yield self._emit(condition.concept, "causes", symptom.concept, symptom)

    def _purposes(self) -> Iterator[Assertion]:
        """What a test or treatment is for: "MRI: To … detect any compression of nerves"."""
        actors, purpose_start = self._actors_and_purpose()
        if not actors:
            return
        purpose = self.text[purpose_start:].strip(" .")
        found = sorted(
            (match.start(), match.end(), kind)
            for kind, pattern in cues.VERBS.items()
            for match in pattern.finditer(self.text[purpose_start:])
        )
        for index, (_, cue_end, kind) in enumerate(found):
            stop = found[index + 1][0] if index + 1 < len(found) else len(self.text) - purpose_start
            # "prevent fractures in people with bone metastasis": who, not what
            population = cues.POPULATION.search(
                self.text, purpose_start + cue_end, purpose_start + stop
            )
            if population:
                stop = population.start() - purpose_start
            targets = [
                m
                for m in self.mentions
                if purpose_start + cue_end <= m.start < purpose_start + stop
                and m.concept.is_a(*CONDITION_OR_SYMPTOM)
                and not self._is_subject(m)
            ]
            yield from self._purpose_assertions(kind, actors, targets, purpose)

    def _purpose_assertions(
        self, kind: str, actors: list[Mention], targets: list[Mention], purpose: str
    ) -> Iterator[Assertion]:
        for target in targets:
            relation = cues.PURPOSE_RELATION[kind]
            if self._after_side_effect_cue(target):
                relation = "hasSideEffect"
            for actor in actors:
                if relation in {"prevents", "hasSideEffect"}:
                    yield self._emit(actor.concept, relation, target.concept, target, (purpose,))
                else:
                    yield self._emit(target.concept, relation, actor.concept, target, (purpose,))
            # A complication a test detects or a treatment relieves is one of the condition's.
            if relation in {"diagnosedBy", "treatedBy"} and target.concept.is_a("Complication"):
                yield self._emit(self.subject, "hasComplication", target.concept, target)

    def _after_side_effect_cue(self, mention: Mention) -> bool:
        """ "possible side effects include urinary incontinence": a harm, not a use."""
        clause = self._clause_of(mention)
        return cues.SIDE_EFFECT_CUE.search(self.text, clause.start, mention.start) is not None

    def _actors_and_purpose(self) -> tuple[list[Mention], int]:
        """Bullets: the term acts, the description is its purpose; sentences: "X is used to …"."""
        if self.unit.role not in {"diagnosis", "treatment"}:
            return [], 0
        acting = ("DiagnosticProcedure", *TREATMENT)
        if self.unit.description is not None:
            actors = [m for m in self.term_mentions if m.concept.is_a(*acting)]
            return actors, self.unit.description.start - self.unit.span.start
        cue = cues.PURPOSE_CUE.search(self.text)
        if cue is None:
            return [], 0
        return [
            m for m in self.mentions if m.end <= cue.start() and m.concept.is_a(*acting)
        ], cue.end()

    def _relation_in_context(self, relation: str, mention: Mention) -> str | None:
        """A section's relation, unless the wording says otherwise: a bullet whose purpose is
        to prevent ("Bisphosphonates: Help prevent further fractures") gives `prevents`; a
        treatment the subject "no longer responds to" is not one of its uses."""
        if relation == "hasSideEffect" and self._side_effect_owners():
            return None  # the effect is the named drug's (see _owned_side_effects)
        if relation == "bodySite" and not self._names_procedure(self._clause_of(mention)):
            return None  # "… when the kidneys can no longer do this job": no site of it
        if relation != "treatedBy":
            return relation
        if self._treated_conditions():
            return None  # the symptom's cause is what is treated (see _treated_causes)
        clause = self._clause_of(mention)
        group = next((g for g in self._lists(clause) if mention in g), [mention])
        after = self.text[group[-1].end : clause.end]  # after the whole list it is in
        harm = cues.HARMS.match(after)
        # "exercises that relieve pain and help prevent …" still treat
        harms = harm is not None and not cues.VERBS["treat"].search(after, 0, harm.start(1))
        if mention not in self.term_mentions and (harms or self._after_side_effect_cue(mention)):
            return None  # "… thyroidectomy can lead to it", "side effects of chemotherapy"
        before = self.text[clause.start : mention.start]
        if cues.NOT_A_USE.search(before):
            return None
        description = self.unit.description
        prevention = description is not None and cues.PREVENTION_PURPOSE.search(description.text)
        return "prevents" if prevention and mention in self.term_mentions else relation

    def _names_procedure(self, clause: Clause) -> bool:
        """Whether a clause speaks of the procedure itself: names it, or opens with "it"."""
        opening = self.text[clause.start : clause.end].lstrip()
        named = any(self._is_subject(m) for m in clause.mentions)
        return named or re.match(r"(?:it|this)\b", opening, re.IGNORECASE) is not None

    def _about_term(self) -> bool:
        """Whether the bullet's term names a concept its description can be about; a body
        part ("Brain conditions: Such as brain tumors, stroke …") leaves the article's."""
        return any(not m.concept.is_a("AnatomicalStructure") for m in self.term_mentions)

    def _harm_causing_harm(self, mention: Mention) -> bool:
        """In a procedure's risks a harm may cause more ("neutropenia can lead to infections")."""
        return (
            self.view == "procedure"
            and self.unit.role in {"risks", "complications"}
            and mention in self.causes
            and mention.concept.is_a(*CONDITION_OR_SYMPTOM)
        )

    def _counts_for_role(self, mention: Mention) -> bool:
        """Whether a mention outside a bullet's term speaks about the article's concept.

        In a symptom or procedure article a bullet is about its term ("Osteoporosis: bones
        weakened by …" names a cause; the other conditions in it are about osteoporosis).
        A concept caught in a causal statement is about its cause, except in a condition's
        symptoms or complications ("it can cause anemia and fatigue")."""
        if self._harm_causing_harm(mention):
            return True
        if cues.COMPARED.search(self.text, self._clause_of(mention).start, mention.start):
            return False  # "more common in men than in women": the comparison is no factor
        if self._about_term() and self.view != "condition":
            # … though the tests and treatments a symptom's bullet names are its own too
            # (unless the bullet is named for a condition: "Depression: Antidepressants")
            kinds = (
                cues.SYMPTOM_BULLET_KINDS.get(self.unit.role, ()) if self.view == "symptom" else ()
            )
            for_condition = any(m.concept.is_a("Condition") for m in self.term_mentions)
            if for_condition or not mention.concept.is_a(*kinds):
                return False
        if mention in self.foreign and mention not in self.chained:
            return False  # "bone metastasis may cause fractures": not the article's complication
        if mention in self.causal:
            return self.view == "condition" and self.unit.role in {"symptoms", "complications"}
        if mention.concept.is_a("AnatomicalStructure") and self.unit.role == "overview":
            return self._defines_site(mention)
        return mention not in self.related or self.view == "condition"

    def _defines_site(self, mention: Mention) -> bool:
        """In an introduction only the first body part of a sentence that names the article's
        concept says where it is ("starts in the thyroid gland, … at the front of the neck")."""
        if not any(self._is_subject(m) for m in self.mentions):
            return False
        sites = [m for m in self.mentions if m.concept.is_a("AnatomicalStructure")]
        clause = self._clause_of(sites[0])
        first = next((g for g in self._lists(clause) if sites[0] in g), [sites[0]])
        return mention in first

    def _term_condition(self) -> Iterator[Assertion]:
        """A bullet named for another condition gives its treatments or tests: "Depression:
        Antidepressants, talking therapy or both", "Lung cancer: Used alone or together with
        radiation therapy"."""
        terms = [
            m
            for m in self.term_mentions
            if m.start < self.body_start and m.concept.is_a("Condition") and not self._is_subject(m)
        ]
        relation = cues.TERM_RELATIONS.get(self.unit.role)
        if not terms or relation is None:
            return
        for mention in self.mentions:
            if (
                mention.start < self.body_start
                or self._is_subject(mention)
                or mention in self.causal
                or self._after_side_effect_cue(mention)
            ):
                continue
            for term in terms:
                assertion = self._emit(term.concept, relation, mention.concept, mention)
                if _fits(assertion):
                    yield assertion

    def _treated_conditions(self) -> list[Mention]:
        """In a symptom article, a treatment named with one of the symptom's causes and not
        with the symptom treats the cause: "Antibiotics: To treat bacterial pneumonia",
        "Spinal cord compression needs urgent treatment, often with corticosteroids"."""
        if self.view != "symptom" or self.unit.role != "treatment":
            return []
        body = [m for m in self.mentions if m.start >= self.body_start]
        if any(self._is_subject(m) for m in body):
            return []
        return [
            m
            for m in body
            if m.concept.is_a("Condition")
            and m not in self.term_mentions
            and not self._is_population([m])
        ]

    def _side_effect_owners(self) -> list[Mention]:
        """In a procedure's risks, a bullet naming a harm whose description names a specific
        treatment gives that treatment's side effect: "Fatigue: Tiredness is common,
        especially with ADT" (but not "anticoagulants … help prevent them")."""
        if self.view != "procedure" or self.unit.role not in {"risks", "complications"}:
            return []
        if not any(m.concept.is_a(*CONDITION_OR_SYMPTOM) for m in self._causal_terms()):
            return []
        return [
            m
            for m in self.mentions
            if m.start >= self.body_start
            and m.concept.is_a(*TREATMENT)
            and not self._is_subject(m)
            and not self._remedy(m)
        ]

    def _remedy(self, mention: Mention) -> bool:
        """ "Usually well controlled with antiemetics", "a blood transfusion is sometimes
        needed", "anticoagulants … help prevent them": a remedy, not a cause."""
        clause = self._clause_of(mention)
        before = self.text[clause.start : mention.start]
        return bool(
            cues.REMEDIES.match(self.text, mention.end, clause.end)
            or cues.REMEDY_BEFORE.search(before)
        )

    def _owned_side_effects(self) -> Iterator[Assertion]:
        for owner in self._side_effect_owners():
            for effect in self._causal_terms():
                yield self._emit(owner.concept, "hasSideEffect", effect.concept, owner)

    def _treated_causes(self) -> Iterator[Assertion]:
        conditions = self._treated_conditions()
        for treatment in self.mentions:
            if not treatment.concept.is_a(*TREATMENT) or treatment in self.related:
                continue  # a verb already said what it treats
            # a bullet's term treats what its description names; otherwise, its own clause
            clause = self._clause_of(treatment)
            for condition in conditions:
                if treatment in self.term_mentions or clause.start <= condition.start < clause.end:
                    yield self._emit(condition.concept, "treatedBy", treatment.concept, treatment)

    def _by_role(self) -> Iterator[Assertion]:
        """What each concept is to the article's concept, by the section's meaning."""
        # (qualifiers, hedges); hedges None means "the mention's own, from its clause"
        topic = (self._qualifiers(), self._description_hedges())
        sentence = (() if self.unit.description else self._qualifiers(), None)
        candidates: list[tuple[Mention, tuple[tuple[str, ...], tuple[str, ...] | None]]]
        candidates = [(m, topic) for m in self.term_mentions]
        candidates += [
            (m, sentence)
            for m in self.mentions
            if m.start >= self.body_start and m not in self.consumed and self._counts_for_role(m)
        ]
        for mention, (qualifiers, hedges) in candidates:
            if self._is_subject(mention):
                continue
            for rule in self.rules:  # the first rule that fits the relation's domain and range
                if mention.concept.is_a(rule.concept_type):
                    subject, obj = self.subject, rule.typed(mention.concept)
                    relation = self._relation_in_context(rule.relation, mention)
                    if relation is None:
                        break
                    if rule.reverse or relation == "prevents":
                        subject, obj = obj, subject
                    assertion = self._emit(subject, relation, obj, mention, qualifiers, hedges)
                    if _fits(assertion):
                        yield assertion
                        break


def _cues_outside(
    text: str, mentions: tuple[Mention, ...], start: int, end: int
) -> list[re.Match[str]]:
    """Spread cues that are not a word of a name ("bone metastasis" says nothing spreads)."""
    return [
        cue
        for cue in cues.SPREAD_CUE.finditer(text, start, end)
        if not any(m.start <= cue.start() < m.end for m in mentions)
    ]


def _contains(key: tuple[str, ...], words: tuple[str, ...]) -> bool:
    """Whether ``words`` head the name ``key``: "bone pain" is a pain, "family history of
    breast cancer" a family history (the head of "A of B" is A)."""
    n = len(words)
    return key[-n:] == words or (key[:n] == words and key[n : n + 1] == ("of",))


def _is_site(group: list[Mention]) -> bool:
    return all(m.concept.is_a("AnatomicalStructure") for m in group)


def _kind(concept: Concept) -> str | None:
    """What a generic name and its topic must share to be one concept."""
    return next((k for k in cues.GENERIC_KINDS if concept.is_a(k)), None)


def _is_generic_of(key: tuple[str, ...], topic: Concept) -> bool:
    """ "pain" of back pain, "cancer" of kidney cancer: the topic's name ends with the key."""
    name = normalise(topic.label)
    return 0 < len(key) < len(name) and name[-len(key) :] == key


def _strip_topic(clause: str, topic: tuple[Mention, ...]) -> str:
    """ "Bone pain is often the first symptom" → "often the first symptom" (for a bone-pain
    bullet); "it can be severe" → "can be severe"."""
    words = clause
    for mention in topic:
        label = mention.text or mention.concept.label
        if words.lower().startswith(label.lower()):
            words = words[len(label) :].lstrip()
    previous = None
    while previous != words:
        previous = words
        words = cues.LEADING_TALK.sub("", words)
    return words.strip(" ,.")
