"""Open recognition: the concepts an article names where names go, whatever any vocabulary
knows of them.

Names go in a bullet's term ("Colchicine: …"), in the items of a list that a section about
symptoms, causes, tests or treatments gives ("The risk is higher with: red meat, alcohol and
sugary drinks"), and after a class its members ("triptans such as sumatriptan"). Each name
becomes a concept, typed by where it stands (a bullet under Treatment is a therapy), by its
head ("… scan", "-ectomy", "-itis") and by the vocabulary that knows it (a drug's name). A
parenthesis after a name gives another name of it ("water pills", "GERD", "Imitrex").
What reads as a name, and where a list's names lie, is :mod:`medkg.extract.names`. Under
Treatment, a drug the drug names know is a name wherever it stands, in a list or in running
prose ("… usually amoxicillin").

Vocabularies link and type concepts; they never decide whether one exists.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from medkg.article import Article, Section, Span, sentences
from medkg.drugs import DrugNames, drug_names
from medkg.extract.names import (
    PARENTHESIS,
    as_doing,
    bare_list,
    continues_name,
    headed,
    is_gerund,
    items,
    listed,
    parts_of_speech,
    shared_heads,
    without_parenthesis,
)
from medkg.terminology import Concept, normalise

__all__ = [
    "ROLE_TYPES",
    "Named",
    "head_type",
    "recognise",
    "type_of",
]

#: The type of what a section lists, by what the article is about and the section's role.
ROLE_TYPES: dict[str, dict[str, str]] = {
    "condition": {
        "symptoms": "Symptom",
        "diagnosis": "DiagnosticProcedure",
        "treatment": "Therapy",
        "causes": "RiskFactor",
        "risks": "RiskFactor",
        "complications": "Complication",
        "prevention": "PreventiveMeasure",
        "prognosis": "PrognosticFactor",
    },
    "symptom": {
        "causes": "Condition",
        "risks": "Condition",
        "diagnosis": "DiagnosticProcedure",
        "treatment": "Therapy",
    },
    "procedure": {
        "purpose": "Condition",
        "diagnosis": "Condition",
        "risks": "Symptom",
        "complications": "Symptom",
    },
}

# heads that tell what a name is, whatever the section says
_HEAD_TYPES: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(
            r"(?:\b(?:test|tests|scan|scans|x-rays?|ultrasound|mri|ct|imaging|biopsy|"
            r"screening|exam|examination|count|panel|culture|swab|study|angiogram|"
            r"electrocardiogram|ecg|ekg|echocardiogram|endoscopy|colonoscopy)|"
            r"(?:scopy|graphy|gram))$",
            re.IGNORECASE,
        ),
        "DiagnosticProcedure",
    ),
    (
        re.compile(
            r"(?:\b(?:surgery|operation|therapy|transplant|transplantation|repair|"
            r"replacement|injection|injections|stent|bypass|dialysis|counselling|"
            r"counseling|rehabilitation|physiotherapy|vaccine|vaccination)|"
            r"(?:ectomy|otomy|ostomy|plasty|pexy|dialysis))$",
            re.IGNORECASE,
        ),
        "Therapy",
    ),
    (
        re.compile(
            r"(?:\b(?:disease|disorder|syndrome|infection|cancer|tumou?r|failure|"
            r"deficiency|injury|fracture|stroke|attack)|(?:itis|osis|emia|aemia|oma|pathy))$",
            re.IGNORECASE,
        ),
        "Condition",
    ),
)


@dataclass(frozen=True)
class Named:
    """A concept the article names where names go: the concept, the name's place, and the
    bullet or sentence that holds it, in a section of ``role``."""

    concept: Concept
    span: Span
    unit: Span
    section: str
    role: str


def recognise(
    article: Article,
    view: str,
    known: Callable[[str], Concept | None],
    roles: Mapping[int, str] | None = None,
) -> tuple[Named, ...]:
    """The concepts ``article`` names in its bullets and lists that ``known`` (the lexicon)
    does not know, typed (see the module docstring); ``view`` is what the article is about:
    a condition, a symptom or a procedure; ``roles``, by a passage's start, the meaning of
    a passage about a condition that is not the article's (:mod:`medkg.extract.topics`).
    One concept per name, at its first place."""
    drugs = drug_names()
    found: dict[tuple[str, ...], Named] = {}
    for section, unit, span, default in _places(article, view, roles or {}, known):
        text, synonyms = without_parenthesis(span.text)
        key = normalise(text)
        if not key or key in found or known(text) is not None:
            continue
        if default == "Condition" and is_gerund(
            text.split()[0].lower(), parts_of_speech(text.split()[0].lower())
        ):
            continue  # "Confirming cancer", "Finding the source": what a procedure does
        label = text if text.isupper() else text.lower()
        doing = as_doing(label) if default in ("Therapy", "PreventiveMeasure") else None
        if doing is not None:  # "Eat smaller meals": the advice is eating smaller meals
            label, synonyms = doing, (text.lower(), *synonyms)
        concept = Concept(label, (type_of(text, default, drugs),), synonyms)
        role = (roles or {}).get(unit.start, section.role)
        found[key] = Named(concept, span, unit, section.heading, role)
    return tuple(found.values())


def _places(
    article: Article,
    view: str,
    roles: Mapping[int, str],
    known: Callable[[str], Concept | None],
) -> Iterator[tuple[Section, Span, Span, str]]:
    """(section, bullet or sentence, name, default type) for every place a name stands."""
    types = ROLE_TYPES.get(view, {})
    for section in article.sections:
        for bullet in section.bullets:
            default = _default(types, section.role, roles.get(bullet.span.start))
            if default is None:
                continue
            if bullet.term is not None:
                members = shared_heads(bare_list(bullet.description), known)
                if default in _DRUG_PLACES and _FOODS.search(bullet.term.text):
                    # what a diet is made of, or leaves out, treats nothing; what it asks
                    # one to do does ("Diet changes: Cutting down on salt and …")
                    members = [m for m in members if _doing(m.text)]
                # a class and the members its description lists ("Beta blockers: Such as
                # bisoprolol and metoprolol"); a stand-in ("Medicines: …") reads as no name
                names = [*items(bullet.term), *(members if len(members) >= 2 else [])]
            elif bullet.description is not None:
                names = shared_heads(list(items(bullet.description, whole=True)), known)
            else:
                names = []
            for sentence in sentences(bullet.description) if bullet.description else []:
                names += shared_heads(listed(sentence), known)
                if default in _DRUG_PLACES:
                    names += _drugs_named(sentence)
            yield from ((section, bullet.span, name, default) for name in names)
        for paragraph in section.paragraphs:
            for sentence in sentences(paragraph):
                default = _default(types, section.role, roles.get(sentence.start))
                if default is None:
                    continue
                names = shared_heads(listed(sentence), known)
                if default in _DRUG_PLACES:
                    names += _drugs_named(sentence)
                if default == "DiagnosticProcedure":  # "you may need a neck X-ray"
                    names += headed(sentence, _names_a_test)
                yield from ((section, sentence, name, default) for name in names)


def _names_a_test(word: str) -> bool:
    """Whether a word alone heads a test's name in running prose ("… scan", "-scopy")."""
    return _TEST_HEAD.fullmatch(word) is not None


_TEST_HEAD = re.compile(
    r"test|tests|scan|scans|x-rays?|ultrasound|biopsy|examination|swab|angiogram"
    r"|[a-z]+(?:scopy|graphy|gram)",
    re.IGNORECASE,
)


def _doing(name: str) -> bool:
    first = name.split()[0].lower()
    return is_gerund(first, parts_of_speech(first))


def _default(types: Mapping[str, str], role: str, about: str | None) -> str | None:
    """The type a place gives a name: by its section's role on this page, or by ``about``,
    the role of a passage about another condition, as on that condition's page."""
    if about is not None:
        return ROLE_TYPES["condition"].get(about)
    return types.get(role)


# sections where a drug named in passing is what treats (or, among risks, what harms)
_DRUG_PLACES = frozenset({"Therapy", "PreventiveMeasure"})
# a treatment bullet about food: "Iron-rich diet: Red meat, beans …", "Foods to avoid: …"
_FOODS = re.compile(r"\b(?:diet|foods?|drinks|avoid)\b", re.IGNORECASE)


def _drugs_named(sentence: Span) -> list[Span]:
    """The drugs a sentence names in running prose ("… usually amoxicillin. People who are
    allergic to penicillin may be given doxycycline"), by the drug vocabulary: a drug's
    generic name or a brand, or another of its names that is no English word."""
    drugs = drug_names()
    text = sentence.text
    found = []
    for word in re.finditer(r"[A-Za-z][\w-]{3,}", text):
        name = word.group()
        drug = drugs.lookup(name)
        if drug is None or drug.is_class or _inside_parenthesis(text, word.start()):
            continue  # a brand in parenthesis is another name of the drug before it
        generic = normalise(drug.name) == normalise(name)
        if not (generic or drug.is_brand or not parts_of_speech(name.lower())):
            continue  # "alcohol": an English word the vocabulary folds into a drug
        following = re.match(r"\s+([a-z][\w-]*)", text[word.end() :])
        if following and continues_name(following.group(1)):
            continue  # "leukotriene receptor antagonist": a word of a longer name
        brand = PARENTHESIS.match(text, word.end())
        end = brand.end() if brand else word.end()
        found.append(
            Span(text[word.start() : end], sentence.start + word.start(), sentence.start + end)
        )
    return found


def _inside_parenthesis(text: str, position: int) -> bool:
    return text.rfind("(", 0, position) > text.rfind(")", 0, position)


# the places a drug can stand: what treats, prevents, raises a risk, or harms
_DRUG_DEFAULTS = frozenset({"Therapy", "PreventiveMeasure", "RiskFactor", "Condition", "Symptom"})


def type_of(text: str, default: str, drugs: DrugNames) -> str:
    """What a name is: a drug or a drug class if the drug names say so (where a drug can
    stand), else what its head says ("… scan", "-ectomy", "-itis"), else ``default``, the
    type its place gives it. A procedure's head does not overrule its place: an endoscopy
    under Treatment treats, surgery under Diagnosis diagnoses; nor does a disease's head
    make a risk factor or a complication anything else."""
    kind = drugs.kind(text)
    if kind is not None and default in _DRUG_DEFAULTS:
        return kind
    found = head_type(text)
    if found is None:
        return default
    procedures = {"Therapy", "DiagnosticProcedure"}
    if found in procedures and default in procedures:
        return default
    if found == "Condition" and default in ("Complication", "RiskFactor", "Symptom"):
        return default
    return found


def head_type(text: str) -> str | None:
    """What the head of a name says it is ("… surgery", "-ectomy", "… scan"), if anything."""
    words = text.split()
    head = words[-1] if words else ""
    return next((t for pattern, t in _HEAD_TYPES if pattern.search(head)), None)
