"""What one passage (a sentence or a bullet) says, read once for every rule: its mentions,
made as specific as the text names them; its clauses and the lists in them; the hedges and the
negation over each mention; and the questions rules ask of it (what a pronoun stands for, which
concepts a clause's subject may be, what a bullet's term causes or treats).

A :class:`Reading` never changes once made. What a rule finds about mentions that later rules
must know (this one is a cause, that one already has its subject) is a :class:`Marks`, handed
from rule to rule by :func:`medkg.extract.reader.read`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from medkg.extract import cues
from medkg.extract.discourse import first_of_kind, opens_with_pronoun
from medkg.extract.names import specific
from medkg.extract.records import Assertion, Unit, evidence_of
from medkg.extract.roles import ROLE_RULES
from medkg.relations import CAUSAL, CONDITION_OR_SYMPTOM, TREATMENT, allowed
from medkg.terminology import Concept, Lexicon, Mention, normalise

__all__ = ["Clause", "Marks", "Reading", "fits", "is_site"]


@dataclass(frozen=True)
class Clause:
    start: int  # offsets within the unit text
    end: int
    mentions: tuple[Mention, ...]


@dataclass
class Marks:
    """What rules have found about a passage's mentions, for the rules after them."""

    consumed: set[Mention] = field(default_factory=set)  # taken by a rule that names their subject
    causal: set[Mention] = field(default_factory=set)  # effects and causes in a causal statement
    related: set[Mention] = field(default_factory=set)  # related to each other by a verb
    causes: set[Mention] = field(default_factory=set)  # the causes among them
    chained: set[Mention] = field(default_factory=set)  # effects of the topic, or of those
    foreign: set[Mention] = field(default_factory=set)  # effects of another concept


class Reading:
    """One passage, its mentions found once (see the module docstring)."""

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

    def clause_of(self, mention: Mention) -> Clause:
        return next(c for c in self.clauses if c.start <= mention.start < c.end)

    def is_subject(self, mention: Mention) -> bool:
        return mention.concept == self.subject

    def hedges_for(self, mention: Mention) -> tuple[str, ...]:
        """Hedges that scope over a mention's list ("can cause numbness, tingling, or
        weakness"): those before the clause's first list, those between the previous list
        and this one, and those after the clause's last list."""
        clause = self.clause_of(mention)
        groups = self.lists(clause)
        index = next((i for i, g in enumerate(groups) if mention in g), None)
        if index is None:  # the article's own concept, or a bullet term
            return ()
        windows = [(clause.start, groups[0][0].start), (groups[-1][-1].end, clause.end)]
        if index > 0:
            windows.append((groups[index - 1][-1].end, groups[index][0].start))
        return tuple(h.group() for s, e in windows for h in cues.HEDGES.finditer(self.text, s, e))

    def lists(self, clause: Clause, with_subject: bool = False) -> list[list[Mention]]:
        """The clause's mentions grouped into lists: neighbours joined only by ", and or"."""
        groups: list[list[Mention]] = []
        for mention in clause.mentions:
            if self.is_subject(mention) and not with_subject:
                continue
            if groups and cues.LIST_GLUE.fullmatch(self.text, groups[-1][-1].end, mention.start):
                groups[-1].append(mention)
            else:
                groups.append([mention])
        return groups

    def negated(self, mention: Mention) -> bool:
        """A negation cue shortly before the mention's list, in the same clause (NegEx-style:
        "does not usually cause numbness, tingling or weakness" negates all three)."""
        clause = self.clause_of(mention)
        group = next((g for g in self.lists(clause) if mention in g), [mention])
        before = self.text[clause.start : group[0].start]
        concession = cues.CONCESSION.match(before)
        if concession:
            before = " " * concession.end() + before[concession.end() :]
        # "Breast pain is not a common early symptom": the clause's subject, denied after it
        first = self.lists(clause)[:1] == [group] and not cues.CONDITIONAL.search(before)
        if first and cues.DENIED_AFTER.match(self.text, group[-1].end, clause.end):
            return True
        found = list(cues.NEGATION.finditer(before))
        if not found:
            return False
        between = before[found[-1].end() :]
        return len(between.split()) <= cues.NEGATION_WINDOW and not re.search(r"[,;:]", between)

    def qualifiers(self) -> tuple[str, ...]:
        """Phrases that qualify a bullet's term (the clauses of its description), or a
        sentence's leading concession ("While not entirely preventable")."""
        description = self.unit.description
        if description is None:
            concession = cues.CONCESSION.match(self.text)
            return (concession.group().strip(" ,"),) if concession else ()
        clauses = (c.strip(" .") for c in cues.QUALIFIER_BREAK.split(description.text))
        return tuple(q for q in (_strip_topic(c, self.term_mentions) for c in clauses) if q)

    def emit(
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
                self.unit, self.hedges_for(mention) if hedges is None else hedges, qualifiers
            ),
            negated=self.negated(mention),
        )

    def description_hedges(self) -> tuple[str, ...]:
        description = self.unit.description
        text = description.text if description else ""
        return tuple(h.group() for h in cues.HEDGES.finditer(text))

    def pronoun_topic(self, position: int) -> list[Mention]:
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

    def antecedent(self, clause: Clause) -> list[Concept]:
        """For a clause opening with "it" ("…; it starts in the lining of the renal tubules"),
        the previous clause's first condition."""
        index = self.clauses.index(clause)
        if index == 0 or not opens_with_pronoun(self.text, clause.start):
            return []
        return first_of_kind(self.clauses[index - 1].mentions, "Condition")

    def is_population(self, group: list[Mention]) -> bool:
        """ "In people with cancer, …": the list says who, not what."""
        return cues.WHO_HAVE.search(self.text, 0, group[0].start) is not None

    def subject_candidates(self, clause: Clause, segment: list[Mention]) -> list[Mention]:
        """Mentions before a verb that can be its subject: not an agent ("compression of
        nerves by tumor growth", "from bone metastasis"), not inside an aside (", found on the
        CBC,") and not the people it happens to ("In people with osteoporosis, …")."""
        asides = self.relative_clauses(clause)
        return [
            m
            for m in segment
            if not cues.AGENT_CUE.search(self.text, max(clause.start, m.start - 12), m.start)
            and not cues.FROM_BEFORE.search(self.text, max(clause.start, m.start - 6), m.start)
            and not any(s <= m.start < e for s, e in asides)
            and not self.is_population([m])
        ]

    def relative_clauses(self, clause: Clause) -> list[tuple[int, int]]:
        """ ", which can be a complication of cancer," spans: asides, not the subject."""
        return [
            (m.start(), m.end())
            for m in cues.RELATIVE_CLAUSE.finditer(self.text, clause.start, clause.end)
        ]

    def named_before(self, clause: Clause, position: int) -> bool:
        """Whether the clause names any concept before ``position`` (else its subject is
        elided, a pronoun or a word the lexicon does not know)."""
        asides = self.relative_clauses(clause)
        return any(
            m.end <= position
            and not m.concept.is_a("AnatomicalStructure")
            and not any(s <= m.start < e for s, e in asides)
            for m in clause.mentions
        )

    def elided_subject(self, clause: Clause, position: int) -> bool:
        """Whether the verb at ``position`` has no subject of its own: "May cause …",
        "which causes …", "A tumor may block an airway or lead to …" (an unknown subject)."""
        if self.named_before(clause, position):
            return False
        before = self.text[clause.start : position]
        return bool(cues.ELIDED.fullmatch(before) or cues.COORDINATED_VERB.search(before))

    def causal_terms(self) -> list[Mention]:
        return [
            m for m in self.term_mentions if m.start < self.body_start and m.concept.is_a(*CAUSAL)
        ]

    def after_side_effect_cue(self, mention: Mention) -> bool:
        """ "possible side effects include urinary incontinence": a harm, not a use."""
        clause = self.clause_of(mention)
        return cues.SIDE_EFFECT_CUE.search(self.text, clause.start, mention.start) is not None

    def treated_conditions(self) -> list[Mention]:
        """In a symptom article, a treatment named with one of the symptom's causes and not
        with the symptom treats the cause: "Antibiotics: To treat bacterial pneumonia",
        "Spinal cord compression needs urgent treatment, often with corticosteroids"."""
        if self.view != "symptom" or self.unit.role != "treatment":
            return []
        body = [m for m in self.mentions if m.start >= self.body_start]
        if any(self.is_subject(m) for m in body):
            return []
        return [
            m
            for m in body
            if m.concept.is_a("Condition")
            and m not in self.term_mentions
            and not self.is_population([m])
        ]

    def side_effect_owners(self) -> list[Mention]:
        """In a procedure's risks, a bullet naming a harm whose description names a specific
        treatment gives that treatment's side effect: "Fatigue: Tiredness is common,
        especially with ADT" (but not "anticoagulants … help prevent them")."""
        if self.view != "procedure" or self.unit.role not in {"risks", "complications"}:
            return []
        if not any(m.concept.is_a(*CONDITION_OR_SYMPTOM) for m in self.causal_terms()):
            return []
        return [
            m
            for m in self.mentions
            if m.start >= self.body_start
            and m.concept.is_a(*TREATMENT)
            and not self.is_subject(m)
            and not self._remedy(m)
        ]

    def _remedy(self, mention: Mention) -> bool:
        """ "Usually well controlled with antiemetics", "a blood transfusion is sometimes
        needed", "anticoagulants … help prevent them": a remedy, not a cause."""
        clause = self.clause_of(mention)
        before = self.text[clause.start : mention.start]
        return bool(
            cues.REMEDIES.match(self.text, mention.end, clause.end)
            or cues.REMEDY_BEFORE.search(before)
        )

    def sites_after(self, groups: list[list[Mention]], start: int) -> list[Mention]:
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


def fits(assertion: Assertion) -> bool:
    """Whether an assertion keeps to its relation's domain and range."""
    return allowed(assertion.subject, assertion.relation, assertion.object)


def is_site(group: list[Mention]) -> bool:
    return all(m.concept.is_a("AnatomicalStructure") for m in group)


def _contains(key: tuple[str, ...], words: tuple[str, ...]) -> bool:
    """Whether ``words`` head the name ``key``: "bone pain" is a pain, "family history of
    breast cancer" a family history (the head of "A of B" is A)."""
    n = len(words)
    return key[-n:] == words or (key[:n] == words and key[n : n + 1] == ("of",))


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
