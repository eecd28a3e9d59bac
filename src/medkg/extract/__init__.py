"""From a parsed article to typed assertions, each with the sentence that states it.

Rules are about sentences and lists, never about particular articles:

* a section's meaning decides what its concepts are to the article's concept (a symptom in
  "Symptoms" is a symptom of the condition, a test in "Diagnosis" diagnoses it, …):
  :mod:`medkg.extract.roles`;
* a bullet "Term: description" is about its term; the description qualifies it, and a purpose
  in it ("to detect any fractures") says what the term diagnoses, treats or prevents;
* causal, risk and metastasis cues relate the concepts of one clause to each other
  (:mod:`medkg.extract.causal` and :mod:`medkg.extract.uses`, over one
  :mod:`medkg.extract.reading` of a passage, with the cue words of :mod:`medkg.extract.cues`);
* negation before a mention turns the assertion into a negated one (never a positive edge);
* what the article names that no vocabulary knows is a concept too
  (:mod:`medkg.extract.recognise`);
* a passage about another condition ("How Appendicitis Is Diagnosed" on a page about
  appendectomy) is read as that condition's page would be (:mod:`medkg.extract.topics`).

Every candidate passes the relation's domain and range (:data:`medkg.relations.RELATIONS`)
or is dropped.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import replace

from medkg.article import Article, Span
from medkg.drugs import drug_names
from medkg.extract import cues
from medkg.extract.context import negated
from medkg.extract.discourse import abbreviations
from medkg.extract.names import is_name, last_name, without_parenthesis
from medkg.extract.passages import synonyms as unit_synonyms
from medkg.extract.passages import units
from medkg.extract.reader import read
from medkg.extract.recognise import Named, head_type, recognise, type_of
from medkg.extract.records import (
    INTRODUCTION,
    Assertion,
    Evidence,
    Extraction,
    Synonym,
    Unit,
    evidence_of,
    unique,
)
from medkg.extract.roles import ROLE_RULES, article_view
from medkg.extract.statements import (
    Statement,
    goals,
    more_common_in,
    prognosis,
    side_effects,
    statements,
)
from medkg.extract.topics import Topic, topics
from medkg.relations import RELATIONS, allowed
from medkg.terminology import Concept, Lexicon, normalise

__all__ = [
    "RELATIONS",
    "Assertion",
    "Evidence",
    "Extraction",
    "Synonym",
    "article_view",
    "extract",
    "prepare",
]


def extract(article: Article, lexicon: Lexicon) -> Extraction:
    """Every assertion and synonym the article states about its concepts.

    First the rules of :mod:`medkg.extract.reader`, over the concepts the lexicon knows
    (the article's own concept and the abbreviations the article defines for them added);
    then, for the pairs they did not relate, what only the article names: its bullets and
    lists by their sections (:mod:`medkg.extract.recognise`) and its statements
    (:mod:`medkg.extract.statements`).
    NegEx judges every fact's negation (:mod:`medkg.extract.context`)."""
    subject = _subject(article, lexicon)
    view = article_view(subject)
    warnings = []
    if view != article.kind:
        warnings.append(
            f"{article.source}: the article is filed as a {article.kind}, but {subject.label!r} "
            f"is a {', '.join(subject.types)} in the terminology; read as a {view} article"
        )
    defined = abbreviations(article.text)
    shorts = {short: c for short, long in defined.items() if (c := lexicon.lookup(long))}
    lexicon = lexicon.extended((subject,), shorts)
    about = topics(article, subject, lexicon.lookup)
    passages = [_about(unit, about) for unit in units(article)]
    read_as = [(unit, *_topic_of(unit.span.start, about, subject, view)) for unit in passages]
    found: dict[tuple[str, str, str, int, bool], Assertion] = {}
    synonyms: list[Synonym] = []
    for unit, topic, topic_view in read_as:
        for stated in read(unit, topic, lexicon, topic_view):
            assertion = _from_point_of_view(stated, topic, topic_view)
            _add(found, assertion if assertion.negated else _in_negation_scope(assertion, unit))
        synonyms.extend(unit_synonyms(unit, subject))
    roles = {start: t.role for start, t in about.items()}
    named = recognise(article, view, lexicon.lookup, roles)
    known = _names_of(lexicon, named, defined)
    # what an FAQ question asks about, once a question: each sentence of its answer asks
    asked = functools.cache(lambda question: _asked(question, known))
    synonyms.extend(_defined_synonyms(defined, known, passages))
    opened = [
        *_open_roles(named, subject, view, about),
        *(
            _from_point_of_view(a, topic, topic_view)
            for unit, topic, topic_view in read_as
            for a in _open_statements(unit, topic, known, asked)
        ),
    ]
    related = {(a.subject.label, a.object.label) for a in found.values()}
    # a passage whose goals or outlook the vocabulary read is not read again by its words
    passages_read = {(a.subject.label, a.relation, a.evidence.start) for a in found.values()}
    for assertion in opened:
        pair = (assertion.subject.label, assertion.object.label)
        place = (assertion.subject.label, assertion.relation, assertion.evidence.start)
        again = place in passages_read
        if again and assertion.relation in _WHOLE_PASSAGE:
            continue
        if pair not in related and _add(found, assertion):
            related.add(pair)
    return Extraction(article, subject, tuple(found.values()), tuple(synonyms), tuple(warnings))


_WHOLE_PASSAGE = frozenset({"hasGoal", "hasPrognosticFactor"})


def _subject(article: Article, lexicon: Lexicon) -> Concept:
    """The article's concept: a known one, or a new one of the article's kind; a procedure
    whose name says it treats ("Appendectomy", "Cataract Surgery") is a therapy."""
    subject = lexicon.concept_for_title(article.title, article.kind)
    new = lexicon.lookup(article.title) is None
    if new and article.kind == "procedure" and head_type(article.title) == "Therapy":
        return replace(subject, types=("Therapy",))
    return subject


def prepare() -> None:
    """Load what extraction reads once a process (the drug names, the NegEx pipeline, the
    parts-of-speech lexicon: seconds), so that processes forked after it share them."""
    drug_names()
    negated("no", [(0, 2)])
    is_name("warm-up")


def _names_of(
    lexicon: Lexicon, named: Iterable[Named], defined: Mapping[str, str]
) -> Callable[[str], Concept | None]:
    """What a name means in this article: a concept the lexicon knows, one the article names
    (by any of its names), or the concept an abbreviation the article defines stands for."""
    local = {
        normalise(name): item.concept
        for item in named
        for name in (item.concept.label, *item.concept.synonyms)
    }
    for short, long in defined.items():
        concept = lexicon.lookup(long) or local.get(normalise(long))
        if concept is None:  # "gastroesophageal reflux disease (GERD)": a concept of its own
            kind = type_of(long, "Condition", drug_names())
            concept = local[normalise(long)] = Concept(long.lower(), (kind,), (), (short,))
        local.setdefault(normalise(short), concept)

    def known(name: str) -> Concept | None:
        return lexicon.lookup(name) or local.get(normalise(name))

    return known


def _add(found: dict[tuple[str, str, str, int, bool], Assertion], assertion: Assertion) -> bool:
    """Keep ``assertion`` if it fits its relation; one per place, hedges merged."""
    if not allowed(assertion.subject, assertion.relation, assertion.object):
        return False
    key = (
        assertion.subject.label,
        assertion.relation,
        assertion.object.label,
        assertion.evidence.start,
        assertion.negated,
    )
    found[key] = _merge(found.get(key), assertion)
    return True


def _defined_synonyms(
    defined: Mapping[str, str], known: Callable[[str], Concept | None], passages: list[Unit]
) -> Iterator[Synonym]:
    """A synonym for each abbreviation the article defines for a concept it names, with the
    passage defining it."""
    for short, long in defined.items():
        concept = known(long)
        unit = next((u for u in passages if f"({short})" in u.span.text), None)
        if concept is not None and unit is not None:
            yield Synonym(concept, short, evidence_of(unit, ()))


def _asked(question: str, known: Callable[[str], Concept | None]) -> Concept | None:
    """The concept an FAQ question asks about ("What is a hypo?", "How is a pulmonary
    embolism treated?"): the longest run of its words that names one."""
    words = question.rstrip("?").split()
    for size in range(min(len(words), 6), 0, -1):
        for start in range(len(words) - size + 1):
            if (concept := known(" ".join(words[start : start + size]))) is not None:
                return concept
    if not _DEFINING.match(question):
        return None  # "Can regular habits help?": no concept asked about
    named = last_name(question.rstrip("?"))  # "What is a hypo": a concept of its own
    if named is None:
        return None
    bare, synonyms = without_parenthesis(named.text)
    return Concept(bare if bare.isupper() else bare.lower(), ("Condition",), synonyms)


_DEFINING = re.compile(r"^\s*what\s+(?:is|are)\b", re.IGNORECASE)


def _in_negation_scope(assertion: Assertion, unit: Unit) -> Assertion:
    """A rule's assertion, negated when NegEx finds its object (or subject) in the
    scope of a negation in the passage ("Brain scans such as MRI are not needed to diagnose
    depression")."""
    text = unit.span.text
    lowered = text.lower()
    spans = []
    for concept in (assertion.object, assertion.subject):
        for name in (concept.label, *concept.synonyms, *concept.abbreviations):
            if (at := lowered.find(name.lower())) >= 0:
                spans.append((at, at + len(name)))
                break
    return replace(assertion, negated=True) if spans and any(negated(text, spans)) else assertion


def _about(unit: Unit, about: Mapping[int, Topic]) -> Unit:
    """The passage with the meaning its topic's heading or lead-in gives it, if it has one."""
    topic = about.get(unit.span.start)
    return unit if topic is None else replace(unit, role=topic.role)


def _topic_of(
    start: int, about: Mapping[int, Topic], subject: Concept, view: str
) -> tuple[Concept, str]:
    """What the passage starting at ``start`` is about, and as what kind of page it reads."""
    topic = about.get(start)
    return (subject, view) if topic is None else (topic.concept, "condition")


def _open_roles(
    named: Iterable[Named], subject: Concept, view: str, about: Mapping[int, Topic]
) -> Iterator[Assertion]:
    """What each concept that only the article names is to its concept (or to the topic of
    its passage), by the section's meaning: the first role rule its type fits."""
    for item in named:
        unit = Unit(item.section or INTRODUCTION, item.role, item.unit)
        topic, topic_view = _topic_of(item.unit.start, about, subject, view)
        for rule in ROLE_RULES[topic_view].get(item.role, ()):
            if item.concept.is_a(rule.concept_type):
                concept = rule.typed(item.concept)
                pair = (concept, topic) if rule.reverse else (topic, concept)
                if not allowed(pair[0], rule.relation, pair[1]):
                    continue  # a condition a therapy's page lists is what it treats
                hedges = tuple(h.group() for h in cues.HEDGES.finditer(item.unit.text))
                where = (item.span.start - item.unit.start, item.span.end - item.unit.start)
                [denied] = negated(item.unit.text, [where])
                evidence = evidence_of(unit, hedges)
                yield Assertion(pair[0], rule.relation, pair[1], evidence, negated=denied)
                break


def _open_statements(
    unit: Unit,
    subject: Concept,
    known: Callable[[str], Concept | None],
    asked: Callable[[str], Concept | None],
) -> Iterator[Assertion]:
    """The statements of a passage's clauses, read with open arguments; "it" and "this" are
    the bullet's term, an FAQ answer's question's concept, else the article's."""
    topic = (known(unit.term.text) if unit.term else None) or asked(unit.question)
    topic = topic or subject
    hedges = tuple(h.group() for h in cues.HEDGES.finditer(unit.span.text))
    found = [
        *statements(unit.span, topic, known),
        *side_effects(unit.span, topic, known),
        *more_common_in(unit.span, topic, known),
        *goals(unit.span, topic),
        *_answered(unit, topic, known),
    ]
    for statement in [*found, *prognosis(unit.span, topic)]:
        yield Assertion(
            statement.subject,
            statement.relation,
            statement.object,
            evidence_of(unit, hedges),
            negated=statement.negated,
        )


# "Can shingles lead to a stroke? — Yes, …", "Does a biopsy make cancer spread? — No."
_REPLY = re.compile(r"\s*(?P<reply>yes|no)\b", re.IGNORECASE)


def _answered(
    unit: Unit, topic: Concept, known: Callable[[str], Concept | None]
) -> Iterator[Statement]:
    """What a yes-or-no question states, when its answer opens with "Yes" or "No": the
    question read as a statement, denied by a "No"."""
    reply = _REPLY.match(unit.span.text) if unit.question else None
    if reply is None:
        return
    question = unit.question.rstrip(" ?")
    no = reply["reply"].lower() == "no"
    for statement in statements(Span(question, 0, len(question)), topic, known):
        yield replace(statement, negated=statement.negated != no)


def _from_point_of_view(assertion: Assertion, subject: Concept, view: str) -> Assertion:
    """In a condition's article what the condition itself causes is one of its complications
    or symptoms ("hypothyroidism can lead to heart disease"); a denied symptom is a denied
    symptom ("does not usually cause weight loss"), but a denied condition stays a denial of
    cause, and a process it causes stays a cause."""
    if view != "condition" or assertion.relation != "causes" or assertion.subject != subject:
        return assertion
    if assertion.object.is_a("PathologicalProcess"):
        return assertion
    if assertion.negated and not assertion.object.is_a("Symptom"):
        return assertion
    relation = "hasSymptom" if assertion.object.is_a("Symptom") else "hasComplication"
    return replace(assertion, relation=relation)


def _merge(old: Assertion | None, new: Assertion) -> Assertion:
    if old is None:
        return new
    evidence = replace(
        old.evidence,
        hedges=unique(old.evidence.hedges + new.evidence.hedges),
        qualifiers=unique(old.evidence.qualifiers + new.evidence.qualifiers),
    )
    return replace(old, evidence=evidence)
