"""Statements of running prose, read with open arguments.

"Heartburn is treated with antacids or proton pump inhibitors such as omeprazole", "A hypo
can cause shaking, sweating, hunger and confusion", "Most cataracts are caused by ageing": a
verb's cue splits a clause into the list that ends before it and the list that starts after
it, and every item of both is a concept, whether or not a vocabulary knows it. A known name
keeps its concept; a new one is typed by what the relation says of its side (what is treated
with something is a condition, what treats it a therapy, or a drug if the drug names say so).

The list before a cue ends with the longest name that ends the text ("… to drain excess
amniotic fluid, which can cause …" → excess amniotic fluid) and reaches back over the items
"and" or "or" join to it. A pronoun there ("It can cause …", "They can cause …") stands for
what the passage is about. What a treatment or a test "causes" is one of its side effects.

Two statements name what no list does: the goals of treatment ("The main goals of treatment
are to control symptoms and prevent attacks": each a doing) and what the outlook depends on.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace

from lemminflect import getLemma

from medkg.article import Span
from medkg.drugs import drug_names
from medkg.extract.context import negated
from medkg.extract.names import (
    doing_of,
    is_name,
    items,
    last_name,
    parts_of_speech,
    shared_heads,
    split_list,
    without_parenthesis,
)
from medkg.extract.recognise import head_type, type_of
from medkg.relations import CONDITION_OR_SYMPTOM, RELATIONS, TREATMENT
from medkg.terminology import Concept, normalise

__all__ = ["Statement", "goals", "more_common_in", "prognosis", "side_effects", "statements"]


@dataclass(frozen=True)
class Statement:
    """subject —relation→ object, as one clause of a passage states it or denies it."""

    subject: Concept
    relation: str
    object: Concept
    negated: bool


# (each a whole word: "Osteoporosis diagnosed" holds no "is")
_MODAL = r"(?:\b(?:is|are|be|was|were|can|may|might|could|often|usually|commonly|best|also)\s+)*"


@dataclass(frozen=True)
class Cue:
    """A verb that relates the list before it to the list after it: ``relation``, the list
    before being its subject when ``forward``; ``open_before`` / ``open_after``: whether a
    name no vocabulary knows may stand on that side (a test "shows" many things that are no
    concepts: only known ones, or the passage's topic, stand after it)."""

    pattern: re.Pattern[str]
    relation: str
    forward: bool
    open_before: bool = True
    open_after: bool = True


def _cue(
    pattern: str, relation: str, forward: bool, before: bool = True, after: bool = True
) -> Cue:
    return Cue(re.compile(pattern, re.IGNORECASE), relation, forward, before, after)


_AGAINST = "advisedAgainst"  # treatedBy or diagnosedBy, by what the advice is against

CUES: tuple[Cue, ...] = (
    _cue(
        _MODAL + r"\b(?:treated|managed|relieved|controlled|eased|corrected|helped)"
        r"(?:\s+\w+){0,2}?\s+(?:with|by|using)\b",
        "treatedBy",
        True,
    ),
    _cue(r"\b(?:may\s+|might\s+|usually\s+|often\s+)?(?:needs?|requires?)\b", "treatedBy", True),
    _cue(
        r"\b(?:treats?|relieves?|eases?|controls?|help(?:s)?\s+(?:to\s+)?"
        r"(?:relieve|ease|control|reduce|manage|treat))\b",
        "treatedBy",
        False,
        after=False,
    ),
    _cue(
        r"\b(?:can|may|might|could|often|usually|commonly|also|sometimes|rarely|does|do)?\s*"
        r"\b(?:cause[sd]?|lead(?:s)? to|result(?:s)? in|trigger(?:s)?)\b(?! by)",
        "causes",
        True,
    ),
    _cue(
        r"\b(?:(?:is|are|be|was|were)\s+(?:\w+\s+){0,2})?(?:caused|triggered|brought on)\s+by\b"
        r"|\bdue to\b|\bbecause of\b|\bresults? from\b|\b(?:a|the)\s+(?:\w+\s+)?causes?\s+of\b",
        "causes",
        False,
    ),
    _cue(r"\b(?:signs|symptoms)\s+(?:\w+\s+)?include\b", "hasSymptom", True),
    _cue(r"\bside effects?\s+(?:\w+\s+)?include\b", "hasSideEffect", True),
    # "It … has side effects such as drowsiness"
    _cue(
        r"\b(?:has|have)\s+(?:\w+\s+)?side effects?,?\s+(?:such as|including|especially|like)\b",
        "hasSideEffect",
        True,
    ),
    _cue(
        _MODAL + r"\b(?:diagnosed|detected|confirmed)\s+(?:with|by|using|on)\b",
        "diagnosedBy",
        True,
    ),
    # what a test looks for is a condition, named or not ("Looks for heart rhythm problems")
    _cue(
        r"\b(?:(?:can\s+|may\s+)?helps?\s+(?:to\s+)?)?(?:detects?|confirms?|diagnoses|diagnose"
        r"|(?:is|are)\s+used\s+to\s+(?:diagnose|detect|find)|looks?\s+for|checks?\s+for"
        r"|rules?\s+out|(?:is|are)\s+(?:not\s+)?(?:an?\s+|the\s+)?(?:\w+\s+)?tests?\s+for)\b",
        "diagnosedBy",
        False,
    ),
    # advice against a treatment or a test denies it: "Cough medicines are not usually
    # recommended", "Brain scans are not needed to diagnose GAD" (see _advised_against)
    _cue(
        r"\b(?:is|are)\s+(?:also\s+|usually\s+|generally\s+|often\s+)?(?:not|no\s+longer)\s+"
        r"(?:usually\s+|generally\s+|routinely\s+|always\s+)?"
        r"(?:recommended|advised|needed|necessary|helpful|used)\b"
        r"|\bshould\s+not\s+be\s+(?:given|used|taken)\b|\bdo(?:es)?\s+not\s+help\b",
        _AGAINST,
        False,
    ),
    # … but what it shows may be anything: only concepts known elsewhere count
    _cue(r"\b(?:reveals?|shows?)\b", "diagnosedBy", False, after=False),
    _cue(r"\bprevents?\b", "prevents", True, after=False),
    # "Losing weight and stopping smoking lower the chance of AF coming back"
    _cue(
        r"\b(?:lowers?|reduces?|cuts?|decreases?)\s+(?:the|your|their|a\s+person's)\s+"
        r"(?:risk|chance|number|likelihood)(?:\s+of)?\b",
        "riskReducedBy",
        False,
        after=False,
    ),
)
# what an episode of the passage's topic is called: "the number of attacks"
_EPISODES = re.compile(
    r"^\s*(?:further\s+|future\s+|new\s+)?(?:attacks?|flares?|episodes?|relapses?)\b"
)
# where a clause ends after a cue, and starts before one
_CLAUSE_END = re.compile(
    r";|(?<=[a-z]{2})\.\s|,\s+(?:which|who|while|whereas|but|although|so|because|and then)\b|$"
)
_CLAUSE_START = re.compile(
    r";|(?<=[a-z]{2})\.\s|:(?:\*\*|__)?\s|,\s+(?:but|while|whereas|although)\s|\b(?:which|that|who)\s"
)
_TRAILING = re.compile(
    r"(?:[\s,]+(?:is|are|was|were|be|been|can|could|may|might|will|would|should|must|often|"
    r"usually|also|commonly|typically|sometimes|rarely|mainly|mostly|generally|most|best|"
    r"not|never|which|that|who|only|still|then|itself|themselves|alone|directly|does|do|did|"
    r"has|have|had|all|both|each|together))+\s*$",
    re.IGNORECASE,
)
_MODAL_ONLY = re.compile(
    r"^\s*(?:(?:it|this|they|these|can|could|may|might|will|also|often|usually|is|are)\b\s*)*$",
    re.IGNORECASE,
)
_PRONOUN = re.compile(
    r"^\s*(?:it|they|them|this|these|this (?:condition|medicine|drug|test|procedure|operation))"
    r"\s*$",
    re.IGNORECASE,
)
_JOINING = re.compile(r"\b(?:and|or)\b", re.IGNORECASE)
_PURPOSE = re.compile(r"^\s*to\s+\w+", re.IGNORECASE)  # an infinitive: what the topic is for


def statements(
    passage: Span,
    topic: Concept,
    known: Callable[[str], Concept | None],
) -> Iterator[Statement]:
    """Every statement a cue makes in ``passage`` between the list that ends before it and
    the list that starts after it. ``topic`` is what a pronoun stands for (the passage's
    bullet term, else the article's concept); ``known`` finds a name's concept, if any."""
    text = passage.text
    if text.rstrip().endswith("?"):
        return  # a question states nothing
    for cue in CUES:
        for match in cue.pattern.finditer(text):
            ends = _before_relative_clause(text, match.start())
            start = _clause_start(text, ends)
            end = _CLAUSE_END.search(text, match.end())
            stop = end.start() if end else len(text)
            before = _shared_subject(_TRAILING.sub("", text[start:ends]))
            against = cue.relation == _AGAINST
            # "… are not used to treat shingles": what the advice is against follows the verb
            purpose = _PURPOSE_VERB.match(text, match.end(), stop) if against else None
            if purpose and "VERB" not in parts_of_speech(purpose["verb"]):
                purpose = None
            opens = purpose.end() if purpose else match.end()
            after = Span(text[opens:stop], passage.start + opens, passage.start + stop)
            left_types, right_types = RELATIONS["treatedBy" if against else cue.relation]
            if not cue.forward:
                left_types, right_types = right_types, left_types
            lefts = _side(before, left_types, topic, known, cue.open_before)
            rights = (
                [topic]
                if _PRONOUN.match(after.text) or _EPISODES.match(after.text)
                else _concepts(
                    (i.text for i in shared_heads(list(items(after, whole=True)), known)),
                    right_types,
                    known,
                    cue.open_after,
                )
            )
            if against:  # "… are not recommended (for children)": for the topic, unless named
                rights = [
                    r
                    for r in rights
                    if r.is_a(*CONDITION_OR_SYMPTOM) and not _POPULATION.match(r.label)
                ] or [topic]
            negated = against or _denied(text, start, stop, [*lefts, *rights])
            for left in lefts:
                for right in rights:
                    if left == right:
                        continue  # "A cystoscopy is not used to examine the kidneys"
                    subject, obj = (left, right) if cue.forward else (right, left)
                    relation = _relation(cue.relation, subject, obj)
                    if against:
                        relation, obj = _advised_against(obj, purpose["verb"] if purpose else "")
                    if relation == "prevents" and cue.relation == "riskReducedBy":
                        subject, obj = obj, subject
                    yield Statement(subject, relation, obj, negated)


# a relative clause between a list and its verb: "Antiarrhythmic medicines, which control
# the heart rhythm, are not needed"
_RELATIVE_BEFORE = re.compile(r",\s*(?:which|who)\b[^,;]*,\s*$", re.IGNORECASE)
# a subject two verbs share: "Decongestants do not help ear infections and are not …"
_SHARED_SUBJECT = re.compile(
    r"^(?P<subject>.+?)\s+(?:do|does|did|is|are|was|were|can|may|will)\s+(?:not\s+)?\w.*"
    r"\s+(?:and|but)\s*$"
    r"|^(?P<pronoun>it|they|this|these)\s+\w.*\s+(?:and|but)\s*$",  # "It lowers … and has …"
    re.IGNORECASE,
)
_PURPOSE_VERB = re.compile(r"\s+to\s+(?P<verb>[a-z]+)\b")
# who is named, never what: "people with severe pneumonia" are treated for pneumonia
_WHO = r"(?:people|patients|children|adults|anyone|someone|women|men|those|babies)"
_POPULATION_WITH = re.compile(
    rf"^{_WHO}\s+(?:with|who\s+have|who\s+has)\s+(?:an?\s+)?", re.IGNORECASE
)
_POPULATION = re.compile(rf"{_WHO}\b", re.IGNORECASE)


def _before_relative_clause(text: str, position: int) -> int:
    """Where the list before a verb at ``position`` ends: before a relative clause that
    ends right before the verb, if one does."""
    relative = _RELATIVE_BEFORE.search(text, 0, position)
    return relative.start() if relative else position


def _shared_subject(before: str) -> str:
    """The subject of the first of two joined predicates, where the text before a verb
    holds it ("Antibiotics do not work against the virus and …" → "Antibiotics")."""
    shared = _SHARED_SUBJECT.match(before)
    return (shared["subject"] or shared["pronoun"]) if shared else before


def _side(
    before: str,
    types: tuple[str, ...],
    topic: Concept,
    known: Callable[[str], Concept | None],
    open_names: bool,
) -> list[Concept]:
    """The concepts of the list that ends ``before`` (see the module docstring)."""
    if _MODAL_ONLY.match(before) or _PRONOUN.match(before) or _PURPOSE.match(before):
        return [topic]  # "It can cause …", "To evaluate … and detect …": the topic's doing
    pieces = split_list(before)
    last = last_name(before[pieces[-1][0] : pieces[-1][1]])
    if last is None:
        return []
    names = [_POPULATION_WITH.sub("", last.text)]  # "People with severe pneumonia"
    for (start, end), (next_start, _) in zip(pieces[-2::-1], pieces[:0:-1], strict=False):
        joined = before[end:next_start]
        listed = [i.text for i in items(Span(before[start:end], 0, end - start), split=False)]
        if len(listed) != 1 or not (_JOINING.search(joined) or len(names) > 1):
            break
        names.insert(0, listed[0])
    # "Larger stones may need …" in an article on kidney stones: the topic, more or less
    head = normalise(topic.label)[-1:]
    if len(names) == 1 and known(names[0]) is None and normalise(names[0])[-1:] == head:
        graded = all(_grades(w) for w in names[0].lower().split()[:-1])
        if graded:  # not "Growing pains cause aching" in an article on joint pain
            return [topic]
    return _concepts(names, types, known, open_names)


def _grades(word: str) -> bool:
    """Whether a word before a head only grades it ("larger", "poorly controlled"), unlike
    a noun or a doing that names a kind of its own ("growing pains")."""
    kinds = parts_of_speech(word)
    return bool(kinds) and "NOUN" not in kinds and not word.endswith("ing")


def _denied(text: str, start: int, stop: int, concepts: list[Concept]) -> bool:
    """Whether a negation scopes over a concept the clause ``text[start:stop]`` names, by
    any of its names ("… does not treat CKD")."""
    clause = text[start:stop]
    lowered = clause.lower()
    spans = []
    for concept in concepts:
        names = (concept.label, *concept.synonyms, *concept.abbreviations)
        found = next(((i, i + len(n)) for n in names if (i := lowered.find(n.lower())) >= 0), None)
        if found is not None:
            spans.append(found)
    return any(negated(clause, spans))


def _clause_start(text: str, position: int) -> int:
    """Where the clause holding ``position`` starts: after the last clause break before it."""
    starts = [m.end() for m in _CLAUSE_START.finditer(text, 0, position)]
    return max(starts, default=0)


def _relation(relation: str, subject: Concept, obj: Concept) -> str:
    """What a treatment or a test causes is one of its side effects; a drug or a therapy that
    lowers the risk of a condition prevents it (a measure of any other kind reduces it)."""
    if relation == "causes" and subject.is_a(*TREATMENT, "DiagnosticProcedure"):
        return "hasSideEffect"
    if relation == "riskReducedBy" and obj.is_a(*TREATMENT) and not obj.is_a("PreventiveMeasure"):
        return "prevents"
    return relation


def _advised_against(advice: Concept, purpose: str) -> tuple[str, Concept]:
    """What advice against ``advice`` denies: that it diagnoses, if it is a test ("… scans",
    or "not used to diagnose"), else that it treats; and the advice, typed as such."""
    test = purpose in _FINDING or head_type(advice.label) == "DiagnosticProcedure"
    if not (test or advice.is_a("DiagnosticProcedure")):
        return "treatedBy", advice
    if advice.is_a("DiagnosticProcedure"):
        return "diagnosedBy", advice
    return "diagnosedBy", replace(advice, types=("DiagnosticProcedure",))


_FINDING = frozenset({"diagnose", "detect", "find", "confirm", "check", "test", "screen"})


def _concepts(
    names: Iterable[str],
    types: tuple[str, ...],
    known: Callable[[str], Concept | None],
    open_names: bool,
) -> list[Concept]:
    """The concept of each name: a known one, else (where ``open_names``) a new one typed by
    the relation's side."""
    found = []
    for name in names:
        bare, synonyms = without_parenthesis(name)
        concept = known(bare)
        if concept is None and open_names:
            label = bare if bare.isupper() else bare.lower()
            default = types[0] if types else "Condition"
            concept = Concept(label, (type_of(bare, default, drug_names()),), synonyms)
        if concept is not None:
            found.append(concept)
    return found


# "The main goals of treatment are to …", "Treatment has three aims: …"
_GOALS = re.compile(
    r"\b(?:goals?|aims?)\s+(?:of\s+(?:treatment|treating\s+\w+|therapy)\s+)?"
    r"(?:is|are|include)\s+(?:to\s+)?|\b(?:has|have)\s+(?:\w+\s+)?(?:aims|goals)\s*:\s*",
    re.IGNORECASE,
)
# "The outlook depends on …"
_PROGNOSIS = re.compile(
    r"\b(?:outlook|prognosis)\s+(?:\w+\s+){0,3}?depends\s+(?:\w+ly\s+)?on\s+", re.IGNORECASE
)
_GOAL_END = re.compile(r"\s*(?:[;.]|,\s+(?:which|so|because|although|but)\b|$)")


def goals(passage: Span, topic: Concept) -> Iterator[Statement]:
    """The goals of treating ``topic`` a passage states, each named as written and as the
    doing of it ("to control symptoms": "control symptoms", "controlling symptoms")."""
    for piece in _pieces_after(_GOALS, passage.text):
        goal = re.sub(r"^(?:and\s+|or\s+|to\s+|where possible,?\s+)+", "", piece).strip(" ,")
        words = goal.split()
        if not 1 <= len(words) <= 8 or "VERB" not in parts_of_speech(words[0]):
            continue  # a goal is a doing: "prevent asthma attacks", "preventing stroke"
        names = _doing_names(goal)
        concept = Concept(names[0], ("TreatmentGoal",), names[1:])
        yield Statement(topic, "hasGoal", concept, False)


def prognosis(passage: Span, topic: Concept) -> Iterator[Statement]:
    """What ``topic``'s outlook depends on: each factor a name, or a question ("how early
    it is found")."""
    for piece in _pieces_after(_PROGNOSIS, passage.text):
        factor = re.sub(r"^(?:and|or)\s+", "", piece.strip(" ,"))
        factor = re.sub(r"^(?:the|a|an|any|its|their|your|a person's)\s+", "", factor)
        if factor.lower().startswith("how ") or is_name(factor):
            concept = Concept(factor.lower(), ("PrognosticFactor",))
            yield Statement(topic, "hasPrognosticFactor", concept, False)


# "Common side effects of SSRIs include nausea, …", "The main side effect of all
# anticoagulants is bleeding": the owner stands between the cue and its verb
_SIDE_EFFECTS_OF = re.compile(
    r"\b(?:side|adverse)\s+effects?\s+of\s+(?P<owner>[^.;:,]{2,60}?)\s+"
    r"(?:include|includes|are|is)\s+(?P<effects>[^.;]+)",
    re.IGNORECASE,
)


def side_effects(
    passage: Span, topic: Concept, known: Callable[[str], Concept | None]
) -> Iterator[Statement]:
    """What the side effects of a treatment or a test, named after "of", are."""
    for match in _SIDE_EFFECTS_OF.finditer(passage.text):
        owner_text = re.sub(r"^(?:all|most|many|some|these|this|the)\s+", "", match["owner"])
        owners = (
            [topic]
            if _PRONOUN.match(owner_text)
            else _concepts([owner_text], RELATIONS["hasSideEffect"][0], known, True)
        )
        listed = Span(match["effects"], 0, len(match["effects"]))
        effects = _concepts((i.text for i in items(listed, whole=True)), ("Symptom",), known, True)
        for owner in owners:
            if not owner.is_a(*TREATMENT, "DiagnosticProcedure"):
                continue  # "side effects of the disease" are no side effects
            for effect in effects:
                yield Statement(owner, "hasSideEffect", effect, False)


# "Migraine is about three times more common in women than in men", "most common in young
# children and older adults": who is named stands for a risk factor the lexicon knows
# ("women" is female sex, "older adults" older age); the comparison after "than" is none
_MORE_COMMON = re.compile(
    r"\b(?:is|are)\s+(?:\w+\s+){0,3}?(?:more|most)\s+(?:common|likely)\s+(?:in|among)\s+"
    r"(?P<who>[^.;:]+?)(?=\s+than\b|[.;:]|,\s+(?:and|but|which|although)\b|$)",
    re.IGNORECASE,
)
_PEOPLE = re.compile(rf"^{_WHO}\s+(?:who\s+are\s+|aged\s+)?", re.IGNORECASE)


def more_common_in(
    passage: Span, topic: Concept, known: Callable[[str], Concept | None]
) -> Iterator[Statement]:
    """The risk factors of ``topic`` that "more common in …" names, by the concept the
    lexicon knows for whom it names."""
    for match in _MORE_COMMON.finditer(passage.text):
        for start, stop in split_list(match["who"]):
            who = _PEOPLE.sub("", match["who"][start:stop].strip())
            who = re.sub(r"^(?:the|a|an)\s+", "", who)
            concept = known(who)
            if concept is not None and concept.is_a("RiskFactor"):
                yield Statement(topic, "hasRiskFactor", concept, False)


def _pieces_after(cue: re.Pattern[str], text: str) -> Iterator[str]:
    """The items of the list each match of ``cue`` opens, up to the end of its clause."""
    for match in cue.finditer(text):
        end = _GOAL_END.search(text, match.end())
        listed = text[match.end() : end.start() if end else len(text)]
        yield from (listed[start:stop] for start, stop in split_list(listed))


def _doing_names(goal: str) -> tuple[str, ...]:
    """A goal's names: as written, and with its verb as a doing ("control" ↔ "controlling")."""
    first, _, rest = goal.partition(" ")
    lowered = first.lower()
    other = getLemma(lowered, "VERB")[0] if lowered.endswith("ing") else doing_of(lowered)
    written = goal.lower()
    return (written, f"{other} {rest}".strip()) if other != lowered else (written,)
